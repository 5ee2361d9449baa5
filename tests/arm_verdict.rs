//! The verdict on a problem whose observation is continuous (the arm): exact
//! posterior samples clear its bar on the fixed targets, and samples that
//! are too wide, or that miss the target, fail it on the right score.

use inn_playground::error::Error;
use inn_playground::evaluate::Sampler;
use inn_playground::fidelity::{targets, verdict, SAMPLES_PER_TARGET, TARGETS};
use inn_playground::problem::{Problem, RobotArm};
use inn_playground::rng::Rng;
use inn_playground::train::SampleNoise;

/// Exact arm posterior samples, each coordinate moved away from the
/// samples' mean by `scale`, and every sample's rail height moved by `lift`.
struct Distorted {
    arm: RobotArm,
    scale: f64,
    lift: f64,
}

impl Distorted {
    fn exact() -> Self {
        Distorted {
            arm: RobotArm::default(),
            scale: 1.0,
            lift: 0.0,
        }
    }
}

impl Sampler for Distorted {
    fn problem(&self) -> &dyn Problem {
        &self.arm
    }
    fn steps_done(&self) -> u64 {
        0
    }
    fn sample(
        &mut self,
        y_star: &[f64],
        n: usize,
        seed: u64,
        _: SampleNoise,
    ) -> Result<Vec<f64>, Error> {
        let mut s = self.arm.sample_posterior(&mut Rng::new(seed), y_star, n)?;
        for j in 0..4 {
            let mean = s.iter().skip(j).step_by(4).sum::<f64>() / n as f64;
            for v in s.iter_mut().skip(j).step_by(4) {
                *v = mean + self.scale * (*v - mean);
            }
        }
        for v in s.iter_mut().step_by(4) {
            *v += self.lift;
        }
        Ok(s)
    }
    fn latent(&mut self, _: &[f64], _: u64) -> Option<(Vec<f64>, usize)> {
        None
    }
}

#[test]
fn exact_samples_clear_the_arms_bar_on_every_target() {
    let v = verdict(&mut Distorted::exact(), 1);
    assert!(v.passes, "{:?}", v.failures());
    assert!(v.labels.is_empty());
    assert_eq!(v.targets.len(), TARGETS);
    let arm = RobotArm::default();
    assert_eq!(
        v.targets
            .iter()
            .map(|t| t.score.y_star.clone())
            .collect::<Vec<_>>(),
        targets(&arm),
        "the same targets for every run"
    );
    for t in &v.targets {
        assert_eq!(t.score.samples, SAMPLES_PER_TARGET);
        let r = t.score.resimulation.unwrap();
        // Exact samples of the noisy arm land about one noise std away.
        assert!(r.median < 0.02, "{r:?}");
        for c in &t.score.coordinates {
            assert!((c.spread_ratio - 1.0).abs() < 0.1, "{c:?}");
        }
    }
}

#[test]
fn too_wide_samples_miss_on_their_spread_and_shifted_ones_on_the_resimulation() {
    let wide = verdict(
        &mut Distorted {
            scale: 1.4,
            ..Distorted::exact()
        },
        1,
    );
    assert!(!wide.passes);
    for t in &wide.targets {
        assert!(
            t.misses.iter().any(|m| m.contains("spread")),
            "{:?}",
            t.misses
        );
    }
    let shifted = verdict(
        &mut Distorted {
            lift: 0.1,
            ..Distorted::exact()
        },
        1,
    );
    assert!(!shifted.passes);
    for t in &shifted.targets {
        assert!(
            t.misses.iter().any(|m| m.contains("re-simulation")),
            "{:?}",
            t.misses
        );
    }
}
