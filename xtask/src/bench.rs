//! `cargo xtask bench`: speed figures, native and in headless Chromium,
//! printed as tables and written one JSON object per line to
//! `target/bench.jsonl`. Figures live here, never in timed tests.

use crate::build::{build_site, cargo, run_cmd, Minify};
use crate::{root, serve, setup};
use std::process::Command;

/// Runs the native and the browser benchmarks; `--soak N` also trains N
/// steps in the browser and reports the wasm memory before and after.
pub fn run(args: &[String]) -> Result<(), String> {
    let soak: u64 = match crate::flag(args, "--soak") {
        Some(v) => v
            .parse()
            .map_err(|_| format!("--soak takes a number of steps, got '{v}'"))?,
        None => 0,
    };
    let chromium = setup::chromium()?;
    let e2e = setup::node_packages()?;
    let out = root().join("target/bench.jsonl");
    let _ = std::fs::remove_file(&out);
    println!("machine: {} cores, {}", cores(), cpu_model());
    run_cmd(
        cargo()
            .args(["run", "--release", "--example", "bench", "--"])
            .arg(&out),
    )?;
    run_cmd(
        cargo()
            .args(["run", "--release", "--example", "bench_methods", "--"])
            .arg(&out),
    )?;

    let site = root().join("target/site-bench");
    let gz = build_site(&site, Minify::Yes)?;
    crate::build::add_selftest(&site)?;
    println!(
        "page transfer: {gz} bytes gzipped ({:.1} KB)",
        gz as f64 / 1024.0
    );
    std::fs::OpenOptions::new()
        .append(true)
        .open(&out)
        .and_then(|mut f| {
            std::io::Write::write_all(
                &mut f,
                format!("{{\"page_gzip_bytes\": {gz}}}\n").as_bytes(),
            )
        })
        .map_err(|e| e.to_string())?;
    let url = serve::serve_in_background(site)?;
    run_cmd(
        Command::new("node")
            .arg("bench.mjs")
            .current_dir(&e2e)
            .env("BASE_URL", &url)
            .env("CHROMIUM", &chromium)
            .env("BENCH_OUT", &out)
            .env("SOAK_STEPS", soak.to_string()),
    )?;
    println!("figures written to {}", out.display());
    Ok(())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The CPU's model name, clock and widest vector extension. Behind a
/// hypervisor the name can be as vague as "AMD EPYC" while machines of
/// that name differ twofold in speed; the clock and the extensions tell
/// them apart.
fn cpu_model() -> String {
    let Ok(info) = std::fs::read_to_string("/proc/cpuinfo") else {
        return "unknown CPU".into();
    };
    let field = |name: &str| {
        info.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split(':').nth(1))
            .map(|v| v.trim().to_string())
    };
    let model = field("model name").unwrap_or_else(|| "unknown CPU".into());
    let clock = field("cpu MHz").map_or(String::new(), |mhz| format!(", {mhz} MHz"));
    let flags = field("flags").unwrap_or_default();
    let widest = ["avx512f", "avx2", "sse4_2"]
        .into_iter()
        .find(|f| flags.split_whitespace().any(|x| x == *f))
        .map_or(String::new(), |f| format!(", {f}"));
    format!("{model}{clock}{widest}")
}
