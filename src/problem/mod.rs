//! Inverse problems the network learns: a forward process from hidden
//! parameters x to observations y, with a prior on x.

mod mixture;

pub use mixture::{GaussianMixture, LabelMap, Mode, TOY_CENTRES, TOY_STD};

/// A forward process that can be simulated: what ABC needs, and what the
/// trainer draws its data from.
pub trait Simulator {
    /// Dimension of the hidden parameters x.
    fn ndim_x(&self) -> usize;
    /// Dimension of the observation y.
    fn ndim_y(&self) -> usize;
    /// Draws x from the prior and a noise-free observation y for it, into
    /// `x` (`ndim_x`) and `y` (`ndim_y`).
    fn simulate(&self, rng: &mut crate::rng::Rng, x: &mut [f64], y: &mut [f64]);
}
