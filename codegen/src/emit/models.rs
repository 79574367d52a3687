//! `models.rs`: one Rust type per named schema.
//!
//! Models are tolerant of what the live service sends: every field is optional except required
//! lists and maps, which read `null` or a missing key as empty; open enums keep values they do
//! not know; undeclared keys are ignored unless the schema allows them, in which case they are
//! kept in `additional_properties`. Request models (those a request body reaches) send only
//! what was set: all their fields are optional, and they get a constructor and setters
//! (`builders.rs`).
//!
//! Their (de)serialization is the runtime's (`falcon_runtime::model`): each struct gets a
//! `match` from JSON key to field and one line per field, not serde's derives, whose visitors
//! would be most of what a downstream build compiles; `Debug` and `PartialEq` are one-line
//! impls over the same field list, not derives. The `{errors, meta, resources}` reply
//! shape most operations share is one generic runtime type, `Envelope`, and such models are
//! aliases of it. A union of JSON scalars is an enum with one variant per JSON type, read through
//! `model::deserialize_union` (one `match` from the JSON scalar to the variant).

use crate::emit::code::{Code, string};
use crate::emit::docs::paragraphs;
use crate::emit::features::Gates;
use crate::emit::request_models;
use crate::emit::types::{describe, rust_type};
use crate::emit::{Context, header};
use crate::ir::{Api, EnumValue, Field, Model, ModelKind, Scalar, Struct, TypeRef, UnionVariant};

pub(crate) fn emit(api: &Api, cx: &Context, gates: &Gates) -> String {
    let mut code = header(cx);
    code.inner_doc([format!(
        "Types of the request and response bodies of the {}, one per schema of the spec.",
        api.title
    )]);
    code.blank();
    // The runtime's `model` module by its own name: every model name is PascalCase.
    code.line(
        "#[allow(unused_imports, reason = \"a spec may have no struct or enum, or gate them all\")]",
    );
    code.line(format!("use {}::model;", cx.runtime));
    let requests = request_models::reached(api);
    for m in &api.models {
        code.blank();
        // Every item of a model, its impls included, carries its gate.
        let gate = gates.model(&m.rust_name);
        let request = requests.contains(&m.rust_name);
        model(&mut code, m, cx, gate.as_deref(), request);
    }
    code.finish()
}

fn model(code: &mut Code, m: &Model, cx: &Context, gate: Option<&str>, request: bool) {
    let docs = paragraphs([
        m.description.as_deref(),
        Some(&format!("Schema `{}`.", m.name)),
    ]);
    let name = &m.rust_name;
    match &m.kind {
        ModelKind::Struct(s) => match envelope(s) {
            Some([resource, meta, error]) => {
                code.doc(docs);
                code.attr(gate);
                code.line(format!(
                    "pub type {name} = {}::Envelope<{}, {}, {}>;",
                    cx.runtime,
                    rust_type(resource, ""),
                    rust_type(meta, ""),
                    rust_type(error, "")
                ));
            }
            None => structure(code, name, docs, s, gate, request),
        },
        ModelKind::OpenEnum(values) => open_enum(code, name, docs, values, gate),
        ModelKind::Union(variants) => union(code, name, docs, variants, gate),
        ModelKind::Alias(ty) => {
            code.doc(docs);
            code.attr(gate);
            code.line(format!("pub type {name} = {};", rust_type(ty, "")));
        }
    }
}

/// The resource, meta and error types of a struct of the shared reply shape: exactly the
/// fields `errors` (a required list), `meta` (anything but a required list or map) and
/// `resources` (a required list), none boxed, no undeclared keys kept.
fn envelope(s: &Struct) -> Option<[&TypeRef; 3]> {
    if s.fields.len() != 3 || s.additional.is_some() || s.fields.iter().any(|f| f.boxed) {
        return None;
    }
    let field = |name: &str| s.fields.iter().find(|f| f.json_name == name);
    let (errors, meta, resources) = (field("errors")?, field("meta")?, field("resources")?);
    fn required_list(f: &Field) -> Option<&TypeRef> {
        match (&f.ty, f.required) {
            (TypeRef::Array(item), true) => Some(item.as_ref()),
            _ => None,
        }
    }
    if meta.required && matches!(meta.ty, TypeRef::Array(_) | TypeRef::Map(_)) {
        return None;
    }
    Some([required_list(resources)?, &meta.ty, required_list(errors)?])
}

fn structure(
    code: &mut Code,
    name: &str,
    docs: Vec<String>,
    s: &Struct,
    gate: Option<&str>,
    request: bool,
) {
    // A declared property may already be called `additional_properties`.
    let extra = s.additional.as_ref().map(|ty| {
        let taken = s
            .fields
            .iter()
            .any(|f| f.rust_name == "additional_properties");
        let field = if taken {
            "additional_properties_"
        } else {
            "additional_properties"
        };
        (field, rust_type(ty, ""))
    });
    code.doc(docs);
    code.attr(gate);
    code.line("#[derive(Clone, Default)]");
    if s.fields
        .iter()
        .any(|f| f.rust_name != crate::names::snake(&f.rust_name))
    {
        code.line("#[allow(non_snake_case)]");
    }
    code.open(format!("pub struct {name} {{"));
    for f in &s.fields {
        field(code, f, request);
    }
    if let Some((field, ty)) = &extra {
        code.doc(["Keys the schema does not declare, kept as sent."]);
        code.line(format!(
            "pub {field}: ::std::collections::BTreeMap<String, {ty}>,"
        ));
    }
    code.close("}");

    code.blank();
    code.attr(gate);
    code.open(format!("impl model::Decode for {name} {{"));
    code.open("fn decode_field<'de, A: model::MapAccess<'de>>(");
    code.line("&mut self,");
    code.line("key: &str,");
    code.line("map: &mut A,");
    code.reopen(") -> Result<(), A::Error> {");
    code.open("match key {");
    for f in &s.fields {
        code.line(format!(
            "{} => model::read(map, &mut self.{}),",
            string(&f.json_name),
            f.rust_name
        ));
    }
    match &extra {
        Some((field, _)) => code.line(format!("_ => model::keep(map, key, &mut self.{field}),")),
        None => code.line("_ => model::skip(map),"),
    }
    code.close("}");
    code.close("}");
    code.close("}");

    code.blank();
    code.attr(gate);
    code.open(format!("impl model::Encode for {name} {{"));
    code.open("fn encode<'a>(&'a self, fields: &mut dyn model::Fields<'a>) {");
    for f in &s.fields {
        code.line(format!(
            "fields.field({}, &self.{});",
            string(&f.json_name),
            f.rust_name
        ));
    }
    if let Some((field, _)) = &extra {
        code.line(format!("fields.extra({}, &self.{field});", string(field)));
    }
    code.close("}");
    code.close("}");

    one_line_impl(
        code,
        gate,
        format!("impl<'de> model::Deserialize<'de> for {name} {{"),
        DESERIALIZE,
        format!("model::deserialize(deserializer, {})", string(name)),
    );
    one_line_impl(
        code,
        gate,
        format!("impl model::Serialize for {name} {{"),
        SERIALIZE,
        "model::serialize(self, serializer)".into(),
    );
    // `Debug` and `PartialEq` walk the same field list as `Serialize` (see the runtime's
    // `model::encode`): one line each, where derives would be a line per field each.
    one_line_impl(
        code,
        gate,
        format!("impl ::std::fmt::Debug for {name} {{"),
        FMT,
        format!("model::debug(self, {}, f)", string(name)),
    );
    one_line_impl(
        code,
        gate,
        format!("impl PartialEq for {name} {{"),
        "fn eq(&self, other: &Self) -> bool {",
        "model::eq(self, other)".into(),
    );

    if request {
        request_models::emit(code, name, s, gate);
    }
}

fn field(code: &mut Code, f: &Field, request: bool) {
    let json = &f.json_name;
    // A request model sends what was set: its required lists are options too.
    let required_collection =
        !request && f.required && matches!(f.ty, TypeRef::Array(_) | TypeRef::Map(_));
    let note = if request && f.required {
        format!(
            "`{json}`: {}; required (an argument of `new`).",
            describe(&f.ty, "")
        )
    } else if required_collection {
        format!(
            "`{json}`: {}; required (`null` reads as empty).",
            describe(&f.ty, "")
        )
    } else if f.required {
        format!(
            "`{json}`: {}; required by the spec, but the service may leave it out.",
            describe(&f.ty, "")
        )
    } else {
        format!("`{json}`: {}.", describe(&f.ty, ""))
    };
    let mut ty = rust_type(&f.ty, "");
    if f.boxed {
        ty = format!("Box<{ty}>");
    }
    if !required_collection {
        ty = format!("Option<{ty}>");
    }
    code.doc(paragraphs([f.description.as_deref(), Some(&note)]));
    code.line(format!("pub {}: {ty},", f.rust_name));
}

fn open_enum(
    code: &mut Code,
    name: &str,
    mut docs: Vec<String>,
    values: &[EnumValue],
    gate: Option<&str>,
) {
    docs.push(String::new());
    docs.push(
        "Values the spec does not list are kept in `Unknown`, so a newer service never breaks \
         decoding."
            .into(),
    );
    code.doc(docs);
    code.attr(gate);
    code.line("#[derive(Clone, Debug, PartialEq, Eq, Hash)]");
    // Values told apart by their spelling (`add`, `Add`) keep it as their variant's name.
    if values.iter().any(|v| !is_camel_case(&v.rust_name)) {
        code.line("#[allow(non_camel_case_types)]");
    }
    code.open(format!("pub enum {name} {{"));
    for v in values {
        let value = format!("`{}`", v.json);
        code.doc(paragraphs([v.description.as_deref(), Some(value.as_str())]));
        code.line(format!("{},", v.rust_name));
    }
    code.doc(["A value the spec does not list, kept as sent."]);
    code.line("Unknown(String),");
    code.close("}");

    code.blank();
    code.attr(gate);
    code.open(format!("impl {name} {{"));
    code.doc(["The value as it goes on the wire."]);
    code.open("pub fn as_str(&self) -> &str {");
    code.open("match self {");
    for v in values {
        code.line(format!("Self::{} => {},", v.rust_name, string(&v.json)));
    }
    code.line("Self::Unknown(value) => value,");
    code.close("}");
    code.close("}");
    code.close("}");

    code.blank();
    code.attr(gate);
    code.open(format!("impl From<String> for {name} {{"));
    code.open("fn from(value: String) -> Self {");
    code.open("match value.as_str() {");
    for v in values {
        code.line(format!("{} => Self::{},", string(&v.json), v.rust_name));
    }
    code.line("_ => Self::Unknown(value),");
    code.close("}");
    code.close("}");
    code.close("}");

    code.blank();
    code.attr(gate);
    code.open(format!("impl From<&str> for {name} {{"));
    code.open("fn from(value: &str) -> Self {");
    code.line("Self::from(value.to_owned())");
    code.close("}");
    code.close("}");

    code.blank();
    code.attr(gate);
    code.open(format!("impl From<{name}> for String {{"));
    code.open(format!("fn from(value: {name}) -> Self {{"));
    code.open("match value {");
    for v in values {
        code.line(format!(
            "{name}::{} => {}.to_string(),",
            v.rust_name,
            string(&v.json)
        ));
    }
    code.line(format!("{name}::Unknown(value) => value,"));
    code.close("}");
    code.close("}");
    code.close("}");

    one_line_impl(
        code,
        gate,
        format!("impl<'de> model::Deserialize<'de> for {name} {{"),
        DESERIALIZE,
        "model::deserialize_enum(deserializer)".into(),
    );
    one_line_impl(
        code,
        gate,
        format!("impl model::Serialize for {name} {{"),
        SERIALIZE,
        "serializer.serialize_str(self.as_str())".into(),
    );
    one_line_impl(
        code,
        gate,
        format!("impl ::std::fmt::Display for {name} {{"),
        FMT,
        "f.write_str(self.as_str())".into(),
    );
}

/// The signatures of the trait methods the models implement.
const DESERIALIZE: &str =
    "fn deserialize<D: model::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {";
const SERIALIZE: &str =
    "fn serialize<S: model::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {";
const FMT: &str = "fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {";

/// `head` (`impl X for Name {`) holding one method whose body is one line.
fn one_line_impl(code: &mut Code, gate: Option<&str>, head: String, method: &str, body: String) {
    code.blank();
    code.attr(gate);
    code.open(head);
    code.open(method);
    code.line(body);
    code.close("}");
    code.close("}");
}

/// Whether rustc's `non_camel_case_types` lint accepts `name` (its rule: after trimming `_`, no
/// lowercase start, no `__`, no `_` beside a letter).
fn is_camel_case(name: &str) -> bool {
    let name = name.trim_matches('_');
    let chars: Vec<char> = name.chars().collect();
    !chars.first().is_some_and(|c| c.is_lowercase())
        && !name.contains("__")
        && !chars
            .windows(2)
            .any(|w| (w[0].is_alphabetic() && w[1] == '_') || (w[0] == '_' && w[1].is_alphabetic()))
}

/// A union of JSON scalars: one variant per JSON type, each holding the value as sent; it reads
/// whichever type the service sends, writes the value back as it is, and displays it as a
/// parameter goes on the wire.
fn union(
    code: &mut Code,
    name: &str,
    mut docs: Vec<String>,
    variants: &[UnionVariant],
    gate: Option<&str>,
) {
    docs.push(String::new());
    docs.push("One variant per JSON type the value may have, holding it as sent.".into());
    code.doc(docs);
    code.attr(gate);
    code.line("#[derive(Clone, Debug, PartialEq)]");
    code.open(format!("pub enum {name} {{"));
    for v in variants {
        code.doc([match &v.ty {
            TypeRef::Model(_) => format!("A JSON {} ({}).", v.json.name(), describe(&v.ty, "")),
            _ => format!("A JSON {}.", v.json.name()),
        }]);
        code.line(format!("{}({}),", v.rust_name, rust_type(&v.ty, "")));
    }
    code.close("}");

    // Each JSON scalar the runtime reads to the variant that holds it; an integer fits a number.
    let has = |json: Scalar| variants.iter().any(|v| v.json == json);
    code.blank();
    code.attr(gate);
    code.open(format!("impl model::Union for {name} {{"));
    code.open("fn from_scalar(value: model::JsonScalar) -> Option<Self> {");
    code.open("match value {");
    for v in variants {
        let value = match &v.ty {
            TypeRef::Model(_) => "value.into()",
            _ => "value",
        };
        code.line(format!(
            "model::JsonScalar::{0}(value) => Some(Self::{0}({value})),",
            v.rust_name
        ));
    }
    if has(Scalar::Number) && !has(Scalar::Integer) {
        code.line("model::JsonScalar::Integer(value) => Some(Self::Number(value as f64)),");
    }
    let covered = [
        Scalar::Boolean,
        Scalar::Integer,
        Scalar::Number,
        Scalar::String,
    ]
    .iter()
    .all(|&json| has(json) || (json == Scalar::Integer && has(Scalar::Number)));
    if !covered {
        code.line("_ => None,");
    }
    code.close("}");
    code.close("}");
    code.close("}");

    one_line_impl(
        code,
        gate,
        format!("impl<'de> model::Deserialize<'de> for {name} {{"),
        DESERIALIZE,
        format!("model::deserialize_union(deserializer, {})", string(name)),
    );

    code.blank();
    code.attr(gate);
    code.open(format!("impl model::Serialize for {name} {{"));
    code.open(SERIALIZE);
    code.open("match self {");
    for v in variants {
        code.line(format!(
            "Self::{}(value) => model::Serialize::serialize(value, serializer),",
            v.rust_name
        ));
    }
    code.close("}");
    code.close("}");
    code.close("}");

    code.blank();
    code.doc(["The value as a parameter sends it."]);
    code.attr(gate);
    code.open(format!("impl ::std::fmt::Display for {name} {{"));
    code.open(FMT);
    code.open("match self {");
    for v in variants {
        code.line(format!(
            "Self::{}(value) => ::std::fmt::Display::fmt(value, f),",
            v.rust_name
        ));
    }
    code.close("}");
    code.close("}");
    code.close("}");

    for v in variants {
        let from = |code: &mut Code, ty: &str, value: &str| {
            code.blank();
            code.attr(gate);
            code.open(format!("impl From<{ty}> for {name} {{"));
            code.open(format!("fn from(value: {ty}) -> Self {{"));
            code.line(format!("Self::{}({value})", v.rust_name));
            code.close("}");
            code.close("}");
        };
        match &v.ty {
            TypeRef::Model(model) => {
                from(code, model, "value");
                from(code, "String", "value.into()");
                from(code, "&str", "value.to_string().into()");
            }
            ty => {
                from(code, &rust_type(ty, ""), "value");
                if v.json == Scalar::String {
                    from(code, "&str", "value.to_string()");
                }
            }
        }
    }
}
