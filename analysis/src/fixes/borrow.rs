//! Borrow instead of moving: iterate over `&v` or match on `&a` after a use after move, and borrow
//! a place that cannot be moved out of (E0507 / E0508 / E0509).

use super::blocks::contains;
use super::edit::is_simple_place;
use super::walk::{find_expr, visit_lets, visit_lets_with_pat, walk_all};
use super::{Fix, FixCtx};
use crate::ast::{Block, Expr, ExprKind, Mutability, Pat, PatKind, Span};
use crate::errors::BorrowError;

/// `for x in v` moved `v`: iterate over `&v`.
pub(super) fn borrow_in_for(cx: &FixCtx, root: &Block, moved: Span, out: &mut Vec<Fix>) {
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
pub(super) fn borrow_matched(cx: &FixCtx, root: &Block, moved: Span, out: &mut Vec<Fix>) {
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

pub(super) fn borrow_instead(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
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
