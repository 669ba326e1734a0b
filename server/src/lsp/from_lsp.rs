//! Conversions from the protocol's types into what the analysis speaks (byte offsets, paths).
//!
//! Client positions are clamped, never trusted: a line past the end is the end of the text, a
//! character past the end of its line is the end of the line (before its line break), and a
//! position inside a multi-byte character (a UTF-8 continuation byte, the second half of a UTF-16
//! surrogate pair) is the start of that character.

use borrowlens_analysis::TextRange;
use tower_lsp_server::ls_types::{Position, Range, Uri};

use crate::lsp::text::{Encoding, Text};

/// The byte offset of a position.
pub fn offset(text: &Text, position: Position) -> usize {
    let rope = &text.rope;
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let slice = rope.line(line);
    let content_chars = slice.len_chars() - text.line_ending_chars(line);
    let char_in_line = match text.encoding {
        Encoding::Utf8 => {
            let byte = (position.character as usize).min(slice.char_to_byte(content_chars));
            slice.byte_to_char(byte)
        }
        Encoding::Utf16 => {
            let unit = (position.character as usize).min(slice.char_to_utf16_cu(content_chars));
            slice.utf16_cu_to_char(unit)
        }
    };
    rope.char_to_byte(rope.line_to_char(line) + char_in_line)
}

/// The byte range of a range, its ends clamped; a reversed range is read the right way round.
pub fn range(text: &Text, range: Range) -> TextRange {
    let a = offset(text, range.start) as u32;
    let b = offset(text, range.end) as u32;
    TextRange {
        start: a.min(b),
        end: a.max(b),
    }
}

/// The key of a document in the analysis: its file path for a `file:` URI, so that an open
/// document and the same file read from disk are one file; the URI itself for anything else
/// (`untitled:`).
pub fn path(uri: &Uri) -> String {
    file_path(uri).map_or_else(|| uri.as_str().to_string(), |it| it.display().to_string())
}

/// The file path of a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<std::path::PathBuf> {
    let is_file = uri.scheme().as_str().eq_ignore_ascii_case("file");
    is_file
        .then(|| uri.to_file_path().map(|it| it.into_owned()))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn at(text: &str, encoding: Encoding, line: u32, character: u32) -> usize {
        offset(&Text::new(text, encoding), Position::new(line, character))
    }

    #[test]
    fn utf16_counts_code_units() {
        // `é`: 2 bytes, 1 unit; `𝄞`: 4 bytes, 2 units.
        let text = "é𝄞x\ny";
        assert_eq!(at(text, Encoding::Utf16, 0, 1), 2);
        assert_eq!(at(text, Encoding::Utf16, 0, 3), 6);
        assert_eq!(
            at(text, Encoding::Utf16, 0, 2),
            2,
            "inside the surrogate pair"
        );
        assert_eq!(at(text, Encoding::Utf16, 1, 0), 8);
    }

    #[test]
    fn utf8_counts_bytes() {
        let text = "é𝄞x\ny";
        assert_eq!(at(text, Encoding::Utf8, 0, 6), 6);
        assert_eq!(at(text, Encoding::Utf8, 0, 1), 0, "inside `é`");
        assert_eq!(at(text, Encoding::Utf8, 0, 4), 2, "inside `𝄞`");
    }

    #[test]
    fn positions_are_clamped() {
        let text = "ab\r\ncd\n";
        assert_eq!(at(text, Encoding::Utf16, 0, 99), 2, "before the line break");
        assert_eq!(at(text, Encoding::Utf8, 1, 99), 6);
        assert_eq!(at(text, Encoding::Utf16, 2, 5), 7, "the empty last line");
        assert_eq!(at(text, Encoding::Utf16, 99, 0), 7, "past the last line");
        assert_eq!(at("", Encoding::Utf16, 3, 3), 0);
        assert_eq!(
            at("a\rb", Encoding::Utf16, 1, 0),
            2,
            "a lone CR ends a line"
        );
    }

    #[test]
    #[cfg(unix)]
    fn paths_of_uris() {
        let uri = Uri::from_str("file:///tmp/a%20b/c.rs").unwrap();
        assert_eq!(path(&uri), "/tmp/a b/c.rs");
        let uri = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(path(&uri), "untitled:Untitled-1");
    }
}
