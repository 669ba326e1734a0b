//! Closures as rustc's borrow checker sees them: captures by unique borrow (a mutation through a
//! captured reference, or a mutable capture of a binding not declared `mut`), the conflicts
//! they make (E0500, E0501, E0524, and E0499/E0502/E0505/E0506/E0597 at the closure), and calls
//! decided by a closure's kind (its body, or a type parameter's `Fn*` bound): E0596 for an
//! `FnMut` not declared `mut`, E0382 for an `FnOnce` called twice. Run with
//! `BORROWLENS_FIXTURES_RUSTC=1` to have rustc confirm every marker.

use borrowlens_tests::check_diagnostics;

// Programs rustc accepts: nothing may be reported.

#[test]
fn a_unique_capture_ends_at_the_closures_last_use() {
    check_diagnostics(
        r#"
//@ edition:2015
fn fill(v: &mut Vec<i32>) {
    let mut push = || v.push(1);
    push();
    push();
    v.push(2);
    let mut clear = || *v = Vec::new();
    clear();
    println!("{}", v.len());
}

fn main() {
    fill(&mut Vec::new());
}
"#,
    );
}

#[test]
fn closures_mutating_disjoint_fields_through_a_reference_2021() {
    check_diagnostics(
        r#"
struct P {
    a: i32,
    b: i32,
}

fn split(p: &mut P) {
    let mut fa = || p.a += 1;
    let mut fb = || p.b += 1;
    fa();
    fb();
    fa();
}

fn main() {
    let mut p = P { a: 0, b: 0 };
    split(&mut p);
    println!("{} {}", p.a, p.b);
}
"#,
    );
}

#[test]
fn reads_through_a_mutable_reference_are_shared() {
    check_diagnostics(
        r#"
//@ edition:2015
fn show(x: &mut Vec<i32>) {
    let len = || x.len();
    let first = &x[0];
    println!("{} {}", len(), first);
    let peek = || println!("{}", x.len());
    peek();
    peek();
}

fn main() {
    show(&mut vec![1]);
}
"#,
    );
}

#[test]
fn calls_as_their_bounds_allow() {
    check_diagnostics(
        r#"
fn twice<F: Fn() -> i32>(f: F) -> i32 {
    let r = &f;
    f() + r()
}

fn count<F>(mut f: F) -> i32
where
    F: FnMut() -> i32,
{
    f();
    f()
}

fn once<F: FnOnce() -> String>(f: F) -> String {
    f()
}

fn main() {
    let mut n = 0;
    println!("{}", twice(|| 1));
    println!("{}", count(|| {
        n += 1;
        n
    }));
    println!("{}", once(|| String::from("x")));
}
"#,
    );
}

#[test]
fn local_closures_called_as_their_kind_allows() {
    check_diagnostics(
        r#"
fn main() {
    let mut total = 0;
    let mut add = |k: i32| total += k;
    add(1);
    add(2);
    println!("{total}");
    let s = String::from("x");
    let show = || s.len();
    let r = &show;
    println!("{} {}", show(), r());
    let consume = move || s;
    let t = consume();
    let mut n = 0;
    let mut bump = move || {
        n += 1;
        n
    };
    bump();
    bump();
    println!("{t} {n}");
}
"#,
    );
}

#[test]
fn an_fn_mut_closure_passed_by_value_needs_no_mut() {
    check_diagnostics(
        r#"
fn apply<F: FnMut()>(mut f: F) {
    f();
}

fn main() {
    let mut n = 0;
    let inc = || n += 1;
    apply(inc);
    println!("{n}");
}
"#,
    );
}

// Errors.

#[test]
fn e0500_a_closure_mutates_through_a_borrowed_reference() {
    check_diagnostics(
        r#"
//@ edition:2015
fn main() {
    let mut v = vec![1];
    let x = &mut v;
    let r = &x;
    let c = || x.push(2); //~ ERROR E0500
    println!("{}", r.len());
    drop(c);
}
"#,
    );
}

#[test]
fn e0501_a_borrow_while_a_closure_holds_unique_access() {
    check_diagnostics(
        r#"
//@ edition:2015
fn bump(n: &mut i32) {
    let mut inc = || *n += 1;
    let peek = &n; //~ ERROR E0501
    inc();
    println!("{}", peek);
}

fn main() {
    bump(&mut 0);
}
"#,
    );
}

#[test]
fn e0501_a_field_mutated_through_a_reference_2021() {
    check_diagnostics(
        r#"
struct S {
    f: i32,
}

fn g(x: &mut S) {
    let mut c = || x.f = 2;
    let d = &x; //~ ERROR E0501
    c();
    println!("{}", d.f);
}

fn main() {
    g(&mut S { f: 0 });
}
"#,
    );
}

#[test]
fn e0524_two_closures_push_through_one_reference() {
    check_diagnostics(
        r#"
//@ edition:2015
fn twice(s: &mut String) {
    let mut a = || s.push('a');
    let mut b = || s.push('b'); //~ ERROR E0524
    a();
    b();
}

fn main() {
    twice(&mut String::new());
}
"#,
    );
}

#[test]
fn e0499_a_closure_reborrows_through_a_mut_binding_2021() {
    check_diagnostics(
        r#"
fn f(mut x: &mut i32) {
    let r = &mut x;
    let c = || *x = 2; //~ ERROR E0499
    **r = 1;
    drop(c);
}

fn main() {
    f(&mut 0);
}
"#,
    );
}

#[test]
fn e0506_and_e0597_against_a_unique_capture() {
    check_diagnostics(
        r#"
//@ edition:2015
fn assign(x: &mut i32) {
    let mut f = || *x = 0;
    *x = 1; //~ ERROR E0506
    f();
}

fn dropped() {
    let mut z = 1;
    let mut f;
    {
        let x = &mut z;
        f = || *x = 0; //~ ERROR E0597
    }
    f();
}

fn main() {
    assign(&mut 0);
    dropped();
}
"#,
    );
}

#[test]
fn e0596_an_fn_mut_bound_called_without_mut() {
    check_diagnostics(
        r#"
fn call<F: FnMut() -> i32>(f: F) -> i32 {
    f() //~ ERROR E0596
}

fn main() {
    println!("{}", call(|| 1));
}
"#,
    );
}

#[test]
fn e0382_an_fn_once_bound_called_twice() {
    check_diagnostics(
        r#"
fn run<F>(f: F) -> usize
where
    F: FnOnce() -> String,
{
    let a = f();
    let b = f(); //~ ERROR E0382
    a.len() + b.len()
}

fn main() {
    println!("{}", run(String::new));
}
"#,
    );
}

#[test]
fn e0502_an_fn_bound_called_while_mutably_borrowed() {
    check_diagnostics(
        r#"
fn a<F: Fn(i32) -> i32>(mut f: F) -> i32 {
    let g = &mut f;
    let n = f(1); //~ ERROR E0502
    n + g(2)
}

fn main() {
    println!("{}", a(|x| x));
}
"#,
    );
}

#[test]
fn e0596_a_mutating_closure_called_without_mut() {
    check_diagnostics(
        r#"
fn main() {
    let mut count = 0;
    let inc = || count += 1;
    inc(); //~ ERROR E0596
    println!("{count}");
}
"#,
    );
}

#[test]
fn e0382_a_consuming_closure_called_twice() {
    check_diagnostics(
        r#"
fn main() {
    let s = String::from("x");
    let consume = || drop(s);
    consume();
    consume(); //~ ERROR E0382
}
"#,
    );
}

#[test]
fn e0502_a_closures_capture_borrowed_at_its_call() {
    check_diagnostics(
        r#"
fn main() {
    let mut v = vec![1];
    let mut grow = |n: &i32| v.push(*n);
    grow(&v[0]); //~ ERROR E0502
}
"#,
    );
}

#[test]
fn a_mutable_reference_passed_on_is_reborrowed_not_moved() {
    check_diagnostics(
        r#"
fn set(n: &mut i32) {
    *n += 1;
}

fn main() {
    let mut k = 0;
    let x = &mut k;
    let mut c = || set(x);
    c();
    c();
    println!("{k}");
}
"#,
    );
}

#[test]
fn e0501_a_method_call_while_a_closure_pushes_through_the_reference() {
    check_diagnostics(
        r#"
fn f(v: &mut Vec<i32>) {
    let mut c = || v.push(1);
    v.push(2); //~ ERROR E0501
    c();
}

fn g(v: &mut Vec<i32>) {
    let mut c = || v.push(1);
    c();
    v.push(2);
    let n = || v.len();
    println!("{} {}", n(), v.len());
}

fn main() {
    f(&mut Vec::new());
    g(&mut Vec::new());
}
"#,
    );
}

#[test]
fn calls_through_references_to_bounded_parameters() {
    check_diagnostics(
        r#"
fn by_mut<F: FnMut() -> i32>(f: &mut F) -> i32 {
    f() + f()
}

fn by_ref<F: Fn() -> i32>(f: &F) -> i32 {
    let r = &f;
    f() + r()
}

fn main() {
    let mut n = 0;
    println!("{}", by_mut(&mut || {
        n += 1;
        n
    }));
    println!("{}", by_ref(&|| 1));
}
"#,
    );
}

#[test]
fn e0596_an_fn_mut_called_through_a_shared_reference() {
    check_diagnostics(
        r#"
fn call<F: FnMut()>(f: &F) {
    f(); //~ ERROR E0596
}

fn main() {
    call(&|| {});
}
"#,
    );
}

#[test]
fn e0382_a_closure_moving_a_field_out_before_2021() {
    check_diagnostics(
        r#"
//@ edition:2015
struct S {
    a: String,
    b: String,
}

fn main() {
    let s = S { a: String::new(), b: String::new() };
    let f = || s.a;
    println!("{}", s.b); //~ ERROR E0382
    f();
}
"#,
    );
}

#[test]
fn e0382_a_closure_moving_a_field_out_is_fn_once_2021() {
    check_diagnostics(
        r#"
struct S {
    a: String,
    b: String,
}

fn main() {
    let s = S { a: String::new(), b: String::new() };
    let f = || s.a;
    println!("{}", s.b);
    f();
    f(); //~ ERROR E0382
}
"#,
    );
}

#[test]
fn a_by_value_method_of_a_copy_element_reads_the_captured_vector() {
    check_diagnostics(
        r#"
fn firsts(text: &str) -> usize {
    let code: Vec<char> = text.chars().collect();
    let mut n = 0;
    for i in 0..code.len() {
        if code[i..].starts_with(&['f', 'n']) {
            n += (i..code.len()).find(|&j| !code[j].is_whitespace()).unwrap_or(0);
        }
    }
    n
}

fn main() {
    println!("{}", firsts("fn x"));
}
"#,
    );
}
