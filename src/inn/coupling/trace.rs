//! One block's live values on one point, in either direction: what the
//! page writes into the block's equations.

use super::{CouplingBlock, CouplingCache, SOFT_CLAMP_SLOPE};
use crate::linalg::Real;

/// One pass of a block on one point, sub-step by sub-step. Forward:
///   [s2_raw, t2] = net2(u2);  s2 = a(s2_raw);  v1 = u1 * exp(s2) + t2
///   [s1_raw, t1] = net1(v1);  s1 = a(s1_raw);  v2 = u2 * exp(s1) + t1
/// inverse, the same names undone in the opposite order:
///   [s1_raw, t1] = net1(v1);  s1 = a(s1_raw);  u2 = (v2 - t1) * exp(-s1)
///   [s2_raw, t2] = net2(u2);  s2 = a(s2_raw);  u1 = (v1 - t2) * exp(-s2)
/// with the soft clamp a. The values are the pass's own (read from its
/// cache), and the exp is the one the block applies ([`Real::scale_exp`]),
/// so they give the pass's outputs bit for bit.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockTrace<T> {
    /// The input's first half.
    pub u1: Vec<T>,
    /// The input's second half.
    pub u2: Vec<T>,
    /// net2's log-scales before the clamp.
    pub s2_raw: Vec<T>,
    /// The clamped log-scales applied to u1.
    pub s2: Vec<T>,
    /// net2's shifts.
    pub t2: Vec<T>,
    /// The output's first half.
    pub v1: Vec<T>,
    /// net1's log-scales before the clamp.
    pub s1_raw: Vec<T>,
    /// The clamped log-scales applied to u2.
    pub s1: Vec<T>,
    /// net1's shifts.
    pub t1: Vec<T>,
    /// The output's second half.
    pub v2: Vec<T>,
    /// The block's log|det J| at this point in the pass's direction:
    /// forward `sum s2 + sum s1`, inverse `-sum s1 - sum s2`.
    pub logdet: T,
    /// Whether the pass was the inverse (v to u).
    pub inverse: bool,
    /// The soft clamp's bound: |s| < clamp.
    pub clamp: f64,
}

impl CouplingBlock {
    /// The trace of row `row` of the pass that filled `c` (the inverse if
    /// `inverse`), whose log|det J| per row is `logdet`. Both directions
    /// keep u in `h1`, `h2`, v in `v1`, `v2`, net1(v1) and net2(u2).
    pub(crate) fn read_trace<T: Real>(
        &self,
        c: &CouplingCache<T>,
        logdet: &[T],
        row: usize,
        inverse: bool,
    ) -> BlockTrace<T> {
        let (d1, d2) = (self.d1, self.d2);
        let pick = |m: &[T], d: usize| m[row * d..(row + 1) * d].to_vec();
        let (r2, r1) = (pick(c.net2.output(), 2 * d1), pick(c.net1.output(), 2 * d2));
        let clamped = |s: &[T]| s.iter().map(|&s| soft_clamp(self.clamp, s)).collect();
        BlockTrace {
            u1: pick(&c.h1, d1),
            u2: pick(&c.h2, d2),
            s2: clamped(&r2[..d1]),
            s2_raw: r2[..d1].to_vec(),
            t2: r2[d1..].to_vec(),
            v1: pick(&c.v1, d1),
            s1: clamped(&r1[..d2]),
            s1_raw: r1[..d2].to_vec(),
            t1: r1[d2..].to_vec(),
            v2: pick(&c.v2, d2),
            logdet: logdet[row],
            inverse,
            clamp: self.clamp,
        }
    }
}

/// a(s) = clamp * 0.636 * atan(s / clamp), in the operations the block's
/// pass uses, so that its bits are the block's.
fn soft_clamp<T: Real>(clamp: f64, s: T) -> T {
    let c = T::of(clamp);
    c * T::of(SOFT_CLAMP_SLOPE) * (s / c).clamp_atan()
}
