//! `operations.rs`: the request builders, and the client methods that start them.
//!
//! There is one builder type, `Request<'a, O, M>`: a typed face on the runtime's `Call`, generic
//! over the operation `O` (a type of the `op` module, which names what its reply decodes into)
//! and the client's mode `M` (`Async` or `Blocking`). What every builder shares (`send()`,
//! `pages()`, `items()`, `Clone`, `Debug`) is written once, on `Request`, so a crate checks it
//! once rather than once per operation, and proves a reply type decodable only where an
//! operation is sent. Each operation gets an alias of `Request` and an impl with its setters,
//! which store arguments by wire name. An operation's full documentation is written once, on
//! its alias; methods and aliases link to it, and what every builder shares is documented on
//! the runtime's `Call`.

use crate::emit::code::{Code, string};
use crate::emit::docs::paragraphs;
use crate::emit::features::Gates;
use crate::emit::types::{describe, rust_type};
use crate::emit::{Context, header};
use crate::ir::{
    Api, ArrayStyle, BodyFormat, Kind, ModelKind, Operation, Paging, Param, Scalar, Style, TypeRef,
    UnionVariant,
};

pub(crate) fn emit(api: &Api, cx: &Context, gates: &Gates) -> String {
    let mut code = header(cx);
    code.inner_doc([
        format!("Request builders, one per operation of the {}.", api.title),
        String::new(),
        "Start one from its [`Client`] method, set parameters, then `.send()`. Each builder is \
         the one [`Request`] type, named for its operation by a type of [`op`]."
            .to_string(),
    ]);
    code.blank();
    code.line("use super::client::Client;");
    // Models named in code, not only in docs (a parameter's `$ref`'d scalar is only linked).
    let uses_models = api.operations.iter().any(|op| {
        op.params.iter().any(|p| {
            open_enum(p).is_some()
                || union_model(api, p).is_some()
                || p.value_type.as_ref().is_some_and(names_model)
        }) || op.body.as_ref().is_some_and(|b| names_model(&b.ty))
    });
    if uses_models {
        code.line("use super::models;");
    }
    code.line("use super::table;");
    code.blank();
    request(&mut code, cx);
    code.blank();
    markers(&mut code, api, cx, gates);
    for op in &api.operations {
        code.blank();
        builder(&mut code, api, op, cx, gates);
    }
    code.blank();
    code.open(format!("impl<M: {}::Mode> Client<M> {{", cx.runtime));
    for op in &api.operations {
        code.blank();
        methods(&mut code, api, op, cx, gates);
    }
    code.close("}");
    code.finish()
}

/// The one builder type: what every operation's builder shares (`send`, `pages`, `items`,
/// `Clone`, `Debug`) is written once here, generic over the operation, instead of once per
/// operation; each operation adds only its setters.
fn request(code: &mut Code, cx: &Context) {
    let rt = &cx.runtime;
    code.doc([
        "A request of the operation `O` (a type of [`op`]) being built, ending in mode `M`."
            .to_string(),
        String::new(),
        "Each operation's builder is an alias of this type with its own setters; every builder \
         ends with [`send`](Request::send), and one of an operation that pages also with \
         [`pages`](Request::pages) and [`items`](Request::items)."
            .to_string(),
    ]);
    code.line("#[must_use = \"a request does nothing until it is sent\"]");
    code.open(format!("pub struct Request<'a, O, M = {rt}::Async> {{"));
    code.line(format!("call: {rt}::Call<'a, M>,"));
    code.line("operation: ::std::marker::PhantomData<fn() -> O>,");
    code.close("}");
    code.blank();
    code.open("impl<'a, O, M> Request<'a, O, M> {");
    code.open(format!("fn new(call: {rt}::Call<'a, M>) -> Self {{"));
    code.line("Request {");
    code.line("    call,");
    code.line("    operation: ::std::marker::PhantomData,");
    code.line("}");
    code.close("}");
    code.close("}");
    code.blank();
    code.open(format!(
        "impl<'a, O: {rt}::Endpoint, M: {rt}::Mode> Request<'a, O, M> {{"
    ));
    shared_method(
        code,
        cx,
        "Checks, sends and decodes",
        "send",
        "Reply",
        "O::Reply",
    );
    code.close("}");
    code.blank();
    code.open(format!(
        "impl<'a, O: {rt}::Paged, M: {rt}::Mode> Request<'a, O, M> {{"
    ));
    shared_method(
        code,
        cx,
        "Every page, one request each",
        "pages",
        "Pages",
        "O::Reply",
    );
    code.blank();
    shared_method(
        code,
        cx,
        "Every item of every page, one page in memory",
        "items",
        "Items",
        "O::Item",
    );
    code.close("}");
    code.blank();
    code.open("impl<O, M: Clone> Clone for Request<'_, O, M> {");
    code.open("fn clone(&self) -> Self {");
    code.line("Request::new(self.call.clone())");
    code.close("}");
    code.close("}");
    code.blank();
    code.open("impl<O, M: ::std::fmt::Debug> ::std::fmt::Debug for Request<'_, O, M> {");
    code.open("fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {");
    code.line("self.call.fmt(f)");
    code.close("}");
    code.close("}");
}

/// A method every builder has, written once on `Request`: it hands the call to the runtime's
/// method of the same name, which returns the mode's `kind` (`M::Reply<'a, T>`) of `decoded`.
fn shared_method(code: &mut Code, cx: &Context, doc: &str, name: &str, kind: &str, decoded: &str) {
    code.doc([format!(
        "{doc} ([`Call::{name}`]({}::Call::{name})).",
        cx.runtime_doc
    )]);
    code.line(format!("pub fn {name}(self) -> M::{kind}<'a, {decoded}>"));
    code.line("where");
    code.line(format!(
        "    {decoded}: {}::model::DeserializeOwned + Send + 'a,",
        cx.runtime
    ));
    code.open("{");
    code.line(format!("self.call.{name}()"));
    code.close("}");
}

/// `op`: one type per operation, naming it in [`Request`], with what its reply decodes into.
fn markers(code: &mut Code, api: &Api, cx: &Context, gates: &Gates) {
    let rt = &cx.runtime;
    code.doc([
        "One type per operation, naming it in [`Request`]: what its reply decodes into and, for \
         an operation that pages, one item of a page."
            .to_string(),
    ]);
    code.open("pub mod op {");
    code.line(
        "#[allow(unused_imports, reason = \"an API may have no operation that names a model\")]",
    );
    code.line("use super::super::models;");
    for op in &api.operations {
        let name = &op.builder_name;
        let gate = gates.operation(op);
        let (reply, item) = reply_types(api, op);
        code.blank();
        code.doc([format!(
            "The operation of [`{name}`](super::{name}) (`{}`).",
            op.id
        )]);
        code.attr(gate.as_deref());
        code.line(format!("pub enum {name} {{}}"));
        let associated = |code: &mut Code, trait_: &str, ty: &str, value: &str| {
            code.blank();
            code.attr(gate.as_deref());
            code.open(format!("impl {rt}::{trait_} for {name} {{"));
            code.line(format!("type {ty} = {value};"));
            code.close("}");
        };
        associated(code, "Endpoint", "Reply", &reply);
        if let Some(item) = item {
            associated(code, "Paged", "Item", &item);
        }
    }
    code.close("}");
}

/// The documentation of an operation, on its builder: summary, description, route.
fn operation_docs(op: &Operation) -> Vec<String> {
    let route = format!(
        "`{} {}` (operation id `{}`)",
        op.http_method.as_str(),
        op.path,
        op.id
    );
    let deprecated = op.deprecated.then_some("Deprecated by the service.");
    paragraphs([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(route.as_str()),
        deprecated,
    ])
}

/// The first line of an operation's summary (or its id), for one-line links.
fn headline(op: &Operation) -> String {
    op.summary
        .as_deref()
        .and_then(|s| s.lines().find(|l| !l.trim().is_empty()))
        .map(|s| s.trim().trim_end_matches('.').to_string())
        .unwrap_or_else(|| format!("Operation `{}`", op.id))
}

/// The types a successful reply decodes into: the whole body, and (for an operation that pages)
/// one item of its `resources` list.
fn reply_types(api: &Api, op: &Operation) -> (String, Option<String>) {
    let body = match &op.success.ty {
        Some(ty) => rust_type(ty, "models::"),
        None => "::serde_json::Value".to_string(),
    };
    let item = (op.paging != Paging::Single).then(|| {
        let resources = match &op.success.ty {
            Some(TypeRef::Model(name)) => api
                .models
                .iter()
                .find(|m| &m.rust_name == name)
                .and_then(|m| match &m.kind {
                    ModelKind::Struct(s) => s.fields.iter().find(|f| f.json_name == "resources"),
                    _ => None,
                })
                .map(|f| &f.ty),
            _ => None,
        };
        match resources {
            Some(TypeRef::Array(item)) => rust_type(item, "models::"),
            _ => "::serde_json::Value".to_string(),
        }
    });
    (body, item)
}

/// What an operation's reply decodes into, named with links, so a reader of a builder or a
/// method sees the concrete type without following `Request` → `op` → `Endpoint::Reply`:
/// "`send()` gives [`ApiResponse`]`<`[`models::X`]`>`", and for an operation that pages, what
/// `items()` yields.
fn reply_doc(api: &Api, op: &Operation, cx: &Context) -> String {
    let (reply, item) = reply_types(api, op);
    // A linked model sits between two code spans (`<` and `>`); a plain type joins them in
    // one, as adjacent code spans would merge their backticks into one run.
    let inner = match model_link(&reply) {
        Some(link) => format!("`<`{link}`>`"),
        None => format!("`<{}>`", reply.trim_start_matches("::")),
    };
    let mut doc = format!(
        "`send()` gives [`ApiResponse`]({}::ApiResponse){inner}",
        cx.runtime_doc,
    );
    if let Some(item) = item {
        doc.push_str(&format!(
            "; `pages()` gives one such reply per page, `items()` each {}",
            linked(&item)
        ));
    }
    doc.push('.');
    doc
}

/// A Rust type as `reply_types` writes it, in a code span, with a link when it is a model.
fn linked(ty: &str) -> String {
    model_link(ty).unwrap_or_else(|| format!("`{}`", ty.trim_start_matches("::")))
}

/// The link to a model's page, when `ty` is a model (`models::X`).
fn model_link(ty: &str) -> Option<String> {
    let model = ty.strip_prefix("models::")?;
    crate::names::is_identifier(model).then(|| format!("[`{ty}`](super::models::{model})"))
}

fn builder(code: &mut Code, api: &Api, op: &Operation, cx: &Context, gates: &Gates) {
    let name = &op.builder_name;
    let gate = gates.operation(op);
    let rt = &cx.runtime;
    let mut docs = operation_docs(op);
    docs.push(String::new());
    docs.push(match op.paging {
        Paging::After => format!(
            "Made by [`Client::{}`]; end with `send()` for one page, or `pages()`/`items()` to \
             walk every page by the `after` token.",
            op.method_name
        ),
        Paging::Offset => format!(
            "Made by [`Client::{}`]; end with `send()` for one page, or `pages()`/`items()` to \
             walk every page by `offset`.",
            op.method_name
        ),
        Paging::Single => format!("Made by [`Client::{}`]; end with `send()`.", op.method_name),
    });
    docs.push(String::new());
    docs.push(reply_doc(api, op, cx));
    code.doc(docs);
    code.attr(gate.as_deref());
    code.line(format!(
        "pub type {name}<'a, M = {rt}::Async> = Request<'a, op::{name}, M>;"
    ));
    if op.params.is_empty() && op.body.is_none() {
        return;
    }
    code.blank();
    code.attr(gate.as_deref());
    code.open(format!("impl<M: {rt}::Mode> {name}<'_, M> {{"));
    for p in &op.params {
        code.blank();
        setter(code, api, p, cx);
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.format != BodyFormat::Json) {
        raw_body_setter(code, b, cx);
    } else if let Some(b) = &op.body {
        let required = if b.required { "required" } else { "optional" };
        code.blank();
        let limits = crate::emit::docs::body_limits(&b.max_items);
        code.doc(paragraphs([
            b.description.as_deref(),
            Some(&format!(
                "JSON body ({}), {required}.",
                describe(&b.ty, "models::")
            )),
            limits.as_deref(),
        ]));
        code.open(format!(
            "pub fn body(mut self, body: {}) -> Self {{",
            rust_type(&b.ty, "models::")
        ));
        code.line("self.call.body(&body);");
        code.line("self");
        code.close("}");
    }
    code.close("}");
}

/// The `body` setter of a raw body: text as a `String`, bytes as the runtime's `RawBody`,
/// sent under the media type the table row declares.
fn raw_body_setter(code: &mut Code, b: &crate::ir::Body, cx: &Context) {
    let rt = &cx.runtime;
    let required = if b.required { "required" } else { "optional" };
    code.blank();
    let (what, signature, value) = match b.format {
        BodyFormat::Text => (
            format!("Text body, sent as `{}`, {required}.", b.content_type),
            "body: impl Into<String>".to_string(),
            format!("{rt}::RawBody::new(body.into())"),
        ),
        _ => (
            format!(
                "Raw body, sent as `{}`, {required}: give the bytes (a `Vec<u8>`, `String`, \
                 `&'static [u8]` or `bytes::Bytes`) or a [`RawBody`]({}::RawBody) naming a \
                 more precise content type.",
                b.content_type, cx.runtime_doc
            ),
            format!("body: impl Into<{rt}::RawBody>"),
            "body.into()".to_string(),
        ),
    };
    // A wildcard (`image/*`) is no content type: the caller names one.
    let wildcard = b.content_type.contains('*').then(|| {
        format!(
            "The spec allows any `{}`: name yours with `RawBody::content_type`.",
            b.content_type
        )
    });
    code.doc(paragraphs([
        b.description.as_deref(),
        Some(&what),
        wildcard.as_deref(),
    ]));
    code.open(format!("pub fn body(mut self, {signature}) -> Self {{"));
    code.line(format!("self.call.raw_body({value});"));
    code.line("self");
    code.close("}");
}

/// The client method that starts an operation, and its PascalCase alias. FalconPy's name for
/// the operation is a doc alias of the method (rustdoc's search finds it); when that name is
/// another operation's method here, that method says so.
fn methods(code: &mut Code, api: &Api, op: &Operation, cx: &Context, gates: &Gates) {
    let builder = &op.builder_name;
    let gate = gates.operation(op);
    let deprecated = if op.deprecated { " (deprecated)" } else { "" };
    let mut docs = vec![format!(
        "{}{deprecated}: a [`{builder}`](super::operations::{builder}) request.",
        headline(op)
    )];
    docs.push(String::new());
    docs.push(reply_doc(api, op, cx));
    if let Some(other) = crate::emit::falconpy::named_like(api, &op.method_name) {
        docs.push(String::new());
        docs.push(crate::emit::falconpy::trap_note(op, other));
    }
    code.doc(docs);
    if let Some(name) = crate::emit::falconpy::alias(op) {
        code.line(format!("#[doc(alias = {})]", string(name)));
    }
    code.attr(gate.as_deref());
    code.open(format!(
        "pub fn {}(&self) -> {builder}<'_, M> {{",
        op.method_name
    ));
    code.line(format!(
        "Request::new({}::Call::new(&self.runtime, &table::{}, &self.mode))",
        cx.runtime, op.table_name
    ));
    code.close("}");
    if let Some(alias) = &op.alias {
        code.blank();
        code.doc([format!(
            "[`Client::{}`] under its operation id, as FalconPy spells it.",
            op.method_name
        )]);
        code.attr(gate.as_deref());
        code.line("#[allow(non_snake_case)]");
        code.open(format!("pub fn {alias}(&self) -> {builder}<'_, M> {{"));
        code.line(format!("self.{}()", op.method_name));
        code.close("}");
    }
}

/// Whether a type names a model.
fn names_model(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Model(_) => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) => names_model(inner),
        _ => false,
    }
}

/// The open enum a parameter's setter takes, if it takes one: a string, or a list of strings,
/// whose values are a `$ref`'d string enum.
fn open_enum(p: &Param) -> Option<&String> {
    match p.kind {
        Kind::Scalar(Scalar::String) | Kind::Array(Scalar::String, _) => p.enum_model.as_ref(),
        _ => None,
    }
}

/// The union model a parameter's setter takes, with its variants, if it is one.
fn union_model<'a>(api: &'a Api, p: &Param) -> Option<(&'a String, &'a [UnionVariant])> {
    let model = p.model.as_ref()?;
    api.models
        .iter()
        .find(|m| &m.rust_name == model)
        .and_then(|m| match &m.kind {
            ModelKind::Union(variants) => Some((&m.rust_name, variants.as_slice())),
            _ => None,
        })
}

fn setter(code: &mut Code, api: &Api, p: &Param, cx: &Context) {
    // The parameter's model, linked after the type it is (`list of string ([`Severity`])`).
    let model_doc = p
        .model
        .as_ref()
        .map(|m| format!(" ([`{m}`](super::models::{m}))"))
        .unwrap_or_default();
    // A union of JSON types is taken as its model (`42` or `"ci.yml"`), sent as its text.
    // A parameter whose values are an open enum takes the enum or any string.
    let open_enum = open_enum(p).map(|model| match p.kind {
        Kind::Array(_, style) => (
            format!(
                "list of [`{model}`](models::{model}) or strings, {}",
                style_doc(style)
            ),
            format!("values: impl IntoIterator<Item = impl Into<models::{model}>>"),
            "values.into_iter().map(|v| String::from(v.into())).collect::<Vec<String>>()",
        ),
        _ => (
            format!("[`{model}`](models::{model}) or a string"),
            format!("value: impl Into<models::{model}>"),
            "String::from(value.into())",
        ),
    });
    let union = union_model(api, p).map(|(model, variants)| {
        let types: Vec<&str> = variants.iter().map(|v| v.json.name()).collect();
        (
            types.join(" or "),
            format!("value: impl Into<models::{model}>"),
            "value.into().to_string()",
        )
    });
    // A structured value is taken as its schema's type and serialized by the runtime.
    let structured = match (p.kind, &p.value_type) {
        (Kind::Structured(style), Some(ty)) => Some((
            format!(
                "{}, {}",
                describe(ty, "models::"),
                structured_doc(style, cx)
            ),
            format!("value: impl Into<{}>", rust_type(ty, "models::")),
            "&value.into()",
        )),
        _ => None,
    };
    let typed = open_enum.is_some() || structured.is_some();
    let (ty_doc, signature, value) = match (open_enum.or(union).or(structured), p.kind) {
        (Some(typed), _) => typed,
        (None, kind) => plain_setter(kind, cx, &model_doc),
    };
    let ty_doc = match p.kind {
        _ if typed => ty_doc,
        Kind::Array(..) => ty_doc,
        _ => format!("{ty_doc}{model_doc}"),
    };
    let required = if p.required { ", required" } else { "" };
    let mut extra = vec![format!(
        "`{}`: {}, {ty_doc}{required}.",
        p.name,
        p.location.describe()
    )];
    if p.kind == Kind::File {
        extra.push(format!(
            "Give a [`FileUpload`]({}::FileUpload).",
            cx.runtime_doc
        ));
    }
    if !p.enum_values.is_empty() && p.enum_model.is_none() {
        let listed: Vec<String> = p.enum_values.iter().map(|v| format!("`{v}`")).collect();
        extra.push(format!(
            "The spec lists {}; other values are sent as given.",
            listed.join(", ")
        ));
    }
    extra.extend(crate::emit::docs::limits(&p.limits));
    if let Some(default) = &p.default {
        extra.push(format!("The service's default: `{default}`."));
    }
    code.doc(paragraphs(
        std::iter::once(p.description.as_deref()).chain(extra.iter().map(|s| Some(s.as_str()))),
    ));
    // A setter told apart by its spelling (`From` beside `from`) keeps it.
    if p.rust_name.contains(|c: char| c.is_uppercase()) {
        code.line("#[allow(non_snake_case)]");
    }
    code.open(format!(
        "pub fn {}(mut self, {signature}) -> Self {{",
        p.rust_name
    ));
    let arg = match p.kind {
        Kind::Structured(_) => "arg_json",
        _ => "arg",
    };
    code.line(format!("self.call.{arg}({}, {value});", string(&p.arg)));
    code.line("self");
    code.close("}");
}

fn style_doc(style: ArrayStyle) -> &'static str {
    match style {
        ArrayStyle::Multi => "one key per item",
        ArrayStyle::Csv => "comma-joined",
        ArrayStyle::DeepObject => "one key per item with its index (`name[0]=a`)",
    }
}

/// How a structured parameter goes on the wire, for its setter's docs (the runtime's
/// `Style` says it in full).
fn structured_doc(style: Style, cx: &Context) -> String {
    let link = format!("[`Style`]({}::operation::Style)", cx.runtime_doc);
    match style {
        Style::Json => format!("sent as a JSON part ({link})"),
        _ => format!("sent in {} style ({link})", style.name()),
    }
}

/// The type described, the signature and the value stored of a setter of one wire kind.
fn plain_setter(kind: Kind, cx: &Context, model_doc: &str) -> (String, String, &'static str) {
    match kind {
        Kind::File => (
            "file".to_string(),
            format!("file: {}::FileUpload", cx.runtime),
            "file",
        ),
        Kind::Scalar(Scalar::String) => (
            "string".to_string(),
            "value: impl Into<String>".to_string(),
            "value.into()",
        ),
        Kind::Scalar(Scalar::Integer) => ("integer".to_string(), "value: i64".to_string(), "value"),
        Kind::Scalar(Scalar::Number) => ("number".to_string(), "value: f64".to_string(), "value"),
        Kind::Scalar(Scalar::Boolean) => {
            ("boolean".to_string(), "value: bool".to_string(), "value")
        }
        // A structured parameter always has its type (`setter` takes it); JSON if not.
        Kind::Structured(_) => (
            "any JSON".to_string(),
            "value: impl Into<::serde_json::Value>".to_string(),
            "&value.into()",
        ),
        Kind::Array(item, style) => {
            let how = style_doc(style);
            let (sig, val) = match item {
                Scalar::String => (
                    "values: impl IntoIterator<Item = impl Into<String>>",
                    "values.into_iter().map(Into::into).collect::<Vec<String>>()",
                ),
                Scalar::Integer => (
                    "values: impl IntoIterator<Item = i64>",
                    "values.into_iter().collect::<Vec<i64>>()",
                ),
                Scalar::Number => (
                    "values: impl IntoIterator<Item = f64>",
                    "values.into_iter().collect::<Vec<f64>>()",
                ),
                Scalar::Boolean => (
                    "values: impl IntoIterator<Item = bool>",
                    "values.into_iter().collect::<Vec<bool>>()",
                ),
            };
            (
                format!("list of {}{model_doc}, {how}", item.name()),
                sig.to_string(),
                val,
            )
        }
    }
}
