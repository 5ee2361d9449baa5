//! The page's state in the URL hash: one table of properties, each with a
//! type and a range, drives both reading and writing it, so a shared link
//! reproduces a run exactly (seed included).
//!
//! Reading never fails: a missing value takes its default; a malformed one
//! (not a number, NaN, inf, unknown word) its default; an out-of-range one
//! is clamped; each change is reported in a notice that names the key.
//! Links are input from strangers, so notices quote at most a short,
//! printable excerpt of what was given, and the page shows them as text.

use crate::config::{int_range, real_range, Preset, TrainConfig};
use crate::problem::LabelMap;

/// Everything a link carries.
#[derive(Clone, Debug, PartialEq)]
pub struct PageState {
    pub preset: Preset,
    pub config: TrainConfig,
    /// ABC acceptance tolerance on |y - y*|.
    pub abc_eps: f64,
    /// Most ABC simulations per query.
    pub abc_budget: u64,
}

impl Default for PageState {
    fn default() -> Self {
        Self::for_preset(Preset::Fast, LabelMap::Some, 1)
    }
}

impl PageState {
    /// The state a preset starts from.
    pub fn for_preset(preset: Preset, labels: LabelMap, seed: u64) -> Self {
        PageState {
            preset,
            config: preset.config(labels, seed),
            abc_eps: ABC_EPS_DEFAULT,
            abc_budget: ABC_BUDGET_DEFAULT,
        }
    }
}

const ABC_EPS_DEFAULT: f64 = 0.5;
const ABC_BUDGET_DEFAULT: u64 = 200_000;
/// Largest seed: exactly representable in a JavaScript number.
pub const MAX_SEED: u64 = (1 << 53) - 1;
/// At most this many `key=value` pairs are read.
pub const MAX_PAIRS: usize = 64;
/// Longest value read (anything longer is malformed).
const MAX_VALUE_LEN: usize = 32;

/// How a property's value is typed, ranged and stored.
pub enum Kind {
    Int {
        min: u64,
        max: u64,
        get: fn(&PageState) -> u64,
        set: fn(&mut PageState, u64),
    },
    Real {
        min: f64,
        max: f64,
        /// The minimum itself is not allowed; a value at or below it resets.
        min_exclusive: bool,
        get: fn(&PageState) -> f64,
        set: fn(&mut PageState, f64),
    },
    Bool {
        get: fn(&PageState) -> bool,
        set: fn(&mut PageState, bool),
    },
}

/// One entry of the table.
pub struct Property {
    pub key: &'static str,
    pub kind: Kind,
}

macro_rules! int_prop {
    ($key:literal, $($path:ident).+) => {
        Property {
            key: $key,
            kind: Kind::Int {
                min: 0,
                max: 0,
                get: |s| s.$($path).+ as u64,
                set: |s, v| s.$($path).+ = v as _,
            },
        }
    };
}

macro_rules! real_prop {
    ($key:literal, $($path:ident).+) => {
        Property {
            key: $key,
            kind: Kind::Real {
                min: 0.0,
                max: 0.0,
                min_exclusive: false,
                get: |s| s.$($path).+,
                set: |s, v| s.$($path).+ = v,
            },
        }
    };
}

macro_rules! bool_prop {
    ($key:literal, $($path:ident).+) => {
        Property {
            key: $key,
            kind: Kind::Bool {
                get: |s| s.$($path).+,
                set: |s, v| s.$($path).+ = v,
            },
        }
    };
}

/// Which config range (by field name) bounds each ranged key; keys not
/// listed carry their own range in [`properties`].
fn config_field(key: &str) -> &str {
    match key {
        "ramp" => "ramp_steps",
        "ndim" => "ndim_tot",
        "average" => "average_decay",
        k if k.starts_with("w_") => "weight",
        k => k,
    }
}

/// The table: every key a link may carry, in the order links are written
/// (`preset`, `labels` and `seed` are handled first and always written).
pub fn properties() -> Vec<Property> {
    let mut table = vec![
        int_prop!("blocks", config.blocks),
        int_prop!("hidden", config.hidden),
        int_prop!("depth", config.depth),
        int_prop!("ndim", config.ndim_tot),
        int_prop!("batch", config.batch),
        int_prop!("steps", config.steps),
        int_prop!("ramp", config.ramp_steps),
        real_prop!("lr", config.lr),
        real_prop!("lr_final", config.lr_final),
        real_prop!("clamp", config.clamp),
        real_prop!("y_noise", config.y_noise),
        real_prop!("pad_noise", config.pad_noise),
        real_prop!("average", config.average_decay),
        real_prop!("w_y", config.losses.y.weight),
        real_prop!("w_z", config.losses.z.weight),
        real_prop!("w_x", config.losses.x.weight),
        real_prop!("w_rec", config.losses.rec.weight),
        real_prop!("w_ml", config.losses.ml.weight),
        bool_prop!("on_y", config.losses.y.on),
        bool_prop!("on_z", config.losses.z.on),
        bool_prop!("on_x", config.losses.x.on),
        bool_prop!("on_rec", config.losses.rec.on),
        bool_prop!("on_ml", config.losses.ml.on),
        Property {
            key: "abc_eps",
            kind: Kind::Real {
                min: 0.0,
                max: 5.0,
                min_exclusive: true,
                get: |s| s.abc_eps,
                set: |s, v| s.abc_eps = v,
            },
        },
        Property {
            key: "abc_budget",
            kind: Kind::Int {
                min: 1000,
                max: 5_000_000,
                get: |s| s.abc_budget,
                set: |s, v| s.abc_budget = v,
            },
        },
    ];
    // Fill the ranges of config fields from the config's own table, so the
    // link can never allow what `TrainConfig::check` refuses.
    for p in &mut table {
        let field = config_field(p.key);
        match &mut p.kind {
            Kind::Int { min, max, .. } if *max == 0 => {
                let r = int_range(field);
                (*min, *max) = (r.min, r.max);
            }
            Kind::Real {
                min,
                max,
                min_exclusive,
                ..
            } if *max == 0.0 => {
                let r = real_range(field);
                (*min, *max, *min_exclusive) = (r.min, r.max, r.min_exclusive);
            }
            _ => {}
        }
    }
    table
}

/// A short, printable excerpt of untrusted text for a notice.
fn excerpt(s: &str) -> String {
    // No control characters, and no bidirectional overrides that could make
    // a notice read differently from what the link holds.
    let shown = |c: &char| {
        !c.is_control() && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    let clean: String = s.chars().filter(shown).take(24).collect();
    if clean.chars().count() < s.chars().count() {
        format!("{clean}...")
    } else {
        clean
    }
}

/// Percent-decodes `s` (`+` stays `+`); malformed escapes stay literal.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a plain decimal or scientific number; refuses NaN, inf and hex.
fn parse_real(v: &str) -> Option<f64> {
    if v.is_empty() || v.len() > MAX_VALUE_LEN {
        return None;
    }
    if !v
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
    {
        return None;
    }
    v.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Reads a hash (with or without the leading `#`) into a state and the
/// notices of everything that was replaced or clamped.
pub fn parse_hash(hash: &str) -> (PageState, Vec<String>) {
    let mut notices = Vec::new();
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (i, part) in hash.split('&').enumerate() {
        if i >= MAX_PAIRS {
            notices.push(format!(
                "the link has more than {MAX_PAIRS} settings; the rest were ignored"
            ));
            break;
        }
        if part.is_empty() {
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        // Keys are short: anything long is not one of ours.
        let k = if k.len() > 64 {
            k[..k.floor_char_boundary(64)].to_string()
        } else {
            percent_decode(k)
        };
        let v = if v.len() > 4 * MAX_VALUE_LEN {
            v[..v.floor_char_boundary(4 * MAX_VALUE_LEN)].to_string() + "\u{2026}"
        } else {
            percent_decode(v)
        };
        if pairs.iter().any(|(seen, _)| *seen == k) {
            notices.push(format!(
                "{} was given more than once; the first value was used",
                excerpt(&k)
            ));
            continue;
        }
        pairs.push((k, v));
    }
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };

    let defaults = PageState::default();
    let preset = match get("preset") {
        None => defaults.preset,
        Some(v) => Preset::parse(v).unwrap_or_else(|| {
            notices.push(format!("preset '{}' is unknown; using fast", excerpt(v)));
            defaults.preset
        }),
    };
    let labels = match get("labels") {
        None => defaults.config.labels,
        Some(v) => LabelMap::parse(v).unwrap_or_else(|| {
            notices.push(format!(
                "labels '{}' must be all, some or none; using some",
                excerpt(v)
            ));
            defaults.config.labels
        }),
    };
    let seed = match get("seed") {
        None => defaults.config.seed,
        Some(v) => match v.parse::<u64>() {
            Ok(s) if s <= MAX_SEED => s,
            Ok(_) => {
                notices.push(format!(
                    "seed must be at most {MAX_SEED}; set to {MAX_SEED}"
                ));
                MAX_SEED
            }
            Err(_) => {
                notices.push(format!(
                    "seed '{}' is not a whole number; using {}",
                    excerpt(v),
                    defaults.config.seed
                ));
                defaults.config.seed
            }
        },
    };
    let mut state = PageState::for_preset(preset, labels, seed);
    let base = PageState::for_preset(preset, labels, seed);
    let table = properties();
    for (k, _) in &pairs {
        if !matches!(k.as_str(), "preset" | "labels" | "seed") && !table.iter().any(|p| p.key == k)
        {
            notices.push(format!("unknown setting '{}' was ignored", excerpt(k)));
        }
    }
    for p in &table {
        let Some(v) = get(p.key) else { continue };
        apply(p, v, &mut state, &base, &mut notices);
    }
    if let Err(e) = state.config.check() {
        // Each value was in range, but together they are not allowed
        // (too large for the memory bound, or every loss off).
        notices.push(format!("{e}; those settings were reset to the preset's"));
        let b = &base.config;
        let c = &mut state.config;
        (c.blocks, c.hidden, c.depth, c.batch, c.ndim_tot) =
            (b.blocks, b.hidden, b.depth, b.batch, b.ndim_tot);
        c.losses = b.losses;
        if let Err(e) = c.check() {
            notices.push(format!("{e}; the preset was restored"));
            state.config = base.config.clone();
        }
    }
    (state, notices)
}

fn apply(
    p: &Property,
    v: &str,
    state: &mut PageState,
    base: &PageState,
    notices: &mut Vec<String>,
) {
    let key = p.key;
    match &p.kind {
        Kind::Int { min, max, get, set } => match v.parse::<u64>() {
            Ok(x) if (*min..=*max).contains(&x) => set(state, x),
            Ok(x) => {
                let c = x.clamp(*min, *max);
                notices.push(format!(
                    "{key} must be in [{min}, {max}]; {} was set to {c}",
                    excerpt(v)
                ));
                set(state, c);
            }
            Err(_) => notices.push(format!(
                "{key} '{}' is not a whole number in [{min}, {max}]; using {}",
                excerpt(v),
                get(base)
            )),
        },
        Kind::Real {
            min,
            max,
            min_exclusive,
            get,
            set,
        } => match parse_real(v) {
            Some(x) if x <= *max && (x > *min || (!min_exclusive && x == *min)) => set(state, x),
            Some(x) if x > *max => {
                notices.push(format!(
                    "{key} must be at most {max}; {} was set to {max}",
                    excerpt(v)
                ));
                set(state, *max);
            }
            Some(_) if !min_exclusive => {
                notices.push(format!(
                    "{key} must be at least {min}; {} was set to {min}",
                    excerpt(v)
                ));
                set(state, *min);
            }
            Some(_) => notices.push(format!(
                "{key} must be above {min}; {} was replaced by {}",
                excerpt(v),
                get(base)
            )),
            None => notices.push(format!(
                "{key} '{}' is not a number; using {}",
                excerpt(v),
                get(base)
            )),
        },
        Kind::Bool { get, set } => match v {
            "1" | "true" => set(state, true),
            "0" | "false" => set(state, false),
            _ => notices.push(format!(
                "{key} '{}' must be 0 or 1; using {}",
                excerpt(v),
                u8::from(get(base))
            )),
        },
    }
}

/// Writes the hash of a state: `preset`, `labels` and `seed` always, then
/// every property that differs from the preset's value.
pub fn to_hash(state: &PageState) -> String {
    let c = &state.config;
    let mut out = format!(
        "preset={}&labels={}&seed={}",
        state.preset.name(),
        c.labels.name(),
        c.seed
    );
    let base = PageState::for_preset(state.preset, c.labels, c.seed);
    for p in properties() {
        let text = match &p.kind {
            Kind::Int { get, .. } => (get(state) != get(&base)).then(|| get(state).to_string()),
            Kind::Real { get, .. } => {
                (get(state).to_bits() != get(&base).to_bits()).then(|| get(state).to_string())
            }
            Kind::Bool { get, .. } => {
                (get(state) != get(&base)).then(|| u8::from(get(state)).to_string())
            }
        };
        if let Some(t) = text {
            out.push_str(&format!("&{}={t}", p.key));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_link_means_what_it_says() {
        let (s, notes) = parse_hash("#preset=fast&labels=some&seed=9");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(s, PageState::for_preset(Preset::Fast, LabelMap::Some, 9));
    }

    #[test]
    fn writing_then_reading_gives_the_same_state() {
        let mut s = PageState::for_preset(Preset::Paper, LabelMap::All, 77);
        s.config.lr = 0.0025;
        s.config.losses.x.on = false;
        s.abc_eps = 0.25;
        s.config.average_decay = 0.95;
        let h = to_hash(&s);
        assert!(
            h.contains("lr=0.0025")
                && h.contains("on_x=0")
                && h.contains("abc_eps=0.25")
                && h.contains("average=0.95"),
            "{h}"
        );
        let (back, notes) = parse_hash(&h);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(back, s);
        // An average that would never move is held to the allowed range.
        let (clamped, notes) = parse_hash("preset=fast&labels=some&seed=1&average=1");
        assert_eq!(clamped.config.average_decay, 0.9999);
        assert_eq!(notes.len(), 1, "{notes:?}");
    }
}

/// The hash with one setting changed: the key's old value is dropped and
/// the new one read through the same table (so it is checked and clamped
/// the same way). Choosing a preset drops every other setting but the
/// label map and the seed.
pub fn with_setting(hash: &str, key: &str, value: &str) -> (PageState, Vec<String>) {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let keep = |pair: &&str| {
        let k = pair.split('=').next().unwrap_or("");
        k != key && (key != "preset" || matches!(k, "labels" | "seed"))
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

#[cfg(test)]
mod setting_tests {
    use super::*;

    #[test]
    fn changing_one_setting_keeps_the_others() {
        let (s, _) = parse_hash("preset=fast&labels=all&seed=4&lr=0.002");
        let (t, notes) = with_setting(&to_hash(&s), "batch", "128");
        assert!(notes.is_empty());
        assert_eq!(
            (t.config.batch, t.config.lr, t.config.seed),
            (128, 0.002, 4)
        );
        let (u, _) = with_setting(&to_hash(&t), "preset", "paper");
        assert_eq!(
            (u.preset, u.config.batch, u.config.labels, u.config.seed),
            (Preset::Paper, 1600, LabelMap::All, 4)
        );
        let (v, notes) = with_setting(&to_hash(&u), "lr", "1e9");
        assert_eq!(v.config.lr, 10.0);
        assert_eq!(notes.len(), 1);
    }
}
