//! The workspace folders: which files in them the server reads, and the background indexing that
//! reads them.
//!
//! A folder's Rust files are what `borrowlens check` walks there (`walk::walker`, the `ignore`
//! crate's rules as ripgrep reads them: nested `.gitignore` files inside a git repository,
//! `.ignore` files, git's excludes, hidden entries and `target/` skipped). A watcher's event for
//! one path is judged by the same rules (`Root::includes`). Symbolic links to directories are not
//! followed, so a link cannot make a cycle. Nothing in the workspace is ever
//! executed: files are read, never built or run.

use std::fs;
use std::path::{Component, Path, PathBuf};

use borrowlens_analysis::Edition;
use tower_lsp_server::ls_types::{NumberOrString, ProgressToken};
use tower_lsp_server::Client;

use crate::edition::{self, CargoEditions};
use crate::lsp::writer::{Op, Writer};
use crate::walk;

/// How many files are read between two progress reports.
const BATCH: usize = 64;

/// One workspace folder.
#[derive(Clone, Debug)]
pub struct Root {
    pub path: PathBuf,
}

/// A Rust file read from disk, with its edition.
#[derive(Clone, Debug)]
pub struct DiskFile {
    pub path: PathBuf,
    pub text: String,
    pub edition: Edition,
}

impl Root {
    /// The folder at `path`.
    pub fn new(path: PathBuf) -> Root {
        Root { path }
    }

    /// Whether `path` is one of this folder's Rust files (by name; the file need not exist): the
    /// rules of `walk::walker`, asked of one path. Hidden names and `target/` are out; then the
    /// `.ignore` files, and inside a git repository the `.gitignore` files, of the folders from
    /// the path's own up to this one decide, the nearest first.
    pub fn includes(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.path) else {
            return false;
        };
        let names: Vec<&str> = relative
            .components()
            .map(|it| match it {
                Component::Normal(name) => name.to_str().unwrap_or("."),
                _ => ".",
            })
            .collect();
        let Some((file, dirs)) = names.split_last() else {
            return false;
        };
        if !walk::is_rust(path) || file.starts_with('.') {
            return false;
        }
        if dirs.iter().any(|d| d.starts_with('.') || *d == "target") {
            return false;
        }
        let in_git = self.path.ancestors().any(|d| d.join(".git").exists());
        let Some(parent) = path.parent() else {
            return false;
        };
        for dir in parent.ancestors() {
            let mut files = vec![".ignore"];
            if in_git {
                files.insert(0, ".gitignore");
            }
            let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
            let mut any = false;
            for name in files {
                let f = dir.join(name);
                if f.is_file() {
                    any |= builder.add(&f).is_none();
                }
            }
            if any {
                if let Ok(rules) = builder.build() {
                    match rules.matched_path_or_any_parents(path, false) {
                        ignore::Match::Ignore(_) => return false,
                        ignore::Match::Whitelist(_) => return true,
                        ignore::Match::None => {}
                    }
                }
            }
            if dir == self.path {
                break;
            }
        }
        true
    }

    /// This folder's Rust files, sorted, as `borrowlens check` walks them (`walk::walker`).
    pub fn rust_files(&self) -> Vec<PathBuf> {
        walk::rust_files(std::slice::from_ref(&self.path))
            .into_iter()
            .filter_map(Result::ok)
            .collect()
    }
}

/// Reads a Rust file and picks its edition as `borrowlens check` does; `None` when it cannot be
/// read or is not UTF-8 (the analysis takes text only).
pub fn read(path: &Path, cargo: &mut CargoEditions) -> Option<DiskFile> {
    let text = fs::read_to_string(path)
        .map_err(|err| tracing::debug!("{}: {}", path.display(), walk::describe(&err)))
        .ok()?;
    let edition = edition::from_directive(&text)
        .or_else(|| cargo.for_file(path))
        .unwrap_or(edition::DEFAULT);
    Some(DiskFile {
        path: path.to_path_buf(),
        text,
        edition,
    })
}

/// Reads every Rust file of `roots` into the analysis, in the background, reporting `$/progress`
/// when the client supports it. The writer keeps what it already has (an open document, a file a
/// watcher event reported since), so a slow index never overwrites newer text.
pub async fn index(client: Client, writer: Writer, roots: Vec<Root>, with_progress: bool) {
    let token = ProgressToken::from(NumberOrString::String("borrowlens/index".to_string()));
    let progress = if with_progress
        && client
            .create_work_done_progress(token.clone())
            .await
            .is_ok()
    {
        let title = "borrowlens: indexing";
        Some(
            client
                .progress(token, title)
                .with_percentage(0)
                .begin()
                .await,
        )
    } else {
        None
    };
    let files = tokio::task::spawn_blocking(move || {
        roots.iter().flat_map(Root::rust_files).collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let total = files.len();
    let mut cargo = CargoEditions::default();
    let (mut n_read, mut n_seen) = (0, 0);
    for batch in files.chunks(BATCH) {
        n_seen += batch.len();
        let batch = batch.to_vec();
        let Ok((loaded, back)) = tokio::task::spawn_blocking(move || {
            let loaded: Vec<DiskFile> =
                batch.iter().filter_map(|it| read(it, &mut cargo)).collect();
            (loaded, cargo)
        })
        .await
        else {
            break;
        };
        cargo = back;
        n_read += loaded.len();
        writer.send(Op::Index(loaded));
        if let Some(progress) = &progress {
            let percentage = (n_seen * 100 / total.max(1)) as u32;
            progress
                .report_with_message(format!("{n_seen}/{total} files"), percentage)
                .await;
        }
    }
    tracing::info!("indexed {n_read} Rust files");
    if let Some(progress) = progress {
        progress
            .finish_with_message(format!("{n_read} Rust files indexed"))
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_and_walk() {
        let root =
            std::env::temp_dir().join(format!("borrowlens-workspace-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for file in [
            "a.rs",
            "src/b.rs",
            "src/c.txt",
            "target/t.rs",
            ".hidden/h.rs",
            "gen/g.rs",
            "src/x.gen.rs",
        ] {
            let path = root.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "fn main() {}\n").unwrap();
        }
        // `.gitignore` counts in a git repository (as for git and ripgrep), `.ignore` always.
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::write(root.join(".gitignore"), "gen/\n*.gen.rs\n").unwrap();
        fs::write(root.join("src/.ignore"), "old/\n").unwrap();
        fs::create_dir_all(root.join("src/old")).unwrap();
        fs::write(root.join("src/old/o.rs"), "fn main() {}\n").unwrap();
        let it = Root::new(root.clone());
        let found: Vec<_> = it
            .rust_files()
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        assert_eq!(found, ["a.rs", "src/b.rs"]);
        assert!(it.includes(&root.join("src/new.rs")));
        assert!(!it.includes(&root.join("gen/new.rs")));
        assert!(!it.includes(&root.join("target/new.rs")));
        assert!(!it.includes(&root.join("src/new.gen.rs")));
        assert!(
            !it.includes(&root.join("src/old/new.rs")),
            "a nested .ignore"
        );
        assert!(!it.includes(Path::new("/elsewhere/a.rs")));
        fs::remove_dir_all(&root).unwrap();
    }
}
