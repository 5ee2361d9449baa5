//! ABC and MCMC on the arm, run in chunks: a caller (the page's worker)
//! runs a chunk, reports the price paid so far, and may stop at any chunk.
//! Each chunk is a whole run of the method with its own seed, so that what
//! has been kept after any number of chunks is a valid answer of the method
//! (fewer samples, not different ones).

use super::{resimulation_error, RobotArm};
use crate::baseline::{abc_rejection, AbcSettings, Acceptance};
use crate::error::Error;
use crate::method::chains::split_r_hat;
use crate::method::{Mcmc, Query};
use crate::rng::Rng;

/// The price of a run so far, as the page states it.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Price {
    /// Forward simulations run (for MCMC: evaluations of the posterior's
    /// density, each one simulation of the tip).
    pub simulations: u64,
    /// Samples kept.
    pub kept: usize,
    /// Samples the run was asked for.
    pub wanted: usize,
    /// ABC: kept over simulations; MCMC: accepted over proposed moves.
    pub acceptance: f64,
    /// Median and 90th percentile of the distance from each kept sample's
    /// tip to the target (NaN before any is kept).
    pub resim_median: f64,
    pub resim_p90: f64,
    /// MCMC: the largest split R-hat over the coordinates (NaN for ABC and
    /// before two chains are done).
    pub r_hat: f64,
    /// Whether the run has all it was asked for.
    pub done: bool,
}

fn resim(arm: &RobotArm, samples: &[f64], y: [f64; 2]) -> (f64, f64) {
    resimulation_error(arm, samples, &y).unwrap_or((f64::NAN, f64::NAN))
}

/// Rejection ABC with tolerance `eps` on |y - y*|, in chunks.
#[derive(Debug)]
pub struct ChunkedAbc {
    arm: RobotArm,
    y_star: [f64; 2],
    eps: f64,
    wanted: usize,
    rng: Rng,
    samples: Vec<f64>,
    simulations: u64,
}

impl ChunkedAbc {
    /// A run for `wanted` samples at target `y_star` and tolerance `eps`.
    pub fn new(
        arm: &RobotArm,
        y_star: &[f64],
        eps: f64,
        wanted: usize,
        seed: u64,
    ) -> Result<Self, Error> {
        let y_star = arm.check_target(y_star)?;
        if !(eps.is_finite() && eps > 0.0) {
            return Err(Error::InvalidArgument(format!(
                "the tolerance must be > 0, got {eps}"
            )));
        }
        if wanted == 0 {
            return Err(Error::InvalidArgument(
                "ask for at least one sample, got 0".into(),
            ));
        }
        Ok(ChunkedAbc {
            arm: *arm,
            y_star,
            eps,
            wanted,
            rng: Rng::new(seed),
            samples: Vec::new(),
            simulations: 0,
        })
    }

    /// Runs up to `simulations` more simulations (fewer once enough are
    /// kept); returns whether the run is done.
    pub fn run(&mut self, simulations: u64) -> Result<bool, Error> {
        let kept = self.samples.len() / 4;
        if kept < self.wanted && simulations > 0 {
            let r = abc_rejection(
                &self.arm,
                &self.y_star,
                &AbcSettings {
                    n: self.wanted - kept,
                    acceptance: Acceptance::Tolerance(self.eps),
                    budget: usize::try_from(simulations).unwrap_or(usize::MAX),
                    // The arm's own observation noise is in its simulations.
                    obs_noise: 0.0,
                    seed: self.rng.next_seed(),
                },
            )?;
            self.samples.extend_from_slice(&r.samples);
            self.simulations += r.simulations as u64;
        }
        Ok(self.samples.len() / 4 >= self.wanted)
    }

    /// The samples kept so far, 4 entries each.
    pub fn samples(&self) -> &[f64] {
        &self.samples
    }

    /// The price paid so far.
    pub fn price(&self) -> Price {
        let kept = self.samples.len() / 4;
        let (resim_median, resim_p90) = resim(&self.arm, &self.samples, self.y_star);
        Price {
            simulations: self.simulations,
            kept,
            wanted: self.wanted,
            acceptance: kept as f64 / self.simulations.max(1) as f64,
            resim_median,
            resim_p90,
            r_hat: f64::NAN,
            done: kept >= self.wanted,
        }
    }
}

/// Random-walk Metropolis chains on the arm's posterior, one chain per
/// chunk, each thinned to the draws it keeps.
#[derive(Debug)]
pub struct ChunkedMcmc {
    arm: RobotArm,
    y_star: [f64; 2],
    sampler: Mcmc,
    chains: usize,
    per_chain: usize,
    thin: usize,
    rng: Rng,
    samples: Vec<f64>,
    evaluations: u64,
    accepted: f64,
    proposed: f64,
}

impl ChunkedMcmc {
    /// `chains` chains at target `y_star`, each with `burn_in` adapting
    /// steps, then `per_chain` kept draws, one every `thin` steps.
    pub fn new(
        arm: &RobotArm,
        y_star: &[f64],
        chains: usize,
        burn_in: usize,
        per_chain: usize,
        thin: usize,
        seed: u64,
    ) -> Result<Self, Error> {
        let y_star = arm.check_target(y_star)?;
        if chains == 0 || per_chain == 0 || thin == 0 {
            return Err(Error::InvalidArgument(format!(
                "chains, draws per chain and thinning must be >= 1, got {chains}, {per_chain}, {thin}"
            )));
        }
        Ok(ChunkedMcmc {
            arm: *arm,
            y_star,
            sampler: Mcmc {
                chains: 1,
                burn_in,
                ..Mcmc::default()
            },
            chains,
            per_chain,
            thin,
            rng: Rng::new(seed),
            samples: Vec::new(),
            evaluations: 0,
            accepted: 0.0,
            proposed: 0.0,
        })
    }

    fn chains_done(&self) -> usize {
        self.samples.len() / (4 * self.per_chain)
    }

    /// Runs the next chain; returns whether every chain is done.
    pub fn run_chain(&mut self) -> Result<bool, Error> {
        if self.chains_done() < self.chains {
            let steps = self.per_chain * self.thin;
            let run = self.sampler.run(
                &self.arm,
                &Query {
                    y_star: &self.y_star,
                    n: steps,
                    seed: self.rng.next_seed(),
                    budget: u64::MAX,
                },
            )?;
            for x in run.samples.chunks_exact(4 * self.thin) {
                self.samples.extend_from_slice(&x[4 * (self.thin - 1)..]);
            }
            self.evaluations += run.evaluations;
            self.accepted += run.acceptance_rate * steps as f64;
            self.proposed += steps as f64;
        }
        Ok(self.chains_done() >= self.chains)
    }

    /// The draws kept so far, chain after chain, 4 entries each.
    pub fn samples(&self) -> &[f64] {
        &self.samples
    }

    /// The price paid so far, with the chains' largest split R-hat.
    pub fn price(&self) -> Price {
        let kept = self.samples.len() / 4;
        let (resim_median, resim_p90) = resim(&self.arm, &self.samples, self.y_star);
        let chains: Vec<&[f64]> = self.samples.chunks(4 * self.per_chain).collect();
        let r_hat = if chains.len() >= 2 {
            (0..4)
                .map(|d| {
                    let paths: Vec<Vec<f64>> = chains
                        .iter()
                        .map(|c| c.iter().skip(d).step_by(4).copied().collect())
                        .collect();
                    split_r_hat(&paths)
                })
                .fold(f64::NAN, f64::max)
        } else {
            f64::NAN
        };
        Price {
            simulations: self.evaluations,
            kept,
            wanted: self.chains * self.per_chain,
            acceptance: self.accepted / self.proposed.max(1.0),
            resim_median,
            resim_p90,
            r_hat,
            done: self.chains_done() >= self.chains,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abc_in_chunks_keeps_arms_within_the_tolerance_and_counts_every_simulation() {
        let arm = RobotArm::default();
        let y = [1.0, 0.6];
        let mut abc = ChunkedAbc::new(&arm, &y, 0.2, 50, 3).unwrap();
        let mut chunks = 0;
        while !abc.run(20_000).unwrap() {
            chunks += 1;
            assert!(chunks < 100, "{:?}", abc.price());
        }
        let p = abc.price();
        assert!(chunks >= 2 && p.done && p.kept == 50, "{chunks} {p:?}");
        assert!(
            p.simulations <= 20_000 * (chunks + 1) as u64 && p.simulations > 20_000 * chunks as u64
        );
        assert_eq!(p.acceptance, 50.0 / p.simulations as f64);
        // The noise is inside the tolerance's 0.2, not the tip.
        assert!(p.resim_p90 < 0.25 && p.resim_median < p.resim_p90, "{p:?}");
        assert!(ChunkedAbc::new(&arm, &y, 0.0, 10, 1).is_err());
        assert!(ChunkedAbc::new(&arm, &[3.0, 0.0], 0.1, 10, 1).is_err());
    }

    #[test]
    fn mcmc_in_chunks_keeps_thinned_draws_of_each_chain_and_diagnoses_them() {
        let arm = RobotArm::default();
        let y = [1.0, 0.6];
        let mut mcmc = ChunkedMcmc::new(&arm, &y, 4, 2000, 50, 10, 1).unwrap();
        assert!(mcmc.price().r_hat.is_nan());
        let mut chunks = 0;
        while !mcmc.run_chain().unwrap() {
            chunks += 1;
        }
        let p = mcmc.price();
        assert_eq!((chunks, p.kept, p.wanted), (3, 200, 200));
        assert_eq!(p.simulations, 4 * (1 + 2000 + 500));
        assert!(p.acceptance > 0.1 && p.acceptance < 0.6, "{p:?}");
        assert!(p.r_hat.is_finite() && p.r_hat >= 0.9, "{p:?}");
        // Every draw explains the target within a few noise stds.
        assert!(p.resim_p90 < 0.05, "{p:?}");
    }
}
