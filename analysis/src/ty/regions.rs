//! Types with their regions, for "lifetime may not live long enough": which lifetime sits at
//! which position of a type (the parts of a tuple, the lifetime arguments of a struct, what a
//! reference points to), the type of a field with the struct's lifetime arguments, how a type
//! follows its arguments (variance), and what a well-formed type implies of its lifetimes
//! (implied bounds).
//!
//! What is not known says so: an `Opaque` type equals no other, so no constraint relates its
//! regions; what a type we do not follow implies is taken as everything (its lifetimes outlive
//! one another). The checker then reports less, never more.

use crate::ast::{self, FieldName, Mutability, Name, PRIMS};
use crate::index::Index;

/// A region of a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Region {
    Static,
    /// The context's `i`-th lifetime: a body's universal region, a type's or a callee's
    /// lifetime parameter.
    Param(u32),
    /// An inference variable of a body.
    Var(u32),
    /// A region not named here (an elision not resolved, one bound by `for<'x>`).
    Unknown,
}

/// A type with its regions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RTy {
    Ref(Region, Mutability, Box<RTy>),
    Tuple(Vec<RTy>),
    Array(Box<RTy>),
    Slice(Box<RTy>),
    /// A struct, enum or union of the crate, a std type, a primitive or `str`, with its lifetime
    /// and type arguments.
    Adt {
        name: Name,
        regions: Vec<Region>,
        args: Vec<RTy>,
    },
    /// A type parameter.
    Param(Name),
    /// A type not followed (an alias, a trait object, a foreign type, `impl Trait`, `!`), with
    /// the regions written in it.
    Opaque(Vec<Region>),
}

/// std types whose values follow their type arguments covariantly (and hold no lifetime
/// parameter of their own).
const STD_COVARIANT: &[&str] = &[
    "Vec",
    "VecDeque",
    "LinkedList",
    "Option",
    "Result",
    "Box",
    "Rc",
    "Arc",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "BinaryHeap",
    "String",
    "PhantomData",
];

/// std types whose values follow their type arguments invariantly (interior mutability).
const STD_INVARIANT: &[&str] = &["Cell", "RefCell", "UnsafeCell", "Mutex", "RwLock"];

/// The variances of a type's lifetime parameters and of its type parameters.
pub type Variances = (Vec<Variance>, Vec<Variance>);

/// How a type follows one of its parameters: a value of `F<'long>` is a `F<'short>` when
/// covariant; an invariant parameter must be equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variance {
    /// Not used: no constraint.
    Bivariant,
    Covariant,
    Invariant,
    /// Used in a way not followed (a fn pointer, a trait object): no constraint is known.
    Unknown,
}

impl Variance {
    fn join(self, other: Variance) -> Variance {
        use Variance::*;
        match (self, other) {
            (Unknown, _) | (_, Unknown) => Unknown,
            (Bivariant, v) | (v, Bivariant) => v,
            (Invariant, _) | (_, Invariant) => Invariant,
            (Covariant, Covariant) => Covariant,
        }
    }

    /// The variance of a position `other` inside a position of variance `self`.
    fn then(self, other: Variance) -> Variance {
        use Variance::*;
        match (self, other) {
            (Bivariant, _) | (_, Bivariant) => Bivariant,
            (Unknown, _) | (_, Unknown) => Unknown,
            (Invariant, _) | (_, Invariant) => Invariant,
            (Covariant, Covariant) => Covariant,
        }
    }
}

impl RTy {
    pub fn unit() -> RTy {
        RTy::Tuple(Vec::new())
    }

    /// Appends every region of the type.
    pub fn regions(&self, out: &mut Vec<Region>) {
        match self {
            RTy::Ref(r, _, inner) => {
                out.push(*r);
                inner.regions(out);
            }
            RTy::Tuple(ts) => ts.iter().for_each(|t| t.regions(out)),
            RTy::Array(t) | RTy::Slice(t) => t.regions(out),
            RTy::Adt { regions, args, .. } => {
                out.extend(regions.iter().copied());
                args.iter().for_each(|t| t.regions(out));
            }
            RTy::Param(_) => {}
            RTy::Opaque(rs) => out.extend(rs.iter().copied()),
        }
    }

    /// Whether the type is known throughout: no `Opaque` part.
    pub fn is_known(&self) -> bool {
        match self {
            RTy::Ref(_, _, inner) | RTy::Array(inner) | RTy::Slice(inner) => inner.is_known(),
            RTy::Tuple(ts) => ts.iter().all(RTy::is_known),
            RTy::Adt { args, .. } => args.iter().all(RTy::is_known),
            RTy::Param(_) => true,
            RTy::Opaque(_) => false,
        }
    }

    /// Whether two known types are the same type, regions aside.
    pub fn same_shape(&self, other: &RTy) -> bool {
        match (self, other) {
            (RTy::Ref(_, m1, a), RTy::Ref(_, m2, b)) => m1 == m2 && a.same_shape(b),
            (RTy::Tuple(a), RTy::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.same_shape(b))
            }
            (RTy::Array(a), RTy::Array(b)) | (RTy::Slice(a), RTy::Slice(b)) => a.same_shape(b),
            (
                RTy::Adt {
                    name: n1,
                    regions: r1,
                    args: a1,
                },
                RTy::Adt {
                    name: n2,
                    regions: r2,
                    args: a2,
                },
            ) => {
                n1 == n2
                    && r1.len() == r2.len()
                    && a1.len() == a2.len()
                    && a1.iter().zip(a2).all(|(a, b)| a.same_shape(b))
            }
            (RTy::Param(a), RTy::Param(b)) => a == b,
            _ => false,
        }
    }

    /// The type with every region replaced by `f`'s answer.
    pub fn map_regions(&self, f: &mut dyn FnMut(Region) -> Region) -> RTy {
        match self {
            RTy::Ref(r, m, inner) => RTy::Ref(f(*r), *m, Box::new(inner.map_regions(f))),
            RTy::Tuple(ts) => RTy::Tuple(ts.iter().map(|t| t.map_regions(f)).collect()),
            RTy::Array(t) => RTy::Array(Box::new(t.map_regions(f))),
            RTy::Slice(t) => RTy::Slice(Box::new(t.map_regions(f))),
            RTy::Adt {
                name,
                regions,
                args,
            } => RTy::Adt {
                name: name.clone(),
                regions: regions.iter().map(|r| f(*r)).collect(),
                args: args.iter().map(|t| t.map_regions(f)).collect(),
            },
            RTy::Param(n) => RTy::Param(n.clone()),
            RTy::Opaque(rs) => RTy::Opaque(rs.iter().map(|r| f(*r)).collect()),
        }
    }

    /// A template's instance: its `Param(i)` regions are `regions[i]`, its type parameters
    /// `types`' (by name); a type parameter not given is opaque.
    pub fn subst(&self, regions: &[Region], types: &[(Name, RTy)]) -> RTy {
        let region = |r: Region| match r {
            Region::Param(i) => regions.get(i as usize).copied().unwrap_or(Region::Unknown),
            r => r,
        };
        match self {
            RTy::Ref(r, m, inner) => {
                RTy::Ref(region(*r), *m, Box::new(inner.subst(regions, types)))
            }
            RTy::Tuple(ts) => RTy::Tuple(ts.iter().map(|t| t.subst(regions, types)).collect()),
            RTy::Array(t) => RTy::Array(Box::new(t.subst(regions, types))),
            RTy::Slice(t) => RTy::Slice(Box::new(t.subst(regions, types))),
            RTy::Adt {
                name,
                regions: rs,
                args,
            } => RTy::Adt {
                name: name.clone(),
                regions: rs.iter().map(|r| region(*r)).collect(),
                args: args.iter().map(|t| t.subst(regions, types)).collect(),
            },
            RTy::Param(n) => types
                .iter()
                .find(|(p, _)| p == n)
                .map_or(RTy::Opaque(Vec::new()), |(_, t)| t.clone()),
            RTy::Opaque(rs) => RTy::Opaque(rs.iter().map(|r| region(*r)).collect()),
        }
    }

    /// The type with its type parameters replaced by `types`' (by name; one not given is
    /// opaque), its regions kept.
    pub fn subst_types(&self, types: &[(Name, RTy)]) -> RTy {
        match self {
            RTy::Ref(r, m, inner) => RTy::Ref(*r, *m, Box::new(inner.subst_types(types))),
            RTy::Tuple(ts) => RTy::Tuple(ts.iter().map(|t| t.subst_types(types)).collect()),
            RTy::Array(t) => RTy::Array(Box::new(t.subst_types(types))),
            RTy::Slice(t) => RTy::Slice(Box::new(t.subst_types(types))),
            RTy::Adt {
                name,
                regions,
                args,
            } => RTy::Adt {
                name: name.clone(),
                regions: regions.clone(),
                args: args.iter().map(|t| t.subst_types(types)).collect(),
            },
            RTy::Param(n) => types
                .iter()
                .find(|(p, _)| p == n)
                .map_or(RTy::Opaque(Vec::new()), |(_, t)| t.clone()),
            RTy::Opaque(rs) => RTy::Opaque(rs.clone()),
        }
    }

    /// The type `*t` has, for a reference or a `Box`.
    pub fn deref(&self) -> Option<&RTy> {
        match self {
            RTy::Ref(_, _, inner) => Some(inner),
            RTy::Adt { name, args, .. } if &**name == "Box" && args.len() == 1 => Some(&args[0]),
            _ => None,
        }
    }

    /// The type of an element of an array or slice.
    pub fn element(&self) -> Option<&RTy> {
        match self {
            RTy::Array(t) | RTy::Slice(t) => Some(t),
            _ => None,
        }
    }
}

/// A crate's struct or enum with its fields' types as templates: `Region::Param(i)` is its
/// `i`-th lifetime parameter, `RTy::Param` its type parameters.
pub struct AdtTemplate {
    pub lifetimes: Vec<Name>,
    pub types: Vec<Name>,
    pub fields: Vec<(FieldName, RTy)>,
    pub variants: Vec<(Name, Vec<(FieldName, RTy)>)>,
    /// Explicit bounds: `(longer, shorter)` between lifetime parameters.
    pub lifetime_bounds: Vec<(Region, Region)>,
    /// Explicit bounds of type parameters by lifetimes (`T: 'a`).
    pub type_bounds: Vec<(Name, Region)>,
    /// Some field's type (or a bound) says things of the lifetimes that the templates do not
    /// keep.
    pub lossy: bool,
    pub is_union: bool,
}

impl AdtTemplate {
    /// The template of a crate type `name`, when its written form is known.
    pub fn of(index: &Index, name: &str) -> Option<AdtTemplate> {
        let adt = index.adt(name)?;
        if adt.opaque {
            return None;
        }
        let w = adt.written.as_ref()?;
        let g = &w.generics;
        let lifetimes = g.lifetimes.clone();
        let types: Vec<Name> = g.types.iter().map(|(n, _)| n.clone()).collect();
        let mut lossy = g.unknown_lifetime_relations;
        let cx = Written {
            index,
            self_ty: None,
            type_params: &types,
        };
        let mut region = |l: Option<&Name>| match l {
            Some(l) => lifetimes
                .iter()
                .position(|x| x == l)
                .map_or(Region::Unknown, |i| Region::Param(i as u32)),
            None => Region::Unknown,
        };
        let mut convert = |fields: &ast::Fields, lossy: &mut bool| -> Vec<(FieldName, RTy)> {
            match fields {
                ast::Fields::Named(fs) => fs
                    .iter()
                    .map(|(n, t)| {
                        (
                            FieldName::Named(n.clone()),
                            cx.convert(t, &mut region, lossy),
                        )
                    })
                    .collect(),
                ast::Fields::Tuple(ts) => ts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        (
                            FieldName::Index(i as u32),
                            cx.convert(t, &mut region, lossy),
                        )
                    })
                    .collect(),
                ast::Fields::Unit => Vec::new(),
            }
        };
        let fields = convert(&w.fields, &mut lossy);
        let variants = w
            .variants
            .iter()
            .map(|(n, fs)| (n.clone(), convert(fs, &mut lossy)))
            .collect();
        let param = |l: &Name| match &**l {
            "static" => Some(Region::Static),
            _ => lifetimes
                .iter()
                .position(|x| x == l)
                .map(|i| Region::Param(i as u32)),
        };
        let mut lifetime_bounds = Vec::new();
        for (a, b) in &g.lifetime_bounds {
            match (param(a), param(b)) {
                (Some(a), Some(b)) => lifetime_bounds.push((a, b)),
                _ => lossy = true,
            }
        }
        let mut type_bounds = Vec::new();
        for (t, bounds) in &g.types {
            for b in bounds.iter().filter_map(|b| b.strip_prefix('\'')) {
                match param(&b.into()) {
                    Some(r) => type_bounds.push((t.clone(), r)),
                    None => lossy = true,
                }
            }
        }
        Some(AdtTemplate {
            lifetimes,
            types,
            fields,
            variants,
            lifetime_bounds,
            type_bounds,
            lossy,
            is_union: adt.is_union,
        })
    }

    /// A field's template instantiated with the type's arguments.
    pub fn instance(&self, field: &RTy, regions: &[Region], args: &[RTy]) -> Option<RTy> {
        if regions.len() != self.lifetimes.len() || args.len() != self.types.len() {
            return None;
        }
        let types: Vec<(Name, RTy)> = self
            .types
            .iter()
            .cloned()
            .zip(args.iter().cloned())
            .collect();
        Some(field.subst(regions, &types))
    }

    fn all_fields(&self) -> impl Iterator<Item = &RTy> {
        self.fields
            .iter()
            .chain(self.variants.iter().flat_map(|(_, fs)| fs.iter()))
            .map(|(_, t)| t)
    }
}

/// What converting a written type needs: the crate's types, what `Self` is, the type
/// parameters in scope.
pub struct Written<'a> {
    pub index: &'a Index,
    pub self_ty: Option<&'a RTy>,
    pub type_params: &'a [Name],
}

impl Written<'_> {
    /// A written type with its regions: `region` names each written lifetime (`None` for an
    /// elided one or `'_`; `'static` is never asked). `lossy` is set when the type holds
    /// lifetimes whose relations the result does not keep (a fn pointer's parameters, the
    /// arguments of a trait object or of a type not followed, an unknown type).
    pub fn convert(
        &self,
        t: &ast::Type,
        region: &mut dyn FnMut(Option<&Name>) -> Region,
        lossy: &mut bool,
    ) -> RTy {
        self.convert_at(t, region, lossy, 0)
    }

    /// `convert`, `depth` aliases deep.
    fn convert_at(
        &self,
        t: &ast::Type,
        region: &mut dyn FnMut(Option<&Name>) -> Region,
        lossy: &mut bool,
        depth: u32,
    ) -> RTy {
        let lifetime = |l: Option<&Name>, region: &mut dyn FnMut(Option<&Name>) -> Region| match l
            .map(|l| &**l)
        {
            Some("static") => Region::Static,
            Some("_") | None => region(None),
            Some(_) => region(l),
        };
        match t {
            ast::Type::Ref {
                lifetime: l,
                mutability,
                inner,
            } => {
                let r = lifetime(l.as_ref(), region);
                RTy::Ref(
                    r,
                    *mutability,
                    Box::new(self.convert_at(inner, region, lossy, depth)),
                )
            }
            ast::Type::Ptr { inner, .. } => {
                let mut rs = Vec::new();
                self.convert_at(inner, region, lossy, depth)
                    .regions(&mut rs);
                RTy::Opaque(rs)
            }
            ast::Type::Tuple(ts) => RTy::Tuple(
                ts.iter()
                    .map(|t| self.convert_at(t, region, lossy, depth))
                    .collect(),
            ),
            ast::Type::Array(t, _) => {
                RTy::Array(Box::new(self.convert_at(t, region, lossy, depth)))
            }
            ast::Type::Slice(t) => RTy::Slice(Box::new(self.convert_at(t, region, lossy, depth))),
            ast::Type::Never | ast::Type::Infer => RTy::Opaque(Vec::new()),
            ast::Type::Unknown | ast::Type::FnPtr(_) => {
                *lossy = true;
                RTy::Opaque(Vec::new())
            }
            ast::Type::ImplTrait(bounds, _) | ast::Type::DynTrait(bounds, _) => {
                // A bound's arguments are kept as text: their lifetimes are lost.
                if bounds
                    .iter()
                    .any(|b| b.contains(['<', '(', '\'']) && !b.starts_with('\''))
                {
                    *lossy = true;
                }
                let rs = bounds
                    .iter()
                    .filter_map(|b| b.strip_prefix('\''))
                    .map(|l| lifetime(Some(&Name::from(l)), region))
                    .collect();
                RTy::Opaque(rs)
            }
            ast::Type::Path { segments, args } => self.path(segments, args, region, lossy, depth),
        }
    }

    fn path(
        &self,
        segments: &[Name],
        args: &[ast::GenericArg],
        region: &mut dyn FnMut(Option<&Name>) -> Region,
        lossy: &mut bool,
        depth: u32,
    ) -> RTy {
        let Some(last) = segments.last() else {
            *lossy = true;
            return RTy::Opaque(Vec::new());
        };
        // The written arguments, each converted once.
        let mut lts: Vec<Region> = Vec::new();
        let mut tys: Vec<RTy> = Vec::new();
        let mut other = false;
        for a in args {
            match a {
                ast::GenericArg::Lifetime(l) => lts.push(match &**l {
                    "static" => Region::Static,
                    "_" => region(None),
                    _ => region(Some(l)),
                }),
                ast::GenericArg::Type(t) => tys.push(self.convert_at(t, region, lossy, depth)),
                ast::GenericArg::Other => other = true,
            }
        }
        let opaque = |lts: &[Region], tys: &[RTy], lossy: &mut bool| {
            let mut rs = lts.to_vec();
            tys.iter().for_each(|t| t.regions(&mut rs));
            // What a type we do not follow says of several lifetimes, or of a type holding
            // lifetimes or parameters, is not known.
            if rs.len() > 1
                || tys
                    .iter()
                    .any(|t| !matches!(t, RTy::Adt { .. }) || !t.is_known())
            {
                *lossy = true;
            }
            RTy::Opaque(rs)
        };
        if segments.len() == 1 && args.is_empty() {
            if PRIMS.contains(&&**last) || &**last == "str" {
                return RTy::Adt {
                    name: last.clone(),
                    regions: Vec::new(),
                    args: Vec::new(),
                };
            }
            if &**last == "Self" {
                return match self.self_ty {
                    Some(t) => t.clone(),
                    None => {
                        *lossy = true;
                        RTy::Opaque(Vec::new())
                    }
                };
            }
            if self.type_params.contains(last) {
                return RTy::Param(last.clone());
            }
        }
        if segments.len() > 1 && segments.iter().any(|s| &**s == "Self") {
            *lossy = true;
            return opaque(&lts, &tys, lossy);
        }
        let qualified = segments.len() > 1
            && !matches!(
                &*segments[0],
                "std" | "core" | "alloc" | "crate" | "self" | "super"
            );
        if qualified || other || self.index.is_shadowed(last) {
            return opaque(&lts, &tys, lossy);
        }
        if let Some((g, body)) = self
            .index
            .alias(last)
            .filter(|_| self.index.adt(last).is_none())
        {
            return self.alias(g, body, lts, tys, region, lossy, depth);
        }
        if let Some(adt) = self.index.adt(last) {
            let Some(w) = adt.written.as_ref().filter(|_| !adt.opaque) else {
                *lossy = true;
                return opaque(&lts, &tys, lossy);
            };
            let (n_l, n_t) = (w.generics.lifetimes.len(), w.generics.types.len());
            if lts.is_empty() && n_l > 0 {
                lts = (0..n_l).map(|_| region(None)).collect();
            }
            if lts.len() != n_l || tys.len() != n_t {
                *lossy = true;
                return opaque(&lts, &tys, lossy);
            }
            return RTy::Adt {
                name: last.clone(),
                regions: lts,
                args: tys,
            };
        }
        if lts.is_empty() && (STD_COVARIANT.contains(&&**last) || STD_INVARIANT.contains(&&**last))
        {
            return RTy::Adt {
                name: last.clone(),
                regions: Vec::new(),
                args: tys,
            };
        }
        opaque(&lts, &tys, lossy)
    }
}

impl Written<'_> {
    /// A type alias's type with the lifetimes and types it is given (elided lifetimes are
    /// `region(None)`'s, as for a struct).
    #[allow(clippy::too_many_arguments)]
    fn alias(
        &self,
        g: &ast::Generics,
        body: &ast::Type,
        mut lts: Vec<Region>,
        tys: Vec<RTy>,
        region: &mut dyn FnMut(Option<&Name>) -> Region,
        lossy: &mut bool,
        depth: u32,
    ) -> RTy {
        if lts.is_empty() && !g.lifetimes.is_empty() {
            lts = g.lifetimes.iter().map(|_| region(None)).collect();
        }
        if depth > 8 || lts.len() != g.lifetimes.len() || tys.len() != g.types.len() {
            *lossy = true;
            let mut rs = lts;
            tys.iter().for_each(|t| t.regions(&mut rs));
            return RTy::Opaque(rs);
        }
        let params: Vec<Name> = g.types.iter().map(|(n, _)| n.clone()).collect();
        let inner = Written {
            index: self.index,
            self_ty: None,
            type_params: &params,
        };
        let mut own = |l: Option<&Name>| match l {
            Some(l) => g
                .lifetimes
                .iter()
                .position(|x| x == l)
                .map_or(Region::Unknown, |i| lts[i]),
            None => Region::Unknown,
        };
        let mut unknown = false;
        let t = inner.convert_at(body, &mut own, &mut unknown, depth + 1);
        *lossy |= unknown || g.unknown_lifetime_relations;
        let types: Vec<(Name, RTy)> = params.into_iter().zip(tys).collect();
        t.subst_types(&types)
    }
}

/// The variances of a type's lifetime parameters and of its type parameters, in order.
pub fn variances(index: &Index, name: &str, n_regions: usize, n_args: usize) -> Variances {
    if STD_COVARIANT.contains(&name) && index.adt(name).is_none() && !index.is_shadowed(name) {
        return (Vec::new(), vec![Variance::Covariant; n_args]);
    }
    if STD_INVARIANT.contains(&name) && index.adt(name).is_none() && !index.is_shadowed(name) {
        return (Vec::new(), vec![Variance::Invariant; n_args]);
    }
    let mut walk = Walk::default();
    adt_variances(index, name, &mut walk).unwrap_or_else(|| {
        (
            vec![Variance::Unknown; n_regions],
            vec![Variance::Unknown; n_args],
        )
    })
}

/// A crate type's variances, computed from its fields; a type met again while computing its
/// own (recursion) adds nothing, as the least fixpoint starts.
fn adt_variances(index: &Index, name: &str, walk: &mut Walk) -> Option<Variances> {
    if walk.stack.len() > 16 {
        return None;
    }
    if let Some(v) = walk.variances.get(name) {
        return v.clone();
    }
    let v = adt_variances_of(index, name, walk);
    walk.variances.insert(name.into(), v.clone());
    v
}

fn adt_variances_of(index: &Index, name: &str, walk: &mut Walk) -> Option<Variances> {
    let t = index.adt_template(name)?;
    let mut lv = vec![Variance::Bivariant; t.lifetimes.len()];
    let mut tv = vec![Variance::Bivariant; t.types.len()];
    if t.lossy || t.is_union {
        return None;
    }
    walk.stack.push(name.into());
    for f in t.all_fields() {
        walk_variance(
            index,
            f,
            Variance::Covariant,
            &t.types,
            &mut lv,
            &mut tv,
            walk,
        );
    }
    walk.stack.pop();
    Some((lv, tv))
}

fn walk_variance(
    index: &Index,
    t: &RTy,
    v: Variance,
    types: &[Name],
    lv: &mut [Variance],
    tv: &mut [Variance],
    walk: &mut Walk,
) {
    let region = |r: &Region, v: Variance, lv: &mut [Variance]| {
        if let Region::Param(i) = r {
            if let Some(x) = lv.get_mut(*i as usize) {
                *x = x.join(v);
            }
        }
    };
    match t {
        RTy::Ref(r, m, inner) => {
            region(r, v, lv);
            let inner_v = match m {
                Mutability::Not => Variance::Covariant,
                Mutability::Mut => Variance::Invariant,
            };
            walk_variance(index, inner, v.then(inner_v), types, lv, tv, walk);
        }
        RTy::Tuple(ts) => {
            for t in ts {
                walk_variance(index, t, v, types, lv, tv, walk);
            }
        }
        RTy::Array(t) | RTy::Slice(t) => walk_variance(index, t, v, types, lv, tv, walk),
        RTy::Param(n) => {
            if let Some(i) = types.iter().position(|x| x == n) {
                tv[i] = tv[i].join(v);
            }
        }
        RTy::Opaque(rs) => {
            for r in rs {
                region(r, Variance::Unknown, lv);
            }
        }
        RTy::Adt {
            name,
            regions,
            args,
        } => {
            let (rv, av) = if walk.stack.contains(name) {
                // Recursion adds nothing to the least fixpoint.
                (
                    vec![Variance::Bivariant; regions.len()],
                    vec![Variance::Bivariant; args.len()],
                )
            } else if index.adt(name).is_some() {
                adt_variances(index, name, walk).unwrap_or_else(|| {
                    (
                        vec![Variance::Unknown; regions.len()],
                        vec![Variance::Unknown; args.len()],
                    )
                })
            } else {
                variances(index, name, regions.len(), args.len())
            };
            for (r, x) in regions.iter().zip(rv) {
                region(r, v.then(x), lv);
            }
            for (a, x) in args.iter().zip(av) {
                walk_variance(index, a, v.then(x), types, lv, tv, walk);
            }
        }
    }
}

/// The outlives facts that a well-formed type gives, as `(longer, shorter)` pairs: in
/// `&'a T` every region of `T` outlives `'a`, a crate type's bounds (written, and inferred
/// from its fields) hold of its arguments. A type whose implications are not followed (a type
/// not known, a struct whose fields are not) relates all its regions both ways.
pub fn implied_bounds(index: &Index, t: &RTy, out: &mut Vec<(Region, Region)>) {
    let mut walk = Walk::default();
    implied(index, t, out, &mut walk);
}

fn implied(index: &Index, t: &RTy, out: &mut Vec<(Region, Region)>, walk: &mut Walk) {
    match t {
        RTy::Ref(r, _, inner) => {
            let mut rs = Vec::new();
            inner.regions(&mut rs);
            out.extend(rs.into_iter().map(|q| (q, *r)));
            implied(index, inner, out, walk);
        }
        RTy::Tuple(ts) => ts.iter().for_each(|t| implied(index, t, out, walk)),
        RTy::Array(t) | RTy::Slice(t) => implied(index, t, out, walk),
        RTy::Param(_) => {}
        RTy::Opaque(rs) => all_pairs(rs, out),
        RTy::Adt {
            name,
            regions,
            args,
        } => {
            if index.adt(name).is_some() {
                match adt_outlives(index, name, walk) {
                    Some(preds) => {
                        let types: Vec<RTy> = args.clone();
                        for (c, r) in preds {
                            let short = subst_region(r, regions);
                            match c {
                                Comp::Region(q) => out.push((subst_region(q, regions), short)),
                                Comp::Type(i) => {
                                    let mut rs = Vec::new();
                                    if let Some(a) = types.get(i) {
                                        a.regions(&mut rs);
                                    }
                                    out.extend(rs.into_iter().map(|q| (q, short)));
                                }
                            }
                        }
                    }
                    None => {
                        let mut rs = Vec::new();
                        t.regions(&mut rs);
                        all_pairs(&rs, out);
                    }
                }
            }
            args.iter().for_each(|a| implied(index, a, out, walk));
        }
    }
}

/// The outlives facts a type needs to be well-formed, as `(longer, shorter)` pairs: in
/// `&'a T` the regions of `T`'s known parts outlive `'a`, a crate type's bounds (written, and
/// inferred from its fields) hold of its arguments. Only what is known: a type not followed
/// needs nothing here.
pub fn wf_obligations(index: &Index, t: &RTy, out: &mut Vec<(Region, Region)>) {
    let mut walk = Walk::default();
    obligations(index, t, out, &mut walk);
}

fn obligations(index: &Index, t: &RTy, out: &mut Vec<(Region, Region)>, walk: &mut Walk) {
    match t {
        RTy::Ref(r, _, inner) => {
            let mut rs = Vec::new();
            known_regions(inner, &mut rs);
            out.extend(rs.into_iter().map(|q| (q, *r)));
            obligations(index, inner, out, walk);
        }
        RTy::Tuple(ts) => ts.iter().for_each(|t| obligations(index, t, out, walk)),
        RTy::Array(t) | RTy::Slice(t) => obligations(index, t, out, walk),
        RTy::Param(_) | RTy::Opaque(_) => {}
        RTy::Adt {
            name,
            regions,
            args,
        } => {
            if index.adt(name).is_some() {
                for (c, r) in adt_outlives(index, name, walk).unwrap_or_default() {
                    let short = subst_region(r, regions);
                    match c {
                        Comp::Region(q) => out.push((subst_region(q, regions), short)),
                        Comp::Type(i) => {
                            let mut rs = Vec::new();
                            if let Some(a) = args.get(i) {
                                known_regions(a, &mut rs);
                            }
                            out.extend(rs.into_iter().map(|q| (q, short)));
                        }
                    }
                }
            }
            args.iter().for_each(|a| obligations(index, a, out, walk));
        }
    }
}

/// The regions of a type's known parts (not those written inside a type not followed).
fn known_regions(t: &RTy, out: &mut Vec<Region>) {
    match t {
        RTy::Ref(r, _, inner) => {
            out.push(*r);
            known_regions(inner, out);
        }
        RTy::Tuple(ts) => ts.iter().for_each(|t| known_regions(t, out)),
        RTy::Array(t) | RTy::Slice(t) => known_regions(t, out),
        RTy::Adt { regions, args, .. } => {
            out.extend(regions.iter().copied());
            args.iter().for_each(|t| known_regions(t, out));
        }
        RTy::Param(_) | RTy::Opaque(_) => {}
    }
}

fn all_pairs(rs: &[Region], out: &mut Vec<(Region, Region)>) {
    for a in rs {
        for b in rs {
            if a != b {
                out.push((*a, *b));
            }
        }
    }
}

fn subst_region(r: Region, regions: &[Region]) -> Region {
    match r {
        Region::Param(i) => regions.get(i as usize).copied().unwrap_or(Region::Unknown),
        r => r,
    }
}

/// What outlives a type's lifetime parameter: one of its lifetime parameters (or `'static`),
/// or the regions of one of its type arguments (by position).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comp {
    Region(Region),
    Type(usize),
}

/// A crate type's outlives bounds, `(component, lifetime)`: written ones, and those its fields
/// imply (rustc infers them: `struct S<'a, T>(&'a T)` has `T: 'a`). `None` when not followed.
fn adt_outlives(index: &Index, name: &str, walk: &mut Walk) -> Option<Vec<(Comp, Region)>> {
    if walk.stack.len() > 16 || walk.stack.iter().any(|s| &**s == name) {
        // Recursion: what the cycle implies is not computed.
        return None;
    }
    if let Some(o) = walk.outlives.get(name) {
        return o.clone();
    }
    let o = adt_outlives_of(index, name, walk);
    walk.outlives.insert(name.into(), o.clone());
    o
}

fn adt_outlives_of(index: &Index, name: &str, walk: &mut Walk) -> Option<Vec<(Comp, Region)>> {
    let t = index.adt_template(name)?;
    if t.lossy {
        return None;
    }
    let mut out: Vec<(Comp, Region)> = Vec::new();
    for (a, b) in &t.lifetime_bounds {
        out.push((Comp::Region(*a), *b));
    }
    for (ty, r) in &t.type_bounds {
        let i = t.types.iter().position(|x| x == ty)?;
        out.push((Comp::Type(i), *r));
    }
    walk.stack.push(name.into());
    let mut ok = true;
    for f in t.all_fields() {
        ok &= field_outlives(index, f, &t.types, &mut out, walk);
    }
    walk.stack.pop();
    ok.then_some(out)
}

/// The components of a field's type (of a template): its regions and its type parameters.
fn components(t: &RTy, types: &[Name], out: &mut Vec<Comp>) {
    match t {
        RTy::Ref(r, _, inner) => {
            out.push(Comp::Region(*r));
            components(inner, types, out);
        }
        RTy::Tuple(ts) => ts.iter().for_each(|t| components(t, types, out)),
        RTy::Array(t) | RTy::Slice(t) => components(t, types, out),
        RTy::Adt { regions, args, .. } => {
            out.extend(regions.iter().map(|r| Comp::Region(*r)));
            args.iter().for_each(|t| components(t, types, out));
        }
        RTy::Param(n) => {
            if let Some(i) = types.iter().position(|x| x == n) {
                out.push(Comp::Type(i));
            }
        }
        RTy::Opaque(rs) => out.extend(rs.iter().map(|r| Comp::Region(*r))),
    }
}

/// What a field's type implies of the template's parameters; false when not followed.
fn field_outlives(
    index: &Index,
    t: &RTy,
    types: &[Name],
    out: &mut Vec<(Comp, Region)>,
    walk: &mut Walk,
) -> bool {
    match t {
        RTy::Ref(r, _, inner) => {
            let mut cs = Vec::new();
            components(inner, types, &mut cs);
            out.extend(cs.into_iter().map(|c| (c, *r)));
            field_outlives(index, inner, types, out, walk)
        }
        RTy::Tuple(ts) => ts
            .iter()
            .all(|t| field_outlives(index, t, types, out, walk)),
        RTy::Array(t) | RTy::Slice(t) => field_outlives(index, t, types, out, walk),
        RTy::Param(_) => true,
        RTy::Opaque(rs) => rs.len() <= 1,
        RTy::Adt {
            name,
            regions,
            args,
        } => {
            if index.adt(name).is_some() {
                let Some(preds) = adt_outlives(index, name, walk) else {
                    return false;
                };
                for (c, r) in preds {
                    let short = subst_region(r, regions);
                    match c {
                        Comp::Region(q) => {
                            out.push((Comp::Region(subst_region(q, regions)), short))
                        }
                        Comp::Type(i) => {
                            let mut cs = Vec::new();
                            if let Some(a) = args.get(i) {
                                components(a, types, &mut cs);
                            }
                            out.extend(cs.into_iter().map(|c| (c, short)));
                        }
                    }
                }
            }
            args.iter()
                .all(|a| field_outlives(index, a, types, out, walk))
        }
    }
}

/// A walk over the crate's types: the types being computed (a type met again is a cycle) and
/// what was computed of each, once.
#[derive(Default)]
struct Walk {
    stack: Vec<Name>,
    variances: std::collections::HashMap<Name, Option<Variances>>,
    outlives: std::collections::HashMap<Name, Option<Vec<(Comp, Region)>>>,
}
