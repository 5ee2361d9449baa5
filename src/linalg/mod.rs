//! Scalar type and the dense matrix products every layer is built on.
//!
//! Matrices are row-major slices: a batch of `n` vectors of dimension `d` is
//! `n * d` numbers, one sample per row. The core is generic over [`Real`]
//! so that training runs in f32 while the gradient checks run the very same
//! code in f64.
//!
//! - `real.rs`: the [`Real`] trait, whose one strided product all others
//!   call.
//! - `gemm.rs`: that product for f32 and f64, and which kernel runs it: the
//!   tiled kernel of [`crate::tiled_gemm`] for every f32 product in wasm
//!   (and in [`with_browser_arithmetic`]) and natively for narrow ones,
//!   `matrixmultiply` for the rest, called with strides so that transposes
//!   cost nothing.
//! - `products.rs`: the products the layers call, by transpose.
//! - `buffers.rs`: column copies and scratch buffers.

mod buffers;
mod gemm;
mod products;
mod real;
#[cfg(test)]
mod tests;

pub use crate::tiled_gemm::Then;
pub use buffers::{copy_cols, ensure_len, paste_cols};
pub use gemm::with_browser_arithmetic;
pub use products::{gemm_nn, gemm_nn_then, gemm_nt, gemm_nt_then, gemm_tn};
pub use real::Real;
