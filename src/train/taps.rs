//! The trained network opened up, on the sampling weights: every stage of
//! the forward pass of given points and of the inverse pass that samples a
//! posterior, one block's live values, and log|det J| over the x plane.
//! The inputs are drawn as [`Trainer::forward_points`] and
//! [`Trainer::sample_posterior`] draw theirs, so the last stages are their
//! answers bit for bit.

use super::sampling::{padded_points, posterior_inputs};
use super::{SampleNoise, Trainer};
use crate::error::Error;
use crate::inn::{BlockTrace, Taps};
use crate::linalg::Real;

/// How the padding of given points is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Padding {
    /// The training noise, drawn from this seed (as
    /// [`Trainer::forward_points`] pads).
    Noise(u64),
    /// Zeros: a deterministic slice of the padded space, for grids.
    Zero,
}

impl<T: Real> Trainer<T> {
    /// Points `x` (`ndim_x` each) padded to the network's width.
    fn padded(&self, x: &[T], padding: Padding) -> Vec<T> {
        let n = x.len() / self.cfg.ndim_x;
        let mut input = vec![T::zero(); n * self.cfg.ndim_tot];
        let (seed, pad) = match padding {
            Padding::Noise(seed) => (seed, self.cfg.pad_noise),
            Padding::Zero => (0, 0.0),
        };
        padded_points(&self.cfg, x, seed, pad, &mut input);
        input
    }

    /// Every stage of the forward pass of points `x` (`ndim_x` each).
    pub fn forward_taps(&self, x: &[T], padding: Padding) -> Taps<T> {
        let input = self.padded(x, padding);
        let rows = x.len() / self.cfg.ndim_x;
        self.net.forward_taps(self.sampling_weights(), &input, rows)
    }

    /// Every stage of the inverse pass that draws `n` posterior samples of
    /// `y_star` ([`Trainer::sample_posterior`] with the same arguments).
    pub fn posterior_taps(
        &self,
        y_star: &[f64],
        n: usize,
        seed: u64,
        noise: SampleNoise,
    ) -> Result<Taps<T>, Error> {
        let input = self.posterior_input(y_star, n, seed, noise)?;
        Ok(self.net.inverse_taps(self.sampling_weights(), &input, n))
    }

    /// Block `block`'s (0-based) live values on sample `row` of the
    /// inverse pass of [`Trainer::posterior_taps`] with the same arguments,
    /// as that pass computes them.
    pub fn posterior_block_trace(
        &self,
        y_star: &[f64],
        n: usize,
        seed: u64,
        noise: SampleNoise,
        block: usize,
        row: usize,
    ) -> Result<Option<BlockTrace<T>>, Error> {
        let input = self.posterior_input(y_star, n, seed, noise)?;
        let p = self.sampling_weights();
        Ok(self
            .net
            .traced_inverse_taps(p, &input, n, Some((block, row)))
            .1)
    }

    /// The inputs [z, pad, y*] of `n` posterior samples of `y_star`.
    fn posterior_input(
        &self,
        y_star: &[f64],
        n: usize,
        seed: u64,
        noise: SampleNoise,
    ) -> Result<Vec<T>, Error> {
        self.problem.check_y(y_star)?;
        let mut input = vec![T::zero(); n * self.cfg.ndim_tot];
        posterior_inputs(&self.cfg, y_star, seed, noise, &mut input)?;
        Ok(input)
    }

    /// Block `block`'s (0-based) live values on point `row` of `x`,
    /// padded as in [`Trainer::forward_taps`].
    pub fn block_trace(
        &self,
        x: &[T],
        padding: Padding,
        block: usize,
        row: usize,
    ) -> Option<BlockTrace<T>> {
        let input = self.padded(x, padding);
        let rows = x.len() / self.cfg.ndim_x;
        self.net
            .traced_taps(self.sampling_weights(), &input, rows, Some((block, row)))
            .1
    }

    /// log|det J_f| of the whole forward map with the padding at zero, at
    /// the centres of a `res x res` grid over `[lo, hi]^2` of the x plane,
    /// row by row from the top (x1 = hi) as the page's images are laid out.
    pub fn logdet_grid(&self, lo: f64, hi: f64, res: usize) -> Vec<T> {
        let step = (hi - lo) / res as f64;
        let mut x = Vec::with_capacity(res * res * 2);
        for i in 0..res {
            for j in 0..res {
                let (a, b) = (lo + (j as f64 + 0.5) * step, hi - (i as f64 + 0.5) * step);
                x.extend([T::of(a), T::of(b)]);
            }
        }
        let input = self.padded(&x, Padding::Zero);
        self.net
            .forward_logdet(self.sampling_weights(), &input, res * res)
    }

    /// Where x's two coordinates are at each stage (see
    /// [`crate::inn::InvertibleNet::tracked_columns`]): the pair of
    /// columns the page shows of every stage.
    pub fn shown_columns(&self) -> Vec<[usize; 2]> {
        self.net.tracked_columns([0, 1])
    }

    /// The name of column `c` of the output [z, pad, y]: `z1`, `pad2`, `y3`
    /// (counted from 1 within its part).
    pub fn output_column_name(&self, c: usize) -> String {
        let (dim, nz, ny) = (self.cfg.ndim_tot, self.cfg.ndim_z, self.cfg.ndim_y);
        if c < nz {
            format!("z{}", c + 1)
        } else if c + ny < dim {
            format!("pad{}", c - nz + 1)
        } else {
            format!("y{}", c + ny + 1 - dim)
        }
    }
}
