//! Patterns: bindings (by value, by reference, under default binding modes, or unknown), the
//! places of tuple, struct, variant and slice sub-patterns, and the discriminant reads of tests.

use super::{borrow_kind, BindMode, Lower};
use crate::ast::{FieldName, Mutability, Pat, PatKind, Span};
use crate::mir::*;
use crate::ty::Ty;

impl Lower<'_> {
    /// Binds the names of `pat` to parts of `place` (of type `ty`).
    pub(super) fn bind_pattern(
        &mut self,
        pat: &Pat,
        place: &Place,
        ty: &Ty,
        mode: BindMode,
        span: Span,
    ) {
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
                // `x @ P`: P's tests read the place before `x` takes it (rustc binds once the
                // whole pattern has matched), and P's bindings come first.
                if let Some(sub) = sub {
                    self.bind_pattern(sub, place, ty, mode, span);
                }
                // rustc points at the binding (`x`, `ref mut x`), not at `x @ P` whole.
                let pat_span = if sub.is_some() {
                    let prefix = match (*by_ref, *mutability) {
                        (Some(Mutability::Mut), _) => "ref mut ".len(),
                        (Some(Mutability::Not), _) | (None, Mutability::Mut) => "ref ".len(),
                        (None, Mutability::Not) => 0,
                    } as u32;
                    let end = pat.span.start + prefix + name.len() as u32;
                    Span::new(pat.span.start, end.min(pat.span.end))
                } else {
                    pat.span
                };
                let (rv, lty, unc) = match (*by_ref, mode) {
                    (Some(m), _) | (None, BindMode::Ref(m)) => {
                        // Under an unknown binding mode the matched value may sit behind a
                        // reference (default binding modes dereference it): the borrowed place is
                        // a guess.
                        let guess = mode == BindMode::Unknown;
                        if m == Mutability::Mut && !guess {
                            self.check_mutable(place, pat_span, true);
                        }
                        (
                            Rvalue::Ref(borrow_kind(m, false), place.clone()),
                            Ty::Ref(m, Box::new(ty.clone())),
                            guess,
                        )
                    }
                    (None, BindMode::Move) => {
                        // A pattern's binding takes the value: a `&mut` is moved, never
                        // reborrowed (no coercion site), unlike a `let`'s initializer.
                        let mut op = match self.place_ty(place) {
                            Ty::Ref(Mutability::Mut, _) => Operand::Move(place.clone()),
                            _ => self.operand_of(place.clone()),
                        };
                        if matches!(op, Operand::Move(_)) && !self.check_move_out(&op, pat_span) {
                            op = Operand::Use(place.clone());
                        }
                        let unc = matches!(op, Operand::Use(_));
                        (Rvalue::Use(op), ty.clone(), unc)
                    }
                    (None, BindMode::Unknown) => {
                        (Rvalue::Use(Operand::Use(place.clone())), Ty::Unknown, true)
                    }
                };
                let mutable = *mutability == Mutability::Mut;
                if self.guard_bindings.is_some() {
                    self.bind_for_guard(name, place, rv, lty, mutable, unc, pat_span);
                    return;
                }
                let l = self.new_local(Some(name.clone()), lty, mutable, LocalKind::User, pat_span);
                self.assign(Place::local(l), rv, pat_span, unc);
                self.bind_name(name.clone(), l);
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
                        // Through a shared reference, rustc's pattern first copies the
                        // reference into a temporary (at the scrutinee's span) and matches
                        // through it: the bindings are not uses of the matched place.
                        let base = if *m == Mutability::Not && !place.proj.is_empty() {
                            let t = self.temp(ty.clone(), self.match_span.unwrap_or(pat.span));
                            self.assign(
                                Place::local(t),
                                Rvalue::Use(Operand::Copy(place.clone())),
                                self.match_span.unwrap_or(pat.span),
                                false,
                            );
                            Place::local(t)
                        } else {
                            place.clone()
                        };
                        (base.deref(), (**inner).clone(), mode)
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
                    let proj = element_proj(i, n, rest, len, min_length);
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
}

/// A binding sub-pattern binds the place itself: no default-binding deref happens at its level.
fn is_binding(p: &Pat) -> bool {
    matches!(p.kind, PatKind::Binding { sub: None, .. } | PatKind::Wild)
}

pub(super) fn is_rest(p: &Pat) -> bool {
    match &p.kind {
        PatKind::Rest => true,
        PatKind::Binding { sub: Some(s), .. } => matches!(s.kind, PatKind::Rest),
        _ => false,
    }
}

/// Whether a pattern has a `ref mut` binding (which borrows a constant's temporary: no promotion).
pub(super) fn binds_ref_mut(pat: &Pat) -> bool {
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

/// `None`, `FOO`, `MyVariant`: identifiers in patterns that name constants, by convention.
pub(super) fn is_constant_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_uppercase())
}

/// The place of element `i` of a slice pattern of `n` sub-patterns (the rest at `rest`) matched
/// against an array of length `len` (`None`: unknown, or a slice): rustc's `ConstantIndex`, from
/// the end after the rest, except that with the array's length an index from the end is one
/// from the start.
pub(super) fn element_proj(
    i: usize,
    n: usize,
    rest: Option<usize>,
    len: Option<u64>,
    min_length: u32,
) -> Proj {
    match (rest, len) {
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
    }
}
