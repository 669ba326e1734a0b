//! rustc's user type annotations on calls (rustc_borrowck's `relate_type_and_user_type` of a
//! call's callee): the generic arguments written on the called path (`f::<&'a u32>`,
//! `A::<'a>::new`, `<A<'a>>::new`, `<&'a u32 as Tr<_>>::m`, `x.m::<&'static u32>()`) fix the
//! callee's parameters; each argument is a subtype of its parameter's type with them
//! substituted. Where that type's regions all outlive the body (`'static`, the function's
//! named lifetimes), so must every borrow the argument holds: its temporary is one of the
//! body's `static_locals` (E0597 from `borrowck/outlives.rs`).
//!
//! A path with written arguments bound to a local (`let f = S::<&'static u32>;`) annotates the
//! calls of that local alike: a constructor's every field, a function's parameters.
//!
//! Nothing is assumed of what is not written: a lifetime or type parameter without a written
//! argument stays unknown (a fresh region, `_`), and a list of arguments that does not match
//! the parameters one by one (a const argument, a count that differs) annotates nothing.

use super::Lower;
use crate::ast::{Expr, ExprKind, FieldName, Fields, GenericArg, Generics, Name, PathArgs, Type};
use crate::index::{Index, WrittenSig};
use crate::mir::{Local, LocalKind, Operand};
use crate::ty::Ty;

/// What the written arguments give the callee's parameters: lifetimes (to a lifetime of the
/// caller) and types (to a written type), and `Self`.
#[derive(Default)]
struct Subst {
    lifetimes: Vec<(Name, Name)>,
    types: Vec<(Name, Type)>,
    /// The callee's lifetime and type parameters with no written argument.
    unbound: Vec<Name>,
    /// `Self`: the impl's self type (in the callee's terms), or the type the caller wrote
    /// (`<&'a u32 as Tr>::m`, in the caller's).
    self_ty: Option<Type>,
    self_written: bool,
}

/// The placeholder of a lifetime nothing binds: never one of the body's free lifetimes.
const UNBOUND: &str = "_";

impl Subst {
    /// Binds `params` to the written `args`, one by one, lifetimes and types apart: a kind with
    /// no written argument stays unbound, and so do the lifetimes unless `lifetimes_too` (a
    /// function's own may be late-bound, and rustc then ignores what is written for them).
    /// `None` when the arguments do not match the parameters.
    fn bind(&mut self, params: &Generics, args: &[GenericArg], lifetimes_too: bool) -> Option<()> {
        let mut lifetimes = Vec::new();
        let mut types = Vec::new();
        for a in args {
            match a {
                GenericArg::Lifetime(l) => lifetimes.push(l.clone()),
                GenericArg::Type(t) => types.push(t.clone()),
                GenericArg::Other => return None,
            }
        }
        if lifetimes.len() == params.lifetimes.len() && lifetimes_too {
            self.lifetimes
                .extend(params.lifetimes.iter().cloned().zip(lifetimes));
        } else if lifetimes.is_empty() || !lifetimes_too {
            self.unbound.extend(params.lifetimes.iter().cloned());
        } else {
            return None;
        }
        if types.len() == params.types.len() {
            self.types
                .extend(params.types.iter().map(|(n, _)| n.clone()).zip(types));
        } else if types.is_empty() {
            self.unbound
                .extend(params.types.iter().map(|(n, _)| n.clone()));
        } else {
            return None;
        }
        Some(())
    }

    /// Binds the impl's parameters through its self type as written (`impl<'a> A<'a>`) and as
    /// the caller wrote it (`A::<'static>`): each of the impl's arguments must be one of its
    /// parameters. What cannot be matched stays unbound.
    fn bind_impl(&mut self, impl_generics: &Generics, impl_self: &Type, written: &[GenericArg]) {
        self.unbound.extend(impl_generics.lifetimes.iter().cloned());
        self.unbound
            .extend(impl_generics.types.iter().map(|(n, _)| n.clone()));
        let Type::Path { args, .. } = impl_self else {
            return;
        };
        if written.is_empty() || written.len() != args.len() {
            return;
        }
        let mut lifetimes = Vec::new();
        let mut types = Vec::new();
        for (param, arg) in args.iter().zip(written) {
            match (param, arg) {
                (GenericArg::Lifetime(p), GenericArg::Lifetime(a))
                    if impl_generics.lifetimes.contains(p)
                        && !lifetimes.iter().any(|(q, _)| q == p) =>
                {
                    lifetimes.push((p.clone(), a.clone()))
                }
                (GenericArg::Type(Type::Path { segments, args }), GenericArg::Type(a))
                    if args.is_empty()
                        && segments.len() == 1
                        && impl_generics.types.iter().any(|(n, _)| *n == segments[0])
                        && !types.iter().any(|(q, _): &(Name, Type)| *q == segments[0]) =>
                {
                    types.push((segments[0].clone(), a.clone()))
                }
                _ => return,
            }
        }
        self.unbound.retain(|n| {
            !lifetimes.iter().any(|(p, _)| p == n) && !types.iter().any(|(p, _)| p == n)
        });
        self.lifetimes.extend(lifetimes);
        self.types.extend(types);
    }

    /// `t` with the written arguments in place of the parameters they bind; `None` when it
    /// names none of them (the annotation says nothing of it).
    fn apply(&self, t: &Type) -> Option<Type> {
        let mut bound = false;
        let out = self.go(t, &mut bound);
        bound.then_some(out)
    }

    fn lifetime(&self, l: &Name, bound: &mut bool) -> Name {
        if &**l == "static" {
            return l.clone();
        }
        match self.lifetimes.iter().find(|(p, _)| p == l) {
            Some((_, a)) => {
                *bound = true;
                a.clone()
            }
            // The callee's own lifetime, or one nothing binds: never the caller's.
            None => UNBOUND.into(),
        }
    }

    fn go(&self, t: &Type, bound: &mut bool) -> Type {
        match t {
            Type::Ref {
                lifetime,
                mutability,
                inner,
            } => Type::Ref {
                lifetime: lifetime
                    .as_ref()
                    .map(|l| self.lifetime(l, bound))
                    .filter(|l| &**l != UNBOUND),
                mutability: *mutability,
                inner: Box::new(self.go(inner, bound)),
            },
            Type::Path { segments, args } if segments.len() == 1 && args.is_empty() => {
                let n = &segments[0];
                if &**n == "Self" {
                    return match &self.self_ty {
                        Some(s) if self.self_written => {
                            *bound = true;
                            s.clone()
                        }
                        Some(s) => {
                            let mut inner = false;
                            let s = self.go(s, &mut inner);
                            *bound |= inner;
                            s
                        }
                        None => Type::Infer,
                    };
                }
                if let Some((_, a)) = self.types.iter().find(|(p, _)| p == n) {
                    *bound = true;
                    return a.clone();
                }
                if self.unbound.contains(n) {
                    return Type::Infer;
                }
                t.clone()
            }
            Type::Path { segments, args } => Type::Path {
                segments: segments.clone(),
                args: args
                    .iter()
                    .map(|a| match a {
                        GenericArg::Lifetime(l) => GenericArg::Lifetime(self.lifetime(l, bound)),
                        GenericArg::Type(t) => GenericArg::Type(self.go(t, bound)),
                        GenericArg::Other => GenericArg::Other,
                    })
                    .collect(),
            },
            Type::Tuple(ts) => Type::Tuple(ts.iter().map(|t| self.go(t, bound)).collect()),
            Type::Array(t, n) => Type::Array(Box::new(self.go(t, bound)), *n),
            Type::Slice(t) => Type::Slice(Box::new(self.go(t, bound))),
            // What hides its regions (fn pointers, trait objects, pointers) says nothing here.
            _ => Type::Unknown,
        }
    }
}

/// The type of the field `f` of the crate's struct `name` with the written arguments `args`
/// (`Pair<&'static u32, u8>`'s `a`), in the writer's lifetimes; `None` when not known.
pub(super) fn field_type(
    index: &Index,
    name: &Name,
    args: &[GenericArg],
    f: &FieldName,
) -> Option<Type> {
    let adt = index.adt(name).filter(|a| !a.opaque && !a.is_enum)?;
    let w = adt.written.as_ref()?;
    let t = match (&w.fields, f) {
        (Fields::Named(fs), FieldName::Named(n)) => &fs.iter().find(|(x, _)| x == n)?.1,
        (Fields::Tuple(ts), FieldName::Index(i)) => ts.get(*i as usize)?,
        _ => return None,
    };
    let mut s = Subst::default();
    s.bind(&w.generics, args, true)?;
    let mut bound = false;
    Some(s.go(t, &mut bound))
}

/// The signatures of std's functions whose one parameter is their type parameter, as the
/// crate's index would give them: `drop<T>(_x: T)` (the prelude's, `mem::drop`; a crate's own
/// `drop` has an id).
pub(super) fn std_sig(names: &[&str]) -> Option<WrittenSig> {
    if is_thread_spawn(names) {
        return Some(thread_spawn_sig());
    }
    let is_drop = match names {
        ["drop"] => true,
        [.., "mem", "drop"] => matches!(names[0], "std" | "core" | "mem"),
        _ => false,
    };
    if !is_drop {
        return None;
    }
    let t: Name = "T".into();
    Some(WrittenSig {
        generics: Generics {
            types: vec![(t.clone(), Vec::new())],
            ..Generics::default()
        },
        impl_generics: Generics::default(),
        impl_self: None,
        trait_impl: false,
        receiver: None,
        params: vec![Type::Path {
            segments: vec![t],
            args: Vec::new(),
        }],
        ret: None,
    })
}

/// What the written arguments of a call give the parameters of `sig`; `None` when they do not
/// match them.
fn subst(sig: &WrittenSig, written: &PathArgs) -> Option<Subst> {
    let mut s = Subst::default();
    s.bind(&sig.generics, &written.last, false)?;
    match &sig.impl_self {
        Some(impl_self) => {
            // A method of an impl, named through its self type (`A::<'a>::new`, `<A<'a>>::new`).
            s.bind_impl(&sig.impl_generics, impl_self, &written.owner);
            s.self_ty = Some(impl_self.clone());
        }
        None => {
            // A trait's method, named through the trait (`<T as Tr<U>>::m`, `Tr::<U>::m`).
            s.bind(&sig.impl_generics, &written.owner, true)?;
            s.self_ty = written.qself.clone();
            s.self_written = true;
        }
    }
    Some(s)
}

impl Lower<'_> {
    /// The arguments `ops` (the receiver first, for a method) of a call of `sig` with the
    /// generic arguments `written`: each whose parameter's type, with them, holds only regions
    /// that outlive the body must hold only borrows that do.
    pub(super) fn annotated_args(&mut self, sig: &WrittenSig, written: &PathArgs, ops: &[Operand]) {
        if written.last.is_empty() && written.owner.is_empty() && written.qself.is_none() {
            return;
        }
        let params: Vec<&Type> = sig.receiver.iter().chain(&sig.params).collect();
        if params.len() != ops.len() {
            return;
        }
        let Some(s) = subst(sig, written) else {
            return;
        };
        for (t, op) in params.into_iter().zip(ops) {
            if s.apply(t).is_some_and(|t| self.all_free(&t)) {
                self.must_outlive_body(op, true);
            }
        }
    }
}

impl Lower<'_> {
    /// `let l = init;`: when `init` is a path with written generic arguments (or a reference to
    /// one), calls of `l` are calls of that path.
    pub(super) fn note_fn_item(&mut self, l: Local, init: &Expr) {
        let e = match &init.kind {
            ExprKind::Ref { expr, .. } => expr,
            _ => init,
        };
        let ExprKind::Path(segs) = &e.kind else {
            return;
        };
        if let Some((_, a)) = self.path_args.iter().find(|(s, _)| *s == e.span) {
            self.fn_items.push((l, segs.clone(), a.clone()));
        }
    }

    /// A call of the local `l` with the arguments `ops`: when `l` holds an annotated path, the
    /// arguments are that path's.
    pub(super) fn annotated_local_call(&mut self, l: Local, ops: &[Operand]) {
        let Some((_, segs, args)) = self.fn_items.iter().find(|(x, ..)| *x == l).cloned() else {
            return;
        };
        let last = segs.last().map_or("", |s| &**s);
        let is_ctor = last
            .rsplit("::")
            .next()
            .is_some_and(|s| s.starts_with(|c: char| c.is_uppercase()));
        if is_ctor {
            // A tuple struct's or variant's constructor: its fields' regions are the type's.
            if let Ty::Adt { name, .. } = self.path_adt(&segs) {
                let t = Type::Path {
                    segments: vec![name],
                    args: args.all.clone(),
                };
                if self.all_free(&t) {
                    for op in ops {
                        self.must_outlive_body(op, true);
                    }
                }
            }
            return;
        }
        let names: Vec<&str> = segs.iter().map(|s| &**s).collect();
        if let Some(w) = self.path_sig(&names).and_then(|s| s.written.clone()) {
            self.annotated_args(&w, &args, ops);
        } else if let Some(w) = std_sig(&names) {
            self.annotated_args(&w, &args, ops);
        }
    }

    /// What the operand `op` holds must outlive the body, when it is a temporary of its own;
    /// each borrow of a call's argument (`arg`) that does not is reported, as rustc does.
    pub(super) fn must_outlive_body(&mut self, op: &Operand, arg: bool) {
        let Some(p) = op.place().filter(|p| p.proj.is_empty()) else {
            return;
        };
        if matches!(op, Operand::Use(_))
            || self.body.locals[p.local.0 as usize].kind != LocalKind::Temp
        {
            return;
        }
        self.body.static_locals.push(p.local);
        if arg {
            self.body.static_args.push(p.local);
        }
    }
}

/// `std::thread::spawn` named as `thread::spawn` or by its whole path (a crate's own `thread`
/// module is the caller's to rule out: its functions have signatures in the index).
pub(super) fn is_thread_spawn(names: &[&str]) -> bool {
    matches!(names, ["thread", "spawn"] | ["std", "thread", "spawn"])
}

/// `pub fn spawn<F, T>(f: F) -> JoinHandle<T> where F: FnOnce() -> T + Send + 'static,
/// T: Send + 'static`: what the closure captures must outlive the body.
fn thread_spawn_sig() -> WrittenSig {
    let (f, t): (Name, Name) = ("F".into(), "T".into());
    let path = |n: &Name| Type::Path {
        segments: vec![n.clone()],
        args: Vec::new(),
    };
    WrittenSig {
        generics: Generics {
            types: vec![
                (
                    f.clone(),
                    vec!["FnOnce() -> T".into(), "Send".into(), "'static".into()],
                ),
                (t.clone(), vec!["Send".into(), "'static".into()]),
            ],
            ..Generics::default()
        },
        impl_generics: Generics::default(),
        impl_self: None,
        trait_impl: false,
        receiver: None,
        params: vec![path(&f)],
        // `JoinHandle<T>` holds the closure's result, `'static` by the bound: nothing of the
        // caller's, which a unit result says as well.
        ret: None,
    }
}
