//! The older `/indicators/entities/iocs/v1` (by type and value) and
//! `/indicators/queries/iocs/v1` endpoints, backed by the same store.

use serde_json::{Value, json};

use super::indicators::not_found_type_value;
use super::{Ctx, body_object};
use crate::envelope::Reply;
use crate::ops::parse_bool;
use crate::store::{Patch, check_type_value, id_for_slot};

/// Reads and checks the `type` and `value` query parameters.
fn type_value(ctx: &Ctx<'_>) -> Result<(String, String), Reply> {
    let kind = ctx.query.get("type").unwrap_or("");
    let value = ctx.query.get("value").unwrap_or("");
    check_type_value(kind, value).map_err(|m| Reply::error(400, m))
}

/// `GetIOC`.
pub fn get(ctx: &Ctx<'_>) -> Reply {
    let (kind, value) = match type_value(ctx) {
        Ok(tv) => tv,
        Err(r) => return r,
    };
    let store = ctx.shared.store();
    match store.find(&kind, &value) {
        Some(slot) => Reply::ok(json!([store.to_json(slot, &store.peek_now())])),
        None => Reply::envelope(404, json!([]), vec![not_found_type_value(&kind, &value)]),
    }
}

/// `CreateIOC`: the body is one indicator object.
pub fn create(ctx: &Ctx<'_>) -> Reply {
    if let Err(r) = body_object(ctx) {
        return r;
    }
    let body = ctx.body.cloned().unwrap_or(Value::Null);
    let comment = body
        .get("comment")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut store = ctx.shared.store();
    match store.create_one(&body, ctx.client_id, comment.as_deref(), false) {
        Ok(c) => Reply::ok(json!([store.to_json(c.slot, &store.peek_now())])),
        Err(m) => Reply::error(400, m),
    }
}

/// `UpdateIOC`: `type`/`value` in the query, changed fields in the body.
pub fn update(ctx: &Ctx<'_>) -> Reply {
    let (kind, value) = match type_value(ctx) {
        Ok(tv) => tv,
        Err(r) => return r,
    };
    let obj = match body_object(ctx) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let patch = match Patch::from_json(obj) {
        Ok(p) => p,
        Err(m) => return Reply::error(400, m),
    };
    let mut store = ctx.shared.store();
    let Some(id) = store.find(&kind, &value).map(id_for_slot) else {
        return Reply::envelope(404, json!([]), vec![not_found_type_value(&kind, &value)]);
    };
    match store.update(&id, &patch, ctx.client_id) {
        Ok(slot) => Reply::ok(json!([store.to_json(slot, &store.peek_now())])),
        Err((code, m)) => Reply::error(code, m),
    }
}

/// `DeleteIOC`.
pub fn delete(ctx: &Ctx<'_>) -> Reply {
    let (kind, value) = match type_value(ctx) {
        Ok(tv) => tv,
        Err(r) => return r,
    };
    let mut store = ctx.shared.store();
    let Some(slot) = store.find(&kind, &value) else {
        return Reply::envelope(404, json!([]), vec![not_found_type_value(&kind, &value)]);
    };
    store.delete_slots(&[slot], ctx.client_id);
    Reply::ok(json!([]))
}

fn csv(ctx: &Ctx<'_>, name: &str) -> Vec<String> {
    ctx.query
        .list(name)
        .into_iter()
        .map(|v| v.to_ascii_lowercase())
        .collect()
}

/// `QueryIOCs`: ids matching the comma-separated `types`, `values`, `policies` (actions),
/// `sources`, `created_by` and the expiration window. Deleted indicators count only with
/// `include_deleted=true`, or when `deleted_by` names who deleted them.
pub fn query(ctx: &Ctx<'_>) -> Reply {
    let types = csv(ctx, "types");
    let values = csv(ctx, "values");
    let policies = csv(ctx, "policies");
    let sources = csv(ctx, "sources");
    let creators = csv(ctx, "created_by");
    let deleters = csv(ctx, "deleted_by");
    let include_deleted = ctx
        .query
        .get("include_deleted")
        .and_then(parse_bool)
        .unwrap_or(false);
    let from = ctx.query.non_empty("from.expiration_timestamp");
    let to = ctx.query.non_empty("to.expiration_timestamp");
    let store = ctx.shared.store();
    let now = store.peek_now();
    let keep = |list: &[String], v: &str| {
        list.is_empty() || list.iter().any(|x| x == &v.to_ascii_lowercase())
    };
    let ids: Vec<Value> = (0..store.slots() as u32)
        .map(|slot| store.rec(slot, &now))
        .filter(|r| {
            let rec = r.rec;
            let deleted_ok = if deleters.is_empty() {
                !rec.deleted || include_deleted
            } else {
                rec.deleted && keep(&deleters, r.strings.text(rec.modified_by))
            };
            deleted_ok
                && keep(&types, rec.kind())
                && keep(&values, &rec.value)
                && keep(&policies, rec.action().unwrap_or(""))
                && keep(&sources, r.strings.get(rec.source).unwrap_or(""))
                && keep(&creators, r.strings.text(rec.created_by))
                && match (from, to, r.strings.get(rec.expiration)) {
                    (None, None, _) => true,
                    (_, _, None) => false,
                    (f, t, Some(e)) => f.is_none_or(|f| e >= f) && t.is_none_or(|t| e <= t),
                }
        })
        .map(|r| Value::String(id_for_slot(r.slot)))
        .collect();
    let total = ids.len();
    Reply::ok(Value::Array(ids))
        .with_pagination(json!({"offset": 0, "limit": total, "total": total}))
}
