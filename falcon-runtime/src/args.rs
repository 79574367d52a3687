//! Argument values: what typed setters store, how `command()` JSON becomes them, and how they go
//! on the wire.
//!
//! Conversion is lenient only where it is unambiguous, because the spec is loose (`limit` is a
//! string on some operations and an integer on others): a number or boolean for a string
//! parameter is sent as its text, a numeric string for an integer parameter is accepted, a list
//! parameter takes a list or a comma-separated string. Anything else is an error that names the
//! operation and the parameter. Enums are never checked: the service accepts more than the spec
//! lists.
//!
//! A structured parameter (an object, a list of objects: [`Kind::Structured`]) takes any JSON
//! value, as typed setters serialize their model and as `command()` is given it; the row's
//! [`Style`](crate::operation::Style) says how it goes on the wire (`style.rs`).
//!
//! A file parameter takes a [`FileUpload`]; through `command()`, a JSON object
//! `{"file_name": "a.txt", "content": "text"}` or `{"file_name": "a.zip", "content_base64":
//! "UEsDBA=="}`, with an optional `"content_type"`. A raw body (an operation whose body is
//! neither JSON nor a form) takes a [`RawBody`](crate::RawBody); through `command()`, its
//! `body` is a string (sent as its text) or `{"content": "text"}` / `{"content_base64":
//! "..."}`, with an optional `"content_type"`.

use base64::Engine;
use serde_json::Value;

use crate::error::Error;
use crate::file::FileUpload;
use crate::operation::{ArrayStyle, Kind, Param, Scalar, Style};
use crate::raw::RawBody;
use crate::style;

/// One argument, already of its parameter's type.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    /// A string value.
    String(String),
    /// An integer value.
    Integer(i64),
    /// A number value.
    Number(f64),
    /// A boolean value.
    Boolean(bool),
    /// A list, each item already written as it goes on the wire.
    List(Vec<String>),
    /// A file, for a [`Kind::File`] parameter (sent as a `multipart/form-data` part).
    File(FileUpload),
    /// A structured value, for a [`Kind::Structured`] parameter.
    Json(Value),
}

impl From<FileUpload> for ArgValue {
    fn from(v: FileUpload) -> Self {
        ArgValue::File(v)
    }
}

impl From<String> for ArgValue {
    fn from(v: String) -> Self {
        ArgValue::String(v)
    }
}
impl From<&str> for ArgValue {
    fn from(v: &str) -> Self {
        ArgValue::String(v.to_string())
    }
}
impl From<i64> for ArgValue {
    fn from(v: i64) -> Self {
        ArgValue::Integer(v)
    }
}
impl From<f64> for ArgValue {
    fn from(v: f64) -> Self {
        ArgValue::Number(v)
    }
}
impl From<bool> for ArgValue {
    fn from(v: bool) -> Self {
        ArgValue::Boolean(v)
    }
}
impl From<Vec<String>> for ArgValue {
    fn from(v: Vec<String>) -> Self {
        ArgValue::List(v)
    }
}
impl From<Vec<i64>> for ArgValue {
    fn from(v: Vec<i64>) -> Self {
        ArgValue::List(v.iter().map(i64::to_string).collect())
    }
}
impl From<Vec<f64>> for ArgValue {
    fn from(v: Vec<f64>) -> Self {
        ArgValue::List(v.iter().map(f64::to_string).collect())
    }
}
impl From<Vec<bool>> for ArgValue {
    fn from(v: Vec<bool>) -> Self {
        ArgValue::List(v.iter().map(bool::to_string).collect())
    }
}

impl ArgValue {
    /// The wire text of a single value; lists are joined with `,`.
    pub(crate) fn text(&self) -> String {
        match self {
            ArgValue::String(s) => s.clone(),
            ArgValue::Integer(i) => i.to_string(),
            ArgValue::Number(n) => n.to_string(),
            ArgValue::Boolean(b) => b.to_string(),
            ArgValue::List(items) => items.join(","),
            ArgValue::File(file) => file.file_name().to_string(),
            ArgValue::Json(value) => value.to_string(),
        }
    }

    /// Whether an integer is inside the parameter's range (the spec's `minimum` and `maximum`,
    /// carried by the table row). Text that is no integer is left for the service to judge.
    pub(crate) fn check_range(&self, param: &Param) -> Result<(), String> {
        let value = match self {
            ArgValue::Integer(i) => *i,
            ArgValue::String(s) => match s.trim().parse::<i64>() {
                Ok(i) => i,
                Err(_) => return Ok(()),
            },
            _ => return Ok(()),
        };
        if param.in_range(value) {
            return Ok(());
        }
        let range = match (param.minimum, param.maximum) {
            (Some(min), Some(max)) => format!("{min} to {max}"),
            (Some(min), None) => format!("{min} or more"),
            (None, Some(max)) => format!("at most {max}"),
            (None, None) => return Ok(()),
        };
        Err(format!(
            "{value} is out of range: the service takes {range}; give a value in that range"
        ))
    }

    /// Whether this value fits a parameter of `kind` as far as files go: a file for a file
    /// parameter, anything else for the others (typed setters ensure the rest).
    pub(crate) fn check_kind(&self, kind: Kind) -> Result<(), String> {
        match (self, kind) {
            (ArgValue::File(file), Kind::File) => file.check(),
            (ArgValue::File(_), _) => Err("a file is only accepted by a file parameter".into()),
            (_, Kind::File) => Err("expected a file (`FileUpload`)".into()),
            (ArgValue::Json(_), Kind::Structured(_)) => Ok(()),
            (ArgValue::Json(_), _) => {
                Err("a structured (JSON) value is only accepted by an object parameter; give this one a string, number, boolean or list".into())
            }
            _ => Ok(()),
        }
    }

    /// Appends this value's multipart parts: one per item for a `multi` list, one otherwise.
    pub(crate) fn push_parts(&self, name: &str, kind: Kind, out: &mut Vec<(String, PartValue)>) {
        match self {
            ArgValue::File(file) => out.push((name.to_string(), PartValue::File(file.clone()))),
            ArgValue::Json(value) if kind == Kind::Structured(Style::Json) => {
                if !value.is_null() {
                    out.push((name.to_string(), PartValue::Json(value.to_string())));
                }
            }
            _ => {
                let mut pairs = Vec::new();
                self.push_pairs(name, kind, &mut pairs);
                out.extend(pairs.into_iter().map(|(k, v)| (k, PartValue::Text(v))));
            }
        }
    }

    /// Appends this value's query (or url-encoded form) pairs: one per item for a `multi`
    /// list, `name[i]` per item for a deepObject one, a structured value as its style says, one
    /// pair otherwise. The one encoder of values, for typed setters and `command()` alike.
    pub(crate) fn push_pairs(&self, name: &str, kind: Kind, out: &mut Vec<(String, String)>) {
        match (self, kind) {
            (ArgValue::List(items), Kind::Array(_, ArrayStyle::Multi)) => {
                out.extend(items.iter().map(|i| (name.to_string(), i.clone())));
            }
            (ArgValue::List(items), Kind::Array(_, ArrayStyle::DeepObject)) => {
                out.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| (style::indexed(name, i), item.clone())),
                );
            }
            (ArgValue::Json(value), Kind::Structured(style)) => {
                style::push_pairs(name, value, style, out);
            }
            _ => out.push((name.to_string(), self.text())),
        }
    }
}

/// The value of one `multipart/form-data` part.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PartValue {
    Text(String),
    File(FileUpload),
    /// JSON text, sent with content type `application/json`.
    Json(String),
}

/// Converts a `command()` JSON value to the parameter's type. `Ok(None)` means "not given"
/// (`null`).
pub(crate) fn from_json(
    operation: &str,
    param: &Param,
    value: &Value,
) -> Result<Option<ArgValue>, Error> {
    if value.is_null() {
        return Ok(None);
    }
    let fail = |why: String| Error::invalid(operation, Some(param.arg), why);
    match param.kind {
        Kind::Scalar(scalar) => scalar_from_json(scalar, value).map(Some).map_err(fail),
        Kind::File => file_from_json(value)
            .and_then(|f| f.check().map(|()| f))
            .map(|f| Some(ArgValue::File(f)))
            .map_err(fail),
        // Any JSON: the schema is the service's to check, as a body's is.
        Kind::Structured(_) => Ok(Some(ArgValue::Json(value.clone()))),
        Kind::Array(item, _) => {
            let items: Vec<String> = match value {
                Value::Array(values) => values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        scalar_from_json(item, v)
                            .map(|a| a.text())
                            .map_err(|why| format!("item {i}: {why}"))
                    })
                    .collect::<Result<_, _>>()
                    .map_err(fail)?,
                // A comma-separated string, as FalconPy takes it: split, nothing trimmed.
                Value::String(s) => s.split(',').map(str::to_string).collect(),
                Value::Number(_) | Value::Bool(_) => {
                    vec![scalar_from_json(item, value).map_err(fail)?.text()]
                }
                Value::Object(_) => {
                    return Err(fail(format!(
                        "expected a list of {} values, got an object",
                        item.name()
                    )));
                }
                Value::Null => unreachable!("handled above"),
            };
            for text in &items {
                scalar_from_json(item, &Value::String(text.clone()))
                    .map_err(|why| fail(format!("list item `{text}`: {why}")))?;
            }
            Ok(Some(ArgValue::List(items)))
        }
    }
}

/// How a JSON value is described in errors.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// The `command()` form of a file: `{"file_name", "content" | "content_base64", "content_type"?}`.
fn file_from_json(value: &Value) -> Result<FileUpload, String> {
    const SHAPE: &str = r#"a file is a JSON object {"file_name": "...", "content": "<text>"} or {"file_name": "...", "content_base64": "..."}, with an optional "content_type""#;
    let Value::Object(map) = value else {
        return Err(format!("{SHAPE}; got {}", describe(value)));
    };
    let content = Content::from_json(map, SHAPE, &["file_name"])?;
    let file_name = match content.text("file_name")? {
        Some(name) if !name.is_empty() => name,
        _ => return Err(format!("{SHAPE}; `file_name` is missing or empty")),
    };
    let mut file = FileUpload::new(file_name, content.bytes);
    if let Some(ct) = content.content_type {
        file = file.content_type(ct);
    }
    Ok(file)
}

/// The `command()` form of a raw body: a string (sent as its UTF-8 text), or
/// `{"content": "<text>"}` or `{"content_base64": "..."}` with an optional `"content_type"`;
/// `null` is no body.
pub(crate) fn raw_body_from_json(value: &Value) -> Result<Option<RawBody>, String> {
    const SHAPE: &str = r#"a raw body is a string, or a JSON object {"content": "<text>"} or {"content_base64": "..."}, with an optional "content_type""#;
    let map = match value {
        Value::Null => return Ok(None),
        Value::String(text) => return Ok(Some(RawBody::new(text.clone()))),
        Value::Object(map) => map,
        other => return Err(format!("{SHAPE}; got {}", describe(other))),
    };
    let content = Content::from_json(map, SHAPE, &[])?;
    let mut body = RawBody::new(content.bytes);
    if let Some(ct) = content.content_type {
        body = body.content_type(ct);
    }
    Ok(Some(body))
}

/// What a file or a raw body holds in `command()` JSON: `content` (text) or `content_base64`,
/// and an optional `content_type`.
struct Content<'a> {
    map: &'a serde_json::Map<String, Value>,
    bytes: Vec<u8>,
    content_type: Option<&'a str>,
}

impl<'a> Content<'a> {
    /// Reads `map`, whose keys may also be `extra` ones; `shape` says what is expected.
    fn from_json(
        map: &'a serde_json::Map<String, Value>,
        shape: &str,
        extra: &[&str],
    ) -> Result<Content<'a>, String> {
        if let Some(key) = map.keys().find(|k| {
            !matches!(k.as_str(), "content" | "content_base64" | "content_type")
                && !extra.contains(&k.as_str())
        }) {
            return Err(format!("{shape}; `{key}` is not one of its keys"));
        }
        let mut content = Content {
            map,
            bytes: Vec::new(),
            content_type: None,
        };
        content.bytes = match (content.text("content")?, content.text("content_base64")?) {
            (Some(text), None) => text.as_bytes().to_vec(),
            (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .map_err(|e| format!("`content_base64` is not valid base64: {e}"))?,
            (Some(_), Some(_)) => {
                return Err(format!(
                    "{shape}; give `content` or `content_base64`, not both"
                ));
            }
            (None, None) => {
                return Err(format!("{shape}; `content` or `content_base64` is missing"));
            }
        };
        content.content_type = content.text("content_type")?;
        Ok(content)
    }

    /// The string under `key`, if there is one.
    fn text(&self, key: &str) -> Result<Option<&'a str>, String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("`{key}` must be a string, got {}", describe(other))),
        }
    }
}

/// The type with its article, for messages (`an integer`).
fn a(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::String => "a string",
        Scalar::Integer => "an integer",
        Scalar::Number => "a number",
        Scalar::Boolean => "a boolean",
    }
}

fn scalar_from_json(scalar: Scalar, value: &Value) -> Result<ArgValue, String> {
    let got = || describe(value);
    let wrong = || format!("expected {}, got {}", a(scalar), got());
    match (scalar, value) {
        (Scalar::String, Value::String(s)) => Ok(ArgValue::String(s.clone())),
        (Scalar::String, Value::Number(n)) => Ok(ArgValue::String(n.to_string())),
        (Scalar::String, Value::Bool(b)) => Ok(ArgValue::String(b.to_string())),
        (Scalar::Integer, Value::Number(n)) => n.as_i64().map(ArgValue::Integer).ok_or_else(wrong),
        (Scalar::Integer, Value::String(s)) => {
            s.trim().parse().map(ArgValue::Integer).map_err(|_| wrong())
        }
        (Scalar::Number, Value::Number(n)) => n.as_f64().map(ArgValue::Number).ok_or_else(wrong),
        (Scalar::Number, Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(ArgValue::Number)
            .ok_or_else(wrong),
        (Scalar::Boolean, Value::Bool(b)) => Ok(ArgValue::Boolean(*b)),
        (Scalar::Boolean, Value::String(s)) => match s.as_str() {
            "true" => Ok(ArgValue::Boolean(true)),
            "false" => Ok(ArgValue::Boolean(false)),
            _ => Err(wrong()),
        },
        _ => Err(wrong()),
    }
}

/// Converts a raw `parameters` value (sent as given, never checked against the spec) to wire
/// text: strings as they are, numbers as text, booleans as `true`/`false`, lists as repeated keys.
pub(crate) fn raw_pairs(
    operation: &str,
    name: &str,
    value: &Value,
    out: &mut Vec<(String, String)>,
) -> Result<(), Error> {
    let text = |v: &Value| match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(Error::invalid(
            operation,
            Some(name),
            format!(
                "a `parameters` value must be a string, number, boolean or list of them, got {other}"
            ),
        )),
    };
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                out.push((name.to_string(), text(item)?));
            }
        }
        other => out.push((name.to_string(), text(other)?)),
    }
    Ok(())
}
