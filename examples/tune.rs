//! Trains one configuration and prints the fidelity every few hundred steps:
//! the tool used to choose the `fast` preset.
//! `cargo run --release --example tune -- some 1 3000 [key=value ...]`
//! (keys as in links and `inn train --set`, e.g. `lr=0.01 w_x=2000`;
//! env: PRESET=name starts from another preset than `fast`; FINAL_SEEDS=k
//! scores the end state with k evaluation seeds; EVERY=N
//! evaluates every N steps, EVAL=1 not at all, NOISE=f samples with that
//! share of the training noise; EVAL_SEED=s scores with that seed instead
//! of 99 (the bench's is 77); BROWSER=1 trains in the page's arithmetic, so
//! that the steps to the bar are those the browser bench sees).
//!
//! Natively the host's kernels round differently from the wasm build, and
//! the steps to the bar of a seed are chaotic: a seed that needs 650 steps
//! in one arithmetic can need 1600 in the other. Tune for the page with
//! BROWSER=1.

use inn_playground::config::set_setting;
use inn_playground::evaluate::{evaluate, Evaluation};
use inn_playground::hash::PageState;
use inn_playground::metrics::FIDELITY_BAR;
use inn_playground::{LabelMap, Preset, Trainer};
use std::time::Instant;

fn main() {
    if std::env::var("BROWSER").is_ok() {
        inn_playground::linalg::with_browser_arithmetic(tune);
    } else {
        tune();
    }
}

fn tune() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let labels = LabelMap::parse(&args[0]).unwrap();
    let seed: u64 = args[1].parse().unwrap();
    let steps: u64 = args[2].parse().unwrap();
    let preset = std::env::var("PRESET").map_or(Preset::Fast, |p| Preset::parse(&p).unwrap());
    // Settings by their keys in links (`lr=0.01 w_x=2000`), checked
    // against the same table.
    let mut state = PageState::for_preset(preset, labels, seed);
    for kv in &args[3..] {
        let (k, v) = kv.split_once('=').expect("settings are key=value");
        set_setting(&mut state, k, v).unwrap_or_else(|e| panic!("{kv}: {e}"));
    }
    let c = state.config;
    let noise = inn_playground::train::SampleNoise(
        std::env::var("NOISE")
            .map(|v| v.parse().unwrap())
            .unwrap_or(1.0),
    );
    let mut t: Trainer = Trainer::new(&c).unwrap();
    let eval_seed: u64 = std::env::var("EVAL_SEED").map_or(99, |v| v.parse().unwrap());
    let every = std::env::var("EVERY")
        .map(|v| v.parse().unwrap())
        .unwrap_or((steps / 10).max(1));
    let mut train_time = 0.0;
    // STOP=k: end the run once k evaluations in a row passed the bar.
    let stop_after: usize = std::env::var("STOP").map_or(0, |v| v.parse().unwrap());
    let mut passes_in_a_row = 0;
    // TMAX=s: end the run after s seconds of training.
    let time_limit: f64 = std::env::var("TMAX").map_or(f64::INFINITY, |v| v.parse().unwrap());
    for s in 1..=steps {
        let t0 = Instant::now();
        let r = t.step().unwrap();
        train_time += t0.elapsed().as_secs_f64();
        if train_time > time_limit {
            println!("stopped: time limit after step {s}");
            break;
        }
        if s % every == 0 && std::env::var("EVAL").is_err() {
            let e = evaluate(&mut t, 2000, eval_seed, noise, Some(2000));
            let Worst {
                in_correct: worst_in,
                mass: worst_mass,
                fails,
            } = worst(&e);
            let worst_wrong = e.labels.iter().map(|l| l.in_wrong).fold(0.0, f64::max);
            let spreads: Vec<f64> = e
                .labels
                .iter()
                .flat_map(|l| l.modes.iter().map(|m| m.spread_ratio))
                .collect();
            let smin = spreads.iter().cloned().fold(9.0, f64::min);
            let smax = spreads.iter().cloned().fold(0.0, f64::max);
            let off = e
                .labels
                .iter()
                .flat_map(|l| l.modes.iter().map(|m| m.centre_offset))
                .fold(0.0, f64::max);
            println!(
                "step {s:5} t {train_time:6.2}s loss {:8.3} in {worst_in:.3} wrong {worst_wrong:.3} mass {worst_mass:.3} spread {smin:.2}-{smax:.2} off {off:.3} fails {fails}",
                r.losses.total
            );
            passes_in_a_row = if fails == 0 { passes_in_a_row + 1 } else { 0 };
            if stop_after > 0 && passes_in_a_row >= stop_after {
                println!("stopped: {stop_after} passes in a row");
                break;
            }
            if s == steps {
                for l in &e.labels {
                    println!(
                        "  label {} in {:.3} wrong {:.3} mass {:.3} spreads {:?}",
                        l.label,
                        l.in_correct,
                        l.in_wrong,
                        l.max_mass_error,
                        l.modes
                            .iter()
                            .map(|m| (m.spread_ratio * 100.0).round() / 100.0)
                            .collect::<Vec<_>>()
                    );
                }
            }
        }
    }
    // FINAL_SEEDS=k: the trained network scored with k evaluation seeds
    // (the fidelity tests use 1000 + seed, the bench 77): how much of a
    // pass is luck of the evaluation draw.
    if let Some(k) = std::env::var("FINAL_SEEDS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        for eval_seed in 1000..1000 + k {
            let w = worst(&evaluate(&mut t, 2000, eval_seed, noise, Some(2000)));
            println!(
                "final eval seed {eval_seed}: in {:.3} mass {:.3} fails {}",
                w.in_correct, w.mass, w.fails
            );
        }
    }
}

/// The worst label of an evaluation, as the fidelity bar judges it.
struct Worst {
    /// Lowest share of samples in a correct mode.
    in_correct: f64,
    /// Highest mass error.
    mass: f64,
    /// Checks of the bar missed, over every label.
    fails: usize,
}

fn worst(e: &Evaluation) -> Worst {
    Worst {
        in_correct: e.labels.iter().map(|l| l.in_correct).fold(1.0, f64::min),
        mass: e
            .labels
            .iter()
            .map(|l| l.max_mass_error)
            .fold(0.0, f64::max),
        fails: e
            .labels
            .iter()
            .map(|l| FIDELITY_BAR.failures(l).len())
            .sum(),
    }
}
