//! What failed in a call, row by row: the service's error entries, one type whether they came in
//! a 2xx reply's `errors` (some rows of a batch failed) or in an error reply ([`Error::Api`]),
//! and [`Failures`], the one way to list them for a reply, an error or a whole result.

use std::borrow::Cow;

use serde::{Deserialize, Serialize, Serializer};

use crate::error::{ApiError, Error};
use crate::model::Envelope;
use crate::response::ApiResponse;

/// One entry of the service's `errors` list (its schema is `msa.APIError`). Generated clients
/// use this type for the `errors` of every reply envelope (`MsaApiError` is an alias of it), so
/// `reply.body.errors` and `err.as_api().unwrap().errors` hold the same type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct ApiErrorEntry {
    /// The code (an HTTP status, such as `"404"`), which the service sends as a number or as a
    /// string; written back as a number when it is one. [`ApiErrorEntry::status`] reads it.
    #[serde(
        default,
        deserialize_with = "code_as_string",
        serialize_with = "code_as_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<String>,
    #[serde(default)]
    pub message: String,
    /// The entity the entry is about, when the service says (the id of an indicator that was
    /// not found or not updated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl ApiErrorEntry {
    /// The code as an HTTP status, when it is one (`404`).
    pub fn status(&self) -> Option<u16> {
        self.code.as_deref()?.trim().parse().ok()
    }

    /// The index of the request's row the entry is about, when the message names one: the
    /// service prefixes an entry for one item of a batch with its place in the body's list
    /// (`indicators[3]: Duplicate type: ...`), counted from 0.
    ///
    /// ```
    /// use falcon_runtime::ApiErrorEntry;
    /// let entry = ApiErrorEntry {
    ///     message: "indicators[3]: 'value' is required".into(),
    ///     ..Default::default()
    /// };
    /// assert_eq!(entry.row(), Some(3));
    /// assert_eq!(entry.reason(), "'value' is required");
    /// ```
    pub fn row(&self) -> Option<usize> {
        self.row_prefix().map(|(row, _)| row)
    }

    /// The message without the row prefix [`ApiErrorEntry::row`] reads.
    pub fn reason(&self) -> &str {
        match self.row_prefix() {
            Some((_, rest)) => rest,
            None => &self.message,
        }
    }

    /// `name[N]: rest` at the start of the message: `N` and `rest`.
    fn row_prefix(&self) -> Option<(usize, &str)> {
        let (head, rest) = self.message.split_once(':')?;
        let (name, index) = head.strip_suffix(']')?.split_once('[')?;
        let named = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if !named || index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((index.parse().ok()?, rest.trim_start()))
    }
}

fn code_as_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

fn code_as_number<S: Serializer>(code: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match code.as_deref().map(|c| (c, c.parse::<i64>())) {
        Some((_, Ok(n))) => s.serialize_i64(n),
        Some((c, Err(_))) => s.serialize_str(c),
        None => s.serialize_none(),
    }
}

/// What failed in a call: the service's error entries, listed the same way for a success reply
/// whose `errors` name failed rows, for an [`Error`] (an error reply's entries), and for the
/// `Result` of `send()` itself.
///
/// ```
/// use falcon_runtime::{ApiErrorEntry, Envelope, Failures};
/// let body: Envelope<String, (), ApiErrorEntry> = serde_json::from_str(
///     r#"{"resources": ["id-1"], "errors": [{"code": 400, "message": "indicators[1]: Duplicate type: 'domain' and value: 'a.example' combination."}]}"#,
/// )
/// .unwrap();
/// let failed = body.failures();
/// assert_eq!((failed[0].row(), failed[0].status()), (Some(1), Some(400)));
/// ```
///
/// An error without entries of its own (a transport failure, a refused login, a bad argument)
/// lists none: look at the error itself.
pub trait Failures {
    /// The error entries, in the order the service sent them; empty when nothing failed.
    fn failures(&self) -> Cow<'_, [ApiErrorEntry]>;

    /// Whether any entry is listed.
    fn has_failures(&self) -> bool {
        !self.failures().is_empty()
    }
}

impl<R, M> Failures for Envelope<R, M, ApiErrorEntry> {
    fn failures(&self) -> Cow<'_, [ApiErrorEntry]> {
        Cow::Borrowed(&self.errors)
    }
}

/// A reply read as JSON (`command()`): its `errors` list, entries that do not read as one left
/// out.
impl Failures for serde_json::Value {
    fn failures(&self) -> Cow<'_, [ApiErrorEntry]> {
        let entries = self
            .get("errors")
            .and_then(serde_json::Value::as_array)
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| ApiErrorEntry::deserialize(e).ok())
                    .collect()
            })
            .unwrap_or_default();
        Cow::Owned(entries)
    }
}

impl<T: Failures> Failures for ApiResponse<T> {
    fn failures(&self) -> Cow<'_, [ApiErrorEntry]> {
        self.body.failures()
    }
}

impl Failures for ApiError {
    fn failures(&self) -> Cow<'_, [ApiErrorEntry]> {
        Cow::Borrowed(&self.errors)
    }
}

impl Failures for Error {
    fn failures(&self) -> Cow<'_, [ApiErrorEntry]> {
        match self {
            Error::Api(e) => e.failures(),
            _ => Cow::Borrowed(&[]),
        }
    }
}

impl<T: Failures> Failures for Result<ApiResponse<T>, Error> {
    fn failures(&self) -> Cow<'_, [ApiErrorEntry]> {
        match self {
            Ok(reply) => reply.failures(),
            Err(e) => e.failures(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(message: &str) -> ApiErrorEntry {
        ApiErrorEntry {
            message: message.into(),
            ..ApiErrorEntry::default()
        }
    }

    #[test]
    fn rows_are_read_from_the_prefix_only() {
        assert_eq!(entry("indicators[0]: bad").row(), Some(0));
        assert_eq!(entry("indicators[12]:bad").reason(), "bad");
        for message in [
            "Could not find indicator x",
            "[3]: no name",
            "indicators[]: empty",
            "indicators[x]: not a number",
            "a b[1]: spaces",
            "Duplicate type: 'domain' and value: 'a[1]' combination.",
        ] {
            assert_eq!(entry(message).row(), None, "{message}");
            assert_eq!(entry(message).reason(), message);
        }
    }

    #[test]
    fn codes_read_as_numbers_or_strings_and_write_back_as_sent() {
        let e: ApiErrorEntry =
            serde_json::from_str(r#"{"code": 404, "message": "m", "id": "x"}"#).unwrap();
        assert_eq!((e.code.as_deref(), e.status()), (Some("404"), Some(404)));
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": 404, "message": "m", "id": "x"})
        );
        let e: ApiErrorEntry = serde_json::from_str(r#"{"code": "E1", "message": "m"}"#).unwrap();
        assert_eq!(e.status(), None);
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "E1", "message": "m"})
        );
    }

    #[test]
    fn json_replies_list_their_entries() {
        let body = serde_json::json!({"errors": [{"code": 400, "message": "indicators[2]: x"}, 7]});
        let failed = body.failures();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].row(), Some(2));
        assert!(!serde_json::json!({"errors": null}).has_failures());
    }
}
