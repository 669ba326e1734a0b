//! borrowlens: the binary's library half, the command line `borrowlens check` and the language
//! server (`lsp`).
//!
//! Architecture invariants: this crate is thin. It reads files and arguments, makes one call into
//! `borrowlens_analysis` per question, and converts the answer (byte offsets) into what it prints,
//! each conversion in one module named after what it produces (`to_json`, `to_cargo_json`,
//! `to_human`, `lsp::to_lsp`, `lsp::from_lsp`). It never names tree-sitter. Only `output` writes
//! to stdout and stderr (and hands the protocol its stdout), because stdout is for results and
//! the protocol.

pub mod check;
pub mod cli;
pub mod deps;
pub mod edition;
pub mod line_index;
pub mod lsp;
pub mod output;
pub mod package;
pub mod project;
pub mod to_cargo_json;
pub mod to_human;
pub mod to_json;
pub mod walk;
