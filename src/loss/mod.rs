//! The training objectives. Each returns its value and adds `weight` times
//! its gradient into a caller's buffer, so that several terms add into one
//! gradient.

mod ml;
mod mmd;
mod mse;

pub use ml::max_likelihood;
pub use mmd::{mmd, mmd_multiscale, MmdScratch, MMD_WIDTHS};
pub use mse::mse;
