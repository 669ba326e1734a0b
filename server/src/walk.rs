//! The Rust files that paths name: a file as given, a directory searched for `*.rs` files.
//!
//! Directories are walked in sorted order so output is stable. `target/` directories and hidden
//! entries (a name starting with `.`) are skipped, and so are symbolic links to directories, which
//! could make a cycle. A path given explicitly is taken even when hidden.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A path that was named or found but cannot be checked, with the reason in a few words.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
}

/// One result of the walk, in path order: a Rust file, or a path that cannot be checked.
pub type Entry = Result<PathBuf, Problem>;

/// The Rust files under `paths`, in the order given, each directory's files sorted.
pub fn rust_files(paths: &[PathBuf]) -> Vec<Entry> {
    let mut acc = Vec::new();
    for path in paths {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk_dir(path, &mut acc),
            Ok(_) if is_rust(path) => acc.push(Ok(path.clone())),
            Ok(_) => acc.push(Err(problem(
                path,
                "not a Rust file (expected a `.rs` file)",
            ))),
            Err(err) => acc.push(Err(problem(path, &describe(&err)))),
        }
    }
    acc
}

fn walk_dir(dir: &Path, acc: &mut Vec<Entry>) {
    let entries = match fs::read_dir(dir).and_then(|it| it.collect::<io::Result<Vec<_>>>()) {
        Ok(entries) => entries,
        Err(err) => return acc.push(Err(problem(dir, &describe(&err)))),
    };
    let mut entries: Vec<_> = entries.into_iter().map(|it| (it.file_name(), it)).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, entry) in entries {
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if name != "target" {
                walk_dir(&path, acc);
            }
        } else if is_rust(&path) {
            // A symbolic link counts when it leads to a file; a dangling one is reported.
            match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => acc.push(Ok(path)),
                Err(err) => acc.push(Err(problem(&path, &describe(&err)))),
            }
        }
    }
}

pub fn is_rust(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "rs")
}

fn problem(path: &Path, reason: &str) -> Problem {
    Problem {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// An I/O error in lower case, without the `(os error 2)` tail.
pub fn describe(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = err.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_lowercase().chain(chars).collect()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_skips_target_and_hidden() {
        let root = std::env::temp_dir().join(format!("borrowlens-walk-{}", std::process::id()));
        for file in [
            "b.rs",
            "a/z.rs",
            "a/m.txt",
            "target/t.rs",
            ".git/g.rs",
            ".hidden.rs",
            "c/target2/k.rs",
        ] {
            let path = root.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "").unwrap();
        }
        let found: Vec<_> = rust_files(std::slice::from_ref(&root))
            .into_iter()
            .map(|it| {
                it.unwrap()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(found, ["a/z.rs", "b.rs", "c/target2/k.rs"]);

        let named = rust_files(&[
            root.join(".hidden.rs"),
            root.join("a/m.txt"),
            root.join("nope.rs"),
        ]);
        assert_eq!(named[0], Ok(root.join(".hidden.rs")));
        assert_eq!(
            named[1].as_ref().unwrap_err().reason,
            "not a Rust file (expected a `.rs` file)"
        );
        assert_eq!(
            named[2].as_ref().unwrap_err().reason,
            "no such file or directory"
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
