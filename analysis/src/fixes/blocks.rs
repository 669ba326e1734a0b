//! Where a span sits among a body's blocks and statements, and whether statements can trade
//! places: the names they declare and mention, and whether they may leave their block.

use std::collections::HashSet;

use crate::ast::{Block, Expr, ExprKind, MacroArgs, Name, Pat, PatKind, Span, Stmt};

pub(super) fn stmt_span(s: &Stmt) -> Span {
    match s {
        Stmt::Let { span, .. } => *span,
        Stmt::Expr { expr, .. } => expr.span,
        Stmt::Item(span) | Stmt::Cfg(span) => *span,
    }
}

pub(super) fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Where a span sits: the chain of blocks from the body inwards, each with the index of the
/// statement holding the span (`stmts.len()` for the tail expression).
pub(super) fn locate(root: &Block, span: Span) -> Vec<(&Block, usize)> {
    let mut chain = Vec::new();
    let mut block = root;
    'outer: loop {
        let idx = block
            .stmts
            .iter()
            .position(|s| contains(stmt_span(s), span))
            .or_else(|| {
                block
                    .tail
                    .as_ref()
                    .filter(|t| contains(t.span, span))
                    .map(|_| block.stmts.len())
            });
        let Some(idx) = idx else { break };
        chain.push((block, idx));
        let mut exprs: Vec<&Expr> = Vec::new();
        match block.stmts.get(idx) {
            Some(Stmt::Let {
                init, else_block, ..
            }) => {
                exprs.extend(init.iter());
                if let Some(b) = else_block {
                    if contains(b.span, span) {
                        block = b;
                        continue 'outer;
                    }
                }
            }
            Some(Stmt::Expr { expr, .. }) => exprs.push(expr),
            Some(_) => break,
            None => exprs.extend(block.tail.as_deref()),
        }
        // Descend through expressions to the innermost block that holds the span.
        while let Some(e) = exprs.pop() {
            if !contains(e.span, span) {
                continue;
            }
            if let Some(b) = child_blocks(e).into_iter().find(|b| contains(b.span, span)) {
                block = b;
                continue 'outer;
            }
            crate::ast::for_each_child(e, &mut |c| {
                if contains(c.span, span) {
                    exprs.push(c)
                }
            });
        }
        break;
    }
    chain
}

/// The blocks directly under an expression.
pub(super) fn child_blocks(e: &Expr) -> Vec<&Block> {
    match &e.kind {
        ExprKind::Block { block, .. } | ExprKind::OpaqueBlock(block) => vec![block],
        ExprKind::If { then_branch, .. } => vec![then_branch],
        ExprKind::While { body, .. } | ExprKind::Loop { body, .. } | ExprKind::For { body, .. } => {
            vec![body]
        }
        _ => Vec::new(),
    }
}

/// The innermost block holding both spans in two of its statements, with their indices.
pub(super) fn common_block(root: &Block, a: Span, b: Span) -> Option<(&Block, usize, usize)> {
    let ca = locate(root, a);
    let cb = locate(root, b);
    let mut found = None;
    for ((ba, ia), (bb, ib)) in ca.iter().zip(cb.iter()) {
        if !std::ptr::eq(*ba, *bb) {
            break;
        }
        found = Some((*ba, *ia, *ib));
        if ia != ib {
            break;
        }
    }
    found
}

/// Every name an expression or statement mentions: paths' first segments, macro tokens and the
/// identifiers inside format strings.
pub(super) fn mentions_expr(e: &Expr, acc: &mut HashSet<Name>) {
    match &e.kind {
        ExprKind::Path(s) => {
            if let Some(first) = s.first() {
                acc.insert(first.clone());
            }
        }
        ExprKind::Unknown(ids) => acc.extend(ids.iter().map(|(n, _)| n.clone())),
        ExprKind::Macro(m) => {
            acc.extend(m.format_idents.iter().map(|(n, _)| n.clone()));
            if let MacroArgs::Tokens(ids) = &m.args {
                acc.extend(ids.iter().map(|(n, _)| n.clone()));
            }
        }
        _ => {}
    }
    // Patterns bind names, and a block's `let`s shadow: both count as mentions.
    match &e.kind {
        ExprKind::Let { pat, .. } | ExprKind::For { pat, .. } => pat_names(pat, acc),
        ExprKind::Match { arms, .. } => arms.iter().for_each(|a| pat_names(&a.pat, acc)),
        ExprKind::Closure { params, .. } => params.iter().for_each(|p| pat_names(&p.pat, acc)),
        _ => {}
    }
    for b in child_blocks(e) {
        for s in &b.stmts {
            if let Stmt::Let { pat, .. } = s {
                pat_names(pat, acc);
            }
        }
    }
    crate::ast::for_each_child(e, &mut |c| mentions_expr(c, acc));
}

pub(super) fn mentions(s: &Stmt) -> HashSet<Name> {
    let mut acc = HashSet::new();
    match s {
        Stmt::Let {
            pat,
            init,
            else_block,
            ..
        } => {
            pat_names(pat, &mut acc);
            if let Some(i) = init {
                mentions_expr(i, &mut acc);
            }
            if let Some(b) = else_block {
                for s in &b.stmts {
                    acc.extend(mentions(s));
                }
                if let Some(t) = &b.tail {
                    mentions_expr(t, &mut acc);
                }
            }
        }
        Stmt::Expr { expr, .. } => mentions_expr(expr, &mut acc),
        Stmt::Item(_) | Stmt::Cfg(_) => {}
    }
    acc
}

pub(super) fn declared(s: &Stmt) -> HashSet<Name> {
    let mut acc = HashSet::new();
    if let Stmt::Let { pat, .. } = s {
        pat_names(pat, &mut acc);
    }
    acc
}

fn pat_names(p: &Pat, acc: &mut HashSet<Name>) {
    p.walk(&mut |q| {
        if let PatKind::Binding { name, .. } = &q.kind {
            acc.insert(name.clone());
        }
    });
}

/// Does the statement leave its block other than by falling through (or may it, through a
/// macro we cannot read)?
fn may_exit(s: &Stmt) -> bool {
    fn expr(e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Return(_)
            | ExprKind::Break { .. }
            | ExprKind::Continue { .. }
            | ExprKind::Try(_) => true,
            ExprKind::Macro(m) if matches!(m.args, MacroArgs::Tokens(_)) => true,
            ExprKind::Closure { .. } => false,
            _ => {
                let mut any = false;
                crate::ast::for_each_child(e, &mut |c| any |= expr(c));
                any
            }
        }
    }
    match s {
        Stmt::Let {
            init, else_block, ..
        } => init.as_ref().is_some_and(expr) || else_block.is_some(),
        Stmt::Expr { expr: e, .. } => expr(e),
        Stmt::Item(_) | Stmt::Cfg(_) => true,
    }
}

/// Can the statements `moved` trade places with the statements `crossed`? Only when no name one
/// side declares is mentioned by the other, and none of them leaves the block.
pub(super) fn independent(moved: &[Stmt], crossed: &[Stmt]) -> bool {
    let decl = |ss: &[Stmt]| ss.iter().flat_map(declared).collect::<HashSet<_>>();
    let ment = |ss: &[Stmt]| ss.iter().flat_map(mentions).collect::<HashSet<_>>();
    if moved.iter().chain(crossed).any(may_exit) {
        return false;
    }
    decl(moved).is_disjoint(&ment(crossed)) && decl(crossed).is_disjoint(&ment(moved))
}
