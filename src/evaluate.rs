//! Scores a trained network against the exact posterior of every label:
//! what `inn eval`, the fidelity tests, the benchmark and the page report.

use crate::linalg::Real;
use crate::metrics::{latent_health, score_label, LabelScore, LatentHealth};
use crate::rng::Rng;
use crate::train::{SampleNoise, Trainer};
use serde::Serialize;

/// Scores of every label and the health of the latent space.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    pub step: u64,
    pub labels: Vec<LabelScore>,
    /// Moments of f_z(x) over prior samples.
    pub latent: LatentHealth,
}

/// Draws `n` posterior samples per label (with `noise` times the training
/// noise on y and padding; MMD^2 only `with_mmd`) and `n`
/// prior test points, all from `seed`, and scores them.
pub fn evaluate<T: Real>(
    trainer: &mut Trainer<T>,
    n: usize,
    seed: u64,
    noise: SampleNoise,
    with_mmd: bool,
) -> Evaluation {
    let mut rng = Rng::new(seed);
    let problem = trainer.problem().clone();
    let labels = (0..problem.n_labels())
        .map(|label| {
            let samples = trainer
                .sample_posterior(label, n, rng.next_seed(), noise)
                .expect("label in range");
            let samples: Vec<f64> = samples
                .iter()
                .map(|v| v.to_f64().unwrap_or(f64::NAN))
                .collect();
            let exact = problem
                .sample_posterior(&mut rng, label, n)
                .expect("label in range");
            let exact_again = problem
                .sample_posterior(&mut rng, label, n)
                .expect("label in range");
            score_label(
                &problem,
                label,
                &samples,
                &exact,
                with_mmd.then_some(exact_again.as_slice()),
            )
        })
        .collect();
    let points: Vec<T> = (0..n)
        .flat_map(|_| problem.sample(&mut rng).0)
        .map(T::of)
        .collect();
    let (z, _) = trainer.forward_points(&points, rng.next_seed());
    let z: Vec<f64> = z.iter().map(|v| v.to_f64().unwrap_or(f64::NAN)).collect();
    Evaluation {
        step: trainer.steps_done(),
        labels,
        latent: latent_health(&z, trainer.config().ndim_z),
    }
}
