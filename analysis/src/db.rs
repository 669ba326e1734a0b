//! The salsa database: files in, per-function bodies and borrow-check results out.
//!
//! The firewall is the function item: a tracked struct whose identity is its path in the file and
//! whose tracked fields are its own syntax (with spans relative to itself) and its offset. Editing
//! one function changes one item's `def`; moving it changes only its `offset`, which nothing but
//! the final mapping to file positions reads.

use std::sync::Arc;

use crate::ast::{self, Container, FnDef};
use crate::borrowck::{self, BorrowckResult};
use crate::index::{FnEntry, Index, IndexBuilder};
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
}

#[salsa::tracked(debug)]
pub struct FnItem<'db> {
    /// The file the function is in: the per-function queries take the item alone, which spares
    /// them salsa's interning of a (file, item) key on every fetch.
    #[returns(copy)]
    pub file: SourceFile,
    /// The item's path: modules, impl type, trait, enclosing functions, name, and a
    /// disambiguator for repeated names.
    #[returns(ref)]
    pub path: String,
    #[tracked]
    #[returns(ref)]
    pub def: Arc<FnDef>,
    #[tracked]
    #[returns(ref)]
    pub container: Arc<Container>,
    #[tracked]
    #[returns(copy)]
    pub offset: u32,
}

/// The whole file's syntax, parsed once per revision of its text.
#[salsa::tracked(returns(ref))]
pub fn parse(db: &dyn salsa::Database, file: SourceFile) -> Arc<ast::SourceFile> {
    match file.tree(db) {
        Some(tree) => Arc::new(tree.convert(file.text(db))),
        None => Arc::new(crate::syntax::parse(file.text(db))),
    }
}

/// The functions of a file, with stable identities.
#[salsa::tracked(returns(ref))]
pub fn fn_items(db: &dyn salsa::Database, file: SourceFile) -> Vec<FnItem<'_>> {
    use std::fmt::Write;
    let syntax = parse(db, file);
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
        items.push(FnItem::new(
            db,
            file,
            path,
            f.def.clone(),
            c.clone(),
            f.offset,
        ));
    }
    items
}

/// What the index takes from a file besides its functions' entries: its types, impls and
/// traits, the std names it shadows and its control-free macros. Re-run on every edit of the text,
/// but equal while only function bodies change, so salsa backdates it.
#[derive(Debug)]
pub struct IndexInputs {
    /// The file's syntax, of which the items that are not functions count (compared in place
    /// rather than copied out on every keystroke).
    syntax: Arc<ast::SourceFile>,
    shadowed: Vec<ast::Name>,
    control_free_macros: Vec<ast::Name>,
}

impl IndexInputs {
    fn items(&self) -> impl Iterator<Item = &ast::Item> {
        self.syntax
            .items
            .iter()
            .filter(|it| !matches!(it, ast::Item::Fn(_)))
    }
}

impl PartialEq for IndexInputs {
    fn eq(&self, other: &IndexInputs) -> bool {
        self.shadowed == other.shadowed
            && self.control_free_macros == other.control_free_macros
            && self.items().eq(other.items())
    }
}
impl Eq for IndexInputs {}

#[salsa::tracked(returns(ref))]
pub fn index_inputs(db: &dyn salsa::Database, file: SourceFile) -> Arc<IndexInputs> {
    let text = file.text(db);
    Arc::new(IndexInputs {
        syntax: parse(db, file).clone(),
        shadowed: crate::index::shadowed_std_names(text),
        control_free_macros: crate::index::control_free_macros(text),
    })
}

/// What one function contributes to the index: re-run only when that function changes, and
/// equal while its signature does not.
#[salsa::tracked(returns(ref))]
pub fn fn_index_entry<'db>(db: &'db dyn salsa::Database, item: FnItem<'db>) -> Arc<FnEntry> {
    Arc::new(crate::index::fn_entry(item.def(db), item.container(db)))
}

/// The signatures the bodies of a file need. Position-independent, and built from queries that
/// stay equal while function bodies are edited: a body edit neither rebuilds it nor re-runs the
/// other bodies that depend on it.
#[salsa::tracked(returns(ref))]
pub fn file_index(db: &dyn salsa::Database, file: SourceFile) -> Arc<Index> {
    let inputs = index_inputs(db, file);
    let mut builder =
        IndexBuilder::new(inputs.shadowed.clone(), inputs.control_free_macros.clone());
    for item in inputs.items() {
        builder.add_item(item);
    }
    for item in fn_items(db, file) {
        builder.add_fn(fn_index_entry(db, *item));
    }
    Arc::new(builder.finish())
}

#[salsa::tracked(returns(ref))]
pub fn fn_body<'db>(db: &'db dyn salsa::Database, item: FnItem<'db>) -> Arc<Lowered> {
    let file = item.file(db);
    let index = file_index(db, file);
    Arc::new(lower::lower_fn(
        item.def(db),
        item.container(db),
        index,
        file.edition(db),
    ))
}

#[salsa::tracked(returns(ref))]
pub fn fn_borrowck<'db>(db: &'db dyn salsa::Database, item: FnItem<'db>) -> Arc<BorrowckResult> {
    Arc::new(check_fn(fn_body(db, item), file_index(db, item.file(db))))
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
