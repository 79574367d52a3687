//! Aggregations, report jobs and SDMF queries.

use serde_json::{Map, Value, json};
use std::collections::HashMap;

use super::{Ctx, body_object};
use crate::envelope::Reply;
use crate::fql::{Expr, Field};
use crate::reports::{Format, Job};
use crate::search;
use crate::util;

/// `indicator.aggregate.v1`: `terms` aggregations (bucket counts per field value) over the
/// indicators matching the query `filter` and the body's `filter`. The body may be one
/// aggregate request object or an array of them.
pub fn aggregate(ctx: &Ctx<'_>) -> Reply {
    let requests: Vec<&Map<String, Value>> = match ctx.body {
        Some(Value::Object(m)) => vec![m],
        Some(Value::Array(items)) => {
            let objs: Option<Vec<_>> = items.iter().map(Value::as_object).collect();
            match objs {
                Some(o) if !o.is_empty() => o,
                _ => return Reply::error(400, "Request body must be an aggregate request object"),
            }
        }
        _ => return Reply::error(400, "Request body must be an aggregate request object"),
    };
    let query_text = ctx.query.non_empty("filter").unwrap_or("");
    let query_filter = match ctx.query.non_empty("filter").map(search::parse_filter) {
        None => None,
        Some(Ok(e)) => Some(e),
        Some(Err(r)) => return r,
    };
    let mut results = Vec::new();
    for req in requests {
        match one_aggregate(ctx, req, query_filter.as_ref(), query_text) {
            Ok(r) => results.push(r),
            Err(r) => return r,
        }
    }
    Reply::ok(Value::Array(results))
}

fn one_aggregate(
    ctx: &Ctx<'_>,
    req: &Map<String, Value>,
    query_filter: Option<&Expr>,
    query_text: &str,
) -> Result<Value, Reply> {
    let kind = req.get("type").and_then(Value::as_str).unwrap_or("terms");
    if kind != "terms" {
        return Err(Reply::error(
            400,
            format!("Unsupported aggregation type '{kind}': the simulator supports 'terms'"),
        ));
    }
    let raw_field = req.get("field").and_then(Value::as_str).unwrap_or("");
    let field = Field::parse(raw_field)
        .ok_or_else(|| Reply::error(400, format!("Invalid aggregation field '{raw_field}'")))?;
    let name = req
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or(raw_field)
        .to_string();
    let size = req
        .get("size")
        .and_then(Value::as_u64)
        .filter(|s| *s > 0)
        .unwrap_or(10) as usize;
    let body_filter = match req
        .get("filter")
        .and_then(Value::as_str)
        .filter(|f| !f.trim().is_empty())
    {
        Some(f) => Some(search::parse_filter(f)?),
        None => None,
    };

    let mut store = ctx.shared.store();
    let matching = store.select(query_filter, query_text, &[]);
    let now = store.peek_now();
    let mut counts: HashMap<String, (Value, u64)> = HashMap::new();
    for slot in matching.iter() {
        let rec = store.rec(*slot, &now);
        if body_filter.as_ref().is_some_and(|e| !e.matches(&rec)) {
            continue;
        }
        for v in rec.values_json(&field) {
            let key = v.to_string();
            counts.entry(key).or_insert((v, 0)).1 += 1;
        }
    }
    let mut buckets: Vec<(Value, u64)> = counts.into_values().collect();
    let sort = req
        .get("sort")
        .and_then(Value::as_str)
        .unwrap_or("_count|desc");
    buckets.sort_by(|(ka, ca), (kb, cb)| {
        let by_term = ka.to_string().cmp(&kb.to_string());
        match sort {
            "_term|asc" | "_term.asc" => by_term,
            "_term|desc" | "_term.desc" => by_term.reverse(),
            "_count|asc" | "_count.asc" => ca.cmp(cb).then(by_term),
            _ => cb.cmp(ca).then(by_term),
        }
    });
    let other: u64 = buckets.iter().skip(size).map(|(_, c)| c).sum();
    let buckets: Vec<Value> = buckets
        .into_iter()
        .take(size)
        .map(|(label, count)| json!({"label": label, "count": count}))
        .collect();
    Ok(json!({"name": name, "buckets": buckets, "sum_other_doc_count": other}))
}

/// `GetIndicatorsReport`: launches a report job over the indicators its `search` matches
/// and returns the job with status `pending`; the report-executions endpoints follow it.
pub fn report(ctx: &Ctx<'_>) -> Reply {
    let body = match body_object(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let format = match body.get("report_format").and_then(Value::as_str) {
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => {
            return Reply::error(
                400,
                "'report_format' is required and must be 'csv' or 'json'",
            );
        }
    };
    let search = body.get("search").cloned().unwrap_or_else(|| json!({}));
    let text = |key: &str| {
        search
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.trim().is_empty())
            .unwrap_or("")
    };
    let filter = match text("filter") {
        "" => None,
        f => match search::parse_filter(f) {
            Ok(e) => Some(e),
            Err(r) => return r,
        },
    };
    let sort = match search::parse_sort(text("sort")) {
        Ok(s) => s,
        Err(e) => return Reply::error(400, format!("Invalid sort: {e}")),
    };
    let mut store = ctx.shared.store();
    let slots = store.select(filter.as_ref(), text("filter"), &sort);
    let now = store.now();
    drop(store);
    let job = Job {
        id: util::hex_from_seed(util::unique_seed(), 2),
        created: util::epoch_micros(),
        format,
        user: ctx.client_id.to_string(),
        slots,
    };
    let id = job.id.clone();
    ctx.shared.reports.add(job);
    Reply::ok(json!([{
        "id": id,
        "type": "indicators",
        "status": "pending",
        "report_format": format.name(),
        "search": search,
        "created_on": now,
        "created_by": ctx.client_id,
    }]))
}

/// `indicator_sdmf_query_v1`: echoes the query with an empty, completed result.
pub fn sdmf(ctx: &Ctx<'_>) -> Reply {
    let body = match body_object(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let id = body
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| util::hex_from_seed(util::epoch_micros() ^ 0x5d3f, 2));
    Reply::ok(json!([{
        "id": id,
        "res_id": body.get("res_id").cloned().unwrap_or(Value::Null),
        "status": "completed",
        "control_info": body.get("control_info").cloned().unwrap_or_else(|| json!({})),
        "nodes": body.get("nodes").cloned().unwrap_or_else(|| json!([])),
        "results": [],
    }]))
}
