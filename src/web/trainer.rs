//! The trainer as the worker drives it.

use super::js_err;
use crate::baseline::{abc_rejection, AbcSettings, Acceptance};
use crate::evaluate::{evaluate_latent, evaluate_padding_share};
use crate::fidelity::{self, judge_label, LabelVerdict};
use crate::hash::parse_hash;
use crate::metrics::{roles_text, LabelScore, LatentHealth};
use crate::model_file::ModelFile;
use crate::train::split::ForwardSide;
use crate::train::{SampleNoise, StepReport, Trainer};
use js_sys::Float32Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A loss row, value by value: the key `window.innPlayground` names it by,
/// and the name the loss panel's legend gives it.
const LOSS_ROW: [(&str, &str); 7] = [
    ("step", "step"),
    ("total", "total"),
    ("y", "L_y"),
    ("z", "L_z"),
    ("x", "L_x"),
    ("rec", "reconstruction"),
    ("ml", "ML"),
];

/// Values per step in [`WasmTrainer::train`]'s result.
pub const LOSS_FIELDS: usize = LOSS_ROW.len();

/// One row of [`WasmTrainer::train`]'s result, laid out as [`LOSS_ROW`].
pub(super) fn loss_row(r: &StepReport) -> [f32; LOSS_FIELDS] {
    let l = r.losses;
    [r.step as f64, l.total, l.y, l.z, l.x, l.rec, l.ml].map(|v| v as f32)
}

/// The names of a loss row's values, comma-separated: the page takes the
/// row width and the loss panel's legend from here.
#[wasm_bindgen(js_name = lossRowNames)]
pub fn loss_row_names() -> String {
    LOSS_ROW.map(|(_, name)| name).join(",")
}

/// The keys of a loss row's values, comma-separated, for the objects of
/// `window.innPlayground`.
#[wasm_bindgen(js_name = lossRowKeys)]
pub fn loss_row_keys() -> String {
    LOSS_ROW.map(|(key, _)| key).join(",")
}

/// The fraction of a label's samples in a correct mode from which the
/// network counts as near the bar (every label at least this), and the
/// page scores it more often until it first clears the bar.
const NEAR_BAR_IN_CORRECT: f64 = 0.9;

/// [`NEAR_BAR_IN_CORRECT`], for the page's description of its checks.
#[wasm_bindgen(js_name = nearBarInCorrect)]
pub fn near_bar_in_correct() -> f64 {
    NEAR_BAR_IN_CORRECT
}

/// Samples per label that the one verdict scores.
#[wasm_bindgen(js_name = fidelitySamples)]
pub fn fidelity_samples() -> usize {
    fidelity::SAMPLES_PER_LABEL
}

/// A label's score with what of it misses the fidelity bar, as the one
/// verdict ([`fidelity::judge_label`]) gives them: the page says when every
/// colour has cleared the bar the core's tests hold it to.
#[derive(Serialize)]
struct ScoreAgainstBar<'a> {
    #[serde(flatten)]
    score: &'a LabelScore,
    /// Empty when the label clears the bar.
    bar_misses: &'a [String],
}

impl<'a> ScoreAgainstBar<'a> {
    fn new(v: &'a LabelVerdict) -> Self {
        Self {
            score: &v.score,
            bar_misses: &v.misses,
        }
    }
}

/// Every label's verdict, and the latent space's health.
#[derive(Serialize)]
struct EvaluationAgainstBar<'a> {
    step: u64,
    labels: Vec<ScoreAgainstBar<'a>>,
    latent: &'a Option<LatentHealth>,
}

/// A trainer owned by the worker; the helper holds a
/// [`super::split::WasmHelper`] of its network.
#[wasm_bindgen]
pub struct WasmTrainer {
    pub(super) inner: Trainer<f32>,
    /// The worker's side of the split step under way, if any.
    pub(super) split: ForwardSide<f32>,
    /// The latest verdict on each label (None: not judged yet).
    scored: Vec<Option<LabelVerdict>>,
}

impl From<Trainer<f32>> for WasmTrainer {
    fn from(inner: Trainer<f32>) -> Self {
        WasmTrainer {
            scored: vec![None; inner.config().n_labels()],
            inner,
            split: ForwardSide::default(),
        }
    }
}

impl WasmTrainer {
    /// Judges `label` as [`fidelity::judge_label`] does and keeps the
    /// verdict for [`WasmTrainer::bar_verdict`].
    fn judge(&mut self, label: usize) -> Option<&LabelVerdict> {
        let seed = self.inner.config().seed;
        let v = judge_label(&mut self.inner, label, seed)?;
        let slot = self.scored.get_mut(label)?;
        Some(slot.insert(v))
    }

    /// The latent space's health, from the verdict's sample count and seed.
    fn latent(&mut self) -> Option<LatentHealth> {
        let seed = fidelity::score_seed(self.inner.config().seed);
        evaluate_latent(&mut self.inner, fidelity::SAMPLES_PER_LABEL, seed)
    }
}

/// Seed of the padding noise in the forward pass of the test points.
pub(super) const FORWARD_SEED: u64 = 99;

/// Prior points, and forward passes of each with fresh padding, behind
/// the page's sentence on what each latent dimension carries.
const ROLE_POINTS: usize = 500;
const ROLE_DRAWS: usize = 6;

/// The verdict on the fidelity bar that the page shows.
#[derive(Serialize)]
struct BarVerdict {
    /// Every label scored, and none misses the bar.
    clears: bool,
    /// Every label scored with [`NEAR_BAR_IN_CORRECT`] of its samples in a
    /// correct mode or more.
    near: bool,
}

#[wasm_bindgen]
impl WasmTrainer {
    /// A fresh network for the configuration of a URL hash.
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str) -> Result<WasmTrainer, JsError> {
        let (state, _) = parse_hash(hash);
        Ok(Trainer::new(&state.config).map_err(js_err)?.into())
    }

    /// The notice a model file's text loads with if another engine wrote
    /// it (empty otherwise, and for a file that does not parse).
    #[wasm_bindgen(js_name = modelEngineNotice)]
    pub fn model_engine_notice(text: &str) -> String {
        ModelFile::parse(text)
            .ok()
            .and_then(|f| f.engine_notice())
            .unwrap_or_default()
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
        if self.split.under_way() {
            return Err(JsError::new(
                "a split step is under way: finish it (splitNext or splitAlone) first",
            ));
        }
        let mut out = Vec::with_capacity(steps as usize * LOSS_FIELDS);
        for _ in 0..steps {
            let r = self.inner.step().map_err(js_err)?;
            out.extend(loss_row(&r));
        }
        Ok(Float32Array::from(out.as_slice()))
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

    /// What the network is trained by, in words (see
    /// [`crate::TrainConfig::objective_text`]).
    #[wasm_bindgen(js_name = objectiveText)]
    pub fn objective_text(&self) -> String {
        self.inner.config().objective_text()
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
            .sample_label(label, n, seed as u64, SampleNoise(noise))
            .map_err(js_err)?;
        Ok(Float32Array::from(s.as_slice()))
    }

    /// `n` posterior samples for the observation `y_star` (any problem; the
    /// arm's target), `nX` numbers each, drawn from `seed` with the noise
    /// the network was trained with.
    #[wasm_bindgen(js_name = samplesFor)]
    pub fn samples_for(
        &mut self,
        y_star: &[f64],
        n: usize,
        seed: f64,
    ) -> Result<Float32Array, JsError> {
        let s = self
            .inner
            .sample_posterior(y_star, n, seed as u64, SampleNoise::default())
            .map_err(js_err)?;
        Ok(Float32Array::from(s.as_slice()))
    }

    /// The scores of `y_star` as the verdict of a continuous observation
    /// takes them (`inn eval --y`): MMD² with its floor, the re-simulation
    /// error, each coordinate's spread, and the bar's misses, as JSON.
    #[wasm_bindgen(js_name = scoreTarget)]
    pub fn score_target(&mut self, y_star: &[f64]) -> String {
        let seed = self.inner.config().seed;
        let v = fidelity::judge_target(&mut self.inner, y_star, 0, seed);
        serde_json::to_string(&v).unwrap_or_default()
    }

    /// The forward pass on points (x0, x1 pairs) with the training noise on
    /// the padding: z (`n x nZ`) followed by the predicted y (`n x nLabels`).
    pub fn forward(&mut self, points: &[f32]) -> Float32Array {
        let (z, y) = self.inner.forward_points(points, FORWARD_SEED);
        let mut out = z;
        out.extend(y);
        Float32Array::from(out.as_slice())
    }

    /// The verdict on every label with its scores, as JSON (see `inn
    /// eval`: the same samples, seed and bar), each label's misses in
    /// `bar_misses`, and the latent space's health. The page's scores of a
    /// paused network are those it showed while training it.
    pub fn evaluate(&mut self) -> String {
        for label in 0..self.scored.len() {
            self.judge(label);
        }
        let latent = self.latent();
        let e = EvaluationAgainstBar {
            step: self.inner.steps_done(),
            labels: self
                .scored
                .iter()
                .flatten()
                .map(ScoreAgainstBar::new)
                .collect(),
            latent: &latent,
        };
        serde_json::to_string(&e).unwrap_or_default()
    }

    /// One label's verdict and scores as JSON: while training, the worker
    /// judges a label at a time so that a pause never waits for all of
    /// them.
    #[wasm_bindgen(js_name = evaluateLabel)]
    pub fn evaluate_label(&mut self, label: usize) -> Result<String, JsError> {
        let v = self
            .judge(label)
            .ok_or_else(|| JsError::new(&format!("label {label} is out of range")))?;
        serde_json::to_string(&ScoreAgainstBar::new(v)).map_err(js_err)
    }

    /// The page's verdict on the fidelity bar, as JSON `{clears, near}`,
    /// on the latest score of every label (`evaluate`, `evaluateLabel`):
    /// the one place the page judges the bar.
    #[wasm_bindgen(js_name = barVerdict)]
    pub fn bar_verdict(&self) -> String {
        let all = || self.scored.iter().map(Option::as_ref);
        let v = BarVerdict {
            clears: all().all(|s| s.is_some_and(|s| s.misses.is_empty())),
            near: all().all(|s| s.is_some_and(|s| s.score.in_correct >= NEAR_BAR_IN_CORRECT)),
        };
        serde_json::to_string(&v).unwrap_or_default()
    }

    /// The latent space as JSON: its moments (`health`), the share of each
    /// dimension's variance that the padding's noise explains
    /// (`padding_share`) and a sentence on what each carries (`roles`).
    #[wasm_bindgen(js_name = evaluateLatent)]
    pub fn evaluate_latent(&mut self) -> String {
        let seed = fidelity::score_seed(self.inner.config().seed);
        let shares = evaluate_padding_share(&mut self.inner, ROLE_POINTS, ROLE_DRAWS, seed)
            .unwrap_or_default();
        let roles = roles_text(&shares, self.inner.problem().ndim_x());
        serde_json::json!({
            "health": self.latent(),
            "padding_share": shares,
            "roles": roles,
        })
        .to_string()
    }

    /// How many of the fidelity bar's checks the network misses now, over
    /// every label (0: it passes), by the one verdict.
    #[wasm_bindgen(js_name = fidelityFailures)]
    pub fn fidelity_failures(&mut self) -> usize {
        let seed = self.inner.config().seed;
        fidelity::verdict(&mut self.inner, seed).failures().len()
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
