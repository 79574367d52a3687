//! Parameters of an operation (and form fields): where each goes, its wire type, its default.
//!
//! On the wire a parameter is text, so a `oneOf`/`anyOf` of scalars goes as its common type
//! (text when its branches differ: `oneOf: [integer, string]` is a string), and a `oneOf` of a
//! scalar and a list of it (`oneOf: [string, array of string]`) is a list (one value is a list
//! of one). A parameter's `$ref`'d schema is its model, and so is an inline union of several
//! JSON types, so the setter can take each of them.
//!
//! Anything else (an object, a list of objects, a union with an object branch) is a structured
//! parameter ([`Kind::Structured`]) where its location can carry one (the query, a form, a
//! multipart part): its setter takes the schema's Rust type, and the row carries the style the
//! spec gives it ([`Styling`]), so the runtime does not decide it again.

use openapiv3::{
    Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, Schema, SchemaKind, Type,
};

use crate::diagnostics::{Diagnostic, child};
use crate::ir::{ArrayStyle, Kind, Limits, Location, Param, Scalar, Style, TypeRef};
use crate::lower::operations::Operations;
use crate::lower::unions;
use crate::names;

impl<'a> Operations<'a, '_> {
    /// Path-level parameters first, then the operation's; an operation parameter replaces a
    /// path-level one with the same name and location.
    /// `builder` names the models of inline unions (`{builder}{Param}`).
    pub(crate) fn lower_params(
        &mut self,
        path_level: &'a [ReferenceOr<Parameter>],
        op_level: &'a [ReferenceOr<Parameter>],
        path_pointer: &str,
        op_pointer: &str,
        id: &str,
        builder: &str,
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
            let Some((param, component)) = self.resolve_param(param, &pointer, id) else {
                continue;
            };
            let context = match component {
                Some(name) => names::pascal(name),
                None => format!(
                    "{builder}{}",
                    names::pascal(&param.parameter_data_ref().name)
                ),
            };
            let Some(lowered) = self.lower_param(param, component, &context, &pointer, id) else {
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

    /// Two parameters that would get the same setter are an error naming both, with their
    /// locations (equal names in calls give equal setters).
    pub(crate) fn check_setters(&mut self, params: &[Param], op_pointer: &str, id: &str) {
        let mut seen: Vec<&Param> = Vec::new();
        for p in params {
            if let Some(other) = seen.iter().find(|o| o.rust_name == p.rust_name) {
                self.diagnostics.push(
                    Diagnostic::error(
                        op_pointer,
                        format!(
                            "{} and {} would both become the setter `{}`",
                            located(other),
                            located(p),
                            p.rust_name
                        ),
                    )
                    .in_operation(Some(id))
                    .hint("rename one of the parameters in the spec"),
                );
            }
            seen.push(p);
        }
    }

    /// The parameter, and the name of the component it is when it is a `$ref`.
    fn resolve_param(
        &mut self,
        param: &'a ReferenceOr<Parameter>,
        pointer: &str,
        id: &str,
    ) -> Option<(&'a Parameter, Option<&'a str>)> {
        match param {
            ReferenceOr::Item(p) => Some((p, None)),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| self.components?.parameters.get_key_value(name));
                match found {
                    Some((name, ReferenceOr::Item(p))) => Some((p, Some(name.as_str()))),
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

    /// `component`: the name of the component parameter it is, if any; `context` names a model
    /// made for its schema.
    fn lower_param(
        &mut self,
        param: &'a Parameter,
        component: Option<&str>,
        context: &str,
        pointer: &str,
        id: &str,
    ) -> Option<Param> {
        let data = param.parameter_data_ref();
        let (location, styling) = match param {
            Parameter::Query { style, .. } => {
                let styling = match style {
                    QueryStyle::Form => Styling::form(data.explode.unwrap_or(true)),
                    QueryStyle::DeepObject => Styling::DEEP_OBJECT,
                    other => {
                        let other = match other {
                            QueryStyle::SpaceDelimited => "spaceDelimited",
                            _ => "pipeDelimited",
                        };
                        self.diagnostics.push(
                            Diagnostic::error(
                                child(pointer, "style"),
                                format!(
                                    "query parameter `{}` uses `style: {other}`, which the client does not send",
                                    data.name
                                ),
                            )
                            .in_operation(Some(id))
                            .hint("use `style: form` (with `explode` true or false) or `style: deepObject`"),
                        );
                        return None;
                    }
                };
                (Location::Query, styling)
            }
            Parameter::Path { .. } => (Location::Path, Styling::simple(data.explode)),
            Parameter::Header { .. } => (Location::Header, Styling::simple(data.explode)),
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
        let schema_ref = match &data.format {
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
        let enum_model = self.enum_model(schema_ref);
        let schema = self.resolve_schema(schema_ref, &schema_pointer, id)?;
        let (kind, enum_values) =
            self.param_type(schema, styling, &data.name, &schema_pointer, id)?;
        let default = self.param_default(schema, kind, &data.name, &schema_pointer, id);
        // A component parameter's schema is one model, however many operations use it.
        let model_pointer = match component {
            Some(name) => child(&child("#/components/parameters", name), "schema"),
            None => schema_pointer,
        };
        let model = self.param_model(schema_ref, context, &model_pointer);
        let value_type = self.value_type(kind, schema_ref, context, &model_pointer);
        let limits = limits(schema);
        Some(Param {
            name: data.name.clone(),
            rust_name: String::new(), // named with its neighbours in `operations.rs`
            arg: String::new(),       // likewise
            location,
            kind,
            required: data.required,
            description: data.description.clone(),
            enum_values,
            enum_model,
            default,
            model,
            value_type,
            limits,
        })
    }

    /// The Rust type a structured parameter's setter takes: its schema's, named `context`
    /// when it is an inline object (`pointer` says where, so a schema lowered before keeps its
    /// model). `None` for the other kinds.
    pub(crate) fn value_type(
        &mut self,
        kind: Kind,
        schema: &ReferenceOr<Schema>,
        context: &str,
        pointer: &str,
    ) -> Option<TypeRef> {
        let Kind::Structured(_) = kind else {
            return None;
        };
        Some(self.schemas.type_of_unboxed(context, schema, pointer))
    }

    /// The model of a parameter: its `$ref`'d schema (or its items', for a list; or the one
    /// schema of an `allOf` that gives a reference words of its own), or, for an inline union of
    /// several JSON types, a model named `context`.
    fn param_model(
        &mut self,
        schema: &ReferenceOr<Schema>,
        context: &str,
        pointer: &str,
    ) -> Option<String> {
        let components = self.schemas.components();
        let component = |reference: &str| {
            crate::walk::component_schema(reference)
                .filter(|name| components.contains_key(&**name))
                .map(|name| names::pascal(&name))
        };
        if let Some(reference) = own_or_items_ref(schema) {
            return component(reference);
        }
        let ReferenceOr::Item(inline) = schema else {
            return None;
        };
        match &inline.schema_kind {
            SchemaKind::AllOf { all_of } => match all_of.as_slice() {
                [ReferenceOr::Reference { reference }] => return component(reference),
                _ => return None,
            },
            SchemaKind::Type(Type::Array(_)) => return None,
            _ => {}
        }
        let groups = unions::groups(components, unions::branches(inline)?)?;
        if groups.len() < 2 {
            return None;
        }
        match self.schemas.type_of_unboxed(context, schema, pointer) {
            TypeRef::Model(name) => Some(name),
            _ => None,
        }
    }

    /// The open enum a parameter takes: its schema, or its items', is a `$ref` to a component
    /// string enum (which lowers to a model of the component's name).
    pub(crate) fn enum_model(&self, schema: &ReferenceOr<Schema>) -> Option<String> {
        let name = crate::walk::component_schema(own_or_items_ref(schema)?)?;
        match self.schemas.components().get(&*name)? {
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::String(s)),
                ..
            }) if !s.enumeration.is_empty() => Some(names::pascal(&name)),
            _ => None,
        }
    }

    /// The item type of a list parameter and the values it lists; `None` when the items are not
    /// scalars. A missing `items` is a list of strings.
    fn item_type(&self, items: Option<&ReferenceOr<Box<Schema>>>) -> Option<(Scalar, Vec<String>)> {
        let components = self.schemas.components();
        match items {
            None => Some((Scalar::String, Vec::new())),
            Some(ReferenceOr::Item(item)) => match scalar_of(item) {
                Some(scalar) if unions::branches(item).is_none() => {
                    Some((scalar, enum_strings(item)))
                }
                _ => unions::shape_of(components, item, 0).map(shape_values),
            },
            Some(ReferenceOr::Reference { reference }) => {
                let reference = ReferenceOr::Reference {
                    reference: reference.clone(),
                };
                unions::shape(components, &reference, 0).map(shape_values)
            }
        }
    }

    /// `oneOf: [S, array of S]`: the scalar `S` and the values listed, when every branch is
    /// the same scalar or a list of it. Else what is wrong: the first branch that is neither a
    /// scalar nor a list of scalars, or the item types that differ.
    fn scalar_or_list(
        &self,
        branches: &[ReferenceOr<Schema>],
    ) -> Result<(Scalar, Vec<String>), BranchProblem> {
        let components = self.schemas.components();
        let mut types: Vec<Scalar> = Vec::new();
        let mut values: Vec<String> = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let (scalar, listed) = match unions::shape(components, branch, 0) {
                Some(shape) => shape_values(shape),
                None => {
                    let items =
                        match unions::resolve(components, branch).map(|(s, _)| &s.schema_kind) {
                            Some(SchemaKind::Type(Type::Array(a))) => a.items.as_ref(),
                            Some(SchemaKind::Any(a)) if a.typ.as_deref() == Some("array") => {
                                a.items.as_ref()
                            }
                            _ => return Err(BranchProblem::NotScalar(i)),
                        };
                    self.item_type(items).ok_or(BranchProblem::NotScalar(i))?
                }
            };
            if !types.contains(&scalar) {
                types.push(scalar);
            }
            for value in listed {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
        match types.as_slice() {
            [one] => Ok((*one, values)),
            _ => Err(BranchProblem::Mixed(types)),
        }
    }

    /// The wire type of a `oneOf`/`anyOf` parameter: its common scalar (text when its types
    /// differ), or a list when its branches are a scalar and lists of it; a located error when
    /// neither.
    fn union_type(
        &mut self,
        branches: &[ReferenceOr<Schema>],
        keyword: &str,
        styling: Styling,
        name: &str,
        schema_pointer: &str,
        id: &str,
    ) -> Option<(Kind, Vec<String>)> {
        if let Some(groups) = unions::groups(self.schemas.components(), branches) {
            let values = groups
                .iter()
                .filter(|g| g.json == Scalar::String)
                .flat_map(|g| g.values())
                .map(|(v, _)| v)
                .collect();
            return Some((Kind::Scalar(unions::wire_scalar(&groups)), values));
        }
        let problem = match self.scalar_or_list(branches) {
            Ok((item, values)) => return Some((Kind::Array(item, styling.array), values)),
            Err(_) if let Some(style) = styling.structured => {
                return Some((Kind::Structured(style), Vec::new()));
            }
            Err(problem) => problem,
        };
        let list = child(schema_pointer, keyword);
        let (pointer, what) = match problem {
            BranchProblem::NotScalar(i) => (
                child(&list, i.to_string()),
                format!("branch {i} of its `{keyword}` is neither a scalar nor a list of scalars"),
            ),
            BranchProblem::Mixed(types) => {
                let types: Vec<&str> = types.iter().map(|t| t.name()).collect();
                (
                    list,
                    format!(
                        "its `{keyword}` mixes lists with values of other types ({})",
                        types.join(", ")
                    ),
                )
            }
        };
        self.diagnostics.push(
            Diagnostic::error(pointer, format!("parameter `{name}` cannot go on the wire: {what}; a path or header parameter is a scalar, a list of scalars, a `{keyword}` of scalars, or a `{keyword}` of one scalar type and lists of it"))
                .in_operation(Some(id))
                .hint("make every branch the same scalar type or a list of it (a `type` patch can do it without editing the spec), or move the parameter to the query"),
        );
        None
    }

    /// The wire type of a parameter or form field: a scalar, a list of scalars, or (where
    /// `styling` allows) a structured value.
    pub(crate) fn param_type(
        &mut self,
        schema: &Schema,
        styling: Styling,
        name: &str,
        schema_pointer: &str,
        id: &str,
    ) -> Option<(Kind, Vec<String>)> {
        Some(match &schema.schema_kind {
            SchemaKind::Type(Type::Array(a)) => {
                let Some((item, values)) = self.item_type(a.items.as_ref()) else {
                    let items = child(schema_pointer, "items");
                    return self.structured(
                        styling,
                        name,
                        "has items that are not scalars",
                        &items,
                        id,
                    );
                };
                (Kind::Array(item, styling.array), values)
            }
            // `type: array` with `enum` beside `items` (a common slip: the values are the
            // items'): the reader cannot type it as an array, so it is read here.
            SchemaKind::Any(a) if a.typ.as_deref() == Some("array") => {
                let Some((item, _)) = self.item_type(a.items.as_ref()) else {
                    let items = child(schema_pointer, "items");
                    return self.structured(
                        styling,
                        name,
                        "has items that are not scalars",
                        &items,
                        id,
                    );
                };
                if !a.enumeration.is_empty() {
                    self.diagnostics.push(
                        Diagnostic::warning(child(schema_pointer, "enum"), format!("array parameter `{name}` lists `enum` on the array; read as the values of its items"))
                            .in_operation(Some(id))
                            .hint("move `enum` into `items`"),
                    );
                }
                (Kind::Array(item, styling.array), enum_strings(schema))
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                let inner_pointer = child(&child(schema_pointer, "allOf"), "0");
                let components = self.schemas.components();
                let Some(inner) = unions::unwrap_all_of(components, schema) else {
                    self.diagnostics.push(
                        Diagnostic::error(&inner_pointer, format!("the schema of parameter `{name}` is an `allOf` that does not resolve to a schema (a reference that is not defined, or a cycle)"))
                            .in_operation(Some(id))
                            .hint("define it under #/components/schemas or fix the reference"),
                    );
                    return None;
                };
                return self.param_type(inner, styling, name, &inner_pointer, id);
            }
            _ if let Some(branches) = unions::branches(schema) => {
                let keyword = unions::keyword(schema);
                self.union_type(branches, keyword, styling, name, schema_pointer, id)?
            }
            _ => match scalar_of(schema) {
                Some(s) => (Kind::Scalar(s), enum_strings(schema)),
                None => return self.structured(styling, name, "is an object", schema_pointer, id),
            },
        })
    }

    /// A value that is not a scalar or a list of scalars: structured where `styling` allows,
    /// else a located error (a path or header parameter).
    fn structured(
        &mut self,
        styling: Styling,
        name: &str,
        what: &str,
        pointer: &str,
        id: &str,
    ) -> Option<(Kind, Vec<String>)> {
        if let Some(style) = styling.structured {
            return Some((Kind::Structured(style), Vec::new()));
        }
        self.diagnostics.push(
            Diagnostic::error(pointer, format!("parameter `{name}` {what}; a path or header parameter takes only scalars and lists of scalars"))
                .in_operation(Some(id))
                .hint("make it a string, number, boolean or array of them, or move it to the query"),
        );
        None
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

/// A parameter in an error: its location and wire name, and the name calls give it when the
/// location rule renamed it (`query parameter `path` (as `query_path`)`).
fn located(p: &Param) -> String {
    let what = format!("{} parameter `{}`", p.location.describe(), p.name);
    if p.arg == p.name {
        what
    } else {
        format!("{what} (as `{}`)", p.arg)
    }
}

/// How a parameter's lists and structured values go on the wire, from its location and the
/// spec's `style` and `explode`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Styling {
    /// A list of scalars.
    pub(crate) array: ArrayStyle,
    /// Anything else (an object, a list of objects); `None` where nothing but scalars goes
    /// (a path or a header).
    pub(crate) structured: Option<Style>,
}

impl Styling {
    /// `style: deepObject`: `name[key]=v`, lists by index.
    pub(crate) const DEEP_OBJECT: Styling = Styling {
        array: ArrayStyle::DeepObject,
        structured: Some(Style::DeepObject),
    };

    /// A multipart field without a `style`: a list one part per item, anything else one JSON
    /// part (OpenAPI's default content type for an object there).
    pub(crate) const JSON_PART: Styling = Styling {
        array: ArrayStyle::Multi,
        structured: Some(Style::Json),
    };

    /// `style: form`: `explode` (its default) repeats the key.
    pub(crate) fn form(explode: bool) -> Styling {
        Styling {
            array: if explode {
                ArrayStyle::Multi
            } else {
                ArrayStyle::Csv
            },
            structured: Some(Style::Form { explode }),
        }
    }

    /// A path or header parameter (`style: simple`): lists comma-joined unless exploded, no
    /// structured values.
    fn simple(explode: Option<bool>) -> Styling {
        Styling {
            structured: None,
            ..Styling::form(explode.unwrap_or(false))
        }
    }

    /// A form or multipart field, as its `encoding` entry says (`style` and `explode`; without
    /// a `style`, url-encoded fields are `form` exploded, multipart ones [`Styling::JSON_PART`]).
    /// The reader cannot tell a missing `explode` from `false`, so it counts only beside a
    /// `style`.
    pub(crate) fn field(encoding: Option<&openapiv3::Encoding>, multipart: bool) -> Styling {
        match encoding.and_then(|e| Some((e.style.as_ref()?, e.explode))) {
            Some((QueryStyle::DeepObject, _)) => Styling::DEEP_OBJECT,
            Some((_, explode)) => Styling::form(explode),
            None if multipart => Styling::JSON_PART,
            None => Styling::form(true),
        }
    }
}

/// Why a `oneOf`/`anyOf` parameter cannot go on the wire.
enum BranchProblem {
    /// This branch is an object, or a list of something else than scalars.
    NotScalar(usize),
    /// Lists, and scalars or lists of other types.
    Mixed(Vec<Scalar>),
}

/// A shape's scalar and the values it lists, as parameter docs show them.
fn shape_values(shape: unions::Shape) -> (Scalar, Vec<String>) {
    (
        shape.json,
        shape.values.into_iter().map(|(v, _)| v).collect(),
    )
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

/// The `$ref` of a parameter's schema, or of its items' for a list of a referenced schema.
fn own_or_items_ref(schema: &ReferenceOr<Schema>) -> Option<&str> {
    match schema {
        ReferenceOr::Reference { reference } => Some(reference),
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Type(Type::Array(a)) => match a.items.as_ref()? {
                ReferenceOr::Reference { reference } => Some(reference),
                ReferenceOr::Item(_) => None,
            },
            _ => None,
        },
    }
}

/// The limits a parameter's (or form field's) schema states: `maxItems` of a list, `minimum`
/// and `maximum` of an integer (an exclusive bound moved one step in). Other types have none.
pub(crate) fn limits(schema: &Schema) -> Limits {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(a)) => Limits {
            max_items: a.max_items.and_then(|n| u32::try_from(n).ok()),
            ..Limits::default()
        },
        SchemaKind::Type(Type::Integer(i)) => Limits {
            minimum: i.minimum.map(|m| {
                if i.exclusive_minimum {
                    m.saturating_add(1)
                } else {
                    m
                }
            }),
            maximum: i.maximum.map(|m| {
                if i.exclusive_maximum {
                    m.saturating_sub(1)
                } else {
                    m
                }
            }),
            ..Limits::default()
        },
        _ => Limits::default(),
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::Limits;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things/v1:
    post:
      operationId: thing.create.v1
      parameters:
        - {name: ids, in: query, schema: {type: array, items: {type: string}, maxItems: 3}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 50}}
        - {name: page, in: query, schema: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: true}}
        - {name: name, in: query, schema: {type: string, maxLength: 3}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Things'}
      responses: {'200': {description: ok}}
components:
  schemas:
    Things:
      properties:
        things: {type: array, items: {type: string}, maxItems: 20}
        tags: {$ref: '#/components/schemas/Tags'}
        note: {type: string}
    Tags: {type: array, items: {type: string}, maxItems: 5}
"#;

    #[test]
    fn limits_come_from_the_schema_keywords() {
        let (api, _) = crate::read_api(SPEC, &crate::Patches::default()).unwrap();
        let op = &api.operations[0];
        let limits = |name: &str| op.params.iter().find(|p| p.name == name).unwrap().limits;
        assert_eq!(limits("ids").max_items, Some(3));
        assert_eq!(
            limits("limit"),
            Limits {
                minimum: Some(1),
                maximum: Some(50),
                ..Limits::default()
            }
        );
        // Exclusive bounds become the inclusive ones next to them.
        assert_eq!(
            (limits("page").minimum, limits("page").maximum),
            (Some(1), Some(8))
        );
        assert!(
            limits("name").is_empty(),
            "string lengths are not limits the runtime checks"
        );
        let body = op.body.as_ref().unwrap();
        assert_eq!(
            body.max_items,
            vec![("tags".to_string(), 5), ("things".to_string(), 20)]
        );
    }
}
