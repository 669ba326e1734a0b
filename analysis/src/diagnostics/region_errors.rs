//! A borrow that outlives what it borrows: a value dropped while borrowed (E0597), a temporary
//! freed while borrowed (E0716), a returned borrow of the function's values (E0515), a closure
//! that may outlive what it borrows (E0373), and "lifetime may not live long enough".

use crate::errors::{Blame, ErrorKind, Owner, Role};

pub(super) fn message(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::DoesNotLiveLongEnough { name, .. } => format!("`{name}` does not live long enough"),
        ErrorKind::TemporaryDropped { .. } => "temporary value dropped while borrowed".into(),
        ErrorKind::ReturnsBorrow {
            owner,
            name,
            reference,
            ..
        } => {
            let what = match owner {
                Owner::Temporary => "temporary value".to_string(),
                Owner::Parameter => format!("function parameter `{name}`"),
                Owner::Local => format!("local variable `{name}`"),
            };
            if *reference {
                format!("cannot return reference to {what}")
            } else {
                format!("cannot return value referencing {what}")
            }
        }
        ErrorKind::ClosureMayOutlive { name } => format!("closure may outlive the current function, but it borrows `{name}`, which is owned by the current function"),
        ErrorKind::RegionOutlives { .. } | ErrorKind::StaticOutlives => {
            "lifetime may not live long enough".into()
        }
        ErrorKind::EscapesBody { escapes_from, .. } => {
            format!("borrowed data escapes outside of {escapes_from}")
        }
        _ => String::new(),
    }
}

pub(super) fn label(kind: &ErrorKind, role: Role) -> String {
    match (kind, role) {
        (ErrorKind::DoesNotLiveLongEnough { .. }, Role::Borrow) => {
            "borrowed value does not live long enough".into()
        }
        (ErrorKind::DoesNotLiveLongEnough { .. }, Role::Capture) => "value captured here".into(),
        (ErrorKind::DoesNotLiveLongEnough { name, .. }, Role::Drop) => {
            format!("`{name}` dropped here while still borrowed")
        }
        (
            ErrorKind::DoesNotLiveLongEnough {
                dropped_by: Some(d),
                ..
            },
            Role::DropUse,
        ) => format!(
            "borrow might be used here, when `{}` is dropped and runs the `Drop` code for type `{}`",
            d.name, d.ty
        ),
        (ErrorKind::TemporaryDropped { .. }, Role::Temporary) => {
            "creates a temporary value which is freed while still in use".into()
        }
        (ErrorKind::TemporaryDropped { .. }, Role::Drop) => {
            "temporary value is freed at the end of this statement".into()
        }
        (ErrorKind::ReturnsBorrow { name, .. }, Role::Borrow) => {
            format!("`{name}` is borrowed here")
        }
        (ErrorKind::ClosureMayOutlive { name }, Role::Borrow) => {
            format!("may outlive borrowed value `{name}`")
        }
        (
            ErrorKind::RegionOutlives {
                longer,
                shorter,
                blame,
                fn_kind,
                ..
            },
            Role::Return,
        ) => {
            if *blame == Blame::Return && &**shorter != "static" && *fn_kind != "closure" {
                return format!(
                    "{fn_kind} was supposed to return data with lifetime `'{shorter}` but it is returning data with lifetime `'{longer}`"
                );
            }
            format!(
                "{}requires that `'{longer}` must outlive `'{shorter}`",
                category(*blame)
            )
        }
        (
            ErrorKind::EscapesBody {
                escapes_from,
                param,
                outer,
                longer,
                shorter,
                blame,
                ..
            },
            role,
        ) => {
            let param = param.as_ref().map_or("", |(n, _)| &**n);
            match role {
                Role::Declaration => {
                    let outer = outer.as_ref().map_or("", |(n, _)| &**n);
                    format!("`{outer}` declared here, outside of the {escapes_from} body")
                }
                Role::Borrow => {
                    format!(
                        "`{param}` is a reference that is only valid in the {escapes_from} body"
                    )
                }
                Role::Access => format!("`{param}` escapes the {escapes_from} body here"),
                _ => format!(
                    "{}requires that `'{longer}` must outlive `'{shorter}`",
                    category(*blame)
                ),
            }
        }
        _ => String::new(),
    }
}

/// How rustc words what requires a region to outlive another (`ConstraintCategory::description`).
fn category(blame: Blame) -> &'static str {
    match blame {
        Blame::Return => "returning this value ",
        Blame::TypeAnnotation => "type annotation ",
        Blame::CallArgument => "argument ",
        Blame::Assignment => "assignment ",
        Blame::Usage => "this usage ",
        Blame::Predicate | Blame::Boring => "",
    }
}
