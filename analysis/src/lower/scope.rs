//! Names and scopes: bindings and their lookup, the storage ends of a scope's locals (at its end,
//! or on a `break`, `continue` or `return` out of it), of a statement's temporaries, and the
//! breakable blocks and loops a `break` may leave.

use super::{Lower, Scope};
use crate::ast::{Name, Span};
use crate::mir::*;

impl Lower<'_> {
    pub(super) fn bind_name(&mut self, name: Name, l: Local) {
        self.scopes.last_mut().unwrap().names.insert(name, l);
        self.scopes.last_mut().unwrap().locals.push(l);
    }

    pub(super) fn lookup(&self, name: &str) -> Option<Local> {
        for s in self.scopes.iter().rev() {
            if let Some(l) = s.names.get(name) {
                return Some(*l);
            }
        }
        None
    }

    pub(super) fn push_scope(&mut self) {
        self.scopes.push(Scope::default());
    }

    /// Ends the innermost scope: storage of its locals ends, last declared first.
    pub(super) fn pop_scope(&mut self, span: Span) {
        let s = self.scopes.pop().unwrap();
        for l in s.locals.iter().rev() {
            self.push(StatementKind::StorageDead(*l), span, false);
        }
    }

    /// Emits the storage ends of every scope deeper than `depth` (for `break`, `return`).
    pub(super) fn exit_scopes_to(&mut self, depth: usize, span: Span) {
        let mut dead = Vec::new();
        for s in self.scopes[depth..].iter().rev() {
            dead.extend(s.locals.iter().rev().copied());
        }
        for l in dead {
            self.push(StatementKind::StorageDead(l), span, false);
        }
    }

    /// Ends the temporaries created since `mark` (the start of the statement).
    pub(super) fn end_statement(&mut self, mark: usize, span: Span) {
        let temps = self.stmt_temps.split_off(mark.min(self.stmt_temps.len()));
        for l in temps.into_iter().rev() {
            self.push(
                StatementKind::StorageDead(l),
                Span::new(span.end, span.end),
                false,
            );
        }
    }

    /// Emits the storage ends of `temps`, last created first, without forgetting them (for a
    /// scope left on several paths).
    pub(super) fn kill_temps(&mut self, temps: &[Local], span: Span) {
        for &l in temps.iter().rev() {
            self.push(
                StatementKind::StorageDead(l),
                Span::new(span.end, span.end),
                false,
            );
        }
    }

    /// Emits storage ends for the innermost scope without popping it.
    pub(super) fn pop_scope_no_forget(&mut self, span: Span) {
        let locals = self.scopes.last().unwrap().locals.clone();
        for l in locals.iter().rev() {
            self.push(StatementKind::StorageDead(*l), span, false);
        }
    }

    pub(super) fn find_breakable(&self, label: Option<&Name>) -> Option<usize> {
        for (i, b) in self.breakables.iter().enumerate().rev() {
            match label {
                Some(l) => {
                    if b.label.as_ref() == Some(l) {
                        return Some(i);
                    }
                }
                None => {
                    if b.is_loop {
                        return Some(i);
                    }
                }
            }
        }
        None
    }
}
