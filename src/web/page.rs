//! What the main thread asks of the core: reading and writing links, the
//! exact posterior for the views, and the wasm self-test.

use super::labelled_problem;
use crate::config::{json_object, value_json, SETTINGS};
use crate::hash::{change_link, read_link, to_hash, Page, PageState};
use crate::rng::Rng;
use js_sys::Float32Array;
use serde_json::Value as Json;
use wasm_bindgen::prelude::*;

fn link_json(state: &PageState, page: &Page, notices: &[String]) -> String {
    let hash = to_hash(state);
    let values = SETTINGS
        .iter()
        .map(|s| (s.key, value_json(&s.get(state))))
        .collect();
    let serialised = |v: serde_json::Result<Json>| v.expect("a link's state serialises");
    json_object(vec![
        (
            "hash",
            if page.hash.is_empty() {
                hash
            } else {
                format!("{hash}&{}", page.hash)
            }
            .into(),
        ),
        ("page", serialised(serde_json::to_value(page))),
        ("notices", notices.into()),
        ("preset", state.preset.name().into()),
        ("explanation", state.preset.explanation().into()),
        ("departures", crate::config::departures(state.preset).into()),
        ("config", serialised(serde_json::to_value(&state.config))),
        ("nLabels", state.config.n_labels().into()),
        ("abcEps", state.abc_eps.into()),
        ("abcBudget", state.abc_budget.into()),
        ("values", json_object(values)),
    ])
    .to_string()
}

/// Reads a URL hash: `{hash, notices, preset, explanation, departures,
/// config, values, page, ...}` as JSON, where `hash` is the normalised
/// link, `notices` says what was replaced or clamped, `values` holds every
/// setting by its key and `page` the display keys (lesson step, hidden
/// controls, prompt).
#[wasm_bindgen(js_name = parseLink)]
pub fn parse_link(hash: &str) -> String {
    let (state, page, notices) = read_link(hash);
    link_json(&state, &page, &notices)
}

/// The link with one setting changed, in the same shape as [`parse_link`].
#[wasm_bindgen(js_name = withSetting)]
pub fn with_setting_link(hash: &str, key: &str, value: &str) -> String {
    let (state, page, notices) = change_link(hash, key, value);
    link_json(&state, &page, &notices)
}

/// The controls a link's `hide` may name, as JSON `[{name, label, parent}]`.
#[wasm_bindgen(js_name = pageControls)]
pub fn page_controls() -> String {
    crate::hash::controls_json()
}

/// Whether changing `key` (a setting, or `preset`) changes the training
/// run, and so restarts it: false only for the baselines' settings.
#[wasm_bindgen(js_name = settingTrains)]
pub fn setting_trains(key: &str) -> bool {
    crate::config::setting(key).is_none_or(|s| s.trains())
}

/// The fidelity bar in words: the bar every label of a trained network
/// must clear in the core's tests, which the page checks while it trains.
#[wasm_bindgen(js_name = fidelityBarText)]
pub fn fidelity_bar_text() -> String {
    crate::metrics::FIDELITY_BAR.describe()
}

/// The table of settings as JSON (key, type, range, group, label, help and
/// value per preset of each; the groups; the presets; the link version and
/// the engine): the page builds its settings panel from it.
#[wasm_bindgen(js_name = settingsTable)]
pub fn settings_table() -> String {
    crate::config::table_json().to_string()
}

/// `n` exact posterior samples of `label` (x0, x1 pairs).
#[wasm_bindgen(js_name = exactSamples)]
pub fn exact_samples(
    labels: &str,
    label: usize,
    n: usize,
    seed: f64,
) -> Result<Float32Array, JsError> {
    let g = labelled_problem(labels)?;
    let y_star = g.label_observation(label).map_err(super::js_err)?;
    let s = g
        .sample_posterior(&mut Rng::new(seed as u64), &y_star, n)
        .map_err(super::js_err)?;
    Ok(Float32Array::from(
        s.iter().map(|&v| v as f32).collect::<Vec<_>>().as_slice(),
    ))
}

/// `n` prior samples with their labels: `[x0, x1, label, ...]`.
#[wasm_bindgen(js_name = priorSamples)]
pub fn prior_samples(labels: &str, n: usize, seed: f64) -> Result<Float32Array, JsError> {
    let g = labelled_problem(labels)?;
    let mut rng = Rng::new(seed as u64);
    let mut out = Vec::with_capacity(3 * n);
    let (mut x, mut y) = ([0.0; 2], vec![0.0; g.ndim_y()]);
    for _ in 0..n {
        g.simulate(&mut rng, &mut x, &mut y);
        let label = (0..y.len()).position(|j| y[j] == 1.0).unwrap_or(0);
        out.extend([x[0] as f32, x[1] as f32, label as f32]);
    }
    Ok(Float32Array::from(out.as_slice()))
}

/// The prior density p(x) on a `w x h` grid over `[lo, hi]^2`, row by row
/// from the top; p(x, label) when `label >= 0` (the sum of these over the
/// labels is p(x)).
#[wasm_bindgen(js_name = densityGrid)]
pub fn density_grid(
    labels: &str,
    label: i32,
    w: usize,
    h: usize,
    lo: f64,
    hi: f64,
) -> Result<Float32Array, JsError> {
    let g = labelled_problem(labels)?;
    let observations = match usize::try_from(label) {
        Ok(l) => vec![g.label_observation(l).map_err(super::js_err)?],
        Err(_) => (0..g.n_labels())
            .map(|l| g.label_observation(l))
            .collect::<Result<_, _>>()
            .map_err(super::js_err)?,
    };
    let mut out = Vec::with_capacity(w * h);
    for r in 0..h {
        let y = hi - (r as f64 + 0.5) / h as f64 * (hi - lo);
        for c in 0..w {
            let x = lo + (c as f64 + 0.5) / w as f64 * (hi - lo);
            let p: f64 = observations
                .iter()
                .map(|o| g.log_target(&[x, y], o).exp())
                .sum();
            out.push(p as f32);
        }
    }
    Ok(Float32Array::from(out.as_slice()))
}

/// Scores samples (x0, x1 pairs) of `label` against fresh exact samples of
/// the same size, as the JSON of one label's scores (see `inn eval`).
#[wasm_bindgen(js_name = scoreSamples)]
pub fn score_samples(
    labels: &str,
    label: usize,
    samples: &[f32],
    seed: f64,
) -> Result<String, JsError> {
    let g = labelled_problem(labels)?;
    if samples.len() < 2 {
        return Err(JsError::new("no samples to score"));
    }
    let n = samples.len() / 2;
    let y_star = g.label_observation(label).map_err(super::js_err)?;
    let mut rng = Rng::new(seed as u64);
    let exact = g
        .sample_posterior(&mut rng, &y_star, n)
        .map_err(super::js_err)?;
    let again = g
        .sample_posterior(&mut rng, &y_star, n)
        .map_err(super::js_err)?;
    let s: Vec<f64> = samples.iter().map(|&v| f64::from(v)).collect();
    let score = crate::metrics::score_label(g.modes(), label, &s, &exact, Some(&again));
    Ok(serde_json::to_string(&score).unwrap_or_default())
}
