//! Prints the lowered bodies of a file's functions (a development aid).
use borrowlens_analysis::{ast, index::Index, lower, Edition};
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump_body FILE");
    let text = std::fs::read_to_string(path).expect("readable file");
    let file = borrowlens_analysis::syntax::parse(&text);
    let index = Index::build(&file, Vec::new());
    for item in &file.items {
        if let ast::Item::Fn(f) = item {
            let l = lower::lower_fn(
                &f.def,
                &f.container,
                &index,
                if std::env::var("ED").is_ok() {
                    Edition::E2015
                } else {
                    Edition::E2021
                },
            );
            println!(
                "fn {} tainted={} errors={:?}",
                f.def.name, l.body.tainted, l.errors
            );
            let r = borrowlens_analysis::borrowck::borrowck(&l.body, &index);
            for e in &r.errors {
                println!("  borrowck: {} {:?} {:?}", e.code(), e.kind, e.span);
            }
            if std::env::var("REGIONS").is_ok() {
                println!("  regions: {:?}", l.body.regions);
            }
            if std::env::var("LOCALS").is_ok() {
                for (i, d) in l.body.locals.iter().enumerate() {
                    println!(
                        "  _{i}: {:?} {:?} {:?} stmt_temp={}",
                        d.name, d.kind, d.ty, d.is_statement_temp
                    );
                }
            }
            for (i, b) in l.body.blocks.iter().enumerate() {
                println!("  bb{i}:");
                for s in &b.stmts {
                    println!(
                        "    {:?}{}",
                        s.kind,
                        if s.uncertain { " (uncertain)" } else { "" }
                    );
                }
                println!("    -> {:?}", b.term);
            }
        }
    }
}
