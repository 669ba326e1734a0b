//! The owned syntax tree that lowering works on.
//!
//! `syntax` builds it from tree-sitter; nothing else names tree-sitter kinds. Every node is owned
//! plain data (`Eq`, so salsa can compare it) and every span inside a function is relative to that
//! function's own start, so moving a function in its file leaves its `FnDef` unchanged.
//! Anything the converter cannot read becomes an explicit `Unknown` (`ERROR` nodes, unsupported
//! syntax); lowering treats it as "something happened here that we do not understand".

use std::sync::Arc;

/// A byte range. Inside a `FnDef` it is relative to the start of the function item (the first byte
/// of its attributes-less `fn`/visibility/qualifier text as tree-sitter reports the item node).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn shift(self, by: u32) -> Span {
        Span {
            start: self.start + by,
            end: self.end + by,
        }
    }
}

pub type Name = Arc<str>;

/// The primitive types' names, but `str`: integers, floats, `bool`, `char`.
pub const PRIMS: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "f32",
    "f64", "bool", "char",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mutability {
    Not,
    Mut,
}

/// A whole file: its items in source order, nested items hoisted (see `Container`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SourceFile {
    pub items: Vec<Item>,
}

/// Where an item sits: module path, enclosing impl or trait, enclosing function.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Container {
    /// Inline module names from the file root, outermost first.
    pub modules: Vec<Name>,
    /// For items inside `impl [Trait for] Type`: the self type as written.
    pub impl_self: Option<Type>,
    /// For items inside `impl Trait for Type`: the trait path's last segment.
    pub impl_trait: Option<Name>,
    /// For items inside `trait Name { .. }`: the trait's name.
    pub trait_name: Option<Name>,
    /// The generics of the enclosing `impl` or `trait` (`T` in `impl<T> Bag<T>`).
    pub impl_generics: Generics,
    /// Names of the enclosing functions, outermost first, for items declared inside a body.
    pub parent_fns: Vec<Name>,
}

/// Every kind but functions is shared (`Arc`): a keystroke copies each cached item of the file
/// into the new syntax, and an item the size of its largest kind made that copy most of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Fn(FnItem),
    Struct(Arc<StructDef>),
    Enum(Arc<EnumDef>),
    /// `impl [Trait for] Type { .. }` header; its functions are separate `Item::Fn`s with a
    /// matching `Container`.
    Impl(Arc<ImplDef>),
    Trait(Arc<TraitDef>),
    Static(Arc<StaticDef>),
    /// `type Name = Type;` outside impls and traits.
    TypeAlias(Arc<TypeAliasDef>),
    /// `use a::{b, c as d, e::*};`, flattened.
    Use(Arc<UseDef>),
    /// `mod name;` or `mod name { .. }` (whose items are hoisted with the module in their
    /// `Container`).
    Mod(Arc<ModDef>),
    /// `const NAME: T = ..;`, by name: a value that is not a place.
    Const(Arc<ConstDef>),
    /// `extern crate name [as alias];`
    ExternCrate(Arc<ExternCrateDef>),
    /// `name!(..);` where items go, outside functions, impls and traits: its items are known
    /// once it is expanded (a `macro_rules!` of the crate, in the def map).
    MacroCall(Arc<MacroItem>),
    /// `macro_rules! name { .. }` where items go, outside functions.
    MacroRules(Arc<MacroRulesDef>),
}

impl Item {
    /// Where the item sits.
    pub fn container(&self) -> &Container {
        match self {
            Item::Fn(it) => &it.container,
            Item::Struct(it) => &it.container,
            Item::Enum(it) => &it.container,
            Item::Impl(it) => &it.container,
            Item::Trait(it) => &it.container,
            Item::Static(it) => &it.container,
            Item::TypeAlias(it) => &it.container,
            Item::Use(it) => &it.container,
            Item::Mod(it) => &it.container,
            Item::Const(it) => &it.container,
            Item::ExternCrate(it) => &it.container,
            Item::MacroCall(it) => &it.container,
            Item::MacroRules(it) => &it.container,
        }
    }
}

/// A macro invoked where items go.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MacroItem {
    pub container: Container,
    /// Last path segment, without `!`.
    pub name: Name,
    /// Named by a path (`a::m!`): not found by textual scope.
    pub qualified: bool,
    /// The text between the delimiters.
    pub text: Arc<str>,
}

/// A `macro_rules!` definition where items go, with its attributes (`macro_export`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MacroRulesDef {
    pub container: Container,
    pub name: Name,
    pub rules: Arc<MacroRules>,
    pub attrs: Vec<Name>,
}

/// A `use` declaration: one import per leaf of its tree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UseDef {
    pub container: Container,
    pub imports: Vec<Import>,
    /// `pub use` (any visibility but private): a re-export.
    pub is_pub: bool,
}

/// One leaf of a `use` tree, its path with the group prefixes prepended: `a::b::c` (imported as
/// `c`, or as `alias`; `self` in a group imports the group's module), or `a::b::*`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Import {
    pub path: Vec<Name>,
    /// `as alias` (`_` imports nothing by name).
    pub alias: Option<Name>,
    /// `path::*`.
    pub glob: bool,
}

/// `mod name;` (its items are in another file) or `mod name { .. }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ModDef {
    pub container: Container,
    pub name: Name,
    pub inline: bool,
    /// Every attribute's text without `#[` `]` (`path = "x.rs"`, `cfg(test)`).
    pub attrs: Vec<Name>,
}

/// `const NAME: T = ..;` outside impls and traits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConstDef {
    pub container: Container,
    pub name: Name,
}

/// `extern crate name [as alias];`
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExternCrateDef {
    pub container: Container,
    pub name: Name,
    pub alias: Option<Name>,
}

/// `type Name<generics> = Type;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeAliasDef {
    pub container: Container,
    pub name: Name,
    pub generics: Generics,
    pub ty: Type,
}

/// `static [mut] NAME: Type = ..;`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticDef {
    pub container: Container,
    pub name: Name,
    pub mutable: bool,
    pub ty: Type,
}

/// A function with its absolute placement in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnItem {
    /// Shared by the functions of one impl, trait or module: copying items (the conversion cache
    /// does on every keystroke) and comparing them (salsa does) costs no deep copy or walk.
    pub container: Arc<Container>,
    /// Absolute byte offset of the function in the file; every span in `def` is relative to it.
    pub offset: u32,
    /// The function's own text length in bytes.
    pub len: u32,
    pub def: Arc<FnDef>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FnDef {
    pub name: Name,
    pub name_span: Span,
    pub generics: Generics,
    pub self_param: Option<SelfParam>,
    pub params: Vec<Param>,
    pub ret: Option<Type>,
    /// `None` for a declaration without body (`fn f();` in a trait or extern block).
    pub body: Option<Block>,
    pub is_unsafe: bool,
    pub is_async: bool,
    pub is_const: bool,
    /// Attributes on the function, as their text without `#[` `]` (`test`, `inline`, ...).
    pub attrs: Vec<Name>,
    /// The spans of the macro invocations replaced by their expansions: what the macro's own
    /// text does is there, where rustc points into the macro's definition instead.
    pub expansions: Vec<Span>,
    /// The generic arguments of the paths its body uses as values, not called where written
    /// (`let f = S::<&'a u32>;`, `<&'static u32 as Tr<_>>::m`), by the path's span.
    pub path_args: Vec<(Span, PathArgs)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Generics {
    /// Lifetime parameters, without the quote (`a` for `'a`).
    pub lifetimes: Vec<Name>,
    /// Type parameters with the text of their bounds (inline and from `where`), e.g. `("T", ["Copy", "Clone"])`.
    pub types: Vec<(Name, Vec<Name>)>,
    /// Some lifetime parameter has bounds (`'a: 'b`, inline or in `where`).
    pub has_lifetime_bounds: bool,
    /// The bounds between lifetimes, `(longer, shorter)` for each `'longer: 'shorter` written
    /// inline or in `where` (without the quotes).
    pub lifetime_bounds: Vec<(Name, Name)>,
    /// Lifetimes may relate in ways `lifetime_bounds` does not record: a `where` predicate
    /// bounds by a lifetime a type that is not a type parameter (`&'a T: 'b` says `'a: 'b`), or
    /// an impl's trait has type arguments that name lifetimes (their implied bounds).
    pub unknown_lifetime_relations: bool,
    /// The `Fn`-family bounds written with their arguments (`F: for<'r> FnMut(&'r T) -> U`), by
    /// type parameter: the signature a closure passed there is given (its higher-ranked
    /// lifetimes are the closure's own).
    pub fn_bounds: Vec<(Name, FnBound)>,
}

/// A bound of the `Fn` family written with parentheses: `for<'r> FnOnce(&'r T, &U) -> V`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FnBound {
    /// The trait's last segment (`Fn`, `FnMut`, `FnOnce`).
    pub trait_name: Name,
    /// The lifetimes of the `for<..>` binders around it, without the quote.
    pub binder: Vec<Name>,
    pub params: Vec<Type>,
    /// `None` when not written: `()`.
    pub ret: Option<Type>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SelfParam {
    /// `self` / `mut self`
    Value { mutability: Mutability, span: Span },
    /// `&self`, `&'a mut self`
    Ref {
        mutability: Mutability,
        lifetime: Option<Name>,
        span: Span,
    },
    /// `self: Box<Self>` and friends.
    Typed {
        mutability: Mutability,
        ty: Type,
        span: Span,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Param {
    pub pat: Pat,
    pub ty: Type,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StructDef {
    pub container: Container,
    pub name: Name,
    pub generics: Generics,
    pub fields: Fields,
    /// Trait names from `#[derive(..)]`, last path segment (`Clone`, `Copy`, `Debug`).
    pub derives: Vec<Name>,
    /// Every attribute's text without `#[` `]` (an attribute macro may add impls we cannot see).
    pub attrs: Vec<Name>,
    /// `union U { .. }`: its fields overlap.
    pub is_union: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Fields {
    Named(Vec<(Name, Type)>),
    Tuple(Vec<Type>),
    Unit,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EnumDef {
    pub container: Container,
    pub name: Name,
    pub generics: Generics,
    pub variants: Vec<(Name, Fields)>,
    pub derives: Vec<Name>,
    pub attrs: Vec<Name>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImplDef {
    pub container: Container,
    pub generics: Generics,
    pub self_ty: Type,
    /// The trait's last path segment for `impl Trait for Type` (`Drop`, `Copy`, `Deref`...).
    pub trait_name: Option<Name>,
    /// The trait's path as written (`std::ops::Deref`), empty when there is none or it is not
    /// a plain path.
    pub trait_path: Vec<Name>,
    /// `impl !Send for T`
    pub negative: bool,
    /// Names of associated types with their types (`type Target = str;`).
    pub assoc_types: Vec<(Name, Type)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TraitDef {
    pub container: Container,
    pub name: Name,
    pub generics: Generics,
    /// Supertraits as written, last path segment.
    pub supertraits: Vec<Name>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `&'a mut T`
    Ref {
        lifetime: Option<Name>,
        mutability: Mutability,
        inner: Box<Type>,
    },
    /// `*const T` / `*mut T`
    Ptr {
        mutability: Mutability,
        inner: Box<Type>,
    },
    /// `a::b::Name<'x, T, U>`: all segments' names; generic args of the last segment.
    Path {
        segments: Vec<Name>,
        args: Vec<GenericArg>,
    },
    Tuple(Vec<Type>),
    /// `[T; N]` with `N` when it is an integer literal.
    Array(Box<Type>, Option<u64>),
    Slice(Box<Type>),
    /// `fn(A) -> B`, with `B` when written.
    FnPtr(Option<Box<Type>>),
    /// `impl Trait + 'a` with the bounds' text.
    /// The `Fn*` bound with its arguments, when it is the one such bound.
    ImplTrait(Vec<Name>, Option<Box<FnBound>>),
    /// `dyn Trait + 'a` / bare trait objects, bounds' text.
    DynTrait(Vec<Name>, Option<Box<FnBound>>),
    Never,
    /// `_`
    Infer,
    /// Anything else (macros in type position, qualified paths `<T as Tr>::X`, errors).
    Unknown,
}

/// The generic arguments written on a called path, by the segment that carries them: rustc's
/// user type annotation of a call (`A::<'a>::new::<&'a u32>`, `<&'a u32 as Tr<_>>::m`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PathArgs {
    /// Every segment's arguments, in order (`E::<T>::V`, `E::V::<T>`: both `[T]`).
    pub all: Vec<GenericArg>,
    /// The last segment's (`f::<T>`, `A::new::<T>`).
    pub last: Vec<GenericArg>,
    /// The segment's before it (`A::<'a>::new`, `Tr::<T>::m`, `<T as Tr<U>>::m`: `Tr`'s).
    pub owner: Vec<GenericArg>,
    /// The self type of a bracketed path (`<A<'a>>::new`, `<&'a u32 as Tr<_>>::m`).
    pub qself: Option<Type>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum GenericArg {
    Lifetime(Name),
    Type(Type),
    /// Const arguments and associated type bindings (`Item = T`) as `Other`.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Block {
    pub span: Span,
    pub stmts: Vec<Stmt>,
    /// The trailing expression without `;`.
    pub tail: Option<Box<Expr>>,
    /// `unsafe { }`
    pub is_unsafe: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Stmt {
    Let {
        pat: Pat,
        ty: Option<Type>,
        /// Where the type annotation is written.
        ty_span: Option<Span>,
        init: Option<Expr>,
        /// `let .. else { .. }`
        else_block: Option<Box<Block>>,
        span: Span,
    },
    /// An expression statement; `has_semi` is false for block-like expressions without `;`
    /// that are not the block's tail.
    Expr { expr: Expr, has_semi: bool },
    /// A nested item (fn, struct, use, ...): hoisted, lowering skips it.
    Item(Span),
    /// A statement under `#[cfg(..)]`: which configuration is active is unknown.
    Cfg(Span),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Expr {
    pub span: Span,
    pub kind: ExprKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Lit {
    Int,
    Float,
    Bool,
    Char,
    Str,
    ByteStr,
    Byte,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Deref,
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldName {
    Named(Name),
    /// `.0`
    Index(u32),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Arm {
    pub pat: Pat,
    pub guard: Option<Expr>,
    pub body: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClosureParam {
    pub pat: Pat,
    pub ty: Option<Type>,
}

/// A macro invocation, read by what common macros do.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MacroArgs {
    /// The token tree parsed as comma-separated expressions (`vec![a, b]`, `assert_eq!(a, b)`,
    /// `println!("{}", x)` gives `["{}" literal, x]`). Named arguments `name = expr` keep the expr.
    Exprs(Vec<Expr>),
    /// `vec![elem; n]`
    Repeat(Box<Expr>, Box<Expr>),
    /// Could not be read as expressions: the identifiers that occur in the tokens, with spans.
    Tokens(Vec<(Name, Span)>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MacroCall {
    /// Last path segment without `!` (`println`, `vec`, `format`).
    pub name: Name,
    /// The macro was named by a path (`boxcar::vec!`): not necessarily std's macro of that name.
    pub qualified: bool,
    pub args: MacroArgs,
    /// For format-like macros (the first string literal argument, or the second for `write!`/
    /// `writeln!`, or after the condition for `assert!`): identifiers used inline in the format
    /// string (`{x}`, `{x:?}`, `{0}` excluded), with the span of the name inside the literal.
    pub format_idents: Vec<(Name, Span)>,
    /// The text between the delimiters, kept for macros that are not std's (the crate's own
    /// `macro_rules!` are expanded from it before the body is resolved).
    pub tokens: Option<MacroTokens>,
}

/// The tokens of a macro invocation, as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MacroTokens {
    pub text: Arc<str>,
    /// Where `text` starts, relative to the function; `None` when the invocation was itself made
    /// by an expansion from the macro's own tokens (no place in the file to point at).
    pub at: Option<u32>,
}

/// A `macro_rules!` definition: each rule's matcher and transcriber, the text inside their
/// delimiters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MacroRules {
    pub rules: Vec<(Arc<str>, Arc<str>)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExprKind {
    /// A path: `x`, `Foo::new`, `None`, `std::mem::swap`. One segment for plain identifiers;
    /// `self` is the single segment `self`. Turbofish generic args are dropped.
    Path(Vec<Name>),
    Lit(Lit),
    Unary(UnOp, Box<Expr>),
    /// `&e`, `&mut e`, `&raw const e` (`raw` true).
    Ref {
        mutability: Mutability,
        raw: bool,
        expr: Box<Expr>,
    },
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Assign(Box<Expr>, Box<Expr>),
    CompoundAssign(BinOp, Box<Expr>, Box<Expr>),
    /// `f(args)`; the third part holds the generic arguments written on the callee's path
    /// (`E::V::<&'static u32>(..)`, `A::<'a>::new::<T>(..)`), by where they are written.
    Call(Box<Expr>, Vec<Expr>, Box<PathArgs>),
    MethodCall {
        receiver: Box<Expr>,
        method: Name,
        method_span: Span,
        args: Vec<Expr>,
        /// The generic arguments written on the method (`collect::<Vec<_>>()`).
        generics: Vec<GenericArg>,
    },
    Field(Box<Expr>, FieldName),
    Index(Box<Expr>, Box<Expr>),
    Tuple(Vec<Expr>),
    Array(Vec<Expr>),
    ArrayRepeat(Box<Expr>, Box<Expr>),
    /// `Path { a: e, b, ..base }`: shorthand fields expanded to `b: b` (the expr spans the name).
    Struct {
        path: Vec<Name>,
        fields: Vec<(FieldName, Expr)>,
        base: Option<Box<Expr>>,
        /// Generic arguments written on the path (`S::<&'static u32> { .. }`).
        generics: Vec<GenericArg>,
    },
    Block {
        block: Block,
        label: Option<Name>,
    },
    /// `async {}`, `const {}`, `gen {}`: not lowered.
    OpaqueBlock(Block),
    If {
        cond: Box<Expr>,
        then_branch: Block,
        else_branch: Option<Box<Expr>>,
    },
    /// `let PAT = EXPR` inside an `if`/`while` condition (let chains appear as `Binary(And, ..)`).
    Let {
        pat: Pat,
        expr: Box<Expr>,
    },
    While {
        label: Option<Name>,
        cond: Box<Expr>,
        body: Block,
    },
    Loop {
        label: Option<Name>,
        body: Block,
    },
    For {
        label: Option<Name>,
        pat: Pat,
        iter: Box<Expr>,
        body: Block,
    },
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<Arm>,
    },
    Closure {
        is_move: bool,
        /// The parameters with their bars (`|a, b|`, `||`): where rustc points at the closure.
        args: Span,
        params: Vec<ClosureParam>,
        ret: Option<Type>,
        body: Box<Expr>,
    },
    Break {
        label: Option<Name>,
        value: Option<Box<Expr>>,
    },
    Continue {
        label: Option<Name>,
    },
    Return(Option<Box<Expr>>),
    /// `e?`
    Try(Box<Expr>),
    Await(Box<Expr>),
    Range {
        start: Option<Box<Expr>>,
        end: Option<Box<Expr>>,
        inclusive: bool,
    },
    Cast(Box<Expr>, Type),
    Macro(MacroCall),
    /// Anything the converter could not read, with the identifiers inside it (so lowering can
    /// treat them as used).
    Unknown(Vec<(Name, Span)>),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pat {
    pub span: Span,
    pub kind: PatKind,
}

impl Pat {
    /// Calls `f` on this pattern and every pattern inside it, outermost first.
    pub fn walk(&self, f: &mut dyn FnMut(&Pat)) {
        f(self);
        match &self.kind {
            PatKind::Binding { sub: Some(s), .. } => s.walk(f),
            PatKind::Tuple(ps) | PatKind::Slice(ps) | PatKind::Or(ps) => {
                ps.iter().for_each(|p| p.walk(f))
            }
            PatKind::TupleStruct { elems, .. } => elems.iter().for_each(|p| p.walk(f)),
            PatKind::Struct { fields, .. } => fields.iter().for_each(|(_, p)| p.walk(f)),
            PatKind::Ref { pat, .. } => pat.walk(f),
            _ => {}
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PatKind {
    /// `_`
    Wild,
    /// `..` inside tuple / slice / tuple-struct patterns.
    Rest,
    /// `x`, `mut x`, `ref x`, `ref mut x`, `x @ sub`. A lone identifier is a `Binding` even when
    /// it names a constant or unit variant (`None`): the syntax cannot tell; lowering decides.
    Binding {
        by_ref: Option<Mutability>,
        mutability: Mutability,
        name: Name,
        sub: Option<Box<Pat>>,
    },
    Tuple(Vec<Pat>),
    TupleStruct {
        path: Vec<Name>,
        elems: Vec<Pat>,
        /// Generic arguments written on the path (`E::V::<'static>(x)`).
        generics: Vec<GenericArg>,
    },
    /// `S { a, b: p, .. }`: shorthand `a` becomes `(a, Binding a)`.
    Struct {
        path: Vec<Name>,
        fields: Vec<(FieldName, Pat)>,
        rest: bool,
        /// Generic arguments written on the path (`Foo::<'static> { .. }`).
        generics: Vec<GenericArg>,
    },
    /// A path with more than one segment (`Foo::Bar`, `std::f64::NAN`).
    Path(Vec<Name>),
    Ref {
        mutability: Mutability,
        pat: Box<Pat>,
    },
    Lit,
    Range,
    Or(Vec<Pat>),
    Slice(Vec<Pat>),
    /// `box p`, macros in pattern position, errors.
    Unknown,
}

/// Calls `f` on each direct sub-expression (blocks' statements included).
pub fn for_each_child<'e>(e: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    let block = |b: &'e Block, f: &mut dyn FnMut(&'e Expr)| {
        for s in &b.stmts {
            match s {
                Stmt::Let {
                    init, else_block, ..
                } => {
                    if let Some(i) = init {
                        f(i);
                    }
                    if let Some(b) = else_block {
                        for s in &b.stmts {
                            if let Stmt::Expr { expr, .. } = s {
                                f(expr);
                            }
                        }
                    }
                }
                Stmt::Expr { expr, .. } => f(expr),
                Stmt::Item(_) | Stmt::Cfg(_) => {}
            }
        }
        if let Some(t) = &b.tail {
            f(t);
        }
    };
    match &e.kind {
        ExprKind::Path(_) | ExprKind::Lit(_) | ExprKind::Continue { .. } | ExprKind::Unknown(_) => {
        }
        ExprKind::Unary(_, a)
        | ExprKind::Ref { expr: a, .. }
        | ExprKind::Field(a, _)
        | ExprKind::Try(a)
        | ExprKind::Await(a)
        | ExprKind::Cast(a, _) => f(a),
        ExprKind::Binary(_, a, b)
        | ExprKind::Assign(a, b)
        | ExprKind::CompoundAssign(_, a, b)
        | ExprKind::Index(a, b)
        | ExprKind::ArrayRepeat(a, b) => {
            f(a);
            f(b);
        }
        ExprKind::Call(g, args, ..) => {
            f(g);
            args.iter().for_each(&mut *f);
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            f(receiver);
            args.iter().for_each(&mut *f);
        }
        ExprKind::Tuple(es) | ExprKind::Array(es) => es.iter().for_each(&mut *f),
        ExprKind::Struct { fields, base, .. } => {
            fields.iter().for_each(|(_, a)| f(a));
            if let Some(b) = base {
                f(b);
            }
        }
        ExprKind::Block { block: b, .. } | ExprKind::OpaqueBlock(b) => block(b, f),
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            f(cond);
            block(then_branch, f);
            if let Some(e) = else_branch {
                f(e);
            }
        }
        ExprKind::Let { expr, .. } => f(expr),
        ExprKind::While { cond, body, .. } => {
            f(cond);
            block(body, f);
        }
        ExprKind::Loop { body, .. } => block(body, f),
        ExprKind::For { iter, body, .. } => {
            f(iter);
            block(body, f);
        }
        ExprKind::Match { scrutinee, arms } => {
            f(scrutinee);
            for a in arms {
                if let Some(g) = &a.guard {
                    f(g);
                }
                f(&a.body);
            }
        }
        ExprKind::Closure { body, .. } => f(body),
        ExprKind::Break { value, .. } | ExprKind::Return(value) => {
            if let Some(v) = value {
                f(v);
            }
        }
        ExprKind::Range { start, end, .. } => {
            if let Some(s) = start {
                f(s);
            }
            if let Some(e) = end {
                f(e);
            }
        }
        ExprKind::Macro(m) => match &m.args {
            MacroArgs::Exprs(es) => es.iter().for_each(&mut *f),
            MacroArgs::Repeat(a, b) => {
                f(a);
                f(b);
            }
            MacroArgs::Tokens(_) => {}
        },
    }
}

/// `for_each_child`, mutably: calls `f` on each direct sub-expression (blocks' statements
/// included, `let`-`else` blocks too).
pub fn for_each_child_mut(e: &mut Expr, f: &mut dyn FnMut(&mut Expr)) {
    fn block(b: &mut Block, f: &mut dyn FnMut(&mut Expr)) {
        for s in &mut b.stmts {
            match s {
                Stmt::Let {
                    init, else_block, ..
                } => {
                    if let Some(i) = init {
                        f(i);
                    }
                    if let Some(b) = else_block {
                        block(b, f);
                    }
                }
                Stmt::Expr { expr, .. } => f(expr),
                Stmt::Item(_) | Stmt::Cfg(_) => {}
            }
        }
        if let Some(t) = &mut b.tail {
            f(t);
        }
    }
    match &mut e.kind {
        ExprKind::Path(_) | ExprKind::Lit(_) | ExprKind::Continue { .. } | ExprKind::Unknown(_) => {
        }
        ExprKind::Unary(_, a)
        | ExprKind::Ref { expr: a, .. }
        | ExprKind::Field(a, _)
        | ExprKind::Try(a)
        | ExprKind::Await(a)
        | ExprKind::Cast(a, _) => f(a),
        ExprKind::Binary(_, a, b)
        | ExprKind::Assign(a, b)
        | ExprKind::CompoundAssign(_, a, b)
        | ExprKind::Index(a, b)
        | ExprKind::ArrayRepeat(a, b) => {
            f(a);
            f(b);
        }
        ExprKind::Call(g, args, ..) => {
            f(g);
            args.iter_mut().for_each(&mut *f);
        }
        ExprKind::MethodCall { receiver, args, .. } => {
            f(receiver);
            args.iter_mut().for_each(&mut *f);
        }
        ExprKind::Tuple(es) | ExprKind::Array(es) => es.iter_mut().for_each(&mut *f),
        ExprKind::Struct { fields, base, .. } => {
            fields.iter_mut().for_each(|(_, a)| f(a));
            if let Some(b) = base {
                f(b);
            }
        }
        ExprKind::Block { block: b, .. } | ExprKind::OpaqueBlock(b) => block(b, f),
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            f(cond);
            block(then_branch, f);
            if let Some(e) = else_branch {
                f(e);
            }
        }
        ExprKind::Let { expr, .. } => f(expr),
        ExprKind::While { cond, body, .. } => {
            f(cond);
            block(body, f);
        }
        ExprKind::Loop { body, .. } => block(body, f),
        ExprKind::For { iter, body, .. } => {
            f(iter);
            block(body, f);
        }
        ExprKind::Match { scrutinee, arms } => {
            f(scrutinee);
            for a in arms {
                if let Some(g) = &mut a.guard {
                    f(g);
                }
                f(&mut a.body);
            }
        }
        ExprKind::Closure { body, .. } => f(body),
        ExprKind::Break { value, .. } | ExprKind::Return(value) => {
            if let Some(v) = value {
                f(v);
            }
        }
        ExprKind::Range { start, end, .. } => {
            if let Some(s) = start {
                f(s);
            }
            if let Some(e) = end {
                f(e);
            }
        }
        ExprKind::Macro(m) => match &mut m.args {
            MacroArgs::Exprs(es) => es.iter_mut().for_each(&mut *f),
            MacroArgs::Repeat(a, b) => {
                f(a);
                f(b);
            }
            MacroArgs::Tokens(_) => {}
        },
    }
}
