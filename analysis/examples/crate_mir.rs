//! Prints the lowered body around `LINE` of `FILE` in the crate rooted at `ROOT`, the crate's
//! other files read from `ROOT`'s folder: `cargo run --example crate_mir ROOT FILE LINE`
//! (`DEPS=name=DIR,..` adds dependencies).
#[path = "support/files.rs"]
mod files;

use borrowlens_analysis::AnalysisHost;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (root, file, line): (&str, &str, usize) = (&args[1], &args[2], args[3].parse().unwrap());
    let dir = std::path::Path::new(root).parent().unwrap();
    let mut host = AnalysisHost::new();
    files::set_folder(&mut host, dir, "");
    // `DEPS=name=DIR,..`: dependencies' sources, as `keystroke_queries` reads them.
    if !files::set_dependencies(&mut host, root) {
        host.set_crate_roots(&[root]);
    }
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
