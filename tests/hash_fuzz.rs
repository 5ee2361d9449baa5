//! The link parser against hostile input: a corpus of nasty cases, and a
//! million generated hashes (proptest, fixed seed, shrinking any failure to
//! a minimal link). Whatever comes in, the result is a valid configuration
//! within the memory bound, every change is named in a notice, and nothing
//! panics.

use inn_playground::config::{MEMORY_LIMIT_BYTES, SETTINGS};
use inn_playground::hash::{parse_hash, to_hash, PageState, MAX_SEED};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn check(hash: &str) -> (PageState, Vec<String>) {
    let (state, notices) = parse_hash(hash);
    let valid = state.config.check();
    assert!(valid.is_ok(), "{hash:?} gave an invalid config: {valid:?}");
    assert!(state.config.estimated_bytes() <= MEMORY_LIMIT_BYTES);
    assert!(state.config.seed <= MAX_SEED);
    assert!(state.abc_eps.is_finite() && state.abc_eps > 0.0);
    // Every setting ends inside its own range: clamped, not just valid.
    for s in SETTINGS {
        let v = s.get(&state);
        assert!(s.kind.contains(&v), "{hash:?}: {} = {v}", s.key);
    }
    for n in &notices {
        assert!(n.chars().count() < 400, "notices stay short: {n}");
        assert!(
            !n.chars().any(char::is_control),
            "no control characters in notices"
        );
    }
    // What we write, we read back unchanged and without complaint.
    let (again, more) = parse_hash(&to_hash(&state));
    assert_eq!(again, state, "{hash:?}");
    assert!(more.is_empty(), "{hash:?}: {more:?}");
    (state, notices)
}

#[test]
fn the_corpus_of_nasty_links() {
    let long = format!("#seed={}", "9".repeat(1 << 20));
    let many = (0..10_000)
        .map(|i| format!("k{i}=1"))
        .collect::<Vec<_>>()
        .join("&");
    let cases: Vec<(&str, &str)> = vec![
        ("#batch=1000000000", "batch"),
        ("#blocks=1000000", "blocks"),
        ("#hidden=-5", "hidden"),
        ("#lr=NaN", "lr"),
        ("#lr=inf", "lr"),
        ("#lr=-inf", "lr"),
        ("#lr=1e999", "lr"),
        ("#lr=0x10", "lr"),
        ("#lr=0", "lr"),
        ("#lr=10000", "lr"),
        ("#y_noise=-1", "y_noise"),
        ("#seed=-1", "seed"),
        ("#seed=18446744073709551616", "seed"),
        ("#seed=3&seed=4", "seed"),
        ("#preset=<script>alert(1)</script>", "preset"),
        ("#labels=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "labels"),
        ("#%6c%72=abc", "lr"),
        ("#lr=%", "lr"),
        ("#lr=%zz", "lr"),
        ("#on_x=2", "on_x"),
        ("#unknown=1", "unknown"),
        ("#=&&&=&", ""),
        ("#blocks=16&hidden=512&depth=3&batch=2048&ndim=64", "size"),
        ("#on_y=0&on_z=0&on_x=0&on_rec=0&on_ml=0", "losses"),
        ("#labels=all&ndim=4", "ndim"),
        ("#abc_budget=0", "abc_budget"),
        ("#abc_eps=-3", "abc_eps"),
        ("#lr=\u{202e}1", "lr"),
        ("#v=99&preset=paper", "newer version"),
        ("#v=-1", "link version"),
        ("#engine=0", "engine"),
        ("#labels=all&y_width=3", "y_width"),
        ("#ndim_z=8&ndim=9&labels=all", "ndim"),
        ("#eps=1e-300", ""),
        (long.as_str(), "seed"),
        (many.as_str(), "more than 64"),
        ("#mix=0,0,9,0", "mix mode 1"),
        ("#mix=%3Cscript%3E", "mix mode 1"),
        ("#mix=1,1,0.3,0,0", "weight"),
        ("#mix=0,0,0.3,4;1,1,0.3,6", "renumbered"),
        ("#mix=NaN,inf,-inf,1e999", "mix mode 1"),
        ("#mix=0,0,0.3,0&preset=paper&ndim=3", "ndim"),
    ];
    for (hash, named) in cases {
        let (_, notices) = check(hash);
        if !named.is_empty() {
            assert!(
                notices.iter().any(|n| n.contains(named)),
                "{:.60}: notices {notices:?} should name {named}",
                hash
            );
        }
    }
    let (s, _) = check("#batch=1000000000");
    assert_eq!(s.config.batch, 2048);
    let (s, _) = check("#blocks=16&hidden=512&depth=3&batch=2048&ndim=64");
    assert_eq!(
        s.config,
        PageState::default().config,
        "too large together: back to the preset's sizes"
    );
    let (s, _) = check("#seed=3&seed=4");
    assert_eq!(s.config.seed, 3);
}

/// Pieces that hashes are built from: keys, separators, numbers of every
/// kind, escapes and markup.
const PIECES: &[&str] = &[
    "preset",
    "v",
    "engine",
    "labels",
    "seed",
    "blocks",
    "hidden",
    "depth",
    "ndim",
    "batch",
    "steps",
    "ramp",
    "lr",
    "lr_final",
    "clamp",
    "y_noise",
    "pad_noise",
    "w_x",
    "w_z",
    "on_x",
    "on_ml",
    "ndim_z",
    "y_width",
    "eps",
    "beta2",
    "abc_eps",
    "abc_budget",
    "zzz",
    "=",
    "&",
    "#",
    "%",
    "%3D",
    "%26",
    "%00",
    "%zz",
    "0",
    "1",
    "-1",
    "2048",
    "1e9",
    "1e-9",
    "1e-300",
    "5e-324",
    "NaN",
    "inf",
    "-inf",
    "0.5",
    "3.",
    ".5",
    "99999999999999999999",
    "fast",
    "paper",
    "all",
    "some",
    "none",
    "forward-only",
    "<script>",
    "\"",
    "'",
    " ",
    "+",
    "é",
    "\u{0}",
    "\u{202e}",
    "😀",
];

/// Pieces run together: up to 16, each a known piece or any string.
fn piece_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(String::from),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
}

/// Well-formed `key=value` pairs: every key the table knows (and some it
/// does not), with values of every kind, in and far out of range.
fn key_value_links() -> impl Strategy<Value = String> {
    let mut keys: Vec<String> = SETTINGS.iter().map(|s| s.key.to_string()).collect();
    keys.extend(["preset", "v", "engine", "zzz"].map(String::from));
    let key = prop_oneof![
        8 => prop::sample::select(keys),
        1 => any::<String>(),
    ];
    let value = prop_oneof![
        2 => any::<i64>().prop_map(|v| v.to_string()),
        3 => (-100i64..5000).prop_map(|v| v.to_string()),
        2 => any::<f64>().prop_map(|v| v.to_string()),
        2 => prop::sample::select(PIECES).prop_map(String::from),
        1 => any::<String>(),
    ];
    let pair = (key, value).prop_map(|(k, v)| format!("{k}={v}"));
    prop::collection::vec(pair, 0..12).prop_map(|pairs| format!("#{}", pairs.join("&")))
}

fn links() -> impl Strategy<Value = String> {
    prop_oneof![piece_soup(), key_value_links()]
}

proptest! {
    #![proptest_config(Config {
        cases: 1_000_000,
        rng_seed: RngSeed::Fixed(2024),
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn a_million_generated_links(hash in links()) {
        check(&hash);
    }
}

/// One mode's text: each field in range, out of range or not a number,
/// and sometimes a field too few or too many.
fn mode_text() -> impl Strategy<Value = (String, bool)> {
    let field = |lo: f64, hi: f64| {
        prop_oneof![
            6 => (lo..=hi).prop_map(|v| (v.to_string(), true)),
            1 => (hi + 0.01..hi + 100.0).prop_map(|v| (v.to_string(), false)),
            1 => prop::sample::select(&["NaN", "inf", "", "x", "1,"][..])
                .prop_map(|v| (v.to_string(), false)),
        ]
    };
    let label = prop_oneof![
        6 => (0usize..=7).prop_map(|l| (l.to_string(), true)),
        1 => prop::sample::select(&["8", "-1", "1.5", "a"][..]).prop_map(|v| (v.to_string(), false)),
    ];
    let weight = prop_oneof![
        2 => Just((String::new(), true)),
        2 => (0.01..=100.0f64).prop_map(|w| (format!(",{w}"), true)),
        1 => prop::sample::select(&[",0", ",-1", ",101", ",1,1"][..])
            .prop_map(|v| (v.to_string(), false)),
    ];
    (
        field(-4.0, 4.0),
        field(-4.0, 4.0),
        field(0.05, 1.5),
        label,
        weight,
    )
        .prop_map(|((x, a), (y, b), (std, c), (l, d), (w, e))| {
            (format!("{x},{y},{std},{l}{w}"), a && b && c && d && e)
        })
}

proptest! {
    #![proptest_config(Config {
        cases: 20_000,
        rng_seed: RngSeed::Fixed(2025),
        failure_persistence: None,
        ..Config::default()
    })]

    /// A drawn mixture keeps exactly its allowed modes (up to 16), names
    /// each dropped one in a notice, and reads the same escaped or not.
    #[test]
    fn a_drawn_mixture_keeps_its_allowed_modes(
        modes in prop::collection::vec(mode_text(), 0..20),
        escaped in any::<bool>(),
    ) {
        let mut text = modes.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(";");
        if escaped {
            text = text.replace(';', "%3B").replace(',', "%2c");
        }
        let (state, notices) = check(&format!("#seed=2&mix={text}"));
        let allowed = modes.iter().filter(|(_, ok)| *ok).count();
        prop_assert_eq!(state.config.mix.len(), allowed.min(16));
        let dropped = notices.iter().filter(|n| n.contains("was dropped")).count();
        prop_assert_eq!(dropped, modes.len() - allowed.min(16));
        if !state.config.mix.is_empty() {
            let p = state.config.problem().unwrap();
            prop_assert_eq!(p.modes().len(), state.config.mix.len());
        }
    }
}
