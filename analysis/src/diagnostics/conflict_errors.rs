//! Conflicts: an access while a loan of the place is live (E0499, E0502, E0503, E0505, E0506),
//! and the loan's later use that makes it one (rustc's `explain_borrow`).

use crate::errors::{ConflictKind, ErrorKind, Role};

pub(super) fn message(kind: &ErrorKind) -> String {
    let ErrorKind::Conflict {
        kind, place: ap, ..
    } = kind
    else {
        return String::new();
    };
    match kind {
        ConflictKind::SecondMutBorrow => {
            format!("cannot borrow `{ap}` as mutable more than once at a time")
        }
        ConflictKind::SharedWhileMut => {
            format!("cannot borrow `{ap}` as immutable because it is also borrowed as mutable")
        }
        ConflictKind::MutWhileShared => {
            format!("cannot borrow `{ap}` as mutable because it is also borrowed as immutable")
        }
        ConflictKind::UseWhileMutBorrowed => {
            format!("cannot use `{ap}` because it was mutably borrowed")
        }
        ConflictKind::MoveWhileBorrowed => {
            format!("cannot move out of `{ap}` because it is borrowed")
        }
        ConflictKind::AssignWhileBorrowed => {
            format!("cannot assign to `{ap}` because it is borrowed")
        }
    }
}

pub(super) fn label(kind: &ErrorKind, role: Role) -> String {
    let ErrorKind::Conflict {
        kind,
        place: ap,
        borrowed: lp,
        ..
    } = kind
    else {
        return String::new();
    };
    match (role, kind) {
        (Role::Borrow, ConflictKind::SecondMutBorrow) => "first mutable borrow occurs here".into(),
        (Role::Access, ConflictKind::SecondMutBorrow) => "second mutable borrow occurs here".into(),
        (Role::LaterUse, ConflictKind::SecondMutBorrow) => "first borrow later used here".into(),
        (Role::Borrow, ConflictKind::SharedWhileMut) => "mutable borrow occurs here".into(),
        (Role::Access, ConflictKind::SharedWhileMut) => "immutable borrow occurs here".into(),
        (Role::LaterUse, ConflictKind::SharedWhileMut) => "mutable borrow later used here".into(),
        (Role::Borrow, ConflictKind::MutWhileShared) => "immutable borrow occurs here".into(),
        (Role::Access, ConflictKind::MutWhileShared) => "mutable borrow occurs here".into(),
        (Role::LaterUse, ConflictKind::MutWhileShared) => "immutable borrow later used here".into(),
        (Role::Borrow, ConflictKind::UseWhileMutBorrowed | ConflictKind::AssignWhileBorrowed) => {
            format!("`{lp}` is borrowed here")
        }
        (Role::Access, ConflictKind::UseWhileMutBorrowed) => format!("use of borrowed `{lp}`"),
        (Role::Borrow, ConflictKind::MoveWhileBorrowed) => format!("borrow of `{lp}` occurs here"),
        (Role::Access, ConflictKind::MoveWhileBorrowed) => {
            format!("move out of `{ap}` occurs here")
        }
        (Role::Access, ConflictKind::AssignWhileBorrowed) => {
            format!("`{ap}` is assigned to here but it was already borrowed")
        }
        (Role::LaterUse, _) => "borrow later used here".into(),
        _ => String::new(),
    }
}
