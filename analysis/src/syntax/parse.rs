//! Tree-sitter's parse of a file within its budgets, and the incremental reparse of a kept tree
//! (`ParsedTree`), whose changed range is where the old and new texts differ.

use tree_sitter::{Parser, Tree};

use super::{convert_cached, parse_budget, read_budget, ConvertCache, READ_CHUNK};
use crate::ast::SourceFile;

/// A file's tree-sitter tree, kept between edits so that each reparse reuses the unchanged
/// parts; `None` when the parse exhausted its budget. Equality is identity: two handles are
/// equal only when they hold the same parse. The flag says the tree is an incremental reparse
/// not yet compared with a fresh parse of its text (`AnalysisHost::settle` compares them).
#[derive(Clone)]
pub struct ParsedTree(
    pub(super) std::sync::Arc<Option<Tree>>,
    std::sync::Arc<std::sync::Mutex<ConvertCache>>,
    std::sync::Arc<std::sync::atomic::AtomicBool>,
);

/// What `ParsedTree::reparse_edit` changed, between two parses without syntax errors:
/// `start..old_end` of the old text became `start..new_end` of the new one. Tree-sitter
/// reparsed around it; elsewhere the trees are alike (the text is the same there, and so is
/// the state the parser reads it in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl TextEdit {
    /// Whether the edit lies strictly inside `from..to` of the old text (`from` and `to - 1`
    /// themselves untouched).
    pub fn inside(&self, from: usize, to: usize) -> bool {
        from < self.start && self.old_end < to
    }
}

impl PartialEq for ParsedTree {
    fn eq(&self, other: &ParsedTree) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}
impl Eq for ParsedTree {}

impl std::fmt::Debug for ParsedTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParsedTree")
    }
}

impl ParsedTree {
    /// Parses `text` from scratch.
    pub fn new(text: &str) -> ParsedTree {
        ParsedTree::fresh_tree(parse_tree(text, None))
    }

    /// A tree parsed from scratch, with an empty conversion cache.
    fn fresh_tree(tree: Option<Tree>) -> ParsedTree {
        ParsedTree(
            std::sync::Arc::new(tree),
            Default::default(),
            Default::default(),
        )
    }

    /// Whether this parse may differ from a fresh parse of its text: an incremental reparse not
    /// yet compared with one. Tree-sitter's recovery from an error depends on the subtrees it
    /// reuses, so after many edits of broken code the trees can differ (the LSP torture test found
    /// a body that was broken in one and not in the other); and a reused subtree can even bind
    /// differently from a fresh parse of text without errors (the fuzzer found `&(v,)` reused
    /// whole before a `[i]` typed after it: `(&(v,))[i]` where a fresh parse reads `&((v,)[i])`).
    /// The parse exhausted its budget: the text reads as empty (`crate::ParseGaveUp`).
    pub fn gave_up(&self) -> bool {
        self.0.is_none()
    }

    pub fn may_differ_from_fresh(&self) -> bool {
        self.2.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether this parse and `other` (of the same text) have the same syntax everywhere.
    pub fn same_syntax(&self, other: &ParsedTree) -> bool {
        match (self.0.as_ref(), other.0.as_ref()) {
            (Some(a), Some(b)) => same_nodes(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    /// Records that this parse was found to equal a fresh one.
    pub fn mark_settled(&self) {
        self.2.store(false, std::sync::atomic::Ordering::Relaxed);
    }

    /// A fresh parse of `text` (the text of this tree), asking `interrupted` at each of
    /// tree-sitter's progress reports (every 100 operations) whether to stop: `None` when it said
    /// so. Its conversion cache is empty: the cache is keyed by a function's text, and a
    /// function converts differently from a different tree.
    pub fn fresh_until(
        &self,
        text: &str,
        interrupted: &mut dyn FnMut() -> bool,
    ) -> Option<ParsedTree> {
        let tree = parse_until(&mut new_parser(), text, None, interrupted)?;
        Some(ParsedTree::fresh_tree(tree))
    }

    /// Parses `new_text`, which replaces `old_text` (the text this tree was parsed from): the
    /// changed range is where the two texts differ (one range around every change, so a burst of
    /// edits is one edit), and tree-sitter reparses only around it.
    pub fn reparse(&self, old_text: &str, new_text: &str) -> ParsedTree {
        self.reparse_edit(old_text, new_text).0
    }

    /// `reparse`, with the edit it found (`TextEdit`): `None` when either parse is missing (a
    /// parse from scratch or one given up) or has a syntax error.
    pub fn reparse_edit(&self, old_text: &str, new_text: &str) -> (ParsedTree, Option<TextEdit>) {
        let Some(old) = self.0.as_ref() else {
            return (ParsedTree::new(new_text), None);
        };
        let (old_b, new_b) = (old_text.as_bytes(), new_text.as_bytes());
        let mut start = common_prefix(old_b, new_b);
        let max_suffix = old_b.len().min(new_b.len()) - start;
        let suffix = common_suffix(&old_b[start..], &new_b[start..]).min(max_suffix);
        // Byte offsets must fall on character boundaries of both texts.
        while start > 0 && !(old_text.is_char_boundary(start) && new_text.is_char_boundary(start)) {
            start -= 1;
        }
        let (mut old_end, mut new_end) = (old_b.len() - suffix, new_b.len() - suffix);
        while !(old_text.is_char_boundary(old_end) && new_text.is_char_boundary(new_end)) {
            old_end += 1;
            new_end += 1;
        }
        // Rows count the line breaks before a byte: once up to the change, then only inside it.
        let start_row = count_newlines(&old_b[..start]);
        let start_col = start - memchr::memrchr(b'\n', &old_b[..start]).map_or(0, |i| i + 1);
        let end_point = |text: &[u8], end: usize| {
            let changed = &text[start..end];
            match memchr::memrchr(b'\n', changed) {
                Some(i) => tree_sitter::Point {
                    row: start_row + count_newlines(changed),
                    column: end - (start + i + 1),
                },
                None => tree_sitter::Point {
                    row: start_row,
                    column: start_col + (end - start),
                },
            }
        };
        let start_point = tree_sitter::Point {
            row: start_row,
            column: start_col,
        };
        let (old_end_point, new_end_point) = (end_point(old_b, old_end), end_point(new_b, new_end));
        let mut tree = old.clone();
        tree.edit(&tree_sitter::InputEdit {
            start_byte: start,
            old_end_byte: old_end,
            new_end_byte: new_end,
            start_position: start_point,
            old_end_position: old_end_point,
            new_end_position: new_end_point,
        });
        // The parser kept with the conversion cache (making one and setting its language costs a
        // keystroke tens of microseconds), unless a conversion holds it now.
        let kept = match self.1.try_lock() {
            Ok(mut cache) => cache.parser.take(),
            Err(_) => None,
        };
        let mut parser = kept.unwrap_or_else(new_parser);
        let new_tree = parse_within_budget(&mut parser, new_text, Some(&tree));
        if let Ok(mut cache) = self.1.try_lock() {
            cache.parser.get_or_insert(parser);
        }
        // Tree-sitter's recovery from a syntax error can change nodes away from the edit (a
        // function before it, seen by the test in `db.rs`): an edit of a tree with errors, or
        // one that makes some, is not said to be local.
        let clean = |t: &tree_sitter::Tree| !t.root_node().has_error();
        let edit = (clean(old) && new_tree.as_ref().is_some_and(clean)).then_some(TextEdit {
            start,
            old_end,
            new_end,
        });
        // The conversion cache passes on: the new parse reuses the old parse's functions.
        let tree = ParsedTree(
            std::sync::Arc::new(new_tree),
            self.1.clone(),
            std::sync::Arc::new(true.into()),
        );
        (tree, edit)
    }

    /// The items the conversion of the whole `text` (which this tree was parsed from) makes of
    /// the function item at `start..end`, in `container` (`super::convert_fn`); `None` when there
    /// is no function item there, or its items cannot be vouched for.
    pub fn convert_fn(
        &self,
        text: &str,
        start: usize,
        end: usize,
        container: &std::sync::Arc<crate::ast::Container>,
    ) -> Option<Vec<crate::ast::Item>> {
        let tree = self.0.as_ref().as_ref()?;
        let node = tree.root_node().descendant_for_byte_range(start, end)?;
        if node.start_byte() != start || node.end_byte() != end {
            return None;
        }
        // A conversion holds the cache: this one is not needed.
        let mut cache = self.1.try_lock().ok()?;
        super::convert_fn(node, text, &mut cache, container)
    }

    /// `convert` without the cache, for tests to compare with.
    #[cfg(test)]
    pub(crate) fn convert_uncached(&self, text: &str) -> SourceFile {
        self.0
            .as_ref()
            .as_ref()
            .map(|tree| super::convert(tree, text))
            .unwrap_or_default()
    }

    /// The owned syntax tree of `text`, which this tree was parsed from. Functions whose text is
    /// unchanged since the previous conversion are reused, not converted again.
    pub fn convert(&self, text: &str) -> SourceFile {
        let Some(tree) = self.0.as_ref() else {
            return SourceFile::default();
        };
        // A poisoned lock only means a conversion panicked: start over with an empty cache.
        let mut guard = self.1.lock().unwrap_or_else(|e| e.into_inner());
        let old = std::mem::take(&mut *guard);
        let (file, new) = convert_cached(tree, text, old, true, false);
        *guard = new;
        file
    }
}

/// Runs tree-sitter over `text`. `old` is a previous tree of the same document, already edited to
/// match `text`, which lets tree-sitter reuse the unchanged parts. `None` when the parse
/// exhausted its budget (`parse_budget`).
pub fn parse_tree(text: &str, old: Option<&Tree>) -> Option<Tree> {
    parse_within_budget(&mut new_parser(), text, old)
}

/// Parses `text` with `parser`, giving up after `parse_budget` operations or `read_budget` bytes
/// read. Tree-sitter reports progress every 100 operations, and the parse stops at the first
/// report past either budget; its tree is thrown away. A parse given up is reset, or the parser's
/// next parse would resume it.
///
/// The input always hands out the text itself, in pieces that end on character boundaries: a text
/// that ends early (an empty piece before its end) is a state tree-sitter's lexer does not survive.
/// When a piece ends inside a multi-byte character, the lexer asks again for the piece at that
/// character, and if that piece is empty it decodes a null pointer (SIGSEGV; found by the fuzzer,
/// `fuzz_regressions.rs`). Past the read budget the parse goes on until the next progress report,
/// at most 100 more operations: each reads at most the rest of the text, so the work stays
/// linear in the text's length.
pub(super) fn parse_within_budget(
    parser: &mut Parser,
    text: &str,
    old: Option<&Tree>,
) -> Option<Tree> {
    parse_until(parser, text, old, &mut || false).unwrap_or(None)
}

/// `parse_within_budget`, asking `interrupted` at each of tree-sitter's progress reports whether
/// to stop: `None` when it said so (the parse is reset), else the parse (`None` inside when the
/// budget ran out).
fn parse_until(
    parser: &mut Parser,
    text: &str,
    old: Option<&Tree>,
    interrupted: &mut dyn FnMut() -> bool,
) -> Option<Option<Tree>> {
    let reports = parse_budget(text.len()) / 100;
    let read_budget = read_budget(text.len());
    let read = std::cell::Cell::new(0usize);
    let stopped = std::cell::Cell::new(false);
    let mut seen = 0u64;
    let mut progress = |_: &tree_sitter::ParseState| {
        seen += 1;
        if interrupted() {
            stopped.set(true);
            return std::ops::ControlFlow::Break(());
        }
        if seen > reports || read.get() > read_budget {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let mut input = |at: usize, _| {
        let chunk = read_chunk(text, at);
        read.set(read.get() + chunk.len());
        chunk
    };
    let tree = parser.parse_with_options(&mut input, old, Some(options));
    if tree.is_none() {
        parser.reset();
    }
    if stopped.get() {
        return None;
    }
    Some(tree.filter(|_| read.get() <= read_budget))
}

/// The piece of `text` that tree-sitter's lexer reads at byte `at`: at most `READ_CHUNK` bytes,
/// more only to finish the character the limit falls in, so that a piece never ends inside a
/// character. Empty only at or past the end of the text.
fn read_chunk(text: &str, at: usize) -> &[u8] {
    let bytes = text.as_bytes();
    if at >= bytes.len() {
        return &[];
    }
    let mut end = (at + READ_CHUNK).min(bytes.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &bytes[at..end]
}

pub(super) fn new_parser() -> Parser {
    let mut parser = Parser::new();
    // This only fails when the grammar was generated for an incompatible tree-sitter ABI, which is
    // a build configuration error that every parse would hit, not something input can cause.
    parser
        .set_language(&tree_sitter_rust::LANGUAGE.into())
        .expect("tree-sitter-rust is compatible with the linked tree-sitter");
    parser
}

thread_local! {
    /// A parser kept between the expansions of macros on this thread: making one and setting
    /// its language costs more than parsing a short expansion.
    static SPARE: std::cell::RefCell<Option<Parser>> = const { std::cell::RefCell::new(None) };
}

/// This thread's spare parser, or a new one.
pub(super) fn take_parser() -> Parser {
    SPARE
        .with(|spare| spare.borrow_mut().take())
        .unwrap_or_else(new_parser)
}

/// Keeps a parser for this thread's next `take_parser`, reset (a parse stopped by its budget
/// would otherwise resume).
pub(super) fn give_back(mut parser: Parser) {
    parser.reset();
    SPARE.with(|spare| *spare.borrow_mut() = Some(parser));
}

/// The length of the longest common prefix of two byte strings: 32 bytes at a time (four
/// words compared together, which the compiler makes one vector compare), then by byte.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut i = 0;
    for (x, y) in a.chunks_exact(32).zip(b.chunks_exact(32)) {
        if differ32(x, y) {
            break;
        }
        i += 32;
    }
    i + a[i..]
        .iter()
        .zip(&b[i..])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The length of the longest common suffix of two byte strings, as `common_prefix`.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    for (x, y) in a.rchunks_exact(32).zip(b.rchunks_exact(32)) {
        if differ32(x, y) {
            break;
        }
        i += 32;
    }
    i + a[..n - i]
        .iter()
        .rev()
        .zip(b[..n - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Whether two 32-byte chunks differ.
fn differ32(x: &[u8], y: &[u8]) -> bool {
    let word = |c: &[u8], k: usize| u64::from_ne_bytes(c[k * 8..k * 8 + 8].try_into().unwrap());
    (0..4).fold(0, |acc, k| acc | (word(x, k) ^ word(y, k))) != 0
}

/// The number of line breaks in `bytes` (`memchr`'s SIMD search).
fn count_newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// Whether two trees have the same nodes (kinds and byte ranges) in the same shape, walked in
/// lockstep. (`Tree::changed_ranges` is no test of this: it trusts reused subtrees, and reported
/// nothing for two trees of one text that bound an expression differently.)
fn same_nodes(a: &Tree, b: &Tree) -> bool {
    let (mut x, mut y) = (a.walk(), b.walk());
    loop {
        let (m, n) = (x.node(), y.node());
        if m.kind_id() != n.kind_id() || m.byte_range() != n.byte_range() {
            return false;
        }
        let (down_x, down_y) = (x.goto_first_child(), y.goto_first_child());
        if down_x != down_y {
            return false;
        }
        if down_x {
            continue;
        }
        loop {
            let (next_x, next_y) = (x.goto_next_sibling(), y.goto_next_sibling());
            if next_x != next_y {
                return false;
            }
            if next_x {
                break;
            }
            let (up_x, up_y) = (x.goto_parent(), y.goto_parent());
            if up_x != up_y {
                return false;
            }
            if !up_x {
                return true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lexer's pieces of text end on character boundaries, whatever the offset asked for, and
    /// are empty only at the end: a character cut at a piece's end made tree-sitter ask again and
    /// decode a null pointer once the input had ended early.
    #[test]
    fn read_pieces_end_on_character_boundaries() {
        let text = format!(
            "{}\u{feff}é𝄞{}",
            "x".repeat(READ_CHUNK - 2),
            "é".repeat(READ_CHUNK)
        );
        for at in (0..text.len()).filter(|&at| text.is_char_boundary(at)) {
            let chunk = read_chunk(&text, at);
            assert!(!chunk.is_empty(), "empty piece at {at}");
            assert!(chunk.len() <= READ_CHUNK + 3);
            assert!(
                std::str::from_utf8(chunk).is_ok(),
                "piece at {at} cuts a character"
            );
        }
        assert!(read_chunk(&text, text.len()).is_empty());
        assert!(read_chunk(&text, text.len() + 5).is_empty());
    }

    #[test]
    fn word_at_a_time_byte_helpers_agree_with_the_naive_ones() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet = b"ab\n\x00\xff\x0a\x8a";
        for _ in 0..2000 {
            let len = (next() % 40) as usize;
            let a: Vec<u8> = (0..len).map(|_| alphabet[(next() % 7) as usize]).collect();
            let mut b = a.clone();
            if !b.is_empty() && next() % 2 == 0 {
                let i = (next() as usize) % b.len();
                b[i] = b[i].wrapping_add(1);
            }
            b.truncate(b.len() - (next() as usize % (b.len() + 1)).min(3));
            let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            let suffix = a
                .iter()
                .rev()
                .zip(b.iter().rev())
                .take_while(|(x, y)| x == y)
                .count();
            assert_eq!(common_prefix(&a, &b), prefix, "{a:?} {b:?}");
            assert_eq!(common_suffix(&a, &b), suffix, "{a:?} {b:?}");
            assert_eq!(
                count_newlines(&a),
                a.iter().filter(|&&x| x == b'\n').count(),
                "{a:?}"
            );
        }
    }
}
