//! The fixed catalogs: actions, indicator types, platforms and severities.

use serde_json::{Value, json};

use super::{Ctx, string_paging};
use crate::envelope::{Reply, api_error_id};
use crate::store;

/// A `*.query.v1` catalog listing: ids, paged by string `offset` and integer `limit`.
pub fn query(ctx: &Ctx<'_>, items: &[&str]) -> Reply {
    let (offset, limit) = match string_paging(ctx, 100) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let page: Vec<Value> = items
        .iter()
        .skip(offset)
        .take(limit)
        .map(|s| json!(s))
        .collect();
    Reply::ok(Value::Array(page)).with_pagination(json!({
        "offset": offset,
        "limit": limit,
        "total": items.len(),
    }))
}

fn action_record(id: &str) -> Value {
    let hash_platforms = json!(["windows", "mac", "linux"]);
    let mut by_type = serde_json::Map::new();
    for t in store::TYPES {
        let hash = matches!(*t, "sha256" | "md5");
        if hash || !store::HASH_ONLY_ACTIONS.contains(&id) {
            by_type.insert(t.to_string(), hash_platforms.clone());
        }
    }
    let severities: Vec<&str> = if matches!(id, "detect" | "prevent") {
        store::SEVERITIES.to_vec()
    } else {
        Vec::new()
    };
    json!({"id": id, "platforms_by_type": by_type, "severities": severities})
}

/// `action.get.v1`: `api.ActionV1` records for the requested ids (all when none given).
pub fn get_actions(ctx: &Ctx<'_>) -> Reply {
    let ids = ctx.query.list("ids");
    let ids: Vec<String> = if ids.is_empty() {
        store::ACTIONS.iter().map(|s| s.to_string()).collect()
    } else {
        ids
    };
    let mut resources = Vec::new();
    let mut errors = Vec::new();
    for id in &ids {
        if store::ACTIONS.contains(&id.as_str()) {
            resources.push(action_record(id));
        } else {
            errors.push(api_error_id(404, format!("Could not find action {id}"), id));
        }
    }
    let status = if resources.is_empty() { 404 } else { 200 };
    Reply::envelope(status, Value::Array(resources), errors)
}
