//! Quick fixes for borrow-check errors: the edits an expert would make, computed from the error's
//! spans, the function's syntax and the loan facts.
//!
//! A fix is offered only when its shape is known to compile in the common case: statements are
//! moved only within one block, whole lines at a time, and only when no name flows between the
//! moved statements and those they cross. Fixes that need a type fact (`.clone()`) are offered
//! only when the type is known to implement what they need. `tools/check_fixes.py` applies every
//! fix offered on the corpora and asks rustc whether it worked.

use std::collections::HashSet;

use crate::ast::*;
use crate::borrowck::BorrowckResult;
use crate::errors::{BorrowError, ConflictKind, ErrorKind, Immutable, Pointer, Role, UseKind};
use crate::index::Index;
use crate::mir::{Body, LocalKind, Rvalue, StatementKind};
use crate::ty::Ty;
use crate::TextRange;

/// One text replacement, in byte offsets of the file (all edits of a fix refer to the text
/// before any of them is applied, as in LSP's `WorkspaceEdit`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// A quick fix: a title for the menu and the edits that make it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// What the fix does, for statistics: `add-mut`, `move-after-last-use`, `clone`, ...
    pub kind: &'static str,
    pub title: String,
    pub edits: Vec<TextEdit>,
}

/// What the fixes of one function's errors look at.
pub(crate) struct FixCtx<'a> {
    /// The whole file.
    pub text: &'a str,
    /// The function's offset in the file: every span below is relative to it.
    pub offset: u32,
    pub def: &'a FnDef,
    pub body: &'a Body,
    pub borrowck: &'a BorrowckResult,
    pub index: &'a Index,
}

/// The fixes for one error, best first.
pub(crate) fn fixes(cx: &FixCtx, e: &BorrowError) -> Vec<Fix> {
    let Some(root) = &cx.def.body else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match &e.kind {
        ErrorKind::NotMutable { .. } | ErrorKind::Reassigned { .. } => add_mut(cx, e, &mut out),
        ErrorKind::Conflict { kind, .. } => {
            split_at_mut(cx, root, e, &mut out);
            collect_first(cx, root, e, &mut out);
            if *kind != ConflictKind::MoveWhileBorrowed {
                bind_first(cx, root, e, &mut out);
            }
            if *kind == ConflictKind::MoveWhileBorrowed {
                if let Some(moved) = e.label(Role::Access) {
                    clone_at(cx, root, moved, &mut out);
                }
            }
            reorder(cx, root, e, &mut out);
        }
        ErrorKind::UseAfterMove {
            action,
            partial,
            moves,
            ..
        } => {
            if let Some(&moved) = moves.first() {
                borrow_in_for(cx, root, moved, &mut out);
                borrow_matched(cx, root, moved, &mut out);
                clone_at(cx, root, moved, &mut out);
                restrict_copy(cx, moved, &mut out);
                // Only a use that borrows can go first: a use that moves would move it twice.
                // (A use of a partially moved value keeps its fixes to the move.)
                if *action == UseKind::Borrow && !partial {
                    use_before_move(cx, root, moved, e.span, &mut out);
                }
            }
        }
        ErrorKind::TemporaryDropped { .. } => bind_temporary(cx, root, e, &mut out),
        ErrorKind::DoesNotLiveLongEnough { .. } => {
            hoist_declaration(cx, root, e, &mut out);
            bind_tail(cx, root, e, &mut out);
            drop_annotated_lifetime(cx, root, e, &mut out);
        }
        ErrorKind::ClosureMayOutlive { .. } => add_move(cx, e, &mut out),
        ErrorKind::Uninitialized { .. } => initialize(cx, root, e, &mut out),
        ErrorKind::MoveOut(_) => {
            borrow_instead(cx, root, e, &mut out);
            clone_moved_out(cx, root, e, &mut out);
        }
        ErrorKind::MutatedInGuard { .. }
        | ErrorKind::ReturnsBorrow { .. }
        | ErrorKind::ReturnOutlives { .. }
        | ErrorKind::StaticOutlives => {}
    }
    out
}

// ---- text helpers ----------------------------------------------------------------------------

impl FixCtx<'_> {
    fn abs(&self, s: Span) -> TextRange {
        let len = self.text.len() as u32;
        TextRange {
            start: (self.offset + s.start).min(len),
            end: (self.offset + s.end).min(len),
        }
    }

    fn src(&self, s: Span) -> &str {
        let r = self.abs(s);
        self.text
            .get(r.start as usize..r.end as usize)
            .unwrap_or("")
    }

    fn edit(&self, s: Span, new_text: impl Into<String>) -> TextEdit {
        TextEdit {
            range: self.abs(s),
            new_text: new_text.into(),
        }
    }

    fn insert(&self, at: u32, new_text: impl Into<String>) -> TextEdit {
        TextEdit {
            range: TextRange { start: at, end: at },
            new_text: new_text.into(),
        }
    }

    /// The edits that move the whole lines `from` (file offsets, as `stmt_lines` gives them) to
    /// the line boundary `to`, in the order of their positions.
    fn move_lines(&self, from: (u32, u32), to: u32) -> Vec<TextEdit> {
        let mut moved = self.text[from.0 as usize..from.1 as usize].to_string();
        if !moved.ends_with('\n') {
            moved.push('\n');
        }
        // At the end of a text without a final line break, the break goes first.
        if to as usize == self.text.len() && !self.text.ends_with('\n') {
            moved.insert(0, '\n');
            moved.pop();
        }
        let delete = TextEdit {
            range: TextRange {
                start: from.0,
                end: from.1,
            },
            new_text: String::new(),
        };
        if to < from.0 {
            vec![self.insert(to, moved), delete]
        } else {
            vec![delete, self.insert(to, moved)]
        }
    }

    /// The whole lines a statement occupies, in file offsets: from its line's start to after its
    /// line break, when nothing but blanks, its `;` and a line comment share those lines.
    fn stmt_lines(&self, s: Span) -> Option<(u32, u32)> {
        let r = self.abs(s);
        let bytes = self.text.as_bytes();
        let mut start = r.start as usize;
        while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
            start -= 1;
        }
        if start > 0 && bytes[start - 1] != b'\n' {
            return None;
        }
        let mut end = r.end as usize;
        let skip_blank = |mut i: usize| {
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r') {
                i += 1;
            }
            i
        };
        end = skip_blank(end);
        if end < bytes.len()
            && bytes[end] == b';'
            && !self.text[r.start as usize..r.end as usize].ends_with(';')
        {
            end = skip_blank(end + 1);
        }
        if self.text[end..].starts_with("//") {
            end += self.text[end..].find('\n').unwrap_or(self.text.len() - end);
        }
        if end < bytes.len() {
            if bytes[end] != b'\n' {
                return None;
            }
            end += 1;
        }
        Some((start as u32, end as u32))
    }

    fn indent_at(&self, line_start: u32) -> &str {
        let rest = &self.text[line_start as usize..];
        let n = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        &rest[..n]
    }

    /// A short quotation of a statement for a fix's title.
    fn quote(&self, s: Span) -> String {
        let text = self.src(s);
        let first = text.lines().next().unwrap_or("").trim();
        let first = first.strip_suffix(';').unwrap_or(first);
        if first.chars().count() > 40 || text.trim().lines().count() > 1 {
            let short: String = first.chars().take(37).collect();
            format!("{}…", short.trim_end())
        } else {
            first.to_string()
        }
    }

    /// A name for a new binding: `base` unless the function already uses it.
    fn fresh_name(&self, base: &str) -> String {
        let fn_text = self.src(Span::new(0, self.def_len()));
        let used = |n: &str| {
            fn_text.match_indices(n).any(|(i, _)| {
                let before = fn_text[..i].chars().next_back();
                let after = fn_text[i + n.len()..].chars().next();
                !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
            })
        };
        if !used(base) {
            return base.to_string();
        }
        (2..)
            .map(|i| format!("{base}{i}"))
            .find(|n| !used(n))
            .unwrap_or_default()
    }

    fn def_len(&self) -> u32 {
        self.def.body.as_ref().map_or(0, |b| b.span.end)
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `x`, `x.f`, `self.items.0`: a place expression that `.clone()` or `&` can follow or precede
/// without parentheses.
fn is_simple_place(text: &str) -> bool {
    !text.is_empty()
        && text
            .split('.')
            .all(|seg| !seg.is_empty() && seg.chars().all(is_ident_char))
        && !text.starts_with(|c: char| c.is_ascii_digit())
}

// ---- syntax helpers ----------------------------------------------------------------------------

fn stmt_span(s: &Stmt) -> Span {
    match s {
        Stmt::Let { span, .. } => *span,
        Stmt::Expr { expr, .. } => expr.span,
        Stmt::Item(span) | Stmt::Cfg(span) => *span,
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Where a span sits: the chain of blocks from the body inwards, each with the index of the
/// statement holding the span (`stmts.len()` for the tail expression).
fn locate(root: &Block, span: Span) -> Vec<(&Block, usize)> {
    let mut chain = Vec::new();
    let mut block = root;
    'outer: loop {
        let idx = block
            .stmts
            .iter()
            .position(|s| contains(stmt_span(s), span))
            .or_else(|| {
                block
                    .tail
                    .as_ref()
                    .filter(|t| contains(t.span, span))
                    .map(|_| block.stmts.len())
            });
        let Some(idx) = idx else { break };
        chain.push((block, idx));
        let mut exprs: Vec<&Expr> = Vec::new();
        match block.stmts.get(idx) {
            Some(Stmt::Let {
                init, else_block, ..
            }) => {
                exprs.extend(init.iter());
                if let Some(b) = else_block {
                    if contains(b.span, span) {
                        block = b;
                        continue 'outer;
                    }
                }
            }
            Some(Stmt::Expr { expr, .. }) => exprs.push(expr),
            Some(_) => break,
            None => exprs.extend(block.tail.as_deref()),
        }
        // Descend through expressions to the innermost block that holds the span.
        while let Some(e) = exprs.pop() {
            if !contains(e.span, span) {
                continue;
            }
            if let Some(b) = child_blocks(e).into_iter().find(|b| contains(b.span, span)) {
                block = b;
                continue 'outer;
            }
            crate::lower::for_each_child(e, &mut |c| {
                if contains(c.span, span) {
                    exprs.push(c)
                }
            });
        }
        break;
    }
    chain
}

/// The blocks directly under an expression.
fn child_blocks(e: &Expr) -> Vec<&Block> {
    match &e.kind {
        ExprKind::Block { block, .. } | ExprKind::OpaqueBlock(block) => vec![block],
        ExprKind::If { then_branch, .. } => vec![then_branch],
        ExprKind::While { body, .. } | ExprKind::Loop { body, .. } | ExprKind::For { body, .. } => {
            vec![body]
        }
        _ => Vec::new(),
    }
}

/// The innermost block holding both spans in two of its statements, with their indices.
fn common_block(root: &Block, a: Span, b: Span) -> Option<(&Block, usize, usize)> {
    let ca = locate(root, a);
    let cb = locate(root, b);
    let mut found = None;
    for ((ba, ia), (bb, ib)) in ca.iter().zip(cb.iter()) {
        if !std::ptr::eq(*ba, *bb) {
            break;
        }
        found = Some((*ba, *ia, *ib));
        if ia != ib {
            break;
        }
    }
    found
}

/// Every name an expression or statement mentions: paths' first segments, macro tokens and the
/// identifiers inside format strings.
fn mentions_expr(e: &Expr, acc: &mut HashSet<Name>) {
    match &e.kind {
        ExprKind::Path(s) => {
            if let Some(first) = s.first() {
                acc.insert(first.clone());
            }
        }
        ExprKind::Unknown(ids) => acc.extend(ids.iter().map(|(n, _)| n.clone())),
        ExprKind::Macro(m) => {
            acc.extend(m.format_idents.iter().map(|(n, _)| n.clone()));
            if let MacroArgs::Tokens(ids) = &m.args {
                acc.extend(ids.iter().map(|(n, _)| n.clone()));
            }
        }
        _ => {}
    }
    // Patterns bind names, and a block's `let`s shadow: both count as mentions.
    match &e.kind {
        ExprKind::Let { pat, .. } | ExprKind::For { pat, .. } => pat_names(pat, acc),
        ExprKind::Match { arms, .. } => arms.iter().for_each(|a| pat_names(&a.pat, acc)),
        ExprKind::Closure { params, .. } => params.iter().for_each(|p| pat_names(&p.pat, acc)),
        _ => {}
    }
    for b in child_blocks(e) {
        for s in &b.stmts {
            if let Stmt::Let { pat, .. } = s {
                pat_names(pat, acc);
            }
        }
    }
    crate::lower::for_each_child(e, &mut |c| mentions_expr(c, acc));
}

fn mentions(s: &Stmt) -> HashSet<Name> {
    let mut acc = HashSet::new();
    match s {
        Stmt::Let {
            pat,
            init,
            else_block,
            ..
        } => {
            pat_names(pat, &mut acc);
            if let Some(i) = init {
                mentions_expr(i, &mut acc);
            }
            if let Some(b) = else_block {
                for s in &b.stmts {
                    acc.extend(mentions(s));
                }
                if let Some(t) = &b.tail {
                    mentions_expr(t, &mut acc);
                }
            }
        }
        Stmt::Expr { expr, .. } => mentions_expr(expr, &mut acc),
        Stmt::Item(_) | Stmt::Cfg(_) => {}
    }
    acc
}

fn declared(s: &Stmt) -> HashSet<Name> {
    let mut acc = HashSet::new();
    if let Stmt::Let { pat, .. } = s {
        pat_names(pat, &mut acc);
    }
    acc
}

fn pat_names(p: &Pat, acc: &mut HashSet<Name>) {
    p.walk(&mut |q| {
        if let PatKind::Binding { name, .. } = &q.kind {
            acc.insert(name.clone());
        }
    });
}

/// Does the statement leave its block other than by falling through (or may it, through a
/// macro we cannot read)?
fn may_exit(s: &Stmt) -> bool {
    fn expr(e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Return(_)
            | ExprKind::Break { .. }
            | ExprKind::Continue { .. }
            | ExprKind::Try(_) => true,
            ExprKind::Macro(m) if matches!(m.args, MacroArgs::Tokens(_)) => true,
            ExprKind::Closure { .. } => false,
            _ => {
                let mut any = false;
                crate::lower::for_each_child(e, &mut |c| any |= expr(c));
                any
            }
        }
    }
    match s {
        Stmt::Let {
            init, else_block, ..
        } => init.as_ref().is_some_and(expr) || else_block.is_some(),
        Stmt::Expr { expr: e, .. } => expr(e),
        Stmt::Item(_) | Stmt::Cfg(_) => true,
    }
}

/// Can the statements `moved` trade places with the statements `crossed`? Only when no name one
/// side declares is mentioned by the other, and none of them leaves the block.
fn independent(moved: &[Stmt], crossed: &[Stmt]) -> bool {
    let decl = |ss: &[Stmt]| ss.iter().flat_map(declared).collect::<HashSet<_>>();
    let ment = |ss: &[Stmt]| ss.iter().flat_map(mentions).collect::<HashSet<_>>();
    if moved.iter().chain(crossed).any(may_exit) {
        return false;
    }
    decl(moved).is_disjoint(&ment(crossed)) && decl(crossed).is_disjoint(&ment(moved))
}

// ---- E0596 / E0594 / E0384: add `mut` ----------------------------------------------------------

/// The binding a place such as `x`, `x.f`, `x[0]` or `x.0.1` starts from.
fn base_name(place: &str) -> Option<&str> {
    if place.starts_with('*') {
        return None;
    }
    let end = place.find(['.', '[']).unwrap_or(place.len());
    let name = &place[..end];
    (!name.is_empty() && name.chars().all(is_ident_char)).then_some(name)
}

fn add_mut(cx: &FixCtx, e: &BorrowError, out: &mut Vec<Fix>) {
    // The place the error names, and whether its binding lacks a `mut` (else the place is behind
    // a `&` reference).
    let (place, not_declared) = match &e.kind {
        ErrorKind::NotMutable {
            why: Immutable::NotDeclared { place, .. },
            ..
        } => (place.as_str(), true),
        ErrorKind::Reassigned { name, .. } => (&**name, true),
        ErrorKind::NotMutable {
            why:
                Immutable::BehindPointer {
                    place,
                    pointer: Pointer::SharedRef,
                },
            ..
        } => (place.as_str(), false),
        _ => return,
    };
    if not_declared {
        let Some(name) = base_name(place) else { return };
        if name == "self" {
            if let Some(SelfParam::Value {
                mutability: Mutability::Not,
                span,
            }) = &cx.def.self_param
            {
                out.push(Fix {
                    kind: "add-mut",
                    title: "Make `self` mutable: `mut self`".to_string(),
                    edits: vec![cx.edit(Span::new(span.start, span.start), "mut ")],
                });
            }
            return;
        }
        let Some(decl) = binding_before(cx, name, e.span.start) else {
            return;
        };
        out.push(Fix {
            kind: "add-mut",
            title: format!("Make `{name}` mutable: `mut {name}`"),
            edits: vec![cx.edit(Span::new(decl.start, decl.start), "mut ")],
        });
    } else {
        // `*x` or `x.f` through `x: &T` (a parameter) or `&self`: make the reference mutable.
        let base = place.trim_start_matches('*');
        let Some(name) = base_name(base) else { return };
        if name == "self" {
            if let Some(SelfParam::Ref {
                mutability: Mutability::Not,
                span,
                ..
            }) = &cx.def.self_param
            {
                let text = cx.src(*span);
                if let Some(i) = text.rfind("self") {
                    out.push(Fix {
                        kind: "add-mut",
                        title: "Take `&mut self`".to_string(),
                        edits: vec![cx.edit(
                            Span::new(span.start + i as u32, span.start + i as u32),
                            "mut ",
                        )],
                    });
                }
            }
            return;
        }
        // `let r = &x;`: borrow mutably from the start.
        if let Some(decl) = binding_before(cx, name, e.span.start) {
            let mut init_ref: Option<Span> = None;
            if let Some(root) = &cx.def.body {
                visit_lets_with_pat(root, &mut |pat, ty, init| {
                    if pat.span == decl && ty.is_none() {
                        if let ExprKind::Ref {
                            mutability: Mutability::Not,
                            raw: false,
                            ..
                        } = &init.kind
                        {
                            init_ref = Some(init.span);
                        }
                    }
                });
            }
            if let Some(r) = init_ref {
                if cx.src(r).starts_with('&') {
                    out.push(Fix {
                        kind: "add-mut",
                        title: format!("Borrow mutably: `let {name} = &mut ...`"),
                        edits: vec![cx.edit(Span::new(r.start + 1, r.start + 1), "mut ")],
                    });
                }
                return;
            }
        }
        // Callers pass `&x` today: changing the parameter's type would break them.
        let fn_name = &*cx.def.name;
        let called = cx.text.match_indices(fn_name).any(|(i, _)| {
            let before = cx.text[..i].trim_end();
            let after = &cx.text[i + fn_name.len()..];
            after.starts_with('(')
                && !before.ends_with("fn")
                && !before.chars().next_back().is_some_and(is_ident_char)
        });
        if called {
            return;
        }
        for p in &cx.def.params {
            let PatKind::Binding {
                name: n,
                by_ref: None,
                sub: None,
                ..
            } = &p.pat.kind
            else {
                continue;
            };
            if &**n != name
                || !matches!(
                    p.ty,
                    Type::Ref {
                        mutability: Mutability::Not,
                        ..
                    }
                )
            {
                continue;
            }
            let text = cx.src(p.span);
            let Some(colon) = text.find(':') else { return };
            let Some(amp) = text[colon..].find('&').map(|i| colon + i) else {
                return;
            };
            let mut at = amp + 1;
            let rest = &text[at..];
            if rest.trim_start().starts_with('\'') {
                // `&'a T`: after the lifetime.
                let lt = rest.trim_start();
                let skip = rest.len() - lt.len();
                let lt_len = 1 + lt[1..]
                    .find(|c: char| !is_ident_char(c))
                    .unwrap_or(lt.len() - 1);
                at += skip + lt_len;
                let ty = p.span.start + at as u32;
                out.push(Fix {
                    kind: "add-mut",
                    title: format!("Take `{name}` by mutable reference"),
                    edits: vec![cx.edit(Span::new(ty, ty), " mut")],
                });
            } else {
                let ty = p.span.start + at as u32;
                out.push(Fix {
                    kind: "add-mut",
                    title: format!("Take `{name}` by mutable reference: `&mut`"),
                    edits: vec![cx.edit(Span::new(ty, ty), "mut ")],
                });
            }
            return;
        }
    }
}

/// The span where the nearest binding of `name` before `before` starts (a plain `x` pattern, not
/// `ref x` or `mut x`), among parameters, `let`s, closure parameters and other patterns.
fn binding_before(cx: &FixCtx, name: &str, before: u32) -> Option<Span> {
    let mut best: Option<Span> = None;
    let mut consider = |p: &Pat| {
        p.walk(&mut |pat| {
            if let PatKind::Binding {
                name: n,
                by_ref: None,
                mutability: Mutability::Not,
                ..
            } = &pat.kind
            {
                if &**n == name
                    && pat.span.start < before
                    && best.is_none_or(|b| b.start < pat.span.start)
                {
                    best = Some(pat.span);
                }
            }
        })
    };
    for p in &cx.def.params {
        consider(&p.pat);
    }
    if let Some(b) = &cx.def.body {
        visit_block_pats(b, &mut consider);
    }
    // A binding of the function or of one of its closures, written as the bare name.
    let best = best?;
    (cx.src(best) == name).then_some(best)
}

fn visit_block_pats(b: &Block, f: &mut dyn FnMut(&Pat)) {
    for s in &b.stmts {
        match s {
            Stmt::Let {
                pat,
                init,
                else_block,
                ..
            } => {
                f(pat);
                if let Some(i) = init {
                    visit_expr_pats(i, f);
                }
                if let Some(b) = else_block {
                    visit_block_pats(b, f);
                }
            }
            Stmt::Expr { expr, .. } => visit_expr_pats(expr, f),
            _ => {}
        }
    }
    if let Some(t) = &b.tail {
        visit_expr_pats(t, f);
    }
}

fn visit_expr_pats(e: &Expr, f: &mut dyn FnMut(&Pat)) {
    match &e.kind {
        ExprKind::Let { pat, .. } | ExprKind::For { pat, .. } => f(pat),
        ExprKind::Match { arms, .. } => arms.iter().for_each(|a| f(&a.pat)),
        ExprKind::Closure { params, .. } => params.iter().for_each(|p| f(&p.pat)),
        _ => {}
    }
    for b in child_blocks(e) {
        visit_block_pats(b, f);
    }
    let blocks: Vec<Span> = child_blocks(e).iter().map(|b| b.span).collect();
    crate::lower::for_each_child(e, &mut |c| {
        // Statements of child blocks were visited with their `let`s above.
        if !blocks.iter().any(|b| contains(*b, c.span)) {
            visit_expr_pats(c, f)
        }
    });
}

// ---- conflicts: reorder statements -------------------------------------------------------------

/// The borrow, the conflicting access and the later use of a conflict error; none when the
/// borrow is the access itself.
fn conflict_spans(e: &BorrowError) -> Option<(Span, Span, Option<Span>)> {
    let ErrorKind::Conflict {
        borrow, later_use, ..
    } = &e.kind
    else {
        return None;
    };
    (*borrow != e.span).then_some((*borrow, e.span, *later_use))
}

/// The last use of the loan created at `borrow`, from the borrow checker's facts.
fn last_use(cx: &FixCtx, borrow: Span) -> Option<Span> {
    cx.borrowck
        .facts
        .iter()
        .find(|f| f.span == borrow)
        .and_then(|f| f.last_use)
}

fn reorder(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    let Some((borrow, access, Some(later))) = conflict_spans(e) else {
        return;
    };
    let last = last_use(cx, borrow)
        .filter(|l| l.start >= later.start)
        .unwrap_or(later);
    let Some((block, ia, iu)) = common_block(root, access, later) else {
        return;
    };
    let Some((block2, ia2, il)) = common_block(root, access, last) else {
        return;
    };
    if !std::ptr::eq(block, block2) || ia != ia2 || iu <= ia || il < iu || il >= block.stmts.len() {
        return;
    }
    // The borrow must come before the access in the same block or outside it, so that moving
    // statements inside the block keeps it where it was.
    let Some((_, ib, _)) =
        common_block(root, borrow, access).filter(|(b, _, _)| std::ptr::eq(*b, block))
    else {
        return;
    };
    if ib >= ia
        && locate(root, borrow)
            .iter()
            .any(|(b, _)| std::ptr::eq(*b, block))
    {
        return;
    }
    let stmts = &block.stmts;
    let (Some(a_lines), Some(u_lines), Some(l_lines)) = (
        cx.stmt_lines(stmt_span(&stmts[ia])),
        cx.stmt_lines(stmt_span(&stmts[iu])),
        cx.stmt_lines(stmt_span(&stmts[il])),
    ) else {
        return;
    };
    // Move the access after the last use.
    if independent(&stmts[ia..=ia], &stmts[ia + 1..=il]) {
        out.push(Fix {
            kind: "move-after-last-use",
            title: format!(
                "Move `{}` after `{}`",
                cx.quote(stmt_span(&stmts[ia])),
                cx.quote(stmt_span(&stmts[il]))
            ),
            edits: cx.move_lines(a_lines, l_lines.1),
        });
    }
    // Move the later uses before the access.
    if independent(&stmts[iu..=il], &stmts[ia..iu]) && l_lines.1 as usize <= cx.text.len() {
        let what = if iu == il {
            format!("`{}`", cx.quote(stmt_span(&stmts[iu])))
        } else {
            "the borrow's uses".to_string()
        };
        out.push(Fix {
            kind: "move-uses-before",
            title: format!("Move {what} before `{}`", cx.quote(stmt_span(&stmts[ia]))),
            edits: cx.move_lines((u_lines.0, l_lines.1), a_lines.0),
        });
    }
}

// ---- two `&mut` into one slice: `split_at_mut` --------------------------------------------------

/// `&mut v[i]` / `&mut v[a..b]` with literal bounds: the indexed place's text and the range.
fn index_borrow(e: &Expr) -> Option<(&Expr, Option<u64>, Option<u64>, bool)> {
    let ExprKind::Ref {
        mutability: Mutability::Mut,
        raw: false,
        expr,
    } = &e.kind
    else {
        return None;
    };
    let ExprKind::Index(base, idx) = &expr.kind else {
        return None;
    };
    Some(match &idx.kind {
        ExprKind::Lit(Lit::Int) => (base, None, None, false),
        ExprKind::Range {
            inclusive: false, ..
        } => (base, None, None, true),
        _ => return None,
    })
}

fn int_lit(cx: &FixCtx, e: &Expr) -> Option<u64> {
    matches!(e.kind, ExprKind::Lit(Lit::Int))
        .then(|| cx.src(e.span).replace('_', "").parse().ok())
        .flatten()
}

fn split_at_mut(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    if !matches!(
        e.kind,
        ErrorKind::Conflict {
            kind: ConflictKind::SecondMutBorrow,
            ..
        }
    ) {
        return;
    }
    let Some((borrow, access, _)) = conflict_spans(e) else {
        return;
    };
    let Some((block, ib, ia)) = common_block(root, borrow, access) else {
        return;
    };
    if ib >= ia || ia >= block.stmts.len() {
        return;
    }
    fn let_of(s: &Stmt, at: Span) -> Option<(&Pat, &Expr)> {
        match s {
            Stmt::Let {
                pat,
                init: Some(init),
                else_block: None,
                ty: None,
                ..
            } if contains(init.span, at) && matches!(pat.kind, PatKind::Binding { .. }) => {
                Some((pat, init))
            }
            _ => None,
        }
    }
    let (Some((pat_b, init_b)), Some((pat_a, init_a))) = (
        let_of(&block.stmts[ib], borrow),
        let_of(&block.stmts[ia], access),
    ) else {
        return;
    };
    let (Some((base_b, ..)), Some((base_a, ..))) = (index_borrow(init_b), index_borrow(init_a))
    else {
        return;
    };
    let base = cx.src(base_b.span);
    if base != cx.src(base_a.span) || !is_simple_place(base) {
        return;
    }
    // Nothing between the two borrows may touch the slice: it is borrowed whole by the split.
    let root_name = base.split('.').next().unwrap_or(base);
    if block.stmts[ib + 1..ia]
        .iter()
        .any(|s| mentions(s).contains(root_name))
    {
        return;
    }
    let idx = |init: &Expr| -> Option<(Option<u64>, Option<u64>, bool)> {
        let ExprKind::Ref { expr, .. } = &init.kind else {
            return None;
        };
        let ExprKind::Index(_, i) = &expr.kind else {
            return None;
        };
        match &i.kind {
            ExprKind::Lit(Lit::Int) => int_lit(cx, i).map(|n| (Some(n), Some(n + 1), false)),
            ExprKind::Range {
                start,
                end,
                inclusive: false,
            } => {
                let s = match start {
                    Some(s) => Some(int_lit(cx, s)?),
                    None => None,
                };
                let e = match end {
                    Some(e) => Some(int_lit(cx, e)?),
                    None => None,
                };
                Some((s, e, true))
            }
            _ => None,
        }
    };
    let (Some(rb), Some(ra)) = (idx(init_b), idx(init_a)) else {
        return;
    };
    // The first borrow must end where the second starts (or before): split there.
    let (first, second, first_is_b) = if rb.1.is_some_and(|e| ra.0.unwrap_or(0) >= e) {
        (rb, ra, true)
    } else if ra.1.is_some_and(|e| rb.0.unwrap_or(0) >= e) {
        (ra, rb, false)
    } else {
        return;
    };
    let mid = second.0.unwrap_or(0);
    let (PatKind::Binding { name: nb, .. }, PatKind::Binding { name: na, .. }) =
        (&pat_b.kind, &pat_a.kind)
    else {
        return;
    };
    // Whole-slice halves bind directly: `let (left, right) = v.split_at_mut(1);`.
    let whole_first = first.2 && first.0.unwrap_or(0) == 0 && first.1 == Some(mid);
    let whole_second = second.2 && second.0 == Some(mid) && second.1.is_none();
    let (name_first, name_second) = if first_is_b { (nb, na) } else { (na, nb) };
    let (Some(lb), Some(la)) = (
        cx.stmt_lines(stmt_span(&block.stmts[ib])),
        cx.stmt_lines(stmt_span(&block.stmts[ia])),
    ) else {
        return;
    };
    let indent = cx.indent_at(lb.0).to_string();
    let sub = |r: (Option<u64>, Option<u64>, bool), off: u64| -> String {
        if r.2 {
            let s = r.0.map_or(String::new(), |s| (s - off).to_string());
            let e = r.1.map_or(String::new(), |e| (e - off).to_string());
            format!("{s}..{e}")
        } else {
            (r.0.unwrap_or(0) - off).to_string()
        }
    };
    let (head, tail) = if whole_first && whole_second {
        (name_first.to_string(), name_second.to_string())
    } else {
        (cx.fresh_name("head"), cx.fresh_name("tail"))
    };
    let mut text = format!("{indent}let ({head}, {tail}) = {base}.split_at_mut({mid});\n");
    if !(whole_first && whole_second) {
        text.push_str(&format!(
            "{indent}let {name_first} = &mut {head}[{}];\n",
            sub(first, 0)
        ));
        text.push_str(&format!(
            "{indent}let {name_second} = &mut {tail}[{}];\n",
            sub(second, mid)
        ));
    }
    // Replace the first statement with the split and drop the second; the second borrow's binding
    // moves up, which is sound: nothing between them mentions the slice or declares its name.
    if block.stmts[ib + 1..ia]
        .iter()
        .any(|s| mentions(s).contains(name_first) || mentions(s).contains(name_second))
    {
        return;
    }
    out.push(Fix {
        kind: "split-at-mut",
        title: format!("Split `{base}` with `split_at_mut({mid})`"),
        edits: vec![
            TextEdit {
                range: TextRange {
                    start: lb.0,
                    end: lb.1,
                },
                new_text: text,
            },
            TextEdit {
                range: TextRange {
                    start: la.0,
                    end: la.1,
                },
                new_text: String::new(),
            },
        ],
    });
}

// ---- mutating a collection while iterating it: collect first -----------------------------------

fn collect_first(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    // A borrow against a borrow (E0499, E0502), not a use, move or assignment.
    if !matches!(
        e.kind,
        ErrorKind::Conflict {
            kind: ConflictKind::SecondMutBorrow
                | ConflictKind::SharedWhileMut
                | ConflictKind::MutWhileShared,
            ..
        }
    ) {
        return;
    }
    let Some((borrow, access, _)) = conflict_spans(e) else {
        return;
    };
    // The borrow is a `for` loop's iterable and the access a `push` in its body.
    let Some((block, ifor, iacc)) = common_block(root, borrow, access) else {
        return;
    };
    if ifor != iacc {
        return;
    }
    let for_expr = match block.stmts.get(ifor) {
        Some(Stmt::Expr { expr, .. }) => expr,
        Some(_) => return,
        None => match &block.tail {
            Some(t) => t,
            None => return,
        },
    };
    let ExprKind::For {
        iter,
        body,
        label: None,
        ..
    } = &for_expr.kind
    else {
        return;
    };
    if !contains(iter.span, borrow) || !contains(body.span, access) {
        return;
    }
    let collection = match &iter.kind {
        ExprKind::MethodCall {
            receiver,
            method,
            args,
            ..
        } if args.is_empty() && &**method == "iter" => receiver,
        ExprKind::Ref {
            mutability: Mutability::Not,
            expr,
            ..
        } => expr,
        _ => return,
    };
    let coll = cx.src(collection.span);
    if !is_simple_place(coll) {
        return;
    }
    // Find the `coll.push(..)` call at the access.
    let mut receiver: Option<Span> = None;
    find_expr(body, &mut |x| {
        if let ExprKind::MethodCall {
            receiver: r,
            method,
            args,
            ..
        } = &x.kind
        {
            if &**method == "push"
                && args.len() == 1
                && cx.src(r.span) == coll
                && contains(x.span, access)
            {
                receiver = Some(r.span);
            }
        }
    });
    let Some(receiver) = receiver else { return };
    // Exactly one mention of the collection in the body: the push.
    let mut uses = 0;
    find_expr(body, &mut |x| {
        if matches!(&x.kind, ExprKind::Path(s) if s.len() == 1 && cx.src(x.span) == coll.split('.').next().unwrap_or(coll))
        {
            uses += 1;
        }
    });
    let mut body_names = HashSet::new();
    for s in &body.stmts {
        body_names.extend(mentions(s));
    }
    if let Some(t) = &body.tail {
        mentions_expr(t, &mut body_names);
    }
    let root_name = coll.split('.').next().unwrap_or(coll);
    if uses != 1 || !body_names.contains(root_name) {
        return;
    }
    let Some(lines) = cx.stmt_lines(for_expr.span) else {
        return;
    };
    let indent = cx.indent_at(lines.0).to_string();
    let items = cx.fresh_name("new_items");
    out.push(Fix {
        kind: "collect-first",
        title: format!("Collect the new items first, then extend `{coll}` after the loop"),
        edits: vec![
            cx.insert(lines.0, format!("{indent}let mut {items} = Vec::new();\n")),
            cx.edit(receiver, items.clone()),
            cx.insert(lines.1, format!("{indent}{coll}.extend({items});\n")),
        ],
    });
}

/// Calls `f` on every expression inside a block, in source order.
fn find_expr(b: &Block, f: &mut dyn FnMut(&Expr)) {
    for s in &b.stmts {
        match s {
            Stmt::Let { init: Some(i), .. } => walk_all(i, f),
            Stmt::Expr { expr: e, .. } => walk_all(e, f),
            _ => {}
        }
    }
    if let Some(t) = &b.tail {
        walk_all(t, f);
    }
}

// ---- a conflict inside one call: bind the argument first ---------------------------------------

fn bind_first(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    let Some((borrow, access, _)) = conflict_spans(e) else {
        return;
    };
    if borrow.start >= access.start {
        return;
    }
    let chain = locate(root, access);
    let Some(&(block, i)) = chain.last() else {
        return;
    };
    let Some(stmt) = block.stmts.get(i) else {
        return;
    };
    if !contains(stmt_span(stmt), borrow) {
        return;
    }
    // The smallest call argument holding the access and not the borrow.
    let mut arg: Option<(Span, bool, String)> = None;
    let mut visit = |x: &Expr| {
        let args: &[Expr] = match &x.kind {
            ExprKind::Call(_, args, ..) => args,
            ExprKind::MethodCall { args, .. } => args,
            _ => return,
        };
        if !contains(x.span, borrow) {
            return;
        }
        for a in args {
            if contains(a.span, access)
                && !contains(a.span, borrow)
                && arg.as_ref().is_none_or(|b| contains(b.0, a.span))
            {
                let base = match &a.kind {
                    ExprKind::MethodCall { method, .. }
                        if !method.starts_with("as_")
                            && method.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
                    {
                        method.to_string()
                    }
                    ExprKind::Field(_, FieldName::Named(n)) => n.to_string(),
                    _ => "value".to_string(),
                };
                arg = Some((a.span, no_closure(a), base));
            }
        }
    };
    match stmt {
        // `let x: &'static T = &temp();`: a variable would not live long enough either.
        Stmt::Let { ty: Some(t), .. } if crate::index::names_lifetime(t) => return,
        Stmt::Let {
            init: Some(init), ..
        } => walk_all(init, &mut visit),
        Stmt::Expr { expr, .. } => walk_all(expr, &mut visit),
        _ => return,
    }
    let Some((arg, true, base)) = arg else { return };
    let Some(lines) = cx.stmt_lines(stmt_span(stmt)) else {
        return;
    };
    let indent = cx.indent_at(lines.0).to_string();
    let name = cx.fresh_name(&base);
    out.push(Fix {
        kind: "bind-first",
        title: format!("Bind `{}` to `{name}` first", cx.quote(arg)),
        edits: vec![
            cx.insert(lines.0, format!("{indent}let {name} = {};\n", cx.src(arg))),
            cx.edit(arg, name.clone()),
        ],
    });
}

fn walk_all(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    crate::lower::for_each_child(e, &mut |c| walk_all(c, f));
}

fn no_closure(e: &Expr) -> bool {
    let mut ok = true;
    walk_all(e, &mut |x| {
        ok &= !matches!(
            x.kind,
            ExprKind::Closure { .. } | ExprKind::Await(_) | ExprKind::Try(_)
        )
    });
    ok
}

// ---- use after move ------------------------------------------------------------------------------

/// `for x in v` moved `v`: iterate over `&v`.
fn borrow_in_for(cx: &FixCtx, root: &Block, moved: Span, out: &mut Vec<Fix>) {
    let mut hit = false;
    find_expr(root, &mut |x| {
        if let ExprKind::For { iter, .. } = &x.kind {
            hit |= iter.span == moved;
        }
    });
    let text = cx.src(moved);
    if hit && is_simple_place(text) {
        out.push(Fix {
            kind: "borrow",
            title: format!("Iterate over `&{text}`"),
            edits: vec![cx.edit(Span::new(moved.start, moved.start), "&")],
        });
    }
}

/// A pattern moved out of a place (`let [x, ..] = a;`, `match a { [x, ..] => .. }`): match on
/// `&a` instead, so the pattern binds references.
fn borrow_matched(cx: &FixCtx, root: &Block, moved: Span, out: &mut Vec<Fix>) {
    let mut scrutinee: Option<Span> = None;
    visit_lets_with_pat(root, &mut |pat, ty, init| {
        if ty.is_none() && contains(pat.span, moved) && pat.span != moved {
            scrutinee = Some(init.span);
        }
    });
    let name = cx.src(moved).to_string();
    let mut passed_on = false;
    find_expr(root, &mut |x| {
        if let ExprKind::Match {
            scrutinee: sc,
            arms,
        } = &x.kind
        {
            for a in arms {
                if contains(a.pat.span, moved) && a.pat.span != moved {
                    scrutinee = Some(sc.span);
                    // Matched by reference, the binding is a reference: a call that wants the
                    // value would no longer type-check.
                    walk_all(&a.body, &mut |e| {
                        let args = match &e.kind {
                            ExprKind::Call(_, args, ..) => args,
                            ExprKind::MethodCall { args, .. } => args,
                            _ => return,
                        };
                        passed_on |= args
                            .iter()
                            .any(|a| matches!(&a.kind, ExprKind::Path(p) if p.len() == 1 && *p[0] == *name));
                    });
                }
            }
        }
    });
    let Some(sc) = scrutinee else { return };
    // `mut x` resets the binding mode: matched by reference it would move out of the reference.
    let binds_mut = |pat: &Pat| {
        let mut found = false;
        pat.walk(&mut |p| {
            found |= matches!(
                p.kind,
                PatKind::Binding {
                    by_ref: None,
                    mutability: Mutability::Mut,
                    ..
                }
            )
        });
        found
    };
    let mut has_mut_binding = false;
    visit_lets_with_pat(root, &mut |pat, _, init| {
        has_mut_binding |= init.span == sc && binds_mut(pat);
    });
    find_expr(root, &mut |x| {
        if let ExprKind::Match { scrutinee: s, arms } = &x.kind {
            has_mut_binding |= s.span == sc && arms.iter().any(|a| binds_mut(&a.pat));
        }
    });
    if passed_on || has_mut_binding {
        return;
    }
    let text = cx.src(sc);
    if !is_simple_place(text) {
        return;
    }
    out.push(Fix {
        kind: "borrow",
        title: format!("Match on `&{text}` instead of moving out of it"),
        edits: vec![cx.edit(Span::new(sc.start, sc.start), "&")],
    });
}

/// `.clone()` the moved value, when its type is known to be `Clone`.
fn clone_at(cx: &FixCtx, root: &Block, moved: Span, out: &mut Vec<Fix>) {
    let text = cx.src(moved);
    if !is_simple_place(text) {
        return;
    }
    // The move must be an expression (not a binding in a pattern).
    let mut is_expr = false;
    find_expr(root, &mut |x| {
        is_expr |= x.span == moved && matches!(x.kind, ExprKind::Path(_) | ExprKind::Field(..))
    });
    if !is_expr {
        return;
    }
    let Some(ty) = place_ty(cx, text, moved.start) else {
        return;
    };
    if is_clone(cx.index, &ty) != Some(true) {
        return;
    }
    out.push(Fix {
        kind: "clone",
        title: format!("Clone `{text}` here"),
        edits: vec![cx.edit(Span::new(moved.end, moved.end), ".clone()")],
    });
}

/// A value of a type parameter moved twice: bound the parameter by `Copy` (rustc's "consider
/// restricting type parameter `T`"), where the parameter is written `T` or `T: Bounds` in the
/// function's own generics.
fn restrict_copy(cx: &FixCtx, moved: Span, out: &mut Vec<Fix>) {
    let text = cx.src(moved);
    if !text.chars().all(is_ident_char) {
        return;
    }
    let Some(Ty::Param { name, .. }) = place_ty(cx, text, moved.start) else {
        return;
    };
    if !cx.def.generics.types.iter().any(|(n, _)| *n == name) {
        return;
    }
    // The generics list: from the `<` after the name to its `>`, at depth one.
    let header_end = cx.def.body.as_ref().map_or(0, |b| b.span.start);
    let name_end = cx.abs(cx.def.name_span).end as usize;
    let header = &cx.text[name_end..(cx.offset + header_end) as usize];
    if !header.starts_with('<') {
        return;
    }
    let bytes = header.as_bytes();
    let mut depth = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => depth += 1,
            b'>' => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            _ if depth == 1
                && header[i..].starts_with(&*name)
                && !header[..i].ends_with(|c: char| is_ident_char(c) || c == '\'')
                && !header[i + name.len()..].starts_with(is_ident_char) =>
            {
                let after = header[i + name.len()..].trim_start();
                let at = (name_end + i + name.len()) as u32;
                let edit = if after.starts_with(',') || after.starts_with('>') {
                    TextEdit {
                        range: TextRange { start: at, end: at },
                        new_text: ": Copy".into(),
                    }
                } else if let Some(bounds) = after.strip_prefix(':') {
                    let bounds = bounds.trim_start();
                    if bounds.is_empty() || bounds.starts_with([',', '>']) {
                        return;
                    }
                    let colon = header[i + name.len()..].find(':').unwrap();
                    let at = at + colon as u32 + 1;
                    TextEdit {
                        range: TextRange { start: at, end: at },
                        new_text: " Copy +".into(),
                    }
                } else {
                    return;
                };
                out.push(Fix {
                    kind: "restrict-copy",
                    title: format!("Require `{name}: Copy`"),
                    edits: vec![edit],
                });
                return;
            }
            _ => {}
        }
        i += 1;
    }
}

/// A move out of something that cannot be moved from (an `Rc`, a static, a reference): move a
/// clone instead, when the moved value's type is known to be `Clone` (rustc's "consider cloning
/// the value").
fn clone_moved_out(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    let text = cx.src(e.span);
    let simple = text.trim_start_matches('*');
    if text.is_empty() || !is_simple_place(simple) {
        return;
    }
    // An expression, not a binding of a pattern.
    let mut is_expr = false;
    find_expr(root, &mut |x| {
        is_expr |= x.span == e.span
            && matches!(
                x.kind,
                ExprKind::Path(_) | ExprKind::Field(..) | ExprKind::Unary(UnOp::Deref, _)
            )
    });
    if !is_expr {
        return;
    }
    // The lowering reads the place at the error's span (as an argument or an initializer).
    let mut ty = None;
    for b in &cx.body.blocks {
        for st in &b.stmts {
            if let StatementKind::Assign(_, Rvalue::Use(op)) = &st.kind {
                if st.span == e.span {
                    if let Some(p) = op.place() {
                        ty = crate::mir::place_ty::place_tys(cx.body, cx.index, p).pop();
                    }
                }
            }
        }
    }
    let Some(ty) = ty else { return };
    if is_clone(cx.index, &ty) != Some(true) {
        return;
    }
    let new_text = if text.starts_with('*') {
        format!("({text}).clone()")
    } else {
        format!("{text}.clone()")
    };
    out.push(Fix {
        kind: "clone",
        title: format!("Clone `{text}` instead of moving it"),
        edits: vec![cx.edit(e.span, new_text)],
    });
}

/// The type of a place like `x` or `x.f` at `at`, from the body's locals.
fn place_ty(cx: &FixCtx, text: &str, at: u32) -> Option<Ty> {
    let mut parts = text.split('.');
    let name = parts.next()?;
    let local = cx
        .body
        .locals
        .iter()
        .filter(|l| {
            l.name.as_deref() == Some(name)
                && matches!(l.kind, LocalKind::User | LocalKind::Arg)
                && l.span.start <= at
        })
        .max_by_key(|l| l.span.start)?;
    let mut ty = local.ty.clone();
    for f in parts {
        let field = match f.parse::<u32>() {
            Ok(i) => FieldName::Index(i),
            Err(_) => FieldName::Named(f.into()),
        };
        ty = crate::ty::field_ty(cx.index, &ty, &field);
        if ty.is_unknown() {
            return None;
        }
    }
    Some(ty)
}

/// Whether a type implements `Clone`, as far as the crate's text and std tell.
fn is_clone(index: &Index, ty: &Ty) -> Option<bool> {
    let all = |ts: &[Ty]| crate::ty::all_known(ts.iter().map(|t| is_clone(index, t)));
    match ty {
        Ty::Prim(_) | Ty::Ref(Mutability::Not, _) => Some(true),
        Ty::Tuple(ts) => all(ts),
        Ty::Array(t, _) => is_clone(index, t),
        Ty::Adt { name, args, .. } => {
            if index.is_shadowed(name) {
                return None;
            }
            if let Some(adt) = index.adt(name) {
                if adt.opaque {
                    return None;
                }
                return if adt.clone || index.implements(name, "Clone") {
                    all(args)
                } else {
                    Some(false)
                };
            }
            match &**name {
                "String" | "PathBuf" | "OsString" | "CString" => Some(true),
                "Rc" | "Arc" => Some(true),
                "Vec" | "Box" | "Option" | "Result" | "VecDeque" | "HashMap" | "HashSet"
                | "BTreeMap" | "BTreeSet" => all(args),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Move the use before the move, when both are statements of one block.
fn use_before_move(cx: &FixCtx, root: &Block, moved: Span, used: Span, out: &mut Vec<Fix>) {
    let Some((block, im, iu)) = common_block(root, moved, used) else {
        return;
    };
    if iu <= im || iu >= block.stmts.len() {
        return;
    }
    let stmts = &block.stmts;
    if !independent(&stmts[iu..=iu], &stmts[im..iu]) {
        return;
    }
    let (Some(m), Some(u)) = (
        cx.stmt_lines(stmt_span(&stmts[im])),
        cx.stmt_lines(stmt_span(&stmts[iu])),
    ) else {
        return;
    };
    out.push(Fix {
        kind: "use-before-move",
        title: format!(
            "Move `{}` before `{}`",
            cx.quote(stmt_span(&stmts[iu])),
            cx.quote(stmt_span(&stmts[im]))
        ),
        edits: cx.move_lines(u, m.0),
    });
}

// ---- E0716: bind the temporary ------------------------------------------------------------------

fn bind_temporary(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    let Some(temp) = e.label(Role::Temporary) else {
        return;
    };
    let chain = locate(root, temp);
    let Some(&(block, i)) = chain.last() else {
        return;
    };
    let Some(stmt) = block.stmts.get(i) else {
        return;
    };
    let Some(lines) = cx.stmt_lines(stmt_span(stmt)) else {
        return;
    };
    let mut temp_expr: Option<bool> = None;
    let mut visit = |x: &Expr| {
        if x.span == temp {
            temp_expr = Some(no_closure(x));
        }
    };
    match stmt {
        // `let x: &'static T = &temp();`: a variable would not live long enough either.
        Stmt::Let { ty: Some(t), .. } if crate::index::names_lifetime(t) => return,
        Stmt::Let {
            init: Some(init), ..
        } => walk_all(init, &mut visit),
        Stmt::Expr { expr, .. } => walk_all(expr, &mut visit),
        _ => return,
    }
    if temp_expr != Some(true) || cx.src(temp).contains('\n') {
        return;
    }
    let indent = cx.indent_at(lines.0).to_string();
    let name = cx.fresh_name("binding");
    out.push(Fix {
        kind: "bind-temporary",
        title: format!("Bind `{}` to a variable first", cx.quote(temp)),
        edits: vec![
            cx.insert(lines.0, format!("{indent}let {name} = {};\n", cx.src(temp))),
            cx.edit(temp, name.clone()),
        ],
    });
}

// ---- E0597: declare the value where it lives long enough ---------------------------------------

/// A block's tail borrows a local into a temporary that is dropped after the block's locals:
/// evaluate the tail into a new local first, so that its temporaries end with that statement
/// (rustc's "you could save the expression's value in a new local variable").
fn bind_tail(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    let ErrorKind::DoesNotLiveLongEnough {
        dropped: Some(dropped),
        ..
    } = e.kind
    else {
        return;
    };
    let chain = locate(root, e.span);
    let Some(&(block, idx)) = chain.last() else {
        return;
    };
    let Some(tail) = block.tail.as_deref().filter(|_| idx == block.stmts.len()) else {
        return;
    };
    // The value is dropped where the block ends: it is one of the block's locals.
    if !contains(
        dropped,
        Span::new(block.span.end.saturating_sub(1), block.span.end),
    ) {
        return;
    }
    // What holds the borrow is a temporary inside the tail whose destructor uses it, not the
    // tail's value (which a new variable would hold just the same).
    let temporary_holds_it = cx.body.locals.iter().any(|d| {
        d.kind == LocalKind::Temp
            && d.is_statement_temp
            && contains(tail.span, d.span)
            && d.span != tail.span
            && cx.index.has_significant_drop(&d.ty) == Some(true)
            && d.ty.holds_borrow() == Some(true)
    });
    if !temporary_holds_it {
        return;
    }
    let name = cx.fresh_name("value");
    let start = cx.abs(tail.span).start as usize;
    let line_start = cx.text[..start].rfind('\n').map_or(0, |i| i + 1);
    let own_line = cx.text[line_start..start].trim().is_empty();
    let sep = if own_line {
        format!("\n{}", &cx.text[line_start..start])
    } else {
        " ".to_string()
    };
    out.push(Fix {
        kind: "bind-tail",
        title: format!(
            "Store `{}` in a variable before the block ends",
            cx.quote(tail.span)
        ),
        edits: vec![cx.edit(
            tail.span,
            format!("let {name} = {};{sep}{name}", cx.src(tail.span)),
        )],
    });
}

/// `let y: &'static T = &x;` or `S::<&'static T> { t: &x }`: the annotation asks the borrow to
/// outlive the function; let it be inferred instead (`&T`).
fn drop_annotated_lifetime(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    let mut annotation: Option<Span> = None;
    visit_lets_with_pat(root, &mut |pat, ty, init| {
        if ty.is_some() && contains(init.span, e.span) {
            annotation = Some(Span::new(pat.span.end, init.span.start));
        }
    });
    if annotation.is_none() {
        // The innermost constructor or struct literal with turbofish arguments around the borrow:
        // its path, up to the first `(` or `{`.
        find_expr(root, &mut |x| {
            let annotated = match &x.kind {
                ExprKind::Struct { generics, .. } | ExprKind::Call(_, _, generics) => {
                    !generics.is_empty()
                }
                _ => false,
            };
            if annotated && contains(x.span, e.span) {
                let text = cx.src(x.span);
                if let Some(end) = text.find(['(', '{']) {
                    annotation = Some(Span::new(x.span.start, x.span.start + end as u32));
                }
            }
        });
    }
    let Some(annotation) = annotation else {
        return;
    };
    let Some(edits) = drop_ref_lifetimes(cx, annotation) else {
        return;
    };
    out.push(Fix {
        kind: "drop-lifetime",
        title: "Let the borrow's lifetime be inferred".into(),
        edits,
    });
}

/// The edits that turn every `&'x ` of the text at `s` into `&`, when those are all the
/// lifetimes written there.
fn drop_ref_lifetimes(cx: &FixCtx, s: Span) -> Option<Vec<TextEdit>> {
    let r = cx.abs(s);
    let annotation = &cx.text[r.start as usize..r.end as usize];
    let mut edits = Vec::new();
    let mut rest = annotation;
    while let Some(i) = rest.find("&'") {
        let at = annotation.len() - rest.len() + i + 1;
        let name_len = annotation[at + 1..]
            .find(|c: char| !is_ident_char(c))
            .unwrap_or(annotation.len() - at - 1);
        let mut end = at + 1 + name_len;
        end += annotation[end..].len() - annotation[end..].trim_start().len();
        edits.push(TextEdit {
            range: TextRange {
                start: r.start + at as u32,
                end: r.start + end as u32,
            },
            new_text: String::new(),
        });
        rest = &annotation[end..];
    }
    (!edits.is_empty() && annotation.matches('\'').count() == edits.len()).then_some(edits)
}

fn hoist_declaration(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    let ErrorKind::DoesNotLiveLongEnough {
        name,
        dropped: Some(dropped),
    } = &e.kind
    else {
        return;
    };
    let name = name.as_str();
    if !name.chars().all(is_ident_char) {
        return;
    }
    // The block that ends at the drop, and the `let` in it that declares the value.
    let chain = locate(root, e.span);
    let Some(pos) = chain.iter().rposition(|(b, _)| {
        b.span.end == dropped.end || contains(*dropped, Span::new(b.span.end - 1, b.span.end))
    }) else {
        return;
    };
    if pos == 0 {
        return;
    }
    let (inner, _) = chain[pos];
    let (outer, io) = chain[pos - 1];
    let Some(outer_stmt) = outer.stmts.get(io) else {
        return;
    };
    // Only a plain block or an `if` branch: hoisting out of a loop changes how often it runs.
    let plain = match outer_stmt {
        Stmt::Expr { expr, .. } => match &expr.kind {
            ExprKind::Block { block, label: None } => std::ptr::eq(block, inner),
            _ => false,
        },
        _ => false,
    };
    if !plain {
        return;
    }
    let Some(il) = inner.stmts.iter().position(|s| declared(s).contains(name)) else {
        return;
    };
    let decl = &inner.stmts[il];
    // The initializer may only use what exists before the block; the name must be new outside it.
    if !independent(&inner.stmts[il..=il], &inner.stmts[..il])
        || inner.stmts[il + 1..]
            .iter()
            .any(|s| declared(s).contains(name))
    {
        return;
    }
    let mut outside = HashSet::new();
    for s in outer
        .stmts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != io)
        .map(|(_, s)| s)
    {
        outside.extend(mentions(s));
    }
    if outside.contains(name) {
        return;
    }
    let (Some(from), Some(to)) = (
        cx.stmt_lines(stmt_span(decl)),
        cx.stmt_lines(stmt_span(outer_stmt)),
    ) else {
        return;
    };
    let indent = cx.indent_at(to.0).to_string();
    let text = format!(
        "{indent}{}\n",
        cx.text[from.0 as usize..from.1 as usize].trim()
    );
    out.push(Fix {
        kind: "hoist",
        title: format!("Declare `{name}` before the block, so it lives long enough"),
        edits: vec![
            cx.insert(to.0, text),
            TextEdit {
                range: TextRange {
                    start: from.0,
                    end: from.1,
                },
                new_text: String::new(),
            },
        ],
    });
}

// ---- E0373: `move` closure -----------------------------------------------------------------------

fn add_move(cx: &FixCtx, e: &BorrowError, out: &mut Vec<Fix>) {
    let text = cx.src(e.span);
    if text.starts_with('|') {
        out.push(Fix {
            kind: "add-move",
            title: "Add `move` to the closure".to_string(),
            edits: vec![cx.edit(Span::new(e.span.start, e.span.start), "move ")],
        });
    }
}

// ---- E0381: initialize the binding where it is declared ------------------------------------

fn initialize(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    let ErrorKind::Uninitialized { decl, .. } = e.kind else {
        return;
    };
    let Some(&(block, i)) = locate(root, decl).last() else {
        return;
    };
    let Some(Stmt::Let {
        pat,
        ty: Some(_),
        init: None,
        else_block: None,
        span,
    }) = block.stmts.get(i)
    else {
        return;
    };
    let PatKind::Binding {
        name,
        by_ref: None,
        mutability,
        sub: None,
    } = &pat.kind
    else {
        return;
    };
    let Some(local) = cx
        .body
        .locals
        .iter()
        .find(|l| l.name.as_ref() == Some(name) && contains(pat.span, l.span))
    else {
        return;
    };
    let Some(value) = default_value(cx.index, &local.ty) else {
        return;
    };
    // Assignments after the declaration need the binding to be `mut` once it starts initialized.
    let mut assigned = false;
    find_expr(block, &mut |x| {
        if let ExprKind::Assign(lhs, _) | ExprKind::CompoundAssign(_, lhs, _) = &x.kind {
            assigned |= root_name(lhs).is_some_and(|n| n == name);
        }
    });
    let text = cx.src(*span);
    let Some(semi) = text.rfind(';') else { return };
    let mut edits = vec![cx.edit(
        Span::new(span.start + semi as u32, span.start + semi as u32),
        format!(" = {value}"),
    )];
    if assigned && *mutability == Mutability::Not {
        edits.push(cx.edit(Span::new(pat.span.start, pat.span.start), "mut "));
    }
    out.push(Fix {
        kind: "initialize",
        title: format!("Initialize `{name}` where it is declared: `= {value}`"),
        edits,
    });
}

/// The local a place expression starts from: `x` in `x.a.0 = 1` or `x[i] = 2`.
fn root_name(e: &Expr) -> Option<&Name> {
    match &e.kind {
        ExprKind::Path(s) if s.len() == 1 => s.first(),
        ExprKind::Field(b, _) | ExprKind::Index(b, _) => root_name(b),
        _ => None,
    }
}

/// A value of the type to start from, when the type is known to have one.
fn default_value(index: &Index, ty: &Ty) -> Option<String> {
    match ty {
        Ty::Prim(p) => Some(
            match &**p {
                "bool" => "false",
                "char" => "'\\0'",
                "f32" | "f64" => "0.0",
                _ => "0",
            }
            .to_string(),
        ),
        Ty::Adt { name, .. } if &**name == "String" && index.adt(name).is_none() => {
            Some("String::new()".to_string())
        }
        Ty::Adt { name, .. } if &**name == "Option" && index.adt(name).is_none() => {
            Some("None".to_string())
        }
        _ if is_default(index, ty) == Some(true) => Some("Default::default()".to_string()),
        _ => None,
    }
}

/// Whether a type implements `Default`, as far as the crate's text and std tell.
fn is_default(index: &Index, ty: &Ty) -> Option<bool> {
    let all = |ts: &[Ty]| crate::ty::all_known(ts.iter().map(|t| is_default(index, t)));
    match ty {
        Ty::Prim(_) => Some(true),
        Ty::Tuple(ts) if ts.len() <= 12 => all(ts),
        Ty::Array(t, Some(n)) if *n <= 32 => is_default(index, t),
        Ty::Adt { name, args, .. } => {
            if index.is_shadowed(name) {
                return None;
            }
            if let Some(adt) = index.adt(name) {
                if adt.opaque {
                    return None;
                }
                return if adt.default || index.implements(name, "Default") {
                    all(args)
                } else {
                    Some(false)
                };
            }
            match &**name {
                "String" | "Vec" | "HashMap" | "HashSet" | "BTreeMap" | "BTreeSet" | "VecDeque"
                | "Option" => Some(true),
                "Box" => all(args),
                _ => None,
            }
        }
        _ => None,
    }
}

// ---- E0507 / E0508 / E0509: borrow instead of moving out ---------------------------------------

fn borrow_instead(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    // The moved place must be what a `let` without a type binds (directly or as a block's value)
    // or what a `match` inspects: borrowing it makes the bindings references.
    let mut ok = false;
    let mut visit_let = |init: &Expr| {
        let mut x = init;
        loop {
            if x.span == e.span {
                ok = true;
                return;
            }
            match &x.kind {
                ExprKind::Block { block, label: None } => match &block.tail {
                    Some(t) => x = t,
                    None => return,
                },
                _ => return,
            }
        }
    };
    visit_lets(root, &mut |ty, init| {
        if ty.is_none() {
            visit_let(init)
        }
    });
    find_expr(root, &mut |x| {
        if let ExprKind::Match { scrutinee, .. } = &x.kind {
            ok |= scrutinee.span == e.span;
        }
    });
    let text = cx.src(e.span);
    if !ok || text.starts_with('&') {
        return;
    }
    let needs_parens = !(is_simple_place(text.trim_start_matches('*'))
        || text.starts_with('(')
        || text.ends_with(']'));
    let edits = if needs_parens {
        vec![
            cx.edit(Span::new(e.span.start, e.span.start), "&("),
            cx.edit(Span::new(e.span.end, e.span.end), ")"),
        ]
    } else {
        vec![cx.edit(Span::new(e.span.start, e.span.start), "&")]
    };
    out.push(Fix {
        kind: "borrow",
        title: format!("Borrow `{}` instead of moving out of it", cx.quote(e.span)),
        edits,
    });
}

/// Calls `f` with the type and initializer of every `let` with one, nested ones included.
fn visit_lets(b: &Block, f: &mut dyn FnMut(Option<&Type>, &Expr)) {
    visit_lets_with_pat(b, &mut |_, ty, init| f(ty, init));
}

/// Calls `f` with the pattern, type and initializer of every `let` with one, nested ones included.
fn visit_lets_with_pat(b: &Block, f: &mut dyn FnMut(&Pat, Option<&Type>, &Expr)) {
    fn blocks_in<'a>(e: &'a Expr, acc: &mut Vec<&'a Block>) {
        acc.extend(child_blocks(e));
        crate::lower::for_each_child(e, &mut |c| blocks_in(c, acc));
    }
    let mut blocks = vec![b];
    for s in &b.stmts {
        match s {
            Stmt::Let { init: Some(e), .. } | Stmt::Expr { expr: e, .. } => {
                blocks_in(e, &mut blocks)
            }
            _ => {}
        }
    }
    if let Some(t) = &b.tail {
        blocks_in(t, &mut blocks);
    }
    for inner in blocks {
        for s in &inner.stmts {
            if let Stmt::Let {
                pat,
                ty,
                init: Some(init),
                ..
            } = s
            {
                f(pat, ty.as_ref(), init);
            }
        }
    }
}
