//! Tree-sitter to `ast`: the only module that names tree-sitter node kinds and fields.
//!
//! `parse_tree` runs tree-sitter-rust over a file and `convert` walks the concrete tree once,
//! building the owned `ast`. Nothing tree-sitter leaves this module except the `Tree` in those two
//! signatures, so that a server can keep the tree and reparse incrementally.
//!
//! The converter never fails and never panics. Tree-sitter always produces a tree, with `ERROR` and
//! `MISSING` nodes where the text is broken; such pieces become `Unknown` expressions (carrying the
//! identifiers inside them), `Unknown` patterns or `Unknown` types, so that lowering can still see
//! which variables a broken region mentions. Recursion is capped at `MAX_DEPTH` nested nodes and at
//! a stack budget, which keeps pathological nesting from overflowing the stack; whatever lies
//! deeper becomes `Unknown`.
//!
//! Macro invocations are token trees to tree-sitter. Their arguments are read with a small lexer
//! (single-token arguments directly), and lists that look like expressions are reparsed on their
//! own with tree-sitter, with spans shifted back into the file; see `Cx::macro_args`.
//!
//! Speed matters because every keystroke may reparse a file: node kinds and field names are
//! resolved to small integers once per process, children are gathered on one reusable stack
//! instead of a fresh vector per node, and text is sliced rather than copied until a `Name` is
//! needed. Tree-sitter's own parse remains most of the cost (see `examples/parse_speed.rs`).

use std::sync::{Arc, OnceLock};

use tree_sitter::{Node, Parser, Tree, TreeCursor};

use crate::ast::{
    Arm, BinOp, Block, ClosureParam, Container, EnumDef, Expr, ExprKind, FieldName, Fields, FnDef,
    FnItem, GenericArg, Generics, ImplDef, Item, Lit, MacroArgs, MacroCall, Mutability, Name,
    Param, Pat, PatKind, SelfParam, SourceFile, Span, StaticDef, Stmt, StructDef, TraitDef, Type,
    TypeAliasDef, UnOp,
};

/// How many nested nodes the converter follows before it gives up and says `Unknown`. Real code
/// stays far below this; the cap exists so that a generated or hostile file cannot exhaust the
/// stack of the thread that parses it.
const MAX_DEPTH: u32 = 500;

/// How much stack the conversion may use below `convert`'s own frame. Frame sizes differ a lot
/// between optimised and unoptimised builds (a level of nesting costs a few hundred bytes in the
/// first and several kilobytes in the second), so the depth cap alone cannot promise to fit a
/// thread's stack; this budget does, for any thread with at least 2 MiB, as test threads have.
const STACK_BUDGET: usize = 1 << 20;

/// The text put before a macro's arguments when they are reparsed on their own: inside an array
/// literal in a function body, comma-separated expressions and the `[elem; n]` form both parse.
const MACRO_PREFIX: &str = "fn __m() { [";
const MACRO_SUFFIX: &str = "\n]; }";

/// How many of tree-sitter's operations a parse of `len` bytes may take. Real code takes fewer
/// than 3 per byte (2.8 at most over the 1.6 million lines of the registry's crates), but error
/// recovery on some broken texts grows quadratically: 10,000 repetitions of `+ if c {1} else`
/// take about 1,000 operations per byte and two minutes. Past the budget the parse gives up, which
/// bounds the time any text can take, deterministically (the count does not depend on the
/// machine), and the file reads as empty: it reports nothing rather than something unsure.
fn parse_budget(len: usize) -> u64 {
    100_000 + 10 * len as u64
}

/// How many bytes tree-sitter's lexer may read, in `READ_CHUNK` pieces, while parsing `len` bytes.
/// The lexer reads text again when it backtracks, which real code keeps under twice its length
/// (1.95 at most over the registry's crates), but some broken texts make it rescan to the end of
/// the file from every token: a `'` before 4,000 `let r = &mut v;` read 1,800 times the text
/// (a second for 70 kB) in only 1.75 operations per byte. Past this budget too the parse gives up.
fn read_budget(len: usize) -> usize {
    (64 << 10) + 8 * len
}

/// The most text handed to the lexer at a time: its reading is counted in these pieces.
const READ_CHUNK: usize = 1 << 10;

/// How many macro invocations, each inside the arguments of the previous one, are reparsed.
/// Every level reparses the text of all the levels inside it, so the cap keeps the work linear
/// in the file's length; deeper arguments keep only their identifiers (as `MacroArgs::Tokens`).
const MAX_MACRO_NESTING: u32 = 8;

/// Parses a whole file. Never fails: unreadable syntax becomes `Unknown` nodes, and a text that
/// exhausts the parse budget becomes an empty file.
pub fn parse(text: &str) -> SourceFile {
    match parse_tree(text, None) {
        Some(tree) => convert(&tree, text),
        None => SourceFile::default(),
    }
}

/// A file's tree-sitter tree, kept between edits so that each reparse reuses the unchanged
/// parts; `None` when the parse exhausted its budget. Equality is identity: two handles are
/// equal only when they hold the same parse. The flag says the tree is an incremental reparse.
#[derive(Clone)]
pub struct ParsedTree(
    std::sync::Arc<Option<Tree>>,
    std::sync::Arc<std::sync::Mutex<ConvertCache>>,
    bool,
);

impl PartialEq for ParsedTree {
    fn eq(&self, other: &ParsedTree) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}
impl Eq for ParsedTree {}

impl std::fmt::Debug for ParsedTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParsedTree")
    }
}

impl ParsedTree {
    /// Parses `text` from scratch.
    pub fn new(text: &str) -> ParsedTree {
        ParsedTree(
            std::sync::Arc::new(parse_tree(text, None)),
            Default::default(),
            false,
        )
    }

    /// Whether this parse may differ from a fresh parse of its text: an incremental reparse with
    /// syntax errors. Tree-sitter's recovery from an error depends on the subtrees it reuses, so
    /// after many edits of broken code the trees can differ (the LSP torture test found a body
    /// that was broken in one and not in the other).
    pub fn may_differ_from_fresh(&self) -> bool {
        self.2
            && self
                .0
                .as_ref()
                .as_ref()
                .is_some_and(|tree| tree.root_node().has_error())
    }

    /// A fresh parse of `text` (the text of this tree), with an empty conversion cache: the
    /// cache is keyed by a function's text, and a function with errors converts differently from
    /// a different tree.
    pub fn fresh(&self, text: &str) -> ParsedTree {
        ParsedTree::new(text)
    }

    /// Parses `new_text`, which replaces `old_text` (the text this tree was parsed from): the
    /// changed range is where the two texts differ (one range around every change, so a burst of
    /// edits is one edit), and tree-sitter reparses only around it.
    pub fn reparse(&self, old_text: &str, new_text: &str) -> ParsedTree {
        let Some(old) = self.0.as_ref() else {
            return ParsedTree::new(new_text);
        };
        let (old_b, new_b) = (old_text.as_bytes(), new_text.as_bytes());
        let mut start = common_prefix(old_b, new_b);
        let max_suffix = old_b.len().min(new_b.len()) - start;
        let suffix = common_suffix(&old_b[start..], &new_b[start..]).min(max_suffix);
        // Byte offsets must fall on character boundaries of both texts.
        while start > 0 && !(old_text.is_char_boundary(start) && new_text.is_char_boundary(start)) {
            start -= 1;
        }
        let (mut old_end, mut new_end) = (old_b.len() - suffix, new_b.len() - suffix);
        while !(old_text.is_char_boundary(old_end) && new_text.is_char_boundary(new_end)) {
            old_end += 1;
            new_end += 1;
        }
        // Rows count the line breaks before a byte: once up to the change, then only inside it.
        let start_row = count_newlines(&old_b[..start]);
        let start_col = start
            - old_b[..start]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
        let end_point = |text: &[u8], end: usize| {
            let changed = &text[start..end];
            match changed.iter().rposition(|&b| b == b'\n') {
                Some(i) => tree_sitter::Point {
                    row: start_row + count_newlines(changed),
                    column: end - (start + i + 1),
                },
                None => tree_sitter::Point {
                    row: start_row,
                    column: start_col + (end - start),
                },
            }
        };
        let start_point = tree_sitter::Point {
            row: start_row,
            column: start_col,
        };
        let (old_end_point, new_end_point) = (end_point(old_b, old_end), end_point(new_b, new_end));
        let mut tree = old.clone();
        tree.edit(&tree_sitter::InputEdit {
            start_byte: start,
            old_end_byte: old_end,
            new_end_byte: new_end,
            start_position: start_point,
            old_end_position: old_end_point,
            new_end_position: new_end_point,
        });
        // The parser kept with the conversion cache (making one and setting its language costs a
        // keystroke tens of microseconds), unless a conversion holds it now.
        let kept = match self.1.try_lock() {
            Ok(mut cache) => cache.parser.take(),
            Err(_) => None,
        };
        let mut parser = kept.unwrap_or_else(new_parser);
        let new_tree = parse_within_budget(&mut parser, new_text, Some(&tree));
        if let Ok(mut cache) = self.1.try_lock() {
            cache.parser.get_or_insert(parser);
        }
        // The conversion cache passes on: the new parse reuses the old parse's functions.
        ParsedTree(std::sync::Arc::new(new_tree), self.1.clone(), true)
    }

    /// The owned syntax tree of `text`, which this tree was parsed from. Functions whose text is
    /// unchanged since the previous conversion are reused, not converted again.
    pub fn convert(&self, text: &str) -> SourceFile {
        let Some(tree) = self.0.as_ref() else {
            return SourceFile::default();
        };
        // A poisoned lock only means a conversion panicked: start over with an empty cache.
        let mut guard = self.1.lock().unwrap_or_else(|e| e.into_inner());
        let old = std::mem::take(&mut *guard);
        let (file, new) = convert_cached(tree, text, old, true);
        *guard = new;
        file
    }
}

/// Runs tree-sitter over `text`. `old` is a previous tree of the same document, already edited to
/// match `text`, which lets tree-sitter reuse the unchanged parts. `None` when the parse
/// exhausted its budget (`parse_budget`).
pub fn parse_tree(text: &str, old: Option<&Tree>) -> Option<Tree> {
    parse_within_budget(&mut new_parser(), text, old)
}

/// Parses `text` with `parser`, giving up after `parse_budget` operations or `read_budget` bytes
/// read. Tree-sitter reports progress every 100 operations, and the parse stops at the first
/// report past either budget; its tree is thrown away. A parse given up is reset, or the parser's
/// next parse would resume it.
///
/// The input always hands out the text itself, in pieces that end on character boundaries: a text
/// that ends early (an empty piece before its end) is a state tree-sitter's lexer does not survive.
/// When a piece ends inside a multi-byte character, the lexer asks again for the piece at that
/// character, and if that piece is empty it decodes a null pointer (SIGSEGV; found by the fuzzer,
/// `fuzz_regressions.rs`). Past the read budget the parse goes on until the next progress report,
/// at most 100 more operations: each reads at most the rest of the text, so the work stays
/// linear in the text's length.
fn parse_within_budget(parser: &mut Parser, text: &str, old: Option<&Tree>) -> Option<Tree> {
    let reports = parse_budget(text.len()) / 100;
    let read_budget = read_budget(text.len());
    let read = std::cell::Cell::new(0usize);
    let mut seen = 0u64;
    let mut progress = |_: &tree_sitter::ParseState| {
        seen += 1;
        if seen > reports || read.get() > read_budget {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let mut input = |at: usize, _| {
        let chunk = read_chunk(text, at);
        read.set(read.get() + chunk.len());
        chunk
    };
    let tree = parser.parse_with_options(&mut input, old, Some(options));
    if tree.is_none() {
        parser.reset();
    }
    tree.filter(|_| read.get() <= read_budget)
}

/// The piece of `text` that tree-sitter's lexer reads at byte `at`: at most `READ_CHUNK` bytes,
/// more only to finish the character the limit falls in, so that a piece never ends inside a
/// character. Empty only at or past the end of the text.
fn read_chunk(text: &str, at: usize) -> &[u8] {
    let bytes = text.as_bytes();
    if at >= bytes.len() {
        return &[];
    }
    let mut end = (at + READ_CHUNK).min(bytes.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &bytes[at..end]
}

/// Builds the owned syntax tree of `text` from its tree-sitter `tree`.
pub fn convert(tree: &Tree, text: &str) -> SourceFile {
    convert_cached(tree, text, ConvertCache::default(), false).0
}

/// `convert`, reusing the items of `cache` whose text did not change; returns the cache for
/// the next conversion (empty, but for the macro parser, unless `caching`).
fn convert_cached(
    tree: &Tree,
    text: &str,
    mut cache: ConvertCache,
    caching: bool,
) -> (SourceFile, ConvertCache) {
    let parser = cache.parser.take();
    let mut shared = Shared {
        items: Vec::new(),
        cache_old: cache,
        cache_new: ConvertCache::default(),
        caching,
        parser,
        depth: 0,
        macro_nesting: 0,
        last_container: None,
        stack_start: stack_position(),
    };
    let root = tree.root_node();
    let mut cx = Cx::new(text, root, 0, 0, Container::default(), &mut shared);
    cx.item_list(root);
    let mut cache = shared.cache_new;
    if caching {
        cache.text = text.into();
    }
    cache.parser = shared.parser;
    (
        SourceFile {
            items: shared.items,
        },
        cache,
    )
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    // This only fails when the grammar was generated for an incompatible tree-sitter ABI, which is
    // a build configuration error that every parse would hit, not something input can cause.
    parser
        .set_language(&tree_sitter_rust::LANGUAGE.into())
        .expect("tree-sitter-rust is compatible with the linked tree-sitter");
    parser
}

/// Declares the node kinds the converter distinguishes, with their tree-sitter names. Every other
/// named kind is `K::Other` and every anonymous token (punctuation, keywords) is `K::Anon`.
macro_rules! kinds {
    ($($variant:ident = $name:literal,)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum K {
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
    UseDeclaration = "use_declaration",
    VariadicParameter = "variadic_parameter",
    WhereClause = "where_clause",
    WherePredicate = "where_predicate",
    WhileExpression = "while_expression",
    YieldExpression = "yield_expression",
}

impl K {
    /// Kinds that can stand in type position.
    fn is_type(self) -> bool {
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
    fn is_hoisted_item(self) -> bool {
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
        )
    }

    /// Declarations that a body may contain but lowering has no use for.
    fn is_other_item(self) -> bool {
        matches!(
            self,
            K::ConstItem
                | K::UseDeclaration
                | K::MacroDefinition
                | K::ExternCrateDeclaration
                | K::ForeignModItem
                | K::AssociatedType
        )
    }
}

/// Field ids of the grammar, looked up once by name. A field the grammar lacks gets `NO_FIELD`,
/// which matches no child (children without a field report 0).
struct FieldIds {
    alias: u16,
    alternative: u16,
    arguments: u16,
    body: u16,
    bounds: u16,
    condition: u16,
    consequence: u16,
    element: u16,
    field: u16,
    function: u16,
    left: u16,
    length: u16,
    macro_: u16,
    name: u16,
    operator: u16,
    parameters: u16,
    path: u16,
    pattern: u16,
    return_type: u16,
    right: u16,
    trait_: u16,
    type_: u16,
    type_arguments: u16,
    type_parameters: u16,
    value: u16,
}

const NO_FIELD: u16 = u16::MAX;

struct Grammar {
    /// Indexed by tree-sitter's kind id.
    kinds: Vec<K>,
    f: FieldIds,
}

impl Grammar {
    fn kind(&self, node: Node) -> K {
        match self.kinds.get(node.kind_id() as usize) {
            Some(&k) => k,
            // `ERROR` has the reserved id 65535, outside the table.
            None if node.is_error() => K::Error,
            None => K::Other,
        }
    }
}

fn grammar() -> &'static Grammar {
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
struct Kid<'t> {
    node: Node<'t>,
    kind: K,
    field: u16,
}

/// A range of the kid stack: the children of one node.
#[derive(Clone, Copy)]
struct Kids {
    start: usize,
    end: usize,
}

impl Kids {
    fn iter(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// What one conversion keeps for the next: the items converted from each item of the file
/// (functions, and the impls, traits, modules and types around or beside them), keyed by the
/// item's container and exact text (attributes included). An item whose text and container did
/// not change since the previous conversion converts to the same items, shifted to its new
/// offset, so a keystroke walks only the items around the edit: an unchanged impl, module or
/// function is neither walked nor converted again.
#[derive(Default)]
pub(crate) struct ConvertCache {
    /// The text the entries were converted from; each entry is a range of it (one copy of the
    /// file, rather than one of every item at every level of nesting).
    text: Box<str>,
    /// By a hash of the container and the item's text: the items with that hash, each with what
    /// it converted to.
    items: std::collections::HashMap<u64, Vec<CachedItem>, BuildIdentity>,
    /// The parser for macro arguments, kept from one conversion to the next (making one and
    /// setting its language costs more than parsing a short macro's arguments).
    parser: Option<Parser>,
    /// Parses of macro arguments by their text (see `Cx::macro_tree`).
    macros: std::collections::HashMap<Box<str>, Option<Tree>, FxBuild>,
}

/// A converted item: its container and range of the cache's text (the key), and its items
/// (the item itself first, then what it holds or hoists), offsets relative to the range's start.
struct CachedItem {
    container: Container,
    start: u32,
    end: u32,
    items: Vec<Item>,
}

/// The cache's keys are hashes already.
#[derive(Default, Clone, Copy)]
struct BuildIdentity;

impl std::hash::BuildHasher for BuildIdentity {
    type Hasher = IdentityHasher;
    fn build_hasher(&self) -> IdentityHasher {
        IdentityHasher(0)
    }
}

struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | *b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A fast hash (FxHash's multiply-rotate, eight bytes at a time): the cache hashes every
/// function's text on every keystroke, where SipHash costs more than the rest of the lookup.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

/// `HashMap`s keyed by `FxHasher`, for keys hashed on every keystroke.
pub(crate) type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        // Long texts (whole items, on every keystroke) go 32 bytes at a time in four independent
        // lanes, which the processor runs side by side.
        let mut blocks = bytes.chunks_exact(32);
        if bytes.len() >= 64 {
            let mut lanes = [self.0, K, K.rotate_left(17), K.rotate_left(41)];
            for block in &mut blocks {
                for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
                    let w = u64::from_le_bytes(w.try_into().unwrap());
                    *lane = (lane.rotate_left(5) ^ w).wrapping_mul(K);
                }
            }
            self.0 = lanes
                .iter()
                .fold(0, |acc: u64, &l| (acc.rotate_left(5) ^ l).wrapping_mul(K));
        }
        let bytes = if bytes.len() >= 64 {
            blocks.remainder()
        } else {
            bytes
        };
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap());
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }
}

struct Shared {
    items: Vec<Item>,
    /// Last conversion's items, and this one's (its `text` is set at the end).
    cache_old: ConvertCache,
    cache_new: ConvertCache,
    /// Whether this conversion fills `cache_new`: a text converted once (a batch check, a
    /// fresh parse) has no use for it.
    caching: bool,
    /// A parser for macro arguments, made on first use and reused for every macro of the file
    /// (and, through the cache, of the next conversion).
    parser: Option<Parser>,
    /// Nesting depth of the conversion, counted across reparsed macro arguments.
    depth: u32,
    /// How many reparsed macro arguments enclose the node being converted.
    macro_nesting: u32,
    /// The container of the last function converted, for the next ones in the same impl, trait
    /// or module to share.
    last_container: Option<Arc<Container>>,
    /// The stack position when the conversion started, to measure `STACK_BUDGET` against.
    stack_start: usize,
}

/// An address on the current stack frame: the distance between two of them is the stack used in
/// between. Only addresses are compared; nothing is read through them.
#[inline(always)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// The converter for one tree: the file's, or the reparse of one macro's arguments.
struct Cx<'t, 's> {
    g: &'static Grammar,
    text: &'t str,
    cursor: TreeCursor<'t>,
    /// Children of the nodes being converted, innermost last. Each function pushes the children
    /// it needs, reads them by index (they are `Copy`) and truncates back when done, so that
    /// walking a tree allocates no vector per node.
    kids: Vec<Kid<'t>>,
    /// Absolute offset of the function whose spans are being built.
    base: i64,
    /// What to add to a position in `text` to get a position in the file: 0 for the file itself,
    /// the shift of the inner text for reparsed macro arguments.
    delta: i64,
    container: Container,
    sh: &'s mut Shared,
}

impl<'t, 's> Cx<'t, 's> {
    fn new(
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
            kids: Vec::with_capacity(256),
            base,
            delta,
            container,
            sh,
        }
    }

    // ---- Small helpers -------------------------------------------------------------------

    fn kind(&self, node: Node) -> K {
        self.g.kind(node)
    }

    fn text(&self, node: Node) -> &'t str {
        self.text
            .get(node.start_byte()..node.end_byte())
            .unwrap_or("")
    }

    fn name(&self, node: Node) -> Name {
        Arc::from(self.text(node))
    }

    /// An identifier's name; raw identifiers (`r#type`) lose their prefix, as in rustc.
    fn ident(&self, node: Node) -> Name {
        let t = self.text(node);
        Arc::from(t.strip_prefix("r#").unwrap_or(t))
    }

    fn abs(&self, pos: usize) -> i64 {
        pos as i64 + self.delta
    }

    fn rel(&self, pos: usize) -> u32 {
        (self.abs(pos) - self.base).clamp(0, u32::MAX as i64) as u32
    }

    fn span(&self, node: Node) -> Span {
        Span {
            start: self.rel(node.start_byte()),
            end: self.rel(node.end_byte()),
        }
    }

    /// The current container, shared with the functions before when equal to theirs.
    fn shared_container(&mut self) -> Arc<Container> {
        match &self.sh.last_container {
            Some(c) if **c == self.container => c.clone(),
            _ => {
                let c = Arc::new(self.container.clone());
                self.sh.last_container = Some(c.clone());
                c
            }
        }
    }

    fn enter(&mut self) -> bool {
        if self.sh.depth >= MAX_DEPTH
            || self.sh.stack_start.abs_diff(stack_position()) > STACK_BUDGET
        {
            return false;
        }
        self.sh.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.sh.depth = self.sh.depth.saturating_sub(1);
    }

    /// Pushes the children of `node` on the kid stack, comments left out.
    fn push_kids(&mut self, node: Node<'t>) -> Kids {
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

    fn pop_kids(&mut self, kids: Kids) {
        self.kids.truncate(kids.start);
    }

    fn kid(&self, i: usize) -> Kid<'t> {
        self.kids[i]
    }

    fn field(&self, kids: Kids, field: u16) -> Option<Node<'t>> {
        self.kids[kids.start..kids.end]
            .iter()
            .find(|k| k.field == field)
            .map(|k| k.node)
    }

    fn first_of(&self, kids: Kids, kind: K) -> Option<Node<'t>> {
        self.kids[kids.start..kids.end]
            .iter()
            .find(|k| k.kind == kind)
            .map(|k| k.node)
    }

    /// The first named child that is not a label, attribute or error.
    fn first_named(&self, kids: Kids) -> Option<Node<'t>> {
        self.kids[kids.start..kids.end]
            .iter()
            .find(|k| !matches!(k.kind, K::Anon | K::Label | K::AttributeItem | K::Error))
            .map(|k| k.node)
    }

    fn has_anon(&self, kids: Kids, token: &str) -> bool {
        self.kids[kids.start..kids.end]
            .iter()
            .any(|k| k.kind == K::Anon && self.text(k.node) == token)
    }

    fn has_error(&self, kids: Kids) -> bool {
        self.kids[kids.start..kids.end]
            .iter()
            .any(|k| k.kind == K::Error)
    }

    /// A child that stands for a pattern: a named node, or the `_` token.
    fn is_pat_kid(&self, k: Kid) -> bool {
        match k.kind {
            K::Anon => self.text(k.node) == "_",
            K::AttributeItem | K::MutableSpecifier => false,
            _ => true,
        }
    }

    /// The name inside a `label` or `lifetime` node, without the quote.
    fn label_name(&mut self, node: Node<'t>) -> Name {
        let kids = self.push_kids(node);
        let name = self.first_of(kids, K::Identifier).map(|n| self.ident(n));
        self.pop_kids(kids);
        name.unwrap_or_else(|| Arc::from(self.text(node).trim_start_matches('\'')))
    }

    fn label_of(&mut self, kids: Kids) -> Option<Name> {
        self.first_of(kids, K::Label).map(|l| self.label_name(l))
    }

    /// The identifiers (and `self`) inside `node`, with spans, found without recursion.
    fn idents(&mut self, node: Node<'t>) -> Vec<(Name, Span)> {
        let mut out = Vec::new();
        self.idents_into(node, &mut out);
        out
    }

    fn idents_into(&mut self, node: Node<'t>, out: &mut Vec<(Name, Span)>) {
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

    fn unknown(&mut self, node: Node<'t>) -> Expr {
        let span = self.span(node);
        Expr {
            span,
            kind: ExprKind::Unknown(self.idents(node)),
        }
    }

    // ---- Items ---------------------------------------------------------------------------

    /// Collects the items of a file, module body, impl or trait body, or of an `ERROR` node in
    /// item position (tree-sitter sometimes wraps whole items in one when the text around them is
    /// broken).
    fn item_list(&mut self, node: Node<'t>) {
        if !self.enter() {
            return;
        }
        let kids = self.push_kids(node);
        let mut attrs_start = None;
        for i in kids.iter() {
            let k = self.kid(i);
            if k.kind == K::AttributeItem {
                attrs_start.get_or_insert(i);
                continue;
            }
            let attrs: Vec<Node<'t>> = match attrs_start.take() {
                Some(s) => self.kids[s..i].iter().map(|k| k.node).collect(),
                None => Vec::new(),
            };
            self.item(k, &attrs);
        }
        self.pop_kids(kids);
        self.leave();
    }

    fn item(&mut self, k: Kid<'t>, attrs: &[Node<'t>]) {
        let cacheable = matches!(
            k.kind,
            K::FunctionItem
                | K::FunctionSignatureItem
                | K::StructItem
                | K::UnionItem
                | K::EnumItem
                | K::ImplItem
                | K::TraitItem
                | K::ModItem
        );
        // An item nested in a function is in the cache entry of the outermost one; its own entry
        // would copy the items of every function inside it again, quadratic in the nesting (the
        // fuzzer's 28 kB of nested functions took 380 MB and a second). Reparsed macro arguments
        // are not the file's text, which the entries are ranges of.
        // An item with syntax errors converts as tree-sitter recovered from them, which depends
        // on the trees the parse reused, not only on the item's text.
        let broken = k.node.has_error() || attrs.iter().any(|a| a.has_error());
        if cacheable && !broken && self.container.parent_fns.is_empty() && self.delta == 0 {
            self.item_cached(k, attrs);
        } else {
            self.item_uncached(k, attrs);
        }
    }

    /// An item whose text (attributes included) and container did not change since the last
    /// parse converts to the same items: reuse them, shifted to the new offset. The entry moves
    /// from the old cache to the new one, so a hit allocates only the items' copies.
    fn item_cached(&mut self, k: Kid<'t>, attrs: &[Node<'t>]) {
        use std::hash::{Hash, Hasher};
        let node = k.node;
        let start = attrs
            .first()
            .map_or(node.start_byte(), |a| a.start_byte().min(node.start_byte()));
        let end = node.end_byte();
        let (Some(key_text), Ok(start32), Ok(end32)) = (
            self.text.get(start..end),
            u32::try_from(start),
            u32::try_from(end),
        ) else {
            return self.item_uncached(k, attrs);
        };
        let mut hasher = FxHasher(0);
        self.container.hash(&mut hasher);
        hasher.write(key_text.as_bytes());
        let hash = hasher.finish();
        let old_text = &*self.sh.cache_old.text;
        let hit = self.sh.cache_old.items.get_mut(&hash).and_then(|entries| {
            let i = entries.iter().position(|e| {
                e.container == self.container
                    && old_text.get(e.start as usize..e.end as usize) == Some(key_text)
            })?;
            Some(entries.swap_remove(i))
        });
        if let Some(mut entry) = hit {
            self.sh.items.extend(entry.items.iter().map(|item| {
                let mut item = item.clone();
                if let Item::Fn(f) = &mut item {
                    f.offset = f.offset.saturating_add(start32);
                }
                item
            }));
            if self.sh.caching {
                (entry.start, entry.end) = (start32, end32);
                self.sh.cache_new.items.entry(hash).or_default().push(entry);
            }
            return;
        }
        let first = self.sh.items.len();
        self.item_uncached(k, attrs);
        if self.sh.caching {
            let items: Vec<Item> = self.sh.items[first..]
                .iter()
                .map(|item| {
                    let mut item = item.clone();
                    if let Item::Fn(f) = &mut item {
                        f.offset = f.offset.saturating_sub(start32);
                    }
                    item
                })
                .collect();
            let entry = CachedItem {
                container: self.container.clone(),
                start: start32,
                end: end32,
                items,
            };
            self.sh.cache_new.items.entry(hash).or_default().push(entry);
        }
    }

    fn item_uncached(&mut self, k: Kid<'t>, attrs: &[Node<'t>]) {
        match k.kind {
            K::FunctionItem | K::FunctionSignatureItem => self.fn_item(k.node, attrs),
            K::StructItem | K::UnionItem => self.struct_item(k.node, attrs),
            K::EnumItem => self.enum_item(k.node, attrs),
            K::ImplItem => self.impl_item(k.node),
            K::TraitItem => self.trait_item(k.node),
            K::ModItem => self.mod_item(k.node),
            K::StaticItem => self.static_item(k.node),
            // In impls and traits: associated types, read by `impl_item`.
            K::TypeItem
                if self.container.impl_self.is_none() && self.container.trait_name.is_none() =>
            {
                self.type_alias_item(k.node)
            }
            K::Error => self.item_list(k.node),
            // Extern blocks, macro definitions and invocations, uses, consts and the like.
            _ => {}
        }
    }

    fn static_item(&mut self, node: Node<'t>) {
        let kids = self.push_kids(node);
        let name = self.field(kids, self.g.f.name);
        let ty = self.field(kids, self.g.f.type_);
        let mutable = self.first_of(kids, K::MutableSpecifier).is_some();
        self.pop_kids(kids);
        let (Some(name), Some(ty)) = (name, ty) else {
            return;
        };
        let name = self.ident(name);
        let ty = self.ty(ty);
        let container = self.container.clone();
        self.sh.items.push(Item::Static(StaticDef {
            container,
            name,
            mutable,
            ty,
        }));
    }

    fn type_alias_item(&mut self, node: Node<'t>) {
        let kids = self.push_kids(node);
        let name = self.field(kids, self.g.f.name);
        let tparams = self.field(kids, self.g.f.type_parameters);
        let ty = self.field(kids, self.g.f.type_);
        let where_clause = self.first_of(kids, K::WhereClause);
        self.pop_kids(kids);
        let (Some(name), Some(ty)) = (name, ty) else {
            return;
        };
        let name = self.ident(name);
        let generics = self.generics(tparams, where_clause);
        let ty = self.ty(ty);
        let container = self.container.clone();
        self.sh.items.push(Item::TypeAlias(TypeAliasDef {
            container,
            name,
            generics,
            ty,
        }));
    }

    fn mod_item(&mut self, node: Node<'t>) {
        let kids = self.push_kids(node);
        let name = self.field(kids, self.g.f.name).map(|n| self.ident(n));
        let body = self.field(kids, self.g.f.body);
        self.pop_kids(kids);
        if let (Some(name), Some(body)) = (name, body) {
            self.container.modules.push(name);
            self.item_list(body);
            self.container.modules.pop();
        }
    }

    /// Each attribute's text without `#[` `]`.
    fn attr_texts(&mut self, attrs: &[Node<'t>]) -> Vec<Name> {
        attrs
            .iter()
            .filter_map(|a| a.named_child(0))
            .map(|a| self.name(a))
            .collect()
    }

    /// `#[derive(A, b::B)]` gives `A` and `B`: the last identifier before each top-level comma.
    fn derives(&mut self, attrs: &[Node<'t>]) -> Vec<Name> {
        let mut out = Vec::new();
        for &attr_item in attrs {
            let Some(attr) = attr_item.named_child(0) else {
                continue;
            };
            let kids = self.push_kids(attr);
            let is_derive = kids.start < kids.end && {
                let first = self.kid(kids.start);
                first.kind == K::Identifier && self.text(first.node) == "derive"
            };
            let args = self.field(kids, self.g.f.arguments);
            self.pop_kids(kids);
            let Some(args) = args.filter(|_| is_derive) else {
                continue;
            };
            let kids = self.push_kids(args);
            let mut last = None;
            for i in kids.iter() {
                let k = self.kid(i);
                match k.kind {
                    K::Identifier => last = Some(self.ident(k.node)),
                    K::Anon if matches!(self.text(k.node), "," | ")" | "]" | "}") => {
                        out.extend(last.take());
                    }
                    _ => {}
                }
            }
            out.extend(last);
            self.pop_kids(kids);
        }
        out
    }

    fn fn_item(&mut self, node: Node<'t>, attrs: &[Node<'t>]) {
        if !self.enter() {
            return;
        }
        let outer_base = self.base;
        self.base = self.abs(node.start_byte());
        let offset = self.base.clamp(0, u32::MAX as i64) as u32;
        let len = (node.end_byte() - node.start_byte()).min(u32::MAX as usize) as u32;
        // The function goes before the items nested in its body, which are pushed while the body
        // is converted.
        let slot = self.sh.items.len();

        let f = &self.g.f;
        let kids = self.push_kids(node);
        let name_node = self.field(kids, f.name);
        let tparams = self.field(kids, f.type_parameters);
        let params = self.field(kids, f.parameters);
        let ret = self.field(kids, f.return_type);
        let body = self.field(kids, f.body);
        let where_clause = self.first_of(kids, K::WhereClause);
        let modifiers = self.first_of(kids, K::FunctionModifiers);
        self.pop_kids(kids);

        let (name, name_span) = match name_node {
            Some(n) => (self.ident(n), self.span(n)),
            None => (Arc::from(""), Span::default()),
        };
        let (mut is_unsafe, mut is_async, mut is_const) = (false, false, false);
        if let Some(m) = modifiers {
            let kids = self.push_kids(m);
            is_unsafe = self.has_anon(kids, "unsafe");
            is_async = self.has_anon(kids, "async");
            is_const = self.has_anon(kids, "const");
            self.pop_kids(kids);
        }
        let generics = self.generics(tparams, where_clause);
        let (self_param, params) = match params {
            Some(p) => self.params(p),
            None => (None, Vec::new()),
        };
        let ret = ret.map(|t| self.ty(t));
        let attrs = attrs
            .iter()
            .filter_map(|a| a.named_child(0))
            .map(|a| self.name(a))
            .collect();

        // Items declared in the body are not methods of an enclosing impl or trait.
        let inner = Container {
            modules: self.container.modules.clone(),
            parent_fns: {
                let mut p = self.container.parent_fns.clone();
                p.push(name.clone());
                p
            },
            ..Container::default()
        };
        let container = std::mem::replace(&mut self.container, inner);
        let body = body.map(|b| self.block(b));
        self.container = container;

        let def = FnDef {
            name,
            name_span,
            generics,
            self_param,
            params,
            ret,
            body,
            is_unsafe,
            is_async,
            is_const,
            attrs,
        };
        let item = Item::Fn(FnItem {
            container: self.shared_container(),
            offset,
            len,
            def: Arc::new(def),
        });
        let slot = slot.min(self.sh.items.len());
        self.sh.items.insert(slot, item);
        self.base = outer_base;
        self.leave();
    }

    fn params(&mut self, node: Node<'t>) -> (Option<SelfParam>, Vec<Param>) {
        let mut self_param = None;
        let mut params = Vec::new();
        let kids = self.push_kids(node);
        for i in kids.iter() {
            let k = self.kid(i);
            let span = self.span(k.node);
            match k.kind {
                K::SelfParameter => {
                    let sk = self.push_kids(k.node);
                    let mutability = mut_if(self.first_of(sk, K::MutableSpecifier).is_some());
                    let lifetime = self.first_of(sk, K::Lifetime);
                    let is_ref = self.has_anon(sk, "&");
                    self.pop_kids(sk);
                    let lifetime = lifetime.map(|l| self.label_name(l));
                    self_param = Some(if is_ref {
                        SelfParam::Ref {
                            mutability,
                            lifetime,
                            span,
                        }
                    } else {
                        SelfParam::Value { mutability, span }
                    });
                }
                K::Parameter => {
                    let pk = self.push_kids(k.node);
                    let is_mut = self.first_of(pk, K::MutableSpecifier).is_some();
                    let pat = self.field(pk, self.g.f.pattern);
                    let ty = self.field(pk, self.g.f.type_);
                    self.pop_kids(pk);
                    let ty = ty.map_or(Type::Unknown, |t| self.ty(t));
                    match pat {
                        Some(p) if self.kind(p) == K::SelfKw => {
                            self_param = Some(SelfParam::Typed {
                                mutability: mut_if(is_mut),
                                ty,
                                span,
                            });
                        }
                        _ => {
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
                            params.push(Param { pat, ty, span });
                        }
                    }
                }
                // Anonymous parameters (`fn f(u8);` in 2015 traits) have a type only.
                kind if kind.is_type() => {
                    let ty = self.ty(k.node);
                    params.push(Param {
                        pat: Pat {
                            span,
                            kind: PatKind::Wild,
                        },
                        ty,
                        span,
                    });
                }
                _ => {}
            }
        }
        self.pop_kids(kids);
        (self_param, params)
    }

    fn generics(&mut self, tparams: Option<Node<'t>>, where_clause: Option<Node<'t>>) -> Generics {
        let mut g = Generics::default();
        if let Some(tp) = tparams {
            let kids = self.push_kids(tp);
            for i in kids.iter() {
                let k = self.kid(i);
                match k.kind {
                    K::LifetimeParameter => {
                        let lk = self.push_kids(k.node);
                        let name = self.field(lk, self.g.f.name);
                        if self.field(lk, self.g.f.bounds).is_some() {
                            g.has_lifetime_bounds = true;
                        }
                        self.pop_kids(lk);
                        if let Some(n) = name {
                            let name = self.label_name(n);
                            g.lifetimes.push(name);
                        }
                    }
                    K::TypeParameter => {
                        let tk = self.push_kids(k.node);
                        let name = self.field(tk, self.g.f.name);
                        let bounds = self.field(tk, self.g.f.bounds);
                        self.pop_kids(tk);
                        let mut names = Vec::new();
                        if let Some(b) = bounds {
                            self.bound_names(b, &mut names);
                        }
                        if let Some(n) = name {
                            g.types.push((self.ident(n), names));
                        }
                    }
                    _ => {}
                }
            }
            self.pop_kids(kids);
        }
        if let Some(wc) = where_clause {
            let kids = self.push_kids(wc);
            for i in kids.iter() {
                let k = self.kid(i);
                if k.kind != K::WherePredicate {
                    continue;
                }
                let pk = self.push_kids(k.node);
                let left = self.field(pk, self.g.f.left);
                let bounds = self.field(pk, self.g.f.bounds);
                self.pop_kids(pk);
                let (Some(left), Some(bounds)) = (left, bounds) else {
                    continue;
                };
                if self.text(left).starts_with('\'') {
                    g.has_lifetime_bounds = true;
                }
                if self.kind(left) != K::TypeIdentifier {
                    continue;
                }
                let left = self.text(left);
                if let Some(pos) = g.types.iter().position(|(n, _)| &**n == left) {
                    let mut names = std::mem::take(&mut g.types[pos].1);
                    self.bound_names(bounds, &mut names);
                    g.types[pos].1 = names;
                }
            }
            self.pop_kids(kids);
        }
        g
    }

    /// The names of the bounds in a `trait_bounds` or `bounded_type` node (or of a single bound):
    /// last path segments, `?Sized`, and lifetimes with their quote.
    fn bound_names(&mut self, node: Node<'t>, out: &mut Vec<Name>) {
        if !self.enter() {
            return;
        }
        match self.kind(node) {
            K::TraitBounds | K::BoundedType => {
                let kids = self.push_kids(node);
                for i in kids.iter() {
                    let k = self.kid(i);
                    if !matches!(k.kind, K::Anon | K::Error) {
                        self.bound_names(k.node, out);
                    }
                }
                self.pop_kids(kids);
            }
            K::Lifetime => out.push(self.name(node)),
            K::TypeIdentifier | K::PrimitiveType | K::Identifier => out.push(self.ident(node)),
            K::ScopedTypeIdentifier | K::ScopedIdentifier => {
                if let Some(n) = node.child_by_field_id(self.g.f.name) {
                    out.push(self.ident(n));
                }
            }
            K::GenericType => {
                if let Some(n) = node.child_by_field_id(self.g.f.type_) {
                    self.bound_names(n, out);
                }
            }
            K::FunctionType => match node.child_by_field_id(self.g.f.trait_) {
                Some(n) => self.bound_names(n, out),
                None => out.push(Arc::from("fn")),
            },
            K::HigherRankedTraitBound => {
                if let Some(n) = node.child_by_field_id(self.g.f.type_) {
                    self.bound_names(n, out);
                }
            }
            K::DynamicType | K::AbstractType => {
                if let Some(n) = node.child_by_field_id(self.g.f.trait_) {
                    self.bound_names(n, out);
                }
            }
            K::RemovedTraitBound => {
                let mut inner = Vec::new();
                if let Some(n) = node.named_child(0) {
                    self.bound_names(n, &mut inner);
                }
                out.extend(inner.into_iter().map(|n| Arc::from(format!("?{n}"))));
            }
            _ => {}
        }
        self.leave();
    }

    fn struct_item(&mut self, node: Node<'t>, attrs: &[Node<'t>]) {
        let f = &self.g.f;
        let kids = self.push_kids(node);
        let name = self.field(kids, f.name);
        let tparams = self.field(kids, f.type_parameters);
        let body = self.field(kids, f.body);
        let where_clause = self.first_of(kids, K::WhereClause);
        self.pop_kids(kids);
        let Some(name) = name else { return };
        let name = self.ident(name);
        let generics = self.generics(tparams, where_clause);
        let fields = body.map_or(Fields::Unit, |b| self.fields(b));
        let derives = self.derives(attrs);
        let attrs = self.attr_texts(attrs);
        let container = self.container.clone();
        let is_union = self.kind(node) == K::UnionItem;
        self.sh.items.push(Item::Struct(StructDef {
            container,
            name,
            generics,
            fields,
            derives,
            attrs,
            is_union,
        }));
    }

    fn fields(&mut self, node: Node<'t>) -> Fields {
        let kids = self.push_kids(node);
        let fields = match self.kind(node) {
            K::FieldDeclarationList => {
                let mut named = Vec::new();
                for i in kids.iter() {
                    let k = self.kid(i);
                    if k.kind != K::FieldDeclaration {
                        continue;
                    }
                    let name = k.node.child_by_field_id(self.g.f.name);
                    let ty = k.node.child_by_field_id(self.g.f.type_);
                    if let Some(name) = name {
                        let ty = ty.map_or(Type::Unknown, |t| self.ty(t));
                        named.push((self.ident(name), ty));
                    }
                }
                Fields::Named(named)
            }
            K::OrderedFieldDeclarationList => {
                let mut types = Vec::new();
                for i in kids.iter() {
                    let k = self.kid(i);
                    if k.field == self.g.f.type_ {
                        types.push(self.ty(k.node));
                    }
                }
                Fields::Tuple(types)
            }
            _ => Fields::Unit,
        };
        self.pop_kids(kids);
        fields
    }

    fn enum_item(&mut self, node: Node<'t>, attrs: &[Node<'t>]) {
        let f = &self.g.f;
        let kids = self.push_kids(node);
        let name = self.field(kids, f.name);
        let tparams = self.field(kids, f.type_parameters);
        let body = self.field(kids, f.body);
        let where_clause = self.first_of(kids, K::WhereClause);
        self.pop_kids(kids);
        let Some(name) = name else { return };
        let name = self.ident(name);
        let generics = self.generics(tparams, where_clause);
        let mut variants = Vec::new();
        if let Some(body) = body {
            let kids = self.push_kids(body);
            for i in kids.iter() {
                let k = self.kid(i);
                if k.kind != K::EnumVariant {
                    continue;
                }
                let vname = k.node.child_by_field_id(self.g.f.name);
                let vbody = k.node.child_by_field_id(self.g.f.body);
                if let Some(vname) = vname {
                    let fields = vbody.map_or(Fields::Unit, |b| self.fields(b));
                    variants.push((self.ident(vname), fields));
                }
            }
            self.pop_kids(kids);
        }
        let derives = self.derives(attrs);
        let attrs = self.attr_texts(attrs);
        let container = self.container.clone();
        self.sh.items.push(Item::Enum(EnumDef {
            container,
            name,
            generics,
            variants,
            derives,
            attrs,
        }));
    }

    fn impl_item(&mut self, node: Node<'t>) {
        let f = &self.g.f;
        let kids = self.push_kids(node);
        let tparams = self.field(kids, f.type_parameters);
        let trait_node = self.field(kids, f.trait_);
        let self_node = self.field(kids, f.type_);
        let body = self.field(kids, f.body);
        let where_clause = self.first_of(kids, K::WhereClause);
        let negative = self.has_anon(kids, "!");
        self.pop_kids(kids);
        let generics = self.generics(tparams, where_clause);
        let trait_name = trait_node.and_then(|t| {
            let mut names = Vec::new();
            self.bound_names(t, &mut names);
            names.pop()
        });
        let self_ty = self_node.map_or(Type::Unknown, |t| self.ty(t));
        let mut assoc_types = Vec::new();
        if let Some(body) = body {
            let kids = self.push_kids(body);
            for i in kids.iter() {
                let k = self.kid(i);
                if k.kind != K::TypeItem {
                    continue;
                }
                let name = k.node.child_by_field_id(self.g.f.name);
                let ty = k.node.child_by_field_id(self.g.f.type_);
                if let Some(name) = name {
                    let ty = ty.map_or(Type::Unknown, |t| self.ty(t));
                    assoc_types.push((self.ident(name), ty));
                }
            }
            self.pop_kids(kids);
        }
        let container = self.container.clone();
        self.sh.items.push(Item::Impl(ImplDef {
            container,
            generics: generics.clone(),
            self_ty: self_ty.clone(),
            trait_name: trait_name.clone(),
            negative,
            assoc_types,
        }));
        if let Some(body) = body {
            let outer = self.container.clone();
            self.container.impl_self = Some(self_ty);
            self.container.impl_trait = trait_name;
            self.container.trait_name = None;
            self.container.impl_generics = generics;
            self.item_list(body);
            self.container = outer;
        }
    }

    fn trait_item(&mut self, node: Node<'t>) {
        let f = &self.g.f;
        let kids = self.push_kids(node);
        let name = self.field(kids, f.name);
        let tparams = self.field(kids, f.type_parameters);
        let bounds = self.field(kids, f.bounds);
        let body = self.field(kids, f.body);
        let where_clause = self.first_of(kids, K::WhereClause);
        self.pop_kids(kids);
        let Some(name) = name else { return };
        let name = self.ident(name);
        let generics = self.generics(tparams, where_clause);
        let mut supertraits = Vec::new();
        if let Some(b) = bounds {
            self.bound_names(b, &mut supertraits);
        }
        // `where Self: Bound` says what `: Bound` says.
        if let Some(wc) = where_clause {
            let kids = self.push_kids(wc);
            for i in kids.iter() {
                let k = self.kid(i);
                if k.kind != K::WherePredicate {
                    continue;
                }
                let pk = self.push_kids(k.node);
                let left = self.field(pk, self.g.f.left);
                let bounds = self.field(pk, self.g.f.bounds);
                self.pop_kids(pk);
                if let (Some(left), Some(bounds)) = (left, bounds) {
                    if self.text(left) == "Self" {
                        self.bound_names(bounds, &mut supertraits);
                    }
                }
            }
            self.pop_kids(kids);
        }
        supertraits.retain(|n| !n.starts_with('\''));
        let container = self.container.clone();
        self.sh.items.push(Item::Trait(TraitDef {
            container,
            name: name.clone(),
            generics: generics.clone(),
            supertraits,
        }));
        if let Some(body) = body {
            let outer = self.container.clone();
            self.container.impl_self = None;
            self.container.impl_trait = None;
            self.container.trait_name = Some(name);
            self.container.impl_generics = generics;
            self.item_list(body);
            self.container = outer;
        }
    }

    // ---- Types ---------------------------------------------------------------------------

    fn ty(&mut self, node: Node<'t>) -> Type {
        if node.is_missing() || !self.enter() {
            return Type::Unknown;
        }
        let ty = self.ty_inner(node);
        self.leave();
        ty
    }

    fn ty_inner(&mut self, node: Node<'t>) -> Type {
        let f = &self.g.f;
        match self.kind(node) {
            K::TypeIdentifier if self.text(node) == "_" => Type::Infer,
            K::TypeIdentifier
            | K::PrimitiveType
            | K::Identifier
            | K::ScopedTypeIdentifier
            | K::ScopedIdentifier => match self.path_segments(node, false) {
                Some(segments) => Type::Path {
                    segments,
                    args: Vec::new(),
                },
                None => Type::Unknown,
            },
            K::GenericType => {
                let base = node.child_by_field_id(f.type_);
                let args = node.child_by_field_id(f.type_arguments);
                match base.and_then(|b| self.path_segments(b, false)) {
                    Some(segments) => {
                        let args = args.map_or_else(Vec::new, |a| self.generic_args(a));
                        Type::Path { segments, args }
                    }
                    None => Type::Unknown,
                }
            }
            K::ReferenceType => {
                let kids = self.push_kids(node);
                let lifetime = self.first_of(kids, K::Lifetime);
                let is_mut = self.first_of(kids, K::MutableSpecifier).is_some();
                let inner = self.field(kids, f.type_);
                self.pop_kids(kids);
                let lifetime = lifetime.map(|l| self.label_name(l));
                let inner = inner.map_or(Type::Unknown, |t| self.ty(t));
                Type::Ref {
                    lifetime,
                    mutability: mut_if(is_mut),
                    inner: Box::new(inner),
                }
            }
            K::PointerType => {
                let kids = self.push_kids(node);
                let is_mut = self.first_of(kids, K::MutableSpecifier).is_some();
                let inner = self.field(kids, f.type_);
                self.pop_kids(kids);
                let inner = inner.map_or(Type::Unknown, |t| self.ty(t));
                Type::Ptr {
                    mutability: mut_if(is_mut),
                    inner: Box::new(inner),
                }
            }
            K::TupleType => {
                let kids = self.push_kids(node);
                let mut elems = Vec::new();
                for i in kids.iter() {
                    let k = self.kid(i);
                    if k.kind.is_type() {
                        elems.push(self.ty(k.node));
                    }
                }
                self.pop_kids(kids);
                Type::Tuple(elems)
            }
            K::UnitType => Type::Tuple(Vec::new()),
            K::ArrayType => {
                let elem = node.child_by_field_id(f.element);
                let len = node.child_by_field_id(f.length);
                let elem = Box::new(elem.map_or(Type::Unknown, |t| self.ty(t)));
                if let Some(len) = len {
                    let n = self.text(len).replace('_', "");
                    let n = n.trim_end_matches("usize").parse::<u64>().ok();
                    Type::Array(elem, n)
                } else {
                    Type::Slice(elem)
                }
            }
            // `Fn(A) -> B` written without `dyn` is a (2015) bare trait object.
            K::FunctionType => match node.child_by_field_id(f.trait_) {
                Some(_) => Type::DynTrait(self.bounds_of(node)),
                None => Type::FnPtr(
                    node.child_by_field_id(f.return_type)
                        .map(|r| Box::new(self.ty(r))),
                ),
            },
            K::AbstractType => Type::ImplTrait(self.bounds_of(node)),
            K::DynamicType => Type::DynTrait(self.bounds_of(node)),
            K::BoundedType => {
                let is_impl = {
                    let kids = self.push_kids(node);
                    let is_impl = self.first_of(kids, K::AbstractType).is_some();
                    self.pop_kids(kids);
                    is_impl
                };
                let bounds = self.bounds_of(node);
                if is_impl {
                    Type::ImplTrait(bounds)
                } else {
                    Type::DynTrait(bounds)
                }
            }
            K::NeverType => Type::Never,
            _ => Type::Unknown,
        }
    }

    fn bounds_of(&mut self, node: Node<'t>) -> Vec<Name> {
        let mut names = Vec::new();
        self.bound_names(node, &mut names);
        names
    }

    fn generic_args(&mut self, node: Node<'t>) -> Vec<GenericArg> {
        let mut args = Vec::new();
        let kids = self.push_kids(node);
        for i in kids.iter() {
            let k = self.kid(i);
            match k.kind {
                K::Anon | K::AttributeItem | K::TraitBounds | K::Error => {}
                K::Lifetime => {
                    let name = self.label_name(k.node);
                    args.push(GenericArg::Lifetime(name));
                }
                kind if kind.is_type() => {
                    let ty = self.ty(k.node);
                    args.push(GenericArg::Type(ty));
                }
                _ => args.push(GenericArg::Other),
            }
        }
        self.pop_kids(kids);
        args
    }

    /// The segment names of a path (`a::b::C`), generic arguments dropped. Walks the left-nested
    /// `path` fields in a loop so that long paths cost no recursion. `<T>::f` gives `T`'s path
    /// and, when `qualified` is allowed, `<T as Tr>::f` gives `Tr`'s path; otherwise such paths
    /// are unreadable (`None`).
    /// The generic arguments written on any segment of a path (`E::<T>::V`, `E::V::<T>`,
    /// `f::<T>`), in order.
    fn path_generic_args(&mut self, node: Node<'t>) -> Vec<GenericArg> {
        let f = &self.g.f;
        let mut groups = Vec::new();
        let mut cur = node;
        for _ in 0..64 {
            if cur.is_missing() {
                break;
            }
            match self.kind(cur) {
                K::ScopedIdentifier | K::ScopedTypeIdentifier => {
                    match cur.child_by_field_id(f.path) {
                        Some(p) => cur = p,
                        None => break,
                    }
                }
                K::GenericType | K::GenericTypeWithTurbofish | K::GenericFunction => {
                    if let Some(a) = cur.child_by_field_id(f.type_arguments) {
                        groups.push(a);
                    }
                    let inner = cur
                        .child_by_field_id(f.type_)
                        .or_else(|| cur.child_by_field_id(f.function));
                    match inner {
                        Some(i) => cur = i,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        groups.reverse();
        groups
            .into_iter()
            .flat_map(|a| self.generic_args(a))
            .collect()
    }

    fn path_segments(&mut self, node: Node<'t>, qualified: bool) -> Option<Vec<Name>> {
        let f = &self.g.f;
        let mut segments = Vec::new();
        let mut cur = node;
        loop {
            if cur.is_missing() {
                return None;
            }
            match self.kind(cur) {
                K::ScopedIdentifier | K::ScopedTypeIdentifier => {
                    let name = cur.child_by_field_id(f.name)?;
                    segments.push(self.ident(name));
                    match cur.child_by_field_id(f.path) {
                        Some(p) => cur = p,
                        None => break,
                    }
                }
                K::GenericType | K::GenericTypeWithTurbofish => {
                    cur = cur.child_by_field_id(f.type_)?
                }
                K::Identifier | K::TypeIdentifier | K::PrimitiveType => {
                    segments.push(self.ident(cur));
                    break;
                }
                K::SelfKw | K::Crate | K::Super => {
                    segments.push(self.name(cur));
                    break;
                }
                K::BracketedType if qualified => {
                    let inner = cur.named_child(0)?;
                    cur = match self.kind(inner) {
                        K::QualifiedType => inner.child_by_field_id(f.alias)?,
                        _ => inner,
                    };
                }
                _ => return None,
            }
        }
        segments.reverse();
        Some(segments)
    }

    // ---- Blocks and statements -----------------------------------------------------------

    fn block(&mut self, node: Node<'t>) -> Block {
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
        let else_block = alternative.map(|b| self.block(b));
        Stmt::Let {
            pat,
            ty,
            init,
            else_block,
            span,
        }
    }

    // ---- Expressions ---------------------------------------------------------------------

    fn expr(&mut self, node: Node<'t>) -> Expr {
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
            K::ScopedIdentifier => self.path_segments(node, true).map(ExprKind::Path),
            K::GenericFunction => self.generic_function(kids),
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

    fn generic_function(&mut self, kids: Kids) -> Option<ExprKind> {
        let func = self.field(kids, self.g.f.function)?;
        if self.kind(func) == K::FieldExpression {
            // `a.b::<T>` that is not called: a field access with stray generic arguments.
            return Some(self.expr(func).kind);
        }
        self.path_segments(func, true).map(ExprKind::Path)
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
        let op = self.text(self.field(kids, f.operator)?);
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
                return Some(ExprKind::MethodCall {
                    receiver,
                    method,
                    method_span,
                    args,
                });
            }
        }
        if func.is_missing() {
            return None;
        }
        let generics = self.path_generic_args(func);
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

    // ---- Patterns ------------------------------------------------------------------------

    fn pat(&mut self, node: Node<'t>) -> Pat {
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

    // ---- Macros --------------------------------------------------------------------------

    fn macro_call(&mut self, name: Name, tt: Node<'t>) -> ExprKind {
        let fmt_index = format_arg_index(&name);
        let (args, format_idents) = self.macro_args(tt, fmt_index);
        ExprKind::Macro(MacroCall {
            name,
            qualified: false,
            args,
            format_idents,
        })
    }

    /// Reads a macro's token tree. Token trees carry no structure in tree-sitter, and walking
    /// their nodes is slow (every token sits under hidden grammar nodes), so the text between the
    /// delimiters is scanned with the small lexer below instead. Arguments that are single tokens
    /// are converted from the scan; other plausible expression lists are reparsed on their own,
    /// wrapped in an array literal (more faithful than rebuilding expressions from tokens); the
    /// rest become the identifiers of their tokens. Returns the arguments and, for format-like
    /// macros, the identifiers used inline in the format string.
    fn macro_args(
        &mut self,
        tt: Node<'t>,
        fmt_index: Option<usize>,
    ) -> (MacroArgs, Vec<(Name, Span)>) {
        let text = self.text(tt);
        let tt_start = tt.start_byte();
        let closer = match text.as_bytes().first() {
            Some(b'(') => b')',
            Some(b'[') => b']',
            Some(b'{') => b'}',
            _ => {
                return (
                    MacroArgs::Tokens(self.token_idents(text, tt_start)),
                    Vec::new(),
                )
            }
        };
        // A missing closing delimiter is a zero-width node: the text then ends elsewhere.
        if text.len() < 2 || text.as_bytes()[text.len() - 1] != closer {
            return (
                MacroArgs::Tokens(self.token_idents(text, tt_start)),
                Vec::new(),
            );
        }
        let inner = &text[1..text.len() - 1];
        let inner_start = tt_start + 1;
        let scan = scan_macro_tokens(inner);
        if !scan.plausible {
            let format_idents = match fmt_index {
                Some(index) => self.format_idents_from_tokens(inner, inner_start, &scan.top, index),
                None => Vec::new(),
            };
            return (
                MacroArgs::Tokens(self.token_idents(inner, inner_start)),
                format_idents,
            );
        }
        if scan.top.is_empty() {
            return (MacroArgs::Exprs(Vec::new()), Vec::new());
        }
        if let Some(simple) = self.simple_macro_args(inner, inner_start, &scan.top, fmt_index) {
            return simple;
        }
        self.reparse_macro_args(tt, inner, inner_start, &scan.top, fmt_index)
    }

    /// Arguments that are single tokens (`println!("{}", x)`, `vec![0; n]`, `assert!(ok)`) are
    /// converted straight from the scan; that spares most macros the reparse, whose fixed cost
    /// dwarfs such small inputs.
    fn simple_macro_args(
        &mut self,
        inner: &str,
        inner_start: usize,
        top: &[Token],
        fmt_index: Option<usize>,
    ) -> Option<(MacroArgs, Vec<(Name, Span)>)> {
        // Alternating argument, separator, argument..., with at most one `;` (`[elem; n]`).
        let mut semicolon = false;
        for (i, t) in top.iter().enumerate() {
            let ok = if i % 2 == 0 {
                simple_token_lit(t.tok).is_some()
                    || (t.tok == Tok::Word
                        && !is_rust_keyword(&inner[t.start..t.end])
                        && !matches!(&inner[t.start..t.end], "crate" | "super"))
            } else {
                let sep = &inner[t.start..t.end];
                match sep {
                    "," => !semicolon,
                    ";" => {
                        let first = !semicolon && i == 1 && top.len() == 3;
                        semicolon = true;
                        first
                    }
                    _ => false,
                }
            };
            if !ok {
                return None;
            }
        }
        let mut exprs = Vec::with_capacity(top.len() / 2 + 1);
        let mut format_idents = Vec::new();
        for t in top.iter().step_by(2) {
            let text = &inner[t.start..t.end];
            let pos = inner_start + t.start;
            let span = Span {
                start: self.rel(pos),
                end: self.rel(inner_start + t.end),
            };
            if Some(exprs.len()) == fmt_index && t.tok == Tok::Str {
                format_idents = self.format_string_idents(text, pos);
            }
            let kind = match simple_token_lit(t.tok) {
                Some(lit) => ExprKind::Lit(lit),
                None if text == "true" || text == "false" => ExprKind::Lit(Lit::Bool),
                None => ExprKind::Path(vec![Arc::from(text.strip_prefix("r#").unwrap_or(text))]),
            };
            exprs.push(Expr { span, kind });
        }
        if semicolon {
            let len = exprs.pop()?;
            let elem = exprs.pop()?;
            return Some((MacroArgs::Repeat(Box::new(elem), Box::new(len)), Vec::new()));
        }
        Some((MacroArgs::Exprs(exprs), format_idents))
    }

    fn reparse_macro_args(
        &mut self,
        tt: Node<'t>,
        inner: &str,
        inner_start: usize,
        top: &[Token],
        fmt_index: Option<usize>,
    ) -> (MacroArgs, Vec<(Name, Span)>) {
        let mut src = String::with_capacity(MACRO_PREFIX.len() + inner.len() + MACRO_SUFFIX.len());
        src.push_str(MACRO_PREFIX);
        src.push_str(inner);
        src.push_str(MACRO_SUFFIX);
        let tree = if self.sh.macro_nesting < MAX_MACRO_NESTING {
            self.macro_tree(src.as_str())
        } else {
            None
        };
        let root = tree.as_ref().map(|t| t.root_node());
        let array = root
            .filter(|r| !r.has_error())
            .and_then(|r| r.named_child(0))
            .and_then(|f| f.child_by_field_id(self.g.f.body))
            .and_then(|b| b.named_child(0))
            .and_then(|s| s.named_child(0))
            .filter(|a| self.g.kind(*a) == K::ArrayExpression);
        let (Some(root), Some(array)) = (root, array) else {
            let format_idents = match fmt_index {
                Some(index) => self.format_idents_from_tokens(inner, inner_start, top, index),
                None => Vec::new(),
            };
            let tokens = self.token_idents(self.text(tt), tt.start_byte());
            return (MacroArgs::Tokens(tokens), format_idents);
        };
        let delta = self.delta + inner_start as i64 - MACRO_PREFIX.len() as i64;
        let container = std::mem::take(&mut self.container);
        self.sh.macro_nesting += 1;
        let mut sub = Cx::new(&src, root, self.base, delta, container, &mut *self.sh);
        let result = sub.macro_array(array, fmt_index);
        self.container = std::mem::take(&mut sub.container);
        self.sh.macro_nesting -= 1;
        result
    }

    /// The parse of a macro's arguments (wrapped in `MACRO_PREFIX` and `MACRO_SUFFIX`). The
    /// function being edited is converted again on every keystroke, and its macros' arguments
    /// with it: a conversion that follows another keeps the parses it made, by their text, for
    /// the next one (only theirs: the first conversion of a file would keep every macro's).
    fn macro_tree(&mut self, src: &str) -> Option<Tree> {
        let sh = &mut *self.sh;
        let keep = sh.caching && !sh.cache_old.text.is_empty();
        let tree = match sh.cache_old.macros.remove_entry(src) {
            Some((src, tree)) => {
                if keep {
                    sh.cache_new.macros.insert(src, tree.clone());
                }
                return tree;
            }
            None => {
                let parser = sh.parser.get_or_insert_with(new_parser);
                parse_within_budget(parser, src, None)
            }
        };
        if keep {
            sh.cache_new.macros.insert(src.into(), tree.clone());
        }
        tree
    }

    fn macro_array(
        &mut self,
        array: Node<'t>,
        fmt_index: Option<usize>,
    ) -> (MacroArgs, Vec<(Name, Span)>) {
        let kids = self.push_kids(array);
        if let Some(len) = self.field(kids, self.g.f.length) {
            let elem = self.first_named(kids).filter(|e| *e != len);
            self.pop_kids(kids);
            return match elem {
                Some(e) => {
                    let e = self.expr(e);
                    let n = self.expr(len);
                    (MacroArgs::Repeat(Box::new(e), Box::new(n)), Vec::new())
                }
                None => (MacroArgs::Exprs(Vec::new()), Vec::new()),
            };
        }
        let mut exprs = Vec::new();
        let mut format_idents = Vec::new();
        let mut named_args: Vec<Name> = Vec::new();
        let mut index = 0;
        for i in kids.iter() {
            let k = self.kid(i);
            if matches!(k.kind, K::Anon | K::AttributeItem) {
                continue;
            }
            if Some(index) == fmt_index && matches!(k.kind, K::StringLiteral | K::RawStringLiteral)
            {
                format_idents = self.format_string_idents(self.text(k.node), k.node.start_byte());
            }
            index += 1;
            // `name = expr` is a named argument of a format macro; the value is what is used.
            if k.kind == K::AssignmentExpression {
                let left = k.node.child_by_field_id(self.g.f.left);
                let right = k.node.child_by_field_id(self.g.f.right);
                if let (Some(l), Some(r)) = (left, right) {
                    if self.kind(l) == K::Identifier {
                        named_args.push(self.ident(l));
                        let e = self.expr(r);
                        exprs.push(e);
                        continue;
                    }
                }
            }
            let e = self.expr(k.node);
            exprs.push(e);
        }
        self.pop_kids(kids);
        // `{x}` refers to the named argument `x = ..` when there is one, not to a variable.
        format_idents.retain(|(n, _)| !named_args.contains(n));
        (MacroArgs::Exprs(exprs), format_idents)
    }

    /// When the arguments could not be parsed, the format string is still found by counting
    /// top-level commas.
    fn format_idents_from_tokens(
        &self,
        inner: &str,
        inner_start: usize,
        top: &[Token],
        index: usize,
    ) -> Vec<(Name, Span)> {
        let mut group = top.split(|t| t.tok == Tok::Punct && &inner[t.start..t.end] == ",");
        match group.nth(index) {
            Some([lit]) if lit.tok == Tok::Str => {
                self.format_string_idents(&inner[lit.start..lit.end], inner_start + lit.start)
            }
            _ => Vec::new(),
        }
    }

    /// The identifiers among the tokens of `text` (at `pos` in this converter's text), keywords
    /// and primitive type names left out.
    fn token_idents(&self, text: &str, pos: usize) -> Vec<(Name, Span)> {
        Lexer::new(text)
            .filter(|t| t.tok == Tok::Word)
            .filter_map(|t| {
                let word = &text[t.start..t.end];
                let is_name = !(is_rust_keyword(word)
                    || is_primitive_type(word)
                    || matches!(word, "_" | "true" | "false" | "crate" | "super"));
                is_name.then(|| {
                    let span = Span {
                        start: self.rel(pos + t.start),
                        end: self.rel(pos + t.end),
                    };
                    (Arc::from(word.strip_prefix("r#").unwrap_or(word)), span)
                })
            })
            .collect()
    }

    /// The identifiers a format string captures: `{x}`, `{x:?}`, and widths or precisions written
    /// `{:w$}` / `{:.p$}`. Positional `{0}`, `{}` and escaped braces are skipped. `text` is the
    /// literal with its quotes, at `start` in this converter's text.
    fn format_string_idents(&self, text: &str, start: usize) -> Vec<(Name, Span)> {
        let s = text.as_bytes();
        let mut out = Vec::new();
        let Some(open) = s.iter().position(|&b| b == b'"') else {
            return out;
        };
        let raw = s[..open].contains(&b'r');
        let hashes = s[..open].iter().filter(|&&b| b == b'#').count();
        let end = s.len().saturating_sub(1 + hashes);
        if end <= open {
            return out;
        }
        let mut push = |from: usize, to: usize| {
            let Some(name) = text.get(from..to) else {
                return;
            };
            if is_format_ident(name) {
                out.push((
                    Arc::from(name),
                    Span {
                        start: self.rel(start + from),
                        end: self.rel(start + to),
                    },
                ));
            }
        };
        let mut i = open + 1;
        while i < end {
            match s[i] {
                b'\\' if !raw => {
                    // `\u{..}` holds braces that are not format placeholders.
                    if s.get(i + 1) == Some(&b'u') && s.get(i + 2) == Some(&b'{') {
                        i += s[i..end]
                            .iter()
                            .position(|&b| b == b'}')
                            .map_or(end - i, |p| p + 1);
                    } else {
                        i += 2;
                    }
                }
                b'{' if s.get(i + 1) == Some(&b'{') => i += 2,
                b'{' => {
                    let Some(len) = s[i + 1..end].iter().position(|&b| b == b'}') else {
                        break;
                    };
                    let body = i + 1..i + 1 + len;
                    let colon = s[body.clone()]
                        .iter()
                        .position(|&b| b == b':')
                        .map_or(body.end, |p| body.start + p);
                    push(body.start, colon);
                    // Named widths and precisions: an identifier right before a `$`.
                    let mut j = colon;
                    while j < body.end {
                        if s[j] == b'$' {
                            let mut k = j;
                            while k > colon + 1
                                && (s[k - 1].is_ascii_alphanumeric() || s[k - 1] == b'_')
                            {
                                k -= 1;
                            }
                            push(k, j);
                        }
                        j += 1;
                    }
                    i = body.end + 1;
                }
                _ => i += 1,
            }
        }
        out
    }
}

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "in" | "else" | "ref" | "dyn" | "box" | "extern" | "move" | "yield" | "try" | "do"
    )
}

/// Which argument of a format-like macro is the format string.
fn format_arg_index(name: &str) -> Option<usize> {
    match name {
        "print" | "println" | "eprint" | "eprintln" | "format" | "panic" | "unreachable"
        | "todo" | "unimplemented" | "format_args" => Some(0),
        "write" | "writeln" | "assert" | "debug_assert" => Some(1),
        "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => Some(2),
        _ => None,
    }
}

/// A named format argument: an identifier that does not start with a digit (those are positions).
fn is_format_ident(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_alphabetic() => {}
        _ => return false,
    }
    s != "_" && chars.all(|c| c == '_' || c.is_alphanumeric())
}

fn mut_if(is_mut: bool) -> Mutability {
    if is_mut {
        Mutability::Mut
    } else {
        Mutability::Not
    }
}

/// `mut` written before a binding (`let mut x`, `mut x: T`, `|mut x|`).
fn set_mut(pat: &mut Pat) {
    if let PatKind::Binding { mutability, .. } = &mut pat.kind {
        *mutability = Mutability::Mut;
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

// ---- A small lexer for macro token trees ---------------------------------------------------

/// What a token is, as far as reading macro arguments needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    /// An identifier or keyword (`r#raw` ones included).
    Word,
    /// `'a`: a lifetime or label.
    Lifetime,
    /// A string literal of any kind that formats as text: `".."`, `r#".."#`, `c".."`.
    Str,
    ByteStr,
    Char,
    Byte,
    Int,
    Float,
    Open,
    Close,
    Punct,
}

/// A token with its byte range in the lexed text.
#[derive(Clone, Copy, Debug)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

/// Splits Rust text into tokens, skipping whitespace and comments. It is forgiving: anything it
/// does not recognise becomes a one-character `Punct`, so it always makes progress and never
/// fails, whatever the input.
struct Lexer<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Lexer {
            s: text.as_bytes(),
            text,
            i: 0,
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.s.get(i).copied().unwrap_or(0)
    }

    /// The character starting at byte `i` (a char boundary) and its length.
    fn char_at(&self, i: usize) -> Option<(char, usize)> {
        let c = self.text.get(i..)?.chars().next()?;
        Some((c, c.len_utf8()))
    }

    fn is_ident_char(c: char) -> bool {
        c == '_' || c.is_alphanumeric()
    }

    /// Skips identifier characters from `i`; returns the end.
    fn ident_end(&self, mut i: usize) -> usize {
        while let Some((c, len)) = self.char_at(i) {
            if !Self::is_ident_char(c) {
                break;
            }
            i += len;
        }
        i
    }

    /// The end of a quoted string whose opening quote ends just before `i`.
    fn string_end(&self, mut i: usize) -> usize {
        while i < self.s.len() {
            match self.s[i] {
                b'\\' => i += 2,
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        self.s.len()
    }

    /// The end of a raw string starting at `i` with `r`, or `None` if it is not one.
    fn raw_string_end(&self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        while self.at(j) == b'#' {
            j += 1;
        }
        if self.at(j) != b'"' {
            return None;
        }
        let hashes = j - i - 1;
        let mut k = j + 1;
        while k < self.s.len() {
            if self.s[k] == b'"'
                && self.s[k + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&b| b == b'#')
                    .count()
                    == hashes
            {
                return Some(k + 1 + hashes);
            }
            k += 1;
        }
        Some(self.s.len())
    }

    /// A character literal starting at the quote at `i`, or `None` for a lifetime.
    fn char_end(&self, i: usize) -> Option<usize> {
        if self.at(i + 1) == b'\\' {
            // Skip the escaped character, then find the closing quote (`'\u{..}'`, `'\''`).
            let mut j = i + 3;
            while j < self.s.len() && self.s[j] != b'\'' && self.s[j] != b'\n' {
                j += 1;
            }
            return Some((j + 1).min(self.s.len()));
        }
        let (_, len) = self.char_at(i + 1)?;
        (self.at(i + 1 + len) == b'\'').then_some(i + 2 + len)
    }

    fn number(&self, start: usize) -> (Tok, usize) {
        let radix = matches!(
            &self.s[start..(start + 2).min(self.s.len())],
            b"0x" | b"0b" | b"0o"
        );
        let mut i = if radix { start + 2 } else { start };
        let mut float = false;
        loop {
            let c = self.at(i);
            if c.is_ascii_alphanumeric() || c == b'_' {
                // An exponent sign: `1e-5`.
                if !radix
                    && (c == b'e' || c == b'E')
                    && matches!(self.at(i + 1), b'+' | b'-')
                    && self.at(i + 2).is_ascii_digit()
                {
                    float = true;
                    i += 2;
                }
                i += 1;
            } else if c == b'.' && !radix && !float && self.at(i + 1).is_ascii_digit() {
                float = true;
                i += 1;
            } else {
                break;
            }
        }
        let text = &self.text[start..i];
        let int_suffix = [
            "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        ]
        .iter()
        .any(|s| text.ends_with(s));
        let float = !int_suffix
            && (float
                || text.ends_with("f32")
                || text.ends_with("f64")
                || (!radix && text.contains(['e', 'E'])));
        (if float { Tok::Float } else { Tok::Int }, i)
    }

    fn punct_len(&self, i: usize) -> usize {
        const LONG: [&str; 23] = [
            "...", "..=", "<<=", ">>=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=",
            "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>",
        ];
        let rest = &self.s[i..];
        if let Some(p) = LONG.iter().find(|p| rest.starts_with(p.as_bytes())) {
            return p.len();
        }
        if rest.starts_with(b"..") {
            return 2;
        }
        self.char_at(i).map_or(1, |(_, len)| len)
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        // Whitespace and comments.
        loop {
            let c = *self.s.get(self.i)?;
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.i += 1,
                b'/' if self.at(self.i + 1) == b'/' => {
                    self.i = self.s[self.i..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(self.s.len(), |p| self.i + p);
                }
                b'/' if self.at(self.i + 1) == b'*' => {
                    let mut depth = 0usize;
                    while self.i < self.s.len() {
                        if self.s[self.i] == b'/' && self.at(self.i + 1) == b'*' {
                            depth += 1;
                            self.i += 2;
                        } else if self.s[self.i] == b'*' && self.at(self.i + 1) == b'/' {
                            depth -= 1;
                            self.i += 2;
                            if depth == 0 {
                                break;
                            }
                        } else {
                            self.i += 1;
                        }
                    }
                }
                _ if c >= 0x80 && self.char_at(self.i).is_some_and(|(c, _)| c.is_whitespace()) => {
                    self.i += self.char_at(self.i).map_or(1, |(_, len)| len);
                }
                _ => break,
            }
        }
        let start = self.i;
        let c = self.s[start];
        let (tok, end) = match c {
            b'"' => (Tok::Str, self.string_end(start + 1)),
            b'\'' => match self.char_end(start) {
                Some(end) => (Tok::Char, end),
                None => {
                    let end = self.ident_end(start + 1);
                    if end > start + 1 {
                        (Tok::Lifetime, end)
                    } else {
                        (Tok::Punct, start + 1)
                    }
                }
            },
            b'0'..=b'9' => self.number(start),
            b'(' | b'[' | b'{' => (Tok::Open, start + 1),
            b')' | b']' | b'}' => (Tok::Close, start + 1),
            b'b' if self.at(start + 1) == b'"' => (Tok::ByteStr, self.string_end(start + 2)),
            b'b' if self.at(start + 1) == b'\'' => match self.char_end(start + 1) {
                Some(end) => (Tok::Byte, end),
                None => (Tok::Word, start + 1),
            },
            b'c' if self.at(start + 1) == b'"' => (Tok::Str, self.string_end(start + 2)),
            b'r' if matches!(self.at(start + 1), b'"' | b'#')
                && self.raw_string_end(start).is_some() =>
            {
                (Tok::Str, self.raw_string_end(start).unwrap_or(self.s.len()))
            }
            b'b' | b'c'
                if self.at(start + 1) == b'r' && self.raw_string_end(start + 1).is_some() =>
            {
                let kind = if c == b'b' { Tok::ByteStr } else { Tok::Str };
                (kind, self.raw_string_end(start + 1).unwrap_or(self.s.len()))
            }
            b'r' if self.at(start + 1) == b'#' => (Tok::Word, self.ident_end(start + 2)),
            _ => match self.char_at(start) {
                Some((c, _)) if c == '_' || c.is_alphabetic() => (Tok::Word, self.ident_end(start)),
                _ => (Tok::Punct, start + self.punct_len(start)),
            },
        };
        // Every branch consumes at least one byte, and ends stay on char boundaries for valid
        // tokens; a clamp keeps broken input (an escape at the very end) in range.
        let end = end.clamp(start + 1, self.s.len());
        let end = (end..=self.s.len())
            .find(|&e| self.text.is_char_boundary(e))
            .unwrap_or(self.s.len());
        self.i = end;
        Some(Token { tok, start, end })
    }
}

/// What the lexer learnt about a macro's arguments in one pass.
struct MacroScan {
    /// The tokens at the top level (not inside a nested group); a nested group is represented by
    /// its opening token, with `end` at its closing one.
    top: Vec<Token>,
    /// Whether the top-level tokens could be a comma-separated list of expressions (see
    /// `scan_macro_tokens`).
    plausible: bool,
}

/// Scans a macro's arguments. Reparsing text that is not an expression list costs tree-sitter's
/// error recovery, which is slow, and many macros (`tracing`'s `name: "x", ?field`,
/// `matches!(x, P if c)`, `quote! { impl .. }`) are plainly something else: a look at the
/// top-level tokens rules most of them out without parsing. Unbalanced delimiters also make the
/// arguments implausible.
fn scan_macro_tokens(inner: &str) -> MacroScan {
    let mut top: Vec<Token> = Vec::new();
    let mut plausible = true;
    let mut depth = 0usize;
    let mut semicolons = 0;
    // Whether the previous top-level token ends an operand (so a postfix `?` or a binary
    // operator may follow) and whether it is an atom (so another atom may not).
    let mut after_operand = false;
    let mut after_atom = false;
    for t in Lexer::new(inner) {
        match t.tok {
            Tok::Open => {
                depth += 1;
                if depth == 1 {
                    top.push(t);
                }
                continue;
            }
            Tok::Close => {
                if depth == 0 {
                    plausible = false;
                    continue;
                }
                depth -= 1;
                if depth == 0 {
                    if let Some(group) = top.last_mut() {
                        group.end = t.end;
                    }
                    after_operand = true;
                    after_atom = false;
                }
                continue;
            }
            _ if depth > 0 => continue,
            _ => {}
        }
        top.push(t);
        if !plausible {
            continue;
        }
        let text = &inner[t.start..t.end];
        let (operand, atom) = match t.tok {
            Tok::Punct => {
                match text {
                    "=>" | ":" | "@" | "$" => plausible = false,
                    ";" => {
                        semicolons += 1;
                        plausible &= semicolons <= 1;
                    }
                    "?" | "%" | "^" | "/" | "==" | "!=" | "<=" | ">=" | "+=" | "-=" | "*="
                    | "/=" | "%=" | "^=" | "&=" | "|=" | "<<=" | ">>=" | "." => {
                        plausible &= after_operand
                    }
                    _ => {}
                }
                (text == "?", false)
            }
            Tok::Word => match text {
                "fn" | "struct" | "enum" | "impl" | "trait" | "let" | "mod" | "use" | "pub"
                | "type" | "where" | "in" | "static" => {
                    plausible = false;
                    (false, false)
                }
                "as" => {
                    plausible &= after_operand;
                    (false, false)
                }
                "await" => (true, false),
                "self" | "Self" | "crate" | "super" | "true" | "false" => (true, true),
                w if is_rust_keyword(w) => (false, false),
                _ => (true, true),
            },
            Tok::Lifetime => (false, false),
            _ => (true, true),
        };
        if atom && after_atom {
            plausible = false;
        }
        after_operand = operand;
        after_atom = atom;
    }
    if depth != 0 {
        plausible = false;
    }
    MacroScan { top, plausible }
}

/// The literal a single-token macro argument is, if it is a literal other than `true`/`false`.
fn simple_token_lit(tok: Tok) -> Option<Lit> {
    Some(match tok {
        Tok::Str => Lit::Str,
        Tok::ByteStr => Lit::ByteStr,
        Tok::Char => Lit::Char,
        Tok::Byte => Lit::Byte,
        Tok::Int => Lit::Int,
        Tok::Float => Lit::Float,
        _ => return None,
    })
}

/// Rust's keywords, strict and reserved, except the path roots `self`, `Self`, `crate`, `super`
/// and the literals `true`, `false`, which stand for values.
fn is_rust_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "gen"
            | "macro"
            | "override"
            | "priv"
            | "try"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
    )
}

fn is_primitive_type(word: &str) -> bool {
    matches!(
        word,
        "u8" | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "f32"
            | "f64"
            | "bool"
            | "char"
            | "str"
    )
}

/// The length of the longest common prefix of two byte strings, eight bytes at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let x = u64::from_ne_bytes(a[i..i + 8].try_into().unwrap());
        let y = u64::from_ne_bytes(b[i..i + 8].try_into().unwrap());
        if x != y {
            break;
        }
        i += 8;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// The length of the longest common suffix of two byte strings, eight bytes at a time.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + 8 <= n {
        let x = u64::from_ne_bytes(a[n - i - 8..n - i].try_into().unwrap());
        let y = u64::from_ne_bytes(b[n - i - 8..n - i].try_into().unwrap());
        if x != y {
            break;
        }
        i += 8;
    }
    i + a[..n - i]
        .iter()
        .rev()
        .zip(b[..n - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The number of `\n` bytes, eight bytes at a time.
fn count_newlines(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0usize;
    for c in &mut chunks {
        // A zero byte of `x` is a `\n` of the chunk; count the zero bytes exactly.
        let x = u64::from_ne_bytes(c.try_into().unwrap()) ^ (ONES * b'\n' as u64);
        let zero = !(((x & !HIGH) + !HIGH) | x) & HIGH;
        n += zero.count_ones() as usize;
    }
    n + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    //! The tests render the converted tree in a compact text form and compare strings, so that a
    //! failing case shows the whole shape at once.

    use super::*;

    /// The lexer's pieces of text end on character boundaries, whatever the offset asked for, and
    /// are empty only at the end: a character cut at a piece's end made tree-sitter ask again and
    /// decode a null pointer once the input had ended early.
    #[test]
    fn read_pieces_end_on_character_boundaries() {
        let text = format!("{}\u{feff}é𝄞{}", "x".repeat(READ_CHUNK - 2), "é".repeat(READ_CHUNK));
        for at in (0..text.len()).filter(|&at| text.is_char_boundary(at)) {
            let chunk = read_chunk(&text, at);
            assert!(!chunk.is_empty(), "empty piece at {at}");
            assert!(chunk.len() <= READ_CHUNK + 3);
            assert!(std::str::from_utf8(chunk).is_ok(), "piece at {at} cuts a character");
        }
        assert!(read_chunk(&text, text.len()).is_empty());
        assert!(read_chunk(&text, text.len() + 5).is_empty());
    }

    /// The conversion cache is invisible: after any edit, converting the incremental parse with
    /// the cache gives what converting it without gives.
    #[test]
    fn cached_conversion_equals_uncached() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus");
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(dir)];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).expect("the corpora beside the repository") {
                let path = e.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    files.push(path);
                }
            }
        }
        files.sort();
        let inserts = [
            "x",
            "\n",
            "{",
            "}",
            ";",
            "\"",
            "//",
            "/*",
            "(",
            ")",
            "let y = &mut v;",
            "fn q() {}",
            "impl X {",
            "mod z {",
            "#[derive(Clone)]",
            "println!(\"{}\", a);",
            "vec![a, b]",
        ];
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for path in &files {
            let mut text = std::fs::read_to_string(path).unwrap();
            let mut tree = ParsedTree::new(&text);
            let _ = tree.convert(&text);
            for _ in 0..20 {
                let floor = |mut i: usize| {
                    while !text.is_char_boundary(i) {
                        i -= 1;
                    }
                    i
                };
                let a = floor(next() % (text.len() + 1));
                let b = floor((a + next() % 6).min(text.len()));
                let new = format!(
                    "{}{}{}",
                    &text[..a],
                    inserts[next() % inserts.len()],
                    &text[b..]
                );
                tree = tree.reparse(&text, &new);
                let uncached = match tree.0.as_ref() {
                    Some(t) => convert(t, &new),
                    None => SourceFile::default(),
                };
                assert!(
                    tree.convert(&new) == uncached,
                    "{} after {a}..{b}",
                    path.display()
                );
                text = new;
            }
        }
    }
    use crate::ast::*;
    use std::fmt::Write;

    #[test]
    fn word_at_a_time_byte_helpers_agree_with_the_naive_ones() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet = b"ab\n\x00\xff\x0a\x8a";
        for _ in 0..2000 {
            let len = (next() % 40) as usize;
            let a: Vec<u8> = (0..len).map(|_| alphabet[(next() % 7) as usize]).collect();
            let mut b = a.clone();
            if !b.is_empty() && next() % 2 == 0 {
                let i = (next() as usize) % b.len();
                b[i] = b[i].wrapping_add(1);
            }
            b.truncate(b.len() - (next() as usize % (b.len() + 1)).min(3));
            let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            let suffix = a
                .iter()
                .rev()
                .zip(b.iter().rev())
                .take_while(|(x, y)| x == y)
                .count();
            assert_eq!(common_prefix(&a, &b), prefix, "{a:?} {b:?}");
            assert_eq!(common_suffix(&a, &b), suffix, "{a:?} {b:?}");
            assert_eq!(
                count_newlines(&a),
                a.iter().filter(|&&x| x == b'\n').count(),
                "{a:?}"
            );
        }
    }

    fn r_block(b: &Block) -> String {
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

    fn list<T>(xs: &[T], f: impl Fn(&T) -> String, sep: &str) -> String {
        xs.iter().map(f).collect::<Vec<_>>().join(sep)
    }

    fn label(l: &Option<Name>) -> String {
        l.as_ref().map_or(String::new(), |l| format!("'{l}: "))
    }

    fn r_expr(e: &Expr) -> String {
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

    fn r_ty(t: &Type) -> String {
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
            Type::ImplTrait(b) => format!("impl {}", b.join(" + ")),
            Type::DynTrait(b) => format!("dyn {}", b.join(" + ")),
            Type::Never => "!".into(),
            Type::Infer => "_".into(),
            Type::Unknown => "?".into(),
        }
    }

    fn r_generics(g: &Generics) -> String {
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

    fn r_sig(f: &FnDef) -> String {
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
        let ExprKind::Struct { fields, .. } =
            &f.def.body.as_ref().unwrap().tail.as_ref().unwrap().kind
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

    fn lex(text: &str) -> String {
        Lexer::new(text)
            .map(|t| format!("{:?}({})", t.tok, &text[t.start..t.end]))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn lexer() {
        assert_eq!(
            lex(r##"a r#b 'l 'c' '\'' b'x' "s\"q" b"y" r#"a"b"# br"z" c"w" 1 2.5 1e-3 0x1f 1u8 1.max(2) 1..2"##),
            "Word(a) Word(r#b) Lifetime('l) Char('c') Char('\\'') Byte(b'x') Str(\"s\\\"q\") ByteStr(b\"y\") \
             Str(r#\"a\"b\"#) ByteStr(br\"z\") Str(c\"w\") Int(1) Float(2.5) Float(1e-3) Int(0x1f) Int(1u8) \
             Int(1) Punct(.) Word(max) Open(() Int(2) Close()) Int(1) Punct(..) Int(2)"
        );
        assert_eq!(
            lex("x /* a /* b */ c */ y // z\n w"),
            "Word(x) Word(y) Word(w)"
        );
        assert_eq!(lex("a::<b> =>c..=d<<=e é→ü"), "Word(a) Punct(::) Punct(<) Word(b) Punct(>) Punct(=>) Word(c) Punct(..=) Word(d) Punct(<<=) Word(e) Word(é) Punct(→) Word(ü)");
        // Broken input still ends.
        for text in [
            "\"open", "r#\"open", "'", "b'", "/* open", "'\\", "\\", "r#", "0x", "1e+", "é\\",
        ] {
            let _ = lex(text);
        }
    }

    #[test]
    fn token_and_simple_macro_spans() {
        let text =
            "fn f() { m!(a => self.bb, r#cc 'l in u8); vec![x; 10]; assert!(ok, \"{why}\"); }";
        let file = parse(text);
        let f = fns(&file)[0];
        let body = f.def.body.as_ref().unwrap();
        let macro_of = |i: usize| match &body.stmts[i] {
            Stmt::Expr {
                expr:
                    Expr {
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
        let src = "fn f(a: &dyn for<'a> Fn(&'a u8), b: &'static str, c: Box<dyn Error + Send + 'static>, \
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
        let GenericArg::Type(Type::DynTrait(bounds)) = &args[0] else {
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
                "fn deep mod=m::n",
                "impl - super::U assoc=[] mod=m",
                "fn new mod=m impl=super::U",
                "fn outer",
                "fn inner in=outer",
                "struct Local derives=[] in=outer/inner",
                "fn innermost in=outer/inner",
                "impl - U assoc=[] in=outer",
                "fn in_fn impl=U in=outer",
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

    fn rs_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                rs_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    #[test]
    fn corpus_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
        let mut files = Vec::new();
        rs_files(&dir, &mut files);
        if files.is_empty() {
            eprintln!("no corpus at {}; skipped", dir.display());
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
}
