//! Macro invocations: their arguments read from the token tree (single tokens directly, lists
//! that look like expressions reparsed with tree-sitter, the rest as identifiers), and the names
//! format strings capture.

use std::sync::Arc;

use tree_sitter::{Node, Tree};

use super::cx::Cx;
use super::kinds::K;
use super::lexer::{
    is_primitive_type, is_rust_keyword, scan_macro_tokens, simple_token_lit, Lexer, Tok, Token,
};
use super::parse::{new_parser, parse_within_budget};
use super::MAX_MACRO_NESTING;
use crate::ast::{Expr, ExprKind, Lit, MacroArgs, MacroCall, MacroTokens, Name, Span};

/// std's macros, which lowering reads by what they do: their tokens are not kept.
const STD_MACROS: &[&str] = &[
    "println",
    "print",
    "eprintln",
    "eprint",
    "format",
    "format_args",
    "panic",
    "write",
    "writeln",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "unreachable",
    "todo",
    "unimplemented",
    "vec",
    "dbg",
    "matches",
    "concat",
    "stringify",
    "env",
    "cfg",
    "line",
    "file",
    "column",
    "include_str",
    "include_bytes",
];

/// The text put before a macro's arguments when they are reparsed on their own: inside an array
/// literal in a function body, comma-separated expressions and the `[elem; n]` form both parse.
const MACRO_PREFIX: &str = "fn __m() { [";
const MACRO_SUFFIX: &str = "\n]; }";

impl<'t, 's> Cx<'t, 's> {
    pub(super) fn macro_call(&mut self, name: Name, tt: Node<'t>) -> ExprKind {
        let fmt_index = format_arg_index(&name);
        let (args, format_idents) = self.macro_args(tt, fmt_index);
        let tokens = (!STD_MACROS.contains(&&*name))
            .then(|| self.macro_tokens(tt))
            .flatten();
        ExprKind::Macro(MacroCall {
            name,
            qualified: false,
            args,
            format_idents,
            tokens,
        })
    }

    /// The text inside a token tree's delimiters, and where it starts in the function (when it
    /// has one place: inside an expansion, only text copied from the invocation has).
    fn macro_tokens(&self, tt: Node<'t>) -> Option<MacroTokens> {
        let text = self.text(tt);
        let inner = text.get(1..text.len().checked_sub(1)?)?;
        let start = tt.start_byte() + 1;
        let at = self.rel_exact(start, start + inner.len());
        Some(MacroTokens {
            text: inner.into(),
            at,
        })
    }

    /// Reads a macro's token tree. Token trees carry no structure in tree-sitter, and walking
    /// their nodes is slow (every token sits under hidden grammar nodes), so the text between the
    /// delimiters is scanned with the small lexer below instead. Arguments that are single tokens
    /// are converted from the scan; other plausible expression lists are reparsed on their own,
    /// wrapped in an array literal (more faithful than rebuilding expressions from tokens); the
    /// rest become the identifiers of their tokens. Returns the arguments and, for format-like
    /// macros, the identifiers used inline in the format string.
    fn macro_args(
        &mut self,
        tt: Node<'t>,
        fmt_index: Option<usize>,
    ) -> (MacroArgs, Vec<(Name, Span)>) {
        let text = self.text(tt);
        let tt_start = tt.start_byte();
        let closer = match text.as_bytes().first() {
            Some(b'(') => b')',
            Some(b'[') => b']',
            Some(b'{') => b'}',
            _ => {
                return (
                    MacroArgs::Tokens(self.token_idents(text, tt_start)),
                    Vec::new(),
                )
            }
        };
        // A missing closing delimiter is a zero-width node: the text then ends elsewhere.
        if text.len() < 2 || text.as_bytes()[text.len() - 1] != closer {
            return (
                MacroArgs::Tokens(self.token_idents(text, tt_start)),
                Vec::new(),
            );
        }
        let inner = &text[1..text.len() - 1];
        let inner_start = tt_start + 1;
        let scan = scan_macro_tokens(inner);
        if !scan.plausible {
            let format_idents = match fmt_index {
                Some(index) => self.format_idents_from_tokens(inner, inner_start, &scan.top, index),
                None => Vec::new(),
            };
            return (
                MacroArgs::Tokens(self.token_idents(inner, inner_start)),
                format_idents,
            );
        }
        if scan.top.is_empty() {
            return (MacroArgs::Exprs(Vec::new()), Vec::new());
        }
        if let Some(simple) = self.simple_macro_args(inner, inner_start, &scan.top, fmt_index) {
            return simple;
        }
        self.reparse_macro_args(tt, inner, inner_start, &scan.top, fmt_index)
    }

    /// Arguments that are single tokens (`println!("{}", x)`, `vec![0; n]`, `assert!(ok)`) are
    /// converted straight from the scan; that spares most macros the reparse, whose fixed cost
    /// dwarfs such small inputs.
    fn simple_macro_args(
        &mut self,
        inner: &str,
        inner_start: usize,
        top: &[Token],
        fmt_index: Option<usize>,
    ) -> Option<(MacroArgs, Vec<(Name, Span)>)> {
        // Alternating argument, separator, argument..., with at most one `;` (`[elem; n]`).
        let mut semicolon = false;
        for (i, t) in top.iter().enumerate() {
            let ok = if i % 2 == 0 {
                simple_token_lit(t.tok).is_some()
                    || (t.tok == Tok::Word
                        && !is_rust_keyword(&inner[t.start..t.end])
                        && !matches!(&inner[t.start..t.end], "crate" | "super"))
            } else {
                let sep = &inner[t.start..t.end];
                match sep {
                    "," => !semicolon,
                    ";" => {
                        let first = !semicolon && i == 1 && top.len() == 3;
                        semicolon = true;
                        first
                    }
                    _ => false,
                }
            };
            if !ok {
                return None;
            }
        }
        let mut exprs = Vec::with_capacity(top.len() / 2 + 1);
        let mut format_idents = Vec::new();
        for t in top.iter().step_by(2) {
            let text = &inner[t.start..t.end];
            let pos = inner_start + t.start;
            let span = Span {
                start: self.rel(pos),
                end: self.rel_end(inner_start + t.end),
            };
            if Some(exprs.len()) == fmt_index && t.tok == Tok::Str {
                format_idents = self.format_string_idents(text, pos);
            }
            let kind = match simple_token_lit(t.tok) {
                Some(lit) => ExprKind::Lit(lit),
                None if text == "true" || text == "false" => ExprKind::Lit(Lit::Bool),
                None => ExprKind::Path(vec![Arc::from(text.strip_prefix("r#").unwrap_or(text))]),
            };
            exprs.push(Expr { span, kind });
        }
        if semicolon {
            let len = exprs.pop()?;
            let elem = exprs.pop()?;
            return Some((MacroArgs::Repeat(Box::new(elem), Box::new(len)), Vec::new()));
        }
        Some((MacroArgs::Exprs(exprs), format_idents))
    }

    fn reparse_macro_args(
        &mut self,
        tt: Node<'t>,
        inner: &str,
        inner_start: usize,
        top: &[Token],
        fmt_index: Option<usize>,
    ) -> (MacroArgs, Vec<(Name, Span)>) {
        let mut src = String::with_capacity(MACRO_PREFIX.len() + inner.len() + MACRO_SUFFIX.len());
        src.push_str(MACRO_PREFIX);
        src.push_str(inner);
        src.push_str(MACRO_SUFFIX);
        let tree = if self.sh.macro_nesting < MAX_MACRO_NESTING {
            self.macro_tree(src.as_str())
        } else {
            None
        };
        let root = tree.as_ref().map(|t| t.root_node());
        let array = root
            .filter(|r| !r.has_error())
            .and_then(|r| r.named_child(0))
            .and_then(|f| f.child_by_field_id(self.g.f.body))
            .and_then(|b| b.named_child(0))
            .and_then(|s| s.named_child(0))
            .filter(|a| self.g.kind(*a) == K::ArrayExpression);
        let (Some(root), Some(array)) = (root, array) else {
            let format_idents = match fmt_index {
                Some(index) => self.format_idents_from_tokens(inner, inner_start, top, index),
                None => Vec::new(),
            };
            let tokens = self.token_idents(self.text(tt), tt.start_byte());
            return (MacroArgs::Tokens(tokens), format_idents);
        };
        let delta = self.delta + inner_start as i64 - MACRO_PREFIX.len() as i64;
        let container = std::mem::take(&mut self.container);
        self.sh.macro_nesting += 1;
        let mut sub = Cx::new(&src, root, self.base, delta, container, &mut *self.sh);
        let result = sub.macro_array(array, fmt_index);
        self.container = std::mem::take(&mut sub.container);
        self.sh.macro_nesting -= 1;
        result
    }

    /// The parse of a macro's arguments (wrapped in `MACRO_PREFIX` and `MACRO_SUFFIX`). The
    /// function being edited is converted again on every keystroke, and its macros' arguments
    /// with it: a conversion that follows another keeps the parses it made, by their text, for
    /// the next one (only theirs: the first conversion of a file would keep every macro's).
    fn macro_tree(&mut self, src: &str) -> Option<Tree> {
        let sh = &mut *self.sh;
        let keep = sh.caching && !sh.cache_old.text.is_empty();
        let tree = match sh.cache_old.macros.remove_entry(src) {
            Some((src, tree)) => {
                if keep {
                    sh.cache_new.macros.insert(src, tree.clone());
                }
                return tree;
            }
            // In an expansion (made again whenever its function is lowered again): the parses
            // of this thread's recent expansions.
            None if sh.map.is_some() => super::expand::parse_remembered(src),
            None => {
                let parser = sh.parser.get_or_insert_with(new_parser);
                parse_within_budget(parser, src, None)
            }
        };
        if keep {
            sh.cache_new.macros.insert(src.into(), tree.clone());
        }
        tree
    }

    fn macro_array(
        &mut self,
        array: Node<'t>,
        fmt_index: Option<usize>,
    ) -> (MacroArgs, Vec<(Name, Span)>) {
        let kids = self.push_kids(array);
        if let Some(len) = self.field(kids, self.g.f.length) {
            let elem = self.first_named(kids).filter(|e| *e != len);
            self.pop_kids(kids);
            return match elem {
                Some(e) => {
                    let e = self.expr(e);
                    let n = self.expr(len);
                    (MacroArgs::Repeat(Box::new(e), Box::new(n)), Vec::new())
                }
                None => (MacroArgs::Exprs(Vec::new()), Vec::new()),
            };
        }
        let mut exprs = Vec::new();
        let mut format_idents = Vec::new();
        let mut named_args: Vec<Name> = Vec::new();
        let mut index = 0;
        for i in kids.iter() {
            let k = self.kid(i);
            if matches!(k.kind, K::Anon | K::AttributeItem) {
                continue;
            }
            if Some(index) == fmt_index && matches!(k.kind, K::StringLiteral | K::RawStringLiteral)
            {
                format_idents = self.format_string_idents(self.text(k.node), k.node.start_byte());
            }
            index += 1;
            // `name = expr` is a named argument of a format macro; the value is what is used.
            if k.kind == K::AssignmentExpression {
                let left = k.node.child_by_field_id(self.g.f.left);
                let right = k.node.child_by_field_id(self.g.f.right);
                if let (Some(l), Some(r)) = (left, right) {
                    if self.kind(l) == K::Identifier {
                        named_args.push(self.ident(l));
                        let e = self.expr(r);
                        exprs.push(e);
                        continue;
                    }
                }
            }
            let e = self.expr(k.node);
            exprs.push(e);
        }
        self.pop_kids(kids);
        // `{x}` refers to the named argument `x = ..` when there is one, not to a variable.
        format_idents.retain(|(n, _)| !named_args.contains(n));
        (MacroArgs::Exprs(exprs), format_idents)
    }

    /// When the arguments could not be parsed, the format string is still found by counting
    /// top-level commas.
    fn format_idents_from_tokens(
        &self,
        inner: &str,
        inner_start: usize,
        top: &[Token],
        index: usize,
    ) -> Vec<(Name, Span)> {
        let mut group = top.split(|t| t.tok == Tok::Punct && &inner[t.start..t.end] == ",");
        match group.nth(index) {
            Some([lit]) if lit.tok == Tok::Str => {
                self.format_string_idents(&inner[lit.start..lit.end], inner_start + lit.start)
            }
            _ => Vec::new(),
        }
    }

    /// The identifiers among the tokens of `text` (at `pos` in this converter's text), keywords
    /// and primitive type names left out.
    fn token_idents(&self, text: &str, pos: usize) -> Vec<(Name, Span)> {
        Lexer::new(text)
            .filter(|t| t.tok == Tok::Word)
            .filter_map(|t| {
                let word = &text[t.start..t.end];
                let is_name = !(is_rust_keyword(word)
                    || is_primitive_type(word)
                    || matches!(word, "_" | "true" | "false" | "crate" | "super"));
                is_name.then(|| {
                    let span = Span {
                        start: self.rel(pos + t.start),
                        end: self.rel_end(pos + t.end),
                    };
                    (Arc::from(word.strip_prefix("r#").unwrap_or(word)), span)
                })
            })
            .collect()
    }

    /// The identifiers a format string captures: `{x}`, `{x:?}`, and widths or precisions written
    /// `{:w$}` / `{:.p$}`. Positional `{0}`, `{}` and escaped braces are skipped. `text` is the
    /// literal with its quotes, at `start` in this converter's text.
    fn format_string_idents(&self, text: &str, start: usize) -> Vec<(Name, Span)> {
        let s = text.as_bytes();
        let mut out = Vec::new();
        let Some(open) = s.iter().position(|&b| b == b'"') else {
            return out;
        };
        let raw = s[..open].contains(&b'r');
        let hashes = s[..open].iter().filter(|&&b| b == b'#').count();
        let end = s.len().saturating_sub(1 + hashes);
        if end <= open {
            return out;
        }
        let mut push = |from: usize, to: usize| {
            let Some(name) = text.get(from..to) else {
                return;
            };
            if is_format_ident(name) {
                out.push((
                    Arc::from(name),
                    Span {
                        start: self.rel(start + from),
                        end: self.rel_end(start + to),
                    },
                ));
            }
        };
        let mut i = open + 1;
        while i < end {
            match s[i] {
                b'\\' if !raw => {
                    // `\u{..}` holds braces that are not format placeholders.
                    if s.get(i + 1) == Some(&b'u') && s.get(i + 2) == Some(&b'{') {
                        i += s[i..end]
                            .iter()
                            .position(|&b| b == b'}')
                            .map_or(end - i, |p| p + 1);
                    } else {
                        i += 2;
                    }
                }
                b'{' if s.get(i + 1) == Some(&b'{') => i += 2,
                b'{' => {
                    let Some(len) = s[i + 1..end].iter().position(|&b| b == b'}') else {
                        break;
                    };
                    let body = i + 1..i + 1 + len;
                    let colon = s[body.clone()]
                        .iter()
                        .position(|&b| b == b':')
                        .map_or(body.end, |p| body.start + p);
                    push(body.start, colon);
                    // Named widths and precisions: an identifier right before a `$`.
                    let mut j = colon;
                    while j < body.end {
                        if s[j] == b'$' {
                            let mut k = j;
                            while k > colon + 1
                                && (s[k - 1].is_ascii_alphanumeric() || s[k - 1] == b'_')
                            {
                                k -= 1;
                            }
                            push(k, j);
                        }
                        j += 1;
                    }
                    i = body.end + 1;
                }
                _ => i += 1,
            }
        }
        out
    }
}

/// Which argument of a format-like macro is the format string.
fn format_arg_index(name: &str) -> Option<usize> {
    match name {
        "print" | "println" | "eprint" | "eprintln" | "format" | "panic" | "unreachable"
        | "todo" | "unimplemented" | "format_args" => Some(0),
        "write" | "writeln" | "assert" | "debug_assert" => Some(1),
        "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => Some(2),
        _ => None,
    }
}

/// A named format argument: an identifier that does not start with a digit (those are positions).
fn is_format_ident(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_alphabetic() => {}
        _ => return false,
    }
    s != "_" && chars.all(|c| c == '_' || c.is_alphanumeric())
}
