//! The settings table as JSON, for the page's settings panel.

use super::{Preset, ENGINE, LINK_VERSION, SETTINGS};
use serde_json::{json, Value as Json};

/// Every setting with its key, type, range, group, label, help and value
/// per preset (newest version); the groups in the panel's order; the
/// presets; the link version and the engine of this build.
pub fn table_json() -> Json {
    let starts: Vec<_> = Preset::ALL
        .iter()
        .map(|&p| super::expand(p, LINK_VERSION))
        .collect();
    let rows: Vec<Json> = SETTINGS
        .iter()
        .map(|s| {
            // Inserted one by one: collecting into the map would sort the
            // entries first, with a sort the page's module would otherwise
            // not hold.
            let mut defaults = serde_json::Map::new();
            for (p, st) in Preset::ALL.iter().zip(&starts) {
                defaults.insert(p.name().to_string(), json!(s.get(st)));
            }
            let mut row = json!({
                "key": s.key,
                "type": s.kind.name(),
                "allowed": s.kind.describe(),
                "group": s.group.name(),
                "label": s.label,
                "help": s.help,
                "head": s.head,
                "trains": s.trains(),
                "defaults": defaults,
            });
            match s.kind {
                super::Kind::Int { min, max } => {
                    row["min"] = json!(min);
                    row["max"] = json!(max);
                }
                super::Kind::Real {
                    min,
                    max,
                    min_exclusive,
                } => {
                    row["min"] = json!(min);
                    row["max"] = json!(max);
                    row["minExclusive"] = json!(min_exclusive);
                }
                super::Kind::Choice(names) => row["options"] = json!(names),
                super::Kind::Point { lo, hi } => {
                    row["min"] = json!(lo);
                    row["max"] = json!(hi);
                }
                super::Kind::Modes => row["limits"] = super::mix::limits_json(),
                super::Kind::Bool => {}
            }
            row
        })
        .collect();
    let mut groups: Vec<&str> = Vec::new();
    for s in SETTINGS {
        if !groups.contains(&s.group.name()) {
            groups.push(s.group.name());
        }
    }
    let presets: Vec<_> = Preset::ALL
        .iter()
        .map(|p| json!({"name": p.name(), "explanation": p.explanation()}))
        .collect();
    json!({
        "settings": rows,
        "groups": groups,
        "presets": presets,
        "version": LINK_VERSION,
        "engine": ENGINE,
    })
}
