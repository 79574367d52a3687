//! The request journal: the requests the simulator receives, in arrival order.
//!
//! It keeps the most recent [`CAPACITY`] requests, and drops the oldest bodies first once
//! the kept bodies pass [`BODY_BUDGET`] bytes, so a long-running simulator (a soak test, a
//! million-indicator sync) holds a bounded journal instead of growing with every page.

use std::collections::VecDeque;
use std::sync::Mutex;

/// Requests kept.
pub const CAPACITY: usize = 10_000;
/// Bytes of raw bodies kept, all requests together.
pub const BODY_BUDGET: usize = 64 << 20;

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

/// Thread-safe log of the latest [`RecordedRequest`]s.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    list: VecDeque<RecordedRequest>,
    body_bytes: usize,
}

impl Journal {
    /// Appends one request, dropping the oldest past the limits.
    pub fn record(&self, req: RecordedRequest) {
        let mut e = self.entries.lock().expect("journal lock");
        e.body_bytes += req.raw_body.len();
        e.list.push_back(req);
        while e.list.len() > CAPACITY || (e.body_bytes > BODY_BUDGET && e.list.len() > 1) {
            if let Some(old) = e.list.pop_front() {
                e.body_bytes -= old.raw_body.len();
            }
        }
    }

    /// A copy of the recorded requests, oldest first.
    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        let e = self.entries.lock().expect("journal lock");
        e.list.iter().cloned().collect()
    }

    /// Forgets every recorded request.
    pub fn clear(&self) {
        *self.entries.lock().expect("journal lock") = Entries::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(n: usize, body: usize) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: format!("/{n}"),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            raw_body: vec![b' '; body],
            operation_id: None,
        }
    }

    #[test]
    fn keeps_the_latest_requests_within_bounds() {
        let j = Journal::default();
        for n in 0..CAPACITY + 5 {
            j.record(req(n, 0));
        }
        let kept = j.snapshot();
        assert_eq!(kept.len(), CAPACITY);
        assert_eq!(kept[0].path, "/5");
        j.clear();
        for n in 0..3 {
            j.record(req(n, BODY_BUDGET / 2));
        }
        let kept = j.snapshot();
        assert_eq!(kept.len(), 2, "the oldest body went");
        assert_eq!(kept[0].path, "/1");
        j.record(req(9, BODY_BUDGET * 2));
        assert_eq!(j.snapshot().len(), 1, "the newest request is always kept");
    }
}
