//! Diagnostics as rustc prints them, drawn by `annotate-snippets`, the renderer rustc itself uses:
//! a header, ` --> file:line:col`, the source lines with `^^^` under the primary span and `---`
//! under each label, spans over several lines drawn down the left side, and after each file's
//! diagnostics rustc's closing lines (`error: aborting due to 2 previous errors`, the
//! `rustc --explain` hint). In colour (rustc's colours) or plain: `Colour` says which.
//!
//! What is left to this module is what rustc's emitter does before it hands a diagnostic to the
//! renderer: the source as rustc reads it (without a leading byte-order mark), the spans in
//! rustc's order, a label on the primary span given to the primary span, and only the lines the spans touch handed over, so
//! that a file with many diagnostics is not scanned once per diagnostic.

use std::collections::BTreeSet;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use borrowlens_analysis::{Diagnostic, Severity, TextRange};

use crate::line_index::LineIndex;

/// Whether the text is drawn in rustc's colours (ANSI escapes) or plain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Colour {
    Plain,
    Ansi,
}

fn renderer(colour: Colour) -> Renderer {
    match colour {
        Colour::Plain => Renderer::plain(),
        Colour::Ansi => Renderer::styled(),
    }
}

/// The report of one file: each diagnostic followed by a blank line, then rustc's closing lines
/// (`error: aborting due to 2 previous errors`, the `rustc --explain` hint). Empty when there is
/// nothing to report.
pub fn file_report(file: &str, text: &str, diags: &[Diagnostic], colour: Colour) -> String {
    let mut out = String::new();
    for diag in diags {
        out.push_str(&diagnostic(file, text, diag, colour));
        out.push('\n');
    }
    let n_errors = diags
        .iter()
        .filter(|it| it.severity == Severity::Error)
        .count();
    let n_warnings = diags.len() - n_errors;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let closing = |level: Level<'_>, line: String| {
        let group = Group::with_title(level.primary_title(line));
        renderer(colour).render(&[group]) + "\n"
    };
    if n_errors > 0 {
        let mut line = format!(
            "aborting due to {n_errors} previous error{}",
            plural(n_errors)
        );
        if n_warnings > 0 {
            line += &format!("; {n_warnings} warning{} emitted", plural(n_warnings));
        }
        out += &closing(Level::ERROR, line);
        out.push('\n');
    } else if n_warnings > 0 {
        out += &closing(
            Level::WARNING,
            format!("{n_warnings} warning{} emitted", plural(n_warnings)),
        );
        out.push('\n');
    }
    let codes: BTreeSet<&str> = diags
        .iter()
        .filter(|it| it.severity == Severity::Error && it.code.starts_with('E'))
        .map(|it| it.code)
        .collect();
    // rustc's failure notes: no level, in bold.
    let note = Level::NOTE.with_name(None::<&str>);
    match codes.len() {
        0 => {}
        1 => {
            let code = codes.first().unwrap();
            out += &closing(
                note,
                format!("For more information about this error, try `rustc --explain {code}`."),
            );
        }
        _ => {
            let list: Vec<&str> = codes.iter().copied().collect();
            out += &closing(
                note.clone(),
                format!(
                    "Some errors have detailed explanations: {}.",
                    list.join(", ")
                ),
            );
            out += &closing(
                note,
                format!(
                    "For more information about an error, try `rustc --explain {}`.",
                    list[0]
                ),
            );
        }
    }
    out
}

/// One diagnostic, ending with a line break.
pub fn diagnostic(file: &str, text: &str, diag: &Diagnostic, colour: Colour) -> String {
    let index = LineIndex::new(text);
    // rustc's order (`MultiSpan::span_labels`): the labels as they were added, a label on the
    // primary span being the primary span's own message ("mutable borrow occurs here"), then the
    // primary span if no label is on it.
    let mut spans: Vec<(AnnotationKind, TextRange, &str)> = diag
        .labels
        .iter()
        .map(|label| {
            let kind = if label.range == diag.range {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            (kind, label.range, label.message.as_str())
        })
        .collect();
    if !diag.labels.iter().any(|it| it.range == diag.range) {
        spans.push((AnnotationKind::Primary, diag.range, ""));
    }
    // The lines the spans touch, from the start of the first to the end of the last; a leading
    // byte-order mark is not part of the source, as rustc reads it.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let clamp = |offset: u32| index.clamp(offset).max(bom);
    let first = spans
        .iter()
        .map(|it| clamp(it.1.start))
        .min()
        .unwrap_or(bom);
    let last = spans
        .iter()
        .map(|it| clamp(it.1.end.max(it.1.start)))
        .max()
        .unwrap_or(bom);
    let from = text[..first].rfind('\n').map_or(bom, |it| it + 1);
    let mut to = text[last..].find('\n').map_or(text.len(), |it| last + it);
    // The `\r` of the last line's `\r\n` is part of the line break, not of the line.
    if to > last && text[..to].ends_with('\r') && text[to..].starts_with('\n') {
        to -= 1;
    }
    let source = &text[from..to];
    let first_line = index.line_col(from as u32).line as usize;

    let mut snippet = Snippet::source(source).path(file).line_start(first_line);
    for (kind, range, message) in spans {
        let TextRange { start, end } = range;
        let (start, end) = (clamp(start) - from, clamp(end.max(start)) - from);
        let annotation = kind.span(start..end);
        snippet = snippet.annotation(if message.is_empty() {
            annotation
        } else {
            annotation.label(message)
        });
    }
    let level = match diag.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(diag.message.as_str());
    // rustc prints "lifetime may not live long enough" without a code.
    let title = if diag.code.starts_with('E') {
        title.id(diag.code)
    } else {
        title
    };
    let mut out = renderer(colour).render(&[title.element(snippet)]);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use borrowlens_analysis::Label;

    fn range_of(text: &str, needle: &str, nth: usize) -> TextRange {
        let start = text.match_indices(needle).nth(nth).unwrap().0 as u32;
        TextRange {
            start,
            end: start + needle.len() as u32,
        }
    }

    fn label(range: TextRange, message: &str) -> Label {
        Label {
            range,
            message: message.to_string(),
        }
    }

    #[test]
    fn like_rustc_with_labels_on_one_line_and_multibyte_text() {
        // The same program and the same spans as rustc 1.95's report on it.
        let text = "fn main() {\n    let mut v = vec![1];\n    let r = &v; /* é */ v.push(2);\n    drop(r);\n}\n";
        let primary = range_of(text, "v.push(2)", 0);
        let used = range_of(text, "r)", 0);
        let diag = Diagnostic {
            code: "E0502",
            severity: Severity::Error,
            range: primary,
            message: "cannot borrow `v` as mutable because it is also borrowed as immutable"
                .to_string(),
            labels: vec![
                label(range_of(text, "&v", 0), "immutable borrow occurs here"),
                label(primary, "mutable borrow occurs here"),
                label(
                    TextRange {
                        start: used.start,
                        end: used.start + 1,
                    },
                    "immutable borrow later used here",
                ),
            ],
            fixes: Vec::new(),
        };
        let expected = "\
error[E0502]: cannot borrow `v` as mutable because it is also borrowed as immutable
 --> cr.rs:3:25
  |
3 |     let r = &v; /* é */ v.push(2);
  |             --          ^^^^^^^^^ mutable borrow occurs here
  |             |
  |             immutable borrow occurs here
4 |     drop(r);
  |          - immutable borrow later used here

error: aborting due to 1 previous error

For more information about this error, try `rustc --explain E0502`.
";
        assert_eq!(file_report("cr.rs", text, &[diag], Colour::Plain), expected);
    }

    #[test]
    fn gaps_tabs_wide_gutters_and_three_labels_on_a_line() {
        let mut text = String::new();
        for i in 1..=12 {
            text.push_str(&format!("    // line {i}\n"));
        }
        text.push_str("    let r = &v;\n    a();\n    b();\n\tfoo(&mut x, &x);\n");
        let diag = Diagnostic {
            code: "E0502",
            severity: Severity::Error,
            range: range_of(&text, "&x", 0),
            message: "m".to_string(),
            labels: vec![
                label(range_of(&text, "&v", 0), "first"),
                label(range_of(&text, "foo", 0), "used by call"),
                label(range_of(&text, "&mut x", 0), "mutable borrow"),
                label(range_of(&text, "&x", 0), "immutable borrow"),
            ],
            fixes: Vec::new(),
        };
        // The location counts the tab as one character, the drawing as four columns, like rustc.
        let expected = "\
error[E0502]: m
  --> f.rs:16:14
   |
13 |     let r = &v;
   |             -- first
...
16 |     foo(&mut x, &x);
   |     --- ------  ^^ immutable borrow
   |     |   |
   |     |   mutable borrow
   |     used by call
";
        assert_eq!(diagnostic("f.rs", &text, &diag, Colour::Plain), expected);
    }

    #[test]
    fn overlapping_marks_keep_their_messages_below() {
        // rustc 1.95 on borrowck/two-phase-multi-mut.rs, with the same spans.
        let text = "fn main() {\n    foo.method(&mut foo);\n}\n";
        let primary = range_of(text, "foo.method(&mut foo)", 0);
        let diag = Diagnostic {
            code: "E0499",
            severity: Severity::Error,
            range: primary,
            message: "cannot borrow `foo` as mutable more than once at a time".to_string(),
            labels: vec![
                label(
                    range_of(text, "&mut foo", 0),
                    "first mutable borrow occurs here",
                ),
                label(primary, "second mutable borrow occurs here"),
                label(
                    range_of(text, "method", 0),
                    "first borrow later used by call",
                ),
            ],
            fixes: Vec::new(),
        };
        let expected = "\
error[E0499]: cannot borrow `foo` as mutable more than once at a time
 --> f.rs:2:5
  |
2 |     foo.method(&mut foo);
  |     ^^^^------^--------^
  |     |   |      |
  |     |   |      first mutable borrow occurs here
  |     |   first borrow later used by call
  |     second mutable borrow occurs here
";
        assert_eq!(diagnostic("f.rs", text, &diag, Colour::Plain), expected);
    }

    #[test]
    fn multi_line_spans_empty_spans_and_lifetime_errors() {
        let text = "fn f() {\n    x.push(Task {\n        a: 1,\n    });\n}\n";
        let start = text.find("x.push").unwrap() as u32;
        let end = text.find(");").unwrap() as u32 + 1;
        let diag = Diagnostic {
            code: "lifetime",
            severity: Severity::Warning,
            range: TextRange { start, end },
            message: "lifetime may not live long enough".to_string(),
            labels: vec![
                label(TextRange { start: 8, end: 8 }, ""),
                label(TextRange { start, end }, "requires that `'1` outlive `'2`"),
            ],
            fixes: Vec::new(),
        };
        // rustc's drawing of a span over several lines: down the left side, from its first
        // character to its last.
        let expected = "\
warning: lifetime may not live long enough
 --> f.rs:2:5
  |
1 |   fn f() {
  |           -
2 | /     x.push(Task {
3 | |         a: 1,
4 | |     });
  | |______^ requires that `'1` outlive `'2`
";
        assert_eq!(diagnostic("f.rs", text, &diag, Colour::Plain), expected);
        assert!(file_report("f.rs", text, &[diag], Colour::Plain)
            .ends_with("\nwarning: 1 warning emitted\n\n"));
    }

    fn e0499(text: &str) -> Diagnostic {
        let second = range_of(text, "&mut v", 1);
        Diagnostic {
            code: "E0499",
            severity: Severity::Error,
            range: second,
            message: "cannot borrow `v` as mutable more than once at a time".to_string(),
            labels: vec![
                label(
                    range_of(text, "&mut v", 0),
                    "first mutable borrow occurs here",
                ),
                label(second, "second mutable borrow occurs here"),
            ],
            fixes: Vec::new(),
        }
    }

    #[test]
    fn a_byte_order_mark_and_crlf_are_not_columns() {
        // As rustc reads the file: without the mark, `\r\n` as `\n`.
        let text = "\u{feff}fn f(v: &mut Vec<u8>) {\r\n    let a = &mut v; let b = &mut v;\r\n    a;\r\n}\r\n";
        let expected = "\
error[E0499]: cannot borrow `v` as mutable more than once at a time
 --> f.rs:2:29
  |
2 |     let a = &mut v; let b = &mut v;
  |             ------          ^^^^^^ second mutable borrow occurs here
  |             |
  |             first mutable borrow occurs here
";
        assert_eq!(
            diagnostic("f.rs", text, &e0499(text), Colour::Plain),
            expected
        );
    }

    #[test]
    fn colour_is_rustcs_ansi_or_nothing() {
        let text = "fn f() {\n    let a = &mut v; let b = &mut v;\n}\n";
        let diag = e0499(text);
        let plain = file_report("f.rs", text, std::slice::from_ref(&diag), Colour::Plain);
        assert!(!plain.contains('\u{1b}'), "{plain}");
        let ansi = file_report("f.rs", text, &[diag], Colour::Ansi);
        // rustc's colours: bold bright red for the level and the primary underline, bright blue
        // for the gutter and the labels.
        assert!(
            ansi.starts_with("\u{1b}[1m\u{1b}[91merror[E0499]"),
            "{ansi:?}"
        );
        assert!(ansi.contains("\u{1b}[1m\u{1b}[94m"), "{ansi:?}");
        // Without its escapes, the same text.
        let mut stripped = String::new();
        let mut rest = ansi.as_str();
        while let Some(at) = rest.find('\u{1b}') {
            stripped.push_str(&rest[..at]);
            rest = &rest[at + rest[at..].find('m').unwrap() + 1..];
        }
        stripped.push_str(rest);
        assert_eq!(stripped, plain);
    }
}
