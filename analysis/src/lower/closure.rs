//! Closures: the outer variables a body uses and how (`capture_uses`), folded into captures of
//! places (edition 2021: disjoint fields) by borrow or move, and the closure's body lowered as a
//! body of its own, its captures as upvars.

use super::closure_regions::closure_regions;
use super::pattern::is_constant_name;
use super::static_errors::fold_not_mut_errors;
use super::{borrow_kind, BindMode, FnKind, Lower, Scope};
use crate::ast::for_each_child;
use crate::ast::{
    self, BinOp, Block, Expr, ExprKind, FieldName, MacroArgs, Mutability, Name, Pat, PatKind, Span,
    Stmt, UnOp,
};
use crate::index::Receiver;
use crate::mir::*;
use crate::ty::Ty;
use crate::Edition;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum CaptureUse {
    Shared,
    Unknown,
    /// Mutated through a reference the variable holds (`*x = ..`, `x.f = ..` with `x: &mut S`):
    /// before edition 2021 a unique borrow of the variable (rustc's `UniqueImmBorrow`), in 2021
    /// a mutable borrow of the place behind the reference.
    Unique,
    Mut,
    /// Assigned to: a mutable capture whose mutability error is E0594.
    Assign,
    Move,
    /// Moved even if a `&mut` (`let y = x;` without a type: no coercion, so no reborrow).
    MoveSure,
}

/// The outer variables a closure body uses, each with the field path it uses (edition 2021), the
/// span of the use and how it uses it.
type Uses = Vec<(Name, Vec<FieldName>, Span, CaptureUse)>;

impl Lower<'_> {
    pub(super) fn lower_closure(
        &mut self,
        is_move: bool,
        args: Span,
        (params, ret): (&[ast::ClosureParam], Option<&ast::Type>),
        body: &Expr,
        dest: &Place,
        span: Span,
    ) {
        // Names bound by the closure itself shadow the captured ones.
        let mut bound: Vec<Name> = Vec::new();
        for p in params {
            pat_names(&p.pat, &mut bound);
        }
        let mut uses: Vec<(Name, Vec<FieldName>, Span, CaptureUse)> = Vec::new();
        // The body's value is returned: moved out of what it names.
        self.capture_uses(body, &mut bound, &mut uses, CaptureUse::Move);
        if dest.proj.is_empty() && self.body.locals[dest.local.0 as usize].kind == LocalKind::User {
            if let Some(k) = self.closure_kind(&uses) {
                self.closure_kinds.push((dest.local, k));
            }
        }
        // Edition 2021 captures the precise field paths of owned structs and tuples; earlier
        // editions capture whole variables. One capture per path; a path that extends another
        // is folded into it, and the strongest use wins.
        let disjoint = self.edition >= Edition::E2021;
        // Each capture: the variable, whether the path goes through the reference the variable
        // holds, the field path, where, and how.
        let mut caps: Vec<(Local, bool, Vec<FieldName>, Span, CaptureUse)> = Vec::new();
        for (n, path, sp, u) in uses {
            let Some(l) = self.lookup(&n) else { continue };
            let struct_like = |t: &Ty| {
                matches!(t, Ty::Adt { .. } | Ty::Tuple(_))
                    && !matches!(t.adt_name(), Some("Box" | "Rc" | "Arc"))
            };
            let ty = self.local_ty(l);
            let owned = struct_like(&ty);
            // A borrow through a reference captures the place behind it (`(*self).field`), as
            // rustc's precise captures do; moves and `move` closures take the reference itself.
            let through_ref = !is_move
                && matches!(u, CaptureUse::Shared | CaptureUse::Mut | CaptureUse::Assign)
                && matches!(&ty, Ty::Ref(_, inner) if struct_like(inner));
            // A mutation through the variable's reference captures the place behind it (2021).
            let unique_deref = disjoint && !is_move && u == CaptureUse::Unique;
            let deref = unique_deref || (disjoint && through_ref && !path.is_empty());
            let path = if disjoint && (owned || through_ref || unique_deref) {
                path
            } else {
                Vec::new()
            };
            let prefix =
                |a: &[FieldName], b: &[FieldName]| a.len() <= b.len() && b[..a.len()] == *a;
            let mut merged = false;
            for c in caps.iter_mut().filter(|c| c.0 == l) {
                let (cd, cp) = (c.1, &c.2);
                let same_base = cd == deref || cp.is_empty() || path.is_empty();
                if same_base && (prefix(cp, &path) || prefix(&path, cp)) {
                    if path.len() < c.2.len() {
                        c.2 = path.clone();
                        c.1 = deref;
                    }
                    if u > c.4 {
                        c.4 = u;
                        c.3 = sp;
                    }
                    merged = true;
                    break;
                }
            }
            if !merged {
                caps.push((l, deref, path, sp, u));
            }
        }
        // A variable captured both whole and through its reference is captured whole, as
        // strongly as the strongest of them.
        for i in 0..caps.len() {
            if !caps[i].2.is_empty() {
                continue;
            }
            for j in 0..caps.len() {
                if caps[j].0 == caps[i].0 && !caps[j].2.is_empty() && caps[j].4 > caps[i].4 {
                    (caps[i].4, caps[i].3) = (caps[j].4, caps[j].3);
                }
            }
        }
        let whole: Vec<Local> = caps
            .iter()
            .filter(|c| c.2.is_empty())
            .map(|c| c.0)
            .collect();
        caps.retain(|c| c.2.is_empty() || !whole.contains(&c.0));
        let mut captured: Vec<Local> = Vec::new();
        for c in &caps {
            if !captured.contains(&c.0) {
                captured.push(c.0);
            }
        }
        let mut ops = Vec::new();
        // The captured values' types (a reference for a borrow): a closure is `Copy` when they
        // all are.
        let mut capture_tys = Vec::new();
        for (l, deref, path, sp, u) in caps {
            let guard_binding = self.guard_alias.iter().any(|(g, _)| *g == l);
            let var_ty = self.local_ty(l);
            let var_mutable = self.body.locals[l.0 as usize].mutable;
            let mut place = self.guard_place(l, false);
            if deref {
                place = place.deref();
            }
            for f in path {
                place = place.project(Proj::Field(f));
            }
            let ty = self.place_ty(&place);
            let u = if is_move && u != CaptureUse::MoveSure {
                CaptureUse::Move
            } else {
                u
            };
            match u {
                CaptureUse::Move | CaptureUse::MoveSure => {
                    let mut op = self.operand_of(place.clone());
                    // A `&mut` captured by value (not reborrowed) is moved.
                    if u == CaptureUse::MoveSure && matches!(ty, Ty::Ref(Mutability::Mut, _)) {
                        op = Operand::Move(place.clone());
                    }
                    // A guard's binding is a reference to the matched place: moving it out is
                    // E0507, as rustc reports at the closure.
                    if guard_binding
                        && matches!(op, Operand::Move(_))
                        && !self.check_move_out(&op, span)
                    {
                        op = Operand::Use(place);
                    }
                    let unc = matches!(op, Operand::Use(_));
                    capture_tys.push(if unc { Ty::Unknown } else { ty.clone() });
                    let t = self.temp(ty, sp);
                    self.assign(Place::local(t), Rvalue::Use(op), span, unc);
                    self.body.closure_captures.push(ClosureCapture {
                        temp: t,
                        args,
                        var: sp,
                    });
                    ops.push(Operand::Move(Place::local(t)));
                }
                CaptureUse::Shared
                | CaptureUse::Mut
                | CaptureUse::Assign
                | CaptureUse::Unknown
                | CaptureUse::Unique => {
                    let m =
                        if matches!(u, CaptureUse::Mut | CaptureUse::Assign | CaptureUse::Unique) {
                            Mutability::Mut
                        } else {
                            Mutability::Not
                        };
                    // A unique borrow of what an `Fn` closure captured: rustc's E0596 for a
                    // captured variable in an `Fn` closure.
                    if u == CaptureUse::Unique
                        && !disjoint
                        && self.is_fn_closure
                        && self.body.locals[l.0 as usize].kind == LocalKind::Upvar
                    {
                        self.check_mutable(&Place::local(l), args, true);
                    }
                    // A closure in an `Fn` closure cannot mutably borrow what that one captured.
                    if m == Mutability::Mut
                        && self.is_fn_closure
                        && self.body.locals[l.0 as usize].kind == LocalKind::Upvar
                        && !matches!(ty, Ty::Ref(..))
                    {
                        self.check_mutable(&place, span, true);
                    }
                    // Capturing a reference variable mutably reborrows through it.
                    let (place, certain) = match (&ty, u) {
                        // Before 2021 the variable itself, uniquely; in 2021 the place behind
                        // its reference.
                        (_, CaptureUse::Unique) if disjoint => {
                            (place, matches!(var_ty, Ty::Ref(Mutability::Mut, _)))
                        }
                        (_, CaptureUse::Unique) => (place, matches!(var_ty, Ty::Ref(..))),
                        (Ty::Ref(Mutability::Mut, _), CaptureUse::Mut | CaptureUse::Assign) => {
                            (place.deref(), false)
                        }
                        (Ty::Ref(..), _) => (place, u == CaptureUse::Shared),
                        (Ty::Unknown | Ty::Param { .. } | Ty::Opaque | Ty::Dyn(_), _) => {
                            (place, false)
                        }
                        _ => (place, u != CaptureUse::Unknown),
                    };

                    capture_tys.push(if certain {
                        Ty::Ref(m, Box::new(ty.clone()))
                    } else {
                        Ty::Unknown
                    });
                    // rustc's `limit_capture_mutability`: a mutable capture of a binding not
                    // declared `mut` is a unique borrow, and so is a mutation through the
                    // variable's `&mut` before 2021 (`UniqueImmBorrow`).
                    let unique = m == Mutability::Mut
                        && (!var_mutable
                            || (u == CaptureUse::Unique
                                && !disjoint
                                && matches!(var_ty, Ty::Ref(Mutability::Mut, _))));
                    let kind = if unique {
                        BorrowKind::Unique
                    } else {
                        borrow_kind(m, false)
                    };
                    let t = self.temp(Ty::Ref(m, Box::new(ty)), sp);
                    self.body.capture_temps.push(t);
                    self.body.closure_captures.push(ClosureCapture {
                        temp: t,
                        args,
                        var: sp,
                    });
                    self.assign(Place::local(t), Rvalue::Ref(kind, place), span, !certain);
                    ops.push(Operand::Move(Place::local(t)));
                }
            }
        }
        self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
        // The closure's regions are its captures': a `'static` bound on it (`thread::spawn`)
        // bounds what they borrow, a parameter's data included (E0521).
        self.record_aggregate(AggregateKind::Tuple);
        if dest.proj.is_empty() {
            self.body.locals[dest.local.0 as usize].ty = Ty::Adt {
                name: "{closure}".into(),
                args: capture_tys,
                lifetimes: 1,
            };
        }
        self.lower_closure_body((params, ret), body, span, &captured);
    }

    /// The closure's kind, as rustc infers it from its body (`closure_kind` of `upvar.rs`): a
    /// captured variable moved out makes it `FnOnce`, one mutated `FnMut`, else `Fn`. `None`
    /// when some use is unknown.
    fn closure_kind(&self, uses: &Uses) -> Option<FnKind> {
        let mut kind = FnKind::Fn;
        for (n, _, _, u) in uses {
            let Some(l) = self.lookup(n) else { continue };
            let k = match u {
                // A `&mut` passed on may be reborrowed (a unique capture), not moved.
                CaptureUse::Move if matches!(self.local_ty(l), Ty::Ref(Mutability::Mut, _)) => {
                    return None
                }
                CaptureUse::Shared => FnKind::Fn,
                CaptureUse::Unknown => return None,
                CaptureUse::Unique | CaptureUse::Mut | CaptureUse::Assign => FnKind::FnMut,
                CaptureUse::Move | CaptureUse::MoveSure => FnKind::FnOnce,
            };
            kind = kind.max(k);
        }
        Some(kind)
    }

    /// Lowers a closure's body as a body of its own: each captured variable is an upvar local
    /// with the outer binding's type and mutability, each parameter an argument.
    fn lower_closure_body(
        &mut self,
        (params, ret): (&[ast::ClosureParam], Option<&ast::Type>),
        body: &Expr,
        span: Span,
        captured: &[Local],
    ) {
        let mut inner = Lower::new(
            self.index,
            self.edition,
            self.generics.clone(),
            self.self_ty.clone(),
        );
        inner.is_fn_closure = self.fn_closures.contains(&span);
        inner.free_lifetimes = self.free_lifetimes.clone();
        inner.path_args = self.path_args.clone();
        inner.new_local(None, Ty::Unknown, true, LocalKind::Return, span);
        inner.cur = inner.new_block();
        inner.scopes.push(Scope::default());
        for &l in captured {
            let d = self.body.locals[l.0 as usize].clone();
            let Some(name) = d.name.clone() else { continue };
            let nl = inner.new_local(
                Some(name.clone()),
                d.ty,
                d.mutable,
                LocalKind::Upvar,
                d.span,
            );
            inner.bind_name(name, nl);
            // A captured annotated path (`let f = S::<&'a u32>;`) is called as that path.
            if let Some((_, segs, args)) = self.fn_items.iter().find(|(x, ..)| *x == l) {
                inner.fn_items.push((nl, segs.clone(), args.clone()));
            }
        }
        let mut pats = Vec::new();
        let mut arg_locals = Vec::new();
        for p in params {
            let ty = p.ty.as_ref().map_or(Ty::Unknown, |t| {
                Ty::from_ast(t, &inner.generics, inner.self_ty.as_ref())
            });
            match &p.pat.kind {
                PatKind::Binding {
                    by_ref: None,
                    mutability,
                    name,
                    sub: None,
                } if !is_constant_name(name) => {
                    let l = inner.new_local(
                        Some(name.clone()),
                        ty,
                        *mutability == Mutability::Mut,
                        LocalKind::Arg,
                        p.pat.span,
                    );
                    inner.bind_name(name.clone(), l);
                    arg_locals.push(l);
                }
                _ => {
                    // Mutable, as a function's (`|ref mut x|` borrows the argument so).
                    let l = inner.new_local(None, ty.clone(), true, LocalKind::Arg, p.pat.span);
                    pats.push((p.pat.clone(), l, ty));
                    arg_locals.push(l);
                }
            }
        }
        inner.body.n_args = inner.body.locals.len() as u32 - 1;
        if let Some(expect) = self.closure_expect(span) {
            inner.body.regions =
                closure_regions(self.index, &expect, params, &arg_locals, ret).map(Box::new);
        }
        for (pat, l, ty) in pats {
            inner.bind_pattern(&pat, &Place::local(l), &ty, BindMode::Move, pat.span);
        }
        let ret = Place::local(Body::return_local());
        inner.expr_into(body, &ret);
        inner.exit_scopes_to(0, body.span);
        inner.scopes.pop();
        inner.terminate(Terminator::Return, Span::new(body.span.end, body.span.end));
        let errors = fold_not_mut_errors(&inner.body, inner.errors, &inner.not_mut);
        if !inner.body.tainted {
            self.errors.extend(errors);
        }
        self.closures.append(&mut inner.closures);
        self.closures.push(inner.body);
    }

    /// Walks a closure body for the outer variables it uses and how.
    fn capture_uses(&self, e: &Expr, bound: &mut Vec<Name>, out: &mut Uses, ctx: CaptureUse) {
        match &e.kind {
            ExprKind::Path(s) if s.len() == 1 => self.capture_path(&s[0], e.span, bound, out, ctx),
            ExprKind::Assign(l, r) | ExprKind::CompoundAssign(_, l, r) => {
                self.capture_assign(l, r, bound, out)
            }
            ExprKind::Ref {
                mutability, expr, ..
            } => self.capture_ref(*mutability, expr, bound, out),
            ExprKind::MethodCall {
                receiver,
                method,
                args,
                ..
            } => self.capture_method_call(receiver, method, args, bound, out),
            ExprKind::Unary(UnOp::Deref, inner) => {
                let c = if ctx == CaptureUse::Shared {
                    CaptureUse::Shared
                } else {
                    CaptureUse::Unknown
                };
                self.capture_uses(inner, bound, out, c);
            }
            ExprKind::Field(..) | ExprKind::Index(..) => self.capture_field(e, bound, out, ctx),
            ExprKind::Call(callee, args, ..) => self.capture_call(callee, args, bound, out),
            ExprKind::Binary(op, a, b) => {
                let c = if matches!(
                    op,
                    BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
                ) {
                    CaptureUse::Shared
                } else {
                    CaptureUse::Move
                };
                self.capture_uses(a, bound, out, c);
                self.capture_uses(b, bound, out, c);
            }
            ExprKind::Macro(m) => self.capture_macro(m, bound, out),
            ExprKind::Closure { params, body, .. } => {
                let len = bound.len();
                for p in params {
                    pat_names(&p.pat, bound);
                }
                self.capture_uses(body, bound, out, CaptureUse::Unknown);
                bound.truncate(len);
            }
            ExprKind::Block { block, .. } | ExprKind::OpaqueBlock(block) => {
                self.capture_block(block, bound, out)
            }
            ExprKind::Match { scrutinee, arms } => {
                self.capture_uses(scrutinee, bound, out, CaptureUse::Unknown);
                for a in arms {
                    let len = bound.len();
                    pat_names(&a.pat, bound);
                    if let Some(g) = &a.guard {
                        self.capture_uses(g, bound, out, CaptureUse::Shared);
                    }
                    self.capture_uses(&a.body, bound, out, CaptureUse::Move);
                    bound.truncate(len);
                }
            }
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                let len = bound.len();
                self.capture_uses(cond, bound, out, CaptureUse::Shared);
                self.capture_block(then_branch, bound, out);
                bound.truncate(len);
                if let Some(e) = else_branch {
                    self.capture_uses(e, bound, out, CaptureUse::Move);
                }
            }
            ExprKind::Let { pat, expr } => {
                self.capture_uses(expr, bound, out, CaptureUse::Unknown);
                pat_names(pat, bound);
            }
            ExprKind::For {
                pat, iter, body, ..
            } => {
                self.capture_uses(iter, bound, out, CaptureUse::Move);
                let len = bound.len();
                pat_names(pat, bound);
                self.capture_block(body, bound, out);
                bound.truncate(len);
            }
            ExprKind::While { cond, body, .. } => {
                let len = bound.len();
                self.capture_uses(cond, bound, out, CaptureUse::Shared);
                self.capture_block(body, bound, out);
                bound.truncate(len);
            }
            ExprKind::Loop { body, .. } => self.capture_block(body, bound, out),
            ExprKind::Unknown(ids) => {
                for (n, sp) in ids {
                    if !bound.contains(n) {
                        out.push((n.clone(), Vec::new(), *sp, CaptureUse::Unknown));
                    }
                }
            }
            _ => {
                for_each_child(e, &mut |c| {
                    self.capture_uses(c, bound, out, CaptureUse::Move)
                });
            }
        }
    }

    /// A variable named on its own: moved, copied (a shared capture) or used as `ctx` says.
    fn capture_path(
        &self,
        name: &Name,
        span: Span,
        bound: &[Name],
        out: &mut Uses,
        ctx: CaptureUse,
    ) {
        if !bound.contains(name) {
            let u = if matches!(ctx, CaptureUse::Move | CaptureUse::MoveSure) {
                match self.lookup(name).map(|l| self.is_copy(&self.local_ty(l))) {
                    Some(Some(true)) => CaptureUse::Shared,
                    Some(Some(false)) => ctx,
                    _ => CaptureUse::Unknown,
                }
            } else {
                ctx
            };
            out.push((name.clone(), Vec::new(), span, u));
        }
    }

    /// `l = r`, `l op= r`: the assigned place is captured for assignment (E0594 in an `Fn`).
    fn capture_assign(&self, l: &Expr, r: &Expr, bound: &mut Vec<Name>, out: &mut Uses) {
        self.capture_uses(r, bound, out, CaptureUse::Move);
        if let Some((n, path, u)) = self.mutated_through_deref(l, false, CaptureUse::Assign) {
            if !bound.contains(&n) {
                out.push((n, path, l.span, u));
            }
        } else if through_deref(l) {
            self.capture_uses(l, bound, out, CaptureUse::Unknown);
        } else if let Some((n, path)) = captured_var(l) {
            if !bound.contains(&n) {
                out.push((n, path, l.span, CaptureUse::Assign));
            }
        }
        self.capture_subexprs(l, bound, out);
    }

    /// `&e`, `&mut e`: a shared or mutable capture of the place borrowed.
    fn capture_ref(
        &self,
        mutability: Mutability,
        expr: &Expr,
        bound: &mut Vec<Name>,
        out: &mut Uses,
    ) {
        let through = match mutability {
            Mutability::Mut => self.mutated_through_deref(expr, false, CaptureUse::Mut),
            Mutability::Not => None,
        };
        if let Some((n, path, u)) = through {
            if !bound.contains(&n) {
                out.push((n, path, expr.span, u));
            }
            self.capture_subexprs(expr, bound, out);
        } else if mutability == Mutability::Mut && through_deref(expr) {
            self.capture_uses(expr, bound, out, CaptureUse::Unknown);
        } else if mutability == Mutability::Mut {
            if let Some((n, path)) = captured_var(expr) {
                if !bound.contains(&n) {
                    out.push((n, path, expr.span, CaptureUse::Mut));
                }
            }
            self.capture_subexprs(expr, bound, out);
        } else {
            self.capture_uses(expr, bound, out, CaptureUse::Shared);
        }
    }

    /// A method call captures its receiver as the method takes it.
    fn capture_method_call(
        &self,
        receiver: &Expr,
        method: &Name,
        args: &[Expr],
        bound: &mut Vec<Name>,
        out: &mut Uses,
    ) {
        let recv_ty = self.infer(receiver);
        let u = match self.resolve_method(&recv_ty, method) {
            Some(r) => match r.receiver {
                Receiver::Ref => CaptureUse::Shared,
                Receiver::RefMut => CaptureUse::Mut,
                _ => CaptureUse::Move,
            },
            None => CaptureUse::Unknown,
        };
        // A `&mut self` method of what a `&mut` receiver points to reborrows through it.
        if u == CaptureUse::Mut {
            let autoderef = matches!(&recv_ty, Ty::Ref(Mutability::Mut, inner) if matches!(**inner, Ty::Adt { .. }));
            if let Some((n, path, u)) = self.mutated_through_deref(receiver, autoderef, u) {
                if !bound.contains(&n) {
                    out.push((n, path, receiver.span, u));
                }
                self.capture_subexprs(receiver, bound, out);
                for a in args {
                    self.capture_uses(a, bound, out, CaptureUse::Move);
                }
                return;
            }
        }
        match captured_var(receiver) {
            Some((n, path)) if !bound.contains(&n) && !through_deref(receiver) => {
                // Taken by value: the receiver's own type says copy (a read: shared) or move,
                // and only a variable or its owned fields can be moved (an element is not).
                let u = if u == CaptureUse::Move {
                    match self.is_copy(&self.infer(receiver)) {
                        Some(true) => CaptureUse::Shared,
                        Some(false)
                            if matches!(&receiver.kind, ExprKind::Path(s) if s.len() == 1)
                                || self.owned_fields(&n, &path, receiver) =>
                        {
                            CaptureUse::Move
                        }
                        _ => CaptureUse::Unknown,
                    }
                } else {
                    u
                };
                out.push((n, path, receiver.span, u));
                self.capture_subexprs(receiver, bound, out);
            }
            _ => self.capture_uses(receiver, bound, out, CaptureUse::Move),
        }
        for a in args {
            self.capture_uses(a, bound, out, CaptureUse::Move);
        }
    }

    /// A place mutated (`how`: assigned or borrowed mutably) through a deref: `*x = ..`,
    /// `&mut *x.f`, `x.f = ..` with `x: &mut S`, or a `&mut self` method's receiver `x` that
    /// autoderef reborrows (`autoderef`). The variable, the fields it captures and how: through a
    /// `&mut` a unique capture (edition 2021: of the place behind the variable's reference
    /// only), through boxes alone a mutable one (before 2021), else unknown. `None` when no
    /// deref is on the way, or the place is not made of fields and derefs.
    fn mutated_through_deref(
        &self,
        e: &Expr,
        autoderef: bool,
        how: CaptureUse,
    ) -> Option<(Name, Vec<FieldName>, CaptureUse)> {
        // The steps out from the variable: `None` a deref, `Some(f)` a field.
        let mut steps: Vec<Option<FieldName>> = Vec::new();
        let mut cur = e;
        let name = loop {
            match &cur.kind {
                ExprKind::Path(s) if s.len() == 1 => break s[0].clone(),
                ExprKind::Field(b, f) => {
                    steps.push(Some(f.clone()));
                    cur = b;
                }
                ExprKind::Unary(UnOp::Deref, b) => {
                    steps.push(None);
                    cur = b;
                }
                _ => return None,
            }
        };
        steps.reverse();
        if autoderef {
            steps.push(None);
        }
        let l = self.lookup(&name)?;
        let mut place = Place::local(l);
        let mut ty = self.local_ty(l);
        // The types dereferenced on the way, and the fields after the first deref.
        let mut derefs: Vec<Ty> = Vec::new();
        let mut fields: Vec<FieldName> = Vec::new();
        let mut fields_before = 0;
        let is_pointer = |t: &Ty| matches!(t, Ty::Ref(..)) || t.adt_name() == Some("Box");
        for s in steps {
            match s {
                None => {
                    derefs.push(ty.clone());
                    place = place.deref();
                }
                Some(f) => {
                    // A field of a reference or a box is the field of what it points to.
                    while is_pointer(&ty) && derefs.len() < 8 {
                        derefs.push(ty.clone());
                        place = place.deref();
                        ty = self.place_ty(&place);
                    }
                    if derefs.is_empty() {
                        fields_before += 1;
                    } else {
                        fields.push(f.clone());
                    }
                    place = place.project(Proj::Field(f));
                }
            }
            ty = self.place_ty(&place);
        }
        if derefs.is_empty() {
            return None;
        }
        let unknown = Some((name.clone(), Vec::new(), CaptureUse::Unknown));
        if !derefs.iter().all(is_pointer) {
            return unknown;
        }
        let mut_ref = |t: &Ty| matches!(t, Ty::Ref(Mutability::Mut, _));
        if self.edition >= Edition::E2021 {
            // Precise captures: only the place right behind the variable's own `&mut`.
            let single = derefs.len() == 1 && mut_ref(&derefs[0]) && fields_before == 0;
            return if single {
                Some((name, fields, CaptureUse::Unique))
            } else if derefs.iter().any(|t| matches!(t, Ty::Ref(..))) {
                unknown
            } else {
                None
            };
        }
        // Before 2021 the whole variable: uniquely through a `&mut` (`UniqueImmBorrow`), and
        // through a `&` when the binding is not `mut` (`limit_capture_mutability`).
        let shared_ref = derefs.iter().any(|t| matches!(t, Ty::Ref(..)));
        if derefs.iter().any(mut_ref) || (shared_ref && !self.body.locals[l.0 as usize].mutable) {
            Some((name, Vec::new(), CaptureUse::Unique))
        } else if shared_ref {
            unknown
        } else {
            Some((name, Vec::new(), how))
        }
    }

    /// A field or an element read: a capture of the field path (edition 2021), and the uses in
    /// index operands.
    fn capture_field(&self, e: &Expr, bound: &mut Vec<Name>, out: &mut Uses, ctx: CaptureUse) {
        if let Some((n, path)) = captured_var(e) {
            if !bound.contains(&n) {
                // Reading a field copies or moves only that field: shared when it is `Copy`.
                let u = match ctx {
                    CaptureUse::Move if self.is_copy(&self.infer(e)) == Some(true) => {
                        CaptureUse::Shared
                    }
                    // A field of an owned value, not `Copy`, moved out of it.
                    CaptureUse::Move
                        if self.is_copy(&self.infer(e)) == Some(false)
                            && self.owned_fields(&n, &path, e) =>
                    {
                        CaptureUse::Move
                    }
                    CaptureUse::Move => CaptureUse::Unknown,
                    _ => ctx,
                };
                out.push((n, path, e.span, u));
            }
        }
        self.capture_subexprs(e, bound, out);
    }

    /// `e` is the field path `path` of the variable `n` through owned structs and tuples only
    /// (no index, no deref, no smart pointer on the way).
    fn owned_fields(&self, n: &Name, path: &[FieldName], e: &Expr) -> bool {
        let mut fields = 0;
        let mut cur = e;
        while let ExprKind::Field(b, _) = &cur.kind {
            fields += 1;
            cur = b;
        }
        if fields != path.len() || !matches!(&cur.kind, ExprKind::Path(s) if s.len() == 1) {
            return false;
        }
        let Some(l) = self.lookup(n) else {
            return false;
        };
        let mut place = Place::local(l);
        for f in path {
            let ty = self.place_ty(&place);
            let owned = matches!(ty, Ty::Adt { .. } | Ty::Tuple(_))
                && !matches!(ty.adt_name(), Some("Box" | "Rc" | "Arc"));
            if !owned {
                return false;
            }
            place = place.project(Proj::Field(f.clone()));
        }
        true
    }

    /// A call: a captured callee is used as its `Fn*` trait says (unknown), arguments are moved.
    fn capture_call(&self, callee: &Expr, args: &[Expr], bound: &mut Vec<Name>, out: &mut Uses) {
        // Calling a captured closure borrows or moves it depending on its `Fn*` trait.
        match &callee.kind {
            ExprKind::Path(p) if p.len() == 1 => {
                if !bound.contains(&p[0]) {
                    out.push((p[0].clone(), Vec::new(), callee.span, CaptureUse::Unknown));
                }
            }
            _ => self.capture_uses(callee, bound, out, CaptureUse::Unknown),
        }
        for a in args {
            self.capture_uses(a, bound, out, CaptureUse::Move);
        }
    }

    /// A macro: format arguments are borrowed, other arguments and tokens used somehow.
    fn capture_macro(&self, m: &ast::MacroCall, bound: &mut Vec<Name>, out: &mut Uses) {
        let mut ids = Vec::new();
        match &m.args {
            MacroArgs::Exprs(es) => {
                let fmt = matches!(
                    &*m.name,
                    "println"
                        | "print"
                        | "eprintln"
                        | "eprint"
                        | "format"
                        | "panic"
                        | "assert"
                        | "assert_eq"
                        | "assert_ne"
                );
                for x in es {
                    if fmt {
                        self.capture_uses(x, bound, out, CaptureUse::Shared);
                    } else {
                        self.capture_uses(x, bound, out, CaptureUse::Unknown);
                    }
                }
            }
            MacroArgs::Tokens(t) => ids.extend(t.iter().cloned()),
            MacroArgs::Repeat(a, b) => {
                self.capture_uses(a, bound, out, CaptureUse::Unknown);
                self.capture_uses(b, bound, out, CaptureUse::Unknown);
            }
        }
        ids.extend(m.format_idents.iter().cloned());
        for (n, sp) in ids {
            if !bound.contains(&n) {
                out.push((n, Vec::new(), sp, CaptureUse::Shared));
            }
        }
    }

    /// Uses inside a place expression other than its base variable (index operands).
    fn capture_subexprs(&self, e: &Expr, bound: &mut Vec<Name>, out: &mut Uses) {
        match &e.kind {
            ExprKind::Field(b, _) | ExprKind::Unary(UnOp::Deref, b) => {
                self.capture_subexprs(b, bound, out)
            }
            ExprKind::Index(b, i) => {
                self.capture_subexprs(b, bound, out);
                self.capture_uses(i, bound, out, CaptureUse::Move);
            }
            ExprKind::Path(_) => {}
            _ => self.capture_uses(e, bound, out, CaptureUse::Move),
        }
    }

    fn capture_block(&self, b: &Block, bound: &mut Vec<Name>, out: &mut Uses) {
        let len = bound.len();
        for s in &b.stmts {
            match s {
                Stmt::Let {
                    pat,
                    ty,
                    init,
                    else_block,
                    ..
                } => {
                    if let Some(i) = init {
                        // `let PAT = place` moves or borrows depending on PAT's bindings; without
                        // a type, a variable is moved even if it is a `&mut` (nothing reborrows).
                        let ctx = if matches!(
                            pat.kind,
                            PatKind::Binding {
                                by_ref: None,
                                sub: None,
                                ..
                            }
                        ) {
                            let var = matches!(&i.kind, ExprKind::Path(p) if p.len() == 1);
                            if ty.is_none() && var {
                                CaptureUse::MoveSure
                            } else {
                                CaptureUse::Move
                            }
                        } else {
                            CaptureUse::Unknown
                        };
                        self.capture_uses(i, bound, out, ctx);
                    }
                    if let Some(e) = else_block {
                        self.capture_block(e, bound, out);
                    }
                    pat_names(pat, bound);
                }
                Stmt::Expr { expr, .. } => self.capture_uses(expr, bound, out, CaptureUse::Move),
                Stmt::Item(_) | Stmt::Cfg(_) => {}
            }
        }
        if let Some(t) = &b.tail {
            self.capture_uses(t, bound, out, CaptureUse::Move);
        }
        bound.truncate(len);
    }
}

fn pat_names(p: &Pat, acc: &mut Vec<Name>) {
    p.walk(&mut |q| {
        if let PatKind::Binding { name, .. } = &q.kind {
            if !is_constant_name(name) {
                acc.push(name.clone());
            }
        }
    });
}

/// The captured variable of a place expression, with the field path (edition 2021 captures
/// `x.a.b`, cut at derefs and indexing).
fn captured_var(e: &Expr) -> Option<(Name, Vec<FieldName>)> {
    let mut e = e;
    let mut path: Vec<FieldName> = Vec::new();
    loop {
        match &e.kind {
            ExprKind::Path(s) if s.len() == 1 => {
                path.reverse();
                return Some((s[0].clone(), path));
            }
            ExprKind::Field(b, f) => {
                path.push(f.clone());
                e = b;
            }
            ExprKind::Index(b, _) => {
                path.clear();
                e = b;
            }
            _ => return None,
        }
    }
}

/// Writing through a deref (`*p = v`) needs a unique borrow of `p`, not `mut p`: unknown.
fn through_deref(e: &Expr) -> bool {
    let mut e = e;
    loop {
        match &e.kind {
            ExprKind::Unary(UnOp::Deref, _) => return true,
            ExprKind::Field(b, _) | ExprKind::Index(b, _) => e = b,
            _ => return false,
        }
    }
}
