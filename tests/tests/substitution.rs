//! Generic substitution and std's smart pointers: what a result holds of its inputs by its
//! instantiated signature (`Option<&T>::unwrap`, `Iterator::next` on `Iter<'_, T>`), the
//! well-formedness of a reference (`&'r T` requires `T: 'r`), and `*guard` through the `Deref`
//! of std's guards. Each error marker is what rustc 1.95 reports; run with
//! `BORROWLENS_FIXTURES_RUSTC=1` to have rustc confirm them.

use borrowlens_tests::{check_diagnostics, check_diagnostics_pending};

#[test]
fn an_unwrapped_reference_keeps_its_loan() {
    check_diagnostics(
        r#"
use std::collections::HashMap;

fn first(mut v: Vec<String>) {
    let f = v.first();
    let g = f.unwrap();
    v.clear(); //~ ERROR E0502
    println!("{g}");
}

fn chained(mut v: Vec<String>) {
    let g = v.get(0).expect("one");
    v.clear(); //~ ERROR E0502
    println!("{g}");
}

fn with_default(mut v: Vec<String>, d: &String) {
    let g = v.last().unwrap_or(d);
    v.push(String::new()); //~ ERROR E0502
    println!("{g}");
}

fn mutable(mut o: Option<String>) {
    let r = o.as_mut().unwrap();
    let q = o.as_ref(); //~ ERROR E0502
    r.push('a');
    println!("{q:?}");
}

fn in_a_map(mut map: HashMap<u32, String>) {
    let s = map.get(&1).unwrap();
    map.clear(); //~ ERROR E0502
    println!("{s}");
}

fn main() {}
"#,
    );
}

#[test]
fn an_iterators_items_keep_its_loan() {
    check_diagnostics(
        r#"
fn next(mut v: Vec<String>) {
    let mut it = v.iter();
    let g = it.next();
    v.clear(); //~ ERROR E0502
    println!("{g:?}");
}

fn chained(mut v: Vec<String>) {
    let g = v.iter().next().unwrap();
    v.clear(); //~ ERROR E0502
    println!("{g}");
}

fn max(mut v: Vec<i32>) {
    let m = v.iter().max().unwrap();
    v.push(4); //~ ERROR E0502
    println!("{m}");
}

fn lines(mut s: String) {
    let l = s.lines().next().unwrap();
    s.push('c'); //~ ERROR E0502
    println!("{l}");
}

fn collected(mut v: Vec<String>) {
    let refs: Vec<&String> = v.iter().collect();
    v.clear(); //~ ERROR E0502
    println!("{}", refs.len());
}

fn words(mut s: String) {
    let w: std::collections::HashSet<&str> = s.split_whitespace().collect();
    s.clear(); //~ ERROR E0502
    println!("{}", w.len());
}

fn main() {}
"#,
    );
}

// What holds no borrow, or holds it no longer, says nothing.
#[test]
fn values_out_of_a_borrow_are_free() {
    check_diagnostics(
        r#"
fn chars(mut s: String) {
    let c = s.chars().next().unwrap();
    s.push(c);
}

fn cloned(mut v: Vec<String>) {
    let c = v.first().cloned().unwrap();
    v.clear();
    println!("{c}");
}

fn copied(mut v: Vec<u32>) {
    let c = v.iter().copied().max().unwrap();
    v.clear();
    println!("{c}");
}

fn taken(mut o: Option<String>) {
    let t = o.take();
    o = Some(String::new());
    println!("{t:?} {o:?}");
}

fn lengths(mut v: Vec<String>) {
    let n: Vec<usize> = v.iter().map(|s| s.len()).collect();
    v.clear();
    println!("{}", n.len());
}

fn reversed(mut s: String) {
    let t: String = s.chars().rev().collect();
    s.clear();
    println!("{t}");
}

fn counted(mut v: Vec<String>) {
    let n = v.iter().map(|s| s.len()).next();
    v.clear();
    println!("{n:?}");
}

fn error_with_a_borrow<'e>(mut v: Vec<u8>, r: Result<u8, &'e str>) {
    let x = r.unwrap();
    v.push(x);
}

fn main() {}
"#,
    );
}

// A built-in operator reads its left operand before it evaluates the right one: a borrow used
// there ends before what the right side borrows.
#[test]
fn a_left_operand_is_read_first() {
    check_diagnostics(
        r#"
fn tuple(v: &mut Vec<(u8, usize)>) {
    let (_, c) = v.last_mut().unwrap();
    *c += 1;
    if *c >= v.len() {
        v.pop();
    }
}

fn plain(v: &mut Vec<usize>) {
    let c = v.last_mut().unwrap();
    *c += 1;
    let n = *c + v.len();
    println!("{n}");
}

fn swapped(v: &mut Vec<usize>) {
    let c = v.last_mut().unwrap();
    if v.len() >= *c { //~ ERROR E0502
        v.pop();
    }
}

fn main() {}
"#,
    );
}

// The operand of an extending borrow is extending too: its own borrows' temporaries live as
// long as the `let`'s binding.
#[test]
fn temporaries_in_a_borrowed_array_are_extended() {
    check_diagnostics(
        r#"
struct Field {
    i: usize,
}

fn field(i: usize) -> Option<Field> {
    Some(Field { i })
}

fn total(values: &[(&Field, Option<u32>)]) -> usize {
    values.iter().map(|(f, _)| f.i).sum()
}

fn main() {
    let values = &[(&field(1).unwrap(), None), (&field(2).unwrap(), Some(1))];
    println!("{}", total(values));
}
"#,
    );
}

#[test]
fn a_reference_keeps_what_its_referent_holds() {
    check_diagnostics(
        r#"
fn through_a_borrow(mut v: Vec<i32>) {
    let mut it = v.iter();
    let r = &mut it;
    v.push(1); //~ ERROR E0502
    r.next();
}

fn main() {}
"#,
    );
}

#[test]
fn a_guard_is_borrowed_by_its_deref() {
    check_diagnostics(
        r#"
use std::cell::RefCell;
use std::sync::Mutex;

fn outlived() {
    let m = RefCell::new(0);
    let p;
    {
        let b = m.borrow();
        p = &*b; //~ ERROR E0597
    }
    println!("{p}");
}

fn dropped(c: &RefCell<Vec<i32>>) {
    let b = c.borrow();
    let r = &*b;
    drop(b); //~ ERROR E0505
    let n = r.len();
    println!("{n}");
}

fn twice(c: &RefCell<Vec<i32>>) {
    let mut b = c.borrow_mut();
    let r = &mut *b;
    b.push(2); //~ ERROR E0499
    r.push(1);
}

fn fields(c: &RefCell<(i32, String)>) {
    let mut b = c.borrow_mut();
    let x = &mut b.0;
    let y = &mut b.1; //~ ERROR E0499
    *x += 1;
    y.push('a');
}

fn not_mutable(m: &Mutex<i32>) {
    let g = m.lock().unwrap();
    *g += 1; //~ ERROR E0596
}

fn main() {}
"#,
    );
}

#[test]
fn a_guard_is_borrowed_by_its_index() {
    check_diagnostics(
        r#"
use std::cell::RefCell;
use std::sync::Mutex;

fn dropped(m: &Mutex<Vec<i32>>) {
    let g = m.lock().unwrap();
    let r = &g[0];
    drop(g); //~ ERROR E0505
    println!("{r}");
}

fn pushed(c: &RefCell<Vec<String>>) {
    let mut g = c.borrow_mut();
    let r = &g[0];
    g.push(String::new()); //~ ERROR E0502
    println!("{r}");
}

fn in_turn(c: &RefCell<Vec<String>>) {
    let mut g = c.borrow_mut();
    g[0].push('a');
    let n = g[0].len();
    g.push(String::new());
    println!("{n}");
}

fn main() {}
"#,
    );
}

#[test]
fn guards_used_one_after_another_are_fine() {
    check_diagnostics(
        r#"
use std::cell::RefCell;
use std::sync::{Mutex, RwLock};

fn assigned(m: &Mutex<i32>) {
    *m.lock().unwrap() = 5;
}

fn updated(m: &Mutex<i32>) {
    let mut g = m.lock().unwrap();
    *g += 1;
    let x = *g + 1;
    *g = x;
}

fn in_turn(c: &RefCell<Vec<i32>>) {
    let mut b = c.borrow_mut();
    let r = &mut *b;
    r.push(1);
    b.push(2);
}

fn fields_in_turn(c: &RefCell<(i32, String)>) {
    let mut b = c.borrow_mut();
    b.0 += 1;
    b.1.push('a');
    let (x, y) = &mut *b;
    *x += 1;
    y.push('b');
}

fn copied_out(c: &RefCell<i32>) {
    let b = c.borrow();
    let x: i32 = *b;
    drop(b);
    println!("{x}");
}

fn cloned_out(l: &RwLock<String>) {
    let w = l.read().unwrap();
    let s = (*w).clone();
    drop(w);
    println!("{s}");
}

fn returned(c: &RefCell<String>) -> usize {
    let b = c.borrow();
    let s = &*b;
    s.len()
}

fn main() {}
"#,
    );
}

#[test]
fn a_maps_entry_keeps_the_map_borrowed() {
    check_diagnostics(
        r#"
use std::collections::{BTreeMap, HashMap};

fn twice(mut map: HashMap<u32, Vec<u32>>) {
    let a = map.entry(1).or_default();
    let b = map.entry(2).or_default(); //~ ERROR E0499
    a.push(1);
    b.push(2);
}

fn read_while_held(mut map: BTreeMap<u32, String>) {
    let s = map.entry(1).or_insert_with(String::new);
    let n = map.len(); //~ ERROR E0502
    s.push('a');
    println!("{n}");
}

fn in_turn(mut map: HashMap<u32, u32>) {
    *map.entry(1).or_insert(0) += 1;
    let c = map.entry(2).and_modify(|c| *c += 1).or_insert(1);
    *c += 1;
    let n = map.len();
    println!("{n}");
}

fn main() {}
"#,
    );
}

#[test]
fn std_types_by_their_real_paths() {
    check_diagnostics(
        r#"
fn rc() {
    let r = std::rc::Rc::new(String::new());
    let s = *r; //~ ERROR E0507
    println!("{s}");
}

fn map() {
    let m = std::collections::hash_map::HashMap::<u32, String>::new();
    let a = m;
    let b = m; //~ ERROR E0382
    println!("{a:?} {b:?}");
}

fn main() {}
"#,
    );
}

// A loan of the previous iteration still live where the same borrow is made again.
#[test]
fn a_borrow_stored_across_iterations() {
    check_diagnostics(
        r#"
fn stored() {
    let mut refs: Vec<&mut i32> = Vec::new();
    let mut x = 0;
    for _ in 0..2 {
        refs.push(&mut x); //~ ERROR E0499
    }
}

fn kept() {
    let mut x = 0;
    let mut v: Vec<&mut i32> = Vec::new();
    loop {
        let r = &mut x; //~ ERROR E0499
        v.push(r);
    }
}

fn released() {
    let mut x = 0;
    let mut last = 0;
    for _ in 0..2 {
        let r = &mut x;
        *r += 1;
        last = *r;
    }
    println!("{last}");
}

fn main() {}
"#,
    );
}

// A by-value `self` holds its type's lifetimes: what it returns of them keeps its loans.
#[test]
fn a_by_value_receiver_gives_out_its_borrows() {
    check_diagnostics(
        r#"
#[derive(Clone, Copy)]
struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(self) -> &'a str {
        &self.s[self.pos..]
    }
    fn name(self, _: u8) -> &'a str {
        self.s
    }
}

struct Holder<'a> {
    p: Parser<'a>,
}

impl<'a> Holder<'a> {
    fn get(&self) -> &'a str {
        self.p.rest()
    }
}

fn bound(mut s: String) {
    let p = Parser { s: &s, pos: 1 };
    let r = p.rest();
    s.push('d'); //~ ERROR E0502
    println!("{r}");
}

fn temporary(mut s: String) {
    let r = Parser { s: &s, pos: 0 }.name(1);
    s.clear(); //~ ERROR E0502
    println!("{r}");
}

fn through_a_reference<'x>(h: &Holder<'x>) -> &'x str {
    h.p.rest()
}

fn main() {}
"#,
    );
}

// The receiver of a method the analysis cannot resolve may be dereferenced mutably: the borrow of
// the guard is not known to be shared (it was reported as E0502 where rustc says E0499).
#[test]
fn a_guard_under_an_unknown_method() {
    check_diagnostics_pending(
        r#"
use std::cell::RefCell;
use std::collections::HashMap;

trait Poke {
    fn poke(&mut self);
}

impl<K, V> Poke for HashMap<K, V> {
    fn poke(&mut self) {}
}

struct Nfa {
    map: HashMap<u32, u32>,
}

fn poked(c: &RefCell<Nfa>) {
    let mut nfa = c.borrow_mut();
    let m = &mut nfa;
    nfa.map.poke(); //~ ERROR E0499
    let _ = &m;
}

fn main() {}
"#,
    );
}
