//! Moves and initialization: use of a moved value (E0382), of an uninitialized binding (E0381),
//! and moves out of what cannot be moved from (E0507, E0508, E0509).

use crate::ast::Mutability;
use crate::errors::{ErrorKind, MoveOutOf, Role, Sequence, Uninit, UseKind};

pub(super) fn message(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::UseAfterMove {
            action,
            place,
            moved,
            partial,
            ..
        } => match (action, partial) {
            (UseKind::Borrow, _) if place.is_empty() => "borrow of moved value".into(),
            (UseKind::Use, _) if place.is_empty() => "use of moved value".into(),
            (UseKind::AssignToPart, _) => format!("assign to part of moved value: `{moved}`"),
            (UseKind::Borrow, true) => format!("borrow of partially moved value: `{place}`"),
            (UseKind::Borrow, false) => format!("borrow of moved value: `{place}`"),
            (UseKind::Use, true) => format!("use of partially moved value: `{place}`"),
            (UseKind::Use, false) => format!("use of moved value: `{place}`"),
        },
        ErrorKind::Uninitialized { name, how, .. } => match how {
            Uninit::PartialAssign => {
                format!("partially assigned binding `{name}` isn't fully initialized")
            }
            Uninit::Possibly => format!("used binding `{name}` is possibly-uninitialized"),
            Uninit::Never => format!("used binding `{name}` isn't initialized"),
        },
        ErrorKind::MoveOut(from) => move_out_message(from),
        _ => String::new(),
    }
}

fn move_out_message(from: &MoveOutOf) -> String {
    match from {
        MoveOutOf::Reference { place, mutability } => {
            let which = match mutability {
                Mutability::Mut => "mutable",
                Mutability::Not => "shared",
            };
            format!("cannot move out of `{place}` which is behind a {which} reference")
        }
        MoveOutOf::RawPointer { place } => {
            format!("cannot move out of `{place}` which is behind a raw pointer")
        }
        MoveOutOf::SharedPointer { pointer } => format!("cannot move out of an `{pointer}`"),
        MoveOutOf::Index => "cannot move out of index".to_string(),
        MoveOutOf::Static { name } => format!("cannot move out of static item `{name}`"),
        MoveOutOf::PatternGuard { place } => {
            format!("cannot move out of `{place}` in pattern guard")
        }
        MoveOutOf::NonCopyElement { ty, sequence } => {
            let sequence = match sequence {
                Sequence::Array => "array",
                Sequence::Slice => "slice",
            };
            format!("cannot move out of type `{ty}`, a non-copy {sequence}")
        }
        MoveOutOf::DropType { ty } => {
            let ty = crate::items::display_name(ty);
            format!("cannot move out of type `{ty}`, which implements the `Drop` trait")
        }
    }
}

pub(super) fn label(kind: &ErrorKind, role: Role) -> String {
    match (kind, role) {
        (ErrorKind::UseAfterMove { .. }, Role::Move) => "value moved here".into(),
        (ErrorKind::UseAfterMove { .. }, Role::MoveInPreviousIteration) => {
            "value moved here, in previous iteration of loop".into()
        }
        (ErrorKind::UseAfterMove { .. }, Role::UseAfterMove) => "value used here after move".into(),
        (
            ErrorKind::UseAfterMove {
                action: UseKind::Borrow,
                ..
            },
            Role::AccessInClosure,
        ) => "borrow occurs due to use in closure".into(),
        (ErrorKind::UseAfterMove { .. }, Role::AccessInClosure) => {
            "use occurs due to use in closure".into()
        }
        (ErrorKind::Uninitialized { .. }, Role::Declaration) => {
            "binding declared here but left uninitialized".into()
        }
        _ => String::new(),
    }
}
