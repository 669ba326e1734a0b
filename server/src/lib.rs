//! borrowlens: the binary's library half, the command line `borrowlens check` and, later, the
//! language server.
//!
//! Architecture invariants: this crate is thin. It reads files and arguments, makes one call into
//! `borrowlens_analysis` per question, and converts the answer (byte offsets) into what it prints,
//! each conversion in one module named after what it produces (`to_json`, `to_human`). It never
//! names tree-sitter. Only `output` writes to stdout and stderr, because stdout is for results and
//! the protocol.

pub mod check;
pub mod cli;
pub mod edition;
pub mod line_index;
pub mod output;
pub mod to_human;
pub mod to_json;
pub mod walk;
