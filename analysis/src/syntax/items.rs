//! Items: the item lists of files, modules, impls and traits, functions with their signatures
//! (parameters, receivers, generics, bounds), structs, unions, enums, impls, traits, statics and
//! type aliases, and the attributes they keep.

use std::sync::Arc;

use tree_sitter::Node;

use super::cx::{mut_if, Cx};
use super::kinds::{Kid, K};
use super::patterns::set_mut;
use crate::ast::{
    ConstDef, Container, EnumDef, ExternCrateDef, Fields, FnBound, FnDef, FnItem, GenericArg,
    Generics, ImplDef, Import, Item, MacroItem, MacroRulesDef, ModDef, Name, Param, Pat, PatKind,
    SelfParam, Span, StaticDef, StructDef, TraitDef, Type, TypeAliasDef, UseDef,
};

impl<'t, 's> Cx<'t, 's> {
    /// Collects the items of a file, module body, impl or trait body, or of an `ERROR` node in
    /// item position (tree-sitter sometimes wraps whole items in one when the text around them is
    /// broken).
    pub(super) fn item_list(&mut self, node: Node<'t>) {
        if !self.enter() {
            return;
        }
        let kids = self.push_kids(node);
        let mut attrs_start = None;
        for i in kids.iter() {
            let k = self.kid(i);
            if k.kind == K::AttributeItem {
                attrs_start.get_or_insert(i);
                continue;
            }
            let attrs: Vec<Node<'t>> = match attrs_start.take() {
                Some(s) => self.kids[s..i].iter().map(|k| k.node).collect(),
                None => Vec::new(),
            };
            self.item(k, &attrs);
        }
        self.pop_kids(kids);
        self.leave();
    }

    pub(super) fn item(&mut self, k: Kid<'t>, attrs: &[Node<'t>]) {
        let cacheable = matches!(
            k.kind,
            K::FunctionItem
                | K::FunctionSignatureItem
                | K::StructItem
                | K::UnionItem
                | K::EnumItem
                | K::ImplItem
                | K::TraitItem
                | K::ModItem
                | K::UseDeclaration
        );
        // An item nested in a function is in the cache entry of the outermost one; its own entry
        // would copy the items of every function inside it again, quadratic in the nesting (the
        // fuzzer's 28 kB of nested functions took 380 MB and a second). Reparsed macro arguments
        // are not the file's text, which the entries are ranges of.
        // An item with syntax errors converts as tree-sitter recovered from them, which depends
        // on the trees the parse reused, not only on the item's text.
        let broken = k.node.has_error() || attrs.iter().any(|a| a.has_error());
        if cacheable && !broken && self.container.parent_fns.is_empty() && self.delta == 0 {
            self.item_cached(k, attrs);
        } else {
            self.item_uncached(k, attrs);
        }
    }

    pub(super) fn item_uncached(&mut self, k: Kid<'t>, attrs: &[Node<'t>]) {
        match k.kind {
            K::FunctionItem | K::FunctionSignatureItem => self.fn_item(k.node, attrs),
            K::StructItem | K::UnionItem => self.struct_item(k.node, attrs),
            K::EnumItem => self.enum_item(k.node, attrs),
            K::ImplItem => self.impl_item(k.node),
            K::TraitItem => self.trait_item(k.node),
            K::ModItem => self.mod_item(k.node, attrs),
            K::StaticItem => self.static_item(k.node),
            K::UseDeclaration => self.use_item(k.node),
            K::ConstItem
                if self.container.impl_self.is_none() && self.container.trait_name.is_none() =>
            {
                self.const_item(k.node)
            }
            K::ExternCrateDeclaration => self.extern_crate_item(k.node),
            // In impls and traits: associated types, read by `impl_item`.
            K::TypeItem
                if self.container.impl_self.is_none() && self.container.trait_name.is_none() =>
            {
                self.type_alias_item(k.node)
            }
            K::Error => self.item_list(k.node),
            K::MacroInvocation | K::ExpressionStatement if self.in_module() => {
                self.macro_item(k.node)
            }
            K::MacroDefinition if self.container.parent_fns.is_empty() => {
                self.macro_rules_item(k.node, attrs)
            }
            // Extern blocks, macro invocations in impls and traits and the like.
            _ => {}
        }
    }

    fn static_item(&mut self, node: Node<'t>) {
        let kids = self.push_kids(node);
        let name = self.field(kids, self.g.f.name);
        let ty = self.field(kids, self.g.f.type_);
        let mutable = self.first_of(kids, K::MutableSpecifier).is_some();
        self.pop_kids(kids);
        let (Some(name), Some(ty)) = (name, ty) else {
            return;
        };
        let name = self.ident(name);
        let ty = self.ty(ty);
        let container = self.container.clone();
        self.sh.items.push(Item::Static(Arc::new(StaticDef {
            container,
            name,
            mutable,
            ty,
        })));
    }

    fn type_alias_item(&mut self, node: Node<'t>) {
        let kids = self.push_kids(node);
        let name = self.field(kids, self.g.f.name);
        let tparams = self.field(kids, self.g.f.type_parameters);
        let ty = self.field(kids, self.g.f.type_);
        let where_clause = self.first_of(kids, K::WhereClause);
        self.pop_kids(kids);
        let (Some(name), Some(ty)) = (name, ty) else {
            return;
        };
        let name = self.ident(name);
        let generics = self.generics(tparams, where_clause);
        let ty = self.ty(ty);
        let container = self.container.clone();
        self.sh.items.push(Item::TypeAlias(Arc::new(TypeAliasDef {
            container,
            name,
            generics,
            ty,
        })));
    }

    fn mod_item(&mut self, node: Node<'t>, attrs: &[Node<'t>]) {
        let kids = self.push_kids(node);
        let name = self.field(kids, self.g.f.name).map(|n| self.ident(n));
        let body = self.field(kids, self.g.f.body);
        self.pop_kids(kids);
        let Some(name) = name else { return };
        let attrs = self.attr_texts(attrs);
        let container = self.container.clone();
        self.sh.items.push(Item::Mod(Arc::new(ModDef {
            container,
            name: name.clone(),
            inline: body.is_some(),
            attrs,
        })));
        if let Some(body) = body {
            self.container.modules.push(name);
            self.item_list(body);
            self.container.modules.pop();
        }
    }

    /// Items here are a module's, not an impl's, a trait's or a body's.
    fn in_module(&self) -> bool {
        let c = &self.container;
        c.parent_fns.is_empty() && c.impl_self.is_none() && c.trait_name.is_none()
    }

    /// `name!(..);` or `name! { .. }` where items go (an expression statement at the top of a
    /// file is one too).
    fn macro_item(&mut self, node: Node<'t>) {
        let node = if self.kind(node) == K::ExpressionStatement {
            match node.named_child(0) {
                Some(n) if self.kind(n) == K::MacroInvocation => n,
                _ => return,
            }
        } else {
            node
        };
        let (Some(path), Some(tt)) = (
            node.child_by_field_id(self.g.f.macro_),
            node.named_children(&mut node.walk())
                .find(|n| self.kind(*n) == K::TokenTree),
        ) else {
            return;
        };
        let path_text = self.text(path);
        let name = path_text.rsplit("::").next().unwrap_or(path_text).trim();
        let text = self.text(tt);
        let Some(inner) = text.get(1..text.len().saturating_sub(1)) else {
            return;
        };
        let item = MacroItem {
            container: self.container.clone(),
            name: name.into(),
            qualified: path_text.contains("::"),
            text: inner.into(),
        };
        self.sh.items.push(Item::MacroCall(Arc::new(item)));
    }

    /// `macro_rules! name { .. }`, its rules read by the macro expander's reader.
    fn macro_rules_item(&mut self, node: Node<'t>, attrs: &[Node<'t>]) {
        let Some((name, rules)) = super::expand::macro_definitions(self.text(node))
            .into_iter()
            .next()
        else {
            return;
        };
        let attrs = self.attr_texts(attrs);
        self.sh.items.push(Item::MacroRules(Arc::new(MacroRulesDef {
            container: self.container.clone(),
            name,
            rules: Arc::new(rules),
            attrs,
        })));
    }

    fn const_item(&mut self, node: Node<'t>) {
        let Some(name) = node.child_by_field_id(self.g.f.name) else {
            return;
        };
        let name = self.ident(name);
        let container = self.container.clone();
        self.sh
            .items
            .push(Item::Const(Arc::new(ConstDef { container, name })));
    }

    fn extern_crate_item(&mut self, node: Node<'t>) {
        let Some(name) = node.child_by_field_id(self.g.f.name) else {
            return;
        };
        let name = self.ident(name);
        let alias = node
            .child_by_field_id(self.g.f.alias)
            .map(|a| self.ident(a));
        let container = self.container.clone();
        self.sh
            .items
            .push(Item::ExternCrate(Arc::new(ExternCrateDef {
                container,
                name,
                alias,
            })));
    }

    /// `use` declarations, their trees flattened into imports.
    fn use_item(&mut self, node: Node<'t>) {
        let kids = self.push_kids(node);
        let is_pub = self.first_of(kids, K::VisibilityModifier).is_some();
        let arg = self.field(kids, self.g.f.argument);
        self.pop_kids(kids);
        let Some(arg) = arg else { return };
        let mut imports = Vec::new();
        self.use_tree(arg, &mut Vec::new(), &mut imports);
        if imports.is_empty() {
            return;
        }
        let container = self.container.clone();
        self.sh.items.push(Item::Use(Arc::new(UseDef {
            container,
            imports,
            is_pub,
        })));
    }

    fn use_tree(&mut self, node: Node<'t>, prefix: &mut Vec<Name>, out: &mut Vec<Import>) {
        if !self.enter() {
            return;
        }
        let f = &self.g.f;
        let (path_field, alias_field, list_field) = (f.path, f.alias, f.list);
        match self.kind(node) {
            K::UseAsClause => {
                let path = node.child_by_field_id(path_field);
                let alias = node.child_by_field_id(alias_field).map(|a| self.ident(a));
                if let Some(segs) = path.and_then(|p| self.path_segments(p, false)) {
                    let mut path = prefix.clone();
                    path.extend(segs);
                    out.push(Import {
                        path,
                        alias: alias.or_else(|| Some(Arc::from("_"))),
                        glob: false,
                    });
                }
            }
            K::ScopedUseList => {
                let path = node.child_by_field_id(path_field);
                let list = node.child_by_field_id(list_field);
                let segs = match path {
                    Some(p) => self.path_segments(p, false),
                    None => Some(Vec::new()),
                };
                if let (Some(segs), Some(list)) = (segs, list) {
                    let n = prefix.len();
                    prefix.extend(segs);
                    self.use_tree(list, prefix, out);
                    prefix.truncate(n);
                }
            }
            K::UseList => {
                let kids = self.push_kids(node);
                let nodes: Vec<Node<'t>> = kids
                    .iter()
                    .map(|i| self.kid(i))
                    .filter(|k| !matches!(k.kind, K::Anon | K::Comment))
                    .map(|k| k.node)
                    .collect();
                self.pop_kids(kids);
                for n in nodes {
                    self.use_tree(n, prefix, out);
                }
            }
            K::UseWildcard => {
                let path = node.named_child(0);
                let segs = match path {
                    Some(p) => self.path_segments(p, false),
                    None => Some(Vec::new()),
                };
                if let Some(segs) = segs {
                    let mut path = prefix.clone();
                    path.extend(segs);
                    out.push(Import {
                        path,
                        alias: None,
                        glob: true,
                    });
                }
            }
            _ => {
                if let Some(segs) = self.path_segments(node, false) {
                    let mut path = prefix.clone();
                    path.extend(segs);
                    out.push(Import {
                        path,
                        alias: None,
                        glob: false,
                    });
                }
            }
        }
        self.leave();
    }

    /// Each attribute's text without `#[` `]`.
    fn attr_texts(&mut self, attrs: &[Node<'t>]) -> Vec<Name> {
        attrs
            .iter()
            .filter_map(|a| a.named_child(0))
            .map(|a| self.name(a))
            .collect()
    }

    /// `#[derive(A, b::B)]` gives `A` and `B`: the last identifier before each top-level comma.
    fn derives(&mut self, attrs: &[Node<'t>]) -> Vec<Name> {
        let mut out = Vec::new();
        for &attr_item in attrs {
            let Some(attr) = attr_item.named_child(0) else {
                continue;
            };
            let kids = self.push_kids(attr);
            let is_derive = kids.start < kids.end && {
                let first = self.kid(kids.start);
                first.kind == K::Identifier && self.text(first.node) == "derive"
            };
            let args = self.field(kids, self.g.f.arguments);
            self.pop_kids(kids);
            let Some(args) = args.filter(|_| is_derive) else {
                continue;
            };
            let kids = self.push_kids(args);
            let mut last = None;
            for i in kids.iter() {
                let k = self.kid(i);
                match k.kind {
                    K::Identifier => last = Some(self.ident(k.node)),
                    K::Anon if matches!(self.text(k.node), "," | ")" | "]" | "}") => {
                        out.extend(last.take());
                    }
                    _ => {}
                }
            }
            out.extend(last);
            self.pop_kids(kids);
        }
        out
    }

    fn fn_item(&mut self, node: Node<'t>, attrs: &[Node<'t>]) {
        if !self.enter() {
            return;
        }
        let outer_base = self.base;
        self.base = self.abs(node.start_byte());
        let offset = self.base.clamp(0, u32::MAX as i64) as u32;
        let len = (node.end_byte() - node.start_byte()).min(u32::MAX as usize) as u32;
        // The function goes before the items nested in its body, which are pushed while the body
        // is converted.
        let slot = self.sh.items.len();

        let f = &self.g.f;
        let kids = self.push_kids(node);
        let name_node = self.field(kids, f.name);
        let tparams = self.field(kids, f.type_parameters);
        let params = self.field(kids, f.parameters);
        let ret = self.field(kids, f.return_type);
        let body = self.field(kids, f.body);
        let where_clause = self.first_of(kids, K::WhereClause);
        let modifiers = self.first_of(kids, K::FunctionModifiers);
        self.pop_kids(kids);

        let (name, name_span) = match name_node {
            Some(n) => (self.ident(n), self.span(n)),
            None => (Arc::from(""), Span::default()),
        };
        let (mut is_unsafe, mut is_async, mut is_const) = (false, false, false);
        if let Some(m) = modifiers {
            let kids = self.push_kids(m);
            is_unsafe = self.has_anon(kids, "unsafe");
            is_async = self.has_anon(kids, "async");
            is_const = self.has_anon(kids, "const");
            self.pop_kids(kids);
        }
        let generics = self.generics(tparams, where_clause);
        let (self_param, params) = match params {
            Some(p) => self.params(p),
            None => (None, Vec::new()),
        };
        let ret = ret.map(|t| self.ty(t));
        let attrs = attrs
            .iter()
            .filter_map(|a| a.named_child(0))
            .map(|a| self.name(a))
            .collect();

        // Items declared in the body are not methods of an enclosing impl or trait.
        let inner = Container {
            modules: self.container.modules.clone(),
            parent_fns: {
                let mut p = self.container.parent_fns.clone();
                p.push(name.clone());
                p
            },
            ..Container::default()
        };
        let container = std::mem::replace(&mut self.container, inner);
        let outer_args = std::mem::take(&mut self.path_args);
        let body = body
            .filter(|_| !self.sh.signatures_only)
            .map(|b| self.block(b));
        let path_args = std::mem::replace(&mut self.path_args, outer_args);
        self.container = container;

        let def = FnDef {
            name,
            name_span,
            generics,
            self_param,
            params,
            ret,
            body,
            is_unsafe,
            is_async,
            is_const,
            attrs,
            expansions: Vec::new(),
            path_args,
        };
        let item = Item::Fn(FnItem {
            container: self.shared_container(),
            offset,
            len,
            def: Arc::new(def),
        });
        let slot = slot.min(self.sh.items.len());
        self.sh.items.insert(slot, item);
        self.base = outer_base;
        self.leave();
    }

    fn params(&mut self, node: Node<'t>) -> (Option<SelfParam>, Vec<Param>) {
        let mut self_param = None;
        let mut params = Vec::new();
        let kids = self.push_kids(node);
        for i in kids.iter() {
            let k = self.kid(i);
            let span = self.span(k.node);
            match k.kind {
                K::SelfParameter => {
                    let sk = self.push_kids(k.node);
                    let mutability = mut_if(self.first_of(sk, K::MutableSpecifier).is_some());
                    let lifetime = self.first_of(sk, K::Lifetime);
                    let is_ref = self.has_anon(sk, "&");
                    self.pop_kids(sk);
                    let lifetime = lifetime.map(|l| self.label_name(l));
                    self_param = Some(if is_ref {
                        SelfParam::Ref {
                            mutability,
                            lifetime,
                            span,
                        }
                    } else {
                        SelfParam::Value { mutability, span }
                    });
                }
                K::Parameter => {
                    let pk = self.push_kids(k.node);
                    let is_mut = self.first_of(pk, K::MutableSpecifier).is_some();
                    let pat = self.field(pk, self.g.f.pattern);
                    let ty = self.field(pk, self.g.f.type_);
                    self.pop_kids(pk);
                    let ty = ty.map_or(Type::Unknown, |t| self.ty(t));
                    match pat {
                        Some(p) if self.kind(p) == K::SelfKw => {
                            self_param = Some(SelfParam::Typed {
                                mutability: mut_if(is_mut),
                                ty,
                                span,
                            });
                        }
                        _ => {
                            let mut pat = match pat {
                                Some(p) => self.pat(p),
                                None => Pat {
                                    span,
                                    kind: PatKind::Unknown,
                                },
                            };
                            if is_mut {
                                set_mut(&mut pat);
                            }
                            params.push(Param { pat, ty, span });
                        }
                    }
                }
                // Anonymous parameters (`fn f(u8);` in 2015 traits) have a type only.
                kind if kind.is_type() => {
                    let ty = self.ty(k.node);
                    params.push(Param {
                        pat: Pat {
                            span,
                            kind: PatKind::Wild,
                        },
                        ty,
                        span,
                    });
                }
                _ => {}
            }
        }
        self.pop_kids(kids);
        (self_param, params)
    }

    fn generics(&mut self, tparams: Option<Node<'t>>, where_clause: Option<Node<'t>>) -> Generics {
        let mut g = Generics::default();
        if let Some(tp) = tparams {
            let kids = self.push_kids(tp);
            for i in kids.iter() {
                let k = self.kid(i);
                match k.kind {
                    K::LifetimeParameter => {
                        let lk = self.push_kids(k.node);
                        let name = self.field(lk, self.g.f.name);
                        let bounds = self.field(lk, self.g.f.bounds);
                        self.pop_kids(lk);
                        if let Some(n) = name {
                            let name = self.label_name(n);
                            if let Some(b) = bounds {
                                g.has_lifetime_bounds = true;
                                let mut names = Vec::new();
                                self.bound_names(b, &mut names);
                                for short in names.iter().filter_map(|b| b.strip_prefix('\'')) {
                                    g.lifetime_bounds.push((name.clone(), short.into()));
                                }
                            }
                            g.lifetimes.push(name);
                        }
                    }
                    K::TypeParameter => {
                        let tk = self.push_kids(k.node);
                        let name = self.field(tk, self.g.f.name);
                        let bounds = self.field(tk, self.g.f.bounds);
                        self.pop_kids(tk);
                        let mut names = Vec::new();
                        let mut fns = Vec::new();
                        if let Some(b) = bounds {
                            self.bound_names(b, &mut names);
                            self.fn_bounds(b, &[], &mut fns);
                        }
                        if let Some(n) = name {
                            let n = self.ident(n);
                            g.fn_bounds.extend(fns.into_iter().map(|f| (n.clone(), f)));
                            g.types.push((n, names));
                        }
                    }
                    _ => {}
                }
            }
            self.pop_kids(kids);
        }
        if let Some(wc) = where_clause {
            let kids = self.push_kids(wc);
            for i in kids.iter() {
                let k = self.kid(i);
                if k.kind != K::WherePredicate {
                    continue;
                }
                let pk = self.push_kids(k.node);
                let left = self.field(pk, self.g.f.left);
                let bounds = self.field(pk, self.g.f.bounds);
                self.pop_kids(pk);
                let (Some(left), Some(bounds)) = (left, bounds) else {
                    continue;
                };
                if self.text(left).starts_with('\'') {
                    g.has_lifetime_bounds = true;
                    let long: Name = self.text(left).trim_start_matches('\'').into();
                    let mut names = Vec::new();
                    self.bound_names(bounds, &mut names);
                    for short in names.iter().filter_map(|b| b.strip_prefix('\'')) {
                        g.lifetime_bounds.push((long.clone(), short.into()));
                    }
                    continue;
                }
                if self.kind(left) != K::TypeIdentifier || self.text(left) == "Self" {
                    // `&'a T: 'b` says `'a: 'b`, `Self: 'b` that the self type's lifetimes
                    // outlive `'b`; what such a predicate implies is not recorded.
                    let mut names = Vec::new();
                    self.bound_names(bounds, &mut names);
                    if names.iter().any(|b| b.starts_with('\'')) {
                        g.unknown_lifetime_relations = true;
                    }
                    continue;
                }
                let left = self.text(left);
                if let Some(pos) = g.types.iter().position(|(n, _)| &**n == left) {
                    let mut names = std::mem::take(&mut g.types[pos].1);
                    self.bound_names(bounds, &mut names);
                    g.types[pos].1 = names;
                    let mut fns = Vec::new();
                    self.fn_bounds(bounds, &[], &mut fns);
                    let n = g.types[pos].0.clone();
                    g.fn_bounds.extend(fns.into_iter().map(|f| (n.clone(), f)));
                }
            }
            self.pop_kids(kids);
        }
        g
    }

    /// Calls `f` on each bound of a `trait_bounds` or `bounded_type` node: its kids but tokens
    /// and errors.
    fn each_bound(&mut self, node: Node<'t>, f: &mut dyn FnMut(&mut Self, Node<'t>)) {
        let kids = self.push_kids(node);
        for i in kids.iter() {
            let k = self.kid(i);
            if !matches!(k.kind, K::Anon | K::Error) {
                f(self, k.node);
            }
        }
        self.pop_kids(kids);
    }

    /// The `Fn`-family bounds written with their arguments in a `trait_bounds` node (or a single
    /// bound), with the lifetimes of the `for<..>` binders around them (`binder`, and their own).
    pub(super) fn fn_bounds(&mut self, node: Node<'t>, binder: &[Name], out: &mut Vec<FnBound>) {
        if !self.enter() {
            return;
        }
        match self.kind(node) {
            K::TraitBounds | K::BoundedType => {
                self.each_bound(node, &mut |cx, n| cx.fn_bounds(n, binder, out));
            }
            K::DynamicType | K::AbstractType => {
                if let Some(n) = node.child_by_field_id(self.g.f.trait_) {
                    self.fn_bounds(n, binder, out);
                }
            }
            K::HigherRankedTraitBound => {
                let mut binder = binder.to_vec();
                if let Some(tp) = node.child_by_field_id(self.g.f.type_parameters) {
                    binder.extend(binder_lifetimes(self.text(tp)));
                }
                if let Some(n) = node.child_by_field_id(self.g.f.type_) {
                    self.fn_bounds(n, &binder, out);
                }
            }
            K::FunctionType => {
                if let Some(t) = node.child_by_field_id(self.g.f.trait_) {
                    let mut binder = binder.to_vec();
                    // `for<'r>` may be the function type's own (`for_lifetimes`).
                    let text = self.text(node).trim_start();
                    if text.starts_with("for") && text[3..].trim_start().starts_with('<') {
                        binder.extend(binder_lifetimes(text));
                    }
                    let mut names = Vec::new();
                    self.bound_names(t, &mut names);
                    let params = match node.child_by_field_id(self.g.f.parameters) {
                        Some(p) => self.fn_bound_params(p),
                        None => Vec::new(),
                    };
                    let ret = node
                        .child_by_field_id(self.g.f.return_type)
                        .map(|r| self.ty(r));
                    if let Some(trait_name) = names.pop() {
                        out.push(FnBound {
                            trait_name,
                            binder,
                            params,
                            ret,
                        });
                    }
                }
            }
            _ => {}
        }
        self.leave();
    }

    /// The argument types of `Fn(A, B)`; what is not a type is `Unknown`.
    fn fn_bound_params(&mut self, node: Node<'t>) -> Vec<Type> {
        let mut out = Vec::new();
        let kids = self.push_kids(node);
        for i in kids.iter() {
            let k = self.kid(i);
            match k.kind {
                K::Anon | K::Comment | K::Comment2 => {}
                kind if kind.is_type() => {
                    let t = self.ty(k.node);
                    out.push(t);
                }
                _ => out.push(Type::Unknown),
            }
        }
        self.pop_kids(kids);
        out
    }

    /// The names of the bounds in a `trait_bounds` or `bounded_type` node (or of a single bound):
    /// last path segments, `?Sized`, and lifetimes with their quote.
    pub(super) fn bound_names(&mut self, node: Node<'t>, out: &mut Vec<Name>) {
        if !self.enter() {
            return;
        }
        match self.kind(node) {
            K::TraitBounds | K::BoundedType => {
                self.each_bound(node, &mut |cx, n| cx.bound_names(n, out));
            }
            K::Lifetime => out.push(self.name(node)),
            K::TypeIdentifier | K::PrimitiveType | K::Identifier => out.push(self.ident(node)),
            K::ScopedTypeIdentifier | K::ScopedIdentifier => {
                if let Some(n) = node.child_by_field_id(self.g.f.name) {
                    out.push(self.ident(n));
                }
            }
            K::GenericType => {
                if let Some(n) = node.child_by_field_id(self.g.f.type_) {
                    self.bound_names(n, out);
                }
            }
            K::FunctionType => match node.child_by_field_id(self.g.f.trait_) {
                Some(n) => self.bound_names(n, out),
                None => out.push(Arc::from("fn")),
            },
            K::HigherRankedTraitBound => {
                if let Some(n) = node.child_by_field_id(self.g.f.type_) {
                    self.bound_names(n, out);
                }
            }
            K::DynamicType | K::AbstractType => {
                if let Some(n) = node.child_by_field_id(self.g.f.trait_) {
                    self.bound_names(n, out);
                }
            }
            K::RemovedTraitBound => {
                let mut inner = Vec::new();
                if let Some(n) = node.named_child(0) {
                    self.bound_names(n, &mut inner);
                }
                out.extend(inner.into_iter().map(|n| Arc::from(format!("?{n}"))));
            }
            _ => {}
        }
        self.leave();
    }

    fn struct_item(&mut self, node: Node<'t>, attrs: &[Node<'t>]) {
        let f = &self.g.f;
        let kids = self.push_kids(node);
        let name = self.field(kids, f.name);
        let tparams = self.field(kids, f.type_parameters);
        let body = self.field(kids, f.body);
        let where_clause = self.first_of(kids, K::WhereClause);
        self.pop_kids(kids);
        let Some(name) = name else { return };
        let name = self.ident(name);
        let generics = self.generics(tparams, where_clause);
        let fields = body.map_or(Fields::Unit, |b| self.fields(b));
        let derives = self.derives(attrs);
        let attrs = self.attr_texts(attrs);
        let container = self.container.clone();
        let is_union = self.kind(node) == K::UnionItem;
        self.sh.items.push(Item::Struct(Arc::new(StructDef {
            container,
            name,
            generics,
            fields,
            derives,
            attrs,
            is_union,
        })));
    }

    fn fields(&mut self, node: Node<'t>) -> Fields {
        let kids = self.push_kids(node);
        let fields = match self.kind(node) {
            K::FieldDeclarationList => {
                let mut named = Vec::new();
                for i in kids.iter() {
                    let k = self.kid(i);
                    if k.kind != K::FieldDeclaration {
                        continue;
                    }
                    let name = k.node.child_by_field_id(self.g.f.name);
                    let ty = k.node.child_by_field_id(self.g.f.type_);
                    if let Some(name) = name {
                        let ty = ty.map_or(Type::Unknown, |t| self.ty(t));
                        named.push((self.ident(name), ty));
                    }
                }
                Fields::Named(named)
            }
            K::OrderedFieldDeclarationList => {
                let mut types = Vec::new();
                for i in kids.iter() {
                    let k = self.kid(i);
                    if k.field == self.g.f.type_ {
                        types.push(self.ty(k.node));
                    }
                }
                Fields::Tuple(types)
            }
            _ => Fields::Unit,
        };
        self.pop_kids(kids);
        fields
    }

    fn enum_item(&mut self, node: Node<'t>, attrs: &[Node<'t>]) {
        let f = &self.g.f;
        let kids = self.push_kids(node);
        let name = self.field(kids, f.name);
        let tparams = self.field(kids, f.type_parameters);
        let body = self.field(kids, f.body);
        let where_clause = self.first_of(kids, K::WhereClause);
        self.pop_kids(kids);
        let Some(name) = name else { return };
        let name = self.ident(name);
        let generics = self.generics(tparams, where_clause);
        let mut variants = Vec::new();
        if let Some(body) = body {
            let kids = self.push_kids(body);
            for i in kids.iter() {
                let k = self.kid(i);
                if k.kind != K::EnumVariant {
                    continue;
                }
                let vname = k.node.child_by_field_id(self.g.f.name);
                let vbody = k.node.child_by_field_id(self.g.f.body);
                if let Some(vname) = vname {
                    let fields = vbody.map_or(Fields::Unit, |b| self.fields(b));
                    variants.push((self.ident(vname), fields));
                }
            }
            self.pop_kids(kids);
        }
        let derives = self.derives(attrs);
        let attrs = self.attr_texts(attrs);
        let container = self.container.clone();
        self.sh.items.push(Item::Enum(Arc::new(EnumDef {
            container,
            name,
            generics,
            variants,
            derives,
            attrs,
        })));
    }

    fn impl_item(&mut self, node: Node<'t>) {
        let f = &self.g.f;
        let kids = self.push_kids(node);
        let tparams = self.field(kids, f.type_parameters);
        let trait_node = self.field(kids, f.trait_);
        let self_node = self.field(kids, f.type_);
        let body = self.field(kids, f.body);
        let where_clause = self.first_of(kids, K::WhereClause);
        let negative = self.has_anon(kids, "!");
        self.pop_kids(kids);
        let mut generics = self.generics(tparams, where_clause);
        let trait_name = trait_node.and_then(|t| {
            let mut names = Vec::new();
            self.bound_names(t, &mut names);
            names.pop()
        });
        // The trait's type arguments are the impl's assumptions too (`impl<'a, 'b> Tr<&'a
        // Foo<'b>> for X` implies `'b: 'a`): what they imply is not recorded.
        if let Some(Type::Path { args, .. }) = trait_node.map(|t| self.ty(t)) {
            if args.iter().any(|a| match a {
                GenericArg::Type(t) => names_a_lifetime(t),
                _ => false,
            }) {
                generics.unknown_lifetime_relations = true;
            }
        }
        let trait_path = trait_node
            .and_then(|t| self.path_segments(t, false))
            .unwrap_or_default();
        let self_ty = self_node.map_or(Type::Unknown, |t| self.ty(t));
        let mut assoc_types = Vec::new();
        if let Some(body) = body {
            let kids = self.push_kids(body);
            for i in kids.iter() {
                let k = self.kid(i);
                if k.kind != K::TypeItem {
                    continue;
                }
                let name = k.node.child_by_field_id(self.g.f.name);
                let ty = k.node.child_by_field_id(self.g.f.type_);
                if let Some(name) = name {
                    let ty = ty.map_or(Type::Unknown, |t| self.ty(t));
                    assoc_types.push((self.ident(name), ty));
                }
            }
            self.pop_kids(kids);
        }
        let container = self.container.clone();
        self.sh.items.push(Item::Impl(Arc::new(ImplDef {
            container,
            generics: generics.clone(),
            self_ty: self_ty.clone(),
            trait_name: trait_name.clone(),
            trait_path,
            negative,
            assoc_types,
        })));
        if let Some(body) = body {
            let outer = self.container.clone();
            self.container.impl_self = Some(self_ty);
            self.container.impl_trait = trait_name;
            self.container.trait_name = None;
            self.container.impl_generics = generics;
            self.item_list(body);
            self.container = outer;
        }
    }

    fn trait_item(&mut self, node: Node<'t>) {
        let f = &self.g.f;
        let kids = self.push_kids(node);
        let name = self.field(kids, f.name);
        let tparams = self.field(kids, f.type_parameters);
        let bounds = self.field(kids, f.bounds);
        let body = self.field(kids, f.body);
        let where_clause = self.first_of(kids, K::WhereClause);
        self.pop_kids(kids);
        let Some(name) = name else { return };
        let name = self.ident(name);
        let generics = self.generics(tparams, where_clause);
        let mut supertraits = Vec::new();
        if let Some(b) = bounds {
            self.bound_names(b, &mut supertraits);
        }
        // `where Self: Bound` says what `: Bound` says.
        if let Some(wc) = where_clause {
            let kids = self.push_kids(wc);
            for i in kids.iter() {
                let k = self.kid(i);
                if k.kind != K::WherePredicate {
                    continue;
                }
                let pk = self.push_kids(k.node);
                let left = self.field(pk, self.g.f.left);
                let bounds = self.field(pk, self.g.f.bounds);
                self.pop_kids(pk);
                if let (Some(left), Some(bounds)) = (left, bounds) {
                    if self.text(left) == "Self" {
                        self.bound_names(bounds, &mut supertraits);
                    }
                }
            }
            self.pop_kids(kids);
        }
        supertraits.retain(|n| !n.starts_with('\''));
        let container = self.container.clone();
        self.sh.items.push(Item::Trait(Arc::new(TraitDef {
            container,
            name: name.clone(),
            generics: generics.clone(),
            supertraits,
        })));
        if let Some(body) = body {
            let outer = self.container.clone();
            self.container.impl_self = None;
            self.container.impl_trait = None;
            self.container.trait_name = Some(name);
            self.container.impl_generics = generics;
            self.item_list(body);
            self.container = outer;
        }
    }
}

/// Whether a written type names a lifetime (elided references do not).
fn names_a_lifetime(t: &Type) -> bool {
    match t {
        Type::Ref {
            lifetime, inner, ..
        } => lifetime.is_some() || names_a_lifetime(inner),
        Type::Ptr { inner, .. } | Type::Array(inner, _) | Type::Slice(inner) => {
            names_a_lifetime(inner)
        }
        Type::Path { args, .. } => args.iter().any(|a| match a {
            GenericArg::Lifetime(_) => true,
            GenericArg::Type(t) => names_a_lifetime(t),
            GenericArg::Other => false,
        }),
        Type::Tuple(ts) => ts.iter().any(names_a_lifetime),
        Type::FnPtr(_) | Type::ImplTrait(_, _) | Type::DynTrait(_, _) | Type::Unknown => true,
        Type::Never | Type::Infer => false,
    }
}

/// The lifetimes a `for<'a, 'b>` binder (or `<'a, 'b>` parameters) declares, without the quote:
/// those written before its first `>`.
fn binder_lifetimes(text: &str) -> Vec<Name> {
    let inner = text.split('>').next().unwrap_or("");
    let inner = inner.split_once('<').map_or("", |(_, r)| r);
    inner
        .split(',')
        .filter_map(|l| l.trim().strip_prefix('\''))
        .map(|l| Name::from(l.split(':').next().unwrap_or(l).trim()))
        .collect()
}
