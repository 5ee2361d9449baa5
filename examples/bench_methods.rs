//! Native figures of the line-up (run by `cargo xtask bench`): each
//! method at the page's defaults (the settings table's values of a link
//! without settings), on label maps `some` and `all`: its training time,
//! its cost per query, and the scores of its worst label (the fewest
//! samples in a correct mode), every label asked. Prints a table and
//! appends one JSON line per method and map to the file given as the first
//! argument.

use inn_playground::baseline::Acceptance;
use inn_playground::hash::{parse_hash, PageState};
use inn_playground::method::{
    ask, Abc, Answer, Cgan, CganSettings, Mcmc, MeanVariance, MeanVarianceSettings, Method, Query,
    Variational, VariationalSettings,
};
use inn_playground::metrics::{score_label, LabelScore};
use inn_playground::problem::GaussianMixture;
use inn_playground::rng::Rng;
use inn_playground::LabelMap;
use serde_json::json;
use std::io::Write;
use std::time::Instant;

/// Samples per query, as the page asks (ABC: as its panel asks).
const SAMPLES: usize = 2000;
const ABC_SAMPLES: usize = 1000;

/// Seconds of `f`, and its result.
fn timed<R>(f: impl FnOnce() -> R) -> (R, f64) {
    let start = Instant::now();
    let r = f();
    (r, start.elapsed().as_secs_f64())
}

/// `label`'s samples scored against two exact sets of their size.
fn score(problem: &GaussianMixture, label: usize, samples: &[f64], seed: u64) -> LabelScore {
    let n = samples.len() / 2;
    let mut rng = Rng::new(seed ^ 0x5c0e);
    let exact = problem.sample_posterior(&mut rng, label, n).expect("label");
    let again = problem.sample_posterior(&mut rng, label, n).expect("label");
    score_label(problem.modes(), label, samples, &exact, Some(&again))
}

/// One method on one map: every label asked; the worst label's score and
/// answer, and the median seconds per query.
fn every_label(
    problem: &GaussianMixture,
    state: &PageState,
    method: &mut dyn Method,
    n: usize,
    budget: u64,
) -> (LabelScore, Answer, f64) {
    let seed = state.config.seed;
    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64();
    let mut worst: Option<(LabelScore, Answer)> = None;
    let mut seconds = Vec::new();
    for label in 0..problem.n_labels() {
        let y_star = problem.one_hot(label).expect("label");
        let q = Query {
            y_star: &y_star,
            n,
            seed: seed ^ 0x5eed,
            budget,
        };
        let a = ask(method, problem, &q, &clock).expect("an answer");
        seconds.push(a.cost.seconds_per_query);
        let s = score(problem, label, &a.samples, seed);
        if worst
            .as_ref()
            .is_none_or(|(w, _)| s.in_correct < w.in_correct)
        {
            worst = Some((s, a));
        }
    }
    seconds.sort_by(f64::total_cmp);
    let (s, a) = worst.expect("a label");
    (s, a, seconds[seconds.len() / 2])
}

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/bench.jsonl".into());
    let mut jsonl = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&out)
        .expect("writable output");
    let (state, _) = parse_hash("");
    let seed = state.config.seed;
    println!("the line-up, native (one thread), page defaults, {SAMPLES} samples per query (ABC {ABC_SAMPLES}); worst label of each map:");
    println!(
        "{:<14} {:<5} {:>5} {:>8} {:>7} {:>9} {:>8} {:>8} {:>8} {:>9} {:>7} {:>8} {:>9}",
        "method",
        "map",
        "label",
        "correct",
        "wrong",
        "mass err",
        "MMD2",
        "floor",
        "sims",
        "dens.ev",
        "steps",
        "train s",
        "query ms"
    );
    for map in [LabelMap::Some, LabelMap::All] {
        let problem = GaussianMixture::toy(map);
        let mut abc = Abc {
            acceptance: Acceptance::Tolerance(state.abc_eps),
            obs_noise: state.config.y_noise,
        };
        let mut mcmc = Mcmc {
            chains: state.mcmc_chains,
            ..Mcmc::default()
        };
        let mv = MeanVarianceSettings {
            seed,
            ..MeanVarianceSettings::default()
        };
        let mut mv: MeanVariance = MeanVariance::new(&problem, mv).expect("settings");
        let ((), mv_s) = timed(|| {
            (0..state.mv_steps).for_each(|_| {
                mv.step(&problem);
            })
        });
        let vi = VariationalSettings {
            seed,
            steps: state.vi_steps,
            ..VariationalSettings::default()
        };
        let mut vi: Variational = Variational::new(&problem, vi).expect("settings");
        let ((), vi_s) = timed(|| {
            (0..state.vi_steps).for_each(|_| {
                vi.step(&problem);
            })
        });
        let gan = CganSettings {
            seed,
            ..CganSettings::default()
        };
        let mut gan: Cgan = Cgan::new(&problem, gan).expect("settings");
        let ((), gan_s) = timed(|| {
            (0..state.gan_steps).for_each(|_| {
                gan.step(&problem);
            })
        });
        let rows: [(&str, &mut dyn Method, usize, u64, f64); 5] = [
            ("abc", &mut abc, ABC_SAMPLES, state.abc_budget, 0.0),
            ("mcmc", &mut mcmc, SAMPLES, state.mcmc_budget, 0.0),
            ("mean-variance", &mut mv, SAMPLES, 0, mv_s),
            ("variational", &mut vi, SAMPLES, 0, vi_s),
            ("cgan", &mut gan, SAMPLES, 0, gan_s),
        ];
        for (name, method, n, budget, train_s) in rows {
            let (s, a, query_s) = every_label(&problem, &state, method, n, budget);
            let c = a.cost;
            println!(
                "{name:<14} {:<5} {:>5} {:>7.1}% {:>6.1}% {:>8.1}% {:>8.1e} {:>8.1e} {:>8} {:>9} {:>7} {:>8.2} {:>9.2}",
                map.name(),
                s.label,
                100.0 * s.in_correct,
                100.0 * s.in_wrong,
                100.0 * s.max_mass_error,
                s.mmd2.unwrap_or(f64::NAN),
                s.mmd2_floor.unwrap_or(f64::NAN),
                c.simulations,
                c.density_evaluations,
                c.training_steps,
                train_s,
                1000.0 * query_s
            );
            let record = json!({
                "method": name, "target": "native", "labels": map.name(), "worst_label": s.label,
                "in_correct": s.in_correct, "in_wrong": s.in_wrong, "max_mass_error": s.max_mass_error,
                "mmd2": s.mmd2, "mmd2_floor": s.mmd2_floor, "simulations": c.simulations,
                "density_evals": c.density_evaluations, "train_steps": c.training_steps,
                "train_s": train_s, "query_s": query_s,
            });
            writeln!(jsonl, "{record}").expect("write");
        }
    }
}
