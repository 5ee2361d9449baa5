//! How good a set of posterior samples is, measured against the exact
//! posterior: the numbers every fidelity test, the benchmark and the page
//! report. The mode scores measure samples against a problem's labelled
//! modes ([`crate::problem::Problem::modes`]).

use crate::loss::mmd;
use crate::problem::Mode;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

mod bar;
mod latent;
mod observation;
mod sort;

pub use bar::{FidelityBar, FIDELITY_BAR};
pub use latent::{padding_share, roles_text};
pub use observation::{
    resimulation, score_observation, CoordinateScore, ObservationBar, ObservationScore,
    Resimulation, OBSERVATION_BAR,
};
pub use sort::{sort_floats, sort_marks};

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
    /// Width of the samples nearest this mode over the same measure on
    /// exact samples (1 is right; < 1 too narrow, > 1 too wide): see
    /// [`robust_width`].
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

/// Mean of the samples within `radius` of a centre (NaN without any).
fn mean_within(samples: &[f64], centre: [f64; 2], radius: f64) -> [f64; 2] {
    let (mut sum, mut k) = ([0.0; 2], 0usize);
    for p in samples.chunks_exact(2) {
        if (p[0] - centre[0]).hypot(p[1] - centre[1]) <= radius {
            sum = [sum[0] + p[0], sum[1] + p[1]];
            k += 1;
        }
    }
    sum.map(|v| if k == 0 { f64::NAN } else { v / k as f64 })
}

/// Median of `v` (NaN when empty); reorders `v`.
fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    sort_floats(v);
    let h = v.len() / 2;
    if v.len() % 2 == 1 {
        v[h]
    } else {
        0.5 * (v[h - 1] + v[h])
    }
}

/// Median distance of `points` (`x0, x1` pairs) from their coordinate-wise
/// median: a width that measures every point, so that a mode too wide reads
/// too wide (a spread taken only within 3 std of the centre cuts off the
/// tails that make it so), and that a few strays far away barely move. For
/// an isotropic Gaussian of std s it is s sqrt(2 ln 2), about 1.18 s. NaN
/// when there are no points or any is not finite.
pub fn robust_width(points: &[f64]) -> f64 {
    if points.is_empty() || !points.iter().all(|v| v.is_finite()) {
        return f64::NAN;
    }
    let centre = [0, 1].map(|j| {
        median(
            &mut points
                .iter()
                .skip(j)
                .step_by(2)
                .copied()
                .collect::<Vec<_>>(),
        )
    });
    let mut d: Vec<f64> = points
        .chunks_exact(2)
        .map(|p| (p[0] - centre[0]).hypot(p[1] - centre[1]))
        .collect();
    median(&mut d)
}

/// The samples of `samples` nearest each of the modes `own` (nearest in
/// units of each mode's std), one set per mode, in the order of `own`.
fn nearest_of(modes: &[Mode], own: &[usize], samples: &[f64]) -> Vec<Vec<f64>> {
    let mut sets = vec![Vec::new(); own.len()];
    for p in samples.chunks_exact(2) {
        let scaled = |m: usize| {
            let c = modes[m].centre;
            (p[0] - c[0]).hypot(p[1] - c[1]) / modes[m].std
        };
        let k = (0..own.len())
            .min_by(|&a, &b| scaled(own[a]).total_cmp(&scaled(own[b])))
            .unwrap_or(0);
        sets[k].extend_from_slice(p);
    }
    sets
}

/// Scores `samples` (`x0, x1` pairs) of label `label` of the labelled
/// `modes` against `exact`, an exact sample set of the same size; with
/// `exact_again`, a second one (of that size or smaller), also the MMD^2
/// and its noise floor, over as many values of each set as `exact_again`
/// has.
pub fn score_label(
    modes: &[Mode],
    label: usize,
    samples: &[f64],
    exact: &[f64],
    exact_again: Option<&[f64]>,
) -> LabelScore {
    let n = samples.len() / 2;
    let in_mode = |p: &[f64], m: usize| {
        let c = modes[m].centre;
        (p[0] - c[0]).hypot(p[1] - c[1]) <= IN_MODE_STDS * modes[m].std
    };
    let own: Vec<usize> = (0..modes.len())
        .filter(|&m| modes[m].label == label)
        .collect();
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
    let (nearest, exact_nearest) = (
        nearest_of(modes, &own, samples),
        nearest_of(modes, &own, exact),
    );
    let mode_scores: Vec<ModeScore> = own
        .iter()
        .enumerate()
        .map(|(k, &m)| {
            let mean = mean_within(samples, modes[m].centre, IN_MODE_STDS * modes[m].std);
            ModeScore {
                mode: m,
                mass: counts[k] as f64 / correct.max(1) as f64,
                expected_mass: modes[m].weight / weight_total,
                spread_ratio: robust_width(&nearest[k]) / robust_width(&exact_nearest[k]),
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
    use crate::problem::GaussianMixture;
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
            let score = score_label(g.modes(), label, &s, &e, Some(&e2));
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
        let short = score_label(g.modes(), 0, &s, &e, Some(&e2[..k]));
        let full = score_label(g.modes(), 0, &s, &e, Some(&e2));
        assert_eq!(short.mmd2, Some(mmd::<f64>(&s[..k], &e[..k], 2)));
        assert_eq!(short.mmd2_floor, Some(mmd::<f64>(&e2[..k], &e[..k], 2)));
        assert_eq!(full.mmd2, Some(mmd::<f64>(&s, &e, 2)));
        assert_ne!(short.mmd2, full.mmd2);
        // The other scores use every sample either way.
        assert_eq!(short.in_correct, full.in_correct);
        assert_eq!(short.samples, 500);
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
        let score = score_label(g.modes(), 2, &narrow, &e, None);
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
    fn the_robust_width_of_a_gaussian_is_its_std_times_sqrt_2_ln_2() {
        let mut rng = Rng::new(11);
        let p: Vec<f64> = (0..200_000).map(|_| 3.0 + 0.2 * rng.normal()).collect();
        let w = robust_width(&p);
        assert!(
            (w / (0.2 * (2.0 * 2f64.ln()).sqrt()) - 1.0).abs() < 0.01,
            "{w}"
        );
        // A few strays far away barely move it; a point not finite voids it.
        let mut strays = p.clone();
        strays[..2000].fill(50.0);
        assert!((robust_width(&strays) / w - 1.0).abs() < 0.02);
        strays[7] = f64::NAN;
        assert!(robust_width(&strays).is_nan());
        assert!(robust_width(&[]).is_nan());
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
