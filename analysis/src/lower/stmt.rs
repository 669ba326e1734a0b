//! Blocks and statements: a block's scope and tail (its temporaries by edition), `let` with
//! and without an initializer or `else`, the extension of borrowed temporaries to a binding's
//! scope, and the written types whose regions all outlive the body.

use super::pattern::{binds_ref_mut, is_constant_name, is_rest};
use super::{borrow_kind, BindMode, Breakable, Lower};
use crate::ast::{self, Block, Expr, ExprKind, Mutability, Name, Pat, PatKind, Span, Stmt};
use crate::index;
use crate::mir::*;
use crate::ty::Ty;
use crate::Edition;

impl Lower<'_> {
    /// Lowers a block, writing its value into `dest`.
    pub(super) fn block_into(&mut self, block: &Block, dest: &Place, label: Option<&Name>) {
        self.unsafe_depth += block.is_unsafe as u32;
        self.block_into_inner(block, dest, label);
        self.unsafe_depth -= block.is_unsafe as u32;
    }

    fn block_into_inner(&mut self, block: &Block, dest: &Place, label: Option<&Name>) {
        self.push_scope();
        let depth = self.scopes.len();
        let exit = label.map(|_| self.new_block());
        if let Some(exit) = exit {
            self.breakables.push(Breakable {
                label: label.cloned(),
                is_loop: false,
                break_to: exit,
                continue_to: None,
                dest: Some(dest.clone()),
                scope_depth: depth - 1,
            });
        }
        for s in &block.stmts {
            self.stmt(s);
        }
        match &block.tail {
            Some(e) if self.edition >= Edition::E2024 => {
                // Edition 2024: the tail's temporaries are dropped at the end of the block, before
                // its locals.
                let mark = self.stmt_temps.len();
                self.expr_into(e, dest);
                self.end_statement(mark, e.span);
            }
            Some(e) => {
                // Temporaries of a tail expression live until the end of the enclosing statement
                // (for a function's body: after its locals, before its parameters).
                self.expr_into(e, dest);
            }
            None => {
                if block.stmts.is_empty() || !self.diverges_last(block) {
                    self.assign(dest.clone(), Rvalue::Use(Operand::Const), block.span, false);
                }
            }
        }
        let end = Span::new(block.span.end.saturating_sub(1), block.span.end);
        self.pop_scope(end);
        if let Some(exit) = exit {
            self.breakables.pop();
            self.goto(exit, end);
        }
    }

    fn diverges_last(&self, block: &Block) -> bool {
        matches!(
            block.stmts.last(),
            Some(Stmt::Expr {
                expr: Expr {
                    kind: ExprKind::Return(_) | ExprKind::Break { .. } | ExprKind::Continue { .. },
                    ..
                },
                ..
            })
        )
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Item(_) => {}
            Stmt::Cfg(_) => self.taint(),
            Stmt::Expr { expr, .. } => {
                self.record_unexpected_closure(expr);
                let mark = self.stmt_temps.len();
                let t = self.temp(Ty::Unknown, expr.span);
                self.expr_into(expr, &Place::local(t));
                self.end_statement(mark, expr.span);
            }
            Stmt::Let {
                pat,
                ty,
                ty_span,
                init,
                else_block,
                span,
            } => {
                // rustc blames a written type at the type.
                let annotation = ty_span.unwrap_or(*span);
                let annotated = ty.as_ref().and_then(|t| self.annotation(t, annotation));
                let ty_ast = ty.as_ref();
                if let Some(t) = ty_ast {
                    self.check_static_outlives(t, *span);
                }
                let mark = self.stmt_temps.len();
                let declared = ty
                    .as_ref()
                    .map(|t| Ty::from_ast(t, &self.generics, self.self_ty.as_ref()));
                match init {
                    None => {
                        // `let x;`: declared, not initialized.
                        self.declare_pattern(pat, declared.unwrap_or(Ty::Unknown));
                        if let Some(t) = ty_ast {
                            self.mark_static_bindings(pat, t);
                        }
                    }
                    Some(init) => {
                        if ty.is_none() {
                            self.record_unexpected_closure(init);
                        }
                        if let (
                            PatKind::Binding {
                                by_ref: None,
                                mutability,
                                name,
                                sub: None,
                            },
                            None,
                        ) = (&pat.kind, else_block)
                        {
                            if !is_constant_name(name) {
                                let ty = match declared {
                                    Some(t) => Ty::merge(t, self.infer(init)),
                                    None => self.infer(init),
                                };
                                let l = self.new_local(
                                    Some(name.clone()),
                                    ty,
                                    *mutability == Mutability::Mut,
                                    LocalKind::User,
                                    pat.span,
                                );
                                if ty_ast.is_some_and(|t| self.all_free(t)) {
                                    self.body.static_locals.push(l);
                                }
                                if let Some(t) = &annotated {
                                    self.annotate_local(l, t, annotation);
                                }
                                self.note_fn_item(l, init);
                                self.expr_into_extended(init, &Place::local(l));
                                self.end_statement(mark, *span);
                                // The name is visible only after its initializer.
                                self.bind_name(name.clone(), l);
                                return;
                            }
                        }
                        let ty = declared.unwrap_or_else(|| self.infer(init));
                        let is_temp = !self.is_place_expr(init);
                        let place = if is_temp
                            && matches!(
                                init.kind,
                                ExprKind::Tuple(_) | ExprKind::Array(_) | ExprKind::Ref { .. }
                            ) {
                            // `let (a, b) = (&mut x(), &y());`: the borrowed temporaries are
                            // extended to the bindings' scope.
                            let t = self.temp(ty.clone(), init.span);
                            self.expr_into_extended(init, &Place::local(t));
                            Place::local(t)
                        } else {
                            let place = self.expr_place(init, false);
                            self.ensure_place(place, ty.clone(), init.span)
                        };
                        if let Some(t) = &annotated {
                            // The value is built for the pattern: it has the written type.
                            if is_temp
                                && place.proj.is_empty()
                                && self.body.local(place.local).kind == LocalKind::Temp
                            {
                                self.annotate_local(place.local, t, annotation);
                            }
                        }
                        if place.proj.is_empty()
                            && (is_temp || matches!(init.kind, ExprKind::Path(_)))
                            && ty_ast.is_some_and(|t| self.all_free(t))
                        {
                            // The value has the written type: what it holds outlives the body.
                            self.body.static_locals.push(place.local);
                        }
                        // A constant's temporary is promoted unless a `ref mut` borrows it.
                        let promoted = self.is_constant(init) && !binds_ref_mut(pat);
                        if is_temp && place.proj.is_empty() && !promoted {
                            // `let ref x = rvalue;`: the temporary lives as long as the bindings.
                            self.scopes.last_mut().unwrap().locals.push(place.local);
                        }
                        if let Some(else_block) = else_block {
                            let ok = self.new_block();
                            let fail = self.new_block();
                            self.terminate(Terminator::Switch(vec![ok, fail]), init.span);
                            self.cur = fail;
                            let t = self.temp(Ty::Unknown, else_block.span);
                            self.block_into(else_block, &Place::local(t), None);
                            self.terminate(Terminator::Unreachable, else_block.span);
                            self.cur = ok;
                        }
                        // `let PAT = place` reads the place even when PAT binds nothing; `let _ =
                        // place` only mentions it (it stays alive, and may be moved out).
                        let read = if matches!(pat.kind, PatKind::Wild) && else_block.is_none() {
                            StatementKind::PlaceMention(place.clone())
                        } else {
                            StatementKind::FakeRead(place.clone())
                        };
                        self.push(read, init.span, false);
                        let saved = self.match_span.replace(init.span);
                        self.bind_pattern(pat, &place, &ty, BindMode::Move, pat.span);
                        self.match_span = saved;
                        if let Some(t) = ty_ast {
                            self.mark_static_bindings(pat, t);
                        }
                        self.end_statement(mark, *span);
                    }
                }
            }
        }
    }

    /// `let x = <init>;`: temporaries borrowed at the top of the initializer live as long as `x`.
    pub(super) fn expr_into_extended(&mut self, init: &Expr, dest: &Place) {
        // `let x = (&temp(), ..)`: the extension reaches into tuple, array and (braced) struct
        // literals, as rustc's extending expressions.
        match &init.kind {
            ExprKind::Tuple(es) | ExprKind::Array(es) if es.iter().any(extends_temporaries) => {
                let ops = es.iter().map(|e| self.extended_operand(e)).collect();
                self.assign(dest.clone(), Rvalue::Aggregate(ops), init.span, false);
                if matches!(init.kind, ExprKind::Tuple(_)) {
                    self.record_aggregate(AggregateKind::Tuple);
                }
                return;
            }
            // Their fields' or arguments' temporaries: `struct_into` and `lower_call` take the
            // flag at their start.
            ExprKind::Struct { .. } | ExprKind::Call(..) if extends_temporaries(init) => {
                self.extending = true;
                self.expr_into(init, dest);
                self.extending = false;
                return;
            }
            _ => {}
        }
        if let ExprKind::Ref {
            mutability,
            raw: false,
            expr,
        } = &init.kind
        {
            if !self.is_place_expr(expr) && !self.is_promoted(*mutability, expr) {
                let ty = self.infer(expr);
                let t = self.temp(ty, expr.span);
                // The operand of an extending borrow is extending too: `&[(&temp(), ..)]`.
                self.expr_into_extended(expr, &Place::local(t));
                self.scopes.last_mut().unwrap().locals.push(t);
                let kind = borrow_kind(*mutability, false);
                self.assign(
                    dest.clone(),
                    Rvalue::Ref(kind, Place::local(t)),
                    init.span,
                    false,
                );
                return;
            }
        }
        self.expr_into(init, dest);
    }

    /// An operand of an extending context (an element, field or constructor argument of a
    /// `let`'s initializer): its temporaries live as long as the `let`'s bindings.
    pub(super) fn extended_operand(&mut self, e: &Expr) -> Operand {
        let t = self.temp(self.infer(e), e.span);
        self.expr_into_extended(e, &Place::local(t));
        Operand::Move(Place::local(t))
    }

    /// A value built or matched as `path::<generics>` (a constructor, a struct literal or
    /// pattern with turbofish) has the type those arguments give the crate's type it names: when
    /// all its regions outlive the body, so must what `place` holds.
    pub(super) fn annotated_value(
        &mut self,
        path: &[Name],
        generics: &[ast::GenericArg],
        place: &Place,
    ) {
        if generics.is_empty() || !place.proj.is_empty() {
            return;
        }
        let Ty::Adt { name, .. } = self.path_adt(path) else {
            return;
        };
        let t = ast::Type::Path {
            segments: vec![name],
            args: generics.to_vec(),
        };
        if self.all_free(&t) {
            self.body.static_locals.push(place.local);
        }
    }

    /// Whether every region of a written type outlives the body (`&'static T`, `&'a T` with `'a`
    /// a parameter, `Vec<&'a str>`): a value of it holds only such borrows.
    pub(super) fn all_free(&self, t: &ast::Type) -> bool {
        index::regions_of(t, &self.free_lifetimes, self.index) == index::Regions::AllFree
    }

    /// Bindings whose written type (`let (a, b): (&'static u32, u8)`) holds only borrows that
    /// outlive the body (`all_free`) must hold borrows valid that long. Within a type whose
    /// regions all outlive the body, every by-value binding's type is made of those regions.
    fn mark_static_bindings(&mut self, pat: &Pat, ty: &ast::Type) {
        if self.all_free(ty) {
            let mut names = Vec::new();
            pat.walk(&mut |p| {
                if let PatKind::Binding {
                    by_ref: None, name, ..
                } = &p.kind
                {
                    if !is_constant_name(name) {
                        names.push(name.clone());
                    }
                }
            });
            for n in names {
                if let Some(l) = self.lookup(&n) {
                    self.body.static_locals.push(l);
                }
            }
            return;
        }
        match (&pat.kind, ty) {
            (PatKind::Tuple(ps), ast::Type::Tuple(ts))
                if ps.len() == ts.len() && !ps.iter().any(is_rest) =>
            {
                for (p, t) in ps.iter().zip(ts) {
                    self.mark_static_bindings(p, t);
                }
            }
            (PatKind::Struct { path, fields, .. }, ast::Type::Path { segments, args })
                if path.len() == 1 && segments == path =>
            {
                // `let Pair { a, b }: Pair<&'static u32, u8>`: each field's type as written,
                // with the annotation's arguments.
                for (f, p) in fields {
                    if let Some(t) = super::annotations::field_type(self.index, &path[0], args, f) {
                        self.mark_static_bindings(p, &t);
                    }
                }
            }
            _ => {}
        }
    }

    fn declare_pattern(&mut self, pat: &Pat, ty: Ty) {
        match &pat.kind {
            PatKind::Binding {
                mutability,
                name,
                sub: None,
                ..
            } if !is_constant_name(name) => {
                let l = self.new_local(
                    Some(name.clone()),
                    ty,
                    *mutability == Mutability::Mut,
                    LocalKind::User,
                    pat.span,
                );
                self.never_assigned.push(l);
                self.declared_uninit.push(l);
                self.bind_name(name.clone(), l);
            }
            PatKind::Tuple(ps) => {
                for (i, p) in ps.iter().enumerate() {
                    let t = match &ty {
                        Ty::Tuple(ts) => ts.get(i).cloned().unwrap_or(Ty::Unknown),
                        _ => Ty::Unknown,
                    };
                    self.declare_pattern(p, t);
                }
            }
            // `let S { a, b: (c, d) }: S<..>;` (irrefutable only for a struct of the crate).
            PatKind::Struct { path, fields, .. }
                if self
                    .index
                    .adt(path.last().map_or("", |s| &**s))
                    .is_some_and(|a| !a.is_enum) =>
            {
                for (_, p) in fields {
                    self.declare_pattern(p, Ty::Unknown);
                }
            }
            _ => self.taint(),
        }
    }
}

/// An expression of an extending context that may borrow a temporary for the `let`'s bindings:
/// a borrow, or a tuple, array or struct literal or a tuple struct's or variant's constructor
/// (extending since Rust 1.89), which may hold one.
pub(super) fn extends_temporaries(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Ref { raw: false, .. }
        | ExprKind::Tuple(_)
        | ExprKind::Array(_)
        | ExprKind::Struct { .. } => true,
        ExprKind::Call(f, ..) => matches!(&f.kind, ExprKind::Path(segs) if segs
            .last()
            .is_some_and(|s| crate::items::display_name(s).starts_with(|c: char| c.is_uppercase()))),
        _ => false,
    }
}
