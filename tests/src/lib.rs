//! Helpers for the end-to-end tests: diagnostic fixtures (single-file with compiletest's markers,
//! multi-file with spans annotated), corpus scoring, and the walk and code
//! scanner that the tidy test uses.

pub mod corpus;
pub mod fixcheck;
pub mod fixture;
pub mod multi;
pub mod scan;

use std::path::{Path, PathBuf};

pub use fixture::{check_diagnostics, check_diagnostics_pending};
pub use multi::{check_fixture, check_fixture_pending, Fixture};

/// The repository root (the workspace holding `analysis/`, `server/` and `tests/`). Cargo sets
/// `CARGO_MANIFEST_DIR` when it runs a test too; that value is preferred over the one compiled
/// in, which goes stale when a checkout moves but keeps its target directory.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
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
