//! What generated models stand on: JSON (de)serialization written once, here.
//!
//! serde's derives write a visitor, a field enum and a missing-field check for every struct;
//! across the hundreds of models of a Falcon API that is most of what a downstream build
//! compiles. A generated model instead implements [`Decode`] (one `match` from JSON key to
//! field) and, where it is sent, [`Encode`] (one line per field); its `Deserialize` and
//! `Serialize` impls are one-line calls to [`deserialize`] and [`serialize`]. The tolerance the
//! live service needs lives in the field kinds ([`ReadField`]): an optional field reads `null`
//! as `None`, a list or map reads `null` as empty, and unknown keys are skipped.
//!
//! A `oneOf` of JSON scalars (`integer` or `string`) is a generated enum with one variant per
//! JSON type; it implements [`Union`] (one `match` from the [`JsonScalar`] read to its variant)
//! and its `Deserialize` is a one-line call to [`deserialize_union`].
//!
//! Models keep serde's traits, so `serde_json::from_str::<Model>(..)` and `to_string(&model)`
//! work in callers' code as before.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, IgnoredAny, Visitor};

/// serde's traits, as generated models name them (so a generated crate needs no `serde`
/// dependency of its own).
pub use serde::de::MapAccess;
pub use serde::ser::SerializeMap;
pub use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// A generated model written field by field as a JSON object.
pub trait Encode {
    /// Writes each field that is set.
    fn encode_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
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

/// `Serialize::serialize` of a generated model: a JSON object of the fields that are set.
pub fn serialize<S: Serializer, T: Encode>(model: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    model.encode_fields(&mut map)?;
    map.end()
}

/// Reads the next value of `map` into `field`.
pub fn read<'de, A: MapAccess<'de>, F: ReadField>(
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

/// Writes `field` under `key`, unless it is an unset optional field.
pub fn write<M: SerializeMap, F: WriteField + ?Sized>(
    map: &mut M,
    key: &str,
    field: &F,
) -> Result<(), M::Error> {
    field.write(key, map)
}

/// Writes every undeclared key kept in `extra`.
pub fn write_extra<M: SerializeMap, V: Serialize>(
    map: &mut M,
    extra: &BTreeMap<String, V>,
) -> Result<(), M::Error> {
    extra
        .iter()
        .try_for_each(|(k, v)| map.serialize_entry(k, v))
}

/// The kinds of field a model has, and how each reads the live service's JSON.
pub trait ReadField {
    /// Replaces the field with the value `deserializer` holds.
    fn read<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error>;
}

/// How each kind of field is written.
pub trait WriteField {
    /// Writes the field under `key`, unless it is unset.
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error>;
}

/// An optional field: `null` is `None`.
impl<T: for<'de> Deserialize<'de>> ReadField for Option<T> {
    fn read<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        *self = Option::<T>::deserialize(deserializer)?;
        Ok(())
    }
}

/// An optional field is left out when it is `None`.
impl<T: Serialize> WriteField for Option<T> {
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        match self {
            Some(value) => map.serialize_entry(key, value),
            None => Ok(()),
        }
    }
}

/// A required list: `null` is empty (the service sends `"resources": null`).
impl<T: for<'de> Deserialize<'de>> ReadField for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        *self = Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default();
        Ok(())
    }
}

/// A required list is always written.
impl<T: Serialize> WriteField for Vec<T> {
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry(key, self)
    }
}

/// A required map: `null` is empty.
impl<V: for<'de> Deserialize<'de>> ReadField for BTreeMap<String, V> {
    fn read<'de, D: Deserializer<'de>>(&mut self, deserializer: D) -> Result<(), D::Error> {
        *self = Option::<BTreeMap<String, V>>::deserialize(deserializer)?.unwrap_or_default();
        Ok(())
    }
}

/// A required map is always written.
impl<V: Serialize> WriteField for BTreeMap<String, V> {
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry(key, self)
    }
}

/// A field as the target of the next value of a map.
struct Slot<'f, F: ?Sized>(&'f mut F);

impl<'de, F: ReadField + ?Sized> DeserializeSeed<'de> for Slot<'_, F> {
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

/// A JSON scalar as read, for a generated [`Union`] to take.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonScalar {
    Boolean(bool),
    /// A whole number that fits `i64`; a larger one is a [`JsonScalar::Number`].
    Integer(i64),
    Number(f64),
    String(String),
}

impl JsonScalar {
    fn unexpected(&self) -> serde::de::Unexpected<'_> {
        use serde::de::Unexpected;
        match self {
            JsonScalar::Boolean(b) => Unexpected::Bool(*b),
            JsonScalar::Integer(i) => Unexpected::Signed(*i),
            JsonScalar::Number(n) => Unexpected::Float(*n),
            JsonScalar::String(s) => Unexpected::Str(s),
        }
    }
}

/// A generated union of JSON scalar types (`oneOf: [integer, string]`): one variant per type.
pub trait Union: Sized {
    /// The variant holding `value`, or `None` when the union has no variant of its type.
    fn from_scalar(value: JsonScalar) -> Option<Self>;
}

/// `Deserialize::deserialize` of a generated union: whichever JSON scalar comes, as
/// [`Union::from_scalar`] takes it; `name` is the union's name for error messages.
pub fn deserialize_union<'de, D, T>(deserializer: D, name: &'static str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Union,
{
    let value = deserializer.deserialize_any(ScalarVisitor(name))?;
    let unexpected = value.unexpected().to_string();
    T::from_scalar(value).ok_or_else(|| {
        serde::de::Error::custom(format_args!(
            "invalid type: {unexpected}, expected a value of one of the types of {name}"
        ))
    })
}

struct ScalarVisitor(&'static str);

impl Visitor<'_> for ScalarVisitor {
    type Value = JsonScalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON scalar ({})", self.0)
    }

    fn visit_bool<E>(self, v: bool) -> Result<JsonScalar, E> {
        Ok(JsonScalar::Boolean(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<JsonScalar, E> {
        Ok(JsonScalar::Integer(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<JsonScalar, E> {
        Ok(i64::try_from(v).map_or(JsonScalar::Number(v as f64), JsonScalar::Integer))
    }

    fn visit_f64<E>(self, v: f64) -> Result<JsonScalar, E> {
        Ok(JsonScalar::Number(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<JsonScalar, E> {
        Ok(JsonScalar::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<JsonScalar, E> {
        Ok(JsonScalar::String(v))
    }
}

/// The reply shape most Falcon operations share: `errors`, `meta` and a `resources` list.
///
/// Generated models of that shape are aliases of this one type (`pub type ApiIndicatorRespV1 =
/// Envelope<ApiIndicatorV1, ApiIndicatorsQueryMeta, MsaApiError>`), so they are built,
/// matched and read like any model: `reply.body.resources`.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope<R, M, E> {
    /// Errors the service reports; `null` reads as empty.
    pub errors: Vec<E>,
    /// Paging and timing figures; the service may leave it out.
    pub meta: Option<M>,
    /// The payload; `null` reads as empty.
    pub resources: Vec<R>,
}

impl<R, M, E> Default for Envelope<R, M, E> {
    fn default() -> Self {
        Envelope {
            errors: Vec::new(),
            meta: None,
            resources: Vec::new(),
        }
    }
}

impl<R, M, E> Decode for Envelope<R, M, E>
where
    R: for<'de> Deserialize<'de>,
    M: for<'de> Deserialize<'de>,
    E: for<'de> Deserialize<'de>,
{
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "errors" => read(map, &mut self.errors),
            "meta" => read(map, &mut self.meta),
            "resources" => read(map, &mut self.resources),
            _ => skip(map),
        }
    }
}

impl<R: Serialize, M: Serialize, E: Serialize> Encode for Envelope<R, M, E> {
    fn encode_fields<S: SerializeMap>(&self, map: &mut S) -> Result<(), S::Error> {
        write(map, "errors", &self.errors)?;
        write(map, "meta", &self.meta)?;
        write(map, "resources", &self.resources)
    }
}

impl<'de, R, M, E> Deserialize<'de> for Envelope<R, M, E>
where
    R: for<'a> Deserialize<'a>,
    M: for<'a> Deserialize<'a>,
    E: for<'a> Deserialize<'a>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize(deserializer, "Envelope")
    }
}

impl<R: Serialize, M: Serialize, E: Serialize> Serialize for Envelope<R, M, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(self, serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, Debug, PartialEq)]
    struct Thing {
        name: Option<String>,
        tags: Vec<String>,
        nested: Option<Box<Thing>>,
        extra: BTreeMap<String, serde_json::Value>,
    }

    impl Decode for Thing {
        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match key {
                "name" => read(map, &mut self.name),
                "tags" => read(map, &mut self.tags),
                "nested" => read(map, &mut self.nested),
                _ => keep(map, key, &mut self.extra),
            }
        }
    }

    impl Encode for Thing {
        fn encode_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
            write(map, "name", &self.name)?;
            write(map, "tags", &self.tags)?;
            write(map, "nested", &self.nested)?;
            write_extra(map, &self.extra)
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d, "Thing")
        }
    }

    impl Serialize for Thing {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self, s)
        }
    }

    #[test]
    fn reads_nulls_unknown_keys_escapes_and_nesting() {
        let thing: Thing = serde_json::from_str(
            r#"{"name":null,"tags":null,"n\u0061me":"x","nested":{"tags":["a"],"z":1},"k":[1]}"#,
        )
        .unwrap();
        assert_eq!(thing.name.as_deref(), Some("x"));
        assert!(thing.tags.is_empty());
        let nested = thing.nested.as_ref().unwrap();
        assert_eq!(nested.tags, ["a"]);
        assert_eq!(nested.extra["z"], 1);
        assert_eq!(thing.extra["k"], serde_json::json!([1]));
        // From a `Value` too (owned keys).
        let value = serde_json::json!({"name": "v", "tags": ["b"]});
        let thing: Thing = serde_json::from_value(value).unwrap();
        assert_eq!((thing.name.as_deref(), thing.tags.len()), (Some("v"), 1));
    }

    #[test]
    fn writes_only_what_is_set_and_refuses_non_objects() {
        let thing = Thing {
            tags: vec!["t".into()],
            ..Thing::default()
        };
        assert_eq!(serde_json::to_string(&thing).unwrap(), r#"{"tags":["t"]}"#);
        let err = serde_json::from_str::<Thing>("[1]")
            .unwrap_err()
            .to_string();
        assert!(err.contains("a JSON object (Thing)"), "{err}");
    }

    /// What the generator writes for `oneOf: [integer, number, string]`.
    #[derive(Debug, PartialEq)]
    enum Id {
        Integer(i64),
        Number(f64),
        String(String),
    }

    impl Union for Id {
        fn from_scalar(value: JsonScalar) -> Option<Self> {
            match value {
                JsonScalar::Integer(v) => Some(Id::Integer(v)),
                JsonScalar::Number(v) => Some(Id::Number(v)),
                JsonScalar::String(v) => Some(Id::String(v)),
                _ => None,
            }
        }
    }

    impl<'de> Deserialize<'de> for Id {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize_union(d, "Id")
        }
    }

    #[test]
    fn unions_read_each_json_type_and_refuse_others() {
        let ids: Vec<Id> =
            serde_json::from_str(r#"[42, -1, 1.5, "ci.yml", 18446744073709551615]"#).unwrap();
        assert_eq!(
            ids,
            [
                Id::Integer(42),
                Id::Integer(-1),
                Id::Number(1.5),
                Id::String("ci.yml".into()),
                Id::Number(18446744073709551615.0)
            ]
        );
        let value: Id = serde_json::from_value(serde_json::json!("x")).unwrap();
        assert_eq!(value, Id::String("x".into()));
        for wrong in ["true", "null", "[1]", "{}"] {
            let err = serde_json::from_str::<Id>(wrong).unwrap_err().to_string();
            assert!(err.contains("Id"), "{wrong}: {err}");
        }
        let err = serde_json::from_str::<Id>("true").unwrap_err().to_string();
        assert!(
            err.contains(
                "invalid type: boolean `true`, expected a value of one of the types of Id"
            ),
            "{err}"
        );
    }

    #[test]
    fn envelope_reads_null_lists_and_missing_meta() {
        let e: Envelope<String, serde_json::Value, serde_json::Value> =
            serde_json::from_str(r#"{"errors":null,"resources":["a","b"],"other":1}"#).unwrap();
        assert_eq!((e.errors.len(), e.meta, e.resources.len()), (0, None, 2));
    }
}
