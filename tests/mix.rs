//! A mixture drawn by hand, from its link, trains to the fidelity bar with
//! the `fast` preset's settings, judged by the one verdict against its
//! exact posterior. The exact posterior is written out here, mode by mode,
//! not read from the link: a link read wrongly (a std, a centre, a label)
//! trains on another mixture, and the verdict then fails. Seed 21 is not
//! one the preset was tuned on, nor one tried on this mixture beforehand.

use inn_playground::error::Error;
use inn_playground::evaluate::Sampler;
use inn_playground::fidelity::{verdict, Verdict};
use inn_playground::hash::parse_hash;
use inn_playground::linalg::with_browser_arithmetic;
use inn_playground::problem::{GaussianMixture, Mode, Problem};
use inn_playground::train::SampleNoise;
use inn_playground::{Preset, Trainer};

/// The issue's example: three modes, two colours.
const LINK: &str = "v=1&engine=1&preset=fast&seed=21&mix=-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1";

/// The link's mixture, as the issue states it.
fn stated(std_of_third: f64) -> GaussianMixture {
    let mode = |x, y, std, label| Mode {
        centre: [x, y],
        std,
        weight: 1.0,
        label,
    };
    GaussianMixture::new(vec![
        mode(-2.0, 0.0, 0.3, 0),
        mode(2.0, 0.0, 0.3, 0),
        mode(0.0, 2.0, std_of_third, 1),
    ])
    .unwrap()
}

/// A trained network judged against a mixture given apart from it.
struct Against<'a> {
    trainer: &'a mut Trainer,
    exact: GaussianMixture,
}

impl Sampler for Against<'_> {
    fn problem(&self) -> &dyn Problem {
        &self.exact
    }
    fn steps_done(&self) -> u64 {
        self.trainer.steps_done()
    }
    fn sample(
        &mut self,
        y_star: &[f64],
        n: usize,
        seed: u64,
        noise: SampleNoise,
    ) -> Result<Vec<f64>, Error> {
        Sampler::sample(self.trainer, y_star, n, seed, noise)
    }
    fn latent(&mut self, x: &[f64], seed: u64) -> Option<(Vec<f64>, usize)> {
        Sampler::latent(self.trainer, x, seed)
    }
}

fn print(what: &str, v: &Verdict) {
    for l in &v.labels {
        println!("{what}: {}", serde_json::to_string(&l.score).unwrap());
    }
}

/// Trains the link's run for the preset's schedule; the verdicts against
/// the stated mixture and against one whose third mode is 1.5 times
/// narrower than the link's.
fn trained_and_judged() -> (Verdict, Verdict) {
    let (state, notices) = parse_hash(LINK);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(state.preset, Preset::Fast);
    let steps = state.config.steps;
    let mut t: Trainer = Trainer::new(&state.config).unwrap();
    for _ in 0..steps {
        t.step().unwrap();
    }
    let seed = state.config.seed;
    let mut right = Against {
        trainer: &mut t,
        exact: stated(0.2),
    };
    let v = verdict(&mut right, seed);
    print("stated", &v);
    let mut wrong = Against {
        trainer: &mut t,
        exact: stated(0.2 / 1.5),
    };
    let w = verdict(&mut wrong, seed);
    print("third mode narrower", &w);
    (v, w)
}

#[test]
fn the_issues_mixture_trains_to_the_bar_and_a_wrong_one_fails_it() {
    let (v, w) = trained_and_judged();
    assert_eq!(v.labels.len(), 2);
    assert!(v.passes, "{:?}", v.failures());
    assert!(!w.passes, "judged against the wrong widths, it must fail");
    assert!(
        w.failures().iter().any(|f| f.contains("label 1")),
        "{:?}",
        w.failures()
    );
}

#[test]
fn the_issues_mixture_trains_to_the_bar_in_the_page() {
    let (v, _) = with_browser_arithmetic(trained_and_judged);
    assert!(v.passes, "{:?}", v.failures());
}
