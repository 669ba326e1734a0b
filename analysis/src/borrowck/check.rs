//! The walk over every reachable point, with the loans in scope and the moves and
//! initialization there: each access is checked for use of moved or uninitialized values
//! (`moves`) and for conflicts with the loans in scope (`conflicts`), a two-phase borrow again at
//! its activation, and each storage end for the loans it outlives (`outlives`).

use super::access::{stmt_accesses, Access, AccessKind};
use super::loans::LoansInScope;
use super::moves::MoveData;
use super::moves::ReportedMove;
use super::regions::Regions;
use super::{BorrowError, Cx};
use crate::ast::Span;
use crate::errors::ErrorKind;
use crate::mir::*;

impl Cx<'_> {
    /// Every error found at a point: both states walk each reachable block together, point by
    /// point, from the block's entry states.
    pub(super) fn check(
        &self,
        regions: &Regions,
        scope: &LoansInScope,
        move_data: &MoveData,
    ) -> Vec<BorrowError> {
        let body = self.body;
        let (loans_in, live_loans_at) = (&scope.loans_in, &scope.live_loans_at);
        let init_in = &move_data.init_in;
        let carriers = |li: usize| regions.carriers(li);
        let mut errors: Vec<BorrowError> = Vec::new();
        let mut reported_moves: Vec<ReportedMove> = Vec::new();
        let mut reported_uninit: Vec<Local> = Vec::new();
        let mut reservation_errors: Vec<usize> = Vec::new();
        // The accesses of one point (kept across points: allocated once).
        let mut accesses: Vec<Access> = Vec::new();
        // In rustc's order: of two errors of one kind, it keeps the one this order decides.
        for &bi in &self.rpo {
            if !self.reachable[bi] {
                continue;
            }
            let (Some(lin), Some(iin)) = (&loans_in[bi], &init_in[bi]) else {
                continue;
            };
            // Both states walk the block together, point by point.
            let (mut scope_state, mut init_state) = (lin.clone(), iin.clone());
            let b = &body.blocks[bi];
            for si in 0..=b.stmts.len() {
                let p = &(self.block_start[bi] + si);
                scope_state.intersect(&live_loans_at[*p]);
                let (in_scope, init) = (&scope_state, &init_state);
                accesses.clear();
                let mut assigned: Option<(&Place, Span, bool)> = None;
                // A closure's capture: what it reads is reported at the closure.
                let mut capture = None;
                if si < b.stmts.len() {
                    let s = &b.stmts[si];
                    stmt_accesses(s, &mut |a| accesses.push(a));
                    match &s.kind {
                        StatementKind::Assign(place, _) => {
                            assigned = Some((place, s.span, s.uncertain));
                            if place.proj.is_empty() {
                                capture = body.capture_of(place.local);
                            }
                        }
                        StatementKind::StorageDead(l) => {
                            self.check_storage_dead(
                                (*l, s.span, *p),
                                in_scope,
                                &carriers,
                                regions,
                                &mut errors,
                            );
                        }
                        _ => {}
                    }
                } else if let Terminator::Call {
                    args, dest, span, ..
                } = &b.term
                {
                    for a in args {
                        if let Some(pl) = a.place() {
                            let kind = match a {
                                Operand::Move(_) => AccessKind::Move,
                                Operand::Copy(_) => AccessKind::Copy,
                                _ => AccessKind::Unknown,
                            };
                            accesses.push(Access {
                                place: pl,
                                kind,
                                span: *span,
                                uncertain: matches!(a, Operand::Use(_)),
                            });
                        }
                    }
                    assigned = Some((dest, *span, false));
                    // Two-phase activations at this call.
                    for li in in_scope.iter() {
                        let loan = &self.loans[li];
                        if loan.activation == Some(*p) && !reservation_errors.contains(&li) {
                            // The activation's conflicts are reported at the whole call.
                            let act = Access {
                                place: &loan.place,
                                kind: AccessKind::MutBorrow,
                                span: *span,
                                uncertain: loan.uncertain,
                            };
                            self.check_conflicts(
                                &act,
                                None,
                                *p,
                                in_scope,
                                Some(li),
                                regions,
                                &mut errors,
                            );
                        }
                    }
                }
                for a in &accesses {
                    // Use of moved or uninitialized values.
                    let before = errors.len();
                    self.check_init(
                        a,
                        init,
                        move_data,
                        &mut reported_moves,
                        &mut reported_uninit,
                        &mut errors,
                    );
                    // A closure's capture is reported at the closure, with the use in its body.
                    if let Some(c) = capture {
                        for e in &mut errors[before..] {
                            if let ErrorKind::UseAfterMove { in_closure, .. } = &mut e.kind {
                                e.span = c.args;
                                *in_closure = Some(c.var);
                            }
                        }
                    }
                    if !matches!(
                        a.kind,
                        AccessKind::Unknown | AccessKind::MatchedPlace | AccessKind::Mention
                    ) {
                        let before = errors.len();
                        self.check_conflicts(a, capture, *p, in_scope, None, regions, &mut errors);
                        // rustc's `reservation_error_reported`: an erroneous reservation is not
                        // checked again at its activation.
                        if a.kind == AccessKind::Reserve && errors.len() > before {
                            if let Some(li) = self.loans.iter().position(|l| l.point == *p) {
                                reservation_errors.push(li);
                            }
                        }
                    }
                }
                if let Some((place, span, uncertain)) = assigned {
                    let a = Access {
                        place,
                        kind: AccessKind::Assign,
                        span,
                        uncertain,
                    };
                    if !place.proj.is_empty() {
                        self.check_init(
                            &a,
                            init,
                            move_data,
                            &mut reported_moves,
                            &mut reported_uninit,
                            &mut errors,
                        );
                    } else {
                        self.check_reassign(place.local, span, init, &mut errors);
                    }
                    self.check_conflicts(&a, None, *p, in_scope, None, regions, &mut errors);
                }
                scope.loan_effect(self, bi, si, *p, &mut scope_state);
                move_data.init_effect(self, bi, si, *p, &mut init_state);
            }
        }
        let unsure: Vec<usize> = reported_moves
            .iter()
            .filter(|r| r.ambiguous)
            .map(|r| r.error)
            .collect();
        errors
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !unsure.contains(i))
            .map(|(_, e)| e)
            .collect()
    }
}
