//! E0381: a binding used before it is initialized; initialize it where it is declared, when its
//! type is known to have a starting value; and whether a type is `Default`.

use super::blocks::{contains, locate};
use super::walk::find_expr;
use super::{Fix, FixCtx};
use crate::ast::{Block, Expr, ExprKind, Mutability, Name, PatKind, Span, Stmt};
use crate::errors::{BorrowError, ErrorKind};
use crate::index::Index;
use crate::ty::Ty;

pub(super) fn initialize(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
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
        ..
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
        _ if ty.is_default(index) == Some(true) => Some("Default::default()".to_string()),
        _ => None,
    }
}
