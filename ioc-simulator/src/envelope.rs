//! The response envelope: `{meta, resources, errors}` bodies and the common headers.
//!
//! Handlers build a [`Reply`]; [`Reply::into_response`] fills in `meta.query_time`,
//! `meta.powered_by` and `meta.trace_id`, and sets `X-Cs-Traceid` to the same trace id.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Response, StatusCode};
use serde::Serialize;
use serde::ser::Serializer as _;
use serde_json::{Map, Value, json};
use std::time::Instant;

use crate::util;

/// Value of `meta.powered_by` in every enveloped response.
pub const POWERED_BY: &str = "ioc-simulator";

/// Marker put in response extensions when the connection must be dropped without answering.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// What a reply carries as its body.
#[derive(Debug)]
pub enum Payload {
    /// A JSON value; a `meta` object in it is completed when the reply is sent.
    Json(Value),
    /// Raw bytes with the given content type (HTML error pages, malformed JSON).
    Raw {
        /// The `Content-Type` header value.
        content_type: &'static str,
        /// The body bytes.
        bytes: Vec<u8>,
    },
    /// The standard envelope with `resources` already written as a JSON array: large
    /// pages of records (and batches of created ones) skip building JSON values. `meta` is
    /// completed like `Json`'s.
    Page {
        /// `meta`.
        meta: Map<String, Value>,
        /// `resources`, a serialised JSON array.
        resources: Vec<u8>,
        /// `errors`.
        errors: Vec<Value>,
    },
    /// A body produced while it is sent (report files, which can be large), so it is
    /// never held in memory whole.
    Stream {
        /// The `Content-Type` header value.
        content_type: &'static str,
        /// The body.
        body: Body,
    },
    /// No response at all: the connection is closed.
    Drop,
}

/// A response under construction.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Body.
    pub payload: Payload,
    /// Extra headers, added after the common ones.
    pub headers: Vec<(String, String)>,
}

/// One `msa.APIError` object.
pub fn api_error(code: u16, message: impl Into<String>) -> Value {
    json!({"code": code, "message": message.into()})
}

/// One `msa.APIError` object naming the entity id it is about.
pub fn api_error_id(code: u16, message: impl Into<String>, id: &str) -> Value {
    json!({"code": code, "message": message.into(), "id": id})
}

impl Reply {
    /// A JSON reply with the given status and body.
    pub fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            payload: Payload::Json(body),
            headers: Vec::new(),
        }
    }

    /// The standard envelope: `{meta: {}, resources, errors}`.
    pub fn envelope(status: u16, resources: Value, errors: Vec<Value>) -> Reply {
        Reply::json(
            status,
            json!({"meta": {}, "resources": resources, "errors": errors}),
        )
    }

    /// A 200 envelope with these resources and no errors.
    pub fn ok(resources: Value) -> Reply {
        Reply::envelope(200, resources, Vec::new())
    }

    /// A 200 envelope with no errors whose resources are items serialised one by one.
    pub fn ok_items<T: Serialize>(items: impl ExactSizeIterator<Item = T>) -> Reply {
        Reply::envelope_items(200, items, Vec::new())
    }

    /// The standard envelope whose resources are items serialised one by one, straight to
    /// bytes: the same body [`Reply::envelope`] gives for their JSON values, without building
    /// them.
    pub fn envelope_items<T: Serialize>(
        status: u16,
        items: impl ExactSizeIterator<Item = T>,
        errors: Vec<Value>,
    ) -> Reply {
        // About 600 bytes per indicator record.
        let mut resources = Vec::with_capacity(64 + items.len() * 640);
        let mut seq = serde_json::Serializer::new(&mut resources);
        let written = seq.collect_seq(items);
        if written.is_err() {
            resources = b"[]".to_vec();
        }
        Reply {
            status,
            payload: Payload::Page {
                meta: Map::new(),
                resources,
                errors,
            },
            headers: Vec::new(),
        }
    }

    /// An error envelope with a single error entry and empty `resources`.
    pub fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply::envelope(status, json!([]), vec![api_error(status, message)])
    }

    /// The 401 the real service sends for a missing, unknown, expired or revoked token.
    pub fn unauthorized() -> Reply {
        Reply::json(
            401,
            json!({
                "meta": {},
                "errors": [api_error(401, "access denied, authorization failed")],
                "resources": null,
            }),
        )
    }

    /// Adds `meta.pagination` (only meaningful for JSON replies with a `meta` object).
    pub fn with_pagination(mut self, pagination: Value) -> Reply {
        match &mut self.payload {
            Payload::Json(Value::Object(body)) => {
                if let Some(Value::Object(meta)) = body.get_mut("meta") {
                    meta.insert("pagination".into(), pagination);
                }
            }
            Payload::Page { meta, .. } => {
                meta.insert("pagination".into(), pagination);
            }
            _ => {}
        }
        self
    }

    /// Adds one header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// Turns the reply into an HTTP response, completing `meta` and adding the common
    /// headers (`X-Cs-Traceid` plus `common`, typically the rate-limit headers).
    pub fn into_response(self, started: Instant, common: &[(String, String)]) -> Response<Body> {
        let trace_id = util::trace_id();
        let (content_type, body, drop) = match self.payload {
            Payload::Json(mut v) => {
                if let Value::Object(body) = &mut v
                    && let Some(Value::Object(meta)) = body.get_mut("meta")
                {
                    complete_meta(meta, started, &trace_id);
                }
                let bytes = serde_json::to_vec(&v).unwrap_or_default();
                ("application/json", Body::from(bytes), false)
            }
            Payload::Page {
                mut meta,
                resources,
                errors,
            } => {
                complete_meta(&mut meta, started, &trace_id);
                // The same bytes a JSON value with these three keys gives: keys sorted.
                let mut bytes = Vec::with_capacity(resources.len() + 512);
                bytes.extend_from_slice(b"{\"errors\":");
                let _ = serde_json::to_writer(&mut bytes, &errors);
                bytes.extend_from_slice(b",\"meta\":");
                let _ = serde_json::to_writer(&mut bytes, &meta);
                bytes.extend_from_slice(b",\"resources\":");
                bytes.extend_from_slice(&resources);
                bytes.push(b'}');
                ("application/json", Body::from(bytes), false)
            }
            Payload::Raw {
                content_type,
                bytes,
            } => (content_type, Body::from(bytes), false),
            Payload::Stream { content_type, body } => (content_type, body, false),
            Payload::Drop => ("text/plain", Body::empty(), true),
        };
        let mut resp = Response::new(body);
        *resp.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = resp.headers_mut();
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        );
        let all = std::iter::once(("X-Cs-Traceid".to_string(), trace_id.clone()))
            .chain(common.iter().cloned())
            .chain(self.headers);
        for (name, value) in all {
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                headers.insert(n, v);
            }
        }
        if drop {
            resp.extensions_mut().insert(DropConnection);
        }
        resp
    }
}

fn complete_meta(meta: &mut Map<String, Value>, started: Instant, trace_id: &str) {
    let secs = started.elapsed().as_secs_f64();
    meta.insert("query_time".into(), json!((secs * 1e9).round() / 1e9));
    meta.insert("powered_by".into(), json!(POWERED_BY));
    meta.insert("trace_id".into(), json!(trace_id));
}
