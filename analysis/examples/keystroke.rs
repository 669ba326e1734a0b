//! Times what a keystroke costs the analysis: `set_file` with one character typed inside a
//! function, then the file's diagnostics (a development benchmark; run with `--release`). With
//! `ROOT`, a crate root, every `.rs` file in ROOT's folder and below is set too, and FILE is
//! analysed with its crate's facts.
use std::time::Instant;

#[path = "support/files.rs"]
mod files;

use borrowlens_analysis::{AnalysisHost, Edition};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: keystroke FILE [ROOT]");
    let text = std::fs::read_to_string(&path).expect("readable file");
    // `EVENTS=1`: the queries executed and the memos validated by the last keystroke, by name.
    let executed = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = executed.clone();
    let mut host = if std::env::var("EVENTS").is_ok() {
        AnalysisHost::with_events(move |e| {
            let (what, key) = match e.kind {
                salsa::EventKind::WillExecute { database_key } => ("executed", database_key),
                salsa::EventKind::DidValidateMemoizedValue { database_key } => {
                    ("validated", database_key)
                }
                _ => return,
            };
            let name = format!("{key:?}");
            let name = name.split('(').next().unwrap_or_default();
            sink.lock()
                .unwrap()
                .push(format!("{what} by the last keystroke: {name}"));
        })
    } else {
        AnalysisHost::new()
    };
    let file = host.set_file(&path, text.clone(), Edition::E2021);
    if let Some(root) = std::env::args().nth(2) {
        let dir = std::path::Path::new(&root).parent().expect("a folder");
        files::set_folder(&mut host, dir, &path);
        host.set_crate_roots(&[root.as_str()]);
    }
    let cold = Instant::now();
    let n0 = host.diagnostics(file).len();
    println!(
        "cold: {:.1} ms, {} diagnostics, {} lines",
        cold.elapsed().as_secs_f64() * 1e3,
        n0,
        text.lines().count()
    );
    // Type inside the body of the function in the middle of the file: a comment character at the
    // start of a line whose previous line ends a statement.
    // `AT=TEXT`: just after TEXT instead (the bench's anchor, for one).
    let at = match std::env::var("AT") {
        Ok(anchor) => text.find(&anchor).expect("AT's text in FILE") + anchor.len(),
        Err(_) => {
            let mid = text.len() / 2;
            text[mid..]
                .find(";\n")
                .map(|i| mid + i + 2)
                .expect("a statement in the middle")
        }
    };
    // `TYPE=TEXT`: TEXT typed and deleted (`, extra: u8` after a parameter: a signature edit).
    let typed = std::env::var("TYPE").unwrap_or_else(|_| "//x\n".to_string());
    let mut cur = text.clone();
    let mut times = Vec::new();
    let (mut set_times, mut diag_times) = (Vec::new(), Vec::new());
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    for i in 0..n {
        if i % 2 == 0 {
            cur.insert_str(at, &typed);
        } else {
            cur.replace_range(at..at + typed.len(), "");
        }
        executed.lock().unwrap().clear();
        let t = Instant::now();
        host.set_file(&path, cur.clone(), Edition::E2021);
        let set = t.elapsed().as_secs_f64() * 1e3;
        let _ = host.diagnostics(file);
        let all = t.elapsed().as_secs_f64() * 1e3;
        times.push(all);
        set_times.push(set);
        diag_times.push(all - set);
    }
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for name in executed.lock().unwrap().iter() {
        *counts.entry(name.clone()).or_default() += 1;
    }
    for (name, n) in counts {
        println!("{name} x{n}");
    }
    for (what, mut times) in [
        ("keystroke", times),
        ("  set_file", set_times),
        ("  diagnostics", diag_times),
    ] {
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
        println!(
            "{what}: min {:.2} ms, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            times[0],
            pct(0.5),
            pct(0.99),
            times[times.len() - 1]
        );
    }
}
