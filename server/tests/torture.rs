//! The language server under torture: the real binary, thousands of random incremental edits in
//! UTF-16 positions, interleaved with hover, inlay hint, code action and region requests and
//! `$/cancelRequest`, checked against a client-side model of the text.
//!
//! The edits cover what editors send and what they should not: typing and backspacing one
//! character at a time (astral characters included, and backspaces that split a surrogate pair),
//! insertions at line ends and past them, at lines past the end of the document, deletions across
//! lines, `\r\n` and lone `\r` line ends, several changes in one notification, whole-document
//! replacements, and garbage (unbalanced quotes and brackets, NUL) that a later edit removes, so
//! that the final text is still a program with errors to find.
//!
//! Checked along the way: every position in an answer lies in the text it was computed for, and
//! at random pauses in the typing (about one edit in 125) the published diagnostics equal what the
//! analysis finds, in this process, in the model's text (a server whose text drifted from the
//! model's would differ, and so would one whose incremental parse of broken code was not settled).
//! At the end: the diagnostics of the edited document equal those of a fresh `didOpen` of the
//! model's final text in a second server, inlay hints too; every request got exactly one answer;
//! the server logged no panic, stayed under 1 GiB of resident memory, is still alive, and exits
//! cleanly.
//!
//! `BORROWLENS_TORTURE_EDITS` sets the number of edits (default 10,000), `BORROWLENS_TORTURE_SEED`
//! the seed of the random sequence.

mod support;

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use borrowlens_analysis::{AnalysisHost, Diagnostic};
use serde_json::{json, Value};
use support::Client;

/// xorshift64*: the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---- the model: positions as the server reads them ------------------------------------------

/// Byte offsets where lines start: after `\n`, `\r\n` and a lone `\r` (the protocol's line ends).
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut acc = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            acc.push(i + 1);
        }
    }
    acc
}

/// The end of line `line`'s content, before its line break.
fn content_end(text: &str, starts: &[usize], line: usize) -> usize {
    let end = starts.get(line + 1).copied().unwrap_or(text.len());
    let content = &text[starts[line]..end];
    starts[line] + content.trim_end_matches('\n').trim_end_matches('\r').len()
}

/// The byte offset of a UTF-16 position, clamped as the server documents: a line past the end is
/// the end of the text, a character past its line's content is the end of the content, one in the
/// middle of a surrogate pair is the start of that character.
fn offset_of(text: &str, starts: &[usize], line: u64, character: u64) -> usize {
    let Some(&start) = starts.get(line as usize) else {
        return text.len();
    };
    let end = content_end(text, starts, line as usize);
    let mut units = 0u64;
    for (at, c) in text[start..end].char_indices() {
        units += c.len_utf16() as u64;
        if units > character {
            return start + at;
        }
    }
    end
}

/// The UTF-16 position of a byte offset (clamped to the text, and to the start of a character).
fn position_of(text: &str, starts: &[usize], offset: usize) -> (u64, u64) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let character = text[starts[line]..offset].encode_utf16().count();
    (line as u64, character as u64)
}

fn pos(p: (u64, u64)) -> Value {
    json!({"line": p.0, "character": p.1})
}

/// Whether `p` is a position in `text` that needs no clamping.
fn valid_position(text: &str, p: &Value) -> bool {
    let (Some(line), Some(character)) = (p["line"].as_u64(), p["character"].as_u64()) else {
        return false;
    };
    let starts = line_starts(text);
    let Some(&start) = starts.get(line as usize) else {
        return false;
    };
    let content = &text[start..content_end(text, &starts, line as usize)];
    let mut units = 0;
    for c in content.chars() {
        if units == character {
            return true;
        }
        units += c.len_utf16() as u64;
    }
    units == character
}

/// A byte range of the model that later edits shift, and what undoes the edit that made it.
struct Mark {
    start: usize,
    end: usize,
    /// The text to put back in place of `start..end`.
    undo: String,
}

struct Model {
    text: String,
    /// `line_starts(&text)`, kept up to date.
    starts: Vec<usize>,
    version: i64,
    /// Edits that a later edit reverts: garbage inserted, lines deleted.
    marks: Vec<Mark>,
}

impl Model {
    /// Applies one change (already clamped to byte offsets) and shifts the marks; a mark the
    /// change overlaps is dropped (its edit stays).
    fn new(text: String) -> Model {
        Model {
            starts: line_starts(&text),
            text,
            version: 1,
            marks: Vec::new(),
        }
    }

    fn offset(&self, p: (u64, u64)) -> usize {
        offset_of(&self.text, &self.starts, p.0, p.1)
    }

    fn position(&self, offset: usize) -> (u64, u64) {
        position_of(&self.text, &self.starts, offset)
    }

    fn apply(&mut self, start: usize, end: usize, new: &str) {
        self.text.replace_range(start..end, new);
        self.starts = line_starts(&self.text);
        let delta = new.len() as isize - (end - start) as isize;
        self.marks.retain_mut(|m| {
            if end <= m.start {
                m.start = (m.start as isize + delta) as usize;
                m.end = (m.end as isize + delta) as usize;
                true
            } else {
                start >= m.end
            }
        });
    }

    /// Whether replacing `start..end` would overlap a mark (or insert strictly inside one).
    fn touches_mark(&self, start: usize, end: usize) -> bool {
        self.marks.iter().any(|m| start < m.end && m.start < end)
    }

    /// Applies a change given in positions, clamped as the server clamps them; returns where it
    /// applied and the text it removed.
    fn change(&mut self, a: (u64, u64), b: (u64, u64), new: &str) -> (usize, String) {
        let (x, y) = (self.offset(a), self.offset(b));
        let (start, end) = (x.min(y), x.max(y));
        let removed = self.text[start..end].to_string();
        self.apply(start, end, new);
        (start, removed)
    }

    /// The change that reverts a mark, applied here.
    fn revert(&mut self, m: Mark) -> Value {
        let (a, b) = (self.position(m.start), self.position(m.end));
        self.change(a, b, &m.undo);
        json!({"range": {"start": pos(a), "end": pos(b)}, "text": m.undo})
    }
}

// ---- what is sent -----------------------------------------------------------------------------

/// The document grows (comments typed, functions appended) until this size.
const MAX_TEXT: usize = 16 << 10;

/// Text typed or inserted by the edits: code, multi-byte and astral characters, line ends.
const PIECES: &[&str] = &[
    "x",
    " ",
    "é",
    "𝄞",
    "日本",
    "ü",
    "\u{200b}",
    "\u{feff}",
    "\n",
    "\r\n",
    "\r",
    ";",
    "{",
    "}",
    "(",
    ")",
    "&",
    "&mut ",
    "let ",
    "v.push(1);",
    " // é𝄞 ",
    "/* 𝄞 */",
    "'a",
    "\"é\"",
];

/// Garbage that a later edit removes: it breaks the parse of what follows until then.
const GARBAGE: &[&str] = &[
    "\"",
    "/*",
    "{",
    "}",
    "(",
    "r#\"",
    "'",
    "fn",
    "let = ;",
    "\0",
    "𝄞𝄞\"",
    ")))",
    "#[",
    "\r",
    "é\u{0301}",
    "impl<",
    "match x {",
];

/// A function with an error, appended at positions past the end of the document.
const APPENDED: &str = "\nfn appended() {\n    let mut s = String::from(\"𝄞\");\n    let r = &s;\n    s.push('é');\n    r.len();\n}\n";

fn seed_program() -> String {
    let mut text = String::from(
        "//@ edition:2021\n// Torture: é, 𝄞, 日本 — multi-byte and astral characters everywhere.\n",
    );
    for i in 0..12 {
        text.push_str(&format!(
            "fn conflict_{i}() {{\n    let mut v = vec![\"é{i}\", \"𝄞\"];\n    let first = &v[0];\n    v.push(\"日本\");\n    println!(\"{{first}}\");\n}}\n\nfn fine_{i}(x: &mut Vec<u8>) -> usize {{\n    let n = x.len(); // 𝄞 é\n    x.push(n as u8);\n    x.len()\n}}\n\n"
        ));
    }
    text
}

/// A position to edit at: mostly a character boundary of the model, sometimes odd (past a line's
/// end, a line past the end, inside a surrogate pair).
fn random_position(rng: &mut Rng, model: &Model) -> (u64, u64) {
    let p = any_position(rng, model);
    // Not inside a mark, so that the edit it reverts stays revertible.
    let offset = model.offset(p);
    match model
        .marks
        .iter()
        .find(|m| m.start < offset && offset < m.end)
    {
        Some(m) => model.position(m.end),
        None => p,
    }
}

fn any_position(rng: &mut Rng, model: &Model) -> (u64, u64) {
    let (text, starts) = (&model.text, &model.starts);
    match rng.below(20) {
        0 => (
            starts.len() as u64 + rng.below(3) as u64,
            rng.below(5) as u64,
        ),
        1 => {
            let line = rng.below(starts.len());
            let end = content_end(text, starts, line);
            let len = text[starts[line]..end].encode_utf16().count() as u64;
            (line as u64, len + 1 + rng.below(100) as u64)
        }
        2 => {
            let line = rng.below(starts.len());
            let end = content_end(text, starts, line);
            (
                line as u64,
                text[starts[line]..end].encode_utf16().count() as u64,
            )
        }
        3 => {
            // Inside an astral character, when there is one.
            match text.find('𝄞') {
                Some(at) => {
                    let (line, character) = model.position(at);
                    (line, character + 1)
                }
                None => model.position(rng.below(text.len() + 1)),
            }
        }
        _ => model.position(rng.below(text.len() + 1)),
    }
}

/// One `didChange` notification's changes, applied to the model as they are made.
fn random_changes(rng: &mut Rng, model: &mut Model) -> Vec<Value> {
    let mut changes = Vec::new();
    let mut change = |model: &mut Model, a: (u64, u64), b: (u64, u64), new: &str| {
        changes.push(json!({"range": {"start": pos(a), "end": pos(b)}, "text": new}));
        model.change(a, b, new)
    };
    let kind = rng.below(100);
    if kind < 12 && !model.marks.is_empty() {
        // Revert an earlier garbage insertion or deletion.
        let m = model.marks.remove(rng.below(model.marks.len()));
        let undo = model.revert(m);
        changes.push(undo);
    } else if kind < 24 && model.marks.len() < 4 {
        // Garbage, reverted later.
        let at = random_position(rng, model);
        let junk: String = (0..1 + rng.below(3)).map(|_| *rng.pick(GARBAGE)).collect();
        let (start, _) = change(model, at, at, &junk);
        model.marks.push(Mark {
            start,
            end: start + junk.len(),
            undo: String::new(),
        });
    } else if kind < 32 && model.marks.len() < 4 {
        // A deletion across lines, put back later.
        let a = random_position(rng, model);
        let line = a.0.min(model.starts.len() as u64 - 1);
        let last = (line as usize + 1 + rng.below(4)).min(model.starts.len() - 1);
        let b = (last as u64, rng.below(30) as u64);
        let (x, y) = (model.offset(a), model.offset(b));
        if model.touches_mark(x.min(y), x.max(y)) {
            return changes;
        }
        let (start, removed) = change(model, a, b, "");
        model.marks.push(Mark {
            start,
            end: start,
            undo: removed,
        });
    } else if kind < 50 && model.text.len() < MAX_TEXT {
        // Typing a comment at a line's end, one character per change (kept).
        let at = random_position(rng, model);
        let line = (at.0 as usize).min(model.starts.len() - 1);
        let end = content_end(&model.text, &model.starts, line);
        if model.touches_mark(end, end) {
            return changes;
        }
        let mut p = model.position(end);
        for c in " // é𝄞 ok".chars() {
            change(model, p, p, &c.to_string());
            p.1 += c.len_utf16() as u64;
        }
    } else if kind < 62 {
        // Typing, then backspacing the same characters; at an astral character the backspace
        // sometimes starts in the middle of its surrogate pair, which the server reads as the
        // character's start.
        let at = random_position(rng, model);
        let start = model.offset(at);
        let mut end = start;
        for _ in 0..1 + rng.below(6) {
            let piece = *rng.pick(PIECES);
            let p = model.position(end);
            let (applied, _) = change(model, p, p, piece);
            end = applied + piece.len();
        }
        while end > start {
            let prev = model.text[..end].chars().next_back().unwrap();
            let b = model.position(end);
            let a = if prev.len_utf16() == 2 && rng.chance(30) {
                (b.0, b.1 - 1)
            } else {
                model.position(end - prev.len_utf8())
            };
            let (_, removed) = change(model, a, b, "");
            if removed.is_empty() {
                // The end fell inside a `\r\n` that the typing made: the rest stays.
                break;
            }
            end -= removed.len();
        }
    } else if kind < 70 {
        // Line ends: turn a `\n` into `\r\n` or back.
        let at = rng.below(model.text.len());
        if let Some(i) = model.text.as_bytes()[at..].iter().position(|&b| b == b'\n') {
            let i = at + i;
            let crlf = i > 0 && model.text.as_bytes()[i - 1] == b'\r';
            let start = if crlf { i - 1 } else { i };
            if !model.touches_mark(start, i + 1) {
                let (a, b) = (model.position(start), model.position(i + 1));
                change(model, a, b, if crlf { "\n" } else { "\r\n" });
            }
        }
    } else if kind < 72 && model.text.len() < MAX_TEXT {
        // A new function, at positions past the end of the document.
        let n = model.starts.len() as u64;
        change(model, (n + 3, 7), (n + 9, 0), APPENDED);
    } else if kind < 80 {
        // Two or three changes in one notification, each in the text the ones before made: an
        // insertion, then its removal.
        for _ in 0..2 + rng.below(2) {
            let at = random_position(rng, model);
            let piece = *rng.pick(PIECES);
            let (start, _) = change(model, at, at, piece);
            let (a, b) = (model.position(start), model.position(start + piece.len()));
            change(model, a, b, "");
        }
    } else {
        // An insertion and its removal by a reversed range.
        let at = random_position(rng, model);
        let piece = *rng.pick(PIECES);
        let (start, _) = change(model, at, at, piece);
        let (a, b) = (model.position(start), model.position(start + piece.len()));
        change(model, b, a, "");
    }
    changes
}

// ---- what comes back --------------------------------------------------------------------------

/// A request in flight: its method, and the model's version and text when it was sent.
struct Pending {
    method: &'static str,
    version: i64,
    cancelled: bool,
}

/// `(code, start, end, message)` of the diagnostics, positions as (line, UTF-16 character).
type Diag = (String, (u64, u64), (u64, u64), String);

fn published(diags: &[Value]) -> Vec<Diag> {
    let at = |p: &Value| {
        (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        )
    };
    diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                at(&d["range"]["start"]),
                at(&d["range"]["end"]),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// What the analysis, in this process, finds in `text`, as the server would publish it.
fn expected(text: &str) -> Vec<Diag> {
    let edition = borrowlens::edition::from_directive(text).unwrap_or(borrowlens::edition::DEFAULT);
    let mut host = AnalysisHost::new();
    let file = host.set_file("torture.rs", text.to_string(), edition);
    let diags: Vec<Diagnostic> = host.diagnostics(file);
    let starts = line_starts(text);
    diags
        .iter()
        .map(|d| {
            (
                d.code.to_string(),
                position_of(text, &starts, d.range.start as usize),
                position_of(text, &starts, d.range.end as usize),
                d.message.clone(),
            )
        })
        .collect()
}

/// Every position in an answer: the values of `start`, `end` and `position` keys, anywhere.
fn positions(value: &Value, acc: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            for (key, it) in map {
                if matches!(key.as_str(), "start" | "end" | "position") && it.get("line").is_some()
                {
                    acc.push(it.clone());
                } else {
                    positions(it, acc);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|it| positions(it, acc)),
        _ => {}
    }
}

struct Torture {
    client: Client,
    uri: &'static str,
    model: Model,
    /// The model's text at each version still needed.
    texts: HashMap<i64, String>,
    pending: HashMap<i64, Pending>,
    recent: VecDeque<i64>,
    answered: usize,
    cancelled_answers: usize,
    publishes: usize,
    checked_publishes: usize,
    /// The last diagnostics published for the document: version and diagnostics.
    last: Option<(i64, Vec<Value>)>,
}

impl Torture {
    /// Handles everything the server sent so far.
    fn receive(&mut self) {
        self.client.drain(Duration::ZERO);
        while let Some(message) = self.client.backlog.pop_front() {
            if message.get("method").and_then(Value::as_str)
                == Some("textDocument/publishDiagnostics")
            {
                self.on_diagnostics(&message["params"]);
            } else if message.get("method").is_none() {
                self.on_response(&message);
            }
        }
    }

    fn on_response(&mut self, message: &Value) {
        let id = message["id"]
            .as_i64()
            .expect("a response to one of our requests");
        let pending = self.pending.remove(&id).unwrap_or_else(|| {
            panic!("an answer to request {id}, unknown or answered twice: {message}")
        });
        self.answered += 1;
        if let Some(error) = message.get("error") {
            let code = error["code"].as_i64().unwrap_or_default();
            match code {
                // Cancelled by us, or overtaken by an edit.
                -32800 => assert!(
                    pending.cancelled,
                    "request {id} ({}) cancelled unasked: {message}",
                    pending.method
                ),
                -32801 => {}
                // No code actions yet on this branch.
                -32601 if pending.method == "textDocument/codeAction" => {}
                _ => panic!(
                    "{} failed: {message}\n-- server stderr:\n{}",
                    pending.method,
                    self.client.stderr()
                ),
            }
            if code == -32800 {
                self.cancelled_answers += 1;
            }
            return;
        }
        let text = &self.texts[&pending.version];
        let mut acc = Vec::new();
        positions(&message["result"], &mut acc);
        for p in acc {
            assert!(
                valid_position(text, &p),
                "{} answered a position {p} outside version {} of the text:\n{message}",
                pending.method,
                pending.version
            );
        }
    }

    fn on_diagnostics(&mut self, params: &Value) {
        if params["uri"] != self.uri {
            return;
        }
        self.publishes += 1;
        let version = params["version"]
            .as_i64()
            .expect("diagnostics carry the version");
        let text = self.texts.get(&version).unwrap_or_else(|| {
            panic!("diagnostics for version {version}, which was never sent or is too old")
        });
        let diags = params["diagnostics"].as_array().unwrap();
        self.last = Some((version, diags.clone()));
        let mut acc = Vec::new();
        positions(&params["diagnostics"], &mut acc);
        for p in acc {
            assert!(
                valid_position(text, &p),
                "diagnostic position {p} outside version {version}"
            );
        }
    }

    /// A pause in typing: the diagnostics of the current version, once the server has settled
    /// its parse, equal the analysis of the model's text.
    fn checkpoint(&mut self) {
        let want = expected(&self.model.text);
        let got = self.settled_diagnostics(self.model.version, &want);
        self.checked_publishes += 1;
        if got != want {
            self.explain_difference(&got, &want);
        }
    }

    /// The diagnostics published for `version`: the first list, or a later one for the same
    /// version that equals `want`. Diagnostics may be published as soon as an edit is applied,
    /// from the incremental parse, and again once the server settled it (after 10 ms without
    /// messages), when they changed: the wait for a later list ends 5 s after the first.
    fn settled_diagnostics(&mut self, version: i64, want: &[Diag]) -> Vec<Diag> {
        let deadline = Instant::now() + support::TIMEOUT;
        let mut first_seen: Option<Instant> = None;
        loop {
            if let Some((v, diags)) = &self.last {
                if *v == version {
                    let got = published(diags);
                    let first = *first_seen.get_or_insert_with(Instant::now);
                    if got == want || first.elapsed() > Duration::from_secs(5) {
                        return got;
                    }
                }
            }
            assert!(
                Instant::now() < deadline,
                "no diagnostics for version {version}"
            );
            std::thread::sleep(Duration::from_millis(5));
            self.receive();
        }
    }

    /// Fails with what tells a text that drifted from an analysis that did: the diagnostics of
    /// the model's text opened as another document, and of the document after a whole-text
    /// replacement with the model's text.
    fn explain_difference(&mut self, got: &[Diag], want: &[Diag]) -> ! {
        let text = self.model.text.clone();
        let probe = "untitled:probe.rs";
        self.client.open(probe, &text);
        let opened = published(&self.client.diagnostics(probe, Some(1)));
        self.model.version += 1;
        let version = self.model.version;
        self.client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": self.uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        let replaced = published(&self.client.diagnostics(self.uri, Some(version)));
        let only = |a: &[Diag], b: &[Diag]| {
            a.iter()
                .filter(|d| !b.contains(d))
                .cloned()
                .collect::<Vec<_>>()
        };
        panic!(
            "published diagnostics differ from the analysis of the model's text\n\
             only published: {:?}\nonly expected: {:?}\n\
             the same text opened as another document: {}\n\
             after replacing the whole text with the model's: {}\nserver log: {}\ntext:\n{text}",
            only(got, want),
            only(want, got),
            if opened == want {
                "as expected"
            } else {
                "differs too"
            },
            if replaced == want {
                "as expected"
            } else {
                "differs too"
            },
            self.client
                .stderr()
                .lines()
                .filter(|l| l.contains("settle"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }

    fn request(&mut self, method: &'static str, params: Value) -> i64 {
        let id = self.client.send_request(method, params);
        self.pending.insert(
            id,
            Pending {
                method,
                version: self.model.version,
                cancelled: false,
            },
        );
        self.recent.push_back(id);
        if self.recent.len() > 16 {
            self.recent.pop_front();
        }
        id
    }

    fn random_request(&mut self, rng: &mut Rng) {
        let doc = json!({"uri": self.uri});
        let a = random_position(rng, &self.model);
        let b = random_position(rng, &self.model);
        let range = json!({"start": pos(a.min(b)), "end": pos(a.max(b))});
        match rng.below(5) {
            0 | 1 => self.request(
                "textDocument/hover",
                json!({"textDocument": doc, "position": pos(a)}),
            ),
            2 => self.request(
                "textDocument/inlayHint",
                json!({"textDocument": doc, "range": range}),
            ),
            3 => self.request(
                "textDocument/codeAction",
                json!({"textDocument": doc, "range": range, "context": {"diagnostics": []}}),
            ),
            _ => self.request(
                "borrowlens/regions",
                json!({"textDocument": doc, "position": pos(a)}),
            ),
        };
    }

    fn cancel_one(&mut self, rng: &mut Rng) {
        if self.recent.is_empty() {
            return;
        }
        let id = self.recent[rng.below(self.recent.len())];
        if let Some(p) = self.pending.get_mut(&id) {
            p.cancelled = true;
        }
        self.client.notify("$/cancelRequest", json!({"id": id}));
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn ten_thousand_random_edits_and_the_server_keeps_up() {
    let edits = env_usize("BORROWLENS_TORTURE_EDITS", 10_000);
    let mut rng = Rng((env_usize("BORROWLENS_TORTURE_SEED", 7) as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        | 1);
    let start = Instant::now();
    let uri = "untitled:torture.rs";
    let text = seed_program();
    let mut t = Torture {
        client: Client::start(json!({}), Value::Null),
        uri,
        model: Model::new(text.clone()),
        texts: HashMap::from([(1, text.clone())]),
        pending: HashMap::new(),
        recent: VecDeque::new(),
        answered: 0,
        cancelled_answers: 0,
        publishes: 0,
        checked_publishes: 0,
        last: None,
    };
    t.client.open(uri, &text);

    let mut sent = 0;
    let mut changes_sent = 0;
    while sent < edits {
        let roll = rng.below(100);
        if roll < 2 {
            // A whole-document replacement: the same text, or with its garbage reverted.
            if rng.chance(50) {
                while let Some(m) = t.model.marks.pop() {
                    t.model.apply(m.start, m.end, &m.undo);
                }
            }
            t.model.version += 1;
            t.client.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": t.model.version}, "contentChanges": [{"text": t.model.text}]}),
            );
            changes_sent += 1;
        } else {
            let changes = random_changes(&mut rng, &mut t.model);
            if changes.is_empty() {
                continue;
            }
            changes_sent += changes.len();
            t.model.version += 1;
            t.client.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": t.model.version}, "contentChanges": changes}),
            );
        }
        t.texts.insert(t.model.version, t.model.text.clone());
        sent += 1;
        if rng.chance(25) {
            t.random_request(&mut rng);
        }
        if rng.chance(5) {
            t.cancel_one(&mut rng);
        }
        if rng.below(1000) < 8 {
            t.checkpoint();
        }
        if sent % 50 == 0 {
            t.receive();
            // Versions the server can no longer publish for are forgotten.
            let oldest = t
                .pending
                .values()
                .map(|p| p.version)
                .min()
                .unwrap_or(t.model.version);
            let keep_from = oldest.min(t.model.version - 400);
            t.texts.retain(|&v, _| v >= keep_from);
        }
    }
    // Revert the garbage still in place, so that the final text is a program again.
    while let Some(m) = t.model.marks.pop() {
        let undo = t.model.revert(m);
        t.model.version += 1;
        t.client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": t.model.version}, "contentChanges": [undo]}),
        );
        t.texts.insert(t.model.version, t.model.text.clone());
    }
    let final_version = t.model.version;
    let final_text = t.model.text.clone();
    let edit_time = start.elapsed();

    // Every request is answered.
    let deadline = Instant::now() + support::TIMEOUT;
    while !t.pending.is_empty() {
        assert!(
            Instant::now() < deadline,
            "{} requests unanswered: {:?}",
            t.pending.len(),
            t.pending.keys().collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(20));
        t.receive();
    }
    // The final diagnostics: what the model's text holds, and what a fresh server says.
    let want = expected(&final_text);
    assert!(
        !want.is_empty(),
        "the final text should still hold errors:\n{final_text}"
    );
    let last = t.settled_diagnostics(final_version, &want);
    assert_eq!(
        last, want,
        "final diagnostics differ from the model's text:\n{final_text}"
    );
    // The server settles 10 ms after the last message: hints are asked after that.
    std::thread::sleep(Duration::from_millis(100));
    let hints = |client: &mut Client, uri: &str| {
        let end = pos((line_starts(&final_text).len() as u64, 0));
        client
            .request(
                "textDocument/inlayHint",
                json!({"textDocument": {"uri": uri}, "range": {"start": pos((0, 0)), "end": end}}),
            )
            .unwrap()
    };
    let edited_hints = hints(&mut t.client, uri);
    let mut fresh = Client::start(json!({}), Value::Null);
    fresh.open(uri, &final_text);
    assert_eq!(
        published(&fresh.diagnostics(uri, Some(1))),
        want,
        "a fresh server disagrees"
    );
    assert_eq!(
        hints(&mut fresh, uri),
        edited_hints,
        "inlay hints of the edited and the fresh document differ"
    );
    assert_eq!(fresh.shutdown_and_exit().code(), Some(0));

    let peak = t.client.peak_memory().unwrap_or(0);
    assert!(
        peak < 1 << 30,
        "the server's resident memory peaked at {} MiB",
        peak >> 20
    );
    let stderr = t.client.stderr();
    assert!(
        !stderr.contains("panicked"),
        "the server logged a panic:\n{stderr}"
    );
    eprintln!(
        "torture: {sent} edits ({changes_sent} changes) in {:.1} s, {} requests answered ({} cancelled), \
         {} diagnostics published ({} checked at pauses against the analysis in this process), \
         final text {} bytes with {} errors, server peak memory {} MiB",
        edit_time.as_secs_f64(),
        t.answered,
        t.cancelled_answers,
        t.publishes,
        t.checked_publishes,
        final_text.len(),
        want.len(),
        peak >> 20
    );
    assert_eq!(
        t.client.shutdown_and_exit().code(),
        Some(0),
        "the server is alive and exits cleanly"
    );
}
