//! What the trained network answers: posterior samples through f^-1, and
//! the forward pass of given points (their latent code and predicted y).
//! Both run on the sampling weights (the running average, if kept) and
//! buffers of their own, apart from training's.

use super::batch::noisy_target;
use super::schedule::sampling_weights;
use super::Trainer;
use crate::config::ValidConfig;
use crate::error::Error;
use crate::inn::{Invertible, NetCache};
use crate::linalg::{copy_cols, ensure_len, paste_cols, Real};
use crate::rng::Rng;

/// How much of the training noise posterior sampling feeds the inverse:
/// 1 (the default) samples what the network was trained on; less sharpens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleNoise(pub f64);

impl Default for SampleNoise {
    fn default() -> Self {
        SampleNoise(1.0)
    }
}

/// The buffers of sampling and of the forward pass of given points.
#[derive(Clone, Debug, Default)]
pub(super) struct SampleWorkspace<T> {
    input: Vec<T>,
    output: Vec<T>,
    logdet: Vec<T>,
    cache: NetCache<T>,
}

impl<T: Real> Trainer<T> {
    /// Posterior samples x = f^-1([z ~ N(0, I), pad, y* noisy]) for the
    /// observation `y_star` (the problem's y; a label's is its one-hot
    /// vector), `ndim_x` values per sample. `noise` scales the training
    /// noise fed with y* and the padding (1: what the network was trained
    /// on).
    pub fn sample_posterior(
        &mut self,
        y_star: &[f64],
        n: usize,
        seed: u64,
        noise: SampleNoise,
    ) -> Result<Vec<T>, Error> {
        self.problem.check_y(y_star)?;
        let (dim, nx) = (self.cfg.ndim_tot, self.cfg.ndim_x);
        let sw = &mut self.sample_ws;
        ensure_len(&mut sw.input, n * dim);
        ensure_len(&mut sw.output, n * dim);
        ensure_len(&mut sw.logdet, n);
        posterior_inputs(&self.cfg, y_star, seed, noise, &mut sw.input)?;
        let weights = sampling_weights(&self.cfg, &self.averaged, &self.params);
        self.net.inverse(
            weights,
            &sw.input,
            n,
            &mut sw.output,
            &mut sw.logdet,
            &mut sw.cache,
        );
        let mut out = vec![T::zero(); n * nx];
        copy_cols(&sw.output, dim, 0, nx, &mut out);
        Ok(out)
    }

    /// Posterior samples for label `label` of a problem whose observations
    /// are labels: [`Trainer::sample_posterior`] of its observation.
    pub fn sample_label(
        &mut self,
        label: usize,
        n: usize,
        seed: u64,
        noise: SampleNoise,
    ) -> Result<Vec<T>, Error> {
        let y_star = self.problem.label_observation(label)?;
        self.sample_posterior(&y_star, n, seed, noise)
    }

    /// The forward pass on points `x` (`ndim_x` values each), padded with
    /// the training noise drawn from `seed` (as in training: with a latent
    /// space wider than x, part of z comes from the padding): the latent z
    /// (`n x ndim_z`) and predicted y (`n x` the problem's y: the padding
    /// slots of a wider y are left out).
    pub fn forward_points(&mut self, x: &[T], seed: u64) -> (Vec<T>, Vec<T>) {
        let (dim, nz, ny, nx) = (
            self.cfg.ndim_tot,
            self.cfg.ndim_z,
            self.cfg.ndim_y,
            self.cfg.ndim_x,
        );
        let own_y = self.problem.ndim_y();
        let n = x.len() / nx;
        let sw = &mut self.sample_ws;
        ensure_len(&mut sw.input, n * dim);
        ensure_len(&mut sw.output, n * dim);
        ensure_len(&mut sw.logdet, n);
        padded_points(&self.cfg, x, seed, self.cfg.pad_noise, &mut sw.input);
        let weights = sampling_weights(&self.cfg, &self.averaged, &self.params);
        self.net.forward(
            weights,
            &sw.input,
            n,
            &mut sw.output,
            &mut sw.logdet,
            &mut sw.cache,
        );
        let mut z = vec![T::zero(); n * nz];
        let mut y = vec![T::zero(); n * own_y];
        copy_cols(&sw.output, dim, 0, nz, &mut z);
        copy_cols(&sw.output, dim, dim - ny, own_y, &mut y);
        (z, y)
    }
}

/// The inputs [z ~ N(0, I), pad, y* noisy] of posterior sampling, one row
/// of `input` (`n x ndim_tot`) each, drawn from `seed`; `noise` scales the
/// training noise on the padding and y* (within [0, 1]).
pub(super) fn posterior_inputs<T: Real>(
    cfg: &ValidConfig,
    y_star: &[f64],
    seed: u64,
    noise: SampleNoise,
    input: &mut [T],
) -> Result<(), Error> {
    if !(noise.0.is_finite() && (0.0..=1.0).contains(&noise.0)) {
        return Err(Error::InvalidArgument(format!(
            "sample noise must be in [0, 1], got {}",
            noise.0
        )));
    }
    let mut rng = Rng::new(seed);
    let mut y = vec![T::zero(); cfg.ndim_y];
    for (to, v) in y.iter_mut().zip(y_star) {
        *to = T::of(*v);
    }
    let (pad, yn) = (cfg.pad_noise * noise.0, cfg.y_noise * noise.0);
    for row in input.chunks_exact_mut(cfg.ndim_tot) {
        noisy_target(&mut rng, row, &y, cfg.ndim_z, pad, yn);
    }
    Ok(())
}

/// Points `x` (`ndim_x` each) padded to `ndim_tot` with noise of std `pad`
/// drawn from `seed` (the training noise, as the forward pass of given
/// points uses; 0: padding at zero), into `input`.
pub(super) fn padded_points<T: Real>(
    cfg: &ValidConfig,
    x: &[T],
    seed: u64,
    pad: f64,
    input: &mut [T],
) {
    Rng::new(seed).fill_normal(input, pad);
    paste_cols(x, cfg.ndim_x, input, cfg.ndim_tot, 0);
}
