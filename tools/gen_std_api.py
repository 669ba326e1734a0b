#!/usr/bin/env python3
"""Generate analysis/src/std_api.rs from the rust-docs HTML of the installed toolchain.

borrowlens works from source text alone, so it cannot ask rustc what `v.push(x)` or
`s.chars()` borrows. This script reads the standard library's rustdoc pages (shipped with
the `rust-docs` component under `$(rustc --print sysroot)/share/doc/rust/html/`) and writes
one row per inherent method of a fixed set of std types and per method of a fixed set of
std traits: receiver kind, whether the result keeps the receiver borrowed, return and
parameter type text, and unsafety. It also records which types deref to which.

Usage:  python3 tools/gen_std_api.py [--docs DIR] [--out FILE] [--check]

Python 3.11, standard library only. The output is committed; builds never need the docs.
Nightly-only (unstable) methods are skipped: stable code cannot call them, and keeping them
would only add rows whose names can shadow the ones that matter.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO, "analysis", "src", "std_api.rs")

# ---------------------------------------------------------------------------------------------
# What to extract.
#
# (owner, page under std/, shape). shape says which inherent impl blocks on the page belong
# to the owner: a type name (`Vec` matches `impl<T> Vec<T>` but not `impl<T> Box<[T]>`, which
# the slice page also shows), or the special shapes "[]" (a slice `[X]`) and "[;]" (an array
# `[X; N]`). Traits use shape None: their required and provided methods are taken.
# ---------------------------------------------------------------------------------------------

INTS = ["i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize"]
FLOATS = ["f32", "f64"]

TYPES: list[tuple[str, str, str]] = [
    ("Vec", "vec/struct.Vec.html", "Vec"),
    ("String", "string/struct.String.html", "String"),
    ("str", "primitive.str.html", "str"),
    ("slice", "primitive.slice.html", "[]"),
    ("array", "primitive.array.html", "[;]"),
    ("HashMap", "collections/hash_map/struct.HashMap.html", "HashMap"),
    ("HashSet", "collections/hash_set/struct.HashSet.html", "HashSet"),
    ("BTreeMap", "collections/btree_map/struct.BTreeMap.html", "BTreeMap"),
    ("BTreeSet", "collections/btree_set/struct.BTreeSet.html", "BTreeSet"),
    ("VecDeque", "collections/vec_deque/struct.VecDeque.html", "VecDeque"),
    ("BinaryHeap", "collections/binary_heap/struct.BinaryHeap.html", "BinaryHeap"),
    ("Option", "option/enum.Option.html", "Option"),
    ("Result", "result/enum.Result.html", "Result"),
    ("Box", "boxed/struct.Box.html", "Box"),
    ("Rc", "rc/struct.Rc.html", "Rc"),
    ("Arc", "sync/struct.Arc.html", "Arc"),
    ("Cell", "cell/struct.Cell.html", "Cell"),
    ("RefCell", "cell/struct.RefCell.html", "RefCell"),
    ("Mutex", "sync/struct.Mutex.html", "Mutex"),
    ("RwLock", "sync/struct.RwLock.html", "RwLock"),
    ("PathBuf", "path/struct.PathBuf.html", "PathBuf"),
    ("Path", "path/struct.Path.html", "Path"),
    ("OsString", "ffi/struct.OsString.html", "OsString"),
    # Not in the brief's list, but OsString derefs to it, so DEREFS would point nowhere.
    ("OsStr", "ffi/struct.OsStr.html", "OsStr"),
    # Every `Display`/`Debug` impl writes through one (`f.write_str(..)`, `f.debug_struct(..)`).
    ("Formatter", "fmt/struct.Formatter.html", "Formatter"),
    ("char", "primitive.char.html", "char"),
    ("bool", "primitive.bool.html", "bool"),
    *[(t, f"primitive.{t}.html", t) for t in INTS + FLOATS],
    ("HashMapEntry", "collections/hash_map/enum.Entry.html", "Entry"),
    ("HashMapOccupiedEntry", "collections/hash_map/struct.OccupiedEntry.html", "OccupiedEntry"),
    ("HashMapVacantEntry", "collections/hash_map/struct.VacantEntry.html", "VacantEntry"),
    ("BTreeMapEntry", "collections/btree_map/enum.Entry.html", "Entry"),
    ("BTreeMapOccupiedEntry", "collections/btree_map/struct.OccupiedEntry.html", "OccupiedEntry"),
    ("BTreeMapVacantEntry", "collections/btree_map/struct.VacantEntry.html", "VacantEntry"),
]

TRAITS: list[tuple[str, str]] = [
    ("Iterator", "iter/trait.Iterator.html"),
    ("DoubleEndedIterator", "iter/trait.DoubleEndedIterator.html"),
    ("ExactSizeIterator", "iter/trait.ExactSizeIterator.html"),
    ("IntoIterator", "iter/trait.IntoIterator.html"),
    ("Clone", "clone/trait.Clone.html"),
    ("ToString", "string/trait.ToString.html"),
    ("ToOwned", "borrow/trait.ToOwned.html"),
    ("PartialEq", "cmp/trait.PartialEq.html"),
    ("PartialOrd", "cmp/trait.PartialOrd.html"),
    ("Ord", "cmp/trait.Ord.html"),
    ("Hash", "hash/trait.Hash.html"),
    ("Default", "default/trait.Default.html"),
    ("From", "convert/trait.From.html"),
    ("Into", "convert/trait.Into.html"),
    ("AsRef", "convert/trait.AsRef.html"),
    ("AsMut", "convert/trait.AsMut.html"),
    ("Borrow", "borrow/trait.Borrow.html"),
    ("BorrowMut", "borrow/trait.BorrowMut.html"),
    ("Deref", "ops/trait.Deref.html"),
    ("DerefMut", "ops/trait.DerefMut.html"),
    ("Drop", "ops/trait.Drop.html"),
    ("Display", "fmt/trait.Display.html"),
    ("Debug", "fmt/trait.Debug.html"),
    ("Read", "io/trait.Read.html"),
    ("Write", "io/trait.Write.html"),
    ("fmt::Write", "fmt/trait.Write.html"),
]

# Pages read only for their `impl Deref for X` block (the smart pointers and guards whose own
# methods the brief does not ask for). Types in TYPES are scanned for Deref impls as well.
DEREF_ONLY: list[tuple[str, str, str]] = [
    ("Ref", "cell/struct.Ref.html", "Ref"),
    ("RefMut", "cell/struct.RefMut.html", "RefMut"),
    ("MutexGuard", "sync/struct.MutexGuard.html", "MutexGuard"),
    ("RwLockReadGuard", "sync/struct.RwLockReadGuard.html", "RwLockReadGuard"),
    ("RwLockWriteGuard", "sync/struct.RwLockWriteGuard.html", "RwLockWriteGuard"),
    ("Cow", "borrow/enum.Cow.html", "Cow"),
    ("LazyCell", "cell/struct.LazyCell.html", "LazyCell"),
    ("LazyLock", "sync/struct.LazyLock.html", "LazyLock"),
]

# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------

TOOLTIP_RE = re.compile(r'<a href="#" class="tooltip"[^>]*>.*?</a>', re.S)
WHERE_RE = re.compile(r'<div class="where">.*?</div>', re.S)
TAG_RE = re.compile(r"<[^>]*>")


def to_text(fragment: str) -> str:
    """Markup of a code header -> plain Rust text, where clause and tooltips removed."""
    fragment = TOOLTIP_RE.sub("", fragment)
    fragment = WHERE_RE.sub("", fragment)
    text = html.unescape(TAG_RE.sub("", fragment))
    return re.sub(r"\s+", " ", text).strip()


def norm_type(t: str) -> str:
    """Whitespace-normalize a type: one space where Rust style has one, none inside brackets.

    Multi-line signatures leave `(\\n    &mut self,\\n)`-style breaks and trailing commas."""
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"([<(\[]) ", r"\1", t)
    t = re.sub(r" ([>)\],])", r"\1", t)
    t = re.sub(r",([>\]])", r"\1", t)  # trailing comma of a broken generic list
    t = re.sub(r",(?=\S)(?!\))", ", ", t)
    return t


def split_top(s: str, sep: str = ",") -> list[str]:
    """Split at `sep` outside (), [], <> (`->` is not a closing angle bracket)."""
    out, depth, cur = [], 0, []
    i = 0
    while i < len(s):
        c = s[i]
        if c in "([<":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == ">" and not (i > 0 and s[i - 1] == "-"):
            depth -= 1
        if c == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return [p.strip() for p in out if p.strip()]


def skip_balanced(s: str, i: int, open_c: str, close_c: str) -> int:
    """s[i] == open_c; return the index just past its matching close_c."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c == open_c:
            depth += 1
        elif c == close_c and not (close_c == ">" and s[i - 1] == "-"):
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced {open_c}{close_c} in {s!r}")


# ---------------------------------------------------------------------------------------------
# Signatures
# ---------------------------------------------------------------------------------------------


@dataclass
class Sig:
    name: str
    receiver: str  # None / Value / Ref / RefMut
    self_lifetime: str | None  # `a` for `&'a self`
    params: list[str]
    ret: str
    is_unsafe: bool
    ret_borrow: str = "None"
    text: str = ""


SIG_HEAD_RE = re.compile(
    r"^(?:pub(?:\([^)]*\))? )?(?P<quals>(?:(?:const|async|unsafe|safe|default) |extern \"[^\"]*\" )*)fn (?P<name>\w+)"
)


def parse_self(p: str) -> tuple[str, str | None] | None:
    """A first parameter -> (receiver, lifetime) if it is a self parameter."""
    p = p.strip()
    m = re.fullmatch(r"(mut )?self", p)
    if m:
        return "Value", None
    m = re.fullmatch(r"&(?:'(\w+) )?(mut )?self", p)
    if m:
        return ("RefMut" if m.group(2) else "Ref"), m.group(1)
    m = re.fullmatch(r"(?:mut )?self ?: ?(.*)", p)
    if m:
        ty = norm_type(m.group(1))
        r = re.match(r"&(?:'(\w+) )?(mut )?", ty)
        if ty.startswith("&") and r:
            return ("RefMut" if r.group(2) else "Ref"), r.group(1)
        # `self: Box<Self>`, `self: Pin<&mut Self>`: the receiver value is passed as is; there
        # is no autoref, and the result borrows through the passed type's lifetime, not `self`.
        return "Value", None
    return None


def param_type(p: str) -> str:
    """`value: T` -> `T` (the first top-level `:` that is not part of `::`)."""
    depth = 0
    for i, c in enumerate(p):
        if c in "([<":
            depth += 1
        elif c in ")]" or (c == ">" and p[i - 1] != "-"):
            depth -= 1
        elif c == ":" and depth == 0 and p[i + 1 : i + 2] != ":" and p[i - 1 : i] != ":":
            return norm_type(p[i + 1 :])
    return norm_type(p)


def borrows_from_self(receiver: str, self_lt: str | None, ret: str) -> str:
    """The ret_borrow rule: lifetime elision as rustc applies it to methods."""
    if receiver not in ("Ref", "RefMut"):
        return "None"
    kind = "Mut" if receiver == "RefMut" else "Shared"
    # `Fn(&T) -> U` sugar has its own (higher-ranked) elision; ignore references inside it.
    scan = re.sub(r"\bFn(?:Mut|Once)?\(.*?\)", "Fn()", ret)
    for m in re.finditer(r"&(?:'(\w+))?|'(\w+)", scan):
        if m.group(0).startswith("&"):
            lt = m.group(1)
            if lt is None or lt == "_" or lt == self_lt:
                return kind
        else:
            lt = m.group(2)
            if lt == "_" or lt == self_lt:
                return kind
    return "None"


def parse_sig(text: str) -> Sig:
    m = SIG_HEAD_RE.match(text)
    if not m:
        raise ValueError(f"not a fn header: {text!r}")
    quals = m.group("quals")
    i = m.end()
    if text[i : i + 1] == "<":
        i = skip_balanced(text, i, "<", ">")
    if text[i : i + 1] != "(":
        raise ValueError(f"no parameter list: {text!r}")
    j = skip_balanced(text, i, "(", ")")
    params = split_top(text[i + 1 : j - 1])
    rest = text[j:].strip()
    ret = ""
    if rest.startswith("->"):
        ret = norm_type(rest[2:])
    elif rest:
        raise ValueError(f"junk after parameters: {text!r}")
    if ret == "()":
        ret = ""
    receiver, self_lt = "None", None
    if params:
        s = parse_self(params[0])
        if s:
            receiver, self_lt = s
            params = params[1:]
    sig = Sig(
        name=m.group("name"),
        receiver=receiver,
        self_lifetime=self_lt,
        params=[param_type(p) for p in params],
        ret=ret,
        is_unsafe="unsafe " in quals,
        text=text,
    )
    sig.ret_borrow = borrows_from_self(receiver, self_lt, ret)
    return sig


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------

H2_RE = re.compile(r'<h2 id="([^"]*)" class="section-header"')
IMPL_RE = re.compile(r'<section id="impl-[^"]*" class="impl">.*?<h3 class="code-header">(.*?)</h3>', re.S)
METHOD_RE = re.compile(
    r'<section id="((?:ty)?method\.[^"]*)" class="method">.*?<h4 class="code-header">(.*?)</h4></section>', re.S
)
ASSOC_TARGET_RE = re.compile(
    r'<section id="associatedtype\.Target[^"]*" class="associatedtype trait-impl">.*?<h4 class="code-header">(.*?)</h4>',
    re.S,
)


def sections(page: str) -> list[tuple[str, int, int]]:
    """The page's h2 sections: (id, start, end)."""
    hs = [(m.group(1), m.start()) for m in H2_RE.finditer(page)]
    return [(hid, start, hs[k + 1][1] if k + 1 < len(hs) else len(page)) for k, (hid, start) in enumerate(hs)]


def is_unstable(page: str, end_of_section: int) -> bool:
    """The item-info stab, if any, sits between the method's </section> and the docblock."""
    nxt = len(page)
    for marker in ("</summary>", "<section ", '<div class="docblock"', "</details>"):
        k = page.find(marker, end_of_section)
        if k != -1:
            nxt = min(nxt, k)
    return 'class="stab unstable"' in page[end_of_section:nxt]


@dataclass
class Impl:
    header: str  # `impl<T> Option<&T>`
    generics: list[str]  # impl generic parameter names
    self_ty: str  # `Option<&T>`
    where: str


def parse_impl_header(h3: str) -> Impl:
    where = ""
    w = WHERE_RE.search(h3)
    if w:
        where = to_text(TAG_RE.sub(" ", w.group(0)))
    text = to_text(h3)
    assert text.startswith("impl"), text
    i = 4
    generics: list[str] = []
    if text[i : i + 1] == "<":
        j = skip_balanced(text, i, "<", ">")
        for g in split_top(text[i + 1 : j - 1]):
            g = re.sub(r"^const ", "", g)
            generics.append(re.split(r"[:=]", g)[0].strip())
        i = j
    self_ty = text[i:].strip()
    if " for " in self_ty:  # trait impls (only used for Deref)
        self_ty = self_ty.split(" for ", 1)[1].strip()
    return Impl(header=text, generics=generics, self_ty=norm_type(self_ty), where=where)


def impl_matches(shape: str, self_ty: str) -> bool:
    if shape == "[]":
        return self_ty.startswith("[") and not re.search(r"; ?\w+\]$", self_ty)
    if shape == "[;]":
        return self_ty.startswith("[") and bool(re.search(r"; ?\w+\]$", self_ty))
    return re.match(r"(?:dyn )?(\w+)", self_ty) is not None and re.match(r"\w+", self_ty).group(0) == shape


def specificity(imp: Impl) -> int:
    """How much more specific than `Owner<P1, P2, ..>` the impl's self type is (lower = more general).

    Counts concrete names (not impl parameters or lifetimes), references, tuples, nested
    slices and `dyn` in the self type's arguments, plus where-clause bounds."""
    ty = imp.self_ty
    args = ty[ty.index("<") + 1 : -1] if "<" in ty and ty.endswith(">") else ty
    if ty.startswith("["):
        args = ty[1:-1]
    score = 0
    for tok in re.findall(r"'?\w+|[&(\[]", args):
        if tok.startswith("'"):
            continue
        if tok in ("&", "(", "["):
            score += 1
        elif tok in ("dyn", "mut", "const") or tok in imp.generics or tok.isdigit():
            continue
        else:
            score += 1
    return score


@dataclass
class Row:
    owner: str
    sig: Sig
    impl: str
    score: int
    order: int
    dups: list[tuple[str, Sig]] = field(default_factory=list)


def read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def extract_deref(owner: str, shape: str, page: str) -> str | None:
    """`impl Deref for Owner<..> { type Target = X }` -> X, normalized (see DEREFS docs)."""
    for sid, start, end in sections(page):
        if sid != "trait-implementations":
            continue
        body = page[start:end]
        for m in IMPL_RE.finditer(body):
            imp = parse_impl_header(m.group(1))
            if not re.match(r"impl(<.*?>)? Deref for ", imp.header) or not impl_matches(shape, imp.self_ty):
                continue
            t = ASSOC_TARGET_RE.search(body, m.end())
            target = norm_type(to_text(t.group(1)).split("=", 1)[1])
            if target in imp.generics:
                return "T"
            if re.fullmatch(r"\[\w+\]", target):
                return "slice"
            return target
    return None


def extract_type(owner: str, shape: str, page: str, stats: dict) -> tuple[list[Row], str | None]:
    rows: list[Row] = []
    order = 0
    for sid, start, end in sections(page):
        if sid != "implementations":
            continue
        body = page[start:end]
        impls = [(m.start(), parse_impl_header(m.group(1))) for m in IMPL_RE.finditer(body)]
        for m in METHOD_RE.finditer(body):
            imp = max((x for x in impls if x[0] < m.start()), key=lambda x: x[0], default=None)
            if imp is None:
                raise ValueError(f"{owner}: method outside an impl block")
            imp = imp[1]
            if not impl_matches(shape, imp.self_ty):
                stats.setdefault("foreign_impl", set()).add(f"{owner}: {imp.header}")
                continue
            if is_unstable(body, m.end()):
                stats["unstable"] = stats.get("unstable", 0) + 1
                continue
            sig = parse_sig(to_text(m.group(2)))
            rows.append(Row(owner, sig, imp.header, specificity(imp), order))
            order += 1
    return rows, extract_deref(owner, shape, page)


def extract_trait(owner: str, page: str, stats: dict) -> list[Row]:
    rows: list[Row] = []
    order = 0
    for sid, start, end in sections(page):
        if sid not in ("required-methods", "provided-methods"):
            continue
        body = page[start:end]
        for m in METHOD_RE.finditer(body):
            if is_unstable(body, m.end()):
                stats["unstable"] = stats.get("unstable", 0) + 1
                continue
            sig = parse_sig(to_text(m.group(2)))
            rows.append(Row(owner, sig, f"trait {owner}", 0, order))
            order += 1
    return rows


def dedup(rows: list[Row]) -> list[Row]:
    """One row per (owner, name): the most general impl wins, ties go to the first on the page."""
    best: dict[tuple[str, str], Row] = {}
    for r in rows:
        key = (r.owner, r.sig.name)
        cur = best.get(key)
        if cur is None:
            best[key] = r
        elif (r.score, r.order) < (cur.score, cur.order):
            r.dups = cur.dups + [(cur.impl, cur.sig)]
            best[key] = r
        else:
            cur.dups.append((r.impl, r.sig))
    return [best[k] for k in sorted(best)]


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def rs_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


HEADER = """\
//! The standard library's method table: for each inherent method of the common std types and
//! each method of the common std traits, the receiver kind, whether the result keeps the
//! receiver borrowed, the return and parameter types as written in the docs, and unsafety;
//! plus which types deref to which. Lets the borrow checker resolve `v.push(x)` or
//! `s.chars()` without rustc.
//!
//! GENERATED from the rustdoc HTML of rust {version} by `tools/gen_std_api.py`, which writes
//! the whole file (the table sits between the BEGIN/END GENERATED markers); do not edit it by
//! hand. To regenerate (needs the `rust-docs` component):
//!
//! ```text
//! python3 tools/gen_std_api.py
//! ```
//!
//! Owners are type names (`Vec`, `HashMap`), the primitives `str`, `slice` (`[T]`), `array`
//! (`[T; N]`), `char`, `bool`, the integer and float types, the map entry types prefixed with
//! their map (`HashMapEntry`, `BTreeMapOccupiedEntry`, ...), and trait names (`Iterator`,
//! `Clone`, `Write` for `std::io::Write`, `fmt::Write`). Nightly-only methods are omitted.
//! Methods reached through `Deref` (e.g. `Vec::iter`, which is `slice::iter`) are not copied:
//! follow [`DEREFS`]. The docs are those of the host (x86_64), so pointer-sized types read
//! as 64-bit (`usize::to_ne_bytes` returns `[u8; 8]`).
"""

API = """\
/// How a method takes `self`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Receiver {
    /// An associated function without `self` (`Vec::new`, `Rc::strong_count(this)`).
    None,
    /// `self`, or a `self: Type` that is not a reference (`Box<Self>`, `Pin<&mut Self>`): the
    /// receiver is passed as is, with no autoref.
    Value,
    /// `&self` / `self: &Self`.
    Ref,
    /// `&mut self` / `self: &mut Self`.
    RefMut,
}

/// Whether a method's result holds a borrow of its receiver, by lifetime elision: with a
/// `&self`/`&mut self` receiver, a return type containing `&`, `'_`, or the receiver's own
/// named lifetime borrows from `self`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetBorrow {
    /// The result is independent of the receiver (by-value receivers, `T`, `usize`, `Self`, ...).
    None,
    /// The result keeps the receiver borrowed shared (`&self` receiver).
    Shared,
    /// The result keeps the receiver borrowed mutably (`&mut self` receiver), even if the
    /// returned reference itself is shared.
    Mut,
}

/// One std method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Method {
    /// The type or trait the method is defined on: `"Vec"`, `"slice"`, `"Iterator"`.
    pub owner: &'static str,
    /// The method name: `"push"`.
    pub name: &'static str,
    pub receiver: Receiver,
    /// Does the result hold a borrow of the receiver? See [`RetBorrow`].
    pub ret_borrow: RetBorrow,
    /// Return type as the docs write it, whitespace-normalized; `""` for `()`.
    /// E.g. `"Option<&T>"`, `"Iter<'_, T>"`, `"usize"`, `"Self"`.
    pub ret: &'static str,
    /// The types of the parameters other than `self`.
    pub params: &'static [&'static str],
    pub is_unsafe: bool,
}

/// The row of `owner::name` (`lookup("Vec", "push")`), by binary search over [`METHODS`].
pub fn lookup(owner: &str, name: &str) -> Option<&'static Method> {
    METHODS
        .binary_search_by(|m| (m.owner, m.name).cmp(&(owner, name)))
        .ok()
        .map(|i| &METHODS[i])
}

/// The table's own spelling of `owner` when it lists methods of it (`owner("BinaryHeap")`).
pub fn owner(owner: &str) -> Option<&'static str> {
    let i = METHODS.partition_point(|m| m.owner < owner);
    METHODS.get(i).filter(|m| m.owner == owner).map(|m| m.owner)
}

/// Every row with this method name, whatever the owner (`methods_named("push")`).
pub fn methods_named(name: &str) -> impl Iterator<Item = &'static Method> + '_ {
    METHODS.iter().filter(move |m| m.name == name)
}

/// The deref target of `ty` according to [`DEREFS`] (`"Vec"` -> `"slice"`).
pub fn deref_target(ty: &str) -> Option<&'static str> {
    DEREFS
        .iter()
        .find(|(t, _)| *t == ty)
        .map(|(_, target)| *target)
}

const fn m(
    owner: &'static str,
    name: &'static str,
    receiver: Receiver,
    ret_borrow: RetBorrow,
    ret: &'static str,
    params: &'static [&'static str],
    is_unsafe: bool,
) -> Method {
    Method {
        owner,
        name,
        receiver,
        ret_borrow,
        ret,
        params,
        is_unsafe,
    }
}

use Receiver as R;
use RetBorrow as B;
"""

TESTS = """\
#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(
        owner: &str,
        name: &str,
        receiver: Receiver,
        ret_borrow: RetBorrow,
    ) -> &'static Method {
        let m = lookup(owner, name).unwrap_or_else(|| panic!("{owner}::{name} missing"));
        assert_eq!(
            (m.receiver, m.ret_borrow),
            (receiver, ret_borrow),
            "{owner}::{name}"
        );
        m
    }

    #[test]
    fn std_api_sorted_and_unique() {
        for w in METHODS.windows(2) {
            assert!(
                (w[0].owner, w[0].name) < (w[1].owner, w[1].name),
                "{:?} / {:?}",
                w[0],
                w[1]
            );
        }
        let mut derefs: Vec<_> = DEREFS.iter().map(|d| d.0).collect();
        derefs.sort_unstable();
        derefs.dedup();
        assert_eq!(derefs.len(), DEREFS.len());
    }

    #[test]
    fn std_api_receivers_and_borrows() {
        use Receiver as R;
        use RetBorrow as B;
        assert_eq!(check("Vec", "push", R::RefMut, B::None).params, ["T"]);
        assert_eq!(check("Vec", "len", R::Ref, B::None).ret, "usize");
        assert_eq!(check("slice", "iter", R::Ref, B::Shared).ret, "Iter<'_, T>");
        check("slice", "iter_mut", R::RefMut, B::Mut);
        check("slice", "split_at_mut", R::RefMut, B::Mut);
        assert_eq!(check("Vec", "pop", R::RefMut, B::None).ret, "Option<T>");
        check("str", "chars", R::Ref, B::Shared);
        check("String", "as_str", R::Ref, B::Shared);
        check("HashMap", "get", R::Ref, B::Shared);
        check("HashMap", "entry", R::RefMut, B::Mut);
        check("HashMap", "insert", R::RefMut, B::None);
        check("Option", "as_ref", R::Ref, B::Shared);
        check("Option", "take", R::RefMut, B::None);
        check("Option", "unwrap", R::Value, B::None);
        check("RefCell", "borrow_mut", R::Ref, B::Shared);
        check("Mutex", "lock", R::Ref, B::Shared);
        check("Iterator", "next", R::RefMut, B::None);
        check("Iterator", "map", R::Value, B::None);
        assert_eq!(check("Clone", "clone", R::Ref, B::None).ret, "Self");
        check("Vec", "new", R::None, B::None);
        check("Vec", "drain", R::RefMut, B::Mut);
        check("Iterator", "by_ref", R::RefMut, B::Mut);
        check("HashMapEntry", "or_insert", R::Value, B::None);
        assert!(
            lookup("Vec", "iter").is_none(),
            "Vec::iter is slice::iter via Deref"
        );
        assert!(check("slice", "get_unchecked", R::Ref, B::Shared).is_unsafe);
        // `self: &mut &'a [T]` -> `Option<&'a T>`: borrows the slice, not the `&mut` binding.
        check("slice", "split_off_first", R::RefMut, B::None);
        // `&'a self` -> `Difference<'a, ..>`: the receiver's named lifetime.
        check("HashSet", "difference", R::Ref, B::Shared);
        check("Option", "as_pin_mut", R::Value, B::None);
    }

    #[test]
    fn std_api_derefs_and_names() {
        assert_eq!(deref_target("Vec"), Some("slice"));
        assert_eq!(deref_target("String"), Some("str"));
        assert_eq!(deref_target("Box"), Some("T"));
        assert_eq!(deref_target("PathBuf"), Some("Path"));
        assert_eq!(deref_target("OsString"), Some("OsStr"));
        assert_eq!(deref_target("MutexGuard"), Some("T"));
        assert!(methods_named("push").any(|m| m.owner == "BinaryHeap"));
        assert!(methods_named("push").all(|m| m.name == "push"));
        for d in DEREFS {
            if d.1 != "T" {
                assert!(
                    METHODS.iter().any(|m| m.owner == d.1),
                    "deref target {} has no rows",
                    d.1
                );
            }
        }
    }
}
"""


def row_line(r: Row) -> str:
    s = r.sig
    params = "&[" + ", ".join(rs_str(p) for p in s.params) + "]"
    return (
        f"    m({rs_str(r.owner)}, {rs_str(s.name)}, R::{s.receiver}, B::{s.ret_borrow}, "
        f"{rs_str(s.ret)}, {params}, {'true' if s.is_unsafe else 'false'}),"
    )


def dup_comment(r: Row) -> list[str]:
    """Duplicates of (owner, name) whose signature shape differs from the kept row's."""
    out = []
    for impl, d in r.dups:
        if (d.receiver, d.ret_borrow) != (r.sig.receiver, r.sig.ret_borrow):
            out.append(
                f"    // also in `{impl}` with receiver {d.receiver}, ret_borrow {d.ret_borrow}: `{d.text}`"
            )
    return out


def rustc_version() -> str:
    try:
        out = subprocess.run(["rustc", "--version"], capture_output=True, text=True, check=True).stdout
        return out.split()[1]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown"


def default_docs() -> str:
    sysroot = subprocess.run(
        ["rustc", "--print", "sysroot"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return os.path.join(sysroot, "share", "doc", "rust", "html")


def generate(docs: str) -> tuple[str, dict]:
    std = os.path.join(docs, "std")
    stats: dict = {"per_owner": {}}
    rows: list[Row] = []
    derefs: dict[str, str] = {}
    for owner, path, shape in TYPES:
        r, target = extract_type(owner, shape, read(os.path.join(std, path)), stats)
        if not r:
            raise SystemExit(f"no methods found for {owner} in {path}: has the markup changed?")
        rows += r
        if target:
            derefs[owner] = target
    for owner, path in TRAITS:
        r = extract_trait(owner, read(os.path.join(std, path)), stats)
        if not r:
            raise SystemExit(f"no methods found for trait {owner} in {path}: has the markup changed?")
        rows += r
    for owner, path, shape in DEREF_ONLY:
        target = extract_deref(owner, shape, read(os.path.join(std, path)))
        if target is None:
            raise SystemExit(f"no Deref impl found for {owner} in {path}")
        derefs[owner] = target

    kept = dedup(rows)
    stats["duplicates"] = [(r.owner, r.sig.name, r.impl, [i for i, _ in r.dups]) for r in kept if r.dups]
    for r in kept:
        stats["per_owner"][r.owner] = stats["per_owner"].get(r.owner, 0) + 1

    out = [HEADER.format(version=rustc_version()), API]
    out.append("// ---- BEGIN GENERATED (tools/gen_std_api.py) ----\n")
    out.append("/// Every extracted method, sorted by `(owner, name)` (byte order), one row per pair.")
    out.append("/// Where several impl blocks of one type define the name (`Option<&T>::cloned` and")
    out.append("/// `Option<&mut T>::cloned`), the most general impl's signature is kept.")
    out.append("#[rustfmt::skip]")
    out.append("pub static METHODS: &[Method] = &[")
    for r in kept:
        out.extend(dup_comment(r))
        out.append(row_line(r))
    out.append("];\n")
    out.append("/// `(type, deref target)`, from the docs' `impl Deref for` blocks. Targets are owner names of")
    out.append("/// [`METHODS`] (`[T]` is `\"slice\"`), or `\"T\"` when the target is the type's own type")
    out.append("/// parameter (`Box<T>`, `Rc<T>`, the `RefCell`/`Mutex`/`RwLock` guards, `Cow<'_, B>`).")
    out.append("/// Arrays are not listed: they reach `slice` methods by unsizing, not by `Deref`.")
    out.append("pub static DEREFS: &[(&str, &str)] = &[")
    for t in sorted(derefs):
        out.append(f"    ({rs_str(t)}, {rs_str(derefs[t])}),")
    out.append("];")
    out.append("// ---- END GENERATED ----\n")
    out.append(TESTS)
    return "\n".join(out), stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", help="rustdoc HTML root (default: $(rustc --print sysroot)/share/doc/rust/html)")
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="fail if --out is not up to date")
    ap.add_argument("-v", "--verbose", action="store_true", help="print counts, skipped impls and duplicates")
    args = ap.parse_args()
    docs = args.docs or default_docs()
    if not os.path.isdir(os.path.join(docs, "std")):
        raise SystemExit(f"{docs}/std not found: install the docs with `rustup component add rust-docs`")
    text, stats = generate(docs)
    if args.verbose:
        for o, n in sorted(stats["per_owner"].items()):
            print(f"{o:24} {n}", file=sys.stderr)
        print(f"unstable methods skipped: {stats.get('unstable', 0)}", file=sys.stderr)
        for s in sorted(stats.get("foreign_impl", ())):
            print(f"skipped impl block: {s}", file=sys.stderr)
        for d in stats["duplicates"]:
            print(f"duplicate: {d}", file=sys.stderr)
    if args.check:
        with open(args.out, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{args.out} is out of date; run python3 tools/gen_std_api.py", file=sys.stderr)
                return 1
        return 0
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.out}: {sum(stats['per_owner'].values())} methods", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
