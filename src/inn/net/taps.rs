//! The network opened up: the points after every layer of one pass, for
//! the page's view of the coupling layers. A pass of its own beside
//! [`Invertible::forward`] and [`Invertible::inverse`], which training
//! runs: it keeps every stage (allocating), the training path keeps none.
//!
//! Stages are numbered along the forward direction in both passes: stage 0
//! is the padded x, stage `2k - 1` the point after block k, stage `2k` the
//! point after permutation k, and stage `2 * blocks` the output [z, pad, y].

use super::{InvertibleNet, NetCache};
use crate::inn::{BlockTrace, CouplingCache, Invertible};
use crate::linalg::Real;

/// Every stage of one pass over a batch, with each block's log|det J|.
#[derive(Clone, Debug, PartialEq)]
pub struct Taps<T> {
    /// Rows of the batch.
    pub rows: usize,
    /// `2 * blocks + 1` stages, each `rows x dim`, in forward order.
    pub stages: Vec<Vec<T>>,
    /// Per block, log|det J| of that block alone in the pass's direction
    /// (forward: `log|det J_block|`; inverse: minus it), `rows` values.
    pub block_logdets: Vec<Vec<T>>,
}

impl<T: Real> Taps<T> {
    /// Columns `cols[k]` of each stage `k`, as `(a, b)` pairs per row,
    /// stage after stage (`stages x rows x 2`).
    pub fn project(&self, cols: &[[usize; 2]]) -> Vec<T> {
        let mut out = Vec::with_capacity(self.stages.len() * self.rows * 2);
        for (stage, [a, b]) in self.stages.iter().zip(cols) {
            let dim = stage.len() / self.rows.max(1);
            for row in stage.chunks_exact(dim.max(1)) {
                out.extend([row[*a], row[*b]]);
            }
        }
        out
    }
}

impl InvertibleNet {
    /// Stages of layers in the network: `2 * blocks + 1`.
    pub fn n_stages(&self) -> usize {
        2 * self.blocks.len() + 1
    }

    /// The forward pass of `x` (`rows x dim`), stage by stage: bit for bit
    /// the pass of [`Invertible::forward`].
    pub fn forward_taps<T: Real>(&self, p: &[T], x: &[T], rows: usize) -> Taps<T> {
        self.traced_taps(p, x, rows, None).0
    }

    /// [`InvertibleNet::forward_taps`], with the live values of block
    /// `block` (0-based) on row `row`, if both exist.
    pub fn traced_taps<T: Real>(
        &self,
        p: &[T],
        x: &[T],
        rows: usize,
        trace: Option<(usize, usize)>,
    ) -> (Taps<T>, Option<BlockTrace<T>>) {
        let mut stages = vec![x.to_vec()];
        let mut block_logdets = Vec::with_capacity(self.blocks.len());
        let mut traced = None;
        for (k, (block, perm)) in self.blocks.iter().zip(&self.perms).enumerate() {
            let (mut after, mut ld) = (vec![T::zero(); x.len()], vec![T::zero(); rows]);
            let mut cache = CouplingCache::default();
            let last = stages.last().expect("stage 0");
            block.forward(p, last, rows, &mut after, &mut ld, &mut cache);
            if let Some((_, row)) = trace.filter(|&(b, row)| b == k && row < rows) {
                traced = Some(block.read_trace(&cache, &ld, row, false));
            }
            let mut permuted = vec![T::zero(); x.len()];
            perm.forward(p, &after, rows, &mut permuted, &mut ld, &mut ());
            stages.extend([after, permuted]);
            block_logdets.push(ld);
        }
        let taps = Taps {
            rows,
            stages,
            block_logdets,
        };
        (taps, traced)
    }

    /// The inverse pass of `y` (`rows x dim`, an output [z, pad, y]), stage
    /// by stage, stored in forward order (`stages[0]` is the x it reaches):
    /// bit for bit the pass of [`Invertible::inverse`].
    pub fn inverse_taps<T: Real>(&self, p: &[T], y: &[T], rows: usize) -> Taps<T> {
        self.traced_inverse_taps(p, y, rows, None).0
    }

    /// [`InvertibleNet::inverse_taps`], with the live values of block
    /// `block` (0-based) on row `row` as the inverse pass computes them,
    /// if both exist.
    pub fn traced_inverse_taps<T: Real>(
        &self,
        p: &[T],
        y: &[T],
        rows: usize,
        trace: Option<(usize, usize)>,
    ) -> (Taps<T>, Option<BlockTrace<T>>) {
        let mut stages = vec![y.to_vec()];
        let mut block_logdets = Vec::with_capacity(self.blocks.len());
        let mut traced = None;
        for (k, (block, perm)) in self.blocks.iter().zip(&self.perms).enumerate().rev() {
            let (mut before, mut ld) = (vec![T::zero(); y.len()], vec![T::zero(); rows]);
            let last = stages.last().expect("the output stage");
            perm.inverse(p, last, rows, &mut before, &mut ld, &mut ());
            let mut x = vec![T::zero(); y.len()];
            let mut cache = CouplingCache::default();
            block.inverse(p, &before, rows, &mut x, &mut ld, &mut cache);
            if let Some((_, row)) = trace.filter(|&(b, row)| b == k && row < rows) {
                traced = Some(block.read_trace(&cache, &ld, row, true));
            }
            stages.extend([before, x]);
            block_logdets.push(ld);
        }
        stages.reverse();
        block_logdets.reverse();
        let taps = Taps {
            rows,
            stages,
            block_logdets,
        };
        (taps, traced)
    }

    /// The block (0-based) whose equations go with stage `stage`: the
    /// block last passed on the way there, forward from x or, if
    /// `inverse`, back from the output; before any block is passed, the
    /// first one the pass meets. `None` past the last stage.
    pub fn block_passed(&self, stage: usize, inverse: bool) -> Option<usize> {
        let blocks = self.blocks.len();
        // Forward, block k (0-based) leads to stage 2k + 1; inverse, to 2k.
        let k = if inverse {
            stage.div_ceil(2).min(blocks.saturating_sub(1))
        } else {
            stage.saturating_sub(1) / 2
        };
        (stage < self.n_stages() && k < blocks).then_some(k)
    }

    /// log|det J_f| of the whole forward map at each row of `x`: the
    /// value [`Invertible::forward`] adds.
    pub fn forward_logdet<T: Real>(&self, p: &[T], x: &[T], rows: usize) -> Vec<T> {
        let (mut y, mut ld) = (vec![T::zero(); x.len()], vec![T::zero(); rows]);
        self.forward(p, x, rows, &mut y, &mut ld, &mut NetCache::default());
        ld
    }

    /// Where columns `start` of stage 0 are at each stage: blocks keep a
    /// column in place, a permutation moves it (`y[:, j] = x[:, perm[j]]`).
    pub fn tracked_columns(&self, start: [usize; 2]) -> Vec<[usize; 2]> {
        let mut at = start;
        let mut out = vec![at];
        for perm in &self.perms {
            out.push(at);
            let idx = perm.indices();
            at = at.map(|c| idx.iter().position(|&j| j == c).expect("a permutation"));
            out.push(at);
        }
        out
    }
}
