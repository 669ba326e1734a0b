//! Building the index item by item: each item's contribution (`IndexBuilder::add_item`), each
//! function's entry (`fn_entry`, computed per function so that a body edit leaves it equal).

use super::*;

/// Attributes that are not macros: everything else on a type may rewrite it.
pub(super) const BUILTIN_ATTRS: &[&str] = &[
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

/// Attributes of functions that are not macros, besides `BUILTIN_ATTRS`.
const BUILTIN_FN_ATTRS: &[&str] = &[
    "inline",
    "cold",
    "track_caller",
    "test",
    "ignore",
    "should_panic",
    "bench",
    "no_mangle",
    "export_name",
    "link_section",
    "target_feature",
    "naked",
    "unsafe",
    "used",
    "optimize",
    "coverage",
];

/// An attribute macro on a function (`#[salsa::tracked(returns(ref))]`, `#[tokio::main]`) may
/// rewrite its signature: callers cannot know what it takes or returns.
fn fn_has_attribute_macro(attrs: &[Name]) -> bool {
    attrs.iter().any(|a| !is_builtin(a, BUILTIN_FN_ATTRS))
}

/// Whether an attribute is one of rustc's (`BUILTIN_ATTRS`, or `more`), by its head.
fn is_builtin(attr: &str, more: &[&str]) -> bool {
    let head = attr.split(['(', '=', ' ', ':']).next().unwrap_or("");
    BUILTIN_ATTRS.contains(&head) || more.contains(&head)
}

pub(super) fn has_attribute_macro(attrs: &[Name]) -> bool {
    attrs.iter().any(|a| !is_builtin(a, &[]))
}

/// What a function item contributes to the index. Computed per function (see `db`), so that an
/// edit recomputes only the edited function's entry, and an entry that stays equal (a body edit)
/// leaves the index as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FnEntry {
    /// A free function of the crate, not nested in another, and its signature (`None` when an
    /// attribute macro may rewrite it). The signatures are shared: the index and the slices of
    /// it that bodies read hold them without copying, and compare them by address first.
    Free(Name, Option<Arc<FnSig>>),
    /// A function in an impl or trait: its owner (the self type's or trait's name, when there is
    /// one) and its signature (`None` for `impl Tr for &T`, which the index does not model).
    Method {
        owner: Option<Name>,
        name: Name,
        sig: Option<Arc<FnSig>>,
        /// The trait that declares it, for a method of a trait or of a trait impl: such a method
        /// may be added to std types.
        trait_: Option<Name>,
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
        let sig = (!fn_has_attribute_macro(&def.attrs))
            .then(|| Arc::new(signature(def, &ast::Generics::default(), None, None)));
        return FnEntry::Free(def.name.clone(), sig);
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
    // `impl Tr for &T`: method lookup on a `&T` receiver finds these first. Their signatures
    // are not modelled: they are kept as unknown under the owner `&T`
    // (`Index::ref_impl_defines`), apart from `T`'s own.
    let by_ref = matches!(c.impl_self, Some(ast::Type::Ref { .. }));
    let known = !by_ref && owner.is_some() && !fn_has_attribute_macro(&def.attrs);
    let owner = match owner {
        Some(o) if by_ref => Some(Name::from(format!("&{o}"))),
        o => o,
    };
    let sig = known.then(|| {
        let mut sig = signature(
            def,
            &c.impl_generics,
            self_ty.as_ref(),
            c.impl_self.as_ref(),
        );
        if let Some(t) = &c.impl_self {
            sig.stores = stores_into_self(def, t);
            sig.written = Some(std::sync::Arc::new(WrittenSig {
                trait_impl: c.impl_trait.is_some(),
                ..written_sig(def, &c.impl_generics, Some(t))
            }));
        }
        Arc::new(sig)
    });
    FnEntry::Method {
        owner,
        name: def.name.clone(),
        sig,
        trait_: c.trait_name.clone().or_else(|| c.impl_trait.clone()),
    }
}

/// Builds an `Index` item by item, in the file's order.
pub struct IndexBuilder {
    items: ItemFacts,
    fns: FnsBuilder,
    /// `impl Copy for X`: whether the impl has bounds, and which arguments it wants `Copy`.
    copy_impls: Vec<(Name, bool, Vec<usize>)>,
    drop_impls: Vec<Name>,
}

/// Builds the signatures' part of an index, function by function; finished against the items
/// (`finish`), which say which std types the crate's traits add methods to. Apart from the
/// items, so that a signature edit rebuilds this part alone.
#[derive(Default)]
pub struct FnsBuilder {
    free: HashMap<Name, Option<Arc<FnSig>>>,
    /// self type name -> method -> signature, turned around into `FnFacts::methods` at the end.
    methods: HashMap<Name, HashMap<Name, Option<Arc<FnSig>>>>,
    /// Method name -> the traits that declare it or define it in an impl.
    method_traits: HashMap<Name, Vec<Name>>,
    /// The dependencies' traits that the crate's own modules name (define, import or
    /// glob-import): a method needs its trait in scope, so a dependency's trait that the crate
    /// never names adds no method to std types. `None`: every trait counts.
    named_traits: Option<Vec<Name>>,
}

impl IndexBuilder {
    pub fn new(shadowed: Vec<Name>, control_free_macros: Vec<Name>) -> IndexBuilder {
        IndexBuilder {
            items: ItemFacts {
                shadowed,
                control_free_macros,
                ..ItemFacts::default()
            },
            fns: FnsBuilder::default(),
            copy_impls: Vec::new(),
            drop_impls: Vec::new(),
        }
    }

    /// Sets the dependencies' traits that the crate's own code names (`DefMap::named_traits`).
    pub fn named_traits(&mut self, traits: Vec<Name>) {
        self.fns.named_traits(traits);
    }

    /// The builder of a crate's index: the std names its files shadow and their control-free
    /// macros (each file's, as `shadowed_std_names` and `control_free_macros` read it), each once.
    pub fn for_files<'a>(
        files: impl IntoIterator<Item = (&'a [Name], &'a [Name])>,
    ) -> IndexBuilder {
        let (mut shadowed, mut macros): (Vec<Name>, Vec<Name>) = (Vec::new(), Vec::new());
        for (s, m) in files {
            for (acc, names) in [(&mut shadowed, s), (&mut macros, m)] {
                for n in names {
                    if !acc.contains(n) {
                        acc.push(n.clone());
                    }
                }
            }
        }
        IndexBuilder::new(shadowed, macros)
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
                self.items.add_adt(
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
                        written: Some(std::sync::Arc::new(WrittenAdt {
                            generics: s.generics.clone(),
                            fields: s.fields.clone(),
                            variants: Vec::new(),
                        })),
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
                self.items.add_adt(
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
                        written: Some(std::sync::Arc::new(WrittenAdt {
                            generics: e.generics.clone(),
                            fields: ast::Fields::Unit,
                            variants: e.variants.clone(),
                        })),
                    },
                );
            }
            ast::Item::Impl(i) => {
                if let Some(t) = &i.trait_name {
                    if let Some(s) = std_self(i, t) {
                        let selves = self.items.trait_selves.entry(t.clone()).or_default();
                        if !selves.contains(&s) {
                            selves.push(s);
                        }
                    }
                }
                let name = type_name(&i.self_ty);
                if let (Some(t), Some(n), false) = (
                    &i.trait_name,
                    &name,
                    matches!(i.self_ty, ast::Type::Ref { .. }),
                ) {
                    self.items
                        .impls
                        .entry(n.clone())
                        .or_default()
                        .push(t.clone());
                    let assoc = |name: &str| impl_assoc_type(i, name);
                    match &**t {
                        "Iterator" => {
                            if let Some(item) = assoc("Item") {
                                self.items.iterator_items.insert(n.clone(), item);
                            }
                        }
                        "Deref" => {
                            if let Some(target) = assoc("Target") {
                                self.items.deref_targets.insert(n.clone(), target);
                            }
                        }
                        _ => {}
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
                    &mut self.items.aliases,
                    a.name.clone(),
                    plain.then(|| a.ty.clone()),
                );
                insert_once(
                    &mut self.items.generic_aliases,
                    a.name.clone(),
                    Some(std::sync::Arc::new((a.generics.clone(), a.ty.clone()))),
                );
            }
            ast::Item::Static(st) => {
                let entry = Some((st.mutable, Ty::from_ast(&st.ty, &[], None)));
                insert_once(&mut self.items.statics, st.name.clone(), entry);
            }
            ast::Item::Trait(t) => {
                let supertraits = Some(t.supertraits.clone());
                insert_once(&mut self.items.traits, t.name.clone(), supertraits);
            }
            // What these name is the def map's (`items`).
            ast::Item::Use(_)
            | ast::Item::Mod(_)
            | ast::Item::Const(_)
            | ast::Item::ExternCrate(_)
            | ast::Item::MacroCall(_)
            | ast::Item::MacroRules(_) => {}
        }
    }

    /// A function's entry (`fn_entry`). Functions and types fill different tables, so the
    /// functions may come after all the types.
    pub fn add_fn(&mut self, entry: &FnEntry) {
        self.fns.add_fn(entry)
    }

    pub fn finish(mut self) -> Index {
        let fns = std::mem::take(&mut self.fns);
        let items = self.finish_items();
        Index {
            fns: Arc::new(fns.finish(&items)),
            items: Arc::new(items),
        }
    }

    /// The items' part alone (the functions added are left out).
    pub fn finish_items(mut self) -> ItemFacts {
        for (n, bounded, needs) in self.copy_impls {
            if let Some(a) = self.items.adts.get_mut(&n) {
                if !a.copy {
                    a.copy = true;
                    a.copy_if_args_copy = if bounded { None } else { Some(false) };
                    a.copy_needs_copy_args = needs;
                }
            }
        }
        for n in self.drop_impls {
            if let Some(a) = self.items.adts.get_mut(&n) {
                a.drop = true;
            }
        }
        self.items
    }
}

impl FnsBuilder {
    /// Sets the dependencies' traits that the crate's own code names (`DefMap::named_traits`).
    pub fn named_traits(&mut self, traits: Vec<Name>) {
        self.named_traits = Some(traits);
    }

    /// A function's entry (`fn_entry`).
    pub fn add_fn(&mut self, entry: &FnEntry) {
        match entry {
            FnEntry::Free(name, Some(sig)) => {
                insert_unique(&mut self.free, name.clone(), sig.clone())
            }
            FnEntry::Free(name, None) => {
                self.free.insert(name.clone(), None);
            }
            FnEntry::Method {
                owner,
                name,
                sig,
                trait_,
            } => {
                if let Some(t) = trait_ {
                    let traits = self.method_traits.entry(name.clone()).or_default();
                    if !traits.contains(t) {
                        traits.push(t.clone());
                    }
                }
                if let Some(owner) = owner {
                    let methods = self.methods.entry(owner.clone()).or_default();
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

    /// The signatures, with the methods the crate's traits add to std types (which `items`
    /// say: a method of a crate trait may be called on a std type when the trait is implemented
    /// for that type, or for any type, a blanket impl).
    pub fn finish(self, items: &ItemFacts) -> FnFacts {
        let mut method_names = HashMap::default();
        let named = |t: &Name| match &self.named_traits {
            Some(named) => !crate::items::is_dependency_id(t) || named.contains(t),
            None => true,
        };
        for (method, traits) in self.method_traits {
            let mut selves: Vec<Name> = Vec::new();
            for t in traits.iter().filter(|t| named(t)) {
                for s in items.trait_selves.get(t).into_iter().flatten() {
                    if !selves.contains(s) {
                        selves.push(s.clone());
                    }
                }
            }
            if !selves.is_empty() {
                method_names.insert(method, selves);
            }
        }
        FnFacts {
            free: self.free,
            methods: by_method(self.methods),
            method_names,
        }
    }
}

/// The std types (by name, or `*` for any type) whose methods an impl of the trait `t` may add
/// to: its self type unless that is one of the crate's own types; `None` for a crate type. A
/// blanket impl over a parameter bounded by `t` itself (`impl<D: Tr> Tr for &mut D`) adds no
/// type that does not implement `t` already.
fn std_self(i: &ast::ImplDef, t: &Name) -> Option<Name> {
    let mut ty = &i.self_ty;
    while let ast::Type::Ref { inner, .. } = ty {
        ty = inner;
    }
    match ty {
        ast::Type::Path { segments, .. } if segments.len() == 1 => {
            let n = &segments[0];
            if let Some((_, bounds)) = i.generics.types.iter().find(|(p, _)| p == n) {
                return (!bounds.contains(t)).then(|| Name::from("*"));
            }
            if crate::items::is_id(n) && !n.contains("@?") {
                return None;
            }
            Some(n.clone())
        }
        _ => Some(Name::from("*")),
    }
}

/// The fields of a struct or variant with their types.
pub(super) fn field_types(
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
pub(super) fn insert_once<V>(map: &mut HashMap<Name, Option<V>>, k: Name, v: Option<V>) {
    match map.entry(k) {
        std::collections::hash_map::Entry::Occupied(mut e) => {
            e.insert(None);
        }
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(v);
        }
    }
}

pub(super) fn insert_unique<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, Option<Arc<FnSig>>>,
    k: K,
    v: Arc<FnSig>,
) {
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

/// Methods by name, then by self type: what a body may read of them is one entry per name it
/// spells (`FnFacts::read_by`).
fn by_method(
    methods: HashMap<Name, HashMap<Name, Option<Arc<FnSig>>>>,
) -> HashMap<Name, Arc<Owners>> {
    let mut out: HashMap<Name, Vec<(Name, Option<Arc<FnSig>>)>> = HashMap::default();
    for (owner, methods) in methods {
        for (name, sig) in methods {
            out.entry(name).or_default().push((owner.clone(), sig));
        }
    }
    out.into_iter()
        .map(|(k, mut v)| {
            v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            (k, Arc::new(Owners(v)))
        })
        .collect()
}

/// An impl's associated type (`type Target = T;`) with the impl's type parameters as the self
/// type's arguments name them (`impl<T> Deref for Own<T> { type Target = T; }` gives
/// `([T], T)`), when it is known and made of those parameters only.
fn impl_assoc_type(i: &ast::ImplDef, name: &str) -> Option<(Vec<Name>, Ty)> {
    let (_, t) = i.assoc_types.iter().find(|(a, _)| &**a == name)?;
    let params = self_params(&i.self_ty, &i.generics)?;
    let t = Ty::from_ast(t, &generic_copy(&i.generics), None);
    let unbound = t.subst(&params, &vec![Ty::Unknown; params.len()]);
    (!t.is_unknown() && !unbound.has_params()).then_some((params, t))
}
