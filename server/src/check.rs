//! `borrowlens check`: read the files, pick each one's edition, analyse them on two threads, and
//! print the diagnostics in path order.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;

use borrowlens_analysis::{AnalysisHost, Diagnostic, Edition, Severity, ANALYSIS_STACK_SIZE};

use crate::edition::{self, CargoEditions};
use crate::line_index::LineIndex;
use crate::output::{self, Results};
use crate::walk;
use crate::{to_human, to_json};

/// How many threads analyse files: the machines this runs on have two cores.
const THREADS: usize = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug)]
pub struct Options {
    pub format: Format,
    /// Overrides every file's own edition.
    pub edition: Option<Edition>,
    pub paths: Vec<PathBuf>,
}

/// A file to analyse: its path as given or walked, its text and its edition.
#[derive(Clone, Debug)]
pub struct Input {
    pub path: String,
    pub text: String,
    pub edition: Edition,
}

/// The analysis of one file panicked; the message is the panic's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panicked(pub String);

/// Runs the check and says whether any error (not a warning) was reported. Paths that cannot be
/// checked are reported on stderr and do not count.
pub fn run(options: &Options) -> bool {
    let mut cargo = CargoEditions::default();
    let mut inputs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for entry in walk::rust_files(&options.paths) {
        let path = match entry {
            Ok(path) => path,
            Err(problem) => {
                output::error(&format!("{}: {}", problem.path.display(), problem.reason));
                continue;
            }
        };
        if !seen.insert(path.clone()) {
            continue;
        }
        let text = match fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    output::error(&format!("{}: not valid UTF-8", path.display()));
                    continue;
                }
            },
            Err(err) => {
                output::error(&format!("{}: {}", path.display(), walk::describe(&err)));
                continue;
            }
        };
        let edition = options
            .edition
            .or_else(|| edition::from_directive(&text))
            .or_else(|| cargo.for_file(&path))
            .unwrap_or(edition::DEFAULT);
        inputs.push(Input {
            path: path.display().to_string(),
            text,
            edition,
        });
    }

    let mut results = Results::new();
    let mut any_error = false;
    let mut first_report = true;
    for (input, diags) in inputs.iter().zip(analyze(&inputs)) {
        let diags = match diags {
            Ok(diags) => diags,
            Err(Panicked(message)) => {
                output::error(&format!(
                    "{}: internal error: the analysis panicked: {message}",
                    input.path
                ));
                continue;
            }
        };
        if diags.is_empty() {
            continue;
        }
        any_error |= diags.iter().any(|it| it.severity == Severity::Error);
        let index = LineIndex::new(&input.text);
        match options.format {
            Format::Json => {
                for diag in &diags {
                    results.write(&to_json::diagnostic(&input.path, &index, diag));
                    results.write("\n");
                }
            }
            Format::Human => {
                if !first_report {
                    results.write("\n");
                }
                first_report = false;
                results.write(&to_human::file_report(&input.path, &index, &diags));
            }
        }
    }
    results.finish();
    any_error
}

/// The diagnostics of every input, in input order. The inputs are cut into one run of
/// neighbouring files per thread, of about equal size in bytes; each thread puts its files into
/// its own `AnalysisHost`. A panic in the analysis of a file is caught and returned for that file.
/// The threads have the stack the analysis asks for (`ANALYSIS_STACK_SIZE`): deeply nested code
/// recurses deeply.
pub fn analyze(inputs: &[Input]) -> Vec<Result<Vec<Diagnostic>, Panicked>> {
    let chunks = split_by_size(inputs, THREADS);
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                std::thread::Builder::new()
                    .stack_size(ANALYSIS_STACK_SIZE)
                    .spawn_scoped(scope, move || analyze_chunk(chunk))
                    .expect("start an analysis thread")
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|it| {
                it.join()
                    .unwrap_or_else(|payload| panic::resume_unwind(payload))
            })
            .collect()
    })
}

fn analyze_chunk(chunk: &[Input]) -> Vec<Result<Vec<Diagnostic>, Panicked>> {
    // Files are independent: each gets a fresh host that is dropped once its diagnostics are
    // known, so the working set stays one file's (and memory stays flat over a large tree).
    chunk
        .iter()
        .map(|it| {
            panic::catch_unwind(AssertUnwindSafe(|| {
                let mut host = AnalysisHost::new();
                let file = host.set_file(&it.path, it.text.clone(), it.edition);
                host.diagnostics(file)
            }))
            .map_err(|payload| {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|it| it.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Panicked(message)
            })
        })
        .collect()
}

/// At most `n` runs of neighbouring inputs, none empty, each about `1/n` of the text.
fn split_by_size(inputs: &[Input], n: usize) -> Vec<&[Input]> {
    let total: usize = inputs.iter().map(|it| it.text.len()).sum();
    let mut chunks = Vec::new();
    let mut rest = inputs;
    let mut done = 0;
    for k in 1..n {
        let target = total * k / n;
        let mut take = 0;
        while take < rest.len() && done < target {
            done += rest[take].text.len();
            take += 1;
        }
        // Leave at least one input for each later chunk that can have one.
        let take = take.max(1).min(rest.len().saturating_sub(1));
        if take == 0 {
            break;
        }
        let (chunk, tail) = rest.split_at(take);
        chunks.push(chunk);
        rest = tail;
    }
    if !rest.is_empty() {
        chunks.push(rest);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(sizes: &[usize]) -> Vec<Input> {
        sizes
            .iter()
            .map(|&n| Input {
                path: n.to_string(),
                text: "x".repeat(n),
                edition: Edition::E2021,
            })
            .collect()
    }

    fn sizes(chunks: Vec<&[Input]>) -> Vec<Vec<usize>> {
        chunks
            .into_iter()
            .map(|it| it.iter().map(|it| it.text.len()).collect())
            .collect()
    }

    #[test]
    fn splits_by_size_keeping_order() {
        assert_eq!(
            sizes(split_by_size(&inputs(&[]), 2)),
            Vec::<Vec<usize>>::new()
        );
        assert_eq!(sizes(split_by_size(&inputs(&[5]), 2)), [vec![5]]);
        assert_eq!(
            sizes(split_by_size(&inputs(&[100, 1]), 2)),
            [vec![100], vec![1]]
        );
        assert_eq!(
            sizes(split_by_size(&inputs(&[1, 1, 1, 100]), 2)),
            [vec![1, 1, 1], vec![100]]
        );
        assert_eq!(
            sizes(split_by_size(&inputs(&[2, 2, 2, 2]), 2)),
            [vec![2, 2], vec![2, 2]]
        );
        assert_eq!(
            sizes(split_by_size(&inputs(&[0, 0, 0]), 2)),
            [vec![0], vec![0, 0]]
        );
    }

    #[test]
    fn analyze_answers_every_input_in_order() {
        let inputs = inputs(&[3, 1, 4, 1, 5]);
        assert_eq!(analyze(&inputs).len(), inputs.len());
    }
}
