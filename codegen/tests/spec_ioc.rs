//! `spec/ioc.yaml` is a valid OpenAPI 3.0 document that covers the whole IOC API and, where
//! upstream defines an operation, matches it structurally.

mod support;
#[path = "support/unfixed.rs"]
mod unfixed;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn ioc_spec() -> Value {
    let text = std::fs::read_to_string(root().join("spec/ioc.yaml")).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

/// Resolves a local `$ref` (`#/a/b`) in `doc`.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op));
        }
    }
    out
}

fn parses_as_openapi_3() {
    let text = std::fs::read_to_string(root().join("spec/ioc.yaml")).unwrap();
    let doc: openapiv3::OpenAPI =
        serde_yaml_ng::from_str(&text).expect("openapiv3 parses spec/ioc.yaml");
    assert!(doc.openapi.starts_with("3.0."));
}

fn every_ref_resolves() {
    let doc = ioc_spec();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    let dangling: Vec<_> = all.iter().filter(|r| resolve(&doc, r).is_none()).collect();
    assert!(dangling.is_empty(), "dangling refs: {dangling:?}");
}

fn covers_26_operations_with_unique_ids() {
    let doc = ioc_spec();
    let ids: Vec<String> = operations(&doc)
        .iter()
        .map(|(_, _, op)| op["operationId"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<_> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "duplicate operation ids in {ids:?}"
    );
    assert_eq!(ids.len(), 26);
    for id in [
        "indicator_get_device_count_v1",
        "indicator_get_devices_ran_on_v1",
        "indicator_get_processes_ran_on_v1",
        "indicator_sdmf_query_v1",
        "GetIOC",
        "CreateIOC",
        "UpdateIOC",
        "DeleteIOC",
        "QueryIOCs",
    ] {
        assert!(unique.contains(&id.to_string()), "{id} missing");
    }
}

/// The shape of a parameter, descriptions aside; a `style` left out is OpenAPI's default for
/// the location (`form` in the query, `simple` in a path or header).
fn param_shape(p: &Value) -> Value {
    let schema = &p["schema"];
    let style = p.get("style").cloned().unwrap_or_else(|| {
        Value::from(match p["in"].as_str() {
            Some("query" | "cookie") => "form",
            _ => "simple",
        })
    });
    serde_json::json!({
        "in": p["in"], "required": p.get("required").cloned().unwrap_or(Value::Bool(false)),
        "type": schema["type"], "items": schema.get("items").map(|i| i["type"].clone()),
        "enum": schema.get("enum"), "default": schema.get("default"),
        "style": style, "explode": p.get("explode"),
    })
}

fn schema_ref_of(content: &Value) -> Option<String> {
    content["application/json"]["schema"]["$ref"]
        .as_str()
        .map(str::to_string)
}

/// Schema shape: property names with their type or ref, required list; descriptions aside.
fn schema_shape(s: &Value) -> Value {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    // Documentation text goes; a property *named* `description` (an object) stays.
                    .filter(|(k, v)| !((*k == "description" || *k == "example") && !v.is_object()))
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(s)
}

/// Schemas whose `required` list the overlay fixes (each fix says why).
const REQUIRED_FIXED: &[&str] = &[
    "api.BulkUpdateReqV1",
    "api.IndicatorCreateReqV1",
    "api.IndicatorUpdateReqsV1",
    "api.IndicatorsSortedSearch",
    "msa.AggregateQueryRequest",
];

/// `doc` with what the overlay deliberately changes undone: a `$ref` to one of our value sets
/// (a string enum the overlay adds, named without a dot) reads as the plain string it
/// replaced, and the `required` lists the overlay fixes are left out.
fn without_our_value_sets(doc: &Value) -> Value {
    fn walk(v: &Value, doc: &Value) -> Value {
        match v {
            Value::Object(m) => {
                if let Some(reference) = m.get("$ref").and_then(Value::as_str)
                    && let Some(name) = reference.strip_prefix("#/components/schemas/")
                    && !name.contains('.')
                    && resolve(doc, reference).is_some_and(|s| s.get("enum").is_some())
                {
                    return serde_json::json!({"type": "string"});
                }
                Value::Object(m.iter().map(|(k, v)| (k.clone(), walk(v, doc))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| walk(x, doc)).collect()),
            other => other.clone(),
        }
    }
    let mut out = walk(doc, doc);
    for name in REQUIRED_FIXED {
        if let Some(schema) = out["components"]["schemas"][name].as_object_mut() {
            schema.remove("required");
        }
    }
    out
}

/// Every operation upstream has is in our spec with the same method, path, parameters,
/// body and response schemas, and every upstream schema has the same fields, but for the
/// value sets and `required` lists the overlay changes on purpose.
fn matches_upstream_structure() {
    let Some(text) = support::read_spec("ioc_openapi3.json") else {
        return;
    };
    let mut upstream: Value = serde_json::from_str(&text).unwrap();
    for name in REQUIRED_FIXED {
        if let Some(schema) = upstream["components"]["schemas"][name].as_object_mut() {
            schema.remove("required");
        }
    }
    // Our spec before the overlay's fixes (value sets, `required` lists, the service's limits).
    let ours: Value = serde_json::from_str(&unfixed::ioc_spec_unfixed(&root())).unwrap();
    let ours = without_our_value_sets(&ours);
    let index = |doc: &Value| -> BTreeMap<String, (String, String, Value)> {
        operations(doc)
            .into_iter()
            .map(|(m, p, op)| {
                (
                    op["operationId"].as_str().unwrap().to_string(),
                    (m, p, op.clone()),
                )
            })
            .collect()
    };
    let ours_ops = index(&ours);
    let mut checked = 0;
    for (id, (method, path, op)) in index(&upstream) {
        let (our_method, our_path, our_op) =
            ours_ops.get(&id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!((&method, &path), (our_method, our_path), "{id}");
        let params = |o: &Value| -> Vec<(String, Value)> {
            o.get("parameters")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| (p["name"].as_str().unwrap().to_string(), param_shape(p)))
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(params(&op), params(our_op), "{id} parameters");
        assert_eq!(
            op.get("requestBody")
                .map(|b| (schema_ref_of(&b["content"]), b.get("required").cloned())),
            our_op
                .get("requestBody")
                .map(|b| (schema_ref_of(&b["content"]), b.get("required").cloned())),
            "{id} body"
        );
        let responses = |o: &Value| -> BTreeMap<String, Option<String>> {
            o["responses"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(code, r)| (code.clone(), schema_ref_of(&r["content"])))
                .collect()
        };
        assert_eq!(responses(&op), responses(our_op), "{id} responses");
        checked += 1;
    }
    assert_eq!(checked, 17);
    for (name, schema) in upstream["components"]["schemas"].as_object().unwrap() {
        let our = &ours["components"]["schemas"][name];
        assert_eq!(schema_shape(schema), schema_shape(our), "schema {name}");
    }
}

/// Descriptions are ours: no upstream sentence of more than a few words appears in our spec.
fn descriptions_are_our_own() {
    let Some(text) = support::read_spec("ioc_openapi3.json") else {
        return;
    };
    let upstream: Value = serde_json::from_str(&text).unwrap();
    fn texts(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if (k == "description" || k == "summary") && x.is_string() {
                        out.push(x.as_str().unwrap().trim().to_string());
                    } else {
                        texts(x, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| texts(x, out)),
            _ => {}
        }
    }
    let mut theirs = Vec::new();
    texts(&upstream, &mut theirs);
    let ours = std::fs::read_to_string(root().join("spec/ioc.yaml")).unwrap();
    let copied: BTreeSet<_> = theirs
        .iter()
        .filter(|t| t.split_whitespace().count() >= 4 && ours.contains(t.as_str()))
        .collect();
    assert!(
        copied.is_empty(),
        "upstream text copied into spec/ioc.yaml: {copied:?}"
    );
}

/// The FalconPy names in the spec (`x-falconpy-name`, from the overlay's `falconpy-names`) are
/// those of FalconPy 1.6.6's `IOC` class: each row of the method table in
/// `../shared/reference/falconpy-ioc-behavior.md` (read at run time) names the method, HTTP
/// method and path, and the operation at that method and path carries that name; no other
/// operation carries one.
fn falconpy_names_are_falconpys() {
    let path = support::shared().join("reference/falconpy-ioc-behavior.md");
    let Ok(reference) = std::fs::read_to_string(&path) else {
        support::skip(&format!("{} is not there", path.display()));
        return;
    };
    // `| `devices_count` | `indicator_get_device_count_v1` | – | GET `/iocs/...` | ... |`
    let mut theirs: BTreeMap<(String, String), String> = BTreeMap::new();
    for line in reference.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(name), Some(route)) = (cells.get(1), cells.get(4)) else {
            continue;
        };
        let Some((method, path)) = route.split_once(' ') else {
            continue;
        };
        theirs.insert(
            (method.to_string(), path.trim_matches('`').to_string()),
            name.trim_matches('`').to_string(),
        );
    }
    assert_eq!(
        theirs.len(),
        21,
        "rows of FalconPy's method table: {theirs:#?}"
    );
    let ours: BTreeMap<(String, String), String> = operations(&ioc_spec())
        .into_iter()
        .filter_map(|(m, p, op)| Some(((m, p), op.get("x-falconpy-name")?.as_str()?.to_string())))
        .collect();
    assert_eq!(ours, theirs);
}

fn main() {
    support::run(&[
        trial!(parses_as_openapi_3),
        trial!(every_ref_resolves),
        trial!(covers_26_operations_with_unique_ids),
        trial!(matches_upstream_structure, support::needs_upstream),
        trial!(descriptions_are_our_own, support::needs_upstream),
        trial!(falconpy_names_are_falconpys, || support::needs_shared(
            "reference"
        )),
    ]);
}
