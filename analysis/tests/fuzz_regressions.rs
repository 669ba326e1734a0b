//! The crashes `tests/fuzz.rs` found, each reduced to its smallest input, so that they stay fixed.

use borrowlens_analysis::{AnalysisHost, Edition, TextRange};
use borrowlens_analysis::{InlayConfig, RegionQuery};

/// Every query at every byte offset of `text` (boundaries or not, and one past the end).
fn query_everywhere(text: &str) {
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", text.to_string(), Edition::E2021);
    host.diagnostics(file);
    let analysis = host.snapshot();
    let len = text.len() as u32;
    for at in 0..=len + 1 {
        analysis.hover(file, at).unwrap();
        analysis
            .regions(
                file,
                RegionQuery {
                    offset: Some(at),
                    range: None,
                },
            )
            .unwrap();
        let range = TextRange {
            start: at.min(len),
            end: len,
        };
        analysis
            .inlay_hints(file, range, InlayConfig::default())
            .unwrap();
    }
}

/// Hover sliced the text at its offset, which may fall inside a character: the server clamps
/// positions to characters, but the analysis's API takes any offset.
#[test]
fn hover_inside_a_multibyte_character() {
    query_everywhere("fn main() {\n    let mut x = 42_i32;\n    let r = &mut x; // é𝄞\n    *r += 1;\n    x;\n}\n");
}

/// Field access autoderefs through the crate's own `Deref` impls; one whose target is its own type
/// made lowering loop, allocating until memory ran out. rustc stops at its recursion limit (E0055).
#[test]
fn a_deref_impl_whose_target_is_itself() {
    let text = "use std::ops::Deref;\nstruct A { y: u8 }\nimpl Deref for A {\n    type Target = A;\n    fn deref(&self) -> &A { self }\n}\nfn f(a: A) -> u8 { a.x }\n";
    query_everywhere(text);
}

/// A field of a local whose type is hundreds of references deep (`let a: Box<_> &&&...= ...`
/// parses so): each autoderef step recomputed the types along the whole place, cubic in the depth
/// (6 s for 500 levels). Autoderef now stops at rustc's recursion limit.
#[test]
fn a_field_through_hundreds_of_references() {
    let text = format!(
        "fn f() {{\n    let a: Box<_> {}= Box::new(1);\n    let _x = a.x;\n    let _y = &a.y;\n}}\n",
        "&".repeat(3_000)
    );
    let start = std::time::Instant::now();
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", text, Edition::E2021);
    assert!(host.diagnostics(file).is_empty());
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
}

/// The index reads at most 4,000 bytes of a `use` declaration, and cut them inside a character
/// when the declaration had no `;` that soon.
#[test]
fn a_long_use_declaration_of_multibyte_characters() {
    query_everywhere(&format!("use a{};\nfn f() {{}}\n", "é".repeat(2_500)));
}

/// A `'` before thousands of statements made tree-sitter's lexer rescan to the end of the file
/// from every token: a second for 70 kB, quadratic, in few parser operations. The parse now also
/// gives up after reading eight times the text, and the file reads as empty.
#[test]
fn a_quote_before_thousands_of_statements() {
    let text = format!(
        "impl<'a, T> W<'a, T> {{\n    fn f(self, arg : &'a{} mut T) {{}}\n}}\n",
        "let r = &mut v;".repeat(16_000)
    );
    let start = std::time::Instant::now();
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", text, Edition::E2021);
    assert!(host.diagnostics(file).is_empty());
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
}

/// 828 byte-order marks (U+FEFF, three bytes each) after a raw string's `r#"` (found by the fuzzer,
/// seed 13, input 101,595): the lexer rescans them past the read budget, the input then ended
/// early, and when a piece of text had ended inside a mark, tree-sitter asked again for it, got an
/// empty piece and decoded a null pointer (SIGSEGV in `ts_decode_utf8`). The input now always hands
/// out the text in pieces that end on characters, and the parse stops at its next progress report.
#[test]
fn byte_order_marks_in_a_raw_string() {
    let text = include_str!("data/sigsegv-raw-string-bom.rs");
    assert_eq!(
        borrowlens_analysis::diagnostics_once(text, Edition::E2021),
        Err(borrowlens_analysis::ParseGaveUp)
    );
    query_everywhere(text);
    // The same marks at every offset around a piece's end.
    for shift in 0..4 {
        let text = format!("{}{}", " ".repeat(1_021 + shift), text);
        let mut host = AnalysisHost::new();
        let file = host.set_file("lib.rs", text, Edition::E2021);
        assert!(host.diagnostics(file).is_empty());
    }
}

/// Tree-sitter's incremental reparse of broken code can recover from errors differently from a
/// fresh parse: after these four versions of a file (found by the fuzzer), the diagnostics differ
/// from those of a fresh open. `settle` parses afresh (with an empty conversion cache: the LSP
/// torture test found a broken function whose cached conversion outlived its tree). Each version
/// starts with `use std::ops::Deref;`, which the fuzzer's cuts had removed: since paths resolve,
/// an `impl Deref` of a trait not in scope says nothing, and the case needs the real `Deref`.
#[test]
fn settle_gives_the_analysis_of_a_fresh_open() {
    let versions: Vec<&str> = include_str!("data/incremental_differs.txt")
        .split("\n=== next version ===\n")
        .collect();
    let last = versions.last().unwrap().to_string();
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", versions[0].to_string(), Edition::E2021);
    for version in &versions {
        host.set_file("lib.rs", version.to_string(), Edition::E2021);
        host.diagnostics(file);
    }
    let mut fresh = AnalysisHost::new();
    let fresh_file = fresh.set_file("lib.rs", last, Edition::E2021);
    let want = fresh.diagnostics(fresh_file);
    assert_ne!(
        host.diagnostics(file),
        want,
        "the incremental analysis no longer differs here: find another case with tests/fuzz.rs"
    );
    assert!(host.settle(file));
    assert_eq!(host.diagnostics(file), want);
    assert!(!host.settle(file), "a fresh parse needs no settling");
}

/// An incremental reparse that differs from a fresh one without any syntax error (found by the
/// fuzzer, seed 15, input 15,805): a newline typed inside a `//~^ ERROR ... [E0716]` comment
/// after `&(v,)` turns `[E0716]` into code. Tree-sitter reused the whole `&(v,)` and read
/// `(&(v,))[E0716]` (E0716 on the borrowed temporary); a fresh parse reads `&((v,)[E0716])`, as
/// Rust's precedence says, where nothing is reported. `settle` used to parse afresh only trees
/// with errors; it now compares every incremental parse with a fresh one.
#[test]
fn settle_catches_a_reused_subtree_that_binds_differently() {
    let seed = "fn gimme(x: &(u32,)) -> &u32 {\n    &x.0\n}\n\nfn main() {\n    let x = gimme({\n        let v = 22;\n        &(v,)\n        //~^ ERROR temporary value dropped while borrowed [E0716]\n    });\n    println!(\"{:?}\", x);\n}\n";
    let edited = seed.replace("while borrowed [E0716]", "while bo\n[E0716]");
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", seed.to_string(), Edition::E2021);
    host.diagnostics(file);
    host.set_file("lib.rs", edited.clone(), Edition::E2021);
    let mut fresh = AnalysisHost::new();
    let fresh_file = fresh.set_file("lib.rs", edited, Edition::E2021);
    let want = fresh.diagnostics(fresh_file);
    assert!(want.is_empty(), "{want:?}");
    assert_ne!(
        host.diagnostics(file),
        want,
        "the incremental parse binds differently"
    );
    // An interrupted settle changes nothing, and settles later.
    assert_eq!(host.settle_until(file, &mut || true), None);
    assert_ne!(host.diagnostics(file), want);
    assert!(
        host.settle(file),
        "the incremental parse differs from a fresh one"
    );
    assert_eq!(host.diagnostics(file), want);
    assert!(!host.settle(file), "a fresh parse needs no settling");
}

/// An incremental reparse equal to a fresh one is kept: settling it analyses nothing again.
#[test]
fn settle_keeps_a_parse_equal_to_a_fresh_one() {
    let text =
        "fn f() {\n    let mut v = vec![1];\n    let r = &v;\n    v.push(2);\n    r.len();\n}\n";
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", text.to_string(), Edition::E2021);
    host.set_file(
        "lib.rs",
        text.replace("vec![1]", "vec![12]"),
        Edition::E2021,
    );
    let before = host.diagnostics(file);
    assert_eq!(before.len(), 1);
    assert!(!host.settle(file));
    assert_eq!(host.diagnostics(file), before);
    assert!(!host.settle(file));
}

/// Each function nested in another had its own entry in the conversion cache, holding its text and
/// its items, the text and items of every function inside it included: quadratic in the nesting
/// (28 kB of nested functions from the fuzzer took 380 MB and a second in a release build). This
/// one took 2.3 s optimised; a debug build stops converting at less than half the depth (its
/// frames are larger), so `.ci/run` also runs these tests optimised.
#[test]
fn nested_functions_are_cached_once() {
    let inner =
        "fn g() { let mut v = vec![1]; let r = &mut v; r.push(1); v.push(2); }\n".repeat(1_000);
    let text = format!("{}{inner}{}", "fn f() {\n".repeat(200), "}\n".repeat(200));
    let start = std::time::Instant::now();
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", text.clone(), Edition::E2021);
    assert!(host.diagnostics(file).is_empty());
    // An edit converts the file again, through the cache.
    host.set_file("lib.rs", format!("{text}\n"), Edition::E2021);
    assert!(host.diagnostics(file).is_empty());
    assert!(
        start.elapsed() < std::time::Duration::from_secs(1),
        "took {:?}",
        start.elapsed()
    );
}
