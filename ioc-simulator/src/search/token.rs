//! `after` tokens: where a walk through search results left off, opaque to the caller.
//!
//! A token holds the fingerprint of the filter and sort it belongs to, and the sort values
//! and slot of the last indicator it covered; the next page starts after that position in
//! the current results. The bytes are sealed with the store's secret: a keyed checksum
//! makes any edit (or a token from another simulator) fail to open, and a keystream makes
//! them unreadable. This is tamper evidence for a test double, not cryptography.

use std::borrow::Cow;

use crate::store::SortVal;
use crate::util;

const VERSION: u8 = 2;

/// A decoded `after` token.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    /// Fingerprint of the filter and sort text the token was issued for.
    pub fingerprint: u64,
    /// Slot of the last indicator covered.
    pub slot: u32,
    /// Its sort values, one per sort key.
    pub vals: Vec<SortVal<'static>>,
}

fn checksum(secret: u64, bytes: &[u8]) -> u64 {
    let mut keyed = secret.to_le_bytes().to_vec();
    keyed.extend_from_slice(bytes);
    util::splitmix(util::fnv1a(&keyed) ^ secret)
}

fn keystream(secret: u64, bytes: &mut [u8]) {
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let pad = util::splitmix(secret ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        for (b, k) in chunk.iter_mut().zip(pad.to_le_bytes()) {
            *b ^= k;
        }
    }
}

/// Seals a cursor into a token.
pub fn seal(secret: u64, c: &Cursor) -> String {
    let mut out = vec![VERSION];
    out.extend_from_slice(&c.fingerprint.to_le_bytes());
    out.extend_from_slice(&c.slot.to_le_bytes());
    out.push(c.vals.len() as u8);
    for v in &c.vals {
        match v {
            SortVal::Null => out.push(0),
            SortVal::Bool(b) => out.extend_from_slice(&[1, u8::from(*b)]),
            SortVal::Num(n) => {
                out.push(2);
                out.extend_from_slice(&n.to_le_bytes());
            }
            SortVal::Micros(m) => {
                out.push(3);
                out.extend_from_slice(&m.to_le_bytes());
            }
            SortVal::Str(s) => {
                out.push(4);
                out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
        }
    }
    let sum = checksum(secret, &out);
    out.extend_from_slice(&sum.to_le_bytes());
    keystream(secret, &mut out);
    util::hex_encode(&out)
}

/// Opens a token sealed by [`seal`] with the same secret; `None` for anything else.
pub fn open(secret: u64, token: &str) -> Option<Cursor> {
    let mut bytes = util::hex_decode(token)?;
    keystream(secret, &mut bytes);
    let body_len = bytes.len().checked_sub(8)?;
    let (body, sum) = bytes.split_at(body_len);
    if checksum(secret, body).to_le_bytes() != sum {
        return None;
    }
    let mut r = Reader(body);
    if r.take(1)?[0] != VERSION {
        return None;
    }
    let fingerprint = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
    let slot = u32::from_le_bytes(r.take(4)?.try_into().ok()?);
    let n = r.take(1)?[0];
    let mut vals = Vec::with_capacity(usize::from(n));
    for _ in 0..n {
        vals.push(match r.take(1)?[0] {
            0 => SortVal::Null,
            1 => SortVal::Bool(r.take(1)?[0] != 0),
            2 => SortVal::Num(i64::from_le_bytes(r.take(8)?.try_into().ok()?)),
            3 => SortVal::Micros(u64::from_le_bytes(r.take(8)?.try_into().ok()?)),
            4 => {
                let len = u32::from_le_bytes(r.take(4)?.try_into().ok()?) as usize;
                let text = std::str::from_utf8(r.take(len)?).ok()?;
                SortVal::Str(Cow::Owned(text.to_string()))
            }
            _ => return None,
        });
    }
    r.0.is_empty().then_some(Cursor {
        fingerprint,
        slot,
        vals,
    })
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor() -> Cursor {
        Cursor {
            fingerprint: 0xfeed,
            slot: 41,
            vals: vec![
                SortVal::Null,
                SortVal::Bool(true),
                SortVal::Num(-3),
                SortVal::Micros(1_700_000_000_000_000),
                SortVal::Str(Cow::Owned("evil.example".into())),
            ],
        }
    }

    #[test]
    fn round_trip() {
        let t = seal(7, &cursor());
        assert_eq!(open(7, &t), Some(cursor()));
        assert!(!t.contains("evil"), "the contents are not readable");
    }

    #[test]
    fn tampered_or_foreign_tokens_do_not_open() {
        let t = seal(7, &cursor());
        assert_eq!(open(8, &t), None, "another simulator's token");
        let mut b = t.clone().into_bytes();
        b[4] = if b[4] == b'0' { b'1' } else { b'0' };
        assert_eq!(open(7, std::str::from_utf8(&b).unwrap()), None);
        assert_eq!(open(7, &t[..t.len() - 2]), None);
        for junk in ["", "00", "zz", "garbage", &"ab".repeat(5000)] {
            assert_eq!(open(7, junk), None, "{junk}");
        }
    }
}
