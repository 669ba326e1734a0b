//! IDE insights computed from the borrow-check facts: inlay hints, hover, borrow regions and
//! the lowered body, one file per feature; `facts.rs` gathers what they share (the file's
//! loans with their live ranges, reborrow chains, lines).
//!
//! Everything here is in byte offsets of the file; the server converts to LSP positions.

mod facts;
mod hover;
mod inlay_hints;
mod regions;
mod view_mir;

pub(crate) use hover::hover;
pub(crate) use inlay_hints::inlay_hints;
pub(crate) use regions::regions;
pub(crate) use view_mir::view_mir;

use crate::TextRange;

/// Which borrows get inlay hints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct InlayConfig {
    /// Only the borrows involved in a borrow-check error.
    pub only_conflicting: bool,
}

/// Where an inlay hint goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InlayKind {
    /// At the borrow expression: what it borrows (`&mut v`).
    Borrow,
    /// Where the borrow's region ends: `‹&mut v ends›`.
    RegionEnd,
}

/// A hint drawn in the text: what a borrow borrows, or where its region ends.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InlayHint {
    /// The hint is drawn at this offset.
    pub offset: u32,
    /// The hint's text.
    pub label: String,
    /// Why the borrow lives that long (markdown).
    pub tooltip: String,
    /// Where it goes.
    pub kind: InlayKind,
}

/// What a hover shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HoverResult {
    /// The range the hover is about.
    pub range: TextRange,
    /// Markdown.
    pub markdown: String,
}

/// The kind of a borrow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegionKind {
    /// `&`
    Shared,
    /// `&mut`
    Mutable,
}

/// One borrow and where it is live.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    /// Shared or mutable.
    pub kind: RegionKind,
    /// The borrowed place as the user wrote it (`v`, `*self`, `x.0`, `self.items[i]`, `foo()`).
    pub place: String,
    /// The borrow expression.
    pub borrow: TextRange,
    /// The source ranges where the borrow is live, merged and sorted.
    pub live: Vec<TextRange>,
    /// The borrow takes part in a borrow-check error.
    pub conflicting: bool,
}

/// Which borrows `borrowlens/regions` returns: those live at `offset` or created in `range`
/// (all of the file when both are `None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct RegionQuery {
    /// The borrows live at this offset.
    pub offset: Option<u32>,
    /// The borrows created in this range.
    pub range: Option<TextRange>,
}
