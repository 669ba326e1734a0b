//! The analysis of whole crates once, without a database (`borrowlens check`): files parsed
//! apart (on the caller's threads), then per crate the def map and the index built once, then
//! each file's functions lowered and checked (again on the caller's threads: `Crates` is `Sync`).
//! What a fresh `AnalysisHost` with the same files and roots answers, without its machinery for
//! edits.

use std::sync::Arc;

use crate::items::{CrateGraph, DefMap, FileScope, ItemTree, ModuleId};
use crate::{ast, db, index, lower, syntax, Diagnostic, Edition, ParseGaveUp};

/// A file parsed and converted, ready to join a crate.
pub struct Parsed {
    text: String,
    syntax: ast::SourceFile,
}

impl Parsed {
    /// Parses a text; `Err` when the parse gave up within its budget.
    pub fn new(text: String) -> Result<Parsed, ParseGaveUp> {
        let tree = syntax::parse_tree(&text, None).ok_or(ParseGaveUp)?;
        let syntax = syntax::convert(&tree, &text);
        Ok(Parsed { text, syntax })
    }

    /// Parses a dependency's text for its items and signatures: functions without bodies.
    pub fn signatures(text: String) -> Result<Parsed, ParseGaveUp> {
        let syntax = syntax::parse_signatures(&text).ok_or(ParseGaveUp)?;
        Ok(Parsed { text, syntax })
    }
}

struct File {
    path: String,
    edition: Edition,
    parsed: Parsed,
    /// The crate (an index into `Crates::crates`) and the file's top module in its def map.
    krate: usize,
    top: ModuleId,
    /// Each function item of the file resolved, in item order (`None` for other items).
    resolved: Vec<Option<db::ResolvedFn>>,
}

struct Crate {
    map: DefMap,
    index: index::Index,
    /// Made from one of the roots given (not a file that no root reaches).
    is_root: bool,
}

/// Files grouped into crates by their roots, with every crate's facts built.
pub struct Crates {
    files: Vec<File>,
    crates: Vec<Crate>,
}

impl Crates {
    /// The crates whose root files are the first `roots` crates of `graph` (paths among
    /// `files`); a file that no root reaches is a crate of its own, as in an `AnalysisHost`.
    /// The other crates of the graph are dependencies, whose files are `dep_files` (parsed with
    /// `Parsed::signatures`): only their items and signatures are taken, into the index of each
    /// crate that depends on them; their bodies are never lowered or checked.
    pub fn new(
        files: Vec<(String, Parsed, Edition)>,
        graph: &CrateGraph,
        roots: usize,
        dep_files: Vec<(String, Parsed)>,
    ) -> Crates {
        let trees: Vec<Arc<ItemTree>> = files
            .iter()
            .map(|(_, p, _)| Arc::new(ItemTree::new(&p.syntax)))
            .collect();
        let by_path: std::collections::HashMap<String, usize> = files
            .iter()
            .enumerate()
            .map(|(i, (p, _, _))| (p.clone(), i))
            .collect();
        // Dependencies' files, with their item trees made once for all the roots that reach them.
        let mut dep_files: std::collections::HashMap<String, (Parsed, Option<Arc<ItemTree>>)> =
            dep_files
                .into_iter()
                .map(|(path, parsed)| (path, (parsed, None)))
                .collect();
        let mut crates: Vec<(DefMap, Vec<usize>)> = Vec::new();
        let mut root_crates = 0;
        let mut owner: Vec<Option<(usize, ModuleId)>> = vec![None; files.len()];
        for k in 0..roots.min(graph.crates.len()) {
            let Some(&r) = by_path.get(&*graph.crates[k].root) else {
                continue;
            };
            let mut load = crate::db::Expanding(|p: &str| {
                if let Some(&i) = by_path.get(p) {
                    return Some(trees[i].clone());
                }
                let (parsed, tree) = dep_files.get_mut(p)?;
                Some(
                    tree.get_or_insert_with(|| Arc::new(ItemTree::new(&parsed.syntax)))
                        .clone(),
                )
            });
            let map = DefMap::build_in(graph, k, trees[r].clone(), &mut load);
            let krate = crates.len();
            let mut members = Vec::new();
            for path in &map.files[..map.own_files] {
                if let (Some(&i), Some(top)) = (by_path.get(&**path), map.file_module(path)) {
                    if owner[i].is_none() {
                        owner[i] = Some((krate, top));
                        members.push(i);
                    }
                }
            }
            crates.push((map, members));
            root_crates += 1;
        }
        for i in 0..files.len() {
            if owner[i].is_none() {
                let map = DefMap::build(
                    &files[i].0,
                    trees[i].clone(),
                    files[i].2,
                    &mut crate::db::Expanding(|_: &str| None),
                );
                owner[i] = Some((crates.len(), ModuleId(0)));
                crates.push((map, vec![i]));
            }
        }
        let mut out_files: Vec<File> = files
            .into_iter()
            .zip(&owner)
            .map(|((path, parsed, edition), o)| {
                let (krate, top) = o.expect("every file has a crate");
                File {
                    path,
                    edition,
                    parsed,
                    krate,
                    top,
                    resolved: Vec::new(),
                }
            })
            .collect();
        let mut out_crates = Vec::new();
        for (k, (map, members)) in crates.into_iter().enumerate() {
            let scanned: Vec<(Vec<ast::Name>, Vec<ast::Name>)> = members
                .iter()
                .map(|&i| {
                    let text = &out_files[i].parsed.text;
                    (
                        index::shadowed_std_names(text),
                        index::control_free_macros(text),
                    )
                })
                .collect();
            let defs: Vec<(ast::Name, ast::MacroRules)> = members
                .iter()
                .flat_map(|&i| crate::syntax::macro_definitions(&out_files[i].parsed.text))
                .collect();
            let macros = db::CrateMacros::new(defs.iter());
            let mut builder =
                index::IndexBuilder::for_files(scanned.iter().map(|(s, m)| (&s[..], &m[..])));
            for &i in &members {
                let f = &mut out_files[i];
                let scope = FileScope {
                    map: &map,
                    top: f.top,
                };
                for item in &f.parsed.syntax.items {
                    if let Some(item) = scope.item(item) {
                        builder.add_item(&item);
                    }
                }
                f.resolved = f
                    .parsed
                    .syntax
                    .items
                    .iter()
                    .map(|item| match item {
                        ast::Item::Fn(fi) => {
                            Some(db::resolve_fn(scope, &fi.def, &fi.container, &macros))
                        }
                        _ => None,
                    })
                    .collect();
            }
            for &i in &members {
                for r in out_files[i].resolved.iter().flatten() {
                    builder.add_fn(&db::resolved_entry(r));
                }
            }
            // The dependencies' items and signatures.
            if map.own_files < map.files.len() {
                builder.named_traits(map.named_traits());
            }
            let mut deps = db::DependencyEntries::default();
            for path in &map.files[map.own_files..] {
                let parsed = match by_path.get(&**path) {
                    Some(&i) => &out_files[i].parsed,
                    None => match dep_files.get(&**path) {
                        Some((parsed, _)) => parsed,
                        None => continue,
                    },
                };
                let Some(top) = map.file_module(path) else {
                    continue;
                };
                db::dependency_file_entries(
                    FileScope { map: &map, top },
                    &parsed.syntax,
                    &mut deps,
                );
            }
            for item in &deps.items {
                builder.add_item(item);
            }
            for f in &deps.fns {
                builder.add_fn(f);
            }
            out_crates.push(Crate {
                map,
                index: builder.finish(),
                is_root: k < root_crates,
            });
        }
        Crates {
            files: out_files,
            crates: out_crates,
        }
    }

    /// The files, in the order given, by path.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|f| f.path.as_str())
    }

    /// What could not be read of the crates' module trees, once each.
    pub fn problems(&self) -> Vec<String> {
        self.crates
            .iter()
            .filter(|c| c.is_root)
            .flat_map(|c| c.map.problems.clone())
            .collect()
    }

    /// The diagnostics of the `i`th file, with the facts of its crate.
    pub fn diagnostics(&self, i: usize) -> Vec<Diagnostic> {
        let f = &self.files[i];
        let index = &self.crates[f.krate].index;
        let mut out = Vec::new();
        for (item, r) in f.parsed.syntax.items.iter().zip(&f.resolved) {
            let (ast::Item::Fn(fi), Some(r)) = (item, r) else {
                continue;
            };
            let lowered = lower::lower_fn(&r.def, &r.container, index, f.edition);
            if lowered.body.tainted {
                continue;
            }
            let borrowck = db::check_fn(&lowered, index);
            let a = crate::FnAnalysis {
                offset: fi.offset,
                def: &fi.def,
                lowered: &lowered,
                borrowck: &borrowck,
            };
            crate::fn_diagnostics(&f.parsed.text, index, &a, &mut out);
        }
        crate::sort_diagnostics(out)
    }
}
