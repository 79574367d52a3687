//! Reading a generated model: one `match` from JSON key to field per model ([`Decode`]), and
//! the tolerance the live service needs in the field kinds ([`ReadField`]).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// A generated model read field by field from a JSON object.
pub trait Decode: Default {
    /// Reads the value of the field whose JSON key is `key` from `map`; a key the model does
    /// not declare is skipped (or kept, when the schema allows undeclared keys).
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// `Deserialize::deserialize` of a generated model: a JSON object, read with
/// [`Decode::decode_field`]; `name` is the model's name for error messages.
pub fn deserialize<'de, D, T>(deserializer: D, name: &'static str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Decode,
{
    deserializer.deserialize_map(ModelVisitor::<T> {
        name,
        model: PhantomData,
    })
}

/// Reads the next value of `map` into `field`.
pub fn read<'de, A: MapAccess<'de>, F: ReadField<'de>>(
    map: &mut A,
    field: &mut F,
) -> Result<(), A::Error> {
    map.next_value_seed(Slot(field))
}

/// Skips the next value of `map`: the key is one the model does not declare.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// Keeps the next value of `map` under `key` in `extra`: a key the model does not declare, in
/// a schema that allows undeclared keys.
pub fn keep<'de, A: MapAccess<'de>, V: Deserialize<'de>>(
    map: &mut A,
    key: &str,
    extra: &mut BTreeMap<String, V>,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    extra.insert(key.to_owned(), value);
    Ok(())
}

/// The kinds of field a model has, and how each reads the live service's JSON.
pub trait ReadField<'de> {
    /// Replaces the field with the value `deserializer` holds.
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error>;
}

/// An optional field: `null` is `None`.
impl<'de, T: Deserialize<'de>> ReadField<'de> for Option<T> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        *self = Option::<T>::deserialize(deserializer)?;
        Ok(())
    }
}

/// A required list: `null` is empty (the service sends `"resources": null`).
impl<'de, T: Deserialize<'de>> ReadField<'de> for Vec<T> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        *self = Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default();
        Ok(())
    }
}

/// A required map: `null` is empty.
impl<'de, V: Deserialize<'de>> ReadField<'de> for BTreeMap<String, V> {
    fn read<D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        *self = Option::<BTreeMap<String, V>>::deserialize(deserializer)?.unwrap_or_default();
        Ok(())
    }
}

/// A field as the target of the next value of a map.
struct Slot<'f, F: ?Sized>(&'f mut F);

impl<'de, F: ReadField<'de> + ?Sized> DeserializeSeed<'de> for Slot<'_, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.0.read(deserializer)
    }
}

struct ModelVisitor<T> {
    name: &'static str,
    model: PhantomData<fn() -> T>,
}

impl<'de, T: Decode> Visitor<'de> for ModelVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut model = T::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            model.decode_field(key.as_str(), &mut map)?;
        }
        Ok(model)
    }
}

/// An object key, borrowed from the input when it can be (no allocation per key for
/// `serde_json::from_slice`).
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// `Deserialize::deserialize` of a generated open enum: any string, known or not.
pub fn deserialize_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    String::deserialize(deserializer).map(T::from)
}
