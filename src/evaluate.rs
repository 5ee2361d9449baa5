//! Scores a trained network against the exact posterior of every label of
//! a problem whose observations are labels: what `inn eval`, the fidelity
//! tests, the benchmark and the page report.

use crate::error::Error;
use crate::linalg::Real;
use crate::metrics::{
    latent_health, score_label, score_observation, LabelScore, LatentHealth, ObservationScore,
};
use crate::problem::Problem;
use crate::rng::Rng;
use crate::train::{SampleNoise, Trainer};
use serde::Serialize;

/// What the scores read from a trained model: posterior samples for an
/// observation and, where the model has one, its latent code of given
/// points.
/// The scores take this instead of a trainer, so that anything that draws
/// posterior samples is scored by the same numbers.
pub trait Sampler {
    /// The problem the model answers.
    fn problem(&self) -> &dyn Problem;
    /// Training steps behind the model (0 for a method without training).
    fn steps_done(&self) -> u64;
    /// `n` posterior samples for the observation `y_star` (`ndim_x` values
    /// each), drawn from `seed`; `noise` scales the noise a network was
    /// trained with.
    fn sample(
        &mut self,
        y_star: &[f64],
        n: usize,
        seed: u64,
        noise: SampleNoise,
    ) -> Result<Vec<f64>, Error>;
    /// The latent code z of points `x` (`ndim_x` values each), `n x ndim_z`, and
    /// `ndim_z`; None for a model without a latent space.
    fn latent(&mut self, x: &[f64], seed: u64) -> Option<(Vec<f64>, usize)>;
}

impl<T: Real> Sampler for Trainer<T> {
    fn problem(&self) -> &dyn Problem {
        Trainer::problem(self)
    }

    fn steps_done(&self) -> u64 {
        Trainer::steps_done(self)
    }

    fn sample(
        &mut self,
        y_star: &[f64],
        n: usize,
        seed: u64,
        noise: SampleNoise,
    ) -> Result<Vec<f64>, Error> {
        let s = self.sample_posterior(y_star, n, seed, noise)?;
        Ok(s.iter().map(|v| v.to_f64().unwrap_or(f64::NAN)).collect())
    }

    fn latent(&mut self, x: &[f64], seed: u64) -> Option<(Vec<f64>, usize)> {
        let points: Vec<T> = x.iter().map(|&v| T::of(v)).collect();
        let (z, _) = self.forward_points(&points, seed);
        let z = z.iter().map(|v| v.to_f64().unwrap_or(f64::NAN)).collect();
        Some((z, self.config().ndim_z))
    }
}

/// Scores of every label and the health of the latent space.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    pub step: u64,
    pub labels: Vec<LabelScore>,
    /// Moments of f_z(x) over prior samples (None without a latent space).
    pub latent: Option<LatentHealth>,
}

/// Draws `n` posterior samples per label (with `noise` times the training
/// noise on y and padding) and `n` prior test points, all from `seed`, and
/// scores them; with `mmd_samples`, also the MMD^2 over the first that
/// many samples of each label (it costs O(k^2): the page asks for fewer
/// than it scores).
pub fn evaluate<S: Sampler + ?Sized>(
    trainer: &mut S,
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

/// The score of one label, from `n` samples drawn from `seed + label`: the
/// page scores label by label while training, so that no single piece of
/// work delays a pause. The MMD^2 (`mmd_samples`) takes draws of its own
/// after the bar's, so the bar's numbers do not depend on whether it is
/// asked for.
pub fn evaluate_label<S: Sampler + ?Sized>(
    trainer: &mut S,
    label: usize,
    n: usize,
    seed: u64,
    noise: SampleNoise,
    mmd_samples: Option<usize>,
) -> Option<LabelScore> {
    (label < trainer.problem().n_labels()).then(|| {
        let mut rng = Rng::new(seed.wrapping_add(label as u64));
        score_with(trainer, label, n, &mut rng, noise, mmd_samples)
    })
}

/// Every label as [`evaluate_label`] scores it, and the latent space as
/// [`evaluate_latent`] does, from the same `seed`: what the page shows
/// while paused, which then agrees with the label-by-label scores it
/// showed while training the same network.
pub fn evaluate_label_by_label<S: Sampler + ?Sized>(
    trainer: &mut S,
    n: usize,
    seed: u64,
    noise: SampleNoise,
    mmd_samples: Option<usize>,
) -> Evaluation {
    let labels = (0..trainer.problem().n_labels())
        .filter_map(|label| evaluate_label(trainer, label, n, seed, noise, mmd_samples))
        .collect();
    Evaluation {
        step: trainer.steps_done(),
        labels,
        latent: evaluate_latent(trainer, n, seed),
    }
}

/// Moments of f_z(x) over `n` prior points drawn from `seed`.
pub fn evaluate_latent<S: Sampler + ?Sized>(
    trainer: &mut S,
    n: usize,
    seed: u64,
) -> Option<LatentHealth> {
    latent_with(trainer, n, &mut Rng::new(seed))
}

/// Moments of f_z(x) over `n` draws of the exact posterior p(x | `label`)
/// from `seed`: z should be N(0, I) for every label separately, not only
/// pooled over the prior (z independent of y). None without a latent
/// space, or for a label out of range.
pub fn evaluate_latent_of_label<S: Sampler + ?Sized>(
    sampler: &mut S,
    label: usize,
    n: usize,
    seed: u64,
) -> Option<LatentHealth> {
    let mut rng = Rng::new(seed);
    let problem = sampler.problem();
    let y_star = problem.label_observation(label).ok()?;
    let points = problem.sample_posterior(&mut rng, &y_star, n).ok()?;
    let (z, ndim_z) = sampler.latent(&points, rng.next_seed())?;
    Some(latent_health(&z, ndim_z))
}

/// The scores of the model's `n` samples for the observation `y_star`,
/// drawn from `seed` (then two exact sample sets of the same size, drawn
/// after them): what a problem with a continuous observation is judged by.
pub fn evaluate_observation<S: Sampler + ?Sized>(
    sampler: &mut S,
    y_star: &[f64],
    n: usize,
    seed: u64,
    noise: SampleNoise,
) -> Result<ObservationScore, Error> {
    let mut rng = Rng::new(seed);
    let samples = sampler.sample(y_star, n, rng.next_seed(), noise)?;
    let problem = sampler.problem();
    let exact = problem.sample_posterior(&mut rng, y_star, n)?;
    let again = problem.sample_posterior(&mut rng, y_star, n)?;
    Ok(score_observation(problem, y_star, &samples, &exact, &again))
}

fn score_with<S: Sampler + ?Sized>(
    trainer: &mut S,
    label: usize,
    n: usize,
    rng: &mut Rng,
    noise: SampleNoise,
    mmd_samples: Option<usize>,
) -> LabelScore {
    let y_star = trainer
        .problem()
        .label_observation(label)
        .expect("label in range");
    let samples = trainer
        .sample(&y_star, n, rng.next_seed(), noise)
        .expect("an observation of the problem");
    let problem = trainer.problem();
    let exact = problem
        .sample_posterior(rng, &y_star, n)
        .expect("an observation of the problem");
    // Drawn whether or not it is used, so that the later labels' draws do
    // not depend on it.
    let exact_again = problem
        .sample_posterior(rng, &y_star, n)
        .expect("an observation of the problem");
    let mmd_values = mmd_samples.map(|k| 2 * k.min(n));
    score_label(
        problem.modes(),
        label,
        &samples,
        &exact,
        mmd_values.map(|k| &exact_again[..k]),
    )
}

/// The share of each latent dimension's variance that the padding's
/// noise explains ([`padding_share`](crate::metrics::padding_share)), on
/// `n` prior points drawn from `seed`, each passed forward `draws` times
/// with fresh padding. None without a latent space.
pub fn evaluate_padding_share<S: Sampler + ?Sized>(
    sampler: &mut S,
    n: usize,
    draws: usize,
    seed: u64,
) -> Option<Vec<f64>> {
    let mut rng = Rng::new(seed);
    let problem = sampler.problem();
    let nx = problem.ndim_x();
    let mut points = vec![0.0; n * nx];
    for x in points.chunks_exact_mut(nx) {
        problem.sample_prior(&mut rng, x);
    }
    let mut z = Vec::with_capacity(draws);
    let mut ndim_z = 0;
    for _ in 0..draws {
        let (code, nz) = sampler.latent(&points, rng.next_seed())?;
        z.push(code);
        ndim_z = nz;
    }
    Some(crate::metrics::padding_share(&z, ndim_z))
}

fn latent_with<S: Sampler + ?Sized>(
    trainer: &mut S,
    n: usize,
    rng: &mut Rng,
) -> Option<LatentHealth> {
    let problem = trainer.problem();
    let nx = problem.ndim_x();
    let mut points = vec![0.0; n * nx];
    for x in points.chunks_exact_mut(nx) {
        problem.sample_prior(rng, x);
    }
    let (z, ndim_z) = trainer.latent(&points, rng.next_seed())?;
    Some(latent_health(&z, ndim_z))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LabelMap, Preset};

    /// A `fast` network after 100 steps: part of each label's samples has
    /// found its modes, so that no number of a score sits at a bound.
    fn briefly_trained() -> Trainer<f32> {
        let mut t = Trainer::new(&Preset::Fast.config(LabelMap::Some, 3)).expect("valid preset");
        for _ in 0..100 {
            t.step().expect("finite");
        }
        t
    }

    #[test]
    fn asking_for_the_mmd_leaves_the_bars_numbers_as_they_were() {
        let mut t = briefly_trained();
        for label in 0..t.problem().n_labels() {
            let plain = evaluate_label(&mut t, label, 400, 7, SampleNoise::default(), None)
                .expect("label in range");
            let with_mmd = evaluate_label(&mut t, label, 400, 7, SampleNoise::default(), Some(100))
                .expect("label in range");
            assert!(plain.mmd2.is_none() && with_mmd.mmd2.is_some());
            let bar_part = |s: &LabelScore| LabelScore {
                mmd2: None,
                mmd2_floor: None,
                ..s.clone()
            };
            // As text, where NaN (the centre of a mode no sample reached)
            // equals NaN.
            assert_eq!(
                format!("{:?}", bar_part(&plain)),
                format!("{:?}", bar_part(&with_mmd)),
                "label {label}"
            );
        }
    }

    #[test]
    fn the_scores_of_every_label_at_once_are_those_of_each_label_alone() {
        let mut t = briefly_trained();
        let all = evaluate_label_by_label(&mut t, 400, 7, SampleNoise::default(), Some(100));
        assert_eq!(all.labels.len(), t.problem().n_labels());
        for (label, score) in all.labels.iter().enumerate() {
            let alone = evaluate_label(&mut t, label, 400, 7, SampleNoise::default(), None)
                .expect("label in range");
            assert_eq!(score.in_correct, alone.in_correct, "label {label}");
            assert_eq!(score.max_mass_error, alone.max_mass_error, "label {label}");
            assert_eq!(
                format!("{:?}", score.modes),
                format!("{:?}", alone.modes),
                "label {label}"
            );
        }
        assert_eq!(all.latent, evaluate_latent(&mut t, 400, 7));
        // Each label draws from a stream of its own.
        let first = evaluate_label(&mut t, 0, 400, 7, SampleNoise::default(), None);
        let shifted = evaluate_label(&mut t, 0, 400, 8, SampleNoise::default(), None);
        assert_ne!(first, shifted);
    }
}
