//! What the methods' tests share: a finite-difference gradient check and
//! readings of samples on the toy.

use crate::problem::TOY_CENTRES;

/// Largest relative difference between `analytic` and central finite
/// differences of `loss` over every parameter (entries far below the
/// largest gradient compare against 1e-5 of it).
pub fn gradient_error(
    params: &mut [f64],
    analytic: &[f64],
    mut loss: impl FnMut(&[f64]) -> f64,
) -> f64 {
    let h = 1e-6;
    let top = analytic.iter().fold(0.0f64, |m, g| m.max(g.abs()));
    assert!(top > 1e-6, "a zero gradient proves nothing");
    (0..params.len())
        .map(|i| {
            let keep = params[i];
            params[i] = keep + h;
            let up = loss(params);
            params[i] = keep - h;
            let down = loss(params);
            params[i] = keep;
            let numeric = (up - down) / (2.0 * h);
            (analytic[i] - numeric).abs() / analytic[i].abs().max(numeric.abs()).max(1e-5 * top)
        })
        .fold(0.0, f64::max)
}

/// Index of the toy mode nearest to `x`.
pub fn nearest_mode(x: &[f64]) -> usize {
    (0..8)
        .min_by(|&a, &b| {
            let d = |i: usize| (x[0] - TOY_CENTRES[i][0]).hypot(x[1] - TOY_CENTRES[i][1]);
            d(a).total_cmp(&d(b))
        })
        .unwrap_or(0)
}

/// Mean and standard deviation of each coordinate of 2-D samples.
pub fn moments(samples: &[f64]) -> [(f64, f64); 2] {
    [0, 1].map(|d| {
        let v: Vec<f64> = samples.iter().skip(d).step_by(2).copied().collect();
        let m = v.iter().sum::<f64>() / v.len() as f64;
        let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt();
        (m, sd)
    })
}
