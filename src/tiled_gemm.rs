//! An f32 matrix product written for the small, skinny matrices of this
//! network (a batch of a few hundred rows times layers of 8 to 512 units).
//!
//! `matrixmultiply` packs both operands into panels on every call and then
//! runs a general kernel. At these sizes the packing and the partial edge
//! tiles cost as much as the arithmetic, so this kernel does without: no
//! packing, register tiles of 4 rows by two vectors, and the left
//! operand read with any strides (which covers `a^T * b` for free). A right
//! operand that is given transposed is copied into row-major order first
//! (it is a weight matrix, `k x n`: small next to the `m x k x n` product).
//! Each value of the result can get the step a layer takes right after the
//! product (bias and ReLU, or the ReLU's mask backward) as it is stored
//! ([`Then`]).
//!
//! The tiling is written once over a `Lanes` vector type: wasm simd128 in
//! the browser, and plain 4-lane arrays on the host, which compute exactly
//! what the wasm build computes, so that the host tests check the browser's
//! arithmetic. Native training runs an 8-lane AVX2 + FMA version for
//! products up to 32 columns wide (every product of `fast`), where it
//! beat `matrixmultiply` in paired bench runs: `fast` 179 / 173 against
//! 168 / 120 steps/s, time to the bar 4.25 / 6.01 against 5.09 / 7.46 s
//! (a 4 x 64 network's 64-wide products stay with `matrixmultiply`; the
//! kernel did not clearly beat it there).

use num_traits::Float;
use std::cell::RefCell;

/// What a product does to each value of `c` as it stores it: the pass a
/// layer would otherwise make over its output right after the product
/// (bias and ReLU forward, the ReLU's mask backward) costs no second trip
/// through memory. Fused or not, each value gets the same operations, so
/// the result is the same bits.
#[derive(Clone, Copy, Debug)]
pub enum Then<'a, T> {
    /// `c` as it is.
    Nothing,
    /// `c[i][j] + bias[j]`, then with `relu` +0 where that is <= 0.
    AddBias { bias: &'a [T], relu: bool },
    /// `c[i][j]` where `mask[i][j] > 0`, else +0 (a ReLU's backward pass,
    /// with the mask its forward output).
    KeepWherePositive(&'a [T]),
}

impl<T: Float> Then<'_, T> {
    /// A ReLU of one value; a NaN passes, so that a divergence shows.
    #[inline(always)]
    pub fn relu(z: T) -> T {
        if z <= T::zero() {
            T::zero()
        } else {
            z
        }
    }

    /// `v` where `mask > 0`, else +0.
    #[inline(always)]
    pub fn keep_where_positive(v: T, mask: T) -> T {
        if mask > T::zero() {
            v
        } else {
            T::zero()
        }
    }

    /// This on every value of the row-major `c` of `n` columns, as its own
    /// pass (for products that do not fuse it).
    pub fn apply(self, c: &mut [T], n: usize) {
        match self {
            Then::Nothing => {}
            Then::AddBias { bias, relu } => {
                for row in c.chunks_exact_mut(n) {
                    for (v, b) in row.iter_mut().zip(bias) {
                        let z = *v + *b;
                        *v = if relu { Self::relu(z) } else { z };
                    }
                }
            }
            Then::KeepWherePositive(mask) => {
                for (v, m) in c.iter_mut().zip(mask) {
                    *v = Self::keep_where_positive(*v, *m);
                }
            }
        }
    }

    /// Panics unless this fits a product of `m x n` with `alpha == 1` and
    /// `beta == 0` (the only one it is defined for).
    pub fn check(&self, m: usize, n: usize, alpha: T, beta: T) {
        if matches!(self, Then::Nothing) {
            return;
        }
        assert!(
            alpha == T::one() && beta == T::zero(),
            "a fused step needs alpha 1 and beta 0"
        );
        match self {
            Then::AddBias { bias, .. } => assert!(bias.len() >= n, "bias of {n} too short"),
            Then::KeepWherePositive(mask) => {
                assert!(mask.len() >= m * n, "mask of {m}x{n} too short")
            }
            Then::Nothing => {}
        }
    }
}

/// A vector of f32 lanes and the few operations the tiles need.
trait Lanes {
    /// Lanes per vector.
    const W: usize;
    type V: Copy;
    fn zero() -> Self::V;
    fn splat(x: f32) -> Self::V;
    /// # Safety
    /// `p..p + W` must be readable.
    unsafe fn load(p: *const f32) -> Self::V;
    /// # Safety
    /// `p..p + W` must be writable.
    unsafe fn store(p: *mut f32, v: Self::V);
    /// `acc + a * b`.
    fn mul_add(acc: Self::V, a: Self::V, b: Self::V) -> Self::V;
    fn mul(a: Self::V, b: Self::V) -> Self::V;
    fn add(a: Self::V, b: Self::V) -> Self::V;
    /// Each lane of `v`, or +0 where it is <= 0 (NaN passes), as
    /// [`Then::relu`] does one value.
    fn relu(v: Self::V) -> Self::V;
    /// Each lane of `v` where `mask` is > 0, else +0 (also where `mask` is
    /// NaN), as [`Then::keep_where_positive`] does one value.
    fn keep_where_positive(v: Self::V, mask: Self::V) -> Self::V;
}

/// wasm simd128.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
struct Simd128;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl Lanes for Simd128 {
    const W: usize = 4;
    type V = core::arch::wasm32::v128;

    #[inline(always)]
    fn zero() -> Self::V {
        core::arch::wasm32::f32x4_splat(0.0)
    }

    #[inline(always)]
    fn splat(x: f32) -> Self::V {
        core::arch::wasm32::f32x4_splat(x)
    }

    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self::V {
        core::arch::wasm32::v128_load(p as *const Self::V)
    }

    #[inline(always)]
    unsafe fn store(p: *mut f32, v: Self::V) {
        core::arch::wasm32::v128_store(p as *mut Self::V, v)
    }

    /// No fused multiply-add: relaxed-simd's would round differently on
    /// different machines, and a seed must give the same run everywhere.
    #[inline(always)]
    fn mul_add(acc: Self::V, a: Self::V, b: Self::V) -> Self::V {
        use core::arch::wasm32::{f32x4_add, f32x4_mul};
        f32x4_add(acc, f32x4_mul(a, b))
    }

    #[inline(always)]
    fn mul(a: Self::V, b: Self::V) -> Self::V {
        core::arch::wasm32::f32x4_mul(a, b)
    }

    #[inline(always)]
    fn add(a: Self::V, b: Self::V) -> Self::V {
        core::arch::wasm32::f32x4_add(a, b)
    }

    #[inline(always)]
    fn relu(v: Self::V) -> Self::V {
        use core::arch::wasm32::{f32x4_le, v128_andnot};
        v128_andnot(v, f32x4_le(v, Self::zero()))
    }

    #[inline(always)]
    fn keep_where_positive(v: Self::V, mask: Self::V) -> Self::V {
        use core::arch::wasm32::{f32x4_gt, v128_and};
        v128_and(v, f32x4_gt(mask, Self::zero()))
    }
}

/// Four lanes as a plain array: the same tiling on any machine, so that
/// the host tests check what the wasm build computes.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
struct Portable;

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
impl Lanes for Portable {
    const W: usize = 4;
    type V = [f32; 4];

    #[inline(always)]
    fn zero() -> Self::V {
        [0.0; 4]
    }

    #[inline(always)]
    fn splat(x: f32) -> Self::V {
        [x; 4]
    }

    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self::V {
        std::ptr::read_unaligned(p as *const Self::V)
    }

    #[inline(always)]
    unsafe fn store(p: *mut f32, v: Self::V) {
        std::ptr::write_unaligned(p as *mut Self::V, v)
    }

    /// Rounded like the wasm version (no fused multiply-add).
    #[inline(always)]
    fn mul_add(acc: Self::V, a: Self::V, b: Self::V) -> Self::V {
        std::array::from_fn(|i| acc[i] + a[i] * b[i])
    }

    #[inline(always)]
    fn mul(a: Self::V, b: Self::V) -> Self::V {
        std::array::from_fn(|i| a[i] * b[i])
    }

    #[inline(always)]
    fn add(a: Self::V, b: Self::V) -> Self::V {
        std::array::from_fn(|i| a[i] + b[i])
    }

    #[inline(always)]
    fn relu(v: Self::V) -> Self::V {
        v.map(Then::<f32>::relu)
    }

    #[inline(always)]
    fn keep_where_positive(v: Self::V, mask: Self::V) -> Self::V {
        std::array::from_fn(|i| Then::<f32>::keep_where_positive(v[i], mask[i]))
    }
}

/// AVX2 with fused multiply-add, eight lanes: the host's own version, for
/// native training on the small products where `matrixmultiply`'s packing
/// costs as much as the arithmetic. (Its sums round differently from the
/// wasm build's, which [`Portable`] checks.)
#[cfg(target_arch = "x86_64")]
struct Avx2;

#[cfg(target_arch = "x86_64")]
impl Lanes for Avx2 {
    const W: usize = 8;
    type V = std::arch::x86_64::__m256;

    // Each method is inlined into `avx2_product`, which enables the
    // features, so that the intrinsics inline there too.
    #[inline(always)]
    fn zero() -> Self::V {
        // SAFETY: only reached through `avx2_product`, on a host with AVX2.
        unsafe { std::arch::x86_64::_mm256_setzero_ps() }
    }

    #[inline(always)]
    fn splat(x: f32) -> Self::V {
        // SAFETY: as for `zero`.
        unsafe { std::arch::x86_64::_mm256_set1_ps(x) }
    }

    #[inline(always)]
    unsafe fn load(p: *const f32) -> Self::V {
        std::arch::x86_64::_mm256_loadu_ps(p)
    }

    #[inline(always)]
    unsafe fn store(p: *mut f32, v: Self::V) {
        std::arch::x86_64::_mm256_storeu_ps(p, v)
    }

    #[inline(always)]
    fn mul_add(acc: Self::V, a: Self::V, b: Self::V) -> Self::V {
        // SAFETY: as for `zero` (the host has FMA too).
        unsafe { std::arch::x86_64::_mm256_fmadd_ps(a, b, acc) }
    }

    #[inline(always)]
    fn mul(a: Self::V, b: Self::V) -> Self::V {
        // SAFETY: as for `zero`.
        unsafe { std::arch::x86_64::_mm256_mul_ps(a, b) }
    }

    #[inline(always)]
    fn add(a: Self::V, b: Self::V) -> Self::V {
        // SAFETY: as for `zero`.
        unsafe { std::arch::x86_64::_mm256_add_ps(a, b) }
    }

    #[inline(always)]
    fn relu(v: Self::V) -> Self::V {
        use std::arch::x86_64::{_mm256_andnot_ps, _mm256_cmp_ps, _CMP_LE_OQ};
        // SAFETY: as for `zero`. LE_OQ is false for NaN, which then passes.
        unsafe { _mm256_andnot_ps(_mm256_cmp_ps::<_CMP_LE_OQ>(v, Self::zero()), v) }
    }

    #[inline(always)]
    fn keep_where_positive(v: Self::V, mask: Self::V) -> Self::V {
        use std::arch::x86_64::{_mm256_and_ps, _mm256_cmp_ps, _CMP_GT_OQ};
        // SAFETY: as for `zero`. GT_OQ is false for NaN.
        unsafe { _mm256_and_ps(_mm256_cmp_ps::<_CMP_GT_OQ>(mask, Self::zero()), v) }
    }
}

/// Rows of `c` per register tile.
const MR: usize = 4;
/// Vectors of columns per register tile: 4 x 2 vectors keeps 8
/// accumulators, two row vectors of `b` and one broadcast in registers
/// (wasm engines have 16). Tiles of 4 x 3, 6 x 2, 8 x 1 and 2 x 4 vectors
/// were slower in Chromium.
const NV: usize = 2;

thread_local! {
    /// Row-major copy of a right operand that arrived transposed.
    static TRANSPOSED: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// Which lanes a product runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// simd128 in wasm, 4-lane arrays elsewhere: what the wasm build computes.
    Default,
    /// AVX2 + FMA (see [`Kernel::avx2`]).
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

impl Kernel {
    /// AVX2 + FMA, if the host has them (the answer is cached after the
    /// first call).
    #[cfg(target_arch = "x86_64")]
    pub fn avx2() -> Option<Kernel> {
        host_has_avx2_fma().then_some(Kernel::Avx2)
    }

    /// The function that runs the tiles with these lanes.
    fn product(self) -> unsafe fn(&Operands) {
        match self {
            Kernel::Default => default_product,
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => {
                assert!(host_has_avx2_fma(), "this host has no AVX2 + FMA");
                avx2_product
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn host_has_avx2_fma() -> bool {
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}

/// `c = alpha * a * b + beta * c` for `a` (`m x k`, element `(i, l)` at
/// `i * a_strides.0 + l * a_strides.1`), `b` (`k x n`, any strides) and a
/// row-major `c` (`m x n`, contiguous rows), on the lanes of `kernel`.
/// With `beta == 0`, `c` is not read, as in BLAS. Each value then gets
/// `then` as it is stored. Panics if an operand does not fit its slice.
#[allow(clippy::too_many_arguments)]
pub fn sgemm(
    kernel: Kernel,
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
    then: Then<f32>,
) {
    if m == 0 || n == 0 {
        return;
    }
    assert!(c.len() >= m * n, "c of {m}x{n} does not fit in {}", c.len());
    then.check(m, n, alpha, beta);
    let (step, bias, mask) = match then {
        Then::Nothing => (PLAIN, std::ptr::null(), std::ptr::null()),
        Then::AddBias { bias, relu } => (
            if relu { BIAS_RELU } else { BIAS },
            bias.as_ptr(),
            std::ptr::null(),
        ),
        Then::KeepWherePositive(mask) => (MASK, std::ptr::null(), mask.as_ptr()),
    };
    if k > 0 {
        let last_a = (m - 1) * a_strides.0 + (k - 1) * a_strides.1;
        let last_b = (k - 1) * b_strides.0 + (n - 1) * b_strides.1;
        assert!(last_a < a.len(), "a of {m}x{k} does not fit in {}", a.len());
        assert!(last_b < b.len(), "b of {k}x{n} does not fit in {}", b.len());
    }
    let product = kernel.product();
    let run = |b: &[f32], ldb: usize, c: &mut [f32]| {
        let op = Operands {
            m,
            k,
            n,
            alpha,
            beta,
            a: a.as_ptr(),
            a_strides,
            b: b.as_ptr(),
            ldb,
            c: c.as_mut_ptr(),
            step,
            bias,
            mask,
        };
        // SAFETY: the extents were checked above (and `b` is either the
        // caller's or a full row-major copy of it); `c` is a unique borrow;
        // `Kernel::product` checked that the host runs `product`.
        unsafe { product(&op) }
    };
    if b_strides.1 == 1 || k == 0 {
        run(b, b_strides.0, c);
        return;
    }
    TRANSPOSED.with(|t| {
        let mut t = t.borrow_mut();
        if t.len() < k * n {
            t.resize(k * n, 0.0);
        }
        // Row by row of the copy, each read as a strided walk of `b` (no
        // index to check per value); a column stride of 0 repeats a value.
        for (l, row) in t[..k * n].chunks_exact_mut(n).enumerate() {
            let from = &b[l * b_strides.0..];
            match b_strides.1 {
                0 => row.fill(from[0]),
                stride => {
                    for (v, x) in row.iter_mut().zip(from.iter().step_by(stride)) {
                        *v = *x;
                    }
                }
            }
        }
        run(&t, n, c);
    });
}

/// The tiles of one product with this build's default lanes.
///
/// # Safety
/// As for [`Operands::product`].
unsafe fn default_product(op: &Operands) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    op.product::<Simd128>();
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    op.product::<Portable>();
}

/// The tiles of one product in AVX2 + FMA.
///
/// # Safety
/// As for [`Operands::product`], on a host with AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn avx2_product(op: &Operands) {
    op.product::<Avx2>();
}

/// The step after the product that a copy of the tiles makes
/// ([`Then`]), as a constant so that each copy is compiled for its own.
const PLAIN: u8 = 0;
const BIAS: u8 = 1;
const BIAS_RELU: u8 = 2;
const MASK: u8 = 3;

/// Raw views of the three operands of one product, `b` row-major with row
/// stride `ldb`.
struct Operands {
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    beta: f32,
    a: *const f32,
    a_strides: (usize, usize),
    b: *const f32,
    ldb: usize,
    c: *mut f32,
    /// The step after the product: [`PLAIN`], [`BIAS`], [`BIAS_RELU`] or
    /// [`MASK`].
    step: u8,
    /// The `n` biases of [`BIAS`] and [`BIAS_RELU`] (else null).
    bias: *const f32,
    /// The `m x n` row-major mask of [`MASK`] (else null): see
    /// [`Then::KeepWherePositive`].
    mask: *const f32,
}

impl Operands {
    /// Every tile of `c`: full `MR x NV` vector tiles, then narrower ones
    /// and single columns at the right edge, single rows at the bottom.
    ///
    /// # Safety
    /// Every `(i, l)` of `a`, `(l, j)` of `b` and `(i, j)` of `c` with
    /// `i < m`, `l < k`, `j < n` is inside its buffer, and `c` aliases
    /// neither `a` nor `b`.
    #[inline(always)]
    unsafe fn product<L: Lanes>(&self) {
        // One copy of the tiles per step after the product, so that the
        // plain product's inner loops stay as they were (a test of the
        // step at every store slowed them in Chromium).
        match self.step {
            BIAS_RELU => self.tiles::<L, BIAS_RELU>(),
            BIAS => self.tiles::<L, BIAS>(),
            MASK => self.tiles::<L, MASK>(),
            _ => self.tiles::<L, PLAIN>(),
        }
    }

    /// Every tile, with step `E` after the product.
    ///
    /// # Safety
    /// As for [`Operands::product`].
    #[inline(always)]
    unsafe fn tiles<L: Lanes, const E: u8>(&self) {
        let (m, n, w) = (self.m, self.n, L::W);
        let full_rows = m - m % MR;
        let wide = n - n % (w * NV);
        let narrow = n - n % w;
        for i in (0..full_rows).step_by(MR) {
            for j in (0..wide).step_by(w * NV) {
                self.tile::<L, MR, NV, E>(i, j);
            }
            for j in (wide..narrow).step_by(w) {
                self.tile::<L, MR, 1, E>(i, j);
            }
            for j in narrow..n {
                self.column::<MR, E>(i, j);
            }
        }
        for i in full_rows..m {
            for j in (0..wide).step_by(w * NV) {
                self.tile::<L, 1, NV, E>(i, j);
            }
            for j in (wide..narrow).step_by(w) {
                self.tile::<L, 1, 1, E>(i, j);
            }
            for j in narrow..n {
                self.column::<1, E>(i, j);
            }
        }
    }

    /// `R x C` vectors of `c` at `(i, j)`, kept in registers over all of `k`.
    ///
    /// # Safety
    /// Rows `i..i + R` and columns `j..j + C * W` must be inside the product.
    #[inline(always)]
    unsafe fn tile<L: Lanes, const R: usize, const C: usize, const E: u8>(
        &self,
        i: usize,
        j: usize,
    ) {
        let mut acc = [[L::zero(); C]; R];
        let (sa0, sa1) = self.a_strides;
        for l in 0..self.k {
            let b_row = self.b.add(l * self.ldb + j);
            let bv: [L::V; C] = std::array::from_fn(|v| L::load(b_row.add(L::W * v)));
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let av = L::splat(*self.a.add((i + r) * sa0 + l * sa1));
                for (acc_rv, b) in acc_r.iter_mut().zip(&bv) {
                    *acc_rv = L::mul_add(*acc_rv, av, *b);
                }
            }
        }
        // alpha = 1 with beta = 0 or 1 is every product of the network:
        // no multiplications then (with k = 8 they would be 5% of a tile).
        let (alpha, beta) = (L::splat(self.alpha), L::splat(self.beta));
        for (r, acc_r) in acc.iter().enumerate() {
            let c_row = self.c.add((i + r) * self.n + j);
            for (v, acc_rv) in acc_r.iter().enumerate() {
                let mut out = if self.alpha == 1.0 {
                    *acc_rv
                } else {
                    L::mul(alpha, *acc_rv)
                };
                if self.beta != 0.0 {
                    let old = L::load(c_row.add(L::W * v));
                    out = L::add(
                        out,
                        if self.beta == 1.0 {
                            old
                        } else {
                            L::mul(beta, old)
                        },
                    );
                }
                let col = j + L::W * v;
                if E == BIAS || E == BIAS_RELU {
                    out = L::add(out, L::load(self.bias.add(col)));
                    if E == BIAS_RELU {
                        out = L::relu(out);
                    }
                }
                if E == MASK {
                    let mask = L::load(self.mask.add((i + r) * self.n + col));
                    out = L::keep_where_positive(out, mask);
                }
                L::store(c_row.add(L::W * v), out);
            }
        }
    }

    /// One column `j` of rows `i..i + R`, for widths that are not a
    /// multiple of the lanes.
    ///
    /// # Safety
    /// As for [`Operands::tile`].
    #[inline(always)]
    unsafe fn column<const R: usize, const E: u8>(&self, i: usize, j: usize) {
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
            let mut out = if self.beta != 0.0 {
                self.alpha * acc_r + self.beta * *p
            } else {
                self.alpha * acc_r
            };
            if E == BIAS || E == BIAS_RELU {
                out += *self.bias.add(j);
                if E == BIAS_RELU {
                    out = Then::relu(out);
                }
            }
            if E == MASK {
                out = Then::keep_where_positive(out, *self.mask.add((i + r) * self.n + j));
            }
            *p = out;
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

    /// The kernels to check: this build's default, and AVX2 + FMA where the
    /// host has them.
    fn kernels() -> Vec<Kernel> {
        #[allow(unused_mut)]
        let mut k = vec![Kernel::Default];
        #[cfg(target_arch = "x86_64")]
        k.extend(Kernel::avx2());
        k
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
                for n in [1, 2, 3, 4, 5, 8, 9, 12, 13, 16, 17, 30, 33] {
                    let a = values(m * k, 1.0);
                    let b = values(k * n, 2.0);
                    let c0 = values(m * n, 3.0);
                    // a row-major or transposed; b row-major, transposed
                    // or one column repeated (column stride 0).
                    for (sa, sb) in [
                        ((k, 1), (n, 1)),
                        ((1, m), (n, 1)),
                        ((k, 1), (1, k)),
                        ((1, m), (1, k)),
                        ((k, 1), (1, 0)),
                    ] {
                        for ((alpha, beta), kernel) in [(1.0, 0.0), (1.0, 1.0), (-0.5, 2.0)]
                            .into_iter()
                            .flat_map(|ab| kernels().into_iter().map(move |kernel| (ab, kernel)))
                        {
                            let mut c = c0.clone();
                            if beta == 0.0 {
                                c.fill(f32::NAN); // must not be read
                            }
                            sgemm(
                                kernel,
                                m,
                                k,
                                n,
                                alpha,
                                &a,
                                sa,
                                &b,
                                sb,
                                beta,
                                &mut c,
                                Then::Nothing,
                            );
                            let want = naive((m, k, n), alpha, &a, sa, &b, sb, beta, &c0);
                            for (got, want) in c.iter().zip(&want) {
                                assert!(
                                    (*got as f64 - want).abs() <= 1e-5 * (1.0 + want.abs()),
                                    "{kernel:?} {m}x{k}x{n} {sa:?} {sb:?} alpha {alpha} beta {beta}: {got} vs {want}"
                                );
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 6 * 6 * 13 * 5 * 3 * kernels().len());
    }

    #[test]
    fn a_fused_step_gives_the_bits_of_the_product_then_its_own_pass() {
        let mut checked = 0;
        for m in [1, 4, 5, 9] {
            for k in [1, 8, 33] {
                for n in [1, 3, 4, 8, 13, 16, 32, 33] {
                    let a = values(m * k, 1.0);
                    let b = values(k * n, 2.0);
                    // Values around zero, exact zeros of both signs and a
                    // NaN, where a select could differ from the scalar rule.
                    let mut bias: Vec<f32> = values(n, 4.0).iter().map(|v| v * 1.5).collect();
                    bias[0] = f32::NAN;
                    let mut mask = values(m * n, 5.0);
                    mask[0] = -0.0;
                    if m * n > 2 {
                        mask[1] = f32::NAN;
                        mask[2] = 0.0;
                    }
                    let thens = [
                        Then::AddBias {
                            bias: &bias,
                            relu: true,
                        },
                        Then::AddBias {
                            bias: &bias,
                            relu: false,
                        },
                        Then::KeepWherePositive(&mask),
                    ];
                    for (then, kernel) in thens
                        .into_iter()
                        .flat_map(|t| kernels().into_iter().map(move |kernel| (t, kernel)))
                    {
                        for (sa, sb) in [((k, 1), (n, 1)), ((1, m), (1, k))] {
                            let mut want = vec![0.0; m * n];
                            sgemm(
                                kernel,
                                m,
                                k,
                                n,
                                1.0,
                                &a,
                                sa,
                                &b,
                                sb,
                                0.0,
                                &mut want,
                                Then::Nothing,
                            );
                            then.apply(&mut want, n);
                            let mut got = vec![f32::NAN; m * n];
                            sgemm(kernel, m, k, n, 1.0, &a, sa, &b, sb, 0.0, &mut got, then);
                            let bits =
                                |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                            assert_eq!(bits(&got), bits(&want), "{kernel:?} {m}x{k}x{n} {then:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 4 * 3 * 8 * 3 * 2 * kernels().len());
        // Both rules as the MLP applies them, value by value.
        assert_eq!(Then::relu(-0.5f32).to_bits(), 0.0f32.to_bits());
        assert_eq!(Then::relu(-0.0f32).to_bits(), 0.0f32.to_bits());
        assert!(Then::relu(f32::NAN).is_nan());
        assert_eq!(Then::keep_where_positive(3.0f32, f32::NAN), 0.0);
        assert_eq!(Then::keep_where_positive(3.0f32, 1e-30), 3.0);
    }

    #[test]
    fn a_fused_step_refuses_a_scaled_product() {
        let r = std::panic::catch_unwind(|| {
            let mut c = vec![0.0; 4];
            let bias = [0.0; 2];
            sgemm(
                Kernel::Default,
                2,
                1,
                2,
                2.0,
                &[1.0; 2],
                (1, 1),
                &[1.0; 2],
                (2, 1),
                0.0,
                &mut c,
                Then::AddBias {
                    bias: &bias,
                    relu: true,
                },
            );
        });
        assert!(r.is_err());
    }

    #[test]
    fn an_operand_too_small_for_its_shape_panics() {
        let r = std::panic::catch_unwind(|| {
            let mut c = vec![0.0; 4];
            sgemm(
                Kernel::Default,
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
                Then::Nothing,
            );
        });
        assert!(r.is_err());
    }
}
