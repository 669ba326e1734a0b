//! A deterministic mutation fuzzer over the whole analysis, run by `cargo test` for a bounded time.
//!
//! Seeds are every `.rs` file of `../shared/corpus`. Each execution takes a seed, stacks one to
//! four random mutations on it (delete, duplicate, swap or splice ranges, insert Rust tokens,
//! brackets, multi-byte and astral characters, NUL and CR, truncate, nest a range thousands of
//! levels deep, flip bytes, and tree-sitter's edge cases: U+FEFF anywhere and in runs, raw strings
//! with mismatched hashes, multi-byte characters across the 1 KiB pieces the lexer reads,
//! unterminated literals and comments), and runs the result through the analysis as an editor
//! would: the seed, then each mutation as an edit of the text before (incremental reparses),
//! diagnostics, inlay hints over the file and over a random range, hovers and regions at random
//! offsets (in range and out, on character boundaries and not).
//!
//! The analysis runs in a child process (this test binary again, `BORROWLENS_FUZZ_CHILD` set),
//! which receives each input on its stdin and answers on its stdout; the test supervises it, so
//! that every failure names its input and the command that replays it, a crash by a signal or an
//! abort included (a signal leaves a process no chance to save anything). It fails on:
//!
//! - a panic in the analysis;
//! - the child's death by a signal (SIGSEGV in C code, an abort, a stack overflow) or its exit;
//! - an input that takes more than `BORROWLENS_FUZZ_INPUT_SECS` of processor time (default 10 s,
//!   debug build; or ten times that of wall time, the machine being busy): the child is killed;
//! - the child's resident memory above 2 GiB;
//! - diagnostics after the edits, once settled (`AnalysisHost::settle`), that differ from a fresh
//!   analysis of the same text (a desync between incremental and fresh state; before settling
//!   they may differ on broken code, and the summary counts how often they did);
//! - a range outside the text or inside a character.
//!
//! `BORROWLENS_FUZZ_SECS` sets the time budget (default 10 s; CI runs 60 s in a release build,
//! longer runs are for local use), `BORROWLENS_FUZZ_EXECS` a number of executions to stop at,
//! `BORROWLENS_FUZZ_SEED` the seed of the random sequence (default 1; the inputs depend only on
//! it, not on the time). The count of executions is printed. A failing input is saved in the
//! temporary directory and replayed with `BORROWLENS_FUZZ_REPLAY=FILE`. The tests
//! `a_crash_is_named` and `a_hang_is_named` make the child abort or hang on purpose and check
//! that the supervisor names the input.

use std::io::{BufRead, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use borrowlens_analysis::{AnalysisHost, Diagnostic, Edition, TextRange, ANALYSIS_STACK_SIZE};
use borrowlens_analysis::{InlayConfig, RegionQuery};

/// The largest input the fuzzer builds: mutations that grow past it are cut.
const MAX_INPUT: usize = 256 << 10;

/// The resident memory the test process may reach.
const MAX_RSS: u64 = 2 << 30;

/// xorshift64*: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Tokens inserted by the mutations: Rust's punctuation, keywords and literals, and text that is
/// hard on positions (multi-byte, astral, NUL, CR).
const TOKENS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ";",
    ",",
    ".",
    "..",
    "..=",
    "::",
    ":",
    "&",
    "&mut ",
    "*",
    "=",
    "==",
    "=>",
    "->",
    "|",
    "||",
    "?",
    "!",
    "#",
    "#[",
    "@",
    "$",
    "'",
    "'a ",
    "\"",
    "r#\"",
    "\"#",
    "b'x'",
    "'\\n'",
    "/*",
    "*/",
    "//",
    "///",
    "//!",
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "\0",
    "é",
    "𝄞",
    "日本",
    "\u{feff}",
    "\u{200b}",
    "let ",
    "let mut ",
    "fn ",
    "if ",
    "else ",
    "match ",
    "loop ",
    "while ",
    "for ",
    " in ",
    "move ",
    "return",
    "break",
    "continue",
    "async ",
    ".await",
    "unsafe ",
    "impl ",
    "trait ",
    "struct ",
    "enum ",
    "mod ",
    "use ",
    "self",
    "Self",
    "super",
    "crate",
    "dyn ",
    "where ",
    " as ",
    "ref ",
    "box ",
    "const ",
    "static ",
    "type ",
    "macro_rules! ",
    "vec![",
    "println!(",
    "format!(\"{}\", ",
    "0",
    "1.0",
    "u8",
    "\"s\"",
    "x",
    "y",
    "v",
    "r",
    "_",
    "v.push(1)",
    "&v",
    "&mut v",
    "drop(v)",
    "let r = &mut v;",
    "*r",
    "v.len()",
    "Some(",
    "None",
    "Ok(",
    "|x| ",
    "move || ",
    "Box::new(",
    ".clone()",
    ".iter()",
];

/// Brackets a range is wrapped in, many levels deep.
const NESTINGS: &[(&str, &str)] = &[
    ("{", "}"),
    ("(", ")"),
    ("[", "]"),
    ("|| ", ""),
    ("&", ""),
    ("-", ""),
    ("if c { ", " }"),
    ("loop { ", " }"),
    ("match x { _ => ", " }"),
    ("vec![", "]"),
    ("Box<", ">"),
    ("mod m { ", " }"),
    ("fn f() { ", " }"),
    ("\"", ""),
    ("/*", ""),
];

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A random range of `text`, on character boundaries, mostly short.
fn range(rng: &mut Rng, text: &str) -> (usize, usize) {
    let start = floor_boundary(text, rng.below(text.len() + 1));
    let len = match rng.below(4) {
        0 => rng.below(4),
        1 => rng.below(32),
        2 => rng.below(512),
        _ => rng.below(text.len() + 1),
    };
    (start, floor_boundary(text, start + len))
}

/// One random mutation of `text`; `seeds` provides text to splice in.
fn mutate(rng: &mut Rng, text: &str, seeds: &[String]) -> String {
    let (a, b) = range(rng, text);
    let at = floor_boundary(text, rng.below(text.len() + 1));
    let mut out = String::with_capacity(text.len() + 64);
    match rng.below(14) {
        // Delete a range.
        0 => {
            out.push_str(&text[..a]);
            out.push_str(&text[b..]);
        }
        // Duplicate a range somewhere.
        1 => {
            out.push_str(&text[..at]);
            out.push_str(&text[a..b]);
            out.push_str(&text[at..]);
        }
        // Splice in a range of another seed.
        2 => {
            let other = rng.pick(seeds);
            let (c, d) = range(rng, other);
            out.push_str(&text[..a]);
            out.push_str(&other[c..d]);
            out.push_str(&text[b..]);
        }
        // Insert a few tokens.
        3 | 4 => {
            out.push_str(&text[..at]);
            for _ in 0..1 + rng.below(4) {
                out.push_str(rng.pick::<&str>(TOKENS));
            }
            out.push_str(&text[at..]);
        }
        // Replace a range by a token.
        5 => {
            out.push_str(&text[..a]);
            out.push_str(rng.pick::<&str>(TOKENS));
            out.push_str(&text[b..]);
        }
        // Truncate.
        6 => out.push_str(&text[..at]),
        // Nest a range deeply, balanced or not.
        7 => {
            let (open, close) = rng.pick(NESTINGS);
            let depth = match rng.below(3) {
                0 => 1 + rng.below(16),
                1 => 1 + rng.below(600),
                _ => 1 + rng.below(5_000),
            };
            let balanced = !rng.chance(4);
            out.push_str(&text[..a]);
            out.push_str(&open.repeat(depth));
            out.push_str(&text[a..b]);
            if balanced {
                out.push_str(&close.repeat(depth));
            }
            out.push_str(&text[b..]);
        }
        // Swap two ranges.
        8 => {
            let (c, d) = range(rng, text);
            let ((a, b), (c, d)) = if a <= c {
                ((a, b), (c, d))
            } else {
                ((c, d), (a, b))
            };
            if b <= c {
                out.push_str(&text[..a]);
                out.push_str(&text[c..d]);
                out.push_str(&text[b..c]);
                out.push_str(&text[a..b]);
                out.push_str(&text[d..]);
            } else {
                out.push_str(text);
            }
        }
        // Flip bytes; what is no longer UTF-8 becomes U+FFFD.
        9 => {
            let mut bytes = text.as_bytes().to_vec();
            for _ in 0..1 + rng.below(8) {
                if !bytes.is_empty() {
                    let i = rng.below(bytes.len());
                    bytes[i] = rng.next() as u8;
                }
            }
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
        // Repeat a token many times.
        10 => {
            out.push_str(&text[..at]);
            out.push_str(&rng.pick(TOKENS).repeat(1 + rng.below(3_000)));
            out.push_str(&text[at..]);
        }
        // Tree-sitter's edge cases.
        11 | 12 => edge_case(rng, text, &mut out),
        // Another seed's whole text in the middle.
        _ => {
            out.push_str(&text[..at]);
            out.push_str(rng.pick(seeds).as_str());
            out.push_str(&text[at..]);
        }
    }
    if out.len() > MAX_INPUT {
        out.truncate(floor_boundary(&out, MAX_INPUT));
    }
    out
}

/// The size of the pieces of text tree-sitter's lexer is handed (`syntax::READ_CHUNK`): a
/// character across a piece's end is an edge of the lexer's own.
const LEXER_PIECE: usize = 1 << 10;

/// Multi-byte characters: a byte-order mark, two bytes, three, four.
const WIDE: &[&str] = &["\u{feff}", "é", "日", "𝄞", "\u{200b}"];

/// Openings that the lexer's external scanners and literal rules read far ahead from.
const UNTERMINATED: &[&str] = &[
    "\"", "b\"", "c\"", "'", "b'", "'\\", "'\\u{", "\"\\", "/*", "/**", "/*!", "/* /*", "*/", "r",
    "r#", "br#", "cr#", "\0", "\u{feff}",
];

/// One of tree-sitter's edge cases, written into `out`: multi-byte characters across the end of
/// a piece the lexer reads, a raw string whose closing hashes differ from its opening ones (or
/// that never closes), a run of byte-order marks, an unterminated literal or comment.
fn edge_case(rng: &mut Rng, text: &str, out: &mut String) {
    let (a, b) = range(rng, text);
    match rng.below(4) {
        0 => {
            let piece_end = LEXER_PIECE * (1 + rng.below(text.len() / LEXER_PIECE + 1));
            let at = floor_boundary(text, piece_end.saturating_sub(1 + rng.below(4)));
            out.push_str(&text[..at]);
            for _ in 0..1 + rng.below(3) {
                out.push_str(rng.pick::<&str>(WIDE));
            }
            out.push_str(&text[at..]);
        }
        1 => {
            let prefix = *rng.pick(&["r", "br", "cr"]);
            let opening = format!("{prefix}{}\"", "#".repeat(rng.below(4)));
            out.push_str(&text[..a]);
            // Many openings make the scanner read to the end of the text from each of them.
            let times = if rng.chance(2) {
                1
            } else {
                1 + rng.below(1_000)
            };
            out.push_str(&opening.repeat(times));
            if rng.chance(2) {
                out.push_str(&rng.pick::<&str>(WIDE).repeat(rng.below(1_000)));
            }
            out.push_str(&text[a..b]);
            if !rng.chance(3) {
                out.push('"');
                out.push_str(&"#".repeat(rng.below(4)));
            }
            out.push_str(&text[b..]);
        }
        2 => {
            out.push_str(&text[..a]);
            out.push_str(&rng.pick::<&str>(WIDE).repeat(1 + rng.below(2_000)));
            out.push_str(&text[a..]);
        }
        _ => {
            out.push_str(&text[..a]);
            out.push_str(rng.pick::<&str>(UNTERMINATED));
            out.push_str(&text[a..]);
        }
    }
}

/// One execution's input: a seed, its mutation and the offsets the queries use.
#[derive(Clone)]
struct Input {
    seed: String,
    /// The texts between the seed and `text`: one per stacked mutation but the last.
    steps: Vec<String>,
    text: String,
    edition: Edition,
    /// Raw numbers the queries turn into offsets (clamped or not).
    picks: [u64; 8],
}

fn check_ranges(what: &str, text: &str, ranges: impl IntoIterator<Item = TextRange>) {
    for r in ranges {
        assert!(
            r.start <= r.end && r.end as usize <= text.len(),
            "{what}: {r:?} outside the text ({} bytes)",
            text.len()
        );
        assert!(
            text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize),
            "{what}: {r:?} inside a character"
        );
    }
}

fn diag_ranges(diags: &[Diagnostic]) -> Vec<TextRange> {
    diags
        .iter()
        .flat_map(|d| std::iter::once(d.range).chain(d.labels.iter().map(|l| l.range)))
        .collect()
}

/// Runs one input through the analysis; panics on any failed check.
/// Runs one input through the analysis; panics on any failed check. Says whether the
/// incremental analysis differed from a fresh one before it was settled.
fn execute(input: &Input) -> bool {
    let text = &input.text;
    let len = text.len() as u32;
    // The editor's path: the seed, then each mutation as an edit of the text before.
    let mut host = AnalysisHost::new();
    let file = host.set_file("fuzz.rs", input.seed.clone(), input.edition);
    check_ranges(
        "seed diagnostics",
        &input.seed,
        diag_ranges(&host.diagnostics(file)),
    );
    for step in &input.steps {
        host.set_file("fuzz.rs", step.clone(), input.edition);
        check_ranges("diagnostics", step, diag_ranges(&host.diagnostics(file)));
    }
    host.set_file("fuzz.rs", text.clone(), input.edition);
    let unsettled = host.diagnostics(file);
    check_ranges("diagnostics", text, diag_ranges(&unsettled));

    // Once settled, a fresh analysis of the same text must agree.
    let mut fresh = AnalysisHost::new();
    let fresh_file = fresh.set_file("fuzz.rs", text.clone(), input.edition);
    let want = fresh.diagnostics(fresh_file);
    let diverged = unsettled != want;
    host.settle(file);
    assert_eq!(
        host.diagnostics(file),
        want,
        "settled incremental and fresh diagnostics differ"
    );

    let analysis = host.snapshot();
    let p = input.picks;
    // Offsets: mostly inside the text (on or off character boundaries), sometimes past its end.
    let offset = |n: u64| -> u32 {
        if n.is_multiple_of(8) {
            len.saturating_add((n >> 3) as u32 % 64)
        } else {
            (n >> 3) as u32 % len.max(1)
        }
    };
    let whole = TextRange { start: 0, end: len };
    let (x, y) = (offset(p[0]), offset(p[1]));
    let some = TextRange {
        start: x.min(y),
        end: x.max(y),
    };
    let config = InlayConfig {
        only_conflicting: p[2].is_multiple_of(2),
    };
    for r in [whole, some] {
        let hints = analysis.inlay_hints(file, r, config).unwrap();
        check_ranges(
            "inlay hints",
            text,
            hints.iter().map(|h| TextRange {
                start: h.offset,
                end: h.offset,
            }),
        );
    }
    for &n in &p[3..7] {
        if let Some(hover) = analysis.hover(file, offset(n)).unwrap() {
            check_ranges("hover", text, [hover.range]);
        }
    }
    for query in [
        RegionQuery::default(),
        RegionQuery {
            offset: Some(offset(p[7])),
            range: None,
        },
        RegionQuery {
            offset: None,
            range: Some(some),
        },
    ] {
        for region in analysis.regions(file, query).unwrap() {
            check_ranges(
                "regions",
                text,
                std::iter::once(region.borrow).chain(region.live.iter().copied()),
            );
        }
    }
    diverged
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v}: not a number")),
        Err(_) => default,
    }
}

fn corpus_seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut paths = Vec::new();
    rs_files(&dir, &mut paths);
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no .rs file under {} (the shared corpora must be beside the repository)",
        dir.display()
    );
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rs_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The resident memory of this process, from Linux's `/proc`; `None` elsewhere.
fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb << 10)
}

const EDITIONS: [Edition; 4] = [
    Edition::E2015,
    Edition::E2018,
    Edition::E2021,
    Edition::E2024,
];

/// Saves a failing input in the temporary directory: the text as `NAME.rs`, the seed it was an
/// edit of as `NAME.seed.rs`, the edition and query offsets as `NAME.picks`.
fn save(input: &Input, n: u64, seed: u64) -> PathBuf {
    let dir = std::env::temp_dir().join("borrowlens-fuzz");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("seed{seed}-input{n}.rs"));
    let _ = std::fs::write(&path, &input.text);
    let _ = std::fs::write(path.with_extension("seed.rs"), &input.seed);
    for (k, step) in input.steps.iter().enumerate() {
        let _ = std::fs::write(path.with_extension(format!("step{k}.rs")), step);
    }
    let edition = EDITIONS
        .iter()
        .position(|e| *e == input.edition)
        .unwrap_or(2);
    let picks: Vec<String> = std::iter::once(edition as u64)
        .chain(input.picks)
        .map(|n| n.to_string())
        .collect();
    let _ = std::fs::write(path.with_extension("picks"), picks.join(" "));
    path
}

/// The input saved at `path` by `save`.
fn load(path: &Path) -> Input {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    let seed = std::fs::read_to_string(path.with_extension("seed.rs")).unwrap_or_default();
    let steps = (0..)
        .map_while(|k| std::fs::read_to_string(path.with_extension(format!("step{k}.rs"))).ok())
        .collect();
    let numbers: Vec<u64> = std::fs::read_to_string(path.with_extension("picks"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let edition = EDITIONS[numbers.first().map_or(2, |&n| n as usize % 4)];
    let picks = std::array::from_fn(|i| numbers.get(i + 1).copied().unwrap_or(i as u64 * 77));
    Input {
        seed,
        steps,
        text,
        edition,
        picks,
    }
}

/// Set in the child process's environment: the test then serves inputs from its stdin.
const CHILD: &str = "BORROWLENS_FUZZ_CHILD";

/// What the supervisor asks the child to do with an input besides analysing it: the test-only
/// switch that shows the supervisor catches what it is made to catch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sabotage {
    None,
    /// Abort the child (SIGABRT) before analysing the input.
    Abort,
    /// Never answer: loop, as a hang in the analysis would.
    Hang,
}

/// What the child says about one input.
#[derive(Debug)]
enum Outcome {
    /// Passed: whether the analysis differed from a fresh one before it was settled, how long
    /// it took, and the child's resident memory after it.
    Ok {
        diverged: bool,
        elapsed: Duration,
        rss: u64,
    },
    /// The analysis panicked; the message and where, from the panic hook.
    Panicked(String),
}

/// The child's framing: one input on stdin, the sabotage byte first.
fn write_input(w: &mut impl Write, input: &Input, sabotage: Sabotage) -> std::io::Result<()> {
    let edition = EDITIONS
        .iter()
        .position(|e| *e == input.edition)
        .unwrap_or(2);
    let mut frame = vec![sabotage as u8, edition as u8];
    for n in input.picks {
        frame.extend_from_slice(&n.to_le_bytes());
    }
    frame.extend_from_slice(&(input.steps.len() as u64).to_le_bytes());
    for text in std::iter::once(&input.seed)
        .chain(&input.steps)
        .chain(std::iter::once(&input.text))
    {
        frame.extend_from_slice(&(text.len() as u64).to_le_bytes());
        frame.extend_from_slice(text.as_bytes());
    }
    w.write_all(&frame)?;
    w.flush()
}

/// Reads what `write_input` wrote; `None` at the end of the input.
fn read_input(r: &mut impl Read) -> Option<(Input, Sabotage)> {
    let mut head = [0u8; 2];
    r.read_exact(&mut head).ok()?;
    fn u64_from(r: &mut impl Read) -> Option<u64> {
        let mut n = [0u8; 8];
        r.read_exact(&mut n).ok()?;
        Some(u64::from_le_bytes(n))
    }
    let mut picks = [0u64; 8];
    for p in &mut picks {
        *p = u64_from(r)?;
    }
    let steps = u64_from(r)? as usize;
    let mut texts = Vec::with_capacity(steps + 2);
    for _ in 0..steps + 2 {
        let len = u64_from(r)? as usize;
        let mut bytes = vec![0u8; len];
        r.read_exact(&mut bytes).ok()?;
        texts.push(String::from_utf8(bytes).ok()?);
    }
    let text = texts.pop()?;
    let seed = texts.remove(0);
    let sabotage = match head[0] {
        1 => Sabotage::Abort,
        2 => Sabotage::Hang,
        _ => Sabotage::None,
    };
    let input = Input {
        seed,
        steps: texts,
        text,
        edition: EDITIONS[head[1] as usize % 4],
        picks,
    };
    Some((input, sabotage))
}

/// The start of each of the child's answers on its stdout, which the test harness shares.
const ANSWER: &str = "@@borrowlens-fuzz ";

/// The message and place of the worker's last panic, from the panic hook.
static LAST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// The child: analyses each input from stdin on a thread with the analysis's stack, answering
/// each on stdout, until stdin ends.
fn serve() {
    // Panics are kept (with where they happened: the analysis's frames of the backtrace) for
    // the answer instead of being printed.
    panic::set_hook(Box::new(|info| {
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        let frames: Vec<&str> = backtrace
            .lines()
            .filter(|l| l.contains("borrowlens_analysis::") || l.contains("analysis/src/"))
            .take(12)
            .collect();
        *LAST_PANIC.lock().unwrap() = Some(format!("{info}\n{}", frames.join("\n")));
    }));
    let worker = std::thread::Builder::new()
        .stack_size(ANALYSIS_STACK_SIZE)
        .spawn(|| {
            let mut stdin = std::io::BufReader::new(std::io::stdin().lock());
            let mut stdout = std::io::stdout().lock();
            while let Some((input, sabotage)) = read_input(&mut stdin) {
                match sabotage {
                    Sabotage::Abort => std::process::abort(),
                    Sabotage::Hang => loop {
                        std::hint::spin_loop();
                    },
                    Sabotage::None => {}
                }
                let start = Instant::now();
                let answer = match panic::catch_unwind(AssertUnwindSafe(|| execute(&input))) {
                    Ok(diverged) => format!(
                        "ok {} {} {}\n",
                        u8::from(diverged),
                        start.elapsed().as_nanos(),
                        rss().unwrap_or(0)
                    ),
                    Err(_) => {
                        let message = LAST_PANIC.lock().unwrap().take().unwrap_or_default();
                        format!("panic {}\n{message}", message.len())
                    }
                };
                // A newline first: the harness may have left a line unfinished.
                if write!(stdout, "\n{ANSWER}{answer}")
                    .and_then(|()| stdout.flush())
                    .is_err()
                {
                    return;
                }
            }
        })
        .unwrap();
    worker.join().unwrap();
}

/// Reads the child's answers off its stdout, skipping what the test harness prints there.
fn read_answers(stdout: impl Read, to: mpsc::Sender<Outcome>) {
    let mut r = std::io::BufReader::new(stdout);
    let mut line = String::new();
    loop {
        line.clear();
        match r.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let Some(answer) = line.trim_end().strip_prefix(ANSWER) else {
            continue;
        };
        let words: Vec<&str> = answer.split(' ').collect();
        let outcome = match words.as_slice() {
            ["ok", diverged, nanos, rss] => Outcome::Ok {
                diverged: *diverged == "1",
                elapsed: Duration::from_nanos(nanos.parse().unwrap_or(0)),
                rss: rss.parse().unwrap_or(0),
            },
            ["panic", len] => {
                let mut message = vec![0u8; len.parse().unwrap_or(0)];
                if r.read_exact(&mut message).is_err() {
                    return;
                }
                Outcome::Panicked(String::from_utf8_lossy(&message).into_owned())
            }
            _ => continue,
        };
        if to.send(outcome).is_err() {
            return;
        }
    }
}

/// The child process that analyses the inputs, and the answers it gives.
struct Child {
    process: std::process::Child,
    stdin: std::process::ChildStdin,
    answers: mpsc::Receiver<Outcome>,
}

impl Child {
    fn start() -> Child {
        let exe = std::env::current_exe().expect("the test binary's path");
        let mut process = std::process::Command::new(exe)
            .args([
                "fuzz_the_analysis",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the fuzzer's child process");
        let stdin = process.stdin.take().unwrap();
        let stdout = process.stdout.take().unwrap();
        let (to, answers) = mpsc::channel();
        std::thread::spawn(move || read_answers(stdout, to));
        Child {
            process,
            stdin,
            answers,
        }
    }

    /// Analyses one input in the child: its outcome, or how the child failed. An input hangs when
    /// the child spends more than `limit` of processor time on it, or ten times that in all:
    /// the machines are shared, and a busy one must not make a slow input of a fast one.
    fn run(
        &mut self,
        input: &Input,
        sabotage: Sabotage,
        limit: Duration,
    ) -> Result<Outcome, Death> {
        let sent = write_input(&mut self.stdin, input, sabotage);
        let (start, cpu_start) = (Instant::now(), self.cpu_time());
        loop {
            match self.answers.recv_timeout(Duration::from_millis(100)) {
                Ok(outcome) => return Ok(outcome),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let cpu = self.cpu_time().saturating_sub(cpu_start);
                    if cpu > limit || start.elapsed() > limit * 10 {
                        let _ = self.process.kill();
                        let _ = self.process.wait();
                        return Err(Death::Hang(limit, cpu > limit));
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = self.process.wait().ok();
                    return Err(Death::Exited(status, sent.err().map(|e| e.to_string())));
                }
            }
        }
    }

    /// The processor time the child has used, from Linux's `/proc` (user and system time, in
    /// the kernel's clock ticks of 10 ms); zero elsewhere, where only the limit on wall time
    /// applies.
    fn cpu_time(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.process.id()));
        // The fields after the command's name, which is in parentheses and may hold spaces.
        let ticks = stat.ok().and_then(|stat| {
            let fields: Vec<u64> = stat[stat.rfind(')')? + 2..]
                .split(' ')
                .skip(11)
                .take(2)
                .map(|f| f.parse().ok())
                .collect::<Option<_>>()?;
            Some(fields.iter().sum::<u64>())
        });
        match ticks {
            Some(ticks) => Duration::from_millis(ticks * 10),
            None => Duration::ZERO,
        }
    }

    /// Ends the child: its stdin closes and it returns.
    fn finish(mut self) {
        drop(self.stdin);
        let _ = self.process.wait();
    }
}

/// How the child failed on an input.
#[derive(Debug)]
enum Death {
    /// It did not answer within the limit of processor time (`true`) or of wall time (ten
    /// times the limit; `false`), and was killed.
    Hang(Duration, bool),
    /// It ended: killed by a signal, or exited.
    Exited(Option<std::process::ExitStatus>, Option<String>),
}

impl std::fmt::Display for Death {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::os::unix::process::ExitStatusExt;
        match self {
            Death::Hang(limit, true) => write!(
                f,
                "took more than {limit:?} of processor time (the child was killed)"
            ),
            Death::Hang(limit, false) => write!(
                f,
                "took more than {:?} of wall time (the child was killed; was the machine \
                 suspended, or the child stopped?)",
                *limit * 10
            ),
            Death::Exited(Some(status), _) if status.signal().is_some() => {
                let signal = status.signal().unwrap_or(0);
                let name = match signal {
                    4 => "SIGILL",
                    6 => "SIGABRT",
                    7 => "SIGBUS",
                    8 => "SIGFPE",
                    9 => "SIGKILL",
                    11 => "SIGSEGV",
                    _ => "a signal",
                };
                write!(f, "killed the analysis by {name} (signal {signal})")
            }
            Death::Exited(status, write_error) => {
                write!(f, "ended the analysis's process ({status:?}")?;
                if let Some(e) = write_error {
                    write!(f, "; writing the input failed: {e}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// How a campaign runs.
struct Campaign {
    seed: u64,
    budget: Duration,
    /// Stop after this many executions.
    executions: Option<u64>,
    per_input: Duration,
    /// The execution (counted from 1) whose child is sabotaged, and how.
    sabotage: Option<(u64, Sabotage)>,
}

/// What a campaign did, when nothing failed.
#[derive(Debug)]
struct Summary {
    executions: u64,
    elapsed: Duration,
    slowest: Duration,
    slowest_saved: Option<PathBuf>,
    peak_rss: u64,
    diverged: u64,
}

/// A failed execution: which one, why, and where its input was saved.
#[derive(Debug)]
struct Failure {
    execution: u64,
    seed: u64,
    saved: PathBuf,
    why: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "input {} (seed {}) {}\nsaved to {} (and its seed and steps beside it); replay with\n  \
             BORROWLENS_FUZZ_REPLAY={} cargo test --release -p borrowlens-analysis --test fuzz \
             fuzz_the_analysis -- --nocapture",
            self.execution,
            self.seed,
            self.why,
            self.saved.display(),
            self.saved.display()
        )
    }
}

/// Generates the campaign's inputs and has a child process analyse them, one at a time.
fn campaign(c: &Campaign) -> Result<Summary, Failure> {
    let seeds = corpus_seeds();
    let mut rng = Rng(c.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut child = Child::start();
    let start = Instant::now();
    let mut s = Summary {
        executions: 0,
        elapsed: Duration::ZERO,
        slowest: Duration::ZERO,
        slowest_saved: None,
        peak_rss: 0,
        diverged: 0,
    };
    let mut reported = Instant::now();
    while start.elapsed() < c.budget && c.executions.is_none_or(|n| s.executions < n) {
        // Long runs say how far they are.
        if reported.elapsed() > Duration::from_secs(300) {
            reported = Instant::now();
            eprintln!(
                "fuzz: {} executions in {:.0} s (seed {}), slowest input {:?}",
                s.executions,
                start.elapsed().as_secs_f64(),
                c.seed,
                s.slowest
            );
        }
        let base = rng.pick(&seeds).clone();
        let mut text = base.clone();
        let mut steps = Vec::new();
        for k in 0..1 + rng.below(4) {
            if k > 0 {
                steps.push(text.clone());
            }
            text = mutate(&mut rng, &text, &seeds);
        }
        let picks = std::array::from_fn(|_| rng.next());
        let input = Input {
            seed: base,
            steps,
            text,
            edition: *rng.pick(&EDITIONS),
            picks,
        };
        s.executions += 1;
        let sabotage = match c.sabotage {
            Some((n, sabotage)) if n == s.executions => sabotage,
            _ => Sabotage::None,
        };
        let fail = |why: String| Failure {
            execution: s.executions,
            seed: c.seed,
            saved: save(&input, s.executions, c.seed),
            why,
        };
        match child.run(&input, sabotage, c.per_input) {
            Err(death) => return Err(fail(death.to_string())),
            Ok(Outcome::Panicked(message)) => return Err(fail(format!("failed: {message}"))),
            Ok(Outcome::Ok {
                diverged,
                elapsed,
                rss,
            }) => {
                if elapsed > s.slowest {
                    s.slowest = elapsed;
                    // Kept for a look: a slow input is a bound waiting to be broken.
                    if elapsed > c.per_input / 10 {
                        s.slowest_saved = Some(save(&input, s.executions, c.seed));
                    }
                }
                if diverged {
                    s.diverged += 1;
                    if s.diverged == 1 {
                        eprintln!(
                            "fuzz: input {} differed from a fresh analysis until settled; saved as {}",
                            s.executions,
                            save(&input, s.executions, c.seed).display()
                        );
                    }
                }
                s.peak_rss = s.peak_rss.max(rss);
                if rss > MAX_RSS {
                    return Err(fail(format!(
                        "left the child at {} MiB resident",
                        rss >> 20
                    )));
                }
            }
        }
    }
    child.finish();
    s.elapsed = start.elapsed();
    Ok(s)
}

#[test]
fn fuzz_the_analysis() {
    if std::env::var_os(CHILD).is_some() {
        return serve();
    }
    let per_input = Duration::from_secs(env_u64("BORROWLENS_FUZZ_INPUT_SECS", 10));
    if let Ok(path) = std::env::var("BORROWLENS_FUZZ_REPLAY") {
        let mut child = Child::start();
        match child.run(&load(Path::new(&path)), Sabotage::None, per_input) {
            Ok(Outcome::Ok { elapsed, .. }) => eprintln!("replay of {path}: fine in {elapsed:?}"),
            Ok(Outcome::Panicked(message)) => panic!("replay of {path}: {message}"),
            Err(death) => panic!("replay of {path}: {death}"),
        }
        child.finish();
        return;
    }
    let c = Campaign {
        seed: env_u64("BORROWLENS_FUZZ_SEED", 1),
        budget: Duration::from_secs(env_u64("BORROWLENS_FUZZ_SECS", 10)),
        executions: std::env::var("BORROWLENS_FUZZ_EXECS")
            .ok()
            .map(|_| env_u64("BORROWLENS_FUZZ_EXECS", 0)),
        per_input,
        sabotage: None,
    };
    let s = campaign(&c).unwrap_or_else(|failure| panic!("{failure}"));
    eprintln!(
        "fuzz: {} executions in {:.1} s (seed {}, {} seeds), slowest input {:?}, peak RSS {} MiB, \
         no failure; {} incremental analyses differed from a fresh one until settled",
        s.executions,
        s.elapsed.as_secs_f64(),
        c.seed,
        corpus_seeds().len(),
        s.slowest,
        s.peak_rss >> 20,
        s.diverged
    );
    if let Some(path) = s.slowest_saved {
        eprintln!("fuzz: the slowest input is saved as {}", path.display());
    }
    assert!(s.executions > 0, "the budget allowed no execution");
}

/// A child that aborts on its third input (the test-only sabotage switch): the supervisor names
/// the signal and that input, and saves it as it was generated.
#[test]
fn a_crash_is_named() {
    let c = Campaign {
        seed: 7,
        budget: Duration::from_secs(600),
        executions: Some(5),
        per_input: Duration::from_secs(60),
        sabotage: Some((3, Sabotage::Abort)),
    };
    let failure = campaign(&c).expect_err("the sabotaged child aborts");
    assert_eq!(failure.execution, 3);
    let message = failure.to_string();
    assert!(message.contains("SIGABRT"), "{message}");
    assert!(message.contains("BORROWLENS_FUZZ_REPLAY="), "{message}");
    let saved = load(&failure.saved);
    assert!(message.contains(&failure.saved.display().to_string()));
    // The saved input is the one the campaign generated third, and replays without failing.
    let mut child = Child::start();
    let outcome = child.run(&saved, Sabotage::None, Duration::from_secs(60));
    assert!(matches!(outcome, Ok(Outcome::Ok { .. })), "{outcome:?}");
    child.finish();
}

/// A child that never answers its first input is killed after the limit, and the input named.
/// (The first: a real input before it could take longer than the short limit in a debug build.)
#[test]
fn a_hang_is_named() {
    let c = Campaign {
        seed: 7,
        budget: Duration::from_secs(600),
        executions: Some(5),
        per_input: Duration::from_secs(2),
        sabotage: Some((1, Sabotage::Hang)),
    };
    let failure = campaign(&c).expect_err("the sabotaged child hangs");
    assert_eq!(failure.execution, 1);
    assert!(failure.why.contains("took more than 2s"), "{}", failure.why);
    assert!(failure.saved.exists());
}
