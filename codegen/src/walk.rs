//! Walking the untyped document (a `serde_json::Value`, before or instead of the typed read):
//! which keys of a path item are operations, every operation with its path and method, and
//! JSON pointers (RFC 6901) into the document.
//!
//! Everything that reads or changes a spec as a tree asks here rather than deciding for itself:
//! the Swagger 2.0 conversion (`swagger.rs`), import (`import.rs`), the overlay (`overlay/`),
//! patches (`patches.rs`), the checks `load.rs` runs before the typed read, and the pointers of
//! every [`Diagnostic`](crate::Diagnostic) (`diagnostics.rs` re-exports [`pointer`] and
//! [`child`] for them).

use serde_json::{Map, Value};

use crate::ir::Method;

/// Whether `key` of a path item holds an operation: an HTTP method, spelled in lower case as
/// OpenAPI (3.0 and Swagger 2.0) spells it (`get`, `post`, ...). Everything else of a path item
/// (`parameters`, `summary`, `servers`, `x-` extensions) is not one.
pub fn is_method(key: &str) -> bool {
    Method::from_name(key).is_some() && !key.contains(|c: char| c.is_ascii_uppercase())
}

/// The operation `value` is, when it sits under `key` of a path item.
pub fn as_operation<'v>(key: &str, value: &'v Value) -> Option<&'v Map<String, Value>> {
    value.as_object().filter(|_| is_method(key))
}

/// Every operation of a document, in document order: its path, its method key and the
/// operation itself.
pub fn operations(doc: &Value) -> impl Iterator<Item = (&str, &str, &Map<String, Value>)> {
    doc.as_object().into_iter().flat_map(operations_of)
}

/// [`operations`], of a document held as its top-level map.
pub fn operations_of(
    doc: &Map<String, Value>,
) -> impl Iterator<Item = (&str, &str, &Map<String, Value>)> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(path, item)| Some((path, item.as_object()?)))
        .flat_map(|(path, item)| {
            item.iter().filter_map(move |(method, op)| {
                Some((path.as_str(), method.as_str(), as_operation(method, op)?))
            })
        })
}

/// Every operation of a document, to change, in document order.
pub fn operations_mut(doc: &mut Value) -> impl Iterator<Item = &mut Map<String, Value>> {
    doc.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.iter_mut())
        .filter(|(method, _)| is_method(method))
        .filter_map(|(_, op)| op.as_object_mut())
}

/// The `operationId` of an operation, when it has one.
pub fn operation_id(op: &Map<String, Value>) -> Option<&str> {
    op.get("operationId").and_then(Value::as_str)
}

/// One pointer segment escaped as RFC 6901 says (`~` → `~0`, `/` → `~1`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// One pointer segment as the key it names (`~1` → `/`, `~0` → `~`).
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The component schema a `$ref` names (`#/components/schemas/a~1b` → `a/b`), unescaped; `None`
/// for any other reference, a pointer into a component (`#/components/schemas/A/properties/x`)
/// included. Every lowering that follows a `$ref` to a schema asks this.
pub fn component_schema(reference: &str) -> Option<std::borrow::Cow<'_, str>> {
    let rest = reference.strip_prefix("#/components/schemas/")?;
    if rest.contains('/') {
        None
    } else if rest.contains('~') {
        Some(std::borrow::Cow::Owned(unescape(rest)))
    } else {
        Some(std::borrow::Cow::Borrowed(rest))
    }
}

/// A pointer (`#/a/b~1c`) from its segments, each escaped.
pub fn pointer<I, S>(segments: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::from("#");
    for s in segments {
        out.push('/');
        out.push_str(&escape(s.as_ref()));
    }
    out
}

/// `base` with one more segment, escaped.
pub fn child(base: &str, segment: impl AsRef<str>) -> String {
    format!("{base}/{}", escape(segment.as_ref()))
}

/// The pointer of the operation at `path` and `method`.
pub fn operation_pointer(path: &str, method: &str) -> String {
    child(&child("#/paths", path), method)
}

/// The pointer of the node a `serde_path_to_error` error stopped at.
pub fn error_pointer(path: &serde_path_to_error::Path) -> String {
    pointer(path.iter().filter_map(|s| match s {
        serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
        serde_path_to_error::Segment::Map { key } => Some(key.clone()),
        serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
        serde_path_to_error::Segment::Unknown => None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_the_method_keys_of_path_items() {
        let doc = serde_json::json!({"paths": {
            "/a/{b}": {
                "parameters": [],
                "summary": "s",
                "x-thing": {"responses": {}},
                "get": {"operationId": "g", "responses": {}},
                "trace": {"operationId": "t"},
                "POST": {"operationId": "upper"}
            }
        }});
        let found: Vec<(&str, &str, Option<&str>)> = operations(&doc)
            .map(|(path, method, op)| (path, method, operation_id(op)))
            .collect();
        assert_eq!(
            found,
            [("/a/{b}", "get", Some("g")), ("/a/{b}", "trace", Some("t"))]
        );
    }

    #[test]
    fn pointers_escape_and_unescape() {
        assert_eq!(operation_pointer("/a/~b", "get"), "#/paths/~1a~1~0b/get");
        assert_eq!(pointer(["x/y", "0"]), "#/x~1y/0");
        assert_eq!(unescape("~1a~1~0b"), "/a/~b");
    }

    #[test]
    fn a_component_schema_is_named_unescaped() {
        let named = |r| component_schema(r).map(|n| n.into_owned());
        assert_eq!(named("#/components/schemas/Pet").as_deref(), Some("Pet"));
        assert_eq!(
            named("#/components/schemas/a~1b~0c").as_deref(),
            Some("a/b~c")
        );
        assert_eq!(named("#/components/schemas/Pet/properties/id"), None);
        assert_eq!(named("#/definitions/Pet"), None);
    }

    /// A schema whose name holds `/` is found by its escaped `$ref`, as a model, not raw JSON.
    #[test]
    fn a_schema_named_with_a_slash_resolves() {
        let spec = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {
                "description": "ok", "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/v1~1Thing"}}}}}}}},
            "components": {"schemas": {"v1/Thing": {"type": "object",
                "properties": {"id": {"type": "string"}}}}}}"##;
        let generated = crate::generate(spec, &crate::EmitOptions::default()).unwrap();
        assert!(
            generated
                .warnings
                .iter()
                .all(|d| !d.to_string().contains("does not resolve")),
            "{:?}",
            generated.warnings
        );
    }
}
