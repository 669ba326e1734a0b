//! Measures how fast `syntax::parse` reads real Rust: walks the directory given as the first
//! argument, parses every `*.rs` file under it and prints the lines per second.
//!
//! Run in release mode: `cargo run --release -p borrowlens-analysis --example parse_speed -- DIR`.
//! Besides wall-clock time it reports the CPU time of the parsing thread (on Linux), which is the
//! fairer figure on a machine busy with other work.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    // Unreadable directories are skipped: the figure is about the parser, not the file system.
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Nanoseconds this thread has spent on a CPU, from Linux's scheduler statistics.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse_speed DIR");
        std::process::exit(2);
    };
    let mut paths = Vec::new();
    collect(Path::new(&dir), &mut paths);
    paths.sort();
    // Files are read up front so that only parsing is timed.
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let lines: usize = texts.iter().map(|t| t.lines().count()).sum();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();

    // `parse` is `parse_tree` then `convert`; they are timed apart to show where time goes.
    let mut items = 0usize;
    let mut tree_time = Duration::ZERO;
    let mut convert_time = Duration::ZERO;
    let cpu_start = thread_cpu_ns();
    for text in &texts {
        let start = Instant::now();
        // A text over the parse budget converts to nothing; none of the registry's does.
        let Some(tree) = borrowlens_analysis::syntax::parse_tree(text, None) else {
            continue;
        };
        let parsed = Instant::now();
        let file = borrowlens_analysis::syntax::convert(&tree, text);
        items += file.items.len();
        drop(file);
        let converted = Instant::now();
        drop(tree);
        tree_time += (parsed - start) + converted.elapsed();
        convert_time += converted - parsed;
    }
    let cpu = cpu_start
        .zip(thread_cpu_ns())
        .map(|(a, b)| Duration::from_nanos(b.saturating_sub(a)));
    let wall = (tree_time + convert_time).as_secs_f64().max(1e-9);
    println!(
        "{} files, {} lines, {} bytes, {} items: wall {:.3}s (tree-sitter {:.3}s, conversion {:.3}s), {:.0} lines/s, {:.1} MB/s",
        texts.len(),
        lines,
        bytes,
        items,
        wall,
        tree_time.as_secs_f64(),
        convert_time.as_secs_f64(),
        lines as f64 / wall,
        bytes as f64 / wall / 1e6
    );
    if let Some(cpu) = cpu {
        let secs = cpu.as_secs_f64().max(1e-9);
        println!(
            "thread CPU time {:.3}s: {:.0} lines/s",
            secs,
            lines as f64 / secs
        );
    }
}
