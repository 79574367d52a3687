//! When to try a failed request again, and how long to wait first.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderMap;

use crate::response::{RateLimit, header_str};

/// Retry settings. 429s are retried after the wait the service asks for; 5xx replies and
/// transport failures are retried for idempotent methods only; both with jittered exponential
/// backoff, a bounded count and a bounded total wait.
#[derive(Debug, Clone)]
pub struct RetryConfig {
    /// Retries after the first attempt; 0 switches retrying off.
    pub max_retries: u32,
    /// The first backoff delay; each retry doubles it.
    pub base_delay: Duration,
    /// The longest single wait.
    pub max_delay: Duration,
    /// The most time spent waiting across all retries of one call.
    pub max_total_wait: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(60),
        }
    }
}

impl RetryConfig {
    /// No retries at all, as FalconPy behaves.
    pub fn disabled() -> Self {
        RetryConfig {
            max_retries: 0,
            ..RetryConfig::default()
        }
    }

    /// The backoff before retry number `attempt` (1-based), with up to 50% jitter off.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let capped = exp.min(self.max_delay);
        let factor = 1.0 - 0.5 * jitter_fraction();
        // `mul_f64` panics when rounding lands past `Duration::MAX`; a huge configured delay
        // simply goes unjittered.
        Duration::try_from_secs_f64(capped.as_secs_f64() * factor).unwrap_or(capped)
    }

    /// The wait a 429 asks for: until `X-Ratelimit-Retryafter` (epoch seconds), else
    /// `Retry-After` (seconds), else backoff. Not capped by `max_delay`: the service's word
    /// stands, and `max_total_wait` decides whether to wait that long or give up.
    pub(crate) fn rate_limit_wait(&self, headers: &HeaderMap, attempt: u32) -> Duration {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let asked = if let Some(epoch) = RateLimit::from_headers(headers).retry_after_epoch {
            Some(Duration::from_secs(epoch).saturating_sub(now))
        } else {
            header_str(headers, "retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs)
        };
        match asked {
            // Anything past the budget means "give up"; clamp it so a hostile header cannot
            // make the caller's arithmetic overflow.
            Some(wait) if !wait.is_zero() => {
                wait.min(self.max_total_wait.saturating_add(Duration::from_secs(1)))
            }
            _ => self.backoff(attempt),
        }
    }
}

/// A number in [0, 1) that differs between calls; good enough to spread retries apart.
fn jitter_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    (h.finish() % 10_000) as f64 / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    fn now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    #[test]
    fn rate_limit_wait_prefers_the_epoch_header_then_retry_after() {
        let r = RetryConfig {
            base_delay: Duration::from_millis(1),
            ..RetryConfig::default()
        };
        let epoch = headers(&[
            ("x-ratelimit-retryafter", (now() + 5).to_string()),
            ("retry-after", "100".into()),
        ]);
        let w = r.rate_limit_wait(&epoch, 1);
        assert!(
            w > Duration::from_secs(3) && w <= Duration::from_secs(5),
            "{w:?}"
        );
        let plain = headers(&[("retry-after", "7".into())]);
        assert_eq!(r.rate_limit_wait(&plain, 1), Duration::from_secs(7));
        // Nothing usable: backoff.
        let junk = headers(&[("retry-after", "soon".into())]);
        assert!(r.rate_limit_wait(&junk, 1) <= Duration::from_millis(1));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let r = RetryConfig {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            ..RetryConfig::default()
        };
        for attempt in 1..=6 {
            let full = Duration::from_millis(100 * 2u64.pow(attempt - 1)).min(r.max_delay);
            let b = r.backoff(attempt);
            assert!(b <= full && b >= full / 2, "attempt {attempt}: {b:?}");
        }
    }
}
