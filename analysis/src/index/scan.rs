//! What the text says outside the items the index is built from: `use` declarations that shadow
//! std type names, and `macro_rules!` macros whose bodies cannot divert control flow.

use std::ops::ControlFlow;

use super::*;

/// std type names that a `use` from outside std can replace (`use hashbrown::HashMap;`).
pub(super) const STD_TYPE_NAMES: &[&str] = &[
    "Vec",
    "String",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "VecDeque",
    "BinaryHeap",
    "Box",
    "Rc",
    "Arc",
    "RefCell",
    "Cell",
    "Mutex",
    "RwLock",
    "Option",
    "Result",
    "Ref",
    "RefMut",
];

/// The file's `macro_rules!` macros whose bodies cannot divert control flow.
pub fn control_free_macros(text: &str) -> Vec<Name> {
    let mut out: Vec<Name> = Vec::new();
    // `contains` has a SIMD path that `find` lacks, and most files define no macro.
    if !text.contains("macro_rules!") {
        return out;
    }
    let mut rest = text;
    while let Some(i) = rest.find("macro_rules!") {
        rest = &rest[i + "macro_rules!".len()..];
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(open) = rest.find(['{', '(', '[']) else {
            break;
        };
        // The definition's extent: match the first delimiter.
        let mut depth = 0i32;
        let mut end = rest.len();
        for (j, c) in rest[open..].char_indices() {
            match c {
                '{' | '(' | '[' => depth += 1,
                '}' | ')' | ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let body = &rest[open..end];
        let words = body.split(|c: char| !(c.is_alphanumeric() || c == '_'));
        let diverts = body.contains('?')
            || words
                .into_iter()
                .any(|w| matches!(w, "return" | "break" | "continue" | "macro_rules"));
        if !name.is_empty() && !diverts {
            out.push(name.into());
        }
        rest = &rest[end..];
    }
    out
}

/// Names of std types that the file's `use` declarations import from elsewhere. A declaration
/// is a line that starts with `use` (after an optional visibility), up to its `;`.
pub fn shadowed_std_names(text: &str) -> Vec<Name> {
    let mut out: Vec<Name> = Vec::new();
    // This runs on every keystroke. Splitting the text into lines costs 30 ns a line. But a
    // declaration's line contains `use `, which `contains` finds at tens of bytes a nanosecond
    // (it has a SIMD path that `find` and the line splitting lack). So the text is cut into
    // short runs of whole lines, and only the runs that contain `use ` are read line by line.
    const RUN: usize = 256;
    let bytes = text.as_bytes();
    let mut run_start = 0;
    while run_start < bytes.len() {
        let past = (run_start + RUN).min(bytes.len());
        let run_end = first_newline(&bytes[past..]).map_or(bytes.len(), |i| past + i + 1);
        // Both ends follow a line break or are the text's ends: character boundaries.
        if text[run_start..run_end].contains("use ") {
            let mut line_start = run_start;
            for_each_newline(&bytes[run_start..run_end], |i| {
                let end = run_start + i;
                shadowed_in_line(text, line_start, &text[line_start..end], &mut out);
                line_start = end + 1;
                ControlFlow::Continue(())
            });
            if line_start < run_end {
                shadowed_in_line(text, line_start, &text[line_start..run_end], &mut out);
            }
        }
        run_start = run_end;
    }
    out
}

/// Calls `f` with the offset of every `\n` in `bytes`, in order, eight bytes at a time; stops
/// when `f` says so.
pub(super) fn for_each_newline(bytes: &[u8], mut f: impl FnMut(usize) -> ControlFlow<()>) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().unwrap()) ^ 0x0a0a_0a0a_0a0a_0a0a;
        // The high bit of each byte of `zero` is set exactly where `x` has a zero byte.
        let mut zero = !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
        while zero != 0 {
            if f(at + zero.trailing_zeros() as usize / 8).is_break() {
                return;
            }
            zero &= zero - 1;
        }
        at += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == b'\n' && f(at + i).is_break() {
            return;
        }
    }
}

pub(super) fn first_newline(bytes: &[u8]) -> Option<usize> {
    let mut first = None;
    for_each_newline(bytes, |i| {
        first = Some(i);
        ControlFlow::Break(())
    });
    first
}

/// `shadowed_std_names` for the line `line`, which starts at `start` in `text`.
pub(super) fn shadowed_in_line(text: &str, start: usize, line: &str, out: &mut Vec<Name>) {
    let bytes = line.as_bytes();
    let mut i = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(bytes.len());
    if bytes[i..].starts_with(b"pub") {
        i += 3;
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        if bytes.get(i) == Some(&b'(') {
            match bytes[i..].iter().position(|&b| b == b')') {
                Some(j) => i += j + 1,
                None => return,
            }
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                i += 1;
            }
        }
    }
    if !bytes[i..].starts_with(b"use ") {
        return;
    }
    let rest = &text[start + i + "use ".len()..];
    let end = rest.find(';').unwrap_or(rest.len()).min(4000);
    let end = (0..=end)
        .rev()
        .find(|&i| rest.is_char_boundary(i))
        .unwrap_or(0);
    let decl = rest[..end].trim_start_matches(':').trim();
    let root = decl
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    if matches!(root, "std" | "core" | "alloc") {
        return;
    }
    for word in decl.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if STD_TYPE_NAMES.contains(&word) && !out.iter().any(|n| &**n == word) {
            out.push(word.into());
        }
    }
}
