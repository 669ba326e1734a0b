//! rustc's fake borrows (rustc_mir_build `matches/util.rs`, `expr/as_place.rs`): the places a
//! `match` tests and the references on the way to its bindings are shallow-borrowed through
//! every guard (`FakeSection::MatchGuard`), and a slice whose length an index checked is
//! shallow-borrowed through the enclosing index expressions (`FakeSection::Index`). The checker
//! reports a write of such a place (or of a prefix) as E0510. A guard sees its arm's bindings
//! by reference (rustc's `RefWithinGuard`: E0506 when it writes a bound place, E0507 when it
//! moves a binding), and a by-value binding is made only once the guard holds.

use super::pattern::{is_constant_name, is_rest};
use super::Lower;
use crate::ast::{FieldName, Mutability, Name, Pat, PatKind, Span};
use crate::mir::*;
use crate::ty::Ty;

/// The places to fake-borrow, each with "the lowering only guesses it" (an unknown type on the
/// way: a default-binding deref, a variant's refutability).
pub(super) type FakeBorrows = Vec<(Place, bool)>;

/// A binding of a guarded arm, for after its guard: by value, the assignment rustc makes once
/// the guard holds; by reference, the binding made before the guard.
pub(super) struct GuardBinding {
    name: Name,
    /// The reference the guard reads the binding through.
    guard_ref: Local,
    /// By value: the binding's value, type, mutability, span and uncertainty.
    by_value: Option<(Rvalue, Ty, bool, Span, bool)>,
    /// By reference: the binding's local, made before the guard.
    arm_local: Option<Local>,
}

/// Adds `place` (certain unless `unc`), keeping one entry per place.
fn add(acc: &mut FakeBorrows, place: &Place, unc: bool) {
    match acc.iter_mut().find(|(p, _)| p == place) {
        Some(e) => e.1 &= unc,
        None => acc.push((place.clone(), unc)),
    }
}

/// rustc's `fake_borrow_deref_prefixes`: every prefix of `place` that a deref follows (the
/// references on its path), which a guard must not overwrite either.
fn add_deref_prefixes(acc: &mut FakeBorrows, place: &Place, unc: bool) {
    for (i, p) in place.proj.iter().enumerate().rev() {
        if *p == Proj::Deref {
            let prefix = Place {
                local: place.local,
                proj: place.proj[..i].to_vec(),
            };
            add(acc, &prefix, unc);
        }
    }
}

/// A tested place: borrowed itself, and the references on its path.
fn add_tested(acc: &mut FakeBorrows, place: &Place, unc: bool) {
    add(acc, place, unc);
    add_deref_prefixes(acc, place, unc);
}

impl Lower<'_> {
    /// rustc's `collect_fake_borrows` for one arm's pattern matched against `place` of type `ty`:
    /// the places its refutable sub-patterns test, with their deref prefixes, and the deref
    /// prefixes of the places it binds.
    pub(super) fn fake_borrows_of(
        &self,
        pat: &Pat,
        place: &Place,
        ty: &Ty,
        unc: bool,
        acc: &mut FakeBorrows,
    ) {
        match &pat.kind {
            PatKind::Wild | PatKind::Rest | PatKind::Unknown => {}
            PatKind::Lit | PatKind::Range => self.add_peeled_test(place, ty, unc, acc),
            PatKind::Path(path) => {
                let last = path.last().map(|s| &**s).unwrap_or("");
                self.add_unit_test(last, place, ty, unc, acc);
            }
            PatKind::Binding {
                name, sub: None, ..
            } if is_constant_name(name) => {
                self.add_unit_test(name, place, ty, unc, acc);
            }
            PatKind::Binding { sub, .. } => {
                add_deref_prefixes(acc, place, unc);
                if let Some(sub) = sub {
                    self.fake_borrows_of(sub, place, ty, unc, acc);
                }
            }
            PatKind::Ref { pat: inner, .. } => {
                let inner_ty = ty.deref().unwrap_or(Ty::Unknown);
                let unc = unc || inner_ty.is_unknown() && !ty.is_unknown();
                self.fake_borrows_of(inner, &place.deref(), &inner_ty, unc, acc);
            }
            PatKind::Or(alts) => {
                for a in alts {
                    self.fake_borrows_of(a, place, ty, unc, acc);
                }
            }
            PatKind::Tuple(_)
            | PatKind::TupleStruct { .. }
            | PatKind::Struct { .. }
            | PatKind::Slice(_) => {
                // Default binding modes: a structural pattern sees through references.
                let (mut place, mut ty, mut unc) = (place.clone(), ty.clone(), unc);
                while let Ty::Ref(_, inner) = ty {
                    place = place.deref();
                    ty = *inner;
                }
                if matches!(ty, Ty::Unknown | Ty::Param { .. } | Ty::Opaque | Ty::Dyn(_)) {
                    unc = true;
                }
                self.fake_borrows_structural(pat, &place, &ty, unc, acc);
            }
        }
    }

    /// A literal or range compares the value after default binding modes' derefs; the place
    /// itself is borrowed either way (as the tested place or as its deref prefix).
    fn add_peeled_test(&self, place: &Place, ty: &Ty, unc: bool, acc: &mut FakeBorrows) {
        let (mut place, mut ty) = (place.clone(), ty.clone());
        while let Ty::Ref(_, inner) = ty {
            if matches!(*inner, Ty::Str | Ty::Slice(_)) {
                break;
            }
            place = place.deref();
            ty = *inner;
        }
        add_tested(acc, &place, unc);
    }

    /// A path pattern (`None`, `Kind::A`, `MAX`): a test of the place, unless it names a unit
    /// struct (irrefutable); on an enum, rustc skips the test when the other variants are
    /// uninhabited, which we only know of the crate's enums and `Option`.
    fn add_unit_test(&self, name: &str, place: &Place, ty: &Ty, unc: bool, acc: &mut FakeBorrows) {
        if self.index.adt(name).is_some_and(|a| !a.is_enum) {
            return;
        }
        let (mut place, mut ty) = (place.clone(), ty.clone());
        while let Ty::Ref(_, inner) = ty {
            place = place.deref();
            ty = *inner;
        }
        let refutable = self.variant_refutable(&ty, name);
        if refutable != Some(false) {
            add_tested(acc, &place, unc || refutable.is_none());
        }
    }

    /// Whether matching variant `name` of `ty` is a test: another variant is inhabited.
    /// `None` when we cannot tell (unknown enums, fields of unknown types).
    fn variant_refutable(&self, ty: &Ty, name: &str) -> Option<bool> {
        let Ty::Adt { name: e, args, .. } = ty else {
            // A constant compared with `PartialEq` (a primitive's value) is a test.
            return matches!(ty, Ty::Prim(_) | Ty::Str).then_some(true);
        };
        let inhabited = |t: &Ty| -> Option<bool> {
            match t {
                Ty::Never => Some(false),
                Ty::Prim(_) | Ty::Str | Ty::Ref(..) | Ty::RawPtr(..) | Ty::FnPtr(_) => Some(true),
                Ty::Tuple(ts) if ts.is_empty() => Some(true),
                Ty::Adt { name, .. }
                    if matches!(&**name, "String" | "Vec" | "Box" | "Option" | "Rc" | "Arc") =>
                {
                    Some(true)
                }
                _ => None,
            }
        };
        match &**e {
            "Option" => match name {
                "Some" => Some(true),
                _ => args.first().map_or(Some(true), inhabited),
            },
            "Result" => {
                let other = if name == "Ok" {
                    args.get(1)
                } else {
                    args.first()
                };
                other.and_then(inhabited)
            }
            _ => {
                let adt = self.index.adt(e).filter(|a| a.is_enum && !a.opaque)?;
                let mut any = Some(false);
                for (v, fs) in &adt.variants {
                    if &**v == name {
                        continue;
                    }
                    let all = fs
                        .iter()
                        .map(|(_, t)| inhabited(t))
                        .try_fold(true, |acc, i| Some(acc && i?));
                    any = match (any, all) {
                        (Some(true), _) | (_, Some(true)) => Some(true),
                        (Some(false), Some(false)) => Some(false),
                        _ => None,
                    };
                }
                any
            }
        }
    }

    fn fake_borrows_structural(
        &self,
        pat: &Pat,
        place: &Place,
        ty: &Ty,
        unc: bool,
        acc: &mut FakeBorrows,
    ) {
        match &pat.kind {
            PatKind::Tuple(ps) => {
                let arity = match ty {
                    Ty::Tuple(ts) => Some(ts.len()),
                    _ => None,
                };
                let elem = |i: usize| match ty {
                    Ty::Tuple(ts) => ts.get(i).cloned().unwrap_or(Ty::Unknown),
                    _ => Ty::Unknown,
                };
                self.fake_borrows_positional(ps, place, elem, arity, unc, acc);
            }
            PatKind::TupleStruct { path, elems, .. } => {
                let last = path.last().map(|s| &**s).unwrap_or("");
                if self.index.adt(last).is_some_and(|a| !a.is_enum) {
                    let fields = self.index.adt(last).map(|a| a.fields.clone());
                    let elem = |i: usize| {
                        fields
                            .as_ref()
                            .and_then(|fs| {
                                fs.iter()
                                    .find(|(f, _)| *f == FieldName::Index(i as u32))
                                    .map(|(_, t)| t.clone())
                            })
                            .filter(|t| !t.has_params())
                            .unwrap_or(Ty::Unknown)
                    };
                    let arity = fields.as_ref().map(|f| f.len());
                    self.fake_borrows_positional(elems, place, elem, arity, unc, acc);
                    return;
                }
                let refutable = self.variant_refutable(ty, last);
                if refutable != Some(false) {
                    add_tested(acc, place, unc || refutable.is_none());
                }
                let base = place.project(Proj::Downcast(last.into()));
                let fields = self.variant_fields(ty, last);
                let elem = |i: usize| -> Ty {
                    if let Some(fs) = &fields {
                        return fs
                            .iter()
                            .find(|(f, _)| *f == FieldName::Index(i as u32))
                            .map_or(Ty::Unknown, |(_, t)| t.clone());
                    }
                    match (last, ty) {
                        ("Some" | "Ok", Ty::Adt { args, .. }) if i == 0 => {
                            args.first().cloned().unwrap_or(Ty::Unknown)
                        }
                        ("Err", Ty::Adt { args, .. }) if i == 0 => {
                            args.get(1).cloned().unwrap_or(Ty::Unknown)
                        }
                        _ => Ty::Unknown,
                    }
                };
                let arity = matches!(last, "Some" | "Ok" | "Err")
                    .then_some(1)
                    .or(fields.as_ref().map(|f| f.len()));
                self.fake_borrows_positional(elems, &base, elem, arity, unc, acc);
            }
            PatKind::Struct { path, fields, .. } => {
                let last = path.last().map(|s| &**s).unwrap_or("");
                let is_struct = self.index.adt(last).is_some_and(|a| !a.is_enum) || last == "Self";
                let base = if is_struct {
                    place.clone()
                } else {
                    let refutable = self.variant_refutable(ty, last);
                    if refutable != Some(false) {
                        add_tested(acc, place, unc || refutable.is_none());
                    }
                    place.project(Proj::Downcast(last.into()))
                };
                let variant = (!is_struct)
                    .then(|| self.variant_fields(ty, last))
                    .flatten();
                for (f, p) in fields {
                    let fty = if is_struct {
                        self.field_ty(ty, f)
                    } else {
                        variant
                            .as_ref()
                            .and_then(|fs| fs.iter().find(|(g, _)| g == f).map(|(_, t)| t.clone()))
                            .unwrap_or(Ty::Unknown)
                    };
                    self.fake_borrows_of(p, &base.project(Proj::Field(f.clone())), &fty, unc, acc);
                }
            }
            PatKind::Slice(ps) => {
                let rest = ps.iter().position(is_rest);
                let n = ps.len();
                // A slice's length is tested unless the pattern is a lone rest (`[..]`); an
                // array's never is.
                match ty {
                    Ty::Slice(_) if !(n == 1 && rest.is_some()) => add_tested(acc, place, unc),
                    Ty::Slice(_) | Ty::Array(..) => {}
                    _ => add_tested(acc, place, true),
                }
                let (elem, len) = match ty {
                    Ty::Array(t, len) => ((**t).clone(), *len),
                    Ty::Slice(t) => ((**t).clone(), None),
                    _ => (Ty::Unknown, None),
                };
                let min_length = (n - usize::from(rest.is_some())) as u32;
                for (i, p) in ps.iter().enumerate() {
                    if Some(i) == rest {
                        // A binding of the rest borrows nothing a test reads; its deref
                        // prefixes are the slice's.
                        add_deref_prefixes(acc, place, unc);
                        continue;
                    }
                    let proj = super::pattern::element_proj(i, n, rest, len, min_length);
                    self.fake_borrows_of(p, &place.project(proj), &elem, unc, acc);
                }
            }
            _ => {}
        }
    }

    fn fake_borrows_positional(
        &self,
        ps: &[Pat],
        base: &Place,
        elem: impl Fn(usize) -> Ty,
        arity: Option<usize>,
        unc: bool,
        acc: &mut FakeBorrows,
    ) {
        let rest = ps.iter().position(is_rest);
        for (i, p) in ps.iter().enumerate() {
            if Some(i) == rest {
                continue;
            }
            let idx = match (rest, arity) {
                (Some(r), Some(a)) if i > r => a - (ps.len() - i),
                (Some(r), None) if i > r => continue,
                _ => i,
            };
            let place = base.project(Proj::Field(FieldName::Index(idx as u32)));
            self.fake_borrows_of(p, &place, &elem(idx), unc, acc);
        }
    }

    /// At a guard's start: the fake borrows of the match (`temps` holds them, one per place).
    pub(super) fn push_fake_borrows(
        &mut self,
        fakes: &[(Place, bool)],
        temps: &[Local],
        section: FakeSection,
        span: Span,
    ) {
        for ((place, unc), t) in fakes.iter().zip(temps) {
            self.push(
                StatementKind::Assign(
                    Place::local(*t),
                    Rvalue::Ref(BorrowKind::Fake(section), place.clone()),
                ),
                span,
                *unc,
            );
        }
    }

    /// Where the fake borrows end (rustc's `FakeRead` of their temporaries): after a guard that
    /// held, or after the outermost index.
    pub(super) fn read_fake_borrows(&mut self, temps: &[Local], span: Span) {
        for t in temps {
            self.push(StatementKind::FakeRead(Place::local(*t)), span, false);
        }
    }

    /// rustc's `add_fake_borrows_of_base`: after the bounds check of a slice `base` indexed
    /// inside an enclosing index, the references on the way to the slice (back to an index of
    /// another slice, whose own check borrowed them) are fake-borrowed until the outermost index.
    pub(super) fn fake_borrow_bounds(&mut self, base: &Place, span: Span) {
        let tys: Vec<Ty> = crate::mir::place_ty::place_tys(&self.body, self.index, base)
            .into_iter()
            .map(std::borrow::Cow::into_owned)
            .collect();
        for (j, p) in base.proj.iter().enumerate().rev() {
            match p {
                Proj::Deref => {
                    let prefix = Place {
                        local: base.local,
                        proj: base.proj[..j].to_vec(),
                    };
                    let t = self.temp(Ty::Unknown, span);
                    self.push_fake_borrows(&[(prefix, false)], &[t], FakeSection::Index, span);
                    self.index_fakes.push(t);
                }
                Proj::Index => match tys.get(j) {
                    Some(Ty::Array(..)) => {}
                    _ => break,
                },
                Proj::Field(_) | Proj::Downcast(_) | Proj::ConstIndex { .. } => {}
                _ => break,
            }
        }
    }

    /// A binding seen from its arm's guard (rustc's `bind_matched_candidate_for_guard`): the
    /// name stands for `*r`, with `r` a shared reference to the matched place (by value) or to
    /// the binding's reference, made now (by reference).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn bind_for_guard(
        &mut self,
        name: &Name,
        place: &Place,
        rv: Rvalue,
        lty: Ty,
        mutable: bool,
        unc: bool,
        span: Span,
    ) {
        let by_ref = matches!(rv, Rvalue::Ref(..));
        let (referent, referent_ty, arm_local, by_value) = if by_ref {
            let x = self.new_local(
                Some(name.clone()),
                lty.clone(),
                mutable,
                LocalKind::User,
                span,
            );
            self.assign(Place::local(x), rv, span, unc);
            self.scopes.last_mut().unwrap().locals.push(x);
            (Place::local(x), lty.clone(), Some(x), None)
        } else {
            let vty = if unc { Ty::Unknown } else { lty.clone() };
            (
                place.clone(),
                vty,
                None,
                Some((rv, lty.clone(), mutable, span, unc)),
            )
        };
        let r = self.temp(Ty::Ref(Mutability::Not, Box::new(referent_ty)), span);
        self.assign(
            Place::local(r),
            Rvalue::Ref(BorrowKind::Shared, referent),
            span,
            unc,
        );
        // The guard's name: every place use goes through `*r` (`guard_place`); other readers
        // see a local holding the value, a use of unknown kind.
        let g = self.new_local(Some(name.clone()), lty, false, LocalKind::User, span);
        self.assign(
            Place::local(g),
            Rvalue::Use(Operand::Use(Place::local(r).deref())),
            span,
            true,
        );
        self.bind_name(name.clone(), g);
        self.guard_alias.push((g, r));
        if let Some(pending) = self.guard_bindings.as_mut() {
            pending.push(GuardBinding {
                name: name.clone(),
                guard_ref: r,
                by_value,
                arm_local,
            });
        }
    }

    /// The place a name's local stands for: `*r` for a guard's binding (where writing is not
    /// modelled: its place is then a guess), else the local.
    pub(super) fn guard_place(&mut self, l: Local, write: bool) -> Place {
        match self.guard_alias.iter().find(|(g, _)| *g == l) {
            Some(_) if write => {
                self.uncertain_place = true;
                Place::local(l)
            }
            Some((_, r)) => Place::local(*r).deref(),
            None => Place::local(l),
        }
    }

    /// After a guard held: the references to by-value bindings are read at its end (rustc's
    /// `FakeRead(ForGuardBinding)`), then the arm's bindings are made.
    pub(super) fn bind_after_guard(&mut self, pending: Vec<GuardBinding>, end: Span) {
        for b in &pending {
            if b.by_value.is_some() {
                self.push(
                    StatementKind::FakeRead(Place::local(b.guard_ref)),
                    end,
                    false,
                );
            }
        }
        for b in pending {
            match (b.by_value, b.arm_local) {
                (Some((rv, lty, mutable, span, unc)), _) => {
                    let x =
                        self.new_local(Some(b.name.clone()), lty, mutable, LocalKind::User, span);
                    self.assign(Place::local(x), rv, span, unc);
                    self.bind_name(b.name, x);
                }
                (None, Some(x)) => {
                    let scope = self.scopes.last_mut().unwrap();
                    scope.names.insert(b.name, x);
                }
                (None, None) => {}
            }
        }
    }
}
