//! E0373: a closure that may outlive the function borrows a local; make it a `move` closure.

use super::{Fix, FixCtx};
use crate::ast::Span;
use crate::errors::BorrowError;

pub(super) fn add_move(cx: &FixCtx, e: &BorrowError, out: &mut Vec<Fix>) {
    let text = cx.src(e.span);
    if text.starts_with('|') {
        out.push(Fix {
            kind: "add-move",
            title: "Add `move` to the closure".to_string(),
            edits: vec![cx.edit(Span::new(e.span.start, e.span.start), "move ")],
        });
    }
}
