//! E0716: a temporary dropped while borrowed; bind it to a variable first.

use super::blocks::{locate, stmt_span};
use super::walk::{no_closure, walk_all};
use super::{Fix, FixCtx};
use crate::ast::{Block, Expr, Stmt};
use crate::errors::{BorrowError, Role};

pub(super) fn bind_temporary(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
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
