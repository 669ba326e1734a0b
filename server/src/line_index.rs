//! Byte offsets to the 1-based line and character column that rustc prints.
//!
//! rustc counts lines by `\n` only: a lone `\r` is an ordinary character of its line (checked with
//! rustc 1.95). Before it computes positions it drops the `\r` of every `\r\n` and a leading
//! byte-order mark, so neither is counted in a column here. Columns count characters (Unicode
//! scalar values), as rustc's JSON does. Offsets are clamped, never trusted: one past the end maps
//! to the end of the text, one inside a multi-byte character to the start of that character.

/// A 1-based line and a 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// The start of every line of one text, for converting byte offsets into it.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the first byte of each line; the first is always 0.
    line_starts: Vec<u32>,
}

const BOM: char = '\u{feff}';

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i as u32 + 1));
        LineIndex { text, line_starts }
    }

    /// The number of lines: one more than the number of `\n`.
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The offset moved into the text and back to the start of the character it falls in.
    pub fn clamp(&self, offset: u32) -> usize {
        let mut it = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(it) {
            it -= 1;
        }
        it
    }

    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = self.clamp(offset);
        // `line_starts[0] == 0 <= offset`, so the partition point is at least 1.
        let line_idx = self
            .line_starts
            .partition_point(|&start| start as usize <= offset)
            - 1;
        let before = &self.text[self.line_starts[line_idx] as usize..offset];
        let mut col = before.chars().count();
        if line_idx == 0 && before.starts_with(BOM) {
            col -= 1;
        }
        if before.ends_with('\r') && self.text[offset..].starts_with('\n') {
            col -= 1;
        }
        LineCol {
            line: line_idx as u32 + 1,
            col: col as u32 + 1,
        }
    }

    /// The text of a 1-based line without its `\n` or `\r\n` (nor the byte-order mark on line 1);
    /// empty for a line number out of range.
    pub fn line_text(&self, line: u32) -> &'a str {
        let Some(&start) = self.line_starts.get((line as usize).wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line as usize)
            .map_or(self.text.len(), |&next| next as usize - 1);
        let mut it = &self.text[start as usize..end];
        if line == 1 {
            it = it.strip_prefix(BOM).unwrap_or(it);
        }
        it.strip_suffix('\r').unwrap_or(it)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(text: &str, offset: u32) -> (u32, u32) {
        let it = LineIndex::new(text).line_col(offset);
        (it.line, it.col)
    }

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "ab\ncd\n";
        assert_eq!(lc(text, 0), (1, 1));
        assert_eq!(lc(text, 2), (1, 3));
        assert_eq!(lc(text, 3), (2, 1));
        assert_eq!(lc(text, 5), (2, 3));
        assert_eq!(lc(text, 6), (3, 1));
    }

    #[test]
    fn columns_count_chars_not_bytes() {
        // "é" is 2 bytes, "𝄞" is 4: the `x` after them is the 4th character.
        let text = "é𝄞 x";
        assert_eq!(lc(text, text.find('x').unwrap() as u32), (1, 4));
    }

    #[test]
    fn offsets_are_clamped() {
        let text = "aé\nb";
        assert_eq!(lc(text, 2), (1, 2), "inside `é` goes back to its start");
        assert_eq!(lc(text, 1000), (2, 2), "past the end goes to the end");
        assert_eq!(lc("", 5), (1, 1));
    }

    #[test]
    fn crlf_counts_like_lf() {
        let text = "ab\r\ncd";
        assert_eq!(lc(text, 2), (1, 3), "the `\\r` of `\\r\\n` is not a column");
        assert_eq!(lc(text, 3), (1, 3));
        assert_eq!(lc(text, 4), (2, 1));
        let index = LineIndex::new(text);
        assert_eq!(index.line_text(1), "ab");
        assert_eq!(index.line_text(2), "cd");
    }

    #[test]
    fn a_lone_cr_is_not_a_line_break() {
        // As rustc: `fn main() {\r let` is one line.
        let text = "a\rb\nc";
        assert_eq!(lc(text, 2), (1, 3));
        assert_eq!(lc(text, 4), (2, 1));
        assert_eq!(LineIndex::new(text).line_count(), 2);
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{feff}ab";
        assert_eq!(lc(text, 3), (1, 1));
        assert_eq!(lc(text, 4), (1, 2));
        assert_eq!(LineIndex::new(text).line_text(1), "ab");
    }

    #[test]
    fn line_text_out_of_range_is_empty() {
        let index = LineIndex::new("a\nb");
        assert_eq!(index.line_text(0), "");
        assert_eq!(index.line_text(3), "");
        assert_eq!(index.line_text(2), "b");
    }
}
