//! `cargo xtask bench`: speed figures, printed and written to
//! `target/bench.jsonl`.

use crate::build::{cargo, run_cmd};

/// Runs the native benchmark.
pub fn run(_args: &[String]) -> Result<(), String> {
    run_cmd(cargo().args(["run", "--release", "--example", "bench"]))
}
