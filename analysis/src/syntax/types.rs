//! Types, the generic arguments written in types and paths, and path segments.

use tree_sitter::Node;

use super::cx::{mut_if, Cx};
use super::kinds::K;
use crate::ast::{FnBound, GenericArg, Name, PathArgs, Type};

impl<'t, 's> Cx<'t, 's> {
    pub(super) fn ty(&mut self, node: Node<'t>) -> Type {
        if node.is_missing() || !self.enter() {
            return Type::Unknown;
        }
        let ty = self.ty_inner(node);
        self.leave();
        ty
    }

    fn ty_inner(&mut self, node: Node<'t>) -> Type {
        let f = &self.g.f;
        match self.kind(node) {
            K::TypeIdentifier if self.text(node) == "_" => Type::Infer,
            K::TypeIdentifier
            | K::PrimitiveType
            | K::Identifier
            | K::ScopedTypeIdentifier
            | K::ScopedIdentifier => match self.path_segments(node, false) {
                Some(segments) => Type::Path {
                    segments,
                    args: Vec::new(),
                },
                None => Type::Unknown,
            },
            K::GenericType => {
                let base = node.child_by_field_id(f.type_);
                let args = node.child_by_field_id(f.type_arguments);
                match base.and_then(|b| self.path_segments(b, false)) {
                    Some(segments) => {
                        let args = args.map_or_else(Vec::new, |a| self.generic_args(a));
                        Type::Path { segments, args }
                    }
                    None => Type::Unknown,
                }
            }
            K::ReferenceType => {
                let kids = self.push_kids(node);
                let lifetime = self.first_of(kids, K::Lifetime);
                let is_mut = self.first_of(kids, K::MutableSpecifier).is_some();
                let inner = self.field(kids, f.type_);
                self.pop_kids(kids);
                let lifetime = lifetime.map(|l| self.label_name(l));
                let inner = inner.map_or(Type::Unknown, |t| self.ty(t));
                Type::Ref {
                    lifetime,
                    mutability: mut_if(is_mut),
                    inner: Box::new(inner),
                }
            }
            K::PointerType => {
                let kids = self.push_kids(node);
                let is_mut = self.first_of(kids, K::MutableSpecifier).is_some();
                let inner = self.field(kids, f.type_);
                self.pop_kids(kids);
                let inner = inner.map_or(Type::Unknown, |t| self.ty(t));
                Type::Ptr {
                    mutability: mut_if(is_mut),
                    inner: Box::new(inner),
                }
            }
            K::TupleType => {
                let kids = self.push_kids(node);
                let mut elems = Vec::new();
                for i in kids.iter() {
                    let k = self.kid(i);
                    if k.kind.is_type() {
                        elems.push(self.ty(k.node));
                    }
                }
                self.pop_kids(kids);
                Type::Tuple(elems)
            }
            K::UnitType => Type::Tuple(Vec::new()),
            K::ArrayType => {
                let elem = node.child_by_field_id(f.element);
                let len = node.child_by_field_id(f.length);
                let elem = Box::new(elem.map_or(Type::Unknown, |t| self.ty(t)));
                if let Some(len) = len {
                    let n = self.text(len).replace('_', "");
                    let n = n.trim_end_matches("usize").parse::<u64>().ok();
                    Type::Array(elem, n)
                } else {
                    Type::Slice(elem)
                }
            }
            // `Fn(A) -> B` written without `dyn` is a (2015) bare trait object.
            K::FunctionType => match node.child_by_field_id(f.trait_) {
                Some(_) => Type::DynTrait(self.bounds_of(node), self.fn_bound_of(node)),
                None => Type::FnPtr(
                    node.child_by_field_id(f.return_type)
                        .map(|r| Box::new(self.ty(r))),
                ),
            },
            K::AbstractType => Type::ImplTrait(self.bounds_of(node), self.fn_bound_of(node)),
            K::DynamicType => Type::DynTrait(self.bounds_of(node), self.fn_bound_of(node)),
            K::BoundedType => {
                let is_impl = {
                    let kids = self.push_kids(node);
                    let is_impl = self.first_of(kids, K::AbstractType).is_some();
                    self.pop_kids(kids);
                    is_impl
                };
                let bounds = self.bounds_of(node);
                let fn_bound = self.fn_bound_of(node);
                if is_impl {
                    Type::ImplTrait(bounds, fn_bound)
                } else {
                    Type::DynTrait(bounds, fn_bound)
                }
            }
            K::NeverType => Type::Never,
            _ => Type::Unknown,
        }
    }

    fn bounds_of(&mut self, node: Node<'t>) -> Vec<Name> {
        let mut names = Vec::new();
        self.bound_names(node, &mut names);
        names
    }

    /// The one `Fn*` bound written with arguments of an `impl`/`dyn` type, if it has one.
    fn fn_bound_of(&mut self, node: Node<'t>) -> Option<Box<FnBound>> {
        let mut fns = Vec::new();
        self.fn_bounds(node, &[], &mut fns);
        let one = fns.pop().filter(|_| fns.is_empty());
        one.map(Box::new)
    }

    pub(super) fn generic_args(&mut self, node: Node<'t>) -> Vec<GenericArg> {
        let mut args = Vec::new();
        let kids = self.push_kids(node);
        for i in kids.iter() {
            let k = self.kid(i);
            match k.kind {
                K::Anon | K::AttributeItem | K::TraitBounds | K::Error => {}
                K::Lifetime => {
                    let name = self.label_name(k.node);
                    args.push(GenericArg::Lifetime(name));
                }
                kind if kind.is_type() => {
                    let ty = self.ty(k.node);
                    args.push(GenericArg::Type(ty));
                }
                _ => args.push(GenericArg::Other),
            }
        }
        self.pop_kids(kids);
        args
    }

    /// The segment names of a path (`a::b::C`), generic arguments dropped. Walks the left-nested
    /// `path` fields in a loop so that long paths cost no recursion. `<T>::f` gives `T`'s path
    /// and, when `qualified` is allowed, `<T as Tr>::f` gives `Tr`'s path; otherwise such paths
    /// are unreadable (`None`).
    /// The generic arguments written on any segment of a path (`E::<T>::V`, `E::V::<T>`,
    /// `f::<T>`), in order.
    pub(super) fn path_generic_args(&mut self, node: Node<'t>) -> Vec<GenericArg> {
        let f = &self.g.f;
        let mut groups = Vec::new();
        let mut cur = node;
        for _ in 0..64 {
            if cur.is_missing() {
                break;
            }
            match self.kind(cur) {
                K::ScopedIdentifier | K::ScopedTypeIdentifier => {
                    match cur.child_by_field_id(f.path) {
                        Some(p) => cur = p,
                        None => break,
                    }
                }
                K::GenericType | K::GenericTypeWithTurbofish | K::GenericFunction => {
                    if let Some(a) = cur.child_by_field_id(f.type_arguments) {
                        groups.push(a);
                    }
                    let inner = cur
                        .child_by_field_id(f.type_)
                        .or_else(|| cur.child_by_field_id(f.function));
                    match inner {
                        Some(i) => cur = i,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        groups.reverse();
        groups
            .into_iter()
            .flat_map(|a| self.generic_args(a))
            .collect()
    }

    /// The generic arguments of a called path, by the segment that carries them.
    pub(super) fn call_path_args(&mut self, node: Node<'t>) -> PathArgs {
        let f = &self.g.f;
        let mut out = PathArgs {
            all: self.path_generic_args(node),
            ..PathArgs::default()
        };
        let mut cur = node;
        if self.kind(cur) == K::GenericFunction {
            if let Some(a) = cur.child_by_field_id(f.type_arguments) {
                out.last = self.generic_args(a);
            }
            match cur.child_by_field_id(f.function) {
                Some(func) => cur = func,
                None => return out,
            }
        }
        if self.kind(cur) != K::ScopedIdentifier {
            return out;
        }
        let Some(owner) = cur.child_by_field_id(f.path) else {
            return out;
        };
        match self.kind(owner) {
            K::GenericType | K::GenericTypeWithTurbofish => {
                if let Some(a) = owner.child_by_field_id(f.type_arguments) {
                    out.owner = self.generic_args(a);
                }
            }
            K::BracketedType => {
                let Some(inner) = owner.named_child(0) else {
                    return out;
                };
                if self.kind(inner) == K::QualifiedType {
                    out.qself = inner.child_by_field_id(f.type_).map(|t| self.ty(t));
                    if let Some(Type::Path { args, .. }) =
                        inner.child_by_field_id(f.alias).map(|t| self.ty(t))
                    {
                        out.owner = args;
                    }
                } else {
                    let t = self.ty(inner);
                    if let Type::Path { args, .. } = &t {
                        out.owner = args.clone();
                    }
                    out.qself = Some(t);
                }
            }
            _ => {}
        }
        out
    }

    pub(super) fn path_segments(&mut self, node: Node<'t>, qualified: bool) -> Option<Vec<Name>> {
        let f = &self.g.f;
        let mut segments = Vec::new();
        let mut cur = node;
        loop {
            if cur.is_missing() {
                return None;
            }
            match self.kind(cur) {
                K::ScopedIdentifier | K::ScopedTypeIdentifier => {
                    let name = cur.child_by_field_id(f.name)?;
                    segments.push(self.ident(name));
                    match cur.child_by_field_id(f.path) {
                        Some(p) => cur = p,
                        None => break,
                    }
                }
                K::GenericType | K::GenericTypeWithTurbofish => {
                    cur = cur.child_by_field_id(f.type_)?
                }
                K::Identifier | K::TypeIdentifier | K::PrimitiveType => {
                    segments.push(self.ident(cur));
                    break;
                }
                K::SelfKw | K::Crate | K::Super => {
                    segments.push(self.name(cur));
                    break;
                }
                K::BracketedType if qualified => {
                    let inner = cur.named_child(0)?;
                    cur = match self.kind(inner) {
                        K::QualifiedType => inner.child_by_field_id(f.alias)?,
                        _ => inner,
                    };
                }
                _ => return None,
            }
        }
        segments.reverse();
        Some(segments)
    }
}
