//! `borrowlens-bench`: measures borrowlens against the budgets of DESIGN.md on real code
//! (regex-automata 0.4.9 from crates.io) and prints one table with PASS/MISS per budget.
//!
//! Run it with `cargo run --release -p borrowlens-bench` (`-- --quick` for a smoke run). It builds
//! `borrowlens` in release beside itself first, works in a scratch directory under the system's
//! temporary directory and removes it at the end (`--keep` keeps it).

mod inputs;
mod lsp;
mod stats;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use borrowlens_analysis::{AnalysisHost, Edition};
use serde_json::{json, Value};

use stats::{summarize, Summary};

const WAIT: Duration = Duration::from_secs(120);

struct Options {
    quick: bool,
    keep: bool,
    server: Option<PathBuf>,
}

fn options() -> Options {
    let mut acc = Options {
        quick: false,
        keep: false,
        server: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => acc.quick = true,
            "--keep" => acc.keep = true,
            "--server" => acc.server = Some(args.next().expect("--server PATH").into()),
            "-h" | "--help" => {
                println!(
                    "usage: borrowlens-bench [--quick] [--keep] [--server PATH-TO-borrowlens]"
                );
                std::process::exit(0);
            }
            other => {
                eprintln!("borrowlens-bench: unknown argument {other:?} (try --help)");
                std::process::exit(2);
            }
        }
    }
    acc
}

/// One line of the results table.
struct Row {
    what: String,
    summary: Summary,
    unit: &'static str,
}

/// One budget's verdict.
struct Verdict {
    what: String,
    measured: String,
    budget: String,
    pass: Option<bool>,
}

#[derive(Default)]
struct Report {
    rows: Vec<Row>,
    verdicts: Vec<Verdict>,
    notes: Vec<String>,
}

impl Report {
    fn row(&mut self, what: impl Into<String>, samples: &[f64], unit: &'static str) -> Summary {
        let summary = summarize(samples);
        let what = what.into();
        eprintln!(
            "  {what}: n {} min {:.2} p50 {:.2} p99 {:.2} max {:.2} {unit}",
            summary.n, summary.min, summary.p50, summary.p99, summary.max
        );
        self.rows.push(Row {
            what,
            summary,
            unit,
        });
        summary
    }

    fn verdict(&mut self, what: &str, measured: String, budget: &str, pass: Option<bool>) {
        self.verdicts.push(Verdict {
            what: what.into(),
            measured,
            budget: budget.into(),
            pass,
        });
    }

    fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        eprintln!("  note: {note}");
        self.notes.push(note);
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let opts = options();
    let started = Instant::now();
    let mut report = Report::default();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let scratch = std::env::temp_dir().join(format!("borrowlens-bench-{}", std::process::id()));
    fs::create_dir_all(&scratch).unwrap();
    if cfg!(debug_assertions) {
        report.note(
            "this benchmark was built without --release: in-process figures are not representative",
        );
    }

    eprintln!("== machine");
    let load_before = loadavg();
    let noise = noise(if opts.quick { 10 } else { 30 });
    let noise = report.row("noise: a fixed 2e7-step loop, same process", &noise, "ms");
    let spread = (noise.max - noise.min) / noise.min * 100.0;

    let server = opts
        .server
        .clone()
        .unwrap_or_else(|| build_server(&workspace, &cargo));
    eprintln!("== inputs");
    let (crate_dir, version, fallback) = inputs::regex_automata(&scratch, &cargo);
    if let Some(fallback) = fallback {
        report.note(fallback);
    }
    let dense_path = crate_dir.join("src/dfa/dense.rs");
    let dense = fs::read_to_string(&dense_path).expect("regex-automata's src/dfa/dense.rs");
    let dense_lines = dense.lines().count();
    let keystroke_at = keystroke_offset(&dense);
    let (signature_at, signature_text) = signature_edit(&dense);
    eprintln!(
        "  regex-automata {version}: src/dfa/dense.rs {dense_lines} lines; keystroke `;` at line {}, signature edit at line {}",
        line_of(&dense, keystroke_at),
        line_of(&dense, signature_at)
    );

    let keystrokes = if opts.quick { 20 } else { 200 };
    let signature_edits = if opts.quick { 6 } else { 40 };

    eprintln!("== 2. keystroke over LSP (stdio, UTF-16)");
    let copy = scratch.join(format!("regex-automata-{version}"));
    inputs::copy_dir(&crate_dir, &copy);
    let lsp_dense = copy.join("src/dfa/dense.rs");
    let (raw, served) = lsp_edits(
        &server,
        None,
        &lsp_dense,
        &dense,
        keystrokes,
        typed_then_deleted(keystroke_at, ";"),
    );
    let what = format!("keystroke in a body, {dense_lines}-line file");
    let key = report.row(
        format!("{what}: server time, didChange read -> publishDiagnostics written"),
        &served,
        "ms",
    );
    report.row(
        format!("{what}: round trip, didChange sent -> publishDiagnostics read"),
        &raw,
        "ms",
    );
    report.verdict(
        "keystroke p50, server time",
        format!("{:.2} ms", key.p50),
        "<= 2 ms",
        Some(key.p50 <= 2.0),
    );
    report.verdict(
        "keystroke p99, server time",
        format!("{:.2} ms", key.p99),
        "<= 10 ms",
        Some(key.p99 <= 10.0),
    );
    let (raw, served) = lsp_edits(
        &server,
        None,
        &lsp_dense,
        &dense,
        signature_edits,
        typed_then_deleted(signature_at, signature_text),
    );
    let what = format!("signature edit (`{signature_text}` typed/deleted as one change)");
    report.row(format!("{what}: server time"), &served, "ms");
    report.row(format!("{what}: round trip"), &raw, "ms");

    // The same edits with the crate indexed: the workspace folder is the crate's copy, every
    // file of it read and resolved, and dense.rs analysed with the facts of all of them and of
    // its dependencies (from a lock file made for the copy, their sources in the registry).
    let crate_files = inputs::rust_files(&copy).len();
    match inputs::lock(&copy, &cargo) {
        Some(deps) => report.note(format!(
            "crate indexed: with the dependencies its Cargo.lock names that are on disk ({deps})"
        )),
        None => report.note("crate indexed: no Cargo.lock could be made, dependencies not read"),
    }
    let (_, served) = lsp_edits(
        &server,
        Some(&copy),
        &lsp_dense,
        &dense,
        keystrokes,
        typed_then_deleted(keystroke_at, ";"),
    );
    let what = format!("keystroke in a body, crate indexed ({crate_files} files)");
    let key = report.row(format!("{what}: server time"), &served, "ms");
    report.verdict(
        "keystroke p50, server time, crate indexed",
        format!("{:.2} ms", key.p50),
        "<= 2 ms",
        Some(key.p50 <= 2.0),
    );
    report.verdict(
        "keystroke p99, server time, crate indexed",
        format!("{:.2} ms", key.p99),
        "<= 10 ms",
        Some(key.p99 <= 10.0),
    );
    let (_, served) = lsp_edits(
        &server,
        Some(&copy),
        &lsp_dense,
        &dense,
        signature_edits,
        typed_then_deleted(signature_at, signature_text),
    );
    let what = format!("signature edit, crate indexed ({crate_files} files)");
    let sig = report.row(format!("{what}: server time"), &served, "ms");
    report.verdict(
        "signature edit p99, server time, crate indexed",
        format!("{:.2} ms", sig.p99),
        "<= 10 ms",
        Some(sig.p99 <= 10.0),
    );

    eprintln!("== 3./7. in-process: AnalysisHost::set_file + diagnostics");
    let (floor, bodies) = in_process(
        None,
        &dense,
        keystrokes,
        typed_then_deleted(keystroke_at, ";"),
    );
    report.row(
        "in-process keystroke: set_file (incl. incremental reparse) + diagnostics",
        &floor,
        "ms",
    );
    let reparse = reparse_floor(&dense, keystrokes, typed_then_deleted(keystroke_at, ";"));
    report.row(
        "floor: tree-sitter's incremental reparse of the same keystroke alone",
        &reparse,
        "ms",
    );
    let per_key = report.row(
        "function bodies re-analysed per keystroke (fn_body executions)",
        &bodies,
        "bodies",
    );
    report.verdict(
        "bodies re-analysed per keystroke",
        format!("min {} max {}", per_key.min, per_key.max),
        "1",
        Some(per_key.min == 1.0 && per_key.max == 1.0),
    );
    let (sig_floor, sig_bodies) = in_process(
        None,
        &dense,
        signature_edits,
        typed_then_deleted(signature_at, signature_text),
    );
    report.row(
        "in-process signature edit: set_file + diagnostics",
        &sig_floor,
        "ms",
    );
    report.row(
        "function bodies re-analysed per signature edit",
        &sig_bodies,
        "bodies",
    );
    let (floor, bodies) = in_process(
        Some(&copy),
        &dense,
        keystrokes,
        typed_then_deleted(keystroke_at, ";"),
    );
    report.row("in-process keystroke, crate indexed", &floor, "ms");
    report.row(
        "function bodies re-analysed per keystroke, crate indexed",
        &bodies,
        "bodies",
    );
    let (sig_floor, sig_bodies) = in_process(
        Some(&copy),
        &dense,
        signature_edits,
        typed_then_deleted(signature_at, signature_text),
    );
    report.row("in-process signature edit, crate indexed", &sig_floor, "ms");
    report.row(
        "function bodies re-analysed per signature edit, crate indexed",
        &sig_bodies,
        "bodies",
    );

    eprintln!("== 5. cold borrowlens check vs cold cargo check");
    let crate_lines = inputs::rust_lines(&copy);
    let runs = if opts.quick { 1 } else { 3 };
    let mut check_ms = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let status = Command::new(&server)
            .args(["check", "--format", "json"])
            .arg(&copy)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run borrowlens check");
        check_ms.push(ms(t));
        assert!(
            matches!(status.code(), Some(0 | 1)),
            "borrowlens check failed: {status}"
        );
    }
    let check = report.row(
        format!("cold `borrowlens check --format json` of the crate ({crate_lines} lines)"),
        &check_ms,
        "ms",
    );
    let lines_per_s: Vec<f64> = check_ms
        .iter()
        .map(|t| crate_lines as f64 / (t / 1e3))
        .collect();
    let lps = report.row("cold `borrowlens check`: lines/s", &lines_per_s, "lines/s");
    report.verdict(
        "cold check throughput (median run)",
        format!("{:.0} lines/s", lps.p50),
        ">= 200,000 lines/s",
        Some(lps.p50 >= 200_000.0),
    );
    let target = scratch.join("cargo-target");
    let mut cold_cargo = Vec::new();
    let mut cargo_ok = true;
    for _ in 0..runs {
        let _ = fs::remove_dir_all(&target);
        match cargo_check(&cargo, &copy, &target) {
            Some(t) => cold_cargo.push(t),
            None => {
                cargo_ok = false;
                break;
            }
        }
    }
    if cargo_ok {
        let cold = report.row(
            "cold `cargo check -j2` of the crate (its dependencies included, target removed)",
            &cold_cargo,
            "ms",
        );
        let ratio = cold.p50 / check.p50;
        report.verdict(
            "cold check vs cold cargo check (medians)",
            format!("{ratio:.1}x faster"),
            ">= 5x",
            Some(ratio >= 5.0),
        );
    } else {
        report.note("cold `cargo check` of the crate failed: no cold ratio");
        report.verdict(
            "cold check vs cold cargo check",
            "not measured".into(),
            ">= 5x",
            None,
        );
    }

    eprintln!("== 4. the keystroke under incremental cargo check");
    // The last cold run left the target dir current for the unedited crate.
    let mut incremental = Vec::new();
    let mut text = dense.clone();
    for i in 0..runs {
        if i % 2 == 0 {
            text.insert(keystroke_at, ';');
        } else {
            text.remove(keystroke_at);
        }
        fs::write(&lsp_dense, &text).unwrap();
        match cargo_check(&cargo, &copy, &target) {
            Some(t) => incremental.push(t),
            None => break,
        }
    }
    fs::write(&lsp_dense, &dense).unwrap();
    if incremental.len() == runs {
        let inc = report.row(
            "incremental `cargo check` after the keystroke",
            &incremental,
            "ms",
        );
        let ratio = inc.p50 / key.p50;
        report.verdict(
            "keystroke (server time) vs incremental cargo check (medians)",
            format!("{ratio:.0}x faster"),
            ">= 100x",
            Some(ratio >= 100.0),
        );
    } else {
        report.note("incremental `cargo check` failed: no keystroke/cargo ratio");
        report.verdict(
            "keystroke vs incremental cargo check",
            "not measured".into(),
            ">= 100x",
            None,
        );
    }

    eprintln!("== 6. memory after indexing a 200,000-line workspace");
    let ws = scratch.join("workspace");
    let (crates, ws_lines) = inputs::big_workspace(&ws, &copy, 200_000);
    let ws_files = inputs::rust_files(&ws).len();
    let open = ws.join(copy.file_name().unwrap()).join("src/dfa/dense.rs");
    let memory = workspace_memory(&server, &ws, &open);
    report.note(format!(
        "workspace: {ws_lines} lines in {ws_files} Rust files of {} crates ({}); the server held {} files after indexing",
        crates.len(),
        crates.join(", "),
        memory.files
    ));
    report.row(
        "indexing the workspace (initialized to $/progress end + status)",
        &[memory.index_ms],
        "ms",
    );
    report.row(
        "server peak RSS (VmHWM) after indexing",
        &[memory.hwm],
        "MB",
    );
    report.row("server RSS (VmRSS) after indexing", &[memory.rss], "MB");
    report.row(
        "server peak RSS after also opening dense.rs (diagnostics received)",
        &[memory.hwm_open],
        "MB",
    );
    report.verdict(
        "peak RSS, workspace (after indexing)",
        format!("{:.0} MB ({ws_lines} lines)", memory.hwm),
        "<= 300 MB",
        Some(memory.hwm <= 300.0),
    );

    let load_after = loadavg();
    print_report(
        &report,
        &version,
        dense_lines,
        spread,
        &load_before,
        &load_after,
        started,
    );
    if opts.keep {
        eprintln!("scratch kept: {}", scratch.display());
    } else {
        let _ = fs::remove_dir_all(&scratch);
    }
}

fn print_report(
    report: &Report,
    version: &str,
    dense_lines: usize,
    spread: f64,
    load_before: &str,
    load_after: &str,
    started: Instant,
) {
    println!();
    println!(
        "borrowlens benchmark: regex-automata {version} (src/dfa/dense.rs: {dense_lines} lines)"
    );
    println!(
        "machine: {} cores; load average {load_before} before, {load_after} after; noise: the fixed loop's max is {spread:.0} % over its min",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();
    let width = report
        .rows
        .iter()
        .map(|r| r.what.chars().count())
        .max()
        .unwrap_or(10);
    println!(
        "{:width$}  {:>4}  {:>10}  {:>10}  {:>10}  {:>10}  unit",
        "measure", "n", "min", "p50", "p99", "max"
    );
    for row in &report.rows {
        let s = row.summary;
        let f = |x: f64| {
            if row.unit == "bodies" || x >= 1000.0 {
                format!("{x:.0}")
            } else {
                format!("{x:.2}")
            }
        };
        println!(
            "{:width$}  {:>4}  {:>10}  {:>10}  {:>10}  {:>10}  {}",
            row.what,
            s.n,
            f(s.min),
            f(s.p50),
            f(s.p99),
            f(s.max),
            row.unit
        );
    }
    println!();
    println!("budgets (DESIGN.md):");
    for v in &report.verdicts {
        let tag = match v.pass {
            Some(true) => "PASS",
            Some(false) => "MISS",
            None => "----",
        };
        println!("  {tag}  {}: {} (budget {})", v.what, v.measured, v.budget);
    }
    if !report.notes.is_empty() {
        println!();
        println!("notes:");
        for note in &report.notes {
            println!("  - {note}");
        }
    }
    println!("  - server time is measured by the server (borrowlens/status keystrokeMicros): from the didChange read from stdin to the publishDiagnostics written to stdout; the round trip is measured by this client, from the didChange written to the publishDiagnostics read (its own pipe and JSON work included), an upper bound; no debounce: the server computes at once; the in-process figure includes the incremental reparse, whose own time is the floor");
    println!(
        "(the benchmark took {:.0} s)",
        started.elapsed().as_secs_f64()
    );
}

fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|it| it.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// Times a fixed CPU-bound loop `n` times: its spread is the machine's noise during the run.
fn noise(n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
            for _ in 0..20_000_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
            std::hint::black_box(x);
            ms(t)
        })
        .collect()
}

/// `cargo build --release -p borrowlens` in this workspace, and the binary beside this one.
fn build_server(workspace: &Path, cargo: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let dir = exe.parent().unwrap();
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "-p", "borrowlens"])
        .current_dir(workspace);
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    eprintln!("building the server: {cmd:?}");
    let status = cmd.status().expect("run cargo build");
    assert!(status.success(), "cargo build -p borrowlens failed");
    let server = dir.join(format!("borrowlens{}", std::env::consts::EXE_SUFFIX));
    assert!(server.exists(), "no server at {}", server.display());
    server
}

/// The keystroke's place: right after a statement's `;` inside `Dense::accelerate` (a
/// 200-line body), else after the first statement past the middle of the file.
fn keystroke_offset(text: &str) -> usize {
    let anchor = "let original_accels_len = accels.len();";
    if let Some(at) = text.find(anchor) {
        return at + anchor.len();
    }
    let mid = text.len() / 2;
    mid + text[mid..]
        .find(";\n")
        .expect("a statement past the middle")
        + 1
}

/// A parameter added to a method that other functions of the file call: `to_index`.
fn signature_edit(text: &str) -> (usize, &'static str) {
    let anchor = "fn to_index(&self, id: StateID";
    let at = text
        .find(anchor)
        .expect("`fn to_index(&self, id: StateID` in dense.rs");
    (at + anchor.len(), ", extra: u8")
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// The edits of the benchmark: `text` typed at `at`, then deleted, again and again (edit `i` as
/// a byte range and its replacement).
fn typed_then_deleted<'a>(at: usize, text: &'a str) -> impl Fn(usize) -> (usize, usize, &'a str) {
    move |i| {
        if i % 2 == 0 {
            (at, at, text)
        } else {
            (at, at + text.len(), "")
        }
    }
}

/// Opens `path` (holding `text`) in a fresh server, waits for its first diagnostics, then sends
/// `n` edits (`edit(i)` = byte range and replacement) one at a time, each waiting for the
/// diagnostics of its version. Returns the round trips (the server does not debounce) and the
/// server's own figures for the same edits (`borrowlens/status`), in ms.
/// With `root`, the server has that workspace folder and indexes it (the crate around `path`)
/// before the file is opened.
fn lsp_edits<'a>(
    server: &Path,
    root: Option<&Path>,
    path: &Path,
    text: &str,
    n: usize,
    edit: impl Fn(usize) -> (usize, usize, &'a str),
) -> (Vec<f64>, Vec<f64>) {
    let mut client = lsp::Client::spawn(server);
    let uri = lsp::file_uri(path);
    let folders = match root {
        Some(r) => json!([{"uri": lsp::file_uri(r), "name": "bench"}]),
        None => Value::Null,
    };
    client.request(
        "initialize",
        json!({"processId": std::process::id(), "rootUri": null, "workspaceFolders": folders,
               "capabilities": {"window": {"workDoneProgress": root.is_some()},
                                "textDocument": {"publishDiagnostics": {"versionSupport": true}}}}),
        WAIT,
    );
    client.notify("initialized", json!({}));
    if root.is_some() {
        let is_end =
            |it: &Value| it["method"] == "$/progress" && it["params"]["value"]["kind"] == "end";
        client.wait_for("the end of indexing", Duration::from_secs(600), is_end);
    }
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "rust", "version": 1, "text": text}}),
    );
    let t = Instant::now();
    let (_, first) = client.diagnostics(&uri, 1, WAIT);
    eprintln!(
        "  open: first diagnostics after {:.1} ms ({first} diagnostics)",
        ms(t)
    );
    let mut current = text.to_string();
    let mut raw = Vec::new();
    for i in 0..n {
        let (start, end, insert) = edit(i);
        let range =
            json!({"start": lsp::position(&current, start), "end": lsp::position(&current, end)});
        current.replace_range(start..end, insert);
        let version = i as i64 + 2;
        let message = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": range, "text": insert}]}});
        let sent = Instant::now();
        client.send(message);
        let (arrived, _) = client.diagnostics(&uri, version, WAIT);
        let rt = arrived.duration_since(sent).as_secs_f64() * 1e3;
        raw.push(rt);
    }
    let status = client.request("borrowlens/status", json!(null), WAIT);
    let served: Vec<f64> = status["keystrokeMicros"]
        .as_array()
        .expect("keystrokeMicros in borrowlens/status")
        .iter()
        .map(|it| it.as_f64().unwrap_or(f64::NAN) / 1e3)
        .collect();
    assert_eq!(served.len(), n, "the server timed every edit");
    client.stop();
    (raw, served)
}

/// The same edits in-process: `set_file` + `diagnostics` per edit, and how many `fn_body`
/// queries salsa executed for each.
/// With `crate_dir`, every `.rs` file of that crate's `src/` is set too and `src/lib.rs` is the
/// crate root: the edited file is analysed with its crate's facts.
fn in_process<'a>(
    crate_dir: Option<&Path>,
    text: &str,
    n: usize,
    edit: impl Fn(usize) -> (usize, usize, &'a str),
) -> (Vec<f64>, Vec<f64>) {
    let executed = Arc::new(AtomicUsize::new(0));
    let sink = executed.clone();
    let mut host = AnalysisHost::with_events(move |e| {
        if let salsa::EventKind::WillExecute { .. } = e.kind {
            if format!("{:?}", e.kind).contains("fn_body(") {
                sink.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    let owned_path;
    let path = match crate_dir {
        Some(dir) => {
            owned_path = dir.join("src/dfa/dense.rs").display().to_string();
            owned_path.as_str()
        }
        None => "src/dfa/dense.rs",
    };
    let file = host.set_file(path, text.to_string(), Edition::E2021);
    if let Some(dir) = crate_dir {
        for f in inputs::rust_files(&dir.join("src")) {
            let key = f.display().to_string();
            if key != path {
                let text = fs::read_to_string(&f).unwrap_or_default();
                host.set_file_from_disk(&key, text, Edition::E2021);
            }
        }
        let root = dir.join("src/lib.rs").display().to_string();
        host.set_crate_roots(&[root.as_str()]);
    }
    let _ = host.diagnostics(file);
    let mut current = text.to_string();
    let (mut times, mut bodies) = (Vec::new(), Vec::new());
    for i in 0..n {
        let (start, end, insert) = edit(i);
        current.replace_range(start..end, insert);
        executed.store(0, Ordering::Relaxed);
        let t = Instant::now();
        host.set_file(path, current.clone(), Edition::E2021);
        let _ = host.diagnostics(file);
        times.push(ms(t));
        bodies.push(executed.load(Ordering::Relaxed) as f64);
    }
    (times, bodies)
}

/// The floor: tree-sitter's incremental reparse of the same edits alone (the edit located by
/// comparing the texts, the tree edited and reparsed, as `set_file` does), in ms.
fn reparse_floor<'a>(
    text: &str,
    n: usize,
    edit: impl Fn(usize) -> (usize, usize, &'a str),
) -> Vec<f64> {
    let mut tree = borrowlens_analysis::syntax::ParsedTree::new(text);
    let mut current = text.to_string();
    let mut times = Vec::new();
    for i in 0..n {
        let (start, end, insert) = edit(i);
        let mut next = current.clone();
        next.replace_range(start..end, insert);
        let t = Instant::now();
        tree = tree.reparse(&current, &next);
        times.push(ms(t));
        current = next;
    }
    times
}

/// `cargo check -j2` of the crate at `dir` with its own target dir; its duration in ms, or
/// `None` (with cargo's stderr shown) when it fails.
fn cargo_check(cargo: &str, dir: &Path, target: &Path) -> Option<f64> {
    let t = Instant::now();
    let out = Command::new(cargo)
        .args(["check", "-j2", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run cargo check");
    let elapsed = ms(t);
    if out.status.success() {
        eprintln!("  cargo check: {elapsed:.0} ms");
        Some(elapsed)
    } else {
        eprintln!(
            "  cargo check failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        None
    }
}

/// What the server's memory looked like on the big workspace.
struct Memory {
    /// Files the server holds once indexing ended (`borrowlens/status`).
    files: usize,
    index_ms: f64,
    /// VmHWM and VmRSS in MB after indexing.
    hwm: f64,
    rss: f64,
    /// VmHWM after opening `open` too and receiving its diagnostics.
    hwm_open: f64,
}

/// VmHWM and VmRSS of process `pid`, in MB.
fn memory_of(pid: u32) -> (f64, f64) {
    let status =
        fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/PID/status (Linux)");
    let field = |name: &str| -> f64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Starts the server on the workspace folder `root`, waits for its indexing progress to end and
/// for `borrowlens/status` (answered by the writer after every indexed file was applied), and
/// reads its memory; then opens `open` and reads the peak again once its diagnostics came.
fn workspace_memory(server: &Path, root: &Path, open: &Path) -> Memory {
    let mut client = lsp::Client::spawn(server);
    let uri = lsp::file_uri(root);
    client.request(
        "initialize",
        json!({"processId": std::process::id(), "rootUri": uri,
               "workspaceFolders": [{"uri": uri, "name": "bench"}],
               "capabilities": {"window": {"workDoneProgress": true},
                                "workspace": {"workspaceFolders": true},
                                "textDocument": {"publishDiagnostics": {"versionSupport": true}}}}),
        WAIT,
    );
    let t = Instant::now();
    client.notify("initialized", json!({}));
    let is_end =
        |it: &Value| it["method"] == "$/progress" && it["params"]["value"]["kind"] == "end";
    client.wait_for(
        "the end of indexing ($/progress end)",
        Duration::from_secs(600),
        is_end,
    );
    let status = client.request("borrowlens/status", Value::Null, WAIT);
    let index_ms = ms(t);
    let files = status["files"].as_array().map_or(0, Vec::len);
    let (hwm, rss) = memory_of(client.pid());
    let text = fs::read_to_string(open).unwrap();
    let open_uri = lsp::file_uri(open);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": open_uri, "languageId": "rust", "version": 1, "text": text}}),
    );
    client.diagnostics(&open_uri, 1, WAIT);
    let (hwm_open, _) = memory_of(client.pid());
    client.stop();
    Memory {
        files,
        index_ms,
        hwm,
        rss,
        hwm_open,
    }
}
