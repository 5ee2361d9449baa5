//! The scalar the network is built on, with its strided matrix product.

use super::Then;
use num_traits::{Float, FromPrimitive};
use std::fmt::Debug;
use std::ops::{AddAssign, MulAssign, SubAssign};

/// A floating-point scalar the network can be built on (f32 or f64).
pub trait Real:
    Float + FromPrimitive + Default + Debug + AddAssign + SubAssign + MulAssign + Send + Sync + 'static
{
    /// `c = alpha * a * b + beta * c` with arbitrary strides
    /// (`m x k` times `k x n`), then the epilogue `then` on every value of
    /// `c`: fused into the product where the kernel can
    /// ([`crate::tiled_gemm`] in f32), a pass of its own otherwise, with the
    /// same bits either way.
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
