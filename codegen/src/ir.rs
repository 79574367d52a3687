//! The owned intermediate form: everything the emitters need, resolved and named.
//!
//! Lowering (`crate::lower`) builds it from a parsed OpenAPI 3.0 document; the emitters
//! (`crate::emit`) read only this, never the raw document. Other input formats become OpenAPI
//! 3.0 before lowering (Swagger 2.0 in `crate::swagger`), so there is one lowering.

/// One API: its operations and the named types they use.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title` of the spec.
    pub title: String,
    /// Operations sorted by path, then by method (GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH,
    /// TRACE), so the output does not depend on the order of the document.
    pub operations: Vec<Operation>,
    /// Named types, sorted by Rust name so the output does not depend on spec order.
    pub models: Vec<Model>,
}

pub use falcon_operation::{
    ArrayStyle, FormEncoding, Kind, Location, Method, Paging, Scalar, Style,
};

/// One HTTP operation and every name the generated client gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operation id exactly as the spec spells it (`indicator.combined.v1`).
    pub id: String,
    /// The client method (`indicator_combined_v1`).
    pub method_name: String,
    /// A second method spelled exactly as the id, when the id is PascalCase (`DevicesCount`).
    pub alias: Option<String>,
    /// The request builder type (`IndicatorCombinedV1`).
    pub builder_name: String,
    /// The name of the static table row (`INDICATOR_COMBINED_V1`).
    pub table_name: String,
    /// Every string `command()` accepts for this operation, the spec id first.
    pub command_ids: Vec<String>,
    pub http_method: Method,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The spec's tags, in its order (a generated crate may gate operations by tag).
    pub tags: Vec<String>,
    /// Parameters outside a JSON body, form fields included, in spec order.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Success,
    /// How the operation pages, as its table row tells the runtime.
    pub paging: Paging,
    /// JSON pointer of the operation in the source document.
    pub pointer: String,
    /// The name FalconPy's service class gives the operation (`devices_count`), from the
    /// spec's `x-falconpy-name`: a doc alias on the method, a row in the client's FalconPy table.
    pub falconpy_name: Option<String>,
}

impl Operation {
    /// How the form fields go on the wire, when the operation has a form body.
    pub fn form_encoding(&self) -> Option<FormEncoding> {
        self.params.iter().find_map(|p| match p.location {
            Location::Form => Some(FormEncoding::UrlEncoded),
            Location::Multipart => Some(FormEncoding::Multipart),
            _ => None,
        })
    }
}

/// One parameter outside the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The wire name (`from.expiration_timestamp`).
    pub name: String,
    /// The setter name (`from_expiration_timestamp`, `type_`).
    pub rust_name: String,
    /// The name calls give it (`command()`'s key, the CLI's, the table row's `arg`): the wire
    /// name, or, when another parameter of the operation has that wire name in another place,
    /// the location then the wire name (`query_path`): [`crate::names::located`].
    pub arg: String,
    /// Where it goes; a form field's location says the form's encoding.
    pub location: Location,
    pub kind: Kind,
    pub required: bool,
    pub description: Option<String>,
    /// Values the spec lists. Documentation only: the service accepts more.
    pub enum_values: Vec<String>,
    /// The open enum (a model's Rust name) the values belong to, when the parameter's schema,
    /// or its items', is a `$ref` to one: the setter then takes that enum or a string.
    pub enum_model: Option<String>,
    pub default: Option<serde_json::Value>,
    /// The named type of the parameter, when it has one: a `$ref`'d schema, or a model made for
    /// an inline `oneOf` of several scalar types. Its docs link to it; a [`ModelKind::Union`]
    /// is what the setter takes.
    pub model: Option<String>,
    /// For a [`Kind::Structured`] parameter: the Rust type its setter takes (its schema's: a
    /// model, a list or map of them, or `serde_json::Value` where the schema is free-form or a
    /// union with an object branch).
    pub value_type: Option<TypeRef>,
    /// What the service takes of it in one request (`maxItems`, `minimum`, `maximum`).
    pub limits: Limits,
}

/// The limits a spec states for a parameter, as JSON Schema keywords: the table row carries
/// them, the runtime enforces them (splitting ID lists, checking ranges) and the docs state them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// For a list: the most items one request holds (`maxItems`).
    pub max_items: Option<u32>,
    /// For an integer: the smallest value taken (`minimum`, or one above an exclusive one).
    pub minimum: Option<i64>,
    /// For an integer: the largest value taken (`maximum`, or one below an exclusive one).
    pub maximum: Option<i64>,
}

impl Limits {
    /// Whether the spec states none.
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// The request body: JSON, or raw bytes (a form's fields are [`Param`]s instead).
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The JSON body's type; [`TypeRef::String`] for a raw body.
    pub ty: TypeRef,
    pub required: bool,
    /// The media type it is sent as: `application/json`, or the one chosen for a raw body.
    pub content_type: String,
    /// How it goes on the wire.
    pub format: BodyFormat,
    pub description: Option<String>,
    /// The spec's example of the body (the media type's `example`), shown by the CLI's help.
    pub example: Option<serde_json::Value>,
    /// Top-level list fields of the body with the most items one request holds (`maxItems`),
    /// by name.
    pub max_items: Vec<(String, u32)>,
}

/// How a request body goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// JSON of [`Body::ty`].
    Json,
    /// Bytes as the caller gives them (`application/octet-stream`, `image/jpeg`, ...).
    Bytes,
    /// Text as the caller gives it (a `text/*` media type).
    Text,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// The lowest 2xx status the spec lists (200 when it lists none).
    pub status: u16,
    /// The JSON body type; `None` when the spec gives no schema (the client keeps raw JSON).
    pub ty: Option<TypeRef>,
}

/// A type as a field, body or response uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    String,
    Integer(IntWidth),
    Number,
    Boolean,
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// Anything: no type was given, or a reference could not be resolved.
    Any,
    /// JSON `null`, the one value of an enum that lists nothing else (`()`).
    Null,
    /// A generated model, by Rust name.
    Model(String),
}

impl TypeRef {
    /// The type in words, for a human reader: `string`, `integer`, `number`, `boolean`,
    /// `list of …`, and the rest in the words of `words`' audience.
    pub fn describe(&self, words: &Words) -> String {
        match self {
            TypeRef::String => "string".into(),
            TypeRef::Integer(IntWidth::I32) => words.int32.into(),
            TypeRef::Integer(IntWidth::I64) => "integer".into(),
            TypeRef::Number => "number".into(),
            TypeRef::Boolean => "boolean".into(),
            TypeRef::Array(item) => format!("list of {}", item.describe(words)),
            TypeRef::Map(value) => format!("{} {}", words.map, value.describe(words)),
            TypeRef::Any => words.any.into(),
            TypeRef::Null => words.null.into(),
            TypeRef::Model(name) => (words.model)(name),
        }
    }
}

/// What one audience (the generated docs, the command line's help, the diff report) calls the
/// parts of a type that [`TypeRef::describe`] does not say the same way for all.
pub struct Words<'a> {
    /// A 32-bit integer (`integer`, or `integer (32-bit)` where the width matters).
    pub int32: &'a str,
    /// What goes before a map's value type (`map of`).
    pub map: &'a str,
    /// [`TypeRef::Any`].
    pub any: &'a str,
    /// [`TypeRef::Null`].
    pub null: &'a str,
    /// A model, given its Rust name.
    pub model: &'a dyn Fn(&str) -> String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntWidth {
    I32,
    I64,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The name in the spec (`api.IndicatorV1`), or the synthetic path of an inline schema.
    pub name: String,
    /// The Rust name (`ApiIndicatorV1`).
    pub rust_name: String,
    pub description: Option<String>,
    pub kind: ModelKind,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModelKind {
    Struct(Struct),
    /// A string enum that keeps values it does not know.
    OpenEnum(Vec<EnumValue>),
    /// Another name for a type (`pub type X = ...`).
    Alias(TypeRef),
    /// A value of one of several JSON scalar types (a `oneOf` or `anyOf` of scalars): one variant
    /// per JSON type, in the spec's order, each holding the value as sent.
    Union(Vec<UnionVariant>),
    /// The error entry of the service's reply envelope (`msa.APIError`: `code`, `message`,
    /// `id`): the runtime's own type (`ApiErrorEntry`), so an entry of a 2xx reply's `errors`
    /// and one of an error reply are the same type. The schema's fields are kept for help and
    /// diffs. Decided by `lower` (`error_entries`).
    ErrorEntry(Struct),
}

/// One JSON type a [`ModelKind::Union`] accepts.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The JSON type.
    pub json: Scalar,
    /// The variant's name, after its JSON type (`Integer`, `String`).
    pub rust_name: String,
    /// The Rust type of the value: the JSON type's own, or a model (an open enum, for strings
    /// the spec lists).
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Type of the values of undeclared keys, when `additionalProperties` allows them.
    pub additional: Option<TypeRef>,
}

impl Struct {
    /// The resource, meta and error types of a struct of the shared reply shape: exactly the
    /// fields `errors` (a required list), `meta` (anything but a required list or map) and
    /// `resources` (a required list), none boxed, no undeclared keys kept.
    pub fn envelope(&self) -> Option<[&TypeRef; 3]> {
        if self.fields.len() != 3
            || self.additional.is_some()
            || self.fields.iter().any(|f| f.boxed)
        {
            return None;
        }
        let field = |name: &str| self.fields.iter().find(|f| f.json_name == name);
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON key, exactly.
    pub json_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    /// Whether the field needs a `Box` because the type contains itself.
    pub boxed: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub json: String,
    pub rust_name: String,
    /// What the value means, when the spec says (an enum written as a `oneOf` of one-value
    /// enums describes each).
    pub description: Option<String>,
}
