//! Visitors over a body that several fixes use: every expression, and every `let` with an
//! initializer, nested ones included.

use super::blocks::child_blocks;
use crate::ast::{Block, Expr, ExprKind, Pat, Stmt, Type};

/// Calls `f` on every expression inside a block, in source order.
pub(super) fn find_expr(b: &Block, f: &mut dyn FnMut(&Expr)) {
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

pub(super) fn walk_all(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    crate::ast::for_each_child(e, &mut |c| walk_all(c, f));
}

pub(super) fn no_closure(e: &Expr) -> bool {
    let mut ok = true;
    walk_all(e, &mut |x| {
        ok &= !matches!(
            x.kind,
            ExprKind::Closure { .. } | ExprKind::Await(_) | ExprKind::Try(_)
        )
    });
    ok
}

/// Calls `f` with the type and initializer of every `let` with one, nested ones included.
pub(super) fn visit_lets(b: &Block, f: &mut dyn FnMut(Option<&Type>, &Expr)) {
    visit_lets_with_pat(b, &mut |_, ty, init| f(ty, init));
}

/// Calls `f` with the pattern, type and initializer of every `let` with one, nested ones included.
pub(super) fn visit_lets_with_pat(b: &Block, f: &mut dyn FnMut(&Pat, Option<&Type>, &Expr)) {
    fn blocks_in<'a>(e: &'a Expr, acc: &mut Vec<&'a Block>) {
        acc.extend(child_blocks(e));
        crate::ast::for_each_child(e, &mut |c| blocks_in(c, acc));
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
