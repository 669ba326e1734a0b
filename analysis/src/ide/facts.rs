//! What the features share: the loans of the functions in a window of the file with their live
//! ranges in file offsets, and how a loan, its reborrow chain and a line are described.

use crate::ast::Name;
use crate::borrowck::LoanFact;
use crate::db::{self, SourceFile};
use crate::mir::describe::PlaceNamer;
use crate::mir::LocalKind;
use crate::{file_range, TextRange};

/// A loan of the file, in file offsets, with what the features say about it.
pub(super) struct FileLoan {
    pub(super) fact: LoanFact,
    /// The borrowed place as the user wrote it (`self.items[i]`, `pair.0`, `*r`, `foo()`).
    pub(super) place: String,
    /// `place` as the operand of `&` (`&mut (&[1] as _)`).
    pub(super) operand: String,
    /// The binding whose own value is borrowed (`v` in `&v.0`; none for `&*r`).
    pub(super) root: Option<Name>,
    /// Index of the loan in its function's facts, and the function's index in the file.
    pub(super) func: usize,
    pub(super) idx: usize,
    pub(super) span: TextRange,
    pub(super) live: Vec<TextRange>,
    pub(super) last_use: Option<TextRange>,
}

pub(super) struct FileFacts {
    pub(super) loans: Vec<FileLoan>,
    /// Per function: offset, locals (name, declaration span in the file, holds-a-loan), and the
    /// statement spans where each of its loans is live.
    pub(super) funcs: Vec<FuncFacts>,
    /// The offset of each line's start, for line numbers without counting from the start of the
    /// file for every loan.
    pub(super) line_starts: Vec<u32>,
}

pub(super) struct FuncFacts {
    pub(super) locals: Vec<(Name, TextRange)>,
    pub(super) live_spans: Vec<Vec<TextRange>>,
}

/// The facts of the functions that overlap `window` (all of them without one): a query about one
/// place of a large file analyses only the functions there.
pub(super) fn file_facts(
    db: &db::Database,
    file: SourceFile,
    window: Option<TextRange>,
) -> FileFacts {
    let text = file.text(db);
    let len = text.len() as u32;
    let mut loans = Vec::new();
    let mut funcs = Vec::new();
    for f in db::file_fns(db, file) {
        let offset = f.offset;
        if let Some(w) = window {
            let end = offset.saturating_add(f.def.body.as_ref().map_or(0, |b| b.span.end));
            if end < w.start || offset > w.end {
                continue;
            }
        }
        let lowered = f.lowered(db);
        if lowered.body.tainted {
            continue;
        }
        let result = f.borrowck(db);
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
        // The body's spans index the function's text.
        let fn_text = text.get(offset as usize..).unwrap_or("");
        let namer = PlaceNamer::new(&lowered.body, db::file_index(db, file), fn_text);
        for (idx, (fact, loan)) in result.facts.iter().zip(&result.loans).enumerate() {
            if fact.uncertain {
                continue;
            }
            let name = namer.name(&loan.place, Some(loan.span));
            loans.push(FileLoan {
                fact: fact.clone(),
                place: name.text,
                operand: name.operand,
                root: name.root,
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
pub(super) fn merge(text: &str, ranges: &[TextRange]) -> Vec<TextRange> {
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
pub(super) fn line_of(facts: &FileFacts, offset: u32) -> usize {
    facts.line_starts.partition_point(|&start| start <= offset)
}

/// The source line holding `offset`, trimmed, shortened to 60 characters.
pub(super) fn line_text(text: &str, facts: &FileFacts, offset: u32) -> String {
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
pub(super) fn snippet(text: &str, r: TextRange) -> String {
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

/// `&mut place`, `&place`.
pub(super) fn borrow_text(loan: &FileLoan) -> String {
    if loan.fact.mutable {
        format!("&mut {}", loan.operand)
    } else {
        format!("&{}", loan.operand)
    }
}

/// `x ← r1 ← r1_2`: the borrowed root, then each binding holding a reborrow of it.
pub(super) fn chain(facts: &FileFacts, loan: &FileLoan) -> String {
    let mut holders: Vec<String> = Vec::new();
    let mut cur = Some(loan.idx);
    let mut root_place = loan.place.clone();
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
        root_place = l.place.clone();
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

pub(super) fn describe_loan(text: &str, facts: &FileFacts, loan: &FileLoan) -> String {
    let kind = if loan.fact.mutable {
        "mutable"
    } else {
        "shared"
    };
    let mut md = format!("**{kind} borrow** `{}`", borrow_text(loan));
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
