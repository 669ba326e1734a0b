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
        }
    }
}

impl Lower<'_> {
    /// Finds a method through the autoderef steps of the receiver type.
    pub(super) fn resolve_method(&self, recv: &Ty, method: &str) -> Option<Resolved> {
        let mut ty = recv.clone();
        let mut derefs = 0;
        let mut overloaded = false;
        for _ in 0..4 {
            match &ty {
                Ty::Ref(_, inner) => {
                    ty = (**inner).clone();
                    derefs += 1;
                    continue;
                }
                Ty::Dyn(tr) => {
                    // A method of a crate trait through `dyn Trait`.
                    let sig = self.index.method(tr, method)?;
                    return Some(Resolved::from_sig(sig, derefs, overloaded));
                }
                Ty::Unknown | Ty::Opaque | Ty::Param { .. } => return None,
                _ => {}
            }
            // A user type: the crate's own methods.
            if let Ty::Adt { name, .. } = &ty {
                if self.index.adt(name).is_some() {
                    if let Some(sig) = self.index.method(name, method) {
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
                        });
                    }
                    return None;
                }
            }
            if ty.adt_name().is_some_and(|n| self.index.is_shadowed(n)) {
                return None;
            }
            let owner = std_owner(&ty)?;
            if self.index.defines_method_named(method, owner) {
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
            let found = into_iter
                .or_else(|| std_api::lookup(owner, method))
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
                });
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
                let ret = parse_ret(m.ret, &ty);
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
                let stores = if container && receiver == Receiver::RefMut {
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
                });
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
            _ => return None,
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
