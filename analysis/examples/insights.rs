//! Prints a file with its inlay hints spliced in, and the hover at each `offset` given (a
//! development aid).
use borrowlens_analysis::{ide, AnalysisHost, Edition, TextRange};
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: insights FILE [OFFSET...]");
    let text = std::fs::read_to_string(&path).expect("readable file");
    let mut host = AnalysisHost::new();
    let file = host.set_file(&path, text.clone(), Edition::E2021);
    let a = host.snapshot();
    let hints = a
        .inlay_hints(
            file,
            TextRange {
                start: 0,
                end: text.len() as u32,
            },
            ide::InlayConfig::default(),
        )
        .unwrap();
    let mut out = text.clone();
    for h in hints.iter().rev() {
        out.insert_str(h.offset as usize, &h.label);
    }
    println!("{out}");
    for o in args {
        let o: u32 = o.parse().unwrap();
        println!(
            "--- hover at {o}: {:?}",
            a.hover(file, o).unwrap().map(|h| h.markdown)
        );
    }
}
