//! Two `&mut` into one slice at literal indices or ranges: borrow both halves with
//! `split_at_mut`.

use super::blocks::{common_block, contains, mentions, stmt_span};
use super::edit::is_simple_place;
use super::{conflict_spans, Fix, FixCtx, TextEdit};
use crate::ast::{Block, Expr, ExprKind, Lit, Mutability, Pat, PatKind, Span, Stmt};
use crate::errors::{BorrowError, ConflictKind, ErrorKind};
use crate::TextRange;

/// `&mut v[i]` / `&mut v[a..b]` with literal bounds: the indexed place's text and the range.
fn index_borrow(e: &Expr) -> Option<(&Expr, Option<u64>, Option<u64>, bool)> {
    let ExprKind::Ref {
        mutability: Mutability::Mut,
        raw: false,
        expr,
    } = &e.kind
    else {
        return None;
    };
    let ExprKind::Index(base, idx) = &expr.kind else {
        return None;
    };
    Some(match &idx.kind {
        ExprKind::Lit(Lit::Int) => (base, None, None, false),
        ExprKind::Range {
            inclusive: false, ..
        } => (base, None, None, true),
        _ => return None,
    })
}

fn int_lit(cx: &FixCtx, e: &Expr) -> Option<u64> {
    matches!(e.kind, ExprKind::Lit(Lit::Int))
        .then(|| cx.src(e.span).replace('_', "").parse().ok())
        .flatten()
}

pub(super) fn split_at_mut(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    if !matches!(
        e.kind,
        ErrorKind::Conflict {
            kind: ConflictKind::SecondMutBorrow,
            ..
        }
    ) {
        return;
    }
    let Some((borrow, access, _)) = conflict_spans(e) else {
        return;
    };
    let Some((block, ib, ia)) = common_block(root, borrow, access) else {
        return;
    };
    if ib >= ia || ia >= block.stmts.len() {
        return;
    }
    fn let_of(s: &Stmt, at: Span) -> Option<(&Pat, &Expr)> {
        match s {
            Stmt::Let {
                pat,
                init: Some(init),
                else_block: None,
                ty: None,
                ..
            } if contains(init.span, at) && matches!(pat.kind, PatKind::Binding { .. }) => {
                Some((pat, init))
            }
            _ => None,
        }
    }
    let (Some((pat_b, init_b)), Some((pat_a, init_a))) = (
        let_of(&block.stmts[ib], borrow),
        let_of(&block.stmts[ia], access),
    ) else {
        return;
    };
    let (Some((base_b, ..)), Some((base_a, ..))) = (index_borrow(init_b), index_borrow(init_a))
    else {
        return;
    };
    let base = cx.src(base_b.span);
    if base != cx.src(base_a.span) || !is_simple_place(base) {
        return;
    }
    // Nothing between the two borrows may touch the slice: it is borrowed whole by the split.
    let root_name = base.split('.').next().unwrap_or(base);
    if block.stmts[ib + 1..ia]
        .iter()
        .any(|s| mentions(s).contains(root_name))
    {
        return;
    }
    let idx = |init: &Expr| -> Option<(Option<u64>, Option<u64>, bool)> {
        let ExprKind::Ref { expr, .. } = &init.kind else {
            return None;
        };
        let ExprKind::Index(_, i) = &expr.kind else {
            return None;
        };
        match &i.kind {
            ExprKind::Lit(Lit::Int) => int_lit(cx, i).map(|n| (Some(n), Some(n + 1), false)),
            ExprKind::Range {
                start,
                end,
                inclusive: false,
            } => {
                let s = match start {
                    Some(s) => Some(int_lit(cx, s)?),
                    None => None,
                };
                let e = match end {
                    Some(e) => Some(int_lit(cx, e)?),
                    None => None,
                };
                Some((s, e, true))
            }
            _ => None,
        }
    };
    let (Some(rb), Some(ra)) = (idx(init_b), idx(init_a)) else {
        return;
    };
    // The first borrow must end where the second starts (or before): split there.
    let (first, second, first_is_b) = if rb.1.is_some_and(|e| ra.0.unwrap_or(0) >= e) {
        (rb, ra, true)
    } else if ra.1.is_some_and(|e| rb.0.unwrap_or(0) >= e) {
        (ra, rb, false)
    } else {
        return;
    };
    let mid = second.0.unwrap_or(0);
    let (PatKind::Binding { name: nb, .. }, PatKind::Binding { name: na, .. }) =
        (&pat_b.kind, &pat_a.kind)
    else {
        return;
    };
    // Whole-slice halves bind directly: `let (left, right) = v.split_at_mut(1);`.
    let whole_first = first.2 && first.0.unwrap_or(0) == 0 && first.1 == Some(mid);
    let whole_second = second.2 && second.0 == Some(mid) && second.1.is_none();
    let (name_first, name_second) = if first_is_b { (nb, na) } else { (na, nb) };
    let (Some(lb), Some(la)) = (
        cx.stmt_lines(stmt_span(&block.stmts[ib])),
        cx.stmt_lines(stmt_span(&block.stmts[ia])),
    ) else {
        return;
    };
    let indent = cx.indent_at(lb.0).to_string();
    let sub = |r: (Option<u64>, Option<u64>, bool), off: u64| -> String {
        if r.2 {
            let s = r.0.map_or(String::new(), |s| (s - off).to_string());
            let e = r.1.map_or(String::new(), |e| (e - off).to_string());
            format!("{s}..{e}")
        } else {
            (r.0.unwrap_or(0) - off).to_string()
        }
    };
    let (head, tail) = if whole_first && whole_second {
        (name_first.to_string(), name_second.to_string())
    } else {
        (cx.fresh_name("head"), cx.fresh_name("tail"))
    };
    let mut text = format!("{indent}let ({head}, {tail}) = {base}.split_at_mut({mid});\n");
    if !(whole_first && whole_second) {
        text.push_str(&format!(
            "{indent}let {name_first} = &mut {head}[{}];\n",
            sub(first, 0)
        ));
        text.push_str(&format!(
            "{indent}let {name_second} = &mut {tail}[{}];\n",
            sub(second, mid)
        ));
    }
    // Replace the first statement with the split and drop the second; the second borrow's binding
    // moves up, which is sound: nothing between them mentions the slice or declares its name.
    if block.stmts[ib + 1..ia]
        .iter()
        .any(|s| mentions(s).contains(name_first) || mentions(s).contains(name_second))
    {
        return;
    }
    out.push(Fix {
        kind: "split-at-mut",
        title: format!("Split `{base}` with `split_at_mut({mid})`"),
        edits: vec![
            TextEdit {
                range: TextRange {
                    start: lb.0,
                    end: lb.1,
                },
                new_text: text,
            },
            TextEdit {
                range: TextRange {
                    start: la.0,
                    end: la.1,
                },
                new_text: String::new(),
            },
        ],
    });
}
