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
//! Each value of the result can get its epilogue, the operation a layer
//! applies right after the product (bias and ReLU, or the ReLU's mask
//! backward), as it is stored ([`Then`]).
//!
//! The tiling (`tiles.rs`) is written once over a vector type (`lanes.rs`):
//! wasm simd128 in the browser, and plain 4-lane arrays on the host, which
//! compute exactly what the wasm build computes, so that the host tests
//! check the browser's arithmetic. Native training runs an 8-lane AVX2 +
//! FMA version for products up to 32 columns wide (every layer's product in
//! `fast`), where it beats `matrixmultiply`; wider products stay with
//! `matrixmultiply`, whose packing pays off there. docs/kernels.md has the
//! measurements behind these choices.
//!
//! This file is the entry: the product function [`sgemm`], the epilogues
//! ([`Then`]) and the choice of lanes ([`Kernel`]).

mod lanes;
#[cfg(test)]
mod tests;
mod tiles;

#[cfg(target_arch = "x86_64")]
use lanes::Avx2;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
use lanes::Portable;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use lanes::Simd128;
use num_traits::Float;
use std::cell::RefCell;
use tiles::{epilogue_of, Operands};

/// A product's epilogue: what it does to each value of `c` as it stores
/// it. Fused into the product, the pass a layer would otherwise make over
/// its output (bias and ReLU forward, the ReLU's mask backward) costs no
/// second trip through memory. Fused or not, each value gets the same
/// operations, so the result is the same bits.
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
            "a fused epilogue needs alpha 1 and beta 0"
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
    let (epilogue, bias, mask) = epilogue_of(then);
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
            epilogue,
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
