//! Quick fixes checked by rustc: every fix the analysis offers on a corpus file is applied to a
//! copy of the file, which the installed `rustc` compiles with the corpus' edition and crate type
//! (`--emit=metadata`, as `rustc-ui/make_expected.py` does). A fix succeeds when rustc reports
//! fewer errors with the diagnostic's code than on the original file and no error it did not
//! report there (errors compared by code and message, lines aside: the edit moves them).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use borrowlens::line_index::LineIndex;
use borrowlens_analysis::AnalysisHost;
use borrowlens_analysis::Fix;
use serde_json::Value;

use crate::corpus::Row;

/// One error as rustc reports it: code (`lifetime` for the uncoded "lifetime may not live long
/// enough", the message for other uncoded errors) and message.
pub type RustcError = (String, String);

/// The errors rustc reports for a program, or why it could not be run.
pub fn rustc_errors(
    dir: &Path,
    name: &str,
    text: &str,
    edition: &str,
    crate_type: &str,
) -> Result<Vec<RustcError>, String> {
    let file = dir.join(format!("{name}.rs"));
    fs::write(&file, text).map_err(|err| format!("{}: {err}", file.display()))?;
    let out = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args([
            "--edition",
            edition,
            "--crate-type",
            crate_type,
            "--error-format=json",
            "--emit=metadata",
            "-o",
        ])
        .arg(dir.join(format!("{name}.rmeta")))
        .arg(&file)
        .output()
        .map_err(|err| format!("cannot run rustc: {err}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut errors = Vec::new();
    for line in stderr.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if v["level"] != "error" {
            continue;
        }
        let message = v["message"].as_str().unwrap_or("").to_string();
        if message.starts_with("aborting due to") {
            continue;
        }
        let code = match v["code"]["code"].as_str() {
            Some(c) => c.to_string(),
            None if message == "lifetime may not live long enough" => "lifetime".to_string(),
            None => message.clone(),
        };
        errors.push((code, message));
    }
    Ok(errors)
}

/// Applies a fix's edits (byte ranges of the original text) to the text.
pub fn apply(text: &str, fix: &Fix) -> String {
    let mut edits: Vec<_> = fix.edits.iter().collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0usize;
    for e in edits {
        let (s, t) = (e.range.start as usize, e.range.end as usize);
        if s < at {
            // Overlapping edits: LSP forbids them, so does this harness.
            return String::new();
        }
        out.push_str(&text[at..s]);
        out.push_str(&e.new_text);
        at = t;
    }
    out.push_str(&text[at..]);
    out
}

/// The verdict on one fix.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub file: String,
    pub code: String,
    pub line: u32,
    pub kind: &'static str,
    pub title: String,
    pub ok: bool,
    /// Why it failed: the error that stayed, or the new errors.
    pub why: String,
}

/// What the fixes did on one corpus.
#[derive(Default, Debug)]
pub struct Report {
    /// True-positive diagnostics (same code on the same line as an expected error).
    pub true_positives: usize,
    /// Those of them with at least one fix.
    pub with_fix: usize,
    /// Every diagnostic (true positive or not) without a fix: file, code, line.
    pub without_fix: Vec<(String, String, u32)>,
    pub outcomes: Vec<Outcome>,
}

impl Report {
    pub fn offered(&self) -> usize {
        self.outcomes.len()
    }
    pub fn succeeded(&self) -> usize {
        self.outcomes.iter().filter(|o| o.ok).count()
    }
    /// Succeeded fixes over offered fixes (1 when none was offered).
    pub fn success_rate(&self) -> f64 {
        if self.outcomes.is_empty() {
            1.0
        } else {
            self.succeeded() as f64 / self.offered() as f64
        }
    }
    /// True positives with a fix over true positives (1 when there is none).
    pub fn coverage(&self) -> f64 {
        if self.true_positives == 0 {
            1.0
        } else {
            self.with_fix as f64 / self.true_positives as f64
        }
    }

    /// The figures per kind of fix and the failures, for people.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for o in &self.outcomes {
            let k = kinds.entry(o.kind).or_default();
            k.0 += 1;
            k.1 += o.ok as usize;
        }
        let _ = writeln!(out, "{:<22} {:>7} {:>9}", "kind", "offered", "succeeded");
        for (k, (n, ok)) in &kinds {
            let _ = writeln!(out, "{k:<22} {n:>7} {ok:>9}");
        }
        let _ = writeln!(
            out,
            "fixes: {} offered, {} succeeded ({:.1}%); true positives with a fix: {}/{} ({:.1}%)",
            self.offered(),
            self.succeeded(),
            100.0 * self.success_rate(),
            self.with_fix,
            self.true_positives,
            100.0 * self.coverage()
        );
        for o in self.outcomes.iter().filter(|o| !o.ok) {
            let _ = writeln!(
                out,
                "FAILED {}:{} {} [{}] {} — {}",
                o.file, o.line, o.code, o.kind, o.title, o.why
            );
        }
        out
    }
}

/// Checks every fix offered on the corpus' files, on `threads` threads.
pub fn check_corpus(corpus: &Path, rows: &[Row], threads: usize) -> Result<Report, String> {
    let scratch = tempdir()?;
    let next = AtomicUsize::new(0);
    let report = Mutex::new(Report::default());
    let failure = Mutex::new(None::<String>);
    std::thread::scope(|s| {
        for t in 0..threads {
            let (scratch, next, report, failure) = (&scratch, &next, &report, &failure);
            s.spawn(move || {
                let dir = scratch.join(format!("t{t}"));
                let _ = fs::create_dir_all(&dir);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(row) = rows.get(i) else { break };
                    match check_file(corpus, row, &dir) {
                        Ok(r) => {
                            let mut all = report.lock().unwrap();
                            all.true_positives += r.true_positives;
                            all.with_fix += r.with_fix;
                            all.without_fix.extend(r.without_fix);
                            all.outcomes.extend(r.outcomes);
                        }
                        Err(err) => {
                            *failure.lock().unwrap() = Some(err);
                            break;
                        }
                    }
                }
            });
        }
    });
    let _ = fs::remove_dir_all(&scratch);
    if let Some(err) = failure.into_inner().unwrap() {
        return Err(err);
    }
    let mut report = report.into_inner().unwrap();
    report
        .outcomes
        .sort_by(|a, b| (&a.file, a.line, &a.title).cmp(&(&b.file, b.line, &b.title)));
    report.without_fix.sort();
    Ok(report)
}

fn check_file(corpus: &Path, row: &Row, dir: &Path) -> Result<Report, String> {
    let path = corpus.join("files").join(&row.file);
    let text = fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
    let mut host = AnalysisHost::new();
    let id = host.set_file(&row.file, text.clone(), row.edition);
    let diags = host.diagnostics(id);
    let index = LineIndex::new(&text);
    let mut report = Report::default();
    let mut expected = row.errors.clone();
    let edition = match row.edition {
        borrowlens_analysis::Edition::E2015 => "2015",
        borrowlens_analysis::Edition::E2018 => "2018",
        borrowlens_analysis::Edition::E2021 => "2021",
        borrowlens_analysis::Edition::E2024 => "2024",
    };
    let mut before: Option<Vec<RustcError>> = None;
    for d in &diags {
        let line = index.line_col(d.range.start).line;
        if let Some(i) = expected.iter().position(|(c, l)| c == d.code && *l == line) {
            expected.swap_remove(i);
            report.true_positives += 1;
            report.with_fix += !d.fixes.is_empty() as usize;
        }
        if d.fixes.is_empty() {
            report
                .without_fix
                .push((row.file.clone(), d.code.to_string(), line));
            continue;
        }
        let before = match &before {
            Some(b) => b,
            None => before.insert(rustc_errors(
                dir,
                "original",
                &text,
                edition,
                &row.crate_type,
            )?),
        };
        for fix in &d.fixes {
            let fixed = apply(&text, fix);
            let after = rustc_errors(dir, "fixed", &fixed, edition, &row.crate_type)?;
            let count = |es: &[RustcError]| es.iter().filter(|(c, _)| c == d.code).count();
            let new: Vec<&RustcError> = after.iter().filter(|e| !before.contains(e)).collect();
            let ok = count(&after) < count(before) && new.is_empty();
            let why = if ok {
                String::new()
            } else if !new.is_empty() {
                format!(
                    "new: {}",
                    new.iter()
                        .map(|(c, m)| format!("{c} {m}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            } else {
                format!("{} still reported", d.code)
            };
            report.outcomes.push(Outcome {
                file: row.file.clone(),
                code: d.code.to_string(),
                line,
                kind: fix.kind,
                title: fix.title.clone(),
                ok,
                why,
            });
        }
    }
    Ok(report)
}

fn tempdir() -> Result<PathBuf, String> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "borrowlens-fixcheck-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    fs::create_dir_all(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    Ok(dir)
}
