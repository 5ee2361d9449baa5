//! Scores of posterior samples for one observation of a problem whose
//! observation is continuous (the arm): MMD² against exact samples with its
//! noise floor, the re-simulation error, and each coordinate's mean and
//! spread against the exact ones.

use crate::loss::mmd;
use crate::problem::Problem;
use serde::Serialize;

/// One coordinate of x: the samples' mean and standard deviation against
/// the exact posterior's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoordinateScore {
    pub mean: f64,
    pub exact_mean: f64,
    pub std: f64,
    pub exact_std: f64,
    /// `std / exact_std`: 1 is right, above too wide, below too narrow.
    pub spread_ratio: f64,
}

/// How far the samples' simulated observations land from y*.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Resimulation {
    pub median: f64,
    pub p90: f64,
}

/// Scores of one observation's samples.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObservationScore {
    pub y_star: Vec<f64>,
    pub samples: usize,
    /// MMD² against exact samples (NaN if a sample is not finite).
    pub mmd2: f64,
    /// MMD² between two exact sample sets of the same size.
    pub mmd2_floor: f64,
    /// None for a problem without a noiseless forward map.
    pub resimulation: Option<Resimulation>,
    pub coordinates: Vec<CoordinateScore>,
}

/// The value at quantile `q` of sorted `d`, interpolated linearly between
/// order statistics (NaN when empty).
fn quantile(d: &[f64], q: f64) -> f64 {
    if d.is_empty() {
        return f64::NAN;
    }
    let pos = q * (d.len() - 1) as f64;
    let (lo, frac) = (pos.floor() as usize, pos.fract());
    let hi = (lo + 1).min(d.len() - 1);
    d[lo] + frac * (d[hi] - d[lo])
}

/// The re-simulation error of `samples` (`ndim_x` values each) for
/// `y_star`: median and 90th percentile of the distance of each sample's
/// noiseless observation from y*; None for a problem without one.
pub fn resimulation(
    problem: &dyn Problem,
    samples: &[f64],
    y_star: &[f64],
) -> Option<Resimulation> {
    let nx = problem.ndim_x();
    let mut d = samples
        .chunks_exact(nx)
        .map(|x| problem.resimulation_distance(x, y_star))
        .collect::<Option<Vec<f64>>>()?;
    super::sort_floats(&mut d);
    Some(Resimulation {
        median: quantile(&d, 0.5),
        p90: quantile(&d, 0.9),
    })
}

/// Mean and standard deviation of coordinate `j` of rows of `dim` values.
fn moments(v: &[f64], dim: usize, j: usize) -> (f64, f64) {
    let n = (v.len() / dim).max(1) as f64;
    let mean = v.iter().skip(j).step_by(dim).sum::<f64>() / n;
    let var = v
        .iter()
        .skip(j)
        .step_by(dim)
        .map(|x| (x - mean) * (x - mean))
        .sum::<f64>()
        / n;
    (mean, var.sqrt())
}

/// Scores `samples` for `y_star` against `exact` and `exact_again`, two
/// exact sample sets of the same size as `samples`.
pub fn score_observation(
    problem: &dyn Problem,
    y_star: &[f64],
    samples: &[f64],
    exact: &[f64],
    exact_again: &[f64],
) -> ObservationScore {
    let nx = problem.ndim_x();
    let finite = !samples.is_empty() && samples.iter().all(|v| v.is_finite());
    let coordinates = (0..nx)
        .map(|j| {
            let ((mean, std), (exact_mean, exact_std)) =
                (moments(samples, nx, j), moments(exact, nx, j));
            CoordinateScore {
                mean,
                exact_mean,
                std,
                exact_std,
                spread_ratio: std / exact_std,
            }
        })
        .collect();
    ObservationScore {
        y_star: y_star.to_vec(),
        samples: samples.len() / nx,
        mmd2: if finite {
            mmd::<f64>(samples, exact, nx)
        } else {
            f64::NAN
        },
        mmd2_floor: mmd::<f64>(exact_again, exact, nx),
        resimulation: resimulation(problem, samples, y_star),
        coordinates,
    }
}

/// The bar of a continuous observation's samples: MMD² against the exact
/// posterior at most `max_mmd2`, the median re-simulation error at most
/// `max_resimulation`, and each coordinate's spread within `spread_range`
/// of the exact one.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ObservationBar {
    pub max_mmd2: f64,
    pub max_resimulation: f64,
    pub spread_range: (f64, f64),
}

/// The arm's bar: MMD² <= 0.01, median re-simulation error <= 0.03, each
/// coordinate's spread in [0.8, 1.25] of the exact one.
pub const OBSERVATION_BAR: ObservationBar = ObservationBar {
    max_mmd2: 0.01,
    max_resimulation: 0.03,
    spread_range: (0.8, 1.25),
};

impl ObservationBar {
    /// What of `s` misses the bar, in words; empty when it passes.
    // Negated comparisons on purpose: a NaN score must fail every check.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn misses(&self, s: &ObservationScore) -> Vec<String> {
        let mut f = Vec::new();
        if !(s.mmd2 <= self.max_mmd2) {
            f.push(format!(
                "MMD\u{b2} {:.4} (floor {:.4})",
                s.mmd2, s.mmd2_floor
            ));
        }
        if let Some(r) = s.resimulation {
            if !(r.median <= self.max_resimulation) {
                f.push(format!("median re-simulation error {:.3}", r.median));
            }
        }
        let (lo, hi) = self.spread_range;
        for (j, c) in s.coordinates.iter().enumerate() {
            if !(c.spread_ratio >= lo && c.spread_ratio <= hi) {
                f.push(format!("x{j}: spread {:.2}", c.spread_ratio));
            }
        }
        f
    }
}
