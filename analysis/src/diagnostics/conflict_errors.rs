//! Conflicts: an access while a loan of the place is live (E0499, E0502, E0503, E0505, E0506),
//! a closure's unique borrow on either side (E0500, E0501, E0524), and the loan's later use that
//! makes it one (rustc's `explain_borrow`), with the uses in closures that made a closure borrow
//! (rustc's `UseSpans::var_subdiag`).

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
        ConflictKind::UniqueWhileBorrowed => {
            format!("closure requires unique access to `{ap}` but it is already borrowed")
        }
        ConflictKind::BorrowWhileUnique { mutable } => {
            let how = if *mutable { "mutable" } else { "immutable" };
            format!("cannot borrow `{ap}` as {how} because previous closure requires unique access")
        }
        ConflictKind::TwoUnique => {
            format!("two closures require unique access to `{ap}` at the same time")
        }
    }
}

pub(super) fn label(kind: &ErrorKind, role: Role) -> String {
    let ErrorKind::Conflict {
        kind,
        place: ap,
        borrowed: lp,
        later_use,
        later_drop,
        borrow_in_closure,
        access_in_closure,
        ..
    } = kind
    else {
        return String::new();
    };
    // rustc's `report_conflicting_borrow` words the uses in closures of two borrows; moves,
    // reads and assignments have their own reports.
    let two_borrows = !matches!(
        kind,
        ConflictKind::UseWhileMutBorrowed
            | ConflictKind::MoveWhileBorrowed
            | ConflictKind::AssignWhileBorrowed
    );
    match (role, kind) {
        (Role::BorrowInClosure, _) if two_borrows && borrow_in_closure == access_in_closure => {
            format!("borrows occur due to use of `{ap}` in closure")
        }
        (Role::BorrowInClosure, _) if two_borrows => {
            format!("first borrow occurs due to use of `{lp}` in closure")
        }
        (Role::BorrowInClosure, ConflictKind::UseWhileMutBorrowed) => {
            format!("borrow occurs due to use of `{ap}` in closure")
        }
        (Role::BorrowInClosure, _) => "borrow occurs due to use in closure".into(),
        (Role::AccessInClosure, _) if two_borrows => {
            format!("second borrow occurs due to use of `{ap}` in closure")
        }
        (Role::AccessInClosure, ConflictKind::MoveWhileBorrowed) => {
            "move occurs due to use in closure".into()
        }
        (Role::AccessInClosure, ConflictKind::AssignWhileBorrowed) => {
            "assignment occurs due to use in closure".into()
        }
        (Role::AccessInClosure, _) => "use occurs due to use in closure".into(),
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
        (Role::Borrow, ConflictKind::UniqueWhileBorrowed) => "borrow occurs here".into(),
        (Role::Access, ConflictKind::UniqueWhileBorrowed) => {
            "closure construction occurs here".into()
        }
        (Role::Borrow, ConflictKind::BorrowWhileUnique { .. }) => {
            "closure construction occurs here".into()
        }
        // rustc says "second" only when it explains the conflict by a later use.
        (Role::Access, ConflictKind::BorrowWhileUnique { .. }) if later_use.is_some() => {
            "second borrow occurs here".into()
        }
        (Role::Access, ConflictKind::BorrowWhileUnique { .. }) => "borrow occurs here".into(),
        (Role::Borrow, ConflictKind::TwoUnique) => "first closure is constructed here".into(),
        (Role::Access, ConflictKind::TwoUnique) => "second closure is constructed here".into(),
        (
            Role::LaterUse,
            ConflictKind::UniqueWhileBorrowed
            | ConflictKind::BorrowWhileUnique { .. }
            | ConflictKind::TwoUnique,
        ) => "first borrow later used here".into(),
        (Role::LaterUse, _) => "borrow later used here".into(),
        (Role::BorrowInPreviousIteration, _) => {
            format!("`{ap}` was mutably borrowed here in the previous iteration of the loop")
        }
        (Role::LaterUseInLoop, _) => {
            format!(
                "{}borrow used here, in later iteration of loop",
                borrow_desc(kind)
            )
        }
        (Role::DropUse, _) => {
            let Some(d) = later_drop else {
                return String::new();
            };
            let which = borrow_desc(kind);
            format!(
                "{which}borrow might be used here, when `{}` is dropped and runs the `Drop` code for type `{}`",
                d.name, d.ty
            )
        }
        _ => String::new(),
    }
}

/// How rustc's `explain_borrow` names the loan in a later use's label (`first borrow later used
/// here`, `mutable borrow ..`).
fn borrow_desc(kind: &ConflictKind) -> &'static str {
    match kind {
        ConflictKind::SecondMutBorrow => "first ",
        ConflictKind::SharedWhileMut => "mutable ",
        ConflictKind::MutWhileShared => "immutable ",
        _ => "",
    }
}
