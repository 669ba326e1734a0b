//! Facts about the standard library API (placeholder until the generated table lands).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Receiver { None, Value, Ref, RefMut }
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetBorrow { None, Shared, Mut }
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Method {
    pub owner: &'static str,
    pub name: &'static str,
    pub receiver: Receiver,
    pub ret_borrow: RetBorrow,
    pub ret: &'static str,
    pub params: &'static [&'static str],
    pub is_unsafe: bool,
}
pub static METHODS: &[Method] = &[];
pub static DEREFS: &[(&str, &str)] = &[];
pub fn lookup(owner: &str, name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.owner == owner && m.name == name)
}
pub fn methods_named(name: &str) -> impl Iterator<Item = &'static Method> + '_ {
    METHODS.iter().filter(move |m| m.name == name)
}
