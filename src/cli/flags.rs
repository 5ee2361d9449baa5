//! The command line's flags: `--key value` pairs, `--set key=value`,
//! and what they name (numbers, the problem, the observation).

use crate::problem::{Problem, ProblemKind, ARM_DEFAULT_NOISE};
use crate::LabelMap;
use std::collections::HashMap;

pub(super) type Flags = HashMap<String, String>;

/// Splits `--key value` pairs (and bare `--nearest`), refusing unknown keys.
pub(super) fn parse_flags(
    args: &[String],
    known: &[&str],
    switches: &[&str],
) -> Result<Flags, String> {
    let mut flags = Flags::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let Some(key) = a.strip_prefix("--") else {
            return Err(format!("unexpected argument '{a}' (see --help)"));
        };
        if switches.contains(&key) {
            flags.insert(key.to_string(), String::new());
            continue;
        }
        if !known.contains(&key) {
            return Err(format!("unknown option '--{key}' (see --help)"));
        }
        let Some(v) = it.next() else {
            return Err(format!("--{key} needs a value"));
        };
        if flags.insert(key.to_string(), v.clone()).is_some() {
            return Err(format!("--{key} given twice"));
        }
    }
    Ok(flags)
}

pub(super) fn required<'a>(f: &'a Flags, key: &str) -> Result<&'a str, String> {
    f.get(key)
        .map(String::as_str)
        .ok_or_else(|| format!("--{key} is required (see --help)"))
}

pub(super) fn number<T: std::str::FromStr>(
    f: &Flags,
    key: &str,
    default: Option<T>,
) -> Result<T, String> {
    match f.get(key) {
        Some(v) => v
            .parse()
            .map_err(|_| format!("--{key} must be a number, got '{v}'")),
        None => default.ok_or_else(|| format!("--{key} is required (see --help)")),
    }
}

pub(super) fn labels(f: &Flags) -> Result<LabelMap, String> {
    let v = f.get("labels").map_or("some", String::as_str);
    LabelMap::parse(v).ok_or_else(|| format!("--labels must be all, some or none, got '{v}'"))
}

/// The problem `--problem` names (the mixture when not given), with its
/// parameter: `--labels` for the mixture.
pub(super) fn problem_kind(f: &Flags) -> Result<ProblemKind, String> {
    let v = f.get("problem").map_or("mixture", String::as_str);
    ProblemKind::parse(v).ok_or_else(|| format!("--problem must be mixture or arm, got '{v}'"))
}

/// The problem of `--problem` (and `--labels` for the mixture).
pub(super) fn problem(f: &Flags) -> Result<Box<dyn Problem>, String> {
    let kind = problem_kind(f)?;
    let map = match kind {
        ProblemKind::Mixture => labels(f)?,
        ProblemKind::Arm => LabelMap::Some,
    };
    kind.build(map, ARM_DEFAULT_NOISE)
        .map_err(|e| e.to_string())
}

/// The observation asked about: `--y` (comma-separated numbers), or
/// `--label` for a problem whose observations are labels.
pub(super) fn observation(problem: &dyn Problem, f: &Flags) -> Result<Vec<f64>, String> {
    match (f.get("y"), f.get("label")) {
        (Some(_), Some(_)) => Err("give either --y or --label, not both".into()),
        (Some(text), None) => {
            let y = text
                .split(',')
                .map(|v| v.trim().parse::<f64>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| format!("--y must be comma-separated numbers, got '{text}'"))?;
            problem.check_y(&y).map_err(|e| format!("--y: {e}"))?;
            Ok(y)
        }
        (None, Some(_)) if problem.n_labels() > 0 => {
            let label: usize = number(f, "label", None)?;
            problem
                .label_observation(label)
                .map_err(|e| format!("--{e}"))
        }
        (None, Some(_)) => Err(format!(
            "the {} problem's observations are not labels: give --y",
            problem.name()
        )),
        (None, None) if problem.n_labels() > 0 => Err("--label is required (see --help)".into()),
        (None, None) => Err("--y is required (see --help)".into()),
    }
}

/// `--set key=value` pairs, in the order given.
pub(super) type Sets = Vec<(String, String)>;

/// Takes the `--set key=value` pairs (repeatable) out of `args`.
pub(super) fn split_sets(args: &[String]) -> Result<(Vec<String>, Sets), String> {
    let mut rest = Vec::new();
    let mut sets = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a != "--set" {
            rest.push(a.clone());
            continue;
        }
        let pair = it.next().ok_or("--set needs key=value")?;
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("--set needs key=value, got '{pair}'"))?;
        sets.push((k.to_string(), v.to_string()));
    }
    Ok((rest, sets))
}
