//! Maximum mean discrepancy with the reference's multi-width inverse
//! multiquadratic kernel k(a, b) = sum_h h^2 / (h^2 + |a - b|^2).
//!
//! Estimator: mean(K_xx) + mean(K_yy) - 2 mean(K_xy), biased, diagonal kept
//! (as in the official notebook). All widths share one pairwise distance, so
//! the three kernel matrices cost one pass over the pairs each, never stored.

use crate::linalg::Real;

/// Kernel widths h of the official notebook.
pub const MMD_WIDTHS: [f64; 3] = [0.05, 0.2, 0.9];

/// Kernel value and its derivative with respect to the squared distance.
#[inline(always)]
fn kernel<T: Real>(h2: &[T; 3], d2: T) -> (T, T) {
    let mut k = T::zero();
    let mut dk = T::zero();
    for &h in h2 {
        let r = T::one() / (h + d2);
        k += h * r;
        dk -= h * r * r;
    }
    (k, dk)
}

#[inline(always)]
fn sq_dist<T: Real>(a: &[T], b: &[T]) -> T {
    a.iter()
        .zip(b)
        .fold(T::zero(), |s, (x, y)| s + (*x - *y) * (*x - *y))
}

/// MMD^2 between the rows of `x` (`n x d`) and of `y` (`m x d`). When `grad`
/// is given, adds `weight * dMMD/dx` for the first `grad_cols` columns of
/// each row of `x` (the rest are treated as constants: L_z takes no gradient
/// through the y part); `grad` is `n x grad_cols`.
pub fn mmd_multiscale<T: Real>(
    x: &[T],
    y: &[T],
    d: usize,
    weight: T,
    grad: Option<(&mut [T], usize)>,
) -> T {
    let (n, m) = (x.len() / d, y.len() / d);
    assert!(n > 0 && m > 0, "MMD of an empty sample");
    let h2 = MMD_WIDTHS.map(|h| T::of(h * h));
    let (nf, mf) = (T::of(n as f64), T::of(m as f64));
    let two = T::of(2.0);
    let mut grad = grad;
    // xx: diagonal terms k(0) plus twice the upper triangle.
    let mut sxx = T::zero();
    for i in 0..n {
        let xi = &x[i * d..(i + 1) * d];
        sxx += kernel(&h2, T::zero()).0;
        for j in i + 1..n {
            let xj = &x[j * d..(j + 1) * d];
            let (k, dk) = kernel(&h2, sq_dist(xi, xj));
            sxx += two * k;
            if let Some((g, gc)) = grad.as_mut() {
                // d/dx_i of sum_ab k(|x_a - x_b|^2) over ordered pairs: 4 k' (x_i - x_j)
                let c = weight * T::of(4.0) * dk / (nf * nf);
                for l in 0..*gc {
                    let v = c * (xi[l] - xj[l]);
                    g[i * *gc + l] += v;
                    g[j * *gc + l] -= v;
                }
            }
        }
    }
    let mut syy = T::zero();
    for i in 0..m {
        let yi = &y[i * d..(i + 1) * d];
        syy += kernel(&h2, T::zero()).0;
        for j in i + 1..m {
            syy += two * kernel(&h2, sq_dist(yi, &y[j * d..(j + 1) * d])).0;
        }
    }
    let mut sxy = T::zero();
    for i in 0..n {
        let xi = &x[i * d..(i + 1) * d];
        for j in 0..m {
            let yj = &y[j * d..(j + 1) * d];
            let (k, dk) = kernel(&h2, sq_dist(xi, yj));
            sxy += k;
            if let Some((g, gc)) = grad.as_mut() {
                // -2/(nm) * k' * 2 (x_i - y_j)
                let c = -weight * T::of(4.0) * dk / (nf * mf);
                for l in 0..*gc {
                    g[i * *gc + l] += c * (xi[l] - yj[l]);
                }
            }
        }
    }
    sxx / (nf * nf) + syy / (mf * mf) - two * sxy / (nf * mf)
}
