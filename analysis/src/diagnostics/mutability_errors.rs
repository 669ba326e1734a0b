//! Mutation of what may not be mutated: mutable borrows (E0596) and assignments (E0594) of
//! immutable places, a second assignment to an immutable binding (E0384), and mutation in a
//! match guard of what the match tests (E0510).

use crate::errors::{ErrorKind, Immutable, Mutation, Pointer, Role};
use crate::mir::FakeSection;

pub(super) fn message(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::NotMutable { action, why } => not_mutable(*action, why),
        ErrorKind::Reassigned { name, argument, .. } => {
            if *argument {
                format!("cannot assign to immutable argument `{name}`")
            } else {
                format!("cannot assign twice to immutable variable `{name}`")
            }
        }
        ErrorKind::MutatedInGuard {
            action,
            place,
            section,
        } => {
            let what = match action {
                Mutation::Borrow => "mutably borrow",
                Mutation::Assign => "assign",
            };
            let section = match section {
                FakeSection::MatchGuard => "match guard",
                FakeSection::Index => "indexing expression",
            };
            format!("cannot {what} `{place}` in {section}")
        }
        _ => String::new(),
    }
}

/// "cannot borrow `x` as mutable, as it is not declared as mutable" and its kin.
fn not_mutable(action: Mutation, why: &Immutable) -> String {
    let borrow = action == Mutation::Borrow;
    let (verb, what) = if borrow {
        ("borrow", " as mutable")
    } else {
        ("assign to", "")
    };
    let pointer = |p: &Pointer| match p {
        Pointer::SharedRef => "`&` reference",
        Pointer::ConstPtr => "`*const` pointer",
    };
    // The data a place-less error is about: "cannot borrow {data} as mutable".
    let data = |data: String| {
        if borrow {
            format!("cannot borrow {data} as mutable")
        } else {
            format!("cannot assign to {data}")
        }
    };
    match why {
        Immutable::NotDeclared {
            place,
            binding,
            part,
        } => {
            // rustc names the binding only when the place is a part of it.
            let whose = if *part {
                format!("`{binding}`")
            } else {
                "it".to_string()
            };
            format!("cannot {verb} `{place}`{what}, as {whose} is not declared as mutable")
        }
        Immutable::FnCapture {
            place,
            binding,
            part,
        } => match (part, borrow) {
            (false, true) => format!(
                "cannot borrow `{binding}` as mutable, as it is a captured variable in a `Fn` closure"
            ),
            (false, false) => format!(
                "cannot assign to `{binding}`, as it is a captured variable in a `Fn` closure"
            ),
            (true, _) => format!(
                "cannot {verb} `{place}`{what}, as `Fn` closures cannot mutate their captured variables"
            ),
        },
        Immutable::BehindPointer { place, pointer: p } => {
            if borrow {
                format!("cannot borrow `{place}` as mutable, as it is behind a {}", pointer(p))
            } else {
                format!("cannot assign to `{place}`, which is behind a {}", pointer(p))
            }
        }
        Immutable::CallResult { pointer: p } => data(format!("data in a {}", pointer(p))),
        Immutable::Static { place, name, part } => match (part, borrow) {
            (false, true) => format!("cannot borrow immutable static item `{name}` as mutable"),
            (false, false) => format!("cannot assign to immutable static item `{name}`"),
            (true, _) => {
                format!("cannot {verb} `{place}`{what}, as `{name}` is an immutable static item")
            }
        },
        Immutable::SharedPointer { pointer } => data(format!("data in an `{pointer}`")),
        Immutable::NoIndexMut { container } => data(format!("data in an index of `{container}`")),
    }
}

pub(super) fn label(kind: &ErrorKind, role: Role) -> String {
    match (kind, role) {
        (ErrorKind::Reassigned { .. }, Role::Declaration) => "first assignment".into(),
        _ => String::new(),
    }
}
