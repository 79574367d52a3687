//! `/iocs/entities/indicators/v1` (get, create, update, delete), `/iocs/queries/indicators/v1`
//! (search) and `/iocs/combined/indicator/v1` (combined).

use serde_json::{Value, json};

use super::{Ctx, MAX_IDS, MAX_INDICATORS, body_object, too_many};
use crate::envelope::{Reply, api_error, api_error_id};
use crate::search;
use crate::store::{Patch, batch_error, id_for_slot};

/// `indicator.get.v1`: 200 with the found records (plus a 404 error per missing id), or 404.
pub fn get(ctx: &Ctx<'_>) -> Reply {
    let ids = ctx.query.list("ids");
    if ids.is_empty() {
        return Reply::error(
            400,
            "Missing required parameter 'ids': at least one id is required",
        );
    }
    if let Err(r) = too_many("ids", ids.len(), MAX_IDS) {
        return r;
    }
    let store = ctx.shared.store();
    let now = store.peek_now();
    let mut resources = Vec::new();
    let mut errors = Vec::new();
    for id in &ids {
        match store.live_slot(id) {
            Some(slot) => resources.push(store.to_json(slot, &now)),
            None => errors.push(api_error_id(
                404,
                format!("Could not find indicator {id}"),
                id,
            )),
        }
    }
    let status = if resources.is_empty() { 404 } else { 200 };
    Reply::envelope(status, Value::Array(resources), errors)
}

/// `indicator.create.v1`: 201 with created records and per-indicator errors; 400 if none.
pub fn create(ctx: &Ctx<'_>) -> Reply {
    let body = match body_object(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(Value::Array(items)) = body.get("indicators") else {
        return Reply::error(400, "'indicators' is required and must be an array");
    };
    if items.is_empty() {
        return Reply::error(400, "'indicators' must contain at least one indicator");
    }
    if let Err(r) = too_many("indicators", items.len(), MAX_INDICATORS) {
        return r;
    }
    let comment = body.get("comment").and_then(Value::as_str);
    let ignore_warnings = ctx.query.flag("ignore_warnings", false);
    let mut store = ctx.shared.store();
    let mut created = Vec::new();
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match store.create_one(item, ctx.client_id, comment, ignore_warnings) {
            Ok(c) => created.push(c.slot),
            Err(msg) => errors.push(batch_error(i, &msg)),
        }
    }
    let now = store.peek_now();
    let status = if created.is_empty() { 400 } else { 201 };
    // Written straight out, as a page of search results is: a batch of 2,000 records is no
    // tree of JSON values.
    let records = created.iter().map(|s| store.rec(*s, &now));
    Reply::envelope_items(status, records, errors)
}

/// `indicator.update.v1`: updates by `indicators[].id` and/or `bulk_update.filter`.
pub fn update(ctx: &Ctx<'_>) -> Reply {
    let body = match body_object(ctx) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut targets: Vec<(String, Patch)> = Vec::new();
    let mut errors = Vec::new();
    let mut attempted = false;

    match body.get("indicators") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            if let Err(r) = too_many("indicators", items.len(), MAX_INDICATORS) {
                return r;
            }
            for (i, item) in items.iter().enumerate() {
                let Value::Object(obj) = item else {
                    errors.push(batch_error(i, "each indicator must be a JSON object"));
                    continue;
                };
                let id = obj.get("id").and_then(Value::as_str).unwrap_or("");
                if id.is_empty() {
                    if obj.keys().any(|k| k != "id") {
                        errors.push(batch_error(i, "'id' is required"));
                    }
                    continue;
                }
                attempted = true;
                match Patch::from_json(obj) {
                    Ok(p) => targets.push((id.to_string(), p)),
                    Err(m) => errors.push(batch_error(i, &m)),
                }
            }
        }
        Some(_) => return Reply::error(400, "'indicators' must be an array"),
    }

    let mut store = ctx.shared.store();
    match body.get("bulk_update") {
        None | Some(Value::Null) => {}
        Some(Value::Object(bulk)) if !bulk.is_empty() => {
            let patch = match Patch::from_json(bulk) {
                Ok(p) => p,
                Err(m) => return Reply::error(400, format!("bulk_update: {m}")),
            };
            let filter = bulk.get("filter").and_then(Value::as_str).unwrap_or("");
            if filter.trim().is_empty() {
                if !patch.is_empty() {
                    return Reply::error(400, "bulk_update requires a 'filter'");
                }
            } else {
                attempted = true;
                let expr = match search::parse_filter(filter) {
                    Ok(e) => e,
                    Err(r) => return r,
                };
                // Deleted indicators stay deleted, even when the filter names them.
                let matching = store.select(Some(&expr), filter, &[]);
                for slot in matching.iter().filter(|s| store.is_live(**s)) {
                    targets.push((id_for_slot(*slot), patch.clone()));
                }
            }
        }
        Some(Value::Object(_)) => {}
        Some(_) => return Reply::error(400, "'bulk_update' must be an object"),
    }
    if !attempted && errors.is_empty() {
        return Reply::error(
            400,
            "Nothing to update: give indicators[].id or bulk_update.filter",
        );
    }

    let mut updated = Vec::new();
    for (id, patch) in &targets {
        match store.update(id, patch, ctx.client_id) {
            Ok(slot) => updated.push(slot),
            Err((code, msg)) => errors.push(api_error_id(code, msg, id)),
        }
    }
    let now = store.peek_now();
    let status = if !updated.is_empty() || errors.is_empty() {
        200
    } else if errors.iter().all(|e| e["code"] == 404) {
        404
    } else {
        400
    };
    let resources: Vec<Value> = updated.iter().map(|s| store.to_json(*s, &now)).collect();
    Reply::envelope(status, Value::Array(resources), errors)
}

/// `indicator.delete.v1`: deletes by `filter` or, without one, by `ids` (the service lets
/// the filter take precedence and ignores `ids` then); returns the deleted ids.
pub fn delete(ctx: &Ctx<'_>) -> Reply {
    let ids = ctx.query.list("ids");
    let filter = ctx.query.non_empty("filter");
    if ids.is_empty() && filter.is_none() {
        return Reply::error(400, "Either 'ids' or 'filter' is required");
    }
    if let Err(r) = too_many("ids", ids.len(), MAX_IDS) {
        return r;
    }
    let mut store = ctx.shared.store();
    if let Some(f) = filter {
        let expr = match search::parse_filter(f) {
            Ok(e) => e,
            Err(r) => return r,
        };
        let matching = store.select(Some(&expr), f, &[]);
        let deleted: Vec<String> = store
            .delete_slots(&matching, ctx.client_id)
            .into_iter()
            .map(id_for_slot)
            .collect();
        return Reply::ok(json!(deleted));
    }
    let deleted = store.delete(&ids, ctx.client_id);
    let errors: Vec<Value> = ids
        .iter()
        .filter(|id| !deleted.contains(id))
        .map(|id| api_error_id(404, format!("Could not find indicator {id}"), id))
        .collect();
    let status = if deleted.is_empty() { 404 } else { 200 };
    Reply::envelope(status, json!(deleted), errors)
}

/// `indicator.search.v1`: ids of matching indicators, paged.
pub fn search(ctx: &Ctx<'_>) -> Reply {
    let mut store = ctx.shared.store();
    match search::run(&mut store, ctx.query) {
        Err(r) => r,
        Ok(page) => {
            let ids = page.slots.iter().map(|s| id_for_slot(*s));
            Reply::ok_items(ids).with_pagination(page.pagination)
        }
    }
}

/// `indicator.combined.v1`: matching records, paged.
pub fn combined(ctx: &Ctx<'_>) -> Reply {
    let mut store = ctx.shared.store();
    match search::run(&mut store, ctx.query) {
        Err(r) => r,
        Ok(page) => {
            let now = store.peek_now();
            let records = page.slots.iter().map(|s| store.rec(*s, &now));
            Reply::ok_items(records).with_pagination(page.pagination)
        }
    }
}

/// An error entry for a missing indicator addressed by type and value.
pub fn not_found_type_value(kind: &str, value: &str) -> Value {
    api_error(
        404,
        format!("Could not find indicator with type '{kind}' and value '{value}'"),
    )
}
