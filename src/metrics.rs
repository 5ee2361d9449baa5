//! How good a set of posterior samples is, measured against the exact
//! posterior of the mixture: the numbers every fidelity test, the benchmark
//! and the page report.

use crate::loss::mmd;
use crate::problem::GaussianMixture;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// A sample "is in" a mode when it lies within this many stds of its centre.
pub const IN_MODE_STDS: f64 = 3.0;

/// One mode of the label under test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModeScore {
    /// Index of the mode in the mixture.
    pub mode: usize,
    /// Share of the in-mode samples that fell in this mode.
    pub mass: f64,
    /// The share the exact posterior gives it.
    pub expected_mass: f64,
    /// Spread of the samples in the mode over the same measure on exact
    /// samples (1 is right; < 1 too narrow).
    pub spread_ratio: f64,
    /// Distance of the in-mode samples' mean from the true centre.
    pub centre_offset: f64,
}

/// Scores of one label's samples.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelScore {
    pub label: usize,
    pub samples: usize,
    /// Fraction within 3 std of a mode of this label.
    pub in_correct: f64,
    /// Fraction within 3 std of a mode of another label.
    pub in_wrong: f64,
    /// Largest |mass - expected_mass| over the label's modes.
    pub max_mass_error: f64,
    pub modes: Vec<ModeScore>,
    /// MMD^2 against exact samples (when asked for: it costs O(n^2)).
    pub mmd2: Option<f64>,
    /// MMD^2 between two exact sample sets of the same size: the noise floor.
    pub mmd2_floor: Option<f64>,
}

/// The quality bar of the core's fidelity tests.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FidelityBar {
    pub min_in_correct: f64,
    pub max_in_wrong: f64,
    pub max_mass_error: f64,
    pub spread_range: (f64, f64),
    pub max_centre_offset: f64,
}

/// The bar every label must clear: >= 93% in a correct mode, <= 1% in a
/// wrong one, mass error <= 0.03, spread in [0.8, 1.25], centre within 0.08.
pub const FIDELITY_BAR: FidelityBar = FidelityBar {
    min_in_correct: 0.93,
    max_in_wrong: 0.01,
    max_mass_error: 0.03,
    spread_range: (0.8, 1.25),
    max_centre_offset: 0.08,
};

impl FidelityBar {
    /// The reasons `s` misses the bar, each naming its label; empty when it
    /// passes.
    pub fn failures(&self, s: &LabelScore) -> Vec<String> {
        self.misses(s)
            .into_iter()
            .map(|m| format!("label {}: {m}", s.label))
            .collect()
    }

    /// The reasons `s` misses the bar, without the label (the page names
    /// it by its colour); empty when it passes.
    // Negated comparisons on purpose: a NaN score must fail every check.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn misses(&self, s: &LabelScore) -> Vec<String> {
        let mut f = Vec::new();
        if !(s.in_correct >= self.min_in_correct) {
            f.push(format!("{:.1}% in a correct mode", 100.0 * s.in_correct));
        }
        if !(s.in_wrong <= self.max_in_wrong) {
            f.push(format!("{:.1}% in a wrong mode", 100.0 * s.in_wrong));
        }
        if !(s.max_mass_error <= self.max_mass_error) {
            f.push(format!("mass error {:.3}", s.max_mass_error));
        }
        for m in &s.modes {
            let (lo, hi) = self.spread_range;
            if !(m.spread_ratio >= lo && m.spread_ratio <= hi) {
                f.push(format!("mode {}: spread {:.2}", m.mode, m.spread_ratio));
            }
            if !(m.centre_offset <= self.max_centre_offset) {
                f.push(format!(
                    "mode {}: centre off by {:.3}",
                    m.mode, m.centre_offset
                ));
            }
        }
        f
    }

    /// The bar in words, for the page.
    pub fn describe(&self) -> String {
        format!(
            "at least {:.0}% of samples in a correct mode and at most {:.0}% in a wrong one; \
             each mode's share within {} of the exact posterior's, its spread {}-{} times the exact one, \
             its centre within {}",
            100.0 * self.min_in_correct,
            100.0 * self.max_in_wrong,
            self.max_mass_error,
            self.spread_range.0,
            self.spread_range.1,
            self.max_centre_offset
        )
    }

    /// Whether every score passes.
    pub fn passes_all(&self, scores: &[LabelScore]) -> bool {
        scores.iter().all(|s| self.failures(s).is_empty())
    }
}

/// Mean and spread of the samples within 3 std of a centre.
fn mode_moments(samples: &[f64], centre: [f64; 2], radius: f64) -> (usize, [f64; 2], f64) {
    let inside: Vec<&[f64]> = samples
        .chunks_exact(2)
        .filter(|p| (p[0] - centre[0]).hypot(p[1] - centre[1]) <= radius)
        .collect();
    let k = inside.len();
    if k == 0 {
        return (0, [f64::NAN; 2], 0.0);
    }
    let mean = [
        inside.iter().map(|p| p[0]).sum::<f64>() / k as f64,
        inside.iter().map(|p| p[1]).sum::<f64>() / k as f64,
    ];
    let var = inside
        .iter()
        .map(|p| (p[0] - mean[0]).powi(2) + (p[1] - mean[1]).powi(2))
        .sum::<f64>()
        / (2.0 * k as f64);
    (k, mean, var.sqrt())
}

/// Scores `samples` (`x0, x1` pairs) of label `label` against `exact`, an
/// exact sample set of the same size; with `exact_again`, a second one
/// (of that size or smaller), also the MMD^2 and its noise floor, over as
/// many values of each set as `exact_again` has.
pub fn score_label(
    problem: &GaussianMixture,
    label: usize,
    samples: &[f64],
    exact: &[f64],
    exact_again: Option<&[f64]>,
) -> LabelScore {
    let n = samples.len() / 2;
    let modes = problem.modes();
    let in_mode = |p: &[f64], m: usize| {
        let c = modes[m].centre;
        (p[0] - c[0]).hypot(p[1] - c[1]) <= IN_MODE_STDS * modes[m].std
    };
    let own: Vec<usize> = problem.modes_of(label).collect();
    let mut counts = vec![0usize; own.len()];
    let (mut correct, mut wrong) = (0usize, 0usize);
    for p in samples.chunks_exact(2) {
        if let Some(k) = own.iter().position(|&m| in_mode(p, m)) {
            correct += 1;
            counts[k] += 1;
        } else if (0..modes.len()).any(|m| modes[m].label != label && in_mode(p, m)) {
            wrong += 1;
        }
    }
    let weight_total: f64 = own.iter().map(|&m| modes[m].weight).sum();
    let mode_scores: Vec<ModeScore> = own
        .iter()
        .zip(&counts)
        .map(|(&m, &count)| {
            let radius = IN_MODE_STDS * modes[m].std;
            let (_, mean, spread) = mode_moments(samples, modes[m].centre, radius);
            let (_, _, exact_spread) = mode_moments(exact, modes[m].centre, radius);
            ModeScore {
                mode: m,
                mass: count as f64 / correct.max(1) as f64,
                expected_mass: modes[m].weight / weight_total,
                spread_ratio: spread / exact_spread,
                centre_offset: (mean[0] - modes[m].centre[0]).hypot(mean[1] - modes[m].centre[1]),
            }
        })
        .collect();
    let max_mass_error = mode_scores
        .iter()
        .map(|m| (m.mass - m.expected_mass).abs())
        .fold(0.0, f64::max);
    LabelScore {
        label,
        samples: n,
        in_correct: correct as f64 / n.max(1) as f64,
        in_wrong: wrong as f64 / n.max(1) as f64,
        max_mass_error,
        modes: mode_scores,
        mmd2: exact_again
            .map(|again| finite_or_nan(&samples[..again.len()], &exact[..again.len()])),
        mmd2_floor: exact_again.map(|again| mmd::<f64>(again, &exact[..again.len()], 2)),
    }
}

fn finite_or_nan(samples: &[f64], exact: &[f64]) -> f64 {
    if samples.is_empty() || !samples.iter().all(|v| v.is_finite()) {
        return f64::NAN;
    }
    mmd::<f64>(samples, exact, 2)
}

/// Mean and covariance of latent codes: a healthy z is N(0, I).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LatentHealth {
    pub mean: Vec<f64>,
    /// Row-major `ndim_z x ndim_z`.
    pub covariance: Vec<f64>,
}

/// Moments of `z` (`n x dim`).
pub fn latent_health(z: &[f64], dim: usize) -> LatentHealth {
    let n = z.len() / dim;
    let m = DMatrix::from_row_slice(n, dim, z);
    let mean: DVector<f64> = m.row_mean().transpose();
    let centred = DMatrix::from_fn(n, dim, |i, j| m[(i, j)] - mean[j]);
    let cov = centred.transpose() * &centred / (n.max(2) - 1) as f64;
    LatentHealth {
        mean: mean.iter().copied().collect(),
        covariance: cov.transpose().iter().copied().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::LabelMap;
    use crate::rng::Rng;

    #[test]
    fn exact_samples_score_as_the_issue_says() {
        let g = GaussianMixture::toy(LabelMap::Some);
        let mut rng = Rng::new(5);
        for label in 0..4 {
            let s = g.sample_posterior(&mut rng, label, 2000).unwrap();
            let e = g.sample_posterior(&mut rng, label, 2000).unwrap();
            let e2 = g.sample_posterior(&mut rng, label, 2000).unwrap();
            let score = score_label(&g, label, &s, &e, Some(&e2));
            assert!((score.in_correct - 0.989).abs() < 0.01, "{score:?}");
            assert_eq!(score.in_wrong, 0.0);
            assert!(score.max_mass_error < 0.04);
            assert!(FIDELITY_BAR.failures(&score).is_empty(), "{score:?}");
            assert!(score.mmd2.unwrap() < 5.0 * score.mmd2_floor.unwrap().max(1e-4));
        }
    }

    #[test]
    fn a_shorter_second_exact_set_takes_the_mmd_over_as_many_values() {
        let g = GaussianMixture::toy(LabelMap::Some);
        let mut rng = Rng::new(9);
        let [s, e, e2] = [0; 3].map(|_| g.sample_posterior(&mut rng, 0, 500).unwrap());
        let k = 2 * 200;
        let short = score_label(&g, 0, &s, &e, Some(&e2[..k]));
        let full = score_label(&g, 0, &s, &e, Some(&e2));
        assert_eq!(short.mmd2, Some(mmd::<f64>(&s[..k], &e[..k], 2)));
        assert_eq!(short.mmd2_floor, Some(mmd::<f64>(&e2[..k], &e[..k], 2)));
        assert_eq!(full.mmd2, Some(mmd::<f64>(&s, &e, 2)));
        assert_ne!(short.mmd2, full.mmd2);
        // The other scores use every sample either way.
        assert_eq!(short.in_correct, full.in_correct);
        assert_eq!(short.samples, 500);
    }

    #[test]
    fn samples_from_the_wrong_label_fail_the_bar() {
        let g = GaussianMixture::toy(LabelMap::Some);
        let mut rng = Rng::new(6);
        let wrong = g.sample_posterior(&mut rng, 1, 2000).unwrap();
        let e = g.sample_posterior(&mut rng, 0, 2000).unwrap();
        let score = score_label(&g, 0, &wrong, &e, None);
        assert_eq!(score.in_correct, 0.0);
        assert!(score.in_wrong > 0.98);
        assert!(!FIDELITY_BAR.failures(&score).is_empty());
        // The page's wording names what fails; the tests' adds the label.
        let misses = FIDELITY_BAR.misses(&score);
        assert_eq!(misses[0], "0.0% in a correct mode");
        assert!(misses[1].ends_with("% in a wrong mode"), "{misses:?}");
        let failures = FIDELITY_BAR.failures(&score);
        assert_eq!(failures.len(), misses.len());
        assert_eq!(failures[0], "label 0: 0.0% in a correct mode");
    }

    #[test]
    fn too_narrow_samples_fail_on_spread() {
        let g = GaussianMixture::toy(LabelMap::All);
        let mut rng = Rng::new(7);
        let e = g.sample_posterior(&mut rng, 2, 2000).unwrap();
        let c = g.modes()[2].centre;
        let narrow: Vec<f64> = e
            .chunks(2)
            .flat_map(|p| [c[0] + 0.5 * (p[0] - c[0]), c[1] + 0.5 * (p[1] - c[1])])
            .collect();
        let score = score_label(&g, 2, &narrow, &e, None);
        assert!(
            (score.modes[0].spread_ratio - 0.5).abs() < 0.05,
            "{score:?}"
        );
        assert!(FIDELITY_BAR
            .failures(&score)
            .iter()
            .any(|f| f.contains("spread")));
    }

    #[test]
    fn the_bar_in_words_gives_its_thresholds() {
        let text = FIDELITY_BAR.describe();
        for part in [
            "93% of samples",
            "1% in a wrong",
            "within 0.03",
            "0.8-1.25",
            "within 0.08",
        ] {
            assert!(text.contains(part), "{part} not in {text}");
        }
    }

    #[test]
    fn latent_moments_of_standard_normal_draws() {
        let mut rng = Rng::new(8);
        let z: Vec<f64> = (0..40_000).map(|_| rng.normal()).collect();
        let h = latent_health(&z, 2);
        assert!(h.mean.iter().all(|m| m.abs() < 0.03));
        assert!((h.covariance[0] - 1.0).abs() < 0.05 && h.covariance[1].abs() < 0.05);
    }
}
