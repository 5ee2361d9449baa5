//! Makes the built page's text smaller before it ships: every JavaScript
//! file (the page's modules, its module workers and the wasm-bindgen glue)
//! through [`crate::js_min`], the stylesheets through [`crate::css_min`].
//! index.html is left as written: it has no comments, collapsing its
//! indentation saves next to nothing once gzipped, and some of its elements
//! keep their text's white space (`white-space: pre-wrap`).

use crate::build::{files, gzip_len};
use crate::{css_min, js_min};
use std::fs;
use std::path::Path;
use std::time::Instant;

/// The kinds of file minified, each with its own line in the report.
const KINDS: [&str; 3] = ["page JS", "wasm-bindgen glue", "CSS"];

/// What minifying one kind of file saved.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Saving {
    /// Which kind (one of [`KINDS`]).
    pub kind: &'static str,
    /// How many files of that kind.
    pub files: usize,
    /// Their gzipped size before, in bytes.
    pub before_gz: u64,
    /// Their gzipped size after, in bytes.
    pub after_gz: u64,
}

impl std::fmt::Display for Saving {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} file{}): {:.1} -> {:.1} KB gzipped",
            self.kind,
            self.files,
            if self.files == 1 { "" } else { "s" },
            self.before_gz as f64 / 1024.0,
            self.after_gz as f64 / 1024.0
        )
    }
}

/// The kind of `rel` (a path inside the site), and how to minify it.
type Shrink = fn(&str) -> Result<String, String>;
fn kind_of(rel: &Path) -> Option<(usize, Shrink)> {
    match rel.extension().and_then(|e| e.to_str()) {
        Some("js") if rel.starts_with("pkg") => Some((1, js_min::minify)),
        Some("js") => Some((0, js_min::minify)),
        Some("css") => Some((2, css_min::strip)),
        _ => None,
    }
}

/// Minifies, in place, every JavaScript and CSS file under `site`. Fails on
/// the first file that cannot be minified, naming it.
pub fn minify_site(site: &Path) -> Result<Vec<Saving>, String> {
    let mut savings: Vec<Saving> = KINDS
        .iter()
        .map(|&kind| Saving {
            kind,
            ..Saving::default()
        })
        .collect();
    for file in files(site) {
        let rel = file.strip_prefix(site).unwrap_or(&file);
        let Some((kind, shrink)) = kind_of(rel) else {
            continue;
        };
        let text = fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        // A minifier's panic (its own bug) must still name the file.
        let small = std::panic::catch_unwind(|| shrink(&text))
            .unwrap_or_else(|_| Err("the minifier panicked".into()))
            .map_err(|e| format!("cannot minify {}: {e}", rel.display()))?;
        fs::write(&file, &small).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        let saving = &mut savings[kind];
        saving.files += 1;
        saving.before_gz += gzip_len(text.as_bytes());
        saving.after_gz += gzip_len(small.as_bytes());
    }
    Ok(savings)
}

/// [`minify_site`], printing what it saved and how long it took.
pub fn minify_site_reporting(site: &Path) -> Result<(), String> {
    let start = Instant::now();
    let savings = minify_site(site)?;
    let elapsed = start.elapsed().as_millis();
    eprintln!("minified in {elapsed} ms:");
    for saving in savings.iter().filter(|s| s.files > 0) {
        eprintln!("  {saving}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-minify-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("pkg")).unwrap();
        fs::create_dir_all(dir.join("js")).unwrap();
        dir
    }

    #[test]
    fn minifies_each_kind_and_leaves_the_rest() {
        let dir = scratch("kinds");
        let js = "// page\nexport function longName(argument) { return argument * 2; }\n";
        fs::write(dir.join("js/a.js"), js).unwrap();
        fs::write(dir.join("pkg/glue.js"), js).unwrap();
        fs::write(dir.join("style.css"), "/* s */\nbody { margin: 0; }\n").unwrap();
        let html = "<!doctype html>\n<p>  kept  </p>\n";
        fs::write(dir.join("index.html"), html).unwrap();
        let savings = minify_site(&dir).unwrap();
        assert_eq!(
            savings.iter().map(|s| s.files).collect::<Vec<_>>(),
            [1, 1, 1]
        );
        let small = fs::read_to_string(dir.join("js/a.js")).unwrap();
        assert!(
            small.contains("longName") && !small.contains("argument"),
            "{small}"
        );
        assert_eq!(fs::read_to_string(dir.join("pkg/glue.js")).unwrap(), small);
        assert_eq!(
            fs::read_to_string(dir.join("style.css")).unwrap(),
            "body{margin:0}"
        );
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), html);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_that_does_not_parse_fails_by_name() {
        let dir = scratch("broken");
        fs::write(dir.join("js/ok.js"), "export const a = 1;\n").unwrap();
        fs::write(dir.join("js/broken.js"), "export const = ;\n").unwrap();
        let err = minify_site(&dir).unwrap_err();
        assert!(err.starts_with("cannot minify js/broken.js: "), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
