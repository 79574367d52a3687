//! The overlay: everything of `spec/ioc.yaml` that is ours, in one committed file
//! (`spec/overlay.yaml`), so that the spec itself is built (`cargo xtask spec update UPSTREAM`)
//! from CrowdStrike's file plus this one, never edited by hand.
//!
//! ```yaml
//! import:                       # what to take from upstream
//!   tags: [ioc, iocs]
//!   operations: [entities.processes]
//! anchors: ...                  # YAML anchors for the sections below; not applied itself
//! add-operations:               # operations upstream lacks
//!   - id: GetIOC
//!     method: get
//!     path: /indicators/entities/iocs/v1
//!     reason: FalconPy 1.6.6 has it; the upstream spec does not
//!     operation: {tags: [iocs], parameters: [...], responses: {...}}   # structure only
//! add-schemas:                  # schemas upstream lacks
//!   - {name: api.SdmfQueryRequest, reason: ..., schema: {...}}
//! fixes:                        # patches (crate::patches) on the built spec, `expect` required
//!   - {op: set, at: '#/security', expect: [{OAuth2: []}], value: [{oauth2: []}], reason: ...}
//! falconpy-names:               # FalconPy's method name of an operation, by operation id
//!   indicator_get_device_count_v1: devices_count   # → `x-falconpy-name` on the operation
//! text:                         # our words; upstream's are never used
//!   info: {title: ..., description: ...}
//!   servers: {URL: ...}
//!   tags: {TAG: ...}
//!   scopes: {SCOPE: ...}
//!   headers: {HEADER: ...}      # every response header of that name
//!   responses: {'200': ...}     # every response of that status, unless the operation says
//!   request-body: ...           # every request body, unless the operation says
//!   operations:
//!     ID: {summary: ..., description: ..., parameters: {NAME: ...}, body: ..., responses: {...}}
//!   schemas:
//!     NAME: {description: ..., properties: {NAME: ...}}
//! ```
//!
//! Every structural entry (`add-operations`, `add-schemas`, `fixes`) carries a one-line
//! `reason`; text needs none, its reason is the rule that upstream's prose stays out.
//! Structure entries hold no prose: text goes under `text`, keyed by operation id, schema and
//! property name, so it still applies when upstream takes over an operation we added.
//!
//! Every structural entry must find its target: an imported tag or operation upstream lacks,
//! a fix whose target is gone or is not what it `expect`s, an added schema nothing refers to,
//! an added operation referring to a schema nobody defines — each is an error naming the entry
//! and what it expected. Our words for what the built spec does not have (text for an
//! operation, parameter, body, response, schema, property, header, status, scope, tag or
//! server; a `falconpy-names` entry for an operation) are warnings at the entry, naming what
//! upstream dropped: the update goes through, reports the removal, and [`prune`] can take the
//! entries out of the file. When upstream starts to define an operation or schema we add,
//! upstream's wins and the entry is reported as no longer needed. Whatever the built spec must describe and the
//! overlay does not gets [`crate::import::PLACEHOLDER`] and a warning naming what to describe.

mod build;
mod prune;
mod text;

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

pub use build::{Built, Stats, build};
pub use prune::{Pruned, prune};

use crate::diagnostics::{Diagnostic, Error};
use crate::import::Selection;
use crate::patches::{self, Patch};

/// A parsed overlay file.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// How the file is named in diagnostics (`spec/overlay.yaml`).
    pub label: String,
    pub selection: Selection,
    pub operations: Vec<AddedOperation>,
    pub schemas: Vec<AddedSchema>,
    pub fixes: Vec<Fix>,
    /// FalconPy's method name of each operation, by operation id (`x-falconpy-name`).
    pub falconpy_names: BTreeMap<String, String>,
    pub text: Text,
}

/// An operation upstream lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct AddedOperation {
    pub id: String,
    /// Lower case, as OpenAPI writes it (`get`).
    pub method: String,
    pub path: String,
    pub reason: String,
    /// The OpenAPI operation object, without `operationId` and without prose.
    pub operation: Value,
}

/// A schema upstream lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct AddedSchema {
    pub name: String,
    pub reason: String,
    pub schema: Value,
}

/// A patch on the built spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub patch: Patch,
    pub reason: String,
}

/// Our words, by what they describe.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Text {
    pub info: InfoText,
    #[serde(default)]
    pub servers: BTreeMap<String, String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub scopes: BTreeMap<String, String>,
    /// Response headers, by name, wherever they appear.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Responses, by status, unless the operation has its own.
    #[serde(default)]
    pub responses: BTreeMap<String, String>,
    /// Every request body, unless the operation has its own.
    #[serde(default)]
    pub request_body: Option<String>,
    #[serde(default)]
    pub operations: BTreeMap<String, OperationText>,
    #[serde(default)]
    pub schemas: BTreeMap<String, SchemaText>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InfoText {
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationText {
    pub summary: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    pub body: Option<String>,
    #[serde(default)]
    pub responses: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaText {
    pub description: Option<String>,
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

/// The file as written; checked and turned into an [`Overlay`] by [`Overlay::parse`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    import: ImportFile,
    /// Only a place for YAML anchors (`&name`) the other sections refer to (`*name`).
    #[serde(default, rename = "anchors")]
    _anchors: serde::de::IgnoredAny,
    #[serde(default)]
    add_operations: Vec<AddedOperationFile>,
    #[serde(default)]
    add_schemas: Vec<AddedSchemaFile>,
    #[serde(default)]
    fixes: Vec<Value>,
    #[serde(default)]
    falconpy_names: BTreeMap<String, String>,
    text: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportFile {
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    operations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddedOperationFile {
    id: String,
    method: String,
    path: String,
    reason: String,
    operation: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddedSchemaFile {
    name: String,
    reason: String,
    schema: Value,
}

impl Overlay {
    /// Reads an overlay file. `label` names it in diagnostics.
    pub fn parse(text: &str, label: &str) -> Result<Overlay, Error> {
        let at = |pointer: &str| format!("{label}{pointer}");
        let value: Value = crate::yaml::from_str(text).map_err(|e| {
            Error::single(
                Diagnostic::error(at("#"), format!("the overlay is not valid YAML: {e}"))
                    .hint("fix the syntax at that position"),
            )
        })?;
        let file: File = serde_path_to_error::deserialize(&value).map_err(|e| {
            Error::single(
                Diagnostic::error(
                    at(&crate::walk::error_pointer(e.path())),
                    format!("not a valid overlay entry: {}", e.inner()),
                )
                .hint("see docs/maintaining.md for the overlay's sections"),
            )
        })?;

        let mut errors = Vec::new();
        let mut error = |pointer: String, message: String, hint: &str| {
            errors.push(Diagnostic::error(at(&pointer), message).hint(hint));
        };
        let mut ids = BTreeMap::new();
        let mut operations = Vec::new();
        for (i, op) in file.add_operations.into_iter().enumerate() {
            let pointer = format!("#/add-operations/{i}");
            if let Some(message) = reason_problem(&op.reason) {
                error(pointer.clone(), message, "say in one line why we add it");
            }
            if !crate::walk::is_method(&op.method) {
                error(
                    format!("{pointer}/method"),
                    format!("`{}` is not an HTTP method", op.method),
                    "write the method in lower case: get, put, post, delete, patch, ...",
                );
            }
            if !op.path.starts_with('/') {
                error(
                    format!("{pointer}/path"),
                    format!("the path `{}` does not start with `/`", op.path),
                    "write the path as upstream does: /iocs/entities/indicators/v1",
                );
            }
            if let Some(first) = ids.insert(op.id.clone(), i) {
                error(
                    format!("{pointer}/id"),
                    format!("`{}` is added twice (also #/add-operations/{first})", op.id),
                    "keep one of the two",
                );
            }
            match op.operation.as_object() {
                None => error(
                    format!("{pointer}/operation"),
                    "the operation is not a mapping".into(),
                    "write the OpenAPI operation object: tags, parameters, responses, ...",
                ),
                Some(m) if m.contains_key("operationId") => error(
                    format!("{pointer}/operation/operationId"),
                    "the id is written twice".into(),
                    "leave `operationId` out: the entry's `id` is the operation id",
                ),
                Some(m) if !m.contains_key("responses") => error(
                    format!("{pointer}/operation"),
                    "the operation has no `responses`".into(),
                    "give at least the success response",
                ),
                Some(_) => {}
            }
            if let Some(prose) = prose_in(&op.operation) {
                error(
                    format!("{pointer}/operation{prose}"),
                    "an added operation holds no text".into(),
                    &format!(
                        "move it under `text.operations.{}` (summary, description, parameters, body, responses)",
                        op.id
                    ),
                );
            }
            operations.push(AddedOperation {
                id: op.id,
                method: op.method,
                path: op.path,
                reason: op.reason,
                operation: op.operation,
            });
        }
        let mut names = BTreeMap::new();
        let mut schemas = Vec::new();
        for (i, s) in file.add_schemas.into_iter().enumerate() {
            let pointer = format!("#/add-schemas/{i}");
            if let Some(message) = reason_problem(&s.reason) {
                error(pointer.clone(), message, "say in one line why we add it");
            }
            if let Some(first) = names.insert(s.name.clone(), i) {
                error(
                    format!("{pointer}/name"),
                    format!("`{}` is added twice (also #/add-schemas/{first})", s.name),
                    "keep one of the two",
                );
            }
            if let Some(prose) = prose_in(&s.schema) {
                error(
                    format!("{pointer}/schema{prose}"),
                    "an added schema holds no text".into(),
                    &format!(
                        "move it under `text.schemas.{}` (description, properties)",
                        s.name
                    ),
                );
            }
            schemas.push(AddedSchema {
                name: s.name,
                reason: s.reason,
                schema: s.schema,
            });
        }
        let mut fixes = Vec::new();
        for (i, f) in file.fixes.iter().enumerate() {
            match patches::parse_entry(f, true) {
                Ok((patch, reason)) => fixes.push(Fix { patch, reason }),
                Err((message, hint)) => error(format!("#/fixes/{i}"), message, hint),
            }
        }
        let mut python_names: BTreeMap<&str, &str> = BTreeMap::new();
        for (id, name) in &file.falconpy_names {
            let pointer = crate::diagnostics::pointer(["falconpy-names", id]);
            if !crate::names::is_identifier(name) {
                error(
                    pointer.clone(),
                    format!("`{name}` is not a method name"),
                    "write FalconPy's method name as it is spelled (`devices_count`)",
                );
            }
            if let Some(first) = python_names.insert(name, id) {
                error(
                    pointer,
                    format!("`{name}` is also the name of `{first}`"),
                    "FalconPy names each operation differently: check both entries",
                );
            }
        }
        if file.import.tags.is_empty() && file.import.operations.is_empty() {
            error(
                "#/import".into(),
                "nothing is imported".into(),
                "name upstream's tags (`tags: [ioc, iocs]`) or operation ids",
            );
        }
        if !errors.is_empty() {
            return Err(Error {
                diagnostics: errors,
            });
        }
        Ok(Overlay {
            label: label.to_string(),
            selection: Selection {
                tags: file.import.tags,
                operations: file.import.operations,
            },
            operations,
            schemas,
            fixes,
            falconpy_names: file.falconpy_names,
            text: file.text,
        })
    }
}

fn reason_problem(reason: &str) -> Option<String> {
    if reason.trim().is_empty() {
        Some("the entry has no `reason`".into())
    } else if reason.contains('\n') {
        Some("the reason spans several lines".into())
    } else {
        None
    }
}

/// Where `value` (an operation or a schema) holds prose, as a pointer below it.
fn prose_in(value: &Value) -> Option<String> {
    let mut stripped = value.clone();
    crate::import::drop_prose(&mut stripped);
    first_difference(value, &stripped, String::new())
}

fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.iter().find_map(|(k, v)| match y.get(k) {
            None => Some(crate::diagnostics::child(&at, k)),
            Some(w) => first_difference(v, w, crate::diagnostics::child(&at, k)),
        }),
        (Value::Array(x), Value::Array(y)) => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, format!("{at}/{i}"))),
        _ => None,
    }
}
