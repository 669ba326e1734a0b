//! The Rust files that paths name: a file as given, a directory searched for `*.rs` files.
//!
//! Directories are walked by the `ignore` crate (ripgrep's walker), so that what the project says
//! is not its source is not checked: `.gitignore` files at every level (inside a git repository,
//! as git and ripgrep read them) and in the directories above the walked one, `.ignore` files
//! (with or without git), `.git/info/exclude` and git's global excludes (`core.excludesFile`).
//! `target/` directories and hidden entries (a name starting with `.`) are skipped too, and so are
//! symbolic links to directories, which could make a cycle. Each directory's entries are visited
//! in sorted order so output is stable. A path given explicitly is taken even when hidden or
//! ignored.

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

/// The walk below `dir` that `borrowlens check` and the crates' discovery share: ripgrep's
/// rules, sorted, `target/` below `dir` skipped.
pub fn walker(dir: &Path) -> ignore::Walk {
    ignore::WalkBuilder::new(dir)
        // The defaults, said aloud: what ripgrep reads and skips.
        .hidden(true)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_global(true)
        .git_exclude(true)
        .require_git(true)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        // The walked directory itself may be named `target`; only those below it are skipped.
        .filter_entry(|it| {
            it.depth() == 0
                || !(it.file_name() == "target" && it.file_type().is_some_and(|t| t.is_dir()))
        })
        .build()
}

fn walk_dir(dir: &Path, acc: &mut Vec<Entry>) {
    for entry in walker(dir) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                problems(&err, None, acc);
                continue;
            }
        };
        // A directory's ignore file that could not be read whole is reported on its entry.
        if let Some(err) = entry.error() {
            problems(err, None, acc);
        }
        let path = entry.path();
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() || !is_rust(path) {
            continue;
        }
        // A symbolic link counts when it leads to a file; a dangling one is reported.
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => acc.push(Ok(entry.into_path())),
            Err(err) => acc.push(Err(problem(path, &describe(&err)))),
        }
    }
}

/// The problems one error of the walk holds: an unreadable directory, or a line of an ignore file
/// that cannot be read (each error of a partly read ignore file apart), each with its path.
fn problems(err: &ignore::Error, path: Option<&Path>, acc: &mut Vec<Entry>) {
    match err {
        ignore::Error::Partial(errs) => errs.iter().for_each(|it| problems(it, path, acc)),
        ignore::Error::WithPath { path, err } => problems(err, Some(path), acc),
        ignore::Error::WithDepth { err, .. } => problems(err, path, acc),
        ignore::Error::Io(err) => {
            acc.push(Err(problem(path.unwrap_or(Path::new("")), &describe(err))))
        }
        err => acc.push(Err(problem(
            path.unwrap_or(Path::new("")),
            &err.to_string(),
        ))),
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

    /// A fresh directory with `files` (`(path, text)`), removed by the caller.
    fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("borrowlens-walk-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for (file, text) in files {
            let path = root.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        root
    }

    fn found(root: &Path, under: &str) -> Vec<String> {
        rust_files(&[root.join(under)])
            .into_iter()
            .map(|it| {
                it.unwrap()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn nested_gitignores_in_a_git_repository() {
        // `.git/HEAD` makes the folder a repository, as the walker tells one.
        let root = tree(
            "gitignore",
            &[
                (".git/HEAD", "ref: refs/heads/main\n"),
                (".gitignore", "/generated/\n*.bak.rs\n"),
                ("generated/g.rs", ""),
                ("src/a.rs", ""),
                ("src/a.bak.rs", ""),
                ("src/.gitignore", "skip.rs\nvendor/\n"),
                ("src/skip.rs", ""),
                ("src/inner/skip.rs", ""),
                ("src/vendor/v.rs", ""),
                ("src/inner/.gitignore", "!skip.rs\n"),
                ("other/skip.rs", ""),
            ],
        );
        // The inner `.gitignore` takes back what the outer one ignored, as git does.
        let expected = ["other/skip.rs", "src/a.rs", "src/inner/skip.rs"];
        assert_eq!(found(&root, ""), expected);
        // The `.gitignore` files above a walked folder count too.
        assert_eq!(found(&root, "src"), ["src/a.rs", "src/inner/skip.rs"]);
        // A file named explicitly is taken even when ignored.
        assert_eq!(
            rust_files(&[root.join("src/skip.rs")]),
            [Ok(root.join("src/skip.rs"))]
        );
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn dot_ignore_files_with_or_without_git_and_gitignore_only_in_git() {
        let root = tree(
            "dot-ignore",
            &[
                (".ignore", "fixtures/\n"),
                (".gitignore", "a.rs\n"),
                ("a.rs", ""),
                ("b.rs", ""),
                ("fixtures/f.rs", ""),
                ("sub/.ignore", "*_gen.rs\n"),
                ("sub/x_gen.rs", ""),
                ("sub/y.rs", ""),
            ],
        );
        // Outside a git repository, as ripgrep: `.ignore` counts, `.gitignore` does not.
        assert_eq!(found(&root, ""), ["a.rs", "b.rs", "sub/y.rs"]);
        fs::create_dir_all(root.join(".git")).unwrap();
        assert_eq!(found(&root, ""), ["b.rs", "sub/y.rs"]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn an_unreadable_ignore_line_is_reported_and_the_walk_goes_on() {
        let root = tree(
            "bad-glob",
            &[(".ignore", "a{.rs\nc.rs\n"), ("b.rs", ""), ("c.rs", "")],
        );
        let entries = rust_files(std::slice::from_ref(&root));
        assert_eq!(entries.len(), 2, "{entries:?}");
        let problem = entries[0].as_ref().unwrap_err();
        assert_eq!(problem.path, root.join(".ignore"));
        assert!(problem.reason.contains("a{.rs"), "{}", problem.reason);
        assert_eq!(entries[1], Ok(root.join("b.rs")));
        fs::remove_dir_all(&root).unwrap();
    }
}
