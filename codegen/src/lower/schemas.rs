//! Schemas → named models and type references.
//!
//! Every component schema becomes a model. Inline objects and string enums inside them get a
//! model of their own, named after where they sit (`Parent` + `Field`). A `oneOf`/`anyOf` of
//! scalars (`lower/unions.rs`) is an open enum when it lists strings only, the one type when its
//! branches are of one JSON type, and a union model otherwise; a `oneOf`/`anyOf` of one schema
//! is that schema. An enum that lists only `null` is the null type. Anything without a usable
//! type becomes `TypeRef::Any` (raw JSON), so odd corners of a spec never stop generation.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

use crate::diagnostics::{Diagnostic, child};
use crate::ir::{
    EnumValue, Field, IntWidth, Model, ModelKind, Scalar, Struct, TypeRef, UnionVariant,
};
use crate::lower::unions::{self, Group};
use crate::names::{self, Style};

/// Collects models while schemas are lowered.
pub(crate) struct Schemas<'a> {
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    models: BTreeMap<String, Model>,
    /// Inline models by the pointer of their schema, so a schema lowered twice (a component
    /// parameter every operation refers to) is one model.
    inline: BTreeMap<String, TypeRef>,
    /// The Rust names of the component schemas, known before any is lowered: an inline model
    /// never takes one (`names::inline_type`).
    component_names: BTreeSet<String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'a> Schemas<'a> {
    pub(crate) fn new(components: &'a IndexMap<String, ReferenceOr<Schema>>) -> Self {
        Schemas {
            components,
            models: BTreeMap::new(),
            inline: BTreeMap::new(),
            component_names: components.keys().map(|n| names::pascal(n)).collect(),
            diagnostics: Vec::new(),
        }
    }

    /// The component schemas, by name.
    pub(crate) fn components(&self) -> &'a IndexMap<String, ReferenceOr<Schema>> {
        self.components
    }

    /// Lowers every component schema into a model.
    pub(crate) fn lower_components(&mut self) {
        for (name, schema) in self.components {
            let pointer = child("#/components/schemas", name);
            let rust_name = names::pascal(name);
            let kind = match schema {
                ReferenceOr::Reference { reference } => {
                    ModelKind::Alias(self.resolve_ref(reference, &pointer, None))
                }
                ReferenceOr::Item(schema) => self.model_kind(&rust_name, schema, &pointer),
            };
            let description = match schema {
                ReferenceOr::Item(s) => s.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            self.insert(Model {
                name: name.clone(),
                rust_name,
                description,
                kind,
                pointer,
            });
        }
    }

    /// Finishes: marks self-containing fields as boxed and returns models sorted by Rust name.
    pub(crate) fn finish(mut self) -> (Vec<Model>, Vec<Diagnostic>) {
        self.diagnostics.extend(alias_cycles(&self.models));
        mark_recursive_fields(&mut self.models);
        (self.models.into_values().collect(), self.diagnostics)
    }

    fn insert(&mut self, model: Model) {
        if let Some(existing) = self.models.get(&model.rust_name) {
            self.diagnostics.push(
                Diagnostic::error(
                    &model.pointer,
                    format!(
                        "schema `{}` and schema `{}` (at {}) would both become the Rust type `{}`",
                        model.name, existing.name, existing.pointer, model.rust_name
                    ),
                )
                .hint("rename one of them in the spec"),
            );
            return;
        }
        self.models.insert(model.rust_name.clone(), model);
    }

    /// The kind of a named model from its schema.
    fn model_kind(&mut self, rust_name: &str, schema: &Schema, pointer: &str) -> ModelKind {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                ModelKind::Struct(self.lower_struct(
                    rust_name,
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    pointer,
                ))
            }
            SchemaKind::Any(a) if !a.properties.is_empty() => ModelKind::Struct(self.lower_struct(
                rust_name,
                &a.properties,
                &a.required,
                a.additional_properties.as_ref(),
                pointer,
            )),
            _ if unions::branches(schema).is_some() => self.union_kind(rust_name, schema, pointer),
            _ => match self.string_enum(schema, pointer) {
                Some(values) => ModelKind::OpenEnum(values),
                None => ModelKind::Alias(self.type_of_schema(rust_name, schema, pointer)),
            },
        }
    }

    /// The variants of a string enum (`type: string` or no type, listing strings); `None` for
    /// any other schema, and for an enum that lists no string (the null type, or `enum: []`).
    fn string_enum(&mut self, schema: &Schema, pointer: &str) -> Option<Vec<EnumValue>> {
        let shape = match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) | SchemaKind::Any(_) => {
                unions::shape_of(self.components, schema, 0)?
            }
            _ => return None,
        };
        (shape.json == Scalar::String && !shape.values.is_empty())
            .then(|| self.enum_values(&shape.values, &child(pointer, "enum")))
    }

    /// The model kind of a `oneOf`/`anyOf` named `rust_name`: the one branch's when there is one;
    /// for scalars, an open enum (strings, some listed), the one type (branches of one JSON type)
    /// or a union; raw JSON for anything else.
    fn union_kind(&mut self, rust_name: &str, schema: &Schema, pointer: &str) -> ModelKind {
        let branches = unions::branches(schema).unwrap_or_default();
        let list_pointer = child(pointer, unions::keyword(schema));
        let Some(groups) = unions::groups(self.components, branches) else {
            return match branches {
                [only] => {
                    let at = child(&list_pointer, "0");
                    match only {
                        ReferenceOr::Item(inner) => self.model_kind(rust_name, inner, &at),
                        ReferenceOr::Reference { reference } => {
                            ModelKind::Alias(self.resolve_ref(reference, &at, None))
                        }
                    }
                }
                _ => ModelKind::Alias(TypeRef::Any),
            };
        };
        match groups.as_slice() {
            // Strings with values listed, of no one enum: an enum of its own, named `rust_name`.
            [group] if is_new_enum(group) => {
                ModelKind::OpenEnum(self.enum_values(&group.values(), &list_pointer))
            }
            [group] => ModelKind::Alias(self.group_type(rust_name, group, &list_pointer)),
            _ => ModelKind::Union(
                groups
                    .iter()
                    .map(|group| {
                        let variant = variant_name(group.json);
                        let context = format!("{rust_name}{variant}");
                        UnionVariant {
                            json: group.json,
                            rust_name: variant.to_string(),
                            ty: self.group_type(&context, group, &list_pointer),
                        }
                    })
                    .collect(),
            ),
        }
    }

    /// The Rust type of the branches of one JSON type: the enum they all refer to, an open enum
    /// of the strings they list (an inline model named `context`), or the JSON type's own (a
    /// named scalar, `Name: {type: string}`, is that type).
    fn group_type(&mut self, context: &str, group: &Group, list_pointer: &str) -> TypeRef {
        if let Some(component) = enum_component(group) {
            return TypeRef::Model(names::pascal(component));
        }
        if is_new_enum(group) {
            let pointer = child(list_pointer, group.members[0].0.to_string());
            if let Some(ty) = self.inline.get(&pointer) {
                return ty.clone();
            }
            let kind = ModelKind::OpenEnum(self.enum_values(&group.values(), list_pointer));
            let rust_name = self.inline_name(context, &pointer);
            self.insert(Model {
                name: context.to_string(),
                rust_name: rust_name.clone(),
                description: None,
                kind,
                pointer: pointer.clone(),
            });
            let ty = TypeRef::Model(rust_name);
            self.inline.insert(pointer, ty.clone());
            return ty;
        }
        match group.json {
            Scalar::String => TypeRef::String,
            Scalar::Integer => TypeRef::Integer(IntWidth::I64),
            Scalar::Number => TypeRef::Number,
            Scalar::Boolean => TypeRef::Boolean,
        }
    }

    fn lower_struct(
        &mut self,
        parent: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> Struct {
        let props_pointer = child(pointer, "properties");
        let mut fields = Vec::with_capacity(properties.len());
        for (json_name, schema) in properties {
            let field_pointer = child(&props_pointer, json_name);
            let context = format!("{parent}{}", names::pascal(json_name));
            let ty = self.type_of(&context, schema, &field_pointer);
            let (description, nullable) = match schema {
                ReferenceOr::Item(s) => (s.schema_data.description.clone(), s.schema_data.nullable),
                ReferenceOr::Reference { .. } => (None, false),
            };
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name: names::snake(json_name),
                ty,
                // A nullable field may hold null even when required: it is an `Option`.
                required: required.contains(json_name) && !nullable,
                boxed: false,
                description,
            });
        }
        self.resolve_field_names(&mut fields, pointer);
        let additional = match additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Schema(s)) => {
                let context = format!("{parent}Value");
                Some(self.type_of_unboxed(&context, s, &child(pointer, "additionalProperties")))
            }
        };
        Struct { fields, additional }
    }

    /// Field names are snake_case. When two JSON keys of one schema give the same snake_case
    /// name (`From` and `from`, `+1` and `-1`), the collision rule of [`names::distinct`] names
    /// each after its own spelling (`From`, `from`; `plus_1`, `minus_1`); anything still clashing
    /// is an error.
    fn resolve_field_names(&mut self, fields: &mut [Field], pointer: &str) {
        let spellings: Vec<&str> = fields.iter().map(|f| f.json_name.as_str()).collect();
        let resolved = names::distinct(&spellings, Style::Field);
        for (f, name) in fields.iter_mut().zip(resolved) {
            f.rust_name = name;
        }
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for f in fields.iter() {
            if let Some(other) = seen.insert(&f.rust_name, &f.json_name) {
                self.diagnostics.push(
                    Diagnostic::error(
                        child(&child(pointer, "properties"), &f.json_name),
                        format!(
                            "properties `{other}` and `{}` would both become the field `{}`",
                            f.json_name, f.rust_name
                        ),
                    )
                    .hint("rename one of the properties in the spec"),
                );
            }
        }
    }

    /// The variants of an enum listing `values` (each with what it means, when the spec says),
    /// named by the collision rule of [`names::distinct`]; `pointer` is the list's.
    fn enum_values(
        &mut self,
        values: &[(String, Option<String>)],
        pointer: &str,
    ) -> Vec<EnumValue> {
        // A value listed twice is one value.
        let mut unique: Vec<&(String, Option<String>)> = Vec::with_capacity(values.len());
        for v in values {
            if !unique.iter().any(|u| u.0 == v.0) {
                unique.push(v);
            }
        }
        let spellings: Vec<&str> = unique.iter().map(|(json, _)| json.as_str()).collect();
        let resolved = names::distinct(&spellings, Style::Variant);
        let mut out: Vec<EnumValue> = Vec::with_capacity(values.len());
        for ((json, description), rust_name) in unique.into_iter().zip(resolved) {
            let rust_name = if rust_name == "Unknown" {
                // `Unknown` holds the values the spec does not list; this value gets the escape.
                self.diagnostics.push(
                    Diagnostic::warning(pointer, format!("enum value `{json}` would become the variant `Unknown`, which holds values the spec does not list; it becomes `Unknown_`"))
                        .hint("nothing to do, unless another name reads better (rename the value with a patch)"),
                );
                "Unknown_".to_string()
            } else {
                rust_name
            };
            if let Some(other) = out.iter().find(|v| v.rust_name == rust_name) {
                self.diagnostics.push(
                    Diagnostic::error(
                        pointer,
                        format!(
                            "enum values `{}` and `{json}` would both become the variant `{rust_name}`",
                            other.json
                        ),
                    )
                    .hint("drop or rename one of the values in the spec"),
                );
                continue;
            }
            out.push(EnumValue {
                json: json.clone(),
                rust_name,
                description: description.clone(),
            });
        }
        out
    }

    /// The type of a schema that may be a reference; `context` names any inline model it needs.
    pub(crate) fn type_of(
        &mut self,
        context: &str,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, pointer, None),
            ReferenceOr::Item(s) => self.type_of_schema(context, s, pointer),
        }
    }

    pub(crate) fn type_of_unboxed(
        &mut self,
        context: &str,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, pointer, None),
            ReferenceOr::Item(s) => self.type_of_schema(context, s, pointer),
        }
    }

    pub(crate) fn type_of_schema(
        &mut self,
        context: &str,
        schema: &Schema,
        pointer: &str,
    ) -> TypeRef {
        if unions::is_null_only(schema) {
            return TypeRef::Null;
        }
        if let Some(branches) = unions::branches(schema) {
            if let Some(ty) = self.inline.get(pointer) {
                return ty.clone();
            }
            if unions::groups(self.components, branches).is_none() {
                // Not of scalars: one branch is that branch; more are raw JSON.
                return match branches {
                    [only] => {
                        let at = child(&child(pointer, unions::keyword(schema)), "0");
                        self.type_of_unboxed(context, only, &at)
                    }
                    _ => TypeRef::Any,
                };
            }
            return match self.union_kind(context, schema, pointer) {
                ModelKind::Alias(ty) => ty,
                kind => self.inline_model(context, schema, pointer, |_, _| kind),
            };
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                self.inline_model(context, schema, pointer, |this, _| {
                    match this.string_enum(schema, pointer) {
                        Some(values) => ModelKind::OpenEnum(values),
                        None => ModelKind::Alias(TypeRef::String),
                    }
                })
            }
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Integer(i)) => TypeRef::Integer(int_width(&i.format)),
            SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => {
                        self.type_of(&format!("{context}Item"), items, &child(pointer, "items"))
                    }
                    None => TypeRef::Any,
                };
                TypeRef::Array(Box::new(item))
            }
            SchemaKind::Type(Type::Object(o)) => {
                if o.properties.is_empty() {
                    self.map_type(context, o.additional_properties.as_ref(), pointer)
                } else {
                    self.inline_struct(context, schema, pointer)
                }
            }
            SchemaKind::Any(a) => {
                if !a.properties.is_empty() {
                    return self.inline_struct(context, schema, pointer);
                }
                if let Some(items) = &a.items {
                    let item =
                        self.type_of(&format!("{context}Item"), items, &child(pointer, "items"));
                    return TypeRef::Array(Box::new(item));
                }
                if !a.enumeration.is_empty()
                    && let Some(values) = self.string_enum(schema, pointer)
                {
                    return self.inline_model(context, schema, pointer, |_, _| {
                        ModelKind::OpenEnum(values)
                    });
                }
                match a.typ.as_deref() {
                    Some("string") => TypeRef::String,
                    Some("integer") => TypeRef::Integer(IntWidth::I64),
                    Some("number") => TypeRef::Number,
                    Some("boolean") => TypeRef::Boolean,
                    Some("array") => TypeRef::Array(Box::new(TypeRef::Any)),
                    Some("object") => {
                        self.map_type(context, a.additional_properties.as_ref(), pointer)
                    }
                    _ if a.additional_properties.is_some() => {
                        self.map_type(context, a.additional_properties.as_ref(), pointer)
                    }
                    _ => TypeRef::Any,
                }
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_of_unboxed(context, &all_of[0], &child(&child(pointer, "allOf"), "0"))
            }
            SchemaKind::AllOf { .. }
            | SchemaKind::OneOf { .. }
            | SchemaKind::AnyOf { .. }
            | SchemaKind::Not { .. } => TypeRef::Any,
        }
    }

    fn map_type(
        &mut self,
        context: &str,
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let value = self.type_of_unboxed(
                    &format!("{context}Value"),
                    s,
                    &child(pointer, "additionalProperties"),
                );
                TypeRef::Map(Box::new(value))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Any)),
        }
    }

    fn inline_struct(&mut self, context: &str, schema: &Schema, pointer: &str) -> TypeRef {
        // Its fields' models are named after the name it gets (`XInline` + field), so they
        // keep clear of the component's too.
        self.inline_model(context, schema, pointer, |this, rust_name| {
            this.model_kind(rust_name, schema, pointer)
        })
    }

    fn inline_model(
        &mut self,
        context: &str,
        schema: &Schema,
        pointer: &str,
        kind: impl FnOnce(&mut Self, &str) -> ModelKind,
    ) -> TypeRef {
        if let Some(ty) = self.inline.get(pointer) {
            return ty.clone();
        }
        let rust_name = self.inline_name(context, pointer);
        let kind = kind(self, &rust_name);
        self.insert(Model {
            name: context.to_string(),
            rust_name: rust_name.clone(),
            description: schema.schema_data.description.clone(),
            kind,
            pointer: pointer.to_string(),
        });
        let ty = TypeRef::Model(rust_name);
        self.inline.insert(pointer.to_string(), ty.clone());
        ty
    }

    /// The Rust name of the inline model at `pointer`, named after where it sits (`context`):
    /// component names win, so one a component has is renamed by `names::inline_type`, with a
    /// warning.
    fn inline_name(&mut self, context: &str, pointer: &str) -> String {
        let plain = names::pascal(context);
        let named = names::inline_type(&plain, |n| self.component_names.contains(n));
        if named != plain {
            self.diagnostics.push(
                Diagnostic::warning(
                    pointer,
                    format!(
                        "this inline schema would be the Rust type `{plain}`, which is the component schema `{plain}`'s; it is named `{named}`"
                    ),
                )
                .hint("make it a component schema of its own (and `$ref` it) to choose its name"),
            );
        }
        named
    }

    /// A `$ref` to a component schema; anything else becomes raw JSON with a warning.
    pub(crate) fn resolve_ref(
        &mut self,
        reference: &str,
        pointer: &str,
        operation: Option<&str>,
    ) -> TypeRef {
        if let Some(name) = crate::walk::component_schema(reference)
            && self.components.contains_key(&*name)
        {
            return TypeRef::Model(names::pascal(&name));
        }
        self.diagnostics.push(
            Diagnostic::warning(
                pointer,
                format!("`$ref: {reference}` does not resolve to a schema; using raw JSON (`serde_json::Value`)"),
            )
            .in_operation(operation)
            .hint("define the schema under #/components/schemas or fix the reference"),
        );
        TypeRef::Any
    }
}

/// The string enum every branch of `group` refers to, if they all refer to one.
fn enum_component(group: &Group) -> Option<&str> {
    let component = group.common_component()?;
    (group.json == Scalar::String && !group.values().is_empty()).then_some(component)
}

/// Whether `group` is strings with values listed, and not all of one enum: an enum of its own.
fn is_new_enum(group: &Group) -> bool {
    group.json == Scalar::String && !group.values().is_empty() && enum_component(group).is_none()
}

/// The variant of a union holding values of a JSON type.
fn variant_name(json: Scalar) -> &'static str {
    match json {
        Scalar::String => "String",
        Scalar::Integer => "Integer",
        Scalar::Number => "Number",
        Scalar::Boolean => "Boolean",
    }
}

fn int_width(format: &VariantOrUnknownOrEmpty<openapiv3::IntegerFormat>) -> IntWidth {
    match format {
        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => IntWidth::I32,
        _ => IntWidth::I64,
    }
}

/// A field whose type leads back to its own struct without passing through a `Vec` or map
/// needs a `Box`, or the type would have infinite size.
fn mark_recursive_fields(models: &mut BTreeMap<String, Model>) {
    let direct = |ty: &TypeRef| -> Option<String> {
        match ty {
            TypeRef::Model(name) => Some(name.clone()),
            _ => None,
        }
    };
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, model) in models.iter() {
        let targets = match &model.kind {
            ModelKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
            ModelKind::Alias(ty) => direct(ty).into_iter().collect(),
            ModelKind::OpenEnum(_) | ModelKind::Union(_) | ModelKind::ErrorEntry(_) => Vec::new(),
        };
        edges.insert(name.clone(), targets);
    }
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(edges.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut to_box = Vec::new();
    for (name, model) in models.iter() {
        if let ModelKind::Struct(s) = &model.kind {
            for (i, f) in s.fields.iter().enumerate() {
                if let Some(target) = direct(&f.ty)
                    && reaches(&target, name)
                {
                    to_box.push((name.clone(), i));
                }
            }
        }
    }
    for (name, i) in to_box {
        if let Some(Model {
            kind: ModelKind::Struct(s),
            ..
        }) = models.get_mut(&name)
        {
            s.fields[i].boxed = true;
        }
    }
}

/// Aliases that lead back to themselves through nothing but aliases, lists and maps
/// (`A = B`, `B = A`; `A = list of A`) describe no type at all: one error per cycle.
fn alias_cycles(models: &BTreeMap<String, Model>) -> Vec<Diagnostic> {
    fn targets(ty: &TypeRef, out: &mut Vec<String>) {
        match ty {
            TypeRef::Model(name) => out.push(name.clone()),
            TypeRef::Array(inner) | TypeRef::Map(inner) => targets(inner, out),
            _ => {}
        }
    }
    let alias_edges = |name: &str| -> Vec<String> {
        let mut out = Vec::new();
        if let Some(Model {
            kind: ModelKind::Alias(ty),
            ..
        }) = models.get(name)
        {
            targets(ty, &mut out);
        }
        out
    };
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    let mut diagnostics = Vec::new();
    for (name, model) in models {
        if !matches!(model.kind, ModelKind::Alias(_)) {
            continue;
        }
        // Depth-first search for a path of aliases from `name` back to `name`.
        let mut stack: Vec<(String, Vec<String>)> = vec![(name.clone(), vec![name.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in alias_edges(&node) {
                if &next == name {
                    let mut members = path.clone();
                    members.sort();
                    if reported.insert(members) {
                        let mut names: Vec<&str> = path
                            .iter()
                            .filter_map(|n| models.get(n).map(|m| m.name.as_str()))
                            .collect();
                        names.push(model.name.as_str());
                        diagnostics.push(
                            Diagnostic::error(&model.pointer, format!(
                                "schema `{}` is defined only in terms of itself ({}), so it describes no type",
                                model.name,
                                names.join(" → ")
                            ))
                            .hint("make one schema of the cycle an object, or point it at a real type"),
                        );
                    }
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next, p));
                }
            }
        }
    }
    diagnostics
}
