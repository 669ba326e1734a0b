//! Fixtures with spans annotated under the code, and multi-file cargo packages
//! (`borrowlens_tests::multi`). Each is confirmed by `cargo check` with
//! `BORROWLENS_FIXTURES_RUSTC=1`.
//!
//! The files of a package are crates by cargo's target rules (`src/lib.rs`, `src/main.rs`, ...):
//! a verdict may need a fact from another file of the crate (a method's receiver, a field's
//! type), found by the crate's module tree and name resolution. `check_fixture_pending` marks
//! what the analysis cannot know yet, and must not guess meanwhile.

use borrowlens_tests::{check_fixture, check_fixture_pending};

#[test]
fn spans_and_labels_of_a_conflict() {
    check_fixture(
        r#"
fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0];
//               - immutable borrow occurs here
    v.push(4);
//  ^^^^^^^^^ E0502
    println!("{first}");
//             ----- immutable borrow later used here
}
"#,
    );
}

#[test]
fn a_module_in_another_file_that_the_verdict_does_not_need() {
    check_fixture(
        r#"
//- /src/main.rs
mod util;

fn main() {
    let mut names = vec![util::greeting()];
    let first = &names[0];
    names.push(String::new());
//  ^^^^^^^^^^^^^^^^^^^^^^^^^ E0502
    println!("{first}");
}
//- /src/util.rs
pub fn greeting() -> String {
    String::from("hello")
}
"#,
    );
}

#[test]
fn a_method_defined_in_another_file() {
    check_fixture(
        r#"
//- /src/main.rs
mod model;
use model::Counter;

fn main() {
    let mut c = Counter { items: vec![1] };
    let first = c.first();
    c.add(2);
//  ^^^^^^^^ E0502
    println!("{first}");
}
//- /src/model.rs
pub struct Counter {
    pub items: Vec<u32>,
}

impl Counter {
    pub fn first(&self) -> &u32 {
        &self.items[0]
    }
    pub fn add(&mut self, x: u32) {
        self.items.push(x);
    }
}
"#,
    );
}

#[test]
fn a_move_of_a_type_defined_in_another_file() {
    check_fixture(
        r#"
//- /src/lib.rs
mod shapes;
pub use shapes::Shape;

pub fn area_twice(s: Shape) -> (u32, u32) {
    let a = shapes::area(s);
    let b = shapes::area(s);
//                       ^ E0382
    (a, b)
}
//- /src/shapes.rs
pub struct Shape {
    pub w: u32,
    pub h: u32,
}

pub fn area(s: Shape) -> u32 {
    s.w * s.h
}
"#,
    );
}

#[test]
fn a_copy_type_in_another_file_is_not_moved() {
    check_fixture(
        r#"
//- /src/lib.rs
mod shapes;
pub use shapes::Point;

pub fn sum_twice(p: Point) -> (i32, i32) {
    let a = shapes::sum(p);
    let b = shapes::sum(p);
    (a, b)
}
//- /src/shapes.rs
#[derive(Clone, Copy)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

pub fn sum(p: Point) -> i32 {
    p.x + p.y
}
"#,
    );
}

#[test]
fn two_types_of_one_name_in_two_modules_never_mix() {
    // `a::Node` is `Copy`, `b::Node` is not: each use must ask its own.
    check_fixture(
        r#"
//- /src/lib.rs
mod a;
mod b;

pub fn twice_a(n: a::Node) -> (u8, u8) {
    (a::read(n), a::read(n))
}

pub fn twice_b(n: b::Node) -> (u8, u8) {
    (b::read(n), b::read(n))
//                       ^ E0382
}
//- /src/a.rs
#[derive(Clone, Copy)]
pub struct Node(pub u8);

pub fn read(n: Node) -> u8 {
    n.0
}
//- /src/b.rs
pub struct Node(pub u8);

pub fn read(n: Node) -> u8 {
    n.0
}
"#,
    );
}

#[test]
fn imports_renamed_grouped_globbed_and_re_exported() {
    check_fixture(
        r#"
//- /src/main.rs
mod store;
mod prelude {
    pub use crate::store::{Store as Db, *};
}
use prelude::*;

fn main() {
    let mut db = Db::new();
    let first = db.get(0);
    db.put(1);
//  ^^^^^^^^^ E0502
    println!("{first}");
    let k = Key(1);
    let kept = k;
    drop(k);
//       ^ E0382
    drop(kept);
}
//- /src/store/mod.rs
mod key;
pub use self::key::Key;

pub struct Store {
    items: Vec<u32>,
}

impl Store {
    pub fn new() -> Store {
        Store { items: vec![0] }
    }
    pub fn get(&self, i: usize) -> &u32 {
        &self.items[i]
    }
    pub fn put(&mut self, x: u32) {
        self.items.push(x);
    }
}
//- /src/store/key.rs
pub struct Key(pub u32);
"#,
    );
}

#[test]
fn a_module_file_named_by_path_and_a_nested_module_folder() {
    check_fixture(
        r#"
//- /src/lib.rs
#[path = "geometry/shapes.rs"]
mod shapes;

pub fn grow(r: &mut shapes::inner::Rect) -> u32 {
    let w = r.width();
    r.scale(2);
//  ^^^^^^^^^^ E0502
    *w
}
//- /src/geometry/shapes.rs
pub mod inner;
//- /src/geometry/inner.rs
pub struct Rect {
    pub w: u32,
}

impl Rect {
    pub fn width(&self) -> &u32 {
        &self.w
    }
    pub fn scale(&mut self, k: u32) {
        self.w *= k;
    }
}
"#,
    );
}

#[test]
fn an_impl_in_another_file_than_its_type() {
    // `Copy` comes from an impl in another module: the moves are copies.
    check_fixture(
        r#"
//- /src/lib.rs
mod types;
mod impls;
use types::Id;

pub fn both(id: Id) -> (Id, Id) {
    let a = id;
    (a, id)
}
//- /src/types.rs
pub struct Id(pub u32);
//- /src/impls.rs
use crate::types::Id;

impl Clone for Id {
    fn clone(&self) -> Id {
        *self
    }
}
impl Copy for Id {}
"#,
    );
}

#[test]
fn a_crate_type_named_like_a_std_type_is_the_crate_type() {
    // `Vec` here is not std's but the crate's, which is `Copy`: what std says of its `Vec` (not
    // `Copy`) would make this an error to report wrongly.
    check_fixture(
        r#"
//- /src/lib.rs
mod other;
use other::Vec;

pub fn f(v: Vec) -> (Vec, Vec) {
    (v, v)
}
//- /src/other.rs
#[derive(Clone, Copy)]
pub struct Vec;
"#,
    );
}

#[test]
fn a_closure_borrows_a_field_through_self_not_self() {
    // Edition 2021 captures `(*self).searcher` and `(*self).count`, disjoint from `self.it`,
    // which the method call borrows mutably (`memchr`'s iterators do this).
    check_fixture(
        r#"
//- /src/lib.rs
pub struct One;
impl One {
    pub fn find(&self) -> usize {
        0
    }
}
pub struct Iter {
    pub n: usize,
}
impl Iter {
    pub fn next<F: FnMut() -> usize>(&mut self, mut f: F) -> usize {
        self.n + f()
    }
}
pub struct S<'a> {
    searcher: &'a One,
    it: Iter,
    count: usize,
}
impl<'a> S<'a> {
    pub fn disjoint(&mut self) -> usize {
        self.it.next(|| self.searcher.find())
    }
    pub fn disjoint_mut(&mut self) -> usize {
        self.it.next(|| {
            self.count += 1;
            self.count
        })
    }
}
"#,
    );
}

#[test]
fn a_set_of_ids_from_a_borrowing_iterator_holds_no_borrow() {
    // The iterator borrows `self`; what it yields (a `Copy` id of another file, no lifetime) and
    // the set it goes into do not, so `self` may be assigned while the set lives (as
    // `regex-automata`'s DFA shuffling does).
    check_fixture(
        r#"
//- /src/lib.rs
mod prim;
use crate::prim::StateID;
use std::collections::BTreeSet;

pub struct Starts<'a> {
    st: &'a [u32],
    i: usize,
}

impl<'a> Iterator for Starts<'a> {
    type Item = (StateID, u8);
    fn next(&mut self) -> Option<(StateID, u8)> {
        let i = self.i;
        self.i += 1;
        self.st.get(i).map(|&x| (StateID(x), 0))
    }
}

pub struct Dfa {
    st: Vec<u32>,
    min: StateID,
}

impl Dfa {
    pub fn starts(&self) -> Starts<'_> {
        Starts { st: &self.st, i: 0 }
    }

    pub fn shuffle(&mut self) -> usize {
        let mut is_start: BTreeSet<StateID> = BTreeSet::new();
        for (id, _) in self.starts() {
            is_start.insert(id);
        }
        self.min = StateID(0);
        is_start.len()
    }
}
//- /src/prim.rs
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StateID(pub u32);
"#,
    );
}

#[test]
fn an_at_binding_takes_the_value_once_its_pattern_matched() {
    // `err @ E::C(_)` tests the variant before `err` takes `e`, and other arms never see a
    // moved `e` (winnow's and serde's errors do this); `x @ Some(y)` moves `y` out first.
    check_fixture(
        r#"
//- /src/lib.rs
pub enum E {
    A(u8),
    B(u8),
    C(String),
}
pub fn f(e: E) -> Result<u8, E> {
    match e {
        E::A(x) | E::B(x) => Ok(x),
        err @ E::C(_) => Err(err),
    }
}
pub fn h(e: E) -> (E, Option<u8>) {
    match e {
        s @ E::A(_) | s @ E::C(_) => (s, None),
        E::B(x) => (E::B(x), Some(x)),
    }
}
pub fn k(o: Option<String>) {
    match o {
        x @ Some(y) => {
//      ^ E0382
            drop(x);
            drop(y);
        }
        None => {}
    }
}
pub fn k2(o: Option<u8>) -> (Option<u8>, u8) {
    match o {
        x @ Some(y) => (x, y),
        None => (None, 0),
    }
}
"#,
    );
}

#[test]
fn one_use_after_move_per_set_of_moves_as_rustc_keeps_it() {
    // rustc keeps one E0382 per set of moves: a later use (in its visiting order, where the
    // code after a loop comes before the loop's body) replaces the error unless its place is a
    // prefix of the error's place.
    check_fixture(
        r#"
//- /src/lib.rs
pub struct S {
    pub b: Vec<u8>,
    pub c: &'static Vec<u8>,
}

pub fn later_field_wins(s: S) -> usize {
    drop(s);
    let x = s.b.len();
    let y = s.c.len();
//          ^^^ E0382
    x + y
}

pub fn first_use_of_the_whole_wins(v: Vec<u8>) -> usize {
    drop(v);
    let a = v.len();
//          ^ E0382
    let b = v.len();
    a + b
}

pub fn after_the_loop_before_its_body(items: &[u8]) -> usize {
    let mut v = Vec::new();
    drop(v);
    for x in items {
        v.push(*x);
    }
    v.len()
//  ^ E0382
}

pub struct W {
    pub n: u32,
}

pub fn a_mut_ref_given_to_drop_is_moved(w: &mut W) {
    drop(w);
    w.n = 1;
//  ^^^^^^^ E0382
}

pub fn a_wildcard_let_reads_nothing(w: &mut W) {
    drop(w);
    let _ = w.n;
}
"#,
    );
}

#[test]
fn a_range_s_start_and_end_are_its_fields() {
    // std's ranges have public fields of their argument's type: `usize` is `Copy`, so a read
    // under a `&mut` is a use (E0503), not a move.
    check_fixture(
        r#"
//- /src/lib.rs
use std::ops::Range;

pub fn start_under_a_mut(mut r: Range<usize>) -> usize {
    let m = &mut r;
    let x = r.start;
//          ^^^^^^^ E0503
    let _ = &m;
    x + r.end
}
"#,
    );
}

#[test]
fn write_into_a_writer_borrows_it_mutably() {
    // `write!(w, ..)` is `w.write_fmt(..)`, whose `&mut self` is a two-phase borrow of `w`.
    check_fixture(
        r#"
//- /src/lib.rs
use std::fmt::Write as _;
use std::io;

pub fn held_over_a_writeln<W: io::Write>(mut w: W) -> io::Result<()> {
    let m = &mut w;
    writeln!(w, "x")?;
//           ^ E0499
    let _ = &m;
    Ok(())
}

pub fn a_string_read_in_its_own_arguments(mut s: String) -> String {
    let r = &s;
    write!(s, "{} {}", r.len(), s.len()).unwrap();
    s
}
"#,
    );
}

#[test]
fn a_pattern_through_a_shared_reference_binds_through_a_copy_of_it() {
    // rustc copies the reference into a temporary at the scrutinee and matches through it: after
    // a move, the error is the scrutinee's; the binding is no use of the moved value. A binding
    // by value replaces it (`Some(w)`).
    check_fixture(
        r#"
//- /src/lib.rs
pub enum Value {
    Object(Vec<u8>),
    Other,
}

pub struct D<'a> {
    value: Option<&'a Value>,
}

impl D<'_> {
    pub fn through_a_reference(self) -> usize {
        drop(self);
        match self.value {
//            ^^^^^^^^^^ E0382
            Some(Value::Object(v)) => v.len(),
            Some(_) => 1,
            None => 0,
        }
    }
}

pub fn by_value(o: Option<Vec<u8>>) -> usize {
    drop(o);
    match o {
        Some(w) => w.len(),
//           ^ E0382
        None => 0,
    }
}
"#,
    );
}

#[test]
fn a_crate_macro_is_expanded_where_it_is_used() {
    // The crate's `macro_rules!` macros are expanded by example: the borrows in the invocation's
    // tokens are where they are written, and a `return` inside the macro (serde_json's `tri!`)
    // is control flow like any other. The macro is defined in `lib.rs` and used in `ser.rs`.
    check_fixture(
        r#"
//- /src/lib.rs
macro_rules! tri {
    ($e:expr $(,)?) => {
        match $e {
            core::result::Result::Ok(val) => val,
            core::result::Result::Err(err) => return core::result::Result::Err(err),
        }
    };
}

macro_rules! sum {
    ($($x:expr),+ $(,)?) => { 0 $(+ $x)+ };
}

macro_rules! take {
    ($v:ident) => {
        drop($v)
    };
}

mod ser;
pub use ser::*;

pub fn repeated(v: Vec<u8>) -> usize {
    let a = v;
    sum!(a.len(), v.len(),)
//                ^ E0382
}

pub fn moved_by_a_macro(s: String) -> usize {
    take!(s);
    s.len()
//  ^ E0382
}
//- /src/ser.rs
pub fn to_vec() -> Result<Vec<u8>, ()> {
    let mut writer = Vec::new();
    let m = &mut writer;
    tri!(fill(&mut writer));
//            ^^^^^^^^^^^ E0499
    m.push(2);
    Ok(writer)
}

pub fn fine() -> Result<Vec<u8>, ()> {
    let mut writer = Vec::new();
    tri!(fill(&mut writer));
    let m = &mut writer;
    m.push(2);
    Ok(writer)
}

fn fill(w: &mut Vec<u8>) -> Result<(), ()> {
    w.push(1);
    Ok(())
}
"#,
    );
}

#[test]
fn a_local_a_macro_makes_is_not_the_invocation_s() {
    // Hygiene: the `v` a macro declares is its own; the invocation's `v` is the caller's. Read
    // as one, `v.len()` would be a use of the macro's moved `v`.
    check_fixture(
        r#"
//- /src/lib.rs
macro_rules! after_own {
    ($e:expr) => {{
        let v = Vec::<u8>::new();
        drop(v);
        $e
    }};
}

pub fn caller() -> usize {
    let v = vec![1u8];
    after_own!(v.len())
}
"#,
    );
}

#[test]
fn std_types_made_by_associated_functions_and_turbofish_collect() {
    // `BinaryHeap::new()` is a `BinaryHeap` (std's table says `new` makes one) whose `push`
    // takes `&mut self`; `collect::<Vec<_>>()` is a `Vec`; a `Range` is never `Copy`.
    check_fixture(
        r#"
//- /src/lib.rs
use std::collections::BinaryHeap;
use std::ops::Range;

pub fn heap(words: &[&str]) -> usize {
    let mut matches = BinaryHeap::new();
    let m = &mut matches;
    for &w in words {
        matches.push(w.len());
//      ^^^^^^^ E0499
    }
    m.len()
}

pub fn collected(v: &[u32]) -> Vec<u32> {
    let mut rv = v.iter().map(|x| x + 1).collect::<Vec<_>>();
    let m = &mut rv;
    rv.sort();
//  ^^ E0499
    m.push(1);
    rv
}

pub fn range_moved(r: Range<usize>) -> usize {
    drop(r);
    r.len()
//  ^ E0382
}
"#,
    );
}

#[test]
fn std_iterators_take_their_methods_from_iterator() {
    // `char_indices()`, `peekable()`, `lines()`, `enumerate()` make std iterators: `next` and
    // `peek` take `&mut self`; `&mut I` is an iterator itself, so `by_ref().enumerate()` keeps
    // the iterator borrowed for the loop, and a pattern of its items moves nothing out.
    check_fixture(
        r#"
//- /src/lib.rs
pub fn peeking(s: &str) -> usize {
    let mut iter = s.char_indices().peekable();
    let m = &mut iter;
    let mut n = 0;
    while let Some((idx, c)) = iter.next() {
//                             ^^^^ E0499
        n += idx;
        while let Some(&(_, next)) = iter.peek() {
//                                   ^^^^ E0499
            if next == c {
                break;
            }
            iter.next();
//          ^^^^ E0499
        }
    }
    m.next();
    n
}

pub fn by_ref(s: &str) -> usize {
    let mut lines = s.lines();
    let mut n = 0;
    for (i, l) in lines.by_ref().enumerate() {
        n += i + l.len();
        lines.next();
//      ^^^^^ E0499
    }
    n
}

pub struct Spliced<'a> {
    pub complete: String,
    pub highlights: Vec<Vec<&'a str>>,
}

pub fn zipped(spliced: Spliced<'_>) -> usize {
    let mut lines = spliced.complete.lines();
    let mut kept = Vec::new();
    for (pos, (line, parts)) in lines.by_ref().zip(spliced.highlights).enumerate() {
        if parts.is_empty() {
            kept.push((pos, line));
        }
    }
    kept.len() + lines.count()
}
"#,
    );
}

#[test]
fn guards_deref_to_what_they_guard() {
    // `lock().unwrap()` is a `MutexGuard`, `borrow_mut()` a `RefMut`: a `&mut self` method of
    // what they guard borrows the guard mutably (`DerefMut`).
    check_fixture(
        r#"
//- /src/lib.rs
use std::cell::RefCell;
use std::sync::Mutex;

pub struct Pool {
    stack: Mutex<Vec<u32>>,
    names: RefCell<Vec<String>>,
}

impl Pool {
    pub fn put(&self, v: u32) {
        let mut stack = self.stack.lock().unwrap();
        let m = &mut stack;
        stack.push(v);
//      ^^^^^ E0499
        m.clear();
    }

    pub fn name(&self) {
        let mut names = self.names.borrow_mut();
        let m = &mut names;
        names.push(String::new());
//      ^^^^^ E0499
        m.clear();
    }
}
"#,
    );
}

#[test]
fn a_borrow_through_a_shared_reference_does_not_keep_its_holder_borrowed() {
    // `&node_stack[i].0.children()[0]` borrows through the `&Arc<Node>` in the vector: rustc's
    // reborrow constraints stop at a shared reference, so `node_stack` is free again.
    check_fixture(
        r#"
//- /src/lib.rs
use std::sync::Arc;

pub struct Node {
    kids: Vec<Arc<Node>>,
}

impl Node {
    pub fn children(&self) -> &[Arc<Node>] {
        &self.kids
    }
}

pub fn walk(root: &Arc<Node>) -> usize {
    let mut node_stack: Vec<(&Arc<Node>, usize)> = Vec::new();
    node_stack.push((root, 0));
    node_stack.push((root, 0));
    let i = 0;
    let node = &node_stack[i].0.children()[0];
    node_stack[i + 1] = (node, 1);
    node_stack.len()
}
"#,
    );
}

#[test]
fn what_std_iterators_yield() {
    // `char_indices()` yields `(usize, char)`: `idx + c.len_utf8()` is a `usize`, so `end += 1`
    // under a `&mut end` reads it (E0503), as for any integer; `enumerate()` pairs an index with
    // what its base yields.
    check_fixture(
        r#"
//- /src/lib.rs
pub fn ends(s: &str) -> usize {
    let mut total = 0;
    for (idx, c) in s.char_indices() {
        let mut end = idx + c.len_utf8();
        let m = &mut end;
        end += 1;
//      ^^^^^^^^ E0503
        *m += 1;
        total += end;
    }
    total
}

pub fn counted(s: &str) -> usize {
    let mut it = s.chars().enumerate().peekable();
    let mut total = 0;
    while let Some((i, c)) = it.next() {
        let mut n = i + c.len_utf8();
        let m = &mut n;
        n += 1;
//      ^^^^^^ E0503
        *m += 1;
        total += n;
    }
    total
}
"#,
    );
}

#[test]
fn a_type_parameter_s_method_is_its_crate_trait_bound_s() {
    // `d.delete(..)` with `D: DiffHook` (inline or in `where`) is `DiffHook::delete`, which takes
    // `&mut self`. A by-value method through a reference stays unknown: the reference may
    // implement the trait itself (`impl<T: Buf> Buf for &mut T`), and rustc tries it first.
    check_fixture(
        r#"
//- /src/lib.rs
mod hook;
pub use hook::*;

pub fn conquer<D: DiffHook>(d: &mut D, n: usize) -> Result<(), ()> {
    let m = &mut *d;
    d.delete(n)?;
//  ^ E0499
    m.finish()
}

pub fn shared_first<D>(d: &mut D, n: usize) -> Result<(), ()>
where
    D: DiffHook + Clone,
{
    let m = &*d;
    d.delete(n)?;
//  ^^^^^^^^^^^ E0502
    let _ = m;
    Ok(())
}

pub fn through_a_reference<B: Buf>(b: &mut B) -> usize {
    (&mut *b).take_all()
}
//- /src/hook.rs
pub trait DiffHook {
    fn delete(&mut self, n: usize) -> Result<(), ()>;
    fn finish(&mut self) -> Result<(), ()> {
        Ok(())
    }
}

pub trait Buf {
    fn take_all(self) -> usize
    where
        Self: Sized,
    {
        0
    }
}

impl<T: Buf + ?Sized> Buf for &mut T {}
"#,
    );
}

// "lifetime may not live long enough": the function's lifetimes (those its caller chooses) must
// outlive one another only as its signature says (bounds, the implied bounds of its types).

#[test]
fn lifetimes_of_a_return_type_by_position() {
    // One error per lifetime that must outlive another: `(x, y)` as `(&'b, &'a)` needs both
    // ways; `(x, x)` as `(&'b, &'c)` reports only `'a: 'b`, rustc's first for `'a`.
    check_fixture(
        r#"
//- /src/lib.rs
pub fn swapped<'a, 'b>(x: &'a u32, y: &'b u32) -> (&'b u32, &'a u32) {
    (x, y)
//  ^^^^^^ lifetime
//  ^^^^^^ lifetime
}

pub fn twice<'a, 'b, 'c>(x: &'a u32) -> (&'b u32, &'c u32) {
    (x, x)
//  ^^^^^^ lifetime
}

pub fn in_place<'a, 'b>(x: &'a u32, y: &'b u32) -> (&'a u32, &'b u32) {
    (x, y)
}

pub fn through_a_local<'a, 'b>(x: &'a u32, y: &'b u32) -> &'b u32 {
    let t = (x, y);
    t.1
}

pub fn through_a_static<'a>(x: &'a u32, y: &'static u32) -> (&'a u32, &'static u32) {
    (x, y)
}
"#,
    );
}

#[test]
fn declared_bounds_between_lifetimes() {
    // `'a: 'b` in the generics or in `where` says what returning `&'a` as `&'b` needs; the other
    // way round is still an error.
    check_fixture(
        r#"
//- /src/lib.rs
pub fn inline<'a: 'b, 'b>(x: &'a u32) -> &'b u32 {
    x
}

pub fn in_where<'a, 'b, 'c>(x: &'a u32, y: &'b u32) -> (&'c u32, &'c u32)
where
    'a: 'b,
    'b: 'c,
{
    (x, y)
}

pub fn the_other_way<'a, 'b>(x: &'a u32, y: &'b u32) -> &'a u32
where
    'a: 'b,
{
    let _ = x;
    y
//  ^ lifetime
}
"#,
    );
}

#[test]
fn implied_bounds_of_the_signature() {
    // `&'a &'b T` and `&'a Holder<'b>` imply `'b: 'a`; so does a struct whose field is
    // `&'a &'b T` (rustc infers the struct's bound from it).
    check_fixture(
        r#"
//- /src/lib.rs
pub struct Holder<'b> {
    pub r: &'b u32,
}

pub struct Pair<'a, 'b> {
    pub x: &'a &'b u32,
}

pub fn through_a_reference<'a, 'b>(x: &'a &'b u32) -> &'a u32 {
    *x
}

pub fn through_a_struct<'a, 'b>(h: &'a Holder<'b>) -> &'a u32 {
    h.r
}

pub fn inferred_by_the_struct<'a, 'b>(p: Pair<'a, 'b>) -> &'a u32 {
    *p.x
}

pub fn not_implied<'a, 'b>(h: &'a Holder<'b>) -> &'b u32 {
    let r: &'a u32 = &h.r;
    r
//  ^ lifetime
}
"#,
    );
}

#[test]
fn lifetimes_read_through_self_and_fields() {
    // A field's type with the impl's lifetime arguments: `self.x` of a `Bar<'a>` is a `&'a`.
    // `Foo { x }` in `impl Foo<'static>` builds a `Foo<'static>` only from a `&'static`.
    check_fixture(
        r#"
//- /src/lib.rs
mod model;
use model::{Bar, Foo};

impl<'a> Bar<'a> {
    pub fn get<'b>(&self) -> &'b usize {
        self.x
//      ^^^^^^ lifetime
    }

    pub fn get_a(&self) -> &'a usize {
        self.x
    }
}

impl Foo<'static> {
    pub fn foo<'a>(x: &'a usize) -> Self {
        Foo { x }
//      ^^^^^^^^^ lifetime
    }

    pub fn forever(x: &'static usize) -> Self {
        Foo { x }
    }
}
//- /src/model.rs
pub struct Bar<'a> {
    pub x: &'a usize,
}

pub struct Foo<'a> {
    pub x: &'a usize,
}
"#,
    );
}

#[test]
fn lifetimes_of_self_and_of_anonymous_impl_lifetimes() {
    // `Self { field }` is the impl's `MyStruct<'_>`: the field's `'a` must outlive the impl's
    // lifetime (at the field: "this usage"), and the impl's must outlive the returned `'a`.
    // An assignment through `&mut self` stores a `Bar<'_>`'s reference into a field of another
    // lifetime.
    check_fixture(
        r#"
//- /src/lib.rs
pub struct MyStruct<'a> {
    field: &'a [u32],
}

impl MyStruct<'_> {
    pub fn new<'a>(field: &'a [u32]) -> MyStruct<'a> {
        Self { field }
//      ^^^^^^^^^^^^^^ lifetime
//             ^^^^^ lifetime
    }
}

impl<'a> MyStruct<'a> {
    pub fn build(field: &'a [u32]) -> Self {
        Self { field }
    }
}

pub struct Foo<'a, 'b> {
    pub x: &'a u32,
    pub y: &'b u32,
}

pub struct Bar<'b> {
    pub z: &'b u32,
}

impl Foo<'_, '_> {
    pub fn take_bar(&mut self, b: Bar<'_>) {
        self.y = b.z
//      ^^^^^^^^^^^^ lifetime
    }
}

pub struct Slot<'s> {
    pub bar: &'s mut u32,
}

impl Slot<'_> {
    pub fn new(bar: &mut u32) -> Self {
        Slot { bar }
//      ^^^^^^^^^^^^ lifetime
    }
}
"#,
    );
}

#[test]
fn lifetimes_of_annotated_locals() {
    // A `let` annotated with the function's lifetime has that lifetime, whatever it holds.
    check_fixture(
        r#"
//- /src/lib.rs
pub fn to_static<'a>(maybe: &'a Option<String>) -> &'static str {
    if maybe.is_none() {
        "(none)"
    } else {
        let s: &'a str = maybe.as_ref().unwrap();
        s
//      ^ lifetime
    }
}

pub fn to_own<'a>(maybe: &'a Option<String>) -> &'a str {
    if maybe.is_some() {
        let s: &'a str = maybe.as_ref().unwrap();
        s
    } else {
        "(none)"
    }
}
"#,
    );
}

#[test]
fn lifetimes_a_callee_relates() {
    // `foo`'s `where 'a: 'b` must hold of the lifetimes `bar` passes: `bar` does not say so.
    check_fixture(
        r#"
//- /src/lib.rs
fn foo<'a, 'b>(x: &'a u32, y: &'b u32) -> (&'a u32, &'b u32)
where
    'a: 'b,
{
    (x, y)
}

pub fn bar<'a, 'b>(x: &'a u32, y: &'b u32) -> (&'a u32, &'b u32) {
    foo(x, y)
//  ^^^^^^^^^ lifetime
}

pub fn bounded<'a: 'b, 'b>(x: &'a u32, y: &'b u32) -> (&'a u32, &'b u32) {
    foo(x, y)
}
"#,
    );
}

#[test]
fn lifetime_conflicts_rustc_words_otherwise() {
    // A named lifetime against a parameter's elided one is E0621 ("explicit lifetime
    // required"), data stored by a call into a `'static` place E0521 ("borrowed data escapes"):
    // not "lifetime may not live long enough". Neither is reported yet; `'static` against an
    // elided lifetime is.
    check_fixture_pending(
        r#"
//- /src/lib.rs
pub fn named<'a>(x: &u8) -> &'a u8 {
    x
//  ^ E0621
}

pub struct S<'a>(&'a u8);

impl<'a> S<'a> {
    pub fn from_param(&self, y: &u8) -> &'a u8 {
        y
//      ^ E0621
    }
}

pub fn escapes<'a>(x: &'a u8, v: &mut Vec<&'static u8>) {
    v.push(x);
//  ^^^^^^^^^ E0521
}
"#,
    );
    check_fixture(
        r#"
//- /src/lib.rs
pub fn to_static(x: &u8) -> &'static u8 {
    x
//  ^ lifetime
}
"#,
    );
}

#[test]
fn lifetimes_of_reborrows_patterns_and_bounds_of_types() {
    // `self.x` (a `&'a mut`) returned as a `&i32` is `&*self.x`, a reborrow through `&'b self`.
    // A pattern's annotation types the value it destructures. A struct's bound `'a: 'b` must
    // hold of what builds it, and of the self type a path to its impl names.
    check_fixture(
        r#"
//- /src/lib.rs
use std::cell::Cell;

pub struct Baz<'a> {
    x: &'a mut i32,
}

impl<'a> Baz<'a> {
    pub fn get<'b>(&'b self) -> &'a i32 {
        self.x
//      ^^^^^^ lifetime
    }

    pub fn get_b<'b>(&'b self) -> &'b i32 {
        self.x
    }
}

pub fn from_a_tuple<'a>(_x: &'a u32) -> &'static u32 {
    let (y, _z): (&'a u32, u32) = (&22, 44);
    y
//  ^ lifetime
}

pub fn into_a_tuple<'a>(x: &'a u32) -> &'static u32 {
    let (y, _z): (&'static u32, u32) = (x, 44);
//               ^^^^^^^^^^^^^^^^^^^ lifetime
    y
}

pub fn into_its_own<'a>(x: &'a u32) -> &'a u32 {
    let (y, _z): (&'a u32, u32) = (x, 44);
    y
}

pub struct Foo<'a: 'b, 'b> {
    pub x: Cell<&'a u32>,
    pub y: Cell<&'b u32>,
}

pub fn build<'a, 'b>(x: Cell<&'a u32>, y: Cell<&'b u32>) {
    Foo { x, y };
//           ^ lifetime
}

pub fn build_bounded<'a: 'b, 'b>(x: Cell<&'a u32>, y: Cell<&'b u32>) {
    Foo { x, y };
}

pub struct Pair<'a, 'b: 'a>(&'a &'b ());

impl<'a, 'b> Pair<'a, 'b> {
    pub fn xmute(_a: &'b ()) -> &'a () {
        &()
    }
}

pub fn foo<'a, 'b>(u: &'b ()) -> &'a () {
    Pair::xmute(u)
//  ^^^^^^^^^^^^^^ lifetime
}

pub fn foo_bounded<'a, 'b: 'a>(u: &'b ()) -> &'a () {
    Pair::xmute(u)
}
"#,
    );
}

#[test]
fn a_written_type_must_be_well_formed_once_per_lifetime() {
    // `&'static &'a u32` needs `'a: 'static`: one error for `'a`, at the type, even where `'a`
    // is returned as `'static` too.
    check_fixture(
        r#"
//- /src/lib.rs
pub fn annotated<'a>(x: &'a &'a u32) {
    let _y: &'static &'a u32 = x;
//          ^^^^^^^^^^^^^^^^ lifetime
}

pub fn and_returned<'a>(x: &'a u32, y: &'a &'a u32) -> &'static u32 {
    let _z: &'static &'a u32 = y;
//          ^^^^^^^^^^^^^^^^ lifetime
    x
}
"#,
    );
}

#[test]
fn lifetimes_through_coercions_aliases_and_std_wrappers() {
    // `&&T` returned as `&T` is `&**x`: the inner reference's lifetime (and the outer's up to
    // the first shared one) must outlive the result. A type alias stands for its type, with the
    // lifetimes it is given. `Box::new(x)` and `Some(x)` hold what they are given.
    check_fixture(
        r#"
//- /src/lib.rs
pub type Pair<'a, T> = (&'a T, &'a T);

pub fn inner<'a, 'b>(x: &'a &'b u32) -> &'a u32 {
    x
}

pub fn outer<'a, 'b, 'c>(x: &'a &'b u32) -> &'c u32 {
    x
//  ^ lifetime
}

pub fn through_mut<'a, 'b, 'c>(x: &'a &'b mut u32) -> &'c u32 {
    x
//  ^ lifetime
//  ^ lifetime
}

pub fn derefs<'a, 'b>(x: &'a mut &'b mut String) -> &'a str {
    x
}

pub fn pair<'a, 'b>(x: &'a u32, y: &'b u32) -> Pair<'a, u32> {
    (x, y)
//  ^^^^^^ lifetime
}

pub fn pair_ok<'a>(x: &'a u32) -> Pair<'a, u32> {
    (x, x)
}

pub fn boxed<'a, 'b>(x: &'a u32) -> Box<&'b u32> {
    Box::new(x)
//  ^^^^^^^^^^^ lifetime
}

pub fn some<'a, 'b: 'a>(x: &'b u32, y: &'a u32) -> (Option<&'a u32>, Option<&'b u32>) {
    (Some(x), Some(y))
//  ^^^^^^^^^^^^^^^^^^ lifetime
}
"#,
    );
}

#[test]
fn lifetimes_a_method_relates() {
    // A method of the crate relates its receiver's and arguments' lifetimes as its signature
    // says, in another file too.
    check_fixture(
        r#"
//- /src/lib.rs
mod parser;
use parser::P;

pub fn get<'a>(p: &P<'a>) -> &'a str {
    p.get()
}

pub fn get_other<'a, 'b>(p: &P<'a>) -> &'b str {
    p.get()
//  ^^^^^^^ lifetime
}

pub fn set<'a, 'b>(p: &mut P<'a>, s: &'b str) {
    p.set(s)
//  ^^^^^^^^ lifetime
}

pub fn set_own<'a>(p: &mut P<'a>, s: &'a str) {
    p.set(s)
}
//- /src/parser.rs
pub struct P<'a> {
    s: &'a str,
}

impl<'a> P<'a> {
    pub fn get(&self) -> &'a str {
        self.s
    }

    pub fn set(&mut self, s: &'a str) {
        self.s = s;
    }
}
"#,
    );
}

#[test]
fn a_derived_default_of_another_file_gives_its_type() {
    check_fixture(
        r#"
//- /src/lib.rs
mod gather;

#[derive(Debug, Default)]
struct Errors(Vec<String>);

impl Errors {
    fn push(&mut self, e: String) {
        self.0.push(e);
    }
    fn into_option(self) -> Option<String> {
        self.0.into_iter().next()
    }
}

pub fn all_fine(lines: &[&str]) -> Option<String> {
    gather::first_error(lines)
}
//- /src/gather.rs
use crate::Errors;

pub fn first_error(lines: &[&str]) -> Option<String> {
    let mut errs = Errors::default();
    for line in lines {
        errs.push(line.to_string());
        errs.push(String::new());
    }
    let pending = &mut errs;
    errs.push(String::from("last"));
//  ^^^^ E0499
    pending.push(String::new());
    errs.into_option()
}
"#,
    );
}

#[test]
fn a_generic_alias_of_another_file_stands_for_the_type_it_names() {
    // `Result<u16>` is `core::result::Result<u16, Error>`: `Ok(v)`, `?` and the crate's own
    // `tri!` (serde_json's) give a `u16`, whose read while borrowed is E0503.
    check_fixture(
        r#"
//- /src/lib.rs
macro_rules! tri {
    ($e:expr $(,)?) => {
        match $e {
            core::result::Result::Ok(val) => val,
            core::result::Result::Err(err) => return core::result::Result::Err(err),
        }
    };
}

mod error;
mod read;
//- /src/error.rs
#[derive(Debug)]
pub struct Error;

pub type Result<T> = core::result::Result<T, Error>;
//- /src/read.rs
use crate::error::Result;

pub trait Read {
    fn decode(&mut self) -> Result<u16>;
}

fn decode() -> Result<u16> {
    Ok(1)
}

pub fn by_match() -> Result<()> {
    let mut n = match decode() {
        Ok(v) => v,
        Err(e) => return Err(e),
    };
    let m = &mut n;
    if n > 3 {}
//     ^ E0503
    let _ = &m;
    Ok(())
}

pub fn by_question_mark() -> Result<()> {
    let mut n = decode()?;
    let m = &mut n;
    if n > 3 {}
//     ^ E0503
    let _ = &m;
    Ok(())
}

pub fn by_the_crates_macro<R: Read>(r: &mut R) -> Result<()> {
    let mut n = tri!(r.decode());
    let m = &mut n;
    if validated(n) {}
//               ^ E0503
    let _ = &m;
    Ok(())
}

fn validated(n: u16) -> bool {
    n > 3
}
"#,
    );
}

#[test]
fn a_generic_alias_gives_its_arguments_where_its_parameters_go() {
    // `Parsed<String>` is `(usize, String)`: its second field is moved, not copied (E0505),
    // and the first is copied (E0503).
    check_fixture(
        r#"
//- /src/lib.rs
mod parse;

pub fn first(p: parse::Parsed<String>) {
    let mut p = p;
    let r = &mut p;
    let s = p.1;
//          ^^^ E0505
    let _ = &r;
    drop(s);
}

pub fn second(p: parse::Parsed<String>) {
    let mut p = p;
    let r = &mut p;
    let n = p.0;
//          ^^^ E0503
    let _ = &r;
    drop(n);
}
//- /src/parse.rs
pub type Parsed<T> = (usize, T);
"#,
    );
}

#[test]
fn a_match_or_if_has_the_type_of_its_branches_that_do_not_diverge() {
    // `n` is a `u16` (`Ok(v) => v`, the other arm returns), `s` a `String` (the arm's `v` is
    // the pattern's, not the `u8` of the same name around it): reading `n` while it is
    // borrowed is E0503, moving `s` E0505.
    check_fixture(
        r#"
fn decode() -> Result<u16, ()> {
    Ok(1)
}

pub fn by_match() -> Result<(), ()> {
    let mut n = match decode() {
        Ok(v) => v,
        Err(e) => return Err(e),
    };
    let m = &mut n;
    if n > 3 {}
//     ^ E0503
    let _ = &m;
    Ok(())
}

pub fn by_if_let(o: Option<u16>) {
    let mut n = if let Some(v) = o { v } else { panic!("none") };
    let m = &mut n;
    if n > 3 {}
//     ^ E0503
    let _ = &m;
}

pub fn shadowed(o: Option<String>) {
    let v = 1u8;
    let mut s = match o {
        Some(v) => v,
        None => String::new(),
    };
    let m = &mut s;
    let t = s;
//          ^ E0505
    let _ = &m;
    drop((t, v));
}
"#,
    );
}

#[test]
fn a_mutable_reference_passed_where_one_is_expected_is_reborrowed_two_phase() {
    // rustc coerces a `&mut` argument to the `&mut T` parameter by a two-phase reborrow
    // (`&mut *w`): reserved at the argument (E0499 there against a live `&mut`), activated at
    // the call (E0502 there against a live `&`). The callee's parameter is read from another
    // file; `read` takes `&Writer`, whose coercion is not modelled: silent.
    check_fixture(
        r#"
//- /src/lib.rs
mod writer;
use writer::{take, Writer};

pub fn shared_then_call(w: &mut Writer) {
    let s = &w;
    take(w, 1);
//  ^^^^^^^^^^ E0502
    let _ = &s;
}

pub fn mutable_then_call(mut w: &mut Writer) {
    let m = &mut w;
    take(w, 1);
//       ^ E0499
    let _ = &m;
}

pub fn through_a_method(w: &mut Writer, o: &writer::Sink) {
    let s = &*w;
    o.write(w);
//  ^^^^^^^^^^ E0502
    let _ = s;
}

pub fn given_by_value(w: &mut Writer) {
    let s = &w;
    let n = w.n;
    let _ = &s;
    writer::read(w, n);
}
//- /src/writer.rs
pub struct Writer {
    pub n: u8,
}

pub struct Sink;

impl Sink {
    pub fn write(&self, w: &mut Writer) {
        w.n += 1;
    }
}

pub fn take(w: &mut Writer, k: u8) {
    w.n = k;
}

pub fn read(w: &Writer, k: u8) -> bool {
    w.n == k
}
"#,
    );
}

#[test]
fn an_assignment_to_the_wildcard_only_mentions_its_place() {
    // `_ = s;` is `let _ = s;`: `s` is not moved (syn's `bracketed!` writes `_ = $content;`
    // and the caller uses `content` after), and mentioning a moved place is no use of it.
    check_fixture(
        r#"
pub fn mentioned(s: String) -> usize {
    _ = s;
    s.len()
}

pub fn moved_then_mentioned(s: String) -> usize {
    let t = s;
    _ = s;
    t.len()
}

pub fn an_rvalue_is_evaluated(v: &mut Vec<u8>) -> usize {
    _ = v.pop();
    v.len()
}
"#,
    );
}

#[test]
fn a_std_traits_method_on_a_type_parameter_and_std_s_mut_parameters() {
    // `it.next()` on `I: Iterator` is `Iterator::next(&mut self)`: a parameter has no inherent
    // method, and two bounds with a `next` would be ambiguous. `Vec::append(&mut self, other:
    // &mut Vec<T>)` reborrows its argument two-phase, as a crate's function does.
    check_fixture(
        r#"
pub fn next_while_borrowed<I: Iterator<Item = u8>>(mut it: I) -> Option<u8> {
    let m = &mut it;
    let first = it.next();
//              ^^ E0499
    let _ = &m;
    first
}

pub fn next_through_shared<I: Iterator<Item = u8>>(mut it: I) -> Option<u8> {
    let s = &it;
    let first = it.next();
//              ^^^^^^^^^ E0502
    let _ = &s;
    first
}

pub fn append(v: &mut Vec<u8>, other: &mut Vec<u8>) {
    let s = &other;
    v.append(other);
//  ^^^^^^^^^^^^^^^ E0502
    let _ = &s;
}

pub fn append_after(v: &mut Vec<u8>, other: &mut Vec<u8>) -> usize {
    let n = other.len();
    v.append(other);
    n + other.len()
}
"#,
    );
}

#[test]
fn a_field_read_through_std_s_smart_pointers_and_guards_has_the_field_s_type() {
    // `Ref<Nfa>` and `Rc<Nfa>` have no public field: `.memory_extra` and `.name` are `Nfa`'s,
    // a `usize` (read while borrowed: E0503) and a `String` (moved while borrowed: E0505).
    check_fixture(
        r#"
use std::cell::RefCell;
use std::rc::Rc;

pub struct Nfa {
    pub memory_extra: usize,
    pub name: String,
}

pub struct Compiler {
    nfa: RefCell<Nfa>,
    shared: Rc<Nfa>,
}

impl Compiler {
    pub fn through_ref(&self) {
        let mut extra = self.nfa.borrow().memory_extra;
        let m = &mut extra;
        extra += 1;
//      ^^^^^^^^^^ E0503
        let _ = &m;
    }

    pub fn through_rc(&self) -> String {
        let name = self.shared.name.clone();
        let r = &name;
        let moved = name;
//                  ^^^^ E0505
        let _ = r.len();
        moved
    }
}
"#,
    );
}

#[test]
fn a_by_value_method_of_a_type_is_found_before_its_reference_s_impl() {
    // `impl IntoIterator for Map` and `for &Map` both define `into_iter`: on a `Map` by value,
    // rustc's probe meets `Map`'s first (its `IntoIter::next` takes `&mut self`: E0499); on a
    // `&Map`, the reference's impl, which is not modelled: silent.
    check_fixture(
        r#"
//- /src/lib.rs
mod map;
use map::Map;

pub fn first(m: Map) -> Option<(String, u8)> {
    let mut iter = m.into_iter();
    let b = &mut iter;
    let f = iter.next();
//          ^^^^ E0499
    let _ = &b;
    f
}

pub fn first_of_a_reference(m: &Map) -> usize {
    let iter = m.into_iter();
    let n = iter.len();
    drop(iter);
    n + m.into_iter().len()
}
//- /src/map.rs
pub struct Map {
    v: Vec<(String, u8)>,
}

pub struct IntoIter {
    iter: std::vec::IntoIter<(String, u8)>,
}

impl Iterator for IntoIter {
    type Item = (String, u8);
    fn next(&mut self) -> Option<Self::Item> {
        self.iter.next()
    }
}

impl IntoIterator for Map {
    type Item = (String, u8);
    type IntoIter = IntoIter;
    fn into_iter(self) -> IntoIter {
        IntoIter { iter: self.v.into_iter() }
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = &'a (String, u8);
    type IntoIter = std::slice::Iter<'a, (String, u8)>;
    fn into_iter(self) -> Self::IntoIter {
        self.v.iter()
    }
}
"#,
    );
}

#[test]
fn a_mutable_reference_given_to_a_shared_parameter_is_reborrowed_shared() {
    // rustc coerces `&mut Writer` to the `&Writer` parameter by `&*w`, a shared borrow of
    // `*w` at the argument: E0502 against a live `&mut` of `w`, of `*w` or of a field.
    check_fixture(
        r#"
pub struct Writer {
    pub n: u8,
}

fn read(w: &Writer, k: u8) -> bool {
    w.n == k
}

pub fn binding_borrowed(mut w: &mut Writer) {
    let m = &mut w;
    read(w, 1);
//       ^ E0502
    let _ = &m;
}

pub fn pointee_borrowed(w: &mut Writer) {
    let m = &mut *w;
    read(w, 1);
//       ^ E0502
    let _ = m;
}

pub fn field_borrowed(w: &mut Writer) {
    let m = &mut w.n;
    read(w, 1);
//       ^ E0502
    *m = 2;
}

pub fn shared_twice(w: &mut Writer) {
    let s = &w;
    read(w, 1);
    let _ = &s;
}
"#,
    );
}
