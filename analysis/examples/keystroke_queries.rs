//! Which queries one keystroke executes, with a crate indexed: `keystroke_queries FILE ROOT`.
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[path = "support/files.rs"]
mod files;

use borrowlens_analysis::{AnalysisHost, Edition};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (path, root) = (&args[1], &args[2]);
    let log: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let sink = log.clone();
    let mut host = AnalysisHost::with_events(move |e| {
        if let salsa::EventKind::WillExecute { .. } = e.kind {
            let s = format!("{:?}", e.kind);
            let name = s
                .split("database_key: ")
                .nth(1)
                .unwrap_or("")
                .split('(')
                .next()
                .unwrap_or("")
                .to_string();
            sink.lock().unwrap().push((name, Instant::now()));
        }
    });
    let text = std::fs::read_to_string(path).unwrap();
    let file = host.set_file(path, text.clone(), Edition::E2021);
    let dir = std::path::Path::new(root).parent().unwrap();
    files::set_folder(&mut host, dir, path);
    if !files::set_dependencies(&mut host, root) {
        host.set_crate_roots(&[root.as_str()]);
    }
    host.diagnostics(file);
    // `SIGNATURE=1`: an edit of a signature instead of a body.
    let signature = std::env::var_os("SIGNATURE").is_some();
    let (at, typed) = if signature {
        let a = "fn to_index(&self, id: StateID";
        (text.find(a).unwrap() + a.len(), ", extra: u8")
    } else {
        let at = text.find("fn accelerate").unwrap();
        (at + text[at..].find(";\n").unwrap() + 2, ";")
    };
    let mut times = Vec::new();
    for i in 0..100 {
        let mut cur = text.clone();
        if i % 2 == 0 {
            cur.insert_str(at, typed);
        }
        log.lock().unwrap().clear();
        let t = Instant::now();
        host.set_file(path, cur, Edition::E2021);
        host.diagnostics(file);
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("p50 {:.2} ms", times[50]);
    let log = log.lock().unwrap();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for (n, _) in log.iter() {
        *counts.entry(n.clone()).or_default() += 1;
    }
    println!("{counts:?}");
    for w in log.windows(2) {
        let d = w[1].1.duration_since(w[0].1).as_secs_f64() * 1e3;
        if d > 0.2 {
            println!("{:.2} ms after {}", d, w[0].0);
        }
    }
    if let (Some(first), Some(last)) = (log.first(), log.last()) {
        println!(
            "last keystroke: {:.2} ms from the first query executed to the last",
            last.1.duration_since(first.1).as_secs_f64() * 1e3
        );
    }
}
