//! E0597: a borrow an annotation asks to outlive the function; drop the annotated lifetime and
//! let it be inferred.

use super::blocks::contains;
use super::edit::is_ident_char;
use super::walk::{find_expr, visit_lets_with_pat};
use super::{Fix, FixCtx, TextEdit};
use crate::ast::{Block, ExprKind, Span};
use crate::errors::BorrowError;
use crate::TextRange;

/// `let y: &'static T = &x;` or `S::<&'static T> { t: &x }`: the annotation asks the borrow to
/// outlive the function; let it be inferred instead (`&T`).
pub(super) fn drop_annotated_lifetime(
    cx: &FixCtx,
    root: &Block,
    e: &BorrowError,
    out: &mut Vec<Fix>,
) {
    let mut annotation: Option<Span> = None;
    visit_lets_with_pat(root, &mut |pat, ty, init| {
        if ty.is_some() && contains(init.span, e.span) {
            annotation = Some(Span::new(pat.span.end, init.span.start));
        }
    });
    if annotation.is_none() {
        // The innermost constructor or struct literal with turbofish arguments around the borrow:
        // its path, up to the first `(` or `{`.
        find_expr(root, &mut |x| {
            let annotated = match &x.kind {
                ExprKind::Struct { generics, .. } => !generics.is_empty(),
                ExprKind::Call(_, _, generics) => !generics.all.is_empty(),
                _ => false,
            };
            if annotated && contains(x.span, e.span) {
                let text = cx.src(x.span);
                if let Some(end) = text.find(['(', '{']) {
                    annotation = Some(Span::new(x.span.start, x.span.start + end as u32));
                }
            }
        });
    }
    let Some(annotation) = annotation else {
        return;
    };
    let Some(edits) = drop_ref_lifetimes(cx, annotation) else {
        return;
    };
    out.push(Fix {
        kind: "drop-lifetime",
        title: "Let the borrow's lifetime be inferred".into(),
        edits,
    });
}

/// The edits that turn every `&'x ` of the text at `s` into `&`, when those are all the
/// lifetimes written there.
fn drop_ref_lifetimes(cx: &FixCtx, s: Span) -> Option<Vec<TextEdit>> {
    let r = cx.abs(s);
    let annotation = &cx.text[r.start as usize..r.end as usize];
    let mut edits = Vec::new();
    let mut rest = annotation;
    while let Some(i) = rest.find("&'") {
        let at = annotation.len() - rest.len() + i + 1;
        let name_len = annotation[at + 1..]
            .find(|c: char| !is_ident_char(c))
            .unwrap_or(annotation.len() - at - 1);
        let mut end = at + 1 + name_len;
        end += annotation[end..].len() - annotation[end..].trim_start().len();
        edits.push(TextEdit {
            range: TextRange {
                start: r.start + at as u32,
                end: r.start + end as u32,
            },
            new_text: String::new(),
        });
        rest = &annotation[end..];
    }
    (!edits.is_empty() && annotation.matches('\'').count() == edits.len()).then_some(edits)
}
