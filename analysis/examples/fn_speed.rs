//! Times the lowering and the borrow check of one function, N times each, hot (a development
//! benchmark for profiling them alone; run with `--release`). Usage: fn_speed FILE NAME [N]
use std::time::Instant;

use borrowlens_analysis::{ast, borrowck, index::Index, lower, Edition};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: fn_speed FILE NAME [N]");
    let name = args.next().expect("a function's name");
    let n: usize = args.next().map_or(2000, |s| s.parse().expect("a count"));
    let text = std::fs::read_to_string(path).expect("readable file");
    let file = borrowlens_analysis::syntax::parse(&text);
    let index = Index::build(&file, Vec::new());
    for item in &file.items {
        let ast::Item::Fn(f) = item else { continue };
        if *f.def.name != *name {
            continue;
        }
        let lower = || lower::lower_fn(&f.def, &f.container, &index, Edition::E2021);
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(lower());
        }
        let lowering = t.elapsed().as_secs_f64() * 1e3 / n as f64;
        let lowered = lower();
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(borrowck::borrowck(&lowered.body, &index));
        }
        let checking = t.elapsed().as_secs_f64() * 1e3 / n as f64;
        println!("{name}: lowering {lowering:.3} ms, borrow check {checking:.3} ms");
    }
}
