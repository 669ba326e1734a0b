//! Match guards and bounds checks as rustc lowers them: fake borrows of what a `match` tests held
//! through its guards (E0510), bindings seen by reference in guards (E0506, E0507), guards of
//! or-patterns run once per alternative (E0382), and the fake borrows of slice bounds checks
//! (E0510 in indexing expressions). Run with `BORROWLENS_FIXTURES_RUSTC=1` to have rustc confirm
//! every marker.

use borrowlens_tests::check_diagnostics;

// Programs rustc accepts: nothing may be reported.

#[test]
fn a_guard_sees_a_by_value_binding_by_reference() {
    // The binding is made after the guard: a guard that fails moves nothing, so the next arm
    // may take the value.
    check_diagnostics(
        r#"
fn len(s: Option<String>) -> usize {
    match s {
        Some(x) if x.len() > 2 => x.len(),
        Some(y) => y.len(),
        None => 0,
    }
}

fn main() {
    println!("{}", len(Some(String::new())));
}
"#,
    );
}

#[test]
fn writes_in_guards_that_no_arm_tests() {
    check_diagnostics(
        r#"
fn wildcards(mut q: i32, mut w: (&mut bool,)) {
    match q {
        _ if { q = 1; false } => (),
        _ => (),
    }
    match w {
        _ => (),
        _ if { *w.0 = true; false } => (),
        _x => (),
    }
}

fn through_a_reference(mut p: &bool) {
    match *p {
        _ if { p = &true; false } => (),
        _ => (),
    }
}

fn main() {
    wildcards(0, (&mut false,));
    through_a_reference(&true);
}
"#,
    );
}

#[test]
fn a_guard_that_diverges_after_writing() {
    // The fake borrows end where the guard holds: a guard that never holds keeps nothing.
    check_diagnostics(
        r#"
fn diverges(mut v: Option<i32>) {
    match v {
        Some(1) if { v = None; panic!() } => (),
        _ => (),
    }
}

fn holds_only_by_panicking(mut v: Option<i32>) {
    match v {
        Some(1) if { v = None; false } && panic!() => (),
        _ => (),
    }
}

fn main() {
    diverges(None);
    holds_only_by_panicking(None);
}
"#,
    );
}

#[test]
fn a_ref_mut_binding_read_in_the_guard_and_written_in_the_arm() {
    check_diagnostics(
        r#"
fn main() {
    let mut v = Some(4);
    match v {
        None => {}
        ref mut foo if foo.is_some() && false => {
            foo.take();
        }
        Some(s) => println!("{s}"),
    }
    match Some(String::new()) {
        None => {}
        mut s if s.is_some() => {
            s.take();
        }
        Some(_) => {}
    }
}
"#,
    );
}

#[test]
fn an_array_index_has_no_bounds_check_to_invalidate() {
    check_diagnostics(
        r#"
fn arrays(x: &[&[i32]; 1]) -> i32 {
    let mut x = x;
    let z: &[i32] = &[1, 2, 3];
    let y: &[&[i32]; 1] = &[z];
    x[0][{ x = y; 2 }]
}

fn before_the_check(x: &[&[i32]]) -> i32 {
    let mut x = x;
    let z: &[i32] = &[1, 2, 3];
    let y: &[&[i32]] = &[z];
    x[{ x = y; 0 }][2]
}

fn main() {
    println!("{}", arrays(&[&[1, 2, 3]]));
    println!("{}", before_the_check(&[&[1, 2, 3]]));
}
"#,
    );
}

#[test]
fn a_by_value_binding_moved_in_the_arm_after_its_guard() {
    check_diagnostics(
        r#"
fn main() {
    let v: Option<String> = Some(String::new());
    match v {
        Some(s) if !s.is_empty() => drop(s),
        Some(t) => drop(t),
        None => {}
    }
}
"#,
    );
}

// Programs rustc rejects.

#[test]
fn writing_a_tested_place_in_a_guard() {
    check_diagnostics(
        r#"
fn assign(mut q: bool) {
    match q {
        false if {
            q = true; //~ ERROR E0510
            true
        } => (),
        _ => (),
    }
}

fn a_previous_arm_tested_it(mut r: bool) {
    match r {
        true => (),
        _ if {
            r = true; //~ ERROR E0510
            true
        } => (),
        _ => (),
    }
}

fn borrowed_mutably(mut x: Option<Option<&i32>>) {
    match x {
        None => (),
        Some(None) => (),
        _ if {
            match x {
                Some(ref mut r) => *r = None, //~ ERROR E0510
                _ => return,
            };
            false
        } => (),
        Some(Some(r)) => println!("{}", r),
    }
}

fn main() {
    assign(false);
    a_previous_arm_tested_it(false);
    borrowed_mutably(None);
}
"#,
    );
}

#[test]
fn writing_the_reference_a_tested_place_lies_behind() {
    check_diagnostics(
        r#"
fn deref(mut y: &bool) {
    match *y {
        true => (),
        false if {
            y = &true; //~ ERROR E0510
            false
        } => (),
        false => (),
    }
}

fn default_binding_modes(mut a: &bool) {
    match a {
        true => (),
        false if {
            a = &true; //~ ERROR E0510
            false
        } => (),
        false => (),
    }
}

fn to_a_binding(mut b: &Option<i32>) {
    match b {
        &None => (),
        &Some(_) if {
            b = &None; //~ ERROR E0510
            false
        } => (),
        &Some(n) => println!("{n}"),
    }
}

fn main() {
    deref(&true);
    default_binding_modes(&true);
    to_a_binding(&None);
}
"#,
    );
}

#[test]
fn a_closure_called_in_a_guard_writes_what_the_match_tests() {
    check_diagnostics(
        r#"
fn main() {
    let mut x = &mut Some(&2);
    match x {
        &mut None => panic!("unreachable"),
        &mut Some(&_) if {
            (|| { *x = None; })(); //~ ERROR E0510
            false
        } => {}
        &mut Some(&a) => println!("{a}"),
    }
}
"#,
    );
}

#[test]
fn a_closure_called_in_a_guard_before_2021() {
    check_diagnostics(
        r#"
//@ edition:2015
struct ForceFnOnce;

fn main() {
    let mut x = &mut &Some(&2);
    let force_fn_once = ForceFnOnce;
    match **x {
        None => panic!("unreachable"),
        Some(&_) if {
            (|| { *x = &None; drop(force_fn_once); })(); //~ ERROR E0510
            false
        } => {}
        Some(&a) => println!("{}", a),
        _ => panic!("unreachable"),
    }
}
"#,
    );
}

#[test]
fn a_method_call_in_a_guard_mutably_borrows_the_tested_place() {
    check_diagnostics(
        r#"
fn main() {
    let mut v = Some(1);
    match v {
        Some(_) if {
            v.take(); //~ ERROR E0510
            false
        } => {}
        _ => {}
    }
}
"#,
    );
}

#[test]
fn writing_a_bound_place_in_the_guard() {
    check_diagnostics(
        r#"
fn whole(mut t: bool) {
    match t {
        s if {
            t = !t; //~ ERROR E0506
            s
        } => (),
        _ => (),
    }
}

fn part(mut v: (i32, i32)) {
    match v {
        (1, n) if {
            v.1 = 3; //~ ERROR E0506
            n > 0
        } => (),
        _ => (),
    }
}

fn main() {
    whole(true);
    part((1, 2));
}
"#,
    );
}

#[test]
fn moving_a_binding_out_in_its_guard() {
    check_diagnostics(
        r#"
fn take<T>(_: T) -> bool {
    false
}

fn by_value(v: Option<String>) {
    match v {
        Some(s) if take(s) => (), //~ ERROR E0507
        _ => (),
    }
}

fn a_ref_mut_into_a_closure() {
    match Some(&4) {
        None => {}
        ref mut foo
            if {
                (|| { let bar = foo; bar.take() })(); //~ ERROR E0507
                false
            } => {}
        Some(s) => println!("{s}"),
    }
}

fn main() {
    by_value(None);
    a_ref_mut_into_a_closure();
}
"#,
    );
}

#[test]
fn an_or_patterns_guard_runs_once_per_alternative() {
    check_diagnostics(
        r#"
fn take<T>(_: T) -> bool {
    false
}

fn top(v: (i32, i32)) {
    let x = String::new();
    match v {
        (1, _) | (_, 2) if take(x) => (), //~ ERROR E0382
        _ => (),
    }
}

fn nested(v: Option<i32>) {
    let x = String::new();
    match v {
        Some(1 | 2) if take(x) => (), //~ ERROR E0382
        _ => (),
    }
}

fn main() {
    top((1, 2));
    nested(None);
}
"#,
    );
}

#[test]
fn moving_the_scrutinee_in_a_guard_then_testing_it_again() {
    check_diagnostics(
        r#"
fn main() {
    let b = &mut true;
    match b { //~ ERROR E0382
        &mut false => {}
        _ if {
            (|| { let bar = b; *bar = false; })();
            false
        } => {}
        &mut true => {}
        _ => {}
    }
}
"#,
    );
}

#[test]
fn writing_a_slice_in_an_enclosing_index() {
    check_diagnostics(
        r#"
fn slices(x: &[&[i32]]) -> i32 {
    let mut x = x;
    let z: &[i32] = &[1, 2, 3];
    let y: &[&[i32]] = &[z];
    x[1][{ x = y; 2 }] //~ ERROR E0510
}

fn three_deep(x: &[&[&[i32]]]) -> i32 {
    let mut x = x;
    let z: &[&[i32]] = &[&[1], &[2], &[3]];
    let y: &[&[&[i32]]] = &[z];
    x[1][{ x = y; 2 }][0] //~ ERROR E0510
}

fn main() {
    println!("{}", slices(&[&[4, 5, 6], &[9, 10, 11]]));
    println!("{}", three_deep(&[&[&[4], &[5], &[6]], &[&[9], &[10], &[11]]]));
}
"#,
    );
}

// The unique borrow a closure takes to write through a `&mut` variable (which guards' E0510
// needs): its conflicts with assignments, uses and moves are the usual errors.

#[test]
fn a_closure_writing_through_a_mut_reference() {
    check_diagnostics(
        r#"
fn after_its_last_call(x: &mut i32) {
    let mut c = || *x = 1;
    c();
    println!("{}", *x);
}

fn read_while_it_lives(x: &mut i32) {
    let mut c = || *x = 1;
    let y = *x; //~ ERROR E0503
    c();
    println!("{y}");
}

fn moved_after_its_last_call(x: &mut String) {
    let mut c = || *x = String::new();
    c();
    let y = x;
    y.push('a');
}

fn main() {
    after_its_last_call(&mut 0);
    read_while_it_lives(&mut 0);
    moved_after_its_last_call(&mut String::new());
}
"#,
    );
}

#[test]
fn a_closure_writing_through_a_mut_reference_before_2021() {
    // Before edition 2021 the closure borrows the variable itself: assigning it is E0506.
    check_diagnostics(
        r#"
//@ edition:2015
fn reassigned<'a>(mut x: &'a mut String, z: &'a mut String) {
    let mut c = || *x = String::new();
    x = z; //~ ERROR E0506
    c();
    x.push('a');
}

fn main() {
    reassigned(&mut String::new(), &mut String::new());
}
"#,
    );
}
