//! Prints the lowered body around `LINE` of `FILE` in the crate rooted at `ROOT`, the crate's
//! other files read from `ROOT`'s folder: `cargo run --example crate_mir ROOT FILE LINE`.
use borrowlens_analysis::{AnalysisHost, Edition};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (root, file, line): (&str, &str, usize) = (&args[1], &args[2], args[3].parse().unwrap());
    let dir = std::path::Path::new(root).parent().unwrap();
    let mut host = AnalysisHost::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                host.set_file(&p.display().to_string(), text, Edition::E2021);
            }
        }
    }
    host.set_crate_roots(&[root]);
    let id = host.file_id(file).unwrap();
    let a = host.snapshot();
    let text = a.file_text(id).unwrap().unwrap();
    let offset: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(|l| l.len())
        .sum();
    println!(
        "{}",
        a.view_mir(id, offset as u32).unwrap().unwrap_or_default()
    );
}
