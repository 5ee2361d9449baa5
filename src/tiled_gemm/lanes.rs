//! The vector types the tiles are written over: wasm simd128 in the
//! browser, four plain lanes that compute the same values on any other
//! machine, and eight AVX2 + FMA lanes for native training.

/// A vector of f32 lanes and the few operations the tiles need.
pub(super) trait Lanes {
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
    /// [`super::Then::relu`] does one value.
    fn relu(v: Self::V) -> Self::V;
    /// Each lane of `v` where `mask` is > 0, else +0 (also where `mask` is
    /// NaN), as [`super::Then::keep_where_positive`] does one value.
    fn keep_where_positive(v: Self::V, mask: Self::V) -> Self::V;
}

/// wasm simd128.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(super) struct Simd128;

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
pub(super) struct Portable;

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
        v.map(super::Then::<f32>::relu)
    }

    #[inline(always)]
    fn keep_where_positive(v: Self::V, mask: Self::V) -> Self::V {
        std::array::from_fn(|i| super::Then::<f32>::keep_where_positive(v[i], mask[i]))
    }
}

/// AVX2 with fused multiply-add, eight lanes: the host's own version, for
/// native training on the small products where `matrixmultiply`'s packing
/// costs as much as the arithmetic. (Its sums round differently from the
/// wasm build's, which [`Portable`] checks.)
#[cfg(target_arch = "x86_64")]
pub(super) struct Avx2;

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
