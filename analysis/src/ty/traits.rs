//! What a type implements, one home per fact: `Copy`, `Clone`, `Default`, a significant `Drop`,
//! the built-in `Deref` of references and std's smart pointers, the built-in `Index` of arrays,
//! slices and std's vectors. Each answers "yes", "no" or "cannot tell" (`None`) from the type,
//! the crate's items (`Index`) and what std says; the rest of the analysis asks here.

use super::{all_known, Ty};
use crate::ast::Mutability;
use crate::index::Index;
use crate::std_api;

/// std types that are never `Copy` whatever their arguments.
const STD_NOT_COPY: &[&str] = &[
    "String",
    "Vec",
    "Box",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "VecDeque",
    "BinaryHeap",
    "LinkedList",
    "Rc",
    "Arc",
    "RefCell",
    "Cell",
    "Mutex",
    "RwLock",
    "PathBuf",
    "OsString",
    "CString",
    "File",
    "Weak",
    "UnsafeCell",
    "Ref",
    "RefMut",
    "MutexGuard",
    // Ranges and iterators: std never makes an iterator `Copy`.
    "Range",
    "RangeFrom",
    "RangeInclusive",
    "Peekable",
    "Chars",
    "CharIndices",
    "Enumerate",
    "IntoIter",
    "Drain",
];

/// std iterator types (by the names std's methods return them under): each implements
/// `Iterator`, none is `Copy`, and none has inherent methods beyond `Iterator`'s but those
/// `Peekable` adds (`STD_PEEKABLE`).
pub const STD_ITERATORS: &[&str] = &[
    "Peekable",
    "Chars",
    "CharIndices",
    "Bytes",
    "Lines",
    "SplitWhitespace",
    "Enumerate",
    "Rev",
    "Skip",
    "Take",
    "StepBy",
    "Zip",
    "Chain",
    "Flatten",
    "Cloned",
    "Copied",
    "Fuse",
    "Map",
    "Filter",
    "FilterMap",
    "FlatMap",
    "TakeWhile",
    "SkipWhile",
    "Inspect",
    "Iter",
    "IterMut",
    "IntoIter",
    "Keys",
    "Values",
    "ValuesMut",
    "Windows",
    "Chunks",
    "ChunksMut",
    "ChunksExact",
    "Split",
    "SplitN",
    "RSplit",
    "SplitTerminator",
    "Matches",
    "MatchIndices",
];

/// std types without lifetime parameters whose regions are exactly their type arguments': they
/// hold a borrow only through what they are given.
pub const STD_REGION_TRANSPARENT: &[&str] = &[
    "Vec",
    "VecDeque",
    "Option",
    "Result",
    "Box",
    "Rc",
    "Arc",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "BinaryHeap",
    "Cell",
    "RefCell",
    "String",
];

/// std types whose `Drop` uses the borrows they hold, so they stay live until dropped.
pub const STD_GUARDS: &[&str] = &[
    "Ref",
    "RefMut",
    "MutexGuard",
    "RwLockReadGuard",
    "RwLockWriteGuard",
    "Drain",
    "PeekMut",
];

impl Ty {
    /// What a std iterator yields, when std says and the analysis knows (`CharIndices`:
    /// `(usize, char)`; an adapter made from `Self` yields what its base does).
    pub fn iterator_item(&self) -> Ty {
        let Ty::Adt {
            name,
            args,
            lifetimes,
        } = self
        else {
            return Ty::Unknown;
        };
        let base = || args.first().map_or(Ty::Unknown, Ty::iterator_item);
        let str_ref = || Ty::Ref(Mutability::Not, Box::new(Ty::Str));
        match (&**name, *lifetimes) {
            // `str`'s iterators (each borrows the string; `io::Lines` and `io::Bytes` do not).
            ("CharIndices", 1) => Ty::Tuple(vec![Ty::prim("usize"), Ty::prim("char")]),
            ("Chars", 1) => Ty::prim("char"),
            ("Bytes", 1) => Ty::prim("u8"),
            ("Lines" | "SplitWhitespace", 1) => str_ref(),
            ("Enumerate", _) => Ty::Tuple(vec![Ty::prim("usize"), base()]),
            ("Peekable" | "Skip" | "Take" | "StepBy" | "Fuse" | "Rev" | "Chain", _) => base(),
            // A collection's iterator by reference, with its element type (`for` loops read it
            // so too).
            ("Iter", 1) if args.len() == 1 && args[0] != Ty::Unknown => {
                Ty::Ref(Mutability::Not, Box::new(args[0].clone()))
            }
            ("IterMut", 1) if args.len() == 1 && args[0] != Ty::Unknown => {
                Ty::Ref(Mutability::Mut, Box::new(args[0].clone()))
            }
            _ => Ty::Unknown,
        }
    }

    /// Whether values of this type are `Copy`.
    pub fn is_copy(&self, index: &Index) -> Option<bool> {
        match self {
            Ty::Prim(_) | Ty::RawPtr(..) | Ty::FnPtr(_) | Ty::Never => Some(true),
            Ty::Ref(Mutability::Not, _) => Some(true),
            Ty::Ref(Mutability::Mut, _) => Some(false),
            Ty::Str | Ty::Slice(_) => None,
            Ty::Tuple(ts) => all_known(ts.iter().map(|t| t.is_copy(index))),
            Ty::Array(t, _) => t.is_copy(index),
            Ty::Param { copy, .. } => *copy,
            Ty::Opaque | Ty::Dyn(_) | Ty::Unknown => None,
            Ty::Adt { name, args, .. } => {
                if index.is_shadowed(name) {
                    return None;
                }
                if let Some(adt) = index.adt(name) {
                    // A workspace type shadows a std one of the same name.
                    if adt.opaque {
                        return None;
                    }
                    if adt.copy {
                        return match adt.copy_if_args_copy {
                            // `#[derive(Copy)]` on a generic type is conditional on its arguments.
                            Some(true) => all_known(args.iter().map(|t| t.is_copy(index))),
                            Some(false) => Some(true),
                            None if args.is_empty() => Some(true),
                            // An `impl<T: Copy + ..> Copy`: not for an argument that is not.
                            None if adt.copy_needs_copy_args.iter().any(|&i| {
                                args.get(i).and_then(|t| t.is_copy(index)) == Some(false)
                            }) =>
                            {
                                Some(false)
                            }
                            None => None,
                        };
                    }
                    return Some(false);
                }
                if STD_NOT_COPY.contains(&&**name) || STD_ITERATORS.contains(&&**name) {
                    return Some(false);
                }
                match &**name {
                    // A closure is `Copy` when its captures (by value, or references) all are.
                    "{closure}" => all_known(args.iter().map(|t| t.is_copy(index))),
                    "Option" => args.first().and_then(|t| t.is_copy(index)),
                    "Result" if args.len() == 2 => all_known(args.iter().map(|t| t.is_copy(index))),
                    "Ordering" | "Duration" | "Instant" | "PhantomData" | "NonZeroUsize"
                    | "TypeId" => Some(true),
                    _ => None,
                }
            }
        }
    }

    /// The type behind one `*`: references, `Box`, and std smart pointers.
    pub fn deref(&self) -> Option<Ty> {
        if let Some(t) = self.deref_part() {
            return Some(t.clone());
        }
        match self {
            Ty::Adt { name, args, .. } => match &**name {
                "Vec" => Some(Ty::Slice(Box::new(
                    args.first().cloned().unwrap_or(Ty::Unknown),
                ))),
                "String" => Some(Ty::Str),
                _ => None,
            },
            _ => None,
        }
    }

    /// `deref` where the target is a part of this type (a reference's, a pointer's or a smart
    /// pointer's): borrowed rather than copied.
    pub fn deref_part(&self) -> Option<&Ty> {
        match self {
            Ty::Ref(_, t) | Ty::RawPtr(_, t) => Some(t),
            Ty::Adt { name, args, .. }
                if matches!(
                    &**name,
                    "Box" | "Rc" | "Arc" | "Ref" | "RefMut" | "MutexGuard"
                ) =>
            {
                args.first()
            }
            _ => None,
        }
    }

    /// The type of `self[i]` for a non-range index, borrowed.
    pub fn index_elem_part(&self) -> Option<&Ty> {
        match self {
            Ty::Array(t, _) | Ty::Slice(t) => Some(t),
            Ty::Adt { name, args, .. } if matches!(&**name, "Vec" | "VecDeque") => args.first(),
            _ => None,
        }
    }

    /// The type of `self[i]` for a non-range index.
    pub fn index_elem(&self) -> Option<Ty> {
        self.index_elem_part().cloned()
    }

    /// The type of `x[a..b]` (any range) on a `Vec`, array or slice (a slice of its elements),
    /// or on a `String` or `str` (a `str`).
    pub fn range_elem(&self) -> Option<Ty> {
        match self {
            Ty::Array(t, _) | Ty::Slice(t) => Some(Ty::Slice(t.clone())),
            Ty::Adt { name, args, .. } if &**name == "Vec" => {
                Some(Ty::Slice(Box::new(args.first()?.clone())))
            }
            Ty::Adt { name, .. } if &**name == "String" => Some(Ty::Str),
            Ty::Str => Some(Ty::Str),
            _ => None,
        }
    }

    /// Whether a type implements `Clone`, as far as the crate's text and std tell.
    pub fn is_clone(&self, index: &Index) -> Option<bool> {
        let all = |ts: &[Ty]| all_known(ts.iter().map(|t| t.is_clone(index)));
        match self {
            Ty::Prim(_) | Ty::Ref(Mutability::Not, _) => Some(true),
            Ty::Tuple(ts) => all(ts),
            Ty::Array(t, _) => t.is_clone(index),
            Ty::Adt { name, args, .. } => {
                if let Some(crate_says) = crate_derivable(index, name, "Clone", |a| a.clone) {
                    return crate_says.and_then(|it| if it { all(args) } else { Some(false) });
                }
                match &**name {
                    "String" | "PathBuf" | "OsString" | "CString" => Some(true),
                    "Rc" | "Arc" => Some(true),
                    "Vec" | "Box" | "Option" | "Result" | "VecDeque" | "HashMap" | "HashSet"
                    | "BTreeMap" | "BTreeSet" => all(args),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Whether a type implements `Default`, as far as the crate's text and std tell.
    pub fn is_default(&self, index: &Index) -> Option<bool> {
        let all = |ts: &[Ty]| all_known(ts.iter().map(|t| t.is_default(index)));
        match self {
            Ty::Prim(_) => Some(true),
            Ty::Tuple(ts) if ts.len() <= 12 => all(ts),
            Ty::Array(t, Some(n)) if *n <= 32 => t.is_default(index),
            Ty::Adt { name, args, .. } => {
                if let Some(crate_says) = crate_derivable(index, name, "Default", |a| a.default) {
                    return crate_says.and_then(|it| if it { all(args) } else { Some(false) });
                }
                match &**name {
                    "String" | "Vec" | "HashMap" | "HashSet" | "BTreeMap" | "BTreeSet"
                    | "VecDeque" | "Option" => Some(true),
                    "Box" => all(args),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Whether the type has a `Drop` that may use the borrows it holds.
    pub fn has_significant_drop(&self, index: &Index) -> Option<bool> {
        match self {
            Ty::Adt { name, args, .. } => {
                if let Some(a) = index.adt(name) {
                    return if a.opaque { None } else { Some(a.drop) };
                }
                if STD_GUARDS.contains(&&**name) {
                    return Some(true);
                }
                // Containers drop their elements; std's containers are `#[may_dangle]` in
                // their element types, so only an element with a significant drop counts.
                let mut any = Some(false);
                for t in args {
                    match t.has_significant_drop(index) {
                        Some(true) => return Some(true),
                        None => any = None,
                        Some(false) => {}
                    }
                }
                if std_api::lookup(name, "new").is_some() || any == Some(false) {
                    any
                } else {
                    None
                }
            }
            Ty::Tuple(ts) => {
                let mut any = Some(false);
                for t in ts {
                    match t.has_significant_drop(index) {
                        Some(true) => return Some(true),
                        None => any = None,
                        Some(false) => {}
                    }
                }
                any
            }
            Ty::Array(t, _) => t.has_significant_drop(index),
            Ty::Unknown | Ty::Opaque | Ty::Dyn(_) | Ty::Param { .. } => None,
            _ => Some(false),
        }
    }
}

/// What the crate says of a derivable trait (`Clone`, `Default`) for the type named `name`:
/// `None` when the crate says nothing (the name is std's, if anyone's); `Some(None)` when it
/// cannot tell (the name is imported from elsewhere, or the type is made by an attribute macro);
/// `Some(Some(derived))` whether it derives or implements the trait (then it holds when the
/// type's arguments have it too).
fn crate_derivable(
    index: &Index,
    name: &str,
    trait_name: &str,
    derived: impl Fn(&crate::index::AdtInfo) -> bool,
) -> Option<Option<bool>> {
    if index.is_shadowed(name) {
        return Some(None);
    }
    let adt = index.adt(name)?;
    if adt.opaque {
        return Some(None);
    }
    Some(Some(derived(adt) || index.implements(name, trait_name)))
}
