//! Pagination: a stream of pages and a stream of items for any operation, driven by
//! `meta.pagination` of each reply.
//!
//! How a walk pages is the table row's [`Paging`], decided by the generator: `After` pages follow the
//! `after` token (which walks past the service's 10,000-result offset window), `Offset` pages
//! follow the offset. Giving `offset` yourself on an `After` operation pages by offset from
//! there. A stream ends on an empty page, when `total` is reached, when the token
//! is missing or repeats, or after the first error. Only one page is held at a time.
//!
//! A walk that stops on an error after it began (a 429 after the retries ran out, a dropped
//! connection) does not lose its place: the error is [`Error::Paging`], whose
//! [`resume`](Error::resume) is the failed page's `after` token or offset, and how many items
//! came before it. Start the same call again from there, with the builder's `.after(token)` or
//! `.offset(n)` (or those keys in `command_items`' arguments): items come on from the page that
//! failed, none twice and none missed. A walk that fails before it yielded anything (a login
//! refused, a service that is down) reads as its cause alone, since the only place to go on
//! from is the start ([`Resume::progressed`] is false).
//!
//! ```no_run
//! # async fn walk(client: &falcon_runtime::Client, table: &'static [&'static falcon_runtime::operation::Operation]) -> Result<(), falcon_runtime::Error> {
//! use falcon_runtime::prelude::*;
//! let mut args = serde_json::json!({"filter": "type:'domain'", "limit": 500});
//! loop {
//!     let mut items = client.command_items(table, "indicator.search.v1", args.clone());
//!     let failed = loop {
//!         match items.try_next().await {
//!             Ok(Some(id)) => println!("{id}"),
//!             Ok(None) => return Ok(()),
//!             Err(e) => break e,
//!         }
//!     };
//!     // Go on from the page that failed, if the error allows it and says where.
//!     match failed.resume() {
//!         Some(resume) if failed.is_retryable() => resume.apply_to(&mut args),
//!         _ => return Err(failed),
//!     }
//! }
//! # }
//! ```

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;

use futures_core::Stream;
use serde::de::{DeserializeOwned, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::args::ArgValue;
use crate::client::Client;
use crate::error::Error;
use crate::operation::{Operation, Paging};
use crate::request::Request;
use crate::response::ApiResponse;
use crate::send::RawReply;

/// A stream of pages, each the decoded reply of one request.
pub type Pages<'a, T> = Pin<Box<dyn Stream<Item = Result<ApiResponse<T>, Error>> + Send + 'a>>;

/// A stream of items: the `resources` of every page, one at a time.
pub type Items<'a, T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>;

/// The service refuses `offset + limit` above this on operations that also page by `after`.
pub const OFFSET_WINDOW: u64 = Paging::OFFSET_WINDOW;

/// The service's page size when no `limit` is given.
const DEFAULT_LIMIT: u64 = 100;

/// How a walk moves from page to page (not [`crate::Mode`], which is how a call ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// `offset` + `limit`; `window` is the most `offset + limit` may reach.
    Offset { window: Option<u64> },
    /// The `after` token.
    After,
    /// No paging parameters: one page.
    Single,
}

/// Where a walk of pages goes on from after an error: what the failed page was asked with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resume {
    /// The `after` token the failed page was asked with (operations that page by `after`);
    /// `None` when it was the first page.
    pub after: Option<String>,
    /// The offset the failed page was asked with (operations that page by offset).
    pub offset: Option<u64>,
    /// How many items the walk yielded before the failed page.
    pub items_before: u64,
}

impl Resume {
    /// Whether the walk yielded anything before the page that failed. When not, the failed
    /// page is the one the call asked for (its own `after` or `offset`, if any), so there is no
    /// place to go on from but the start: the error reads as its cause alone.
    pub fn progressed(&self) -> bool {
        self.items_before > 0
    }

    /// Sets `after` or `offset` in `command()`-style JSON arguments, so `command_items`/
    /// `command_pages` with them go on from the failed page. (A typed builder takes the same
    /// values through its `.after(..)` or `.offset(..)` setter.)
    pub fn apply_to(&self, args: &mut serde_json::Value) {
        let Some(args) = args.as_object_mut() else {
            return;
        };
        if let Some(after) = &self.after {
            args.insert("after".into(), after.clone().into());
        }
        if let Some(offset) = self.offset {
            args.insert("offset".into(), offset.into());
        }
    }
}

impl fmt::Display for Resume {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.progressed() {
            return f.write_str("the walk failed on the first page it asked for: start it again");
        }
        write!(f, "the walk stopped after {} items; ", self.items_before)?;
        match (&self.after, self.offset) {
            (Some(after), _) => write!(
                f,
                "to go on from the page that failed, start again with `after` = `{after}`"
            ),
            (None, Some(offset)) if offset > 0 => write!(
                f,
                "to go on from the page that failed, start again with `offset` = {offset}"
            ),
            _ => f.write_str("start it again"),
        }
    }
}

/// Walks the pages of one call. Sends one request per `next_raw`.
pub(crate) struct Pager<'a> {
    client: &'a Client,
    operation: &'static Operation,
    request: Request,
    problem: Option<Error>,
    walk: Walk,
    /// The offset of the next page (offset mode).
    offset: u64,
    /// Whether `offset` must be sent on the next page even when it is 0.
    send_offset: bool,
    /// The token of the next page (after mode).
    after: Option<String>,
    /// `limit` as the caller gave it.
    limit: Option<u64>,
    /// `meta.pagination.limit` of the last reply.
    reply_limit: Option<u64>,
    /// `meta.pagination.total` of the last reply.
    total: Option<u64>,
    /// Items received so far.
    seen: u64,
    /// What the page being fetched was asked with: where to resume if it fails.
    current: Resume,
    /// Whether a request has been sent: errors before that are not wrapped in a `Resume`.
    sent: bool,
    done: bool,
}

impl<'a> Pager<'a> {
    pub(crate) fn new(
        client: &'a Client,
        operation: &'static Operation,
        request: Request,
        problem: Option<Error>,
    ) -> Pager<'a> {
        let number = |name: &str| match request.get(name) {
            Some(ArgValue::Integer(i)) => u64::try_from(*i).ok(),
            Some(ArgValue::String(s)) => s.trim().parse().ok(),
            Some(ArgValue::Number(n)) if *n >= 0.0 => Some(*n as u64),
            _ => None,
        };
        // The row says how the operation pages; an `offset` the caller gives on an operation
        // that pages by `after` pages by offset from there, inside the service's window.
        let offset_given = request.get("offset").is_some();
        let walk = match operation.paging {
            Paging::After if !offset_given => Walk::After,
            Paging::After => Walk::Offset {
                window: Some(OFFSET_WINDOW),
            },
            Paging::Offset => Walk::Offset { window: None },
            Paging::Single => Walk::Single,
        };
        let after = match request.get("after") {
            Some(ArgValue::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        Pager {
            offset: number("offset").unwrap_or(0),
            send_offset: offset_given,
            limit: number("limit").filter(|l| *l > 0),
            after,
            client,
            operation,
            request,
            problem,
            walk,
            reply_limit: None,
            total: None,
            seen: 0,
            current: Resume::default(),
            sent: false,
            done: false,
        }
    }

    /// Sends the request for the next page; `None` once the walk is over.
    pub(crate) async fn next_raw(&mut self) -> Option<Result<RawReply, Error>> {
        if self.done {
            return None;
        }
        if let Some(problem) = self.problem.take() {
            self.done = true;
            return Some(Err(problem));
        }
        let mut request = self.request.clone();
        let set = |request: &mut Request, name: &str, value: ArgValue| {
            request.set(self.operation, name, value)
        };
        let step = match self.walk {
            Walk::Offset { window } => {
                let mut limit = self.limit;
                if let Some(window) = window {
                    let per_page = self.limit.or(self.reply_limit).unwrap_or(DEFAULT_LIMIT);
                    if self.offset >= window {
                        self.done = true;
                        let remaining = self
                            .total
                            .map(|t| {
                                format!("{} more results remain", t.saturating_sub(self.offset))
                            })
                            .unwrap_or_else(|| "more results may remain".into());
                        return Some(Err(Error::invalid(
                            self.operation.id(),
                            Some("offset"),
                            format!(
                                "the service pages by offset only through the first {window} results \
                                 and {remaining}; page by `after` instead (leave `offset` unset)"
                            ),
                        )));
                    }
                    if self.offset.saturating_add(per_page) > window {
                        limit = Some(window - self.offset);
                    }
                }
                let offset = i64::try_from(self.offset).unwrap_or(i64::MAX);
                let mut step = Ok(());
                if self.send_offset || self.offset > 0 {
                    step = set(&mut request, "offset", ArgValue::Integer(offset));
                }
                if let (Ok(()), Some(limit)) = (&step, limit) {
                    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
                    step = set(&mut request, "limit", ArgValue::Integer(limit));
                }
                step
            }
            Walk::After => match &self.after {
                Some(token) => set(&mut request, "after", ArgValue::String(token.clone())),
                None => Ok(()),
            },
            Walk::Single => Ok(()),
        };
        if let Err(e) = step {
            self.done = true;
            return Some(Err(e));
        }
        self.current = Resume {
            after: match self.walk {
                Walk::After => self.after.clone(),
                _ => None,
            },
            offset: match self.walk {
                Walk::Offset { .. } => Some(self.offset),
                _ => None,
            },
            items_before: self.seen,
        };
        self.sent = true;
        let reply = match self.client.execute(request).await {
            Ok(reply) => reply,
            Err(e) => {
                self.done = true;
                return Some(Err(self.resumable(e)));
            }
        };
        self.advance(&reply);
        Some(Ok(reply))
    }

    /// `error`, stopping the walk at the page being fetched, with where to go on from
    /// ([`Error::Paging`]); an error before any request went out is returned as it is.
    fn resumable(&self, error: Error) -> Error {
        if !self.sent || matches!(error, Error::Paging { .. } | Error::InvalidArgument { .. }) {
            return error;
        }
        Error::Paging {
            source: Box::new(error),
            resume: self.current.clone(),
        }
    }

    /// Reads `meta.pagination` and the size of `resources`, and decides what comes next.
    fn advance(&mut self, reply: &RawReply) {
        if !reply.is_success() {
            self.done = true;
            return;
        }
        let Ok(info) = serde_json::from_slice::<PageInfo>(reply.body()) else {
            // The decoder reports the body; nothing sensible comes after it.
            self.done = true;
            return;
        };
        let paging = info.meta.and_then(|m| m.pagination).unwrap_or_default();
        let count = info.resources;
        self.seen = self.seen.saturating_add(count);
        self.total = paging.total.or(self.total);
        self.reply_limit = paging.limit.filter(|l| *l > 0).or(self.reply_limit);
        match self.walk {
            Walk::Single => self.done = true,
            Walk::Offset { .. } => {
                self.offset = self.offset.saturating_add(count);
                self.send_offset = true;
                // The page size the service says it used wins over the one asked for: a
                // service that clamps `limit` must not end the walk after one page.
                let short = self.total.is_none()
                    && paging
                        .limit
                        .filter(|l| *l > 0)
                        .or(self.limit)
                        .is_some_and(|l| count < l);
                self.done =
                    count == 0 || short || self.total.is_some_and(|total| self.offset >= total);
            }
            Walk::After => {
                let next = paging.after.filter(|t| !t.is_empty());
                let repeated = next.is_some() && next == self.after;
                self.done = count == 0
                    || next.is_none()
                    || repeated
                    || self.total.is_some_and(|total| self.seen >= total);
                self.after = next;
            }
        }
    }
}

/// A stream of pages decoded into `T`.
pub(crate) fn pages<'a, T>(pager: Pager<'a>) -> Pages<'a, T>
where
    T: DeserializeOwned + Send + 'a,
{
    Box::pin(futures_util::stream::unfold(
        pager,
        |mut pager| async move {
            let page = pager.next_raw().await?.and_then(RawReply::decode::<T>);
            let page = page.map_err(|e| {
                pager.done = true;
                pager.resumable(e)
            });
            Some((page, pager))
        },
    ))
}

/// A stream of the `resources` items of every page, decoded into `T`.
pub(crate) fn items<'a, T>(pager: Pager<'a>) -> Items<'a, T>
where
    T: DeserializeOwned + Send + 'a,
{
    let start = (pager, Vec::new().into_iter());
    Box::pin(futures_util::stream::unfold(
        start,
        |(mut pager, mut buffered)| async move {
            loop {
                if let Some(item) = buffered.next() {
                    return Some((Ok(item), (pager, buffered)));
                }
                let page = pager
                    .next_raw()
                    .await?
                    .and_then(RawReply::decode::<Resources<T>>);
                match page {
                    Ok(page) => buffered = page.body.resources.unwrap_or_default().into_iter(),
                    Err(e) => {
                        pager.done = true;
                        let e = pager.resumable(e);
                        return Some((Err(e), (pager, buffered)));
                    }
                }
            }
        },
    ))
}

/// Only the items of a page.
#[derive(Deserialize)]
struct Resources<T> {
    #[serde(default = "Option::default")]
    resources: Option<Vec<T>>,
}

/// What paging needs from a reply, read without keeping the items.
#[derive(Deserialize, Default)]
struct PageInfo {
    #[serde(default)]
    meta: Option<MetaInfo>,
    #[serde(default, deserialize_with = "count_items")]
    resources: u64,
}

#[derive(Deserialize, Default)]
struct MetaInfo {
    #[serde(default)]
    pagination: Option<PagingInfo>,
}

/// `meta.pagination` as paging reads it (also what [`Envelope::paging`](crate::Envelope::paging)
/// returns): each figure a number or a numeric string; anything else is absent.
#[derive(Deserialize, Default)]
pub(crate) struct PagingInfo {
    #[serde(default, deserialize_with = "lenient_u64")]
    pub(crate) limit: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub(crate) total: Option<u64>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub(crate) after: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub(crate) offset: Option<u64>,
}

/// A count as the service sends it: a number or a numeric string.
fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// How many items `resources` holds (a list; `null` is none, an object counts as one).
fn count_items<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    struct Count(PhantomData<()>);
    impl<'de> Visitor<'de> for Count {
        type Value = u64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of resources")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
            let mut n = 0;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                n += 1;
            }
            Ok(n)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<u64, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(1)
        }
        fn visit_unit<E>(self) -> Result<u64, E> {
            Ok(0)
        }
        fn visit_none<E>(self) -> Result<u64, E> {
            Ok(0)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
            d.deserialize_any(Count(PhantomData))
        }
        fn visit_str<E>(self, _: &str) -> Result<u64, E> {
            Ok(1)
        }
        fn visit_u64<E>(self, _: u64) -> Result<u64, E> {
            Ok(1)
        }
        fn visit_i64<E>(self, _: i64) -> Result<u64, E> {
            Ok(1)
        }
        fn visit_f64<E>(self, _: f64) -> Result<u64, E> {
            Ok(1)
        }
        fn visit_bool<E>(self, _: bool) -> Result<u64, E> {
            Ok(1)
        }
    }
    d.deserialize_any(Count(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_info_reads_counts_and_lenient_numbers() {
        let info: PageInfo = serde_json::from_str(
            r#"{"meta":{"pagination":{"offset":"5","limit":"2","total":9,"after":"tok"}},
                "resources":[{"a":1},"x",[1,2]]}"#,
        )
        .unwrap();
        let p = info.meta.unwrap().pagination.unwrap();
        assert_eq!(
            (p.limit, p.total, p.after.as_deref()),
            (Some(2), Some(9), Some("tok"))
        );
        assert_eq!(info.resources, 3);
        let empty: PageInfo = serde_json::from_str(r#"{"resources":null}"#).unwrap();
        assert_eq!(empty.resources, 0);
        let none: PageInfo = serde_json::from_str(r#"{}"#).unwrap();
        assert!(none.meta.is_none());
    }
}
