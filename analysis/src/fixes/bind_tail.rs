//! E0597: a block's tail whose temporary holds a borrow of the block's locals; store the tail in
//! a variable before the block ends.

use super::blocks::{contains, locate};
use super::{Fix, FixCtx};
use crate::ast::{Block, Span};
use crate::errors::{BorrowError, ErrorKind};
use crate::mir::LocalKind;

/// A block's tail borrows a local into a temporary that is dropped after the block's locals:
/// evaluate the tail into a new local first, so that its temporaries end with that statement
/// (rustc's "you could save the expression's value in a new local variable").
pub(super) fn bind_tail(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
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
            && d.ty.has_significant_drop(cx.index) == Some(true)
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
