//! Solving one angle of a candidate for a target, with the geometry that
//! does not depend on the target computed once per candidate.
//!
//! With φ = θ0 + a_j the solved segment's absolute angle, ψ_s = θ_s - θ_j
//! for the segments s >= j and P_k = Σ_{s>=k} l_s e^{iψ_s} (P_j = R e^{iδ}),
//! the target's y1 fixes e^{i(φ+δ)} = c ± i sqrt(1 - c²) with
//! c = (y1 - F) / R. Every later quantity is then linear in that unit
//! vector: with Q_k = P_k e^{-iδ},
//!
//!   Σ_{s>=k} l_s sin θ_s = Im(e^{i(φ+δ)} Q_k),
//!
//! which gives the tip's height (hence x1) and every g_k = ∂y1/∂a_k with
//! no further trigonometry; only the solved angle itself needs an acos.

use super::super::{ARM_LENGTHS, ARM_PRIOR_STD};
use crate::rng::Rng;
use std::f64::consts::TAU;

/// log of the N(0, s1²) normaliser of the rail height, log(s1 sqrt(2π)).
fn log_norm_rail() -> f64 {
    (ARM_PRIOR_STD[0] * TAU.sqrt()).ln()
}

/// One candidate of the pool: the chart (solved angle `j`, 0 for x2), the
/// two drawn angles, the noise draws of the observation, and the geometry
/// of the solve.
#[derive(Clone, Copy, Debug)]
pub(super) struct Candidate {
    /// The solved angle, 0 for x2.
    pub j: usize,
    /// The drawn angles in place; x1 and the solved angle are 0.
    pub x: [f64; 4],
    /// Standard normal draws of the observation noise, per tip coordinate.
    pub noise: [f64; 2],
    /// F: horizontal reach of the segments before j.
    reach_before: f64,
    /// R = |P_j|.
    radius: f64,
    /// δ + θ0: the solved angle is ±acos(c) minus this.
    shift: f64,
    /// Σ_{k<=s<j} l_s sin θ_s for k < j (0 for k >= j).
    before: [f64; 3],
    /// Q_max(k, j) as (re, im).
    q: [[f64; 2]; 3],
    /// α_k s_k sqrt(2π) e^{a_k²/2s_k²} for the drawn angles, α_j s_j sqrt(2π)
    /// for the solved one: the chart's share over the prior density of its
    /// angle, the factor of |g_k| in the weight's sum.
    over_prior: [f64; 3],
}

impl Candidate {
    /// Draws a candidate of chart `j` from `rng`: the observation noise's
    /// two normals when `noisy`, then the two angles other than `j` from the
    /// prior, in the order the pool has always drawn them.
    pub fn draw(rng: &mut Rng, j: usize, noisy: bool, shares: &[f64; 3]) -> Self {
        let noise = if noisy {
            [rng.normal(), rng.normal()]
        } else {
            [0.0; 2]
        };
        let mut x = [0.0; 4];
        for (i, s) in ARM_PRIOR_STD.iter().enumerate().skip(1) {
            if i != j + 1 {
                x[i] = s * rng.normal();
            }
        }
        Self::new(&x, j, noise, shares)
    }

    /// The candidate with the angles of `x` other than `j`, for charts in
    /// the shares `shares`.
    pub fn new(x: &[f64; 4], j: usize, noise: [f64; 2], shares: &[f64; 3]) -> Self {
        let mut x = *x;
        (x[0], x[j + 1]) = (0.0, 0.0);
        let theta = super::super::RobotArm::segment_angles(&x);
        let theta0 = if j == 0 { 0.0 } else { theta[j - 1] };
        let reach_before: f64 = (0..j).map(|s| ARM_LENGTHS[s] * theta[s].cos()).sum();
        // P_k for k >= j, summed from the tip inwards.
        let mut p = [[0.0; 2]; 3];
        let mut acc = [0.0; 2];
        for s in (j..3).rev() {
            let psi = theta[s] - theta[j];
            acc[0] += ARM_LENGTHS[s] * psi.cos();
            acc[1] += ARM_LENGTHS[s] * psi.sin();
            p[s] = acc;
        }
        let radius = p[j][0].hypot(p[j][1]);
        let delta = p[j][1].atan2(p[j][0]);
        let (sd, cd) = delta.sin_cos();
        let mut q = [[0.0; 2]; 3];
        let mut before = [0.0; 3];
        for k in 0..3 {
            let pk = p[k.max(j)];
            // P e^{-iδ}
            q[k] = [pk[0] * cd + pk[1] * sd, pk[1] * cd - pk[0] * sd];
            before[k] = (k..j).map(|s| ARM_LENGTHS[s] * theta[s].sin()).sum();
        }
        let over_prior = std::array::from_fn(|k| {
            let s = ARM_PRIOR_STD[k + 1];
            let a = if k == j { 0.0 } else { x[k + 1] };
            shares[k] * s * TAU.sqrt() * (0.5 * (a / s) * (a / s)).exp()
        });
        Candidate {
            j,
            x,
            noise,
            reach_before,
            radius,
            shift: delta + theta0,
            before,
            q,
            over_prior,
        }
    }

    /// Calls `emit(branch, turn, x, log w)` for each arm of this candidate
    /// whose tip is `y` (the target plus the candidate's noise already
    /// added): two branches of the acos, three turns each (k = -1, 0, 1),
    /// with the log of the weight w(x) of the sampler's doc. Emits nothing
    /// when the target is out of this candidate's reach.
    pub fn solve(&self, y: [f64; 2], emit: &mut impl FnMut(usize, usize, &[f64; 4], f64)) {
        let c = (y[0] - self.reach_before) / self.radius;
        if c.is_nan() || c.abs() > 1.0 {
            return;
        }
        let (a, sine) = (c.acos(), (1.0 - c * c).max(0.0).sqrt());
        let j = self.j;
        let s = ARM_PRIOR_STD[j + 1];
        let mut x = self.x;
        for (branch, (angle, sin_b)) in [(a, sine), (-a, -sine)].into_iter().enumerate() {
            let base = angle - self.shift;
            let near = base - TAU * (base / TAU).round();
            let height = self.before[0] + sin_b * self.q[j][0] + c * self.q[j][1];
            x[0] = y[1] - height;
            let log_rail = -0.5 * (x[0] / ARM_PRIOR_STD[0]).powi(2) - log_norm_rail();
            // Σ over the drawn charts of α_k |g_k| / p(a_k); the solved
            // chart's term is added per turn.
            let mut drawn = 0.0;
            let mut g_solved = 0.0;
            for k in 0..3 {
                let g = self.before[k] + c * self.q[k][1] + sin_b * self.q[k][0];
                if k == j {
                    g_solved = g.abs();
                } else {
                    drawn += self.over_prior[k] * g.abs();
                }
            }
            // A turn of 2π moves no segment: one geometry serves every k.
            for (turn, k) in [-1.0, 0.0, 1.0].into_iter().enumerate() {
                x[j + 1] = near + TAU * k;
                let z = x[j + 1] / s;
                let total = drawn + self.over_prior[j] * g_solved * (0.5 * z * z).exp();
                let lw = log_rail - total.ln();
                if lw.is_finite() {
                    emit(branch, turn, &x, lw);
                }
            }
        }
    }

    /// The arm `solve` emits for `branch` and `turn` at `y`, if any.
    pub fn arm(&self, y: [f64; 2], branch: usize, turn: usize) -> Option<[f64; 4]> {
        let mut found = None;
        self.solve(y, &mut |b, t, x, _| {
            if (b, t) == (branch, turn) {
                found = Some(*x);
            }
        });
        found
    }
}
