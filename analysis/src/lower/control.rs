//! Control flow: conditions (with `let` chains), `if`, `match` (with guards), `loop`, `while`,
//! `for`, `break`, `continue`, `return` and `?`, with the temporaries and bindings each ends on
//! each path.

use super::pattern::binds_ref_mut;
use super::{BindMode, Breakable, Lower};
use crate::ast::{self, BinOp, Block, Expr, ExprKind, FieldName, Mutability, Name, Pat, Span};
use crate::mir::*;
use crate::ty::Ty;
use crate::Edition;

impl Lower<'_> {
    /// `if cond { .. } else ..`, with the bindings of `if let` chains.
    pub(super) fn if_into(
        &mut self,
        cond: &Expr,
        then_branch: &Block,
        else_branch: Option<&Expr>,
        dest: &Place,
        span: Span,
    ) {
        self.push_scope();
        let depth = self.scopes.len();
        let then_b = self.new_block();
        let else_b = self.new_block();
        let join = self.new_block();
        let mark = self.stmt_temps.len();
        self.cond(cond, then_b, else_b);
        // Edition 2024: the scrutinee's temporaries of an `if let` are dropped before the
        // else branch (at the end of the then branch); before, with the statement.
        let scrutinee_temps = if self.edition >= Edition::E2024 {
            self.stmt_temps.split_off(mark.min(self.stmt_temps.len()))
        } else {
            Vec::new()
        };
        self.cur = then_b;
        self.block_into(then_branch, dest, None);
        self.kill_temps(&scrutinee_temps, then_branch.span);
        self.goto(join, span);
        // The `if let` bindings are not visible in the else branch, and their storage
        // ends where both branches join (a `let` chain may have bound some of them on the
        // way to the else branch).
        let bindings = std::mem::take(&mut self.scopes[depth - 1]);
        self.cur = else_b;
        self.kill_temps(&scrutinee_temps, cond.span);
        match else_branch {
            Some(e) => self.expr_into(e, dest),
            None => self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false),
        }
        self.goto(join, span);
        for l in bindings.locals.iter().rev() {
            self.push(
                StatementKind::StorageDead(*l),
                Span::new(span.end, span.end),
                false,
            );
        }
        self.scopes.pop();
    }

    /// `loop { .. }`: its value is what a `break` gives it.
    pub(super) fn loop_into(
        &mut self,
        label: &Option<Name>,
        body: &Block,
        dest: &Place,
        span: Span,
    ) {
        let head = self.new_block();
        let exit = self.new_block();
        self.goto(head, span);
        self.breakables.push(Breakable {
            label: label.clone(),
            is_loop: true,
            break_to: exit,
            continue_to: Some(head),
            dest: Some(dest.clone()),
            scope_depth: self.scopes.len(),
        });
        let t = self.temp(Ty::unit(), body.span);
        self.block_into(body, &Place::local(t), None);
        self.breakables.pop();
        self.jump(head, span);
        self.cur = exit;
    }

    /// `while cond { .. }` and `while let`.
    pub(super) fn while_into(
        &mut self,
        label: &Option<Name>,
        cond: &Expr,
        body: &Block,
        dest: &Place,
        span: Span,
    ) {
        let head = self.new_block();
        let exit = self.new_block();
        let body_b = self.new_block();
        self.goto(head, span);
        self.push_scope();
        let depth = self.scopes.len();
        let cond_exit = self.new_block();
        // The condition's temporaries (a `while let` scrutinee's) are dropped at the end
        // of each iteration, or when the loop ends.
        let mark = self.stmt_temps.len();
        self.cond(cond, body_b, cond_exit);
        let cond_temps = self.stmt_temps.split_off(mark.min(self.stmt_temps.len()));
        self.cur = cond_exit;
        self.kill_temps(&cond_temps, cond.span);
        self.pop_scope_no_forget(Span::new(span.end, span.end));
        self.goto(exit, span);
        self.cur = body_b;
        self.breakables.push(Breakable {
            label: label.clone(),
            is_loop: true,
            break_to: exit,
            continue_to: Some(head),
            dest: None,
            // `break` and `continue` end the `while let` bindings too.
            scope_depth: depth - 1,
        });
        let t = self.temp(Ty::unit(), body.span);
        self.block_into(body, &Place::local(t), None);
        self.breakables.pop();
        self.kill_temps(&cond_temps, body.span);
        self.pop_scope(Span::new(body.span.end, body.span.end));
        self.jump(head, span);
        self.cur = exit;
        self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
    }

    /// `break 'label value`: the value goes to the breakable's destination, scopes end on the
    /// way out.
    pub(super) fn break_into(&mut self, label: &Option<Name>, value: Option<&Expr>, span: Span) {
        let Some(i) = self.find_breakable(label.as_ref()) else {
            self.taint();
            return;
        };
        if let Some(v) = value {
            match self.breakables[i].dest.clone() {
                Some(d) => self.expr_into(v, &d),
                None => self.taint(),
            }
        }
        let depth = self.breakables[i].scope_depth;
        let target = self.breakables[i].break_to;
        self.exit_scopes_to(depth, span);
        self.jump(target, span);
    }

    /// `continue 'label`.
    pub(super) fn continue_into(&mut self, label: &Option<Name>, span: Span) {
        let Some(i) = self.find_breakable(label.as_ref()) else {
            self.taint();
            return;
        };
        let depth = self.breakables[i].scope_depth;
        let target = self.breakables[i].continue_to.unwrap();
        self.exit_scopes_to(depth, span);
        self.jump(target, span);
    }

    /// `return v`: into the return place, every scope ends.
    pub(super) fn return_into(&mut self, v: Option<&Expr>, span: Span) {
        let ret = Place::local(Body::return_local());
        match v {
            Some(v) => {
                self.body.return_exprs.push(v.span);
                self.expr_into(v, &ret)
            }
            None => self.assign(ret, Rvalue::Use(Operand::Const), span, false),
        }
        self.exit_scopes_to(0, span);
        self.terminate(Terminator::Return, span);
    }

    /// `inner?`: returns on one path, goes on with the `Ok`/`Some` value on the other.
    pub(super) fn question_mark_into(&mut self, inner: &Expr, dest: &Place, span: Span) {
        let ty = self.infer(inner);
        let t = self.temp(ty.clone(), inner.span);
        self.expr_into(inner, &Place::local(t));
        let ok = self.new_block();
        let err = self.new_block();
        self.terminate(Terminator::Switch(vec![ok, err]), span);
        self.cur = err;
        let ret = Place::local(Body::return_local());
        self.assign(ret, Rvalue::Use(Operand::Const), span, false);
        self.exit_scopes_to(0, span);
        self.terminate(Terminator::Return, span);
        self.cur = ok;
        let variant: Name = match ty.adt_name() {
            Some("Option") => "Some".into(),
            _ => "Ok".into(),
        };
        let p = Place::local(t)
            .project(Proj::Downcast(variant))
            .project(Proj::Field(FieldName::Index(0)));
        self.assign(dest.clone(), Rvalue::Use(Operand::Use(p)), span, true);
    }

    /// Lowers a condition (with `let` patterns and `&&` chains), jumping to `yes` or `no`.
    /// Bindings go into the innermost scope.
    pub(super) fn cond(&mut self, c: &Expr, yes: BlockId, no: BlockId) {
        match &c.kind {
            ExprKind::Let { pat, expr } => {
                let ty = self.infer(expr);
                let p = self.expr_place(expr, false);
                let p = self.ensure_place(p, ty.clone(), expr.span);
                self.push(StatementKind::FakeRead(p.clone()), expr.span, false);
                let matched = self.new_block();
                self.terminate(Terminator::Switch(vec![matched, no]), c.span);
                self.cur = matched;
                let saved = self.match_span.replace(expr.span);
                self.bind_pattern(pat, &p, &ty, BindMode::Move, pat.span);
                self.match_span = saved;
                self.goto(yes, c.span);
            }
            ExprKind::Binary(BinOp::And, a, b) if contains_let(c) => {
                let mid = self.new_block();
                self.cond(a, mid, no);
                self.cur = mid;
                self.cond(b, yes, no);
            }
            _ => {
                let mark = self.stmt_temps.len();
                let v = self.expr_operand(c);
                self.push(StatementKind::Eval(v), c.span, false);
                self.end_statement(mark, c.span);
                // rustc's `switchInt` on a `bool` lists `false` first: its visiting order (and
                // so which of two errors it keeps) depends on it.
                self.terminate(Terminator::Switch(vec![no, yes]), c.span);
            }
        }
    }

    pub(super) fn lower_match(
        &mut self,
        scrutinee: &Expr,
        arms: &[ast::Arm],
        dest: &Place,
        _span: Span,
    ) {
        let ty = self.infer(scrutinee);
        let is_temp = !self.is_place_expr(scrutinee);
        let p = self.expr_place(scrutinee, false);
        let p = self.ensure_place(p, ty.clone(), scrutinee.span);
        let promoted = self.is_constant(scrutinee) && !arms.iter().any(|a| binds_ref_mut(&a.pat));
        if is_temp && p.proj.is_empty() && !promoted {
            // The scrutinee's temporary lives until the end of the enclosing statement.
            self.body.locals[p.local.0 as usize].is_statement_temp = true;
            self.stmt_temps.push(p.local);
        }
        self.push(StatementKind::FakeRead(p.clone()), scrutinee.span, false);
        // rustc's fake borrows: with a guard, what the arms test (and the references on the way
        // to what they bind) is shallow-borrowed from each guard's start to its end.
        let mut fakes = Vec::new();
        if arms.iter().any(|a| a.guard.is_some()) {
            for arm in arms {
                self.fake_borrows_of(&arm.pat, &p, &ty, false, &mut fakes);
            }
        }
        let fake_temps: Vec<Local> = fakes
            .iter()
            .map(|_| self.temp(Ty::Unknown, scrutinee.span))
            .collect();
        let join = self.new_block();
        let arm_blocks: Vec<BlockId> = arms.iter().map(|_| self.new_block()).collect();
        let mut targets = arm_blocks.clone();
        if arms.is_empty() {
            targets.push(join);
        }
        self.terminate(Terminator::Switch(targets), scrutinee.span);
        for (i, arm) in arms.iter().enumerate() {
            self.cur = arm_blocks[i];
            self.push_scope();
            let saved = self.match_span.replace(scrutinee.span);
            let saved_bindings =
                std::mem::replace(&mut self.guard_bindings, arm.guard.is_some().then(Vec::new));
            self.bind_pattern(&arm.pat, &p, &ty, BindMode::Move, arm.pat.span);
            let pending = std::mem::replace(&mut self.guard_bindings, saved_bindings);
            self.match_span = saved;
            if let Some(g) = &arm.guard {
                self.push_fake_borrows(
                    &fakes,
                    &fake_temps,
                    FakeSection::MatchGuard,
                    scrutinee.span,
                );
                let body_b = self.new_block();
                let next = arm_blocks.get(i + 1).copied().unwrap_or(join);
                let fail = self.new_block();
                self.guard_cond(g, body_b, fail);
                self.cur = fail;
                self.pop_scope_no_forget(arm.span);
                // An or-pattern's guard runs once per alternative that matches (rustc lowers
                // a copy of it for each): after it fails, it may run again.
                if has_or(&arm.pat) {
                    let again = self.new_block();
                    self.terminate(Terminator::Switch(vec![again, next]), arm.span);
                    self.cur = again;
                    self.goto(arm_blocks[i], arm.span);
                } else {
                    self.goto(next, arm.span);
                }
                self.cur = body_b;
                let end = Span::new(g.span.end.saturating_sub(1), g.span.end);
                self.read_fake_borrows(&fake_temps, end);
                self.bind_after_guard(pending.unwrap_or_default(), end);
            }
            self.expr_into(&arm.body, dest);
            self.pop_scope(Span::new(arm.body.span.end, arm.body.span.end));
            self.jump(join, arm.span);
        }
        self.cur = join;
    }

    /// A guard's condition as rustc's `then_else_break` lowers it: `&&`, `||` and `!` split
    /// into branches, so that only the paths on which the guard holds reach `yes`.
    fn guard_cond(&mut self, c: &Expr, yes: BlockId, no: BlockId) {
        match &c.kind {
            ExprKind::Binary(BinOp::And, a, b) => {
                let mid = self.new_block();
                self.guard_cond(a, mid, no);
                self.cur = mid;
                self.guard_cond(b, yes, no);
            }
            ExprKind::Binary(BinOp::Or, a, b) => {
                let mid = self.new_block();
                self.guard_cond(a, yes, mid);
                self.cur = mid;
                self.guard_cond(b, yes, no);
            }
            _ => self.cond(c, yes, no),
        }
    }

    pub(super) fn lower_for(
        &mut self,
        label: &Option<Name>,
        pat: &Pat,
        iter: &Expr,
        body: &Block,
        dest: &Place,
        span: Span,
    ) {
        let ity = self.infer(iter);
        let it_op = self.expr_operand(iter);
        // `IntoIterator::into_iter(iter)`: the iterator keeps the borrows of its source.
        let item_ty = match &ity {
            Ty::Ref(m, inner) => match inner.index_elem() {
                Some(t) => Ty::Ref(*m, Box::new(t)),
                None => Ty::Unknown,
            },
            Ty::Adt { name, args, .. }
                if matches!(&**name, "Vec" | "VecDeque" | "HashSet" | "BTreeSet") =>
            {
                args.first().cloned().unwrap_or(Ty::Unknown)
            }
            Ty::Adt {
                name,
                args,
                lifetimes,
            } if *lifetimes > 0 && matches!(&**name, "Iter" | "IterMut") => {
                let m = if &**name == "IterMut" {
                    Mutability::Mut
                } else {
                    Mutability::Not
                };
                match args.first() {
                    Some(t) => Ty::Ref(m, Box::new(t.clone())),
                    None => Ty::Unknown,
                }
            }
            Ty::Adt { name, .. } if &**name == "Range" => Ty::Unknown,
            // A crate iterator: its impl's `type Item`.
            t @ Ty::Adt { name, .. } if self.index.adt(name).is_some() => {
                self.index.iterator_item(t).unwrap_or(Ty::Unknown)
            }
            t => t.iterator_item(),
        };
        let iter_local = self.temp(
            Ty::Adt {
                name: "IntoIter".into(),
                args: vec![],
                lifetimes: 1,
            },
            iter.span,
        );
        self.scopes.last_mut().unwrap().locals.push(iter_local);
        self.call(vec![it_op], Place::local(iter_local), vec![0], iter.span);
        let head = self.new_block();
        let exit = self.new_block();
        let body_b = self.new_block();
        self.goto(head, span);
        // `Iterator::next(&mut iter)`
        let r = self.temp(Ty::Ref(Mutability::Mut, Box::new(Ty::Unknown)), iter.span);
        self.assign(
            Place::local(r),
            Rvalue::Ref(
                BorrowKind::Mut { two_phase: false },
                Place::local(iter_local),
            ),
            iter.span,
            false,
        );
        let next = self.temp(Ty::Unknown, iter.span);
        let next_ret = self.new_block();
        let b = self.cur.0 as usize;
        self.body.blocks[b].term = Terminator::Call {
            args: vec![Operand::Move(Place::local(r))],
            dest: Place::local(next),
            target: Some(next_ret),
            ret_borrows: vec![],
            span: iter.span,
        };
        self.body.blocks[b].term_span = iter.span;
        self.cur = next_ret;
        // The item holds the iterator's borrows (not the `&mut` of `next`).
        self.assign(
            Place::local(next),
            Rvalue::Aggregate(vec![Operand::Copy(Place::local(iter_local))]),
            iter.span,
            false,
        );
        // `match next { None => break, Some(x) => .. }`: rustc's targets go by discriminant,
        // `None` first.
        self.terminate(Terminator::Switch(vec![exit, body_b]), iter.span);
        self.cur = body_b;
        self.push_scope();
        let item = Place::local(next)
            .project(Proj::Downcast("Some".into()))
            .project(Proj::Field(FieldName::Index(0)));
        let item_local = self.temp(item_ty.clone(), pat.span);
        self.assign(
            Place::local(item_local),
            Rvalue::Use(Operand::Use(item)),
            pat.span,
            true,
        );
        self.bind_pattern(
            pat,
            &Place::local(item_local),
            &item_ty,
            BindMode::Move,
            pat.span,
        );
        self.breakables.push(Breakable {
            label: label.clone(),
            is_loop: true,
            break_to: exit,
            continue_to: Some(head),
            dest: None,
            scope_depth: self.scopes.len() - 1,
        });
        let t = self.temp(Ty::unit(), body.span);
        self.block_into(body, &Place::local(t), None);
        self.breakables.pop();
        self.pop_scope(Span::new(body.span.end, body.span.end));
        self.jump(head, span);
        self.cur = exit;
        self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
    }
}

/// Whether a pattern has an or-pattern with alternatives (anywhere in it).
fn has_or(pat: &Pat) -> bool {
    let mut found = false;
    pat.walk(&mut |p| {
        if let ast::PatKind::Or(alts) = &p.kind {
            found |= alts.len() > 1;
        }
    });
    found
}

pub(super) fn contains_let(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Let { .. } => true,
        ExprKind::Binary(BinOp::And, a, b) => contains_let(a) || contains_let(b),
        _ => false,
    }
}
