//! Reading a union of JSON scalar types (`oneOf: [integer, string]`).

use std::fmt;

use serde::Deserializer;
use serde::de::Visitor;

/// A JSON scalar as read, for a generated [`Union`] to take.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonScalar {
    /// `true` or `false`.
    Boolean(bool),
    /// A whole number that fits `i64`; a larger one is a [`JsonScalar::Number`].
    Integer(i64),
    /// Any other number.
    Number(f64),
    /// A string.
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
