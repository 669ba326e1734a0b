//! The real inputs: regex-automata's source at a pinned version from crates.io (downloaded with
//! `cargo fetch`, never compiled here), and copies of registry crates for the large workspace.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The pinned version whose `src/dfa/dense.rs` is the 5,000-line file.
pub const PINNED: &str = "0.4.9";

/// Where cargo unpacks crates: `$CARGO_HOME/registry/src/<index>/`, every index.
pub fn registry_dirs() -> Vec<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let mut acc: Vec<PathBuf> = fs::read_dir(home.join("registry/src"))
        .map(|it| {
            it.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    acc.sort();
    acc
}

/// Every unpacked `NAME-VERSION` directory of the registry, newest version last.
pub fn registry_crates(name: &str) -> Vec<(Vec<u64>, PathBuf)> {
    let mut acc = Vec::new();
    for dir in registry_dirs() {
        for entry in fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
        {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let Some(version) = file_name.strip_prefix(&format!("{name}-")) else {
                continue;
            };
            let Some(parsed) = version
                .split('.')
                .map(|it| it.parse::<u64>().ok())
                .collect::<Option<Vec<u64>>>()
            else {
                continue; // a pre-release, or another crate whose name starts with `name-`
            };
            acc.push((parsed, entry.path()));
        }
    }
    acc.sort();
    acc
}

/// regex-automata at `PINNED`, fetched into the registry by a throwaway project when missing;
/// else the newest 0.4.x found, with a note saying so.
pub fn regex_automata(scratch: &Path, cargo: &str) -> (PathBuf, String, Option<String>) {
    let pinned = |v: &Vec<u64>| v.as_slice() == [0, 4, 9];
    if let Some((_, dir)) = registry_crates("regex-automata")
        .into_iter()
        .find(|(v, _)| pinned(v))
    {
        return (dir, PINNED.to_string(), None);
    }
    let project = scratch.join("fetch-regex-automata");
    fs::create_dir_all(project.join("src")).unwrap();
    fs::write(
        project.join("Cargo.toml"),
        format!(
            "[package]\nname = \"fetch-regex-automata\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
             [dependencies]\nregex-automata = \"={PINNED}\"\n\n[workspace]\n"
        ),
    )
    .unwrap();
    fs::write(project.join("src/lib.rs"), "").unwrap();
    let fetched = Command::new(cargo)
        .arg("fetch")
        .current_dir(&project)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|it| it.success());
    if let Some((_, dir)) = registry_crates("regex-automata")
        .into_iter()
        .find(|(v, _)| pinned(v))
    {
        return (dir, PINNED.to_string(), None);
    }
    let newest = registry_crates("regex-automata")
        .into_iter()
        .rfind(|(v, _)| v.starts_with(&[0, 4]))
        .expect("regex-automata: cannot fetch 0.4.9 and no 0.4.x in the registry");
    let version = newest
        .0
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".");
    let why = if fetched {
        "fetched, but not unpacked"
    } else {
        "`cargo fetch` failed"
    };
    (
        newest.1,
        version.clone(),
        Some(format!(
            "regex-automata {PINNED}: {why}; using {version} from the registry instead"
        )),
    )
}

/// Every `*.rs` file under `dir`, skipping `target` and hidden entries, in sorted order.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut acc = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "target" {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".rs") {
                acc.push(path);
            }
        }
    }
    acc.sort();
    acc
}

/// Lines of `*.rs` under `dir` (what `str::lines` counts).
pub fn rust_lines(dir: &Path) -> usize {
    rust_files(dir)
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .map(|text| text.lines().count())
        .sum()
}

/// A recursive copy (regular files and directories; links followed), skipping `target`.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().filter_map(|e| e.ok()) {
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else if src.is_file() {
            fs::copy(&src, &dst).unwrap_or_else(|err| panic!("copy {}: {err}", src.display()));
        }
    }
}

/// A workspace of at least `min_lines` lines of Rust: copies of `first`, then of the newest
/// version of each named registry crate, then of any other registry crate (largest first)
/// until the lines suffice. Returns the crates copied and the total.
/// A `Cargo.lock` for the package at `dir` (offline first), and its dependencies' names; `None`
/// when cargo could make none.
pub fn lock(dir: &Path, cargo: &str) -> Option<String> {
    let made = |offline: bool| {
        let mut c = Command::new(cargo);
        c.arg("generate-lockfile");
        if offline {
            c.arg("--offline");
        }
        c.current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|it| it.success())
    };
    if !dir.join("Cargo.lock").is_file() && !made(true) && !made(false) {
        return None;
    }
    let lock: toml::Table = fs::read_to_string(dir.join("Cargo.lock"))
        .ok()?
        .parse()
        .ok()?;
    let names: Vec<String> = lock
        .get("package")?
        .as_array()?
        .iter()
        .filter(|p| p.get("source").is_some())
        .filter_map(|p| {
            Some(format!(
                "{} {}",
                p.get("name")?.as_str()?,
                p.get("version")?.as_str()?
            ))
        })
        .collect();
    Some(names.join(", "))
}

pub fn big_workspace(to: &Path, first: &Path, min_lines: usize) -> (Vec<String>, usize) {
    let preferred = [
        "regex-syntax",
        "syn",
        "serde_json",
        "tokio",
        "salsa",
        "tree-sitter",
        "aho-corasick",
    ];
    let mut candidates: Vec<PathBuf> = vec![first.to_path_buf()];
    for name in preferred {
        if let Some((_, dir)) = registry_crates(name).pop() {
            candidates.push(dir);
        }
    }
    let mut rest: Vec<(usize, PathBuf)> = registry_dirs()
        .iter()
        .flat_map(|d| {
            fs::read_dir(d)
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok())
                .map(|e| e.path())
        })
        .filter(|p| p.is_dir() && !candidates.contains(p))
        .map(|p| (rust_lines(&p), p))
        .collect();
    rest.sort_by_key(|it| std::cmp::Reverse(it.0));
    candidates.extend(rest.into_iter().map(|(_, p)| p));
    let (mut names, mut total) = (Vec::new(), 0);
    for dir in candidates {
        if total >= min_lines {
            break;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        copy_dir(&dir, &to.join(&name));
        total += rust_lines(&to.join(&name));
        names.push(name);
    }
    (names, total)
}
