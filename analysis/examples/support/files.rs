//! What the crate-wide examples share: every `.rs` file in a folder and below set in a host,
//! from disk (medium durability), but `except` (a file the example edits, set apart).
use borrowlens_analysis::{AnalysisHost, Edition};

pub fn set_folder(host: &mut AnalysisHost, dir: &std::path::Path, except: &str) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("a readable folder").flatten() {
            let p = e.path();
            let key = p.display().to_string();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") && key != except {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                host.set_file_from_disk(&key, text, Edition::E2021);
            }
        }
    }
}

/// `DEPS=name=DIR,name=DIR`: each DIR (a dependency's `src/`) set as dependency files, and the
/// graph of `root` with those dependencies (none of their own); `false` without `DEPS`.
#[allow(dead_code)]
pub fn set_dependencies(host: &mut AnalysisHost, root: &str) -> bool {
    let Ok(spec) = std::env::var("DEPS") else {
        return false;
    };
    let mut graph = borrowlens_analysis::CrateGraph::default();
    graph.crates.push(borrowlens_analysis::CrateData {
        root: root.into(),
        edition: Edition::E2021,
        name: "crate".into(),
        deps: Vec::new(),
    });
    for (i, entry) in spec.split(',').enumerate() {
        let (name, dir) = entry.split_once('=').expect("name=DIR");
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("a readable folder").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    host.set_dependency_file(&p.display().to_string(), text, Edition::E2021);
                }
            }
        }
        graph.crates.push(borrowlens_analysis::CrateData {
            root: format!("{dir}/lib.rs").into(),
            edition: Edition::E2021,
            name: name.into(),
            deps: Vec::new(),
        });
        graph.crates[0].deps.push((name.into(), i + 1));
    }
    host.set_crate_graph(graph, &[root]);
    true
}
