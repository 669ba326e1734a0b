//! Fixtures in rust-analyzer's manner: one or more files, spans annotated under the code, a cursor.
//!
//! ```text
//! //- /src/main.rs
//! mod model;
//! fn main() {
//!     let mut v = vec![1];
//!     let first = &v[0];
//! //              -- immutable borrow occurs here
//!     v.push(4);
//! //  ^^^^^^^^^ E0502
//!     println!("{first}");
//! }
//! //- /src/model.rs
//! pub struct P;$0
//! ```
//!
//! - `//- PATH` starts a file (paths as in a cargo package: `/src/lib.rs`, `/src/model.rs`,
//!   `/Cargo.toml`); a fixture without one is the single file `/src/lib.rs`, or `/src/main.rs`
//!   when it has `fn main(`. `//- PATH edition:2018` sets the edition (default 2021).
//! - An annotation line is a comment whose `^` or `-` run sits under the span it marks on the
//!   closest line above that is not an annotation: `^^^ CODE` a diagnostic's primary span with
//!   rustc's code (`lifetime` for the uncoded "lifetime may not live long enough"), `--- TEXT`
//!   one of its labels with rustc's text. Annotation lines stay in the text (they are comments),
//!   so a fixture is real Rust that rustc and cargo compile as it is.
//! - `$0` is a cursor, removed from the text.
//!
//! Labels are compared only when the fixture annotates at least one. With
//! `BORROWLENS_FIXTURES_RUSTC=1`, each fixture is also written out as a cargo package and
//! `cargo check`ed (offline, in a target directory of its own), and rustc's errors must be
//! exactly the fixture's `^` annotations.

use std::fmt::Write;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use borrowlens_analysis::{AnalysisHost, Edition, FileId, TextRange};
use serde_json::Value;

/// One file of a fixture.
#[derive(Clone, Debug)]
pub struct FixtureFile {
    /// As written after `//-`, starting with `/`.
    pub path: String,
    pub text: String,
    pub edition: Edition,
    pub annotations: Vec<Annotation>,
}

/// A span annotated under the code: a primary span with its code, or a label with its text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Annotation {
    pub range: (u32, u32),
    pub primary: bool,
    /// The code of a primary span, the text of a label.
    pub text: String,
}

/// A parsed fixture.
#[derive(Clone, Debug)]
pub struct Fixture {
    pub files: Vec<FixtureFile>,
    /// The file and byte offset of `$0`.
    pub cursor: Option<(usize, u32)>,
}

impl Fixture {
    #[track_caller]
    pub fn parse(src: &str) -> Fixture {
        let src = src.strip_prefix('\n').unwrap_or(src);
        let mut sections: Vec<(String, Edition, String)> = Vec::new();
        for line in src.split_inclusive('\n') {
            if let Some(header) = line.strip_prefix("//- ") {
                let mut words = header.split_whitespace();
                let path = words.next().expect("a path after `//-`").to_string();
                assert!(
                    path.starts_with('/'),
                    "fixture paths start with `/`: {path}"
                );
                let mut edition = Edition::E2021;
                for word in words {
                    let value = word.strip_prefix("edition:").unwrap_or_else(|| {
                        panic!("unknown fixture meta `{word}` (known: edition:YYYY)")
                    });
                    edition = Edition::from_str(value).expect("an edition");
                }
                sections.push((path, edition, String::new()));
                continue;
            }
            if sections.is_empty() {
                let name = if src.contains("fn main(") {
                    "/src/main.rs"
                } else {
                    "/src/lib.rs"
                };
                sections.push((name.to_string(), Edition::E2021, String::new()));
            }
            sections.last_mut().unwrap().2.push_str(line);
        }
        let mut cursor = None;
        let files = sections
            .into_iter()
            .enumerate()
            .map(|(i, (path, edition, mut text))| {
                if let Some(at) = text.find("$0") {
                    assert!(cursor.is_none(), "one `$0` per fixture");
                    text.replace_range(at..at + 2, "");
                    cursor = Some((i, at as u32));
                }
                let annotations = annotations(&text);
                FixtureFile {
                    path,
                    text,
                    edition,
                    annotations,
                }
            })
            .collect();
        Fixture { files, cursor }
    }

    /// Sets every file of the fixture in a fresh host, by its path.
    pub fn host(&self) -> (AnalysisHost, Vec<FileId>) {
        let mut host = AnalysisHost::new();
        let ids = self
            .files
            .iter()
            .map(|f| host.set_file(&f.path, f.text.clone(), f.edition))
            .collect();
        // cargo's targets, as a package without `[lib]` or `[[bin]]` sections has them.
        let roots: Vec<&str> = self
            .files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| is_target_root(p))
            .collect();
        host.set_crate_roots(&roots);
        (host, ids)
    }
}

/// A crate root by cargo's target rules: `src/lib.rs`, `src/main.rs`, `src/bin/*.rs`,
/// `src/bin/*/main.rs`, and `*.rs` directly in `tests/`, `examples/` or `benches/`.
fn is_target_root(path: &str) -> bool {
    let path = path.trim_start_matches('/');
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["src", "lib.rs" | "main.rs"] => true,
        ["src", "bin", f] => f.ends_with(".rs"),
        ["src", "bin", _, "main.rs"] => true,
        ["tests" | "examples" | "benches", f] => f.ends_with(".rs"),
        _ => false,
    }
}

/// An annotation line: `//`, spaces, then a run of `^` or `-` and its text.
fn annotation_line(line: &str) -> Option<(usize, usize, bool, &str)> {
    let comment = line.find("//")?;
    if !line[..comment].trim().is_empty() {
        return None;
    }
    let after = &line[comment + 2..];
    let marks = after.trim_start_matches(' ');
    let mark = marks.chars().next().filter(|c| *c == '^' || *c == '-')?;
    let run = marks.chars().take_while(|&c| c == mark).count();
    let start = line.len() - marks.len();
    let text = marks[run..].trim();
    if text.is_empty() {
        return None;
    }
    Some((start, start + run, mark == '^', text))
}

/// The annotations of one file's text, in byte offsets of that text.
fn annotations(text: &str) -> Vec<Annotation> {
    let mut acc = Vec::new();
    let mut line_start = 0;
    let mut target: Option<(usize, &str)> = None;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        match (annotation_line(content), target) {
            (Some((from, to, primary, what)), Some((start, code_line))) => {
                // Columns count characters of the annotated line.
                let byte = |col: usize| -> u32 {
                    let b = code_line
                        .char_indices()
                        .nth(col)
                        .map_or(code_line.len(), |(b, _)| b);
                    (start + b) as u32
                };
                let (from_col, to_col) = (
                    content[..from].chars().count(),
                    content[..to].chars().count(),
                );
                acc.push(Annotation {
                    range: (byte(from_col), byte(to_col)),
                    primary,
                    text: what.to_string(),
                });
            }
            _ => target = Some((line_start, content)),
        }
        line_start += line.len();
    }
    acc.sort();
    acc
}

/// The analysis's diagnostics of one file as annotations: primary spans with codes, and labels
/// (but those on the primary span, which repeat its message) with their texts.
fn actual(host: &AnalysisHost, file: FileId, labels: bool) -> Vec<Annotation> {
    let range = |r: TextRange| (r.start, r.end);
    let mut acc = Vec::new();
    for d in host.diagnostics(file) {
        acc.push(Annotation {
            range: range(d.range),
            primary: true,
            text: d.code.to_string(),
        });
        if labels {
            for l in d.labels.iter().filter(|l| l.range != d.range) {
                acc.push(Annotation {
                    range: range(l.range),
                    primary: false,
                    text: l.message.clone(),
                });
            }
        }
    }
    acc.sort();
    acc
}

/// Expected and actual annotations per file, with the file's path and text.
fn compare(fixture: &Fixture) -> Vec<(&FixtureFile, Vec<Annotation>, Vec<Annotation>)> {
    let (host, ids) = fixture.host();
    let labels = fixture
        .files
        .iter()
        .any(|f| f.annotations.iter().any(|a| !a.primary));
    fixture
        .files
        .iter()
        .zip(ids)
        .map(|(f, id)| {
            let mut expected = f.annotations.clone();
            if !labels {
                expected.retain(|a| a.primary);
            }
            (f, expected, actual(&host, id, labels))
        })
        .collect()
}

/// Asserts that the analysis reports exactly the fixture's annotations, file by file: each
/// primary span with its code, and (when the fixture annotates any label) each label.
#[track_caller]
pub fn check_fixture(src: &str) {
    let fixture = Fixture::parse(src);
    check_with_cargo_if_asked(&fixture);
    let report = report(&compare(&fixture));
    assert!(report.is_empty(), "{report}");
}

/// For a fixture the analysis cannot handle yet (a fact in another file, say): passes while the
/// analysis reports nothing at all, or exactly the annotations (then flip it to
/// `check_fixture`); fails on anything else. So it pins "no false positive" today.
#[track_caller]
pub fn check_fixture_pending(src: &str) {
    let fixture = Fixture::parse(src);
    check_with_cargo_if_asked(&fixture);
    let files = compare(&fixture);
    if files.iter().all(|(_, _, actual)| actual.is_empty()) {
        eprintln!("pending: the analysis reports none of the annotations yet");
        return;
    }
    let report = report(&files);
    if report.is_empty() {
        eprintln!("pending fixture passes now: change `check_fixture_pending` to `check_fixture`");
    } else {
        panic!(
            "{report}(a pending fixture may report nothing or everything, never something else)"
        );
    }
}

/// The mismatches of the files whose annotations the analysis does not report; empty when none.
fn report(files: &[(&FixtureFile, Vec<Annotation>, Vec<Annotation>)]) -> String {
    files
        .iter()
        .filter(|(_, expected, actual)| expected != actual)
        .map(|(f, expected, actual)| mismatch(f, expected, actual))
        .collect()
}

/// The file's text with the annotations drawn under their lines, expected and actual.
fn mismatch(f: &FixtureFile, expected: &[Annotation], actual: &[Annotation]) -> String {
    let draw = |anns: &[Annotation]| {
        let mut out = String::new();
        let mut line_start = 0usize;
        for line in f.text.split_inclusive('\n') {
            let content = line.trim_end_matches('\n');
            if annotation_line(content).is_none() {
                let _ = writeln!(out, "{content}");
                let end = line_start + content.len();
                for a in anns
                    .iter()
                    .filter(|a| (line_start..=end).contains(&(a.range.0 as usize)))
                {
                    let from = f.text[line_start..a.range.0 as usize].chars().count();
                    let to_byte = (a.range.1 as usize).clamp(a.range.0 as usize, end);
                    let width = f.text[a.range.0 as usize..to_byte].chars().count().max(1);
                    let mark = if a.primary { "^" } else { "-" };
                    let _ = writeln!(out, "{}{} {}", " ".repeat(from), mark.repeat(width), a.text);
                }
            }
            line_start += line.len();
        }
        out
    };
    format!(
        "{}: the analysis does not report what the annotations say\n--- expected\n{}--- actual\n{}",
        f.path,
        draw(expected),
        draw(actual)
    )
}

/// With `BORROWLENS_FIXTURES_RUSTC=1`: the fixture as a cargo package, `cargo check`ed; rustc's
/// errors must be exactly the `^` annotations (file, span and code).
#[track_caller]
fn check_with_cargo_if_asked(fixture: &Fixture) {
    if std::env::var_os("BORROWLENS_FIXTURES_RUSTC").is_none_or(|it| it != "1") {
        return;
    }
    let mut expected: Vec<(String, (u32, u32), String)> = fixture
        .files
        .iter()
        .flat_map(|f| {
            f.annotations
                .iter()
                .filter(|a| a.primary)
                .map(|a| (f.path.clone(), a.range, a.text.clone()))
        })
        .collect();
    expected.sort();
    let actual = cargo_errors(fixture);
    assert_eq!(
        actual, expected,
        "rustc disagrees with the fixture's annotations (left: rustc, right: annotations)"
    );
}

/// rustc's errors for a fixture built as a cargo package: sorted `(path, byte range, code)`.
pub fn cargo_errors(fixture: &Fixture) -> Vec<(String, (u32, u32), String)> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "borrowlens-fixture-pkg-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let edition = match fixture.files.first().map_or(Edition::E2021, |f| f.edition) {
        Edition::E2015 => "2015",
        Edition::E2018 => "2018",
        Edition::E2021 => "2021",
        Edition::E2024 => "2024",
    };
    if !fixture.files.iter().any(|f| f.path == "/Cargo.toml") {
        write(
            &dir,
            "/Cargo.toml",
            &format!(
                "[package]\nname = \"fixture\"\nversion = \"0.0.0\"\nedition = \"{edition}\"\n"
            ),
        );
    }
    for f in &fixture.files {
        write(&dir, &f.path, &f.text);
    }
    let output = Command::new("cargo")
        .args(["check", "--offline", "--quiet", "--message-format=json"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("run cargo");
    let mut acc = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let diag = &msg["message"];
        if msg["reason"] != "compiler-message" || diag["level"] != "error" {
            continue;
        }
        let code = crate::fixture::rustc_code(diag);
        let spans = diag["spans"].as_array().cloned().unwrap_or_default();
        let Some(primary) = spans.iter().find(|it| it["is_primary"] == true) else {
            continue;
        };
        let path = format!("/{}", primary["file_name"].as_str().unwrap_or(""));
        let range = (
            primary["byte_start"].as_u64().unwrap_or(0) as u32,
            primary["byte_end"].as_u64().unwrap_or(0) as u32,
        );
        acc.push((path, range, code));
    }
    let _ = std::fs::remove_dir_all(&dir);
    acc.sort();
    acc
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path.trim_start_matches('/'));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_cursor_and_annotations_are_read() {
        let fixture = Fixture::parse(
            "
//- /src/main.rs
mod model;
fn main() {
    let r = &v;
//          -- borrow
    v.push(1);
//  ^^^^^^^^^ E0502
}
//- /src/model.rs edition:2018
pub struct P;$0
",
        );
        assert_eq!(fixture.files.len(), 2);
        let main = &fixture.files[0];
        assert_eq!(main.path, "/src/main.rs");
        let at = |needle: &str| main.text.find(needle).unwrap() as u32;
        assert_eq!(
            main.annotations,
            [
                Annotation {
                    range: (at("&v"), at("&v") + 2),
                    primary: false,
                    text: "borrow".to_string()
                },
                Annotation {
                    range: (at("v.push"), at("v.push") + 9),
                    primary: true,
                    text: "E0502".to_string()
                },
            ]
        );
        let model = &fixture.files[1];
        assert_eq!(model.edition, Edition::E2018);
        assert_eq!(model.text, "pub struct P;\n");
        assert_eq!(fixture.cursor, Some((1, 13)));
    }

    #[test]
    fn a_single_file_and_characters_before_the_span() {
        // `=` is the 16th character of its line and the 17th byte.
        let fixture = Fixture::parse("fn f() { let é = 1; }\n//             ^ E0000\n");
        let f = &fixture.files[0];
        assert_eq!(f.path, "/src/lib.rs");
        let at = f.text.find('=').unwrap() as u32;
        assert_eq!(f.annotations[0].range, (at, at + 1));
    }

    #[test]
    fn a_mismatch_draws_both_sides() {
        let src = "fn f() {\n    let x = 1;\n//      ^ E0384\n}\n";
        let result = std::panic::catch_unwind(|| check_fixture(src));
        let message = *result.unwrap_err().downcast::<String>().unwrap();
        assert!(
            message.contains(
                "--- expected\nfn f() {\n    let x = 1;\n        ^ E0384\n}\n--- actual\n"
            ),
            "{message}"
        );
    }
}
