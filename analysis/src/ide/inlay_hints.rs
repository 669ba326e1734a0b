//! Inlay hints: where each borrow's region ends, and what it borrows.

use super::facts::*;
use super::{InlayConfig, InlayHint, InlayKind};
use crate::db::{self, SourceFile};
use crate::TextRange;

pub(crate) fn inlay_hints(
    db: &db::Database,
    file: SourceFile,
    range: TextRange,
    config: InlayConfig,
) -> Vec<InlayHint> {
    let text = file.text(db);
    let facts = file_facts(db, file, Some(range));
    let mut out = Vec::new();
    let in_range = |offset: u32| range.start <= offset && offset <= range.end;
    for loan in &facts.loans {
        if config.only_conflicting && !loan.fact.conflicting {
            continue;
        }
        // Borrows a binding holds, or that conflict: the ones worth a hint.
        if loan.fact.holder.is_none() && !loan.fact.conflicting {
            continue;
        }
        // The tooltip is written only for hints in the range.
        let end_hint = loan
            .last_use
            .filter(|use_| use_.end > loan.span.end)
            .map(|use_| line_end(text, use_.end));
        if !in_range(loan.span.end) && !end_hint.is_some_and(in_range) {
            continue;
        }
        let tooltip = describe_loan(text, &facts, loan);
        let explicit = text
            .get(loan.span.start as usize..loan.span.end as usize)
            .is_some_and(|t| t.trim_start().starts_with('&'));
        if !explicit || loan.fact.parent.is_some() {
            // An implicit borrow (a method's autoref) or a reborrow: say what it borrows.
            let label = if loan.fact.parent.is_some() {
                format!("‹{}›", chain(&facts, loan))
            } else {
                format!("‹{}›", borrow_text(loan))
            };
            out.push(InlayHint {
                offset: loan.span.end,
                label,
                tooltip: tooltip.clone(),
                kind: InlayKind::Borrow,
            });
        }
        if let Some(offset) = end_hint {
            let label = match &loan.fact.holder {
                Some(h) => format!("‹{h}: {} ends›", borrow_text(loan)),
                None => format!("‹{} ends›", borrow_text(loan)),
            };
            out.push(InlayHint {
                offset,
                label,
                tooltip,
                kind: InlayKind::RegionEnd,
            });
        }
    }
    out.retain(|h| h.offset >= range.start && h.offset <= range.end);
    out.sort_by(|a, b| (a.offset, &a.label).cmp(&(b.offset, &b.label)));
    out.dedup();
    out
}

/// How far the end of a line is looked for: a hint after a use on a longer line stays right after
/// the use, so that hints on a megabyte-long line do not each scan it.
const MAX_LINE_SCAN: usize = 4096;

/// Where a hint after the statement ending at `end` goes: the end of its line, before trailing
/// whitespace and a line comment.
fn line_end(text: &str, end: u32) -> u32 {
    let rest = text.get(end as usize..).unwrap_or("");
    let scan = &rest.as_bytes()[..rest.len().min(MAX_LINE_SCAN)];
    let line = match scan.iter().position(|&b| b == b'\n') {
        Some(at) => &rest[..at],
        None if rest.len() <= MAX_LINE_SCAN => rest,
        None => return end,
    };
    let code = match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    };
    end + code.trim_end().len() as u32
}
