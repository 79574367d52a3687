//! Reading a spec document: YAML or JSON text in, a parsed OpenAPI 3.0 document out, with
//! errors that say where the document is wrong.
//!
//! The version is detected from the document: `openapi: 3.0.x` is read as it is, `swagger: "2.0"`
//! is converted first ([`crate::swagger`]); anything else is refused.

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Error, Severity, child};
use crate::swagger::{self, SourceMap};

/// The input format, as detected from the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OpenApi3,
    Swagger2,
}

/// A document ready for lowering.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub format: Format,
    /// The document as OpenAPI 3.0 JSON (converted when the source was Swagger 2.0).
    pub value: Value,
    pub doc: openapiv3::OpenAPI,
    /// Maps pointers of `value` back to the source document.
    pub source: SourceMap,
    /// Warnings of reading and converting, already in source pointers.
    pub warnings: Vec<Diagnostic>,
}

/// Parses spec text (YAML or JSON; JSON is YAML) into an OpenAPI 3.0 document.
pub fn parse(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    load(text).map(|l| l.doc)
}

/// Parses, detects the version, converts Swagger 2.0, and reads the typed document.
pub fn load(text: &str) -> Result<Loaded, Error> {
    load_value(parse_value(text)?)
}

/// YAML or JSON text → a JSON value, with the line and column of a syntax error.
pub fn parse_value(text: &str) -> Result<Value, Error> {
    // JSON is YAML, but a JSON parser reads it several times faster (the upstream file is
    // 3 MB); anything it refuses goes to the YAML parser, which reports the error.
    if text.trim_start().starts_with('{')
        && let Ok(value) = serde_json::from_str(text)
    {
        return Ok(value);
    }
    serde_yaml_ng::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or_default();
        Error::single(
            Diagnostic::error(
                "#",
                format!("the document is not valid YAML or JSON{at}: {e}"),
            )
            .hint("fix the syntax at that position"),
        )
    })
}

/// A parsed document (OpenAPI 3.0 or Swagger 2.0) → the typed OpenAPI 3.0 document.
pub fn load_value(value: Value) -> Result<Loaded, Error> {
    let format = detect(&value)?;
    let (mut value, source, mut diagnostics) = match (format, &value) {
        (Format::Swagger2, Value::Object(map)) => {
            let c = swagger::convert(map);
            (c.value, c.source, c.diagnostics)
        }
        _ => (value, SourceMap::default(), Vec::new()),
    };
    crate::lower::consts::as_enum(&mut value);
    diagnostics.extend(
        check_parameters(&value)
            .into_iter()
            .map(|d| source.translate(d)),
    );
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error {
            diagnostics: errors_first(diagnostics),
        });
    }
    let doc: openapiv3::OpenAPI = serde_path_to_error::deserialize(&value).map_err(|e| {
        let segments: Vec<String> = e
            .path()
            .iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
                serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        let mut all = vec![
            source.translate(
                Diagnostic::error(
                    crate::diagnostics::pointer(&segments),
                    format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
                )
                .hint("make this node match the OpenAPI 3.0 schema"),
            ),
        ];
        all.extend(diagnostics.iter().cloned());
        Error { diagnostics: all }
    })?;
    Ok(Loaded {
        format,
        value,
        doc,
        source,
        warnings: diagnostics,
    })
}

/// Errors before warnings, each group in the order found.
pub(crate) fn errors_first(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let (mut errors, warnings): (Vec<_>, Vec<_>) = diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    errors.extend(warnings);
    errors
}

/// Which format the document is, or why it is refused.
pub fn detect(value: &Value) -> Result<Format, Error> {
    let refuse = |pointer: &str, message: String, hint: &str| {
        Err(Error::single(
            Diagnostic::error(pointer, message).hint(hint),
        ))
    };
    let Some(map) = value.as_object() else {
        return refuse(
            "#",
            "the document is not a mapping".into(),
            "a spec is a YAML mapping or a JSON object at the top level",
        );
    };
    match (map.get("openapi"), map.get("swagger")) {
        (Some(Value::String(v)), _) if v.starts_with("3.0.") || v == "3.0" => Ok(Format::OpenApi3),
        (Some(Value::String(v)), _) => refuse(
            "#/openapi",
            format!("OpenAPI version {v} is not supported"),
            "give an OpenAPI 3.0.x or a Swagger 2.0 document",
        ),
        (Some(other), _) => refuse(
            "#/openapi",
            format!("the version is {other}, not a string"),
            "quote the version: `openapi: \"3.0.3\"`",
        ),
        (None, Some(Value::String(v))) if v == "2.0" => Ok(Format::Swagger2),
        (None, Some(Value::String(v))) => refuse(
            "#/swagger",
            format!("Swagger version {v} is not supported"),
            "give a Swagger 2.0 or an OpenAPI 3.0.x document",
        ),
        (None, Some(other)) => refuse(
            "#/swagger",
            format!("the version is {other}, not a string"),
            "quote the version: `swagger: \"2.0\"`",
        ),
        (None, None) => refuse(
            "#",
            "the document has neither an `openapi` nor a `swagger` field".into(),
            "add `openapi: 3.0.3` at the top",
        ),
    }
}

/// Parameters without `schema` or `content` (the typed reader would only say that nothing
/// matched).
fn check_parameters(doc: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut check = |p: &Value, pointer: String, op: Option<&str>| {
        let Some(obj) = p.as_object() else { return };
        if obj.contains_key("$ref") || obj.contains_key("schema") || obj.contains_key("content") {
            return;
        }
        let name = obj.get("name").and_then(Value::as_str).unwrap_or("?");
        out.push(
            Diagnostic::error(
                pointer,
                format!("parameter `{name}` has no type (no `schema`)"),
            )
            .in_operation(op)
            .hint("give it a type, e.g. `schema: {type: string}` (Swagger 2.0: `type: string`)"),
        );
    };
    if let Some(params) = doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
    {
        for (name, p) in params {
            check(p, child("#/components/parameters", name), None);
        }
    }
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let item_pointer = child("#/paths", path);
            let Some(item) = item.as_object() else {
                continue;
            };
            for (key, value) in item {
                let (list, op, base) = if key == "parameters" {
                    (value.as_array(), None, item_pointer.clone())
                } else {
                    let op = value.get("operationId").and_then(Value::as_str);
                    (
                        value.get("parameters").and_then(Value::as_array),
                        op,
                        child(&item_pointer, key),
                    )
                };
                for (i, p) in list.into_iter().flatten().enumerate() {
                    check(p, child(&child(&base, "parameters"), i.to_string()), op);
                }
            }
        }
    }
    out
}
