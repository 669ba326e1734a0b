//! The signatures the analysis needs from the items of a crate, and from the std table.
//!
//! Position-independent by construction (no spans), so editing a function body leaves the index
//! equal and salsa does not re-run the bodies that depend on it.

/// The index is read on every expression lowered: its maps hash names with `FxHasher`, not SipHash.
type HashMap<K, V> = std::collections::HashMap<K, V, crate::syntax::FxBuild>;
use std::ops::ControlFlow;

use crate::ast::{self, Mutability, Name};
use crate::std_api;
use crate::ty::Ty;

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
}

/// Attributes that are not macros: everything else on a type may rewrite it.
const BUILTIN_ATTRS: &[&str] = &[
    "derive",
    "doc",
    "allow",
    "warn",
    "deny",
    "forbid",
    "expect",
    "repr",
    "non_exhaustive",
    "must_use",
    "cfg",
    "cfg_attr",
    "deprecated",
    "automatically_derived",
    "rustfmt",
    "clippy",
];

fn has_attribute_macro(attrs: &[Name]) -> bool {
    attrs.iter().any(|a| {
        let head = a.split(['(', '=', ' ', ':']).next().unwrap_or("");
        !BUILTIN_ATTRS.contains(&head)
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Index {
    adts: HashMap<Name, AdtInfo>,
    fns: HashMap<Name, Option<FnSig>>,
    /// self type name -> method -> signature; `None` when ambiguous. Nested, so that a lookup by
    /// `&str`s allocates no key.
    methods: HashMap<Name, HashMap<Name, Option<FnSig>>>,
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
    /// Names of the methods the crate's traits declare or its trait impls define: such a method
    /// may be added to std types and shadow what the std table says (inherent methods cannot).
    method_names: HashMap<Name, u32>,
    /// The crate's traits with their supertraits; `None` when the name is declared twice.
    traits: HashMap<Name, Option<Vec<Name>>>,
    /// `static` items: mutability and type; `None` when the name is declared twice.
    statics: HashMap<Name, Option<(bool, Ty)>>,
    /// Type aliases without parameters (`type MakeRef = fn() -> &'static u8;`); `None` when the
    /// name is declared twice or takes parameters.
    aliases: HashMap<Name, Option<ast::Type>>,
}

/// What a function item contributes to the index. Computed per function (see `db`), so that an
/// edit recomputes only the edited function's entry, and an entry that stays equal (a body edit)
/// leaves the index as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FnEntry {
    /// A free function of the crate, not nested in another.
    Free(Name, FnSig),
    /// A function in an impl or trait: its owner (the self type's or trait's name, when there is
    /// one) and its signature (`None` for `impl Tr for &T`, which the index does not model).
    Method {
        owner: Option<Name>,
        name: Name,
        sig: Option<FnSig>,
        /// Declared in a trait or a trait impl: such a method may be added to std types.
        in_trait: bool,
    },
    /// A function nested in another one's body: not visible to the index.
    Nested,
}

/// The entry of the function `def` in `container`.
pub fn fn_entry(def: &ast::FnDef, c: &ast::Container) -> FnEntry {
    if c.impl_self.is_none() && c.trait_name.is_none() {
        if !c.parent_fns.is_empty() {
            return FnEntry::Nested;
        }
        return FnEntry::Free(
            def.name.clone(),
            signature(def, &ast::Generics::default(), None),
        );
    }
    let generics = [generic_copy(&def.generics), generic_copy(&c.impl_generics)].concat();
    let self_ty = c
        .impl_self
        .as_ref()
        .map(|t| Ty::from_ast(t, &generics, None));
    let owner = c
        .impl_self
        .as_ref()
        .and_then(type_name)
        .or_else(|| c.trait_name.clone());
    // `impl Tr for &T`: method lookup on a `&T` receiver finds these first; we do not model
    // that, so the name knows nothing.
    let sig = (!matches!(c.impl_self, Some(ast::Type::Ref { .. })) && owner.is_some()).then(|| {
        let mut sig = signature(def, &c.impl_generics, self_ty.as_ref());
        if let Some(t) = &c.impl_self {
            sig.stores = stores_into_self(def, t);
        }
        sig
    });
    FnEntry::Method {
        owner,
        name: def.name.clone(),
        sig,
        in_trait: c.trait_name.is_some() || c.impl_trait.is_some(),
    }
}

/// Builds an `Index` item by item, in the file's order.
pub struct IndexBuilder {
    index: Index,
    /// `impl Copy for X`: whether the impl has bounds, and which arguments it wants `Copy`.
    copy_impls: Vec<(Name, bool, Vec<usize>)>,
    drop_impls: Vec<Name>,
}

impl IndexBuilder {
    pub fn new(shadowed: Vec<Name>, control_free_macros: Vec<Name>) -> IndexBuilder {
        IndexBuilder {
            index: Index {
                shadowed,
                control_free_macros,
                ..Index::default()
            },
            copy_impls: Vec::new(),
            drop_impls: Vec::new(),
        }
    }

    pub fn add_item(&mut self, item: &ast::Item) {
        match item {
            ast::Item::Struct(s) => {
                let fields = field_types(&s.fields, &generic_copy(&s.generics));
                let static_fields = match &s.fields {
                    ast::Fields::Named(fs) => fs
                        .iter()
                        .filter(|(_, t)| mentions_static(t))
                        .map(|(n, _)| ast::FieldName::Named(n.clone()))
                        .collect(),
                    ast::Fields::Tuple(ts) => ts
                        .iter()
                        .enumerate()
                        .filter(|(_, t)| mentions_static(t))
                        .map(|(i, _)| ast::FieldName::Index(i as u32))
                        .collect(),
                    ast::Fields::Unit => Vec::new(),
                };
                self.index.add_adt(
                    &s.name,
                    AdtInfo {
                        variants: Vec::new(),
                        static_fields,
                        fields,
                        copy: s.derives.iter().any(|d| &**d == "Copy"),
                        copy_if_args_copy: Some(true),
                        copy_needs_copy_args: Vec::new(),
                        clone: s.derives.iter().any(|d| &**d == "Clone"),
                        default: s.derives.iter().any(|d| &**d == "Default"),
                        drop: false,
                        lifetimes: s.generics.lifetimes.len() as u8,
                        params: s.generics.types.iter().map(|(n, _)| n.clone()).collect(),
                        is_union: s.is_union,
                        is_enum: false,
                        opaque: has_attribute_macro(&s.attrs),
                    },
                );
            }
            ast::Item::Enum(e) => {
                let generics = generic_copy(&e.generics);
                let variants = e
                    .variants
                    .iter()
                    .map(|(v, fields)| (v.clone(), field_types(fields, &generics)))
                    .collect();
                self.index.add_adt(
                    &e.name,
                    AdtInfo {
                        variants,
                        static_fields: Vec::new(),
                        fields: Vec::new(),
                        copy: e.derives.iter().any(|d| &**d == "Copy"),
                        copy_if_args_copy: Some(true),
                        copy_needs_copy_args: Vec::new(),
                        clone: e.derives.iter().any(|d| &**d == "Clone"),
                        default: e.derives.iter().any(|d| &**d == "Default"),
                        drop: false,
                        lifetimes: e.generics.lifetimes.len() as u8,
                        params: e.generics.types.iter().map(|(n, _)| n.clone()).collect(),
                        is_union: false,
                        is_enum: true,
                        opaque: has_attribute_macro(&e.attrs),
                    },
                );
            }
            ast::Item::Impl(i) => {
                let name = type_name(&i.self_ty);
                if let (Some(t), Some(n), false) = (
                    &i.trait_name,
                    &name,
                    matches!(i.self_ty, ast::Type::Ref { .. }),
                ) {
                    self.index
                        .impls
                        .entry(n.clone())
                        .or_default()
                        .push(t.clone());
                    if &**t == "Deref" {
                        if let (Some((_, target)), Some(params)) = (
                            i.assoc_types.iter().find(|(a, _)| &**a == "Target"),
                            self_params(&i.self_ty, &i.generics),
                        ) {
                            let generics = generic_copy(&i.generics);
                            let target = Ty::from_ast(target, &generics, None);
                            let unbound = target.subst(&params, &vec![Ty::Unknown; params.len()]);
                            if !target.is_unknown() && !unbound.has_params() {
                                self.index.deref_targets.insert(n.clone(), (params, target));
                            }
                        }
                    }
                }
                match (i.trait_name.as_deref(), name) {
                    (Some("Copy"), Some(n)) => {
                        let bounded = i.generics.types.iter().any(|(_, bounds)| {
                            bounds
                                .iter()
                                .any(|b| !b.starts_with('?') && !b.starts_with('\''))
                        });
                        let needs: Vec<usize> = self_params(&i.self_ty, &i.generics)
                            .map(|ps| {
                                ps.iter()
                                    .enumerate()
                                    .filter(|(_, p)| {
                                        i.generics.types.iter().any(|(n, bounds)| {
                                            n == *p && bounds.iter().any(|b| &**b == "Copy")
                                        })
                                    })
                                    .map(|(k, _)| k)
                                    .collect()
                            })
                            .unwrap_or_default();
                        self.copy_impls.push((n, bounded, needs))
                    }
                    (Some("Drop"), Some(n)) => self.drop_impls.push(n),
                    _ => {}
                }
            }
            ast::Item::Fn(f) => self.add_fn(&fn_entry(&f.def, &f.container)),
            ast::Item::TypeAlias(a) => {
                let plain = a.generics.types.is_empty() && a.generics.lifetimes.is_empty();
                insert_once(
                    &mut self.index.aliases,
                    a.name.clone(),
                    plain.then(|| a.ty.clone()),
                );
            }
            ast::Item::Static(st) => {
                let entry = Some((st.mutable, Ty::from_ast(&st.ty, &[], None)));
                insert_once(&mut self.index.statics, st.name.clone(), entry);
            }
            ast::Item::Trait(t) => {
                let supertraits = Some(t.supertraits.clone());
                insert_once(&mut self.index.traits, t.name.clone(), supertraits);
            }
        }
    }

    /// A function's entry (`fn_entry`). Functions and types fill different tables, so the
    /// functions may come after all the types.
    pub fn add_fn(&mut self, entry: &FnEntry) {
        match entry {
            FnEntry::Free(name, sig) => {
                insert_unique(&mut self.index.fns, name.clone(), sig.clone())
            }
            FnEntry::Method {
                owner,
                name,
                sig,
                in_trait,
            } => {
                if *in_trait {
                    *self.index.method_names.entry(name.clone()).or_default() += 1;
                }
                if let Some(owner) = owner {
                    let methods = self.index.methods.entry(owner.clone()).or_default();
                    match sig {
                        Some(sig) => insert_unique(methods, name.clone(), sig.clone()),
                        None => {
                            methods.insert(name.clone(), None);
                        }
                    }
                }
            }
            FnEntry::Nested => {}
        }
    }

    pub fn finish(mut self) -> Index {
        for (n, bounded, needs) in self.copy_impls {
            if let Some(a) = self.index.adts.get_mut(&n) {
                if !a.copy {
                    a.copy = true;
                    a.copy_if_args_copy = if bounded { None } else { Some(false) };
                    a.copy_needs_copy_args = needs;
                }
            }
        }
        for n in self.drop_impls {
            if let Some(a) = self.index.adts.get_mut(&n) {
                a.drop = true;
            }
        }
        self.index
    }
}

impl Index {
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
        ) || self.control_free_macros.iter().any(|n| &**n == name)
    }

    /// The target of the crate's `Deref` impl for `ty`, with `ty`'s arguments substituted.
    pub fn deref_target(&self, ty: &Ty) -> Option<Ty> {
        let Ty::Adt { name, args, .. } = ty else {
            return None;
        };
        let (params, target) = self.deref_targets.get(name)?;
        if params.is_empty() {
            return Some(target.clone());
        }
        (args.len() == params.len()).then(|| target.subst(params, args))
    }

    /// Whether the crate implements the trait for the type (by last path segments).
    pub fn implements(&self, ty: &str, tr: &str) -> bool {
        self.impls
            .get(ty)
            .is_some_and(|v| v.iter().any(|t| &**t == tr))
    }

    pub fn is_shadowed(&self, name: &str) -> bool {
        self.shadowed.iter().any(|n| &**n == name)
    }

    pub fn adt(&self, name: &str) -> Option<&AdtInfo> {
        self.adts.get(name)
    }

    pub fn adt_is_copy(&self, name: &str) -> Option<bool> {
        self.adts
            .get(name)
            .and_then(|a| if a.opaque { None } else { Some(a.copy) })
    }

    /// A type with the crate's parameterless aliases replaced by what they stand for (a few
    /// levels deep: an alias may name another).
    pub fn expand_aliases(&self, ty: Ty) -> Ty {
        // Most types name no alias: answer those without rebuilding them.
        fn names_alias(index: &Index, ty: &Ty) -> bool {
            match ty {
                Ty::Adt { name, args, .. } => {
                    index.aliases.contains_key(name) || args.iter().any(|t| names_alias(index, t))
                }
                Ty::Ref(_, t) | Ty::Array(t, _) | Ty::Slice(t) => names_alias(index, t),
                Ty::Tuple(ts) => ts.iter().any(|t| names_alias(index, t)),
                _ => false,
            }
        }
        if self.aliases.is_empty() || !names_alias(self, &ty) {
            return ty;
        }
        fn go(index: &Index, ty: Ty, depth: u32) -> Ty {
            if depth > 8 || index.aliases.is_empty() {
                return ty;
            }
            if let Ty::Adt {
                name,
                args,
                lifetimes,
            } = &ty
            {
                if !index.adts.contains_key(name) {
                    match index.aliases.get(name) {
                        Some(Some(t)) if args.is_empty() && *lifetimes == 0 => {
                            return go(index, Ty::from_ast(t, &[], None), depth + 1);
                        }
                        // An alias with parameters (`type Result<T> = ..`): not the std type
                        // of that name, and beyond us.
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

    /// The crate's `static` item of this name: whether it is `mut`, and its type.
    pub fn static_item(&self, name: &str) -> Option<&(bool, Ty)> {
        self.statics.get(name)?.as_ref()
    }

    /// A free function of the crate by name.
    pub fn function(&self, name: &str) -> Option<&FnSig> {
        self.fns.get(name).and_then(|s| s.as_ref())
    }

    /// A method of a workspace type by the type's name.
    pub fn method(&self, owner: &str, name: &str) -> Option<&FnSig> {
        self.methods
            .get(owner)
            .and_then(|methods| methods.get(name))
            .and_then(|s| s.as_ref())
    }

    /// Whether a bound naming one of the crate's traits makes a type `Copy`, through the
    /// supertraits (`trait A: Copy`); unknown for names that are not the crate's.
    pub fn trait_implies_copy(&self, name: &str) -> Option<bool> {
        fn go(index: &Index, name: &str, depth: u32) -> Option<bool> {
            if depth > 16 || index.is_shadowed(name) {
                return None;
            }
            let supertraits = index.traits.get(name)?.as_ref()?;
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
                Name::from(head.rsplit("::").next().unwrap_or(head))
            })
            .collect();
        bounds_copy(&names, &|b| self.trait_implies_copy(b))
    }

    /// Each type parameter with whether its bounds, the crate's traits included, make it `Copy`.
    pub fn generic_copy(&self, g: &ast::Generics) -> Vec<(Name, Option<bool>)> {
        generic_copy_with(g, &|b| self.trait_implies_copy(b))
    }

    pub fn defines_method_named(&self, name: &str) -> bool {
        self.method_names.contains_key(name)
    }

    /// Whether the type has a `Drop` that may use the borrows it holds.
    pub fn has_significant_drop(&self, ty: &Ty) -> Option<bool> {
        match ty {
            Ty::Adt { name, args, .. } => {
                if let Some(a) = self.adts.get(name) {
                    return if a.opaque { None } else { Some(a.drop) };
                }
                if crate::ty::STD_GUARDS.contains(&&**name) {
                    return Some(true);
                }
                // Containers drop their elements; std's containers are `#[may_dangle]` in
                // their element types, so only an element with a significant drop counts.
                let mut any = Some(false);
                for t in args {
                    match self.has_significant_drop(t) {
                        Some(true) => return Some(true),
                        None => any = None,
                        Some(false) => {}
                    }
                }
                if std_api::lookup(name, "new").is_some() || any == Some(false) {
                    any
                } else {
                    None
                }
            }
            Ty::Tuple(ts) => {
                let mut any = Some(false);
                for t in ts {
                    match self.has_significant_drop(t) {
                        Some(true) => return Some(true),
                        None => any = None,
                        Some(false) => {}
                    }
                }
                any
            }
            Ty::Array(t, _) => self.has_significant_drop(t),
            Ty::Unknown | Ty::Opaque | Ty::Dyn(_) | Ty::Param { .. } => None,
            _ => Some(false),
        }
    }
}

/// The fields of a struct or variant with their types.
fn field_types(
    fields: &ast::Fields,
    generics: &[(Name, Option<bool>)],
) -> Vec<(ast::FieldName, Ty)> {
    match fields {
        ast::Fields::Named(fs) => fs
            .iter()
            .map(|(n, t)| {
                (
                    ast::FieldName::Named(n.clone()),
                    Ty::from_ast(t, generics, None),
                )
            })
            .collect(),
        ast::Fields::Tuple(ts) => ts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    ast::FieldName::Index(i as u32),
                    Ty::from_ast(t, generics, None),
                )
            })
            .collect(),
        ast::Fields::Unit => Vec::new(),
    }
}

/// Records what a name declares; a name declared twice (in two modules, say) knows nothing.
fn insert_once<V>(map: &mut HashMap<Name, Option<V>>, k: Name, v: Option<V>) {
    match map.entry(k) {
        std::collections::hash_map::Entry::Occupied(mut e) => {
            e.insert(None);
        }
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(v);
        }
    }
}

fn insert_unique<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Option<FnSig>>, k: K, v: FnSig) {
    match map.get(&k) {
        None => {
            map.insert(k, Some(v));
        }
        Some(Some(old)) if *old == v => {}
        Some(_) => {
            map.insert(k, None);
        }
    }
}

/// The names of the function's type parameters that a written type mentions.
fn type_params_in(t: &ast::Type, g: &ast::Generics, acc: &mut Vec<Name>) {
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

/// std types without lifetime parameters whose regions are exactly their type arguments'.
const STD_REGION_TRANSPARENT: &[&str] = &[
    "Vec", "VecDeque", "Option", "Result", "Box", "Rc", "Arc", "HashMap", "HashSet", "BTreeMap",
    "BTreeSet", "Cell", "RefCell",
];

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

/// The impl's type parameters in the order the self type's arguments name them, when each
/// argument is a distinct parameter and every parameter is one (`impl<T> X for Own<T>`).
fn self_params(self_ty: &ast::Type, g: &ast::Generics) -> Option<Vec<Name>> {
    let ast::Type::Path { args, .. } = self_ty else {
        return None;
    };
    let mut params: Vec<Name> = Vec::new();
    for a in args {
        match a {
            ast::GenericArg::Lifetime(_) => {}
            ast::GenericArg::Type(ast::Type::Path { segments, args })
                if segments.len() == 1
                    && args.is_empty()
                    && g.types.iter().any(|(n, _)| *n == segments[0])
                    && !params.contains(&segments[0]) =>
            {
                params.push(segments[0].clone())
            }
            _ => return None,
        }
    }
    (params.len() == g.types.len()).then_some(params)
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

/// std traits that do not imply `Copy`: a parameter bounded only by these is not `Copy`.
const NOT_COPY_BOUNDS: &[&str] = &[
    "Clone",
    "Debug",
    "Display",
    "Default",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "ToString",
    "Borrow",
    "BorrowMut",
    "Unpin",
    "Any",
    "Error",
    "Read",
    "Write",
];

/// Each type parameter with whether its bounds make it `Copy`.
pub fn generic_copy(g: &ast::Generics) -> Vec<(Name, Option<bool>)> {
    generic_copy_with(g, &|_| None)
}

/// Whether a bound makes a type `Copy`; `other` answers for bounds that are not std's.
fn bound_copy(b: &str, other: &dyn Fn(&str) -> Option<bool>) -> Option<bool> {
    if b == "Copy" {
        Some(true)
    } else if b.starts_with('\'') || b.starts_with('?') || NOT_COPY_BOUNDS.contains(&b) {
        Some(false)
    } else {
        other(b)
    }
}

/// Some bound yes: yes; every bound no: no; else unknown.
fn bounds_copy(bounds: &[Name], other: &dyn Fn(&str) -> Option<bool>) -> Option<bool> {
    let mut acc = Some(false);
    for b in bounds {
        match bound_copy(b, other) {
            Some(true) => return Some(true),
            None => acc = None,
            Some(false) => {}
        }
    }
    acc
}

/// `generic_copy`, with `other` answering for bounds that are not std's (the crate's traits).
pub fn generic_copy_with(
    g: &ast::Generics,
    other: &dyn Fn(&str) -> Option<bool>,
) -> Vec<(Name, Option<bool>)> {
    g.types
        .iter()
        .map(|(n, bounds)| (n.clone(), bounds_copy(bounds, other)))
        .collect()
}

/// std type names that a `use` from outside std can replace (`use hashbrown::HashMap;`).
const STD_TYPE_NAMES: &[&str] = &[
    "Vec",
    "String",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "VecDeque",
    "BinaryHeap",
    "Box",
    "Rc",
    "Arc",
    "RefCell",
    "Cell",
    "Mutex",
    "RwLock",
    "Option",
    "Result",
    "Ref",
    "RefMut",
];

/// The file's `macro_rules!` macros whose bodies cannot divert control flow.
pub fn control_free_macros(text: &str) -> Vec<Name> {
    let mut out: Vec<Name> = Vec::new();
    // `contains` has a SIMD path that `find` lacks, and most files define no macro.
    if !text.contains("macro_rules!") {
        return out;
    }
    let mut rest = text;
    while let Some(i) = rest.find("macro_rules!") {
        rest = &rest[i + "macro_rules!".len()..];
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(open) = rest.find(['{', '(', '[']) else {
            break;
        };
        // The definition's extent: match the first delimiter.
        let mut depth = 0i32;
        let mut end = rest.len();
        for (j, c) in rest[open..].char_indices() {
            match c {
                '{' | '(' | '[' => depth += 1,
                '}' | ')' | ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let body = &rest[open..end];
        let words = body.split(|c: char| !(c.is_alphanumeric() || c == '_'));
        let diverts = body.contains('?')
            || words
                .into_iter()
                .any(|w| matches!(w, "return" | "break" | "continue" | "macro_rules"));
        if !name.is_empty() && !diverts {
            out.push(name.into());
        }
        rest = &rest[end..];
    }
    out
}

/// Names of std types that the file's `use` declarations import from elsewhere. A declaration
/// is a line that starts with `use` (after an optional visibility), up to its `;`.
pub fn shadowed_std_names(text: &str) -> Vec<Name> {
    let mut out: Vec<Name> = Vec::new();
    // This runs on every keystroke. Splitting the text into lines costs 30 ns a line. But a
    // declaration's line contains `use `, which `contains` finds at tens of bytes a nanosecond
    // (it has a SIMD path that `find` and the line splitting lack). So the text is cut into
    // short runs of whole lines, and only the runs that contain `use ` are read line by line.
    const RUN: usize = 256;
    let bytes = text.as_bytes();
    let mut run_start = 0;
    while run_start < bytes.len() {
        let past = (run_start + RUN).min(bytes.len());
        let run_end = first_newline(&bytes[past..]).map_or(bytes.len(), |i| past + i + 1);
        // Both ends follow a line break or are the text's ends: character boundaries.
        if text[run_start..run_end].contains("use ") {
            let mut line_start = run_start;
            for_each_newline(&bytes[run_start..run_end], |i| {
                let end = run_start + i;
                shadowed_in_line(text, line_start, &text[line_start..end], &mut out);
                line_start = end + 1;
                ControlFlow::Continue(())
            });
            if line_start < run_end {
                shadowed_in_line(text, line_start, &text[line_start..run_end], &mut out);
            }
        }
        run_start = run_end;
    }
    out
}

/// Calls `f` with the offset of every `\n` in `bytes`, in order, eight bytes at a time; stops
/// when `f` says so.
fn for_each_newline(bytes: &[u8], mut f: impl FnMut(usize) -> ControlFlow<()>) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().unwrap()) ^ 0x0a0a_0a0a_0a0a_0a0a;
        // The high bit of each byte of `zero` is set exactly where `x` has a zero byte.
        let mut zero = !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
        while zero != 0 {
            if f(at + zero.trailing_zeros() as usize / 8).is_break() {
                return;
            }
            zero &= zero - 1;
        }
        at += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == b'\n' && f(at + i).is_break() {
            return;
        }
    }
}

fn first_newline(bytes: &[u8]) -> Option<usize> {
    let mut first = None;
    for_each_newline(bytes, |i| {
        first = Some(i);
        ControlFlow::Break(())
    });
    first
}

/// `shadowed_std_names` for the line `line`, which starts at `start` in `text`.
fn shadowed_in_line(text: &str, start: usize, line: &str, out: &mut Vec<Name>) {
    let bytes = line.as_bytes();
    let mut i = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(bytes.len());
    if bytes[i..].starts_with(b"pub") {
        i += 3;
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        if bytes.get(i) == Some(&b'(') {
            match bytes[i..].iter().position(|&b| b == b')') {
                Some(j) => i += j + 1,
                None => return,
            }
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                i += 1;
            }
        }
    }
    if !bytes[i..].starts_with(b"use ") {
        return;
    }
    let rest = &text[start + i + "use ".len()..];
    let end = rest.find(';').unwrap_or(rest.len()).min(4000);
    let end = (0..=end)
        .rev()
        .find(|&i| rest.is_char_boundary(i))
        .unwrap_or(0);
    let decl = rest[..end].trim_start_matches(':').trim();
    let root = decl
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    if matches!(root, "std" | "core" | "alloc") {
        return;
    }
    for word in decl.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if STD_TYPE_NAMES.contains(&word) && !out.iter().any(|n| &**n == word) {
            out.push(word.into());
        }
    }
}

/// Lifetimes mentioned in a type; elided reference lifetimes show up as `"'_"`.
fn lifetimes_in(t: &ast::Type, acc: &mut Vec<Name>) {
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
        ast::Type::ImplTrait(bounds) | ast::Type::DynTrait(bounds) => {
            for b in bounds {
                if let Some(l) = b.strip_prefix('\'') {
                    acc.push(l.into());
                }
            }
        }
        _ => {}
    }
}

/// The signature of a function as a call site sees it.
/// What callers see of `def`; `outer` are the generics of its impl or trait, which callers
/// instantiate as they do the function's own (unknown to us).
pub fn signature(def: &ast::FnDef, outer: &ast::Generics, self_ty: Option<&Ty>) -> FnSig {
    let generics = [generic_copy(&def.generics), generic_copy(outer)].concat();
    let outer_params: Vec<Name> = outer.types.iter().map(|(n, _)| n.clone()).collect();
    let receiver = match &def.self_param {
        None => Receiver::None,
        Some(ast::SelfParam::Value { .. }) => Receiver::Value,
        Some(ast::SelfParam::Ref {
            mutability: Mutability::Not,
            ..
        }) => Receiver::Ref,
        Some(ast::SelfParam::Ref {
            mutability: Mutability::Mut,
            ..
        }) => Receiver::RefMut,
        Some(ast::SelfParam::Typed { ty, .. }) => match ty {
            ast::Type::Ref {
                mutability: Mutability::Not,
                ..
            } => Receiver::Ref,
            ast::Type::Ref {
                mutability: Mutability::Mut,
                ..
            } => Receiver::RefMut,
            _ => Receiver::Value,
        },
    };
    let params: Vec<Ty> = def
        .params
        .iter()
        .map(|p| Ty::from_ast(&p.ty, &generics, self_ty))
        .collect();
    let ret = def
        .ret
        .as_ref()
        .map_or(Ty::unit(), |t| Ty::from_ast(t, &generics, self_ty));
    // The callee's generic parameters are instantiated by each caller: unknown to us. The impl's
    // leave the rest of the type known (`Self` of `impl<T> Bag<T>` is a `Bag<_>`).
    let ret = ret.subst(&outer_params, &vec![Ty::Unknown; outer_params.len()]);
    let ret = if ret.has_params() || matches!(ret, Ty::Opaque | Ty::Dyn(_)) {
        Ty::Unknown
    } else {
        ret
    };

    // Which inputs the output's lifetimes come from.
    let mut out = Vec::new();
    if let Some(t) = &def.ret {
        lifetimes_in(t, &mut out);
    }
    let self_offset = usize::from(def.self_param.is_some());
    let mut ret_borrows = Vec::new();
    let ret_holds_borrow = !out.is_empty();
    if ret_holds_borrow {
        let mut inputs: Vec<(usize, Vec<Name>)> = Vec::new();
        match &def.self_param {
            Some(ast::SelfParam::Ref { lifetime, .. }) => {
                inputs.push((0, vec![lifetime.clone().unwrap_or_else(|| "_".into())]))
            }
            Some(ast::SelfParam::Typed { ty, .. }) => {
                let mut l = Vec::new();
                lifetimes_in(ty, &mut l);
                inputs.push((0, l));
            }
            Some(ast::SelfParam::Value { .. }) => inputs.push((0, Vec::new())),
            None => {}
        }
        for (i, p) in def.params.iter().enumerate() {
            // The argument of a `&'x T` parameter carries the loan of region `'x`; lifetimes
            // inside `T` are inner regions that one region per value cannot follow.
            let l = match &p.ty {
                ast::Type::Ref { lifetime, .. } => {
                    vec![lifetime.clone().unwrap_or_else(|| "_".into())]
                }
                t => {
                    let mut l = Vec::new();
                    lifetimes_in(t, &mut l);
                    l
                }
            };
            inputs.push((i + self_offset, l));
        }
        let elided_out = out.iter().any(|l| &**l == "_");
        if elided_out {
            // Elision: `&self` wins; otherwise the single input with lifetimes.
            let self_ref = matches!(
                def.self_param,
                Some(ast::SelfParam::Ref { .. }) | Some(ast::SelfParam::Typed { .. })
            );
            if self_ref {
                ret_borrows.push(0);
            } else {
                let with: Vec<usize> = inputs
                    .iter()
                    .filter(|(_, l)| !l.is_empty())
                    .map(|(i, _)| *i)
                    .collect();
                if with.len() == 1 {
                    ret_borrows.push(with[0]);
                }
            }
        }
        for l in out.iter().filter(|l| &***l != "_" && &***l != "static") {
            for (i, ls) in &inputs {
                if ls.contains(l) && !ret_borrows.contains(i) {
                    ret_borrows.push(*i);
                }
            }
        }
        ret_borrows.sort_unstable();
    }
    // A generic return type shared with a parameter (`fn id<T>(x: T) -> T`) carries that
    // argument's borrows: the parameter's instantiation is the result's.
    let mut ret_holds_borrow = ret_holds_borrow;
    if let Some(rt) = &def.ret {
        let mut in_ret = Vec::new();
        type_params_in(rt, &def.generics, &mut in_ret);
        if !in_ret.is_empty() {
            for (i, p) in def.params.iter().enumerate() {
                let mut in_param = Vec::new();
                type_params_in(&p.ty, &def.generics, &mut in_param);
                if in_param.iter().any(|n| in_ret.contains(n))
                    && !ret_borrows.contains(&(i + self_offset))
                {
                    ret_borrows.push(i + self_offset);
                    ret_holds_borrow = true;
                }
            }
            ret_borrows.sort_unstable();
        }
    }
    let static_params = def
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| mentions_static(&p.ty))
        .map(|(i, _)| i)
        .collect();
    let bare = |t: &ast::Type| match t {
        ast::Type::Path { segments, args }
            if segments.len() == 1
                && args.is_empty()
                && def.generics.types.iter().any(|(n, _)| *n == segments[0]) =>
        {
            Some(segments[0].clone())
        }
        _ => None,
    };
    let ret_param = def.ret.as_ref().and_then(bare).and_then(|r| {
        def.params
            .iter()
            .position(|p| bare(&p.ty).as_ref() == Some(&r))
    });
    // Bounds come as written (`Fn(i32) -> i32`) or as the trait's name (`Fn`).
    let is_fn_bound = |b: &Name| {
        let b = b.trim();
        b == "Fn"
            || b.strip_prefix("Fn")
                .is_some_and(|r| r.trim_start().starts_with('('))
    };
    let fn_params = def
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| match &p.ty {
            ast::Type::ImplTrait(bounds) => bounds.iter().any(is_fn_bound),
            ast::Type::Path { segments, args } if segments.len() == 1 && args.is_empty() => def
                .generics
                .types
                .iter()
                .any(|(n, bounds)| *n == segments[0] && bounds.iter().any(is_fn_bound)),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect();
    FnSig {
        receiver,
        params,
        ret,
        ret_borrows,
        ret_holds_borrow,
        static_params,
        ret_param,
        fn_params,
        stores: Vec::new(),
    }
}

/// `FnSig::stores` of a method of `impl .. for <self_ty>`.
fn stores_into_self(def: &ast::FnDef, self_ty: &ast::Type) -> Vec<usize> {
    if !matches!(
        def.self_param,
        Some(ast::SelfParam::Ref {
            mutability: Mutability::Mut,
            ..
        })
    ) {
        return Vec::new();
    }
    let ast::Type::Path { args, .. } = self_ty else {
        return Vec::new();
    };
    let mut types: Vec<Name> = Vec::new();
    let mut lifetimes: Vec<Name> = Vec::new();
    for a in args {
        match a {
            ast::GenericArg::Lifetime(l) if !matches!(&**l, "_" | "static") => {
                lifetimes.push(l.clone())
            }
            ast::GenericArg::Type(ast::Type::Path { segments, args })
                if segments.len() == 1 && args.is_empty() =>
            {
                types.push(segments[0].clone())
            }
            _ => {}
        }
    }
    // The method's own parameters of the same name would shadow (rustc rejects that anyway).
    types.retain(|t| !def.generics.types.iter().any(|(n, _)| n == t));
    lifetimes.retain(|l| !def.generics.lifetimes.contains(l));
    // A reference's own region is the callee's unless named by the self type: what lies behind
    // it is an inner region, which one region per value cannot follow.
    fn shares(t: &ast::Type, types: &[Name], lifetimes: &[Name]) -> bool {
        match t {
            ast::Type::Ref { lifetime, .. } => {
                lifetime.as_ref().is_some_and(|l| lifetimes.contains(l))
            }
            ast::Type::Path { segments, args } => {
                (segments.len() == 1 && args.is_empty() && types.contains(&segments[0]))
                    || args.iter().any(|a| match a {
                        ast::GenericArg::Lifetime(l) => lifetimes.contains(l),
                        ast::GenericArg::Type(t) => shares(t, types, lifetimes),
                        ast::GenericArg::Other => false,
                    })
            }
            ast::Type::Tuple(ts) => ts.iter().any(|t| shares(t, types, lifetimes)),
            ast::Type::Array(t, _) | ast::Type::Slice(t) => shares(t, types, lifetimes),
            _ => false,
        }
    }
    def.params
        .iter()
        .enumerate()
        .filter(|(_, p)| shares(&p.ty, &types, &lifetimes))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `shadowed_std_names` as it is specified: every line, one at a time.
    fn shadowed_line_by_line(text: &str) -> Vec<Name> {
        let mut out = Vec::new();
        let mut offset = 0;
        for line in text.split('\n') {
            shadowed_in_line(text, offset, line, &mut out);
            offset += line.len() + 1;
        }
        out
    }

    #[test]
    fn shadowed_names_read_in_runs_equal_line_by_line() {
        let lines = [
            "use hashbrown::HashMap;",
            "    use smallvec::{SmallVec, Vec as V};",
            "pub(crate) use im::Vector as Vec;",
            "pub  use parking_lot::Mutex;",
            "pub(in crate::a) use x::RefCell",
            "use std::collections::HashMap;",
            "/// because we use Box here",
            "let because = 1; // use String",
            "pub(unclosed use x::Rc;",
            "\tuse a::{",
            "    Option, Result };",
            "fn f() { let v: Vec<u8> = Vec::new(); }",
            "é𝄞 use b::Cell;",
            "",
        ];
        let mut seed = 3u64;
        for round in 0..200 {
            let mut text = String::new();
            for _ in 0..(round % 40) * 3 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(lines[(seed >> 33) as usize % lines.len()]);
                text.push_str(if (seed >> 40) & 3 == 0 { "\r\n" } else { "\n" });
            }
            if round % 2 == 0 {
                text.pop();
            }
            assert_eq!(
                shadowed_std_names(&text),
                shadowed_line_by_line(&text),
                "{text:?}"
            );
        }
    }
}
