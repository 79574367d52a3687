//! Interned strings and string lists.
//!
//! Many indicator fields repeat across records: the creator, the source, the platform and
//! tag lists, an expiration shared by a batch. Each distinct string (or list of strings) is
//! stored once, and records hold a 4-byte handle to it. Handles are never freed: the set of
//! distinct values a simulator sees stays small next to its records.

use std::collections::HashMap;
use std::sync::Arc;

/// A handle to an interned string; [`Sym::NONE`] stands for an absent value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Sym(u32);

impl Sym {
    /// No value.
    pub const NONE: Sym = Sym(0);
}

/// A handle to an interned list of strings; the default is the empty list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ListId(u32);

/// The interning tables.
#[derive(Debug)]
pub struct Interner {
    strings: Vec<Arc<str>>,
    string_ids: HashMap<Arc<str>, Sym>,
    lists: Vec<Arc<[Sym]>>,
    list_ids: HashMap<Arc<[Sym]>, ListId>,
}

impl Default for Interner {
    fn default() -> Self {
        let empty_list: Arc<[Sym]> = Arc::from(Vec::new());
        Interner {
            // Slot 0 backs `Sym::NONE` and is never handed out for a real string.
            strings: vec![Arc::from("")],
            string_ids: HashMap::new(),
            lists: vec![empty_list.clone()],
            list_ids: HashMap::from([(empty_list, ListId(0))]),
        }
    }
}

impl Interner {
    /// The handle for `s` (the empty string is a value too, distinct from `NONE`).
    pub fn sym(&mut self, s: &str) -> Sym {
        if let Some(id) = self.string_ids.get(s) {
            return *id;
        }
        let id = Sym(u32::try_from(self.strings.len()).expect("fewer than 2^32 strings"));
        let text: Arc<str> = Arc::from(s);
        self.strings.push(text.clone());
        self.string_ids.insert(text, id);
        id
    }

    /// The handle for an optional value.
    pub fn opt_sym(&mut self, s: Option<&str>) -> Sym {
        s.map_or(Sym::NONE, |s| self.sym(s))
    }

    /// The text of a handle; `None` for [`Sym::NONE`].
    pub fn get(&self, sym: Sym) -> Option<&str> {
        (sym != Sym::NONE).then(|| &*self.strings[sym.0 as usize])
    }

    /// The text of a handle, `""` for [`Sym::NONE`].
    pub fn text(&self, sym: Sym) -> &str {
        &self.strings[sym.0 as usize]
    }

    /// The handle for a list of strings (order and repeats kept).
    pub fn list<S: AsRef<str>>(&mut self, items: &[S]) -> ListId {
        let syms: Vec<Sym> = items.iter().map(|s| self.sym(s.as_ref())).collect();
        if let Some(id) = self.list_ids.get(syms.as_slice()) {
            return *id;
        }
        let id = ListId(u32::try_from(self.lists.len()).expect("fewer than 2^32 lists"));
        let list: Arc<[Sym]> = Arc::from(syms);
        self.lists.push(list.clone());
        self.list_ids.insert(list, id);
        id
    }

    /// The items of a list.
    pub fn items(&self, id: ListId) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.lists[id.0 as usize].iter().map(|s| self.text(*s))
    }

    /// The first item of a list, if any.
    pub fn first(&self, id: ListId) -> Option<&str> {
        self.lists[id.0 as usize].first().map(|s| self.text(*s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_lists_are_stored_once() {
        let mut i = Interner::default();
        let a = i.sym("seed");
        assert_eq!(i.sym("seed"), a);
        assert_ne!(i.sym(""), Sym::NONE, "the empty string is a value");
        assert_eq!(i.get(Sym::NONE), None);
        assert_eq!(i.get(a), Some("seed"));
        let l = i.list(&["windows", "mac"]);
        assert_eq!(i.list(&["windows".to_string(), "mac".to_string()]), l);
        assert_ne!(i.list(&["mac", "windows"]), l, "order matters");
        assert_eq!(i.items(l).collect::<Vec<_>>(), ["windows", "mac"]);
        assert_eq!(i.list::<&str>(&[]), ListId::default());
        assert_eq!(i.first(ListId::default()), None);
    }
}
