//! The IDE names what the user wrote: over real code (this repository's own crates and the shared
//! corpora), no inlay hint, hover text or region label shows a name the lowering made up (`_`,
//! `_3`, `(*_)`, `&_.0`, `v[_]`) instead of the source's.
//!
//! `BORROWLENS_NAMES_EXTRA=dir:dir` adds crates (each a `src` folder with `lib.rs` or `main.rs`),
//! `regex-syntax`'s sources in the cargo registry, say; `BORROWLENS_NAMES_VERBOSE=1` prints the
//! counts per crate; `BORROWLENS_NAMES_DUMP=file` writes every hint there (`path:line:col label`).

use borrowlens_analysis::{
    Analysis, AnalysisHost, Edition, FileId, InlayConfig, InlayKind, RegionQuery, TextRange,
};
use std::path::{Path, PathBuf};

/// Where `text` shows a made-up name, and which: `_` standing for a place (`_`, `*_`, `(*_).0`,
/// `&_`, `v[_]`, `‹_ ends›`), a MIR local's number (`_3`), or a borrow of nothing (`&›`).
/// A lone `_` that source text may hold is allowed: a pattern or inferred type in a snippet
/// (`|_|`, `Vec<_>`, `(_, x)`, `_ =>`).
fn placeholder(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let is_id = |c: char| c.is_alphanumeric() || c == '_';
    let prev_solid = |i: usize| {
        chars[..i]
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .copied()
    };
    let next_solid = |i: usize| chars[i..].iter().find(|c| !c.is_whitespace()).copied();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_word = i == 0 || !is_id(chars[i - 1]);
        if c == '_' && starts_word {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let ends_word = j == chars.len() || !is_id(chars[j]);
            if ends_word && j > i + 1 {
                return Some(format!(
                    "`{}` (a MIR local)",
                    chars[i..j].iter().collect::<String>()
                ));
            }
            if ends_word && j == i + 1 {
                let after_as = chars[..i]
                    .iter()
                    .collect::<String>()
                    .trim_end()
                    .ends_with(" as");
                let allowed = matches!(prev_solid(i), Some('<' | '|' | ','))
                    || matches!(next_solid(j), Some('>' | '|' | ',' | '='))
                    || after_as;
                if !allowed {
                    let from = i.saturating_sub(6);
                    let to = (j + 6).min(chars.len());
                    return Some(format!(
                        "`_` standing for a place in `{}`",
                        chars[from..to].iter().collect::<String>()
                    ));
                }
            }
            i = j;
            continue;
        }
        if c == '&' {
            let mut j = i + 1;
            if chars[j..].starts_with(&['m', 'u', 't', ' ']) {
                j += 4;
            }
            let rest: String = chars[j..].iter().take(6).collect();
            if j == chars.len() || rest.starts_with(['›', '`']) || rest.starts_with(" ends›") {
                return Some("a borrow of nothing".to_string());
            }
        }
        i += 1;
    }
    None
}

/// The parts of a hover that name places: not the source line of the last use (verbatim source
/// text) nor the error's message (rustc's words, `v[_]` included).
fn hover_names(markdown: &str) -> String {
    markdown
        .lines()
        .filter(|l| !l.starts_with('⚠'))
        .map(|l| match l.find("kept alive by its last use on line ") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Default)]
struct Tally {
    /// Every hint, for `BORROWLENS_NAMES_DUMP`.
    dump: Vec<String>,
    texts: usize,
    hints: usize,
    bad_hints: usize,
    bad: Vec<String>,
}

impl Tally {
    fn check(&mut self, what: &str, at: &str, text: &str) -> bool {
        self.texts += 1;
        match placeholder(text) {
            Some(why) => {
                self.bad.push(format!("{at}: {what} {text:?}: {why}"));
                true
            }
            None => false,
        }
    }
}

fn line_col(text: &str, offset: u32) -> String {
    let before = &text[..(offset as usize).min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{line}:{col}")
}

/// Every text the IDE shows about the borrows of one file: all inlay hints with their tooltips,
/// the regions' places, and hovers on each borrow and on the names it borrows.
fn check_file(a: &Analysis, file: FileId, path: &str, tally: &mut Tally) {
    let text = a.file_text(file).unwrap().unwrap();
    let all = TextRange {
        start: 0,
        end: text.len() as u32,
    };
    let hints = a.inlay_hints(file, all, InlayConfig::default()).unwrap();
    let mut hovers: Vec<u32> = Vec::new();
    for h in &hints {
        let at = format!("{path}:{}", line_col(&text, h.offset));
        tally.hints += 1;
        tally.dump.push(format!("{at} {}", h.label));
        let bad = tally.check("hint", &at, &h.label);
        tally.bad_hints += usize::from(bad);
        tally.check("hint tooltip", &at, &hover_names(&h.tooltip));
        if h.kind == InlayKind::Borrow && h.offset > 0 {
            hovers.push(h.offset - 1);
        }
    }
    let regions = a
        .regions(
            file,
            RegionQuery {
                offset: None,
                range: None,
            },
        )
        .unwrap();
    for r in &regions {
        let at = format!("{path}:{}", line_col(&text, r.borrow.start));
        tally.check("region place", &at, &format!("`{}`", r.place));
        // The borrow, and every name in it (a hover on a binding says what may be done with it).
        hovers.push(r.borrow.start);
        let span = &text[r.borrow.start as usize..r.borrow.end as usize];
        let mut prev_id = false;
        for (i, c) in span.char_indices() {
            let id = c.is_alphanumeric() || c == '_';
            if id && !prev_id {
                hovers.push(r.borrow.start + i as u32);
            }
            prev_id = id;
        }
        hovers.extend(r.live.first().map(|l| l.start));
    }
    hovers.sort_unstable();
    hovers.dedup();
    for offset in hovers {
        if let Some(h) = a.hover(file, offset).unwrap() {
            let at = format!("{path}:{}", line_col(&text, offset));
            tally.check("hover", &at, &hover_names(&h.markdown));
        }
    }
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

/// The crate whose sources are under `src`, analysed as the language server sees it: every file
/// set, `lib.rs` and `main.rs` its roots.
fn check_crate(src: &Path, tally: &mut Tally) {
    let mut paths = Vec::new();
    rs_files(src, &mut paths);
    paths.sort();
    let mut host = AnalysisHost::new();
    let mut files = Vec::new();
    for p in &paths {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let name = p.to_string_lossy().into_owned();
        files.push((host.set_file_from_disk(&name, text, Edition::E2021), name));
    }
    let roots: Vec<String> = ["lib.rs", "main.rs"]
        .iter()
        .map(|r| src.join(r).to_string_lossy().into_owned())
        .filter(|r| files.iter().any(|(_, n)| n == r))
        .collect();
    host.set_crate_roots(&roots.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    let a = host.snapshot();
    for (file, name) in &files {
        check_file(&a, *file, name, tally);
    }
}

/// Each file of the shared corpora alone (single-file programs).
fn check_corpus(dir: &Path, tally: &mut Tally) {
    let mut paths = Vec::new();
    rs_files(dir, &mut paths);
    paths.sort();
    for p in &paths {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let mut host = AnalysisHost::new();
        let name = p.to_string_lossy().into_owned();
        let file = host.set_file(&name, text, Edition::E2021);
        check_file(&host.snapshot(), file, &name, tally);
    }
}

fn report(what: &str, tally: &Tally) {
    if std::env::var_os("BORROWLENS_NAMES_VERBOSE").is_some() {
        eprintln!(
            "{what}: {} hints ({} with a made-up name), {} texts checked, {} with a made-up name",
            tally.hints,
            tally.bad_hints,
            tally.texts,
            tally.bad.len()
        );
    }
}

fn dump(tally: &Tally) {
    if let Some(path) = std::env::var_os("BORROWLENS_NAMES_DUMP") {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        for line in &tally.dump {
            writeln!(f, "{line}").unwrap();
        }
    }
}

fn run(crates: &[PathBuf], corpora: &[PathBuf]) -> Vec<String> {
    let mut bad = Vec::new();
    for src in crates {
        let mut tally = Tally::default();
        check_crate(src, &mut tally);
        report(&src.display().to_string(), &tally);
        dump(&tally);
        assert!(tally.texts > 0, "nothing checked in {}", src.display());
        bad.extend(tally.bad);
    }
    for dir in corpora {
        let mut tally = Tally::default();
        check_corpus(dir, &mut tally);
        report(&dir.display().to_string(), &tally);
        dump(&tally);
        bad.extend(tally.bad);
    }
    bad
}

fn assert_none(bad: &[String]) {
    assert!(
        bad.is_empty(),
        "{} texts show a made-up name instead of the source's:\n{}",
        bad.len(),
        bad.iter()
            .take(100000)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

#[test]
fn the_repositorys_own_crates_name_what_the_user_wrote() {
    let crates = [
        Path::new(REPO).join("analysis/src"),
        Path::new(REPO).join("server/src"),
    ];
    assert_none(&run(&crates, &[]));
}

#[test]
fn the_shared_corpora_name_what_the_user_wrote() {
    let corpus = Path::new(REPO).join("../shared/corpus");
    assert!(
        corpus.is_dir(),
        "the shared corpora must be beside the repository: {}",
        corpus.display()
    );
    assert_none(&run(&[], &[corpus]));
}

#[test]
fn extra_crates_name_what_the_user_wrote() {
    let Some(extra) = std::env::var_os("BORROWLENS_NAMES_EXTRA") else {
        return;
    };
    let crates: Vec<PathBuf> = std::env::split_paths(&extra).collect();
    assert_none(&run(&crates, &[]));
}

#[test]
fn the_placeholder_pattern() {
    for made_up in [
        "‹&_.0›",
        "‹&(*_).0›",
        "‹r: &_ ends›",
        "`&mut _`",
        "‹&*_›",
        "‹_ ← r›",
        "‹&v[_]›",
        "‹&_3›",
        "**shared borrow** `&_.1` held by `x`",
        "‹&›",
        "‹&mut  ends›",
    ] {
        assert!(placeholder(made_up).is_some(), "{made_up} passes");
    }
    for written in [
        "‹&self.items[i]›",
        "‹&pair.0›",
        "‹x: &mut *r ends›",
        "‹&v.iter().map(|_| 1).collect::<Vec<_>>()›",
        "‹&(_a, b)›",
        "‹&match x { _ => 1 }›",
        "‹&HashMap<_, _>›",
        "‹&mut (&[1] as _)›",
        "‹&x_1›",
        "‹&1_000›",
        "‹&a temporary›",
    ] {
        assert_eq!(placeholder(written), None, "{written}");
    }
}
