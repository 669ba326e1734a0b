//! Fixtures with spans annotated under the code, and multi-file cargo packages
//! (`borrowlens_tests::multi`). Each is confirmed by `cargo check` with
//! `BORROWLENS_FIXTURES_RUSTC=1`.
//!
//! Today every file is analysed alone: a verdict that needs a fact from another file of the crate
//! (a method's receiver, a field's type, a returned reference's lifetime) is `pending` until the
//! crate is analysed as a whole (issue 15), and must not be guessed meanwhile.

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
    check_fixture_pending(
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
    check_fixture_pending(
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
