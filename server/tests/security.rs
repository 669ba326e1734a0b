//! borrowlens never runs anything from the code it reads, and writes nothing.
//!
//! A hostile workspace: a `build.rs`, a proc-macro crate (with a build script of its own) that
//! the code uses, a `.cargo/config.toml` whose `rustc-wrapper` and runner are scripts, and, first
//! on `PATH`, fake `cargo`, `rustc`, `rustup`, `rustfmt`, `rust-analyzer` and `git`. Each of them
//! would leave a marker file if it ran. The workspace is opened in the language server (indexed,
//! a file opened, edited, hovered, watched files changed) and checked with `borrowlens check`;
//! no marker appears, the workspace is unchanged, and the (empty) home directory stays empty:
//! borrowlens keeps no cache on disk.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use serde_json::{json, Value};
use support::{file_uri, Client};

/// A fresh directory for the test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("borrowlens-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir(path.canonicalize().unwrap())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// An executable shell script that leaves the marker `name` in `markers` when it runs.
fn hostile_script(path: &Path, markers: &Path, name: &str) {
    write(
        path,
        &format!("#!/bin/sh\necho ran > '{}'\n", markers.join(name).display()),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Every file under `dir` with its size and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime)> {
    let mut acc = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                acc.insert(entry.path(), (meta.len(), meta.modified().unwrap()));
            }
        }
    }
    acc
}

fn markers_left(markers: &Path) -> Vec<String> {
    fs::read_dir(markers)
        .unwrap()
        .flatten()
        .map(|it| it.file_name().to_string_lossy().into_owned())
        .collect()
}

/// The hostile workspace under `root/ws`, its markers going to `root/markers`, fake tools in
/// `root/bin`.
struct Hostile {
    ws: PathBuf,
    markers: PathBuf,
    bin: PathBuf,
    home: PathBuf,
}

fn hostile(root: &Path) -> Hostile {
    let (ws, markers, bin, home) = (
        root.join("ws"),
        root.join("markers"),
        root.join("bin"),
        root.join("home"),
    );
    for dir in [&ws, &markers, &bin, &home] {
        fs::create_dir_all(dir).unwrap();
    }
    let marker = |name: &str| markers.join(name).display().to_string();
    write(
        &ws.join("Cargo.toml"),
        "[package]\nname = \"victim\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n\n\
         [dependencies]\nevil = { path = \"evil\" }\n",
    );
    write(
        &ws.join("build.rs"),
        &format!(
            "fn main() {{\n    std::fs::write({:?}, \"ran\").unwrap();\n}}\n",
            marker("build-rs")
        ),
    );
    write(
        &ws.join("src/main.rs"),
        "#[evil::attack]\nfn main() {\n    let mut v = vec![1];\n    let first = &v[0];\n    v.push(2);\n    evil::bang!(first);\n}\n",
    );
    write(
        &ws.join("evil/Cargo.toml"),
        "[package]\nname = \"evil\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n\n[lib]\nproc-macro = true\n",
    );
    write(
        &ws.join("evil/build.rs"),
        &format!(
            "fn main() {{\n    std::fs::write({:?}, \"ran\").unwrap();\n}}\n",
            marker("proc-macro-build-rs")
        ),
    );
    write(
        &ws.join("evil/src/lib.rs"),
        &format!(
            "use proc_macro::TokenStream;\n\n#[proc_macro_attribute]\npub fn attack(_: TokenStream, item: TokenStream) -> TokenStream {{\n    std::fs::write({:?}, \"ran\").unwrap();\n    item\n}}\n\n#[proc_macro]\npub fn bang(_: TokenStream) -> TokenStream {{\n    std::fs::write({:?}, \"ran\").unwrap();\n    TokenStream::new()\n}}\n",
            marker("proc-macro-attribute"),
            marker("proc-macro-bang")
        ),
    );
    hostile_script(&ws.join(".cargo/wrapper.sh"), &markers, "rustc-wrapper");
    hostile_script(&ws.join(".cargo/runner.sh"), &markers, "runner");
    write(
        &ws.join(".cargo/config.toml"),
        &format!(
            "[build]\nrustc-wrapper = {:?}\n\n[target.'cfg(all())']\nrunner = {:?}\n",
            ws.join(".cargo/wrapper.sh").display().to_string(),
            ws.join(".cargo/runner.sh").display().to_string()
        ),
    );
    for tool in [
        "cargo",
        "rustc",
        "rustup",
        "rustfmt",
        "rust-analyzer",
        "git",
    ] {
        hostile_script(&bin.join(tool), &markers, tool);
    }
    Hostile {
        ws,
        markers,
        bin,
        home,
    }
}

impl Hostile {
    /// `PATH` with the fake tools first.
    fn path(&self) -> String {
        format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// The environment a hostile command runs in: fake tools first, an empty home.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_borrowlens"));
        command
            .args(args)
            .current_dir(&self.ws)
            .env("PATH", self.path())
            .env("HOME", &self.home)
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("CARGO_HOME", self.home.join(".cargo"));
        command
    }
}

/// The markers are real: the fake tools do leave them when they run.
#[test]
fn the_hostile_tools_leave_markers_when_run() {
    let root = TempDir::new("security-control");
    let h = hostile(&root.0);
    let status = Command::new(h.bin.join("cargo"))
        .arg("build")
        .status()
        .unwrap();
    assert!(status.success());
    let status = Command::new("sh")
        .arg(h.ws.join(".cargo/wrapper.sh"))
        .status()
        .unwrap();
    assert!(status.success());
    let mut left = markers_left(&h.markers);
    left.sort();
    assert_eq!(left, ["cargo", "rustc-wrapper"]);
}

#[test]
fn check_runs_nothing_from_the_workspace_and_writes_nothing() {
    let root = TempDir::new("security-check");
    let h = hostile(&root.0);
    let before = snapshot(&h.ws);
    let output = h
        .command(&["check", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "the E0502 of src/main.rs: {output:?}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("\"code\":\"E0502\"") && stdout.contains("src/main.rs"),
        "{stdout}"
    );
    assert_eq!(markers_left(&h.markers), Vec::<String>::new());
    assert_eq!(snapshot(&h.ws), before, "the workspace changed");
    assert!(
        snapshot(&h.home).is_empty(),
        "something was written to HOME"
    );
}

#[test]
fn the_language_server_runs_nothing_from_the_workspace_and_writes_nothing() {
    let root = TempDir::new("security-lsp");
    let h = hostile(&root.0);
    let before = snapshot(&h.ws);
    let mut client = Client::spawn_with(&mut h.command(&["lsp"]));
    client.initialize(json!({
        "capabilities": {
            "window": {"workDoneProgress": true},
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}, "workspaceFolders": true},
        },
        "workspaceFolders": [{"uri": file_uri(&h.ws), "name": "victim"}],
    }));
    client.notify("initialized", json!({}));
    let end = client.wait_for("the end of indexing", |it| {
        it["method"] == "$/progress" && it["params"]["value"]["kind"] == "end"
    });
    assert_eq!(
        end["params"]["value"]["message"], "4 Rust files indexed",
        "build.rs, src/main.rs, evil/build.rs, evil/src/lib.rs"
    );
    let main = h.ws.join("src/main.rs");
    let uri = file_uri(&main);
    client.open(&uri, &fs::read_to_string(&main).unwrap());
    let diags = client.diagnostics(&uri, Some(1));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "E0502");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "// edited\n"}]}),
    );
    client.diagnostics(&uri, Some(2));
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 9}}),
    );
    assert!(hover.is_ok(), "{hover:?}");
    let build = h.ws.join("build.rs");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&build), "type": 2}, {"uri": file_uri(&h.ws.join("Cargo.toml")), "type": 2}]}),
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let status = client.request("borrowlens/status", Value::Null).unwrap();
    assert_eq!(status["files"].as_array().unwrap().len(), 4, "{status}");
    assert_eq!(client.shutdown_and_exit().code(), Some(0));

    assert_eq!(markers_left(&h.markers), Vec::<String>::new());
    assert_eq!(snapshot(&h.ws), before, "the workspace changed");
    assert!(
        snapshot(&h.home).is_empty(),
        "something was written to HOME"
    );
}
