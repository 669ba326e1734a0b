//! Drop-check as rustc's borrow checker sees it (`liveness::trace`, `dropck_outlives`): where a
//! local that may be initialized is dropped, its drop uses the regions its type's destructor
//! needs. A user `Drop` impl needs them all; a type without one needs what its fields need;
//! std's containers are `#[may_dangle]`, so they need only what their elements' drops need;
//! references need nothing; a local moved away as a whole is not dropped. Run with
//! `BORROWLENS_FIXTURES_RUSTC=1` to have rustc confirm every marker.

use borrowlens_tests::check_diagnostics;

// Programs rustc accepts: nothing may be reported.

#[test]
fn a_vec_of_references_may_dangle_when_dropped() {
    check_diagnostics(
        r#"
fn main() {
    let mut v: Vec<&i32> = Vec::new();
    let x = 1;
    v.push(&x);
    println!("{}", v.len());
}
"#,
    );
}

#[test]
fn a_struct_without_drop_holding_a_reference() {
    check_diagnostics(
        r#"
struct Holder<'a> {
    r: &'a String,
    n: u32,
}

fn main() {
    let h;
    let s = String::from("s");
    h = Holder { r: &s, n: 1 };
    println!("{} {}", h.r, h.n);
}
"#,
    );
}

#[test]
fn a_value_moved_away_is_not_dropped_at_its_scope_end() {
    check_diagnostics(
        r#"
struct Wrap<'p> {
    p: &'p mut i32,
}

impl<'p> Drop for Wrap<'p> {
    fn drop(&mut self) {
        *self.p += 1;
    }
}

fn main() {
    let mut x = 0;
    let wrap = Wrap { p: &mut x };
    std::mem::drop(wrap);
    x = 1;
    println!("{}", x);
}
"#,
    );
}

#[test]
fn a_drop_type_declared_after_what_it_borrows() {
    check_diagnostics(
        r#"
struct Loud<'a>(&'a String);

impl<'a> Drop for Loud<'a> {
    fn drop(&mut self) {
        println!("{}", self.0);
    }
}

fn main() {
    let s = String::from("s");
    let l = Loud(&s);
    let _ = &l;
}
"#,
    );
}

#[test]
fn a_box_of_a_reference_is_dropped_without_using_it() {
    check_diagnostics(
        r#"
fn main() {
    let b;
    let x = 5;
    b = Box::new(&x);
    println!("{}", b);
}
"#,
    );
}

#[test]
fn a_drop_type_is_not_dropped_where_it_was_never_initialized() {
    check_diagnostics(
        r#"
struct Wrap<'p> {
    p: &'p mut i32,
}

impl<'p> Drop for Wrap<'p> {
    fn drop(&mut self) {
        *self.p += 1;
    }
}

fn pick(c: bool) {
    let mut x = 0;
    let w;
    if c {
        w = Wrap { p: &mut x };
        std::mem::drop(w);
    }
    x = 1;
    println!("{}", x);
}

fn main() {
    pick(true);
}
"#,
    );
}

#[test]
fn a_closure_storing_a_borrow_into_a_captured_collection() {
    check_diagnostics(
        r#"
use std::cell::Cell;

fn push() {
    let x = 1;
    let mut v: Vec<&i32> = Vec::new();
    let mut f = || v.push(&x);
    f();
}

fn set() {
    let x = 1;
    let c: Cell<Option<&i32>> = Cell::new(None);
    let f = || c.set(Some(&x));
    f();
}

fn main() {
    push();
    set();
}
"#,
    );
}

// Programs rustc rejects.

#[test]
fn a_drop_type_outlives_what_it_borrows() {
    check_diagnostics(
        r#"
struct Loud<'a>(&'a String);

impl<'a> Drop for Loud<'a> {
    fn drop(&mut self) {
        println!("{}", self.0);
    }
}

fn main() {
    let (l, s);
    s = String::from("s");
    l = Loud(&s); //~ ERROR E0597
}
"#,
    );
}

#[test]
fn a_struct_without_drop_whose_field_has_one() {
    check_diagnostics(
        r#"
struct Loud<'a>(&'a String);

impl<'a> Drop for Loud<'a> {
    fn drop(&mut self) {
        println!("{}", self.0);
    }
}

struct Outer<'a> {
    name: String,
    loud: Loud<'a>,
}

fn main() {
    let o;
    let s = String::from("s");
    o = Outer { name: String::new(), loud: Loud(&s) }; //~ ERROR E0597
    println!("{}", o.name);
}
"#,
    );
}

#[test]
fn a_vec_of_drop_types_uses_them_when_dropped() {
    check_diagnostics(
        r#"
struct Loud<'a>(&'a String);

impl<'a> Drop for Loud<'a> {
    fn drop(&mut self) {
        println!("{}", self.0);
    }
}

fn main() {
    let mut v: Vec<Loud> = Vec::new();
    let s = String::from("s");
    v.push(Loud(&s)); //~ ERROR E0597
}
"#,
    );
}

#[test]
fn a_cell_stores_the_borrow_its_drop_type_uses() {
    check_diagnostics(
        r#"
use std::cell::Cell;

struct Loud<'a> {
    next: Cell<Option<&'a String>>,
}

impl<'a> Drop for Loud<'a> {
    fn drop(&mut self) {
        println!("{:?}", self.next.get());
    }
}

fn main() {
    let l = Loud { next: Cell::new(None) };
    let s = String::from("s");
    l.next.set(Some(&s)); //~ ERROR E0597
}
"#,
    );
}

#[test]
fn a_partly_moved_value_is_still_dropped_by_its_whole_type() {
    check_diagnostics(
        r#"
struct Wrap<'p> {
    p: &'p mut i32,
}

impl<'p> Drop for Wrap<'p> {
    fn drop(&mut self) {
        *self.p += 1;
    }
}

struct Foo<'p> {
    a: String,
    b: Wrap<'p>,
}

fn main() {
    let mut x = 0;
    let wrap = Wrap { p: &mut x };
    let foo = Foo { a: String::new(), b: wrap };
    std::mem::drop(foo.a);
    x = 1; //~ ERROR E0506
}
"#,
    );
}

#[test]
fn a_value_moved_on_one_path_only_is_still_dropped() {
    check_diagnostics(
        r#"
struct Wrap<'p> {
    p: &'p mut i32,
}

impl<'p> Drop for Wrap<'p> {
    fn drop(&mut self) {
        *self.p += 1;
    }
}

fn main() {
    let mut x = 0;
    let wrap = Wrap { p: &mut x };
    if std::env::args().count() > 1 {
        std::mem::drop(wrap);
    }
    x = 1; //~ ERROR E0506
}
"#,
    );
}
