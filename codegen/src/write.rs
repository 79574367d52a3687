//! Writing a spec document as YAML that reads like a hand-written one: OpenAPI's keywords in
//! their usual order (`openapi`, `info`, … `paths`, `components`; in an operation `tags`,
//! `summary`, `description`, `operationId`, `parameters`, …), and every map of names (paths,
//! schemas, properties, responses) in sorted order.
//!
//! `serde_json::Value` keeps keys sorted, so without this `components` would come before
//! `openapi`. The order is fixed, so the same document always gives the same bytes.

use serde_json::Value;
use serde_yaml_ng::{Mapping, Number, Value as Yaml};

use crate::diagnostics::{Diagnostic, Error};

/// OpenAPI keywords, in the order they are written. Keys not listed follow, sorted.
const KEYWORD_ORDER: &[&str] = &[
    "openapi",
    "info",
    "title",
    "version",
    "servers",
    "url",
    "name",
    "in",
    "tags",
    "type",
    "format",
    "items",
    "summary",
    "description",
    "operationId",
    "deprecated",
    "required",
    "schema",
    "style",
    "explode",
    "parameters",
    "requestBody",
    "content",
    "encoding",
    "security",
    "responses",
    "headers",
    "nullable",
    "properties",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "enum",
    "default",
    "scheme",
    "flows",
    "tokenUrl",
    "scopes",
    "paths",
    "components",
    "schemas",
    "requestBodies",
    "securitySchemes",
];

/// Keys whose value maps names (not keywords) to objects: written in sorted order, and a name
/// there is never taken for a keyword (a property called `description` is a property).
pub(crate) const NAME_MAPS: &[&str] = &[
    "paths",
    "properties",
    "responses",
    "headers",
    "content",
    "encoding",
    "scopes",
    "schemas",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "examples",
    "links",
    "callbacks",
    "variables",
    "mapping",
];

/// The document as YAML, keywords in OpenAPI's usual order.
pub fn to_yaml(value: &Value) -> Result<String, Error> {
    serde_yaml_ng::to_string(&ordered(value, false)).map_err(|e| {
        Error::single(Diagnostic::error(
            "#",
            format!("internal error: the document cannot be written as YAML: {e}"),
        ))
    })
}

fn ordered(value: &Value, names: bool) -> Yaml {
    match value {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Bool(*b),
        Value::Number(n) => Yaml::Number(if let Some(i) = n.as_i64() {
            Number::from(i)
        } else if let Some(u) = n.as_u64() {
            Number::from(u)
        } else {
            Number::from(n.as_f64().unwrap_or(f64::NAN))
        }),
        Value::String(s) => Yaml::String(s.clone()),
        Value::Array(items) => Yaml::Sequence(items.iter().map(|v| ordered(v, false)).collect()),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            if !names {
                keys.sort_by_key(|k| {
                    (
                        KEYWORD_ORDER
                            .iter()
                            .position(|w| w == k)
                            .unwrap_or(KEYWORD_ORDER.len()),
                        k.as_str(),
                    )
                });
            }
            let mut out = Mapping::with_capacity(keys.len());
            for key in keys {
                // A name map's values are objects again; under a keyword, a map of names.
                let child_names =
                    !names && NAME_MAPS.contains(&key.as_str()) && map[key].is_object();
                out.insert(Yaml::String(key.clone()), ordered(&map[key], child_names));
            }
            Yaml::Mapping(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keywords_in_order_names_sorted() {
        let doc = json!({
            "paths": {"/b": {}, "/a": {"get": {"responses": {}, "operationId": "x", "tags": ["t"]}}},
            "openapi": "3.0.3",
            "components": {"schemas": {"S": {"properties": {"type": {"type": "string"}, "description": {"type": "string"}}, "type": "object"}}},
            "info": {"version": "1", "title": "T"}
        });
        let yaml = to_yaml(&doc).unwrap();
        assert_eq!(
            yaml,
            "openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a:\n    get:\n      tags:\n      - t\n      operationId: x\n      responses: {}\n  /b: {}\ncomponents:\n  schemas:\n    S:\n      type: object\n      properties:\n        description:\n          type: string\n        type:\n          type: string\n"
        );
        // The same document reads back.
        let back: Value = serde_yaml_ng::from_str(&yaml).unwrap();
        assert_eq!(back, doc);
    }
}
