//! Quick fixes for borrow-check errors: the edits an expert would make, computed from the error's
//! spans, the function's syntax and the loan facts.
//!
//! A fix is offered only when its shape is known to compile in the common case: statements are
//! moved only within one block, whole lines at a time, and only when no name flows between the
//! moved statements and those they cross. Fixes that need a type fact (`.clone()`) are offered
//! only when the type is known to implement what they need. `tools/check_fixes.py` applies every
//! fix offered on the corpora and asks rustc whether it worked.
//!
//! This file is the module's face (`Fix`, `TextEdit`, `FixCtx`, and `fixes`, which picks an
//! error's fixes by its kind, best first). Each fix lives in a file of its own, named by what it
//! does, with the `Fix::kind`s it makes:
//! - `add_mut.rs`: `add-mut` (E0596, E0594, E0384): `mut x`, `mut self`, `&mut self`, a `&mut T`
//!   parameter, `let r = &mut ...`.
//! - `reorder.rs`: `move-after-last-use` and `move-uses-before` (a conflict), `use-before-move`
//!   (a use after move): whole statements moved within their block.
//! - `split_at_mut.rs`: `split-at-mut`: two `&mut` into one slice.
//! - `collect_first.rs`: `collect-first`: a push to the collection a `for` loop iterates.
//! - `bind_first.rs`: `bind-first`: a conflict inside one call; bind the argument first.
//! - `borrow.rs`: `borrow`: iterate over `&v` or match on `&a` (a use after move), borrow instead
//!   of moving out (E0507, E0508, E0509).
//! - `clone.rs`: `clone`: clone at the move (a use after move, a move while borrowed) or instead of
//!   moving out (whether a type is `Clone` is `ty`'s to say).
//! - `restrict_copy.rs`: `restrict-copy`: bound a type parameter moved twice by `Copy`.
//! - `bind_temporary.rs`: `bind-temporary` (E0716): bind the temporary to a variable.
//! - `bind_tail.rs`: `bind-tail` (E0597): store a block's tail in a variable before the block ends.
//! - `drop_lifetime.rs`: `drop-lifetime` (E0597): let an annotated borrow's lifetime be inferred.
//! - `hoist.rs`: `hoist` (E0597): declare the value before its block.
//! - `add_move.rs`: `add-move` (E0373): a `move` closure.
//! - `initialize.rs`: `initialize` (E0381): initialize the binding where it is declared.
//! - `add_bound.rs`: `add-bound` ("lifetime may not live long enough"): declare `'a: 'b` in
//!   the function's generics.
//!
//! What several fixes share:
//! - `edit.rs`: `FixCtx`'s text helpers: file offsets, edits, a statement's whole lines and their
//!   moves, quotations for titles, fresh names.
//! - `blocks.rs`: where a span sits among blocks and statements, and whether statements can trade
//!   places (the names they declare and mention, whether they leave the block).
//! - `walk.rs`: visitors over a body's expressions and `let`s.

mod add_bound;
mod add_move;
mod add_mut;
mod bind_first;
mod bind_tail;
mod bind_temporary;
mod blocks;
mod borrow;
mod clone;
mod collect_first;
mod drop_lifetime;
mod edit;
mod hoist;
mod initialize;
mod reorder;
mod restrict_copy;
mod split_at_mut;
mod walk;

use crate::ast::{FnDef, Span};
use crate::borrowck::BorrowckResult;
use crate::errors::{BorrowError, ConflictKind, ErrorKind, Role, UseKind};
use crate::index::Index;
use crate::mir::Body;
use crate::TextRange;
use add_bound::add_bound;
use add_move::add_move;
use add_mut::add_mut;
use bind_first::bind_first;
use bind_tail::bind_tail;
use bind_temporary::bind_temporary;
use borrow::{borrow_in_for, borrow_instead, borrow_matched};
use clone::{clone_at, clone_moved_out};
use collect_first::collect_first;
use drop_lifetime::drop_annotated_lifetime;
use hoist::hoist_declaration;
use initialize::initialize;
use reorder::{reorder, use_before_move};
use restrict_copy::restrict_copy;
use split_at_mut::split_at_mut;

/// One text replacement, in byte offsets of the file (all edits of a fix refer to the text
/// before any of them is applied, as in LSP's `WorkspaceEdit`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextEdit {
    /// The text replaced.
    pub range: TextRange,
    /// What replaces it.
    pub new_text: String,
}

/// A quick fix: a title for the menu and the edits that make it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    /// What the fix does, for statistics: `add-mut`, `move-after-last-use`, `clone`, ...
    pub kind: &'static str,
    /// The title for the menu (`Move \`v.push(4)\` after \`println!("{first}")\``).
    pub title: String,
    /// The edits, all in the file as it is.
    pub edits: Vec<TextEdit>,
}

/// What the fixes of one function's errors look at.
pub(crate) struct FixCtx<'a> {
    /// The whole file.
    pub text: &'a str,
    /// The function's offset in the file: every span below is relative to it.
    pub offset: u32,
    pub def: &'a FnDef,
    pub body: &'a Body,
    pub borrowck: &'a BorrowckResult,
    pub index: &'a Index,
}

/// The fixes for one error, best first.
pub(crate) fn fixes(cx: &FixCtx, e: &BorrowError) -> Vec<Fix> {
    let Some(root) = &cx.def.body else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match &e.kind {
        ErrorKind::NotMutable { .. } | ErrorKind::Reassigned { .. } => add_mut(cx, e, &mut out),
        ErrorKind::Conflict { kind, .. } => {
            split_at_mut(cx, root, e, &mut out);
            collect_first(cx, root, e, &mut out);
            if *kind != ConflictKind::MoveWhileBorrowed {
                bind_first(cx, root, e, &mut out);
            }
            if *kind == ConflictKind::MoveWhileBorrowed {
                if let Some(moved) = e.label(Role::Access) {
                    clone_at(cx, root, moved, &mut out);
                }
            }
            reorder(cx, root, e, &mut out);
        }
        ErrorKind::UseAfterMove {
            action,
            partial,
            moves,
            ..
        } => {
            if let Some(&moved) = moves.first() {
                borrow_in_for(cx, root, moved, &mut out);
                borrow_matched(cx, root, moved, &mut out);
                clone_at(cx, root, moved, &mut out);
                restrict_copy(cx, moved, &mut out);
                // Only a use that borrows can go first: a use that moves would move it twice.
                // (A use of a partially moved value keeps its fixes to the move.)
                if *action == UseKind::Borrow && !partial {
                    use_before_move(cx, root, moved, e.span, &mut out);
                }
            }
        }
        ErrorKind::TemporaryDropped { .. } => bind_temporary(cx, root, e, &mut out),
        ErrorKind::DoesNotLiveLongEnough { .. } => {
            hoist_declaration(cx, root, e, &mut out);
            bind_tail(cx, root, e, &mut out);
            drop_annotated_lifetime(cx, root, e, &mut out);
        }
        ErrorKind::ClosureMayOutlive { .. } => add_move(cx, e, &mut out),
        ErrorKind::Uninitialized { .. } => initialize(cx, root, e, &mut out),
        ErrorKind::MoveOut(_) => {
            borrow_instead(cx, root, e, &mut out);
            clone_moved_out(cx, root, e, &mut out);
        }
        ErrorKind::RegionOutlives { .. } => add_bound(cx, e, &mut out),
        ErrorKind::MutatedInGuard { .. }
        | ErrorKind::ReturnsBorrow { .. }
        | ErrorKind::EscapesBody { .. }
        | ErrorKind::StaticOutlives => {}
    }
    out
}

/// The borrow, the conflicting access and the later use of a conflict error; none when the
/// borrow is the access itself.
fn conflict_spans(e: &BorrowError) -> Option<(Span, Span, Option<Span>)> {
    let ErrorKind::Conflict {
        borrow, later_use, ..
    } = &e.kind
    else {
        return None;
    };
    (*borrow != e.span).then_some((*borrow, e.span, *later_use))
}
