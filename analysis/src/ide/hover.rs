//! Hover: on a borrow, its loan, reborrow chain and where it is live; on a place, what may be
//! done with it there.

use super::facts::*;
use super::HoverResult;
use crate::db::{self, SourceFile};
use crate::TextRange;

pub(crate) fn hover(db: &db::Database, file: SourceFile, offset: u32) -> Option<HoverResult> {
    let text = file.text(db);
    let facts = file_facts(
        db,
        file,
        Some(TextRange {
            start: offset,
            end: offset,
        }),
    );
    // On a borrow expression: the innermost loan created there.
    if let Some(loan) = facts
        .loans
        .iter()
        .filter(|l| l.fact.holder.is_some() || l.fact.conflicting)
        .filter(|l| l.span.start <= offset && offset < l.span.end.max(l.span.start + 1))
        .min_by_key(|l| l.span.end - l.span.start)
    {
        return Some(HoverResult {
            range: loan.span,
            markdown: describe_loan(text, &facts, loan),
        });
    }
    // On a name: the binding it names (declared before, latest first).
    let (word, wrange) = word_at(text, offset)?;
    let (func, _) = facts
        .funcs
        .iter()
        .enumerate()
        .flat_map(|(f, ff)| ff.locals.iter().map(move |l| (f, l)))
        .filter(|(_, (n, r))| **n == *word && r.start <= offset)
        .max_by_key(|(_, (_, r))| r.start)?;
    let mut md = String::new();
    // The borrows this binding holds.
    let held: Vec<&FileLoan> = facts
        .loans
        .iter()
        .filter(|l| l.func == func && l.fact.holder.as_deref() == Some(word))
        .collect();
    for loan in &held {
        let d = describe_loan(text, &facts, loan).replacen(&format!(" held by `{word}`"), "", 1);
        md.push_str(&format!(
            "`{word}` holds a {}\n\n",
            d.trim_start_matches("**").replacen("**", "", 1)
        ));
    }
    // What may be done with the place here.
    let live_here: Vec<&FileLoan> = facts
        .loans
        .iter()
        .filter(|l| l.func == func)
        .filter(|l| {
            facts.funcs[func].live_spans[l.idx]
                .iter()
                .any(|r| r.start <= offset && offset < r.end)
        })
        .filter(|l| l.root.as_deref() == Some(word))
        .collect();
    let mut_loan = live_here.iter().find(|l| l.fact.mutable);
    let shared_loan = live_here.iter().find(|l| !l.fact.mutable);
    let at = |l: &FileLoan| {
        format!(
            "`{}` (line {})",
            borrow_text(l),
            line_of(&facts, l.span.start)
        )
    };
    let verdict = match (mut_loan, shared_loan) {
        (Some(m), _) => format!(
            "`{word}` here: read ✗ · write ✗ · move ✗ — mutably borrowed by {}",
            at(m)
        ),
        (None, Some(s)) => format!(
            "`{word}` here: read ✓ · write ✗ · move ✗ — borrowed by {}",
            at(s)
        ),
        (None, None) => {
            format!("`{word}` here: read ✓ · write ✓ · move ✓ — no borrow of it is live")
        }
    };
    md.push_str(&verdict);
    Some(HoverResult {
        range: wrange,
        markdown: md,
    })
}

fn word_at(text: &str, offset: u32) -> Option<(&str, TextRange)> {
    // An offset inside a character means that character (the fuzzer's first crash).
    let mut o = (offset as usize).min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    let is_id = |c: char| c.is_alphanumeric() || c == '_';
    let start = text[..o]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_id(*c))
        .last()
        .map_or(o, |(i, _)| i);
    let end = text[o..]
        .char_indices()
        .find(|(_, c)| !is_id(*c))
        .map_or(text.len(), |(i, _)| o + i);
    if start >= end {
        return None;
    }
    Some((
        &text[start..end],
        TextRange {
            start: start as u32,
            end: end as u32,
        },
    ))
}
