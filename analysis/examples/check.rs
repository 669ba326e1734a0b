//! Prints the diagnostics of the files given as arguments (a development aid).
use borrowlens_analysis::{AnalysisHost, Edition};
fn main() {
    let mut host = AnalysisHost::new();
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        let ed = if text.contains("//@ edition:2021") {
            Edition::E2021
        } else {
            Edition::E2015
        };
        let f = host.set_file(&path, text.clone(), ed);
        for d in host.diagnostics(f) {
            let line = text[..d.range.start as usize].matches('\n').count() + 1;
            eprintln!("{path}:{line}: {} {}", d.code, d.message);
        }
    }
}
