//! Helpers shared by the numeric tests.
#![allow(dead_code)]

use inn_playground::rng::Rng;

/// Central finite difference of `f` with respect to each entry of `v`.
pub fn numeric_gradient(v: &mut [f64], mut f: impl FnMut(&[f64]) -> f64) -> Vec<f64> {
    let h = 1e-6;
    (0..v.len())
        .map(|i| {
            let keep = v[i];
            v[i] = keep + h;
            let up = f(v);
            v[i] = keep - h;
            let down = f(v);
            v[i] = keep;
            (up - down) / (2.0 * h)
        })
        .collect()
}

/// Denominator floor of the relative error: entries far below the largest
/// gradient are dominated by the finite difference's rounding (the loss is
/// O(100), so rounding is ~1e-8 absolute) and compare against 1e-5 of it.
fn floor(analytic: &[f64]) -> f64 {
    (1e-5 * analytic.iter().fold(0.0f64, |m, g| m.max(g.abs()))).max(1e-7)
}

/// Largest relative error between analytic and numeric gradients.
pub fn max_relative_error(analytic: &[f64], numeric: &[f64]) -> f64 {
    assert_eq!(analytic.len(), numeric.len());
    let f = floor(analytic);
    analytic
        .iter()
        .zip(numeric)
        .map(|(a, n)| (a - n).abs() / a.abs().max(n.abs()).max(f))
        .fold(0.0, f64::max)
}

/// Asserts agreement to 1e-3 and that the gradient is not trivially zero.
pub fn assert_gradients_agree(what: &str, analytic: &[f64], numeric: &[f64]) {
    let err = max_relative_error(analytic, numeric);
    let norm: f64 = analytic.iter().map(|g| g * g).sum::<f64>().sqrt();
    println!("{what}: {} entries, max relative error {err:.2e}, |grad| {norm:.3e}, worst (index, analytic, numeric) {:?}", analytic.len(), worst(analytic, numeric));
    assert!(
        norm > 1e-6,
        "{what}: gradient is zero, the check proves nothing"
    );
    assert!(err <= 1e-3, "{what}: max relative error {err:.3e} > 1e-3");
}

/// `n` draws of `scale * N(0, 1)`.
pub fn randn(rng: &mut Rng, n: usize, scale: f64) -> Vec<f64> {
    (0..n).map(|_| scale * rng.normal()).collect()
}

/// Index, analytic and numeric value of the worst entry.
pub fn worst(analytic: &[f64], numeric: &[f64]) -> (usize, f64, f64) {
    let f = floor(analytic);
    let i = (0..analytic.len())
        .max_by(|&a, &b| {
            let e = |i: usize| {
                (analytic[i] - numeric[i]).abs() / analytic[i].abs().max(numeric[i].abs()).max(f)
            };
            e(a).total_cmp(&e(b))
        })
        .unwrap_or(0);
    (i, analytic[i], numeric[i])
}
