//! The arm view's binding: the arm's geometry, the exact fan for a target
//! that moves, ABC and MCMC in chunks with their price, the arms' joints
//! for drawing and each coordinate's marginal against the exact one, and
//! what the views show in words.
//! Samples cross as flat `Float32Array`s, 4 numbers (x1..x4) per arm.

use super::js_err;
use crate::problem::{
    fan_text, marginals, marginals_text, resimulation_error, ChunkedAbc, ChunkedMcmc, ExactFan,
    Problem, ProblemView, RobotArm, ARM_COORDINATES,
};
use crate::rng::Rng;
use js_sys::Float32Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Candidates of the pool kept for dragging: a few milliseconds per target.
const DRAG_POOL: usize = 20_000;

/// Candidates of the pool kept for a target at rest.
const REST_POOL: usize = 200_000;

/// The target a link without one starts at: off the prior's bulk, where a
/// method's price is plain (the example).
const DEFAULT_TARGET: [f64; 2] = [1.0, 0.6];

/// How close to the reach a dragged target may come: the posterior there
/// narrows to the single straight arm.
const REACH_MARGIN: f64 = 0.02;

/// MCMC on the arm: chains, adapting steps, kept draws per chain and the
/// steps between two kept draws (the posterior is a thin ridge of width
/// the noise, so a random walk needs small steps and many of them).
const MCMC_CHAINS: usize = 16;
const MCMC_BURN_IN: usize = 10_000;
const MCMC_PER_CHAIN: usize = 64;
const MCMC_THIN: usize = 50;

fn to_f32(v: &[f64]) -> Float32Array {
    let f: Vec<f32> = v.iter().map(|&x| x as f32).collect();
    Float32Array::from(f.as_slice())
}

fn to_f64(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| f64::from(x)).collect()
}

/// The arm with observation noise `noise` (the link's `arm_noise`).
fn arm(noise: f64) -> Result<RobotArm, JsError> {
    RobotArm::new(noise).map_err(js_err)
}

/// What [`arm_view`] tells the page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArmView {
    name: &'static str,
    lengths: Vec<f64>,
    prior_std: Vec<f64>,
    noise: f64,
    extent: Vec<Vec<f64>>,
    reach: f64,
    coordinates: &'static [&'static str],
    default_target: Vec<f64>,
    drag_pool: usize,
    rest_pool: usize,
    mcmc: McmcView,
}

/// The MCMC settings of [`ArmView`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct McmcView {
    chains: usize,
    burn_in: usize,
    per_chain: usize,
    thin: usize,
}

/// The arm with observation noise `noise`, as the page draws it, as JSON: `lengths`, `priorStd`, `noise`,
/// `extent` (`[[y1 lo, hi], [y2 lo, hi]]`), `reach`, `coordinates` (names),
/// `defaultTarget`, `dragPool` and `restPool` (candidates of the exact
/// fans), and the MCMC settings.
#[wasm_bindgen(js_name = armView)]
pub fn arm_view(noise: f64) -> Result<String, JsError> {
    let arm = arm(noise)?;
    let ProblemView::Arm {
        lengths,
        prior_std,
        noise,
        extent,
    } = arm.view()
    else {
        unreachable!("the arm's view is an arm")
    };
    let view = ArmView {
        name: arm.name(),
        lengths: lengths.to_vec(),
        prior_std: prior_std.to_vec(),
        noise,
        extent: extent.iter().map(|e| e.to_vec()).collect(),
        reach: RobotArm::reach(),
        coordinates: &ARM_COORDINATES,
        default_target: DEFAULT_TARGET.to_vec(),
        drag_pool: DRAG_POOL,
        rest_pool: REST_POOL,
        mcmc: McmcView {
            chains: MCMC_CHAINS,
            burn_in: MCMC_BURN_IN,
            per_chain: MCMC_PER_CHAIN,
            thin: MCMC_THIN,
        },
    };
    serde_json::to_string(&view).map_err(js_err)
}

/// The nearest target the page may put the target at: inside the drawing
/// box and within the reach less a margin, as `[y1, y2]`.
#[wasm_bindgen(js_name = armClampTarget)]
pub fn arm_clamp_target(y1: f64, y2: f64) -> Vec<f64> {
    let ProblemView::Arm { extent, .. } = RobotArm::default().view() else {
        unreachable!("the arm's view is an arm")
    };
    let limit = RobotArm::reach() - REACH_MARGIN;
    let or = |v: f64, d: f64| if v.is_finite() { v } else { d };
    let y1 = or(y1, DEFAULT_TARGET[0])
        .clamp(extent[0][0], extent[0][1])
        .clamp(-limit, limit);
    let y2 = or(y2, DEFAULT_TARGET[1]).clamp(extent[1][0], extent[1][1]);
    vec![y1, y2]
}

/// The base, the two joints and the tip of each arm of `samples`: 8
/// numbers (4 points, horizontal then vertical) per arm.
#[wasm_bindgen(js_name = armJoints)]
pub fn arm_joints(samples: &[f32]) -> Float32Array {
    let joints: Vec<f64> = to_f64(samples)
        .chunks_exact(4)
        .flat_map(|x| RobotArm::joints(x).into_iter().flatten())
        .collect();
    to_f32(&joints)
}

/// The re-simulation error of `samples` for target (y1, y2): the median
/// and 90th percentile of the distance from each arm's tip to the target.
#[wasm_bindgen(js_name = armResimulation)]
pub fn arm_resimulation(samples: &[f32], y1: f64, y2: f64) -> Result<Vec<f64>, JsError> {
    let (median, p90) =
        resimulation_error(&RobotArm::default(), &to_f64(samples), &[y1, y2]).map_err(js_err)?;
    Ok(vec![median, p90])
}

/// Each coordinate's histogram of `samples` against `exact` on `bins`
/// common bins, with both moments, as a JSON list (see
/// [`crate::problem::Marginal`]).
#[wasm_bindgen(js_name = armMarginals)]
pub fn arm_marginals(samples: &[f32], exact: &[f32], bins: usize) -> Result<String, JsError> {
    let m = marginals(&to_f64(samples), &to_f64(exact), bins).map_err(js_err)?;
    serde_json::to_string(&m).map_err(js_err)
}

/// Each coordinate's marginal in words: the `exact` draws' mean and spread
/// against the INN's, ABC's and MCMC's (each left out when empty); see
/// [`crate::problem::marginals_text`].
#[wasm_bindgen(js_name = armMarginalsText)]
pub fn arm_marginals_text(
    exact: &[f32],
    inn: &[f32],
    abc: &[f32],
    mcmc: &[f32],
) -> Result<String, JsError> {
    let exact = to_f64(exact);
    // One bin: only the moments are told.
    let moments = |s: &[f64]| marginals(s, &exact, 1).map_err(js_err);
    let mut series = Vec::new();
    for (name, s) in [("INN", inn), ("ABC", abc), ("MCMC", mcmc)] {
        if !s.is_empty() {
            series.push((name, moments(&to_f64(s))?));
        }
    }
    Ok(marginals_text(&moments(&exact)?, exact.len() / 4, &series))
}

/// A fan of arms (`samples`) named `name`, in words: see
/// [`crate::problem::fan_text`].
#[wasm_bindgen(js_name = armFanText)]
pub fn arm_fan_text(name: &str, samples: &[f32]) -> Result<String, JsError> {
    fan_text(name, &to_f64(samples)).map_err(js_err)
}

/// `k` targets drawn as the arm's observations of prior draws (its joint),
/// from `seed`: `[y1, y2, ...]`. The random questions whose total cost the
/// page measures for each method.
#[wasm_bindgen(js_name = armTargets)]
pub fn arm_targets(k: usize, seed: u64, noise: f64) -> Result<Vec<f64>, JsError> {
    let arm = arm(noise)?;
    let mut rng = Rng::new(seed);
    let (mut x, mut y) = ([0.0; 4], [0.0; 2]);
    let mut out = Vec::with_capacity(2 * k);
    for _ in 0..k {
        arm.simulate(&mut rng, &mut x, &mut y);
        out.extend(y);
    }
    Ok(out)
}

/// The exact posterior's fans: a kept pool for dragging and a larger one
/// for a target at rest (see [`ExactFan`]).
#[wasm_bindgen]
pub struct WasmArmExact {
    arm: RobotArm,
    drag: ExactFan,
    rest: Option<ExactFan>,
    rng: Rng,
    ess: f64,
    pool: usize,
}

#[wasm_bindgen]
impl WasmArmExact {
    /// Draws the dragging pool of the arm with observation noise `noise`
    /// from `seed`; the pool at rest is drawn the first time it is asked
    /// for.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u64, noise: f64) -> Result<WasmArmExact, JsError> {
        let arm = arm(noise)?;
        Ok(WasmArmExact {
            arm,
            drag: ExactFan::new(&arm, DRAG_POOL, seed).map_err(js_err)?,
            rest: None,
            rng: Rng::new(seed ^ 0x5eed),
            ess: 0.0,
            pool: 0,
        })
    }

    /// `n` exact draws for target (y1, y2): from the dragging pool, or with
    /// `at_rest` from the larger one.
    pub fn fan(
        &mut self,
        y1: f64,
        y2: f64,
        n: usize,
        at_rest: bool,
    ) -> Result<Float32Array, JsError> {
        let fan = if at_rest {
            let seed = self.rng.next_seed();
            let arm = &self.arm;
            self.rest.get_or_insert_with(|| {
                ExactFan::new(arm, REST_POOL, seed).expect("a pool of candidates")
            })
        } else {
            &mut self.drag
        };
        let d = fan.draw(&mut self.rng, &[y1, y2], n).map_err(js_err)?;
        (self.ess, self.pool) = (d.ess, d.pool);
        Ok(to_f32(&d.samples))
    }

    /// Effective sample size of the pool's weights for the last target.
    pub fn ess(&self) -> f64 {
        self.ess
    }

    /// Candidates of the pool the last draws came from.
    pub fn pool(&self) -> usize {
        self.pool
    }
}

/// Rejection ABC for one target and tolerance, run in chunks.
#[wasm_bindgen]
pub struct WasmArmAbc(ChunkedAbc);

#[wasm_bindgen]
impl WasmArmAbc {
    /// A run for `n` samples within `eps` of (y1, y2), on the arm with
    /// observation noise `noise`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        y1: f64,
        y2: f64,
        eps: f64,
        n: usize,
        seed: u64,
        noise: f64,
    ) -> Result<WasmArmAbc, JsError> {
        ChunkedAbc::new(&arm(noise)?, &[y1, y2], eps, n, seed)
            .map(WasmArmAbc)
            .map_err(js_err)
    }

    /// Runs up to `simulations` more simulations; returns whether done.
    pub fn run(&mut self, simulations: f64) -> Result<bool, JsError> {
        self.0.run(simulations.max(0.0) as u64).map_err(js_err)
    }

    /// The samples kept so far.
    pub fn samples(&self) -> Float32Array {
        to_f32(self.0.samples())
    }

    /// The price paid so far, as JSON (see [`crate::problem::Price`]).
    pub fn price(&self) -> String {
        serde_json::to_string(&self.0.price()).unwrap_or_default()
    }
}

/// Random-walk Metropolis for one target, one chain per chunk.
#[wasm_bindgen]
pub struct WasmArmMcmc(ChunkedMcmc);

#[wasm_bindgen]
impl WasmArmMcmc {
    /// The chains of [`arm_view`]'s settings for (y1, y2), on the arm with
    /// observation noise `noise`.
    #[wasm_bindgen(constructor)]
    pub fn new(y1: f64, y2: f64, seed: u64, noise: f64) -> Result<WasmArmMcmc, JsError> {
        ChunkedMcmc::new(
            &arm(noise)?,
            &[y1, y2],
            MCMC_CHAINS,
            MCMC_BURN_IN,
            MCMC_PER_CHAIN,
            MCMC_THIN,
            seed,
        )
        .map(WasmArmMcmc)
        .map_err(js_err)
    }

    /// Runs the next chain; returns whether every chain is done.
    #[wasm_bindgen(js_name = runChain)]
    pub fn run_chain(&mut self) -> Result<bool, JsError> {
        self.0.run_chain().map_err(js_err)
    }

    /// The draws kept so far.
    pub fn samples(&self) -> Float32Array {
        to_f32(self.0.samples())
    }

    /// The price paid so far, as JSON (see [`crate::problem::Price`]).
    pub fn price(&self) -> String {
        serde_json::to_string(&self.0.price()).unwrap_or_default()
    }
}
