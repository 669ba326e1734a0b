//! Typed borrow-check errors: what an error is about, never its words.
//!
//! The lowering (`lower/`: errors that need no dataflow) and the checker (`borrowck/`) build
//! these values; `diagnostics/` is the only code that turns them into rustc's messages and
//! labels; `fixes/` matches on their kinds and reads their spans. A place is named as rustc
//! names it (`*self`, `v[_]`, from `mir::describe_place`): a place's name is data, rustc's
//! sentence about it is not. Spans are relative to the function, as everywhere before `lib.rs`.

use crate::ast::{Mutability, Name, Span};
use crate::mir::{BorrowKind, FakeSection};

/// One borrow-check error: where rustc reports it and what it is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BorrowError {
    /// rustc's primary span.
    pub span: Span,
    pub kind: ErrorKind,
}

/// Which error, with the places, spans and kinds that decide its wording. Grouped by family as
/// `diagnostics/` writes them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    // ---- conflicts: an access while a loan of the place is live -------------------------------
    /// E0499, E0502, E0503, E0505, E0506: the access at the error's span conflicts with the loan
    /// created at `borrow`.
    Conflict {
        kind: ConflictKind,
        /// The accessed place.
        place: String,
        /// The borrowed place (the loan's).
        borrowed: String,
        /// The loan's kind.
        loan: BorrowKind,
        /// The borrow expression that created the loan.
        borrow: Span,
        /// The first later use of the loan that keeps it alive, when found.
        later_use: Option<Span>,
        /// The drop of a value the loan flows into that uses it after the access (rustc's
        /// `UsedLaterWhenDropped`), when that comes first and rustc names the type's `Drop` code.
        later_drop: Option<DropUse>,
        /// The loan is a closure's capture: the use in the closure's body that captures (`borrow`
        /// is then the closure's `||`).
        borrow_in_closure: Option<Span>,
        /// The access is a closure's capture: the use in the closure's body that captures (the
        /// error's span is then the closure's `||`).
        access_in_closure: Option<Span>,
    },

    // ---- moves and initialization ---------------------------------------------------------------
    /// E0382: a use (at the error's span) of a value moved at `moves`.
    UseAfterMove {
        action: UseKind,
        /// The used place.
        place: String,
        /// The place of the first move (what an assignment to a part of it names).
        moved: String,
        /// The move took a part of the used place, not all of it.
        partial: bool,
        /// Every move that reaches the use, in program order.
        moves: Vec<Span>,
        /// The use is a closure's capture: the use in the closure's body (the error's span is
        /// then the closure's `||`).
        in_closure: Option<Span>,
    },
    /// E0381: a use of a binding that is not (or not surely) initialized.
    Uninitialized {
        name: Name,
        how: Uninit,
        /// The binding's declaration.
        decl: Span,
    },
    /// E0507, E0508, E0509: a move out of a place that cannot be moved from.
    MoveOut(MoveOutOf),

    // ---- mutability ---------------------------------------------------------------------------
    /// E0596 (a mutable borrow) or E0594 (an assignment) of a place that may not be mutated.
    NotMutable { action: Mutation, why: Immutable },
    /// E0384: a second assignment to an immutable binding.
    Reassigned {
        name: Name,
        /// The binding is a function parameter.
        argument: bool,
        /// The binding's declaration (its first assignment).
        decl: Span,
    },
    /// E0510: a match guard mutates a place the match tests, or an index expression one whose
    /// length an enclosing index checked (`section` says which).
    MutatedInGuard {
        action: Mutation,
        place: String,
        section: FakeSection,
    },

    // ---- regions: a borrow outlives what it borrows --------------------------------------------
    /// E0597: the value borrowed at the error's span is dropped (at `dropped`, when the drop is
    /// in the body) while still borrowed.
    /// When a closure's capture borrows it, the error's span is the use in the closure's body
    /// and `captured` the closure's `||`.
    DoesNotLiveLongEnough {
        name: String,
        dropped: Option<Span>,
        captured: Option<Span>,
        /// The drop of another value that keeps the borrow alive where it ends (rustc's
        /// `UsedLaterWhenDropped`), when it is the next use of the borrow.
        dropped_by: Option<DropUse>,
    },
    /// E0716: the temporary at the error's span is freed (at `freed`, when that is the end of
    /// its statement) while still borrowed.
    TemporaryDropped { freed: Option<Span> },
    /// E0515: the returned value (at the error's span) refers to a value of the function,
    /// borrowed at `borrow`.
    ReturnsBorrow {
        owner: Owner,
        /// The borrowed value's name.
        name: String,
        /// The whole value is borrowed and returned ("reference to", not "value referencing").
        reference: bool,
        borrow: Span,
    },
    /// E0373: a closure borrows (at the error's span) a value it may outlive.
    ClosureMayOutlive { name: String },
    /// "lifetime may not live long enough": the function's lifetime `'longer` must outlive its
    /// `'shorter` (names without the quote; an anonymous one is numbered, `1`), which its
    /// signature does not say; what requires it is at the error's span. `fn_kind` is how rustc
    /// calls the function ("function", "method", "associated function").
    RegionOutlives {
        longer: Name,
        shorter: Name,
        blame: Blame,
        fn_kind: &'static str,
        /// Every lifetime `'longer` must outlive and is not known to, when each is named (not
        /// `'static`, not anonymous): the bounds that would make the body check.
        bounds: Option<Vec<Name>>,
    },
    /// "lifetime may not live long enough": a written `&'static T` whose `T` holds a lifetime
    /// parameter that nothing relates to `'static`.
    StaticOutlives,
    /// E0521: data only valid in the body (of region `'longer`, the type of `param`) stored or
    /// passed out where it must outlive `'shorter`, a region the body's caller chooses (or
    /// `'static`; of the type of the variable `outer`, when one has it). `escapes_from` is how
    /// rustc calls the body ("closure", "function", "method"). `explained` when both regions
    /// can be named to the user (not a region the defining function infers): rustc then says
    /// what requires the one to outlive the other.
    EscapesBody {
        escapes_from: &'static str,
        param: Option<(Name, Span)>,
        outer: Option<(Name, Span)>,
        longer: Name,
        shorter: Name,
        blame: Blame,
        explained: bool,
    },
}

/// What requires one lifetime to outlive another at an error's span (rustc's
/// `ConstraintCategory`, the ones this analysis blames).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Blame {
    /// The value is returned.
    Return,
    /// A written type (a `let`'s annotation).
    TypeAnnotation,
    /// The value is passed to a call.
    CallArgument,
    /// The value is assigned to a place.
    Assignment,
    /// The value is used in building another (a struct's field).
    Usage,
    /// A callee's bound (`where 'a: 'b`).
    Predicate,
    /// Anything else (a temporary's assignment, a reborrow).
    Boring,
}

/// The conflicting access of an `ErrorKind::Conflict`, against the loan's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConflictKind {
    /// E0499: a mutable borrow while mutably borrowed.
    SecondMutBorrow,
    /// E0502: a shared borrow while mutably borrowed.
    SharedWhileMut,
    /// E0502: a mutable borrow while borrowed (shared).
    MutWhileShared,
    /// E0503: a read while mutably borrowed.
    UseWhileMutBorrowed,
    /// E0505: a move while borrowed.
    MoveWhileBorrowed,
    /// E0506: an assignment while borrowed.
    AssignWhileBorrowed,
    /// E0500: a closure's unique borrow while borrowed.
    UniqueWhileBorrowed,
    /// E0501: a borrow (`mutable` or shared) while a closure holds a unique borrow.
    BorrowWhileUnique { mutable: bool },
    /// E0524: two closures' unique borrows at once.
    TwoUnique,
}

/// How a moved value is used again (E0382).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UseKind {
    /// Read or moved.
    Use,
    /// Borrowed (shared, mutable or two-phase).
    Borrow,
    /// A part of it assigned.
    AssignToPart,
}

/// Why a binding may be uninitialized (E0381).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Uninit {
    /// A part of it assigned before the whole.
    PartialAssign,
    /// Initialized on some paths only.
    Possibly,
    /// Initialized on no path.
    Never,
}

/// What a move out of a place would take from (E0507, E0508, E0509).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MoveOutOf {
    /// E0507: `place` behind a reference of this mutability.
    Reference {
        place: String,
        mutability: Mutability,
    },
    /// E0507: `place` behind a raw pointer.
    RawPointer { place: String },
    /// E0507: the deref of a smart pointer without `DerefMut` (`Rc`, `Arc`).
    SharedPointer { pointer: Name },
    /// E0507: an overloaded index.
    Index,
    /// E0507: a static item.
    Static { name: Name },
    /// E0507: a binding (or a part of one) in its arm's guard, where it is a reference to the
    /// matched place.
    PatternGuard { place: String },
    /// E0508: an element of an array or slice whose type is `ty` (displayed).
    NonCopyElement { ty: String, sequence: Sequence },
    /// E0509: a field of the type `ty`, which implements `Drop`.
    DropType { ty: Name },
}

/// Array or slice (E0508).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sequence {
    Array,
    Slice,
}

/// A mutation: a mutable borrow (E0596) or an assignment (E0594).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mutation {
    Borrow,
    Assign,
}

/// Why a place may not be mutated (E0596 / E0594).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Immutable {
    /// `place` is the binding `binding`, declared without `mut`, or (`part`) a part of it.
    NotDeclared {
        place: String,
        binding: Name,
        part: bool,
    },
    /// `place` is the binding `binding` captured by an `Fn` closure, or (`part`) a part of it.
    FnCapture {
        place: String,
        binding: Name,
        part: bool,
    },
    /// `place` is behind a shared reference or a `*const` pointer.
    BehindPointer { place: String, pointer: Pointer },
    /// The data is behind the reference or pointer a call returned: rustc names no place.
    CallResult { pointer: Pointer },
    /// `place` is the immutable static `name` or (`part`) a part of it.
    Static {
        place: String,
        name: Name,
        part: bool,
    },
    /// The data is behind a smart pointer without `DerefMut` (`Rc`, `Arc`).
    SharedPointer { pointer: Name },
    /// The data is an index of a type without `IndexMut` (`container`, displayed).
    NoIndexMut { container: String },
}

/// A pointer that gives no mutable access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pointer {
    /// `&T`
    SharedRef,
    /// `*const T`
    ConstPtr,
}

/// Whose value a returned borrow refers to (E0515).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    Temporary,
    Parameter,
    Local,
}

/// What a label of an error marks; `diagnostics/` words it for the error's kind.
/// A drop that uses a borrow: the dropped binding, the type whose `Drop` impl runs (as rustc
/// names it), and where it is dropped.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DropUse {
    pub name: String,
    pub ty: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The borrow the error is about.
    Borrow,
    /// The access that conflicts with the borrow.
    Access,
    /// A later use that keeps the borrow alive.
    LaterUse,
    /// A later use reached through the loop's back edge (rustc's `UsedLaterInLoop`).
    LaterUseInLoop,
    /// The borrow and the access at one span: the borrow of the previous iteration of a loop
    /// (E0499, rustc's `cannot_mutably_borrow_multiply` with equal spans).
    BorrowInPreviousIteration,
    /// The closure that captures the value (E0597).
    Capture,
    /// The use in a closure's body that makes the closure borrow (the loan's side).
    BorrowInClosure,
    /// The use in a closure's body that makes the closure access the place (the access's side).
    AccessInClosure,
    /// A move of the value (E0382).
    Move,
    /// The use of the moved value (E0382).
    UseAfterMove,
    /// A move made in an earlier iteration of a loop (E0382).
    MoveInPreviousIteration,
    /// The binding's declaration (E0381, E0384).
    Declaration,
    /// Where the borrowed value or temporary is dropped.
    Drop,
    /// Where another value's drop uses the borrow (E0597).
    DropUse,
    /// The temporary value (E0716).
    Temporary,
    /// What requires a lifetime to outlive another (lifetime errors).
    Return,
}

impl BorrowError {
    /// rustc's error code, or `lifetime` for the uncoded "lifetime may not live long enough".
    pub fn code(&self) -> &'static str {
        match &self.kind {
            ErrorKind::Conflict { kind, .. } => match kind {
                ConflictKind::SecondMutBorrow => "E0499",
                ConflictKind::SharedWhileMut | ConflictKind::MutWhileShared => "E0502",
                ConflictKind::UseWhileMutBorrowed => "E0503",
                ConflictKind::MoveWhileBorrowed => "E0505",
                ConflictKind::AssignWhileBorrowed => "E0506",
                ConflictKind::UniqueWhileBorrowed => "E0500",
                ConflictKind::BorrowWhileUnique { .. } => "E0501",
                ConflictKind::TwoUnique => "E0524",
            },
            ErrorKind::UseAfterMove { .. } => "E0382",
            ErrorKind::Uninitialized { .. } => "E0381",
            ErrorKind::MoveOut(from) => match from {
                MoveOutOf::NonCopyElement { .. } => "E0508",
                MoveOutOf::DropType { .. } => "E0509",
                _ => "E0507",
            },
            ErrorKind::NotMutable { action, .. } => match action {
                Mutation::Borrow => "E0596",
                Mutation::Assign => "E0594",
            },
            ErrorKind::Reassigned { .. } => "E0384",
            ErrorKind::MutatedInGuard { .. } => "E0510",
            ErrorKind::DoesNotLiveLongEnough { .. } => "E0597",
            ErrorKind::TemporaryDropped { .. } => "E0716",
            ErrorKind::ReturnsBorrow { .. } => "E0515",
            ErrorKind::ClosureMayOutlive { .. } => "E0373",
            ErrorKind::RegionOutlives { .. } | ErrorKind::StaticOutlives => "lifetime",
            ErrorKind::EscapesBody { .. } => "E0521",
        }
    }

    /// The labels rustc shows, in its order: each span with what it marks.
    pub fn labels(&self) -> Vec<(Span, Role)> {
        let span = self.span;
        match &self.kind {
            ErrorKind::Conflict {
                kind,
                borrow,
                later_use,
                later_drop,
                borrow_in_closure,
                access_in_closure,
                ..
            } => {
                let previous_iteration = matches!(kind, ConflictKind::SecondMutBorrow)
                    && *borrow == span
                    && borrow_in_closure.is_none()
                    && access_in_closure.is_none();
                let mut labels = if previous_iteration {
                    vec![(span, Role::BorrowInPreviousIteration)]
                } else {
                    vec![(*borrow, Role::Borrow)]
                };
                labels.extend(borrow_in_closure.map(|s| (s, Role::BorrowInClosure)));
                if !previous_iteration {
                    labels.push((span, Role::Access));
                }
                labels.extend(access_in_closure.map(|s| (s, Role::AccessInClosure)));
                // A use before the borrow is reached through the loop's back edge.
                labels.extend(later_use.map(|s| {
                    if s.start < borrow.start {
                        (s, Role::LaterUseInLoop)
                    } else {
                        (s, Role::LaterUse)
                    }
                }));
                labels.extend(later_drop.as_ref().map(|d| (d.span, Role::DropUse)));
                labels
            }
            ErrorKind::UseAfterMove {
                moves, in_closure, ..
            } => {
                // A move at or after the use was made in an earlier iteration of a loop (rustc's
                // `traversed_back_edge`); at the use's own span it is the only label.
                let in_loop = moves.contains(&span);
                moves
                    .iter()
                    .map(|s| match s.start >= span.start {
                        true => (*s, Role::MoveInPreviousIteration),
                        false => (*s, Role::Move),
                    })
                    .chain((!in_loop).then_some((span, Role::UseAfterMove)))
                    .chain(in_closure.map(|s| (s, Role::AccessInClosure)))
                    .collect()
            }
            ErrorKind::Uninitialized { decl, .. } | ErrorKind::Reassigned { decl, .. } => {
                vec![(*decl, Role::Declaration)]
            }
            ErrorKind::DoesNotLiveLongEnough {
                dropped,
                captured,
                dropped_by,
                ..
            } => {
                let mut labels: Vec<(Span, Role)> =
                    captured.iter().map(|s| (*s, Role::Capture)).collect();
                labels.push((span, Role::Borrow));
                labels.extend(dropped.map(|s| (s, Role::Drop)));
                labels.extend(dropped_by.as_ref().map(|d| (d.span, Role::DropUse)));
                labels
            }
            ErrorKind::TemporaryDropped { freed } => {
                let mut labels = vec![(span, Role::Temporary)];
                labels.extend(freed.map(|s| (s, Role::Drop)));
                labels
            }
            ErrorKind::ReturnsBorrow { borrow, .. } => vec![(*borrow, Role::Borrow)],
            ErrorKind::ClosureMayOutlive { .. } => vec![(span, Role::Borrow)],
            ErrorKind::RegionOutlives { .. } => vec![(span, Role::Return)],
            ErrorKind::EscapesBody {
                param,
                outer,
                explained,
                ..
            } => {
                let mut labels: Vec<(Span, Role)> =
                    outer.iter().map(|(_, s)| (*s, Role::Declaration)).collect();
                if let Some((_, s)) = param {
                    labels.push((*s, Role::Borrow));
                    labels.push((span, Role::Access));
                }
                if *explained {
                    labels.push((span, Role::Return));
                }
                labels
            }
            ErrorKind::MoveOut(_)
            | ErrorKind::NotMutable { .. }
            | ErrorKind::MutatedInGuard { .. }
            | ErrorKind::StaticOutlives => Vec::new(),
        }
    }

    /// The span of the first label that marks `role`.
    pub fn label(&self, role: Role) -> Option<Span> {
        self.labels()
            .into_iter()
            .find(|(_, r)| *r == role)
            .map(|(s, _)| s)
    }
}
