//! The facts the IDE explains about each loan: where it is live, the binding that holds it, the
//! loan it reborrows, its last use and the error it takes part in.

use super::loans::LoansInScope;
use super::{BorrowError, Cx, LoanFact};
use crate::ast::Span;
use crate::mir::*;

impl Cx<'_> {
    /// Facts for explanations: where each loan is live (the spans of the points where it is in
    /// scope).
    pub(super) fn live_spans(&self, scope: &LoansInScope) -> Vec<Vec<Span>> {
        let body = self.body;
        let (n_loans, loans_in) = (self.loans.len(), &scope.loans_in);
        let mut live_spans = vec![Vec::new(); n_loans];
        for bi in 0..body.blocks.len() {
            if !self.reachable[bi] {
                continue;
            }
            let Some(lin) = loans_in[bi].clone() else {
                continue;
            };
            let mut state = lin;
            scope.transfer(self, bi, &mut state, &mut |p, s| {
                for li in s.iter() {
                    live_spans[li].push(self.point_span(p));
                }
            });
        }
        live_spans
    }

    /// What the IDE says about each loan.
    pub(super) fn facts(
        &self,
        errors: &[BorrowError],
        live_spans: &[Vec<Span>],
        carriers: &dyn Fn(usize) -> Vec<bool>,
    ) -> Vec<LoanFact> {
        let body = self.body;
        let carry: Vec<Vec<bool>> = (0..self.loans.len()).map(carriers).collect();
        let is_user = |l: usize| {
            matches!(
                body.locals[l].kind,
                LocalKind::User | LocalKind::Arg | LocalKind::Upvar
            )
        };
        self.loans
            .iter()
            .enumerate()
            .map(|(li, loan)| {
                let holder = if is_user(loan.holder.0 as usize) {
                    body.local(loan.holder).name.clone()
                } else {
                    // A temporary (a method's autoref): the binding the result flows into.
                    (0..body.locals.len())
                        .find(|&l| carry[li][l] && is_user(l) && l != loan.place.local.0 as usize)
                        .and_then(|l| body.locals[l].name.clone())
                };
                let parent = match loan.place.proj.first() {
                    Some(Proj::Deref) => {
                        let r = loan.place.local.0 as usize;
                        (0..self.loans.len())
                            .filter(|&p| p != li && carry[p][r] && self.loans[p].point < loan.point)
                            .max_by_key(|&p| self.loans[p].point)
                    }
                    _ => None,
                };
                let last_use = live_spans[li]
                    .iter()
                    .copied()
                    .max_by_key(|s| (s.end, s.start));
                // One of the two borrows of an error (not its "later used here").
                let error = errors
                    .iter()
                    .find(|e| {
                        e.span == loan.span || e.labels().first().is_some_and(|l| l.0 == loan.span)
                    })
                    .cloned();
                let conflicting = error.is_some();
                LoanFact {
                    mutable: loan.kind.is_mut(),
                    span: loan.span,
                    holder,
                    parent,
                    last_use,
                    conflicting,
                    error,
                    // A fake borrow is the checker's, not the user's: nothing to explain.
                    uncertain: loan.uncertain || matches!(loan.kind, BorrowKind::Fake(_)),
                }
            })
            .collect()
    }
}
