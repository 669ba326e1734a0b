//! Patterns: bindings, references, tuples, structs, slices, ranges and or-patterns.

use tree_sitter::Node;

use super::cx::{mut_if, Cx};
use super::kinds::{Kids, K, NO_FIELD};
use crate::ast::{FieldName, GenericArg, Mutability, Name, Pat, PatKind};

impl<'t, 's> Cx<'t, 's> {
    pub(super) fn pat(&mut self, node: Node<'t>) -> Pat {
        let span = self.span(node);
        if node.is_missing() || !self.enter() {
            return Pat {
                span,
                kind: PatKind::Unknown,
            };
        }
        let kind = self.pat_kind(node);
        self.leave();
        Pat { span, kind }
    }

    fn pat_kind(&mut self, node: Node<'t>) -> PatKind {
        let kind = self.kind(node);
        match kind {
            K::Anon if self.text(node) == "_" => return PatKind::Wild,
            K::Identifier => {
                let name = self.ident(node);
                return PatKind::Binding {
                    by_ref: None,
                    mutability: Mutability::Not,
                    name,
                    sub: None,
                };
            }
            K::StringLiteral
            | K::RawStringLiteral
            | K::CharLiteral
            | K::BooleanLiteral
            | K::IntegerLiteral
            | K::FloatLiteral
            | K::NegativeLiteral => return PatKind::Lit,
            K::RangePattern => return PatKind::Range,
            K::RemainingFieldPattern => return PatKind::Rest,
            K::ScopedIdentifier => {
                return match self.path_segments(node, true) {
                    Some(p) => PatKind::Path(p),
                    None => PatKind::Unknown,
                }
            }
            K::OrPattern => return self.or_pattern(node),
            K::MutPattern
            | K::RefPattern
            | K::CapturedPattern
            | K::TuplePattern
            | K::TupleStructPattern
            | K::StructPattern
            | K::ReferencePattern
            | K::SlicePattern
            | K::GenericPattern => {}
            _ => return PatKind::Unknown,
        }
        let kids = self.push_kids(node);
        if self.has_error(kids) {
            self.pop_kids(kids);
            return PatKind::Unknown;
        }
        let f = &self.g.f;
        let result = match kind {
            K::MutPattern => match self.pat_kids(kids).first() {
                Some(&p) => {
                    let mut p = self.pat(p);
                    set_mut(&mut p);
                    p.kind
                }
                None => PatKind::Unknown,
            },
            K::RefPattern => match self.pat_kids(kids).first() {
                Some(&p) => match self.pat(p).kind {
                    PatKind::Binding {
                        mutability,
                        name,
                        sub,
                        ..
                    } => PatKind::Binding {
                        by_ref: Some(mutability),
                        mutability: Mutability::Not,
                        name,
                        sub,
                    },
                    other => other,
                },
                None => PatKind::Unknown,
            },
            K::CapturedPattern => {
                let parts = self.pat_kids(kids);
                match (parts.first(), parts.get(1)) {
                    (Some(&name), Some(&sub)) if self.kind(name) == K::Identifier => {
                        let name = self.ident(name);
                        let sub = Some(Box::new(self.pat(sub)));
                        PatKind::Binding {
                            by_ref: None,
                            mutability: Mutability::Not,
                            name,
                            sub,
                        }
                    }
                    _ => PatKind::Unknown,
                }
            }
            K::TuplePattern => PatKind::Tuple(self.pat_list(kids, NO_FIELD)),
            K::SlicePattern => PatKind::Slice(self.pat_list(kids, NO_FIELD)),
            K::TupleStructPattern => {
                let ty = self.field(kids, f.type_);
                match ty.and_then(|t| self.path_segments(t, true)) {
                    Some(path) => PatKind::TupleStruct {
                        path,
                        generics: ty.map_or_else(Vec::new, |t| self.path_generic_args(t)),
                        elems: self.pat_list(kids, f.type_),
                    },
                    None => PatKind::Unknown,
                }
            }
            K::StructPattern => {
                let ty = self.field(kids, f.type_);
                match ty.and_then(|t| self.path_segments(t, true)) {
                    Some(path) => {
                        let generics = ty.map_or_else(Vec::new, |t| self.path_generic_args(t));
                        self.struct_pattern(path, generics, kids)
                    }
                    None => PatKind::Unknown,
                }
            }
            K::ReferencePattern => {
                let is_mut = self.first_of(kids, K::MutableSpecifier).is_some();
                match self.pat_kids(kids).first() {
                    Some(&p) => PatKind::Ref {
                        mutability: mut_if(is_mut),
                        pat: Box::new(self.pat(p)),
                    },
                    None => PatKind::Unknown,
                }
            }
            K::GenericPattern => {
                match self
                    .first_named(kids)
                    .filter(|n| self.kind(*n) != K::TypeArguments)
                {
                    Some(p) => match self.path_segments(p, true) {
                        Some(p) => PatKind::Path(p),
                        None => PatKind::Unknown,
                    },
                    None => PatKind::Unknown,
                }
            }
            _ => PatKind::Unknown,
        };
        self.pop_kids(kids);
        result
    }

    /// The pattern children among `kids`.
    fn pat_kids(&self, kids: Kids) -> Vec<Node<'t>> {
        self.kids[kids.start..kids.end]
            .iter()
            .filter(|k| self.is_pat_kid(**k))
            .map(|k| k.node)
            .collect()
    }

    fn pat_list(&mut self, kids: Kids, skip_field: u16) -> Vec<Pat> {
        let mut out = Vec::new();
        for i in kids.iter() {
            let k = self.kid(i);
            if k.field == skip_field || !self.is_pat_kid(k) {
                continue;
            }
            let p = match k.kind {
                // `(|x| ..)` may parse as a tuple pattern in ambiguous macro-ish code.
                K::ClosureExpression => Pat {
                    span: self.span(k.node),
                    kind: PatKind::Unknown,
                },
                _ => self.pat(k.node),
            };
            out.push(p);
        }
        out
    }

    fn struct_pattern(
        &mut self,
        path: Vec<Name>,
        generics: Vec<GenericArg>,
        kids: Kids,
    ) -> PatKind {
        let mut fields = Vec::new();
        let mut rest = false;
        for i in kids.iter() {
            let k = self.kid(i);
            match k.kind {
                K::RemainingFieldPattern => rest = true,
                K::FieldPattern => {
                    let fk = self.push_kids(k.node);
                    let name = self.field(fk, self.g.f.name);
                    let sub = self.field(fk, self.g.f.pattern);
                    let is_ref = self.has_anon(fk, "ref");
                    let is_mut = self.first_of(fk, K::MutableSpecifier).is_some();
                    self.pop_kids(fk);
                    let Some(name) = name else { continue };
                    let fname = self.ident(name);
                    let pat = match sub {
                        Some(p) => self.pat(p),
                        None => {
                            // Shorthand: `ref mut x` binds `x` to the field of the same name.
                            let (by_ref, mutability) = match (is_ref, is_mut) {
                                (true, m) => (Some(mut_if(m)), Mutability::Not),
                                (false, m) => (None, mut_if(m)),
                            };
                            Pat {
                                span: self.span(k.node),
                                kind: PatKind::Binding {
                                    by_ref,
                                    mutability,
                                    name: fname.clone(),
                                    sub: None,
                                },
                            }
                        }
                    };
                    fields.push((FieldName::Named(fname), pat));
                }
                _ => {}
            }
        }
        PatKind::Struct {
            path,
            fields,
            rest,
            generics,
        }
    }

    /// `A | B | C` nests to the left in the tree; it is flattened with an explicit stack so that
    /// long alternations cost no recursion.
    fn or_pattern(&mut self, node: Node<'t>) -> PatKind {
        let mut alts = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if self.kind(n) == K::OrPattern {
                let kids = self.push_kids(n);
                if self.has_error(kids) {
                    self.pop_kids(kids);
                    return PatKind::Unknown;
                }
                let parts = self.pat_kids(kids);
                self.pop_kids(kids);
                stack.extend(parts.into_iter().rev());
            } else {
                alts.push(self.pat(n));
            }
        }
        if alts.len() == 1 {
            return alts.pop().map_or(PatKind::Unknown, |p| p.kind);
        }
        PatKind::Or(alts)
    }
}

/// `mut` written before a binding (`let mut x`, `mut x: T`, `|mut x|`).
pub(super) fn set_mut(pat: &mut Pat) {
    if let PatKind::Binding { mutability, .. } = &mut pat.kind {
        *mutability = Mutability::Mut;
    }
}
