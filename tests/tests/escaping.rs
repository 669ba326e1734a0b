//! Borrowed data escaping a closure (E0521) and "lifetime may not live long enough" in closures,
//! as rustc's closure regions decide them: a closure's higher-ranked parameter (passed where a
//! callee's `Fn*(&T)` bound is expected, or annotated `&T` where nothing is expected of the
//! closure) has a region of the closure's own, which cannot outlive a captured variable's, the
//! closure's return type's or `'static`. Where the parameter's region is the caller's (a bound
//! naming a lifetime, a closure without annotations) nothing is reported. Run with
//! `BORROWLENS_FIXTURES_RUSTC=1` to have rustc confirm every marker.

use borrowlens_tests::check_diagnostics;

// Programs rustc accepts: nothing may be reported.

#[test]
fn a_closure_stores_a_captured_reference_into_captured_state() {
    check_diagnostics(
        r#"
fn main() {
    let n = 5;
    let r = &n;
    let mut x: Option<&i32> = None;
    let mut f = || x = Some(r);
    f();
    println!("{:?}", x);
}
"#,
    );
}

#[test]
fn a_bound_naming_the_callers_lifetime_is_not_higher_ranked() {
    check_diagnostics(
        r#"
fn with_free<'a, F: FnOnce(&'a i32)>(v: &'a i32, f: F) {
    f(v)
}

fn main() {
    let n = 5;
    let mut x = None;
    with_free(&n, |y| x = Some(y));
    let mut z: Option<&i32> = None;
    with_free(&n, |y: &i32| z = Some(y));
    println!("{:?} {:?}", x, z);
}
"#,
    );
}

#[test]
fn a_closure_without_annotations_takes_the_callers_regions() {
    check_diagnostics(
        r#"
fn main() {
    let n = 5;
    let mut x = None;
    let mut store = |y| x = Some(y);
    store(&n);
    println!("{:?}", x);
}
"#,
    );
}

#[test]
fn a_bound_that_ties_the_result_to_the_argument() {
    check_diagnostics(
        r#"
fn apply<F>(f: F) -> i32
where
    F: for<'r> Fn(&'r i32) -> &'r i32,
{
    let n = 3;
    *f(&n)
}

fn main() {
    let k = apply(|y| y);
    println!("{}", k);
}
"#,
    );
}

#[test]
fn a_higher_ranked_parameter_used_inside_the_closure() {
    check_diagnostics(
        r#"
fn with_int<F>(f: F)
where
    F: FnOnce(&isize),
{
    let x = 3;
    f(&x);
}

fn main() {
    let mut total = 0;
    with_int(|y| {
        let mut inner = None;
        inner = Some(y);
        if let Some(v) = inner {
            total += *v;
        }
    });
    println!("{}", total);
}
"#,
    );
}

#[test]
fn an_unknown_callee_says_nothing_of_its_closure() {
    check_diagnostics(
        r#"
fn main() {
    let n = 5;
    let mut x: Option<&i32> = None;
    [&n].iter().for_each(|y| x = Some(*y));
    println!("{:?}", x);
}
"#,
    );
}

// Programs rustc rejects.

#[test]
fn a_higher_ranked_parameter_assigned_to_a_captured_variable() {
    check_diagnostics(
        r#"
fn give_any<F: for<'r> FnOnce(&'r ())>(f: F) {
    f(&());
}

fn with_int<F>(f: F)
where
    F: FnOnce(&isize),
{
    let x = 3;
    f(&x);
}

fn main() {
    let mut x = None;
    give_any(|y| x = Some(y)); //~ ERROR E0521
    let mut z: Option<&isize> = None;
    with_int(|y| z = Some(y)); //~ ERROR E0521
    let mut w: Option<&isize> = None;
    with_int(|y: &isize| {
        w = Some(y); //~ ERROR E0521
    });
}
"#,
    );
}

#[test]
fn an_annotated_parameter_of_a_closure_nothing_expects() {
    check_diagnostics(
        r#"
fn main() {
    let mut last: Option<&str> = None;
    let mut keep = |el: &str| {
        last = Some(el); //~ ERROR E0521
    };
    keep("a");
    println!("{:?}", last);
}
"#,
    );
}

#[test]
fn an_annotated_parameter_returned_from_its_closure() {
    check_diagnostics(
        r#"
fn main() {
    let i = &3;
    let f = |x: &i32| -> &i32 { x }; //~ ERROR lifetime
    let j = f(i);
    let g = |x: &i32| x; //~ ERROR lifetime
    let k = g(i);
    println!("{} {}", j, k);
}
"#,
    );
}

#[test]
fn an_annotated_parameter_returned_as_static() {
    check_diagnostics(
        r#"
fn main() {
    let f = |x: &i32| -> &'static i32 {
        return x; //~ ERROR lifetime
    };
    println!("{}", f(&1));
}
"#,
    );
}

#[test]
fn a_parameters_data_passed_where_static_is_required_escapes_the_function() {
    check_diagnostics(
        r#"
fn needs_static(_x: &'static u32) {}

fn f(x: &u32) {
    needs_static(x); //~ ERROR E0521
}

fn g<'a>(x: &'a u32) {
    needs_static(x); //~ ERROR E0521
}

struct S {
    v: u32,
}

impl S {
    fn m(&self) {
        needs_static(&self.v); //~ ERROR E0521
    }

    fn o(x: &u32) {
        needs_static(x); //~ ERROR E0521
    }
}

fn main() {}
"#,
    );
}

#[test]
fn a_parameters_data_assigned_to_a_static_place_is_no_escape_in_a_function() {
    check_diagnostics(
        r#"
fn a(x: &u32, out: &mut Option<&'static u32>) {
    *out = Some(x); //~ ERROR lifetime
}

fn b<'a>(x: &'a u32, out: &mut Option<&'static u32>) {
    *out = Some(x); //~ ERROR lifetime
}

fn main() {}
"#,
    );
}

#[test]
fn an_impl_fn_parameter_makes_its_closures_parameter_higher_ranked() {
    check_diagnostics(
        r#"
fn each(mut f: impl FnMut(&u32)) {
    f(&1);
}

fn each_free<'a>(v: &'a u32, f: impl FnOnce(&'a u32)) {
    f(v);
}

fn main() {
    let n = 2;
    let mut kept = None;
    each_free(&n, |y| kept = Some(y));
    let mut seen: Option<&u32> = None;
    each(|y| {
        seen = Some(y); //~ ERROR E0521
    });
    println!("{:?}", kept);
}
"#,
    );
}

#[test]
fn a_parameters_data_passed_as_a_static_type_parameter_escapes() {
    check_diagnostics(
        r#"
fn keep<T: 'static>(_x: T) {}

fn keep2<T>(_x: T)
where
    T: 'static + Clone,
{
}

fn fine(x: &'static u32, n: u32, s: String) {
    keep(x);
    keep(n);
    keep(s);
    keep2(x);
}

fn through_a_local(v: &Vec<u32>) {
    let w = v;
    keep(w); //~ ERROR E0521
}

fn bounded_in_where(v: &Vec<u32>) {
    keep2(v); //~ ERROR E0521
}

fn with_int<F: FnOnce(&isize)>(f: F) {
    f(&3);
}

fn main() {
    with_int(|y| keep(y)); //~ ERROR E0521
}
"#,
    );
}

#[test]
fn a_methods_bound_makes_its_closures_parameter_higher_ranked() {
    check_diagnostics(
        r#"
struct Pool {
    items: Vec<u32>,
}

impl Pool {
    fn scoped<F: FnOnce(&u32)>(&self, f: F) {
        f(&self.items[0]);
    }

    fn tied<'a, F: FnOnce(&'a u32)>(&'a self, f: F) {
        f(&self.items[0]);
    }
}

fn main() {
    let pool = Pool { items: vec![1] };
    let mut kept = None;
    pool.tied(|y| kept = Some(y));
    let mut escapee = None;
    pool.scoped(|scope| {
        escapee = Some(scope); //~ ERROR E0521
    });
    println!("{:?}", kept);
}
"#,
    );
}
