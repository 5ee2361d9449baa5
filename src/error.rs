//! The one error type of the core. Messages are written for the person who
//! typed the bad value or chose the bad file: they name what is wrong.

use std::fmt;

/// Everything the core can refuse or fail at.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A configuration field outside its allowed range.
    InvalidConfig {
        field: &'static str,
        value: String,
        allowed: String,
    },
    /// A model file that cannot be used, with the reason.
    BadModelFile(String),
    /// Bad arguments for an operation (label out of range, zero samples, ...).
    InvalidArgument(String),
    /// Training produced a non-finite loss, gradient or weight; the step was
    /// not applied, so the parameters are still the last finite ones.
    Diverged { step: u64, what: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidConfig {
                field,
                value,
                allowed,
            } => write!(f, "{field} must be {allowed}, got {value}"),
            Error::BadModelFile(why) => write!(f, "bad model file: {why}"),
            Error::InvalidArgument(why) => write!(f, "{why}"),
            Error::Diverged { step, what } => write!(
                f,
                "training diverged at step {step}: {what}; the last finite weights were kept"
            ),
        }
    }
}

impl std::error::Error for Error {}
