//! E0597: a value declared in a block that ends before its borrow's last use; declare it before
//! the block, where it lives long enough.

use std::collections::HashSet;

use super::blocks::{contains, declared, independent, locate, mentions, stmt_span};
use super::edit::is_ident_char;
use super::{Fix, FixCtx, TextEdit};
use crate::ast::{Block, ExprKind, Span, Stmt};
use crate::errors::{BorrowError, ErrorKind};
use crate::TextRange;

pub(super) fn hoist_declaration(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    let ErrorKind::DoesNotLiveLongEnough {
        name,
        dropped: Some(dropped),
        ..
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
