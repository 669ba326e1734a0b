//! borrowlens-analysis: borrow-check insights computed from Rust source text alone.
//!
//! Architecture invariants: this crate is pure. It knows nothing about LSP, JSON, async or the
//! file system; text arrives as salsa inputs and answers are plain data in byte offsets of the file.
//! Only the `syntax` module names tree-sitter node kinds and fields.
//!
//! **The API is this file**: what it defines and re-exports. `AnalysisHost` takes files in,
//! `Analysis` (a snapshot) answers queries on any thread, `diagnostics_once` analyses a text once;
//! they answer `Diagnostic`s (with their `Fix`es), `InlayHint`s, `HoverResult`s and `Region`s.
//! The modules below are the analysis's rooms (ARCHITECTURE.md). They are public only for the
//! repository's examples, benchmark and the analysis's own tests, hidden from the documentation,
//! and no API: the server and the test helpers name nothing but this file's items (a tidy rule).

#![warn(missing_docs)]

pub use batch::{Crates, Parsed};
pub use fixes::{Fix, TextEdit};
pub use ide::{HoverResult, InlayConfig, InlayHint, InlayKind, Region, RegionKind, RegionQuery};
pub use items::{CrateData, CrateGraph};

#[doc(hidden)]
pub mod ast;
mod base;
mod batch;
#[doc(hidden)]
pub mod borrowck;
#[doc(hidden)]
pub mod db;
mod diagnostics;
#[doc(hidden)]
pub mod errors;
#[doc(hidden)]
pub mod fixes;
#[doc(hidden)]
pub mod ide;
#[doc(hidden)]
pub mod index;
#[doc(hidden)]
pub mod items;
#[doc(hidden)]
pub mod lower;
#[doc(hidden)]
pub mod mir;
#[doc(hidden)]
pub mod std_api;
#[doc(hidden)]
pub mod syntax;
#[doc(hidden)]
pub mod ty;

/// The stack a thread that runs the analysis should have. Conversion from tree-sitter caps the
/// nesting it follows (`syntax::MAX_DEPTH`, and its own stack budget), but lowering then recurses
/// over what it kept, several frames per level: the deepest inputs of `tests/pathological.rs` need
/// up to 8 MiB in a debug build and far less optimised. Threads get 2 MiB by default; the
/// `borrowlens` binary runs every analysis thread with this much (it is address space, used only
/// as deep as the recursion goes).
pub const ANALYSIS_STACK_SIZE: usize = 32 << 20;

/// A byte range in a file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    /// The first byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// How bad a diagnostic is: rustc's borrow-check findings are errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The program does not compile.
    Error,
    /// The program compiles, but rustc warns.
    Warning,
}

/// The Rust edition a file is compiled with; it changes closure captures (2021: disjoint fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Edition {
    /// Rust 2015, rustc's default for a lone file.
    E2015,
    /// Rust 2018.
    E2018,
    /// Rust 2021, the default here.
    #[default]
    E2021,
    /// Rust 2024.
    E2024,
}

impl Edition {
    /// Parses `2015`, `2018`, `2021`, `2024`.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> Option<Edition> {
        match s.trim() {
            "2015" => Some(Edition::E2015),
            "2018" => Some(Edition::E2018),
            "2021" => Some(Edition::E2021),
            "2024" => Some(Edition::E2024),
            _ => None,
        }
    }
}

/// A secondary label, as rustc prints them ("immutable borrow occurs here").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    /// What the label points at.
    pub range: TextRange,
    /// rustc's text for it.
    pub message: String,
}

/// One borrow-check error, at rustc's primary location.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// rustc's error code (`E0502`), or `lifetime` for the uncoded "lifetime may not live long enough".
    pub code: &'static str,
    /// Error, or warning.
    pub severity: Severity,
    /// rustc's primary span.
    pub range: TextRange,
    /// rustc's message.
    pub message: String,
    /// rustc's secondary labels, in its order.
    pub labels: Vec<Label>,
    /// Quick fixes, best first.
    pub fixes: Vec<Fix>,
}

/// Identifies a file in an `AnalysisHost`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId(pub u32);

/// The owner of the analysis state: files go in, diagnostics come out.
#[derive(Default)]
pub struct AnalysisHost {
    db: db::Database,
    files: Vec<db::SourceFile>,
    /// Per file: set with low durability (`set_file`: edited in the editor), or not.
    edited: Vec<bool>,
    /// The inputs of functions that are gone, for new ones to take (`db::refresh`).
    free_fns: Vec<db::FnItem>,
    /// The syntax each refreshed file's inputs were last derived from (`db::refresh`), and
    /// whether it was made of the edited function alone since the whole file was last converted.
    syntax: std::collections::HashMap<db::SourceFile, (std::sync::Arc<ast::SourceFile>, bool)>,
    by_path: std::collections::HashMap<String, FileId>,
}

impl AnalysisHost {
    /// A host with no file.
    pub fn new() -> AnalysisHost {
        AnalysisHost::default()
    }

    /// A host whose database reports every salsa event to `f`.
    pub fn with_events(f: impl Fn(salsa::Event) + Send + Sync + 'static) -> AnalysisHost {
        AnalysisHost {
            db: db::Database::with_events(f),
            ..AnalysisHost::default()
        }
    }

    /// Adds a file, or replaces the text of the file with this path. A replaced text is reparsed
    /// incrementally around where it differs from the previous one.
    pub fn set_file(&mut self, path: &str, text: String, edition: Edition) -> FileId {
        self.set_file_with(path, text, edition, salsa::Durability::LOW)
    }

    /// `set_file` for a file that changes rarely: one read from disk, not open in an editor.
    /// Edits elsewhere then verify what depends on it in constant time (salsa's durability:
    /// the crate's index, which reads every file of the crate, is not walked file by file on
    /// each keystroke). A file opened in the editor is set again with `set_file`.
    pub fn set_file_from_disk(&mut self, path: &str, text: String, edition: Edition) -> FileId {
        self.set_file_with(path, text, edition, salsa::Durability::MEDIUM)
    }

    fn set_file_with(
        &mut self,
        path: &str,
        text: String,
        edition: Edition,
        durability: salsa::Durability,
    ) -> FileId {
        use salsa::Setter;
        // Read by the crate's facts and every function's queries: not set on every keystroke.
        let firm = durability.max(salsa::Durability::MEDIUM);
        if let Some(&id) = self.by_path.get(path) {
            let f = self.files[id.0 as usize];
            if f.text(&self.db) != &text {
                let old_text = f.text(&self.db);
                let (tree, edit) = match f.tree(&self.db) {
                    Some(old) => old.reparse_edit(old_text, &text),
                    None => (syntax::ParsedTree::new(&text), None),
                };
                let edit = edit.map(|edit| {
                    let scans_same = db::text_scans_unchanged(old_text, &text, &edit);
                    (edit, scans_same)
                });
                f.set_tree(&mut self.db)
                    .with_durability(durability)
                    .to(Some(tree));
                f.set_text(&mut self.db)
                    .with_durability(durability)
                    .to(text);
                self.refresh(f, durability, edit);
            } else if durability == salsa::Durability::LOW && !self.edited[id.0 as usize] {
                // Opened in the editor: its next edits are the low-durability ones.
                let (tree, text) = (f.tree(&self.db).clone(), f.text(&self.db).clone());
                f.set_tree(&mut self.db)
                    .with_durability(durability)
                    .to(tree);
                f.set_text(&mut self.db)
                    .with_durability(durability)
                    .to(text);
                self.refresh(f, durability, None);
            }
            if f.edition(&self.db) != edition {
                f.set_edition(&mut self.db)
                    .with_durability(firm)
                    .to(edition);
            }
            self.edited[id.0 as usize] = durability == salsa::Durability::LOW;
            return id;
        }
        let tree = syntax::ParsedTree::new(&text);
        let f = db::SourceFile::builder(path.to_string(), text, edition, Some(tree), false)
            .durability(firm)
            .text_durability(durability)
            .tree_durability(durability)
            .fns_durability(durability)
            .path_durability(salsa::Durability::HIGH)
            .dependency_durability(salsa::Durability::HIGH)
            .new(&self.db);
        self.refresh(f, durability, None);
        self.add_file(path, f, durability == salsa::Durability::LOW)
    }

    /// Derives the inputs of a file whose text was just set (`db::refresh`): of a file set with
    /// low durability (open in the editor), and of one that was. A file read from disk and never
    /// opened is left to its queries, which derive what its crate needs of it when it is needed
    /// and analyse its functions whole (`db::file_fns`). `edit`: what the reparse changed, which
    /// lets an edit inside one function's body convert only that function, and whether the text
    /// scans of the item syntax read the same after it (`db::text_scans_unchanged`).
    fn refresh(
        &mut self,
        f: db::SourceFile,
        durability: salsa::Durability,
        edit: Option<(syntax::TextEdit, bool)>,
    ) {
        if durability == salsa::Durability::LOW || db::refreshed(&self.db, f) {
            let edited = edit
                .zip(self.syntax.remove(&f))
                .map(|((edit, scans_same), (prev, _))| db::Edited {
                    edit,
                    prev,
                    scans_same,
                });
            let (syntax, alone) =
                db::refresh(&mut self.db, f, durability, edited, &mut self.free_fns);
            self.syntax.insert(f, (syntax, alone));
        }
    }

    /// A new file: its id, and its place in the workspace's files.
    fn add_file(&mut self, path: &str, f: db::SourceFile, edited: bool) -> FileId {
        use salsa::Setter;
        let id = FileId(self.files.len() as u32);
        self.files.push(f);
        self.edited.push(edited);
        self.by_path.insert(path.to_string(), id);
        let mut files = self.workspace().files(&self.db).as_ref().clone();
        files.insert(path.to_string(), f);
        self.workspace()
            .set_files(&mut self.db)
            .with_durability(salsa::Durability::MEDIUM)
            .to(std::sync::Arc::new(files));
        id
    }

    /// The workspace input, made on first use.
    fn workspace(&mut self) -> db::Workspace {
        match db::Workspace::try_get(&self.db) {
            Some(ws) => ws,
            // Read by every crate's facts: medium durability, or a keystroke would walk them.
            None => {
                db::Workspace::builder(Default::default(), Default::default(), Default::default())
                    .durability(salsa::Durability::MEDIUM)
                    .new(&self.db)
            }
        }
    }

    /// The root files of the crates (cargo's targets: `src/lib.rs`, `src/main.rs`, ...), by the
    /// paths their files were set with; every file their module trees reach is analysed with the
    /// facts of its whole crate. A file that no root reaches is a crate of its own. Paths of
    /// files not set are ignored. Replaces the previous roots; says whether they changed.
    pub fn set_crate_roots(&mut self, roots: &[&str]) -> bool {
        let mut graph = CrateGraph::default();
        for root in roots {
            let edition = self.by_path.get(*root).map_or(Edition::E2021, |id| {
                self.files[id.0 as usize].edition(&self.db)
            });
            graph.crates.push(CrateData {
                root: (*root).into(),
                edition,
                name: "crate".into(),
                deps: Vec::new(),
            });
        }
        self.set_crate_graph(graph, roots)
    }

    /// `set_crate_roots` with the crates' dependencies: `graph` has every root of `roots` and
    /// the crates they depend on, whose files are set with `set_dependency_file`. Says whether
    /// something changed.
    pub fn set_crate_graph(&mut self, graph: CrateGraph, roots: &[&str]) -> bool {
        use salsa::Setter;
        let roots: Vec<db::SourceFile> = roots
            .iter()
            .filter_map(|p| self.by_path.get(*p))
            .map(|id| self.files[id.0 as usize])
            .collect();
        let ws = self.workspace();
        if **ws.roots(&self.db) == roots && **ws.graph(&self.db) == graph {
            return false;
        }
        if **ws.graph(&self.db) != graph {
            ws.set_graph(&mut self.db)
                .with_durability(salsa::Durability::MEDIUM)
                .to(std::sync::Arc::new(graph));
        }
        if **ws.roots(&self.db) != roots {
            ws.set_roots(&mut self.db)
                .with_durability(salsa::Durability::MEDIUM)
                .to(std::sync::Arc::new(roots));
        }
        true
    }

    /// Sets a dependency's file (from the registry's sources, say): read for its items and
    /// signatures only, never checked, with salsa's high durability so that edits in the
    /// workspace never revisit what is built from it.
    pub fn set_dependency_file(&mut self, path: &str, text: String, edition: Edition) -> FileId {
        use salsa::Setter;
        if let Some(&id) = self.by_path.get(path) {
            let f = self.files[id.0 as usize];
            if f.text(&self.db) != &text {
                f.set_text(&mut self.db)
                    .with_durability(salsa::Durability::HIGH)
                    .to(text);
            }
            if f.edition(&self.db) != edition {
                f.set_edition(&mut self.db)
                    .with_durability(salsa::Durability::HIGH)
                    .to(edition);
            }
            return id;
        }
        let f = db::SourceFile::builder(path.to_string(), text, edition, None, true)
            .durability(salsa::Durability::HIGH)
            .new(&self.db);
        self.add_file(path, f, false)
    }

    /// What could not be read of the crates' module trees (a `mod x;` whose file the host does
    /// not have, say), once each, for the user.
    pub fn crate_problems(&self) -> Vec<String> {
        let Some(ws) = db::Workspace::try_get(&self.db) else {
            return Vec::new();
        };
        ws.roots(&self.db)
            .iter()
            .flat_map(|r| db::def_map(&self.db, *r).problems.clone())
            .collect()
    }

    /// Parses a file afresh when its parse is incremental, and replaces the incremental parse when
    /// the two differ; says whether it did. `set_file` reparses incrementally, which keeps
    /// keystrokes fast, but tree-sitter's result depends on the subtrees it reuses (its recovery
    /// from errors, and even how a reused expression binds to what is typed after it): a caller
    /// that wants the analysis of a fresh open of the same text (the language server, once the
    /// edits pause) calls this. A parse found equal to the fresh one is kept, and nothing is
    /// analysed again.
    pub fn settle(&mut self, file: FileId) -> bool {
        self.settle_until(file, &mut || false).unwrap_or(false)
    }

    /// `settle`, asking `interrupted` during the fresh parse whether to stop: `None` when it said
    /// so (nothing changed; settle again later). For the language server, which settles on the
    /// thread that applies the edits and must not keep a newer edit waiting behind a parse.
    pub fn settle_until(
        &mut self,
        file: FileId,
        interrupted: &mut dyn FnMut() -> bool,
    ) -> Option<bool> {
        use salsa::Setter;
        let Some(&f) = self.files.get(file.0 as usize) else {
            return Some(false);
        };
        let Some(tree) = f.tree(&self.db).clone() else {
            return Some(false);
        };
        if !tree.may_differ_from_fresh() {
            return Some(false);
        }
        let fresh = tree.fresh_until(f.text(&self.db), interrupted)?;
        let durability = if self.edited[file.0 as usize] {
            salsa::Durability::LOW
        } else {
            salsa::Durability::MEDIUM
        };
        // The same syntax: the analysis stands, nothing is invalidated. Where edits converted
        // their function alone, the whole file is converted once (what it derives is set only
        // where it differs, which the tests in `db.rs` find nowhere).
        if fresh.same_syntax(&tree) {
            tree.mark_settled();
            if self.syntax.get(&f).is_some_and(|it| it.1) {
                self.refresh(f, durability, None);
            }
            return Some(false);
        }
        f.set_tree(&mut self.db)
            .with_durability(durability)
            .to(Some(fresh));
        self.refresh(f, durability, None);
        Some(true)
    }

    /// The borrow-check diagnostics of a file, sorted by position.
    pub fn diagnostics(&self, file: FileId) -> Vec<Diagnostic> {
        self.diagnostics_until(file, &mut || false)
            .unwrap_or_default()
    }

    /// `diagnostics`, asking `interrupted` between two functions whether to stop: `None` when it
    /// said so (the first function is always analysed). What was computed before stays memoized, so asking again after other work (that
    /// changed no file) goes on where this stopped. For the language server, which computes on
    /// the thread that applies the edits (the analysis's data is warm in that core's caches) and
    /// must not keep a newer edit waiting behind a long computation.
    pub fn diagnostics_until(
        &self,
        file: FileId,
        interrupted: &mut dyn FnMut() -> bool,
    ) -> Option<Vec<Diagnostic>> {
        let Some(&f) = self.files.get(file.0 as usize) else {
            return Some(Vec::new());
        };
        diagnostics(&self.db, f, interrupted)
    }

    /// The file with this path, if it was set.
    pub fn file_id(&self, path: &str) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// Empties a file that was removed (its id stays valid and answers nothing).
    pub fn remove_file(&mut self, path: &str) {
        if let Some(&id) = self.by_path.get(path) {
            let edition = self.files[id.0 as usize].edition(&self.db);
            self.set_file(path, String::new(), edition);
        }
    }

    /// A snapshot for queries on other threads. Setting a file cancels the queries running on
    /// snapshots (they answer `Err(Cancelled)`) and waits until every snapshot is dropped, so the
    /// writer must not hold one.
    pub fn snapshot(&self) -> Analysis {
        Analysis {
            db: self.db.clone(),
            files: self.files.clone(),
        }
    }
}

/// A query was cancelled because the files changed; ask again.
pub use salsa::Cancelled;
/// The answer of a query, or `Cancelled` when a newer edit interrupted it.
pub type Cancellable<T> = Result<T, Cancelled>;

/// A read-only snapshot of the analysis: every query answers for the files as they were when
/// the snapshot was taken, or `Err(Cancelled)` when a newer edit interrupted it.
#[derive(Clone)]
pub struct Analysis {
    db: db::Database,
    files: Vec<db::SourceFile>,
}

impl Analysis {
    fn with<T>(
        &self,
        file: FileId,
        f: impl FnOnce(&db::Database, db::SourceFile) -> T,
    ) -> Cancellable<Option<T>> {
        let Some(&sf) = self.files.get(file.0 as usize) else {
            return Ok(None);
        };
        // A cancellation unwinds out of the query; nothing of ours is left half-updated by it.
        let db = std::panic::AssertUnwindSafe(&self.db);
        let f = std::panic::AssertUnwindSafe(f);
        Cancelled::catch(move || {
            let (db, f) = (db, f);
            (f.0)(db.0, sf)
        })
        .map(Some)
    }

    /// The text of a file as this snapshot sees it.
    pub fn file_text(&self, file: FileId) -> Cancellable<Option<String>> {
        self.with(file, |db, f| f.text(db).clone())
    }

    /// Whether the parse of a file gave up within its budget (`ParseGaveUp`): the file reads as
    /// empty and answers nothing.
    pub fn parse_gave_up(&self, file: FileId) -> Cancellable<bool> {
        Ok(self
            .with(file, |db, f| {
                f.tree(db).as_ref().is_some_and(|t| t.gave_up())
            })?
            .unwrap_or(false))
    }

    /// The borrow-check diagnostics of a file, sorted by position.
    pub fn diagnostics(&self, file: FileId) -> Cancellable<Vec<Diagnostic>> {
        Ok(self
            .with(file, |db, f| diagnostics(db, f, &mut || false))?
            .flatten()
            .unwrap_or_default())
    }

    /// Inlay hints for the borrows in `range`: where each borrow's region ends, and what it
    /// borrows.
    pub fn inlay_hints(
        &self,
        file: FileId,
        range: TextRange,
        config: ide::InlayConfig,
    ) -> Cancellable<Vec<ide::InlayHint>> {
        Ok(self
            .with(file, move |db, f| ide::inlay_hints(db, f, range, config))?
            .unwrap_or_default())
    }

    /// Hover text at `offset`: the loan of a borrow or reference, its reborrow chain and where it
    /// is live; on a place, what may be done with it there.
    pub fn hover(&self, file: FileId, offset: u32) -> Cancellable<Option<ide::HoverResult>> {
        Ok(self
            .with(file, move |db, f| ide::hover(db, f, offset))?
            .flatten())
    }

    /// The lowered body of the innermost function around `offset`, and of its closures, as text
    /// (rust-analyzer's "View MIR"; `mir::pretty`): what the borrow checker sees. Spans are
    /// relative to the function's start.
    pub fn view_mir(&self, file: FileId, offset: u32) -> Cancellable<Option<String>> {
        Ok(self
            .with(file, move |db, f| ide::view_mir(db, f, offset))?
            .flatten())
    }

    /// The live ranges of the borrows at `offset` or in `range` (`borrowlens/regions`).
    pub fn regions(&self, file: FileId, query: ide::RegionQuery) -> Cancellable<Vec<ide::Region>> {
        Ok(self
            .with(file, move |db, f| ide::regions(db, f, query))?
            .unwrap_or_default())
    }
}

/// A span of the function at `offset`, in the file (clamped to its length `len`).
pub(crate) fn file_range(offset: u32, s: ast::Span, len: u32) -> TextRange {
    TextRange {
        start: (offset + s.start).min(len),
        end: (offset + s.end).min(len),
    }
}

fn diagnostics(
    db: &db::Database,
    file: db::SourceFile,
    interrupted: &mut dyn FnMut() -> bool,
) -> Option<Vec<Diagnostic>> {
    let text = file.text(db);
    let index = db::file_index(db, file);
    let mut out = Vec::new();
    for (i, f) in db::file_fns(db, file).into_iter().enumerate() {
        // Asked from the second function on: every computation analyses at least one more
        // function, so a steady stream of messages cannot starve it.
        if i > 0 && interrupted() {
            return None;
        }
        let lowered = f.lowered(db);
        if lowered.body.tainted {
            continue;
        }
        let f = FnAnalysis {
            offset: f.offset,
            def: f.def,
            lowered,
            borrowck: f.borrowck(db),
        };
        fn_diagnostics(text, index, &f, &mut out);
    }
    Some(sort_diagnostics(out))
}

/// The parse of a text exhausted its budget (tree-sitter's operations or reads, see
/// `syntax::parse_tree`): the text reads as empty and nothing in it is analysed. Real code parses
/// well within the budget; pathological or corrupted texts may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseGaveUp;

impl std::fmt::Display for ParseGaveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not analysed: the parser gave up on this text within its time budget")
    }
}

/// The diagnostics of a text analysed once, as a fresh `AnalysisHost` answers them, without its
/// machinery for edits: no database, no kept tree (`borrowlens check` analyses each file once,
/// and setting up and tearing down a database per file was a tenth of its time). `Err` when the
/// text could not be parsed within the budget, where a host answers no diagnostics.
pub fn diagnostics_once(text: &str, edition: Edition) -> Result<Vec<Diagnostic>, ParseGaveUp> {
    let parsed = Parsed::new(text.to_string())?;
    Ok(Crates::new(
        vec![(String::new(), parsed, edition)],
        &CrateGraph::default(),
        0,
        Vec::new(),
    )
    .diagnostics(0))
}

/// What the diagnostics of one function are made of.
struct FnAnalysis<'a> {
    offset: u32,
    def: &'a ast::FnDef,
    lowered: &'a lower::Lowered,
    borrowck: &'a borrowck::BorrowckResult,
}

fn fn_diagnostics(text: &str, index: &index::Index, f: &FnAnalysis, out: &mut Vec<Diagnostic>) {
    let len = text.len() as u32;
    let range = |offset: u32, s: ast::Span| file_range(offset, s, len);
    let offset = f.offset;
    let cx = fixes::FixCtx {
        text,
        offset,
        def: f.def,
        body: &f.lowered.body,
        borrowck: f.borrowck,
        index,
    };
    let expansions = &f.lowered.body.expansions;
    for e in f.lowered.errors.iter().chain(f.borrowck.errors.iter()) {
        let d = diagnostics::render(e);
        // What a macro's own text does is reported by rustc in the macro's definition.
        if expansions.iter().any(|c| c.start == d.span.start) {
            continue;
        }
        out.push(Diagnostic {
            code: d.code,
            severity: Severity::Error,
            range: range(offset, d.span),
            message: d.message,
            labels: d
                .labels
                .into_iter()
                .map(|(s, message)| Label {
                    range: range(offset, s),
                    message,
                })
                .collect(),
            fixes: fixes::fixes(&cx, e),
        });
    }
}

fn sort_diagnostics(mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    out.sort_by_key(|d| (d.range.start, d.code));
    // Two lifetimes' errors may share a span (`(x, y)` returned as `(&'b, &'a)`): their labels
    // tell them apart.
    out.dedup_by(|a, b| a.code == b.code && a.range == b.range && a.labels == b.labels);
    out
}
