//! Fault injection: make chosen routes fail in chosen ways, a number of times or forever.
//!
//! Faults are checked, in the order they were injected, after the request has been recorded
//! in the journal and before anything else (rate limit, auth, validation, the handler).
//! Every matching [`FaultKind::Delay`] sleeps; the first matching non-delay fault decides the
//! response. Each fault that applied has its `times` counted down.

use serde_json::json;
use std::sync::Mutex;
use std::time::Duration;

use crate::envelope::{Payload, Reply, api_error};
use crate::util;

/// Which requests a [`Fault`] applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Route {
    /// Every API operation (not the OAuth endpoints: use [`Route::Token`] / [`Route::Revoke`]).
    Any,
    /// `POST /oauth2/token`.
    Token,
    /// `POST /oauth2/revoke`.
    Revoke,
    /// One operation, by its operation id as in `spec/ioc.yaml` (e.g. `indicator.get.v1`;
    /// the snake-case alias `indicator_get_v1` matches too).
    Operation(String),
}

impl From<&str> for Route {
    /// `"*"` and `"any"` give [`Route::Any`], `"token"`/`"oauth2AccessToken"` give
    /// [`Route::Token`], `"revoke"`/`"oauth2RevokeToken"` give [`Route::Revoke`]; anything
    /// else is an operation id.
    fn from(s: &str) -> Route {
        match s {
            "*" | "any" => Route::Any,
            "token" | "oauth2AccessToken" => Route::Token,
            "revoke" | "oauth2RevokeToken" => Route::Revoke,
            other => Route::Operation(other.to_string()),
        }
    }
}

impl From<String> for Route {
    fn from(s: String) -> Route {
        Route::from(s.as_str())
    }
}

/// How a faulted request fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer with this status and a JSON `errors` body.
    Status(u16),
    /// Wait this long, then handle the request normally (or apply the next matching fault).
    Delay(Duration),
    /// Answer 200 with `Content-Type: application/json` and the truncated body `{"meta": {`.
    MalformedJson,
    /// Answer with this status and an HTML page (`text/html`).
    HtmlError(u16),
    /// Close the connection without sending any response.
    DropConnection,
    /// Answer 401 with the service's "authorization failed" body, whatever the token.
    Status401,
    /// Answer 429. `X-Ratelimit-Retryafter` is now + the given seconds (epoch seconds);
    /// when `use_retry_after_header` is true a standard `Retry-After: <seconds>` is added too.
    RateLimited {
        /// Seconds from now until the client may retry.
        retry_after_epoch_secs_from_now: u64,
        /// Also send `Retry-After`.
        use_retry_after_header: bool,
    },
}

impl FaultKind {
    /// A 429 asking to wait `seconds`, as the service's rate limit answers: its
    /// `X-Ratelimit-Retryafter` is the epoch second to wait for (no `Retry-After`).
    pub fn rate_limited(seconds: u64) -> FaultKind {
        FaultKind::RateLimited {
            retry_after_epoch_secs_from_now: seconds,
            use_retry_after_header: false,
        }
    }
}

/// One injected fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Requests it applies to.
    pub route: Route,
    /// What happens to them.
    pub kind: FaultKind,
    /// How many requests it applies to; `None` means forever.
    pub times: Option<u32>,
}

impl Fault {
    /// A fault on `route` that applies forever.
    pub fn new(route: impl Into<Route>, kind: FaultKind) -> Fault {
        Fault {
            route: route.into(),
            kind,
            times: None,
        }
    }

    /// A fault on every API operation (not the OAuth endpoints) for the next `calls` calls.
    pub fn next_calls(calls: u32, kind: FaultKind) -> Fault {
        Fault::times(Route::Any, kind, calls)
    }

    /// A fault on `route` that applies to the next `times` matching requests.
    pub fn times(route: impl Into<Route>, kind: FaultKind, times: u32) -> Fault {
        Fault {
            route: route.into(),
            kind,
            times: Some(times),
        }
    }

    fn matches(&self, target: &Route) -> bool {
        match (&self.route, target) {
            (Route::Any, Route::Operation(_)) => true,
            (Route::Operation(a), Route::Operation(b)) => normalize(a) == normalize(b),
            (a, b) => a == b,
        }
    }
}

/// Operation ids compare with `.` and `-` treated as `_`, so FalconPy's snake-case aliases
/// (`indicator_get_v1`) name the same operation as the spec id (`indicator.get.v1`).
pub(crate) fn normalize(id: &str) -> String {
    id.replace(['.', '-'], "_")
}

/// What the pipeline must do for a request after looking at the faults.
#[derive(Debug, Default)]
pub struct FaultOutcome {
    /// Total time to sleep before going on.
    pub delay: Duration,
    /// A reply that replaces normal handling, if a non-delay fault applied.
    pub reply: Option<Reply>,
}

/// The set of active faults.
#[derive(Debug, Default)]
pub struct FaultTable {
    faults: Mutex<Vec<Fault>>,
}

impl FaultTable {
    /// Adds a fault (after the existing ones).
    pub fn inject(&self, fault: Fault) {
        if fault.times != Some(0) {
            self.faults.lock().expect("fault lock").push(fault);
        }
    }

    /// Removes every fault.
    pub fn clear(&self) {
        self.faults.lock().expect("fault lock").clear();
    }

    /// Applies the faults matching `target`, counting them down.
    pub fn take(&self, target: &Route) -> FaultOutcome {
        let mut out = FaultOutcome::default();
        let mut faults = self.faults.lock().expect("fault lock");
        for fault in faults.iter_mut() {
            if !fault.matches(target) {
                continue;
            }
            match &fault.kind {
                FaultKind::Delay(d) => out.delay += *d,
                kind => {
                    if out.reply.is_some() {
                        continue;
                    }
                    out.reply = Some(fault_reply(kind));
                }
            }
            if let Some(t) = fault.times.as_mut() {
                *t = t.saturating_sub(1);
            }
        }
        faults.retain(|f| f.times != Some(0));
        out
    }
}

fn fault_reply(kind: &FaultKind) -> Reply {
    match kind {
        FaultKind::Status(code) => Reply::json(
            *code,
            json!({
                "meta": {},
                "resources": [],
                "errors": [api_error(*code, format!("simulated fault: HTTP {code}"))],
            }),
        ),
        FaultKind::MalformedJson => Reply {
            status: 200,
            payload: Payload::Raw {
                content_type: "application/json",
                bytes: b"{\"meta\": {".to_vec(),
            },
            headers: Vec::new(),
        },
        FaultKind::HtmlError(code) => Reply {
            status: *code,
            payload: Payload::Raw {
                content_type: "text/html; charset=utf-8",
                bytes: format!(
                    "<!DOCTYPE html>\n<html><head><title>{code} Error</title></head>\
                     <body><h1>{code} Error</h1><p>The server could not complete your request \
                     (simulated fault).</p></body></html>\n"
                )
                .into_bytes(),
            },
            headers: Vec::new(),
        },
        FaultKind::DropConnection => Reply {
            status: 500,
            payload: Payload::Drop,
            headers: Vec::new(),
        },
        FaultKind::Status401 => Reply::unauthorized(),
        FaultKind::RateLimited {
            retry_after_epoch_secs_from_now: secs,
            use_retry_after_header,
        } => {
            let mut reply = Reply::error(429, "API rate limit exceeded.")
                .with_header("X-Ratelimit-Remaining", "0")
                .with_header(
                    "X-Ratelimit-Retryafter",
                    (util::epoch_secs() + secs).to_string(),
                );
            if *use_retry_after_header {
                reply = reply.with_header("Retry-After", secs.to_string());
            }
            reply
        }
        FaultKind::Delay(_) => unreachable!("delays are handled by the caller"),
    }
}
