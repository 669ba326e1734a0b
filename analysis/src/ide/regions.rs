//! `borrowlens/regions`: the live ranges of the borrows at an offset or created in a range.

use super::facts::*;
use super::{Region, RegionKind, RegionQuery};
use crate::db::{self, SourceFile};
use crate::TextRange;

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
            place: l.place.clone(),
            borrow: l.span,
            live: l.live.clone(),
            conflicting: l.fact.conflicting,
        })
        .collect()
}
