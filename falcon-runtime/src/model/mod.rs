//! What generated models stand on: JSON (de)serialization written once, here.
//!
//! serde's derives write a visitor, a field enum and a missing-field check for every struct;
//! across the hundreds of models of a Falcon API that is most of what a downstream build
//! compiles. A generated model instead implements [`Decode`] (one `match` from JSON key to
//! field, in `decode`) and [`Encode`] (one line per field, in `encode`); its `Deserialize`,
//! `Serialize`, `Debug` and `PartialEq` impls are one-line calls to [`deserialize`],
//! [`serialize`], [`debug`] and [`eq`]. The tolerance the
//! live service needs lives in the field kinds ([`ReadField`]): an optional field reads `null`
//! as `None`, a list or map reads `null` as empty, and unknown keys are skipped.
//!
//! A `oneOf` of JSON scalars (`integer` or `string`) is a generated enum with one variant per
//! JSON type; it implements [`Union`] (one `match` from the [`JsonScalar`] read to its variant)
//! and its `Deserialize` is a one-line call to [`deserialize_union`].
//!
//! Models keep serde's traits, so `serde_json::from_str::<Model>(..)` and `to_string(&model)`
//! work in callers' code as before.

mod decode;
mod encode;
mod envelope;
mod listed;
mod paging;
mod union;

pub use decode::{Decode, ReadField, deserialize, deserialize_enum, keep, read, skip};
pub use encode::{Compare, Encode, Entries, Field, Fields, Value, debug, eq, serialize};
pub use envelope::Envelope;
pub use listed::UnlistedValue;
pub use paging::PageState;
pub use union::{JsonScalar, Union, deserialize_union};

/// serde's traits, as generated models name them (so a generated crate needs no `serde`
/// dependency of its own).
pub use serde::de::{DeserializeOwned, MapAccess};
pub use serde::ser::SerializeMap;
pub use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::fmt;

    #[derive(Default)]
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
        fn encode<'a>(&'a self, fields: &mut dyn Fields<'a>) {
            fields.field("name", &self.name);
            fields.field("tags", &self.tags);
            fields.field("nested", &self.nested);
            fields.extra("extra", &self.extra);
        }
    }

    impl fmt::Debug for Thing {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug(self, "Thing", f)
        }
    }

    impl PartialEq for Thing {
        fn eq(&self, other: &Self) -> bool {
            eq(self, other)
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
    fn shows_and_compares_field_by_field() {
        let mut thing: Thing =
            serde_json::from_str(r#"{"name":"x","tags":["a"],"k":1,"nested":{}}"#).unwrap();
        assert_eq!(
            format!("{thing:?}"),
            r#"Thing { name: Some("x"), tags: ["a"], nested: Some(Thing { name: None, tags: [], nested: None, extra: {} }), extra: {"k": Number(1)} }"#
        );
        let copy: Thing = serde_json::from_value(serde_json::to_value(&thing).unwrap()).unwrap();
        assert_eq!(copy, thing);
        thing.extra.clear();
        assert_ne!(copy, thing);
        assert_eq!(
            serde_json::to_string(&copy).unwrap(),
            r#"{"name":"x","tags":["a"],"nested":{"tags":[]},"k":1}"#
        );
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
