//! The settings table as JSON, for the page's settings panel.

use super::{Kind, Preset, Value, ENGINE, LINK_VERSION, SETTINGS};
use serde_json::{Map, Value as Json};

/// A JSON object of `entries`, a later entry replacing an earlier one of
/// the same key. One function builds every object of the page's larger
/// documents: `json!` would inline a map insertion for each key.
pub fn json_object(entries: Vec<(&str, Json)>) -> Json {
    let mut map = Map::new();
    for (key, value) in entries {
        map.insert(key.to_string(), value);
    }
    Json::Object(map)
}

/// A setting's value as JSON: a number, a boolean, a name, a point's
/// pair, or the link text of a list of modes.
pub fn value_json(v: &Value) -> Json {
    serde_json::to_value(v).expect("a setting's value serialises")
}

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
            let defaults = Preset::ALL
                .iter()
                .zip(&starts)
                .map(|(p, st)| (p.name(), value_json(&s.get(st))))
                .collect();
            let mut row = vec![
                ("key", s.key.into()),
                ("type", s.kind.name().into()),
                ("allowed", s.kind.describe().into()),
                ("group", s.group.name().into()),
                ("label", s.label.into()),
                ("help", s.help.into()),
                ("head", s.head.into()),
                ("trains", s.trains().into()),
                ("defaults", json_object(defaults)),
            ];
            match s.kind {
                Kind::Int { min, max } => row.extend([("min", min.into()), ("max", max.into())]),
                Kind::Real {
                    min,
                    max,
                    min_exclusive,
                } => row.extend([
                    ("min", min.into()),
                    ("max", max.into()),
                    ("minExclusive", min_exclusive.into()),
                ]),
                Kind::Choice(names) => row.push(("options", names.into())),
                Kind::Point { lo, hi } => {
                    row.extend([("min", lo[..].into()), ("max", hi[..].into())])
                }
                Kind::Modes => row.push(("limits", super::mix::limits_json())),
                Kind::Bool => {}
            }
            json_object(row)
        })
        .collect();
    let mut groups: Vec<&str> = Vec::new();
    for s in SETTINGS {
        if !groups.contains(&s.group.name()) {
            groups.push(s.group.name());
        }
    }
    let presets: Vec<Json> = Preset::ALL
        .iter()
        .map(|p| {
            json_object(vec![
                ("name", p.name().into()),
                ("explanation", p.explanation().into()),
            ])
        })
        .collect();
    json_object(vec![
        ("settings", rows.into()),
        ("groups", groups.into()),
        ("presets", presets.into()),
        ("version", LINK_VERSION.into()),
        ("engine", ENGINE.into()),
    ])
}
