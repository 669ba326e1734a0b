//! Prints the items the syntax layer finds in a file (a development aid).
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump_items FILE");
    let text = std::fs::read_to_string(path).expect("readable file");
    for item in &borrowlens_analysis::syntax::parse(&text).items {
        match item {
            borrowlens_analysis::ast::Item::Fn(f) => println!("fn {} at {}", f.def.name, f.offset),
            other => println!("{other:?}"),
        }
    }
}
