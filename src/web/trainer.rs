//! The trainer as the worker drives it.

use super::js_err;
use crate::baseline::{abc_rejection, AbcSettings, Acceptance};
use crate::evaluate::{
    evaluate, evaluate_label, evaluate_label_by_label, evaluate_latent, Evaluation,
};
use crate::hash::parse_hash;
use crate::metrics::{LabelScore, LatentHealth, FIDELITY_BAR};
use crate::model_file::ModelFile;
use crate::train::{Losses, SampleNoise, StepReport, Trainer};
use js_sys::Float32Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Values per step in [`WasmTrainer::train`]'s result.
pub const LOSS_FIELDS: usize = 7;

/// What each value of a loss row is, in order.
const LOSS_ROW_NAMES: [&str; LOSS_FIELDS] =
    ["step", "total", "L_y", "L_z", "L_x", "reconstruction", "ML"];

/// The names of a loss row's values, comma-separated: the page takes the
/// row width and the loss panel's legend from here.
#[wasm_bindgen(js_name = lossRowNames)]
pub fn loss_row_names() -> String {
    LOSS_ROW_NAMES.join(",")
}

/// A label's score with what of it misses the fidelity bar: the page says
/// when every colour has cleared the bar the core's tests hold it to.
#[derive(Serialize)]
struct ScoreAgainstBar<'a> {
    #[serde(flatten)]
    score: &'a LabelScore,
    /// Empty when the label clears the bar.
    bar_misses: Vec<String>,
}

impl<'a> ScoreAgainstBar<'a> {
    fn new(score: &'a LabelScore) -> Self {
        Self {
            score,
            bar_misses: FIDELITY_BAR.misses(score),
        }
    }
}

/// An [`Evaluation`] whose labels carry their misses of the bar.
#[derive(Serialize)]
struct EvaluationAgainstBar<'a> {
    step: u64,
    labels: Vec<ScoreAgainstBar<'a>>,
    latent: &'a Option<LatentHealth>,
}

impl<'a> EvaluationAgainstBar<'a> {
    fn new(e: &'a Evaluation) -> Self {
        Self {
            step: e.step,
            labels: e.labels.iter().map(ScoreAgainstBar::new).collect(),
            latent: &e.latent,
        }
    }
}

/// `area` if it holds exactly `len` values (a part of the memory the two
/// workers share, written in place), else an error naming `what`; a new
/// array without one.
fn area_or_new(
    area: Option<Float32Array>,
    len: usize,
    what: &str,
) -> Result<Float32Array, JsError> {
    match area {
        Some(a) if a.length() as usize == len => Ok(a),
        Some(a) => Err(JsError::new(&format!(
            "{what} of {len} values does not fit an area of {}",
            a.length()
        ))),
        None => Ok(Float32Array::new_with_length(len as u32)),
    }
}

/// A trainer owned by the worker (or by its helper, which runs the
/// inverse share of each step on a second core).
#[wasm_bindgen]
pub struct WasmTrainer {
    inner: Trainer<f32>,
    /// Losses of the forward share of a step begun with `beginStep`.
    pending: Option<Losses>,
    /// Losses `[rec, x]` of the helper's last inverse share.
    inverse_losses: [f64; 2],
    /// In the helper: L_x of the `generatedShare` whose reconstruction
    /// part is still to come.
    generated: Option<Losses>,
    /// The z rows `forwardPass` hands to the helper (reused).
    z_rows: Vec<f32>,
}

impl From<Trainer<f32>> for WasmTrainer {
    fn from(inner: Trainer<f32>) -> Self {
        WasmTrainer {
            inner,
            pending: None,
            inverse_losses: [f64::NAN; 2],
            generated: None,
            z_rows: Vec::new(),
        }
    }
}

impl WasmTrainer {
    /// Values in a step packet: the weights, then the batch the inverse
    /// share needs.
    fn packet_len(&mut self) -> usize {
        let batch: usize = self
            .inner
            .inverse_share_batch_mut()
            .iter()
            .map(|b| b.len())
            .sum();
        self.inner.params().len() + batch
    }
}

/// One row of [`WasmTrainer::train`]'s result.
fn loss_row(r: &StepReport) -> [f32; LOSS_FIELDS] {
    let l = r.losses;
    [r.step as f64, l.total, l.y, l.z, l.x, l.rec, l.ml].map(|v| v as f32)
}

#[wasm_bindgen]
impl WasmTrainer {
    /// A fresh network for the configuration of a URL hash.
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str) -> Result<WasmTrainer, JsError> {
        let (state, _) = parse_hash(hash);
        Ok(Trainer::new(&state.config).map_err(js_err)?.into())
    }

    /// A trainer holding the model of a model file's text.
    #[wasm_bindgen(js_name = fromModel)]
    pub fn from_model(text: &str) -> Result<WasmTrainer, JsError> {
        let file = ModelFile::parse(text).map_err(js_err)?;
        Ok(file.into_trainer().map_err(js_err)?.into())
    }

    /// Runs up to `steps` optimiser steps; returns, per step,
    /// `[step, total, y, z, x, rec, ml]`. On divergence it throws with the
    /// reason; the weights are the last finite ones.
    pub fn train(&mut self, steps: u32) -> Result<Float32Array, JsError> {
        let mut out = Vec::with_capacity(steps as usize * LOSS_FIELDS);
        for _ in 0..steps {
            let r = self.inner.step().map_err(js_err)?;
            out.extend(loss_row(&r));
        }
        Ok(Float32Array::from(out.as_slice()))
    }

    /// A step split across two workers, part 1 (here): draws the batch and
    /// returns what the helper needs for the inverse share, the weights
    /// followed by that share's batch; the helper starts with
    /// `generatedShare`. Then `forwardPass` here, whose z rows the helper
    /// needs for `reconstructedShare`; `forwardLosses` and `prefetchBatch`
    /// here while the helper works; and `finishStep` with its result: the
    /// same bits as `train(1)`.
    #[wasm_bindgen(js_name = beginStep)]
    pub fn begin_step(&mut self, into: Option<Float32Array>) -> Result<Float32Array, JsError> {
        self.pending = None;
        self.inner.draw_batch();
        // `into`: an area of the memory the two workers share, written in
        // place (no packet of its own to copy there).
        let packet = area_or_new(into, self.packet_len(), "a step packet")?;
        let params = self.inner.params();
        let batch = self.inner.inverse_share_batch();
        let mut at = 0;
        for part in std::iter::once(params).chain(batch) {
            packet
                .subarray(at as u32, (at + part.len()) as u32)
                .copy_from(part);
            at += part.len();
        }
        Ok(packet)
    }

    /// The lengths of what a split step hands over: `[packet, z rows,
    /// gradient]` (the sizes of the memory the two workers share).
    #[wasm_bindgen(js_name = shareSizes)]
    pub fn share_sizes(&mut self) -> Vec<u32> {
        [
            self.packet_len(),
            self.inner.reconstruction_z_len(),
            self.inner.params().len(),
        ]
        .map(|v| v as u32)
        .to_vec()
    }

    /// Part 2 (here): the forward pass; returns the z rows that the
    /// helper's `reconstructedShare` needs.
    #[wasm_bindgen(js_name = forwardPass)]
    pub fn forward_pass(&mut self) -> Float32Array {
        self.inner.forward_pass();
        self.inner.reconstruction_z(&mut self.z_rows);
        Float32Array::from(self.z_rows.as_slice())
    }

    /// Part 3 (here, while the helper works): the rest of the forward
    /// share.
    #[wasm_bindgen(js_name = forwardLosses)]
    pub fn forward_losses(&mut self) {
        self.pending = Some(self.inner.forward_losses());
    }

    /// Part 4 (here, after `forwardLosses`, while the helper still works):
    /// draws the next step's batch, which `beginStep` then takes; the same
    /// draws as without it.
    #[wasm_bindgen(js_name = prefetchBatch)]
    pub fn prefetch_batch(&mut self) {
        self.inner.prefetch_batch();
    }

    /// Part 5 (here): adds the helper's gradient and losses, moves the
    /// weights and returns the step's row as `train` does.
    #[wasm_bindgen(js_name = finishStep)]
    pub fn finish_step(
        &mut self,
        grads: &Float32Array,
        loss_rec: f64,
        loss_x: f64,
    ) -> Result<Float32Array, JsError> {
        let mut losses = self.pending.take().ok_or_else(|| {
            JsError::new("finishStep needs beginStep, forwardPass and forwardLosses first")
        })?;
        let own = self.inner.inverse_grads_mut();
        if grads.length() as usize != own.len() {
            return Err(JsError::new(&format!(
                "the helper sent {} gradients for {} weights",
                grads.length(),
                own.len()
            )));
        }
        // Straight from the helper's array (shared memory or a message)
        // into the trainer: one copy.
        grads.copy_to(own);
        losses.add_inverse_share(&Losses {
            rec: loss_rec,
            x: loss_x,
            ..Losses::default()
        });
        let r = self.inner.finish_step(losses).map_err(js_err)?;
        Ok(Float32Array::from(loss_row(&r).as_slice()))
    }

    /// In the helper: the first part of the inverse share of step `step`
    /// (L_x), on a packet from `beginStep` of a trainer with this network.
    #[wasm_bindgen(js_name = generatedShare)]
    pub fn generated_share(&mut self, step: f64, packet: &Float32Array) -> Result<(), JsError> {
        self.generated = None;
        let len = self.packet_len();
        let n_params = self.inner.params().len();
        let batch = self.inner.inverse_share_batch_mut();
        if packet.length() as usize != len {
            return Err(JsError::new(&format!(
                "a step packet of {} values, where this network needs {len}",
                packet.length()
            )));
        }
        // Each part straight from the packet into its buffer: one copy.
        let mut at = n_params as u32;
        for part in batch {
            let end = at + part.len() as u32;
            packet.subarray(at, end).copy_to(part);
            at = end;
        }
        packet
            .subarray(0, n_params as u32)
            .copy_to(self.inner.params_mut());
        self.generated = Some(self.inner.generated_share(step as u64));
        Ok(())
    }

    /// In the helper, after `generatedShare`: the reconstruction part, on
    /// the z rows of the worker's `forwardPass`; returns the inverse
    /// share's gradient (its losses are then `inverseLosses`).
    #[wasm_bindgen(js_name = reconstructedShare)]
    pub fn reconstructed_share(
        &mut self,
        z: &[f32],
        into: Option<Float32Array>,
    ) -> Result<Float32Array, JsError> {
        let generated = self
            .generated
            .take()
            .ok_or_else(|| JsError::new("reconstructedShare needs generatedShare first"))?;
        let len = self.inner.reconstruction_z_len();
        if z.len() != len {
            return Err(JsError::new(&format!(
                "{} z values for the reconstruction, where this network needs {len}",
                z.len()
            )));
        }
        self.inner.set_reconstruction_z(z);
        let l = generated.with_inverse_share(&self.inner.reconstructed_share());
        self.inverse_losses = [l.rec, l.x];
        let grads = self.inner.inverse_grads();
        // `into`: the gradient area of the memory the two workers share.
        let out = area_or_new(into, grads.len(), "the gradient")?;
        out.copy_from(grads);
        Ok(out)
    }

    /// The inverse share of the step begun here with `beginStep`, on this
    /// trainer's own batch: what `generatedShare` and `reconstructedShare`
    /// give in the helper, for when the helper is gone (the packet went to
    /// it). Needs `forwardPass` first.
    #[wasm_bindgen(js_name = inverseShareHere)]
    pub fn inverse_share_here(&mut self, step: f64) -> Float32Array {
        let l = self.inner.inverse_share(step as u64);
        self.inverse_losses = [l.rec, l.x];
        Float32Array::from(self.inner.inverse_grads())
    }

    /// `[rec, x]` losses of the last `reconstructedShare` or `inverseShareHere`.
    #[wasm_bindgen(js_name = inverseLosses)]
    pub fn inverse_losses(&self) -> Vec<f64> {
        self.inverse_losses.to_vec()
    }

    /// Steps done.
    pub fn step(&self) -> f64 {
        self.inner.steps_done() as f64
    }

    /// Number of labels.
    #[wasm_bindgen(js_name = nLabels)]
    pub fn n_labels(&self) -> usize {
        self.inner.config().n_labels()
    }

    /// Latent dimension.
    #[wasm_bindgen(js_name = nZ)]
    pub fn n_z(&self) -> usize {
        self.inner.config().ndim_z
    }

    /// The configuration as JSON.
    #[wasm_bindgen(js_name = configJson)]
    pub fn config_json(&self) -> String {
        serde_json::to_string(self.inner.config().config()).unwrap_or_default()
    }

    /// `n` posterior samples for `label` as x0, x1 pairs; `noise` scales
    /// the training noise on y and padding (1: as trained).
    pub fn samples(
        &mut self,
        label: usize,
        n: usize,
        seed: f64,
        noise: f64,
    ) -> Result<Float32Array, JsError> {
        let s = self
            .inner
            .sample_posterior(label, n, seed as u64, SampleNoise(noise))
            .map_err(js_err)?;
        Ok(Float32Array::from(s.as_slice()))
    }

    /// The forward pass on points (x0, x1 pairs) with the training noise on
    /// the padding: z (`n x nZ`) followed by the predicted y (`n x nLabels`).
    pub fn forward(&mut self, points: &[f32]) -> Float32Array {
        let (z, y) = self.inner.forward_points(points, 99);
        let mut out = z;
        out.extend(y);
        Float32Array::from(out.as_slice())
    }

    /// Scores against the exact posterior, as JSON (see `inn eval`), each
    /// label with what misses the fidelity bar (`bar_misses`), from `n`
    /// samples per label; the MMD^2 from the first `mmd_samples` of them
    /// (0: none; it costs O(k^2)). Each label's samples are those
    /// `evaluateLabel` draws with the same seed, so that the page's scores
    /// of a paused network agree with those it showed while training it.
    pub fn evaluate(&mut self, n: usize, seed: f64, mmd_samples: usize) -> String {
        let e = evaluate_label_by_label(
            &mut self.inner,
            n,
            seed as u64,
            SampleNoise::default(),
            (mmd_samples > 0).then_some(mmd_samples),
        );
        serde_json::to_string(&EvaluationAgainstBar::new(&e)).unwrap_or_default()
    }

    /// One label's score as JSON (no MMD^2), from `n` samples drawn from
    /// `seed` and the label: while training, the worker scores a label at
    /// a time so that a pause never waits for all of them.
    #[wasm_bindgen(js_name = evaluateLabel)]
    pub fn evaluate_label(&mut self, label: usize, n: usize, seed: f64) -> Result<String, JsError> {
        let score = evaluate_label(
            &mut self.inner,
            label,
            n,
            seed as u64,
            SampleNoise::default(),
            None,
        )
        .ok_or_else(|| JsError::new(&format!("label {label} is out of range")))?;
        serde_json::to_string(&ScoreAgainstBar::new(&score)).map_err(js_err)
    }

    /// The latent space's health as JSON, from `n` prior points.
    #[wasm_bindgen(js_name = evaluateLatent)]
    pub fn evaluate_latent(&mut self, n: usize, seed: f64) -> String {
        serde_json::to_string(&evaluate_latent(&mut self.inner, n, seed as u64)).unwrap_or_default()
    }

    /// How many of the fidelity bar's checks the network misses now, over
    /// every label (0: it passes), from `n` samples per label.
    #[wasm_bindgen(js_name = fidelityFailures)]
    pub fn fidelity_failures(&mut self, n: usize, seed: f64) -> usize {
        let e = evaluate(
            &mut self.inner,
            n,
            seed as u64,
            SampleNoise::default(),
            None,
        );
        e.labels
            .iter()
            .map(|l| FIDELITY_BAR.failures(l).len())
            .sum()
    }

    /// The model file's text.
    #[wasm_bindgen(js_name = modelJson)]
    pub fn model_json(&self) -> String {
        ModelFile::from_trainer(&self.inner).to_json()
    }

    /// Rejection ABC for the one-hot observation of `label` on this
    /// trainer's problem: `[simulations, accepted, x0, x1, ...]`.
    pub fn abc(
        &self,
        label: usize,
        n: usize,
        eps: f64,
        budget: f64,
        seed: f64,
    ) -> Result<Float32Array, JsError> {
        let problem = self.inner.problem();
        let mut y_star = vec![0.0; problem.n_labels()];
        *y_star
            .get_mut(label)
            .ok_or_else(|| JsError::new("label out of range"))? = 1.0;
        let settings = AbcSettings {
            n,
            acceptance: Acceptance::Tolerance(eps),
            budget: budget as usize,
            obs_noise: self.inner.config().y_noise,
            seed: seed as u64,
        };
        let r = abc_rejection(problem, &y_star, &settings).map_err(js_err)?;
        let mut out = vec![r.simulations as f32, r.accepted as f32];
        out.extend(r.samples.iter().map(|&v| v as f32));
        Ok(Float32Array::from(out.as_slice()))
    }
}
