//! IDE insights computed from the borrow-check facts: inlay hints, hover and borrow regions.
//!
//! Everything here is in byte offsets of the file; the server converts to LSP positions.

use crate::ast::Name;
use crate::borrowck::LoanFact;
use crate::db::{self, SourceFile};
use crate::mir::LocalKind;
use crate::{file_range, TextRange};

/// Which borrows get inlay hints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct InlayConfig {
    /// Only the borrows involved in a borrow-check error.
    pub only_conflicting: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InlayKind {
    /// At the borrow expression: what it borrows (`&mut v`).
    Borrow,
    /// Where the borrow's region ends: `‹&mut v ends›`.
    RegionEnd,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InlayHint {
    /// The hint is drawn at this offset.
    pub offset: u32,
    pub label: String,
    /// Why the borrow lives that long (markdown).
    pub tooltip: String,
    pub kind: InlayKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HoverResult {
    /// The range the hover is about.
    pub range: TextRange,
    /// Markdown.
    pub markdown: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegionKind {
    Shared,
    Mutable,
}

/// One borrow and where it is live.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    pub kind: RegionKind,
    /// The borrowed place as rustc names it (`v`, `*self`, `x.0`).
    pub place: String,
    /// The borrow expression.
    pub borrow: TextRange,
    /// The source ranges where the borrow is live, merged and sorted.
    pub live: Vec<TextRange>,
    /// The borrow takes part in a borrow-check error.
    pub conflicting: bool,
}

/// Which borrows `borrowlens/regions` returns: those live at `offset` or created in `range`
/// (all of the file when both are `None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct RegionQuery {
    pub offset: Option<u32>,
    pub range: Option<TextRange>,
}

/// A loan of the file, in file offsets, with what the features say about it.
struct FileLoan {
    fact: LoanFact,
    /// Index of the loan in its function's facts, and the function's index in the file.
    func: usize,
    idx: usize,
    span: TextRange,
    live: Vec<TextRange>,
    last_use: Option<TextRange>,
}

struct FileFacts {
    loans: Vec<FileLoan>,
    /// Per function: offset, locals (name, declaration span in the file, holds-a-loan), and the
    /// statement spans where each of its loans is live.
    funcs: Vec<FuncFacts>,
    /// The offset of each line's start, for line numbers without counting from the start of the
    /// file for every loan.
    line_starts: Vec<u32>,
}

struct FuncFacts {
    locals: Vec<(Name, TextRange)>,
    live_spans: Vec<Vec<TextRange>>,
}

/// The facts of the functions that overlap `window` (all of them without one): a query about one
/// place of a large file analyses only the functions there.
fn file_facts(db: &db::Database, file: SourceFile, window: Option<TextRange>) -> FileFacts {
    let text = file.text(db);
    let len = text.len() as u32;
    let mut loans = Vec::new();
    let mut funcs = Vec::new();
    for item in db::fn_items(db, file) {
        if let Some(w) = window {
            let start = item.offset(db);
            let end = start.saturating_add(item.def(db).body.as_ref().map_or(0, |b| b.span.end));
            if end < w.start || start > w.end {
                continue;
            }
        }
        let lowered = db::fn_body(db, *item);
        if lowered.body.tainted {
            continue;
        }
        let offset = item.offset(db);
        let result = db::fn_borrowck(db, *item);
        let func = funcs.len();
        let locals = lowered
            .body
            .locals
            .iter()
            .filter(|l| matches!(l.kind, LocalKind::User | LocalKind::Arg))
            .filter_map(|l| l.name.clone().map(|n| (n, file_range(offset, l.span, len))))
            .collect();
        let live_spans: Vec<Vec<TextRange>> = result
            .live_spans
            .iter()
            .map(|v| v.iter().map(|s| file_range(offset, *s, len)).collect())
            .collect();
        for (idx, fact) in result.facts.iter().enumerate() {
            if fact.uncertain {
                continue;
            }
            loans.push(FileLoan {
                fact: fact.clone(),
                func,
                idx,
                span: file_range(offset, fact.span, len),
                live: merge(text, &live_spans[idx]),
                last_use: fact.last_use.map(|s| file_range(offset, s, len)),
            });
        }
        funcs.push(FuncFacts { locals, live_spans });
    }
    let line_starts = std::iter::once(0)
        .chain(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        )
        .collect();
    FileFacts {
        loans,
        funcs,
        line_starts,
    }
}

/// Sorts ranges and merges those that overlap or are separated by whitespace only.
fn merge(text: &str, ranges: &[TextRange]) -> Vec<TextRange> {
    let mut v: Vec<TextRange> = ranges.to_vec();
    v.sort();
    let mut out: Vec<TextRange> = Vec::new();
    for r in v {
        if let Some(last) = out.last_mut() {
            let gap = text.get(last.end as usize..r.start as usize);
            // Statements are separated by `;` and whitespace: one live stretch.
            if r.start <= last.end
                || gap.is_some_and(|g| {
                    g.trim_matches(|c: char| c.is_whitespace() || c == ';')
                        .is_empty()
                })
            {
                last.end = last.end.max(r.end);
                continue;
            }
        }
        out.push(r);
    }
    out
}

/// The 1-based line of `offset`.
fn line_of(facts: &FileFacts, offset: u32) -> usize {
    facts.line_starts.partition_point(|&start| start <= offset)
}

/// The source line holding `offset`, trimmed, shortened to 60 characters.
fn line_text(text: &str, facts: &FileFacts, offset: u32) -> String {
    let line = line_of(facts, offset);
    let start = facts.line_starts[line - 1];
    let end = facts
        .line_starts
        .get(line)
        .map_or(text.len() as u32, |next| next - 1);
    snippet(text, TextRange { start, end })
}

/// The text of `r` on one line, whitespace runs collapsed, shortened to 60 characters. Reads only
/// as much of the text as it shows: a line may be a megabyte long.
fn snippet(text: &str, r: TextRange) -> String {
    let s = text.get(r.start as usize..r.end as usize).unwrap_or("");
    let mut one_line = String::new();
    let (mut n, mut space) = (0, false);
    for c in s.chars() {
        if c.is_whitespace() {
            space = !one_line.is_empty();
            continue;
        }
        if space {
            one_line.push(' ');
            n += 1;
            space = false;
        }
        one_line.push(c);
        n += 1;
        if n > 60 {
            break;
        }
    }
    if n > 60 {
        format!("{}…", one_line.chars().take(59).collect::<String>())
    } else {
        one_line
    }
}

fn borrow_text(fact: &LoanFact) -> String {
    if fact.mutable {
        format!("&mut {}", fact.place)
    } else {
        format!("&{}", fact.place)
    }
}

/// `x ← r1 ← r1_2`: the borrowed root, then each binding holding a reborrow of it.
fn chain(facts: &FileFacts, loan: &FileLoan) -> String {
    let mut holders: Vec<String> = Vec::new();
    let mut cur = Some(loan.idx);
    let mut root_place = loan.fact.place.clone();
    let mut guard = 0;
    while let Some(i) = cur {
        // Loans are in (function, index) order.
        let Ok(at) = facts
            .loans
            .binary_search_by_key(&(loan.func, i), |l| (l.func, l.idx))
        else {
            break;
        };
        let l = &facts.loans[at];
        if let Some(h) = &l.fact.holder {
            if holders.last().map(|s| s.as_str()) != Some(h) {
                holders.push(h.to_string());
            }
        }
        root_place = l.fact.place.clone();
        cur = l.fact.parent;
        guard += 1;
        if guard > 64 {
            break;
        }
    }
    holders.reverse();
    let mut parts = vec![root_place.trim_start_matches('*').to_string()];
    parts.extend(holders);
    parts.join(" ← ")
}

fn describe_loan(text: &str, facts: &FileFacts, loan: &FileLoan) -> String {
    let kind = if loan.fact.mutable {
        "mutable"
    } else {
        "shared"
    };
    let mut md = format!("**{kind} borrow** `{}`", borrow_text(&loan.fact));
    if let Some(h) = &loan.fact.holder {
        md.push_str(&format!(" held by `{h}`"));
    }
    md.push_str("\n\n");
    if loan.fact.parent.is_some() || loan.fact.holder.is_some() {
        md.push_str(&format!("reborrow chain: `{}`\n\n", chain(facts, loan)));
    }
    match (loan.live.first(), loan.live.last(), loan.last_use) {
        (Some(first), Some(last), Some(use_)) => {
            let (a, b) = (line_of(facts, first.start), line_of(facts, last.end));
            let lines = if a == b {
                format!("line {a}")
            } else {
                format!("lines {a}–{b}")
            };
            md.push_str(&format!(
                "live on {lines}; kept alive by its last use on line {}: `{}`",
                line_of(facts, use_.start),
                line_text(text, facts, use_.start)
            ));
        }
        _ => md.push_str("not used after it is created: its region ends here"),
    }
    if let Some(e) = &loan.fact.error {
        md.push_str(&format!(
            "\n\n⚠ {}: {}",
            e.code(),
            crate::diagnostics::message(e)
        ));
    }
    md
}

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
                format!("‹{}›", borrow_text(&loan.fact))
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
                Some(h) => format!("‹{h}: {} ends›", borrow_text(&loan.fact)),
                None => format!("‹{} ends›", borrow_text(&loan.fact)),
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
        .filter(|l| {
            let root = l.fact.place.trim_start_matches('*');
            root == word
                || root.starts_with(&format!("{word}."))
                || root.starts_with(&format!("{word}["))
        })
        .filter(|l| !l.fact.place.starts_with('*'))
        .collect();
    let mut_loan = live_here.iter().find(|l| l.fact.mutable);
    let shared_loan = live_here.iter().find(|l| !l.fact.mutable);
    let at = |l: &FileLoan| {
        format!(
            "`{}` (line {})",
            borrow_text(&l.fact),
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

pub(crate) fn regions(db: &db::Database, file: SourceFile, query: RegionQuery) -> Vec<Region> {
    let window = match (query.offset, query.range) {
        (Some(o), _) => Some(TextRange { start: o, end: o }),
        (None, range) => range,
    };
    let facts = file_facts(db, file, window);
    facts
        .loans
        .iter()
        // The borrows a binding holds or that conflict: temporaries' borrows are noise.
        .filter(|l| l.fact.holder.is_some() || l.fact.conflicting)
        .filter(|l| match (query.offset, query.range) {
            (Some(o), _) => {
                (l.span.start <= o && o <= l.span.end)
                    || l.live.iter().any(|r| r.start <= o && o <= r.end)
            }
            (None, Some(r)) => l.span.start < r.end && r.start < l.span.end.max(l.span.start + 1),
            (None, None) => true,
        })
        .map(|l| Region {
            kind: if l.fact.mutable {
                RegionKind::Mutable
            } else {
                RegionKind::Shared
            },
            place: l.fact.place.clone(),
            borrow: l.span,
            live: l.live.clone(),
            conflicting: l.fact.conflicting,
        })
        .collect()
}
