//! The request pipeline and the per-operation handlers.
//!
//! Every request goes through [`dispatch`]: read the body, record it in the journal, apply
//! faults, then (for API operations) check the bearer token, count it against the rate
//! limit, validate it against the operation table, and finally call the handler.

mod analytics;
mod catalog;
mod indicators;
mod legacy;
mod observations;
mod reports;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Response;
use serde_json::Value;
use std::sync::Arc;
use std::time::Instant;

use crate::envelope::Reply;
use crate::faults::Route;
use crate::journal::RecordedRequest;
use crate::ops::{self, Miss, Operation, Query};
use crate::state::Shared;

/// Largest request body accepted.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// The most ids one request by ids may carry (`maxItems` of the `ids` parameters in
/// `spec/ioc.yaml`, from PSFalcon's per-request cap).
pub const MAX_IDS: usize = 500;

/// The most indicators one create or update request may carry (`maxItems` of the bodies'
/// `indicators` in `spec/ioc.yaml`, from PSFalcon's batch size).
pub const MAX_INDICATORS: usize = 2000;

/// The 400 for a request carrying more `what` than the service takes in one, if it does.
pub fn too_many(what: &str, given: usize, max: usize) -> Result<(), Reply> {
    if given <= max {
        return Ok(());
    }
    Err(Reply::error(
        400,
        format!(
            "Too many {what} in one request: {given} given, at most {max} are allowed; \
             send them in several requests"
        ),
    ))
}

/// What a handler gets to work with.
pub struct Ctx<'a> {
    /// Shared simulator state (an `Arc`, so a streamed body can keep it).
    pub shared: &'a Arc<Shared>,
    /// Decoded query parameters.
    pub query: &'a Query,
    /// The body parsed as JSON, if any.
    pub body: Option<&'a Value>,
    /// The client id the bearer token was issued to.
    pub client_id: &'a str,
}

enum Target {
    Token,
    Revoke,
    Op(&'static Operation),
    Miss(Miss),
}

fn target_for(method: &str, path: &str) -> Target {
    let trimmed = path.trim_end_matches('/');
    match (method, trimmed) {
        ("POST", "/oauth2/token") => Target::Token,
        ("POST", "/oauth2/revoke") => Target::Revoke,
        _ => match ops::find(method, path) {
            Ok(op) => Target::Op(op),
            Err(miss) => Target::Miss(miss),
        },
    }
}

/// The single axum handler: runs the whole pipeline for any request.
pub async fn dispatch(State(shared): State<Arc<Shared>>, req: Request) -> Response<Body> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let raw = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    let method = parts.method.as_str().to_string();
    let path = parts.uri.path().to_string();
    let query = Query::parse(parts.uri.query().unwrap_or(""));
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let authorization = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let json_body: Option<Value> = if raw.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice(&raw).ok()
    };

    let target = target_for(&method, &path);
    let (operation_id, route) = match &target {
        Target::Token => (Some("oauth2AccessToken".to_string()), Some(Route::Token)),
        Target::Revoke => (Some("oauth2RevokeToken".to_string()), Some(Route::Revoke)),
        Target::Op(op) => (
            Some(op.id.to_string()),
            Some(Route::Operation(op.id.to_string())),
        ),
        Target::Miss(_) => (None, None),
    };
    shared.journal.record(RecordedRequest {
        method: method.clone(),
        path: path.clone(),
        query: query.pairs.clone(),
        headers,
        body: json_body.clone(),
        raw_body: raw.clone(),
        operation_id,
    });
    if matches!(target, Target::Token) {
        shared.tokens.count_token_request();
    }

    if let Some(route) = route {
        let outcome = shared.faults.take(&route);
        if !outcome.delay.is_zero() {
            tokio::time::sleep(outcome.delay).await;
        }
        if let Some(reply) = outcome.reply {
            return reply.into_response(started, &shared.rate.peek());
        }
    }

    let (reply, rate_headers) = match target {
        Target::Token => (
            shared
                .tokens
                .issue(&shared.config, &raw, authorization.as_deref()),
            shared.rate.peek(),
        ),
        Target::Revoke => (
            shared
                .tokens
                .revoke(&shared.config, &raw, authorization.as_deref()),
            shared.rate.peek(),
        ),
        Target::Miss(Miss::NotFound) => (
            Reply::error(404, format!("Not Found: no operation at {path}")),
            shared.rate.peek(),
        ),
        Target::Miss(Miss::MethodNotAllowed) => (
            Reply::error(405, format!("Method {method} is not allowed on {path}")),
            shared.rate.peek(),
        ),
        Target::Op(op) => match shared.tokens.authenticate(authorization.as_deref()) {
            None => (Reply::unauthorized(), shared.rate.peek()),
            Some(client_id) => {
                let decision = shared.rate.check();
                if !decision.allowed {
                    (
                        Reply::error(429, "API rate limit exceeded."),
                        decision.headers,
                    )
                } else {
                    let reply = match ops::validate(op, &query, &raw, json_body.as_ref()) {
                        Err(reply) => reply,
                        Ok(()) => {
                            let ctx = Ctx {
                                shared: &shared,
                                query: &query,
                                body: json_body.as_ref(),
                                client_id: &client_id,
                            };
                            handle(op.id, &ctx)
                        }
                    };
                    (reply, decision.headers)
                }
            }
        },
    };
    reply.into_response(started, &rate_headers)
}

fn handle(op_id: &str, ctx: &Ctx<'_>) -> Reply {
    match op_id {
        "indicator.get.v1" => indicators::get(ctx),
        "indicator.create.v1" => indicators::create(ctx),
        "indicator.update.v1" => indicators::update(ctx),
        "indicator.delete.v1" => indicators::delete(ctx),
        "indicator.search.v1" => indicators::search(ctx),
        "indicator.combined.v1" => indicators::combined(ctx),
        "indicator.aggregate.v1" => analytics::aggregate(ctx),
        "GetIndicatorsReport" => analytics::report(ctx),
        "indicator_sdmf_query_v1" => analytics::sdmf(ctx),
        "GetIOC" => legacy::get(ctx),
        "CreateIOC" => legacy::create(ctx),
        "UpdateIOC" => legacy::update(ctx),
        "DeleteIOC" => legacy::delete(ctx),
        "QueryIOCs" => legacy::query(ctx),
        "DevicesCount" | "indicator_get_device_count_v1" => observations::device_count(ctx),
        "DevicesRanOn" | "indicator_get_devices_ran_on_v1" => observations::devices_ran_on(ctx),
        "ProcessesRanOn" | "indicator_get_processes_ran_on_v1" => {
            observations::processes_ran_on(ctx)
        }
        "entities.processes" => observations::process_entities(ctx),
        "action.query.v1" => catalog::query(ctx, crate::store::ACTIONS),
        "ioc_type.query.v1" => catalog::query(ctx, crate::store::TYPES),
        "platform.query.v1" => catalog::query(ctx, crate::store::PLATFORMS),
        "severity.query.v1" => catalog::query(ctx, crate::store::SEVERITIES),
        "action.get.v1" => catalog::get_actions(ctx),
        "report-executions.get" => reports::get(ctx),
        "report-executions.query" => reports::query(ctx),
        "report-executions-download.get" => reports::download(ctx),
        other => Reply::error(501, format!("operation {other} is not implemented")),
    }
}

/// The body as a JSON object, or a 400 naming what is wrong.
pub fn body_object<'a>(ctx: &'a Ctx<'_>) -> Result<&'a serde_json::Map<String, Value>, Reply> {
    match ctx.body {
        Some(Value::Object(m)) => Ok(m),
        _ => Err(Reply::error(400, "Request body must be a JSON object")),
    }
}

/// Parses `offset`/`limit` given as strings (catalog and ran-on endpoints).
pub fn string_paging(ctx: &Ctx<'_>, default_limit: usize) -> Result<(usize, usize), Reply> {
    let parse = |name: &str, default: usize| -> Result<usize, Reply> {
        match ctx.query.non_empty(name) {
            None => Ok(default),
            Some(v) => v.trim().parse::<usize>().map_err(|_| {
                Reply::error(
                    400,
                    format!(
                        "Invalid value for parameter '{name}': '{v}' is not a non-negative integer"
                    ),
                )
            }),
        }
    };
    let offset = parse("offset", 0)?;
    let limit = parse("limit", default_limit)?;
    if !(1..=500).contains(&limit) {
        return Err(Reply::error(
            400,
            format!("Invalid limit {limit}: limit must be between 1 and 500"),
        ));
    }
    Ok((offset, limit))
}
