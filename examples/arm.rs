//! The INN on the robot arm: trains the `arm` preset (with any `key=value`
//! overrides from the command line) for given seeds and prints, for each,
//! the verdict's scores on the targets every run is judged on and on three
//! targets the prior rarely reaches, with the training time.
//!
//! `cargo run --release --example arm -- [seeds=1,2,3] [tune=1] [key=value ...]`
//! (`tune=1` judges on other typical targets than the verdict's).

use inn_playground::config::{set_setting, PageState};
use inn_playground::evaluate::evaluate_observation;
use inn_playground::fidelity::{score_seed, targets, SAMPLES_PER_TARGET};
use inn_playground::metrics::{ObservationScore, OBSERVATION_BAR};
use inn_playground::rng::Rng;
use inn_playground::train::SampleNoise;
use inn_playground::{LabelMap, Preset, Trainer};
use std::time::Instant;

/// Targets the prior rarely reaches, where learned models are weakest.
const RARE: [[f64; 2]; 3] = [[1.0, 0.6], [0.4, -0.9], [0.9, -0.2]];

fn line(s: &ObservationScore) -> String {
    let r = s.resimulation.expect("the arm has a forward map");
    let spreads: Vec<String> = s
        .coordinates
        .iter()
        .map(|c| format!("{:.2}", c.spread_ratio))
        .collect();
    let misses = OBSERVATION_BAR.misses(s);
    format!(
        "y* ({:+.3}, {:+.3})  MMD² {:.4} (floor {:.4})  resim median {:.4} p90 {:.4}  spreads [{}]  {}",
        s.y_star[0],
        s.y_star[1],
        s.mmd2,
        s.mmd2_floor,
        r.median,
        r.p90,
        spreads.join(", "),
        if misses.is_empty() { "ok".to_string() } else { misses.join("; ") }
    )
}

fn main() {
    let mut seeds = vec![1u64, 2, 3];
    let mut tune = false;
    let mut state = PageState::for_preset(Preset::Arm, LabelMap::Some, 1);
    for a in std::env::args().skip(1) {
        let (k, v) = a.split_once('=').expect("arguments are key=value");
        match k {
            "seeds" => seeds = v.split(',').map(|s| s.parse().expect("a seed")).collect(),
            "tune" => tune = v == "1",
            _ => set_setting(&mut state, k, v).expect("a setting"),
        }
    }
    for seed in seeds {
        let mut c = state.config.clone();
        c.seed = seed;
        let mut t: Trainer = Trainer::new(&c).expect("a valid configuration");
        let start = Instant::now();
        // The time of each quarter of the run, to see whether steps slow
        // down as training goes on.
        let mut quarters = Vec::new();
        let mut last = 0.0;
        let mut losses = Default::default();
        for i in 0..c.steps {
            losses = t.step().expect("finite losses").losses;
            if (i + 1) % c.steps.div_ceil(4) == 0 || i + 1 == c.steps {
                let now = start.elapsed().as_secs_f64();
                quarters.push(format!("{:.1}", now - last));
                last = now;
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "seed {seed}: {} steps in {secs:.1} s ({:.0} steps/s; quarters {} s); last step's losses {:?}",
            c.steps,
            c.steps as f64 / secs,
            quarters.join(" "),
            losses
        );
        let typical = if tune {
            let p = t.problem();
            let mut rng = Rng::new(77_000 + seed);
            let (mut x, mut y) = (vec![0.0; 4], vec![0.0; 2]);
            (0..5)
                .map(|_| {
                    p.simulate(&mut rng, &mut x, &mut y);
                    y.clone()
                })
                .collect()
        } else {
            targets(t.problem())
        };
        let all = typical
            .iter()
            .cloned()
            .chain(RARE.iter().map(|y| y.to_vec()));
        for (i, y) in all.enumerate() {
            let s = evaluate_observation(
                &mut t,
                &y,
                SAMPLES_PER_TARGET,
                score_seed(seed).wrapping_add(i as u64),
                SampleNoise::default(),
            )
            .expect("a reachable target");
            let tag = if i < typical.len() { "typical" } else { "rare" };
            println!("  {tag:7} {}", line(&s));
        }
    }
}
