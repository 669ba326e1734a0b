//! The lowered body: a small MIR-like control-flow graph over places.
//!
//! One statement does one thing at one span, so that the borrow checker can name the exact
//! expression of every access. Spans are relative to the function's start.

use crate::ast::{FieldName, Name, Span};
use crate::ty::regions::{RTy, Region};
use crate::ty::Ty;

pub mod describe;
pub use describe::describe_place;
pub mod place_ty;
pub mod pretty;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Local(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocalKind {
    /// `self` or a parameter.
    Arg,
    /// A binding the user wrote.
    User,
    /// A temporary of the lowering.
    Temp,
    /// The return place.
    Return,
    /// A closure's captured variable, inside the closure's body.
    Upvar,
    /// A `static` item of the crate, named in the body. Loans of statics are not tracked (they
    /// live forever), as in rustc.
    Static,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LocalDecl {
    /// The binding's name, or for temporaries a description of the value (`v[_]`).
    pub name: Option<Name>,
    pub ty: Ty,
    pub mutable: bool,
    pub kind: LocalKind,
    /// Where the binding is declared (the temporary's expression).
    pub span: Span,
    /// Temporaries whose storage ends with their statement (not lifetime-extended).
    pub is_statement_temp: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Proj {
    Deref,
    Field(FieldName),
    /// A built-in index (`a[i]` on arrays and slices): never disjoint from another index.
    Index,
    /// `[a, b, ..]` element at a constant offset from the start or from the end (1 is the last);
    /// `min_length` is the number of elements the pattern matched has at least.
    ConstIndex {
        offset: u32,
        from_end: bool,
        min_length: u32,
    },
    /// `[x @ .., _]` on a slice, or anything sliced whose range we do not know.
    Subslice,
    /// `[x @ .., _]` with its range: on an array of known length, the elements `from..to`
    /// (`from_end` false); on a slice, from `from` to `to` elements before the end.
    Range {
        from: u32,
        to: u32,
        from_end: bool,
    },
    /// Into an enum variant, by name.
    Downcast(Name),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    pub local: Local,
    pub proj: Vec<Proj>,
}

impl Place {
    pub fn local(local: Local) -> Place {
        Place {
            local,
            proj: Vec::new(),
        }
    }
    pub fn project(&self, p: Proj) -> Place {
        let mut proj = self.proj.clone();
        proj.push(p);
        Place {
            local: self.local,
            proj,
        }
    }
    pub fn deref(&self) -> Place {
        self.project(Proj::Deref)
    }
    pub fn is_prefix_of(&self, other: &Place) -> bool {
        self.local == other.local
            && self.proj.len() <= other.proj.len()
            && other.proj[..self.proj.len()] == self.proj[..]
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    Copy(Place),
    Move(Place),
    /// A use whose copy-or-move nature is unknown: never reported as a conflict, never a move,
    /// but still a use (for liveness and use-after-move).
    Use(Place),
    Const,
}

impl Operand {
    pub fn place(&self) -> Option<&Place> {
        match self {
            Operand::Copy(p) | Operand::Move(p) | Operand::Use(p) => Some(p),
            Operand::Const => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BorrowKind {
    Shared,
    Mut {
        two_phase: bool,
    },
    /// rustc's shallow fake borrow (`&fake shallow place`): it keeps what a `match` tested (through
    /// its guards) or a slice's length checked by an index (through the enclosing index
    /// expression) from being overwritten; only writes of the place itself (or of a prefix)
    /// conflict with it (E0510), never reads, moves or accesses of what lies below it.
    Fake(FakeSection),
    /// A closure's unique borrow of a variable it mutates through (`*x = ..` with `x: &mut T`,
    /// before edition 2021): exclusive as `&mut`, yet it needs no `mut` binding (rustc's
    /// `MutBorrowKind::ClosureCapture`).
    Unique,
}

impl BorrowKind {
    /// Exclusive: a mutable or unique borrow (a fake borrow is shallow and shared).
    pub fn is_mut(self) -> bool {
        matches!(self, BorrowKind::Mut { .. } | BorrowKind::Unique)
    }
}

/// Where a fake borrow holds: rustc's `FakeReadCause` of the temporary it is read through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FakeSection {
    MatchGuard,
    Index,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Rvalue {
    Use(Operand),
    Ref(BorrowKind, Place),
    /// A value built from parts (struct, tuple, array, closure): borrows in the parts flow into it.
    Aggregate(Vec<Operand>),
    /// A value computed from parts that holds none of their borrows (arithmetic, comparison, casts),
    /// with each part's own span where it is read there (a built-in operator's operands, which
    /// rustc reads at their spans), else none (the statement's).
    Opaque(Vec<Operand>, Vec<Span>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StatementKind {
    Assign(Place, Rvalue),
    /// Storage of a local ends: its loans must be dead (E0597).
    StorageDead(Local),
    /// The place a `match` inspects: it must not be moved as a whole, nothing else is checked.
    FakeRead(Place),
    /// `let _ = place;`: the place is mentioned, not read (rustc's `PlaceMention`): it is live
    /// here, and neither moves nor borrows are checked.
    PlaceMention(Place),
    /// A shallow read of an enum's discriminant or a value tested against a literal pattern:
    /// conflicts with mutable loans (E0503).
    Discriminant(Place),
    /// An operand evaluated for its effect (`x;`, arguments of unknown macros).
    Eval(Operand),
    /// The value in the place is stored into the local (`v.push(x)` stores `x` into `v`): the
    /// local holds its borrows from now on.
    Flow(Place, Local),
    /// Something we cannot see may have initialized (or re-initialized) the local: a macro that
    /// names it (`asm!(.., out(reg) x)`).
    MaybeInit(Local),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
    /// The access kind here is a guess (unknown receiver mode, unknown capture): conflicts that
    /// involve this statement or a loan it creates are not reported.
    pub uncertain: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Terminator {
    Goto(BlockId),
    /// Branches; the discriminant was read by a statement before.
    Switch(Vec<BlockId>),
    Call {
        args: Vec<Operand>,
        dest: Place,
        /// `None` when the call never returns (`panic!`, `-> !`).
        target: Option<BlockId>,
        /// Which arguments' borrows the result may hold.
        ret_borrows: Vec<usize>,
        span: Span,
    },
    Return,
    Unreachable,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BasicBlock {
    pub stmts: Vec<Statement>,
    pub term: Terminator,
    pub term_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Body {
    pub locals: Vec<LocalDecl>,
    pub blocks: Vec<BasicBlock>,
    pub n_args: u32,
    /// The lowering met something it does not understand: report nothing for this body.
    pub tainted: bool,
    /// The return type holds borrows of the arguments (so a loan flowing into it must outlive the
    /// body).
    pub ret_holds_borrow: bool,
    /// The returned value outlives the body whatever its type hides: `impl Tr` (its hidden type
    /// may hold no loan of a local) or `Box<dyn Tr>` (`'static` by default). A closure that
    /// borrows a local and is returned so is E0373.
    pub ret_escapes: bool,
    /// Locals whose value must be valid for `'static` (annotated `&'static`, stored into a
    /// `'static` field or passed to a `'static` parameter).
    pub static_locals: Vec<Local>,
    /// The call arguments among `static_locals`: rustc reports each borrow they hold that does
    /// not live long enough (one per argument), where it reports one per borrowed local else.
    pub static_args: Vec<Local>,
    /// Temporaries holding a closure's by-reference captures.
    pub capture_temps: Vec<Local>,
    /// Every capture of the body's closures (by reference or by value), with where rustc
    /// points at it, in the order of their temporaries.
    pub closure_captures: Vec<ClosureCapture>,
    /// A macro we cannot expand may divert control flow (`return`, `break`, `?`): the paths
    /// through it are guesses, so "on some path" errors (E0381, E0382) are not reported.
    pub opaque_control: bool,
    /// For "lifetime may not live long enough": the function's universal regions and the types
    /// of its values with their regions. `None` when its signature is not followed.
    pub regions: Option<Box<BodyRegions>>,
    /// The expressions whose value the function returns (its body's tail, each `return e`'s
    /// `e`): rustc reports a returned borrow at the one holding the assignment.
    pub return_exprs: Vec<Span>,
    /// The spans of the macro invocations expanded in the function (`FnDef::expansions`): an
    /// error at what a macro's own text does is rustc's in the macro's definition, not here.
    pub expansions: Vec<Span>,
}

/// One capture of a closure: the temporary the closure is built from, the closure's parameters
/// (`||`, where rustc points at the capture) and the use in its body that captures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClosureCapture {
    pub temp: Local,
    pub args: Span,
    pub var: Span,
}

impl Body {
    /// The closure capture whose temporary is `l` (the captures are in the order of their
    /// temporaries, which the lowering creates one after another).
    pub fn capture_of(&self, l: Local) -> Option<&ClosureCapture> {
        let i = self
            .closure_captures
            .binary_search_by_key(&l, |c| c.temp)
            .ok()?;
        self.closure_captures.get(i)
    }

    pub fn local(&self, l: Local) -> &LocalDecl {
        &self.locals[l.0 as usize]
    }
    pub fn return_local() -> Local {
        Local(0)
    }
}

/// What "lifetime may not live long enough" needs of a function: its universal regions (the
/// lifetimes its caller chooses), what its signature says of them, and the types with regions
/// of what its body builds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct BodyRegions {
    /// The universal regions after `'static`, in rustc's order (the impl's, then the function's
    /// early-bound, late-bound, anonymous): `Region::Param(i)` is the `i`-th.
    pub universals: Vec<Universal>,
    /// `(longer, shorter)` pairs known to hold among them: declared bounds and those the
    /// signature's types imply, closed under transitivity (`'static` outlives all, besides).
    pub known: Vec<(Region, Region)>,
    /// The types of locals as declared: the arguments and the return place (`None`: their
    /// regions are the universal ones), and `let`s with a type annotation (`Some` span of the
    /// statement: the local's own regions are equated with the annotation's).
    pub local_tys: Vec<(Local, RTy, Option<Span>)>,
    /// The types written in the body (`let` annotations), each with its span: they must be
    /// well-formed (`&'static &'a T` needs `'a: 'static`).
    pub wf: Vec<(RTy, Span)>,
    /// Inference variables named in annotations (`'_`, elided): `Region::Var(0..n_vars)`.
    pub n_vars: u32,
    /// What each `Rvalue::Aggregate` builds, by block and statement index (those not listed
    /// are not followed).
    pub aggregates: Vec<(BlockId, u32, AggregateKind)>,
    /// The signatures of the callees, by the block their call ends.
    pub calls: Vec<(BlockId, CalleeSig)>,
    /// Statements `uncertain` only in whether they copy, move or reborrow the value of a known
    /// place: the value flows either way.
    pub reborrows: Vec<(BlockId, u32)>,
    /// Statements returning a `&mut` read from behind a reference (`self.x` of `&self`): where
    /// the return type wants a shared reference, rustc reborrows (`&*self.x`).
    pub implicit_reborrows: Vec<(BlockId, u32)>,
    /// How rustc calls the function: "function", "method", "associated function".
    pub fn_kind: &'static str,
    /// The function is in an impl of a trait (its signature is the trait's: rustc suggests no
    /// change to it, E0621 is not used).
    pub in_trait_impl: bool,
    /// The body is a closure's: only its own (not `external`) universal regions are checked,
    /// its captured variables' and its inferred return type's regions are external.
    pub closure: bool,
}

/// A universal region of a function.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Universal {
    /// Its name, without the quote; `None` for an anonymous one (an elided lifetime, `'_`).
    pub name: Option<Name>,
    /// An anonymous lifetime of a parameter's type (not `self`'s, not the impl's): rustc words
    /// its conflict with a named lifetime as E0621 ("explicit lifetime required").
    pub of_param: bool,
    /// In a closure: a region the defining function chooses (a captured variable's, the
    /// return type's, a lifetime of the function), not the closure's own.
    pub external: bool,
}

/// What an aggregate builds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AggregateKind {
    /// A tuple of the operands.
    Tuple,
    /// std's `Box<T>`, `Rc<T>`, `Arc<T>` (by `new`) or `Option<T>` (by `Some`) of the operand:
    /// `T` is inferred, the operand's type a subtype of it.
    Wrap(Name),
    /// A struct (or an enum's variant) from the operands, given for `fields` in order; its
    /// lifetime arguments are `regions` (`None`: inferred, fresh), its type arguments `args`.
    Adt {
        name: Name,
        variant: Option<Name>,
        fields: Vec<FieldName>,
        regions: Option<Vec<Region>>,
        args: Vec<RTy>,
    },
}

/// A callee's signature as templates: `Region::Param(i)` is its `i`-th lifetime (each call
/// instantiates them afresh), its type parameters are opaque.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CalleeSig {
    pub n_regions: u32,
    /// The parameters' types, in the order of the call's arguments.
    pub params: Vec<RTy>,
    pub ret: RTy,
    /// Its bounds between lifetimes, `(longer, shorter)`, which each call must satisfy.
    pub bounds: Vec<(Region, Region)>,
    /// The parameters (in the order of the call's arguments) whose type is a type parameter
    /// bounded by `'static` (`x: T` with `T: 'static`): every region of the argument must
    /// outlive `'static`.
    pub static_params: Vec<usize>,
}
