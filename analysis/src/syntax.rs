//! Tree-sitter to `ast`: the only module that names tree-sitter node kinds and fields.

use crate::ast;

/// Parses a whole file. Never fails: unreadable syntax becomes `Unknown` nodes.
pub fn parse(text: &str) -> ast::SourceFile {
    let _ = text;
    ast::SourceFile::default()
}
