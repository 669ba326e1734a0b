//! "lifetime may not live long enough", as rustc's `check_universal_regions` decides it.
//!
//! Each value's type has regions by position (`ty::regions::RTy`): the arguments' and the
//! return place's are the function's universal regions, an annotated `let`'s are equated with
//! its annotation's, the others' are inference variables. A value flowing into a place (an
//! assignment, an aggregate's field, a call's argument and result, a reborrow) relates the two
//! types position by position, by variance: `sub <: sup` makes each region of `sub` outlive
//! the region at the same position of `sup`. A universal region that must so outlive another
//! universal region, where the signature (its bounds and its types' implied bounds) does not
//! say it does, is an error; rustc reports the first such region for each (and, within a cycle
//! of regions, only the relation to its smallest member), blamed on the most telling constraint
//! of a shortest path between them.
//!
//! Types are related only when both are known throughout and equal but for their regions: a
//! coercion (a deref, an unsizing) relates other positions, so a type not known, or one that
//! differs, relates nothing, and nothing is reported from it.

use std::collections::VecDeque;

use super::{BorrowError, Cx};
use crate::ast::{Mutability, Name, Span};
use crate::errors::{Blame, ErrorKind};
use crate::mir::*;
use crate::ty::regions::{variances, RTy, Region, Variance};
use crate::ty::Ty;

/// An outlives constraint `sup: sub`, with what requires it and where.
#[derive(Clone, Copy)]
struct Edge {
    sub: usize,
    blame: Blame,
    span: Span,
}

/// What a value's shape is known to be while the locals' types are inferred.
#[derive(Clone, PartialEq)]
enum Shape {
    Unset,
    Known(RTy),
    /// Two shapes disagree, or something we do not see writes the local.
    Bad,
}

struct Graph {
    /// For each region (`'static`, the universal ones, then variables), its constraints
    /// `region: sub` in the order they were found.
    out: Vec<Vec<Edge>>,
    /// The first variable's node.
    first_var: usize,
}

impl Graph {
    fn node(&self, r: Region) -> Option<usize> {
        match r {
            Region::Static => Some(0),
            Region::Param(i) if (i as usize) + 1 < self.first_var => Some(i as usize + 1),
            Region::Var(v) => Some(self.first_var + v as usize),
            _ => None,
        }
    }

    fn fresh(&mut self) -> Region {
        self.out.push(Vec::new());
        Region::Var((self.out.len() - 1 - self.first_var) as u32)
    }

    fn edge(&mut self, sup: Region, sub: Region, blame: Blame, span: Span) {
        if let (Some(a), Some(b)) = (self.node(sup), self.node(sub)) {
            if a != b {
                self.out[a].push(Edge {
                    sub: b,
                    blame,
                    span,
                });
            }
        }
    }

    /// Relates `sub <: sup` (a value of type `sub` stored where `sup` is expected), when both
    /// are known and of one shape; nothing otherwise.
    fn relate(&mut self, cx: &Cx, sub: &RTy, sup: &RTy, blame: Blame, span: Span) {
        if sub.is_known() && sup.is_known() && sub.same_shape(sup) {
            self.relate_at(cx, sub, sup, Variance::Covariant, blame, span);
            return;
        }
        // A reference coerced: `&mut T` to `&T` keeps both regions; a deref (`&String` to
        // `&str`) or an unsizing (`&u32` to `&dyn Debug`) keeps the reference's own, unless
        // the deref goes through a reference inside (`&&T` to `&T` is `&**x`: the inner one's).
        if let (RTy::Ref(r1, m1, t1), RTy::Ref(r2, m2, t2)) = (sub, sup) {
            if !t1.is_known() || (m1 != m2 && *m1 != Mutability::Mut) {
                return;
            }
            if t2.is_known() && t1.same_shape(t2) {
                self.edge(*r1, *r2, blame, span);
                self.relate_at(cx, t1, t2, Variance::Covariant, blame, span);
            } else if deref_through_owned(t1) {
                self.edge(*r1, *r2, blame, span);
            }
        }
    }

    fn relate_at(&mut self, cx: &Cx, a: &RTy, b: &RTy, v: Variance, blame: Blame, span: Span) {
        let region = |g: &mut Graph, ra: Region, rb: Region, v: Variance| match v {
            Variance::Covariant => g.edge(ra, rb, blame, span),
            Variance::Invariant => {
                g.edge(ra, rb, blame, span);
                g.edge(rb, ra, blame, span);
            }
            Variance::Bivariant | Variance::Unknown => {}
        };
        match (a, b) {
            (RTy::Ref(ra, m, ta), RTy::Ref(rb, _, tb)) => {
                region(self, *ra, *rb, v);
                let inner = match m {
                    Mutability::Not => v,
                    Mutability::Mut => match v {
                        Variance::Covariant | Variance::Invariant => Variance::Invariant,
                        v => v,
                    },
                };
                self.relate_at(cx, ta, tb, inner, blame, span);
            }
            (RTy::Tuple(ta), RTy::Tuple(tb)) => {
                for (x, y) in ta.iter().zip(tb) {
                    self.relate_at(cx, x, y, v, blame, span);
                }
            }
            (RTy::Array(x), RTy::Array(y)) | (RTy::Slice(x), RTy::Slice(y)) => {
                self.relate_at(cx, x, y, v, blame, span)
            }
            (
                RTy::Adt {
                    name,
                    regions: ra,
                    args: aa,
                },
                RTy::Adt {
                    regions: rb,
                    args: ab,
                    ..
                },
            ) => {
                let (lv, tv) = variances(cx.index, name, ra.len(), aa.len());
                for ((x, y), w) in ra.iter().zip(rb).zip(lv) {
                    region(self, *x, *y, then(v, w));
                }
                for ((x, y), w) in aa.iter().zip(ab).zip(tv) {
                    self.relate_at(cx, x, y, then(v, w), blame, span);
                }
            }
            _ => {}
        }
    }
}

/// Whether derefs of `t` (until another type) never go through a reference: `Box`es and
/// overloaded derefs (their `&self` is the outer reference's).
fn deref_through_owned(t: &RTy) -> bool {
    match t {
        RTy::Ref(..) | RTy::Opaque(_) => false,
        RTy::Adt { name, args, .. } if &**name == "Box" => args.iter().all(deref_through_owned),
        _ => true,
    }
}

/// The variance of a position of variance `inner` inside one of variance `outer`.
fn then(outer: Variance, inner: Variance) -> Variance {
    use Variance::*;
    match (outer, inner) {
        (Bivariant, _) | (_, Bivariant) => Bivariant,
        (Unknown, _) | (_, Unknown) => Unknown,
        (Invariant, _) | (_, Invariant) => Invariant,
        (Covariant, Covariant) => Covariant,
    }
}

/// How interesting a constraint is to blame (rustc's `best_blame_constraint`: lower first).
fn interest(b: Blame) -> u8 {
    match b {
        Blame::Return => 0,
        Blame::TypeAnnotation | Blame::CallArgument | Blame::Assignment | Blame::Usage => 2,
        Blame::Predicate => 4,
        Blame::Boring => 5,
    }
}

/// Whether a type with regions agrees with the lowering's type of the same value (where that
/// one is known): a disagreement means one of them is wrong.
fn agrees(r: &RTy, t: &Ty) -> bool {
    match (r, t) {
        (_, Ty::Unknown) => true,
        (RTy::Ref(_, m, a), Ty::Ref(n, b)) => m == n && agrees(a, b),
        (RTy::Tuple(a), Ty::Tuple(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| agrees(a, b))
        }
        (RTy::Array(a), Ty::Array(b, _)) | (RTy::Slice(a), Ty::Slice(b)) => agrees(a, b),
        (
            RTy::Adt { name, args, .. },
            Ty::Adt {
                name: n, args: b, ..
            },
        ) => name == n && (b.len() != args.len() || args.iter().zip(b).all(|(a, b)| agrees(a, b))),
        (RTy::Adt { name, args, .. }, Ty::Prim(n)) => name == n && args.is_empty(),
        (RTy::Adt { name, args, .. }, Ty::Str) => &**name == "str" && args.is_empty(),
        (RTy::Param(a), Ty::Param { name, .. }) => a == name,
        (RTy::Opaque(_), _) => true,
        _ => false,
    }
}

impl Cx<'_> {
    /// "lifetime may not live long enough" from the function's universal regions.
    pub(super) fn check_universal_regions(&self, errors: &mut Vec<BorrowError>) {
        let Some(br) = self.body.regions.as_deref() else {
            return;
        };
        let n_universal = br.universals.len();
        let first_var = n_universal + 1;
        let mut g = Graph {
            out: vec![Vec::new(); first_var + br.n_vars as usize],
            first_var,
        };
        let Some(tys) = self.local_rtys(br, &mut g) else {
            return;
        };
        self.constraints(br, &tys, &mut g);
        let reach: Vec<Vec<bool>> = (0..first_var).map(|u| reachable(&g, u)).collect();
        let known = |a: usize, b: usize| {
            let region = |i: usize| match i {
                0 => Region::Static,
                i => Region::Param(i as u32 - 1),
            };
            a == b || a == 0 || br.known.contains(&(region(a), region(b)))
        };
        let mut found: Vec<(usize, usize)> = Vec::new();
        for u in 1..first_var {
            // The smallest universal region in `u`'s cycle of regions (`'static` for one that
            // must outlive it): rustc checks only `u`'s relation to it.
            let rep = (0..first_var)
                .find(|&w| reach[u][w] && (w == 0 || reach[w][u]))
                .unwrap_or(u);
            if rep != u {
                if !known(u, rep) {
                    found.push((u, rep));
                }
                continue;
            }
            if let Some(s) = (0..first_var).find(|&s| s != u && reach[u][s] && !known(u, s)) {
                found.push((u, s));
            }
        }
        // Anonymous regions are numbered as rustc names them: in the order its errors mention
        // them, the longer one first.
        let mut numbered: Vec<usize> = Vec::new();
        let mut name = |i: usize| -> Name {
            if i == 0 {
                return "static".into();
            }
            if let Some(n) = &br.universals[i - 1].name {
                return n.clone();
            }
            let k = match numbered.iter().position(|&x| x == i) {
                Some(k) => k,
                None => {
                    numbered.push(i);
                    numbered.len() - 1
                }
            };
            (k + 1).to_string().into()
        };
        let named = |i: usize| i > 0 && br.universals[i - 1].name.is_some();
        let of_param = |i: usize| i > 0 && br.universals[i - 1].of_param;
        for (u, s) in found {
            let Some((span, blame)) = blame(&g, u, s) else {
                continue;
            };
            // rustc words these otherwise: a named lifetime against a parameter's anonymous one
            // is E0621 ("explicit lifetime required"), data stored into a `'static` place by an
            // assignment or a call E0521 ("borrowed data escapes").
            if !br.in_trait_impl && ((named(u) && of_param(s)) || (named(s) && of_param(u))) {
                continue;
            }
            if s == 0 && matches!(blame, Blame::Assignment | Blame::CallArgument) {
                continue;
            }
            let (longer, shorter) = (name(u), name(s));
            errors.push(BorrowError {
                span,
                kind: ErrorKind::RegionOutlives {
                    longer,
                    shorter,
                    blame,
                    fn_kind: br.fn_kind,
                },
            });
        }
    }

    /// The type with regions of each local: declared (arguments, return place, annotated
    /// `let`s) or inferred from what is assigned to it, with fresh variables. `None` when the
    /// inference does not settle.
    fn local_rtys(&self, br: &BodyRegions, g: &mut Graph) -> Option<Vec<Option<RTy>>> {
        let body = self.body;
        let n = body.locals.len();
        let mut shapes: Vec<Shape> = vec![Shape::Unset; n];
        let mut declared: Vec<Option<RTy>> = vec![None; n];
        for (l, t, span) in &br.local_tys {
            let i = l.0 as usize;
            if i >= n || !agrees(t, &body.locals[i].ty) {
                shapes[i] = Shape::Bad;
                continue;
            }
            let own = match span {
                None => t.clone(),
                Some(span) => {
                    // The local's own regions, equated with its annotation's.
                    let own = t.map_regions(&mut |_| g.fresh());
                    g.relate_at(
                        self,
                        &own,
                        t,
                        Variance::Invariant,
                        Blame::TypeAnnotation,
                        *span,
                    );
                    own
                }
            };
            shapes[i] = Shape::Known(own.map_regions(&mut |_| Region::Unknown));
            declared[i] = Some(own);
        }
        for (i, d) in body.locals.iter().enumerate() {
            if matches!(d.kind, LocalKind::Upvar | LocalKind::Static) {
                shapes[i] = Shape::Bad;
            }
        }
        for b in self.reachable_blocks() {
            for s in &body.blocks[b].stmts {
                if let StatementKind::MaybeInit(l) = s.kind {
                    shapes[l.0 as usize] = Shape::Bad;
                }
            }
        }
        // Each local not declared has the shape of what is assigned to it; until nothing
        // changes (a disagreement makes it `Bad`, which may unsettle others).
        let mut rounds = 0;
        loop {
            rounds += 1;
            if rounds > 8 {
                return None;
            }
            let mut changed = false;
            let tys: Vec<Option<RTy>> = shapes
                .iter()
                .map(|s| match s {
                    Shape::Known(t) => Some(t.clone()),
                    _ => None,
                })
                .collect();
            let mut set = |l: Local, t: Option<RTy>, shapes: &mut Vec<Shape>| {
                let i = l.0 as usize;
                if declared[i].is_some() {
                    return;
                }
                // What is assigned from a value of unknown type says nothing of the local's.
                let Some(t) = t.filter(RTy::is_known) else {
                    return;
                };
                let new = match &shapes[i] {
                    Shape::Bad => return,
                    Shape::Unset => Shape::Known(t),
                    Shape::Known(old) if old.same_shape(&t) => return,
                    Shape::Known(_) => Shape::Bad,
                };
                if let Shape::Known(t) = &new {
                    if !agrees(t, &body.locals[i].ty) {
                        shapes[i] = Shape::Bad;
                        changed = true;
                        return;
                    }
                }
                shapes[i] = new;
                changed = true;
            };
            for b in self.reachable_blocks() {
                let block = &body.blocks[b];
                for (si, s) in block.stmts.iter().enumerate() {
                    let StatementKind::Assign(dest, rv) = &s.kind else {
                        continue;
                    };
                    if !dest.proj.is_empty() {
                        continue;
                    }
                    if s.uncertain && !reborrow(br, b, si) {
                        continue;
                    }
                    let t = self.rvalue_rty(br, &tys, b, si, rv, &mut |_| Region::Unknown);
                    set(dest.local, t, &mut shapes);
                }
                if let Terminator::Call { dest, .. } = &block.term {
                    if dest.proj.is_empty() {
                        let t = br
                            .calls
                            .iter()
                            .find(|(cb, _)| cb.0 as usize == b)
                            .map(|(_, c)| {
                                c.ret.map_regions(&mut |_| Region::Unknown).subst(&[], &[])
                            });
                        set(dest.local, t, &mut shapes);
                    }
                }
            }
            if !changed {
                break;
            }
        }
        Some(
            shapes
                .into_iter()
                .zip(declared)
                .map(|(s, d)| match (s, d) {
                    (Shape::Bad, _) => None,
                    (_, Some(d)) => Some(d),
                    (Shape::Known(t), None) => Some(t.map_regions(&mut |_| g.fresh())),
                    _ => None,
                })
                .collect(),
        )
    }

    /// The reachable blocks, in order.
    fn reachable_blocks(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.body.blocks.len()).filter(|&b| self.reachable[b])
    }

    /// The type of a place, from its local's.
    fn place_rty(&self, tys: &[Option<RTy>], p: &Place) -> Option<RTy> {
        let mut t = tys.get(p.local.0 as usize)?.clone()?;
        let mut variant: Option<&Name> = None;
        for proj in &p.proj {
            t = match proj {
                Proj::Deref => t.deref()?,
                Proj::Field(f) => {
                    let ft = t.field(self.index, variant, f)?;
                    variant = None;
                    ft
                }
                Proj::Downcast(v) => {
                    variant = Some(v);
                    continue;
                }
                Proj::Index | Proj::ConstIndex { .. } => t.element()?,
                Proj::Subslice | Proj::Range { .. } => return None,
            };
            if variant.is_some() {
                return None;
            }
        }
        variant.is_none().then_some(t)
    }

    fn operand_rty(&self, tys: &[Option<RTy>], o: &Operand) -> Option<RTy> {
        self.place_rty(tys, o.place()?)
    }

    /// The type of what an rvalue builds; `fresh` gives the regions it creates (a loan's, an
    /// inferred lifetime argument's).
    fn rvalue_rty(
        &self,
        br: &BodyRegions,
        tys: &[Option<RTy>],
        b: usize,
        si: usize,
        rv: &Rvalue,
        fresh: &mut dyn FnMut(()) -> Region,
    ) -> Option<RTy> {
        match rv {
            Rvalue::Use(o) => self.operand_rty(tys, o),
            Rvalue::Ref(kind, p) => {
                let m = match kind {
                    BorrowKind::Shared => Mutability::Not,
                    BorrowKind::Mut { .. } => Mutability::Mut,
                };
                let inner = self.place_rty(tys, p).unwrap_or(RTy::Opaque(Vec::new()));
                Some(RTy::Ref(fresh(()), m, Box::new(inner)))
            }
            Rvalue::Aggregate(ops) => match aggregate(br, b, si)? {
                AggregateKind::Tuple => Some(RTy::Tuple(
                    ops.iter()
                        .map(|o| self.operand_rty(tys, o))
                        .collect::<Option<Vec<_>>>()?,
                )),
                AggregateKind::Adt {
                    name,
                    regions,
                    args,
                    ..
                } => {
                    let n = self
                        .index
                        .adt(name)?
                        .written
                        .as_ref()?
                        .generics
                        .lifetimes
                        .len();
                    let regions = match regions {
                        Some(r) => r.clone(),
                        None => (0..n).map(|_| fresh(())).collect(),
                    };
                    Some(RTy::Adt {
                        name: name.clone(),
                        regions,
                        args: args.clone(),
                    })
                }
            },
            Rvalue::Opaque(_) => None,
        }
    }

    /// The constraints of the body's statements and calls.
    fn constraints(&self, br: &BodyRegions, tys: &[Option<RTy>], g: &mut Graph) {
        let body = self.body;
        let blame_of = |dest: &Place| {
            if !dest.proj.is_empty() {
                return Blame::Assignment;
            }
            match body.local(dest.local).kind {
                LocalKind::Return => Blame::Return,
                LocalKind::User | LocalKind::Arg => Blame::Assignment,
                _ => Blame::Boring,
            }
        };
        let reachable: Vec<usize> = self.reachable_blocks().collect();
        for b in reachable {
            let block = &body.blocks[b];
            for (si, s) in block.stmts.iter().enumerate() {
                let StatementKind::Assign(dest, rv) = &s.kind else {
                    continue;
                };
                if s.uncertain && !reborrow(br, b, si) {
                    continue;
                }
                let Some(dest_ty) = self.place_rty(tys, dest) else {
                    continue;
                };
                let blame = blame_of(dest);
                match rv {
                    Rvalue::Use(o) => {
                        if let Some(t) = self.operand_rty(tys, o) {
                            g.relate(self, &t, &dest_ty, blame, s.span);
                        }
                    }
                    Rvalue::Ref(_, p) => {
                        let Some(t) = self.rvalue_rty(br, tys, b, si, rv, &mut |_| g.fresh())
                        else {
                            continue;
                        };
                        let RTy::Ref(loan, ..) = t else { continue };
                        // Reborrows: the references dereferenced outlive the loan, up to the
                        // first shared one.
                        for i in (0..p.proj.len()).rev() {
                            if p.proj[i] != Proj::Deref {
                                continue;
                            }
                            let base = Place {
                                local: p.local,
                                proj: p.proj[..i].to_vec(),
                            };
                            match self.place_rty(tys, &base) {
                                Some(RTy::Ref(r, m, _)) => {
                                    g.edge(r, loan, Blame::Boring, s.span);
                                    if m == Mutability::Not {
                                        break;
                                    }
                                }
                                Some(RTy::Adt { name, .. }) if &*name == "Box" => {}
                                _ => break,
                            }
                        }
                        g.relate(self, &t, &dest_ty, blame, s.span);
                    }
                    Rvalue::Aggregate(ops) => {
                        let Some(kind) = aggregate(br, b, si) else {
                            continue;
                        };
                        let Some(t) = self.rvalue_rty(br, tys, b, si, rv, &mut |_| g.fresh())
                        else {
                            continue;
                        };
                        if let AggregateKind::Adt {
                            variant, fields, ..
                        } = kind
                        {
                            // Each operand is stored into its field (rustc blames "this usage").
                            for (o, f) in ops.iter().zip(fields) {
                                let (Some(ot), Some(ft)) = (
                                    self.operand_rty(tys, o),
                                    t.field(self.index, variant.as_ref(), f),
                                ) else {
                                    continue;
                                };
                                let span = o
                                    .place()
                                    .filter(|p| p.proj.is_empty())
                                    .map(|p| body.local(p.local))
                                    .filter(|d| d.kind == LocalKind::Temp)
                                    .map_or(s.span, |d| d.span);
                                g.relate(self, &ot, &ft, Blame::Usage, span);
                            }
                        }
                        g.relate(self, &t, &dest_ty, blame, s.span);
                    }
                    Rvalue::Opaque(_) => {}
                }
            }
            if let Terminator::Call {
                args, dest, span, ..
            } = &block.term
            {
                let Some((_, sig)) = br.calls.iter().find(|(cb, _)| cb.0 as usize == b) else {
                    continue;
                };
                if sig.params.len() != args.len() {
                    continue;
                }
                let inst: Vec<Region> = (0..sig.n_regions).map(|_| g.fresh()).collect();
                for (a, p) in args.iter().zip(&sig.params) {
                    if let Some(t) = self.operand_rty(tys, a) {
                        g.relate(self, &t, &p.subst(&inst, &[]), Blame::CallArgument, *span);
                    }
                }
                for &(a, b) in &sig.bounds {
                    let at = |r: Region| match r {
                        Region::Param(i) => {
                            inst.get(i as usize).copied().unwrap_or(Region::Unknown)
                        }
                        r => r,
                    };
                    g.edge(at(a), at(b), Blame::Predicate, *span);
                }
                if let Some(dest_ty) = self.place_rty(tys, dest) {
                    g.relate(
                        self,
                        &sig.ret.subst(&inst, &[]),
                        &dest_ty,
                        blame_of(dest),
                        *span,
                    );
                }
            }
        }
    }
}

/// The kind of the aggregate at statement `si` of block `b`.
fn aggregate(br: &BodyRegions, b: usize, si: usize) -> Option<&AggregateKind> {
    br.aggregates
        .iter()
        .find(|(ab, ai, _)| ab.0 as usize == b && *ai as usize == si)
        .map(|(_, _, k)| k)
}

/// Whether statement `si` of block `b` is uncertain only in whether it copies, moves or
/// reborrows the value of a known place: the value flows either way.
fn reborrow(br: &BodyRegions, b: usize, si: usize) -> bool {
    br.reborrows.contains(&(BlockId(b as u32), si as u32))
}

/// The regions `from` must outlive: those its constraints reach.
fn reachable(g: &Graph, from: usize) -> Vec<bool> {
    let mut seen = vec![false; g.out.len()];
    let mut stack = vec![from];
    while let Some(r) = stack.pop() {
        if !seen[r] {
            seen[r] = true;
            stack.extend(g.out[r].iter().map(|e| e.sub));
        }
    }
    seen
}

/// The span and kind of the constraint to blame for `from: to`: on a shortest path of
/// constraints between them, the most interesting one, the closest to `to` among equals.
fn blame(g: &Graph, from: usize, to: usize) -> Option<(Span, Blame)> {
    let mut prev: Vec<Option<(usize, Edge)>> = vec![None; g.out.len()];
    let mut seen = vec![false; g.out.len()];
    let mut queue = VecDeque::from([from]);
    seen[from] = true;
    while let Some(r) = queue.pop_front() {
        if r == to {
            break;
        }
        for e in &g.out[r] {
            if !seen[e.sub] {
                seen[e.sub] = true;
                prev[e.sub] = Some((r, *e));
                queue.push_back(e.sub);
            }
        }
    }
    let mut path = Vec::new();
    let mut at = to;
    while at != from {
        let (p, e) = prev[at]?;
        path.push(e);
        at = p;
    }
    // `path` runs from `to` back to `from`: the first of the least interest is the closest to
    // `to`.
    path.iter()
        .min_by_key(|e| interest(e.blame))
        .map(|e| (e.span, e.blame))
}
