//! Swagger 2.0 → OpenAPI 3.0, as JSON, so that every later stage is shared.
//!
//! The conversion follows the OpenAPI 3.0 migration rules:
//! - `definitions`, `parameters`, `responses` move under `components` (`$ref`s follow);
//! - an `in: body` parameter becomes the `requestBody`, with one entry per `consumes` media type;
//! - `formData` parameters become a form `requestBody` (`multipart/form-data` when the operation
//!   consumes it, else `application/x-www-form-urlencoded`), one property per parameter, with the
//!   `collectionFormat` of arrays as an `encoding`; `type: file` becomes `format: binary`;
//! - other parameters get a `schema`; `collectionFormat: multi` becomes `explode: true`, `csv`
//!   (the default) `explode: false`, `ssv`/`pipes` the delimited styles;
//! - a response `schema` becomes one `content` entry per `produces` media type;
//! - `x-nullable` becomes `nullable`; `host`, `basePath` and `schemes` become `servers`;
//!   `securityDefinitions` become `securitySchemes`.
//!
//! Every pointer of the converted document that differs from the source is recorded in a
//! [`SourceMap`], so diagnostics name the place in the document the user wrote.

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, child};

/// Converted-document pointer prefixes → source-document pointers.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    entries: Vec<(String, String)>,
}

impl SourceMap {
    pub(crate) fn add(&mut self, converted: impl Into<String>, source: impl Into<String>) {
        let (converted, source) = (converted.into(), source.into());
        if converted != source {
            self.entries.push((converted, source));
        }
    }

    /// The source pointer of a converted-document pointer: the longest recorded prefix (on a
    /// segment boundary) is replaced; the rest of the pointer is kept.
    pub fn source_pointer(&self, pointer: &str) -> String {
        let best = self
            .entries
            .iter()
            .filter(|(c, _)| {
                pointer.starts_with(c.as_str())
                    && matches!(pointer.as_bytes().get(c.len()), None | Some(b'/'))
            })
            .max_by_key(|(c, _)| c.len());
        match best {
            Some((c, s)) => format!("{s}{}", &pointer[c.len()..]),
            None => pointer.to_string(),
        }
    }

    /// A diagnostic of the converted document, told in terms of the source document.
    pub fn translate(&self, mut d: Diagnostic) -> Diagnostic {
        if self.entries.is_empty() {
            return d;
        }
        d.pointer = self.source_pointer(&d.pointer);
        d.message = source_names(&d.message);
        d.hint = d.hint.as_deref().map(source_names);
        d
    }
}

/// Converted-document locations named in a message, as the source document names them.
fn source_names(s: &str) -> String {
    s.replace("#/components/schemas", "#/definitions")
        .replace("#/components/parameters", "#/parameters")
        .replace("#/components/responses", "#/responses")
}

/// The converted document, where its pointers came from, and what the conversion noticed.
pub struct Converted {
    pub value: Value,
    pub source: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

/// What a conversion is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The whole document, for writing out (`spec import`): everything Swagger says, said
    /// again in OpenAPI 3.0.
    Document,
    /// Generating code: response headers are left out, as nothing generated reads them (the
    /// runtime reads the rate-limit and trace headers by name). They are most of a Falcon
    /// response (three per response, about 10,000 in the whole API) and were about 15% of
    /// generating the whole API.
    Codegen,
}

/// Converts a Swagger 2.0 document (already known to be a JSON object with `swagger: "2.0"`).
pub fn convert(src: &Map<String, Value>, purpose: Purpose) -> Converted {
    let mut c = Converter {
        purpose,
        source: SourceMap::default(),
        diagnostics: Vec::new(),
        global_params: src
            .get("parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
    };
    c.source.add("#/components/schemas", "#/definitions");
    c.source.add("#/components/parameters", "#/parameters");
    c.source.add("#/components/responses", "#/responses");
    c.source.add("#/components/requestBodies", "#/parameters");
    c.source
        .add("#/components/securitySchemes", "#/securityDefinitions");
    let consumes =
        media_list(src.get("consumes")).unwrap_or_else(|| vec!["application/json".into()]);
    let produces =
        media_list(src.get("produces")).unwrap_or_else(|| vec!["application/json".into()]);

    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    for key in ["info", "tags", "externalDocs", "security"] {
        if let Some(v) = src.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(host) = src.get("host").and_then(Value::as_str) {
        let base = src.get("basePath").and_then(Value::as_str).unwrap_or("");
        let scheme = src
            .get("schemes")
            .and_then(Value::as_array)
            .and_then(|s| s.first())
            .and_then(Value::as_str)
            .unwrap_or("https");
        out.insert(
            "servers".into(),
            json!([{ "url": format!("{scheme}://{host}{base}") }]),
        );
    }
    copy_extensions(src, &mut out);

    let mut components = Map::new();
    if let Some(defs) = src.get("definitions").and_then(Value::as_object) {
        let schemas: Map<String, Value> =
            defs.iter().map(|(k, v)| (k.clone(), schema(v))).collect();
        components.insert("schemas".into(), Value::Object(schemas));
    }
    let mut params = Map::new();
    let mut bodies = Map::new();
    for (name, p) in &c.global_params.clone() {
        let pointer = child("#/parameters", name);
        match p.get("in").and_then(Value::as_str) {
            Some("body") => {
                bodies.insert(name.clone(), c.body(p, &consumes));
                c.source.add(
                    child(&child("#/components/requestBodies", name), "content"),
                    "#/consumes",
                );
                for m in &consumes {
                    let content = child(
                        &child(&child("#/components/requestBodies", name), "content"),
                        m,
                    );
                    c.source
                        .add(child(&content, "schema"), child(&pointer, "schema"));
                }
            }
            Some("formData") => c.diagnostics.push(
                Diagnostic::warning(
                    &pointer,
                    "a shared `formData` parameter is only used where an operation lists it",
                )
                .hint("nothing to do, unless an operation should have it"),
            ),
            _ => {
                let converted = c.parameter(p, &pointer, None);
                c.source.add(
                    child(&child("#/components/parameters", name), "schema"),
                    pointer.clone(),
                );
                params.insert(name.clone(), converted);
            }
        }
    }
    if !params.is_empty() {
        components.insert("parameters".into(), Value::Object(params));
    }
    if !bodies.is_empty() {
        components.insert("requestBodies".into(), Value::Object(bodies));
    }
    if let Some(responses) = src.get("responses").and_then(Value::as_object) {
        let mut converted = Map::new();
        for (name, r) in responses {
            let pointer = child("#/responses", name);
            let at = child("#/components/responses", name);
            converted.insert(name.clone(), c.response(r, &produces, &at, &pointer, None));
        }
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(defs) = src.get("securityDefinitions").and_then(Value::as_object) {
        let schemes: Map<String, Value> = defs
            .iter()
            .map(|(k, v)| (k.clone(), security_scheme(v)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    out.insert("components".into(), Value::Object(components));

    let mut paths = Map::new();
    if let Some(src_paths) = src.get("paths").and_then(Value::as_object) {
        for (path, item) in src_paths {
            let pointer = child("#/paths", path);
            let Some(item) = item.as_object() else {
                paths.insert(path.clone(), item.clone());
                continue;
            };
            paths.insert(
                path.clone(),
                Value::Object(c.path_item(item, &pointer, &consumes, &produces)),
            );
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    Converted {
        value: Value::Object(out),
        source: c.source,
        diagnostics: c.diagnostics,
    }
}

struct Converter {
    purpose: Purpose,
    source: SourceMap,
    diagnostics: Vec<Diagnostic>,
    global_params: Map<String, Value>,
}

impl Converter {
    fn path_item(
        &mut self,
        item: &Map<String, Value>,
        pointer: &str,
        consumes: &[String],
        produces: &[String],
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in item {
            if key == "parameters" {
                let list = value.as_array().cloned().unwrap_or_default();
                let mut converted = Vec::new();
                for (j, p) in list.iter().enumerate() {
                    let p_pointer = child(&child(pointer, "parameters"), j.to_string());
                    let (resolved, _) = self.resolve_parameter(p);
                    if matches!(
                        resolved.get("in").and_then(Value::as_str),
                        Some("body" | "formData")
                    ) {
                        self.diagnostics.push(
                            Diagnostic::warning(
                                &p_pointer,
                                "a body or formData parameter shared by a whole path is ignored",
                            )
                            .hint("list it in each operation of the path"),
                        );
                        continue;
                    }
                    let at = child(&child(pointer, "parameters"), converted.len().to_string());
                    self.source.add(at.clone(), p_pointer.clone());
                    self.source.add(child(&at, "schema"), p_pointer.clone());
                    converted.push(self.parameter(p, &p_pointer, None));
                }
                out.insert(key.clone(), Value::Array(converted));
            } else if let Some(op) = crate::walk::as_operation(key, value) {
                let op_pointer = child(pointer, key);
                out.insert(
                    key.clone(),
                    Value::Object(self.operation(op, &op_pointer, consumes, produces)),
                );
            } else {
                out.insert(key.clone(), value.clone());
            }
        }
        out
    }

    fn operation(
        &mut self,
        op: &Map<String, Value>,
        pointer: &str,
        global_consumes: &[String],
        global_produces: &[String],
    ) -> Map<String, Value> {
        let id = crate::walk::operation_id(op);
        let consumes = media_list(op.get("consumes")).unwrap_or_else(|| global_consumes.to_vec());
        let produces = media_list(op.get("produces")).unwrap_or_else(|| global_produces.to_vec());
        let consumes_pointer = if op.contains_key("consumes") {
            child(pointer, "consumes")
        } else {
            "#/consumes".to_string()
        };
        let mut out = Map::new();
        for (key, value) in op {
            match key.as_str() {
                "parameters" | "responses" | "consumes" | "produces" | "schemes" => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let mut params = Vec::new();
        let mut body: Option<Value> = None;
        let mut form: Vec<(String, Value, bool, String)> = Vec::new();
        let list = op
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (j, p) in list.iter().enumerate() {
            let p_pointer = child(&child(pointer, "parameters"), j.to_string());
            // A `$ref` to a shared body parameter becomes a `$ref` to a request body; to a
            // shared formData parameter, the parameter itself.
            let (resolved, is_ref) = self.resolve_parameter(p);
            match resolved.get("in").and_then(Value::as_str) {
                Some("body") => {
                    if body.is_some() {
                        self.diagnostics.push(
                            Diagnostic::warning(
                                &p_pointer,
                                "a second `in: body` parameter is ignored",
                            )
                            .in_operation(id)
                            .hint("an operation has at most one body parameter; merge them"),
                        );
                        continue;
                    }
                    let rb = child(pointer, "requestBody");
                    self.source.add(rb.clone(), p_pointer.clone());
                    self.source
                        .add(child(&rb, "content"), consumes_pointer.clone());
                    for m in &consumes {
                        self.source.add(
                            child(&child(&child(&rb, "content"), m), "schema"),
                            child(&p_pointer, "schema"),
                        );
                    }
                    body = Some(match (is_ref, p.get("$ref").and_then(Value::as_str)) {
                        (true, Some(r)) => json!({
                            "$ref": r.replacen("#/parameters/", "#/components/requestBodies/", 1)
                        }),
                        _ => self.body(&resolved, &consumes),
                    });
                }
                Some("formData") => {
                    let name = resolved
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    let required = resolved
                        .get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    let mut schema = param_schema(&resolved);
                    // The field's description documents its setter, as a parameter's does.
                    if let (Some(d), Some(o)) =
                        (resolved.get("description"), schema.as_object_mut())
                    {
                        o.insert("description".into(), d.clone());
                    }
                    form.push((name, schema, required, p_pointer));
                }
                _ => {
                    let at = child(&child(pointer, "parameters"), params.len().to_string());
                    self.source.add(at.clone(), p_pointer.clone());
                    self.source.add(child(&at, "schema"), p_pointer.clone());
                    params.push(self.parameter(p, &p_pointer, id));
                }
            }
        }
        if !form.is_empty() {
            if body.is_some() {
                self.diagnostics.push(
                    Diagnostic::warning(
                        &form[0].3,
                        "an operation with an `in: body` parameter cannot also have `formData` parameters; they are ignored",
                    )
                    .in_operation(id)
                    .hint("keep either the body or the form fields"),
                );
            } else {
                body = Some(self.form_body(&form, &consumes, pointer, &consumes_pointer));
            }
        }
        if !params.is_empty() {
            out.insert("parameters".into(), Value::Array(params));
        }
        if let Some(body) = body {
            out.insert("requestBody".into(), body);
        }
        let mut responses = Map::new();
        if let Some(src) = op.get("responses").and_then(Value::as_object) {
            for (code, r) in src {
                let r_pointer = child(&child(pointer, "responses"), code);
                let converted = match r.get("$ref").and_then(Value::as_str) {
                    Some(reference) => json!({
                        "$ref": reference.replacen("#/responses/", "#/components/responses/", 1)
                    }),
                    None => self.response(r, &produces, &r_pointer, &r_pointer, id),
                };
                responses.insert(code.clone(), converted);
            }
        }
        out.insert("responses".into(), Value::Object(responses));
        out
    }

    /// A form request body: one property per `formData` parameter.
    fn form_body(
        &mut self,
        form: &[(String, Value, bool, String)],
        consumes: &[String],
        op_pointer: &str,
        consumes_pointer: &str,
    ) -> Value {
        let media = if consumes.iter().any(|m| m == "multipart/form-data") {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let rb = child(op_pointer, "requestBody");
        self.source.add(rb.clone(), form[0].3.clone());
        self.source.add(child(&rb, "content"), consumes_pointer);
        if let Some(i) = consumes.iter().position(|m| m == media) {
            self.source.add(
                child(&child(&rb, "content"), media),
                child(consumes_pointer, i.to_string()),
            );
        }
        let schema_pointer = child(&child(&child(&rb, "content"), media), "schema");
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for (name, schema, is_required, pointer) in form {
            self.source.add(
                child(&child(&schema_pointer, "properties"), name),
                pointer.clone(),
            );
            if let Some(explode) = schema.get("x-explode").and_then(Value::as_bool) {
                encoding.insert(name.clone(), json!({ "style": "form", "explode": explode }));
            }
            let mut schema = schema.clone();
            if let Some(o) = schema.as_object_mut() {
                o.remove("x-explode");
            }
            properties.insert(name.clone(), schema);
            if *is_required {
                required.push(json!(name));
            }
        }
        let mut object = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            object["required"] = Value::Array(required);
        }
        let mut media_object = json!({ "schema": object });
        if !encoding.is_empty() {
            media_object["encoding"] = Value::Object(encoding);
        }
        json!({ "content": { media: media_object } })
    }

    fn body(&mut self, p: &Value, consumes: &[String]) -> Value {
        let s = p.get("schema").map(schema).unwrap_or(json!({}));
        let content: Map<String, Value> = consumes
            .iter()
            .map(|m| (m.clone(), json!({ "schema": s })))
            .collect();
        let mut out = json!({ "content": content });
        for key in ["description", "required"] {
            if let Some(v) = p.get(key) {
                out[key] = v.clone();
            }
        }
        out
    }

    /// A non-body parameter: its type moves into `schema`, `collectionFormat` into style.
    /// A parameter, with a `$ref` to `#/parameters/X` looked up (so its `in` can be read), and
    /// whether it was a `$ref`. An unresolved `$ref` is returned as it is: the typed reader
    /// reports it.
    fn resolve_parameter(&self, p: &Value) -> (Value, bool) {
        match p.get("$ref").and_then(Value::as_str) {
            Some(r) => match r
                .strip_prefix("#/parameters/")
                .and_then(|n| self.global_params.get(n))
            {
                Some(g) => (g.clone(), true),
                None => (p.clone(), true),
            },
            None => (p.clone(), false),
        }
    }

    fn parameter(&mut self, p: &Value, pointer: &str, id: Option<&str>) -> Value {
        let Some(obj) = p.as_object() else {
            return p.clone();
        };
        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            // Path-level and operation parameters alike: `#/parameters/X` moved under
            // `#/components/parameters`.
            return json!({
                "$ref": r.replacen("#/parameters/", "#/components/parameters/", 1)
            });
        }
        let mut out = Map::new();
        for key in [
            "name",
            "in",
            "description",
            "required",
            "deprecated",
            "allowEmptyValue",
        ] {
            if let Some(v) = obj.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        copy_extensions(obj, &mut out);
        if !obj.contains_key("type") {
            // Left without a schema: the check for parameters without one reports it.
            return Value::Object(out);
        }
        let location = obj.get("in").and_then(Value::as_str).unwrap_or("");
        let mut s = param_schema(p);
        let explode = s.as_object_mut().and_then(|o| o.remove("x-explode"));
        if obj.get("type").and_then(Value::as_str) == Some("array") {
            let format = obj
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            match (format, location) {
                ("ssv", "query") => {
                    out.insert("style".into(), json!("spaceDelimited"));
                }
                ("pipes", "query") => {
                    out.insert("style".into(), json!("pipeDelimited"));
                }
                ("multi" | "csv", _) => {}
                (other, _) => self.diagnostics.push(
                    Diagnostic::warning(
                        child(pointer, "collectionFormat"),
                        format!("`collectionFormat: {other}` has no OpenAPI 3 equivalent here; the list is sent comma-joined"),
                    )
                    .in_operation(id)
                    .hint("use `csv` or `multi`"),
                ),
            }
            if let Some(explode) = explode {
                out.insert("explode".into(), explode);
            }
        }
        out.insert("schema".into(), s);
        Value::Object(out)
    }

    fn response(
        &mut self,
        r: &Value,
        produces: &[String],
        at: &str,
        pointer: &str,
        id: Option<&str>,
    ) -> Value {
        let mut out = Map::new();
        let description = match r.get("description").and_then(Value::as_str) {
            Some(d) => d.to_string(),
            None => {
                self.diagnostics.push(
                    Diagnostic::warning(pointer, "response has no `description`, which Swagger 2.0 requires; using an empty one")
                        .in_operation(id)
                        .hint("add a `description`"),
                );
                String::new()
            }
        };
        out.insert("description".into(), json!(description));
        if let Some(s) = r.get("schema") {
            let s = schema(s);
            let mut content = Map::new();
            let media: Vec<String> = if produces.is_empty() {
                vec!["application/json".into()]
            } else {
                produces.to_vec()
            };
            for m in media {
                self.source.add(
                    child(&child(&child(at, "content"), &m), "schema"),
                    child(pointer, "schema"),
                );
                content.insert(m, json!({ "schema": s }));
            }
            out.insert("content".into(), Value::Object(content));
        }
        if self.purpose == Purpose::Document
            && let Some(headers) = r.get("headers").and_then(Value::as_object)
        {
            let converted: Map<String, Value> = headers
                .iter()
                .map(|(name, h)| {
                    let mut header = Map::new();
                    if let Some(d) = h.get("description") {
                        header.insert("description".into(), d.clone());
                    }
                    let mut s = param_schema(h);
                    if let Some(o) = s.as_object_mut() {
                        o.remove("x-explode");
                    }
                    header.insert("schema".into(), s);
                    (name.clone(), Value::Object(header))
                })
                .collect();
            out.insert("headers".into(), Value::Object(converted));
        }
        if let Some(o) = r.as_object() {
            copy_extensions(o, &mut out);
        }
        Value::Object(out)
    }
}

/// The schema of a non-body parameter (or header, or items): its type keywords, converted.
/// `collectionFormat` of an array is left as `x-explode` for the caller.
fn param_schema(p: &Value) -> Value {
    let Some(obj) = p.as_object() else {
        return json!({});
    };
    let mut s = Map::new();
    for key in [
        "type",
        "format",
        "enum",
        "default",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "multipleOf",
    ] {
        if let Some(v) = obj.get(key) {
            s.insert(key.into(), v.clone());
        }
    }
    if let Some(items) = obj.get("items") {
        let mut items = param_schema(items);
        if let Some(o) = items.as_object_mut() {
            o.remove("x-explode");
        }
        s.insert("items".into(), items);
    }
    if s.get("type").and_then(Value::as_str) == Some("file") {
        s.insert("type".into(), json!("string"));
        s.insert("format".into(), json!("binary"));
    }
    if s.get("type").and_then(Value::as_str) == Some("array") {
        let multi = obj.get("collectionFormat").and_then(Value::as_str) == Some("multi");
        s.insert("x-explode".into(), json!(multi));
    }
    Value::Object(s)
}

/// A Swagger 2.0 schema as an OpenAPI 3.0 schema.
pub(crate) fn schema(v: &Value) -> Value {
    let Some(obj) = v.as_object() else {
        return v.clone();
    };
    let mut out = Map::new();
    for (key, value) in obj {
        let converted = match key.as_str() {
            "$ref" => match value.as_str() {
                Some(r) => json!(r.replacen("#/definitions/", "#/components/schemas/", 1)),
                None => value.clone(),
            },
            "type" if value.as_str() == Some("file") => {
                out.insert("format".into(), json!("binary"));
                json!("string")
            }
            "x-nullable" => {
                out.insert("nullable".into(), value.clone());
                continue;
            }
            "discriminator" => match value.as_str() {
                Some(name) => json!({ "propertyName": name }),
                None => value.clone(),
            },
            "properties" => match value.as_object() {
                Some(props) => {
                    Value::Object(props.iter().map(|(k, s)| (k.clone(), schema(s))).collect())
                }
                None => value.clone(),
            },
            "items" | "additionalProperties" | "not" => schema(value),
            "allOf" | "anyOf" | "oneOf" => match value.as_array() {
                Some(list) => Value::Array(list.iter().map(schema).collect()),
                None => value.clone(),
            },
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    Value::Object(out)
}

fn security_scheme(v: &Value) -> Value {
    let get = |k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    let scopes = v.get("scopes").cloned().unwrap_or(json!({}));
    match v.get("type").and_then(Value::as_str) {
        Some("basic") => json!({ "type": "http", "scheme": "basic" }),
        Some("apiKey") => json!({ "type": "apiKey", "name": get("name"), "in": get("in") }),
        Some("oauth2") => {
            let flow = match v.get("flow").and_then(Value::as_str) {
                Some("implicit") => json!({ "implicit": {
                    "authorizationUrl": get("authorizationUrl"), "scopes": scopes } }),
                Some("password") => json!({ "password": {
                    "tokenUrl": get("tokenUrl"), "scopes": scopes } }),
                Some("accessCode") => json!({ "authorizationCode": {
                    "authorizationUrl": get("authorizationUrl"),
                    "tokenUrl": get("tokenUrl"), "scopes": scopes } }),
                _ => json!({ "clientCredentials": {
                    "tokenUrl": get("tokenUrl"), "scopes": scopes } }),
            };
            json!({ "type": "oauth2", "flows": flow })
        }
        _ => v.clone(),
    }
}

fn media_list(v: Option<&Value>) -> Option<Vec<String>> {
    let list = v?.as_array()?;
    Some(
        list.iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    )
}

fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (k, v) in from {
        if k.starts_with("x-") {
            to.insert(k.clone(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_pointers_use_the_longest_prefix_on_a_segment_boundary() {
        let mut m = SourceMap::default();
        m.add("#/components/schemas", "#/definitions");
        m.add(
            "#/paths/~1a/get/parameters/1",
            "#/paths/~1a/get/parameters/2",
        );
        m.add(
            "#/paths/~1a/get/parameters/1/schema",
            "#/paths/~1a/get/parameters/2",
        );
        assert_eq!(
            m.source_pointer("#/components/schemas/X/properties/y"),
            "#/definitions/X/properties/y"
        );
        assert_eq!(
            m.source_pointer("#/paths/~1a/get/parameters/1/schema/items"),
            "#/paths/~1a/get/parameters/2/items"
        );
        assert_eq!(
            m.source_pointer("#/paths/~1a/get/parameters/10"),
            "#/paths/~1a/get/parameters/10"
        );
    }

    #[test]
    fn response_headers_are_converted_for_the_document_only() {
        let src = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "operationId": "a",
                "responses": {"200": {
                    "description": "ok",
                    "headers": {"X-CS-TraceID": {"type": "string"}}
                }}
            }}}
        });
        let src = src.as_object().unwrap();
        let header = |purpose| {
            convert(src, purpose)
                .value
                .pointer("/paths/~1a/get/responses/200/headers/X-CS-TraceID/schema/type")
                .cloned()
        };
        assert_eq!(header(Purpose::Document), Some(json!("string")));
        assert_eq!(header(Purpose::Codegen), None);
    }

    #[test]
    fn path_level_parameter_refs_follow_the_parameters_to_components() {
        let src = json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "parameters": {
                "pretty": {"name": "pretty", "in": "query", "type": "string"},
                "payload": {"name": "payload", "in": "body", "schema": {"type": "object"}}
            },
            "paths": {"/a": {
                "parameters": [
                    {"$ref": "#/parameters/pretty"},
                    {"$ref": "#/parameters/payload"}
                ],
                "get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}
            }}
        });
        let converted = convert(src.as_object().unwrap(), Purpose::Codegen);
        assert_eq!(
            converted.value.pointer("/paths/~1a/parameters"),
            Some(&json!([{"$ref": "#/components/parameters/pretty"}]))
        );
        // A shared body parameter, `$ref`'d or not, is the one path-level kind left out.
        let [warning] = &converted.diagnostics[..] else {
            panic!("{:?}", converted.diagnostics)
        };
        assert_eq!(warning.pointer, "#/paths/~1a/parameters/1");
    }
}
