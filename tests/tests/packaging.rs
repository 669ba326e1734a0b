//! The crates stay publishable (`cargo package --workspace`, which `.ci/run` runs): every path
//! dependency of the workspace has a version beside its path (crates.io keeps the version and
//! drops the path), and every published crate has the metadata crates.io shows. Read from the
//! manifests, line by line: `cargo package` itself needs the registry's index, this test nothing.

use std::fs;

use borrowlens_tests::workspace_root;

/// The `[section]` of a manifest: its `key = value` lines, as written.
fn section(text: &str, name: &str) -> Vec<(String, String)> {
    let mut current = String::new();
    let mut acc = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            current = line.trim_matches(|c| c == '[' || c == ']').to_string();
        } else if let Some((key, value)) = line.split_once('=') {
            if current == name && !line.starts_with('#') {
                acc.push((key.trim().to_string(), value.trim().to_string()));
            }
        }
    }
    acc
}

#[test]
fn path_dependencies_have_versions_and_published_crates_their_metadata() {
    let root = workspace_root();
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = section(&manifest, "workspace")
        .into_iter()
        .find(|(key, _)| key == "members")
        .expect("[workspace] members")
        .1;
    for (name, value) in section(&manifest, "workspace.dependencies") {
        if value.contains("path =") {
            assert!(
                value.contains("version ="),
                "{name} = {value}: a path without a version"
            );
        }
    }
    let shared: Vec<String> = section(&manifest, "workspace.package")
        .into_iter()
        .map(|it| it.0)
        .collect();
    let mut published = Vec::new();
    for member in members.trim_matches(|c| c == '[' || c == ']').split(',') {
        let member = member.trim().trim_matches('"');
        let text = fs::read_to_string(root.join(member).join("Cargo.toml")).unwrap();
        let package = section(&text, "package");
        let has = |key: &str| {
            package.iter().any(|(k, _)| k == key)
                || (package
                    .iter()
                    .any(|(k, v)| k == &format!("{key}.workspace") && v == "true")
                    && shared.iter().any(|it| it == key))
        };
        for (name, value) in section(&text, "dependencies") {
            if value.contains("path =") {
                assert!(value.contains("version ="), "{member}: {name} = {value}");
            }
        }
        if package.iter().any(|(k, v)| k == "publish" && v == "false") {
            continue;
        }
        for key in [
            "description",
            "license",
            "repository",
            "readme",
            "keywords",
            "categories",
        ] {
            assert!(has(key), "{member} is published and has no `{key}`");
        }
        published.push(member.to_string());
    }
    assert_eq!(published, ["analysis", "server"]);
}
