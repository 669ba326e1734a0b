//! Which edition a file is compiled with, when `--edition` does not say: a compiletest directive in
//! the file, else the nearest enclosing Cargo.toml's package, else rustc's default for a lone file.
//!
//! Cargo.toml is read line by line, not parsed as TOML: the `edition` of `[package]` and of
//! `[workspace.package]` are all we need, and they are written as one `key = "value"` line in
//! practice. That keeps the server free of a TOML parser.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use borrowlens_analysis::Edition;

/// rustc's edition for a file given without one, and cargo's for a package that names none.
pub const DEFAULT: Edition = Edition::E2015;

/// How many lines from the top of a file a directive may sit in.
const DIRECTIVE_LINES: usize = 30;

/// The edition a compiletest directive in the first 30 lines asks for: `//@ edition:2021`, the
/// older `// edition:2018`, or `--edition` in a `//@ compile-flags:` line.
pub fn from_directive(text: &str) -> Option<Edition> {
    text.lines().take(DIRECTIVE_LINES).find_map(|line| {
        let body = line.trim_start().strip_prefix("//")?;
        let body = body.strip_prefix('@').unwrap_or(body).trim_start();
        if let Some(value) = body
            .strip_prefix("edition")
            .and_then(|rest| rest.trim_start().strip_prefix(':'))
        {
            return Edition::from_str(value.trim().get(..4)?);
        }
        let flags = body
            .strip_prefix("compile-flags")?
            .trim_start()
            .strip_prefix(':')?;
        let mut words = flags.split_whitespace();
        while let Some(word) = words.next() {
            if word == "--edition" {
                return Edition::from_str(words.next()?);
            }
            if let Some(value) = word.strip_prefix("--edition=") {
                return Edition::from_str(value);
            }
        }
        None
    })
}

/// Finds the edition of the package a file belongs to, remembering each directory's answer so a
/// directory of many files reads its Cargo.toml files once.
#[derive(Default)]
pub struct CargoEditions {
    by_dir: HashMap<PathBuf, Option<Edition>>,
}

impl CargoEditions {
    /// The edition of the nearest enclosing Cargo.toml that has a `[package]`; `None` when the file
    /// is in no package. A manifest without `[package]` (a virtual workspace manifest) is passed
    /// by, since no file belongs to it.
    pub fn for_file(&mut self, file: &Path) -> Option<Edition> {
        let file = std::path::absolute(file).ok()?;
        let dir = file.parent()?;
        if let Some(&known) = self.by_dir.get(dir) {
            return known;
        }
        let mut found = None;
        for ancestor in dir.ancestors() {
            if let Some(manifest) = Manifest::read(ancestor) {
                if let Some(package) = manifest.package {
                    found = Some(match package {
                        PackageEdition::Given(edition) => edition,
                        PackageEdition::Inherited => workspace_edition(ancestor).unwrap_or(DEFAULT),
                        PackageEdition::Unset => DEFAULT,
                    });
                    break;
                }
            }
        }
        self.by_dir.insert(dir.to_path_buf(), found);
        found
    }
}

/// `[workspace.package] edition` of the nearest workspace manifest at or above a package's directory.
fn workspace_edition(package_dir: &Path) -> Option<Edition> {
    package_dir
        .ancestors()
        .find_map(|dir| Manifest::read(dir).filter(|it| it.is_workspace))?
        .workspace_edition
}

#[derive(Debug, PartialEq, Eq)]
enum PackageEdition {
    Given(Edition),
    /// `edition.workspace = true`
    Inherited,
    /// No `edition` key, or one we cannot read: cargo's default.
    Unset,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Manifest {
    package: Option<PackageEdition>,
    is_workspace: bool,
    workspace_edition: Option<Edition>,
}

impl Manifest {
    fn read(dir: &Path) -> Option<Manifest> {
        fs::read_to_string(dir.join("Cargo.toml"))
            .ok()
            .map(|text| Manifest::parse(&text))
    }

    fn parse(text: &str) -> Manifest {
        let mut manifest = Manifest::default();
        let mut section = String::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.starts_with('[') {
                section = line.trim_matches(|c| c == '[' || c == ']').replace(' ', "");
                match section.as_str() {
                    "package" => manifest.package = Some(PackageEdition::Unset),
                    "workspace" => manifest.is_workspace = true,
                    _ => {}
                }
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let key = key.replace(' ', "");
            let value = value.trim();
            match (section.as_str(), key.as_str()) {
                ("package", "edition") => {
                    manifest.package = Some(if value.starts_with('{') {
                        if value.replace(' ', "").contains("workspace=true") {
                            PackageEdition::Inherited
                        } else {
                            PackageEdition::Unset
                        }
                    } else {
                        unquote(value)
                            .and_then(Edition::from_str)
                            .map_or(PackageEdition::Unset, PackageEdition::Given)
                    });
                }
                ("package", "edition.workspace") if value == "true" => {
                    manifest.package = Some(PackageEdition::Inherited);
                }
                ("workspace.package", "edition") => {
                    manifest.workspace_edition = unquote(value).and_then(Edition::from_str)
                }
                _ => {}
            }
        }
        manifest
    }
}

fn unquote(value: &str) -> Option<&str> {
    let quote = value.chars().next().filter(|&c| c == '"' || c == '\'')?;
    value[1..].split(quote).next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        assert_eq!(
            from_directive("//@ edition:2021\nfn main() {}"),
            Some(Edition::E2021)
        );
        assert_eq!(from_directive("// edition:2018\n"), Some(Edition::E2018));
        assert_eq!(from_directive("//@ edition: 2024"), Some(Edition::E2024));
        assert_eq!(
            from_directive("//@ compile-flags: -O --edition 2018"),
            Some(Edition::E2018)
        );
        assert_eq!(
            from_directive("//@ compile-flags: --edition=2021"),
            Some(Edition::E2021)
        );
        assert_eq!(from_directive("// editions differ: see below\n"), None);
        assert_eq!(from_directive("fn main() {}\n"), None);
        let late = format!("{}//@ edition:2021\n", "\n".repeat(30));
        assert_eq!(from_directive(&late), None, "only the first 30 lines count");
    }

    #[test]
    fn manifests() {
        let package = Manifest::parse("[package]\nname = \"x\"\nedition = \"2021\" # why\n[dependencies]\nedition = \"2015\"\n");
        assert_eq!(package.package, Some(PackageEdition::Given(Edition::E2021)));
        assert!(!package.is_workspace);

        let old = Manifest::parse("[package]\nname = 'x'\n");
        assert_eq!(old.package, Some(PackageEdition::Unset));

        let member = Manifest::parse("[package]\nedition.workspace = true\n");
        assert_eq!(member.package, Some(PackageEdition::Inherited));
        let member = Manifest::parse("[package]\nedition = { workspace = true }\n");
        assert_eq!(member.package, Some(PackageEdition::Inherited));

        let root = Manifest::parse(
            "[workspace]\nmembers = []\n\n[workspace.package]\nedition = \"2024\"\n",
        );
        assert_eq!(root.package, None);
        assert!(root.is_workspace);
        assert_eq!(root.workspace_edition, Some(Edition::E2024));
    }

    #[test]
    fn nearest_package_wins_and_workspaces_are_followed() {
        let root = std::env::temp_dir().join(format!("borrowlens-edition-{}", std::process::id()));
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[workspace]\nmembers = [\"a\", \"b\"]\n[workspace.package]\nedition = \"2024\"\n",
        );
        write(
            "a/Cargo.toml",
            "[package]\nname = \"a\"\nedition.workspace = true\n",
        );
        write(
            "b/Cargo.toml",
            "[package]\nname = \"b\"\nedition = \"2018\"\n",
        );
        write("c/Cargo.toml", "[package]\nname = \"c\"\n");

        let mut cargo = CargoEditions::default();
        assert_eq!(
            cargo.for_file(&root.join("a/src/deep/m.rs")),
            Some(Edition::E2024)
        );
        assert_eq!(
            cargo.for_file(&root.join("b/src/lib.rs")),
            Some(Edition::E2018)
        );
        assert_eq!(
            cargo.for_file(&root.join("c/src/lib.rs")),
            Some(Edition::E2015)
        );
        // The root manifest is virtual: a file beside it belongs to no package here, so the search
        // goes on upwards (and finds nothing in the temporary directory).
        assert_eq!(
            cargo.for_file(&root.join("examples/x.rs")),
            workspace_outside(&root)
        );
        fs::remove_dir_all(&root).unwrap();
    }

    /// Whatever the real directories above the temporary directory say (normally nothing).
    fn workspace_outside(root: &Path) -> Option<Edition> {
        CargoEditions::default().for_file(&root.parent().unwrap().join("x.rs"))
    }
}
