//! `RawBody`: the body of an operation whose request is neither JSON nor a form (a spec's
//! `application/octet-stream`, `application/x-tar`, `image/jpeg`, `text/plain`): bytes sent
//! as they are, under the media type the operation's table row declares.

use bytes::Bytes;

/// The bytes of a raw request body and, optionally, a more precise content type than the one
/// the spec declares (`image/png` where it says `image/*`).
///
/// The bytes are held as [`Bytes`], so a request that is retried sends them again without
/// copying. Without [`RawBody::content_type`], the request's `Content-Type` is the media type
/// the operation declares; where that is a wildcard (`image/*`, `*/*`), the call is refused
/// until one is given.
///
/// ```
/// use falcon_runtime::RawBody;
///
/// let tar = RawBody::new(std::fs::read("Cargo.toml").unwrap_or_default());
/// let png = RawBody::new(&b"\x89PNG"[..]).content_type("image/png");
/// assert_eq!(png.mime(), Some("image/png"));
/// # let _ = tar;
/// ```
///
/// `Debug` shows the content type and size, never the content.
#[derive(Clone, PartialEq, Eq)]
pub struct RawBody {
    content_type: Option<String>,
    bytes: Bytes,
}

impl RawBody {
    /// A body holding `bytes` (a `Vec<u8>`, a `String`, a `&'static [u8]` or `&'static str`,
    /// or [`Bytes`]).
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        RawBody {
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sends the body as `content_type` instead of the media type the operation declares. A
    /// value that is not a media type (`type/subtype`, no wildcard) is refused before anything
    /// is sent.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The content type given with [`RawBody::content_type`] (or, once a call holds the body,
    /// the one it is sent as).
    pub fn mime(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The body's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the body has no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The body with the content type it goes on the wire as: the caller's, else the one the
    /// operation declares; refused when that is a wildcard or not a media type.
    pub(crate) fn for_operation(mut self, declared: &str) -> Result<RawBody, String> {
        let chosen = self
            .content_type
            .take()
            .unwrap_or_else(|| declared.to_string());
        if chosen.contains('*') {
            return Err(format!(
                "the operation takes `{declared}`, which is not one content type; name yours \
                 with `RawBody::content_type` (`\"content_type\"` in `command()`)"
            ));
        }
        if !is_media_type(&chosen) {
            return Err(format!(
                "the content type `{chosen}` is not a media type (`type/subtype`); give one \
                 such as `application/octet-stream`"
            ));
        }
        self.content_type = Some(chosen);
        Ok(self)
    }
}

/// `type/subtype`, optionally with `; parameters`, in characters a header value can carry.
fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or("").trim();
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    matches!(essence.split_once('/'), Some((t, s)) if token(t) && token(s))
        && http::HeaderValue::from_str(text).is_ok()
}

impl From<Vec<u8>> for RawBody {
    fn from(v: Vec<u8>) -> Self {
        RawBody::new(v)
    }
}

impl From<String> for RawBody {
    fn from(v: String) -> Self {
        RawBody::new(v)
    }
}

impl From<&'static str> for RawBody {
    fn from(v: &'static str) -> Self {
        RawBody::new(v)
    }
}

impl From<&'static [u8]> for RawBody {
    fn from(v: &'static [u8]) -> Self {
        RawBody::new(v)
    }
}

impl From<Bytes> for RawBody {
    fn from(v: Bytes) -> Self {
        RawBody::new(v)
    }
}

impl std::fmt::Debug for RawBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawBody")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_type_is_sent_unless_the_caller_names_one() {
        let body = RawBody::new("x")
            .for_operation("application/x-tar")
            .unwrap();
        assert_eq!(body.mime(), Some("application/x-tar"));
        let body = RawBody::new("x")
            .content_type("image/png")
            .for_operation("image/*")
            .unwrap();
        assert_eq!(body.mime(), Some("image/png"));
    }

    #[test]
    fn a_wildcard_or_a_malformed_type_is_refused() {
        let err = RawBody::new("x").for_operation("image/*").unwrap_err();
        assert!(err.contains("name yours"), "{err}");
        let err = RawBody::new("x")
            .content_type("png")
            .for_operation("image/*")
            .unwrap_err();
        assert!(err.contains("not a media type"), "{err}");
        let err = RawBody::new("x")
            .content_type("text/plain\n")
            .for_operation("text/plain")
            .unwrap_err();
        assert!(err.contains("not a media type"), "{err}");
        assert!(
            RawBody::new("x")
                .content_type("text/plain; charset=utf-8")
                .for_operation("text/plain")
                .is_ok()
        );
    }

    #[test]
    fn debug_shows_no_content() {
        let shown = format!("{:?}", RawBody::new("secret"));
        assert!(!shown.contains("secret"), "{shown}");
    }
}
