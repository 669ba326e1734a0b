//! Times keystrokes inside a body: `;` typed after ANCHOR and deleted, N times (a development
//! benchmark for profiling; run with `--release`). Usage: body_keystroke FILE ANCHOR [N]
use std::time::Instant;

use borrowlens_analysis::{AnalysisHost, Edition};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: body_keystroke FILE ANCHOR [N]");
    let anchor = args.next().expect("an anchor text");
    let n: usize = args.next().map_or(400, |s| s.parse().expect("a count"));
    let text = std::fs::read_to_string(&path).expect("readable file");
    let at = text.find(&anchor).expect("the anchor in the file") + anchor.len();
    let mut host = AnalysisHost::new();
    let file = host.set_file(&path, text.clone(), Edition::E2021);
    host.diagnostics(file);
    let mut cur = text;
    let (mut times, mut parts) = (Vec::new(), Vec::new());
    for i in 0..n {
        if i % 2 == 0 {
            cur.insert(at, ';');
        } else {
            cur.remove(at);
        }
        let t = Instant::now();
        host.set_file(&path, cur.clone(), Edition::E2021);
        let set = t.elapsed().as_secs_f64() * 1e3;
        let _ = host.diagnostics(file);
        let total = t.elapsed().as_secs_f64() * 1e3;
        times.push(total);
        parts.push((set, total - set));
    }
    times.sort_by(f64::total_cmp);
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "keystroke: min {:.2} ms, p50 {:.2} ms, max {:.2} ms (p50 set_file {:.2} ms, diagnostics {:.2} ms)",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1],
        median(parts.iter().map(|it| it.0).collect()),
        median(parts.iter().map(|it| it.1).collect()),
    );
}
