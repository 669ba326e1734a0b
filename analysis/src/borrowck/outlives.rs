//! Borrows that outlive what they borrow: a loan still live where its local's storage ends
//! (E0597, E0716, E0515), a loan that must outlive the function (stored into an argument or a
//! `'static` place, returned, or captured by a closure that may outlive it: E0597, E0716, E0515,
//! E0373).

use super::bits::Bits;
use super::conflicts::Depth;
use super::regions::Regions;
use super::{BorrowError, Cx, Loan};
use crate::ast::Span;
use crate::errors::{DropUse, ErrorKind, Owner};
use crate::mir::*;
use crate::ty::Ty;

impl Cx<'_> {
    /// Loans of locals that must outlive the function (stored into an argument, a `'static`
    /// place, or returned): E0597 / E0515 even where no storage end is reached.
    pub(super) fn check_escaping_loans(&self, regions: &Regions, errors: &mut Vec<BorrowError>) {
        let body = self.body;
        let carriers = |li: usize| regions.carriers(li);
        let reported_loans: Vec<Span> = errors
            .iter()
            .flat_map(|e| e.labels().into_iter().map(|l| l.0))
            .chain(errors.iter().map(|e| e.span))
            .collect();
        // rustc reports one "does not live long enough" per borrowed local.
        let mut dead_reported: Vec<Local> = self
            .loans
            .iter()
            .filter(|l| reported_loans.contains(&l.span))
            .map(|l| l.place.local)
            .collect();
        for (li, loan) in self.loans.iter().enumerate() {
            if !regions.outlives_body(li)
                || loan.uncertain
                || !self.reachable[self.block_of(loan.point)]
            {
                continue;
            }
            if loan.place.proj.contains(&Proj::Deref) || reported_loans.contains(&loan.span) {
                continue;
            }
            let decl = body.local(loan.place.local);
            if matches!(decl.kind, LocalKind::Return)
                || (decl.kind == LocalKind::Temp && !decl.is_statement_temp)
            {
                continue;
            }
            if self.maybe_deref_coerced(loan) {
                continue;
            }
            // rustc reports each call argument's borrow, though.
            if dead_reported.contains(&loan.place.local) && !body.static_args.contains(&loan.holder)
            {
                continue;
            }
            dead_reported.push(loan.place.local);
            let carry = carriers(li);
            let name = self.describe(&loan.place);
            if body.capture_temps.contains(&loan.holder) {
                // rustc words a closure's borrow that must outlive the body as E0373 where the
                // closure is returned or passed to a `'static` parameter; stored elsewhere (into
                // an argument, through an unsizing cast) it is the captured variable that does
                // not live long enough (E0597, at its use in the closure).
                let escapes_as_closure =
                    carry[0] || body.static_args.iter().any(|l| carry[l.0 as usize]);
                let capture = body.capture_of(loan.holder);
                errors.push(match capture {
                    Some(c) if !escapes_as_closure => BorrowError {
                        span: c.var,
                        kind: ErrorKind::DoesNotLiveLongEnough {
                            name,
                            dropped: None,
                            captured: Some(c.args),
                            dropped_by: None,
                        },
                    },
                    _ => BorrowError {
                        span: loan.span,
                        kind: ErrorKind::ClosureMayOutlive { name },
                    },
                });
                continue;
            }
            if carry[0] {
                if !body.ret_holds_borrow {
                    continue;
                }
                errors.push(self.returned_borrow(li, &name, &carriers));
            } else if decl.kind == LocalKind::Temp {
                errors.push(BorrowError {
                    span: decl.span,
                    kind: ErrorKind::TemporaryDropped { freed: None },
                });
            } else {
                errors.push(BorrowError {
                    span: loan.span,
                    kind: ErrorKind::DoesNotLiveLongEnough {
                        name,
                        dropped: None,
                        captured: None,
                        dropped_by: None,
                    },
                });
            }
        }
    }

    /// E0597 / E0716 / E0515: a loan of `local` is still live when its storage ends (at
    /// `span`, point `point`).
    pub(super) fn check_storage_dead(
        &self,
        (local, span, point): (Local, Span, usize),
        in_scope: &Bits,
        carriers: &dyn Fn(usize) -> Vec<bool>,
        regions: &Regions,
        errors: &mut Vec<BorrowError>,
    ) {
        let values_end = |li: usize| regions.outlives_body(li);
        let dead = Place::local(local);
        for li in in_scope.iter() {
            let loan = &self.loans[li];
            if !self.places_conflict(&loan.place, &dead, Depth::Shallow) {
                continue;
            }
            if loan.uncertain {
                return;
            }
            let decl = self.body.local(local);
            let name = decl.name.as_deref().unwrap_or("_").to_string();
            if self.body.capture_temps.contains(&loan.holder) && values_end(li) {
                // Reported as E0373 by the pass over loans that outlive the function.
                return;
            }
            // A closure captures the variable itself: no deref coercion there.
            let capture = self.body.capture_of(loan.holder);
            if capture.is_none() && self.maybe_deref_coerced(loan) {
                return;
            }
            let carry = carriers(li);
            if carry[0] && !self.body.ret_holds_borrow {
                // A borrow flowing into a return type that holds none: our types are wrong.
                return;
            }
            if carry[0] {
                errors.push(self.returned_borrow(li, &name, carriers));
                return;
            }
            if decl.kind == LocalKind::Temp {
                if !decl.is_statement_temp {
                    return;
                }
                errors.push(BorrowError {
                    span: decl.span,
                    kind: ErrorKind::TemporaryDropped { freed: Some(span) },
                });
                return;
            }
            // rustc points at the use in the closure's body, and at the closure.
            let dropped_by = match capture {
                None => self.next_drop_use(point, &carry, &regions.drop_points),
                Some(_) => None,
            };
            errors.push(BorrowError {
                span: capture.map_or(loan.span, |c| c.var),
                kind: ErrorKind::DoesNotLiveLongEnough {
                    name,
                    dropped: Some(span),
                    captured: capture.map(|c| c.args),
                    dropped_by,
                },
            });
            return;
        }
    }

    /// The drop that uses a loan next after the storage end at `point`, as rustc explains a
    /// borrow live there (`UsedLaterWhenDropped`): among the storage ends that follow it in its
    /// block with nothing else between, the first of a local the loan flows into (`carry`)
    /// whose drop uses its regions (`drop_points`). Named only for a type whose own `Drop`
    /// impl runs (rustc's "`Drop` code for type `T`"): the crate's, or std's `Vec`.
    fn next_drop_use(&self, point: usize, carry: &[bool], drop_points: &[bool]) -> Option<DropUse> {
        let bi = self.block_of(point);
        let b = &self.body.blocks[bi];
        let first = point - self.block_start[bi] + 1;
        for (si, s) in b.stmts.iter().enumerate().skip(first) {
            let StatementKind::StorageDead(l) = &s.kind else {
                return None;
            };
            if !drop_points[self.block_start[bi] + si] || !carry[l.0 as usize] {
                continue;
            }
            return self.drop_use(*l, s.span);
        }
        None
    }

    /// The drop of `l` at `span` as rustc names it when it runs the type's own `Drop` code (a
    /// crate type with a `Drop` impl, std's `Vec`); `None` for a temporary, or where rustc says
    /// "destructor for type `T<'_>`", whose regions we do not print.
    pub(super) fn drop_use(&self, l: Local, span: Span) -> Option<DropUse> {
        let decl = self.body.local(l);
        let name = decl
            .name
            .as_ref()
            .filter(|_| decl.kind == LocalKind::User)?;
        let ty = match &decl.ty {
            Ty::Adt { name, .. } if &**name == "Vec" => "Vec".to_string(),
            Ty::Adt { name, .. } if self.index.adt(name).is_some_and(|a| a.drop && !a.opaque) => {
                crate::ty::display(&Ty::adt(name, Vec::new()))
            }
            _ => return None,
        };
        Some(DropUse {
            name: name.to_string(),
            ty,
            span,
        })
    }

    /// `&x` where `x` may itself be a reference can be deref-coerced into `&*x`, which borrows
    /// the referent, not `x`.
    fn maybe_deref_coerced(&self, loan: &Loan) -> bool {
        loan.place.proj.is_empty()
            && !matches!(
                self.body.local(loan.place.local).ty,
                Ty::Adt { .. } | Ty::Prim(_) | Ty::Tuple(_) | Ty::Array(..)
            )
    }

    /// E0515: the loan flows into the returned value. `name` names the borrowed value.
    fn returned_borrow(
        &self,
        li: usize,
        name: &str,
        carriers: &dyn Fn(usize) -> Vec<bool>,
    ) -> BorrowError {
        let loan = &self.loans[li];
        let decl = self.body.local(loan.place.local);
        let owner = match decl.kind {
            LocalKind::Temp => Owner::Temporary,
            LocalKind::Arg => Owner::Parameter,
            _ => Owner::Local,
        };
        let span = self.return_span(li, carriers).unwrap_or(loan.span);
        BorrowError {
            span,
            kind: ErrorKind::ReturnsBorrow {
                owner,
                name: name.to_string(),
                reference: loan.place.proj.is_empty() && decl.kind != LocalKind::Temp,
                borrow: loan.span,
            },
        }
    }

    /// The span of the returned expression that carries the loan.
    fn return_span(&self, li: usize, carriers: &dyn Fn(usize) -> Vec<bool>) -> Option<Span> {
        let point = self.loans[li].point;
        self.return_span_where(&carriers(li), &|s: &Statement| self.stmt_point(s) == point)
    }

    /// The smallest returned expression (`Body::return_exprs`) holding `span`, else `span`.
    fn returned_expr(&self, span: Span) -> Span {
        self.body
            .return_exprs
            .iter()
            .filter(|r| r.start <= span.start && span.end <= r.end)
            .min_by_key(|r| r.end - r.start)
            .copied()
            .unwrap_or(span)
    }

    /// The first assignment to the return place whose value comes from a local in `carry` (or,
    /// for a borrow, that `is_loan` says creates the loan).
    fn return_span_where(
        &self,
        carry: &[bool],
        is_loan: &dyn Fn(&Statement) -> bool,
    ) -> Option<Span> {
        for b in &self.body.blocks {
            for s in &b.stmts {
                if let StatementKind::Assign(p, rv) = &s.kind {
                    if p.local.0 != 0 || !p.proj.is_empty() {
                        continue;
                    }
                    let carries = match rv {
                        Rvalue::Use(o) => o.place().is_some_and(|q| carry[q.local.0 as usize]),
                        Rvalue::Aggregate(ops) => ops
                            .iter()
                            .any(|o| o.place().is_some_and(|q| carry[q.local.0 as usize])),
                        Rvalue::Ref(_, q) => carry[q.local.0 as usize] || is_loan(s),
                        Rvalue::Opaque(..) => false,
                    };
                    if carries {
                        return Some(self.returned_expr(s.span));
                    }
                }
            }
            if let Terminator::Call {
                dest,
                span,
                args,
                ret_borrows,
                ..
            } = &b.term
            {
                if dest.local.0 == 0
                    && ret_borrows.iter().any(|i| {
                        args.get(*i)
                            .and_then(|a| a.place())
                            .is_some_and(|q| carry[q.local.0 as usize])
                    })
                {
                    return Some(self.returned_expr(*span));
                }
            }
        }
        None
    }

    fn stmt_point(&self, target: &Statement) -> usize {
        for (bi, b) in self.body.blocks.iter().enumerate() {
            for (si, s) in b.stmts.iter().enumerate() {
                if std::ptr::eq(s, target) {
                    return self.block_start[bi] + si;
                }
            }
        }
        usize::MAX
    }
}
