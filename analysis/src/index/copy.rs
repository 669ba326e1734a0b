//! What generic bounds say of `Copy`: a parameter bounded by `Copy` is, one bounded by a trait
//! that is not and implies nothing is not, and one bounded by what we do not know may be.

use super::*;

/// std traits that do not imply `Copy`: a parameter bounded only by these is not `Copy`.
pub(super) const NOT_COPY_BOUNDS: &[&str] = &[
    "Clone",
    "Debug",
    "Display",
    "Default",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "ToString",
    "Borrow",
    "BorrowMut",
    "Unpin",
    "Any",
    "Error",
    "Read",
    "Write",
];

/// Each type parameter with whether its bounds make it `Copy`.
pub fn generic_copy(g: &ast::Generics) -> Vec<(Name, Option<bool>)> {
    generic_copy_with(g, &|_| None)
}

/// Whether a bound makes a type `Copy`; `other` answers for bounds that are not std's.
pub(super) fn bound_copy(b: &str, other: &dyn Fn(&str) -> Option<bool>) -> Option<bool> {
    if b == "Copy" {
        Some(true)
    } else if b.starts_with('\'') || b.starts_with('?') || NOT_COPY_BOUNDS.contains(&b) {
        Some(false)
    } else {
        other(b)
    }
}

/// Some bound yes: yes; every bound no: no; else unknown.
pub(super) fn bounds_copy(bounds: &[Name], other: &dyn Fn(&str) -> Option<bool>) -> Option<bool> {
    let mut acc = Some(false);
    for b in bounds {
        match bound_copy(b, other) {
            Some(true) => return Some(true),
            None => acc = None,
            Some(false) => {}
        }
    }
    acc
}

/// `generic_copy`, with `other` answering for bounds that are not std's (the crate's traits).
pub fn generic_copy_with(
    g: &ast::Generics,
    other: &dyn Fn(&str) -> Option<bool>,
) -> Vec<(Name, Option<bool>)> {
    g.types
        .iter()
        .map(|(n, bounds)| (n.clone(), bounds_copy(bounds, other)))
        .collect()
}
