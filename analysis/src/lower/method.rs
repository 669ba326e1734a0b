//! Method resolution: the method a receiver's type reaches through autoderef (references,
//! `Box`, one overloaded `Deref`), from the crate's impls or the std table, with how it takes its
//! receiver, what it returns and what it stores into the receiver.

use super::Lower;
use crate::ast::Mutability;
use crate::index::{FnSig, Receiver};
use crate::std_api;
use crate::ty::Ty;

/// How a method receives its receiver, after resolution.
pub(super) struct Resolved {
    pub(super) receiver: Receiver,
    /// Built-in derefs to apply to the receiver place before the autoref.
    pub(super) derefs: usize,
    /// The autoderef passed an overloaded `Deref` (`Vec` to slice): the borrow is of the place
    /// before it and is not two-phase.
    pub(super) overloaded: bool,
    pub(super) ret: Ty,
    pub(super) ret_borrows: bool,
    /// Indices of the arguments (without the receiver) stored into the receiver: a std
    /// container's element parameters (`Vec::push(&mut self, value: T)`).
    pub(super) stores: Vec<usize>,
    /// A crate method's signature as written.
    pub(super) written: Option<std::sync::Arc<crate::index::WrittenSig>>,
    /// Which parameters (without the receiver) are references, where known.
    pub(super) params: Option<RefParams>,
    /// What the result holds of the inputs by generic substitution (`Option<&T>::unwrap`).
    pub(super) flows: Flows,
}

/// The inputs whose values a result holds because its type is made of their type parameters:
/// `Option<T>::unwrap(self) -> T` gives out what the receiver holds, `unwrap_or(self, default:
/// T)` what either holds, `Iterator::next(&mut self) -> Option<Self::Item>` what the iterator
/// holds. Bit 0 is the receiver's place (not its autoref), bit `i + 1` argument `i`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Flows(u64);

impl Flows {
    /// The receiver alone when `holds`, else nothing.
    fn receiver_if(holds: bool) -> Flows {
        Flows(u64::from(holds))
    }

    pub(super) fn inputs(self) -> impl Iterator<Item = usize> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            let i = bits.trailing_zeros() as usize;
            bits &= bits.wrapping_sub(1);
            (i < 64).then_some(i)
        })
    }
}

/// Which of a callee's parameters are references, and of which mutability, for the reborrow of
/// a `&mut` argument (`Lower::reborrowed_arg`): a copyable mask, made without allocating on
/// every call resolved. `None` past 64 parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct RefParams {
    len: usize,
    shared: u64,
    mutable: u64,
}

impl RefParams {
    pub(super) fn of(params: impl ExactSizeIterator<Item = Option<Mutability>>) -> Option<Self> {
        let len = params.len();
        if len > 64 {
            return None;
        }
        let (mut shared, mut mutable) = (0, 0);
        for (i, m) in params.enumerate() {
            match m {
                Some(Mutability::Not) => shared |= 1 << i,
                Some(Mutability::Mut) => mutable |= 1 << i,
                None => {}
            }
        }
        Some(RefParams {
            len,
            shared,
            mutable,
        })
    }

    /// The parameters of a signature.
    pub(super) fn of_types(params: &[Ty]) -> Option<Self> {
        RefParams::of(params.iter().map(|t| match t {
            Ty::Ref(m, _) => Some(*m),
            _ => None,
        }))
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Parameter `i` is `&T` (`Not`) or `&mut T` (`Mut`).
    pub(super) fn get(&self, i: usize) -> Option<Mutability> {
        let bit = 1u64.checked_shl(i as u32)?;
        if self.mutable & bit != 0 {
            Some(Mutability::Mut)
        } else if self.shared & bit != 0 {
            Some(Mutability::Not)
        } else {
            None
        }
    }
}

impl Resolved {
    /// A method of the crate, from its signature.
    fn from_sig(sig: &FnSig, derefs: usize, overloaded: bool) -> Resolved {
        Resolved {
            receiver: sig.receiver,
            derefs,
            overloaded,
            ret: sig.ret.clone(),
            ret_borrows: sig.ret_borrows.contains(&0) && sig.ret_holds_borrow,
            stores: sig.stores.clone(),
            written: sig.written.clone(),
            params: RefParams::of_types(&sig.params),
            flows: Flows::default(),
        }
    }
}

impl Lower<'_> {
    /// A method of a type parameter: the one crate trait among its bounds that has it (a bound
    /// we cannot read may have it too: then unknown).
    fn param_method(
        &self,
        name: &str,
        method: &str,
        derefs: usize,
        overloaded: bool,
    ) -> Option<Resolved> {
        let bounds = self
            .param_bounds
            .iter()
            .filter(|(n, _)| &**n == name)
            .flat_map(|(_, b)| b);
        let mut found = None;
        let mut from_std = None;
        for b in bounds {
            let b = b.split('<').next().unwrap_or("").trim();
            if matches!(b, "Sized" | "?Sized" | "Copy" | "Clone" | "Send" | "Sync")
                || b.starts_with('\'')
            {
                continue;
            }
            if !crate::items::is_id(b) {
                // A std trait whose method std's table lists (`I: Iterator`, `it.next()`): a
                // parameter has no inherent method, and two bounds with the method would be
                // ambiguous (E0034), so it is that one. A bound not resolved may have it.
                let last = b.rsplit("::").next().unwrap_or(b);
                match std_api::lookup(last, method) {
                    Some(_) if from_std.is_some() => return None,
                    Some(m) => from_std = Some(m),
                    None if !std_api_known(last) => return None,
                    None => {}
                }
                continue;
            }
            match self.method_of(b, method) {
                Some(sig) if found.is_none() => found = Some(sig),
                Some(_) => return None,
                None => {}
            }
        }
        if let Some(m) = from_std {
            if found.is_some() || m.is_unsafe {
                return None;
            }
            let receiver = match m.receiver {
                std_api::Receiver::None | std_api::Receiver::Value => return None,
                std_api::Receiver::Ref => Receiver::Ref,
                std_api::Receiver::RefMut => Receiver::RefMut,
            };
            return Some(Resolved {
                receiver,
                derefs,
                overloaded,
                ret: Ty::Unknown,
                ret_borrows: m.ret_borrow != std_api::RetBorrow::None,
                stores: Vec::new(),
                written: None,
                params: std_params(m),
                flows: Flows::default(),
            });
        }
        // A by-value method reached through a reference: the reference may implement
        // the trait itself (`impl<T: Buf> Buf for &mut T`), and rustc's probe tries
        // it first.
        if found.is_some_and(|sig| sig.receiver == Receiver::Value) && derefs > 0 {
            return None;
        }
        found.map(|sig| Resolved::from_sig(sig, derefs, overloaded))
    }
    /// The crate's method `method` of the type or trait `owner`. An associated function without
    /// `self` is no method: `x.get()` on a `Lazy` whose `get(this: &Lazy)` is one goes on to its
    /// `Deref` target's.
    fn method_of(&self, owner: &str, method: &str) -> Option<&FnSig> {
        self.index
            .method(owner, method)
            .filter(|s| s.receiver != Receiver::None)
    }

    /// Finds a method through the autoderef steps of the receiver type.
    pub(super) fn resolve_method(&self, recv: &Ty, method: &str) -> Option<Resolved> {
        let mut ty = recv.clone();
        let mut derefs = 0;
        let mut overloaded = false;
        // Past a pointer that derefs only shared (`Rc`, `Ref`).
        let mut shared_only = false;
        for _ in 0..4 {
            match &ty {
                // `&mut I` is an iterator itself (std's `impl Iterator for &mut I`): a by-value
                // `Iterator` method (`by_ref().zip(..)`) takes the reference, not `*it`.
                Ty::Ref(Mutability::Mut, inner)
                    if inner
                        .adt_name()
                        .is_some_and(|n| crate::ty::STD_ITERATORS.contains(&n))
                        && !self.index.defines_method_named(method, "*") =>
                {
                    if let Some(r) = by_value_iterator_method(inner, method, derefs, overloaded) {
                        return Some(r);
                    }
                    ty = (**inner).clone();
                    derefs += 1;
                    continue;
                }
                Ty::Ref(_, inner) => {
                    ty = (**inner).clone();
                    derefs += 1;
                    continue;
                }
                Ty::Dyn(tr) => {
                    // A method of a crate trait through `dyn Trait`.
                    let sig = self.method_of(tr, method)?;
                    return Some(Resolved::from_sig(sig, derefs, overloaded));
                }
                // A type parameter: the method of the one crate trait among its bounds that
                // has it (a bound we cannot read may have it too: then unknown).
                Ty::Param { name, .. } => {
                    return self.param_method(name, method, derefs, overloaded);
                }
                Ty::Unknown | Ty::Opaque => return None,
                _ => {}
            }
            // A user type: the crate's own methods.
            if let Ty::Adt { name, .. } = &ty {
                if self.index.adt(name).is_some() {
                    if let Some(sig) = self.method_of(name, method) {
                        // With an `impl Tr for &T` of the method too, `T`'s own is found first
                        // only by value on a `T` receiver (`m.into_iter()` on a `Map` by value);
                        // through a reference or by autoref, the other may be.
                        if self.index.ref_impl_defines(name, method)
                            && !(derefs == 0 && sig.receiver == Receiver::Value)
                        {
                            return None;
                        }
                        return Some(Resolved::from_sig(sig, derefs, overloaded));
                    }
                    if let Some(target) = self.index.deref_target(&ty) {
                        // Through the crate's own `Deref`: one overloaded step, a borrow of the
                        // value before it.
                        if overloaded || self.index.adt(name).is_some_and(|a| a.opaque) {
                            return None;
                        }
                        overloaded = true;
                        ty = target;
                        continue;
                    }
                    if method == "clone" && ty.is_copy(self.index).is_some() {
                        // Derived `Clone`.
                        return Some(Resolved {
                            receiver: Receiver::Ref,
                            derefs,
                            overloaded,
                            ret: ty.clone(),
                            ret_borrows: false,
                            stores: Vec::new(),
                            written: None,
                            params: None,
                            flows: Flows::default(),
                        });
                    }
                    return None;
                }
            }
            if ty.adt_name().is_some_and(|n| self.index.is_shadowed(n)) {
                return None;
            }
            // A std iterator: `Iterator`'s methods, and `Peekable`'s own.
            let iterator = ty
                .adt_name()
                .filter(|n| crate::ty::STD_ITERATORS.contains(n));
            // A std guard or pointer: no methods of its own here, its target's through it.
            let guard = ty.adt_name().filter(|n| STD_DEREF_GUARDS.contains(n));
            let owner = match (std_owner(&ty), iterator) {
                (Some(o), _) => Some(o),
                (None, Some(_)) => Some("Iterator"),
                (None, None) if guard.is_some() => None,
                (None, None) => return None,
            };
            if let Some(owner) = owner {
                if self.index.defines_method_named(method, owner)
                    || iterator.is_some_and(|n| self.index.defines_method_named(method, n))
                {
                    // A trait of the crate may add this method to this std type.
                    return None;
                }
                // `IntoIterator::into_iter(self)` on an owned std collection moves it. Only without
                // autoderef: on `&Vec` the by-value method is the reference's own impl.
                let into_iter = (method == "into_iter"
                    && derefs == 0
                    && !overloaded
                    && matches!(
                        owner,
                        "Vec"
                            | "VecDeque"
                            | "HashMap"
                            | "HashSet"
                            | "BTreeMap"
                            | "BTreeSet"
                            | "Option"
                            | "Result"
                    ))
                .then(|| std_api::lookup("IntoIterator", "into_iter"))
                .flatten();
                if method == "to_owned" && owner == "str" && probes_str_first(recv) {
                    return Some(Resolved {
                        receiver: Receiver::Ref,
                        derefs,
                        overloaded,
                        ret: Ty::adt("String", vec![]),
                        ret_borrows: false,
                        stores: Vec::new(),
                        written: None,
                        params: None,
                        flows: Flows::default(),
                    });
                }
                let found = into_iter.or_else(|| std_method(owner, iterator, method));
                if let Some(m) = found {
                    if m.is_unsafe {
                        return None;
                    }
                    let receiver = match m.receiver {
                        std_api::Receiver::None => return None,
                        std_api::Receiver::Value => Receiver::Value,
                        std_api::Receiver::Ref => Receiver::Ref,
                        std_api::Receiver::RefMut => Receiver::RefMut,
                    };
                    if shared_only && receiver == Receiver::RefMut {
                        return None;
                    }
                    let ret = specialized_ret(m, &ty).unwrap_or_else(|| parse_ret(m.ret, &ty));
                    let flows = self.substituted_flows(m, &ty, &ret);
                    let container = matches!(
                        ty.adt_name(),
                        Some(
                            "Vec"
                                | "VecDeque"
                                | "HashMap"
                                | "HashSet"
                                | "BTreeMap"
                                | "BTreeSet"
                                | "BinaryHeap"
                        )
                    );
                    // `Cell::set`, `RefCell::replace`: a shared receiver stores its argument.
                    let interior = matches!(ty.adt_name(), Some("Cell" | "RefCell"))
                        && receiver == Receiver::Ref;
                    let stores = if (container && receiver == Receiver::RefMut) || interior {
                        m.params
                            .iter()
                            .enumerate()
                            .filter(|(_, p)| matches!(**p, "T" | "K" | "V"))
                            .map(|(i, _)| i)
                            .collect()
                    } else {
                        Vec::new()
                    };
                    return Some(Resolved {
                        receiver,
                        derefs,
                        overloaded,
                        ret,
                        ret_borrows: m.ret_borrow != std_api::RetBorrow::None,
                        stores,
                        written: None,
                        params: std_params(m),
                        flows,
                    });
                }
            }
            // Overloaded deref to the std target.
            let next = match &ty {
                Ty::Adt { name, args, .. } => match &**name {
                    "Vec" => Ty::Slice(Box::new(args.first().cloned().unwrap_or(Ty::Unknown))),
                    "String" => Ty::Str,
                    "Box" => {
                        ty = args.first().cloned().unwrap_or(Ty::Unknown);
                        derefs += 1;
                        continue;
                    }
                    // `DerefMut` guards: the target, mutably too.
                    "MutexGuard" | "RefMut" | "RwLockWriteGuard" => {
                        args.first().cloned().unwrap_or(Ty::Unknown)
                    }
                    // Shared-only pointers: a `&mut self` method through them is an error
                    // (E0596) this does not report; leave it unknown.
                    "Rc" | "Arc" | "Ref" | "RwLockReadGuard" => {
                        shared_only = true;
                        args.first().cloned().unwrap_or(Ty::Unknown)
                    }
                    _ => return None,
                },
                Ty::Array(t, _) => {
                    // Unsizing to a slice is a built-in coercion of the autoref.
                    let t = Ty::Slice(t.clone());
                    ty = t;
                    continue;
                }
                _ => return None,
            };
            if overloaded {
                return None;
            }
            overloaded = true;
            ty = next;
        }
        None
    }
}

impl Lower<'_> {
    /// What the result of std's method `m` on `owner` holds of its inputs by generic
    /// substitution ([`Flows`]), as rustc relates the regions of an instantiated signature:
    /// - on `Option<T>` and `Result<T, E>`, a method whose result is made of `T` or `E`
    ///   (`unwrap`, `expect`, `unwrap_or`, `ok_or`, `take`) holds what the receiver holds, and
    ///   what each argument whose type is made of them holds (`unwrap_or`'s default). One region
    ///   per local cannot tell `T`'s regions from `E`'s: a parameter the result leaves out must
    ///   hold no borrow (`Result<&T, io::Error>`), or nothing is said;
    /// - an iterator's method whose result is made of `Self::Item` (`next`, `last`, `find`)
    ///   holds what the iterator holds, where its items are known to be references (`Iter`,
    ///   `Lines`, and the adapters that pass them on).
    ///
    /// Methods of impls on a narrower self type (`Option<&T>::cloned`, `Option<Option<T>>::
    /// flatten`), whose `T` is not the owner's, and closures' results say nothing.
    fn substituted_flows(&self, m: &std_api::Method, owner: &Ty, ret: &Ty) -> Flows {
        if m.ret_borrow != std_api::RetBorrow::None
            || m.receiver == std_api::Receiver::None
            || ret.holds_borrow() == Some(false)
        {
            return Flows::default();
        }
        let words = |text: &'static str| {
            text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .filter(|w| !w.is_empty())
        };
        // `collect()` gathers the items: a collection of references keeps what they borrow,
        // where the items are known to be references (no closure's result among them).
        if m.owner == "Iterator" && m.name == "collect" {
            return Flows::receiver_if(owner.iterator_item().holds_borrow() == Some(true));
        }
        if m.ret.contains("Self::Item") {
            let from_iterator = m.owner == "Iterator" || m.owner == "Peekable";
            return Flows::receiver_if(from_iterator && ret.holds_borrow() == Some(true));
        }
        if matches!(m.owner, "HashMapEntry" | "BTreeMapEntry") {
            // A map's entry holds the map's mutable borrow: what it gives out (`or_insert`'s
            // `&'a mut V`, `and_modify`'s entry) keeps it.
            return Flows::receiver_if(
                m.receiver == std_api::Receiver::Value && ret.holds_borrow() == Some(true),
            );
        }
        let (params, args): (&[&str], &[Ty]) = match (m.owner, owner) {
            ("Option", Ty::Adt { args, .. }) if args.len() == 1 => (&["T"], args),
            ("Result", Ty::Adt { args, .. }) if args.len() == 2 => (&["T", "E"], args),
            _ => return Flows::default(),
        };
        if narrower_impl(m) {
            return Flows::default();
        }
        let in_ret: Vec<bool> = params
            .iter()
            .map(|p| words(m.ret).any(|w| w == *p))
            .collect();
        if !in_ret.contains(&true) {
            return Flows::default();
        }
        for (arg, &kept) in args.iter().zip(&in_ret) {
            if !kept && arg.may_hold_borrow(self.index) != Some(false) {
                return Flows::default();
            }
        }
        let mut flows = 1u64;
        for (i, p) in m.params.iter().enumerate().take(63) {
            let closure = p.contains("Fn") || words(p).any(|w| matches!(w, "F" | "P" | "O" | "D"));
            let made_of_kept = params
                .iter()
                .zip(&in_ret)
                .any(|(q, &kept)| kept && words(p).any(|w| w == *q));
            if made_of_kept && !closure {
                flows |= 1 << (i + 1);
            }
        }
        Flows(flows)
    }
}

/// A row of std's table from an impl on a narrower self type than the owner's (`impl<T>
/// Option<&T>`, `impl<T> Option<Option<T>>`): its `T` is not the owner's parameter.
fn narrower_impl(m: &std_api::Method) -> bool {
    matches!(
        (m.owner, m.name),
        (
            "Option" | "Result",
            "cloned" | "copied" | "flatten" | "transpose" | "as_deref" | "as_deref_mut"
        ) | ("Option", "unzip" | "as_pin_ref" | "as_pin_mut")
    )
}

/// The result of a row of a narrower impl ([`narrower_impl`]) on `owner`: `cloned` and
/// `copied` give the referents; the others are unknown here.
fn specialized_ret(m: &std_api::Method, owner: &Ty) -> Option<Ty> {
    if !narrower_impl(m) {
        return None;
    }
    let Ty::Adt { name, args, .. } = owner else {
        return Some(Ty::Unknown);
    };
    Some(match (m.name, args.first()) {
        ("cloned" | "copied", Some(Ty::Ref(_, inner))) => {
            let mut args = args.clone();
            args[0] = (**inner).clone();
            Ty::adt(name, args)
        }
        _ => Ty::Unknown,
    })
}

/// std's method `method` of `owner` (a std type's table name): its own, an `Entry`'s, an
/// iterator's (`Peekable`'s own first), or one of the std traits every such type has.
fn std_method(
    owner: &str,
    iterator: Option<&str>,
    method: &str,
) -> Option<&'static std_api::Method> {
    std_api::lookup(owner, method)
        .or_else(|| match owner {
            // A map's `Entry` (`hash_map::Entry` and `btree_map::Entry` have the same methods).
            "Entry" => std_api::lookup("HashMapEntry", method),
            _ => None,
        })
        .or_else(|| match iterator {
            Some("Peekable") => STD_PEEKABLE
                .iter()
                .find(|m| m.name == method)
                .or_else(|| std_api::lookup("Iterator", method)),
            Some(_) => std_api::lookup("Iterator", method),
            None => None,
        })
        .or_else(|| {
            [
                "Clone",
                "ToString",
                "ToOwned",
                "PartialEq",
                "PartialOrd",
                "Ord",
                "AsRef",
            ]
            .iter()
            .find_map(|t| std_api::lookup(t, method))
            .filter(|m| m.owner != "ToOwned" || owner != "str" || m.name != "to_owned")
        })
}

/// The std table's owner name for a type.
fn std_owner(t: &Ty) -> Option<&'static str> {
    Some(match t {
        Ty::Str => "str",
        Ty::Slice(_) => "slice",
        Ty::Array(..) => "array",
        Ty::Prim(p) => match &**p {
            "i8" => "i8",
            "i16" => "i16",
            "i32" => "i32",
            "i64" => "i64",
            "i128" => "i128",
            "isize" => "isize",
            "u8" => "u8",
            "u16" => "u16",
            "u32" => "u32",
            "u64" => "u64",
            "u128" => "u128",
            "usize" => "usize",
            "f32" => "f32",
            "f64" => "f64",
            "bool" => "bool",
            "char" => "char",
            _ => return None,
        },
        Ty::Adt { name, .. } => match &**name {
            "Vec" => "Vec",
            "String" => "String",
            "HashMap" => "HashMap",
            "HashSet" => "HashSet",
            "BTreeMap" => "BTreeMap",
            "BTreeSet" => "BTreeSet",
            "VecDeque" => "VecDeque",
            "Option" => "Option",
            "Result" => "Result",
            "Box" => "Box",
            "Rc" => "Rc",
            "Arc" => "Arc",
            "RefCell" => "RefCell",
            "Cell" => "Cell",
            "Mutex" => "Mutex",
            "Entry" => "Entry",
            // Any other std type the table lists methods of (`BinaryHeap`, `PathBuf`).
            other => return std_api::owner(other),
        },
        _ => return None,
    })
}

/// The type a std method returns, from the table's text, with the owner's parameters
/// substituted where we can.
fn parse_ret(text: &str, owner: &Ty) -> Ty {
    let t = text.trim();
    if t.is_empty() {
        return Ty::unit();
    }
    if t == "Self" {
        return owner.clone();
    }
    if let Some(rest) = t.strip_prefix("&mut ") {
        return Ty::Ref(
            Mutability::Mut,
            Box::new(parse_ret(strip_lifetime(rest), owner)),
        );
    }
    if let Some(rest) = t.strip_prefix('&') {
        let rest = strip_lifetime(rest);
        if let Some(r) = rest.strip_prefix("mut ") {
            return Ty::Ref(Mutability::Mut, Box::new(parse_ret(r, owner)));
        }
        return Ty::Ref(Mutability::Not, Box::new(parse_ret(rest, owner)));
    }
    if t == "str" {
        return Ty::Str;
    }
    if t == "Self::Item" {
        return owner.iterator_item();
    }
    if t == "V" {
        // A map's value type (`HashMap<K, V>`, its `Entry<'_, K, V>`).
        return match owner {
            Ty::Adt { name, args, .. } if matches!(&**name, "HashMap" | "BTreeMap" | "Entry") => {
                args.get(1).cloned().unwrap_or(Ty::Unknown)
            }
            _ => Ty::Unknown,
        };
    }
    if let Some(rest) = t.strip_prefix("Entry<'_, K, V") {
        if matches!(rest, ">" | ", A>") {
            if let Ty::Adt { name, args, .. } = owner {
                if matches!(&**name, "HashMap" | "BTreeMap") && args.len() >= 2 {
                    return Ty::Adt {
                        name: "Entry".into(),
                        args: args[..2].to_vec(),
                        lifetimes: 1,
                    };
                }
            }
        }
    }
    if matches!(t, "T" | "K") {
        return match owner {
            Ty::Adt { args, .. } => args.first().cloned().unwrap_or(Ty::Unknown),
            Ty::Slice(e) | Ty::Array(e, _) => (**e).clone(),
            _ => Ty::Unknown,
        };
    }
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        if !inner.contains(';') {
            return Ty::Slice(Box::new(parse_ret(inner, owner)));
        }
    }
    if crate::ast::PRIMS.contains(&t) {
        return Ty::prim(t);
    }
    if t == "String" {
        return Ty::adt("String", vec![]);
    }
    if let Some(inner) = t.strip_prefix("Option<").and_then(|r| r.strip_suffix('>')) {
        return Ty::adt("Option", vec![parse_ret(inner, owner)]);
    }
    if let Some(inner) = t.strip_prefix("Vec<").and_then(|r| r.strip_suffix('>')) {
        if !inner.contains(',') {
            return Ty::adt("Vec", vec![parse_ret(inner, owner)]);
        }
    }
    // `lock()`'s and `read()`'s results: `Result`s.
    for prefix in ["LockResult<", "TryLockResult<"] {
        if let Some(inner) = t.strip_prefix(prefix).and_then(|r| r.strip_suffix('>')) {
            return Ty::adt("Result", vec![parse_ret(inner, owner), Ty::Unknown]);
        }
    }
    // Guards of the owner's value (`RefCell<T>::borrow_mut` is a `RefMut<'_, T>`).
    for guard in STD_DEREF_GUARDS {
        let inner = t
            .strip_prefix(guard)
            .and_then(|r| r.strip_prefix("<'_, "))
            .and_then(|r| r.strip_suffix('>'));
        if let Some(inner) = inner {
            return Ty::Adt {
                name: (*guard).into(),
                args: vec![parse_ret(inner, owner)],
                lifetimes: 1,
            };
        }
    }
    // std's iterators: what they hold is what they were made from (unknown here).
    if let Some(lt) = t.find('<') {
        let name = &t[..lt];
        if crate::ty::STD_ITERATORS.contains(&name) {
            // An adapter made from the receiver (`Peekable<Self>`) keeps it.
            let base = if t[lt + 1..].starts_with("Self") && !t[lt + 1..].starts_with("Self::") {
                owner.clone()
            } else if matches!(name, "Iter" | "IterMut") && &t[lt + 1..] == "'_, T>" {
                // A collection's iterator by reference (`slice::Iter<'_, T>`): its items are
                // `&T` (`&mut T`), as a `for` loop over it says.
                parse_ret("T", owner)
            } else {
                Ty::Unknown
            };
            return Ty::Adt {
                name: name.into(),
                args: vec![base],
                lifetimes: u8::from(t.contains('\'')),
            };
        }
    }
    // Iterator and guard types: known to hold a borrow when they name a lifetime.
    if let Some(lt) = t.find('<') {
        let name = &t[..lt];
        if name.chars().all(|c| c.is_alphanumeric() || c == '_') && t.contains('\'') {
            return Ty::Adt {
                name: name.into(),
                args: vec![Ty::Unknown],
                lifetimes: 1,
            };
        }
    }
    Ty::Unknown
}

fn strip_lifetime(s: &str) -> &str {
    let s = s.trim_start();
    if let Some(rest) = s.strip_prefix('\'') {
        let end = rest.find(' ').unwrap_or(rest.len());
        return rest[end..].trim_start();
    }
    s
}

/// std types whose methods are reached through their `Deref` target in this analysis (their
/// own, `Arc::clone` and the like, are the table's when it lists them).
pub(super) const STD_DEREF_GUARDS: &[&str] = &[
    "MutexGuard",
    "RefMut",
    "RwLockWriteGuard",
    "Ref",
    "RwLockReadGuard",
];

/// `Peekable`'s own methods (std's table has none of them): each takes `&mut self`, and what
/// `peek`/`peek_mut` return keeps it borrowed.
const STD_PEEKABLE: &[std_api::Method] = &[
    std_api::Method {
        owner: "Peekable",
        name: "peek",
        receiver: std_api::Receiver::RefMut,
        ret_borrow: std_api::RetBorrow::Mut,
        ret: "Option<&Self::Item>",
        params: &[],
        is_unsafe: false,
    },
    std_api::Method {
        owner: "Peekable",
        name: "peek_mut",
        receiver: std_api::Receiver::RefMut,
        ret_borrow: std_api::RetBorrow::Mut,
        ret: "Option<&mut Self::Item>",
        params: &[],
        is_unsafe: false,
    },
    std_api::Method {
        owner: "Peekable",
        name: "next_if",
        receiver: std_api::Receiver::RefMut,
        ret_borrow: std_api::RetBorrow::None,
        ret: "Option<Self::Item>",
        params: &["impl FnOnce(&Self::Item) -> bool"],
        is_unsafe: false,
    },
    std_api::Method {
        owner: "Peekable",
        name: "next_if_eq",
        receiver: std_api::Receiver::RefMut,
        ret_borrow: std_api::RetBorrow::None,
        ret: "Option<Self::Item>",
        params: &["&T"],
        is_unsafe: false,
    },
];

/// Whether std's table lists the trait or type `name` (a bound it does not list may have any
/// method).
/// A by-value `Iterator` method (`zip`, `map`) called on a `&mut I` of a std iterator: it takes
/// the reference itself (std's `impl Iterator for &mut I`), and what it makes holds it.
fn by_value_iterator_method(
    inner: &Ty,
    method: &str,
    derefs: usize,
    overloaded: bool,
) -> Option<Resolved> {
    let m =
        std_api::lookup("Iterator", method).filter(|m| m.receiver == std_api::Receiver::Value)?;
    Some(Resolved {
        receiver: Receiver::Value,
        derefs,
        overloaded,
        ret: parse_ret(m.ret, inner),
        ret_borrows: true,
        stores: Vec::new(),
        written: None,
        params: None,
        flows: Flows::default(),
    })
}

/// A std method's parameters as far as a call's arguments need them: `&mut ..` written in std's
/// table is a mutable reference (an argument there is reborrowed); any other is unknown here
/// (a `T` may be given a `&mut`, which is then moved).
fn std_params(m: &std_api::Method) -> Option<RefParams> {
    RefParams::of(
        m.params
            .iter()
            .map(|p| p.starts_with("&mut ").then_some(Mutability::Mut)),
    )
}

fn std_api_known(name: &str) -> bool {
    std_api::owner(name).is_some()
}

/// Whether rustc's method probe on `recv` meets `str`'s own impls (`ToOwned`, whose `Owned` is a
/// `String`) before any other: on `str`, `&str` or `String`, not on `&&str` (whose `Clone` is
/// met first and gives a `&str`).
fn probes_str_first(recv: &Ty) -> bool {
    matches!(recv, Ty::Str)
        || matches!(recv, Ty::Ref(_, inner) if **inner == Ty::Str)
        || recv.adt_name() == Some("String")
}
