//! Reading a spec document: YAML or JSON text in, a parsed OpenAPI 3.0 document out, with
//! errors that say where the document is wrong.

use crate::diagnostics::{Diagnostic, Error};

/// Parses spec text (YAML or JSON; JSON is YAML) into an OpenAPI 3.0 document.
pub fn parse(text: &str) -> Result<openapiv3::OpenAPI, Error> {
    let value: serde_json::Value = serde_yaml_ng::from_str(text).map_err(|e| {
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
    })?;
    check_version(&value)?;
    serde_path_to_error::deserialize(value).map_err(|e| {
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
        Error::single(
            Diagnostic::error(
                crate::diagnostics::pointer(&segments),
                format!("not a valid OpenAPI 3.0 document: {}", e.inner()),
            )
            .hint("make this node match the OpenAPI 3.0 schema"),
        )
    })
}

/// Refuses documents that are not OpenAPI 3.0.x, saying what was found.
fn check_version(value: &serde_json::Value) -> Result<(), Error> {
    let version = |key: &str| value.get(key).and_then(|v| v.as_str().map(str::to_string));
    match (version("openapi"), version("swagger")) {
        (Some(v), _) if v.starts_with("3.0.") => Ok(()),
        (Some(v), _) => Err(Error::single(
            Diagnostic::error("#/openapi", format!("OpenAPI version {v} is not supported"))
                .hint("give an OpenAPI 3.0.x document"),
        )),
        (None, Some(v)) => Err(Error::single(
            Diagnostic::error("#/swagger", format!("Swagger {v} is not supported here"))
                .hint("convert the document to OpenAPI 3.0.x"),
        )),
        (None, None) if value.is_object() => Err(Error::single(
            Diagnostic::error(
                "#",
                "the document has neither an `openapi` nor a `swagger` field",
            )
            .hint("add `openapi: 3.0.3` at the top"),
        )),
        (None, None) => Err(Error::single(
            Diagnostic::error("#", "the document is not a mapping")
                .hint("a spec is a YAML mapping or a JSON object at the top level"),
        )),
    }
}
