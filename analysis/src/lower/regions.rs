//! The regions of what a function writes, for "lifetime may not live long enough": its
//! universal regions (the lifetimes its caller chooses, in rustc's order) and what its
//! signature says of them (declared bounds, implied bounds of its types, elision), the types of
//! annotated `let`s, what its aggregates build, the signatures of its callees.
//!
//! A signature that holds something whose lifetimes are not followed (a fn pointer, a trait
//! object with arguments, an unknown lifetime) leaves `Body::regions` empty: nothing is checked.

use super::Lower;
use crate::ast::{self, FieldName, FnDef, Name, Span};
use crate::index::{self, Index, WrittenSig};
use crate::mir::*;
use crate::ty::regions::{implied_bounds, RTy, Region, Written};

/// What the lowering keeps of a function's universal regions to name them in its body.
#[derive(Default)]
pub(super) struct RegionScope {
    /// Each named lifetime in scope with its universal region.
    names: Vec<(Name, Region)>,
    /// The impl's self type, with its regions.
    pub(super) self_ty: Option<RTy>,
    /// The type parameters in scope (the function's and the impl's).
    type_params: Vec<Name>,
}

/// The regions of `def`'s signature: the body's regions with the declared types of the return
/// place (local 0) and of the arguments (locals `1..`, `self` first), and the scope that names
/// them. `None` when the signature is not followed.
pub(super) fn signature_regions(
    def: &FnDef,
    container: &ast::Container,
    index: &Index,
) -> Option<(BodyRegions, RegionScope)> {
    let (g, ig) = (&def.generics, &container.impl_generics);
    // A trait's default method: `Self` is a parameter whose bounds we do not follow.
    if container.trait_name.is_some()
        || g.unknown_lifetime_relations
        || ig.unknown_lifetime_relations
    {
        return None;
    }
    let type_params: Vec<Name> = g
        .types
        .iter()
        .chain(&ig.types)
        .map(|(n, _)| n.clone())
        .collect();
    let mut universals: Vec<Universal> = Vec::new();
    let mut names: Vec<(Name, Region)> = Vec::new();
    let mut unnamed = false;
    let mut lossy = false;
    let named = |universals: &mut Vec<Universal>, names: &mut Vec<(Name, Region)>, l: &Name| {
        names.push((l.clone(), Region::Param(universals.len() as u32)));
        universals.push(Universal {
            name: Some(l.clone()),
            of_param: false,
            external: false,
        });
    };
    for l in &ig.lifetimes {
        named(&mut universals, &mut names, l);
    }
    // The anonymous lifetimes of the impl's self type are the impl's parameters.
    let self_ty = container.impl_self.as_ref().map(|t| {
        let w = Written {
            index,
            self_ty: None,
            type_params: &type_params,
        };
        let mut region = |l: Option<&Name>| match l {
            Some(l) => lookup(&names, l).unwrap_or_else(|| {
                unnamed = true;
                Region::Unknown
            }),
            None => anonymous(&mut universals),
        };
        w.convert(t, &mut region, &mut lossy)
    });
    // The function's own: early-bound first (in bounds, or not constrained by the
    // parameters), then late-bound, each in declaration order.
    let mut in_params: Vec<Name> = Vec::new();
    for p in &def.params {
        index::lifetimes_named(&p.ty, &mut in_params);
    }
    match &def.self_param {
        Some(ast::SelfParam::Ref {
            lifetime: Some(l), ..
        }) => in_params.push(l.clone()),
        Some(ast::SelfParam::Typed { ty, .. }) => index::lifetimes_named(ty, &mut in_params),
        _ => {}
    }
    let in_bounds = |l: &Name| {
        g.lifetime_bounds.iter().any(|(a, b)| a == l || b == l)
            || g.types
                .iter()
                .any(|(_, bs)| bs.iter().any(|b| b.strip_prefix('\'') == Some(&**l)))
    };
    let early = |l: &Name| in_bounds(l) || !in_params.contains(l);
    for l in g.lifetimes.iter().filter(|l| early(l)) {
        named(&mut universals, &mut names, l);
    }
    for l in g.lifetimes.iter().filter(|l| !early(l)) {
        named(&mut universals, &mut names, l);
    }
    // The parameters: each elided lifetime is an anonymous universal region.
    let w = Written {
        index,
        self_ty: self_ty.as_ref(),
        type_params: &type_params,
    };
    let mut inputs: Vec<RTy> = Vec::new();
    let mut self_ref: Option<Region> = None;
    let mut first_param = universals.len();
    {
        let mut region = |l: Option<&Name>| match l {
            Some(l) => lookup(&names, l).unwrap_or_else(|| {
                unnamed = true;
                Region::Unknown
            }),
            None => anonymous(&mut universals),
        };
        if let Some(sp) = &def.self_param {
            let t = match sp {
                ast::SelfParam::Value { .. } => self_ty.clone().unwrap_or_else(|| {
                    lossy = true;
                    RTy::Opaque(Vec::new())
                }),
                ast::SelfParam::Ref {
                    mutability,
                    lifetime,
                    ..
                } => {
                    let r = match lifetime.as_deref() {
                        Some("static") => Region::Static,
                        Some("_") | None => region(None),
                        Some(_) => region(lifetime.as_ref()),
                    };
                    self_ref = Some(r);
                    let inner = self_ty.clone().unwrap_or_else(|| {
                        lossy = true;
                        RTy::Opaque(Vec::new())
                    });
                    RTy::Ref(r, *mutability, Box::new(inner))
                }
                ast::SelfParam::Typed { ty, .. } => {
                    let t = w.convert(ty, &mut region, &mut lossy);
                    if let (ast::Type::Ref { .. }, RTy::Ref(r, ..)) = (ty, &t) {
                        self_ref = Some(*r);
                    }
                    t
                }
            };
            let mut rs = Vec::new();
            t.regions(&mut rs);
            first_param += rs
                .iter()
                .filter(|r| matches!(r, Region::Param(i) if *i as usize >= first_param))
                .count();
            inputs.push(t);
        }
        for p in &def.params {
            inputs.push(w.convert(&p.ty, &mut region, &mut lossy));
        }
    }
    for u in &mut universals[first_param..] {
        u.of_param = true;
    }
    // The return type: an elided lifetime is `&self`'s, else the only lifetime of the inputs.
    let elided = self_ref.or_else(|| {
        let mut rs = Vec::new();
        let written_inputs = match &def.self_param {
            Some(ast::SelfParam::Value { .. }) => &inputs[1..],
            _ => &inputs[..],
        };
        written_inputs.iter().for_each(|t| t.regions(&mut rs));
        rs.sort();
        rs.dedup();
        (rs.len() == 1).then(|| rs[0])
    });
    let ret = match &def.ret {
        None => RTy::unit(),
        Some(t) => {
            let mut region = |l: Option<&Name>| match l {
                Some(l) => lookup(&names, l).unwrap_or_else(|| {
                    unnamed = true;
                    Region::Unknown
                }),
                None => elided.unwrap_or(Region::Unknown),
            };
            w.convert(t, &mut region, &mut lossy)
        }
    };
    if lossy || unnamed {
        return None;
    }
    // What is known: the declared bounds, what the signature's types imply, `'static`.
    let mut pairs: Vec<(Region, Region)> = Vec::new();
    for (a, b) in g.lifetime_bounds.iter().chain(&ig.lifetime_bounds) {
        let region = |l: &Name| match &**l {
            "static" => Some(Region::Static),
            _ => lookup(&names, l),
        };
        pairs.push((region(a)?, region(b)?));
    }
    for t in inputs.iter().chain([&ret]).chain(self_ty.as_ref()) {
        implied_bounds(index, t, &mut pairs);
    }
    let known = transitive(universals.len(), &pairs);
    let fn_kind = if def.self_param.is_some() {
        "method"
    } else if container.impl_self.is_some() {
        "associated function"
    } else {
        "function"
    };
    let mut local_tys = vec![(Local(0), ret, None)];
    for (i, t) in inputs.into_iter().enumerate() {
        local_tys.push((Local(i as u32 + 1), t, None));
    }
    let regions = BodyRegions {
        universals,
        known,
        local_tys,
        fn_kind,
        in_trait_impl: container.impl_trait.is_some(),
        ..BodyRegions::default()
    };
    Some((
        regions,
        RegionScope {
            names,
            self_ty,
            type_params,
        },
    ))
}

fn lookup(names: &[(Name, Region)], l: &Name) -> Option<Region> {
    if &**l == "static" {
        return Some(Region::Static);
    }
    names.iter().find(|(n, _)| n == l).map(|(_, r)| *r)
}

fn anonymous(universals: &mut Vec<Universal>) -> Region {
    universals.push(Universal {
        name: None,
        of_param: false,
        external: false,
    });
    Region::Param(universals.len() as u32 - 1)
}

/// The transitive closure of `pairs` over `'static` and `n` universal regions, as the pairs
/// between distinct regions (`'static`'s own left out: it outlives all).
pub(super) fn transitive(n: usize, pairs: &[(Region, Region)]) -> Vec<(Region, Region)> {
    let idx = |r: Region| match r {
        Region::Static => Some(0),
        Region::Param(i) if (i as usize) < n => Some(i as usize + 1),
        _ => None,
    };
    let m = n + 1;
    let mut rel = vec![vec![false; m]; m];
    for (i, row) in rel.iter_mut().enumerate() {
        row[i] = true;
        row[0] |= i == 0;
    }
    rel[0].iter_mut().for_each(|x| *x = true);
    for &(a, b) in pairs {
        if let (Some(a), Some(b)) = (idx(a), idx(b)) {
            rel[a][b] = true;
        }
    }
    for k in 0..m {
        for i in 0..m {
            if rel[i][k] {
                for j in 0..m {
                    if rel[k][j] {
                        rel[i][j] = true;
                    }
                }
            }
        }
    }
    let region = |i: usize| match i {
        0 => Region::Static,
        i => Region::Param(i as u32 - 1),
    };
    let mut out = Vec::new();
    for (i, row) in rel.iter().enumerate().skip(1) {
        for (j, &x) in row.iter().enumerate() {
            if x && i != j {
                out.push((region(i), region(j)));
            }
        }
    }
    out
}

impl Lower<'_> {
    /// A written type of the body (a `let`'s annotation) with its regions: a named lifetime is
    /// the universal region of that name, an elided one (or `'_`) a fresh inference variable.
    fn body_rty(&mut self, t: &ast::Type) -> Option<RTy> {
        let scope = &self.region_scope;
        let regions = self.body.regions.as_mut()?;
        let w = Written {
            index: self.index,
            self_ty: scope.self_ty.as_ref(),
            type_params: &scope.type_params,
        };
        let mut region = |l: Option<&Name>| match l {
            Some(l) => lookup(&scope.names, l).unwrap_or(Region::Unknown),
            None => {
                regions.n_vars += 1;
                Region::Var(regions.n_vars - 1)
            }
        };
        let mut lossy = false;
        Some(w.convert(t, &mut region, &mut lossy))
    }

    /// A `let`'s annotation (at `span`): its type with regions, which must be well-formed.
    pub(super) fn annotation(&mut self, t: &ast::Type, span: Span) -> Option<RTy> {
        let rty = self.body_rty(t)?;
        self.body.regions.as_mut()?.wf.push((rty.clone(), span));
        Some(rty)
    }

    /// `let l: T = ..`: the local's type is the annotation's (`T`'s, written at `span`).
    pub(super) fn annotate_local(&mut self, l: Local, t: &RTy, span: Span) {
        if let Some(regions) = self.body.regions.as_mut() {
            regions.local_tys.push((l, t.clone(), Some(span)));
        }
    }

    /// Records what the aggregate assigned last (in the current block) builds.
    pub(super) fn record_aggregate(&mut self, kind: AggregateKind) {
        let b = self.cur;
        let n = self.body.blocks[b.0 as usize].stmts.len();
        if let (Some(regions), Some(last)) = (self.body.regions.as_mut(), n.checked_sub(1)) {
            regions.aggregates.push((b, last as u32, kind));
        }
    }

    /// The statement pushed last (in the current block) is uncertain only in whether it moves
    /// or reborrows a `&mut`.
    pub(super) fn record_reborrow(&mut self) {
        let b = self.cur;
        let n = self.body.blocks[b.0 as usize].stmts.len();
        if let (Some(regions), Some(last)) = (self.body.regions.as_mut(), n.checked_sub(1)) {
            regions.reborrows.push((b, last as u32));
        }
    }

    /// The statement pushed last (in the current block) returns a `&mut` read from behind a
    /// reference: rustc reborrows it (`&*p`) for the reference the return type expects.
    pub(super) fn record_implicit_reborrow(&mut self) {
        let b = self.cur;
        let n = self.body.blocks[b.0 as usize].stmts.len();
        if let (Some(regions), Some(last)) = (self.body.regions.as_mut(), n.checked_sub(1)) {
            regions.implicit_reborrows.push((b, last as u32));
        }
    }

    /// Whether `p` is read through a reference (a deref of a `&` or `&mut`, not of a `Box`).
    pub(super) fn behind_reference(&self, p: &Place) -> bool {
        (0..p.proj.len()).any(|i| {
            p.proj[i] == Proj::Deref
                && matches!(
                    self.place_ty(&Place {
                        local: p.local,
                        proj: p.proj[..i].to_vec(),
                    }),
                    crate::ty::Ty::Ref(..)
                )
        })
    }

    /// What `Path { fields }` (or `Path(..)`) builds, for the crate's structs: its lifetime
    /// arguments are inferred, or `Self`'s. `None` for a struct whose type arguments would have
    /// to be inferred.
    pub(super) fn struct_aggregate(
        &self,
        path: &[Name],
        fields: Vec<FieldName>,
    ) -> Option<AggregateKind> {
        self.body.regions.as_ref()?;
        let last = path.last()?;
        if path.len() == 1 && &**last == "Self" {
            let Some(RTy::Adt {
                name,
                regions,
                args,
            }) = &self.region_scope.self_ty
            else {
                return None;
            };
            let adt = self.index.adt(name)?;
            if adt.is_enum {
                return None;
            }
            return Some(AggregateKind::Adt {
                name: name.clone(),
                variant: None,
                fields,
                regions: Some(regions.clone()),
                args: args.clone(),
            });
        }
        if path.len() != 1 {
            return None;
        }
        let adt = self.index.adt(last)?;
        if adt.is_enum || !adt.params.is_empty() || adt.opaque {
            return None;
        }
        Some(AggregateKind::Adt {
            name: last.clone(),
            variant: None,
            fields,
            regions: None,
            args: Vec::new(),
        })
    }

    /// The block that the call lowered next will end.
    pub(super) fn record_callee(&mut self, sig: &WrittenSig) {
        if self.body.regions.is_none() {
            return;
        }
        if let Some(c) = callee_sig(sig, self.index) {
            let b = self.cur;
            if let Some(regions) = self.body.regions.as_mut() {
                regions.calls.push((b, c));
            }
        }
    }
}

/// A callee's signature with its lifetimes as `Region::Param`s (the impl's, then its own, then
/// its anonymous ones). `None` when not followed.
fn callee_sig(sig: &WrittenSig, index: &Index) -> Option<CalleeSig> {
    let (g, ig) = (&sig.generics, &sig.impl_generics);
    if g.unknown_lifetime_relations || ig.unknown_lifetime_relations {
        return None;
    }
    let type_params: Vec<Name> = g
        .types
        .iter()
        .chain(&ig.types)
        .map(|(n, _)| n.clone())
        .collect();
    let mut names: Vec<(Name, Region)> = Vec::new();
    let mut n: u32 = 0;
    for l in ig.lifetimes.iter().chain(&g.lifetimes) {
        names.push((l.clone(), Region::Param(n)));
        n += 1;
    }
    let mut lossy = false;
    let mut unnamed = false;
    let fresh = |n: &mut u32| {
        *n += 1;
        Region::Param(*n - 1)
    };
    let self_ty = sig.impl_self.as_ref().map(|t| {
        let w = Written {
            index,
            self_ty: None,
            type_params: &type_params,
        };
        let mut region = |l: Option<&Name>| match l {
            Some(l) => lookup(&names, l).unwrap_or_else(|| {
                unnamed = true;
                Region::Unknown
            }),
            None => fresh(&mut n),
        };
        w.convert(t, &mut region, &mut lossy)
    });
    let w = Written {
        index,
        self_ty: self_ty.as_ref(),
        type_params: &type_params,
    };
    let mut params = Vec::new();
    let mut self_ref = None;
    {
        let mut region = |l: Option<&Name>| match l {
            Some(l) => lookup(&names, l).unwrap_or_else(|| {
                unnamed = true;
                Region::Unknown
            }),
            None => fresh(&mut n),
        };
        if let Some(r) = &sig.receiver {
            let t = w.convert(r, &mut region, &mut lossy);
            if let (ast::Type::Ref { .. }, RTy::Ref(r, ..)) = (r, &t) {
                self_ref = Some(*r);
            }
            params.push(t);
        }
        for p in &sig.params {
            params.push(w.convert(p, &mut region, &mut lossy));
        }
    }
    let elided = self_ref.or_else(|| {
        let mut rs = Vec::new();
        let by_value_self = matches!(&sig.receiver, Some(ast::Type::Path { .. }));
        params[usize::from(by_value_self)..]
            .iter()
            .for_each(|t| t.regions(&mut rs));
        rs.sort();
        rs.dedup();
        (rs.len() == 1).then(|| rs[0])
    });
    let ret = match &sig.ret {
        None => RTy::unit(),
        Some(t) => {
            let mut region = |l: Option<&Name>| match l {
                Some(l) => lookup(&names, l).unwrap_or_else(|| {
                    unnamed = true;
                    Region::Unknown
                }),
                None => elided.unwrap_or(Region::Unknown),
            };
            w.convert(t, &mut region, &mut lossy)
        }
    };
    if lossy || unnamed {
        return None;
    }
    let mut bounds = Vec::new();
    for (a, b) in g.lifetime_bounds.iter().chain(&ig.lifetime_bounds) {
        bounds.push((lookup(&names, a)?, lookup(&names, b)?));
    }
    // A path to an inherent impl's function names its self type, which must be well-formed:
    // the type's bounds between lifetimes hold of the impl's arguments.
    if let (false, Some(RTy::Adt { name, regions, .. })) = (sig.trait_impl, &self_ty) {
        if let Some(adt) = index.adt_template(name) {
            let at = |r: Region| match r {
                Region::Param(i) => regions.get(i as usize).copied().unwrap_or(Region::Unknown),
                r => r,
            };
            bounds.extend(adt.lifetime_bounds.iter().map(|&(a, b)| (at(a), at(b))));
        }
    }
    let static_params = params
        .iter()
        .enumerate()
        .filter(|(_, t)| match t {
            RTy::Param(name) => g
                .types
                .iter()
                .chain(&ig.types)
                .any(|(n, bs)| n == name && bs.iter().any(|b| b.trim() == "'static")),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect();
    Some(CalleeSig {
        n_regions: n,
        params,
        ret,
        bounds,
        static_params,
    })
}
