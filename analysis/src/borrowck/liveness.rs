//! Liveness of locals (backward): the locals live at each point, which make the locals' regions.
//! Drop liveness (rustc's `liveness::trace`): a local whose drop needs every region it holds
//! (`ty::dropck`) is live where its storage ends, if it may be initialized there.

use super::access::{stmt_accesses, uses_and_def, AccessKind};
use super::bits::Bits;
use super::{successors, Cx};
use crate::mir::*;

/// The live locals at each block's entry, and the locals their drops keep live.
pub(super) struct Liveness {
    /// For each point, whether it ends the storage of a local whose drop uses it there.
    drop_live: Vec<bool>,
    /// For each block, the locals live at its entry.
    live_in: Vec<Bits>,
}

impl Liveness {
    /// For each point, whether it ends the storage of a local whose drop uses it there.
    pub(super) fn drop_points(&self) -> &[bool] {
        &self.drop_live
    }

    /// Calls `visit` with the live locals at every point, block by block.
    pub(super) fn for_each_live(&self, cx: &Cx, visit: &mut dyn FnMut(usize, &Bits)) {
        let mut uses = Vec::new();
        for bi in 0..cx.body.blocks.len() {
            cx.live_through(&self.drop_live, bi, &self.live_in, &mut uses, visit);
        }
    }
}

impl Cx<'_> {
    /// The live locals at a block's entry, to a fixpoint by a worklist over blocks (each
    /// block's statements are walked by `live_through`); the points' sets are made once, at
    /// the end, straight into the locals' regions (`Liveness::for_each_live`).
    pub(super) fn liveness(&self) -> Liveness {
        let body = self.body;
        let n_locals = body.locals.len();
        let drop_live = self.drop_live();
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); body.blocks.len()];
        for (bi, b) in body.blocks.iter().enumerate() {
            for s in successors(&b.term) {
                preds[s].push(bi);
            }
        }
        let mut live_in: Vec<Bits> = vec![Bits::new(n_locals); body.blocks.len()];
        let mut uses = Vec::new();
        // Blocks mostly flow to later ones: the last are taken first.
        let mut queued = vec![true; body.blocks.len()];
        let mut worklist: Vec<usize> = (0..body.blocks.len()).collect();
        while let Some(bi) = worklist.pop() {
            queued[bi] = false;
            let live = self.live_through(&drop_live, bi, &live_in, &mut uses, &mut |_, _| {});
            if live != live_in[bi] {
                live_in[bi] = live;
                for &p in &preds[bi] {
                    if !queued[p] {
                        queued[p] = true;
                        worklist.push(p);
                    }
                }
            }
        }
        Liveness { drop_live, live_in }
    }

    /// For each point, whether it is the storage end of a local whose drop uses it there
    /// (rustc's drop-liveness, `liveness::trace`): a local that may be initialized there, whose
    /// drop needs every region its value holds (`Ty::drop_needs_all_regions`). A drop that needs
    /// some of them and not others cannot be told by one region per local: it is left out, as is
    /// any type we do not know (the local's regions then end at its last use: fewer errors,
    /// never a false one).
    fn drop_live(&self) -> Vec<bool> {
        let body = self.body;
        let mut at = vec![false; self.n_points];
        let needs: Vec<bool> = (0..body.locals.len())
            .map(|l| self.drop_needs_regions(Local(l as u32)))
            .collect();
        if !needs.contains(&true) {
            return at;
        }
        let init_in = self.maybe_init_in(&needs);
        for (bi, b) in body.blocks.iter().enumerate() {
            let mut init = init_in[bi].clone();
            for (si, s) in b.stmts.iter().enumerate() {
                if let StatementKind::StorageDead(l) = &s.kind {
                    at[self.block_start[bi] + si] = init.contains(l.0 as usize);
                }
                init_effect(s, &needs, &mut init);
            }
        }
        at
    }

    /// Whether the local's drop needs every region it holds, and it may hold some, by its type
    /// (a binding declared without one has the type of the first value assigned to it: the
    /// lowering's `type_from_assignment`). A temporary that outlives its statement is left out.
    fn drop_needs_regions(&self, l: Local) -> bool {
        let decl = self.body.local(l);
        if decl.kind == LocalKind::Temp && !decl.is_statement_temp {
            return false;
        }
        decl.ty.may_hold_borrow(self.index) != Some(false)
            && decl.ty.drop_needs_all_regions(self.index) == Some(true)
    }

    /// For each block, the locals (among `tracked`) that may be initialized at its entry: set by
    /// an assignment to the local or a part of it, cleared by a move of the whole (or a use
    /// that may be one) and by its storage end, joined by union (rustc's
    /// `MaybeInitializedPlaces` of the local's move path, which a move of a part leaves set).
    fn maybe_init_in(&self, tracked: &[bool]) -> Vec<Bits> {
        let body = self.body;
        let n_locals = body.locals.len();
        let mut init_in: Vec<Bits> = vec![Bits::new(n_locals); body.blocks.len()];
        let mut worklist: Vec<usize> = vec![0];
        let mut visited = vec![false; body.blocks.len()];
        while let Some(bi) = worklist.pop() {
            let b = &body.blocks[bi];
            let mut init = init_in[bi].clone();
            for s in &b.stmts {
                init_effect(s, tracked, &mut init);
            }
            if let Terminator::Call { args, dest, .. } = &b.term {
                for a in args {
                    if let Some(p) = a.place() {
                        if p.proj.is_empty() && !matches!(a, Operand::Copy(_)) {
                            init.remove(p.local.0 as usize);
                        }
                    }
                }
                if tracked[dest.local.0 as usize] && !dest.proj.contains(&Proj::Deref) {
                    init.insert(dest.local.0 as usize);
                }
            }
            for s in successors(&b.term) {
                if init_in[s].union(&init) || !visited[s] {
                    visited[s] = true;
                    worklist.push(s);
                }
            }
        }
        init_in
    }

    /// The live locals at each point of block `bi`, last to first, given to `visit`, from those
    /// at its successors' entries (`live_in`); answers those at its entry.
    fn live_through(
        &self,
        drop_live: &[bool],
        bi: usize,
        live_in: &[Bits],
        uses: &mut Vec<Local>,
        visit: &mut dyn FnMut(usize, &Bits),
    ) -> Bits {
        let body = self.body;
        let n_locals = body.locals.len();
        let b = &body.blocks[bi];
        let mut live = Bits::new(n_locals);
        for s in successors(&b.term) {
            live.union(&live_in[s]);
        }
        // Terminator.
        let tp = self.block_start[bi] + b.stmts.len();
        if let Terminator::Call { args, dest, .. } = &b.term {
            if dest.proj.is_empty() {
                live.remove(dest.local.0 as usize);
            } else if dest.proj.contains(&Proj::Deref) {
                live.insert(dest.local.0 as usize);
            }
            for a in args {
                if let Some(p) = a.place() {
                    live.insert(p.local.0 as usize);
                }
            }
        }
        if matches!(b.term, Terminator::Return) {
            live.insert(0);
        }
        visit(tp, &live);
        for (si, s) in b.stmts.iter().enumerate().rev() {
            uses.clear();
            if let Some(d) = uses_and_def(s, uses) {
                live.remove(d.0 as usize);
            }
            for u in uses.iter() {
                live.insert(u.0 as usize);
            }
            if let StatementKind::StorageDead(l) = &s.kind {
                if drop_live[self.block_start[bi] + si] {
                    live.insert(l.0 as usize);
                }
            }
            visit(self.block_start[bi] + si, &live);
        }
        live
    }
}

/// What a statement does to the locals that may be initialized (`Cx::maybe_init_in`): a move
/// of the whole (or a use that may be one, or a `Flow` of it) and the storage end clear the
/// local; an assignment to it or to a part of it sets it.
fn init_effect(s: &Statement, tracked: &[bool], init: &mut Bits) {
    stmt_accesses(s, &mut |a| {
        if a.place.proj.is_empty() && matches!(a.kind, AccessKind::Move | AccessKind::Unknown) {
            init.remove(a.place.local.0 as usize);
        }
    });
    match &s.kind {
        StatementKind::Flow(p, _) if p.proj.is_empty() => init.remove(p.local.0 as usize),
        StatementKind::Assign(p, _)
            if tracked[p.local.0 as usize] && !p.proj.contains(&Proj::Deref) =>
        {
            init.insert(p.local.0 as usize);
        }
        StatementKind::StorageDead(l) => init.remove(l.0 as usize),
        _ => {}
    }
}
