use borrowlens_analysis::{AnalysisHost, Edition};
#[test]
fn dump() {
    let path = std::env::var("DUMP").unwrap();
    let needle = std::env::var("FN").unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let offset = text.find(&needle).unwrap() + needle.len();
    let mut host = AnalysisHost::new();
    let ed = if std::env::var("ED").is_ok() { Edition::E2021 } else { Edition::E2015 };
    let file = host.set_file("lib.rs", text, ed);
    let mir = host.snapshot().view_mir(file, offset as u32).unwrap().unwrap();
    println!("{mir}");
}
