//! Corpora with rustc's verdicts (`../shared/corpus/*/expected.jsonl`), the analysis run over them,
//! and the score computed exactly as `../shared/tools/score.py` computes it: a prediction is a true
//! positive when the same file has an expected error with the same code on the same line, each
//! expected error matched once, every prediction counted whatever its severity.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::fs;
use std::path::{Path, PathBuf};

use borrowlens::check::{self, Input, NotAnalysed};
use borrowlens::line_index::LineIndex;
use borrowlens_analysis::Edition;
use serde_json::Value;

/// Where the corpora live: `shared/corpus` beside the repository.
pub fn corpora_dir() -> PathBuf {
    crate::workspace_root().join("../shared/corpus")
}

/// The corpora: every directory of `dir` that holds an `expected.jsonl`, sorted by name.
pub fn corpora(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    let mut acc: Vec<PathBuf> = entries
        .filter_map(|it| it.ok().map(|it| it.path()))
        .filter(|it| it.join("expected.jsonl").is_file())
        .collect();
    acc.sort();
    Ok(acc)
}

/// One line of `expected.jsonl`: a file and the errors rustc reports for it.
#[derive(Clone, Debug)]
pub struct Row {
    /// Relative to the corpus' `files/`.
    pub file: String,
    pub edition: Edition,
    /// `bin` or `lib`. The analysis API takes no crate type today, so it is only carried along.
    pub crate_type: String,
    /// `(code, line)` of each error.
    pub errors: Vec<(String, u32)>,
}

pub fn load(corpus: &Path) -> Result<Vec<Row>, String> {
    let path = corpus.join("expected.jsonl");
    let text = fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
    let mut rows = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, it)| !it.trim().is_empty())
    {
        let bad = |what: &str| format!("{}:{}: {what}", path.display(), i + 1);
        let value: Value = serde_json::from_str(line).map_err(|err| bad(&err.to_string()))?;
        let text_of = |key: &str| {
            value[key]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| bad(&format!("no `{key}`")))
        };
        let edition = text_of("edition")?;
        let errors = value["errors"]
            .as_array()
            .ok_or_else(|| bad("no `errors`"))?
            .iter()
            .map(|it| {
                Some((
                    it["code"].as_str()?.to_string(),
                    it["line"].as_u64()? as u32,
                ))
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("an error without `code` or `line`"))?;
        rows.push(Row {
            file: text_of("file")?,
            edition: Edition::from_str(&edition)
                .ok_or_else(|| bad(&format!("unknown edition {edition}")))?,
            crate_type: text_of("crate_type")?,
            errors,
        });
    }
    Ok(rows)
}

/// `(code, line)` of every diagnostic the analysis reports, per file of the corpus, through the
/// same runner as `borrowlens check`. Fails when a file cannot be read or the analysis panics.
pub fn predict(corpus: &Path, rows: &[Row]) -> Result<HashMap<String, Vec<(String, u32)>>, String> {
    let mut inputs = Vec::new();
    for row in rows {
        let path = corpus.join("files").join(&row.file);
        let text = fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
        inputs.push(Input {
            path: row.file.clone(),
            text,
            edition: row.edition,
        });
    }
    let mut acc = HashMap::new();
    let mut panics = Vec::new();
    for (input, result) in inputs.iter().zip(check::analyze(&inputs)) {
        match result {
            Ok(diags) => {
                let index = LineIndex::new(&input.text);
                let found = diags
                    .iter()
                    .map(|it| (it.code.to_string(), index.line_col(it.range.start).line))
                    .collect();
                acc.insert(input.path.clone(), found);
            }
            Err(NotAnalysed::Panicked(message)) => {
                panics.push(format!("{}: {message}", input.path))
            }
            // Every corpus file is real code, which parses well within the budget.
            Err(NotAnalysed::ParseGaveUp) => panics.push(format!(
                "{}: {}",
                input.path,
                borrowlens_analysis::ParseGaveUp
            )),
        }
    }
    if !panics.is_empty() {
        return Err(format!(
            "the analysis panicked on (or did not parse) {} files:\n{}",
            panics.len(),
            panics.join("\n")
        ));
    }
    Ok(acc)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub expected: usize,
    pub tp: usize,
    pub fp: usize,
}

impl Counts {
    /// `None` when nothing was predicted.
    pub fn precision(&self) -> Option<f64> {
        (self.tp + self.fp > 0).then(|| self.tp as f64 / (self.tp + self.fp) as f64)
    }

    /// `None` when nothing was expected.
    pub fn recall(&self) -> Option<f64> {
        (self.expected > 0).then(|| self.tp as f64 / self.expected as f64)
    }

    fn add(&mut self, other: Counts) {
        self.expected += other.expected;
        self.tp += other.tp;
        self.fp += other.fp;
    }
}

#[derive(Clone, Debug, Default)]
pub struct Score {
    pub files: usize,
    pub per_code: BTreeMap<String, Counts>,
    /// Files where "rustc reports an error" and "the analysis reports something" agree.
    pub verdicts_agree: usize,
    /// False positives on a line where another code was expected.
    pub near_misses: usize,
}

impl Score {
    pub fn total(&self) -> Counts {
        let mut acc = Counts::default();
        self.per_code.values().for_each(|it| acc.add(*it));
        acc
    }

    /// The table score.py prints, with its last line `precision=..% recall=..% tp= fp= fn=`.
    pub fn table(&self) -> String {
        let fmt = |x: Option<f64>| x.map_or("  -  ".to_string(), |x| format!("{:5.1}", 100.0 * x));
        let mut out = format!(
            "{:9} {:>8} {:>5} {:>5} {:>5} {:>6} {:>7}\n",
            "code", "expected", "tp", "fp", "fn", "prec%", "recall%"
        );
        let mut codes: Vec<(&String, &Counts)> = self.per_code.iter().collect();
        codes.sort_by_key(|(_, it)| std::cmp::Reverse(it.expected));
        let total = self.total();
        for (code, it) in codes.into_iter().chain([(&"TOTAL".to_string(), &total)]) {
            let _ = writeln!(
                out,
                "{code:9} {:8} {:5} {:5} {:5} {:>6} {:>7}",
                it.expected,
                it.tp,
                it.fp,
                it.expected - it.tp,
                fmt(it.precision()),
                fmt(it.recall())
            );
        }
        let _ = writeln!(
            out,
            "file verdicts agreeing with rustc: {}/{}; near misses (right line, other code): {}",
            self.verdicts_agree, self.files, self.near_misses
        );
        let _ = writeln!(
            out,
            "precision={}% recall={}% tp={} fp={} fn={}",
            fmt(total.precision()).trim(),
            fmt(total.recall()).trim(),
            total.tp,
            total.fp,
            total.expected - total.tp
        );
        out
    }
}

/// Scores predictions (`(code, line)` per file) against the rows.
pub fn score(rows: &[Row], predictions: &HashMap<String, Vec<(String, u32)>>) -> Score {
    let mut it = Score {
        files: rows.len(),
        ..Score::default()
    };
    let mut rows: Vec<&Row> = rows.iter().collect();
    rows.sort_by(|a, b| a.file.cmp(&b.file));
    for row in rows {
        let mut left: HashMap<(&str, u32), usize> = HashMap::new();
        for (code, line) in &row.errors {
            *left.entry((code, *line)).or_default() += 1;
            it.per_code.entry(code.clone()).or_default().expected += 1;
        }
        let predicted = predictions.get(&row.file).map_or(&[][..], Vec::as_slice);
        for (code, line) in predicted {
            let counts = it.per_code.entry(code.clone()).or_default();
            match left.get_mut(&(code.as_str(), *line)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    counts.tp += 1;
                }
                _ => {
                    counts.fp += 1;
                    if row.errors.iter().any(|(_, expected)| expected == line) {
                        it.near_misses += 1;
                    }
                }
            }
        }
        if row.errors.is_empty() == predicted.is_empty() {
            it.verdicts_agree += 1;
        }
    }
    it
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(file: &str, errors: &[(&str, u32)]) -> Row {
        Row {
            file: file.to_string(),
            edition: Edition::E2021,
            crate_type: "bin".to_string(),
            errors: errors
                .iter()
                .map(|&(code, line)| (code.to_string(), line))
                .collect(),
        }
    }

    #[test]
    fn scores_like_score_py() {
        let rows = [
            row("a.rs", &[("E0502", 3), ("E0502", 3), ("E0499", 7)]),
            row("b.rs", &[]),
            row("c.rs", &[("E0382", 1)]),
        ];
        let predictions = HashMap::from([
            // Two hits on line 3, a third one too many, a near miss on line 7.
            (
                "a.rs".to_string(),
                vec![
                    ("E0502".into(), 3),
                    ("E0502".into(), 3),
                    ("E0502".into(), 3),
                    ("E0505".into(), 7),
                ],
            ),
            ("b.rs".to_string(), vec![("E0499".into(), 1)]),
        ]);
        let score = score(&rows, &predictions);
        let total = score.total();
        assert_eq!(
            total,
            Counts {
                expected: 4,
                tp: 2,
                fp: 3
            }
        );
        assert_eq!(
            score.per_code["E0502"],
            Counts {
                expected: 2,
                tp: 2,
                fp: 1
            }
        );
        assert_eq!(
            score.near_misses, 2,
            "the third E0502 on line 3 and the E0505 on line 7"
        );
        assert_eq!(score.verdicts_agree, 1, "a.rs agrees; b.rs and c.rs do not");
        assert!(
            score
                .table()
                .ends_with("precision=40.0% recall=50.0% tp=2 fp=3 fn=2\n"),
            "{}",
            score.table()
        );
    }

    #[test]
    fn no_predictions_means_no_precision() {
        let score = score(&[row("a.rs", &[("E0502", 3)])], &HashMap::new());
        assert_eq!(score.total().precision(), None);
        assert_eq!(score.total().recall(), Some(0.0));
        assert!(
            score
                .table()
                .ends_with("precision=-% recall=0.0% tp=0 fp=0 fn=1\n"),
            "{}",
            score.table()
        );
    }
}
