//! Corpus conformance with a ratchet: the analysis over every corpus in `../shared/corpus`, scored
//! as `../shared/tools/score.py` scores `borrowlens check --format json`, against the figures in
//! `tests/ratchet.json`. The test fails when precision, recall or the number of file verdicts
//! agreeing with rustc drops below the recorded figures, and asks for the figures to be raised
//! when they are exceeded. `BORROWLENS_UPDATE_RATCHET=1` rewrites the file with today's figures.
//!
//! Precision with no prediction at all counts as 100%, recall with no expected error too: nothing
//! said is nothing wrong.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::fs;
use std::path::PathBuf;

use borrowlens_tests::corpus::{self, Score};
use serde_json::Value;

/// The figures recorded for one corpus. Percentages are rounded to two decimals.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Figures {
    precision: f64,
    recall: f64,
    tp: u64,
    fp: u64,
    verdicts_agree: u64,
}

impl Figures {
    fn of(score: &Score) -> Figures {
        let total = score.total();
        let percent = |x: Option<f64>| (x.unwrap_or(1.0) * 10_000.0).round() / 100.0;
        Figures {
            precision: percent(total.precision()),
            recall: percent(total.recall()),
            tp: total.tp as u64,
            fp: total.fp as u64,
            verdicts_agree: score.verdicts_agree as u64,
        }
    }

    fn to_json(self) -> String {
        format!(
            "{{\"precision\": {:.2}, \"recall\": {:.2}, \"tp\": {}, \"fp\": {}, \"verdicts_agree\": {}}}",
            self.precision, self.recall, self.tp, self.fp, self.verdicts_agree
        )
    }

    fn from_json(value: &Value) -> Option<Figures> {
        Some(Figures {
            precision: value["precision"].as_f64()?,
            recall: value["recall"].as_f64()?,
            tp: value["tp"].as_u64()?,
            fp: value["fp"].as_u64()?,
            verdicts_agree: value["verdicts_agree"].as_u64()?,
        })
    }
}

fn ratchet_path() -> PathBuf {
    borrowlens_tests::workspace_root().join("tests/ratchet.json")
}

fn write_ratchet(figures: &BTreeMap<String, Figures>) {
    let mut out = String::from("{\n");
    for (i, (name, it)) in figures.iter().enumerate() {
        let comma = if i + 1 < figures.len() { "," } else { "" };
        let _ = writeln!(out, "  \"{name}\": {}{comma}", it.to_json());
    }
    out.push_str("}\n");
    fs::write(ratchet_path(), out).expect("write tests/ratchet.json");
}

#[test]
fn corpora_hold_the_ratchet() {
    let dir = corpus::corpora_dir();
    let corpora = corpus::corpora(&dir).unwrap_or_else(|err| {
        panic!(
            "no corpus: {err}\nThe conformance test needs the shared corpora at {} (the `shared/` folder beside the repository).",
            dir.display()
        )
    });
    assert!(
        !corpora.is_empty(),
        "no corpus (a folder with expected.jsonl) in {}",
        dir.display()
    );

    let mut current = BTreeMap::new();
    for path in &corpora {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let rows = corpus::load(path).unwrap_or_else(|err| panic!("{err}"));
        let predictions =
            corpus::predict(path, &rows).unwrap_or_else(|err| panic!("{name}: {err}"));
        let score = corpus::score(&rows, &predictions);
        eprintln!("== {name} ({} files)\n{}", rows.len(), score.table());
        current.insert(name, Figures::of(&score));
    }

    if std::env::var_os("BORROWLENS_UPDATE_RATCHET").is_some_and(|it| it == "1") {
        write_ratchet(&current);
        eprintln!("wrote {}", ratchet_path().display());
        return;
    }

    let text = fs::read_to_string(ratchet_path()).expect("read tests/ratchet.json");
    let recorded: Value = serde_json::from_str(&text).expect("tests/ratchet.json is JSON");
    let mut failures = Vec::new();
    let mut improvements = Vec::new();
    for (name, now) in &current {
        let Some(was) = Figures::from_json(&recorded[name.as_str()]) else {
            failures.push(format!("{name}: no figures in tests/ratchet.json"));
            continue;
        };
        let checks = [
            ("precision", now.precision, was.precision),
            ("recall", now.recall, was.recall),
            (
                "verdicts_agree",
                now.verdicts_agree as f64,
                was.verdicts_agree as f64,
            ),
        ];
        for (what, now, was) in checks {
            if now < was - 1e-9 {
                failures.push(format!("{name}: {what} dropped from {was} to {now}"));
            } else if now > was + 1e-9 {
                improvements.push(format!("{name}: {what} rose from {was} to {now}"));
            }
        }
        if now.tp > was.tp {
            improvements.push(format!("{name}: tp rose from {} to {}", was.tp, now.tp));
        }
    }
    let update = "BORROWLENS_UPDATE_RATCHET=1 cargo test -p borrowlens-tests --test conformance";
    if !improvements.is_empty() {
        eprintln!(
            "The analysis does better than tests/ratchet.json records:\n  {}\nRaise the figures: run `{update}` and commit tests/ratchet.json.",
            improvements.join("\n  ")
        );
    }
    assert!(
        failures.is_empty(),
        "the corpus figures fell below tests/ratchet.json:\n  {}\nA new false positive is a bug: fix it. If the trade is deliberate (recall bought with \
         a little precision), say why in the commit and run `{update}`.",
        failures.join("\n  ")
    );
}
