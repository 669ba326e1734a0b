//! Pathological files on disk, through the real binary: invalid UTF-8, NUL bytes, CRLF and lone
//! CR line ends, a 1 MB line, a file of nothing but syntax errors and 10,000 nested closures, in
//! `borrowlens check` and in the language server (indexed as a workspace, then opened), beside the
//! file that crashed the binary by SIGSEGV in tree-sitter's lexer (issue 19). Each run
//! has a stated time bound (debug build) and answers at the right positions: rustc's lines (split
//! at `\n` only) in `check`, the protocol's (`\n`, `\r\n` and `\r`) in the server.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{file_uri, Client};

/// One function with one E0502, at `v.push(2)`, its lines ending in `eol`.
fn conflict(eol: &str) -> String {
    [
        "fn f() {",
        "    let mut v = vec![1];",
        "    let r = &v;",
        "    v.push(2);",
        "    r.len();",
        "}",
        "",
    ]
    .join(eol)
}

struct Files {
    dir: PathBuf,
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn files(name: &str) -> Files {
    let dir = std::env::temp_dir().join(format!("borrowlens-files-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let dir = dir.canonicalize().unwrap();
    let write = |name: &str, bytes: &[u8]| fs::write(dir.join(name), bytes).unwrap();
    write(
        "invalid_utf8.rs",
        b"fn main() { let s = \"caf\xe9\"; }\n\xff\xfe\n",
    );
    write(
        "nul.rs",
        format!("\0\0{}\0fn g() {{ \0 }}\n", conflict("\n")).as_bytes(),
    );
    write("crlf.rs", conflict("\r\n").as_bytes());
    write("cr.rs", conflict("\r").as_bytes());
    let mut line = String::new();
    let mut n = 0;
    while line.len() < 1 << 20 {
        line.push_str(&format!(
            "fn f{n}() {{ let mut v = vec![1]; let r = &v; v.push(2); r.len(); }} "
        ));
        n += 1;
    }
    write("one_line.rs", line.as_bytes());
    write("errors.rs", ")]}>;,.=@#$?".repeat(20_000).as_bytes());
    write(
        "deep.rs",
        format!("{}fn deep() {{ let mut v = vec![1]; let c = {}v.len(); let r = &mut v; r.push(1); }}\n", conflict("\n"), "|| ".repeat(10_000))
            .as_bytes(),
    );
    write("raw_string_boms.rs", RAW_STRING_BOMS);
    Files { dir }
}

/// 828 byte-order marks around hundreds of raw-string openings: its parse once crashed the binary
/// (SIGSEGV in tree-sitter's lexer); now the parser gives up on it within its budget.
const RAW_STRING_BOMS: &[u8] =
    include_bytes!("../../analysis/tests/data/sigsegv-raw-string-bom.rs");

/// `(file name, line, col)` of each diagnostic `check --format json` printed.
fn json_positions(stdout: &str) -> Vec<(String, u64, u64)> {
    let mut acc: Vec<(String, u64, u64)> = stdout
        .lines()
        .map(|line| {
            let it: Value = serde_json::from_str(line).unwrap();
            let name = Path::new(it["file"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                name,
                it["line"].as_u64().unwrap(),
                it["col"].as_u64().unwrap(),
            )
        })
        .filter(|(name, ..)| name != "one_line.rs")
        .collect();
    acc.sort();
    acc
}

#[test]
fn check_reads_pathological_files() {
    let f = files("check");
    let start = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_borrowlens"))
        .args(["check", "--format", "json"])
        .arg(&f.dir)
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("invalid_utf8.rs: not valid UTF-8"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.lines().any(|l| l.starts_with("warning: ")
            && l.ends_with("raw_string_boms.rs: not analysed: the parser gave up on this text within its time budget")),
        "the file the parser gave up on is named: {stderr}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let one_line = stdout.lines().filter(|l| l.contains("one_line.rs")).count();
    let functions = fs::read_to_string(f.dir.join("one_line.rs"))
        .unwrap()
        .matches("fn ")
        .count();
    assert_eq!(
        one_line, functions,
        "one E0502 per function of the 1 MB line"
    );
    // rustc counts lines at `\n` only: the lone-CR file is one line, and a `\r` is a column.
    let cr_col = conflict("\r").find("v.push").unwrap() as u64 + 1;
    assert_eq!(
        json_positions(&stdout),
        [
            ("cr.rs".to_string(), 1, cr_col),
            ("crlf.rs".to_string(), 4, 5),
            ("deep.rs".to_string(), 4, 5),
            ("nul.rs".to_string(), 4, 5),
        ]
    );
}

#[test]
fn the_language_server_reads_pathological_files() {
    let f = files("lsp");
    let start = Instant::now();
    let mut client = Client::spawn(&["lsp"]);
    client.initialize(json!({
        "capabilities": {"window": {"workDoneProgress": true}},
        "workspaceFolders": [{"uri": file_uri(&f.dir), "name": "files"}],
    }));
    client.notify("initialized", json!({}));
    let end = client.wait_for("the end of indexing", |it| {
        it["method"] == "$/progress" && it["params"]["value"]["kind"] == "end"
    });
    assert_eq!(
        end["params"]["value"]["message"], "7 Rust files indexed",
        "all but the one that is not UTF-8"
    );
    // Positions in the protocol's lines: `\n`, `\r\n` and a lone `\r` all end one.
    for (name, line, character) in [
        ("nul.rs", 3, 4),
        ("crlf.rs", 3, 4),
        ("cr.rs", 3, 4),
        ("deep.rs", 3, 4),
    ] {
        let path = f.dir.join(name);
        let uri = file_uri(&path);
        let text = String::from_utf8(fs::read(&path).unwrap()).unwrap();
        client.open(&uri, &text);
        let diags = client.diagnostics(&uri, Some(1));
        assert_eq!(diags.len(), 1, "{name}: {diags:?}");
        assert_eq!(diags[0]["code"], "E0502", "{name}");
        assert_eq!(
            diags[0]["range"]["start"],
            json!({"line": line, "character": character}),
            "{name}"
        );
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 9}}),
        );
        assert!(hover.is_ok(), "{name}: {hover:?}");
    }
    for name in ["errors.rs", "one_line.rs", "raw_string_boms.rs"] {
        let path = f.dir.join(name);
        let uri = file_uri(&path);
        client.open(&uri, &fs::read_to_string(&path).unwrap());
        let diags = client.diagnostics(&uri, Some(1));
        let expected = if name != "one_line.rs" {
            0
        } else {
            fs::read_to_string(&path).unwrap().matches("fn ").count()
        };
        assert_eq!(diags.len(), expected, "{name}");
        let hints = client.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}}),
        );
        assert!(hints.is_ok(), "{name}: {hints:?}");
    }
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_secs(120), "took {elapsed:?}");
    assert!(!client.stderr().contains("panicked"));
    assert_eq!(client.shutdown_and_exit().code(), Some(0));
}
