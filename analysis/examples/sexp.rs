//! Prints tree-sitter's parse of a file as an s-expression (a development aid).
fn main() {
    let path = std::env::args().nth(1).expect("usage: sexp FILE");
    let text = std::fs::read_to_string(path).expect("readable file");
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_rust::LANGUAGE.into())
        .expect("the Rust grammar");
    let tree = parser.parse(&text, None).expect("a tree");
    println!("{}", tree.root_node().to_sexp());
}
