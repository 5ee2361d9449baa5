//! A trained INN as a method: one inverse pass per sample, x = f^-1(y*, z),
//! for any observation; its training is paid once for every query.

use super::{Answer, Cost, Method, Query};
use crate::error::Error;
use crate::evaluate::Sampler;
use crate::problem::Problem;
use crate::train::SampleNoise;

/// A trained network and what its training cost.
#[derive(Debug)]
pub struct Inn<'a, S: Sampler + ?Sized> {
    pub network: &'a mut S,
    /// Seconds the training took (the caller's clock).
    pub training_seconds: f64,
}

impl<S: Sampler + ?Sized> Method for Inn<'_, S> {
    fn name(&self) -> &'static str {
        "inn"
    }

    fn answer(&mut self, problem: &dyn Problem, q: &Query) -> Result<Answer, Error> {
        if problem.view() != self.network.problem().view() {
            return Err(Error::InvalidArgument(
                "the network was trained on another problem".into(),
            ));
        }
        let samples = self
            .network
            .sample(q.y_star, q.n, q.seed, SampleNoise::default())?;
        Ok(Answer {
            samples,
            cost: Cost {
                network_evaluations: q.n as u64,
                training_steps: self.network.steps_done(),
                training_seconds: self.training_seconds,
                paid_once: true,
                ..Cost::default()
            },
        })
    }
}
