//! Items and names: per file an item tree (`tree.rs`: what it declares and imports), per crate a
//! def map (`def_map.rs`: the module tree across files, every module's names, imports resolved
//! to a fixpoint), and the rewriting of written paths into ids (`resolve.rs`) that the index and
//! lowering read.
//!
//! **Ids.** An item of the crate is named by its id, `Name@module` (`Node@crate::model`; a block
//! scope is its function's path with `()`: `Local@crate::main()`). Two `Node`s in two modules
//! have two ids and never mix. std items keep their std name (`Vec`, looked up in std's table);
//! what cannot be resolved gets an unknown id, `Name@?written::path`, which no table knows.
//! The part before `@` is what the user wrote, and what messages show (`display_name`).

pub mod def_map;
pub mod resolve;
pub mod tree;

pub use def_map::{CrateData, CrateGraph, DefMap, Loader, ModuleId, Ns, Res};
pub use resolve::Resolver;
pub use tree::{DefKind, ItemTree};

use crate::ast::{self, Container, FnDef, Name};

/// Types and traits of std's prelude: in scope everywhere unless a module names them itself.
pub const PRELUDE_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "Default",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "ToString",
    "ToOwned",
    "TryFrom",
    "TryInto",
    "FromIterator",
];

/// Values of std's prelude.
pub const PRELUDE_VALUES: &[&str] = &["Some", "None", "Ok", "Err", "drop"];

/// The id of the item `name` declared in the module (or block scope) at `module_path`.
pub fn id_of(name: &str, module_path: &str) -> Name {
    format!("{name}@{module_path}").into()
}

/// The id of something a path names that this analysis cannot see.
pub fn unknown_id(segs: &[Name]) -> Name {
    let (last, prefix) = segs.split_last().map_or(("", &[][..]), |(l, p)| (&**l, p));
    format!("{last}@?{}", prefix.join("::")).into()
}

/// What the user wrote for an id: `Node` for `Node@crate::model`; a std name as it is.
pub fn display_name(id: &str) -> &str {
    id.split('@').next().unwrap_or(id)
}

/// Whether the id is of an item of a dependency (`Source@log::kv`), not of the crate's own
/// (`Node@crate::model`), not unknown (`Mutex@?tokio::sync`) and not a std name.
pub fn is_dependency_id(name: &str) -> bool {
    match name.split_once('@') {
        Some((_, module)) => {
            !module.starts_with('?') && module != "crate" && !module.starts_with("crate::")
        }
        None => false,
    }
}

/// Whether the name is an id of the crate's or an unknown one (not a std name).
pub fn is_id(name: &str) -> bool {
    name.contains('@')
}

/// Resolution in one file of a crate: its def map and the file's top module.
#[derive(Clone, Copy)]
pub struct FileScope<'a> {
    pub map: &'a DefMap,
    pub top: ModuleId,
}

impl<'a> FileScope<'a> {
    /// The resolver for code in `c` (and in the bodies of `fns` inside it).
    pub fn resolver(&self, c: &Container, fns: &[Name]) -> Resolver<'a> {
        let scope = if fns.is_empty() {
            self.map.scope_at(self.top, &c.modules, &c.parent_fns)
        } else {
            let all: Vec<Name> = c.parent_fns.iter().chain(fns).cloned().collect();
            self.map.scope_at(self.top, &c.modules, &all)
        };
        Resolver::new(self.map, scope)
    }

    /// A function's container as resolved at the function's place: its impl's self type, its
    /// trait's id.
    pub fn container(&self, c: &Container) -> Container {
        let r = self.resolver(c, &[]).with_generics(&c.impl_generics);
        let mut c = c.clone();
        if let Some(t) = &mut c.impl_self {
            r.ty(t);
        }
        if let Some(t) = &mut c.impl_trait {
            r.bound(t);
        }
        if let Some(t) = &mut c.trait_name {
            *t = r.id(t);
        }
        r.generics(&mut c.impl_generics);
        c
    }

    /// Resolves every path in a function's signature and body (in its body's scope), in place:
    /// on the copy the crate's macros were expanded in.
    pub fn resolve_fn_def(&self, def: &mut FnDef, c: &Container) {
        let name = def.name.clone();
        self.resolver(c, std::slice::from_ref(&name)).fn_def(def, c);
    }

    /// The id of a free function declared in `c`.
    pub fn fn_id(&self, name: &Name, c: &Container) -> Name {
        self.resolver(c, &[]).id(name)
    }

    /// An item other than a function with its name made its id and its types resolved; `None`
    /// for items that the index does not read.
    pub fn item(&self, item: &ast::Item) -> Option<ast::Item> {
        let mut item = item.clone();
        match &mut item {
            ast::Item::Struct(s) => {
                let s = std::sync::Arc::make_mut(s);
                let r = self.resolver(&s.container, &[]).with_generics(&s.generics);
                s.name = r.id(&s.name);
                r.generics(&mut s.generics);
                fields(&r, &mut s.fields);
            }
            ast::Item::Enum(e) => {
                let e = std::sync::Arc::make_mut(e);
                let r = self.resolver(&e.container, &[]).with_generics(&e.generics);
                e.name = r.id(&e.name);
                r.generics(&mut e.generics);
                for (_, f) in &mut e.variants {
                    fields(&r, f);
                }
            }
            ast::Item::Impl(i) => {
                let i = std::sync::Arc::make_mut(i);
                let r = self.resolver(&i.container, &[]).with_generics(&i.generics);
                r.ty(&mut i.self_ty);
                if let Some(t) = &i.trait_name {
                    i.trait_name = Some(r.trait_ref(&i.trait_path, t));
                }
                for (_, t) in &mut i.assoc_types {
                    r.ty(t);
                }
                r.generics(&mut i.generics);
            }
            ast::Item::Trait(t) => {
                let t = std::sync::Arc::make_mut(t);
                let r = self.resolver(&t.container, &[]).with_generics(&t.generics);
                t.name = r.id(&t.name);
                t.supertraits.iter_mut().for_each(|b| r.bound(b));
                r.generics(&mut t.generics);
            }
            ast::Item::Static(s) => {
                let s = std::sync::Arc::make_mut(s);
                let r = self.resolver(&s.container, &[]);
                s.name = r.id(&s.name);
                r.ty(&mut s.ty);
            }
            ast::Item::TypeAlias(a) => {
                let a = std::sync::Arc::make_mut(a);
                let r = self.resolver(&a.container, &[]).with_generics(&a.generics);
                a.name = r.id(&a.name);
                r.ty(&mut a.ty);
            }
            ast::Item::Fn(_)
            | ast::Item::Use(_)
            | ast::Item::Mod(_)
            | ast::Item::Const(_)
            | ast::Item::ExternCrate(_)
            | ast::Item::MacroCall(_)
            | ast::Item::MacroRules(_) => return None,
        }
        Some(item)
    }
}

fn fields(r: &Resolver, f: &mut ast::Fields) {
    match f {
        ast::Fields::Named(fs) => fs.iter_mut().for_each(|(_, t)| r.ty(t)),
        ast::Fields::Tuple(ts) => ts.iter_mut().for_each(|t| r.ty(t)),
        ast::Fields::Unit => {}
    }
}
