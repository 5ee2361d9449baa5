//! Exact draws for a target that moves: the pool's candidates (the chart,
//! the two drawn angles, the noise draws) do not depend on the target, so
//! they are drawn once and kept, and each new target costs only the solves
//! and a resampling. For one target this is the sampler of the module's doc
//! with a pool of fixed size: exact in the limit of that size, and the
//! effective sample size it reports says how close; the draws of nearby
//! targets share candidates, so a fan moves smoothly as the target does.

use super::{shares, Candidate, ExactDraws, CHARTS};
use crate::error::Error;
use crate::problem::RobotArm;
use crate::rng::Rng;

/// Solutions one candidate can give: two branches, three turns each.
const PER_CANDIDATE: usize = 6;

/// A kept pool of candidates and the buffer of their weights.
#[derive(Clone, Debug)]
pub struct ExactFan {
    arm: RobotArm,
    candidates: Vec<Candidate>,
    weights: Vec<f64>,
}

impl ExactFan {
    /// Draws `candidates` candidates for `arm` from `seed`, the charts in
    /// the exact sampler's shares.
    pub fn new(arm: &RobotArm, candidates: usize, seed: u64) -> Result<Self, Error> {
        if candidates == 0 {
            return Err(Error::InvalidArgument(
                "the fan needs at least one candidate, got 0".into(),
            ));
        }
        let mut rng = Rng::new(seed);
        let shares = shares(CHARTS);
        let noisy = arm.noise() > 0.0;
        let candidates = (0..candidates)
            .map(|i| Candidate::draw(&mut rng, CHARTS[i % CHARTS.len()], noisy, &shares))
            .collect();
        Ok(ExactFan {
            arm: *arm,
            candidates,
            weights: Vec::new(),
        })
    }

    /// Candidates in the pool.
    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    /// Whether the pool is empty (never, once built).
    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }

    /// `n` draws for `y_star` from the kept pool, by systematic resampling
    /// (one uniform from `rng`), in random order; `ess` is the pool's
    /// effective sample size for this target, so that draws repeat about
    /// n / ess of the time.
    pub fn draw(&mut self, rng: &mut Rng, y_star: &[f64], n: usize) -> Result<ExactDraws, Error> {
        let y_star = self.arm.check_target(y_star)?;
        if n == 0 {
            return Err(Error::InvalidArgument(
                "ask for at least one draw, got 0".into(),
            ));
        }
        let sigma = self.arm.noise();
        let target = |c: &Candidate| {
            [
                y_star[0] + sigma * c.noise[0],
                y_star[1] + sigma * c.noise[1],
            ]
        };
        self.weights.clear();
        self.weights
            .resize(PER_CANDIDATE * self.candidates.len(), f64::NEG_INFINITY);
        let mut top = f64::NEG_INFINITY;
        for (c, w) in self
            .candidates
            .iter()
            .zip(self.weights.chunks_exact_mut(PER_CANDIDATE))
        {
            c.solve(target(c), &mut |branch, turn, _, lw| {
                w[3 * branch + turn] = lw;
                top = top.max(lw);
            });
        }
        if !top.is_finite() {
            return Err(Error::InvalidArgument(format!(
                "none of the fan's {} candidates reaches ({}, {})",
                self.candidates.len(),
                y_star[0],
                y_star[1]
            )));
        }
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for w in &mut self.weights {
            *w = (*w - top).exp();
            sum += *w;
            sum_sq += *w * *w;
        }
        let step = sum / n as f64;
        let mut next = rng.uniform() * step;
        let mut running = 0.0;
        let mut picked = Vec::with_capacity(n);
        for (i, w) in self.weights.iter().enumerate() {
            running += w;
            while picked.len() < n && next < running {
                picked.push(i);
                next += step;
            }
        }
        // Rounding may leave the last mark just past the sum.
        let last = self.weights.iter().rposition(|&w| w > 0.0).unwrap_or(0);
        picked.resize(n, last);
        let mut samples = vec![0.0; 4 * n];
        for (slot, &i) in rng.permutation(n).iter().zip(&picked) {
            let c = &self.candidates[i / PER_CANDIDATE];
            let (branch, turn) = ((i % PER_CANDIDATE) / 3, i % 3);
            let x = c
                .arm(target(c), branch, turn)
                .expect("a weighted solution is solved again");
            samples[4 * slot..][..4].copy_from_slice(&x);
        }
        Ok(ExactDraws {
            samples,
            pool: self.candidates.len(),
            ess: sum * sum / sum_sq,
        })
    }
}
