//! Regions as sets of points, the outlives constraints between them, and their least solution by
//! a worklist. One region per local (its live points, or every point for a free region), then one
//! per loan; assignments, reborrows, calls and `Flow` statements make one region outlive another.

use super::bits::Bits;
use super::liveness::Liveness;
use super::Cx;
use crate::ast::Mutability;
use crate::index::Index;
use crate::mir::place_ty::place_tys;
use crate::mir::*;
use crate::ty::Ty;

/// The solved regions: the locals' first, then the loans'.
pub(super) struct Regions {
    n_locals: usize,
    /// The extra point for "after the function": a region holding it outlives the body.
    end: usize,
    /// The points of each region.
    values: Vec<Bits>,
    /// For each region `sup`, the regions `sub` of its constraints `sup: sub`.
    pub(super) succ: Vec<Vec<usize>>,
    /// For each point, whether it ends the storage of a local whose drop uses its regions
    /// (`Liveness::drop_points`): to name the drop that keeps a borrow alive.
    pub(super) drop_points: Vec<bool>,
}

impl Regions {
    /// The points of loan `li`'s region.
    pub(super) fn loan_region(&self, li: usize) -> &Bits {
        &self.values[self.n_locals + li]
    }

    /// Whether loan `li`'s region reaches past the function's end.
    pub(super) fn outlives_body(&self, li: usize) -> bool {
        self.values[self.n_locals + li].contains(self.end)
    }

    /// Which local regions loan `li`'s region contains through constraints (for labels and for
    /// E0515).
    pub(super) fn carriers(&self, li: usize) -> Vec<bool> {
        let (n_locals, n_regions, succ) = (self.n_locals, self.values.len(), &self.succ);
        let mut seen = vec![false; n_regions];
        let mut stack = vec![n_locals + li];
        while let Some(r) = stack.pop() {
            if seen[r] {
                continue;
            }
            seen[r] = true;
            stack.extend(succ[r].iter().copied());
        }
        seen.truncate(n_locals);
        seen
    }
}

/// Whether the value at `p` holds borrows (`Ty::holds_borrow` of its type), without building
/// the types of its prefixes for a whole local.
fn holds_borrow(body: &Body, index: &Index, p: &Place) -> Option<bool> {
    if p.proj.is_empty() {
        return body.local(p.local).ty.holds_borrow();
    }
    crate::mir::place_ty::place_ty(body, index, p).holds_borrow()
}

impl Cx<'_> {
    /// Region variables: one per local, then one per loan. A region is a set of points, plus
    /// one extra point for "after the function" (free regions).
    pub(super) fn regions(&self, liveness: &Liveness) -> Regions {
        let body = self.body;
        let n_locals = body.locals.len();
        let n_loans = self.loans.len();
        let n_regions = n_locals + n_loans;
        let end = self.n_points;
        let mut values: Vec<Bits> = vec![Bits::new(self.n_points + 1); n_regions];
        liveness.for_each_live(self, &mut |p, live| {
            for l in live.iter() {
                values[l].insert(p);
            }
        });
        // Free regions: the return place of a function returning a borrow, and reference
        // arguments.
        let free = Bits::full(self.n_points + 1);
        if body.ret_holds_borrow || body.ret_escapes {
            values[0] = free.clone();
        }
        for a in 1..=body.n_args as usize {
            if body.locals[a].ty.holds_borrow() == Some(true) {
                values[a] = free.clone();
            }
        }
        for l in &body.static_locals {
            values[l.0 as usize] = free.clone();
        }
        let constraints = self.outlives_constraints();
        // The least fixpoint, by a worklist: only a region that grew is propagated again (passes
        // over every constraint would take as many passes as the longest chain of copies). Values
        // flow mostly from later locals to earlier ones (`let b = a;`), so the last are taken
        // first.
        let mut sups_of: Vec<Vec<usize>> = vec![Vec::new(); n_regions];
        for &(sup, sub) in &constraints {
            if sup != sub {
                sups_of[sub].push(sup);
            }
        }
        let mut queued = vec![true; n_regions];
        let mut worklist: Vec<usize> = (0..n_regions).collect();
        while let Some(sub) = worklist.pop() {
            queued[sub] = false;
            let v = values[sub].clone();
            for &sup in &sups_of[sub] {
                if values[sup].union(&v) && !queued[sup] {
                    queued[sup] = true;
                    worklist.push(sup);
                }
            }
        }
        // Which local regions each loan's region contains through constraints (for labels and
        // for E0515).
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n_regions];
        for &(sup, sub) in &constraints {
            succ[sup].push(sub);
        }
        Regions {
            n_locals,
            end,
            values,
            succ,
            drop_points: liveness.drop_points().to_vec(),
        }
    }

    /// The outlives constraints from assignments, reborrows, `Flow` statements and calls.
    fn outlives_constraints(&self) -> Vec<(usize, usize)> {
        let body = self.body;
        let n_locals = body.locals.len();
        let mut constraints: Vec<(usize, usize)> = Vec::new(); // (sup, sub): sup ⊇ sub
        let mut loan_idx = 0;
        for b in body.blocks.iter() {
            for s in &b.stmts {
                if let StatementKind::Assign(dest, rv) = &s.kind {
                    let d = dest.local.0 as usize;
                    // Nothing flows into a value that holds no borrow (a raw pointer, an integer).
                    let dest_holds = holds_borrow(body, self.index, dest) != Some(false);
                    match rv {
                        Rvalue::Use(_) | Rvalue::Aggregate(_) if !dest_holds => {}
                        Rvalue::Ref(_, place) => {
                            let r = n_locals + loan_idx;
                            loan_idx += 1;
                            constraints.push((r, d));
                            // A reference outlives nothing its referent holds: `&'r T` requires
                            // `T: 'r` (well-formedness), so a borrow of a local or of a field
                            // of it keeps what the value holds live while the reference is
                            // (`it.next()` on an iterator of `v` keeps `v`'s loan; a borrow of
                            // a closure, to call it, its captures').
                            if !place.proj.contains(&Proj::Deref)
                                && holds_borrow(body, self.index, place) != Some(false)
                            {
                                constraints.push((place.local.0 as usize, r));
                            }
                            // Reborrow constraints: the referents' regions outlive the loan.
                            let tys = place_tys(body, self.index, place);
                            for i in (0..place.proj.len()).rev() {
                                if place.proj[i] != Proj::Deref {
                                    continue;
                                }
                                // The region of a reference found behind another reference is an
                                // inner region, which one region per local cannot express.
                                if place.proj[..i].iter().enumerate().any(|(j, p)| {
                                    *p == Proj::Deref && !matches!(*tys[j], Ty::Adt { .. })
                                }) {
                                    // rustc's walk stops at a shared reference (its own
                                    // region is all the loan needs); past a `&mut` it goes on.
                                    if matches!(
                                        *tys[i],
                                        Ty::Ref(Mutability::Not, _) | Ty::RawPtr(..)
                                    ) {
                                        break;
                                    }
                                    continue;
                                }
                                match &*tys[i] {
                                    Ty::Ref(Mutability::Not, _) => {
                                        constraints.push((place.local.0 as usize, r));
                                        break;
                                    }
                                    Ty::Ref(Mutability::Mut, _) => {
                                        constraints.push((place.local.0 as usize, r));
                                    }
                                    Ty::RawPtr(..) => break,
                                    _ => {
                                        constraints.push((place.local.0 as usize, r));
                                    }
                                }
                            }
                        }
                        Rvalue::Use(o) => {
                            if let Some(p) = o.place() {
                                if self.flows(p) {
                                    constraints.push((p.local.0 as usize, d));
                                }
                            }
                        }
                        Rvalue::Aggregate(ops) => {
                            for o in ops {
                                if let Some(p) = o.place() {
                                    if self.flows(p) {
                                        constraints.push((p.local.0 as usize, d));
                                    }
                                }
                            }
                        }
                        Rvalue::Opaque(..) => {}
                    }
                }
            }
            for s in &b.stmts {
                if let StatementKind::Flow(p, into) = &s.kind {
                    if self.flows(p) {
                        constraints.push((p.local.0 as usize, into.0 as usize));
                    }
                }
            }
            if let Terminator::Call {
                args,
                dest,
                ret_borrows,
                ..
            } = &b.term
            {
                let ret_borrows: &[usize] = if holds_borrow(body, self.index, dest) == Some(false) {
                    &[]
                } else {
                    ret_borrows
                };
                for i in ret_borrows {
                    if let Some(p) = args.get(*i).and_then(|a| a.place()) {
                        constraints.push((p.local.0 as usize, dest.local.0 as usize));
                    }
                }
            }
        }
        constraints
    }

    /// Whether reading `p` carries its local's region into the value read.
    fn flows(&self, p: &Place) -> bool {
        if p.proj.is_empty() {
            return self.body.local(p.local).ty.holds_borrow() != Some(false);
        }
        let tys = place_tys(self.body, self.index, p);
        // Reading a value from behind a reference gives it the inner regions, not the
        // reference's own: one region per local cannot follow that, so say nothing.
        let through_ref = p
            .proj
            .iter()
            .enumerate()
            .any(|(j, q)| *q == Proj::Deref && !matches!(*tys[j], Ty::Adt { .. }));
        !through_ref && tys.last().unwrap().holds_borrow() != Some(false)
    }
}
