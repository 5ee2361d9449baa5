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
/// noise on y and padding) and `n` prior test points, all from `seed`, and
/// scores them; with `mmd_samples`, also the MMD^2 over the first that
/// many samples of each label (it costs O(k^2): the page asks for fewer
/// than it scores).
pub fn evaluate<T: Real>(
    trainer: &mut Trainer<T>,
    n: usize,
    seed: u64,
    noise: SampleNoise,
    mmd_samples: Option<usize>,
) -> Evaluation {
    let mut rng = Rng::new(seed);
    let labels = (0..trainer.problem().n_labels())
        .map(|label| score_with(trainer, label, n, &mut rng, noise, mmd_samples))
        .collect();
    let latent = latent_with(trainer, n, &mut rng);
    Evaluation {
        step: trainer.steps_done(),
        labels,
        latent,
    }
}

/// The score of one label, from `n` samples drawn from `seed`: the page
/// scores label by label while training, so that no single piece of work
/// delays a pause.
pub fn evaluate_label<T: Real>(
    trainer: &mut Trainer<T>,
    label: usize,
    n: usize,
    seed: u64,
    noise: SampleNoise,
    mmd_samples: Option<usize>,
) -> Option<LabelScore> {
    (label < trainer.problem().n_labels())
        .then(|| score_with(trainer, label, n, &mut Rng::new(seed), noise, mmd_samples))
}

/// Moments of f_z(x) over `n` prior points drawn from `seed`.
pub fn evaluate_latent<T: Real>(trainer: &mut Trainer<T>, n: usize, seed: u64) -> LatentHealth {
    latent_with(trainer, n, &mut Rng::new(seed))
}

fn score_with<T: Real>(
    trainer: &mut Trainer<T>,
    label: usize,
    n: usize,
    rng: &mut Rng,
    noise: SampleNoise,
    mmd_samples: Option<usize>,
) -> LabelScore {
    let samples = trainer
        .sample_posterior(label, n, rng.next_seed(), noise)
        .expect("label in range");
    let samples: Vec<f64> = samples
        .iter()
        .map(|v| v.to_f64().unwrap_or(f64::NAN))
        .collect();
    let problem = trainer.problem();
    let exact = problem
        .sample_posterior(rng, label, n)
        .expect("label in range");
    // Drawn whether or not it is used, so that the later labels' draws do
    // not depend on it.
    let exact_again = problem
        .sample_posterior(rng, label, n)
        .expect("label in range");
    let mmd_values = mmd_samples.map(|k| 2 * k.min(n));
    score_label(
        problem,
        label,
        &samples,
        &exact,
        mmd_values.map(|k| &exact_again[..k]),
    )
}

fn latent_with<T: Real>(trainer: &mut Trainer<T>, n: usize, rng: &mut Rng) -> LatentHealth {
    let points: Vec<T> = (0..n)
        .flat_map(|_| trainer.problem().sample(rng).0)
        .map(T::of)
        .collect();
    let (z, _) = trainer.forward_points(&points, rng.next_seed());
    let z: Vec<f64> = z.iter().map(|v| v.to_f64().unwrap_or(f64::NAN)).collect();
    latent_health(&z, trainer.config().ndim_z)
}
