//! The page's display keys in a link: `lesson` and `step` (the guided
//! lesson), `hide` (controls and panels to hide, by name), `prompt` (one
//! line shown at the top), `colour` (the observed colour) and `ui=min`
//! (the views alone). They change what the page shows, never the run: the
//! settings parser accepts them without a notice, and [`read_link`] hands
//! them to the page checked, with a notice for each bad value.
//!
//! A lesson step's link pairs apply where the link gives none of its own:
//! its page keys always, its settings only to a link that names no preset
//! (a bare `#lesson=tour&step=4`, read in the newest link version). The
//! page's written link keeps only what the link gave, so a step's implied
//! values are not copied into it.

use super::lesson::{steps, Step, LESSONS};
use super::text::{excerpt, pairs};
use super::{parse_hash, PageState};
use crate::config::{LINK_VERSION, SETTINGS};
use serde::Serialize;

/// The display keys.
pub const PAGE_KEYS: [&str; 6] = ["lesson", "step", "hide", "prompt", "colour", "ui"];

/// Longest prompt, in characters.
pub const MAX_PROMPT: usize = 160;

/// The controls and panels a link may hide besides the settings (which go
/// by their keys and sit in `settings`): name, what it is, and the panel it
/// sits in ("" for none).
pub const CONTROLS: [(&str, &str, &str); 34] = [
    ("intro", "Introduction", ""),
    ("toolbar", "Toolbar", ""),
    ("train", "Train button", "toolbar"),
    ("step", "Step button", "toolbar"),
    ("reset", "Reset button", "toolbar"),
    ("share", "Copy link button", "toolbar"),
    ("preset", "Preset menu", "toolbar"),
    ("labels", "Label map menu", "toolbar"),
    ("seed", "Seed field", "toolbar"),
    ("data", "Data view", ""),
    ("forward", "Forward view", ""),
    ("latent", "Latent view", ""),
    ("posterior", "Posterior panel", ""),
    ("picker", "Colour chooser", "posterior"),
    ("sharpen", "Sampling noise", "posterior"),
    ("bar", "Fidelity bar status", "posterior"),
    ("methods", "Method checkboxes", "posterior"),
    ("inn", "INN cell", "posterior"),
    ("abc", "ABC cell", "posterior"),
    ("exact", "Exact posterior cell", "posterior"),
    ("mcmc", "MCMC cell", "posterior"),
    ("mean-variance", "Mean-variance cell", "posterior"),
    ("variational", "Variational cell", "posterior"),
    ("cgan", "cGAN cell", "posterior"),
    ("cost", "Cost chart", "posterior"),
    ("coupling", "Coupling panel", ""),
    ("losses", "Loss chart", ""),
    ("settings", "Settings panel", ""),
    ("model", "Model file", "settings"),
    ("maker", "Lesson-link maker", ""),
    ("arm-abc", "Arm: ABC", ""),
    ("arm-mcmc", "Arm: MCMC", ""),
    ("arm-many", "Arm: 100 targets", ""),
    ("arm-marginals", "Arm: marginals", ""),
];

/// What the page shows besides the run, read from a link.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Page {
    /// The lesson step shown, if any.
    pub lesson: Option<LessonStep>,
    /// Names of the controls and panels hidden.
    pub hide: Vec<&'static str>,
    /// The line shown at the top (plain text).
    pub prompt: Option<String>,
    /// The observed colour (label) to show first.
    pub colour: Option<usize>,
    /// `min`: the views alone.
    pub ui: Option<&'static str>,
    /// The page keys as the link gave them, checked, ready to follow the
    /// settings in the written link ("" for none).
    pub hash: String,
}

/// One step of a lesson, as the page draws it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LessonStep {
    pub name: &'static str,
    /// 1-based.
    pub step: usize,
    pub steps: usize,
    pub title: &'static str,
    pub text: &'static str,
    pub question: &'static str,
    /// Panels hidden until "Reveal".
    pub reveal: &'static [&'static str],
}

/// Whether `key` is a display key of the page.
pub fn is_page_key(key: &str) -> bool {
    PAGE_KEYS.contains(&key)
}

/// The most raw bytes read of `key`'s value, when it is longer than a
/// setting's: a prompt (percent-encoded) and a list of names.
pub(super) fn value_cap(key: &str) -> Option<usize> {
    match key {
        "prompt" => Some(12 * MAX_PROMPT),
        "hide" => Some(2048),
        _ => None,
    }
}

/// Every name `hide` knows, with the panel it sits in.
pub fn names() -> impl Iterator<Item = (&'static str, &'static str)> {
    let settings = SETTINGS
        .iter()
        .filter(|s| !s.head)
        .map(|s| (s.key, "settings"));
    CONTROLS.iter().map(|&(n, _, p)| (n, p)).chain(settings)
}

fn known(name: &str) -> Option<&'static str> {
    names().map(|(n, _)| n).find(|n| *n == name)
}

/// What a step that shows `show` hides: every name that is not shown, is
/// not in a shown panel and holds no shown control.
pub fn hidden_except(show: &[&str]) -> Vec<&'static str> {
    let shown = |n: &str, parent: &str| {
        show.contains(&n)
            || show.contains(&parent)
            || names().any(|(c, p)| p == n && show.contains(&c))
    };
    names()
        .filter(|&(n, p)| !shown(n, p))
        .map(|(n, _)| n)
        .collect()
}

/// The lesson step a link names (0-based) and the lesson's steps.
fn read_lesson(
    lesson: Option<&str>,
    step: Option<&str>,
    notices: &mut Vec<String>,
) -> Option<(&'static str, usize, &'static [Step])> {
    let Some(name) = lesson else {
        if step.is_some() {
            notices.push("step is read only with lesson=tour; it was ignored".into());
        }
        return None;
    };
    let Some(tour) = steps(name) else {
        notices.push(format!(
            "lesson '{}' is unknown; the lessons are: {}",
            excerpt(name),
            LESSONS.join(", ")
        ));
        return None;
    };
    let name = LESSONS.iter().find(|l| **l == name).copied()?;
    let n = tour.len();
    let i = match step.map(|s| (s, s.parse::<i64>())) {
        None => 1,
        Some((_, Ok(i))) if (1..=n as i64).contains(&i) => i as usize,
        Some((s, Ok(i))) => {
            let c = i.clamp(1, n as i64) as usize;
            notices.push(format!(
                "step must be 1 to {n}; {} was set to {c}",
                excerpt(s)
            ));
            c
        }
        Some((s, Err(_))) => {
            notices.push(format!(
                "step '{}' is not a step number; using 1",
                excerpt(s)
            ));
            1
        }
    };
    Some((name, i - 1, tour))
}

fn read_hide(v: &str, notices: &mut Vec<String>) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    for n in v.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match known(n) {
            Some(k) if !out.contains(&k) => out.push(k),
            Some(_) => {}
            None => unknown.push(excerpt(n)),
        }
    }
    if !unknown.is_empty() {
        let more = if unknown.len() > 3 {
            format!(" and {} more", unknown.len() - 3)
        } else {
            String::new()
        };
        unknown.truncate(3);
        notices.push(format!(
            "hide: '{}'{more} names no control; ignored",
            unknown.join("', '")
        ));
    }
    out
}

fn read_prompt(v: &str, notices: &mut Vec<String>) -> Option<String> {
    // No control characters, and no bidirectional overrides that could make
    // the line read differently from what the link holds.
    let clean: String = v
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    let clean = clean.trim();
    if clean.chars().count() > MAX_PROMPT {
        notices.push(format!("prompt was cut to {MAX_PROMPT} characters"));
    }
    let cut: String = clean.chars().take(MAX_PROMPT).collect();
    let cut = cut.trim_end();
    (!cut.is_empty()).then(|| cut.to_string())
}

fn read_colour(v: &str, n_labels: usize, notices: &mut Vec<String>) -> Option<usize> {
    match v.parse::<usize>() {
        Ok(c) if c < n_labels => Some(c),
        _ => {
            notices.push(format!(
                "colour must be 0 to {} (the label map has {n_labels} colours); '{}' was ignored",
                n_labels.max(1) - 1,
                excerpt(v)
            ));
            None
        }
    }
}

/// Percent-encodes a prompt for a link: letters, digits and a few
/// punctuation marks stay as they are.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~!'()*,:;/?@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The page keys of `pairs`, checked against `state` (the colours of its
/// label map).
fn read_page(pairs: &[(String, String)], state: &PageState, notices: &mut Vec<String>) -> Page {
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let mut page = Page::default();
    let mut hash = Vec::new();
    if let Some((name, i, tour)) = read_lesson(get("lesson"), get("step"), notices) {
        let s = &tour[i];
        page.lesson = Some(LessonStep {
            name,
            step: i + 1,
            steps: tour.len(),
            title: s.title,
            text: s.text,
            question: s.question,
            reveal: s.reveal,
        });
        hash.push(format!("lesson={name}&step={}", i + 1));
    }
    if let Some(v) = get("hide") {
        page.hide = read_hide(v, notices);
        if !page.hide.is_empty() {
            hash.push(format!("hide={}", page.hide.join(",")));
        }
    }
    page.prompt = get("prompt").and_then(|v| read_prompt(v, notices));
    if let Some(p) = &page.prompt {
        hash.push(format!("prompt={}", encode(p)));
    }
    page.colour = get("colour").and_then(|v| read_colour(v, state.config.n_labels(), notices));
    if let Some(c) = page.colour {
        hash.push(format!("colour={c}"));
    }
    match get("ui") {
        Some("min") => {
            page.ui = Some("min");
            hash.push("ui=min".into());
        }
        Some(v) => notices.push(format!(
            "ui '{}' is unknown; the page is shown whole",
            excerpt(v)
        )),
        None => {}
    }
    page.hash = hash.join("&");
    page
}

/// Reads a link: its settings (as [`parse_hash`]), its page keys, and the
/// notices of both. A lesson step's link fills in what the link leaves out
/// (see the module's notes), and its `show` list hides every other control
/// unless the link names controls to hide.
pub fn read_link(hash: &str) -> (PageState, Page, Vec<String>) {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let given = pairs(hash, &mut Vec::new());
    let has = |key: &str| given.iter().any(|(k, _)| k == key);
    let mut full = hash.to_string();
    let get = |key: &str| {
        given
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let step = read_lesson(get("lesson"), get("step"), &mut Vec::new()).map(|(_, i, t)| &t[i]);
    if let Some(s) = step {
        // A bare lesson link means this page's lesson: the newest values.
        if !has("v") && !has("preset") {
            full = format!("{full}&v={LINK_VERSION}");
        }
        for pair in s.link.split('&') {
            let key = pair.split('=').next().unwrap_or("");
            if !has(key) && (is_page_key(key) || !has("preset")) {
                full = format!("{full}&{pair}");
            }
        }
    }
    let (state, mut notices) = parse_hash(&full);
    let mut page = read_page(&given, &state, &mut notices);
    // What the link gave (and checked) wins over the step's; what it gave
    // that was dropped leaves the step's, as the written link will.
    if let Some(s) = step {
        if page.hide.is_empty() {
            page.hide = hidden_except(s.show);
        }
        if page.colour.is_none() {
            let implied = pairs(s.link, &mut Vec::new());
            page.colour = read_page(&implied, &state, &mut Vec::new()).colour;
        }
    }
    (state, page, notices)
}

/// A link with one setting changed (as [`with_setting`](super::with_setting)),
/// read as [`read_link`] reads it first: a bare lesson link keeps its
/// step's settings. The notices are the change's.
pub fn change_link(hash: &str, key: &str, value: &str) -> (PageState, Page, Vec<String>) {
    let (state, page, _) = read_link(hash);
    let full = format!("{}&{}", super::to_hash(&state), page.hash);
    let (state, notices) = super::with_setting(&full, key, value);
    (state, page, notices)
}

/// The controls `hide` knows, as JSON for the page's lesson-link maker:
/// `[{name, label, parent}]`, the settings by their keys and labels.
pub fn controls_json() -> String {
    let settings = SETTINGS
        .iter()
        .filter(|s| !s.head)
        .map(|s| (s.key, s.label, "settings"));
    let rows: Vec<_> = CONTROLS
        .iter()
        .copied()
        .chain(settings)
        .map(|(name, label, parent)| serde_json::json!({ "name": name, "label": label, "parent": parent }))
        .collect();
    serde_json::Value::from(rows).to_string()
}
