//! What the sync needs to know of the service's rules, in one place: how many indicators and
//! ids one request carries (the spec's `maxItems`, which the operation table carries and the
//! simulator enforces), the largest page, which rows of a batch failed and why (the
//! runtime's one error-entry model, [`Failures`]), and the create call as the sync reads it.

use std::collections::HashSet;

use falcon_runtime::model::{self, Decode, Deserialize, Deserializer, Envelope, MapAccess};
use falcon_runtime::operation::Operation;
use ioc_client::models::ApiIndicatorCreateReqsV1;
use ioc_client::{ApiErrorEntry, Client, Error, ErrorKind, Failures, table};

/// The largest `limit` of `indicator.combined.v1`.
pub const PAGE: i64 = 500;

/// What a request holds when the table gives no limit: the service's documented figures.
const FALLBACK_BODY_ITEMS: usize = 2000;
const FALLBACK_IDS: usize = 500;

fn body_limit(row: &Operation, field: &str) -> usize {
    row.body
        .and_then(|b| b.max_items.iter().find(|(f, _)| *f == field))
        .map_or(FALLBACK_BODY_ITEMS, |(_, n)| *n as usize)
}

/// Indicators per create request.
pub fn create_batch() -> usize {
    body_limit(&table::INDICATOR_CREATE_V1, "indicators")
}

/// Indicators per update request.
pub fn update_batch() -> usize {
    body_limit(&table::INDICATOR_UPDATE_V1, "indicators")
}

/// Ids per delete request (they travel in the URL).
pub fn delete_ids() -> usize {
    table::INDICATOR_DELETE_V1
        .param("ids")
        .and_then(|p| p.max_items)
        .map_or(FALLBACK_IDS, |n| n as usize)
}

/// One failed row of a batch, as the engine reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row's index in the batch, when the service gives one.
    pub index: Option<usize>,
    /// The indicator id the error names, when it names one.
    pub id: Option<String>,
    /// The service's words, without the `indicators[i]: ` prefix.
    pub message: String,
}

impl From<&ApiErrorEntry> for RowError {
    fn from(e: &ApiErrorEntry) -> RowError {
        RowError {
            index: e.row(),
            id: e.id.clone(),
            message: e.reason().to_string(),
        }
    }
}

impl RowError {
    /// Whether the service refused a create because the type and value exist already.
    pub fn is_duplicate(&self) -> bool {
        let m = self.message.to_ascii_lowercase();
        m.contains("duplicate") || m.contains("already exists")
    }
}

/// The failed rows of a reply, or of a refused request (a 4xx other than 429); empty for any
/// other error.
pub fn failed_rows(reply: &impl Failures) -> Vec<RowError> {
    reply.failures().iter().map(RowError::from).collect()
}

/// The failed rows of a refused request (a 4xx with per-row `errors`); empty for any other
/// error.
pub fn refused_rows(error: &Error) -> Vec<RowError> {
    match error.as_api() {
        Some(a)
            if error.kind() == ErrorKind::Api
                && (400..500).contains(&a.status)
                && a.status != 429 =>
        {
            failed_rows(error)
        }
        _ => Vec::new(),
    }
}

/// A created record as the sync reads it: its type and value. The service sends back every
/// field of each of up to 2,000 records; decoding them all into `ApiIndicatorV1` was a fifth
/// of a first sync's CPU time, and the sync needs only which (type, value) pairs landed.
#[derive(Debug, Default)]
struct Landed {
    kind: Option<String>,
    value: Option<String>,
}

impl Decode for Landed {
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "type" => model::read(map, &mut self.kind),
            "value" => model::read(map, &mut self.value),
            _ => model::skip(map),
        }
    }
}

impl<'de> Deserialize<'de> for Landed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        model::deserialize(deserializer, "api.IndicatorV1")
    }
}

/// `indicator.create.v1` with `body`, sent exactly as `client.indicator_create_v1()` sends it
/// (the same operation row, checks, retries and wire), read for what the sync needs: the
/// (type, value) pairs created, and the rows that failed.
pub async fn create(
    client: &Client,
    body: &ApiIndicatorCreateReqsV1,
) -> Result<(HashSet<(String, String)>, Vec<RowError>), Error> {
    let mut call = falcon_runtime::Call::new(
        client.runtime(),
        &table::INDICATOR_CREATE_V1,
        &falcon_runtime::Async,
    );
    call.body(body);
    let reply = call
        .send::<Envelope<Landed, serde_json::Value, ApiErrorEntry>>()
        .await?;
    let created = reply
        .body
        .resources
        .iter()
        .map(|r| {
            (
                r.kind.clone().unwrap_or_default(),
                r.value.clone().unwrap_or_default(),
            )
        })
        .collect();
    Ok((created, failed_rows(&reply)))
}
