//! rustc's words for what the checker finds, where the place a message names is not the place
//! the code uses.

use borrowlens_analysis::{diagnostics_once, Edition};

fn messages(text: &str) -> Vec<(u32, &'static str, String)> {
    diagnostics_once(text, Edition::E2021)
        .unwrap()
        .into_iter()
        .map(|d| {
            let line = text[..d.range.start as usize].matches('\n').count() as u32 + 1;
            (line, d.code, d.message)
        })
        .collect()
}

/// A use through a deref of what was moved names what was moved (`x.b`, not `*x.b`), as rustc
/// names the closest move path.
#[test]
fn a_use_behind_a_moved_box_names_the_box() {
    let text = "struct A { a: isize, b: Box<isize> }
fn f() {
    let x = A { a: 1, b: Box::new(2) };
    drop(x.b);
    drop(*x.b);
}
";
    assert_eq!(
        messages(text),
        [(5, "E0382", "use of moved value: `x.b`".to_string())]
    );
}
