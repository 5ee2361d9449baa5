//! The two workers' sides of a split step. Each is a small state machine:
//! `next` does the work that comes next, hands over a packet or asks for
//! one, and refuses a packet that does not come next, so that a transport
//! cannot run a step out of order.

use super::{Packet, PacketKind, PacketSize, SplitStep, HEADER};
use crate::error::Error;
use crate::linalg::{ensure_len, Real};
use crate::train::{Losses, StepReport, Trainer};

/// What a side asks of its transport.
#[derive(Debug)]
pub enum Next<P> {
    /// Deliver this packet to the other side, then call `next` again.
    Send(P),
    /// Wait for the other side's packet of this kind and pass it to `next`.
    Receive(PacketKind),
    /// The step is done (the worker's side).
    Done(StepReport),
}

/// Where the worker stands in a step.
#[derive(Clone, Copy, Debug, Default)]
enum ForwardStage {
    /// No step under way.
    #[default]
    Idle,
    /// The step packet went out (batch drawn).
    StepSent { step: u64 },
    /// The z rows went out (forward pass done).
    RowsSent { step: u64 },
    /// The forward half is done, with these losses; the reply is due.
    Waiting { step: u64, forward: Losses },
}

/// The worker's side: its trainer draws the batch, runs the forward half,
/// and moves the weights once the helper's inverse half has come back.
#[derive(Clone, Debug, Default)]
pub struct ForwardSide<T> {
    stage: ForwardStage,
    /// The z rows for the helper, gathered for one copy into the packet.
    z: Vec<T>,
}

/// A packet of `kind` and `size` to be written, from the transport.
pub type Fresh<'a, P> = dyn FnMut(PacketKind, PacketSize) -> Result<P, Error> + 'a;

fn refused(what: String) -> Error {
    Error::InvalidArgument(format!("split step: {what}"))
}

/// The header of `packet` if it is a packet of `kind` for `step`, of the
/// size `plan` gives it.
fn check<T, P: Packet<T>>(
    packet: &P,
    plan: &SplitStep,
    kind: PacketKind,
    step: Option<u64>,
) -> Result<[f64; HEADER], Error> {
    let h = packet.read_header();
    let got = PacketKind::from_header(h[0]);
    if got != Some(kind) {
        return Err(refused(format!("expected a {kind:?} packet, got {got:?}")));
    }
    if step.is_some_and(|s| s as f64 != h[1]) {
        return Err(refused(format!(
            "a {kind:?} packet of step {}, where step {} is under way",
            h[1],
            step.unwrap_or(0)
        )));
    }
    if !packet.has_size(plan.size(kind)) {
        return Err(refused(format!(
            "a {kind:?} packet of another size than this network's"
        )));
    }
    Ok(h)
}

impl<T: Real> ForwardSide<T> {
    /// Whether a step is under way (begun, not yet done).
    pub fn under_way(&self) -> bool {
        !matches!(self.stage, ForwardStage::Idle)
    }

    /// Does what comes next in the step of `t`: with no step under way,
    /// draws the batch and sends the step packet; then the forward pass,
    /// sending the z rows; then the rest of the forward half (and draws
    /// the next batch) and asks for the reply; given the reply, adds the
    /// halves and moves the weights. `fresh` gives the packets to write.
    pub fn next<P: Packet<T>>(
        &mut self,
        t: &mut Trainer<T>,
        incoming: Option<&P>,
        fresh: &mut Fresh<'_, P>,
    ) -> Result<Next<P>, Error> {
        let plan = t.split_step();
        match (self.stage, incoming) {
            (ForwardStage::Idle, None) => {
                // The packet first: a transport that cannot give one must
                // not leave a batch drawn (the next try would draw another).
                let mut p = fresh(PacketKind::Step, plan.size(PacketKind::Step))?;
                t.draw_batch();
                let step = t.step;
                p.write_header(&[PacketKind::Step as u8 as f64, step as f64, 0.0, 0.0]);
                let b = &t.ws.batch;
                let parts = [&t.params, &b.x_in, &b.rev_in, &b.z_noise, &b.x];
                for (part, at) in parts.into_iter().zip(plan.step_segments()) {
                    p.write(at.start, part);
                }
                self.stage = ForwardStage::StepSent { step };
                Ok(Next::Send(p))
            }
            (ForwardStage::StepSent { step }, None) => {
                t.forward_pass();
                let (dim, nz) = (t.cfg.ndim_tot, t.cfg.ndim_z);
                self.z.clear();
                for i in plan.inverse_rows() {
                    self.z
                        .extend_from_slice(&t.ws.detached[i * dim..i * dim + nz]);
                }
                let mut p = fresh(PacketKind::Rows, plan.size(PacketKind::Rows))?;
                p.write_header(&[PacketKind::Rows as u8 as f64, step as f64, 0.0, 0.0]);
                p.write(0, &self.z);
                self.stage = ForwardStage::RowsSent { step };
                Ok(Next::Send(p))
            }
            (ForwardStage::RowsSent { step }, None) => {
                let forward = t.forward_losses();
                t.prefetch_batch();
                self.stage = ForwardStage::Waiting { step, forward };
                Ok(Next::Receive(PacketKind::Reply))
            }
            (ForwardStage::Waiting { .. }, None) => Ok(Next::Receive(PacketKind::Reply)),
            (ForwardStage::Waiting { step, forward }, Some(reply)) => {
                let h = check(reply, &plan, PacketKind::Reply, Some(step))?;
                ensure_len(&mut t.grads_inv, t.params.len());
                reply.read(0, &mut t.grads_inv);
                let inverse = Losses {
                    rec: h[2],
                    x: h[3],
                    ..Losses::default()
                };
                self.stage = ForwardStage::Idle;
                Ok(Next::Done(t.apply_halves(forward, inverse)?))
            }
            (stage, Some(_)) => Err(refused(format!(
                "a packet came while the worker had not asked for one ({stage:?})"
            ))),
        }
    }

    /// Completes the step under way without the helper (gone or failed):
    /// what is left of the forward half, then the inverse half, here; with
    /// no step under way, a whole step. The same bits as with the helper.
    pub fn finish_alone(&mut self, t: &mut Trainer<T>) -> Result<StepReport, Error> {
        let stage = std::mem::take(&mut self.stage);
        let (step, forward) = match stage {
            ForwardStage::Idle => return t.step(),
            ForwardStage::StepSent { step } => (step, t.forward_half()),
            ForwardStage::RowsSent { step } => (step, t.forward_losses()),
            ForwardStage::Waiting { step, forward } => (step, forward),
        };
        let inverse = t.inverse_half(step);
        t.apply_halves(forward, inverse)
    }
}

/// Where the helper stands in a step.
#[derive(Clone, Copy, Debug, Default)]
enum InverseStage {
    /// Waiting for a step packet.
    #[default]
    Idle,
    /// The L_x pass of `step` is done; the z rows are due.
    LxDone { step: u64, lx: Losses },
}

/// The helper's side: its trainer takes the weights and batch of each step
/// packet, runs the inverse half and replies with its gradient and losses.
/// It keeps no training state between steps.
#[derive(Clone, Debug, Default)]
pub struct InverseSide<T> {
    stage: InverseStage,
    z: Vec<T>,
}

impl<T: Real> InverseSide<T> {
    /// Whether it waits for the first packet of a step (between steps).
    pub fn between_steps(&self) -> bool {
        matches!(self.stage, InverseStage::Idle)
    }

    /// Does what comes next: given a step packet, takes its weights and
    /// batch and runs the L_x pass; given the z rows, runs the
    /// reconstruction pass and sends the reply; without a packet, asks
    /// for the one it needs.
    pub fn next<P: Packet<T>>(
        &mut self,
        t: &mut Trainer<T>,
        incoming: Option<&P>,
        fresh: &mut Fresh<'_, P>,
    ) -> Result<Next<P>, Error> {
        let plan = t.split_step();
        let Some(packet) = incoming else {
            return Ok(Next::Receive(match self.stage {
                InverseStage::Idle => PacketKind::Step,
                InverseStage::LxDone { .. } => PacketKind::Rows,
            }));
        };
        match self.stage {
            InverseStage::Idle => {
                let h = check(packet, &plan, PacketKind::Step, None)?;
                let step = h[1] as u64;
                let (n, dim, nz, nx) = (t.cfg.batch, t.cfg.ndim_tot, t.cfg.ndim_z, t.cfg.ndim_x);
                let b = &mut t.ws.batch;
                let parts = [
                    (&mut t.params, 0),
                    (&mut b.x_in, n * dim),
                    (&mut b.rev_in, 2 * n * dim),
                    (&mut b.z_noise, n * nz),
                    (&mut b.x, n * nx),
                ];
                for ((part, len), at) in parts.into_iter().zip(plan.step_segments()) {
                    if len > 0 {
                        ensure_len(part, len);
                    }
                    packet.read(at.start, part);
                }
                let lx = t.inverse_lx_pass(step);
                self.stage = InverseStage::LxDone { step, lx };
                Ok(Next::Receive(PacketKind::Rows))
            }
            InverseStage::LxDone { step, lx } => {
                check(packet, &plan, PacketKind::Rows, Some(step))?;
                let (n, dim, nz) = (t.cfg.batch, t.cfg.ndim_tot, t.cfg.ndim_z);
                ensure_len(&mut self.z, plan.size(PacketKind::Rows).values);
                packet.read(0, &mut self.z);
                ensure_len(&mut t.ws.detached, n * dim);
                for (i, row) in plan.inverse_rows().zip(self.z.chunks_exact(nz)) {
                    t.ws.detached[i * dim..i * dim + nz].copy_from_slice(row);
                }
                let l = SplitStep::join_inverse_passes(lx, t.inverse_rec_pass());
                let mut p = fresh(PacketKind::Reply, plan.size(PacketKind::Reply))?;
                p.write_header(&[PacketKind::Reply as u8 as f64, step as f64, l.rec, l.x]);
                p.write(0, &t.grads_inv);
                self.stage = InverseStage::Idle;
                Ok(Next::Send(p))
            }
        }
    }
}
