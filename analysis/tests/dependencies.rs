//! Crates that depend on others (`CrateGraph`): a dependency's items resolve by their paths
//! through the extern prelude, `extern crate`, globs and `pub use` chains across crates, and its
//! signatures decide verdicts in the crate that uses them. Each case was confirmed by `cargo
//! check` on the same files laid out as packages with path dependencies.

use borrowlens_analysis::{CrateData, CrateGraph, Crates, Edition, Parsed};

/// A crate of the case: its name, edition, root path and files, and its dependencies (by the
/// name the code uses and the index of the crate among the case's).
struct Krate<'a> {
    name: &'a str,
    edition: Edition,
    files: &'a [(&'a str, &'a str)],
    deps: &'a [(&'a str, usize)],
}

/// The codes and lines (1-based) that the first crate's files get, in file order.
fn check(crates: &[Krate]) -> Vec<(String, String, u32)> {
    check_with(crates, true)
}

/// `check`, with the dependencies' files given to the analysis or not.
fn check_with(crates: &[Krate], give_deps: bool) -> Vec<(String, String, u32)> {
    let mut graph = CrateGraph::default();
    for k in crates {
        graph.crates.push(CrateData {
            root: k.files[0].0.into(),
            edition: k.edition,
            name: k.name.into(),
            deps: k.deps.iter().map(|(n, i)| ((*n).into(), *i)).collect(),
        });
    }
    let own: Vec<(String, Parsed, Edition)> = crates[0]
        .files
        .iter()
        .map(|(p, t)| {
            let parsed = Parsed::new(t.to_string()).unwrap();
            (p.to_string(), parsed, crates[0].edition)
        })
        .collect();
    let dep_files: Vec<(String, Parsed)> = crates[1..]
        .iter()
        .flat_map(|k| k.files.iter())
        .filter(|_| give_deps)
        .map(|(p, t)| (p.to_string(), Parsed::signatures(t.to_string()).unwrap()))
        .collect();
    let analysed = Crates::new(own, &graph, 1, dep_files);
    let mut out = Vec::new();
    for (i, (path, text)) in crates[0].files.iter().enumerate() {
        for d in analysed.diagnostics(i) {
            let line = text[..d.range.start as usize].matches('\n').count() as u32 + 1;
            out.push((path.to_string(), d.code.to_string(), line));
        }
    }
    out
}

fn found(path: &str, code: &str, line: u32) -> (String, String, u32) {
    (path.to_string(), code.to_string(), line)
}

const TOKENS: &[(&str, &str)] = &[
    (
        "/tokens/src/lib.rs",
        "mod inner;\npub mod prelude {\n    pub use crate::inner::{Point, Token};\n}\npub use inner::consume;\n",
    ),
    (
        "/tokens/src/inner.rs",
        "pub struct Token(pub String);\n\n#[derive(Clone, Copy)]\npub struct Point(pub i32);\n\n\
         pub fn consume(_: Token) {}\npub fn take(_: Point) {}\n",
    ),
];

const TOKENS_CRATE: Krate = Krate {
    name: "tokens",
    edition: Edition::E2021,
    files: TOKENS,
    deps: &[],
};

#[test]
fn a_dependency_s_types_through_a_glob_of_its_re_exports() {
    let main = "use tokens::prelude::*;

fn main() {
    let t = Token(String::new());
    tokens::consume(t);
    tokens::consume(t);
    let p = Point(1);
    let q = p;
    let r = p;
    let _ = (q, r);
}
";
    let found_ = check(&[
        Krate {
            name: "app",
            edition: Edition::E2021,
            files: &[("/app/src/main.rs", main)],
            deps: &[("tokens", 1)],
        },
        TOKENS_CRATE,
    ]);
    assert_eq!(found_, [found("/app/src/main.rs", "E0382", 6)]);
}

#[test]
fn extern_crate_in_2015_and_a_dependency_of_a_dependency_re_exported() {
    // `facade` re-exports `tokens`' items: the chain crosses two crates.
    let main = "extern crate facade;
use facade::Token;

fn main() {
    let t = Token(String::new());
    let u = t;
    facade::consume(t);
    let _ = u;
}
";
    let found_ = check(&[
        Krate {
            name: "app",
            edition: Edition::E2015,
            files: &[("/app/src/main.rs", main)],
            deps: &[("facade", 1)],
        },
        Krate {
            name: "facade",
            edition: Edition::E2018,
            files: &[(
                "/facade/src/lib.rs",
                "pub use tokens::prelude::Token;\npub use tokens::consume;\n",
            )],
            deps: &[("tokens", 2)],
        },
        TOKENS_CRATE,
    ]);
    assert_eq!(found_, [found("/app/src/main.rs", "E0382", 7)]);
}

#[test]
fn a_crate_type_and_a_dependency_type_of_one_name_never_mix() {
    // The crate's own `Point` is not `Copy`; `tokens`' is.
    let main = "mod shapes {
    pub struct Point(pub i32);
}

fn main() {
    let a = tokens::prelude::Point(1);
    let b = a;
    let c = a;
    let p = shapes::Point(1);
    let q = p;
    let r = p;
    let _ = (b, c, q, r);
}
";
    let found_ = check(&[
        Krate {
            name: "app",
            edition: Edition::E2021,
            files: &[("/app/src/main.rs", main)],
            deps: &[("tokens", 1)],
        },
        TOKENS_CRATE,
    ]);
    assert_eq!(found_, [found("/app/src/main.rs", "E0382", 11)]);
}

#[test]
fn a_dependency_s_trait_for_a_std_type_counts_only_where_the_crate_names_it() {
    // `ext` implements a trait with a `first` method for `Vec<T>`. Never named by the crate,
    // it leaves `Vec` as std says (the E0502 is found); named, `first` may be the trait's,
    // whose signature the analysis does not follow through the impl: then nothing is said.
    let ext = "pub trait Ext {\n    fn first(&mut self) -> Option<&u8>;\n}\n\n\
               impl Ext for Vec<u8> {\n    fn first(&mut self) -> Option<&u8> {\n        None\n    }\n}\n";
    let unnamed = "fn main() {
    let mut v: Vec<u8> = vec![1];
    let f = v.first();
    v.push(2);
    let _ = f;
}
";
    let named = format!("use ext::Ext as _;\n{unnamed}");
    for (text, expected) in [
        (unnamed, vec![found("/app/src/main.rs", "E0502", 4)]),
        (named.as_str(), vec![]),
    ] {
        let found_ = check(&[
            Krate {
                name: "app",
                edition: Edition::E2021,
                files: &[("/app/src/main.rs", text)],
                deps: &[("ext", 1)],
            },
            Krate {
                name: "ext",
                edition: Edition::E2021,
                files: &[("/ext/src/lib.rs", ext)],
                deps: &[],
            },
        ]);
        assert_eq!(found_, expected, "{text}");
    }
}

#[test]
fn a_dependency_that_could_not_be_read_is_unknown() {
    // `tokens` is in the graph, but its files are not given: its items are unknown.
    let main = "fn main() {
    let t = tokens::prelude::Token(String::new());
    tokens::consume(t);
    tokens::consume(t);
}
";
    let crates = [
        Krate {
            name: "app",
            edition: Edition::E2021,
            files: &[("/app/src/main.rs", main)],
            deps: &[("tokens", 1)],
        },
        TOKENS_CRATE,
    ];
    assert_eq!(check_with(&crates, false), []);
    assert_eq!(
        check_with(&crates, true),
        [found("/app/src/main.rs", "E0382", 4)]
    );
}

/// A dependency whose modules are made by an item macro, as serde's are (`crate_root!()`,
/// defined in a `#[macro_use]` module), used through `extern crate .. as ..` from a module of
/// the crate: the alias is in the extern prelude.
const MACRO_MADE: &[(&str, &str)] = &[
    (
        "/core_like/src/lib.rs",
        "#[macro_use]\nmod root_macro;\n\ncrate_root!();\n",
    ),
    (
        "/core_like/src/root_macro.rs",
        "macro_rules! crate_root {
    () => {
        pub mod de;
        pub use crate::de::Visitor;
        macro_rules! tri {
            ($e:expr) => {
                match $e {
                    Some(v) => v,
                    None => return None,
                }
            };
        }
    };
}
",
    ),
    (
        "/core_like/src/de.rs",
        "pub trait Visitor: Sized {\n    fn visit(self) -> u8 {\n        0\n    }\n}\n",
    ),
];

#[test]
fn a_dependency_s_modules_made_by_its_item_macro() {
    let main = "extern crate core_like as facade;\n\nmod user;\n\nfn main() {}\n";
    let user = "use facade::de::Visitor;

pub fn twice<V: Visitor>(v: V) -> u8 {
    drop(v);
    v.visit()
}

pub fn by_root<V: facade::Visitor>(v: V) -> u8 {
    let w = v;
    v.visit() + w.visit()
}
";
    let found_ = check(&[
        Krate {
            name: "app",
            edition: Edition::E2021,
            files: &[("/app/src/main.rs", main), ("/app/src/user.rs", user)],
            deps: &[("core_like", 1)],
        },
        Krate {
            name: "core_like",
            edition: Edition::E2021,
            files: MACRO_MADE,
            deps: &[],
        },
    ]);
    assert_eq!(
        found_,
        [
            found("/app/src/user.rs", "E0382", 5),
            found("/app/src/user.rs", "E0382", 10)
        ]
    );
}

#[test]
fn an_item_macro_is_the_one_in_textual_scope() {
    // The later `make` is inside `inner`, not `#[macro_use]`: the invocation at the root means
    // the first one, which makes `de`.
    let lib = "macro_rules! make {
    () => {
        pub mod de;
    };
}

mod inner {
    macro_rules! make {
        () => {
            pub struct Unused;
        };
    }
    pub fn f() {}
}

make!();
";
    let main = "use shapes::de::Shape;

fn main() {
    let s = Shape(1);
    let t = s;
    let _ = (s, t);
}
";
    let found_ = check(&[
        Krate {
            name: "app",
            edition: Edition::E2021,
            files: &[("/app/src/main.rs", main)],
            deps: &[("shapes", 1)],
        },
        Krate {
            name: "shapes",
            edition: Edition::E2021,
            files: &[
                ("/shapes/src/lib.rs", lib),
                ("/shapes/src/de.rs", "pub struct Shape(pub i32);\n"),
            ],
            deps: &[],
        },
    ]);
    assert_eq!(found_, [found("/app/src/main.rs", "E0382", 6)]);
}
