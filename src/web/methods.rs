//! The line-up of methods as the methods worker drives it: MCMC answers
//! each query anew; the mean–variance network, the variational network and
//! the conditional GAN train here in chunks (so that the worker can report
//! progress between them) and then answer every query. Each answer comes
//! with its cost record, its scores against the exact posterior and a
//! caption measured on it.

use super::js_err;
use super::methods_text::{caption, lineup_json, Facts};
use crate::hash::{parse_hash, PageState};
use crate::method::{
    ask, Cgan, CganSettings, Cost, Mcmc, McmcRun, MeanVariance, MeanVarianceSettings, Method,
    Query, Variational, VariationalSettings,
};
use crate::metrics::{score_label, LabelScore};
use crate::problem::Problem;
use crate::rng::Rng;
use js_sys::Float32Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The worker's clock, in milliseconds.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Seconds on the worker's clock.
fn now_s() -> f64 {
    performance_now() / 1000.0
}

/// The problem every method of the line-up is asked about: the page's,
/// from its link.
fn page_problem(state: &PageState) -> Result<Box<dyn Problem>, JsError> {
    state.config.problem().map_err(js_err)
}

/// A network of the line-up, with its training time so far.
struct Trained<N> {
    net: N,
    seconds: f64,
    planned: u64,
}

impl<N> Trained<N> {
    fn new(net: N, planned: u64) -> Self {
        Trained {
            net,
            seconds: 0.0,
            planned,
        }
    }
}

/// The line-up for one link: the problem, the settings and the trained
/// networks; and the samples of the latest answer.
#[wasm_bindgen]
pub struct WasmMethods {
    state: PageState,
    problem: Box<dyn Problem>,
    mean_variance: Trained<MeanVariance>,
    variational: Trained<Variational>,
    cgan: Trained<Cgan>,
    samples: Vec<f32>,
}

/// One answer as the page shows it.
#[derive(Serialize)]
struct Shown<'a> {
    method: &'a str,
    label: usize,
    samples: usize,
    cost: Cost,
    score: LabelScore,
    caption: String,
    /// MCMC only: chains, draws per chain, acceptance, R-hat, ESS.
    #[serde(skip_serializing_if = "Option::is_none")]
    chains: Option<ChainReport>,
}

#[derive(Serialize)]
struct ChainReport {
    chains: usize,
    per_chain: usize,
    acceptance_rate: f64,
    r_hat: Vec<f64>,
    ess: Vec<f64>,
}

impl WasmMethods {
    /// Trains `method` for up to `steps` more steps (never past its
    /// planned count); rows of `[step, losses...]`.
    fn train_steps(&mut self, method: &str, steps: u64) -> Result<Vec<f32>, JsError> {
        let p = self.problem.as_ref();
        let mut rows = Vec::new();
        let start = now_s();
        let seconds = match method {
            "mean-variance" => {
                let t = &mut self.mean_variance;
                for _ in 0..steps.min(t.planned - t.net.steps_done()) {
                    let loss = t.net.step(p);
                    rows.extend([t.net.steps_done() as f32, loss as f32]);
                }
                &mut t.seconds
            }
            "variational" => {
                let t = &mut self.variational;
                for _ in 0..steps.min(t.planned - t.net.steps_done()) {
                    let loss = t.net.step(p);
                    rows.extend([t.net.steps_done() as f32, loss as f32]);
                }
                &mut t.seconds
            }
            "cgan" => {
                let t = &mut self.cgan;
                for _ in 0..steps.min(t.planned - t.net.steps_done()) {
                    let l = t.net.step(p);
                    let step = t.net.steps_done() as f32;
                    rows.extend([step, l.generator as f32, l.discriminator as f32]);
                }
                &mut t.seconds
            }
            other => return Err(JsError::new(&format!("{other} does not train"))),
        };
        *seconds += now_s() - start;
        Ok(rows)
    }

    /// `(steps done, planned, seconds)` of a method that trains.
    fn progress(&self, method: &str) -> Option<(u64, u64, f64)> {
        let of = |steps: u64, planned: u64, seconds: f64| Some((steps, planned, seconds));
        match method {
            "mean-variance" => {
                let t = &self.mean_variance;
                of(t.net.steps_done(), t.planned, t.seconds)
            }
            "variational" => {
                let t = &self.variational;
                of(t.net.steps_done(), t.planned, t.seconds)
            }
            "cgan" => of(
                self.cgan.net.steps_done(),
                self.cgan.planned,
                self.cgan.seconds,
            ),
            _ => None,
        }
    }

    /// The chains of one MCMC query, timed.
    fn mcmc(&self, q: &Query) -> Result<(McmcRun, f64), JsError> {
        let mcmc = Mcmc {
            chains: self.state.mcmc_chains,
            ..Mcmc::default()
        };
        let start = now_s();
        let run = mcmc.run(self.problem.as_ref(), q).map_err(js_err)?;
        Ok((run, now_s() - start))
    }
}

#[wasm_bindgen]
impl WasmMethods {
    /// The line-up for the link `hash`: untrained networks seeded by the
    /// link's seed.
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str) -> Result<WasmMethods, JsError> {
        let (state, _) = parse_hash(hash);
        let problem = page_problem(&state)?;
        let seed = state.config.seed;
        let mv = MeanVarianceSettings {
            seed,
            ..MeanVarianceSettings::default()
        };
        let vi = VariationalSettings {
            seed,
            steps: state.vi_steps,
            ..VariationalSettings::default()
        };
        let gan = CganSettings {
            seed,
            ..CganSettings::default()
        };
        Ok(WasmMethods {
            mean_variance: Trained::new(
                MeanVariance::new(problem.as_ref(), mv).map_err(js_err)?,
                state.mv_steps,
            ),
            variational: Trained::new(
                Variational::new(problem.as_ref(), vi).map_err(js_err)?,
                state.vi_steps,
            ),
            cgan: Trained::new(
                Cgan::new(problem.as_ref(), gan).map_err(js_err)?,
                state.gan_steps,
            ),
            state,
            problem,
            samples: Vec::new(),
        })
    }

    /// The methods of the line-up as JSON: `[{key, name, short,
    /// trains}]`, in the order the page shows them.
    pub fn lineup() -> String {
        lineup_json()
    }

    /// Trains `method` for up to `steps` more steps; rows of `[step,
    /// losses...]` (the cGAN: generator, then discriminator).
    pub fn train(&mut self, method: &str, steps: u32) -> Result<Float32Array, JsError> {
        let rows = self.train_steps(method, u64::from(steps))?;
        Ok(Float32Array::from(rows.as_slice()))
    }

    /// `{steps, planned, seconds}` of a method's training, as JSON.
    #[wasm_bindgen(js_name = progressJson)]
    pub fn progress_json(&self, method: &str) -> Result<String, JsError> {
        let (steps, planned, seconds) = self
            .progress(method)
            .ok_or_else(|| JsError::new(&format!("{method} does not train")))?;
        Ok(
            serde_json::json!({ "steps": steps, "planned": planned, "seconds": seconds })
                .to_string(),
        )
    }

    /// Asks `method` for `n` samples of `label`'s observation, with the
    /// per-query settings of the link `hash` (MCMC's chains and budget).
    /// Returns the answer's cost, scores, caption and (MCMC) chain
    /// diagnostics as JSON; [`WasmMethods::samples`] holds its samples
    /// (MCMC: each chain's path after burn-in, chain after chain).
    pub fn query(
        &mut self,
        method: &str,
        label: usize,
        n: usize,
        hash: &str,
    ) -> Result<String, JsError> {
        let (per_query, _) = parse_hash(hash);
        self.state.mcmc_chains = per_query.mcmc_chains;
        self.state.mcmc_budget = per_query.mcmc_budget;
        let y_star = self.problem.label_observation(label).map_err(js_err)?;
        let q = Query {
            y_star: &y_star,
            n,
            seed: self.state.config.seed ^ 0x5eed,
            budget: self.state.mcmc_budget,
        };
        let mut chains = None;
        let clock = now_s;
        let (samples, mut cost) = match method {
            "mcmc" => {
                let (run, secs) = self.mcmc(&q)?;
                let mut cost = run.answer(n, self.problem.ndim_x()).cost;
                cost.seconds_per_query = secs;
                chains = Some(ChainReport {
                    chains: self.state.mcmc_chains,
                    per_chain: run.per_chain,
                    acceptance_rate: run.acceptance_rate,
                    r_hat: run.r_hat,
                    ess: run.ess,
                });
                (run.samples, cost)
            }
            "mean-variance" | "variational" | "cgan" => {
                let net: &mut dyn Method = match method {
                    "mean-variance" => &mut self.mean_variance.net,
                    "variational" => &mut self.variational.net,
                    _ => &mut self.cgan.net,
                };
                let a = ask(net, self.problem.as_ref(), &q, &clock).map_err(js_err)?;
                (a.samples, a.cost)
            }
            other => return Err(JsError::new(&format!("no method {other}"))),
        };
        if let Some((_, _, seconds)) = self.progress(method) {
            cost.training_seconds = seconds;
        }
        let score = self.score(label, &samples)?;
        let facts = Facts {
            problem: self.problem.as_ref(),
            label,
            score: &score,
            chains: chains
                .as_ref()
                .map(|c| (c.chains, c.r_hat.iter().copied().fold(f64::NAN, f64::max))),
        };
        let shown = Shown {
            method,
            label,
            samples: samples.len() / 2,
            cost,
            caption: caption(method, &facts),
            score,
            chains,
        };
        self.samples = samples.iter().map(|&v| v as f32).collect();
        serde_json::to_string(&shown).map_err(js_err)
    }

    /// The samples of the latest [`WasmMethods::query`] (x0, x1 pairs).
    pub fn samples(&self) -> Float32Array {
        Float32Array::from(self.samples.as_slice())
    }
}

impl WasmMethods {
    /// `samples` of `label` scored against two fresh exact sets of the
    /// same size (the second gives MMD²'s floor), as the page scores ABC.
    fn score(&self, label: usize, samples: &[f64]) -> Result<LabelScore, JsError> {
        let n = samples.len() / 2;
        if n == 0 {
            return Err(JsError::new("no samples to score"));
        }
        let mut rng = Rng::new(self.state.config.seed ^ 0x5c0e);
        let y_star = self.problem.label_observation(label).map_err(js_err)?;
        let exact = self
            .problem
            .sample_posterior(&mut rng, &y_star, n)
            .map_err(js_err)?;
        let again = self
            .problem
            .sample_posterior(&mut rng, &y_star, n)
            .map_err(js_err)?;
        Ok(score_label(
            self.problem.modes(),
            label,
            samples,
            &exact,
            Some(&again),
        ))
    }
}
