//! `FixCtx`'s text helpers: spans to file offsets and edits, a statement's whole lines and their
//! moves, quotations for titles, fresh names; and what a simple place's text looks like.

use super::{FixCtx, TextEdit};
use crate::ast::Span;
use crate::TextRange;

impl FixCtx<'_> {
    pub(super) fn abs(&self, s: Span) -> TextRange {
        let len = self.text.len() as u32;
        TextRange {
            start: (self.offset + s.start).min(len),
            end: (self.offset + s.end).min(len),
        }
    }

    pub(super) fn src(&self, s: Span) -> &str {
        let r = self.abs(s);
        self.text
            .get(r.start as usize..r.end as usize)
            .unwrap_or("")
    }

    pub(super) fn edit(&self, s: Span, new_text: impl Into<String>) -> TextEdit {
        TextEdit {
            range: self.abs(s),
            new_text: new_text.into(),
        }
    }

    pub(super) fn insert(&self, at: u32, new_text: impl Into<String>) -> TextEdit {
        TextEdit {
            range: TextRange { start: at, end: at },
            new_text: new_text.into(),
        }
    }

    /// The edits that move the whole lines `from` (file offsets, as `stmt_lines` gives them) to
    /// the line boundary `to`, in the order of their positions.
    pub(super) fn move_lines(&self, from: (u32, u32), to: u32) -> Vec<TextEdit> {
        let mut moved = self.text[from.0 as usize..from.1 as usize].to_string();
        if !moved.ends_with('\n') {
            moved.push('\n');
        }
        // At the end of a text without a final line break, the break goes first.
        if to as usize == self.text.len() && !self.text.ends_with('\n') {
            moved.insert(0, '\n');
            moved.pop();
        }
        let delete = TextEdit {
            range: TextRange {
                start: from.0,
                end: from.1,
            },
            new_text: String::new(),
        };
        if to < from.0 {
            vec![self.insert(to, moved), delete]
        } else {
            vec![delete, self.insert(to, moved)]
        }
    }

    /// The whole lines a statement occupies, in file offsets: from its line's start to after its
    /// line break, when nothing but blanks, its `;` and a line comment share those lines.
    pub(super) fn stmt_lines(&self, s: Span) -> Option<(u32, u32)> {
        let r = self.abs(s);
        let bytes = self.text.as_bytes();
        let mut start = r.start as usize;
        while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
            start -= 1;
        }
        if start > 0 && bytes[start - 1] != b'\n' {
            return None;
        }
        let mut end = r.end as usize;
        let skip_blank = |mut i: usize| {
            while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r') {
                i += 1;
            }
            i
        };
        end = skip_blank(end);
        if end < bytes.len()
            && bytes[end] == b';'
            && !self.text[r.start as usize..r.end as usize].ends_with(';')
        {
            end = skip_blank(end + 1);
        }
        if self.text[end..].starts_with("//") {
            end += self.text[end..].find('\n').unwrap_or(self.text.len() - end);
        }
        if end < bytes.len() {
            if bytes[end] != b'\n' {
                return None;
            }
            end += 1;
        }
        Some((start as u32, end as u32))
    }

    pub(super) fn indent_at(&self, line_start: u32) -> &str {
        let rest = &self.text[line_start as usize..];
        let n = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        &rest[..n]
    }

    /// A short quotation of a statement for a fix's title.
    pub(super) fn quote(&self, s: Span) -> String {
        let text = self.src(s);
        let first = text.lines().next().unwrap_or("").trim();
        let first = first.strip_suffix(';').unwrap_or(first);
        if first.chars().count() > 40 || text.trim().lines().count() > 1 {
            let short: String = first.chars().take(37).collect();
            format!("{}…", short.trim_end())
        } else {
            first.to_string()
        }
    }

    /// A name for a new binding: `base` unless the function already uses it.
    pub(super) fn fresh_name(&self, base: &str) -> String {
        let fn_text = self.src(Span::new(0, self.def_len()));
        let used = |n: &str| {
            fn_text.match_indices(n).any(|(i, _)| {
                let before = fn_text[..i].chars().next_back();
                let after = fn_text[i + n.len()..].chars().next();
                !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
            })
        };
        if !used(base) {
            return base.to_string();
        }
        (2..)
            .map(|i| format!("{base}{i}"))
            .find(|n| !used(n))
            .unwrap_or_default()
    }

    pub(super) fn def_len(&self) -> u32 {
        self.def.body.as_ref().map_or(0, |b| b.span.end)
    }
}

pub(super) fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `x`, `x.f`, `self.items.0`: a place expression that `.clone()` or `&` can follow or precede
/// without parentheses.
pub(super) fn is_simple_place(text: &str) -> bool {
    !text.is_empty()
        && text
            .split('.')
            .all(|seg| !seg.is_empty() && seg.chars().all(is_ident_char))
        && !text.starts_with(|c: char| c.is_ascii_digit())
}
