//! What the analysis knows of types: a partial, syntax-derived view where `Unknown` is common.
//!
//! Every question asked of a type answers `Option<bool>`: `None` means "cannot tell from syntax",
//! and callers must then take the branch that reports fewer errors.

use crate::ast::{self, Mutability, Name};
use crate::index::Index;

mod dropck;
pub mod regions;
mod traits;

pub use traits::{STD_GUARDS, STD_ITERATORS, STD_REGION_TRANSPARENT};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Unknown,
    /// Integers, floats, `bool`, `char`: always `Copy`.
    Prim(Name),
    Str,
    Ref(Mutability, Box<Ty>),
    /// `*const T` / `*mut T`.
    /// `*const T` / `*mut T`, with the pointee.
    RawPtr(Mutability, Box<Ty>),
    Tuple(Vec<Ty>),
    /// `[T; N]`, with `N` when it is known.
    Array(Box<Ty>, Option<u64>),
    Slice(Box<Ty>),
    /// A named type: std (`Vec`, `String`, `Option`) or the workspace's own; `lifetimes` counts
    /// its lifetime arguments as written (`Parser<'a>` has 1).
    Adt {
        name: Name,
        args: Vec<Ty>,
        lifetimes: u8,
    },
    /// A generic parameter; `copy` says whether its bounds make it `Copy` (`None`: a bound we
    /// do not know may imply it).
    Param {
        name: Name,
        copy: Option<bool>,
    },
    /// `fn(..) -> R`, with `R` when written (`None`: `()`).
    FnPtr(Option<Box<Ty>>),
    Never,
    /// `impl Trait`: opaque.
    Opaque,
    /// `dyn Trait`, by the trait's name (its first bound that is not an auto trait).
    Dyn(Name),
}

pub(crate) use crate::ast::PRIMS;

impl Ty {
    pub fn unit() -> Ty {
        Ty::Tuple(Vec::new())
    }

    pub fn adt(name: &str, args: Vec<Ty>) -> Ty {
        Ty::Adt {
            name: name.into(),
            args,
            lifetimes: 0,
        }
    }

    pub fn prim(name: &str) -> Ty {
        Ty::Prim(name.into())
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Ty::Unknown)
    }

    pub fn adt_name(&self) -> Option<&str> {
        match self {
            Ty::Adt { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Converts a written type. `generics` gives the type parameters in scope and whether each is
    /// bounded by `Copy`; `self_ty` replaces `Self`.
    pub fn from_ast(t: &ast::Type, generics: &[(Name, Option<bool>)], self_ty: Option<&Ty>) -> Ty {
        match t {
            ast::Type::Ref {
                mutability, inner, ..
            } => Ty::Ref(
                *mutability,
                Box::new(Ty::from_ast(inner, generics, self_ty)),
            ),
            ast::Type::Ptr { mutability, inner } => Ty::RawPtr(
                *mutability,
                Box::new(Ty::from_ast(inner, generics, self_ty)),
            ),
            ast::Type::Tuple(ts) => Ty::Tuple(
                ts.iter()
                    .map(|t| Ty::from_ast(t, generics, self_ty))
                    .collect(),
            ),
            ast::Type::Array(t, n) => Ty::Array(Box::new(Ty::from_ast(t, generics, self_ty)), *n),
            ast::Type::Slice(t) => Ty::Slice(Box::new(Ty::from_ast(t, generics, self_ty))),
            ast::Type::FnPtr(ret) => Ty::FnPtr(
                ret.as_ref()
                    .map(|r| Box::new(Ty::from_ast(r, generics, self_ty))),
            ),
            ast::Type::Never => Ty::Never,
            ast::Type::DynTrait(bounds, _) => match bounds.iter().find(|b| {
                !b.starts_with('\'')
                    && !b.starts_with('?')
                    && !matches!(&***b, "Send" | "Sync" | "Unpin")
            }) {
                // A crate trait's id, its arguments dropped.
                Some(b) if crate::items::is_id(b) => {
                    Ty::Dyn(b.split(['<', '(']).next().unwrap_or(b).trim().into())
                }
                Some(b) => Ty::Dyn(
                    b.rsplit("::")
                        .next()
                        .unwrap_or(b)
                        .split('<')
                        .next()
                        .unwrap_or(b)
                        .trim()
                        .into(),
                ),
                None => Ty::Opaque,
            },
            ast::Type::ImplTrait(_, _) => Ty::Opaque,
            ast::Type::Infer | ast::Type::Unknown => Ty::Unknown,
            ast::Type::Path { segments, args } => {
                let Some(last) = segments.last() else {
                    return Ty::Unknown;
                };
                if segments.len() == 1 {
                    if PRIMS.contains(&&**last) {
                        return Ty::Prim(last.clone());
                    }
                    if &**last == "str" {
                        return Ty::Str;
                    }
                    if &**last == "Self" {
                        return self_ty.cloned().unwrap_or(Ty::Unknown);
                    }
                    if let Some((name, copy)) = generics.iter().find(|(n, _)| n == last) {
                        return Ty::Param {
                            name: name.clone(),
                            copy: *copy,
                        };
                    }
                }
                if segments.len() > 1 && segments.iter().any(|s| &**s == "Self") {
                    // `Self::Item` and friends: associated types are beyond us.
                    return Ty::Unknown;
                }
                // `boxcar::Vec` is not std's `Vec`: keep such names qualified so that nothing
                // std says applies to them.
                let last = if segments.len() > 1
                    && !matches!(
                        &*segments[0],
                        "std" | "core" | "alloc" | "crate" | "self" | "super"
                    ) {
                    Name::from(segments.iter().map(|s| &**s).collect::<Vec<_>>().join("::"))
                } else {
                    last.clone()
                };
                let mut lifetimes = 0u8;
                let mut tys = Vec::new();
                for a in args {
                    match a {
                        ast::GenericArg::Lifetime(_) => lifetimes = lifetimes.saturating_add(1),
                        ast::GenericArg::Type(t) => tys.push(Ty::from_ast(t, generics, self_ty)),
                        ast::GenericArg::Other => tys.push(Ty::Unknown),
                    }
                }
                Ty::Adt {
                    name: last,
                    args: tys,
                    lifetimes,
                }
            }
        }
    }

    /// Completes a declared type's holes (`Box<_>`) from an inferred one.
    pub fn merge(declared: Ty, inferred: Ty) -> Ty {
        match (declared, inferred) {
            (Ty::Unknown, i) => i,
            (Ty::Ref(m, d), Ty::Ref(_, i)) => Ty::Ref(m, Box::new(Ty::merge(*d, *i))),
            (
                Ty::Adt {
                    name,
                    args,
                    lifetimes,
                },
                Ty::Adt {
                    name: n2, args: a2, ..
                },
            ) if name == n2 && args.len() == a2.len() => Ty::Adt {
                name,
                args: args
                    .into_iter()
                    .zip(a2)
                    .map(|(d, i)| Ty::merge(d, i))
                    .collect(),
                lifetimes,
            },
            (Ty::Tuple(d), Ty::Tuple(i)) if d.len() == i.len() => {
                Ty::Tuple(d.into_iter().zip(i).map(|(d, i)| Ty::merge(d, i)).collect())
            }
            (d, _) => d,
        }
    }

    /// Replaces the type parameters `params` by `args` (parameters not in `params` stay).
    pub fn subst(&self, params: &[Name], args: &[Ty]) -> Ty {
        match self {
            Ty::Param { name, .. } => match params.iter().position(|p| p == name) {
                Some(i) => args.get(i).cloned().unwrap_or(Ty::Unknown),
                None => self.clone(),
            },
            Ty::Ref(m, t) => Ty::Ref(*m, Box::new(t.subst(params, args))),
            Ty::Array(t, n) => Ty::Array(Box::new(t.subst(params, args)), *n),
            Ty::Slice(t) => Ty::Slice(Box::new(t.subst(params, args))),
            Ty::Tuple(ts) => Ty::Tuple(ts.iter().map(|t| t.subst(params, args)).collect()),
            Ty::Adt {
                name,
                args: a,
                lifetimes,
            } => Ty::Adt {
                name: name.clone(),
                args: a.iter().map(|t| t.subst(params, args)).collect(),
                lifetimes: *lifetimes,
            },
            _ => self.clone(),
        }
    }

    /// Whether the type mentions a generic parameter (a callee's, unknown at the call site).
    pub fn has_params(&self) -> bool {
        match self {
            Ty::Param { .. } => true,
            Ty::Ref(_, t) | Ty::Array(t, _) | Ty::Slice(t) => t.has_params(),
            Ty::Tuple(ts) => ts.iter().any(|t| t.has_params()),
            Ty::Adt { args, .. } => args.iter().any(|t| t.has_params()),
            _ => false,
        }
    }

    /// Whether the type is a reference or holds one (lifetime arguments, guard types).
    pub fn holds_borrow(&self) -> Option<bool> {
        match self {
            Ty::Ref(..) => Some(true),
            Ty::Prim(_) | Ty::Str | Ty::RawPtr(..) | Ty::FnPtr(_) | Ty::Never => Some(false),
            Ty::Tuple(ts) => any_known(ts.iter().map(|t| t.holds_borrow())),
            Ty::Array(t, _) | Ty::Slice(t) => t.holds_borrow(),
            Ty::Adt {
                args, lifetimes, ..
            } => {
                if *lifetimes > 0 {
                    return Some(true);
                }
                any_known(args.iter().map(|t| t.holds_borrow()))
            }
            Ty::Param { .. } | Ty::Opaque | Ty::Dyn(_) | Ty::Unknown => None,
        }
    }
}

impl Ty {
    /// Whether a value of this type may hold a borrow, by what the crate's index knows of its
    /// types: `Some(false)` only when every type in it is known (a crate type without lifetime
    /// parameters, std's owning containers, primitives) and none of them borrows.
    pub fn may_hold_borrow(&self, index: &Index) -> Option<bool> {
        match self {
            Ty::Ref(..) => Some(true),
            Ty::Prim(_) | Ty::Str | Ty::Never => Some(false),
            Ty::Tuple(ts) => any_known(ts.iter().map(|t| t.may_hold_borrow(index))),
            Ty::Array(t, _) | Ty::Slice(t) => t.may_hold_borrow(index),
            Ty::Adt {
                name,
                args,
                lifetimes,
            } => {
                if *lifetimes > 0 {
                    return Some(true);
                }
                let known = if crate::items::is_id(name) {
                    // A crate type holds what its type arguments hold, unless it has lifetime
                    // parameters (written or elided).
                    index
                        .adt(name)
                        .is_some_and(|a| !a.opaque && a.lifetimes == 0)
                } else {
                    !index.is_shadowed(name) && STD_REGION_TRANSPARENT.contains(&&**name)
                };
                if !known {
                    return None;
                }
                any_known(args.iter().map(|t| t.may_hold_borrow(index)))
            }
            Ty::RawPtr(..)
            | Ty::FnPtr(_)
            | Ty::Param { .. }
            | Ty::Opaque
            | Ty::Dyn(_)
            | Ty::Unknown => None,
        }
    }
}

/// `Some(true)` when all are `Some(true)`, `Some(false)` when any is `Some(false)`, else `None`.
/// `Some(true)` when every answer is yes, `Some(false)` when one is no, `None` otherwise.
pub(crate) fn all_known(it: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut acc = Some(true);
    for x in it {
        match x {
            Some(false) => return Some(false),
            None => acc = None,
            Some(true) => {}
        }
    }
    acc
}

fn any_known(it: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut acc = Some(false);
    for x in it {
        match x {
            Some(true) => return Some(true),
            None => acc = None,
            Some(false) => {}
        }
    }
    acc
}

/// Renders a type the way rustc names it in messages (`Vec<String>`, `&mut i32`).
pub fn display(ty: &Ty) -> String {
    match ty {
        Ty::Unknown | Ty::Opaque => "_".into(),
        Ty::Dyn(t) => format!("dyn {}", crate::items::display_name(t)),
        Ty::Prim(n) => n.to_string(),
        Ty::Str => "str".into(),
        Ty::Ref(Mutability::Not, t) => format!("&{}", display(t)),
        Ty::Ref(Mutability::Mut, t) => format!("&mut {}", display(t)),
        Ty::RawPtr(Mutability::Not, _) => "*const _".into(),
        Ty::RawPtr(Mutability::Mut, _) => "*mut _".into(),
        Ty::Tuple(ts) => format!(
            "({})",
            ts.iter().map(display).collect::<Vec<_>>().join(", ")
        ),
        Ty::Array(t, Some(n)) => format!("[{}; {n}]", display(t)),
        Ty::Array(t, None) => format!("[{}; _]", display(t)),
        Ty::Slice(t) => format!("[{}]", display(t)),
        Ty::Adt { name, args, .. } if args.is_empty() => {
            crate::items::display_name(name).to_string()
        }
        Ty::Adt { name, args, .. } => {
            format!(
                "{}<{}>",
                crate::items::display_name(name),
                args.iter().map(display).collect::<Vec<_>>().join(", ")
            )
        }
        Ty::Param { name, .. } => name.to_string(),
        Ty::FnPtr(_) => "fn()".into(),
        Ty::Never => "!".into(),
    }
}

/// The type of field `f` of variant `v` of the enum `ty` (the crate's, `Option` or `Result`).
pub fn variant_field_ty(
    index: &Index,
    ty: &Ty,
    v: &crate::ast::Name,
    f: &crate::ast::FieldName,
) -> Ty {
    let Ty::Adt { name, args, .. } = ty else {
        return Ty::Unknown;
    };
    if let Some(adt) = index.adt(name) {
        if adt.opaque || !adt.is_enum {
            return Ty::Unknown;
        }
        let Some((_, fields)) = adt.variants.iter().find(|(n, _)| n == v) else {
            return Ty::Unknown;
        };
        return match fields.iter().find(|(n, _)| n == f) {
            Some((_, t)) if !t.has_params() => t.clone(),
            Some((_, t)) if args.len() == adt.params.len() => t.subst(&adt.params, args),
            _ => Ty::Unknown,
        };
    }
    if index.is_shadowed(name) || *f != crate::ast::FieldName::Index(0) {
        return Ty::Unknown;
    }
    match (&**name, &**v) {
        ("Option", "Some") | ("Result", "Ok") => args.first().cloned().unwrap_or(Ty::Unknown),
        ("Result", "Err") => args.get(1).cloned().unwrap_or(Ty::Unknown),
        _ => Ty::Unknown,
    }
}

/// The public fields of std's structs: the ranges' `start` and `end` (of type `Idx`, their
/// argument). A crate's own `Range` has an id, never this bare name.
pub fn std_field_ty(name: &str, args: &[Ty], f: &crate::ast::FieldName) -> Option<Ty> {
    let crate::ast::FieldName::Named(field) = f else {
        return None;
    };
    let has = match &**field {
        "start" => matches!(name, "Range" | "RangeFrom"),
        "end" => matches!(name, "Range" | "RangeTo" | "RangeToInclusive"),
        _ => false,
    };
    has.then(|| args.first().cloned().unwrap_or(Ty::Unknown))
}

/// The type of field `f` of `ty`, unknown when the field's type mentions the type's parameters
/// (substitution is beyond us).
pub fn field_ty(index: &Index, ty: &Ty, f: &crate::ast::FieldName) -> Ty {
    match (ty, f) {
        (Ty::Tuple(ts), crate::ast::FieldName::Index(i)) => {
            ts.get(*i as usize).cloned().unwrap_or(Ty::Unknown)
        }
        (Ty::Adt { name, args, .. }, f) => {
            if index.adt(name).is_none() && !index.is_shadowed(name) {
                if let Some(t) = std_field_ty(name, args, f) {
                    return t;
                }
            }
            let Some(adt) = index.adt(name) else {
                return Ty::Unknown;
            };
            match adt.fields.iter().find(|(n, _)| n == f) {
                // A generic field of a type whose arguments we know.
                Some((_, t)) if t.has_params() && args.len() == adt.params.len() => {
                    t.subst(&adt.params, args)
                }
                Some((_, t)) if t.has_params() => Ty::Unknown,
                Some((_, t)) => t.clone(),
                None => Ty::Unknown,
            }
        }
        _ => Ty::Unknown,
    }
}
