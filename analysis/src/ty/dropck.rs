//! What a value's drop needs of the regions it holds: rustc's `dropck_outlives`, in the one
//! question a borrow checker with one region per local can use: does the drop need *every*
//! region the value holds (then the local is live where it is dropped), *none* of them, or
//! cannot we tell (some but not all, or a type we do not know: then nothing is said)?
//!
//! rustc's rules (`rustc_ty_utils::needs_drop`, `adt_dtorck_constraint`,
//! `dtorck_constraint_for_ty_inner`): a type whose `Drop` impl is the user's needs all its
//! generic arguments to outlive the drop (`#[may_dangle]` is unstable, so no crate of ours can
//! opt out); a type without one needs what its fields' drops need; std's containers are
//! `#[may_dangle]` in their elements, so they need what their elements' drops need;
//! references, raw pointers, `Copy` values and `ManuallyDrop` need nothing.

use super::Ty;
use crate::index::Index;

/// std types whose drop needs what their type arguments' drops need, nothing more: their
/// `Drop` impls (if any) are `#[may_dangle]` in every argument, or they have none and hold
/// their arguments in fields (`Option`, `Cell`).
const STD_MAY_DANGLE: &[&str] = &[
    "Vec",
    "VecDeque",
    "LinkedList",
    "BinaryHeap",
    "Box",
    "Rc",
    "Arc",
    "Option",
    "Result",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "Cell",
    "RefCell",
    "UnsafeCell",
    "OnceCell",
    "Mutex",
    "RwLock",
    "PhantomData",
    "String",
    "PathBuf",
    "OsString",
    "CString",
];

/// std types whose `Drop` impl (without `#[may_dangle]`) takes every generic argument: their
/// drop needs all their regions.
const STD_DROP_ALL: &[&str] = &[
    "MutexGuard",
    "RwLockReadGuard",
    "RwLockWriteGuard",
    "Drain",
    "PeekMut",
];

/// std guards whose `Drop` needs their lifetime (their `BorrowRef`'s) but not the regions of
/// their target, which they hold behind a raw pointer.
const STD_DROP_LIFETIME: &[&str] = &["Ref", "RefMut"];

/// What a part of a value needs of its regions where the value is dropped.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Needs {
    /// The part holds no region: it agrees with any answer.
    NoRegions,
    /// Every region the part holds.
    All,
    /// None of them.
    Nothing,
    /// Some but not all, or we cannot tell.
    Unknown,
}

impl Needs {
    /// The needs of a value made of two parts.
    fn and(self, other: Needs) -> Needs {
        match (self, other) {
            (Needs::NoRegions, x) | (x, Needs::NoRegions) => x,
            (a, b) if a == b => a,
            _ => Needs::Unknown,
        }
    }
}

/// How deep the walk through fields and arguments goes before it gives up (a recursive type
/// through its own fields, or a very deep one).
const MAX_DEPTH: u32 = 16;

impl Ty {
    /// Whether dropping a value of this type needs every region it holds to be live
    /// (`Some(true)`), none of them (`Some(false)`), or we cannot tell (`None`: a type we do not
    /// know, or one whose drop needs some of its regions and not others).
    pub fn drop_needs_all_regions(&self, index: &Index) -> Option<bool> {
        match needs(self, index, &mut Vec::new(), 0) {
            Needs::All => Some(true),
            Needs::Nothing | Needs::NoRegions => Some(false),
            Needs::Unknown => None,
        }
    }
}

fn needs(ty: &Ty, index: &Index, stack: &mut Vec<Ty>, depth: u32) -> Needs {
    if depth > MAX_DEPTH {
        return Needs::Unknown;
    }
    if ty.may_hold_borrow(index) == Some(false) {
        return Needs::NoRegions;
    }
    match ty {
        Ty::Ref(..) | Ty::RawPtr(..) | Ty::FnPtr(_) | Ty::Prim(_) | Ty::Str | Ty::Never => {
            Needs::Nothing
        }
        Ty::Array(t, _) | Ty::Slice(t) => needs(t, index, stack, depth + 1),
        Ty::Tuple(ts) => parts(ts.iter(), index, stack, depth),
        Ty::Adt { name, args, .. } => adt_needs(ty, name, args, index, stack, depth),
        Ty::Param { .. } | Ty::Opaque | Ty::Dyn(_) | Ty::Unknown => Needs::Unknown,
    }
}

/// The needs of a value made of parts (a tuple's elements, a struct's fields).
fn parts<'t>(
    ts: impl Iterator<Item = &'t Ty>,
    index: &Index,
    stack: &mut Vec<Ty>,
    depth: u32,
) -> Needs {
    let mut acc = Needs::NoRegions;
    for t in ts {
        acc = acc.and(needs(t, index, stack, depth + 1));
        if acc == Needs::Unknown {
            break;
        }
    }
    acc
}

fn adt_needs(
    ty: &Ty,
    name: &str,
    args: &[Ty],
    index: &Index,
    stack: &mut Vec<Ty>,
    depth: u32,
) -> Needs {
    if let Some(adt) = index.adt(name) {
        if adt.opaque || adt.is_union {
            return Needs::Unknown;
        }
        if adt.drop {
            // A dependency may mark its impl `#[may_dangle]` under a `cfg` we do not evaluate
            // (nightly features: hashbrown's, smallvec's): only the crate's own is sure.
            if crate::items::is_dependency_id(name) {
                return Needs::Unknown;
            }
            return Needs::All;
        }
        // A type met again inside itself adds nothing to what the outer one needs.
        if stack.contains(ty) {
            return Needs::NoRegions;
        }
        let generic = adt.params.len() != args.len();
        let fields: Vec<&Ty> = adt
            .fields
            .iter()
            .chain(adt.variants.iter().flat_map(|(_, fs)| fs.iter()))
            .map(|(_, t)| t)
            .collect();
        if generic && fields.iter().any(|t| t.has_params()) {
            return Needs::Unknown;
        }
        let fields: Vec<Ty> = fields
            .into_iter()
            .map(|t| {
                if generic {
                    t.clone()
                } else {
                    t.subst(&adt.params, args)
                }
            })
            .collect();
        stack.push(ty.clone());
        let n = parts(fields.iter(), index, stack, depth);
        stack.pop();
        return n;
    }
    if index.is_shadowed(name) || crate::items::is_id(name) {
        return Needs::Unknown;
    }
    if name == "ManuallyDrop" {
        return Needs::Nothing;
    }
    if STD_MAY_DANGLE.contains(&name) {
        return parts(args.iter(), index, stack, depth);
    }
    if STD_DROP_ALL.contains(&name) {
        return Needs::All;
    }
    if STD_DROP_LIFETIME.contains(&name)
        && args.iter().all(|t| t.may_hold_borrow(index) == Some(false))
    {
        return Needs::All;
    }
    Needs::Unknown
}
