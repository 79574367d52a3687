//! The request journal: every request the simulator receives, in arrival order.

use std::sync::Mutex;

/// One request as the simulator received it, recorded before any fault or check applied.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// HTTP method, upper-case (`GET`, `POST`, ...).
    pub method: String,
    /// The URL path without the query string.
    pub path: String,
    /// Decoded query pairs in wire order; repeated keys are kept.
    pub query: Vec<(String, String)>,
    /// Header names (lower-case) and values, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body parsed as JSON, when it was non-empty valid JSON.
    pub body: Option<serde_json::Value>,
    /// The raw body bytes.
    pub raw_body: Vec<u8>,
    /// The operation id the request was routed to (`oauth2AccessToken` and
    /// `oauth2RevokeToken` for the OAuth endpoints), or `None` for unknown routes.
    pub operation_id: Option<String>,
}

impl RecordedRequest {
    /// The first value of query parameter `name`, if present.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name` (matched case-insensitively), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Thread-safe append-only log of [`RecordedRequest`]s.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<Vec<RecordedRequest>>,
}

impl Journal {
    /// Appends one request.
    pub fn record(&self, req: RecordedRequest) {
        self.entries.lock().expect("journal lock").push(req);
    }

    /// A copy of every recorded request.
    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.lock().expect("journal lock").clone()
    }

    /// Forgets every recorded request.
    pub fn clear(&self) {
        self.entries.lock().expect("journal lock").clear();
    }
}
