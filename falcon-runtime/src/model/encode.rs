//! Writing, showing and comparing a generated model. Each model has one non-generic function
//! that hands its fields to a [`Fields`] visitor ([`Encode::encode`]); its `Serialize`, `Debug`
//! and `PartialEq` impls are one-line calls to [`serialize`], [`debug`] and [`eq`], which walk
//! that one list. Per field that is one line of generated code in one body, where derives and
//! a generic writer were a line in each of three or four, most of what checking a generated
//! crate costs. The fields are reached through `dyn` ([`Field`], [`erased_serde`]): a virtual
//! call per field when a request body is written, nothing when a reply is read.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// What a field's value must be for its model to be written, shown and compared: every type a
/// generated field holds (strings, numbers, `serde_json::Value`, models, lists and maps of them).
pub trait Value: Serialize + fmt::Debug + PartialEq + 'static {}

impl<T: Serialize + fmt::Debug + PartialEq + 'static> Value for T {}

/// A generated model as a list of fields.
pub trait Encode {
    /// Hands each field to `fields` with its JSON key, in declaration order, then the keys the
    /// schema does not declare, if the model keeps them.
    fn encode<'a>(&'a self, fields: &mut dyn Fields<'a>);
}

/// What [`Encode::encode`] hands a model's fields to.
pub trait Fields<'a> {
    /// A declared field, under its JSON key.
    fn field(&mut self, key: &'static str, value: &'a dyn Field);
    /// The map of keys the schema does not declare, kept as sent; `name` is its Rust name.
    fn extra(&mut self, name: &'static str, value: &'a dyn Field);
}

/// A field of a generated model: an optional value, a required list or a required map (the
/// kinds [`ReadField`](super::ReadField) reads). Implemented here, for those kinds only; what
/// every kind shows and compares alike is [`Compare`].
pub trait Field: Compare {
    /// Hands the field's value to `out` under `key`, unless it is an unset optional field.
    fn write(&self, key: &str, out: &mut dyn Entries);
    /// Hands each entry of a map to `out` as a key of its own (the undeclared keys).
    fn write_entries(&self, _: &mut dyn Entries) {}
}

/// A field shown with `{:?}` and compared with another field, whatever its kind.
pub trait Compare {
    /// The field, to show with `{:?}`.
    fn show(&self) -> &dyn fmt::Debug;
    /// The field, to compare with another of the same type.
    fn as_any(&self) -> &dyn Any;
    /// Whether `other` is a field of the same type and value.
    fn same(&self, other: &dyn Field) -> bool;
}

impl<T: fmt::Debug + PartialEq + 'static> Compare for T {
    fn show(&self) -> &dyn fmt::Debug {
        self
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn same(&self, other: &dyn Field) -> bool {
        other.as_any().downcast_ref::<Self>() == Some(self)
    }
}

/// Where [`Field::write`] puts JSON object entries.
pub trait Entries {
    /// One key and its value.
    fn entry(&mut self, key: &str, value: &dyn erased_serde::Serialize);
}

/// An optional field is left out when it is `None`.
impl<T: Value> Field for Option<T> {
    fn write(&self, key: &str, out: &mut dyn Entries) {
        if let Some(value) = self {
            out.entry(key, value);
        }
    }
}

/// A required list is always written.
impl<T: Value> Field for Vec<T> {
    fn write(&self, key: &str, out: &mut dyn Entries) {
        out.entry(key, self);
    }
}

/// A required map is always written; as the undeclared keys, each entry is a key of its own.
impl<V: Value> Field for BTreeMap<String, V> {
    fn write(&self, key: &str, out: &mut dyn Entries) {
        out.entry(key, self);
    }

    fn write_entries(&self, out: &mut dyn Entries) {
        for (key, value) in self {
            out.entry(key, value);
        }
    }
}

/// `Serialize::serialize` of a generated model: a JSON object of the fields that are set.
pub fn serialize<S: Serializer, T: Encode + ?Sized>(
    model: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    let mut sink = Sink {
        map: &mut map,
        error: None,
    };
    model.encode(&mut sink);
    match sink.error {
        Some(error) => Err(error),
        None => map.end(),
    }
}

/// Entries into a serializer's map; the first error stops the writing and is kept.
struct Sink<'m, M: SerializeMap> {
    map: &'m mut M,
    error: Option<M::Error>,
}

impl<'a, M: SerializeMap> Fields<'a> for Sink<'_, M> {
    fn field(&mut self, key: &'static str, value: &'a dyn Field) {
        value.write(key, self);
    }

    fn extra(&mut self, _: &'static str, value: &'a dyn Field) {
        value.write_entries(self);
    }
}

impl<M: SerializeMap> Entries for Sink<'_, M> {
    fn entry(&mut self, key: &str, value: &dyn erased_serde::Serialize) {
        if self.error.is_none()
            && let Err(error) = self.map.serialize_entry(key, value)
        {
            self.error = Some(error);
        }
    }
}

/// `Debug::fmt` of a generated model: `Name { key: value, .. }`, every field by its JSON key
/// (the undeclared keys under their Rust name).
pub fn debug<T: Encode + ?Sized>(model: &T, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    struct Show<'f, 'g>(fmt::DebugStruct<'f, 'g>);
    impl<'a> Fields<'a> for Show<'_, '_> {
        fn field(&mut self, key: &'static str, value: &'a dyn Field) {
            self.0.field(key, value.show());
        }
        fn extra(&mut self, name: &'static str, value: &'a dyn Field) {
            self.0.field(name, value.show());
        }
    }
    let mut show = Show(f.debug_struct(name));
    model.encode(&mut show);
    show.0.finish()
}

/// `PartialEq::eq` of a generated model: every field equal.
pub fn eq<T: Encode + ?Sized>(a: &T, b: &T) -> bool {
    struct Collect<'a>(Vec<&'a dyn Field>);
    impl<'a> Fields<'a> for Collect<'a> {
        fn field(&mut self, _: &'static str, value: &'a dyn Field) {
            self.0.push(value);
        }
        fn extra(&mut self, _: &'static str, value: &'a dyn Field) {
            self.0.push(value);
        }
    }
    let (mut left, mut right) = (Collect(Vec::new()), Collect(Vec::new()));
    a.encode(&mut left);
    b.encode(&mut right);
    left.0.len() == right.0.len() && left.0.iter().zip(&right.0).all(|(l, r)| l.same(*r))
}
