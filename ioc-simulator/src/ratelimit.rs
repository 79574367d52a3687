//! A fixed one-minute-window request counter behind the `X-Ratelimit-*` headers.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::util;

/// Limit reported in the headers when no limit is configured.
pub const NOMINAL_LIMIT: u32 = 6000;
const WINDOW: Duration = Duration::from_secs(60);

/// The verdict for one request.
#[derive(Debug, Clone)]
pub struct RateDecision {
    /// `false` when the request is over the limit and must get a 429.
    pub allowed: bool,
    /// Headers to send (`X-Ratelimit-Limit`, `X-Ratelimit-Remaining`, and on refusal
    /// `X-Ratelimit-Retryafter` and `Retry-After`).
    pub headers: Vec<(String, String)>,
}

#[derive(Debug)]
struct Window {
    start: Instant,
    count: u32,
}

/// Counts requests per one-minute window.
#[derive(Debug)]
pub struct RateLimiter {
    limit: Option<u32>,
    window: Mutex<Window>,
}

impl RateLimiter {
    /// A limiter allowing `limit` requests per minute (`None` = unlimited).
    pub fn new(limit: Option<u32>) -> RateLimiter {
        RateLimiter {
            limit,
            window: Mutex::new(Window {
                start: Instant::now(),
                count: 0,
            }),
        }
    }

    /// Headers for a request that is not counted (OAuth endpoints).
    pub fn peek(&self) -> Vec<(String, String)> {
        let w = self.window.lock().expect("rate lock");
        let limit = self.limit.unwrap_or(NOMINAL_LIMIT);
        headers(limit, limit.saturating_sub(w.count))
    }

    /// Counts one request and says whether it is allowed.
    pub fn check(&self) -> RateDecision {
        let mut w = self.window.lock().expect("rate lock");
        let now = Instant::now();
        if now.duration_since(w.start) >= WINDOW {
            w.start = now;
            w.count = 0;
        }
        let limit = self.limit.unwrap_or(NOMINAL_LIMIT);
        match self.limit {
            Some(l) if w.count >= l => {
                let wait = WINDOW
                    .saturating_sub(now.duration_since(w.start))
                    .as_secs()
                    .max(1);
                let mut h = headers(limit, 0);
                h.push((
                    "X-Ratelimit-Retryafter".into(),
                    (util::epoch_secs() + wait).to_string(),
                ));
                h.push(("Retry-After".into(), wait.to_string()));
                RateDecision {
                    allowed: false,
                    headers: h,
                }
            }
            _ => {
                w.count = w.count.saturating_add(1);
                RateDecision {
                    allowed: true,
                    headers: headers(limit, limit.saturating_sub(w.count)),
                }
            }
        }
    }
}

fn headers(limit: u32, remaining: u32) -> Vec<(String, String)> {
    vec![
        ("X-Ratelimit-Limit".into(), limit.to_string()),
        ("X-Ratelimit-Remaining".into(), remaining.to_string()),
    ]
}
