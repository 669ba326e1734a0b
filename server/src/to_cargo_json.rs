//! Diagnostics as `cargo check --message-format json` prints them, so that tools that read cargo's
//! output read borrowlens too (rust-analyzer's `check.overrideCommand`, problem matchers, CI
//! annotators, clippy-sarif): one `{"reason":"compiler-message","package_id","manifest_path",
//! "target","message"}` line per diagnostic, `message` being rustc's diagnostic JSON (its
//! `rustc_errors::json` shape: `message`, `code {code, explanation}`, `level`, `spans`,
//! `children`, `rendered`), then rustc's closing failure notes, and cargo's
//! `{"reason":"build-finished","success":..}` at the very end.
//!
//! Positions are rustc's: lines and columns 1-based, columns in characters, ends exclusive, and
//! byte offsets into the text as rustc reads it, without a leading byte-order mark and with the
//! `\r` of each `\r\n` dropped. `explanation` is null: the explanations are rustc's
//! (`rustc --explain`), not carried here. Quick fixes become rustc's suggestions: a `help` child
//! whose spans carry `suggested_replacement`, `MaybeIncorrect` as rustc says of a fix the user
//! should look at before applying it.

use std::collections::BTreeSet;

use borrowlens_analysis::{Diagnostic, Severity, TextRange};
use serde_json::{json, Value};

use crate::line_index::LineIndex;
use crate::package::Package;
use crate::to_json::severity;

/// One diagnostic of `file` as cargo's `compiler-message` line, without the line break.
/// `rendered` is the diagnostic drawn as rustc draws it, with the blank line after it.
pub fn compiler_message(
    package: &Package,
    file: &str,
    text: &str,
    diag: &Diagnostic,
    rendered: String,
) -> String {
    let positions = Positions::new(text);
    // rustc's order (`MultiSpan::span_labels`): the labels as they were added, a label on the
    // primary span being the primary span, then the primary span if no label is on it.
    let mut spans: Vec<Value> = diag
        .labels
        .iter()
        .map(|label| {
            let message = Some(label.message.as_str()).filter(|it| !it.is_empty());
            positions.span(file, label.range, label.range == diag.range, message, None)
        })
        .collect();
    if !diag.labels.iter().any(|it| it.range == diag.range) {
        spans.push(positions.span(file, diag.range, true, None, None));
    }
    let children: Vec<Value> = diag
        .fixes
        .iter()
        .map(|fix| {
            let spans: Vec<Value> = fix
                .edits
                .iter()
                .map(|edit| positions.span(file, edit.range, true, None, Some(&edit.new_text)))
                .collect();
            message(&fix.title, None, "help", spans, Vec::new(), None)
        })
        .collect();
    let code = Some(diag.code).filter(|it| it.starts_with('E'));
    let message = message(
        &diag.message,
        code,
        severity(diag.severity),
        spans,
        children,
        Some(rendered),
    );
    envelope(package, message)
}

/// rustc's closing notes for one file's diagnostics, each a `compiler-message` line of level
/// `failure-note` without spans: the `rustc --explain` hint (rustc's "aborting due to" line is not
/// among them: cargo does not pass it on).
pub fn failure_notes(package: &Package, diags: &[Diagnostic]) -> Vec<String> {
    let codes: BTreeSet<&str> = diags
        .iter()
        .filter(|it| it.severity == Severity::Error && it.code.starts_with('E'))
        .map(|it| it.code)
        .collect();
    let list: Vec<&str> = codes.into_iter().collect();
    let notes = match list.as_slice() {
        [] => Vec::new(),
        [code] => vec![format!(
            "For more information about this error, try `rustc --explain {code}`."
        )],
        [first, ..] => vec![
            format!(
                "Some errors have detailed explanations: {}.",
                list.join(", ")
            ),
            format!("For more information about an error, try `rustc --explain {first}`."),
        ],
    };
    notes
        .into_iter()
        .map(|note| {
            let rendered = format!("{note}\n");
            let message = message(
                &note,
                None,
                "failure-note",
                Vec::new(),
                Vec::new(),
                Some(rendered),
            );
            envelope(package, message)
        })
        .collect()
}

/// cargo's last line: whether the build succeeded, that is, whether no error was reported.
pub fn build_finished(success: bool) -> String {
    json!({"reason": "build-finished", "success": success}).to_string()
}

fn envelope(package: &Package, message: Value) -> String {
    json!({
        "reason": "compiler-message",
        "package_id": package.id,
        "manifest_path": package.manifest_path,
        "target": {
            "kind": [package.target_kind],
            "crate_types": [package.crate_type()],
            "name": package.target_name,
            "src_path": package.src_path,
            "edition": package.edition,
            "doc": package.target_kind == "lib" || package.target_kind == "bin",
            "doctest": package.target_kind == "lib",
            "test": true,
        },
        "message": message,
    })
    .to_string()
}

fn message(
    text: &str,
    code: Option<&str>,
    level: &str,
    spans: Vec<Value>,
    children: Vec<Value>,
    rendered: Option<String>,
) -> Value {
    json!({
        "$message_type": "diagnostic",
        "message": text,
        "code": code.map(|code| json!({"code": code, "explanation": null})),
        "level": level,
        "spans": spans,
        "children": children,
        "rendered": rendered,
    })
}

/// rustc's positions in one text: byte offsets without the byte-order mark and the `\r` of each
/// `\r\n`, lines and character columns (`LineIndex`, which already counts neither).
struct Positions<'a> {
    index: LineIndex<'a>,
    bom: usize,
    /// The offset of the `\r` of every `\r\n`, in order.
    crs: Vec<usize>,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Positions<'a> {
        Positions {
            index: LineIndex::new(text),
            bom: if text.starts_with('\u{feff}') { 3 } else { 0 },
            crs: text.match_indices("\r\n").map(|(i, _)| i).collect(),
        }
    }

    /// The offset as rustc counts it, from an offset into the text (clamped).
    fn rustc_byte(&self, offset: u32) -> usize {
        let offset = self.index.clamp(offset).max(self.bom);
        offset - self.bom - self.crs.partition_point(|&cr| cr < offset)
    }

    fn span(
        &self,
        file: &str,
        range: TextRange,
        is_primary: bool,
        label: Option<&str>,
        replacement: Option<&str>,
    ) -> Value {
        let end = range.end.max(range.start);
        let start_lc = self.index.line_col(range.start);
        let end_lc = self.index.line_col(end);
        // Each line the span touches, whole, with the columns it covers on it.
        let text: Vec<Value> = (start_lc.line..=end_lc.line)
            .map(|line| {
                let line_text = self.index.line_text(line);
                let from = if line == start_lc.line {
                    start_lc.col
                } else {
                    1
                };
                let to = if line == end_lc.line {
                    end_lc.col
                } else {
                    line_text.chars().count() as u32 + 1
                };
                json!({"text": line_text, "highlight_start": from, "highlight_end": to})
            })
            .collect();
        json!({
            "file_name": file,
            "byte_start": self.rustc_byte(range.start),
            "byte_end": self.rustc_byte(end),
            "line_start": start_lc.line,
            "line_end": end_lc.line,
            "column_start": start_lc.col,
            "column_end": end_lc.col,
            "is_primary": is_primary,
            "text": text,
            "label": label,
            "suggested_replacement": replacement,
            "suggestion_applicability": replacement.map(|_| "MaybeIncorrect"),
            "expansion": null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use borrowlens_analysis::{Fix, Label, TextEdit};

    fn package() -> Package {
        Package {
            id: "path+file:///p#0.1.0".to_string(),
            manifest_path: "/p/Cargo.toml".to_string(),
            target_kind: "bin",
            target_name: "p".to_string(),
            src_path: "/p/src/main.rs".to_string(),
            edition: "2021",
        }
    }

    fn range_of(text: &str, needle: &str, nth: usize) -> TextRange {
        let start = text.match_indices(needle).nth(nth).unwrap().0 as u32;
        TextRange {
            start,
            end: start + needle.len() as u32,
        }
    }

    #[test]
    fn rustcs_diagnostic_json_in_cargos_message() {
        // A byte-order mark, `\r\n` line ends and a two-byte `é`: rustc's byte offsets count
        // none of the first two, its columns count characters.
        let text = "\u{feff}fn f() {\r\n    let mut v = vec![1]; // é\r\n    let é = &v; v.push(2);\r\n    drop(é);\r\n}\r\n";
        let primary = range_of(text, "v.push(2)", 0);
        let diag = Diagnostic {
            code: "E0502",
            severity: Severity::Error,
            range: primary,
            message: "cannot borrow `v` as mutable".to_string(),
            labels: vec![
                Label {
                    range: range_of(text, "&v", 0),
                    message: "immutable borrow occurs here".to_string(),
                },
                Label {
                    range: primary,
                    message: "mutable borrow occurs here".to_string(),
                },
            ],
            fixes: vec![Fix {
                kind: "reorder",
                title: "Move it".to_string(),
                edits: vec![TextEdit {
                    range: range_of(text, "drop(é);", 0),
                    new_text: String::new(),
                }],
            }],
        };
        let line = compiler_message(
            &package(),
            "src/a.rs",
            text,
            &diag,
            "RENDERED\n".to_string(),
        );
        assert!(!line.contains('\n'), "one line");
        let it: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(it["reason"], "compiler-message");
        assert_eq!(it["package_id"], "path+file:///p#0.1.0");
        assert_eq!(it["manifest_path"], "/p/Cargo.toml");
        assert_eq!(
            it["target"],
            json!({"kind": ["bin"], "crate_types": ["bin"], "name": "p", "src_path": "/p/src/main.rs",
                   "edition": "2021", "doc": true, "doctest": false, "test": true})
        );
        let message = &it["message"];
        assert_eq!(message["$message_type"], "diagnostic");
        assert_eq!(message["message"], "cannot borrow `v` as mutable");
        assert_eq!(
            message["code"],
            json!({"code": "E0502", "explanation": null})
        );
        assert_eq!(message["level"], "error");
        assert_eq!(message["rendered"], "RENDERED\n");
        // rustc's order: the labels as given, the one on the primary span being the primary.
        let spans = message["spans"].as_array().unwrap();
        assert_eq!(spans.len(), 2);
        let spans = [&spans[1], &spans[0]];
        let line3 = "    let é = &v; v.push(2);";
        // Without the mark (3 bytes) and the two `\r` before it.
        let byte_start = primary.start as u64 - 3 - 2;
        assert_eq!(
            *spans[0],
            json!({
                "file_name": "src/a.rs",
                "byte_start": byte_start,
                "byte_end": byte_start + 9,
                "line_start": 3, "line_end": 3, "column_start": 17, "column_end": 26,
                "is_primary": true,
                "text": [{"text": line3, "highlight_start": 17, "highlight_end": 26}],
                "label": "mutable borrow occurs here",
                "suggested_replacement": null,
                "suggestion_applicability": null,
                "expansion": null,
            })
        );
        assert_eq!(spans[1]["is_primary"], false);
        assert_eq!(spans[1]["label"], "immutable borrow occurs here");
        assert_eq!(
            (&spans[1]["column_start"], &spans[1]["column_end"]),
            (&json!(13), &json!(15))
        );
        // The fix as rustc's suggestion.
        let children = message["children"].as_array().unwrap();
        assert_eq!(children.len(), 1);
        assert_eq!(children[0]["level"], "help");
        assert_eq!(children[0]["message"], "Move it");
        assert_eq!(children[0]["code"], Value::Null);
        assert_eq!(children[0]["rendered"], Value::Null);
        let suggestion = &children[0]["spans"][0];
        assert_eq!(suggestion["suggested_replacement"], "");
        assert_eq!(suggestion["suggestion_applicability"], "MaybeIncorrect");
        assert_eq!(
            (&suggestion["line_start"], &suggestion["column_start"]),
            (&json!(4), &json!(5))
        );
    }

    #[test]
    fn spans_over_lines_notes_and_the_last_line() {
        let text = "fn f() {\n    x.push(Task {\n        a: 1,\n    });\n}\n";
        let start = text.find("x.push").unwrap() as u32;
        let end = text.find(");").unwrap() as u32 + 1;
        let diag = Diagnostic {
            code: "lifetime",
            severity: Severity::Error,
            range: TextRange { start, end },
            message: "lifetime may not live long enough".to_string(),
            labels: Vec::new(),
            fixes: Vec::new(),
        };
        let line = compiler_message(&package(), "f.rs", text, &diag, String::new());
        let it: Value = serde_json::from_str(&line).unwrap();
        // rustc's uncoded error; a primary span without a label comes after the labels.
        assert_eq!(it["message"]["code"], Value::Null);
        assert_eq!(it["message"]["spans"][0]["is_primary"], true);
        assert_eq!(it["message"]["spans"][0]["label"], Value::Null);
        assert_eq!(
            it["message"]["spans"][0]["text"],
            json!([
                {"text": "    x.push(Task {", "highlight_start": 5, "highlight_end": 18},
                {"text": "        a: 1,", "highlight_start": 1, "highlight_end": 14},
                {"text": "    });", "highlight_start": 1, "highlight_end": 7},
            ])
        );
        let e0499 = Diagnostic {
            code: "E0499",
            ..diag.clone()
        };
        let notes = failure_notes(&package(), &[diag, e0499.clone(), e0499.clone()]);
        assert_eq!(notes.len(), 1);
        let note: Value = serde_json::from_str(&notes[0]).unwrap();
        assert_eq!(note["message"]["level"], "failure-note");
        assert_eq!(
            note["message"]["rendered"],
            "For more information about this error, try `rustc --explain E0499`.\n"
        );
        let e0502 = Diagnostic {
            code: "E0502",
            ..e0499.clone()
        };
        assert_eq!(failure_notes(&package(), &[e0502, e0499]).len(), 2);
        assert_eq!(
            build_finished(false),
            r#"{"reason":"build-finished","success":false}"#
        );
    }
}
