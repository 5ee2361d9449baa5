//! The core's checks as compiled to wasm, run in Chromium by the browser
//! tests: f32 arithmetic, libm and code generation differ from native, so
//! the native tests alone do not cover the page. Built only with the
//! `selftest` feature (`cargo xtask test` and `serve --selftest` build a
//! second module with it, beside the page's), so that the page does not
//! ship the checks and the f64 trainer they need.

use crate::config::{LossTerm, Preset};
use crate::inn::{InvertibleNet, Permutation};
use crate::problem::LabelMap;
use crate::rng::Rng;
use crate::train::Trainer;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

fn invertibility() -> (f64, f64) {
    let mut rng = Rng::new(7);
    let (dim, rows) = (16, 1000);
    let perms = (0..6)
        .map(|_| Permutation::new(rng.permutation(dim)).expect("perm"))
        .collect();
    let net = InvertibleNet::new(dim, 32, 2, 3.0, perms);
    let mut params = vec![0.0f32; net.n_params()];
    rng.fill_normal(&mut params, 0.12);
    let mut x = vec![0.0f32; rows * dim];
    rng.fill_normal(&mut x, 1.0);
    let r = net.round_trip(&params, &x, rows);
    (r.max_error, r.max_logdet_sum)
}

fn gradient_check() -> f64 {
    let mut c = Preset::Fast.config(LabelMap::Some, 3);
    // A batch of 40: both halves of the step reconstruct some rows.
    (c.blocks, c.hidden, c.batch, c.ramp_steps, c.init_scale) = (2, 6, 40, 0, 0.3);
    c.losses.ml = LossTerm {
        on: true,
        weight: 0.5,
    };
    let mut t: Trainer<f64> = Trainer::new(&c).expect("valid");
    t.draw_batch();
    t.loss_and_gradient();
    let analytic = t.grads().to_vec();
    t.hold_detached(true);
    let floor = (1e-5 * analytic.iter().fold(0.0f64, |m, g| m.max(g.abs()))).max(1e-7);
    let h = 1e-6;
    let mut worst: f64 = 0.0;
    for i in (0..analytic.len()).step_by(7) {
        let keep = t.optimiser_weights()[i];
        t.optimiser_weights_mut()[i] = keep + h;
        let up = t.loss_and_gradient().total;
        t.optimiser_weights_mut()[i] = keep - h;
        let down = t.loss_and_gradient().total;
        t.optimiser_weights_mut()[i] = keep;
        let numeric = (up - down) / (2.0 * h);
        worst = worst
            .max((numeric - analytic[i]).abs() / numeric.abs().max(analytic[i].abs()).max(floor));
    }
    worst
}

fn deterministic() -> bool {
    let c = Preset::Fast.config(LabelMap::Some, 11);
    let run = || {
        let mut t: Trainer = Trainer::new(&c).expect("valid");
        (0..20)
            .map(|_| t.step().expect("finite").losses.total.to_bits())
            .collect::<Vec<_>>()
    };
    run() == run()
}

/// Whether steps whose inverse half runs on a helper made from the
/// worker's opening (as the page's helper worker is) give the same bits as
/// whole steps.
fn split_steps_match() -> bool {
    let c = Preset::Fast.config(LabelMap::Some, 12);
    let mut whole: Trainer = Trainer::new(&c).expect("valid");
    let mut main: Trainer = Trainer::new(&c).expect("valid");
    let mut helper: Trainer =
        Trainer::helper_from_opening(&main.helper_opening()).expect("an opening");
    (0..20).all(|_| {
        let expected = whole.step().expect("finite").losses.total;
        let got = main
            .step_with_helper(&mut helper)
            .expect("finite")
            .losses
            .total;
        got.to_bits() == expected.to_bits() && main.optimiser_weights() == whole.optimiser_weights()
    })
}

/// Checks of the maths as compiled to wasm: invertibility in f32, a
/// gradient check in f64, bit-identical determinism and split steps.
/// Returns a JSON report.
#[wasm_bindgen(js_name = selfTest)]
pub fn self_test() -> String {
    run().to_string()
}

fn run() -> Value {
    let (inv_err, logdet_err) = invertibility();
    json!({
        "invertibilityMaxError": inv_err,
        "logdetSumMaxError": logdet_err,
        "gradientMaxRelError": gradient_check(),
        "deterministic": deterministic(),
        "splitStepsMatch": split_steps_match(),
    })
}
