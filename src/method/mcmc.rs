//! Metropolis–Hastings: random-walk chains on p(x | y*) ∝ p(x) p(y* | x),
//! the problem's [`Problem::log_target`]. Each chain starts from a prior
//! draw; during burn-in its Gaussian proposal's scale adapts toward an
//! acceptance rate of 0.3 (a random walk's efficient rate in a few
//! dimensions) and is then frozen, so the kept draws are a proper Markov
//! chain. Exact in the limit, and paid for again at every query, in density
//! evaluations: a chain that starts near one mode of a multimodal posterior
//! rarely leaves it, which [`McmcRun::r_hat`] across chains shows.

use super::chains::{effective_sample_size, split_r_hat};
use super::{Answer, Cost, Method, Query};
use crate::error::Error;
use crate::problem::Problem;
use crate::rng::Rng;

/// The sampler's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mcmc {
    /// Independent chains, each from its own prior draw.
    pub chains: usize,
    /// Steps per chain spent adapting the proposal, then thrown away.
    pub burn_in: usize,
    /// Acceptance rate the proposal's scale adapts toward.
    pub target_acceptance: f64,
    /// Proposal scale each chain starts burn-in with.
    pub initial_scale: f64,
}

impl Default for Mcmc {
    fn default() -> Self {
        Mcmc {
            chains: 8,
            burn_in: 500,
            target_acceptance: 0.3,
            initial_scale: 0.5,
        }
    }
}

/// Steps between two adaptations of a chain's proposal scale.
const ADAPT_EVERY: usize = 25;

/// A run's samples, cost and diagnostics.
#[derive(Clone, Debug, PartialEq)]
pub struct McmcRun {
    /// Kept draws, chain after chain (`per_chain` each), `ndim_x` per draw:
    /// each chain's block is its path after burn-in.
    pub samples: Vec<f64>,
    pub per_chain: usize,
    /// Density evaluations spent (burn-in included).
    pub evaluations: u64,
    /// Share of accepted proposals after burn-in, over every chain.
    pub acceptance_rate: f64,
    /// Each chain's frozen proposal scale.
    pub scales: Vec<f64>,
    /// Split R-hat of each coordinate across the chains (near 1 when they
    /// agree; well above 1.1 when chains sit in different modes).
    pub r_hat: Vec<f64>,
    /// Effective sample size of each coordinate.
    pub ess: Vec<f64>,
}

impl Mcmc {
    fn check(&self, budget: u64) -> Result<(), Error> {
        let bad = |why: String| Err(Error::InvalidArgument(why));
        if !(1..=256).contains(&self.chains) {
            return bad(format!("chains must be in [1, 256], got {}", self.chains));
        }
        if !(self.target_acceptance > 0.0 && self.target_acceptance < 1.0) {
            return bad(format!(
                "the target acceptance must be in (0, 1), got {}",
                self.target_acceptance
            ));
        }
        if !(self.initial_scale.is_finite() && self.initial_scale > 0.0) {
            return bad(format!(
                "the initial proposal scale must be > 0, got {}",
                self.initial_scale
            ));
        }
        let setup = self.chains as u64 * (1 + self.burn_in as u64);
        if budget <= setup {
            return bad(format!(
                "a budget of {budget} density evaluations does not cover {} chains' burn-in ({setup})",
                self.chains
            ));
        }
        Ok(())
    }

    /// Runs the chains for `query`: `query.n` draws in all (rounded up to a
    /// whole number per chain), fewer if the budget of density evaluations
    /// runs out first.
    pub fn run(&self, problem: &dyn Problem, q: &Query) -> Result<McmcRun, Error> {
        self.check(q.budget)?;
        let nx = problem.ndim_x();
        let setup = self.chains as u64 * (1 + self.burn_in as u64);
        let affordable = ((q.budget - setup) / self.chains as u64) as usize;
        let per_chain = q.n.div_ceil(self.chains).min(affordable);
        let mut rng = Rng::new(q.seed);
        let mut samples = Vec::with_capacity(self.chains * per_chain * nx);
        let (mut accepted, mut proposed, mut evaluations) = (0u64, 0u64, 0u64);
        let mut scales = Vec::with_capacity(self.chains);
        for _ in 0..self.chains {
            let mut chain = Chain::start(problem, q.y_star, &mut rng, self.initial_scale);
            evaluations += 1;
            let mut window = 0;
            for i in 1..=self.burn_in {
                window += usize::from(chain.advance(problem, q.y_star, &mut rng));
                if i % ADAPT_EVERY == 0 {
                    chain.adapt(
                        window as f64 / ADAPT_EVERY as f64,
                        self.target_acceptance,
                        i / ADAPT_EVERY,
                    );
                    window = 0;
                }
            }
            evaluations += self.burn_in as u64;
            for _ in 0..per_chain {
                accepted += u64::from(chain.advance(problem, q.y_star, &mut rng));
                samples.extend_from_slice(&chain.x);
            }
            proposed += per_chain as u64;
            evaluations += per_chain as u64;
            scales.push(chain.scale);
        }
        let (r_hat, ess) = (0..nx)
            .map(|d| {
                let paths: Vec<Vec<f64>> = samples
                    .chunks(per_chain.max(1) * nx)
                    .map(|c| c.iter().skip(d).step_by(nx).copied().collect())
                    .collect();
                (split_r_hat(&paths), effective_sample_size(&paths))
            })
            .unzip();
        Ok(McmcRun {
            samples,
            per_chain,
            evaluations,
            acceptance_rate: accepted as f64 / proposed.max(1) as f64,
            scales,
            r_hat,
            ess,
        })
    }
}

/// One chain's state.
struct Chain {
    x: Vec<f64>,
    log_p: f64,
    proposal: Vec<f64>,
    scale: f64,
}

impl Chain {
    fn start(problem: &dyn Problem, y_star: &[f64], rng: &mut Rng, scale: f64) -> Self {
        let mut x = vec![0.0; problem.ndim_x()];
        problem.sample_prior(rng, &mut x);
        let log_p = problem.log_target(&x, y_star);
        Chain {
            proposal: x.clone(),
            x,
            log_p,
            scale,
        }
    }

    /// One Metropolis step with a symmetric Gaussian proposal; whether it
    /// moved.
    fn advance(&mut self, problem: &dyn Problem, y_star: &[f64], rng: &mut Rng) -> bool {
        for (p, x) in self.proposal.iter_mut().zip(&self.x) {
            *p = x + self.scale * rng.normal();
        }
        let log_q = problem.log_target(&self.proposal, y_star);
        // Drawn at every step, so that the stream does not depend on the
        // branch taken.
        let u = rng.uniform();
        let accept = log_q.is_finite() && (log_q >= self.log_p || u.ln() < log_q - self.log_p);
        if accept {
            self.x.copy_from_slice(&self.proposal);
            self.log_p = log_q;
        }
        accept
    }

    /// Moves log(scale) toward the target rate, by steps that shrink with
    /// the number of adaptations so far (`round`, from 1).
    fn adapt(&mut self, rate: f64, target: f64, round: usize) {
        self.scale *= ((rate - target) * 2.0 / (round as f64).sqrt()).exp();
    }
}

impl McmcRun {
    /// The answer these chains give to a query for `n` draws of `ndim_x`
    /// coordinates (their cost; the caller times it).
    pub fn answer(&self, n: usize, ndim_x: usize) -> Answer {
        let mut samples = self.samples.clone();
        samples.truncate(n * ndim_x);
        Answer {
            samples,
            cost: Cost {
                density_evaluations: self.evaluations,
                ..Cost::default()
            },
        }
    }
}

impl Method for Mcmc {
    fn name(&self) -> &'static str {
        "mcmc"
    }

    fn answer(&mut self, problem: &dyn Problem, q: &Query) -> Result<Answer, Error> {
        Ok(self.run(problem, q)?.answer(q.n, problem.ndim_x()))
    }
}
