//! E0597: a borrow an annotation asks to outlive the function; drop the annotated lifetime and
//! let it be inferred.

use super::blocks::contains;
use super::edit::is_ident_char;
use super::walk::{find_expr, visit_lets_with_pat};
use super::{Fix, FixCtx, TextEdit};
use crate::ast::{Block, ExprKind, PatKind, Span};
use crate::errors::BorrowError;
use crate::TextRange;

/// `let y: &'static T = &x;`, `S::<&'static T> { t: &x }` or `f::<&'static T>(&x)`: the
/// annotation asks the borrow to outlive the function; let it be inferred instead (`&T`).
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
        // The innermost call, constructor or struct literal with generic arguments written on
        // its path around the borrow: the path, up to the first `(` or `{`; or a method's
        // turbofish, up to its `(`.
        find_expr(root, &mut |x| {
            if !contains(x.span, e.span) {
                return;
            }
            let start = match &x.kind {
                ExprKind::Struct { generics, .. } if !generics.is_empty() => x.span.start,
                ExprKind::Call(_, _, generics)
                    if !generics.all.is_empty() || generics.qself.is_some() =>
                {
                    x.span.start
                }
                ExprKind::MethodCall {
                    generics,
                    method_span,
                    ..
                } if !generics.is_empty() => method_span.end,
                _ => return,
            };
            let text = cx.src(Span::new(start, x.span.end));
            if let Some(end) = text.find(['(', '{']) {
                annotation = Some(Span::new(start, start + end as u32));
            }
        });
    }
    if annotation.is_none() {
        // A call of a local bound to a path with written arguments (`let f = S::<&'a T>;`):
        // that path.
        let mut callee = None;
        find_expr(root, &mut |x| {
            if let ExprKind::Call(f, ..) = &x.kind {
                if let (ExprKind::Path(p), true) = (&f.kind, contains(x.span, e.span)) {
                    callee = p.first().filter(|_| p.len() == 1).cloned();
                }
            }
        });
        if let Some(name) = callee {
            visit_lets_with_pat(root, &mut |pat, ty, init| {
                let path = match &init.kind {
                    ExprKind::Ref { expr, .. } => expr,
                    _ => init,
                };
                let binds =
                    matches!(&pat.kind, PatKind::Binding { name: n, sub: None, .. } if *n == name);
                if binds && ty.is_none() && matches!(path.kind, ExprKind::Path(_)) {
                    annotation = Some(init.span);
                }
            });
        }
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
