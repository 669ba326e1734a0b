//! A collection mutated while a `for` loop iterates it: collect the new items first, then extend
//! the collection after the loop.

use std::collections::HashSet;

use super::blocks::{common_block, contains, mentions, mentions_expr};
use super::edit::is_simple_place;
use super::walk::find_expr;
use super::{conflict_spans, Fix, FixCtx};
use crate::ast::{Block, ExprKind, Mutability, Span, Stmt};
use crate::errors::{BorrowError, ConflictKind, ErrorKind};

pub(super) fn collect_first(cx: &FixCtx, root: &Block, e: &BorrowError, out: &mut Vec<Fix>) {
    // A borrow against a borrow (E0499, E0502), not a use, move or assignment.
    if !matches!(
        e.kind,
        ErrorKind::Conflict {
            kind: ConflictKind::SecondMutBorrow
                | ConflictKind::SharedWhileMut
                | ConflictKind::MutWhileShared,
            ..
        }
    ) {
        return;
    }
    let Some((borrow, access, _)) = conflict_spans(e) else {
        return;
    };
    // The borrow is a `for` loop's iterable and the access a `push` in its body.
    let Some((block, ifor, iacc)) = common_block(root, borrow, access) else {
        return;
    };
    if ifor != iacc {
        return;
    }
    let for_expr = match block.stmts.get(ifor) {
        Some(Stmt::Expr { expr, .. }) => expr,
        Some(_) => return,
        None => match &block.tail {
            Some(t) => t,
            None => return,
        },
    };
    let ExprKind::For {
        iter,
        body,
        label: None,
        ..
    } = &for_expr.kind
    else {
        return;
    };
    if !contains(iter.span, borrow) || !contains(body.span, access) {
        return;
    }
    let collection = match &iter.kind {
        ExprKind::MethodCall {
            receiver,
            method,
            args,
            ..
        } if args.is_empty() && &**method == "iter" => receiver,
        ExprKind::Ref {
            mutability: Mutability::Not,
            expr,
            ..
        } => expr,
        _ => return,
    };
    let coll = cx.src(collection.span);
    if !is_simple_place(coll) {
        return;
    }
    // Find the `coll.push(..)` call at the access.
    let mut receiver: Option<Span> = None;
    find_expr(body, &mut |x| {
        if let ExprKind::MethodCall {
            receiver: r,
            method,
            args,
            ..
        } = &x.kind
        {
            if &**method == "push"
                && args.len() == 1
                && cx.src(r.span) == coll
                && contains(x.span, access)
            {
                receiver = Some(r.span);
            }
        }
    });
    let Some(receiver) = receiver else { return };
    // Exactly one mention of the collection in the body: the push.
    let mut uses = 0;
    find_expr(body, &mut |x| {
        if matches!(&x.kind, ExprKind::Path(s) if s.len() == 1 && cx.src(x.span) == coll.split('.').next().unwrap_or(coll))
        {
            uses += 1;
        }
    });
    let mut body_names = HashSet::new();
    for s in &body.stmts {
        body_names.extend(mentions(s));
    }
    if let Some(t) = &body.tail {
        mentions_expr(t, &mut body_names);
    }
    let root_name = coll.split('.').next().unwrap_or(coll);
    if uses != 1 || !body_names.contains(root_name) {
        return;
    }
    let Some(lines) = cx.stmt_lines(for_expr.span) else {
        return;
    };
    let indent = cx.indent_at(lines.0).to_string();
    let items = cx.fresh_name("new_items");
    out.push(Fix {
        kind: "collect-first",
        title: format!("Collect the new items first, then extend `{coll}` after the loop"),
        edits: vec![
            cx.insert(lines.0, format!("{indent}let mut {items} = Vec::new();\n")),
            cx.edit(receiver, items.clone()),
            cx.insert(lines.1, format!("{indent}{coll}.extend({items});\n")),
        ],
    });
}
