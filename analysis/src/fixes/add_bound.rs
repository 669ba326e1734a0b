//! A lifetime that must outlive others the signature does not relate it to: declare the bounds
//! (rustc's "consider adding the following bound: `'a: 'b`").

use super::edit::is_ident_char;
use super::{Fix, FixCtx, TextEdit};
use crate::ast::Name;
use crate::errors::{BorrowError, ErrorKind};
use crate::TextRange;

/// `'longer: 'b + 'c` for every named lifetime `'longer` must outlive and is not known to: in
/// the function's generics list where `'longer` is declared there (`<'a, 'b>` becomes
/// `<'a: 'b, 'b>`), else (an impl's lifetime) in the function's `where` clause.
pub(super) fn add_bound(cx: &FixCtx, e: &BorrowError, out: &mut Vec<Fix>) {
    let ErrorKind::RegionOutlives {
        longer,
        bounds: Some(bounds),
        ..
    } = &e.kind
    else {
        return;
    };
    if bounds.is_empty() {
        return;
    }
    let sum = bounds
        .iter()
        .map(|b| format!("'{b}"))
        .collect::<Vec<_>>()
        .join(" + ");
    let edit = if cx.def.generics.lifetimes.contains(longer) {
        in_generics(cx, longer, &sum)
    } else {
        in_where(cx, longer, &sum)
    };
    let Some(edit) = edit else {
        return;
    };
    out.push(Fix {
        kind: "add-bound",
        title: format!("Add the bound `'{longer}: {sum}`"),
        edits: vec![edit],
    });
}

/// The text from the function's name to its body: generics, parameters, return type, `where`.
fn header<'t>(cx: &FixCtx<'t>) -> Option<(usize, &'t str)> {
    let body = cx.def.body.as_ref()?;
    let start = cx.abs(cx.def.name_span).end as usize;
    Some((start, cx.text.get(start..cx.abs(body.span).start as usize)?))
}

/// `: 'b` after `'longer` where the generics list declares it (`+ 'b` before bounds it has).
fn in_generics(cx: &FixCtx, longer: &Name, sum: &str) -> Option<TextEdit> {
    let (start, header) = header(cx)?;
    if !header.starts_with('<') {
        return None;
    }
    let param = format!("'{longer}");
    let mut depth = 0;
    for (i, c) in header.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
            }
            _ if depth == 1
                && header[i..].starts_with(&param)
                && !header[i + param.len()..].starts_with(is_ident_char)
                && header[..i].trim_end().ends_with(['<', ',']) =>
            {
                let rest = &header[i + param.len()..];
                let at = (start + i + param.len()) as u32;
                let after = rest.trim_start();
                let (at, new_text) = if after.starts_with([',', '>']) {
                    (at, format!(": {sum}"))
                } else if after.strip_prefix(':')?.trim_start().starts_with('\'') {
                    (at + rest.find(':')? as u32 + 1, format!(" {sum} +"))
                } else {
                    return None;
                };
                return Some(TextEdit {
                    range: TextRange { start: at, end: at },
                    new_text,
                });
            }
            _ => {}
        }
    }
    None
}

/// `where 'longer: 'b` before the body, or first in the `where` clause the function has.
fn in_where(cx: &FixCtx, longer: &Name, sum: &str) -> Option<TextEdit> {
    let (start, header) = header(cx)?;
    let bound = format!("'{longer}: {sum}");
    // A `where` at depth 0, after the parameters.
    let mut depth = 0i32;
    let mut params_seen = false;
    for (i, c) in header.char_indices() {
        match c {
            '<' | '(' | '[' | '{' => depth += 1,
            '>' if header[..i].ends_with('-') => {}
            '>' | ')' | ']' | '}' => {
                depth -= 1;
                params_seen |= c == ')' && depth == 0;
            }
            'w' if depth == 0
                && params_seen
                && header[i..].starts_with("where")
                && !header[i + 5..].starts_with(is_ident_char)
                && !header[..i].ends_with(is_ident_char) =>
            {
                let at = (start + i + 5) as u32;
                return Some(TextEdit {
                    range: TextRange { start: at, end: at },
                    new_text: format!(" {bound},"),
                });
            }
            _ => {}
        }
    }
    if !params_seen {
        return None;
    }
    let at = (start + header.len()) as u32;
    let new_text = if header.ends_with(char::is_whitespace) {
        format!("where {bound} ")
    } else {
        format!(" where {bound} ")
    };
    Some(TextEdit {
        range: TextRange { start: at, end: at },
        new_text,
    })
}
