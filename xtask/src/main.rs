//! `cargo xtask <command>`: everything a fresh machine needs, from the
//! repository alone.
//!
//! - `serve [--port N] [--no-minify] [--selftest]`: build the page and
//!   serve it on 127.0.0.1; `--no-minify` serves the JavaScript and CSS as
//!   written, `--selftest` adds the browser tests' self-test module.
//! - `dist [--out DIR]`: write the page as static files (default `dist/`),
//!   minified.
//! - `test`: set up what the tests need, then run the native tests, the
//!   wasm tests and the end-to-end tests in headless Chromium.
//! - `bench`: print the speed figures and write `target/bench.jsonl`.

mod bench;
mod build;
mod css_min;
mod js_min;
mod minify;
mod serve;
mod setup;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

/// The repository root (the parent of this crate).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

/// Value of `--name value` in `args`, if given.
pub fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

pub const USAGE: &str = "usage: cargo xtask serve [--port 8000] [--no-minify] [--selftest] | dist [--out dist] | test | bench [--soak STEPS]
  serve: build the page and serve it on 127.0.0.1 (--no-minify: JavaScript and CSS as written, for debugging;
         --selftest: with the browser tests' self-test module)
  dist: write the page, minified, as static files
  test: every test (native, wasm and end-to-end in headless Chromium) against the minified page
  bench: speed figures, written to target/bench.jsonl";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::run(&args[1..]),
        Some("dist") => build::dist(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
