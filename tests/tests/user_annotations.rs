//! User type annotations (rustc's `UserTypeAnnotation`): generic arguments written on a called
//! path, a method, a constructor or a path bound to a local. A written reference type with
//! `'static` or a named lifetime of the function makes the argument outlive the body (E0597,
//! E0716 where rustc gives them); `&u32`, `_` and arguments that live long enough add nothing.
//! Run with `BORROWLENS_FIXTURES_RUSTC=1` to have rustc confirm every marker.

use borrowlens_tests::{check_diagnostics, check_diagnostics_pending};

// Programs rustc accepts: nothing may be reported.

#[test]
fn turbofish_without_a_named_lifetime_adds_nothing() {
    check_diagnostics(
        r#"
fn some_fn<T>(_arg: T) {}

struct S;

impl S {
    fn take<U>(&self, _u: U) {}
}

fn main() {
    let c = 66;
    some_fn(&c);
    some_fn::<_>(&c);
    some_fn::<&u32>(&c);
    let s = S;
    s.take::<&u32>(&c);
    s.take::<_>(&c);
    let f = some_fn::<&u32>;
    f(&c);
    let v = Vec::<&'static str>::new();
    drop(v);
}
"#,
    );
}

#[test]
fn named_lifetime_with_an_argument_that_lives_long_enough() {
    check_diagnostics(
        r#"
fn some_fn<T>(_arg: T) {}

struct A<'a> {
    x: &'a u32,
}

impl<'a> A<'a> {
    fn new(x: &'a u32) -> Self {
        A { x }
    }
}

fn ok<'a>(c: &'a u32) -> u32 {
    some_fn::<&'a u32>(c);
    let a = A::<'a>::new(c);
    let b = <A<'a>>::new(c);
    let f = some_fn::<&'a u32>;
    f(c);
    let g = || some_fn::<&'a u32>(c);
    g();
    some_fn::<&'static u32>(&5);
    *a.x + *b.x
}

fn main() {
    let c = 1;
    ok(&c);
}
"#,
    );
}

#[test]
fn callee_lifetimes_are_not_the_callers() {
    check_diagnostics(
        r#"
fn take<'a, T>(_x: &'a u32, _t: T) {}

struct B<'b>(&'b u32);

impl<'b> B<'b> {
    fn make<'a>(x: &'b u32, _y: &'a u32) -> B<'b> {
        B(x)
    }
}

fn caller<'a>(d: &'a u32) -> u32 {
    let c = 66;
    take::<u32>(&c, 1);
    let e = 7;
    let b = B::make(d, &e);
    let f = 8;
    let g = B::<'_>::make(&f, &e);
    *b.0 + *g.0
}

fn main() {
    let c = 1;
    caller(&c);
}
"#,
    );
}

// Errors.

#[test]
fn function_turbofish() {
    check_diagnostics(
        r#"
fn some_fn<T>(_arg: T) {}

fn annot_static() {
    let c = 66;
    some_fn::<&'static u32>(&c); //~ ERROR E0597
}

fn annot_named<'a>(_d: &'a u32) {
    let c = 66;
    some_fn::<&'a u32>(&c); //~ ERROR E0597
}

fn annot_named_in_closure<'a>(_d: &'a u32) {
    let _closure = || {
        let c = 66;
        some_fn::<&'a u32>(&c); //~ ERROR E0597
    };
}

fn annot_static_temporary() {
    some_fn::<&'static String>(&String::new()); //~ ERROR E0716
}

fn main() {}
"#,
    );
}

#[test]
fn method_turbofish() {
    check_diagnostics(
        r#"
struct S;

impl S {
    fn take<U>(&self, _n: u32, _u: U) {}
}

trait Bazoom<T> {
    fn method<U>(&self, _arg: T, _arg2: U) {}
}

impl<T, U> Bazoom<U> for T {}

trait ByValue<T>: Sized {
    fn by_value<U>(self, _arg: T, _arg2: U) {}
}

impl<T, U> ByValue<U> for T {}

fn on_a_struct() {
    let s = S;
    let c = 66;
    s.take::<&'static u32>(1, &c); //~ ERROR E0597
}

fn through_a_blanket_impl<'a>(_d: &'a u32) {
    let a = 22;
    let b = 44;
    let c = 66;
    a.method::<&'a u32>(b, &c); //~ ERROR E0597
}

fn ufcs() {
    let a = 22;
    let b = 44;
    let c = 66;
    <_ as Bazoom<_>>::method::<&'static u32>(&a, b, &c); //~ ERROR E0597
}

fn ufcs_self_type<'a>(_d: &'a u32) {
    let a = 22;
    let b = 44;
    <&'a u32 as ByValue<_>>::by_value(&a, b, 1); //~ ERROR E0597
}

fn main() {}
"#,
    );
}

#[test]
fn each_annotated_argument_is_reported() {
    // rustc reports every call argument's borrow, where a `let`'s annotation or a struct
    // literal's field gets one report per borrowed local.
    check_diagnostics(
        r#"
fn some_fn<T>(_arg: T) {}

fn two<T>(_a: T, _b: T) {}

fn f(_x: &'static u32) {}

struct S {
    t: &'static u32,
}

fn calls() {
    let c = 66;
    some_fn::<&'static u32>(&c); //~ ERROR E0597
    some_fn::<&'static u32>(&c); //~ ERROR E0597
}

fn one_call() {
    let c = 66;
    two::<&'static u32>(&c, &c); //~ ERROR E0597
    //~^ ERROR E0597
}

fn static_parameter() {
    let c = 66;
    f(&c); //~ ERROR E0597
    f(&c); //~ ERROR E0597
}

fn lets_and_literals() {
    let c = 66;
    let _x: &'static u32 = &c; //~ ERROR E0597
    let _y: &'static u32 = &c;
    let d = 67;
    let _s = S { t: &d }; //~ ERROR E0597
    let _t = S { t: &d };
}

fn main() {}
"#,
    );
}

#[test]
fn inherent_self_type_arguments() {
    check_diagnostics(
        r#"
struct A<'a> {
    x: &'a u32,
}

impl<'a> A<'a> {
    fn new<T>(x: &'a u32, _y: T) -> Self {
        A { x }
    }
}

fn turbofish_on_the_type<'a>() {
    let v = 22;
    let _x = A::<'a>::new(&v, 22); //~ ERROR E0597
}

fn and_on_the_method<'a>() {
    let v = 22;
    let _x = <A<'a>>::new::<&'a u32>(&v, &v); //~ ERROR E0597
    //~^ ERROR E0597
}

fn bracketed<'a>() {
    let v = 22;
    let _x = <A<'a>>::new(&v, 22); //~ ERROR E0597
}

fn static_self() {
    let v = 22;
    let _x = A::<'static>::new(&v, 22); //~ ERROR E0597
}

fn main() {}
"#,
    );
}

#[test]
fn annotated_paths_bound_to_locals() {
    check_diagnostics(
        r#"
struct SomeStruct<T>(T);

fn some_fn<T>(_arg: T) {}

fn constructor() {
    let c = 66;
    let f = SomeStruct::<&'static u32>;
    f(&c); //~ ERROR E0597
}

fn function<'a>(_d: &'a u32) {
    let c = 66;
    let f = some_fn::<&'a u32>;
    f(&c); //~ ERROR E0597
}

fn across_a_closure<'a>(_d: &'a u32) {
    let f = SomeStruct::<&'a u32>;
    let _closure = || {
        let c = 66;
        f(&c); //~ ERROR E0597
    };
}

fn std_drop<'a>() {
    let x = 0;
    let f = &drop::<&'a i32>;
    f(&x); //~ ERROR E0597
}

fn main() {}
"#,
    );
}

#[test]
fn constructors_and_literals() {
    check_diagnostics(
        r#"
struct SomeStruct<T> {
    t: T,
}

struct Tuple<T>(T);

enum SomeEnum<T> {
    SomeVariant(T),
}

fn literal() {
    let c = 66;
    SomeStruct::<&'static u32> { t: &c }; //~ ERROR E0597
}

fn tuple<'a>(_d: &'a u32) {
    let c = 66;
    Tuple::<&'a u32>(&c); //~ ERROR E0597
}

fn variant() {
    let c = 66;
    SomeEnum::SomeVariant::<&'static u32>(&c); //~ ERROR E0597
}

fn main() {}
"#,
    );
}

#[test]
fn struct_patterns_under_an_annotation() {
    check_diagnostics(
        r#"
struct Single<T> {
    value: T,
}

struct Pair<'a, T> {
    a: &'a u32,
    b: T,
}

fn no_initializer() {
    let x = 22;
    let Single { value: y }: Single<&'static u32>;
    y = &x; //~ ERROR E0597
}

fn field_by_field<'a>(_d: &'a u32) {
    let x = 22;
    let z = 23;
    let Pair { a, b }: Pair<'a, &u32>;
    a = &x; //~ ERROR E0597
    b = &z;
    let _ = (a, b);
}

fn main() {}
"#,
    );
}

#[test]
fn struct_patterns_under_an_annotation_ok() {
    check_diagnostics(
        r#"
struct Pair<'a, T> {
    a: &'a u32,
    b: T,
}

fn ok<'a>(d: &'a u32) -> u32 {
    let z = 23;
    let Pair { a, b }: Pair<'a, &u32>;
    a = d;
    b = &z;
    *a + *b
}

fn main() {
    let c = 1;
    ok(&c);
}
"#,
    );
}

#[test]
fn casts_to_an_annotated_reference() {
    check_diagnostics(
        r#"
fn to_static() {
    let x = 22_u32;
    let _y: &u32 = &x as &'static u32; //~ ERROR E0597
}

fn to_named<'a>(_d: &'a u32) {
    let x = 22_u32;
    let _y = &x as &'a u32; //~ ERROR E0597
}

fn ok<'a>(d: &'a u32) -> u32 {
    let x = 22_u32;
    let y = &x as &u32;
    let z = d as &'a u32;
    let p = &x as *const u32;
    let _ = p;
    *y + *z
}

fn main() {
    let c = 1;
    ok(&c);
}
"#,
    );
}

// Not yet followed: what the analysis cannot tell yet stays silent.

#[test]
fn struct_pattern_with_turbofish() {
    // tree-sitter-rust has no turbofish in struct patterns: the function reads as broken.
    check_diagnostics_pending(
        r#"
struct Foo<'a> {
    field: &'a u32,
}

fn in_let() {
    let y = 22;
    let foo = Foo { field: &y }; //~ ERROR E0597
    let Foo::<'static> { field: _z } = foo;
}

fn main() {}
"#,
    );
}

#[test]
fn nullary_variant_fixing_a_later_value() {
    // `combine<T>(T, T)`: the annotated variant fixes `T` only through an invariant `Cell`
    // (without it, `T` is inferred shorter and the `'static` value is coerced to it).
    check_diagnostics_pending(
        r#"
use std::cell::Cell;

enum SomeEnum<T> {
    SomeVariant(T),
    SomeOtherVariant,
}

fn combine<T>(_: T, _: T) {}

fn main() {
    let c = 66;
    combine(
        SomeEnum::SomeVariant(Cell::new(&c)), //~ ERROR E0597
        SomeEnum::SomeOtherVariant::<Cell<&'static u32>>,
    );
}
"#,
    );
}
