//! What a function's body may read of the crate's signatures: the entries its names reach.
//!
//! Lowering looks a free function up by the id its path resolved to and a method by the name
//! written at the call (a trait method too, and `write_fmt` for `write!`). So the signatures a
//! body can read are those whose keys are among the strings the resolved function holds, and a
//! body whose slice is unchanged by a signature edit need not be lowered again.

use super::*;

/// Names lowering looks up that the code does not spell: `write!` and `writeln!` call
/// `write_fmt`.
const IMPLICIT: &[&str] = &["write_fmt"];

/// Every string the function holds (its names, paths, resolved ids, literals), sorted and
/// without repeats. Gathered through the function's derived `Hash`, which visits every field of
/// every syntax node: no kind of node added later can hide a name from it.
pub fn names_in(def: &ast::FnDef) -> Vec<Box<str>> {
    use std::hash::Hash;
    let mut strings = Strings(Default::default());
    def.hash(&mut strings);
    let mut names: Vec<Box<str>> = strings.0.into_iter().collect();
    names.sort_unstable();
    names
}

/// A `Hasher` that keeps the strings hashed into it, each once (a body names the same locals
/// and paths many times: each is allocated once): `str`'s `Hash` writes its bytes in one `write`
/// (then a `0xff` byte, which is not UTF-8 on its own); the numbers' writes (lengths, spans,
/// discriminants) are dropped.
struct Strings(std::collections::HashSet<Box<str>, crate::base::FxBuild>);

impl std::hash::Hasher for Strings {
    fn finish(&self) -> u64 {
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        if let Ok(s) = std::str::from_utf8(bytes) {
            if !s.is_empty() && !self.0.contains(s) {
                self.0.insert(s.into());
            }
        }
    }
    fn write_u8(&mut self, _: u8) {}
    fn write_u16(&mut self, _: u16) {}
    fn write_u32(&mut self, _: u32) {}
    fn write_u64(&mut self, _: u64) {}
    fn write_u128(&mut self, _: u128) {}
    fn write_usize(&mut self, _: usize) {}
    fn write_i8(&mut self, _: i8) {}
    fn write_i16(&mut self, _: i16) {}
    fn write_i32(&mut self, _: i32) {}
    fn write_i64(&mut self, _: i64) {}
    fn write_i128(&mut self, _: i128) {}
    fn write_isize(&mut self, _: isize) {}
}

impl FnFacts {
    /// The entries a body holding `names` (as `names_in` gives them) may read: the free
    /// functions with those ids, every self type's methods of those names, and those names'
    /// trait methods. Every lookup such a body makes answers the same from the slice as from
    /// `self`, and the slice shares `self`'s entries.
    pub fn read_by(&self, names: &[Box<str>]) -> FnFacts {
        let mut out = FnFacts::default();
        for n in names.iter().map(|n| &**n).chain(IMPLICIT.iter().copied()) {
            if let Some((k, v)) = self.free.get_key_value(n) {
                out.free.insert(k.clone(), v.clone());
            }
            if let Some((k, v)) = self.methods.get_key_value(n) {
                out.methods.insert(k.clone(), v.clone());
            }
            if let Some((k, v)) = self.method_names.get_key_value(n) {
                out.method_names.insert(k.clone(), v.clone());
            }
        }
        out
    }

    /// How many functions and method names it knows.
    pub fn len(&self) -> usize {
        self.free.len() + self.methods.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
