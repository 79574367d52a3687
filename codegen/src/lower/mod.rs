//! Lowering: a parsed OpenAPI 3.0 document → the intermediate form, with every name resolved
//! and every clash reported.

mod operations;
mod schemas;

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Error, Severity};
use crate::ir::{Api, Operation};

/// Methods the generated `Client` has of its own; no operation may take these names.
const CLIENT_METHODS: &[&str] = &[
    "builder",
    "command",
    "command_override",
    "runtime",
    "from_env",
];

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
    let mut diagnostics = std::mem::take(&mut ops.diagnostics);
    let (models, schema_diagnostics) = schemas.finish();
    diagnostics.extend(schema_diagnostics);
    diagnostics.extend(check_operation_names(&operations));

    let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        return Err(Error { diagnostics: all });
    }
    let api = Api {
        title: doc.info.title.clone(),
        operations,
        models,
    };
    Ok((api, warnings))
}

/// Two operations that would get the same method, alias, builder, table row or `command()` id
/// are an error naming both; so is an operation that would take one of the client's own names.
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
            if kind == "client method" && CLIENT_METHODS.contains(&name.as_str()) {
                diagnostics.push(
                    Diagnostic::error(&op.pointer, format!("operation `{}` would become the client method `{name}`, which the client already has", op.id))
                        .in_operation(Some(&op.id))
                        .hint("rename the operation id"),
                );
                continue;
            }
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
                .hint("rename one of the operation ids"),
            );
        }
    }
    diagnostics
}
