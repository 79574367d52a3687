//! Extracting a subset of a spec: the operations of some tags (and some named operations),
//! with every component they reach, as an OpenAPI 3.0 YAML document.
//!
//! The source may be Swagger 2.0 or OpenAPI 3.0; the result is always OpenAPI 3.0, so a
//! maintainer can start `spec/ioc.yaml` from the upstream file with one command.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, Error, child};
use crate::load::{self, Format};
use crate::swagger;

/// What to take from the source.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Operations with any of these tags.
    pub tags: Vec<String>,
    /// Operations with these ids, whatever their tags.
    pub operations: Vec<String>,
}

/// The extracted document.
#[derive(Debug, Clone)]
pub struct Imported {
    /// OpenAPI 3.0 as JSON.
    pub value: Value,
    /// The same, as YAML text.
    pub yaml: String,
    pub operations: usize,
    pub schemas: usize,
    /// References that lead nowhere, kept as they are.
    pub warnings: Vec<Diagnostic>,
}

const COMPONENT_KINDS: &[&str] = &[
    "schemas",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
];

/// Extracts `selection` from spec text (Swagger 2.0 or OpenAPI 3.0, JSON or YAML).
pub fn import(text: &str, selection: &Selection) -> Result<Imported, Error> {
    let value = load::parse_value(text)?;
    let format = load::detect(&value)?;
    let (doc, source) = match (format, &value) {
        (Format::Swagger2, Value::Object(m)) => {
            let c = swagger::convert(m);
            (c.value, c.source)
        }
        _ => (value, swagger::SourceMap::default()),
    };
    if selection.tags.is_empty() && selection.operations.is_empty() {
        return Err(Error::single(
            Diagnostic::error("#/paths", "nothing selected").hint("name a --tag or an --operation"),
        ));
    }
    let mut paths = Map::new();
    let mut found_ids: BTreeSet<String> = BTreeSet::new();
    let mut used_tags: BTreeSet<String> = BTreeSet::new();
    if let Some(src) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in src {
            let Some(item) = item.as_object() else {
                continue;
            };
            let mut kept = Map::new();
            for (key, op) in item {
                let Some(op_map) = op.as_object() else {
                    continue;
                };
                if !op_map.contains_key("responses") {
                    continue;
                }
                let id = op_map.get("operationId").and_then(Value::as_str);
                let tags: Vec<&str> = op_map
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|t| t.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let by_tag = tags.iter().any(|t| selection.tags.iter().any(|s| s == t));
                let by_id = id.is_some_and(|id| selection.operations.iter().any(|s| s == id));
                if by_tag || by_id {
                    kept.insert(key.clone(), op.clone());
                    found_ids.extend(id.map(str::to_string));
                    used_tags.extend(tags.iter().map(|t| t.to_string()));
                }
            }
            if !kept.is_empty() {
                if let Some(shared) = item.get("parameters") {
                    kept.insert("parameters".into(), shared.clone());
                }
                paths.insert(path.clone(), Value::Object(kept));
            }
        }
    }
    let missing: Vec<&String> = selection
        .operations
        .iter()
        .filter(|id| !found_ids.contains(*id))
        .collect();
    if !missing.is_empty() || paths.is_empty() {
        let message = if missing.is_empty() {
            format!("no operation has the tags {}", selection.tags.join(", "))
        } else {
            format!(
                "no operation has the id {}",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(Error::single(
            Diagnostic::error("#/paths", message).hint("check the tags and ids in the source"),
        ));
    }

    // Every component the kept operations reach, transitively.
    let components = doc.get("components").and_then(Value::as_object);
    let mut kept: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut queue: Vec<(String, String)> = Vec::new();
    collect_refs(&Value::Object(paths.clone()), "#/paths", &mut queue);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some((reference, at)) = queue.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let target = reference
            .strip_prefix("#/components/")
            .and_then(|rest| rest.split_once('/'))
            .and_then(|(kind, name)| {
                let kind = COMPONENT_KINDS.iter().find(|k| **k == kind)?;
                let name = name.replace("~1", "/").replace("~0", "~");
                let value = components?.get(*kind)?.get(&name)?;
                Some((*kind, name, value))
            });
        match target {
            Some((kind, name, value)) => {
                collect_refs(
                    value,
                    &child(&format!("#/components/{kind}"), &name),
                    &mut queue,
                );
                kept.entry(kind).or_default().insert(name, value.clone());
            }
            None => warnings.push(
                source.translate(
                    Diagnostic::warning(
                        at,
                        format!("`$ref: {reference}` does not resolve; it is kept as it is"),
                    )
                    .hint("define the target, or fix the reference with a patch"),
                ),
            ),
        }
    }
    let schemas = kept.get("schemas").map_or(0, Map::len);
    let operations = found_ids.len();

    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    for key in ["info", "servers", "security", "externalDocs"] {
        if let Some(v) = doc.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(tags) = doc.get("tags").and_then(Value::as_array) {
        let tags: Vec<Value> = tags
            .iter()
            .filter(|t| {
                t.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| used_tags.contains(n))
            })
            .cloned()
            .collect();
        if !tags.is_empty() {
            out.insert("tags".into(), Value::Array(tags));
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    let mut comps = Map::new();
    for (kind, items) in kept {
        comps.insert(kind.to_string(), Value::Object(items));
    }
    if let Some(schemes) = components.and_then(|c| c.get("securitySchemes")) {
        comps.insert("securitySchemes".into(), schemes.clone());
    }
    out.insert("components".into(), Value::Object(comps));
    let value = Value::Object(out);
    let yaml = serde_yaml_ng::to_string(&value).map_err(|e| {
        Error::single(Diagnostic::error(
            "#",
            format!("internal error: the result cannot be written as YAML: {e}"),
        ))
    })?;
    Ok(Imported {
        value,
        yaml,
        operations,
        schemas,
        warnings,
    })
}

/// Every `$ref` under `value`, with where it sits.
fn collect_refs(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push((r.clone(), child(at, "$ref"))),
                    _ => collect_refs(v, &child(at, k), out),
                }
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                collect_refs(v, &child(at, i.to_string()), out);
            }
        }
        _ => {}
    }
}
