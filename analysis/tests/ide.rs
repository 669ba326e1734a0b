//! Snapshot tests of the IDE insights: inlay hints spliced into the source, hover text at a `$0`
//! cursor, and the live regions of the borrows at a cursor.

use borrowlens_analysis::{AnalysisHost, Edition, InlayConfig, RegionQuery, TextRange};
use expect_test::{expect, expect_file, Expect, ExpectFile};

fn host(
    src: &str,
) -> (
    borrowlens_analysis::Analysis,
    borrowlens_analysis::FileId,
    String,
) {
    let mut host = AnalysisHost::new();
    let text = src.replace("$0", "");
    let file = host.set_file("lib.rs", text.clone(), Edition::E2021);
    (host.snapshot(), file, text)
}

fn hints_spliced(src: &str, config: InlayConfig) -> String {
    let (a, file, text) = host(src);
    let hints = a
        .inlay_hints(
            file,
            TextRange {
                start: 0,
                end: text.len() as u32,
            },
            config,
        )
        .unwrap();
    let mut out = text;
    for h in hints.iter().rev() {
        out.insert_str(h.offset as usize, &h.label);
    }
    out
}

fn check_hints(src: &str, expect: Expect) {
    expect.assert_eq(&hints_spliced(src, InlayConfig::default()));
}

fn check_hints_file(path: &str, expect: ExpectFile) {
    let src = std::fs::read_to_string(path).unwrap();
    expect.assert_eq(&hints_spliced(&src, InlayConfig::default()));
}

fn check_hover(src: &str, expect: Expect) {
    let offset = src.find("$0").expect("a $0 cursor") as u32;
    let (a, file, text) = host(src);
    let hover = a.hover(file, offset).unwrap();
    let shown = match hover {
        Some(h) => format!(
            "{}\n---\n{}",
            &text[h.range.start as usize..h.range.end as usize],
            h.markdown
        ),
        None => "(no hover)".to_string(),
    };
    expect.assert_eq(&shown);
}

fn check_regions(src: &str, expect: Expect) {
    let offset = src.find("$0").expect("a $0 cursor") as u32;
    let (a, file, text) = host(src);
    let regions = a
        .regions(
            file,
            RegionQuery {
                offset: Some(offset),
                range: None,
            },
        )
        .unwrap();
    let slice = |r: TextRange| text[r.start as usize..r.end as usize].to_string();
    let shown: Vec<String> = regions
        .iter()
        .map(|r| {
            let live: Vec<String> = r.live.iter().map(|l| slice(*l)).collect();
            format!(
                "{:?} {} at `{}`{} live: {:?}",
                r.kind,
                r.place,
                slice(r.borrow),
                if r.conflicting { " (conflicting)" } else { "" },
                live
            )
        })
        .collect();
    expect.assert_eq(&shown.join("\n"));
}

const SEEDS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/corpus/seeds/files/seeds/"
);

#[test]
fn hints_on_the_reborrow_tree_seed() {
    check_hints_file(
        &format!("{SEEDS}s003_reborrow_tree.rs"),
        expect_file!["snapshots/s003_reborrow_tree.hints"],
    );
}

#[test]
fn hints_on_the_shared_then_exclusive_seed() {
    check_hints_file(
        &format!("{SEEDS}s002_shared_then_exclusive.rs"),
        expect_file!["snapshots/s002_shared_then_exclusive.hints"],
    );
}

#[test]
fn hints_on_the_two_phase_seed() {
    check_hints_file(
        &format!("{SEEDS}s002_two_phase.rs"),
        expect_file!["snapshots/s002_two_phase.hints"],
    );
}

#[test]
fn hints_on_the_field_split_seed() {
    check_hints_file(
        &format!("{SEEDS}s002_split_fields.rs"),
        expect_file!["snapshots/s002_split_fields.hints"],
    );
}

#[test]
fn only_conflicting_borrows_when_asked() {
    let src = "fn f() {\n    let mut v = vec![1];\n    let a = &v;\n    let b = &v;\n    v.push(1);\n    println!(\"{a:?}\");\n    let _ = b;\n}\n";
    expect![[r#"
        fn f() {
            let mut v = vec![1];
            let a = &v;
            let b = &v;
            v.push(1);
            println!("{a:?}");‹a: &v ends›
            let _ = b;
        }
    "#]]
    .assert_eq(&hints_spliced(
        src,
        InlayConfig {
            only_conflicting: true,
        },
    ));
}

#[test]
fn method_autorefs_say_what_they_borrow() {
    check_hints(
        "fn f(tasks: &mut Vec<String>) {\n    for t in tasks.iter() {\n        println!(\"{t}\");\n    }\n}\n",
        expect![[r#"
            fn f(tasks: &mut Vec<String>) {
                for t in tasks‹&*tasks›.iter() {
                    println!("{t}");
                }‹t: &*tasks ends›
            }
        "#]],
    );
}

#[test]
fn hover_on_a_reborrow_shows_the_chain() {
    check_hover(
        "fn main() {\n    let mut x = 0;\n    let r1 = &mut x;\n    let r1_2 = $0&mut *r1;\n    *r1_2 += 1;\n    *r1 += 1;\n}\n",
        expect![[r#"
            &mut *r1
            ---
            **mutable borrow** `&mut *r1` held by `r1_2`

            reborrow chain: `x ← r1 ← r1_2`

            live on line 5; kept alive by its last use on line 5: `*r1_2 += 1;`"#]],
    );
}

#[test]
fn hover_on_a_place_says_what_may_be_done() {
    check_hover(
        "fn main() {\n    let mut v = vec![1];\n    let first = &v[0];\n    let n = v$0.len();\n    println!(\"{first} {n}\");\n}\n",
        expect![[r#"
            v
            ---
            `v` here: read ✓ · write ✗ · move ✗ — borrowed by `&v` (line 3)"#]],
    );
}

#[test]
fn hover_on_a_binding_shows_its_borrow() {
    check_hover(
        "fn main() {\n    let mut s = String::new();\n    let r$0 = &mut s;\n    r.push('a');\n}\n",
        expect![[r#"
            r
            ---
            `r` holds a mutable borrow `&mut s`

            reborrow chain: `s ← r`

            live on line 4; kept alive by its last use on line 4: `r.push('a');`

            `r` here: read ✓ · write ✓ · move ✓ — no borrow of it is live"#]],
    );
}

#[test]
fn regions_at_a_cursor() {
    check_regions(
        "fn main() {\n    let mut x = 5;\n    let y = &x;\n    let z = &mut x;$0\n    *z += 1;\n    println!(\"y: {}\", y);\n}\n",
        expect![[r#"Shared x at `&x` (conflicting) live: ["&mut x;\n    *z += 1", "y"]"#]],
    );
}

#[test]
fn nothing_for_unknown_places() {
    let (a, file, _) = host("fn f() { $0 }");
    assert_eq!(a.hover(file, 9).unwrap(), None);
    assert!(a.regions(file, RegionQuery::default()).unwrap().is_empty());
}

#[test]
fn hints_name_what_the_user_wrote() {
    // A binding of a pattern matched through `&`, an element of a `Vec` and of an array, a field
    // of a temporary, the target of an `Rc`: as written, never a name the lowering made up.
    check_hints(
        r#"use std::rc::Rc;
enum Kind { Pair(String, String), One(String) }
struct Expr { kind: Kind }
struct List { items: Vec<String>, fixed: [String; 4] }
fn make() -> (String, String) { (String::new(), String::new()) }
fn use_it(_: &String) {}
impl List {
    fn f(&mut self, e: &Expr, i: usize, rc: Rc<String>) {
        match &e.kind {
            Kind::Pair(a, _) => use_it(a),
            Kind::One(s) => use_it(s),
        }
        let first = &self.items[i];
        let last = &self.fixed[i + 1];
        let temp = &make().0;
        let target = &*rc;
        use_it(first);
        use_it(last);
        use_it(temp);
        use_it(target);
    }
}
"#,
        expect![[r#"
            use std::rc::Rc;
            enum Kind { Pair(String, String), One(String) }
            struct Expr { kind: Kind }
            struct List { items: Vec<String>, fixed: [String; 4] }
            fn make() -> (String, String) { (String::new(), String::new()) }
            fn use_it(_: &String) {}
            impl List {
                fn f(&mut self, e: &Expr, i: usize, rc: Rc<String>) {
                    match &e.kind {
                        Kind::Pair(a‹e.kind ← a›, _) => use_it(a),‹a: &e.kind.0 ends›
                        Kind::One(s‹e.kind ← a ← s›) => use_it(s),‹a: &e.kind ends›‹s: &e.kind.0 ends›
                    }
                    let first = &self.items‹&self.items›[i]‹self.items ← first›;
                    let last = &self.fixed[i + 1];
                    let temp = &make().0;
                    let target = &*rc‹&rc›‹rc ← target›;
                    use_it(first);‹first: &self.items ends›‹first: &self.items[i] ends›
                    use_it(last);‹last: &self.fixed[i + 1] ends›
                    use_it(temp);‹temp: &make().0 ends›
                    use_it(target);‹target: &*rc ends›‹target: &rc ends›
                }
            }
        "#]],
    );
}

#[test]
fn hover_names_a_slice_pattern_and_a_temporary() {
    check_hover(
        "fn f(s: &mut [String]) {\n    if let [first, .., last] = s {\n        let r = &mut *first;\n        r.push('a');\n        la$0st.push('b');\n    }\n}\n",
        expect![[r#"
            last
            ---
            `last` holds a mutable borrow `&mut s[s.len() - 1]`

            reborrow chain: `s[s.len() - 1] ← last`

            live on lines 2–5; kept alive by its last use on line 5: `last.push('b');`

            `last` here: read ✓ · write ✓ · move ✓ — no borrow of it is live"#]],
    );
    check_hover(
        "fn f() {\n    let v = vec![String::new()];\n    let x = $0&v.iter().next().unwrap().len();\n    let _ = x;\n}\n",
        expect![[r#"
            &v.iter().next().unwrap().len()
            ---
            **shared borrow** `&v.iter().next().unwrap().len()` held by `x`

            reborrow chain: `v.iter().next().unwrap().len() ← x`

            live on lines 3–4; kept alive by its last use on line 4: `let _ = x;`"#]],
    );
}
