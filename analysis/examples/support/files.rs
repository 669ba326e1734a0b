//! What the crate-wide examples share: every `.rs` file in a folder and below set in a host,
//! from disk (medium durability), but `except` (a file the example edits, set apart).
use borrowlens_analysis::{AnalysisHost, Edition};

pub fn set_folder(host: &mut AnalysisHost, dir: &std::path::Path, except: &str) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("a readable folder").flatten() {
            let p = e.path();
            let key = p.display().to_string();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") && key != except {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                host.set_file_from_disk(&key, text, Edition::E2021);
            }
        }
    }
}
