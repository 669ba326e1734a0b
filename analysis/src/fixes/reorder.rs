//! Reorder statements within their block: after a conflict, move the access after the borrow's
//! last use or the later uses before the access; after a use after move, move the use before the
//! move.

use super::blocks::{common_block, independent, locate, stmt_span};
use super::{conflict_spans, Fix, FixCtx};
use crate::ast::{Block, Span};
use crate::errors::BorrowError;

/// The last use of the loan created at `borrow`, from the borrow checker's facts.
fn last_use(cx: &FixCtx, borrow: Span) -> Option<Span> {
    cx.borrowck
        .facts
        .iter()
        .find(|f| f.span == borrow)
        .and_then(|f| f.last_use)
}

pub(super) fn reorder(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    let Some((borrow, access, Some(later))) = conflict_spans(e) else {
        return;
    };
    let last = last_use(cx, borrow)
        .filter(|l| l.start >= later.start)
        .unwrap_or(later);
    let Some((block, ia, iu)) = common_block(root, access, later) else {
        return;
    };
    let Some((block2, ia2, il)) = common_block(root, access, last) else {
        return;
    };
    if !std::ptr::eq(block, block2) || ia != ia2 || iu <= ia || il < iu || il >= block.stmts.len() {
        return;
    }
    // The borrow must come before the access in the same block or outside it, so that moving
    // statements inside the block keeps it where it was.
    let Some((_, ib, _)) =
        common_block(root, borrow, access).filter(|(b, _, _)| std::ptr::eq(*b, block))
    else {
        return;
    };
    if ib >= ia
        && locate(root, borrow)
            .iter()
            .any(|(b, _)| std::ptr::eq(*b, block))
    {
        return;
    }
    let stmts = &block.stmts;
    let (Some(a_lines), Some(u_lines), Some(l_lines)) = (
        cx.stmt_lines(stmt_span(&stmts[ia])),
        cx.stmt_lines(stmt_span(&stmts[iu])),
        cx.stmt_lines(stmt_span(&stmts[il])),
    ) else {
        return;
    };
    // Move the access after the last use.
    if independent(&stmts[ia..=ia], &stmts[ia + 1..=il]) {
        out.push(Fix {
            kind: "move-after-last-use",
            title: format!(
                "Move `{}` after `{}`",
                cx.quote(stmt_span(&stmts[ia])),
                cx.quote(stmt_span(&stmts[il]))
            ),
            edits: cx.move_lines(a_lines, l_lines.1),
        });
    }
    // Move the later uses before the access.
    if independent(&stmts[iu..=il], &stmts[ia..iu]) && l_lines.1 as usize <= cx.text.len() {
        let what = if iu == il {
            format!("`{}`", cx.quote(stmt_span(&stmts[iu])))
        } else {
            "the borrow's uses".to_string()
        };
        out.push(Fix {
            kind: "move-uses-before",
            title: format!("Move {what} before `{}`", cx.quote(stmt_span(&stmts[ia]))),
            edits: cx.move_lines((u_lines.0, l_lines.1), a_lines.0),
        });
    }
}

/// Move the use before the move, when both are statements of one block.
pub(super) fn use_before_move(
    cx: &FixCtx,
    root: &Block,
    moved: Span,
    used: Span,
    out: &mut Vec<Fix>,
) {
    let Some((block, im, iu)) = common_block(root, moved, used) else {
        return;
    };
    if iu <= im || iu >= block.stmts.len() {
        return;
    }
    let stmts = &block.stmts;
    if !independent(&stmts[iu..=iu], &stmts[im..iu]) {
        return;
    }
    let (Some(m), Some(u)) = (
        cx.stmt_lines(stmt_span(&stmts[im])),
        cx.stmt_lines(stmt_span(&stmts[iu])),
    ) else {
        return;
    };
    out.push(Fix {
        kind: "use-before-move",
        title: format!(
            "Move `{}` before `{}`",
            cx.quote(stmt_span(&stmts[iu])),
            cx.quote(stmt_span(&stmts[im]))
        ),
        edits: cx.move_lines(u, m.0),
    });
}
