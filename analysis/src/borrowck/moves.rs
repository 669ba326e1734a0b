//! Move paths and initialization (forward): the places moved out of user locals, and at each
//! point which may be moved out, which locals may be uninitialized and which may be initialized.
//! Then the errors they give: E0382 (use of a moved value), E0381 (use of an uninitialized
//! binding), E0384 (assigning twice to an immutable binding).

use super::access::{Access, AccessKind};
use super::bits::Bits;
use super::{successors, BorrowError, Cx};
use crate::ast::Span;
use crate::errors::{ErrorKind, Uninit, UseKind};
use crate::mir::*;
use crate::ty::Ty;

/// The moves out of user places, and the moves and initialization at each block's entry.
pub(super) struct MoveData {
    /// Each move: the moved place, its point and its span.
    pub(super) moves: Vec<(Place, usize, Span)>,
    /// For each point, the moves it makes.
    move_of_point: Vec<Vec<usize>>,
    /// Assignments into a part of a moved place (`t.0 = x` after `drop(t)`): that part is
    /// initialized again, the rest still moved. The assigned place and its point.
    pub(super) reinits: Vec<(Place, usize)>,
    /// For each block, the state at its entry (`None`: the flow never reaches it).
    pub(super) init_in: Vec<Option<Init>>,
}

impl Cx<'_> {
    /// The moves out of places of locals other than temporaries, and the state at each block's
    /// entry, to a fixpoint by a worklist from the entry block, where the arguments and statics
    /// are initialized and every other local is not.
    pub(super) fn move_data(&self) -> MoveData {
        let body = self.body;
        let n_locals = body.locals.len();
        let mut moves: Vec<(Place, usize, Span)> = Vec::new();
        self.for_each_access(&mut |a, p| {
            if a.kind == AccessKind::Move && body.local(a.place.local).kind != LocalKind::Temp {
                moves.push((a.place.clone(), p, a.span));
            }
        });
        let n_moves = moves.len();
        let mut move_of_point: Vec<Vec<usize>> = vec![Vec::new(); self.n_points];
        for (mi, m) in moves.iter().enumerate() {
            move_of_point[m.1].push(mi);
        }
        let mut reinits: Vec<(Place, usize)> = Vec::new();
        if n_moves > 0 {
            for (bi, b) in body.blocks.iter().enumerate() {
                for (si, st) in b.stmts.iter().enumerate() {
                    if let StatementKind::Assign(place, _) = &st.kind {
                        // Not through a deref: writing behind a moved reference
                        // initializes nothing (and is an error of its own).
                        let inside = moves.iter().any(|m| {
                            m.0.is_prefix_of(place)
                                && m.0.proj.len() < place.proj.len()
                                && !place.proj[m.0.proj.len()..].contains(&Proj::Deref)
                        });
                        if inside {
                            reinits.push((place.clone(), self.block_start[bi] + si));
                        }
                    }
                }
            }
        }
        let mut entry = Init {
            reinit: Bits::new(reinits.len()),
            moved: Bits::new(n_moves),
            uninit: Bits::new(n_locals),
            init: Bits::new(n_locals),
        };
        for l in 0..n_locals {
            if (l >= 1 && l <= body.n_args as usize) || body.locals[l].kind == LocalKind::Static {
                entry.init.insert(l);
            } else {
                entry.uninit.insert(l);
            }
        }
        let mut data = MoveData {
            moves,
            move_of_point,
            reinits,
            init_in: Vec::new(),
        };
        let mut init_in: Vec<Option<Init>> = vec![None; body.blocks.len()];
        init_in[0] = Some(entry);
        let mut worklist: Vec<usize> = vec![0];
        while let Some(bi) = worklist.pop() {
            let mut st = init_in[bi].clone().unwrap();
            data.init_transfer(self, bi, &mut st);
            for s in successors(&body.blocks[bi].term) {
                let changed = match &mut init_in[s] {
                    None => {
                        init_in[s] = Some(st.clone());
                        true
                    }
                    Some(old) => {
                        let a = old.moved.union(&st.moved);
                        let b = old.uninit.union(&st.uninit);
                        let c = old.init.union(&st.init);
                        // A part counts as initialized again if it is on some path: the
                        // error it could hide is one rustc may give, never one it would not.
                        let d = old.reinit.union(&st.reinit);
                        a || b || c || d
                    }
                };
                if changed {
                    worklist.push(s);
                }
            }
        }
        data.init_in = init_in;
        data
    }
}

impl MoveData {
    /// What the statement (or terminator) `si` of block `bi`, at point `p`, does to moves and
    /// initialization.
    pub(super) fn init_effect(&self, cx: &Cx, bi: usize, si: usize, p: usize, st: &mut Init) {
        let (body, moves, move_of_point) = (cx.body, &self.moves, &self.move_of_point);
        // An assignment re-initializes what was moved out of the place, and the whole local
        // when it is the place.
        let assigned = |place: &Place, st: &mut Init| {
            for (mi, m) in moves.iter().enumerate() {
                if place.is_prefix_of(&m.0) {
                    st.moved.remove(mi);
                }
            }
            for (ri, r) in self.reinits.iter().enumerate() {
                if r.1 == p {
                    st.reinit.insert(ri);
                } else if place.is_prefix_of(&r.0) {
                    st.reinit.remove(ri);
                }
            }
            if place.proj.is_empty() {
                st.uninit.remove(place.local.0 as usize);
                st.init.insert(place.local.0 as usize);
            }
        };
        let forget_moves_of = |l: Local, st: &mut Init| {
            for (mi, m) in moves.iter().enumerate() {
                if m.0.local == l {
                    st.moved.remove(mi);
                }
            }
            for (ri, r) in self.reinits.iter().enumerate() {
                if r.0.local == l {
                    st.reinit.remove(ri);
                }
            }
        };
        let b = &body.blocks[bi];
        for &mi in &move_of_point[p] {
            st.moved.insert(mi);
            // Moved again: what was initialized again in it is gone with it.
            let m = &moves[mi].0;
            for (ri, r) in self.reinits.iter().enumerate() {
                if m.is_prefix_of(&r.0) || r.0.is_prefix_of(m) {
                    st.reinit.remove(ri);
                }
            }
        }
        match b.stmts.get(si).map(|s| &s.kind) {
            Some(StatementKind::Assign(place, _)) => assigned(place, st),
            Some(StatementKind::MaybeInit(l)) => {
                // Not "maybe initialized" for E0384: the macro may not have written it.
                st.uninit.remove(l.0 as usize);
                forget_moves_of(*l, st);
            }
            Some(StatementKind::StorageDead(l)) => {
                st.uninit.insert(l.0 as usize);
                st.init.remove(l.0 as usize);
                forget_moves_of(*l, st);
            }
            Some(_) => {}
            None => {
                if let Terminator::Call { dest, .. } = &b.term {
                    assigned(dest, st);
                }
            }
        }
    }

    /// Walks block `bi` from `st`, its entry's state, to its exit's.
    fn init_transfer(&self, cx: &Cx, bi: usize, st: &mut Init) {
        for si in 0..=cx.body.blocks[bi].stmts.len() {
            self.init_effect(cx, bi, si, cx.block_start[bi] + si, st);
        }
    }
}

/// The E0382 kept for one set of moves: the place whose use it reports, and where it is among
/// the errors.
pub(super) struct ReportedMove {
    moves: Vec<usize>,
    used: Place,
    /// The place the use would be if it were a reborrow (`*r` for a `&mut` passed on where the
    /// analysis cannot tell a move from a reborrow).
    used_alt: Option<Place>,
    pub(super) error: usize,
    /// Which use rustc keeps depends on what the analysis cannot tell: nothing is said.
    pub(super) ambiguous: bool,
}

impl Cx<'_> {
    /// E0382 (use of a moved value) and E0381 (use of an uninitialized binding).
    ///
    /// One E0382 per set of moves, as rustc's `move_error_reported`: a later use (in the
    /// visiting order) replaces the error kept, unless its place is a prefix of the place that
    /// error reports (`drop(x); f(&x.a); g(&x.b);` reports `x.b`; `drop(x); x.len(); x.len()`
    /// the first).
    pub(super) fn check_init(
        &self,
        a: &Access,
        init: &Init,
        move_data: &MoveData,
        reported_moves: &mut Vec<ReportedMove>,
        reported_uninit: &mut Vec<Local>,
        errors: &mut Vec<BorrowError>,
    ) {
        let (moves, reinits) = (&move_data.moves, &move_data.reinits);
        let decl = self.body.local(a.place.local);
        if decl.kind == LocalKind::Temp
            || decl.kind == LocalKind::Return
            || self.body.opaque_control
            || a.kind == AccessKind::Mention
        {
            return;
        }
        let name = decl.name.as_deref().unwrap_or("_");
        if init.uninit.contains(a.place.local.0 as usize) && a.kind != AccessKind::MatchedPlace {
            if reported_uninit.contains(&a.place.local) {
                return;
            }
            reported_uninit.push(a.place.local);
            let how = if a.kind == AccessKind::Assign {
                Uninit::PartialAssign
            } else if init.init.contains(a.place.local.0 as usize) {
                Uninit::Possibly
            } else {
                Uninit::Never
            };
            errors.push(BorrowError {
                span: a.span,
                kind: ErrorKind::Uninitialized {
                    name: name.into(),
                    how,
                    decl: decl.span,
                },
            });
            return;
        }
        let mut hit: Vec<usize> = Vec::new();
        for mi in init.moved.iter() {
            let m = &moves[mi].0;
            if m.local != a.place.local {
                continue;
            }
            // An assignment to exactly the moved place (or a prefix) re-initializes it.
            if a.kind == AccessKind::Assign && a.place.is_prefix_of(m) {
                continue;
            }
            // Subslices without a range may be disjoint: assume they are.
            let common = m.proj.len().min(a.place.proj.len());
            if (0..common).any(|i| m.proj[i] == Proj::Subslice && a.place.proj[i] == Proj::Subslice)
            {
                continue;
            }
            let (covered, contains) = elements_overlap(m, a.place);
            // A built-in index needs the whole array it indexes, initialized: rustc reports
            // `a[i]` (read, borrowed or assigned) after `let [_, x] = a;` as a use of `a`.
            let indexed = index_base(a.place).is_some_and(|k| {
                m.proj.len() > k
                    && m.proj[..k] == a.place.proj[..k]
                    && !m.proj[..k].contains(&Proj::Deref)
            });
            let overlap = covered || indexed || (contains && a.kind != AccessKind::MatchedPlace);
            // Within a part assigned again since: initialized.
            let reinitialized = init.reinit.iter().any(|ri| {
                let r = &reinits[ri].0;
                m.is_prefix_of(r) && r.is_prefix_of(a.place)
            });
            if overlap && !reinitialized {
                // Moves through a deref of a reference are E0507 errors, not moves.
                hit.push(mi);
            }
        }
        if hit.is_empty() {
            return;
        }
        hit.sort_unstable();
        // The place rustc's rule compares: for an assignment behind a deref, the place before
        // the outermost deref (`check_if_assigned_path_is_moved`); for one to a part, the place it is part
        // of (`check_parent_of_field`); else the place used.
        let rule_place = match (a.kind, a.place.proj.iter().rposition(|p| *p == Proj::Deref)) {
            (AccessKind::Assign, Some(k)) => Place {
                local: a.place.local,
                proj: a.place.proj[..k].to_vec(),
            },
            (AccessKind::Assign, None) if !a.place.proj.is_empty() => Place {
                local: a.place.local,
                proj: a.place.proj[..a.place.proj.len() - 1].to_vec(),
            },
            _ => a.place.clone(),
        };
        // An uncertain use of a reference (passed on, returned) is a move of it or a reborrow
        // of what it points to: rustc's rule may decide differently for each.
        let is_ref = |l: Local| matches!(self.body.local(l).ty, Ty::Ref(..) | Ty::Unknown);
        let rule_alt = (a.uncertain
            && a.kind != AccessKind::Assign
            && a.place.proj.is_empty()
            && is_ref(a.place.local))
        .then(|| a.place.clone().project(Proj::Deref));
        let replaces = match reported_moves.iter().position(|r| r.moves == hit) {
            Some(r) => {
                let kept = &reported_moves[r];
                let mines = std::iter::once(&rule_place).chain(rule_alt.as_ref());
                let mut verdicts = mines.flat_map(|mine| {
                    std::iter::once(&kept.used)
                        .chain(kept.used_alt.as_ref())
                        .map(move |theirs| mine.is_prefix_of(theirs))
                });
                let first = verdicts.next().unwrap_or(true);
                if verdicts.any(|v| v != first) {
                    reported_moves[r].ambiguous = true;
                }
                if first {
                    return;
                }
                Some(r)
            }
            None => None,
        };
        let m = &moves[hit[0]];
        // Through a built-in index into what was moved from, the use is of the indexed array as
        // a whole (`a[2]` after `let [x, ..] = a;`: "use of partially moved value: `a`").
        let via_index = index_base(a.place).filter(|_| {
            hit.iter().all(|&mi| {
                let m = &moves[mi].0;
                !m.is_prefix_of(a.place) && inside_indexed(m, a.place).is_some()
            })
        });
        // Through a deref of the moved reference itself (`w.n = 1` after `drop(w)`), the use is
        // of the reference: rustc names `w`, and an assignment behind it is a use of it.
        let behind = a.place.proj.iter().position(|p| *p == Proj::Deref);
        let used = match behind {
            _ if via_index.is_some() => Place {
                local: a.place.local,
                proj: a.place.proj[..via_index.unwrap_or(0)].to_vec(),
            },
            Some(k) if m.0.proj.len() <= k && m.0.proj[..] == a.place.proj[..m.0.proj.len()] => {
                Place {
                    local: a.place.local,
                    proj: a.place.proj[..k].to_vec(),
                }
            }
            _ => a.place.clone(),
        };
        let through_ref = used.proj.len() < a.place.proj.len();
        let action = match a.kind {
            _ if via_index.is_some() => UseKind::Use,
            AccessKind::Assign if through_ref => UseKind::Use,
            AccessKind::Assign => UseKind::AssignToPart,
            AccessKind::SharedBorrow
            | AccessKind::MutBorrow
            | AccessKind::UniqueBorrow
            | AccessKind::Reserve => UseKind::Borrow,
            _ => UseKind::Use,
        };
        let error = BorrowError {
            span: a.span,
            kind: ErrorKind::UseAfterMove {
                action,
                // rustc names the moved path when the use is of a part of it (`s` for `s.b`
                // after `s` moved).
                // A variant's field has no name in rustc's words (`(opt as Some).0`): the
                // message names nothing.
                place: match if m.0.is_prefix_of(&used) { &m.0 } else { &used } {
                    p if p.proj.iter().any(|q| matches!(q, Proj::Downcast(_))) => String::new(),
                    p => self.describe(p),
                },
                moved: self.describe(&m.0),
                partial: m.0.proj.len() > used.proj.len(),
                moves: hit.iter().map(|&mi| moves[mi].2).collect(),
                in_closure: None,
            },
        };
        match replaces {
            Some(r) => {
                let kept = &mut reported_moves[r];
                errors[kept.error] = error;
                kept.used = rule_place;
                kept.used_alt = rule_alt;
            }
            None => {
                reported_moves.push(ReportedMove {
                    moves: hit,
                    used: rule_place,
                    used_alt: rule_alt,
                    ambiguous: false,
                    error: errors.len(),
                });
                errors.push(error);
            }
        }
    }

    /// E0384: assigning twice to an immutable binding.
    pub(super) fn check_reassign(
        &self,
        local: Local,
        span: Span,
        init: &Init,
        errors: &mut Vec<BorrowError>,
    ) {
        let decl = self.body.local(local);
        if decl.mutable || !matches!(decl.kind, LocalKind::User | LocalKind::Arg) {
            // Upvars: E0594, reported by the lowering.
            return;
        }
        if !init.init.contains(local.0 as usize) {
            return;
        }
        errors.push(BorrowError {
            span,
            kind: ErrorKind::Reassigned {
                name: decl.name.clone().unwrap_or_else(|| "_".into()),
                argument: decl.kind == LocalKind::Arg,
                decl: decl.span,
            },
        });
    }
}

/// Moved-out paths, maybe-uninitialized locals and maybe-initialized locals at a point.
#[derive(Clone, PartialEq)]
pub(super) struct Init {
    /// The moves that may have happened, by index in `MoveData::moves`.
    moved: Bits,
    /// The parts of moved places assigned again, by index in `MoveData::reinits`.
    reinit: Bits,
    uninit: Bits,
    init: Bits,
}

/// Where a place first indexes an array it holds (not behind a reference): the length of the
/// prefix that is indexed.
fn index_base(p: &Place) -> Option<usize> {
    let k = p.proj.iter().position(|x| *x == Proj::Index)?;
    (!p.proj[..k].contains(&Proj::Deref)).then_some(k)
}

/// Whether the moved place `m` lies inside the array that `a` indexes (`index_base`): the
/// length of that array's place.
fn inside_indexed(m: &Place, a: &Place) -> Option<usize> {
    index_base(a).filter(|&k| m.proj.len() > k && m.proj[..k] == a.proj[..k])
}

/// For a move and an access of the same local: whether the move certainly covers what the access
/// reaches (the moved place is a prefix of it), and whether the access certainly takes in what
/// the move took (the access is a prefix of the moved place). Array elements compare by range
/// when known (`[x @ .., _]` on an array of known length, `[_, y]`), constant indices whatever
/// the patterns' minimum lengths; a range against elements it cannot place answers no.
fn elements_overlap(m: &Place, a: &Place) -> (bool, bool) {
    if m.local != a.local {
        return (false, false);
    }
    let elements = |p: &Proj| match p {
        Proj::Range {
            from,
            to,
            from_end: false,
        } => Some((*from, *to)),
        Proj::ConstIndex {
            offset,
            from_end: false,
            ..
        } => Some((*offset, offset + 1)),
        _ => None,
    };
    // The same element whatever the patterns' lengths: `[_, _, x]` and `[.., y]` on a `[T; 3]`.
    let same = |x: &Proj, y: &Proj| match (x, y) {
        (
            Proj::ConstIndex {
                offset: a,
                from_end: e1,
                ..
            },
            Proj::ConstIndex {
                offset: b,
                from_end: e2,
                ..
            },
        ) => a == b && e1 == e2,
        _ => x == y,
    };
    for (i, (x, y)) in m.proj.iter().zip(&a.proj).enumerate() {
        if same(x, y) {
            continue;
        }
        if !matches!(x, Proj::Range { .. }) && !matches!(y, Proj::Range { .. }) {
            // Two paths that part here.
            return (false, false);
        }
        let (Some((f1, t1)), Some((f2, t2))) = (elements(x), elements(y)) else {
            // A range against a projection without known elements: cannot tell, stay silent.
            return (false, false);
        };
        if t1 <= f2 || t2 <= f1 {
            return (false, false);
        }
        // They share an element. What follows a range is relative to it, so only a range that
        // ends its place (a whole subslice moved or used) tells for sure.
        let covered = matches!(x, Proj::Range { .. }) && i + 1 == m.proj.len();
        let contains = matches!(y, Proj::Range { .. }) && i + 1 == a.proj.len();
        return (covered, contains);
    }
    // One is a prefix of the other.
    (m.proj.len() <= a.proj.len(), a.proj.len() <= m.proj.len())
}
