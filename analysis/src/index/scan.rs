//! What the text says outside the items the index is built from: `use` declarations that shadow
//! std type names, and `macro_rules!` macros whose bodies cannot divert control flow.

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
    // Most files define no macro.
    if memchr::memmem::find(text.as_bytes(), b"macro_rules!").is_none() {
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
    // This runs on every keystroke: only the lines that contain `use ` are read (a declaration's
    // line does), found by `memchr`'s SIMD search.
    let bytes = text.as_bytes();
    let mut last_line = usize::MAX;
    for hit in memchr::memmem::find_iter(bytes, b"use ") {
        let start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |i| i + 1);
        if start == last_line {
            continue;
        }
        last_line = start;
        let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |i| hit + i);
        // Both ends follow or precede a line break or are the text's ends: character boundaries.
        shadowed_in_line(text, start, &text[start..end], &mut out);
    }
    out
}

/// Where `use ` starts in `line` when the line declares a `use` (after indentation and a
/// visibility): the lines `shadowed_std_names` reads.
pub fn use_at(bytes: &[u8]) -> Option<usize> {
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
            i += bytes[i..].iter().position(|&b| b == b')')? + 1;
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                i += 1;
            }
        }
    }
    bytes[i..].starts_with(b"use ").then_some(i)
}

/// `shadowed_std_names` for the line `line`, which starts at `start` in `text`.
pub(super) fn shadowed_in_line(text: &str, start: usize, line: &str, out: &mut Vec<Name>) {
    let Some(i) = use_at(line.as_bytes()) else {
        return;
    };
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
