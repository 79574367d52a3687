//! What the tenant holds: the indicators of one source, read page by page, and look-ups of
//! single (type, value) pairs in any source.

use futures_util::TryStreamExt;
use ioc_client::models::ApiIndicatorV1;
use ioc_client::{Client, Error};

use crate::indicator::Indicator;
use crate::service::PAGE;

/// An indicator the tenant holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// Its id.
    pub id: String,
    /// Its source.
    pub source: String,
    /// Type, value and fields, normalised as a feed row's.
    pub indicator: Indicator,
}

impl Held {
    fn new(record: &ApiIndicatorV1) -> Held {
        Held {
            id: record.id.clone().unwrap_or_default(),
            source: record.source.clone().unwrap_or_default(),
            indicator: Indicator::from_held(record),
        }
    }
}

/// A source name checked for use inside an FQL string.
pub fn check_source(source: &str) -> Result<(), String> {
    if source.trim().is_empty() {
        return Err("the source name is empty: give the name the feed's indicators carry".into());
    }
    if source.contains(['\'', '\\']) {
        return Err(format!(
            "the source name `{source}` contains a quote or backslash: choose a name without them"
        ));
    }
    Ok(())
}

/// Calls `each` with every indicator whose source is `source`, reading the largest pages the
/// service gives, one page in memory.
pub async fn read_source(
    client: &Client,
    source: &str,
    mut each: impl FnMut(Held),
) -> Result<(), Error> {
    let mut items = client
        .indicator_combined_v1()
        .filter(format!("source:'{source}'"))
        .limit(PAGE)
        .items();
    while let Some(record) = items.try_next().await? {
        // The filter matches case-insensitively; the source is the exact name.
        if record.source.as_deref() == Some(source) {
            each(Held::new(&record));
        }
    }
    Ok(())
}

/// Every indicator, in any source, whose value is one of `values`.
pub async fn find_values(client: &Client, values: &[String]) -> Result<Vec<Held>, Error> {
    let mut found = Vec::new();
    for chunk in values.chunks(100) {
        let list: Vec<String> = chunk
            .iter()
            .map(|v| format!("'{}'", v.replace(['\'', '\\'], "")))
            .collect();
        let mut items = client
            .indicator_combined_v1()
            .filter(format!("value:[{}]", list.join(",")))
            .limit(PAGE)
            .items();
        while let Some(record) = items.try_next().await? {
            found.push(Held::new(&record));
        }
    }
    Ok(found)
}
