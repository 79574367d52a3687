//! Our words into the built spec: each text entry finds its target, or is a warning that names
//! what upstream no longer has and says the entry can go (and is listed for pruning); each place
//! that must be described and has no entry gets the placeholder and a warning.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{OperationText, SchemaText, Text};
use crate::diagnostics::{Diagnostic, child, pointer};
use crate::import::PLACEHOLDER;
use crate::walk::{operation_pointer, operations};

/// What applying the text found.
#[derive(Debug, Default)]
pub(super) struct Described {
    /// Entries whose target the spec does not have, as keys from the top of the overlay
    /// (`["text", "operations", ID, "parameters", NAME]`), each with its warning.
    pub stale: Vec<(Vec<String>, Diagnostic)>,
    /// Places without our words (they got the placeholder).
    pub warnings: Vec<Diagnostic>,
    pub placeholders: usize,
}

/// Writes `text` into `spec`. `label` names the overlay, `spec_label` the built spec.
pub(super) fn apply(spec: &mut Value, text: &Text, label: &str, spec_label: &str) -> Described {
    let mut out = Described::default();
    let Some(doc) = spec.as_object_mut() else {
        return out;
    };
    let info = doc.entry("info").or_insert_with(|| json!({}));
    if let Some(info) = info.as_object_mut() {
        info.insert("title".into(), json!(text.info.title));
        info.insert("description".into(), json!(text.info.description));
    }
    let mut ctx = Context {
        label,
        spec_label,
        out: &mut out,
    };
    ctx.servers(doc, &text.servers);
    ctx.tags(doc, &text.tags);
    ctx.scopes(doc, &text.scopes);
    ctx.operations(spec, text);
    ctx.schemas(spec, &text.schemas);
    out
}

struct Context<'a> {
    label: &'a str,
    spec_label: &'a str,
    out: &'a mut Described,
}

impl Context<'_> {
    /// A text entry that describes nothing the spec has: our words outliving their target are
    /// no reason to stop the update, so a warning, and the entry is listed for pruning.
    fn stale(&mut self, segments: &[&str], message: String, hint: &str) {
        let mut all = vec!["text"];
        all.extend_from_slice(segments);
        let warning =
            Diagnostic::warning(format!("{}{}", self.label, pointer(&all)), message).hint(hint);
        let keys = all.into_iter().map(str::to_string).collect();
        self.out.stale.push((keys, warning));
    }

    /// Places at `at` (in the built spec) that got the placeholder.
    fn undescribed(&mut self, at: &str, operation: Option<&str>, what: &[String], entry: &str) {
        if what.is_empty() {
            return;
        }
        self.out.placeholders += what.len();
        self.out.warnings.push(
            Diagnostic::warning(
                format!("{}{at}", self.spec_label),
                format!(
                    "no text of ours for {}; \"{PLACEHOLDER}\" written",
                    what.join(", ")
                ),
            )
            .in_operation(operation)
            .hint(format!("describe it under `{entry}` in {}", self.label)),
        );
    }

    fn servers(&mut self, doc: &mut Map<String, Value>, text: &BTreeMap<String, String>) {
        let mut used = BTreeSet::new();
        let servers = doc.get_mut("servers").and_then(Value::as_array_mut);
        let mut missing = Vec::new();
        for (i, server) in servers.into_iter().flatten().enumerate() {
            let Some(server) = server.as_object_mut() else {
                continue;
            };
            let url = server
                .get("url")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let description = match text.get(&url) {
                Some(t) => {
                    used.insert(url);
                    t.clone()
                }
                None => {
                    missing.push((i, url));
                    PLACEHOLDER.to_string()
                }
            };
            server.insert("description".into(), json!(description));
        }
        for (i, url) in missing {
            let at = format!("#/servers/{i}");
            self.undescribed(&at, None, &[format!("the server `{url}`")], "text.servers");
        }
        for url in text.keys().filter(|u| !used.contains(*u)) {
            self.stale(
                &["servers", url],
                format!("the spec has no server `{url}`"),
                "the entry can go, or give the URL upstream uses now",
            );
        }
    }

    /// The tags the operations use, in upstream's order, then any others sorted.
    fn tags(&mut self, doc: &mut Map<String, Value>, text: &BTreeMap<String, String>) {
        let mut used: BTreeSet<String> = BTreeSet::new();
        for (_, _, op) in crate::walk::operations_of(doc) {
            let tags = op.get("tags").and_then(Value::as_array);
            used.extend(
                tags.into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string),
            );
        }
        let mut names: Vec<String> = doc
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|t| t.get("name").and_then(Value::as_str))
            .filter(|n| used.contains(*n))
            .map(str::to_string)
            .collect();
        names.extend(
            used.iter()
                .filter(|t| !names.contains(t))
                .cloned()
                .collect::<Vec<_>>(),
        );
        let mut list = Vec::new();
        let mut missing = Vec::new();
        for name in &names {
            let description = text.get(name).cloned().unwrap_or_else(|| {
                missing.push(format!("the tag `{name}`"));
                PLACEHOLDER.to_string()
            });
            list.push(json!({"name": name, "description": description}));
        }
        if list.is_empty() {
            doc.remove("tags");
        } else {
            doc.insert("tags".into(), Value::Array(list));
        }
        self.undescribed("#/tags", None, &missing, "text.tags");
        for tag in text.keys().filter(|t| !used.contains(*t)) {
            self.stale(
                &["tags", tag],
                format!("no operation of the spec has the tag `{tag}`"),
                "the entry can go",
            );
        }
    }

    fn scopes(&mut self, doc: &mut Map<String, Value>, text: &BTreeMap<String, String>) {
        let mut used = BTreeSet::new();
        let mut missing = Vec::new();
        let schemes = doc
            .get_mut("components")
            .and_then(|c| c.get_mut("securitySchemes"))
            .and_then(Value::as_object_mut);
        for (name, scheme) in schemes.into_iter().flatten() {
            let flows = scheme.get_mut("flows").and_then(Value::as_object_mut);
            for (flow, f) in flows.into_iter().flatten() {
                let scopes = f.get_mut("scopes").and_then(Value::as_object_mut);
                for (scope, description) in scopes.into_iter().flatten() {
                    *description = match text.get(scope) {
                        Some(t) => {
                            used.insert(scope.clone());
                            json!(t)
                        }
                        None => {
                            let at = pointer([
                                "components",
                                "securitySchemes",
                                name,
                                "flows",
                                flow,
                                "scopes",
                            ]);
                            missing.push((at, scope.clone()));
                            json!(PLACEHOLDER)
                        }
                    };
                }
            }
        }
        for (at, scope) in missing {
            self.undescribed(&at, None, &[format!("the scope `{scope}`")], "text.scopes");
        }
        for scope in text.keys().filter(|s| !used.contains(*s)) {
            self.stale(
                &["scopes", scope],
                format!("no operation of the spec asks for the scope `{scope}`"),
                "the entry can go",
            );
        }
    }

    fn operations(&mut self, spec: &mut Value, text: &Text) {
        let slots: Vec<(String, String)> = operations(spec)
            .map(|(path, method, _)| (path.to_string(), method.to_string()))
            .collect();
        let mut used_ops = BTreeSet::new();
        let mut statuses = BTreeSet::new();
        let mut bodies = 0;
        // Header name → (responses without our words, where the first is).
        let mut headers_missing: BTreeMap<String, (usize, String)> = BTreeMap::new();
        let mut headers_used = BTreeSet::new();
        let none = OperationText::default();
        for (path, method) in slots {
            let at = operation_pointer(&path, &method);
            let Some(op) = spec.pointer_mut(&at[1..]).and_then(Value::as_object_mut) else {
                continue;
            };
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let ours = text.operations.get(&id);
            if ours.is_some() {
                used_ops.insert(id.clone());
            }
            let ours = ours.unwrap_or(&none);
            let mut missing = Vec::new();
            for (key, given) in [
                ("summary", &ours.summary),
                ("description", &ours.description),
            ] {
                let value = given.clone().unwrap_or_else(|| {
                    missing.push(format!("the {key}"));
                    PLACEHOLDER.to_string()
                });
                op.insert(key.into(), json!(value));
            }

            let mut params_seen = BTreeSet::new();
            let params = op.get_mut("parameters").and_then(Value::as_array_mut);
            // A `$ref` parameter is described where it is defined, not here.
            for param in params
                .into_iter()
                .flatten()
                .filter_map(Value::as_object_mut)
                .filter(|p| !p.contains_key("$ref"))
            {
                let name = param
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let value = ours.parameters.get(&name).cloned().unwrap_or_else(|| {
                    missing.push(format!("parameter `{name}`"));
                    PLACEHOLDER.to_string()
                });
                param.insert("description".into(), json!(value));
                params_seen.insert(name);
            }
            for name in ours.parameters.keys().filter(|n| !params_seen.contains(*n)) {
                self.stale(
                    &["operations", &id, "parameters", name],
                    format!(
                        "operation `{id}` has no parameter `{name}` (its parameters: {})",
                        listed(&params_seen)
                    ),
                    "upstream dropped or renamed the parameter: the entry can go",
                );
            }

            match op.get_mut("requestBody").and_then(Value::as_object_mut) {
                Some(body) if !body.contains_key("$ref") => {
                    bodies += 1;
                    let value = ours
                        .body
                        .clone()
                        .or_else(|| text.request_body.clone())
                        .unwrap_or_else(|| {
                            missing.push("the request body".into());
                            PLACEHOLDER.to_string()
                        });
                    body.insert("description".into(), json!(value));
                }
                Some(_) => {}
                None if ours.body.is_some() => self.stale(
                    &["operations", &id, "body"],
                    format!("operation `{id}` has no request body"),
                    "upstream dropped the body: the entry can go",
                ),
                None => {}
            }

            let mut own_statuses = BTreeSet::new();
            let responses = op.get_mut("responses").and_then(Value::as_object_mut);
            for (status, response) in responses.into_iter().flatten() {
                let Some(response) = response.as_object_mut().filter(|r| !r.contains_key("$ref"))
                else {
                    continue;
                };
                own_statuses.insert(status.clone());
                let value = match ours.responses.get(status) {
                    Some(t) => t.clone(),
                    None => {
                        statuses.insert(status.clone());
                        text.responses.get(status).cloned().unwrap_or_else(|| {
                            missing.push(format!("response {status}"));
                            PLACEHOLDER.to_string()
                        })
                    }
                };
                response.insert("description".into(), json!(value));
                let headers = response.get_mut("headers").and_then(Value::as_object_mut);
                for (name, header) in headers.into_iter().flatten() {
                    let Some(header) = header.as_object_mut().filter(|h| !h.contains_key("$ref"))
                    else {
                        continue;
                    };
                    let value = match text.headers.get(name) {
                        Some(t) => {
                            headers_used.insert(name.clone());
                            t.clone()
                        }
                        None => {
                            let first = pointer([
                                "paths",
                                &path,
                                &method,
                                "responses",
                                status,
                                "headers",
                                name,
                            ]);
                            headers_missing.entry(name.clone()).or_insert((0, first)).0 += 1;
                            PLACEHOLDER.to_string()
                        }
                    };
                    header.insert("description".into(), json!(value));
                }
            }
            for status in ours.responses.keys().filter(|s| !own_statuses.contains(*s)) {
                self.stale(
                    &["operations", &id, "responses", status],
                    format!(
                        "operation `{id}` has no response {status} (its responses: {})",
                        listed(&own_statuses)
                    ),
                    "the entry can go",
                );
            }
            let entry = format!("text.operations.{id}");
            self.undescribed(&at, Some(&id), &missing, &entry);
        }

        for id in text.operations.keys().filter(|i| !used_ops.contains(*i)) {
            self.stale(
                &["operations", id],
                format!("the spec has no operation `{id}`"),
                "upstream dropped or renamed the operation: the entry can go",
            );
        }
        for status in text.responses.keys().filter(|s| !statuses.contains(*s)) {
            self.stale(
                &["responses", status],
                format!("no response of the spec has the status {status} and no text of its own"),
                "the entry can go",
            );
        }
        if bodies == 0 && text.request_body.is_some() {
            self.stale(
                &["request-body"],
                "no operation of the spec has a request body".into(),
                "the entry can go",
            );
        }
        for (name, (count, first)) in headers_missing {
            self.out.placeholders += count;
            self.out.warnings.push(
                Diagnostic::warning(
                    format!("{}{first}", self.spec_label),
                    format!(
                        "no text of ours for the response header `{name}` (in {count} response{}); \"{PLACEHOLDER}\" written",
                        if count == 1 { "" } else { "s" }
                    ),
                )
                .hint(format!("describe it under `text.headers` in {}", self.label)),
            );
        }
        for name in text.headers.keys().filter(|h| !headers_used.contains(*h)) {
            self.stale(
                &["headers", name],
                format!("no response of the spec has the header `{name}`"),
                "the entry can go",
            );
        }
    }

    fn schemas(&mut self, spec: &mut Value, text: &BTreeMap<String, SchemaText>) {
        let mut used = BTreeSet::new();
        let none = SchemaText::default();
        let schemas = spec
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut);
        let mut found: Vec<(String, Vec<String>)> = Vec::new();
        let mut stale: Vec<(Vec<String>, String, &'static str)> = Vec::new();
        for (name, schema) in schemas.into_iter().flatten() {
            let Some(schema) = schema.as_object_mut() else {
                continue;
            };
            let ours = text.get(name);
            if ours.is_some() {
                used.insert(name.clone());
            }
            let ours = ours.unwrap_or(&none);
            let mut missing = Vec::new();
            if !schema.contains_key("$ref") {
                let value = ours.description.clone().unwrap_or_else(|| {
                    missing.push("the description".to_string());
                    PLACEHOLDER.to_string()
                });
                schema.insert("description".into(), json!(value));
            }
            let mut seen = BTreeSet::new();
            let properties = schema.get_mut("properties").and_then(Value::as_object_mut);
            for (property, s) in properties.into_iter().flatten() {
                seen.insert(property.clone());
                let Some(s) = s.as_object_mut() else { continue };
                if let Some(reference) = s.get("$ref").and_then(Value::as_str) {
                    if ours.properties.contains_key(property) {
                        stale.push((
                            vec![name.clone(), "properties".into(), property.clone()],
                            format!(
                                "property `{property}` of `{name}` is a `$ref` to `{reference}`; a description beside it is not read"
                            ),
                            "the entry can go; describe the schema it refers to",
                        ));
                    }
                    continue;
                }
                let value = ours.properties.get(property).cloned().unwrap_or_else(|| {
                    missing.push(format!("property `{property}`"));
                    PLACEHOLDER.to_string()
                });
                s.insert("description".into(), json!(value));
            }
            for property in ours.properties.keys().filter(|p| !seen.contains(*p)) {
                stale.push((
                    vec![name.clone(), "properties".into(), property.clone()],
                    format!(
                        "schema `{name}` has no property `{property}` (its properties: {})",
                        listed(&seen)
                    ),
                    "upstream dropped or renamed the property: the entry can go",
                ));
            }
            found.push((name.clone(), missing));
        }
        for (segments, message, hint) in stale {
            let mut all = vec!["schemas"];
            all.extend(segments.iter().map(String::as_str));
            self.stale(&all, message, hint);
        }
        for (name, missing) in found {
            let at = child("#/components/schemas", &name);
            self.undescribed(&at, None, &missing, &format!("text.schemas.{name}"));
        }
        for name in text.keys().filter(|n| !used.contains(*n)) {
            self.stale(
                &["schemas", name],
                format!("the spec has no schema `{name}`"),
                "upstream dropped or renamed the schema: the entry can go",
            );
        }
    }
}

fn listed(names: &BTreeSet<String>) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
