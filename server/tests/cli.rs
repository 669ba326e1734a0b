//! The real `borrowlens` binary: usage errors, files that cannot be read, the JSON format, editions.
//!
//! While the analysis reports nothing, the checks on diagnostics are "pending": they pass when the
//! binary prints none, and once it prints any they must be exactly rustc's (checked with rustc
//! 1.95). Everything about usage, exit status and unreadable files is checked in full today.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

fn borrowlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_borrowlens"))
        .args(args)
        .output()
        .expect("run borrowlens")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// A fresh directory for one test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("borrowlens-cli-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path.display().to_string()
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// `(code, line, col, end_line, end_col)` of every JSON line, checking each line's shape.
fn json_diagnostics(output: &Output) -> Vec<(String, u64, u64, u64, u64)> {
    let position_keys = ["line", "col", "end_line", "end_col"];
    let mut acc = Vec::new();
    for line in stdout(output).lines() {
        let value: Value =
            serde_json::from_str(line).unwrap_or_else(|err| panic!("not JSON ({err}): {line}"));
        let object = value
            .as_object()
            .unwrap_or_else(|| panic!("not an object: {line}"));
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected = vec!["file", "code", "severity", "message", "labels", "fixes"];
        expected.extend(position_keys);
        expected.sort_unstable();
        assert_eq!(keys, expected, "{line}");
        assert!(
            ["error", "warning"].contains(&object["severity"].as_str().unwrap()),
            "{line}"
        );
        for key in position_keys {
            assert!(
                object[key].as_u64().is_some_and(|it| it >= 1),
                "`{key}` is not a 1-based number: {line}"
            );
        }
        for label in object["labels"].as_array().expect("labels is an array") {
            let mut keys: Vec<&str> = label
                .as_object()
                .expect("a label is an object")
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort_unstable();
            let mut expected = vec!["message"];
            expected.extend(position_keys);
            expected.sort_unstable();
            assert_eq!(keys, expected, "{line}");
        }
        for fix in object["fixes"].as_array().expect("fixes is an array") {
            assert!(
                fix["title"].as_str().is_some_and(|it| !it.is_empty()),
                "{line}"
            );
            for edit in fix["edits"].as_array().expect("a fix has edits") {
                let mut keys: Vec<&str> = edit
                    .as_object()
                    .expect("an edit is an object")
                    .keys()
                    .map(String::as_str)
                    .collect();
                keys.sort_unstable();
                let mut expected = vec!["new_text"];
                expected.extend(position_keys);
                expected.sort_unstable();
                assert_eq!(keys, expected, "{line}");
            }
        }
        let number = |key: &str| object[key].as_u64().unwrap();
        acc.push((
            object["code"].as_str().unwrap().to_string(),
            number("line"),
            number("col"),
            number("end_line"),
            number("end_col"),
        ));
    }
    acc
}

/// Passes while the binary reports nothing; once it reports anything, it must be `expected`.
fn pending(
    what: &str,
    actual: &[(String, u64, u64, u64, u64)],
    expected: &[(&str, u64, u64, u64, u64)],
) {
    if actual.is_empty() {
        eprintln!("pending: {what}: nothing reported yet, expected {expected:?}");
        return;
    }
    let expected: Vec<_> = expected
        .iter()
        .map(|&(code, a, b, c, d)| (code.to_string(), a, b, c, d))
        .collect();
    assert_eq!(actual, expected, "{what}");
}

/// The exit status matches what was printed: 1 exactly when an error was reported.
fn assert_status_matches(output: &Output) {
    let any_error = stdout(output)
        .lines()
        .any(|it| it.contains("\"severity\":\"error\""));
    assert_eq!(
        output.status.code(),
        Some(i32::from(any_error)),
        "stderr: {}",
        stderr(output)
    );
}

const CONFLICT: &str = "\
fn main() {
    let mut s = vec![\"é\"];
    let r = &s; /* ü𝄞 */ s.push(\"ü\");
    drop(r);
}
";

/// Both start the language server (tested in `lsp.rs`); with stdin closed at once, it ends
/// without `shutdown`, so with status 1, and writes nothing that is not the protocol.
#[test]
fn no_arguments_and_lsp_start_the_language_server() {
    for args in [&[][..], &["lsp"][..]] {
        let output = borrowlens(args);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert!(stdout(&output).is_empty(), "stdout is for the protocol");
    }
    let output = borrowlens(&["lsp", "--tcp"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unexpected argument `--tcp`"));
}

#[test]
fn bad_usage_exits_2() {
    let dir = TempDir::new();
    let file = dir.write("a.rs", "fn main() {}\n");
    let missing = dir.path("nowhere/Cargo.toml");
    let cases: [(&[&str], &str); 8] = [
        (&["check", "--manifest-path", &missing], "manifest path `"),
        (
            &["check", "-p", "app", &file],
            "`--manifest-path` and `--package`",
        ),
        (
            &["check", "--frobnicate", &file],
            "unknown flag `--frobnicate`",
        ),
        (&["check", "--format", "xml", &file], "unknown format `xml`"),
        (&["check", &file, "--format"], "`--format` needs a value"),
        (
            &["check", "--edition", "2020", &file],
            "unknown edition `2020`",
        ),
        (&["check", "--edition"], "`--edition` needs a value"),
        (&["chekc", &file], "unknown command `chekc`"),
    ];
    for (args, message) in cases {
        let output = borrowlens(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}");
        let stderr = stderr(&output);
        assert!(
            stderr.starts_with(&format!("error: {message}")),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("Usage: "), "{args:?}: {stderr}");
    }
}

/// Without PATH, what `cargo check` would check: the package around the current directory, a
/// workspace's members, `-p`; and cargo's words where there is none.
#[test]
fn without_a_path_the_cargo_package_around() {
    let dir = TempDir::new();
    dir.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"app\", \"lib\"]\nresolver = \"2\"\n",
    );
    dir.write(
        "app/Cargo.toml",
        "[package]\nname = \"app\"\nedition = \"2021\"\n",
    );
    dir.write(
        "app/src/main.rs",
        "fn main() {\n    let s = String::new();\n    let t = s;\n    let u = s;\n    let _ = (t, u);\n}\n",
    );
    dir.write(
        "lib/Cargo.toml",
        "[package]\nname = \"lib\"\nedition = \"2021\"\n",
    );
    dir.write("lib/src/lib.rs", "pub fn ok() {}\n");
    let run = |cwd: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_borrowlens"))
            .arg("check")
            .args(["--format", "json"])
            .args(args)
            .current_dir(cwd)
            .output()
            .expect("run borrowlens")
    };
    let files = |o: &Output| -> Vec<String> {
        stdout(o)
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["file"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    // At the workspace's root, its members; in a member, that package; `-p` from anywhere.
    let at_root = run(&dir.path(""), &[]);
    assert_eq!(at_root.status.code(), Some(1), "{}", stderr(&at_root));
    assert_eq!(files(&at_root).len(), 1);
    assert!(files(&at_root)[0].ends_with("app/src/main.rs"));
    let in_lib = run(&dir.path("lib/src"), &[]);
    assert_eq!(in_lib.status.code(), Some(0), "{}", stderr(&in_lib));
    let picked = run(&dir.path("lib"), &["-p", "app"]);
    assert_eq!(files(&picked).len(), 1, "{}", stderr(&picked));
    let manifest = dir.path("app/Cargo.toml");
    let by_manifest = run(&dir.path("lib"), &["--manifest-path", &manifest]);
    assert_eq!(files(&by_manifest).len(), 1, "{}", stderr(&by_manifest));
    let unknown = run(&dir.path(""), &["-p", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).starts_with("error: package ID specification `nope` did not match"));
}

#[test]
fn help_and_version() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["check", "--help"],
        &["check", "-h", "--frobnicate"],
    ] {
        let output = borrowlens(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(stdout(&output).contains("Usage:"), "{args:?}");
    }
    let help = stdout(&borrowlens(&["check", "--help"]));
    for needle in [
        "--format",
        "--message-format",
        "--color",
        "NO_COLOR",
        "--edition",
        "Exit status",
        "//@ edition:",
        "Cargo.toml",
        "2015",
    ] {
        assert!(help.contains(needle), "`check --help` mentions {needle}");
    }
    let output = borrowlens(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        format!("borrowlens {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unreadable_paths_are_reported_and_the_others_still_checked() {
    let dir = TempDir::new();
    let missing = dir.path("missing.rs");
    let not_utf8 = dir.write("latin1.rs", b"fn main() { let s = \"caf\xe9\"; }\n");
    let not_rust = dir.write("notes.txt", "hello\n");
    let good = dir.write("good.rs", CONFLICT);
    let also_missing = dir.path("gone/also.rs");
    let output = borrowlens(&[
        "check",
        "--format",
        "json",
        &missing,
        &not_utf8,
        &good,
        &not_rust,
        &also_missing,
    ]);
    let stderr = stderr(&output);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            format!("error: {missing}: no such file or directory"),
            format!("error: {not_utf8}: not valid UTF-8"),
            format!("error: {not_rust}: not a Rust file (expected a `.rs` file)"),
            format!("error: {also_missing}: no such file or directory"),
        ],
        "each path that cannot be checked is named once, in order, and the run goes on"
    );
    // Unreadable paths alone do not set the exit status; the checked file's errors do.
    assert_status_matches(&output);
    for line in stdout(&output).lines() {
        assert!(
            line.contains("good.rs"),
            "only the good file has diagnostics: {line}"
        );
    }
    pending(
        "the good file beside unreadable ones",
        &json_diagnostics(&output),
        &[("E0502", 3, 26, 3, 37)],
    );
}

#[test]
fn json_columns_count_characters() {
    let dir = TempDir::new();
    let file = dir.write("multibyte.rs", CONFLICT);
    let output = borrowlens(&["check", "--format", "json", &file]);
    assert_status_matches(&output);
    // rustc 1.95: `s.push("ü")` at 3:26-3:37; `ü𝄞` before it is 6 bytes but 2 columns.
    pending(
        "columns on a line with multi-byte text",
        &json_diagnostics(&output),
        &[("E0502", 3, 26, 3, 37)],
    );
    for line in stdout(&output).lines() {
        assert!(
            line.contains(&format!(
                "\"file\":{}",
                serde_json::to_string(&file).unwrap()
            )),
            "{line}"
        );
    }
}

#[test]
fn directories_are_walked_and_human_output_is_the_default() {
    let dir = TempDir::new();
    dir.write("src/main.rs", CONFLICT);
    dir.write("src/ok.rs", "fn f() {}\n");
    // Not UTF-8: were they read, stderr would say so.
    dir.write("target/debug/build/out.rs", b"\xff\n");
    dir.write(".hidden/x.rs", b"\xff\n");
    let output = borrowlens(&["check", &dir.path("")]);
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    let stdout = stdout(&output);
    assert_eq!(output.status.code(), Some(i32::from(!stdout.is_empty())));
    if !stdout.is_empty() {
        assert!(stdout.starts_with("error[E0502]: "), "{stdout}");
        assert!(
            stdout.contains(&format!("--> {}:3:26\n", dir.path("src/main.rs"))),
            "{stdout}"
        );
        assert!(
            stdout.contains("error: aborting due to 1 previous error\n"),
            "{stdout}"
        );
    }
}

/// ripgrep's rules, through the binary: a nested `.gitignore`, a `.ignore`, and git's global
/// excludes (`$XDG_CONFIG_HOME/git/ignore`, found through `HOME` and `XDG_CONFIG_HOME`). The
/// ignored files are not UTF-8: were they read, stderr would say so.
#[test]
fn ignored_files_are_not_read() {
    let dir = TempDir::new();
    let repo = dir.path("repo");
    dir.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    dir.write("repo/src/ok.rs", "fn f() {}\n");
    dir.write("repo/src/.gitignore", "generated.rs\n");
    dir.write("repo/src/generated.rs", b"\xff\n");
    dir.write("repo/.ignore", "fixtures/\n");
    dir.write("repo/fixtures/f.rs", b"\xff\n");
    dir.write("repo/scratch.rs", b"\xff\n");
    dir.write("home/.config/git/ignore", "scratch.rs\n");
    let run = |home: &str| {
        Command::new(env!("CARGO_BIN_EXE_borrowlens"))
            .args(["check", &repo])
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", format!("{home}/.config"))
            .output()
            .expect("run borrowlens")
    };
    let output = run(&dir.path("home"));
    assert_eq!(stderr(&output), "");
    assert_eq!(output.status.code(), Some(0));
    // Without the global excludes, `scratch.rs` is read, and only it.
    let output = run(&dir.path("nobody"));
    assert_eq!(
        stderr(&output),
        format!("error: {}: not valid UTF-8\n", dir.path("repo/scratch.rs"))
    );
}

/// 2018 closures capture `p` whole, so `p.b.push` conflicts with the closure's borrow (E0499 at
/// 10:5-10:8); 2021 closures capture `p.a` only, and the program is accepted.
const CLOSURE: &str = "\
//@ edition:2021
struct Pair {
    a: Vec<i32>,
    b: Vec<i32>,
}

fn main() {
    let mut p = Pair { a: vec![], b: vec![] };
    let mut c = || p.a.push(1);
    p.b.push(2);
    c();
}
";

fn check_json(args: &[&str]) -> Vec<(String, u64, u64, u64, u64)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend(args);
    let output = borrowlens(&all);
    assert!(stderr(&output).is_empty(), "{args:?}: {}", stderr(&output));
    assert_status_matches(&output);
    json_diagnostics(&output)
}

#[test]
fn editions_flag_then_directive_then_cargo_toml_then_2015() {
    let e0499 = [("E0499", 10, 5, 10, 8)];
    let dir = TempDir::new();
    let with_directive = dir.write("directive.rs", CLOSURE);
    let bare_text = CLOSURE.replace("//@ edition:2021", "// no edition directive");
    let bare = dir.write("bare.rs", &bare_text);

    // The directive says 2021: accepted.
    assert_eq!(check_json(&[&with_directive]), []);
    // The flag overrides the directive.
    pending(
        "--edition 2018 over the directive",
        &check_json(&["--edition", "2018", &with_directive]),
        &e0499,
    );
    assert_eq!(check_json(&["--edition=2021", &bare]), []);
    // No flag, no directive, no Cargo.toml: 2015, as rustc for a lone file.
    pending("a lone file is 2015", &check_json(&[&bare]), &e0499);

    // The nearest Cargo.toml with a [package] decides, inheriting from its workspace if it says so.
    dir.write(
        "ws/Cargo.toml",
        "[workspace]\nmembers = [\"new\", \"old\"]\n\n[workspace.package]\nedition = \"2021\"\n",
    );
    dir.write(
        "ws/new/Cargo.toml",
        "[package]\nname = \"new\"\nedition.workspace = true\n",
    );
    let new = dir.write("ws/new/src/main.rs", &bare_text);
    dir.write(
        "ws/old/Cargo.toml",
        "[package]\nname = \"old\"\nedition = \"2018\"\n",
    );
    let old = dir.write("ws/old/src/bin/main.rs", &bare_text);
    assert_eq!(check_json(&[&new]), []);
    pending("a package of edition 2018", &check_json(&[&old]), &e0499);
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    // `borrowlens check . | head -0`: the reader is gone before anything is written.
    let dir = TempDir::new();
    for i in 0..50 {
        dir.write(&format!("f{i:02}.rs"), CONFLICT);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_borrowlens"))
        .args(["check", &dir.path("")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{:?} {}",
        output.status,
        stderr(&output)
    );
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}

/// A package whose error needs a fact from another file (the method's receiver is in
/// `model.rs`), a `Cargo.toml` that is not TOML, and a `mod` without its file.
const MAIN_NEEDS_MODEL: &str = "mod model;\nmod gone;\nuse model::Counter;\n\nfn main() {\n    let mut c = Counter { items: vec![1] };\n    let first = c.first();\n    c.add(2);\n    println!(\"{first}\");\n}\n";
const MODEL: &str = "pub struct Counter {\n    pub items: Vec<u32>,\n}\n\nimpl Counter {\n    pub fn first(&self) -> &u32 {\n        &self.items[0]\n    }\n    pub fn add(&mut self, x: u32) {\n        self.items.push(x);\n    }\n}\n";

#[test]
fn a_package_is_checked_with_the_facts_of_its_crate() {
    let dir = TempDir::new();
    dir.write(
        "pkg/Cargo.toml",
        "[package]\nname = \"pkg\"\nedition = \"2021\"\n",
    );
    dir.write("pkg/src/main.rs", MAIN_NEEDS_MODEL);
    dir.write("pkg/src/model.rs", MODEL);
    // The same files without a manifest: each file alone, the method unknown.
    dir.write("loose/main.rs", MAIN_NEEDS_MODEL);
    dir.write("loose/model.rs", MODEL);
    let out = borrowlens(&[
        "check",
        "--format",
        "json",
        &dir.path("pkg/src"),
        &dir.path("loose"),
    ]);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("pkg/src/main.rs"));
    assert_eq!(lines[0]["code"], "E0502");
    assert_eq!(lines[0]["line"], 8);
    let err = stderr(&out);
    assert!(err.contains("no file for `mod gone;`"), "{err}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_manifest_that_is_not_toml_is_named_and_its_files_checked_alone() {
    let dir = TempDir::new();
    dir.write(
        "pkg/Cargo.toml",
        "[package]\nname = \"pkg\nedition = \"2021\"\n",
    );
    dir.write("pkg/src/main.rs", MAIN_NEEDS_MODEL);
    dir.write("pkg/src/model.rs", MODEL);
    let out = borrowlens(&["check", "--format", "json", &dir.path("pkg")]);
    let err = stderr(&out);
    assert!(err.contains("Cargo.toml: line 2, column"), "{err}");
    assert!(stdout(&out).is_empty(), "alone, main.rs cannot know `add`");
    assert_eq!(out.status.code(), Some(0));
}

/// A package whose verdicts need its dependencies' facts: `itoa2` from a registry (a fake
/// `CARGO_HOME`), renamed `fmt2`, and `helper` by path. rustc (the same package with path
/// dependencies, `cargo check`) reports the E0499 and the E0382, and nothing for the `Copy`
/// type.
const APP_MAIN: &str = "fn main() {
    let mut buffer = fmt2::Buffer::new();
    let m = &mut buffer;
    let s = buffer.format(1);
    let _ = &m;
    println!(\"{s}\");
    let t = helper::Token::new();
    helper::consume(t);
    helper::consume(t);
    let p = helper::Point { x: 1 };
    helper::take(p);
    helper::take(p);
}
";

fn app_package(dir: &TempDir) {
    dir.write(
        "app/Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nfmt2 = { package = \"itoa2\", version = \"1\" }\n\
         helper = { path = \"../helper\" }\n\n\
         [target.'cfg(windows)'.dependencies]\nwinonly = \"1\"\n",
    );
    dir.write(
        "app/Cargo.lock",
        "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\
         dependencies = [\"helper\", \"itoa2\", \"winonly\"]\n\n\
         [[package]]\nname = \"helper\"\nversion = \"0.1.0\"\n\n\
         [[package]]\nname = \"itoa2\"\nversion = \"1.0.3\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n\
         [[package]]\nname = \"winonly\"\nversion = \"1.0.0\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    dir.write("app/src/main.rs", APP_MAIN);
    dir.write(
        "helper/Cargo.toml",
        "[package]\nname = \"helper\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    dir.write(
        "helper/src/lib.rs",
        "mod token;\npub use token::*;\n\n#[derive(Clone, Copy)]\npub struct Point {\n    pub x: i32,\n}\n\n\
         pub fn take(_: Point) {}\n",
    );
    dir.write(
        "helper/src/token.rs",
        "pub struct Token(String);\n\nimpl Token {\n    pub fn new() -> Token {\n        Token(String::new())\n    }\n}\n\n\
         pub fn consume(_: Token) {}\n",
    );
}

fn itoa2_in_registry(dir: &TempDir) {
    dir.write(
        "home/registry/src/index.crates.io-0000000000000000/itoa2-1.0.3/Cargo.toml",
        "[package]\nname = \"itoa2\"\nversion = \"1.0.3\"\nedition = \"2018\"\n\n[lib]\nname = \"itoa2\"\npath = \"src/lib.rs\"\n",
    );
    dir.write(
        "home/registry/src/index.crates.io-0000000000000000/itoa2-1.0.3/src/lib.rs",
        "pub struct Buffer {\n    bytes: [u8; 20],\n}\n\nimpl Buffer {\n    pub fn new() -> Buffer {\n        Buffer { bytes: [0; 20] }\n    }\n\n\
         pub fn format(&mut self, n: u32) -> &str {\n        let _ = n;\n        std::str::from_utf8(&self.bytes[..0]).unwrap()\n    }\n}\n",
    );
}

fn check_app(dir: &TempDir) -> (Vec<(String, u64)>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_borrowlens"))
        .args(["check", "--format", "json", &dir.path("app")])
        .env("CARGO_HOME", dir.path("home"))
        .output()
        .expect("run borrowlens");
    let found = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| {
            (
                v["code"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (found, stderr(&out))
}

#[test]
fn dependencies_are_read_from_the_registry_and_by_path_as_the_lock_file_says() {
    let dir = TempDir::new();
    app_package(&dir);
    itoa2_in_registry(&dir);
    let (found, err) = check_app(&dir);
    assert_eq!(
        found,
        [("E0499".to_string(), 4), ("E0382".to_string(), 9)],
        "{err}"
    );
    // `winonly` is for Windows: not looked for, not missed.
    assert!(err.is_empty(), "{err}");
}

#[test]
fn a_dependency_not_on_disk_is_unknown_and_named_once() {
    let dir = TempDir::new();
    app_package(&dir);
    let (found, err) = check_app(&dir);
    // `fmt2::Buffer::format` is unknown: no verdict on it; `helper` is still read by its path.
    assert_eq!(found, [("E0382".to_string(), 9)], "{err}");
    assert_eq!(err.matches("not on disk").count(), 1, "{err}");
    assert!(
        err.contains("itoa2 1.0.3") && err.contains("cargo fetch"),
        "{err}"
    );
}

#[test]
fn a_lock_file_that_is_not_toml_is_named_and_the_rest_checked() {
    let dir = TempDir::new();
    app_package(&dir);
    itoa2_in_registry(&dir);
    dir.write("app/Cargo.lock", "[[package]\nname = ");
    let (found, err) = check_app(&dir);
    assert!(found.is_empty(), "{found:?}");
    assert!(err.contains("Cargo.lock: not a lock file"), "{err}");
}
