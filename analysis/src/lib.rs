//! borrowlens-analysis: borrow-check insights computed from Rust source text alone.
//!
//! Architecture invariants: this crate is pure. It knows nothing about LSP, JSON, async or the
//! file system; text arrives as salsa inputs and answers are plain data in byte offsets of the file.
//! Only the `syntax` module names tree-sitter node kinds and fields.

pub mod ast;
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
    files: Vec<(String, String, Edition)>,
}

impl AnalysisHost {
    pub fn new() -> AnalysisHost {
        AnalysisHost::default()
    }

    /// Adds a file, or replaces the text of the file with this path.
    pub fn set_file(&mut self, path: &str, text: String, edition: Edition) -> FileId {
        if let Some(i) = self.files.iter().position(|f| f.0 == path) {
            self.files[i] = (path.to_string(), text, edition);
            return FileId(i as u32);
        }
        self.files.push((path.to_string(), text, edition));
        FileId(self.files.len() as u32 - 1)
    }

    /// The borrow-check diagnostics of a file, sorted by position.
    pub fn diagnostics(&self, file: FileId) -> Vec<Diagnostic> {
        let _ = file;
        Vec::new()
    }
}
