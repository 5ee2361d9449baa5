//! Ways of answering "what is p(x | y*)?": every method takes a problem and
//! a query (the observation, how many samples, a seed and a budget) and
//! returns samples with a record of what they cost, so that the page, the
//! CLI and the bench compare methods by the same scores and the same costs.
//! The core has no clock: timing is the caller's ([`ask`]).

mod abc;
mod cgan;
pub mod chains;
mod exact;
mod inn;
mod mcmc;
mod mean_variance;
mod shared;
mod variational;

pub use abc::Abc;
pub use cgan::{Cgan, CganSettings, GanLosses};
pub use exact::Exact;
pub use inn::Inn;
pub use mcmc::{Mcmc, McmcRun};
pub use mean_variance::{MeanVariance, MeanVarianceSettings};
pub use variational::{Variational, VariationalSettings};

use crate::error::Error;
use crate::problem::{check_observation, Problem};
use serde::Serialize;

/// One question put to a method.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Query<'a> {
    /// The observation y* (`ndim_y` entries).
    pub y_star: &'a [f64],
    /// Samples wanted.
    pub n: usize,
    /// Seeds every draw the answer makes.
    pub seed: u64,
    /// The most work the method may spend on this query, in its own unit
    /// (simulations for ABC); a method whose cost is paid once for all
    /// queries ignores it.
    pub budget: u64,
}

/// What an answer cost. Counts are exact; seconds are measured by the
/// caller's clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Cost {
    /// Runs of the forward process (simulator calls).
    pub simulations: u64,
    /// Evaluations of the posterior's density (up to its constant).
    pub density_evaluations: u64,
    /// Passes of a network, one per sample (or one per query for a
    /// network whose answer is a distribution).
    pub network_evaluations: u64,
    /// Training steps behind the answer (paid once, before any query).
    pub training_steps: u64,
    /// Seconds those training steps took.
    pub training_seconds: f64,
    /// Seconds this query took.
    pub seconds_per_query: f64,
    /// Whether the training cost serves every query (amortised), so that a
    /// new observation costs only [`Cost::seconds_per_query`].
    pub paid_once: bool,
}

/// Samples and their cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// Posterior samples, flattened (`ndim_x` per sample); fewer than asked
    /// when the budget ran out first.
    pub samples: Vec<f64>,
    pub cost: Cost,
}

/// A way of drawing from p(x | y*).
pub trait Method {
    /// The name the page and the CLI use.
    fn name(&self) -> &'static str;
    /// Answers `query` on `problem`. Implementations leave
    /// [`Cost::seconds_per_query`] at 0: [`ask`] measures it.
    fn answer(&mut self, problem: &dyn Problem, query: &Query) -> Result<Answer, Error>;
}

/// Checks the query, asks the method and times the answer with `clock`
/// (seconds, any origin).
pub fn ask(
    method: &mut dyn Method,
    problem: &dyn Problem,
    query: &Query,
    clock: &dyn Fn() -> f64,
) -> Result<Answer, Error> {
    check_observation(problem, query.y_star)?;
    if query.n == 0 {
        return Err(Error::InvalidArgument("n must be at least 1".into()));
    }
    let start = clock();
    let mut answer = method.answer(problem, query)?;
    answer.cost.seconds_per_query = (clock() - start).max(0.0);
    Ok(answer)
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_gan;
#[cfg(test)]
mod tests_networks;
