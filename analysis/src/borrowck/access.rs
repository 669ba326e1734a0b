//! What each statement and terminator does to places: the accesses (reads, borrows, moves) that
//! the checks ask about, and the uses and definitions that liveness asks about.

use super::Cx;
use crate::ast::Span;
use crate::mir::*;

/// What an access does to its place.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum AccessKind {
    /// `&place`
    SharedBorrow,
    /// `&mut place` (or the activation of a two-phase borrow)
    MutBorrow,
    /// A closure's unique borrow (`BorrowKind::Unique`): exclusive as `&mut`.
    UniqueBorrow,
    /// Reservation of a two-phase `&mut`: a shared borrow for now.
    Reserve,
    /// Copy of a place.
    Copy,
    /// Shallow read (discriminant of a matched place).
    FakeRead,
    /// The matched place of a `match`: only "is it moved as a whole?".
    MatchedPlace,
    Move,
    Assign,
    /// A use of unknown kind: only for use-after-move.
    Unknown,
    /// `let _ = place`: live, nothing checked.
    Mention,
}

/// One access of a place, at the span that rustc's error would point to.
pub(super) struct Access<'p> {
    pub(super) place: &'p Place,
    pub(super) kind: AccessKind,
    pub(super) span: Span,
    pub(super) uncertain: bool,
}

/// Calls `f` for every place the statement reads (not the assigned place).
pub(super) fn stmt_accesses<'b>(s: &'b Statement, f: &mut dyn FnMut(Access<'b>)) {
    let op = |o: &'b Operand, span: Span, unc: bool, f: &mut dyn FnMut(Access<'b>)| match o {
        Operand::Copy(p) => f(Access {
            place: p,
            kind: AccessKind::Copy,
            span,
            uncertain: unc,
        }),
        Operand::Move(p) => f(Access {
            place: p,
            kind: AccessKind::Move,
            span,
            uncertain: unc,
        }),
        Operand::Use(p) => f(Access {
            place: p,
            kind: AccessKind::Unknown,
            span,
            uncertain: true,
        }),
        Operand::Const => {}
    };
    match &s.kind {
        StatementKind::Assign(_, rv) => match rv {
            Rvalue::Use(o) => op(o, s.span, s.uncertain, f),
            // A fake borrow reads nothing: like the matched place, only "is it moved?".
            Rvalue::Ref(BorrowKind::Fake(_), p) => f(Access {
                place: p,
                kind: AccessKind::MatchedPlace,
                span: s.span,
                uncertain: s.uncertain,
            }),
            Rvalue::Ref(BorrowKind::Shared, p) => f(Access {
                place: p,
                kind: AccessKind::SharedBorrow,
                span: s.span,
                uncertain: s.uncertain,
            }),
            Rvalue::Ref(BorrowKind::Mut { two_phase: false }, p) => f(Access {
                place: p,
                kind: AccessKind::MutBorrow,
                span: s.span,
                uncertain: s.uncertain,
            }),
            Rvalue::Ref(BorrowKind::Unique, p) => f(Access {
                place: p,
                kind: AccessKind::UniqueBorrow,
                span: s.span,
                uncertain: s.uncertain,
            }),
            Rvalue::Ref(BorrowKind::Mut { two_phase: true }, p) => f(Access {
                place: p,
                kind: AccessKind::Reserve,
                span: s.span,
                uncertain: s.uncertain,
            }),
            Rvalue::Aggregate(ops) => {
                for o in ops {
                    op(o, s.span, s.uncertain, f);
                }
            }
            Rvalue::Opaque(ops, spans) => {
                for (i, o) in ops.iter().enumerate() {
                    op(o, spans.get(i).copied().unwrap_or(s.span), s.uncertain, f);
                }
            }
        },
        StatementKind::FakeRead(p) => f(Access {
            place: p,
            kind: AccessKind::MatchedPlace,
            span: s.span,
            uncertain: s.uncertain,
        }),
        StatementKind::PlaceMention(p) => f(Access {
            place: p,
            kind: AccessKind::Mention,
            span: s.span,
            uncertain: s.uncertain,
        }),
        StatementKind::Discriminant(p) => f(Access {
            place: p,
            kind: AccessKind::FakeRead,
            span: s.span,
            uncertain: s.uncertain,
        }),
        StatementKind::Eval(o) => op(o, s.span, s.uncertain, f),
        StatementKind::StorageDead(_) | StatementKind::MaybeInit(_) | StatementKind::Flow(..) => {}
    }
}

/// Locals mentioned by a statement as uses (for liveness), and the local it fully defines.
pub(super) fn uses_and_def(s: &Statement, uses: &mut Vec<Local>) -> Option<Local> {
    stmt_accesses(s, &mut |a| uses.push(a.place.local));
    if let StatementKind::Flow(p, _) = &s.kind {
        uses.push(p.local);
    }
    match &s.kind {
        StatementKind::Assign(p, _) => {
            if p.proj.is_empty() {
                return Some(p.local);
            }
            if p.proj.contains(&Proj::Deref) {
                uses.push(p.local);
            }
            None
        }
        _ => None,
    }
}

impl Cx<'_> {
    pub(super) fn for_each_access(&self, f: &mut dyn FnMut(Access, usize)) {
        for (bi, b) in self.body.blocks.iter().enumerate() {
            for (si, s) in b.stmts.iter().enumerate() {
                let p = self.block_start[bi] + si;
                stmt_accesses(s, &mut |a| f(a, p));
            }
            if let Terminator::Call { args, span, .. } = &b.term {
                let p = self.block_start[bi] + b.stmts.len();
                for a in args {
                    if let Operand::Move(pl) = a {
                        f(
                            Access {
                                place: pl,
                                kind: AccessKind::Move,
                                span: *span,
                                uncertain: false,
                            },
                            p,
                        );
                    }
                }
            }
        }
    }
}
