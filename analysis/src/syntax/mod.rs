//! Tree-sitter to `ast`: the only module that names tree-sitter node kinds and fields.
//!
//! `parse_tree` runs tree-sitter-rust over a file and `convert` walks the concrete tree once,
//! building the owned `ast`. Nothing tree-sitter leaves this module except the `Tree` in those two
//! signatures, so that a server can keep the tree and reparse incrementally.
//!
//! The converter never fails and never panics. Tree-sitter always produces a tree, with `ERROR` and
//! `MISSING` nodes where the text is broken; such pieces become `Unknown` expressions (carrying the
//! identifiers inside them), `Unknown` patterns or `Unknown` types, so that lowering can still see
//! which variables a broken region mentions. Recursion is capped at `MAX_DEPTH` nested nodes and at
//! a stack budget, which keeps pathological nesting from overflowing the stack; whatever lies
//! deeper becomes `Unknown`.
//!
//! Macro invocations are token trees to tree-sitter. Their arguments are read with a small lexer
//! (single-token arguments directly), and lists that look like expressions are reparsed on their
//! own with tree-sitter, with spans shifted back into the file; see `Cx::macro_args`.
//!
//! Speed matters because every keystroke may reparse a file: node kinds and field names are
//! resolved to small integers once per process, children are gathered on one reusable stack
//! instead of a fresh vector per node, and text is sliced rather than copied until a `Name` is
//! needed. Tree-sitter's own parse remains most of the cost (see `examples/parse_speed.rs`).
//!
//! This file is the module's face (`parse`, `convert`, and the budgets that bound its work); the
//! rest lives by what it does:
//! - `parse.rs`: tree-sitter's parse within the budgets, and the incremental reparse of a
//!   `ParsedTree`.
//! - `cache.rs`: what one conversion keeps for the next (`ConvertCache`), the lookup of an
//!   unchanged item in it, and the fast hash it is keyed by (`base::FxBuild`).
//! - `kinds.rs`: the node kinds and field ids the converter tells apart, resolved once.
//! - `cx.rs`: the converter `Cx` and its shared state: depth and stack checks, the kid stack,
//!   spans and names.
//! - `items.rs`: items (functions and their signatures, structs, enums, impls, traits, modules,
//!   statics, type aliases), attributes, generics and bounds.
//! - `types.rs`: types, generic arguments and paths.
//! - `exprs.rs`: blocks, statements and expressions (closures, `if let` chains, match arms).
//! - `patterns.rs`: patterns.
//! - `macros.rs`: macro arguments (from tokens, or reparsed) and the names format strings use.
//! - `lexer.rs`: the small lexer that reads macro token trees.
//! - `tests.rs`: the conversion's tests, on the compact text form of `tests/render.rs`; the
//!   parse, cache, kind table and lexer are tested beside their code.

mod cache;
mod cx;
mod expand;
mod exprs;
mod items;
mod kinds;
mod lexer;
mod macros;
mod parse;
mod patterns;
#[cfg(test)]
mod tests;
mod types;

use tree_sitter::Tree;

use crate::ast::{Container, SourceFile};
use cx::{stack_position, Cx, Shared};
use kinds::{Kid, K};

pub(crate) use cache::ConvertCache;
pub use expand::{expand, macro_definitions};
pub use parse::{parse_tree, ParsedTree, TextEdit};

/// How many nested nodes the converter follows before it gives up and says `Unknown`. Real code
/// stays far below this; the cap exists so that a generated or hostile file cannot exhaust the
/// stack of the thread that parses it.
const MAX_DEPTH: u32 = 500;

/// How much stack the conversion may use below `convert`'s own frame. Frame sizes differ a lot
/// between optimised and unoptimised builds (a level of nesting costs a few hundred bytes in the
/// first and several kilobytes in the second), so the depth cap alone cannot promise to fit a
/// thread's stack; this budget does, for any thread with at least 2 MiB, as test threads have.
const STACK_BUDGET: usize = 1 << 20;

/// How many of tree-sitter's operations a parse of `len` bytes may take. Real code takes fewer
/// than 3 per byte (2.8 at most over the 1.6 million lines of the registry's crates), but error
/// recovery on some broken texts grows quadratically: 10,000 repetitions of `+ if c {1} else`
/// take about 1,000 operations per byte and two minutes. Past the budget the parse gives up, which
/// bounds the time any text can take, deterministically (the count does not depend on the
/// machine), and the file reads as empty: it reports nothing rather than something unsure.
fn parse_budget(len: usize) -> u64 {
    100_000 + 10 * len as u64
}

/// How many bytes tree-sitter's lexer may read, in `READ_CHUNK` pieces, while parsing `len` bytes.
/// The lexer reads text again when it backtracks, which real code keeps under twice its length
/// (1.95 at most over the registry's crates), but some broken texts make it rescan to the end of
/// the file from every token: a `'` before 4,000 `let r = &mut v;` read 1,800 times the text
/// (a second for 70 kB) in only 1.75 operations per byte. Past this budget too the parse gives up.
fn read_budget(len: usize) -> usize {
    (64 << 10) + 8 * len
}

/// The most text handed to the lexer at a time: its reading is counted in these pieces.
const READ_CHUNK: usize = 1 << 10;

/// How many macro invocations, each inside the arguments of the previous one, are reparsed.
/// Every level reparses the text of all the levels inside it, so the cap keeps the work linear
/// in the file's length; deeper arguments keep only their identifiers (as `MacroArgs::Tokens`).
const MAX_MACRO_NESTING: u32 = 8;

/// Parses a whole file. Never fails: unreadable syntax becomes `Unknown` nodes, and a text that
/// exhausts the parse budget becomes an empty file.
pub fn parse(text: &str) -> SourceFile {
    match parse_tree(text, None) {
        Some(tree) => convert(&tree, text),
        None => SourceFile::default(),
    }
}

/// `parse` without the functions' bodies (from `lexer::signatures_text`): a dependency's file,
/// read for its signatures. `None` when the parse gave up within its budget.
pub fn parse_signatures(text: &str) -> Option<SourceFile> {
    let text = lexer::signatures_text(text);
    let tree = parse_tree(&text, None)?;
    Some(convert_signatures(&tree, &text))
}

/// The items an item macro's invocation makes (`text`: between its delimiters), by `rules`,
/// read as `parse_signatures` reads a file. `None` when no rule matches or the result has
/// syntax errors.
pub fn expand_items(rules: &crate::ast::MacroRules, text: &str) -> Option<SourceFile> {
    let out = expand::expansion_text(rules, text, None)?;
    let text = lexer::signatures_text(&out.text);
    let tree = parse_tree(&text, None)?;
    if tree.root_node().has_error() {
        return None;
    }
    Some(convert_signatures(&tree, &text))
}

/// Builds the owned syntax tree of `text` from its tree-sitter `tree`.
pub fn convert(tree: &Tree, text: &str) -> SourceFile {
    convert_cached(tree, text, ConvertCache::default(), false, false).0
}

/// `convert` without the functions' bodies (nor the items declared in them).
pub fn convert_signatures(tree: &Tree, text: &str) -> SourceFile {
    convert_cached(tree, text, ConvertCache::default(), false, true).0
}

/// The items the conversion of the whole file makes of the function item `node` (the function
/// itself, then the items declared in its body), whose container is `container`, as
/// `convert_cached` makes them; `None` where that cannot be vouched for: a function inside an
/// `ERROR` node (whose items depend on the recovery around it), or one whose conversion reached
/// the depth or stack limits (which the whole file's conversion reaches at other places).
/// `cache` lends the macro parser and the parses of macro arguments, and gets them back.
fn convert_fn(
    node: tree_sitter::Node,
    text: &str,
    cache: &mut ConvertCache,
    container: &std::sync::Arc<crate::ast::Container>,
) -> Option<Vec<crate::ast::Item>> {
    let g = kinds::grammar();
    if g.kind(node) != K::FunctionItem {
        return None;
    }
    // The items around it are walked by `item_list`, which `item`s each: one without an `ERROR`
    // between it and the root gets its attributes from its siblings and nothing else.
    let mut ancestors = 0u32;
    let mut up = node.parent();
    while let Some(p) = up {
        let container = matches!(
            g.kind(p),
            K::DeclarationList | K::ImplItem | K::TraitItem | K::ModItem
        );
        if !(container || p.parent().is_none()) {
            return None;
        }
        ancestors += 1;
        up = p.parent();
    }
    // The attributes: the `attribute_item`s right before it, comments skipped.
    let mut attrs = Vec::new();
    let mut prev = node.prev_sibling();
    while let Some(p) = prev {
        match g.kind(p) {
            K::AttributeItem => attrs.push(p),
            K::Comment => {}
            _ => break,
        }
        prev = p.prev_sibling();
    }
    attrs.reverse();
    // The depth and stack the whole file's conversion has used on its way to `node` are at most
    // these: a conversion that stays within its limits from there stays within them from the
    // root too, and converts alike.
    let depth = 2 * ancestors + 2;
    let stack_used = (16usize << 10) * (ancestors as usize + 2);
    let parser = cache.parser.take();
    let mut shared = Shared {
        items: Vec::with_capacity(1),
        // Only its parses of macro arguments are read: the items of a function's body are not
        // cached (`Cx::item`).
        cache_old: std::mem::take(cache),
        cache_new: ConvertCache::default(),
        caching: true,
        parser,
        depth,
        macro_nesting: 0,
        last_container: Some(container.clone()),
        stack_start: stack_position() + stack_used,
        limited: false,
        signatures_only: false,
        map: None,
    };
    let root = node.parent().unwrap_or(node);
    let mut cx = Cx::new(text, root, 0, 0, (**container).clone(), &mut shared);
    let kid = Kid {
        node,
        kind: K::FunctionItem,
        field: 0,
    };
    cx.item_uncached(kid, &attrs);
    // The cache goes back, with the parses of macro arguments this conversion read or made.
    *cache = std::mem::take(&mut shared.cache_old);
    cache
        .macros
        .extend(std::mem::take(&mut shared.cache_new.macros));
    cache.parser = shared.parser.take();
    (!shared.limited).then_some(shared.items)
}

/// `convert`, reusing the items of `cache` whose text did not change; returns the cache for
/// the next conversion (empty, but for the macro parser, unless `caching`).
fn convert_cached(
    tree: &Tree,
    text: &str,
    mut cache: ConvertCache,
    caching: bool,
    signatures_only: bool,
) -> (SourceFile, ConvertCache) {
    let parser = cache.parser.take();
    let mut shared = Shared {
        items: Vec::with_capacity(cache.items_len),
        cache_old: cache,
        cache_new: ConvertCache::default(),
        caching,
        parser,
        depth: 0,
        macro_nesting: 0,
        last_container: None,
        stack_start: stack_position(),
        limited: false,
        signatures_only,
        map: None,
    };
    let root = tree.root_node();
    let mut cx = Cx::new(text, root, 0, 0, Container::default(), &mut shared);
    cx.item_list(root);
    let mut cache = shared.cache_new;
    if caching {
        cache.text = text.into();
        cache.items_len = shared.items.len();
    }
    cache.parser = shared.parser;
    (
        SourceFile {
            items: shared.items,
        },
        cache,
    )
}
