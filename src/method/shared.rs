//! What the methods that train a network of their own have in common: the
//! batch they draw from the problem, the scalar functions of their losses,
//! and the answer of a trained network.

use super::{Answer, Cost};
use crate::error::Error;
use crate::linalg::Real;
use crate::optim::AdamSettings;
use crate::problem::Problem;
use crate::rng::Rng;

/// Adam with PyTorch's defaults and no weight decay; the clamp only guards
/// against a wild first step.
pub const ADAM: AdamSettings = AdamSettings {
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weight_decay: 0.0,
    grad_clamp: 1e3,
};

/// f64 of a Real (NaN if it has none).
pub fn real<T: Real>(v: T) -> f64 {
    v.to_f64().unwrap_or(f64::NAN)
}

/// 1 / (1 + e^-v).
pub fn sigmoid(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

/// log(1 + e^v), without overflow.
pub fn softplus(v: f64) -> f64 {
    v.max(0.0) + (-v.abs()).exp().ln_1p()
}

/// `rows` joint draws of the problem: x (`ndim_x` each) and y (`ndim_y`
/// each), appended to `x` and `y` after clearing them.
pub fn draw_joint<T: Real>(
    problem: &dyn Problem,
    rng: &mut Rng,
    rows: usize,
    x: &mut Vec<T>,
    y: &mut Vec<T>,
) {
    let (mut xi, mut yi) = (vec![0.0; problem.ndim_x()], vec![0.0; problem.ndim_y()]);
    x.clear();
    y.clear();
    for _ in 0..rows {
        problem.simulate(rng, &mut xi, &mut yi);
        x.extend(xi.iter().map(|&v| T::of(v)));
        y.extend(yi.iter().map(|&v| T::of(v)));
    }
}

/// Refuses a problem of other dimensions than the network was built for.
pub fn check_dimensions(problem: &dyn Problem, ndim_x: usize, ndim_y: usize) -> Result<(), Error> {
    if (problem.ndim_x(), problem.ndim_y()) != (ndim_x, ndim_y) {
        return Err(Error::InvalidArgument(
            "the network was trained on another problem".into(),
        ));
    }
    Ok(())
}

/// The answer of a trained network: its samples, the network passes
/// they took, and its training, paid once for every query.
pub fn trained_answer(samples: Vec<f64>, passes: u64, training_steps: u64) -> Answer {
    Answer {
        samples,
        cost: Cost {
            network_evaluations: passes,
            training_steps,
            paid_once: true,
            ..Cost::default()
        },
    }
}
