//! Places: the place an expression denotes, through autoderef of references and `Box`, std's
//! and the crate's `Deref` (a borrow into a temporary), built-in and overloaded indexing; and
//! `describe_place`, a place's name as rustc writes it in messages.

use super::{borrow_kind, Lower};
use crate::ast::{Expr, ExprKind, FieldName, Mutability, Span, UnOp};
use crate::errors::Immutable;
use crate::mir::*;
use crate::ty::Ty;

/// rustc's default `recursion_limit`, which bounds autoderef.
const AUTODEREF_LIMIT: usize = 128;

impl Lower<'_> {
    pub(super) fn is_place_expr(&self, e: &Expr) -> bool {
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

    pub(super) fn ensure_place(&mut self, p: Option<Place>, ty: Ty, span: Span) -> Place {
        match p {
            Some(p) => p,
            None => Place::local(self.temp(ty, span)),
        }
    }

    /// `*base` through an overloaded `Deref` (or `DerefMut` when `mutable` and `has_deref_mut`):
    /// `*Deref::deref(&base)`, a borrow of `base` into a temporary reference to `target`, then
    /// its deref, which lasts as long as what is reached through it. A write where there is no
    /// `DerefMut` is left unknown; `unknown_borrow` makes the borrow itself uncertain.
    fn overloaded_deref(
        &mut self,
        base: Place,
        target: Ty,
        has_deref_mut: bool,
        mutable: bool,
        span: Span,
        unknown_borrow: bool,
    ) -> Place {
        let deref_mut = mutable && has_deref_mut;
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
        let t = self.temp(Ty::Ref(m, Box::new(target)), span);
        self.assign(
            Place::local(t),
            Rvalue::Ref(borrow_kind(m, false), base),
            span,
            unknown_borrow,
        );
        Place::local(t).deref()
    }

    /// `*base` through the crate's own `Deref` (`DerefMut` where implemented).
    fn crate_deref(
        &mut self,
        base: Place,
        name: &str,
        target: &Ty,
        mutable: bool,
        span: Span,
    ) -> Place {
        let has_deref_mut = self.index.implements(name, "DerefMut");
        self.overloaded_deref(base, target.clone(), has_deref_mut, mutable, span, false)
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

    /// Whether `name` is one of std's guards (`Ref`, `RefMut`, `MutexGuard`, the `RwLock`
    /// guards), which a crate type of the name does not shadow.
    fn is_std_guard(&self, name: &str) -> bool {
        super::method::STD_DEREF_GUARDS.contains(&name)
            && !self.index.is_shadowed(name)
            && self.index.adt(name).is_none()
    }

    /// `*guard` through the `Deref` (`DerefMut` when `mutable`) of std's guards, with the
    /// target's type: `p = &*b;` keeps `b` borrowed. The read-only guards have no `DerefMut`.
    /// The receiver of an unknown method may be dereferenced mutably: which borrow of the guard
    /// is made is not known then.
    fn guard_deref(
        &mut self,
        base: Place,
        bt: &Ty,
        name: &str,
        mutable: bool,
        span: Span,
    ) -> (Place, Ty) {
        let has_deref_mut = !matches!(name, "Ref" | "RwLockReadGuard");
        let target = match bt {
            Ty::Adt { args, .. } => args.first().cloned().unwrap_or(Ty::Unknown),
            _ => Ty::Unknown,
        };
        let unknown = self.receiver_unknown;
        let place =
            self.overloaded_deref(base, target.clone(), has_deref_mut, mutable, span, unknown);
        (place, target)
    }

    /// `base.f`: the base's place, through references, `Box`es, std's `Rc`/`Arc` and guards
    /// and the crate's `Deref` to the type that declares the field.
    fn field_place(
        &mut self,
        e: &Expr,
        base_e: &Expr,
        f: &FieldName,
        mutable: bool,
    ) -> Option<Place> {
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
                Ty::Adt { ref name, .. } if self.is_std_guard(name) => {
                    (base, bt) = self.guard_deref(base, &bt, name, mutable, base_e.span);
                    continue;
                }
                Ty::Unknown | Ty::Opaque | Ty::Dyn(_) | Ty::Param { .. } => {
                    self.uncertain_place = true;
                    break;
                }
                Ty::Adt { ref name, .. } => {
                    // A field the type does not declare is reached through `Deref`.
                    let adt = self.index.adt(name).filter(|a| !a.opaque);
                    let declared = adt.is_some_and(|a| a.fields.iter().any(|(n, _)| n == f))
                        || (self.index.adt(name).is_none()
                            && !self.index.is_shadowed(name)
                            && crate::ty::std_field_ty(name, &[], f).is_some());
                    if !declared {
                        if let (Some(_), Some(target)) = (adt, self.index.deref_target(&bt)) {
                            base = self.crate_deref(base, name, &target, mutable, base_e.span);
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
        Some(base.project(Proj::Field(f.clone())))
    }

    /// Lowers an expression that denotes a place. For value expressions, evaluates them into a
    /// temporary and returns it. `mutable` says the place will be written or mutably borrowed
    /// (it picks `IndexMut` over `Index`).
    pub(super) fn expr_place(&mut self, e: &Expr, mutable: bool) -> Option<Place> {
        match &e.kind {
            ExprKind::Path(segs) if segs.len() == 1 => {
                if let Some(l) = self.lookup(&segs[0]) {
                    return Some(self.guard_place(l, mutable || self.assign_ctx));
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
                    Ty::Adt { ref name, .. } if self.is_std_guard(name) => {
                        self.guard_deref(base, &bt, name, mutable, inner.span).0
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
            ExprKind::Field(base_e, f) => return self.field_place(e, base_e, f, mutable),
            ExprKind::Index(base_e, idx) => {
                // This index is the base of an enclosing built-in index (`x[1]` in `x[1][2]`).
                let nested = std::mem::replace(&mut self.index_base, false);
                let bt = self.infer(base_e);
                let mut inner = bt.clone();
                let mut derefs = 0;
                while let Ty::Ref(_, t) = &inner {
                    inner = (**t).clone();
                    derefs += 1;
                }
                let is_range = matches!(idx.kind, ExprKind::Range { .. });
                // Through a std guard's `Deref`: `g[i]` is `(*g)[i]`, a borrow of the guard
                // first (`*Deref::deref(&g)`).
                if let Ty::Adt { name, .. } = &inner {
                    if derefs == 0 && self.is_std_guard(name) {
                        let through = Expr {
                            span: e.span,
                            kind: ExprKind::Index(
                                Box::new(Expr {
                                    span: base_e.span,
                                    kind: ExprKind::Unary(UnOp::Deref, base_e.clone()),
                                }),
                                idx.clone(),
                            ),
                        };
                        self.index_base = nested;
                        return self.expr_place(&through, mutable);
                    }
                }
                match &inner {
                    Ty::Array(..) | Ty::Slice(_) if !is_range => {
                        let mark = self.index_fakes.len();
                        self.index_base = matches!(base_e.kind, ExprKind::Index(..));
                        let base = self.expr_place(base_e, mutable);
                        self.index_base = false;
                        let mut base = base?;
                        for _ in 0..derefs {
                            base = base.deref();
                        }
                        let i = self.expr_operand(idx);
                        self.push(StatementKind::Eval(i), idx.span, false);
                        // rustc's bounds check reads a slice's length: the references on the
                        // way to it are fake-borrowed through the enclosing index expressions.
                        if nested {
                            if matches!(inner, Ty::Slice(_)) {
                                self.fake_borrow_bounds(&base, e.span);
                            }
                        } else {
                            let temps =
                                self.index_fakes.split_off(mark.min(self.index_fakes.len()));
                            self.read_fake_borrows(&temps, e.span);
                        }
                        return Some(base.project(Proj::Index));
                    }
                    // Overloaded `Index`/`IndexMut`, a range of an array, slice or `str`
                    // included (`Index<Range<usize>> for [T]`): a borrow of the whole container,
                    // made before the index is evaluated, as rustc's `Index::index(&base, i)`.
                    Ty::Adt { .. } | Ty::Array(..) | Ty::Slice(_) | Ty::Str
                        if match &inner {
                            Ty::Adt { name, .. } => {
                                matches!(
                                    &**name,
                                    "Vec" | "VecDeque" | "String" | "HashMap" | "BTreeMap"
                                ) || self.index.implements(name, "Index")
                            }
                            _ => is_range,
                        } =>
                    {
                        let no_index_mut = match &inner {
                            Ty::Adt { name, .. } if self.index.adt(name).is_some() => {
                                !self.index.implements(name, "IndexMut")
                            }
                            Ty::Adt { name, .. } => {
                                matches!(&**name, "HashMap" | "BTreeMap")
                                    && !self.index.is_shadowed(name)
                            }
                            _ => false,
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
                            inner.range_elem().unwrap_or(Ty::Unknown)
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

    /// Renders a place as rustc does in messages.
    pub(super) fn describe(&self, place: &Place) -> String {
        describe_place(&self.body, place)
    }
}
