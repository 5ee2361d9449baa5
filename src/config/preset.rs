//! The named starting points.

use super::{LabelMap, TrainConfig};

/// The named starting points; their values are columns of the settings
/// table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Small, quick to train: the browser default.
    Fast,
    /// The official notebook configuration.
    Paper,
    /// Ablation: L_y + L_z only (conditions correctly, leaves mass between modes).
    ForwardOnly,
    /// Ablation: L_x only (matches p(x) but loses the conditioning).
    BackwardOnly,
    /// The robot arm: an INN that trains on it in the page.
    Arm,
}

impl Preset {
    /// Every preset, in menu order (and the order of the table's columns).
    pub const ALL: [Preset; 5] = [
        Preset::Fast,
        Preset::Paper,
        Preset::ForwardOnly,
        Preset::BackwardOnly,
        Preset::Arm,
    ];

    /// The preset's column in the settings table.
    pub(super) fn column(self) -> usize {
        self as usize
    }

    /// The name used in links and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Fast => "fast",
            Preset::Paper => "paper",
            Preset::ForwardOnly => "forward-only",
            Preset::BackwardOnly => "backward-only",
            Preset::Arm => "arm",
        }
    }

    /// Parses a preset name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == s)
    }

    /// One line on what the preset shows.
    pub fn explanation(self) -> &'static str {
        match self {
            Preset::Fast => "The default: a network tuned to match the exact posterior of every label (2000 steps).",
            Preset::Paper => "The paper's own configuration: 8 blocks of width 512, batch 1600, 400 steps.",
            Preset::ForwardOnly => {
                "Only L_y + L_z: the network conditions on y correctly but leaves mass between the modes."
            }
            Preset::BackwardOnly => "Only L_x: samples match p(x) as a whole but ignore the observation y.",
            Preset::Arm => "The robot arm: the paper's INN trained by maximum likelihood alone (12 blocks, 8000 steps), for every arm reaching a target.",
        }
    }

    /// The configuration of this preset (in the newest link version) for a
    /// label map and seed.
    pub fn config(self, labels: LabelMap, seed: u64) -> TrainConfig {
        super::PageState::for_preset(self, labels, seed).config
    }
}
