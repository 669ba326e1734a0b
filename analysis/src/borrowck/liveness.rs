//! Liveness of locals (backward): the locals live at each point, which make the locals' regions.
//! A local whose drop is significant is live where its storage ends, unless it is moved as a
//! whole somewhere.

use super::access::{uses_and_def, AccessKind};
use super::bits::Bits;
use super::{successors, Cx};
use crate::mir::*;

/// The live locals at each block's entry, and the locals their drops keep live.
pub(super) struct Liveness {
    /// For each local, whether its drop uses it where its storage ends.
    drop_live: Vec<bool>,
    /// For each block, the locals live at its entry.
    live_in: Vec<Bits>,
}

impl Liveness {
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

    /// For each local, whether its drop uses it where its storage ends: a significant drop of a
    /// value that may hold borrows, not moved away as a whole.
    fn drop_live(&self) -> Vec<bool> {
        let body = self.body;
        let n_locals = body.locals.len();
        // Which locals are moved as a whole somewhere (for drop liveness).
        let mut moved_whole = vec![false; n_locals];
        self.for_each_access(&mut |a, _| {
            if a.kind == AccessKind::Move && a.place.proj.is_empty() {
                moved_whole[a.place.local.0 as usize] = true;
            }
        });
        (0..n_locals)
            .map(|l| {
                !moved_whole[l]
                    && (body.locals[l].kind != LocalKind::Temp || body.locals[l].is_statement_temp)
                    && body.locals[l].ty.has_significant_drop(self.index) == Some(true)
                    && body.locals[l].ty.holds_borrow() != Some(false)
            })
            .collect()
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
                if drop_live[l.0 as usize] {
                    live.insert(l.0 as usize);
                }
            }
            visit(self.block_start[bi] + si, &live);
        }
        live
    }
}
