//! Clone the moved value: at the move (a use after move, a move while borrowed) or instead of
//! moving out of what cannot be moved from; and whether a type is `Clone`.

use super::edit::is_simple_place;
use super::walk::find_expr;
use super::{Fix, FixCtx};
use crate::ast::{Block, ExprKind, FieldName, Span, UnOp};
use crate::errors::BorrowError;
use crate::mir::{LocalKind, Rvalue, StatementKind};
use crate::ty::Ty;

/// `.clone()` the moved value, when its type is known to be `Clone`.
pub(super) fn clone_at(cx: &FixCtx, root: &Block, moved: Span, out: &mut Vec<Fix>) {
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
    if ty.is_clone(cx.index) != Some(true) {
        return;
    }
    out.push(Fix {
        kind: "clone",
        title: format!("Clone `{text}` here"),
        edits: vec![cx.edit(Span::new(moved.end, moved.end), ".clone()")],
    });
}

/// A move out of something that cannot be moved from (an `Rc`, a static, a reference): move a
/// clone instead, when the moved value's type is known to be `Clone` (rustc's "consider cloning
/// the value").
pub(super) fn clone_moved_out(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
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
    if ty.is_clone(cx.index) != Some(true) {
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
pub(super) fn place_ty(cx: &FixCtx, text: &str, at: u32) -> Option<Ty> {
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
