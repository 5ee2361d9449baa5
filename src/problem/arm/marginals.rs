//! Each coordinate's marginal of a method's samples against the exact
//! posterior's: histograms on common bins, placed where the exact draws
//! are, with the moments of both.

use crate::error::Error;

/// The names of x's coordinates, in order.
pub const ARM_COORDINATES: [&str; 4] = ["x1 rail height", "x2 joint 1", "x3 joint 2", "x4 joint 3"];

/// The bins reach this share of the exact draws' central range beyond it
/// on either side.
const PAD: f64 = 0.25;

/// One coordinate's histograms.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Marginal {
    /// The coordinate's name.
    pub name: &'static str,
    /// The bins' range: equal bins from `lo` to `hi`.
    pub lo: f64,
    pub hi: f64,
    /// Density of the method's samples in each bin (integrates to the
    /// share of them inside the range).
    pub density: Vec<f64>,
    /// Density of the exact draws in each bin.
    pub exact: Vec<f64>,
    /// Share of the method's samples outside the range.
    pub outside: f64,
    /// Mean and standard deviation of the method's samples and of the exact
    /// draws (NaN without samples).
    pub mean: f64,
    pub std: f64,
    pub exact_mean: f64,
    pub exact_std: f64,
}

fn column(s: &[f64], i: usize) -> impl Iterator<Item = f64> + '_ {
    s.chunks_exact(4).map(move |x| x[i])
}

fn moments(s: &[f64], i: usize) -> (f64, f64) {
    let n = (s.len() / 4) as f64;
    let mean = column(s, i).sum::<f64>() / n;
    let var = column(s, i).map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Density per bin of column `i` of `s`, on `bins` bins from `lo` to `hi`,
/// and the share outside.
fn histogram(s: &[f64], i: usize, lo: f64, hi: f64, bins: usize) -> (Vec<f64>, f64) {
    let mut counts = vec![0.0; bins];
    let width = (hi - lo) / bins as f64;
    let mut outside = 0.0;
    for v in column(s, i) {
        let b = ((v - lo) / width).floor();
        if b >= 0.0 && b < bins as f64 {
            counts[b as usize] += 1.0;
        } else {
            outside += 1.0;
        }
    }
    let n = (s.len() / 4).max(1) as f64;
    (
        counts.iter().map(|c| c / (n * width)).collect(),
        outside / n,
    )
}

/// The marginals of `samples` against `exact` (4 entries per draw each),
/// on `bins` bins per coordinate spanning the exact draws' 0.5% to 99.5%
/// quantiles, widened by a quarter of that range each side.
pub fn marginals(samples: &[f64], exact: &[f64], bins: usize) -> Result<Vec<Marginal>, Error> {
    if exact.len() < 8 || !exact.len().is_multiple_of(4) || !samples.len().is_multiple_of(4) {
        return Err(Error::InvalidArgument(format!(
            "need at least two exact draws and whole 4-entry draws, got {} and {} numbers",
            exact.len(),
            samples.len()
        )));
    }
    if bins == 0 {
        return Err(Error::InvalidArgument("bins must be >= 1, got 0".into()));
    }
    Ok((0..4)
        .map(|i| {
            let mut sorted: Vec<f64> = column(exact, i).collect();
            crate::metrics::sort_floats(&mut sorted);
            let q = |p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
            let (a, b) = (q(0.005), q(0.995));
            let pad = PAD * (b - a).max(1e-6);
            let (lo, hi) = (a - pad, b + pad);
            let (density, outside) = histogram(samples, i, lo, hi, bins);
            let (exact_density, _) = histogram(exact, i, lo, hi, bins);
            let (mean, std) = moments(samples, i);
            let (exact_mean, exact_std) = moments(exact, i);
            Marginal {
                name: ARM_COORDINATES[i],
                lo,
                hi,
                density,
                exact: exact_density,
                outside,
                mean,
                std,
                exact_mean,
                exact_std,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histograms_share_bins_and_integrate_to_the_share_inside() {
        // Exact: 0, 1, ..., 99 in every coordinate; samples: a shifted half.
        let exact: Vec<f64> = (0..100).flat_map(|k| [k as f64; 4]).collect();
        let samples: Vec<f64> = (0..100).flat_map(|k| [k as f64 + 50.0; 4]).collect();
        let m = marginals(&samples, &exact, 10).unwrap();
        assert_eq!(m.len(), 4);
        let c = &m[0];
        assert_eq!((c.lo, c.hi), (0.0 - 0.25 * 99.0, 99.0 + 0.25 * 99.0));
        let width = (c.hi - c.lo) / 10.0;
        let inside: f64 = c.density.iter().sum::<f64>() * width;
        assert!((inside + c.outside - 1.0).abs() < 1e-12);
        assert!((c.outside - 26.0 / 100.0).abs() < 1e-12, "{}", c.outside);
        assert!((c.exact.iter().sum::<f64>() * width - 1.0).abs() < 1e-12);
        assert_eq!((c.mean, c.exact_mean), (99.5, 49.5));
        assert!(marginals(&samples, &exact[..4], 10).is_err());
        assert!(marginals(&samples, &exact, 0).is_err());
        let none = marginals(&[], &exact, 10).unwrap();
        assert!(none[0].mean.is_nan() && none[0].density.iter().all(|&d| d == 0.0));
    }
}
