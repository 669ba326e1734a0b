//! What the analysis knows of a crate's items, by name today (ids are the next step): function
//! and method signatures (receivers, elision, impl generics, what `&mut self` methods store),
//! ADTs (fields, type parameters, Copy/Drop impls and their bounds, unions), generic `Deref`
//! targets, traits and their supertraits, statics, type aliases (with their generics, for the
//! lifetimes they stand for), written signatures and fields, and the std table.
//!
//! Position-independent by construction (no spans), so editing a function body leaves the index
//! equal and salsa does not re-run the bodies that depend on it. Built item by item
//! (`builder.rs`); `signature.rs` reads a function's signature, `copy.rs` what generic bounds
//! say of `Copy`, `regions.rs` the lifetimes of written types, `scan.rs` what the text says
//! outside the items (imports that shadow std names, control-free `macro_rules!`).

mod builder;
mod copy;
mod reads;
mod regions;
mod scan;
mod signature;
#[cfg(test)]
mod tests;

pub use builder::{fn_entry, FnEntry, FnsBuilder, IndexBuilder};
pub use copy::{generic_copy, generic_copy_with};
pub use reads::names_in;
pub use regions::{
    lifetimes_named, mentions_static, names_lifetime, names_static_anywhere, regions_of, type_name,
    walk_type, Regions,
};
pub use scan::{control_free_macros, shadowed_std_names, use_at};
pub use signature::signature;

use copy::*;
use regions::*;
use signature::*;

use crate::ast::{self, Mutability, Name};
use crate::ty::Ty;
use std::sync::Arc;

/// The index is read on every expression lowered: its maps hash names with `FxHasher`, not SipHash.
type HashMap<K, V> = std::collections::HashMap<K, V, crate::base::FxBuild>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Receiver {
    /// An associated function without `self`.
    None,
    Value,
    Ref,
    RefMut,
}

/// What a call site needs to know of a function.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FnSig {
    pub receiver: Receiver,
    /// Parameter types without `self`.
    pub params: Vec<Ty>,
    /// `None` when the return type was not written: `()`.
    pub ret: Ty,
    /// Indices of the arguments (counting `self` as 0 when there is a receiver) whose borrows the
    /// return value may hold, by the elision rules and named lifetimes.
    pub ret_borrows: Vec<usize>,
    /// Does the return value keep those borrows at all (`false` for `-> usize`)?
    pub ret_holds_borrow: bool,
    /// Indices of the parameters (without `self`) whose type names `'static`.
    pub static_params: Vec<usize>,
    /// The parameter (without `self`) whose type is the return type's bare type parameter
    /// (`fn id<T>(x: T) -> T`): the result's type is that argument's.
    pub ret_param: Option<usize>,
    /// Indices of the parameters (without `self`) bounded by `Fn(..)` (`f: F` with `F: Fn()`,
    /// or `impl Fn()`): a closure passed there is an `Fn` closure.
    pub fn_params: Vec<usize>,
    /// For `&mut self` methods: indices of the parameters (without `self`) whose type shares the
    /// self type's parameters (`fn push(&mut self, t: T)` in `impl<T> Bag<T>`, `s: &'a str` in
    /// `impl<'a> Parser<'a>`): the receiver's type holds what is passed there.
    pub stores: Vec<usize>,
    /// The signature as written, for the lifetimes a call relates.
    pub written: Option<std::sync::Arc<WrittenSig>>,
}

/// A function's signature as written (paths resolved, no spans).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct WrittenSig {
    pub generics: ast::Generics,
    /// The generics of its impl, and the impl's self type.
    pub impl_generics: ast::Generics,
    pub impl_self: Option<ast::Type>,
    /// Its impl is of a trait.
    pub trait_impl: bool,
    /// The receiver's type as written (`&'a Self` for `&'a self`, `Self` for `self`).
    pub receiver: Option<ast::Type>,
    pub params: Vec<ast::Type>,
    pub ret: Option<ast::Type>,
}

/// `def`'s signature as written, in an impl of `impl_self` with `impl_generics`.
pub fn written_sig(
    def: &ast::FnDef,
    impl_generics: &ast::Generics,
    impl_self: Option<&ast::Type>,
) -> WrittenSig {
    let self_ty = || ast::Type::Path {
        segments: vec!["Self".into()],
        args: Vec::new(),
    };
    let receiver = def.self_param.as_ref().map(|s| match s {
        ast::SelfParam::Value { .. } => self_ty(),
        ast::SelfParam::Ref {
            mutability,
            lifetime,
            ..
        } => ast::Type::Ref {
            lifetime: lifetime.clone(),
            mutability: *mutability,
            inner: Box::new(self_ty()),
        },
        ast::SelfParam::Typed { ty, .. } => ty.clone(),
    });
    WrittenSig {
        generics: def.generics.clone(),
        impl_generics: impl_generics.clone(),
        impl_self: impl_self.cloned(),
        trait_impl: false,
        receiver,
        params: def.params.iter().map(|p| p.ty.clone()).collect(),
        ret: def.ret.clone(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AdtInfo {
    pub fields: Vec<(ast::FieldName, Ty)>,
    pub copy: bool,
    /// How `Copy` depends on the type's arguments: `Some(true)` for `#[derive(Copy)]` (each
    /// argument must be `Copy`), `Some(false)` for an `impl Copy` without bounds (never), `None`
    /// for an `impl Copy` with bounds we cannot check.
    pub copy_if_args_copy: Option<bool>,
    /// For an `impl Copy` with bounds: the positions of the arguments it requires to be `Copy`.
    pub copy_needs_copy_args: Vec<usize>,
    /// `#[derive(Clone)]` (an `impl Clone` shows in `Index::implements`).
    pub clone: bool,
    /// `#[derive(Default)]`.
    pub default: bool,
    pub drop: bool,
    pub lifetimes: u8,
    /// A `union`: its fields overlap.
    pub is_union: bool,
    /// The type parameters' names, in order (the fields' types name them as `Ty::Param`).
    pub params: Vec<Name>,
    pub is_enum: bool,
    /// Fields whose type names `'static`: what is stored there must live forever.
    pub static_fields: Vec<ast::FieldName>,
    /// For enums: each variant's fields with their types.
    pub variants: Vec<(Name, Vec<(ast::FieldName, Ty)>)>,
    /// An attribute macro rewrites the type (`#[salsa::input]`): it may be `Copy`, may have a
    /// `Drop`, and its fields may not be what is written.
    pub opaque: bool,
    /// The type as written (generics, fields' types with their lifetimes), for the regions of
    /// what is read from it and what its type implies.
    pub written: Option<std::sync::Arc<WrittenAdt>>,
}

/// A struct or enum as written: its generics and its fields' types (paths resolved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenAdt {
    pub generics: ast::Generics,
    /// A struct's fields (`Unit` for an enum).
    pub fields: ast::Fields,
    /// An enum's variants.
    pub variants: Vec<(Name, ast::Fields)>,
}

/// What the index knows: the crate's items and its functions' signatures, each shared. They
/// are apart so that a function's body can read the items whole and, of the signatures, only
/// those its names may reach (`FnFacts::read_by`): editing a signature then re-runs only the
/// bodies that may call it (see `db::fn_signatures_read`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Index {
    items: Arc<ItemFacts>,
    fns: Arc<FnFacts>,
}

/// The crate's types, impls, traits, statics and aliases, and what its text says of std names.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ItemFacts {
    adts: HashMap<Name, AdtInfo>,
    /// std type names the file imports from elsewhere: nothing std says holds for them.
    shadowed: Vec<Name>,
    /// `macro_rules!` macros of the file whose bodies hold no `return`, `break`, `continue` or
    /// `?`: they cannot divert control flow.
    control_free_macros: Vec<Name>,
    /// For each type, the traits it implements (`Index`, `IndexMut`, ...).
    impls: HashMap<Name, Vec<Name>>,
    /// `impl Deref for X { type Target = T; }`: X's target.
    /// With the impl's type parameters as the self type's arguments name them (`impl<T> Deref
    /// for Own<T> { type Target = T; }` gives `([T], T)`).
    deref_targets: HashMap<Name, (Vec<Name>, Ty)>,
    /// `impl Iterator for X { type Item = T; }`: X's impl parameters and its item type.
    iterator_items: HashMap<Name, (Vec<Name>, Ty)>,
    /// The crate's traits with their supertraits; `None` when the name is declared twice.
    traits: HashMap<Name, Option<Vec<Name>>>,
    /// `static` items: mutability and type; `None` when the name is declared twice.
    statics: HashMap<Name, Option<(bool, Ty)>>,
    /// Type aliases without parameters (`type MakeRef = fn() -> &'static u8;`); `None` when the
    /// name is declared twice or takes parameters.
    aliases: HashMap<Name, Option<ast::Type>>,
    /// Every type alias with its generics (`type Pair<'a, T> = (&'a T, &'a T);`); `None` when
    /// the name is declared twice.
    generic_aliases: HashMap<Name, Option<std::sync::Arc<(ast::Generics, ast::Type)>>>,
    /// Trait -> the std types its impls may add methods to (`*`: any type).
    trait_selves: HashMap<Name, Vec<Name>>,
    /// What is computed from these facts alone, once for every body that asks.
    memo: FactsMemo,
}

/// Answers computed from a crate's `ItemFacts` alone (its types' templates and variances),
/// kept with them: every body checked against these facts asks again for the types it uses,
/// and an edit inside a body leaves the facts (and so the answers) as they were. Each answer
/// is a function of the facts and its key, so the memo is left out of comparisons and copies.
#[derive(Default)]
struct FactsMemo {
    templates: std::sync::Mutex<HashMap<Name, Option<Arc<crate::ty::regions::AdtTemplate>>>>,
    variances: std::sync::Mutex<HashMap<(Name, usize, usize), crate::ty::regions::Variances>>,
}

impl PartialEq for FactsMemo {
    fn eq(&self, _: &FactsMemo) -> bool {
        true
    }
}
impl Eq for FactsMemo {}

impl Clone for FactsMemo {
    fn clone(&self) -> FactsMemo {
        FactsMemo::default()
    }
}

/// The answer for `key` in `memo`, computed by `compute` the first time. The lock is not held
/// while computing: an answer may ask for others.
fn memoized<K: std::hash::Hash + Eq, V: Clone>(
    memo: &std::sync::Mutex<HashMap<K, V>>,
    key: K,
    compute: impl FnOnce() -> V,
) -> V {
    let lock = || memo.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(v) = lock().get(&key) {
        return v.clone();
    }
    let v = compute();
    lock().insert(key, v.clone());
    v
}

impl std::fmt::Debug for FactsMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FactsMemo")
    }
}

impl ItemFacts {
    fn add_adt(&mut self, name: &Name, info: AdtInfo) {
        // Two types of one name in one crate (in different modules): we cannot tell which is
        // meant, so the name knows nothing.
        if self.adts.contains_key(name) {
            self.adts.insert(
                name.clone(),
                AdtInfo {
                    opaque: true,
                    ..AdtInfo::default()
                },
            );
            return;
        }
        self.adts.insert(name.clone(), info);
    }
}

/// The self types that have a method of one name, with its signature (`None` when ambiguous),
/// sorted by type. A list rather than a map: a body's slice of the signatures is compared with
/// the one before after every signature edit, and lists compare without hashing, their names
/// and signatures by address first (the same allocations while their files are unchanged).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Owners(Vec<(Name, Option<Arc<FnSig>>)>);

impl Owners {
    fn get(&self, owner: &str) -> Option<&FnSig> {
        let i = self.0.binary_search_by(|(o, _)| (**o).cmp(owner)).ok()?;
        self.0[i].1.as_deref()
    }
}

/// The signatures of the crate's functions and methods, every lookup by a name that the calling
/// body spells (a function's id is `name@module`, a method is looked up by its name).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FnFacts {
    /// Free functions by id.
    free: HashMap<Name, Option<Arc<FnSig>>>,
    /// method name -> the self types with a method of that name, each with its signature
    /// (`None` when ambiguous). By name first, so that a body's slice shares the entries of the
    /// names it spells.
    methods: HashMap<Name, Arc<Owners>>,
    /// Names of the methods the crate's traits declare or its trait impls define, with the std
    /// types (`*`: any) that the traits are implemented for: such a method may shadow what the
    /// std table says of those types (inherent methods cannot).
    method_names: HashMap<Name, Vec<Name>>,
}

impl Index {
    /// An index of these items and signatures.
    pub fn from_parts(items: Arc<ItemFacts>, fns: Arc<FnFacts>) -> Index {
        Index { items, fns }
    }

    pub fn build(file: &ast::SourceFile, shadowed: Vec<Name>) -> Index {
        Index::build_with(file, shadowed, Vec::new())
    }

    pub fn build_with(
        file: &ast::SourceFile,
        shadowed: Vec<Name>,
        control_free_macros: Vec<Name>,
    ) -> Index {
        let mut builder = IndexBuilder::new(shadowed, control_free_macros);
        for item in &file.items {
            builder.add_item(item);
        }
        builder.finish()
    }

    /// A macro that cannot divert control flow: std's pure ones and the file's own whose bodies
    /// hold no `return`, `break`, `continue` or `?`.
    pub fn macro_is_control_free(&self, name: &str) -> bool {
        matches!(
            name,
            "stringify"
                | "concat"
                | "include_str"
                | "include_bytes"
                | "env"
                | "option_env"
                | "line"
                | "file"
                | "column"
                | "module_path"
                | "cfg"
                | "debug_assert"
                | "debug_assert_eq"
                | "debug_assert_ne"
                | "eprint"
                | "print"
        ) || self.items.control_free_macros.iter().any(|n| &**n == name)
    }

    /// The target of the crate's `Deref` impl for `ty`, with `ty`'s arguments substituted.
    pub fn deref_target(&self, ty: &Ty) -> Option<Ty> {
        instantiate(&self.items.deref_targets, ty)
    }

    /// The item type of a crate type's `Iterator` impl (`type Item = &'a i32`), its impl's
    /// parameters given the type's arguments.
    pub fn iterator_item(&self, ty: &Ty) -> Option<Ty> {
        instantiate(&self.items.iterator_items, ty)
    }

    /// Whether the crate implements the trait for the type (by last path segments).
    pub fn implements(&self, ty: &str, tr: &str) -> bool {
        self.items
            .impls
            .get(ty)
            .is_some_and(|v| v.iter().any(|t| &**t == tr))
    }

    pub fn is_shadowed(&self, name: &str) -> bool {
        self.items.shadowed.iter().any(|n| &**n == name)
    }

    pub fn adt(&self, name: &str) -> Option<&AdtInfo> {
        self.items.adts.get(name)
    }

    pub fn adt_is_copy(&self, name: &str) -> Option<bool> {
        self.items
            .adts
            .get(name)
            .and_then(|a| if a.opaque { None } else { Some(a.copy) })
    }

    /// A type with the crate's aliases replaced by what they stand for, their type parameters
    /// by the arguments given (a few levels deep: an alias may name another).
    pub fn expand_aliases(&self, ty: Ty) -> Ty {
        // Most types name no alias: answer those without rebuilding them.
        fn names_alias(index: &Index, ty: &Ty) -> bool {
            match ty {
                Ty::Adt { name, args, .. } => {
                    index.items.aliases.contains_key(name)
                        || args.iter().any(|t| names_alias(index, t))
                }
                Ty::Ref(_, t) | Ty::Array(t, _) | Ty::Slice(t) => names_alias(index, t),
                Ty::Tuple(ts) => ts.iter().any(|t| names_alias(index, t)),
                _ => false,
            }
        }
        if self.items.aliases.is_empty() || !names_alias(self, &ty) {
            return ty;
        }
        fn go(index: &Index, ty: Ty, depth: u32) -> Ty {
            if depth > 8 || index.items.aliases.is_empty() {
                return ty;
            }
            if let Ty::Adt {
                name,
                args,
                lifetimes,
            } = &ty
            {
                if !index.items.adts.contains_key(name) {
                    match index.items.aliases.get(name) {
                        Some(Some(t)) if args.is_empty() && *lifetimes == 0 => {
                            return go(index, Ty::from_ast(t, &[], None), depth + 1);
                        }
                        // An alias with parameters (`type Result<T> = Result<T, Error>`): its
                        // type with the arguments given for its type parameters. A parameter
                        // given no argument has a default, not kept here: unknown. Aliases are
                        // keyed by id only in a crate; a file alone keeps the last segment,
                        // which may be std's own name: unknown there, as before.
                        Some(_) if crate::items::is_id(name) => {
                            return match index.alias(name) {
                                Some((g, t)) if args.len() <= g.types.len() => {
                                    let params: Vec<Name> =
                                        g.types.iter().map(|(p, _)| p.clone()).collect();
                                    let expanded = Ty::from_ast(t, &index.generic_copy(g), None)
                                        .subst(&params, args);
                                    go(index, expanded, depth + 1)
                                }
                                _ => Ty::Unknown,
                            };
                        }
                        Some(_) => return Ty::Unknown,
                        None => {}
                    }
                }
            }
            match ty {
                Ty::Ref(m, t) => Ty::Ref(m, Box::new(go(index, *t, depth + 1))),
                Ty::Tuple(ts) => {
                    Ty::Tuple(ts.into_iter().map(|t| go(index, t, depth + 1)).collect())
                }
                Ty::Array(t, n) => Ty::Array(Box::new(go(index, *t, depth + 1)), n),
                Ty::Slice(t) => Ty::Slice(Box::new(go(index, *t, depth + 1))),
                Ty::Adt {
                    name,
                    args,
                    lifetimes,
                } => Ty::Adt {
                    name,
                    args: args.into_iter().map(|t| go(index, t, depth + 1)).collect(),
                    lifetimes,
                },
                other => other,
            }
        }
        go(self, ty, 0)
    }

    /// The crate's type alias of this name, with its generics.
    pub fn alias(&self, name: &str) -> Option<(&ast::Generics, &ast::Type)> {
        let a = self.items.generic_aliases.get(name)?.as_ref()?;
        Some((&a.0, &a.1))
    }

    /// The crate's `static` item of this name: whether it is `mut`, and its type.
    pub fn static_item(&self, name: &str) -> Option<&(bool, Ty)> {
        self.items.statics.get(name)?.as_ref()
    }

    /// `AdtTemplate::of`, computed once for these facts.
    pub fn adt_template(&self, name: &str) -> Option<Arc<crate::ty::regions::AdtTemplate>> {
        memoized(&self.items.memo.templates, name.into(), || {
            crate::ty::regions::AdtTemplate::of(self, name).map(Arc::new)
        })
    }

    /// `ty::regions::variances`, computed once for these facts.
    pub fn variances(
        &self,
        name: &Name,
        n_regions: usize,
        n_args: usize,
    ) -> crate::ty::regions::Variances {
        memoized(
            &self.items.memo.variances,
            (name.clone(), n_regions, n_args),
            || crate::ty::regions::variances(self, name, n_regions, n_args),
        )
    }

    /// A free function of the crate by name.
    pub fn function(&self, name: &str) -> Option<&FnSig> {
        self.fns.free.get(name)?.as_deref()
    }

    /// A method of a workspace type by the type's name.
    /// Whether an `impl Tr for &owner` (or `&mut owner`) of the crate defines a method of this
    /// name: on a receiver reached as `&owner`, rustc's probe meets it before `owner`'s own
    /// methods that take `&self`.
    pub fn ref_impl_defines(&self, owner: &str, name: &str) -> bool {
        self.fns
            .methods
            .get(name)
            .is_some_and(|o| o.0.iter().any(|(x, _)| x.strip_prefix('&') == Some(owner)))
    }

    pub fn method(&self, owner: &str, name: &str) -> Option<&FnSig> {
        self.fns.methods.get(name)?.get(owner)
    }

    /// Whether a bound naming one of the crate's traits makes a type `Copy`, through the
    /// supertraits (`trait A: Copy`); unknown for names that are not the crate's.
    pub fn trait_implies_copy(&self, name: &str) -> Option<bool> {
        fn go(index: &Index, name: &str, depth: u32) -> Option<bool> {
            if depth > 16 || index.is_shadowed(name) {
                return None;
            }
            let supertraits = index.items.traits.get(name)?.as_ref()?;
            bounds_copy(supertraits, &|b| go(index, b, depth + 1))
        }
        go(self, name, 0)
    }

    /// Whether the bounds of an `impl Trait` (as written: `Fn()`, `Iterator<Item = u8>`,
    /// `std::fmt::Debug`, `'a`) make it `Copy`.
    pub fn impl_trait_copy(&self, bounds: &[Name]) -> Option<bool> {
        let names: Vec<Name> = bounds
            .iter()
            .map(|b| {
                let head = b.split(['(', '<']).next().unwrap_or("").trim();
                if crate::items::is_id(head) {
                    return Name::from(head);
                }
                Name::from(head.rsplit("::").next().unwrap_or(head))
            })
            .collect();
        bounds_copy(&names, &|b| self.trait_implies_copy(b))
    }

    /// Each type parameter with whether its bounds, the crate's traits included, make it `Copy`.
    pub fn generic_copy(&self, g: &ast::Generics) -> Vec<(Name, Option<bool>)> {
        generic_copy_with(g, &|b| self.trait_implies_copy(b))
    }

    /// The signature of the method `name` when one trait of the crate alone declares a method of
    /// that name and no type of the crate has one of its own (a blanket impl's method on any
    /// type is then that trait's).
    pub fn sole_trait_method(&self, name: &str) -> Option<std::sync::Arc<WrittenSig>> {
        let mut found = None;
        for (owner, sig) in self.fns.methods.get(name)?.0.iter() {
            match sig {
                Some(sig) if found.is_none() && self.items.traits.contains_key(owner) => {
                    found = Some(sig.written.clone()?)
                }
                _ => return None,
            }
        }
        found
    }

    /// Whether a trait of the crate may add a method of this name to the std type `owner`
    /// (through an impl for it, or a blanket impl).
    pub fn defines_method_named(&self, name: &str, owner: &str) -> bool {
        self.fns
            .method_names
            .get(name)
            .is_some_and(|selves| selves.iter().any(|s| &**s == "*" || &**s == owner))
    }
}

/// An impl's associated type kept by its self type's name (`Items::deref_targets`), for `ty`:
/// the impl's parameters given `ty`'s arguments.
fn instantiate(by_type: &HashMap<Name, (Vec<Name>, Ty)>, ty: &Ty) -> Option<Ty> {
    let Ty::Adt { name, args, .. } = ty else {
        return None;
    };
    let (params, t) = by_type.get(name)?;
    if params.is_empty() {
        return Some(t.clone());
    }
    (args.len() == params.len()).then(|| t.subst(params, args))
}
