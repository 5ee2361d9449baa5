//! A reader of JSON text (RFC 8259) into a small tree, for model files.
//! Numbers are read by the settings' own correctly rounded decimal parser,
//! so that the page's module carries one float parser, not two.

use crate::config::decimal::parse_f64;
use std::fmt;

/// Deepest nesting read; deeper documents are refused rather than
/// overflowing the stack.
const MAX_DEPTH: usize = 128;

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A finite number, and its value as a whole number if its text is one
    /// (digits alone, within `u64`).
    Num {
        x: f64,
        int: Option<u64>,
    },
    Str(String),
    Arr(Vec<Json>),
    /// The members in the order written (keys are unique).
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num { x, .. } => Some(*x),
            _ => None,
        }
    }

    /// The whole number, if this is one written as digits alone.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Num { int, .. } => *int,
            _ => None,
        }
    }

    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(items) => Some(items),
            _ => None,
        }
    }
}

/// What a value is, for errors: `null`, `true`, a number's value, a
/// string in quotes, "an array" or "an object".
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Num { x, .. } => write!(f, "{x}"),
            Json::Str(s) => write!(f, "\"{s}\""),
            Json::Arr(_) => f.write_str("an array"),
            Json::Obj(_) => f.write_str("an object"),
        }
    }
}

/// Why a text is not JSON, and where (1-based line and column).
#[derive(Clone, Debug, PartialEq)]
pub struct JsonError {
    /// The text ended inside a value.
    pub eof: bool,
    pub what: &'static str,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.what, self.line, self.column
        )
    }
}

/// Reads `text` as one JSON value, with nothing but whitespace after it.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut r = Reader {
        b: text.as_bytes(),
        i: 0,
    };
    let v = r.value(0)?;
    r.space();
    if r.i < r.b.len() {
        return Err(r.fail("trailing characters"));
    }
    Ok(v)
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn fail(&self, what: &'static str) -> JsonError {
        let before = &self.b[..self.i.min(self.b.len())];
        let line = 1 + before.iter().filter(|&&c| c == b'\n').count();
        let start = before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        // Columns count characters, not bytes.
        let column = 1 + before[start..]
            .iter()
            .filter(|&&c| c & 0xC0 != 0x80)
            .count();
        JsonError {
            eof: self.i >= self.b.len(),
            what: if self.i >= self.b.len() {
                "unexpected end"
            } else {
                what
            },
            line,
            column,
        }
    }

    fn space(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.b.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.space();
        match self.b.get(self.i) {
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => Err(self.fail("nested too deeply")),
            Some(b'{') => self.object(depth),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat(b']') {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if self.eat(b']') {
                        return Ok(Json::Arr(items));
                    }
                    if !self.eat(b',') {
                        return Err(self.fail("expected ',' or ']'"));
                    }
                }
            }
            Some(b'"') => self.string().map(Json::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => {
                for (word, v) in [
                    ("null", Json::Null),
                    ("true", Json::Bool(true)),
                    ("false", Json::Bool(false)),
                ] {
                    let rest = &self.b[self.i..];
                    if rest.starts_with(word.as_bytes()) {
                        self.i += word.len();
                        return Ok(v);
                    }
                    if !rest.is_empty() && word.as_bytes().starts_with(rest) {
                        // A word cut short by the end of the text.
                        self.i = self.b.len();
                        break;
                    }
                }
                Err(self.fail("expected a value"))
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.i += 1;
        let mut members: Vec<(String, Json)> = Vec::new();
        self.space();
        if self.eat(b'}') {
            return Ok(Json::Obj(members));
        }
        loop {
            self.space();
            if self.b.get(self.i) != Some(&b'"') {
                return Err(self.fail("expected a key in quotes"));
            }
            let at = self.i;
            let key = self.string()?;
            if members.iter().any(|(k, _)| *k == key) {
                self.i = at;
                return Err(self.fail("duplicate key"));
            }
            self.space();
            if !self.eat(b':') {
                return Err(self.fail("expected ':'"));
            }
            let v = self.value(depth + 1)?;
            members.push((key, v));
            self.space();
            if self.eat(b'}') {
                return Ok(Json::Obj(members));
            }
            if !self.eat(b',') {
                return Err(self.fail("expected ',' or '}'"));
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.b.get(self.i), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.i;
        let negative = self.eat(b'-');
        let first = self.b.get(self.i).copied();
        let whole = self.digits();
        if whole == 0 {
            return Err(self.fail("expected a digit"));
        }
        if first == Some(b'0') && whole > 1 {
            self.i = start;
            return Err(self.fail("leading zeros"));
        }
        let mut plain = !negative;
        if self.eat(b'.') {
            plain = false;
            if self.digits() == 0 {
                return Err(self.fail("expected a digit"));
            }
        }
        if self.eat(b'e') || self.eat(b'E') {
            plain = false;
            let _ = self.eat(b'+') || self.eat(b'-');
            if self.digits() == 0 {
                return Err(self.fail("expected a digit"));
            }
        }
        // The text is ASCII digits and signs by construction.
        let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or_default();
        let x = parse_f64(text).filter(|x| x.is_finite());
        let Some(x) = x else {
            self.i = start;
            return Err(self.fail("number out of range"));
        };
        let int = if plain { text.parse().ok() } else { None };
        Ok(Json::Num { x, int })
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0;
        for _ in 0..4 {
            let d = match self.b.get(self.i) {
                Some(c) => (*c as char).to_digit(16),
                None => None,
            };
            let Some(d) = d else {
                return Err(self.fail("expected four hex digits"));
            };
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return Err(self.fail("unterminated string"));
            };
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.b.get(self.i) else {
                        return Err(self.fail("unterminated string"));
                    };
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.escaped_char()?,
                        _ => {
                            self.i -= 1;
                            return Err(self.fail("invalid escape"));
                        }
                    };
                    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                }
                0..=0x1F => {
                    self.i -= 1;
                    return Err(self.fail("control character in a string"));
                }
                _ => out.push(c),
            }
        }
        // The input is a &str and escapes are pushed as UTF-8.
        String::from_utf8(out).map_err(|_| self.fail("invalid UTF-8"))
    }

    /// The character of a `\u` escape (a surrogate pair takes two).
    fn escaped_char(&mut self) -> Result<char, JsonError> {
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if !(self.eat(b'\\') && self.eat(b'u')) {
                return Err(self.fail("lone surrogate in a string"));
            }
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(self.fail("lone surrogate in a string"));
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code).ok_or_else(|| self.fail("lone surrogate in a string"))
    }
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
