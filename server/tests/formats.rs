//! What `borrowlens check` prints, through the real binary: colour only where asked for or on a
//! terminal (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`), and cargo's JSON (`--message-format
//! json`) as a real consumer of `cargo check --message-format json` reads it: clippy-sarif,
//! installed from crates.io by `.ci/run` into `.tools/clippy-sarif`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// One E0502 at 3:17-3:26 (`v.push(2)`), its borrow at 3:13 and its use at 4:10.
const CONFLICT: &str = "\
fn main() {
    let mut v = vec![1];
    let r = &v; v.push(2);
    drop(r);
}
";

/// A fresh directory with the conflict in `conflict.rs` and a clean `ok.rs`, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let path =
            std::env::temp_dir().join(format!("borrowlens-formats-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        fs::write(path.join("conflict.rs"), CONFLICT).unwrap();
        fs::write(path.join("ok.rs"), "fn f() {}\n").unwrap();
        Dir(path)
    }

    fn file(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs borrowlens with `args` and only the colour variables of `env` set.
fn borrowlens(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_borrowlens"));
    command.args(args);
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        command.env_remove(name);
    }
    command
        .envs(env.iter().copied())
        .output()
        .expect("run borrowlens")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn has_escapes(output: &Output) -> bool {
    let text = stdout(output);
    assert!(text.contains("error[E0502]"), "{text}");
    text.contains('\u{1b}')
}

#[test]
fn colour_only_on_a_terminal_or_when_asked_for() {
    let dir = Dir::new("colour");
    let file = dir.file("conflict.rs");
    let check = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        all.push(&file);
        has_escapes(&borrowlens(&all, env))
    };
    // Piped, as here: plain.
    assert!(!check(&[], &[]));
    assert!(!check(&["--color", "auto"], &[]));
    assert!(check(&["--color", "always"], &[]));
    assert!(
        check(&["--color=always"], &[("NO_COLOR", "1")]),
        "the flag is the last word"
    );
    assert!(!check(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(check(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(
        !check(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]),
        "NO_COLOR wins"
    );
    let output = borrowlens(&["check", "--color", "sometimes", &file], &[]);
    assert_eq!(output.status.code(), Some(2));

    // On a terminal: util-linux's `script` gives the binary one.
    let Some(script) = on_path("script") else {
        println!(
            "note: no `script` (util-linux) on PATH: the terminal half of this test is skipped"
        );
        return;
    };
    let on_terminal = |env: &[(&str, &str)]| {
        let command = format!("{} check {file}", env!("CARGO_BIN_EXE_borrowlens"));
        let mut it = Command::new(&script);
        it.args(["-qec", &command, "/dev/null"])
            .env("TERM", "xterm");
        for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
            it.env_remove(name);
        }
        has_escapes(&it.envs(env.iter().copied()).output().expect("run script"))
    };
    assert!(on_terminal(&[]));
    assert!(
        !on_terminal(&[("NO_COLOR", "1")]),
        "NO_COLOR wins over a terminal"
    );
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|it| it.is_file())
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[test]
fn cargos_json_lines() {
    let dir = Dir::new("cargo-json");
    let output = borrowlens(&["check", "--message-format", "json", &dir.file("")], &[]);
    assert_eq!(output.status.code(), Some(1));
    let lines = json_lines(&output);
    let reasons: Vec<&str> = lines
        .iter()
        .map(|it| it["reason"].as_str().unwrap())
        .collect();
    // The diagnostic, rustc's `--explain` note, cargo's last line.
    assert_eq!(
        reasons,
        ["compiler-message", "compiler-message", "build-finished"]
    );
    let message = &lines[0]["message"];
    assert_eq!(lines[0]["manifest_path"], dir.file("conflict.rs"));
    assert_eq!(lines[0]["target"]["name"], "conflict");
    assert_eq!(message["code"]["code"], "E0502");
    assert_eq!(message["level"], "error");
    let primary = message["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|it| it["is_primary"] == true)
        .unwrap();
    assert_eq!(primary["file_name"], dir.file("conflict.rs"));
    let at = |key: &str| primary[key].as_u64().unwrap();
    assert_eq!(
        [
            at("line_start"),
            at("column_start"),
            at("line_end"),
            at("column_end")
        ],
        [3, 17, 3, 26]
    );
    assert_eq!(
        &CONFLICT[at("byte_start") as usize..at("byte_end") as usize],
        "v.push(2)"
    );
    // `rendered` is the human report of the diagnostic, never coloured.
    let human = stdout(&borrowlens(
        &["check", "--color=always", &dir.file("conflict.rs")],
        &[],
    ));
    let rendered = message["rendered"].as_str().unwrap();
    assert!(!rendered.contains('\u{1b}'));
    let plain = stdout(&borrowlens(&["check", &dir.file("conflict.rs")], &[]));
    assert!(plain.starts_with(rendered), "{plain}\n{rendered}");
    assert_ne!(human, plain);
    assert_eq!(lines[1]["message"]["level"], "failure-note");
    assert_eq!(lines[2]["success"], false);

    let output = borrowlens(&["check", "--message-format=json", &dir.file("ok.rs")], &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "{\"reason\":\"build-finished\",\"success\":true}\n"
    );
}

/// clippy-sarif reads `cargo clippy --message-format=json` (any `cargo check`'s, with
/// cargo_metadata's parser) and writes SARIF; it drops any line it cannot parse, so the results it
/// writes say that every field it needs was there.
#[test]
fn clippy_sarif_reads_the_json() {
    let tools =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/clippy-sarif/bin/clippy-sarif");
    let Some(clippy_sarif) = std::env::var_os("BORROWLENS_CLIPPY_SARIF")
        .map(PathBuf::from)
        .or_else(|| Some(tools).filter(|it| it.is_file()))
        .or_else(|| on_path("clippy-sarif"))
    else {
        println!(
            "note: clippy-sarif is not installed (`cargo install --locked clippy-sarif --root \
             .tools/clippy-sarif`, as .ci/run does): this test is skipped"
        );
        return;
    };
    let dir = Dir::new("sarif");
    let output = borrowlens(&["check", "--message-format", "json", &dir.file("")], &[]);
    let mut child = Command::new(&clippy_sarif)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run clippy-sarif");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&output.stdout)
        .unwrap();
    let sarif = child.wait_with_output().unwrap();
    assert!(sarif.status.success());
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    // One result per span of the one diagnostic (clippy-sarif's way), each an E0502 error.
    let spans = json_lines(&output)[0]["message"]["spans"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(results.len(), spans, "{sarif:#}");
    assert!(spans >= 1);
    for result in results {
        assert_eq!(result["ruleId"], "E0502");
        assert_eq!(result["level"], "error");
        assert_eq!(
            result["message"]["text"],
            "cannot borrow `v` as mutable because it is also borrowed as immutable"
        );
    }
    let primary = results
        .iter()
        .map(|it| &it["locations"][0])
        .find(|it| it["message"]["text"] == "mutable borrow occurs here")
        .expect("the primary span's label");
    let location = &primary["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], dir.file("conflict.rs"));
    let region = &location["region"];
    let at = |key: &str| region[key].as_u64().unwrap();
    assert_eq!(
        [
            at("startLine"),
            at("startColumn"),
            at("endLine"),
            at("endColumn")
        ],
        [3, 17, 3, 26]
    );
    let offset = at("byteOffset") as usize;
    assert_eq!(
        &CONFLICT[offset..offset + at("byteLength") as usize],
        "v.push(2)"
    );
}
