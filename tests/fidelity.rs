//! The `fast` preset against the exact posterior: real training, fixed
//! seeds, and the one fidelity verdict (`fidelity::verdict`) for EVERY
//! label: at least 93% in a correct mode, at most 1% in a wrong one, mass
//! error at most 0.03, each mode's width 0.8-1.25 times the exact one,
//! centre within 0.08, MMD^2 at most 0.005 above its noise floor. Each case
//! runs twice: in the host's arithmetic and in the page's. Seeds 1-3 were
//! among those the preset was tuned on (1-9), and each must clear the bar;
//! 40 and 41 were not, and of those runs at least three in four must (the
//! bench measures the rate on seeds 101-120).

use inn_playground::fidelity::{verdict, Verdict};
use inn_playground::linalg::with_browser_arithmetic;
use inn_playground::{LabelMap, Preset, Trainer};

/// The same, in the page's arithmetic: the runs the browser makes for
/// these seeds (the host's own kernels round differently, and a run is
/// chaotic enough that the two are different runs).
fn trains_to_the_bar_in_the_page(labels: LabelMap, seed: u64) {
    with_browser_arithmetic(|| trains_to_the_bar(labels, seed));
}

fn trains_to_the_bar(labels: LabelMap, seed: u64) {
    let v = judged(labels, seed);
    assert!(v.passes, "{labels:?} seed {seed}: {:?}", v.failures());
}

/// The verdict on `fast` after its schedule, each label's scores printed.
fn judged(labels: LabelMap, seed: u64) -> Verdict {
    let config = Preset::Fast.config(labels, seed);
    let mut t: Trainer = Trainer::new(&config).unwrap();
    for _ in 0..config.steps {
        t.step().unwrap();
    }
    let v = verdict(&mut t, seed);
    for l in &v.labels {
        let s = &l.score;
        println!(
            "{labels:?} seed {seed} label {}: in {:.3} wrong {:.3} mass error {:.3} spreads {:?} offsets {:?} mmd2 {:.2e} (floor {:.2e})",
            s.label,
            s.in_correct,
            s.in_wrong,
            s.max_mass_error,
            s.modes.iter().map(|m| (m.spread_ratio * 100.0).round() / 100.0).collect::<Vec<_>>(),
            s.modes.iter().map(|m| (m.centre_offset * 1000.0).round() / 1000.0).collect::<Vec<_>>(),
            s.mmd2.unwrap_or(f64::NAN),
            s.mmd2_floor.unwrap_or(f64::NAN),
        );
    }
    v
}

#[test]
fn some_seed_1() {
    trains_to_the_bar(LabelMap::Some, 1);
}

#[test]
fn some_seed_2() {
    trains_to_the_bar(LabelMap::Some, 2);
}

#[test]
fn some_seed_3() {
    trains_to_the_bar(LabelMap::Some, 3);
}

#[test]
fn all_seed_1() {
    trains_to_the_bar(LabelMap::All, 1);
}

#[test]
fn all_seed_2() {
    trains_to_the_bar(LabelMap::All, 2);
}

#[test]
fn all_seed_3() {
    trains_to_the_bar(LabelMap::All, 3);
}

#[test]
fn some_seed_1_in_the_page() {
    trains_to_the_bar_in_the_page(LabelMap::Some, 1);
}

#[test]
fn some_seed_2_in_the_page() {
    trains_to_the_bar_in_the_page(LabelMap::Some, 2);
}

#[test]
fn some_seed_3_in_the_page() {
    trains_to_the_bar_in_the_page(LabelMap::Some, 3);
}

#[test]
fn all_seed_1_in_the_page() {
    trains_to_the_bar_in_the_page(LabelMap::All, 1);
}

#[test]
fn all_seed_2_in_the_page() {
    trains_to_the_bar_in_the_page(LabelMap::All, 2);
}

#[test]
fn all_seed_3_in_the_page() {
    trains_to_the_bar_in_the_page(LabelMap::All, 3);
}

/// Seeds 40 and 41 on both label maps: at least three of the four runs
/// clear the bar whole.
fn held_out_runs_mostly_clear_the_bar() {
    let runs = [
        (LabelMap::Some, 40),
        (LabelMap::Some, 41),
        (LabelMap::All, 40),
        (LabelMap::All, 41),
    ];
    let failures: Vec<String> = runs
        .iter()
        .filter_map(|&(labels, seed)| {
            let v = judged(labels, seed);
            (!v.passes).then(|| format!("{labels:?} seed {seed}: {:?}", v.failures()))
        })
        .collect();
    assert!(failures.len() <= 1, "{failures:?}");
}

#[test]
fn held_out_seeds() {
    held_out_runs_mostly_clear_the_bar();
}

#[test]
fn held_out_seeds_in_the_page() {
    with_browser_arithmetic(held_out_runs_mostly_clear_the_bar);
}
