//! A closure's universal regions, as rustc's `universal_regions.rs` makes them: the regions its
//! signature binds (`for<'r>`: the late-bound ones) are the closure's own, "local"; every other
//! region it can name (its captured variables', its inferred return type's, the defining
//! function's) is "external", chosen by the function that defines it. A local region that must
//! outlive an external one (or `'static`) is an error in the closure's body (E0521 when the
//! closure stores or passes the data out, else "lifetime may not live long enough").
//!
//! A closure's parameter is higher-ranked where rustc deduces it so: passed straight to a
//! function or crate method whose parameter is a type parameter bounded by `Fn*(..)` (or an
//! `impl Fn*(..)`) with an elided (or `for<..>`) lifetime in that argument, or annotated with an elided lifetime where nothing is
//! expected of the closure (a `let` without a type, a statement). Anywhere else (an unknown
//! callee, a bound naming the caller's lifetime, an impl's type parameter) the closure has no
//! universal regions and nothing is checked.

use super::Lower;
use crate::ast::{self, ClosureParam, Expr, ExprKind, FnBound, Name, Span};
use crate::index::{Index, WrittenSig};
use crate::mir::*;
use crate::ty::regions::{implied_bounds, RTy, Region, Written};

/// What is expected of a closure where it is written.
#[derive(Clone, Debug)]
pub(super) enum Expect {
    /// Passed where a type parameter bounded by this `Fn*` signature is expected; the callee's
    /// type parameters (their instances are not known here).
    Bound(FnBound, Vec<Name>),
    /// Nothing: its signature is its annotations' alone.
    Nothing,
}

/// The universal regions being made for a closure: local and external, by name where named.
#[derive(Default)]
struct Universals {
    list: Vec<Universal>,
    named: Vec<(Name, Region)>,
}

impl Universals {
    /// A new region; a local one keeps no name: the closure does not write it (rustc numbers
    /// it), a `for<'r>` of the callee's bound names it there only.
    fn push(&mut self, name: Option<&Name>, external: bool) -> Region {
        self.list.push(Universal {
            name: name.filter(|_| external).cloned(),
            of_param: !external,
            external,
        });
        let r = Region::Param(self.list.len() as u32 - 1);
        if let Some(n) = name {
            self.named.push((n.clone(), r));
        }
        r
    }

    /// The region of a lifetime written in a type: an elided one is a fresh region, local when
    /// `elided_local`; a named one is local when `local` names it.
    fn region(&mut self, l: Option<&Name>, elided_local: bool, local: &[Name]) -> Region {
        match l {
            None => self.push(None, !elided_local),
            Some(n) => match self.named.iter().find(|(m, _)| m == n) {
                Some(&(_, r)) => r,
                None => self.push(Some(n), !local.contains(n)),
            },
        }
    }
}

/// Whether a type has a type parameter anywhere: its instance is the caller's, not known.
fn has_param(t: &RTy) -> bool {
    match t {
        RTy::Param(_) => true,
        RTy::Ref(_, _, t) | RTy::Array(t) | RTy::Slice(t) => has_param(t),
        RTy::Tuple(ts) => ts.iter().any(has_param),
        RTy::Adt { args, .. } => args.iter().any(has_param),
        RTy::Opaque(_) => false,
    }
}

/// A closure's regions: its parameters' declared types (`args` are their locals), the return
/// place's where it cannot be inferred. `None` when nothing is known of its signature.
pub(super) fn closure_regions(
    index: &Index,
    expect: &Expect,
    params: &[ClosureParam],
    args: &[Local],
    ret: Option<&ast::Type>,
) -> Option<BodyRegions> {
    let mut u = Universals::default();
    let mut local_tys: Vec<(Local, RTy, Option<Span>)> = Vec::new();
    let mut pairs: Vec<(Region, Region)> = Vec::new();
    let no_params: Vec<Name> = Vec::new();
    let (written, binder, type_params): (Vec<Option<&ast::Type>>, &[Name], &[Name]) = match expect {
        Expect::Bound(b, tps) => {
            // An annotation naming a lifetime against a higher-ranked expectation is another
            // error (rustc's "one type is more general than the other"), not ours to word.
            let mut named = Vec::new();
            for t in params.iter().filter_map(|p| p.ty.as_ref()) {
                crate::index::lifetimes_named(t, &mut named);
            }
            if b.params.len() != params.len() || !named.is_empty() {
                return None;
            }
            (b.params.iter().map(Some).collect(), &b.binder, tps)
        }
        Expect::Nothing => (
            params.iter().map(|p| p.ty.as_ref()).collect(),
            &[],
            &no_params,
        ),
    };
    let w = Written {
        index,
        self_ty: None,
        type_params,
    };
    for (&l, t) in args.iter().zip(&written) {
        let Some(t) = t else { continue };
        let mut lossy = false;
        let mut region = |n: Option<&Name>| u.region(n, true, binder);
        let rty = w.convert(t, &mut region, &mut lossy);
        // A parameter whose type is not followed is not declared: its values relate nothing.
        if lossy || has_param(&rty) {
            continue;
        }
        implied_bounds(index, &rty, &mut pairs);
        local_tys.push((l, rty, None));
    }
    // The return type: inferred by the defining function (external), unless the expected
    // signature returns regions of its own (then not followed).
    let ret_ty = match (expect, ret) {
        (Expect::Bound(..), Some(_)) => Some(RTy::Opaque(Vec::new())),
        (Expect::Bound(b, tps), None) => match &b.ret {
            Some(ast::Type::Path { segments, args })
                if segments.len() == 1 && args.is_empty() && tps.contains(&segments[0]) =>
            {
                None
            }
            Some(t) => {
                let mut lossy = false;
                let t = w.convert(t, &mut |_| Region::Unknown, &mut lossy);
                let mut rs = Vec::new();
                t.regions(&mut rs);
                (lossy || !rs.is_empty() || has_param(&t)).then(|| RTy::Opaque(Vec::new()))
            }
            None => None,
        },
        (Expect::Nothing, Some(t)) => {
            let mut lossy = false;
            let mut region = |n: Option<&Name>| u.region(n, false, &[]);
            let t = w.convert(t, &mut region, &mut lossy);
            Some(if lossy { RTy::Opaque(Vec::new()) } else { t })
        }
        (Expect::Nothing, None) => None,
    };
    local_tys.extend(ret_ty.map(|t| (Body::return_local(), t, None)));
    if u.list.iter().all(|x| x.external) {
        return None;
    }
    let known = super::regions::transitive(u.list.len(), &pairs);
    Some(BodyRegions {
        universals: u.list,
        known,
        local_tys,
        fn_kind: "closure",
        closure: true,
        ..BodyRegions::default()
    })
}

impl Lower<'_> {
    /// Records what each closure passed to the callee of `sig` is expected to be: the callee's
    /// `Fn*` bound of the type parameter it is passed as (`f: F`, `f: impl Fn(..)`).
    pub(super) fn record_closure_bounds(&mut self, sig: &WrittenSig, args: &[Expr]) {
        if sig.params.len() != args.len() {
            return;
        }
        let type_params: Vec<Name> = sig.generics.types.iter().map(|(n, _)| n.clone()).collect();
        for (p, a) in sig.params.iter().zip(args) {
            let (bound, closure) = match (p, &a.kind) {
                (ast::Type::Path { segments, args }, ExprKind::Closure { .. })
                    if segments.len() == 1
                        && args.is_empty()
                        && type_params.contains(&segments[0]) =>
                {
                    let bounds: Vec<&FnBound> = sig
                        .generics
                        .fn_bounds
                        .iter()
                        .filter(|(n, _)| *n == segments[0])
                        .map(|(_, b)| b)
                        .collect();
                    match bounds[..] {
                        [b] => (b, a),
                        _ => continue,
                    }
                }
                (ast::Type::ImplTrait(_, Some(b)), ExprKind::Closure { .. }) => (&**b, a),
                // A closure borrowed as a trait object (`&mut |y| ..` for `&mut dyn FnMut(..)`)
                // is lowered as a constant: its body is not checked.
                _ => continue,
            };
            if matches!(&*bound.trait_name, "Fn" | "FnMut" | "FnOnce") {
                self.closure_expects.push((
                    closure.span,
                    Expect::Bound(bound.clone(), type_params.clone()),
                ));
            }
        }
    }

    /// A closure where nothing is expected of it: the initializer of a `let` without a type, or
    /// a statement.
    pub(super) fn record_unexpected_closure(&mut self, e: &Expr) {
        if matches!(e.kind, ExprKind::Closure { .. }) {
            self.closure_expects.push((e.span, Expect::Nothing));
        }
    }

    /// What is expected of the closure written at `span`, if known.
    pub(super) fn closure_expect(&self, span: Span) -> Option<Expect> {
        self.closure_expects
            .iter()
            .rev()
            .find(|(s, _)| *s == span)
            .map(|(_, e)| e.clone())
    }
}
