//! OAuth2: `POST /oauth2/token`, `POST /oauth2/revoke`, and bearer-token checks.

use serde_json::json;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use crate::config::Config;
use crate::envelope::Reply;
use crate::util;

#[derive(Debug)]
struct TokenInfo {
    client_id: String,
    expires: Instant,
}

/// Issued tokens and the counters around them.
#[derive(Debug, Default)]
pub struct TokenStore {
    tokens: Mutex<HashMap<String, TokenInfo>>,
    counter: AtomicU64,
    token_requests: AtomicUsize,
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn form_get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Decodes `Authorization: Basic base64(id:secret)`; the scheme is case-insensitive.
fn basic_credentials(header: Option<&str>) -> Option<(String, String)> {
    let h = header?.trim();
    let (scheme, rest) = h.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64_decode(rest.trim())?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Standard base64 (padding optional).
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

fn denied() -> Reply {
    Reply::error(403, "access denied, invalid client credentials")
}

impl TokenStore {
    /// How many `POST /oauth2/token` requests arrived.
    pub fn token_requests(&self) -> usize {
        self.token_requests.load(Ordering::Relaxed)
    }

    /// Counts one token request (called for every request to the token route, faulted or not).
    pub fn count_token_request(&self) {
        self.token_requests.fetch_add(1, Ordering::Relaxed);
    }

    /// `POST /oauth2/token`: form `client_id`, `client_secret`, optional `member_cid`
    /// (Basic credentials are accepted as a fallback).
    pub fn issue(&self, config: &Config, body: &[u8], authorization: Option<&str>) -> Reply {
        let pairs = form_pairs(body);
        let from_form = match (
            form_get(&pairs, "client_id"),
            form_get(&pairs, "client_secret"),
        ) {
            (Some(id), Some(secret)) => Some((id.to_string(), secret.to_string())),
            _ => None,
        };
        let Some((id, secret)) = from_form.or_else(|| basic_credentials(authorization)) else {
            return Reply::error(400, "client_id and client_secret are required");
        };
        if id != config.client_id || secret != config.client_secret {
            return denied();
        }
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let token = format!(
            "sim.{}",
            util::hex_from_seed(util::epoch_micros() ^ util::splitmix(n + 1), 4)
        );
        self.tokens.lock().expect("token lock").insert(
            token.clone(),
            TokenInfo {
                client_id: id,
                expires: Instant::now() + config.token_ttl,
            },
        );
        let mut reply = Reply::json(
            201,
            json!({
                "access_token": token,
                "token_type": "bearer",
                "expires_in": config.token_ttl.as_secs(),
            }),
        );
        if let Some(region) = &config.region {
            reply = reply.with_header("X-Cs-Region", region.clone());
        }
        reply
    }

    /// `POST /oauth2/revoke`: Basic client credentials and form field `token`.
    pub fn revoke(&self, config: &Config, body: &[u8], authorization: Option<&str>) -> Reply {
        let Some((id, secret)) = basic_credentials(authorization) else {
            return Reply::error(401, "access denied, basic authorization required");
        };
        if id != config.client_id || secret != config.client_secret {
            return denied();
        }
        let pairs = form_pairs(body);
        let Some(token) = form_get(&pairs, "token").filter(|t| !t.is_empty()) else {
            return Reply::error(400, "token is required");
        };
        self.tokens.lock().expect("token lock").remove(token);
        Reply::envelope(200, json!([]), Vec::new())
    }

    /// Checks an `Authorization: Bearer <token>` header; returns the client id on success.
    pub fn authenticate(&self, authorization: Option<&str>) -> Option<String> {
        let (scheme, token) = authorization?.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        let tokens = self.tokens.lock().expect("token lock");
        let info = tokens.get(token.trim())?;
        (Instant::now() < info.expires).then(|| info.client_id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_basic_any_case() {
        // "id:secret"
        let got = basic_credentials(Some("basic aWQ6c2VjcmV0")).unwrap();
        assert_eq!(got, ("id".into(), "secret".into()));
        assert!(basic_credentials(Some("BASIC aWQ6c2VjcmV0")).is_some());
        assert!(basic_credentials(Some("Bearer aWQ6c2VjcmV0")).is_none());
    }
}
