//! A document's text as the protocol sees it: a rope and the negotiated position encoding.
//!
//! Lines are those of LSP: they end at `\n`, `\r\n` or a lone `\r` (ropey's `cr_lines`, without
//! `unicode_lines`, splits exactly there). Columns count UTF-8 bytes or UTF-16 code units, as
//! negotiated in `initialize`. The conversions themselves live in `from_lsp` and `to_lsp`.

use ropey::Rope;
use tower_lsp_server::ls_types::{PositionEncodingKind, TextDocumentContentChangeEvent};

use crate::lsp::from_lsp;

/// How `Position::character` counts: the client and server agree on it in `initialize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// The protocol's default, for clients that offer nothing else.
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion on our side), else UTF-16, which every
    /// client must support.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let utf8 = offered.is_some_and(|it| it.contains(&PositionEncodingKind::UTF8));
        if utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// A document's text with the encoding its positions are counted in. Cloning is cheap (the rope
/// shares its nodes), so an answer is converted with the very text it was computed for.
#[derive(Clone, Debug)]
pub struct Text {
    pub rope: Rope,
    pub encoding: Encoding,
}

impl Text {
    pub fn new(text: &str, encoding: Encoding) -> Text {
        Text {
            rope: Rope::from_str(text),
            encoding,
        }
    }

    /// Applies one `didChange` content change: a range replaced by text, or, without a range, the
    /// whole text replaced. The range is clamped like any client position; a reversed range is
    /// read as the same range the right way round.
    pub fn apply(&mut self, change: &TextDocumentContentChangeEvent) {
        let Some(range) = change.range else {
            self.rope = Rope::from_str(&change.text);
            return;
        };
        let a = from_lsp::offset(self, range.start);
        let b = from_lsp::offset(self, range.end);
        let (start, end) = (a.min(b), a.max(b));
        let start = self.rope.byte_to_char(start);
        let end = self.rope.byte_to_char(end);
        self.rope.remove(start..end);
        self.rope.insert(start, &change.text);
    }

    /// The number of chars that end line `line` (`\n`, `\r\n`, `\r`, or none on the last line).
    pub fn line_ending_chars(&self, line: usize) -> usize {
        let slice = self.rope.line(line);
        let n = slice.len_chars();
        match (
            n.checked_sub(2).map(|i| slice.char(i)),
            n.checked_sub(1).map(|i| slice.char(i)),
        ) {
            (Some('\r'), Some('\n')) => 2,
            (_, Some('\n' | '\r')) => 1,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn change(text: &Text, start: (u32, u32), end: (u32, u32), new: &str) -> Text {
        let mut it = text.clone();
        it.apply(&TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(start.0, start.1),
                Position::new(end.0, end.1),
            )),
            range_length: None,
            text: new.to_string(),
        });
        it
    }

    #[test]
    fn negotiation_prefers_utf8() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }

    #[test]
    fn changes_in_utf16_and_utf8() {
        // `𝄞` is 2 UTF-16 code units and 4 bytes; `é` is 1 code unit and 2 bytes.
        let text = Text::new("a𝄞é\nb", Encoding::Utf16);
        assert_eq!(
            change(&text, (0, 3), (0, 4), "e").rope.to_string(),
            "a𝄞e\nb"
        );
        assert_eq!(change(&text, (0, 1), (1, 0), "").rope.to_string(), "ab");
        let text = Text::new("a𝄞é\nb", Encoding::Utf8);
        assert_eq!(
            change(&text, (0, 5), (0, 7), "e").rope.to_string(),
            "a𝄞e\nb"
        );
        assert_eq!(
            change(&text, (0, 7), (0, 5), "").rope.to_string(),
            "a𝄞\nb",
            "reversed"
        );
    }

    #[test]
    fn changes_are_clamped() {
        let text = Text::new("ab\ncd", Encoding::Utf16);
        assert_eq!(
            change(&text, (0, 9), (0, 9), "!").rope.to_string(),
            "ab!\ncd"
        );
        assert_eq!(
            change(&text, (7, 0), (9, 9), "!").rope.to_string(),
            "ab\ncd!"
        );
        // Inside the surrogate pair of `𝄞`: the start of the character.
        let text = Text::new("𝄞x", Encoding::Utf16);
        assert_eq!(change(&text, (0, 1), (0, 1), "!").rope.to_string(), "!𝄞x");
    }

    #[test]
    fn line_endings() {
        let text = Text::new("a\r\nb\rc\nd", Encoding::Utf8);
        let endings: Vec<_> = (0..text.rope.len_lines())
            .map(|it| text.line_ending_chars(it))
            .collect();
        assert_eq!(endings, [2, 1, 1, 0]);
    }
}
