//! The cargo package and target a file belongs to, as cargo's JSON messages name them
//! (`package_id`, `manifest_path`, `target`), for `--message-format json`.
//!
//! Found from the files alone, as `edition` finds a file's edition: the nearest enclosing
//! Cargo.toml with a `[package]` (read with the `toml` crate: its `name` and `version`), and the target
//! from where the file sits in it, by cargo's conventions (`src/bin/`, `examples/`, `tests/`,
//! `benches/`, else the library when there is a `src/lib.rs`, else the binary `src/main.rs`).
//! A module file is reported under the target whose crate it most likely belongs to; the module
//! tree is not followed. A file in no package is its own package, as cargo's single-file packages
//! (`cargo -Zscript`) are: the file stands for the manifest, its stem names the binary.

use std::fs;
use std::path::{Path, PathBuf};

use borrowlens_analysis::Edition;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// cargo's package id: `path+file:///dir#name@version`, or `path+file:///dir#version` when
    /// the directory is named after the package.
    pub id: String,
    pub manifest_path: String,
    /// `lib`, `bin`, `example`, `test` or `bench`.
    pub target_kind: &'static str,
    pub target_name: String,
    pub src_path: String,
    pub edition: &'static str,
}

impl Package {
    /// rustc's crate type for the target: `lib` for the library, `bin` for the others.
    pub fn crate_type(&self) -> &'static str {
        if self.target_kind == "lib" {
            "lib"
        } else {
            "bin"
        }
    }
}

/// The package and target of `file`, compiled with `edition`.
pub fn of_file(file: &Path, edition: Edition) -> Package {
    let file = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let edition = match edition {
        Edition::E2015 => "2015",
        Edition::E2018 => "2018",
        Edition::E2021 => "2021",
        Edition::E2024 => "2024",
    };
    let found = file.parent().and_then(|dir| {
        dir.ancestors().find_map(|root| {
            let text = fs::read_to_string(root.join("Cargo.toml")).ok()?;
            Some((
                root.to_path_buf(),
                manifest_key(&text, "package", "name")?,
                text,
            ))
        })
    });
    let Some((root, name, manifest)) = found else {
        let stem = file.file_stem().map_or("main".to_string(), |it| {
            it.to_string_lossy().replace('-', "_")
        });
        return Package {
            id: package_id(&file, &stem, "0.0.0"),
            manifest_path: file.display().to_string(),
            target_kind: "bin",
            target_name: stem,
            src_path: file.display().to_string(),
            edition,
        };
    };
    let version = manifest_key(&manifest, "package", "version")
        .or_else(|| workspace_version(&root))
        .unwrap_or_else(|| "0.0.0".to_string());
    let (target_kind, target_name, src_path) = target(&root, &file, &name);
    Package {
        id: package_id(&root, &name, &version),
        manifest_path: root.join("Cargo.toml").display().to_string(),
        target_kind,
        target_name,
        src_path: src_path.display().to_string(),
        edition,
    }
}

fn package_id(dir: &Path, name: &str, version: &str) -> String {
    let url = format!("path+file://{}", dir.display());
    if dir.file_name().is_some_and(|it| it == name) {
        format!("{url}#{version}")
    } else {
        format!("{url}#{name}@{version}")
    }
}

/// The target `file` belongs to in the package at `root`: its kind, name and crate root.
fn target(root: &Path, file: &Path, package: &str) -> (&'static str, String, PathBuf) {
    let relative: Vec<String> = file
        .strip_prefix(root)
        .map(|it| {
            it.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let named = |dir: &[&str], kind: &'static str| {
        let rest =
            relative.strip_prefix(&dir.iter().map(|it| it.to_string()).collect::<Vec<_>>()[..])?;
        let (first, more) = rest.split_first()?;
        let base = root.join(dir.join("/"));
        Some(match more.is_empty() {
            true => {
                let name = first.strip_suffix(".rs")?.to_string();
                (kind, name, base.join(first))
            }
            false => (kind, first.clone(), base.join(first).join("main.rs")),
        })
    };
    named(&["src", "bin"], "bin")
        .or_else(|| named(&["examples"], "example"))
        .or_else(|| named(&["tests"], "test"))
        .or_else(|| named(&["benches"], "bench"))
        .unwrap_or_else(|| {
            let lib = root.join("src/lib.rs");
            if lib.is_file() {
                ("lib", package.replace('-', "_"), lib)
            } else {
                ("bin", package.to_string(), root.join("src/main.rs"))
            }
        })
}

/// `[workspace.package] version` of the nearest workspace manifest at or above `dir`.
fn workspace_version(dir: &Path) -> Option<String> {
    dir.ancestors().find_map(|it| {
        let text = fs::read_to_string(it.join("Cargo.toml")).ok()?;
        manifest_key(&text, "workspace.package", "version")
    })
}

/// The string value of `key` in the table `section` (dotted: `workspace.package`), read with
/// the `toml` crate.
fn manifest_key(text: &str, section: &str, key: &str) -> Option<String> {
    let table: toml::Table = text.parse().ok()?;
    let mut cur = &table;
    for part in section.split('.') {
        cur = cur.get(part)?.as_table()?;
    }
    cur.get(key)?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_by_cargo_conventions_and_lone_files() {
        let root = std::env::temp_dir().join(format!("borrowlens-package-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let dir = root.join("pkg");
        for (file, text) in [
            (
                "Cargo.toml",
                "[package]\nname = \"my-pkg\" # the name\nversion = \"1.2.3\"\n",
            ),
            ("src/lib.rs", ""),
            ("src/a/b.rs", ""),
            ("src/bin/tool.rs", ""),
            ("src/bin/big/util.rs", ""),
            ("examples/demo.rs", ""),
        ] {
            let path = dir.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let of = |file: &str| of_file(&dir.join(file), Edition::E2021);
        let lib = of("src/a/b.rs");
        assert_eq!(
            lib.id,
            format!("path+file://{}#my-pkg@1.2.3", dir.display())
        );
        assert_eq!(
            lib.manifest_path,
            dir.join("Cargo.toml").display().to_string()
        );
        assert_eq!(
            (lib.target_kind, lib.target_name.as_str()),
            ("lib", "my_pkg")
        );
        assert_eq!(lib.src_path, dir.join("src/lib.rs").display().to_string());
        assert_eq!((lib.crate_type(), lib.edition), ("lib", "2021"));
        let bin = of("src/bin/tool.rs");
        assert_eq!((bin.target_kind, bin.target_name.as_str()), ("bin", "tool"));
        let big = of("src/bin/big/util.rs");
        assert_eq!(
            big.src_path,
            dir.join("src/bin/big/main.rs").display().to_string()
        );
        assert_eq!(of("examples/demo.rs").target_kind, "example");

        let lone = root.join("lone-file.rs");
        fs::write(&lone, "").unwrap();
        let it = of_file(&lone, Edition::E2015);
        assert_eq!(it.manifest_path, lone.display().to_string());
        assert_eq!(
            (it.target_kind, it.target_name.as_str()),
            ("bin", "lone_file")
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
