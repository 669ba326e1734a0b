//! The types along a place of a body: the type of its local and of each projection's result,
//! from the local's declared type and the index's fields (`ty::field_ty`, `ty::variant_field_ty`).
//!
//! It lives on the MIR side because it reads a `Body`: `ty` is below `mir` in the pipeline and
//! names nothing of it.

use std::borrow::Cow;

use super::{Body, Place, Proj};
use crate::index::Index;
use crate::ty::{field_ty, variant_field_ty, Ty};

/// The type of every prefix of a place: `tys[i]` is the type of `place.proj[..i]`, borrowed
/// from the local's where it is a part of it.
pub fn place_tys<'b>(body: &'b Body, index: &Index, place: &Place) -> Vec<Cow<'b, Ty>> {
    let mut tys = Vec::with_capacity(place.proj.len() + 1);
    walk_place_tys(body, index, place, &mut |t| tys.push(t.clone()));
    tys
}

/// The type of a place (the last of `place_tys`), without keeping the others.
pub fn place_ty(body: &Body, index: &Index, place: &Place) -> Ty {
    walk_place_tys(body, index, place, &mut |_| {})
}

/// Calls `f` on the type of the place's local and of each projection's result, in order, and
/// returns the last. The types are borrowed from the local's as far as the place goes through
/// references, boxes and elements, made anew from a field on.
fn walk_place_tys<'b>(
    body: &'b Body,
    index: &Index,
    place: &Place,
    f: &mut dyn FnMut(&Cow<'b, Ty>),
) -> Ty {
    let mut ty = Cow::Borrowed(&body.local(place.local).ty);
    f(&ty);
    let mut variant: Option<&crate::ast::Name> = None;
    for proj in &place.proj {
        let downcast = variant.take();
        ty = match proj {
            Proj::Deref => match ty {
                Cow::Borrowed(t) => t.deref_part().map_or_else(
                    || Cow::Owned(t.deref().unwrap_or(Ty::Unknown)),
                    Cow::Borrowed,
                ),
                Cow::Owned(t) => Cow::Owned(t.deref().unwrap_or(Ty::Unknown)),
            },
            Proj::Field(fl) => Cow::Owned(match downcast {
                Some(v) => variant_field_ty(index, &ty, v, fl),
                None => field_ty(index, &ty, fl),
            }),
            Proj::Index | Proj::ConstIndex { .. } => match ty {
                Cow::Borrowed(t) => t
                    .index_elem_part()
                    .map_or(Cow::Owned(Ty::Unknown), Cow::Borrowed),
                Cow::Owned(t) => Cow::Owned(t.index_elem().unwrap_or(Ty::Unknown)),
            },
            Proj::Subslice => ty,
            Proj::Range {
                from,
                to,
                from_end: false,
            } => match ty.into_owned() {
                Ty::Array(elem, _) => {
                    Cow::Owned(Ty::Array(elem, Some(to.saturating_sub(*from) as u64)))
                }
                other => Cow::Owned(other),
            },
            Proj::Range { .. } => ty,
            // The enum itself, seen as one of its variants: the next field is the variant's.
            Proj::Downcast(v) => {
                variant = Some(v);
                ty
            }
        };
        f(&ty);
    }
    ty.into_owned()
}
