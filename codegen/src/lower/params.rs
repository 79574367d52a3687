//! Parameters of an operation (and form fields): where each goes, its wire type, its default.

use openapiv3::{
    Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, Schema, SchemaKind, Type,
};

use crate::diagnostics::{Diagnostic, child};
use crate::ir::{ArrayStyle, Kind, Location, Param, Scalar};
use crate::lower::operations::Operations;
use crate::names;

impl<'a> Operations<'a, '_> {
    /// Path-level parameters first, then the operation's; an operation parameter replaces a
    /// path-level one with the same name and location.
    pub(crate) fn lower_params(
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
                                lowered.location.describe(),
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
    pub(crate) fn check_setters(&mut self, params: &[Param], op_pointer: &str, id: &str) {
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
                (Location::Query, true, parameter_data.explode)
            }
            Parameter::Path { .. } => (Location::Path, false, data.explode),
            Parameter::Header { .. } => (Location::Header, false, data.explode),
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
        let enum_model = self.enum_model(schema);
        let schema = self.resolve_schema(schema, &schema_pointer, id)?;
        let explode = explode.unwrap_or(explode_default);
        let (kind, enum_values) =
            self.param_type(schema, explode, &data.name, &schema_pointer, id)?;
        let default = self.param_default(schema, kind, &data.name, &schema_pointer, id);
        Some(Param {
            name: data.name.clone(),
            rust_name: names::setter(&data.name),
            location,
            kind,
            required: data.required,
            description: data.description.clone(),
            enum_values,
            enum_model,
            default,
        })
    }

    /// The open enum a parameter takes: its schema, or its items', is a `$ref` to a component
    /// string enum (which lowers to a model of the component's name).
    fn enum_model(&self, schema: &ReferenceOr<Schema>) -> Option<String> {
        let reference = match schema {
            ReferenceOr::Reference { reference } => reference,
            ReferenceOr::Item(s) => match &s.schema_kind {
                SchemaKind::Type(Type::Array(a)) => match a.items.as_ref()? {
                    ReferenceOr::Reference { reference } => reference,
                    ReferenceOr::Item(_) => return None,
                },
                _ => return None,
            },
        };
        let name = reference.strip_prefix("#/components/schemas/")?;
        match self.components?.schemas.get(name)? {
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::String(s)),
                ..
            }) if !s.enumeration.is_empty() => Some(names::pascal(name)),
            _ => None,
        }
    }

    /// The wire type of a parameter or form field: a scalar, or a list of scalars.
    pub(crate) fn param_type(
        &mut self,
        schema: &Schema,
        explode: bool,
        name: &str,
        schema_pointer: &str,
        id: &str,
    ) -> Option<(Kind, Vec<String>)> {
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
                    Kind::Array(item_scalar, style),
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
                (Kind::Array(item, style), enum_strings(schema))
            }
            _ => match scalar_of(schema) {
                Some(s) => (Kind::Scalar(s), enum_strings(schema)),
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
    pub(crate) fn param_default(
        &mut self,
        schema: &Schema,
        kind: Kind,
        name: &str,
        schema_pointer: &str,
        id: &str,
    ) -> Option<serde_json::Value> {
        use serde_json::Value;
        let default = schema.schema_data.default.clone()?;
        let Kind::Scalar(scalar) = kind else {
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
}

pub(crate) fn scalar_of(schema: &Schema) -> Option<Scalar> {
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
