//! Expressions: to operands (`expr_operand`, `read_operand`) and into places (`expr_into`, a
//! dispatch on the expression's kind to one helper per family: borrows, operators, assignments,
//! aggregates), which borrows are promoted to constants, and `for_each_child`, the walk over an
//! expression's direct sub-expressions.

use super::stmt::extends_temporaries;
use super::{borrow_kind, Lower};
use crate::ast::{
    BinOp, Expr, ExprKind, FieldName, GenericArg, Mutability, Name, Span, Type, UnOp,
};
use crate::mir::*;
use crate::ty::Ty;

impl Lower<'_> {
    /// Lowers an expression to an operand.
    pub(super) fn expr_operand(&mut self, e: &Expr) -> Operand {
        match &e.kind {
            ExprKind::Lit(_) => return Operand::Const,
            ExprKind::Path(segs)
                if segs.len() != 1
                    || (self.lookup(&segs[0]).is_none() && !self.is_static(&segs[0])) =>
            {
                return Operand::Const;
            }
            _ => {}
        }
        if self.is_place_expr(e) {
            let saved = std::mem::replace(&mut self.uncertain_place, false);
            let p = self.expr_place(e, false).unwrap();
            let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
            let op = self.operand_of(p.clone());
            if uncertain {
                return match op {
                    Operand::Move(p) | Operand::Copy(p) | Operand::Use(p) => Operand::Use(p),
                    c => c,
                };
            }
            if !self.check_move_out(&op, e.span) {
                return Operand::Use(p);
            }
            // The place is known: an `Operand::Use` only says that whether its value is
            // copied, moved or reborrowed is not.
            self.place_known = true;
            return op;
        }
        let ty = self.infer(e);
        let t = self.temp(ty, e.span);
        self.expr_into(e, &Place::local(t));
        Operand::Move(Place::local(t))
    }

    /// A read that borrows rather than moves (comparison operands).
    fn read_operand(&mut self, e: &Expr) -> Operand {
        if self.is_place_expr(e) {
            let saved = std::mem::replace(&mut self.uncertain_place, false);
            let p = self.expr_place(e, false).unwrap();
            let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
            let ty = self.place_ty(&p);
            if uncertain || self.is_copy(&ty) != Some(true) {
                return Operand::Use(p);
            }
            return Operand::Copy(p);
        }
        self.expr_operand(e)
    }

    /// Lowers `e`, storing its value into `dest`.
    pub(super) fn expr_into(&mut self, e: &Expr, dest: &Place) {
        let span = e.span;
        match &e.kind {
            ExprKind::Lit(_) => self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false),
            ExprKind::Path(_)
            | ExprKind::Field(..)
            | ExprKind::Index(..)
            | ExprKind::Unary(UnOp::Deref, _) => {
                self.place_known = false;
                let op = self.expr_operand(e);
                let unc = matches!(op, Operand::Use(_));
                let known = std::mem::take(&mut self.place_known);
                // A `&mut` behind a reference cannot be moved: returned, it is reborrowed.
                let reborrowed = known
                    && *dest == Place::local(Body::return_local())
                    && op.place().is_some_and(|p| {
                        matches!(self.place_ty(p), Ty::Ref(Mutability::Mut, _))
                            && self.behind_reference(p)
                    });
                self.assign(dest.clone(), Rvalue::Use(op), span, unc);
                if unc && reborrowed {
                    self.record_implicit_reborrow();
                } else if unc && known {
                    self.record_reborrow();
                }
            }
            ExprKind::Unary(_, inner) => {
                let op = self.expr_operand(inner);
                self.assign(dest.clone(), Rvalue::Opaque(vec![op], vec![]), span, false);
            }
            ExprKind::Ref {
                mutability,
                raw,
                expr,
            } => self.ref_into(*mutability, *raw, expr, dest, span),
            ExprKind::Binary(BinOp::And | BinOp::Or, a, b) => self.lazy_bool_into(a, b, dest, span),
            ExprKind::Binary(op, a, b) => self.binary_into(*op, a, b, dest, span),
            ExprKind::Assign(lhs, rhs) => self.assign_into(lhs, rhs, dest, span),
            ExprKind::CompoundAssign(_, lhs, rhs) => {
                self.compound_assign_into(lhs, rhs, dest, span)
            }
            ExprKind::Call(f, args, generics) => {
                self.lower_call(f, args, generics, dest, span);
                if let ExprKind::Path(segs) = &f.kind {
                    self.annotated_value(segs, &generics.all, dest);
                }
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
                generics,
                ..
            } => self.lower_method_call(receiver, method, args, generics, dest, span),
            ExprKind::Tuple(es) | ExprKind::Array(es) => {
                // Each part is moved into its own temporary first, as MIR does: `(t, t)` moves
                // `t` twice.
                let ops: Vec<Operand> = es.iter().map(|e| self.arg_operand(e)).collect();
                self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
                if matches!(e.kind, ExprKind::Tuple(_)) {
                    self.record_aggregate(AggregateKind::Tuple);
                }
            }
            ExprKind::ArrayRepeat(a, n) => {
                let a = self.expr_operand(a);
                let n = self.expr_operand(n);
                self.assign(dest.clone(), Rvalue::Aggregate(vec![a, n]), span, false);
            }
            ExprKind::Struct {
                path,
                fields,
                base,
                generics,
            } => self.struct_into(path, fields, base.as_deref(), generics, dest, span),
            ExprKind::Block { block, label } => {
                self.block_into(block, dest, label.as_ref());
            }
            ExprKind::OpaqueBlock(_) | ExprKind::Await(_) => {
                self.taint();
                self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
            }
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => self.if_into(cond, then_branch, else_branch.as_deref(), dest, span),
            ExprKind::Let { .. } => {
                // A `let` outside an `if`/`while` condition: not valid Rust.
                self.taint();
            }
            ExprKind::Match { scrutinee, arms } => self.lower_match(scrutinee, arms, dest, span),
            ExprKind::Loop { label, body } => self.loop_into(label, body, dest, span),
            ExprKind::While { label, cond, body } => self.while_into(label, cond, body, dest, span),
            ExprKind::For {
                label,
                pat,
                iter,
                body,
            } => {
                // A `for` drops its head's temporaries when the loop ends (rustc's `DropTemps`),
                // even as a block's tail.
                let mark = self.stmt_temps.len();
                self.lower_for(label, pat, iter, body, dest, span);
                self.end_statement(mark, span);
            }
            ExprKind::Closure {
                is_move,
                args,
                params,
                ret,
                body,
            } => self.lower_closure(*is_move, *args, (params, ret.as_ref()), body, dest, span),
            ExprKind::Break { label, value } => self.break_into(label, value.as_deref(), span),
            ExprKind::Continue { label } => self.continue_into(label, span),
            ExprKind::Return(v) => self.return_into(v.as_deref(), span),
            ExprKind::Try(inner) => self.question_mark_into(inner, dest, span),
            ExprKind::Range { start, end, .. } => {
                // A struct literal (`Range { start, end }`): each bound into its own temporary
                // first, at its own span, as MIR does.
                let mut ops = Vec::new();
                if let Some(s) = start {
                    ops.push(self.arg_operand(s));
                }
                if let Some(e) = end {
                    ops.push(self.arg_operand(e));
                }
                self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
            }
            ExprKind::Cast(inner, ty) => {
                let op = self.expr_operand(inner);
                // `e as &'static T`: a user type annotation, as on a `let`.
                if matches!(ty, Type::Ref { .. }) && self.all_free(ty) {
                    self.must_outlive_body(&op, false);
                }
                self.assign(dest.clone(), Rvalue::Opaque(vec![op], vec![]), span, false);
            }
            ExprKind::Macro(m) => self.lower_macro(m, dest, span),
            ExprKind::Unknown(idents) => self.unknown_into(idents, dest, span),
        }
    }

    /// `&e`, `&mut e`, `&raw e`: a borrow of the place `e` denotes, or of a temporary holding
    /// its value (none for a promoted constant).
    fn ref_into(
        &mut self,
        mutability: Mutability,
        raw: bool,
        expr: &Expr,
        dest: &Place,
        span: Span,
    ) {
        if self.is_promoted(mutability, expr) || matches!(expr.kind, ExprKind::Closure { .. }) {
            self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
            return;
        }
        let saved = std::mem::replace(&mut self.uncertain_place, false);
        let mutable = mutability == Mutability::Mut;
        let place = if self.is_place_expr(expr) {
            self.expr_place(expr, mutable).unwrap()
        } else {
            let ty = self.infer(expr);
            let t = self.temp(ty, expr.span);
            self.expr_into(expr, &Place::local(t));
            self.body.locals[t.0 as usize].is_statement_temp = true;
            self.stmt_temps.push(t);
            Place::local(t)
        };
        let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
        if raw {
            self.assign(dest.clone(), Rvalue::Opaque(vec![], vec![]), span, false);
            return;
        }
        if mutable && !uncertain {
            self.check_mutable(&place, span, true);
        }
        self.assign(
            dest.clone(),
            Rvalue::Ref(borrow_kind(mutability, false), place),
            span,
            uncertain,
        );
    }

    /// `a && b`, `a || b`: `b` is evaluated on one path only.
    fn lazy_bool_into(&mut self, a: &Expr, b: &Expr, dest: &Place, span: Span) {
        // Each operand of a lazy boolean drops its temporaries when evaluated.
        let mark = self.stmt_temps.len();
        let av = self.expr_operand(a);
        self.push(StatementKind::Eval(av), a.span, false);
        self.end_statement(mark, a.span);
        let rhs = self.new_block();
        let join = self.new_block();
        self.terminate(Terminator::Switch(vec![rhs, join]), span);
        self.cur = rhs;
        let bv = self.expr_operand(b);
        self.push(StatementKind::Eval(bv), b.span, false);
        self.end_statement(mark, b.span);
        self.goto(join, span);
        self.assign(dest.clone(), Rvalue::Opaque(vec![], vec![]), span, false);
    }

    /// The other binary operators: comparisons read their operands by reference.
    fn binary_into(&mut self, op: BinOp, a: &Expr, b: &Expr, dest: &Place, span: Span) {
        let cmp = matches!(
            op,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        );
        let mut av = if cmp {
            self.read_operand(a)
        } else {
            self.expr_operand(a)
        };
        // A built-in operator evaluates its left operand into a temporary before the right one
        // (`as_operand`): a place read there is read before what the right side borrows or
        // calls (`*last >= v.len()` with `last` into `v`). Only an overloaded operator (a type
        // known not to be primitive) borrows it until the call; where the type is unknown the
        // earlier read is taken, which reports less.
        if let Operand::Copy(p) | Operand::Use(p) = &av {
            let ty = self.place_ty(p);
            if matches!(ty, Ty::Prim(_) | Ty::Unknown) && !evaluates_plainly(b) {
                let t = self.temp(ty, a.span);
                self.assign(Place::local(t), Rvalue::Use(av), a.span, false);
                av = Operand::Move(Place::local(t));
            }
        }
        let bv = if cmp {
            self.read_operand(b)
        } else {
            self.expr_operand(b)
        };
        // A built-in operator's operand that copies a place of a primitive type is read at its
        // own span, as rustc's MIR building copies an operand into a temporary first
        // (`as_operand`): a use while mutably borrowed is reported at the operand, once for each.
        let own = |op: &Operand| matches!(op, Operand::Copy(p) if matches!(self.place_ty(p), Ty::Prim(_)));
        let spans = match (own(&av), own(&bv)) {
            (false, false) => Vec::new(),
            (a_own, b_own) => vec![
                if a_own { a.span } else { span },
                if b_own { b.span } else { span },
            ],
        };
        self.assign(
            dest.clone(),
            Rvalue::Opaque(vec![av, bv], spans),
            span,
            false,
        );
    }

    /// `lhs = rhs`.
    fn assign_into(&mut self, lhs: &Expr, rhs: &Expr, dest: &Place, span: Span) {
        // `_ = rhs` is `let _ = rhs;` (destructuring assignment): a place is only mentioned,
        // never moved (syn's `bracketed!` writes `_ = $content;` and uses `content` after).
        if let ExprKind::Path(s) = &lhs.kind {
            if s.len() == 1 && &*s[0] == "_" {
                if self.is_place_expr(rhs) {
                    let saved = std::mem::replace(&mut self.uncertain_place, false);
                    let p = self.expr_place(rhs, false);
                    let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
                    if let Some(p) = p {
                        self.push(StatementKind::PlaceMention(p), rhs.span, uncertain);
                    }
                } else {
                    let v = self.arg_operand(rhs);
                    self.push(StatementKind::Eval(v), span, false);
                }
                self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
                return;
            }
        }
        // The right side is read into a temporary before the left place is evaluated.
        let v = self.arg_operand(rhs);
        if matches!(lhs.kind, ExprKind::Tuple(_)) {
            // Destructuring assignment.
            self.taint();
        }
        let saved = std::mem::replace(&mut self.uncertain_place, false);
        self.assign_ctx = true;
        let p = self.expr_place(lhs, true);
        self.assign_ctx = false;
        let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
        if let Some(p) = p {
            // Upvars and statics are not the dataflow's (E0384): their mutability is
            // checked here.
            let is_upvar = matches!(
                self.body.locals[p.local.0 as usize].kind,
                LocalKind::Upvar | LocalKind::Static
            );
            if !p.proj.is_empty() || is_upvar {
                if !uncertain {
                    self.check_mutable(&p, span, false);
                }
            } else {
                self.never_assigned.retain(|l| *l != p.local);
                self.type_from_assignment(p.local, &v);
            }
            self.assign(p, Rvalue::Use(v), span, uncertain);
        }
        self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
    }

    /// A binding declared without a type and a value (`let (a, b);`) has the type of the first
    /// value assigned to it whole, as rustc infers it: what its drop needs and whether a borrow
    /// of it may be a deref coercion are then known, as for `let a = value;`. Only values
    /// (structs, enums, tuples, arrays, primitives): a reference or a closure assigned so stays
    /// unknown, as before (what is known of them depends on more than the type).
    fn type_from_assignment(&mut self, l: Local, v: &Operand) {
        let decl = &self.body.locals[l.0 as usize];
        if decl.kind != LocalKind::User || !decl.ty.is_unknown() {
            return;
        }
        let Some(src) = v.place() else { return };
        let ty = self.place_ty(src);
        let value = match &ty {
            Ty::Adt { name, .. } => &**name != "{closure}",
            Ty::Prim(_) | Ty::Tuple(_) | Ty::Array(..) => true,
            _ => false,
        };
        if value {
            self.body.locals[l.0 as usize].ty = ty;
        }
    }

    /// `lhs op= rhs`: built in on primitives, an overloaded `OpAssign` call otherwise.
    fn compound_assign_into(&mut self, lhs: &Expr, rhs: &Expr, dest: &Place, span: Span) {
        let lt = self.infer(lhs);
        let v = self.arg_operand(rhs);
        let saved = std::mem::replace(&mut self.uncertain_place, false);
        self.assign_ctx = true;
        let p = self.expr_place(lhs, true);
        self.assign_ctx = false;
        let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
        if let Some(p) = p {
            if matches!(lt, Ty::Prim(_)) {
                if !uncertain {
                    self.check_mutable_compound(&p, span);
                }
                self.push(
                    StatementKind::Eval(Operand::Copy(p.clone())),
                    span,
                    uncertain,
                );
                self.assign(p, Rvalue::Opaque(vec![v], vec![]), span, uncertain);
            } else {
                // Overloaded `AddAssign`: a (two-phase) mutable borrow we cannot type.
                self.push(StatementKind::Eval(Operand::Use(p.clone())), span, true);
                self.push(StatementKind::Eval(v), span, true);
            }
        }
        self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
    }

    /// `Path { fields, ..base }`. In an extending context (`self.extending`) the temporaries its
    /// fields borrow live as long as the `let`'s bindings.
    fn struct_into(
        &mut self,
        path: &[Name],
        fields: &[(FieldName, Expr)],
        base: Option<&Expr>,
        generics: &[GenericArg],
        dest: &Place,
        span: Span,
    ) {
        let extending = std::mem::take(&mut self.extending);
        self.annotated_value(path, generics, dest);
        let statics: Vec<FieldName> = self
            .path_adt(path)
            .adt_name()
            .and_then(|n| self.index.adt(n))
            .filter(|a| !a.opaque)
            .map(|a| a.static_fields.clone())
            .unwrap_or_default();
        let mut ops: Vec<Operand> = Vec::new();
        for (f, e) in fields {
            let op = if extending && extends_temporaries(e) {
                self.extended_operand(e)
            } else {
                self.arg_operand(e)
            };
            if statics.contains(f) {
                if let Some(p) = op.place() {
                    if p.proj.is_empty() {
                        self.body.static_locals.push(p.local);
                    }
                }
            }
            ops.push(op);
        }
        // `..base` moves (or copies) each field not given, when we know the fields.
        let ty = self.path_adt(path);
        let known = ty
            .adt_name()
            .and_then(|n| self.index.adt(n))
            .filter(|a| !a.fields.is_empty() && !a.is_enum)
            .cloned();
        if let (Some(b), Some(adt)) = (base, known) {
            if self.is_place_expr(b) {
                let saved = std::mem::replace(&mut self.uncertain_place, false);
                let bp = self.expr_place(b, false).unwrap();
                let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
                for (f, _) in &adt.fields {
                    if fields.iter().any(|(g, _)| g == f) {
                        continue;
                    }
                    let op = self.operand_of(bp.project(Proj::Field(f.clone())));
                    let op = if uncertain {
                        match op {
                            Operand::Move(p) | Operand::Copy(p) | Operand::Use(p) => {
                                Operand::Use(p)
                            }
                            c => c,
                        }
                    } else {
                        op
                    };
                    let t = self.temp(Ty::Unknown, b.span);
                    let unc = matches!(op, Operand::Use(_));
                    self.assign(Place::local(t), Rvalue::Use(op), b.span, unc);
                    ops.push(Operand::Move(Place::local(t)));
                }
                self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
                return;
            }
        }
        if let Some(b) = base {
            let op = self.expr_operand(b);
            ops.push(match op {
                Operand::Move(p) | Operand::Use(p) | Operand::Copy(p) => Operand::Use(p),
                c => c,
            });
        }
        self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
        if base.is_none() && generics.is_empty() {
            let names = fields.iter().map(|(f, _)| f.clone()).collect();
            if let Some(kind) = self.struct_aggregate(path, names) {
                self.record_aggregate(kind);
            }
        }
    }

    /// What the syntax could not read: uncertain uses of the identifiers inside it.
    fn unknown_into(&mut self, idents: &[(Name, Span)], dest: &Place, span: Span) {
        self.taint();
        for (n, sp) in idents {
            if let Some(l) = self.lookup(n) {
                self.push(
                    StatementKind::Eval(Operand::Use(Place::local(l))),
                    *sp,
                    true,
                );
            }
        }
        self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, true);
    }

    /// Whether `&e` / `&mut e` borrows a promoted `'static` constant rather than a temporary:
    /// shared borrows of constants, and `&mut []`.
    pub(super) fn is_promoted(&self, mutability: Mutability, e: &Expr) -> bool {
        match mutability {
            Mutability::Not => self.is_constant(e),
            Mutability::Mut => matches!(&e.kind, ExprKind::Array(es) if es.is_empty()),
        }
    }

    /// `is_constant_expr`, where a lowercase path that names no local is a function item.
    pub(super) fn is_constant(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Path(s) if s.len() == 1 => {
                self.lookup(&s[0]).is_none() && !self.is_static(&s[0])
            }
            ExprKind::Struct {
                fields, base: None, ..
            } => fields.iter().all(|(_, e)| self.is_constant(e)),
            ExprKind::Tuple(es) | ExprKind::Array(es) => es.iter().all(|e| self.is_constant(e)),
            ExprKind::Ref {
                mutability: Mutability::Not,
                raw: false,
                expr,
            } => self.is_constant(expr),
            ExprKind::Call(f, args, ..) => {
                is_constant_expr(&Expr {
                    span: e.span,
                    kind: ExprKind::Call(f.clone(), Vec::new(), Box::default()),
                }) && args.iter().all(|a| self.is_constant(a))
            }
            _ => is_constant_expr(e),
        }
    }
}

/// Expressions whose borrow is promoted to a `'static` constant (function items and constants
/// count as constants only when no local has their name: see `Lower::is_constant`).
fn is_constant_expr(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Lit(_) => true,
        ExprKind::Path(s) => {
            s.len() > 1
                || s.last()
                    .is_some_and(|n| n.starts_with(|c: char| c.is_uppercase()))
        }
        // Tuple-struct and variant constructors of constants are constants (`&Some(1)`).
        ExprKind::Call(f, args, ..) => {
            matches!(&f.kind, ExprKind::Path(p) if p.last().is_some_and(|n| n.starts_with(|c: char| c.is_uppercase())))
                && args.iter().all(is_constant_expr)
        }
        ExprKind::Struct {
            fields, base: None, ..
        } => fields.iter().all(|(_, e)| is_constant_expr(e)),
        ExprKind::Unary(UnOp::Neg | UnOp::Not, x) => is_constant_expr(x),
        ExprKind::Binary(_, a, b) => is_constant_expr(a) && is_constant_expr(b),
        ExprKind::Tuple(es) | ExprKind::Array(es) => es.iter().all(is_constant_expr),
        ExprKind::Ref {
            mutability: Mutability::Not,
            raw: false,
            expr,
        } => is_constant_expr(expr),
        _ => false,
    }
}

/// Whether evaluating `e` only reads places and constants: no call, borrow or block runs
/// between an operator's operands.
fn evaluates_plainly(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Lit(_) | ExprKind::Path(_) => true,
        ExprKind::Field(inner, _) | ExprKind::Unary(_, inner) => evaluates_plainly(inner),
        _ => false,
    }
}
