//! The hand-drawn mixture's text, as links carry it and people write it:
//! `mix=` then modes separated by `;`, each `x,y,std,label` with an
//! optional fifth field `weight` (1 when left out), e.g.
//! `mix=-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1`.
//!
//! Labels are the colours present: a list whose labels leave gaps (`0` and
//! `3` but no `1` or `2`) is read with its labels renumbered in increasing
//! order (`3` becomes `1`), since every entry of the one-hot y needs a mode.
//! An empty list means no drawn mixture: the label map's modes are used.

use super::setting::{Kind, Value};
use super::values::SettingValue;
use crate::error::Error;
use crate::problem::{GaussianMixture, Mode};

/// Most modes a drawn mixture may have.
pub const MAX_MODES: usize = 16;
/// Each coordinate of a mode's centre lies in `[-COORD_MAX, COORD_MAX]`
/// (the square the page draws a mixture in).
pub const COORD_MAX: f64 = 4.0;
/// Smallest standard deviation of a mode.
pub const STD_MIN: f64 = 0.05;
/// Largest standard deviation of a mode.
pub const STD_MAX: f64 = 1.5;
/// Largest label (eight colours).
pub const LABEL_MAX: usize = 7;
/// Largest weight; weights are relative and must be above zero.
pub const WEIGHT_MAX: f64 = 100.0;
/// Longest mode list text read (the decoded text of `mix=`).
pub const MAX_TEXT_LEN: usize = 2048;

const COORD: Kind = Kind::real(-COORD_MAX, COORD_MAX);
const STD: Kind = Kind::real(STD_MIN, STD_MAX);
const WEIGHT: Kind = Kind::above(0.0, WEIGHT_MAX);

/// The allowed form and ranges, completing "mix must be ...".
pub fn describe() -> String {
    format!(
        "modes x,y,std,label[,weight] separated by ';' (at most {MAX_MODES}; x and y in \
         [-{COORD_MAX}, {COORD_MAX}], std in [{STD_MIN}, {STD_MAX}], label 0 to {LABEL_MAX}, \
         weight in (0, {WEIGHT_MAX}], 1 if left out)"
    )
}

/// A mode that was not read, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Dropped {
    /// Its place in the list, from 1.
    pub number: usize,
    /// Its text as given (untrusted: quote it shortened).
    pub text: String,
    /// What is wrong with it.
    pub why: String,
}

/// What a mode list's text gives: the modes that are allowed (labels
/// renumbered to those present), the ones dropped, and whether labels were
/// renumbered.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The allowed modes, in the order given.
    pub modes: Vec<Mode>,
    /// The modes left out, with the reason.
    pub dropped: Vec<Dropped>,
    /// The labels had gaps and were renumbered.
    pub renumbered: bool,
}

/// A number of `kind` (a real, read as links read reals), or what is wrong.
fn real(field: &str, name: &str, kind: Kind) -> Result<f64, String> {
    match kind.read(field) {
        Some(v) if kind.contains(&v) => Ok(f64::from_value(v)),
        Some(_) => Err(format!("{name} must be {}", kind.describe())),
        None => Err(format!("{name} is not a number")),
    }
}

/// One mode from its text, or what is wrong with it.
fn read_mode(text: &str) -> Result<Mode, String> {
    let f: Vec<&str> = text.split(',').map(str::trim).collect();
    if !(4..=5).contains(&f.len()) {
        return Err(format!(
            "a mode is x,y,std,label[,weight]; this one has {} fields",
            f.len()
        ));
    }
    let x = real(f[0], "x", COORD)?;
    let y = real(f[1], "y", COORD)?;
    let std = real(f[2], "std", STD)?;
    let label = f[3]
        .parse::<usize>()
        .ok()
        .filter(|l| *l <= LABEL_MAX && f[3].chars().all(|c| c.is_ascii_digit()))
        .ok_or_else(|| format!("label must be 0 to {LABEL_MAX}"))?;
    let weight = match f.get(4) {
        Some(w) => real(w, "weight", WEIGHT)?,
        None => 1.0,
    };
    Ok(Mode {
        centre: [x, y],
        std,
        weight,
        label,
    })
}

/// Reads a mode list (empty text: no modes). Modes past the
/// [`MAX_MODES`]th allowed one are dropped.
pub fn read(text: &str) -> Reading {
    let mut modes = Vec::new();
    let mut dropped = Vec::new();
    let parts = text.split(';').map(str::trim).filter(|p| !p.is_empty());
    for (i, part) in parts.enumerate() {
        let number = i + 1;
        let result = if modes.len() == MAX_MODES {
            Err(format!("a mixture has at most {MAX_MODES} modes"))
        } else {
            read_mode(part)
        };
        match result {
            Ok(m) => modes.push(m),
            Err(why) => dropped.push(Dropped {
                number,
                text: part.to_string(),
                why,
            }),
        }
    }
    let renumbered = !labels_dense(&modes);
    if renumbered {
        let mut present = [false; LABEL_MAX + 1];
        for m in &modes {
            present[m.label] = true;
        }
        for m in &mut modes {
            m.label = present[..m.label].iter().filter(|&&p| p).count();
        }
    }
    Reading {
        modes,
        dropped,
        renumbered,
    }
}

/// Whether every label up to the largest has a mode.
fn labels_dense(modes: &[Mode]) -> bool {
    let top = modes.iter().map(|m| m.label).max().unwrap_or(0);
    modes.is_empty() || (0..=top).all(|l| modes.iter().any(|m| m.label == l))
}

/// Whether `modes` is an allowed drawn mixture: at most [`MAX_MODES`],
/// each in range, labels without gaps.
pub fn allowed(modes: &[Mode]) -> bool {
    modes.len() <= MAX_MODES
        && labels_dense(modes)
        && modes.iter().all(|m| {
            let within = |kind: Kind, x: f64| kind.contains(&Value::Real(x));
            m.centre.iter().all(|&x| within(COORD, x))
                && within(STD, m.std)
                && within(WEIGHT, m.weight)
                && m.label <= LABEL_MAX
        })
}

/// The text of a mode list; reading it back gives the same modes to the
/// bit. The weight is written only when it is not 1.
pub fn text(modes: &[Mode]) -> String {
    let one = |m: &Mode| {
        let r = |x: f64| Value::Real(x).text();
        let mut t = format!(
            "{},{},{},{}",
            r(m.centre[0]),
            r(m.centre[1]),
            r(m.std),
            m.label
        );
        if m.weight != 1.0 {
            t.push(',');
            t.push_str(&r(m.weight));
        }
        t
    };
    modes.iter().map(one).collect::<Vec<_>>().join(";")
}

/// The mixture of a mode list's text, read strictly (every mode allowed).
pub fn problem(text: &str) -> Result<GaussianMixture, Error> {
    let r = read(text);
    match r.dropped.first() {
        None if r.modes.is_empty() => Err(Error::InvalidArgument(
            "a drawn mixture needs at least one mode".into(),
        )),
        None => GaussianMixture::new(r.modes),
        Some(d) => Err(Error::InvalidArgument(format!(
            "mode {} of the drawn mixture: {}",
            d.number, d.why
        ))),
    }
}

/// The limits as JSON, for the page's editor (it keeps what is drawn in
/// range).
pub(super) fn limits_json() -> serde_json::Value {
    serde_json::json!({
        "maxModes": MAX_MODES,
        "coordMax": COORD_MAX,
        "stdMin": STD_MIN,
        "stdMax": STD_MAX,
        "labelMax": LABEL_MAX,
    })
}

/// Equal to the bit.
pub fn same(a: &[Mode], b: &[Mode]) -> bool {
    let bits = |m: &Mode| {
        (
            m.centre.map(f64::to_bits),
            m.std.to_bits(),
            m.weight.to_bits(),
            m.label,
        )
    };
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| bits(x) == bits(y))
}

/// Serialises a mode list as its text: model files, the page's panel and
/// the golden links show it as links write it.
pub fn serialize<S: serde::Serializer>(modes: &[Mode], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&text(modes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Preset, TrainConfig};
    use crate::LabelMap;

    #[test]
    fn the_issues_example_reads_as_written() {
        let r = read("-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1");
        assert!(r.dropped.is_empty() && !r.renumbered);
        assert_eq!(r.modes.len(), 3);
        assert_eq!(r.modes[2].centre, [0.0, 2.0]);
        assert_eq!((r.modes[2].std, r.modes[2].label), (0.2, 1));
        assert!(r.modes.iter().all(|m| m.weight == 1.0));
        assert_eq!(text(&r.modes), "-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1");
    }

    #[test]
    fn bad_modes_are_dropped_with_the_reason_and_the_rest_kept() {
        let r = read("9,0,0.3,0; 1,1,0.5,1,2.5 ;a,0,0.3,0;0,0,2,0;0,0,0.3,8;0,0,0.3;1,1,1,0,0");
        assert_eq!(r.modes.len(), 1);
        assert_eq!(r.modes[0].weight, 2.5);
        // The one mode left has label 1 alone: it becomes label 0.
        assert!(r.renumbered && r.modes[0].label == 0);
        let why: Vec<(usize, &str)> = r
            .dropped
            .iter()
            .map(|d| (d.number, d.why.as_str()))
            .collect();
        assert_eq!(
            why,
            [
                (1, "x must be in [-4, 4]"),
                (3, "x is not a number"),
                (4, "std must be in [0.05, 1.5]"),
                (5, "label must be 0 to 7"),
                (6, "a mode is x,y,std,label[,weight]; this one has 3 fields"),
                (7, "weight must be in (0, 100]"),
            ]
        );
    }

    #[test]
    fn labels_with_gaps_become_the_labels_present_in_order() {
        let r = read("0,0,0.3,5;1,0,0.3,2;2,0,0.3,5");
        assert!(r.renumbered && allowed(&r.modes));
        let labels: Vec<usize> = r.modes.iter().map(|m| m.label).collect();
        assert_eq!(labels, [1, 0, 1]);
        let lone = Mode {
            centre: [0.0, 0.0],
            std: 0.3,
            weight: 1.0,
            label: 1,
        };
        assert!(!allowed(&[lone]), "a label 1 without a label 0");
    }

    #[test]
    fn the_strict_reading_names_the_bad_mode() {
        let g = problem("-2,0,0.3,0;0,2,0.2,1").unwrap();
        assert_eq!(g.n_labels(), 2);
        let e = problem("-2,0,0.3,0;0,2,0.01,1").unwrap_err().to_string();
        assert_eq!(e, "mode 2 of the drawn mixture: std must be in [0.05, 1.5]");
        assert!(problem("").is_err() && problem("some").is_err());
    }

    #[test]
    fn files_hold_the_link_text() {
        let mut c = Preset::Fast.config(LabelMap::Some, 1);
        c.mix = read("-2,0,0.3,0;0,2,0.2,1,2").modes;
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains(r#""mix":"-2,0,0.3,0;0,2,0.2,1,2""#), "{json}");
        let back = TrainConfig::from_json(&crate::json::parse(&json).unwrap()).unwrap();
        assert!(same(&back.mix, &c.mix));
        let bad = json.replace("0,2,0.2,1,2", "0,0,9,0");
        let e = TrainConfig::from_json(&crate::json::parse(&bad).unwrap()).unwrap_err();
        assert_eq!(e, "mix: mode 2: std must be in [0.05, 1.5]");
    }

    #[test]
    fn at_most_sixteen_modes_are_kept() {
        let t = vec!["0,0,0.3,0"; 18].join(";");
        let r = read(&t);
        assert_eq!((r.modes.len(), r.dropped.len()), (16, 2));
        assert_eq!(r.dropped[0].number, 17);
    }

    #[test]
    fn text_reads_back_to_the_bit() {
        let modes = vec![
            Mode {
                centre: [0.1 + 0.2, -4.0],
                std: 1.0 / 3.0,
                weight: 1e-30,
                label: 0,
            },
            Mode {
                centre: [4.0, 3.999999999999999],
                std: 0.05,
                weight: 100.0,
                label: 1,
            },
        ];
        let back = read(&text(&modes));
        assert!(back.dropped.is_empty());
        assert!(same(&back.modes, &modes), "{}", text(&modes));
        assert!(text(&modes).len() < MAX_TEXT_LEN);
    }
}
