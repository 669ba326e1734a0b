//! borrowlens-analysis: borrow-check insights computed from Rust source text alone.
//!
//! Architecture invariants: this crate is pure. It knows nothing about LSP, JSON, async or the
//! file system; text arrives as salsa inputs and answers are plain data in byte offsets of the file.
//! Only the `syntax` module names tree-sitter node kinds and fields.

pub mod ast;
pub mod borrowck;
pub mod db;
pub mod index;
pub mod lower;
pub mod mir;
pub mod ty;
pub mod std_api;
pub mod syntax;

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
}

/// Identifies a file in an `AnalysisHost`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileId(pub u32);

/// The owner of the analysis state: files go in, diagnostics come out.
#[derive(Default)]
pub struct AnalysisHost {
    db: db::Database,
    files: Vec<db::SourceFile>,
    by_path: std::collections::HashMap<String, FileId>,
}

impl AnalysisHost {
    pub fn new() -> AnalysisHost {
        AnalysisHost::default()
    }

    /// A host whose database reports every salsa event to `f`.
    pub fn with_events(f: impl Fn(salsa::Event) + Send + Sync + 'static) -> AnalysisHost {
        AnalysisHost { db: db::Database::with_events(f), ..AnalysisHost::default() }
    }

    /// Adds a file, or replaces the text of the file with this path.
    pub fn set_file(&mut self, path: &str, text: String, edition: Edition) -> FileId {
        use salsa::Setter;
        if let Some(&id) = self.by_path.get(path) {
            let f = self.files[id.0 as usize];
            if f.text(&self.db) != &text {
                f.set_text(&mut self.db).to(text);
            }
            if f.edition(&self.db) != edition {
                f.set_edition(&mut self.db).to(edition);
            }
            return id;
        }
        let f = db::SourceFile::new(&self.db, path.to_string(), text, edition);
        let id = FileId(self.files.len() as u32);
        self.files.push(f);
        self.by_path.insert(path.to_string(), id);
        id
    }

    /// The borrow-check diagnostics of a file, sorted by position.
    pub fn diagnostics(&self, file: FileId) -> Vec<Diagnostic> {
        let Some(&f) = self.files.get(file.0 as usize) else { return Vec::new() };
        diagnostics(&self.db, f)
    }
}

fn diagnostics(db: &db::Database, file: db::SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let len = file.text(db).len() as u32;
    let range = |offset: u32, s: ast::Span| TextRange {
        start: (offset + s.start).min(len),
        end: (offset + s.end).min(len),
    };
    for item in db::fn_items(db, file) {
        let lowered = db::fn_body(db, file, *item);
        if lowered.body.tainted {
            continue;
        }
        let offset = item.offset(db);
        let result = db::fn_borrowck(db, file, *item);
        for e in lowered.errors.iter().chain(result.errors.iter()) {
            out.push(Diagnostic {
                code: e.code,
                severity: Severity::Error,
                range: range(offset, e.span),
                message: e.message.clone(),
                labels: e
                    .labels
                    .iter()
                    .map(|(s, m)| Label { range: range(offset, *s), message: m.clone() })
                    .collect(),
            });
        }
    }
    out.sort_by_key(|d| (d.range.start, d.code));
    out.dedup_by(|a, b| a.code == b.code && a.range == b.range);
    out
}
