//! Which hosts and processes saw an indicator: device counts, devices-ran-on,
//! processes-ran-on (on both the `/indicators/...` and `/iocs/...` paths) and process details.
//! Answers come from the deterministic data set in [`crate::hosts`].

use serde_json::{Value, json};

use super::{Ctx, string_paging};
use crate::envelope::{Reply, api_error_id};
use crate::hosts;
use crate::store::check_type_value;

fn type_value(ctx: &Ctx<'_>) -> Result<(String, String), Reply> {
    check_type_value(
        ctx.query.get("type").unwrap_or(""),
        ctx.query.get("value").unwrap_or(""),
    )
    .map_err(|m| Reply::error(400, m))
}

/// `DevicesCount` / `indicator_get_device_count_v1`.
pub fn device_count(ctx: &Ctx<'_>) -> Reply {
    let (kind, value) = match type_value(ctx) {
        Ok(tv) => tv,
        Err(r) => return r,
    };
    let count = hosts::devices_for(&kind, &value).len();
    Reply::ok(json!([{
        "id": format!("{kind}:{value}"),
        "type": kind,
        "value": value,
        "device_count": count,
        "limit_exceeded": false,
    }]))
}

fn paged_ids(ctx: &Ctx<'_>, ids: Vec<String>) -> Reply {
    let (offset, limit) = match string_paging(ctx, 100) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let total = ids.len();
    let page: Vec<Value> = ids
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(Value::String)
        .collect();
    let mut pagination = json!({"offset": offset, "limit": limit, "total": total});
    let next = offset.saturating_add(limit);
    if next < total {
        pagination["next_page"] = json!(next.to_string());
    }
    Reply::ok(Value::Array(page)).with_pagination(pagination)
}

/// `DevicesRanOn` / `indicator_get_devices_ran_on_v1`: device ids, paged.
pub fn devices_ran_on(ctx: &Ctx<'_>) -> Reply {
    match type_value(ctx) {
        Ok((kind, value)) => paged_ids(ctx, hosts::devices_for(&kind, &value)),
        Err(r) => r,
    }
}

/// `ProcessesRanOn` / `indicator_get_processes_ran_on_v1`: process ids on one device, paged.
pub fn processes_ran_on(ctx: &Ctx<'_>) -> Reply {
    let (kind, value) = match type_value(ctx) {
        Ok(tv) => tv,
        Err(r) => return r,
    };
    let device = ctx
        .query
        .get("device_id")
        .unwrap_or("")
        .to_ascii_lowercase();
    paged_ids(ctx, hosts::processes_for(&kind, &value, &device))
}

/// `entities.processes`: `ProcessDetail` records for `pid:<device_id>:<n>` ids.
pub fn process_entities(ctx: &Ctx<'_>) -> Reply {
    let ids = ctx.query.list("ids");
    if ids.is_empty() {
        return Reply::error(
            400,
            "Missing required parameter 'ids': at least one id is required",
        );
    }
    if let Err(r) = super::too_many("ids", ids.len(), super::MAX_IDS) {
        return r;
    }
    let mut resources = Vec::new();
    let mut errors = Vec::new();
    for id in &ids {
        match hosts::process_detail(id) {
            Some(d) => resources.push(d),
            None => errors.push(api_error_id(
                404,
                format!("Could not find process {id}"),
                id,
            )),
        }
    }
    let status = if resources.is_empty() { 404 } else { 200 };
    Reply::envelope(status, Value::Array(resources), errors)
}
