//! Types: of locals, places and fields, and of an expression before it is lowered (`infer`:
//! from locals, literals, constructors, signatures, method returns), with the crate's generic
//! types instantiated from their fields.

use super::Lower;
use crate::ast::{self, BinOp, Expr, ExprKind, FieldName, MacroArgs, Mutability, Name, UnOp};
use crate::mir::*;
use crate::ty::Ty;

impl Lower<'_> {
    pub(super) fn local_ty(&self, l: Local) -> Ty {
        self.body.locals[l.0 as usize].ty.clone()
    }

    /// The type of a place, walking its projections.
    pub(super) fn place_ty(&self, p: &Place) -> Ty {
        crate::mir::place_ty::place_ty(&self.body, self.index, p)
    }

    pub(super) fn field_ty(&self, ty: &Ty, f: &FieldName) -> Ty {
        crate::ty::field_ty(self.index, ty, f)
    }

    /// The field types of variant `name` of the crate's enum `ty` (none generic).
    pub(super) fn variant_fields(&self, ty: &Ty, name: &str) -> Option<Vec<(FieldName, Ty)>> {
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

    pub(super) fn is_copy(&self, ty: &Ty) -> Option<bool> {
        ty.is_copy(self.index)
    }

    /// The operand that reads a place by value.
    pub(super) fn operand_of(&self, place: Place) -> Operand {
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
    pub(super) fn infer(&self, e: &Expr) -> Ty {
        match &e.kind {
            // A binding of the arm being inferred hides the body's local of its name.
            ExprKind::Path(segs) if segs.len() == 1 => match self.lookup(&segs[0]) {
                _ if self.arm_binding(&segs[0]).is_some() => {
                    self.arm_binding(&segs[0]).unwrap_or(Ty::Unknown)
                }
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
                // Autoderef to the type that has the field: through references and std's smart
                // pointers and guards, which have no public field of their own.
                let mut t = self.infer(base);
                loop {
                    t = match t {
                        Ty::Ref(_, inner) => *inner,
                        Ty::Adt { name, mut args, .. }
                            if matches!(
                                &*name,
                                "Box"
                                    | "Rc"
                                    | "Arc"
                                    | "Ref"
                                    | "RefMut"
                                    | "MutexGuard"
                                    | "RwLockReadGuard"
                                    | "RwLockWriteGuard"
                            ) && self.index.adt(&name).is_none()
                                && !self.index.is_shadowed(&name)
                                && !args.is_empty() =>
                        {
                            args.swap_remove(0)
                        }
                        t => break self.field_ty(&t, f),
                    }
                }
            }
            ExprKind::Index(base, idx) => {
                let mut t = self.infer(base);
                while let Ty::Ref(_, inner) = &t {
                    t = (**inner).clone();
                }
                if matches!(idx.kind, ExprKind::Range { .. }) {
                    return t.range_elem().unwrap_or(Ty::Unknown);
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
            // A signature's types may name the crate's aliases (`Result<u16>`): they stand for
            // the types they name. (Locals' types are expanded when declared.)
            ExprKind::Call(f, args, ..) => self.index.expand_aliases(self.call_ty(f, args)),
            // std's `Iterator::collect::<B>()` is a `B` (not a crate type's own `collect`).
            ExprKind::MethodCall {
                receiver,
                method,
                generics,
                ..
            } if &**method == "collect" && generics.len() == 1 => {
                let rt = self.infer(receiver);
                let own = rt.adt_name().is_some_and(|n| self.index.adt(n).is_some());
                match generics.as_slice() {
                    [ast::GenericArg::Type(t)] if !own => {
                        Ty::from_ast(t, &self.generics, self.self_ty.as_ref())
                    }
                    _ => Ty::Unknown,
                }
            }
            ExprKind::MethodCall {
                receiver, method, ..
            } => {
                let rt = self.infer(receiver);
                self.resolve_method(&rt, method)
                    .map_or(Ty::Unknown, |r| self.index.expand_aliases(r.ret))
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
            ExprKind::Block { block, .. } => self.block_ty(block),
            // `e?` is the `Ok`/`Some` value: std's `Try` for `Result` and `Option`, as
            // `question_mark_into` lowers it.
            ExprKind::Try(inner) => match self.infer(inner) {
                Ty::Adt { name, args, .. } if matches!(&*name, "Result" | "Option") => {
                    args.into_iter().next().unwrap_or(Ty::Unknown)
                }
                _ => Ty::Unknown,
            },
            // The branches' common type, those that diverge (`!`) left out.
            ExprKind::If {
                cond,
                then_branch,
                else_branch: Some(else_branch),
            } => {
                let bindings = match &cond.kind {
                    ExprKind::Let { pat, expr } => {
                        let mut out = Vec::new();
                        self.pattern_types(pat, &self.infer(expr), &mut out);
                        out
                    }
                    ExprKind::Binary(..) if super::control::contains_let(cond) => {
                        return Ty::Unknown
                    }
                    _ => Vec::new(),
                };
                let then = self.with_arm_bindings(bindings, |cx| cx.block_branch(then_branch));
                join_branches([then, self.branch(else_branch)])
            }
            ExprKind::Match { scrutinee, arms } if !arms.is_empty() => {
                let st = self.infer(scrutinee);
                join_branches(arms.iter().map(|arm| {
                    let mut bindings = Vec::new();
                    self.pattern_types(&arm.pat, &st, &mut bindings);
                    self.with_arm_bindings(bindings, |cx| cx.branch(&arm.body))
                }))
            }
            _ => Ty::Unknown,
        }
    }

    /// A block's type: its tail's when it has no statement (a statement may declare what the
    /// tail names).
    fn block_ty(&self, block: &ast::Block) -> Ty {
        match &block.tail {
            Some(t) if block.stmts.is_empty() => self.infer(t),
            _ => Ty::Unknown,
        }
    }

    /// A branch's type, `None` when it diverges: it is `return`, `break`, `continue` or a
    /// panicking macro, or a block that ends with one.
    fn branch(&self, e: &Expr) -> Option<Ty> {
        match &e.kind {
            _ if diverges(e) => None,
            ExprKind::Block {
                block, label: None, ..
            } => self.block_branch(block),
            _ => Some(self.infer(e)),
        }
    }

    fn block_branch(&self, block: &ast::Block) -> Option<Ty> {
        match (&block.tail, block.stmts.last()) {
            (Some(t), _) if diverges(t) => None,
            (None, Some(ast::Stmt::Expr { expr, .. })) if diverges(expr) => None,
            _ => Some(self.block_ty(block)),
        }
    }

    /// The type a binding of the arm or `if let` being inferred has, if it is one (it hides the
    /// body's local of that name).
    fn arm_binding(&self, name: &str) -> Option<Ty> {
        let scope = self.arm_bindings.borrow();
        scope
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, t)| t.clone())
    }

    fn with_arm_bindings<T>(&self, bindings: Vec<(Name, Ty)>, f: impl FnOnce(&Self) -> T) -> T {
        let mark = self.arm_bindings.borrow().len();
        self.arm_bindings.borrow_mut().extend(bindings);
        let t = f(self);
        self.arm_bindings.borrow_mut().truncate(mark);
        t
    }

    /// The bindings of a pattern matched against a value of type `ty`, each with its type where
    /// the pattern says it (a by-value binding, `Some`/`Ok`/`Err` of std's `Option` and
    /// `Result`, tuples, `&p`), else unknown: every name the pattern binds is listed, so that
    /// none is taken for a local of the body.
    fn pattern_types(&self, pat: &ast::Pat, ty: &Ty, out: &mut Vec<(Name, Ty)>) {
        use ast::PatKind;
        let by_value = |ty: &Ty| !matches!(ty, Ty::Ref(..));
        match &pat.kind {
            PatKind::Binding {
                name, by_ref, sub, ..
            } => {
                // A constant-like name (`None`, `MAX`, a unit struct) binds nothing, as
                // `bind_pattern` reads it.
                if super::pattern::is_constant_name(name) {
                    return;
                }
                if let Some(sub) = sub {
                    self.pattern_types(sub, ty, out);
                }
                let t = match by_ref {
                    None => ty.clone(),
                    Some(_) => Ty::Unknown,
                };
                out.push((name.clone(), t));
            }
            PatKind::TupleStruct { path, elems, .. } => {
                // As `bind_subpatterns` reads it: the variant by its last segment, of the
                // scrutinee's type (`core::result::Result::Ok(v)` is `Ok(v)`).
                let inner = match (path.last().map(|s| &**s), ty) {
                    (Some("Some"), Ty::Adt { name, args, .. }) if &**name == "Option" => {
                        args.first()
                    }
                    (Some("Ok"), Ty::Adt { name, args, .. }) if &**name == "Result" => args.first(),
                    (Some("Err"), Ty::Adt { name, args, .. }) if &**name == "Result" => args.get(1),
                    _ => None,
                };
                let known = inner.is_some() && by_value(ty) && elems.len() == 1;
                for p in elems {
                    let t = inner.filter(|_| known).cloned().unwrap_or(Ty::Unknown);
                    self.pattern_types(p, &t, out);
                }
            }
            PatKind::Tuple(ps) => match ty {
                Ty::Tuple(ts)
                    if ts.len() == ps.len() && !ps.iter().any(super::pattern::is_rest) =>
                {
                    for (p, t) in ps.iter().zip(ts) {
                        self.pattern_types(p, t, out);
                    }
                }
                _ => ps
                    .iter()
                    .for_each(|p| self.pattern_types(p, &Ty::Unknown, out)),
            },
            PatKind::Ref { pat, .. } => {
                let inner = ty.deref().unwrap_or(Ty::Unknown);
                self.pattern_types(pat, &inner, out);
            }
            PatKind::Struct { fields, .. } => fields
                .iter()
                .for_each(|(_, p)| self.pattern_types(p, &Ty::Unknown, out)),
            PatKind::Or(ps) | PatKind::Slice(ps) => ps
                .iter()
                .for_each(|p| self.pattern_types(p, &Ty::Unknown, out)),
            PatKind::Wild
            | PatKind::Rest
            | PatKind::Path(_)
            | PatKind::Lit
            | PatKind::Range
            | PatKind::Unknown => {}
        }
    }

    pub(super) fn path_adt(&self, path: &[Name]) -> Ty {
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
        // `std::rc::Rc::new(..)` is `Rc::new(..)`.
        let segs = std_type_path(segs).unwrap_or(segs);
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
                    let ty = self.path_adt(segs);
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
                // `Type::default()` of a crate type that derives `Default`: no impl is written
                // (an explicit `impl Default` is a method above), and the derive's `default`
                // returns `Self`.
                if *name == "default" {
                    if let Some(a) = self.index.adt(oname).filter(|a| a.default && !a.opaque) {
                        return Ty::Adt {
                            name: oname.into(),
                            args: vec![Ty::Unknown; a.params.len()],
                            lifetimes: a.lifetimes,
                        };
                    }
                }
                if owner_ty.is_none() && !crate::items::is_id(owner) {
                    return std_constructor(owner, name);
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

/// The type of std's `Owner::f(..)` when std's table says it makes an `Owner`
/// (`BinaryHeap::new()`, `HashMap::with_capacity(n)`, `PathBuf::from(..)`), with unknown
/// arguments; `Unknown` otherwise.
fn std_constructor(owner: &str, f: &str) -> Ty {
    let Some(m) = crate::std_api::lookup(owner, f) else {
        return Ty::Unknown;
    };
    if m.receiver != crate::std_api::Receiver::None {
        return Ty::Unknown;
    }
    // The type parameters the analysis gives each std type (allocators and hashers left out).
    let params = match owner {
        "HashMap" | "BTreeMap" => 2,
        "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "BinaryHeap" | "LinkedList" | "Box"
        | "Rc" | "Arc" | "Cell" | "RefCell" | "Mutex" | "RwLock" | "Option" => 1,
        _ => {
            let generic = m.ret.contains('<');
            if generic {
                return Ty::Unknown;
            }
            0
        }
    };
    let ret = m.ret.trim();
    let makes_owner = ret == "Self"
        || ret == owner
        || ret
            .strip_prefix(owner)
            .is_some_and(|rest| rest.starts_with('<'));
    if !makes_owner {
        return Ty::Unknown;
    }
    Ty::adt(owner, vec![Ty::Unknown; params])
}

/// The type of a `match` or `if` from its branches' types: their common type when every branch
/// that does not diverge has the same known one (a coercion could make unequal ones agree).
/// (`None`: a branch that diverges.) All diverging is unknown here, not `!`.
fn join_branches(branches: impl IntoIterator<Item = Option<Ty>>) -> Ty {
    let mut joined: Option<Ty> = None;
    for t in branches.into_iter().flatten() {
        match (&joined, t) {
            (_, Ty::Unknown) => return Ty::Unknown,
            (None, t) => joined = Some(t),
            (Some(j), t) if *j == t => {}
            _ => return Ty::Unknown,
        }
    }
    joined.unwrap_or(Ty::Unknown)
}

/// An expression that never yields its value: `return`, `break`, `continue`, or a macro that
/// panics.
fn diverges(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Return(_) | ExprKind::Break { .. } | ExprKind::Continue { .. } => true,
        ExprKind::Macro(m) => {
            !m.qualified && matches!(&*m.name, "panic" | "unreachable" | "todo" | "unimplemented")
        }
        _ => false,
    }
}

/// `[Type, f]` of a std path to one of the std types `call_ty` knows by their real modules
/// (`std::rc::Rc::new`, `std::collections::hash_map::HashMap::new`, `alloc::vec::Vec::new`).
fn std_type_path(segs: &[Name]) -> Option<&[Name]> {
    let n = segs.len();
    if n < 4 || !matches!(&*segs[0], "std" | "core" | "alloc") {
        return None;
    }
    let modules: Vec<&str> = segs[1..n - 2].iter().map(|s| &**s).collect();
    let ok = matches!(
        (&*segs[n - 2], modules.as_slice()),
        ("Rc", ["rc"])
            | ("Arc" | "Mutex" | "RwLock", ["sync"])
            | ("RefCell" | "Cell", ["cell"])
            | ("Box", ["boxed"])
            | ("Vec", ["vec"])
            | ("String", ["string"])
            | (
                "HashMap" | "HashSet" | "BTreeMap" | "BTreeSet" | "VecDeque",
                ["collections"]
            )
            | ("HashMap", ["collections", "hash_map"])
            | ("HashSet", ["collections", "hash_set"])
            | ("BTreeMap", ["collections", "btree_map"])
            | ("BTreeSet", ["collections", "btree_set"])
            | ("VecDeque", ["collections", "vec_deque"])
    );
    ok.then(|| &segs[n - 2..])
}
