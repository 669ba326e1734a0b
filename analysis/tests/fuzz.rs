//! A deterministic mutation fuzzer over the whole analysis, run by `cargo test` for a bounded time.
//!
//! Seeds are every `.rs` file of `../shared/corpus`. Each execution takes a seed, stacks one to
//! four random mutations on it (delete, duplicate, swap or splice ranges, insert Rust tokens,
//! brackets, multi-byte and astral characters, NUL and CR, truncate, nest a range thousands of
//! levels deep, flip bytes), and runs the result through the analysis as an editor would: the
//! seed, then each mutation as an edit of the text before (incremental reparses), diagnostics,
//! inlay hints over the file and over a random range, hovers and regions at random offsets (in
//! range and out, on character boundaries and not). It fails on:
//!
//! - a panic (the input is saved and the failure names its file);
//! - an input that takes longer than `BORROWLENS_FUZZ_INPUT_SECS` (default 10 s, debug build);
//! - the process's resident memory above 2 GiB;
//! - diagnostics after the edits, once settled (`AnalysisHost::settle`), that differ from a fresh
//!   analysis of the same text (a desync between incremental and fresh state; before settling
//!   they may differ on broken code, and the summary counts how often they did);
//! - a range outside the text or inside a character.
//!
//! `BORROWLENS_FUZZ_SECS` sets the time budget (default 10 s; CI runs 60 s in a release build,
//! longer runs are for local use), `BORROWLENS_FUZZ_SEED` the seed of the random sequence
//! (default 1; the inputs depend only on it, not on the time). The count of executions is
//! printed. A saved failing input is replayed with `BORROWLENS_FUZZ_REPLAY=FILE`.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use borrowlens_analysis::ide::{InlayConfig, RegionQuery};
use borrowlens_analysis::{AnalysisHost, Diagnostic, Edition, TextRange, ANALYSIS_STACK_SIZE};

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
    match rng.below(12) {
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

/// The message and place of the worker's last panic, from the panic hook.
static LAST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// What the worker thread says about one input.
enum Outcome {
    /// Passed; whether the analysis differed from a fresh one before it was settled.
    Ok(bool),
    Panicked(String),
}

#[test]
fn fuzz_the_analysis() {
    let budget = Duration::from_secs(env_u64("BORROWLENS_FUZZ_SECS", 10));
    let per_input = Duration::from_secs(env_u64("BORROWLENS_FUZZ_INPUT_SECS", 10));
    let seed = env_u64("BORROWLENS_FUZZ_SEED", 1);
    let seeds = corpus_seeds();

    // Inputs go to one worker with the analysis's stack; the test thread times each of them.
    let (to_worker, inputs) = mpsc::sync_channel::<Input>(0);
    let (to_test, outcomes) = mpsc::channel::<(Outcome, Duration)>();
    // The worker's panics are kept (with where they happened: the analysis's frames of the
    // backtrace) for the failure message instead of being printed.
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some("fuzz-worker") {
            return default_hook(info);
        }
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        let frames: Vec<&str> = backtrace
            .lines()
            .filter(|l| l.contains("borrowlens_analysis::") || l.contains("analysis/src/"))
            .take(12)
            .collect();
        *LAST_PANIC.lock().unwrap() = Some(format!("{info}\n{}", frames.join("\n")));
    }));
    std::thread::Builder::new()
        .name("fuzz-worker".to_string())
        .stack_size(ANALYSIS_STACK_SIZE)
        .spawn(move || {
            for input in inputs {
                let start = Instant::now();
                let outcome = match panic::catch_unwind(AssertUnwindSafe(|| execute(&input))) {
                    Ok(diverged) => Outcome::Ok(diverged),
                    Err(_) => {
                        Outcome::Panicked(LAST_PANIC.lock().unwrap().take().unwrap_or_default())
                    }
                };
                if to_test.send((outcome, start.elapsed())).is_err() {
                    break;
                }
            }
        })
        .unwrap();

    if let Ok(path) = std::env::var("BORROWLENS_FUZZ_REPLAY") {
        to_worker.send(load(Path::new(&path))).unwrap();
        let (outcome, elapsed) = outcomes
            .recv_timeout(per_input)
            .expect("the replay finished in time");
        if let Outcome::Panicked(message) = outcome {
            panic!("replay of {path}: {message}");
        }
        eprintln!("replay of {path}: fine in {elapsed:?}");
        return;
    }

    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let start = Instant::now();
    let mut executions = 0u64;
    let (mut slowest, mut peak) = (Duration::ZERO, 0u64);
    let mut slowest_saved = None;
    let mut diverged = 0u64;
    while start.elapsed() < budget {
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
        to_worker.send(input.clone()).unwrap();
        executions += 1;
        let (outcome, elapsed) = match outcomes.recv_timeout(per_input) {
            Ok(it) => it,
            Err(_) => {
                let path = save(&input, executions, seed);
                panic!(
                    "input {executions} (seed {seed}) took more than {per_input:?}\nsaved to {} (and its \
                     seed beside it); replay with BORROWLENS_FUZZ_REPLAY={}",
                    path.display(),
                    path.display()
                )
            }
        };
        if elapsed > slowest {
            slowest = elapsed;
            // Kept for a look: a slow input is a bound waiting to be broken.
            if elapsed > per_input / 10 {
                slowest_saved = Some(save(&input, executions, seed));
            }
        }
        if let Outcome::Ok(true) = outcome {
            diverged += 1;
            if diverged == 1 {
                eprintln!(
                    "fuzz: input {executions} differed from a fresh analysis until settled; saved as {}",
                    save(&input, executions, seed).display()
                );
            }
        }
        if let Outcome::Panicked(message) = outcome {
            let path = save(&input, executions, seed);
            panic!(
                "input {executions} (seed {seed}) failed: {message}\nsaved to {} (and its seed beside it); \
                 replay with BORROWLENS_FUZZ_REPLAY={}",
                path.display(),
                path.display()
            );
        }
        if executions.is_multiple_of(16) {
            if let Some(now) = rss() {
                peak = peak.max(now);
                assert!(
                    now < MAX_RSS,
                    "resident memory {} MiB after input {executions}",
                    now >> 20
                );
            }
        }
    }
    eprintln!(
        "fuzz: {executions} executions in {:.1} s (seed {seed}, {} seeds), slowest input {slowest:?}, \
         peak RSS {} MiB, no failure; {diverged} incremental analyses differed from a fresh one \
         until settled",
        start.elapsed().as_secs_f64(),
        seeds.len(),
        peak >> 20
    );
    if let Some(path) = slowest_saved {
        eprintln!("fuzz: the slowest input is saved as {}", path.display());
    }
    assert!(executions > 0, "the budget allowed no execution");
}
