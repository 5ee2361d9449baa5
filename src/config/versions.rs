//! Link versions and the engine. A link names a preset, whose values may be
//! retuned; the link's version says which values it meant, so that an old
//! link always expands to the configuration it was made with. The engine
//! numbers the arithmetic: the same configuration and seed give the same
//! bits within one engine.

use super::setting::Value;
use super::{setting, PageState, Preset};
use crate::problem::LabelMap;

/// The newest link version: the one this build writes (`v=` in links).
pub const LINK_VERSION: u32 = 1;

/// The arithmetic's number, written in links (`engine=`) and model files. A
/// change that moves the bits of a run (a new order of sums) takes a new
/// number, and the golden links' expected bits are regenerated with it.
pub const ENGINE: u32 = 1;

/// A value a preset had up to some link version, before a retune.
pub struct Retired {
    /// The last version that had `value`.
    pub until: u32,
    /// The preset that had it.
    pub preset: Preset,
    /// The setting's key.
    pub key: &'static str,
    /// The value it had.
    pub value: Value,
}

/// The values older versions had where the table now says otherwise.
pub const RETIRED: &[Retired] = &[];

/// The state a preset starts from in link version `version` (the newest
/// if it is newer than any this build knows).
pub fn expand(preset: Preset, version: u32) -> PageState {
    expand_with(preset, version, RETIRED)
}

fn expand_with(preset: Preset, version: u32, retired: &[Retired]) -> PageState {
    let mut state = super::table::newest_values(preset);
    let older: Vec<&Retired> = retired
        .iter()
        .filter(|r| r.preset == preset && version <= r.until)
        .collect();
    // Of the retunes after `version`, the oldest (the last listed, of
    // equally old ones) holds the value the link was made with.
    for (i, r) in older.iter().enumerate() {
        let held = !older
            .iter()
            .enumerate()
            .any(|(j, o)| o.key == r.key && (o.until < r.until || (o.until == r.until && j > i)));
        if held {
            let s = setting(r.key).expect("a retired value names a setting");
            s.set(&mut state, r.value.clone());
        }
    }
    state
}

impl PageState {
    /// The state a preset starts from (newest version), for a label map and
    /// seed.
    pub fn for_preset(preset: Preset, labels: LabelMap, seed: u64) -> Self {
        let mut s = expand(preset, LINK_VERSION);
        s.config.labels = labels;
        s.config.seed = seed;
        s
    }
}

impl Default for PageState {
    fn default() -> Self {
        expand(Preset::Fast, LINK_VERSION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retuned_preset_keeps_its_old_values_for_old_versions() {
        let retired = [
            Retired {
                until: 2,
                preset: Preset::Fast,
                key: "lr",
                value: Value::Real(0.01),
            },
            Retired {
                until: 1,
                preset: Preset::Fast,
                key: "lr",
                value: Value::Real(0.005),
            },
            Retired {
                until: 1,
                preset: Preset::Paper,
                key: "batch",
                value: Value::Int(800),
            },
        ];
        let lr = |v| expand_with(Preset::Fast, v, &retired).config.lr;
        assert_eq!((lr(1), lr(2), lr(3)), (0.005, 0.01, 0.02));
        assert_eq!(expand_with(Preset::Paper, 1, &retired).config.batch, 800);
        assert_eq!(expand_with(Preset::Paper, 2, &retired).config.batch, 1600);
        assert_eq!(expand_with(Preset::Fast, 1, &retired).config.batch, 256);
        // The list's order does not matter, only the versions.
        let mut reversed = retired;
        reversed.reverse();
        let lr = |v| expand_with(Preset::Fast, v, &reversed).config.lr;
        assert_eq!((lr(1), lr(2), lr(3)), (0.005, 0.01, 0.02));
    }
}
