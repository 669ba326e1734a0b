//! Finding the crates a file belongs to, as cargo would, without running cargo: the nearest
//! enclosing `Cargo.toml` with a `[package]` (parsed with the `toml` crate), its edition (or the
//! workspace's, for `edition.workspace = true`), and its targets by cargo's rules: `[lib]` (or
//! `src/lib.rs`), `[[bin]]` (and `src/main.rs`, `src/bin/*.rs`, `src/bin/*/main.rs`), and the
//! examples, tests and benches (`[[example]]`, `[[test]]`, `[[bench]]`, or the `.rs` files and
//! `*/main.rs` folders of `examples/`, `tests/`, `benches/`). Each target's file is a crate root;
//! the analysis follows each root's module tree.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use borrowlens_analysis::Edition;

/// A cargo package: where it is, its edition, and the root files of its targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// The folder of its `Cargo.toml`.
    pub root: PathBuf,
    pub name: String,
    /// `[package] version` as written (absent from 2024's unpublished packages).
    pub version: Option<String>,
    pub edition: Edition,
    /// The targets' root files, that exist: the library first when there is one, then the
    /// binaries, then (from `dev_from` on) the examples, tests and benches, which also see the
    /// dev-dependencies.
    pub targets: Vec<PathBuf>,
    pub has_lib: bool,
    pub dev_from: usize,
    /// The library's crate name (`[lib] name`, or the package's with `-` made `_`).
    pub lib_name: String,
}

/// A `Cargo.toml` that could not be read as a manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    pub path: PathBuf,
    /// What is wrong, with the line and column when the TOML itself is bad.
    pub message: String,
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Remembers each folder's package (or its absence), so that a tree of many files reads its
/// manifests once.
#[derive(Default)]
pub struct Packages {
    by_dir: HashMap<PathBuf, Option<usize>>,
    pub packages: Vec<Package>,
    /// Manifests that could not be read, each once.
    pub errors: Vec<ManifestError>,
}

impl Packages {
    /// The package whose folder holds `file` (the nearest enclosing `Cargo.toml` with a
    /// `[package]`), by its index in `packages`.
    pub fn of_file(&mut self, file: &Path) -> Option<usize> {
        let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let mut walked = Vec::new();
        let mut found = None;
        for dir in file.parent()?.ancestors() {
            if let Some(known) = self.by_dir.get(dir) {
                found = *known;
                break;
            }
            walked.push(dir.to_path_buf());
            let manifest = dir.join("Cargo.toml");
            let Ok(text) = fs::read_to_string(&manifest) else {
                continue;
            };
            match read_manifest(dir, &text) {
                Ok(Some(package)) => {
                    found = Some(self.packages.len());
                    self.packages.push(package);
                    break;
                }
                // A virtual manifest: the files below belong to some member, or to none.
                Ok(None) => {}
                Err(message) => {
                    self.errors.push(ManifestError {
                        path: manifest,
                        message,
                    });
                    break;
                }
            }
        }
        for dir in walked {
            self.by_dir.insert(dir, found);
        }
        found
    }
}

/// The packages whose manifests are in `dir` or below it (as `rust_files` walks: what git
/// ignores, hidden folders and `target/` are skipped), with the manifests that could not be read.
pub fn packages_under(dir: &Path) -> (Vec<Package>, Vec<ManifestError>) {
    let mut packages = Vec::new();
    let mut errors = Vec::new();
    for entry in crate::walk::walker(dir).filter_map(|e| e.ok()) {
        if entry.file_name() != "Cargo.toml" || !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Some(folder) = path.parent() else {
            continue;
        };
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                errors.push(ManifestError {
                    path: path.to_path_buf(),
                    message: err.to_string(),
                });
                continue;
            }
        };
        match read_manifest(folder, &text) {
            Ok(Some(p)) => packages.push(p),
            Ok(None) => {}
            Err(message) => errors.push(ManifestError {
                path: path.to_path_buf(),
                message,
            }),
        }
    }
    (packages, errors)
}

/// What `borrowlens check` without a PATH checks, as `cargo check` picks it: from `from` (the
/// current folder, or `--manifest-path`'s file), the nearest `Cargo.toml`'s package; at a
/// virtual manifest, its workspace's `default-members` (else `members`); with `package`
/// (`-p NAME`), that member of the workspace. The folders of the packages chosen, or cargo's
/// words for what is wrong.
pub fn cargo_selection(from: &Path, package: Option<&str>) -> Result<Vec<PathBuf>, String> {
    let manifest = if from.file_name().is_some_and(|n| n == "Cargo.toml") {
        if !from.is_file() {
            return Err(format!("manifest path `{}` does not exist", from.display()));
        }
        from.to_path_buf()
    } else {
        from.ancestors()
            .map(|d| d.join("Cargo.toml"))
            .find(|m| m.is_file())
            .ok_or_else(|| {
                format!(
                    "could not find `Cargo.toml` in `{}` or any parent directory",
                    from.display()
                )
            })?
    };
    let dir = manifest.parent().unwrap_or(Path::new("."));
    let table = manifest_table(&manifest)?;
    if package.is_none() && table.contains_key("package") {
        return Ok(vec![dir.to_path_buf()]);
    }
    // The workspace: this manifest's, or the nearest above it with `[workspace]`.
    let (root, ws) = if table.contains_key("workspace") {
        (dir.to_path_buf(), table)
    } else {
        let above = dir
            .ancestors()
            .skip(1)
            .map(|d| d.join("Cargo.toml"))
            .filter(|m| m.is_file())
            .find_map(|m| {
                let t = manifest_table(&m).ok()?;
                t.contains_key("workspace")
                    .then(|| (m.parent().unwrap_or(Path::new(".")).to_path_buf(), t))
            });
        match above {
            Some(found) => found,
            None => (dir.to_path_buf(), table),
        }
    };
    let members = workspace_members(&root, &ws, package.is_none());
    match package {
        Some(name) => members
            .into_iter()
            .find(|p| p.name == name)
            .map(|p| vec![p.root])
            .ok_or_else(|| format!("package ID specification `{name}` did not match any packages")),
        None if members.is_empty() => Err(format!(
            "{}: no package, and no workspace member to check",
            manifest.display()
        )),
        None => Ok(members.into_iter().map(|p| p.root).collect()),
    }
}

/// A manifest's table, or where it is not TOML.
fn manifest_table(manifest: &Path) -> Result<toml::Table, String> {
    let text = fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    text.parse()
        .map_err(|e| format!("{}: {}", manifest.display(), toml_message(&text, &e)))
}

/// What is wrong with a TOML text, with the line and column when known.
fn toml_message(text: &str, e: &toml::de::Error) -> String {
    match e.span().map(|s| line_col(text, s.start)) {
        Some((line, col)) => format!("line {line}, column {col}: {}", e.message().trim()),
        None => e.message().trim().to_string(),
    }
}

/// The packages of the workspace rooted at `root` (manifest `ws`): its own package, and those
/// under it that `members` (or, when `defaults` and present, `default-members`) match and
/// `exclude` does not, by cargo's glob rules.
fn workspace_members(root: &Path, ws: &toml::Table, defaults: bool) -> Vec<Package> {
    let section = ws.get("workspace").and_then(|w| w.as_table());
    let list = |key: &str| -> Vec<String> {
        section
            .and_then(|w| w.get(key))
            .and_then(|m| m.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let globs = |patterns: &[String]| -> globset::GlobSet {
        let mut set = globset::GlobSetBuilder::new();
        for p in patterns {
            let p = p.trim_end_matches('/');
            if let Ok(g) = globset::GlobBuilder::new(p).literal_separator(true).build() {
                set.add(g);
            }
        }
        set.build().unwrap_or_else(|_| globset::GlobSet::empty())
    };
    let members = list("members");
    let default_members = list("default-members");
    let chosen = if defaults && !default_members.is_empty() {
        globs(&default_members)
    } else {
        globs(&members)
    };
    let exclude = globs(&list("exclude"));
    let (packages, _) = packages_under(root);
    packages
        .into_iter()
        .filter(|p| {
            let Ok(rel) = p.root.strip_prefix(root) else {
                return false;
            };
            // The root's own package is a member (and the default one, unless
            // `default-members` says otherwise).
            if rel.as_os_str().is_empty() {
                return !(defaults && !default_members.is_empty()) || chosen.is_match(".");
            }
            chosen.is_match(rel) && !exclude.is_match(rel)
        })
        .collect()
}

/// The package a manifest describes; `Ok(None)` for a manifest without `[package]`.
pub fn read_manifest(dir: &Path, text: &str) -> Result<Option<Package>, String> {
    let table: toml::Table = text.parse().map_err(|e| toml_message(text, &e))?;
    let Some(package) = table.get("package").and_then(|p| p.as_table()) else {
        return Ok(None);
    };
    let name = package
        .get("name")
        .and_then(|n| n.as_str())
        .ok_or("`[package]` has no `name`")?
        .to_string();
    let edition = package_edition(dir, package)?;
    let version = package
        .get("version")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let (targets, has_lib, dev_from) = targets(dir, &table);
    let lib_name = table
        .get("lib")
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
        .map_or_else(|| name.replace('-', "_"), str::to_string);
    Ok(Some(Package {
        root: dir.to_path_buf(),
        name,
        version,
        edition,
        targets,
        has_lib,
        dev_from,
        lib_name,
    }))
}

/// The edition of a manifest's `[package]`: written, inherited from the workspace
/// (`edition.workspace = true`), or cargo's default, 2015.
fn package_edition(dir: &Path, package: &toml::Table) -> Result<Edition, String> {
    Ok(match package.get("edition") {
        None => Edition::E2015,
        Some(toml::Value::String(e)) => {
            Edition::from_str(e).ok_or_else(|| format!("unknown edition `{e}`"))?
        }
        Some(toml::Value::Table(t))
            if t.get("workspace").and_then(|w| w.as_bool()) == Some(true) =>
        {
            workspace_edition(dir).unwrap_or(Edition::E2015)
        }
        Some(_) => return Err("`package.edition` is neither a string nor inherited".into()),
    })
}

/// The edition of the package a manifest in `dir` describes; `None` for a manifest without
/// `[package]` (a virtual one) or one that cannot be read (`read_manifest` says why).
pub fn manifest_edition(dir: &Path, text: &str) -> Option<Edition> {
    let table: toml::Table = text.parse().ok()?;
    let package = table.get("package")?.as_table()?;
    package_edition(dir, package).ok()
}

/// `[workspace.package] edition` of the nearest enclosing manifest with a `[workspace]`.
fn workspace_edition(dir: &Path) -> Option<Edition> {
    for d in dir.ancestors() {
        let Ok(text) = fs::read_to_string(d.join("Cargo.toml")) else {
            continue;
        };
        let Ok(table) = text.parse::<toml::Table>() else {
            continue;
        };
        if let Some(ws) = table.get("workspace").and_then(|w| w.as_table()) {
            let e = ws.get("package")?.get("edition")?.as_str()?;
            return Edition::from_str(e);
        }
    }
    None
}

/// The root files of the package's targets, by cargo's rules, that exist; whether the first is
/// the library; where the examples, tests and benches start.
fn targets(dir: &Path, table: &toml::Table) -> (Vec<PathBuf>, bool, usize) {
    let mut out: Vec<PathBuf> = Vec::new();
    fn add(out: &mut Vec<PathBuf>, p: PathBuf) {
        if p.is_file() && !out.contains(&p) {
            out.push(p);
        }
    }
    let explicit = |key: &str| -> Vec<PathBuf> {
        let list = match table.get(key) {
            Some(toml::Value::Array(a)) => a.iter().collect::<Vec<_>>(),
            Some(v @ toml::Value::Table(_)) => vec![v],
            _ => Vec::new(),
        };
        list.iter()
            .filter_map(|t| t.get("path").and_then(|p| p.as_str()))
            .map(|p| dir.join(p))
            .collect()
    };
    let package = table.get("package").and_then(|p| p.as_table());
    let auto = |key: &str| {
        package
            .and_then(|p| p.get(key))
            .and_then(|v| v.as_bool())
            .unwrap_or(true)
    };
    // The library.
    match explicit("lib").pop() {
        Some(p) => add(&mut out, p),
        None => add(&mut out, dir.join("src/lib.rs")),
    }
    let has_lib = !out.is_empty();
    // Binaries.
    for p in explicit("bin") {
        add(&mut out, p);
    }
    if auto("autobins") {
        add(&mut out, dir.join("src/main.rs"));
        for p in rs_files_and_main_dirs(&dir.join("src/bin")) {
            add(&mut out, p);
        }
    }
    let dev_from = out.len();
    for (key, auto_key, folder) in [
        ("example", "autoexamples", "examples"),
        ("test", "autotests", "tests"),
        ("bench", "autobenches", "benches"),
    ] {
        for p in explicit(key) {
            add(&mut out, p);
        }
        if auto(auto_key) {
            for p in rs_files_and_main_dirs(&dir.join(folder)) {
                add(&mut out, p);
            }
        }
    }
    (out, has_lib, dev_from)
}

/// `*.rs` files and `*/main.rs` in a folder, sorted.
fn rs_files_and_main_dirs(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter_map(|p| {
            if p.is_dir() {
                let main = p.join("main.rs");
                main.is_file().then_some(main)
            } else {
                (p.extension().is_some_and(|e| e == "rs")).then_some(p)
            }
        })
        .collect();
    out.sort();
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(files: &[(&str, &str)]) -> (tempdir::Dir, Result<Option<Package>, String>) {
        let dir = tempdir::Dir::new();
        for (path, text) in files {
            let p = dir.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        let manifest = fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
        let result = read_manifest(dir.path(), &manifest);
        (dir, result)
    }

    mod tempdir {
        use std::path::{Path, PathBuf};
        use std::sync::atomic::{AtomicUsize, Ordering};

        pub struct Dir(PathBuf);
        impl Dir {
            pub fn new() -> Dir {
                static N: AtomicUsize = AtomicUsize::new(0);
                let p = std::env::temp_dir().join(format!(
                    "borrowlens-project-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::Relaxed)
                ));
                let _ = std::fs::remove_dir_all(&p);
                std::fs::create_dir_all(&p).unwrap();
                Dir(p)
            }
            pub fn path(&self) -> &Path {
                &self.0
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[test]
    fn without_a_path_cargo_s_choice_of_packages() {
        let pkg = |name: &str| format!("[package]\nname = \"{name}\"\nedition = \"2021\"\n");
        let (dir, _) = package(&[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"crates/*\", \"tools/gen\"]\nexclude = [\"crates/skip\"]\n",
            ),
            ("crates/a/Cargo.toml", &pkg("a")),
            ("crates/a/src/lib.rs", ""),
            ("crates/b/Cargo.toml", &pkg("b")),
            ("crates/skip/Cargo.toml", &pkg("skip")),
            ("crates/a/nested/Cargo.toml", &pkg("nested")),
            ("tools/gen/Cargo.toml", &pkg("gen")),
            ("tools/other/Cargo.toml", &pkg("other")),
        ]);
        let root = dir.path();
        let mut all = cargo_selection(root, None).unwrap();
        all.sort();
        assert_eq!(
            all,
            [
                root.join("crates/a"),
                root.join("crates/b"),
                root.join("tools/gen")
            ]
        );
        // In a member's folder, that package alone, as `cargo check` there.
        assert_eq!(
            cargo_selection(&root.join("crates/a/src"), None).unwrap(),
            [root.join("crates/a")]
        );
        // `-p` from anywhere in the workspace; `--manifest-path` as a starting point.
        assert_eq!(
            cargo_selection(&root.join("crates/a"), Some("gen")).unwrap(),
            [root.join("tools/gen")]
        );
        assert_eq!(
            cargo_selection(&root.join("Cargo.toml"), Some("b")).unwrap(),
            [root.join("crates/b")]
        );
        assert_eq!(
            cargo_selection(root, Some("skip")).unwrap_err(),
            "package ID specification `skip` did not match any packages"
        );
        assert!(cargo_selection(&root.join("nope/Cargo.toml"), None)
            .unwrap_err()
            .contains("does not exist"));
    }

    #[test]
    fn default_members_and_no_manifest() {
        let (dir, _) = package(&[
            (
                "Cargo.toml",
                "[package]\nname = \"top\"\n[workspace]\nmembers = [\"m\"]\ndefault-members = [\"m\"]\n",
            ),
            ("m/Cargo.toml", "[package]\nname = \"m\"\n"),
        ]);
        let root = dir.path();
        // The root manifest has a package: `cargo check` there checks it.
        assert_eq!(cargo_selection(root, None).unwrap(), [root.to_path_buf()]);
        assert_eq!(cargo_selection(root, Some("m")).unwrap(), [root.join("m")]);
        assert_eq!(
            cargo_selection(root, Some("top")).unwrap(),
            [root.to_path_buf()]
        );
        let lone = tempdir::Dir::new();
        if lone
            .path()
            .ancestors()
            .all(|d| !d.join("Cargo.toml").is_file())
        {
            assert!(cargo_selection(lone.path(), None)
                .unwrap_err()
                .starts_with("could not find `Cargo.toml`"));
        }
    }

    #[test]
    fn targets_by_cargo_rules() {
        let (dir, p) = package(&[
            (
                "Cargo.toml",
                "[package]\nname = \"p\"\nedition = \"2021\"\n",
            ),
            ("src/lib.rs", ""),
            ("src/main.rs", ""),
            ("src/bin/a.rs", ""),
            ("src/bin/b/main.rs", ""),
            ("src/bin/b/util.rs", ""),
            ("src/util.rs", ""),
            ("tests/t.rs", ""),
            ("examples/e/main.rs", ""),
        ]);
        let p = p.unwrap().unwrap();
        assert_eq!(p.name, "p");
        assert_eq!(p.edition, Edition::E2021);
        let rel: Vec<String> = p
            .targets
            .iter()
            .map(|t| t.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            rel,
            [
                "src/lib.rs",
                "src/main.rs",
                "src/bin/a.rs",
                "src/bin/b/main.rs",
                "examples/e/main.rs",
                "tests/t.rs"
            ]
        );
    }

    #[test]
    fn explicit_paths_and_inherited_edition() {
        let (dir, p) = package(&[
            (
                "Cargo.toml",
                "[workspace]\n[workspace.package]\nedition = \"2018\"\n\n[package]\nname = \"q\"\n\
                 edition.workspace = true\nautobins = false\n\n[lib]\npath = \"lib/q.rs\"\n\n\
                 [[bin]]\nname = \"tool\"\npath = \"tools/tool.rs\"\n",
            ),
            ("lib/q.rs", ""),
            ("tools/tool.rs", ""),
            ("src/main.rs", ""),
        ]);
        let p = p.unwrap().unwrap();
        assert_eq!(p.edition, Edition::E2018);
        let rel: Vec<String> = p
            .targets
            .iter()
            .map(|t| t.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(rel, ["lib/q.rs", "tools/tool.rs"]);
    }

    #[test]
    fn bad_toml_says_where() {
        let (_dir, p) = package(&[("Cargo.toml", "[package]\nname = \"p\"\nedition = 2021 x\n")]);
        let err = p.unwrap_err();
        assert!(err.starts_with("line 3, column "), "{err}");
    }

    #[test]
    fn editions_as_toml_writes_them() {
        let dir = Path::new("/nonexistent-borrowlens-dir");
        let e = |text: &str| manifest_edition(dir, text);
        assert_eq!(
            e("[package]\nname = \"x\"\nedition = \"2021\" # why\n[dependencies]\nedition = \"2015\"\n"),
            Some(Edition::E2021)
        );
        assert_eq!(e("[package]\nname = 'x'\n"), Some(Edition::E2015));
        assert_eq!(
            e("package = { name = \"x\", edition = \"2018\" }\n"),
            Some(Edition::E2018)
        );
        // Inherited from a workspace that is not there: cargo's default.
        assert_eq!(
            e("[package]\nedition = { workspace = true }\n"),
            Some(Edition::E2015)
        );
        assert_eq!(
            e("[workspace]\n[workspace.package]\nedition = \"2024\"\n"),
            None
        );
        assert_eq!(e("[package\n"), None);
    }

    #[test]
    fn a_virtual_manifest_is_no_package() {
        let (_dir, p) = package(&[("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n")]);
        assert_eq!(p, Ok(None));
    }
}
