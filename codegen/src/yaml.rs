//! YAML text → `serde_json::Value`, reading numbers as the JSON reader does.
//!
//! `serde_json::Value`'s own `Deserialize` refuses an integer beyond `i64`/`u64` ("number out of
//! range"), which the YAML reader hands over as an `i128`/`u128`: OpenAI's spec has
//! `minimum: -9223372036854776000`. The same number in JSON text is read as the nearest `f64`,
//! so here it is too: a document means the same in either syntax.

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses YAML (or JSON) text into a JSON value.
pub(crate) fn from_str(text: &str) -> Result<Value, serde_yaml_ng::Error> {
    serde_yaml_ng::from_str::<Json>(text).map(|j| j.0)
}

/// A JSON value read by [`JsonVisitor`].
struct Json(Value);

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor).map(Json)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    /// Beyond `i64`: the nearest `f64`, as `serde_json` reads such a number from JSON text.
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(float(v as f64))
    }

    /// Beyond `u64`: as [`Self::visit_i128`].
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(float(v as f64))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Json(v)) = seq.next_element()? {
            list.push(v);
        }
        Ok(Value::Array(list))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some((k, Json(v))) = map.next_entry::<String, Json>()? {
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// A float as JSON: `null` for NaN and the infinities, which JSON cannot write (as
/// `serde_json::Value` does).
fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn integers_beyond_i64_read_as_in_json() {
        let yaml = super::from_str("min: -9223372036854776000\nmax: 18446744073709551616\nn: 3\n")
            .unwrap();
        let json: serde_json::Value = serde_json::from_str(
            r#"{"min": -9223372036854776000, "max": 18446744073709551616, "n": 3}"#,
        )
        .unwrap();
        assert_eq!(yaml, json);
        assert_eq!(yaml["n"], json!(3));
    }
}
