//! A small lexer for macro token trees (`Lexer`), and the scan of a macro's arguments that says
//! whether they look like an expression list worth reparsing (`scan_macro_tokens`).

use crate::ast::Lit;

/// What a token is, as far as reading macro arguments needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tok {
    /// An identifier or keyword (`r#raw` ones included).
    Word,
    /// `'a`: a lifetime or label.
    Lifetime,
    /// A string literal of any kind that formats as text: `".."`, `r#".."#`, `c".."`.
    Str,
    ByteStr,
    Char,
    Byte,
    Int,
    Float,
    Open,
    Close,
    Punct,
}

/// A token with its byte range in the lexed text.
#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Splits Rust text into tokens, skipping whitespace and comments. It is forgiving: anything it
/// does not recognise becomes a one-character `Punct`, so it always makes progress and never
/// fails, whatever the input.
pub(super) struct Lexer<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Lexer {
            s: text.as_bytes(),
            text,
            i: 0,
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.s.get(i).copied().unwrap_or(0)
    }

    /// The character starting at byte `i` (a char boundary) and its length.
    fn char_at(&self, i: usize) -> Option<(char, usize)> {
        let c = self.text.get(i..)?.chars().next()?;
        Some((c, c.len_utf8()))
    }

    fn is_ident_char(c: char) -> bool {
        c == '_' || c.is_alphanumeric()
    }

    /// Skips identifier characters from `i`; returns the end.
    fn ident_end(&self, mut i: usize) -> usize {
        while let Some((c, len)) = self.char_at(i) {
            if !Self::is_ident_char(c) {
                break;
            }
            i += len;
        }
        i
    }

    /// The end of a quoted string whose opening quote ends just before `i`.
    fn string_end(&self, mut i: usize) -> usize {
        while i < self.s.len() {
            match self.s[i] {
                b'\\' => i += 2,
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        self.s.len()
    }

    /// The end of a raw string starting at `i` with `r`, or `None` if it is not one.
    fn raw_string_end(&self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        while self.at(j) == b'#' {
            j += 1;
        }
        if self.at(j) != b'"' {
            return None;
        }
        let hashes = j - i - 1;
        let mut k = j + 1;
        while k < self.s.len() {
            if self.s[k] == b'"'
                && self.s[k + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&b| b == b'#')
                    .count()
                    == hashes
            {
                return Some(k + 1 + hashes);
            }
            k += 1;
        }
        Some(self.s.len())
    }

    /// A character literal starting at the quote at `i`, or `None` for a lifetime.
    fn char_end(&self, i: usize) -> Option<usize> {
        if self.at(i + 1) == b'\\' {
            // Skip the escaped character, then find the closing quote (`'\u{..}'`, `'\''`).
            let mut j = i + 3;
            while j < self.s.len() && self.s[j] != b'\'' && self.s[j] != b'\n' {
                j += 1;
            }
            return Some((j + 1).min(self.s.len()));
        }
        let (_, len) = self.char_at(i + 1)?;
        (self.at(i + 1 + len) == b'\'').then_some(i + 2 + len)
    }

    fn number(&self, start: usize) -> (Tok, usize) {
        let radix = matches!(
            &self.s[start..(start + 2).min(self.s.len())],
            b"0x" | b"0b" | b"0o"
        );
        let mut i = if radix { start + 2 } else { start };
        let mut float = false;
        loop {
            let c = self.at(i);
            if c.is_ascii_alphanumeric() || c == b'_' {
                // An exponent sign: `1e-5`.
                if !radix
                    && (c == b'e' || c == b'E')
                    && matches!(self.at(i + 1), b'+' | b'-')
                    && self.at(i + 2).is_ascii_digit()
                {
                    float = true;
                    i += 2;
                }
                i += 1;
            } else if c == b'.' && !radix && !float && self.at(i + 1).is_ascii_digit() {
                float = true;
                i += 1;
            } else {
                break;
            }
        }
        let text = &self.text[start..i];
        let int_suffix = [
            "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        ]
        .iter()
        .any(|s| text.ends_with(s));
        let float = !int_suffix
            && (float
                || text.ends_with("f32")
                || text.ends_with("f64")
                || (!radix && text.contains(['e', 'E'])));
        (if float { Tok::Float } else { Tok::Int }, i)
    }

    fn punct_len(&self, i: usize) -> usize {
        const LONG: [&str; 23] = [
            "...", "..=", "<<=", ">>=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=",
            "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>",
        ];
        let rest = &self.s[i..];
        if let Some(p) = LONG.iter().find(|p| rest.starts_with(p.as_bytes())) {
            return p.len();
        }
        if rest.starts_with(b"..") {
            return 2;
        }
        self.char_at(i).map_or(1, |(_, len)| len)
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        // Whitespace and comments.
        loop {
            let c = *self.s.get(self.i)?;
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.i += 1,
                b'/' if self.at(self.i + 1) == b'/' => {
                    self.i = self.s[self.i..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(self.s.len(), |p| self.i + p);
                }
                b'/' if self.at(self.i + 1) == b'*' => {
                    let mut depth = 0usize;
                    while self.i < self.s.len() {
                        if self.s[self.i] == b'/' && self.at(self.i + 1) == b'*' {
                            depth += 1;
                            self.i += 2;
                        } else if self.s[self.i] == b'*' && self.at(self.i + 1) == b'/' {
                            depth -= 1;
                            self.i += 2;
                            if depth == 0 {
                                break;
                            }
                        } else {
                            self.i += 1;
                        }
                    }
                }
                _ if c >= 0x80 && self.char_at(self.i).is_some_and(|(c, _)| c.is_whitespace()) => {
                    self.i += self.char_at(self.i).map_or(1, |(_, len)| len);
                }
                _ => break,
            }
        }
        let start = self.i;
        let c = self.s[start];
        let (tok, end) = match c {
            b'"' => (Tok::Str, self.string_end(start + 1)),
            b'\'' => match self.char_end(start) {
                Some(end) => (Tok::Char, end),
                None => {
                    let end = self.ident_end(start + 1);
                    if end > start + 1 {
                        (Tok::Lifetime, end)
                    } else {
                        (Tok::Punct, start + 1)
                    }
                }
            },
            b'0'..=b'9' => self.number(start),
            b'(' | b'[' | b'{' => (Tok::Open, start + 1),
            b')' | b']' | b'}' => (Tok::Close, start + 1),
            b'b' if self.at(start + 1) == b'"' => (Tok::ByteStr, self.string_end(start + 2)),
            b'b' if self.at(start + 1) == b'\'' => match self.char_end(start + 1) {
                Some(end) => (Tok::Byte, end),
                None => (Tok::Word, start + 1),
            },
            b'c' if self.at(start + 1) == b'"' => (Tok::Str, self.string_end(start + 2)),
            b'r' if matches!(self.at(start + 1), b'"' | b'#')
                && self.raw_string_end(start).is_some() =>
            {
                (Tok::Str, self.raw_string_end(start).unwrap_or(self.s.len()))
            }
            b'b' | b'c'
                if self.at(start + 1) == b'r' && self.raw_string_end(start + 1).is_some() =>
            {
                let kind = if c == b'b' { Tok::ByteStr } else { Tok::Str };
                (kind, self.raw_string_end(start + 1).unwrap_or(self.s.len()))
            }
            b'r' if self.at(start + 1) == b'#' => (Tok::Word, self.ident_end(start + 2)),
            _ => match self.char_at(start) {
                Some((c, _)) if c == '_' || c.is_alphabetic() => (Tok::Word, self.ident_end(start)),
                _ => (Tok::Punct, start + self.punct_len(start)),
            },
        };
        // Every branch consumes at least one byte, and ends stay on char boundaries for valid
        // tokens; a clamp keeps broken input (an escape at the very end) in range.
        let end = end.clamp(start + 1, self.s.len());
        let end = (end..=self.s.len())
            .find(|&e| self.text.is_char_boundary(e))
            .unwrap_or(self.s.len());
        self.i = end;
        Some(Token { tok, start, end })
    }
}

/// What the lexer learnt about a macro's arguments in one pass.
pub(super) struct MacroScan {
    /// The tokens at the top level (not inside a nested group); a nested group is represented by
    /// its opening token, with `end` at its closing one.
    pub(super) top: Vec<Token>,
    /// Whether the top-level tokens could be a comma-separated list of expressions (see
    /// `scan_macro_tokens`).
    pub(super) plausible: bool,
}

/// Scans a macro's arguments. Reparsing text that is not an expression list costs tree-sitter's
/// error recovery, which is slow, and many macros (`tracing`'s `name: "x", ?field`,
/// `matches!(x, P if c)`, `quote! { impl .. }`) are plainly something else: a look at the
/// top-level tokens rules most of them out without parsing. Unbalanced delimiters also make the
/// arguments implausible.
pub(super) fn scan_macro_tokens(inner: &str) -> MacroScan {
    let mut top: Vec<Token> = Vec::new();
    let mut plausible = true;
    let mut depth = 0usize;
    let mut semicolons = 0;
    // Whether the previous top-level token ends an operand (so a postfix `?` or a binary
    // operator may follow) and whether it is an atom (so another atom may not).
    let mut after_operand = false;
    let mut after_atom = false;
    for t in Lexer::new(inner) {
        match t.tok {
            Tok::Open => {
                depth += 1;
                if depth == 1 {
                    top.push(t);
                }
                continue;
            }
            Tok::Close => {
                if depth == 0 {
                    plausible = false;
                    continue;
                }
                depth -= 1;
                if depth == 0 {
                    if let Some(group) = top.last_mut() {
                        group.end = t.end;
                    }
                    after_operand = true;
                    after_atom = false;
                }
                continue;
            }
            _ if depth > 0 => continue,
            _ => {}
        }
        top.push(t);
        if !plausible {
            continue;
        }
        let text = &inner[t.start..t.end];
        let (operand, atom) = match t.tok {
            Tok::Punct => {
                match text {
                    "=>" | ":" | "@" | "$" => plausible = false,
                    ";" => {
                        semicolons += 1;
                        plausible &= semicolons <= 1;
                    }
                    "?" | "%" | "^" | "/" | "==" | "!=" | "<=" | ">=" | "+=" | "-=" | "*="
                    | "/=" | "%=" | "^=" | "&=" | "|=" | "<<=" | ">>=" | "." => {
                        plausible &= after_operand
                    }
                    _ => {}
                }
                (text == "?", false)
            }
            Tok::Word => match text {
                "fn" | "struct" | "enum" | "impl" | "trait" | "let" | "mod" | "use" | "pub"
                | "type" | "where" | "in" | "static" => {
                    plausible = false;
                    (false, false)
                }
                "as" => {
                    plausible &= after_operand;
                    (false, false)
                }
                "await" => (true, false),
                "self" | "Self" | "crate" | "super" | "true" | "false" => (true, true),
                w if is_rust_keyword(w) => (false, false),
                _ => (true, true),
            },
            Tok::Lifetime => (false, false),
            _ => (true, true),
        };
        if atom && after_atom {
            plausible = false;
        }
        after_operand = operand;
        after_atom = atom;
    }
    if depth != 0 {
        plausible = false;
    }
    MacroScan { top, plausible }
}

/// The literal a single-token macro argument is, if it is a literal other than `true`/`false`.
pub(super) fn simple_token_lit(tok: Tok) -> Option<Lit> {
    Some(match tok {
        Tok::Str => Lit::Str,
        Tok::ByteStr => Lit::ByteStr,
        Tok::Char => Lit::Char,
        Tok::Byte => Lit::Byte,
        Tok::Int => Lit::Int,
        Tok::Float => Lit::Float,
        _ => return None,
    })
}

/// Rust's keywords, strict and reserved, except the path roots `self`, `Self`, `crate`, `super`
/// and the literals `true`, `false`, which stand for values.
pub(super) fn is_rust_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "gen"
            | "macro"
            | "override"
            | "priv"
            | "try"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
    )
}

pub(super) fn is_primitive_type(word: &str) -> bool {
    matches!(
        word,
        "u8" | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "f32"
            | "f64"
            | "bool"
            | "char"
            | "str"
    )
}

/// The text of a dependency's file as it is parsed, for its items and signatures: its tokens
/// without comments, a run of spaces and line breaks made one space, and each function's body
/// made `{}`. A body starts at the first `{` after `fn NAME` outside parentheses and brackets (a
/// `;` first means no body) and ends at its matching `}`. Tokens that touch keep touching, so
/// `::` and `..` stay what they are. Byte offsets change: nothing is reported in such a file.
pub(crate) fn signatures_text(text: &str) -> String {
    let tokens: Vec<Token> = Lexer::new(text).collect();
    let byte = |t: &Token| text.as_bytes()[t.start];
    let mut out = String::with_capacity(text.len() / 2);
    let mut last_end = 0;
    let push = |out: &mut String, t: &Token, last_end: &mut usize| {
        if t.start > *last_end && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[t.start..t.end]);
        *last_end = t.end;
    };
    let mut i = 0;
    while i < tokens.len() {
        let is_fn = tokens[i].tok == Tok::Word
            && &text[tokens[i].start..tokens[i].end] == "fn"
            && tokens.get(i + 1).is_some_and(|t| t.tok == Tok::Word);
        if !is_fn {
            if let Some((eq, semi)) = item_initializer(text, &tokens, i) {
                // A const's or static's value: `= 0;` (the items read only its name and type).
                for t in &tokens[i..=eq] {
                    push(&mut out, t, &mut last_end);
                }
                out.push_str(" 0");
                last_end = tokens[semi].start;
                push(&mut out, &tokens[semi], &mut last_end);
                i = semi + 1;
                continue;
            }
            push(&mut out, &tokens[i], &mut last_end);
            i += 1;
            continue;
        }
        // The signature: to the body's `{`, or a `;`.
        let mut j = i;
        let mut depth = 0usize;
        let open = loop {
            let Some(t) = tokens.get(j) else { break None };
            match (t.tok, byte(t)) {
                (Tok::Open, b'{') if depth == 0 && j > i + 1 => break Some(j),
                (Tok::Open, _) => depth += 1,
                (Tok::Close, _) => depth = depth.saturating_sub(1),
                (Tok::Punct, b';') if depth == 0 => break None,
                _ => {}
            }
            push(&mut out, t, &mut last_end);
            j += 1;
        };
        let Some(open) = open else {
            i = j;
            continue;
        };
        // Its matching `}`: the body is dropped.
        let mut depth = 0usize;
        let mut k = open;
        let close = loop {
            let Some(t) = tokens.get(k) else { break None };
            match t.tok {
                Tok::Open => depth += 1,
                Tok::Close => {
                    depth -= 1;
                    if depth == 0 {
                        break Some(k);
                    }
                }
                _ => {}
            }
            k += 1;
        };
        push(&mut out, &tokens[open], &mut last_end);
        let Some(close) = close else { break };
        out.push('}');
        last_end = tokens[close].end;
        i = close + 1;
    }
    out
}

/// When `tokens[i]` starts a `const` or `static` item with a value (`const NAME: TYPE = VALUE;`,
/// `static mut NAME: ...`), the indices of its `=` and of its `;`. Not a `const fn`, a `const`
/// generic parameter (after `<` or `,`) nor a `*const` pointer. Large tables of data are such
/// values, and tree-sitter's parse of them was most of a dependency's cost.
fn item_initializer(text: &str, tokens: &[Token], i: usize) -> Option<(usize, usize)> {
    let word = |k: usize| {
        tokens
            .get(k)
            .filter(|t| t.tok == Tok::Word)
            .map(|t| &text[t.start..t.end])
    };
    let punct = |k: usize| {
        tokens
            .get(k)
            .filter(|t| t.tok == Tok::Punct)
            .map(|t| &text[t.start..t.end])
    };
    if !matches!(word(i), Some("const" | "static")) {
        return None;
    }
    if i > 0 && matches!(punct(i - 1), Some("<" | "," | "*" | "&")) {
        return None;
    }
    let mut k = i + 1;
    if word(k) == Some("mut") {
        k += 1;
    }
    if !word(k).is_some_and(|w| w != "fn") || punct(k + 1) != Some(":") {
        return None;
    }
    // The `=` outside brackets and angle brackets, then the `;` outside brackets.
    let (mut depth, mut angles) = (0usize, 0usize);
    let mut eq = None;
    for (j, t) in tokens.iter().enumerate().skip(k + 2) {
        match t.tok {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.checked_sub(1)?,
            Tok::Punct if depth == 0 => match &text[t.start..t.end] {
                "<" => angles += 1,
                "<<" => angles += 2,
                ">" => angles = angles.saturating_sub(1),
                ">>" => angles = angles.saturating_sub(2),
                // `Vec<u8>= v`: the type's last `>` and the `=` in one token.
                p @ ("=" | ">=" | ">>=") if eq.is_none() => {
                    angles = angles.saturating_sub(p.len() - 1);
                    if angles == 0 {
                        eq = Some(j);
                    }
                }
                ";" => return eq.map(|eq| (eq, j)),
                _ => {}
            },
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(text: &str) -> String {
        Lexer::new(text)
            .map(|t| format!("{:?}({})", t.tok, &text[t.start..t.end]))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn lexer() {
        assert_eq!(
            lex(r##"a r#b 'l 'c' '\'' b'x' "s\"q" b"y" r#"a"b"# br"z" c"w" 1 2.5 1e-3 0x1f 1u8 1.max(2) 1..2"##),
            "Word(a) Word(r#b) Lifetime('l) Char('c') Char('\\'') Byte(b'x') Str(\"s\\\"q\") ByteStr(b\"y\") \
             Str(r#\"a\"b\"#) ByteStr(br\"z\") Str(c\"w\") Int(1) Float(2.5) Float(1e-3) Int(0x1f) Int(1u8) \
             Int(1) Punct(.) Word(max) Open(() Int(2) Close()) Int(1) Punct(..) Int(2)"
        );
        assert_eq!(
            lex("x /* a /* b */ c */ y // z\n w"),
            "Word(x) Word(y) Word(w)"
        );
        assert_eq!(lex("a::<b> =>c..=d<<=e é→ü"), "Word(a) Punct(::) Punct(<) Word(b) Punct(>) Punct(=>) Word(c) Punct(..=) Word(d) Punct(<<=) Word(e) Word(é) Punct(→) Word(ü)");
        // Broken input still ends.
        for text in [
            "\"open", "r#\"open", "'", "b'", "/* open", "'\\", "\\", "r#", "0x", "1e+", "é\\",
        ] {
            let _ = lex(text);
        }
    }
}
