//! How a field's Rust type becomes a setting's [`Value`] and back.

use super::setting::Value;
use crate::problem::{LabelMap, Mode, ProblemKind};

/// Conversion between a field's Rust type and a [`Value`]; the table's
/// tests check that every row's kind matches its field.
pub trait SettingValue: Sized {
    /// The field's value as a table value.
    fn to_value(&self) -> Value;
    /// Panics on a value of another kind (a row declared with the wrong kind).
    fn from_value(v: Value) -> Self;
}

fn wrong_kind(v: Value) -> ! {
    panic!("a setting got a value of another kind: {v:?}")
}

impl SettingValue for u64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
    fn from_value(v: Value) -> Self {
        match v {
            Value::Int(x) => x,
            v => wrong_kind(v),
        }
    }
}

impl SettingValue for usize {
    fn to_value(&self) -> Value {
        Value::Int(*self as u64)
    }
    fn from_value(v: Value) -> Self {
        match v {
            Value::Int(x) => usize::try_from(x).unwrap_or(usize::MAX),
            v => wrong_kind(v),
        }
    }
}

impl SettingValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
    fn from_value(v: Value) -> Self {
        match v {
            Value::Real(x) => x,
            v => wrong_kind(v),
        }
    }
}

impl SettingValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_value(v: Value) -> Self {
        match v {
            Value::Bool(x) => x,
            v => wrong_kind(v),
        }
    }
}

impl SettingValue for LabelMap {
    fn to_value(&self) -> Value {
        Value::Choice(self.name())
    }
    fn from_value(v: Value) -> Self {
        match v {
            Value::Choice(name) => LabelMap::parse(name).unwrap_or_else(|| wrong_kind(v)),
            v => wrong_kind(v),
        }
    }
}

impl SettingValue for ProblemKind {
    fn to_value(&self) -> Value {
        Value::Choice(self.name())
    }
    fn from_value(v: Value) -> Self {
        match v {
            Value::Choice(name) => ProblemKind::parse(name).unwrap_or_else(|| wrong_kind(v)),
            v => wrong_kind(v),
        }
    }
}

impl SettingValue for Vec<Mode> {
    fn to_value(&self) -> Value {
        Value::Modes(self.clone())
    }
    fn from_value(v: Value) -> Self {
        match v {
            Value::Modes(m) => m,
            v => wrong_kind(v),
        }
    }
}

impl SettingValue for [f64; 2] {
    fn to_value(&self) -> Value {
        Value::Point(*self)
    }
    fn from_value(v: Value) -> Self {
        match v {
            Value::Point(p) => p,
            v => wrong_kind(v),
        }
    }
}
