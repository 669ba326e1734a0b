//! Calls: arguments moved into temporaries at their own spans, calls of paths, locals and fn
//! pointers (constructors, diverging calls, what a signature says the result borrows), and method
//! calls with their receiver's autoderef and autoref (`&mut` autorefs are two-phase borrows).

use super::method::RefParams;
use super::{borrow_kind, FnKind, Lower};
use crate::ast::{Expr, ExprKind, FieldName, GenericArg, Mutability, Name, PathArgs, Span};
use crate::index::{FnSig, Receiver};
use crate::mir::*;
use crate::std_api;
use crate::ty::Ty;

impl Lower<'_> {
    /// A call argument: a place is moved (or copied) into a temporary at the argument's own span,
    /// as MIR does, so that errors point at the argument.
    pub(super) fn arg_operand(&mut self, e: &Expr) -> Operand {
        self.arg_operand_to(e, false)
    }

    /// `arg_operand` for a constructor's field: a `&mut` is reborrowed or moved (unknown), a
    /// `&T` copied.
    fn arg_operand_as_is(&mut self, e: &Expr) -> Operand {
        self.arg_operand_with(e, false, true)
    }

    /// `arg_operand` for a parameter whose type is known: `bare_param` when it is a bare type
    /// parameter (`drop<T>(_: T)`), which takes a `&mut` by move and a `&T` by copy (rustc
    /// reborrows only where a reference type is expected).
    pub(super) fn arg_operand_to(&mut self, e: &Expr, bare_param: bool) -> Operand {
        self.arg_operand_with(e, bare_param, bare_param)
    }

    /// An argument passed where the callee's parameter is known to be a reference (`param`, its
    /// mutability): a `&mut` place is reborrowed, as rustc coerces a call's arguments. For
    /// `&mut T` the reborrow (`&mut *p`) is two-phase (`AllowTwoPhase::Yes`): reserved at the
    /// argument, activated at the call; for `&T` it is shared (`&*p`). `None` when the parameter
    /// or the argument is not known to be such a reference (the argument is then lowered as
    /// `arg_operand` does).
    fn reborrowed_arg(&mut self, e: &Expr, param: Option<Mutability>) -> Option<Operand> {
        let expected = param?;
        if !self.is_place_expr(e) || !matches!(self.infer(e), Ty::Ref(Mutability::Mut, _)) {
            return None;
        }
        let saved = std::mem::replace(&mut self.uncertain_place, false);
        let p = self.expr_place(e, false)?;
        let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
        let ty = self.place_ty(&p);
        let (Ty::Ref(Mutability::Mut, inner), false) = (&ty, uncertain) else {
            let t = self.temp(ty.clone(), e.span);
            self.assign(Place::local(t), Rvalue::Use(Operand::Use(p)), e.span, true);
            return Some(Operand::Move(Place::local(t)));
        };
        let t = self.temp(Ty::Ref(expected, inner.clone()), e.span);
        let kind = match expected {
            Mutability::Mut => BorrowKind::Mut { two_phase: true },
            Mutability::Not => BorrowKind::Shared,
        };
        self.assign(Place::local(t), Rvalue::Ref(kind, p.deref()), e.span, false);
        Some(Operand::Move(Place::local(t)))
    }

    fn arg_operand_with(&mut self, e: &Expr, bare_param: bool, shared_copied: bool) -> Operand {
        self.place_known = false;
        let op = self.expr_operand(e);
        let known = std::mem::take(&mut self.place_known);
        // A `&mut` passed where a `&mut` is expected is reborrowed, not moved; for a generic
        // parameter it is moved. Unless the parameter is known, we cannot tell which.
        let op = match op {
            Operand::Move(p) | Operand::Use(p)
                if matches!(self.place_ty(&p), Ty::Ref(Mutability::Mut, _)) =>
            {
                if bare_param {
                    Operand::Move(p)
                } else {
                    Operand::Use(p)
                }
            }
            // A `&T` where a reference is expected is reborrowed (`&*p`, a shared borrow of what
            // it points to: E0502 against a `&mut` of it), where a type parameter takes a copy
            // (a use: E0503). Unless the parameter is known, which is unknown.
            Operand::Copy(p)
                if !shared_copied
                    && self.body.locals[p.local.0 as usize].kind != LocalKind::Temp
                    && matches!(self.place_ty(&p), Ty::Ref(Mutability::Not, _)) =>
            {
                Operand::Use(p)
            }
            op => op,
        };
        match &op {
            Operand::Copy(p) | Operand::Move(p) | Operand::Use(p)
                if self.body.locals[p.local.0 as usize].kind != LocalKind::Temp
                    || !p.proj.is_empty() =>
            {
                let ty = self.place_ty(p);
                let unc = matches!(op, Operand::Use(_));
                let t = self.temp(ty, e.span);
                self.assign(Place::local(t), Rvalue::Use(op), e.span, unc);
                if unc && known {
                    self.record_reborrow();
                }
                Operand::Move(Place::local(t))
            }
            _ => op,
        }
    }

    /// The callee of a call of the local `l`, as its `Fn*` kind takes it: borrowed (`Fn`),
    /// borrowed mutably (`FnMut`, which needs `mut`) or moved (`FnOnce`), when a closure of this
    /// body or a type parameter's bound says which; else an unknown use. The operand the call
    /// takes, if any.
    fn call_callee(&mut self, l: Local, span: Span) -> Option<Operand> {
        let kind_of = |cx: &Self, ty: &Ty| match ty {
            Ty::Param { name, .. } => cx.param_fn_kind(name),
            // In the order of their locals, which the lowering declares one after another.
            Ty::Adt { name, .. } if &**name == "{closure}" => cx
                .closure_kinds
                .binary_search_by_key(&l, |(c, _)| *c)
                .ok()
                .map(|i| cx.closure_kinds[i].1),
            _ => None,
        };
        // Through a reference (`f: &F`, `f: &mut F`) the call reborrows what it points to; an
        // `FnOnce` cannot be called there (another error).
        let (place, kind) = match self.local_ty(l) {
            Ty::Ref(_, inner) if matches!(*inner, Ty::Param { .. }) => {
                match kind_of(self, &inner) {
                    k @ Some(FnKind::Fn | FnKind::FnMut) => (Place::local(l).deref(), k),
                    _ => (Place::local(l), None),
                }
            }
            ty => (Place::local(l), kind_of(self, &ty)),
        };
        let m = match kind {
            Some(FnKind::Fn) => Mutability::Not,
            Some(FnKind::FnMut) => {
                self.check_mutable(&place, span, true);
                Mutability::Mut
            }
            Some(FnKind::FnOnce) if self.is_copy(&self.place_ty(&place)) == Some(false) => {
                self.push(StatementKind::Eval(Operand::Move(place)), span, false);
                return None;
            }
            _ => {
                self.push(StatementKind::Eval(Operand::Use(place)), span, true);
                return None;
            }
        };
        let ty = self.place_ty(&place);
        let t = self.temp(Ty::Ref(m, Box::new(ty)), span);
        self.assign(
            Place::local(t),
            Rvalue::Ref(borrow_kind(m, false), place),
            span,
            false,
        );
        Some(Operand::Move(Place::local(t)))
    }

    /// The `Fn*` kind a type parameter's bounds give it: the least of its `Fn`, `FnMut`,
    /// `FnOnce` bounds (std's traits; a crate's trait of that name has an id).
    fn param_fn_kind(&self, name: &Name) -> Option<FnKind> {
        let (_, bounds) = self.param_bounds.iter().find(|(n, _)| n == name)?;
        bounds
            .iter()
            .filter_map(|b| {
                let b = b.trim();
                let of = |t: &str| {
                    b == t
                        || b.strip_prefix(t)
                            .is_some_and(|r| r.trim_start().starts_with('('))
                };
                if of("Fn") {
                    Some(FnKind::Fn)
                } else if of("FnMut") {
                    Some(FnKind::FnMut)
                } else if of("FnOnce") {
                    Some(FnKind::FnOnce)
                } else {
                    None
                }
            })
            .min()
    }

    pub(super) fn lower_call(
        &mut self,
        f: &Expr,
        args: &[Expr],
        generics: &PathArgs,
        dest: &Place,
        span: Span,
    ) {
        let extending = std::mem::take(&mut self.extending);
        let ExprKind::Path(segs) = &f.kind else {
            // `(self.f)(x)` calls through `Fn`/`FnMut` (a borrow) or `FnOnce` (a move): unknown.
            let fop = if self.is_place_expr(f) {
                let saved = std::mem::replace(&mut self.uncertain_place, false);
                let p = self.expr_place(f, false).unwrap();
                self.uncertain_place = saved;
                Operand::Use(p)
            } else {
                self.expr_operand(f)
            };
            self.push(StatementKind::Eval(fop), f.span, true);
            let ops: Vec<Operand> = args.iter().map(|a| self.arg_operand(a)).collect();
            self.call(ops, dest.clone(), vec![], span);
            return;
        };
        let names: Vec<&str> = segs.iter().map(|s| &**s).collect();
        // A local holding a closure or fn pointer.
        if names.len() == 1 {
            if let Some(l) = self.lookup(names[0]) {
                let callee = self.call_callee(l, f.span);
                let mut ops: Vec<Operand> = args.iter().map(|a| self.arg_operand(a)).collect();
                self.annotated_local_call(l, &ops);
                ops.extend(callee);
                // A fn pointer's result has its written return type, and holds no borrow of
                // the arguments when that type names only `'static`.
                if let Ty::FnPtr(Some(ret)) = self.local_ty(l) {
                    if dest.proj.is_empty()
                        && self.body.locals[dest.local.0 as usize].ty.is_unknown()
                    {
                        self.body.locals[dest.local.0 as usize].ty = *ret;
                    }
                    if self.body.locals[dest.local.0 as usize].kind == LocalKind::Temp {
                        self.call_result_temps.push(dest.local);
                    }
                }
                self.call(ops, dest.clone(), vec![], span);
                return;
            }
        }
        let last = *names.last().unwrap();
        // Closures passed where the callee wants `Fn` are `Fn` closures.
        if names.len() == 1 {
            if let Some(sig) = self.index.function(last) {
                if sig.receiver == Receiver::None && sig.params.len() == args.len() {
                    for &i in &sig.fn_params {
                        if matches!(args[i].kind, ExprKind::Closure { .. }) {
                            self.fn_closures.push(args[i].span);
                        }
                    }
                    if let Some(w) = sig.written.clone() {
                        self.record_closure_bounds(&w, args);
                    }
                }
            }
        }
        // std's `drop<T>(_x: T)` (the prelude's, `mem::drop`, `std::mem::drop`,
        // `core::mem::drop`; a crate's own `drop` has an id): its argument is moved.
        let is_std_drop = match names.as_slice() {
            ["drop"] => true,
            [.., "mem", "drop"] => matches!(names[0], "std" | "core" | "mem"),
            _ => false,
        };
        // Constructors: tuple structs and variants hold what they are given.
        let constructor = last.starts_with(|c: char| c.is_uppercase())
            || matches!(
                names.as_slice(),
                [
                    "Box" | "Rc" | "Arc" | "RefCell" | "Cell" | "Mutex" | "RwLock",
                    "new"
                ]
            );
        // Where a parameter is a bare type parameter, a reference is passed as it is.
        let sig: Option<FnSig> = self.path_sig(&names).cloned();
        let generic_params: Vec<bool> = match &sig {
            Some(s) if s.receiver == Receiver::None && s.params.len() == args.len() => s
                .params
                .iter()
                .map(|t| matches!(t, Ty::Param { .. }))
                .collect(),
            _ => vec![false; args.len()],
        };
        let params = match &sig {
            Some(s) if s.receiver == Receiver::None && s.params.len() == args.len() => {
                RefParams::of_types(&s.params)
            }
            _ => None,
        };
        let ops: Vec<Operand> = args
            .iter()
            .zip(generic_params)
            .enumerate()
            .map(|(i, (a, generic))| {
                if let Some(op) = self.reborrowed_arg(a, params.and_then(|p| p.get(i))) {
                    op
                } else if is_std_drop || generic {
                    self.arg_operand_to(a, true)
                } else if constructor && extending && super::stmt::extends_temporaries(a) {
                    self.extended_operand(a)
                } else if constructor {
                    self.arg_operand_as_is(a)
                } else {
                    self.arg_operand_to(a, false)
                }
            })
            .collect();
        if constructor {
            let n = ops.len() as u32;
            self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
            let fields = (0..n).map(FieldName::Index).collect();
            let wrapper = match names.as_slice() {
                [w @ ("Box" | "Rc" | "Arc"), "new"] => Some(*w),
                ["Some"] => Some("Option"),
                _ => None,
            }
            .filter(|w| n == 1 && self.index.adt(w).is_none() && !self.index.is_shadowed(w));
            if let Some(w) = wrapper {
                self.record_aggregate(AggregateKind::Wrap(w.into()));
            } else if let Some(kind) = self.struct_aggregate(&segs[..], fields) {
                self.record_aggregate(kind);
            }
            return;
        }
        let diverges = matches!(
            names.as_slice(),
            ["panic" | "unreachable"] | [.., "process", "exit"]
        );
        let std_sig = match &sig {
            Some(_) => None,
            None => super::annotations::std_sig(&names),
        };
        if let Some(w) = sig.as_ref().and_then(|s| s.written.as_ref()) {
            self.annotated_args(w, generics, &ops);
        } else if let Some(w) = &std_sig {
            self.annotated_args(w, generics, &ops);
        }
        let ret_borrows = match &sig {
            Some(s) if s.ret_holds_borrow => s.ret_borrows.clone(),
            _ => vec![],
        };
        // The arguments that must outlive the body: `&'static T` or `T: 'static` parameters.
        let static_params: &[usize] = match &sig {
            Some(s) if s.receiver == Receiver::None && s.params.len() == ops.len() => {
                &s.static_params
            }
            None if super::annotations::is_thread_spawn(&names) && ops.len() == 1 => &[0],
            _ => &[],
        };
        for &i in static_params {
            if let Some(p) = ops[i].place() {
                if p.proj.is_empty() && self.body.locals[p.local.0 as usize].kind == LocalKind::Temp
                {
                    self.body.static_locals.push(p.local);
                    self.body.static_args.push(p.local);
                }
            }
        }
        if diverges {
            let b = self.cur.0 as usize;
            self.body.blocks[b].term = Terminator::Call {
                args: ops,
                dest: dest.clone(),
                target: None,
                ret_borrows,
                span,
            };
            self.body.blocks[b].term_span = span;
            self.cur = self.new_block();
            return;
        }
        if let Some(w) = sig
            .as_ref()
            .filter(|s| s.receiver == Receiver::None && s.params.len() == ops.len())
            .and_then(|s| s.written.clone())
        {
            self.record_callee(&w);
        } else if let Some(w) = std_sig.filter(|w| w.params.len() == ops.len()) {
            self.record_callee(&w);
        }
        self.call(ops, dest.clone(), ret_borrows, span);
    }

    /// The signature of the function a path names: a free function, or an associated one of
    /// a type or trait (`A::new`, `Self::new`, `Tr::m`).
    pub(super) fn path_sig(&self, names: &[&str]) -> Option<&FnSig> {
        let last = *names.last()?;
        if names.len() == 1 {
            self.index.function(last)
        } else if names.len() > 2 {
            // A module path: the item may not be the one of this name in our index.
            None
        } else {
            let owner = names[names.len() - 2];
            let oname = if owner == "Self" {
                self.self_ty
                    .as_ref()
                    .and_then(|t| t.adt_name().map(|s| s.to_string()))
                    .unwrap_or_default()
            } else {
                owner.to_string()
            };
            self.index.method(&oname, last)
        }
    }

    pub(super) fn lower_method_call(
        &mut self,
        receiver: &Expr,
        method: &Name,
        args: &[Expr],
        generics: &[GenericArg],
        dest: &Place,
        span: Span,
    ) {
        let rty = self.infer(receiver);
        let written = PathArgs {
            last: generics.to_vec(),
            ..PathArgs::default()
        };
        let resolved = self.resolve_method(&rty, method);
        let Some(res) = resolved else {
            // Unknown method: the receiver is used, somehow.
            let saved = std::mem::replace(&mut self.uncertain_place, false);
            self.receiver_unknown = true;
            let p = self.expr_place(receiver, false);
            self.receiver_unknown = false;
            self.uncertain_place = saved;
            if let Some(p) = p {
                self.push(StatementKind::Eval(Operand::Use(p)), receiver.span, true);
            }
            let ops: Vec<Operand> = args.iter().map(|a| self.arg_operand(a)).collect();
            if !generics.is_empty() && std_api::methods_named(method).next().is_none() {
                // A method of one trait of the crate only, on a type the index cannot follow
                // (a blanket impl on a std type): its parameters are the trait's.
                if let Some(w) = self.index.sole_trait_method(method) {
                    let with_receiver: Vec<Operand> = std::iter::once(Operand::Const)
                        .chain(ops.iter().cloned())
                        .collect();
                    self.annotated_args(&w, &written, &with_receiver);
                }
            }
            self.call(ops, dest.clone(), vec![], span);
            return;
        };
        let mutable = res.receiver == Receiver::RefMut;
        let saved = std::mem::replace(&mut self.uncertain_place, false);
        let is_rvalue = !self.is_place_expr(receiver);
        let mut p = self.expr_place(receiver, mutable).unwrap();
        if is_rvalue
            && p.proj.is_empty()
            && res.receiver != Receiver::Value
            && !self.is_constant(receiver)
        {
            // A temporary receiver lives until the end of the enclosing statement.
            self.body.locals[p.local.0 as usize].is_statement_temp = true;
            self.stmt_temps.push(p.local);
        }
        for _ in 0..res.derefs {
            p = p.deref();
        }
        let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
        let store_base = (!uncertain && !res.stores.is_empty()).then_some(p.local);
        let flows_from_receiver =
            (!uncertain && res.flows.inputs().next() == Some(0)).then(|| p.clone());
        // A by-value receiver read through a reference gives the result the referent's inner
        // regions, which one region per local cannot follow: its regions are not the result's.
        let ret_borrows =
            res.ret_borrows && !(res.receiver == Receiver::Value && p.proj.contains(&Proj::Deref));
        let recv = match res.receiver {
            Receiver::Ref | Receiver::RefMut => {
                let m = if mutable {
                    Mutability::Mut
                } else {
                    Mutability::Not
                };
                if mutable && !uncertain {
                    self.check_mutable(&p, receiver.span, true);
                }
                let t = self.temp(Ty::Ref(m, Box::new(self.place_ty(&p))), receiver.span);
                let kind = borrow_kind(m, !res.overloaded);
                self.assign(
                    Place::local(t),
                    Rvalue::Ref(kind, p),
                    receiver.span,
                    uncertain,
                );
                Operand::Move(Place::local(t))
            }
            Receiver::Value | Receiver::None => {
                let op = self.operand_of(p);
                let ok = uncertain || self.check_move_out(&op, receiver.span);
                if uncertain || !ok {
                    match op {
                        Operand::Move(p) | Operand::Copy(p) | Operand::Use(p) => Operand::Use(p),
                        c => c,
                    }
                } else {
                    op
                }
            }
        };
        if let Some(w) = res
            .written
            .clone()
            .filter(|_| !res.overloaded && !uncertain)
        {
            self.record_closure_bounds(&w, args);
        }
        let mut ops = vec![recv];
        let params = res.params.filter(|p| p.len() == args.len() && !uncertain);
        for (i, a) in args.iter().enumerate() {
            match self.reborrowed_arg(a, params.and_then(|p| p.get(i))) {
                Some(op) => ops.push(op),
                None => ops.push(self.arg_operand(a)),
            }
        }
        if let Some(w) = res.written.as_ref().filter(|_| !uncertain) {
            self.annotated_args(w, &written, &ops);
        }
        // What the method stores into the receiver keeps its borrows as long as the receiver,
        // unless the receiver's type says it holds none (`BTreeSet<StateId>`). A closure's
        // captured variable stands for the enclosing function's, reached through the capture:
        // what is stored there must outlive that variable, not the closure's body (which its
        // free region would say), so nothing is said.
        let store_base = store_base.filter(|&b| {
            self.body.locals[b.0 as usize].kind != LocalKind::Upvar
                && self.local_ty(b).may_hold_borrow(self.index) != Some(false)
        });
        if let Some(base) = store_base {
            for &i in &res.stores {
                if let Some(p) = ops.get(i + 1).and_then(|o| o.place()).cloned() {
                    self.push(StatementKind::Flow(p, base), span, false);
                }
            }
        }
        // What the result holds of its inputs by generic substitution: their values flow into it.
        if !uncertain {
            for i in res.flows.inputs() {
                let from = match i {
                    0 => flows_from_receiver.as_ref(),
                    i => ops.get(i).and_then(|o| o.place()),
                };
                if let Some(from) = from.filter(|f| !f.proj.contains(&Proj::Deref)) {
                    self.push(StatementKind::Flow(from.clone(), dest.local), span, false);
                }
            }
        }
        self.body.locals[dest.local.0 as usize].ty =
            match &self.body.locals[dest.local.0 as usize].ty {
                Ty::Unknown if dest.proj.is_empty() => res.ret.clone(),
                t => t.clone(),
            };
        if let Some(w) = res
            .written
            .as_ref()
            .filter(|_| !res.overloaded && !uncertain)
        {
            self.record_callee(w);
        }
        self.call(
            ops,
            dest.clone(),
            if ret_borrows { vec![0] } else { vec![] },
            span,
        );
    }
}
