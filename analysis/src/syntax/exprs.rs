//! Blocks, statements (`let`, `let else`, items in bodies) and expressions: operators, calls and
//! method calls, struct literals, `if` with `let` chains, loops, `match` arms, closures.

use std::sync::Arc;

use tree_sitter::Node;

use super::cx::{mut_if, Cx};
use super::kinds::{Kids, K};
use super::patterns::set_mut;
use crate::ast::{
    Arm, BinOp, Block, ClosureParam, Expr, ExprKind, FieldName, Lit, Pat, PatKind, Span, Stmt, UnOp,
};

impl<'t, 's> Cx<'t, 's> {
    // ---- Blocks and statements -----------------------------------------------------------

    pub(super) fn block(&mut self, node: Node<'t>) -> Block {
        let span = self.span(node);
        if node.is_missing() || !self.enter() {
            let stmts = vec![Stmt::Expr {
                expr: self.unknown(node),
                has_semi: true,
            }];
            return Block {
                span,
                stmts,
                tail: None,
                is_unsafe: false,
            };
        }
        let kids = self.push_kids(node);
        // The tail is the last statement-like child, when it is an expression without `;`.
        let last = kids.iter().rev().find(|&i| {
            !matches!(
                self.kids[i].kind,
                K::Anon | K::Label | K::AttributeItem | K::InnerAttributeItem
            )
        });
        let mut stmts = Vec::new();
        let mut tail = None;
        let mut attrs_start = None;
        for i in kids.iter() {
            let k = self.kid(i);
            let is_last = Some(i) == last;
            if k.kind == K::AttributeItem {
                attrs_start.get_or_insert(i);
                continue;
            }
            let attrs_start = attrs_start.take();
            // A statement under `#[cfg]` may not exist in the build: say so.
            if let Some(a) = attrs_start {
                let cfg = self.kids[a..i].iter().any(|k| {
                    let t = self.text(k.node);
                    t.starts_with("#[cfg(") || t.starts_with("#[cfg (")
                });
                if cfg {
                    stmts.push(Stmt::Cfg(self.span(k.node)));
                }
            }
            match k.kind {
                K::Anon | K::Label | K::InnerAttributeItem | K::EmptyStatement => {}
                K::ExpressionStatement => {
                    let (expr, mut has_semi) = self.expr_stmt(k.node);
                    // `if c { .. };` parses as the `if` followed by an empty statement.
                    has_semi |= i + 1 < kids.end && self.kids[i + 1].kind == K::EmptyStatement;
                    if !has_semi && is_last {
                        tail = Some(Box::new(expr));
                    } else {
                        stmts.push(Stmt::Expr { expr, has_semi });
                    }
                }
                K::LetDeclaration => {
                    let stmt = self.let_stmt(k.node);
                    stmts.push(stmt);
                }
                kind if kind.is_hoisted_item() => {
                    stmts.push(Stmt::Item(self.span(k.node)));
                    let attrs: Vec<Node<'t>> = match attrs_start {
                        Some(s) => self.kids[s..i].iter().map(|k| k.node).collect(),
                        None => Vec::new(),
                    };
                    self.item(k, &attrs);
                }
                kind if kind.is_other_item() => stmts.push(Stmt::Item(self.span(k.node))),
                K::Error => {
                    let expr = self.unknown(k.node);
                    stmts.push(Stmt::Expr {
                        expr,
                        has_semi: true,
                    });
                }
                // A macro in statement position (`m! { .. }`) is a statement of its own.
                K::MacroInvocation if !is_last => {
                    let expr = self.expr(k.node);
                    stmts.push(Stmt::Expr {
                        expr,
                        has_semi: true,
                    });
                }
                _ => {
                    let expr = self.expr(k.node);
                    if is_last {
                        tail = Some(Box::new(expr));
                    } else {
                        stmts.push(Stmt::Expr {
                            expr,
                            has_semi: false,
                        });
                    }
                }
            }
        }
        self.pop_kids(kids);
        self.leave();
        Block {
            span,
            stmts,
            tail,
            is_unsafe: false,
        }
    }

    fn expr_stmt(&mut self, node: Node<'t>) -> (Expr, bool) {
        let kids = self.push_kids(node);
        let has_semi = self.has_anon(kids, ";");
        let inner = self.first_named(kids);
        let broken = self.has_error(kids);
        self.pop_kids(kids);
        let expr = match inner {
            Some(e) if !broken => self.expr(e),
            _ => self.unknown(node),
        };
        (expr, has_semi)
    }

    fn let_stmt(&mut self, node: Node<'t>) -> Stmt {
        let span = self.span(node);
        let f = &self.g.f;
        let kids = self.push_kids(node);
        let is_mut = self.first_of(kids, K::MutableSpecifier).is_some();
        let pat = self.field(kids, f.pattern);
        let ty = self.field(kids, f.type_);
        let value = self.field(kids, f.value);
        let alternative = self.field(kids, f.alternative);
        let errors: Vec<Node<'t>> = self.kids[kids.start..kids.end]
            .iter()
            .filter(|k| k.kind == K::Error)
            .map(|k| k.node)
            .collect();
        self.pop_kids(kids);
        let mut pat = match pat {
            Some(p) => self.pat(p),
            None => Pat {
                span,
                kind: PatKind::Unknown,
            },
        };
        if is_mut {
            set_mut(&mut pat);
        }
        let ty_span = ty.map(|t| self.span(t));
        let ty = ty.map(|t| self.ty(t));
        let init = if errors.is_empty() {
            value.map(|v| self.expr(v))
        } else {
            // Broken initialisers keep what they mention, so that uses are not lost.
            let mut idents = Vec::new();
            let mut span = None::<Span>;
            for n in value.into_iter().chain(errors) {
                let s = self.span(n);
                span = Some(span.map_or(s, |sp| sp.to(s)));
                self.idents_into(n, &mut idents);
            }
            span.map(|span| Expr {
                span,
                kind: ExprKind::Unknown(idents),
            })
        };
        let else_block = alternative.map(|b| Box::new(self.block(b)));
        Stmt::Let {
            pat,
            ty,
            ty_span,
            init,
            else_block,
            span,
        }
    }

    // ---- Expressions ---------------------------------------------------------------------

    pub(super) fn expr(&mut self, node: Node<'t>) -> Expr {
        if node.is_missing() {
            return Expr {
                span: self.span(node),
                kind: ExprKind::Unknown(Vec::new()),
            };
        }
        if !self.enter() {
            return self.unknown(node);
        }
        let expr = self.expr_inner(node);
        self.leave();
        expr
    }

    /// Dispatches on the node kind. Every kind with children is converted by its own method:
    /// in unoptimised builds a function's frame holds the locals of all its branches, and one
    /// big match here would make each level of expression nesting cost many kilobytes of stack.
    fn expr_inner(&mut self, node: Node<'t>) -> Expr {
        let span = self.span(node);
        let kind = self.kind(node);
        match kind {
            K::ParenthesizedExpression => return self.parenthesized(node),
            K::LetCondition | K::LetChain => return self.cond(node),
            K::Block => return self.block_expr(node),
            _ => {}
        }
        if let Some(kind) = self.leaf_expr(node, kind) {
            return Expr { span, kind };
        }
        let kids = self.push_kids(node);
        let broken =
            self.has_error(kids) && !matches!(kind, K::ArrayExpression | K::TupleExpression);
        let converted = if broken {
            None
        } else {
            self.compound_expr(node, kind, kids)
        };
        self.pop_kids(kids);
        match converted {
            Some(kind) => Expr { span, kind },
            None => self.unknown(node),
        }
    }

    /// Expressions without children worth visiting.
    fn leaf_expr(&mut self, node: Node<'t>, kind: K) -> Option<ExprKind> {
        let text = self.text(node);
        Some(match kind {
            K::Identifier => ExprKind::Path(vec![self.ident(node)]),
            K::SelfKw | K::Crate | K::Super => ExprKind::Path(vec![Arc::from(text)]),
            K::StringLiteral if text.starts_with('b') => ExprKind::Lit(Lit::ByteStr),
            K::StringLiteral => ExprKind::Lit(Lit::Str),
            K::RawStringLiteral if text.starts_with("br") => ExprKind::Lit(Lit::ByteStr),
            K::RawStringLiteral => ExprKind::Lit(Lit::Str),
            K::CharLiteral if text.starts_with('b') => ExprKind::Lit(Lit::Byte),
            K::CharLiteral => ExprKind::Lit(Lit::Char),
            K::BooleanLiteral => ExprKind::Lit(Lit::Bool),
            K::IntegerLiteral => ExprKind::Lit(Lit::Int),
            K::FloatLiteral => ExprKind::Lit(Lit::Float),
            K::UnitExpression => ExprKind::Tuple(Vec::new()),
            K::Error | K::Other | K::Anon | K::Metavariable | K::Comment | K::Comment2 => {
                ExprKind::Unknown(self.idents(node))
            }
            _ => return None,
        })
    }

    fn compound_expr(&mut self, node: Node<'t>, kind: K, kids: Kids) -> Option<ExprKind> {
        match kind {
            K::ScopedIdentifier => {
                let path = self.path_segments(node, true)?;
                self.note_path_args(node);
                Some(ExprKind::Path(path))
            }
            K::GenericFunction => self.generic_function(node, kids),
            K::UnaryExpression => self.unary(kids),
            K::ReferenceExpression => self.reference(kids),
            K::BinaryExpression | K::CompoundAssignmentExpr => self.binary(kind, kids),
            K::AssignmentExpression => self.assignment(kids),
            K::CallExpression => self.call(kids),
            K::FieldExpression => self.field_expr(kids),
            K::IndexExpression => self.index(kids),
            K::TupleExpression => Some(ExprKind::Tuple(self.expr_list(kids))),
            K::ArrayExpression => self.array(kids),
            K::StructExpression => self.struct_expr(kids),
            K::UnsafeBlock => self.unsafe_block(kids),
            K::AsyncBlock | K::GenBlock | K::TryBlock | K::ConstBlock => self.opaque_block(kids),
            K::IfExpression => self.if_expr(kids),
            K::MatchExpression => self.match_expr(kids),
            K::WhileExpression => self.while_expr(kids),
            K::LoopExpression => self.loop_expr(kids),
            K::ForExpression => self.for_expr(kids),
            K::ClosureExpression => Some(self.closure(node, kids)),
            K::BreakExpression => Some(self.break_expr(kids)),
            K::ContinueExpression => Some(ExprKind::Continue {
                label: self.label_of(kids),
            }),
            K::ReturnExpression => Some(ExprKind::Return(self.boxed_operand(kids))),
            K::TryExpression => self.boxed_operand(kids).map(ExprKind::Try),
            K::AwaitExpression => self.boxed_operand(kids).map(ExprKind::Await),
            K::RangeExpression => Some(self.range(kids)),
            K::TypeCastExpression => self.cast(kids),
            K::MacroInvocation => self.macro_invocation(kids),
            // `yield` and anything this converter does not know.
            _ => None,
        }
    }

    fn parenthesized(&mut self, node: Node<'t>) -> Expr {
        let kids = self.push_kids(node);
        let inner = self.first_named(kids).filter(|_| !self.has_error(kids));
        self.pop_kids(kids);
        match inner {
            Some(e) => self.expr(e),
            None => self.unknown(node),
        }
    }

    fn block_expr(&mut self, node: Node<'t>) -> Expr {
        let span = self.span(node);
        let label = node
            .named_child(0)
            .filter(|n| self.kind(*n) == K::Label)
            .map(|l| self.label_name(l));
        Expr {
            span,
            kind: ExprKind::Block {
                block: self.block(node),
                label,
            },
        }
    }

    fn boxed(&mut self, node: Node<'t>) -> Box<Expr> {
        Box::new(self.expr(node))
    }

    /// The first operand among `kids`, converted.
    fn boxed_operand(&mut self, kids: Kids) -> Option<Box<Expr>> {
        self.first_named(kids).map(|e| self.boxed(e))
    }

    fn generic_function(&mut self, node: Node<'t>, kids: Kids) -> Option<ExprKind> {
        let func = self.field(kids, self.g.f.function)?;
        if self.kind(func) == K::FieldExpression {
            // `a.b::<T>` that is not called: a field access with stray generic arguments.
            return Some(self.expr(func).kind);
        }
        let path = self.path_segments(func, true)?;
        self.note_path_args(node);
        Some(ExprKind::Path(path))
    }

    /// Keeps the generic arguments written on a path used as a value (`FnDef::path_args`).
    fn note_path_args(&mut self, node: Node<'t>) {
        let args = self.call_path_args(node);
        if !args.all.is_empty() || args.qself.is_some() {
            let span = self.span(node);
            self.path_args.push((span, args));
        }
    }

    fn unary(&mut self, kids: Kids) -> Option<ExprKind> {
        let op = self.kids[kids.start..kids.end]
            .iter()
            .find(|k| k.kind == K::Anon)?;
        let op = match self.text(op.node) {
            "-" => UnOp::Neg,
            "*" => UnOp::Deref,
            "!" => UnOp::Not,
            _ => return None,
        };
        Some(ExprKind::Unary(op, self.boxed_operand(kids)?))
    }

    fn reference(&mut self, kids: Kids) -> Option<ExprKind> {
        let raw = self.has_anon(kids, "raw");
        let is_mut = self.first_of(kids, K::MutableSpecifier).is_some();
        let value = self.field(kids, self.g.f.value)?;
        Some(ExprKind::Ref {
            mutability: mut_if(is_mut),
            raw,
            expr: self.boxed(value),
        })
    }

    fn binary(&mut self, kind: K, kids: Kids) -> Option<ExprKind> {
        let f = &self.g.f;
        let left = self.field(kids, f.left)?;
        let right = self.field(kids, f.right)?;
        let op_node = self.field(kids, f.operator)?;
        let op = self.text(op_node);
        // The grammar reads `break *r` as the product `(break) * r` (and `break -x`, `break &x`
        // likewise); rustc reads a `break` with the value `*r`.
        if kind == K::BinaryExpression
            && matches!(op, "*" | "-" | "&")
            && self.kind(left) == K::BreakExpression
        {
            let op = op.to_string();
            let b = self.boxed(left);
            if let ExprKind::Break { label, value: None } = b.kind {
                let r = self.boxed(right);
                let span = Span::new(self.span(op_node).start, r.span.end);
                let kind = match &*op {
                    "*" => ExprKind::Unary(UnOp::Deref, r),
                    "-" => ExprKind::Unary(UnOp::Neg, r),
                    _ => ExprKind::Ref {
                        mutability: crate::ast::Mutability::Not,
                        raw: false,
                        expr: r,
                    },
                };
                return Some(ExprKind::Break {
                    label,
                    value: Some(Box::new(Expr { span, kind })),
                });
            }
            return None;
        }
        // Compound assignments are the binary operator followed by `=`.
        let op = match kind {
            K::CompoundAssignmentExpr => bin_op(op.strip_suffix('=')?)?,
            _ => bin_op(op)?,
        };
        let (l, r) = (self.boxed(left), self.boxed(right));
        Some(match kind {
            K::CompoundAssignmentExpr => ExprKind::CompoundAssign(op, l, r),
            _ => ExprKind::Binary(op, l, r),
        })
    }

    fn assignment(&mut self, kids: Kids) -> Option<ExprKind> {
        let left = self.field(kids, self.g.f.left)?;
        let right = self.field(kids, self.g.f.right)?;
        // The grammar has no prefix `..=`: `..=b` parses as the assignment `.. = b`.
        let prefix_inclusive_range = self.kind(left) == K::RangeExpression
            && left.named_child_count() == 0
            && self
                .text
                .get(left.end_byte().saturating_sub(2)..left.end_byte() + 1)
                == Some("..=");
        if prefix_inclusive_range {
            return Some(ExprKind::Range {
                start: None,
                end: Some(self.boxed(right)),
                inclusive: true,
            });
        }
        Some(ExprKind::Assign(self.boxed(left), self.boxed(right)))
    }

    /// `a.b(c)` is a call of a field expression in tree-sitter-rust; it becomes a method call.
    /// `(a.b)(c)` keeps its parentheses in the tree and stays a call of a field.
    fn call(&mut self, kids: Kids) -> Option<ExprKind> {
        let f = &self.g.f;
        let func = self.field(kids, f.function)?;
        let args = self.field(kids, f.arguments);
        let method = match self.kind(func) {
            K::FieldExpression => Some(func),
            K::GenericFunction => func
                .child_by_field_id(f.function)
                .filter(|n| self.kind(*n) == K::FieldExpression),
            _ => None,
        };
        if let Some(m) = method.filter(|m| !m.has_error()) {
            let value = m.child_by_field_id(f.value);
            let name = m
                .child_by_field_id(f.field)
                .filter(|n| self.kind(*n) == K::FieldIdentifier);
            if let (Some(value), Some(name)) = (value, name) {
                let receiver = self.boxed(value);
                let method = self.ident(name);
                let method_span = self.span(name);
                let args = self.args(args);
                let generics = if self.kind(func) == K::GenericFunction {
                    func.child_by_field_id(f.type_arguments)
                        .map(|a| self.generic_args(a))
                        .unwrap_or_default()
                } else {
                    Vec::new()
                };
                return Some(ExprKind::MethodCall {
                    receiver,
                    method,
                    method_span,
                    args,
                    generics,
                });
            }
        }
        if func.is_missing() {
            return None;
        }
        let generics = Box::new(self.call_path_args(func));
        let func = self.boxed(func);
        Some(ExprKind::Call(func, self.args(args), generics))
    }

    fn field_expr(&mut self, kids: Kids) -> Option<ExprKind> {
        let value = self.field(kids, self.g.f.value)?;
        let name = self.field_name(self.field(kids, self.g.f.field)?)?;
        Some(ExprKind::Field(self.boxed(value), name))
    }

    fn index(&mut self, kids: Kids) -> Option<ExprKind> {
        let mut operands = self.kids[kids.start..kids.end]
            .iter()
            .filter(|k| k.kind != K::Anon)
            .map(|k| k.node);
        let (a, b) = (operands.next()?, operands.next()?);
        Some(ExprKind::Index(self.boxed(a), self.boxed(b)))
    }

    fn array(&mut self, kids: Kids) -> Option<ExprKind> {
        let Some(len) = self.field(kids, self.g.f.length) else {
            return Some(ExprKind::Array(self.expr_list(kids)));
        };
        let elem = self.first_named(kids).filter(|e| *e != len)?;
        Some(ExprKind::ArrayRepeat(self.boxed(elem), self.boxed(len)))
    }

    fn unsafe_block(&mut self, kids: Kids) -> Option<ExprKind> {
        let mut block = self.block(self.first_of(kids, K::Block)?);
        block.is_unsafe = true;
        Some(ExprKind::Block { block, label: None })
    }

    fn opaque_block(&mut self, kids: Kids) -> Option<ExprKind> {
        let block = self.first_of(kids, K::Block)?;
        Some(ExprKind::OpaqueBlock(self.block(block)))
    }

    fn if_expr(&mut self, kids: Kids) -> Option<ExprKind> {
        let f = &self.g.f;
        let cond = self.field(kids, f.condition)?;
        let then = self.field(kids, f.consequence)?;
        let alt = self.field(kids, f.alternative);
        let cond = Box::new(self.cond(cond));
        let then_branch = self.block(then);
        let else_branch = alt.map(|a| Box::new(self.else_clause(a)));
        Some(ExprKind::If {
            cond,
            then_branch,
            else_branch,
        })
    }

    fn match_expr(&mut self, kids: Kids) -> Option<ExprKind> {
        let value = self.field(kids, self.g.f.value)?;
        let body = self.field(kids, self.g.f.body);
        let scrutinee = self.boxed(value);
        let arms = body.map_or_else(Vec::new, |b| self.arms(b));
        Some(ExprKind::Match { scrutinee, arms })
    }

    fn while_expr(&mut self, kids: Kids) -> Option<ExprKind> {
        let label = self.label_of(kids);
        let cond = self.field(kids, self.g.f.condition)?;
        let body = self.field(kids, self.g.f.body)?;
        let cond = Box::new(self.cond(cond));
        Some(ExprKind::While {
            label,
            cond,
            body: self.block(body),
        })
    }

    fn loop_expr(&mut self, kids: Kids) -> Option<ExprKind> {
        let label = self.label_of(kids);
        let body = self.field(kids, self.g.f.body)?;
        Some(ExprKind::Loop {
            label,
            body: self.block(body),
        })
    }

    fn for_expr(&mut self, kids: Kids) -> Option<ExprKind> {
        let label = self.label_of(kids);
        let pat = self.field(kids, self.g.f.pattern)?;
        let value = self.field(kids, self.g.f.value)?;
        let body = self.field(kids, self.g.f.body)?;
        let pat = self.pat(pat);
        let iter = self.boxed(value);
        Some(ExprKind::For {
            label,
            pat,
            iter,
            body: self.block(body),
        })
    }

    fn closure(&mut self, node: Node<'t>, kids: Kids) -> ExprKind {
        let f = &self.g.f;
        let is_move = self.has_anon(kids, "move");
        let params = self.field(kids, f.parameters);
        let args = params.map_or_else(|| self.span(node), |p| self.span(p));
        let ret = self.field(kids, f.return_type);
        let body = self.field(kids, f.body);
        let params = params.map_or_else(Vec::new, |p| self.closure_params(p));
        let ret = ret.map(|t| self.ty(t));
        let body = match body {
            // `|x| _` (a `_` body) occurs in macro-generated code only.
            Some(b) if self.kind(b) != K::Anon => self.boxed(b),
            _ => Box::new(Expr {
                span: self.span(node),
                kind: ExprKind::Unknown(Vec::new()),
            }),
        };
        ExprKind::Closure {
            is_move,
            args,
            params,
            ret,
            body,
        }
    }

    fn break_expr(&mut self, kids: Kids) -> ExprKind {
        let label = self.label_of(kids);
        let value = self.boxed_operand(kids);
        ExprKind::Break { label, value }
    }

    fn range(&mut self, kids: Kids) -> ExprKind {
        let op = kids.iter().find(|&i| self.kids[i].kind == K::Anon);
        let inclusive = op.is_some_and(|i| matches!(self.text(self.kids[i].node), "..=" | "..."));
        let op = op.unwrap_or(kids.end);
        let start = kids
            .iter()
            .find(|&i| i < op && self.kids[i].kind != K::Anon)
            .map(|i| self.kids[i].node);
        let end = kids
            .iter()
            .find(|&i| i > op && self.kids[i].kind != K::Anon)
            .map(|i| self.kids[i].node);
        let start = start.map(|e| self.boxed(e));
        let end = end.map(|e| self.boxed(e));
        ExprKind::Range {
            start,
            end,
            inclusive,
        }
    }

    fn cast(&mut self, kids: Kids) -> Option<ExprKind> {
        let value = self.field(kids, self.g.f.value)?;
        let ty = self.field(kids, self.g.f.type_)?;
        let value = self.boxed(value);
        Some(ExprKind::Cast(value, self.ty(ty)))
    }

    fn macro_invocation(&mut self, kids: Kids) -> Option<ExprKind> {
        let f = &self.g.f;
        let name = self.field(kids, f.macro_)?;
        let qualified = self.kind(name) == K::ScopedIdentifier;
        let name = match self.kind(name) {
            K::ScopedIdentifier => name.child_by_field_id(f.name)?,
            _ => name,
        };
        let tt = self.first_of(kids, K::TokenTree)?;
        let name = self.ident(name);
        let mut call = self.macro_call(name, tt);
        if let ExprKind::Macro(m) = &mut call {
            m.qualified = qualified;
        }
        Some(call)
    }

    fn field_name(&self, node: Node<'t>) -> Option<FieldName> {
        match self.kind(node) {
            K::FieldIdentifier | K::Identifier => Some(FieldName::Named(self.ident(node))),
            K::IntegerLiteral => self.text(node).parse().ok().map(FieldName::Index),
            _ => None,
        }
    }

    /// Converts the expressions among `kids` (a list: arguments, tuple or array elements);
    /// `ERROR` children become `Unknown` elements.
    fn expr_list(&mut self, kids: Kids) -> Vec<Expr> {
        let mut out = Vec::new();
        for i in kids.iter() {
            let k = self.kid(i);
            match k.kind {
                K::Anon | K::AttributeItem => {}
                K::Error => {
                    let e = self.unknown(k.node);
                    out.push(e);
                }
                _ => {
                    let e = self.expr(k.node);
                    out.push(e);
                }
            }
        }
        out
    }

    fn args(&mut self, node: Option<Node<'t>>) -> Vec<Expr> {
        let Some(node) = node else { return Vec::new() };
        let kids = self.push_kids(node);
        let args = self.expr_list(kids);
        self.pop_kids(kids);
        args
    }

    fn struct_expr(&mut self, kids: Kids) -> Option<ExprKind> {
        let name = self.field(kids, self.g.f.name)?;
        let body = self.field(kids, self.g.f.body);
        let path = self.path_segments(name, true)?;
        let generics = self.path_generic_args(name);
        let mut fields = Vec::new();
        let mut base = None;
        if let Some(body) = body {
            let kids = self.push_kids(body);
            for i in kids.iter() {
                let k = self.kid(i);
                match k.kind {
                    K::ShorthandFieldInitializer => {
                        if let Some(id) = k
                            .node
                            .named_child((k.node.named_child_count() as u32).saturating_sub(1))
                        {
                            if self.kind(id) == K::Identifier {
                                let name = self.ident(id);
                                let expr = Expr {
                                    span: self.span(id),
                                    kind: ExprKind::Path(vec![name.clone()]),
                                };
                                fields.push((FieldName::Named(name), expr));
                            }
                        }
                    }
                    K::FieldInitializer => {
                        let field = k.node.child_by_field_id(self.g.f.field);
                        let value = k.node.child_by_field_id(self.g.f.value);
                        let name = field.and_then(|fl| self.field_name(fl));
                        match (name, value) {
                            (Some(name), Some(v)) => {
                                let e = self.expr(v);
                                fields.push((name, e));
                            }
                            _ => {
                                let e = self.unknown(k.node);
                                fields.push((FieldName::Named(Arc::from("")), e));
                            }
                        }
                    }
                    K::BaseFieldInitializer => {
                        if let Some(e) = k.node.named_child(0) {
                            base = Some(Box::new(self.expr(e)));
                        }
                    }
                    K::Error => {
                        let e = self.unknown(k.node);
                        fields.push((FieldName::Named(Arc::from("")), e));
                    }
                    _ => {}
                }
            }
            self.pop_kids(kids);
        }
        Some(ExprKind::Struct {
            path,
            fields,
            base,
            generics,
        })
    }

    fn else_clause(&mut self, node: Node<'t>) -> Expr {
        let kids = self.push_kids(node);
        let inner = self.first_named(kids).filter(|_| !self.has_error(kids));
        self.pop_kids(kids);
        match inner {
            Some(inner) => self.expr(inner),
            None => self.unknown(node),
        }
    }

    /// An `if`/`while` condition or match guard: `let` conditions become `Let`, and let chains a
    /// left-nested `Binary(And, ..)`.
    fn cond(&mut self, node: Node<'t>) -> Expr {
        match self.kind(node) {
            K::LetCondition => {
                if !self.enter() {
                    return self.unknown(node);
                }
                let span = self.span(node);
                let pat = node.child_by_field_id(self.g.f.pattern);
                let value = node.child_by_field_id(self.g.f.value);
                let kind = match (pat, value) {
                    (Some(p), Some(v)) if !node.has_error() => {
                        let pat = self.pat(p);
                        ExprKind::Let {
                            pat,
                            expr: Box::new(self.expr(v)),
                        }
                    }
                    _ => ExprKind::Unknown(self.idents(node)),
                };
                self.leave();
                Expr { span, kind }
            }
            K::LetChain => {
                if node.has_error() || !self.enter() {
                    return self.unknown(node);
                }
                let kids = self.push_kids(node);
                let mut acc: Option<Expr> = None;
                for i in kids.iter() {
                    let k = self.kid(i);
                    if k.kind == K::Anon {
                        continue;
                    }
                    let e = self.cond(k.node);
                    acc = Some(match acc {
                        None => e,
                        Some(l) => Expr {
                            span: l.span.to(e.span),
                            kind: ExprKind::Binary(BinOp::And, Box::new(l), Box::new(e)),
                        },
                    });
                }
                self.pop_kids(kids);
                self.leave();
                acc.unwrap_or_else(|| self.unknown(node))
            }
            _ => self.expr(node),
        }
    }

    fn arms(&mut self, node: Node<'t>) -> Vec<Arm> {
        let mut arms = Vec::new();
        let kids = self.push_kids(node);
        for i in kids.iter() {
            let k = self.kid(i);
            if k.kind != K::MatchArm {
                continue;
            }
            let span = self.span(k.node);
            let ak = self.push_kids(k.node);
            let mp = self.field(ak, self.g.f.pattern);
            let value = self.field(ak, self.g.f.value);
            let broken = self.has_error(ak);
            self.pop_kids(ak);
            let (pat, guard) = match mp {
                Some(mp) => self.match_pattern(mp),
                None => (
                    Pat {
                        span,
                        kind: PatKind::Unknown,
                    },
                    None,
                ),
            };
            let body = match value {
                Some(v) if !broken => self.expr(v),
                _ => self.unknown(k.node),
            };
            arms.push(Arm {
                pat,
                guard,
                body,
                span,
            });
        }
        self.pop_kids(kids);
        arms
    }

    fn match_pattern(&mut self, node: Node<'t>) -> (Pat, Option<Expr>) {
        let kids = self.push_kids(node);
        let cond = self.field(kids, self.g.f.condition);
        let pat = kids
            .iter()
            .map(|i| self.kids[i])
            .find(|k| k.field != self.g.f.condition && self.is_pat_kid(*k))
            .map(|k| k.node);
        self.pop_kids(kids);
        let pat = match pat {
            Some(p) => self.pat(p),
            None => Pat {
                span: self.span(node),
                kind: PatKind::Unknown,
            },
        };
        let guard = cond.map(|c| self.cond(c));
        (pat, guard)
    }

    fn closure_params(&mut self, node: Node<'t>) -> Vec<ClosureParam> {
        let mut params = Vec::new();
        let kids = self.push_kids(node);
        for i in kids.iter() {
            let k = self.kid(i);
            if k.kind == K::Parameter {
                let pk = self.push_kids(k.node);
                let is_mut = self.first_of(pk, K::MutableSpecifier).is_some();
                let pat = self.field(pk, self.g.f.pattern);
                let ty = self.field(pk, self.g.f.type_);
                self.pop_kids(pk);
                let mut pat = match pat {
                    Some(p) => self.pat(p),
                    None => Pat {
                        span: self.span(k.node),
                        kind: PatKind::Unknown,
                    },
                };
                if is_mut {
                    set_mut(&mut pat);
                }
                let ty = ty.map(|t| self.ty(t));
                params.push(ClosureParam { pat, ty });
            } else if self.is_pat_kid(k) {
                let pat = self.pat(k.node);
                params.push(ClosureParam { pat, ty: None });
            }
        }
        self.pop_kids(kids);
        params
    }
}

fn bin_op(op: &str) -> Option<BinOp> {
    Some(match op {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "%" => BinOp::Rem,
        "&&" => BinOp::And,
        "||" => BinOp::Or,
        "&" => BinOp::BitAnd,
        "|" => BinOp::BitOr,
        "^" => BinOp::BitXor,
        "<<" => BinOp::Shl,
        ">>" => BinOp::Shr,
        "==" => BinOp::Eq,
        "!=" => BinOp::Ne,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        _ => return None,
    })
}
