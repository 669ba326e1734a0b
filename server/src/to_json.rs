//! Diagnostics as JSON lines, one object per diagnostic, in the shape DESIGN.md fixes:
//! `{"file","code","severity","line","col","end_line","end_col","message","labels":[{"line","col",
//! "end_line","end_col","message"}],"fixes":[{"title","edits":[{"line","col","end_line","end_col",
//! "new_text"}]}]}`, lines and columns 1-based, columns in characters, ends exclusive, as rustc's
//! JSON; a fix's edits all refer to the text before any is applied. Written by hand: the shape is
//! small and fixed.

use std::fmt::Write;

use borrowlens_analysis::{Diagnostic, Severity, TextRange};

use crate::line_index::LineIndex;

/// One diagnostic as a JSON object on one line, without the line break.
pub fn diagnostic(file: &str, index: &LineIndex, diag: &Diagnostic) -> String {
    let mut out = String::from("{\"file\":");
    string(&mut out, file);
    out.push_str(",\"code\":");
    string(&mut out, diag.code);
    out.push_str(",\"severity\":");
    string(&mut out, severity(diag.severity));
    out.push(',');
    range(&mut out, index, diag.range);
    out.push_str(",\"message\":");
    string(&mut out, &diag.message);
    out.push_str(",\"labels\":[");
    for (i, label) in diag.labels.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        range(&mut out, index, label.range);
        out.push_str(",\"message\":");
        string(&mut out, &label.message);
        out.push('}');
    }
    out.push_str("],\"fixes\":[");
    for (i, fix) in diag.fixes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"title\":");
        string(&mut out, &fix.title);
        out.push_str(",\"edits\":[");
        for (j, edit) in fix.edits.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push('{');
            range(&mut out, index, edit.range);
            out.push_str(",\"new_text\":");
            string(&mut out, &edit.new_text);
            out.push('}');
        }
        out.push_str("]}");
    }
    out.push_str("]}");
    out
}

pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `"line":..,"col":..,"end_line":..,"end_col":..`; an end before the start is read as the start.
fn range(out: &mut String, index: &LineIndex, range: TextRange) {
    let start = index.line_col(range.start);
    let end = index.line_col(range.end.max(range.start));
    let _ = write!(
        out,
        "\"line\":{},\"col\":{},\"end_line\":{},\"end_col\":{}",
        start.line, start.col, end.line, end.col
    );
}

/// A JSON string literal: quotes, backslashes and control characters escaped.
pub fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use borrowlens_analysis::Label;
    use borrowlens_analysis::{Fix, TextEdit};

    #[test]
    fn escapes() {
        let mut out = String::new();
        string(&mut out, "a\"b\\c\nd\u{1}é");
        assert_eq!(out, r#""a\"b\\c\nd\u0001é""#);
    }

    #[test]
    fn shape() {
        let text = "fn f() {\n    let é = &mut v;\n}\n";
        let start = text.find("&mut").unwrap() as u32;
        let diag = Diagnostic {
            code: "E0499",
            severity: Severity::Error,
            range: TextRange {
                start,
                end: start + 6,
            },
            message: "cannot borrow `v`".to_string(),
            labels: vec![Label {
                range: TextRange { start: 0, end: 2 },
                message: "here".to_string(),
            }],
            fixes: vec![Fix {
                kind: "add-mut",
                title: "Add \"mut\"".to_string(),
                edits: vec![TextEdit {
                    range: TextRange { start: 0, end: 0 },
                    new_text: "mut ".to_string(),
                }],
            }],
        };
        assert_eq!(
            diagnostic("src/a b.rs", &LineIndex::new(text), &diag),
            r#"{"file":"src/a b.rs","code":"E0499","severity":"error","line":2,"col":13,"end_line":2,"end_col":19,"message":"cannot borrow `v`","labels":[{"line":1,"col":1,"end_line":1,"end_col":3,"message":"here"}],"fixes":[{"title":"Add \"mut\"","edits":[{"line":1,"col":1,"end_line":1,"end_col":1,"new_text":"mut "}]}]}"#
        );
    }
}
