//! Lowering: a parsed OpenAPI 3.0 document → the intermediate form, with every name resolved
//! and every clash reported.

mod bodies;
pub(crate) mod consts;
mod operations;
mod params;
mod schemas;
mod unions;

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Error, Severity};
use crate::ir::{Api, Operation};
use crate::names;

/// Lowers a document. Returns the API and its warnings, or every error found.
pub fn lower(doc: &openapiv3::OpenAPI) -> Result<(Api, Vec<Diagnostic>), Error> {
    let empty = indexmap::IndexMap::new();
    let components = doc.components.as_ref();
    let mut schemas = schemas::Schemas::new(components.map(|c| &c.schemas).unwrap_or(&empty));
    schemas.lower_components();
    let mut ops = operations::Operations {
        components,
        schemas: &mut schemas,
        diagnostics: Vec::new(),
    };
    let mut operations = Vec::new();
    for (path, item) in &doc.paths.paths {
        operations.extend(ops.lower_path(path, item));
    }
    // Path, then method (GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH, TRACE): stated here
    // rather than inherited from how the document's maps happen to iterate.
    operations.sort_by(|a, b| (&a.path, a.http_method).cmp(&(&b.path, b.http_method)));
    let mut diagnostics = std::mem::take(&mut ops.diagnostics);
    let (models, schema_diagnostics) = schemas.finish();
    diagnostics.extend(schema_diagnostics);
    let duplicates = check_duplicate_ids(&operations);
    let checked = !duplicates.is_empty();
    diagnostics.extend(duplicates);
    if !checked {
        diagnostics.extend(disambiguate(&mut operations));
        diagnostics.extend(check_operation_names(&operations));
    }

    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error {
            diagnostics: crate::diagnostics::errors_first(diagnostics),
        });
    }
    let api = Api {
        title: doc.info.title.clone(),
        operations,
        models,
    };
    Ok((api, diagnostics))
}

/// An operation id used twice is an error naming both places. (The name checks are skipped
/// then: every name of the two would clash, and the one message says it all.)
fn check_duplicate_ids(operations: &[Operation]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, &Operation> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for op in operations {
        if let Some(other) = first.get(op.id.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    &op.pointer,
                    format!(
                        "operation id `{}` is used twice (first at {})",
                        op.id, other.pointer
                    ),
                )
                .in_operation(Some(&op.id))
                .hint("operation ids must be unique; rename one of them"),
            );
        } else {
            first.insert(&op.id, op);
        }
    }
    diagnostics
}

/// The collision rule. When the ids of several operations give the same method name once
/// converted to snake_case (`QueryRules` and `query-rules` → `query_rules`), each of them is
/// named after its id followed by the first segment of its path: `query-rules` at
/// `/fwmgr/queries/rules/v1` becomes `query_rules_fwmgr` (builder `QueryRulesFwmgr`, table row
/// `QUERY_RULES_FWMGR`), `QueryRules` at `/ti/rules/queries/rules/v2` becomes `query_rules_ti`.
/// Ids themselves are kept: `command()` and the PascalCase alias still use them. Each renaming
/// is a warning. When the first path segments are the same too, nothing is renamed and the
/// name check reports the clash as an error; a `rename-operation` patch settles it.
fn disambiguate(operations: &mut [Operation]) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, op) in operations.iter().enumerate() {
        groups.entry(op.method_name.clone()).or_default().push(i);
    }
    let mut diagnostics = Vec::new();
    for (method, members) in groups {
        if members.len() < 2 {
            continue;
        }
        let segments: Vec<String> = members
            .iter()
            .map(|&i| first_segment(&operations[i].path))
            .collect();
        let distinct: std::collections::BTreeSet<&String> = segments.iter().collect();
        if distinct.len() != segments.len() || segments.iter().any(String::is_empty) {
            continue;
        }
        let ids: Vec<String> = members
            .iter()
            .map(|&i| format!("`{}`", operations[i].id))
            .collect();
        for (&i, segment) in members.iter().zip(&segments) {
            let op = &mut operations[i];
            let qualified = format!("{}.{segment}", op.id);
            op.method_name = names::method(&qualified);
            op.builder_name = names::builder(&qualified);
            op.table_name = names::shouty(&qualified);
            diagnostics.push(
                Diagnostic::warning(
                    &op.pointer,
                    format!(
                        "operation ids {} all become the method `{method}`; by the collision rule (id + first path segment) `{}` becomes `{}`",
                        ids.join(", "),
                        op.id,
                        op.method_name
                    ),
                )
                .in_operation(Some(&op.id))
                .hint("rename one of the operation ids (a `rename-operation` patch) to choose the names yourself"),
            );
        }
    }
    diagnostics
}

/// The first literal segment of a path, as a name part (`/fwmgr/queries/rules/v1` → `fwmgr`).
fn first_segment(path: &str) -> String {
    path.split('/')
        .find(|s| !s.is_empty())
        .map(|s| names::snake(s.trim_matches(|c| c == '{' || c == '}')))
        .filter(|s| s != "empty")
        .unwrap_or_default()
}

/// Two operations that would get the same method, alias, builder, table row or `command()` id
/// are an error naming both.
fn check_operation_names(operations: &[Operation]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut taken: BTreeMap<(&str, String), &Operation> = BTreeMap::new();
    for op in operations {
        let mut claims: Vec<(&str, String)> = vec![
            ("client method", op.method_name.clone()),
            ("builder type", op.builder_name.clone()),
            ("table row", op.table_name.clone()),
        ];
        claims.extend(op.alias.iter().map(|a| ("client method", a.clone())));
        claims.extend(op.command_ids.iter().map(|c| ("command() id", c.clone())));
        claims.sort();
        claims.dedup();
        // Clashes of this operation, grouped by the operation it clashes with.
        let mut clashes: BTreeMap<&str, (&Operation, Vec<String>)> = BTreeMap::new();
        for (kind, name) in claims {
            match taken.get(&(kind, name.clone())) {
                Some(other) => clashes
                    .entry(other.id.as_str())
                    .or_insert_with(|| (*other, Vec::new()))
                    .1
                    .push(format!("{kind} `{name}`")),
                None => {
                    taken.insert((kind, name), op);
                }
            }
        }
        for (other, names) in clashes.into_values() {
            diagnostics.push(
                Diagnostic::error(
                    &op.pointer,
                    format!(
                        "operations `{}` (at {}) and `{}` would both get the {}",
                        other.id,
                        other.pointer,
                        op.id,
                        names.join(", ")
                    ),
                )
                .in_operation(Some(&op.id))
                .hint("rename one of the operation ids (a `rename-operation` patch does it without editing the spec)"),
            );
        }
    }
    diagnostics
}
