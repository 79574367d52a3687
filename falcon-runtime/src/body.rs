//! Reading a reply's body, never more of it than the cap on one reply.
//!
//! The cap is counted on the body as the caller gets it, after decompression, so a small
//! compressed reply that inflates without end is stopped as early as a large plain one.

use bytes::{Bytes, BytesMut};

use crate::error::Error;

/// The default cap on one reply's body: 64 MiB. Falcon's largest pages are a few MB.
pub const DEFAULT_MAX_REPLY_BYTES: u64 = 64 * 1024 * 1024;

/// The whole body of `reply`, or [`Error::ReplyTooLarge`] as soon as it passes `limit` bytes
/// (at once when `Content-Length` already says so). On that error the reply is dropped
/// unread, which closes its connection rather than returning it to the pool half-read.
pub(crate) async fn read_capped(
    mut reply: reqwest::Response,
    limit: u64,
    operation: &str,
) -> Result<Bytes, Error> {
    let too_large = |status: u16| Error::ReplyTooLarge {
        operation: operation.to_string(),
        status,
        limit,
    };
    let status = reply.status().as_u16();
    // Known only when the body is not being decompressed.
    let announced = reply.content_length();
    if announced.is_some_and(|n| n > limit) {
        return Err(too_large(status));
    }
    // A reply that arrives in one chunk (most do, over loopback and for small pages) is
    // handed on as it is; a second chunk copies the first and every later one into `more`.
    let mut first: Option<Bytes> = None;
    let mut more = BytesMut::new();
    let mut read: u64 = 0;
    while let Some(chunk) = reply.chunk().await.map_err(Error::transport)? {
        read += chunk.len() as u64;
        if read > limit {
            tracing::debug!(target: "falcon_runtime", operation, status, limit, "reply larger than the cap; dropped");
            return Err(too_large(status));
        }
        match &first {
            None => first = Some(chunk),
            Some(first) => {
                if more.is_empty() {
                    let capacity = announced.unwrap_or(read).min(limit);
                    more.reserve(usize::try_from(capacity).unwrap_or(0));
                    more.extend_from_slice(first);
                }
                more.extend_from_slice(&chunk);
            }
        }
    }
    Ok(match first {
        Some(first) if more.is_empty() => first,
        _ => more.freeze(),
    })
}
