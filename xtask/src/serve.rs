//! A small static file server for the page: loopback only, correct MIME
//! types (application/wasm included), the page's Content-Security-Policy
//! sent as a header too, and the two headers that isolate the page across
//! origins, so that its workers may share memory.

use crate::{build, flag, root};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// The policy the page also sets in its meta tag. Scripts only from this
/// origin (plus wasm compilation); style attributes are allowed because
/// plotters measures text with a styled element; no inline script, no eval.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; \
connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; style-src-attr 'unsafe-inline'; object-src 'none'; base-uri 'none'; \
form-action 'none'; frame-ancestors 'none'";

/// Cross-origin isolation (`crossOriginIsolated` in the page): with it the
/// two training workers hand each step over through shared memory instead
/// of messages (www/js/shared-steps.js). Every resource of the page is
/// same-origin, so `require-corp` blocks nothing it loads.
const ISOLATION: [(&str, &str); 2] = [
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Embedder-Policy", "require-corp"),
];

/// [`ISOLATION`] as response header lines.
fn isolation_header_lines() -> String {
    ISOLATION
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect()
}

/// [`ISOLATION`] in the `_headers` format of static hosts, for every path.
pub fn isolation_headers_file() -> String {
    let lines: String = ISOLATION
        .iter()
        .map(|(name, value)| format!("  {name}: {value}\n"))
        .collect();
    format!("/*\n{lines}")
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// Maps a request path to a file under `site`, refusing anything that
/// leaves it.
fn resolve(site: &Path, url_path: &str) -> Option<PathBuf> {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    let rel = Path::new(path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let full = site.join(rel);
    let full = if full.is_dir() {
        full.join("index.html")
    } else {
        full
    };
    full.is_file().then_some(full)
}

fn respond(stream: &mut TcpStream, site: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let (status, body, kind) = match (method, resolve(site, target)) {
        ("GET" | "HEAD", Some(file)) => ("200 OK", std::fs::read(&file)?, mime(&file)),
        ("GET" | "HEAD", None) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        _ => (
            "405 Method Not Allowed",
            b"method not allowed".to_vec(),
            "text/plain",
        ),
    };
    let isolation = isolation_header_lines();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nContent-Security-Policy: {CSP}\r\n\
{isolation}X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// Serves `site` on `listener` until the process ends.
pub fn serve_forever(listener: TcpListener, site: PathBuf) {
    for stream in listener.incoming().flatten() {
        let site = site.clone();
        std::thread::spawn(move || {
            let mut stream = stream;
            let _ = respond(&mut stream, &site);
        });
    }
}

/// Starts serving `site` on a free loopback port in the background;
/// returns the base URL.
pub fn serve_in_background(site: PathBuf) -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    std::thread::spawn(move || serve_forever(listener, site));
    Ok(url)
}

/// `cargo xtask serve [--port N] [--no-minify] [--selftest]`; `--selftest`
/// adds what the browser tests and the bench load besides the page (see
/// [`build::add_selftest`]).
pub fn run(args: &[String]) -> Result<(), String> {
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--port" => {
                rest.next();
            }
            "--no-minify" | "--selftest" => {}
            other => {
                return Err(format!(
                    "serve: unknown argument '{other}'\n{}",
                    crate::USAGE
                ))
            }
        }
    }
    let port: u16 = match flag(args, "--port") {
        Some(p) => p
            .parse()
            .map_err(|_| format!("--port must be a port number, got '{p}'"))?,
        None => 8000,
    };
    let minify = if args.iter().any(|a| a == "--no-minify") {
        build::Minify::No
    } else {
        build::Minify::Yes
    };
    let site = root().join("target/site");
    let gz = build::build_site(&site, minify)?;
    if args.iter().any(|a| a == "--selftest") {
        build::add_selftest(&site)?;
    }
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try --port)"))?;
    println!("page built ({:.1} KB gzipped)", gz as f64 / 1024.0);
    println!("serving INN Playground at http://127.0.0.1:{port}/  (Ctrl-C stops)");
    serve_forever(listener, site);
    Ok(())
}
