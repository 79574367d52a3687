//! Reading a spec document: YAML or JSON text in, a parsed OpenAPI 3.0 document out, with
//! errors that say where the document is wrong.
//!
//! The version is detected from the document: `openapi: 3.0.x` is read as it is, `swagger: "2.0"`
//! and `openapi: 3.1.x` are converted first ([`crate::swagger`], [`crate::openapi31`]);
//! anything else is refused.

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Error, Severity, child};
use crate::swagger::{self, SourceMap};

/// The input format, as detected from the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OpenApi3,
    /// OpenAPI 3.1, read by converting it to 3.0 ([`crate::openapi31`]).
    OpenApi31,
    Swagger2,
}

impl Format {
    /// The format's name, as messages about a document in it say.
    pub fn name(self) -> &'static str {
        match self {
            Format::OpenApi3 => "OpenAPI 3.0",
            Format::OpenApi31 => "OpenAPI 3.1",
            Format::Swagger2 => "Swagger 2.0",
        }
    }
}

/// A spec document as read from its text: the format it is in, and its content as JSON.
///
/// Patches and the overlay work on this, in the document's own format; [`Document::load`]
/// then converts it to OpenAPI 3.0 and reads the typed document.
#[derive(Debug, Clone)]
pub struct Document {
    pub format: Format,
    pub value: Value,
}

/// A typed OpenAPI 3.0 document ready for lowering.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub format: Format,
    pub doc: openapiv3::OpenAPI,
    /// Maps pointers of the OpenAPI 3.0 form back to the source document.
    pub source: SourceMap,
    /// Warnings of reading and converting, already in source pointers.
    pub warnings: Vec<Diagnostic>,
}

/// Spec text (YAML or JSON) → a typed OpenAPI 3.0 document: [`read`], then [`Document::load`].
pub fn load(text: &str) -> Result<Loaded, Error> {
    read(text)?.load()
}

/// Spec text (YAML or JSON; JSON is YAML) → the document and its detected format, with the
/// line and column of a syntax error.
pub fn read(text: &str) -> Result<Document, Error> {
    let value = parse_text(text)?;
    let format = detect(&value)?;
    Ok(Document { format, value })
}

pub(crate) fn parse_text(text: &str) -> Result<Value, Error> {
    // JSON is YAML, but a JSON parser reads it several times faster (the upstream file is
    // 3 MB); anything it refuses goes to the YAML parser, which reports the error.
    if text.trim_start().starts_with('{')
        && let Ok(value) = serde_json::from_str(text)
    {
        return Ok(value);
    }
    crate::yaml::from_str(text).map_err(|e| {
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

impl Document {
    /// The document as OpenAPI 3.0 JSON (converted when it is Swagger 2.0), the map from its
    /// pointers back to this document's, and what the conversion found.
    pub fn to_openapi3(self) -> (Value, SourceMap, Vec<Diagnostic>) {
        self.convert(swagger::Purpose::Document)
    }

    fn convert(self, purpose: swagger::Purpose) -> (Value, SourceMap, Vec<Diagnostic>) {
        match (self.format, self.value) {
            (Format::Swagger2, Value::Object(map)) => {
                let c = swagger::convert(&map, purpose);
                // The Swagger tree is not needed any more; freeing it is work the caller
                // need not wait for.
                drop_in_background(map);
                (c.value, c.source, c.diagnostics)
            }
            (Format::OpenApi31, Value::Object(mut map)) => {
                let diagnostics = crate::openapi31::convert(&mut map);
                (Value::Object(map), SourceMap::default(), diagnostics)
            }
            (_, value) => (value, SourceMap::default(), Vec::new()),
        }
    }

    /// Converts to OpenAPI 3.0 and reads the typed document. The document is read once, fast;
    /// only when that fails is it read again to locate the bad node.
    pub fn load(self) -> Result<Loaded, Error> {
        let format = self.format;
        let (mut value, source, mut diagnostics) = self.convert(swagger::Purpose::Codegen);
        // The typed reader drops `const`; it is read as the one-value `enum` it means.
        crate::lower::consts::as_enum(&mut value);
        diagnostics.extend(
            check_parameters(&value)
                .into_iter()
                .chain(crate::precheck::check(&value, format))
                .map(|d| source.translate(d)),
        );
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Err(Error {
                diagnostics: crate::diagnostics::errors_first(diagnostics),
            });
        }
        let doc = match openapiv3::OpenAPI::deserialize(&value) {
            Ok(doc) => doc,
            Err(e) => return Err(locate_error(&value, e, &source, format, diagnostics)),
        };
        drop_in_background(value);
        Ok(Loaded {
            format,
            doc,
            source,
            warnings: diagnostics,
        })
    }
}

/// Why `value` is not an OpenAPI 3.0 document, at the JSON pointer of the bad node (the
/// fast reader's `error` says what, the tracking reader where).
fn locate_error(
    value: &Value,
    error: serde_json::Error,
    source: &SourceMap,
    format: Format,
    diagnostics: Vec<Diagnostic>,
) -> Error {
    let (pointer, message) = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(value)
    {
        Err(e) => (crate::walk::error_pointer(e.path()), e.inner().to_string()),
        // The same `Deserialize` impl cannot accept what it refused; should it, the fast
        // reader's message stands, at the root.
        Ok(_) => ("#".to_string(), error.to_string()),
    };
    let mut all = vec![
        source.translate(
            Diagnostic::error(
                pointer,
                format!("not a valid {} document: {message}", format.name()),
            )
            .hint(format!("make this node match the {} schema", format.name())),
        ),
    ];
    all.extend(diagnostics);
    Error { diagnostics: all }
}

/// Drops a large value on another thread: freeing a document of the whole Falcon API takes
/// as long as lowering it.
fn drop_in_background<T: Send + 'static>(value: T) {
    if std::thread::Builder::new()
        .name("codegen-drop".into())
        .spawn(move || drop(value))
        .is_err()
    {
        // No thread to spare: the value was moved into the failed spawn and is dropped here.
    }
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
        (Some(Value::String(v)), _) if v.starts_with("3.1.") || v == "3.1" => Ok(Format::OpenApi31),
        (Some(Value::String(v)), _) => refuse(
            "#/openapi",
            format!("OpenAPI version {v} is not supported"),
            "give an OpenAPI 3.0.x or 3.1.x or a Swagger 2.0 document",
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
            "give a Swagger 2.0 or an OpenAPI 3.0.x or 3.1.x document",
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
                    let Some(op) = crate::walk::as_operation(key, value) else {
                        continue;
                    };
                    (
                        op.get("parameters").and_then(Value::as_array),
                        crate::walk::operation_id(op),
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
