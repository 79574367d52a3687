//! Falcon's report-executions endpoints, for the jobs `GetIndicatorsReport` launches: their
//! status by id, a query over them, and the download of a finished job's file.

use axum::body::{Body, Bytes};
use serde_json::{Value, json};
use std::convert::Infallible;
use std::iter::once;
use std::sync::Arc;

use super::{Ctx, string_paging};
use crate::envelope::{Payload, Reply, api_error_id};
use crate::fql;
use crate::reports::{self, CSV_COLUMNS, Format, Job};
use crate::state::Shared;
use crate::util;

/// `report-executions.get`: the executions with these ids (a 404 error per unknown id).
pub fn get(ctx: &Ctx<'_>) -> Reply {
    let now = util::epoch_micros();
    let mut resources = Vec::new();
    let mut errors = Vec::new();
    for id in ctx.query.list("ids") {
        match ctx.shared.reports.get(&id) {
            Some(job) => resources.push(job.to_json(now)),
            None => errors.push(api_error_id(
                404,
                format!("Could not find report execution {id}"),
                &id,
            )),
        }
    }
    let status = if resources.is_empty() { 404 } else { 200 };
    Reply::envelope(status, Value::Array(resources), errors)
}

/// `report-executions.query`: ids of the executions matching `filter` (fields `id`,
/// `status`, `type`, `user_id`, `scheduled_report_id`, `created_on`, `last_updated_on`,
/// `expiration_on`), sorted by `created_on` or `last_updated_on`, paged by offset.
pub fn query(ctx: &Ctx<'_>) -> Reply {
    let (offset, limit) = match string_paging(ctx, 100) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let filter = match ctx.query.non_empty("filter") {
        None => None,
        Some(f) => match fql::parse_with(f, &reports::filter_field) {
            Ok(e) => Some(e),
            Err(e) => return Reply::error(400, format!("Invalid filter: {e}")),
        },
    };
    let now = util::epoch_micros();
    let mut jobs: Vec<Job> = ctx
        .shared
        .reports
        .all()
        .into_iter()
        .filter(|j| filter.as_ref().is_none_or(|e| e.matches(&(j, now))))
        .collect();
    match ctx.query.non_empty("sort").unwrap_or("created_on.asc") {
        "created_on" | "created_on.asc" | "created_on|asc" => {}
        "created_on.desc" | "created_on|desc" => jobs.reverse(),
        "last_updated_on" | "last_updated_on.asc" | "last_updated_on|asc" => {
            jobs.sort_by_key(|j| j.to_json(now)["last_updated_on"].to_string())
        }
        "last_updated_on.desc" | "last_updated_on|desc" => {
            jobs.sort_by_key(|j| std::cmp::Reverse(j.to_json(now)["last_updated_on"].to_string()))
        }
        other => {
            return Reply::error(
                400,
                format!("Invalid sort '{other}': sort by created_on or last_updated_on"),
            );
        }
    }
    let total = jobs.len();
    let ids: Vec<Value> = jobs
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|j| Value::String(j.id))
        .collect();
    Reply::ok(Value::Array(ids))
        .with_pagination(json!({"offset": offset, "limit": limit, "total": total}))
}

/// `report-executions-download.get`: a finished job's file (CSV or JSON), streamed.
pub fn download(ctx: &Ctx<'_>) -> Reply {
    let id = ctx.query.get("ids").unwrap_or("");
    let Some(job) = ctx.shared.reports.get(id) else {
        return Reply::envelope(
            404,
            json!([]),
            vec![api_error_id(
                404,
                format!("Could not find report execution {id}"),
                id,
            )],
        );
    };
    let status = job.status(util::epoch_micros());
    if status != "DONE" {
        return Reply::error(
            400,
            format!("Report execution {id} has no file yet: its status is {status}"),
        );
    }
    let disposition = format!("attachment; filename=\"{}\"", job.file_name());
    Reply {
        status: 200,
        payload: Payload::Stream {
            content_type: job.format.content_type(),
            body: file_body(ctx.shared.clone(), job),
        },
        headers: vec![("Content-Disposition".into(), disposition)],
    }
}

/// Indicators rendered per chunk; the store is locked for one chunk at a time.
const CHUNK: usize = 1000;

fn file_body(shared: Arc<Shared>, job: Job) -> Body {
    let format = job.format;
    let head = match format {
        Format::Csv => format!("{}\r\n", CSV_COLUMNS.join(",")),
        Format::Json => "[".to_string(),
    };
    let tail = match format {
        Format::Csv => String::new(),
        Format::Json => "]".to_string(),
    };
    let n = job.slots.len();
    let chunks = (0..n).step_by(CHUNK).map(move |start| {
        let store = shared.store();
        let now = store.peek_now();
        let mut out = String::new();
        for (i, slot) in job.slots[start..(start + CHUNK).min(n)].iter().enumerate() {
            let rec = store.rec(*slot, &now);
            match format {
                Format::Csv => out.push_str(&reports::csv_line(&rec)),
                Format::Json => {
                    if start + i > 0 {
                        out.push(',');
                    }
                    out.push_str(&rec.to_json().to_string());
                }
            }
        }
        out
    });
    let parts = once(head)
        .chain(chunks)
        .chain(once(tail))
        .map(|s| Ok::<_, Infallible>(Bytes::from(s)));
    Body::from_stream(futures_util::stream::iter(parts))
}
