//! How a preset departs from the paper's own configuration (the `paper`
//! preset: the official notebook's), read from the table, so that the page
//! can say it where the preset is chosen and it stays true when a preset
//! is retuned.

use super::{expand, Group, Preset, Value, LINK_VERSION, SETTINGS};
use crate::problem::ProblemKind;

/// What every preset does that the paper's text does not spell out.
const SAMPLING: &str = "Every preset samples with the training's noise on y and on the \
padding (the official notebook samples with noisy y).";

/// A value as the paragraph reads it: switches as on and off.
fn shown(v: Value) -> String {
    match v {
        Value::Bool(on) => (if on { "on" } else { "off" }).to_string(),
        v => v.text(),
    }
}

/// One paragraph on how `preset` departs from the paper's configuration:
/// each setting of the network, its training, sampling and losses whose
/// value differs, with the paper's. Empty for a preset of another problem
/// than the paper's toy.
pub fn departures(preset: Preset) -> String {
    let own = expand(preset, LINK_VERSION);
    if own.config.problem != ProblemKind::Mixture {
        return String::new();
    }
    if preset == Preset::Paper {
        return format!("The paper's configuration itself. {SAMPLING}");
    }
    let paper = expand(Preset::Paper, LINK_VERSION);
    let differ: Vec<String> = SETTINGS
        .iter()
        .filter(|s| {
            matches!(
                s.group,
                Group::Network | Group::Training | Group::Sampling | Group::Losses
            )
        })
        .filter(|s| !s.get(&own).same(&s.get(&paper)))
        .map(|s| {
            let (a, b) = (shown(s.get(&own)), shown(s.get(&paper)));
            format!("{} {a} (paper {b})", s.label)
        })
        .collect();
    format!(
        "Departs from the paper's configuration in: {}. {SAMPLING}",
        differ.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_names_what_it_changes_and_the_paper_nothing() {
        let fast = departures(Preset::Fast);
        for part in [
            "Hidden width 32 (paper 512)",
            "Batch size 256 (paper 1600)",
            "Schedule length (steps) 2000 (paper 400)",
        ] {
            assert!(fast.contains(part), "{part} missing from: {fast}");
        }
        assert!(
            !fast.contains("Coupling blocks"),
            "equal values listed: {fast}"
        );
        assert!(departures(Preset::ForwardOnly).contains("Use L_x off (paper on)"));
        assert!(departures(Preset::Paper).starts_with("The paper's configuration itself"));
        assert_eq!(departures(Preset::Arm), "");
    }
}
