//! Strips a stylesheet of comments and of the whitespace that the CSS
//! grammar ignores. Nothing else changes: strings and escapes are copied as
//! they are, and a space is kept wherever it may separate tokens (a space
//! before `:` is a descendant combinator, as in `a :hover`; spaces inside
//! `calc(1px + 2px)` are required).

/// Characters after which whitespace never matters.
const NO_SPACE_AFTER: &[char] = &['{', '}', ';', ',', ':'];
/// Characters before which whitespace never matters (not `:`, see above).
const NO_SPACE_BEFORE: &[char] = &['{', '}', ';', ','];

/// `css` without comments and insignificant whitespace; an error names an
/// unterminated comment or string by its line.
pub fn strip(css: &str) -> Result<String, String> {
    let mut out = String::with_capacity(css.len());
    // The last character written that whitespace may be dropped after;
    // `None` after an escape or a string, which a space may have to end.
    let mut last: Option<char> = None;
    let mut pending_space = false;
    let mut chars = css.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if c == '/' && chars.peek().map(|&(_, n)| n) == Some('*') {
            chars.next();
            let mut closed = false;
            let mut star = false;
            for (_, n) in chars.by_ref() {
                if star && n == '/' {
                    closed = true;
                    break;
                }
                star = n == '*';
            }
            if !closed {
                return Err(format!("unterminated comment at line {}", line_of(css, at)));
            }
            // `a/**/b` is two tokens: a comment separates like a space.
            pending_space = true;
            continue;
        }
        if pending_space
            && !out.is_empty()
            && !last.is_some_and(|l| NO_SPACE_AFTER.contains(&l))
            && !NO_SPACE_BEFORE.contains(&c)
        {
            out.push(' ');
        }
        pending_space = false;
        match c {
            '"' | '\'' => {
                out.push(c);
                let mut closed = false;
                while let Some((_, n)) = chars.next() {
                    out.push(n);
                    if n == '\\' {
                        if let Some((_, escaped)) = chars.next() {
                            out.push(escaped);
                        }
                    } else if n == c {
                        closed = true;
                        break;
                    } else if n == '\n' {
                        break;
                    }
                }
                if !closed {
                    return Err(format!("unterminated string at line {}", line_of(css, at)));
                }
                last = None;
            }
            '\\' => {
                out.push(c);
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                }
                last = None;
            }
            '}' if last == Some(';') => {
                out.pop();
                out.push(c);
                last = Some(c);
            }
            _ => {
                out.push(c);
                last = Some(c);
            }
        }
    }
    Ok(out)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::strip;

    #[test]
    fn drops_comments_and_layout() {
        let css = "/* colours */\n:root { --fg: #1a1a1a; }\n\nbody {\n  margin: 0 auto;\n  font: 15px/1.45 system-ui, \"Segoe UI\";\n}\n";
        assert_eq!(
            strip(css).unwrap(),
            ":root{--fg:#1a1a1a}body{margin:0 auto;font:15px/1.45 system-ui,\"Segoe UI\"}"
        );
    }

    #[test]
    fn keeps_the_spaces_that_separate_tokens() {
        // A descendant's pseudo-class, calc's operators, a comment between
        // two words, the space after an escape.
        assert_eq!(strip("a :hover{}").unwrap(), "a :hover{}");
        assert_eq!(
            strip("p{width:calc(100% - 2px)}").unwrap(),
            "p{width:calc(100% - 2px)}"
        );
        assert_eq!(strip("p{margin:0/**/auto}").unwrap(), "p{margin:0 auto}");
        assert_eq!(strip(".a\\: b{}").unwrap(), ".a\\: b{}");
        assert_eq!(strip(".a\\;}").unwrap(), ".a\\;}");
        assert_eq!(
            strip("#notice p { white-space: pre-wrap; }").unwrap(),
            "#notice p{white-space:pre-wrap}"
        );
    }

    #[test]
    fn copies_strings_as_they_are() {
        let css =
            "a::after { content: \"x  /* not a comment */ ;}\"; }\nb::before{content:'it\\'s  '}";
        assert_eq!(
            strip(css).unwrap(),
            "a::after{content:\"x  /* not a comment */ ;}\"}b::before{content:'it\\'s  '}"
        );
    }

    #[test]
    fn unterminated_comments_and_strings_fail_with_their_line() {
        assert_eq!(
            strip("a{}\n/* open").unwrap_err(),
            "unterminated comment at line 2"
        );
        assert_eq!(
            strip("a{}\n\nb{content:\"x}\n").unwrap_err(),
            "unterminated string at line 3"
        );
    }
}
