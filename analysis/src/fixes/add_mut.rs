//! E0596 / E0594 / E0384: add `mut` to the binding, to `self`, to the reference a place is behind
//! (`&mut self`, a `&mut T` parameter when no caller passes `&x`) or to the borrow a `let` takes.

use super::blocks::{child_blocks, contains};
use super::edit::is_ident_char;
use super::walk::visit_lets_with_pat;
use super::{Fix, FixCtx};
use crate::ast::{Block, Expr, ExprKind, Mutability, Pat, PatKind, SelfParam, Span, Stmt, Type};
use crate::errors::{BorrowError, ErrorKind, Immutable, Pointer};

/// The binding a place such as `x`, `x.f`, `x[0]` or `x.0.1` starts from.
fn base_name(place: &str) -> Option<&str> {
    if place.starts_with('*') {
        return None;
    }
    let end = place.find(['.', '[']).unwrap_or(place.len());
    let name = &place[..end];
    (!name.is_empty() && name.chars().all(is_ident_char)).then_some(name)
}

pub(super) fn add_mut(cx: &FixCtx, e: &BorrowError, out: &mut Vec<Fix>) {
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
    crate::ast::for_each_child(e, &mut |c| {
        // Statements of child blocks were visited with their `let`s above.
        if !blocks.iter().any(|b| contains(*b, c.span)) {
            visit_expr_pats(c, f)
        }
    });
}
