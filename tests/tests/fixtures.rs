//! Borrow-check fixtures: real Rust programs with `//~ ERROR` markers where rustc 1.95 reports an
//! error. Accepted programs use `check_diagnostics`; error fixtures use
//! `check_diagnostics_pending` until the analysis reports them (then flip them). Run with
//! `BORROWLENS_FIXTURES_RUSTC=1` to have rustc confirm every marker.

use borrowlens_tests::{check_diagnostics, check_diagnostics_pending};

// Programs rustc accepts: nothing may be reported.

#[test]
fn nll_a_borrow_ends_at_its_last_use() {
    check_diagnostics(
        r#"
fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0];
    println!("{first}");
    v.push(4);
}
"#,
    );
}

#[test]
fn two_phase_borrow_of_the_receiver() {
    check_diagnostics(
        r#"
fn main() {
    let mut v = vec![1, 2, 3];
    v.push(v.len());
    let mut s = String::new();
    s.push_str(&s.clone());
    println!("{v:?} {s}");
}
"#,
    );
}

#[test]
fn disjoint_fields_borrow_apart() {
    check_diagnostics(
        r#"
struct Point {
    x: i32,
    y: i32,
}

fn main() {
    let mut p = Point { x: 1, y: 2 };
    let x = &mut p.x;
    let y = &mut p.y;
    *x += 1;
    *y += 1;
    println!("{} {}", p.x, p.y);
}
"#,
    );
}

#[test]
fn reborrows_end_before_the_original_is_used_again() {
    check_diagnostics(
        r#"
fn extend(v: &mut Vec<i32>) {
    let r = &mut *v;
    r.push(1);
    v.push(2);
    let shared = &*v;
    println!("{}", shared.len());
    v.push(3);
}

fn main() {
    let mut v = Vec::new();
    extend(&mut v);
    extend(&mut v);
}
"#,
    );
}

#[test]
fn split_at_mut_gives_two_mutable_halves() {
    check_diagnostics(
        r#"
fn main() {
    let mut v = [1, 2, 3, 4];
    let (left, right) = v.split_at_mut(2);
    left[0] += right[0];
    right[1] += left[1];
    println!("{v:?}");
}
"#,
    );
}

#[test]
fn rest_patterns_on_arrays_move_exactly_their_elements() {
    check_diagnostics(
        r#"
fn array() -> [(String, String); 3] {
    Default::default()
}

fn main() {
    let a = array();
    let [_x, _, _] = a;
    let [_, _y @ ..] = a;
    let b = array();
    let [_p @ .., _] = b;
    let [.., _q] = b;
    let c = array();
    let [_r, _, _] = c;
    let [_s @ .., _, _] = c; //~ ERROR E0382
    let d = array();
    let [_t @ .., _] = d;
    let [_, _u @ ..] = d; //~ ERROR E0382
}
"#,
    );
}

#[test]
fn writes_through_const_pointers_in_unsafe_code() {
    check_diagnostics(
        r#"
unsafe fn through_const(x: *const (i32,), y: *mut (i32,)) {
    *x = (1,); //~ ERROR E0594
    *y = (1,);
    let _r = &mut *y;
}

fn in_a_block(p: *const i32, q: *mut i32) {
    unsafe {
        *p = 1; //~ ERROR E0594
        let _r = &mut *p; //~ ERROR E0596
        *q = 2;
    }
}

fn main() {}
"#,
    );
}

#[test]
fn fn_closures_cannot_mutate_their_captures() {
    check_diagnostics(
        r#"
fn call<F: Fn()>(f: F) {
    f()
}
fn call_mut<F>(mut f: F)
where
    F: FnMut(),
{
    f()
}
fn call_impl(f: impl Fn() -> i32) -> i32 {
    f()
}

fn main() {
    let mut n = 0;
    let mut pair = (0, 0);
    call(|| n += 1); //~ ERROR E0594
    call(move || pair.0 = 1); //~ ERROR E0594
    call_mut(|| n += 1);
    call_mut(|| pair.1 = 2);
    call_impl(|| {
        let r = &mut n; //~ ERROR E0596
        *r
    });
    call(|| println!("{n} {pair:?}"));
}
"#,
    );
}

#[test]
fn slice_pattern_elements_conflict_as_rustc_places_them() {
    check_diagnostics(
        r#"
fn nop(_s: &[&i32]) {}
fn nop_subslice(_s: &[i32]) {}

fn from_both_ends(s: &mut [i32]) {
    if let [.., _, ref from_end4, ref from_end3, _, ref from_end1] = *s {
        if let [_, ref mut from_begin1, ..] = *s { //~ ERROR E0502
            nop(&[from_begin1, from_end1, from_end3, from_end4]);
        }
        if let [ref mut from_begin0, ..] = *s {
            nop(&[from_begin0, from_end1, from_end3, from_end4]);
        }
    }
}

fn element_and_rest(s: &mut [i32]) {
    if let [ref first, ref second, ..] = *s {
        if let [_, ref mut tail @ ..] = *s { //~ ERROR E0502
            nop(&[first, second]);
            nop_subslice(tail);
        }
    }
    if let [ref first, ..] = *s {
        if let [_, ref mut tail @ ..] = *s {
            nop(&[first]);
            nop_subslice(tail);
        }
    }
}

fn main() {}
"#,
    );
}

#[test]
fn copy_types_are_copied_not_moved() {
    check_diagnostics(
        r#"
#[derive(Clone, Copy, Debug)]
struct Meters(f64);

fn main() {
    let x = 5;
    let y = x;
    let m = Meters(1.5);
    let n = m;
    let pair = (x, 'c');
    let copy = pair;
    println!("{x} {y} {m:?} {n:?} {pair:?} {copy:?}");
}
"#,
    );
}

#[test]
fn a_moved_variable_can_be_assigned_again() {
    check_diagnostics(
        r#"
fn main() {
    let mut s = String::from("a");
    let t = s;
    s = String::from("b");
    println!("{s} {t}");
    let mut v = vec![1];
    for _ in 0..3 {
        let taken = v;
        v = taken.into_iter().chain([2]).collect();
    }
    println!("{v:?}");
}
"#,
    );
}

#[test]
fn closures_capture_disjoint_fields_in_2021() {
    check_diagnostics(
        r#"
struct Pair {
    a: Vec<i32>,
    b: Vec<i32>,
}

fn main() {
    let mut p = Pair { a: vec![], b: vec![] };
    let mut c = || p.a.push(1);
    p.b.push(2);
    c();
}
"#,
    );
}

#[test]
fn borrows_in_loops_and_matches() {
    check_diagnostics(
        r#"
fn main() {
    let mut words = vec![String::from("a"), String::from("b")];
    for w in words.iter_mut() {
        w.push('!');
    }
    let mut longest = &words[0];
    for w in &words {
        if w.len() > longest.len() {
            longest = w;
        }
    }
    println!("{longest}");
    if let Some(last) = words.last_mut() {
        last.clear();
    }
    match words.first() {
        Some(first) => println!("{first}"),
        None => words.push(String::new()),
    }
}
"#,
    );
}

// Programs rustc rejects. Pending until the analysis reports them; flip each to
// `check_diagnostics` when it passes.

#[test]
fn e0499_two_mutable_borrows() {
    check_diagnostics(
        r#"
fn main() {
    let mut x = 5;
    let a = &mut x;
    let b = &mut x; //~ ERROR E0499
    *a += 1;
    *b += 1;
}
"#,
    );
}

#[test]
fn e0499_two_phase_does_not_allow_a_mutable_argument() {
    check_diagnostics(
        r#"
fn main() {
    let mut v = vec![1];
    v.push(v.pop().unwrap()); //~ ERROR E0499
}
"#,
    );
}

#[test]
fn e0499_closures_capture_whole_variables_before_2021() {
    check_diagnostics(
        r#"
//@ edition:2018
struct Pair {
    a: Vec<i32>,
    b: Vec<i32>,
}

fn main() {
    let mut p = Pair { a: vec![], b: vec![] };
    let mut c = || p.a.push(1);
    p.b.push(2); //~ ERROR E0499
    c();
}
"#,
    );
}

#[test]
fn e0499_nll_rejects_a_conditional_return_of_a_borrow() {
    // NLL problem case #3: accepted by Polonius, rejected by rustc today.
    check_diagnostics(
        r#"
use std::collections::HashMap;

fn get_default(map: &mut HashMap<i32, String>, key: i32) -> &mut String {
    match map.get_mut(&key) {
        Some(value) => value,
        None => {
            map.insert(key, String::new()); //~ ERROR E0499
            map.get_mut(&key).unwrap() //~ ERROR E0499
        }
    }
}
"#,
    );
}

#[test]
fn e0502_mutation_while_shared_borrow_is_live() {
    check_diagnostics(
        r#"
fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0];
    v.push(4); //~ ERROR E0502
    println!("{first}");
}
"#,
    );
}

#[test]
fn e0502_mutating_the_collection_being_iterated() {
    check_diagnostics(
        r#"
fn main() {
    let mut v = vec![1, 2, 3];
    for x in &v {
        if *x > 1 {
            v.push(*x); //~ ERROR E0502
        }
    }
}
"#,
    );
}

#[test]
fn e0505_move_out_while_borrowed() {
    check_diagnostics(
        r#"
fn main() {
    let s = String::from("a");
    let r = &s;
    let t = s; //~ ERROR E0505
    println!("{r} {t}");
}
"#,
    );
}

#[test]
fn e0506_assignment_to_a_borrowed_variable() {
    check_diagnostics(
        r#"
fn main() {
    let mut x = 1;
    let r = &x;
    x = 2; //~ ERROR E0506
    println!("{r} {x}");
}
"#,
    );
}

#[test]
fn e0382_use_after_move() {
    check_diagnostics(
        r#"
fn consume(_: Vec<i32>) {}

fn main() {
    let v = vec![1];
    consume(v);
    println!("{}", v.len()); //~ ERROR E0382
    let s = String::new();
    for _ in 0..2 {
        drop(s); //~ ERROR E0382
    }
}
"#,
    );
}

#[test]
fn e0597_borrowed_value_does_not_live_long_enough() {
    check_diagnostics(
        r#"
fn main() {
    let r;
    {
        let x = 5;
        r = &x; //~ ERROR E0597
    }
    println!("{r}");
}
"#,
    );
}

#[test]
fn e0596_borrow_as_mutable_without_mut() {
    check_diagnostics(
        r#"
fn main() {
    let v = Vec::new();
    v.push(1); //~ ERROR E0596
    println!("{v:?}");
}

fn through_shared(s: &String) {
    s.push('x'); //~ ERROR E0596
}
"#,
    );
}

#[test]
fn e0384_assign_twice_to_immutable() {
    check_diagnostics(
        r#"
fn main() {
    let x = 1;
    println!("{x}");
    x = 2; //~ ERROR E0384
    println!("{x}");
}
"#,
    );
}

#[test]
fn e0716_temporary_dropped_while_borrowed() {
    check_diagnostics(
        r#"
fn main() {
    let s: &str = String::from("temp").as_str(); //~ ERROR E0716
    println!("{s}");
}
"#,
    );
}

#[test]
fn e0507_move_out_of_a_borrow() {
    check_diagnostics(
        r#"
fn main() {
    let v = vec![String::from("a")];
    let s = v[0]; //~ ERROR E0507
    let r = &v;
    let t = *r; //~ ERROR E0507
    println!("{s} {t:?}");
}
"#,
    );
}

#[test]
fn e0373_closure_may_outlive_the_function() {
    // FIXME: `thread::spawn`'s `'static` bound is not in the std table yet, so nothing is reported.
    check_diagnostics_pending(
        r#"
fn main() {
    let v = vec![1];
    let handle = std::thread::spawn(|| { //~ ERROR E0373
        println!("{v:?}");
    });
    handle.join().unwrap();
}
"#,
    );
}

#[test]
fn e0515_returning_a_reference_to_a_local() {
    check_diagnostics(
        r#"
fn longest() -> &'static str {
    let s = String::from("local");
    &s //~ ERROR E0515
}
"#,
    );
}

#[test]
fn lifetime_may_not_live_long_enough() {
    check_diagnostics(
        r#"
fn pick<'a, 'b>(x: &'a i32, y: &'b i32) -> &'a i32 {
    let _ = x;
    y //~ ERROR lifetime
}
"#,
    );
}

#[test]
fn e0503_use_while_mutably_borrowed() {
    check_diagnostics(
        r#"
fn main() {
    let mut x = 5;
    let r = &mut x;
    let y = x + 1; //~ ERROR E0503
    *r += y;
}
"#,
    );
}

#[test]
fn e0381_use_of_an_uninitialized_binding() {
    check_diagnostics(
        r#"
fn main() {
    let x: i32;
    let c = std::env::args().count() > 1;
    if c {
        x = 1;
    }
    println!("{x}"); //~ ERROR E0381
}
"#,
    );
}

#[test]
fn e0594_assign_through_a_shared_reference() {
    check_diagnostics(
        r#"
struct Point {
    x: i32,
}

fn reset(p: &Point) {
    p.x = 0; //~ ERROR E0594
}

fn main() {
    let p = Point { x: 1 };
    reset(&p);
}
"#,
    );
}

#[test]
fn e0597_a_pushed_borrow_outlives_its_value() {
    check_diagnostics(
        r#"
fn main() {
    let mut v: Vec<&String> = Vec::new();
    {
        let s = String::from("x");
        v.push(&s); //~ ERROR E0597
    }
    println!("{v:?}");
}
"#,
    );
}

#[test]
fn e0716_a_pushed_temporary() {
    check_diagnostics(
        r#"
fn id<T>(x: T) -> T {
    x
}

fn main() {
    let mut v = Vec::new();
    v.push(&id(1)); //~ ERROR E0716
    println!("{v:?}");
}
"#,
    );
}

#[test]
fn pushing_owned_values_borrows_nothing() {
    check_diagnostics(
        r#"
fn main() {
    let mut v = Vec::new();
    {
        let s = String::from("x");
        v.push(s.clone());
        v.push(s);
    }
    println!("{v:?}");
}
"#,
    );
}

#[test]
fn annotations_with_lifetimes_that_outlive_the_body() {
    check_diagnostics(
        r#"
struct Single<T> {
    value: T,
}

struct Pair<'a> {
    a: &'a u32,
}

fn named<'a>(_d: &'a u32) {
    let c = 66;
    let _y: &'a u32 = &c; //~ ERROR E0597
}

fn named_ok<'a>(d: &'a u32) -> u32 {
    let y: &'a u32 = d;
    let c = 1;
    let z: &u32 = &c;
    *y + *z
}

fn whole_types() {
    let x = 22;
    let _: &'static u32 = &x; //~ ERROR E0597
    let y = 23;
    let (_, _): (&'static u32, u32) = (&y, 44); //~ ERROR E0597
    let z = 24;
    let Single { value: _w }: Single<&'static u32> = Single { value: &z }; //~ ERROR E0597
    let _v: Vec<&'static String> = vec![&String::new()]; //~ ERROR E0716
}

fn whole_types_ok() -> u32 {
    let x = 22;
    let _: &u32 = &x;
    let (a, _): (&u32, u32) = (&x, 44);
    let Single { value: b }: Single<&u32> = Single { value: &x };
    let _c: (&'static str, &u32) = ("a", &x);
    let _d: Pair<'_> = Pair { a: &x };
    let _e: Vec<&'static u32> = vec![&22];
    *a + *b
}

impl<'a> Pair<'a> {
    fn impl_lifetime(&self) {
        let c = 1;
        let _r: &'a u32 = &c; //~ ERROR E0597
    }

    fn impl_lifetime_ok(&self) -> u32 {
        let r: &'a u32 = self.a;
        *r
    }
}

fn in_a_closure<'a>(_d: &'a u32) {
    let _f = || {
        let c = 1;
        let _r: &'a u32 = &c; //~ ERROR E0597
    };
}

fn main() {}
"#,
    );
}

#[test]
fn generic_constructors_hold_what_they_are_given() {
    check_diagnostics(
        r#"
#[derive(Debug)]
struct D<T: std::fmt::Debug>(T);

impl<T: std::fmt::Debug> Drop for D<T> {
    fn drop(&mut self) {
        println!("dropping {:?}", self);
    }
}

impl<T: std::fmt::Debug> D<T> {
    fn end(&self) -> String {
        format!("End({:?})", self.0)
    }
}

struct Wrap<T> {
    inner: T,
}

enum Either<L, R> {
    Left(L),
    Right(R),
}

fn tail_temporary_with_a_destructor() -> String {
    let t = D(Box::new("t"));
    D(&t).end() //~ ERROR E0597
}

fn tail_temporary_bound_first() -> String {
    let t = D(Box::new("t"));
    let s = D(&t).end();
    s
}

fn fields_of_generic_structs() {
    let mut v = vec![1];
    let w = Wrap { inner: &v };
    v.push(2); //~ ERROR E0502
    println!("{}", w.inner.len());
    let e: Either<&Vec<i32>, u8> = Either::Left(&v);
    v.push(3); //~ ERROR E0502
    if let Either::Left(r) = e {
        println!("{}", r.len());
    }
    let n = Wrap { inner: v.len() };
    v.push(4);
    println!("{}", n.inner);
}

fn main() {
    let _ = tail_temporary_bound_first();
    fields_of_generic_structs();
}
"#,
    );
}

#[test]
fn temporaries_of_tails_and_conditions_die_where_rustc_drops_them() {
    // Edition 2021: a tail's temporaries outlive the block's locals, except in the operands of
    // `&&`/`||`, `if`/`while` conditions and `while let` scrutinees.
    check_diagnostics(
        r#"
#[derive(Debug)]
struct D<T: std::fmt::Debug>(T);
impl<T: std::fmt::Debug> Drop for D<T> {
    fn drop(&mut self) { println!("dropping {:?}", self); }
}
impl<T: std::fmt::Debug> D<T> {
    fn ok(&self) -> bool { true }
    fn n(&self) -> Option<u32> { None }
}
fn a() -> bool { let t = D(1); if D(&t).ok() { true } else { false } }
fn b() { let t = D(1); while D(&t).ok() { break; } }
fn c() -> u32 { let t = D(1); match D(&t).n() { Some(x) => x, None => 0 } } //~ ERROR E0597
fn d() -> u32 { let t = D(1); if let Some(x) = D(&t).n() { x } else { 0 } } //~ ERROR E0597
fn e() { let t = D(1); while let Some(_) = D(&t).n() { } }
fn f() -> bool { let t = D(1); D(&t).ok() && true }
fn g() -> bool { let t = D(1); let r = D(&t).ok(); r }
fn h() -> u32 { let t = D(1); loop { if D(&t).ok() { break 1; } } }
fn i() -> bool { let t = D(1); { D(&t).ok() } } //~ ERROR E0597
fn j() -> Option<u32> { let t = D(1); Some(D(&t).n()?) } //~ ERROR E0597
fn main() {}
"#,
    );
}

#[test]
fn edition_2024_drops_tail_temporaries_before_locals() {
    check_diagnostics(
        r#"
//@ edition:2024
#[derive(Debug)]
struct D<T: std::fmt::Debug>(T);
impl<T: std::fmt::Debug> Drop for D<T> {
    fn drop(&mut self) { println!("dropping {:?}", self); }
}
impl<T: std::fmt::Debug> D<T> {
    fn ok(&self) -> bool { true }
    fn n(&self) -> Option<u32> { None }
}
fn a() -> bool { let t = D(1); if D(&t).ok() { true } else { false } }
fn b() { let t = D(1); while D(&t).ok() { break; } }
fn c() -> u32 { let t = D(1); match D(&t).n() { Some(x) => x, None => 0 } }
fn d() -> u32 { let t = D(1); if let Some(x) = D(&t).n() { x } else { 0 } }
fn e() { let t = D(1); while let Some(_) = D(&t).n() { } }
fn f() -> bool { let t = D(1); D(&t).ok() && true }
fn g() -> bool { let t = D(1); let r = D(&t).ok(); r }
fn h() -> u32 { let t = D(1); loop { if D(&t).ok() { break 1; } } }
fn i() -> bool { let t = D(1); { D(&t).ok() } }
fn j() -> Option<u32> { let t = D(1); Some(D(&t).n()?) }
fn main() {}
"#,
    );
}

#[test]
fn type_parameters_bounded_by_the_crates_traits() {
    check_diagnostics(
        r#"
trait Plain {}
trait Tagged: Plain + std::fmt::Debug {}
trait Small: Copy {}
trait Sub: Small {}
trait Sized2
where
    Self: Copy,
{
}

fn plain<T: Plain>(t: T) -> (T, T) {
    (t, t) //~ ERROR E0382
}

fn tagged<T>(t: T) -> (T, T)
where
    T: Tagged,
{
    (t, t) //~ ERROR E0382
}

fn small<T: Small>(t: T) -> (T, T) {
    (t, t)
}

fn sub<T: Sub>(t: T) -> (T, T) {
    (t, t)
}

fn where_self<T: Sized2>(t: T) -> (T, T) {
    (t, t)
}

fn main() {}
"#,
    );
}

#[test]
fn bindings_in_variant_patterns_have_the_variants_field_types() {
    check_diagnostics(
        r#"
#[derive(Debug)]
struct S;

enum E<T> {
    V { s: S, n: u32 },
    W(T, u8),
}

fn take<T>(_: T) {}

fn main() {
    let s = Some(S);
    if let Some(x) = s {
        take(x);
    }
    take(s); //~ ERROR E0382
    let e: E<u8> = E::V { s: S, n: 1 };
    if let E::V { n, .. } = e {
        take(n);
    }
    let E::V { s: y, .. } = e else { return };
    take(y);
    take(e); //~ ERROR E0382
    let w = E::W(String::new(), 1);
    if let E::W(_, k) = w {
        take(k);
    }
    let r: Result<u32, String> = Ok(1);
    if let Ok(v) = r {
        take(v);
    }
    take(r);
    let q: Result<u32, String> = Err(String::new());
    if let Err(m) = q {
        take(m);
    }
    take(q); //~ ERROR E0382
    let u = E::W(String::new(), 1);
    if let E::W(z, _) = u {
        take(z);
    }
    take(u); //~ ERROR E0382
}
"#,
    );
}

#[test]
fn the_crates_generic_deref_impls() {
    check_diagnostics(
        r#"
use std::ops::{Deref, DerefMut};

struct Own<T> {
    value: Box<T>,
}

impl<T> Deref for Own<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for Own<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

struct ReadOnly<T>(T);

impl<T> Deref for ReadOnly<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

struct Point {
    x: i32,
    y: i32,
}

impl Point {
    fn set(&mut self, x: i32) {
        self.x = x;
    }
}

fn immutable_binding(x: Own<Point>) {
    let _r = &mut x.y; //~ ERROR E0596
}

fn mutable_binding(mut x: Own<Point>) {
    let _r = &mut x.y;
    x.set(1);
}

fn behind_shared(x: &Own<Point>) {
    x.y = 3; //~ ERROR E0596
}

fn behind_unique(x: &mut Own<Point>) -> i32 {
    x.y = 3;
    let p = &mut **x;
    p.x = 1;
    let q = &mut **x;
    q.y = 2;
    x.x
}

fn two_derefs(x: &mut Own<Point>) {
    let a = &mut x.x;
    let _b = &mut x.y; //~ ERROR E0499
    *a += 1;
}

fn deref_then_field(x: &mut Own<Point>) {
    let p: &mut Point = &mut **x;
    x.y = 3; //~ ERROR E0499
    p.x = 1;
}

fn reads(r: ReadOnly<Point>) -> i32 {
    let a = &r.x;
    let b = &r.y;
    *a + *b
}

fn main() {}
"#,
    );
}

#[test]
fn methods_storing_into_generic_receivers() {
    check_diagnostics(
        r#"
struct Bag<T>(Vec<T>);

impl<T> Drop for Bag<T> {
    fn drop(&mut self) {}
}

impl<T> Bag<T> {
    fn new() -> Self {
        Bag(Vec::new())
    }
    fn push(&mut self, t: T) {
        self.0.push(t);
    }
    fn peek(&mut self, _t: &T) {}
}

struct Plain<T>(Vec<T>);

impl<T> Plain<T> {
    fn push(&mut self, t: T) {
        self.0.push(t);
    }
}

struct Parser<'a> {
    words: Vec<&'a str>,
}

impl<'a> Parser<'a> {
    fn add(&mut self, s: &'a str) {
        self.words.push(s);
    }
    fn look(&mut self, _s: &str) {}
}

fn early_death() {
    let mut v = Bag::new();
    let x: i8 = 3;
    v.push(&x); //~ ERROR E0597
}

fn no_destructor() {
    let mut v = Plain(Vec::new());
    let x: i8 = 3;
    v.push(&x);
}

fn only_looked_at() -> i8 {
    let mut x: i8 = 3;
    let mut v: Bag<i8> = Bag::new();
    v.peek(&x);
    x += 1;
    v.push(1);
    x
}

fn stored_words() {
    let mut s = String::from("a b");
    let mut p = Parser { words: Vec::new() };
    p.add(&s);
    s.push('c'); //~ ERROR E0502
    p.look("x");
}

fn looked_words() {
    let mut s = String::from("a b");
    let mut p = Parser { words: Vec::new() };
    p.look(&s);
    s.push('c');
    p.look("x");
}

fn main() {}
"#,
    );
}

#[test]
fn mutable_borrows_of_constants_are_not_promoted() {
    check_diagnostics(
        r#"
fn shared_let() -> &'static u32 {
    let ref x = 5;
    x
}

fn shared_match() -> &'static u32 {
    match 5 {
        ref x => x,
    }
}

fn mutable_let() -> &'static mut u32 {
    let ref mut x = 5;
    x //~ ERROR E0515
}

fn mutable_match() -> &'static mut u32 {
    match 5 { //~ ERROR E0515
        ref mut x => x,
    }
}

fn mutable_ref() -> &'static mut u32 {
    &mut 5 //~ ERROR E0515
}

fn empty_array() -> &'static mut [u32; 0] {
    &mut []
}

fn extended() -> u32 {
    let (a, b) = (&mut 1, &mut 2);
    let c = &mut 3;
    *a += 1;
    *b + *c
}

fn main() {}
"#,
    );
}

#[test]
fn closures_inside_fn_closures_cannot_borrow_captures_mutably() {
    check_diagnostics(
        r#"
fn fn_ref<F: Fn()>(f: F) -> F {
    f
}

fn inner_assigns(mut x: i32) {
    fn_ref(|| {
        let _g = || x = 1; //~ ERROR E0596
    });
    fn_ref(move || {
        let _g = || x = 1; //~ ERROR E0596
    });
}

fn inner_reads(x: i32) -> i32 {
    let f = fn_ref(|| {
        let g = || x + 1;
        g();
    });
    f();
    x
}

fn main() {}
"#,
    );
}

#[test]
fn a_closure_returning_a_captured_value_moves_it() {
    check_diagnostics(
        r#"
#[derive(Clone, Copy)]
struct P(u8);

struct Named {
    name: String,
    id: u32,
}

fn moved(x: String) {
    let _c = || x;
    let _y = x; //~ ERROR E0382
}

fn borrowed(x: String) -> usize {
    let c = || x.len();
    let n = c();
    let y = x;
    n + y.len()
}

fn copied(p: P, n: u32) -> u8 {
    let c = || p;
    let d = || n;
    c().0 + p.0 + d() as u8 + n as u8
}

fn referenced(x: String) -> usize {
    let c = || &x;
    let n = c().len();
    n + x.len()
}

fn field(v: Named) -> u32 {
    let c = || v.name;
    let _s = c();
    v.id
}

fn main() {}
"#,
    );
}

#[test]
fn the_fields_of_a_union_overlap() {
    check_diagnostics(
        r#"
#[derive(Clone, Copy)]
union U {
    a: u8,
    b: u64,
}

struct S {
    a: u8,
    b: u64,
}

fn main() {
    unsafe {
        let mut u = U { b: 0 };
        let ra = &u.a;
        let rb = &u.b;
        drop((ra, rb));
        let ra = &u.a;
        let rmb = &mut u.b; //~ ERROR E0502
        drop(ra);
        let rma = &mut u.a;
        u.b = 1; //~ ERROR E0506
        drop(rma);
    }
    let mut s = S { a: 0, b: 0 };
    let ra = &s.a;
    let rmb = &mut s.b;
    *rmb += 1;
    drop(ra);
}
"#,
    );
}

#[test]
fn moves_out_of_rc_arc_and_raw_pointers() {
    check_diagnostics(
        r#"
use std::rc::Rc;
use std::sync::Arc;

struct Bar {
    field: Vec<i32>,
    n: u32,
}

fn rcs() -> usize {
    let x = Rc::new(Bar { field: vec![], n: 1 });
    drop(x.field); //~ ERROR E0507
    let y = Arc::new(Bar { field: vec![], n: 2 });
    let _v = y.field; //~ ERROR E0507
    let s = Rc::new(String::new());
    let _t = *s; //~ ERROR E0507
    let r = &x.field;
    let m = x.n + y.n;
    r.len() + m as usize + y.field.len()
}

unsafe fn raw(p: *const Box<u32>, q: *const u32) -> u32 {
    let _b = *p; //~ ERROR E0507
    let c = *q;
    c + **p
}

fn main() {}
"#,
    );
}

#[test]
fn static_items() {
    check_diagnostics(
        r#"
use std::sync::atomic::{AtomicUsize, Ordering};

static X: (i32,) = (0,);
static mut Y: (i32,) = (0,);
static S: String = String::new();
static COUNT: AtomicUsize = AtomicUsize::new(0);

fn writes() {
    X = (1,); //~ ERROR E0594
    X.0 = 1; //~ ERROR E0594
    let _a = &mut X; //~ ERROR E0596
    let _b = &mut X.0; //~ ERROR E0596
}

fn reads() -> usize {
    let r = &X;
    let s = &S;
    let _t = S; //~ ERROR E0507
    COUNT.fetch_add(1, Ordering::Relaxed);
    r.0 as usize + X.0 as usize + s.len()
}

unsafe fn mutable() -> i32 {
    Y = (1,);
    Y.0 = 2;
    Y.0
}

fn main() {
    fn inner() -> i32 {
        static Z: i32 = 5;
        Z
    }
    let _ = inner();
}
"#,
    );
}

#[test]
fn static_references_to_shorter_lifetimes_are_not_well_formed() {
    check_diagnostics(
        r#"
fn uninit<'a>() {
    let _x: &'static &'a (); //~ ERROR lifetime
}

fn unreachable<'a>() {
    return;
    let _x: &'static &'a () = &&(); //~ ERROR lifetime
}

fn bounded<'a: 'static>() {
    let _x: &'static &'a () = &&();
}

fn implied<'a>(_p: &'static &'a ()) {
    let _x: &'static &'a () = &&();
}

fn same<'a>() {
    let _x: &'a &'static () = &&();
    let _y: &'static &'static () = &&();
}

fn main() {}
"#,
    );
}

#[test]
fn closures_and_impl_trait_parameters_are_copy_only_when_they_can_be() {
    check_diagnostics(
        r#"
fn takes_fnonce(_: impl FnOnce()) {}

fn takes_fn(f: impl Fn()) {
    takes_fnonce(f);
    takes_fnonce(f); //~ ERROR E0382
}

fn takes_copy(f: impl Fn() + Copy) {
    takes_fnonce(f);
    takes_fnonce(f);
}

fn mutable_capture() {
    let mut x = 0;
    let mut closure = || {
        x += 1;
    };
    takes_fnonce(closure);
    closure(); //~ ERROR E0382
}

fn shared_capture() {
    let x = 0;
    let closure = || {
        let _ = x + 1;
    };
    takes_fnonce(closure);
    closure();
}

fn no_capture() {
    let closure = || {};
    takes_fnonce(closure);
    closure();
}

fn main() {}
"#,
    );
}

#[test]
fn turbofish_arguments_annotate_the_value() {
    check_diagnostics(
        r#"
struct SomeStruct<T> {
    t: T,
}

enum SomeEnum<T> {
    SomeVariant(T),
    Braced { t: T },
}

fn static_struct() {
    let c = 66;
    SomeStruct::<&'static u32> { t: &c }; //~ ERROR E0597
}

fn named_variant<'a>(_d: &'a u32) {
    let c = 66;
    SomeEnum::SomeVariant::<&'a u32>(&c); //~ ERROR E0597
    let e = 67;
    SomeEnum::Braced::<&'a u32> { t: &e }; //~ ERROR E0597
}

fn any_lifetime() {
    let c = 66;
    SomeStruct::<&u32> { t: &c };
    SomeEnum::SomeVariant::<&u32>(&c);
    SomeEnum::SomeVariant::<_>(&c);
    let _v: SomeEnum<u8> = SomeEnum::SomeVariant::<u8>(1);
}

fn main() {}
"#,
    );
}

#[test]
fn type_aliases_and_fn_pointer_results() {
    check_diagnostics(
        r#"
type MakeRef = fn() -> &'static (i32,);
type MakePtr = fn() -> *const (i32,);
type Pair = (String, i32);
type Generic<T> = Vec<T>;

fn unnamed_ref(f: MakeRef) {
    *f() = (1,); //~ ERROR E0594
    f().0 = 1; //~ ERROR E0594
    let _a = &mut *f(); //~ ERROR E0596
    let _b = f().0 + 1;
}

unsafe fn unnamed_ptr(f: MakePtr) {
    (*f()).0 = 1; //~ ERROR E0594
    let _c = (*f()).0;
}

fn pairs() -> i32 {
    let t: Pair = (String::new(), 0);
    drop(t);
    let u: Pair = (String::new(), 1);
    let _s = u.0;
    u.1 + t.1 //~ ERROR E0382
}

fn generic(v: Generic<u8>) -> usize {
    let w = v;
    w.len()
}

fn main() {}
"#,
    );
}

#[test]
fn a_formatter_named_through_its_module_is_std_s() {
    check_diagnostics(
        r#"
use std::fmt;

struct Pair(u8, u8);

impl fmt::Display for Pair {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let first = &f;
        f.write_str("(")?; //~ ERROR E0502
        let _ = &first;
        f.debug_tuple("Pair").field(&self.0).field(&self.1).finish()
    }
}

fn main() {
    println!("{}", Pair(1, 2));
}
"#,
    );
}

#[test]
fn an_index_into_an_array_uses_all_of_it() {
    check_diagnostics(
        r#"
struct Item(u8);

fn array() -> [Item; 3] {
    [Item(0), Item(1), Item(2)]
}

fn assign_after_moving_another_element() {
    let mut a = array();
    let [first, _, _] = a;
    a[2] = Item(5); //~ ERROR E0382
    let _ = first;
}

fn borrow_after_moving_an_element() {
    let a = array();
    let [_, _, last] = a;
    let _x = &a[0]; //~ ERROR E0382
    let _ = last;
}

fn elements_by_pattern_stay_apart() {
    let mut a = array();
    let [first, _, _] = a;
    let [_, _, ref mut last] = a;
    *last = Item(7);
    let _ = first;
}

fn main() {}
"#,
    );
}

#[test]
fn a_str_to_owned_is_a_string() {
    check_diagnostics(
        r#"
fn owned_moves() {
    let s = "text".to_owned();
    let t = s;
    println!("{s}"); //~ ERROR E0382
    let _ = t;
}

fn through_a_reference(r: &str) {
    let mut pair = (1, r.to_owned());
    match pair {
        whole => {
            pair.0 = 2; //~ ERROR E0382
            let _ = whole;
        }
    }
}

fn a_reference_to_a_reference_clones_it(r: &&str) -> (&'static str, usize) {
    let copied = r.to_owned();
    let again = copied;
    let _ = copied;
    ("", again.len())
}

fn main() {}
"#,
    );
}

#[test]
fn a_shared_reference_passed_where_a_reference_is_expected_is_reborrowed() {
    // rustc reborrows (`&*field`): E0502 on `*field`, which the analysis does not build yet; it
    // must not say E0503 (a use of `field`) instead.
    check_diagnostics_pending(
        r#"
pub fn to_a_reference(dst: &mut [u8], field: &[u8]) {
    let mut field = field;
    let m = &mut field;
    dst.copy_from_slice(field); //~ ERROR E0502
    let _ = &m;
}

fn main() {}
"#,
    );
}

#[test]
fn a_shared_reference_passed_to_a_type_parameter_is_copied() {
    check_diagnostics(
        r#"
fn take<T>(_: T) {}

pub fn to_a_type_parameter(field: &[u8]) {
    let mut field = field;
    let m = &mut field;
    take(field); //~ ERROR E0503
    let _ = &m;
}

fn main() {}
"#,
    );
}

#[test]
fn temporaries_in_a_lets_struct_literals_and_constructors_live_as_long_as_its_bindings() {
    check_diagnostics(
        r#"
struct W<'a>(&'a String);
struct K<'a> {
    files: &'a [(&'a str, &'a str)],
    w: W<'a>,
}

fn id(s: &String) -> &String {
    s
}

fn main() {
    let name = String::from("main.rs");
    let name = name.as_str();
    let crates = [K { files: &[("/src", name)], w: W(&String::new()) }];
    let one = K { files: &[("/lib", name)], w: W(&String::from("x")) };
    let w = W(&String::new());
    let o = Some(&String::new());
    let t = (W(&String::new()), Ok::<_, ()>(&String::new()));
    let n = [Some(&String::new())];
    println!("{} {} {}", crates.len(), one.files.len(), one.w.0.len());
    println!("{} {:?} {} {:?}", w.0.len(), o, t.0 .0.len(), n[0]);
    let f = id(&String::new()); //~ ERROR E0716
    let b = Box::new(&String::new()); //~ ERROR E0716
    println!("{f} {b}");
}
"#,
    );
}

#[test]
fn a_ref_mut_binding_in_a_parameter_pattern_borrows_the_argument() {
    check_diagnostics(
        r#"
fn push(ref mut s: String) -> usize {
    s.push('!');
    s.len()
}

fn swap((ref mut a, ref mut b): (u8, u8)) -> u8 {
    std::mem::swap(a, b);
    *a
}

fn main() {
    let mut items = vec![String::new()];
    items.iter_mut().for_each(|ref mut item| item.push('x'));
    println!("{} {} {:?}", push(String::new()), swap((1, 2)), items);
}
"#,
    );
}

#[test]
fn an_associated_function_without_self_is_not_a_method() {
    check_diagnostics(
        r#"
use std::collections::HashMap;
use std::ops::Deref;

struct Lazy<T>(T);

impl<T> Lazy<T> {
    fn get(this: &Lazy<T>) -> Option<&T> {
        Some(&this.0)
    }
}

impl<T> Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

fn main() {
    let map: Lazy<HashMap<u32, String>> = Lazy(HashMap::new());
    println!("{:?}", map.get(&0));
    println!("{:?}", map.get(&1));
    println!("{:?}", Lazy::get(&map).map(|m| m.len()));
}
"#,
    );
}

#[test]
fn a_range_of_a_vector_is_a_slice_whose_mut_methods_borrow_mutably() {
    check_diagnostics(
        r#"
struct Record {
    fields: Vec<u8>,
}

fn fill(r: &mut Record, field: &[u8]) {
    let all = &mut *r;
    r.fields[0..field.len()].copy_from_slice(field); //~ ERROR E0499
    all.fields.clear();
}

fn main() {
    let mut r = Record { fields: vec![0; 4] };
    fill(&mut r, &[1, 2]);
    let n = r.fields[1..].len();
    r.fields[..2].copy_from_slice(&[3, 4]);
    println!("{n} {:?}", r.fields);
}
"#,
    );
}

#[test]
fn an_assignment_ends_the_loans_it_overwrites_so_each_is_reported_once() {
    check_diagnostics(
        r#"
struct P {
    a: usize,
    b: usize,
}

fn whole(mut x: P) {
    let r = &mut x;
    x.a = 1; //~ ERROR E0506
    x.b = 2;
    r.a = 3;
}

fn then_borrowed(mut x: P) {
    let r = &x;
    x.a = 1; //~ ERROR E0506
    let _q = &mut x.b;
    let _ = r.a;
}

fn through_a_reference(p: &mut P) {
    let s = &p;
    while p.a < 3 {
        p.a += 1; //~ ERROR E0506
        p.b += 1;
    }
    let _ = &s;
}

fn two_loans(mut x: P) {
    let r = &x;
    x.a = 1; //~ ERROR E0506
    let r2 = &x;
    x.b = 2; //~ ERROR E0506
    let _ = (r.a, r2.a);
}

fn main() {
    whole(P { a: 0, b: 0 });
    then_borrowed(P { a: 0, b: 0 });
    through_a_reference(&mut P { a: 0, b: 0 });
    two_loans(P { a: 0, b: 0 });
}
"#,
    );
}

#[test]
fn a_range_index_of_a_slice_borrows_the_slice_before_its_bounds_are_read() {
    // rustc calls `Index::index(&base, range)`: the base is borrowed first, then the range's
    // bounds are read, each into its own temporary. Of the uses of a moved reference, rustc
    // keeps the last whose place is not a prefix of the one it reported: here the range's
    // `self.index`, not the base, nor the next line's `self.index` (one error per move).
    check_diagnostics(
        r#"
pub struct SliceRead<'a> {
    slice: &'a [u8],
    index: usize,
}

impl<'a> SliceRead<'a> {
    pub fn parse(&mut self, start: usize) -> usize {
        drop(self);
        let borrowed = &self.slice[start..self.index]; //~ ERROR E0382
        self.index += 1;
        borrowed.len()
    }

    pub fn bounds(&mut self, start: usize) -> usize {
        drop(self);
        let r = start..self.index; //~ ERROR E0382
        r.len()
    }
}

fn main() {
    let mut r = SliceRead { slice: &[1, 2, 3], index: 2 };
    r.parse(0);
    r.bounds(0);
}
"#,
    );
}

// `break *r` is a `break` with the value `*r` (tree-sitter-rust reads the product
// `(break) * r`): the move out of the reference is E0507, as a block's tail would be.
#[test]
fn a_break_value_behind_a_prefix_operator() {
    check_diagnostics(
        r#"
pub fn deref(r: &String) -> String {
    loop {
        break *r; //~ ERROR E0507
    }
}

pub fn negated(v: Vec<i32>) -> i32 {
    let n = loop {
        break -(v.len() as i32);
    };
    drop(v);
    n
}

pub fn borrowed(s: String) -> usize {
    let r: &String = loop {
        break &s;
    };
    r.len()
}

fn main() {}
"#,
    );
}

// A pattern's binding moves a `&mut` out of what it matches: patterns do not reborrow.
#[test]
fn a_pattern_moves_a_mutable_reference() {
    check_diagnostics(
        r#"
fn in_a_loop() {
    let mut x = 42_i32;
    let opt = Some(&mut x);
    for _ in 0..5 {
        if let Some(_x) = opt {} //~ ERROR E0382
    }
}

fn twice() {
    let mut x = 42_i32;
    let opt = Some(&mut x);
    if let Some(_x) = opt {}
    if let Some(_y) = opt {} //~ ERROR E0382
}

fn by_ref() {
    let mut x = 42_i32;
    let mut opt = Some(&mut x);
    if let Some(y) = &mut opt {
        **y += 1;
    }
    if let Some(z) = opt {
        *z += 1;
    }
}

fn main() {}
"#,
    );
}

// A `for` loop over a crate iterator binds its impl's `type Item`.
#[test]
fn a_crate_iterators_items() {
    check_diagnostics(
        r#"
pub struct Query(Vec<i32>);
pub struct QueryIter<'a>(&'a [i32], usize);

impl Query {
    pub fn iter(&self) -> QueryIter<'_> {
        QueryIter(&self.0, 0)
    }
}

impl<'a> Iterator for QueryIter<'a> {
    type Item = &'a i32;

    fn next(&mut self) -> Option<Self::Item> {
        let x = self.0.get(self.1)?;
        self.1 += 1;
        Some(x)
    }
}

fn assigned(q: &Query) {
    for v in q.iter() {
        *v -= 1; //~ ERROR E0594
    }
}

fn read(q: &Query) -> i32 {
    let mut total = 0;
    for v in q.iter() {
        total += *v;
    }
    total
}

fn main() {}
"#,
    );
}
