//! What the typed reader would refuse, found before it reads: every such node reported at its
//! own pointer, in the words of the document's own version. The typed reader stops at the first
//! node it cannot take and names only the enclosing object it was reading (a tuple `items` of
//! a property is reported at the definition that holds it); this walk names each node.
//!
//! It runs on the OpenAPI 3.0 form (after [`crate::swagger`] or [`crate::openapi31`]); the
//! caller translates pointers back to the source document.

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, pointer};
use crate::load::Format;
use crate::walk;

/// Every operation and schema node of `doc` the typed reader cannot take.
pub(crate) fn check(doc: &Value, format: Format) -> Vec<Diagnostic> {
    let mut c = Check {
        format,
        out: Vec::new(),
    };
    let components = At::ROOT.key("components");
    if let Some(map) = doc.get("components").and_then(Value::as_object) {
        let schemas = components.key("schemas");
        for (name, s) in entries(map.get("schemas")) {
            c.schema(s, &schemas.key(name), None);
        }
        for kind in ["parameters", "headers"] {
            let at = components.key(kind);
            for (name, p) in entries(map.get(kind)) {
                c.parameter(p, &at.key(name), None);
            }
        }
        for kind in ["requestBodies", "responses"] {
            let at = components.key(kind);
            for (name, b) in entries(map.get(kind)) {
                c.with_content(b, &at.key(name), None);
            }
        }
    }
    let paths = At::ROOT.key("paths");
    for (path, item) in entries(doc.get("paths")) {
        let item_at = paths.key(path);
        let Some(item) = item.as_object() else {
            continue;
        };
        let params = item_at.key("parameters");
        for (i, p) in list(item.get("parameters")) {
            c.parameter(p, &params.index(i), None);
        }
        for (key, op) in item {
            if walk::is_method(key) {
                c.operation(op, &item_at.key(key), key, path);
            }
        }
    }
    c.out
}

/// Where a node is, as a chain of segments up to the root: the pointer is written only for a
/// node that is reported (writing one for every node was most of this walk's time).
#[derive(Clone, Copy)]
struct At<'p> {
    parent: Option<&'p At<'p>>,
    segment: Segment<'p>,
}

#[derive(Clone, Copy)]
enum Segment<'p> {
    Root,
    Key(&'p str),
    Index(usize),
}

impl<'p> At<'p> {
    const ROOT: At<'static> = At {
        parent: None,
        segment: Segment::Root,
    };

    fn key(&'p self, key: &'p str) -> At<'p> {
        At {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    fn index(&'p self, i: usize) -> At<'p> {
        At {
            parent: Some(self),
            segment: Segment::Index(i),
        }
    }

    /// The JSON pointer of the node (`#/a/b`), with `then` appended when given.
    fn pointer(&self, then: Option<&str>) -> String {
        let mut segments: Vec<String> = then.map(str::to_string).into_iter().collect();
        let mut at = Some(self);
        while let Some(node) = at {
            match node.segment {
                Segment::Root => {}
                Segment::Key(k) => segments.push(k.to_string()),
                Segment::Index(i) => segments.push(i.to_string()),
            }
            at = node.parent;
        }
        segments.reverse();
        pointer(&segments)
    }
}

struct Check {
    format: Format,
    out: Vec<Diagnostic>,
}

impl Check {
    fn operation(&mut self, op: &Value, at: &At, method: &str, path: &str) {
        let Some(map) = op.as_object() else {
            self.out.push(
                Diagnostic::error(
                    at.pointer(None),
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
                    at.pointer(None),
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
                    at.pointer(None),
                    format!("operation `{method} {path}` has no `responses`"),
                )
                .in_operation(id)
                .hint("add `responses` with at least the success response"),
            );
        }
        let params = at.key("parameters");
        for (i, p) in list(map.get("parameters")) {
            self.parameter(p, &params.index(i), id);
        }
        if let Some(body) = map.get("requestBody") {
            self.with_content(body, &at.key("requestBody"), id);
        }
        let responses = at.key("responses");
        for (code, r) in entries(map.get("responses")) {
            self.with_content(r, &responses.key(code), id);
        }
    }

    /// A parameter or header: its `schema`.
    fn parameter(&mut self, p: &Value, at: &At, id: Option<&str>) {
        if let Some(s) = p.get("schema") {
            self.schema(s, &at.key("schema"), id);
        }
    }

    /// A request body or response: the schema of each media type, and a response's headers.
    fn with_content(&mut self, v: &Value, at: &At, id: Option<&str>) {
        let content = at.key("content");
        for (media, m) in entries(v.get("content")) {
            if let Some(s) = m.get("schema") {
                let media = content.key(media);
                self.schema(s, &media.key("schema"), id);
            }
        }
        let headers = at.key("headers");
        for (name, h) in entries(v.get("headers")) {
            self.parameter(h, &headers.key(name), id);
        }
    }

    fn schema(&mut self, s: &Value, at: &At, id: Option<&str>) {
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
                    at.pointer(Some("type")),
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
                    at.pointer(Some("type")),
                    format!("`type` is {other}, not a type name"),
                )
                .in_operation(id)
                .hint("give a type name: string, number, integer, boolean, array or object"),
            ),
        }
        match map.get("items") {
            Some(Value::Array(_)) => self.out.push(
                Diagnostic::error(
                    at.pointer(Some("items")),
                    format!("`items` is a list (a tuple), which {} does not allow", self.format.name()),
                )
                .in_operation(id)
                .hint(match self.format {
                    Format::Swagger2 => "give `items` one schema that every element matches",
                    _ => "give `items` one schema that every element matches (a `oneOf` of the kinds, if they differ)",
                }),
            ),
            Some(items) => self.schema(items, &at.key("items"), id),
            None => {}
        }
        let properties = at.key("properties");
        for (name, p) in entries(map.get("properties")) {
            self.schema(p, &properties.key(name), id);
        }
        if let Some(extra) = map.get("additionalProperties") {
            self.schema(extra, &at.key("additionalProperties"), id);
        }
        if let Some(not) = map.get("not") {
            self.schema(not, &at.key("not"), id);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            let branches = at.key(key);
            for (i, branch) in list(map.get(key)) {
                self.schema(branch, &branches.index(i), id);
            }
        }
    }
}

/// The entries of a mapping (none when it is not one).
fn entries(v: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    v.and_then(Value::as_object).into_iter().flat_map(Map::iter)
}

/// The items of a list with their indexes (none when it is not one).
fn list(v: Option<&Value>) -> impl Iterator<Item = (usize, &Value)> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}
