//! Mean squared error (PyTorch's `MSELoss`) over a range of columns.

use crate::linalg::Real;
use std::ops::Range;

/// `mean((a - b)^2)` over columns `cols` of the `dim`-wide rows of `a` and
/// `b`; adds `weight * d/da` into `grad` (shaped like `a`) when given.
pub fn mse<T: Real>(
    a: &[T],
    b: &[T],
    dim: usize,
    cols: Range<usize>,
    weight: T,
    grad: Option<&mut [T]>,
) -> T {
    assert_eq!(a.len(), b.len(), "mse of different sizes");
    let rows = a.len() / dim;
    let n = T::of((rows * cols.len()).max(1) as f64);
    let mut sum = T::zero();
    let k = weight * T::of(2.0) / n;
    let mut grad = grad;
    for i in 0..rows {
        for j in cols.clone() {
            let r = a[i * dim + j] - b[i * dim + j];
            sum += r * r;
            if let Some(g) = grad.as_mut() {
                g[i * dim + j] += k * r;
            }
        }
    }
    sum / n
}
