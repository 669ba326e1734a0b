//! Which edition a file is compiled with, when `--edition` does not say: a compiletest directive in
//! the file, else the nearest enclosing Cargo.toml's package, else rustc's default for a lone file.
//!
//! Cargo.toml is read with the `toml` crate (`project::manifest_edition`): the `edition` of
//! `[package]`, or of `[workspace.package]` for `edition.workspace = true`.

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
        let found = dir.ancestors().find_map(|ancestor| {
            let text = fs::read_to_string(ancestor.join("Cargo.toml")).ok()?;
            crate::project::manifest_edition(ancestor, &text)
        });
        self.by_dir.insert(dir.to_path_buf(), found);
        found
    }
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
