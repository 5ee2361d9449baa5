//! The exact posterior as a method: the truth every other method is scored
//! against, and the reference its costs are read beside.

use super::{Answer, Cost, Method, Query};
use crate::error::Error;
use crate::problem::Problem;
use crate::rng::Rng;

/// Draws from the problem's exact posterior sampler.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Exact;

impl Method for Exact {
    fn name(&self) -> &'static str {
        "exact"
    }

    fn answer(&mut self, problem: &dyn Problem, q: &Query) -> Result<Answer, Error> {
        let samples = problem.sample_posterior(&mut Rng::new(q.seed), q.y_star, q.n)?;
        Ok(Answer {
            samples,
            cost: Cost::default(),
        })
    }
}
