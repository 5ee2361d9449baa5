//! Inverse kinematics of an arm on a rail (Kruse et al. 2021, "Benchmarking
//! Invertible Architectures on Inverse Problems"): x = (rail height, three
//! relative joint angles), y = the tip's position plus Gaussian observation
//! noise. The observation is continuous, so a rejection sampler pays for
//! every query; the exact posterior comes from [`RobotArm::exact_posterior`].
//!
//! The rail is the vertical line at horizontal position 0. The arm's base
//! slides on it to height x1; segment s has absolute angle
//! θ_s = x2 + ... + x_{s+2} (radians, 0 pointing right):
//!
//!   y1 = l1 cos θ1 + l2 cos θ2 + l3 cos θ3
//!   y2 = x1 + l1 sin θ1 + l2 sin θ2 + l3 sin θ3

mod exact;
mod marginals;
mod runs;
mod summary;

pub use exact::{ExactDraws, ExactFan};
pub use marginals::{marginals, Marginal, ARM_COORDINATES};
pub use runs::{ChunkedAbc, ChunkedMcmc, Price};
pub use summary::{fan_text, marginals_text};

use super::{check_observation, Problem, ProblemView, ScoreKind};
use crate::error::Error;
use crate::rng::Rng;

/// Segment lengths l1, l2, l3, from the rail to the tip.
pub const ARM_LENGTHS: [f64; 3] = [0.5, 0.5, 1.0];

/// Prior standard deviation of x = (rail height, three joint angles); the
/// prior is a centred Gaussian with these independent spreads.
pub const ARM_PRIOR_STD: [f64; 4] = [0.25, 0.5, 0.5, 0.5];

/// Default standard deviation of the observation noise on each coordinate
/// of the tip: small next to the posterior's spread, so that the noisy
/// posterior is close to the noiseless one, yet a density exists.
pub const ARM_DEFAULT_NOISE: f64 = 0.01;

/// The box the page draws the arm in, `[[y1_min, y1_max], [y2_min, y2_max]]`:
/// the rail at 0, the reach to the right, and the heights where the prior
/// puts its arms (see the arm's tests for the share of tips inside).
const VIEW_EXTENT: [[f64; 2]; 2] = [[-1.25, 2.25], [-2.75, 2.75]];

/// Within this many noise stds beyond the reach, a noisy observation is
/// still explained by some arm; farther out it is refused.
const OUT_OF_REACH_STDS: f64 = 6.0;

/// The arm on a rail, with its observation noise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RobotArm {
    noise: f64,
}

impl Default for RobotArm {
    /// The arm with [`ARM_DEFAULT_NOISE`].
    fn default() -> Self {
        RobotArm {
            noise: ARM_DEFAULT_NOISE,
        }
    }
}

impl RobotArm {
    /// The arm whose observations carry Gaussian noise of std `noise` on
    /// each tip coordinate; 0 gives the noiseless problem.
    pub fn new(noise: f64) -> Result<Self, Error> {
        if !(noise.is_finite() && noise >= 0.0) {
            return Err(Error::InvalidArgument(format!(
                "the arm's observation noise must be a finite std >= 0, got {noise}"
            )));
        }
        Ok(RobotArm { noise })
    }

    /// Standard deviation of the observation noise.
    pub fn noise(&self) -> f64 {
        self.noise
    }

    /// The farthest horizontal distance from the rail a tip can reach.
    pub fn reach() -> f64 {
        ARM_LENGTHS.iter().sum()
    }

    /// Absolute angles θ1, θ2, θ3 of the three segments of `x` (4 entries).
    pub fn segment_angles(x: &[f64]) -> [f64; 3] {
        let t1 = x[1];
        let t2 = t1 + x[2];
        [t1, t2, t2 + x[3]]
    }

    /// The base on the rail, the two joints and the tip of `x` (4 entries),
    /// as (horizontal, vertical) points from the rail outwards: what the page
    /// draws as the arm.
    pub fn joints(x: &[f64]) -> [[f64; 2]; 4] {
        let mut p = [[0.0, x[0]]; 4];
        for (s, (theta, l)) in Self::segment_angles(x).iter().zip(ARM_LENGTHS).enumerate() {
            p[s + 1] = [p[s][0] + l * theta.cos(), p[s][1] + l * theta.sin()];
        }
        p
    }

    /// The tip's position f(x) for `x` (4 entries), without noise.
    pub fn tip(x: &[f64]) -> [f64; 2] {
        Self::joints(x)[3]
    }

    /// log p(x) up to a constant: the Gaussian prior of [`ARM_PRIOR_STD`].
    pub fn log_prior(x: &[f64]) -> f64 {
        -0.5 * x
            .iter()
            .zip(ARM_PRIOR_STD)
            .map(|(v, s)| (v / s) * (v / s))
            .sum::<f64>()
    }

    /// Checks that the arm can explain `y_star`: finite, two entries, and
    /// horizontally within the reach (exactly inside it for the noiseless
    /// arm, within a few noise stds beyond it for a noisy one). Every
    /// height is reachable, since the rail height's prior is Gaussian.
    pub fn check_target(&self, y_star: &[f64]) -> Result<[f64; 2], Error> {
        check_observation(self, y_star)?;
        let reach = Self::reach();
        let beyond = y_star[0].abs() - reach;
        if (self.noise == 0.0 && beyond >= 0.0) || beyond > OUT_OF_REACH_STDS * self.noise {
            let slack = if self.noise == 0.0 {
                String::from("the noiseless arm needs |y1| < the reach")
            } else {
                format!(
                    "with noise {} the target may lie at most {OUT_OF_REACH_STDS} noise stds beyond it",
                    self.noise
                )
            };
            return Err(Error::InvalidArgument(format!(
                "target ({}, {}) is out of reach: no arm gets its tip {} from the rail \
                 (the reach is l1 + l2 + l3 = {reach}); {slack}",
                y_star[0],
                y_star[1],
                y_star[0].abs()
            )));
        }
        Ok([y_star[0], y_star[1]])
    }
}

impl Problem for RobotArm {
    fn name(&self) -> &'static str {
        "arm"
    }

    fn ndim_x(&self) -> usize {
        4
    }

    fn ndim_y(&self) -> usize {
        2
    }

    fn sample_prior(&self, rng: &mut Rng, x: &mut [f64]) {
        for (v, s) in x.iter_mut().zip(ARM_PRIOR_STD) {
            *v = s * rng.normal();
        }
    }

    fn simulate(&self, rng: &mut Rng, x: &mut [f64], y: &mut [f64]) {
        self.sample_prior(rng, x);
        let tip = Self::tip(x);
        for (v, t) in y.iter_mut().zip(tip) {
            *v = t + self.noise * rng.normal();
        }
    }

    /// With noise σ > 0: log p(x) - |y* - f(x)|² / (2σ²).
    ///
    /// The noiseless posterior has no density on R^4: it lives on the
    /// surface f(x) = y*. There this returns log p(x) - log J(x), with
    /// J = sqrt(det(Df Dfᵀ)), the log density with respect to the surface's
    /// area (the coarea formula), for tips within 1e-9 of y* (rounding);
    /// off the surface it returns -inf. A Markov chain cannot walk on it:
    /// every proposal off the surface is refused.
    fn log_target(&self, x: &[f64], y_star: &[f64]) -> f64 {
        if y_star.len() != 2 || x.len() != 4 {
            return f64::NEG_INFINITY;
        }
        let tip = Self::tip(x);
        let d2 = (tip[0] - y_star[0]).powi(2) + (tip[1] - y_star[1]).powi(2);
        if self.noise > 0.0 {
            return Self::log_prior(x) - 0.5 * d2 / (self.noise * self.noise);
        }
        if d2.sqrt() > 1e-9 {
            return f64::NEG_INFINITY;
        }
        // Df has rows (0, g) and (1, h), with g = ∂y1/∂angles and
        // h = ∂y2/∂angles: det(Df Dfᵀ) = |g|² (1 + |h|²) - (g·h)².
        let [g, h] = exact::angle_gradients(x);
        let dot = |a: &[f64; 3], b: &[f64; 3]| a.iter().zip(b).map(|(u, v)| u * v).sum::<f64>();
        let det = dot(&g, &g) * (1.0 + dot(&h, &h)) - dot(&g, &h).powi(2);
        Self::log_prior(x) - 0.5 * det.ln()
    }

    fn sample_posterior(&self, rng: &mut Rng, y_star: &[f64], n: usize) -> Result<Vec<f64>, Error> {
        Ok(self.exact_posterior(rng, y_star, n)?.samples)
    }

    fn score_kinds(&self) -> &'static [ScoreKind] {
        &[ScoreKind::Mmd, ScoreKind::Resimulation]
    }

    fn check_y(&self, y_star: &[f64]) -> Result<(), Error> {
        self.check_target(y_star).map(|_| ())
    }

    fn resimulation_distance(&self, x: &[f64], y_star: &[f64]) -> Option<f64> {
        let t = Self::tip(x);
        Some((t[0] - y_star[0]).hypot(t[1] - y_star[1]))
    }

    fn view(&self) -> ProblemView {
        ProblemView::Arm {
            lengths: ARM_LENGTHS,
            prior_std: ARM_PRIOR_STD,
            noise: self.noise,
            extent: VIEW_EXTENT,
        }
    }
}

/// Re-simulation error of posterior samples (`4` entries per sample): the
/// distance from each sample's noiseless tip to `y_star`, as its median and
/// 90th percentile (linear interpolation between order statistics).
pub fn resimulation_error(
    arm: &RobotArm,
    samples: &[f64],
    y_star: &[f64],
) -> Result<(f64, f64), Error> {
    check_observation(arm, y_star)?;
    if samples.is_empty() || !samples.len().is_multiple_of(4) {
        return Err(Error::InvalidArgument(format!(
            "samples must be a non-empty list of 4-entry draws, got {} numbers",
            samples.len()
        )));
    }
    let r = crate::metrics::resimulation(arm, samples, y_star).expect("the arm has a forward map");
    Ok((r.median, r.p90))
}
