//! The errors found without dataflow, while lowering: E0596/E0594 (borrowing or assigning
//! what is not mutable), E0507/E0508/E0509 (moves out of borrows, sequences and types with a
//! destructor), and `&'static` annotations of lifetimes that may not outlive it.

use super::Lower;
use crate::ast::{self, Mutability, Span};
use crate::errors::{BorrowError, ErrorKind, Immutable, MoveOutOf, Mutation, Pointer, Sequence};
use crate::index;
use crate::mir::*;
use crate::ty::Ty;

/// rustc reports several "cannot borrow `x` as mutable, as it is not declared as mutable" errors
/// on one binding as one error at the binding's declaration.
pub(super) fn fold_not_mut_errors(
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

impl Lower<'_> {
    /// E0596 / E0594 for data behind a shared-only smart pointer or index (`Rc`, `HashMap[..]`):
    /// borrow or assignment depending on the context the place is lowered in.
    pub(super) fn push_no_deref_mut(&mut self, why: Immutable, span: Span) {
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

    /// E0507 / E0508: moving out of a place behind a reference or out of an array or slice
    /// element. Returns false when the move is an error (so it is not recorded as a move).
    pub(super) fn check_move_out(&mut self, op: &Operand, span: Span) -> bool {
        let Operand::Move(p) = op else { return true };
        let tys = crate::mir::place_ty::place_tys(&self.body, self.index, p);
        // Moving out of a `Box` is allowed: only derefs of references and pointers count.
        let last_deref = p.proj.iter().enumerate().rposition(|(i, q)| {
            *q == Proj::Deref && !matches!(&*tys[i], Ty::Adt { name, .. } if &**name == "Box")
        });
        // An element of an array or slice after the last deref: E0508.
        let start = last_deref.map_or(0, |i| i + 1);
        for i in start..p.proj.len() {
            let base = &*tys[i];
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
            if let (Proj::Field(_), Ty::Adt { name, .. }) = (&p.proj[i], &*tys[i]) {
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
            match &*tys[i] {
                Ty::Ref(m, _) => {
                    let is_index_temp =
                        self.body.locals[p.local.0 as usize].kind == LocalKind::Temp && i == 0;
                    let shared_ptr = self
                        .shared_ptr_temps
                        .iter()
                        .find(|(t, _)| *t == p.local && i == 0);
                    let guard = self
                        .guard_alias
                        .iter()
                        .find(|(_, r)| *r == p.local && i == 0);
                    let from = if let Some((g, _)) = guard {
                        let place = Place {
                            local: *g,
                            proj: p.proj[1..].to_vec(),
                        };
                        MoveOutOf::PatternGuard {
                            place: self.describe(&place),
                        }
                    } else if let Some((_, name)) = shared_ptr {
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

    /// E0596 (borrow) / E0594 (assignment): is `place` mutable?
    pub(super) fn check_mutable(&mut self, place: &Place, span: Span, borrow: bool) {
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

    pub(super) fn check_mutable_compound(&mut self, place: &Place, span: Span) {
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
            .map(|i| (i, tys[i].clone().into_owned()));
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

    /// A written `&'static T` is well-formed only if every lifetime in `T` outlives `'static`:
    /// not so for the function's lifetime parameters that nothing relates to `'static`.
    pub(super) fn check_static_outlives(&mut self, t: &ast::Type, span: Span) {
        // Where the function's universal regions are followed, the annotation's well-formedness
        // is one of their constraints (and rustc reports one error per lifetime).
        if self.unrelated_lifetimes.is_empty() || self.body.regions.is_some() {
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
}
