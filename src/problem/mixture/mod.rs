//! Gaussian mixtures in 2-D whose modes carry labels: x is a point, y the
//! one-hot label of the mode that generated it. The paper's toy is the
//! 8-mode octagon; any list of modes works, so users can draw their own.

use super::{check_observation, Problem, ProblemView, ScoreKind};
use crate::error::Error;
use crate::rng::Rng;
use serde::Serialize;

/// Centres of the paper's eight modes, clockwise (a regular octagon of side 2).
pub const TOY_CENTRES: [[f64; 2]; 8] = [
    [-2.4142, 1.0],
    [-1.0, 2.4142],
    [1.0, 2.4142],
    [2.4142, 1.0],
    [2.4142, -1.0],
    [1.0, -2.4142],
    [-1.0, -2.4142],
    [-2.4142, -1.0],
];

/// Standard deviation of each toy mode, per coordinate.
pub const TOY_STD: f64 = 0.2;

/// How the toy's eight modes share labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelMap {
    /// Eight labels: every mode its own; the posterior is one Gaussian.
    All,
    /// The paper's figure: four labels, `[0,0,0,0,1,1,2,3]`.
    Some,
    /// One label: y says nothing, the posterior is the prior.
    None,
}

impl LabelMap {
    /// Label of each of the eight modes.
    pub fn labels(self) -> [usize; 8] {
        match self {
            LabelMap::All => [0, 1, 2, 3, 4, 5, 6, 7],
            LabelMap::Some => [0, 0, 0, 0, 1, 1, 2, 3],
            LabelMap::None => [0; 8],
        }
    }

    /// The name used in links, files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            LabelMap::All => "all",
            LabelMap::Some => "some",
            LabelMap::None => "none",
        }
    }

    /// Parses `all`, `some` or `none`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "all" => Some(LabelMap::All),
            "some" => Some(LabelMap::Some),
            "none" => Some(LabelMap::None),
            _ => None,
        }
    }
}

/// One isotropic Gaussian component.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Mode {
    pub centre: [f64; 2],
    pub std: f64,
    pub weight: f64,
    pub label: usize,
}

/// A labelled mixture of isotropic 2-D Gaussians.
#[derive(Clone, Debug, PartialEq)]
pub struct GaussianMixture {
    modes: Vec<Mode>,
    /// Cumulative normalised weights, for sampling a mode.
    cumulative: Vec<f64>,
    n_labels: usize,
}

impl GaussianMixture {
    /// Checks and wraps `modes`: at least one, finite centres, positive
    /// finite std and weight, and labels `0..k` each used at least once.
    pub fn new(modes: Vec<Mode>) -> Result<Self, Error> {
        let bad = |why: String| Err(Error::InvalidArgument(why));
        if modes.is_empty() {
            return bad("a mixture needs at least one mode".into());
        }
        for (i, m) in modes.iter().enumerate() {
            if !m.centre.iter().all(|c| c.is_finite()) {
                return bad(format!("mode {i}: centre {:?} is not finite", m.centre));
            }
            if !(m.std.is_finite() && m.std > 0.0) {
                return bad(format!("mode {i}: std must be > 0, got {}", m.std));
            }
            if !(m.weight.is_finite() && m.weight > 0.0) {
                return bad(format!("mode {i}: weight must be > 0, got {}", m.weight));
            }
        }
        let n_labels = modes.iter().map(|m| m.label).max().unwrap_or(0) + 1;
        for l in 0..n_labels {
            if !modes.iter().any(|m| m.label == l) {
                return bad(format!(
                    "labels must be 0..{n_labels} with none unused; label {l} has no mode"
                ));
            }
        }
        let total: f64 = modes.iter().map(|m| m.weight).sum();
        let cumulative = modes
            .iter()
            .scan(0.0, |acc, m| {
                *acc += m.weight / total;
                Some(*acc)
            })
            .collect();
        Ok(GaussianMixture {
            modes,
            cumulative,
            n_labels,
        })
    }

    /// The paper's 8-mode toy with the given label map.
    pub fn toy(map: LabelMap) -> Self {
        let modes = TOY_CENTRES
            .iter()
            .zip(map.labels())
            .map(|(&centre, label)| Mode {
                centre,
                std: TOY_STD,
                weight: 1.0,
                label,
            })
            .collect();
        Self::new(modes).expect("the toy mixture is valid")
    }

    /// The components.
    pub fn modes(&self) -> &[Mode] {
        &self.modes
    }

    /// Number of distinct labels (the dimension of the one-hot y).
    pub fn n_labels(&self) -> usize {
        self.n_labels
    }

    /// Indices of the modes carrying `label`.
    pub fn modes_of(&self, label: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.modes.len()).filter(move |&i| self.modes[i].label == label)
    }

    fn draw_from(&self, rng: &mut Rng, mode: usize) -> [f64; 2] {
        let m = &self.modes[mode];
        [
            m.centre[0] + m.std * rng.normal(),
            m.centre[1] + m.std * rng.normal(),
        ]
    }

    /// One draw from the prior: the point and the index of its mode.
    pub fn sample(&self, rng: &mut Rng) -> ([f64; 2], usize) {
        let u = rng.uniform();
        let mode = self
            .cumulative
            .iter()
            .position(|&c| u < c)
            .unwrap_or(self.modes.len() - 1);
        (self.draw_from(rng, mode), mode)
    }

    /// `n` exact draws from p(x | label) as `x0, x1` pairs.
    pub fn sample_posterior(
        &self,
        rng: &mut Rng,
        label: usize,
        n: usize,
    ) -> Result<Vec<f64>, Error> {
        let modes: Vec<usize> = self.modes_of(label).collect();
        if modes.is_empty() {
            return Err(Error::InvalidArgument(format!(
                "label must be in 0..{}, got {label}",
                self.n_labels
            )));
        }
        let total: f64 = modes.iter().map(|&i| self.modes[i].weight).sum();
        let mut out = Vec::with_capacity(2 * n);
        for _ in 0..n {
            let mut u = rng.uniform() * total;
            let mut pick = modes[modes.len() - 1];
            for &i in &modes {
                if u < self.modes[i].weight {
                    pick = i;
                    break;
                }
                u -= self.modes[i].weight;
            }
            out.extend(self.draw_from(rng, pick));
        }
        Ok(out)
    }

    /// log of [`GaussianMixture::density`], summed in log space so that it
    /// stays finite far from every mode (where the density underflows).
    pub fn log_density(&self, x: [f64; 2], label: Option<usize>) -> f64 {
        let total: f64 = self.modes.iter().map(|m| m.weight).sum();
        let terms: Vec<f64> = self
            .modes
            .iter()
            .filter(|m| label.is_none_or(|l| m.label == l))
            .map(|m| {
                let var = m.std * m.std;
                let d2 = (x[0] - m.centre[0]).powi(2) + (x[1] - m.centre[1]).powi(2);
                (m.weight / total).ln() - 0.5 * d2 / var - (2.0 * std::f64::consts::PI * var).ln()
            })
            .collect();
        let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if top == f64::NEG_INFINITY {
            return top;
        }
        top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln()
    }

    /// Mixture density at `x`, restricted to modes of `label` when given
    /// (unnormalised in that case: p(x, label)).
    pub fn density(&self, x: [f64; 2], label: Option<usize>) -> f64 {
        let total: f64 = self.modes.iter().map(|m| m.weight).sum();
        self.modes
            .iter()
            .filter(|m| label.is_none_or(|l| m.label == l))
            .map(|m| {
                let var = m.std * m.std;
                let d2 = (x[0] - m.centre[0]).powi(2) + (x[1] - m.centre[1]).powi(2);
                m.weight / total * (-0.5 * d2 / var).exp() / (2.0 * std::f64::consts::PI * var)
            })
            .sum()
    }
}

/// Half-width of the square the page draws a mixture in: the toy's modes
/// and a margin, and any hand-drawn mode within [-4, 4].
const VIEW_EXTENT: f64 = 4.0;

impl GaussianMixture {
    /// The label an observation names: the entry of y* nearest to 1 among
    /// the largest (y* is a label's one-hot vector, possibly noisy).
    pub fn label_of(&self, y_star: &[f64]) -> Result<usize, Error> {
        check_observation(self, y_star)?;
        Ok((0..y_star.len())
            .max_by(|&a, &b| y_star[a].total_cmp(&y_star[b]))
            .unwrap_or(0))
    }

    /// The one-hot observation of `label`.
    pub fn one_hot(&self, label: usize) -> Result<Vec<f64>, Error> {
        if label >= self.n_labels {
            return Err(Error::InvalidArgument(format!(
                "label must be in 0..{}, got {label}",
                self.n_labels
            )));
        }
        let mut y = vec![0.0; self.n_labels];
        y[label] = 1.0;
        Ok(y)
    }
}

impl Problem for GaussianMixture {
    fn name(&self) -> &'static str {
        "mixture"
    }

    fn ndim_x(&self) -> usize {
        2
    }

    fn ndim_y(&self) -> usize {
        self.n_labels
    }

    fn sample_prior(&self, rng: &mut Rng, x: &mut [f64]) {
        x.copy_from_slice(&self.sample(rng).0);
    }

    fn simulate(&self, rng: &mut Rng, x: &mut [f64], y: &mut [f64]) {
        let (p, mode) = self.sample(rng);
        x.copy_from_slice(&p);
        y.fill(0.0);
        y[self.modes[mode].label] = 1.0;
    }

    /// log p(x, c) for the label c that y* names: the log density of the
    /// modes of that colour (p(c | x) is their share of the density at x).
    fn log_target(&self, x: &[f64], y_star: &[f64]) -> f64 {
        match self.label_of(y_star) {
            Ok(label) => self.log_density([x[0], x[1]], Some(label)),
            Err(_) => f64::NEG_INFINITY,
        }
    }

    fn sample_posterior(&self, rng: &mut Rng, y_star: &[f64], n: usize) -> Result<Vec<f64>, Error> {
        let label = self.label_of(y_star)?;
        GaussianMixture::sample_posterior(self, rng, label, n)
    }

    fn score_kinds(&self) -> &'static [ScoreKind] {
        &[ScoreKind::Modes, ScoreKind::Mmd]
    }

    fn n_labels(&self) -> usize {
        self.n_labels
    }

    fn label_observation(&self, label: usize) -> Result<Vec<f64>, Error> {
        self.one_hot(label)
    }

    fn modes(&self) -> &[Mode] {
        &self.modes
    }

    fn view(&self) -> ProblemView {
        ProblemView::Mixture {
            modes: self.modes.clone(),
            n_labels: self.n_labels,
            in_mode_stds: crate::metrics::IN_MODE_STDS,
            extent: VIEW_EXTENT,
        }
    }
}

#[cfg(test)]
mod tests;
