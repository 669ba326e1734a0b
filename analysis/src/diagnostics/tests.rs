//! Each kind of typed error in rustc's words: the messages and labels the corpora expect.

use super::render;
use crate::ast::{Mutability, Name, Span};
use crate::errors::*;
use crate::mir::{BorrowKind, FakeSection};

fn sp(n: u32) -> Span {
    Span::new(n, n + 1)
}

/// `(code, message, labels)` of an error at `sp(0)`.
fn words(kind: ErrorKind) -> (&'static str, String, Vec<(u32, String)>) {
    let r = render(&BorrowError { span: sp(0), kind });
    assert_eq!(r.span, sp(0));
    let labels = r.labels.into_iter().map(|(s, m)| (s.start, m)).collect();
    (r.code, r.message, labels)
}

fn conflict(kind: ConflictKind, loan: BorrowKind) -> ErrorKind {
    ErrorKind::Conflict {
        kind,
        place: "a".into(),
        borrowed: "b".into(),
        loan,
        borrow: sp(1),
        later_use: Some(sp(2)),
        later_drop: None,
        borrow_in_closure: None,
        access_in_closure: None,
    }
}

fn labels(texts: &[(u32, &str)]) -> Vec<(u32, String)> {
    texts.iter().map(|(s, t)| (*s, t.to_string())).collect()
}

#[test]
fn a_borrow_of_the_previous_iteration() {
    // The loan was made at the access's own span, and is used before it in the loop.
    let kind = ErrorKind::Conflict {
        kind: ConflictKind::SecondMutBorrow,
        place: "x".into(),
        borrowed: "x".into(),
        loan: BorrowKind::Mut { two_phase: false },
        borrow: Span::new(5, 11),
        later_use: Some(Span::new(2, 4)),
        later_drop: None,
        borrow_in_closure: None,
        access_in_closure: None,
    };
    let r = render(&BorrowError {
        span: Span::new(5, 11),
        kind,
    });
    let labels: Vec<(u32, String)> = r.labels.into_iter().map(|(s, m)| (s.start, m)).collect();
    assert_eq!(
        labels,
        vec![
            (
                5,
                "`x` was mutably borrowed here in the previous iteration of the loop".to_string()
            ),
            (
                2,
                "first borrow used here, in later iteration of loop".to_string()
            ),
        ]
    );
}

#[test]
fn conflicts() {
    let mut_loan = BorrowKind::Mut { two_phase: false };
    assert_eq!(
        words(conflict(ConflictKind::SecondMutBorrow, mut_loan)),
        (
            "E0499",
            "cannot borrow `a` as mutable more than once at a time".into(),
            labels(&[
                (1, "first mutable borrow occurs here"),
                (0, "second mutable borrow occurs here"),
                (2, "first borrow later used here")
            ])
        )
    );
    assert_eq!(
        words(conflict(ConflictKind::SharedWhileMut, mut_loan)),
        (
            "E0502",
            "cannot borrow `a` as immutable because it is also borrowed as mutable".into(),
            labels(&[
                (1, "mutable borrow occurs here"),
                (0, "immutable borrow occurs here"),
                (2, "mutable borrow later used here")
            ])
        )
    );
    assert_eq!(
        words(conflict(ConflictKind::MutWhileShared, BorrowKind::Shared)),
        (
            "E0502",
            "cannot borrow `a` as mutable because it is also borrowed as immutable".into(),
            labels(&[
                (1, "immutable borrow occurs here"),
                (0, "mutable borrow occurs here"),
                (2, "immutable borrow later used here")
            ])
        )
    );
    assert_eq!(
        words(conflict(ConflictKind::UseWhileMutBorrowed, mut_loan)),
        (
            "E0503",
            "cannot use `a` because it was mutably borrowed".into(),
            labels(&[
                (1, "`b` is borrowed here"),
                (0, "use of borrowed `b`"),
                (2, "borrow later used here")
            ])
        )
    );
    assert_eq!(
        words(conflict(
            ConflictKind::MoveWhileBorrowed,
            BorrowKind::Shared
        )),
        (
            "E0505",
            "cannot move out of `a` because it is borrowed".into(),
            labels(&[
                (1, "borrow of `b` occurs here"),
                (0, "move out of `a` occurs here"),
                (2, "borrow later used here")
            ])
        )
    );
    let mut e0506 = conflict(ConflictKind::AssignWhileBorrowed, BorrowKind::Shared);
    if let ErrorKind::Conflict { later_use, .. } = &mut e0506 {
        *later_use = None;
    }
    assert_eq!(
        words(e0506),
        (
            "E0506",
            "cannot assign to `a` because it is borrowed".into(),
            labels(&[
                (1, "`b` is borrowed here"),
                (0, "`a` is assigned to here but it was already borrowed")
            ])
        )
    );
    let mut e0502 = conflict(ConflictKind::MutWhileShared, BorrowKind::Shared);
    if let ErrorKind::Conflict {
        later_use,
        later_drop,
        ..
    } = &mut e0502
    {
        *later_use = None;
        *later_drop = Some(DropUse {
            name: "l".into(),
            ty: "Loud".into(),
            span: sp(3),
        });
    }
    assert_eq!(
        words(e0502).2,
        labels(&[
            (1, "immutable borrow occurs here"),
            (0, "mutable borrow occurs here"),
            (
                3,
                "immutable borrow might be used here, when `l` is dropped and runs the `Drop` code for type `Loud`"
            )
        ])
    );
}

#[test]
fn moves_and_initialization() {
    let moved = |action, partial| ErrorKind::UseAfterMove {
        action,
        place: "a".into(),
        moved: "a.0".into(),
        partial,
        moves: vec![sp(1), sp(2)],
        in_closure: None,
    };
    let (code, message, l) = words(moved(UseKind::Use, false));
    assert_eq!(
        (code, message.as_str()),
        ("E0382", "use of moved value: `a`")
    );
    // The moves come after the use here: they were made in an earlier iteration of a loop.
    assert_eq!(
        l,
        labels(&[
            (1, "value moved here, in previous iteration of loop"),
            (2, "value moved here, in previous iteration of loop"),
            (0, "value used here after move")
        ])
    );
    let before = render(&BorrowError {
        span: sp(5),
        kind: moved(UseKind::Use, false),
    });
    let before: Vec<(u32, String)> = before
        .labels
        .into_iter()
        .map(|(s, m)| (s.start, m))
        .collect();
    assert_eq!(
        before,
        labels(&[
            (1, "value moved here"),
            (2, "value moved here"),
            (5, "value used here after move")
        ])
    );
    let message = |kind| words(kind).1;
    assert_eq!(
        message(moved(UseKind::Use, true)),
        "use of partially moved value: `a`"
    );
    assert_eq!(
        message(moved(UseKind::Borrow, false)),
        "borrow of moved value: `a`"
    );
    assert_eq!(
        message(moved(UseKind::Borrow, true)),
        "borrow of partially moved value: `a`"
    );
    assert_eq!(
        message(moved(UseKind::AssignToPart, false)),
        "assign to part of moved value: `a.0`"
    );
    let uninit = |how| ErrorKind::Uninitialized {
        name: "x".into(),
        how,
        decl: sp(3),
    };
    assert_eq!(
        words(uninit(Uninit::Never)),
        (
            "E0381",
            "used binding `x` isn't initialized".into(),
            labels(&[(3, "binding declared here but left uninitialized")])
        )
    );
    assert_eq!(
        message(uninit(Uninit::Possibly)),
        "used binding `x` is possibly-uninitialized"
    );
    assert_eq!(
        message(uninit(Uninit::PartialAssign)),
        "partially assigned binding `x` isn't fully initialized"
    );
}

#[test]
fn moves_out() {
    let out = |from| {
        let (code, message, labels) = words(ErrorKind::MoveOut(from));
        assert!(labels.is_empty());
        (code, message)
    };
    let cases = [
        (
            MoveOutOf::Reference {
                place: "*r".into(),
                mutability: Mutability::Not,
            },
            "E0507",
            "cannot move out of `*r` which is behind a shared reference",
        ),
        (
            MoveOutOf::Reference {
                place: "*r".into(),
                mutability: Mutability::Mut,
            },
            "E0507",
            "cannot move out of `*r` which is behind a mutable reference",
        ),
        (
            MoveOutOf::RawPointer { place: "*p".into() },
            "E0507",
            "cannot move out of `*p` which is behind a raw pointer",
        ),
        (
            MoveOutOf::SharedPointer {
                pointer: "Rc".into(),
            },
            "E0507",
            "cannot move out of an `Rc`",
        ),
        (MoveOutOf::Index, "E0507", "cannot move out of index"),
        (
            MoveOutOf::Static { name: "S".into() },
            "E0507",
            "cannot move out of static item `S`",
        ),
        (
            MoveOutOf::NonCopyElement {
                ty: "[String]".into(),
                sequence: Sequence::Slice,
            },
            "E0508",
            "cannot move out of type `[String]`, a non-copy slice",
        ),
        (
            MoveOutOf::DropType { ty: "D".into() },
            "E0509",
            "cannot move out of type `D`, which implements the `Drop` trait",
        ),
    ];
    for (from, code, message) in cases {
        assert_eq!(out(from), (code, message.to_string()));
    }
}

#[test]
fn mutability() {
    let not_mut = |action, why| words(ErrorKind::NotMutable { action, why });
    let declared = |part| Immutable::NotDeclared {
        place: if part { "x.f".into() } else { "x".into() },
        binding: "x".into(),
        part,
    };
    assert_eq!(
        not_mut(Mutation::Borrow, declared(false)),
        (
            "E0596",
            "cannot borrow `x` as mutable, as it is not declared as mutable".into(),
            vec![]
        )
    );
    let message = |action, why| not_mut(action, why).1;
    let cases = [
        (
            Mutation::Assign,
            declared(true),
            "cannot assign to `x.f`, as `x` is not declared as mutable",
        ),
        (
            Mutation::Borrow,
            Immutable::FnCapture {
                place: "x".into(),
                binding: "x".into(),
                part: false,
            },
            "cannot borrow `x` as mutable, as it is a captured variable in a `Fn` closure",
        ),
        (
            Mutation::Assign,
            Immutable::FnCapture {
                place: "x".into(),
                binding: "x".into(),
                part: false,
            },
            "cannot assign to `x`, as it is a captured variable in a `Fn` closure",
        ),
        (
            Mutation::Borrow,
            Immutable::FnCapture {
                place: "x.0".into(),
                binding: "x".into(),
                part: true,
            },
            "cannot borrow `x.0` as mutable, as `Fn` closures cannot mutate their captured variables",
        ),
        (
            Mutation::Borrow,
            Immutable::BehindPointer {
                place: "*r".into(),
                pointer: Pointer::SharedRef,
            },
            "cannot borrow `*r` as mutable, as it is behind a `&` reference",
        ),
        (
            Mutation::Assign,
            Immutable::BehindPointer {
                place: "*p".into(),
                pointer: Pointer::ConstPtr,
            },
            "cannot assign to `*p`, which is behind a `*const` pointer",
        ),
        (
            Mutation::Borrow,
            Immutable::CallResult {
                pointer: Pointer::SharedRef,
            },
            "cannot borrow data in a `&` reference as mutable",
        ),
        (
            Mutation::Assign,
            Immutable::CallResult {
                pointer: Pointer::ConstPtr,
            },
            "cannot assign to data in a `*const` pointer",
        ),
        (
            Mutation::Borrow,
            Immutable::Static {
                place: "S".into(),
                name: "S".into(),
                part: false,
            },
            "cannot borrow immutable static item `S` as mutable",
        ),
        (
            Mutation::Assign,
            Immutable::Static {
                place: "S".into(),
                name: "S".into(),
                part: false,
            },
            "cannot assign to immutable static item `S`",
        ),
        (
            Mutation::Assign,
            Immutable::Static {
                place: "S.0".into(),
                name: "S".into(),
                part: true,
            },
            "cannot assign to `S.0`, as `S` is an immutable static item",
        ),
        (
            Mutation::Borrow,
            Immutable::SharedPointer {
                pointer: "Rc".into(),
            },
            "cannot borrow data in an `Rc` as mutable",
        ),
        (
            Mutation::Assign,
            Immutable::NoIndexMut {
                container: "HashMap<K, V>".into(),
            },
            "cannot assign to data in an index of `HashMap<K, V>`",
        ),
    ];
    for (action, why, expected) in cases {
        assert_eq!(message(action, why), expected);
    }
    assert_eq!(
        words(ErrorKind::Reassigned {
            name: "x".into(),
            argument: false,
            decl: sp(1)
        }),
        (
            "E0384",
            "cannot assign twice to immutable variable `x`".into(),
            labels(&[(1, "first assignment")])
        )
    );
    assert_eq!(
        words(ErrorKind::Reassigned {
            name: "x".into(),
            argument: true,
            decl: sp(1)
        })
        .1,
        "cannot assign to immutable argument `x`"
    );
    assert_eq!(
        words(ErrorKind::MutatedInGuard {
            action: Mutation::Borrow,
            place: "x".into(),
            section: FakeSection::MatchGuard,
        }),
        (
            "E0510",
            "cannot mutably borrow `x` in match guard".into(),
            vec![]
        )
    );
    assert_eq!(
        words(ErrorKind::MutatedInGuard {
            action: Mutation::Assign,
            place: "x".into(),
            section: FakeSection::Index,
        })
        .1,
        "cannot assign `x` in indexing expression"
    );
}

#[test]
fn regions() {
    assert_eq!(
        words(ErrorKind::DoesNotLiveLongEnough {
            name: "x".into(),
            dropped: Some(sp(1)),
            captured: None,
            dropped_by: None,
        }),
        (
            "E0597",
            "`x` does not live long enough".into(),
            labels(&[
                (0, "borrowed value does not live long enough"),
                (1, "`x` dropped here while still borrowed")
            ])
        )
    );
    assert_eq!(
        words(ErrorKind::DoesNotLiveLongEnough {
            name: "s".into(),
            dropped: Some(sp(1)),
            captured: None,
            dropped_by: Some(DropUse {
                name: "l".into(),
                ty: "Loud".into(),
                span: sp(1),
            }),
        }),
        (
            "E0597",
            "`s` does not live long enough".into(),
            labels(&[
                (0, "borrowed value does not live long enough"),
                (1, "`s` dropped here while still borrowed"),
                (
                    1,
                    "borrow might be used here, when `l` is dropped and runs the `Drop` code for type `Loud`"
                )
            ])
        )
    );
    assert_eq!(
        words(ErrorKind::TemporaryDropped { freed: Some(sp(1)) }),
        (
            "E0716",
            "temporary value dropped while borrowed".into(),
            labels(&[
                (
                    0,
                    "creates a temporary value which is freed while still in use"
                ),
                (1, "temporary value is freed at the end of this statement")
            ])
        )
    );
    let returned = |owner, reference| ErrorKind::ReturnsBorrow {
        owner,
        name: "x".into(),
        reference,
        borrow: sp(1),
    };
    assert_eq!(
        words(returned(Owner::Local, true)),
        (
            "E0515",
            "cannot return reference to local variable `x`".into(),
            labels(&[(1, "`x` is borrowed here")])
        )
    );
    assert_eq!(
        words(returned(Owner::Parameter, false)).1,
        "cannot return value referencing function parameter `x`"
    );
    assert_eq!(
        words(returned(Owner::Temporary, false)).1,
        "cannot return value referencing temporary value"
    );
    assert_eq!(
        words(ErrorKind::ClosureMayOutlive { name: "x".into() }),
        (
            "E0373",
            "closure may outlive the current function, but it borrows `x`, which is owned by the current function".into(),
            labels(&[(0, "may outlive borrowed value `x`")])
        )
    );
    let outlives = |longer: &str, shorter: &str, blame| ErrorKind::RegionOutlives {
        longer: longer.into(),
        shorter: shorter.into(),
        blame,
        fn_kind: "function",
        bounds: None,
    };
    assert_eq!(
        words(outlives("a", "b", Blame::Return)),
        (
            "lifetime",
            "lifetime may not live long enough".into(),
            labels(&[(
                0,
                "function was supposed to return data with lifetime `'b` but it is returning data with lifetime `'a`"
            )])
        )
    );
    assert_eq!(
        words(outlives("a", "static", Blame::Return)).2,
        labels(&[(
            0,
            "returning this value requires that `'a` must outlive `'static`"
        )])
    );
    assert_eq!(
        words(outlives("1", "2", Blame::Assignment)).2,
        labels(&[(0, "assignment requires that `'1` must outlive `'2`")])
    );
    assert_eq!(
        words(outlives("a", "1", Blame::Usage)).2,
        labels(&[(0, "this usage requires that `'a` must outlive `'1`")])
    );
    assert_eq!(
        words(ErrorKind::StaticOutlives),
        (
            "lifetime",
            "lifetime may not live long enough".into(),
            vec![]
        )
    );
    // A closure's own region returned where its defining function chooses the region: no
    // "supposed to return" (that is for a region of the body's own).
    assert_eq!(
        words(ErrorKind::RegionOutlives {
            longer: "1".into(),
            shorter: "2".into(),
            blame: Blame::Return,
            fn_kind: "closure",
            bounds: None,
        })
        .2,
        labels(&[(
            0,
            "returning this value requires that `'1` must outlive `'2`"
        )])
    );
}

#[test]
fn escaping_data() {
    let escapes = |escapes_from, outer: Option<(Name, Span)>, explained| ErrorKind::EscapesBody {
        escapes_from,
        param: Some(("y".into(), sp(1))),
        outer,
        longer: "1".into(),
        shorter: "static".into(),
        blame: Blame::CallArgument,
        explained,
    };
    assert_eq!(
        words(escapes("closure", Some(("x".into(), sp(2))), false)),
        (
            "E0521",
            "borrowed data escapes outside of closure".into(),
            labels(&[
                (2, "`x` declared here, outside of the closure body"),
                (
                    1,
                    "`y` is a reference that is only valid in the closure body"
                ),
                (0, "`y` escapes the closure body here"),
            ])
        )
    );
    assert_eq!(
        words(escapes("method", None, true)),
        (
            "E0521",
            "borrowed data escapes outside of method".into(),
            labels(&[
                (
                    1,
                    "`y` is a reference that is only valid in the method body"
                ),
                (0, "`y` escapes the method body here"),
                (0, "argument requires that `'1` must outlive `'static`"),
            ])
        )
    );
}
