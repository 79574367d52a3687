//! Paths → operations: every name of each operation, its success response and how it pages.
//! Its parameters are read in `params.rs`, its request body in `bodies.rs`.

use openapiv3::{Components, PathItem, ReferenceOr, Response, Schema, StatusCode};

use crate::diagnostics::{Diagnostic, child};
use crate::ir::{Location, Method, Operation, Paging, Param, Success};
use crate::lower::bodies::{LoweredBody, is_json};
use crate::lower::schemas::Schemas;
use crate::names;

pub(crate) struct Operations<'a, 's> {
    pub(crate) components: Option<&'a Components>,
    pub(crate) schemas: &'s mut Schemas<'a>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// The id of an operation that has no `operationId` (optional in OpenAPI): its method, then
/// each segment of its path, a template `{x}` as `by_x`, joined by `_` and in snake_case
/// (`GET /pets/{petId}/photos` → `get_pets_by_pet_id_photos`; `GET /` → `get_root`). From the
/// spec alone, so the same spec always gives the same name; one that clashes with another
/// operation's id is reported as a duplicate id.
pub(crate) fn derived_id(method: &str, path: &str) -> String {
    let mut parts = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(template) => parts.push(format!("by_{template}")),
            None => parts.push(segment.to_string()),
        }
    }
    if parts.len() == 1 {
        parts.push("root".into());
    }
    names::snake(&parts.join("_"))
}

impl<'a> Operations<'a, '_> {
    pub(crate) fn lower_path(
        &mut self,
        path: &str,
        item: &'a ReferenceOr<PathItem>,
    ) -> Vec<Operation> {
        let pointer = child("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                self.diagnostics.push(
                    Diagnostic::error(
                        &pointer,
                        format!("path item is a reference (`{reference}`), which is not supported"),
                    )
                    .hint("inline the path item"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (method, op) in item.iter() {
            let op_pointer = child(&pointer, method);
            let Some(http_method) = Method::from_name(method) else {
                continue;
            };
            let id = match op.operation_id.clone() {
                Some(id) => id,
                None => {
                    let id = derived_id(method, path);
                    self.diagnostics.push(
                        Diagnostic::warning(
                            &op_pointer,
                            format!(
                                "operation has no `operationId`; it is named `{id}` after its method and path"
                            ),
                        )
                        .in_operation(Some(&id))
                        .hint("add an `operationId` to choose the name (the client's method, builder and `command()` id follow it)"),
                    );
                    id
                }
            };
            let builder_name = names::builder(&id);
            let mut params = self.lower_params(
                &item.parameters,
                &op.parameters,
                &pointer,
                &op_pointer,
                &id,
                &builder_name,
            );
            let body = match op.request_body.as_ref() {
                Some(b) => match self.lower_body(
                    b,
                    &builder_name,
                    &child(&op_pointer, "requestBody"),
                    &id,
                    http_method,
                ) {
                    LoweredBody::Json(body) | LoweredBody::Raw(body) => Some(body),
                    LoweredBody::Form(fields) => {
                        params.extend(fields);
                        None
                    }
                    LoweredBody::Unsupported => None,
                },
                None => None,
            };
            // Every parameter is named here, once: the name calls give it by the location rule
            // (a query `path` beside a path `path` is `query_path`), its setter from that by the
            // collision rule (parameters whose setters would clash, `X-Trace` and `x_trace`, are
            // told apart); what still clashes is an error.
            let located: Vec<(&str, Location)> = params
                .iter()
                .map(|p| (p.name.as_str(), p.location))
                .collect();
            let args = names::located(&located);
            let spellings: Vec<&str> = args.iter().map(String::as_str).collect();
            let setters = names::distinct(&spellings, names::Style::Setter);
            for ((p, setter), arg) in params.iter_mut().zip(setters).zip(args.iter()) {
                p.rust_name = setter;
                p.arg = arg.clone();
            }
            self.check_setters(&params, &op_pointer, &id);
            let success = self.lower_success(
                &op.responses.responses,
                &builder_name,
                &child(&op_pointer, "responses"),
                &id,
            );
            let paging = paging(&params);
            let mut command_ids = vec![id.clone()];
            let underscored = id.replace('.', "_");
            if underscored != id {
                command_ids.push(underscored);
            }
            out.push(Operation {
                method_name: names::method(&id),
                alias: names::is_pascal_id(&id).then(|| id.clone()),
                builder_name,
                table_name: names::shouty(&id),
                command_ids,
                http_method,
                path: path.to_string(),
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                tags: op.tags.clone(),
                params,
                body,
                success,
                paging,
                falconpy_name: self.falconpy_name(op, &op_pointer, &id),
                pointer: op_pointer,
                id,
            });
        }
        out
    }

    /// `x-falconpy-name`: the name of the operation's method in FalconPy, for a doc alias.
    fn falconpy_name(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        id: &str,
    ) -> Option<String> {
        let value = op.extensions.get("x-falconpy-name")?;
        match value.as_str() {
            Some(name) if names::is_identifier(name) => Some(name.to_string()),
            _ => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        child(pointer, "x-falconpy-name"),
                        format!(
                            "`x-falconpy-name` is {value}, not a Python method name; it is left out"
                        ),
                    )
                    .in_operation(Some(id))
                    .hint("give FalconPy's method name as written (`devices_count`)"),
                );
                None
            }
        }
    }

    pub(crate) fn resolve_schema(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
        id: &str,
    ) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => {
                // Through chains of references (`A: {$ref: B}`).
                let found = self
                    .components
                    .and_then(|c| crate::lower::unions::resolve(&c.schemas, schema));
                match found {
                    Some((s, _)) => Some(s),
                    None => {
                        self.diagnostics.push(
                            Diagnostic::error(
                                pointer,
                                format!("`$ref: {reference}` does not resolve to a schema"),
                            )
                            .in_operation(Some(id))
                            .hint("define it under #/components/schemas or fix the reference"),
                        );
                        None
                    }
                }
            }
        }
    }

    fn lower_success(
        &mut self,
        responses: &'a indexmap::IndexMap<StatusCode, ReferenceOr<Response>>,
        builder_name: &str,
        pointer: &str,
        id: &str,
    ) -> Success {
        let success = responses
            .iter()
            .filter_map(|(code, r)| match code {
                StatusCode::Code(c) if (200..300).contains(c) => Some((*c, r)),
                _ => None,
            })
            .min_by_key(|(c, _)| *c);
        let Some((status, response)) = success else {
            return Success {
                status: 200,
                ty: None,
            };
        };
        let response_pointer = child(pointer, status.to_string());
        let response = match response {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { reference } => {
                match reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| self.components?.responses.get(name))
                {
                    Some(ReferenceOr::Item(r)) => r,
                    _ => {
                        self.diagnostics.push(
                            Diagnostic::warning(&response_pointer, format!("`$ref: {reference}` does not resolve to a response; the body is kept as raw JSON"))
                                .in_operation(Some(id))
                                .hint("define it under #/components/responses or fix the reference"),
                        );
                        return Success { status, ty: None };
                    }
                }
            }
        };
        let ty = response
            .content
            .iter()
            .find(|(m, _)| is_json(m))
            .and_then(|(media, c)| {
                c.schema.as_ref().map(|s| {
                    let p = child(
                        &child(&child(&response_pointer, "content"), media),
                        "schema",
                    );
                    self.schemas
                        .type_of_unboxed(&format!("{builder_name}Response"), s, &p)
                })
            });
        Success { status, ty }
    }
}

/// How an operation pages, the one place this is decided: an `after` query parameter means
/// token paging; `offset` with `limit` means offset paging; anything else is one page. The
/// table row carries the answer to the runtime.
fn paging(params: &[Param]) -> Paging {
    // By the name calls give it: a query `offset` renamed beside a path `offset` does not page.
    let has = |n: &str| {
        params
            .iter()
            .any(|p| p.arg == n && p.location == Location::Query)
    };
    if has("after") {
        Paging::After
    } else if has("offset") && has("limit") {
        Paging::Offset
    } else {
        Paging::Single
    }
}

#[cfg(test)]
mod tests {
    use super::derived_id;

    #[test]
    fn operations_without_an_id_are_named_after_method_and_path() {
        assert_eq!(
            derived_id("get", "/pets/{petId}/photos"),
            "get_pets_by_pet_id_photos"
        );
        assert_eq!(
            derived_id("post", "/estimates/price"),
            "post_estimates_price"
        );
        assert_eq!(derived_id("get", "/"), "get_root");
        assert_eq!(derived_id("delete", "/v1.0/{id}"), "delete_v1_0_by_id");
    }
}
