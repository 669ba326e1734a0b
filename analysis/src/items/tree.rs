//! A file's item tree: what it declares and imports, by name and place, without bodies or
//! signatures. Equal while only bodies (or signatures) change, so the def map built from it is
//! not rebuilt on such edits.

use std::sync::Arc;

use crate::ast::{self, Name};

/// What a name is defined as, for the def map's namespaces and for paths that go on through it
/// (an enum's variants).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DefKind {
    /// A struct with named fields: in the type namespace only.
    Struct,
    /// A tuple or unit struct: its constructor is also a value.
    TupleStruct,
    Union,
    Enum(Vec<Name>),
    Trait,
    Alias,
    Fn,
    Static,
    Const,
}

impl DefKind {
    pub fn in_types(&self) -> bool {
        matches!(
            self,
            DefKind::Struct
                | DefKind::TupleStruct
                | DefKind::Union
                | DefKind::Enum(_)
                | DefKind::Trait
                | DefKind::Alias
        )
    }

    pub fn in_values(&self) -> bool {
        matches!(
            self,
            DefKind::TupleStruct | DefKind::Fn | DefKind::Static | DefKind::Const
        )
    }
}

/// One declaration of a file, with where it sits: the inline modules from the file's top and the
/// functions whose bodies hold it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TreeItem {
    pub modules: Vec<Name>,
    pub parent_fns: Vec<Name>,
    pub kind: TreeKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TreeKind {
    Def {
        name: Name,
        kind: DefKind,
    },
    Use {
        import: ast::Import,
        is_pub: bool,
    },
    /// `mod name;` (`inline` false: its items are in another file, found by rustc's rules or
    /// its `#[path]`) or `mod name { .. }`.
    Mod {
        name: Name,
        inline: bool,
        path_attr: Option<Name>,
        /// `#[macro_use]`: the `macro_rules!` defined in it stay in scope after it.
        macro_use: bool,
    },
    /// `name!(..)` where items go, named without a path: expanded in the def map when a
    /// `macro_rules!` of that name is in textual scope.
    MacroCall {
        name: Name,
        text: Arc<str>,
    },
    /// `macro_rules! name`, in scope for what follows it in its module (and after the module
    /// too, behind `#[macro_use]`).
    MacroRules {
        name: Name,
        rules: Arc<ast::MacroRules>,
    },
    /// `extern crate name [as alias];`: a crate this analysis does not read.
    ExternCrate {
        name: Name,
        alias: Option<Name>,
    },
}

/// The declarations of a file, in source order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ItemTree {
    pub items: Vec<TreeItem>,
}

impl ItemTree {
    pub fn new(file: &ast::SourceFile) -> ItemTree {
        let mut items = Vec::new();
        for item in &file.items {
            let (c, kind) = match item {
                ast::Item::Fn(f) => {
                    let c = &*f.container;
                    if c.impl_self.is_some() || c.trait_name.is_some() {
                        continue;
                    }
                    (c, def(&f.def.name, DefKind::Fn))
                }
                ast::Item::Struct(s) => {
                    let kind = if s.is_union {
                        DefKind::Union
                    } else if matches!(s.fields, ast::Fields::Named(_)) {
                        DefKind::Struct
                    } else {
                        DefKind::TupleStruct
                    };
                    (&s.container, def(&s.name, kind))
                }
                ast::Item::Enum(e) => {
                    let variants = e.variants.iter().map(|(n, _)| n.clone()).collect();
                    (&e.container, def(&e.name, DefKind::Enum(variants)))
                }
                ast::Item::Trait(t) => (&t.container, def(&t.name, DefKind::Trait)),
                ast::Item::TypeAlias(a) => (&a.container, def(&a.name, DefKind::Alias)),
                ast::Item::Static(s) => (&s.container, def(&s.name, DefKind::Static)),
                ast::Item::Const(k) => (&k.container, def(&k.name, DefKind::Const)),
                ast::Item::Impl(_) => continue,
                ast::Item::Use(u) => {
                    for import in &u.imports {
                        items.push(TreeItem {
                            modules: u.container.modules.clone(),
                            parent_fns: u.container.parent_fns.clone(),
                            kind: TreeKind::Use {
                                import: import.clone(),
                                is_pub: u.is_pub,
                            },
                        });
                    }
                    continue;
                }
                ast::Item::Mod(m) => (
                    &m.container,
                    TreeKind::Mod {
                        name: m.name.clone(),
                        inline: m.inline,
                        path_attr: m.attrs.iter().find_map(|a| path_attr(a)),
                        macro_use: m.attrs.iter().any(|a| &**a == "macro_use"),
                    },
                ),
                ast::Item::MacroCall(c) if !c.qualified => (
                    &c.container,
                    TreeKind::MacroCall {
                        name: c.name.clone(),
                        text: c.text.clone(),
                    },
                ),
                ast::Item::MacroCall(_) => continue,
                ast::Item::MacroRules(r) => (
                    &r.container,
                    TreeKind::MacroRules {
                        name: r.name.clone(),
                        rules: r.rules.clone(),
                    },
                ),
                ast::Item::ExternCrate(e) => (
                    &e.container,
                    TreeKind::ExternCrate {
                        name: e.name.clone(),
                        alias: e.alias.clone(),
                    },
                ),
            };
            items.push(TreeItem {
                modules: c.modules.clone(),
                parent_fns: c.parent_fns.clone(),
                kind,
            });
        }
        ItemTree { items }
    }
}

fn def(name: &Name, kind: DefKind) -> TreeKind {
    TreeKind::Def {
        name: name.clone(),
        kind,
    }
}

/// `path = "x.rs"` gives `x.rs`.
fn path_attr(attr: &str) -> Option<Name> {
    let rest = attr
        .strip_prefix("path")?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    let inner = rest.strip_prefix('"')?.strip_suffix('"')?;
    Some(inner.into())
}
