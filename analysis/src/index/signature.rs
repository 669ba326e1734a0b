//! A function's signature as the index keeps it: receiver, parameters, return type, which
//! parameters a returned reference borrows from (the elision rules), what a `&mut self` method
//! stores into its receiver.

use super::*;

/// The impl's type parameters in the order the self type's arguments name them, when each
/// argument is a distinct parameter and every parameter is one (`impl<T> X for Own<T>`).
pub(super) fn self_params(self_ty: &ast::Type, g: &ast::Generics) -> Option<Vec<Name>> {
    let ast::Type::Path { args, .. } = self_ty else {
        return None;
    };
    let mut params: Vec<Name> = Vec::new();
    for a in args {
        match a {
            ast::GenericArg::Lifetime(_) => {}
            ast::GenericArg::Type(ast::Type::Path { segments, args })
                if segments.len() == 1
                    && args.is_empty()
                    && g.types.iter().any(|(n, _)| *n == segments[0])
                    && !params.contains(&segments[0]) =>
            {
                params.push(segments[0].clone())
            }
            _ => return None,
        }
    }
    (params.len() == g.types.len()).then_some(params)
}

/// The signature of a function as a call site sees it.
/// What callers see of `def`; `outer` are the generics of its impl or trait, which callers
/// instantiate as they do the function's own (unknown to us).
/// `impl_self` is the impl's self type as written: a by-value `self` holds its lifetimes
/// (`impl<'a> Parser<'a> { fn rest(self) -> &'a str }` returns a borrow the receiver held).
pub fn signature(
    def: &ast::FnDef,
    outer: &ast::Generics,
    self_ty: Option<&Ty>,
    impl_self: Option<&ast::Type>,
) -> FnSig {
    let generics = [generic_copy(&def.generics), generic_copy(outer)].concat();
    let outer_params: Vec<Name> = outer.types.iter().map(|(n, _)| n.clone()).collect();
    let receiver = match &def.self_param {
        None => Receiver::None,
        Some(ast::SelfParam::Value { .. }) => Receiver::Value,
        Some(ast::SelfParam::Ref {
            mutability: Mutability::Not,
            ..
        }) => Receiver::Ref,
        Some(ast::SelfParam::Ref {
            mutability: Mutability::Mut,
            ..
        }) => Receiver::RefMut,
        Some(ast::SelfParam::Typed { ty, .. }) => match ty {
            ast::Type::Ref {
                mutability: Mutability::Not,
                ..
            } => Receiver::Ref,
            ast::Type::Ref {
                mutability: Mutability::Mut,
                ..
            } => Receiver::RefMut,
            _ => Receiver::Value,
        },
    };
    let params: Vec<Ty> = def
        .params
        .iter()
        .map(|p| Ty::from_ast(&p.ty, &generics, self_ty))
        .collect();
    let ret = def
        .ret
        .as_ref()
        .map_or(Ty::unit(), |t| Ty::from_ast(t, &generics, self_ty));
    // The callee's generic parameters are instantiated by each caller: unknown to us. The impl's
    // leave the rest of the type known (`Self` of `impl<T> Bag<T>` is a `Bag<_>`).
    let ret = ret.subst(&outer_params, &vec![Ty::Unknown; outer_params.len()]);
    let ret = if ret.has_params() || matches!(ret, Ty::Opaque | Ty::Dyn(_)) {
        Ty::Unknown
    } else {
        ret
    };

    // Which inputs the output's lifetimes come from.
    let mut out = Vec::new();
    if let Some(t) = &def.ret {
        lifetimes_in(t, &mut out);
    }
    let self_offset = usize::from(def.self_param.is_some());
    let mut ret_borrows = Vec::new();
    let ret_holds_borrow = !out.is_empty();
    if ret_holds_borrow {
        let mut inputs: Vec<(usize, Vec<Name>)> = Vec::new();
        match &def.self_param {
            Some(ast::SelfParam::Ref { lifetime, .. }) => {
                inputs.push((0, vec![lifetime.clone().unwrap_or_else(|| "_".into())]))
            }
            Some(ast::SelfParam::Typed { ty, .. }) => {
                let mut l = Vec::new();
                lifetimes_in(ty, &mut l);
                inputs.push((0, l));
            }
            Some(ast::SelfParam::Value { .. }) => {
                let mut l = Vec::new();
                if let Some(t) = impl_self {
                    lifetimes_in(t, &mut l);
                }
                inputs.push((0, l))
            }
            None => {}
        }
        for (i, p) in def.params.iter().enumerate() {
            // The argument of a `&'x T` parameter carries the loan of region `'x`; lifetimes
            // inside `T` are inner regions that one region per value cannot follow.
            let l = match &p.ty {
                ast::Type::Ref { lifetime, .. } => {
                    vec![lifetime.clone().unwrap_or_else(|| "_".into())]
                }
                t => {
                    let mut l = Vec::new();
                    lifetimes_in(t, &mut l);
                    l
                }
            };
            inputs.push((i + self_offset, l));
        }
        let elided_out = out.iter().any(|l| &**l == "_");
        if elided_out {
            // Elision: `&self` wins; otherwise the single input with lifetimes.
            let self_ref = matches!(
                def.self_param,
                Some(ast::SelfParam::Ref { .. }) | Some(ast::SelfParam::Typed { .. })
            );
            if self_ref {
                ret_borrows.push(0);
            } else {
                // A by-value `self` is `Self`, which names no lifetime: elision does not
                // count its type's.
                let value_self = matches!(def.self_param, Some(ast::SelfParam::Value { .. }));
                let with: Vec<usize> = inputs
                    .iter()
                    .filter(|(i, l)| !l.is_empty() && (!value_self || *i != 0))
                    .map(|(i, _)| *i)
                    .collect();
                if with.len() == 1 {
                    ret_borrows.push(with[0]);
                }
            }
        }
        for l in out.iter().filter(|l| &***l != "_" && &***l != "static") {
            for (i, ls) in &inputs {
                if ls.contains(l) && !ret_borrows.contains(i) {
                    ret_borrows.push(*i);
                }
            }
        }
        ret_borrows.sort_unstable();
    }
    // A generic return type shared with a parameter (`fn id<T>(x: T) -> T`) carries that
    // argument's borrows: the parameter's instantiation is the result's.
    let mut ret_holds_borrow = ret_holds_borrow;
    if let Some(rt) = &def.ret {
        let mut in_ret = Vec::new();
        type_params_in(rt, &def.generics, &mut in_ret);
        if !in_ret.is_empty() {
            for (i, p) in def.params.iter().enumerate() {
                let mut in_param = Vec::new();
                type_params_in(&p.ty, &def.generics, &mut in_param);
                if in_param.iter().any(|n| in_ret.contains(n))
                    && !ret_borrows.contains(&(i + self_offset))
                {
                    ret_borrows.push(i + self_offset);
                    ret_holds_borrow = true;
                }
            }
            ret_borrows.sort_unstable();
        }
    }
    // `&'static T`, a type parameter bounded by `'static` (`F: FnOnce() + Send + 'static`,
    // inline or in `where`), or `impl Tr + 'static`: what is passed there must outlive the body.
    let static_bound = |bounds: &[Name]| bounds.iter().any(|b| b.trim() == "'static");
    let static_params = def
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            mentions_static(&p.ty)
                || match &p.ty {
                    ast::Type::Path { segments, args }
                        if segments.len() == 1 && args.is_empty() =>
                    {
                        def.generics
                            .types
                            .iter()
                            .any(|(n, bs)| *n == segments[0] && static_bound(bs))
                    }
                    // An argument-position `impl Tr` is converted as `dyn Tr` (one type per
                    // call, as a type parameter's).
                    ast::Type::ImplTrait(bounds, _) | ast::Type::DynTrait(bounds, _) => {
                        static_bound(bounds)
                    }
                    _ => false,
                }
        })
        .map(|(i, _)| i)
        .collect();
    let bare = |t: &ast::Type| match t {
        ast::Type::Path { segments, args }
            if segments.len() == 1
                && args.is_empty()
                && def.generics.types.iter().any(|(n, _)| *n == segments[0]) =>
        {
            Some(segments[0].clone())
        }
        _ => None,
    };
    let ret_param = def.ret.as_ref().and_then(bare).and_then(|r| {
        def.params
            .iter()
            .position(|p| bare(&p.ty).as_ref() == Some(&r))
    });
    // Bounds come as written (`Fn(i32) -> i32`) or as the trait's name (`Fn`).
    let is_fn_bound = |b: &Name| {
        let b = b.trim();
        b == "Fn"
            || b.strip_prefix("Fn")
                .is_some_and(|r| r.trim_start().starts_with('('))
    };
    let fn_params = def
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| match &p.ty {
            ast::Type::ImplTrait(bounds, _) => bounds.iter().any(is_fn_bound),
            ast::Type::Path { segments, args } if segments.len() == 1 && args.is_empty() => def
                .generics
                .types
                .iter()
                .any(|(n, bounds)| *n == segments[0] && bounds.iter().any(is_fn_bound)),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect();
    FnSig {
        receiver,
        params,
        ret,
        ret_borrows,
        ret_holds_borrow,
        static_params,
        ret_param,
        fn_params,
        stores: Vec::new(),
        written: Some(std::sync::Arc::new(written_sig(def, outer, None))),
    }
}

/// `FnSig::stores` of a method of `impl .. for <self_ty>`.
pub(super) fn stores_into_self(def: &ast::FnDef, self_ty: &ast::Type) -> Vec<usize> {
    if !matches!(
        def.self_param,
        Some(ast::SelfParam::Ref {
            mutability: Mutability::Mut,
            ..
        })
    ) {
        return Vec::new();
    }
    let ast::Type::Path { args, .. } = self_ty else {
        return Vec::new();
    };
    let mut types: Vec<Name> = Vec::new();
    let mut lifetimes: Vec<Name> = Vec::new();
    for a in args {
        match a {
            ast::GenericArg::Lifetime(l) if !matches!(&**l, "_" | "static") => {
                lifetimes.push(l.clone())
            }
            ast::GenericArg::Type(ast::Type::Path { segments, args })
                if segments.len() == 1 && args.is_empty() =>
            {
                types.push(segments[0].clone())
            }
            _ => {}
        }
    }
    // The method's own parameters of the same name would shadow (rustc rejects that anyway).
    types.retain(|t| !def.generics.types.iter().any(|(n, _)| n == t));
    lifetimes.retain(|l| !def.generics.lifetimes.contains(l));
    // A reference's own region is the callee's unless named by the self type: what lies behind
    // it is an inner region, which one region per value cannot follow.
    fn shares(t: &ast::Type, types: &[Name], lifetimes: &[Name]) -> bool {
        match t {
            ast::Type::Ref { lifetime, .. } => {
                lifetime.as_ref().is_some_and(|l| lifetimes.contains(l))
            }
            ast::Type::Path { segments, args } => {
                (segments.len() == 1 && args.is_empty() && types.contains(&segments[0]))
                    || args.iter().any(|a| match a {
                        ast::GenericArg::Lifetime(l) => lifetimes.contains(l),
                        ast::GenericArg::Type(t) => shares(t, types, lifetimes),
                        ast::GenericArg::Other => false,
                    })
            }
            ast::Type::Tuple(ts) => ts.iter().any(|t| shares(t, types, lifetimes)),
            ast::Type::Array(t, _) | ast::Type::Slice(t) => shares(t, types, lifetimes),
            _ => false,
        }
    }
    def.params
        .iter()
        .enumerate()
        .filter(|(_, p)| shares(&p.ty, &types, &lifetimes))
        .map(|(i, _)| i)
        .collect()
}
