//! Invertible building blocks and the network made of them.
//!
//! Sign convention for every [`Invertible`]: `forward` adds log|det J_f(x)|
//! to `logdet`, `inverse` adds log|det J_{f^-1}(y)|, which at y = f(x) is
//! minus the forward value. Both directions have a backward pass, because
//! training backpropagates through f^-1 too (L_x and the reconstruction loss).

mod coupling;
mod net;
mod permute;

pub use coupling::{BlockTrace, CouplingBlock, CouplingCache, SOFT_CLAMP_SLOPE};
pub use net::{InvertibleNet, NetCache, RoundTrip, Taps};
pub use permute::Permutation;

use crate::linalg::Real;
pub use crate::nn::MlpScratch as Scratch;

/// One invertible layer on `rows x dim` row-major batches.
pub trait Invertible<T: Real> {
    /// What the forward or inverse pass keeps for its backward pass.
    type Cache: Default;

    /// Width of the input and the output.
    fn dim(&self) -> usize;

    /// `y = f(x)`; adds log|det J_f| per row to `logdet`.
    fn forward(
        &self,
        params: &[T],
        x: &[T],
        rows: usize,
        y: &mut [T],
        logdet: &mut [T],
        cache: &mut Self::Cache,
    );

    /// `x = f^-1(y)`; adds log|det J_{f^-1}| per row to `logdet`.
    fn inverse(
        &self,
        params: &[T],
        y: &[T],
        rows: usize,
        x: &mut [T],
        logdet: &mut [T],
        cache: &mut Self::Cache,
    );

    /// Backpropagates through the last `forward`: given dL/dy and dL/dlogdet
    /// (per row, or none), adds the parameter gradients into `grads` and
    /// writes dL/dx into `grad_x`. `scratch` holds nothing between calls.
    #[allow(clippy::too_many_arguments)]
    fn backward_forward(
        &self,
        params: &[T],
        grads: &mut [T],
        grad_y: &[T],
        grad_logdet: Option<&[T]>,
        cache: &mut Self::Cache,
        scratch: &mut Scratch<T>,
        grad_x: &mut [T],
    );

    /// Backpropagates through the last `inverse`: given dL/dx and
    /// dL/dlogdet, adds the parameter gradients and writes dL/dy.
    #[allow(clippy::too_many_arguments)]
    fn backward_inverse(
        &self,
        params: &[T],
        grads: &mut [T],
        grad_x: &[T],
        grad_logdet: Option<&[T]>,
        cache: &mut Self::Cache,
        scratch: &mut Scratch<T>,
        grad_y: &mut [T],
    );
}
