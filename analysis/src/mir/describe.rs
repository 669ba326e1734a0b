//! A place named as rustc names it in messages (`*self`, `x.0`, `v[_]`: `describe_place`, data
//! that the typed errors carry), and as the user wrote it (`self.items[i]`, `e.kind.0`,
//! `make().0`: `PlaceNamer`, what the IDE shows): names, not sentences.

use super::{Body, Local, LocalKind, Operand, Place, Proj, Rvalue, StatementKind, Terminator};
use crate::ast::{FieldName, Span};
use crate::index::Index;
use crate::ty::Ty;

/// Renders a place as rustc does in messages (`*self`, `x.0`, `v[_]`).
pub fn describe_place(body: &Body, place: &Place) -> String {
    let decl = body.local(place.local);
    let mut s = decl.name.as_deref().unwrap_or("_").to_string();
    let mut deref_pending = false;
    // An index temporary (`v[_]`) points at the element it names: its deref is the element.
    let skip = usize::from(
        decl.kind == LocalKind::Temp
            && s.ends_with(']')
            && place.proj.first() == Some(&Proj::Deref),
    );
    for proj in &place.proj[skip..] {
        match proj {
            Proj::Deref => {
                if deref_pending {
                    s = format!("*{s}");
                }
                deref_pending = true;
            }
            Proj::Field(f) => {
                deref_pending = false;
                match f {
                    FieldName::Named(n) => s = format!("{s}.{n}"),
                    FieldName::Index(i) => s = format!("{s}.{i}"),
                }
            }
            Proj::Index | Proj::ConstIndex { .. } => {
                if deref_pending {
                    s = format!("(*{s})");
                    deref_pending = false;
                }
                s = format!("{s}[_]");
            }
            Proj::Subslice | Proj::Range { .. } => {
                if deref_pending {
                    s = format!("(*{s})");
                    deref_pending = false;
                }
                s = format!("{s}[..]");
            }
            Proj::Downcast(_) => {
                if deref_pending {
                    s = format!("(*{s})");
                    deref_pending = false;
                }
            }
        }
    }
    if deref_pending {
        s = format!("*{s}");
    }
    s
}

/// An index whose expression the place does not hold (`v[_]` in rustc's words), until the
/// written text fills it in.
const MARK: &str = "[\u{1}]";
/// How long a name made of source text may grow before it is shortened with `…`.
const MAX_NAME: usize = 48;
/// The longest name written twice in an index from the end (`s[s.len() - 1]`).
const MAX_LEN_BASE: usize = 12;
/// A temporary without source text (none was seen in real code: every temporary has the span
/// of its expression).
const NO_SOURCE: &str = "a temporary";
/// How many temporaries are followed back to what they stand for.
const MAX_DEPTH: u32 = 16;

/// A borrowed place named as the user wrote it, for the IDE: the bindings' names, the source
/// text of a temporary's expression (`self.get().0`), the written index (`self.items[i]`), and
/// never a name the lowering made up (`_`, `(*_).0`, `v[_]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenPlace {
    /// The place as text (`self.items[i]`, `pair.0`, `*r`, `foo()`), shortened in its middle
    /// when long.
    pub text: String,
    /// The text as the operand of `&`, `&mut` or `*`: in parentheses when it is not one
    /// expression chain (`&mut (&[1] as _)`).
    pub operand: String,
    /// The binding whose own value is borrowed (`v` for `v.0` or `v[i]`), not through a
    /// reference it holds (`*r`): what a hover on that name says is borrowed.
    pub root: Option<crate::ast::Name>,
}

/// What a temporary holds: its one definition.
#[derive(Clone, Copy)]
enum Def<'a> {
    /// `t = &q` (or `&mut q`).
    Ref(&'a Place, Span),
    /// `t = q` (a copy or move of a place).
    Use(&'a Place, Span),
    /// `t = f(args)`: an overloaded index's result (`Index::index(&v, i)`).
    Call(&'a [Operand]),
}

/// Names the places of one body as the user wrote them (`name`). `text` is the function's
/// source: the body's spans index it.
pub struct PlaceNamer<'a> {
    body: &'a Body,
    index: &'a Index,
    text: &'a str,
    /// Per local: its one definition, when it has exactly one of the kinds above.
    defs: Vec<Option<Def<'a>>>,
}

impl<'a> PlaceNamer<'a> {
    pub fn new(body: &'a Body, index: &'a Index, text: &'a str) -> PlaceNamer<'a> {
        // Count every definition of each local: a temporary assigned twice stands for nothing.
        let mut count = vec![0u32; body.locals.len()];
        let mut defs: Vec<Option<Def<'a>>> = vec![None; body.locals.len()];
        let defines = |p: &Place| p.proj.first() != Some(&Proj::Deref);
        for block in &body.blocks {
            for stmt in &block.stmts {
                let (local, def) = match &stmt.kind {
                    StatementKind::Assign(p, rv) if defines(p) => {
                        let def = match (rv, p.proj.is_empty()) {
                            (Rvalue::Ref(_, q), true) => Some(Def::Ref(q, stmt.span)),
                            (Rvalue::Use(op), true) => op.place().map(|q| Def::Use(q, stmt.span)),
                            _ => None,
                        };
                        (p.local, def)
                    }
                    StatementKind::MaybeInit(l) => (*l, None),
                    _ => continue,
                };
                if let Some(n) = count.get_mut(local.0 as usize) {
                    *n += 1;
                    defs[local.0 as usize] = def;
                }
            }
            if let Terminator::Call { args, dest, .. } = &block.term {
                if defines(dest) {
                    if let Some(n) = count.get_mut(dest.local.0 as usize) {
                        *n += 1;
                        defs[dest.local.0 as usize] =
                            dest.proj.is_empty().then_some(Def::Call(&args[..]));
                    }
                }
            }
        }
        for (d, n) in defs.iter_mut().zip(count) {
            if n != 1 {
                *d = None;
            }
        }
        PlaceNamer {
            body,
            index,
            text,
            defs,
        }
    }

    /// The place a borrow takes, named as the user wrote it; `borrow` is the borrow expression
    /// (`&self.items[i]`, or the receiver of an autoref), whose text gives the indexes.
    pub fn name(&self, place: &Place, borrow: Option<Span>) -> WrittenPlace {
        let (resolved, text) = self.named(place, borrow, 0);
        let decl = self.body.local(resolved.local);
        let user = matches!(
            decl.kind,
            LocalKind::User | LocalKind::Arg | LocalKind::Upvar
        );
        let through_ref = resolved
            .proj
            .iter()
            .rev()
            .find(|p| !matches!(p, Proj::Downcast(_)))
            == Some(&Proj::Deref);
        let text = text.replace(MARK, "[…]");
        WrittenPlace {
            operand: if compound(&text) {
                format!("({})", shorten(&text, MAX_NAME))
            } else {
                shorten(&text, MAX_NAME)
            },
            text: shorten(&text, MAX_NAME),
            root: decl.name.clone().filter(|_| user && !through_ref),
        }
    }

    fn source(&self, span: Span) -> Option<&'a str> {
        self.text
            .get(span.start as usize..span.end as usize)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The place with its temporaries followed back to the places they stand for, and its name
    /// (with `MARK` for the indexes the written text did not fill).
    fn named(&self, place: &Place, borrow: Option<Span>, depth: u32) -> (Place, String) {
        let decl = self.body.local(place.local);
        let def = self.defs.get(place.local.0 as usize).copied().flatten();
        let temp = decl.kind == LocalKind::Temp && depth < MAX_DEPTH;
        let (resolved, base, rest, deref_pending) = match def {
            // `*t` with `t = &q` is `q`, unless `t` is what an overloaded deref of `q` returns
            // (`&*rc` borrows `q` into `t: &T`): then it is `*q`.
            Some(Def::Ref(q, span)) if temp && place.proj.first() == Some(&Proj::Deref) => {
                let (inner, name) = self.named(q, Some(span), depth + 1);
                let overloaded = self.overloaded_deref(place.local, q);
                (inner, name, &place.proj[1..], overloaded)
            }
            Some(Def::Use(q, span)) if temp => {
                let (inner, name) = self.named(q, Some(span), depth + 1);
                (inner, name, &place.proj[..], false)
            }
            _ => {
                let (base, rest) = self.root(place, depth);
                (place.clone(), base, rest, false)
            }
        };
        let mut resolved = resolved;
        resolved.proj.extend(rest.iter().cloned());
        let name = project(base, usize::from(deref_pending), rest);
        let written = borrow.and_then(|b| self.source(b)).map(borrowed_text);
        (resolved, fill(&name, written))
    }

    /// The name of the place's local, and the projections still to apply to it.
    fn root<'p>(&self, place: &'p Place, depth: u32) -> (String, &'p [Proj]) {
        let decl = self.body.local(place.local);
        let written = self.source(decl.span);
        match (&decl.name, decl.kind) {
            // An overloaded index's result, named `v[_]`: its deref is the element, and its
            // expression the element as written (`v[i]`); without one, its container indexed.
            (Some(_), LocalKind::Temp) if place.proj.first() == Some(&Proj::Deref) => {
                let name = match written {
                    Some(w) => one_line(w),
                    None => match self.indexed(place.local, depth) {
                        Some(container) => format!("{}{MARK}", postfix(container)),
                        None => NO_SOURCE.to_string(),
                    },
                };
                (name, &place.proj[1..])
            }
            (Some(name), _) if decl.kind != LocalKind::Temp => (name.to_string(), &place.proj[..]),
            // A temporary (or an argument's pattern): the expression the user wrote.
            _ => match written {
                Some(w) => (one_line(w), &place.proj[..]),
                None => (NO_SOURCE.to_string(), &place.proj[..]),
            },
        }
    }

    /// The container an overloaded index's result `t = Index::index(&v, i)` indexes, named
    /// (`v`, not `(*v)`: indexing derefs its container as a method call does).
    fn indexed(&self, t: Local, depth: u32) -> Option<String> {
        let Some(Def::Call(args)) = self.defs[t.0 as usize] else {
            return None;
        };
        let r = args.first().and_then(Operand::place)?;
        if !r.proj.is_empty() || depth >= MAX_DEPTH {
            return None;
        }
        let Some(Def::Ref(base, span)) = self.defs[r.local.0 as usize] else {
            return None;
        };
        let mut base = base.clone();
        while base.proj.last() == Some(&Proj::Deref) {
            base.proj.pop();
        }
        Some(self.named(&base, Some(span), depth + 1).1)
    }

    /// `t: &T` holds `&q` where `q` is a smart pointer or a type with `Deref` to `T`: the
    /// lowering's form of `Deref::deref(&q)`.
    fn overloaded_deref(&self, t: Local, q: &Place) -> bool {
        let q_ty = super::place_ty::place_ty(self.body, self.index, q);
        let Ty::Adt { name, .. } = &q_ty else {
            return false;
        };
        let same = match &self.body.local(t).ty {
            Ty::Ref(_, target) => matches!(&**target, Ty::Adt { name: n, .. } if n == name),
            _ => true,
        };
        !same && (q_ty.deref().is_some() || self.index.deref_target(&q_ty).is_some())
    }
}

/// Applies projections to a name: the derefs before a field or an index are implied, as the
/// user writes them (`r.x`, `r[i]` for `(*r).x`, `(**r)[_]`); a downcast is not written at all.
/// `derefs` are derefs already applied and not yet written.
fn project(mut s: String, mut derefs: usize, proj: &[Proj]) -> String {
    for p in proj {
        match p {
            Proj::Deref => derefs += 1,
            Proj::Field(f) => {
                derefs = 0;
                s = match f {
                    FieldName::Named(n) => format!("{}.{n}", postfix(s)),
                    FieldName::Index(i) => format!("{}.{i}", postfix(s)),
                };
            }
            Proj::Index | Proj::Subslice => {
                derefs = 0;
                s = format!("{}{MARK}", postfix(s));
            }
            Proj::ConstIndex {
                offset,
                from_end: false,
                ..
            } => {
                derefs = 0;
                s = format!("{}[{offset}]", postfix(s));
            }
            Proj::Range {
                from,
                to,
                from_end: false,
            } => {
                derefs = 0;
                s = format!("{}[{from}..{to}]", postfix(s));
            }
            // From the end of a slice: `s[s.len() - 1]`, `s[1..s.len() - 1]` while short.
            Proj::ConstIndex {
                offset,
                from_end: true,
                ..
            } => {
                derefs = 0;
                s = match s.chars().count() <= MAX_LEN_BASE {
                    true => {
                        let base = postfix(s);
                        format!("{base}[{base}.len() - {offset}]")
                    }
                    false => format!("{}{MARK}", postfix(s)),
                };
            }
            Proj::Range {
                from,
                to,
                from_end: true,
            } => {
                derefs = 0;
                s = match (*to, s.chars().count() <= MAX_LEN_BASE) {
                    (0, _) => format!("{}[{from}..]", postfix(s)),
                    (to, true) => {
                        let base = postfix(s);
                        format!("{base}[{from}..{base}.len() - {to}]")
                    }
                    (_, false) => format!("{}{MARK}", postfix(s)),
                };
            }
            Proj::Downcast(_) => {}
        }
    }
    if derefs > 0 {
        s = format!("{}{}", "*".repeat(derefs), prefix(s));
    }
    s
}

/// Whether an expression's text begins with a prefix operator (`*a`, `&mut a`, `-a`).
fn starts_unary(s: &str) -> bool {
    s.starts_with(['*', '&', '!', '-'])
}

/// Whether an expression's text, past its prefix operators, holds a binary operator, a range or
/// a space outside brackets and string literals (`a + b`, `x as u8`, `Foo { x }`): not one
/// postfix chain (`a.b[i].c()?`, `vec![1]`).
fn compound(s: &str) -> bool {
    let s = s.trim_start_matches(['*', '&', '!', '-']);
    let s = s.strip_prefix("mut ").unwrap_or(s);
    let (mut depth, mut in_str, mut escaped, mut prev) = (0i32, false, false, ' ');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            // `Foo { x }` is one struct literal.
            ' ' if depth == 0 && chars.peek() == Some(&'{') => {}
            ' ' | '+' | '-' | '*' | '/' | '%' | '|' | '^' | '<' | '>' | '=' | '&' if depth == 0 => {
                return true
            }
            '.' if depth == 0 && prev == '.' => return true,
            _ => {}
        }
        prev = c;
    }
    false
}

/// The name as the operand of a postfix projection (`.x`, `[i]`): in parentheses unless it is
/// one postfix chain already.
fn postfix(s: String) -> String {
    if starts_unary(&s) || compound(&s) {
        format!("({s})")
    } else {
        s
    }
}

/// The name as the operand of a prefix `*`.
fn prefix(s: String) -> String {
    if compound(&s) {
        format!("({s})")
    } else {
        s
    }
}

/// The borrowed expression of a borrow's text: `&mut x` is `x`, `(x)` is `x`; an autoref's
/// receiver is itself.
fn borrowed_text(s: &str) -> &str {
    let mut s = s.trim();
    if let Some(rest) = s.strip_prefix('&') {
        let rest = rest.trim_start();
        s = rest
            .strip_prefix("raw const ")
            .or_else(|| rest.strip_prefix("raw mut "))
            .or_else(|| rest.strip_prefix("mut "))
            .unwrap_or(rest)
            .trim_start();
    }
    while let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        // `(a).b(c)` is not `a).b(c`: strip only parentheses that enclose all of it.
        if !balanced(inner) {
            break;
        }
        s = inner.trim();
    }
    s
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// The name with its `MARK`s filled from the written text, when the text is the same place
/// (whitespace aside) with each mark an index in brackets: `v[MARK].0` and `v[i + 1].0`.
/// Otherwise the name as it is.
fn fill(name: &str, written: Option<&str>) -> String {
    let Some(written) = written.filter(|_| name.contains(MARK)) else {
        return name.to_string();
    };
    let written = one_line(written);
    let w: Vec<char> = written.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while w.get(*i) == Some(&' ') {
            *i += 1;
        }
    };
    let mut rest = name;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(MARK) {
            // One index in brackets, as written.
            skip_ws(&mut i);
            if w.get(i) != Some(&'[') {
                return name.to_string();
            }
            let mut depth = 0;
            loop {
                match w.get(i) {
                    None => return name.to_string(),
                    Some('(' | '[' | '{') => depth += 1,
                    Some(')' | ']' | '}') => depth -= 1,
                    _ => {}
                }
                i += 1;
                if depth == 0 {
                    break;
                }
            }
            rest = after;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        rest = &rest[c.len_utf8()..];
        if c == ' ' {
            continue;
        }
        skip_ws(&mut i);
        if w.get(i) != Some(&c) {
            return name.to_string();
        }
        i += 1;
    }
    skip_ws(&mut i);
    if i == w.len() {
        written
    } else {
        name.to_string()
    }
}

/// The text on one line: whitespace runs made one space, and none where a line break only
/// continued a chain (`rest\n    .trim()` is `rest.trim()`) or followed an opening bracket
/// (braces keep their spaces: `Foo { x: 1, }`).
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_whitespace() {
            out.push(c);
            continue;
        }
        let mut newline = c == '\n';
        while let Some(&n) = chars.peek().filter(|n| n.is_whitespace()) {
            newline |= n == '\n';
            chars.next();
        }
        let next = chars.peek().copied().unwrap_or(' ');
        let glued =
            newline && (matches!(next, '.' | '?' | ')' | ']' | ',') || out.ends_with(['(', '[']));
        if !glued {
            out.push(' ');
        }
    }
    out
}

/// At most `max` characters: a longer text keeps its start and its end around `…`
/// (`self.items.iter()…map(f)`), which say what it starts from and what it ends with.
fn shorten(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let head = (max - 1) / 2;
    let tail = max - 1 - head;
    let mut out: String = s.chars().take(head).collect();
    out.push('…');
    out.extend(s.chars().skip(n - tail));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_filled_from_the_written_text() {
        let name = format!("self.items{MARK}.0");
        assert_eq!(
            fill(&name, Some("self.items[i + 1].0")),
            "self.items[i + 1].0"
        );
        assert_eq!(
            fill(&name, Some("self.items[f(a[0])]\n    .0")),
            "self.items[f(a[0])].0"
        );
        // Another place: the name stays, with its mark.
        assert_eq!(fill(&name, Some("other[i].0")), name);
        assert_eq!(fill(&name, Some("self.items.0")), name);
        assert_eq!(fill(&name, None), name);
    }

    #[test]
    fn borrowed_text_strips_the_borrow() {
        assert_eq!(borrowed_text("&mut self.items[i]"), "self.items[i]");
        assert_eq!(borrowed_text("& (pair.0)"), "pair.0");
        assert_eq!(borrowed_text("&raw const x"), "x");
        assert_eq!(borrowed_text("(a).b(c)"), "(a).b(c)");
    }

    #[test]
    fn parentheses_where_precedence_needs_them() {
        assert_eq!(project("r".into(), 0, &[Proj::Deref, Proj::Deref]), "**r");
        let field = Proj::Field(FieldName::Index(0));
        assert_eq!(project("r".into(), 0, &[Proj::Deref, field.clone()]), "r.0");
        assert_eq!(
            project("*r".into(), 0, std::slice::from_ref(&field)),
            "(*r).0"
        );
        assert_eq!(project("a + b".into(), 1, &[]), "*(a + b)");
        assert_eq!(
            project("Foo { x: 1 }".into(), 0, &[field]),
            "Foo { x: 1 }.0"
        );
        assert!(compound("&[1] as _"));
        assert!(!compound("v.iter().map(|x| x + 1)"));
        assert!(!compound("vec![1, 2]"));
        assert!(!compound("\"a b\".len()"));
        assert!(compound("0..n"));
    }

    #[test]
    fn long_text_keeps_its_ends() {
        assert_eq!(
            one_line("rest\n    .trim()\n    .len()"),
            "rest.trim().len()"
        );
        assert_eq!(one_line("f(\n    a,\n    b,\n)"), "f(a, b,)");
        assert_eq!(one_line("a  +\n b"), "a + b");
        assert_eq!(one_line("Foo {\n    x: 1,\n}"), "Foo { x: 1, }");
        let long = "self.items.iter().filter(|x| x.is_good()).map(f)";
        let short = shorten(long, 24);
        assert_eq!(short.chars().count(), 24);
        assert_eq!(short, "self.items.…od()).map(f)");
    }
}
