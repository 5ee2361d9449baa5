//! The trainer: owns the network, its weights, the optimiser and every
//! buffer one step needs. `step()` runs exactly one optimiser step of the
//! paper's procedure (official notebook `train_epoch`), no loops, timers or
//! I/O; the caller decides how many steps fit in a frame.
//!
//! Its jobs live in their own files: the schedules and the weight average
//! ([`schedule`]), the draws of a batch ([`batch`]), the losses and their
//! gradients ([`objective`]), a step split between two workers ([`split`])
//! and sampling from the trained network ([`sampling`]).

mod batch;
mod objective;
mod sampling;
mod schedule;
pub mod split;
mod taps;

use crate::config::ValidConfig;
use crate::error::Error;
use crate::inn::{InvertibleNet, Permutation};
use crate::linalg::Real;
use crate::optim::{Adam, AdamSettings};
use crate::problem::Problem;
use crate::rng::Rng;
use crate::TrainConfig;
use objective::Workspace;
use sampling::SampleWorkspace;

pub use sampling::SampleNoise;
pub use taps::Padding;

/// The value of each loss term in one step, weights included (L_x also
/// includes its ramp); `total` is their sum.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Losses {
    /// L_y: the forward model's fit of y.
    pub y: f64,
    /// L_z: MMD of [z, y] against [N(0, I), y].
    pub z: f64,
    /// L_x: MMD of f^-1 of sampled z against the training x.
    pub x: f64,
    /// The reconstruction f^-1(f_z(x) + noise, pad, y) against x.
    pub rec: f64,
    /// The maximum-likelihood term (0 unless configured).
    pub ml: f64,
    /// The sum of the terms above.
    pub total: f64,
}

/// What one step reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepReport {
    /// Steps done, this one included.
    pub step: u64,
    /// The losses of this step.
    pub losses: Losses,
    /// Learning rate used in this step.
    pub lr: f64,
    /// Factor of the L_x ramp in this step.
    pub ramp: f64,
}

/// Trains an INN on the configured problem.
#[derive(Debug)]
pub struct Trainer<T: Real = f32> {
    cfg: ValidConfig,
    problem: Box<dyn Problem>,
    net: InvertibleNet,
    params: Vec<T>,
    /// Running average of `params` (empty unless the configuration asks
    /// for one): the weights the network samples with.
    averaged: Vec<T>,
    /// Gradient of the forward half of a step, then of the whole loss.
    grads: Vec<T>,
    /// Gradient of the inverse half.
    grads_inv: Vec<T>,
    backup: Vec<T>,
    adam: Adam<T>,
    rng: Rng,
    step: u64,
    ws: Workspace<T>,
    sample_ws: SampleWorkspace<T>,
}

impl<T: Real> Trainer<T> {
    /// A fresh network for `config`, or the error naming the bad field.
    pub fn new(config: &TrainConfig) -> Result<Self, Error> {
        let cfg = config.check()?;
        let mut rng = Rng::new(cfg.seed);
        let perms = (0..cfg.blocks)
            .map(|_| Permutation::new(rng.permutation(cfg.ndim_tot)).expect("a permutation"))
            .collect();
        let net = InvertibleNet::new(cfg.ndim_tot, cfg.hidden, cfg.depth, cfg.clamp, perms);
        let mut params = vec![T::zero(); net.n_params()];
        rng.fill_normal(&mut params, cfg.init_scale);
        Self::assemble(cfg, net, params, rng, 0)
    }

    /// A trainer with given weights and permutations (from a model file).
    pub fn from_parts(
        config: &TrainConfig,
        perms: Vec<Permutation>,
        params: Vec<T>,
        step: u64,
    ) -> Result<Self, Error> {
        let cfg = config.check()?;
        let net = InvertibleNet::new(cfg.ndim_tot, cfg.hidden, cfg.depth, cfg.clamp, perms);
        if params.len() != net.n_params() {
            return Err(Error::BadModelFile(format!(
                "the configuration needs {} weights, the file has {}",
                net.n_params(),
                params.len()
            )));
        }
        let rng = Rng::new(cfg.seed ^ step.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        Self::assemble(cfg, net, params, rng, step)
    }

    fn assemble(
        cfg: ValidConfig,
        net: InvertibleNet,
        params: Vec<T>,
        rng: Rng,
        step: u64,
    ) -> Result<Self, Error> {
        let n = params.len();
        // Without an average the raw weights are sampled: no copy to keep.
        let averaged = if cfg.average_decay > 0.0 {
            params.clone()
        } else {
            Vec::new()
        };
        Ok(Trainer {
            problem: cfg.problem()?,
            cfg,
            net,
            grads: vec![T::zero(); n],
            grads_inv: vec![T::zero(); n],
            backup: vec![T::zero(); n],
            adam: Adam::new(n),
            averaged,
            params,
            rng,
            step,
            ws: Workspace::default(),
            sample_ws: SampleWorkspace::default(),
        })
    }

    /// The checked configuration.
    pub fn config(&self) -> &ValidConfig {
        &self.cfg
    }

    /// The problem being learned.
    pub fn problem(&self) -> &dyn Problem {
        self.problem.as_ref()
    }

    /// The network's structure.
    pub fn net(&self) -> &InvertibleNet {
        &self.net
    }

    /// Steps done so far.
    pub fn steps_done(&self) -> u64 {
        self.step
    }

    /// The weights the optimiser moves (flat); the network samples with
    /// [`Trainer::sampling_weights`], their running average if one is kept.
    pub fn optimiser_weights(&self) -> &[T] {
        &self.params
    }

    /// The weights, for tests that perturb them.
    pub fn optimiser_weights_mut(&mut self) -> &mut [T] {
        &mut self.params
    }

    /// Gradient of the last [`Trainer::loss_and_gradient`].
    pub fn grads(&self) -> &[T] {
        &self.grads
    }

    /// Runs one optimiser step on a fresh batch: both halves of the step
    /// here ([`split`] runs them on two workers, with the same bits). On a
    /// non-finite loss, gradient or weight it returns [`Error::Diverged`]
    /// and leaves the weights as they were before the step.
    pub fn step(&mut self) -> Result<StepReport, Error> {
        self.draw_batch();
        let forward = self.forward_half();
        let inverse = self.inverse_half(self.step);
        self.apply_halves(forward, inverse)
    }

    /// Completes a step whose two halves have run: the forward half's
    /// gradient in `grads`, the inverse half's in `grads_inv`. Sums them
    /// as [`split::SplitStep::sum_halves`] says, checks them and moves the weights.
    fn apply_halves(&mut self, forward: Losses, inverse: Losses) -> Result<StepReport, Error> {
        let losses =
            split::SplitStep::sum_halves(&mut self.grads, &self.grads_inv, forward, inverse);
        let t = self.step;
        let (lr, ramp) = (self.learning_rate(t), self.ramp(t));
        let diverged = |what: &str| Error::Diverged {
            step: t + 1,
            what: what.to_string(),
        };
        if !losses.total.is_finite() {
            return Err(diverged("the loss is not finite"));
        }
        if !all_finite(&self.grads) {
            return Err(diverged("a gradient is not finite"));
        }
        self.backup.copy_from_slice(&self.params);
        let settings = AdamSettings {
            beta1: self.cfg.beta1,
            beta2: self.cfg.beta2,
            eps: self.cfg.eps,
            weight_decay: self.cfg.weight_decay,
            grad_clamp: self.cfg.grad_clamp,
        };
        self.adam
            .step(&settings, lr, &mut self.params, &mut self.grads);
        if !all_finite(&self.params) {
            self.params.copy_from_slice(&self.backup);
            return Err(diverged("a weight became infinite"));
        }
        self.step += 1;
        self.update_average();
        Ok(StepReport {
            step: self.step,
            losses,
            lr,
            ramp,
        })
    }
}

/// Whether every value is finite. `0 x` is 0 for a finite `x` and NaN for
/// an infinite or NaN one, so the sum of those is 0 exactly when all are
/// finite: a loop without an early exit, over lanes of partial sums,
/// that vectorises (`iter().all(is_finite)` runs one value at a time, and
/// the helper worker waits for the new weights while it runs).
fn all_finite<T: Real>(v: &[T]) -> bool {
    const LANES: usize = 8;
    let mut sums = [T::zero(); LANES];
    let mut chunks = v.chunks_exact(LANES);
    for chunk in &mut chunks {
        for (s, x) in sums.iter_mut().zip(chunk) {
            *s += *x * T::zero();
        }
    }
    let rest = chunks
        .remainder()
        .iter()
        .fold(T::zero(), |s, x| s + *x * T::zero());
    sums.iter().fold(rest, |s, x| s + *x) == T::zero()
}

#[cfg(test)]
mod tests {
    use super::all_finite;

    #[test]
    fn all_finite_finds_any_infinite_or_nan_value_wherever_it_is() {
        let finite: Vec<f32> = (0..37).map(|i| (i as f32 - 18.0) * 1e37).collect();
        assert!(all_finite(&finite));
        assert!(all_finite(&[f32::MAX, f32::MIN, -0.0, f32::MIN_POSITIVE]));
        assert!(all_finite::<f32>(&[]));
        // In the lanes (index 3) and in the remainder after them (36).
        for at in [0, 3, 8, 35, 36] {
            for bad in [f32::INFINITY, f32::NEG_INFINITY, f32::NAN] {
                let mut v = finite.clone();
                v[at] = bad;
                assert!(!all_finite(&v), "{bad} at {at}");
            }
        }
        assert!(!all_finite(&[1.0f64, f64::NAN]));
    }
}
