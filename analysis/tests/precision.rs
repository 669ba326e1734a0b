//! Precision regressions: programs rustc accepts (with their crates) on which the analysis once
//! reported errors. Each must stay silent. Found by checking the crates of `~/.cargo/registry`.

use borrowlens_analysis::{AnalysisHost, Edition};

#[track_caller]
fn check_silent(src: &str) {
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", src.to_string(), Edition::E2021);
    let diags = host.diagnostics(file);
    assert!(diags.is_empty(), "expected no diagnostics, got {diags:#?}");
}

/// The control of a silence test: the same program without what silences it reports `code`, so
/// the silence is the analysis's knowledge, not its blindness.
#[track_caller]
fn check_reports(src: &str, code: &str) {
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", src.to_string(), Edition::E2021);
    let codes: Vec<&str> = host.diagnostics(file).iter().map(|d| d.code).collect();
    assert!(codes.contains(&code), "expected {code}, got {codes:?}");
}

#[test]
fn controls_report_without_the_trigger() {
    check_reports(
        "fn f() {\n    let v = Vec::new();\n    let i = v.push(1);\n}\n",
        "E0596",
    );
    check_reports(
        "fn f() {\n    let vec = vec![0, 1, 2];\n    vec.push(3);\n}\n",
        "E0596",
    );
    check_reports(
        "struct File { path: u32 }\nfn f(input: File) {\n    g(input);\n    g(input);\n}\nfn g(f: File) {}\n",
        "E0382",
    );
    check_reports(
        "fn f(kind: String) -> Box<String> {\n    let a = Box::new(kind);\n    Box::new(kind)\n}\n",
        "E0382",
    );
    check_reports(
        "fn f() -> usize {\n    let prev: usize;\n    prev\n}\n",
        "E0381",
    );
    check_reports(
        "fn f(v: &mut Vec<u32>) {\n    let r = &v[0];\n    v[1] = 2;\n    let _ = r;\n}\n",
        "E0502",
    );
    check_reports(
        "fn test_parse_err(errors: &'static [(&str, &str)]) {}\nfn f() {\n    let brackets = String::new();\n    test_parse_err(&[(&brackets, \"x\")]);\n}\n",
        "E0716",
    );
}

#[test]
fn a_comment_saying_use_does_not_shadow_std() {
    // The `use` scan once read "use of moved value" in a comment as an import of `Box`.
    let mut host = AnalysisHost::new();
    let src = "struct A { b: Box<i32> }\nfn f() {\n    let x = A { b: Box::new(2) };\n    drop(x.b);\n    drop(*x.b); // use of moved value\n}\nfn g() { let v = A { b: Box::new(1) }; }\n";
    let file = host.set_file("lib.rs", src.to_string(), Edition::E2021);
    let codes: Vec<&str> = host.diagnostics(file).iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E0382"]);
}

#[test]
fn an_imported_vec_is_not_std_vec() {
    check_silent(
        "use boxcar::Vec;\nfn f() {\n    let v = Vec::new();\n    let i = v.push(1);\n    let r = &v;\n    v.push(2);\n    r.len();\n}\n",
    );
}

#[test]
fn a_qualified_macro_is_not_std_vec() {
    check_silent("fn f() {\n    let vec = boxcar::vec![0, 1, 2];\n    vec.push(3);\n}\n");
}

#[test]
fn an_attribute_macro_may_make_a_type_copy() {
    check_silent(
        "#[salsa::input]\nstruct File { path: u32 }\nfn f(input: File) {\n    g(input);\n    g(input);\n}\nfn g(f: File) {}\n",
    );
}

#[test]
fn std_names_of_user_types_are_user_types() {
    // `File` is `std::fs::File` only when nothing in the crate is called `File`.
    check_silent(
        "#[derive(Clone, Copy)]\nstruct File(u32);\nfn f(x: File) {\n    let a = x;\n    let b = x;\n}\n",
    );
}

#[test]
fn cfg_alternatives_are_not_sequential() {
    check_silent(
        "fn f(kind: String) -> Box<String> {\n    #[cfg(feature = \"alloc\")]\n    {\n        return Box::new(kind);\n    }\n    #[cfg(not(feature = \"alloc\"))]\n    {\n        Box::new(kind)\n    }\n}\n",
    );
}

#[test]
fn asm_may_initialize_what_it_names() {
    check_silent(
        "fn f(current: usize) -> usize {\n    let prev: usize;\n    unsafe { core::arch::asm!(\"nop\", inout(\"eax\") current => prev) };\n    prev\n}\n",
    );
}

#[test]
fn a_local_macro_may_initialize_any_local() {
    check_silent(
        "fn f() -> u64 {\n    let out: u64;\n    macro_rules! set { () => { out = 1; } }\n    set!();\n    out\n}\n",
    );
}

#[test]
fn calling_a_captured_closure_does_not_move_it() {
    check_silent(
        "fn f<F: FnMut(u32) -> u32>(mut f: F) -> u32 {\n    Some(1).map(|h| f(h)).unwrap_or_else(|| f(0))\n}\n",
    );
}

#[test]
fn fields_behind_a_generic_are_unknown() {
    // `[Mask<V>; N]` is `Copy` when `V` is, and `V: Vector` may imply it.
    check_silent(
        "#[derive(Clone, Copy)]\nstruct Mask<V>(V);\nstruct Slim<V> { masks: [Mask<V>; 2] }\nimpl<V: Vector> Slim<V> {\n    fn f(&self) -> [Mask<V>; 2] { self.masks }\n}\n",
    );
}

#[test]
fn a_method_of_impl_for_a_reference_is_not_the_owned_one() {
    check_silent(
        "struct B(Vec<u8>);\nimpl IntoIterator for B { type Item = u8; type IntoIter = std::vec::IntoIter<u8>; fn into_iter(self) -> Self::IntoIter { self.0.into_iter() } }\nimpl<'a> IntoIterator for &'a B { type Item = &'a u8; type IntoIter = std::slice::Iter<'a, u8>; fn into_iter(self) -> Self::IntoIter { self.0.iter() } }\nimpl B {\n    fn iter(&self) -> std::slice::Iter<'_, u8> { self.into_iter() }\n}\n",
    );
}

#[test]
fn the_right_side_is_read_before_the_left_place() {
    check_silent(
        "fn f(v: &mut Vec<u32>, a: usize, b: usize) {\n    v[a] = v[b];\n}\nstruct S { next: u32 }\nfn g(v: &mut Vec<S>, a: usize, b: usize) {\n    v[a].next = v[b].next;\n}\n",
    );
}

#[test]
fn while_let_bindings_end_on_continue() {
    check_silent(
        "fn f(mut it: std::vec::IntoIter<u32>) {\n    let mut prev = None;\n    while let Some(link) = it.next() {\n        prev = Some(link);\n        if link == 0 { continue; }\n    }\n    let _ = prev;\n}\n",
    );
}

#[test]
fn let_chain_bindings_end_on_the_else_path() {
    check_silent(
        "fn f(mut cur: Option<(u32, Vec<u32>)>) {\n    loop {\n        if let Some((a, b)) = &mut cur && let Some(x) = b.pop() {\n            let _ = (a, x);\n        } else {\n            break;\n        }\n    }\n}\n",
    );
}

#[test]
fn a_move_closure_in_2021_captures_a_copy_field() {
    check_silent(
        "struct F<'a> { base: Vec<u32>, count: &'a u32 }\nimpl<'a> F<'a> {\n    fn g(mut self) -> Self {\n        let c = move || *self.count;\n        self.base = Vec::new();\n        c();\n        self\n    }\n}\n",
    );
}

#[test]
fn borrows_do_not_flow_into_raw_pointers() {
    check_silent(
        "struct V { len: usize, buf: Vec<u32> }\nimpl V {\n    fn clear(&mut self) {\n        let elems: *mut [u32] = self.buf.as_mut_slice();\n        self.len = 0;\n        unsafe { std::ptr::drop_in_place(elems) };\n    }\n}\n",
    );
}

#[test]
fn an_inner_static_lifetime_does_not_make_the_argument_static() {
    check_silent(
        "fn test_parse_err(errors: &[(&str, &'static str)]) {}\nfn f() {\n    let brackets = String::new();\n    test_parse_err(&[(&brackets, \"x\")]);\n}\n",
    );
}

#[test]
fn a_generic_behind_a_reference_does_not_carry_the_reference() {
    check_silent(
        "fn cell_clone<T: Default + Clone>(cell: &std::cell::Cell<T>) -> T { cell.take() }\nenum U { None, Chain(std::rc::Rc<u32>) }\nfn f(mut u: std::rc::Rc<std::cell::Cell<U>>) {\n    loop {\n        match cell_clone(&u) {\n            U::None => return,\n            U::Chain(next) => u = next,\n        }\n    }\n}\n",
    );
}

#[test]
fn a_generic_passed_by_value_carries_its_borrows() {
    check_reports(
        "fn id<F>(f: F) -> F { f }\nfn f() {\n    let mut x = 3;\n    let c1 = id(|| x = 4);\n    let c2 = id(|| x = 5);\n    drop((c1, c2));\n}\n",
        "E0499",
    );
}

#[test]
fn borrows_of_constants_are_promoted() {
    check_silent(
        "struct V { poll: fn() }\nfn poll() {}\nfn vtable() -> &'static V {\n    &V { poll: poll }\n}\nfn it() -> std::slice::Iter<'static, u32> {\n    [].iter()\n}\n",
    );
}

#[test]
fn calling_a_field_does_not_move_it() {
    check_silent(
        "struct R<F> { f: F }\nimpl<F: Fn(u32) -> u32> R<F> {\n    fn call(&mut self, p: u32) -> u32 {\n        (self.f)(p)\n    }\n}\n",
    );
}

#[test]
fn a_macro_that_may_leave_makes_paths_guesses() {
    // `bail!()` may `return`: the path on which `x` stays uninitialized may not exist.
    check_silent("fn f(c: bool) -> u8 {\n    let x;\n    if c {\n        x = 1;\n    } else {\n        bail!();\n    }\n    x\n}\n");
    // A macro known not to leave does not hide the error.
    check_reports("fn f(c: bool) -> u8 {\n    let x;\n    if c {\n        x = 1;\n    } else {\n        println!();\n    }\n    x\n}\n", "E0381");
    // Nor does a local macro without control flow.
    check_reports(
        "macro_rules! use_it { ($e:expr) => { drop($e) } }\nfn f() {\n    let s = String::new();\n    use_it!(0);\n    drop(s);\n    drop(s);\n}\n",
        "E0382",
    );
}

#[test]
fn lifetime_bounds_relate_lifetimes() {
    check_reports(
        "fn f<'a, 'b>(x: &'a u8) -> &'b u8 {\n    x\n}\n",
        "lifetime",
    );
    check_silent("fn f<'a, 'b: 'a>(x: &'b u8) -> &'a u8 {\n    x\n}\n");
    check_silent("fn f<'a, 'b>(x: &'b u8) -> &'a u8 where 'b: 'a {\n    x\n}\n");
    check_silent("fn f<'a>(x: &'static u8) -> &'a u8 {\n    x\n}\n");
    // Elided parameter lifetimes are E0621, not this error.
    check_silent("fn f<'a>(x: &u8) -> &'a u8 {\n    x\n}\n");
}

#[test]
fn a_guard_may_write_what_the_match_does_not_test() {
    // Only wildcard arms: nothing is tested, so the guard may assign the scrutinee.
    check_silent("fn f(mut q: i32) {\n    match q {\n        _ if { q = 1; false } => (),\n        _ => (),\n    }\n}\n");
    // Writing through a reference held elsewhere is not writing the tested place.
    check_silent("fn f(mut s: bool) {\n    let h = &mut s;\n    match s {\n        _ if { *h = !*h; false } => (),\n        true => (),\n        false => (),\n    }\n}\n");
    // Control: a literal arm tests `t`, and the guard assigns it.
    check_reports("fn f(mut t: bool) {\n    match t {\n        true => (),\n        false if { t = true; false } => (),\n        false => (),\n    }\n}\n", "E0510");
}
