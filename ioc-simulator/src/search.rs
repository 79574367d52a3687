//! Filtering, sorting and paging for `indicator.search.v1` and `indicator.combined.v1`.
//!
//! Paging rules follow the service: `limit` 1..=500 (default 100); `offset + limit` may
//! not pass 10,000 (use `after` beyond that); `offset` and `after` cannot be combined.
//! The `after` token is opaque to clients: it encodes the next position and a fingerprint
//! of the filter and sort it was issued for, and is rejected for any other query.

use serde_json::{Value, json};
use std::cmp::Ordering;

use crate::envelope::Reply;
use crate::fql::{self, Expr};
use crate::ops::Query;
use crate::store::{Indicator, SEVERITIES, Store};
use crate::util;

/// Largest `limit`.
pub const MAX_LIMIT: i64 = 500;
/// Default `limit`.
pub const DEFAULT_LIMIT: i64 = 100;
/// Largest `offset + limit`.
pub const MAX_WINDOW: i64 = 10_000;

/// One sort key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    /// Canonical field path, or `severity_number`.
    pub field: String,
    /// Descending order.
    pub desc: bool,
}

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
            field.to_string()
        } else {
            fql::canonical_field(field).ok_or_else(|| format!("unknown sort field '{field}'"))?
        };
        keys.push(SortKey { field, desc });
    }
    Ok(keys)
}

fn sort_value(record: &Value, field: &str) -> Value {
    if field == "severity_number" {
        let sev = record.get("severity").and_then(Value::as_str).unwrap_or("");
        return SEVERITIES
            .iter()
            .position(|s| *s == sev)
            .map_or(json!(0), |p| json!(p + 1));
    }
    match fql::lookup(record, field) {
        Some(Value::Array(items)) => items.first().cloned().unwrap_or(Value::Null),
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

fn cmp_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (x, y) => x.to_string().cmp(&y.to_string()),
    }
}

fn bad(message: String) -> Reply {
    Reply::error(400, message)
}

fn encode_after(pos: usize, fingerprint: &str) -> String {
    util::hex_encode(format!("v1:{pos}:{fingerprint}").as_bytes())
}

fn decode_after(token: &str) -> Option<(usize, String)> {
    let text = String::from_utf8(util::hex_decode(token)?).ok()?;
    let mut parts = text.splitn(3, ':');
    if parts.next()? != "v1" {
        return None;
    }
    let pos = parts.next()?.parse().ok()?;
    Some((pos, parts.next()?.to_string()))
}

/// Runs a search query: returns the page of records and `meta.pagination`.
pub fn run(store: &Store, query: &Query) -> Result<(Vec<Indicator>, Value), Reply> {
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
        Some(fql::parse(filter_raw).map_err(|e| bad(format!("Invalid filter: {e}")))?)
    };
    let sort_raw = query.non_empty("sort").unwrap_or("");
    let sort = parse_sort(sort_raw).map_err(|e| bad(format!("Invalid sort: {e}")))?;
    let fingerprint = format!(
        "{:016x}",
        util::fnv1a(format!("{filter_raw}\u{0}{sort_raw}").as_bytes())
    );

    let start = match after {
        Some(token) => {
            let (pos, fp) =
                decode_after(token).ok_or_else(|| bad("Invalid 'after' token".into()))?;
            if fp != fingerprint {
                return Err(bad(
                    "The 'after' token does not belong to this filter and sort".into(),
                ));
            }
            pos
        }
        None => {
            let offset = offset_raw.map_or(0, |o| o.trim().parse::<i64>().unwrap_or(-1));
            if offset < 0 {
                return Err(bad(format!(
                    "Invalid offset {offset}: must not be negative"
                )));
            }
            if offset + limit > MAX_WINDOW {
                return Err(bad(format!(
                    "offset + limit must not exceed {MAX_WINDOW} (got {}); use the 'after' \
                     parameter to page through larger result sets",
                    offset + limit
                )));
            }
            offset as usize
        }
    };

    let now = store.peek_now();
    let mut rows: Vec<(Value, &Indicator)> = store
        .filter(filter.as_ref())
        .into_iter()
        .map(|i| (i.to_json(&now), i))
        .collect();
    if !sort.is_empty() {
        rows.sort_by(|(a, _), (b, _)| {
            sort.iter()
                .map(|k| {
                    let o = cmp_values(&sort_value(a, &k.field), &sort_value(b, &k.field));
                    if k.desc { o.reverse() } else { o }
                })
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        });
    }
    let total = rows.len();
    let begin = start.min(total);
    let end = (begin + limit as usize).min(total);
    let page: Vec<Indicator> = rows[begin..end].iter().map(|(_, i)| (*i).clone()).collect();
    let mut pagination = json!({"offset": start, "limit": limit, "total": total});
    if end < total {
        pagination["after"] = json!(encode_after(end, &fingerprint));
    }
    Ok((page, pagination))
}

/// Parses an optional filter for bulk operations (delete, bulk update, aggregate).
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
            "metadata.filename"
        );
        assert!(parse_sort("bogus.asc").is_err());
    }

    #[test]
    fn after_roundtrip() {
        assert_eq!(
            decode_after(&encode_after(42, "abc")),
            Some((42, "abc".into()))
        );
        assert_eq!(decode_after("zz"), None);
    }
}
