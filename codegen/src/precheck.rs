//! What the typed reader would refuse, found before it reads: every such node reported at its
//! own pointer, in the words of the document's own version. The typed reader stops at the first
//! node it cannot take and names only the enclosing object it was reading (a tuple `items` of
//! a property is reported at the definition that holds it); this walk names each node.
//!
//! It runs on the OpenAPI 3.0 form (after [`crate::swagger`] or [`crate::openapi31`]); the
//! caller translates pointers back to the source document.

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, child};
use crate::ir::Method;
use crate::load::Format;

/// Every operation and schema node of `doc` the typed reader cannot take.
pub(crate) fn check(doc: &Value, format: Format) -> Vec<Diagnostic> {
    let mut c = Check {
        format,
        out: Vec::new(),
    };
    if let Some(components) = doc.get("components").and_then(Value::as_object) {
        if let Some(schemas) = components.get("schemas").and_then(Value::as_object) {
            for (name, s) in schemas {
                c.schema(s, &child("#/components/schemas", name), None);
            }
        }
        for kind in ["parameters", "headers"] {
            for (name, p) in entries(components.get(kind)) {
                c.parameter(p, &child(&child("#/components", kind), name), None);
            }
        }
        for kind in ["requestBodies", "responses"] {
            for (name, b) in entries(components.get(kind)) {
                c.with_content(b, &child(&child("#/components", kind), name), None);
            }
        }
    }
    for (path, item) in entries(doc.get("paths")) {
        let item_pointer = child("#/paths", path);
        let Some(item) = item.as_object() else {
            continue;
        };
        for (i, p) in list(item.get("parameters")) {
            c.parameter(p, &child(&child(&item_pointer, "parameters"), i), None);
        }
        for (key, op) in item {
            if Method::from_name(key).is_some() {
                c.operation(op, &child(&item_pointer, key), key, path);
            }
        }
    }
    c.out
}

struct Check {
    format: Format,
    out: Vec<Diagnostic>,
}

impl Check {
    fn operation(&mut self, op: &Value, pointer: &str, method: &str, path: &str) {
        let Some(map) = op.as_object() else {
            self.out.push(
                Diagnostic::error(
                    pointer,
                    format!("operation `{method} {path}` is not a mapping"),
                )
                .hint("write the operation as a mapping with `operationId` and `responses`"),
            );
            return;
        };
        let id = map.get("operationId").and_then(Value::as_str);
        if let Some(r) = map.get("$ref").and_then(Value::as_str) {
            self.out.push(
                Diagnostic::error(
                    pointer,
                    format!("operation `{method} {path}` is a `$ref` (`{r}`); an operation is written in place, not referenced"),
                )
                .in_operation(id)
                .hint("write the operation here, in this file"),
            );
            return;
        }
        if !map.contains_key("responses") {
            self.out.push(
                Diagnostic::error(
                    pointer,
                    format!("operation `{method} {path}` has no `responses`"),
                )
                .in_operation(id)
                .hint("add `responses` with at least the success response"),
            );
        }
        for (i, p) in list(map.get("parameters")) {
            self.parameter(p, &child(&child(pointer, "parameters"), i), id);
        }
        if let Some(body) = map.get("requestBody") {
            self.with_content(body, &child(pointer, "requestBody"), id);
        }
        for (code, r) in entries(map.get("responses")) {
            self.with_content(r, &child(&child(pointer, "responses"), code), id);
        }
    }

    /// A parameter or header: its `schema`.
    fn parameter(&mut self, p: &Value, pointer: &str, id: Option<&str>) {
        if let Some(s) = p.get("schema") {
            self.schema(s, &child(pointer, "schema"), id);
        }
    }

    /// A request body or response: the schema of each media type, and a response's headers.
    fn with_content(&mut self, v: &Value, pointer: &str, id: Option<&str>) {
        for (media, m) in entries(v.get("content")) {
            if let Some(s) = m.get("schema") {
                let at = child(&child(&child(pointer, "content"), media), "schema");
                self.schema(s, &at, id);
            }
        }
        for (name, h) in entries(v.get("headers")) {
            self.parameter(h, &child(&child(pointer, "headers"), name), id);
        }
    }

    fn schema(&mut self, s: &Value, pointer: &str, id: Option<&str>) {
        let Some(map) = s.as_object() else {
            return;
        };
        if map.contains_key("$ref") {
            return;
        }
        match map.get("type") {
            None | Some(Value::String(_)) => {}
            Some(Value::Array(_)) => self.out.push(
                Diagnostic::error(
                    child(pointer, "type"),
                    format!("`type` is a list, which {} does not allow (it is OpenAPI 3.1's)", self.format.name()),
                )
                .in_operation(id)
                .hint(match self.format {
                    Format::Swagger2 => "give one type; for a value that may be null, add `x-nullable: true`",
                    _ => "give one type; for a value that may be null, add `nullable: true`; for several, a `oneOf` of one schema each",
                }),
            ),
            Some(other) => self.out.push(
                Diagnostic::error(
                    child(pointer, "type"),
                    format!("`type` is {other}, not a type name"),
                )
                .in_operation(id)
                .hint("give a type name: string, number, integer, boolean, array or object"),
            ),
        }
        match map.get("items") {
            Some(Value::Array(_)) => self.out.push(
                Diagnostic::error(
                    child(pointer, "items"),
                    format!("`items` is a list (a tuple), which {} does not allow", self.format.name()),
                )
                .in_operation(id)
                .hint(match self.format {
                    Format::Swagger2 => "give `items` one schema that every element matches",
                    _ => "give `items` one schema that every element matches (a `oneOf` of the kinds, if they differ)",
                }),
            ),
            Some(items) => self.schema(items, &child(pointer, "items"), id),
            None => {}
        }
        for (name, p) in entries(map.get("properties")) {
            self.schema(p, &child(&child(pointer, "properties"), name), id);
        }
        if let Some(extra) = map.get("additionalProperties") {
            self.schema(extra, &child(pointer, "additionalProperties"), id);
        }
        if let Some(not) = map.get("not") {
            self.schema(not, &child(pointer, "not"), id);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for (i, branch) in list(map.get(key)) {
                self.schema(branch, &child(&child(pointer, key), i), id);
            }
        }
    }
}

/// The entries of a mapping (none when it is not one).
fn entries(v: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    v.and_then(Value::as_object).into_iter().flat_map(Map::iter)
}

/// The items of a list with their indexes as pointer segments (none when it is not one).
fn list(v: Option<&Value>) -> impl Iterator<Item = (String, &Value)> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, v)| (i.to_string(), v))
}
