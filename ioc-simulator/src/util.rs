//! Small deterministic helpers: hashing, hex ids, trace ids and RFC 3339 timestamps.
//!
//! Everything here is hand-rolled so the simulator needs no hashing, uuid or time crates,
//! and so that derived values (ids, host data) are stable across Rust releases.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// FNV-1a 64-bit hash of some bytes. Stable across platforms and releases.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One step of the SplitMix64 generator: a good bit mixer for counters and hashes.
pub fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// `words * 16` lower-case hex characters derived from `seed`.
pub fn hex_from_seed(seed: u64, words: usize) -> String {
    let mut out = String::with_capacity(words * 16);
    let mut x = seed;
    for _ in 0..words {
        x = splitmix(x);
        let _ = write!(out, "{x:016x}");
    }
    out
}

/// Hex encoding of arbitrary bytes.
pub fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Inverse of [`hex_encode`]; `None` on odd length or a non-hex character.
pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

static TRACE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh uuid-shaped trace id (8-4-4-4-12 lower-case hex, version 4 layout).
pub fn trace_id() -> String {
    let n = TRACE_COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    trace_id_from(nanos ^ splitmix(n))
}

/// A uuid-shaped id (8-4-4-4-12 lower-case hex, version 4 layout) derived from `seed`.
pub fn trace_id_from(seed: u64) -> String {
    let h = hex_from_seed(seed, 2);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// A seed no other call in this process returns (clock and counter mixed), for secrets
/// that only need to differ between simulators.
pub fn unique_seed() -> u64 {
    let n = TRACE_COUNTER.fetch_add(1, Ordering::Relaxed);
    splitmix(epoch_micros() ^ splitmix(n ^ 0x005e_c2e7))
}

/// Seconds since the Unix epoch, now.
pub fn epoch_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Microseconds since the Unix epoch, now.
pub fn epoch_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
}

/// Formats microseconds since the epoch as RFC 3339 UTC with six fractional digits,
/// e.g. `2024-05-01T12:00:00.000001Z`. Fixed width, so these strings sort chronologically.
pub fn rfc3339_micros(micros: u64) -> String {
    let secs = micros / 1_000_000;
    let frac = micros % 1_000_000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{frac:06}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Loose RFC 3339 check: `YYYY-MM-DDTHH:MM:SS` followed by optional fraction and a zone.
pub fn looks_like_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b[10] == b'T' || b[10] == b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && (s.ends_with('Z') || s.ends_with('z') || s[19..].contains(['+', '-']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_epoch() {
        assert_eq!(rfc3339_micros(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            rfc3339_micros(1_700_000_000_123_456),
            "2023-11-14T22:13:20.123456Z"
        );
    }

    #[test]
    fn hex_roundtrip() {
        assert_eq!(hex_decode(&hex_encode(b"abc")).unwrap(), b"abc");
        assert!(hex_decode("zz").is_none());
        assert_eq!(hex_from_seed(1, 4).len(), 64);
    }

    #[test]
    fn trace_ids_are_uuid_shaped() {
        let t = trace_id();
        assert_eq!(t.len(), 36);
        assert_eq!(t.matches('-').count(), 4);
    }
}
