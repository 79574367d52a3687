//! Filtering, sorting and paging for `indicator.search.v1` and `indicator.combined.v1`.
//!
//! Paging rules follow the service: `limit` 1..=500 (default 100); `offset + limit` may
//! not pass 10,000 (use `after` beyond that); `offset` and `after` cannot be combined.
//! The `after` token is opaque to clients ([`token`]): it names the filter and sort it was
//! issued for and the position of the last result it covered, and is refused for any other
//! query. A walk resumes after that position in the current results, so indicators created
//! or deleted meanwhile neither shift it nor make it repeat or skip others.

mod token;

use serde_json::{Value, json};

use crate::envelope::Reply;
use crate::fql::{self, Expr, Field};
use crate::ops::Query;
use crate::store::{SortField, SortKey, Store};
use crate::util;

/// Largest `limit`.
pub const MAX_LIMIT: i64 = 500;
/// Default `limit`.
pub const DEFAULT_LIMIT: i64 = 100;
/// Largest `offset + limit`.
pub const MAX_WINDOW: i64 = 10_000;

/// Parses `field.asc`, `field.desc`, `field|asc`, `field|desc` or `field`, comma-separated.
pub fn parse_sort(raw: &str) -> Result<Vec<SortKey>, String> {
    let mut keys = Vec::new();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (field, desc) = if let Some(f) = item
            .strip_suffix(".desc")
            .or_else(|| item.strip_suffix("|desc"))
        {
            (f, true)
        } else if let Some(f) = item
            .strip_suffix(".asc")
            .or_else(|| item.strip_suffix("|asc"))
        {
            (f, false)
        } else {
            (item, false)
        };
        let field = if field == "severity_number" {
            SortField::SeverityNumber
        } else {
            SortField::Field(
                Field::parse(field).ok_or_else(|| format!("unknown sort field '{field}'"))?,
            )
        };
        keys.push(SortKey { field, desc });
    }
    Ok(keys)
}

fn bad(message: String) -> Reply {
    Reply::error(400, message)
}

/// One page of search results.
#[derive(Debug)]
pub struct Page {
    /// Slots of the indicators on the page, in order.
    pub slots: Vec<u32>,
    /// `meta.pagination`.
    pub pagination: Value,
}

/// Runs a search query: the page of matching indicators and `meta.pagination`.
pub fn run(store: &mut Store, query: &Query) -> Result<Page, Reply> {
    let limit = match query.non_empty("limit") {
        None => DEFAULT_LIMIT,
        Some(l) => l.trim().parse::<i64>().unwrap_or(-1),
    };
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad(format!(
            "Invalid limit {limit}: limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let after = query.non_empty("after");
    let offset_raw = query.non_empty("offset");
    if after.is_some() && offset_raw.is_some() {
        return Err(bad(
            "The 'offset' and 'after' parameters cannot be used together".into(),
        ));
    }
    let filter_raw = query.non_empty("filter").unwrap_or("");
    let filter = if filter_raw.trim().is_empty() {
        None
    } else {
        Some(parse_filter(filter_raw)?)
    };
    let sort_raw = query.non_empty("sort").unwrap_or("");
    let sort = parse_sort(sort_raw).map_err(|e| bad(format!("Invalid sort: {e}")))?;
    let fingerprint = util::fnv1a(format!("{filter_raw}\u{0}{sort_raw}").as_bytes());

    let cursor = match after {
        Some(t) => {
            let c = token::open(store.secret(), t)
                .ok_or_else(|| bad("Invalid 'after' token".into()))?;
            if c.fingerprint != fingerprint || c.vals.len() != sort.len() {
                return Err(bad(
                    "The 'after' token does not belong to this filter and sort".into(),
                ));
            }
            Some(c)
        }
        None => None,
    };
    let offset = match (&cursor, offset_raw) {
        (Some(_), _) => 0,
        (None, raw) => {
            let offset = raw.map_or(0, |o| o.trim().parse::<i64>().unwrap_or(-1));
            if offset < 0 {
                return Err(bad(format!(
                    "Invalid offset {offset}: must not be negative"
                )));
            }
            if offset.saturating_add(limit) > MAX_WINDOW {
                return Err(bad(format!(
                    "offset + limit must not exceed {MAX_WINDOW} (got {}); use the 'after' \
                     parameter to page through larger result sets",
                    offset.saturating_add(limit)
                )));
            }
            offset as usize
        }
    };

    let view = store.select(filter.as_ref(), filter_raw, &sort);
    let start = match &cursor {
        Some(c) => store.position_after(&view, &sort, &c.vals, c.slot),
        None => offset,
    };
    let total = view.len();
    let begin = start.min(total);
    let end = (begin + limit as usize).min(total);
    let slots = view[begin..end].to_vec();
    let mut pagination = json!({"offset": start, "limit": limit, "total": total});
    if end < total {
        let last = view[end - 1];
        let next = token::Cursor {
            fingerprint,
            slot: last,
            vals: store.sort_vals(last, &sort),
        };
        pagination["after"] = json!(token::seal(store.secret(), &next));
    }
    Ok(Page { slots, pagination })
}

/// Parses a filter (search, bulk update, delete, aggregate, reports).
pub fn parse_filter(raw: &str) -> Result<Expr, Reply> {
    fql::parse(raw).map_err(|e| bad(format!("Invalid filter: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_forms() {
        let k = parse_sort("created_on.desc,value|asc,type").unwrap();
        assert_eq!(k.len(), 3);
        assert!(k[0].desc && !k[1].desc && !k[2].desc);
        assert_eq!(
            parse_sort("metadata.filename.raw|desc").unwrap()[0].field,
            SortField::Field(Field::Metadata("filename".into()))
        );
        assert_eq!(
            parse_sort("severity_number").unwrap()[0].field,
            SortField::SeverityNumber
        );
        assert!(parse_sort("bogus.asc").is_err());
    }
}
