//! What the tenant holds: the indicators of one source, read page by page, and look-ups of
//! single (type, value) pairs in any source.

use std::collections::HashSet;

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
/// service gives, two pages in memory.
///
/// Why two walks: an `after` walk is sequential (a page's token comes with the page before
/// it), so one walk of 100,000 indicators is 200 round trips one after another, and the
/// offset window (10,000) rules out jumping ahead. The source is walked from both ends at once
/// instead, `created_on` ascending and descending (a sort the spec lists for this operation,
/// on a field every indicator has), each with its own `after` token, until the two walks
/// together have returned as many distinct ids as the service's `total` (which the runtime's
/// own walks trust to end, too): each walk covers half, and the page where they meet is read
/// twice (ties in `created_on`, ordered differently each way, only make them meet a page
/// later). If the total is never reached (indicators of the source created or deleted
/// meanwhile), both walks go on to their ends, each of which alone covers the source, so
/// nothing is missed either way.
pub async fn read_source(
    client: &Client,
    source: &str,
    mut each: impl FnMut(Held),
) -> Result<(), Error> {
    let walk = |sort: &str| {
        client
            .indicator_combined_v1()
            .filter(format!("source:'{source}'"))
            .sort(sort)
            .limit(PAGE)
            .pages()
    };
    let mut pages = futures_util::stream::select(walk("created_on.asc"), walk("created_on.desc"));
    let mut seen: HashSet<String> = HashSet::new();
    let mut total = 0;
    while let Some(page) = pages.try_next().await? {
        total = total.max(page.total().unwrap_or(u64::MAX));
        for record in page.body.resources {
            // The page where the walks meet comes twice.
            let id = record.id.as_deref().unwrap_or_default();
            if seen.contains(id) {
                continue;
            }
            seen.insert(id.to_string());
            // The filter matches case-insensitively; the source is the exact name.
            if record.source.as_deref() == Some(source) {
                each(Held::new(&record));
            }
        }
        if seen.len() as u64 >= total {
            break;
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
