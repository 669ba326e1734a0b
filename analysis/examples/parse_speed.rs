//! Measures how fast `syntax::parse` reads real Rust: walks the directory given as the first
//! argument, parses every `*.rs` file under it and prints the lines per second.
//!
//! Run in release mode: `cargo run --release -p borrowlens-analysis --example parse_speed -- DIR`.

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
    let raw = std::env::args().nth(2).is_some_and(|a| a == "--tree-only");
    let mut items = 0usize;
    let mut elapsed = Duration::ZERO;
    for text in &texts {
        let start = Instant::now();
        if raw {
            let tree = borrowlens_analysis::syntax::parse_tree(text, None);
            items += tree.root_node().child_count() as usize;
        } else {
            items += borrowlens_analysis::syntax::parse(text).items.len();
        }
        elapsed += start.elapsed();
    }
    let secs = elapsed.as_secs_f64().max(1e-9);
    println!(
        "{} files, {} lines, {} bytes, {} items in {:.3}s: {:.0} lines/s, {:.1} MB/s",
        texts.len(),
        lines,
        bytes,
        items,
        secs,
        lines as f64 / secs,
        bytes as f64 / secs / 1e6
    );
}
