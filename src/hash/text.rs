//! Splitting a hash into pairs, and quoting untrusted text in notices.

use crate::config::{setting, MAX_VALUE_LEN};

/// At most this many `key=value` pairs are read.
pub const MAX_PAIRS: usize = 64;

/// A short, printable excerpt of untrusted text for a notice.
pub(super) fn excerpt(s: &str) -> String {
    // No control characters, and no bidirectional overrides that could make
    // a notice read differently from what the link holds.
    let shown = |c: &char| {
        !c.is_control() && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    let clean: String = s.chars().filter(shown).take(24).collect();
    if clean.chars().count() < s.chars().count() {
        format!("{clean}...")
    } else {
        clean
    }
}

/// Percent-decodes `s` (`+` stays `+`); malformed escapes stay literal.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The decoded `key=value` pairs of a hash (without its `#`), the first of
/// each key only; what was dropped is said in `notices`.
pub(super) fn pairs(hash: &str, notices: &mut Vec<String>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (i, part) in hash.split('&').enumerate() {
        if i >= MAX_PAIRS {
            notices.push(format!(
                "the link has more than {MAX_PAIRS} settings; the rest were ignored"
            ));
            break;
        }
        if part.is_empty() {
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        // Keys are short: anything long is not one of ours.
        let k = if k.len() > 64 {
            k[..k.floor_char_boundary(64)].to_string()
        } else {
            percent_decode(k)
        };
        // Room for every byte percent-encoded (a mode list's `;` and `,`);
        // the page's prompt and hidden controls have caps of their own.
        let cap = super::page_keys::value_cap(&k)
            .unwrap_or_else(|| 4 * setting(&k).map_or(MAX_VALUE_LEN, |s| s.kind.max_len()));
        let v = if v.len() > cap {
            v[..v.floor_char_boundary(cap)].to_string() + "\u{2026}"
        } else {
            percent_decode(v)
        };
        if pairs.iter().any(|(seen, _)| *seen == k) {
            notices.push(format!(
                "{} was given more than once; the first value was used",
                excerpt(&k)
            ));
            continue;
        }
        pairs.push((k, v));
    }
    pairs
}
