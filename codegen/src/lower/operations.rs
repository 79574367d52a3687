//! Paths → operations: parameters, body, success response and every name of each operation.

use openapiv3::{
    Components, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr,
    RequestBody, Response, Schema, SchemaKind, StatusCode, Type,
};

use crate::diagnostics::{Diagnostic, child};
use crate::ir::{
    ArrayStyle, Body, FormEncoding, HttpMethod, Operation, Pagination, Param, ParamLocation,
    ParamType, Scalar, Success,
};
use crate::lower::schemas::Schemas;
use crate::names;

/// Form bodies, sent as form fields: their encoding.
fn form_encoding(media: &str) -> Option<FormEncoding> {
    match media.split(';').next().unwrap_or("").trim() {
        "application/x-www-form-urlencoded" => Some(FormEncoding::UrlEncoded),
        "multipart/form-data" => Some(FormEncoding::Multipart),
        _ => None,
    }
}

/// A file: `type: string, format: binary` (Swagger 2.0 `type: file`).
fn is_binary(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => matches!(
            &s.format,
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
        ),
        _ => false,
    }
}

/// A list of files.
fn is_binary_list(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::Array(a)) if matches!(&a.items, Some(ReferenceOr::Item(i)) if is_binary(i))
    )
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Query => "query",
        ParamLocation::Path => "path",
        ParamLocation::Header => "header",
        ParamLocation::Form => "form",
    }
}

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
            let mut params =
                self.lower_params(&item.parameters, &op.parameters, &pointer, &op_pointer, &id);
            let builder_name = names::pascal(&id);
            let (body, form) = match op.request_body.as_ref() {
                Some(b) => {
                    let (body, form) = self.lower_body(
                        b,
                        &builder_name,
                        &child(&op_pointer, "requestBody"),
                        &id,
                        http_method,
                    );
                    let encoding = form.map(|(encoding, fields)| {
                        params.extend(fields);
                        encoding
                    });
                    (body, encoding)
                }
                None => (None, None),
            };
            self.check_setters(&params, &op_pointer, &id);
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
                form,
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
        // Each parameter with whether it was listed by the operation, and where.
        let mut out: Vec<(Param, bool, String)> = Vec::new();
        let all = path_level
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p,
                    false,
                    child(&child(path_pointer, "parameters"), i.to_string()),
                )
            })
            .chain(op_level.iter().enumerate().map(|(i, p)| {
                (
                    p,
                    true,
                    child(&child(op_pointer, "parameters"), i.to_string()),
                )
            }));
        for (param, op_level, pointer) in all {
            let Some(param) = self.resolve_param(param, &pointer, id) else {
                continue;
            };
            let Some(lowered) = self.lower_param(param, &pointer, id) else {
                continue;
            };
            if let Some(existing) = out
                .iter_mut()
                .find(|(p, _, _)| p.name == lowered.name && p.location == lowered.location)
            {
                if existing.1 == op_level {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            &pointer,
                            format!(
                                "{} parameter `{}` is listed twice (first at {}); the later one is used",
                                location_name(lowered.location),
                                lowered.name,
                                existing.2
                            ),
                        )
                        .in_operation(Some(id))
                        .hint("remove one of the two entries"),
                    );
                }
                *existing = (lowered, op_level, pointer);
            } else {
                out.push((lowered, op_level, pointer));
            }
        }
        out.into_iter().map(|(p, _, _)| p).collect()
    }

    /// Two parameters that would get the same setter are an error.
    fn check_setters(&mut self, params: &[Param], op_pointer: &str, id: &str) {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for p in params {
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
            }
            seen.push((&p.name, &p.rust_name));
        }
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
        let (ty, enum_values) =
            self.param_type(schema, explode, &data.name, &schema_pointer, id)?;
        let default = self.param_default(schema, ty, &data.name, &schema_pointer, id);
        Some(Param {
            name: data.name.clone(),
            rust_name: names::setter(&data.name),
            location,
            ty,
            required: data.required,
            description: data.description.clone(),
            enum_values,
            default,
        })
    }

    /// The wire type of a parameter or form field: a scalar, or a list of scalars.
    fn param_type(
        &mut self,
        schema: &Schema,
        explode: bool,
        name: &str,
        schema_pointer: &str,
        id: &str,
    ) -> Option<(ParamType, Vec<String>)> {
        Some(match &schema.schema_kind {
            SchemaKind::Type(Type::Array(a)) => {
                let item = a.items.as_ref().and_then(|i| match i {
                    ReferenceOr::Item(s) => Some(s.as_ref()),
                    ReferenceOr::Reference { .. } => None,
                });
                let item_scalar = item.map(scalar_of).unwrap_or(Some(Scalar::String));
                let Some(item_scalar) = item_scalar else {
                    self.diagnostics.push(
                        Diagnostic::error(child(schema_pointer, "items"), format!("array parameter `{name}` has items that are not strings, numbers or booleans"))
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
            // `type: array` with `enum` beside `items` (a common slip: the values are the
            // items'): the reader cannot type it as an array, so it is read here.
            SchemaKind::Any(a) if a.typ.as_deref() == Some("array") => {
                let item = match &a.items {
                    Some(ReferenceOr::Item(s)) => scalar_of(s),
                    Some(ReferenceOr::Reference { .. }) => None,
                    None => Some(Scalar::String),
                };
                let Some(item) = item else {
                    self.diagnostics.push(
                        Diagnostic::error(child(schema_pointer, "items"), format!("array parameter `{name}` has items that are not strings, numbers or booleans"))
                            .in_operation(Some(id))
                            .hint("make the items a scalar type"),
                    );
                    return None;
                };
                if !a.enumeration.is_empty() {
                    self.diagnostics.push(
                        Diagnostic::warning(child(schema_pointer, "enum"), format!("array parameter `{name}` lists `enum` on the array; read as the values of its items"))
                            .in_operation(Some(id))
                            .hint("move `enum` into `items`"),
                    );
                }
                let style = if explode {
                    ArrayStyle::Multi
                } else {
                    ArrayStyle::Csv
                };
                (ParamType::Array(item, style), enum_strings(schema))
            }
            _ => match scalar_of(schema) {
                Some(s) => (ParamType::Scalar(s), enum_strings(schema)),
                None => {
                    self.diagnostics.push(
                        Diagnostic::error(schema_pointer, format!("parameter `{name}` is an object; only scalars and arrays of scalars are supported"))
                            .in_operation(Some(id))
                            .hint("make it a string, number, boolean or array"),
                    );
                    return None;
                }
            },
        })
    }

    /// The default of a scalar parameter, when it has the parameter's type. A boolean or number
    /// written as a string (`default: "false"`) is read as what it says, with a warning; any
    /// other mismatch drops the default, with a warning.
    fn param_default(
        &mut self,
        schema: &Schema,
        ty: ParamType,
        name: &str,
        schema_pointer: &str,
        id: &str,
    ) -> Option<serde_json::Value> {
        use serde_json::Value;
        let default = schema.schema_data.default.clone()?;
        let ParamType::Scalar(scalar) = ty else {
            return Some(default);
        };
        let fits = match (&default, scalar) {
            (Value::String(_), Scalar::String) | (Value::Bool(_), Scalar::Boolean) => true,
            (Value::Number(n), Scalar::Integer) => n.is_i64() || n.is_u64(),
            (Value::Number(_), Scalar::Number) => true,
            _ => false,
        };
        if fits {
            return Some(default);
        }
        let coerced = match (&default, scalar) {
            (Value::String(s), Scalar::Boolean) => s.parse::<bool>().ok().map(Value::Bool),
            (Value::String(s), Scalar::Integer) => s.parse::<i64>().ok().map(Value::from),
            (Value::String(s), Scalar::Number) => s
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            _ => None,
        };
        let kind = match scalar {
            Scalar::String => "string",
            Scalar::Integer => "integer",
            Scalar::Number => "number",
            Scalar::Boolean => "boolean",
        };
        let pointer = child(schema_pointer, "default");
        match coerced {
            Some(value) => {
                self.diagnostics.push(
                    Diagnostic::warning(&pointer, format!("the default of {kind} parameter `{name}` is {default}, not a {kind}; read as `{value}`"))
                        .in_operation(Some(id))
                        .hint(format!("write `default: {value}`")),
                );
                Some(value)
            }
            None => {
                self.diagnostics.push(
                    Diagnostic::warning(&pointer, format!("the default of {kind} parameter `{name}` is {default}, not a {kind}; it is left out"))
                        .in_operation(Some(id))
                        .hint(format!("give a {kind} default, or none")),
                );
                None
            }
        }
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

    /// The JSON body; or, for a form body, its encoding and one form parameter per field.
    #[allow(
        clippy::type_complexity,
        reason = "one body or one form, read once by the caller"
    )]
    fn lower_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        builder_name: &str,
        pointer: &str,
        id: &str,
        method: HttpMethod,
    ) -> (Option<Body>, Option<(FormEncoding, Vec<Param>)>) {
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
                        return (None, None);
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
        if let Some((media, content)) = body.content.iter().find(|(m, _)| is_json(m)) {
            let ty = match &content.schema {
                Some(s) => self.schemas.type_of_unboxed(
                    &format!("{builder_name}Body"),
                    s,
                    &child(&child(&child(pointer, "content"), media), "schema"),
                ),
                None => crate::ir::TypeRef::Any,
            };
            let body = Body {
                ty,
                required: body.required,
                content_type: "application/json".to_string(),
                description: body.description.clone(),
            };
            return (Some(body), None);
        }
        // Multipart when the spec offers it (it carries files too), else url-encoded.
        let form = body
            .content
            .iter()
            .filter_map(|(m, c)| Some((form_encoding(m)?, m, c)))
            .min_by_key(|(e, _, _)| *e != FormEncoding::Multipart);
        if let Some((encoding, media, content)) = form {
            let media_pointer = child(&child(pointer, "content"), media);
            let fields = self.lower_form(content, encoding, &media_pointer, id);
            return (None, Some((encoding, fields)));
        }
        let found: Vec<&str> = body.content.keys().map(String::as_str).collect();
        self.diagnostics.push(
            Diagnostic::warning(
                child(pointer, "content"),
                format!(
                    "request body media type {} is not supported; the operation is generated without a body",
                    if found.is_empty() { "(none)".to_string() } else { found.join(", ") }
                ),
            )
            .in_operation(Some(id))
            .hint("use `application/json`, or send this body with `Client::command_override`"),
        );
        (None, None)
    }

    /// Form fields: each property of the form's object schema becomes a form parameter.
    fn lower_form(
        &mut self,
        content: &'a openapiv3::MediaType,
        encoding: FormEncoding,
        media_pointer: &str,
        id: &str,
    ) -> Vec<Param> {
        let schema_pointer = child(media_pointer, "schema");
        let Some(schema) = content.schema.as_ref() else {
            return Vec::new();
        };
        let Some(schema) = self.resolve_schema(schema, &schema_pointer, id) else {
            return Vec::new();
        };
        let (properties, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(a) => (&a.properties, &a.required),
            _ => {
                self.diagnostics.push(
                    Diagnostic::error(
                        &schema_pointer,
                        "a form body must be an object whose properties are the form fields",
                    )
                    .in_operation(Some(id))
                    .hint("give the form schema `type: object` and `properties`"),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (name, field) in properties {
            let field_pointer = child(&child(&schema_pointer, "properties"), name);
            let field = match field {
                ReferenceOr::Item(s) => s.as_ref(),
                ReferenceOr::Reference { reference } => {
                    self.diagnostics.push(
                        Diagnostic::warning(&field_pointer, format!("form field `{name}` is a reference (`{reference}`); the operation is generated without it"))
                            .in_operation(Some(id))
                            .hint("give the field an inline scalar type"),
                    );
                    continue;
                }
            };
            let file = is_binary(field);
            if file && encoding == FormEncoding::UrlEncoded {
                self.diagnostics.push(
                    Diagnostic::warning(&field_pointer, format!("form field `{name}` is a file, which an `application/x-www-form-urlencoded` body cannot carry; the operation is generated without it"))
                        .in_operation(Some(id))
                        .hint("consume `multipart/form-data`, or remove the field with a patch"),
                );
                continue;
            }
            if is_binary_list(field) {
                self.diagnostics.push(
                    Diagnostic::warning(&field_pointer, format!("form field `{name}` is a list of files, which the client cannot send; the operation is generated without it"))
                        .in_operation(Some(id))
                        .hint("make it a single file (`type: string, format: binary`), or remove the field with a patch"),
                );
                continue;
            }
            if file {
                out.push(Param {
                    name: name.clone(),
                    rust_name: names::setter(name),
                    location: ParamLocation::Form,
                    ty: ParamType::File,
                    required: required.contains(name),
                    description: field.schema_data.description.clone(),
                    enum_values: Vec::new(),
                    default: None,
                });
                continue;
            }
            // Form style explodes lists unless the encoding says otherwise (with its `style`
            // given: the reader cannot tell a missing `explode` from `false`).
            let explode = match content.encoding.get(name) {
                Some(e) if e.style.is_some() => e.explode,
                _ => true,
            };
            let Some((ty, enum_values)) = self.param_type(field, explode, name, &field_pointer, id)
            else {
                continue;
            };
            let default = self.param_default(field, ty, name, &field_pointer, id);
            out.push(Param {
                name: name.clone(),
                rust_name: names::setter(name),
                location: ParamLocation::Form,
                ty,
                required: required.contains(name),
                description: field.schema_data.description.clone(),
                enum_values,
                default,
            });
        }
        out
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
