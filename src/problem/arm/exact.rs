//! Exact posterior draws for the arm, for any target, by importance
//! sampling on the surface of arms whose tip is the target, and resampling.
//!
//! # The noiseless posterior
//! Write x = (x1, a) with a = (x2, x3, x4) the angles, s the prior std of
//! an angle, and f the tip. Since y1 does not depend on x1 and y2 = x1 + u2(a),
//! fix one angle a_j to be solved and the other two, b, to be drawn. At fixed
//! b the map (x1, a_j) -> (y1, y2) has the Jacobian [[0, g_j], [1, h_j]] with
//! g_j = ∂y1/∂a_j, h_j = ∂y2/∂a_j, so |det| = |g_j|. The change of variables
//! (x1, a_j, b) -> (y, b) gives p(y, b) = Σ over solutions of p(x) / |g_j|,
//! hence, for the observation y:
//!
//!   p(b | y) ∝ p(b) Σ_solutions p(x1) p(a_j) / |g_j|.
//!
//! Solving for the last angle (j = 4, φ = θ3 the tip segment's absolute
//! angle) gives g_4 = -l3 sin φ and the weight p(x1) p(x4) / |l3 sin φ| of
//! drawing (x2, x3) from the prior. That weight is unbounded where sin φ = 0
//! (the solution folds over: cos φ = ±1) and, near that fold, its second
//! moment under the prior diverges like a logarithm: every pool has a few
//! dominant weights. The same holds for each single choice of j.
//!
//! # Three charts, one weight
//! The fix is multiple importance sampling over the three choices of the
//! solved angle j = 2, 3, 4, with shares α_j of the candidates ([`CHARTS`]:
//! 0.1, 0.3, 0.6). In terms of
//! the surface S = {f(x) = y} with area element dA and J = sqrt(det(Df Dfᵀ)),
//! the target is p(x) / J dA (the coarea formula), and chart j with b drawn
//! from the prior puts p(b) dx = p(b) |g_j| / J dA on it, counting every
//! solution. Weighting by target over the average proposal (the balance
//! heuristic), J cancels:
//!
//!   w(x) = p(x) / Σ_j α_j p(b_j) |g_j| = p(x1) / Σ_j α_j |g_j| / p(a_j).
//!
//! It is infinite only where every g_j vanishes, i.e. every segment is
//! horizontal: a single point of S, and only when y1 is one of -2, -1, 0, 1
//! or 2. With a single chart it is the weight above, and the unit tests check
//! that each chart alone and the three together agree.
//!
//! # Solving one angle
//! With θ0 the absolute angle before a_j, F the horizontal reach of the
//! segments before it, and R e^{iδ} = Σ over the later segments of
//! l_s e^{i(θ_s - θ of the first of them)}, y1 = F + R cos(θ0 + a_j + δ), so
//! a_j = ±acos((y1 - F) / R) - δ - θ0 + 2πk, and x1 = y2 - u2(a). The angles
//! are real numbers with a Gaussian prior, not directions, so each branch is
//! kept for the three k that put a_j in [-3π, 3π]; farther ones have a prior
//! density below e^-177 of the peak and are dropped.
//!
//! # Noise
//! With noise σ, p(x | y*) ∝ p(x) N(y*; f(x), σ²I) = ∫ p(x) δ(f(x) - y)
//! N(y; y*, σ²I) dy: the x-marginal of a joint over (x, y). Drawing
//! y ~ N(y*, σ²I) per candidate and then x on {f(x) = y} as above, the
//! target-over-proposal ratio of the joint is the same w(x): the unnormalised
//! weights carry the evidence p(y) of each drawn y (their mean given y is
//! p(y)), so resampling across candidates with different y is exact for
//! every σ, not a small-noise approximation.
//!
//! # The pool
//! Candidates are drawn until the weights' effective sample size
//! (Σw)² / Σw² is at least [`ESS_PER_SAMPLE`] times the number of draws asked
//! for; the n draws are then taken with replacement by weight, so that the
//! chance that a draw repeats another stays near n / ESS <= 5%. The pool is
//! not stored: a first pass over it measures the weights, a second pass
//! replays the same random stream and picks the drawn arms, so memory stays
//! O(n) however many candidates a target in the prior's tails needs.
//! Resampling a finite pool is exact in the limit of its size; the bias of
//! its self-normalised weights falls like one over the pool's size.
//!
//! # A target that moves
//! No candidate depends on the target until it is solved, so [`ExactFan`]
//! keeps a pool of candidates and, for each new target, only solves and
//! resamples them: a few milliseconds, for a page that redraws the
//! posterior while the target is dragged.

use super::{RobotArm, ARM_LENGTHS};
use crate::error::Error;
use crate::rng::Rng;
pub use fan::ExactFan;
use solve::Candidate;

mod fan;
mod solve;

/// The pool grows until its effective sample size is this many times the
/// number of draws asked for.
pub const ESS_PER_SAMPLE: f64 = 20.0;

/// Each round of the pool runs through the charts' pattern this many times;
/// the stopping rule is checked between rounds.
const ROUND: usize = 1024;

/// The pool holds at least this many candidates, so that the effective
/// sample size is measured on enough weights to be trusted.
const MIN_POOL: usize = 48 * ROUND;

/// The pool never grows past this many candidates (about ten seconds of one
/// core); a target that needs more is refused.
const MAX_POOL: usize = 12_288 * ROUND;

/// The solved angle (0 for x2) of each candidate in turn: the charts'
/// shares of the pool, a tenth for x2, three for x3 and six for x4 (solving
/// an angle near the rail moves the whole arm, so its chart fits fewer
/// targets; its tenth keeps the weight bounded where x3 and x4 fold).
const CHARTS: &[usize] = &[0, 1, 1, 1, 2, 2, 2, 2, 2, 2];

/// Exact posterior draws with what they cost.
#[derive(Clone, Debug, PartialEq)]
pub struct ExactDraws {
    /// The draws, 4 entries each, in random order.
    pub samples: Vec<f64>,
    /// Candidates drawn for the pool (each gives up to six solutions).
    pub pool: usize,
    /// Effective sample size of the pool's weights, (Σw)² / Σw².
    pub ess: f64,
}

/// ∂y1/∂(x2, x3, x4) and ∂y2/∂(x2, x3, x4) at `x`: an angle moves every
/// segment from its own outwards.
pub(super) fn angle_gradients(x: &[f64]) -> [[f64; 3]; 2] {
    let theta = RobotArm::segment_angles(x);
    let (mut g, mut h) = ([0.0; 3], [0.0; 3]);
    for j in 0..3 {
        for s in j..3 {
            g[j] -= ARM_LENGTHS[s] * theta[s].sin();
            h[j] += ARM_LENGTHS[s] * theta[s].cos();
        }
    }
    [g, h]
}

/// Each chart's share of the candidates in `pattern` (0 for a chart it
/// does not use).
fn shares(pattern: &[usize]) -> [f64; 3] {
    std::array::from_fn(|j| {
        pattern.iter().filter(|&&c| c == j).count() as f64 / pattern.len() as f64
    })
}

/// Runs `rounds` rounds of candidates of the pool for `y_star` from `seed`,
/// calling `emit` with each weighted solution; with `until`, stops early
/// after the first round where it returns true (given the rounds so far).
/// Returns the rounds run.
fn run_pool(
    arm: &RobotArm,
    seed: u64,
    y_star: [f64; 2],
    charts: &[usize],
    rounds: usize,
    emit: &mut impl FnMut(&[f64; 4], f64),
    until: &mut impl FnMut(usize) -> bool,
) -> usize {
    let mut rng = Rng::new(seed);
    let sigma = arm.noise();
    let shares = shares(charts);
    for round in 1..=rounds {
        for _ in 0..ROUND {
            for &j in charts {
                let c = Candidate::draw(&mut rng, j, sigma > 0.0, &shares);
                let y = [
                    y_star[0] + sigma * c.noise[0],
                    y_star[1] + sigma * c.noise[1],
                ];
                c.solve(y, &mut |_, _, x, lw| emit(x, lw));
            }
        }
        if until(round) {
            return round;
        }
    }
    rounds
}

/// Running sums of weights relative to the largest log-weight seen.
#[derive(Default)]
struct Sums {
    top: Option<f64>,
    sum: f64,
    sum_sq: f64,
}

impl Sums {
    fn add(&mut self, lw: f64) {
        let top = *self.top.get_or_insert(lw);
        if lw > top {
            let shift = (top - lw).exp();
            self.sum *= shift;
            self.sum_sq *= shift * shift;
            self.top = Some(lw);
        }
        let w = (lw - self.top.unwrap_or(lw)).exp();
        self.sum += w;
        self.sum_sq += w * w;
    }

    fn ess(&self) -> f64 {
        if self.sum_sq > 0.0 {
            self.sum * self.sum / self.sum_sq
        } else {
            0.0
        }
    }
}

impl RobotArm {
    /// `n` exact draws from p(x | y*) with the pool they came from (see the
    /// module's doc for the method); an error names a target out of reach,
    /// or one so far in the prior's tails that the pool limit cannot give
    /// enough effective samples.
    pub fn exact_posterior(
        &self,
        rng: &mut Rng,
        y_star: &[f64],
        n: usize,
    ) -> Result<ExactDraws, Error> {
        self.posterior_by_charts(rng, y_star, n, CHARTS)
    }

    /// [`RobotArm::exact_posterior`] with a chosen set of charts (solved
    /// angles, 0 for x2), for the tests that hold them against each other.
    pub(super) fn posterior_by_charts(
        &self,
        rng: &mut Rng,
        y_star: &[f64],
        n: usize,
        charts: &[usize],
    ) -> Result<ExactDraws, Error> {
        let y_star = self.check_target(y_star)?;
        if n == 0 {
            return Err(Error::InvalidArgument(
                "ask for at least one draw, got 0".into(),
            ));
        }
        let need = ESS_PER_SAMPLE * n as f64;
        let per_round = ROUND * charts.len();
        let (min_rounds, max_rounds) = (MIN_POOL.div_ceil(per_round), MAX_POOL / per_round);
        let seed = rng.next_seed();
        let cell = std::cell::RefCell::new(Sums::default());
        let rounds = run_pool(
            self,
            seed,
            y_star,
            charts,
            max_rounds,
            &mut |_, lw| cell.borrow_mut().add(lw),
            &mut |r| r >= min_rounds && cell.borrow().ess() >= need,
        );
        let sums = cell.into_inner();
        let (ess, pool) = (sums.ess(), rounds * per_round);
        let Some(top) = sums.top.filter(|_| ess >= need) else {
            return Err(Error::InvalidArgument(format!(
                "target ({}, {}) lies too far in the prior's tails: {pool} candidates gave an \
                 effective sample size of {ess:.0}, below the {need:.0} that {n} draws need",
                y_star[0], y_star[1]
            )));
        };
        // Multinomial resampling in one pass over the replayed pool: the
        // uniforms sorted, each slot filled when the running sum passes its
        // own; slots keep the order the uniforms were drawn in.
        let mut marks: Vec<(f64, usize)> = (0..n).map(|i| (rng.uniform() * sums.sum, i)).collect();
        crate::metrics::sort_marks(&mut marks);
        let mut samples = vec![0.0; 4 * n];
        let (mut next, mut running, mut last) = (0, 0.0, [0.0; 4]);
        run_pool(
            self,
            seed,
            y_star,
            charts,
            rounds,
            &mut |x, lw| {
                running += (lw - top).exp();
                while next < n && marks[next].0 < running {
                    samples[4 * marks[next].1..][..4].copy_from_slice(x);
                    next += 1;
                }
                last = *x;
            },
            &mut |_| false,
        );
        // Rounding may leave the top few marks just past the replayed sum.
        for &(_, slot) in &marks[next..] {
            samples[4 * slot..][..4].copy_from_slice(&last);
        }
        Ok(ExactDraws { samples, pool, ess })
    }
}

#[cfg(test)]
mod tests;
