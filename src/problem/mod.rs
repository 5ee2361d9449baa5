//! Inverse problems: a forward process from hidden parameters x to
//! observations y, with a prior on x. [`Problem`] is what every other part
//! of the core takes (the trainer's data, the baselines' simulations, the
//! scores' exact posterior, the page's drawing); the labelled Gaussian
//! mixture is its first implementation.

mod arm;
mod mixture;

pub use arm::{
    fan_text, marginals, marginals_text, resimulation_error, ChunkedAbc, ChunkedMcmc, ExactDraws,
    ExactFan, Marginal, Price, RobotArm, ARM_COORDINATES, ARM_DEFAULT_NOISE, ARM_LENGTHS,
    ARM_PRIOR_STD,
};
pub use mixture::{GaussianMixture, LabelMap, Mode, TOY_CENTRES, TOY_STD};

use crate::error::Error;
use crate::rng::Rng;
use serde::Serialize;

/// Which problem a run learns: the setting `problem` of links, files and
/// the command line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProblemKind {
    /// The labelled Gaussian mixture (the paper's 8-mode toy).
    #[default]
    Mixture,
    /// The robot arm on a rail.
    Arm,
}

impl ProblemKind {
    /// Every kind, in menu order.
    pub const ALL: [ProblemKind; 2] = [ProblemKind::Mixture, ProblemKind::Arm];

    /// The name used in links, files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::Mixture => "mixture",
            ProblemKind::Arm => "arm",
        }
    }

    /// Parses a kind's name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == s)
    }

    /// The problem of this kind: the toy mixture with label map `labels`,
    /// or the arm with observation noise `arm_noise` (each ignores the
    /// other's parameter).
    pub fn build(self, labels: LabelMap, arm_noise: f64) -> Result<Box<dyn Problem>, Error> {
        Ok(match self {
            ProblemKind::Mixture => Box::new(GaussianMixture::toy(labels)),
            ProblemKind::Arm => Box::new(RobotArm::new(arm_noise)?),
        })
    }
}

/// A score that applies to a problem's posterior samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreKind {
    /// Shares of the samples in the right modes, in wrong ones and between
    /// them; each mode's mass, width and centre (a mixture's posterior).
    Modes,
    /// MMD² against exact posterior samples, with its noise floor.
    Mmd,
    /// Distance of the simulated observation of each sample from y*.
    Resimulation,
}

/// What the page needs to draw a problem: its kind and parameters, as data
/// (the page draws; the core decides what is drawn).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemView {
    /// Labelled isotropic Gaussians in the plane.
    Mixture {
        modes: Vec<Mode>,
        n_labels: usize,
        /// A sample counts as in a mode within this many of its stds.
        in_mode_stds: f64,
        /// Half-width of the square the plane is drawn in.
        extent: f64,
    },
    /// An arm on a vertical rail at horizontal position 0: x = (rail
    /// height, three relative joint angles), y = the tip's position.
    Arm {
        /// Segment lengths, from the rail to the tip.
        lengths: [f64; 3],
        /// Prior standard deviation of each coordinate of x.
        prior_std: [f64; 4],
        /// Standard deviation of the observation noise on each tip coordinate.
        noise: f64,
        /// The box the arm is drawn in: `[[y1_min, y1_max], [y2_min, y2_max]]`.
        extent: [[f64; 2]; 2],
    },
}

/// An inverse problem: dimensions, prior, forward process with its
/// observation noise, and the exact posterior that every method is scored
/// against.
///
/// An observation y* is a vector of [`Problem::ndim_y`] entries; for a
/// problem whose observations are labels, it is the label's one-hot vector.
pub trait Problem: std::fmt::Debug + Send + Sync {
    /// Short name, for files and messages.
    fn name(&self) -> &'static str;
    /// Dimension of the hidden parameters x.
    fn ndim_x(&self) -> usize;
    /// Dimension of the observation y.
    fn ndim_y(&self) -> usize;
    /// One draw of x from the prior, into `x` (`ndim_x`).
    fn sample_prior(&self, rng: &mut Rng, x: &mut [f64]);
    /// One draw of (x, y) from the joint: x from the prior and y from the
    /// forward process at x, observation noise included, into `x`
    /// (`ndim_x`) and `y` (`ndim_y`). The training data and every
    /// simulation-based method draw from this.
    fn simulate(&self, rng: &mut Rng, x: &mut [f64], y: &mut [f64]);
    /// log p(x) + log p(y* | x), up to a constant that does not depend on
    /// x: the unnormalised log posterior a Markov chain walks on
    /// (-inf where the posterior is zero).
    fn log_target(&self, x: &[f64], y_star: &[f64]) -> f64;
    /// `n` exact draws from p(x | y*), flattened (`ndim_x` per draw), or
    /// the error naming what is wrong with `y_star`.
    fn sample_posterior(&self, rng: &mut Rng, y_star: &[f64], n: usize) -> Result<Vec<f64>, Error>;
    /// The scores that apply to this problem's posteriors.
    fn score_kinds(&self) -> &'static [ScoreKind];
    /// What the page needs to draw it.
    fn view(&self) -> ProblemView;
    /// Whether `y_star` is an observation this problem can explain: the
    /// error says why not (wrong length, not finite, out of reach).
    fn check_y(&self, y_star: &[f64]) -> Result<(), Error> {
        check_observation_dims(self.ndim_y(), y_star)
    }
    /// How many labels an observation can be, for a problem whose
    /// observation is a label (its one-hot vector); 0 for a continuous one.
    fn n_labels(&self) -> usize {
        0
    }
    /// The observation that is label `label` (its one-hot vector), or the
    /// error naming the labels there are.
    fn label_observation(&self, label: usize) -> Result<Vec<f64>, Error> {
        match self.n_labels() {
            0 => Err(Error::InvalidArgument(format!(
                "the {} problem's observations are not labels",
                self.name()
            ))),
            n => Err(Error::InvalidArgument(format!(
                "label must be in 0..{n}, got {label}"
            ))),
        }
    }
    /// The labelled modes the [`ScoreKind::Modes`] score measures samples
    /// against (empty for a problem without them).
    fn modes(&self) -> &[Mode] {
        &[]
    }
    /// The distance of x's noiseless observation from `y_star`, for a
    /// problem whose forward process is a function of x plus noise: the
    /// re-simulation error of a posterior sample. None otherwise.
    fn resimulation_distance(&self, _x: &[f64], _y_star: &[f64]) -> Option<f64> {
        None
    }
    /// Prior probability of label `label`: its modes' share of the weight
    /// (0 for a problem without labelled modes).
    fn label_probability(&self, label: usize) -> f64 {
        let modes = self.modes();
        let total: f64 = modes.iter().map(|m| m.weight).sum();
        let own: f64 = modes
            .iter()
            .filter(|m| m.label == label)
            .map(|m| m.weight)
            .sum();
        if total > 0.0 {
            own / total
        } else {
            0.0
        }
    }
}

/// Checks that an observation has the problem's dimension and finite
/// entries.
pub fn check_observation(problem: &dyn Problem, y_star: &[f64]) -> Result<(), Error> {
    check_observation_dims(problem.ndim_y(), y_star)
}

fn check_observation_dims(ny: usize, y_star: &[f64]) -> Result<(), Error> {
    if y_star.len() != ny {
        return Err(Error::InvalidArgument(format!(
            "y* must have {ny} entries, got {}",
            y_star.len()
        )));
    }
    if !y_star.iter().all(|v| v.is_finite()) {
        return Err(Error::InvalidArgument(format!(
            "y* must be finite, got {y_star:?}"
        )));
    }
    Ok(())
}
