//! The INN on the arm in the bench: steps/s of the `arm` preset and its
//! training time to the arm's bar (every target of the verdict), checked
//! every [`ARM_CHECK_EVERY`] steps; the checks are not timed.

use inn_playground::fidelity::verdict;
use inn_playground::{LabelMap, Preset, Trainer};
use std::io::Write;
use std::time::Instant;

/// Steps between two checks of the arm's bar.
const ARM_CHECK_EVERY: u64 = 250;

/// Seconds and steps of training to the bar for `seed` (None if not
/// within the schedule), and the steps/s over the whole run.
fn time_to_bar(seed: u64) -> (Option<(f64, u64)>, f64) {
    let c = Preset::Arm.config(LabelMap::Some, seed);
    let mut t: Trainer = Trainer::new(&c).expect("valid preset");
    let (mut trained, mut found) = (0.0, None);
    for s in 1..=c.steps as u64 {
        let start = Instant::now();
        t.step().expect("finite");
        trained += start.elapsed().as_secs_f64();
        if found.is_none() && (s % ARM_CHECK_EVERY == 0 || s == c.steps as u64) {
            let v = verdict(&mut t, seed);
            if v.passes {
                found = Some((trained, s));
            }
        }
    }
    (found, c.steps as f64 / trained)
}

/// Prints the arm's figures and appends them to `jsonl`.
pub fn report(jsonl: &mut impl Write) {
    println!("arm preset, native (one thread), seeds 1-3:");
    for seed in 1..=3 {
        let (found, rate) = time_to_bar(seed);
        let shown = found.map_or("not within the schedule".to_string(), |(s, k)| {
            format!("{s:.1} s ({k} steps)")
        });
        println!("  seed {seed}: {rate:.1} steps/s; the arm's bar reached after {shown}");
        writeln!(
            jsonl,
            "{{\"config\": \"arm\", \"target\": \"native\", \"seed\": {seed}, \"steps_per_s\": {rate:.2}, \"time_to_fidelity_s\": {}, \"steps_to_fidelity\": {}}}",
            found.map_or("null".to_string(), |(s, _)| format!("{s:.2}")),
            found.map_or("null".to_string(), |(_, k)| k.to_string())
        )
        .expect("write");
    }
}
