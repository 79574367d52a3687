//! Extracting a subset of a spec: the operations of some tags (and some named operations),
//! with every component they reach, as an OpenAPI 3.0 YAML document, structure only.
//!
//! The source may be Swagger 2.0 or OpenAPI 3.0; the result is always OpenAPI 3.0. Upstream's
//! prose never leaves this module: descriptions, summaries, examples, terms and the like are
//! dropped ([`strip_text`]), and the text a document must have (a response's description, a
//! scope's) is [`PLACEHOLDER`]. Our own words come from the overlay ([`crate::overlay`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, Error, child};
use crate::load;
use crate::swagger::SourceMap;
use crate::write::{self, NAME_MAPS};

/// What stands where a document needs text and has none of ours yet.
pub const PLACEHOLDER: &str = "Not yet described.";

/// Keywords that hold prose. `info.title` (the API's name) is kept: a document needs one.
const PROSE: &[&str] = &[
    "description",
    "summary",
    "title",
    "termsOfService",
    "contact",
    "license",
    "externalDocs",
    "example",
    "examples",
];

/// Keywords whose value is data, not document structure: never searched for prose.
const DATA: &[&str] = &["enum", "default", "required"];

/// What to take from the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

/// Extracts `selection` from spec text (Swagger 2.0 or OpenAPI 3.0, JSON or YAML), without
/// upstream's prose.
pub fn import(text: &str, selection: &Selection) -> Result<Imported, Error> {
    let (mut doc, source) = read(text)?;
    strip_text(&mut doc);
    let subset = select(&doc, selection, &source)?;
    let yaml = write::to_yaml(&subset.value)?;
    Ok(Imported {
        value: subset.value,
        yaml,
        operations: subset.operations,
        schemas: subset.schemas,
        warnings: subset.warnings,
    })
}

/// Spec text → the document as OpenAPI 3.0 JSON (converted from Swagger 2.0 when it is that),
/// and the map from its pointers back to the text's.
pub fn read(text: &str) -> Result<(Value, SourceMap), Error> {
    let (value, source, _) = load::read(text)?.to_openapi3();
    Ok((value, source))
}

/// A selection out of a whole document.
#[derive(Debug, Clone)]
pub struct Subset {
    /// OpenAPI 3.0 as JSON.
    pub value: Value,
    pub operations: usize,
    pub schemas: usize,
    /// References that lead nowhere, kept as they are (located in the source document).
    pub warnings: Vec<Diagnostic>,
}

/// The operations `selection` names in `doc` (OpenAPI 3.0), every component they reach, the
/// tags they use, and as OAuth2 scopes those they ask for.
pub fn select(doc: &Value, selection: &Selection, source: &SourceMap) -> Result<Subset, Error> {
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
                let Some(op_map) = crate::walk::as_operation(key, op) else {
                    continue;
                };
                let id = crate::walk::operation_id(op_map);
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
                let name = crate::walk::unescape(name);
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
    let mut comps = Map::new();
    for (kind, items) in kept {
        comps.insert(kind.to_string(), Value::Object(items));
    }
    if let Some(schemes) = components.and_then(|c| c.get("securitySchemes")) {
        let mut schemes = schemes.clone();
        keep_used_scopes(&mut schemes, &used_scopes(&paths, doc.get("security")));
        comps.insert("securitySchemes".into(), schemes);
    }
    out.insert("paths".into(), Value::Object(paths));
    out.insert("components".into(), Value::Object(comps));
    Ok(Subset {
        value: Value::Object(out),
        operations,
        schemas,
        warnings,
    })
}

/// `(scheme, scope)` pairs the operations (and the document's default) ask for.
fn used_scopes(paths: &Map<String, Value>, global: Option<&Value>) -> BTreeSet<(String, String)> {
    let mut used = BTreeSet::new();
    let mut add = |requirements: &Value| {
        for requirement in requirements.as_array().into_iter().flatten() {
            for (scheme, scopes) in requirement.as_object().into_iter().flatten() {
                for scope in scopes.as_array().into_iter().flatten() {
                    if let Some(scope) = scope.as_str() {
                        used.insert((scheme.clone(), scope.to_string()));
                    }
                }
            }
        }
    };
    global.into_iter().for_each(&mut add);
    for item in paths.values() {
        for op in item.as_object().into_iter().flat_map(Map::values) {
            op.get("security").into_iter().for_each(&mut add);
        }
    }
    used
}

/// Makes each scheme's scopes exactly those the operations ask for: upstream lists a handful
/// that no IOC operation uses and none of those they do use. A scope gets [`PLACEHOLDER`] as its
/// text; the overlay describes it.
fn keep_used_scopes(schemes: &mut Value, used: &BTreeSet<(String, String)>) {
    for (name, scheme) in schemes.as_object_mut().into_iter().flatten() {
        let flows = scheme.get_mut("flows").and_then(Value::as_object_mut);
        for flow in flows.into_iter().flat_map(|f| f.values_mut()) {
            if let Some(scopes) = flow.get_mut("scopes").and_then(Value::as_object_mut) {
                *scopes = used
                    .iter()
                    .filter(|(scheme, _)| scheme == name)
                    .map(|(_, scope)| (scope.clone(), json!(PLACEHOLDER)))
                    .collect();
            }
        }
    }
}

/// Drops upstream's prose from a whole OpenAPI 3.0 document: every description, summary,
/// title (but `info.title`), example, terms, contact and licence, wherever it is a keyword.
/// A name that happens to be spelled like one (a property called `description`) is structure
/// and stays. Text the document must have (a response's description, a scope's) becomes
/// [`PLACEHOLDER`].
pub fn strip_text(doc: &mut Value) {
    let title = doc.pointer("/info/title").cloned();
    strip(doc, false);
    if let (Some(title), Some(info)) = (title, doc.get_mut("info").and_then(Value::as_object_mut)) {
        info.insert("title".into(), title);
    }
    for response in responses_mut(doc) {
        response.insert("description".into(), json!(PLACEHOLDER));
    }
    let schemes = doc
        .pointer_mut("/components/securitySchemes")
        .and_then(Value::as_object_mut);
    for scheme in schemes.into_iter().flat_map(|s| s.values_mut()) {
        let flows = scheme.get_mut("flows").and_then(Value::as_object_mut);
        for flow in flows.into_iter().flat_map(|f| f.values_mut()) {
            let scopes = flow.get_mut("scopes").and_then(Value::as_object_mut);
            for text in scopes.into_iter().flat_map(|s| s.values_mut()) {
                *text = json!(PLACEHOLDER);
            }
        }
    }
}

/// Drops prose from one object of a document (an operation, a schema), as [`strip_text`] does.
pub(crate) fn drop_prose(value: &mut Value) {
    strip(value, false);
}

/// `names`: `value` maps names to objects (properties, paths, schemas), so none of its keys is
/// a keyword.
fn strip(value: &mut Value, names: bool) {
    match value {
        Value::Object(map) => {
            if !names {
                map.retain(|k, _| !PROSE.contains(&k.as_str()));
            }
            for (key, v) in map.iter_mut() {
                if names {
                    strip(v, false);
                } else if key == "security" {
                    // A list of requirements, each mapping scheme names to scopes: data.
                } else if !DATA.contains(&key.as_str()) && !key.starts_with("x-") {
                    strip(v, NAME_MAPS.contains(&key.as_str()) && v.is_object());
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip(v, false)),
        _ => {}
    }
}

/// Every response object of the document: under operations and in `components/responses`.
fn responses_mut(doc: &mut Value) -> Vec<&mut Map<String, Value>> {
    let Some(doc) = doc.as_object_mut() else {
        return Vec::new();
    };
    // Each a `responses` map: status → response.
    let mut maps: Vec<&mut Map<String, Value>> = Vec::new();
    for (key, value) in doc.iter_mut() {
        match key.as_str() {
            "paths" => maps.extend(
                value
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|paths| paths.values_mut())
                    .filter_map(Value::as_object_mut)
                    .flat_map(|item| item.values_mut())
                    .filter_map(|op| op.get_mut("responses"))
                    .filter_map(Value::as_object_mut),
            ),
            "components" => maps.extend(value.get_mut("responses").and_then(Value::as_object_mut)),
            _ => {}
        }
    }
    maps.into_iter()
        .flat_map(|m| m.values_mut())
        .filter_map(Value::as_object_mut)
        .filter(|r| !r.contains_key("$ref"))
        .collect()
}

/// Every `$ref` under `value`, with where it sits.
pub(crate) fn collect_refs(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
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
