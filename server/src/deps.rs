//! A package's dependencies, as cargo resolved them, without running cargo: the exact versions
//! from `Cargo.lock`, the names the code uses from the manifests (`[dependencies]`,
//! `[target.'..'.dependencies]`, `[dev-dependencies]` for examples, tests and benches, renames
//! with `package = ".."`, `workspace = true`), and each dependency's source where cargo
//! unpacked it: the registry's `$CARGO_HOME/registry/src/*/NAME-VERSION`, a git checkout
//! (`$CARGO_HOME/git/checkouts/*/REV`), or a path. Only read: what is not on disk is unknown,
//! and said once.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use borrowlens_analysis::Edition;

use crate::project::Package;

/// A dependency crate found on disk (a library target).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepCrate {
    /// Its library's crate name (`regex_syntax`).
    pub name: String,
    pub root: PathBuf,
    /// The folder of its manifest: its files are read from there on.
    pub dir: PathBuf,
    pub edition: Edition,
    /// Its own dependencies: the name its code uses, and an index into `Dependencies::crates`.
    pub deps: Vec<(String, usize)>,
}

/// A package's dependency graph.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dependencies {
    /// The crates of the graph, found on disk.
    pub crates: Vec<DepCrate>,
    /// The package's dependencies (`[dependencies]`, and target-specific ones) by the names its
    /// code uses; `dev` adds `[dev-dependencies]`, for examples, tests and benches.
    pub normal: Vec<(String, usize)>,
    pub dev: Vec<(String, usize)>,
    /// Dependencies in the lock file whose sources are not on disk (`name version`).
    pub missing: Vec<String>,
    /// What could not be read: a lock file that is not TOML, a manifest that is not.
    pub problems: Vec<String>,
}

impl Dependencies {
    /// The graph without the dev-dependencies: the crates that the package's library and
    /// binaries reach, renumbered; examples, tests and benches see only these.
    pub fn without_dev(&self) -> Dependencies {
        let mut keep = vec![false; self.crates.len()];
        let mut todo: Vec<usize> = self.normal.iter().map(|(_, k)| *k).collect();
        while let Some(k) = todo.pop() {
            if !std::mem::replace(&mut keep[k], true) {
                todo.extend(self.crates[k].deps.iter().map(|(_, d)| *d));
            }
        }
        let mut at = vec![usize::MAX; self.crates.len()];
        let mut crates = Vec::new();
        for (k, c) in self.crates.iter().enumerate() {
            if keep[k] {
                at[k] = crates.len();
                crates.push(c.clone());
            }
        }
        let renumber = |deps: &[(String, usize)]| -> Vec<(String, usize)> {
            deps.iter()
                .filter(|(_, k)| keep[*k])
                .map(|(n, k)| (n.clone(), at[*k]))
                .collect()
        };
        for c in &mut crates {
            c.deps = renumber(&c.deps);
        }
        let normal = renumber(&self.normal);
        Dependencies {
            crates,
            dev: normal.clone(),
            normal,
            missing: self.missing.clone(),
            problems: self.problems.clone(),
        }
    }
}

/// One `[[package]]` of `Cargo.lock`.
#[derive(Clone, Debug)]
struct Locked {
    name: String,
    version: String,
    source: Option<String>,
    /// `name`, `name version` or `name version (source)`.
    dependencies: Vec<String>,
}

/// A dependency as a manifest declares it.
#[derive(Clone, Debug)]
struct Declared {
    /// The key (the name the code uses, `-` made `_`, when renamed).
    key: String,
    package: String,
    path: Option<PathBuf>,
    renamed: bool,
    /// Whether cargo needs it for `cargo check` with the default features: not a
    /// dev-dependency, not target-specific, not optional unless a default feature enables it.
    /// Only those are named when missing; the others are read when on disk.
    needed: bool,
    optional: bool,
}

/// `CARGO_HOME`, or `~/.cargo`.
pub fn cargo_home() -> Option<PathBuf> {
    if let Some(h) = std::env::var_os("CARGO_HOME") {
        return Some(PathBuf::from(h));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo"))
}

/// The dependencies of `package`, with `cargo_home` as cargo's home.
pub fn resolve(package: &Package, cargo_home: Option<&Path>) -> Dependencies {
    let mut out = Dependencies::default();
    let Some(lock_path) = package
        .root
        .ancestors()
        .map(|d| d.join("Cargo.lock"))
        .find(|p| p.is_file())
    else {
        return out;
    };
    let locked = match read_lock(&lock_path) {
        Ok(l) => l,
        Err(e) => {
            out.problems.push(format!("{}: {e}", lock_path.display()));
            return out;
        }
    };
    let Some(me) = locked.iter().position(|l| {
        l.name == package.name
            && l.source.is_none()
            && package.version.as_ref().is_none_or(|v| *v == l.version)
    }) else {
        return out;
    };
    let manifest = match read_table(&package.root.join("Cargo.toml")) {
        Ok(t) => t,
        Err(e) => {
            out.problems.push(e);
            return out;
        }
    };
    let mut r = Resolver {
        locked: &locked,
        cargo_home,
        registry_dirs: cargo_home
            .and_then(|h| fs::read_dir(h.join("registry/src")).ok())
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default(),
        done: HashMap::new(),
        out: &mut out,
    };
    let mut normal = declared(&manifest, &package.root, &["dependencies"]);
    let enabled = default_deps(&manifest);
    for d in normal.iter_mut().filter(|d| d.optional) {
        d.needed &= enabled.contains(&d.key);
    }
    let mut dev = declared(&manifest, &package.root, &["dev-dependencies"]);
    dev.iter_mut().for_each(|d| d.needed = false);
    let normal = r.link(me, &normal, true);
    let dev = r.link(me, &dev, true);
    out.normal = normal;
    out.dev = out.normal.iter().cloned().chain(dev).collect();
    out.missing.sort();
    out.missing.dedup();
    out
}

struct Resolver<'a> {
    locked: &'a [Locked],
    cargo_home: Option<&'a Path>,
    registry_dirs: Vec<PathBuf>,
    /// Lock entries already visited: their crate, `None` when not on disk.
    done: HashMap<usize, Option<usize>>,
    out: &'a mut Dependencies,
}

impl Resolver<'_> {
    /// The declared dependencies of lock entry `of`, each matched with the lock's choice and
    /// found on disk: (the name the code uses, the crate).
    fn link(&mut self, of: usize, declared: &[Declared], needed: bool) -> Vec<(String, usize)> {
        let mut linked = Vec::new();
        let entry = self.locked[of].clone();
        for d in declared {
            // The lock lists the dependencies that cargo activated; others (optional ones off)
            // are not there.
            let Some(dep) = entry.dependencies.iter().find_map(|spec| {
                let mut parts = spec.split(' ');
                let name = parts.next()?;
                if name != d.package {
                    return None;
                }
                let version = parts.next();
                self.locked
                    .iter()
                    .position(|l| l.name == name && version.is_none_or(|v| v == l.version))
            }) else {
                continue;
            };
            let base = entry_dir(self, of).unwrap_or_default();
            let Some(k) = self.visit(dep, d, needed && d.needed, &base) else {
                continue;
            };
            let name = if d.renamed {
                d.key.replace('-', "_")
            } else {
                self.out.crates[k].name.clone()
            };
            linked.push((name, k));
        }
        linked
    }

    /// The crate of lock entry `i`, read with its own dependencies; `None` when its source is
    /// not on disk (then named in `missing`) or it is not a library one can name.
    fn visit(&mut self, i: usize, by: &Declared, needed: bool, base: &Path) -> Option<usize> {
        if let Some(done) = self.done.get(&i) {
            return *done;
        }
        self.done.insert(i, None);
        let l = &self.locked[i];
        let dir = match &l.source {
            None => by.path.as_ref().map(|p| base.join(p)),
            Some(s) if s.starts_with("registry+") || s.starts_with("sparse+") => {
                let leaf = format!("{}-{}", l.name, l.version);
                self.registry_dirs
                    .iter()
                    .map(|d| d.join(&leaf))
                    .find(|d| d.join("Cargo.toml").is_file())
            }
            Some(s) if s.starts_with("git+") => git_checkout(self.cargo_home, s, &l.name),
            Some(_) => None,
        };
        let Some(dir) = dir
            .map(|d| lexical(&d))
            .filter(|d| d.join("Cargo.toml").is_file())
        else {
            if needed {
                self.out.missing.push(format!("{} {}", l.name, l.version));
            }
            return None;
        };
        let manifest = match read_table(&dir.join("Cargo.toml")) {
            Ok(t) => t,
            Err(e) => {
                self.out.problems.push(e);
                return None;
            }
        };
        let lib = manifest.get("lib").and_then(|l| l.as_table());
        if lib
            .and_then(|l| l.get("proc-macro"))
            .and_then(|p| p.as_bool())
            .unwrap_or(false)
        {
            // Its items are macros, which this analysis does not expand.
            return None;
        }
        let root = dir.join(
            lib.and_then(|l| l.get("path"))
                .and_then(|p| p.as_str())
                .unwrap_or("src/lib.rs"),
        );
        if !root.is_file() {
            return None;
        }
        let package = manifest.get("package").and_then(|p| p.as_table());
        let edition = package
            .and_then(|p| p.get("edition"))
            .and_then(|e| e.as_str())
            .and_then(Edition::from_str)
            .unwrap_or(Edition::E2015);
        let name = lib
            .and_then(|l| l.get("name"))
            .and_then(|n| n.as_str())
            .map_or_else(|| l.name.replace('-', "_"), str::to_string);
        let k = self.out.crates.len();
        self.out.crates.push(DepCrate {
            name,
            root,
            dir: dir.clone(),
            edition,
            deps: Vec::new(),
        });
        self.done.insert(i, Some(k));
        let declared = declared(&manifest, &dir, &["dependencies"]);
        let deps = self.link(i, &declared, needed);
        self.out.crates[k].deps = deps;
        Some(k)
    }
}

/// The folder of lock entry `i` once visited (path dependencies are relative to it).
fn entry_dir(r: &Resolver, i: usize) -> Option<PathBuf> {
    let k = (*r.done.get(&i)?)?;
    Some(r.out.crates[k].dir.clone())
}

/// The checkout of a git source (`git+URL?rev#COMMIT`): `checkouts/*/SHORT` holding a manifest
/// of package `name`, at its top or one or two folders down (a workspace's member).
fn git_checkout(cargo_home: Option<&Path>, source: &str, name: &str) -> Option<PathBuf> {
    let commit = source.rsplit_once('#')?.1;
    let short = commit.get(..7)?;
    let checkouts = cargo_home?.join("git/checkouts");
    for repo in fs::read_dir(checkouts).ok()?.filter_map(|e| e.ok()) {
        let top = repo.path().join(short);
        if !top.is_dir() {
            continue;
        }
        let mut candidates = vec![top.clone()];
        for sub in read_dirs(&top) {
            candidates.extend(read_dirs(&sub));
            candidates.push(sub);
        }
        for dir in candidates {
            let Ok(t) = read_table(&dir.join("Cargo.toml")) else {
                continue;
            };
            let n = t.get("package").and_then(|p| p.get("name"));
            if n.and_then(|n| n.as_str()) == Some(name) {
                return Some(dir);
            }
        }
    }
    None
}

/// `a/b/../c` as `a/c`, without asking the file system (the analysis names files so).
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

fn read_dirs(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default()
}

fn read_table(path: &Path) -> Result<toml::Table, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.parse()
        .map_err(|e: toml::de::Error| format!("{}: {}", path.display(), e.message().trim()))
}

fn read_lock(path: &Path) -> Result<Vec<Locked>, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| format!("not a lock file: {}", e.message().trim()))?;
    let packages = table
        .get("package")
        .and_then(|p| p.as_array())
        .ok_or("no `[[package]]`")?;
    let s = |t: &toml::Value, k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
    Ok(packages
        .iter()
        .filter_map(|p| {
            Some(Locked {
                name: s(p, "name")?,
                version: s(p, "version")?,
                source: s(p, "source"),
                dependencies: p
                    .get("dependencies")
                    .and_then(|d| d.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        })
        .collect())
}

/// The dependencies a package's manifest declares in `tables` (and the same tables under each
/// `[target.'..']`), with `workspace = true` read from the workspace's manifest.
fn declared(manifest: &toml::Table, dir: &Path, tables: &[&str]) -> Vec<Declared> {
    let mut out = declared_in(manifest, dir, tables);
    let inherits = out.iter().any(|d| d.package.is_empty());
    if inherits {
        let ws = dir.ancestors().skip(1).find_map(|d| {
            let t = read_table(&d.join("Cargo.toml")).ok()?;
            let deps = t.get("workspace")?.get("dependencies")?.as_table()?.clone();
            Some((d.to_path_buf(), deps))
        });
        for d in &mut out {
            if !d.package.is_empty() {
                continue;
            }
            let Some((ws_dir, deps)) = &ws else { continue };
            let Some(v) = deps.get(&d.key) else { continue };
            let (package, path, renamed) = spec(&d.key, v, ws_dir);
            d.package = package;
            d.path = path;
            d.renamed = renamed;
        }
        out.retain(|d| !d.package.is_empty());
    }
    out
}

/// The dependencies declared in `tables` of a manifest; an inherited one (`workspace = true`)
/// has an empty `package`, for `declared` to fill.
fn declared_in(manifest: &toml::Table, dir: &Path, tables: &[&str]) -> Vec<Declared> {
    let mut out = Vec::new();
    let mut read = |t: &toml::Table, target_specific: bool| {
        for name in tables {
            let Some(deps) = t.get(*name).and_then(|d| d.as_table()) else {
                continue;
            };
            for (key, v) in deps {
                let (package, path, renamed) = spec(key, v, dir);
                let optional = v.get("optional").and_then(|o| o.as_bool()) == Some(true);
                out.push(Declared {
                    key: key.clone(),
                    package,
                    path,
                    renamed,
                    needed: !target_specific && !optional,
                    optional,
                });
            }
        }
    };
    read(manifest, false);
    if let Some(targets) = manifest.get("target").and_then(|t| t.as_table()) {
        let cfgs = host_cfgs();
        for (platform, t) in targets {
            let Some(t) = t.as_table() else { continue };
            if for_host(platform, &cfgs) {
                read(t, true);
            }
        }
    }
    out
}

/// The optional dependencies (by key) that the default features enable: `dep:x`, `x/feat`, or
/// a feature named `x` (an optional dependency's implicit feature), followed through features
/// that enable features.
fn default_deps(manifest: &toml::Table) -> Vec<String> {
    let features = manifest.get("features").and_then(|f| f.as_table());
    let mut enabled: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut todo = vec!["default".to_string()];
    while let Some(f) = todo.pop() {
        if seen.contains(&f) {
            continue;
        }
        seen.push(f.clone());
        let Some(list) = features.and_then(|t| t.get(&f)).and_then(|l| l.as_array()) else {
            // No such feature: an optional dependency's implicit one.
            enabled.push(f);
            continue;
        };
        for entry in list.iter().filter_map(|e| e.as_str()) {
            if let Some(dep) = entry.strip_prefix("dep:") {
                enabled.push(dep.to_string());
            } else if let Some((dep, _)) = entry.split_once('/') {
                // `x?/feat` enables `feat` only if `x` is on for another reason.
                if !dep.ends_with('?') {
                    enabled.push(dep.to_string());
                }
            } else {
                todo.push(entry.to_string());
            }
        }
    }
    enabled
}

/// Whether a `[target.'..']` key (a `cfg(..)` or a target triple) holds for the machine
/// borrowlens runs on, which is the one cargo checks for unless told otherwise.
fn for_host(platform: &str, cfgs: &[cargo_platform::Cfg]) -> bool {
    use std::env::consts::{ARCH, OS};
    match platform.parse::<cargo_platform::Platform>() {
        Ok(cargo_platform::Platform::Cfg(expr)) => expr.matches(cfgs),
        // A triple: `x86_64-unknown-linux-gnu`.
        Ok(cargo_platform::Platform::Name(name)) => {
            name.split('-').next() == Some(ARCH) && name.contains(OS)
        }
        Err(_) => false,
    }
}

/// The `cfg` values of this machine's target that manifests test.
fn host_cfgs() -> Vec<cargo_platform::Cfg> {
    use cargo_platform::Cfg::{KeyPair, Name};
    use std::env::consts::{ARCH, FAMILY, OS};
    let pair = |k: &str, v: &str| KeyPair(k.to_string(), v.to_string());
    let env = if cfg!(target_env = "gnu") {
        "gnu"
    } else if cfg!(target_env = "musl") {
        "musl"
    } else if cfg!(target_env = "msvc") {
        "msvc"
    } else {
        ""
    };
    let mut cfgs = vec![
        pair("target_os", OS),
        pair("target_family", FAMILY),
        pair("target_arch", ARCH),
        pair("target_pointer_width", &usize::BITS.to_string()),
        pair(
            "target_endian",
            if cfg!(target_endian = "little") {
                "little"
            } else {
                "big"
            },
        ),
        pair("target_env", env),
    ];
    if matches!(FAMILY, "unix" | "windows") {
        cfgs.push(Name(FAMILY.to_string()));
    }
    cfgs
}

/// The package a dependency entry names, its path (relative to `dir`'s manifest) and whether it
/// is renamed; an inherited entry has an empty package.
fn spec(key: &str, v: &toml::Value, dir: &Path) -> (String, Option<PathBuf>, bool) {
    let Some(t) = v.as_table() else {
        return (key.to_string(), None, false);
    };
    if t.get("workspace").and_then(|w| w.as_bool()) == Some(true) {
        return (String::new(), None, false);
    }
    let package = t.get("package").and_then(|p| p.as_str());
    let path = t.get("path").and_then(|p| p.as_str()).map(|p| dir.join(p));
    (package.unwrap_or(key).to_string(), path, package.is_some())
}
