//! The page's state in the URL hash, read and written through the one
//! table of settings ([`crate::config::SETTINGS`]), so a shared link
//! reproduces a run exactly (seed included).
//!
//! A link carries its format version (`v`, see
//! [`LINK_VERSION`](crate::config::LINK_VERSION)) and the engine it was made
//! with: an old link expands to the values its preset had in its version,
//! and a link from a newer page or another engine loads with a notice.
//!
//! Reading never fails: a missing value takes its preset's; a malformed one
//! (not a number, NaN, inf, unknown word) its preset's; an out-of-range one
//! is clamped; a drawn mixture's modes that are not allowed are dropped and
//! the rest used; each change is reported in a notice that names the key.
//! Links are input from strangers, so notices quote at most a short,
//! printable excerpt of what was given, and the page shows them as text.

mod lesson;
mod page_keys;
#[cfg(test)]
mod page_tests;
#[cfg(test)]
mod tests;
mod text;

use crate::config::{
    expand, mix, setting, Kind, Preset, Setting, Value, ENGINE, LINK_VERSION, SETTINGS,
};
pub use crate::config::{PageState, MAX_SEED};
pub use page_keys::{change_link, controls_json, is_page_key, read_link, Page};
use text::excerpt;
pub use text::MAX_PAIRS;

/// The link version a link's `v` names, and a notice if it is not one this
/// build knows. A link without `v` predates versions: version 1.
fn link_version(v: Option<&str>) -> (u32, Option<String>) {
    match v.map(|t| (t, t.parse::<u32>())) {
        None => (1, None),
        Some((_, Ok(v))) if (1..=LINK_VERSION).contains(&v) => (v, None),
        Some((_, Ok(v))) if v > LINK_VERSION => (
            LINK_VERSION,
            Some(format!(
                "this link was made by a newer version of the page (link version {v}; this page \
                 knows versions up to {LINK_VERSION}): it was read as version {LINK_VERSION}, so \
                 some settings may not be those it was made with"
            )),
        ),
        Some((t, _)) => (
            LINK_VERSION,
            Some(format!(
                "link version '{}' is unknown; it was read as version {LINK_VERSION}",
                excerpt(t)
            )),
        ),
    }
}

/// A notice if the engine a link or model file (`what`) was made with
/// (`engine`; one without predates engines: 1) is not `page`'s, whose
/// runs then differ in the last digits.
pub(crate) fn engine_notice(what: &str, engine: Option<&str>, page: u32) -> Option<String> {
    let differs = "the run will differ from the original in its last digits";
    match engine.map(|t| (t, t.parse::<u32>())).unwrap_or(("1", Ok(1))) {
        (_, Ok(e)) if e == page => None,
        (_, Ok(e)) if (1..page).contains(&e) => Some(format!(
            "this {what} was made with engine {e}, and this page computes with engine {page}: {differs}"
        )),
        (_, Ok(e)) if e > page => Some(format!(
            "this {what} was made with a newer engine ({e}) than this page's ({page}): {differs}"
        )),
        (t, _) => Some(format!(
            "engine '{}' is unknown; this page computes with engine {page}, and {differs}",
            excerpt(t)
        )),
    }
}

/// Reads a hash (with or without the leading `#`) into a state and the
/// notices of everything that was replaced or clamped.
pub fn parse_hash(hash: &str) -> (PageState, Vec<String>) {
    let mut notices = Vec::new();
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let pairs = text::pairs(hash, &mut notices);
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let (version, note) = link_version(get("v"));
    notices.extend(note);
    notices.extend(engine_notice("link", get("engine"), ENGINE));
    // A link that names the arm but no preset means the arm's preset.
    let problem_preset = match get("problem") {
        Some("arm") => Preset::Arm,
        _ => Preset::Fast,
    };
    let preset = match get("preset") {
        None => problem_preset,
        Some(v) => Preset::parse(v).unwrap_or_else(|| {
            notices.push(format!("preset '{}' is unknown; using fast", excerpt(v)));
            Preset::Fast
        }),
    };
    let base = expand(preset, version);
    let mut state = base.clone();
    for (k, _) in &pairs {
        let known = matches!(k.as_str(), "v" | "engine" | "preset") || is_page_key(k);
        if !known && setting(k).is_none() {
            notices.push(format!("unknown setting '{}' was ignored", excerpt(k)));
        }
    }
    for s in SETTINGS {
        if let Some(v) = get(s.key) {
            apply(s, v, &mut state, &base, &mut notices);
        }
    }
    if let Err(e) = state.config.check() {
        // Each value was in range, but together they are not allowed
        // (too large for the memory bound, every loss off, a y too narrow).
        notices.push(format!("{e}; those settings were reset to the preset's"));
        let b = &base.config;
        let c = &mut state.config;
        (c.blocks, c.hidden, c.depth, c.batch) = (b.blocks, b.hidden, b.depth, b.batch);
        (c.ndim_tot, c.ndim_z, c.y_width) = (b.ndim_tot, b.ndim_z, b.y_width);
        c.losses = b.losses;
        if let Err(e) = c.check() {
            notices.push(format!("{e}; the preset was restored"));
            let (labels, seed, mix) = (c.labels, c.seed, std::mem::take(&mut c.mix));
            state.config = base.config.clone();
            (state.config.labels, state.config.seed, state.config.mix) = (labels, seed, mix);
        }
    }
    (state, notices)
}

/// The nearest allowed value to `v`, if there is one (an exclusive
/// minimum has none).
fn clamp(kind: &Kind, v: Value) -> Option<Value> {
    match (*kind, v) {
        (Kind::Int { min, max }, Value::Int(x)) => Some(Value::Int(x.clamp(min, max))),
        (Kind::Point { lo, hi }, Value::Point(p)) => {
            Some(Value::Point([0, 1].map(|j| p[j].clamp(lo[j], hi[j]))))
        }
        (Kind::Real { max, .. }, Value::Real(x)) if x > max => Some(Value::Real(max)),
        (
            Kind::Real {
                min,
                min_exclusive: false,
                ..
            },
            Value::Real(_),
        ) => Some(Value::Real(min)),
        _ => None,
    }
}

/// Reads a drawn mixture: each mode that is not allowed is dropped with a
/// notice, and the rest is used.
fn apply_modes(s: &Setting, v: &str, state: &mut PageState, notices: &mut Vec<String>) {
    if v.len() > s.kind.max_len() {
        notices.push(format!(
            "{} is longer than {} characters; the label map's modes are used",
            s.key,
            s.kind.max_len()
        ));
        return;
    }
    let r = mix::read(v);
    for d in &r.dropped {
        notices.push(format!(
            "{} mode {} '{}' was dropped: {}",
            s.key,
            d.number,
            excerpt(&d.text),
            d.why
        ));
    }
    if r.renumbered {
        notices.push(format!(
            "{}: labels are the colours present, so they were renumbered 0 to {}",
            s.key,
            r.modes.iter().map(|m| m.label).max().unwrap_or(0)
        ));
    }
    if r.modes.is_empty() && !r.dropped.is_empty() {
        notices.push(format!(
            "{} has no allowed mode; the label map's modes are used",
            s.key
        ));
    }
    s.set(state, Value::Modes(r.modes));
}

fn apply(s: &Setting, v: &str, state: &mut PageState, base: &PageState, notices: &mut Vec<String>) {
    if s.kind == Kind::Modes {
        return apply_modes(s, v, state, notices);
    }
    let (key, allowed, preset) = (s.key, s.kind.describe(), s.get(base));
    match s.kind.read(v) {
        Some(x) if s.kind.contains(&x) => s.set(state, x),
        Some(x) => match clamp(&s.kind, x) {
            Some(c) => {
                notices.push(format!(
                    "{key} must be {allowed}; {} was set to {c}",
                    excerpt(v)
                ));
                s.set(state, c);
            }
            None => notices.push(format!(
                "{key} must be {allowed}; {} was replaced by {preset}",
                excerpt(v)
            )),
        },
        None => notices.push(format!(
            "{key} '{}' is not {allowed}; using {preset}",
            excerpt(v)
        )),
    }
}

/// Writes the hash of a state: the link version, the engine, the preset and
/// the head settings (label map, seed) always, then every setting that
/// differs from the preset's value.
pub fn to_hash(state: &PageState) -> String {
    let mut out = format!(
        "v={LINK_VERSION}&engine={ENGINE}&preset={}",
        state.preset.name()
    );
    let base = expand(state.preset, LINK_VERSION);
    for s in SETTINGS {
        let v = s.get(state);
        if s.head || !v.same(&s.get(&base)) {
            out.push_str(&format!("&{}={}", s.key, v.text()));
        }
    }
    out
}

/// The hash with one setting changed: the key's old value is dropped and
/// the new one read through the same table (so it is checked and clamped
/// the same way). Choosing a preset drops every other setting but the
/// label map, the drawn mixture and the seed; choosing a label map drops
/// the drawn mixture, whose modes replaced the map's.
pub fn with_setting(hash: &str, key: &str, value: &str) -> (PageState, Vec<String>) {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let keep = |pair: &&str| {
        let k = pair.split('=').next().unwrap_or("");
        let kept = matches!(k, "labels" | "mix" | "seed" | "v" | "engine") || is_page_key(k);
        k != key && (key != "preset" || kept) && (key != "labels" || k != "mix")
    };
    let mut parts: Vec<&str> = hash
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(keep)
        .collect();
    let pair = format!("{key}={value}");
    parts.push(&pair);
    parse_hash(&parts.join("&"))
}
