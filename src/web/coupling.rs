//! The coupling view's numbers: every stage of the network for the test
//! points, a grid of the x plane and a colour's posterior samples, shown
//! as the two columns x's coordinates are carried to; one block's live
//! values; log|det J| over the x plane.

use super::js_err;
use super::trainer::{WasmTrainer, FORWARD_SEED};
use crate::train::{Padding, SampleNoise};
use js_sys::{Float32Array, Object, Reflect};
use serde_json::json;
use wasm_bindgen::prelude::*;

/// Seed of the posterior samples the reverse direction follows: the seed
/// of the posterior panel's samples, so both show the same points.
const SAMPLE_SEED: u64 = 1234;

/// Grid lines each way, and points along each.
const GRID_LINES: usize = 13;
const GRID_POINTS: usize = 61;

/// `GRID_LINES` vertical then `GRID_LINES` horizontal lines over
/// `[lo, hi]^2`, `GRID_POINTS` points each, as x0, x1 pairs.
fn grid(lo: f64, hi: f64) -> Vec<f32> {
    let at = |i: usize, n: usize| (lo + (hi - lo) * i as f64 / (n - 1) as f64) as f32;
    let mut out = Vec::with_capacity(4 * GRID_LINES * GRID_POINTS);
    for vertical in [true, false] {
        for l in 0..GRID_LINES {
            for p in 0..GRID_POINTS {
                let (a, b) = (at(l, GRID_LINES), at(p, GRID_POINTS));
                out.extend(if vertical { [a, b] } else { [b, a] });
            }
        }
    }
    out
}

impl WasmTrainer {
    /// Each stage's name and the names of the two columns shown of it.
    fn stages_json(&self) -> serde_json::Value {
        let t = &self.inner;
        let shown = t.shown_columns();
        let (last, dim) = (shown.len() - 1, t.config().ndim_tot);
        let stages: Vec<_> = shown
            .iter()
            .enumerate()
            .map(|(k, &[a, b])| {
                let (name, cols) = match k {
                    0 => ("x, padded".to_string(), ["x1".into(), "x2".into()]),
                    k if k == last => (
                        format!("output [z, pad, y], after permutation {}", k / 2),
                        [a, b].map(|c| t.output_column_name(c)),
                    ),
                    k => (
                        format!(
                            "after {} {}",
                            ["permutation", "block"][k % 2],
                            k.div_ceil(2)
                        ),
                        [a, b].map(|c| format!("coordinate {} of {dim}", c + 1)),
                    ),
                };
                json!({ "name": name, "columns": cols })
            })
            .collect();
        json!({ "stages": stages, "gridLines": GRID_LINES, "gridPoints": GRID_POINTS })
    }
}

#[wasm_bindgen]
impl WasmTrainer {
    /// The coupling view of the sampling weights, as an object: `meta`
    /// (JSON: each stage's name and shown columns, the grid's layout);
    /// `points`, `grid` and `samples` (`stages x rows x 2`: the shown
    /// columns at every stage) for the test points `points` (padded with
    /// the training noise, as the forward pass pads them), the grid lines
    /// of `[lo, hi]^2` (padding at zero) and `n` posterior samples of
    /// `label` drawn with `noise`; `logdet` (`res x res`, from the top
    /// row): log|det J| of the whole forward map over `[lo, hi]^2`, padding
    /// at zero.
    #[wasm_bindgen(js_name = couplingView)]
    #[allow(clippy::too_many_arguments)]
    pub fn coupling_view(
        &mut self,
        points: &[f32],
        label: usize,
        n: usize,
        noise: f64,
        lo: f64,
        hi: f64,
        res: usize,
    ) -> Result<JsValue, JsError> {
        let t = &self.inner;
        let y_star = t.problem().label_observation(label).map_err(js_err)?;
        let cols = t.shown_columns();
        let fwd = t.forward_taps(points, Padding::Noise(FORWARD_SEED));
        let lines = t.forward_taps(&grid(lo, hi), Padding::Zero);
        let back = t
            .posterior_taps(&y_star, n, SAMPLE_SEED, SampleNoise(noise))
            .map_err(js_err)?;
        let o = Object::new();
        let array = |v: Vec<f32>| JsValue::from(Float32Array::from(v.as_slice()));
        for (k, v) in [
            ("meta", JsValue::from(self.stages_json().to_string())),
            ("points", array(fwd.project(&cols))),
            ("grid", array(lines.project(&cols))),
            ("samples", array(back.project(&cols))),
            ("logdet", array(t.logdet_grid(lo, hi, res))),
        ] {
            Reflect::set(&o, &k.into(), &v).map_err(|_| JsError::new("cannot build the view"))?;
        }
        Ok(o.into())
    }

    /// The live values of the block shown at stage `stage` (the one last
    /// passed, [`crate::inn::InvertibleNet::block_passed`]) on one point:
    /// forward, test point `row` of `points` (padded as in
    /// [`WasmTrainer::coupling_view`]); if `reverse`, posterior sample
    /// `row` of `label` (the `n` samples drawn with `noise` of the view),
    /// as the inverse pass computes them. As JSON: block (0-based),
    /// inverse, from and to (the stages of the block's input and output in
    /// the pass's direction), u1, u2, s2_raw, s2, t2, v1, s1_raw, s1, t1,
    /// v2, logdet (in the pass's direction), clamp.
    #[wasm_bindgen(js_name = couplingBlock)]
    #[allow(clippy::too_many_arguments)]
    pub fn coupling_block(
        &self,
        points: &[f32],
        label: usize,
        n: usize,
        noise: f64,
        reverse: bool,
        stage: usize,
        row: usize,
    ) -> Result<String, JsError> {
        let t = &self.inner;
        let missing = || JsError::new(&format!("no stage {stage} or point {row}"));
        let block = t.net().block_passed(stage, reverse).ok_or_else(missing)?;
        let tr = if reverse {
            let y_star = t.problem().label_observation(label).map_err(js_err)?;
            let noise = SampleNoise(noise);
            t.posterior_block_trace(&y_star, n, SAMPLE_SEED, noise, block, row)
                .map_err(js_err)?
        } else {
            t.block_trace(points, Padding::Noise(FORWARD_SEED), block, row)
        }
        .ok_or_else(missing)?;
        let (from, to) = if reverse {
            (2 * block + 1, 2 * block)
        } else {
            (2 * block, 2 * block + 1)
        };
        Ok(json!({
            "block": block, "inverse": tr.inverse, "from": from, "to": to,
            "u1": tr.u1, "u2": tr.u2, "s2_raw": tr.s2_raw, "s2": tr.s2, "t2": tr.t2, "v1": tr.v1,
            "s1_raw": tr.s1_raw, "s1": tr.s1, "t1": tr.t1, "v2": tr.v2,
            "logdet": tr.logdet, "clamp": tr.clamp,
        })
        .to_string())
    }
}
