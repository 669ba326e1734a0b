//! Pathological inputs, each with a stated time bound: deep nesting of every kind, a 5 MB file, a
//! 1 MB line, a function of 20,000 statements, NUL bytes, CR and CRLF line ends, a file of nothing
//! but syntax errors, and the inputs that once hung or exhausted memory. Each runs through the
//! whole analysis (diagnostics, inlay hints, hover, regions) on a thread with the stack the
//! `borrowlens` binary gives its analysis threads, and must answer within its bound (debug build,
//! two busy cores; release builds take a tenth of that or less) and sensibly: exactly the errors
//! that are there, and none in what is too deep or too big to check.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use borrowlens_analysis::{AnalysisHost, Edition, TextRange, ANALYSIS_STACK_SIZE};
use borrowlens_analysis::{InlayConfig, RegionQuery};

/// A function with one E0502 (its `v.push(2)`), named `ok{n}`.
fn conflict(n: usize) -> String {
    format!("fn ok{n}() {{ let mut v = vec![1]; let r = &v; v.push(2); r.len(); }}")
}

/// What one run found, and how long it took.
struct Run {
    codes: Vec<&'static str>,
    /// The offset of each diagnostic's start.
    starts: Vec<u32>,
    elapsed: Duration,
}

/// Analyses `text` as one file on a thread with the binary's analysis stack: diagnostics, inlay
/// hints and regions of the whole file, hovers at 16 offsets spread over it. Fails when that takes
/// longer than `bound`, without waiting for a run that hangs.
#[track_caller]
fn analyse(what: &str, text: String, bound: Duration) -> Run {
    let (tx, rx) = mpsc::channel();
    let len = text.len() as u32;
    std::thread::Builder::new()
        .stack_size(ANALYSIS_STACK_SIZE)
        .spawn(move || {
            let start = Instant::now();
            let mut host = AnalysisHost::new();
            let file = host.set_file("lib.rs", text.clone(), Edition::E2021);
            let diags = host.diagnostics(file);
            let analysis = host.snapshot();
            let whole = TextRange { start: 0, end: len };
            analysis
                .inlay_hints(file, whole, InlayConfig::default())
                .unwrap();
            analysis.regions(file, RegionQuery::default()).unwrap();
            for k in 0..16u32 {
                let mut at = (u64::from(len) * u64::from(k) / 16) as usize;
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                analysis.hover(file, at as u32).unwrap();
            }
            let _ = tx.send(Run {
                codes: diags.iter().map(|d| d.code).collect(),
                starts: diags.iter().map(|d| d.range.start).collect(),
                elapsed: start.elapsed(),
            });
        })
        .unwrap();
    // Twice the bound before giving up on the thread: a run that ends late still reports its time.
    match rx.recv_timeout(bound * 2) {
        Ok(run) => {
            assert!(
                run.elapsed <= bound,
                "{what}: took {:?}, more than {bound:?}",
                run.elapsed
            );
            eprintln!("{what}: {:?} (bound {bound:?})", run.elapsed);
            run
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer within {:?}", bound * 2),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: the analysis panicked"),
    }
}

/// `analyse`, asserting that exactly the errors of `conflict` functions were found: `n` E0502.
#[track_caller]
fn check_conflicts(what: &str, text: String, n: usize, bound: Duration) -> Run {
    let run = analyse(what, text, bound);
    assert_eq!(run.codes, vec!["E0502"; n], "{what}");
    run
}

const DEPTH: usize = 10_000;

/// Code rustc accepts, and that a confused liveness would not: `r`'s borrow ends before the push.
const CLEAN: &str = "let mut v = vec![1]; let r = &mut v; r.push(1); v.push(2);";

/// Deep nesting of one construct inside a function, beside a function with one real error: the
/// error is reported, the deep function (which rustc accepts) reports nothing, and neither parsing
/// nor lowering nor checking overflows the stack.
#[track_caller]
fn check_deep(what: &str, deep_fn: String) {
    let text = format!("{}\n{deep_fn}\n", conflict(0));
    check_conflicts(what, text, 1, Duration::from_secs(10));
}

#[test]
fn ten_thousand_nested_blocks() {
    let open = format!("{{ {CLEAN} ").repeat(DEPTH);
    check_deep(
        "blocks",
        format!("fn deep() {open} {CLEAN} {}", " }".repeat(DEPTH)),
    );
    check_deep(
        "unclosed blocks",
        format!("fn deep() {}", "{".repeat(DEPTH)),
    );
}

#[test]
fn ten_thousand_nested_parentheses_and_brackets() {
    for (open, close) in [
        ("(", ")"),
        ("[", "]"),
        ("(1, ", ")"),
        ("&", ""),
        ("-", ""),
        ("!", ""),
    ] {
        check_deep(
            &format!("{open}...{close}"),
            format!(
                "fn deep() {{ let mut v = vec![1]; let x = {}v.push(2){}; let r = &v; r.len(); }}",
                open.repeat(DEPTH),
                close.repeat(DEPTH)
            ),
        );
    }
    check_deep(
        "nested patterns",
        format!(
            "fn deep() {{ let {}x{} = 1; {CLEAN} }}",
            "(".repeat(DEPTH),
            ")".repeat(DEPTH)
        ),
    );
    check_deep(
        "nested types",
        format!(
            "fn deep(x: {}u8{}) {{ {CLEAN} }}",
            "Vec<".repeat(DEPTH),
            ">".repeat(DEPTH)
        ),
    );
}

#[test]
fn ten_thousand_nested_closures() {
    check_deep(
        "closures",
        format!(
            "fn deep() {{ let mut v = vec![1]; let c = {}v.len(); let r = &mut v; r.push(1); }}",
            "|| ".repeat(DEPTH)
        ),
    );
    check_deep(
        "closures called in blocks",
        format!(
            "fn deep() {{ {}{CLEAN}{}; }}",
            "(|| { ".repeat(DEPTH),
            " })()".repeat(DEPTH)
        ),
    );
    check_deep(
        "move closures",
        format!(
            "fn deep() {{ let mut v = vec![1]; {} v.push(2) {}; }}",
            "(move || { ".repeat(DEPTH),
            "})()".repeat(DEPTH)
        ),
    );
}

#[test]
fn ten_thousand_nested_ifs_loops_and_matches() {
    for (open, close) in [
        ("if c { ", " }"),
        ("if c { 1; } else { ", " }"),
        ("loop { ", " break; }"),
        ("while c { ", " }"),
        ("match c { _ => { ", " } }"),
        ("for _ in 0..1 { ", " }"),
        ("unsafe { ", " }"),
        ("if let Some(_) = Some(1) { ", " }"),
    ] {
        check_deep(
            &format!("{open}...{close}"),
            format!(
                "fn deep(c: bool) {{ {}{CLEAN}{} }}",
                open.repeat(DEPTH),
                close.repeat(DEPTH)
            ),
        );
    }
    check_deep(
        "else if chain",
        format!(
            "fn deep(c: bool) -> u8 {{ {CLEAN} {} {{ 0 }} }}",
            "if c { 1 } else ".repeat(DEPTH)
        ),
    );
}

#[test]
fn long_chains_and_nested_items() {
    check_deep(
        "a + a + ...",
        format!(
            "fn deep(a: u8) -> u8 {{ {CLEAN} {}a }}",
            "a + ".repeat(100_000)
        ),
    );
    check_deep(
        "method chain",
        format!(
            "fn deep(v: Vec<u8>) {{ v{}; {CLEAN} }}",
            ".clone()".repeat(DEPTH)
        ),
    );
    check_deep(
        "path",
        format!("fn deep() {{ {}a; {CLEAN} }}", "a::".repeat(DEPTH)),
    );
    check_deep(
        "nested modules",
        format!(
            "{}fn deep() {{ {CLEAN} }}{}",
            "mod m { ".repeat(DEPTH),
            " }".repeat(DEPTH)
        ),
    );
    check_deep(
        "nested functions",
        format!(
            "{}{}",
            format!("fn deep() {{ {CLEAN} ").repeat(DEPTH),
            "}".repeat(DEPTH)
        ),
    );
    check_deep(
        "nested macros",
        format!(
            "fn deep() {{ {CLEAN} println!(\"{{:?}}\", {}1{}); }}",
            "vec![".repeat(DEPTH),
            "]".repeat(DEPTH)
        ),
    );
    check_deep(
        "nested token trees",
        format!(
            "fn deep() {{ {CLEAN} m!{}{}; }}",
            "(".repeat(DEPTH),
            ")".repeat(DEPTH)
        ),
    );
}

/// Texts on which tree-sitter's error recovery takes quadratic time: 10,000 `+ if c {1} else`
/// took 2 minutes to parse before the parse budget; now the parse gives up and the file says
/// nothing.
#[test]
fn quadratic_error_recovery_gives_up_in_time() {
    let text = format!(
        "fn f(c: bool) {{\n let x = 0 {}{{0}};\n}}\n",
        " + if c {1} else ".repeat(DEPTH)
    );
    let run = analyse("+ if c {1} else", text, Duration::from_secs(10));
    assert!(run.codes.is_empty());
    let text = format!("fn f() {{\n{}\n}}\n", "if c {1} else + ".repeat(20_000));
    let run = analyse("if c {1} else +", text, Duration::from_secs(10));
    assert!(run.codes.is_empty());
}

#[test]
fn a_five_megabyte_file() {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 5 << 20 {
        text.push_str(&conflict(n));
        text.push_str("\n/// Another function.\nfn other");
        text.push_str(&n.to_string());
        text.push_str("(x: &mut Vec<u32>) -> usize {\n    let first = x[0];\n    x.push(first);\n    x.len()\n}\n\n");
        n += 1;
    }
    check_conflicts("5 MB file", text, n, Duration::from_secs(120));
}

#[test]
fn a_one_megabyte_line() {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 1 << 20 {
        text.push_str(&conflict(n));
        text.push(' ');
        n += 1;
    }
    check_conflicts("1 MB line of functions", text, n, Duration::from_secs(30));
    let text = format!(
        "fn f() {{ let s = \"{}\"; }} {}",
        "x".repeat(1 << 20),
        conflict(0)
    );
    check_conflicts("1 MB string literal", text, 1, Duration::from_secs(10));
    let text = format!("{} // {}", conflict(0), "x".repeat(1 << 20));
    check_conflicts("1 MB comment", text, 1, Duration::from_secs(10));
}

/// A function of 20,000 statements is lowered in linear time and is too large to check
/// (`borrowck::MAX_CELLS`): it reports nothing, and the functions beside it are checked.
#[test]
fn a_function_of_twenty_thousand_statements() {
    let stmts: String = (0..20_000)
        .map(|i| format!("    let x{i} = &mut v; x{i}.push({i});\n"))
        .collect();
    let text = format!(
        "{}\nfn big() {{\n    let mut v = vec![0];\n{stmts}}}\n",
        conflict(0)
    );
    check_conflicts("20,000 statements", text, 1, Duration::from_secs(60));
    // Copies chained through 2,000 locals stay well under the cap and are checked in linear time.
    let copies: String = (0..2_000)
        .map(|i| format!("    let x{} = x{i};\n", i + 1))
        .collect();
    let text = format!(
        "fn chain() {{\n    let mut v = vec![0];\n    let x0 = &v;\n{copies}    v.push(1);\n    x2000.len();\n}}\n"
    );
    check_conflicts("2,000 chained copies", text, 1, Duration::from_secs(30));
}

#[test]
fn a_web_of_structs_each_holding_the_next_ones() {
    // Each struct holds the next two by reference: what a signature's types imply of their
    // lifetimes, and how the types follow their lifetimes, are computed once per struct, not
    // once per path through the web (2^60 of them).
    let mut text = String::new();
    for i in 0..60 {
        text.push_str(&format!(
            "pub struct S{i}<'a, 'b> {{ x: &'a S{}<'a, 'b>, y: &'b S{}<'b, 'a>, z: &'a &'b u32 }}\n",
            i + 1,
            i + 2
        ));
    }
    text.push_str(
        "pub struct S60<'a, 'b> { z: &'a &'b u32 }\npub struct S61<'a, 'b> { z: &'a &'b u32 }\n",
    );
    for i in 0..50 {
        text.push_str(&format!(
            "pub fn f{i}<'a, 'b>(s: S0<'a, 'b>, t: &'a S0<'a, 'b>) -> (S0<'a, 'b>, &'b u32) {{ let u: S0<'a, 'b> = s; (u, *t.z) }}\n"
        ));
    }
    text.push_str("pub fn bad<'a, 'b>(x: &'a u32) -> &'b u32 { x }\n");
    let run = analyse("a web of structs", text, Duration::from_secs(30));
    assert_eq!(run.codes, vec!["lifetime"]);
}

#[test]
fn nul_bytes() {
    let run = analyse(
        "NUL bytes",
        format!("{}\n\0\0fn g() {{ \0 }}\0", conflict(0)),
        Duration::from_secs(5),
    );
    assert_eq!(run.codes, ["E0502"]);
    let run = analyse(
        "only NUL bytes",
        "\0".repeat(100_000),
        Duration::from_secs(10),
    );
    assert!(run.codes.is_empty());
}

/// CRLF and lone CR line ends: the same error at the same place (`\r` is whitespace to rustc).
#[test]
fn crlf_and_lone_cr() {
    let lf =
        "fn f() {\n    let mut v = vec![1];\n    let r = &v;\n    v.push(2);\n    r.len();\n}\n";
    let at = |text: &str| text.find("v.push").unwrap() as u32;
    for ending in ["\r\n", "\r", "\n\r"] {
        let text = lf.replace('\n', ending);
        let run = analyse(
            &format!("{ending:?} line ends"),
            text.clone(),
            Duration::from_secs(5),
        );
        assert_eq!(run.codes, ["E0502"], "{ending:?}");
        assert_eq!(run.starts, [at(&text)], "{ending:?}");
    }
}

/// A file of nothing but syntax errors: tree-sitter's `ERROR` nodes all the way down.
#[test]
fn a_file_of_errors() {
    let mut seed = 1u64;
    let punctuation: Vec<char> = ")]}>;,.=@#$?".chars().collect();
    let text: String = (0..200_000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            punctuation[(seed % punctuation.len() as u64) as usize]
        })
        .collect();
    let run = analyse("200 kB of punctuation", text, Duration::from_secs(20));
    assert!(run.codes.is_empty());
    let run = analyse("100,000 `)`", ")".repeat(100_000), Duration::from_secs(10));
    assert!(run.codes.is_empty());
    let run = analyse(
        "100,000 `else +`",
        format!("fn f() {{ {} }}", "else + ".repeat(100_000)),
        Duration::from_secs(20),
    );
    assert!(run.codes.is_empty());
}
