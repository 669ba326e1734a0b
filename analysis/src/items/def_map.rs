//! A crate's def map: its module tree across files (rustc's rules for `mod x;` and `#[path]`),
//! and in each module the names it defines and imports (`use` with groups, renames and globs,
//! `pub use` re-exports), resolved to a fixpoint as rust-analyzer's `nameres` does. Items declared
//! in function bodies live in block scopes, which see the scopes around them.
//!
//! A crate's dependencies (`CrateGraph`) are collected into the same map, each under its own
//! root module, whose path is the crate's name (`regex_syntax::hir`), so that paths and `pub use`
//! chains through them resolve with the crate's own. What cannot be known is `Res::Unknown`: a
//! dependency the host could not read, names two definitions or two globs give, modules whose
//! file is missing. Visibility is not checked: a crate that compiles names only what it may see,
//! except that a glob imports private items here (rustc skips them).

use std::sync::Arc;

use super::tree::{DefKind, ItemTree, TreeKind};
use super::{id_of, PRELUDE_TYPES, PRELUDE_VALUES};
use crate::ast::{self, Import, Name};
use crate::Edition;

type HashMap<K, V> = std::collections::HashMap<K, V, crate::base::FxBuild>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ModuleId(pub u32);

/// The crates a crate sees: itself and its dependencies, each with its root file, its edition,
/// the name its items' ids start with, and its own dependencies by the names its code uses.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct CrateGraph {
    pub crates: Vec<CrateData>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CrateData {
    /// The root file's path, as the host names its files.
    pub root: Name,
    pub edition: Edition,
    /// The crate's name as its module paths start (`regex_syntax`); the crate being analysed is
    /// `crate` whatever its name.
    pub name: Name,
    /// Its dependencies: the name its code uses (`extern crate` or extern prelude) and the
    /// index of that crate in the graph.
    pub deps: Vec<(Name, usize)>,
}

impl CrateGraph {
    /// A graph of one crate without dependencies.
    pub fn single(root: &str, edition: Edition) -> CrateGraph {
        CrateGraph {
            crates: vec![CrateData {
                root: root.into(),
                edition,
                name: "crate".into(),
                deps: Vec::new(),
            }],
        }
    }
}

/// One crate of a def map: its root module, edition and extern prelude.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CrateInfo {
    pub root: ModuleId,
    pub edition: Edition,
    /// The dependencies by the names its code uses: their root modules, `None` for one whose
    /// root file could not be read.
    externs: HashMap<Name, Option<ModuleId>>,
}

/// What a name resolves to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Res {
    Module(ModuleId),
    /// An item of the crate: its id (`super::id_of`) and what it is.
    Item {
        id: Name,
        kind: DefKind,
    },
    /// A variant of the crate's enum `enum_id`.
    Variant {
        enum_id: Name,
        name: Name,
    },
    /// An item or module of std, core or alloc, by its last path segment (std's table is keyed
    /// by it).
    Std(Name),
    /// Something this analysis cannot see: an extern crate's item, a macro's, a module without
    /// its file, or a name given twice.
    Unknown,
}

/// The namespaces of Rust paths that matter here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ns {
    Types,
    Values,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Module {
    pub parent: Option<ModuleId>,
    /// The crate (an index into `DefMap::crates`) the module is in.
    pub krate: u32,
    /// `crate`, `crate::a::b`; for a block scope the function's path with `()` (`crate::f()`).
    pub path: Name,
    /// A function body's scope: it sees the scopes around it.
    pub is_block: bool,
    /// The file (an index into `DefMap::files`) and the inline modules from its top.
    pub file: u32,
    pub inline: Vec<Name>,
    /// The module is its file's top and that file is a `mod.rs`, a crate root or a `#[path]`
    /// target taken as such: `mod x;` in it looks beside it, not in a folder of its name.
    mod_rs: bool,
    types: HashMap<Name, Res>,
    values: HashMap<Name, Res>,
    glob_types: HashMap<Name, Res>,
    glob_values: HashMap<Name, Res>,
    blocks: HashMap<Name, ModuleId>,
    /// A glob from something unknown (`use serde::*`): any name may come from it.
    pub unknown_glob: bool,
    /// A glob from std (`use std::collections::*`).
    pub std_glob: bool,
}

impl Module {
    fn scope(&self, ns: Ns) -> &HashMap<Name, Res> {
        match ns {
            Ns::Types => &self.types,
            Ns::Values => &self.values,
        }
    }

    fn globs(&self, ns: Ns) -> &HashMap<Name, Res> {
        match ns {
            Ns::Types => &self.glob_types,
            Ns::Values => &self.glob_values,
        }
    }

    /// A name as the module itself gives it: defined or imported, then glob-imported.
    pub fn get(&self, name: &str, ns: Ns) -> Option<&Res> {
        self.scope(ns)
            .get(name)
            .or_else(|| self.globs(ns).get(name))
    }
}

/// The modules of a crate with what each names.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DefMap {
    pub edition: Edition,
    pub modules: Vec<Module>,
    /// The crate's files, its root first, as the host names them, then its dependencies'.
    pub files: Vec<Name>,
    /// How many of `files` are the crate's own.
    pub own_files: usize,
    /// The crate (first) and its dependencies.
    pub crates: Vec<CrateInfo>,
    /// What could not be read, once each (a `mod x;` without its file), for the user.
    pub problems: Vec<String>,
    /// `extern crate` items met while collecting: (module, name, alias).
    extern_items: Vec<(ModuleId, Name, Option<Name>)>,
    /// Traits the crate's own modules import as `_`.
    anonymous_traits: Vec<Name>,
}

/// One `use` leaf waiting to be resolved.
struct Pending {
    module: ModuleId,
    import: Import,
}

/// What building a def map reads: the item trees of files, and of `macro_rules!` expansions.
pub trait Loader {
    /// The item tree of the file at `path`, when the host has that file.
    fn load(&mut self, path: &str) -> Option<Arc<ItemTree>>;
    /// The items `rules` make of an invocation's text (between its delimiters); `None` when it
    /// does not expand (no rule matches, the result does not parse).
    fn expand(&mut self, _rules: &ast::MacroRules, _text: &str) -> Option<Arc<ItemTree>> {
        None
    }
}

/// A function from paths to item trees loads, and expands nothing.
impl<F: FnMut(&str) -> Option<Arc<ItemTree>>> Loader for F {
    fn load(&mut self, path: &str) -> Option<Arc<ItemTree>> {
        self(path)
    }
}

/// Expansions of item macros in one def map, all crates together, and their nesting.
const EXPANSION_BUDGET: u32 = 256;
const EXPANSION_DEPTH: u32 = 8;

/// The state of collecting one crate's items in textual order (which `macro_rules!` scoping
/// needs: a macro is visible after its definition, in its module and the modules below).
struct Collect<'l> {
    pending: Vec<Pending>,
    load: &'l mut dyn Loader,
    /// The `macro_rules!` in textual scope, latest last: name, rules, the module where visible.
    macros: Vec<(Name, Arc<ast::MacroRules>, ModuleId)>,
    /// Modules under `#[macro_use]`: what is defined in them is visible in their parent too.
    macro_use: std::collections::HashSet<ModuleId, crate::base::FxBuild>,
    budget: u32,
    depth: u32,
}

impl DefMap {
    /// The def map of the crate whose root file is `root`, without dependencies. `load` gives
    /// the item tree of the file at a path, when the host has that file.
    pub fn build(
        root: &str,
        root_tree: Arc<ItemTree>,
        edition: Edition,
        load: &mut dyn Loader,
    ) -> DefMap {
        DefMap::build_in(&CrateGraph::single(root, edition), 0, root_tree, load)
    }

    /// The def map of crate `k` of `graph`, whose root's item tree is `root_tree`, with every
    /// crate it depends on, directly or not, collected into it.
    pub fn build_in(
        graph: &CrateGraph,
        k: usize,
        root_tree: Arc<ItemTree>,
        load: &mut dyn Loader,
    ) -> DefMap {
        let mut map = DefMap {
            edition: graph.crates[k].edition,
            ..DefMap::default()
        };
        let mut c = Collect {
            pending: Vec::new(),
            load,
            macros: Vec::new(),
            macro_use: Default::default(),
            budget: EXPANSION_BUDGET,
            depth: 0,
        };
        // The graph's crates collected, by graph index: their index in `map.crates`, `None`
        // for one whose root could not be read.
        let mut local: HashMap<usize, Option<u32>> = HashMap::default();
        let mut todo = std::collections::VecDeque::from([k]);
        let mut root_tree = Some(root_tree);
        while let Some(g) = todo.pop_front() {
            if local.contains_key(&g) {
                continue;
            }
            let data = &graph.crates[g];
            let tree = match root_tree.take() {
                Some(t) => Some(t),
                None => c.load.load(&data.root),
            };
            let Some(tree) = tree else {
                local.insert(g, None);
                continue;
            };
            let krate = map.crates.len() as u32;
            local.insert(g, Some(krate));
            let root = ModuleId(map.modules.len() as u32);
            map.modules.push(Module {
                krate,
                path: if g == k {
                    "crate".into()
                } else {
                    data.name.clone()
                },
                mod_rs: true,
                file: map.files.len() as u32,
                ..Module::default()
            });
            map.files.push(data.root.clone());
            map.crates.push(CrateInfo {
                root,
                edition: data.edition,
                externs: HashMap::default(),
            });
            let problems = map.problems.len();
            // Textual scope does not cross crates.
            c.macros.clear();
            map.collect(&mut c, root, &tree, false);
            if g == k {
                map.own_files = map.files.len();
            } else {
                // What a dependency's module tree lacks (a file behind a `cfg`) is not the
                // user's problem; its names are unknown all the same.
                map.problems.truncate(problems);
            }
            todo.extend(data.deps.iter().map(|&(_, d)| d));
        }
        for (g, krate) in &local {
            let Some(krate) = krate else { continue };
            let externs = graph.crates[*g]
                .deps
                .iter()
                .map(|(name, d)| {
                    let root = local
                        .get(d)
                        .copied()
                        .flatten()
                        .map(|c| map.crates[c as usize].root);
                    (name.clone(), root)
                })
                .collect();
            map.crates[*krate as usize].externs = externs;
        }
        map.define_extern_crates();
        map.resolve_imports(c.pending);
        map
    }

    /// The traits that the crate's own modules name: define, import or glob-import (ids).
    pub fn named_traits(&self) -> Vec<Name> {
        let mut out: Vec<Name> = self.anonymous_traits.clone();
        for m in self.modules.iter().filter(|m| m.krate == 0) {
            for res in m.types.values().chain(m.glob_types.values()) {
                if let Res::Item {
                    id,
                    kind: DefKind::Trait,
                } = res
                {
                    if !out.contains(id) {
                        out.push(id.clone());
                    }
                }
            }
        }
        out
    }

    /// The crate a module is in.
    pub fn crate_of(&self, m: ModuleId) -> &CrateInfo {
        &self.crates[self.module(m).krate as usize]
    }

    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.0 as usize]
    }

    /// The top module of the file with this path, if the crate has the file.
    pub fn file_module(&self, path: &str) -> Option<ModuleId> {
        let file = self.files.iter().position(|f| &**f == path)? as u32;
        self.modules
            .iter()
            .position(|m| m.file == file && m.inline.is_empty() && !m.is_block)
            .map(|i| ModuleId(i as u32))
    }

    /// The scope of code at `modules` (inline modules from the file's top) and in the bodies of
    /// `fns`, in the file whose top module is `top`: the innermost module or block scope the def
    /// map has (a body without items has no scope of its own).
    pub fn scope_at(&self, top: ModuleId, modules: &[Name], fns: &[Name]) -> ModuleId {
        let mut cur = top;
        for m in modules {
            match self.module(cur).types.get(m) {
                Some(Res::Module(id)) if self.module(*id).file == self.module(cur).file => {
                    cur = *id
                }
                _ => return cur,
            }
        }
        for f in fns {
            match self.module(cur).blocks.get(f) {
                Some(id) => cur = *id,
                None => return cur,
            }
        }
        cur
    }

    /// Collects a file's items (or an expansion's, `expanded`, whose own definitions are
    /// unknown: only the modules and imports it makes are read) into the module tree below
    /// `top`, in textual order: a `mod x;` file is collected where it is declared, and an item
    /// macro is expanded where it is invoked, with the `macro_rules!` then in scope.
    fn collect(&mut self, c: &mut Collect, top: ModuleId, tree: &ItemTree, expanded: bool) {
        for item in &tree.items {
            let m = self.scope_creating(top, &item.modules, &item.parent_fns);
            match &item.kind {
                TreeKind::Def { name, kind } => {
                    let res = if expanded {
                        Res::Unknown
                    } else {
                        Res::Item {
                            id: id_of(name, &self.module(m).path),
                            kind: kind.clone(),
                        }
                    };
                    if kind.in_types() {
                        self.define(m, Ns::Types, name, res.clone());
                    }
                    if kind.in_values() {
                        self.define(m, Ns::Values, name, res);
                    }
                }
                TreeKind::Mod {
                    name,
                    inline: true,
                    macro_use,
                    ..
                } => {
                    let child = self.child(m, name);
                    if *macro_use {
                        c.macro_use.insert(child);
                    }
                }
                TreeKind::Mod {
                    name,
                    inline: false,
                    path_attr,
                    macro_use,
                } => {
                    if let Some((child, t)) = self.mod_file(c, m, name, path_attr.as_deref()) {
                        if *macro_use {
                            c.macro_use.insert(child);
                        }
                        self.collect(c, child, &t, false);
                    }
                }
                TreeKind::Use { import, .. } => c.pending.push(Pending {
                    module: m,
                    import: import.clone(),
                }),
                TreeKind::ExternCrate { name, alias } => {
                    // Defined once every crate's extern prelude is known.
                    self.extern_items.push((m, name.clone(), alias.clone()));
                }
                TreeKind::MacroRules { name, rules } => {
                    let mut visible = m;
                    while c.macro_use.contains(&visible) {
                        match self.module(visible).parent {
                            Some(p) => visible = p,
                            None => break,
                        }
                    }
                    c.macros.push((name.clone(), rules.clone(), visible));
                }
                TreeKind::MacroCall { name, text } => {
                    if c.budget == 0 || c.depth >= EXPANSION_DEPTH {
                        continue;
                    }
                    let Some(rules) = c
                        .macros
                        .iter()
                        .rev()
                        .find(|(n, _, at)| n == name && self.is_within(m, *at))
                        .map(|(_, r, _)| r.clone())
                    else {
                        continue;
                    };
                    c.budget -= 1;
                    if let Some(t) = c.load.expand(&rules, text) {
                        c.depth += 1;
                        self.collect(c, m, &t, true);
                        c.depth -= 1;
                    }
                }
            }
        }
    }

    /// `mod name;` in module `m`: its module and item tree, when its file is found (and not
    /// reached twice); else its name is unknown and the problem recorded.
    fn mod_file(
        &mut self,
        c: &mut Collect,
        m: ModuleId,
        name: &Name,
        path_attr: Option<&str>,
    ) -> Option<(ModuleId, Arc<ItemTree>)> {
        let candidates = self.mod_file_candidates(m, name, path_attr);
        let found = candidates
            .iter()
            .find_map(|p| c.load.load(p).map(|t| (p.clone(), t)));
        match found {
            Some((path, _)) if self.files.iter().any(|f| **f == *path) => {
                self.problems
                    .push(format!("{path}: reached by two `mod` declarations"));
                self.define(m, Ns::Types, name, Res::Unknown);
                None
            }
            Some((path, t)) => {
                let child = self.child(m, name);
                let file = self.files.len() as u32;
                self.files.push(path.as_str().into());
                let module = &mut self.modules[child.0 as usize];
                module.file = file;
                module.inline.clear();
                module.mod_rs = path_attr.is_some() || path.ends_with("/mod.rs");
                Some((child, t))
            }
            None => {
                self.problems.push(format!(
                    "{}: no file for `mod {name};` (looked for {})",
                    self.files[self.module(m).file as usize],
                    candidates.join(", ")
                ));
                self.define(m, Ns::Types, name, Res::Unknown);
                None
            }
        }
    }

    /// Whether module `m` is `outer` or inside it.
    fn is_within(&self, mut m: ModuleId, outer: ModuleId) -> bool {
        loop {
            if m == outer {
                return true;
            }
            match self.module(m).parent {
                Some(p) => m = p,
                None => return false,
            }
        }
    }

    /// `extern crate name [as alias];` items, once every crate's extern prelude is known.
    fn define_extern_crates(&mut self) {
        for (m, name, alias) in std::mem::take(&mut self.extern_items) {
            let res = match &*name {
                "std" | "core" | "alloc" => Res::Std(name.clone()),
                "self" => Res::Module(self.crate_of(m).root),
                _ => match self.crate_of(m).externs.get(&name) {
                    Some(Some(root)) => Res::Module(*root),
                    _ => Res::Unknown,
                },
            };
            let as_name = alias.as_ref().unwrap_or(&name);
            if &**as_name == "_" {
                continue;
            }
            // At the crate root it enters the extern prelude too, under its alias: every
            // module may then begin a path with it (`extern crate serde_core as serde;`).
            let krate = self.module(m).krate as usize;
            if let (Res::Module(dep), true) = (&res, self.crates[krate].root == m) {
                self.crates[krate]
                    .externs
                    .entry(as_name.clone())
                    .or_insert(Some(*dep));
            }
            self.define(m, Ns::Types, as_name, res);
        }
    }

    /// Where `mod name;` in module `m` finds its file, by rustc's rules.
    fn mod_file_candidates(&self, m: ModuleId, name: &str, path_attr: Option<&str>) -> Vec<String> {
        let module = self.module(m);
        let file = &*self.files[module.file as usize];
        let dir = match file.rfind('/') {
            Some(i) => &file[..i],
            None => "",
        };
        let top = self.top_of(m);
        // The folder of the file's own module: beside a mod-rs file, else a folder of its name.
        let mut base = if self.module(top).mod_rs {
            dir.to_string()
        } else {
            let stem = file.rsplit('/').next().unwrap_or(file);
            join(dir, stem.strip_suffix(".rs").unwrap_or(stem))
        };
        for i in &module.inline {
            base = join(&base, i);
        }
        if let Some(p) = path_attr {
            // Outside inline modules a `#[path]` is relative to the file's folder.
            let from = if module.inline.is_empty() { dir } else { &base };
            return vec![normalize(&join(from, p))];
        }
        vec![
            normalize(&join(&base, &format!("{name}.rs"))),
            normalize(&join(&base, &format!("{name}/mod.rs"))),
        ]
    }

    /// The file's top module of `m`.
    fn top_of(&self, mut m: ModuleId) -> ModuleId {
        loop {
            let module = self.module(m);
            if module.inline.is_empty() && !module.is_block {
                return m;
            }
            match module.parent {
                Some(p) => m = p,
                None => return m,
            }
        }
    }

    fn scope_creating(&mut self, top: ModuleId, modules: &[Name], fns: &[Name]) -> ModuleId {
        let mut cur = top;
        for m in modules {
            cur = self.child(cur, m);
        }
        for f in fns {
            cur = match self.module(cur).blocks.get(f) {
                Some(id) => *id,
                None => {
                    let id = ModuleId(self.modules.len() as u32);
                    let parent = self.module(cur);
                    let block = Module {
                        parent: Some(cur),
                        krate: parent.krate,
                        path: format!("{}::{f}()", parent.path).into(),
                        is_block: true,
                        file: parent.file,
                        inline: parent.inline.clone(),
                        ..Module::default()
                    };
                    self.modules.push(block);
                    self.modules[cur.0 as usize].blocks.insert(f.clone(), id);
                    id
                }
            };
        }
        cur
    }

    /// The inline (or, once its file is found, file) module `name` of `m`, made if new.
    fn child(&mut self, m: ModuleId, name: &Name) -> ModuleId {
        if let Some(Res::Module(id)) = self.module(m).types.get(name) {
            return *id;
        }
        let id = ModuleId(self.modules.len() as u32);
        let parent = self.module(m);
        let mut inline = parent.inline.clone();
        inline.push(name.clone());
        let module = Module {
            parent: Some(m),
            krate: parent.krate,
            path: format!("{}::{name}", parent.path).into(),
            file: parent.file,
            inline,
            ..Module::default()
        };
        self.modules.push(module);
        self.define(m, Ns::Types, name, Res::Module(id));
        id
    }

    /// Defines a name; a name defined twice in one namespace (two `cfg` variants, say) is unknown.
    fn define(&mut self, m: ModuleId, ns: Ns, name: &Name, res: Res) {
        let module = &mut self.modules[m.0 as usize];
        let scope = match ns {
            Ns::Types => &mut module.types,
            Ns::Values => &mut module.values,
        };
        match scope.get(name) {
            None => {
                scope.insert(name.clone(), res);
            }
            Some(old) if *old == res => {}
            Some(_) => {
                scope.insert(name.clone(), Res::Unknown);
            }
        }
    }

    /// Resolves the imports to a fixpoint; those left are unknown (a path into an extern crate).
    fn resolve_imports(&mut self, mut pending: Vec<Pending>) {
        // Globs are applied again each round: what they import may grow.
        let mut globs: Vec<(ModuleId, Res)> = Vec::new();
        for round in 0..64 {
            let last = round == 63;
            let mut changed = false;
            let mut waiting = Vec::new();
            for p in pending {
                match self.resolve_import(&p, last) {
                    Some(Done::Named(name, types, values)) => {
                        if let Some(r) = types {
                            changed |= self.import(p.module, Ns::Types, &name, r);
                        }
                        if let Some(r) = values {
                            changed |= self.import(p.module, Ns::Values, &name, r);
                        }
                    }
                    Some(Done::Glob(target)) => {
                        globs.push((p.module, target));
                        changed = true;
                    }
                    Some(Done::Anonymous(Some(Res::Item {
                        id,
                        kind: DefKind::Trait,
                    }))) => {
                        if self.module(p.module).krate == 0 && !self.anonymous_traits.contains(&id)
                        {
                            self.anonymous_traits.push(id);
                        }
                    }
                    Some(Done::Nothing | Done::Anonymous(_)) => {}
                    None => waiting.push(p),
                }
            }
            for (m, target) in &globs {
                changed |= self.apply_glob(*m, target);
            }
            pending = waiting;
            if !changed {
                if pending.is_empty() || last {
                    break;
                }
                // Nothing moved: what waits is unknown (an extern crate's path).
                for p in std::mem::take(&mut pending) {
                    if let Some(Done::Named(name, ..)) = self.resolve_import(&p, true) {
                        self.import(p.module, Ns::Types, &name, Res::Unknown);
                        self.import(p.module, Ns::Values, &name, Res::Unknown);
                    } else if p.import.glob {
                        self.modules[p.module.0 as usize].unknown_glob = true;
                    }
                }
            }
        }
    }

    /// Imports a name; says whether something changed.
    fn import(&mut self, m: ModuleId, ns: Ns, name: &Name, res: Res) -> bool {
        let before = self.module(m).scope(ns).get(name).cloned();
        if before.as_ref() == Some(&res) {
            return false;
        }
        self.define(m, ns, name, res);
        self.module(m).scope(ns).get(name).cloned() != before
    }

    fn apply_glob(&mut self, m: ModuleId, target: &Res) -> bool {
        let mut changed = false;
        let mut offer = |this: &mut DefMap, ns: Ns, name: &Name, res: Res| {
            let module = &mut this.modules[m.0 as usize];
            let globs = match ns {
                Ns::Types => &mut module.glob_types,
                Ns::Values => &mut module.glob_values,
            };
            match globs.get(name) {
                None => {
                    globs.insert(name.clone(), res);
                    changed = true;
                }
                Some(old) if *old == res || *old == Res::Unknown => {}
                Some(_) => {
                    globs.insert(name.clone(), Res::Unknown);
                    changed = true;
                }
            }
        };
        match target {
            Res::Module(t) if *t != m => {
                let t = self.module(*t);
                let mut names: Vec<(Ns, Name, Res)> = Vec::new();
                for ns in [Ns::Types, Ns::Values] {
                    for (n, r) in t.scope(ns).iter().chain(t.globs(ns)) {
                        names.push((ns, n.clone(), r.clone()));
                    }
                }
                let (unknown, std) = (t.unknown_glob, t.std_glob);
                for (ns, n, r) in names {
                    offer(self, ns, &n, r);
                }
                let module = &mut self.modules[m.0 as usize];
                if (unknown && !module.unknown_glob) || (std && !module.std_glob) {
                    module.unknown_glob |= unknown;
                    module.std_glob |= std;
                    changed = true;
                }
            }
            Res::Item {
                id,
                kind: DefKind::Enum(variants),
            } => {
                for v in variants {
                    let res = Res::Variant {
                        enum_id: id.clone(),
                        name: v.clone(),
                    };
                    offer(self, Ns::Types, v, res.clone());
                    offer(self, Ns::Values, v, res);
                }
            }
            Res::Std(_) => {
                let module = &mut self.modules[m.0 as usize];
                changed |= !module.std_glob;
                module.std_glob = true;
            }
            _ => {
                let module = &mut self.modules[m.0 as usize];
                changed |= !module.unknown_glob;
                module.unknown_glob = true;
            }
        }
        changed
    }

    /// One import: `None` while its path waits on names not yet imported (with `last`, an
    /// unresolved path gives its name, as unknown).
    fn resolve_import(&self, p: &Pending, last: bool) -> Option<Done> {
        let mut path: &[Name] = &p.import.path;
        // `a::b::{self}` imports `b`.
        let self_leaf = path.len() > 1 && path.last().is_some_and(|s| &**s == "self");
        if self_leaf {
            path = &path[..path.len() - 1];
        }
        let (last_seg, prefix) = path.split_last()?;
        let name = p.import.alias.clone().unwrap_or_else(|| last_seg.clone());
        let unknown = |last: bool| {
            last.then(|| {
                if p.import.glob {
                    Done::Glob(Res::Unknown)
                } else {
                    Done::Named(name.clone(), Some(Res::Unknown), Some(Res::Unknown))
                }
            })
        };
        // The module (or enum, or std) the last segment is looked up in; `None` for a path of
        // one segment.
        let from = p.module;
        let parent = if prefix.is_empty() {
            None
        } else {
            match self.walk(from, prefix, true) {
                Walked::Res(r) => Some(r),
                Walked::NotFound => return unknown(last),
            }
        };
        if p.import.glob {
            let target = match parent {
                None if p.import.path.is_empty() => return Some(Done::Nothing),
                None => match self.first_segment(from, last_seg, Ns::Types, true) {
                    Some(r) => r,
                    None => return unknown(last),
                },
                Some(parent) => match self.segment_in(&parent, last_seg, Ns::Types) {
                    Some(r) => r,
                    None => return unknown(last),
                },
            };
            // `use a::b::*` where `b` is a module, an enum, std or unknown.
            return Some(Done::Glob(target));
        }
        let (types, values) = match parent {
            None => (
                self.first_segment(from, last_seg, Ns::Types, true),
                if self_leaf {
                    None
                } else {
                    self.first_segment(from, last_seg, Ns::Values, true)
                },
            ),
            Some(parent) => (
                self.segment_in(&parent, last_seg, Ns::Types),
                if self_leaf {
                    None
                } else {
                    self.segment_in(&parent, last_seg, Ns::Values)
                },
            ),
        };
        if types.is_none() && values.is_none() {
            return unknown(last);
        }
        if &*name == "_" {
            // `use a::Trait as _;` brings the trait's methods into scope, and no name.
            return Some(Done::Anonymous(types));
        }
        Some(Done::Named(name, types, values))
    }

    /// Follows all of `segs` but the last in the type namespace from module `from`.
    fn walk(&self, from: ModuleId, segs: &[Name], in_use: bool) -> Walked {
        let Some((first, rest)) = segs.split_first() else {
            return Walked::NotFound;
        };
        let Some(mut cur) = self.first_segment(from, first, Ns::Types, in_use) else {
            return Walked::NotFound;
        };
        for s in rest {
            match self.segment_in(&cur, s, Ns::Types) {
                Some(r) => cur = r,
                None => return Walked::NotFound,
            }
        }
        Walked::Res(cur)
    }

    /// The first segment of a path written in module `from`: `crate`, `self`, `super`, or a name
    /// in scope. In a `use` of the 2015 edition, paths start at the crate's root.
    pub fn first_segment(&self, from: ModuleId, name: &Name, ns: Ns, in_use: bool) -> Option<Res> {
        match &**name {
            "crate" => return Some(Res::Module(self.crate_of(from).root)),
            "self" if ns == Ns::Types => return Some(Res::Module(self.real_module(from))),
            "super" => {
                return Some(match self.module(self.real_module(from)).parent {
                    Some(p) => Res::Module(self.real_module(p)),
                    None => Res::Unknown,
                })
            }
            _ => {}
        }
        let krate = self.crate_of(from);
        let from = if in_use && krate.edition == Edition::E2015 {
            krate.root
        } else {
            from
        };
        let mut cur = Some(from);
        while let Some(m) = cur {
            let module = self.module(m);
            if let Some(r) = module.get(name, ns) {
                return Some(r.clone());
            }
            cur = if module.is_block { module.parent } else { None };
        }
        // The extern prelude (a `use` of 2015 sees only what `extern crate` defines).
        if ns == Ns::Types && !(in_use && krate.edition == Edition::E2015) {
            if let Some(root) = krate.externs.get(name) {
                return Some(root.map_or(Res::Unknown, Res::Module));
            }
        }
        if ns == Ns::Types && matches!(&**name, "std" | "core" | "alloc") {
            return Some(Res::Std(name.clone()));
        }
        if (ns == Ns::Types && PRELUDE_TYPES.contains(&&**name))
            || (ns == Ns::Values && PRELUDE_VALUES.contains(&&**name))
        {
            return Some(Res::Std(name.clone()));
        }
        // In a module with globs, a name found nowhere else comes from one of them: std's if
        // std's are the only ones.
        let mut cur = Some(from);
        let (mut unknown, mut std) = (false, false);
        while let Some(m) = cur {
            let module = self.module(m);
            unknown |= module.unknown_glob;
            std |= module.std_glob;
            cur = if module.is_block { module.parent } else { None };
        }
        if unknown {
            return Some(Res::Unknown);
        }
        if std {
            return Some(Res::Std(name.clone()));
        }
        None
    }

    /// The module a block scope is in (itself for a module).
    fn real_module(&self, mut m: ModuleId) -> ModuleId {
        while self.module(m).is_block {
            match self.module(m).parent {
                Some(p) => m = p,
                None => break,
            }
        }
        m
    }

    /// The segment `name` after a path that resolved to `parent`.
    pub fn segment_in(&self, parent: &Res, name: &Name, ns: Ns) -> Option<Res> {
        match parent {
            Res::Module(m) => {
                if &**name == "super" {
                    return self.first_segment(*m, name, ns, false);
                }
                self.module(*m).get(name, ns).cloned()
            }
            Res::Item {
                id,
                kind: DefKind::Enum(variants),
            } if variants.contains(name) => Some(Res::Variant {
                enum_id: id.clone(),
                name: name.clone(),
            }),
            Res::Std(_) => Some(Res::Std(name.clone())),
            Res::Unknown => Some(Res::Unknown),
            // Associated items are not imported, and not resolved here.
            _ => None,
        }
    }
}

enum Done {
    Named(Name, Option<Res>, Option<Res>),
    Anonymous(Option<Res>),
    Glob(Res),
    Nothing,
}

enum Walked {
    Res(Res),
    NotFound,
}

fn join(dir: &str, rest: &str) -> String {
    if dir.is_empty() || rest.starts_with('/') {
        rest.to_string()
    } else {
        format!("{dir}/{rest}")
    }
}

/// `a/./b/../c` gives `a/c` (the text of the path, as the host names its files).
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            ".." if out.last().is_some_and(|p| !p.is_empty() && *p != "..") => {
                out.pop();
            }
            _ => out.push(part),
        }
    }
    out.join("/")
}
