//! A value of a type parameter moved twice: require the parameter to be `Copy`.

use super::clone::place_ty;
use super::edit::is_ident_char;
use super::{Fix, FixCtx, TextEdit};
use crate::ast::Span;
use crate::ty::Ty;
use crate::TextRange;

/// A value of a type parameter moved twice: bound the parameter by `Copy` (rustc's "consider
/// restricting type parameter `T`"), where the parameter is written `T` or `T: Bounds` in the
/// function's own generics.
pub(super) fn restrict_copy(cx: &FixCtx, moved: Span, out: &mut Vec<Fix>) {
    let text = cx.src(moved);
    if !text.chars().all(is_ident_char) {
        return;
    }
    let Some(Ty::Param { name, .. }) = place_ty(cx, text, moved.start) else {
        return;
    };
    if !cx.def.generics.types.iter().any(|(n, _)| *n == name) {
        return;
    }
    // The generics list: from the `<` after the name to its `>`, at depth one.
    let header_end = cx.def.body.as_ref().map_or(0, |b| b.span.start);
    let name_end = cx.abs(cx.def.name_span).end as usize;
    let header = &cx.text[name_end..(cx.offset + header_end) as usize];
    if !header.starts_with('<') {
        return;
    }
    let bytes = header.as_bytes();
    let mut depth = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => depth += 1,
            b'>' => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            _ if depth == 1
                && header[i..].starts_with(&*name)
                && !header[..i].ends_with(|c: char| is_ident_char(c) || c == '\'')
                && !header[i + name.len()..].starts_with(is_ident_char) =>
            {
                let after = header[i + name.len()..].trim_start();
                let at = (name_end + i + name.len()) as u32;
                let edit = if after.starts_with(',') || after.starts_with('>') {
                    TextEdit {
                        range: TextRange { start: at, end: at },
                        new_text: ": Copy".into(),
                    }
                } else if let Some(bounds) = after.strip_prefix(':') {
                    let bounds = bounds.trim_start();
                    if bounds.is_empty() || bounds.starts_with([',', '>']) {
                        return;
                    }
                    let colon = header[i + name.len()..].find(':').unwrap();
                    let at = at + colon as u32 + 1;
                    TextEdit {
                        range: TextRange { start: at, end: at },
                        new_text: " Copy +".into(),
                    }
                } else {
                    return;
                };
                out.push(Fix {
                    kind: "restrict-copy",
                    title: format!("Require `{name}: Copy`"),
                    edits: vec![edit],
                });
                return;
            }
            _ => {}
        }
        i += 1;
    }
}
