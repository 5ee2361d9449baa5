//! Native speed figures (run by `cargo xtask bench`): steps/s for `fast`, a
//! 4 blocks x 64 hidden x batch 256 network (otherwise the paper's
//! configuration, the same work as the PyTorch + FrEIA reference), and
//! `paper`; the `fast` preset's training time to the fidelity bar, under
//! the one verdict (`fidelity::verdict`) and under the verdict it replaced;
//! the share of held-out seeds whose run of `fast` clears the bar at the
//! end of its schedule; and the arm's exact posterior, per query and per
//! frame of a drag, and the arm preset's steps/s and time to the arm's bar
//! ([`arm`]). Prints a table and appends one JSON line per figure to the
//! file given as the first argument.

use inn_playground::evaluate::Sampler;
use inn_playground::fidelity::{verdict, CHECK_EVERY};
use inn_playground::linalg::with_browser_arithmetic;
use inn_playground::metrics::{score_label, FIDELITY_BAR, IN_MODE_STDS};
use inn_playground::problem::{ExactFan, GaussianMixture, RobotArm};
use inn_playground::rng::Rng;
use inn_playground::train::SampleNoise;
use inn_playground::{LabelMap, Preset, TrainConfig, Trainer};
use std::io::Write;

#[path = "bench/arm.rs"]
mod arm;
use std::time::Instant;

fn configs() -> Vec<(&'static str, TrainConfig)> {
    let mut mid = Preset::Paper.config(LabelMap::Some, 1);
    (mid.blocks, mid.hidden, mid.batch) = (4, 64, 256);
    vec![
        ("fast", Preset::Fast.config(LabelMap::Some, 1)),
        ("4x64x256", mid),
        ("paper", Preset::Paper.config(LabelMap::Some, 1)),
    ]
}

/// Median steps/s over three timed runs of `steps` steps after a warm-up.
fn steps_per_s(c: &TrainConfig, steps: usize) -> f64 {
    let mut t: Trainer = Trainer::new(c).expect("valid preset");
    for _ in 0..3 {
        t.step().expect("finite");
    }
    let mut rates: Vec<f64> = (0..3)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..steps {
                t.step().expect("finite");
            }
            steps as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[1]
}

/// The verdict the one verdict replaced, kept to compare the time to the
/// bar under both: the scores of `evaluate` with seed 77 (its draws
/// redrawn here), each mode's spread taken only within 3 std of its centre,
/// and no MMD^2.
fn passes_previous_bar(t: &mut Trainer) -> bool {
    let problem = GaussianMixture::toy(t.config().labels);
    let mut rng = Rng::new(77);
    (0..problem.n_labels()).all(|label| {
        let y_star = problem.one_hot(label).expect("label in range");
        let samples = Sampler::sample(t, &y_star, 2000, rng.next_seed(), SampleNoise::default())
            .expect("label in range");
        let exact = problem
            .sample_posterior(&mut rng, label, 2000)
            .expect("label in range");
        problem
            .sample_posterior(&mut rng, label, 2000)
            .expect("label in range");
        let score = score_label(problem.modes(), label, &samples, &exact, None);
        let other_checks = FIDELITY_BAR
            .misses(&score)
            .iter()
            .all(|m| m.contains("spread") || m.starts_with("MMD"));
        let (lo, hi) = FIDELITY_BAR.spread_range;
        let spreads = problem.modes_of(label).all(|m| {
            let mode = problem.modes()[m];
            let within = |points: &[f64]| {
                let r = IN_MODE_STDS * mode.std;
                let inside: Vec<&[f64]> = points
                    .chunks_exact(2)
                    .filter(|p| (p[0] - mode.centre[0]).hypot(p[1] - mode.centre[1]) <= r)
                    .collect();
                let k = inside.len().max(1) as f64;
                let mean = [0, 1].map(|j| inside.iter().map(|p| p[j]).sum::<f64>() / k);
                let var = inside
                    .iter()
                    .map(|p| (p[0] - mean[0]).powi(2) + (p[1] - mean[1]).powi(2))
                    .sum::<f64>()
                    / (2.0 * k);
                var.sqrt()
            };
            let ratio = within(&samples) / within(&exact);
            ratio >= lo && ratio <= hi
        });
        other_checks && spreads
    })
}

/// Training seconds and steps until a run first clears the bar, under the
/// one verdict and under the previous one, each checked every
/// [`CHECK_EVERY`] steps (the checks are not timed); None if not within
/// the schedule.
#[derive(Clone, Copy, Debug, Default)]
struct ToTheBar {
    now: Option<(f64, u64)>,
    before: Option<(f64, u64)>,
}

fn time_to_fidelity(seed: u64) -> ToTheBar {
    let c = Preset::Fast.config(LabelMap::Some, seed);
    let mut t: Trainer = Trainer::new(&c).expect("valid preset");
    let mut trained = 0.0;
    let mut found = ToTheBar::default();
    for s in 1..=c.steps as u64 {
        let start = Instant::now();
        t.step().expect("finite");
        trained += start.elapsed().as_secs_f64();
        if s % CHECK_EVERY != 0 {
            continue;
        }
        if found.before.is_none() && passes_previous_bar(&mut t) {
            found.before = Some((trained, s));
        }
        if found.now.is_none() && verdict(&mut t, seed).passes {
            found.now = Some((trained, s));
        }
        if found.now.is_some() && found.before.is_some() {
            break;
        }
    }
    found
}

/// `f` of every seed of `seeds`, on two threads (in the order of `seeds`).
fn on_two_threads<R: Send + Clone + Default>(seeds: &[u64], f: impl Fn(u64) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let found = std::sync::Mutex::new(vec![R::default(); seeds.len()]);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&seed) = seeds.get(i) else { break };
                let r = f(seed);
                found.lock().expect("no panics")[i] = r;
            });
        }
    });
    found.into_inner().expect("no panics")
}

/// Seeds whose steps to the bar the bench lists in the page's arithmetic,
/// besides the three it times: the median of three draws is noisy (one
/// seed reaches the bar at step 550, another at 1600).
const SPREAD_SEEDS: u64 = 9;

/// Seeds the `fast` preset was not tuned on (it was on 1-9), whose runs are
/// held to the bar at the end of their schedule.
const HELD_OUT_SEEDS: std::ops::RangeInclusive<u64> = 101..=120;

fn steps_shown(steps: &[Option<u64>]) -> String {
    let shown: Vec<String> = steps
        .iter()
        .map(|s| s.map_or("never".into(), |s| s.to_string()))
        .collect();
    let mut sorted: Vec<u64> = steps.iter().map(|s| s.unwrap_or(u64::MAX)).collect();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    let median = if median == u64::MAX {
        "never".into()
    } else {
        median.to_string()
    };
    format!("{}; median {median}", shown.join(", "))
}

/// Steps to the bar of `fast` for seeds 1..=[`SPREAD_SEEDS`] in the page's
/// arithmetic, so the browser's steps seed for seed (time-free: the
/// machine's speed does not enter), under both verdicts.
fn report_steps_in_the_page() {
    let seeds: Vec<u64> = (1..=SPREAD_SEEDS).collect();
    let runs = on_two_threads(&seeds, |seed| {
        with_browser_arithmetic(|| time_to_fidelity(seed))
    });
    let now: Vec<Option<u64>> = runs.iter().map(|r| r.now.map(|x| x.1)).collect();
    let before: Vec<Option<u64>> = runs.iter().map(|r| r.before.map(|x| x.1)).collect();
    println!(
        "  fast, seeds 1-{SPREAD_SEEDS} in the page's arithmetic (the browser's steps, seed for seed), checked every {CHECK_EVERY} steps:"
    );
    println!("    bar reached at steps {}", steps_shown(&now));
    println!("    under the previous verdict: {}", steps_shown(&before));
}

/// Whether each held-out seed's run of `fast` on `some`, in the page's
/// arithmetic (what visitors run), clears the bar after its whole
/// schedule; prints what each failing run misses. Returns the passes.
fn held_out_passes() -> usize {
    let seeds: Vec<u64> = HELD_OUT_SEEDS.collect();
    let failures = on_two_threads(&seeds, |seed| {
        with_browser_arithmetic(|| {
            let c = Preset::Fast.config(LabelMap::Some, seed);
            let mut t: Trainer = Trainer::new(&c).expect("valid preset");
            for _ in 0..c.steps {
                t.step().expect("finite");
            }
            verdict(&mut t, seed).failures()
        })
    });
    for (seed, f) in seeds.iter().zip(&failures) {
        if !f.is_empty() {
            println!("    seed {seed} misses: {}", f.join("; "));
        }
    }
    failures.iter().filter(|f| f.is_empty()).count()
}

fn seconds(r: Option<(f64, u64)>) -> String {
    r.map_or("not within the schedule".into(), |(secs, step)| {
        format!("step {step}, {secs:.2} s")
    })
}

/// The median over three runs of the seconds to the bar (None counts as
/// never).
fn median_seconds(runs: &[Option<(f64, u64)>]) -> Option<f64> {
    let mut secs: Vec<f64> = runs
        .iter()
        .map(|r| r.map_or(f64::INFINITY, |r| r.0))
        .collect();
    secs.sort_by(f64::total_cmp);
    Some(secs[secs.len() / 2]).filter(|s| s.is_finite())
}

/// The arm's exact posterior: milliseconds for 2000 draws from a fresh
/// pool (the scores' reference), and per target of a drag (500 draws from
/// the page's kept pool of 20 000 candidates), each the median over the
/// same three targets.
fn arm_exact_ms() -> (f64, f64) {
    let arm = RobotArm::default();
    let targets = [[1.0, 0.6], [1.5, 0.0], [0.4, -0.9]];
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let fresh = targets.map(|y| {
        let start = Instant::now();
        arm.exact_posterior(&mut Rng::new(1), &y, 2000)
            .expect("reachable");
        start.elapsed().as_secs_f64() * 1e3
    });
    let mut fan = ExactFan::new(&arm, 20_000, 1).expect("a pool");
    let mut rng = Rng::new(2);
    let dragged = targets.map(|y| {
        let start = Instant::now();
        for k in 0..50 {
            fan.draw(&mut rng, &[y[0], y[1] + 0.002 * k as f64], 500)
                .expect("reachable");
        }
        start.elapsed().as_secs_f64() * 1e3 / 50.0
    });
    (median(fresh.to_vec()), median(dragged.to_vec()))
}

fn json(v: Option<f64>) -> String {
    v.map_or("null".to_string(), |s| format!("{s:.3}"))
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
    println!("native (one thread)");
    println!(
        "{:<10} {:>10} {:>22}",
        "config", "steps/s", "time to fidelity (s)"
    );
    for (name, c) in configs() {
        let steps = if name == "paper" { 5 } else { 200 };
        let rate = steps_per_s(&c, steps);
        let (ttf, ttf_before) = if name == "fast" {
            report_steps_in_the_page();
            let runs: Vec<ToTheBar> = (1..=3).map(time_to_fidelity).collect();
            for (seed, r) in (1..).zip(&runs) {
                println!(
                    "  fast seed {seed}: bar reached at {} (previous verdict: {})",
                    seconds(r.now),
                    seconds(r.before)
                );
            }
            let now: Vec<_> = runs.iter().map(|r| r.now).collect();
            let before: Vec<_> = runs.iter().map(|r| r.before).collect();
            (median_seconds(&now), median_seconds(&before))
        } else {
            (None, None)
        };
        let shown = ttf.map_or("-".to_string(), |s| format!("{s:.2}"));
        println!("{name:<10} {rate:>10.1} {shown:>22}");
        if name == "fast" {
            println!(
                "{:<10} {:>10} {:>22}",
                "  (before)",
                "",
                ttf_before.map_or("-".to_string(), |s| format!("{s:.2}"))
            );
        }
        writeln!(
            jsonl,
            "{{\"config\": \"{name}\", \"target\": \"native\", \"steps_per_s\": {rate:.2}, \"time_to_fidelity_s\": {}, \"time_to_previous_bar_s\": {}}}",
            json(ttf),
            json(ttf_before)
        )
        .expect("write");
    }
    let (fresh, dragged) = arm_exact_ms();
    println!("arm, exact posterior: {fresh:.0} ms per 2000 draws; {dragged:.1} ms per target while dragging (500 draws, kept pool)");
    writeln!(
        jsonl,
        "{{\"config\": \"arm-exact\", \"target\": \"native\", \"ms_per_2000_draws\": {fresh:.1}, \"ms_per_drag_frame\": {dragged:.2}}}"
    )
    .expect("write");
    arm::report(&mut jsonl);
    let (first, last) = (*HELD_OUT_SEEDS.start(), *HELD_OUT_SEEDS.end());
    println!(
        "fast on `some`, held-out seeds {first}-{last}, page arithmetic, after the whole schedule:"
    );
    let passes = held_out_passes();
    let total = HELD_OUT_SEEDS.count();
    println!("  {passes} of {total} seeds clear the bar");
    writeln!(
        jsonl,
        "{{\"config\": \"fast\", \"target\": \"native\", \"held_out_seeds\": \"{first}-{last}\", \"held_out_passes\": {passes}, \"held_out_runs\": {total}}}"
    )
    .expect("write");
}
