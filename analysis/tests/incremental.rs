//! Incrementality: salsa's events prove that an edit inside one function re-analyses only it.

use std::sync::{Arc, Mutex};

use borrowlens_analysis::{AnalysisHost, Edition};

const BEFORE: &str = "fn a() {
    let mut v = vec![1];
    let r = &v;
    v.push(1);
    println!(\"{r:?}\");
}

fn b(x: &mut Vec<i32>) {
    x.push(1);
}

fn c() {
    let s = String::new();
    let t = s;
    println!(\"{s}{t}\");
}
";

/// Runs the analysis on `before`, then on `after`, and returns how many times each per-function
/// query executed for the second run.
fn executions(before: &str, after: &str) -> (usize, usize, usize) {
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = log.clone();
    let mut host = AnalysisHost::with_events(move |e| {
        if let salsa::EventKind::WillExecute { .. } = e.kind {
            sink.lock().unwrap().push(format!("{:?}", e.kind));
        }
    });
    let file = host.set_file("lib.rs", before.to_string(), Edition::E2021);
    let first = host.diagnostics(file);
    assert!(!first.is_empty(), "the fixture has errors in a() and c()");
    log.lock().unwrap().clear();
    host.set_file("lib.rs", after.to_string(), Edition::E2021);
    let _ = host.diagnostics(file);
    let log = log.lock().unwrap();
    let count = |q: &str| log.iter().filter(|l| l.contains(&format!("{q}("))).count();
    (count("fn_body"), count("fn_borrowck"), count("file_index"))
}

#[test]
fn edit_inside_one_function_reanalyses_only_it() {
    let after = BEFORE.replace("x.push(1);", "x.push(2);\n    x.push(3);");
    let (bodies, borrowcks, _) = executions(BEFORE, &after);
    assert_eq!((bodies, borrowcks), (1, 1), "only b() must be lowered and checked again");
}

#[test]
fn moving_functions_reanalyses_nothing() {
    let after = format!("\n\n// a comment that shifts every function\n{BEFORE}");
    let (bodies, borrowcks, _) = executions(BEFORE, &after);
    assert_eq!((bodies, borrowcks), (0, 0), "offsets changed, bodies did not");
}

#[test]
fn diagnostics_follow_the_moved_function() {
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", BEFORE.to_string(), Edition::E2021);
    let before: Vec<u32> = host.diagnostics(file).iter().map(|d| d.range.start).collect();
    let shifted = format!("//\n{BEFORE}");
    host.set_file("lib.rs", shifted, Edition::E2021);
    let after: Vec<u32> = host.diagnostics(file).iter().map(|d| d.range.start).collect();
    assert_eq!(after, before.iter().map(|s| s + 3).collect::<Vec<_>>());
}
