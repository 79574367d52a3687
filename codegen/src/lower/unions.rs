//! `oneOf` and `anyOf` of scalars: what JSON types a schema allows, and which string values it
//! lists, seen through `$ref`s and one-element `allOf`s.
//!
//! A `oneOf`/`anyOf` whose branches are all scalars is ordinary OpenAPI: an enum written as
//! one-value enums (`oneOf: [{enum: [asc], description: ...}, {enum: [desc], ...}]`), a value that
//! is a number or its name (`oneOf: [integer, string]`), an id that is a UUID or a name (two
//! strings). Both schema lowering (models) and parameter lowering read them through this
//! module; anything with an object or list branch is not a scalar union (`None`).

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use crate::ir::Scalar;

/// Component schemas by name.
pub(crate) type Components = IndexMap<String, ReferenceOr<Schema>>;

/// How deep `$ref` chains and nested schemas are followed before giving up (a spec that nests
/// deeper is odd, or cyclic).
const MAX_DEPTH: usize = 16;

/// A schema that is a JSON scalar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shape {
    pub json: Scalar,
    /// The component schema it refers to, when it is a `$ref` (the name as the spec spells it).
    pub component: Option<String>,
    /// The string values it lists, each with what it means when the spec says; empty for a
    /// scalar that takes any value.
    pub values: Vec<(String, Option<String>)>,
}

/// The branches of a scalar union, grouped by JSON type in the order each type first appears.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    pub json: Scalar,
    /// Each branch of this type: its index among the branches, and its shape.
    pub members: Vec<(usize, Shape)>,
}

impl Group {
    /// The values its members list, each once, in order. A member that takes any value lists
    /// none, so "these values or any string" lists these.
    pub fn values(&self) -> Vec<(String, Option<String>)> {
        let mut out: Vec<(String, Option<String>)> = Vec::new();
        for (_, shape) in &self.members {
            for (value, description) in &shape.values {
                if !out.iter().any(|(v, _)| v == value) {
                    out.push((value.clone(), description.clone()));
                }
            }
        }
        out
    }

    /// The one component every member refers to, if they all refer to the same one.
    pub fn common_component(&self) -> Option<&str> {
        let first = self.members.first()?.1.component.as_deref()?;
        self.members
            .iter()
            .all(|(_, s)| s.component.as_deref() == Some(first))
            .then_some(first)
    }
}

/// The branches of a `oneOf`/`anyOf` schema, if it is one.
pub(crate) fn branches(schema: &Schema) -> Option<&[ReferenceOr<Schema>]> {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => Some(one_of),
        SchemaKind::AnyOf { any_of } => Some(any_of),
        SchemaKind::Any(a) if !a.one_of.is_empty() && is_bare(a) => Some(&a.one_of),
        SchemaKind::Any(a) if !a.any_of.is_empty() && is_bare(a) => Some(&a.any_of),
        _ => None,
    }
}

/// The keyword of a union schema: `oneOf` or `anyOf`.
pub(crate) fn keyword(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::AnyOf { .. } => "anyOf",
        SchemaKind::Any(a) if a.one_of.is_empty() => "anyOf",
        _ => "oneOf",
    }
}

/// An `AnySchema` that holds a union and nothing that would constrain it further.
fn is_bare(a: &openapiv3::AnySchema) -> bool {
    a.properties.is_empty() && a.items.is_none() && a.all_of.is_empty() && a.not.is_none()
}

/// The branches grouped by JSON type, when every branch is a scalar; `None` otherwise.
pub(crate) fn groups(
    components: &Components,
    branches: &[ReferenceOr<Schema>],
) -> Option<Vec<Group>> {
    groups_at(components, branches, 0)
}

/// [`groups`], `depth` schemas deep.
fn groups_at(
    components: &Components,
    branches: &[ReferenceOr<Schema>],
    depth: usize,
) -> Option<Vec<Group>> {
    if branches.is_empty() || depth > MAX_DEPTH {
        return None;
    }
    let mut groups: Vec<Group> = Vec::new();
    for (i, branch) in branches.iter().enumerate() {
        let mut shape = shape(components, branch, depth + 1)?;
        // A branch that lists one value describes that value (the `oneOf` way of writing an
        // enum whose values each have a meaning).
        if let [(_, description @ None)] = shape.values.as_mut_slice() {
            *description = describe(components, branch);
        }
        match groups.iter_mut().find(|g| g.json == shape.json) {
            Some(group) => group.members.push((i, shape)),
            None => groups.push(Group {
                json: shape.json,
                members: vec![(i, shape)],
            }),
        }
    }
    Some(groups)
}

/// The one scalar every group is, as it goes on the wire in a query, path, header or form:
/// the common JSON type (an integer is a number too), or text.
pub(crate) fn wire_scalar(groups: &[Group]) -> Scalar {
    let types: Vec<Scalar> = groups.iter().map(|g| g.json).collect();
    match types.as_slice() {
        [one] => *one,
        _ if types
            .iter()
            .all(|t| matches!(t, Scalar::Integer | Scalar::Number)) =>
        {
            Scalar::Number
        }
        _ => Scalar::String,
    }
}

/// The shape of a schema or reference, if it is a scalar.
pub(crate) fn shape(
    components: &Components,
    schema: &ReferenceOr<Schema>,
    depth: usize,
) -> Option<Shape> {
    let (resolved, component) = resolve(components, schema)?;
    let mut shape = shape_of(components, resolved, depth)?;
    if component.is_some() {
        shape.component = component.map(str::to_string);
    }
    Some(shape)
}

/// A reference followed to the schema it names (through chains of component references), with
/// the first component's name; an inline schema as it is.
pub(crate) fn resolve<'a>(
    components: &'a Components,
    schema: &'a ReferenceOr<Schema>,
) -> Option<(&'a Schema, Option<&'a str>)> {
    let mut first: Option<&'a str> = None;
    let mut at = schema;
    for _ in 0..MAX_DEPTH {
        match at {
            ReferenceOr::Item(s) => return Some((s, first)),
            ReferenceOr::Reference { reference } => {
                let name = crate::walk::component_schema(reference)?;
                let (key, next) = components.get_key_value(&*name)?;
                first.get_or_insert(key.as_str());
                at = next;
            }
        }
    }
    None
}

/// The description of a branch: its own, or that of what it refers to or wraps.
fn describe(components: &Components, branch: &ReferenceOr<Schema>) -> Option<String> {
    let mut at = branch;
    for _ in 0..MAX_DEPTH {
        let (schema, _) = resolve(components, at)?;
        if let Some(d) = &schema.schema_data.description {
            return Some(d.clone());
        }
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => at = &all_of[0],
            _ => return None,
        }
    }
    None
}

/// A schema with its `allOf`s of one schema (and references) followed to what they wrap;
/// `None` when they do not end (a cycle) or a reference does not resolve.
pub(crate) fn unwrap_all_of<'a>(
    components: &'a Components,
    schema: &'a Schema,
) -> Option<&'a Schema> {
    let mut at = schema;
    for _ in 0..MAX_DEPTH {
        match &at.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                at = resolve(components, &all_of[0])?.0;
            }
            _ => return Some(at),
        }
    }
    None
}

/// The shape of an inline schema, if it is a scalar. Values carry no description here; a
/// union's branches describe theirs ([`groups`]).
pub(crate) fn shape_of(components: &Components, schema: &Schema, depth: usize) -> Option<Shape> {
    if depth > MAX_DEPTH {
        return None;
    }
    let scalar = |json: Scalar, values: Vec<(String, Option<String>)>| {
        Some(Shape {
            json,
            component: None,
            values,
        })
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            let values: Vec<&str> = s.enumeration.iter().flatten().map(String::as_str).collect();
            if values.is_empty() && !s.enumeration.is_empty() {
                // `enum: [null]`: the null type, not a string.
                return None;
            }
            scalar(Scalar::String, listed(&values))
        }
        SchemaKind::Type(Type::Integer(_)) => scalar(Scalar::Integer, Vec::new()),
        SchemaKind::Type(Type::Number(_)) => scalar(Scalar::Number, Vec::new()),
        SchemaKind::Type(Type::Boolean(_)) => scalar(Scalar::Boolean, Vec::new()),
        SchemaKind::Type(Type::Object(_) | Type::Array(_)) | SchemaKind::Not { .. } => None,
        SchemaKind::AllOf { all_of } => match all_of.as_slice() {
            // `allOf: [$ref]` is how a spec gives a reference words of its own.
            [only] => shape(components, only, depth + 1),
            _ => None,
        },
        SchemaKind::OneOf { one_of: branches } | SchemaKind::AnyOf { any_of: branches } => {
            // A union inside a union: a scalar when it is of one JSON type.
            let groups = groups_at(components, branches, depth + 1)?;
            match groups.as_slice() {
                [group] => scalar(group.json, group.values()),
                _ => None,
            }
        }
        SchemaKind::Any(a) => {
            if !a.properties.is_empty() || a.items.is_some() || !a.all_of.is_empty() {
                return None;
            }
            if let Some(branches) = branches(schema) {
                let groups = groups_at(components, branches, depth + 1)?;
                return match groups.as_slice() {
                    [group] => scalar(group.json, group.values()),
                    _ => None,
                };
            }
            let json = match a.typ.as_deref() {
                Some("string") => Scalar::String,
                Some("integer") => Scalar::Integer,
                Some("number") => Scalar::Number,
                Some("boolean") => Scalar::Boolean,
                // No type: a scalar only when it lists strings (`enum: [a]`, or `const: a`).
                None if !a.enumeration.is_empty() => Scalar::String,
                _ => return None,
            };
            if json != Scalar::String || a.enumeration.is_empty() {
                return scalar(json, Vec::new());
            }
            let values: Vec<&str> = a
                .enumeration
                .iter()
                .filter_map(serde_json::Value::as_str)
                .collect();
            if values.is_empty()
                || values.len() != a.enumeration.iter().filter(|v| !v.is_null()).count()
            {
                // Only `null`, or values that are not strings.
                return None;
            }
            scalar(Scalar::String, listed(&values))
        }
    }
}

fn listed(values: &[&str]) -> Vec<(String, Option<String>)> {
    values.iter().map(|v| (v.to_string(), None)).collect()
}

/// Whether a schema is an enum that lists only `null` (`enum: [null]`): the null type.
pub(crate) fn is_null_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            !s.enumeration.is_empty() && s.enumeration.iter().all(Option::is_none)
        }
        SchemaKind::Any(a) => {
            matches!(a.typ.as_deref(), None | Some("string"))
                && a.properties.is_empty()
                && a.items.is_none()
                && !a.enumeration.is_empty()
                && a.enumeration.iter().all(serde_json::Value::is_null)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas(yaml: &str) -> Components {
        serde_yaml_ng::from_str(yaml).unwrap()
    }

    fn union(components: &Components, yaml: &str) -> Option<Vec<Group>> {
        let schema: Schema = serde_yaml_ng::from_str(yaml).unwrap();
        groups(components, branches(&schema)?)
    }

    #[test]
    fn one_value_enums_are_one_string_group_with_their_words() {
        let c = Components::new();
        let g = union(
            &c,
            "oneOf: [{type: string, enum: [a], description: A.}, {enum: [b]}, {type: string, enum: [a]}]",
        )
        .unwrap();
        assert_eq!(g.len(), 1);
        assert_eq!(
            g[0].values(),
            [
                ("a".to_string(), Some("A.".to_string())),
                ("b".to_string(), None)
            ]
        );
    }

    #[test]
    fn references_and_all_of_wrappers_are_followed() {
        let c = schemas(
            "Name: {type: string}\nAlias: {$ref: '#/components/schemas/Name'}\nMode: {oneOf: [{enum: [x]}]}",
        );
        let g = union(
            &c,
            "oneOf: [{allOf: [{type: string, format: uuid}]}, {allOf: [{$ref: '#/components/schemas/Alias'}]}, {type: integer}]",
        )
        .unwrap();
        assert_eq!(
            g.iter().map(|g| g.json).collect::<Vec<_>>(),
            [Scalar::String, Scalar::Integer]
        );
        assert_eq!(g[0].members[1].1.component.as_deref(), Some("Alias"));
        assert_eq!(wire_scalar(&g), Scalar::String);
        let mode = shape(
            &c,
            &serde_yaml_ng::from_str("$ref: '#/components/schemas/Mode'").unwrap(),
            0,
        )
        .unwrap();
        assert_eq!((mode.json, mode.values.len()), (Scalar::String, 1));
    }

    #[test]
    fn objects_lists_and_cycles_are_not_scalar_unions() {
        let c = schemas(
            "A: {$ref: '#/components/schemas/B'}\nB: {$ref: '#/components/schemas/A'}\nC: {oneOf: [{$ref: '#/components/schemas/C'}]}\nD: {allOf: [{$ref: '#/components/schemas/D'}]}",
        );
        assert!(union(&c, "oneOf: [{$ref: '#/components/schemas/C'}]").is_none());
        assert!(union(&c, "anyOf: [{$ref: '#/components/schemas/D'}]").is_none());
        assert!(
            union(
                &c,
                "oneOf: [{type: string}, {type: object, properties: {a: {type: string}}}]"
            )
            .is_none()
        );
        assert!(
            union(
                &c,
                "oneOf: [{type: string}, {type: array, items: {type: string}}]"
            )
            .is_none()
        );
        assert!(
            union(
                &c,
                "oneOf: [{type: string}, {$ref: '#/components/schemas/A'}]"
            )
            .is_none()
        );
        assert!(union(&c, "anyOf: [{type: string, enum: [null]}]").is_none());
        let numbers = union(&c, "anyOf: [{type: integer}, {type: number}]").unwrap();
        assert_eq!(wire_scalar(&numbers), Scalar::Number);
    }
}
