//! Lowering of one function's syntax to the control-flow graph of `mir`.
//!
//! Types come from annotations, signatures, literals, constructors, the crate index and the std
//! table. Where a fact is missing the lowering says so (`Operand::Use`, `uncertain` statements,
//! `Body::tainted`) rather than guess, so that the borrow checker stays silent there.

// Dataflow walks index parallel per-point and per-block tables by position: clearer than zips.
#![allow(clippy::needless_range_loop)]

use crate::ast::{
    self, BinOp, Block, Expr, ExprKind, FieldName, FnDef, MacroArgs, Mutability, Name, Pat,
    PatKind, Span, Stmt, UnOp,
};
use crate::errors::{BorrowError, ErrorKind, Immutable, MoveOutOf, Mutation, Pointer, Sequence};
use crate::index::{self, FnSig, Index, Receiver};
use crate::mir::*;
use crate::std_api;
use crate::ty::Ty;
use crate::Edition;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Lowered {
    pub body: Body,
    /// Errors found while lowering: they need no dataflow (mutability of places, moves out of
    /// borrows).
    pub errors: Vec<BorrowError>,
    /// The bodies of the function's closures, checked on their own.
    pub closures: Vec<Body>,
}

pub fn lower_fn(
    def: &FnDef,
    container: &ast::Container,
    index: &Index,
    edition: Edition,
) -> Lowered {
    let mut generics = [
        index.generic_copy(&def.generics),
        index.generic_copy(&container.impl_generics),
    ]
    .concat();
    let self_ty = container
        .impl_self
        .as_ref()
        .map(|t| Ty::from_ast(t, &generics, None));
    if container.trait_name.is_some() && self_ty.is_none() {
        generics.push(("Self".into(), None));
    }
    let mut cx = Lower::new(index, edition, generics, self_ty.clone());
    cx.unsafe_depth = def.is_unsafe as u32;
    cx.free_lifetimes = [
        def.generics.lifetimes.clone(),
        container.impl_generics.lifetimes.clone(),
    ]
    .concat();
    if let Some(t) = &container.impl_self {
        index::lifetimes_named(t, &mut cx.free_lifetimes);
    }
    let signature_names_static = def
        .params
        .iter()
        .map(|p| &p.ty)
        .chain(def.ret.as_ref())
        .any(index::names_static_anywhere);
    if !def.generics.has_lifetime_bounds && !signature_names_static {
        cx.unrelated_lifetimes = def.generics.lifetimes.clone();
    }
    let sig = index::signature(def, &container.impl_generics, self_ty.as_ref());
    cx.body.ret_holds_borrow = sig.ret_holds_borrow;
    cx.new_local(
        None,
        sig.ret.clone(),
        true,
        LocalKind::Return,
        def.name_span,
    );
    cx.cur = cx.new_block();
    cx.scopes.push(Scope::default());
    if let Some(sp) = &def.self_param {
        let (ty, mutable, span) = match sp {
            ast::SelfParam::Value { mutability, span } => (
                self_ty.clone().unwrap_or(Ty::Unknown),
                *mutability == Mutability::Mut,
                *span,
            ),
            ast::SelfParam::Ref {
                mutability, span, ..
            } => (
                Ty::Ref(
                    *mutability,
                    Box::new(self_ty.clone().unwrap_or(Ty::Unknown)),
                ),
                false,
                *span,
            ),
            ast::SelfParam::Typed {
                mutability,
                ty,
                span,
            } => (
                Ty::from_ast(ty, &cx.generics, self_ty.as_ref()),
                *mutability == Mutability::Mut,
                *span,
            ),
        };
        let l = cx.new_local(Some("self".into()), ty, mutable, LocalKind::Arg, span);
        cx.bind_name("self".into(), l);
    }
    let mut arg_pats = Vec::new();
    for p in &def.params {
        let ty = match &p.ty {
            // `x: impl Trait` is an anonymous type parameter.
            ast::Type::ImplTrait(bounds) => Ty::Param {
                name: "impl Trait".into(),
                copy: index.impl_trait_copy(bounds),
            },
            t => Ty::from_ast(t, &cx.generics, self_ty.as_ref()),
        };
        match &p.pat.kind {
            PatKind::Binding {
                by_ref: None,
                mutability,
                name,
                sub: None,
            } => {
                let l = cx.new_local(
                    Some(name.clone()),
                    ty,
                    *mutability == Mutability::Mut,
                    LocalKind::Arg,
                    p.pat.span,
                );
                cx.bind_name(name.clone(), l);
            }
            _ => {
                let l = cx.new_local(None, ty.clone(), false, LocalKind::Arg, p.pat.span);
                arg_pats.push((p.pat.clone(), l, ty));
            }
        }
    }
    cx.body.n_args = cx.body.locals.len() as u32 - 1;
    // Named lifetimes of the parameters and of the return type, when nothing relates them.
    let own = |t: &ast::Type| match t {
        ast::Type::Ref {
            lifetime: Some(l), ..
        } if &**l == "static" || def.generics.lifetimes.contains(l) => Some(l.clone()),
        _ => None,
    };
    if !def.generics.has_lifetime_bounds {
        if let Some(r) = def.ret.as_ref().and_then(own) {
            cx.body.ret_lifetime = Some(r);
            for (i, p) in def.params.iter().enumerate() {
                let local = Local((i + 1 + usize::from(def.self_param.is_some())) as u32);
                if let Some(l) = own(&p.ty) {
                    cx.body.arg_lifetimes.push((local, l));
                }
            }
        }
    }
    for (pat, l, ty) in arg_pats {
        cx.bind_pattern(&pat, &Place::local(l), &ty, BindMode::Move, pat.span);
    }
    match &def.body {
        Some(block) => {
            let ret = Place::local(Body::return_local());
            cx.body
                .return_exprs
                .extend(block.tail.as_ref().map(|t| t.span));
            cx.block_into(block, &ret, None);
            cx.end_statement(0, block.span);
            cx.exit_scopes_to(0, block.span);
            cx.scopes.pop();
            cx.terminate(
                Terminator::Return,
                Span::new(block.span.end, block.span.end),
            );
        }
        None => {
            cx.terminate(Terminator::Return, def.name_span);
        }
    }
    if def.is_async || def.is_const {
        cx.body.tainted = true;
    }
    if cx.lifetime_annotated {
        cx.body.ret_lifetime = None;
    }
    let errors = fold_not_mut_errors(&cx.body, cx.errors, &cx.not_mut);
    Lowered {
        body: cx.body,
        errors,
        closures: cx.closures,
    }
}

/// rustc reports several "cannot borrow `x` as mutable, as it is not declared as mutable" errors
/// on one binding as one error at the binding's declaration.
fn fold_not_mut_errors(
    body: &Body,
    errors: Vec<BorrowError>,
    not_mut: &[(Local, Span)],
) -> Vec<BorrowError> {
    let mut out = Vec::new();
    let mut done: Vec<Local> = Vec::new();
    for e in errors {
        let local = not_mut
            .iter()
            .find(|(_, sp)| *sp == e.span && e.code() == "E0596")
            .map(|(l, _)| *l)
            .filter(|l| body.local(*l).kind != LocalKind::Upvar);
        match local {
            Some(l) if not_mut.iter().filter(|(m, _)| *m == l).count() > 1 => {
                if done.contains(&l) {
                    continue;
                }
                done.push(l);
                let decl = body.local(l);
                out.push(BorrowError {
                    span: decl.span,
                    ..e
                });
            }
            _ => out.push(e),
        }
    }
    out
}

/// rustc's default `recursion_limit`, which bounds autoderef.
const AUTODEREF_LIMIT: usize = 128;

#[derive(Default)]
struct Scope {
    /// Each name's latest binding in this scope. A map, not a list: a function of 20,000 `let`s
    /// looks names up 20,000 times, and most lookups (of functions, of constants) find nothing.
    names: std::collections::HashMap<Name, Local, crate::syntax::FxBuild>,
    /// Locals whose storage ends with this scope, in declaration order.
    locals: Vec<Local>,
}

struct Breakable {
    label: Option<Name>,
    is_loop: bool,
    break_to: BlockId,
    continue_to: Option<BlockId>,
    dest: Option<Place>,
    scope_depth: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum BindMode {
    /// Bindings take the value (move or copy).
    Move,
    /// Default binding mode after matching through a reference.
    Ref(Mutability),
    /// We cannot tell whether bindings move or borrow.
    Unknown,
}

struct Lower<'a> {
    index: &'a Index,
    edition: Edition,
    generics: Vec<(Name, Option<bool>)>,
    self_ty: Option<Ty>,
    body: Body,
    errors: Vec<BorrowError>,
    cur: BlockId,
    scopes: Vec<Scope>,
    breakables: Vec<Breakable>,
    stmt_temps: Vec<Local>,
    /// Set when a place was built through a type we do not know (a field of an unknown type):
    /// accesses of it are uncertain.
    uncertain_place: bool,
    /// Locals declared by `let x;` and not yet assigned as a whole (lexically): assigning to their
    /// fields is a (rejected) initialization, E0381, not a mutability error.
    never_assigned: Vec<Local>,
    /// While binding a `match`/`if let` pattern: the scrutinee's span, where rustc reports the
    /// discriminant reads of the pattern's tests.
    match_span: Option<Span>,
    /// Locals declared by `let x;`: a macro we cannot expand may initialize any of them.
    declared_uninit: Vec<Local>,
    /// The bodies of the closures lowered so far.
    closures: Vec<Body>,
    /// The place being lowered is the left side of an assignment (E0594 rather than E0596).
    assign_ctx: bool,
    /// A `let` annotated a type with a lifetime.
    lifetime_annotated: bool,
    /// Inside a match guard: the places the match tests (E0510 when written).
    guard_tested: Vec<Place>,
    /// E0596 errors of the "not declared as mutable" kind, by local (folded at the end).
    not_mut: Vec<(Local, Span)>,
    /// Inside an `unsafe fn` or `unsafe { }` block, where raw pointers may be dereferenced (and
    /// a write through `*const` is rustc's E0594 rather than an unsafety error).
    unsafe_depth: u32,
    /// The spans of closures passed where an `Fn` closure is expected.
    fn_closures: Vec<Span>,
    /// This body is an `Fn` closure's: its captured variables cannot be mutated.
    is_fn_closure: bool,
    /// The temporaries that borrow an `Rc` or `Arc` for its deref, with the type's name (moving
    /// out of their deref is "cannot move out of an `Rc`").
    shared_ptr_temps: Vec<(Local, Name)>,
    /// The `static` items named so far, with their locals.
    statics_used: Vec<(Name, Local)>,
    /// Temporaries holding the result of a call through a fn pointer: writing through them is
    /// writing "data in a `&` reference".
    call_result_temps: Vec<Local>,
    /// The lifetimes (without the quote) that outlive the body: the function's and its impl's
    /// lifetime parameters (`'static` is always free).
    free_lifetimes: Vec<Name>,
    /// The function's own lifetime parameters that nothing relates to `'static` (no bounds, no
    /// `'static` in the signature to imply one): `&'static &'a T` is not well-formed for them.
    /// Empty in closures.
    unrelated_lifetimes: Vec<Name>,
}

/// How a method receives its receiver, after resolution.
struct Resolved {
    receiver: Receiver,
    /// Built-in derefs to apply to the receiver place before the autoref.
    derefs: usize,
    /// The autoderef passed an overloaded `Deref` (`Vec` to slice): the borrow is of the place
    /// before it and is not two-phase.
    overloaded: bool,
    ret: Ty,
    ret_borrows: bool,
    /// Indices of the arguments (without the receiver) stored into the receiver: a std
    /// container's element parameters (`Vec::push(&mut self, value: T)`).
    stores: Vec<usize>,
}

impl Resolved {
    /// A method of the crate, from its signature.
    fn from_sig(sig: &FnSig, derefs: usize, overloaded: bool) -> Resolved {
        Resolved {
            receiver: sig.receiver,
            derefs,
            overloaded,
            ret: sig.ret.clone(),
            ret_borrows: sig.ret_borrows.contains(&0) && sig.ret_holds_borrow,
            stores: sig.stores.clone(),
        }
    }
}

impl<'a> Lower<'a> {
    /// A lowering with an empty body, for a function or a closure.
    fn new(
        index: &'a Index,
        edition: Edition,
        generics: Vec<(Name, Option<bool>)>,
        self_ty: Option<Ty>,
    ) -> Lower<'a> {
        Lower {
            index,
            edition,
            generics,
            self_ty,
            body: Body::default(),
            errors: Vec::new(),
            cur: BlockId(0),
            scopes: Vec::new(),
            breakables: Vec::new(),
            stmt_temps: Vec::new(),
            uncertain_place: false,
            never_assigned: Vec::new(),
            match_span: None,
            assign_ctx: false,
            lifetime_annotated: false,
            guard_tested: Vec::new(),
            not_mut: Vec::new(),
            declared_uninit: Vec::new(),
            closures: Vec::new(),
            unsafe_depth: 0,
            fn_closures: Vec::new(),
            is_fn_closure: false,
            shared_ptr_temps: Vec::new(),
            statics_used: Vec::new(),
            call_result_temps: Vec::new(),
            free_lifetimes: Vec::new(),
            unrelated_lifetimes: Vec::new(),
        }
    }

    // ---- building blocks -------------------------------------------------------------------

    fn new_local(
        &mut self,
        name: Option<Name>,
        ty: Ty,
        mutable: bool,
        kind: LocalKind,
        span: Span,
    ) -> Local {
        let ty = self.index.expand_aliases(ty);
        self.body.locals.push(LocalDecl {
            name,
            ty,
            mutable,
            kind,
            span,
            is_statement_temp: false,
        });
        Local(self.body.locals.len() as u32 - 1)
    }

    fn temp(&mut self, ty: Ty, span: Span) -> Local {
        self.new_local(None, ty, true, LocalKind::Temp, span)
    }

    fn new_block(&mut self) -> BlockId {
        self.body.blocks.push(BasicBlock {
            stmts: Vec::new(),
            term: Terminator::Unreachable,
            term_span: Span::default(),
        });
        BlockId(self.body.blocks.len() as u32 - 1)
    }

    fn push(&mut self, kind: StatementKind, span: Span, uncertain: bool) {
        let uncertain = uncertain || (!self.statics_used.is_empty() && self.names_static(&kind));
        let b = self.cur.0 as usize;
        self.body.blocks[b].stmts.push(Statement {
            kind,
            span,
            uncertain,
        });
    }

    fn assign(&mut self, place: Place, rv: Rvalue, span: Span, uncertain: bool) {
        self.push(StatementKind::Assign(place, rv), span, uncertain);
    }

    /// Ends the current block; code after it lands in a fresh unreachable block.
    fn terminate(&mut self, term: Terminator, span: Span) {
        let b = self.cur.0 as usize;
        self.body.blocks[b].term = term;
        self.body.blocks[b].term_span = span;
        self.cur = self.new_block();
    }

    fn goto(&mut self, target: BlockId, span: Span) {
        let b = self.cur.0 as usize;
        self.body.blocks[b].term = Terminator::Goto(target);
        self.body.blocks[b].term_span = span;
        self.cur = target;
    }

    fn jump(&mut self, target: BlockId, span: Span) {
        self.terminate(Terminator::Goto(target), span);
    }

    fn bind_name(&mut self, name: Name, l: Local) {
        self.scopes.last_mut().unwrap().names.insert(name, l);
        self.scopes.last_mut().unwrap().locals.push(l);
    }

    fn lookup(&self, name: &str) -> Option<Local> {
        for s in self.scopes.iter().rev() {
            if let Some(l) = s.names.get(name) {
                return Some(*l);
            }
        }
        None
    }

    fn push_scope(&mut self) {
        self.scopes.push(Scope::default());
    }

    /// Ends the innermost scope: storage of its locals ends, last declared first.
    fn pop_scope(&mut self, span: Span) {
        let s = self.scopes.pop().unwrap();
        for l in s.locals.iter().rev() {
            self.push(StatementKind::StorageDead(*l), span, false);
        }
    }

    /// Emits the storage ends of every scope deeper than `depth` (for `break`, `return`).
    fn exit_scopes_to(&mut self, depth: usize, span: Span) {
        let mut dead = Vec::new();
        for s in self.scopes[depth..].iter().rev() {
            dead.extend(s.locals.iter().rev().copied());
        }
        for l in dead {
            self.push(StatementKind::StorageDead(l), span, false);
        }
    }

    /// Ends the temporaries created since `mark` (the start of the statement).
    fn end_statement(&mut self, mark: usize, span: Span) {
        let temps = self.stmt_temps.split_off(mark.min(self.stmt_temps.len()));
        for l in temps.into_iter().rev() {
            self.push(
                StatementKind::StorageDead(l),
                Span::new(span.end, span.end),
                false,
            );
        }
    }

    /// Emits the storage ends of `temps`, last created first, without forgetting them (for a
    /// scope left on several paths).
    fn kill_temps(&mut self, temps: &[Local], span: Span) {
        for &l in temps.iter().rev() {
            self.push(
                StatementKind::StorageDead(l),
                Span::new(span.end, span.end),
                false,
            );
        }
    }

    /// Whether a statement reads, writes or borrows a `static` item: nothing of it is tracked.
    fn names_static(&self, kind: &StatementKind) -> bool {
        let is_static = |p: &Place| self.body.locals[p.local.0 as usize].kind == LocalKind::Static;
        let op = |o: &Operand| o.place().is_some_and(is_static);
        match kind {
            StatementKind::Assign(p, rv) => {
                is_static(p)
                    || match rv {
                        Rvalue::Use(o) => op(o),
                        Rvalue::Ref(_, q) => is_static(q),
                        Rvalue::Aggregate(os) | Rvalue::Opaque(os) => os.iter().any(op),
                    }
            }
            StatementKind::FakeRead(p)
            | StatementKind::Discriminant(p)
            | StatementKind::Flow(p, _) => is_static(p),
            StatementKind::Eval(o) => op(o),
            StatementKind::StorageDead(_) | StatementKind::MaybeInit(_) => false,
        }
    }

    /// A `static` item of the crate that `name` refers to here (no binding shadows it).
    fn is_static(&self, name: &str) -> bool {
        self.lookup(name).is_none() && self.index.static_item(name).is_some()
    }

    /// The local standing for the `static` item `name`, created on first use.
    fn static_local(&mut self, name: &Name) -> Option<Local> {
        if !self.is_static(name) {
            return None;
        }
        if let Some((_, l)) = self.statics_used.iter().find(|(n, _)| n == name) {
            return Some(*l);
        }
        let (mutable, ty) = self.index.static_item(name)?.clone();
        let l = self.new_local(
            Some(name.clone()),
            ty,
            mutable,
            LocalKind::Static,
            Span::new(0, 0),
        );
        self.statics_used.push((name.clone(), l));
        Some(l)
    }

    fn taint(&mut self) {
        self.body.tainted = true;
    }

    // ---- types -----------------------------------------------------------------------------

    fn local_ty(&self, l: Local) -> Ty {
        self.body.locals[l.0 as usize].ty.clone()
    }

    /// The type of a place, walking its projections.
    fn place_ty(&self, p: &Place) -> Ty {
        crate::mir::place_ty::place_ty(&self.body, self.index, p)
    }

    fn field_ty(&self, ty: &Ty, f: &FieldName) -> Ty {
        crate::ty::field_ty(self.index, ty, f)
    }

    /// The field types of variant `name` of the crate's enum `ty` (none generic).
    fn variant_fields(&self, ty: &Ty, name: &str) -> Option<Vec<(FieldName, Ty)>> {
        let Ty::Adt { name: e, args, .. } = ty else {
            return None;
        };
        let adt = self.index.adt(e).filter(|a| a.is_enum && !a.opaque)?;
        let fs = adt.variants.iter().find(|(v, _)| &**v == name)?.1.clone();
        if !args.is_empty() && fs.iter().any(|(_, t)| t.has_params()) {
            return None;
        }
        Some(
            fs.into_iter()
                .map(|(f, t)| (f, if t.has_params() { Ty::Unknown } else { t }))
                .collect(),
        )
    }

    fn is_copy(&self, ty: &Ty) -> Option<bool> {
        ty.is_copy(self.index)
    }

    /// The operand that reads a place by value.
    fn operand_of(&self, place: Place) -> Operand {
        let ty = self.place_ty(&place);
        if matches!(ty, Ty::Ref(Mutability::Mut, _)) {
            // Where a `&mut` is expected it is reborrowed, elsewhere moved: we cannot tell.
            return Operand::Use(place);
        }
        match self.is_copy(&ty) {
            Some(true) => Operand::Copy(place),
            Some(false) => Operand::Move(place),
            None => Operand::Use(place),
        }
    }

    /// Type of an expression without lowering it (for method resolution before lowering the
    /// receiver).
    fn infer(&self, e: &Expr) -> Ty {
        match &e.kind {
            ExprKind::Path(segs) if segs.len() == 1 => match self.lookup(&segs[0]) {
                Some(l) => self.local_ty(l),
                None if self.is_static(&segs[0]) => self
                    .index
                    .static_item(&segs[0])
                    .map_or(Ty::Unknown, |(_, t)| t.clone()),
                // A unit struct of the crate.
                None => match self.index.adt(&segs[0]) {
                    Some(a) if !a.is_enum && !a.opaque && a.fields.is_empty() => Ty::Adt {
                        name: segs[0].clone(),
                        args: vec![],
                        lifetimes: 0,
                    },
                    _ => Ty::Unknown,
                },
            },
            ExprKind::Lit(l) => lit_ty(l),
            ExprKind::Unary(UnOp::Deref, inner) => self.infer(inner).deref().unwrap_or(Ty::Unknown),
            ExprKind::Unary(_, inner) => match self.infer(inner) {
                t @ Ty::Prim(_) => t,
                _ => Ty::Unknown,
            },
            ExprKind::Ref {
                mutability,
                raw: false,
                expr,
            } => Ty::Ref(*mutability, Box::new(self.infer(expr))),
            ExprKind::Field(base, f) => {
                let mut t = self.infer(base);
                while let Ty::Ref(_, inner) = &t {
                    t = (**inner).clone();
                }
                if let Some(inner) = box_inner(&t) {
                    t = inner;
                }
                self.field_ty(&t, f)
            }
            ExprKind::Index(base, idx) => {
                if matches!(idx.kind, ExprKind::Range { .. }) {
                    return Ty::Unknown;
                }
                let mut t = self.infer(base);
                while let Ty::Ref(_, inner) = &t {
                    t = (**inner).clone();
                }
                t.index_elem().unwrap_or(Ty::Unknown)
            }
            ExprKind::Tuple(es) => Ty::Tuple(es.iter().map(|e| self.infer(e)).collect()),
            ExprKind::Cast(_, t) => Ty::from_ast(t, &self.generics, self.self_ty.as_ref()),
            ExprKind::Binary(op, a, _) => match op {
                BinOp::Eq
                | BinOp::Ne
                | BinOp::Lt
                | BinOp::Le
                | BinOp::Gt
                | BinOp::Ge
                | BinOp::And
                | BinOp::Or => Ty::prim("bool"),
                _ => match self.infer(a) {
                    t @ Ty::Prim(_) => t,
                    _ => Ty::Unknown,
                },
            },
            ExprKind::Call(f, args, ..) => self.call_ty(f, args),
            ExprKind::MethodCall {
                receiver, method, ..
            } => {
                let rt = self.infer(receiver);
                self.resolve_method(&rt, method)
                    .map_or(Ty::Unknown, |r| r.ret)
            }
            ExprKind::Macro(m) if m.qualified => Ty::Unknown,
            ExprKind::Macro(m) => match &*m.name {
                "format" => Ty::adt("String", vec![]),
                "vec" => match &m.args {
                    MacroArgs::Exprs(es) if !es.is_empty() => {
                        Ty::adt("Vec", vec![self.infer(&es[0])])
                    }
                    MacroArgs::Repeat(e, _) => Ty::adt("Vec", vec![self.infer(e)]),
                    _ => Ty::adt("Vec", vec![Ty::Unknown]),
                },
                _ => Ty::Unknown,
            },
            ExprKind::Struct { path, fields, .. } => {
                let ty = self.path_adt(path);
                if !self.is_generic_adt(&ty) {
                    return ty;
                }
                let given: Vec<(FieldName, Ty)> = fields
                    .iter()
                    .map(|(f, e)| (f.clone(), self.infer(e)))
                    .collect();
                self.instantiate(ty, path.last(), &given)
            }
            ExprKind::Array(es) => Ty::Array(
                Box::new(es.first().map_or(Ty::Unknown, |e| self.infer(e))),
                Some(es.len() as u64),
            ),
            ExprKind::Block { block, .. } => match &block.tail {
                Some(t) if block.stmts.is_empty() => self.infer(t),
                _ => Ty::Unknown,
            },
            _ => Ty::Unknown,
        }
    }

    fn path_adt(&self, path: &[Name]) -> Ty {
        let Some(last) = path.last() else {
            return Ty::Unknown;
        };
        if &**last == "Self" {
            return self.self_ty.clone().unwrap_or(Ty::Unknown);
        }
        if let Some(a) = self.index.adt(last) {
            if !a.is_enum {
                return Ty::Adt {
                    name: last.clone(),
                    args: vec![Ty::Unknown; a.params.len()],
                    lifetimes: a.lifetimes,
                };
            }
        }
        if path.len() >= 2 {
            let owner = &path[path.len() - 2];
            if let Some(a) = self.index.adt(owner) {
                if a.is_enum {
                    return Ty::Adt {
                        name: owner.clone(),
                        args: vec![Ty::Unknown; a.params.len()],
                        lifetimes: a.lifetimes,
                    };
                }
            }
        }
        Ty::Unknown
    }

    /// The crate's generic type `ty` (arguments unknown) built from `given` fields of its
    /// struct or of its variant `variant`: each type parameter that a field's type is is that
    /// field's value's type (`Single { value: &x }` is a `Single<&i32>`).
    fn instantiate(&self, ty: Ty, variant: Option<&Name>, given: &[(FieldName, Ty)]) -> Ty {
        let Ty::Adt {
            name, lifetimes, ..
        } = &ty
        else {
            return ty;
        };
        let Some(a) = self
            .index
            .adt(name)
            .filter(|a| !a.opaque && !a.params.is_empty())
        else {
            return ty;
        };
        let decl: &[(FieldName, Ty)] = if a.is_enum {
            match a.variants.iter().find(|(v, _)| Some(v) == variant) {
                Some((_, fs)) => fs,
                None => return ty,
            }
        } else {
            &a.fields
        };
        let args = a
            .params
            .iter()
            .map(|p| {
                decl.iter()
                    .find_map(|(f, t)| match t {
                        Ty::Param { name, .. } if name == p => {
                            given.iter().find(|(g, _)| g == f).map(|(_, t)| t.clone())
                        }
                        _ => None,
                    })
                    .unwrap_or(Ty::Unknown)
            })
            .collect();
        Ty::Adt {
            name: name.clone(),
            args,
            lifetimes: *lifetimes,
        }
    }

    /// The result type of `f(args)` when known.
    fn call_ty(&self, f: &Expr, args: &[Expr]) -> Ty {
        let ExprKind::Path(segs) = &f.kind else {
            return Ty::Unknown;
        };
        if segs.iter().any(|s| self.index.is_shadowed(s)) {
            return Ty::Unknown;
        }
        match segs.iter().map(|s| &**s).collect::<Vec<_>>().as_slice() {
            ["Some"] => Ty::adt(
                "Option",
                vec![args.first().map_or(Ty::Unknown, |a| self.infer(a))],
            ),
            ["Box", "new"] => Ty::adt(
                "Box",
                vec![args.first().map_or(Ty::Unknown, |a| self.infer(a))],
            ),
            ["Rc" | "Arc" | "RefCell" | "Cell" | "Mutex" | "RwLock", "new"] => Ty::adt(
                &segs[0],
                vec![args.first().map_or(Ty::Unknown, |a| self.infer(a))],
            ),
            ["String", "new" | "from" | "with_capacity"] => Ty::adt("String", vec![]),
            ["Vec" | "VecDeque", "new" | "with_capacity"] => Ty::adt(&segs[0], vec![Ty::Unknown]),
            ["HashMap" | "BTreeMap", "new"] => Ty::adt(&segs[0], vec![Ty::Unknown, Ty::Unknown]),
            ["HashSet" | "BTreeSet", "new"] => Ty::adt(&segs[0], vec![Ty::Unknown]),
            [name] if self.lookup(name).is_none() => {
                if let Some(sig) = self.index.function(name) {
                    if let (Ty::Unknown, Some(i)) = (&sig.ret, sig.ret_param) {
                        return args.get(i).map_or(Ty::Unknown, |a| self.infer(a));
                    }
                    return sig.ret.clone();
                }
                if self.index.adt(name).is_some_and(|a| !a.is_enum) {
                    let ty = self.path_adt(&segs[..]);
                    if !self.is_generic_adt(&ty) {
                        return ty;
                    }
                    let given = self.positional(args);
                    return self.instantiate(ty, None, &given);
                }
                Ty::Unknown
            }
            // `module::Type::f`: another module's type of that name may differ from ours.
            [owner, name] => {
                let owner_ty = if *owner == "Self" {
                    self.self_ty.clone()
                } else {
                    self.index.adt(owner).map(|a| Ty::Adt {
                        name: (*owner).into(),
                        args: vec![],
                        lifetimes: a.lifetimes,
                    })
                };
                if let Some(a) = self.index.adt(owner) {
                    if a.is_enum {
                        let given = if a.params.is_empty() {
                            Vec::new()
                        } else {
                            self.positional(args)
                        };
                        let ty = Ty::Adt {
                            name: (*owner).into(),
                            args: vec![Ty::Unknown; a.params.len()],
                            lifetimes: a.lifetimes,
                        };
                        return self.instantiate(ty, Some(&segs[1]), &given);
                    }
                }
                let oname = owner_ty
                    .as_ref()
                    .and_then(|t| t.adt_name())
                    .unwrap_or(owner);
                if let Some(sig) = self.index.method(oname, name) {
                    return sig.ret.clone();
                }
                Ty::Unknown
            }
            _ => Ty::Unknown,
        }
    }

    /// Whether `ty` is one of the crate's types with type parameters (worth inferring its
    /// arguments for).
    fn is_generic_adt(&self, ty: &Ty) -> bool {
        ty.adt_name()
            .and_then(|n| self.index.adt(n))
            .is_some_and(|a| !a.params.is_empty() && !a.opaque)
    }

    /// The types of a constructor's arguments, as the fields `0`, `1`, ...
    fn positional(&self, args: &[Expr]) -> Vec<(FieldName, Ty)> {
        args.iter()
            .enumerate()
            .map(|(i, a)| (FieldName::Index(i as u32), self.infer(a)))
            .collect()
    }

    /// Finds a method through the autoderef steps of the receiver type.
    fn resolve_method(&self, recv: &Ty, method: &str) -> Option<Resolved> {
        let mut ty = recv.clone();
        let mut derefs = 0;
        let mut overloaded = false;
        for _ in 0..4 {
            match &ty {
                Ty::Ref(_, inner) => {
                    ty = (**inner).clone();
                    derefs += 1;
                    continue;
                }
                Ty::Dyn(tr) => {
                    // A method of a crate trait through `dyn Trait`.
                    let sig = self.index.method(tr, method)?;
                    return Some(Resolved::from_sig(sig, derefs, overloaded));
                }
                Ty::Unknown | Ty::Opaque | Ty::Param { .. } => return None,
                _ => {}
            }
            // A user type: the crate's own methods.
            if let Ty::Adt { name, .. } = &ty {
                if self.index.adt(name).is_some() {
                    if let Some(sig) = self.index.method(name, method) {
                        return Some(Resolved::from_sig(sig, derefs, overloaded));
                    }
                    if let Some(target) = self.index.deref_target(&ty) {
                        // Through the crate's own `Deref`: one overloaded step, a borrow of the
                        // value before it.
                        if overloaded || self.index.adt(name).is_some_and(|a| a.opaque) {
                            return None;
                        }
                        overloaded = true;
                        ty = target;
                        continue;
                    }
                    if method == "clone" && ty.is_copy(self.index).is_some() {
                        // Derived `Clone`.
                        return Some(Resolved {
                            receiver: Receiver::Ref,
                            derefs,
                            overloaded,
                            ret: ty.clone(),
                            ret_borrows: false,
                            stores: Vec::new(),
                        });
                    }
                    return None;
                }
            }
            if self.index.defines_method_named(method) {
                // A trait of the crate may add this method to std types.
                return None;
            }
            if ty.adt_name().is_some_and(|n| self.index.is_shadowed(n)) {
                return None;
            }
            let owner = std_owner(&ty)?;
            // `IntoIterator::into_iter(self)` on an owned std collection moves it. Only without
            // autoderef: on `&Vec` the by-value method is the reference's own impl.
            let into_iter = (method == "into_iter"
                && derefs == 0
                && !overloaded
                && matches!(
                    owner,
                    "Vec"
                        | "VecDeque"
                        | "HashMap"
                        | "HashSet"
                        | "BTreeMap"
                        | "BTreeSet"
                        | "Option"
                        | "Result"
                ))
            .then(|| std_api::lookup("IntoIterator", "into_iter"))
            .flatten();
            let found = into_iter
                .or_else(|| std_api::lookup(owner, method))
                .or_else(|| {
                    [
                        "Clone",
                        "ToString",
                        "ToOwned",
                        "PartialEq",
                        "PartialOrd",
                        "Ord",
                        "AsRef",
                    ]
                    .iter()
                    .find_map(|t| std_api::lookup(t, method))
                    .filter(|m| m.owner != "ToOwned" || owner != "str" || m.name != "to_owned")
                });
            if let Some(m) = found {
                if m.is_unsafe {
                    return None;
                }
                let receiver = match m.receiver {
                    std_api::Receiver::None => return None,
                    std_api::Receiver::Value => Receiver::Value,
                    std_api::Receiver::Ref => Receiver::Ref,
                    std_api::Receiver::RefMut => Receiver::RefMut,
                };
                let ret = parse_ret(m.ret, &ty);
                let container = matches!(
                    ty.adt_name(),
                    Some(
                        "Vec"
                            | "VecDeque"
                            | "HashMap"
                            | "HashSet"
                            | "BTreeMap"
                            | "BTreeSet"
                            | "BinaryHeap"
                    )
                );
                let stores = if container && receiver == Receiver::RefMut {
                    m.params
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| matches!(**p, "T" | "K" | "V"))
                        .map(|(i, _)| i)
                        .collect()
                } else {
                    Vec::new()
                };
                return Some(Resolved {
                    receiver,
                    derefs,
                    overloaded,
                    ret,
                    ret_borrows: m.ret_borrow != std_api::RetBorrow::None,
                    stores,
                });
            }
            // Overloaded deref to the std target.
            let next = match &ty {
                Ty::Adt { name, args, .. } => match &**name {
                    "Vec" => Ty::Slice(Box::new(args.first().cloned().unwrap_or(Ty::Unknown))),
                    "String" => Ty::Str,
                    "Box" => {
                        ty = args.first().cloned().unwrap_or(Ty::Unknown);
                        derefs += 1;
                        continue;
                    }
                    _ => return None,
                },
                Ty::Array(t, _) => {
                    // Unsizing to a slice is a built-in coercion of the autoref.
                    let t = Ty::Slice(t.clone());
                    ty = t;
                    continue;
                }
                _ => return None,
            };
            if overloaded {
                return None;
            }
            overloaded = true;
            ty = next;
        }
        None
    }

    // ---- statements and blocks -------------------------------------------------------------

    /// Lowers a block, writing its value into `dest`.
    fn block_into(&mut self, block: &Block, dest: &Place, label: Option<&Name>) {
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
                let mark = self.stmt_temps.len();
                let t = self.temp(Ty::Unknown, expr.span);
                self.expr_into(expr, &Place::local(t));
                self.end_statement(mark, expr.span);
            }
            Stmt::Let {
                pat,
                ty,
                init,
                else_block,
                span,
            } => {
                let ty_ast = ty.as_ref();
                if let Some(t) = ty_ast {
                    self.check_static_outlives(t, *span);
                }
                if ty_ast.is_some_and(index::names_lifetime) {
                    // rustc reports lifetime errors at such annotations, not at the return.
                    self.lifetime_annotated = true;
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
                        // `let PAT = place` reads the place even when PAT binds nothing (`let _ = r`
                        // keeps `r` alive).
                        self.push(StatementKind::FakeRead(place.clone()), init.span, false);
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
    fn expr_into_extended(&mut self, init: &Expr, dest: &Place) {
        // `let x = (&temp(), ..)`: the extension reaches into tuple, array and struct literals.
        match &init.kind {
            ExprKind::Tuple(es) | ExprKind::Array(es)
                if es.iter().any(|e| {
                    matches!(
                        e.kind,
                        ExprKind::Ref { .. } | ExprKind::Tuple(_) | ExprKind::Array(_)
                    )
                }) =>
            {
                let mut ops = Vec::new();
                for e in es {
                    let t = self.temp(self.infer(e), e.span);
                    self.expr_into_extended(e, &Place::local(t));
                    ops.push(Operand::Move(Place::local(t)));
                }
                self.assign(dest.clone(), Rvalue::Aggregate(ops), init.span, false);
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
                self.expr_into(expr, &Place::local(t));
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

    /// A written `&'static T` is well-formed only if every lifetime in `T` outlives `'static`:
    /// not so for the function's lifetime parameters that nothing relates to `'static`.
    fn check_static_outlives(&mut self, t: &ast::Type, span: Span) {
        if self.unrelated_lifetimes.is_empty() {
            return;
        }
        let mut found = false;
        index::walk_type(t, &mut |t| {
            if let ast::Type::Ref {
                lifetime: Some(l),
                inner,
                ..
            } = t
            {
                if &**l == "static" {
                    let mut inner_lifetimes = Vec::new();
                    index::lifetimes_named(inner, &mut inner_lifetimes);
                    found |= inner_lifetimes
                        .iter()
                        .any(|l| self.unrelated_lifetimes.contains(l));
                }
            }
        });
        if found {
            self.errors.push(BorrowError {
                span,
                kind: ErrorKind::StaticOutlives,
            });
        }
    }

    /// A value built or matched as `path::<generics>` (a constructor, a struct literal or
    /// pattern with turbofish) has the type those arguments give the crate's type it names: when
    /// all its regions outlive the body, so must what `place` holds.
    fn annotated_value(&mut self, path: &[Name], generics: &[ast::GenericArg], place: &Place) {
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
    fn all_free(&self, t: &ast::Type) -> bool {
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
            _ => self.taint(),
        }
    }

    // ---- expressions -----------------------------------------------------------------------

    fn is_place_expr(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Path(s) => {
                s.len() == 1 && (self.lookup(&s[0]).is_some() || self.is_static(&s[0]))
            }
            // A field of a value expression is a field of its temporary: a place too.
            ExprKind::Field(..) => true,
            ExprKind::Index(..) | ExprKind::Unary(UnOp::Deref, _) => true,
            _ => false,
        }
    }

    fn ensure_place(&mut self, p: Option<Place>, ty: Ty, span: Span) -> Place {
        match p {
            Some(p) => p,
            None => Place::local(self.temp(ty, span)),
        }
    }

    /// `*base` through the crate's own `Deref` (or `DerefMut` when `mutable` and implemented):
    /// a borrow of `base` into a temporary reference to `target`, then its deref.
    fn crate_deref(
        &mut self,
        base: Place,
        name: &str,
        target: &Ty,
        mutable: bool,
        span: Span,
    ) -> Place {
        let deref_mut = mutable && self.index.implements(name, "DerefMut");
        if mutable && !deref_mut {
            self.uncertain_place = true;
        }
        let m = if deref_mut {
            Mutability::Mut
        } else {
            Mutability::Not
        };
        if deref_mut {
            // `DerefMut::deref_mut(&mut x)`: `x` must be mutable.
            self.check_mutable(&base, span, true);
        }
        let t = self.temp(Ty::Ref(m, Box::new(target.clone())), span);
        self.assign(
            Place::local(t),
            Rvalue::Ref(borrow_kind(m, false), base),
            span,
            false,
        );
        Place::local(t).deref()
    }

    /// `*base` through the `Deref` of std's `Rc`, `Arc`, `String` or `Vec` (`name`, the type of
    /// `base` being `bt`): a borrow of `base` into a temporary reference, then its deref. `Rc` and
    /// `Arc` have no `DerefMut` (E0596/E0594 at `span` when `mutable`).
    fn std_deref(
        &mut self,
        base: Place,
        bt: &Ty,
        name: &str,
        mutable: bool,
        span: Span,
        borrow_span: Span,
    ) -> Place {
        let shared_only = matches!(name, "Rc" | "Arc") && !self.index.is_shadowed(name);
        if mutable && shared_only {
            self.push_no_deref_mut(
                Immutable::SharedPointer {
                    pointer: name.into(),
                },
                span,
            );
        }
        let t = self.temp(
            Ty::Ref(Mutability::Not, Box::new(bt.deref().unwrap_or(Ty::Unknown))),
            span,
        );
        if shared_only {
            self.shared_ptr_temps.push((t, name.into()));
        }
        let kind = if mutable && !shared_only {
            BorrowKind::Mut { two_phase: false }
        } else {
            BorrowKind::Shared
        };
        self.assign(
            Place::local(t),
            Rvalue::Ref(kind, base),
            borrow_span,
            mutable && shared_only,
        );
        Place::local(t).deref()
    }

    /// Lowers an expression that denotes a place. For value expressions, evaluates them into a
    /// temporary and returns it. `mutable` says the place will be written or mutably borrowed
    /// (it picks `IndexMut` over `Index`).
    fn expr_place(&mut self, e: &Expr, mutable: bool) -> Option<Place> {
        match &e.kind {
            ExprKind::Path(segs) if segs.len() == 1 => {
                if let Some(l) = self.lookup(&segs[0]) {
                    return Some(Place::local(l));
                }
                if let Some(l) = self.static_local(&segs[0]) {
                    return Some(Place::local(l));
                }
            }
            ExprKind::Unary(UnOp::Deref, inner) => {
                let base = self.expr_place(inner, false)?;
                let bt = self.place_ty(&base);
                return Some(match bt {
                    Ty::Ref(..) | Ty::RawPtr(..) => base.deref(),
                    Ty::Adt { ref name, .. } if &**name == "Box" => base.deref(),
                    Ty::Adt { ref name, .. }
                        if matches!(&**name, "Rc" | "Arc" | "String" | "Vec") =>
                    {
                        self.std_deref(base, &bt, name, mutable, e.span, inner.span)
                    }
                    Ty::Adt { ref name, .. }
                        if self.index.adt(name).is_some_and(|a| !a.opaque)
                            && self.index.deref_target(&bt).is_some() =>
                    {
                        let target = self.index.deref_target(&bt).unwrap();
                        self.crate_deref(base, name, &target, mutable, inner.span)
                    }
                    _ => {
                        self.uncertain_place = true;
                        base.deref()
                    }
                });
            }
            ExprKind::Field(base_e, f) => {
                let mut base = self.expr_place(base_e, mutable)?;
                // rustc stops autoderef at the recursion limit (E0055), and a crate's `Deref` may
                // lead back to its own type: past the limit the body is not valid Rust.
                // Each step derefs the type of the step before, not the whole place again.
                let mut steps = 0;
                let mut bt = self.place_ty(&base);
                loop {
                    steps += 1;
                    if steps > AUTODEREF_LIMIT {
                        self.uncertain_place = true;
                        self.taint();
                        break;
                    }
                    match bt {
                        Ty::Ref(..) => base = base.deref(),
                        Ty::Adt { ref name, .. } if &**name == "Box" => base = base.deref(),
                        Ty::Adt { ref name, .. }
                            if matches!(&**name, "Rc" | "Arc")
                                && !self.index.is_shadowed(name)
                                && self.index.adt(name).is_none() =>
                        {
                            base = self.std_deref(base, &bt, name, mutable, e.span, base_e.span);
                            bt = bt.deref().unwrap_or(Ty::Unknown);
                            continue;
                        }
                        Ty::Unknown | Ty::Opaque | Ty::Dyn(_) | Ty::Param { .. } => {
                            self.uncertain_place = true;
                            break;
                        }
                        Ty::Adt { ref name, .. } => {
                            // A field the type does not declare is reached through `Deref`.
                            let adt = self.index.adt(name).filter(|a| !a.opaque);
                            let declared =
                                adt.is_some_and(|a| a.fields.iter().any(|(n, _)| n == f));
                            if !declared {
                                if let (Some(_), Some(target)) = (adt, self.index.deref_target(&bt))
                                {
                                    base =
                                        self.crate_deref(base, name, &target, mutable, base_e.span);
                                    bt = target;
                                    continue;
                                }
                                self.uncertain_place = true;
                            }
                            break;
                        }
                        _ => break,
                    }
                    bt = bt.deref().unwrap_or(Ty::Unknown);
                }
                return Some(base.project(Proj::Field(f.clone())));
            }
            ExprKind::Index(base_e, idx) => {
                let bt = self.infer(base_e);
                let mut inner = bt.clone();
                let mut derefs = 0;
                while let Ty::Ref(_, t) = &inner {
                    inner = (**t).clone();
                    derefs += 1;
                }
                let is_range = matches!(idx.kind, ExprKind::Range { .. });
                match &inner {
                    Ty::Array(..) | Ty::Slice(_) if !is_range => {
                        let mut base = self.expr_place(base_e, mutable)?;
                        for _ in 0..derefs {
                            base = base.deref();
                        }
                        let i = self.expr_operand(idx);
                        self.push(StatementKind::Eval(i), idx.span, false);
                        return Some(base.project(Proj::Index));
                    }
                    Ty::Adt { name, .. }
                        if matches!(
                            &**name,
                            "Vec" | "VecDeque" | "String" | "HashMap" | "BTreeMap"
                        ) || self.index.implements(name, "Index")
                            || (is_range
                                && matches!(inner, Ty::Array(..) | Ty::Slice(_) | Ty::Str)) =>
                    {
                        // Overloaded `Index`/`IndexMut`: a borrow of the whole container.
                        let user = self.index.adt(name).is_some();
                        let no_index_mut = if user {
                            !self.index.implements(name, "IndexMut")
                        } else {
                            matches!(&**name, "HashMap" | "BTreeMap")
                                && !self.index.is_shadowed(name)
                        };
                        if mutable && no_index_mut {
                            let why = Immutable::NoIndexMut {
                                container: crate::ty::display(&inner),
                            };
                            self.push_no_deref_mut(why, e.span);
                            self.uncertain_place = true;
                        }
                        let mutable = mutable && !no_index_mut;
                        let mut base = self.expr_place(base_e, mutable)?;
                        for _ in 0..derefs {
                            base = base.deref();
                        }
                        let m = if mutable {
                            Mutability::Mut
                        } else {
                            Mutability::Not
                        };
                        let r = self.temp(Ty::Ref(m, Box::new(inner.clone())), base_e.span);
                        let elem_name = format!("{}[_]", describe_place(&self.body, &base));
                        self.assign(
                            Place::local(r),
                            Rvalue::Ref(borrow_kind(m, false), base),
                            base_e.span,
                            false,
                        );
                        let i = self.expr_operand(idx);
                        let elem = if is_range {
                            Ty::Unknown
                        } else {
                            inner.index_elem().unwrap_or(Ty::Unknown)
                        };
                        let out = self.temp(Ty::Ref(m, Box::new(elem)), e.span);
                        // Named after the element it points to, for messages (`v[_]`).
                        self.body.locals[out.0 as usize].name = Some(elem_name.into());
                        self.call(
                            vec![Operand::Move(Place::local(r)), i],
                            Place::local(out),
                            vec![0],
                            e.span,
                        );
                        return Some(Place::local(out).deref());
                    }
                    Ty::Array(..) | Ty::Slice(_) | Ty::Str => {
                        let mut base = self.expr_place(base_e, mutable)?;
                        for _ in 0..derefs {
                            base = base.deref();
                        }
                        let i = self.expr_operand(idx);
                        self.push(StatementKind::Eval(i), idx.span, false);
                        return Some(base.project(Proj::Subslice));
                    }
                    _ => {
                        let base = self.expr_place(base_e, mutable)?;
                        let i = self.expr_operand(idx);
                        self.push(StatementKind::Eval(i), idx.span, false);
                        self.uncertain_place = true;
                        return Some(base.project(Proj::Index));
                    }
                }
            }
            _ => {}
        }
        let ty = self.infer(e);
        let t = self.temp(ty, e.span);
        self.expr_into(e, &Place::local(t));
        Some(Place::local(t))
    }

    /// Lowers an expression to an operand.
    fn expr_operand(&mut self, e: &Expr) -> Operand {
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
            return op;
        }
        let ty = self.infer(e);
        let t = self.temp(ty, e.span);
        self.expr_into(e, &Place::local(t));
        Operand::Move(Place::local(t))
    }

    /// E0510: a match guard writes (or mutably borrows) a place the match tests, or a prefix of
    /// one.
    fn check_guard_write(&mut self, place: &Place, span: Span, action: Mutation) {
        if self.guard_tested.iter().any(|t| place.is_prefix_of(t)) {
            let place = self.describe(place);
            self.errors.push(BorrowError {
                span,
                kind: ErrorKind::MutatedInGuard { action, place },
            });
        }
    }

    /// E0596 / E0594 for data behind a shared-only smart pointer or index (`Rc`, `HashMap[..]`):
    /// borrow or assignment depending on the context the place is lowered in.
    fn push_no_deref_mut(&mut self, why: Immutable, span: Span) {
        let action = if self.assign_ctx {
            Mutation::Assign
        } else {
            Mutation::Borrow
        };
        self.errors.push(BorrowError {
            span,
            kind: ErrorKind::NotMutable { action, why },
        });
    }

    /// A call argument: a place is moved (or copied) into a temporary at the argument's own span,
    /// as MIR does, so that errors point at the argument.
    fn arg_operand(&mut self, e: &Expr) -> Operand {
        let op = self.expr_operand(e);
        // A `&mut` passed where a `&mut` is expected is reborrowed, not moved; for a generic
        // parameter it is moved. We cannot tell which.
        let op = match op {
            Operand::Move(p) if matches!(self.place_ty(&p), Ty::Ref(Mutability::Mut, _)) => {
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
                Operand::Move(Place::local(t))
            }
            _ => op,
        }
    }

    /// E0507 / E0508: moving out of a place behind a reference or out of an array or slice
    /// element. Returns false when the move is an error (so it is not recorded as a move).
    fn check_move_out(&mut self, op: &Operand, span: Span) -> bool {
        let Operand::Move(p) = op else { return true };
        let tys = crate::mir::place_ty::place_tys(&self.body, self.index, p);
        // Moving out of a `Box` is allowed: only derefs of references and pointers count.
        let last_deref = p.proj.iter().enumerate().rposition(|(i, q)| {
            *q == Proj::Deref && !matches!(&tys[i], Ty::Adt { name, .. } if &**name == "Box")
        });
        // An element of an array or slice after the last deref: E0508.
        let start = last_deref.map_or(0, |i| i + 1);
        for i in start..p.proj.len() {
            let base = &tys[i];
            let bad = match (&p.proj[i], base) {
                (Proj::Index, Ty::Array(..)) => Some(Sequence::Array),
                (
                    Proj::Index | Proj::ConstIndex { .. } | Proj::Subslice | Proj::Range { .. },
                    Ty::Slice(_),
                ) => Some(Sequence::Slice),
                (Proj::ConstIndex { .. } | Proj::Subslice | Proj::Range { .. }, Ty::Array(..))
                    if last_deref.is_some() =>
                {
                    Some(Sequence::Array)
                }
                _ => None,
            };
            if let Some(sequence) = bad {
                let ty = crate::ty::display(base);
                self.push_move_out(MoveOutOf::NonCopyElement { ty, sequence }, span);
                return false;
            }
        }
        // Moving a field out of a type with a destructor: E0509.
        for i in start..p.proj.len() {
            if let (Proj::Field(_), Ty::Adt { name, .. }) = (&p.proj[i], &tys[i]) {
                if self.index.adt(name).is_some_and(|a| a.drop) && last_deref.is_none() {
                    let ty = name.clone();
                    self.push_move_out(MoveOutOf::DropType { ty }, span);
                    return false;
                }
            }
        }
        if last_deref.is_none() && self.body.locals[p.local.0 as usize].kind == LocalKind::Static {
            let name = self.body.locals[p.local.0 as usize]
                .name
                .clone()
                .unwrap_or_else(|| "_".into());
            self.push_move_out(MoveOutOf::Static { name }, span);
            return false;
        }
        if let Some(i) = last_deref {
            match &tys[i] {
                Ty::Ref(m, _) => {
                    let is_index_temp =
                        self.body.locals[p.local.0 as usize].kind == LocalKind::Temp && i == 0;
                    let shared_ptr = self
                        .shared_ptr_temps
                        .iter()
                        .find(|(t, _)| *t == p.local && i == 0);
                    let from = if let Some((_, name)) = shared_ptr {
                        MoveOutOf::SharedPointer {
                            pointer: name.clone(),
                        }
                    } else if is_index_temp {
                        MoveOutOf::Index
                    } else {
                        MoveOutOf::Reference {
                            place: self.describe(p),
                            mutability: *m,
                        }
                    };
                    self.push_move_out(from, span);
                    return false;
                }
                Ty::Adt { name, .. } if &**name == "Box" => {}
                Ty::RawPtr(..) if self.unsafe_depth > 0 => {
                    let place = self.describe(p);
                    self.push_move_out(MoveOutOf::RawPointer { place }, span);
                    return false;
                }
                _ => return false,
            }
        }
        true
    }

    /// E0507 / E0508 / E0509 at `span`, or at the scrutinee of the match being bound.
    fn push_move_out(&mut self, from: MoveOutOf, span: Span) {
        self.errors.push(BorrowError {
            span: self.match_span.unwrap_or(span),
            kind: ErrorKind::MoveOut(from),
        });
    }

    fn call(&mut self, args: Vec<Operand>, dest: Place, ret_borrows: Vec<usize>, span: Span) {
        let next = self.new_block();
        let b = self.cur.0 as usize;
        self.body.blocks[b].term = Terminator::Call {
            args,
            dest,
            target: Some(next),
            ret_borrows,
            span,
        };
        self.body.blocks[b].term_span = span;
        self.cur = next;
    }

    /// Lowers `e`, storing its value into `dest`.
    fn expr_into(&mut self, e: &Expr, dest: &Place) {
        let span = e.span;
        match &e.kind {
            ExprKind::Lit(_) => self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false),
            ExprKind::Path(_)
            | ExprKind::Field(..)
            | ExprKind::Index(..)
            | ExprKind::Unary(UnOp::Deref, _) => {
                let op = self.expr_operand(e);
                let unc = matches!(op, Operand::Use(_));
                self.assign(dest.clone(), Rvalue::Use(op), span, unc);
            }
            ExprKind::Unary(_, inner) => {
                let op = self.expr_operand(inner);
                self.assign(dest.clone(), Rvalue::Opaque(vec![op]), span, false);
            }
            ExprKind::Ref {
                mutability,
                raw,
                expr,
            } => {
                if self.is_promoted(*mutability, expr)
                    || matches!(expr.kind, ExprKind::Closure { .. })
                {
                    self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
                    return;
                }
                let saved = std::mem::replace(&mut self.uncertain_place, false);
                let mutable = *mutability == Mutability::Mut;
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
                if *raw {
                    self.assign(dest.clone(), Rvalue::Opaque(vec![]), span, false);
                    return;
                }
                if mutable && !uncertain {
                    self.check_mutable(&place, span, true);
                    self.check_guard_write(&place, span, Mutation::Borrow);
                }
                self.assign(
                    dest.clone(),
                    Rvalue::Ref(borrow_kind(*mutability, false), place),
                    span,
                    uncertain,
                );
            }
            ExprKind::Binary(BinOp::And | BinOp::Or, a, b) => {
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
                self.assign(dest.clone(), Rvalue::Opaque(vec![]), span, false);
            }
            ExprKind::Binary(op, a, b) => {
                let cmp = matches!(
                    op,
                    BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
                );
                let av = if cmp {
                    self.read_operand(a)
                } else {
                    self.expr_operand(a)
                };
                let bv = if cmp {
                    self.read_operand(b)
                } else {
                    self.expr_operand(b)
                };
                self.assign(dest.clone(), Rvalue::Opaque(vec![av, bv]), span, false);
            }
            ExprKind::Assign(lhs, rhs) => {
                // The right side is read into a temporary before the left place is evaluated.
                let v = self.arg_operand(rhs);
                if let ExprKind::Path(s) = &lhs.kind {
                    if s.len() == 1 && &*s[0] == "_" {
                        self.push(StatementKind::Eval(v), span, false);
                        self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
                        return;
                    }
                }
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
                    if !uncertain {
                        self.check_guard_write(&p, span, Mutation::Assign);
                    }
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
                    }
                    self.assign(p, Rvalue::Use(v), span, uncertain);
                }
                self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
            }
            ExprKind::CompoundAssign(_, lhs, rhs) => {
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
                        self.assign(p, Rvalue::Opaque(vec![v]), span, uncertain);
                    } else {
                        // Overloaded `AddAssign`: a (two-phase) mutable borrow we cannot type.
                        self.push(StatementKind::Eval(Operand::Use(p.clone())), span, true);
                        self.push(StatementKind::Eval(v), span, true);
                    }
                }
                self.assign(dest.clone(), Rvalue::Use(Operand::Const), span, false);
            }
            ExprKind::Call(f, args, generics) => {
                self.lower_call(f, args, dest, span);
                if let ExprKind::Path(segs) = &f.kind {
                    self.annotated_value(segs, generics, dest);
                }
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
                ..
            } => self.lower_method_call(receiver, method, args, dest, span),
            ExprKind::Tuple(es) | ExprKind::Array(es) => {
                // Each part is moved into its own temporary first, as MIR does: `(t, t)` moves
                // `t` twice.
                let ops: Vec<Operand> = es.iter().map(|e| self.arg_operand(e)).collect();
                self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
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
            } => {
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
                    let op = self.arg_operand(e);
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
            }
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
            } => {
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
            ExprKind::Let { .. } => {
                // A `let` outside an `if`/`while` condition: not valid Rust.
                self.taint();
            }
            ExprKind::Match { scrutinee, arms } => self.lower_match(scrutinee, arms, dest, span),
            ExprKind::Loop { label, body } => {
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
            ExprKind::While { label, cond, body } => {
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
                params,
                body,
                ..
            } => self.lower_closure(*is_move, params, body, dest, span),
            ExprKind::Break { label, value } => {
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
            ExprKind::Continue { label } => {
                let Some(i) = self.find_breakable(label.as_ref()) else {
                    self.taint();
                    return;
                };
                let depth = self.breakables[i].scope_depth;
                let target = self.breakables[i].continue_to.unwrap();
                self.exit_scopes_to(depth, span);
                self.jump(target, span);
            }
            ExprKind::Return(v) => {
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
            ExprKind::Try(inner) => {
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
            ExprKind::Range { start, end, .. } => {
                let mut ops = Vec::new();
                if let Some(s) = start {
                    ops.push(self.expr_operand(s));
                }
                if let Some(e) = end {
                    ops.push(self.expr_operand(e));
                }
                self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
            }
            ExprKind::Cast(inner, _) => {
                let op = self.expr_operand(inner);
                self.assign(dest.clone(), Rvalue::Opaque(vec![op]), span, false);
            }
            ExprKind::Macro(m) => self.lower_macro(m, dest, span),
            ExprKind::Unknown(idents) => {
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
        }
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

    fn find_breakable(&self, label: Option<&Name>) -> Option<usize> {
        for (i, b) in self.breakables.iter().enumerate().rev() {
            match label {
                Some(l) => {
                    if b.label.as_ref() == Some(l) {
                        return Some(i);
                    }
                }
                None => {
                    if b.is_loop {
                        return Some(i);
                    }
                }
            }
        }
        None
    }

    /// Lowers a condition (with `let` patterns and `&&` chains), jumping to `yes` or `no`.
    /// Bindings go into the innermost scope.
    fn cond(&mut self, c: &Expr, yes: BlockId, no: BlockId) {
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
                self.terminate(Terminator::Switch(vec![yes, no]), c.span);
            }
        }
    }

    fn lower_match(&mut self, scrutinee: &Expr, arms: &[ast::Arm], dest: &Place, _span: Span) {
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
        // The places the arms' patterns test are (fake, shallow) borrowed through the guards:
        // a guard must not write them (E0510). Only when the scrutinee's type is known and owned.
        let tested: Vec<Place> = if matches!(
            ty,
            Ty::Unknown | Ty::Ref(..) | Ty::Param { .. } | Ty::Opaque | Ty::Dyn(_)
        ) {
            Vec::new()
        } else {
            let mut acc = Vec::new();
            for arm in arms {
                tested_places(&arm.pat, &p, self.index, &mut acc);
            }
            acc
        };
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
            self.bind_pattern(&arm.pat, &p, &ty, BindMode::Move, arm.pat.span);
            self.match_span = saved;
            if let Some(g) = &arm.guard {
                let saved_guard = std::mem::replace(&mut self.guard_tested, tested.clone());
                let body_b = self.new_block();
                let next = arm_blocks.get(i + 1).copied().unwrap_or(join);
                let fail = self.new_block();
                self.cond(g, body_b, fail);
                self.guard_tested = saved_guard;
                self.cur = fail;
                self.pop_scope_no_forget(arm.span);
                self.goto(next, arm.span);
                self.cur = body_b;
            }
            self.expr_into(&arm.body, dest);
            self.pop_scope(Span::new(arm.body.span.end, arm.body.span.end));
            self.jump(join, arm.span);
        }
        self.cur = join;
    }

    /// Emits storage ends for the innermost scope without popping it.
    fn pop_scope_no_forget(&mut self, span: Span) {
        let locals = self.scopes.last().unwrap().locals.clone();
        for l in locals.iter().rev() {
            self.push(StatementKind::StorageDead(*l), span, false);
        }
    }

    fn lower_for(
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
            _ => Ty::Unknown,
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
        self.terminate(Terminator::Switch(vec![body_b, exit]), iter.span);
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

    fn lower_call(&mut self, f: &Expr, args: &[Expr], dest: &Place, span: Span) {
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
                self.push(
                    StatementKind::Eval(Operand::Use(Place::local(l))),
                    f.span,
                    true,
                );
                let ops: Vec<Operand> = args.iter().map(|a| self.arg_operand(a)).collect();
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
                }
            }
        }
        let ops: Vec<Operand> = args.iter().map(|a| self.arg_operand(a)).collect();
        // Constructors: tuple structs and variants hold what they are given.
        if last.starts_with(|c: char| c.is_uppercase())
            || matches!(
                names.as_slice(),
                [
                    "Box" | "Rc" | "Arc" | "RefCell" | "Cell" | "Mutex" | "RwLock",
                    "new"
                ]
            )
        {
            self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
            return;
        }
        let diverges = matches!(
            names.as_slice(),
            ["panic" | "unreachable"] | [.., "process", "exit"]
        );
        let sig: Option<FnSig> = if names.len() == 1 {
            self.index.function(last).cloned()
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
            self.index.method(&oname, last).cloned()
        };
        let ret_borrows = match &sig {
            Some(s) if s.ret_holds_borrow => s.ret_borrows.clone(),
            _ => vec![],
        };
        if let Some(sig) = &sig {
            if sig.receiver == Receiver::None && sig.params.len() == ops.len() {
                for &i in &sig.static_params {
                    if let Some(p) = ops[i].place() {
                        if p.proj.is_empty()
                            && self.body.locals[p.local.0 as usize].kind == LocalKind::Temp
                        {
                            self.body.static_locals.push(p.local);
                        }
                    }
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
        self.call(ops, dest.clone(), ret_borrows, span);
    }

    fn lower_method_call(
        &mut self,
        receiver: &Expr,
        method: &Name,
        args: &[Expr],
        dest: &Place,
        span: Span,
    ) {
        let rty = self.infer(receiver);
        let resolved = self.resolve_method(&rty, method);
        let Some(res) = resolved else {
            // Unknown method: the receiver is used, somehow.
            let saved = std::mem::replace(&mut self.uncertain_place, false);
            let p = self.expr_place(receiver, false);
            self.uncertain_place = saved;
            if let Some(p) = p {
                self.push(StatementKind::Eval(Operand::Use(p)), receiver.span, true);
            }
            let ops: Vec<Operand> = args.iter().map(|a| self.arg_operand(a)).collect();
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
        let mut ops = vec![recv];
        for a in args {
            ops.push(self.arg_operand(a));
        }
        // What the method stores into the receiver keeps its borrows as long as the receiver.
        if let Some(base) = store_base {
            for &i in &res.stores {
                if let Some(p) = ops.get(i + 1).and_then(|o| o.place()).cloned() {
                    self.push(StatementKind::Flow(p, base), span, false);
                }
            }
        }
        self.body.locals[dest.local.0 as usize].ty =
            match &self.body.locals[dest.local.0 as usize].ty {
                Ty::Unknown if dest.proj.is_empty() => res.ret.clone(),
                t => t.clone(),
            };
        self.call(
            ops,
            dest.clone(),
            if res.ret_borrows { vec![0] } else { vec![] },
            span,
        );
    }

    fn lower_macro(&mut self, m: &ast::MacroCall, dest: &Place, span: Span) {
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
                for e in exprs {
                    let is_writer = first && matches!(name, "write" | "writeln");
                    first = false;
                    if is_writer {
                        if let Some(p) = self.expr_place(e, false) {
                            self.push(StatementKind::Eval(Operand::Use(p)), e.span, true);
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
                self.assign(dest.clone(), Rvalue::Opaque(vec![]), span, false);
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
                self.assign(dest.clone(), Rvalue::Opaque(vec![]), span, false);
            }
            _ => self.unknown_macro(m, dest, span),
        }
    }

    /// `is_constant_expr`, where a lowercase path that names no local is a function item.
    /// Whether `&e` / `&mut e` borrows a promoted `'static` constant rather than a temporary:
    /// shared borrows of constants, and `&mut []`.
    fn is_promoted(&self, mutability: Mutability, e: &Expr) -> bool {
        match mutability {
            Mutability::Not => self.is_constant(e),
            Mutability::Mut => matches!(&e.kind, ExprKind::Array(es) if es.is_empty()),
        }
    }

    fn is_constant(&self, e: &Expr) -> bool {
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
                    kind: ExprKind::Call(f.clone(), Vec::new(), Vec::new()),
                }) && args.iter().all(|a| self.is_constant(a))
            }
            _ => is_constant_expr(e),
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

    fn lower_closure(
        &mut self,
        is_move: bool,
        params: &[ast::ClosureParam],
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
        // Edition 2021 captures the precise field paths of owned structs and tuples; earlier
        // editions capture whole variables. One capture per path; a path that extends another
        // is folded into it, and the strongest use wins.
        let disjoint = self.edition >= Edition::E2021;
        let mut caps: Vec<(Local, Vec<FieldName>, Span, CaptureUse)> = Vec::new();
        for (n, path, sp, u) in uses {
            let Some(l) = self.lookup(&n) else { continue };
            let owned = matches!(self.local_ty(l), Ty::Adt { .. } | Ty::Tuple(_))
                && !matches!(self.local_ty(l).adt_name(), Some("Box" | "Rc" | "Arc"));
            let path = if disjoint && owned { path } else { Vec::new() };
            let prefix =
                |a: &[FieldName], b: &[FieldName]| a.len() <= b.len() && b[..a.len()] == *a;
            let mut merged = false;
            for c in caps.iter_mut().filter(|c| c.0 == l) {
                if prefix(&c.1, &path) || prefix(&path, &c.1) {
                    if path.len() < c.1.len() {
                        c.1 = path.clone();
                    }
                    if u > c.3 {
                        c.3 = u;
                        c.2 = sp;
                    }
                    merged = true;
                    break;
                }
            }
            if !merged {
                caps.push((l, path, sp, u));
            }
        }
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
        for (l, path, sp, u) in caps {
            let mut place = Place::local(l);
            for f in path {
                place = place.project(Proj::Field(f));
            }
            let ty = self.place_ty(&place);
            let u = if is_move { CaptureUse::Move } else { u };
            match u {
                CaptureUse::Move => {
                    let op = self.operand_of(place);
                    let unc = matches!(op, Operand::Use(_));
                    capture_tys.push(if unc { Ty::Unknown } else { ty.clone() });
                    let t = self.temp(ty, sp);
                    self.assign(Place::local(t), Rvalue::Use(op), span, unc);
                    ops.push(Operand::Move(Place::local(t)));
                }
                CaptureUse::Shared | CaptureUse::Mut | CaptureUse::Assign | CaptureUse::Unknown => {
                    let m = if matches!(u, CaptureUse::Mut | CaptureUse::Assign) {
                        Mutability::Mut
                    } else {
                        Mutability::Not
                    };
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
                    let t = self.temp(Ty::Ref(m, Box::new(ty)), sp);
                    self.body.capture_temps.push(t);
                    self.assign(
                        Place::local(t),
                        Rvalue::Ref(borrow_kind(m, false), place),
                        span,
                        !certain,
                    );
                    ops.push(Operand::Move(Place::local(t)));
                }
            }
        }
        self.assign(dest.clone(), Rvalue::Aggregate(ops), span, false);
        if dest.proj.is_empty() {
            self.body.locals[dest.local.0 as usize].ty = Ty::Adt {
                name: "{closure}".into(),
                args: capture_tys,
                lifetimes: 1,
            };
        }
        self.lower_closure_body(params, body, span, &captured);
    }

    /// Lowers a closure's body as a body of its own: each captured variable is an upvar local
    /// with the outer binding's type and mutability, each parameter an argument.
    fn lower_closure_body(
        &mut self,
        params: &[ast::ClosureParam],
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
        }
        let mut pats = Vec::new();
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
                }
                _ => {
                    let l = inner.new_local(None, ty.clone(), false, LocalKind::Arg, p.pat.span);
                    pats.push((p.pat.clone(), l, ty));
                }
            }
        }
        inner.body.n_args = inner.body.locals.len() as u32 - 1;
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
    fn capture_uses(
        &self,
        e: &Expr,
        bound: &mut Vec<Name>,
        out: &mut Vec<(Name, Vec<FieldName>, Span, CaptureUse)>,
        ctx: CaptureUse,
    ) {
        // The captured variable of a place expression, with the field path (edition 2021
        // captures `x.a.b`, cut at derefs and indexing).
        let var = |e: &Expr| -> Option<(Name, Vec<FieldName>)> {
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
        };
        // Writing through a deref (`*p = v`) needs a unique borrow of `p`, not `mut p`: unknown.
        let through_deref = |e: &Expr| -> bool {
            let mut e = e;
            loop {
                match &e.kind {
                    ExprKind::Unary(UnOp::Deref, _) => return true,
                    ExprKind::Field(b, _) | ExprKind::Index(b, _) => e = b,
                    _ => return false,
                }
            }
        };
        let rec = |x: &Expr,
                   ctx: CaptureUse,
                   bound: &mut Vec<Name>,
                   out: &mut Vec<(Name, Vec<FieldName>, Span, CaptureUse)>| {
            self.capture_uses(x, bound, out, ctx)
        };
        match &e.kind {
            ExprKind::Path(s) if s.len() == 1 => {
                if !bound.contains(&s[0]) {
                    let u = if ctx == CaptureUse::Move {
                        match self.lookup(&s[0]).map(|l| self.is_copy(&self.local_ty(l))) {
                            Some(Some(true)) => CaptureUse::Shared,
                            Some(Some(false)) => CaptureUse::Move,
                            _ => CaptureUse::Unknown,
                        }
                    } else {
                        ctx
                    };
                    out.push((s[0].clone(), Vec::new(), e.span, u));
                }
            }
            ExprKind::Assign(l, r) | ExprKind::CompoundAssign(_, l, r) => {
                rec(r, CaptureUse::Move, bound, out);
                if through_deref(l) {
                    self.capture_uses(l, bound, out, CaptureUse::Unknown);
                } else if let Some((n, path)) = var(l) {
                    if !bound.contains(&n) {
                        out.push((n, path, e.span, CaptureUse::Assign));
                    }
                }
                self.capture_subexprs(l, bound, out);
            }
            ExprKind::Ref {
                mutability, expr, ..
            } => {
                if *mutability == Mutability::Mut && through_deref(expr) {
                    rec(expr, CaptureUse::Unknown, bound, out);
                } else if *mutability == Mutability::Mut {
                    if let Some((n, path)) = var(expr) {
                        if !bound.contains(&n) {
                            out.push((n, path, expr.span, CaptureUse::Mut));
                        }
                    }
                    self.capture_subexprs(expr, bound, out);
                } else {
                    rec(expr, CaptureUse::Shared, bound, out);
                }
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
                ..
            } => {
                let u = match self.resolve_method(&self.infer(receiver), method) {
                    Some(r) => match r.receiver {
                        Receiver::Ref => CaptureUse::Shared,
                        Receiver::RefMut => CaptureUse::Mut,
                        _ => CaptureUse::Move,
                    },
                    None => CaptureUse::Unknown,
                };
                match var(receiver) {
                    Some((n, path)) if !bound.contains(&n) && !through_deref(receiver) => {
                        let u = if u == CaptureUse::Move {
                            match self.lookup(&n).map(|l| self.is_copy(&self.local_ty(l))) {
                                Some(Some(false)) => CaptureUse::Move,
                                Some(Some(true)) => CaptureUse::Shared,
                                _ => CaptureUse::Unknown,
                            }
                        } else {
                            u
                        };
                        out.push((n, path, receiver.span, u));
                        self.capture_subexprs(receiver, bound, out);
                    }
                    _ => rec(receiver, CaptureUse::Move, bound, out),
                }
                for a in args {
                    rec(a, CaptureUse::Move, bound, out);
                }
            }
            ExprKind::Unary(UnOp::Deref, inner) => {
                let c = if ctx == CaptureUse::Shared {
                    CaptureUse::Shared
                } else {
                    CaptureUse::Unknown
                };
                rec(inner, c, bound, out);
            }
            ExprKind::Field(..) | ExprKind::Index(..) => {
                if let Some((n, path)) = var(e) {
                    if !bound.contains(&n) {
                        // Reading a field copies or moves only that field; say shared unless moved.
                        let u = if ctx == CaptureUse::Move {
                            CaptureUse::Unknown
                        } else {
                            ctx
                        };
                        out.push((n, path, e.span, u));
                    }
                }
                self.capture_subexprs(e, bound, out);
            }
            ExprKind::Call(callee, args, ..) => {
                // Calling a captured closure borrows or moves it depending on its `Fn*` trait.
                match &callee.kind {
                    ExprKind::Path(p) if p.len() == 1 => {
                        if !bound.contains(&p[0]) {
                            out.push((p[0].clone(), Vec::new(), callee.span, CaptureUse::Unknown));
                        }
                    }
                    _ => rec(callee, CaptureUse::Unknown, bound, out),
                }
                for a in args {
                    rec(a, CaptureUse::Move, bound, out);
                }
            }
            ExprKind::Binary(op, a, b) => {
                let c = if matches!(
                    op,
                    BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
                ) {
                    CaptureUse::Shared
                } else {
                    CaptureUse::Move
                };
                rec(a, c, bound, out);
                rec(b, c, bound, out);
            }
            ExprKind::Macro(m) => {
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
                                rec(x, CaptureUse::Shared, bound, out);
                            } else {
                                rec(x, CaptureUse::Unknown, bound, out);
                            }
                        }
                    }
                    MacroArgs::Tokens(t) => ids.extend(t.iter().cloned()),
                    MacroArgs::Repeat(a, b) => {
                        rec(a, CaptureUse::Unknown, bound, out);
                        rec(b, CaptureUse::Unknown, bound, out);
                    }
                }
                ids.extend(m.format_idents.iter().cloned());
                for (n, sp) in ids {
                    if !bound.contains(&n) {
                        out.push((n, Vec::new(), sp, CaptureUse::Shared));
                    }
                }
            }
            ExprKind::Closure { params, body, .. } => {
                let len = bound.len();
                for p in params {
                    pat_names(&p.pat, bound);
                }
                rec(body, CaptureUse::Unknown, bound, out);
                bound.truncate(len);
            }
            ExprKind::Block { block, .. } | ExprKind::OpaqueBlock(block) => {
                self.capture_block(block, bound, out)
            }
            ExprKind::Match { scrutinee, arms } => {
                rec(scrutinee, CaptureUse::Unknown, bound, out);
                for a in arms {
                    let len = bound.len();
                    pat_names(&a.pat, bound);
                    if let Some(g) = &a.guard {
                        rec(g, CaptureUse::Shared, bound, out);
                    }
                    rec(&a.body, CaptureUse::Move, bound, out);
                    bound.truncate(len);
                }
            }
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                let len = bound.len();
                rec(cond, CaptureUse::Shared, bound, out);
                self.capture_block(then_branch, bound, out);
                bound.truncate(len);
                if let Some(e) = else_branch {
                    rec(e, CaptureUse::Move, bound, out);
                }
            }
            ExprKind::Let { pat, expr } => {
                rec(expr, CaptureUse::Unknown, bound, out);
                pat_names(pat, bound);
            }
            ExprKind::For {
                pat, iter, body, ..
            } => {
                rec(iter, CaptureUse::Move, bound, out);
                let len = bound.len();
                pat_names(pat, bound);
                self.capture_block(body, bound, out);
                bound.truncate(len);
            }
            ExprKind::While { cond, body, .. } => {
                let len = bound.len();
                rec(cond, CaptureUse::Shared, bound, out);
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
                for_each_child(e, &mut |c| rec(c, CaptureUse::Move, bound, out));
            }
        }
    }

    /// Uses inside a place expression other than its base variable (index operands).
    fn capture_subexprs(
        &self,
        e: &Expr,
        bound: &mut Vec<Name>,
        out: &mut Vec<(Name, Vec<FieldName>, Span, CaptureUse)>,
    ) {
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

    fn capture_block(
        &self,
        b: &Block,
        bound: &mut Vec<Name>,
        out: &mut Vec<(Name, Vec<FieldName>, Span, CaptureUse)>,
    ) {
        let len = bound.len();
        for s in &b.stmts {
            match s {
                Stmt::Let {
                    pat,
                    init,
                    else_block,
                    ..
                } => {
                    if let Some(i) = init {
                        // `let PAT = place` moves or borrows depending on PAT's bindings.
                        let ctx = if matches!(
                            pat.kind,
                            PatKind::Binding {
                                by_ref: None,
                                sub: None,
                                ..
                            }
                        ) {
                            CaptureUse::Move
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

    // ---- patterns --------------------------------------------------------------------------

    /// Binds the names of `pat` to parts of `place` (of type `ty`).
    fn bind_pattern(&mut self, pat: &Pat, place: &Place, ty: &Ty, mode: BindMode, span: Span) {
        match &pat.kind {
            PatKind::Wild | PatKind::Rest => {}
            PatKind::Lit | PatKind::Range | PatKind::Path(_) => {
                self.push(
                    StatementKind::Discriminant(place.clone()),
                    self.match_span.unwrap_or(pat.span),
                    false,
                );
            }
            PatKind::Binding {
                name, sub: None, ..
            } if is_constant_name(name) => {
                self.push(
                    StatementKind::Discriminant(place.clone()),
                    self.match_span.unwrap_or(pat.span),
                    false,
                );
            }
            PatKind::Binding { name, .. } if is_constant_name(name) => {}
            PatKind::Binding {
                by_ref,
                mutability,
                name,
                sub,
            } => {
                let (rv, lty, unc) = match (*by_ref, mode) {
                    (Some(m), _) | (None, BindMode::Ref(m)) => {
                        // Under an unknown binding mode the matched value may sit behind a
                        // reference (default binding modes dereference it): the borrowed place is
                        // a guess.
                        let guess = mode == BindMode::Unknown;
                        if m == Mutability::Mut && !guess {
                            self.check_mutable(place, pat.span, true);
                            self.check_guard_write(place, pat.span, Mutation::Borrow);
                        }
                        (
                            Rvalue::Ref(borrow_kind(m, false), place.clone()),
                            Ty::Ref(m, Box::new(ty.clone())),
                            guess,
                        )
                    }
                    (None, BindMode::Move) => {
                        let mut op = self.operand_of(place.clone());
                        if matches!(op, Operand::Move(_)) && !self.check_move_out(&op, pat.span) {
                            op = Operand::Use(place.clone());
                        }
                        let unc = matches!(op, Operand::Use(_));
                        (Rvalue::Use(op), ty.clone(), unc)
                    }
                    (None, BindMode::Unknown) => {
                        (Rvalue::Use(Operand::Use(place.clone())), Ty::Unknown, true)
                    }
                };
                let l = self.new_local(
                    Some(name.clone()),
                    lty,
                    *mutability == Mutability::Mut,
                    LocalKind::User,
                    pat.span,
                );
                self.assign(Place::local(l), rv, pat.span, unc);
                self.bind_name(name.clone(), l);
                if let Some(sub) = sub {
                    self.bind_pattern(sub, place, ty, mode, span);
                }
            }
            PatKind::Ref { pat: inner, .. } => {
                let inner_ty = ty.deref().unwrap_or(Ty::Unknown);
                self.bind_pattern(inner, &place.deref(), &inner_ty, BindMode::Move, span);
            }
            PatKind::Or(alts) => {
                if let Some(first) = alts.first() {
                    self.bind_pattern(first, place, ty, mode, span);
                }
            }
            PatKind::Tuple(_)
            | PatKind::TupleStruct { .. }
            | PatKind::Struct { .. }
            | PatKind::Slice(_) => {
                // Default binding modes: matching a non-reference pattern through a reference.
                let (place, ty, mode) = match ty {
                    Ty::Ref(m, inner) => {
                        let mode = match (mode, m) {
                            (BindMode::Ref(Mutability::Not), _) | (_, Mutability::Not) => {
                                BindMode::Ref(Mutability::Not)
                            }
                            (BindMode::Unknown, _) => BindMode::Unknown,
                            _ => BindMode::Ref(Mutability::Mut),
                        };
                        (place.deref(), (**inner).clone(), mode)
                    }
                    Ty::Unknown | Ty::Param { .. } | Ty::Opaque | Ty::Dyn(_) => (
                        place.clone(),
                        Ty::Unknown,
                        if mode == BindMode::Move {
                            BindMode::Unknown
                        } else {
                            mode
                        },
                    ),
                    _ => (place.clone(), ty.clone(), mode),
                };
                self.bind_subpatterns(pat, &place, &ty, mode, span);
            }
            PatKind::Unknown => self.taint(),
        }
    }

    fn bind_subpatterns(&mut self, pat: &Pat, place: &Place, ty: &Ty, mode: BindMode, span: Span) {
        match &pat.kind {
            PatKind::Tuple(ps) => {
                let arity = match ty {
                    Ty::Tuple(ts) => Some(ts.len()),
                    _ => None,
                };
                self.bind_positional(
                    ps,
                    place,
                    |i| match ty {
                        Ty::Tuple(ts) => ts.get(i).cloned().unwrap_or(Ty::Unknown),
                        _ => Ty::Unknown,
                    },
                    arity,
                    mode,
                    span,
                );
            }
            PatKind::TupleStruct {
                path,
                elems,
                generics,
            } => {
                self.annotated_value(path, generics, place);
                let last = path.last().map(|s| &**s).unwrap_or("");
                let is_struct = self.index.adt(last).is_some_and(|a| !a.is_enum);
                if !is_struct {
                    self.push(
                        StatementKind::Discriminant(place.clone()),
                        self.match_span.unwrap_or(pat.span),
                        false,
                    );
                }
                let base = if is_struct {
                    place.clone()
                } else {
                    place.project(Proj::Downcast(last.into()))
                };
                let variant_fields = self.variant_fields(ty, last);
                let elem_ty = |i: usize| -> Ty {
                    if let Some(fs) = &variant_fields {
                        return fs
                            .iter()
                            .find(|(f, _)| *f == FieldName::Index(i as u32))
                            .map_or(Ty::Unknown, |(_, t)| t.clone());
                    }
                    match (last, ty) {
                        ("Some", Ty::Adt { name, args, .. }) if &**name == "Option" && i == 0 => {
                            args.first().cloned().unwrap_or(Ty::Unknown)
                        }
                        ("Ok", Ty::Adt { name, args, .. }) if &**name == "Result" && i == 0 => {
                            args.first().cloned().unwrap_or(Ty::Unknown)
                        }
                        ("Err", Ty::Adt { name, args, .. }) if &**name == "Result" && i == 0 => {
                            args.get(1).cloned().unwrap_or(Ty::Unknown)
                        }
                        _ => Ty::Unknown,
                    }
                };
                let arity = if matches!(last, "Some" | "Ok" | "Err") {
                    Some(1)
                } else {
                    None
                };
                self.bind_positional(elems, &base, elem_ty, arity, mode, span);
            }
            PatKind::Struct {
                path,
                fields,
                generics,
                ..
            } => {
                self.annotated_value(path, generics, place);
                let last = path.last().map(|s| &**s).unwrap_or("");
                let is_struct = self.index.adt(last).is_some_and(|a| !a.is_enum) || last == "Self";
                if !is_struct {
                    self.push(
                        StatementKind::Discriminant(place.clone()),
                        self.match_span.unwrap_or(pat.span),
                        false,
                    );
                }
                let base = if is_struct {
                    place.clone()
                } else {
                    place.project(Proj::Downcast(last.into()))
                };
                let variant_fields = self.variant_fields(ty, last);
                for (f, p) in fields {
                    let fty = if is_struct {
                        self.field_ty(ty, f)
                    } else {
                        variant_fields
                            .as_ref()
                            .and_then(|fs| fs.iter().find(|(g, _)| g == f).map(|(_, t)| t.clone()))
                            .unwrap_or(Ty::Unknown)
                    };
                    let m = if fty.is_unknown() && mode == BindMode::Move && !is_binding(p) {
                        BindMode::Unknown
                    } else {
                        mode
                    };
                    self.bind_pattern(p, &base.project(Proj::Field(f.clone())), &fty, m, span);
                }
            }
            PatKind::Slice(ps) => {
                let elem = match ty {
                    Ty::Array(t, _) | Ty::Slice(t) => (**t).clone(),
                    _ => Ty::Unknown,
                };
                let rest = ps.iter().position(is_rest);
                let n = ps.len();
                for (i, p) in ps.iter().enumerate() {
                    // The elements the pattern matches at least (the rest may be empty).
                    let min_length = (n - usize::from(rest.is_some())) as u32;
                    if Some(i) == rest {
                        if let PatKind::Binding { sub: Some(_), .. } = &p.kind {
                            // The elements the rest stands for: from the start on an array of
                            // known length, else counted from the end.
                            let proj = match ty {
                                Ty::Array(_, Some(len)) if (n as u64) <= *len + 1 => Proj::Range {
                                    from: i as u32,
                                    to: (*len as usize + i + 1 - n) as u32,
                                    from_end: false,
                                },
                                Ty::Slice(_) => Proj::Range {
                                    from: i as u32,
                                    to: (n - i - 1) as u32,
                                    from_end: true,
                                },
                                _ => Proj::Subslice,
                            };
                            self.bind_pattern(p, &place.project(proj), ty, mode, span);
                        }
                        continue;
                    }
                    let len = match ty {
                        Ty::Array(_, len) => *len,
                        _ => None,
                    };
                    let proj = match (rest, len) {
                        // With the array's length, an index from the end is one from the start.
                        (Some(r), Some(len)) if i > r => Proj::ConstIndex {
                            offset: (len as usize).saturating_sub(n - i) as u32,
                            from_end: false,
                            min_length,
                        },
                        (Some(r), None) if i > r => Proj::ConstIndex {
                            offset: (n - i) as u32,
                            from_end: true,
                            min_length,
                        },
                        _ => Proj::ConstIndex {
                            offset: i as u32,
                            from_end: false,
                            min_length,
                        },
                    };
                    let m = if elem.is_unknown() && mode == BindMode::Move && !is_binding(p) {
                        BindMode::Unknown
                    } else {
                        mode
                    };
                    self.bind_pattern(p, &place.project(proj), &elem, m, span);
                }
            }
            _ => {}
        }
    }

    fn bind_positional(
        &mut self,
        ps: &[Pat],
        base: &Place,
        elem_ty: impl Fn(usize) -> Ty,
        arity: Option<usize>,
        mode: BindMode,
        span: Span,
    ) {
        let rest = ps.iter().position(is_rest);
        for (i, p) in ps.iter().enumerate() {
            if Some(i) == rest {
                continue;
            }
            let idx = match rest {
                Some(r) if i > r => match arity {
                    Some(a) => a - (ps.len() - i),
                    None => {
                        self.taint();
                        continue;
                    }
                },
                _ => i,
            };
            let t = elem_ty(idx);
            let m = if t.is_unknown() && mode == BindMode::Move && !is_binding(p) {
                BindMode::Unknown
            } else {
                mode
            };
            self.bind_pattern(
                p,
                &base.project(Proj::Field(FieldName::Index(idx as u32))),
                &t,
                m,
                span,
            );
        }
    }

    // ---- mutability ------------------------------------------------------------------------

    /// E0596 (borrow) / E0594 (assignment): is `place` mutable?
    fn check_mutable(&mut self, place: &Place, span: Span, borrow: bool) {
        if self.uncertain_place {
            return;
        }
        if let Some(why) = self.immutability(place) {
            let action = if borrow {
                Mutation::Borrow
            } else {
                Mutation::Assign
            };
            if borrow && matches!(why, Immutable::NotDeclared { .. }) {
                self.not_mut.push((place.local, span));
            }
            self.errors.push(BorrowError {
                span,
                kind: ErrorKind::NotMutable { action, why },
            });
        }
    }

    fn check_mutable_compound(&mut self, place: &Place, span: Span) {
        let kind = self.body.locals[place.local.0 as usize].kind;
        let fn_capture = self.is_fn_closure && kind == LocalKind::Upvar;
        if place.proj.is_empty() && !fn_capture && kind != LocalKind::Static {
            // `x += 1` on an immutable local is E0384, found by the dataflow.
            return;
        }
        self.check_mutable(place, span, false);
    }

    /// Why `place` may not be mutated (borrowed mutably or assigned), when we are sure it may not.
    fn immutability(&self, place: &Place) -> Option<Immutable> {
        let decl = &self.body.locals[place.local.0 as usize];
        let desc = self.describe(place);
        // An `Fn` closure cannot mutate what it captured, however it was declared.
        if self.is_fn_closure && decl.kind == LocalKind::Upvar && !place.proj.contains(&Proj::Deref)
        {
            let name = decl.name.clone().unwrap_or_else(|| "_".into());
            return Some(Immutable::FnCapture {
                place: desc,
                binding: name,
                part: !place.proj.is_empty(),
            });
        }
        // The innermost deref decides.
        let tys = crate::mir::place_ty::place_tys(&self.body, self.index, place);
        let last_deref = place
            .proj
            .iter()
            .rposition(|p| *p == Proj::Deref)
            .map(|i| (i, tys[i].clone()));
        match last_deref {
            Some((i, base_ty)) => {
                let pointer = match base_ty {
                    Ty::Ref(Mutability::Not, _) => Pointer::SharedRef,
                    Ty::Ref(Mutability::Mut, _) => return None,
                    // Outside unsafe code the deref itself is the error (E0133), not ours to give.
                    Ty::RawPtr(Mutability::Not, _) if self.unsafe_depth > 0 => Pointer::ConstPtr,
                    Ty::Adt { ref name, .. } if &**name == "Box" => {
                        let base = Place {
                            local: place.local,
                            proj: place.proj[..i].to_vec(),
                        };
                        return self.immutability_of_base(&base, desc);
                    }
                    _ => return None,
                };
                if i == 0 && self.call_result_temps.contains(&place.local) {
                    return Some(Immutable::CallResult { pointer });
                }
                // A temporary reference (`*tmp` of an index or a deref): the error is the
                // callee's business, not a place of the user's.
                if decl.kind == LocalKind::Temp && i == 0 {
                    return None;
                }
                Some(Immutable::BehindPointer {
                    place: desc,
                    pointer,
                })
            }
            None => self.immutability_of_base(place, desc),
        }
    }

    /// Why `place`, a place without derefs of pointers (`desc` names the place it is the base
    /// of), may not be mutated.
    fn immutability_of_base(&self, place: &Place, desc: String) -> Option<Immutable> {
        let decl = &self.body.locals[place.local.0 as usize];
        if decl.mutable || decl.kind == LocalKind::Temp || decl.kind == LocalKind::Return {
            return None;
        }
        if decl.kind == LocalKind::Static {
            let name = decl.name.clone().unwrap_or_else(|| "_".into());
            return Some(Immutable::Static {
                place: desc,
                name,
                part: !place.proj.is_empty(),
            });
        }
        if decl.kind == LocalKind::Upvar && place.proj.is_empty() {
            let name = decl.name.clone().unwrap_or_else(|| "_".into());
            return Some(Immutable::NotDeclared {
                place: name.to_string(),
                binding: name,
                part: false,
            });
        }
        if place.proj.contains(&Proj::Deref) || self.never_assigned.contains(&place.local) {
            return None;
        }
        // A projection of a value whose type we do not know may go through an auto-deref.
        if !place.proj.is_empty()
            && matches!(
                decl.ty,
                Ty::Unknown | Ty::Param { .. } | Ty::Opaque | Ty::Dyn(_)
            )
        {
            return None;
        }
        let name = decl.name.clone().unwrap_or_else(|| "_".into());
        if self.uncertain_place {
            return None;
        }
        Some(Immutable::NotDeclared {
            place: desc,
            binding: name,
            part: !place.proj.is_empty(),
        })
    }

    /// Renders a place as rustc does in messages.
    fn describe(&self, place: &Place) -> String {
        describe_place(&self.body, place)
    }
}

/// Renders a place as rustc does in messages (`*self`, `x.0`, `v[_]`).
pub fn describe_place(body: &Body, place: &Place) -> String {
    let decl = body.local(place.local);
    let mut s = decl.name.as_deref().unwrap_or("_").to_string();
    let mut deref_pending = false;
    // An index temporary (`v[_]`) points at the element it names: its deref is the element.
    let skip = usize::from(
        decl.kind == LocalKind::Temp
            && s.ends_with(']')
            && place.proj.first() == Some(&Proj::Deref),
    );
    for proj in &place.proj[skip..] {
        match proj {
            Proj::Deref => {
                if deref_pending {
                    s = format!("*{s}");
                }
                deref_pending = true;
            }
            Proj::Field(f) => {
                deref_pending = false;
                match f {
                    FieldName::Named(n) => s = format!("{s}.{n}"),
                    FieldName::Index(i) => s = format!("{s}.{i}"),
                }
            }
            Proj::Index | Proj::ConstIndex { .. } => {
                if deref_pending {
                    s = format!("(*{s})");
                    deref_pending = false;
                }
                s = format!("{s}[_]");
            }
            Proj::Subslice | Proj::Range { .. } => {
                if deref_pending {
                    s = format!("(*{s})");
                    deref_pending = false;
                }
                s = format!("{s}[..]");
            }
            Proj::Downcast(_) => {
                if deref_pending {
                    s = format!("(*{s})");
                    deref_pending = false;
                }
            }
        }
    }
    if deref_pending {
        s = format!("*{s}");
    }
    s
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum CaptureUse {
    Shared,
    Unknown,
    Mut,
    /// Assigned to: a mutable capture whose mutability error is E0594.
    Assign,
    Move,
}

fn borrow_kind(m: Mutability, two_phase: bool) -> BorrowKind {
    match m {
        Mutability::Not => BorrowKind::Shared,
        Mutability::Mut => BorrowKind::Mut { two_phase },
    }
}

/// The places a pattern tests: matched against literals, constants, enum variants or slice
/// lengths. Struct and tuple patterns test nothing themselves; variants test their place and go on
/// into their fields.
fn tested_places(pat: &Pat, place: &Place, index: &Index, acc: &mut Vec<Place>) {
    let test = |p: &Place, acc: &mut Vec<Place>| {
        if !acc.contains(p) {
            acc.push(p.clone());
        }
    };
    match &pat.kind {
        PatKind::Lit | PatKind::Range | PatKind::Path(_) => test(place, acc),
        PatKind::Binding {
            name, sub: None, ..
        } if is_constant_name(name) => test(place, acc),
        PatKind::Binding { sub: Some(sub), .. } => tested_places(sub, place, index, acc),
        PatKind::Or(alts) => alts
            .iter()
            .for_each(|a| tested_places(a, place, index, acc)),
        PatKind::TupleStruct { path, elems, .. } => {
            let last = path.last().map(|s| &**s).unwrap_or("");
            if index.adt(last).is_some_and(|a| !a.is_enum) {
                for (i, e) in elems.iter().enumerate().take_while(|(_, e)| !is_rest(e)) {
                    tested_places(
                        e,
                        &place.project(Proj::Field(FieldName::Index(i as u32))),
                        index,
                        acc,
                    );
                }
            } else {
                test(place, acc);
                let v = place.project(Proj::Downcast(last.into()));
                for (i, e) in elems.iter().enumerate().take_while(|(_, e)| !is_rest(e)) {
                    tested_places(
                        e,
                        &v.project(Proj::Field(FieldName::Index(i as u32))),
                        index,
                        acc,
                    );
                }
            }
        }
        PatKind::Struct { path, fields, .. } => {
            let last = path.last().map(|s| &**s).unwrap_or("");
            let base = if index.adt(last).is_some_and(|a| !a.is_enum) || last == "Self" {
                place.clone()
            } else {
                test(place, acc);
                place.project(Proj::Downcast(last.into()))
            };
            for (f, p) in fields {
                tested_places(p, &base.project(Proj::Field(f.clone())), index, acc);
            }
        }
        PatKind::Tuple(ps) => {
            for (i, p) in ps.iter().enumerate().take_while(|(_, p)| !is_rest(p)) {
                tested_places(
                    p,
                    &place.project(Proj::Field(FieldName::Index(i as u32))),
                    index,
                    acc,
                );
            }
        }
        PatKind::Slice(_) => test(place, acc),
        _ => {}
    }
}

/// A binding sub-pattern binds the place itself: no default-binding deref happens at its level.
fn is_binding(p: &Pat) -> bool {
    matches!(p.kind, PatKind::Binding { sub: None, .. } | PatKind::Wild)
}

fn is_rest(p: &Pat) -> bool {
    match &p.kind {
        PatKind::Rest => true,
        PatKind::Binding { sub: Some(s), .. } => matches!(s.kind, PatKind::Rest),
        _ => false,
    }
}

/// `None`, `FOO`, `MyVariant`: identifiers in patterns that name constants, by convention.
/// Whether a pattern has a `ref mut` binding (which borrows a constant's temporary: no promotion).
fn binds_ref_mut(pat: &Pat) -> bool {
    let mut found = false;
    pat.walk(&mut |p| {
        if let PatKind::Binding {
            by_ref: Some(Mutability::Mut),
            ..
        } = p.kind
        {
            found = true;
        }
    });
    found
}

fn is_constant_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_uppercase())
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

fn lit_ty(l: &ast::Lit) -> Ty {
    match l {
        ast::Lit::Int => Ty::prim("i32"),
        ast::Lit::Float => Ty::prim("f64"),
        ast::Lit::Bool => Ty::prim("bool"),
        ast::Lit::Char => Ty::prim("char"),
        ast::Lit::Byte => Ty::prim("u8"),
        ast::Lit::Str => Ty::Ref(Mutability::Not, Box::new(Ty::Str)),
        ast::Lit::ByteStr => Ty::Ref(Mutability::Not, Box::new(Ty::Unknown)),
    }
}

fn box_inner(t: &Ty) -> Option<Ty> {
    match t {
        Ty::Adt { name, args, .. } if &**name == "Box" => args.first().cloned(),
        _ => None,
    }
}

fn contains_let(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Let { .. } => true,
        ExprKind::Binary(BinOp::And, a, b) => contains_let(a) || contains_let(b),
        _ => false,
    }
}

/// The std table's owner name for a type.
fn std_owner(t: &Ty) -> Option<&'static str> {
    Some(match t {
        Ty::Str => "str",
        Ty::Slice(_) => "slice",
        Ty::Array(..) => "array",
        Ty::Prim(p) => match &**p {
            "i8" => "i8",
            "i16" => "i16",
            "i32" => "i32",
            "i64" => "i64",
            "i128" => "i128",
            "isize" => "isize",
            "u8" => "u8",
            "u16" => "u16",
            "u32" => "u32",
            "u64" => "u64",
            "u128" => "u128",
            "usize" => "usize",
            "f32" => "f32",
            "f64" => "f64",
            "bool" => "bool",
            "char" => "char",
            _ => return None,
        },
        Ty::Adt { name, .. } => match &**name {
            "Vec" => "Vec",
            "String" => "String",
            "HashMap" => "HashMap",
            "HashSet" => "HashSet",
            "BTreeMap" => "BTreeMap",
            "BTreeSet" => "BTreeSet",
            "VecDeque" => "VecDeque",
            "Option" => "Option",
            "Result" => "Result",
            "Box" => "Box",
            "Rc" => "Rc",
            "Arc" => "Arc",
            "RefCell" => "RefCell",
            "Cell" => "Cell",
            "Mutex" => "Mutex",
            _ => return None,
        },
        _ => return None,
    })
}

/// The type a std method returns, from the table's text, with the owner's parameters
/// substituted where we can.
fn parse_ret(text: &str, owner: &Ty) -> Ty {
    let t = text.trim();
    if t.is_empty() {
        return Ty::unit();
    }
    if t == "Self" {
        return owner.clone();
    }
    if let Some(rest) = t.strip_prefix("&mut ") {
        return Ty::Ref(
            Mutability::Mut,
            Box::new(parse_ret(strip_lifetime(rest), owner)),
        );
    }
    if let Some(rest) = t.strip_prefix('&') {
        let rest = strip_lifetime(rest);
        if let Some(r) = rest.strip_prefix("mut ") {
            return Ty::Ref(Mutability::Mut, Box::new(parse_ret(r, owner)));
        }
        return Ty::Ref(Mutability::Not, Box::new(parse_ret(rest, owner)));
    }
    if t == "str" {
        return Ty::Str;
    }
    if matches!(t, "T" | "K") {
        return match owner {
            Ty::Adt { args, .. } => args.first().cloned().unwrap_or(Ty::Unknown),
            Ty::Slice(e) | Ty::Array(e, _) => (**e).clone(),
            _ => Ty::Unknown,
        };
    }
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        if !inner.contains(';') {
            return Ty::Slice(Box::new(parse_ret(inner, owner)));
        }
    }
    if PRIM_NAMES.contains(&t) {
        return Ty::prim(t);
    }
    if t == "String" {
        return Ty::adt("String", vec![]);
    }
    if let Some(inner) = t.strip_prefix("Option<").and_then(|r| r.strip_suffix('>')) {
        return Ty::adt("Option", vec![parse_ret(inner, owner)]);
    }
    if let Some(inner) = t.strip_prefix("Vec<").and_then(|r| r.strip_suffix('>')) {
        if !inner.contains(',') {
            return Ty::adt("Vec", vec![parse_ret(inner, owner)]);
        }
    }
    // Iterator and guard types: known to hold a borrow when they name a lifetime.
    if let Some(lt) = t.find('<') {
        let name = &t[..lt];
        if name.chars().all(|c| c.is_alphanumeric() || c == '_') && t.contains('\'') {
            return Ty::Adt {
                name: name.into(),
                args: vec![Ty::Unknown],
                lifetimes: 1,
            };
        }
    }
    Ty::Unknown
}

const PRIM_NAMES: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "f32",
    "f64", "bool", "char",
];

fn strip_lifetime(s: &str) -> &str {
    let s = s.trim_start();
    if let Some(rest) = s.strip_prefix('\'') {
        let end = rest.find(' ').unwrap_or(rest.len());
        return rest[end..].trim_start();
    }
    s
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

fn collect_idents(e: &Expr, acc: &mut Vec<(Name, Span)>) {
    match &e.kind {
        ExprKind::Path(s) if s.len() == 1 => acc.push((s[0].clone(), e.span)),
        ExprKind::Unknown(ids) => acc.extend(ids.iter().cloned()),
        _ => for_each_child(e, &mut |c| collect_idents(c, acc)),
    }
}

/// Calls `f` on each direct sub-expression (blocks' statements included).
pub(crate) fn for_each_child<'e>(e: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    let block = |b: &'e Block, f: &mut dyn FnMut(&'e Expr)| {
        for s in &b.stmts {
            match s {
                Stmt::Let {
                    init, else_block, ..
                } => {
                    if let Some(i) = init {
                        f(i);
                    }
                    if let Some(b) = else_block {
                        for s in &b.stmts {
                            if let Stmt::Expr { expr, .. } = s {
                                f(expr);
                            }
                        }
                    }
                }
                Stmt::Expr { expr, .. } => f(expr),
                Stmt::Item(_) | Stmt::Cfg(_) => {}
            }
        }
        if let Some(t) = &b.tail {
            f(t);
        }
    };
    match &e.kind {
        ExprKind::Path(_) | ExprKind::Lit(_) | ExprKind::Continue { .. } | ExprKind::Unknown(_) => {
        }
        ExprKind::Unary(_, a)
        | ExprKind::Ref { expr: a, .. }
        | ExprKind::Field(a, _)
        | ExprKind::Try(a)
        | ExprKind::Await(a)
        | ExprKind::Cast(a, _) => f(a),
        ExprKind::Binary(_, a, b)
        | ExprKind::Assign(a, b)
        | ExprKind::CompoundAssign(_, a, b)
        | ExprKind::Index(a, b)
        | ExprKind::ArrayRepeat(a, b) => {
            f(a);
            f(b);
        }
        ExprKind::Call(g, args, ..) => {
            f(g);
            args.iter().for_each(&mut *f);
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            f(receiver);
            args.iter().for_each(&mut *f);
        }
        ExprKind::Tuple(es) | ExprKind::Array(es) => es.iter().for_each(&mut *f),
        ExprKind::Struct { fields, base, .. } => {
            fields.iter().for_each(|(_, a)| f(a));
            if let Some(b) = base {
                f(b);
            }
        }
        ExprKind::Block { block: b, .. } | ExprKind::OpaqueBlock(b) => block(b, f),
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            f(cond);
            block(then_branch, f);
            if let Some(e) = else_branch {
                f(e);
            }
        }
        ExprKind::Let { expr, .. } => f(expr),
        ExprKind::While { cond, body, .. } => {
            f(cond);
            block(body, f);
        }
        ExprKind::Loop { body, .. } => block(body, f),
        ExprKind::For { iter, body, .. } => {
            f(iter);
            block(body, f);
        }
        ExprKind::Match { scrutinee, arms } => {
            f(scrutinee);
            for a in arms {
                if let Some(g) = &a.guard {
                    f(g);
                }
                f(&a.body);
            }
        }
        ExprKind::Closure { body, .. } => f(body),
        ExprKind::Break { value, .. } | ExprKind::Return(value) => {
            if let Some(v) = value {
                f(v);
            }
        }
        ExprKind::Range { start, end, .. } => {
            if let Some(s) = start {
                f(s);
            }
            if let Some(e) = end {
                f(e);
            }
        }
        ExprKind::Macro(m) => match &m.args {
            MacroArgs::Exprs(es) => es.iter().for_each(&mut *f),
            MacroArgs::Repeat(a, b) => {
                f(a);
                f(b);
            }
            MacroArgs::Tokens(_) => {}
        },
    }
}
