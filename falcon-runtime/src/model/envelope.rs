//! `Envelope`: the `{errors, meta, resources}` reply shape, one generic type for the hundreds
//! of models of that shape.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::decode::{Decode, deserialize, read, skip};
use super::encode::{Encode, Fields, Value, debug, eq, serialize};
use serde::de::MapAccess;

/// The reply shape most Falcon operations share: `errors`, `meta` and a `resources` list.
///
/// Generated models of that shape are aliases of this one type (`pub type ApiIndicatorRespV1 =
/// Envelope<ApiIndicatorV1, ApiIndicatorsQueryMeta, MsaApiError>`), so they are built,
/// matched and read like any model: `reply.body.resources`.
#[derive(Clone)]
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

impl<R: Value, M: Value, E: Value> Encode for Envelope<R, M, E> {
    fn encode<'a>(&'a self, fields: &mut dyn Fields<'a>) {
        fields.field("errors", &self.errors);
        fields.field("meta", &self.meta);
        fields.field("resources", &self.resources);
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

impl<R: Value, M: Value, E: Value> Serialize for Envelope<R, M, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(self, serializer)
    }
}

impl<R: Value, M: Value, E: Value> fmt::Debug for Envelope<R, M, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug(self, "Envelope", f)
    }
}

impl<R: Value, M: Value, E: Value> PartialEq for Envelope<R, M, E> {
    fn eq(&self, other: &Self) -> bool {
        eq(self, other)
    }
}
