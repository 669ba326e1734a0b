//! The converter: `Cx` walks one tree (the file's, or a macro's reparsed arguments) and `Shared`
//! holds what a whole conversion shares (its items, caches, depth). Here are the depth and stack
//! checks and the small helpers every rule uses: the kid stack, spans, names and identifiers.

use std::sync::Arc;

use tree_sitter::{Node, Parser, TreeCursor};

use super::cache::ConvertCache;
use super::kinds::{grammar, Grammar, Kid, Kids, K};
use super::{MAX_DEPTH, STACK_BUDGET};
use crate::ast::{Container, Expr, ExprKind, Item, Mutability, Name, PathArgs, Span};

pub(super) struct Shared {
    pub(super) items: Vec<Item>,
    /// Last conversion's items, and this one's (its `text` is set at the end).
    pub(super) cache_old: ConvertCache,
    pub(super) cache_new: ConvertCache,
    /// Whether this conversion fills `cache_new`: a text converted once (a batch check, a
    /// fresh parse) has no use for it.
    pub(super) caching: bool,
    /// A parser for macro arguments, made on first use and reused for every macro of the file
    /// (and, through the cache, of the next conversion).
    pub(super) parser: Option<Parser>,
    /// Nesting depth of the conversion, counted across reparsed macro arguments.
    pub(super) depth: u32,
    /// How many reparsed macro arguments enclose the node being converted.
    pub(super) macro_nesting: u32,
    /// The container of the last function converted, for the next ones in the same impl, trait
    /// or module to share.
    pub(super) last_container: Option<Arc<Container>>,
    /// The stack position when the conversion started, to measure `STACK_BUDGET` against.
    pub(super) stack_start: usize,
    /// Functions are converted without their bodies (a dependency's file, read for its
    /// signatures).
    pub(super) signatures_only: bool,
    /// Converting a macro's expansion: where its text came from (`abs` positions are the
    /// expansion's).
    pub(super) map: Option<SpanMap>,
    /// Whether `enter` refused once (`MAX_DEPTH` or `STACK_BUDGET` reached).
    pub(super) limited: bool,
}

/// Where the text of an expansion came from: runs copied from the invocation's tokens, with
/// their place relative to the function; the rest (the macro's own tokens) is the invocation's.
#[derive(Debug, Default)]
pub(super) struct SpanMap {
    /// `(start, end, origin)`: expansion text `start..end` is the function's `origin..`; sorted.
    pub(super) runs: Vec<(u32, u32, u32)>,
    pub(super) call: Span,
}

impl SpanMap {
    fn run(&self, pos: u32, at_end: bool) -> Option<&(u32, u32, u32)> {
        let i = self.runs.partition_point(|r| r.1 < pos);
        self.runs[i..].iter().take(2).find(|r| {
            if at_end {
                r.0 < pos && pos <= r.1
            } else {
                r.0 <= pos && pos <= r.1
            }
        })
    }

    fn start(&self, pos: u32) -> u32 {
        self.run(pos, false)
            .map_or(self.call.start, |r| r.2 + (pos - r.0))
    }

    fn end(&self, pos: u32) -> u32 {
        self.run(pos, true)
            .map_or(self.call.end, |r| r.2 + (pos - r.0))
    }
}

/// An address on the current stack frame: the distance between two of them is the stack used in
/// between. Only addresses are compared; nothing is read through them.
#[inline(always)]
pub(super) fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// The converter for one tree: the file's, or the reparse of one macro's arguments.
pub(super) struct Cx<'t, 's> {
    pub(super) g: &'static Grammar,
    pub(super) text: &'t str,
    cursor: TreeCursor<'t>,
    /// Children of the nodes being converted, innermost last. Each function pushes the children
    /// it needs, reads them by index (they are `Copy`) and truncates back when done, so that
    /// walking a tree allocates no vector per node.
    pub(super) kids: Vec<Kid<'t>>,
    /// Absolute offset of the function whose spans are being built.
    pub(super) base: i64,
    /// What to add to a position in `text` to get a position in the file: 0 for the file itself,
    /// the shift of the inner text for reparsed macro arguments.
    pub(super) delta: i64,
    pub(super) container: Container,
    pub(super) sh: &'s mut Shared,
    /// The generic arguments of the paths used as values in the function being converted
    /// (`FnDef::path_args`).
    pub(super) path_args: Vec<(Span, PathArgs)>,
}

impl<'t, 's> Cx<'t, 's> {
    pub(super) fn new(
        text: &'t str,
        root: Node<'t>,
        base: i64,
        delta: i64,
        container: Container,
        sh: &'s mut Shared,
    ) -> Self {
        Cx {
            g: grammar(),
            text,
            cursor: root.walk(),
            // Grown as the nesting needs: a conversion of a macro's arguments needs few.
            kids: Vec::with_capacity(32),
            base,
            delta,
            container,
            sh,
            path_args: Vec::new(),
        }
    }

    // ---- Small helpers -------------------------------------------------------------------

    pub(super) fn kind(&self, node: Node) -> K {
        self.g.kind(node)
    }

    pub(super) fn text(&self, node: Node) -> &'t str {
        self.text
            .get(node.start_byte()..node.end_byte())
            .unwrap_or("")
    }

    pub(super) fn name(&self, node: Node) -> Name {
        Arc::from(self.text(node))
    }

    /// An identifier's name; raw identifiers (`r#type`) lose their prefix, as in rustc.
    pub(super) fn ident(&self, node: Node) -> Name {
        let t = self.text(node);
        Arc::from(t.strip_prefix("r#").unwrap_or(t))
    }

    pub(super) fn abs(&self, pos: usize) -> i64 {
        pos as i64 + self.delta
    }

    pub(super) fn rel(&self, pos: usize) -> u32 {
        let rel = (self.abs(pos) - self.base).clamp(0, u32::MAX as i64) as u32;
        match &self.sh.map {
            Some(m) => m.start(rel),
            None => rel,
        }
    }

    /// `rel` for the end of a range: text made by a macro ends where its invocation ends.
    pub(super) fn rel_end(&self, pos: usize) -> u32 {
        let rel = (self.abs(pos) - self.base).clamp(0, u32::MAX as i64) as u32;
        match &self.sh.map {
            Some(m) => m.end(rel),
            None => rel,
        }
    }

    /// Where `start..end` begins, if the whole range has one place in the function.
    pub(super) fn rel_exact(&self, start: usize, end: usize) -> Option<u32> {
        let a = (self.abs(start) - self.base).clamp(0, u32::MAX as i64) as u32;
        let b = (self.abs(end) - self.base).clamp(0, u32::MAX as i64) as u32;
        match &self.sh.map {
            Some(m) => m
                .runs
                .iter()
                .find(|r| r.0 <= a && b <= r.1)
                .map(|r| r.2 + (a - r.0)),
            None => Some(a),
        }
    }

    pub(super) fn span(&self, node: Node) -> Span {
        Span {
            start: self.rel(node.start_byte()),
            end: self.rel_end(node.end_byte()),
        }
    }

    /// The current container, shared with the functions before when equal to theirs.
    pub(super) fn shared_container(&mut self) -> Arc<Container> {
        match &self.sh.last_container {
            Some(c) if **c == self.container => c.clone(),
            _ => {
                let c = Arc::new(self.container.clone());
                self.sh.last_container = Some(c.clone());
                c
            }
        }
    }

    pub(super) fn enter(&mut self) -> bool {
        if self.sh.depth >= MAX_DEPTH
            || self.sh.stack_start.abs_diff(stack_position()) > STACK_BUDGET
        {
            self.sh.limited = true;
            return false;
        }
        self.sh.depth += 1;
        true
    }

    pub(super) fn leave(&mut self) {
        self.sh.depth = self.sh.depth.saturating_sub(1);
    }

    /// Pushes the children of `node` on the kid stack, comments left out.
    pub(super) fn push_kids(&mut self, node: Node<'t>) -> Kids {
        let start = self.kids.len();
        self.cursor.reset(node);
        if self.cursor.goto_first_child() {
            loop {
                let n = self.cursor.node();
                let kind = self.g.kind(n);
                // Extras are comments, and the tokens error recovery skipped, which come wrapped
                // in an `ERROR` that is kept because its identifiers matter.
                if kind != K::Comment {
                    let field = self.cursor.field_id().map_or(0, |f| f.get());
                    self.kids.push(Kid {
                        node: n,
                        kind,
                        field,
                    });
                }
                if !self.cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        Kids {
            start,
            end: self.kids.len(),
        }
    }

    pub(super) fn pop_kids(&mut self, kids: Kids) {
        self.kids.truncate(kids.start);
    }

    pub(super) fn kid(&self, i: usize) -> Kid<'t> {
        self.kids[i]
    }

    pub(super) fn field(&self, kids: Kids, field: u16) -> Option<Node<'t>> {
        self.kids[kids.start..kids.end]
            .iter()
            .find(|k| k.field == field)
            .map(|k| k.node)
    }

    pub(super) fn first_of(&self, kids: Kids, kind: K) -> Option<Node<'t>> {
        self.kids[kids.start..kids.end]
            .iter()
            .find(|k| k.kind == kind)
            .map(|k| k.node)
    }

    /// The first named child that is not a label, attribute or error.
    pub(super) fn first_named(&self, kids: Kids) -> Option<Node<'t>> {
        self.kids[kids.start..kids.end]
            .iter()
            .find(|k| !matches!(k.kind, K::Anon | K::Label | K::AttributeItem | K::Error))
            .map(|k| k.node)
    }

    pub(super) fn has_anon(&self, kids: Kids, token: &str) -> bool {
        self.kids[kids.start..kids.end]
            .iter()
            .any(|k| k.kind == K::Anon && self.text(k.node) == token)
    }

    pub(super) fn has_error(&self, kids: Kids) -> bool {
        self.kids[kids.start..kids.end]
            .iter()
            .any(|k| k.kind == K::Error)
    }

    /// A child that stands for a pattern: a named node, or the `_` token.
    pub(super) fn is_pat_kid(&self, k: Kid) -> bool {
        match k.kind {
            K::Anon => self.text(k.node) == "_",
            K::AttributeItem | K::MutableSpecifier => false,
            _ => true,
        }
    }

    /// The name inside a `label` or `lifetime` node, without the quote.
    pub(super) fn label_name(&mut self, node: Node<'t>) -> Name {
        let kids = self.push_kids(node);
        let name = self.first_of(kids, K::Identifier).map(|n| self.ident(n));
        self.pop_kids(kids);
        name.unwrap_or_else(|| Arc::from(self.text(node).trim_start_matches('\'')))
    }

    pub(super) fn label_of(&mut self, kids: Kids) -> Option<Name> {
        self.first_of(kids, K::Label).map(|l| self.label_name(l))
    }

    /// The identifiers (and `self`) inside `node`, with spans, found without recursion.
    pub(super) fn idents(&mut self, node: Node<'t>) -> Vec<(Name, Span)> {
        let mut out = Vec::new();
        self.idents_into(node, &mut out);
        out
    }

    pub(super) fn idents_into(&mut self, node: Node<'t>, out: &mut Vec<(Name, Span)>) {
        self.cursor.reset(node);
        loop {
            let n = self.cursor.node();
            let kind = self.g.kind(n);
            match kind {
                // Inside token trees and errors some keywords come out as identifiers.
                K::Identifier | K::SelfKw if !n.is_missing() && !is_keyword(self.text(n)) => {
                    out.push((self.ident(n), self.span(n)))
                }
                _ => {}
            }
            // Labels and lifetimes hold identifiers that are not variables.
            let descend = !matches!(kind, K::Label | K::Lifetime);
            if descend && self.cursor.goto_first_child() {
                continue;
            }
            loop {
                if self.cursor.goto_next_sibling() {
                    break;
                }
                if !self.cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    pub(super) fn unknown(&mut self, node: Node<'t>) -> Expr {
        let span = self.span(node);
        Expr {
            span,
            kind: ExprKind::Unknown(self.idents(node)),
        }
    }
}

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "in" | "else" | "ref" | "dyn" | "box" | "extern" | "move" | "yield" | "try" | "do"
    )
}

pub(super) fn mut_if(is_mut: bool) -> Mutability {
    if is_mut {
        Mutability::Mut
    } else {
        Mutability::Not
    }
}
