//! The maximum-likelihood objective of the paper's research code: the
//! negative log-density of x under f, with z ~ N(0, I) and the y part and
//! padding Gaussian around their targets with standard deviation `sigma`:
//!   0.5 |z|^2 + |[pad, y] - target|^2 / (2 sigma^2) - log|det J|,
//! averaged over the batch.

use crate::linalg::Real;

/// Value of the objective for `out` (`n x dim`, laid out `[z, pad, y]` with
/// `ndim_z` latent columns) against `target` (same layout; its z part is
/// ignored). Adds `weight` times the gradients into `grad_out` (`n x dim`)
/// and `grad_logdet` (`n`).
#[allow(clippy::too_many_arguments)]
pub fn max_likelihood<T: Real>(
    out: &[T],
    target: &[T],
    logdet: &[T],
    dim: usize,
    ndim_z: usize,
    sigma: f64,
    weight: T,
    grad_out: &mut [T],
    grad_logdet: &mut [T],
) -> T {
    let n = logdet.len();
    let nf = T::of(n as f64);
    let inv_var = T::of(1.0 / (sigma * sigma));
    let half = T::of(0.5);
    let mut total = T::zero();
    for i in 0..n {
        let row = i * dim..(i + 1) * dim;
        let (o, t, g) = (&out[row.clone()], &target[row.clone()], &mut grad_out[row]);
        let mut nll = -logdet[i];
        for j in 0..dim {
            if j < ndim_z {
                nll += half * o[j] * o[j];
                g[j] += weight * o[j] / nf;
            } else {
                let r = o[j] - t[j];
                nll += half * inv_var * r * r;
                g[j] += weight * inv_var * r / nf;
            }
        }
        grad_logdet[i] -= weight / nf;
        total += nll;
    }
    total / nf
}
