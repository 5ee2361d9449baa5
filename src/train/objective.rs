//! The objective: the paper's losses on one batch and their gradient, in
//! the two halves of a step. The forward half runs f(x) with L_y, L_z and
//! the maximum-likelihood term, and reconstructs the first rows of the
//! batch; the inverse half runs f^-1 for L_x and reconstructs the other
//! rows. [`super::split`] says which rows each half takes and how the
//! halves are summed.

use super::batch::Batch;
use super::split::SplitStep;
use super::{Losses, Trainer};
use crate::inn::{Invertible, NetCache, Scratch};
use crate::linalg::{copy_cols, ensure_len, paste_cols, Real};
use crate::loss::{max_likelihood, mmd_multiscale, mse, MmdScratch};
use std::ops::Range;

/// Every buffer of a step, sized on first use and reused after.
#[derive(Clone, Debug, Default)]
pub(super) struct Workspace<T> {
    /// The batch of the current step.
    pub batch: Batch<T>,
    /// The next step's batch, once [`Trainer::prefetch_batch`] has drawn it.
    pub next: Batch<T>,
    /// Whether `next` holds a batch drawn ahead.
    pub next_drawn: bool,
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
    pub detached: Vec<T>,
    hold_detached: bool,
    mmd: MmdScratch<T>,
    scratch: Scratch<T>,
    fwd: NetCache<T>,
    inv: NetCache<T>,
}

impl<T: Real> Trainer<T> {
    /// Loss and gradient (into [`Trainer::grads`]) on the batch of the last
    /// [`Trainer::draw_batch`]; deterministic given the weights and the batch.
    /// It is the sum of the two halves of a step, added as a step adds
    /// them ([`SplitStep::sum_halves`]).
    pub fn loss_and_gradient(&mut self) -> Losses {
        let forward = self.forward_half();
        let inverse = self.inverse_half(self.step);
        SplitStep::sum_halves(&mut self.grads, &self.grads_inv, forward, inverse)
    }

    /// Holds the stop-gradient values (f_y(x) in L_z, f_z(x) in the
    /// reconstruction input) at those of the last forward pass while `hold`
    /// is set, so that finite differences of [`Trainer::loss_and_gradient`]
    /// see the same function its backward pass differentiates.
    pub fn hold_detached(&mut self, hold: bool) {
        self.ws.hold_detached = hold;
    }

    /// The forward half of a step: [`Trainer::forward_pass`], then
    /// [`Trainer::forward_losses`]. Its gradient goes to `grads`.
    pub(super) fn forward_half(&mut self) -> Losses {
        self.forward_pass();
        self.forward_losses()
    }

    /// The forward pass f(x) of the batch, after which the z rows the
    /// inverse half reconstructs are known (in `detached`).
    pub(super) fn forward_pass(&mut self) {
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

    /// The rest of the forward half after [`Trainer::forward_pass`]: the
    /// losses on f(x), their gradient and the forward half's rows of the
    /// reconstruction.
    pub(super) fn forward_losses(&mut self) -> Losses {
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
        let rows = self.split_step().forward_rows();
        let inv = self.inverse_losses(rows, 0.0, false);
        l.rec = inv.rec;
        l
    }

    /// The inverse half of a step, with the ramp of step `step`: the L_x
    /// pass, then the reconstruction pass. Its gradient goes to `grads_inv`.
    pub(super) fn inverse_half(&mut self, step: u64) -> Losses {
        let lx = self.inverse_lx_pass(step);
        SplitStep::join_inverse_passes(lx, self.inverse_rec_pass())
    }

    /// The first pass of the inverse half: L_x of
    /// f^-1([z ~ N(0, I), pad, y noisy]) against the training x, with the
    /// ramp of step `step`. It needs nothing of the forward pass, so the
    /// helper starts it as soon as it has the weights and the batch. Its
    /// gradient replaces `grads_inv`.
    pub(super) fn inverse_lx_pass(&mut self, step: u64) -> Losses {
        let n = self.cfg.batch;
        let wx = self.cfg.losses.x.active() * self.ramp(step);
        ensure_len(&mut self.grads_inv, self.params.len());
        self.grads_inv.fill(T::zero());
        let rows = if wx > 0.0 { n..2 * n } else { 0..0 };
        self.inverse_losses(rows, wx, true)
    }

    /// The second pass of the inverse half: the reconstruction of the rows
    /// the forward half leaves, from the z rows in `detached` (of the
    /// forward pass here, or of the worker's). Its gradient is added to
    /// `grads_inv`.
    pub(super) fn inverse_rec_pass(&mut self) -> Losses {
        let rows = self.split_step().inverse_rows();
        self.inverse_losses(rows, 0.0, true)
    }

    /// The losses on one inverse pass over `rows` of the inverse input:
    /// the reconstruction for rows below the batch size (each row weighted
    /// as one of the whole batch), and L_x with weight `wx` if the rows run
    /// to twice the batch size. Gradient added to `grads_inv` if
    /// `into_inverse`, else to `grads`.
    fn inverse_losses(&mut self, rows: Range<usize>, wx: f64, into_inverse: bool) -> Losses {
        let cfg = &self.cfg;
        let (n, dim, nz, nx) = (cfg.batch, cfg.ndim_tot, cfg.ndim_z, cfg.ndim_x);
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
            ensure_len(&mut ws.x_gen, n * nx);
            ensure_len(&mut ws.g_x_gen, n * nx);
            copy_cols(gen_out, dim, 0, nx, &mut ws.x_gen);
            ws.g_x_gen.fill(T::zero());
            let v = mmd_multiscale(
                &mut ws.mmd,
                &ws.x_gen,
                &ws.batch.x,
                nx,
                T::of(wx),
                Some((&mut ws.g_x_gen, nx)),
            );
            l.x = wx * v.to_f64().unwrap_or(f64::NAN);
            paste_cols(&ws.g_x_gen, nx, g_gen, dim, 0);
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
