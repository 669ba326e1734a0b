//! NLL borrow checking of a lowered body, as rustc does it (not polonius).
//!
//! Liveness of locals gives each local's region; outlives constraints from assignments, calls and
//! reborrows grow the loans' regions; a forward dataflow of loans in scope finds conflicting
//! accesses; move and initialization dataflows find uses of moved or uninitialized values.
//! Nothing here guesses: statements marked `uncertain` never produce a conflict error.

// Dataflow walks index parallel per-point and per-block tables by position: clearer than zips.
#![allow(clippy::needless_range_loop)]

use crate::ast::{Mutability, Name, Span};
pub use crate::errors::BorrowError;
use crate::errors::{ConflictKind, ErrorKind, Owner, Uninit, UseKind};
use crate::index::Index;
use crate::lower::describe_place;
use crate::mir::place_ty::place_tys;
use crate::mir::*;
use crate::ty::Ty;

/// A borrow created by a `Ref` statement.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Loan {
    pub place: Place,
    pub kind: BorrowKind,
    pub point: usize,
    pub span: Span,
    /// The local the reference is stored in.
    pub holder: Local,
    pub uncertain: bool,
    /// For two-phase borrows: the point where the reference is first used.
    pub activation: Option<usize>,
}

/// Everything the borrow checker found: errors plus the facts the IDE features explain.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct BorrowckResult {
    pub errors: Vec<BorrowError>,
    pub loans: Vec<Loan>,
    /// For each loan, the spans of the statements where it is live.
    pub live_spans: Vec<Vec<Span>>,
    /// For each loan, what the IDE features explain about it.
    pub facts: Vec<LoanFact>,
}

/// What the IDE says about one loan.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LoanFact {
    pub mutable: bool,
    /// The borrowed place as rustc names it (`x`, `*r1`).
    pub place: String,
    /// The borrow expression.
    pub span: Span,
    /// The user's binding that holds the reference (`r1` in `let r1 = &mut x;`), when there is
    /// one.
    pub holder: Option<Name>,
    /// The loan this one reborrows from (`&mut *r1` reborrows the loan held by `r1`).
    pub parent: Option<usize>,
    /// The last statement where the loan is live: the use that keeps it alive.
    pub last_use: Option<Span>,
    /// The loan takes part in a borrow-check error.
    pub conflicting: bool,
    /// That error (`diagnostics::message` words it).
    pub error: Option<BorrowError>,
    /// The guess of a lowering that did not know enough: say nothing about it.
    pub uncertain: bool,
}

/// A dense bit set. Sets of up to 256 elements (the live locals or loans of most functions) are
/// kept inline: the dataflow clones one per program point, and a heap allocation for each was
/// most of the checker's time on long functions.
#[derive(Clone)]
struct Bits(Words);

#[derive(Clone)]
enum Words {
    /// The first `len` words are the set's.
    Inline(u8, [u64; INLINE_WORDS]),
    Heap(Vec<u64>),
}

const INLINE_WORDS: usize = 4;

impl PartialEq for Bits {
    fn eq(&self, other: &Bits) -> bool {
        self.words() == other.words()
    }
}
impl Eq for Bits {}

impl std::fmt::Debug for Bits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Bits").field(&self.words()).finish()
    }
}

impl Bits {
    fn new(n: usize) -> Bits {
        let len = n.div_ceil(64);
        if len <= INLINE_WORDS {
            Bits(Words::Inline(len as u8, [0; INLINE_WORDS]))
        } else {
            Bits(Words::Heap(vec![0; len]))
        }
    }
    fn words(&self) -> &[u64] {
        match &self.0 {
            Words::Inline(len, w) => &w[..*len as usize],
            Words::Heap(w) => w,
        }
    }
    fn words_mut(&mut self) -> &mut [u64] {
        match &mut self.0 {
            Words::Inline(len, w) => &mut w[..*len as usize],
            Words::Heap(w) => w,
        }
    }
    fn full(n: usize) -> Bits {
        let mut b = Bits::new(n);
        for i in 0..n {
            b.insert(i);
        }
        b
    }
    fn insert(&mut self, i: usize) -> bool {
        let (w, m) = (i / 64, 1u64 << (i % 64));
        let word = &mut self.words_mut()[w];
        let old = *word;
        *word |= m;
        old != *word
    }
    fn remove(&mut self, i: usize) {
        self.words_mut()[i / 64] &= !(1u64 << (i % 64));
    }
    fn contains(&self, i: usize) -> bool {
        self.words()[i / 64] & (1u64 << (i % 64)) != 0
    }
    fn union(&mut self, o: &Bits) -> bool {
        let mut changed = false;
        for (a, b) in self.words_mut().iter_mut().zip(o.words()) {
            let n = *a | *b;
            changed |= n != *a;
            *a = n;
        }
        changed
    }
    fn intersect(&mut self, o: &Bits) {
        for (a, b) in self.words_mut().iter_mut().zip(o.words()) {
            *a &= *b;
        }
    }
    /// The elements in increasing order.
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words().iter().enumerate().flat_map(|(w, &bits)| {
            let mut rest = bits;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let i = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(w * 64 + i)
            })
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Depth {
    Shallow,
    Deep,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum AccessKind {
    /// `&place`
    SharedBorrow,
    /// `&mut place` (or the activation of a two-phase borrow)
    MutBorrow,
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
}

struct Access<'p> {
    place: &'p Place,
    kind: AccessKind,
    span: Span,
    uncertain: bool,
}

/// The most (point, region) pairs a body may have and be checked. The dataflow here is dense: its
/// tables and its time grow with points × regions, quadratic in a function's length (a function
/// of 20,000 borrowing statements would need gigabytes and minutes). The largest body in the 1.6
/// million lines of the registry's crates has 3.3 million pairs and takes a few milliseconds;
/// 2^24 pairs take about 0.1 s in a release build. A larger body reports no borrow-check errors:
/// precision first, nothing said rather than something unsure.
pub const MAX_CELLS: usize = 1 << 24;

pub fn borrowck(body: &Body, index: &Index) -> BorrowckResult {
    let n_points: usize = body.blocks.iter().map(|b| b.stmts.len() + 1).sum();
    let n_loans = body
        .blocks
        .iter()
        .flat_map(|b| &b.stmts)
        .filter(|s| matches!(s.kind, StatementKind::Assign(_, Rvalue::Ref(..))))
        .count();
    if n_points.saturating_mul(body.locals.len() + n_loans) > MAX_CELLS {
        return BorrowckResult::default();
    }
    let cx = Cx::new(body, index);
    cx.run()
}

struct Cx<'a> {
    body: &'a Body,
    index: &'a Index,
    /// First point of each block; a block has `stmts.len() + 1` points (the last one is the
    /// terminator).
    block_start: Vec<usize>,
    n_points: usize,
    reachable: Vec<bool>,
    loans: Vec<Loan>,
    /// For each loan, whether its place is behind a shared reference (`behind_shared_ref`),
    /// asked for every access the loan is in scope at.
    loan_behind_shared_ref: Vec<bool>,
}

/// The blocks a terminator goes to, in order (without allocating: the dataflow asks on every
/// pass over every block).
/// Whether the value at `p` holds borrows (`Ty::holds_borrow` of its type), without building
/// the types of its prefixes for a whole local.
fn holds_borrow(body: &Body, index: &Index, p: &Place) -> Option<bool> {
    if p.proj.is_empty() {
        return body.local(p.local).ty.holds_borrow();
    }
    crate::mir::place_ty::place_ty(body, index, p).holds_borrow()
}

fn successors(t: &Terminator) -> impl Iterator<Item = usize> + '_ {
    let (first, rest): (Option<BlockId>, &[BlockId]) = match t {
        Terminator::Goto(b) => (Some(*b), &[]),
        Terminator::Switch(bs) => (None, bs),
        Terminator::Call { target, .. } => (*target, &[]),
        Terminator::Return | Terminator::Unreachable => (None, &[]),
    };
    first
        .into_iter()
        .chain(rest.iter().copied())
        .map(|b| b.0 as usize)
}

/// Calls `f` for every place the statement reads (not the assigned place).
fn stmt_accesses<'b>(s: &'b Statement, f: &mut dyn FnMut(Access<'b>)) {
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
            Rvalue::Ref(BorrowKind::Mut { two_phase: true }, p) => f(Access {
                place: p,
                kind: AccessKind::Reserve,
                span: s.span,
                uncertain: s.uncertain,
            }),
            Rvalue::Aggregate(ops) | Rvalue::Opaque(ops) => {
                for o in ops {
                    op(o, s.span, s.uncertain, f);
                }
            }
        },
        StatementKind::FakeRead(p) => f(Access {
            place: p,
            kind: AccessKind::MatchedPlace,
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
fn uses_and_def(s: &Statement, uses: &mut Vec<Local>) -> Option<Local> {
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

impl<'a> Cx<'a> {
    fn new(body: &'a Body, index: &'a Index) -> Cx<'a> {
        let mut block_start = Vec::with_capacity(body.blocks.len());
        let mut n = 0;
        for b in &body.blocks {
            block_start.push(n);
            n += b.stmts.len() + 1;
        }
        let mut reachable = vec![false; body.blocks.len()];
        let mut stack = vec![0usize];
        while let Some(b) = stack.pop() {
            if b >= reachable.len() || reachable[b] {
                continue;
            }
            reachable[b] = true;
            stack.extend(successors(&body.blocks[b].term));
        }
        let mut cx = Cx {
            body,
            index,
            block_start,
            n_points: n,
            reachable,
            loans: Vec::new(),
            loan_behind_shared_ref: Vec::new(),
        };
        cx.collect_loans();
        cx.loan_behind_shared_ref = cx
            .loans
            .iter()
            .map(|it| cx.behind_shared_ref(&it.place))
            .collect();
        cx
    }

    fn collect_loans(&mut self) {
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

    fn point_span(&self, p: usize) -> Span {
        let b = self.block_of(p);
        let i = p - self.block_start[b];
        let blk = &self.body.blocks[b];
        if i < blk.stmts.len() {
            blk.stmts[i].span
        } else {
            blk.term_span
        }
    }

    fn block_of(&self, p: usize) -> usize {
        match self.block_start.binary_search(&p) {
            Ok(b) => {
                // Empty blocks share a start with the next one; take the last with this start.
                let mut b = b;
                while b + 1 < self.block_start.len() && self.block_start[b + 1] == p {
                    b += 1;
                }
                b
            }
            Err(b) => b - 1,
        }
    }

    fn run(self) -> BorrowckResult {
        let body = self.body;
        let n_locals = body.locals.len();
        let n_loans = self.loans.len();

        // Which locals are moved as a whole somewhere (for drop liveness).
        let mut moved_whole = vec![false; n_locals];
        self.for_each_access(&mut |a, _| {
            if a.kind == AccessKind::Move && a.place.proj.is_empty() {
                moved_whole[a.place.local.0 as usize] = true;
            }
        });
        let drop_live: Vec<bool> = (0..n_locals)
            .map(|l| {
                !moved_whole[l]
                    && (body.locals[l].kind != LocalKind::Temp || body.locals[l].is_statement_temp)
                    && self.index.has_significant_drop(&body.locals[l].ty) == Some(true)
                    && body.locals[l].ty.holds_borrow() != Some(false)
            })
            .collect();

        // ---- liveness (backward) ----
        // The live locals at a block's entry, to a fixpoint by a worklist over blocks (each
        // block's statements are walked by `live_through`); the points' sets are made once, at
        // the end, straight into the locals' regions.
        let live_through = |bi: usize,
                            live_in: &[Bits],
                            uses: &mut Vec<Local>,
                            visit: &mut dyn FnMut(usize, &Bits)|
         -> Bits {
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
        };
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
            let live = live_through(bi, &live_in, &mut uses, &mut |_, _| {});
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

        // ---- regions ----
        // Region variables: one per local, then one per loan. A region is a set of points, plus
        // one extra point for "after the function" (free regions).
        let n_regions = n_locals + n_loans;
        let end = self.n_points;
        let mut values: Vec<Bits> = vec![Bits::new(self.n_points + 1); n_regions];
        for bi in 0..body.blocks.len() {
            live_through(bi, &live_in, &mut uses, &mut |p, live| {
                for l in live.iter() {
                    values[l].insert(p);
                }
            });
        }
        // Free regions: the return place of a function returning a borrow, and reference
        // arguments.
        let free = Bits::full(self.n_points + 1);
        if body.ret_holds_borrow {
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
        let mut constraints: Vec<(usize, usize)> = Vec::new(); // (sup, sub): sup ⊇ sub
        let flows = |cx: &Cx, p: &Place| -> bool {
            if p.proj.is_empty() {
                return cx.body.local(p.local).ty.holds_borrow() != Some(false);
            }
            let tys = place_tys(cx.body, cx.index, p);
            // Reading a value from behind a reference gives it the inner regions, not the
            // reference's own: one region per local cannot follow that, so say nothing.
            let through_ref = p
                .proj
                .iter()
                .enumerate()
                .any(|(j, q)| *q == Proj::Deref && !matches!(tys[j], Ty::Adt { .. }));
            !through_ref && tys.last().unwrap().holds_borrow() != Some(false)
        };
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
                            // Reborrow constraints: the referents' regions outlive the loan.
                            let tys = place_tys(body, self.index, place);
                            for i in (0..place.proj.len()).rev() {
                                if place.proj[i] != Proj::Deref {
                                    continue;
                                }
                                // The region of a reference found behind another reference is an
                                // inner region, which one region per local cannot express.
                                if place.proj[..i].iter().enumerate().any(|(j, p)| {
                                    *p == Proj::Deref && !matches!(tys[j], Ty::Adt { .. })
                                }) {
                                    continue;
                                }
                                match &tys[i] {
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
                                if flows(&self, p) {
                                    constraints.push((p.local.0 as usize, d));
                                }
                            }
                        }
                        Rvalue::Aggregate(ops) => {
                            for o in ops {
                                if let Some(p) = o.place() {
                                    if flows(&self, p) {
                                        constraints.push((p.local.0 as usize, d));
                                    }
                                }
                            }
                        }
                        Rvalue::Opaque(_) => {}
                    }
                }
            }
            for s in &b.stmts {
                if let StatementKind::Flow(p, into) = &s.kind {
                    if flows(&self, p) {
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
        let carriers = |li: usize| -> Vec<bool> {
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
        };

        // ---- loans in scope (forward) ----
        let mut live_loans_at: Vec<Bits> = vec![Bits::new(n_loans); self.n_points];
        for li in 0..n_loans {
            for p in values[n_locals + li].iter() {
                if p < self.n_points {
                    live_loans_at[p].insert(li);
                }
            }
        }
        // The loans of each local, as one list sorted by local.
        let mut by_local: Vec<(Local, usize)> = self
            .loans
            .iter()
            .enumerate()
            .map(|(i, ln)| (ln.place.local, i))
            .collect();
        by_local.sort_unstable();
        let loans_by_local = |l: Local| {
            let from = by_local.partition_point(|it| it.0 < l);
            by_local[from..]
                .iter()
                .take_while(move |it| it.0 == l)
                .map(|it| it.1)
        };
        let kill_on_assign = |state: &mut Bits, place: &Place| {
            for li in loans_by_local(place.local) {
                let lp = &self.loans[li].place;
                if place.proj.is_empty()
                    || (place.is_prefix_of(lp)
                        && lp.proj[place.proj.len()..].contains(&Proj::Deref))
                {
                    state.remove(li);
                }
            }
        };
        let mut loans_in: Vec<Option<Bits>> = vec![None; body.blocks.len()];
        loans_in[0] = Some(Bits::new(n_loans));
        let mut loan_of_point: Vec<Option<usize>> = vec![None; self.n_points];
        for (li, l) in self.loans.iter().enumerate() {
            loan_of_point[l.point] = Some(li);
        }
        // The loans in scope at a point are those of the point before that are still live here;
        // `loan_effect` applies what the statement (or terminator) `si` of block `bi` does.
        let loan_effect = |bi: usize, si: usize, p: usize, state: &mut Bits| {
            let b = &body.blocks[bi];
            match b.stmts.get(si).map(|s| &s.kind) {
                Some(StatementKind::Assign(place, _)) => {
                    kill_on_assign(state, place);
                    if let Some(li) = loan_of_point[p] {
                        state.insert(li);
                    }
                }
                Some(StatementKind::StorageDead(l)) => {
                    for li in loans_by_local(*l) {
                        state.remove(li);
                    }
                }
                Some(_) => {}
                None => {
                    if let Terminator::Call { dest, .. } = &b.term {
                        kill_on_assign(state, dest);
                    }
                }
            }
        };
        let transfer = |bi: usize, state: &mut Bits, visit: &mut dyn FnMut(usize, &Bits)| {
            for si in 0..=body.blocks[bi].stmts.len() {
                let p = self.block_start[bi] + si;
                state.intersect(&live_loans_at[p]);
                visit(p, state);
                loan_effect(bi, si, p, state);
            }
        };
        let mut worklist: Vec<usize> = vec![0];
        while let Some(bi) = worklist.pop() {
            let mut state = loans_in[bi].clone().unwrap();
            transfer(bi, &mut state, &mut |_, _| {});
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

        // ---- moves and initialization (forward) ----
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
        // State: moved-out set (bits 0..n_moves), maybe-uninit locals, maybe-init locals.
        // What the statement (or terminator) `si` of block `bi`, at point `p`, does to moves and
        // initialization.
        let init_effect = |bi: usize, si: usize, p: usize, st: &mut Init| {
            // An assignment re-initializes what was moved out of the place, and the whole local
            // when it is the place.
            let assigned = |place: &Place, st: &mut Init| {
                for (mi, m) in moves.iter().enumerate() {
                    if place.is_prefix_of(&m.0) {
                        st.moved.remove(mi);
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
            };
            let b = &body.blocks[bi];
            for &mi in &move_of_point[p] {
                st.moved.insert(mi);
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
        };
        let init_transfer = |bi: usize, st: &mut Init| {
            for si in 0..=body.blocks[bi].stmts.len() {
                init_effect(bi, si, self.block_start[bi] + si, st);
            }
        };
        let mut entry = Init {
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
        let mut init_in: Vec<Option<Init>> = vec![None; body.blocks.len()];
        init_in[0] = Some(entry);
        let mut worklist: Vec<usize> = vec![0];
        while let Some(bi) = worklist.pop() {
            let mut st = init_in[bi].clone().unwrap();
            init_transfer(bi, &mut st);
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
                        a || b || c
                    }
                };
                if changed {
                    worklist.push(s);
                }
            }
        }

        // ---- checking ----
        let mut errors: Vec<BorrowError> = Vec::new();
        let mut reported_moves: Vec<Vec<usize>> = Vec::new();
        let mut reported_uninit: Vec<Local> = Vec::new();
        let mut reservation_errors: Vec<usize> = Vec::new();
        // The accesses of one point (kept across points: allocated once).
        let mut accesses: Vec<Access> = Vec::new();
        for bi in 0..body.blocks.len() {
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
                if si < b.stmts.len() {
                    let s = &b.stmts[si];
                    stmt_accesses(s, &mut |a| accesses.push(a));
                    match &s.kind {
                        StatementKind::Assign(place, _) => {
                            assigned = Some((place, s.span, s.uncertain))
                        }
                        StatementKind::StorageDead(l) => {
                            self.check_storage_dead(
                                *l,
                                s.span,
                                in_scope,
                                &carriers,
                                &|li| values[n_locals + li].contains(end),
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
                                *p,
                                in_scope,
                                Some(li),
                                &carriers,
                                &mut errors,
                            );
                        }
                    }
                }
                for a in &accesses {
                    // Use of moved or uninitialized values.
                    self.check_init(
                        a,
                        init,
                        &moves,
                        &mut reported_moves,
                        &mut reported_uninit,
                        &mut errors,
                    );
                    if !matches!(a.kind, AccessKind::Unknown | AccessKind::MatchedPlace) {
                        let before = errors.len();
                        self.check_conflicts(a, *p, in_scope, None, &carriers, &mut errors);
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
                            &moves,
                            &mut reported_moves,
                            &mut reported_uninit,
                            &mut errors,
                        );
                    } else {
                        self.check_reassign(place.local, span, init, &mut errors);
                    }
                    self.check_conflicts(&a, *p, in_scope, None, &carriers, &mut errors);
                }
                loan_effect(bi, si, *p, &mut scope_state);
                init_effect(bi, si, *p, &mut init_state);
            }
        }

        // Loans of locals that must outlive the function (stored into an argument, a `'static`
        // place, or returned): E0597 / E0515 even where no storage end is reached.
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
            if !values[n_locals + li].contains(end)
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
            if dead_reported.contains(&loan.place.local) {
                continue;
            }
            dead_reported.push(loan.place.local);
            let carry = carriers(li);
            let name = self.describe(&loan.place);
            if body.capture_temps.contains(&loan.holder) {
                errors.push(BorrowError {
                    span: loan.span,
                    kind: ErrorKind::ClosureMayOutlive { name },
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
                    },
                });
            }
        }

        // "lifetime may not live long enough": a parameter's value reaches the return place, and
        // nothing says the parameter's lifetime outlives the return type's.
        if let Some(r) = &body.ret_lifetime {
            let mut reported: Vec<(Name, Name)> = Vec::new();
            for (arg, p) in &body.arg_lifetimes {
                if p == r || &**p == "static" || reported.contains(&(p.clone(), r.clone())) {
                    continue;
                }
                let mut seen = vec![false; n_regions];
                let mut stack = vec![arg.0 as usize];
                while let Some(x) = stack.pop() {
                    if !seen[x] {
                        seen[x] = true;
                        stack.extend(succ[x].iter().copied());
                    }
                }
                if !seen[0] {
                    continue;
                }
                let Some(span) = self.return_span_from(&seen) else {
                    continue;
                };
                reported.push((p.clone(), r.clone()));
                let name = body.local(*arg).name.clone().unwrap_or_else(|| "_".into());
                errors.push(BorrowError {
                    span,
                    kind: ErrorKind::ReturnOutlives {
                        param: p.clone(),
                        ret: r.clone(),
                        arg: name,
                    },
                });
            }
        }

        // Facts for explanations: where each loan is live.
        let mut live_spans = vec![Vec::new(); n_loans];
        for bi in 0..body.blocks.len() {
            if !self.reachable[bi] {
                continue;
            }
            let Some(lin) = loans_in[bi].clone() else {
                continue;
            };
            let mut state = lin;
            transfer(bi, &mut state, &mut |p, s| {
                for li in s.iter() {
                    live_spans[li].push(self.point_span(p));
                }
            });
        }
        // One error per span, the first found in program order (rustc's
        // `access_place_error_reported`).
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| seen.insert(e.span));
        errors.sort_by_key(|e| (e.span.start, e.code()));
        let facts = self.facts(&errors, &live_spans, &carriers);
        BorrowckResult {
            errors,
            loans: self.loans.clone(),
            live_spans,
            facts,
        }
    }

    fn facts(
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
                    mutable: matches!(loan.kind, BorrowKind::Mut { .. }),
                    place: self.describe(&loan.place),
                    span: loan.span,
                    holder,
                    parent,
                    last_use,
                    conflicting,
                    error,
                    uncertain: loan.uncertain,
                }
            })
            .collect()
    }

    fn for_each_access(&self, f: &mut dyn FnMut(Access, usize)) {
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

    fn describe(&self, p: &Place) -> String {
        describe_place(self.body, p)
    }

    /// Do a loan of `borrowed` and an access of `access` overlap, as rustc's `places_conflict`?
    fn places_conflict(&self, borrowed: &Place, access: &Place, depth: Depth) -> bool {
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
                        return matches!(base, Ty::Adt { name, .. }
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
                    match &tys[i] {
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

    fn check_conflicts(
        &self,
        a: &Access,
        point: usize,
        in_scope: &Bits,
        skip: Option<usize>,
        carriers: &dyn Fn(usize) -> Vec<bool>,
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
            if loan.point == point || self.loan_behind_shared_ref[li] {
                continue;
            }
            let reserved = matches!(loan.kind, BorrowKind::Mut { two_phase: true })
                && loan.activation.is_none_or(|act| point < act);
            // A reserved two-phase borrow lets reads through; writes see a mutable borrow.
            let loan_mut = matches!(loan.kind, BorrowKind::Mut { .. });
            let conflicts_kind = match a.kind {
                AccessKind::SharedBorrow
                | AccessKind::Copy
                | AccessKind::FakeRead
                | AccessKind::Reserve => loan_mut && !reserved,
                AccessKind::MutBorrow | AccessKind::Move | AccessKind::Assign => true,
                AccessKind::Unknown | AccessKind::MatchedPlace => false,
            };
            if !conflicts_kind || !self.places_conflict(&loan.place, a.place, depth) {
                continue;
            }
            if a.uncertain || loan.uncertain {
                return;
            }
            let kind = match a.kind {
                AccessKind::Reserve => ConflictKind::SecondMutBorrow,
                AccessKind::SharedBorrow => ConflictKind::SharedWhileMut,
                AccessKind::MutBorrow if loan_mut => ConflictKind::SecondMutBorrow,
                AccessKind::MutBorrow => ConflictKind::MutWhileShared,
                AccessKind::Copy | AccessKind::FakeRead => ConflictKind::UseWhileMutBorrowed,
                AccessKind::Move => ConflictKind::MoveWhileBorrowed,
                AccessKind::Assign => ConflictKind::AssignWhileBorrowed,
                AccessKind::Unknown | AccessKind::MatchedPlace => return,
            };
            errors.push(BorrowError {
                span: a.span,
                kind: ErrorKind::Conflict {
                    kind,
                    place: self.describe(a.place),
                    borrowed: self.describe(&loan.place),
                    loan: loan.kind,
                    borrow: loan.span,
                    later_use: self.later_use(li, point, carriers),
                },
            });
            return;
        }
    }

    /// Borrows of places behind a shared reference are not tracked by rustc: nothing can
    /// invalidate them while the reference lives.
    fn behind_shared_ref(&self, place: &Place) -> bool {
        if !place.proj.contains(&Proj::Deref) {
            return false;
        }
        let tys = place_tys(self.body, self.index, place);
        place
            .proj
            .iter()
            .enumerate()
            .any(|(i, p)| *p == Proj::Deref && matches!(tys[i], Ty::Ref(Mutability::Not, _)))
    }

    /// The first later use of a local that carries the loan.
    fn later_use(
        &self,
        li: usize,
        from: usize,
        carriers: &dyn Fn(usize) -> Vec<bool>,
    ) -> Option<Span> {
        let carry = carriers(li);
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
                if uses.iter().any(|u| carry[u.0 as usize]) {
                    let sp = if si < b.stmts.len() {
                        b.stmts[si].span
                    } else {
                        b.term_span
                    };
                    return Some(sp);
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

    /// E0597 / E0716 / E0515: a loan of `local` is still live when its storage ends.
    fn check_storage_dead(
        &self,
        local: Local,
        span: Span,
        in_scope: &Bits,
        carriers: &dyn Fn(usize) -> Vec<bool>,
        values_end: &dyn Fn(usize) -> bool,
        errors: &mut Vec<BorrowError>,
    ) {
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
            if self.maybe_deref_coerced(loan) {
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
            errors.push(BorrowError {
                span: loan.span,
                kind: ErrorKind::DoesNotLiveLongEnough {
                    name,
                    dropped: Some(span),
                },
            });
            return;
        }
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

    /// The span of an assignment to the return place from a region in `carry`.
    fn return_span_from(&self, carry: &[bool]) -> Option<Span> {
        self.return_span_where(carry, &|_| false)
    }

    /// The first assignment to the return place whose value comes from a local in `carry` (or,
    /// for a borrow, that `is_loan` says creates the loan).
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
                        Rvalue::Opaque(_) => false,
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

    /// E0382 (use of a moved value) and E0381 (use of an uninitialized binding).
    fn check_init(
        &self,
        a: &Access,
        init: &Init,
        moves: &[(Place, usize, Span)],
        reported_moves: &mut Vec<Vec<usize>>,
        reported_uninit: &mut Vec<Local>,
        errors: &mut Vec<BorrowError>,
    ) {
        let decl = self.body.local(a.place.local);
        if decl.kind == LocalKind::Temp
            || decl.kind == LocalKind::Return
            || self.body.opaque_control
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
            let overlap = covered || (contains && a.kind != AccessKind::MatchedPlace);
            if overlap {
                // Moves through a deref of a reference are E0507 errors, not moves.
                hit.push(mi);
            }
        }
        if hit.is_empty() {
            return;
        }
        hit.sort_unstable();
        if reported_moves.contains(&hit) {
            return;
        }
        reported_moves.push(hit.clone());
        let m = &moves[hit[0]];
        let action = match a.kind {
            AccessKind::Assign => UseKind::AssignToPart,
            AccessKind::SharedBorrow | AccessKind::MutBorrow | AccessKind::Reserve => {
                UseKind::Borrow
            }
            _ => UseKind::Use,
        };
        errors.push(BorrowError {
            span: a.span,
            kind: ErrorKind::UseAfterMove {
                action,
                place: self.describe(a.place),
                moved: self.describe(&m.0),
                partial: m.0.proj.len() > a.place.proj.len(),
                moves: hit.iter().map(|&mi| moves[mi].2).collect(),
            },
        });
    }

    /// E0384: assigning twice to an immutable binding.
    fn check_reassign(&self, local: Local, span: Span, init: &Init, errors: &mut Vec<BorrowError>) {
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
struct Init {
    moved: Bits,
    uninit: Bits,
    init: Bits,
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
