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

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};

use super::{BorrowError, Cx};
use crate::ast::{FieldName, Mutability, Name, Span};
use crate::base::FxBuild;
use crate::errors::{Blame, ErrorKind};
use crate::index::Index;
use crate::mir::*;
use crate::ty::regions::{wf_obligations, RTy, Region, Variance};
use crate::ty::Ty;

/// An outlives constraint `sup: sub`, with what requires it and where.
#[derive(Clone, Copy)]
struct Edge {
    sub: usize,
    blame: Blame,
    span: Span,
}

/// The constraint graph: for each region (`'static`, the universal ones, then variables), its
/// constraints `region: sub` in the order they were found.
struct Graph {
    out: Vec<Vec<Edge>>,
    /// The first variable's node.
    first_var: usize,
    /// In a closure, the nodes of the regions its defining function chooses: external
    /// universal regions, and the regions of captured variables' and of the return type.
    external: Vec<bool>,
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
        self.external.push(false);
        Region::Var((self.out.len() - 1 - self.first_var) as u32)
    }

    /// A fresh region of a closure's defining function.
    fn fresh_external(&mut self) -> Region {
        let r = self.fresh();
        self.external[self.out.len() - 1] = true;
        r
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
}

/// What a value's shape is known to be while the locals' types are inferred.
#[derive(Clone, PartialEq)]
enum Shape {
    Unset,
    Known(RTy),
    /// Two shapes disagree, or something we do not see writes the local.
    Bad,
}

type Map<K, V> = HashMap<K, V, FxBuild>;

/// One body's check: the lowering's records by statement, the crate's types as templates.
struct Check<'c, 'a> {
    cx: &'c Cx<'a>,
    br: &'c BodyRegions,
    /// What each aggregate builds, by (block, statement).
    aggregates: Map<(usize, usize), &'c AggregateKind>,
    /// The callees' signatures, by block.
    calls: Map<usize, &'c CalleeSig>,
    reborrows: HashSet<(usize, usize), FxBuild>,
    implicit_reborrows: HashSet<(usize, usize), FxBuild>,
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

/// Whether derefs of `t` (until another type) never go through a reference: `Box`es and
/// overloaded derefs (their `&self` is the outer reference's).
fn deref_through_owned(t: &RTy) -> bool {
    match t {
        RTy::Ref(..) | RTy::Opaque(_) => false,
        RTy::Adt { name, args, .. } if &**name == "Box" => args.iter().all(deref_through_owned),
        _ => true,
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
/// one is known): a disagreement means one of them is wrong. The lowering keeps a type alias
/// with parameters as its name.
fn agrees(index: &Index, r: &RTy, t: &Ty) -> bool {
    let agrees = |r: &RTy, t: &Ty| agrees(index, r, t);
    match (r, t) {
        (_, Ty::Unknown) => true,
        (_, Ty::Adt { name, .. }) if index.alias(name).is_some() && index.adt(name).is_none() => {
            true
        }
        (RTy::Ref(_, m, a), Ty::Ref(n, b)) => m == n && agrees(a, b),
        (RTy::Tuple(a), Ty::Tuple(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| agrees(a, b))
        }
        // A closure is typed by its captures.
        (RTy::Tuple(a), Ty::Adt { name, args, .. }) if &**name == "{closure}" => {
            a.len() == args.len() && a.iter().zip(args).all(|(a, b)| agrees(a, b))
        }
        (RTy::Array(a), Ty::Array(b, _)) | (RTy::Slice(a), Ty::Slice(b)) => agrees(a, b),
        (
            RTy::Adt { name, args, .. },
            Ty::Adt {
                name: n, args: b, ..
            },
        ) => name == n && (b.len() != args.len() || args.iter().zip(b).all(|(a, b)| agrees(a, b))),
        // An integer literal's type is guessed (`i32`) where the annotation says another: a
        // number holds no region either way.
        (RTy::Adt { name, args, .. }, Ty::Prim(n)) => {
            args.is_empty() && (name == n || (numeric(name) && numeric(n)))
        }
        (RTy::Adt { name, args, .. }, Ty::Str) => &**name == "str" && args.is_empty(),
        (RTy::Param(a), Ty::Param { name, .. }) => a == name,
        (RTy::Opaque(_), _) => true,
        _ => false,
    }
}

fn numeric(name: &str) -> bool {
    matches!(
        name,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "f32"
            | "f64"
    )
}

impl Cx<'_> {
    /// "lifetime may not live long enough" from the function's universal regions.
    pub(super) fn check_universal_regions(&self, errors: &mut Vec<BorrowError>) {
        let Some(br) = self.body.regions.as_deref() else {
            return;
        };
        let at = |list: &[(BlockId, u32)]| {
            list.iter()
                .map(|(b, i)| (b.0 as usize, *i as usize))
                .collect()
        };
        let check = Check {
            cx: self,
            br,
            aggregates: br
                .aggregates
                .iter()
                .map(|(b, i, k)| ((b.0 as usize, *i as usize), k))
                .collect(),
            calls: br.calls.iter().map(|(b, c)| (b.0 as usize, c)).collect(),
            reborrows: at(&br.reborrows),
            implicit_reborrows: at(&br.implicit_reborrows),
        };
        check.run(errors);
    }
}

impl Check<'_, '_> {
    fn run(&self, errors: &mut Vec<BorrowError>) {
        let br = self.br;
        let first_var = br.universals.len() + 1;
        let n = first_var + br.n_vars as usize;
        let mut g = Graph {
            out: vec![Vec::new(); n],
            first_var,
            external: (0..n)
                .map(|i| (1..first_var).contains(&i) && br.universals[i - 1].external)
                .collect(),
        };
        let Some(tys) = self.local_rtys(&mut g) else {
            return;
        };
        self.constraints(&tys, &mut g);
        let reach: Vec<Vec<bool>> = (0..first_var).map(|u| reachable(&g, u)).collect();
        let mut known = vec![vec![false; first_var]; first_var];
        for (i, row) in known.iter_mut().enumerate() {
            row[i] = true;
        }
        known[0].iter_mut().for_each(|x| *x = true);
        for &(a, b) in &br.known {
            if let (Some(a), Some(b)) = (g.node(a), g.node(b)) {
                known[a][b] = true;
            }
        }
        let mut found: Vec<(usize, usize)> = Vec::new();
        for u in 1..first_var {
            // The smallest universal region in `u`'s cycle of regions (`'static` for one that
            // must outlive it): rustc checks only `u`'s relation to it.
            let rep = (0..first_var)
                .find(|&w| reach[u][w] && (w == 0 || reach[w][u]))
                .unwrap_or(u);
            if rep != u {
                if !known[u][rep] {
                    found.push((u, rep));
                }
                continue;
            }
            if let Some(s) = (0..first_var).find(|&s| reach[u][s] && !known[u][s]) {
                found.push((u, s));
            }
        }
        if br.closure {
            self.report_closure(&g, &tys, &known, errors);
            return;
        }
        let missing: Vec<Vec<usize>> = (0..first_var)
            .map(|u| {
                (1..first_var)
                    .filter(|&w| reach[u][w] && !known[u][w])
                    .collect()
            })
            .collect();
        self.report(&g, &tys, &found, &missing, errors);
    }

    /// The errors for the pairs found, in their order, worded as rustc words them; `missing`
    /// gives for each region the universal ones it must outlive and is not known to.
    fn report(
        &self,
        g: &Graph,
        tys: &[Option<RTy>],
        found: &[(usize, usize)],
        missing: &[Vec<usize>],
        errors: &mut Vec<BorrowError>,
    ) {
        let br = self.br;
        // Anonymous regions are numbered as rustc names them: in the order its errors mention
        // them, the longer one first.
        let mut numbered: Vec<usize> = Vec::new();
        let mut name = |i: usize| self.region_name(i, &mut numbered);
        let named = |i: usize| i > 0 && br.universals[i - 1].name.is_some();
        let of_param = |i: usize| i > 0 && br.universals[i - 1].of_param;
        for &(u, s) in found {
            let Some((span, blame)) = blame(g, u, s) else {
                continue;
            };
            // rustc words these otherwise: a named lifetime against a parameter's anonymous one
            // is E0621 ("explicit lifetime required").
            if !br.in_trait_impl && ((named(u) && of_param(s)) || (named(s) && of_param(u))) {
                continue;
            }
            // A parameter's data passed where `'static` is required escapes the function
            // (E0521; an assignment is no escape in a function: the error stays general).
            if s == 0 && blame == Blame::CallArgument {
                let Some((Some(param), at)) = self.variable_of(g, tys, u) else {
                    continue;
                };
                let longer = name(u);
                errors.push(BorrowError {
                    span,
                    kind: ErrorKind::EscapesBody {
                        escapes_from: br.fn_kind,
                        param: Some((param, at)),
                        outer: None,
                        longer,
                        shorter: "static".into(),
                        blame,
                        explained: true,
                    },
                });
                continue;
            }
            let bounds = (s != 0 && named(u) && missing[u].iter().all(|&w| named(w))).then(|| {
                missing[u]
                    .iter()
                    .filter_map(|&w| br.universals[w - 1].name.clone())
                    .collect()
            });
            let (longer, shorter) = (name(u), name(s));
            errors.push(BorrowError {
                span,
                kind: ErrorKind::RegionOutlives {
                    longer,
                    shorter,
                    blame,
                    fn_kind: br.fn_kind,
                    bounds,
                },
            });
        }
    }

    /// The type of field `f` (of `variant`) of a value of type `t`.
    fn field(&self, t: &RTy, variant: Option<&Name>, f: &FieldName) -> Option<RTy> {
        match t {
            RTy::Tuple(ts) => match (variant, f) {
                (None, FieldName::Index(i)) => ts.get(*i as usize).cloned(),
                _ => None,
            },
            RTy::Adt {
                name,
                regions,
                args,
            } => {
                let t = self.cx.index.adt_template(name)?;
                let fields = match variant {
                    None => &t.fields,
                    Some(v) => &t.variants.iter().find(|(n, _)| n == v)?.1,
                };
                let (_, ft) = fields.iter().find(|(n, _)| n == f)?;
                t.instance(ft, regions, args)
            }
            _ => None,
        }
    }

    /// Relates `sub <: sup` (a value of type `sub` stored where `sup` is expected), when both
    /// are known and of one shape, or one reference coerced to another; nothing otherwise.
    fn relate(&self, g: &mut Graph, sub: &RTy, sup: &RTy, blame: Blame, span: Span) {
        if sub.is_known() && sup.is_known() && sub.same_shape(sup) {
            self.relate_at(g, sub, sup, Variance::Covariant, blame, span);
            return;
        }
        // A reference coerced is reborrowed through the references it derefs (`&&T` to `&T` is
        // `&**x`), then derefs what it points to (`&String` to `&str`, by a `Deref` whose
        // `&self` is that reborrow) or unsizes it (`&u32` to `&dyn Debug`): the references
        // dereferenced outlive the result, from the innermost out to the first shared one (the
        // reborrow constraints), and what it points to is related as it is when of one type.
        let RTy::Ref(r2, m2, t2) = sup else {
            return;
        };
        let mut chain: Vec<(Region, Mutability)> = Vec::new();
        let mut cur = sub;
        while let RTy::Ref(r, m, inner) = cur {
            chain.push((*r, *m));
            cur = inner;
            if t2.is_known() && cur.is_known() && cur.same_shape(t2) {
                break;
            }
        }
        let same = t2.is_known() && cur.is_known() && cur.same_shape(t2);
        if chain.is_empty() || !(same || deref_through_owned(cur)) {
            return;
        }
        // A `&mut` result is reborrowed through `&mut`s only.
        if *m2 == Mutability::Mut && chain.iter().any(|(_, m)| *m == Mutability::Not) {
            return;
        }
        for &(r, m) in chain.iter().rev() {
            g.edge(r, *r2, blame, span);
            if m == Mutability::Not {
                break;
            }
        }
        if same {
            let v = match m2 {
                Mutability::Not => Variance::Covariant,
                Mutability::Mut => Variance::Invariant,
            };
            self.relate_at(g, cur, t2, v, blame, span);
        }
    }

    /// Relates two types of one shape, position by position, at variance `v`.
    fn relate_at(&self, g: &mut Graph, a: &RTy, b: &RTy, v: Variance, blame: Blame, span: Span) {
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
                region(g, *ra, *rb, v);
                let inner = match m {
                    Mutability::Not => Variance::Covariant,
                    Mutability::Mut => Variance::Invariant,
                };
                self.relate_at(g, ta, tb, then(v, inner), blame, span);
            }
            (RTy::Tuple(ta), RTy::Tuple(tb)) => {
                for (x, y) in ta.iter().zip(tb) {
                    self.relate_at(g, x, y, v, blame, span);
                }
            }
            (RTy::Array(x), RTy::Array(y)) | (RTy::Slice(x), RTy::Slice(y)) => {
                self.relate_at(g, x, y, v, blame, span)
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
                let (lv, tv) = self.cx.index.variances(name, ra.len(), aa.len());
                for ((x, y), w) in ra.iter().zip(rb).zip(lv) {
                    region(g, *x, *y, then(v, w));
                }
                for ((x, y), w) in aa.iter().zip(ab).zip(tv) {
                    self.relate_at(g, x, y, then(v, w), blame, span);
                }
            }
            _ => {}
        }
    }

    /// The reachable blocks, in order.
    fn reachable_blocks(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.cx.body.blocks.len()).filter(|&b| self.cx.reachable[b])
    }

    /// The type with regions of each local: declared (arguments, return place, annotated
    /// `let`s) or inferred from what is assigned to it, with fresh variables. `None` when the
    /// inference does not settle.
    fn local_rtys(&self, g: &mut Graph) -> Option<Vec<Option<RTy>>> {
        let body = self.cx.body;
        let n = body.locals.len();
        let mut shapes: Vec<Shape> = vec![Shape::Unset; n];
        let mut declared: Vec<Option<RTy>> = vec![None; n];
        for (l, t, span) in &self.br.local_tys {
            let i = l.0 as usize;
            if i >= n || !agrees(self.cx.index, t, &body.locals[i].ty) {
                shapes[i] = Shape::Bad;
                continue;
            }
            let own = match span {
                None => t.clone(),
                Some(span) => {
                    // The local's own regions, equated with its annotation's.
                    let own = t.map_regions(&mut |_| g.fresh());
                    self.relate_at(
                        g,
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
        // The written types must be well-formed.
        for (t, span) in &self.br.wf {
            let mut pairs = Vec::new();
            wf_obligations(self.cx.index, t, &mut pairs);
            for (a, b) in pairs {
                g.edge(a, b, Blame::Boring, *span);
            }
        }
        for (i, d) in body.locals.iter().enumerate() {
            // A closure's captured variables are typed by what its body assigns them.
            let upvar = d.kind == LocalKind::Upvar && self.br.closure;
            if matches!(d.kind, LocalKind::Upvar | LocalKind::Static) && !upvar {
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
        // changes (a disagreement makes it `Bad`, which may unsettle others). Each round reads
        // the shapes as the previous one left them (`tys`), so what a round finds is applied
        // after it, and only the locals it changed are copied again. After the first round,
        // an assignment is read again only when a local it reads changed: what it gives is
        // otherwise what it gave, which its local's shape agrees with already (or is `Bad`).
        let known = |s: &Shape| match s {
            Shape::Known(t) => Some(t.clone()),
            _ => None,
        };
        let mut tys: Vec<Option<RTy>> = shapes.iter().map(known).collect();
        // In program order: an assignment (its place, where it is, what it assigns, the
        // locals that reads) or a call's result (its signature's, read in the first round).
        enum Source<'b> {
            Assign(Local, usize, usize, &'b Rvalue, Vec<Local>),
            Call(Local, Option<RTy>),
        }
        let mut sources: Vec<Source> = Vec::new();
        for b in self.reachable_blocks() {
            let block = &body.blocks[b];
            for (si, s) in block.stmts.iter().enumerate() {
                let StatementKind::Assign(dest, rv) = &s.kind else {
                    continue;
                };
                if !dest.proj.is_empty() || (s.uncertain && !self.reborrows.contains(&(b, si))) {
                    continue;
                }
                let reads = match rv {
                    Rvalue::Use(o) => o.place().map(|p| p.local).into_iter().collect(),
                    Rvalue::Ref(_, p) => vec![p.local],
                    Rvalue::Aggregate(ops) | Rvalue::Opaque(ops, _) => {
                        ops.iter().filter_map(|o| Some(o.place()?.local)).collect()
                    }
                };
                sources.push(Source::Assign(dest.local, b, si, rv, reads));
            }
            if let Terminator::Call { dest, .. } = &block.term {
                if dest.proj.is_empty() {
                    let t = self
                        .calls
                        .get(&b)
                        .map(|c| c.ret.map_regions(&mut |_| Region::Unknown).subst(&[], &[]));
                    sources.push(Source::Call(dest.local, t));
                }
            }
        }
        let mut found: Vec<(Local, Option<RTy>)> = Vec::new();
        // The locals the last round changed (every local before the first).
        let mut moved = vec![true; n];
        for round in 0..8 {
            for source in &sources {
                match source {
                    Source::Assign(dest, b, si, rv, reads)
                        if round == 0 || reads.iter().any(|l| moved[l.0 as usize]) =>
                    {
                        // What cannot change the local's shape is not kept (nor copied): a
                        // declared local keeps its type, `Bad` stays, and a type of the shape
                        // the local has already leaves it as it is (its shape can only become
                        // `Bad` meanwhile, which the type would then leave as well).
                        let i = dest.0 as usize;
                        if declared[i].is_some() || shapes[i] == Shape::Bad {
                            continue;
                        }
                        let t = match rv {
                            Rvalue::Use(o) => self.operand_rty(&tys, o),
                            _ => self
                                .rvalue_rty(&tys, *b, *si, rv, &mut |_| Region::Unknown)
                                .map(Cow::Owned),
                        };
                        let Some(t) = t.filter(|t| t.is_known()) else {
                            continue;
                        };
                        if matches!(&shapes[i], Shape::Known(old) if old.same_shape(&t)) {
                            continue;
                        }
                        found.push((*dest, Some(t.into_owned())));
                    }
                    Source::Call(dest, t) if round == 0 => found.push((*dest, t.clone())),
                    _ => {}
                }
            }
            moved.iter_mut().for_each(|m| *m = false);
            let mut changed = false;
            for (l, t) in found.drain(..) {
                let i = l.0 as usize;
                // What is assigned from a value of unknown type says nothing of the local's.
                let (None, Some(t)) = (&declared[i], t.filter(RTy::is_known)) else {
                    continue;
                };
                let new = match &shapes[i] {
                    Shape::Bad => continue,
                    Shape::Known(old) if old.same_shape(&t) => continue,
                    Shape::Known(_) => Shape::Bad,
                    Shape::Unset if agrees(self.cx.index, &t, &body.locals[i].ty) => {
                        Shape::Known(t)
                    }
                    Shape::Unset => Shape::Bad,
                };
                tys[i] = known(&new);
                shapes[i] = new;
                moved[i] = true;
                changed = true;
            }
            if !changed {
                return Some(
                    shapes
                        .into_iter()
                        .zip(declared)
                        .enumerate()
                        .map(|(i, (s, d))| match (s, d) {
                            (Shape::Bad, _) => None,
                            (_, Some(d)) => Some(d),
                            (Shape::Known(t), None) if self.external_local(i) => {
                                Some(t.map_regions(&mut |_| g.fresh_external()))
                            }
                            (Shape::Known(t), None) => Some(t.map_regions(&mut |_| g.fresh())),
                            _ => None,
                        })
                        .collect(),
                );
            }
        }
        None
    }

    /// The type of a place, from its local's: borrowed from `tys` as far as the place goes
    /// through references, boxes and elements (most places are a local, or a deref of one), made
    /// anew from a field on.
    fn place_rty<'t>(&self, tys: &'t [Option<RTy>], p: &Place) -> Option<Cow<'t, RTy>> {
        self.proj_rty(tys, p.local, &p.proj)
    }

    /// `place_rty` of `local` projected by `proj`.
    fn proj_rty<'t>(
        &self,
        tys: &'t [Option<RTy>],
        local: Local,
        proj: &[Proj],
    ) -> Option<Cow<'t, RTy>> {
        let mut t = Cow::Borrowed(tys.get(local.0 as usize)?.as_ref()?);
        let mut variant: Option<&Name> = None;
        for proj in proj {
            t = match proj {
                Proj::Deref => match t {
                    Cow::Borrowed(t) => Cow::Borrowed(t.deref()?),
                    Cow::Owned(t) => Cow::Owned(t.deref()?.clone()),
                },
                Proj::Field(f) => {
                    let ft = self.field(&t, variant, f)?;
                    variant = None;
                    Cow::Owned(ft)
                }
                Proj::Downcast(v) => {
                    variant = Some(v);
                    continue;
                }
                Proj::Index | Proj::ConstIndex { .. } => match t {
                    Cow::Borrowed(t) => Cow::Borrowed(t.element()?),
                    Cow::Owned(t) => Cow::Owned(t.element()?.clone()),
                },
                Proj::Subslice | Proj::Range { .. } => return None,
            };
            if variant.is_some() {
                return None;
            }
        }
        variant.is_none().then_some(t)
    }

    fn operand_rty<'t>(&self, tys: &'t [Option<RTy>], o: &Operand) -> Option<Cow<'t, RTy>> {
        self.place_rty(tys, o.place()?)
    }

    /// The type of what an rvalue builds; `fresh` gives the regions it creates (a loan's, an
    /// inferred lifetime argument's).
    fn rvalue_rty(
        &self,
        tys: &[Option<RTy>],
        b: usize,
        si: usize,
        rv: &Rvalue,
        fresh: &mut dyn FnMut(()) -> Region,
    ) -> Option<RTy> {
        match rv {
            Rvalue::Use(o) => self.operand_rty(tys, o).map(Cow::into_owned),
            Rvalue::Ref(kind, p) => {
                let m = match kind {
                    BorrowKind::Shared | BorrowKind::Fake(_) => Mutability::Not,
                    BorrowKind::Mut { .. } | BorrowKind::Unique => Mutability::Mut,
                };
                let inner = self
                    .place_rty(tys, p)
                    .map_or(RTy::Opaque(Vec::new()), Cow::into_owned);
                Some(RTy::Ref(fresh(()), m, Box::new(inner)))
            }
            Rvalue::Aggregate(ops) => match self.aggregates.get(&(b, si))? {
                AggregateKind::Wrap(name) => {
                    let t = self.operand_rty(tys, ops.first()?)?;
                    Some(RTy::Adt {
                        name: name.clone(),
                        regions: Vec::new(),
                        args: vec![t.map_regions(&mut |_| fresh(()))],
                    })
                }
                AggregateKind::Tuple => Some(RTy::Tuple(
                    ops.iter()
                        .map(|o| self.operand_rty(tys, o).map(Cow::into_owned))
                        .collect::<Option<Vec<_>>>()?,
                )),
                AggregateKind::Adt {
                    name,
                    regions,
                    args,
                    ..
                } => {
                    let n = self.cx.index.adt_template(name)?.lifetimes.len();
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
            Rvalue::Opaque(..) => None,
        }
    }

    /// A borrow `&p` (or `&mut p`): a fresh region for the loan, which the references `p` is
    /// read through outlive, up to the first shared one (rustc's reborrow constraints).
    fn borrow(
        &self,
        tys: &[Option<RTy>],
        p: &Place,
        m: Mutability,
        span: Span,
        g: &mut Graph,
    ) -> RTy {
        let inner = self
            .place_rty(tys, p)
            .map_or(RTy::Opaque(Vec::new()), Cow::into_owned);
        let loan = g.fresh();
        for i in (0..p.proj.len()).rev() {
            if p.proj[i] != Proj::Deref {
                continue;
            }
            match self.proj_rty(tys, p.local, &p.proj[..i]).as_deref() {
                Some(RTy::Ref(r, m, _)) => {
                    g.edge(*r, loan, Blame::Boring, span);
                    if *m == Mutability::Not {
                        break;
                    }
                }
                Some(RTy::Adt { name, .. }) if &**name == "Box" => {}
                _ => break,
            }
        }
        RTy::Ref(loan, m, Box::new(inner))
    }

    /// In a closure, whether the regions of local `i`'s type are its defining function's: a
    /// captured variable's, the return place's (its type is inferred outside).
    fn external_local(&self, i: usize) -> bool {
        self.br.closure
            && matches!(
                self.cx.body.locals[i].kind,
                LocalKind::Upvar | LocalKind::Return
            )
    }

    /// What rustc blames for a value stored into `dest`.
    fn blame_of(&self, dest: &Place) -> Blame {
        if !dest.proj.is_empty() {
            return Blame::Assignment;
        }
        match self.cx.body.local(dest.local).kind {
            LocalKind::Return => Blame::Return,
            // A captured variable is assigned through the closure's reference to it.
            LocalKind::User | LocalKind::Arg | LocalKind::Upvar => Blame::Assignment,
            _ => Blame::Boring,
        }
    }

    /// The constraints of the body's statements and calls.
    fn constraints(&self, tys: &[Option<RTy>], g: &mut Graph) {
        let body = self.cx.body;
        let reachable: Vec<usize> = self.reachable_blocks().collect();
        for b in reachable {
            let block = &body.blocks[b];
            for (si, s) in block.stmts.iter().enumerate() {
                if let StatementKind::Assign(dest, rv) = &s.kind {
                    self.assignment(tys, b, si, s, dest, rv, g);
                }
            }
            if let Terminator::Call {
                args, dest, span, ..
            } = &block.term
            {
                if let Some(sig) = self.calls.get(&b) {
                    self.call(tys, sig, args, dest, *span, g);
                }
            }
        }
    }

    /// The constraints of `dest = rv`, statement `si` of block `b`.
    #[allow(clippy::too_many_arguments)]
    fn assignment(
        &self,
        tys: &[Option<RTy>],
        b: usize,
        si: usize,
        s: &Statement,
        dest: &Place,
        rv: &Rvalue,
        g: &mut Graph,
    ) {
        let implicit = self.implicit_reborrows.contains(&(b, si));
        if s.uncertain && !self.reborrows.contains(&(b, si)) && !implicit {
            return;
        }
        let Some(dest_ty) = self.place_rty(tys, dest) else {
            return;
        };
        let blame = self.blame_of(dest);
        match rv {
            Rvalue::Use(o) if implicit => {
                // `&*p` for the shared reference the return type wants.
                if let (Some(p), RTy::Ref(_, Mutability::Not, _)) = (o.place(), &*dest_ty) {
                    let t = self.borrow(tys, &p.deref(), Mutability::Not, s.span, g);
                    self.relate(g, &t, &dest_ty, blame, s.span);
                }
            }
            Rvalue::Use(o) => {
                if let Some(t) = self.operand_rty(tys, o) {
                    self.relate(g, &t, &dest_ty, blame, s.span);
                }
            }
            Rvalue::Ref(kind, p) => {
                let m = match kind {
                    BorrowKind::Shared | BorrowKind::Fake(_) => Mutability::Not,
                    BorrowKind::Mut { .. } | BorrowKind::Unique => Mutability::Mut,
                };
                let t = self.borrow(tys, p, m, s.span, g);
                self.relate(g, &t, &dest_ty, blame, s.span);
            }
            Rvalue::Aggregate(ops) => {
                let Some(&kind) = self.aggregates.get(&(b, si)) else {
                    return;
                };
                if let (AggregateKind::Tuple, RTy::Tuple(parts)) = (kind, &*dest_ty) {
                    // Part by part: a constant part (of no region that matters) need not be
                    // typed.
                    if parts.len() == ops.len() {
                        for (o, part) in ops.iter().zip(parts) {
                            if let Some(t) = self.operand_rty(tys, o) {
                                self.relate(g, &t, part, blame, s.span);
                            }
                        }
                    }
                    return;
                }
                let Some(t) = self.rvalue_rty(tys, b, si, rv, &mut |_| g.fresh()) else {
                    return;
                };
                match (kind, &t, ops.first().and_then(|o| self.operand_rty(tys, o))) {
                    (
                        AggregateKind::Adt {
                            variant, fields, ..
                        },
                        ..,
                    ) => self.adt_parts(tys, &t, variant.as_ref(), fields, ops, s.span, g),
                    // `Box::new(x)`: `x` is the argument of a call.
                    (AggregateKind::Wrap(_), RTy::Adt { args, .. }, Some(ot)) => {
                        if let Some(inner) = args.first() {
                            self.relate(g, &ot, inner, Blame::CallArgument, s.span);
                        }
                    }
                    _ => {}
                }
                self.relate(g, &t, &dest_ty, blame, s.span);
            }
            Rvalue::Opaque(..) => {}
        }
    }

    /// A struct built from `ops` for `fields`: each stored into its field (rustc blames "this
    /// usage", at the operand), and the struct's bounds between lifetimes hold of its
    /// arguments (the type built must be well-formed).
    #[allow(clippy::too_many_arguments)]
    fn adt_parts(
        &self,
        tys: &[Option<RTy>],
        t: &RTy,
        variant: Option<&Name>,
        fields: &[FieldName],
        ops: &[Operand],
        span: Span,
        g: &mut Graph,
    ) {
        let body = self.cx.body;
        for (o, f) in ops.iter().zip(fields) {
            let (Some(ot), Some(ft)) = (self.operand_rty(tys, o), self.field(t, variant, f)) else {
                continue;
            };
            let at = o
                .place()
                .filter(|p| p.proj.is_empty())
                .map(|p| body.local(p.local))
                .filter(|d| d.kind == LocalKind::Temp)
                .map_or(span, |d| d.span);
            self.relate(g, &ot, &ft, Blame::Usage, at);
        }
        let RTy::Adt { name, regions, .. } = t else {
            return;
        };
        let Some(adt) = self.cx.index.adt_template(name) else {
            return;
        };
        for &(a, b) in &adt.lifetime_bounds {
            let at = |r: Region| match r {
                Region::Param(i) => regions.get(i as usize).copied().unwrap_or(Region::Unknown),
                r => r,
            };
            g.edge(at(a), at(b), Blame::Boring, span);
        }
    }

    /// The constraints of a call of a known signature: each argument stored into its
    /// parameter, the callee's bounds, its result stored into `dest`.
    fn call(
        &self,
        tys: &[Option<RTy>],
        sig: &CalleeSig,
        args: &[Operand],
        dest: &Place,
        span: Span,
        g: &mut Graph,
    ) {
        if sig.params.len() != args.len() {
            return;
        }
        let inst: Vec<Region> = (0..sig.n_regions).map(|_| g.fresh()).collect();
        for (a, p) in args.iter().zip(&sig.params) {
            if let Some(t) = self.operand_rty(tys, a) {
                self.relate(g, &t, &p.subst(&inst, &[]), Blame::CallArgument, span);
            }
        }
        // `x: T` with `T: 'static`: the argument is stored as the type parameter's value (the
        // call's argument), whose regions the bound requires to be `'static` (a predicate).
        for &i in &sig.static_params {
            let Some(t) = args.get(i).and_then(|a| self.operand_rty(tys, a)) else {
                continue;
            };
            let mut rs = Vec::new();
            t.regions(&mut rs);
            for r in rs {
                let v = g.fresh();
                g.edge(r, v, Blame::CallArgument, span);
                g.edge(v, Region::Static, Blame::Predicate, span);
            }
        }
        let at = |r: Region| match r {
            Region::Param(i) => inst.get(i as usize).copied().unwrap_or(Region::Unknown),
            r => r,
        };
        for &(a, b) in &sig.bounds {
            g.edge(at(a), at(b), Blame::Predicate, span);
        }
        if let Some(dest_ty) = self.place_rty(tys, dest) {
            self.relate(
                g,
                &sig.ret.subst(&inst, &[]),
                &dest_ty,
                self.blame_of(dest),
                span,
            );
        }
    }
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

impl Check<'_, '_> {
    /// A closure's errors, as rustc's `check_universal_region` finds them for each region of
    /// the closure's own: the first region it must outlive and is not known to, in rustc's
    /// order (`'static`, the external ones, its own; within a cycle of regions, only the cycle's
    /// first). An external region that must outlive another is a requirement on the defining
    /// function (rustc propagates it there): nothing is reported for it here.
    fn report_closure(
        &self,
        g: &Graph,
        tys: &[Option<RTy>],
        known: &[Vec<bool>],
        errors: &mut Vec<BorrowError>,
    ) {
        let first_var = g.first_var;
        let own = |i: usize| (1..first_var).contains(&i) && !g.external[i];
        let order: Vec<usize> = std::iter::once(0)
            .chain((1..g.out.len()).filter(|&i| g.external[i]))
            .chain((1..first_var).filter(|&i| own(i)))
            .collect();
        let knows = |u: usize, s: usize| s < first_var && known[u][s];
        let mut numbered: Vec<usize> = Vec::new();
        for u in (1..first_var).filter(|&u| own(u)) {
            let from_u = reachable(g, u);
            let rep = order
                .iter()
                .copied()
                .find(|&w| w == u || (from_u[w] && reachable(g, w)[u]))
                .unwrap_or(u);
            let shorter = if rep != u {
                (!knows(u, rep)).then_some(rep)
            } else {
                order
                    .iter()
                    .copied()
                    .find(|&s| s != u && from_u[s] && !knows(u, s))
            };
            let Some(s) = shorter else { continue };
            let Some((span, blame)) = blame(g, u, s) else {
                continue;
            };
            let mut name = |i: usize| self.region_name(i, &mut numbered);
            let (longer, shorter_name) = (name(u), name(s));
            let escapes = s == 0 || g.external[s];
            let param = self.variable_of(g, tys, u);
            let outer = self.variable_of(g, tys, s);
            let kind = if escapes
                && matches!(blame, Blame::Assignment | Blame::CallArgument)
                && (param.is_some() || outer.is_some())
            {
                ErrorKind::EscapesBody {
                    escapes_from: self.br.fn_kind,
                    param: param.and_then(|(n, sp)| Some((n?, sp))),
                    outer: outer.and_then(|(n, sp)| Some((n?, sp))),
                    longer,
                    shorter: shorter_name,
                    blame,
                    // An external variable is a region the defining function infers.
                    explained: s < first_var,
                }
            } else {
                ErrorKind::RegionOutlives {
                    longer,
                    shorter: shorter_name,
                    blame,
                    fn_kind: self.br.fn_kind,
                    bounds: None,
                }
            };
            errors.push(BorrowError { span, kind });
        }
    }

    /// How rustc names the region of node `i` in an error: its lifetime's name, `'static`, or
    /// the next number (in the order the body's errors mention them).
    fn region_name(&self, i: usize, numbered: &mut Vec<usize>) -> Name {
        if i == 0 {
            return "static".into();
        }
        if let Some(n) = self.br.universals.get(i - 1).and_then(|u| u.name.clone()) {
            return n;
        }
        let k = match numbered.iter().position(|&x| x == i) {
            Some(k) => k,
            None => {
                numbered.push(i);
                numbered.len() - 1
            }
        };
        (k + 1).to_string().into()
    }

    /// The variable whose type holds the region of node `r` (rustc's
    /// `get_var_name_and_span_for_region`): a captured variable first, else a parameter, with
    /// its name (`None` for a pattern) and where it is declared.
    fn variable_of(
        &self,
        g: &Graph,
        tys: &[Option<RTy>],
        r: usize,
    ) -> Option<(Option<Name>, Span)> {
        let body = self.cx.body;
        let holds = |i: usize| {
            let mut rs = Vec::new();
            if let Some(t) = &tys[i] {
                t.regions(&mut rs);
            }
            rs.into_iter().any(|x| g.node(x) == Some(r))
        };
        [LocalKind::Upvar, LocalKind::Arg].iter().find_map(|&kind| {
            (0..body.locals.len())
                .find(|&i| body.locals[i].kind == kind && holds(i))
                .map(|i| (body.locals[i].name.clone(), body.locals[i].span))
        })
    }
}
