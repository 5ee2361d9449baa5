//! The trainer: owns the network, its weights, the optimiser and every
//! buffer one step needs. `step()` runs exactly one optimiser step of the
//! paper's procedure (official notebook `train_epoch`), no loops, timers or
//! I/O; the caller decides how many steps fit in a frame.

use crate::config::{ValidConfig, NDIM_X};
use crate::error::Error;
use crate::inn::{Invertible, InvertibleNet, NetCache, Permutation, Scratch};
use crate::linalg::{copy_cols, ensure_len, paste_cols, Real};
use crate::loss::{max_likelihood, mmd_multiscale, mse, MmdScratch};
use crate::optim::{Adam, AdamSettings};
use crate::problem::GaussianMixture;
use crate::rng::Rng;
use crate::TrainConfig;
use std::ops::Range;

/// The value of each loss term in one step, weights included (L_x also
/// includes its ramp); `total` is their sum.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Losses {
    pub y: f64,
    pub z: f64,
    pub x: f64,
    pub rec: f64,
    pub ml: f64,
    pub total: f64,
}

impl Losses {
    /// Adds the losses of [`Trainer::inverse_share`] (or of its two
    /// parts) to those of [`Trainer::forward_share`] (before
    /// [`Trainer::finish_step`] totals them).
    pub fn add_inverse_share(&mut self, inverse: &Losses) {
        self.rec += inverse.rec;
        self.x += inverse.x;
    }

    /// These losses with those of another part of the inverse share.
    pub fn with_inverse_share(mut self, other: &Losses) -> Losses {
        self.add_inverse_share(other);
        self
    }
}

/// What one step reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepReport {
    /// Steps done, this one included.
    pub step: u64,
    pub losses: Losses,
    /// Learning rate used in this step.
    pub lr: f64,
    /// Factor of the L_x ramp in this step.
    pub ramp: f64,
}

/// One step's draws: the training batch and every noise the step uses.
#[derive(Clone, Debug, Default)]
struct Batch<T> {
    /// Clean training x (`n x 2`) and one-hot y (`n x ndim_y`).
    x: Vec<T>,
    y: Vec<T>,
    /// Padded input [x, pad noise] and forward target [z ~ N, pad noise, y noisy].
    x_in: Vec<T>,
    target: Vec<T>,
    /// Inverse-pass input: rows 0..n [f_z(x) + noise, pad, y noisy],
    /// rows n..2n [z ~ N, pad, y noisy]; `z_noise` holds the perturbation.
    rev_in: Vec<T>,
    z_noise: Vec<T>,
}

/// Every buffer of a step, sized on first use and reused after.
#[derive(Clone, Debug, Default)]
struct Workspace<T> {
    /// The batch of the current step.
    batch: Batch<T>,
    /// The next step's batch, once [`Trainer::prefetch_batch`] has drawn
    /// it (`next_drawn`).
    next: Batch<T>,
    next_drawn: bool,
    out: Vec<T>,
    logdet: Vec<T>,
    g_out: Vec<T>,
    g_logdet: Vec<T>,
    g_in: Vec<T>,
    /// [z, y] of the output and of the target, and dL_z/dz.
    zy_out: Vec<T>,
    zy_target: Vec<T>,
    g_z: Vec<T>,
    rev_out: Vec<T>,
    rev_logdet: Vec<T>,
    g_rev: Vec<T>,
    g_rev_in: Vec<T>,
    x_gen: Vec<T>,
    g_x_gen: Vec<T>,
    /// The values the losses treat as constants (stop-gradient): f_y(x)
    /// in L_z and f_z(x) in the reconstruction input. A copy of `out`,
    /// unless held for a gradient check.
    detached: Vec<T>,
    hold_detached: bool,
    mmd: MmdScratch<T>,
    scratch: Scratch<T>,
    fwd: NetCache<T>,
    inv: NetCache<T>,
}

/// Trains an INN on the configured toy problem.
#[derive(Debug)]
pub struct Trainer<T: Real = f32> {
    cfg: ValidConfig,
    problem: GaussianMixture,
    net: InvertibleNet,
    params: Vec<T>,
    /// Running average of `params` (empty unless the configuration asks
    /// for one): the weights the network samples with.
    averaged: Vec<T>,
    /// Gradient of the forward share, then of the whole loss.
    grads: Vec<T>,
    /// Gradient of the inverse share.
    grads_inv: Vec<T>,
    backup: Vec<T>,
    adam: Adam<T>,
    rng: Rng,
    step: u64,
    ws: Workspace<T>,
    sample_ws: SampleWorkspace<T>,
}

#[derive(Clone, Debug, Default)]
struct SampleWorkspace<T> {
    input: Vec<T>,
    output: Vec<T>,
    logdet: Vec<T>,
    cache: NetCache<T>,
}

/// How much of the training noise posterior sampling feeds the inverse:
/// 1 (the default) samples what the network was trained on; less sharpens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleNoise(pub f64);

impl Default for SampleNoise {
    fn default() -> Self {
        SampleNoise(1.0)
    }
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
        Ok(Self::assemble(cfg, net, params, rng, 0))
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
        Ok(Self::assemble(cfg, net, params, rng, step))
    }

    fn assemble(cfg: ValidConfig, net: InvertibleNet, params: Vec<T>, rng: Rng, step: u64) -> Self {
        let n = params.len();
        // Without an average the raw weights are sampled: no copy to keep.
        let averaged = if cfg.average_decay > 0.0 {
            params.clone()
        } else {
            Vec::new()
        };
        Trainer {
            problem: GaussianMixture::toy(cfg.labels),
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
        }
    }

    /// The checked configuration.
    pub fn config(&self) -> &ValidConfig {
        &self.cfg
    }

    /// The problem being learned.
    pub fn problem(&self) -> &GaussianMixture {
        &self.problem
    }

    /// The network's structure.
    pub fn net(&self) -> &InvertibleNet {
        &self.net
    }

    /// Steps done so far.
    pub fn steps_done(&self) -> u64 {
        self.step
    }

    /// The weights the optimiser moves (flat).
    pub fn params(&self) -> &[T] {
        &self.params
    }

    /// The weights the network samples, scores and is saved with: the
    /// running average of [`Trainer::params`] if the configuration keeps
    /// one (`average_decay`), else those themselves.
    pub fn weights(&self) -> &[T] {
        sampling_weights(&self.cfg, &self.averaged, &self.params)
    }

    /// Moves the running average towards the weights after a step. The
    /// decay is shorter at first, `(1 + t) / (10 + t)` after `t` steps,
    /// so that the average does not hold on to the random initial weights.
    fn update_average(&mut self) {
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

    /// The weights, for tests that perturb them.
    pub fn params_mut(&mut self) -> &mut [T] {
        &mut self.params
    }

    /// Gradient of the last [`Trainer::loss_and_gradient`].
    pub fn grads(&self) -> &[T] {
        &self.grads
    }

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

    /// Runs one optimiser step on a fresh batch. On a non-finite loss,
    /// gradient or weight it returns [`Error::Diverged`] and leaves the
    /// weights as they were before the step.
    pub fn step(&mut self) -> Result<StepReport, Error> {
        self.draw_batch();
        let losses = self.both_shares();
        self.finish_step(losses)
    }

    /// One step with its inverse share run by `helper`, a trainer of the
    /// same configuration that sees nothing but the weights, that share's
    /// batch and the z rows it reconstructs: the protocol of the page's two
    /// workers (the helper starts on L_x at once, gets the z rows as soon
    /// as the forward pass has them, and the next batch is drawn while it
    /// works), one share after the other. Gives the same bits as
    /// [`Trainer::step`].
    pub fn step_with_helper(&mut self, helper: &mut Trainer<T>) -> Result<StepReport, Error> {
        self.draw_batch();
        helper.params.copy_from_slice(&self.params);
        for (from, to) in self
            .inverse_share_batch()
            .into_iter()
            .zip(helper.inverse_share_batch_mut())
        {
            to.copy_from_slice(from);
        }
        let generated = helper.generated_share(self.step);
        self.forward_pass();
        let mut z = Vec::new();
        self.reconstruction_z(&mut z);
        helper.set_reconstruction_z(&z);
        let mut losses = self.forward_losses();
        self.prefetch_batch();
        let reconstructed = helper.reconstructed_share();
        losses.add_inverse_share(&generated.with_inverse_share(&reconstructed));
        self.inverse_grads_mut()
            .copy_from_slice(helper.inverse_grads());
        self.finish_step(losses)
    }

    /// Completes a step whose shares have run: [`Trainer::forward_share`]
    /// gave its losses and gradient, and [`Trainer::inverse_grads`] holds
    /// the inverse share's (here or copied from another thread), whose
    /// losses were added with [`Losses::add_inverse_share`]. Adds the
    /// gradients, checks them and moves the weights, as
    /// [`Trainer::step`] does.
    pub fn finish_step(&mut self, losses: Losses) -> Result<StepReport, Error> {
        let losses = self.combine_shares(losses);
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

    /// Adds the inverse share's gradient to the forward share's (one
    /// addition per weight, which commutes, so that either thread may hold
    /// either share) and totals the losses.
    fn combine_shares(&mut self, mut l: Losses) -> Losses {
        ensure_len(&mut self.grads_inv, self.grads.len());
        for (g, h) in self.grads.iter_mut().zip(&self.grads_inv) {
            *g += *h;
        }
        l.total = l.y + l.z + l.x + l.rec + l.ml;
        l
    }

    /// Gradient of the last [`Trainer::inverse_share`].
    pub fn inverse_grads(&self) -> &[T] {
        &self.grads_inv
    }

    /// Where an inverse share computed elsewhere is copied before
    /// [`Trainer::finish_step`].
    pub fn inverse_grads_mut(&mut self) -> &mut [T] {
        ensure_len(&mut self.grads_inv, self.params.len());
        &mut self.grads_inv
    }

    /// What [`Trainer::prepare_inverse_share`] and
    /// [`Trainer::inverse_share`] read of the drawn batch: the padded x
    /// (`batch x ndim_tot`), the inverse input (`2 batch x ndim_tot`; the
    /// reconstruction's z is filled in there), the perturbation of that z
    /// (`batch x ndim_z`) and the training x (`batch x 2`).
    pub fn inverse_share_batch(&self) -> [&[T]; 4] {
        let ws = &self.ws;
        [
            &ws.batch.x_in,
            &ws.batch.rev_in,
            &ws.batch.z_noise,
            &ws.batch.x,
        ]
    }

    /// The same buffers, to be filled with another trainer's batch (same
    /// configuration) in place of [`Trainer::draw_batch`].
    pub fn inverse_share_batch_mut(&mut self) -> [&mut [T]; 4] {
        let (n, dim, nz) = (self.cfg.batch, self.cfg.ndim_tot, self.cfg.ndim_z);
        let ws = &mut self.ws;
        for (buf, len) in [
            (&mut ws.batch.x_in, n * dim),
            (&mut ws.batch.rev_in, 2 * n * dim),
            (&mut ws.batch.z_noise, n * nz),
            (&mut ws.batch.x, n * NDIM_X),
        ] {
            ensure_len(buf, len);
        }
        [
            &mut ws.batch.x_in,
            &mut ws.batch.rev_in,
            &mut ws.batch.z_noise,
            &mut ws.batch.x,
        ]
    }

    /// Draws the next training batch and every noise the step uses (or
    /// takes the one [`Trainer::prefetch_batch`] drew: the same draws).
    pub fn draw_batch(&mut self) {
        let ws = &mut self.ws;
        if ws.next_drawn {
            std::mem::swap(&mut ws.batch, &mut ws.next);
            ws.next_drawn = false;
        } else {
            self.draw_into(false);
        }
    }

    /// Draws the next step's batch now, while there is time to spare (the
    /// page's worker does it while it waits for its helper); the next
    /// [`Trainer::draw_batch`] takes it. The current batch is kept.
    pub fn prefetch_batch(&mut self) {
        if !self.ws.next_drawn {
            self.draw_into(true);
            self.ws.next_drawn = true;
        }
    }

    /// Draws a batch into the current one's buffers, or into the next's.
    fn draw_into(&mut self, next: bool) {
        let (n, dim, nz, ny) = (
            self.cfg.batch,
            self.cfg.ndim_tot,
            self.cfg.ndim_z,
            self.cfg.ndim_y,
        );
        let (y_noise, pad_noise) = (self.cfg.y_noise, self.cfg.pad_noise);
        let ws = if next {
            &mut self.ws.next
        } else {
            &mut self.ws.batch
        };
        let rng = &mut self.rng;
        for (buf, len) in [
            (&mut ws.x, n * NDIM_X),
            (&mut ws.y, n * ny),
            (&mut ws.x_in, n * dim),
            (&mut ws.target, n * dim),
            (&mut ws.rev_in, 2 * n * dim),
            (&mut ws.z_noise, n * nz),
        ] {
            ensure_len(buf, len);
        }
        ws.y.fill(T::zero());
        for i in 0..n {
            let (p, mode) = self.problem.sample(rng);
            ws.x[2 * i] = T::of(p[0]);
            ws.x[2 * i + 1] = T::of(p[1]);
            ws.y[i * ny + self.problem.modes()[mode].label] = T::one();
        }
        paste_cols(&ws.x, NDIM_X, &mut ws.x_in, dim, 0);
        for i in 0..n {
            rng.fill_normal(&mut ws.x_in[i * dim + NDIM_X..(i + 1) * dim], pad_noise);
            noisy_target(
                rng,
                &mut ws.target[i * dim..(i + 1) * dim],
                &ws.y[i * ny..(i + 1) * ny],
                nz,
                pad_noise,
                y_noise,
            );
        }
        // Inverse pass: the same fresh [pad, y noisy] for both halves, as in the notebook.
        for i in 0..n {
            let (head, tail) = ws.rev_in.split_at_mut((n + i) * dim);
            let row = &mut head[i * dim..(i + 1) * dim];
            noisy_target(
                rng,
                row,
                &ws.y[i * ny..(i + 1) * ny],
                nz,
                pad_noise,
                y_noise,
            );
            tail[..dim].copy_from_slice(row);
            rng.fill_normal(&mut tail[..nz], 1.0);
        }
        rng.fill_normal(&mut ws.z_noise, y_noise);
    }

    /// Loss and gradient (into [`Trainer::grads`]) on the batch of the last
    /// [`Trainer::draw_batch`]; deterministic given the weights and the batch.
    /// It is the sum of the two shares of a step, added as
    /// [`Trainer::finish_step`] adds them, so that a step split across two
    /// threads gives the same bits as one thread.
    pub fn loss_and_gradient(&mut self) -> Losses {
        let l = self.both_shares();
        self.combine_shares(l)
    }

    /// Both shares of a step here, one after the other; their gradients
    /// are still apart.
    fn both_shares(&mut self) -> Losses {
        let mut l = self.forward_share();
        let inv = self.inverse_share(self.step);
        l.add_inverse_share(&inv);
        l
    }

    /// The forward share of a step: the forward pass f(x) with L_y, L_z
    /// and the maximum-likelihood term, and the reconstruction of the first
    /// [`Trainer::rows_reconstructed_in_forward_share`] rows. Its gradient
    /// goes to [`Trainer::grads`].
    pub fn forward_share(&mut self) -> Losses {
        self.forward_pass();
        self.forward_losses()
    }

    /// The forward pass f(x) of the batch: the first part of
    /// [`Trainer::forward_share`], after which
    /// [`Trainer::reconstruction_z`] has the rows the inverse share needs.
    pub fn forward_pass(&mut self) {
        let (n, dim) = (self.cfg.batch, self.cfg.ndim_tot);
        let ws = &mut self.ws;
        ensure_len(&mut ws.out, n * dim);
        ensure_len(&mut ws.logdet, n);
        ws.logdet.fill(T::zero());
        self.net.forward(
            &self.params,
            &ws.batch.x_in,
            n,
            &mut ws.out,
            &mut ws.logdet,
            &mut ws.fwd,
        );
        // The copy that the losses treat as a constant (unless held for a
        // gradient check).
        let fresh = ws.detached.len() != n * dim;
        if !ws.hold_detached || fresh {
            ensure_len(&mut ws.detached, n * dim);
            ws.detached.copy_from_slice(&ws.out);
        }
    }

    /// The rest of [`Trainer::forward_share`] after
    /// [`Trainer::forward_pass`]: the losses on f(x), their gradient and
    /// this share's reconstruction.
    pub fn forward_losses(&mut self) -> Losses {
        let cfg = &self.cfg;
        let (n, dim, nz, ny) = (cfg.batch, cfg.ndim_tot, cfg.ndim_z, cfg.ndim_y);
        let w = &cfg.losses;
        let (wy, wz, wml) = (w.y.active(), w.z.active(), w.ml.active());
        let ws = &mut self.ws;
        let (params, grads, net) = (&self.params, &mut self.grads, &self.net);
        grads.fill(T::zero());
        let mut l = Losses::default();
        for (buf, len) in [
            (&mut ws.g_out, n * dim),
            (&mut ws.g_in, n * dim),
            (&mut ws.g_logdet, n),
        ] {
            ensure_len(buf, len);
        }
        ws.g_out.fill(T::zero());
        ws.g_logdet.fill(T::zero());
        if wy > 0.0 {
            l.y = wy
                * mse(
                    &ws.out,
                    &ws.batch.target,
                    dim,
                    nz..dim,
                    T::of(wy),
                    Some(&mut ws.g_out),
                )
                .to_f64()
                .unwrap_or(f64::NAN);
        }
        if wz > 0.0 {
            let zy = nz + ny;
            for (buf, len) in [
                (&mut ws.zy_out, n * zy),
                (&mut ws.zy_target, n * zy),
                (&mut ws.g_z, n * nz),
            ] {
                ensure_len(buf, len);
            }
            join_z_y(&ws.out, &ws.detached, dim, nz, ny, &mut ws.zy_out);
            join_z_y(
                &ws.batch.target,
                &ws.batch.target,
                dim,
                nz,
                ny,
                &mut ws.zy_target,
            );
            ws.g_z.fill(T::zero());
            let v = mmd_multiscale(
                &mut ws.mmd,
                &ws.zy_out,
                &ws.zy_target,
                zy,
                T::of(wz),
                Some((&mut ws.g_z, nz)),
            );
            l.z = wz * v.to_f64().unwrap_or(f64::NAN);
            for (g, gz) in ws.g_out.chunks_exact_mut(dim).zip(ws.g_z.chunks_exact(nz)) {
                for (a, b) in g[..nz].iter_mut().zip(gz) {
                    *a += *b;
                }
            }
        }
        if wml > 0.0 {
            let v = max_likelihood(
                &ws.out,
                &ws.batch.target,
                &ws.logdet,
                dim,
                nz,
                cfg.ml_sigma,
                T::of(wml),
                &mut ws.g_out,
                &mut ws.g_logdet,
            );
            l.ml = wml * v.to_f64().unwrap_or(f64::NAN);
        }
        if wy > 0.0 || wz > 0.0 || wml > 0.0 {
            let gl = (wml > 0.0).then_some(ws.g_logdet.as_slice());
            net.backward_forward(
                params,
                grads,
                &ws.g_out,
                gl,
                &mut ws.fwd,
                &mut ws.scratch,
                &mut ws.g_in,
            );
        }
        let rows = 0..self.rows_reconstructed_in_forward_share();
        let inv = self.inverse_losses(rows, 0.0, false);
        l.rec = inv.rec;
        l
    }

    /// How many rows of the batch the forward share reconstructs; the
    /// inverse share does the rest. Three eighths of the batch balances
    /// the page's two workers on `fast` when they hand steps over through
    /// shared memory: with half, the worker's share took 4.97 ms a step
    /// and the helper's 4.38 ms; with 3/8, 4.27 and 4.24 ms, and the step
    /// rate went from 186 to 215 steps/s. The split sets the order of
    /// sums, so the fidelity tests were rerun for it.
    pub fn rows_reconstructed_in_forward_share(&self) -> usize {
        if self.cfg.losses.rec.active() > 0.0 {
            self.cfg.batch * 3 / 8
        } else {
            0
        }
    }

    /// The rows of the reconstruction that the inverse share runs.
    fn rows_reconstructed_in_inverse_share(&self) -> Range<usize> {
        if self.cfg.losses.rec.active() > 0.0 {
            self.rows_reconstructed_in_forward_share()..self.cfg.batch
        } else {
            0..0
        }
    }

    /// Writes to `z` what the inverse share needs of the forward pass
    /// (after [`Trainer::forward_pass`]): f_z(x) of the rows it
    /// reconstructs, `ndim_z` values per row (none without the
    /// reconstruction loss).
    pub fn reconstruction_z(&self, z: &mut Vec<T>) {
        let (dim, nz) = (self.cfg.ndim_tot, self.cfg.ndim_z);
        z.clear();
        for i in self.rows_reconstructed_in_inverse_share() {
            z.extend_from_slice(&self.ws.detached[i * dim..i * dim + nz]);
        }
    }

    /// How many values [`Trainer::reconstruction_z`] gives.
    pub fn reconstruction_z_len(&self) -> usize {
        self.rows_reconstructed_in_inverse_share().len() * self.cfg.ndim_z
    }

    /// Takes the [`Trainer::reconstruction_z`] of another trainer's forward
    /// pass, in place of one here, for [`Trainer::reconstructed_share`].
    ///
    /// # Panics
    /// If `z` is not [`Trainer::reconstruction_z_len`] long.
    pub fn set_reconstruction_z(&mut self, z: &[T]) {
        assert_eq!(
            z.len(),
            self.reconstruction_z_len(),
            "reconstruction z rows"
        );
        let (n, dim, nz) = (self.cfg.batch, self.cfg.ndim_tot, self.cfg.ndim_z);
        ensure_len(&mut self.ws.detached, n * dim);
        let rows = self.rows_reconstructed_in_inverse_share();
        for (i, row) in rows.zip(z.chunks_exact(nz)) {
            self.ws.detached[i * dim..i * dim + nz].copy_from_slice(row);
        }
    }

    /// The inverse share of a step, with the ramp of step `step`: its two
    /// parts, [`Trainer::generated_share`] and then
    /// [`Trainer::reconstructed_share`]. Its gradient goes to
    /// [`Trainer::inverse_grads`]; it returns the losses `rec` (its part)
    /// and `x`.
    pub fn inverse_share(&mut self, step: u64) -> Losses {
        let generated = self.generated_share(step);
        generated.with_inverse_share(&self.reconstructed_share())
    }

    /// The first part of the inverse share: L_x of
    /// f^-1([z ~ N(0, I), pad, y noisy]) against the training x, with the
    /// ramp of step `step`. It needs nothing of the forward pass, so
    /// another thread can start it at once, on a copy of the weights and
    /// of [`Trainer::inverse_share_batch`]. Its gradient replaces
    /// [`Trainer::inverse_grads`].
    pub fn generated_share(&mut self, step: u64) -> Losses {
        let n = self.cfg.batch;
        let wx = self.cfg.losses.x.active() * self.ramp(step);
        ensure_len(&mut self.grads_inv, self.params.len());
        self.grads_inv.fill(T::zero());
        let rows = if wx > 0.0 { n..2 * n } else { 0..0 };
        self.inverse_losses(rows, wx, true)
    }

    /// The second part of the inverse share: the reconstruction of the rows
    /// the forward share leaves, from the forward pass here or from
    /// [`Trainer::set_reconstruction_z`]. Its gradient is added to
    /// [`Trainer::inverse_grads`].
    pub fn reconstructed_share(&mut self) -> Losses {
        let rows = self.rows_reconstructed_in_inverse_share();
        self.inverse_losses(rows, 0.0, true)
    }

    /// The losses on one inverse pass over `rows` of the inverse input:
    /// the reconstruction for rows below the batch size (each row weighted
    /// as one of the whole batch), and L_x with weight `wx` if the rows run
    /// to twice the batch size. Gradient added to [`Trainer::inverse_grads`]
    /// if `into_inverse`, else to [`Trainer::grads`].
    fn inverse_losses(&mut self, rows: Range<usize>, wx: f64, into_inverse: bool) -> Losses {
        let cfg = &self.cfg;
        let (n, dim, nz) = (cfg.batch, cfg.ndim_tot, cfg.ndim_z);
        let wrec = cfg.losses.rec.active();
        let ws = &mut self.ws;
        let (params, net) = (&self.params, &self.net);
        let grads = if into_inverse {
            &mut self.grads_inv
        } else {
            &mut self.grads
        };
        let mut l = Losses::default();
        let count = rows.len();
        if count == 0 {
            return l;
        }
        let rec = rows.start.min(n)..rows.end.min(n);
        for (buf, len) in [
            (&mut ws.rev_out, count * dim),
            (&mut ws.g_rev, count * dim),
            (&mut ws.g_rev_in, count * dim),
            (&mut ws.rev_logdet, count),
        ] {
            ensure_len(buf, len);
        }
        // z of the reconstructed rows: f_z(x) (no gradient) plus noise.
        for i in rec.clone() {
            for j in 0..nz {
                ws.batch.rev_in[i * dim + j] =
                    ws.detached[i * dim + j] + ws.batch.z_noise[i * nz + j];
            }
        }
        ws.rev_logdet.fill(T::zero());
        net.inverse(
            params,
            &ws.batch.rev_in[rows.start * dim..rows.end * dim],
            count,
            &mut ws.rev_out,
            &mut ws.rev_logdet,
            &mut ws.inv,
        );
        ws.g_rev.fill(T::zero());
        let (rec_out, gen_out) = ws.rev_out.split_at(rec.len() * dim);
        let (g_rec, g_gen) = ws.g_rev.split_at_mut(rec.len() * dim);
        if !rec.is_empty() {
            let weight = wrec * rec.len() as f64 / n as f64;
            l.rec = weight
                * mse(
                    rec_out,
                    &ws.batch.x_in[rec.start * dim..rec.end * dim],
                    dim,
                    0..dim,
                    T::of(weight),
                    Some(g_rec),
                )
                .to_f64()
                .unwrap_or(f64::NAN);
        }
        if rows.end == 2 * n {
            ensure_len(&mut ws.x_gen, n * NDIM_X);
            ensure_len(&mut ws.g_x_gen, n * NDIM_X);
            copy_cols(gen_out, dim, 0, NDIM_X, &mut ws.x_gen);
            ws.g_x_gen.fill(T::zero());
            let v = mmd_multiscale(
                &mut ws.mmd,
                &ws.x_gen,
                &ws.batch.x,
                NDIM_X,
                T::of(wx),
                Some((&mut ws.g_x_gen, NDIM_X)),
            );
            l.x = wx * v.to_f64().unwrap_or(f64::NAN);
            paste_cols(&ws.g_x_gen, NDIM_X, g_gen, dim, 0);
        }
        net.backward_inverse(
            params,
            grads,
            &ws.g_rev,
            None,
            &mut ws.inv,
            &mut ws.scratch,
            &mut ws.g_rev_in,
        );
        l
    }

    /// Holds the stop-gradient values (f_y(x) in L_z, f_z(x) in the
    /// reconstruction input) at those of the last forward pass while `hold`
    /// is set, so that finite differences of [`Trainer::loss_and_gradient`]
    /// see the same function its backward pass differentiates.
    pub fn hold_detached(&mut self, hold: bool) {
        self.ws.hold_detached = hold;
    }

    /// Posterior samples x = f^-1([z ~ N(0, I), pad, y* noisy]) for `label`,
    /// as `x0, x1` pairs. `noise` scales the training noise fed with y* and
    /// the padding (1: what the network was trained on).
    pub fn sample_posterior(
        &mut self,
        label: usize,
        n: usize,
        seed: u64,
        noise: SampleNoise,
    ) -> Result<Vec<T>, Error> {
        let (ny, n_labels) = (self.cfg.ndim_y, self.problem.n_labels());
        if label >= n_labels {
            return Err(Error::InvalidArgument(format!(
                "label must be in 0..{n_labels}, got {label}"
            )));
        }
        if !(noise.0.is_finite() && (0.0..=1.0).contains(&noise.0)) {
            return Err(Error::InvalidArgument(format!(
                "sample noise must be in [0, 1], got {}",
                noise.0
            )));
        }
        let (dim, nz) = (self.cfg.ndim_tot, self.cfg.ndim_z);
        let mut rng = Rng::new(seed);
        let mut onehot = vec![T::zero(); ny];
        onehot[label] = T::one();
        let sw = &mut self.sample_ws;
        ensure_len(&mut sw.input, n * dim);
        ensure_len(&mut sw.output, n * dim);
        ensure_len(&mut sw.logdet, n);
        let (pad, yn) = (self.cfg.pad_noise * noise.0, self.cfg.y_noise * noise.0);
        for row in sw.input.chunks_exact_mut(dim) {
            noisy_target(&mut rng, row, &onehot, nz, pad, yn);
        }
        let weights = sampling_weights(&self.cfg, &self.averaged, &self.params);
        self.net.inverse(
            weights,
            &sw.input,
            n,
            &mut sw.output,
            &mut sw.logdet,
            &mut sw.cache,
        );
        let mut out = vec![T::zero(); n * NDIM_X];
        copy_cols(&sw.output, dim, 0, NDIM_X, &mut out);
        Ok(out)
    }

    /// The forward pass on points `x` (`x0, x1` pairs), padded with the
    /// training noise drawn from `seed` (as in training: with a latent space
    /// wider than x, part of z comes from the padding): the latent z
    /// (`n x ndim_z`) and predicted y (`n x n_labels`: the one-hot slots no
    /// label uses are left out).
    pub fn forward_points(&mut self, x: &[T], seed: u64) -> (Vec<T>, Vec<T>) {
        let (dim, nz, ny) = (self.cfg.ndim_tot, self.cfg.ndim_z, self.cfg.ndim_y);
        let n_labels = self.problem.n_labels();
        let n = x.len() / NDIM_X;
        let sw = &mut self.sample_ws;
        ensure_len(&mut sw.input, n * dim);
        ensure_len(&mut sw.output, n * dim);
        ensure_len(&mut sw.logdet, n);
        Rng::new(seed).fill_normal(&mut sw.input, self.cfg.pad_noise);
        paste_cols(x, NDIM_X, &mut sw.input, dim, 0);
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
        let mut y = vec![T::zero(); n * n_labels];
        copy_cols(&sw.output, dim, 0, nz, &mut z);
        copy_cols(&sw.output, dim, dim - ny, n_labels, &mut y);
        (z, y)
    }
}

/// Whether every value is finite. `0 x` is 0 for a finite `x` and NaN for
/// an infinite or NaN one, so the sum of those is 0 exactly when all are
/// finite: a loop without an early exit, over lanes of partial sums,
/// that vectorises (`iter().all(is_finite)` ran one value at a time, twice
/// a step, while the page's helper worker waited for the new weights).
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

/// The averaged weights if the configuration keeps an average, else the
/// raw ones (apart from the trainer, so that its sampling buffers can be
/// borrowed at the same time).
fn sampling_weights<'a, T>(cfg: &ValidConfig, averaged: &'a [T], params: &'a [T]) -> &'a [T] {
    if cfg.average_decay > 0.0 {
        averaged
    } else {
        params
    }
}

/// Writes a target row `[z ~ N(0, I), pad noise, y + y noise]`.
fn noisy_target<T: Real>(
    rng: &mut Rng,
    row: &mut [T],
    y: &[T],
    nz: usize,
    pad_noise: f64,
    y_noise: f64,
) {
    let dim = row.len();
    let ny = y.len();
    rng.fill_normal(&mut row[..nz], 1.0);
    rng.fill_normal(&mut row[nz..dim - ny], pad_noise);
    for (r, v) in row[dim - ny..].iter_mut().zip(y) {
        *r = *v + T::of(y_noise * rng.normal());
    }
}

/// Gathers `[z, y]`: the first `nz` columns of `z_rows` and the last `ny`
/// of `y_rows`.
fn join_z_y<T: Real>(z_rows: &[T], y_rows: &[T], dim: usize, nz: usize, ny: usize, out: &mut [T]) {
    for ((o, zr), yr) in out
        .chunks_exact_mut(nz + ny)
        .zip(z_rows.chunks_exact(dim))
        .zip(y_rows.chunks_exact(dim))
    {
        o[..nz].copy_from_slice(&zr[..nz]);
        o[nz..].copy_from_slice(&yr[dim - ny..]);
    }
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
