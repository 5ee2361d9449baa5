//! Installs what the tests need on a fresh machine, or stops with a message
//! naming what to install. Browser tests are never skipped silently.

use crate::build::run_cmd;
use crate::root;
use std::path::PathBuf;
use std::process::Command;

fn works(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The wasm32 target of the active toolchain.
pub fn wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if !installed {
        eprintln!("installing the wasm32-unknown-unknown target...");
        run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"])).map_err(
            |e| format!("{e}; install it with: rustup target add wasm32-unknown-unknown"),
        )?;
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Path of a Chromium binary; installs Debian's package when it can.
pub fn chromium() -> Result<PathBuf, String> {
    let candidates = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ];
    if let Ok(p) = std::env::var("CHROMIUM") {
        return Ok(PathBuf::from(p));
    }
    let found = || candidates.iter().map(PathBuf::from).find(|p| p.exists());
    if let Some(p) = found() {
        return Ok(p);
    }
    if is_root() && works("apt-get", "--version") {
        eprintln!("installing Chromium from the distribution's packages...");
        run_cmd(Command::new("apt-get").arg("update"))?;
        run_cmd(
            Command::new("apt-get")
                .args(["install", "-y", "--no-install-recommends", "chromium"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
    }
    found().ok_or_else(|| {
        "the browser tests need Chromium and none was found: install it (Debian/Ubuntu: \
         apt-get install chromium) or set CHROMIUM=/path/to/chromium"
            .to_string()
    })
}

/// The end-to-end tests' node packages, from the committed lock file.
pub fn node_packages() -> Result<PathBuf, String> {
    if !works("node", "--version") || !works("npm", "--version") {
        return Err("the end-to-end tests need Node.js 18+ and npm: install them (Debian: apt-get install nodejs npm)".into());
    }
    let dir = root().join("tests/e2e");
    if !dir.join("node_modules/playwright-core").exists() {
        eprintln!("installing the end-to-end test packages (npm ci)...");
        run_cmd(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
        )?;
    }
    Ok(dir)
}

/// binaryen's `wasm-opt` (npm's build, pinned in xtask/node: the Debian
/// package's older one breaks wasm-bindgen's output), installed from the
/// committed lock file when missing.
pub fn wasm_opt() -> Result<PathBuf, String> {
    let dir = root().join("xtask/node");
    let bin = dir.join("node_modules/binaryen/bin/wasm-opt");
    if !bin.exists() {
        if !works("node", "--version") || !works("npm", "--version") {
            return Err("building the page needs Node.js 18+ and npm (for wasm-opt): install them (Debian: apt-get install nodejs npm)".into());
        }
        eprintln!("installing the build's wasm-opt (npm ci in xtask/node)...");
        run_cmd(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
        )?;
    }
    Ok(bin)
}

/// `cargo deny`, installed from crates.io when missing (a few minutes, once).
pub fn cargo_deny() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["deny", "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !present {
        eprintln!("installing cargo-deny (cargo install cargo-deny --locked)...");
        run_cmd(Command::new("cargo").args(["install", "cargo-deny", "--locked"]))
            .map_err(|e| format!("{e}; install it with: cargo install cargo-deny --locked"))?;
    }
    Ok(())
}
