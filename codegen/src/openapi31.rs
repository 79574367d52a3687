//! OpenAPI 3.1 → OpenAPI 3.0, in place, so that every later stage is shared (as Swagger 2.0 is
//! converted in [`crate::swagger`]).
//!
//! 3.1's schemas are JSON Schema 2020-12; what 3.0 can say is said again in 3.0's words:
//! - `type: [T, "null"]` → `type: T, nullable: true`; several non-null types → an `anyOf` of
//!   one schema per type (each with the keywords of its type: `items` for arrays,
//!   `properties`, `required`, `additionalProperties` for objects);
//! - `{type: "null"}` as a branch of `anyOf`/`oneOf` → the other branches made `nullable`
//!   (one other branch: it, in place of the union; a `$ref` wrapped as `allOf: [$ref]`);
//!   on its own → `enum: [null]`;
//! - `exclusiveMinimum: n` / `exclusiveMaximum: n` (numbers in 3.1) → `minimum: n,
//!   exclusiveMinimum: true` (and the same for the maximum);
//! - `examples: [..]` on a schema → `example:` its first;
//! - `const` is read as `enum: [v]` later, for 3.0 documents too (`lower/consts.rs`);
//! - `$ref` beside other keywords: 3.0's reader follows the `$ref` and ignores the rest, which
//!   is what 3.1 means for the type.
//!
//! Nothing moves, so pointers of the converted document are the source's. What 3.0 cannot say
//! is a located warning: `webhooks` are not generated; `prefixItems` (a tuple) is dropped, so
//! the array's items are untyped.

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, pointer};

/// Converts an OpenAPI 3.1 document (already known to be a JSON object with `openapi: 3.1.x`)
/// to OpenAPI 3.0, returning what could not be said in 3.0.
pub fn convert(doc: &mut Map<String, Value>) -> Vec<Diagnostic> {
    let mut c = Converter {
        path: Vec::new(),
        diagnostics: Vec::new(),
    };
    doc.insert("openapi".into(), json!("3.0.3"));
    // `paths` is optional in 3.1, required in 3.0.
    doc.entry("paths").or_insert_with(|| json!({}));
    if doc.remove("webhooks").is_some() {
        c.diagnostics.push(
            Diagnostic::warning("#/webhooks", "webhooks are not generated (they are requests the service makes, not operations of the client)")
                .hint("nothing to do; a webhook's payload schema under `components/schemas` is still generated"),
        );
    }
    for (key, value) in doc.iter_mut() {
        c.path.push(key.clone());
        c.walk(value);
        c.path.pop();
    }
    c.diagnostics
}

struct Converter {
    /// Segments of the pointer of the node being converted.
    path: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Converter {
    /// Converts every schema-shaped object under `value` (the whole tree is walked, as
    /// `lower/consts.rs` does: each rewrite is keyed on a keyword's JSON type, which a
    /// property named like the keyword, holding a schema object, does not have).
    fn walk(&mut self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                self.schema(map);
                for (key, v) in map.iter_mut() {
                    self.path.push(key.clone());
                    self.walk(v);
                    self.path.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    self.path.push(i.to_string());
                    self.walk(v);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }

    fn schema(&mut self, map: &mut Map<String, Value>) {
        if let Some(Value::Array(types)) = map.get("type") {
            let types = types.clone();
            self.type_list(map, &types);
        }
        if map.get("type").and_then(Value::as_str) == Some("null") {
            map.remove("type");
            map.insert("enum".into(), json!([null]));
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = map.get(key)
                && branches.iter().any(is_null_schema)
            {
                let branches: Vec<Value> = branches
                    .iter()
                    .filter(|b| !is_null_schema(b))
                    .cloned()
                    .collect();
                map.remove(key);
                match <[Value; 1]>::try_from(branches) {
                    Ok([Value::Object(only)]) if !only.contains_key("$ref") => {
                        for (k, v) in only {
                            map.entry(k).or_insert(v);
                        }
                    }
                    Ok([only]) => {
                        map.insert("allOf".into(), json!([only]));
                    }
                    Err(branches) if branches.is_empty() => {
                        map.insert("enum".into(), json!([null]));
                    }
                    Err(branches) => {
                        map.insert(key.into(), Value::Array(branches));
                    }
                }
                map.insert("nullable".into(), json!(true));
            }
        }
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(n) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
                map.insert(bound.into(), n);
                map.insert(exclusive.into(), json!(true));
            }
        }
        // A media type's or parameter's `examples` is a map of named examples, in 3.1 as in
        // 3.0; only a schema's is a list.
        if let Some(Value::Array(examples)) = map.get("examples") {
            let first = examples.first().cloned();
            map.remove("examples");
            if let Some(first) = first {
                map.entry("example").or_insert(first);
            }
        }
        if map.get("prefixItems").is_some_and(Value::is_array) {
            map.remove("prefixItems");
            self.diagnostics.push(
                Diagnostic::warning(
                    pointer(self.path.iter().chain(["prefixItems".to_string()].iter())),
                    "a tuple (`prefixItems`) cannot be said in OpenAPI 3.0; it is dropped, so the array's items are untyped",
                )
                .hint("give the array an `items` schema that every element matches"),
            );
        }
    }

    /// `type: [..]` (3.1) in 3.0's words. A list that is not of type names is a located error.
    fn type_list(&mut self, map: &mut Map<String, Value>, types: &[Value]) {
        let names: Option<Vec<&str>> = types.iter().map(Value::as_str).collect();
        let Some(names) = names else {
            self.diagnostics.push(
                Diagnostic::error(
                    pointer(self.path.iter().chain(["type".to_string()].iter())),
                    "`type` lists something that is not a type name",
                )
                .hint("list type names only: `type: [string, \"null\"]`"),
            );
            return;
        };
        let nullable = names.contains(&"null");
        let others: Vec<&str> = names.into_iter().filter(|t| *t != "null").collect();
        map.remove("type");
        match others[..] {
            [] => {
                map.insert("enum".into(), json!([null]));
            }
            [only] => {
                map.insert("type".into(), json!(only));
            }
            _ => {
                let branches = others
                    .iter()
                    .map(|t| {
                        let mut branch = Map::new();
                        branch.insert("type".into(), json!(t));
                        let own: &[&str] = match *t {
                            "array" => &["items", "minItems", "maxItems", "uniqueItems"],
                            "object" => &["properties", "required", "additionalProperties"],
                            _ => &[],
                        };
                        for key in own {
                            if let Some(v) = map.remove(*key) {
                                branch.insert((*key).into(), v);
                            }
                        }
                        Value::Object(branch)
                    })
                    .collect();
                map.insert("anyOf".into(), Value::Array(branches));
            }
        }
        if nullable {
            map.insert("nullable".into(), json!(true));
        }
    }
}

/// `{type: "null"}` (or `{type: ["null"]}`, `{enum: [null]}`), alone.
fn is_null_schema(v: &Value) -> bool {
    let Some(map) = v.as_object() else {
        return false;
    };
    let null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.len() == 1 && ts[0] == "null",
        _ => false,
    };
    let null_enum = map.get("enum") == Some(&json!([null]));
    (null_type || null_enum)
        && map
            .keys()
            .all(|k| matches!(k.as_str(), "type" | "enum" | "description" | "title"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn converted(schema: serde_json::Value) -> serde_json::Value {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
        let diagnostics = super::convert(doc.as_object_mut().unwrap());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_lists_with_null_are_nullable() {
        assert_eq!(
            converted(json!({"type": ["string", "null"], "description": "d"})),
            json!({"type": "string", "nullable": true, "description": "d"})
        );
        assert_eq!(
            converted(json!({"type": ["array", "integer"], "items": {"type": "string"}})),
            json!({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "integer"}]})
        );
    }

    #[test]
    fn null_branches_of_unions_become_nullable() {
        assert_eq!(
            converted(json!({"anyOf": [{"type": "string"}, {"type": "null"}], "example": "x"})),
            json!({"type": "string", "nullable": true, "example": "x"})
        );
        assert_eq!(
            converted(json!({"oneOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]})),
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert_eq!(
            converted(
                json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})
            ),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn numeric_exclusive_bounds_and_example_lists() {
        assert_eq!(
            converted(json!({"type": "integer", "exclusiveMinimum": 0, "examples": [3, 4]})),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "example": 3})
        );
        // A property named like a keyword holds a schema and is left alone.
        assert_eq!(
            converted(json!({"type": "object", "properties": {"type": {"type": "string"}}})),
            json!({"type": "object", "properties": {"type": {"type": "string"}}})
        );
    }
}
