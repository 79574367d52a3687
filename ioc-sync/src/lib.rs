//! Keeps the CrowdStrike Falcon indicators of one source in step with a threat feed.
//!
//! [`Sync::run`] makes the indicators whose `source` is a given name exactly the feed's rows:
//! it reads what the source holds (paged, largest pages), compares it with the feed by
//! identity, the (type, value) pair, and sends creates, updates of the changed fields only,
//! and deletes of what the feed no longer has, in batches of the service's sizes with several
//! requests in flight. Rows that are bad are skipped, rows the service refuses fail, and both
//! are reported with their reason; the run goes on. Stopped at any moment (killed, or its
//! future dropped) and run again, it ends with the source equal to the feed, no (type, value)
//! twice, and no indicator of another source touched (see `engine.rs` for why).
//!
//! The engine takes rows ([`FeedRow`] of [`Row`]) from any iterator. Reading and writing
//! files (CSV, JSON Lines, STIX 2.1) is the [`feed`] module, behind the `feeds` feature, so a
//! program that brings its own rows does not compile the parsers. The `falcon-ioc sync` and
//! `falcon-ioc export` commands are a thin face on this crate.
//!
//! [`export`] reads a source back as rows, in (type, value) order: written as a feed, they
//! sync to no change.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod date;
mod engine;
#[cfg(feature = "feeds")]
#[cfg_attr(docsrs, doc(cfg(feature = "feeds")))]
pub mod feed;
mod indicator;
mod report;
pub mod service;
mod tenant;

pub use engine::{FeedRow, Progress, Sync, SyncError};
pub use indicator::{Defaults, Expiration, Fields, Indicator, Row};
pub use report::{Outcome, Report, RowReport, Summary};
pub use tenant::Held;

use ioc_client::{Client, Error};

/// The indicators of `source`, as rows, sorted by type and value.
pub async fn export(client: &Client, source: &str) -> Result<Vec<Row>, SyncError> {
    tenant::check_source(source).map_err(SyncError::Config)?;
    let mut held: Vec<Indicator> = Vec::new();
    tenant::read_source(client, source, |h| held.push(h.indicator))
        .await
        .map_err(|e: Error| SyncError::Api(e))?;
    held.sort_by(|a, b| (&a.kind, &a.value).cmp(&(&b.kind, &b.value)));
    Ok(held.iter().map(Indicator::to_row).collect())
}
