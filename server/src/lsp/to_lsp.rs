//! Conversions from the analysis's answers (byte offsets of a file) into the protocol's types,
//! with the text the answer was computed for.

use std::str::FromStr;

use borrowlens_analysis as analysis;
use borrowlens_analysis::{InlayKind, RegionKind, Severity, TextRange};
use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Hover,
    HoverContents, InlayHint, InlayHintLabel, InlayHintTooltip, Location, MarkupContent,
    MarkupKind, NumberOrString, Position, Range, Uri,
};

use crate::lsp::ext;
use crate::lsp::text::{Encoding, Text};

/// What the `source` of every diagnostic says.
pub const SOURCE: &str = "borrowlens";

/// The position of a byte offset. An offset past the end is the end; one inside a multi-byte
/// character is the start of that character.
pub fn position(text: &Text, offset: u32) -> Position {
    let rope = &text.rope;
    let char_idx = rope.byte_to_char((offset as usize).min(rope.len_bytes()));
    let line = rope.char_to_line(char_idx);
    let line_start = rope.line_to_char(line);
    let character = match text.encoding {
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start),
    };
    Position::new(line as u32, character as u32)
}

pub fn range(text: &Text, range: TextRange) -> Range {
    Range::new(position(text, range.start), position(text, range.end))
}

pub fn diagnostic(
    text: &Text,
    uri: &Uri,
    diag: &borrowlens_analysis::Diagnostic,
) -> lsp::Diagnostic {
    let related = diag
        .labels
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range(text, label.range)),
            message: label.message.clone(),
        })
        .collect::<Vec<_>>();
    lsp::Diagnostic {
        range: range(text, diag.range),
        severity: Some(severity(diag.severity)),
        code: Some(NumberOrString::String(diag.code.to_string())),
        code_description: code_description(diag.code),
        source: Some(SOURCE.to_string()),
        message: diag.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
    }
}

/// The error index's page for rustc's codes (`E0502`); none for the uncoded `lifetime`.
pub fn code_description(code: &str) -> Option<CodeDescription> {
    let is_rustc_code =
        code.len() == 5 && code.starts_with('E') && code[1..].bytes().all(|it| it.is_ascii_digit());
    if !is_rustc_code {
        return None;
    }
    let href = format!("https://doc.rust-lang.org/error_codes/{code}.html");
    Uri::from_str(&href)
        .ok()
        .map(|href| CodeDescription { href })
}

pub fn markdown(value: &str) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value: value.to_string(),
    }
}

/// A hint that ends a region (`‹&mut x ends›`) follows code, so it keeps a space from it; a hint
/// on a borrow (`&mut v`) precedes its expression, so it keeps a space after itself.
pub fn inlay_hint(text: &Text, hint: &analysis::InlayHint) -> InlayHint {
    let region_end = hint.kind == InlayKind::RegionEnd;
    InlayHint {
        position: position(text, hint.offset),
        label: InlayHintLabel::String(hint.label.clone()),
        kind: None,
        text_edits: None,
        tooltip: (!hint.tooltip.is_empty())
            .then(|| InlayHintTooltip::MarkupContent(markdown(&hint.tooltip))),
        padding_left: Some(region_end),
        padding_right: Some(!region_end),
        data: None,
    }
}

pub fn hover(text: &Text, hover: &analysis::HoverResult) -> Hover {
    Hover {
        contents: HoverContents::Markup(markdown(&hover.markdown)),
        range: Some(range(text, hover.range)),
    }
}

pub fn region(text: &Text, region: &analysis::Region) -> ext::Region {
    ext::Region {
        kind: match region.kind {
            RegionKind::Shared => ext::RegionKind::Shared,
            RegionKind::Mutable => ext::RegionKind::Mutable,
        },
        place: region.place.clone(),
        borrow: range(text, region.borrow),
        live: region.live.iter().map(|it| range(text, *it)).collect(),
        conflicting: region.conflicting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::from_lsp;

    #[test]
    fn positions_round_trip_in_both_encodings() {
        let source = "é𝄞 x\r\n\ty\rz\n";
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let text = Text::new(source, encoding);
            for (offset, _) in source.char_indices() {
                if source[..offset].ends_with('\r') && source[offset..].starts_with('\n') {
                    // Between `\r` and `\n`: not a position in LSP, it reads back as the `\r`.
                    continue;
                }
                let it = position(&text, offset as u32);
                assert_eq!(
                    from_lsp::offset(&text, it),
                    offset,
                    "{encoding:?} {offset} {it:?}"
                );
            }
        }
        let text = Text::new(source, Encoding::Utf16);
        assert_eq!(
            position(&text, source.find('x').unwrap() as u32),
            Position::new(0, 4)
        );
        assert_eq!(
            position(&text, source.find('z').unwrap() as u32),
            Position::new(2, 0)
        );
        assert_eq!(position(&text, 1), Position::new(0, 0), "inside `é`");
        assert_eq!(position(&text, 999), Position::new(3, 0), "past the end");
        let text = Text::new(source, Encoding::Utf8);
        assert_eq!(
            position(&text, source.find('x').unwrap() as u32),
            Position::new(0, 7)
        );
    }

    #[test]
    fn code_descriptions() {
        let it = code_description("E0502").unwrap();
        assert_eq!(
            it.href.as_str(),
            "https://doc.rust-lang.org/error_codes/E0502.html"
        );
        assert_eq!(code_description("lifetime"), None);
    }
}
