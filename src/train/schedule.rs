//! The schedules of a run (learning rate, the L_x ramp) and the running
//! average of the weights that the network samples with.

use super::Trainer;
use crate::config::ValidConfig;
use crate::linalg::Real;

impl<T: Real> Trainer<T> {
    /// Learning rate at step `t`: exponential decay to `lr * lr_final` at
    /// `steps`, constant after.
    pub fn learning_rate(&self, t: u64) -> f64 {
        let frac = (t as f64 / self.cfg.steps as f64).min(1.0);
        self.cfg.lr * self.cfg.lr_final.powf(frac)
    }

    /// The official L_x ramp `min(1, 2 * 0.002^(1 - t/T))`.
    pub fn ramp(&self, t: u64) -> f64 {
        if self.cfg.ramp_steps == 0 {
            return 1.0;
        }
        let frac = (t as f64 / self.cfg.ramp_steps as f64).min(1.0);
        (2.0 * 0.002f64.powf(1.0 - frac)).min(1.0)
    }

    /// The weights the network samples, scores and is saved with: the
    /// running average of [`Trainer::optimiser_weights`] if the configuration keeps
    /// one (`average_decay`), else those themselves.
    pub fn sampling_weights(&self) -> &[T] {
        sampling_weights(&self.cfg, &self.averaged, &self.params)
    }

    /// Moves the running average towards the weights after a step. The
    /// decay is shorter at first, `(1 + t) / (10 + t)` after `t` steps,
    /// so that the average does not hold on to the random initial weights.
    pub(super) fn update_average(&mut self) {
        let decay = self.cfg.average_decay;
        if decay <= 0.0 {
            return;
        }
        let t = self.step as f64;
        let d = T::of(decay.min((1.0 + t) / (10.0 + t)));
        let keep = T::one() - d;
        for (a, p) in self.averaged.iter_mut().zip(&self.params) {
            *a = d * *a + keep * *p;
        }
    }
}

/// The averaged weights if the configuration keeps an average, else the
/// raw ones (apart from the trainer, so that its sampling buffers can be
/// borrowed at the same time).
pub(super) fn sampling_weights<'a, T>(
    cfg: &ValidConfig,
    averaged: &'a [T],
    params: &'a [T],
) -> &'a [T] {
    if cfg.average_decay > 0.0 {
        averaged
    } else {
        params
    }
}
