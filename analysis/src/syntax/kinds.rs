//! The node kinds and field ids the converter tells apart, looked up in tree-sitter-rust's grammar
//! once per process (`grammar()`), and the children of a node as the converter sees them (`Kid`).

use std::sync::OnceLock;

use tree_sitter::Node;

/// Declares the node kinds the converter distinguishes, with their tree-sitter names. Every other
/// named kind is `K::Other` and every anonymous token (punctuation, keywords) is `K::Anon`.
macro_rules! kinds {
    ($($variant:ident = $name:literal,)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(super) enum K {
            Error,
            Other,
            Anon,
            $($variant,)*
        }
        const NAMED_KINDS: &[(&str, K)] = &[$(($name, K::$variant),)*];
    };
}

kinds! {
    // Both comment kinds are one kind here: the converter only ever skips them.
    Comment = "line_comment",
    Comment2 = "block_comment",
    AbstractType = "abstract_type",
    Arguments = "arguments",
    ArrayExpression = "array_expression",
    ArrayType = "array_type",
    AssignmentExpression = "assignment_expression",
    AssociatedType = "associated_type",
    AsyncBlock = "async_block",
    AttributeItem = "attribute_item",
    Attribute = "attribute",
    AwaitExpression = "await_expression",
    BaseFieldInitializer = "base_field_initializer",
    BinaryExpression = "binary_expression",
    Block = "block",
    BooleanLiteral = "boolean_literal",
    BoundedType = "bounded_type",
    BracketedType = "bracketed_type",
    BreakExpression = "break_expression",
    CallExpression = "call_expression",
    CapturedPattern = "captured_pattern",
    CharLiteral = "char_literal",
    ClosureExpression = "closure_expression",
    ClosureParameters = "closure_parameters",
    CompoundAssignmentExpr = "compound_assignment_expr",
    ConstBlock = "const_block",
    ConstItem = "const_item",
    ContinueExpression = "continue_expression",
    Crate = "crate",
    DeclarationList = "declaration_list",
    DynamicType = "dynamic_type",
    ElseClause = "else_clause",
    EmptyStatement = "empty_statement",
    EnumItem = "enum_item",
    EnumVariant = "enum_variant",
    EnumVariantList = "enum_variant_list",
    ExpressionStatement = "expression_statement",
    ExternCrateDeclaration = "extern_crate_declaration",
    FieldDeclaration = "field_declaration",
    FieldDeclarationList = "field_declaration_list",
    FieldExpression = "field_expression",
    FieldIdentifier = "field_identifier",
    FieldInitializer = "field_initializer",
    FieldInitializerList = "field_initializer_list",
    FieldPattern = "field_pattern",
    FloatLiteral = "float_literal",
    ForExpression = "for_expression",
    ForeignModItem = "foreign_mod_item",
    FunctionItem = "function_item",
    FunctionModifiers = "function_modifiers",
    FunctionSignatureItem = "function_signature_item",
    FunctionType = "function_type",
    GenBlock = "gen_block",
    GenericFunction = "generic_function",
    GenericPattern = "generic_pattern",
    GenericType = "generic_type",
    GenericTypeWithTurbofish = "generic_type_with_turbofish",
    HigherRankedTraitBound = "higher_ranked_trait_bound",
    Identifier = "identifier",
    IfExpression = "if_expression",
    ImplItem = "impl_item",
    IndexExpression = "index_expression",
    InnerAttributeItem = "inner_attribute_item",
    IntegerLiteral = "integer_literal",
    Label = "label",
    LetChain = "let_chain",
    LetCondition = "let_condition",
    LetDeclaration = "let_declaration",
    Lifetime = "lifetime",
    LifetimeParameter = "lifetime_parameter",
    LoopExpression = "loop_expression",
    MacroDefinition = "macro_definition",
    MacroInvocation = "macro_invocation",
    MatchArm = "match_arm",
    MatchBlock = "match_block",
    MatchExpression = "match_expression",
    MatchPattern = "match_pattern",
    Metavariable = "metavariable",
    ModItem = "mod_item",
    MutPattern = "mut_pattern",
    MutableSpecifier = "mutable_specifier",
    NegativeLiteral = "negative_literal",
    NeverType = "never_type",
    OrPattern = "or_pattern",
    OrderedFieldDeclarationList = "ordered_field_declaration_list",
    Parameter = "parameter",
    Parameters = "parameters",
    ParenthesizedExpression = "parenthesized_expression",
    PointerType = "pointer_type",
    PrimitiveType = "primitive_type",
    QualifiedType = "qualified_type",
    RangeExpression = "range_expression",
    RangePattern = "range_pattern",
    RawStringLiteral = "raw_string_literal",
    RefPattern = "ref_pattern",
    ReferenceExpression = "reference_expression",
    ReferencePattern = "reference_pattern",
    ReferenceType = "reference_type",
    RemainingFieldPattern = "remaining_field_pattern",
    RemovedTraitBound = "removed_trait_bound",
    ReturnExpression = "return_expression",
    ScopedIdentifier = "scoped_identifier",
    ScopedTypeIdentifier = "scoped_type_identifier",
    SelfKw = "self",
    SelfParameter = "self_parameter",
    ShorthandFieldIdentifier = "shorthand_field_identifier",
    ShorthandFieldInitializer = "shorthand_field_initializer",
    SlicePattern = "slice_pattern",
    StaticItem = "static_item",
    StringLiteral = "string_literal",
    StructExpression = "struct_expression",
    StructItem = "struct_item",
    StructPattern = "struct_pattern",
    Super = "super",
    TokenTree = "token_tree",
    TraitBounds = "trait_bounds",
    TraitItem = "trait_item",
    TryBlock = "try_block",
    TryExpression = "try_expression",
    TupleExpression = "tuple_expression",
    TuplePattern = "tuple_pattern",
    TupleStructPattern = "tuple_struct_pattern",
    TupleType = "tuple_type",
    TypeArguments = "type_arguments",
    TypeBinding = "type_binding",
    TypeCastExpression = "type_cast_expression",
    TypeIdentifier = "type_identifier",
    TypeItem = "type_item",
    TypeParameter = "type_parameter",
    TypeParameters = "type_parameters",
    UnaryExpression = "unary_expression",
    UnionItem = "union_item",
    UnitExpression = "unit_expression",
    UnitType = "unit_type",
    UnsafeBlock = "unsafe_block",
    UseAsClause = "use_as_clause",
    UseDeclaration = "use_declaration",
    UseList = "use_list",
    UseWildcard = "use_wildcard",
    ScopedUseList = "scoped_use_list",
    VisibilityModifier = "visibility_modifier",
    VariadicParameter = "variadic_parameter",
    WhereClause = "where_clause",
    WherePredicate = "where_predicate",
    WhileExpression = "while_expression",
    YieldExpression = "yield_expression",
}

impl K {
    /// Kinds that can stand in type position.
    pub(super) fn is_type(self) -> bool {
        matches!(
            self,
            K::AbstractType
                | K::ArrayType
                | K::BoundedType
                | K::DynamicType
                | K::FunctionType
                | K::GenericType
                | K::MacroInvocation
                | K::Metavariable
                | K::NeverType
                | K::PointerType
                | K::PrimitiveType
                | K::ReferenceType
                | K::RemovedTraitBound
                | K::ScopedTypeIdentifier
                | K::TupleType
                | K::TypeIdentifier
                | K::UnitType
        )
    }

    /// Items that are hoisted into `SourceFile::items` when they appear in a body.
    pub(super) fn is_hoisted_item(self) -> bool {
        matches!(
            self,
            K::FunctionItem
                | K::FunctionSignatureItem
                | K::StructItem
                | K::UnionItem
                | K::EnumItem
                | K::ImplItem
                | K::TraitItem
                | K::ModItem
                | K::StaticItem
                | K::TypeItem
                | K::UseDeclaration
                | K::ConstItem
                | K::ExternCrateDeclaration
        )
    }

    /// Declarations that a body may contain but lowering has no use for.
    pub(super) fn is_other_item(self) -> bool {
        matches!(
            self,
            K::MacroDefinition | K::ForeignModItem | K::AssociatedType
        )
    }
}

/// Field ids of the grammar, looked up once by name. A field the grammar lacks gets `NO_FIELD`,
/// which matches no child (children without a field report 0).
pub(super) struct FieldIds {
    pub(super) alias: u16,
    pub(super) alternative: u16,
    pub(super) argument: u16,
    pub(super) arguments: u16,
    pub(super) body: u16,
    pub(super) bounds: u16,
    pub(super) condition: u16,
    pub(super) consequence: u16,
    pub(super) element: u16,
    pub(super) field: u16,
    pub(super) function: u16,
    pub(super) left: u16,
    pub(super) length: u16,
    pub(super) list: u16,
    pub(super) macro_: u16,
    pub(super) name: u16,
    pub(super) operator: u16,
    pub(super) parameters: u16,
    pub(super) path: u16,
    pub(super) pattern: u16,
    pub(super) return_type: u16,
    pub(super) right: u16,
    pub(super) trait_: u16,
    pub(super) type_: u16,
    pub(super) type_arguments: u16,
    pub(super) type_parameters: u16,
    pub(super) value: u16,
}

pub(super) const NO_FIELD: u16 = u16::MAX;

pub(super) struct Grammar {
    /// Indexed by tree-sitter's kind id.
    kinds: Vec<K>,
    pub(super) f: FieldIds,
}

impl Grammar {
    pub(super) fn kind(&self, node: Node) -> K {
        match self.kinds.get(node.kind_id() as usize) {
            Some(&k) => k,
            // `ERROR` has the reserved id 65535, outside the table.
            None if node.is_error() => K::Error,
            None => K::Other,
        }
    }
}

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        let lang: tree_sitter::Language = tree_sitter_rust::LANGUAGE.into();
        let count = lang.node_kind_count().min(u16::MAX as usize);
        let kinds = (0..count)
            .map(|id| {
                let id = id as u16;
                if !lang.node_kind_is_named(id) {
                    return K::Anon;
                }
                // Aliases may give one name several ids, so the table is filled by name.
                let name = lang.node_kind_for_id(id).unwrap_or("");
                match NAMED_KINDS.iter().find(|(n, _)| *n == name) {
                    Some((_, K::Comment2)) => K::Comment,
                    Some(&(_, k)) => k,
                    None => K::Other,
                }
            })
            .collect();
        let id = |name: &str| lang.field_id_for_name(name).map_or(NO_FIELD, |f| f.get());
        let f = FieldIds {
            alias: id("alias"),
            alternative: id("alternative"),
            argument: id("argument"),
            arguments: id("arguments"),
            body: id("body"),
            bounds: id("bounds"),
            condition: id("condition"),
            consequence: id("consequence"),
            element: id("element"),
            field: id("field"),
            function: id("function"),
            left: id("left"),
            length: id("length"),
            list: id("list"),
            macro_: id("macro"),
            name: id("name"),
            operator: id("operator"),
            parameters: id("parameters"),
            path: id("path"),
            pattern: id("pattern"),
            return_type: id("return_type"),
            right: id("right"),
            trait_: id("trait"),
            type_: id("type"),
            type_arguments: id("type_arguments"),
            type_parameters: id("type_parameters"),
            value: id("value"),
        };
        Grammar { kinds, f }
    })
}

/// One child of a node with its kind and field resolved.
#[derive(Clone, Copy)]
pub(super) struct Kid<'t> {
    pub(super) node: Node<'t>,
    pub(super) kind: K,
    pub(super) field: u16,
}

/// A range of the kid stack: the children of one node.
#[derive(Clone, Copy)]
pub(super) struct Kids {
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Kids {
    pub(super) fn iter(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_fields_exist_in_the_grammar() {
        let lang: tree_sitter::Language = tree_sitter_rust::LANGUAGE.into();
        for (name, _) in NAMED_KINDS {
            assert_ne!(
                lang.id_for_node_kind(name, true),
                0,
                "{name} is not a kind of the grammar"
            );
        }
        let f = &grammar().f;
        for id in [
            f.alias,
            f.alternative,
            f.argument,
            f.arguments,
            f.body,
            f.bounds,
            f.condition,
            f.consequence,
            f.element,
            f.field,
            f.function,
            f.left,
            f.length,
            f.list,
            f.macro_,
            f.name,
            f.operator,
            f.parameters,
            f.path,
            f.pattern,
            f.return_type,
            f.right,
            f.trait_,
            f.type_,
            f.type_arguments,
            f.type_parameters,
            f.value,
        ] {
            assert_ne!(id, NO_FIELD);
        }
    }
}
