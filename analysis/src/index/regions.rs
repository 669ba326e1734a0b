//! The lifetimes of written types: whether a type's regions all outlive the body
//! (`regions_of`), which lifetimes and type parameters it names.

use super::*;

/// Whether a written type names any lifetime (elided `&` excluded).
pub fn names_lifetime(t: &ast::Type) -> bool {
    let mut l = Vec::new();
    lifetimes_in(t, &mut l);
    l.iter().any(|l| &**l != "_")
}

/// Whether a written type is a `&'static` reference (its own lifetime, not an inner one: one
/// region per value cannot tell inner lifetimes apart).
pub fn mentions_static(t: &ast::Type) -> bool {
    matches!(t, ast::Type::Ref { lifetime: Some(l), .. } if &**l == "static")
}

/// What a written type says about the regions of its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regions {
    /// The type holds no borrow (`u32`, `String`, `(bool, char)`).
    None,
    /// The type holds borrows and each of its regions is one of the free lifetimes given: a value
    /// of it may only hold borrows that outlive the body.
    AllFree,
    /// Some region is local or inferred, or the type hides what it holds (`T`, `_`, aliases).
    Other,
}

use crate::ty::STD_REGION_TRANSPARENT;

/// The regions of a written type, where `free` are the lifetimes (without the quote) that outlive
/// the body: `'static` and the function's and impl's lifetime parameters. `&'a T` is `AllFree`
/// whatever `T` is, since the type is well-formed only if everything in `T` outlives `'a`.
pub fn regions_of(t: &ast::Type, free: &[Name], index: &Index) -> Regions {
    fn join(a: Regions, b: Regions) -> Regions {
        match (a, b) {
            (Regions::Other, _) | (_, Regions::Other) => Regions::Other,
            (Regions::AllFree, _) | (_, Regions::AllFree) => Regions::AllFree,
            _ => Regions::None,
        }
    }
    let is_free = |l: &Name| &**l == "static" || free.contains(l);
    match t {
        ast::Type::Ref {
            lifetime: Some(l), ..
        } if is_free(l) => Regions::AllFree,
        ast::Type::Tuple(ts) => ts.iter().fold(Regions::None, |acc, t| {
            join(acc, regions_of(t, free, index))
        }),
        ast::Type::Array(t, _) | ast::Type::Slice(t) => regions_of(t, free, index),
        ast::Type::Never => Regions::None,
        ast::Type::Path { segments, args } if segments.len() == 1 => {
            let name = &segments[0];
            if index.is_shadowed(name) {
                return Regions::Other;
            }
            let lifetimes = args
                .iter()
                .filter(|a| matches!(a, ast::GenericArg::Lifetime(_)))
                .count();
            let known = if let Some(adt) = index.adt(name) {
                !adt.opaque && usize::from(adt.lifetimes) == lifetimes
            } else if args.is_empty() {
                crate::ty::PRIMS.contains(&&**name) || matches!(&**name, "str" | "String")
            } else {
                lifetimes == 0 && STD_REGION_TRANSPARENT.contains(&&**name)
            };
            if !known {
                return Regions::Other;
            }
            args.iter().fold(Regions::None, |acc, a| {
                join(
                    acc,
                    match a {
                        ast::GenericArg::Lifetime(l) if is_free(l) => Regions::AllFree,
                        ast::GenericArg::Type(t) => regions_of(t, free, index),
                        _ => Regions::Other,
                    },
                )
            })
        }
        _ => Regions::Other,
    }
}

/// Calls `f` on a written type and every type inside it, outermost first.
pub fn walk_type(t: &ast::Type, f: &mut dyn FnMut(&ast::Type)) {
    f(t);
    match t {
        ast::Type::Ref { inner, .. }
        | ast::Type::Ptr { inner, .. }
        | ast::Type::Array(inner, _)
        | ast::Type::Slice(inner) => walk_type(inner, f),
        ast::Type::Tuple(ts) => ts.iter().for_each(|t| walk_type(t, f)),
        ast::Type::Path { args, .. } => {
            for a in args {
                if let ast::GenericArg::Type(t) = a {
                    walk_type(t, f);
                }
            }
        }
        _ => {}
    }
}

/// Whether `'static` is written anywhere in a type.
pub fn names_static_anywhere(t: &ast::Type) -> bool {
    let mut all = Vec::new();
    lifetimes_in(t, &mut all);
    all.iter().any(|l| &**l == "static")
}

/// Appends the named lifetimes written in a type (`'_` and `'static` left out).
pub fn lifetimes_named(t: &ast::Type, out: &mut Vec<Name>) {
    let mut all = Vec::new();
    lifetimes_in(t, &mut all);
    out.extend(all.into_iter().filter(|l| !matches!(&**l, "_" | "static")));
}

/// The name of a path type (`Foo<'a, T>` gives `Foo`), through references.
pub fn type_name(t: &ast::Type) -> Option<Name> {
    match t {
        ast::Type::Path { segments, .. } => segments.last().cloned(),
        ast::Type::Ref { inner, .. } => type_name(inner),
        _ => None,
    }
}

/// Lifetimes mentioned in a type; elided reference lifetimes show up as `"'_"`.
pub(super) fn lifetimes_in(t: &ast::Type, acc: &mut Vec<Name>) {
    match t {
        ast::Type::Ref {
            lifetime, inner, ..
        } => {
            acc.push(lifetime.clone().unwrap_or_else(|| "_".into()));
            lifetimes_in(inner, acc);
        }
        ast::Type::Ptr { inner, .. } => lifetimes_in(inner, acc),
        ast::Type::Path { args, .. } => {
            for a in args {
                match a {
                    ast::GenericArg::Lifetime(l) => acc.push(l.clone()),
                    ast::GenericArg::Type(t) => lifetimes_in(t, acc),
                    ast::GenericArg::Other => {}
                }
            }
        }
        ast::Type::Tuple(ts) => ts.iter().for_each(|t| lifetimes_in(t, acc)),
        ast::Type::Array(t, _) | ast::Type::Slice(t) => lifetimes_in(t, acc),
        ast::Type::ImplTrait(bounds, _) | ast::Type::DynTrait(bounds, _) => {
            for b in bounds {
                if let Some(l) = b.strip_prefix('\'') {
                    acc.push(l.into());
                }
            }
        }
        _ => {}
    }
}

/// The names of the function's type parameters that a written type mentions.
pub(super) fn type_params_in(t: &ast::Type, g: &ast::Generics, acc: &mut Vec<Name>) {
    match t {
        ast::Type::Path { segments, args } => {
            if segments.len() == 1 && g.types.iter().any(|(n, _)| *n == segments[0]) {
                acc.push(segments[0].clone());
            }
            for a in args {
                if let ast::GenericArg::Type(t) = a {
                    type_params_in(t, g, acc);
                }
            }
        }
        // Behind a reference the argument's own region is the reference's: stop.
        ast::Type::Ref { .. } | ast::Type::Ptr { .. } => {}
        ast::Type::Tuple(ts) => ts.iter().for_each(|t| type_params_in(t, g, acc)),
        ast::Type::Array(t, _) | ast::Type::Slice(t) => type_params_in(t, g, acc),
        _ => {}
    }
}
