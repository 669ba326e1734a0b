//! `'static` bounds on what a callee keeps: a closure passed to a `T: 'static` parameter (a
//! crate's own, or `std::thread::spawn`'s) must not borrow the caller's locals (E0373) nor hold
//! a parameter's data (E0521); a closure's regions are its captures'. A returned `impl Tr` or
//! `Box<dyn Tr>` outlives the body too. Run with
//! `BORROWLENS_FIXTURES_RUSTC=1` to have rustc confirm every marker.

use borrowlens_tests::check_diagnostics;

#[test]
fn a_crate_functions_static_bound() {
    check_diagnostics(
        r#"
fn run<F: FnOnce() + Send + 'static>(f: F) {
    f();
}

fn run_where<F>(f: F)
where
    F: FnOnce() + Send + 'static,
{
    f();
}

fn run_impl(f: impl FnOnce() + Send + 'static) {
    f();
}

fn local() {
    let v = vec![1];
    run(|| println!("{}", v.len())); //~ ERROR E0373
}

fn local_where() {
    let v = vec![1];
    run_where(|| println!("{}", v.len())); //~ ERROR E0373
}

fn local_impl() {
    let v = vec![1];
    run_impl(|| println!("{}", v.len())); //~ ERROR E0373
}

fn param(v: &Vec<i32>) {
    run(|| println!("{}", v.len())); //~ ERROR E0521
}

fn param_moved(v: &Vec<i32>) {
    run(move || println!("{}", v.len())); //~ ERROR E0521
}

fn main() {}
"#,
    );
}

#[test]
fn thread_spawn() {
    check_diagnostics(
        r#"
use std::thread;

fn local() {
    let v = vec![1];
    thread::spawn(|| println!("{}", v.len())); //~ ERROR E0373
}

fn param(v: &Vec<i32>) {
    thread::spawn(|| println!("{}", v.len())); //~ ERROR E0521
}

fn by_path(v: &Vec<i32>) {
    std::thread::spawn(move || println!("{}", v.len())); //~ ERROR E0521
}

fn main() {}
"#,
    );
}

// A returned `impl Tr` or `Box<dyn Tr>` outlives the body: a closure in it may not borrow a
// local.
#[test]
fn a_returned_closure_borrowing_a_local() {
    check_diagnostics(
        r#"
fn opaque() -> impl Fn() -> usize {
    let s = String::new();
    || s.len() //~ ERROR E0373
}

fn boxed() -> Box<dyn Fn() -> usize> {
    let s = String::new();
    Box::new(|| s.len()) //~ ERROR E0373
}

fn moved() -> impl Fn() -> usize {
    let s = String::new();
    move || s.len()
}

fn from_a_parameter<'a>(v: &'a Vec<i32>) -> impl Fn() -> usize + 'a {
    move || v.len()
}

fn iterator(v: &Vec<i32>) -> impl Iterator<Item = &i32> {
    v.iter()
}

fn owned() -> Box<dyn Iterator<Item = String>> {
    let v = vec![String::new()];
    Box::new(v.into_iter())
}

fn stored(v: &mut Vec<Box<dyn Fn() -> usize>>) {
    let s = String::new();
    v.push(Box::new(|| s.len())); //~ ERROR E0597
}

fn pushing(x: &mut Vec<u8>) -> impl FnMut() + '_ {
    || x.push(1)
}

fn main() {}
"#,
    );
}

// What outlives the body may go.
#[test]
fn owned_and_static_captures_are_fine() {
    check_diagnostics(
        r#"
use std::sync::Arc;
use std::thread;

fn run<F: FnOnce() + Send + 'static>(f: F) {
    f();
}

fn moved() {
    let v = vec![1];
    let h = thread::spawn(move || v.len());
    let n = h.join().unwrap();
    println!("{n}");
}

fn static_str(x: &'static str) {
    thread::spawn(move || println!("{x}"));
    run(move || println!("{x}"));
}

fn copied(x: i32) {
    run(move || println!("{x}"));
}

fn shared() {
    let data = Arc::new(vec![1]);
    let d = Arc::clone(&data);
    thread::spawn(move || d.len()).join().unwrap();
    println!("{}", data.len());
}

fn handle(v: Vec<i32>) -> thread::JoinHandle<usize> {
    thread::spawn(move || v.len())
}

fn scoped() {
    let v = vec![1];
    thread::scope(|s| {
        s.spawn(|| println!("{}", v.len()));
    });
}

fn returned<'a>(v: &'a Vec<i32>) -> Box<dyn Fn() -> usize + 'a> {
    Box::new(|| v.len())
}

fn main() {}
"#,
    );
}
