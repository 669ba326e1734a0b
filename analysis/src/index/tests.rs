//! The index's unit tests.

use super::scan::*;
use super::*;

/// `shadowed_std_names` as it is specified: every line, one at a time.
fn shadowed_line_by_line(text: &str) -> Vec<Name> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        shadowed_in_line(text, offset, line, &mut out);
        offset += line.len() + 1;
    }
    out
}

#[test]
fn shadowed_names_read_in_runs_equal_line_by_line() {
    let lines = [
        "use hashbrown::HashMap;",
        "    use smallvec::{SmallVec, Vec as V};",
        "pub(crate) use im::Vector as Vec;",
        "pub  use parking_lot::Mutex;",
        "pub(in crate::a) use x::RefCell",
        "use std::collections::HashMap;",
        "/// because we use Box here",
        "let because = 1; // use String",
        "pub(unclosed use x::Rc;",
        "\tuse a::{",
        "    Option, Result };",
        "fn f() { let v: Vec<u8> = Vec::new(); }",
        "é𝄞 use b::Cell;",
        "",
    ];
    let mut seed = 3u64;
    for round in 0..200 {
        let mut text = String::new();
        for _ in 0..(round % 40) * 3 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(lines[(seed >> 33) as usize % lines.len()]);
            text.push_str(if (seed >> 40) & 3 == 0 { "\r\n" } else { "\n" });
        }
        if round % 2 == 0 {
            text.pop();
        }
        assert_eq!(
            shadowed_std_names(&text),
            shadowed_line_by_line(&text),
            "{text:?}"
        );
    }
}
