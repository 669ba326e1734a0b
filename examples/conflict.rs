//! An E0502 for the README: `first` borrows `v` while `push` needs it mutably.
//!
//! rustc reports: cannot borrow `v` as mutable because it is also borrowed as immutable.

fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0];
    v.push(4);
    println!("{first}");
}
