//! A conflict inside one call (`v.push(v.len())`): bind the argument to a variable first.

use super::blocks::{contains, locate, stmt_span};
use super::walk::{no_closure, walk_all};
use super::{conflict_spans, Fix, FixCtx};
use crate::ast::{Block, Expr, ExprKind, FieldName, Span, Stmt};
use crate::errors::BorrowError;

pub(super) fn bind_first(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
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
