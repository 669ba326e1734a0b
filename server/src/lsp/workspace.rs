//! The workspace folders: which files in them the server reads, and the background indexing that
//! reads them.
//!
//! A folder's Rust files are its `*.rs` files outside `target/` directories, hidden entries (a
//! name starting with `.`) and what the folder's own `.gitignore` ignores. The `.gitignore`
//! reader is small on purpose: comments, `!` negation, a trailing `/` for directories, a leading
//! or inner `/` to anchor a pattern at the folder, and the globs `*`, `?`, `[...]` and `**`.
//! Nested `.gitignore` files and git's global excludes are not read. Symbolic links to
//! directories are not followed, so a link cannot make a cycle. Nothing in the workspace is ever
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

/// One workspace folder and its ignore rules.
#[derive(Clone, Debug)]
pub struct Root {
    pub path: PathBuf,
    ignore: Gitignore,
}

/// A Rust file read from disk, with its edition.
#[derive(Clone, Debug)]
pub struct DiskFile {
    pub path: PathBuf,
    pub text: String,
    pub edition: Edition,
}

impl Root {
    /// The folder at `path`, with the rules of its `.gitignore` if it has one.
    pub fn new(path: PathBuf) -> Root {
        let ignore = fs::read_to_string(path.join(".gitignore"))
            .map(|it| Gitignore::parse(&it))
            .unwrap_or_default();
        Root { path, ignore }
    }

    /// Whether `path` is one of this folder's Rust files (by name; the file need not exist).
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
        for (i, dir) in dirs.iter().enumerate() {
            if dir.starts_with('.')
                || *dir == "target"
                || self.ignore.ignores(&names[..=i].join("/"), true)
            {
                return false;
            }
        }
        !self.ignore.ignores(&names.join("/"), false)
    }

    /// This folder's Rust files, sorted.
    pub fn rust_files(&self) -> Vec<PathBuf> {
        let mut acc = Vec::new();
        self.walk(&self.path, "", &mut acc);
        acc
    }

    fn walk(&self, dir: &Path, relative: &str, acc: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|it| it.file_name());
        for entry in entries {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let relative = if relative.is_empty() {
                name.to_string()
            } else {
                format!("{relative}/{name}")
            };
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if file_type.is_dir() {
                if name != "target" && !self.ignore.ignores(&relative, true) {
                    self.walk(&path, &relative, acc);
                }
            } else if walk::is_rust(&path)
                && !self.ignore.ignores(&relative, false)
                && fs::metadata(&path).is_ok_and(|it| it.is_file())
            {
                acc.push(path);
            }
        }
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

/// The rules of one `.gitignore`, in order: the last rule that matches a path decides.
#[derive(Clone, Debug, Default)]
struct Gitignore {
    rules: Vec<Rule>,
}

#[derive(Clone, Debug)]
struct Rule {
    glob: String,
    negated: bool,
    dir_only: bool,
    /// Matched against the path from the folder; otherwise against the last name only.
    anchored: bool,
}

impl Gitignore {
    fn parse(text: &str) -> Gitignore {
        let rules = text
            .lines()
            .filter_map(|line| {
                let line = line.trim_end();
                if line.is_empty() || line.starts_with('#') {
                    return None;
                }
                let (negated, line) = match line.strip_prefix('!') {
                    Some(rest) => (true, rest),
                    None => (false, line.strip_prefix('\\').unwrap_or(line)),
                };
                let (dir_only, line) = match line.strip_suffix('/') {
                    Some(rest) => (true, rest),
                    None => (false, line),
                };
                let anchored = line.contains('/');
                let glob = line.strip_prefix('/').unwrap_or(line).to_string();
                (!glob.is_empty()).then_some(Rule {
                    glob,
                    negated,
                    dir_only,
                    anchored,
                })
            })
            .collect();
        Gitignore { rules }
    }

    /// Whether the path (relative to the folder, `/`-separated) is ignored by a rule of its own;
    /// the caller checks the directories above it.
    fn ignores(&self, relative: &str, is_dir: bool) -> bool {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        let mut ignored = false;
        for rule in &self.rules {
            if rule.dir_only && !is_dir {
                continue;
            }
            let subject = if rule.anchored { relative } else { name };
            if glob(rule.glob.as_bytes(), subject.as_bytes()) {
                ignored = !rule.negated;
            }
        }
        ignored
    }
}

/// Whether `s` matches the glob `p`: `*` and `?` stay within one name, `**` crosses `/`.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match p {
        [] => s.is_empty(),
        [b'*', b'*', b'/', rest @ ..] => {
            glob(rest, s)
                || s.iter()
                    .enumerate()
                    .any(|(i, &c)| c == b'/' && glob(rest, &s[i + 1..]))
        }
        [b'*', b'*', rest @ ..] => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        [b'*', rest @ ..] => {
            let name_len = s.iter().position(|&c| c == b'/').unwrap_or(s.len());
            (0..=name_len).any(|i| glob(rest, &s[i..]))
        }
        [b'?', rest @ ..] => matches!(s, [c, ..] if *c != b'/') && glob(rest, &s[1..]),
        [b'[', class @ ..] => match class.iter().position(|&c| c == b']') {
            Some(close) if close > 0 => {
                let (set, rest) = (&class[..close], &class[close + 1..]);
                let (negated, set) = match set {
                    [b'!' | b'^', set @ ..] => (true, set),
                    _ => (false, set),
                };
                let Some(&c) = s.first() else { return false };
                let mut hit = false;
                let mut i = 0;
                while i < set.len() {
                    if i + 2 < set.len() && set[i + 1] == b'-' {
                        hit |= set[i] <= c && c <= set[i + 2];
                        i += 3;
                    } else {
                        hit |= set[i] == c;
                        i += 1;
                    }
                }
                hit != negated && c != b'/' && glob(rest, &s[1..])
            }
            _ => s.first() == Some(&b'[') && glob(class, &s[1..]),
        },
        [b'\\', c, rest @ ..] => s.first() == Some(c) && glob(rest, &s[1..]),
        [c, rest @ ..] => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob(b"*.rs", b"a.rs"));
        assert!(!glob(b"*.rs", b"a/b.rs"));
        assert!(glob(b"**/gen.rs", b"gen.rs"));
        assert!(glob(b"**/gen.rs", b"a/b/gen.rs"));
        assert!(glob(b"a/**", b"a/b/c"));
        assert!(glob(b"a?c", b"abc"));
        assert!(glob(b"[a-c]x", b"bx"));
        assert!(!glob(b"[!a-c]x", b"bx"));
        assert!(glob(b"\\*", b"*"));
    }

    #[test]
    fn gitignore_rules() {
        let it = Gitignore::parse("# comment\n/build\nout/\n*.gen.rs\n!keep.gen.rs\ndocs/*.rs\n");
        assert!(it.ignores("build", true));
        assert!(!it.ignores("src/build", true), "anchored");
        assert!(it.ignores("out", true));
        assert!(it.ignores("a/out", true), "a name anywhere");
        assert!(!it.ignores("out", false), "directories only");
        assert!(it.ignores("src/x.gen.rs", false));
        assert!(!it.ignores("src/keep.gen.rs", false), "negated");
        assert!(it.ignores("docs/a.rs", false));
        assert!(!it.ignores("docs/a/b.rs", false));
    }

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
        fs::write(root.join(".gitignore"), "gen/\n*.gen.rs\n").unwrap();
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
        assert!(!it.includes(Path::new("/elsewhere/a.rs")));
        fs::remove_dir_all(&root).unwrap();
    }
}
