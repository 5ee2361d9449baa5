//! Rejection ABC as a method: simulate from the prior, keep x whose
//! simulated (noisy) observation lands within the tolerance of y*. It pays
//! for every query anew, in simulations.

use super::{Answer, Cost, Method, Query};
use crate::baseline::{abc_rejection, AbcSettings, Acceptance};
use crate::error::Error;
use crate::problem::Problem;

/// Rejection ABC with a tolerance (or the nearest simulations) on |y - y*|.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Abc {
    pub acceptance: Acceptance,
    /// Standard deviation of the noise added to each simulated y.
    pub obs_noise: f64,
}

impl Method for Abc {
    fn name(&self) -> &'static str {
        "abc"
    }

    fn answer(&mut self, problem: &dyn Problem, q: &Query) -> Result<Answer, Error> {
        let settings = AbcSettings {
            n: q.n,
            acceptance: self.acceptance,
            budget: usize::try_from(q.budget).unwrap_or(usize::MAX),
            obs_noise: self.obs_noise,
            seed: q.seed,
        };
        let r = abc_rejection(problem, q.y_star, &settings)?;
        Ok(Answer {
            samples: r.samples,
            cost: Cost {
                simulations: r.simulations as u64,
                ..Cost::default()
            },
        })
    }
}
