//! borrowlens-analysis: borrow-check insights computed from Rust source text alone.
//!
//! Architecture invariants: this crate is pure. It knows nothing about LSP, JSON, async or the
//! file system; text arrives as salsa inputs and answers are plain data in byte offsets of the file.
//! Only the `syntax` module names tree-sitter node kinds and fields.

pub mod ast;
pub mod borrowck;
pub mod db;
pub mod fixes;
pub mod ide;
pub mod index;
pub mod lower;
pub mod mir;
pub mod std_api;
pub mod syntax;
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
    pub start: u32,
    pub end: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// The Rust edition a file is compiled with; it changes closure captures (2021: disjoint fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Edition {
    E2015,
    E2018,
    #[default]
    E2021,
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
    pub range: TextRange,
    pub message: String,
}

/// One borrow-check error, at rustc's primary location.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// rustc's error code (`E0502`), or `lifetime` for the uncoded "lifetime may not live long enough".
    pub code: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub labels: Vec<Label>,
    /// Quick fixes, best first.
    pub fixes: Vec<fixes::Fix>,
}

/// Identifies a file in an `AnalysisHost`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId(pub u32);

/// The owner of the analysis state: files go in, diagnostics come out.
pub struct AnalysisHost {
    db: db::Database,
    files: Vec<db::SourceFile>,
    by_path: std::collections::HashMap<String, FileId>,
    /// Whether each file keeps its tree-sitter tree (and the conversion's cache) for
    /// incremental reparses of later texts.
    incremental: bool,
}

impl Default for AnalysisHost {
    fn default() -> AnalysisHost {
        AnalysisHost {
            db: db::Database::default(),
            files: Vec::new(),
            by_path: std::collections::HashMap::new(),
            incremental: true,
        }
    }
}

impl AnalysisHost {
    pub fn new() -> AnalysisHost {
        AnalysisHost::default()
    }

    /// A host for files that are analysed once (`borrowlens check`): it keeps no tree and no
    /// conversion cache for a next text, which a batch would build only to drop. A text set
    /// again is parsed afresh. The answers are the same.
    pub fn batch() -> AnalysisHost {
        AnalysisHost {
            incremental: false,
            ..AnalysisHost::default()
        }
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
        use salsa::Setter;
        if let Some(&id) = self.by_path.get(path) {
            let f = self.files[id.0 as usize];
            if f.text(&self.db) != &text {
                let tree = match f.tree(&self.db) {
                    Some(old) => Some(old.reparse(f.text(&self.db), &text)),
                    None if self.incremental => Some(syntax::ParsedTree::new(&text)),
                    None => None,
                };
                f.set_tree(&mut self.db).to(tree);
                f.set_text(&mut self.db).to(text);
            }
            if f.edition(&self.db) != edition {
                f.set_edition(&mut self.db).to(edition);
            }
            return id;
        }
        let tree = self.incremental.then(|| syntax::ParsedTree::new(&text));
        let f = db::SourceFile::new(&self.db, path.to_string(), text, edition, tree);
        let id = FileId(self.files.len() as u32);
        self.files.push(f);
        self.by_path.insert(path.to_string(), id);
        id
    }

    /// Replaces a file's incremental parse by a fresh one when the two may differ (the file has
    /// syntax errors); says whether it did. `set_file` reparses incrementally, which keeps
    /// keystrokes fast, but tree-sitter recovers from errors differently depending on the trees
    /// it reuses: a caller that wants the analysis of a fresh open of the same text (the language
    /// server, once the edits pause) calls this.
    pub fn settle(&mut self, file: FileId) -> bool {
        use salsa::Setter;
        let Some(&f) = self.files.get(file.0 as usize) else {
            return false;
        };
        let Some(tree) = f.tree(&self.db).clone() else {
            return false;
        };
        if !tree.may_differ_from_fresh() {
            return false;
        }
        let fresh = tree.fresh(f.text(&self.db));
        f.set_tree(&mut self.db).to(Some(fresh));
        true
    }

    /// The borrow-check diagnostics of a file, sorted by position.
    pub fn diagnostics(&self, file: FileId) -> Vec<Diagnostic> {
        let Some(&f) = self.files.get(file.0 as usize) else {
            return Vec::new();
        };
        diagnostics(&self.db, f)
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

    /// The borrow-check diagnostics of a file, sorted by position.
    pub fn diagnostics(&self, file: FileId) -> Cancellable<Vec<Diagnostic>> {
        Ok(self.with(file, diagnostics)?.unwrap_or_default())
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

fn diagnostics(db: &db::Database, file: db::SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let len = file.text(db).len() as u32;
    let range = |offset: u32, s: ast::Span| file_range(offset, s, len);
    for item in db::fn_items(db, file) {
        let lowered = db::fn_body(db, file, *item);
        if lowered.body.tainted {
            continue;
        }
        let offset = item.offset(db);
        let result = db::fn_borrowck(db, file, *item);
        let def = item.def(db);
        let index = db::file_index(db, file);
        let cx = fixes::FixCtx {
            text: file.text(db),
            offset,
            def,
            body: &lowered.body,
            borrowck: result,
            index,
        };
        for e in lowered.errors.iter().chain(result.errors.iter()) {
            out.push(Diagnostic {
                code: e.code,
                severity: Severity::Error,
                range: range(offset, e.span),
                message: e.message.clone(),
                labels: e
                    .labels
                    .iter()
                    .map(|(s, m)| Label {
                        range: range(offset, *s),
                        message: m.clone(),
                    })
                    .collect(),
                fixes: fixes::fixes(&cx, e),
            });
        }
    }
    out.sort_by_key(|d| (d.range.start, d.code));
    out.dedup_by(|a, b| a.code == b.code && a.range == b.range);
    out
}
