//! Approximate Bayesian computation by rejection: the classic baseline the
//! INN is compared against. Sample x from the prior, simulate y, keep x when
//! the simulated y lands near the observation y*. Exact as eps -> 0; the
//! price is the simulations thrown away. Timing is the caller's (the core
//! has no clock).

use crate::error::Error;
use crate::problem::Problem;
use crate::rng::Rng;

/// Which samples to keep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Acceptance {
    /// Keep x whose |y - y*| < eps, until `n` are kept or the budget is spent.
    Tolerance(f64),
    /// Run the whole budget and keep the `n` nearest.
    Nearest,
}

/// An ABC query.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AbcSettings {
    /// Samples wanted.
    pub n: usize,
    pub acceptance: Acceptance,
    /// Most simulations to run.
    pub budget: usize,
    /// Standard deviation of the observation noise added to simulated y.
    pub obs_noise: f64,
    pub seed: u64,
}

/// What an ABC run produced and what it cost.
#[derive(Clone, Debug, PartialEq)]
pub struct AbcResult {
    /// Accepted x, flattened (`ndim_x` per sample).
    pub samples: Vec<f64>,
    pub simulations: usize,
    pub accepted: usize,
    /// `accepted / simulations`.
    pub acceptance_rate: f64,
}

/// Runs rejection ABC for observation `y_star`.
pub fn abc_rejection<S: Problem + ?Sized>(
    problem: &S,
    y_star: &[f64],
    s: &AbcSettings,
) -> Result<AbcResult, Error> {
    let (nx, ny) = (problem.ndim_x(), problem.ndim_y());
    if y_star.len() != ny {
        return Err(Error::InvalidArgument(format!(
            "y* must have {ny} entries, got {}",
            y_star.len()
        )));
    }
    if s.n == 0 || s.budget == 0 {
        return Err(Error::InvalidArgument(
            "ABC needs n > 0 and a budget > 0".into(),
        ));
    }
    if !(s.obs_noise.is_finite() && s.obs_noise >= 0.0) {
        return Err(Error::InvalidArgument(format!(
            "observation noise must be >= 0, got {}",
            s.obs_noise
        )));
    }
    let mut rng = Rng::new(s.seed);
    let (mut x, mut y) = (vec![0.0; nx], vec![0.0; ny]);
    let simulate = |rng: &mut Rng, x: &mut [f64], y: &mut [f64]| {
        problem.simulate(rng, x, y);
        y.iter()
            .zip(y_star)
            .map(|(a, b)| {
                let d = a + s.obs_noise * rng.normal() - b;
                d * d
            })
            .sum::<f64>()
            .sqrt()
    };
    let mut samples = Vec::new();
    let mut simulations = 0;
    match s.acceptance {
        Acceptance::Tolerance(eps) => {
            if !(eps.is_finite() && eps > 0.0) {
                return Err(Error::InvalidArgument(format!(
                    "eps must be > 0, got {eps}"
                )));
            }
            while samples.len() < s.n * nx && simulations < s.budget {
                simulations += 1;
                if simulate(&mut rng, &mut x, &mut y) < eps {
                    samples.extend_from_slice(&x);
                }
            }
        }
        Acceptance::Nearest => {
            let mut drawn = Vec::with_capacity(s.budget * nx);
            let mut scored: Vec<(f64, usize)> = (0..s.budget)
                .map(|i| {
                    let d = simulate(&mut rng, &mut x, &mut y);
                    drawn.extend_from_slice(&x);
                    (d, i)
                })
                .collect();
            simulations = s.budget;
            crate::metrics::sort_marks(&mut scored);
            samples = scored
                .iter()
                .take(s.n)
                .flat_map(|&(_, i)| &drawn[i * nx..(i + 1) * nx])
                .copied()
                .collect();
        }
    }
    let accepted = samples.len() / nx;
    Ok(AbcResult {
        samples,
        simulations,
        accepted,
        acceptance_rate: accepted as f64 / simulations.max(1) as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::{GaussianMixture, LabelMap};

    #[test]
    fn tolerance_abc_accepts_about_the_labels_prior_share() {
        let g = GaussianMixture::toy(LabelMap::Some);
        let s = AbcSettings {
            n: 2000,
            acceptance: Acceptance::Tolerance(0.5),
            budget: 1_000_000,
            obs_noise: 0.1,
            seed: 1,
        };
        let r = abc_rejection(&g, &[0.0, 1.0, 0.0, 0.0], &s).unwrap();
        assert_eq!(r.accepted, 2000);
        assert!(
            (r.acceptance_rate - 0.25).abs() < 0.03,
            "{}",
            r.acceptance_rate
        );
        // All accepted points lie near the two modes of label 1.
        let modes = &g.modes()[4..6];
        assert!(r.samples.chunks(2).all(|p| modes
            .iter()
            .any(|m| (p[0] - m.centre[0]).hypot(p[1] - m.centre[1]) < 1.5)));
    }

    #[test]
    fn a_tight_budget_stops_early_and_says_so() {
        let g = GaussianMixture::toy(LabelMap::All);
        let s = AbcSettings {
            n: 1000,
            acceptance: Acceptance::Tolerance(0.3),
            budget: 500,
            obs_noise: 0.1,
            seed: 2,
        };
        let r = abc_rejection(&g, &[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], &s).unwrap();
        assert_eq!(r.simulations, 500);
        assert!(r.accepted < 1000);
    }

    #[test]
    fn nearest_keeps_exactly_n() {
        let g = GaussianMixture::toy(LabelMap::Some);
        let s = AbcSettings {
            n: 100,
            acceptance: Acceptance::Nearest,
            budget: 2000,
            obs_noise: 0.1,
            seed: 3,
        };
        let r = abc_rejection(&g, &[0.0, 0.0, 1.0, 0.0], &s).unwrap();
        assert_eq!(r.accepted, 100);
        assert!(abc_rejection(&g, &[0.0], &s).is_err());
    }
}
