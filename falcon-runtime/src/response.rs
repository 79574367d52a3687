//! What a successful call returns: status, headers and the decoded body.

use http::HeaderMap;

/// A reply with a success status.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// The HTTP status (2xx).
    pub status: u16,
    /// Reply headers as the server sent them.
    pub headers: HeaderMap,
    /// The body, decoded.
    pub body: T,
}

impl<T> ApiResponse<T> {
    /// The service's trace id (`X-Cs-Traceid`), to quote to support.
    pub fn trace_id(&self) -> Option<&str> {
        header_str(&self.headers, "x-cs-traceid")
    }

    /// The rate-limit figures sent with the reply.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// The same reply with the body changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

/// Rate-limit headers of a reply: `X-Ratelimit-Limit`, `X-Ratelimit-Remaining` and, on a 429,
/// `X-Ratelimit-Retryafter` (epoch seconds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-Ratelimit-Limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `X-Ratelimit-Remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `X-Ratelimit-Retryafter`: when to try again, in seconds since the epoch.
    pub retry_after_epoch: Option<u64>,
}

impl RateLimit {
    /// The figures in `headers`; a header missing or not a number is `None`.
    pub fn from_headers(headers: &HeaderMap) -> RateLimit {
        let number = |name| header_str(headers, name).and_then(|v| v.trim().parse().ok());
        RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            retry_after_epoch: number("x-ratelimit-retryafter"),
        }
    }
}

pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
