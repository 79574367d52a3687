//! Paths → operations: parameters, body, success response and every name of each operation.

use openapiv3::{
    Components, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr,
    RequestBody, Response, Schema, SchemaKind, StatusCode, Type,
};

use crate::diagnostics::{Diagnostic, child};
use crate::ir::{
    ArrayStyle, Body, HttpMethod, Operation, Pagination, Param, ParamLocation, ParamType, Scalar,
    Success,
};
use crate::lower::schemas::Schemas;
use crate::names;

/// Media types read as JSON bodies.
fn is_json(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or("").trim();
    media == "application/json" || media == "*/*" || media.ends_with("+json")
}

pub(crate) struct Operations<'a, 's> {
    pub(crate) components: Option<&'a Components>,
    pub(crate) schemas: &'s mut Schemas<'a>,
    pub(crate) diagnostics: Vec<Diagnostic>,
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
            let Some(http_method) = http_method(method) else {
                continue;
            };
            let Some(id) = op.operation_id.clone() else {
                self.diagnostics.push(
                    Diagnostic::error(&op_pointer, "operation has no `operationId`")
                        .hint("add an `operationId`: the client names its method after it"),
                );
                continue;
            };
            let params =
                self.lower_params(&item.parameters, &op.parameters, &pointer, &op_pointer, &id);
            let builder_name = names::pascal(&id);
            let body = op.request_body.as_ref().and_then(|b| {
                self.lower_body(
                    b,
                    &builder_name,
                    &child(&op_pointer, "requestBody"),
                    &id,
                    http_method,
                )
            });
            let success = self.lower_success(
                &op.responses.responses,
                &builder_name,
                &child(&op_pointer, "responses"),
                &id,
            );
            let pagination = pagination(&params);
            let mut command_ids = vec![id.clone()];
            let underscored = id.replace('.', "_");
            if underscored != id {
                command_ids.push(underscored);
            }
            out.push(Operation {
                method_name: names::snake(&id),
                alias: names::is_pascal_id(&id).then(|| id.clone()),
                builder_name,
                table_name: names::shouty(&id),
                command_ids,
                http_method,
                path: path.to_string(),
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                params,
                body,
                success,
                pagination,
                pointer: op_pointer,
                id,
            });
        }
        out
    }

    /// Path-level parameters first, then the operation's; an operation parameter replaces a
    /// path-level one with the same name and location.
    fn lower_params(
        &mut self,
        path_level: &'a [ReferenceOr<Parameter>],
        op_level: &'a [ReferenceOr<Parameter>],
        path_pointer: &str,
        op_pointer: &str,
        id: &str,
    ) -> Vec<Param> {
        let mut out: Vec<Param> = Vec::new();
        let all = path_level
            .iter()
            .enumerate()
            .map(|(i, p)| (p, child(&child(path_pointer, "parameters"), i.to_string())))
            .chain(
                op_level
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, child(&child(op_pointer, "parameters"), i.to_string()))),
            );
        for (param, pointer) in all {
            let Some(param) = self.resolve_param(param, &pointer, id) else {
                continue;
            };
            let Some(lowered) = self.lower_param(param, &pointer, id) else {
                continue;
            };
            if let Some(existing) = out
                .iter_mut()
                .find(|p| p.name == lowered.name && p.location == lowered.location)
            {
                *existing = lowered;
            } else {
                out.push(lowered);
            }
        }
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for p in &out {
            if let Some((other, _)) = seen.iter().find(|(_, rust)| *rust == p.rust_name) {
                self.diagnostics.push(
                    Diagnostic::error(
                        op_pointer,
                        format!(
                            "parameters `{other}` and `{}` would both become the setter `{}`",
                            p.name, p.rust_name
                        ),
                    )
                    .in_operation(Some(id))
                    .hint("rename one of the parameters in the spec"),
                );
            } else if ["send", "body", "new"].contains(&p.rust_name.as_str()) {
                self.diagnostics.push(
                    Diagnostic::error(op_pointer, format!(
                        "parameter `{}` would become the setter `{}`, which the request builder already has", p.name, p.rust_name
                    ))
                    .in_operation(Some(id))
                    .hint("rename the parameter in the spec"),
                );
            }
            seen.push((&p.name, &p.rust_name));
        }
        out
    }

    fn resolve_param(
        &mut self,
        param: &'a ReferenceOr<Parameter>,
        pointer: &str,
        id: &str,
    ) -> Option<&'a Parameter> {
        match param {
            ReferenceOr::Item(p) => Some(p),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| self.components?.parameters.get(name));
                match found {
                    Some(ReferenceOr::Item(p)) => Some(p),
                    _ => {
                        self.diagnostics.push(
                            Diagnostic::error(
                                pointer,
                                format!("`$ref: {reference}` does not resolve to a parameter"),
                            )
                            .in_operation(Some(id))
                            .hint("define it under #/components/parameters or fix the reference"),
                        );
                        None
                    }
                }
            }
        }
    }

    fn lower_param(&mut self, param: &'a Parameter, pointer: &str, id: &str) -> Option<Param> {
        let data = param.parameter_data_ref();
        let (location, explode_default, explode) = match param {
            Parameter::Query {
                style,
                parameter_data,
                ..
            } => {
                if !matches!(style, QueryStyle::Form) {
                    self.diagnostics.push(
                        Diagnostic::error(
                            pointer,
                            format!(
                                "query parameter `{}` uses a style other than `form`",
                                data.name
                            ),
                        )
                        .in_operation(Some(id))
                        .hint("use `style: form` (with `explode` true or false)"),
                    );
                    return None;
                }
                (ParamLocation::Query, true, parameter_data.explode)
            }
            Parameter::Path { .. } => (ParamLocation::Path, false, data.explode),
            Parameter::Header { .. } => (ParamLocation::Header, false, data.explode),
            Parameter::Cookie { .. } => {
                self.diagnostics.push(
                    Diagnostic::error(
                        pointer,
                        format!("cookie parameter `{}` is not supported", data.name),
                    )
                    .in_operation(Some(id))
                    .hint("pass it as a header parameter instead"),
                );
                return None;
            }
        };
        let schema = match &data.format {
            ParameterSchemaOrContent::Schema(s) => s,
            ParameterSchemaOrContent::Content(_) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        pointer,
                        format!(
                            "parameter `{}` has `content` instead of `schema`",
                            data.name
                        ),
                    )
                    .in_operation(Some(id))
                    .hint("give the parameter a `schema`"),
                );
                return None;
            }
        };
        let schema_pointer = child(pointer, "schema");
        let schema = self.resolve_schema(schema, &schema_pointer, id)?;
        let explode = explode.unwrap_or(explode_default);
        let (ty, enum_values) = match &schema.schema_kind {
            SchemaKind::Type(Type::Array(a)) => {
                let item = a.items.as_ref().and_then(|i| match i {
                    ReferenceOr::Item(s) => Some(s.as_ref()),
                    ReferenceOr::Reference { .. } => None,
                });
                let item_scalar = item.map(scalar_of).unwrap_or(Some(Scalar::String));
                let Some(item_scalar) = item_scalar else {
                    self.diagnostics.push(
                        Diagnostic::error(child(&schema_pointer, "items"), format!("array parameter `{}` has items that are not strings, numbers or booleans", data.name))
                            .in_operation(Some(id))
                            .hint("make the items a scalar type"),
                    );
                    return None;
                };
                let style = if explode {
                    ArrayStyle::Multi
                } else {
                    ArrayStyle::Csv
                };
                (
                    ParamType::Array(item_scalar, style),
                    item.map(enum_strings).unwrap_or_default(),
                )
            }
            _ => match scalar_of(schema) {
                Some(s) => (ParamType::Scalar(s), enum_strings(schema)),
                None => {
                    self.diagnostics.push(
                        Diagnostic::error(&schema_pointer, format!("parameter `{}` is an object; only scalars and arrays of scalars are supported", data.name))
                            .in_operation(Some(id))
                            .hint("make it a string, number, boolean or array"),
                    );
                    return None;
                }
            },
        };
        Some(Param {
            name: data.name.clone(),
            rust_name: names::snake(&data.name),
            location,
            ty,
            required: data.required,
            description: data.description.clone(),
            enum_values,
            default: schema.schema_data.default.clone(),
        })
    }

    fn resolve_schema(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
        id: &str,
    ) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|name| self.components?.schemas.get(name));
                match found {
                    Some(ReferenceOr::Item(s)) => Some(s),
                    _ => {
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

    fn lower_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        builder_name: &str,
        pointer: &str,
        id: &str,
        method: HttpMethod,
    ) -> Option<Body> {
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|name| self.components?.request_bodies.get(name));
                match found {
                    Some(ReferenceOr::Item(b)) => b,
                    _ => {
                        self.diagnostics.push(
                            Diagnostic::error(
                                pointer,
                                format!("`$ref: {reference}` does not resolve to a request body"),
                            )
                            .in_operation(Some(id))
                            .hint(
                                "define it under #/components/requestBodies or fix the reference",
                            ),
                        );
                        return None;
                    }
                }
            }
        };
        if matches!(method, HttpMethod::Get | HttpMethod::Head) {
            self.diagnostics.push(
                Diagnostic::warning(
                    pointer,
                    format!(
                        "a {} operation declares a request body; it is sent as given",
                        method.as_str()
                    ),
                )
                .in_operation(Some(id))
                .hint("move the data into query parameters, or drop the body"),
            );
        }
        let Some((media, content)) = body.content.iter().find(|(m, _)| is_json(m)) else {
            let found: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.diagnostics.push(
                Diagnostic::error(
                    child(pointer, "content"),
                    format!(
                        "request body media type {} is not supported",
                        found.join(", ")
                    ),
                )
                .in_operation(Some(id))
                .hint("use `application/json`"),
            );
            return None;
        };
        let ty = match &content.schema {
            Some(s) => self.schemas.type_of_unboxed(
                &format!("{builder_name}Body"),
                s,
                &child(&child(&child(pointer, "content"), media), "schema"),
            ),
            None => crate::ir::TypeRef::Any,
        };
        Some(Body {
            ty,
            required: body.required,
            content_type: "application/json".to_string(),
            description: body.description.clone(),
        })
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

fn http_method(method: &str) -> Option<HttpMethod> {
    Some(match method {
        "get" => HttpMethod::Get,
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        "trace" => HttpMethod::Trace,
        _ => return None,
    })
}

fn scalar_of(schema: &Schema) -> Option<Scalar> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some(Scalar::String),
        SchemaKind::Type(Type::Integer(_)) => Some(Scalar::Integer),
        SchemaKind::Type(Type::Number(_)) => Some(Scalar::Number),
        SchemaKind::Type(Type::Boolean(_)) => Some(Scalar::Boolean),
        SchemaKind::Any(a) => match a.typ.as_deref() {
            Some("integer") => Some(Scalar::Integer),
            Some("number") => Some(Scalar::Number),
            Some("boolean") => Some(Scalar::Boolean),
            Some("string") | None => Some(Scalar::String),
            _ => None,
        },
        _ => None,
    }
}

fn enum_strings(schema: &Schema) -> Vec<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().flatten().cloned().collect(),
        SchemaKind::Type(Type::Integer(i)) => {
            i.enumeration.iter().flatten().map(i64::to_string).collect()
        }
        SchemaKind::Any(a) => a
            .enumeration
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `after` means token paging; `offset` with `limit` means offset paging.
fn pagination(params: &[Param]) -> Option<Pagination> {
    let has = |n: &str| {
        params
            .iter()
            .any(|p| p.name == n && p.location == ParamLocation::Query)
    };
    if has("after") {
        Some(Pagination::After)
    } else if has("offset") && has("limit") {
        Some(Pagination::Offset)
    } else {
        None
    }
}
