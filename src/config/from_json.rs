//! A training configuration read from a model file's JSON through the
//! settings table: each row says where its value sits in the file, of what
//! kind it is, and what files written before it existed mean.

use super::setting::{Kind, Place, Value};
use super::{mix, Preset, TrainConfig, SETTINGS};
use crate::json::Json;

impl TrainConfig {
    /// The configuration in `v`, as model files hold it (the fields of
    /// [`TrainConfig`] by name, the losses nested by term). A setting the
    /// file lacks takes its value from before the setting existed, or is
    /// an error if every file has it; other members are ignored. Values
    /// are not range-checked here: [`TrainConfig::check`] says which is
    /// out of range.
    pub fn from_json(v: &Json) -> Result<TrainConfig, String> {
        if !matches!(v, Json::Obj(_)) {
            return Err(format!("{v} where an object was expected"));
        }
        let mut config = super::table::newest_values(Preset::Fast).config;
        for s in SETTINGS {
            let Place::Config {
                set,
                field,
                missing,
                ..
            } = s.place
            else {
                continue;
            };
            let found = field.iter().try_fold(v, |j, name| j.get(name));
            let value = match (found, missing) {
                (Some(j), _) => {
                    read(&s.kind, j).map_err(|why| format!("{}: {why}", field.join(".")))?
                }
                (None, Some(before)) => before(),
                (None, None) => return Err(format!("no \"{}\" field", field.join("."))),
            };
            set(&mut config, value);
        }
        Ok(config)
    }
}

/// A value of `kind` from its JSON, in range or not.
fn read(kind: &Kind, j: &Json) -> Result<Value, String> {
    let value = match (kind, j) {
        (Kind::Int { .. }, Json::Num { int: Some(n), .. }) => Some(Value::Int(*n)),
        (Kind::Real { .. }, Json::Num { x, .. }) => Some(Value::Real(*x)),
        (Kind::Bool, Json::Bool(b)) => Some(Value::Bool(*b)),
        (Kind::Choice(names), Json::Str(s)) => {
            names.iter().find(|n| **n == s).map(|n| Value::Choice(n))
        }
        (Kind::Point { .. }, Json::Arr(p)) => match p.as_slice() {
            [a, b] => a
                .as_f64()
                .zip(b.as_f64())
                .map(|(a, b)| Value::Point([a, b])),
            _ => None,
        },
        (Kind::Modes, Json::Str(s)) => {
            let r = mix::read(s);
            if let Some(bad) = r.dropped.first() {
                return Err(format!("mode {}: {}", bad.number, bad.why));
            }
            Some(Value::Modes(r.modes))
        }
        _ => None,
    };
    value.ok_or_else(|| format!("{j} where a value of kind {} was expected", kind.name()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::LabelMap;

    fn written(c: &TrainConfig) -> Json {
        parse(&serde_json::to_string(c).unwrap()).unwrap()
    }

    #[test]
    fn every_preset_reads_back_to_the_bit() {
        for p in Preset::ALL {
            for labels in [LabelMap::All, LabelMap::Some, LabelMap::None] {
                let mut c = p.config(labels, 77);
                c.lr = 0.1 + f64::EPSILON;
                c.eps = 1e-300;
                c.seed = (1 << 53) - 1;
                c.losses.rec.on = !c.losses.rec.on;
                c.mix = mix::read("-2,0,0.3,0;0,2,0.2,1").modes;
                let back = TrainConfig::from_json(&written(&c)).unwrap();
                assert_eq!(format!("{back:?}"), format!("{c:?}"));
                assert_eq!(back.lr.to_bits(), c.lr.to_bits());
            }
        }
    }

    #[test]
    fn a_field_older_files_lack_takes_its_value_from_before() {
        let mut c = Preset::Arm.config(LabelMap::Some, 1);
        c.y_width = 8;
        c.average_decay = 0.5;
        c.arm_noise = 0.1;
        c.mix = mix::read("-2,0,0.3,0;0,2,0.2,1").modes;
        let Json::Obj(members) = written(&c) else {
            unreachable!()
        };
        let without = |names: &[&str]| {
            let kept = members.iter().filter(|(k, _)| !names.contains(&k.as_str()));
            TrainConfig::from_json(&Json::Obj(kept.cloned().collect()))
        };
        let old = without(&["problem", "y_width", "average_decay", "arm_noise", "mix"]).unwrap();
        assert_eq!(old.problem, crate::problem::ProblemKind::Mixture);
        assert_eq!((old.y_width, old.average_decay), (0, 0.0));
        assert_eq!(old.arm_noise, crate::problem::ARM_DEFAULT_NOISE);
        assert!(old.mix.is_empty());
        assert_eq!(without(&["hidden"]).unwrap_err(), "no \"hidden\" field");
        assert_eq!(
            without(&["losses"]).unwrap_err(),
            "no \"losses.y.on\" field"
        );
    }

    #[test]
    fn a_value_of_another_kind_is_named_and_ranges_are_left_to_the_check() {
        let c = Preset::Fast.config(LabelMap::Some, 1);
        let text = serde_json::to_string(&c).unwrap();
        let read = |from: &str, to: &str| {
            assert!(text.contains(from), "{from}");
            TrainConfig::from_json(&parse(&text.replace(from, to)).unwrap())
        };
        let e = read("\"hidden\":32", "\"hidden\":\"32\"").unwrap_err();
        assert_eq!(e, "hidden: \"32\" where a value of kind int was expected");
        let e = read("\"hidden\":32", "\"hidden\":32.5").unwrap_err();
        assert_eq!(e, "hidden: 32.5 where a value of kind int was expected");
        let e = read("\"labels\":\"some\"", "\"labels\":\"most\"").unwrap_err();
        assert_eq!(
            e,
            "labels: \"most\" where a value of kind choice was expected"
        );
        let e = read("\"on\":true", "\"on\":1").unwrap_err();
        assert_eq!(e, "losses.y.on: 1 where a value of kind bool was expected");
        assert_eq!(
            read("\"hidden\":32", "\"hidden\":9999").unwrap().hidden,
            9999
        );
        assert!(TrainConfig::from_json(&parse("[1]").unwrap()).is_err());
    }
}
