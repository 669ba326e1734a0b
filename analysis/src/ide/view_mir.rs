//! View MIR (as rust-analyzer's command): the lowered body of the function around an offset,
//! and of its closures, as text.

use crate::db::{self, SourceFile};

pub(crate) fn view_mir(db: &db::Database, file: SourceFile, offset: u32) -> Option<String> {
    // The innermost function: the one starting last among those around the offset.
    let f = db::file_fns(db, file)
        .into_iter()
        .filter(|f| {
            let end = f
                .def
                .body
                .as_ref()
                .map_or(f.def.name_span.end, |b| b.span.end);
            f.offset <= offset && offset <= f.offset.saturating_add(end)
        })
        .max_by_key(|f| f.offset)?;
    let lowered = f.lowered(db);
    let mut out = format!("fn {}\n", f.def.name);
    out.push_str(&crate::mir::pretty::pretty(&lowered.body));
    for (i, closure) in lowered.closures.iter().enumerate() {
        out.push_str(&format!("closure #{i}\n"));
        out.push_str(&crate::mir::pretty::pretty(closure));
    }
    Some(out)
}
