//! Dry runs: the request a `command()` call would send, built and encoded the same way, shown
//! instead of sent. Nothing goes on the wire, not even a login, and the token is never shown.
//!
//! What goes on the wire is decided in `send.rs` (`send_once`); this mirrors it for display.
//! The falcon-ioc CLI's tests compare a preview with what the simulator records of the same
//! call sent for real, so the two cannot drift apart unnoticed.

use serde_json::Value;

use crate::args::PartValue;
use crate::client::{Client, SDK_NAME};
use crate::command::{command_request, resolve};
use crate::error::Error;
use crate::operation::{FormEncoding, Operation};
use crate::request::Request;
use crate::secret::redact_url;

/// What the `Authorization` header shows instead of the token.
pub const REDACTED_BEARER: &str = "Bearer <redacted>";

/// A request as it would be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestPreview {
    /// The operation id.
    pub operation: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The full URL with the query string (any `user:password@` redacted).
    pub url: String,
    /// Headers the request carries besides those the HTTP client adds (`User-Agent`, `Host`,
    /// `Content-Length`), in the order they are set; the token is shown as [`REDACTED_BEARER`].
    pub headers: Vec<(String, String)>,
    /// The body, as it would be sent.
    pub body: PreviewBody,
}

/// The body of a [`RequestPreview`].
#[derive(Debug, Clone, PartialEq)]
pub enum PreviewBody {
    /// No body.
    None,
    /// A JSON body.
    Json(Value),
    /// An `application/x-www-form-urlencoded` body, encoded.
    Form(String),
    /// `multipart/form-data` parts, in order.
    Multipart(Vec<PreviewPart>),
    /// A raw body (neither JSON nor a form), shown by type and size (never content).
    Raw {
        /// The content type it is sent as.
        content_type: String,
        /// Its size in bytes.
        len: usize,
    },
}

/// One multipart part: a text field, a JSON part, or a file shown by name, type and size (never
/// content).
#[derive(Debug, Clone, PartialEq)]
pub enum PreviewPart {
    /// A text field.
    Text {
        /// The field name.
        name: String,
        /// Its value.
        value: String,
    },
    /// A JSON part (an object in a multipart body), sent as `application/json`.
    Json {
        /// The field name.
        name: String,
        /// Its JSON text.
        value: String,
    },
    /// A file.
    File {
        /// The field name.
        name: String,
        /// The file name sent with it.
        file_name: String,
        /// The content type sent with it.
        content_type: String,
        /// Its size in bytes.
        len: usize,
    },
}

impl Client {
    /// The request [`Client::command`] would send for these arguments, checked the same way
    /// (an unknown id or a bad argument is the same error), without sending anything. The URL
    /// is the one requests go to now: for a cloud found at login (`Cloud::Auto`), the region
    /// the token reply names may still move it.
    pub fn preview_command(
        &self,
        table: &[&'static Operation],
        id: &str,
        args: Value,
    ) -> Result<RequestPreview, Error> {
        let operation = resolve(table, id)?;
        let request = command_request(operation, args)?;
        Ok(preview(&self.base_url(), &request))
    }
}

fn preview(base_url: &str, request: &Request) -> RequestPreview {
    let encoded = request.encode();
    let raw = format!("{base_url}{}", encoded.path);
    // The query is encoded as reqwest's `.query()` encodes it (form-urlencoded pairs).
    let url = match url::Url::parse(&raw) {
        Ok(mut url) => {
            if !encoded.query.is_empty() {
                url.query_pairs_mut().extend_pairs(&encoded.query);
            }
            redact_url(url.as_str())
        }
        Err(_) => raw,
    };
    let mut headers = vec![("Authorization".to_string(), REDACTED_BEARER.to_string())];
    headers.extend(encoded.headers.iter().cloned());
    let body = if let Some(json) = &request.body {
        headers.push(("Content-Type".into(), "application/json".into()));
        PreviewBody::Json(json.clone())
    } else if let Some(raw) = &request.raw_body {
        let content_type = raw.mime().unwrap_or("application/octet-stream").to_string();
        headers.push(("Content-Type".into(), content_type.clone()));
        PreviewBody::Raw {
            content_type,
            len: raw.len(),
        }
    } else if request.form == Some(FormEncoding::Multipart) {
        headers.push((
            "Content-Type".into(),
            "multipart/form-data; boundary=<generated>".into(),
        ));
        PreviewBody::Multipart(
            encoded
                .parts
                .iter()
                .map(|(name, value)| match value {
                    PartValue::Text(text) => PreviewPart::Text {
                        name: name.clone(),
                        value: text.clone(),
                    },
                    PartValue::Json(text) => PreviewPart::Json {
                        name: name.clone(),
                        value: text.clone(),
                    },
                    PartValue::File(file) => PreviewPart::File {
                        name: name.clone(),
                        file_name: file.file_name().to_string(),
                        content_type: file
                            .mime()
                            .unwrap_or("application/octet-stream")
                            .to_string(),
                        len: file.len(),
                    },
                })
                .collect(),
        )
    } else if !encoded.form.is_empty() {
        headers.push((
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        ));
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.extend_pairs(&encoded.form);
        PreviewBody::Form(form.finish())
    } else {
        PreviewBody::None
    };
    headers.push(("CrowdStrike-SDK".into(), SDK_NAME.into()));
    RequestPreview {
        operation: request.label.to_string(),
        method: request.method.as_str().to_string(),
        url,
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Method, STRING, Scalar, header, multi, query};

    static OP: Operation = Operation::new(Method::Get, "/things/v1", &["thing.get.v1"]).params(&[
        query("ids", multi(Scalar::String)).required(),
        query("q", STRING),
        header("X-Tenant", STRING),
    ]);

    #[test]
    fn a_preview_shows_the_encoded_request_and_no_token() {
        let request = command_request(
            &OP,
            serde_json::json!({"ids": ["a", "b c"], "q": "x&y", "X-Tenant": "t1"}),
        )
        .unwrap();
        let p = preview("http://user:pw@127.0.0.1:9", &request);
        assert_eq!(p.method, "GET");
        assert_eq!(
            p.url,
            "http://%3Credacted%3E@127.0.0.1:9/things/v1?ids=a&ids=b+c&q=x%26y"
        );
        assert_eq!(
            p.headers[0],
            ("Authorization".into(), REDACTED_BEARER.into())
        );
        assert!(p.headers.contains(&("X-Tenant".into(), "t1".into())));
        // command() sends `{}` when no body is given, as FalconPy does.
        assert_eq!(p.body, PreviewBody::Json(serde_json::json!({})));
    }
}
