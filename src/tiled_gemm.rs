//! An f32 matrix product written for the small, skinny matrices of this
//! network (a batch of a few hundred rows times layers of 8 to 512 units),
//! on 4-lane vectors: wasm simd128 in the browser, plain arrays elsewhere.
//!
//! `matrixmultiply` packs both operands into panels on every call and then
//! runs a general kernel. At these sizes the packing and the partial edge
//! tiles cost as much as the arithmetic, so in wasm this kernel replaces it:
//! no packing, 4 x 8 register tiles, and the left operand read with any
//! strides (which covers `a^T * b` for free). A right operand that is given
//! transposed is copied into row-major order first (it is a weight matrix,
//! `k x n`: small next to the `m x k x n` product).
//!
//! Natively the portable lanes below run the very same tiling, so that the
//! host tests check the code the browser runs.

use std::cell::RefCell;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::{f32x4_add, f32x4_mul, f32x4_splat, v128, v128_load, v128_store};

    /// Four f32 lanes.
    pub type V = v128;

    #[inline(always)]
    pub fn zero() -> V {
        f32x4_splat(0.0)
    }

    #[inline(always)]
    pub fn splat(x: f32) -> V {
        f32x4_splat(x)
    }

    /// # Safety
    /// `p..p + 4` must be readable.
    #[inline(always)]
    pub unsafe fn load(p: *const f32) -> V {
        v128_load(p as *const v128)
    }

    /// # Safety
    /// `p..p + 4` must be writable.
    #[inline(always)]
    pub unsafe fn store(p: *mut f32, v: V) {
        v128_store(p as *mut v128, v)
    }

    /// `acc + a * b`.
    #[inline(always)]
    pub fn mul_add(acc: V, a: V, b: V) -> V {
        f32x4_add(acc, f32x4_mul(a, b))
    }

    #[inline(always)]
    pub fn mul(a: V, b: V) -> V {
        f32x4_mul(a, b)
    }

    #[inline(always)]
    pub fn add(a: V, b: V) -> V {
        f32x4_add(a, b)
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod lanes {
    /// Four f32 lanes.
    pub type V = [f32; 4];

    #[inline(always)]
    pub fn zero() -> V {
        [0.0; 4]
    }

    #[inline(always)]
    pub fn splat(x: f32) -> V {
        [x; 4]
    }

    /// # Safety
    /// `p..p + 4` must be readable.
    #[inline(always)]
    pub unsafe fn load(p: *const f32) -> V {
        std::ptr::read_unaligned(p as *const V)
    }

    /// # Safety
    /// `p..p + 4` must be writable.
    #[inline(always)]
    pub unsafe fn store(p: *mut f32, v: V) {
        std::ptr::write_unaligned(p as *mut V, v)
    }

    /// `acc + a * b`, rounded like the wasm version (no fused multiply-add).
    #[inline(always)]
    pub fn mul_add(acc: V, a: V, b: V) -> V {
        std::array::from_fn(|i| acc[i] + a[i] * b[i])
    }

    #[inline(always)]
    pub fn mul(a: V, b: V) -> V {
        std::array::from_fn(|i| a[i] * b[i])
    }

    #[inline(always)]
    pub fn add(a: V, b: V) -> V {
        std::array::from_fn(|i| a[i] + b[i])
    }
}

use lanes::V;

/// Rows of `c` per register tile.
const MR: usize = 4;
/// Vectors of 4 columns per register tile: 4 x 8 keeps 8 accumulators, two
/// row vectors of `b` and one broadcast in registers (wasm engines have 16).
const NV: usize = 2;

thread_local! {
    /// Row-major copy of a right operand that arrived transposed.
    static TRANSPOSED: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// `c = alpha * a * b + beta * c` for `a` (`m x k`, element `(i, l)` at
/// `i * a_strides.0 + l * a_strides.1`), `b` (`k x n`, any strides) and a
/// row-major `c` (`m x n`, contiguous rows). With `beta == 0`, `c` is not
/// read, as in BLAS. Panics if an operand does not fit its slice.
#[allow(clippy::too_many_arguments)]
pub fn sgemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: &[f32],
    a_strides: (usize, usize),
    b: &[f32],
    b_strides: (usize, usize),
    beta: f32,
    c: &mut [f32],
) {
    if m == 0 || n == 0 {
        return;
    }
    assert!(c.len() >= m * n, "c of {m}x{n} does not fit in {}", c.len());
    if k > 0 {
        let last_a = (m - 1) * a_strides.0 + (k - 1) * a_strides.1;
        let last_b = (k - 1) * b_strides.0 + (n - 1) * b_strides.1;
        assert!(last_a < a.len(), "a of {m}x{k} does not fit in {}", a.len());
        assert!(last_b < b.len(), "b of {k}x{n} does not fit in {}", b.len());
    }
    if b_strides.1 == 1 || k == 0 {
        product(m, k, n, alpha, a, a_strides, b, b_strides.0, beta, c);
        return;
    }
    TRANSPOSED.with(|t| {
        let mut t = t.borrow_mut();
        if t.len() < k * n {
            t.resize(k * n, 0.0);
        }
        for l in 0..k {
            for j in 0..n {
                t[l * n + j] = b[l * b_strides.0 + j * b_strides.1];
            }
        }
        product(m, k, n, alpha, a, a_strides, &t, n, beta, c);
    });
}

/// The product with `b` row-major (row stride `ldb`); extents are checked.
#[allow(clippy::too_many_arguments)]
fn product(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: &[f32],
    a_strides: (usize, usize),
    b: &[f32],
    ldb: usize,
    beta: f32,
    c: &mut [f32],
) {
    let op = Operands {
        k,
        n,
        alpha,
        beta,
        a: a.as_ptr(),
        a_strides,
        b: b.as_ptr(),
        ldb,
        c: c.as_mut_ptr(),
    };
    let full_rows = m - m % MR;
    let wide = n - n % (4 * NV);
    let narrow = n - n % 4;
    // SAFETY: `sgemm` checked that every `(i, l)` of `a`, `(l, j)` of `b` and
    // `(i, j)` of `c` with `i < m`, `l < k`, `j < n` is inside its slice, and
    // the tiles below stay within those bounds; `c` is a unique borrow.
    unsafe {
        for i in (0..full_rows).step_by(MR) {
            for j in (0..wide).step_by(4 * NV) {
                op.tile::<MR, NV>(i, j);
            }
            for j in (wide..narrow).step_by(4) {
                op.tile::<MR, 1>(i, j);
            }
            for j in narrow..n {
                op.column::<MR>(i, j);
            }
        }
        for i in full_rows..m {
            for j in (0..wide).step_by(4 * NV) {
                op.tile::<1, NV>(i, j);
            }
            for j in (wide..narrow).step_by(4) {
                op.tile::<1, 1>(i, j);
            }
            for j in narrow..n {
                op.column::<1>(i, j);
            }
        }
    }
}

/// Raw views of the three operands of one product.
struct Operands {
    k: usize,
    n: usize,
    alpha: f32,
    beta: f32,
    a: *const f32,
    a_strides: (usize, usize),
    b: *const f32,
    ldb: usize,
    c: *mut f32,
}

impl Operands {
    /// `R x 4C` block of `c` at `(i, j)`, kept in registers over all of `k`.
    ///
    /// # Safety
    /// Rows `i..i + R` and columns `j..j + 4C` must be inside the product.
    #[inline(always)]
    unsafe fn tile<const R: usize, const C: usize>(&self, i: usize, j: usize) {
        let mut acc = [[lanes::zero(); C]; R];
        let (sa0, sa1) = self.a_strides;
        for l in 0..self.k {
            let b_row = self.b.add(l * self.ldb + j);
            let bv: [V; C] = std::array::from_fn(|v| lanes::load(b_row.add(4 * v)));
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let av = lanes::splat(*self.a.add((i + r) * sa0 + l * sa1));
                for (acc_rv, b) in acc_r.iter_mut().zip(&bv) {
                    *acc_rv = lanes::mul_add(*acc_rv, av, *b);
                }
            }
        }
        let alpha = lanes::splat(self.alpha);
        for (r, acc_r) in acc.iter().enumerate() {
            let c_row = self.c.add((i + r) * self.n + j);
            for (v, acc_rv) in acc_r.iter().enumerate() {
                let mut out = lanes::mul(alpha, *acc_rv);
                if self.beta != 0.0 {
                    let old = lanes::load(c_row.add(4 * v));
                    out = lanes::add(out, lanes::mul(lanes::splat(self.beta), old));
                }
                lanes::store(c_row.add(4 * v), out);
            }
        }
    }

    /// One column `j` of rows `i..i + R`, for widths that are not a
    /// multiple of 4.
    ///
    /// # Safety
    /// As for [`Operands::tile`].
    #[inline(always)]
    unsafe fn column<const R: usize>(&self, i: usize, j: usize) {
        let mut acc = [0.0f32; R];
        let (sa0, sa1) = self.a_strides;
        for l in 0..self.k {
            let bv = *self.b.add(l * self.ldb + j);
            for (r, acc_r) in acc.iter_mut().enumerate() {
                *acc_r += *self.a.add((i + r) * sa0 + l * sa1) * bv;
            }
        }
        for (r, acc_r) in acc.iter().enumerate() {
            let p = self.c.add((i + r) * self.n + j);
            *p = if self.beta != 0.0 {
                self.alpha * acc_r + self.beta * *p
            } else {
                self.alpha * acc_r
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `alpha * a * b + beta * c` in f64 with explicit strides.
    #[allow(clippy::too_many_arguments)]
    fn naive(
        (m, k, n): (usize, usize, usize),
        alpha: f32,
        a: &[f32],
        sa: (usize, usize),
        b: &[f32],
        sb: (usize, usize),
        beta: f32,
        c: &[f32],
    ) -> Vec<f64> {
        (0..m * n)
            .map(|ij| {
                let (i, j) = (ij / n, ij % n);
                let dot: f64 = (0..k)
                    .map(|l| a[i * sa.0 + l * sa.1] as f64 * b[l * sb.0 + j * sb.1] as f64)
                    .sum();
                alpha as f64 * dot + beta as f64 * c[ij] as f64
            })
            .collect()
    }

    fn values(len: usize, seed: f32) -> Vec<f32> {
        (0..len)
            .map(|i| ((i as f32 + seed) * 0.618).sin())
            .collect()
    }

    #[test]
    fn every_shape_and_layout_matches_the_naive_product() {
        let mut checked = 0;
        for m in [1, 3, 4, 5, 9, 17] {
            for k in [0, 1, 2, 7, 8, 33] {
                for n in [1, 2, 3, 4, 5, 8, 9, 12, 13, 16, 17, 30] {
                    let a = values(m * k, 1.0);
                    let b = values(k * n, 2.0);
                    let c0 = values(m * n, 3.0);
                    // a row-major or transposed; b row-major or transposed.
                    for (sa, sb) in [
                        ((k, 1), (n, 1)),
                        ((1, m), (n, 1)),
                        ((k, 1), (1, k)),
                        ((1, m), (1, k)),
                    ] {
                        for (alpha, beta) in [(1.0, 0.0), (1.0, 1.0), (-0.5, 2.0)] {
                            let mut c = c0.clone();
                            if beta == 0.0 {
                                c.fill(f32::NAN); // must not be read
                            }
                            sgemm(m, k, n, alpha, &a, sa, &b, sb, beta, &mut c);
                            let want = naive((m, k, n), alpha, &a, sa, &b, sb, beta, &c0);
                            for (got, want) in c.iter().zip(&want) {
                                assert!(
                                    (*got as f64 - want).abs() <= 1e-5 * (1.0 + want.abs()),
                                    "{m}x{k}x{n} {sa:?} {sb:?} alpha {alpha} beta {beta}: {got} vs {want}"
                                );
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 6 * 6 * 12 * 4 * 3);
    }

    #[test]
    fn an_operand_too_small_for_its_shape_panics() {
        let r = std::panic::catch_unwind(|| {
            let mut c = vec![0.0; 4];
            sgemm(
                2,
                3,
                2,
                1.0,
                &[0.0; 5],
                (3, 1),
                &[0.0; 6],
                (2, 1),
                0.0,
                &mut c,
            );
        });
        assert!(r.is_err());
    }
}
