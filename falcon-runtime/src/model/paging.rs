//! Readers of a reply's paging figures (`meta.pagination`: `total`, `after`, `offset`, `limit`)
//! on any [`Envelope`], so a caller writes `body.total()` instead of
//! `body.meta.and_then(|m| m.pagination).and_then(|p| p.total)`.
//!
//! The meta types differ by operation (an `after` token or not, `offset` a number or an object,
//! counts as `i32` or `i64`), so the readers find `pagination` by its JSON key through the
//! meta's [`Encode`] list of fields, and read each figure as paging does (a number or a numeric
//! string). Nothing is computed until a reader is called.

use serde_json::Value as Json;

use super::encode::{Encode, Entries, Field, Fields};
use super::envelope::Envelope;
use crate::paginate::PagingInfo;

/// The paging figures of one reply, as the service sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageState {
    /// How many results match in all.
    pub total: Option<u64>,
    /// The token that asks for the next page (operations that page by `after`).
    pub after: Option<String>,
    /// Where this page starts.
    pub offset: Option<u64>,
    /// The page size the service used.
    pub limit: Option<u64>,
}

impl<R, M: Encode, E> Envelope<R, M, E> {
    /// `meta.pagination` read into one value; all `None` when the reply has none.
    pub fn paging(&self) -> PageState {
        let Some(meta) = &self.meta else {
            return PageState::default();
        };
        let mut found = Pagination(None);
        meta.encode(&mut found);
        let info = found
            .0
            .and_then(|json| serde_json::from_value::<PagingInfo>(json).ok())
            .unwrap_or_default();
        PageState {
            total: info.total,
            after: info.after.filter(|a| !a.is_empty()),
            offset: info.offset,
            limit: info.limit,
        }
    }

    /// `meta.pagination.total`: how many results match in all.
    pub fn total(&self) -> Option<u64> {
        self.paging().total
    }

    /// `meta.pagination.after`: the token of the next page; `None` when there is none (or it
    /// is empty), which is the last page of an operation that pages by `after`.
    pub fn after(&self) -> Option<String> {
        self.paging().after
    }

    /// `meta.pagination.offset`: where this page starts, when the service says so as a number.
    pub fn offset(&self) -> Option<u64> {
        self.paging().offset
    }
}

/// Finds the `pagination` field of a meta model and keeps it as JSON.
struct Pagination(Option<Json>);

impl<'a> Fields<'a> for Pagination {
    fn field(&mut self, key: &'static str, value: &'a dyn Field) {
        if key == "pagination" {
            value.write(key, self);
        }
    }

    fn extra(&mut self, _: &'static str, _: &'a dyn Field) {}
}

impl Entries for Pagination {
    fn entry(&mut self, _: &str, value: &dyn erased_serde::Serialize) {
        self.0 = serde_json::to_value(value).ok();
    }
}
