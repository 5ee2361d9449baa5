//! What the page's views need from the core to draw a problem and to
//! describe what they show: the modes and their labels, the radius within
//! which the scores count a sample as in a mode, the square the plots show,
//! the label maps, and the latent target with the moments of z. The page
//! chooses colours, sizes and layout; every number of the maths is from
//! here, so that a caption cannot disagree with the scores beside it.

use super::labelled_problem;
use crate::config::json_object;
use crate::metrics::{latent_health, score_label, IN_MODE_STDS};
use crate::problem::{LabelMap, Problem, ProblemKind};
use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

/// The label maps in the order the page offers them, each with what it
/// means beyond its number of labels (`None`: nothing to add).
const LABEL_MAPS: [(LabelMap, Option<&str>); 3] = [
    (LabelMap::Some, Some("the paper's")),
    (LabelMap::All, None),
    (LabelMap::None, Some("no information")),
];

/// How far beyond a mode's centre, in its stds, the plots reach: every
/// mode shows whole, with its in-mode disc and a margin.
const EXTENT_STDS: f64 = 5.0;

/// The square `[lo, hi]^2` with whole-number ends that holds every mode out
/// to `EXTENT_STDS` stds.
fn extent(g: &dyn Problem) -> (f64, f64) {
    g.modes()
        .iter()
        .flat_map(|m| {
            m.centre
                .map(|c| (c - EXTENT_STDS * m.std, c + EXTENT_STDS * m.std))
        })
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
            (lo.min(a.floor()), hi.max(b.ceil()))
        })
}

/// The problem as the page draws it, as JSON: `nLabels`; `modes`, each
/// with its `centre`, `std`, `label` and `inModeRadius` (within it the
/// scores count a sample as in the mode); `extent`, the `[lo, hi]` of the
/// square the plots of x show.
#[wasm_bindgen(js_name = problemView)]
pub fn problem_view(labels: &str) -> Result<String, JsError> {
    let g = labelled_problem(labels)?;
    let modes: Vec<serde_json::Value> = g
        .modes()
        .iter()
        .map(|m| {
            json_object(vec![
                ("centre", m.centre[..].into()),
                ("std", m.std.into()),
                ("weight", m.weight.into()),
                ("label", m.label.into()),
                ("inModeRadius", (IN_MODE_STDS * m.std).into()),
            ])
        })
        .collect();
    let (lo, hi) = extent(g.as_ref());
    Ok(json_object(vec![
        ("nLabels", g.n_labels().into()),
        ("modes", modes.into()),
        ("extent", vec![lo, hi].into()),
    ])
    .to_string())
}

/// The label maps a link may name, as JSON: `[{name, nLabels, note}]`,
/// `note` null where the number of labels says it all.
#[wasm_bindgen(js_name = labelMaps)]
pub fn label_maps() -> String {
    let maps: Vec<serde_json::Value> = LABEL_MAPS
        .iter()
        .map(|&(map, note)| {
            let n_labels = ProblemKind::Mixture
                .build(map, 0.0)
                .map_or(0, |p| p.n_labels());
            json_object(vec![
                ("name", map.name().into()),
                ("nLabels", n_labels.into()),
                ("note", note.into()),
            ])
        })
        .collect();
    serde_json::Value::Array(maps).to_string()
}

/// Where samples (x0, x1 pairs) of `label` fall, as JSON: `n`, the number
/// of samples; `modes`, each mode of the label in the mixture's order with
/// its `centre` and the `count` of samples in it; `inside`, the count in
/// any of them. The counts are the scores' (`in_correct` and each mode's
/// mass, as counts), so the text that reports them agrees with the score.
#[wasm_bindgen(js_name = modeCounts)]
pub fn mode_counts(labels: &str, label: usize, samples: &[f32]) -> Result<String, JsError> {
    let g = labelled_problem(labels)?;
    if label >= g.n_labels() {
        return Err(JsError::new(&format!(
            "label must be in 0..{}, got {label}",
            g.n_labels()
        )));
    }
    let s: Vec<f64> = samples.iter().map(|&v| f64::from(v)).collect();
    // The exact set only feeds the spread ratios, which are not used here.
    let score = score_label(g.modes(), label, &s, &s, None);
    // Shares back to whole counts: each share is a count over at most the
    // number of samples, so rounding recovers the count exactly.
    let inside = (score.in_correct * score.samples as f64).round();
    let modes: Vec<serde_json::Value> = score
        .modes
        .iter()
        .map(|m| {
            json_object(vec![
                ("centre", g.modes()[m.mode].centre[..].into()),
                ("count", (m.mass * inside).round().into()),
            ])
        })
        .collect();
    Ok(json_object(vec![
        ("n", score.samples.into()),
        ("modes", modes.into()),
        ("inside", inside.into()),
    ])
    .to_string())
}

/// Mean and standard deviation of each latent dimension of `z` (`n x nz`,
/// row by row): `[mean_0 .. mean_{nz-1}, std_0 .. std_{nz-1}]`, to be read
/// against the target N(0, I).
#[wasm_bindgen(js_name = latentMoments)]
pub fn latent_moments(z: &[f32], nz: usize) -> Result<Float64Array, JsError> {
    if nz == 0 || !z.len().is_multiple_of(nz) {
        return Err(JsError::new(&format!(
            "{} latent values do not make rows of {nz}",
            z.len()
        )));
    }
    let z: Vec<f64> = z.iter().map(|&v| f64::from(v)).collect();
    let h = latent_health(&z, nz);
    let std = (0..nz).map(|j| h.covariance[j * nz + j].sqrt());
    let out: Vec<f64> = h.mean.iter().copied().chain(std).collect();
    Ok(Float64Array::from(out.as_slice()))
}

/// The density of one coordinate of the latent target N(0, I) at each of
/// `xs`: the curve the marginal histograms of z should follow.
#[wasm_bindgen(js_name = latentTargetDensity)]
pub fn latent_target_density(xs: &[f64]) -> Float64Array {
    let d: Vec<f64> = xs
        .iter()
        .map(|x| (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt())
        .collect();
    Float64Array::from(d.as_slice())
}
