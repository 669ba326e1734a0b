//! `borrowlens check`: read the files, pick each one's edition, analyse them on two threads, and
//! print the diagnostics in path order.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use borrowlens_analysis::{
    CrateData, CrateGraph, Diagnostic, Edition, Severity, ANALYSIS_STACK_SIZE,
};

use crate::deps;
use crate::edition::{self, CargoEditions};
use crate::line_index::LineIndex;
use crate::output::{self, Results};
use crate::package;
use crate::project::{Package, Packages};
use crate::to_human::{self, Colour};
use crate::walk;
use crate::{to_cargo_json, to_json};

/// How many threads analyse files: the machines this runs on have two cores.
const THREADS: usize = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    /// borrowlens's own lines (`--format json`), which the corpus scorer reads.
    Json,
    /// cargo's `compiler-message` lines with rustc's diagnostic JSON (`--message-format json`).
    CargoJson,
}

#[derive(Debug)]
pub struct Options {
    pub format: Format,
    /// `--color`: whether human output (and `rendered` in cargo's JSON, never) is coloured.
    pub color: output::When,
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

/// Why a file was not analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotAnalysed {
    /// The analysis panicked; the message is the panic's.
    Panicked(String),
    /// The parser gave up within its budget (a pathological or corrupted text).
    ParseGaveUp,
}

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

    let colour = output::colour(options.color);
    let mut results = Results::new();
    let mut any_error = false;
    let mut first_report = true;
    let mut packages = Packages::default();
    let package_of: Vec<Option<usize>> = inputs
        .iter()
        .map(|input| packages.of_file(Path::new(&input.path)))
        .collect();
    for error in &packages.errors {
        output::warning(&format!("{error}; its files are checked one by one"));
    }
    let analysed = analyze_in_packages(&inputs, &package_of, &packages.packages, options.edition);
    for (input, diags) in inputs.iter().zip(analysed) {
        let diags = match diags {
            Ok(diags) => diags,
            Err(NotAnalysed::Panicked(message)) => {
                output::error(&format!(
                    "{}: internal error: the analysis panicked: {message}",
                    input.path
                ));
                continue;
            }
            Err(NotAnalysed::ParseGaveUp) => {
                output::warning(&format!(
                    "{}: {}",
                    input.path,
                    borrowlens_analysis::ParseGaveUp
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
            Format::CargoJson => {
                let package = package::of_file(Path::new(&input.path), input.edition);
                for diag in &diags {
                    // cargo's `rendered` is never coloured unless asked for by another format.
                    let rendered =
                        to_human::diagnostic(&input.path, &input.text, diag, Colour::Plain);
                    results.write(&to_cargo_json::compiler_message(
                        &package,
                        &input.path,
                        &input.text,
                        diag,
                        rendered + "\n",
                    ));
                    results.write("\n");
                }
                for note in to_cargo_json::failure_notes(&package, &diags) {
                    results.write(&note);
                    results.write("\n");
                }
            }
            Format::Human => {
                if !first_report {
                    results.write("\n");
                }
                first_report = false;
                results.write(&to_human::file_report(
                    &input.path,
                    &input.text,
                    &diags,
                    colour,
                ));
            }
        }
    }
    if options.format == Format::CargoJson {
        results.write(&to_cargo_json::build_finished(!any_error));
        results.write("\n");
    }
    results.finish();
    any_error
}

/// The diagnostics of every input, in input order: the files of a cargo package with the facts
/// of their crates (`analyze_package`), the others each alone (`analyze`).
fn analyze_in_packages(
    inputs: &[Input],
    package_of: &[Option<usize>],
    packages: &[Package],
    edition: Option<Edition>,
) -> Vec<Result<Vec<Diagnostic>, NotAnalysed>> {
    let mut results: Vec<Option<Result<Vec<Diagnostic>, NotAnalysed>>> =
        (0..inputs.len()).map(|_| None).collect();
    let lone: Vec<usize> = (0..inputs.len())
        .filter(|&i| package_of[i].is_none())
        .collect();
    let lone_inputs: Vec<Input> = lone.iter().map(|&i| inputs[i].clone()).collect();
    for (i, r) in lone.into_iter().zip(analyze(&lone_inputs)) {
        results[i] = Some(r);
    }
    for (p, package) in packages.iter().enumerate() {
        let mine: Vec<usize> = (0..inputs.len())
            .filter(|&i| package_of[i] == Some(p))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let wanted: Vec<&Input> = mine.iter().map(|&i| &inputs[i]).collect();
        for (i, r) in mine
            .into_iter()
            .zip(analyze_package(package, &wanted, edition))
        {
            results[i] = Some(r);
        }
    }
    results
        .into_iter()
        .map(|it| it.expect("every input was analysed"))
        .collect()
}

/// The diagnostics of `wanted`, files of `package`, analysed with every file of the package
/// (walked as `rust_files` walks, so what git ignores is not read) and its targets as crate
/// roots: a fact in another file of the crate counts. The files are parsed on `THREADS`
/// threads, the crates' facts built once (`Crates`), and the wanted files checked on `THREADS`
/// threads again.
pub fn analyze_package(
    package: &Package,
    wanted: &[&Input],
    edition: Option<Edition>,
) -> Vec<Result<Vec<Diagnostic>, NotAnalysed>> {
    let key = |p: &Path| {
        std::path::absolute(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .display()
            .to_string()
    };
    // The wanted files first, then the package's others (each once).
    let mut files: Vec<(String, String, Edition)> = wanted
        .iter()
        .map(|i| (key(Path::new(&i.path)), i.text.clone(), i.edition))
        .collect();
    let mut seen: std::collections::HashSet<String> = files.iter().map(|f| f.0.clone()).collect();
    let mut others: Vec<PathBuf> = walk::rust_files(std::slice::from_ref(&package.root))
        .into_iter()
        .filter_map(|e| e.ok())
        .collect();
    others.extend(package.targets.iter().cloned());
    for path in others {
        let k = key(&path);
        if !seen.insert(k.clone()) {
            continue;
        }
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let edition = edition
            .or_else(|| edition::from_directive(&text))
            .unwrap_or(package.edition);
        files.push((k, text, edition));
    }
    let mut deps = deps::resolve(package, deps::cargo_home().as_deref());
    report_dependencies(package, &deps);
    // The examples, tests and benches (and their dev-dependencies) only when a file to check
    // is outside the folders of the library's and binaries' roots: a crate of each is built
    // otherwise for nothing.
    let main_dirs: Vec<&Path> = package.targets[..package.dev_from]
        .iter()
        .filter_map(|t| t.parent())
        .collect();
    let dev_wanted = wanted.iter().any(|w| {
        let p = std::path::absolute(&w.path).unwrap_or_else(|_| PathBuf::from(&w.path));
        !main_dirs.iter().any(|d| p.starts_with(d))
    });
    if !dev_wanted {
        deps = deps.without_dev();
    }
    let own_texts: Vec<&str> = files.iter().map(|f| f.1.as_str()).collect();
    let dep_texts = named_dependency_files(&deps, &own_texts);
    // Parsed on the threads.
    let texts: Vec<std::sync::Mutex<String>> = files
        .iter_mut()
        .map(|f| std::sync::Mutex::new(std::mem::take(&mut f.1)))
        .collect();
    let parsed = on_threads(texts.len(), |i| {
        let text = std::mem::take(&mut *texts[i].lock().unwrap_or_else(|e| e.into_inner()));
        catching_parse(|| borrowlens_analysis::Parsed::new(text))
    });
    let mut ok_files = Vec::new();
    let mut outcome: Vec<Option<Result<Vec<Diagnostic>, NotAnalysed>>> =
        (0..wanted.len()).map(|_| None).collect();
    let mut position = vec![None; files.len()];
    for (i, (p, (path, _, edition))) in parsed.into_iter().zip(files).enumerate() {
        match p {
            Ok(parsed) => {
                position[i] = Some(ok_files.len());
                ok_files.push((path, parsed, edition));
            }
            Err(e) if i < wanted.len() => outcome[i] = Some(Err(e)),
            Err(_) => {}
        }
    }
    let targets = if dev_wanted {
        package.targets.len()
    } else {
        package.dev_from
    };
    let graph = crate_graph(package, &deps, |t| {
        let k = key(t);
        let edition = ok_files
            .iter()
            .find(|f| f.0 == k)
            .map_or(package.edition, |f| f.2);
        (k, edition)
    });
    let dep_files = parse_signatures(dep_texts);
    let crates = match panic::catch_unwind(AssertUnwindSafe(|| {
        borrowlens_analysis::Crates::new(ok_files, &graph, targets, dep_files)
    })) {
        Ok(crates) => crates,
        Err(payload) => {
            let message = panic_message(payload);
            return (0..wanted.len())
                .map(|_| Err(NotAnalysed::Panicked(message.clone())))
                .collect();
        }
    };
    for problem in crates.problems() {
        output::warning(&problem);
    }
    let checked = on_threads(wanted.len(), |i| match position[i] {
        Some(k) if outcome[i].is_none() => catching(|| Ok(crates.diagnostics(k))),
        _ => Ok(Vec::new()),
    });
    outcome
        .into_iter()
        .zip(checked)
        .map(|(o, c)| o.unwrap_or(c))
        .collect()
}

/// The crate graph of a package: its targets first (each sees the library, and the examples,
/// tests and benches the dev-dependencies too), then its dependencies. `root` gives a target's
/// root as the analysis names it, with its edition.
pub fn crate_graph(
    package: &Package,
    deps: &deps::Dependencies,
    root: impl Fn(&Path) -> (String, Edition),
) -> CrateGraph {
    let n = package.targets.len();
    let mut graph = CrateGraph::default();
    for (t, path) in package.targets.iter().enumerate() {
        let (root, edition) = root(path);
        let mut externs: Vec<(std::sync::Arc<str>, usize)> = if t >= package.dev_from {
            &deps.dev
        } else {
            &deps.normal
        }
        .iter()
        .map(|(name, k)| (name.as_str().into(), n + k))
        .collect();
        if package.has_lib && t > 0 {
            externs.push((package.lib_name.as_str().into(), 0));
        }
        graph.crates.push(CrateData {
            root: root.into(),
            edition,
            name: package.lib_name.as_str().into(),
            deps: externs,
        });
    }
    for c in &deps.crates {
        graph.crates.push(CrateData {
            root: c.root.display().to_string().into(),
            edition: c.edition,
            name: c.name.as_str().into(),
            deps: c
                .deps
                .iter()
                .map(|(name, k)| (name.as_str().into(), n + k))
                .collect(),
        });
    }
    graph
}

/// The crate graph of several packages (a workspace's): each package's graph (`crate_graph`,
/// with the package's edition for its targets), a dependency shared by two packages once.
/// With the targets' root paths.
pub fn workspace_graph(packages: &[(Package, deps::Dependencies)]) -> (CrateGraph, Vec<String>) {
    let mut graph = CrateGraph::default();
    let mut roots = Vec::new();
    for (package, deps) in packages {
        let local = crate_graph(package, deps, |t| {
            (t.display().to_string(), package.edition)
        });
        let n = package.targets.len();
        // Where each crate of the package's graph goes in the whole, and whether it is new
        // there (a dependency already known keeps its own dependencies).
        let mut at: Vec<(usize, bool)> = Vec::with_capacity(local.crates.len());
        for (i, c) in local.crates.iter().enumerate() {
            let known = (i >= n)
                .then(|| graph.crates.iter().position(|g| g.root == c.root))
                .flatten();
            match known {
                Some(k) => at.push((k, false)),
                None => {
                    at.push((graph.crates.len(), true));
                    graph.crates.push(c.clone());
                    if i < n {
                        roots.push(c.root.to_string());
                    }
                }
            }
        }
        for (c, &(k, new)) in local.crates.iter().zip(&at) {
            if new {
                graph.crates[k].deps = c
                    .deps
                    .iter()
                    .map(|(name, d)| (name.clone(), at[*d].0))
                    .collect();
            }
        }
    }
    (graph, roots)
}

/// The files of the dependencies: every `.rs` file in the folder of each one's library root and
/// below.
pub fn dependency_paths(deps: &deps::Dependencies) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = deps.crates.iter().flat_map(crate_paths).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The `.rs` files in the folder of a dependency's library root and below, walked as
/// `borrowlens check` walks.
fn crate_paths(c: &deps::DepCrate) -> Vec<PathBuf> {
    let Some(dir) = c.root.parent() else {
        return Vec::new();
    };
    walk::rust_files(&[dir.to_path_buf()])
        .into_iter()
        .filter_map(|e| e.ok())
        .collect()
}

/// Texts parsed for their signatures on `THREADS` threads; a file that cannot be parsed is left
/// out: what it defines is unknown.
fn parse_signatures(texts: Vec<(String, String)>) -> Vec<(String, borrowlens_analysis::Parsed)> {
    let texts: Vec<std::sync::Mutex<Option<(String, String)>>> = texts
        .into_iter()
        .map(|t| std::sync::Mutex::new(Some(t)))
        .collect();
    let parsed = on_threads(texts.len(), |i| {
        let (path, text) = texts[i].lock().unwrap_or_else(|e| e.into_inner()).take()?;
        let parsed = catching_parse(|| borrowlens_analysis::Parsed::signatures(text)).ok()?;
        Some((path, parsed))
    });
    parsed.into_iter().flatten().collect()
}

/// The files (path, text) of the dependencies that the code names, lazily: a dependency is read
/// when a text of the crate that depends on it writes its name as a path's first segment
/// (`name::`) or in `extern crate name`; its own dependencies by the same test on its texts.
/// One that no text names cannot matter to a verdict (paths and `use` name it; a macro's
/// expansion is unknown anyway), and is not read.
pub fn named_dependency_files(deps: &deps::Dependencies, own: &[&str]) -> Vec<(String, String)> {
    let mut read = vec![false; deps.crates.len()];
    let mut todo: Vec<usize> = deps
        .dev
        .iter()
        .filter(|(name, _)| own.iter().any(|t| names_crate(t, name)))
        .map(|(_, k)| *k)
        .collect();
    let mut out = Vec::new();
    while let Some(k) = todo.pop() {
        if std::mem::replace(&mut read[k], true) {
            continue;
        }
        let c = &deps.crates[k];
        let texts: Vec<(String, String)> = crate_paths(c)
            .into_iter()
            .filter_map(|p| Some((p.display().to_string(), fs::read_to_string(&p).ok()?)))
            .collect();
        for (name, d) in &c.deps {
            if !read[*d] && texts.iter().any(|(_, t)| names_crate(t, name)) {
                todo.push(*d);
            }
        }
        out.extend(texts);
    }
    out
}

/// Whether `text` names the crate `name`: `name::` (spaces allowed before `::`) after a
/// character that cannot end an identifier, or `extern crate name`.
fn names_crate(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = text[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        if text[..at].chars().next_back().is_some_and(ident) {
            continue;
        }
        let after = &text[from..];
        if after.starts_with(ident) {
            continue;
        }
        if after.trim_start().starts_with("::") || text[..at].trim_end().ends_with("crate") {
            return true;
        }
    }
    false
}

/// Says once what of a package's dependencies could not be read.
fn report_dependencies(package: &Package, deps: &deps::Dependencies) {
    for problem in &deps.problems {
        output::warning(problem);
    }
    if !deps.missing.is_empty() {
        let (n, is, them, they) = match deps.missing.len() {
            1 => ("1 dependency".to_string(), "is", "it", "it defines"),
            n => (format!("{n} dependencies"), "are", "them", "they define"),
        };
        output::warning(&format!(
            "{}: {n} {is} not on disk ({}); `cargo fetch` would bring {them}; until then what \
             {they} is unknown",
            package.name,
            deps.missing.join(", ")
        ));
    }
}

/// `f(0)` .. `f(n - 1)` on `THREADS` threads with the analysis's stack, in order.
fn on_threads<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<T>> = (0..n).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS.min(n))
            .map(|_| {
                let (next, f) = (&next, &f);
                std::thread::Builder::new()
                    .stack_size(ANALYSIS_STACK_SIZE)
                    .spawn_scoped(scope, move || {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= n {
                                return done;
                            }
                            done.push((i, f(i)));
                        }
                    })
                    .expect("start an analysis thread")
            })
            .collect();
        for handle in handles {
            let done = handle
                .join()
                .unwrap_or_else(|payload| panic::resume_unwind(payload));
            for (i, r) in done {
                results[i] = Some(r);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every item was done"))
        .collect()
}

/// A parse with its panic caught and named.
fn catching_parse(
    f: impl FnOnce() -> Result<borrowlens_analysis::Parsed, borrowlens_analysis::ParseGaveUp>,
) -> Result<borrowlens_analysis::Parsed, NotAnalysed> {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(p)) => Ok(p),
        Ok(Err(borrowlens_analysis::ParseGaveUp)) => Err(NotAnalysed::ParseGaveUp),
        Err(payload) => Err(NotAnalysed::Panicked(panic_message(payload))),
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|it| it.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// The diagnostics of every input, in input order. `THREADS` threads take the files one at a
/// time, the largest first, until none is left: a thread that runs slower (the machine is busy)
/// takes fewer, and no thread idles while the other still has a long run of files ahead. Each
/// file is analysed on its own (`diagnostics_once`, what a fresh `AnalysisHost` answers) and its
/// analysis dropped once its diagnostics are known, so the working set stays one file's (and
/// memory stays flat over a large tree). A panic in the analysis of a file
/// is caught and returned for that file. The threads have the stack the analysis asks for
/// (`ANALYSIS_STACK_SIZE`): deeply nested code recurses deeply.
pub fn analyze(inputs: &[Input]) -> Vec<Result<Vec<Diagnostic>, NotAnalysed>> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(inputs[i].text.len()));
    let done = on_threads(order.len(), |k| analyze_one(&inputs[order[k]]));
    let mut results: Vec<Option<Result<Vec<Diagnostic>, NotAnalysed>>> =
        (0..inputs.len()).map(|_| None).collect();
    for (k, r) in done.into_iter().enumerate() {
        results[order[k]] = Some(r);
    }
    results
        .into_iter()
        .map(|it| it.expect("every input was analysed"))
        .collect()
}

fn analyze_one(input: &Input) -> Result<Vec<Diagnostic>, NotAnalysed> {
    catching(|| borrowlens_analysis::diagnostics_once(&input.text, input.edition))
}

/// An analysis with its panic caught and named.
fn catching(
    f: impl FnOnce() -> Result<Vec<Diagnostic>, borrowlens_analysis::ParseGaveUp>,
) -> Result<Vec<Diagnostic>, NotAnalysed> {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(diags)) => Ok(diags),
        Ok(Err(borrowlens_analysis::ParseGaveUp)) => Err(NotAnalysed::ParseGaveUp),
        Err(payload) => Err(NotAnalysed::Panicked(panic_message(payload))),
    }
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

    #[test]
    fn analyze_answers_every_input_in_order() {
        let inputs = inputs(&[3, 1, 4, 1, 5]);
        assert_eq!(analyze(&inputs).len(), inputs.len());
        // Files of different sizes, analysed largest first, answer in input order.
        let bad = "fn f() { let mut v = vec![1]; let r = &v; v.push(2); r.len(); }\n";
        let mut inputs = Vec::new();
        for i in 0..9 {
            let text = if i % 3 == 0 {
                bad.repeat(i + 1)
            } else {
                "fn g() {}\n".repeat(9 - i)
            };
            inputs.push(Input {
                path: format!("{i}.rs"),
                text,
                edition: Edition::E2021,
            });
        }
        let counts: Vec<usize> = analyze(&inputs)
            .into_iter()
            .map(|it| it.unwrap().len())
            .collect();
        assert_eq!(counts, [1, 0, 0, 4, 0, 0, 7, 0, 0]);
    }
}
