//! Training configuration: one table of settings (`table.rs`) from which
//! come the [`TrainConfig`] fields, the presets' values, the checks, the
//! links, the page's settings panel and `inn train --set`; a configuration
//! is checked once into a [`ValidConfig`].

mod check;
pub(crate) mod decimal;
mod departures;
mod export;
mod from_json;
mod macros;
pub mod mix;
mod preset;
mod setting;
mod table;
#[cfg(test)]
mod tests;
mod values;
mod versions;

use crate::error::Error;
use crate::problem::{GaussianMixture, Problem};
pub use crate::problem::{LabelMap, ProblemKind};
pub use departures::departures;
pub use export::{json_object, table_json, value_json};
pub use preset::Preset;
use serde::Serialize;
pub use setting::{Group, Kind, Place, Setting, Value, MAX_VALUE_LEN};
pub use table::{PageState, TrainConfig, SETTINGS};
pub use values::SettingValue;
pub use versions::{expand, Retired, ENGINE, LINK_VERSION, RETIRED};

/// Upper bound on the memory a configuration may need (parameters, optimiser
/// state and activations of one step), so that every allowed configuration
/// trains on a phone.
pub const MEMORY_LIMIT_BYTES: usize = 256 << 20;

/// Widest one-hot y a configuration may ask for.
pub const MAX_Y_WIDTH: usize = 16;

/// Largest seed: exactly representable in a JavaScript number.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// One loss term: whether it is used, and its weight.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LossTerm {
    pub on: bool,
    pub weight: f64,
}

impl LossTerm {
    /// The weight if the term is on, else zero.
    pub fn active(&self) -> f64 {
        if self.on {
            self.weight
        } else {
            0.0
        }
    }
}

/// The paper's losses plus the research code's maximum-likelihood term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LossWeights {
    /// L_y: MSE of the y part and padding of f(x).
    pub y: LossTerm,
    /// L_z: MMD of [f_z(x), f_y(x)] against [N(0, I), y].
    pub z: LossTerm,
    /// L_x: MMD of f^-1 samples against the training x (times the ramp).
    pub x: LossTerm,
    /// Reconstruction: MSE of f^-1(perturbed f(x)) against x.
    pub rec: LossTerm,
    /// Maximum likelihood: 0.5|z|^2 - log|det J| + |y - f_y|^2 / (2 sigma^2).
    pub ml: LossTerm,
}

/// The setting with link key `key`.
pub fn setting(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// Sets one setting from text, strictly (the command line, the tune
/// example): an unknown key, a malformed value or one out of range is an
/// error that names the setting, the value and the range.
pub fn set_setting(state: &mut PageState, key: &str, text: &str) -> Result<(), Error> {
    let s = setting(key).ok_or_else(|| Error::InvalidConfig {
        field: "the setting",
        value: format!("'{}'", key.chars().take(MAX_VALUE_LEN).collect::<String>()),
        allowed: format!(
            "one of {}",
            SETTINGS
                .iter()
                .map(|s| s.key)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })?;
    let v = s.parse(text)?;
    s.set(state, v);
    Ok(())
}

/// A configuration that passed [`TrainConfig::check`], with its derived
/// dimensions.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidConfig {
    config: TrainConfig,
    /// Dimension of the problem's x.
    pub ndim_x: usize,
    /// Width of the one-hot y (the number of labels unless `y_width` says
    /// otherwise).
    pub ndim_y: usize,
    /// Network width actually used.
    pub ndim_tot: usize,
}

impl std::ops::Deref for ValidConfig {
    type Target = TrainConfig;
    fn deref(&self) -> &TrainConfig {
        &self.config
    }
}

impl ValidConfig {
    /// The checked configuration.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }
}

impl TrainConfig {
    /// The preset's configuration.
    pub fn preset(p: Preset, labels: LabelMap, seed: u64) -> Self {
        p.config(labels, seed)
    }

    /// What the network is trained by, in words: "maximum likelihood
    /// alone", or the loss terms that are on.
    pub fn objective_text(&self) -> String {
        let l = &self.losses;
        let on: Vec<&str> = [
            (l.y, "L_y"),
            (l.z, "L_z"),
            (l.x, "L_x"),
            (l.rec, "reconstruction"),
            (l.ml, "maximum likelihood"),
        ]
        .iter()
        .filter(|(t, _)| t.active() > 0.0)
        .map(|&(_, name)| name)
        .collect();
        match on.as_slice() {
            ["maximum likelihood"] => "maximum likelihood alone".into(),
            terms => format!("the losses {}", terms.join(", ")),
        }
    }

    /// The configured problem, or the error naming its bad parameter: a
    /// drawn mixture (`mix`) replaces the label map's modes.
    pub fn problem(&self) -> Result<Box<dyn Problem>, Error> {
        match self.problem {
            ProblemKind::Mixture if !self.mix.is_empty() => {
                Ok(Box::new(GaussianMixture::new(self.mix.clone())?))
            }
            kind => kind.build(self.labels, self.arm_noise),
        }
    }

    /// Dimensions of the configured problem's x and y (the y of a problem
    /// whose parameters are out of range: 0).
    fn problem_dims(&self) -> (usize, usize) {
        self.problem()
            .map(|p| (p.ndim_x(), p.ndim_y()))
            .unwrap_or((0, 0))
    }

    /// Number of labels of the configured problem (0 for a continuous
    /// observation).
    pub fn n_labels(&self) -> usize {
        self.problem().map(|p| p.n_labels()).unwrap_or(0)
    }

    /// Width of the y the network is trained on: the problem's, padded
    /// with zeros to `y_width` if that is set.
    pub fn ndim_y(&self) -> usize {
        if self.y_width == 0 {
            self.problem_dims().1
        } else {
            self.y_width
        }
    }

    /// Bytes one training step needs: parameters with gradients and Adam
    /// moments; per row of the forward pass (one batch) and the inverse
    /// pass (two), every block's cached activations; the backward scratch
    /// shared by all blocks. (The paper's configuration: ~200 MB, measured
    /// as the CLI's peak resident memory.)
    pub fn estimated_bytes(&self) -> usize {
        let dim = if self.ndim_tot == 0 {
            self.problem_dims().0.max(self.ndim_y() + self.ndim_z)
        } else {
            self.ndim_tot
        };
        let half = dim.div_ceil(2);
        let per_net = half * self.hidden
            + self.hidden * self.hidden * (self.depth - 1)
            + self.hidden * 2 * half;
        let params = self.blocks * 2 * (per_net + self.hidden * self.depth + 2 * half);
        let per_row = self.blocks * (2 * (self.hidden * self.depth + 3 * half) + 8 * dim);
        let rows = 3 * self.batch;
        let scratch = 2 * self.hidden * 2 * self.batch;
        (4 * params + rows * per_row + scratch + 20 * dim * self.batch) * std::mem::size_of::<f32>()
    }
}
