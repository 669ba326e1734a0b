//! Written paths rewritten to what they resolve to, before lowering and indexing read them: a
//! path naming an item of the crate becomes that item's id (`Node@crate::model`); a std path its
//! std name; a path into something unknown (an extern crate, a macro's item) an unknown id
//! (`Mutex@?tokio::sync`), which no table knows. Lowering and the index then compare ids, never
//! last segments.
//!
//! Only names are rewritten, never spans: the resolved syntax lines up with the written one.
//! A single-segment value path (`helper(x)`) may be a local; it is rewritten only when no
//! binding of the function has that name.

use std::collections::HashSet;

use super::def_map::{DefMap, ModuleId, Ns, Res};
use super::{id_of, unknown_id};
use crate::ast::{
    self, Block, Container, Expr, ExprKind, FnBound, FnDef, GenericArg, Generics, MacroArgs, Name,
    Pat, PatKind, PathArgs, Stmt, Type,
};

/// Resolution at one place of the crate: a module or block scope and the type parameters in
/// scope there.
pub struct Resolver<'a> {
    pub map: &'a DefMap,
    pub scope: ModuleId,
    generics: Vec<Name>,
    /// Every name a binding of the function has.
    locals: HashSet<Name>,
}

impl<'a> Resolver<'a> {
    pub fn new(map: &'a DefMap, scope: ModuleId) -> Resolver<'a> {
        Resolver {
            map,
            scope,
            generics: Vec::new(),
            locals: HashSet::new(),
        }
    }

    pub fn with_generics(mut self, g: &Generics) -> Resolver<'a> {
        self.generics.extend(g.types.iter().map(|(n, _)| n.clone()));
        self
    }

    fn is_param(&self, name: &str) -> bool {
        name == "Self" || self.generics.iter().any(|g| &**g == name)
    }

    /// The id a declaration named `name` in this scope has.
    pub fn id(&self, name: &Name) -> Name {
        id_of(name, &self.map.module(self.scope).path)
    }

    /// A path with its head resolved: `Some(rewritten)` when it names a crate item, an unknown
    /// item, or std under another name; `None` to leave it as written.
    fn path(&self, segs: &[Name], ns: Ns) -> Option<Vec<Name>> {
        let (first, rest) = segs.split_first()?;
        if self.is_param(first) || ast::PRIMS.contains(&&**first) || &**first == "str" {
            return None;
        }
        let first_ns = if rest.is_empty() { ns } else { Ns::Types };
        let mut cur = self.map.first_segment(self.scope, first, first_ns, false);
        if rest.is_empty() && ns == Ns::Values && cur.is_none() {
            return None;
        }
        if let Some(Res::Std(n)) = &cur {
            // A type through a std module the scope names (`use std::fmt;` and
            // `fmt::Formatter`): std's type, written as from `std` so that it reads as std's.
            let module = n.starts_with(|c: char| c.is_ascii_lowercase());
            if ns == Ns::Types
                && !rest.is_empty()
                && module
                && !matches!(&**n, "std" | "core" | "alloc")
            {
                let mut out = vec![Name::from("std"), n.clone()];
                out.extend(rest.iter().cloned());
                return Some(out);
            }
            return (n != first).then(|| {
                let mut out = vec![n.clone()];
                out.extend(rest.iter().cloned());
                out
            });
        }
        for (i, s) in rest.iter().enumerate() {
            let last = i + 1 == rest.len();
            let seg_ns = if last { ns } else { Ns::Types };
            match &cur {
                Some(Res::Module(_)) => {
                    let parent = cur.take().unwrap();
                    cur = self.map.segment_in(&parent, s, seg_ns);
                    if cur.is_none() && last && seg_ns == Ns::Values {
                        // `m::Foo { .. }` asks the types, `m::Foo(..)` the values.
                        cur = self.map.segment_in(&parent, s, Ns::Types);
                    }
                }
                Some(Res::Item { id, kind }) => {
                    if let super::DefKind::Enum(variants) = kind {
                        if variants.contains(s) {
                            let mut out = vec![id.clone(), s.clone()];
                            out.extend(rest[i + 1..].iter().cloned());
                            return Some(out);
                        }
                    }
                    // An associated item: `Type::new`.
                    let mut out = vec![id.clone()];
                    out.extend(rest[i..].iter().cloned());
                    return Some(out);
                }
                Some(Res::Std(_)) => return None,
                Some(Res::Variant { .. }) => return None,
                Some(Res::Unknown) | None => {
                    let mut out = vec![unknown_id(&segs[..=i])];
                    out.extend(rest[i..].iter().cloned());
                    return Some(out);
                }
            }
        }
        Some(match cur {
            Some(Res::Item { id, .. }) => vec![id],
            Some(Res::Variant { enum_id, name }) => vec![enum_id, name],
            Some(Res::Std(_)) | Some(Res::Module(_)) => return None,
            Some(Res::Unknown) | None => vec![unknown_id(segs)],
        })
    }

    /// A written type with its paths resolved.
    pub fn ty(&self, t: &mut Type) {
        match t {
            Type::Ref { inner, .. } | Type::Ptr { inner, .. } => self.ty(inner),
            Type::Path { segments, args } => {
                if let Some(new) = self.path(segments, Ns::Types) {
                    // A type is one id; what follows an item (`Trait::Assoc`) is beyond us.
                    *segments = if new.len() == 1 || &*new[0] == "std" {
                        new
                    } else {
                        vec![unknown_id(segments)]
                    };
                }
                self.generic_args(args);
            }
            Type::Tuple(ts) => ts.iter_mut().for_each(|t| self.ty(t)),
            Type::Array(t, _) | Type::Slice(t) => self.ty(t),
            Type::FnPtr(Some(r)) => self.ty(r),
            Type::DynTrait(bounds, fb) | Type::ImplTrait(bounds, fb) => {
                bounds.iter_mut().for_each(|b| self.bound_text(b));
                if let Some(fb) = fb {
                    self.fn_bound(fb);
                }
            }
            _ => {}
        }
    }

    /// A bound as written (`m::Tr<u8>`, `Fn(u8)`): a crate trait's path becomes its id, the
    /// arguments kept.
    fn bound_text(&self, b: &mut Name) {
        let end = b.find(['<', '(']).unwrap_or(b.len());
        let head = b[..end].trim();
        if head.is_empty() || head.starts_with(['\'', '?']) {
            return;
        }
        let segs: Vec<Name> = head.split("::").map(|s| Name::from(s.trim())).collect();
        if segs.iter().any(|s| s.is_empty()) {
            return;
        }
        if let Some(Res::Item {
            id,
            kind: super::DefKind::Trait,
        }) = self.resolve_full(&segs)
        {
            *b = format!("{id}{}", &b[end..]).into();
        }
    }

    /// What a whole path names in the type namespace, if anything.
    fn resolve_full(&self, segs: &[Name]) -> Option<Res> {
        let (first, rest) = segs.split_first()?;
        let mut cur = self
            .map
            .first_segment(self.scope, first, Ns::Types, false)?;
        for s in rest {
            cur = self.map.segment_in(&cur, s, Ns::Types)?;
        }
        Some(cur)
    }

    fn generic_args(&self, args: &mut [GenericArg]) {
        for a in args {
            if let GenericArg::Type(t) = a {
                self.ty(t);
            }
        }
    }

    /// Trait names in bounds (last segments, as the syntax keeps them): the crate's traits
    /// become their ids.
    pub fn bound(&self, b: &mut Name) {
        if b.starts_with(['\'', '?']) || self.is_param(b) {
            return;
        }
        if let Some(Res::Item {
            id,
            kind: super::DefKind::Trait,
        }) = self.map.first_segment(self.scope, b, Ns::Types, false)
        {
            *b = id;
        }
    }

    pub fn generics(&self, g: &mut Generics) {
        for (_, bounds) in &mut g.types {
            bounds.iter_mut().for_each(|b| self.bound(b));
        }
        for (_, fb) in &mut g.fn_bounds {
            self.fn_bound(fb);
        }
    }

    /// A `Fn*` bound's trait (a crate trait of that name becomes its id) and types resolved.
    fn fn_bound(&self, fb: &mut FnBound) {
        self.bound_text(&mut fb.trait_name);
        fb.params.iter_mut().for_each(|t| self.ty(t));
        if let Some(r) = &mut fb.ret {
            self.ty(r);
        }
    }

    /// A trait named in `impl Trait for ..` (its written path and last segment): a crate
    /// trait's id, an unknown id for an unknown trait, else the std name.
    pub fn trait_ref(&self, path: &[Name], name: &Name) -> Name {
        if path.is_empty() {
            return name.clone();
        }
        match self.path(path, Ns::Types) {
            Some(new) if new.len() == 1 => new[0].clone(),
            Some(_) => unknown_id(path),
            None => name.clone(),
        }
    }

    /// A function's signature and body resolved (`container` resolved apart: its scope is the
    /// item's, not the body's).
    pub fn fn_def(mut self, def: &mut FnDef, container: &Container) {
        self.generics
            .extend(def.generics.types.iter().map(|(n, _)| n.clone()));
        self.generics
            .extend(container.impl_generics.types.iter().map(|(n, _)| n.clone()));
        let mut locals = HashSet::new();
        collect_fn_bindings(def, &mut locals);
        self.locals = locals;
        self.generics(&mut def.generics);
        if let Some(ast::SelfParam::Typed { ty, .. }) = &mut def.self_param {
            self.ty(ty);
        }
        for p in &mut def.params {
            self.ty(&mut p.ty);
            self.pat(&mut p.pat);
        }
        if let Some(r) = &mut def.ret {
            self.ty(r);
        }
        if let Some(b) = &mut def.body {
            self.block(b);
        }
        for (_, a) in &mut def.path_args {
            self.path_args(a);
        }
    }

    fn path_args(&self, a: &mut PathArgs) {
        let PathArgs {
            all,
            last,
            owner,
            qself,
        } = a;
        self.generic_args(all);
        self.generic_args(last);
        self.generic_args(owner);
        if let Some(t) = qself {
            self.ty(t);
        }
    }

    fn block(&self, b: &mut Block) {
        for s in &mut b.stmts {
            match s {
                Stmt::Let {
                    pat,
                    ty,
                    init,
                    else_block,
                    ..
                } => {
                    self.pat(pat);
                    if let Some(t) = ty {
                        self.ty(t);
                    }
                    if let Some(e) = init {
                        self.expr(e);
                    }
                    if let Some(b) = else_block {
                        self.block(b);
                    }
                }
                Stmt::Expr { expr, .. } => self.expr(expr),
                Stmt::Item(_) | Stmt::Cfg(_) => {}
            }
        }
        if let Some(t) = &mut b.tail {
            self.expr(t);
        }
    }

    fn value_path(&self, segs: &mut Vec<Name>, ns: Ns) {
        if segs.len() == 1 && (self.locals.contains(&segs[0]) || &*segs[0] == "self") {
            return;
        }
        if let Some(new) = self.path(segs, ns) {
            *segs = new;
        }
    }

    fn expr(&self, e: &mut Expr) {
        match &mut e.kind {
            ExprKind::Path(segs) => self.value_path(segs, Ns::Values),
            ExprKind::Lit(_) | ExprKind::Continue { .. } | ExprKind::Unknown(_) => {}
            ExprKind::Unary(_, x)
            | ExprKind::Ref { expr: x, .. }
            | ExprKind::Field(x, _)
            | ExprKind::Try(x)
            | ExprKind::Await(x) => self.expr(x),
            ExprKind::Binary(_, a, b)
            | ExprKind::Assign(a, b)
            | ExprKind::CompoundAssign(_, a, b)
            | ExprKind::Index(a, b)
            | ExprKind::ArrayRepeat(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Call(f, args, generics) => {
                self.expr(f);
                args.iter_mut().for_each(|a| self.expr(a));
                self.path_args(generics);
            }
            ExprKind::MethodCall {
                receiver,
                args,
                generics,
                ..
            } => {
                self.expr(receiver);
                args.iter_mut().for_each(|a| self.expr(a));
                self.generic_args(generics);
            }
            ExprKind::Tuple(xs) | ExprKind::Array(xs) => xs.iter_mut().for_each(|x| self.expr(x)),
            ExprKind::Struct {
                path,
                fields,
                base,
                generics,
            } => {
                if let Some(new) = self.path(path, Ns::Types) {
                    *path = new;
                }
                fields.iter_mut().for_each(|(_, x)| self.expr(x));
                if let Some(b) = base {
                    self.expr(b);
                }
                self.generic_args(generics);
            }
            ExprKind::Block { block, .. } | ExprKind::OpaqueBlock(block) => self.block(block),
            ExprKind::Loop { body, .. } => self.block(body),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.expr(cond);
                self.block(then_branch);
                if let Some(e) = else_branch {
                    self.expr(e);
                }
            }
            ExprKind::Let { pat, expr } => {
                self.pat(pat);
                self.expr(expr);
            }
            ExprKind::While { cond, body, .. } => {
                self.expr(cond);
                self.block(body);
            }
            ExprKind::For {
                pat, iter, body, ..
            } => {
                self.pat(pat);
                self.expr(iter);
                self.block(body);
            }
            ExprKind::Match { scrutinee, arms } => {
                self.expr(scrutinee);
                for a in arms {
                    self.pat(&mut a.pat);
                    if let Some(g) = &mut a.guard {
                        self.expr(g);
                    }
                    self.expr(&mut a.body);
                }
            }
            ExprKind::Closure {
                params, ret, body, ..
            } => {
                for p in params {
                    self.pat(&mut p.pat);
                    if let Some(t) = &mut p.ty {
                        self.ty(t);
                    }
                }
                if let Some(r) = ret {
                    self.ty(r);
                }
                self.expr(body);
            }
            ExprKind::Break { value, .. } => {
                if let Some(v) = value {
                    self.expr(v);
                }
            }
            ExprKind::Return(v) => {
                if let Some(v) = v {
                    self.expr(v);
                }
            }
            ExprKind::Range { start, end, .. } => {
                if let Some(s) = start {
                    self.expr(s);
                }
                if let Some(e) = end {
                    self.expr(e);
                }
            }
            ExprKind::Cast(x, t) => {
                self.expr(x);
                self.ty(t);
            }
            ExprKind::Macro(m) => match &mut m.args {
                MacroArgs::Exprs(xs) => xs.iter_mut().for_each(|x| self.expr(x)),
                MacroArgs::Repeat(a, b) => {
                    self.expr(a);
                    self.expr(b);
                }
                MacroArgs::Tokens(_) => {}
            },
        }
    }

    fn pat(&self, p: &mut Pat) {
        match &mut p.kind {
            PatKind::Binding { sub: Some(s), .. } => self.pat(s),
            PatKind::Tuple(ps) | PatKind::Slice(ps) | PatKind::Or(ps) => {
                ps.iter_mut().for_each(|p| self.pat(p))
            }
            PatKind::TupleStruct {
                path,
                elems,
                generics,
            } => {
                if let Some(new) = self.path(path, Ns::Values) {
                    *path = new;
                }
                elems.iter_mut().for_each(|p| self.pat(p));
                self.generic_args(generics);
            }
            PatKind::Struct {
                path,
                fields,
                generics,
                ..
            } => {
                if let Some(new) = self.path(path, Ns::Types) {
                    *path = new;
                }
                fields.iter_mut().for_each(|(_, p)| self.pat(p));
                self.generic_args(generics);
            }
            PatKind::Path(path) => {
                if let Some(new) = self.path(path, Ns::Values) {
                    *path = new;
                }
            }
            PatKind::Ref { pat, .. } => self.pat(pat),
            _ => {}
        }
    }
}

/// Every binding name of a function: its parameters' and those of every pattern in its body.
fn collect_fn_bindings(def: &FnDef, out: &mut HashSet<Name>) {
    fn pat(p: &Pat, out: &mut HashSet<Name>) {
        p.walk(&mut |p| {
            if let PatKind::Binding { name, .. } = &p.kind {
                out.insert(name.clone());
            }
        })
    }
    fn block(b: &Block, out: &mut HashSet<Name>) {
        for s in &b.stmts {
            match s {
                Stmt::Let {
                    pat: p,
                    init,
                    else_block,
                    ..
                } => {
                    pat(p, out);
                    if let Some(e) = init {
                        expr(e, out);
                    }
                    if let Some(b) = else_block {
                        block(b, out);
                    }
                }
                Stmt::Expr { expr: e, .. } => expr(e, out),
                Stmt::Item(_) | Stmt::Cfg(_) => {}
            }
        }
        if let Some(t) = &b.tail {
            expr(t, out);
        }
    }
    fn expr(e: &Expr, out: &mut HashSet<Name>) {
        match &e.kind {
            ExprKind::Block { block: b, .. }
            | ExprKind::OpaqueBlock(b)
            | ExprKind::Loop { body: b, .. } => block(b, out),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                expr(cond, out);
                block(then_branch, out);
                if let Some(e) = else_branch {
                    expr(e, out);
                }
            }
            ExprKind::While { cond, body, .. } => {
                expr(cond, out);
                block(body, out);
            }
            ExprKind::For {
                pat: p, iter, body, ..
            } => {
                pat(p, out);
                expr(iter, out);
                block(body, out);
            }
            ExprKind::Let { pat: p, expr: x } => {
                pat(p, out);
                expr(x, out);
            }
            ExprKind::Match { scrutinee, arms } => {
                expr(scrutinee, out);
                for a in arms {
                    pat(&a.pat, out);
                    if let Some(g) = &a.guard {
                        expr(g, out);
                    }
                    expr(&a.body, out);
                }
            }
            ExprKind::Closure { params, body, .. } => {
                params.iter().for_each(|c| pat(&c.pat, out));
                expr(body, out);
            }
            _ => ast::for_each_child(e, &mut |c| expr(c, out)),
        }
    }
    for p in &def.params {
        pat(&p.pat, out);
    }
    if let Some(b) = &def.body {
        block(b, out);
    }
}
