//! borrowlens's own requests, beside the protocol's: their parameters and answers on the wire.
//!
//! - `borrowlens/regions`: the live ranges of the borrows at a position or created in a range,
//!   for editors that draw highlights.
//! - `borrowlens/status`: which files the server knows and which are open, and how long the
//!   latest edits waited for their diagnostics; for tests, the benchmark, and users who wonder
//!   what was indexed or how fast it answers.

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentIdentifier};

pub const REGIONS: &str = "borrowlens/regions";
pub const STATUS: &str = "borrowlens/status";

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionsParams {
    pub text_document: TextDocumentIdentifier,
    /// The borrows live at this position.
    #[serde(default)]
    pub position: Option<Position>,
    /// The borrows created in this range. Without `position` and `range`: the whole document.
    #[serde(default)]
    pub range: Option<Range>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RegionKind {
    Shared,
    Mutable,
}

/// One borrow and where it is live.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub kind: RegionKind,
    /// The borrowed place as rustc names it (`v`, `*self`, `x.0`).
    pub place: String,
    /// The borrow expression.
    pub borrow: Range,
    /// Where the borrow is live, sorted.
    pub live: Vec<Range>,
    /// The borrow takes part in a borrow-check error.
    pub conflicting: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// Every file the analysis holds (open documents and indexed files), by path, sorted.
    pub files: Vec<String>,
    /// The open documents, by URI, sorted.
    pub open: Vec<String>,
    /// The workspace folders being indexed and watched.
    pub roots: Vec<String>,
    /// How long the latest edits (at most 1000, oldest first) waited for their diagnostics, in
    /// microseconds: from their `didChange` read from stdin to the `publishDiagnostics` written
    /// to stdout.
    #[serde(default)]
    pub keystroke_micros: Vec<u64>,
}
