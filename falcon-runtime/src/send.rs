//! Sending one request: log in when needed, re-log in once on a 401, retry as configured, and
//! decode the reply.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::args::PartValue;
use crate::body::read_capped;
use crate::client::Client;
use crate::error::{ApiError, Attempts, Error};
use crate::failures::ApiErrorEntry;
use crate::operation::FormEncoding;
use crate::request::{Encoded, Request};
use crate::response::{ApiResponse, RateLimit, header_str};

/// A reply as received, before decoding.
#[derive(Debug)]
pub(crate) struct RawReply {
    pub(crate) label: Cow<'static, str>,
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// How many attempts the call took; an error status names them.
    pub(crate) attempts: Attempts,
}

impl Client {
    /// Sends a request: logs in when needed, re-logs in once on a 401, retries as configured.
    /// One `falcon.call` span covers the call, with operation id, method, path, attempts,
    /// final status and latency.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawReply, Error> {
        let encoded = request.encode();
        let span = tracing::info_span!(
            target: "falcon_runtime",
            "falcon.call",
            operation = %request.label,
            method = request.method.as_str(),
            path = %encoded.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .execute_attempts(&request, &encoded)
            .instrument(span.clone())
            .await;
        // Recorded once, at the end: a field recorded per attempt shows once per attempt.
        let attempts = match &result {
            Ok(reply) => reply.attempts.count,
            Err((_, count)) => *count,
        };
        span.record("attempt", attempts);
        let result = result.map_err(|(e, count)| {
            e.after(Attempts {
                count,
                elapsed: started.elapsed(),
            })
        });
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(reply) => {
                span.record("status", reply.status);
            }
            Err(Error::Api(e)) => {
                span.record("status", e.status);
            }
            Err(_) => {}
        }
        result
    }

    async fn execute_attempts(
        &self,
        request: &Request,
        encoded: &Encoded,
    ) -> Result<RawReply, (Error, u32)> {
        let started = Instant::now();
        let retry = &self.inner.retry;
        let mut waited = Duration::ZERO;
        let mut attempt: u32 = 0;
        let mut relogged = false;
        loop {
            attempt += 1;
            let bearer = match self.inner.auth.bearer(|c| self.request_token(c)).await {
                Ok(bearer) => bearer,
                // A login that did not get through, or met a 429 or 5xx, is retried within the
                // same budget as the call; nothing has been sent to the API yet.
                Err(e) if e.is_retryable() => {
                    let wait = retry.backoff(attempt);
                    if attempt > retry.max_retries || !within_budget(waited, wait, retry) {
                        tracing::debug!(target: "falcon_runtime", attempt, error = %e, "login failed; giving up");
                        return Err((e, attempt));
                    }
                    tracing::debug!(target: "falcon_runtime", attempt, error = %e, wait_ms = wait.as_millis() as u64, "login failed; waiting, then trying again");
                    waited += wait;
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Err(e) => return Err((e, attempt)),
            };
            let sent = Instant::now();
            let outcome = self.send_once(request, encoded, bearer.header).await;
            let latency_ms = sent.elapsed().as_millis() as u64;
            // What to do with this attempt: hand back a result, or wait and go again.
            let (result, wait) = match outcome {
                Err(e) => {
                    // A request that never reached the server is safe to send again; a TLS
                    // failure or an oversized reply would only happen again.
                    let safe = request.method.is_idempotent() || e.is_connect();
                    let wait = (safe && e.is_retryable()).then(|| retry.backoff(attempt));
                    (Err(e), wait)
                }
                Ok(reply) => {
                    if reply.status == 401 && !relogged && self.inner.auth.can_login() {
                        relogged = true;
                        tracing::debug!(target: "falcon_runtime", "401: logging in again once");
                        self.inner.auth.invalidate(bearer.generation).await;
                        attempt -= 1;
                        continue;
                    }
                    let wait = if reply.status == 429 {
                        Some(retry.rate_limit_wait(&reply.headers, attempt))
                    } else if reply.status >= 500 && request.method.is_idempotent() {
                        Some(retry.backoff(attempt))
                    } else {
                        None
                    };
                    (Ok(reply), wait)
                }
            };
            // One line per attempt: what it got, and the wait before the next one (none: the end).
            let next =
                wait.filter(|w| attempt <= retry.max_retries && within_budget(waited, *w, retry));
            let wait_ms = next.map(|w| w.as_millis() as u64);
            match &result {
                Ok(reply) => {
                    tracing::debug!(target: "falcon_runtime", attempt, status = reply.status, latency_ms, wait_ms, "attempt")
                }
                Err(e) => {
                    tracing::debug!(target: "falcon_runtime", attempt, error = %e, latency_ms, wait_ms, "attempt")
                }
            }
            match wait {
                Some(wait)
                    if attempt <= retry.max_retries && within_budget(waited, wait, retry) =>
                {
                    waited += wait;
                    tokio::time::sleep(wait).await;
                }
                Some(_) if retry.max_retries > 0 => {
                    tracing::debug!(target: "falcon_runtime", attempt, "giving up: retry budget spent");
                    return settle(result, attempt, started);
                }
                _ => return settle(result, attempt, started),
            }
        }
    }

    /// One attempt: the request on the wire and its whole reply read.
    async fn send_once(
        &self,
        request: &Request,
        encoded: &Encoded,
        authorization: Option<http::HeaderValue>,
    ) -> Result<RawReply, Error> {
        let Some(authorization) = authorization else {
            return Err(Error::invalid(
                &request.label,
                None,
                "the request cannot be built: the token cannot be sent as a header",
            ));
        };
        let url = self.inner.url(&encoded.path);
        let mut builder = self
            .inner
            .request(request.method.clone(), &url)
            .header(http::header::AUTHORIZATION, authorization);
        if !encoded.query.is_empty() {
            builder = builder.query(&encoded.query);
        }
        for (name, value) in &encoded.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.json(body);
        } else if let Some(raw) = &request.raw_body {
            // The content type was chosen and checked when the body was set.
            builder = builder
                .header(
                    http::header::CONTENT_TYPE,
                    raw.mime().unwrap_or("application/octet-stream"),
                )
                .body(raw.bytes().clone());
        } else if request.form == Some(FormEncoding::Multipart) {
            builder = builder.multipart(multipart_form(&request.label, &encoded.parts)?);
        } else if !encoded.form.is_empty() {
            builder = builder.form(&encoded.form);
        }
        let mut reply = builder.send().await.map_err(|e| {
            if e.is_builder() {
                // Not a network failure: the request itself cannot be built (a header value
                // that is not valid, a URL too long). Retrying would not help. reqwest's own
                // text is only "builder error": the cause is in its sources.
                Error::invalid(
                    &request.label,
                    None,
                    format!(
                        "the request cannot be built: {}; check the values given (a header \
                         cannot hold a line break, a URL cannot pass 64 KiB)",
                        crate::error::chain(&e.without_url())
                    ),
                )
            } else {
                Error::transport(e)
            }
        })?;
        let status = reply.status().as_u16();
        // The body is read from the reply; its headers are moved out, not copied.
        let headers = std::mem::take(reply.headers_mut());
        let body = read_capped(reply, self.inner.max_reply_bytes, &request.label).await?;
        Ok(RawReply {
            label: request.label.clone(),
            status,
            headers,
            body,
            attempts: Attempts::default(),
        })
    }
}

/// The end of a call: its reply with the attempts it took (an error status becomes an API
/// error that names them), or its error with the attempt count.
fn settle(
    result: Result<RawReply, Error>,
    attempt: u32,
    started: Instant,
) -> Result<RawReply, (Error, u32)> {
    match result {
        Ok(mut reply) => {
            reply.attempts = Attempts {
                count: attempt,
                elapsed: started.elapsed(),
            };
            Ok(reply)
        }
        Err(e) => Err((e, attempt)),
    }
}

/// Whether waiting `wait` more keeps the call inside its retry budget (overflow counts as no).
fn within_budget(waited: Duration, wait: Duration, retry: &crate::retry::RetryConfig) -> bool {
    waited
        .checked_add(wait)
        .is_some_and(|total| total <= retry.max_total_wait)
}

/// A `multipart/form-data` body, built afresh for each attempt (a form is consumed by sending).
fn multipart_form(
    label: &str,
    parts: &[(String, PartValue)],
) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in parts {
        form = match value {
            PartValue::Text(text) => form.text(name.clone(), text.clone()),
            PartValue::Json(text) => {
                let part = reqwest::multipart::Part::text(text.clone())
                    .mime_str("application/json")
                    .map_err(|e| Error::invalid(label, Some(name), e.to_string()))?;
                form.part(name.clone(), part)
            }
            PartValue::File(file) => {
                let part = file
                    .part()
                    .map_err(|why| Error::invalid(label, Some(name), why))?;
                form.part(name.clone(), part)
            }
        };
    }
    Ok(form)
}

impl RawReply {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn body(&self) -> &[u8] {
        &self.body
    }

    /// A 2xx reply decoded into `T`; anything else an [`Error::Api`].
    pub(crate) fn decode<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        if !self.is_success() {
            return Err(self.into_api_error());
        }
        let text: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        let body = serde_json::from_slice(text)
            .or_else(|first| {
                if text == b"null" {
                    serde_json::from_slice(b"{}")
                } else {
                    Err(first)
                }
            })
            .map_err(|e| Error::Decode {
                status: self.status,
                message: e.to_string(),
                snippet: snippet(&self.body),
            })?;
        Ok(ApiResponse {
            status: self.status,
            headers: self.headers,
            body,
        })
    }

    fn into_api_error(self) -> Error {
        let json: Option<serde_json::Value> = serde_json::from_slice(&self.body).ok();
        let errors = json
            .as_ref()
            .and_then(|v| v.get("errors"))
            .and_then(|e| serde_json::from_value::<Vec<ApiErrorEntry>>(e.clone()).ok())
            .unwrap_or_default();
        let raw_body = match &json {
            Some(_) => None,
            None => {
                Some(String::from_utf8_lossy(&self.body[..self.body.len().min(4096)]).into_owned())
            }
        };
        Error::Api(Box::new(ApiError {
            status: self.status,
            operation: self.label.into_owned(),
            errors,
            trace_id: header_str(&self.headers, "x-cs-traceid").map(str::to_string),
            rate_limit: RateLimit::from_headers(&self.headers),
            body: json,
            raw_body,
            attempts: self.attempts,
        }))
    }
}

fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned()
}
