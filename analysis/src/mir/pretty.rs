//! The lowered body as text, in the manner of rustc's `-Zdump-mir`: one line per local, block,
//! statement and terminator, each with its span. Snapshot tests (`analysis/tests/mir.rs`) read
//! it, so that a change to the lowering is reviewed as a change of text.

use std::fmt::Write;

use super::{
    BasicBlock, Body, BorrowKind, LocalKind, Operand, Place, Proj, Rvalue, Statement,
    StatementKind, Terminator,
};
use crate::ast::{FieldName, Mutability, Span};
use crate::ty::Ty;

/// `body` as text.
pub fn pretty(body: &Body) -> String {
    let mut out = String::new();
    header(body, &mut out);
    for (i, block) in body.blocks.iter().enumerate() {
        block_text(i, block, &mut out);
    }
    out.push_str("}\n");
    out
}

fn header(body: &Body, out: &mut String) {
    let mut flags = Vec::new();
    for (set, name) in [
        (body.tainted, "tainted"),
        (body.opaque_control, "opaque_control"),
        (body.ret_holds_borrow, "ret_holds_borrow"),
    ] {
        if set {
            flags.push(name.to_string());
        }
    }
    for l in &body.static_locals {
        flags.push(format!("static _{}", l.0));
    }
    for l in &body.capture_temps {
        flags.push(format!("capture _{}", l.0));
    }
    let _ = writeln!(out, "body({}) {{", flags.join(", "));
    for (i, d) in body.locals.iter().enumerate() {
        let kind = match d.kind {
            LocalKind::Arg => "arg",
            LocalKind::User => "user",
            LocalKind::Temp if d.is_statement_temp => "temp, statement",
            LocalKind::Temp => "temp",
            LocalKind::Return => "return",
            LocalKind::Upvar => "upvar",
            LocalKind::Static => "static",
        };
        let name = d
            .name
            .as_deref()
            .map(|n| format!(" `{n}`"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    let {}_{i}: {}; // {kind}{name} {}",
            if d.mutable { "mut " } else { "" },
            ty(&d.ty),
            span(d.span)
        );
    }
}

fn block_text(i: usize, block: &BasicBlock, out: &mut String) {
    let _ = writeln!(out, "    bb{i}: {{");
    for s in &block.stmts {
        let _ = writeln!(
            out,
            "        {}; // {}{}",
            statement(s),
            if s.uncertain { "uncertain, " } else { "" },
            span(s.span)
        );
    }
    let _ = writeln!(
        out,
        "        {}; // {}",
        terminator(&block.term, block.term_span),
        span(block.term_span)
    );
    out.push_str("    }\n");
}

fn span(s: Span) -> String {
    format!("{}..{}", s.start, s.end)
}

fn statement(s: &Statement) -> String {
    match &s.kind {
        StatementKind::Assign(p, rv) => format!("{} = {}", place(p), rvalue(rv)),
        StatementKind::StorageDead(l) => format!("StorageDead(_{})", l.0),
        StatementKind::FakeRead(p) => format!("FakeRead({})", place(p)),
        StatementKind::PlaceMention(p) => format!("PlaceMention({})", place(p)),
        StatementKind::Discriminant(p) => format!("Discriminant({})", place(p)),
        StatementKind::Eval(op) => format!("Eval({})", operand(op)),
        StatementKind::Flow(p, l) => format!("Flow({} -> _{})", place(p), l.0),
        StatementKind::MaybeInit(l) => format!("MaybeInit(_{})", l.0),
    }
}

/// A terminator; a call's own span is printed when it is not the terminator's.
fn terminator(t: &Terminator, term_span: Span) -> String {
    match t {
        Terminator::Goto(b) => format!("goto -> bb{}", b.0),
        Terminator::Switch(targets) => {
            let targets: Vec<String> = targets.iter().map(|b| format!("bb{}", b.0)).collect();
            format!("switch -> [{}]", targets.join(", "))
        }
        Terminator::Call {
            args,
            dest,
            target,
            ret_borrows,
            span: call,
        } => {
            let args: Vec<String> = args.iter().map(operand).collect();
            let target = match target {
                Some(b) => format!("bb{}", b.0),
                None => "diverges".to_string(),
            };
            let borrows = if ret_borrows.is_empty() {
                String::new()
            } else {
                let ix: Vec<String> = ret_borrows.iter().map(|i| i.to_string()).collect();
                format!(", returns borrows of args [{}]", ix.join(", "))
            };
            let at = if *call == term_span {
                String::new()
            } else {
                format!(" at {}", span(*call))
            };
            format!(
                "{} = call({}) -> {target}{borrows}{at}",
                place(dest),
                args.join(", "),
            )
        }
        Terminator::Return => "return".to_string(),
        Terminator::Unreachable => "unreachable".to_string(),
    }
}

fn rvalue(rv: &Rvalue) -> String {
    match rv {
        Rvalue::Use(op) => operand(op),
        Rvalue::Ref(BorrowKind::Shared, p) => format!("&{}", place(p)),
        Rvalue::Ref(BorrowKind::Fake(_), p) => format!("&fake shallow {}", place(p)),
        Rvalue::Ref(BorrowKind::Unique, p) => format!("&uniq {}", place(p)),
        Rvalue::Ref(BorrowKind::Mut { two_phase: false }, p) => format!("&mut {}", place(p)),
        Rvalue::Ref(BorrowKind::Mut { two_phase: true }, p) => {
            format!("&two_phase {}", place(p))
        }
        Rvalue::Aggregate(ops) => format!("aggregate({})", operands(ops)),
        Rvalue::Opaque(ops, _) => format!("opaque({})", operands(ops)),
    }
}

fn operands(ops: &[Operand]) -> String {
    ops.iter().map(operand).collect::<Vec<_>>().join(", ")
}

fn operand(op: &Operand) -> String {
    match op {
        Operand::Copy(p) => format!("copy {}", place(p)),
        Operand::Move(p) => format!("move {}", place(p)),
        Operand::Use(p) => format!("use {}", place(p)),
        Operand::Const => "const".to_string(),
    }
}

/// A place as rustc prints one: `(*_1).field`, `_2[_]`, `(_3 as Some).0`.
fn place(p: &Place) -> String {
    let mut s = format!("_{}", p.local.0);
    for proj in &p.proj {
        s = match proj {
            Proj::Deref => format!("(*{s})"),
            Proj::Field(FieldName::Named(n)) => format!("{s}.{n}"),
            Proj::Field(FieldName::Index(i)) => format!("{s}.{i}"),
            Proj::Index => format!("{s}[_]"),
            Proj::ConstIndex {
                offset,
                from_end,
                min_length,
            } => format!(
                "{s}[{}{offset} of {min_length}]",
                if *from_end { "-" } else { "" }
            ),
            Proj::Subslice => format!("{s}[..]"),
            Proj::Range { from, to, from_end } => {
                format!("{s}[{from}..{}{to}]", if *from_end { "-" } else { "" })
            }
            Proj::Downcast(v) => format!("({s} as {v})"),
        };
    }
    s
}

/// A partial type with what the checker reads of it: `?` for unknown apart from `impl ?`,
/// lifetime arguments, raw pointees, and whether a parameter is `Copy`. (`ty::display`, for the
/// user, shows none of these.)
fn ty(t: &Ty) -> String {
    let list = |ts: &[Ty]| ts.iter().map(ty).collect::<Vec<_>>().join(", ");
    let m = |m: &Mutability| if *m == Mutability::Mut { "mut " } else { "" };
    match t {
        Ty::Unknown => "?".to_string(),
        Ty::Prim(n) => n.to_string(),
        Ty::Str => "str".to_string(),
        Ty::Ref(mu, inner) => format!("&{}{}", m(mu), ty(inner)),
        Ty::RawPtr(mu, inner) => format!(
            "*{} {}",
            if *mu == Mutability::Mut {
                "mut"
            } else {
                "const"
            },
            ty(inner)
        ),
        Ty::Tuple(ts) if ts.len() == 1 => format!("({},)", ty(&ts[0])),
        Ty::Tuple(ts) => format!("({})", list(ts)),
        Ty::Array(inner, Some(n)) => format!("[{}; {n}]", ty(inner)),
        Ty::Array(inner, None) => format!("[{}; _]", ty(inner)),
        Ty::Slice(inner) => format!("[{}]", ty(inner)),
        Ty::Adt {
            name,
            args,
            lifetimes,
        } => {
            let mut params: Vec<String> = (0..*lifetimes).map(|_| "'_".to_string()).collect();
            params.extend(args.iter().map(ty));
            if params.is_empty() {
                name.to_string()
            } else {
                format!("{name}<{}>", params.join(", "))
            }
        }
        Ty::Param { name, copy } => match copy {
            Some(true) => format!("{name}: Copy"),
            Some(false) => name.to_string(),
            None => format!("{name}: ?Copy"),
        },
        Ty::FnPtr(Some(r)) => format!("fn(..) -> {}", ty(r)),
        Ty::FnPtr(None) => "fn(..)".to_string(),
        Ty::Never => "!".to_string(),
        Ty::Opaque => "impl ?".to_string(),
        Ty::Dyn(n) => format!("dyn {n}"),
    }
}
