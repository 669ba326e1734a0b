//! Helpers for the end-to-end tests: diagnostic fixtures, corpus scoring, and the walk and code
//! scanner that the tidy test uses.

pub mod corpus;
pub mod fixture;
pub mod scan;

use std::path::{Path, PathBuf};

pub use fixture::{check_diagnostics, check_diagnostics_pending};

/// The repository root (the workspace holding `analysis/`, `server/` and `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The `*.rs` files under `dir`, sorted, skipping `target/` and hidden directories: the same walk
/// as `borrowlens check`. Panics on a path it cannot read, since a test must not skip files.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    borrowlens::walk::rust_files(&[dir.to_path_buf()])
        .into_iter()
        .map(|it| {
            it.unwrap_or_else(|problem| panic!("{}: {}", problem.path.display(), problem.reason))
        })
        .collect()
}
