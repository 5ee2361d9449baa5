//! Golden links: links as the page writes them (and one from before link
//! versions), each with the settings it expands to and the exact bits of
//! its losses after 20 steps of training in the page's arithmetic
//! (`with_browser_arithmetic`, the same on every machine). The data,
//! `tests/golden_links.json`, names the engine it was made with.
//!
//! It fails when any link version's expansion changes (a preset's value
//! retuned in place instead of in a new link version), and when the
//! arithmetic changes the bits without a new engine number.
//!
//! When the engine number changes, regenerate the data in the same commit:
//!
//! ```text
//! GOLDEN_BLESS=1 cargo test --release --test golden_links
//! ```
//!
//! and read its diff. Adding a setting also changes every expansion (each
//! gains the new key): regenerate the same way, and the diff must show only
//! the new key, with every link's bits unchanged.

use inn_playground::config::{ENGINE, SETTINGS};
use inn_playground::hash::parse_hash;
use inn_playground::linalg::with_browser_arithmetic;
use inn_playground::Trainer;
use serde_json::{json, Value};

const STEPS: usize = 20;

/// Every preset and label map, overrides of every group, a link without a
/// version (from before versions), the arm, and drawn mixtures (one with
/// escapes, a weight, skipped labels and a dropped mode).
const LINKS: &[&str] = &[
    "v=1&engine=1&preset=fast&labels=some&seed=1",
    "v=1&engine=1&preset=fast&labels=all&seed=2",
    "v=1&engine=1&preset=fast&labels=none&seed=3",
    "v=1&engine=1&preset=paper&labels=some&seed=1",
    "v=1&engine=1&preset=paper&labels=all&seed=4&hidden=64&batch=200",
    "v=1&engine=1&preset=forward-only&labels=all&seed=5",
    "v=1&engine=1&preset=backward-only&labels=some&seed=6",
    "v=1&engine=1&preset=fast&labels=some&seed=7&blocks=4&hidden=16&depth=1&w_x=500&on_ml=1&ml_sigma=0.2",
    "v=1&engine=1&preset=fast&labels=none&seed=8&average=0&ramp=0&y_noise=0.2&pad_noise=0.01&abc_eps=0.25",
    "v=1&engine=1&preset=backward-only&labels=all&seed=10&ndim_z=2&y_width=10&lr_final=1",
    "v=1&engine=1&preset=forward-only&labels=none&seed=11&ndim=8&clamp=1&beta1=0.9&weight_decay=0",
    "preset=fast&labels=all&seed=9&batch=128&lr=0.002",
    "v=1&engine=1&preset=arm&seed=1&target=1.25,-0.5",
    "v=1&engine=1&problem=arm&seed=2&arm_noise=0.05&blocks=6&on_x=1",
    "v=1&engine=1&preset=fast&labels=some&seed=3&mix=-2,0,0.3,0;2,0,0.3,0;0,2,0.2,1",
    "v=1&engine=1&preset=forward-only&labels=all&seed=12&hidden=16\
     &mix=-3%2C-3%2C0.5%2C2%3B3,3,0.1,0,2.5;0,0,1.5,5;9,0,0.3,0",
];

fn path() -> String {
    format!("{}/tests/golden_links.json", env!("CARGO_MANIFEST_DIR"))
}

fn bits(x: f64) -> String {
    format!("{:016x}", x.to_bits())
}

/// What a link gives today: its notices, every setting's value, and the
/// bits of each loss after `STEPS` steps.
fn record(link: &str) -> Value {
    let (state, notices) = parse_hash(link);
    let settings: serde_json::Map<String, Value> = SETTINGS
        .iter()
        .map(|s| (s.key.to_string(), json!(s.get(&state))))
        .collect();
    let losses = with_browser_arithmetic(|| {
        let mut t: Trainer = Trainer::new(&state.config).unwrap();
        let mut last = None;
        for _ in 0..STEPS {
            last = Some(t.step().unwrap().losses);
        }
        last.unwrap()
    });
    json!({
        "link": link,
        "notices": notices,
        "preset": state.preset.name(),
        "settings": settings,
        "loss_bits": {
            "total": bits(losses.total),
            "y": bits(losses.y),
            "z": bits(losses.z),
            "x": bits(losses.x),
            "rec": bits(losses.rec),
            "ml": bits(losses.ml),
        },
    })
}

#[test]
fn golden_links_expand_and_train_as_they_did() {
    let now: Vec<Value> = LINKS.iter().map(|l| record(l)).collect();
    if std::env::var("GOLDEN_BLESS").is_ok_and(|v| v == "1") {
        let data = json!({"engine": ENGINE, "steps": STEPS, "links": now});
        let text = serde_json::to_string_pretty(&data).unwrap() + "\n";
        std::fs::write(path(), text).unwrap();
        return;
    }
    let text = std::fs::read_to_string(path()).expect("tests/golden_links.json");
    let data: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["steps"], STEPS);
    let stored = data["links"].as_array().unwrap();
    assert_eq!(stored.len(), LINKS.len(), "the data lists other links");
    let mut failures = Vec::new();
    for (old, new) in stored.iter().zip(&now) {
        let link = new["link"].as_str().unwrap();
        assert_eq!(old["link"], new["link"], "the data lists other links");
        for part in ["notices", "preset"] {
            if old[part] != new[part] {
                failures.push(format!(
                    "{link}: {part} changed: was {}, is {}",
                    old[part], new[part]
                ));
            }
        }
        let (was, is) = (&old["settings"], &new["settings"]);
        let mut keys: Vec<&String> = was.as_object().unwrap().keys().collect();
        keys.extend(
            is.as_object()
                .unwrap()
                .keys()
                .filter(|k| was.get(*k).is_none()),
        );
        for key in keys.into_iter().filter(|k| was.get(*k) != is.get(*k)) {
            failures.push(format!(
                "{link}: expands to {key} = {}, was {} (a retune keeps the old value in RETIRED, \
                 for a new link version)",
                is.get(key).unwrap_or(&Value::Null),
                was.get(key).unwrap_or(&Value::Null)
            ));
        }
        if old["loss_bits"] != new["loss_bits"] {
            failures.push(format!(
                "{link}: the losses after {STEPS} steps changed: were {}, are {}",
                old["loss_bits"], new["loss_bits"]
            ));
        }
    }
    assert!(
        data["engine"] == ENGINE,
        "the data was made with engine {}, this build is engine {ENGINE}: regenerate it \
         (GOLDEN_BLESS=1) in the commit that changed the engine; differences now:\n{}",
        data["engine"],
        failures.join("\n")
    );
    assert!(
        failures.is_empty(),
        "engine {ENGINE}:\n{}\n(if the arithmetic changed on purpose, that is a new engine \
         number, and GOLDEN_BLESS=1 regenerates the data)",
        failures.join("\n")
    );
}
