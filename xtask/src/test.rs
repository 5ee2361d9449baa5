//! `cargo xtask test`: the dependency checks, the native tests, then the
//! wasm build's tests and the end-to-end tests, both in headless Chromium
//! against the built page.

use crate::build::{add_selftest, build_site, cargo, run_cmd, Minify};
use crate::{root, serve, setup};
use std::process::Command;

/// Runs every test; fails on the first suite that fails.
pub fn run(_args: &[String]) -> Result<(), String> {
    let chromium = setup::chromium()?;
    let e2e = setup::node_packages()?;

    eprintln!("== dependencies: licenses, bans, sources ==");
    setup::cargo_deny()?;
    run_cmd(cargo().args(["deny", "check", "licenses", "bans", "sources"]))?;

    eprintln!("== native tests ==");
    run_cmd(cargo().args(["test", "--workspace"]))?;

    eprintln!("== building the page ==");
    let site = root().join("target/site-test");
    build_site(&site, Minify::Yes)?;
    add_selftest(&site)?;
    let url = serve::serve_in_background(site)?;

    eprintln!(
        "== wasm and end-to-end tests in headless Chromium ({}) ==",
        chromium.display()
    );
    run_cmd(
        Command::new("node")
            .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
            .current_dir(&e2e)
            .env("BASE_URL", &url)
            .env("INN_BIN", root().join("target/debug/inn"))
            .env("CHROMIUM", &chromium),
    )
}
