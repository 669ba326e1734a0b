//! Rust source with comments and string and character literals blanked out, so the tidy test can
//! search code for `dbg!` or `tree_sitter` without tripping over fixtures, docs or its own patterns;
//! or with everything but string literals blanked out, so it can search the texts a program
//! writes (rustc's messages) without tripping over docs. Line breaks are kept, so line numbers
//! stay right. A lexer in miniature: good enough for the project's own files, not a Rust parser.

/// `text` with every character inside a comment or a string, char or byte literal replaced by a
/// space (line breaks kept).
pub fn code_only(text: &str) -> String {
    scan(text, Keep::Code)
}

/// `text` with every character outside a string literal (plain, raw or byte) replaced by a space
/// (line breaks kept): code, comments and char literals are blanked, the literals' quotes too.
pub fn strings_only(text: &str) -> String {
    scan(text, Keep::Strings)
}

#[derive(Clone, Copy, PartialEq)]
enum Keep {
    Code,
    Strings,
}

fn scan(text: &str, keep: Keep) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let blank = |out: &mut Vec<char>, run: &[char]| {
        out.extend(run.iter().map(|&c| if c == '\n' { '\n' } else { ' ' }))
    };
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let prev_ident = i > 0 && is_ident(chars[i - 1]);
        // Where the comment or literal starting here ends, and whether it is a string.
        let (end, string) = if c == '/' && next == Some('/') {
            let end = chars[i..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(chars.len(), |n| i + n);
            (end, false)
        } else if c == '/' && next == Some('*') {
            (block_comment_end(&chars, i), false)
        } else if c == '"' {
            (quoted_end(&chars, i, '"'), true)
        } else if let Some(end) =
            raw_string_end(&chars, i).filter(|_| !prev_ident || prefixed(&chars, i, &['b', 'c']))
        {
            (end, true)
        } else if let Some(end) =
            char_literal_end(&chars, i).filter(|_| !prev_ident || prefixed(&chars, i, &['b']))
        {
            (end, false)
        } else {
            match keep {
                Keep::Code => out.push(c),
                Keep::Strings => blank(&mut out, &chars[i..i + 1]),
            }
            i += 1;
            continue;
        };
        if string && keep == Keep::Strings {
            // The quotes (and a raw string's `r#`) are blanked; what is between them is kept.
            let open = chars[i..end]
                .iter()
                .position(|&c| c == '"')
                .map_or(end, |n| i + n + 1);
            let close = chars[open..end]
                .iter()
                .rposition(|&c| c == '"')
                .map_or(end, |n| open + n);
            blank(&mut out, &chars[i..open]);
            out.extend(&chars[open..close]);
            blank(&mut out, &chars[close..end]);
        } else {
            blank(&mut out, &chars[i..end]);
        }
        i = end;
    }
    out.into_iter().collect()
}

/// After a nested `/* ... */` starting at `start`.
fn block_comment_end(chars: &[char], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('/', Some('*')) => {
                depth += 1;
                i += 2;
            }
            ('*', Some('/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    chars.len()
}

/// After the literal that opens with `quote` at `start`, honouring backslash escapes.
fn quoted_end(chars: &[char], start: usize, quote: char) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// After a raw string `r#"..."#` whose `r` is at `start`, if one starts there.
fn raw_string_end(chars: &[char], start: usize) -> Option<usize> {
    if chars[start] != 'r' {
        return None;
    }
    let hashes = chars[start + 1..].iter().take_while(|&&c| c == '#').count();
    let open = start + 1 + hashes;
    if chars.get(open) != Some(&'"') {
        return None;
    }
    let mut i = open + 1;
    while i < chars.len() {
        if chars[i] == '"'
            && chars[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return Some(i + 1 + hashes);
        }
        i += 1;
    }
    Some(chars.len())
}

/// Whether the character before `at` is one of `prefixes` and starts a token, as the `b` of
/// `b'x'` and `br"..."` or the `c` of `cr"..."`.
fn prefixed(chars: &[char], at: usize, prefixes: &[char]) -> bool {
    at >= 1
        && prefixes.contains(&chars[at - 1])
        && (at < 2 || !(chars[at - 2].is_alphanumeric() || chars[at - 2] == '_'))
}

/// After a character literal at `start` (`'x'`, `'\n'`, `'\u{1F600}'`), if one starts there
/// (not a lifetime).
fn char_literal_end(chars: &[char], start: usize) -> Option<usize> {
    if chars[start] != '\'' {
        return None;
    }
    match chars.get(start + 1)? {
        '\\' => {
            let close = chars[start + 2..].iter().position(|&c| c == '\'')?;
            Some(start + 2 + close + 1)
        }
        _ if chars.get(start + 2) == Some(&'\'') => Some(start + 3),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{code_only, strings_only};

    #[test]
    fn keeps_only_strings() {
        let text =
            "let a = \"cannot borrow\"; // \"not this\"\nf(r#\"raw \"x\"\"#, 'c', b\"bytes\");\n";
        let code = strings_only(text);
        assert_eq!(code.chars().count(), text.chars().count());
        let lines: Vec<&str> = code.lines().map(str::trim).collect();
        // After `raw "x"`: `"#, 'c', b"` blanked, 11 characters.
        let second = format!("raw \"x\"{}bytes", " ".repeat(11));
        assert_eq!(lines, ["cannot borrow", second.as_str()]);
    }

    #[test]
    fn blanks_comments_and_literals() {
        let text = "let a = \"dbg!(x)\"; // dbg!(y)\n/* outer /* dbg! */ still */ dbg!(z);\n";
        let blanks = |n: usize| " ".repeat(n);
        assert_eq!(
            code_only(text),
            format!(
                "let a ={};{}\n{}dbg!(z);\n",
                blanks(10),
                blanks(11),
                blanks(29)
            )
        );
    }

    #[test]
    fn raw_strings_chars_and_lifetimes() {
        let text =
            "f(r#\"say \"dbg!\"\"#, '\"', b'\\'', 'x', br\"q\"); fn g<'a>(x: &'a str) {}\nother";
        let code = code_only(text);
        assert!(!code.contains("dbg!"), "{code}");
        assert!(
            code.ends_with("); fn g<'a>(x: &'a str) {}\nother"),
            "{code}"
        );
        assert_eq!(code.chars().count(), text.chars().count());
    }
}
