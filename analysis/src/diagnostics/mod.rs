//! rustc's words: a typed error (`errors::BorrowError`) as rustc writes it, its code, primary
//! span, message and labels. The only code in the analysis that writes rustc's messages; the
//! lowering and the checker produce typed errors, quick fixes read them.
//!
//! One file per family, in the manner of `rustc_borrowck/src/diagnostics/`:
//! - `conflict_errors.rs`: an access while the place is borrowed (E0499, E0502, E0503, E0505,
//!   E0506), with the "later used here" of rustc's `explain_borrow`;
//! - `move_errors.rs`: moves and initialization (E0382, E0381; E0507, E0508, E0509);
//! - `mutability_errors.rs`: mutation of what may not be mutated (E0596, E0594, E0384, E0510);
//! - `region_errors.rs`: a borrow that outlives its value (E0597, E0716, E0515, E0373, "lifetime
//!   may not live long enough").
//!
//! rustc keeps E0381, E0382, E0384 and the outlives errors in `conflict_errors.rs`; here they
//! live with their family.

mod conflict_errors;
mod move_errors;
mod mutability_errors;
mod region_errors;

use crate::ast::Span;
use crate::errors::{BorrowError, ErrorKind};

/// One error in rustc's words, spans relative to its function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub code: &'static str,
    pub span: Span,
    pub message: String,
    pub labels: Vec<(Span, String)>,
}

/// The code, primary span, message and labels rustc gives `e`.
pub(crate) fn render(e: &BorrowError) -> Rendered {
    let labels = e
        .labels()
        .into_iter()
        .map(|(span, role)| (span, label(e, role)))
        .collect();
    Rendered {
        code: e.code(),
        span: e.span,
        message: message(e),
        labels,
    }
}

/// rustc's message for `e`.
pub(crate) fn message(e: &BorrowError) -> String {
    match &e.kind {
        ErrorKind::Conflict { .. } => conflict_errors::message(&e.kind),
        ErrorKind::UseAfterMove { .. }
        | ErrorKind::Uninitialized { .. }
        | ErrorKind::MoveOut(_) => move_errors::message(&e.kind),
        ErrorKind::NotMutable { .. }
        | ErrorKind::Reassigned { .. }
        | ErrorKind::MutatedInGuard { .. } => mutability_errors::message(&e.kind),
        ErrorKind::DoesNotLiveLongEnough { .. }
        | ErrorKind::TemporaryDropped { .. }
        | ErrorKind::ReturnsBorrow { .. }
        | ErrorKind::ClosureMayOutlive { .. }
        | ErrorKind::RegionOutlives { .. }
        | ErrorKind::EscapesBody { .. }
        | ErrorKind::StaticOutlives => region_errors::message(&e.kind),
    }
}

/// rustc's text for the label of `e` that marks `role`.
fn label(e: &BorrowError, role: crate::errors::Role) -> String {
    match &e.kind {
        ErrorKind::Conflict { .. } => conflict_errors::label(&e.kind, role),
        ErrorKind::UseAfterMove { .. }
        | ErrorKind::Uninitialized { .. }
        | ErrorKind::MoveOut(_) => move_errors::label(&e.kind, role),
        ErrorKind::NotMutable { .. }
        | ErrorKind::Reassigned { .. }
        | ErrorKind::MutatedInGuard { .. } => mutability_errors::label(&e.kind, role),
        ErrorKind::DoesNotLiveLongEnough { .. }
        | ErrorKind::TemporaryDropped { .. }
        | ErrorKind::ReturnsBorrow { .. }
        | ErrorKind::ClosureMayOutlive { .. }
        | ErrorKind::RegionOutlives { .. }
        | ErrorKind::EscapesBody { .. }
        | ErrorKind::StaticOutlives => region_errors::label(&e.kind, role),
    }
}

#[cfg(test)]
mod tests;
