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

/// A host that logs every query salsa executes.
fn logging_host() -> (AnalysisHost, Arc<Mutex<Vec<String>>>) {
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = log.clone();
    let host = AnalysisHost::with_events(move |e| {
        if let salsa::EventKind::WillExecute { .. } = e.kind {
            sink.lock().unwrap().push(format!("{:?}", e.kind));
        }
    });
    (host, log)
}

/// Runs the analysis on `before`, then on `after`, and returns how many times each per-function
/// query executed for the second run.
fn executions(before: &str, after: &str) -> (usize, usize, usize) {
    let (mut host, log) = logging_host();
    let file = host.set_file("lib.rs", before.to_string(), Edition::E2021);
    let first = host.diagnostics(file);
    assert!(!first.is_empty(), "the fixture has errors in a() and c()");
    log.lock().unwrap().clear();
    host.set_file("lib.rs", after.to_string(), Edition::E2021);
    let _ = host.diagnostics(file);
    let log = log.lock().unwrap();
    let count = |q: &str| log.iter().filter(|l| l.contains(&format!("{q}("))).count();
    (count("fn_body"), count("fn_borrowck"), count("crate_index"))
}

#[test]
fn edit_inside_one_function_reanalyses_only_it() {
    let after = BEFORE.replace("x.push(1);", "x.push(2);\n    x.push(3);");
    let (bodies, borrowcks, _) = executions(BEFORE, &after);
    assert_eq!(
        (bodies, borrowcks),
        (1, 1),
        "only b() must be lowered and checked again"
    );
}

#[test]
fn moving_functions_reanalyses_nothing() {
    let after = format!("\n\n// a comment that shifts every function\n{BEFORE}");
    let (bodies, borrowcks, _) = executions(BEFORE, &after);
    assert_eq!(
        (bodies, borrowcks),
        (0, 0),
        "offsets changed, bodies did not"
    );
}

#[test]
fn diagnostics_follow_the_moved_function() {
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", BEFORE.to_string(), Edition::E2021);
    let before: Vec<u32> = host
        .diagnostics(file)
        .iter()
        .map(|d| d.range.start)
        .collect();
    let shifted = format!("//\n{BEFORE}");
    host.set_file("lib.rs", shifted, Edition::E2021);
    let after: Vec<u32> = host
        .diagnostics(file)
        .iter()
        .map(|d| d.range.start)
        .collect();
    assert_eq!(after, before.iter().map(|s| s + 3).collect::<Vec<_>>());
}

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn incremental_reparse_equals_a_fresh_parse() {
    use borrowlens_analysis::syntax;
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/seeds/files/seeds"
    );
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the seeds corpus beside the repository")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let inserts = [
        "x",
        "é",
        "𝄞",
        "\n",
        "{",
        "}",
        ";",
        "let y = &mut v;",
        "\r\n",
        "//",
    ];
    let mut rng = Lcg(7);
    let mut edits = 0;
    for path in files.iter().take(12) {
        let mut text = std::fs::read_to_string(path).unwrap();
        let mut tree = syntax::ParsedTree::new(&text);
        for _ in 0..40 {
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let a = boundaries[rng.next() as usize % boundaries.len()];
            let b = boundaries[(boundaries.iter().position(|&x| x == a).unwrap()
                + rng.next() as usize % 4)
                .min(boundaries.len() - 1)];
            let ins = inserts[rng.next() as usize % inserts.len()];
            let mut new = String::with_capacity(text.len() + ins.len());
            new.push_str(&text[..a]);
            new.push_str(ins);
            new.push_str(&text[b..]);
            tree = tree.reparse(&text, &new);
            assert_eq!(
                tree.convert(&new),
                syntax::parse(&new),
                "after replacing {a}..{b} with {ins:?} in {}",
                path.display()
            );
            text = new;
            edits += 1;
        }
    }
    assert_eq!(edits, 12 * 40);
}

#[test]
fn edit_inside_one_function_keeps_the_index() {
    let after = BEFORE.replace("x.push(1);", "x.push(2);\n    x.push(3);");
    let (_, _, indexes) = executions(BEFORE, &after);
    assert_eq!(indexes, 0, "a body edit leaves every signature as it was");
    let after = BEFORE.replace("fn b(x: &mut Vec<i32>)", "fn b(x: &mut Vec<i32>, y: u8)");
    let (_, _, indexes) = executions(BEFORE, &after);
    assert_eq!(indexes, 1, "a signature edit rebuilds the index");
}

#[test]
fn reused_items_follow_their_containers() {
    use borrowlens_analysis::syntax;
    let text = "mod m {
    struct A { v: Vec<i32> }
    impl A {
        fn f(&mut self) -> &i32 { &self.v[0] }
        fn g(&self) {}
    }
    trait T { fn t(&self) {} }
    mod inner { fn h() {} }
}
#[derive(Clone)]
enum E { X(u8) }
fn top() { fn nested() {} }
";
    // Each edit keeps most items' text but may change their container or neighbours.
    let edits = [
        ("impl A {", "impl B {"),
        ("impl A {", "impl T for A {"),
        ("mod m {", "mod n {"),
        ("mod inner {", "mod outer {"),
        ("trait T {", "trait U {"),
        ("#[derive(Clone)]", "#[derive(Clone, Copy)]"),
        ("fn top() {", "fn top2() {"),
        ("    struct A", "    }\n    struct A"),
        ("fn g(&self) {}", "fn g(&self) {} }"),
        ("mod m {", "mod m {}"),
    ];
    for (from, to) in edits {
        let mut tree = syntax::ParsedTree::new(text);
        assert_eq!(tree.convert(text), syntax::parse(text));
        let new = text.replacen(from, to, 1);
        tree = tree.reparse(text, &new);
        assert_eq!(
            tree.convert(&new),
            syntax::parse(&new),
            "{from:?} -> {to:?}"
        );
        // And back, through the entries of the edited text.
        tree = tree.reparse(&new, text);
        assert_eq!(
            tree.convert(text),
            syntax::parse(text),
            "{to:?} -> {from:?}"
        );
    }
}

/// An interrupted computation answers nothing; asked again, it goes on where it stopped (the
/// functions it finished are not analysed again) and answers what an uninterrupted one does.
#[test]
fn interrupted_diagnostics_resume_where_they_stopped() {
    let (mut host, log) = logging_host();
    let file = host.set_file("lib.rs", BEFORE.to_string(), Edition::E2021);
    let bodies = |log: &Arc<Mutex<Vec<String>>>| {
        let n = log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("fn_body("))
            .count();
        log.lock().unwrap().clear();
        n
    };
    // Asked before b() (false) and before c() (true): stops there.
    let mut asked = 0;
    let stopped = host.diagnostics_until(file, &mut || {
        asked += 1;
        asked == 2
    });
    assert_eq!(stopped, None);
    assert_eq!(
        bodies(&log),
        2,
        "a() and b() were analysed before the interruption"
    );
    let rest = host.diagnostics_until(file, &mut || false);
    assert_eq!(
        bodies(&log),
        1,
        "c() is analysed, a() and b() are not again"
    );
    let mut fresh = AnalysisHost::new();
    let f = fresh.set_file("lib.rs", BEFORE.to_string(), Edition::E2021);
    assert_eq!(rest, Some(fresh.diagnostics(f)));
    // However many messages arrive, each computation analyses one more function.
    let edited = BEFORE.replace("let r = &v;", "let r = &v; // edited");
    host.set_file("lib.rs", edited, Edition::E2021);
    assert_eq!(host.diagnostics_until(file, &mut || true), None);
    assert_eq!(bodies(&log), 1, "the edited a() is analysed");
}

const MAIN: &str = "mod model;
use model::Counter;

fn main() {
    let mut c = Counter { items: vec![1] };
    let first = c.first();
    c.add(2);
    println!(\"{first}\");
}
";

const MODEL: &str = "pub struct Counter {
    pub items: Vec<u32>,
}

impl Counter {
    pub fn first(&self) -> &u32 {
        &self.items[0]
    }
    pub fn add(&mut self, x: u32) {
        self.items.push(x);
    }
}
";

/// A crate of two files analysed, then `model.rs` replaced by `model_after`: the executions of
/// each query for the second analysis of both files, and `main.rs`'s diagnostics.
fn crate_executions(model_after: &str) -> (usize, usize, usize, usize, usize) {
    let (mut host, log) = logging_host();
    let main = host.set_file("/src/main.rs", MAIN.to_string(), Edition::E2021);
    let model = host.set_file("/src/model.rs", MODEL.to_string(), Edition::E2021);
    host.set_crate_roots(&["/src/main.rs"]);
    assert_eq!(host.diagnostics(main).len(), 1, "the E0502 needs model.rs");
    host.diagnostics(model);
    log.lock().unwrap().clear();
    host.set_file("/src/model.rs", model_after.to_string(), Edition::E2021);
    let diags = host.diagnostics(main).len();
    host.diagnostics(model);
    let log = log.lock().unwrap();
    let count = |q: &str| log.iter().filter(|l| l.contains(&format!("{q}("))).count();
    (
        count("fn_body"),
        count("crate_index"),
        count("def_map"),
        diags,
        count("file_fn_entries"),
    )
}

#[test]
fn a_body_edit_in_another_file_reanalyses_only_that_body() {
    let after = MODEL.replace(
        "self.items.push(x);",
        "self.items.push(x);\n        self.items.push(x);",
    );
    let (bodies, indexes, def_maps, diags, entries) = crate_executions(&after);
    assert_eq!(
        entries, 0,
        "the signatures compare equal: the file's entries are not even resolved again"
    );
    assert_eq!(
        bodies, 1,
        "only `add` is lowered again; main.rs's bodies stand"
    );
    assert_eq!(indexes, 0, "no signature changed: the crate's index stands");
    assert_eq!(def_maps, 0, "no item or import changed: the def map stands");
    assert_eq!(diags, 1);
}

#[test]
fn a_signature_edit_in_another_file_reaches_the_bodies_that_may_call_it() {
    let after = MODEL.replace(
        "pub fn first(&self) -> &u32 {\n        &self.items[0]",
        "pub fn first(&self) -> u32 {\n        self.items[0]",
    );
    let (bodies, indexes, def_maps, diags, entries) = crate_executions(&after);
    assert_eq!(entries, 1, "the edited file's entries, and no other file's");
    assert_eq!(indexes, 1, "the crate's index is rebuilt once");
    assert_eq!(def_maps, 0, "no item or import changed: the def map stands");
    assert_eq!(
        bodies, 2,
        "`first` itself and `main`, which calls it; not `add`, whose names do not reach it"
    );
    assert_eq!(diags, 0, "`first` no longer borrows");
}

#[test]
fn a_signature_edit_no_body_reads_reanalyses_only_its_own_body() {
    let after = MODEL.replace(
        "pub fn add(&mut self, x: u32) {\n        self.items.push(x);\n    }",
        "pub fn add(&mut self, x: u32) {\n        self.items.push(x);\n    }\n    pub fn clear(&mut self, keep: usize) {\n        self.items.truncate(keep);\n    }",
    );
    assert_ne!(after, MODEL);
    let (bodies, indexes, _, diags, entries) = crate_executions(&after);
    assert_eq!(entries, 1, "the edited file's entries, and no other file's");
    assert_eq!(indexes, 1, "the crate's index is rebuilt once");
    assert_eq!(bodies, 1, "the new `clear` alone: no other body names it");
    assert_eq!(diags, 1, "main.rs's E0502 stands");
}

/// Typing on in a function walks neither the crate's files nor the other functions: their facts
/// and results are valid by salsa's durability (the edited function's input alone has low
/// durability), so no per-file fact and no other function's resolution is even validated. The
/// first edit of a function lowers its durability, which validates everything once; the test
/// counts the edit after it. In a crate of two files, and in a file alone.
#[test]
fn typing_in_a_function_validates_no_other_file_nor_function() {
    typing_validates_no_other_file_nor_function(true);
    typing_validates_no_other_file_nor_function(false);
}

fn typing_validates_no_other_file_nor_function(in_crate: bool) {
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = log.clone();
    let mut host = AnalysisHost::with_events(move |e| {
        let what = match e.kind {
            salsa::EventKind::WillExecute { database_key } => format!("executed {database_key:?}"),
            salsa::EventKind::DidValidateMemoizedValue { database_key } => {
                format!("validated {database_key:?}")
            }
            _ => return,
        };
        sink.lock().unwrap().push(what);
    });
    let model = if in_crate { "" } else { MODEL };
    let mut text = format!("{MAIN}\nfn other(v: &mut Vec<u32>) {{\n    v.push(1);\n}}\n{model}")
        .replace("mod model;\nuse model::Counter;\n", "");
    if in_crate {
        text = format!("mod model;\nuse model::Counter;\n{text}");
    }
    let main = host.set_file("/src/main.rs", text.clone(), Edition::E2021);
    if in_crate {
        host.set_file_from_disk("/src/model.rs", MODEL.to_string(), Edition::E2021);
        host.set_crate_roots(&["/src/main.rs"]);
    }
    assert_eq!(
        host.diagnostics(main).len(),
        1,
        "the E0502 needs Counter's methods"
    );
    for typed in ["    let _n = 3;\n", "    let _m = 4;\n"] {
        log.lock().unwrap().clear();
        let at = text.find("    println!").unwrap();
        text.insert_str(at, typed);
        host.set_file("/src/main.rs", text.clone(), Edition::E2021);
        assert_eq!(host.diagnostics(main).len(), 1);
    }
    let log = log.lock().unwrap();
    let count = |what: &str| log.iter().filter(|l| l.starts_with(what)).count();
    assert_eq!(count("executed fn_body("), 1, "{:#?}", *log);
    // other()'s, and Counter's methods' in the file alone: each a memo whose durability says
    // it is valid.
    let others = if in_crate { 1 } else { 3 };
    assert_eq!(count("validated fn_borrowck("), others, "{:#?}", *log);
    for query in [
        "index_inputs(",
        "file_fn_entries(",
        "fn_resolved(",
        "fn_signatures_read(",
    ] {
        assert_eq!(
            count(&format!("validated {query}")),
            0,
            "{query} in {:#?}",
            *log
        );
    }
}
