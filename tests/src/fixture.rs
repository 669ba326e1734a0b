//! Diagnostic fixtures: real Rust with compiletest's markers, checked against the analysis.
//!
//! A marker sits at the end of a line: `//~ ERROR E0502` is an error with that code on this line,
//! `//~^ ERROR E0502` on the line above (one more `^` per line further up), `//~| ERROR E0499` on
//! the same line as the marker before it. The code is rustc's (`lifetime` for "lifetime may not
//! live long enough"); the rest of the marker is free text. `WARN` marks a warning.
//!
//! The edition is 2021 unless the fixture has a `//@ edition:YYYY` line.
//!
//! Every fixture is real Rust, so the markers can be checked against rustc itself: with
//! `BORROWLENS_FIXTURES_RUSTC=1`, each fixture is also compiled with the installed `rustc`
//! (`--emit=metadata`, as a bin when it has `fn main(`) and its errors must be the markers.

use std::fmt::Write;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use borrowlens::line_index::LineIndex;
use borrowlens_analysis::{AnalysisHost, Edition, Severity};
use serde_json::Value;

/// A marker, or a diagnostic reduced to what markers pin: severity, code and primary line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Annotation {
    pub line: u32,
    pub code: String,
    pub error: bool,
    /// The message, when it comes from the analysis (markers have none); not compared.
    pub message: String,
}

impl Annotation {
    fn key(&self) -> (u32, &str, bool) {
        (self.line, &self.code, self.error)
    }
}

/// Asserts that the analysis reports exactly the fixture's markers (code and line, as a multiset).
#[track_caller]
pub fn check_diagnostics(src: &str) {
    check_against_rustc_if_asked(src);
    let (expected, actual) = expected_and_actual(src);
    if !same(&expected, &actual) {
        panic!("{}", mismatch(src, &expected, &actual));
    }
}

/// For an error fixture the analysis cannot handle yet: passes while the analysis reports nothing
/// at all for it, or exactly the markers (then flip it to `check_diagnostics`); fails on anything
/// else, a false positive or only some of the errors. So it pins "no false positives" today and
/// turns into a real check the moment the analysis says something about the fixture.
#[track_caller]
pub fn check_diagnostics_pending(src: &str) {
    check_against_rustc_if_asked(src);
    let (expected, actual) = expected_and_actual(src);
    if actual.is_empty() {
        eprintln!(
            "pending: the analysis reports none of the {} expected diagnostics yet",
            expected.len()
        );
    } else if same(&expected, &actual) {
        eprintln!(
            "pending fixture passes now: change `check_diagnostics_pending` to `check_diagnostics`"
        );
    } else {
        panic!(
            "{}\n(a pending fixture may report nothing or everything, never something else)",
            mismatch(src, &expected, &actual)
        );
    }
}

fn same(expected: &[Annotation], actual: &[Annotation]) -> bool {
    expected
        .iter()
        .map(Annotation::key)
        .eq(actual.iter().map(Annotation::key))
}

fn edition(src: &str) -> Edition {
    borrowlens::edition::from_directive(src).unwrap_or(Edition::E2021)
}

/// The markers and the analysis' diagnostics, each sorted.
fn expected_and_actual(src: &str) -> (Vec<Annotation>, Vec<Annotation>) {
    let expected = markers(src);
    let mut host = AnalysisHost::new();
    let file = host.set_file("fixture.rs", src.to_string(), edition(src));
    let index = LineIndex::new(src);
    let mut actual: Vec<Annotation> = host
        .diagnostics(file)
        .into_iter()
        .map(|diag| Annotation {
            line: index.line_col(diag.range.start).line,
            code: diag.code.to_string(),
            error: diag.severity == Severity::Error,
            message: diag.message,
        })
        .collect();
    actual.sort();
    (expected, actual)
}

/// The fixture's `//~` markers, sorted.
#[track_caller]
pub fn markers(src: &str) -> Vec<Annotation> {
    let mut acc: Vec<Annotation> = Vec::new();
    let mut previous_line = None;
    for (i, text) in src.split('\n').enumerate() {
        let here = i as u32 + 1;
        let Some(at) = text.find("//~") else { continue };
        let rest = &text[at + 3..];
        let line = if rest.starts_with('|') {
            previous_line.unwrap_or_else(|| panic!("line {here}: `//~|` with no marker before it"))
        } else {
            let up = rest.chars().take_while(|&c| c == '^').count() as u32;
            here.checked_sub(up)
                .filter(|&it| it >= 1)
                .unwrap_or_else(|| panic!("line {here}: the marker points above line 1"))
        };
        let rest = rest.trim_start_matches(['|', '^']);
        let mut words = rest.split_whitespace();
        let error = match words.next() {
            Some("ERROR") => true,
            Some("WARN" | "WARNING") => false,
            other => panic!("line {here}: expected `ERROR` or `WARN` after `//~`, found {other:?}"),
        };
        let code = words
            .next()
            .unwrap_or_else(|| panic!("line {here}: the marker names no code"));
        acc.push(Annotation {
            line,
            code: code.to_string(),
            error,
            message: String::new(),
        });
        previous_line = Some(line);
    }
    acc.sort();
    acc
}

fn mismatch(src: &str, expected: &[Annotation], actual: &[Annotation]) -> String {
    let lines: Vec<&str> = src.split('\n').collect();
    let source = |line: u32| lines.get(line as usize - 1).copied().unwrap_or("").trim();
    let describe = |it: &Annotation| {
        let kind = if it.error { "ERROR" } else { "WARN" };
        let message = if it.message.is_empty() {
            String::new()
        } else {
            format!(" ({})", it.message)
        };
        format!(
            "{:>4} | {kind} {}{message}    | {}",
            it.line,
            it.code,
            source(it.line)
        )
    };
    let mut missing: Vec<&Annotation> = expected.iter().collect();
    let mut unexpected = Vec::new();
    for it in actual {
        match missing.iter().position(|m| m.key() == it.key()) {
            Some(i) => {
                missing.remove(i);
            }
            None => unexpected.push(it),
        }
    }
    let mut out = String::from("the analysis does not report what the fixture's //~ markers say\n");
    let sections = [
        (
            "expected (the markers)",
            expected.iter().collect::<Vec<_>>(),
        ),
        ("actual (the analysis)", actual.iter().collect()),
        ("missing", missing),
        ("unexpected", unexpected),
    ];
    for (title, items) in sections {
        let _ = writeln!(out, "{title}:");
        for it in items {
            let _ = writeln!(out, "  {}", describe(it));
        }
    }
    out
}

/// With `BORROWLENS_FIXTURES_RUSTC=1`: the fixture's error markers must be exactly rustc's errors.
#[track_caller]
fn check_against_rustc_if_asked(src: &str) {
    if std::env::var_os("BORROWLENS_FIXTURES_RUSTC").is_none_or(|it| it != "1") {
        return;
    }
    let expected: Vec<(u32, String)> = markers(src)
        .into_iter()
        .filter(|it| it.error)
        .map(|it| (it.line, it.code))
        .collect();
    let actual = rustc_errors(src);
    assert_eq!(
        actual, expected,
        "rustc disagrees with the fixture's markers (left: rustc, right: markers)\n{src}"
    );
}

/// The code of one of rustc's JSON diagnostics as the fixtures write it: `E0502`; `lifetime` for
/// the uncoded "lifetime may not live long enough", `?` for any other uncoded error.
pub fn rustc_code(diag: &Value) -> String {
    let message = diag["message"].as_str().unwrap_or("");
    match diag["code"]["code"].as_str() {
        Some(code) => code.to_string(),
        None if message.starts_with("lifetime may not live long enough") => "lifetime".to_string(),
        None => "?".to_string(),
    }
}

/// rustc's errors for a fixture as sorted `(line, code)`; uncoded "lifetime may not live long
/// enough" is `lifetime`, any other uncoded error `?`.
pub fn rustc_errors(src: &str) -> Vec<(u32, String)> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let stem = format!(
        "borrowlens-fixture-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let dir = std::env::temp_dir();
    let file = dir.join(format!("{stem}.rs"));
    std::fs::write(&file, src).unwrap();
    let edition = match edition(src) {
        Edition::E2015 => "2015",
        Edition::E2018 => "2018",
        Edition::E2021 => "2021",
        Edition::E2024 => "2024",
    };
    let crate_type = if src.contains("fn main(") {
        "bin"
    } else {
        "lib"
    };
    let output = Command::new("rustc")
        .args([
            "--edition",
            edition,
            "--crate-type",
            crate_type,
            "--error-format=json",
            "--emit=metadata",
            "-o",
        ])
        .arg(dir.join(format!("{stem}.rmeta")))
        .arg(&file)
        .output()
        .expect("run rustc");
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(dir.join(format!("{stem}.rmeta")));
    let mut acc = Vec::new();
    for line in String::from_utf8_lossy(&output.stderr).lines() {
        let Ok(diag) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let message = diag["message"].as_str().unwrap_or("");
        if diag["level"] != "error" || message.starts_with("aborting due to") {
            continue;
        }
        let code = rustc_code(&diag);
        let spans = diag["spans"].as_array().cloned().unwrap_or_default();
        let primary = spans
            .iter()
            .find(|it| it["is_primary"] == true)
            .or(spans.first());
        let line = primary
            .and_then(|it| it["line_start"].as_u64())
            .unwrap_or(0) as u32;
        acc.push((line, code));
    }
    acc.sort();
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_forms() {
        let src = "a //~ ERROR E0502\nb\n//~^ ERROR E0499 message text\n//~| WARN unused\nc\n\n//~^^^ ERROR lifetime\n";
        let keys: Vec<_> = markers(src)
            .into_iter()
            .map(|it| (it.line, it.code, it.error))
            .collect();
        assert_eq!(
            keys,
            [
                (1, "E0502".to_string(), true),
                (2, "E0499".to_string(), true),
                (2, "unused".to_string(), false),
                (4, "lifetime".to_string(), true),
            ]
        );
    }

    #[test]
    fn a_clean_fixture_passes_and_its_markers_are_read() {
        check_diagnostics("fn main() {\n    let x = 1;\n    let _y = x;\n}\n");
        check_diagnostics_pending("fn main() {\n    let s = String::new();\n    let _t = s;\n    drop(s); //~ ERROR E0382\n}\n");
    }

    #[test]
    fn the_mismatch_report_shows_the_source() {
        let src = "fn main() {\n    let v = 1; //~ ERROR E0596\n}\n";
        let report = mismatch(src, &markers(src), &[]);
        assert!(
            report.contains("   2 | ERROR E0596    | let v = 1; //~ ERROR E0596"),
            "{report}"
        );
    }
}
