//! The tests render the converted tree in a compact text form (`render`) and compare strings, so
//! that a failing case shows the whole shape at once.

mod render;

use super::*;
use crate::ast::*;
use render::*;
use std::fmt::Write;

fn fns(file: &SourceFile) -> Vec<&FnItem> {
    file.items
        .iter()
        .filter_map(|i| match i {
            Item::Fn(f) => Some(f),
            _ => None,
        })
        .collect()
}

/// Checks the rendering of the body of the first function in `src`.
fn check(src: &str, expect: &str) {
    let file = parse(src);
    let f = fns(&file).into_iter().next().expect("a function");
    let got = f.def.body.as_ref().map_or("none".into(), r_block);
    assert_eq!(got, expect, "\nsource: {src}");
}

/// Checks the rendering of an expression written as the tail of a function body.
fn check_expr(src: &str, expect: &str) {
    let text = format!("fn f() {{ {src} }}");
    let file = parse(&text);
    let f = fns(&file)[0];
    let body = f.def.body.as_ref().unwrap();
    let got = match (&body.tail, body.stmts.as_slice()) {
        (Some(t), []) => r_expr(t),
        _ => r_block(body),
    };
    assert_eq!(got, expect, "\nsource: {src}");
}

/// The text a span inside `f` points at.
fn at<'a>(text: &'a str, f: &FnItem, span: Span) -> &'a str {
    &text[(f.offset + span.start) as usize..(f.offset + span.end) as usize]
}

#[test]
fn method_call_vs_call() {
    check_expr("a.b(c)", "(mcall a b [c])");
    check_expr("(a.b)(c)", "(call (. a b) [c])");
    check_expr("a.b::<T>(c, d)", "(mcall a b [c, d])");
    check_expr("f(x)", "(call f [x])");
    check_expr("Foo::<u8>::new()", "(call Foo::new [])");
    check_expr(
        "std::mem::swap(&mut a, &mut b)",
        "(call std::mem::swap [(&mut a), (&mut b)])",
    );
    check_expr("<T as Default>::default()", "(call Default::default [])");
    check_expr("self.v.len()", "(mcall (. self v) len [])");
    check_expr("a.0.1", "(. (. a 0) 1)");
    check_expr("a.0(x)", "(call (. a 0) [x])");
    check_expr("v[i].f", "(. (index v i) f)");
}

#[test]
fn method_span_points_at_the_name() {
    let text = "// lead\nfn f() { let n = data.iter().count(); }";
    let file = parse(text);
    let f = fns(&file)[0];
    let Stmt::Let {
        init: Some(init),
        span,
        ..
    } = &f.def.body.as_ref().unwrap().stmts[0]
    else {
        panic!()
    };
    assert_eq!(at(text, f, *span), "let n = data.iter().count();");
    let ExprKind::MethodCall {
        receiver,
        method,
        method_span,
        ..
    } = &init.kind
    else {
        panic!()
    };
    assert_eq!(&**method, "count");
    assert_eq!(at(text, f, *method_span), "count");
    assert_eq!(at(text, f, receiver.span), "data.iter()");
    assert_eq!(at(text, f, f.def.name_span), "f");
}

#[test]
fn operators() {
    check_expr("a + b * c", "(Add a (Mul b c))");
    check_expr(
        "a == b && c != d || !e",
        "(Or (And (Eq a b) (Ne c d)) (Not e))",
    );
    check_expr("a <= b", "(Le a b)");
    check_expr("a >= b", "(Ge a b)");
    check_expr("a << 1 >> 2", "(Shr (Shl a Int) Int)");
    check_expr("x = y", "(= x y)");
    check_expr("x += 1", "(Add= x Int)");
    check_expr("x <<= 1", "(Shl= x Int)");
    check_expr("x |= y", "(BitOr= x y)");
    check_expr("*r = -x", "(= (Deref r) (Neg x))");
    check_expr("&x", "(& x)");
    check_expr("&mut x", "(&mut x)");
    check_expr("&raw const x", "(&raw const x)");
    check_expr("&raw mut x", "(&raw mut x)");
    check_expr("x as u8", "(as x u8)");
    check_expr("f()?", "(? (call f []))");
    check_expr("fut.await", "(await fut)");
    check_expr("((x))", "x");
}

#[test]
fn literals() {
    check_expr(
        r##"(1, 1.5, true, 'c', "s", r#"raw"#, b"bytes", br"raw", b'x', ())"##,
        "(tuple Int, Float, Bool, Char, Str, Str, ByteStr, ByteStr, Byte, (tuple ))",
    );
    check_expr("[1, 2]", "[Int, Int]");
    check_expr("[0u8; N]", "[Int; N]");
}

#[test]
fn ranges() {
    check_expr("a..b", "(range a .. b)");
    check_expr("..=b", "(range _ ..= b)");
    check_expr(
        "f(..=b, a..=b)",
        "(call f [(range _ ..= b), (range a ..= b)])",
    );
    check_expr("x = ..", "(= x (range _ .. _))");
    check_expr("a..", "(range a .. _)");
    check_expr("..", "(range _ .. _)");
}

#[test]
fn struct_literals() {
    check_expr("S { x, y: 1, ..base }", "(struct S {x: x, y: Int} ..base)");
    check_expr("m::S::<T> { 0: a }", "(struct m::S {0: a})");
    let text = "fn f() { S { count } }";
    let file = parse(text);
    let f = fns(&file)[0];
    let ExprKind::Struct { fields, .. } = &f.def.body.as_ref().unwrap().tail.as_ref().unwrap().kind
    else {
        panic!()
    };
    assert_eq!(at(text, f, fields[0].1.span), "count");
}

#[test]
fn blocks_and_tails() {
    check("fn f() { a; b }", "{a; b}");
    check("fn f() { if a { b } c }", "{(if a {b})~ c}");
    check("fn f() { if a { b } }", "{(if a {b})}");
    check("fn f() { if a { b }; }", "{(if a {b});}");
    check("fn f() { loop {} ; }", "{(loop {});}");
    check("fn f() { loop {} x }", "{(loop {})~ x}");
    check("fn f() { unsafe { x } }", "{unsafe{x}}");
    check("fn f() { async { x }.await }", "{(await opaque{x})}");
    check("fn f() { const { 1 } }", "{opaque{Int}}");
    check("fn f() { 'a: { break 'a 5 } }", "{'a: {(break 'a Int)}}");
    check("fn f() { m!{ x } y }", "{(m! [x]); y}");
    check(
        "fn f() { use std::mem; #[allow(x)] let a = 1; }",
        "{item let a = Int;}",
    );
}

#[test]
fn lets() {
    check(
        "fn f() { let mut x: Vec<u8> = v; let (a, ref b) = t; let Some(y) = o else { return }; let z; }",
        "{let mut x: Vec<u8> = v; let (a, ref b) = t; let Some(y) = o else {(return)}; let z;}",
    );
}

#[test]
fn if_let_chains_and_loops() {
    check_expr("if let Some(x) = y {}", "(if (let Some(x) y) {})");
    check_expr(
        "if let Some(x) = y && let z = w && q { } else if c { } else { }",
        "(if (And (And (let Some(x) y) (let z w)) q) {} else (if c {} else {}))",
    );
    check_expr(
        "while let Some(x) = it.next() { }",
        "(while (let Some(x) (mcall it next [])) {})",
    );
    check_expr(
        "'outer: loop { continue 'outer; }",
        "('outer: loop {(continue 'outer);})",
    );
    check_expr(
        "'l: for (i, x) in v.iter().enumerate() { break 'l; }",
        "('l: for (i, x) (mcall (mcall v iter []) enumerate []) {(break 'l);})",
    );
    check_expr("'w: while a { break }", "('w: while a {(break)})");
    check_expr("if a { } else /* c */ { b } /* d */", "(if a {} else {b})");
    check_expr("loop { break 'a x }", "(loop {(break 'a x)})");
}

#[test]
fn matches() {
    check_expr(
        "match x { A | B::C if c > 0 => 1, Some(ref mut y) => { 2 } _ => 3 }",
        "(match x (A | B::C if (Gt c Int) => Int) (Some(ref mut y) => {Int}) (_ => Int))",
    );
    check_expr(
        "match x { Some(y) if let Ok(z) = y => z, _ => 0 }",
        "(match x (Some(y) if (let Ok(z) y) => z) (_ => Int))",
    );
}

#[test]
fn closures() {
    check_expr("|x| x + 1", "(|x| (Add x Int))");
    check_expr(
        "move |a: u8, mut b| -> u8 { a }",
        "(move |a: u8, mut b| -> u8 {a})",
    );
    check_expr("|| ()", "(|| (tuple ))");
    check_expr("|&(a, b)| a", "(|&(a, b)| a)");
}

#[test]
fn assorted_expressions() {
    check_expr("(a).b()", "(mcall a b [])");
    check_expr(
        "x.iter().collect::<Vec<_>>()",
        "(mcall (mcall x iter []) collect [])",
    );
    check_expr("Self { x }", "(struct Self {x: x})");
    check_expr("Self::new(Self(1))", "(call Self::new [(call Self [Int])])");
    check_expr("a.await?.b", "(. (? (await a)) b)");
    check_expr("crate::m::f()", "(call crate::m::f [])");
    check_expr("super::f()", "(call super::f [])");
    check_expr("<Vec<u8>>::new()", "(call Vec::new [])");
    check_expr(
        "let x = loop { break 5; };",
        "{let x = (loop {(break Int);});}",
    );
    check_expr("return", "(return)");
    check_expr("return x", "(return x)");
    check_expr("let _ = r#type;", "{let _ = type;}");
    check_expr(
        "|(a, b): (u8, u8), [c, rest @ ..]: [u8; 3]| a",
        "(|(a, b): (u8, u8), [c, rest @ ..]: [u8; _]| a)",
    );
    check_expr("-1i32.abs()", "(Neg (mcall Int abs []))");
    check_expr("!matches!(x, A)", "(Not (matches! [x, A]))");
    check_expr("yield x", "(unknown x)");
    check_expr("try { a? }", "opaque{(? a)}");
}

#[test]
fn patterns() {
    check(
        "fn f() { let (mut a, ref b, ref mut c, d @ Some(_), &mut e, [f, .., g], S { h, ref mut i, j: k, .. }, m::N, -1, 1..=2, T(..)) = x; }",
        "{let (mut a, ref b, ref mut c, d @ Some(_), &mut e, [f, .., g], S {h: h, i: ref mut i, j: k, ..}, m::N, lit, range, T(..)) = x;}",
    );
    check_expr(
        "match x { None => 0, (1 | 2, 'a'..='z') => 1 }",
        "(match x (None => Int) ((lit | lit, range) => Int))",
    );
}

#[test]
fn macros() {
    let text = "fn f() {\n    println!(\"{x} {}\", y);\n}";
    let file = parse(text);
    let f = fns(&file)[0];
    let body = f.def.body.as_ref().unwrap();
    assert_eq!(r_block(body), "{(println! [Str, y] fmt[x]);}");
    let Stmt::Expr { expr, .. } = &body.stmts[0] else {
        panic!()
    };
    let ExprKind::Macro(m) = &expr.kind else {
        panic!()
    };
    let MacroArgs::Exprs(args) = &m.args else {
        panic!()
    };
    assert_eq!(at(text, f, args[0].span), "\"{x} {}\"");
    assert_eq!(at(text, f, args[1].span), "y");
    assert_eq!(at(text, f, m.format_idents[0].1), "x");
    assert_eq!(at(text, f, expr.span), "println!(\"{x} {}\", y)");

    check_expr("vec![a; n]", "(vec! [a; n])");
    check_expr("vec![a, b.c()]", "(vec! [a, (mcall b c [])])");
    check_expr("vec![]", "(vec! [])");
    check_expr(
        "format!(\"{a:?} {b:>5} {{c}} {0} {d:w$.p$} {:.*}\", e, f)",
        "(format! [Str, e, f] fmt[a b d w p])",
    );
    check_expr(
        "println!(\"{x} {y}\", x = 1 + z)",
        "(println! [Str, (Add Int z)] fmt[y])",
    );
    check_expr("write!(f, \"{v}\")", "(write! [f, Str] fmt[v])");
    check_expr(
        "assert!(a == b, \"{m}\")",
        "(assert! [(Eq a b), Str] fmt[m])",
    );
    check_expr(
        "assert_eq!(a, b, \"{m}\")",
        "(assert_eq! [a, b, Str] fmt[m])",
    );
    check_expr("std::println!(r#\"{q}\"#)", "(println! [Str] fmt[q])");
    check_expr("panic!(\"\\u{1F600} {z}\")", "(panic! [Str] fmt[z])");
    check_expr("m!(a => b, c)", "(m! tokens[a b c])");
    check_expr("println!(\"{a}\", x => y)", "(println! tokens[x y] fmt[a])");
    check_expr("vec![vec![x; 2]; 3]", "(vec! [(vec! [x; Int]); Int])");
    check_expr("matches!(x, Some(_))", "(matches! [x, (call Some [_])])");
    check_expr("matches!(x, Some(_) if y)", "(matches! tokens[x Some y])");
    check_expr("m!(|x| x)", "(m! [(|x| x)])");
    check_expr("m!(&&x, || y, -a as i8, !b, *c, a.b, x?, [1][0], S { a: 1 }, 'l')", "(m! [(& (& x)), (|| y), (as (Neg a) i8), (Not b), (Deref c), (. a b), (? x), (index [Int] Int), (struct S {a: Int}), Char])");
    check_expr(
        "info!(name: \"n\", ?x, y = %z)",
        "(info! tokens[name x y z])",
    );
    check_expr(
        "parenthesized!(content in input)",
        "(parenthesized! tokens[content input])",
    );
    check_expr("m!(struct s)", "(m! tokens[s])");
}

#[test]
fn token_and_simple_macro_spans() {
    let text = "fn f() { m!(a => self.bb, r#cc 'l in u8); vec![x; 10]; assert!(ok, \"{why}\"); }";
    let file = parse(text);
    let f = fns(&file)[0];
    let body = f.def.body.as_ref().unwrap();
    let macro_of = |i: usize| match &body.stmts[i] {
        Stmt::Expr {
            expr: Expr {
                kind: ExprKind::Macro(m),
                ..
            },
            ..
        } => m.clone(),
        other => panic!("{other:?}"),
    };
    let MacroArgs::Tokens(tokens) = macro_of(0).args else {
        panic!()
    };
    let names: Vec<(&str, &str)> = tokens
        .iter()
        .map(|(n, s)| (&**n, at(text, f, *s)))
        .collect();
    assert_eq!(
        names,
        [("a", "a"), ("self", "self"), ("bb", "bb"), ("cc", "r#cc")]
    );
    let MacroArgs::Repeat(elem, len) = macro_of(1).args else {
        panic!()
    };
    assert_eq!((at(text, f, elem.span), at(text, f, len.span)), ("x", "10"));
    let assert = macro_of(2);
    let MacroArgs::Exprs(args) = &assert.args else {
        panic!()
    };
    assert_eq!(at(text, f, args[0].span), "ok");
    assert_eq!(at(text, f, assert.format_idents[0].1), "why");
}

#[test]
fn nested_macro_spans() {
    let text = "fn g() {}\nfn f() { assert!(v.contains(&format!(\"{k}\", )), \"{n}\"); }";
    let file = parse(text);
    let f = fns(&file)[1];
    let Stmt::Expr { expr, .. } = &f.def.body.as_ref().unwrap().stmts[0] else {
        panic!()
    };
    let ExprKind::Macro(m) = &expr.kind else {
        panic!()
    };
    assert_eq!(at(text, f, m.format_idents[0].1), "n");
    let MacroArgs::Exprs(args) = &m.args else {
        panic!()
    };
    let ExprKind::MethodCall {
        args: inner,
        method_span,
        ..
    } = &args[0].kind
    else {
        panic!()
    };
    assert_eq!(at(text, f, *method_span), "contains");
    let ExprKind::Ref { expr: fmt, .. } = &inner[0].kind else {
        panic!()
    };
    let ExprKind::Macro(m2) = &fmt.kind else {
        panic!()
    };
    assert_eq!(at(text, f, m2.format_idents[0].1), "k");
    assert_eq!(at(text, f, fmt.span), "format!(\"{k}\", )");
}

#[test]
fn signatures_and_generics() {
    let src = r#"
        #[inline(always)]
        #[test]
        pub(crate) const unsafe fn g<'a, T: Clone + ?Sized + 'a, U, const N: usize>(self: Box<Self>, x: &'a mut T, (a, b): (u8, i8), _: impl Fn(u8) -> u8) -> Option<&'a [T; N]> where U: Copy + std::fmt::Debug, for<'b> &'b T: Sized {}
        async fn h(&'a mut self, mut v: Vec<_>, p: *const u8, q: *mut u8, d: &dyn Tr, e: Box<Tr + Send>, n: !, f: fn(u8), s: &[u8], q2: <T as X>::Y) {}
        fn i(mut self) {}
        fn j(&self) -> Self {}
    "#;
    let file = parse(src);
    let got: Vec<String> = fns(&file).iter().map(|f| r_sig(&f.def)).collect();
    assert_eq!(
        got,
        [
            "const unsafe fn g<'a, T: Clone + ?Sized + 'a, U: Copy + Debug>(self: Box<Self>, x: &'a mut T, (a, b): (u8, i8), _: impl Fn) -> Option<&'a [T; _]>",
            "async fn h(&'a mut self, mut v: Vec<_>, p: *const u8, q: *mut u8, d: &dyn Tr, e: Box<dyn Tr + Send>, n: !, f: fn, s: &[u8], q2: ?)",
            "fn i(mut self)",
            "fn j(&self) -> Self",
        ]
    );
    let g = fns(&file)[0];
    assert_eq!(
        g.def.attrs.iter().map(|a| &**a).collect::<Vec<_>>(),
        ["inline(always)", "test"]
    );
    assert!(src[g.offset as usize..].starts_with("pub(crate) const unsafe fn g"));
    assert_eq!(
        &src[(g.offset + g.len) as usize - 2..(g.offset + g.len) as usize],
        "{}"
    );
    let Some(SelfParam::Typed { span, .. }) = &g.def.self_param else {
        panic!()
    };
    assert_eq!(at(src, g, *span), "self: Box<Self>");
    assert_eq!(at(src, g, g.def.params[1].span), "(a, b): (u8, i8)");
}

#[test]
fn types() {
    let src =
        "fn f(a: &dyn for<'a> Fn(&'a u8), b: &'static str, c: Box<dyn Error + Send + 'static>, \
               d: HashMap<K, V, S>, e: Option<Box<dyn Iterator<Item = u8>>>, g: <T as Tr>::Out, \
               h: [[u8; 2]; 3], i: &mut [&'a mut T], j: *mut *const u8, k: m!(), l: fn(u8) -> u8, \
               m: (), n: (u8,), o: Self, p: std::vec::Vec<i32>) -> impl Fn() + 'a {}";
    let file = parse(src);
    assert_eq!(
        r_sig(&fns(&file)[0].def),
        "fn f(a: &dyn Fn, b: &'static str, c: Box<dyn Error + Send + 'static>, d: HashMap<K, V, S>, \
         e: Option<Box<dyn Iterator>>, g: ?, h: [[u8; _]; _], i: &mut [&'a mut T], j: *mut *const u8, \
         k: ?, l: fn, m: (), n: (u8), o: Self, p: std::vec::Vec<i32>) -> impl Fn + 'a"
    );
    let Type::Path { args, .. } = &fns(&file)[0].def.params[4].ty else {
        panic!()
    };
    let GenericArg::Type(Type::Path { args, .. }) = &args[0] else {
        panic!()
    };
    let GenericArg::Type(Type::DynTrait(bounds, _)) = &args[0] else {
        panic!("{args:?}")
    };
    assert_eq!(
        bounds.iter().map(|b| &**b).collect::<Vec<_>>(),
        ["Iterator"]
    );
}

#[test]
fn items_and_containers() {
    let src = r#"
        #[derive(Clone, std::fmt::Debug)]
        struct P<T> { x: i32, y: T }
        #[derive(Copy)]
        struct T2(u8, pub String);
        struct U;
        enum E<'a> { A, B(&'a str), C { v: Vec<u8> } }
        trait Tr: Clone + m::Other<X> + 'static { fn req(&self); fn def(&self) -> u8 { 1 } }
        impl<T> Tr for P<T> where T: Copy { type Out = u8; fn req(&self) {} }
        impl !Send for U {}
        mod m {
            mod n { fn deep() {} }
            impl super::U { fn new() -> Self { U } }
        }
        fn outer() {
            let a = 1;
            fn inner() { struct Local; fn innermost() {} }
            impl U { fn in_fn(&self) {} }
        }
        extern "C" { fn ext(); }
        macro_rules! m { () => { fn from_macro() {} } }
        pub use self::m::{n::{self, deep as d}, *};
        use ::std::collections::HashMap as _;
        use crate::E::{A, B};
        #[cfg(test)]
        #[path = "other.rs"]
        mod tests;
        const K: u8 = 1;
        extern crate alloc as a;
        fn uses() { use E::*; const L: u8 = 2; }
    "#;
    let file = parse(src);
    let mut got = Vec::new();
    for item in &file.items {
        let c = |c: &Container| {
            let mut s = String::new();
            if !c.modules.is_empty() {
                write!(s, " mod={}", c.modules.join("::")).unwrap();
            }
            if let Some(t) = &c.impl_self {
                write!(s, " impl={}", r_ty(t)).unwrap();
            }
            if let Some(t) = &c.impl_trait {
                write!(s, " for={t}").unwrap();
            }
            if let Some(t) = &c.trait_name {
                write!(s, " trait={t}").unwrap();
            }
            if !c.parent_fns.is_empty() {
                write!(s, " in={}", c.parent_fns.join("/")).unwrap();
            }
            s
        };
        got.push(match item {
            Item::Fn(f) => format!(
                "fn {}{}{}",
                f.def.name,
                if f.def.body.is_none() { ";" } else { "" },
                c(&f.container)
            ),
            Item::Struct(s) => {
                let fields = match &s.fields {
                    Fields::Named(fs) => format!(
                        "{{{}}}",
                        list(fs, |(n, t)| format!("{n}: {}", r_ty(t)), ", ")
                    ),
                    Fields::Tuple(ts) => format!("({})", list(ts, r_ty, ", ")),
                    Fields::Unit => String::new(),
                };
                format!(
                    "struct {}{}{fields} derives={:?}{}",
                    s.name,
                    r_generics(&s.generics),
                    s.derives,
                    c(&s.container)
                )
            }
            Item::Enum(e) => format!(
                "enum {}{} [{}]{}",
                e.name,
                r_generics(&e.generics),
                list(
                    &e.variants,
                    |(n, f)| match f {
                        Fields::Named(fs) => format!(
                            "{n}{{{}}}",
                            list(fs, |(n, t)| format!("{n}: {}", r_ty(t)), ", ")
                        ),
                        Fields::Tuple(ts) => format!("{n}({})", list(ts, r_ty, ", ")),
                        Fields::Unit => n.to_string(),
                    },
                    " "
                ),
                c(&e.container)
            ),
            Item::Impl(i) => format!(
                "impl{} {}{} {} assoc=[{}]{}",
                r_generics(&i.generics),
                if i.negative { "!" } else { "" },
                i.trait_name.as_deref().unwrap_or("-"),
                r_ty(&i.self_ty),
                list(&i.assoc_types, |(n, t)| format!("{n}={}", r_ty(t)), ", "),
                c(&i.container)
            ),
            Item::Trait(t) => format!(
                "trait {}{} supers={:?}{}",
                t.name,
                r_generics(&t.generics),
                t.supertraits,
                c(&t.container)
            ),
            Item::TypeAlias(a) => format!(
                "type {}{} = {}{}",
                a.name,
                r_generics(&a.generics),
                r_ty(&a.ty),
                c(&a.container)
            ),
            Item::Static(s) => format!(
                "static {}{}: {}{}",
                if s.mutable { "mut " } else { "" },
                s.name,
                r_ty(&s.ty),
                c(&s.container)
            ),
            Item::Use(u) => format!(
                "use{} {}{}",
                if u.is_pub { " pub" } else { "" },
                list(
                    &u.imports,
                    |i| format!(
                        "{}{}{}",
                        i.path.join("::"),
                        if i.glob { "::*" } else { "" },
                        i.alias
                            .as_ref()
                            .map(|a| format!(" as {a}"))
                            .unwrap_or_default()
                    ),
                    ", "
                ),
                c(&u.container)
            ),
            Item::Mod(m) => format!(
                "mod {}{} attrs={:?}{}",
                m.name,
                if m.inline { " {}" } else { ";" },
                m.attrs,
                c(&m.container)
            ),
            Item::Const(k) => format!("const {}{}", k.name, c(&k.container)),
            Item::ExternCrate(e) => format!(
                "extern crate {}{}{}",
                e.name,
                e.alias
                    .as_ref()
                    .map(|a| format!(" as {a}"))
                    .unwrap_or_default(),
                c(&e.container)
            ),
            Item::MacroCall(m) => format!(
                "{}{}!({}){}",
                if m.qualified { "path::" } else { "" },
                m.name,
                m.text,
                c(&m.container)
            ),
            Item::MacroRules(r) => format!(
                "macro_rules! {} rules={} attrs={:?}{}",
                r.name,
                r.rules.rules.len(),
                r.attrs,
                c(&r.container)
            ),
        });
    }
    assert_eq!(
        got,
        [
            "struct P<T>{x: i32, y: T} derives=[\"Clone\", \"Debug\"]",
            "struct T2(u8, String) derives=[\"Copy\"]",
            "struct U derives=[]",
            "enum E<'a> [A B(&'a str) C{v: Vec<u8>}]",
            "trait Tr supers=[\"Clone\", \"Other\"]",
            "fn req; trait=Tr",
            "fn def trait=Tr",
            "impl<T: Copy> Tr P<T> assoc=[Out=u8]",
            "fn req impl=P<T> for=Tr",
            "impl !Send U assoc=[]",
            "mod m {} attrs=[]",
            "mod n {} attrs=[] mod=m",
            "fn deep mod=m::n",
            "impl - super::U assoc=[] mod=m",
            "fn new mod=m impl=super::U",
            "fn outer",
            "fn inner in=outer",
            "struct Local derives=[] in=outer/inner",
            "fn innermost in=outer/inner",
            "impl - U assoc=[] in=outer",
            "fn in_fn impl=U in=outer",
            "macro_rules! m rules=1 attrs=[]",
            "use pub self::m::n::self, self::m::n::deep as d, self::m::*",
            "use std::collections::HashMap as _",
            "use crate::E::A, crate::E::B",
            r#"mod tests; attrs=["cfg(test)", "path = \"other.rs\""]"#,
            "const K",
            "extern crate alloc as a",
            "fn uses",
            "use E::* in=uses",
            "const L in=uses",
        ]
    );
    let outer = fns(&file)
        .into_iter()
        .find(|f| &*f.def.name == "outer")
        .unwrap();
    let body = outer.def.body.as_ref().unwrap();
    assert_eq!(r_block(body), "{let a = Int; item item}");
    let Stmt::Item(span) = body.stmts[1] else {
        panic!()
    };
    assert!(at(src, outer, span).starts_with("fn inner() {"));
    // Nested functions have their own offsets: their spans are relative to themselves.
    let inner = fns(&file)
        .into_iter()
        .find(|f| &*f.def.name == "inner")
        .unwrap();
    assert_eq!(at(src, inner, inner.def.name_span), "inner");
    assert_eq!(
        &src[inner.offset as usize..(inner.offset + inner.len) as usize],
        "fn inner() { struct Local; fn innermost() {} }"
    );
}

#[test]
fn functions_nested_in_macro_arguments_are_hoisted_with_file_offsets() {
    let src = "fn f() { run!({ fn helper(x: u8) -> u8 { x } helper(1) }); }";
    let file = parse(src);
    let names: Vec<&str> = fns(&file).iter().map(|f| &*f.def.name).collect();
    assert_eq!(names, ["f", "helper"]);
    let h = fns(&file)[1];
    assert_eq!(
        &src[h.offset as usize..(h.offset + h.len) as usize],
        "fn helper(x: u8) -> u8 { x }"
    );
    assert_eq!(at(src, h, h.def.params[0].span), "x: u8");
    assert_eq!(
        h.container
            .parent_fns
            .iter()
            .map(|n| &**n)
            .collect::<Vec<_>>(),
        ["f"]
    );
}

#[test]
fn spans_are_relative_to_the_function() {
    let src = "// é ü non-ASCII first\nstruct S;\n#[test]\nfn t() {\n    let s = \"héllo\";\n    let n = s.len() + other;\n    n\n}\n";
    let file = parse(src);
    let f = fns(&file)[0];
    assert!(src[f.offset as usize..].starts_with("fn t()"));
    let body = f.def.body.as_ref().unwrap();
    assert_eq!(
        at(src, f, body.span),
        &src[f.offset as usize + 7..(f.offset + f.len) as usize]
    );
    let Stmt::Let {
        pat,
        init: Some(init),
        ..
    } = &body.stmts[1]
    else {
        panic!()
    };
    assert_eq!(at(src, f, pat.span), "n");
    assert_eq!(at(src, f, init.span), "s.len() + other");
    let ExprKind::Binary(_, _, r) = &init.kind else {
        panic!()
    };
    assert_eq!(at(src, f, r.span), "other");
    assert_eq!(at(src, f, body.tail.as_ref().unwrap().span), "n");
}

#[test]
fn broken_input_does_not_panic() {
    let inputs = [
        "fn f() { let x = ; foo(a b); x. ; if { } match y { => } }",
        "fn f( { let",
        "fn f() { S { a: , .. }; [1; ]; |x| ; a.b::<>(); &raw; }",
        "fn f() { println!(\"{\", x); vec![; 3]; m!(; }",
        "impl { fn g(&self) { self.x } } }}}} fn h() { h() }",
        "fn f() -> { 'a: loop { break 'a } } struct { } enum E { A( }",
        "fn 𝔣() { let ü = \"\\u{}\"; ü.ä() }",
        "\u{feff}#![x] fn f() { r#\"unterminated",
        "fn f() { let x = || -> ; for in {} while let = {} }",
        "fn f() { a = b = ; x += ; -; *; !; }",
        "",
        "}",
        "fn",
        "fn f() { println!(\"{x:\") }",
    ];
    for text in inputs {
        let file = parse(text);
        for f in fns(&file) {
            assert!((f.offset + f.len) as usize <= text.len());
        }
    }
    let file = parse("fn f() { let x = ; let y = 2; g(a b); }");
    let f = fns(&file)[0];
    assert_eq!(
        f.def.body.as_ref().unwrap().stmts.len(),
        3,
        "{:?}",
        f.def.body
    );
}

#[test]
fn broken_statements_keep_their_identifiers() {
    let file = parse("fn f() { let v = vec![1]; let r = &v; foo(v r); r; }");
    let f = fns(&file)[0];
    let rendered = r_block(f.def.body.as_ref().unwrap());
    assert!(rendered.contains("(unknown"), "{rendered}");
    assert!(
        rendered.contains(" v") && rendered.contains(" r"),
        "{rendered}"
    );
}

/// Runs `f` on a thread with the stack size test threads usually get, so that the depth cap is
/// checked against a realistic stack rather than the main thread's.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn deep_nesting_is_capped() {
    on_small_stack(|| {
        for (open, close) in [
            ("(", ")"),
            ("[", "]"),
            ("{", "}"),
            ("-", ""),
            ("&", ""),
            ("|x| ", ""),
        ] {
            let depth = 20_000;
            let text = format!(
                "fn f() {{ let x = {}a{}; }}",
                open.repeat(depth),
                close.repeat(depth)
            );
            let file = parse(&text);
            assert_eq!(fns(&file).len(), 1);
        }
        let text = format!("fn f() {{ {} }}", "a + ".repeat(20_000) + "a");
        parse(&text);
        let text = format!(
            "fn f() {{ {} }}",
            "vec![".repeat(2_000) + &"]".repeat(2_000)
        );
        parse(&text);
        let text = format!(
            "fn f() {{ {} {} }}",
            "if a { 1 } else ".repeat(5_000),
            "{ 2 }"
        );
        parse(&text);
        let text = format!(
            "fn f() {{ match x {{ {} => 1 }} }}",
            "A | ".repeat(20_000) + "B"
        );
        let file = parse(&text);
        let body = fns(&file)[0].def.body.as_ref().unwrap();
        let ExprKind::Match { arms, .. } = &body.tail.as_ref().unwrap().kind else {
            panic!()
        };
        let PatKind::Or(alts) = &arms[0].pat.kind else {
            panic!()
        };
        assert_eq!(alts.len(), 20_001);
        let text = format!("fn f(x: {}u8{}) {{}}", "&".repeat(5_000), "");
        parse(&text);
        let text = format!(
            "fn f(x: {}u8{}) {{}}",
            "Vec<".repeat(5_000),
            ">".repeat(5_000)
        );
        parse(&text);
        let text = format!("fn f() {{ {}a; }}", "a::".repeat(20_000));
        parse(&text);
        let text = "mod m { ".repeat(3_000) + "fn f() {}" + &"}".repeat(3_000);
        parse(&text);
        let text = "fn f() { ".repeat(3_000) + &"}".repeat(3_000);
        parse(&text);
    });
}

#[test]
fn corpus_parses() {
    let files = crate::base::corpus_files();
    if files.is_empty() {
        eprintln!("no corpus beside the repository; skipped");
        return;
    }
    on_small_stack(move || {
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let file = parse(&text);
            for f in fns(&file) {
                assert!(
                    (f.offset + f.len) as usize <= text.len(),
                    "{}: {}",
                    path.display(),
                    f.def.name
                );
                assert!(text.is_char_boundary(f.offset as usize));
            }
        }
    });
}

#[test]
fn a_dependency_s_text_keeps_its_signatures_and_drops_bodies_and_comments() {
    let text = r#"pub trait T {
    /// Documented.
    fn declared(&self) -> u8;
    fn provided(&self) -> u8 { let s = "}{"; let c = '}'; 1 }
}
pub fn f<const N: usize>(x: [u8; N], g: fn(u8) -> u8) -> Option<&'static str>
where
    u8: Copy,
{
    // a } in a comment
    if x.len() > 0 { Some("{") } else { None }
}
impl S {
    pub fn m(&mut self) -> &mut u8 { &mut self.0 }
    pub fn r(self, r: std::ops::Range<usize>) -> impl Iterator<Item = u8> + 'static { r.map(|_| 0) }
}
struct S(u8);
pub const TABLE: &[(char, char)] = &[('a', 'b'), ('c', 'd')];
pub(crate) static mut COUNT: Option<Vec<u8>> = None;
struct Arr<const N: usize = 3>([u8; N]);
const fn k() -> u8 { 1 }
trait U { const C: u8; const D: u8 = 2; }
"#;
    let compact = lexer::signatures_text(text);
    assert!(
        !compact.contains("('a', 'b')") && !compact.contains("None"),
        "{compact}"
    );
    assert!(
        compact.contains("pub const TABLE: &[(char, char)] = 0;")
            && compact.contains("static mut COUNT: Option<Vec<u8>> = 0;")
            && compact.contains("struct Arr<const N: usize = 3>")
            && compact.contains("const fn k() -> u8 {}")
            && compact.contains("const C: u8; const D: u8 = 0;"),
        "{compact}"
    );
    assert!(!compact.contains("let s") && !compact.contains("Some(") && !compact.contains("//"));
    assert!(compact.contains("fn declared(&self) -> u8;"), "{compact}");
    assert!(compact.contains("std::ops::Range<usize>"), "{compact}");
    assert!(compact.contains("{}"), "{compact}");
    // The signatures of the signatures-only parse are those of the full parse; the bodies and
    // the items are those of the text.
    let full = parse(text);
    let sigs = parse_signatures(text).unwrap();
    // Compared without their spans, which are offsets in two different texts.
    let entries = |f: &SourceFile| -> Vec<String> {
        fns(f)
            .into_iter()
            .map(|it| {
                let mut d = (*it.def).clone();
                d.body = None;
                let text = format!("{d:?} {:?}", it.container);
                let mut out = String::new();
                let mut rest = text.as_str();
                while let Some(i) = rest.find("Span {") {
                    out.push_str(&rest[..i]);
                    rest = &rest[i..];
                    rest = &rest[rest.find('}').map_or(rest.len(), |j| j + 1)..];
                }
                out.push_str(rest);
                out
            })
            .collect()
    };
    assert_eq!(entries(&sigs), entries(&full));
    assert_eq!(
        fns(&sigs).iter().map(|f| &*f.def.name).collect::<Vec<_>>(),
        ["declared", "provided", "f", "m", "r", "k"]
    );
    assert!(fns(&sigs).iter().all(|it| it.def.body.is_none()));
    assert_eq!(sigs.items.len(), full.items.len());
}
