//! What one conversion keeps for the next (`ConvertCache`): each item's converted items, by its
//! container and text, and the parses of macro arguments. `Cx::item_cached` looks an item up, and
//! `base::FxHasher` hashes the texts it is keyed by, on every keystroke.

use tree_sitter::{Node, Parser, Tree};

use super::cx::Cx;
use super::kinds::Kid;
use crate::ast::{Container, Item};
use crate::base::{FxBuild, FxHasher};

/// What one conversion keeps for the next: the items converted from each item of the file
/// (functions, and the impls, traits, modules, types and `use` declarations around or beside
/// them), keyed by the item's container and exact text (attributes included). An item whose
/// text and container did not change since the previous conversion converts to the same items,
/// shifted to its new offset, so a keystroke walks only the items around the edit: an unchanged
/// impl, module or function is neither walked nor converted again.
#[derive(Default)]
pub(crate) struct ConvertCache {
    /// The text the entries were converted from; each entry is a range of it (one copy of the
    /// file, rather than one of every item at every level of nesting).
    pub(super) text: Box<str>,
    /// By a hash of the container and the item's text: the items with that hash, each with what
    /// it converted to.
    items: std::collections::HashMap<u64, Vec<CachedItem>, BuildIdentity>,
    /// The parser for macro arguments, kept from one conversion to the next (making one and
    /// setting its language costs more than parsing a short macro's arguments).
    pub(super) parser: Option<Parser>,
    /// Parses of macro arguments by their text (see `Cx::macro_tree`).
    pub(super) macros: std::collections::HashMap<Box<str>, Option<Tree>, FxBuild>,
    /// How many items the conversion made: the next one makes about as many.
    pub(super) items_len: usize,
}

/// A converted item: its container and range of the cache's text (the key), and its items
/// (the item itself first, then what it holds or hoists), offsets relative to the range's start.
struct CachedItem {
    container: Container,
    start: u32,
    end: u32,
    items: Vec<Item>,
}

/// The cache's keys are hashes already.
#[derive(Default, Clone, Copy)]
struct BuildIdentity;

impl std::hash::BuildHasher for BuildIdentity {
    type Hasher = IdentityHasher;
    fn build_hasher(&self) -> IdentityHasher {
        IdentityHasher(0)
    }
}

struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | *b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl<'t, 's> Cx<'t, 's> {
    /// An item whose text (attributes included) and container did not change since the last
    /// parse converts to the same items: reuse them, shifted to the new offset. The entry moves
    /// from the old cache to the new one, so a hit allocates only the items' copies.
    pub(super) fn item_cached(&mut self, k: Kid<'t>, attrs: &[Node<'t>]) {
        use std::hash::{Hash, Hasher};
        let node = k.node;
        let start = attrs
            .first()
            .map_or(node.start_byte(), |a| a.start_byte().min(node.start_byte()));
        let end = node.end_byte();
        let (Some(key_text), Ok(start32), Ok(end32)) = (
            self.text.get(start..end),
            u32::try_from(start),
            u32::try_from(end),
        ) else {
            return self.item_uncached(k, attrs);
        };
        let mut hasher = FxHasher(0);
        self.container.hash(&mut hasher);
        hasher.write(key_text.as_bytes());
        let hash = hasher.finish();
        let old_text = &*self.sh.cache_old.text;
        let hit = self.sh.cache_old.items.get_mut(&hash).and_then(|entries| {
            let i = entries.iter().position(|e| {
                e.container == self.container
                    && old_text.get(e.start as usize..e.end as usize) == Some(key_text)
            })?;
            Some(entries.swap_remove(i))
        });
        if let Some(mut entry) = hit {
            self.sh.items.extend(entry.items.iter().map(|item| {
                let mut item = item.clone();
                if let Item::Fn(f) = &mut item {
                    f.offset = f.offset.saturating_add(start32);
                }
                item
            }));
            if self.sh.caching {
                (entry.start, entry.end) = (start32, end32);
                self.sh.cache_new.items.entry(hash).or_default().push(entry);
            }
            return;
        }
        let first = self.sh.items.len();
        self.item_uncached(k, attrs);
        if self.sh.caching {
            let items: Vec<Item> = self.sh.items[first..]
                .iter()
                .map(|item| {
                    let mut item = item.clone();
                    if let Item::Fn(f) = &mut item {
                        f.offset = f.offset.saturating_sub(start32);
                    }
                    item
                })
                .collect();
            let entry = CachedItem {
                container: self.container.clone(),
                start: start32,
                end: end32,
                items,
            };
            self.sh.cache_new.items.entry(hash).or_default().push(entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ast::SourceFile;
    use crate::syntax::{convert, ParsedTree};

    /// The conversion cache is invisible: after any edit, converting the incremental parse with
    /// the cache gives what converting it without gives.
    #[test]
    fn cached_conversion_equals_uncached() {
        let files = crate::base::corpus_files();
        assert!(!files.is_empty(), "the corpora beside the repository");
        let inserts = [
            "x",
            "\n",
            "{",
            "}",
            ";",
            "\"",
            "//",
            "/*",
            "(",
            ")",
            "let y = &mut v;",
            "fn q() {}",
            "impl X {",
            "mod z {",
            "#[derive(Clone)]",
            "println!(\"{}\", a);",
            "vec![a, b]",
        ];
        let mut next = crate::base::test_random(7);
        for path in &files {
            let mut text = std::fs::read_to_string(path).unwrap();
            let mut tree = ParsedTree::new(&text);
            let _ = tree.convert(&text);
            for _ in 0..20 {
                let floor = |mut i: usize| {
                    while !text.is_char_boundary(i) {
                        i -= 1;
                    }
                    i
                };
                let a = floor(next() % (text.len() + 1));
                let b = floor((a + next() % 6).min(text.len()));
                let new = format!(
                    "{}{}{}",
                    &text[..a],
                    inserts[next() % inserts.len()],
                    &text[b..]
                );
                tree = tree.reparse(&text, &new);
                let uncached = match tree.0.as_ref() {
                    Some(t) => convert(t, &new),
                    None => SourceFile::default(),
                };
                assert!(
                    tree.convert(&new) == uncached,
                    "{} after {a}..{b}",
                    path.display()
                );
                text = new;
            }
        }
    }
}
