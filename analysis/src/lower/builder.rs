//! The building blocks of a body: new locals and blocks, statements, terminators and calls, and
//! the locals that stand for the `static` items a body names (nothing of them is tracked).

use super::Lower;
use crate::ast::{Name, Span};
use crate::mir::*;
use crate::ty::Ty;

impl Lower<'_> {
    pub(super) fn new_local(
        &mut self,
        name: Option<Name>,
        ty: Ty,
        mutable: bool,
        kind: LocalKind,
        span: Span,
    ) -> Local {
        let ty = self.index.expand_aliases(ty);
        self.body.locals.push(LocalDecl {
            name,
            ty,
            mutable,
            kind,
            span,
            is_statement_temp: false,
        });
        Local(self.body.locals.len() as u32 - 1)
    }

    pub(super) fn temp(&mut self, ty: Ty, span: Span) -> Local {
        self.new_local(None, ty, true, LocalKind::Temp, span)
    }

    pub(super) fn new_block(&mut self) -> BlockId {
        self.body.blocks.push(BasicBlock {
            stmts: Vec::new(),
            term: Terminator::Unreachable,
            term_span: Span::default(),
        });
        BlockId(self.body.blocks.len() as u32 - 1)
    }

    pub(super) fn push(&mut self, kind: StatementKind, span: Span, uncertain: bool) {
        let uncertain = uncertain || (!self.statics_used.is_empty() && self.names_static(&kind));
        let b = self.cur.0 as usize;
        self.body.blocks[b].stmts.push(Statement {
            kind,
            span,
            uncertain,
        });
    }

    pub(super) fn assign(&mut self, place: Place, rv: Rvalue, span: Span, uncertain: bool) {
        self.push(StatementKind::Assign(place, rv), span, uncertain);
    }

    /// Ends the current block; code after it lands in a fresh unreachable block.
    pub(super) fn terminate(&mut self, term: Terminator, span: Span) {
        let b = self.cur.0 as usize;
        self.body.blocks[b].term = term;
        self.body.blocks[b].term_span = span;
        self.cur = self.new_block();
    }

    pub(super) fn goto(&mut self, target: BlockId, span: Span) {
        let b = self.cur.0 as usize;
        self.body.blocks[b].term = Terminator::Goto(target);
        self.body.blocks[b].term_span = span;
        self.cur = target;
    }

    pub(super) fn jump(&mut self, target: BlockId, span: Span) {
        self.terminate(Terminator::Goto(target), span);
    }

    pub(super) fn call(
        &mut self,
        args: Vec<Operand>,
        dest: Place,
        ret_borrows: Vec<usize>,
        span: Span,
    ) {
        let next = self.new_block();
        let b = self.cur.0 as usize;
        self.body.blocks[b].term = Terminator::Call {
            args,
            dest,
            target: Some(next),
            ret_borrows,
            span,
        };
        self.body.blocks[b].term_span = span;
        self.cur = next;
    }

    /// Whether a statement reads, writes or borrows a `static` item: nothing of it is tracked.
    fn names_static(&self, kind: &StatementKind) -> bool {
        let is_static = |p: &Place| self.body.locals[p.local.0 as usize].kind == LocalKind::Static;
        let op = |o: &Operand| o.place().is_some_and(is_static);
        match kind {
            StatementKind::Assign(p, rv) => {
                is_static(p)
                    || match rv {
                        Rvalue::Use(o) => op(o),
                        Rvalue::Ref(_, q) => is_static(q),
                        Rvalue::Aggregate(os) | Rvalue::Opaque(os, _) => os.iter().any(op),
                    }
            }
            StatementKind::FakeRead(p)
            | StatementKind::PlaceMention(p)
            | StatementKind::Discriminant(p)
            | StatementKind::Flow(p, _) => is_static(p),
            StatementKind::Eval(o) => op(o),
            StatementKind::StorageDead(_) | StatementKind::MaybeInit(_) => false,
        }
    }

    /// A `static` item of the crate that `name` refers to here (no binding shadows it).
    pub(super) fn is_static(&self, name: &str) -> bool {
        self.lookup(name).is_none() && self.index.static_item(name).is_some()
    }

    /// The local standing for the `static` item `name`, created on first use.
    pub(super) fn static_local(&mut self, name: &Name) -> Option<Local> {
        if !self.is_static(name) {
            return None;
        }
        if let Some((_, l)) = self.statics_used.iter().find(|(n, _)| n == name) {
            return Some(*l);
        }
        let (mutable, ty) = self.index.static_item(name)?.clone();
        let l = self.new_local(
            Some(crate::items::display_name(name).into()),
            ty,
            mutable,
            LocalKind::Static,
            Span::new(0, 0),
        );
        self.statics_used.push((name.clone(), l));
        Some(l)
    }

    pub(super) fn taint(&mut self) {
        self.body.tainted = true;
    }
}
