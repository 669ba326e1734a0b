//! The compact text form of the converted tree that the tests compare: `r_block`, `r_expr`,
//! `r_pat`, `r_ty` and `r_sig` print what they are given in one line.

use crate::ast::*;
use std::fmt::Write;

pub(super) fn r_block(b: &Block) -> String {
    let mut s = String::from(if b.is_unsafe { "unsafe{" } else { "{" });
    for (i, st) in b.stmts.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&r_stmt(st));
    }
    if let Some(t) = &b.tail {
        if !b.stmts.is_empty() {
            s.push(' ');
        }
        s.push_str(&r_expr(t));
    }
    s.push('}');
    s
}

fn r_stmt(st: &Stmt) -> String {
    match st {
        Stmt::Let {
            pat,
            ty,
            init,
            else_block,
            ..
        } => {
            let mut s = format!("let {}", r_pat(pat));
            if let Some(t) = ty {
                write!(s, ": {}", r_ty(t)).unwrap();
            }
            if let Some(e) = init {
                write!(s, " = {}", r_expr(e)).unwrap();
            }
            if let Some(b) = else_block {
                write!(s, " else {}", r_block(b)).unwrap();
            }
            s + ";"
        }
        Stmt::Expr {
            expr,
            has_semi: true,
        } => format!("{};", r_expr(expr)),
        Stmt::Expr {
            expr,
            has_semi: false,
        } => format!("{}~", r_expr(expr)),
        Stmt::Cfg(_) => "#[cfg]".to_string(),
        Stmt::Item(_) => "item".into(),
    }
}

pub(super) fn list<T>(xs: &[T], f: impl Fn(&T) -> String, sep: &str) -> String {
    xs.iter().map(f).collect::<Vec<_>>().join(sep)
}

fn label(l: &Option<Name>) -> String {
    l.as_ref().map_or(String::new(), |l| format!("'{l}: "))
}

pub(super) fn r_expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Path(p) => p.join("::"),
        ExprKind::Lit(l) => format!("{l:?}"),
        ExprKind::Unary(op, e) => format!("({op:?} {})", r_expr(e)),
        ExprKind::Ref {
            mutability,
            raw,
            expr,
        } => format!(
            "(&{}{} {})",
            if *raw { "raw " } else { "" },
            if *mutability == Mutability::Mut {
                "mut"
            } else if *raw {
                "const"
            } else {
                ""
            },
            r_expr(expr)
        ),
        ExprKind::Binary(op, l, r) => format!("({op:?} {} {})", r_expr(l), r_expr(r)),
        ExprKind::Assign(l, r) => format!("(= {} {})", r_expr(l), r_expr(r)),
        ExprKind::CompoundAssign(op, l, r) => format!("({op:?}= {} {})", r_expr(l), r_expr(r)),
        ExprKind::Call(f, args, ..) => {
            format!("(call {} [{}])", r_expr(f), list(args, r_expr, ", "))
        }
        ExprKind::MethodCall {
            receiver,
            method,
            args,
            ..
        } => {
            format!(
                "(mcall {} {} [{}])",
                r_expr(receiver),
                method,
                list(args, r_expr, ", ")
            )
        }
        ExprKind::Field(e, FieldName::Named(n)) => format!("(. {} {n})", r_expr(e)),
        ExprKind::Field(e, FieldName::Index(i)) => format!("(. {} {i})", r_expr(e)),
        ExprKind::Index(a, b) => format!("(index {} {})", r_expr(a), r_expr(b)),
        ExprKind::Tuple(xs) => format!("(tuple {})", list(xs, r_expr, ", ")),
        ExprKind::Array(xs) => format!("[{}]", list(xs, r_expr, ", ")),
        ExprKind::ArrayRepeat(a, n) => format!("[{}; {}]", r_expr(a), r_expr(n)),
        ExprKind::Struct {
            path, fields, base, ..
        } => {
            let fields = list(
                fields,
                |(n, e)| match n {
                    FieldName::Named(n) => format!("{n}: {}", r_expr(e)),
                    FieldName::Index(i) => format!("{i}: {}", r_expr(e)),
                },
                ", ",
            );
            let base = base
                .as_ref()
                .map_or(String::new(), |b| format!(" ..{}", r_expr(b)));
            format!("(struct {} {{{fields}}}{base})", path.join("::"))
        }
        ExprKind::Block { block, label: l } => format!("{}{}", label(l), r_block(block)),
        ExprKind::OpaqueBlock(b) => format!("opaque{}", r_block(b)),
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            let els = else_branch
                .as_ref()
                .map_or(String::new(), |e| format!(" else {}", r_expr(e)));
            format!("(if {} {}{els})", r_expr(cond), r_block(then_branch))
        }
        ExprKind::Let { pat, expr } => format!("(let {} {})", r_pat(pat), r_expr(expr)),
        ExprKind::While {
            label: l,
            cond,
            body,
        } => {
            format!("({}while {} {})", label(l), r_expr(cond), r_block(body))
        }
        ExprKind::Loop { label: l, body } => format!("({}loop {})", label(l), r_block(body)),
        ExprKind::For {
            label: l,
            pat,
            iter,
            body,
        } => {
            format!(
                "({}for {} {} {})",
                label(l),
                r_pat(pat),
                r_expr(iter),
                r_block(body)
            )
        }
        ExprKind::Match { scrutinee, arms } => {
            let arms = list(
                arms,
                |a| {
                    let guard = a
                        .guard
                        .as_ref()
                        .map_or(String::new(), |g| format!(" if {}", r_expr(g)));
                    format!("({}{guard} => {})", r_pat(&a.pat), r_expr(&a.body))
                },
                " ",
            );
            format!("(match {} {arms})", r_expr(scrutinee))
        }
        ExprKind::Closure {
            is_move,
            params,
            ret,
            body,
            args: _,
        } => {
            let params = list(
                params,
                |p| match &p.ty {
                    Some(t) => format!("{}: {}", r_pat(&p.pat), r_ty(t)),
                    None => r_pat(&p.pat),
                },
                ", ",
            );
            let ret = ret
                .as_ref()
                .map_or(String::new(), |t| format!(" -> {}", r_ty(t)));
            format!(
                "({}|{params}|{ret} {})",
                if *is_move { "move " } else { "" },
                r_expr(body)
            )
        }
        ExprKind::Break { label, value } => {
            let l = label.as_ref().map_or(String::new(), |l| format!(" '{l}"));
            let v = value
                .as_ref()
                .map_or(String::new(), |v| format!(" {}", r_expr(v)));
            format!("(break{l}{v})")
        }
        ExprKind::Continue { label } => {
            format!(
                "(continue{})",
                label.as_ref().map_or(String::new(), |l| format!(" '{l}"))
            )
        }
        ExprKind::Return(v) => {
            format!(
                "(return{})",
                v.as_ref()
                    .map_or(String::new(), |v| format!(" {}", r_expr(v)))
            )
        }
        ExprKind::Try(e) => format!("(? {})", r_expr(e)),
        ExprKind::Await(e) => format!("(await {})", r_expr(e)),
        ExprKind::Range {
            start,
            end,
            inclusive,
        } => format!(
            "(range {} {} {})",
            start.as_ref().map_or("_".into(), |e| r_expr(e)),
            if *inclusive { "..=" } else { ".." },
            end.as_ref().map_or("_".into(), |e| r_expr(e))
        ),
        ExprKind::Cast(e, t) => format!("(as {} {})", r_expr(e), r_ty(t)),
        ExprKind::Macro(m) => {
            let args = match &m.args {
                MacroArgs::Exprs(xs) => format!("[{}]", list(xs, r_expr, ", ")),
                MacroArgs::Repeat(a, n) => format!("[{}; {}]", r_expr(a), r_expr(n)),
                MacroArgs::Tokens(ts) => {
                    format!("tokens[{}]", list(ts, |t| t.0.to_string(), " "))
                }
            };
            let fmt = if m.format_idents.is_empty() {
                String::new()
            } else {
                format!(" fmt[{}]", list(&m.format_idents, |t| t.0.to_string(), " "))
            };
            format!("({}! {args}{fmt})", m.name)
        }
        ExprKind::Unknown(ids) => {
            format!("(unknown{})", list(ids, |t| format!(" {}", t.0), ""))
        }
    }
}

fn r_pat(p: &Pat) -> String {
    match &p.kind {
        PatKind::Wild => "_".into(),
        PatKind::Rest => "..".into(),
        PatKind::Binding {
            by_ref,
            mutability,
            name,
            sub,
        } => {
            let r = match by_ref {
                Some(Mutability::Mut) => "ref mut ",
                Some(Mutability::Not) => "ref ",
                None => "",
            };
            let m = if *mutability == Mutability::Mut {
                "mut "
            } else {
                ""
            };
            let sub = sub
                .as_ref()
                .map_or(String::new(), |s| format!(" @ {}", r_pat(s)));
            format!("{r}{m}{name}{sub}")
        }
        PatKind::Tuple(ps) => format!("({})", list(ps, r_pat, ", ")),
        PatKind::TupleStruct { path, elems, .. } => {
            format!("{}({})", path.join("::"), list(elems, r_pat, ", "))
        }
        PatKind::Struct {
            path, fields, rest, ..
        } => {
            let mut fs: Vec<String> = fields
                .iter()
                .map(|(n, p)| match n {
                    FieldName::Named(n) => format!("{n}: {}", r_pat(p)),
                    FieldName::Index(i) => format!("{i}: {}", r_pat(p)),
                })
                .collect();
            if *rest {
                fs.push("..".into());
            }
            format!("{} {{{}}}", path.join("::"), fs.join(", "))
        }
        PatKind::Path(p) => p.join("::"),
        PatKind::Ref { mutability, pat } => {
            format!(
                "&{}{}",
                if *mutability == Mutability::Mut {
                    "mut "
                } else {
                    ""
                },
                r_pat(pat)
            )
        }
        PatKind::Lit => "lit".into(),
        PatKind::Range => "range".into(),
        PatKind::Or(ps) => list(ps, r_pat, " | "),
        PatKind::Slice(ps) => format!("[{}]", list(ps, r_pat, ", ")),
        PatKind::Unknown => "?".into(),
    }
}

pub(super) fn r_ty(t: &Type) -> String {
    match t {
        Type::Ref {
            lifetime,
            mutability,
            inner,
        } => format!(
            "&{}{}{}",
            lifetime
                .as_ref()
                .map_or(String::new(), |l| format!("'{l} ")),
            if *mutability == Mutability::Mut {
                "mut "
            } else {
                ""
            },
            r_ty(inner)
        ),
        Type::Ptr { mutability, inner } => {
            format!(
                "*{} {}",
                if *mutability == Mutability::Mut {
                    "mut"
                } else {
                    "const"
                },
                r_ty(inner)
            )
        }
        Type::Path { segments, args } if args.is_empty() => segments.join("::"),
        Type::Path { segments, args } => format!(
            "{}<{}>",
            segments.join("::"),
            list(
                args,
                |a| match a {
                    GenericArg::Lifetime(l) => format!("'{l}"),
                    GenericArg::Type(t) => r_ty(t),
                    GenericArg::Other => "other".into(),
                },
                ", "
            )
        ),
        Type::Tuple(ts) => format!("({})", list(ts, r_ty, ", ")),
        Type::Array(t, _) => format!("[{}; _]", r_ty(t)),
        Type::Slice(t) => format!("[{}]", r_ty(t)),
        Type::FnPtr(_) => "fn".into(),
        Type::ImplTrait(b, _) => format!("impl {}", b.join(" + ")),
        Type::DynTrait(b, _) => format!("dyn {}", b.join(" + ")),
        Type::Never => "!".into(),
        Type::Infer => "_".into(),
        Type::Unknown => "?".into(),
    }
}

pub(super) fn r_generics(g: &Generics) -> String {
    let mut parts: Vec<String> = g.lifetimes.iter().map(|l| format!("'{l}")).collect();
    for (n, b) in &g.types {
        parts.push(if b.is_empty() {
            n.to_string()
        } else {
            format!("{n}: {}", b.join(" + "))
        });
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("<{}>", parts.join(", "))
    }
}

pub(super) fn r_sig(f: &FnDef) -> String {
    let mut params = Vec::new();
    match &f.self_param {
        Some(SelfParam::Value { mutability, .. }) => {
            params.push(if *mutability == Mutability::Mut {
                "mut self".into()
            } else {
                "self".into()
            })
        }
        Some(SelfParam::Ref {
            mutability,
            lifetime,
            ..
        }) => params.push(format!(
            "&{}{}self",
            lifetime
                .as_ref()
                .map_or(String::new(), |l| format!("'{l} ")),
            if *mutability == Mutability::Mut {
                "mut "
            } else {
                ""
            }
        )),
        Some(SelfParam::Typed { mutability, ty, .. }) => params.push(format!(
            "{}self: {}",
            if *mutability == Mutability::Mut {
                "mut "
            } else {
                ""
            },
            r_ty(ty)
        )),
        None => {}
    }
    params.extend(
        f.params
            .iter()
            .map(|p| format!("{}: {}", r_pat(&p.pat), r_ty(&p.ty))),
    );
    let ret = f
        .ret
        .as_ref()
        .map_or(String::new(), |t| format!(" -> {}", r_ty(t)));
    let mut quals = String::new();
    if f.is_const {
        quals.push_str("const ");
    }
    if f.is_async {
        quals.push_str("async ");
    }
    if f.is_unsafe {
        quals.push_str("unsafe ");
    }
    format!(
        "{quals}fn {}{}({}){ret}",
        f.name,
        r_generics(&f.generics),
        params.join(", ")
    )
}
