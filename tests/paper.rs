//! The paper's configuration, trained for real and scored against the exact
//! posterior. Slow (minutes on two cores), so ignored by default:
//! `cargo test --release --test paper -- --ignored --nocapture`.

use inn_playground::fidelity::verdict;
use inn_playground::{LabelMap, Preset, Trainer};

/// Scores every label; returns the share of samples in a correct mode
/// over all labels (each weighted by its probability: the share of a
/// sample drawn for a y from the data) and the lowest share of one label.
fn report(t: &mut Trainer, what: &str) -> (f64, f64) {
    let seed = t.config().seed;
    let v = verdict(t, seed);
    let mut worst: f64 = 1.0;
    let mut overall = 0.0;
    for l in &v.labels {
        let s = &l.score;
        println!(
            "{what} label {}: in {:.3} wrong {:.3} mass error {:.3} spreads {:?} mmd2 {:.2e} (floor {:.2e}); bar: {:?}",
            s.label,
            s.in_correct,
            s.in_wrong,
            s.max_mass_error,
            s.modes.iter().map(|m| (m.spread_ratio * 100.0).round() / 100.0).collect::<Vec<_>>(),
            s.mmd2.unwrap_or(f64::NAN),
            s.mmd2_floor.unwrap_or(f64::NAN),
            l.misses
        );
        worst = worst.min(s.in_correct);
        overall += t.problem().label_probability(s.label) * s.in_correct;
    }
    println!(
        "{what}: {overall:.3} of all samples in a correct mode, {worst:.3} of the worst label's"
    );
    (overall, worst)
}

#[test]
#[ignore = "trains the paper's configuration for 2000 steps (minutes)"]
fn paper_preset_after_400_and_2000_steps() {
    let mut t: Trainer = Trainer::new(&Preset::Paper.config(LabelMap::Some, 1)).unwrap();
    for _ in 0..400 {
        t.step().unwrap();
    }
    report(&mut t, "paper, 400 steps");
    for _ in 400..2000 {
        t.step().unwrap();
    }
    let (overall, worst) = report(&mut t, "paper, 2000 steps");
    // The reference figures for this configuration (PyTorch + FrEIA: 89%
    // after its 400 steps, about 95% after 1300) are shares of all
    // samples; the worst label's share is reported beside it.
    assert!(
        overall >= 0.95,
        "the paper's configuration should pass 95% in-mode after 2000 steps (worst label {worst:.3})"
    );
}
