//! House rules, checked on every `cargo test`: file headers, where output, tree-sitter and
//! rustc's message text may appear, no ignored or should-panic tests, no `dbg!`, a pure
//! `analysis` crate, `ty` below `mir`, panics that unwind, and files and functions of
//! `analysis/src` short enough to read.
//!
//! Code searches run on `scan::code_only` text, so comments, docs and string literals (fixtures,
//! these patterns) never count; searches for message text run on `scan::strings_only` text, so
//! only string literals count.

use std::fs;
use std::path::Path;

use borrowlens_tests::scan::{code_only, strings_only};
use borrowlens_tests::{rust_files, workspace_root};

const CRATE_DIRS: [&str; 4] = ["analysis", "server", "tests", "bench"];

/// Every `.rs` file of the crates, with its path relative to the root (`/`-separated). Files
/// under a `tests/data/` directory are inputs that tests read (a fuzzer's find kept byte for
/// byte), not the project's code: the rules do not apply to them.
fn sources() -> Vec<(String, String)> {
    let root = workspace_root();
    let mut acc = Vec::new();
    for dir in CRATE_DIRS {
        for path in rust_files(&root.join(dir)) {
            let relative = relative(&root, &path);
            if relative.contains("/tests/data/") {
                continue;
            }
            let text =
                fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            acc.push((relative, text));
        }
    }
    assert!(
        acc.len() > 10,
        "the walk found only {} files: is the root right?",
        acc.len()
    );
    acc
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// `path:line: text` for every line of code (comments and strings blanked) where `hit` is true.
fn find_in_code(
    files: &[(String, String)],
    skip: impl Fn(&str) -> bool,
    hit: impl Fn(&str) -> bool,
) -> Vec<String> {
    find_in(files, code_only, skip, hit)
}

/// `path:line: text` for every line whose `view` (its code, or its string literals) `hit` is true
/// of.
fn find_in(
    files: &[(String, String)],
    view: fn(&str) -> String,
    skip: impl Fn(&str) -> bool,
    hit: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut acc = Vec::new();
    for (path, text) in files.iter().filter(|(path, _)| !skip(path)) {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in view(text).lines().enumerate() {
            if hit(line) {
                acc.push(format!(
                    "{path}:{}: {}",
                    i + 1,
                    lines.get(i).unwrap_or(&"").trim()
                ));
            }
        }
    }
    acc
}

/// Whether `word` starts an identifier somewhere in `line`: `print!` is not found in `eprint!`,
/// nor `tree_sitter` in `uses_tree_sitter`.
fn names(line: &str, word: &str) -> bool {
    line.match_indices(word)
        .any(|(at, _)| !line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
}

fn identifiers(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|it| !it.is_empty())
}

#[track_caller]
fn assert_none(rule: &str, violations: Vec<String>) {
    assert!(
        violations.is_empty(),
        "{rule}:\n  {}",
        violations.join("\n  ")
    );
}

fn missing_doc_line(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .filter(|(_, text)| !text.starts_with("//!"))
        .map(|(path, _)| {
            format!("{path}: the first line should be a `//!` line saying what the file is for")
        })
        .collect()
}

fn stdout_outside_output(files: &[(String, String)]) -> Vec<String> {
    find_in_code(
        files,
        |path| !path.starts_with("server/src/") || path == "server/src/output.rs",
        |line| names(line, "print!") || names(line, "println!") || line.contains("stdout()"),
    )
}

fn ignored_or_should_panic(files: &[(String, String)]) -> Vec<String> {
    find_in_code(
        files,
        |_| false,
        |line| {
            let line = line.replace(' ', "");
            ["#[ignore]", "#[ignore=", "#[should_panic"]
                .iter()
                .any(|it| line.contains(it))
        },
    )
}

fn dbg_calls(files: &[(String, String)]) -> Vec<String> {
    find_in_code(files, |_| false, |line| names(line, "dbg!"))
}

fn tree_sitter_outside_syntax(files: &[(String, String)]) -> Vec<String> {
    find_in_code(
        files,
        |path| path.starts_with("analysis/src/syntax/"),
        |line| identifiers(line).any(|it| it == "tree_sitter" || it == "tree_sitter_rust"),
    )
}

/// Phrases of rustc's borrow-check messages and labels.
const RUSTC_PHRASES: [&str; 16] = [
    "cannot borrow",
    "cannot move out",
    "cannot assign",
    "cannot use",
    "cannot return",
    "occurs here",
    "later used here",
    "moved value",
    "value moved here",
    "does not live long enough",
    "not declared as mutable",
    "is borrowed here",
    "dropped here",
    "may outlive",
    "left uninitialized",
    "in match guard",
];

/// String literals of the analysis, outside `analysis/src/diagnostics/`, that hold rustc's words:
/// the lowering and the checker build typed errors (`errors.rs`) and only `diagnostics/` words
/// them, so that nothing reads message text back.
fn rustc_words_outside_diagnostics(files: &[(String, String)]) -> Vec<String> {
    find_in(
        files,
        strings_only,
        |path| !path.starts_with("analysis/src/") || path.starts_with("analysis/src/diagnostics/"),
        |line| RUSTC_PHRASES.iter().any(|it| line.contains(it)),
    )
}

/// The rooms of `analysis/src` and the rooms each may name, down the pipeline (ARCHITECTURE.md,
/// "Layers"): `syntax` reads `ast`; `index` and `ty` answer questions about items and types
/// (one layer: the index holds types, types ask the index); `mir` holds types; `errors` are
/// typed values about places; `lower` builds `mir` from the AST asking the index and `ty`;
/// `borrowck` reads `mir`; `diagnostics`, `fixes` and `ide` read the checker's results; `db`
/// wires the rooms into salsa queries and `ide` asks it; `lib.rs` is the face and may name any.
/// Names defined in `lib.rs` itself (`TextRange`, `Edition`, ...) are the shared words every
/// room may use.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &[]),
    ("ast", &["base"]),
    ("std_api", &[]),
    ("syntax", &["base", "ast"]),
    ("items", &["base", "ast"]),
    ("index", &["base", "ast", "std_api", "items", "ty"]),
    ("ty", &["base", "ast", "std_api", "items", "index"]),
    ("mir", &["base", "ast", "ty", "index"]),
    ("errors", &["base", "ast", "mir"]),
    (
        "lower",
        &[
            "base", "ast", "std_api", "items", "index", "ty", "mir", "errors",
        ],
    ),
    ("borrowck", &["base", "ast", "index", "ty", "mir", "errors"]),
    (
        "diagnostics",
        &["base", "ast", "items", "ty", "mir", "errors"],
    ),
    (
        "fixes",
        &[
            "base", "ast", "std_api", "index", "ty", "mir", "errors", "borrowck",
        ],
    ),
    (
        "db",
        &[
            "base", "ast", "syntax", "items", "index", "ty", "mir", "errors", "lower", "borrowck",
        ],
    ),
    (
        "batch",
        &["base", "ast", "syntax", "items", "index", "lower", "db"],
    ),
    (
        "ide",
        &[
            "base",
            "ast",
            "index",
            "ty",
            "mir",
            "errors",
            "borrowck",
            "diagnostics",
            "db",
        ],
    ),
];

/// The room of a file of `analysis/src`: its first path component without `.rs`; `None` for
/// `lib.rs` and files elsewhere.
fn room(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("analysis/src/")?;
    let first = rest.split('/').next()?;
    let room = first.strip_suffix(".rs").unwrap_or(first);
    (room != "lib").then_some(room)
}

/// The rooms a line of code names through `crate::`: `crate::mir::Body`, `use crate::{ast,
/// mir::Place}` (on one line).
fn rooms_named(line: &str) -> Vec<&str> {
    let mut acc = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let rest = &line[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            acc.extend(group.split(',').filter_map(|it| identifiers(it).next()));
        } else if let Some(name) = identifiers(rest).next() {
            if rest.starts_with(name) {
                acc.push(name);
            }
        }
    }
    acc
}

/// `path:line: text` where a room of `analysis/src` names a room it may not (see `LAYERS`).
fn layers_pointing_up(files: &[(String, String)]) -> Vec<String> {
    let rooms: Vec<&str> = LAYERS.iter().map(|(room, _)| *room).collect();
    let mut acc = Vec::new();
    for (path, text) in files {
        let Some(own) = room(path) else { continue };
        let allowed = LAYERS
            .iter()
            .find(|(room, _)| *room == own)
            .map(|(_, allowed)| *allowed);
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in code_only(text).lines().enumerate() {
            let bad = rooms_named(line).into_iter().any(|named| {
                named != own
                    && rooms.contains(&named)
                    && allowed.is_none_or(|allowed| !allowed.contains(&named))
            });
            if bad || (allowed.is_none() && !rooms_named(line).is_empty()) {
                acc.push(format!(
                    "{path}:{}: {}",
                    i + 1,
                    lines.get(i).unwrap_or(&"").trim()
                ));
            }
        }
    }
    acc
}

/// `path:line: text` where the server or the test helpers name an analysis module
/// (`borrowlens_analysis::ide::Region`) instead of the API that `analysis/src/lib.rs` defines and
/// re-exports (`borrowlens_analysis::Region`). The modules are public only for the repository's
/// examples, benchmark and the analysis's own tests.
fn analysis_internals_named(files: &[(String, String)]) -> Vec<String> {
    find_in_code(
        files,
        |path| {
            !(path.starts_with("server/")
                || path.starts_with("tests/src/")
                || path.starts_with("tests/tests/"))
        },
        |line| {
            line.match_indices("borrowlens_analysis::").any(|(at, m)| {
                let rest = &line[at + m.len()..];
                rest.starts_with(|c: char| c.is_ascii_lowercase())
                    && identifiers(rest)
                        .next()
                        .is_some_and(|name| rest[name.len()..].starts_with("::"))
            })
        },
    )
}

/// Dependencies of a Cargo.toml (not dev-dependencies) whose names start with a forbidden one.
fn impure_dependencies(manifest: &str) -> Vec<String> {
    let forbidden = ["tower-lsp", "lsp-types", "tokio", "serde_json"];
    let mut section = String::new();
    let mut acc = Vec::new();
    for (i, line) in manifest.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            section = line.trim_matches(|c| c == '[' || c == ']').replace(' ', "");
        }
        // `[dependencies]`, `[build-dependencies]`, `[target.'cfg(..)'.dependencies]` and the
        // `[dependencies.tokio]` form; tests may use what they like.
        if !section
            .split('.')
            .any(|it| it == "dependencies" || it == "build-dependencies")
        {
            continue;
        }
        let name = if line.starts_with('[') {
            section.rsplit('.').next().unwrap_or("")
        } else {
            line.split(['=', '.']).next().unwrap_or("").trim()
        };
        if forbidden
            .iter()
            .any(|it| name.trim_matches('"').starts_with(it))
        {
            acc.push(format!("analysis/Cargo.toml:{}: {line}", i + 1));
        }
    }
    acc
}

/// The most lines a file of `analysis/src` may have: past this, split it by what its parts do.
const MAX_FILE_LINES: usize = 1_500;

/// The most lines a function of `analysis/src` may span, from its `fn` to its closing brace.
const MAX_FN_LINES: usize = 250;

/// Generated files, exempt from the length of files: tables, not code to read.
const GENERATED: [&str; 1] = [
    // The std method table, written by tools/gen_std_api.py.
    "analysis/src/std_api.rs",
];

/// The files over `MAX_FILE_LINES` on the day the rule came (issue 14, which splits them), so
/// that the rule holds for every other file now. Each entry is to be removed when its file is
/// split; `the_allow_lists_hold_only_todays_violations` fails on an entry no longer needed.
const LONG_FILES_TODAY: [&str; 0] = [
    // None left: every file of analysis/src is split.
];

/// The functions over `MAX_FN_LINES` on the day the rule came, by file and name, so that a new
/// long function fails even in these files. Each entry is to be removed when its file is split.
const LONG_FNS_TODAY: [(&str, &str); 0] = [
    // None left.
];

fn in_analysis_src(path: &str) -> bool {
    path.starts_with("analysis/src/")
}

/// `(path, lines)` of the files of `analysis/src` over `MAX_FILE_LINES`, generated ones aside.
fn long_files(files: &[(String, String)]) -> Vec<(String, usize)> {
    files
        .iter()
        .filter(|(path, _)| in_analysis_src(path) && !GENERATED.contains(&path.as_str()))
        .map(|(path, text)| (path.clone(), text.lines().count()))
        .filter(|(_, lines)| *lines > MAX_FILE_LINES)
        .collect()
}

fn long_files_not_allowed(files: &[(String, String)], allowed: &[&str]) -> Vec<String> {
    long_files(files)
        .into_iter()
        .filter(|(path, _)| !allowed.contains(&path.as_str()))
        .map(|(path, lines)| format!("{path}: {lines} lines"))
        .collect()
}

/// A function with a body: its name, the line of its `fn` keyword (1-based) and how many lines it
/// spans, from that line to the line of its closing brace.
#[derive(Debug, PartialEq)]
struct Function {
    name: String,
    line: usize,
    lines: usize,
}

/// The functions with bodies in `text`, nested ones included, found in its `code_only` text: a
/// `fn` keyword and a name, then the first `{` outside parentheses and brackets opens the body
/// (a `;` before it ends a declaration without one), and the braces are matched to its end.
fn functions(text: &str) -> Vec<Function> {
    let code: Vec<char> = code_only(text).chars().collect();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    // The line of each character, 1-based.
    let line_of: Vec<usize> = code
        .iter()
        .scan(1, |line, &c| {
            let at = *line;
            *line += usize::from(c == '\n');
            Some(at)
        })
        .collect();
    let mut acc = Vec::new();
    for i in 0..code.len() {
        let is_fn = code[i..].starts_with(&['f', 'n'])
            && (i == 0 || !is_ident(code[i - 1]))
            && code.get(i + 2).is_some_and(|c| c.is_whitespace());
        if !is_fn {
            continue;
        }
        let name_start = (i + 2..code.len())
            .find(|&j| !code[j].is_whitespace())
            .unwrap_or(code.len());
        let name: String = code[name_start..]
            .iter()
            .take_while(|&&c| is_ident(c))
            .collect();
        // `fn (u8)`, a function pointer type, has no name.
        if name.is_empty() {
            continue;
        }
        let mut depth = 0i32;
        let mut open = None;
        for (j, &c) in code.iter().enumerate().skip(name_start + name.len()) {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                ';' if depth == 0 => break,
                '{' if depth == 0 => {
                    open = Some(j);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else {
            continue;
        };
        let mut braces = 0i32;
        let close = (open..code.len()).find(|&j| {
            match code[j] {
                '{' => braces += 1,
                '}' => braces -= 1,
                _ => {}
            }
            braces == 0
        });
        if let Some(close) = close {
            acc.push(Function {
                name,
                line: line_of[i],
                lines: line_of[close] - line_of[i] + 1,
            });
        }
    }
    acc
}

/// `(path, function)` of the functions of `analysis/src` over `MAX_FN_LINES`.
fn long_functions(files: &[(String, String)]) -> Vec<(String, Function)> {
    files
        .iter()
        .filter(|(path, _)| in_analysis_src(path))
        .flat_map(|(path, text)| functions(text).into_iter().map(|f| (path.clone(), f)))
        .filter(|(_, f)| f.lines > MAX_FN_LINES)
        .collect()
}

fn long_functions_not_allowed(files: &[(String, String)], allowed: &[(&str, &str)]) -> Vec<String> {
    long_functions(files)
        .into_iter()
        .filter(|(path, f)| !allowed.contains(&(path.as_str(), f.name.as_str())))
        .map(|(path, f)| format!("{path}:{}: fn {} is {} lines", f.line, f.name, f.lines))
        .collect()
}

/// The entries of the allow-lists that no longer stand for a violation: a file split, a function
/// shortened or gone.
fn stale_allowances(
    files: &[(String, String)],
    allowed_files: &[&str],
    allowed_fns: &[(&str, &str)],
) -> Vec<String> {
    let long_files = long_files(files);
    let long_fns = long_functions(files);
    let files_gone = allowed_files
        .iter()
        .filter(|allowed| !long_files.iter().any(|(path, _)| path == *allowed))
        .map(|path| format!("{path} is no longer over {MAX_FILE_LINES} lines"));
    let fns_gone = allowed_fns
        .iter()
        .filter(|(allowed, name)| {
            !long_fns
                .iter()
                .any(|(path, f)| path == allowed && f.name == *name)
        })
        .map(|(path, name)| format!("{path}: fn {name} is no longer over {MAX_FN_LINES} lines"));
    files_gone.chain(fns_gone).collect()
}

#[test]
fn every_file_opens_with_a_doc_line() {
    assert_none("every file opens with `//!`", missing_doc_line(&sources()));
}

#[test]
fn only_the_output_module_writes_to_stdout() {
    assert_none(
        "stdout is for results and the protocol: write through server/src/output.rs",
        stdout_outside_output(&sources()),
    );
}

#[test]
fn no_ignored_or_should_panic_tests() {
    assert_none(
        "pin today's wrong output with a FIXME instead of ignoring a test or expecting a panic",
        ignored_or_should_panic(&sources()),
    );
}

#[test]
fn no_dbg() {
    assert_none("no `dbg!` left behind", dbg_calls(&sources()));
}

#[test]
fn only_the_syntax_module_names_tree_sitter() {
    assert_none(
        "tree-sitter is named only in analysis/src/syntax/",
        tree_sitter_outside_syntax(&sources()),
    );
}

#[test]
fn files_are_short() {
    assert_none(
        &format!(
            "no file of analysis/src over {MAX_FILE_LINES} lines: split it by what its parts do"
        ),
        long_files_not_allowed(&sources(), &LONG_FILES_TODAY),
    );
}

#[test]
fn functions_are_short() {
    assert_none(
        &format!(
            "no function of analysis/src over {MAX_FN_LINES} lines: split it into named helpers"
        ),
        long_functions_not_allowed(&sources(), &LONG_FNS_TODAY),
    );
}

#[test]
fn the_allow_lists_hold_only_todays_violations() {
    assert_none(
        "remove these entries from LONG_FILES_TODAY or LONG_FNS_TODAY",
        stale_allowances(&sources(), &LONG_FILES_TODAY, &LONG_FNS_TODAY),
    );
}

#[test]
fn only_diagnostics_writes_rustc_words() {
    assert_none(
        "rustc's message text is written only in analysis/src/diagnostics/: build a typed error \
         (analysis/src/errors.rs) and word it there",
        rustc_words_outside_diagnostics(&sources()),
    );
}

#[test]
fn the_server_uses_only_the_analysis_api() {
    assert_none(
        "the server and the test helpers use only what analysis/src/lib.rs defines and \
         re-exports (add a re-export there if the API needs it)",
        analysis_internals_named(&sources()),
    );
}

#[test]
fn the_layers_point_down() {
    assert_none(
        "each room of analysis/src names only the rooms below it (LAYERS; a new room needs an \
         entry there and in ARCHITECTURE.md)",
        layers_pointing_up(&sources()),
    );
}

#[test]
fn the_analysis_crate_is_pure() {
    let manifest = fs::read_to_string(workspace_root().join("analysis/Cargo.toml"))
        .expect("read analysis/Cargo.toml");
    assert_none(
        "analysis is pure: no LSP, async or JSON dependency",
        impure_dependencies(&manifest),
    );
}

/// Lines of a manifest that make panics abort: the language server's job boundary catches panics
/// (and salsa cancels queries by unwinding), so they must unwind.
fn panic_abort(path: &str, manifest: &str) -> Vec<String> {
    manifest
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.split('#').next().unwrap_or("").replace(' ', "");
            line.starts_with("panic=") && line.contains("abort")
        })
        .map(|(i, line)| format!("{path}:{}: {}", i + 1, line.trim()))
        .collect()
}

#[test]
fn panics_unwind() {
    let root = workspace_root();
    let mut violations = Vec::new();
    for manifest in [
        "Cargo.toml",
        "analysis/Cargo.toml",
        "server/Cargo.toml",
        "tests/Cargo.toml",
    ] {
        let text = fs::read_to_string(root.join(manifest)).unwrap_or_default();
        violations.extend(panic_abort(manifest, &text));
    }
    assert_none(
        "panics must unwind: the language server catches them and salsa cancels by unwinding",
        violations,
    );
}

/// The rules find what they are meant to, and only that.
#[test]
fn the_rules_catch_violations() {
    let file = |path: &str, text: &str| (path.to_string(), text.to_string());
    let files = [
        file("server/src/check.rs", "//! x\nfn f() {\n    println!(\"hi\");\n    eprintln!(\"ok\");\n    let _ = std::io::stdout();\n}\n"),
        file("server/src/output.rs", "//! x\nfn f() { print!(\"fine here\") }\n"),
        file("tests/tests/a.rs", "// not a doc line\n#[ignore]\n#[test]\n#[should_panic(expected = \"x\")]\nfn t() { dbg!(1); }\n"),
        file("analysis/src/body.rs", "//! x\nuse tree_sitter::Node;\nfn uses_tree_sitter() { let _ = \"tree_sitter dbg!(1) println!()\"; } // tree_sitter\n"),
        file("server/src/lsp.rs", "//! x\nfn f() -> tree_sitter_rust::Language {}\n"),
        file("analysis/src/syntax/parse.rs", "//! x\nuse tree_sitter::Parser;\n"),
        file("analysis/src/syntax/tests/render.rs", "//! x\nfn f(_: tree_sitter::Node) {}\n"),
        file("analysis/src/syntax.rs", "//! x\nuse tree_sitter::Tree;\n"),
        file("analysis/src/syntax_extra.rs", "//! x\nuse tree_sitter::Tree;\n"),
        file("analysis/src/borrowck.rs", "//! \"cannot borrow\" in a doc\nfn f() {\n    let m = format!(\"cannot borrow `{x}` as mutable\"); // \"occurs here\"\n    let l = (span, r#\"immutable borrow occurs here\"#.to_string());\n    let cannot_borrow = 1;\n}\n"),
        file("analysis/src/diagnostics/conflict_errors.rs", "//! x\nfn f() -> String { \"first mutable borrow occurs here\".into() }\n"),
        file("analysis/tests/ide.rs", "//! x\nconst EXPECTED: &str = \"borrow of moved value: `v`\";\n"),
    ];
    assert_eq!(
        missing_doc_line(&files),
        ["tests/tests/a.rs: the first line should be a `//!` line saying what the file is for"]
    );
    assert_eq!(
        stdout_outside_output(&files),
        [
            "server/src/check.rs:3: println!(\"hi\");",
            "server/src/check.rs:5: let _ = std::io::stdout();"
        ]
    );
    assert_eq!(
        ignored_or_should_panic(&files),
        [
            "tests/tests/a.rs:2: #[ignore]",
            "tests/tests/a.rs:4: #[should_panic(expected = \"x\")]"
        ]
    );
    assert_eq!(
        dbg_calls(&files),
        ["tests/tests/a.rs:5: fn t() { dbg!(1); }"]
    );
    assert_eq!(
        rustc_words_outside_diagnostics(&files),
        [
            "analysis/src/borrowck.rs:3: let m = format!(\"cannot borrow `{x}` as mutable\"); // \"occurs here\"",
            "analysis/src/borrowck.rs:4: let l = (span, r#\"immutable borrow occurs here\"#.to_string());"
        ]
    );
    assert_eq!(
        tree_sitter_outside_syntax(&files),
        [
            "analysis/src/body.rs:2: use tree_sitter::Node;",
            "server/src/lsp.rs:2: fn f() -> tree_sitter_rust::Language {}",
            "analysis/src/syntax.rs:2: use tree_sitter::Tree;",
            "analysis/src/syntax_extra.rs:2: use tree_sitter::Tree;"
        ]
    );

    // Layers: `ty` names no `mir`, however the `crate::` path is spelt (comments and strings
    // aside); `mir` may name `ty`.
    let files = [
        file("analysis/src/ty.rs", "//! x\nuse crate::index::Index;\nuse crate::mir::{Body, Place};\n// crate::mir::Body\nfn f() -> &'static str { \"crate::mir\" }\n"),
        file("analysis/src/ty/subst.rs", "//! x\nuse crate::{ast, mir};\nfn admir() {}\n"),
        file("analysis/src/mir.rs", "//! x\nuse crate::ty::Ty;\n"),
        file("analysis/src/mir/place_ty.rs", "//! x\nuse super::Body;\nuse crate::ty::{field_ty, Ty};\n"),
    ];
    assert_eq!(
        layers_pointing_up(&files),
        [
            "analysis/src/ty.rs:3: use crate::mir::{Body, Place};",
            "analysis/src/ty/subst.rs:2: use crate::{ast, mir};"
        ]
    );

    // Layers: a room names only the rooms below it; a room without an entry names none; the
    // words of lib.rs (`crate::TextRange`) and lib.rs itself are free.
    let files = [
        file(
            "analysis/src/borrowck/mod.rs",
            "//! x
use crate::lower::describe_place;
use crate::{ast, mir::Place, TextRange};
",
        ),
        file(
            "analysis/src/fixes/walk.rs",
            "//! x
fn f() { crate::ast::for_each_child(e, &mut |c| g(c)); }
// crate::db
",
        ),
        file(
            "analysis/src/ty.rs",
            "//! x
use crate::{ast::Name, index::Index, mir::Body};
",
        ),
        file(
            "analysis/src/newroom.rs",
            "//! x
use crate::mir::Body;
use crate::TextRange;
",
        ),
        file(
            "analysis/src/lib.rs",
            "//! x
use crate::ide::view_mir;
",
        ),
    ];
    let api_files = [
        file("server/src/lsp/to_lsp.rs", "//! x\nuse borrowlens_analysis::ide::{self, Region};\nuse borrowlens_analysis::{Region, TextRange};\nfn f() -> borrowlens_analysis::diagnostics_once {}\n"),
        file("tests/src/fixcheck.rs", "//! x\nuse borrowlens_analysis::fixes::Fix;\n"),
        file("bench/src/main.rs", "//! x\nlet t = borrowlens_analysis::syntax::ParsedTree::new(text);\n"),
    ];
    assert_eq!(
        analysis_internals_named(&api_files),
        [
            "server/src/lsp/to_lsp.rs:2: use borrowlens_analysis::ide::{self, Region};",
            "tests/src/fixcheck.rs:2: use borrowlens_analysis::fixes::Fix;"
        ]
    );
    assert_eq!(
        layers_pointing_up(&files),
        [
            "analysis/src/borrowck/mod.rs:2: use crate::lower::describe_place;",
            "analysis/src/ty.rs:2: use crate::{ast::Name, index::Index, mir::Body};",
            "analysis/src/newroom.rs:2: use crate::mir::Body;",
            "analysis/src/newroom.rs:3: use crate::TextRange;"
        ]
    );

    // Files: one line too many, except where generated, allowed or outside analysis/src.
    let lines = |n: usize| "//! x\n".to_string() + &"let _ = 0;\n".repeat(n - 1);
    let files = [
        file("analysis/src/lower/expr.rs", &lines(MAX_FILE_LINES + 1)),
        file("analysis/src/ok.rs", &lines(MAX_FILE_LINES)),
        file("analysis/src/std_api.rs", &lines(MAX_FILE_LINES + 1)),
        file("analysis/src/lower.rs", &lines(MAX_FILE_LINES + 1)),
        file("server/src/cli.rs", &lines(MAX_FILE_LINES + 1)),
    ];
    assert_eq!(
        long_files_not_allowed(&files, &["analysis/src/lower.rs"]),
        ["analysis/src/lower/expr.rs: 1501 lines"]
    );
    assert_eq!(
        stale_allowances(
            &files,
            &["analysis/src/lower.rs", "analysis/src/ok.rs"],
            &[]
        ),
        ["analysis/src/ok.rs is no longer over 1500 lines"]
    );

    // Functions: from `fn` to the closing brace, braces in comments, strings and characters
    // ignored, declarations without a body skipped, nested functions counted on their own.
    let body = |n: usize| "    let _ = 0;\n".repeat(n);
    let text = format!(
        "//! x\ntrait T {{\n    fn declared(&self) -> [u8; 2];\n}}\n\
         pub(crate) fn long(f: fn(u8) -> u8, a: [u8; 2]) -> Vec<u8>\nwhere\n    u8: Copy,\n{{\n\
         {}    // }} {{\n    let _ = (\"}}\", '{{', r#\"}}\"#);\n    fn inner() {{}}\n}}\n\
         fn exact() {{\n{}}}\nfn my_fn() {{}}\n",
        // `long` has eight lines besides these, `exact` two.
        body(MAX_FN_LINES + 1 - 8),
        body(MAX_FN_LINES - 2)
    );
    assert_eq!(
        functions(&text),
        [
            Function {
                name: "long".into(),
                line: 5,
                lines: MAX_FN_LINES + 1
            },
            Function {
                name: "inner".into(),
                line: 5 + MAX_FN_LINES - 1,
                lines: 1
            },
            Function {
                name: "exact".into(),
                line: 5 + MAX_FN_LINES + 1,
                lines: MAX_FN_LINES
            },
            Function {
                name: "my_fn".into(),
                line: 5 + 2 * MAX_FN_LINES + 1,
                lines: 1
            },
        ]
    );
    let files = [
        file("analysis/src/a.rs", &text),
        file("analysis/src/b.rs", &text),
        file("server/src/c.rs", &text),
    ];
    assert_eq!(
        long_functions_not_allowed(&files, &[("analysis/src/b.rs", "long")]),
        ["analysis/src/a.rs:5: fn long is 251 lines"]
    );
    assert_eq!(
        stale_allowances(
            &files,
            &[],
            &[
                ("analysis/src/b.rs", "long"),
                ("analysis/src/b.rs", "exact")
            ]
        ),
        ["analysis/src/b.rs: fn exact is no longer over 250 lines"]
    );

    assert_eq!(
        panic_abort(
            "Cargo.toml",
            "[profile.release]\npanic = \"abort\" # small\n# panic = \"abort\"\n"
        ),
        ["Cargo.toml:2: panic = \"abort\" # small"]
    );

    let manifest = "[package]\nname = \"tokio-free\"\n\n[dependencies]\nsalsa = \"0.28\"\ntokio = { version = \"1\" }\ntower-lsp-server.version = \"0.23\"\n\n\
                    [dev-dependencies]\nserde_json = \"1\"\n\n[dependencies.lsp-types]\nversion = \"0.97\"\n";
    assert_eq!(
        impure_dependencies(manifest),
        [
            "analysis/Cargo.toml:6: tokio = { version = \"1\" }",
            "analysis/Cargo.toml:7: tower-lsp-server.version = \"0.23\"",
            "analysis/Cargo.toml:12: [dependencies.lsp-types]",
        ]
    );
}
