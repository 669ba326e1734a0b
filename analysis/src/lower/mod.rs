//! Lowering of one function's syntax to the control-flow graph of `mir`.
//!
//! Types come from annotations, signatures, literals, constructors, the crate index and the std
//! table. Where a fact is missing the lowering says so (`Operand::Use`, `uncertain` statements,
//! `Body::tainted`) rather than guess, so that the borrow checker stays silent there.
//!
//! This file is the module's face (`lower_fn`, `Lowered`) and the lowering context `Lower` with
//! its scopes and breakable blocks; the rest lives by what it does, each part an `impl Lower`:
//! - `builder.rs`: the building blocks: locals, blocks, statements, terminators, calls, and the
//!   locals standing for `static` items.
//! - `scope.rs`: names and scopes, storage ends of locals and of a statement's temporaries.
//! - `types.rs`: types of places, and of expressions before they are lowered (`infer`).
//! - `method.rs`: method resolution through autoderef, from the crate index or the std table.
//! - `stmt.rs`: blocks and statements: `let` (with `else`), temporaries' lifetime extension,
//!   written types whose regions outlive the body.
//! - `expr.rs`: expressions to operands and into places (`expr_into`, one helper per family),
//!   constant promotion, and the walk over sub-expressions (`for_each_child`).
//! - `place.rs`: place expressions: autoderef through references, `Box`, std and crate `Deref`,
//!   indexing; `describe_place`, a place's name in messages.
//! - `call.rs`: calls and method calls: arguments, receivers and their autoref (two-phase
//!   borrows), what a callee's signature says of its result.
//! - `annotations.rs`: the generic arguments written on a callee's path (user type
//!   annotations), substituted into its parameters: arguments that must outlive the body.
//! - `control.rs`: conditions with `let` chains, `if`, `match`, loops, `break`, `continue`,
//!   `return` and `?`.
//! - `macros.rs`: `println!`, `format!`, `write!`, `assert!`, `vec!`, `dbg!`, `matches!`; unknown
//!   macros as uses of the identifiers in them.
//! - `closure.rs`: closures: what they capture and how, and their bodies, lowered on their own.
//! - `pattern.rs`: patterns: bindings and their modes, the discriminant reads of tests.
//! - `guards.rs`: rustc's fake borrows (what a `match` tests, through its guards; a slice's
//!   checked length, through the enclosing index) and a guard's bindings by reference.
//! - `static_errors.rs`: the errors found without dataflow: E0596/E0594 (mutability), E0507,
//!   E0508, E0509 (moves out).

// Dataflow walks index parallel per-point and per-block tables by position: clearer than zips.
#![allow(clippy::needless_range_loop)]

mod annotations;
mod builder;
mod call;
mod closure;
mod closure_regions;
mod control;
mod expr;
mod guards;
mod macros;
mod method;
mod pattern;
mod place;
mod regions;
mod scope;
mod static_errors;
mod stmt;
mod types;

use crate::ast::{self, FnDef, Mutability, Name, PatKind, Span};
use crate::errors::BorrowError;
use crate::index::{self, Index};
use crate::mir::*;
use crate::ty::Ty;
use crate::Edition;

pub use crate::mir::describe_place;
use static_errors::fold_not_mut_errors;

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
    // A crate trait named `Write` has an id, never this bare name or path.
    cx.param_bounds = def
        .generics
        .types
        .iter()
        .chain(&container.impl_generics.types)
        .cloned()
        .collect();
    cx.write_params = def
        .generics
        .types
        .iter()
        .chain(&container.impl_generics.types)
        .filter(|(_, bounds)| {
            bounds
                .iter()
                .any(|b| !b.contains('@') && (&**b == "Write" || b.ends_with("::Write")))
        })
        .map(|(n, _)| n.clone())
        .collect();
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
    let sig = index::signature(
        def,
        &container.impl_generics,
        self_ty.as_ref(),
        container.impl_self.as_ref(),
    );
    cx.body.ret_holds_borrow = sig.ret_holds_borrow;
    cx.body.ret_escapes = !def.is_async && def.ret.as_ref().is_some_and(escapes_the_body);
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
            ast::Type::ImplTrait(bounds, _) => Ty::Param {
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
                // The argument behind a pattern is a place of its own, mutable: a `ref mut`
                // binding borrows it so (`fn f(ref mut x: T)`), as rustc's argument temporaries.
                let l = cx.new_local(None, ty.clone(), true, LocalKind::Arg, p.pat.span);
                arg_pats.push((p.pat.clone(), l, ty));
            }
        }
    }
    cx.body.n_args = cx.body.locals.len() as u32 - 1;
    cx.body.expansions = def.expansions.clone();
    cx.path_args = def.path_args.clone();
    if let Some((regions, scope)) = regions::signature_regions(def, container, index) {
        cx.body.regions = Some(Box::new(regions));
        cx.region_scope = scope;
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
    let errors = fold_not_mut_errors(&cx.body, cx.errors, &cx.not_mut);
    Lowered {
        body: cx.body,
        errors,
        closures: cx.closures,
    }
}

#[derive(Default)]
struct Scope {
    /// Each name's latest binding in this scope. A map, not a list: a function of 20,000 `let`s
    /// looks names up 20,000 times, and most lookups (of functions, of constants) find nothing.
    names: std::collections::HashMap<Name, Local, crate::base::FxBuild>,
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
    /// The struct literal or call being lowered is a `let`'s initializer (or in one's tuple,
    /// array or struct literal): a struct literal's fields and a tuple struct's or variant's
    /// constructor's arguments borrow temporaries for the `let`'s bindings (taken at the
    /// literal's or call's start).
    extending: bool,
    /// The place being lowered is the receiver of a method we cannot resolve: whether a guard
    /// on its way is dereferenced mutably is not known.
    receiver_unknown: bool,
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
    /// The function's universal regions by name, and its impl's self type with them.
    region_scope: regions::RegionScope,
    /// The operand `expr_operand` returned last reads a known place (an `Operand::Use` of it
    /// is unsure only of copy, move or reborrow).
    place_known: bool,
    /// E0596 errors of the "not declared as mutable" kind, by local (folded at the end).
    not_mut: Vec<(Local, Span)>,
    /// Binding a guarded arm's pattern: its bindings are made for the guard (by reference), and
    /// its by-value bindings wait here until the guard holds.
    guard_bindings: Option<Vec<guards::GuardBinding>>,
    /// Each guard binding's local and the reference it stands for (`x` is `*r` in the guard).
    guard_alias: Vec<(Local, Local)>,
    /// While `infer` reads a `match` arm or an `if let` branch: the bindings its pattern makes,
    /// with their types where known.
    arm_bindings: std::cell::RefCell<Vec<(Name, Ty)>>,
    /// The place being lowered is the base of an enclosing built-in index (`x[1]` of `x[1][2]`).
    index_base: bool,
    /// The fake borrows of slice bounds checks not yet read: the outermost index reads its own.
    index_fakes: Vec<Local>,
    /// Inside an `unsafe fn` or `unsafe { }` block, where raw pointers may be dereferenced (and
    /// a write through `*const` is rustc's E0594 rather than an unsafety error).
    unsafe_depth: u32,
    /// The spans of closures passed where an `Fn` closure is expected.
    fn_closures: Vec<Span>,
    /// This body is an `Fn` closure's: its captured variables cannot be mutated.
    is_fn_closure: bool,
    /// What is expected of the closures written in this body, by their spans (where known).
    closure_expects: Vec<(Span, closure_regions::Expect)>,
    /// The locals that hold a closure of this body whose kind its body decides, in the order of
    /// the locals.
    closure_kinds: Vec<(Local, FnKind)>,
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
    /// The generic arguments of the paths the body uses as values (`FnDef::path_args`).
    path_args: Vec<(Span, ast::PathArgs)>,
    /// Locals bound to a path with written generic arguments (`let f = S::<&'a u32>;`): a
    /// call of the local is a call of that path with them.
    fn_items: Vec<(Local, Vec<Name>, ast::PathArgs)>,
    /// The type parameters bounded by std's `Write` (`io::Write` or `fmt::Write`): `write!`
    /// into one of them borrows it mutably (`write_fmt(&mut self)`).
    write_params: Vec<Name>,
    /// The type parameters with their bounds as resolved (`D` with `DiffHook@crate::hook`): a
    /// method of a crate trait bound is that trait's.
    param_bounds: Vec<(Name, Vec<Name>)>,
    /// The function's own lifetime parameters that nothing relates to `'static` (no bounds, no
    /// `'static` in the signature to imply one): `&'static &'a T` is not well-formed for them.
    /// Empty in closures.
    unrelated_lifetimes: Vec<Name>,
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
            extending: false,
            receiver_unknown: false,
            never_assigned: Vec::new(),
            match_span: None,
            assign_ctx: false,
            region_scope: regions::RegionScope::default(),
            place_known: false,
            not_mut: Vec::new(),
            guard_bindings: None,
            guard_alias: Vec::new(),
            arm_bindings: Default::default(),
            index_base: false,
            index_fakes: Vec::new(),
            declared_uninit: Vec::new(),
            closures: Vec::new(),
            unsafe_depth: 0,
            fn_closures: Vec::new(),
            is_fn_closure: false,
            closure_expects: Vec::new(),
            closure_kinds: Vec::new(),
            shared_ptr_temps: Vec::new(),
            statics_used: Vec::new(),
            call_result_temps: Vec::new(),
            free_lifetimes: Vec::new(),
            path_args: Vec::new(),
            fn_items: Vec::new(),
            write_params: Vec::new(),
            param_bounds: Vec::new(),
            unrelated_lifetimes: Vec::new(),
        }
    }
}

/// Which of `Fn`, `FnMut`, `FnOnce` a callable is, by what calling it takes: `&self`,
/// `&mut self` or `self`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum FnKind {
    Fn,
    FnMut,
    FnOnce,
}

fn borrow_kind(m: Mutability, two_phase: bool) -> BorrowKind {
    match m {
        Mutability::Not => BorrowKind::Shared,
        Mutability::Mut => BorrowKind::Mut { two_phase },
    }
}

/// A return type whose value outlives the body whatever it hides: `impl Tr`, `Box<dyn Tr>`.
fn escapes_the_body(t: &ast::Type) -> bool {
    match t {
        ast::Type::ImplTrait(..) => true,
        ast::Type::Path { segments, args } => {
            segments.last().is_some_and(|s| &**s == "Box")
                && matches!(
                    args.as_slice(),
                    [ast::GenericArg::Type(ast::Type::DynTrait(..))]
                )
        }
        _ => false,
    }
}
