//! [`Real::gemm_strided`] for f32 and f64: the extents checked once, then
//! the kernel that runs the product.

use super::{Real, Then};
use crate::tiled_gemm::Kernel;
use std::cell::Cell;

/// [`Real`] for `$t`, its product checked, then run by `$gemm`; `$extra`
/// are the methods it overrides.
macro_rules! impl_real {
    ($t:ty, $gemm:path $(, $extra:item)*) => {
        impl Real for $t {
            $($extra)*

            fn gemm_strided(
                m: usize,
                k: usize,
                n: usize,
                alpha: Self,
                a: &[Self],
                a_strides: (isize, isize),
                b: &[Self],
                b_strides: (isize, isize),
                beta: Self,
                c: &mut [Self],
                c_strides: (isize, isize),
                then: Then<Self>,
            ) {
                check_extent(a.len(), m, k, a_strides);
                check_extent(b.len(), k, n, b_strides);
                check_extent(c.len(), m, n, c_strides);
                if m == 0 || n == 0 {
                    return;
                }
                $gemm(m, k, n, alpha, a, a_strides, b, b_strides, beta, c, c_strides, then)
            }
        }
    };
}

/// `matrixmultiply`'s kernel on slices whose extents were checked, then
/// the epilogue as a pass of its own.
macro_rules! packed_gemm {
    ($name:ident, $t:ty, $kernel:path) => {
        #[allow(clippy::too_many_arguments)]
        fn $name(
            m: usize,
            k: usize,
            n: usize,
            alpha: $t,
            a: &[$t],
            a_strides: (isize, isize),
            b: &[$t],
            b_strides: (isize, isize),
            beta: $t,
            c: &mut [$t],
            c_strides: (isize, isize),
            then: Then<$t>,
        ) {
            // `then` runs as a pass after the product (the tiled kernel,
            // which fuses it, checks it itself).
            then.check(m, n, alpha, beta);
            assert!(
                matches!(then, Then::Nothing) || c_strides == (n as isize, 1),
                "an epilogue needs a row-major c"
            );
            // SAFETY: the caller checked that every index the kernel reads
            // or writes is inside the three slices, and `c` is borrowed
            // mutably so it aliases neither `a` nor `b`.
            unsafe {
                $kernel(
                    m,
                    k,
                    n,
                    alpha,
                    a.as_ptr(),
                    a_strides.0,
                    a_strides.1,
                    b.as_ptr(),
                    b_strides.0,
                    b_strides.1,
                    beta,
                    c.as_mut_ptr(),
                    c_strides.0,
                    c_strides.1,
                )
            }
            then.apply(&mut c[..m * n], n);
        }
    };
}

packed_gemm!(packed_sgemm, f32, matrixmultiply::sgemm);
packed_gemm!(packed_dgemm, f64, matrixmultiply::dgemm);

/// Widest product (columns of `c`) that the host runs with the tiled
/// kernel; wider ones go to `matrixmultiply`, whose packing pays off there.
#[cfg(target_arch = "x86_64")]
const TILED_MAX_COLS: usize = 32;

thread_local! {
    /// Whether this thread's f32 products run as the wasm build runs them
    /// (see [`with_browser_arithmetic`]).
    pub(super) static BROWSER_ARITHMETIC: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with every f32 product of this thread on the lanes the wasm
/// build uses ([`Kernel::Default`]), so that a native run computes what
/// the page computes for the same link, bit for bit (slower than the
/// host's own kernels). Per thread, so that tests running side by side
/// keep their own arithmetic.
pub fn with_browser_arithmetic<R>(f: impl FnOnce() -> R) -> R {
    /// Puts the previous setting back, also when `f` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            BROWSER_ARITHMETIC.set(self.0);
        }
    }
    let _restore = Restore(BROWSER_ARITHMETIC.replace(true));
    f()
}

/// The tiled kernel of [`crate::tiled_gemm`] for a product `n` columns
/// wide, where it is the faster one: always in wasm (and in
/// [`with_browser_arithmetic`]); natively its AVX2 + FMA version for
/// products up to [`TILED_MAX_COLS`] wide, on hosts that have those.
/// None: `matrixmultiply`.
fn tiled_kernel(n: usize) -> Option<Kernel> {
    if cfg!(target_arch = "wasm32") || BROWSER_ARITHMETIC.get() {
        return Some(Kernel::Default);
    }
    #[cfg(target_arch = "x86_64")]
    if n <= TILED_MAX_COLS {
        return Kernel::avx2();
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = n; // the width matters only where a host kernel exists
    None
}

/// f32 products: [`tiled_kernel`] where it applies (and `c` has
/// contiguous rows), `matrixmultiply` for the rest.
#[allow(clippy::too_many_arguments)]
fn sgemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: &[f32],
    a_strides: (isize, isize),
    b: &[f32],
    b_strides: (isize, isize),
    beta: f32,
    c: &mut [f32],
    c_strides: (isize, isize),
    then: Then<f32>,
) {
    if let Some(kernel) = tiled_kernel(n).filter(|_| c_strides == (n as isize, 1)) {
        let us = |s: (isize, isize)| (s.0 as usize, s.1 as usize);
        crate::tiled_gemm::sgemm(
            kernel,
            m,
            k,
            n,
            alpha,
            a,
            us(a_strides),
            b,
            us(b_strides),
            beta,
            c,
            then,
        );
    } else {
        packed_sgemm(
            m, k, n, alpha, a, a_strides, b, b_strides, beta, c, c_strides, then,
        );
    }
}

impl_real!(
    f32,
    sgemm,
    #[inline(always)]
    fn scale_exp(self) -> Self {
        crate::approx::exp_f32(self)
    },
    #[inline(always)]
    fn clamp_atan(self) -> Self {
        crate::approx::atan_f32(self)
    }
);
impl_real!(f64, packed_dgemm);

/// Panics unless a `rows x cols` matrix with non-negative `strides` fits in
/// `len` elements.
fn check_extent(len: usize, rows: usize, cols: usize, strides: (isize, isize)) {
    assert!(strides.0 >= 0 && strides.1 >= 0, "negative stride");
    if rows == 0 || cols == 0 {
        return;
    }
    let last = (rows - 1) * strides.0 as usize + (cols - 1) * strides.1 as usize;
    assert!(last < len, "matrix of {rows}x{cols} does not fit in {len}");
}
