//! Builds the page: the wasm module (release, simd128 from
//! .cargo/config.toml), its JS glue from the pinned wasm-bindgen, the
//! module through wasm-opt, and the static files of www/, minified (see
//! [`crate::minify`]).

use crate::{flag, root};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a command, failing with its name when it fails.
pub fn run_cmd(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

/// The cargo that runs us.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// Whether [`build_site`] minifies the page's JavaScript and CSS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Minify {
    /// Ship minified files (the default, the tests and `dist`).
    Yes,
    /// Ship the sources as written, for reading them in a debugger.
    No,
}

/// Builds the page into `out` (emptied first) and returns its files' total
/// gzipped size in bytes. If any step fails, `out` is removed, so that no
/// half-built or half-minified page is left to be served or deployed.
pub fn build_site(out: &Path, minify: Minify) -> Result<u64, String> {
    let built = build_site_into(out, minify);
    if built.is_err() && out.exists() {
        let _ = fs::remove_dir_all(out);
    }
    built
}

fn build_site_into(out: &Path, minify: Minify) -> Result<u64, String> {
    let root = root();
    if out.exists() {
        fs::remove_dir_all(out).map_err(|e| format!("cannot empty {}: {e}", out.display()))?;
    }
    let wasm = build_wasm(&[])?;
    copy_dir(&root.join("www"), out)?;
    bindgen(&wasm, &out.join("pkg"))?;
    if minify == Minify::Yes {
        crate::minify::minify_site_reporting(out)?;
    }
    gzip_size(out)
}

/// Adds to a built page what the browser tests and the bench load and the
/// page does not ship: under `selftest/`, a second module built with the
/// `selftest` feature (the core's checks as compiled to wasm), and the
/// bench's worker (tests/e2e/bench-worker.js) beside the page's workers.
pub fn add_selftest(site: &Path) -> Result<(), String> {
    let wasm = build_wasm(&["selftest"])?;
    bindgen(&wasm, &site.join("selftest"))?;
    let worker = root().join("tests/e2e/bench-worker.js");
    fs::copy(&worker, site.join("js/bench-worker.js"))
        .map_err(|e| format!("cannot copy {}: {e}", worker.display()))?;
    Ok(())
}

/// Builds the library for wasm32 (release, simd128) with `features`;
/// returns the module's path.
fn build_wasm(features: &[&str]) -> Result<PathBuf, String> {
    crate::setup::wasm_target()?;
    eprintln!(
        "building wasm (release, simd128, features [{}])...",
        features.join(",")
    );
    let mut cmd = cargo();
    cmd.args([
        "build",
        "--release",
        "--lib",
        "-p",
        "inn-playground",
        "--target",
        "wasm32-unknown-unknown",
    ]);
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    run_cmd(&mut cmd)?;
    Ok(root().join("target/wasm32-unknown-unknown/release/inn_playground.wasm"))
}

/// Writes `wasm` and its JS glue from the pinned wasm-bindgen into `dir`.
fn bindgen(wasm: &Path, dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    eprintln!("generating JS glue (wasm-bindgen 0.2.130)...");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .web(true)
        .map_err(|e| e.to_string())?
        .typescript(false)
        .omit_default_module_path(false)
        // Function names for debuggers are a tenth of the download; a
        // panic's message (file, line, reason) does not need them.
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(dir)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;
    optimise(&dir.join("inn_playground_bg.wasm"))
}

/// The features the module uses, which wasm-opt must be told of.
const WASM_FEATURES: [&str; 7] = [
    "--enable-simd",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
    "--enable-reference-types",
];

/// Runs `wasm-opt -O3` on `module` in place: a module some 4 KB (gzipped)
/// smaller and no slower (-Oz would shave a little more, at speed's cost).
fn optimise(module: &Path) -> Result<(), String> {
    let wasm_opt = crate::setup::wasm_opt()?;
    eprintln!("optimising the module (wasm-opt -O3)...");
    run_cmd(
        Command::new("node")
            .arg(&wasm_opt)
            .arg("-O3")
            .args(WASM_FEATURES)
            .arg(module)
            .arg("-o")
            .arg(module),
    )
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Every file under `dir`.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.path().is_dir() {
                out.extend(files(&e.path()));
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// Total size of the files under `dir`, each gzipped at the best level
/// (what a static host sends with compression on).
pub fn gzip_size(dir: &Path) -> Result<u64, String> {
    let mut total = 0;
    for f in files(dir) {
        let bytes = fs::read(&f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
        total += gzip_len(&bytes);
    }
    Ok(total)
}

/// Length of `bytes` gzipped at the best level.
pub fn gzip_len(bytes: &[u8]) -> u64 {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    enc.write_all(bytes).expect("gzip into memory");
    enc.finish().expect("gzip into memory").len() as u64
}

/// `cargo xtask dist [--out DIR]`.
pub fn dist(args: &[String]) -> Result<(), String> {
    let out = flag(args, "--out")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("dist"));
    let gz = build_site(&out, Minify::Yes)?;
    // Hosts that read a `_headers` file (Netlify, Cloudflare Pages) then
    // isolate the page as `cargo xtask serve` does.
    fs::write(out.join("_headers"), crate::serve::isolation_headers_file())
        .map_err(|e| format!("cannot write {}: {e}", out.join("_headers").display()))?;
    for f in files(&out) {
        let size = fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
        println!(
            "{:>9} B  {}",
            size,
            f.strip_prefix(&out).unwrap_or(&f).display()
        );
    }
    println!(
        "page written to {} ({:.1} KB gzipped in total)",
        out.display(),
        gz as f64 / 1024.0
    );
    Ok(())
}
