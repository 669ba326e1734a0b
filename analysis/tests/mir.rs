//! Snapshots of the lowered body (`Analysis::view_mir`, printed by `mir::pretty`): what the
//! borrow checker sees for small programs, one mechanism each. A change to the lowering shows
//! here as a change of text; review it, then accept it with `UPDATE_EXPECT=1 cargo test -p
//! borrowlens-analysis --test mir`. `$0` marks the function to print.

use borrowlens_analysis::{AnalysisHost, Edition};
use expect_test::{expect, Expect};

fn check(fixture: &str, expect: Expect) {
    let offset = fixture.find("$0").expect("a `$0` marks the function");
    let text = fixture.replace("$0", "");
    let mut host = AnalysisHost::new();
    let file = host.set_file("lib.rs", text, Edition::E2021);
    let mir = host
        .snapshot()
        .view_mir(file, offset as u32)
        .unwrap()
        .expect("a function at the marker");
    expect.assert_eq(&mir);
}

#[test]
fn a_shared_borrow_then_a_two_phase_call() {
    check(
        r#"
fn f() {$0
    let mut v = vec![1];
    let first = &v[0];
    v.push(*first);
}
"#,
        expect![[r#"
            fn f
            body() {
                let mut _0: (); // return 3..4
                let mut _1: Vec<i32>; // user `v` 21..22
                let _2: &i32; // user `first` 42..47
                let mut _3: &Vec<i32>; // temp 51..52
                let mut _4: &i32; // temp `v[_]` 51..55
                let mut _5: (); // temp 61..75
                let mut _6: &mut Vec<i32>; // temp 61..62
                let mut _7: i32; // temp 68..74
                bb0: {
                    _1 = aggregate(const); // 25..32
                    _3 = &_1; // 51..52
                    _4 = call(move _3, const) -> bb1, returns borrows of args [0]; // 51..55
                }
                bb1: {
                    _2 = &(*_4); // 50..55
                    _6 = &two_phase _1; // 61..62
                    _7 = copy (*_2); // 68..74
                    _5 = call(move _6, move _7) -> bb2; // 61..75
                }
                bb2: {
                    _0 = const; // 7..78
                    StorageDead(_2); // 77..78
                    StorageDead(_1); // 77..78
                    return; // 78..78
                }
                bb3: {
                    unreachable; // 0..0
                }
            }
        "#]],
    );
}

#[test]
fn reborrow_through_a_mutable_reference() {
    check(
        r#"
struct P { x: i32, y: i32 }
fn f(p: &mut P) -> &mut i32 {$0
    let r = &mut *p;
    let x = &mut r.x;
    *x += 1;
    &mut p.y
}
"#,
        expect![[r#"
            fn f
            body(ret_holds_borrow) {
                let mut _0: &mut i32; // return 3..4
                let _1: &mut P@crate; // arg `p` 5..6
                let _2: &mut P@crate; // user `r` 38..39
                let _3: &mut i32; // user `x` 59..60
                let mut _4: ?; // temp 77..84
                bb0: {
                    _2 = &mut (*_1); // 42..49
                    _3 = &mut (*_2).x; // 63..71
                    Eval(copy (*_3)); // 77..84
                    (*_3) = opaque(const); // 77..84
                    _4 = const; // 77..84
                    _0 = &mut (*_1).y; // 90..98
                    StorageDead(_3); // 99..100
                    StorageDead(_2); // 99..100
                    StorageDead(_1); // 28..100
                    return; // 100..100
                }
                bb1: {
                    unreachable; // 0..0
                }
            }
        "#]],
    );
}

#[test]
fn a_move_in_one_branch_of_a_match() {
    check(
        r#"
fn f(o: Option<String>, c: bool) -> usize {$0
    let s = String::new();
    match o {
        Some(t) if c => drop(t),
        _ => drop(s),
    }
    0
}
"#,
        expect![[r#"
            fn f
            body() {
                let mut _0: usize; // return 3..4
                let _1: Option<String>; // arg `o` 5..6
                let _2: bool; // arg `c` 24..25
                let _3: String; // user `s` 52..53
                let mut _4: ?; // temp 75..145
                let mut _5: ?; // temp 81..82
                let mut _6: &String; // temp 98..99
                let _7: String; // user `t` 98..99
                let _8: String; // user `t` 98..99
                let mut _9: String; // temp 114..115
                let mut _10: String; // temp 136..137
                bb0: {
                    _3 = call() -> bb1; // 56..69
                }
                bb1: {
                    FakeRead(_1); // 81..82
                    switch -> [bb3, bb4]; // 81..82
                }
                bb2: {
                    _0 = const; // 150..151
                    StorageDead(_3); // 152..153
                    StorageDead(_2); // 42..153
                    StorageDead(_1); // 42..153
                    return; // 153..153
                }
                bb3: {
                    Discriminant(_1); // 81..82
                    _6 = &(_1 as Some).0; // 98..99
                    _7 = use (*_6); // uncertain, 98..99
                    _5 = &fake shallow _1; // 81..82
                    Eval(copy _2); // 104..105
                    switch -> [bb7, bb6]; // 104..105
                }
                bb4: {
                    _10 = move _3; // 136..137
                    _4 = call(move _10) -> bb11; // 131..138
                }
                bb5: {
                    unreachable; // 0..0
                }
                bb6: {
                    FakeRead(_5); // 104..105
                    FakeRead(_6); // 104..105
                    _8 = move (_1 as Some).0; // 98..99
                    _9 = move _8; // 114..115
                    _4 = call(move _9) -> bb9; // 109..116
                }
                bb7: {
                    StorageDead(_7); // 93..117
                    goto -> bb4; // 93..117
                }
                bb8: {
                    unreachable; // 0..0
                }
                bb9: {
                    StorageDead(_8); // 116..116
                    StorageDead(_7); // 116..116
                    goto -> bb2; // 93..117
                }
                bb10: {
                    unreachable; // 0..0
                }
                bb11: {
                    goto -> bb2; // 126..139
                }
                bb12: {
                    unreachable; // 0..0
                }
                bb13: {
                    unreachable; // 0..0
                }
            }
        "#]],
    );
}

#[test]
fn a_closure_captures_by_unique_borrow() {
    check(
        r#"
fn f() {$0
    let mut n = 0;
    let mut inc = || n += 1;
    inc();
    println!("{n}");
}
"#,
        expect![[r#"
            fn f
            body(capture _3) {
                let mut _0: (); // return 3..4
                let mut _1: i32; // user `n` 21..22
                let mut _2: {closure}<'_, &mut i32>; // user `inc` 40..43
                let mut _3: &mut i32; // temp 49..50
                let mut _4: ?; // temp 61..66
                let mut _5: &mut {closure}<'_, &mut i32>; // temp 61..64
                let mut _6: ?; // temp 72..87
                let mut _7: &i32; // temp 83..84
                bb0: {
                    _1 = const; // 25..26
                    _3 = &mut _1; // 46..55
                    _2 = aggregate(move _3); // 46..55
                    _5 = &mut _2; // 61..64
                    _4 = call(move _5) -> bb1; // 61..66
                }
                bb1: {
                    _7 = &_1; // 83..84
                    _6 = opaque(); // 72..87
                    _0 = const; // 7..90
                    StorageDead(_2); // 89..90
                    StorageDead(_1); // 89..90
                    return; // 90..90
                }
                bb2: {
                    unreachable; // 0..0
                }
            }
            closure #0
            body() {
                let mut _0: ?; // return 46..55
                let mut _1: i32; // upvar `n` 21..22
                bb0: {
                    Eval(copy _1); // 49..55
                    _1 = opaque(const); // 49..55
                    _0 = const; // 49..55
                    StorageDead(_1); // 49..55
                    return; // 55..55
                }
                bb1: {
                    unreachable; // 0..0
                }
            }
        "#]],
    );
}

#[test]
fn a_loop_with_the_question_mark() {
    check(
        r#"
fn f(items: &[Option<u8>]) -> Option<u32> {$0
    let mut sum = 0u32;
    for it in items {
        sum += (*it)? as u32;
    }
    Some(sum)
}
"#,
        expect![[r#"
            fn f
            body() {
                let mut _0: Option<u32>; // return 3..4
                let _1: &[Option<u8>]; // arg `items` 5..10
                let mut _2: i32; // user `sum` 56..59
                let mut _3: ?; // temp 72..125
                let mut _4: IntoIter<'_>; // temp 82..87
                let mut _5: &mut ?; // temp 82..87
                let mut _6: ?; // temp 82..87
                let mut _7: &Option<u8>; // temp 76..78
                let _8: &Option<u8>; // user `it` 76..78
                let mut _9: (); // temp 88..125
                let mut _10: ?; // temp 98..118
                let mut _11: u32; // temp 105..118
                let mut _12: u8; // temp 105..111
                let mut _13: Option<u8>; // temp 106..109
                let mut _14: i32; // temp 135..138
                bb0: {
                    _2 = const; // 62..66
                    _4 = call(copy _1) -> bb1, returns borrows of args [0]; // 82..87
                }
                bb1: {
                    goto -> bb2; // 72..125
                }
                bb2: {
                    _5 = &mut _4; // 82..87
                    _6 = call(move _5) -> bb5; // 82..87
                }
                bb3: {
                    _3 = const; // 72..125
                    _14 = copy _2; // 135..138
                    _0 = aggregate(move _14); // 130..139
                    StorageDead(_4); // 140..141
                    StorageDead(_2); // 140..141
                    StorageDead(_1); // 42..141
                    return; // 141..141
                }
                bb4: {
                    _7 = use (_6 as Some).0; // uncertain, 76..78
                    _8 = copy _7; // 76..78
                    _13 = copy (*_8); // 106..109
                    switch -> [bb7, bb8]; // 105..111
                }
                bb5: {
                    _6 = aggregate(copy _4); // 82..87
                    switch -> [bb3, bb4]; // 82..87
                }
                bb6: {
                    unreachable; // 0..0
                }
                bb7: {
                    _12 = use (_13 as Some).0; // uncertain, 105..111
                    _11 = opaque(move _12); // 105..118
                    Eval(copy _2); // 98..118
                    _2 = opaque(move _11); // 98..118
                    _10 = const; // 98..118
                    _9 = const; // 88..125
                    StorageDead(_8); // 125..125
                    goto -> bb2; // 72..125
                }
                bb8: {
                    _0 = const; // 105..111
                    StorageDead(_8); // 105..111
                    StorageDead(_4); // 105..111
                    StorageDead(_2); // 105..111
                    StorageDead(_1); // 105..111
                    return; // 105..111
                }
                bb9: {
                    unreachable; // 0..0
                }
                bb10: {
                    unreachable; // 0..0
                }
                bb11: {
                    unreachable; // 0..0
                }
                bb12: {
                    unreachable; // 0..0
                }
            }
        "#]],
    );
}

#[test]
fn a_slice_bounds_check_inside_an_enclosing_index() {
    check(
        r#"
fn f(x: &[&[i32]], i: usize) -> i32 {$0
    x[i][0]
}
"#,
        expect![[r#"
            fn f
            body() {
                let mut _0: i32; // return 3..4
                let _1: &[&[i32]]; // arg `x` 5..6
                let _2: usize; // arg `i` 19..20
                let mut _3: ?; // temp 42..46
                bb0: {
                    Eval(copy _2); // 44..45
                    _3 = &fake shallow _1; // 42..46
                    Eval(const); // 47..48
                    FakeRead(_3); // 42..49
                    _0 = copy (*(*_1)[_])[_]; // 42..49
                    StorageDead(_2); // 36..51
                    StorageDead(_1); // 36..51
                    return; // 51..51
                }
                bb1: {
                    unreachable; // 0..0
                }
            }
        "#]],
    );
}
