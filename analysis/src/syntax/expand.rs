//! The crate's own `macro_rules!` macros, expanded by example as rustc expands them (the Rust
//! Reference, "Macros By Example"): the first rule whose matcher matches the invocation's tokens
//! (literal tokens, delimited groups, fragments `$x:expr`, `ident`, `ty`, `path`, `pat`,
//! `pat_param`, `literal`, `lifetime`, `block`, `vis`, `tt`, and repetitions `$(..) sep op`) is
//! transcribed (`$x`, `$(..) sep op`, `$crate`), and the result is parsed and converted like the
//! file's own code. An `expr` fragment keeps its grouping (rustc wraps it in invisible
//! delimiters; here, parentheses).
//!
//! Spans: text copied from the invocation keeps its place in the file; text the macro wrote
//! is the invocation's. Whatever is not sure gives no expansion (the invocation stays an unknown
//! macro): fragments of kinds not read here (`item`, `stmt`, `meta`), a binding the macro makes
//! whose name the invocation's tokens also use (hygiene would keep them apart), items or
//! `let`s of the invocation's names in the expansion, text that does not parse.

use std::collections::HashMap;
use std::sync::Arc;

use super::cx::{stack_position, Cx, Shared, SpanMap};
use super::lexer::{Lexer, Tok};
use super::parse::{give_back, parse_within_budget, take_parser};
use crate::ast::{
    for_each_child, Container, Expr, ExprKind, MacroCall, MacroRules, Name, Pat, PatKind, Span,
    Stmt,
};

/// The longest expansion text converted.
const MAX_EXPANSION: usize = 64 << 10;

/// The `macro_rules!` definitions in `text`, by name, in order. A definition counts only where
/// `macro_rules!` begins its line (after attributes), so that examples in comments do not.
pub fn macro_definitions(text: &str) -> Vec<(Name, MacroRules)> {
    let mut out = Vec::new();
    // On every keystroke: most files define no macro.
    if memchr::memmem::find(text.as_bytes(), b"macro_rules!").is_none() {
        return out;
    }
    let mut from = 0;
    while let Some(i) = text[from..].find("macro_rules!") {
        let at = from + i;
        from = at + "macro_rules!".len();
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let before = text[line_start..at].trim();
        if !(before.is_empty() || before.ends_with(']')) || before.contains("//") {
            continue;
        }
        let rest = &text[from..];
        let mut lexer = Lexer::new(rest);
        let Some(name_tok) = lexer.next().filter(|t| t.tok == Tok::Word) else {
            continue;
        };
        let name = &rest[name_tok.start..name_tok.end];
        let body_text = &rest[name_tok.end..];
        // The definition's group: the first token tree after the name.
        let Some(group) = first_group(body_text) else {
            continue;
        };
        let Some(tts) = token_trees(group) else {
            continue;
        };
        let Some(Tt::Group { inner, .. }) = tts.first() else {
            continue;
        };
        if let Some(rules) = rules_of(inner, group) {
            out.push((Name::from(name), rules));
        }
    }
    out
}

/// The text of the first delimited group at the start of `text` (after whitespace).
fn first_group(text: &str) -> Option<&str> {
    let mut depth = 0usize;
    let mut start = None;
    for t in Lexer::new(text) {
        match t.tok {
            Tok::Open => {
                start.get_or_insert(t.start);
                depth += 1;
            }
            Tok::Close => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(&text[start?..t.end]);
                }
            }
            _ if start.is_none() => return None,
            _ => {}
        }
    }
    None
}

/// `(matcher) => {transcriber}` rules separated by `;`.
fn rules_of(tts: &[Tt], text: &str) -> Option<MacroRules> {
    let mut rules = Vec::new();
    let mut i = 0;
    while i < tts.len() {
        let (
            Tt::Group {
                start: ms, end: me, ..
            },
            Some(arrow),
            Some(Tt::Group {
                start: ts, end: te, ..
            }),
        ) = (&tts[i], tts.get(i + 1), tts.get(i + 2))
        else {
            return None;
        };
        if !matches!(arrow, Tt::Leaf { text: "=>", .. }) {
            return None;
        }
        rules.push((
            Arc::from(text.get(ms + 1..me - 1)?),
            Arc::from(text.get(ts + 1..te - 1)?),
        ));
        i += 3;
        if matches!(tts.get(i), Some(Tt::Leaf { text: ";", .. })) {
            i += 1;
        }
    }
    (!rules.is_empty()).then_some(MacroRules { rules })
}

/// A token tree over a text: a token, or a delimited group. Positions are the text's.
#[derive(Clone, Debug)]
enum Tt<'a> {
    Leaf {
        tok: Tok,
        text: &'a str,
        start: usize,
    },
    Group {
        open: u8,
        inner: Vec<Tt<'a>>,
        start: usize,
        /// Past the closing delimiter.
        end: usize,
    },
}

impl Tt<'_> {
    fn is(&self, s: &str) -> bool {
        matches!(self, Tt::Leaf { text, .. } if *text == s)
    }
}

/// The token trees of `text`; `None` when its delimiters do not balance.
fn token_trees(text: &str) -> Option<Vec<Tt<'_>>> {
    let mut stack: Vec<(u8, usize, Vec<Tt>)> = vec![(0, 0, Vec::new())];
    for t in Lexer::new(text) {
        let s = &text[t.start..t.end];
        match t.tok {
            Tok::Open => stack.push((s.as_bytes()[0], t.start, Vec::new())),
            Tok::Close => {
                let (open, start, inner) = stack.pop()?;
                let want = match open {
                    b'(' => ")",
                    b'[' => "]",
                    b'{' => "}",
                    _ => return None,
                };
                if s != want {
                    return None;
                }
                stack.last_mut()?.2.push(Tt::Group {
                    open,
                    inner,
                    start,
                    end: t.end,
                });
            }
            tok => stack.last_mut()?.2.push(Tt::Leaf {
                tok,
                text: s,
                start: t.start,
            }),
        }
    }
    let (open, _, top) = stack.pop()?;
    (stack.is_empty() && open == 0).then_some(top)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frag {
    Expr,
    Ident,
    Ty,
    Path,
    Pat,
    PatParam,
    Literal,
    Lifetime,
    Block,
    Vis,
    Tt,
}

/// A matcher element.
#[derive(Debug)]
enum M<'a> {
    Tok(&'a str),
    Group(u8, Vec<M<'a>>),
    Frag(&'a str, Frag),
    Rep(Vec<M<'a>>, Option<&'a str>, u8),
}

/// Why a matcher or transcriber cannot be used at all (as opposed to not matching).
#[derive(Debug)]
struct Unsupported;

fn matcher<'a>(tts: &[Tt<'a>]) -> Result<Vec<M<'a>>, Unsupported> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tts.len() {
        match &tts[i] {
            Tt::Leaf { text: "$", .. } => match (tts.get(i + 1), tts.get(i + 2), tts.get(i + 3)) {
                (
                    Some(Tt::Leaf {
                        tok: Tok::Word,
                        text: name,
                        ..
                    }),
                    Some(Tt::Leaf { text: ":", .. }),
                    Some(Tt::Leaf {
                        tok: Tok::Word,
                        text: kind,
                        ..
                    }),
                ) => {
                    let frag = match *kind {
                        "expr" => Frag::Expr,
                        "ident" => Frag::Ident,
                        "ty" => Frag::Ty,
                        "path" => Frag::Path,
                        "pat" => Frag::Pat,
                        "pat_param" => Frag::PatParam,
                        "literal" => Frag::Literal,
                        "lifetime" => Frag::Lifetime,
                        "block" => Frag::Block,
                        "vis" => Frag::Vis,
                        "tt" => Frag::Tt,
                        _ => return Err(Unsupported),
                    };
                    out.push(M::Frag(name, frag));
                    i += 4;
                }
                (
                    Some(Tt::Group {
                        open: b'(', inner, ..
                    }),
                    sep,
                    op,
                ) => {
                    let inner = matcher(inner)?;
                    let (sep, op, used) = repetition(sep, op)?;
                    out.push(M::Rep(inner, sep, op));
                    i += 2 + used;
                }
                _ => return Err(Unsupported),
            },
            Tt::Leaf { text, .. } => {
                out.push(M::Tok(text));
                i += 1;
            }
            Tt::Group { open, inner, .. } => {
                out.push(M::Group(*open, matcher(inner)?));
                i += 1;
            }
        }
    }
    Ok(out)
}

/// A repetition's separator and operator from the tokens after its group; how many were read.
fn repetition<'a>(
    a: Option<&Tt<'a>>,
    b: Option<&Tt<'a>>,
) -> Result<(Option<&'a str>, u8, usize), Unsupported> {
    let op = |t: Option<&Tt<'a>>| match t {
        Some(Tt::Leaf { text, .. }) if matches!(*text, "*" | "+" | "?") => Some(text.as_bytes()[0]),
        _ => None,
    };
    if let Some(o) = op(a) {
        return Ok((None, o, 1));
    }
    match (a, op(b)) {
        (Some(Tt::Leaf { text, .. }), Some(o)) if *text != "$" => Ok((Some(text), o, 2)),
        _ => Err(Unsupported),
    }
}

/// What a fragment or repetition matched.
#[derive(Clone, Debug)]
enum Binding<'a> {
    One(Frag, Vec<Tt<'a>>),
    Many(Vec<Binding<'a>>),
}

type Bindings<'a> = HashMap<&'a str, Binding<'a>>;

fn names_in<'a>(ms: &[M<'a>], out: &mut Vec<&'a str>) {
    for m in ms {
        match m {
            M::Frag(n, _) => out.push(n),
            M::Group(_, inner) | M::Rep(inner, ..) => names_in(inner, out),
            M::Tok(_) => {}
        }
    }
}

/// Matches `ms` against `input` from `pos`; the position after, or `None` when they do not match.
fn match_seq<'a>(
    ms: &[M<'a>],
    input: &[Tt<'a>],
    mut pos: usize,
    b: &mut Bindings<'a>,
) -> Result<Option<usize>, Unsupported> {
    for m in ms {
        match m {
            M::Tok(t) => {
                if !input.get(pos).is_some_and(|x| x.is(t)) {
                    return Ok(None);
                }
                pos += 1;
            }
            M::Group(open, inner) => match input.get(pos) {
                Some(Tt::Group {
                    open: o,
                    inner: tts,
                    ..
                }) if o == open => {
                    if match_seq(inner, tts, 0, b)? != Some(tts.len()) {
                        return Ok(None);
                    }
                    pos += 1;
                }
                _ => return Ok(None),
            },
            M::Frag(name, frag) => {
                let Some(len) = fragment_len(*frag, &input[pos.min(input.len())..])? else {
                    return Ok(None);
                };
                b.insert(name, Binding::One(*frag, input[pos..pos + len].to_vec()));
                pos += len;
            }
            M::Rep(inner, sep, op) => {
                let mut iters: Vec<Bindings<'a>> = Vec::new();
                loop {
                    let mut q = pos;
                    if !iters.is_empty() {
                        if let Some(s) = sep {
                            if !input.get(q).is_some_and(|x| x.is(s)) {
                                break;
                            }
                            q += 1;
                        }
                    }
                    let mut one = Bindings::new();
                    match match_seq(inner, input, q, &mut one)? {
                        Some(end) if end > q => {
                            iters.push(one);
                            pos = end;
                        }
                        _ => break,
                    }
                    if *op == b'?' {
                        break;
                    }
                }
                if *op == b'+' && iters.is_empty() {
                    return Ok(None);
                }
                let mut names = Vec::new();
                names_in(inner, &mut names);
                for n in names {
                    let each = iters.iter_mut().filter_map(|it| it.remove(n)).collect();
                    b.insert(n, Binding::Many(each));
                }
            }
        }
    }
    Ok(Some(pos))
}

/// How many token trees at the start of `input` a fragment takes; `None` when it cannot start
/// there.
fn fragment_len(frag: Frag, input: &[Tt]) -> Result<Option<usize>, Unsupported> {
    let Some(first) = input.first() else {
        return Ok((frag == Frag::Vis).then_some(0));
    };
    fn word<'a>(t: &Tt<'a>) -> Option<&'a str> {
        match t {
            Tt::Leaf {
                tok: Tok::Word,
                text,
                ..
            } => Some(*text),
            _ => None,
        }
    }
    let is_literal = |t: &Tt| match t {
        Tt::Leaf { tok, text, .. } => {
            matches!(
                tok,
                Tok::Str | Tok::ByteStr | Tok::Char | Tok::Byte | Tok::Int | Tok::Float
            ) || matches!(*text, "true" | "false")
        }
        _ => false,
    };
    Ok(match frag {
        Frag::Tt => Some(1),
        Frag::Ident => word(first).filter(|w| *w != "_").map(|_| 1),
        Frag::Lifetime => matches!(
            first,
            Tt::Leaf {
                tok: Tok::Lifetime,
                ..
            }
        )
        .then_some(1),
        Frag::Literal => {
            if is_literal(first) {
                Some(1)
            } else if first.is("-") && input.get(1).is_some_and(is_literal) {
                Some(2)
            } else {
                None
            }
        }
        Frag::Block => matches!(first, Tt::Group { open: b'{', .. }).then_some(1),
        Frag::Vis => Some(match (word(first), input.get(1)) {
            (Some("pub"), Some(Tt::Group { open: b'(', .. })) => 2,
            (Some("pub"), _) => 1,
            _ => 0,
        }),
        Frag::Expr => {
            let mut n = 0;
            let mut angle = 0usize;
            while let Some(t) = input.get(n) {
                if angle == 0 && (t.is(",") || t.is(";") || t.is("=>")) {
                    break;
                }
                // Generic arguments of a path in an expression (`f::<A, B>(x)`).
                if t.is("::") && input.get(n + 1).is_some_and(|t| t.is("<")) {
                    angle += 1;
                    n += 2;
                    continue;
                }
                if angle > 0 {
                    if t.is("<") {
                        angle += 1;
                    } else if t.is(">") {
                        angle -= 1;
                    } else if t.is(">>") {
                        angle = angle.saturating_sub(2);
                    }
                }
                n += 1;
            }
            (n > 0).then_some(n)
        }
        Frag::Ty | Frag::Path | Frag::Pat | Frag::PatParam => {
            let mut n = 0;
            let mut angle = 0usize;
            while let Some(t) = input.get(n) {
                if angle == 0 {
                    let stop = match frag {
                        Frag::Ty | Frag::Path => {
                            [",", ";", "=>", "=", "|", ":", ">", "as", "where"]
                                .iter()
                                .any(|s| t.is(s))
                                || matches!(
                                    t,
                                    Tt::Group {
                                        open: b'{' | b'[',
                                        ..
                                    }
                                )
                        }
                        Frag::Pat => [",", "=>", "=", "if", "in"].iter().any(|s| t.is(s)),
                        _ => [",", "=>", "=", "|", "if", "in"].iter().any(|s| t.is(s)),
                    };
                    if stop {
                        break;
                    }
                }
                if matches!(frag, Frag::Ty | Frag::Path) || angle > 0 || t.is("::") {
                    if t.is("<") {
                        angle += 1;
                    } else if t.is(">") {
                        angle = angle.saturating_sub(1);
                    } else if t.is(">>") {
                        angle = angle.saturating_sub(2);
                    }
                }
                n += 1;
            }
            (n > 0).then_some(n)
        }
    })
}

/// A transcriber element.
#[derive(Debug)]
enum T<'a> {
    Leaf(Tt<'a>),
    Group(u8, Vec<T<'a>>, usize, usize),
    Var(&'a str),
    Crate,
    /// The operator does not matter here: the fragments' repetitions give the count.
    Rep(Vec<T<'a>>, Option<&'a str>),
}

fn transcriber<'a>(tts: &[Tt<'a>]) -> Result<Vec<T<'a>>, Unsupported> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tts.len() {
        match &tts[i] {
            Tt::Leaf { text: "$", .. } => match (tts.get(i + 1), tts.get(i + 2), tts.get(i + 3)) {
                (Some(Tt::Leaf { text: "crate", .. }), ..) => {
                    out.push(T::Crate);
                    i += 2;
                }
                (
                    Some(Tt::Leaf {
                        tok: Tok::Word,
                        text,
                        ..
                    }),
                    ..,
                ) => {
                    out.push(T::Var(text));
                    i += 2;
                }
                (
                    Some(Tt::Group {
                        open: b'(', inner, ..
                    }),
                    sep,
                    op,
                ) => {
                    let inner = transcriber(inner)?;
                    let (sep, _, used) = repetition(sep, op)?;
                    out.push(T::Rep(inner, sep));
                    i += 2 + used;
                }
                _ => return Err(Unsupported),
            },
            leaf @ Tt::Leaf { .. } => {
                out.push(T::Leaf(leaf.clone()));
                i += 1;
            }
            Tt::Group {
                open,
                inner,
                start,
                end,
            } => {
                out.push(T::Group(*open, transcriber(inner)?, *start, *end));
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Which text a token comes from, for spacing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Macro,
    Call,
}

/// The expansion being written: its text, the runs copied from the invocation, and the words
/// the invocation's fragments put in it.
pub(super) struct Out {
    pub(super) text: String,
    runs: Vec<(u32, u32, u32)>,
    /// Where the invocation's text starts in the function, when it has one place.
    call_at: Option<u32>,
    /// The source and end of the last token written, to keep adjacent tokens adjacent.
    last: Option<(Source, usize)>,
    call_words: Vec<Name>,
}

impl Out {
    fn token(&mut self, text: &str, source: Source, start: usize) {
        if self.last.is_some_and(|l| l != (source, start)) {
            self.text.push(' ');
        }
        let at = self.text.len();
        self.text.push_str(text);
        if let (Source::Call, Some(call_at)) = (source, self.call_at) {
            let (a, b, o) = (at as u32, self.text.len() as u32, call_at + start as u32);
            match self.runs.last_mut() {
                Some(r) if r.1 == a && r.2 + (r.1 - r.0) == o => r.1 = b,
                _ => self.runs.push((a, b, o)),
            }
        }
        self.last = Some((source, start + text.len()));
    }

    /// Writes a token tree copied from the invocation.
    fn call_tt(&mut self, t: &Tt) {
        match t {
            Tt::Leaf { text, start, tok } => {
                if *tok == Tok::Word || *tok == Tok::Lifetime {
                    self.call_words.push(Name::from(*text));
                }
                self.token(text, Source::Call, *start);
            }
            Tt::Group {
                open,
                inner,
                start,
                end,
            } => {
                self.token(open_str(*open), Source::Call, *start);
                inner.iter().for_each(|t| self.call_tt(t));
                self.token(close_str(*open), Source::Call, end - 1);
            }
        }
    }

    /// A token the macro writes: apart from what is around it.
    fn macro_token(&mut self, text: &str, start: usize) {
        self.token(text, Source::Macro, start);
    }
}

fn open_str(open: u8) -> &'static str {
    match open {
        b'(' => "(",
        b'[' => "[",
        _ => "{",
    }
}

fn close_str(open: u8) -> &'static str {
    match open {
        b'(' => ")",
        b'[' => "]",
        _ => "}",
    }
}

fn transcribe<'a>(
    ts: &[T<'a>],
    b: &Bindings<'a>,
    at: &[usize],
    out: &mut Out,
) -> Result<(), Unsupported> {
    for t in ts {
        if out.text.len() > MAX_EXPANSION {
            return Err(Unsupported);
        }
        match t {
            T::Leaf(Tt::Leaf { text, start, .. }) => out.macro_token(text, *start),
            T::Leaf(Tt::Group { .. }) => return Err(Unsupported),
            T::Group(open, inner, start, end) => {
                out.macro_token(open_str(*open), *start);
                transcribe(inner, b, at, out)?;
                out.macro_token(close_str(*open), end - 1);
            }
            T::Crate => {
                // `$crate` is this crate: the path `crate`.
                out.last = None;
                out.text.push_str(" crate");
            }
            // Not a metavariable of this macro (a `macro_rules!` it defines has its own): rustc
            // writes it as it is.
            T::Var(name) if b.get(name).is_none() => {
                out.last = None;
                out.text.push_str(" $");
                out.text.push_str(name);
            }
            T::Var(name) => {
                let Binding::One(frag, tts) = binding_at(b, name, at)? else {
                    return Err(Unsupported);
                };
                // An expression keeps its grouping: `$e * 2` with `a + b` is `(a + b) * 2`.
                let group = *frag == Frag::Expr;
                if group {
                    out.last = None;
                    out.text.push_str(" (");
                }
                out.last = None;
                tts.iter().for_each(|t| out.call_tt(t));
                if group {
                    out.text.push_str(") ");
                    out.last = None;
                }
            }
            T::Rep(inner, sep) => {
                let mut names = Vec::new();
                vars_in(inner, &mut names);
                let mut count: Option<usize> = None;
                for n in names {
                    if let Binding::Many(each) = binding_at(b, n, at)? {
                        match count {
                            Some(c) if c != each.len() => return Err(Unsupported),
                            _ => count = Some(each.len()),
                        }
                    }
                }
                let count = count.ok_or(Unsupported)?;
                let mut at = at.to_vec();
                for i in 0..count {
                    if i > 0 {
                        if let Some(s) = sep {
                            out.last = None;
                            out.text.push(' ');
                            out.text.push_str(s);
                        }
                    }
                    at.push(i);
                    transcribe(inner, b, &at, out)?;
                    at.pop();
                }
            }
        }
    }
    Ok(())
}

/// What `name` matched at the repetition indices `at` (as deep as it repeats).
fn binding_at<'b, 'a>(
    b: &'b Bindings<'a>,
    name: &str,
    at: &[usize],
) -> Result<&'b Binding<'a>, Unsupported> {
    let mut binding = b.get(name).ok_or(Unsupported)?;
    for &i in at {
        if let Binding::Many(each) = binding {
            binding = each.get(i).ok_or(Unsupported)?;
        }
    }
    Ok(binding)
}

fn vars_in<'a>(ts: &[T<'a>], out: &mut Vec<&'a str>) {
    for t in ts {
        match t {
            T::Var(n) => out.push(n),
            T::Group(_, inner, ..) | T::Rep(inner, ..) => vars_in(inner, out),
            _ => {}
        }
    }
}

/// The expansion text of `call` by `rules`, with the runs copied from the invocation and the
/// words its fragments put there; `None` when no rule matches or one cannot be used.
pub(super) fn expansion_text(rules: &MacroRules, tokens: &str, at: Option<u32>) -> Option<Out> {
    let input = token_trees(tokens)?;
    for (matcher_text, transcriber_text) in &rules.rules {
        let m_tts = token_trees(matcher_text)?;
        let ms = matcher(&m_tts).ok()?;
        let mut b = Bindings::new();
        if match_seq(&ms, &input, 0, &mut b).ok()? != Some(input.len()) {
            continue;
        }
        let t_tts = token_trees(transcriber_text)?;
        let ts = transcriber(&t_tts).ok()?;
        let mut out = Out {
            text: String::new(),
            runs: Vec::new(),
            call_at: at,
            last: None,
            call_words: Vec::new(),
        };
        transcribe(&ts, &b, &[], &mut out).ok()?;
        return Some(out);
    }
    None
}

const PREFIX: &str = "fn __m() {\n";
const SUFFIX: &str = "\n}";

/// `call` (spanning `span` in the function) expanded by `rules`, converted; `None` when it
/// cannot be (see the module's documentation).
pub fn expand(rules: &MacroRules, call: &MacroCall, span: Span) -> Option<Expr> {
    let tokens = call.tokens.as_ref()?;
    let out = expansion_text(rules, &tokens.text, tokens.at)?;
    let call_words = out.call_words;
    let mut src = String::with_capacity(PREFIX.len() + out.text.len() + SUFFIX.len());
    src.push_str(PREFIX);
    src.push_str(&out.text);
    src.push_str(SUFFIX);
    let tree = parse_remembered(&src)?;
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let body = root
        .named_child(0)
        .and_then(|f| f.child_by_field_name("body"))?;
    let mut shared = Shared {
        items: Vec::new(),
        cache_old: Default::default(),
        cache_new: Default::default(),
        caching: false,
        parser: Some(take_parser()),
        depth: 0,
        macro_nesting: 0,
        last_container: None,
        stack_start: stack_position(),
        limited: false,
        signatures_only: false,
        map: Some(SpanMap {
            runs: out.runs,
            call: span,
        }),
    };
    let block = {
        let mut cx = Cx::new(
            &src,
            root,
            0,
            -(PREFIX.len() as i64),
            Container::default(),
            &mut shared,
        );
        cx.block(body)
    };
    if let Some(parser) = shared.parser.take() {
        give_back(parser);
    }
    if !shared.items.is_empty() {
        return None;
    }
    // Items, and `let`s of the invocation's names, belong to the code around the invocation:
    // a block would hide them.
    for s in &block.stmts {
        match s {
            Stmt::Item(_) | Stmt::Cfg(_) => return None,
            Stmt::Let { pat, .. } if binds_from_call(pat, span) => return None,
            _ => {}
        }
    }
    let expr = match (block.stmts.is_empty(), block.tail) {
        (true, Some(tail)) => *tail,
        (_, tail) => Expr {
            span,
            kind: ExprKind::Block {
                block: crate::ast::Block { tail, ..block },
                label: None,
            },
        },
    };
    // Hygiene: a local the macro binds is not the invocation's of the same name.
    let mut bound = Vec::new();
    macro_bindings(&expr, span, &mut bound);
    if bound.iter().any(|n| call_words.contains(n)) {
        return None;
    }
    Some(expr)
}

thread_local! {
    /// The parses of this thread's recent expansions, by their text: a function is lowered again
    /// on every keystroke in it, and its invocations expand to the texts they expanded to before.
    static EXPANSIONS: std::cell::RefCell<HashMap<Box<str>, tree_sitter::Tree>> =
        std::cell::RefCell::new(HashMap::new());
}

/// The parse of an expansion's text (a function wrapping it), or of a macro's arguments inside
/// one, remembered; `None` past the parse's budget.
pub(super) fn parse_remembered(src: &str) -> Option<tree_sitter::Tree> {
    /// Enough for the invocations of the functions being edited; past it, all are forgotten.
    const KEPT: usize = 512;
    if let Some(tree) = EXPANSIONS.with(|kept| kept.borrow().get(src).cloned()) {
        return Some(tree);
    }
    let mut parser = take_parser();
    let tree = parse_within_budget(&mut parser, src, None);
    give_back(parser);
    let tree = tree?;
    EXPANSIONS.with(|kept| {
        let mut kept = kept.borrow_mut();
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert(src.into(), tree.clone());
    });
    Some(tree)
}

/// Whether `pat` binds a name copied from the invocation.
fn binds_from_call(pat: &Pat, call: Span) -> bool {
    let mut from_call = false;
    pat.walk(&mut |p| {
        if matches!(p.kind, PatKind::Binding { .. }) && p.span != call {
            from_call = true;
        }
    });
    from_call
}

/// The names of the bindings the macro's own text makes (their span is the invocation's).
fn macro_bindings(e: &Expr, call: Span, out: &mut Vec<Name>) {
    let pat = |p: &Pat, out: &mut Vec<Name>| {
        p.walk(&mut |p| {
            if let PatKind::Binding { name, .. } = &p.kind {
                if p.span == call {
                    out.push(name.clone());
                }
            }
        })
    };
    match &e.kind {
        ExprKind::Block { block, .. } => {
            for s in &block.stmts {
                if let Stmt::Let { pat: p, .. } = s {
                    pat(p, out);
                }
            }
        }
        ExprKind::Let { pat: p, .. } | ExprKind::For { pat: p, .. } => pat(p, out),
        ExprKind::Match { arms, .. } => arms.iter().for_each(|a| pat(&a.pat, out)),
        ExprKind::Closure { params, .. } => params.iter().for_each(|c| pat(&c.pat, out)),
        _ => {}
    }
    for_each_child(e, &mut |c| macro_bindings(c, call, out));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(def: &str) -> MacroRules {
        let defs = macro_definitions(def);
        assert_eq!(defs.len(), 1, "{def}");
        defs.into_iter().next().unwrap().1
    }

    fn text(def: &str, call: &str) -> Option<String> {
        expansion_text(&rules(def), call, Some(100)).map(|o| o.text)
    }

    #[test]
    fn a_rule_with_an_expr_and_an_optional_comma() {
        let tri = "macro_rules! tri {\n    ($e:expr $(,)?) => {\n        match $e { Ok(val) => val, Err(err) => return Err(err), }\n    };\n}";
        assert_eq!(
            text(tri, "fill(&mut writer)").as_deref(),
            Some("match (fill(&mut writer)) { Ok(val) => val, Err(err) => return Err(err), }")
        );
    }
}
