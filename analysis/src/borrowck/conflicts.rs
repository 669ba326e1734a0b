//! Access conflicts, as rustc's `places_conflict`: whether an access overlaps a loan in scope
//! (shallow or deep, through fields, indices, subslices and derefs), whether its kind conflicts
//! with the loan's (reads against mutable loans, writes against any; a reserved two-phase borrow
//! lets reads through until its activation; a fake borrow only writes of its place or a prefix),
//! and the error it makes (E0499, E0502, E0503, E0505, E0506, E0510) with the later use that
//! keeps the loan alive.

use super::access::{stmt_accesses, uses_and_def, Access, AccessKind};
use super::bits::Bits;
use super::regions::Regions;
use super::{successors, BorrowError, Cx};
use crate::ast::{Mutability, Span};
use crate::errors::{ConflictKind, DropUse, ErrorKind, Mutation};
use crate::mir::place_ty::place_tys;
use crate::mir::*;
use crate::ty::Ty;

/// How far an access reaches below its place: a shallow one (an assignment, a discriminant read)
/// not through the references it holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Depth {
    Shallow,
    Deep,
}

impl Cx<'_> {
    /// Do a loan of `borrowed` and an access of `access` overlap, as rustc's `places_conflict`?
    pub(super) fn places_conflict(&self, borrowed: &Place, access: &Place, depth: Depth) -> bool {
        if borrowed.local != access.local {
            return false;
        }
        let common = borrowed.proj.len().min(access.proj.len());
        for i in 0..common {
            match (&borrowed.proj[i], &access.proj[i]) {
                (Proj::Field(a), Proj::Field(b)) => {
                    if a != b {
                        // The fields of a union overlap.
                        let base = &place_tys(self.body, self.index, access)[i];
                        return matches!(&**base, Ty::Adt { name, .. }
                            if self.index.adt(name).is_some_and(|a| a.is_union && !a.opaque));
                    }
                }
                (Proj::Downcast(a), Proj::Downcast(b)) => {
                    if a != b {
                        return false;
                    }
                }
                (Proj::Deref, Proj::Deref) => {}
                (
                    Proj::ConstIndex {
                        offset: a,
                        from_end: x,
                        min_length: l1,
                    },
                    Proj::ConstIndex {
                        offset: b,
                        from_end: y,
                        min_length: l2,
                    },
                ) => {
                    if x == y {
                        if a != b {
                            return false;
                        }
                    } else {
                        // From opposite ends, rustc's rule: both patterns matched, so the slice
                        // has at least the longer minimum; the element from the end lies at
                        // `min_length - offset` from the start at the earliest.
                        let (from_begin, from_end) = if *x { (*b, *a) } else { (*a, *b) };
                        let min_length = (*l1).max(*l2);
                        if from_begin < min_length.saturating_sub(from_end) {
                            return false;
                        }
                    }
                }
                (
                    Proj::Range { from, to, from_end },
                    Proj::ConstIndex {
                        offset,
                        from_end: e,
                        ..
                    },
                )
                | (
                    Proj::ConstIndex {
                        offset,
                        from_end: e,
                        ..
                    },
                    Proj::Range { from, to, from_end },
                ) => {
                    // rustc's rule for a subslice and an element (the places end here in what
                    // patterns borrow; anything deeper is not compared).
                    let overlap = match (*from_end, *e) {
                        (false, false) => *from <= *offset && *offset < *to,
                        (true, false) => *offset >= *from,
                        (true, true) => *offset > *to,
                        (false, true) => false,
                    };
                    let ends = i + 1 == borrowed.proj.len() || i + 1 == access.proj.len();
                    if !overlap || !ends {
                        return false;
                    }
                }
                (Proj::Subslice, Proj::ConstIndex { .. })
                | (Proj::ConstIndex { .. }, Proj::Subslice) => return false,
                (
                    Proj::Range {
                        from: f1,
                        to: t1,
                        from_end: false,
                    },
                    Proj::Range {
                        from: f2,
                        to: t2,
                        from_end: false,
                    },
                ) if t1 <= f2 || t2 <= f1 => return false,
                (
                    Proj::Index | Proj::ConstIndex { .. } | Proj::Subslice | Proj::Range { .. },
                    Proj::Index | Proj::ConstIndex { .. } | Proj::Subslice | Proj::Range { .. },
                ) => {}
                // Shapes that disagree come from types we only half know: assume disjoint.
                _ => return false,
            }
        }
        if borrowed.proj.len() > access.proj.len()
            && borrowed.proj[access.proj.len()..].contains(&Proj::Deref)
        {
            let tys = place_tys(self.body, self.index, borrowed);
            for i in access.proj.len()..borrowed.proj.len() {
                if borrowed.proj[i] == Proj::Deref {
                    if depth == Depth::Shallow {
                        return false;
                    }
                    match &*tys[i] {
                        Ty::Ref(Mutability::Not, _) => return false,
                        Ty::Ref(Mutability::Mut, _) => {}
                        Ty::Adt { name, .. } if &**name == "Box" => {}
                        _ => return false,
                    }
                }
            }
        }
        true
    }

    /// `capture`: the access is a closure's capture (rustc points at the closure).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn check_conflicts(
        &self,
        a: &Access,
        capture: Option<&ClosureCapture>,
        point: usize,
        in_scope: &Bits,
        skip: Option<usize>,
        regions: &Regions,
        errors: &mut Vec<BorrowError>,
    ) {
        let depth = match a.kind {
            AccessKind::Assign | AccessKind::FakeRead => Depth::Shallow,
            _ => Depth::Deep,
        };
        for li in in_scope.iter() {
            if Some(li) == skip {
                continue;
            }
            let loan = &self.loans[li];
            if self.loan_behind_shared_ref[li] {
                continue;
            }
            let reserved = matches!(loan.kind, BorrowKind::Mut { two_phase: true })
                && loan.activation.is_none_or(|act| point < act);
            // A reserved two-phase borrow lets reads through; writes see a mutable borrow.
            let loan_mut = loan.kind.is_mut();
            let conflicts_kind = match a.kind {
                AccessKind::SharedBorrow
                | AccessKind::Copy
                | AccessKind::FakeRead
                | AccessKind::Reserve => loan_mut && !reserved,
                AccessKind::MutBorrow
                | AccessKind::UniqueBorrow
                | AccessKind::Move
                | AccessKind::Assign => true,
                AccessKind::Unknown | AccessKind::MatchedPlace | AccessKind::Mention => false,
            };
            if !conflicts_kind || !self.places_conflict(&loan.place, a.place, depth) {
                continue;
            }
            if let BorrowKind::Fake(section) = loan.kind {
                // rustc's shallow fake borrow: only a write of the place or of a prefix (not a
                // move, which the initialization checks see, nor a reservation) conflicts.
                let action = match a.kind {
                    AccessKind::Assign => Mutation::Assign,
                    AccessKind::MutBorrow | AccessKind::UniqueBorrow => Mutation::Borrow,
                    _ => continue,
                };
                if a.place.proj.len() > loan.place.proj.len() {
                    continue;
                }
                if a.uncertain || loan.uncertain {
                    return;
                }
                errors.push(BorrowError {
                    span: a.span,
                    kind: ErrorKind::MutatedInGuard {
                        action,
                        place: self.describe(a.place),
                        section,
                    },
                });
                return;
            }
            if a.uncertain || loan.uncertain {
                return;
            }
            // rustc's `report_conflicting_borrow`: a closure's unique borrow on either side has
            // its own codes (E0500, E0501, E0524).
            let loan_unique = loan.kind == BorrowKind::Unique;
            let kind = match a.kind {
                AccessKind::UniqueBorrow if loan_unique => ConflictKind::TwoUnique,
                AccessKind::UniqueBorrow => ConflictKind::UniqueWhileBorrowed,
                AccessKind::SharedBorrow if loan_unique => {
                    ConflictKind::BorrowWhileUnique { mutable: false }
                }
                AccessKind::MutBorrow | AccessKind::Reserve if loan_unique => {
                    ConflictKind::BorrowWhileUnique { mutable: true }
                }
                AccessKind::Reserve => ConflictKind::SecondMutBorrow,
                AccessKind::SharedBorrow => ConflictKind::SharedWhileMut,
                AccessKind::MutBorrow if loan_mut => ConflictKind::SecondMutBorrow,
                AccessKind::MutBorrow => ConflictKind::MutWhileShared,
                AccessKind::Copy | AccessKind::FakeRead => ConflictKind::UseWhileMutBorrowed,
                AccessKind::Move => ConflictKind::MoveWhileBorrowed,
                AccessKind::Assign => ConflictKind::AssignWhileBorrowed,
                AccessKind::Unknown | AccessKind::MatchedPlace | AccessKind::Mention => return,
            };
            // A closure's capture is reported at the closure, with the use in its body.
            let loan_capture = self.body.capture_of(loan.holder);
            let (later_use, later_drop) = match self.later_use(li, point, regions) {
                Some(LaterUse::Use(sp)) => (Some(sp), None),
                // rustc words the closures' unique borrows' drops apart: not named here.
                Some(LaterUse::Drop(d))
                    if !matches!(
                        kind,
                        ConflictKind::UniqueWhileBorrowed
                            | ConflictKind::BorrowWhileUnique { .. }
                            | ConflictKind::TwoUnique
                    ) =>
                {
                    (None, d)
                }
                Some(LaterUse::Drop(_)) => (None, None),
                None => (None, None),
            };
            errors.push(BorrowError {
                span: capture.map_or(a.span, |c| c.args),
                kind: ErrorKind::Conflict {
                    kind,
                    place: self.describe(a.place),
                    borrowed: self.describe(&loan.place),
                    loan: loan.kind,
                    borrow: loan_capture.map_or(loan.span, |c| c.args),
                    later_use,
                    later_drop,
                    borrow_in_closure: loan_capture.map(|c| c.var),
                    access_in_closure: capture.map(|c| c.var),
                },
            });
            return;
        }
    }

    /// The first later use of a local that carries the loan: a use, or a drop that uses its
    /// regions (`LaterUse::Drop`, with the drop named when rustc names its `Drop` code).
    fn later_use(&self, li: usize, from: usize, regions: &Regions) -> Option<LaterUse> {
        let carry = regions.carriers(li);
        let mut seen = vec![false; self.body.blocks.len()];
        let b0 = self.block_of(from);
        let mut stack: Vec<(usize, usize)> = vec![(b0, from - self.block_start[b0] + 1)];
        while let Some((bi, start)) = stack.pop() {
            let b = &self.body.blocks[bi];
            for si in start..=b.stmts.len() {
                let mut uses = Vec::new();
                if si < b.stmts.len() {
                    uses_and_def(&b.stmts[si], &mut uses);
                } else if let Terminator::Call { args, .. } = &b.term {
                    uses.extend(args.iter().filter_map(|a| a.place().map(|p| p.local)));
                } else if matches!(b.term, Terminator::Return) && carry[0] {
                    uses.push(Local(0));
                }
                if let Some(StatementKind::StorageDead(l)) = b.stmts.get(si).map(|s| &s.kind) {
                    if regions.drop_points[self.block_start[bi] + si] && carry[l.0 as usize] {
                        let d = self.drop_use(*l, b.stmts[si].span);
                        return Some(LaterUse::Drop(d));
                    }
                }
                if uses.iter().any(|u| carry[u.0 as usize]) {
                    let sp = if si < b.stmts.len() {
                        // The span of the access that uses it, where a statement reads its
                        // parts at their own spans (a built-in operator's operands).
                        let mut at = None;
                        stmt_accesses(&b.stmts[si], &mut |a| {
                            if at.is_none() && carry[a.place.local.0 as usize] {
                                at = Some(a.span);
                            }
                        });
                        at.unwrap_or(b.stmts[si].span)
                    } else {
                        b.term_span
                    };
                    return Some(LaterUse::Use(sp));
                }
            }
            for s in successors(&b.term) {
                if !seen[s] {
                    seen[s] = true;
                    stack.push((s, 0));
                }
            }
        }
        None
    }
}

/// What keeps a loan alive after a conflicting access.
enum LaterUse {
    /// A use of a local it flows into, at this span.
    Use(Span),
    /// The drop of a local it flows into, which uses its regions (named when rustc names it).
    Drop(Option<DropUse>),
}
