//! Scalar type and the dense matrix products every layer is built on.
//!
//! Matrices are row-major slices: a batch of `n` vectors of dimension `d` is
//! `n * d` numbers, one sample per row. The products go to `matrixmultiply`
//! (the kernel nalgebra itself uses), called with strides so that transposes
//! cost nothing. The core is generic over `Real` so that training runs in f32
//! while the gradient checks run the very same code in f64.

use crate::tiled_gemm::Kernel;
pub use crate::tiled_gemm::Then;
use num_traits::{Float, FromPrimitive};
use std::cell::Cell;
use std::fmt::Debug;
use std::ops::{AddAssign, MulAssign, SubAssign};

/// A floating-point scalar the network can be built on (f32 or f64).
pub trait Real:
    Float + FromPrimitive + Default + Debug + AddAssign + SubAssign + MulAssign + Send + Sync + 'static
{
    /// `c = alpha * a * b + beta * c` with arbitrary strides
    /// (`m x k` times `k x n`), then `then` on every value of `c`: fused
    /// into the product where the kernel can ([`crate::tiled_gemm`] in
    /// f32), a pass of its own otherwise, with the same bits either way.
    /// A `then` other than [`Then::Nothing`] needs `alpha == 1`,
    /// `beta == 0` and a row-major `c`.
    #[allow(clippy::too_many_arguments)]
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
    );

    /// Converts from f64 (configuration values are f64).
    fn of(v: f64) -> Self {
        Self::from_f64(v).expect("f64 converts to every Real")
    }

    /// e^x for the coupling scales: in f32 an inline polynomial that
    /// vectorises ([`crate::approx`]); in f64 (the gradient checks) the
    /// library function.
    #[inline(always)]
    fn scale_exp(self) -> Self {
        self.exp()
    }

    /// atan for the soft clamp, like [`Real::scale_exp`].
    #[inline(always)]
    fn clamp_atan(self) -> Self {
        self.atan()
    }
}

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
/// the step after it.
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
                "a step after the product needs a row-major c"
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

/// Widest product (columns of `c`) that the host runs with the unpacked
/// kernel; wider ones go to `matrixmultiply`, whose packing pays off there.
#[cfg(target_arch = "x86_64")]
const UNPACKED_MAX_COLS: usize = 32;

thread_local! {
    /// Whether this thread's f32 products run as the wasm build runs them
    /// (see [`with_browser_arithmetic`]).
    static BROWSER_ARITHMETIC: Cell<bool> = const { Cell::new(false) };
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

/// The unpacked kernel of [`crate::tiled_gemm`] for a product `n` columns
/// wide, where it is the faster one: always in wasm (and in
/// [`with_browser_arithmetic`]); natively its AVX2 + FMA version for
/// products up to [`UNPACKED_MAX_COLS`] wide, on hosts that have those.
/// None: `matrixmultiply`.
fn unpacked_kernel(n: usize) -> Option<Kernel> {
    if cfg!(target_arch = "wasm32") || BROWSER_ARITHMETIC.get() {
        return Some(Kernel::Default);
    }
    #[cfg(target_arch = "x86_64")]
    if n <= UNPACKED_MAX_COLS {
        return Kernel::avx2();
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = n; // the width matters only where a host kernel exists
    None
}

/// f32 products: [`unpacked_kernel`] where it applies (and `c` has
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
    if let Some(kernel) = unpacked_kernel(n).filter(|_| c_strides == (n as isize, 1)) {
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

/// `c = a * b + beta * c`; `a` is `m x k`, `b` is `k x n`, row-major.
pub fn gemm_nn<T: Real>(m: usize, k: usize, n: usize, a: &[T], b: &[T], beta: T, c: &mut [T]) {
    let (k_, n_) = (k as isize, n as isize);
    T::gemm_strided(
        m,
        k,
        n,
        T::one(),
        a,
        (k_, 1),
        b,
        (n_, 1),
        beta,
        c,
        (n_, 1),
        Then::Nothing,
    );
}

/// `c = a * b^T + beta * c`; `a` is `m x k`, `b` is `n x k`, row-major.
pub fn gemm_nt<T: Real>(m: usize, k: usize, n: usize, a: &[T], b: &[T], beta: T, c: &mut [T]) {
    let (k_, n_) = (k as isize, n as isize);
    T::gemm_strided(
        m,
        k,
        n,
        T::one(),
        a,
        (k_, 1),
        b,
        (1, k_),
        beta,
        c,
        (n_, 1),
        Then::Nothing,
    );
}

/// `c = a * b` then `then` on each value ([`Real::gemm_strided`]); `a` is
/// `m x k`, `b` is `k x n`, row-major.
pub fn gemm_nn_then<T: Real>(
    m: usize,
    k: usize,
    n: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    then: Then<T>,
) {
    product_then((m, k, n), a, (k as isize, 1), b, (n as isize, 1), c, then);
}

/// `c = a * b^T` then `then` on each value; `a` is `m x k`, `b` is `n x k`,
/// row-major.
pub fn gemm_nt_then<T: Real>(
    m: usize,
    k: usize,
    n: usize,
    a: &[T],
    b: &[T],
    c: &mut [T],
    then: Then<T>,
) {
    product_then((m, k, n), a, (k as isize, 1), b, (1, k as isize), c, then);
}

/// `c = a * b` into a row-major `c`, then `then` on each value.
fn product_then<T: Real>(
    (m, k, n): (usize, usize, usize),
    a: &[T],
    a_strides: (isize, isize),
    b: &[T],
    b_strides: (isize, isize),
    c: &mut [T],
    then: Then<T>,
) {
    let (one, zero, c_strides) = (T::one(), T::zero(), (n as isize, 1));
    T::gemm_strided(
        m, k, n, one, a, a_strides, b, b_strides, zero, c, c_strides, then,
    );
}

/// `c = a^T * b + beta * c`; `a` is `k x m`, `b` is `k x n`, row-major.
pub fn gemm_tn<T: Real>(m: usize, k: usize, n: usize, a: &[T], b: &[T], beta: T, c: &mut [T]) {
    let (m_, n_) = (m as isize, n as isize);
    T::gemm_strided(
        m,
        k,
        n,
        T::one(),
        a,
        (1, m_),
        b,
        (n_, 1),
        beta,
        c,
        (n_, 1),
        Then::Nothing,
    );
}

/// Copies columns `from..from + width` of the `rows x cols` matrix `src` into
/// the contiguous `rows x width` matrix `dst`.
pub fn copy_cols<T: Copy>(src: &[T], cols: usize, from: usize, width: usize, dst: &mut [T]) {
    for (d, s) in dst.chunks_exact_mut(width).zip(src.chunks_exact(cols)) {
        d.copy_from_slice(&s[from..from + width]);
    }
}

/// Writes the contiguous `rows x width` matrix `src` into columns
/// `from..from + width` of the `rows x cols` matrix `dst`.
pub fn paste_cols<T: Copy>(src: &[T], width: usize, dst: &mut [T], cols: usize, from: usize) {
    for (s, d) in src.chunks_exact(width).zip(dst.chunks_exact_mut(cols)) {
        d[from..from + width].copy_from_slice(s);
    }
}

/// Resizes a scratch buffer to `len` without shrinking its capacity, so
/// buffers reused step after step allocate only the first time.
pub fn ensure_len<T: Real>(buf: &mut Vec<T>, len: usize) {
    if buf.len() != len {
        buf.resize(len, T::zero());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, k: usize, n: usize, a: &[f64], b: &[f64]) -> Vec<f64> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                for l in 0..k {
                    c[i * n + j] += a[i * k + l] * b[l * n + j];
                }
            }
        }
        c
    }

    fn transpose(rows: usize, cols: usize, a: &[f64]) -> Vec<f64> {
        let mut t = vec![0.0; a.len()];
        for i in 0..rows {
            for j in 0..cols {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        t
    }

    /// A product through [`gemm_nn`] in f32.
    fn product_f32(m: usize, k: usize, n: usize, a: &[f32], b: &[f32]) -> Vec<f32> {
        let mut c = vec![0.0f32; m * n];
        gemm_nn(m, k, n, a, b, 0.0, &mut c);
        c
    }

    #[test]
    fn browser_arithmetic_runs_every_product_on_the_wasm_lanes_then_stops() {
        // 16 columns is one the host's AVX2 kernel would take, 48 one for
        // matrixmultiply: in browser arithmetic both go to the wasm lanes.
        for (m, k, n) in [(37, 19, 16), (21, 64, 48)] {
            let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.11).cos()).collect();
            let mut want = vec![0.0f32; m * n];
            crate::tiled_gemm::sgemm(
                Kernel::Default,
                m,
                k,
                n,
                1.0,
                &a,
                (k, 1),
                &b,
                (n, 1),
                0.0,
                &mut want,
                Then::Nothing,
            );
            let got = with_browser_arithmetic(|| product_f32(m, k, n, &a, &b));
            assert_eq!(got, want, "{m}x{k}x{n}");
            assert!(!BROWSER_ARITHMETIC.get(), "the setting is put back");
            // The host's own kernels agree to rounding (and may be the
            // same bits on a host without AVX2).
            let host = product_f32(m, k, n, &a, &b);
            for (h, w) in host.iter().zip(&want) {
                assert!((h - w).abs() <= 1e-4 * w.abs().max(1.0), "{h} vs {w}");
            }
        }
    }

    #[test]
    fn a_product_with_a_step_after_it_gives_the_bits_of_the_two_apart() {
        // 16 columns run on the unpacked kernel (fused), 48 natively on
        // matrixmultiply (a pass after it); in browser arithmetic both fuse.
        for (m, k, n) in [(37, 19, 16), (21, 64, 48)] {
            let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.11).cos()).collect();
            let bias: Vec<f32> = (0..n).map(|i| (i as f32 * 0.7).sin()).collect();
            let mask: Vec<f32> = (0..m * n).map(|i| (i as f32 * 0.3).cos()).collect();
            for then in [
                Then::AddBias {
                    bias: &bias,
                    relu: true,
                },
                Then::KeepWherePositive(&mask),
            ] {
                let run = || {
                    let mut want = vec![0.0f32; m * n];
                    gemm_nn(m, k, n, &a, &b, 0.0, &mut want);
                    then.apply(&mut want, n);
                    let mut got = vec![0.0f32; m * n];
                    gemm_nn_then(m, k, n, &a, &b, &mut got, then);
                    assert_eq!(got, want, "{m}x{k}x{n} {then:?}");
                    assert!(got.contains(&0.0) && got.iter().any(|v| *v != 0.0));
                };
                run();
                with_browser_arithmetic(run);
            }
        }
    }

    #[test]
    fn products_match_the_naive_triple_loop_in_every_transpose() {
        let (m, k, n) = (7, 5, 3);
        let a: Vec<f64> = (0..m * k).map(|i| (i as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..k * n).map(|i| (i as f64 * 0.11).cos()).collect();
        let want = naive(m, k, n, &a, &b);
        let mut c = vec![1.0; m * n];
        gemm_nn(m, k, n, &a, &b, 0.0, &mut c);
        let bt = transpose(k, n, &b);
        let mut c_nt = vec![0.0; m * n];
        gemm_nt(m, k, n, &a, &bt, 0.0, &mut c_nt);
        let at = transpose(m, k, &a);
        let mut c_tn = vec![2.0; m * n];
        gemm_tn(m, k, n, &at, &b, 1.0, &mut c_tn);
        for i in 0..m * n {
            assert!((c[i] - want[i]).abs() < 1e-12);
            assert!((c_nt[i] - want[i]).abs() < 1e-12);
            assert!((c_tn[i] - 2.0 - want[i]).abs() < 1e-12);
        }
    }

    #[test]
    fn column_copies_round_trip() {
        let src: Vec<f64> = (0..12).map(f64::from).collect();
        let mut mid = vec![0.0; 6];
        copy_cols(&src, 4, 1, 2, &mut mid);
        assert_eq!(mid, vec![1.0, 2.0, 5.0, 6.0, 9.0, 10.0]);
        let mut back = vec![0.0; 12];
        paste_cols(&mid, 2, &mut back, 4, 1);
        assert_eq!(back[1], 1.0);
        assert_eq!(back[10], 10.0);
        assert_eq!(back[0], 0.0);
    }
}
