//! Request bodies: a JSON body, or a form whose fields become form parameters.

use openapiv3::{ReferenceOr, RequestBody as SpecBody, Schema, SchemaKind, Type};

use crate::diagnostics::{Diagnostic, child};
use indexmap::IndexMap;

use crate::ir::{Body, BodyFormat, FormEncoding, Kind, Limits, Location, Method, Param, TypeRef};
use crate::lower::operations::Operations;
use crate::lower::params::Styling;
use crate::lower::unions;
use crate::names;

/// What an operation's request body becomes.
pub(crate) enum LoweredBody {
    Json(Body),
    /// Bytes (or text) sent as given under the media type chosen ([`raw_media`]).
    Raw(Body),
    /// One parameter per form field, located [`Location::Form`] or [`Location::Multipart`].
    Form(Vec<Param>),
    /// A media type the client cannot send (a warning says so).
    Unsupported,
}

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

/// The media type a raw body (neither JSON nor a form) is sent as, of those the spec offers:
/// `application/octet-stream` when offered (bytes of any kind), else the first concrete type
/// by name, else the first (a wildcard such as `image/*`, which the caller makes precise).
/// Parameters (`; charset=utf-8`) stay. `None` when the spec offers no media type.
fn raw_media<'m>(offered: impl Iterator<Item = &'m str>) -> Option<&'m str> {
    let offered: Vec<&str> = offered.collect();
    let essence = |m: &str| {
        m.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    offered
        .iter()
        .find(|m| essence(m) == "application/octet-stream")
        .or_else(|| offered.iter().find(|m| !m.contains('*')))
        .or_else(|| offered.first())
        .copied()
}

/// How a raw body of `media` is taken: text for `text/*` (a concrete one), else bytes.
fn raw_format(media: &str) -> BodyFormat {
    let essence = media.split(';').next().unwrap_or("").trim();
    if essence.to_ascii_lowercase().starts_with("text/") && !essence.contains('*') {
        BodyFormat::Text
    } else {
        BodyFormat::Bytes
    }
}

/// Media types read as JSON bodies.
pub(crate) fn is_json(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or("").trim();
    media == "application/json" || media == "*/*" || media.ends_with("+json")
}

impl<'a> Operations<'a, '_> {
    /// The JSON body; or, for a form body, one form parameter per field.
    pub(crate) fn lower_body(
        &mut self,
        body: &'a ReferenceOr<SpecBody>,
        builder_name: &str,
        pointer: &str,
        id: &str,
        method: Method,
    ) -> LoweredBody {
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
                        return LoweredBody::Unsupported;
                    }
                }
            }
        };
        if matches!(method, Method::Get | Method::Head) && !holds_nothing(body) {
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
            let max_items = content
                .schema
                .as_ref()
                .map(|s| list_limits(self.schemas.components(), s))
                .unwrap_or_default();
            let body = Body {
                ty,
                required: body.required,
                content_type: "application/json".to_string(),
                format: BodyFormat::Json,
                description: body.description.clone(),
                example: content.example.clone(),
                max_items,
            };
            return LoweredBody::Json(body);
        }
        // Multipart when the spec offers it (it carries files too), else url-encoded.
        let form = body
            .content
            .iter()
            .filter_map(|(m, c)| Some((form_encoding(m)?, m, c)))
            .min_by_key(|(e, _, _)| *e != FormEncoding::Multipart);
        if let Some((encoding, media, content)) = form {
            let media_pointer = child(&child(pointer, "content"), media);
            return LoweredBody::Form(self.lower_form(
                content,
                encoding,
                &media_pointer,
                id,
                builder_name,
            ));
        }
        // Anything else is sent as the caller's bytes, under the media type the spec declares.
        let Some(media) = raw_media(body.content.keys().map(String::as_str)) else {
            self.diagnostics.push(
                Diagnostic::warning(
                    child(pointer, "content"),
                    "the request body declares no media type; the operation is generated without a body",
                )
                .in_operation(Some(id))
                .hint("give the body a media type under `content` (`application/json`, `application/octet-stream`)"),
            );
            return LoweredBody::Unsupported;
        };
        let format = raw_format(media);
        LoweredBody::Raw(Body {
            ty: TypeRef::String,
            required: body.required,
            content_type: media.to_string(),
            format,
            description: body.description.clone(),
            example: None,
            max_items: Vec::new(),
        })
    }

    /// Form fields: each property of the form's object schema becomes a form parameter. A
    /// structured field's inline type is named `{builder}{Field}`, or `{Component}{Field}` when
    /// the form is a `$ref` to a component schema (whose model already named it).
    fn lower_form(
        &mut self,
        content: &'a openapiv3::MediaType,
        encoding: FormEncoding,
        media_pointer: &str,
        id: &str,
        builder: &str,
    ) -> Vec<Param> {
        let schema_pointer = child(media_pointer, "schema");
        let Some(schema) = content.schema.as_ref() else {
            return Vec::new();
        };
        // Where the form's fields are lowered as types, and the name their models start with.
        let (types_pointer, context) = match schema {
            ReferenceOr::Reference { reference } => match crate::walk::component_schema(reference)
                .filter(|name| self.schemas.components().contains_key(&**name))
            {
                Some(name) => (reference.clone(), names::pascal(&name)),
                None => (schema_pointer.clone(), builder.to_string()),
            },
            ReferenceOr::Item(_) => (schema_pointer.clone(), builder.to_string()),
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
        // A form field's location carries the form's encoding to the table row.
        let location = match encoding {
            FormEncoding::UrlEncoded => Location::Form,
            FormEncoding::Multipart => Location::Multipart,
        };
        let mut out = Vec::new();
        for (name, field_ref) in properties {
            let field_pointer = child(&child(&schema_pointer, "properties"), name);
            // A field that is a `$ref` (Twilio's enums) is what it refers to, and its setter
            // takes the enum model when that is a string enum, as a parameter's does.
            let (field, enum_model) = match field_ref {
                ReferenceOr::Item(s) => (s.as_ref(), None),
                ReferenceOr::Reference { reference } => {
                    let target = crate::walk::component_schema(reference)
                        .and_then(|n| self.schemas.components().get(&*n));
                    let Some(target) = target else {
                        self.diagnostics.push(
                            Diagnostic::error(&field_pointer, format!("form field `{name}`: `$ref: {reference}` does not resolve to a schema"))
                                .in_operation(Some(id))
                                .hint("define it under #/components/schemas or fix the reference"),
                        );
                        continue;
                    };
                    let Some(resolved) = self.resolve_schema(target, &field_pointer, id) else {
                        continue;
                    };
                    let own = ReferenceOr::Reference {
                        reference: reference.clone(),
                    };
                    (resolved, self.enum_model(&own))
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
                    rust_name: String::new(), // named with its neighbours in `operations.rs`
                    arg: String::new(),       // likewise
                    location: Location::Multipart,
                    kind: Kind::File,
                    required: required.contains(name),
                    description: field.schema_data.description.clone(),
                    enum_values: Vec::new(),
                    enum_model: None,
                    default: None,
                    model: None,
                    value_type: None,
                    limits: Limits::default(),
                });
                continue;
            }
            let styling = Styling::field(
                content.encoding.get(name),
                encoding == FormEncoding::Multipart,
            );
            let Some((kind, enum_values)) =
                self.param_type(field, styling, name, &field_pointer, id)
            else {
                continue;
            };
            // A structured field's setter takes its schema's type (see `Param::value_type`).
            let value_type = matches!(kind, Kind::Structured(_)).then(|| {
                self.schemas.type_of(
                    &format!("{context}{}", names::pascal(name)),
                    field_ref,
                    &child(&child(&types_pointer, "properties"), name),
                )
            });
            let default = self.param_default(field, kind, name, &field_pointer, id);
            out.push(Param {
                name: name.clone(),
                rust_name: String::new(), // named with its neighbours in `operations.rs`
                arg: String::new(),       // likewise
                location,
                kind,
                required: required.contains(name),
                description: field.schema_data.description.clone(),
                enum_values,
                enum_model,
                default,
                model: None,
                value_type,
                limits: super::params::limits(field),
            });
        }
        out
    }
}

/// The top-level list fields of a body's object schema that state `maxItems` (by name: the
/// document's maps are read sorted).
fn list_limits(
    components: &IndexMap<String, ReferenceOr<Schema>>,
    schema: &ReferenceOr<Schema>,
) -> Vec<(String, u32)> {
    let Some((body, _)) = unions::resolve(components, schema) else {
        return Vec::new();
    };
    // An object schema without `type: object` reads as "any" schema, properties and all.
    let properties = match &body.schema_kind {
        SchemaKind::Type(Type::Object(object)) => &object.properties,
        SchemaKind::Any(any) => &any.properties,
        _ => return Vec::new(),
    };
    properties
        .iter()
        .filter_map(|(name, field)| {
            let field = match field {
                ReferenceOr::Item(inline) => &**inline,
                ReferenceOr::Reference { reference } => {
                    let name = crate::walk::component_schema(reference)?;
                    unions::resolve(components, components.get(&*name)?)?.0
                }
            };
            let max = super::params::limits(field).max_items?;
            Some((name.clone(), max))
        })
        .collect()
}

/// A body whose every media type is an object that cannot hold a field (no properties, no
/// additional ones): nothing can be sent in it. Stripe declares one on each of its GETs
/// (`application/x-www-form-urlencoded`, `properties: {}`), so a GET with such a body is not
/// worth a warning.
fn holds_nothing(body: &openapiv3::RequestBody) -> bool {
    use openapiv3::{AdditionalProperties, SchemaKind, Type};
    !body.content.is_empty()
        && body.content.values().all(|media| match &media.schema {
            Some(ReferenceOr::Item(schema)) => matches!(
                &schema.schema_kind,
                SchemaKind::Type(Type::Object(object))
                    if object.properties.is_empty()
                        && matches!(
                            object.additional_properties,
                            Some(AdditionalProperties::Any(false))
                        )
            ),
            _ => false,
        })
}
