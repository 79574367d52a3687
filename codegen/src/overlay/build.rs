//! Upstream + overlay → the spec: import upstream's structure (no prose), add our operations
//! and schemas, select what we use, apply the fixes, then our words.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{Overlay, text};
use crate::diagnostics::{Diagnostic, Error, Severity, child};
use crate::import;
use crate::load::Format;
use crate::patches;
use crate::walk;

/// The built spec.
#[derive(Debug, Clone)]
pub struct Built {
    /// The document, as OpenAPI 3.0 JSON.
    pub value: Value,
    /// The file to write: a header saying how it was made, then the document as YAML.
    pub text: String,
    /// What to describe (placeholders were written), overlay entries upstream has made
    /// unnecessary, and upstream references that lead nowhere.
    pub warnings: Vec<Diagnostic>,
    /// Entries of our words (`text`, `falconpy-names`) for what the spec no longer has, as keys
    /// from the top of the overlay; each has a warning, and [`super::prune`] removes them.
    pub stale: Vec<Vec<String>>,
    pub stats: Stats,
}

/// What went into the built spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations taken from upstream.
    pub upstream_operations: usize,
    /// Operations and schemas the overlay adds (and upstream does not define).
    pub added_operations: usize,
    pub added_schemas: usize,
    /// Overlay additions upstream now defines itself.
    pub superseded: usize,
    pub fixes: usize,
    /// Schemas in the built spec.
    pub schemas: usize,
    /// Places that got the placeholder for want of our words.
    pub placeholders: usize,
}

/// Builds the spec from upstream's text (Swagger 2.0 or OpenAPI 3.0) and the overlay.
/// `upstream_name` goes into the header; `spec_label` names the built spec in warnings
/// (`spec/ioc.yaml`). A structural entry (import, addition, fix) that does not fit upstream is
/// an error; our words for what upstream no longer has are warnings (and [`Built::stale`]).
/// They are all reported at once.
pub fn build(
    upstream_text: &str,
    overlay: &Overlay,
    upstream_name: &str,
    spec_label: &str,
) -> Result<Built, Error> {
    let (mut doc, source) = import::read(upstream_text)?;
    import::strip_text(&mut doc);
    let label = overlay.label.as_str();
    let entry = |pointer: String| format!("{label}{pointer}");
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let mut stats = Stats::default();

    // What upstream has: operation ids and the (path, method) slot of each.
    let mut ids: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut tags: BTreeSet<String> = BTreeSet::new();
    for (path, method, op) in walk::operations(&doc) {
        if let Some(id) = walk::operation_id(op) {
            ids.insert(id.to_string(), (path.to_string(), method.to_string()));
        }
        let op_tags = op.get("tags").and_then(Value::as_array);
        tags.extend(
            op_tags
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string),
        );
    }
    let slots: BTreeMap<(String, String), String> = ids
        .iter()
        .map(|(id, slot)| (slot.clone(), id.clone()))
        .collect();

    let mut selection = overlay.selection.clone();
    for (i, tag) in selection.tags.iter().enumerate() {
        if !tags.contains(tag) {
            errors.push(
                Diagnostic::error(
                    entry(format!("#/import/tags/{i}")),
                    format!("no upstream operation has the tag `{tag}`"),
                )
                .hint("drop the tag, or check its spelling against upstream's"),
            );
        }
    }
    for (i, id) in selection.operations.iter().enumerate() {
        if !ids.contains_key(id) {
            errors.push(
                Diagnostic::error(
                    entry(format!("#/import/operations/{i}")),
                    format!("upstream has no operation `{id}`"),
                )
                .hint("drop the id, or find what upstream calls it now"),
            );
        }
    }

    // Reported above; what is left is selected.
    selection.tags.retain(|t| tags.contains(t));
    selection.operations.retain(|id| ids.contains_key(id));

    // Our operations, unless upstream has them now: then upstream's wins.
    let mut added: Vec<(usize, &super::AddedOperation)> = Vec::new();
    for (i, op) in overlay.operations.iter().enumerate() {
        let at = entry(format!("#/add-operations/{i}"));
        let method = op.method.to_uppercase();
        let taken = ids
            .get(&op.id)
            .map(|(path, m)| (op.id.clone(), path.clone(), m.to_uppercase()))
            .or_else(|| {
                slots
                    .get(&(op.path.clone(), op.method.clone()))
                    .map(|other| (other.clone(), op.path.clone(), method.clone()))
            });
        if let Some((upstream_id, path, m)) = taken {
            stats.superseded += 1;
            let message = if upstream_id == op.id {
                format!(
                    "upstream now defines `{}` ({m} {path}); upstream's definition wins and this entry is not used",
                    op.id
                )
            } else {
                format!(
                    "upstream now has {m} {path} as `{upstream_id}`; upstream's operation wins and `{}` is left out of the spec",
                    op.id
                )
            };
            warnings.push(
                Diagnostic::warning(at, message)
                    .in_operation(Some(&op.id))
                    .hint(format!(
                        "remove the entry; text under `text.operations.{upstream_id}` describes upstream's operation"
                    )),
            );
            if !selection.operations.contains(&upstream_id) {
                selection.operations.push(upstream_id);
            }
            continue;
        }
        let mut definition = op.operation.clone();
        if let Some(m) = definition.as_object_mut() {
            m.insert("operationId".into(), json!(op.id));
        }
        let item = doc
            .as_object_mut()
            .map(|d| d.entry("paths").or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut)
            .map(|paths| paths.entry(op.path.clone()).or_insert_with(|| json!({})));
        if let Some(Value::Object(item)) = item {
            item.insert(op.method.clone(), definition);
        }
        selection.operations.push(op.id.clone());
        added.push((i, op));
    }

    // Our schemas, unless upstream defines them now.
    let mut added_schemas: Vec<(usize, &super::AddedSchema)> = Vec::new();
    for (i, s) in overlay.schemas.iter().enumerate() {
        let schemas = doc
            .as_object_mut()
            .map(|d| d.entry("components").or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut)
            .map(|c| c.entry("schemas").or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut);
        let Some(schemas) = schemas else { continue };
        if schemas.contains_key(&s.name) {
            stats.superseded += 1;
            warnings.push(
                Diagnostic::warning(
                    entry(format!("#/add-schemas/{i}")),
                    format!(
                        "upstream now defines the schema `{}`; upstream's definition wins and this entry is not used",
                        s.name
                    ),
                )
                .hint("remove the entry"),
            );
            continue;
        }
        schemas.insert(s.name.clone(), s.schema.clone());
        added_schemas.push((i, s));
    }

    // What we add may refer to upstream's components and ours, and to nothing else.
    let mut refs = Vec::new();
    for (i, op) in &added {
        let at = format!("#/add-operations/{i}/operation");
        import::collect_refs(&op.operation, &at, &mut refs);
    }
    for (i, s) in &added_schemas {
        import::collect_refs(&s.schema, &format!("#/add-schemas/{i}/schema"), &mut refs);
    }
    for (reference, at) in refs {
        let found = reference
            .strip_prefix('#')
            .is_some_and(|p| doc.pointer(p).is_some());
        if !found {
            errors.push(
                Diagnostic::error(
                    entry(at),
                    format!("`{reference}` is defined neither upstream nor under `add-schemas`"),
                )
                .hint("add the schema under `add-schemas`, or refer to what upstream calls it now"),
            );
        }
    }

    let subset = match import::select(&doc, &selection, &source) {
        Ok(subset) => subset,
        Err(e) => {
            if errors.is_empty() {
                errors.extend(e.diagnostics);
            }
            return Err(finish(errors, warnings));
        }
    };
    // Dangling references of our additions are errors above; upstream's stay warnings.
    let ours: Vec<String> = added
        .iter()
        .map(|(_, op)| walk::operation_pointer(&op.path, &op.method))
        .chain(added_schemas.iter().flat_map(|(_, s)| {
            [
                child("#/components/schemas", &s.name),
                child("#/definitions", &s.name),
            ]
        }))
        .collect();
    warnings.extend(subset.warnings.into_iter().filter(|w| {
        !ours.iter().any(|p| {
            w.pointer.starts_with(p.as_str())
                && matches!(w.pointer.as_bytes().get(p.len()), None | Some(b'/'))
        })
    }));
    let mut spec = subset.value;
    stats.upstream_operations = subset.operations.saturating_sub(added.len());
    stats.added_operations = added.len();
    stats.added_schemas = added_schemas.len();

    let mut fix_errors = Vec::new();
    for (i, fix) in overlay.fixes.iter().enumerate() {
        match patches::apply_entry(&mut spec, &fix.patch, Format::OpenApi3) {
            Ok(()) => stats.fixes += 1,
            Err(message) => fix_errors.push(
                Diagnostic::error(entry(format!("#/fixes/{i}")), message).hint(format!(
                    "upstream moved under the fix ({}): update or drop it",
                    fix.reason
                )),
            ),
        }
    }
    // A fix may refer to a schema we add (a value set the spec lacks): it comes in now.
    include_referenced(&mut spec, &added_schemas);
    for (i, s) in &added_schemas {
        if spec
            .pointer(&format!("/components/schemas/{}", walk::escape(&s.name)))
            .is_none()
        {
            errors.push(
                Diagnostic::error(
                    entry(format!("#/add-schemas/{i}")),
                    format!("no operation of the spec refers to `{}`", s.name),
                )
                .hint("remove the entry, or refer to the schema from the operation or fix that needs it"),
            );
        }
    }
    errors.extend(fix_errors);

    // A name is our words too: one for an operation upstream dropped warns, like text.
    let mut stale = Vec::new();
    for (id, name) in &overlay.falconpy_names {
        let found = walk::operations_mut(&mut spec).find(|op| walk::operation_id(op) == Some(id));
        match found {
            Some(op) => {
                op.insert("x-falconpy-name".into(), json!(name));
            }
            None => {
                let keys = vec!["falconpy-names".to_string(), id.clone()];
                warnings.push(
                    Diagnostic::warning(
                        entry(crate::diagnostics::pointer(&keys)),
                        format!("the spec has no operation `{id}`"),
                    )
                    .hint("upstream dropped or renamed the operation: the entry can go, or key it by the id upstream uses now"),
                );
                stale.push(keys);
            }
        }
    }

    let described = text::apply(&mut spec, &overlay.text, label, spec_label);
    // What in our file can go, then what in the spec needs our words.
    for (keys, warning) in described.stale {
        stale.push(keys);
        warnings.push(warning);
    }
    warnings.extend(described.warnings);
    stats.placeholders = described.placeholders;
    stats.schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map_or(0, Map::len);

    if errors.iter().any(|d| d.severity == Severity::Error) {
        return Err(finish(errors, warnings));
    }
    let yaml = crate::write::to_yaml(&spec)?;
    let text = format!(
        "# Built by `cargo xtask spec update` from {upstream_name} and {label}; do not edit.\n\
         # Change {label} (or take a newer upstream file) and run the update again: docs/maintaining.md.\n\
         {yaml}"
    );
    Ok(Built {
        value: spec,
        text,
        warnings,
        stale,
        stats,
    })
}

/// Adds each schema of `added` that `spec` refers to and lacks (the selection only kept what
/// operations reached before the fixes), until nothing more is missing.
fn include_referenced(spec: &mut Value, added: &[(usize, &super::AddedSchema)]) {
    loop {
        let mut refs = Vec::new();
        import::collect_refs(spec, "#", &mut refs);
        let Some(schemas) = spec
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        let missing: Vec<&super::AddedSchema> = added
            .iter()
            .map(|(_, s)| *s)
            .filter(|s| !schemas.contains_key(&s.name))
            .filter(|s| {
                let target = crate::diagnostics::child("#/components/schemas", &s.name);
                refs.iter().any(|(r, _)| *r == target)
            })
            .collect();
        if missing.is_empty() {
            return;
        }
        for s in missing {
            schemas.insert(s.name.clone(), s.schema.clone());
        }
        // Keep the section sorted as the selection writes it.
        let sorted: Map<String, Value> = std::mem::take(schemas)
            .into_iter()
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect();
        *schemas = sorted;
    }
}

fn finish(errors: Vec<Diagnostic>, warnings: Vec<Diagnostic>) -> Error {
    let mut all = errors;
    all.extend(warnings);
    Error {
        diagnostics: crate::diagnostics::errors_first(all),
    }
}
