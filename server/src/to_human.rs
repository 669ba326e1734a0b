//! Diagnostics as rustc prints them: a header, ` --> file:line:col`, then the source lines with
//! `^^^` under the primary span and `---` under each label, its message beside or below.
//!
//! Simpler than rustc's emitter in one way: a span over several lines is drawn as a mark on its
//! first character and one on its last, with the message, without rustc's line down the left.
//! Widths are counted in characters, with a tab shown as four spaces as rustc does, so carets stay
//! under multi-byte text.

use std::collections::BTreeSet;
use std::fmt::Write;

use borrowlens_analysis::{Diagnostic, Severity, TextRange};

use crate::line_index::LineIndex;
use crate::to_json::severity;

/// The report of one file: each diagnostic followed by a blank line, then rustc's closing lines
/// (`error: aborting due to 2 previous errors`, the `rustc --explain` hint). Empty when there is
/// nothing to report.
pub fn file_report(file: &str, index: &LineIndex, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diag in diags {
        out.push_str(&diagnostic(file, index, diag));
        out.push('\n');
    }
    let n_errors = diags
        .iter()
        .filter(|it| it.severity == Severity::Error)
        .count();
    let n_warnings = diags.len() - n_errors;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if n_errors > 0 {
        let _ = write!(
            out,
            "error: aborting due to {n_errors} previous error{}",
            plural(n_errors)
        );
        if n_warnings > 0 {
            let _ = write!(out, "; {n_warnings} warning{} emitted", plural(n_warnings));
        }
        out.push_str("\n\n");
    } else if n_warnings > 0 {
        let _ = write!(
            out,
            "warning: {n_warnings} warning{} emitted\n\n",
            plural(n_warnings)
        );
    }
    let codes: BTreeSet<&str> = diags
        .iter()
        .filter(|it| it.severity == Severity::Error && it.code.starts_with('E'))
        .map(|it| it.code)
        .collect();
    match codes.len() {
        0 => {}
        1 => {
            let code = codes.first().unwrap();
            let _ = writeln!(
                out,
                "For more information about this error, try `rustc --explain {code}`."
            );
        }
        _ => {
            let list: Vec<&str> = codes.iter().copied().collect();
            let _ = writeln!(
                out,
                "Some errors have detailed explanations: {}.",
                list.join(", ")
            );
            let _ = writeln!(
                out,
                "For more information about an error, try `rustc --explain {}`.",
                list[0]
            );
        }
    }
    out
}

/// One diagnostic, ending with a line break.
pub fn diagnostic(file: &str, index: &LineIndex, diag: &Diagnostic) -> String {
    let mut out = String::new();
    let severity = severity(diag.severity);
    // rustc prints "lifetime may not live long enough" without a code.
    if diag.code.starts_with('E') {
        let _ = writeln!(out, "{severity}[{}]: {}", diag.code, diag.message);
    } else {
        let _ = writeln!(out, "{severity}: {}", diag.message);
    }

    // A label on the primary span is the primary span's own message ("mutable borrow occurs here").
    let primary_label = diag.labels.iter().position(|it| it.range == diag.range);
    let mut marks = Mark::of_span(
        index,
        diag.range,
        true,
        primary_label.map_or("", |i| &diag.labels[i].message),
    );
    for (i, label) in diag.labels.iter().enumerate() {
        if Some(i) != primary_label {
            marks.extend(Mark::of_span(index, label.range, false, &label.message));
        }
    }

    let start = index.line_col(diag.range.start);
    let lines: BTreeSet<u32> = marks.iter().map(|it| it.line).collect();
    let width = lines.last().map_or(1, |it| it.to_string().len());
    let gutter = " ".repeat(width);
    let _ = writeln!(out, "{gutter}--> {file}:{}:{}", start.line, start.col);
    let _ = writeln!(out, "{gutter} |");
    let mut previous: Option<u32> = None;
    for &line in &lines {
        match previous {
            // rustc shows a single line between two annotated ones, and `...` for a longer gap.
            Some(prev) if line == prev + 2 => source_line(&mut out, index, prev + 1, width),
            Some(prev) if line > prev + 2 => out.push_str("...\n"),
            _ => {}
        }
        source_line(&mut out, index, line, width);
        let mut on_line: Vec<&Mark> = marks.iter().filter(|it| it.line == line).collect();
        on_line.sort_by_key(|it| it.start);
        for row in annotation_rows(&on_line) {
            let _ = writeln!(out, "{}", format!("{gutter} | {row}").trim_end());
        }
        previous = Some(line);
    }
    out
}

/// An underline on one line: display columns `start..end` (0-based, end exclusive, never empty).
struct Mark<'a> {
    line: u32,
    start: usize,
    end: usize,
    primary: bool,
    message: &'a str,
}

impl<'a> Mark<'a> {
    /// The marks of one span: its underline, or for a span over several lines one mark on its
    /// first character and one on its last, which carries the message (where rustc draws the
    /// span's left edge down to the end).
    fn of_span(
        index: &LineIndex,
        range: TextRange,
        primary: bool,
        message: &'a str,
    ) -> Vec<Mark<'a>> {
        let start = index.line_col(range.start);
        let end = index.line_col(range.end.max(range.start));
        let at = |line: u32, from_char: usize, to_char: usize, message: &'a str| {
            let text = index.line_text(line);
            let start = display_width(text, from_char);
            let end = display_width(text, to_char).max(start + 1);
            Mark {
                line,
                start,
                end,
                primary,
                message,
            }
        };
        let (start_char, end_char) = (start.col as usize - 1, end.col as usize - 1);
        if end.line == start.line || end_char == 0 {
            let last_char = if end.line == start.line {
                end_char
            } else {
                index.line_text(start.line).chars().count()
            };
            return vec![at(start.line, start_char, last_char, message)];
        }
        vec![
            at(start.line, start_char, start_char + 1, ""),
            at(end.line, end_char - 1, end_char, message),
        ]
    }
}

/// The underline row with the rightmost message beside it, then, as rustc does, a row of `|` and
/// one row per remaining message, the rightmost first. `marks` are sorted by start; marks that
/// start together keep their order (the primary span first, then the labels).
///
/// Checked against rustc 1.95's own rendering of the single-line errors of the rustc-ui corpus.
fn annotation_rows(marks: &[&Mark]) -> Vec<String> {
    let Some(last) = marks.last() else {
        return Vec::new();
    };
    let mut underline = vec![' '; marks.iter().map(|it| it.end).max().unwrap_or(0)];
    // Wider marks first, so a narrower one stays visible on top; the primary wins a tie.
    let mut drawing: Vec<&&Mark> = marks.iter().collect();
    drawing.sort_by_key(|it| (std::cmp::Reverse(it.end - it.start), it.primary));
    for mark in drawing {
        underline[mark.start..mark.end].fill(if mark.primary { '^' } else { '-' });
    }
    let mut first: String = underline.into_iter().collect();
    // The rightmost message goes beside the underline unless its mark overlaps another one.
    let others = &marks[..marks.len() - 1];
    let inline = others.iter().all(|it| it.end <= last.start);
    if inline && !last.message.is_empty() {
        first.push(' ');
        first.push_str(last.message);
    }
    let mut rows = vec![first];
    let below = if inline { others } else { marks };
    let pending: Vec<&&Mark> = below.iter().filter(|it| !it.message.is_empty()).collect();
    if pending.is_empty() {
        return rows;
    }
    let bars = |before: usize| {
        let mut row = vec![' '; before];
        for mark in pending.iter().filter(|it| it.start < before) {
            row[mark.start] = '|';
        }
        row.into_iter().collect::<String>()
    };
    rows.push(bars(
        pending.iter().map(|it| it.start + 1).max().unwrap_or(0),
    ));
    let mut order: Vec<usize> = (0..pending.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(pending[i].start), i));
    for i in order {
        let mark = pending[i];
        rows.push(bars(mark.start) + mark.message);
    }
    rows
}

fn source_line(out: &mut String, index: &LineIndex, line: u32, width: usize) {
    let text: String = index
        .line_text(line)
        .chars()
        .map(|c| match c {
            '\t' => "    ".to_string(),
            c if c.is_control() => " ".to_string(),
            c => c.to_string(),
        })
        .collect();
    let _ = writeln!(out, "{}", format!("{line:>width$} | {text}").trim_end());
}

/// How many columns the first `n_chars` characters of a line take on screen.
fn display_width(text: &str, n_chars: usize) -> usize {
    text.chars()
        .take(n_chars)
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
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
        let index = LineIndex::new(text);
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
        assert_eq!(file_report("cr.rs", &index, &[diag]), expected);
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
        assert_eq!(diagnostic("f.rs", &LineIndex::new(&text), &diag), expected);
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
        assert_eq!(diagnostic("f.rs", &LineIndex::new(text), &diag), expected);
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
        let expected = "\
warning: lifetime may not live long enough
 --> f.rs:2:5
  |
1 | fn f() {
  |         -
2 |     x.push(Task {
  |     ^
3 |         a: 1,
4 |     });
  |      ^ requires that `'1` outlive `'2`
";
        let index = LineIndex::new(text);
        assert_eq!(diagnostic("f.rs", &index, &diag), expected);
        assert!(file_report("f.rs", &index, &[diag]).ends_with("\nwarning: 1 warning emitted\n\n"));
    }
}
