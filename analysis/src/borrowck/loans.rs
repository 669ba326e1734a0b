//! The borrow set (every `Ref` statement's loan, and where a two-phase borrow activates) and the
//! loans in scope at each point, by a forward dataflow: a loan comes into scope where it is
//! created and leaves it where its region ends, where its place (or a reference on its path) is
//! overwritten, or where its local's storage ends.

use super::bits::Bits;
use super::conflicts::Depth;
use super::regions::Regions;
use super::{successors, Cx, Loan};
use crate::ast::Mutability;
use crate::mir::place_ty::place_tys;
use crate::mir::*;
use crate::ty::Ty;

impl Cx<'_> {
    /// The borrow set: one loan per `Ref` statement, in program order, then each two-phase
    /// borrow's activation.
    pub(super) fn collect_loans(&mut self) {
        for (bi, b) in self.body.blocks.iter().enumerate() {
            for (si, s) in b.stmts.iter().enumerate() {
                if let StatementKind::Assign(dest, Rvalue::Ref(kind, place)) = &s.kind {
                    self.loans.push(Loan {
                        place: place.clone(),
                        kind: *kind,
                        point: self.block_start[bi] + si,
                        span: s.span,
                        holder: dest.local,
                        uncertain: s.uncertain,
                        activation: None,
                    });
                }
            }
        }
        // A two-phase borrow activates where its temporary is used.
        for li in 0..self.loans.len() {
            if !matches!(self.loans[li].kind, BorrowKind::Mut { two_phase: true }) {
                continue;
            }
            let holder = self.loans[li].holder;
            let start = self.loans[li].point;
            let mut found = None;
            for (bi, b) in self.body.blocks.iter().enumerate() {
                if let Terminator::Call { args, .. } = &b.term {
                    if args
                        .iter()
                        .any(|a| a.place().is_some_and(|p| p.local == holder))
                    {
                        let p = self.block_start[bi] + b.stmts.len();
                        if p > start {
                            found = Some(p);
                        }
                    }
                }
            }
            self.loans[li].activation = found;
        }
    }

    /// Borrows of places behind a shared reference are not tracked by rustc: nothing can
    /// invalidate them while the reference lives.
    pub(super) fn behind_shared_ref(&self, place: &Place) -> bool {
        if !place.proj.contains(&Proj::Deref) {
            return false;
        }
        let tys = place_tys(self.body, self.index, place);
        place
            .proj
            .iter()
            .enumerate()
            .any(|(i, p)| *p == Proj::Deref && matches!(*tys[i], Ty::Ref(Mutability::Not, _)))
    }
}

/// The loans in scope, at each block's entry and through its points.
pub(super) struct LoansInScope {
    /// For each point, the loans whose regions hold it.
    pub(super) live_loans_at: Vec<Bits>,
    /// The loans of each local, as one list sorted by local.
    by_local: Vec<(Local, usize)>,
    /// For each point, the loan it creates.
    loan_of_point: Vec<Option<usize>>,
    /// For each block, the loans in scope at its entry (`None`: the flow never reaches it).
    pub(super) loans_in: Vec<Option<Bits>>,
    /// The loans each point's assignment ends (`kill_on_assign`), computed once for every pass
    /// of the dataflow and of the check: point `p`'s are `killed[kill_start[p]..kill_start[p + 1]]`.
    kill_start: Vec<u32>,
    killed: Vec<u32>,
}

impl Cx<'_> {
    /// The loans in scope at each block's entry, to a fixpoint by a worklist from the entry
    /// block; a loan stays in scope only at the points its region holds.
    pub(super) fn loans_in_scope(&self, regions: &Regions) -> LoansInScope {
        let body = self.body;
        let n_loans = self.loans.len();
        let mut live_loans_at: Vec<Bits> = vec![Bits::new(n_loans); self.n_points];
        for li in 0..n_loans {
            for p in regions.loan_region(li).iter() {
                if p < self.n_points {
                    live_loans_at[p].insert(li);
                }
            }
        }
        let mut by_local: Vec<(Local, usize)> = self
            .loans
            .iter()
            .enumerate()
            .map(|(i, ln)| (ln.place.local, i))
            .collect();
        by_local.sort_unstable();
        let mut loans_in: Vec<Option<Bits>> = vec![None; body.blocks.len()];
        loans_in[0] = Some(Bits::new(n_loans));
        let mut loan_of_point: Vec<Option<usize>> = vec![None; self.n_points];
        for (li, l) in self.loans.iter().enumerate() {
            loan_of_point[l.point] = Some(li);
        }
        let mut scope = LoansInScope {
            live_loans_at,
            by_local,
            loan_of_point,
            loans_in: Vec::new(),
            kill_start: Vec::with_capacity(self.n_points + 1),
            killed: Vec::new(),
        };
        scope.collect_kills(self);
        let mut worklist: Vec<usize> = vec![0];
        while let Some(bi) = worklist.pop() {
            let mut state = loans_in[bi].clone().unwrap();
            scope.transfer(self, bi, &mut state, &mut |_, _| {});
            for s in successors(&body.blocks[bi].term) {
                let changed = match &mut loans_in[s] {
                    None => {
                        loans_in[s] = Some(state.clone());
                        true
                    }
                    Some(old) => old.union(&state),
                };
                if changed {
                    worklist.push(s);
                }
            }
        }
        scope.loans_in = loans_in;
        scope
    }
}

impl LoansInScope {
    /// The loans of local `l`.
    fn loans_by_local(&self, l: Local) -> impl Iterator<Item = usize> + '_ {
        let by_local = &self.by_local;
        let from = by_local.partition_point(|it| it.0 < l);
        by_local[from..]
            .iter()
            .take_while(move |it| it.0 == l)
            .map(|it| it.1)
    }

    /// The loans each point's assignment (a statement's, or a call's destination) ends.
    fn collect_kills(&mut self, cx: &Cx) {
        let mut killed = Vec::new();
        for b in &cx.body.blocks {
            for si in 0..=b.stmts.len() {
                self.kill_start.push(killed.len() as u32);
                let place = match b.stmts.get(si).map(|s| &s.kind) {
                    Some(StatementKind::Assign(place, _)) => place,
                    Some(_) => continue,
                    None => match &b.term {
                        Terminator::Call { dest, .. } => dest,
                        _ => continue,
                    },
                };
                self.kill_on_assign(cx, place, &mut |li| killed.push(li as u32));
            }
        }
        self.kill_start.push(killed.len() as u32);
        self.killed = killed;
    }

    /// An assignment to `place` ends the loans it overwrites, as rustc's `kill_borrows_on_place`:
    /// every loan of its local when it is the whole local, else the loans of places that
    /// certainly overlap it (a loan of `x` or of `x.a.b` by `x.a = ..`; indices whose values are
    /// not known are taken to differ), and the loans reached through a deref below it. Its own
    /// conflict is checked before: an error is reported once, and the loan is gone after it.
    fn kill_on_assign(&self, cx: &Cx, place: &Place, kill: &mut dyn FnMut(usize)) {
        for li in self.loans_by_local(place.local) {
            let lp = &cx.loans[li].place;
            let common = lp.proj.len().min(place.proj.len());
            let unknown_index = lp.proj[..common]
                .iter()
                .chain(&place.proj[..common])
                .any(|p| *p == Proj::Index);
            if place.proj.is_empty()
                || (place.is_prefix_of(lp) && lp.proj[place.proj.len()..].contains(&Proj::Deref))
                || (!unknown_index && cx.places_conflict(lp, place, Depth::Deep))
            {
                kill(li);
            }
        }
    }

    /// The loans in scope at a point are those of the point before that are still live here;
    /// this applies what the statement (or terminator) `si` of block `bi` does.
    pub(super) fn loan_effect(&self, cx: &Cx, bi: usize, si: usize, p: usize, state: &mut Bits) {
        let range = self.kill_start[p] as usize..self.kill_start[p + 1] as usize;
        for &li in &self.killed[range] {
            state.remove(li as usize);
        }
        if let Some(li) = self.loan_of_point[p] {
            state.insert(li);
        }
        if let Some(StatementKind::StorageDead(l)) =
            cx.body.blocks[bi].stmts.get(si).map(|s| &s.kind)
        {
            for li in self.loans_by_local(*l) {
                state.remove(li);
            }
        }
    }

    /// Walks block `bi` from `state`, its entry's loans in scope: `visit` sees the loans in scope
    /// at each point, before the point's own effect.
    pub(super) fn transfer(
        &self,
        cx: &Cx,
        bi: usize,
        state: &mut Bits,
        visit: &mut dyn FnMut(usize, &Bits),
    ) {
        let (body, live_loans_at) = (cx.body, &self.live_loans_at);
        for si in 0..=body.blocks[bi].stmts.len() {
            let p = cx.block_start[bi] + si;
            state.intersect(&live_loans_at[p]);
            visit(p, state);
            self.loan_effect(cx, bi, si, p, state);
        }
    }
}
