//! borrowlens: the binary's library half, the command line `borrowlens check` and the language
//! server (`lsp`).
//!
//! Architecture invariants: this crate is thin. It reads files and arguments, makes one call into
//! `borrowlens_analysis` per question, and converts the answer (byte offsets) into what it prints,
//! each conversion in one module named after what it produces (`to_json`, `to_human`,
//! `lsp::to_lsp`, `lsp::from_lsp`). It never names tree-sitter. Only `output` writes to stdout
//! and stderr (and hands the protocol its stdout), because stdout is for results and the
//! protocol.

pub mod check;
pub mod cli;
pub mod edition;
pub mod line_index;
pub mod lsp;
pub mod output;
pub mod to_human;
pub mod to_json;
pub mod walk;

#[doc(hidden)]
pub mod trace_tmp {
    use std::sync::Mutex;
    use std::time::Instant;
    pub static T: Mutex<Vec<(&'static str, Instant)>> = Mutex::new(Vec::new());
    pub fn mark(what: &'static str) {
        T.lock().unwrap().push((what, Instant::now()));
    }
    pub fn dump() {
        use std::io::Write;
        let Ok(path) = std::env::var("BL_TRACE") else {
            return;
        };
        let t = T.lock().unwrap();
        let mut f = std::fs::File::create(format!("{path}.{}", std::process::id())).unwrap();
        let base = t.first().map(|x| x.1);
        for (w, i) in t.iter() {
            writeln!(f, "{} {}", w, i.duration_since(base.unwrap()).as_nanos()).unwrap();
        }
    }
}
