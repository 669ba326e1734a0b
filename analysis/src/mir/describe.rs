//! A place named as the user wrote it and as rustc names it in messages (`*self`, `x.0`, `v[_]`):
//! data that the typed errors carry and the IDE shows, not a sentence.

use super::{Body, LocalKind, Place, Proj};
use crate::ast::FieldName;

/// Renders a place as rustc does in messages (`*self`, `x.0`, `v[_]`).
pub fn describe_place(body: &Body, place: &Place) -> String {
    let decl = body.local(place.local);
    let mut s = decl.name.as_deref().unwrap_or("_").to_string();
    let mut deref_pending = false;
    // An index temporary (`v[_]`) points at the element it names: its deref is the element.
    let skip = usize::from(
        decl.kind == LocalKind::Temp
            && s.ends_with(']')
            && place.proj.first() == Some(&Proj::Deref),
    );
    for proj in &place.proj[skip..] {
        match proj {
            Proj::Deref => {
                if deref_pending {
                    s = format!("*{s}");
                }
                deref_pending = true;
            }
            Proj::Field(f) => {
                deref_pending = false;
                match f {
                    FieldName::Named(n) => s = format!("{s}.{n}"),
                    FieldName::Index(i) => s = format!("{s}.{i}"),
                }
            }
            Proj::Index | Proj::ConstIndex { .. } => {
                if deref_pending {
                    s = format!("(*{s})");
                    deref_pending = false;
                }
                s = format!("{s}[_]");
            }
            Proj::Subslice | Proj::Range { .. } => {
                if deref_pending {
                    s = format!("(*{s})");
                    deref_pending = false;
                }
                s = format!("{s}[..]");
            }
            Proj::Downcast(_) => {
                if deref_pending {
                    s = format!("(*{s})");
                    deref_pending = false;
                }
            }
        }
    }
    if deref_pending {
        s = format!("*{s}");
    }
    s
}
