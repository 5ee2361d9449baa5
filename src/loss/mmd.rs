//! Maximum mean discrepancy with the reference's multi-width inverse
//! multiquadratic kernel k(a, b) = sum_h h^2 / (h^2 + |a - b|^2).
//!
//! Estimator: mean(K_xx) + mean(K_yy) - 2 mean(K_xy), biased, diagonal kept
//! (as in the official notebook). Each pair's squared distance is computed
//! once for all kernel widths: summed coordinate by coordinate for points
//! of few dimensions (exact, unlike the notebook's |a|^2 + |b|^2 - 2 a.b),
//! from a matrix product for points of more ([`DIRECT_MAX_DIM`]). The
//! gradient d/dx_i sum_j k(|x_i - b_j|^2) = 2 (x_i sum_j k'_ij -
//! sum_j k'_ij b_j) is accumulated in the same pass: no pair matrix is
//! ever stored.

use crate::linalg::{ensure_len, gemm_nn, Real};

/// Kernel widths h of the official notebook.
pub const MMD_WIDTHS: [f64; 3] = [0.05, 0.2, 0.9];

/// Buffers of one MMD evaluation, reused from step to step.
#[derive(Clone, Debug, Default)]
pub struct MmdScratch<T> {
    /// The second sample set transposed (`d x m`), so that a pass over the
    /// pairs of one row reads each coordinate contiguously (and the dot
    /// products take it as it is).
    b_cols: Vec<T>,
    /// Gradient gathered at the column end of each pair of a set with
    /// itself (`gc x n`, transposed like `b_cols`).
    g_cols: Vec<T>,
    /// Squared norms of the rows of `a` and of `b`, and the dot products of
    /// a group of rows of `a` with every row of `b` (`DOT_ROWS x m`).
    norms_a: Vec<T>,
    norms_b: Vec<T>,
    dots: Vec<T>,
}

/// Most coordinates of points whose distances are summed coordinate by
/// coordinate. Points with more (L_z's [z, y] has 6 to 18 coordinates)
/// take |a|^2 + |b|^2 - 2 a.b from one matrix product per group of rows:
/// the product runs at full vector speed, the per-pair loop then costs the
/// same for any dimension. (The cancellation error, about 1e-7 |a|^2, is
/// far below the narrowest kernel width, h^2 = 0.0025.)
const DIRECT_MAX_DIM: usize = 4;

/// Rows of `a` per group of dot products.
const DOT_ROWS: usize = 32;

/// Partial sums kept per row pass: one 256-bit register of f32, two of
/// simd128. A single running sum would fix the order of the additions and
/// keep the compiler from vectorising.
const LANES: usize = 8;

/// The kernel summed over the widths, and its derivative in d2.
#[inline(always)]
fn kernel<T: Real>(h2: &[T; 3], d2: T) -> (T, T) {
    // One division for the three reciprocals (divisions cost several
    // multiplications each, and this runs for every pair of every batch).
    let (a, b, c) = (h2[0] + d2, h2[1] + d2, h2[2] + d2);
    let ab = a * b;
    let inv = T::one() / (ab * c);
    let (r0, r1, r2) = (b * c * inv, a * c * inv, ab * inv);
    let k = h2[0] * r0 + h2[1] * r1 + h2[2] * r2;
    let dk = -(h2[0] * r0 * r0 + h2[1] * r1 * r1 + h2[2] * r2 * r2);
    (k, dk)
}

/// Most columns the gradient can be taken for (z of the toy is 2-D).
const MAX_GRAD_COLS: usize = 8;

/// Sum of k over all pairs of rows of `a` (`n x d`) and `b` (`m x d`), in
/// one pass over the pairs that computes each distance once for all widths.
/// With `grad = Some((g, gc, factor))`, adds `factor * d/da_i sum_j k(a_i, b_j)`
/// = `factor * 2 sum_j k'_ij (a_i - b_j)` to the first `gc` columns of row i
/// of `g` (`n x gc`).
///
/// `b = None` pairs `a` with itself. k is symmetric, so then each unordered
/// pair is visited once: the sum is `n k(0) + 2 sum_{i<j} k_ij`, and the
/// gradient of row j from pair (i, j) is gathered at the pair's column end
/// (into `g_cols`), giving what the full pass gives with half the pairs.
fn pair_sum<T: Real>(
    a: &[T],
    b: Option<&[T]>,
    d: usize,
    s: &mut MmdScratch<T>,
    grad: Option<(&mut [T], usize, T)>,
) -> T {
    let same = b.is_none();
    let b = b.unwrap_or(a);
    let m = b.len() / d;
    let gc = grad.as_ref().map_or(0, |g| g.1);
    let col_grad = same && gc > 0;
    let by_dots = d > DIRECT_MAX_DIM;
    // Transposed copy of b: column l is b_cols[l * m..(l + 1) * m]. Read for
    // the distances of low-dimensional points, for the gradient columns and
    // as the right operand of the dot products (which would otherwise
    // transpose b again for every group of rows).
    ensure_len(&mut s.b_cols, d * m);
    for (j, row) in b.chunks_exact(d).enumerate() {
        for (l, v) in row.iter().enumerate() {
            s.b_cols[l * m + j] = *v;
        }
    }
    ensure_len(&mut s.g_cols, if col_grad { gc * m } else { 0 });
    s.g_cols.fill(T::zero());
    if by_dots {
        let n = a.len() / d;
        ensure_len(&mut s.norms_a, n);
        ensure_len(&mut s.norms_b, m);
        ensure_len(&mut s.dots, DOT_ROWS.min(n) * m);
        let norm = |row: &[T]| row.iter().fold(T::zero(), |acc, v| acc + *v * *v);
        for (na, row) in s.norms_a.iter_mut().zip(a.chunks_exact(d)) {
            *na = norm(row);
        }
        for (nb, row) in s.norms_b.iter_mut().zip(b.chunks_exact(d)) {
            *nb = norm(row);
        }
    }
    let (cols, g_cols) = (&s.b_cols, &mut s.g_cols);
    let (norms_a, norms_b, dots) = (&s.norms_a, &s.norms_b, &mut s.dots);
    let h2 = MMD_WIDTHS.map(|h| T::of(h * h));
    let two = T::of(2.0);
    let mut grad = grad;
    let mut total = T::zero();
    let mut d2 = [T::zero(); LANES];
    let mut k = [T::zero(); LANES];
    let mut dk = [T::zero(); LANES];
    for (i, ai) in a.chunks_exact(d).enumerate() {
        if by_dots && i % DOT_ROWS == 0 {
            let rows = DOT_ROWS.min(a.len() / d - i);
            gemm_nn(
                rows,
                d,
                m,
                &a[i * d..(i + rows) * d],
                cols,
                T::zero(),
                &mut dots[..rows * m],
            );
        }
        // Row i's dot products with every row of b (used when `by_dots`).
        let dot_row = if by_dots {
            let r = i % DOT_ROWS;
            &dots[r * m..(r + 1) * m]
        } else {
            &[][..]
        };
        let na = if by_dots { norms_a[i] } else { T::zero() };
        let mut acc_k = [T::zero(); LANES];
        let mut acc_dk = [T::zero(); LANES];
        let mut acc_db = [[T::zero(); LANES]; MAX_GRAD_COLS];
        // One pair at a time up to a lane boundary, and after the last.
        let single = |j: usize,
                      g_cols: &mut [T],
                      acc_k: &mut [T; LANES],
                      acc_dk: &mut [T; LANES],
                      acc_db: &mut [[T; LANES]; MAX_GRAD_COLS]| {
            let d2j = if by_dots {
                let v = na + norms_b[j] - two * dot_row[j];
                if v < T::zero() {
                    T::zero()
                } else {
                    v
                }
            } else {
                (0..d).fold(T::zero(), |acc, l| {
                    let diff = ai[l] - cols[l * m + j];
                    acc + diff * diff
                })
            };
            let (kj, dkj) = kernel(&h2, d2j);
            acc_k[0] += kj;
            acc_dk[0] += dkj;
            for (l, acc) in acc_db.iter_mut().enumerate().take(gc) {
                let bl = cols[l * m + j];
                acc[0] += dkj * bl;
                if col_grad {
                    g_cols[l * m + j] += dkj * (bl - ai[l]);
                }
            }
        };
        let mut j = if same { i + 1 } else { 0 };
        while j < m && j % LANES != 0 {
            single(j, g_cols, &mut acc_k, &mut acc_dk, &mut acc_db);
            j += 1;
        }
        let full_end = j + (m - j) / LANES * LANES;
        while j < full_end {
            if by_dots {
                let nb: &[T; LANES] = norms_b[j..j + LANES].try_into().expect("LANES wide");
                let dot: &[T; LANES] = dot_row[j..j + LANES].try_into().expect("LANES wide");
                for lane in 0..LANES {
                    let v = na + nb[lane] - two * dot[lane];
                    // A select, not `max`, so that it vectorises (and
                    // passes a NaN on to the divergence check).
                    d2[lane] = if v < T::zero() { T::zero() } else { v };
                }
            } else {
                d2.fill(T::zero());
                for (l, al) in ai.iter().enumerate() {
                    let col: &[T; LANES] = cols[l * m + j..l * m + j + LANES]
                        .try_into()
                        .expect("LANES wide");
                    for lane in 0..LANES {
                        let diff = *al - col[lane];
                        d2[lane] += diff * diff;
                    }
                }
            }
            kernel_lanes(&h2, &d2, &mut k, &mut dk);
            for lane in 0..LANES {
                acc_k[lane] += k[lane];
                acc_dk[lane] += dk[lane];
            }
            for (l, acc) in acc_db.iter_mut().enumerate().take(gc) {
                let col: &[T; LANES] = cols[l * m + j..l * m + j + LANES]
                    .try_into()
                    .expect("LANES wide");
                for lane in 0..LANES {
                    acc[lane] += dk[lane] * col[lane];
                }
                if col_grad {
                    let gcol: &mut [T; LANES] = (&mut g_cols[l * m + j..l * m + j + LANES])
                        .try_into()
                        .expect("LANES wide");
                    let al = ai[l];
                    for lane in 0..LANES {
                        gcol[lane] += dk[lane] * (col[lane] - al);
                    }
                }
            }
            j += LANES;
        }
        while j < m {
            single(j, g_cols, &mut acc_k, &mut acc_dk, &mut acc_db);
            j += 1;
        }
        total += acc_k.iter().fold(T::zero(), |x, y| x + *y);
        if let Some((g, gcols, factor)) = grad.as_mut() {
            let row_dk = acc_dk.iter().fold(T::zero(), |x, y| x + *y);
            let c = two * *factor;
            for l in 0..gc {
                let weighted = acc_db[l].iter().fold(T::zero(), |x, y| x + *y);
                g[i * *gcols + l] += c * (ai[l] * row_dk - weighted);
            }
        }
    }
    if !same {
        return total;
    }
    if let Some((g, gcols, factor)) = grad.filter(|_| col_grad) {
        let c = two * factor;
        for j in 0..m {
            for l in 0..gc {
                g[j * gcols + l] += c * g_cols[l * m + j];
            }
        }
    }
    T::of(m as f64) * kernel(&h2, T::zero()).0 + two * total
}

/// [`kernel`] on LANES distances at once, written so that it vectorises.
#[inline(always)]
fn kernel_lanes<T: Real>(h2: &[T; 3], d2: &[T; LANES], k: &mut [T; LANES], dk: &mut [T; LANES]) {
    for lane in 0..LANES {
        let (kl, dkl) = kernel(h2, d2[lane]);
        k[lane] = kl;
        dk[lane] = dkl;
    }
}

/// MMD^2 between the rows of `x` (`n x d`) and of `y` (`m x d`). When `grad`
/// is given, adds `weight * dMMD/dx` for the first `grad_cols` columns of
/// each row of `x` (the rest are treated as constants: L_z takes no gradient
/// through the y part); `grad` is `n x grad_cols`.
pub fn mmd_multiscale<T: Real>(
    scratch: &mut MmdScratch<T>,
    x: &[T],
    y: &[T],
    d: usize,
    weight: T,
    grad: Option<(&mut [T], usize)>,
) -> T {
    let (n, m) = (x.len() / d, y.len() / d);
    assert!(n > 0 && m > 0, "MMD of an empty sample");
    assert!(
        grad.as_ref().is_none_or(|g| g.1 <= MAX_GRAD_COLS),
        "MMD gradient for more than {MAX_GRAD_COLS} columns"
    );
    let (nf, mf) = (T::of(n as f64), T::of(m as f64));
    let two = T::of(2.0);
    let mut grad = grad;
    // d/dx_i sum_ab k(x_a, x_b) over ordered pairs is twice the one-sided sum.
    let sxx = pair_sum(
        x,
        None,
        d,
        scratch,
        grad.as_mut()
            .map(|(g, gc)| (&mut **g, *gc, two * weight / (nf * nf))),
    );
    let sxy = pair_sum(
        x,
        Some(y),
        d,
        scratch,
        grad.as_mut()
            .map(|(g, gc)| (&mut **g, *gc, -two * weight / (nf * mf))),
    );
    let syy = pair_sum(y, None, d, scratch, None);
    sxx / (nf * nf) + syy / (mf * mf) - two * sxy / (nf * mf)
}

/// MMD^2 between two sample sets, value only, with its own scratch (for
/// metrics and tests; the trainer keeps its scratch across steps).
pub fn mmd<T: Real>(x: &[T], y: &[T], d: usize) -> T {
    mmd_multiscale(&mut MmdScratch::default(), x, y, d, T::one(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(n: usize, d: usize, seed: f64) -> Vec<f64> {
        (0..n * d).map(|i| (i as f64 * seed).sin() * 1.3).collect()
    }

    /// sum over all pairs of k, straight from the definition.
    fn naive_pair_sum(a: &[f64], b: &[f64], d: usize) -> f64 {
        let mut total = 0.0;
        for ai in a.chunks_exact(d) {
            for bj in b.chunks_exact(d) {
                let d2: f64 = ai.iter().zip(bj).map(|(x, y)| (x - y) * (x - y)).sum();
                total += MMD_WIDTHS.iter().map(|h| h * h / (h * h + d2)).sum::<f64>();
            }
        }
        total
    }

    #[test]
    fn pair_sums_match_the_definition_in_every_dimension_and_row_count() {
        // Dimensions on both sides of DIRECT_MAX_DIM; row counts on both
        // sides of DOT_ROWS and of the lane width.
        for d in [2, 4, 5, 10] {
            for (n, m) in [(1, 3), (9, 17), (33, 40), (70, 65)] {
                let a = points(n, d, 0.731);
                let b = points(m, d, 0.377);
                let mut s = MmdScratch::default();
                let cross = pair_sum(&a, Some(&b), d, &mut s, None);
                let want = naive_pair_sum(&a, &b, d);
                assert!(
                    (cross - want).abs() <= 1e-10 * want,
                    "{n}x{m}x{d}: {cross} vs {want}"
                );
                let own = pair_sum(&a, None, d, &mut s, None);
                let want = naive_pair_sum(&a, &a, d);
                assert!(
                    (own - want).abs() <= 1e-10 * want,
                    "{n}x{d}: {own} vs {want}"
                );
            }
        }
    }

    #[test]
    fn the_symmetric_pass_matches_the_full_pass_in_value_and_gradient() {
        // Sizes around the lane width exercise the head, lanes and tail.
        for (n, d, gc) in [
            (1, 2, 2),
            (7, 3, 2),
            (8, 2, 2),
            (19, 5, 3),
            (40, 8, 4),
            (70, 10, 2),
        ] {
            let a = points(n, d, 0.731);
            let (mut g_full, mut g_sym) = (vec![0.5; n * gc], vec![0.5; n * gc]);
            let mut s = MmdScratch::default();
            let full = pair_sum(&a, Some(&a), d, &mut s, Some((&mut g_full, gc, 0.7)));
            let sym = pair_sum(&a, None, d, &mut s, Some((&mut g_sym, gc, 0.7)));
            assert!(
                (full - sym).abs() <= 1e-12 * full.abs(),
                "{n}x{d}: {full} vs {sym}"
            );
            for (x, y) in g_full.iter().zip(&g_sym) {
                assert!((x - y).abs() <= 1e-10, "{n}x{d}: gradient {x} vs {y}");
            }
            assert_eq!(pair_sum(&a, None, d, &mut s, None), sym);
        }
    }
}
