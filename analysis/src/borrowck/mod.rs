//! NLL borrow checking of a lowered body, as rustc does it (not polonius).
//!
//! Liveness of locals gives each local's region; outlives constraints from assignments, calls and
//! reborrows grow the loans' regions; a forward dataflow of loans in scope finds conflicting
//! accesses; move and initialization dataflows find uses of moved or uninitialized values.
//! Nothing here guesses: statements marked `uncertain` never produce a conflict error.
//!
//! One file per phase, in the order `Cx::run` takes them: `liveness`, `regions` (the regions'
//! points and the outlives constraints), `loans` (the borrow set and the loans in scope), `moves`
//! (move paths and initialization), then `check`, the walk over every point that asks
//! `conflicts` and `moves`; `outlives` (borrows that outlive what they borrow) and `facts` (what
//! the IDE explains) come last. `access` says what each statement reads; `bits` is the dataflow's
//! set.

// Dataflow walks index parallel per-point and per-block tables by position: clearer than zips.
#![allow(clippy::needless_range_loop)]

mod access;
mod bits;
mod check;
mod conflicts;
mod facts;
mod liveness;
mod loans;
mod moves;
mod outlives;
mod regions;
mod universal;

use crate::ast::{Name, Span};
pub use crate::errors::BorrowError;
use crate::index::Index;
use crate::mir::describe_place;
use crate::mir::*;

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
    /// The borrow expression (the IDE names the borrowed place, `BorrowckResult::loans`' place,
    /// from its text: `mir::describe::PlaceNamer`).
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
    /// The reachable blocks in rustc's visiting order (`reverse_postorder`).
    rpo: Vec<usize>,
    loans: Vec<Loan>,
    /// For each loan, whether its place is behind a shared reference (`behind_shared_ref`),
    /// asked for every access the loan is in scope at.
    loan_behind_shared_ref: Vec<bool>,
}

/// The blocks a terminator goes to, in order (without allocating: the dataflow asks on every
/// pass over every block).
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

/// The reachable blocks in reverse postorder, as rustc's `traversal::reverse_postorder` gives
/// them (its depth-first search takes a block's successors from the last), the order in which
/// rustc's borrow checker visits blocks and so decides which of two errors it keeps.
fn reverse_postorder(body: &Body) -> Vec<usize> {
    let n = body.blocks.len();
    let mut visited = vec![false; n];
    let mut post = Vec::with_capacity(n);
    if n == 0 {
        return post;
    }
    visited[0] = true;
    let succ = |b: usize| successors(&body.blocks[b].term).collect::<Vec<_>>();
    let mut stack: Vec<(usize, Vec<usize>)> = vec![(0, succ(0))];
    while let Some((b, next)) = stack.last_mut() {
        match next.pop() {
            Some(s) if s < n && !visited[s] => {
                visited[s] = true;
                stack.push((s, succ(s)));
            }
            Some(_) => {}
            None => {
                post.push(*b);
                stack.pop();
            }
        }
    }
    post.reverse();
    post
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
            rpo: reverse_postorder(body),
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

    /// The phases in order: liveness, regions, loans in scope, moves and initialization; then
    /// the walk that checks every point, the loans that outlive the function, the facts.
    fn run(self) -> BorrowckResult {
        let liveness = self.liveness();
        let regions = self.regions(&liveness);
        let scope = self.loans_in_scope(&regions);
        let move_data = self.move_data();
        let mut errors = self.check(&regions, &scope, &move_data);
        self.check_escaping_loans(&regions, &mut errors);
        self.check_universal_regions(&mut errors);
        let live_spans = self.live_spans(&scope);
        // One error per span, the first found in program order (rustc's
        // `access_place_error_reported`); the errors between lifetimes are apart (a span may
        // require two). A closure's captures share its span: one error per captured place.
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| {
            let apart = match &e.kind {
                crate::errors::ErrorKind::RegionOutlives {
                    longer, shorter, ..
                } => Some((longer.to_string(), shorter.to_string())),
                crate::errors::ErrorKind::Conflict {
                    place,
                    access_in_closure: Some(_),
                    ..
                }
                | crate::errors::ErrorKind::UseAfterMove {
                    place,
                    in_closure: Some(_),
                    ..
                } => Some((place.clone(), String::new())),
                _ => None,
            };
            seen.insert((e.span, apart))
        });
        errors.sort_by_key(|e| (e.span.start, e.code()));
        let facts = self.facts(&errors, &live_spans, &|li| regions.carriers(li));
        BorrowckResult {
            errors,
            loans: self.loans.clone(),
            live_spans,
            facts,
        }
    }

    fn describe(&self, p: &Place) -> String {
        describe_place(self.body, p)
    }
}
