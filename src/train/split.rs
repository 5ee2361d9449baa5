//! A step split between two workers, as the page runs it on two cores: the
//! worker, which holds the trainer and its optimiser, runs the forward
//! half; the helper, which holds nothing but the network's structure, runs
//! the inverse half on what the worker sends it. [`SplitStep`] says what
//! each half computes, what crosses between the two (the packets and their
//! layout) and how the halves are summed; [`ForwardSide`] and
//! [`InverseSide`] are the two workers' sides of the exchange, and accept
//! packets only in the order of a step. Transports (shared memory,
//! messages) only move the packets. A split step gives the same bits as
//! [`Trainer::step`], which runs both halves in one place.

mod sides;
#[cfg(test)]
mod tests;

pub use sides::{ForwardSide, Fresh, InverseSide, Next};

use super::{Losses, StepReport, Trainer};
use crate::config::TrainConfig;
use crate::error::Error;
use crate::inn::{InvertibleNet, Permutation};
use crate::linalg::Real;
use crate::model_file::read_permutations;
use crate::rng::Rng;
use serde::Serialize;
use std::ops::Range;

/// The packets that cross between the two workers, in the order of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PacketKind {
    /// Worker to helper: the weights and the batch the inverse half reads.
    Step = 0,
    /// Worker to helper: f_z(x) of the rows the inverse half reconstructs,
    /// from the worker's forward pass.
    Rows = 1,
    /// Helper to worker: the inverse half's losses and gradient.
    Reply = 2,
}

impl PacketKind {
    /// Every kind, by number.
    pub const ALL: [PacketKind; 3] = [PacketKind::Step, PacketKind::Rows, PacketKind::Reply];

    fn from_header(v: f64) -> Option<Self> {
        Self::ALL.into_iter().find(|k| *k as u8 as f64 == v)
    }
}

/// Scalars (f64) at the head of every packet: `[kind, step, rec, x]`, the
/// kind, the number of steps done before the step it belongs to, and in a
/// reply the inverse half's losses (0 in the others).
pub const HEADER: usize = 4;

/// The size of a packet: [`HEADER`] f64 scalars, then `values` of the
/// trainer's float type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketSize {
    /// Values after the header.
    pub values: usize,
}

impl PacketSize {
    /// Bytes of the packet with values of `value_bytes` bytes each (the
    /// header first, so that it stays aligned for f64).
    pub fn bytes(&self, value_bytes: usize) -> usize {
        8 * HEADER + value_bytes * self.values
    }
}

/// Where a packet is written and read: a buffer of its own (a message, or
/// a vector in native steps) or an area of memory both workers share.
pub trait Packet<T> {
    /// Whether it has room for exactly `size`.
    fn has_size(&self, size: PacketSize) -> bool;
    /// Writes the header scalars.
    fn write_header(&mut self, header: &[f64; HEADER]);
    /// Reads the header scalars.
    fn read_header(&self) -> [f64; HEADER];
    /// Writes `values` from value `at` on.
    fn write(&mut self, at: usize, values: &[T]);
    /// Reads `into.len()` values from value `at` on.
    fn read(&self, at: usize, into: &mut [T]);
}

/// A packet held in a vector (native split steps).
#[derive(Clone, Debug, PartialEq)]
pub struct VecPacket<T> {
    header: [f64; HEADER],
    values: Vec<T>,
}

impl<T: Real> VecPacket<T> {
    /// A zeroed packet of `size`.
    pub fn new(size: PacketSize) -> Self {
        VecPacket {
            header: [0.0; HEADER],
            values: vec![T::zero(); size.values],
        }
    }
}

impl<T: Real> Packet<T> for VecPacket<T> {
    fn has_size(&self, size: PacketSize) -> bool {
        self.values.len() == size.values
    }
    fn write_header(&mut self, header: &[f64; HEADER]) {
        self.header = *header;
    }
    fn read_header(&self) -> [f64; HEADER] {
        self.header
    }
    fn write(&mut self, at: usize, values: &[T]) {
        self.values[at..at + values.len()].copy_from_slice(values);
    }
    fn read(&self, at: usize, into: &mut [T]) {
        into.copy_from_slice(&self.values[at..at + into.len()]);
    }
}

/// How a step of one configuration splits between the two workers.
///
/// - The forward half (the worker): f(x), L_y, L_z and the
///   maximum-likelihood term, and the reconstruction of the rows
///   [`SplitStep::forward_rows`]; its gradient goes to `grads`.
/// - The inverse half (the helper): L_x through f^-1 of sampled z, then
///   the reconstruction of the rows [`SplitStep::inverse_rows`] through
///   f^-1 of the worker's f_z(x); its gradient goes to `grads_inv`.
/// - Packets, in this order: [`PacketKind::Step`] (weights, then the
///   inverse half's batch: padded x, inverse input, the perturbation of
///   the reconstructed z, training x; see [`SplitStep::step_segments`]),
///   [`PacketKind::Rows`] (`ndim_z` values per row of
///   [`SplitStep::inverse_rows`]) and [`PacketKind::Reply`] (the
///   gradient; the losses in the header).
/// - The sums: [`SplitStep::join_inverse_passes`] within the inverse
///   half, then [`SplitStep::sum_halves`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitStep {
    batch: usize,
    dim: usize,
    nz: usize,
    nx: usize,
    n_params: usize,
    /// Rows the forward half reconstructs (the first ones); the inverse
    /// half reconstructs the others, or none without a reconstruction loss.
    forward_rows: usize,
    reconstructs: bool,
}

impl SplitStep {
    /// Which rows of the batch the forward half reconstructs. Three
    /// eighths of the batch balance the two workers on `fast` (the
    /// inverse half also runs L_x); the split sets the order of sums, so
    /// changing it changes the bits of every run.
    pub fn forward_rows(&self) -> Range<usize> {
        0..self.forward_rows
    }

    /// Which rows of the batch the inverse half reconstructs.
    pub fn inverse_rows(&self) -> Range<usize> {
        if self.reconstructs {
            self.forward_rows..self.batch
        } else {
            0..0
        }
    }

    /// The size of a packet of `kind`.
    pub fn size(&self, kind: PacketKind) -> PacketSize {
        let values = match kind {
            PacketKind::Step => self.step_segments()[4].end,
            PacketKind::Rows => self.inverse_rows().len() * self.nz,
            PacketKind::Reply => self.n_params,
        };
        PacketSize { values }
    }

    /// Where the values of a step packet lie: the weights, the padded x
    /// (`batch x ndim_tot`), the inverse input (`2 batch x ndim_tot`),
    /// the perturbation of the reconstructed z (`batch x ndim_z`) and the
    /// training x (`batch x ndim_x`).
    pub fn step_segments(&self) -> [Range<usize>; 5] {
        let (n, dim) = (self.batch, self.dim);
        let lens = [
            self.n_params,
            n * dim,
            2 * n * dim,
            n * self.nz,
            n * self.nx,
        ];
        let mut at = 0;
        lens.map(|len| {
            at += len;
            at - len..at
        })
    }

    /// The inverse half's losses from its two passes, the L_x pass first.
    pub fn join_inverse_passes(mut lx: Losses, rec: Losses) -> Losses {
        lx.rec += rec.rec;
        lx.x += rec.x;
        lx
    }

    /// The step's gradient and losses from its two halves: one addition per
    /// weight, which commutes, so either worker may hold either half; the
    /// reconstruction losses of both halves added, and the total summed in
    /// the order of the [`Losses`] fields.
    pub fn sum_halves<T: Real>(
        grads: &mut [T],
        grads_inverse: &[T],
        forward: Losses,
        inverse: Losses,
    ) -> Losses {
        for (g, h) in grads.iter_mut().zip(grads_inverse) {
            *g += *h;
        }
        let mut l = forward;
        l.rec += inverse.rec;
        l.x += inverse.x;
        l.total = l.y + l.z + l.x + l.rec + l.ml;
        l
    }
}

/// What the helper is made from: the network's structure (configuration
/// and permutations); the weights come with every step packet.
#[derive(Serialize)]
struct Opening {
    config: TrainConfig,
    permutations: Vec<Vec<usize>>,
}

impl<T: Real> Trainer<T> {
    /// How this trainer's steps split between two workers.
    pub fn split_step(&self) -> SplitStep {
        let cfg = &self.cfg;
        let reconstructs = cfg.losses.rec.active() > 0.0;
        SplitStep {
            batch: cfg.batch,
            dim: cfg.ndim_tot,
            nz: cfg.ndim_z,
            nx: cfg.ndim_x,
            n_params: self.params.len(),
            forward_rows: if reconstructs { cfg.batch * 3 / 8 } else { 0 },
            reconstructs,
        }
    }

    /// The opening a helper is made from ([`Trainer::helper_from_opening`]):
    /// the network's structure, without the weights.
    pub fn helper_opening(&self) -> Vec<u8> {
        let opening = Opening {
            config: self.cfg.config().clone(),
            permutations: self
                .net
                .permutations()
                .iter()
                .map(|p| p.indices().to_vec())
                .collect(),
        };
        serde_json::to_vec(&opening).expect("a configuration serialises")
    }

    /// A helper's trainer from a worker's [`Trainer::helper_opening`]: the
    /// same network, with weights that the first step packet sets.
    pub fn helper_from_opening(opening: &[u8]) -> Result<Self, Error> {
        let bad = |why: String| Error::InvalidArgument(format!("a helper's opening {why}"));
        // Read as model files are, so that the page's module holds one
        // reader of configurations.
        let text = std::str::from_utf8(opening).map_err(|e| bad(format!("{e}")))?;
        let value = crate::json::parse(text).map_err(|e| bad(format!("{e}")))?;
        let field = |k: &str| value.get(k).ok_or_else(|| bad(format!("has no \"{k}\"")));
        let cfg = TrainConfig::from_json(field("config")?)
            .map_err(|e| bad(format!("has a bad configuration: {e}")))?
            .check()?;
        let perms = read_permutations(field("permutations")?)
            .map_err(|e| bad(format!("has bad permutations: {e}")))?
            .into_iter()
            .map(Permutation::new)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(format!("has a bad permutation: {e}")))?;
        if perms.len() != cfg.blocks || perms.iter().any(|p| p.indices().len() != cfg.ndim_tot) {
            return Err(bad("does not fit its configuration".into()));
        }
        let net = InvertibleNet::new(cfg.ndim_tot, cfg.hidden, cfg.depth, cfg.clamp, perms);
        let params = vec![T::zero(); net.n_params()];
        let rng = Rng::new(cfg.seed);
        Self::assemble(cfg, net, params, rng, 0)
    }

    /// One step with its inverse half run by `helper`, a trainer of the
    /// same network that sees nothing but the packets: the exchange of the
    /// page's two workers, one side after the other. Gives the same bits as
    /// [`Trainer::step`].
    pub fn step_with_helper(&mut self, helper: &mut Trainer<T>) -> Result<StepReport, Error> {
        let mut worker = ForwardSide::default();
        let mut inverse = InverseSide::default();
        let mut fresh = |_: PacketKind, size: PacketSize| Ok(VecPacket::new(size));
        let (mut reply, mut incoming): (Option<VecPacket<T>>, _) = (None, None);
        loop {
            match worker.next(self, incoming.take().as_ref(), &mut fresh)? {
                Next::Send(packet) => {
                    if let Next::Send(r) = inverse.next(helper, Some(&packet), &mut fresh)? {
                        reply = Some(r);
                    }
                }
                Next::Receive(kind) => {
                    incoming = Some(reply.take().ok_or_else(|| {
                        Error::InvalidArgument(format!("the helper sent no {kind:?} packet"))
                    })?);
                }
                Next::Done(report) => return Ok(report),
            }
        }
    }
}
