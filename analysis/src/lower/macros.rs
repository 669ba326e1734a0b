//! Macros lowered by what they do (`println!`, `format!`, `write!`, `panic!`, `assert!`,
//! `vec!`, `dbg!`, `matches!`: borrows of their arguments, divergence, aggregates), and unknown
//! macros read as uncertain uses (and possible initializations) of the identifiers in them.

use super::Lower;
use crate::ast::for_each_child;
use crate::ast::{self, Expr, ExprKind, MacroArgs, Mutability, Name, Span};
use crate::mir::*;
use crate::ty::Ty;

impl Lower<'_> {
    pub(super) fn lower_macro(&mut self, m: &ast::MacroCall, dest: &Place, span: Span) {
        let name = &*m.name;
        // `boxcar::vec!` is not std's `vec!`; the syntax keeps no path, so every qualified
        // macro is one we do not know.
        if m.qualified {
            self.unknown_macro(m, dest, span);
            return;
        }
        let exprs: &[Expr] = match &m.args {
            MacroArgs::Exprs(es) => es,
            _ => &[],
        };
        match name {
            "println" | "print" | "eprintln" | "eprint" | "format" | "panic" | "write"
            | "writeln" | "assert" | "assert_eq" | "assert_ne" | "debug_assert"
            | "debug_assert_eq" | "debug_assert_ne" | "unreachable" | "todo" | "unimplemented"
            | "format_args" => {
                if !matches!(m.args, MacroArgs::Exprs(_)) {
                    self.unknown_macro(m, dest, span);
                    return;
                }
                let mut first = true;
                // `write!(w, ..)` is `w.write_fmt(format_args!(..))`: for a writer whose
                // `write_fmt` is known to take `&mut self`, a two-phase `&mut w` used by the call.
                let mut writer: Option<Local> = None;
                for e in exprs {
                    let is_writer = first && matches!(name, "write" | "writeln");
                    first = false;
                    if is_writer {
                        let saved = std::mem::replace(&mut self.uncertain_place, false);
                        let p = self.expr_place(e, false);
                        let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
                        if let Some(p) = p {
                            let ty = self.place_ty(&p);
                            if !uncertain && self.writes_by_mut_ref(&ty) {
                                let t = self.temp(Ty::Ref(Mutability::Mut, Box::new(ty)), e.span);
                                self.assign(
                                    Place::local(t),
                                    Rvalue::Ref(BorrowKind::Mut { two_phase: true }, p),
                                    e.span,
                                    false,
                                );
                                writer = Some(t);
                            } else {
                                self.push(StatementKind::Eval(Operand::Use(p)), e.span, true);
                            }
                        }
                        continue;
                    }
                    if matches!(e.kind, ExprKind::Lit(_)) {
                        continue;
                    }
                    self.borrow_for_read(e);
                }
                for (n, sp) in &m.format_idents {
                    if let Some(l) = self.lookup(n) {
                        let t =
                            self.temp(Ty::Ref(Mutability::Not, Box::new(self.local_ty(l))), *sp);
                        self.assign(
                            Place::local(t),
                            Rvalue::Ref(BorrowKind::Shared, Place::local(l)),
                            *sp,
                            false,
                        );
                    }
                }
                if matches!(name, "panic" | "unreachable" | "todo" | "unimplemented") {
                    self.terminate(Terminator::Unreachable, span);
                    return;
                }
                if name.contains("assert") {
                    let ok = self.new_block();
                    let fail = self.new_block();
                    self.terminate(Terminator::Switch(vec![ok, fail]), span);
                    self.cur = fail;
                    self.terminate(Terminator::Unreachable, span);
                    self.cur = ok;
                }
                if let Some(t) = writer {
                    // Its result (`io::Result<()>`, `fmt::Result`) holds no borrow.
                    self.call(
                        vec![Operand::Move(Place::local(t))],
                        dest.clone(),
                        vec![],
                        span,
                    );
                    return;
                }
                self.assign(dest.clone(), Rvalue::Opaque(vec![], vec![]), span, false);
            }
            "vec" => match &m.args {
                MacroArgs::Exprs(es) => {
                    let ops: Vec<Operand> = es.iter().map(|e| self.arg_operand(e)).collect();
                    self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
                }
                MacroArgs::Repeat(e, n) => {
                    let a = self.expr_operand(e);
                    let n = self.expr_operand(n);
                    self.assign(dest.clone(), Rvalue::Aggregate(vec![a, n]), span, false);
                }
                MacroArgs::Tokens(_) => self.unknown_macro(m, dest, span),
            },
            "dbg" if matches!(m.args, MacroArgs::Exprs(_)) => {
                let ops: Vec<Operand> = exprs.iter().map(|e| self.expr_operand(e)).collect();
                self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
            }
            "matches" if !exprs.is_empty() => {
                let p = self.expr_place(&exprs[0], false);
                if let Some(p) = p {
                    self.push(StatementKind::FakeRead(p), exprs[0].span, false);
                }
                self.assign(dest.clone(), Rvalue::Opaque(vec![], vec![]), span, false);
            }
            _ => self.unknown_macro(m, dest, span),
        }
    }

    /// Whether `write_fmt` on a writer of this type takes `&mut self` of the writer itself: a
    /// type parameter bounded by std's `Write`, `String` (`fmt::Write`), `Vec` (`io::Write`),
    /// a type of the crate without an inherent `write_fmt` of its own (it must implement a
    /// `Write` trait, whose method takes `&mut self`). A reference is left alone: `write_fmt`
    /// may take it whole or reborrow what it points to.
    fn writes_by_mut_ref(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Param { name, .. } => self.write_params.contains(name),
            Ty::Adt { name, .. } if crate::items::is_id(name) => {
                self.index.adt(name).is_some() && self.index.method(name, "write_fmt").is_none()
            }
            Ty::Adt { name, .. } => {
                matches!(&**name, "String" | "Vec") && !self.index.is_shadowed(name)
            }
            _ => false,
        }
    }

    /// A format argument: `&arg`.
    fn borrow_for_read(&mut self, e: &Expr) {
        if self.is_place_expr(e) {
            let saved = std::mem::replace(&mut self.uncertain_place, false);
            let p = self.expr_place(e, false).unwrap();
            let uncertain = std::mem::replace(&mut self.uncertain_place, saved);
            let t = self.temp(
                Ty::Ref(Mutability::Not, Box::new(self.place_ty(&p))),
                e.span,
            );
            self.assign(
                Place::local(t),
                Rvalue::Ref(BorrowKind::Shared, p),
                e.span,
                uncertain,
            );
        } else {
            let op = self.expr_operand(e);
            self.push(StatementKind::Eval(op), e.span, false);
        }
    }

    fn unknown_macro(&mut self, m: &ast::MacroCall, dest: &Place, span: Span) {
        // It may `return`, `break` or `?`: paths through it may not exist.
        if !self.index.macro_is_control_free(&m.name) || m.qualified {
            self.body.opaque_control = true;
        }
        let mut idents: Vec<(Name, Span)> = Vec::new();
        match &m.args {
            MacroArgs::Tokens(t) => idents.extend(t.iter().cloned()),
            MacroArgs::Exprs(es) => es.iter().for_each(|e| collect_idents(e, &mut idents)),
            MacroArgs::Repeat(a, b) => {
                collect_idents(a, &mut idents);
                collect_idents(b, &mut idents);
            }
        }
        idents.extend(m.format_idents.iter().cloned());
        // A macro defined in this body may assign locals it does not name.
        for l in self.declared_uninit.clone() {
            if self.scopes.iter().any(|sc| sc.locals.contains(&l)) {
                self.push(StatementKind::MaybeInit(l), span, true);
            }
        }
        for (n, sp) in idents {
            if let Some(l) = self.lookup(&n) {
                self.push(StatementKind::MaybeInit(l), sp, true);
                self.push(StatementKind::Eval(Operand::Use(Place::local(l))), sp, true);
            }
        }
        self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, true);
    }
}

fn collect_idents(e: &Expr, acc: &mut Vec<(Name, Span)>) {
    match &e.kind {
        ExprKind::Path(s) if s.len() == 1 => acc.push((s[0].clone(), e.span)),
        ExprKind::Unknown(ids) => acc.extend(ids.iter().cloned()),
        _ => for_each_child(e, &mut |c| collect_idents(c, acc)),
    }
}
