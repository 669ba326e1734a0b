//! The salsa database: files in, per-function bodies and borrow-check results out.
//!
//! The firewall is made by the host (`refresh`), not found by salsa: after setting a file's text,
//! it derives the file's item tree, item syntax and signatures, and one input per function (its
//! identity its path in the file, its fields its own syntax, spans relative to itself, and its
//! container), and sets each only when it changed. Editing one function changes one item's
//! `def`, with low durability; the crate's facts and every other function's queries read only
//! inputs of medium durability, so salsa verifies them after a keystroke in constant time,
//! without walking the crate's files or the file's other functions. Offsets are in `fns`, which
//! nothing but the final mapping to file positions reads. A file read from disk and never opened
//! is left to queries that derive the same from its text (`derived_*`, `whole_file_fns`).

use std::sync::Arc;

use crate::ast::{self, Container, FnDef};
use crate::borrowck::{self, BorrowckResult};
use crate::index::{FnEntry, FnFacts, FnsBuilder, Index, IndexBuilder, ItemFacts};
use crate::items::{DefMap, FileScope, ItemTree, ModuleId};
use crate::lower::{self, Lowered};
use crate::Edition;

#[salsa::input(debug)]
pub struct SourceFile {
    #[returns(ref)]
    pub path: String,
    #[returns(ref)]
    pub text: String,
    #[returns(copy)]
    pub edition: Edition,
    /// The tree-sitter parse of `text`, reparsed incrementally by the host; `None` parses here.
    #[returns(ref)]
    pub tree: Option<crate::syntax::ParsedTree>,
    /// A dependency's file: read for its items and signatures, its bodies neither converted nor
    /// checked.
    #[returns(copy)]
    pub dependency: bool,
    /// What the host derived from the text (`refresh`), each set only when it changed, with at
    /// least medium durability: the firewall between a file's text and its crate's facts. A
    /// dependency's file has none; its queries derive them.
    #[default]
    #[returns(ref)]
    pub item_tree_in: Option<Arc<ItemTree>>,
    #[default]
    #[returns(ref)]
    pub item_syntax_in: Option<Arc<ItemSyntax>>,
    #[default]
    #[returns(ref)]
    pub signatures_in: Option<Arc<FnSignatures>>,
    /// The file's functions, in order, where they are: set on every edit (the offsets move),
    /// read only outside the queries.
    #[default]
    #[returns(ref)]
    pub fns: Arc<[FnAt]>,
}

/// A function of a file, set by the host (`refresh`). Its identity is its path in the file; its
/// fields are its own syntax (spans relative to itself) and its container, set only when they
/// change, so that editing one function changes one item's `def`, and the queries of every other
/// one stay valid without being walked (salsa's durability: an unedited function's fields keep
/// the medium durability they were made with). Its offset is in `SourceFile::fns`, which nothing
/// but the final mapping to file positions reads.
#[salsa::input(debug)]
pub struct FnItem {
    /// The file the function is in: the per-function queries take the item alone, which spares
    /// them salsa's interning of a (file, item) key on every fetch.
    #[returns(copy)]
    pub file: SourceFile,
    /// The item's path: modules, impl type, trait, enclosing functions, name, and a
    /// disambiguator for repeated names.
    #[returns(ref)]
    pub path: String,
    #[returns(ref)]
    pub def: Arc<FnDef>,
    #[returns(ref)]
    pub container: Arc<Container>,
}

/// A function and where it starts in its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FnAt {
    pub item: FnItem,
    pub offset: u32,
}

/// The whole file's syntax, parsed once per revision of its text.
#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn salsa::Database, file: SourceFile) -> Arc<ast::SourceFile> {
    if file.dependency(db) {
        return Arc::new(crate::syntax::parse_signatures(file.text(db)).unwrap_or_default());
    }
    match file.tree(db) {
        Some(tree) => Arc::new(tree.convert(file.text(db))),
        None => Arc::new(crate::syntax::parse(file.text(db))),
    }
}

/// The functions of a file, with stable identities, where they are: those of a file the host
/// refreshed (one set with `set_file`), none for another (`file_fns` analyses those whole).
pub fn fn_items(db: &dyn salsa::Database, file: SourceFile) -> &[FnAt] {
    file.fns(db)
}

/// A function of a file with its analysis, as the diagnostics and the editor's features read it:
/// by the per-function queries in a file the host refreshed, by one query for the whole file in
/// another (a file read from disk and never opened is not edited, and its functions are not
/// made inputs: that would convert every file of the workspace at once).
pub(crate) struct FnRef<'db> {
    pub offset: u32,
    pub def: &'db FnDef,
    source: FnSource<'db>,
}

enum FnSource<'db> {
    Item(FnItem),
    Whole(&'db WholeFn),
}

impl<'db> FnRef<'db> {
    pub fn lowered(&self, db: &'db dyn salsa::Database) -> &'db Lowered {
        match self.source {
            FnSource::Item(item) => fn_body(db, item),
            FnSource::Whole(f) => &f.lowered,
        }
    }

    pub fn borrowck(&self, db: &'db dyn salsa::Database) -> &'db BorrowckResult {
        match self.source {
            FnSource::Item(item) => fn_borrowck(db, item),
            FnSource::Whole(f) => &f.borrowck,
        }
    }
}

/// Whether the host derived the file's inputs (`refresh`): it is or was open in the editor.
pub(crate) fn refreshed(db: &dyn salsa::Database, file: SourceFile) -> bool {
    file.item_tree_in(db).is_some()
}

/// The functions of a file, in order, with their analyses.
pub(crate) fn file_fns(db: &dyn salsa::Database, file: SourceFile) -> Vec<FnRef<'_>> {
    // A dependency's functions are not analysed: it has none.
    if refreshed(db, file) || file.dependency(db) {
        return fn_items(db, file)
            .iter()
            .map(|at| FnRef {
                offset: at.offset,
                def: at.item.def(db),
                source: FnSource::Item(at.item),
            })
            .collect();
    }
    whole_file_fns(db, file)
        .iter()
        .map(|f| FnRef {
            offset: f.offset,
            def: &f.def,
            source: FnSource::Whole(f),
        })
        .collect()
}

/// A function of a file analysed whole.
#[derive(Debug)]
pub(crate) struct WholeFn {
    offset: u32,
    def: Arc<FnDef>,
    lowered: Lowered,
    borrowck: BorrowckResult,
}

/// Every function of a file the host did not refresh, analysed with its crate's facts.
#[salsa::tracked(returns(ref), no_eq)]
pub(crate) fn whole_file_fns(db: &dyn salsa::Database, file: SourceFile) -> Arc<[WholeFn]> {
    let (map, top) = file_scope(db, file);
    let macros = crate_macros(db, *crate_of(db, file));
    let index = file_index(db, file);
    parse(db, file)
        .items
        .iter()
        .filter_map(|it| match it {
            ast::Item::Fn(f) => Some(f),
            _ => None,
        })
        .map(|f| {
            let r = resolve_fn(FileScope { map, top }, &f.def, &f.container, macros);
            let lowered = lower::lower_fn(&r.def, &r.container, index, file.edition(db));
            let borrowck = check_fn(&lowered, index);
            WholeFn {
                offset: f.offset,
                def: f.def.clone(),
                lowered,
                borrowck,
            }
        })
        .collect()
}

/// The paths of a file's functions (`FnItem::path`), in order.
fn fn_paths(syntax: &ast::SourceFile) -> Vec<(String, &ast::FnItem)> {
    use std::fmt::Write;
    // This runs on every keystroke: the path's prefix is written once per container (the
    // functions of an impl share theirs), and repeated names are counted with a fast hash.
    let mut seen: std::collections::HashMap<String, u32, crate::base::FxBuild> = Default::default();
    let mut items = Vec::new();
    let mut prefix = String::new();
    let mut prefix_of: Option<&Arc<Container>> = None;
    for item in &syntax.items {
        let ast::Item::Fn(f) = item else { continue };
        let c = &f.container;
        if !prefix_of.is_some_and(|p| Arc::ptr_eq(p, c) || p == c) {
            prefix.clear();
            for m in &c.modules {
                prefix.push_str(m);
                prefix.push_str("::");
            }
            if let Some(t) = &c.impl_self {
                let _ = write!(prefix, "<{:?}", crate::index::type_name(t));
                if let Some(tr) = &c.impl_trait {
                    let _ = write!(prefix, " as {tr}");
                }
                prefix.push_str(">::");
            }
            if let Some(t) = &c.trait_name {
                let _ = write!(prefix, "trait {t}::");
            }
            for p in &c.parent_fns {
                prefix.push_str(p);
                prefix.push_str("::{fn}::");
            }
            prefix_of = Some(c);
        }
        let mut path = String::with_capacity(prefix.len() + f.def.name.len() + 4);
        path.push_str(&prefix);
        path.push_str(&f.def.name);
        let n = match seen.get_mut(path.as_str()) {
            Some(n) => {
                *n += 1;
                *n
            }
            None => {
                seen.insert(path.clone(), 1);
                1
            }
        };
        if n > 1 {
            let _ = write!(path, "#{n}");
        }
        items.push((path, f));
    }
    items
}

/// Derives a workspace file's inputs from its text, which the host has just set with
/// `durability`: its item tree, item syntax and signatures (each set only when it differs from
/// what it was, with at least medium durability: edits that leave them be do not reach the
/// crate's facts, and these are not walked on such an edit) and its functions (a function whose
/// syntax or container changed gets them set with `durability`; one that is gone goes to `free`,
/// whence a new one takes its input). Returns the syntax they were derived from, and whether it
/// was made of one function alone: with `edited` (the edit that made this text, and the syntax
/// returned for the text before it), an edit inside one function's body converts that function
/// alone (`edited_syntax`).
pub(crate) fn refresh(
    db: &mut Database,
    file: SourceFile,
    durability: salsa::Durability,
    edited: Option<Edited>,
    free: &mut Vec<FnItem>,
) -> (Arc<ast::SourceFile>, bool) {
    use salsa::Setter;
    let firm = durability.max(salsa::Durability::MEDIUM);
    // Made of the edited function alone, the syntax has every other item as it was, so the item
    // syntax is as it was too if the text scans are.
    let fast =
        edited.and_then(|e| Some((edited_syntax(db, file, &e.prev, &e.edit)?, e.scans_same)));
    let alone = fast.is_some();
    let (syntax, items_same) = fast.unwrap_or_else(|| (parse(db, file).clone(), false));
    let tree = Arc::new(ItemTree::new(&syntax));
    if file.item_tree_in(db).as_ref() != Some(&tree) {
        file.set_item_tree_in(db)
            .with_durability(firm)
            .to(Some(tree));
    }
    let items = (!items_same).then(|| Arc::new(derive_item_syntax(&syntax, file.text(db))));
    if let Some(items) = items.filter(|it| file.item_syntax_in(db).as_ref() != Some(it)) {
        file.set_item_syntax_in(db)
            .with_durability(firm)
            .to(Some(items));
    }
    let signatures = Arc::new(FnSignatures(syntax.clone()));
    if file.signatures_in(db).as_ref() != Some(&signatures) {
        file.set_signatures_in(db)
            .with_durability(firm)
            .to(Some(signatures));
    }
    // The functions: by path, the old ones in order first (a keystroke keeps every path).
    let old = file.fns(db).clone();
    let mut by_path: Option<std::collections::HashMap<String, FnItem>> = None;
    let mut fns = Vec::new();
    let mut kept = std::collections::HashSet::<FnItem, crate::base::FxBuild>::default();
    for (i, (path, f)) in fn_paths(&syntax).into_iter().enumerate() {
        let same_place = old
            .get(i)
            .map(|at| at.item)
            .filter(|item| *item.path(db) == path);
        let found = same_place.or_else(|| {
            let map = by_path.get_or_insert_with(|| {
                old.iter()
                    .map(|at| (at.item.path(db).clone(), at.item))
                    .collect()
            });
            map.get(&path).copied()
        });
        let item = match found {
            Some(item) => {
                let def = item.def(db);
                if !(Arc::ptr_eq(def, &f.def) || def == &f.def) {
                    item.set_def(db)
                        .with_durability(durability)
                        .to(f.def.clone());
                }
                let c = item.container(db);
                if !(Arc::ptr_eq(c, &f.container) || c == &f.container) {
                    item.set_container(db)
                        .with_durability(durability)
                        .to(f.container.clone());
                }
                item
            }
            None => match free.pop() {
                Some(item) => {
                    if item.file(db) != file {
                        item.set_file(db).with_durability(firm).to(file);
                    }
                    item.set_path(db).with_durability(durability).to(path);
                    item.set_def(db)
                        .with_durability(durability)
                        .to(f.def.clone());
                    item.set_container(db)
                        .with_durability(durability)
                        .to(f.container.clone());
                    item
                }
                None => FnItem::builder(file, path, f.def.clone(), f.container.clone())
                    .durability(firm)
                    .new(db),
            },
        };
        kept.insert(item);
        fns.push(FnAt {
            item,
            offset: f.offset,
        });
    }
    free.extend(
        old.iter()
            .map(|at| at.item)
            .filter(|item| !kept.contains(item)),
    );
    if **file.fns(db) != *fns {
        file.set_fns(db).with_durability(durability).to(fns.into());
    }
    (syntax, alone)
}

/// What `refresh` is told of the edit that made a file's text: the edit, the syntax it returned
/// for the text before, and whether the text scans of the item syntax (`derive_item_syntax`)
/// read the same after it (`text_scans_unchanged`).
pub(crate) struct Edited {
    pub edit: crate::syntax::TextEdit,
    pub prev: Arc<ast::SourceFile>,
    pub scans_same: bool,
}

/// Whether the text scans of `derive_item_syntax` give the same for `new` as for `old`, which
/// `edit` turned into it, by a look at the text around the edit only: `shadowed_std_names` reads
/// the line of each `use` and at most 4,000 bytes after it, and the file has no `macro_rules!`
/// (the macro scans read each with whatever follows it).
pub(crate) fn text_scans_unchanged(old: &str, new: &str, edit: &crate::syntax::TextEdit) -> bool {
    const READ: usize = 4096 + 16;
    // A `use` line near the edit, or `macro_rules` (whole or cut by the edit) in it.
    let near = |text: &str, end: usize| {
        let bytes = text.as_bytes();
        let from = edit.start.saturating_sub(READ);
        let to = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i);
        memchr::memmem::find(&bytes[from..to], b"macro_rules").is_some()
            || memchr::memmem::find_iter(&bytes[from..to], b"use ").any(|hit| {
                let hit = from + hit;
                let line = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |i| i + 1);
                let line_end =
                    memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |i| hit + i);
                crate::index::use_at(&bytes[line..line_end]).is_some()
            })
    };
    memchr::memmem::find(new.as_bytes(), b"macro_rules!").is_none()
        && !near(old, edit.old_end)
        && !near(new, edit.new_end)
}

/// The syntax of `file` after `edit`, from `prev`, its syntax before, when the edit and every
/// change tree-sitter saw lie inside the body of one function that declares no item (a
/// keystroke in a body, mostly): that function is converted again, the functions after it
/// move, and every other item stays as it was, as the whole file's conversion would have it.
/// `None` otherwise: the whole file is converted (`parse`).
fn edited_syntax(
    db: &dyn salsa::Database,
    file: SourceFile,
    prev: &Arc<ast::SourceFile>,
    edit: &crate::syntax::TextEdit,
) -> Option<Arc<ast::SourceFile>> {
    let (i, f) = prev.items.iter().enumerate().find_map(|(i, it)| match it {
        ast::Item::Fn(f) if f.container.parent_fns.is_empty() => {
            let body = f.def.body.as_ref()?.span;
            let (from, to) = (f.offset + body.start, f.offset + body.end);
            edit.inside(from as usize, to as usize).then_some((i, f))
        }
        _ => None,
    })?;
    // The items its body declares follow it.
    if prev
        .items
        .get(i + 1)
        .is_some_and(|it| !it.container().parent_fns.is_empty())
    {
        return None;
    }
    let delta = edit.new_end as i64 - edit.old_end as i64;
    let shift = |offset: u32| u32::try_from(offset as i64 + delta).ok();
    let start = f.offset as usize;
    let end = shift(f.offset + f.len)? as usize;
    let mut new = file
        .tree(db)
        .as_ref()?
        .convert_fn(file.text(db), start, end, &f.container)?;
    let item = new.pop().filter(|_| new.is_empty())?;
    let mut items = Vec::with_capacity(prev.items.len());
    items.extend_from_slice(&prev.items[..i]);
    items.push(item);
    for it in &prev.items[i + 1..] {
        let mut it = it.clone();
        if let ast::Item::Fn(f) = &mut it {
            f.offset = shift(f.offset)?;
        }
        items.push(it);
    }
    Some(Arc::new(ast::SourceFile { items }))
}

/// The files the host has, by path, the roots of the crates among them, and the crate graph
/// (each crate's root path, edition, name and dependencies). A file that no crate root reaches
/// is a crate of its own.
#[salsa::input(singleton)]
pub struct Workspace {
    #[returns(ref)]
    pub files: Arc<std::collections::BTreeMap<String, SourceFile>>,
    #[returns(ref)]
    pub roots: Arc<Vec<SourceFile>>,
    #[returns(ref)]
    pub graph: Arc<crate::items::CrateGraph>,
}

/// What a file declares and imports: equal while only bodies or signatures change, so the def
/// maps built from it are not rebuilt on such edits.
pub fn item_tree(db: &dyn salsa::Database, file: SourceFile) -> &Arc<ItemTree> {
    match file.item_tree_in(db) {
        Some(tree) => tree,
        None => derived_item_tree(db, file),
    }
}

/// The item tree of a file the host did not refresh (`refreshed`): a dependency's, or one read
/// from disk and never opened.
#[salsa::tracked(returns(ref))]
fn derived_item_tree(db: &dyn salsa::Database, file: SourceFile) -> Arc<ItemTree> {
    Arc::new(ItemTree::new(parse(db, file)))
}

/// A def map's loader: item trees by `.0`, item macros expanded by the syntax layer.
pub(crate) struct Expanding<F>(pub F);

impl<F: FnMut(&str) -> Option<Arc<ItemTree>>> crate::items::Loader for Expanding<F> {
    fn load(&mut self, path: &str) -> Option<Arc<ItemTree>> {
        (self.0)(path)
    }

    fn expand(&mut self, rules: &ast::MacroRules, text: &str) -> Option<Arc<ItemTree>> {
        let items = crate::syntax::expand_items(rules, text)?;
        Some(Arc::new(ItemTree::new(&items)))
    }
}

/// The def map of the crate whose root is `root`: its module tree across the host's files when
/// `root` is a crate root the host was given, else of that one file.
#[salsa::tracked(returns(ref))]
pub fn def_map(db: &dyn salsa::Database, root: SourceFile) -> Arc<DefMap> {
    let ws = Workspace::try_get(db);
    let is_root = ws.is_some_and(|ws| ws.roots(db).contains(&root));
    let mut load = Expanding(|path: &str| -> Option<Arc<ItemTree>> {
        if !is_root {
            return None;
        }
        let file = *ws?.files(db).get(path)?;
        Some(item_tree(db, file).clone())
    });
    let in_graph = ws
        .filter(|_| is_root)
        .and_then(|ws| in_crate_graph(db, ws, root));
    Arc::new(match in_graph {
        Some((graph, k)) => DefMap::build_in(graph, k, item_tree(db, root).clone(), &mut load),
        None => DefMap::build(
            root.path(db),
            item_tree(db, root).clone(),
            root.edition(db),
            &mut load,
        ),
    })
}

/// The crate graph and the index in it of the crate whose root file is `root`.
fn in_crate_graph(
    db: &dyn salsa::Database,
    ws: Workspace,
    root: SourceFile,
) -> Option<(&crate::items::CrateGraph, usize)> {
    let graph = ws.graph(db);
    let k = graph
        .crates
        .iter()
        .position(|c| *c.root == **root.path(db))?;
    Some((graph, k))
}

/// The root of the crate a file is in: the first crate root whose own module tree reaches it,
/// else (a dependency's file) the first whose dependencies' do, else the file itself.
#[salsa::tracked]
pub fn crate_of(db: &dyn salsa::Database, file: SourceFile) -> SourceFile {
    if let Some(ws) = Workspace::try_get(db) {
        let path = file.path(db);
        let mut reached = None;
        for &root in ws.roots(db).iter() {
            let map = def_map(db, root);
            match map.files.iter().position(|f| **f == **path) {
                Some(i) if i < map.own_files => return root,
                Some(_) if reached.is_none() => reached = Some(root),
                _ => {}
            }
        }
        if let Some(root) = reached {
            return root;
        }
    }
    file
}

/// The def map of a file's crate and the file's top module in it.
fn file_scope(db: &dyn salsa::Database, file: SourceFile) -> (&DefMap, ModuleId) {
    let map = def_map(db, *crate_of(db, file));
    let top = map.file_module(file.path(db)).unwrap_or(ModuleId(0));
    (map, top)
}

/// A file's syntax as the index sees it: its items that are not functions, the std names it
/// shadows and its control-free macros. Re-run on every edit of the text, compared in place
/// (nothing is copied out on a keystroke), and equal while only function bodies change, so salsa
/// backdates it and what is built from it stands.
#[derive(Debug)]
pub struct ItemSyntax {
    syntax: Arc<ast::SourceFile>,
    shadowed: Vec<ast::Name>,
    control_free_macros: Vec<ast::Name>,
    macros: Vec<(ast::Name, ast::MacroRules)>,
}

impl ItemSyntax {
    fn items(&self) -> impl Iterator<Item = &ast::Item> {
        self.syntax
            .items
            .iter()
            .filter(|it| !matches!(it, ast::Item::Fn(_)))
    }
}

impl PartialEq for ItemSyntax {
    fn eq(&self, other: &ItemSyntax) -> bool {
        self.shadowed == other.shadowed
            && self.control_free_macros == other.control_free_macros
            && self.macros == other.macros
            && self.items().eq(other.items())
    }
}
impl Eq for ItemSyntax {}

pub fn item_syntax(db: &dyn salsa::Database, file: SourceFile) -> &Arc<ItemSyntax> {
    match file.item_syntax_in(db) {
        Some(items) => items,
        None => derived_item_syntax(db, file),
    }
}

/// The item syntax of a file the host did not refresh (`refreshed`): a dependency's, or one read
/// from disk and never opened.
#[salsa::tracked(returns(ref))]
fn derived_item_syntax(db: &dyn salsa::Database, file: SourceFile) -> Arc<ItemSyntax> {
    Arc::new(derive_item_syntax(parse(db, file), file.text(db)))
}

fn derive_item_syntax(syntax: &Arc<ast::SourceFile>, text: &str) -> ItemSyntax {
    ItemSyntax {
        syntax: syntax.clone(),
        shadowed: crate::index::shadowed_std_names(text),
        control_free_macros: crate::index::control_free_macros(text),
        macros: crate::syntax::macro_definitions(text),
    }
}

/// A crate's own `macro_rules!` macros by name (`None` for a name defined more than once: which
/// definition an invocation means depends on where it is), expanded before a body is resolved.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CrateMacros(std::collections::HashMap<ast::Name, Option<ast::MacroRules>>);

impl CrateMacros {
    pub(crate) fn new<'a>(defs: impl Iterator<Item = &'a (ast::Name, ast::MacroRules)>) -> Self {
        let mut map: std::collections::HashMap<ast::Name, Option<ast::MacroRules>> =
            Default::default();
        for (name, rules) in defs {
            match map.get_mut(name) {
                Some(Some(r)) if r == rules => {}
                Some(old) => *old = None,
                None => {
                    map.insert(name.clone(), Some(rules.clone()));
                }
            }
        }
        CrateMacros(map)
    }

    /// The macros of the function's calls replaced by their expansions, where they expand.
    pub(crate) fn expand_in(&self, def: &mut FnDef) {
        if self.0.is_empty() {
            return;
        }
        let Some(block) = def.body.take() else {
            return;
        };
        let mut e = ast::Expr {
            span: block.span,
            kind: ast::ExprKind::Block { block, label: None },
        };
        // At most this many expansions in one function, each at most this deep.
        let mut budget = 512u32;
        let mut expansions = Vec::new();
        ast::for_each_child_mut(&mut e, &mut |c| {
            self.expand_expr(c, 0, &mut budget, &mut expansions)
        });
        def.expansions = expansions;
        if let ast::ExprKind::Block { block, .. } = e.kind {
            def.body = Some(block);
        }
    }

    fn expand_expr(
        &self,
        e: &mut ast::Expr,
        depth: u32,
        budget: &mut u32,
        expansions: &mut Vec<ast::Span>,
    ) {
        const MAX_DEPTH: u32 = 16;
        if let ast::ExprKind::Macro(m) = &e.kind {
            let rules = (!m.qualified && m.tokens.is_some())
                .then(|| self.0.get(&m.name))
                .flatten()
                .and_then(|r| r.as_ref());
            if let Some(rules) = rules {
                if depth < MAX_DEPTH && *budget > 0 {
                    *budget -= 1;
                    if let Some(x) = crate::syntax::expand(rules, m, e.span) {
                        expansions.push(e.span);
                        *e = x;
                        self.expand_expr(e, depth + 1, budget, expansions);
                        return;
                    }
                }
            }
        }
        ast::for_each_child_mut(e, &mut |c| self.expand_expr(c, depth, budget, expansions));
    }
}

/// The files of the crate rooted at `root`, its dependencies' left out (the root alone outside
/// a workspace).
fn own_files(db: &dyn salsa::Database, root: SourceFile) -> Vec<SourceFile> {
    let map = def_map(db, root);
    let files: Vec<SourceFile> = match Workspace::try_get(db) {
        Some(ws) if map.own_files > 1 => map.files[..map.own_files]
            .iter()
            .filter_map(|p| ws.files(db).get(&**p).copied())
            .collect(),
        _ => vec![root],
    };
    files
}

/// The crate's own macros, from all its files.
#[salsa::tracked(returns(ref))]
pub fn crate_macros(db: &dyn salsa::Database, root: SourceFile) -> Arc<CrateMacros> {
    let files = own_files(db, root);
    Arc::new(CrateMacros::new(
        files.iter().flat_map(|&f| item_syntax(db, f).macros.iter()),
    ))
}

/// What the index takes from a file besides its functions' entries: its types, impls and
/// traits with their paths resolved, the std names it shadows and its control-free macros.
/// Re-run only when the file's items or its crate's def map change.
#[derive(Debug, PartialEq, Eq)]
pub struct IndexInputs {
    items: Vec<ast::Item>,
    shadowed: Vec<ast::Name>,
    control_free_macros: Vec<ast::Name>,
}

#[salsa::tracked(returns(ref))]
pub fn index_inputs(db: &dyn salsa::Database, file: SourceFile) -> Arc<IndexInputs> {
    let syntax = item_syntax(db, file);
    let (map, top) = file_scope(db, file);
    let scope = FileScope { map, top };
    Arc::new(IndexInputs {
        items: syntax.items().filter_map(|it| scope.item(it)).collect(),
        shadowed: syntax.shadowed.clone(),
        control_free_macros: syntax.control_free_macros.clone(),
    })
}

/// A function's signature and body with their paths resolved, and its container.
#[derive(Debug, PartialEq, Eq)]
pub struct ResolvedFn {
    pub def: FnDef,
    pub container: Container,
    /// The function's id when it is a free function.
    pub id: ast::Name,
    /// The strings the resolved function holds: the keys of the signatures its body may read
    /// (`index::names_in`).
    pub names: Vec<Box<str>>,
}

#[salsa::tracked(returns(ref))]
pub fn fn_resolved(db: &dyn salsa::Database, item: FnItem) -> Arc<ResolvedFn> {
    let file = item.file(db);
    let (map, top) = file_scope(db, file);
    let macros = crate_macros(db, *crate_of(db, file));
    Arc::new(resolve_fn(
        FileScope { map, top },
        item.def(db),
        item.container(db),
        macros,
    ))
}

/// A function with its crate's macros expanded and its paths resolved.
pub(crate) fn resolve_fn(
    scope: FileScope,
    def: &FnDef,
    c: &Container,
    macros: &CrateMacros,
) -> ResolvedFn {
    let id = scope.fn_id(&def.name, c);
    let mut def = def.clone();
    macros.expand_in(&mut def);
    scope.resolve_fn_def(&mut def, c);
    ResolvedFn {
        names: crate::index::names_in(&def),
        def,
        container: scope.container(c),
        id,
    }
}

pub(crate) fn resolved_entry(f: &ResolvedFn) -> FnEntry {
    match crate::index::fn_entry(&f.def, &f.container) {
        FnEntry::Free(_, sig) => FnEntry::Free(f.id.clone(), sig),
        other => other,
    }
}

/// A file's functions as the index sees them: signatures and containers. Re-run on every edit of
/// the text, compared in place, and equal while only bodies change (as `ItemSyntax` is for the
/// other items), so that what the index takes from it is not even verified again on a keystroke.
#[derive(Debug)]
pub struct FnSignatures(Arc<ast::SourceFile>);

impl FnSignatures {
    fn fns(&self) -> impl Iterator<Item = &ast::FnItem> {
        self.0.items.iter().filter_map(|it| match it {
            ast::Item::Fn(f) => Some(f),
            _ => None,
        })
    }
}

impl PartialEq for FnSignatures {
    fn eq(&self, other: &FnSignatures) -> bool {
        // A function the conversion took from its cache is the same allocation as before.
        let same = |a: &ast::FnItem, b: &ast::FnItem| {
            a.container == b.container
                && (Arc::ptr_eq(&a.def, &b.def) || same_signature(&a.def, &b.def))
        };
        self.fns().count() == other.fns().count()
            && self.fns().zip(other.fns()).all(|(a, b)| same(a, b))
    }
}
impl Eq for FnSignatures {}

/// Two functions alike but for their bodies (every field named: a new one must choose a side).
fn same_signature(a: &FnDef, b: &FnDef) -> bool {
    let FnDef {
        name,
        name_span,
        generics,
        self_param,
        params,
        ret,
        body: _,
        is_unsafe,
        is_async,
        is_const,
        attrs,
        expansions: _,
        path_args: _,
    } = a;
    (name, name_span, generics, self_param, params, ret)
        == (
            &b.name,
            &b.name_span,
            &b.generics,
            &b.self_param,
            &b.params,
            &b.ret,
        )
        && (is_unsafe, is_async, is_const, attrs)
            == (&b.is_unsafe, &b.is_async, &b.is_const, &b.attrs)
}

/// A function without its body (which is not copied).
fn signature_of(def: &FnDef) -> FnDef {
    FnDef {
        name: def.name.clone(),
        name_span: def.name_span,
        generics: def.generics.clone(),
        self_param: def.self_param.clone(),
        params: def.params.clone(),
        ret: def.ret.clone(),
        body: None,
        is_unsafe: def.is_unsafe,
        is_async: def.is_async,
        is_const: def.is_const,
        attrs: def.attrs.clone(),
        expansions: Vec::new(),
        path_args: Vec::new(),
    }
}

pub fn fn_signatures(db: &dyn salsa::Database, file: SourceFile) -> &Arc<FnSignatures> {
    match file.signatures_in(db) {
        Some(signatures) => signatures,
        None => derived_signatures(db, file),
    }
}

/// The signatures of a file the host did not refresh (`refreshed`): a dependency's, or one read
/// from disk and never opened.
#[salsa::tracked(returns(ref))]
fn derived_signatures(db: &dyn salsa::Database, file: SourceFile) -> Arc<FnSignatures> {
    Arc::new(FnSignatures(parse(db, file).clone()))
}

/// The entries of a file's functions, from their signatures alone: a body edit leaves the
/// signatures equal, so neither this nor the crate's index is re-run or walked again. After a
/// signature edit, each function's entry is resolved again only when its own signature or its
/// file's scope changed (`signature_entry_of`).
#[salsa::tracked(returns(ref))]
pub fn file_fn_entries(db: &dyn salsa::Database, file: SourceFile) -> Arc<[FnEntry]> {
    fn_signatures(db, file)
        .fns()
        .map(|f| {
            let key = Signature::new(
                db,
                file,
                Arc::new(signature_of(&f.def)),
                f.container.clone(),
            );
            signature_entry_of(db, key).clone()
        })
        .collect()
}

/// A function's signature (without its body) and container, where it is written.
#[salsa::interned(debug)]
struct Signature<'db> {
    file: SourceFile,
    #[returns(ref)]
    def: Arc<FnDef>,
    #[returns(ref)]
    container: Arc<Container>,
}

/// A function's index entry, resolved in its file's scope.
#[salsa::tracked(returns(ref))]
fn signature_entry_of<'db>(db: &'db dyn salsa::Database, key: Signature<'db>) -> FnEntry {
    let (map, top) = file_scope(db, *key.file(db));
    entry_of_signature(FileScope { map, top }, key.def(db), key.container(db))
}

/// A function's index entry from its signature alone, resolved in `scope`.
fn signature_entry(scope: FileScope, f: &ast::FnItem) -> FnEntry {
    entry_of_signature(scope, &signature_of(&f.def), &f.container)
}

/// The index entry of a function without its body, resolved in `scope`.
fn entry_of_signature(scope: FileScope, signature: &FnDef, container: &Container) -> FnEntry {
    resolved_entry(&resolve_fn(
        scope,
        signature,
        container,
        &CrateMacros::default(),
    ))
}

/// The facts the bodies of a crate read, from all its files: its items and its functions'
/// signatures, each built by a query of its own.
#[salsa::tracked(returns(ref))]
pub fn crate_index(db: &dyn salsa::Database, root: SourceFile) -> Arc<Index> {
    Arc::new(Index::from_parts(
        crate_items(db, root).clone(),
        crate_fn_facts(db, root).clone(),
    ))
}

/// The items of a crate (types, impls, traits, statics, aliases) from all its files and its
/// dependencies. Built from queries that stay equal while functions are edited, signatures
/// included: such an edit neither rebuilds it nor re-runs the bodies that read it.
#[salsa::tracked(returns(ref))]
pub fn crate_items(db: &dyn salsa::Database, root: SourceFile) -> Arc<ItemFacts> {
    let map = def_map(db, root);
    let files = own_files(db, root);
    let mut builder = IndexBuilder::for_files(files.iter().map(|&f| {
        let inputs = index_inputs(db, f);
        (&inputs.shadowed[..], &inputs.control_free_macros[..])
    }));
    for &f in &files {
        for item in &index_inputs(db, f).items {
            builder.add_item(item);
        }
    }
    if map.own_files < map.files.len() {
        for item in &dependency_entries(db, root).items {
            builder.add_item(item);
        }
    }
    Arc::new(builder.finish_items())
}

/// The signatures of a crate's functions and of its dependencies', from queries that stay equal
/// while only bodies change: a body edit neither rebuilds it nor verifies it file by file.
/// Rebuilt only when a file's signatures changed, so never equal to what it was (`no_eq`: not
/// compared).
#[salsa::tracked(returns(ref), no_eq)]
pub fn crate_fn_facts(db: &dyn salsa::Database, root: SourceFile) -> Arc<FnFacts> {
    let map = def_map(db, root);
    let mut builder = FnsBuilder::default();
    for &f in &own_files(db, root) {
        for entry in file_fn_entries(db, f).iter() {
            builder.add_fn(entry);
        }
    }
    if map.own_files < map.files.len() {
        builder.named_traits(map.named_traits());
        for f in &dependency_entries(db, root).fns {
            builder.add_fn(f);
        }
    }
    Arc::new(builder.finish(crate_items(db, root)))
}

/// The def map of the dependencies of the crate whose root is `root`, the crate itself left
/// empty: resolution inside a dependency never looks at the crate that uses it, so what is
/// built from this map stands while the crate's own items change.
#[salsa::tracked(returns(ref))]
pub fn dependencies_def_map(db: &dyn salsa::Database, root: SourceFile) -> Arc<DefMap> {
    let ws = Workspace::try_get(db);
    let mut load = Expanding(|path: &str| -> Option<Arc<ItemTree>> {
        let file = *ws?.files(db).get(path)?;
        Some(item_tree(db, file).clone())
    });
    let in_graph = ws.and_then(|ws| in_crate_graph(db, ws, root));
    Arc::new(match in_graph {
        Some((graph, k)) => DefMap::build_in(graph, k, Arc::default(), &mut load),
        None => DefMap::default(),
    })
}

/// What the dependencies of a crate add to its index: their items and their functions'
/// signatures, resolved in their own crates. Read from files of high durability and the crate
/// graph only: an edit in the workspace does not revisit it.
#[derive(Debug, PartialEq, Eq, Default)]
pub struct DependencyEntries {
    pub items: Vec<ast::Item>,
    pub fns: Vec<FnEntry>,
}

#[salsa::tracked(returns(ref))]
pub fn dependency_entries(db: &dyn salsa::Database, root: SourceFile) -> Arc<DependencyEntries> {
    let map = dependencies_def_map(db, root);
    let mut out = DependencyEntries::default();
    let Some(ws) = Workspace::try_get(db) else {
        return Arc::new(out);
    };
    for path in map.files.iter().skip(map.own_files) {
        let (Some(&f), Some(top)) = (ws.files(db).get(&**path), map.file_module(path)) else {
            continue;
        };
        dependency_file_entries(FileScope { map, top }, parse(db, f), &mut out);
    }
    Arc::new(out)
}

/// A dependency's file's items and functions' entries, resolved in `scope`; functions nested in
/// bodies are not seen, and bodies are not resolved.
pub(crate) fn dependency_file_entries(
    scope: FileScope,
    syntax: &ast::SourceFile,
    out: &mut DependencyEntries,
) {
    for item in &syntax.items {
        match item {
            ast::Item::Fn(fi) if fi.container.parent_fns.is_empty() => {
                out.fns.push(signature_entry(scope, fi))
            }
            ast::Item::Fn(_) => {}
            _ => out.items.extend(scope.item(item)),
        }
    }
}

/// The index of the crate a file is in.
pub fn file_index(db: &dyn salsa::Database, file: SourceFile) -> &Index {
    crate_index(db, *crate_of(db, file))
}

/// The signatures a function's body may read (those its names reach): equal after an edit of
/// any other signature, so only the bodies that may call the edited function are re-run.
#[salsa::tracked(returns(ref))]
pub fn fn_signatures_read(db: &dyn salsa::Database, item: FnItem) -> Arc<FnFacts> {
    let names = &fn_resolved(db, item).names;
    let root = *crate_of(db, item.file(db));
    Arc::new(crate_fn_facts(db, root).read_by(names))
}

/// The index as a function's body sees it: its crate's items and the signatures it may read.
fn fn_index(db: &dyn salsa::Database, item: FnItem) -> Index {
    let root = *crate_of(db, item.file(db));
    Index::from_parts(
        crate_items(db, root).clone(),
        fn_signatures_read(db, item).clone(),
    )
}

#[salsa::tracked(returns(ref))]
pub fn fn_body(db: &dyn salsa::Database, item: FnItem) -> Arc<Lowered> {
    let f = fn_resolved(db, item);
    Arc::new(lower::lower_fn(
        &f.def,
        &f.container,
        &fn_index(db, item),
        item.file(db).edition(db),
    ))
}

#[salsa::tracked(returns(ref))]
pub fn fn_borrowck(db: &dyn salsa::Database, item: FnItem) -> Arc<BorrowckResult> {
    Arc::new(check_fn(fn_body(db, item), &fn_index(db, item)))
}

/// The borrow check of a lowered function and of its closures.
pub(crate) fn check_fn(lowered: &Lowered, index: &Index) -> BorrowckResult {
    if lowered.body.tainted {
        return BorrowckResult::default();
    }
    let mut result = borrowck::borrowck(&lowered.body, index);
    for closure in lowered.closures.iter().filter(|c| !c.tainted) {
        result
            .errors
            .extend(borrowck::borrowck(closure, index).errors);
    }
    result
}

#[salsa::db]
#[derive(Clone, Default)]
pub struct Database {
    storage: salsa::Storage<Self>,
}

#[salsa::db]
impl salsa::Database for Database {}

impl Database {
    /// A database that reports every salsa event to `f` (for incrementality tests).
    pub fn with_events(f: impl Fn(salsa::Event) + Send + Sync + 'static) -> Database {
        Database {
            storage: salsa::Storage::new(Some(Box::new(f))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An edit inside a function's body converts that function alone (`edited_syntax`), and the
    /// syntax it makes is the whole file's conversion of the same parse: edits at random places
    /// of every corpus program, typed then deleted, most of them statements after a `;` or `{`,
    /// some breaking the syntax or declaring items.
    #[test]
    fn converting_the_edited_function_alone_equals_the_whole_conversion() {
        let files = crate::base::corpus_files();
        assert!(files.len() > 100, "the corpora beside the repository");
        let inserts = [
            " ",
            "\n",
            ";",
            "x;",
            "let y = &mut v;",
            "v.push(1);",
            "println!(\"{}\", a);",
            "'a: loop { break 'a; }",
            "{ let z = 1; }",
            "é;",
            "x",
            "{",
            "(",
            "\"",
            "/*",
            "fn q() {}",
            "struct S;",
            "macro_rules! m { () => {} }",
            "use std::vec::Vec;",
        ];
        let mut next = crate::base::test_random(11);
        let (mut alone, mut whole) = (0, 0);
        for path in &files {
            let original = std::fs::read_to_string(path).unwrap();
            let mut host = crate::AnalysisHost::new();
            let key = path.display().to_string();
            let id = host.set_file(&key, original.clone(), crate::Edition::E2021);
            let file = host.files[id.0 as usize];
            for step in 0..16 {
                let text = if step % 2 == 1 {
                    original.clone()
                } else {
                    let mut a = next() % (original.len() + 1);
                    while !original.is_char_boundary(a) {
                        a -= 1;
                    }
                    if let Some(j) = original[a..].find([';', '{']) {
                        a += j + 1;
                    }
                    let b = if next() % 4 == 0 { a + 1 } else { a };
                    let b = (b..=original.len())
                        .find(|&b| original.is_char_boundary(b))
                        .unwrap_or(a);
                    let insert = inserts[next() % inserts.len()];
                    format!("{}{insert}{}", &original[..a], &original[b..])
                };
                host.set_file(&key, text.clone(), crate::Edition::E2021);
                let kept = host.syntax[&file].0.clone();
                let tree = file.tree(&host.db).clone().unwrap();
                let uncached = Arc::new(tree.convert_uncached(&text));
                // The item syntax, scans of the text included, is that of the whole conversion.
                let items = derive_item_syntax(&uncached, &text);
                assert!(
                    file.item_syntax_in(&host.db).as_deref() == Some(&items),
                    "{}, step {step}: the item syntax\n{text}",
                    path.display()
                );
                let full = parse(&host.db, file);
                if Arc::ptr_eq(&kept, full) {
                    whole += 1;
                    continue;
                }
                alone += 1;
                assert!(
                    kept == uncached && *full == uncached,
                    "{}, step {step}:\n{text}",
                    path.display()
                );
            }
        }
        eprintln!("{alone} alone, {whole} whole");
        // Both ways are taken, often.
        assert!(alone > 1000 && whole > 1000, "{alone} alone, {whole} whole");
    }

    /// Every function of every corpus program lowers and checks the same with the signatures
    /// its names reach as with all of its crate's: the slice misses nothing lowering asks for.
    #[test]
    fn a_bodys_slice_answers_as_the_whole_index() {
        let paths = crate::base::corpus_files();
        assert!(
            paths.len() > 100,
            "the shared corpora must be beside the repository"
        );
        let (mut fns, mut read) = (0, 0);
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let mut host = crate::AnalysisHost::new();
            let id = host.set_file(&path.display().to_string(), text, crate::Edition::E2021);
            let (db, file) = (&host.db, host.files[id.0 as usize]);
            let index = file_index(db, file);
            for &FnAt { item, .. } in fn_items(db, file) {
                let f = fn_resolved(db, item);
                let whole =
                    crate::lower::lower_fn(&f.def, &f.container, index, crate::Edition::E2021);
                let sliced = fn_body(db, item);
                assert!(
                    **sliced == whole,
                    "{}: `{}` lowers otherwise with its slice of the signatures",
                    path.display(),
                    item.path(db)
                );
                assert!(
                    **fn_borrowck(db, item) == check_fn(&whole, index),
                    "{}: `{}` checks otherwise with its slice of the signatures",
                    path.display(),
                    item.path(db)
                );
                fns += 1;
                read += fn_signatures_read(db, item).len();
            }
        }
        // The test reads signatures at all: corpus bodies call their files' functions.
        assert!(
            fns > 1000 && read > 100,
            "{fns} functions, {read} signatures read"
        );
    }

    /// An attribute macro may rewrite a function's signature (`#[salsa::tracked(returns(ref))]`
    /// returns a reference to what is written as returned by value): callers know nothing of it.
    /// rustc's own attributes leave it as written.
    #[test]
    fn an_attribute_macro_hides_a_functions_signature() {
        let file = crate::syntax::parse(
        "#[salsa::tracked(returns(ref))]\nfn rewritten(x: u32) -> Vec<u32> { vec![x] }\n\
         #[inline]\n#[must_use]\nfn plain(x: u32) -> Vec<u32> { vec![x] }\n\
         struct S;\nimpl S {\n    #[tracing::instrument]\n    fn traced(&self) -> Vec<u32> { Vec::new() }\n}\n",
    );
        let index = crate::index::Index::build(&file, Vec::new());
        assert!(index.function("rewritten").is_none());
        assert!(index.function("plain").is_some());
        assert!(index.method("S", "traced").is_none());
    }
}
