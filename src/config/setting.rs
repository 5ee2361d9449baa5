//! What one row of the settings table is: its kind and range, its group,
//! and how its value is read and written.

use super::{mix, PageState, TrainConfig};
use crate::error::Error;
use crate::problem::Mode;
use serde::Serialize;

/// Longest value text read (anything longer is malformed).
pub const MAX_VALUE_LEN: usize = 32;

/// A setting's value, whatever its kind.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A whole number.
    Int(u64),
    /// A finite real.
    Real(f64),
    /// On or off.
    Bool(bool),
    /// One of a choice's names.
    Choice(&'static str),
    /// A point in the plane.
    Point([f64; 2]),
    /// A list of labelled modes (serialised as its link text).
    Modes(#[serde(serialize_with = "mix::serialize")] Vec<Mode>),
}

impl Value {
    /// Equal to the bit (a real's sign and payload included).
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Real(a), Value::Real(b)) => a.to_bits() == b.to_bits(),
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Choice(a), Value::Choice(b)) => a == b,
            (Value::Point(a), Value::Point(b)) => {
                a[0].to_bits() == b[0].to_bits() && a[1].to_bits() == b[1].to_bits()
            }
            (Value::Modes(a), Value::Modes(b)) => mix::same(a, b),
            _ => false,
        }
    }

    /// The text links and the command line carry; reading it back gives
    /// the same value to the bit.
    pub fn text(&self) -> String {
        match self {
            Value::Int(v) => v.to_string(),
            Value::Bool(v) => u8::from(*v).to_string(),
            Value::Choice(v) => v.to_string(),
            Value::Point(p) => format!("{},{}", Value::Real(p[0]), Value::Real(p[1])),
            Value::Modes(m) => mix::text(m),
            Value::Real(v) => {
                // Both forms are the shortest that reads back exactly; the
                // plain one spells out every zero of 1e-30.
                let plain = v.to_string();
                if plain.len() <= 24 {
                    plain
                } else {
                    format!("{v:e}")
                }
            }
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// A setting's type and allowed range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number in `[min, max]`.
    Int { min: u64, max: u64 },
    /// A finite real in `[min, max]`, or `(min, max]` if `min_exclusive`.
    Real {
        min: f64,
        max: f64,
        min_exclusive: bool,
    },
    /// On or off (`1` or `0` in links).
    Bool,
    /// One of a few names.
    Choice(&'static [&'static str]),
    /// A point `y1,y2` in the box `[lo[0], hi[0]] x [lo[1], hi[1]]`.
    Point { lo: [f64; 2], hi: [f64; 2] },
    /// A list of labelled modes in the form and ranges of [`mix`]; the
    /// empty list is allowed.
    Modes,
}

impl Kind {
    /// A whole number in `[min, max]`.
    pub const fn int(min: u64, max: u64) -> Kind {
        Kind::Int { min, max }
    }

    /// A real in `[min, max]`.
    pub const fn real(min: f64, max: f64) -> Kind {
        Kind::Real {
            min,
            max,
            min_exclusive: false,
        }
    }

    /// A real in `(min, max]`.
    pub const fn above(min: f64, max: f64) -> Kind {
        Kind::Real {
            min,
            max,
            min_exclusive: true,
        }
    }

    /// The name of the type, as the page's table gives it.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Int { .. } => "int",
            Kind::Real { .. } => "real",
            Kind::Bool => "bool",
            Kind::Choice(_) => "choice",
            Kind::Point { .. } => "point",
            Kind::Modes => "modes",
        }
    }

    /// Whether `v` is of this kind and in range.
    pub fn contains(&self, v: &Value) -> bool {
        match (self, v) {
            (Kind::Int { min, max }, Value::Int(x)) => (min..=max).contains(&x),
            (
                Kind::Real {
                    min,
                    max,
                    min_exclusive,
                },
                Value::Real(x),
            ) => x.is_finite() && x <= max && (x > min || (!min_exclusive && x == min)),
            (Kind::Bool, Value::Bool(_)) => true,
            (Kind::Choice(names), Value::Choice(x)) => names.contains(x),
            (Kind::Point { lo, hi }, Value::Point(p)) => {
                (0..2).all(|j| p[j].is_finite() && (lo[j]..=hi[j]).contains(&p[j]))
            }
            (Kind::Modes, Value::Modes(m)) => mix::allowed(m),
            _ => false,
        }
    }

    /// Human-readable range, e.g. "in (0, 10]"; completes "... must be".
    pub fn describe(&self) -> String {
        match self {
            Kind::Int { min, max } => format!("an integer in [{min}, {max}]"),
            Kind::Real {
                min,
                max,
                min_exclusive,
            } => {
                let open = if *min_exclusive { '(' } else { '[' };
                format!("in {open}{min}, {max}]")
            }
            Kind::Bool => "0 or 1".into(),
            Kind::Choice(names) => format!("one of {}", names.join(", ")),
            Kind::Point { lo, hi } => format!(
                "a point y1,y2 with y1 in [{}, {}] and y2 in [{}, {}]",
                lo[0], hi[0], lo[1], hi[1]
            ),
            Kind::Modes => mix::describe(),
        }
    }

    /// Longest text a value of this kind is read from.
    pub fn max_len(&self) -> usize {
        match self {
            Kind::Modes => mix::MAX_TEXT_LEN,
            _ => MAX_VALUE_LEN,
        }
    }

    /// Reads a value of this kind, in range or not; `None` if the text is
    /// not one (NaN, inf, hex and overlong numbers are not). A mode list
    /// reads only if every mode in it is allowed (its labels renumbered to
    /// those present).
    pub fn read(&self, text: &str) -> Option<Value> {
        if text.len() > self.max_len() || (text.is_empty() && *self != Kind::Modes) {
            return None;
        }
        match self {
            Kind::Int { .. } => text.parse().ok().map(Value::Int),
            // The decimal parser reads digits, signs, '.' and exponents
            // alone: no "inf", "NaN" or hex.
            Kind::Real { .. } => super::decimal::parse_f64(text)
                .filter(|x| x.is_finite())
                .map(Value::Real),
            Kind::Bool => match text {
                "1" | "true" => Some(Value::Bool(true)),
                "0" | "false" => Some(Value::Bool(false)),
                _ => None,
            },
            Kind::Choice(names) => names.iter().find(|n| **n == text).map(|n| Value::Choice(n)),
            Kind::Point { .. } => {
                let (a, b) = text.split_once(',')?;
                let real = Kind::real(f64::MIN, f64::MAX);
                match (real.read(a.trim())?, real.read(b.trim())?) {
                    (Value::Real(y1), Value::Real(y2)) => Some(Value::Point([y1, y2])),
                    _ => None,
                }
            }
            Kind::Modes => {
                let r = mix::read(text);
                r.dropped.is_empty().then_some(Value::Modes(r.modes))
            }
        }
    }
}

/// Where a setting sits on the page, in the panel's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// The problem and the seed (label map, seed).
    Problem,
    /// The network's shape and initialisation.
    Network,
    /// The optimiser and its schedule.
    Training,
    /// The noise the network is trained and sampled with, and the weights
    /// it samples with.
    Sampling,
    /// The loss terms.
    Losses,
    /// The methods the network is compared with.
    Baselines,
}

impl Group {
    /// The heading the page shows.
    pub fn name(self) -> &'static str {
        match self {
            Group::Problem => "Problem",
            Group::Network => "Network",
            Group::Training => "Training",
            Group::Sampling => "Sampling",
            Group::Losses => "Losses",
            Group::Baselines => "Baselines",
        }
    }
}

/// Where a setting's value lives.
pub enum Place {
    /// In the training configuration.
    Config {
        /// Reads the value.
        get: fn(&TrainConfig) -> Value,
        /// Writes a value of the setting's kind.
        set: fn(&mut TrainConfig, Value),
        /// Its path in a model file's configuration object.
        field: &'static [&'static str],
        /// Its value in model files written before it existed, which lack
        /// it; `None` if every model file has it.
        missing: Option<fn() -> Value>,
    },
    /// In the link's state beside it (the baselines' settings).
    Page {
        /// Reads the value.
        get: fn(&PageState) -> Value,
        /// Writes a value of the setting's kind.
        set: fn(&mut PageState, Value),
    },
}

/// One row of the table.
pub struct Setting {
    /// The name in links, on the command line and in errors.
    pub key: &'static str,
    /// Type and allowed range.
    pub kind: Kind,
    /// Where the panel shows it.
    pub group: Group,
    /// A few words for the panel.
    pub label: &'static str,
    /// One line on what it does.
    pub help: &'static str,
    /// Always written in links and shown at the head of the page rather
    /// than in the panel.
    pub head: bool,
    /// Where its value lives.
    pub place: Place,
}

impl Setting {
    /// The value in `state`.
    pub fn get(&self, state: &PageState) -> Value {
        match self.place {
            Place::Config { get, .. } => get(&state.config),
            Place::Page { get, .. } => get(state),
        }
    }

    /// Sets the value in `state`; `v` must be of the setting's kind.
    pub fn set(&self, state: &mut PageState, v: Value) {
        match self.place {
            Place::Config { set, .. } => set(&mut state.config, v),
            Place::Page { set, .. } => set(state, v),
        }
    }

    /// Whether its value is part of the training run (a change restarts
    /// training), rather than of the page's baselines.
    pub fn trains(&self) -> bool {
        matches!(self.place, Place::Config { .. })
    }

    /// Reads `text` strictly (the command line): a value of the setting's
    /// kind and in its range, or an error that names the setting, the
    /// value and the range.
    pub fn parse(&self, text: &str) -> Result<Value, Error> {
        if let Some(d) = (self.kind == Kind::Modes)
            .then(|| mix::read(text).dropped.into_iter().next())
            .flatten()
        {
            return Err(Error::InvalidConfig {
                field: self.key,
                value: format!(
                    "mode {} '{}' ({})",
                    d.number,
                    d.text.chars().take(MAX_VALUE_LEN).collect::<String>(),
                    d.why
                ),
                allowed: self.kind.describe(),
            });
        }
        self.kind
            .read(text)
            .filter(|v| self.kind.contains(v))
            .ok_or_else(|| Error::InvalidConfig {
                field: self.key,
                value: text.chars().take(MAX_VALUE_LEN).collect(),
                allowed: self.kind.describe(),
            })
    }
}
