//! `operations.rs`: one request builder per operation, and the client methods that start them.
//!
//! A builder is a typed face on the runtime's `Call`: its setters store arguments by wire name,
//! and `send()`, `pages()` and `items()` hand the call to the runtime, which encodes, sends and
//! decodes. Builders are generic over the client's mode (`Async` or `Blocking`), so one builder
//! serves both clients. An operation's full documentation is written once, on its builder;
//! methods and aliases link to it, and what every builder shares is documented on the runtime's
//! `Call`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs::{self, doc, inner_doc, paragraphs};
use crate::emit::features::Gates;
use crate::emit::types::{describe, rust_type};
use crate::ir::{
    Api, ArrayStyle, Kind, ModelKind, Operation, Paging, Param, Scalar, TypeRef, UnionVariant,
};

pub(crate) fn emit(api: &Api, runtime: &TokenStream, gates: &Gates) -> TokenStream {
    let header = inner_doc([
        format!("Request builders, one per operation of the {}.", api.title),
        String::new(),
        "Start one from its [`Client`] method, set parameters, then `.send()`.".to_string(),
    ]);
    let builders = api
        .operations
        .iter()
        .map(|op| builder(api, op, runtime, gates));
    let methods = api.operations.iter().map(|op| methods(op, runtime, gates));
    // Models named in code, not only in docs (a parameter's `$ref`'d scalar is only linked).
    let uses_models = api.operations.iter().any(|op| {
        let union_param = op.params.iter().any(|p| union_model(api, p).is_some());
        let typed = op.body.iter().map(|b| &b.ty).chain(op.success.ty.as_ref());
        union_param || typed.into_iter().any(names_model)
    });
    let models = uses_models.then(|| {
        quote!(
            use super::models;
        )
    });
    quote! {
        #header
        use super::client::Client;
        #models
        use super::table;

        #(#builders)*

        impl<M: #runtime::Mode> Client<M> {
            #(#methods)*
        }
    }
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
struct ReplyTypes {
    body: TokenStream,
    /// `Some` for operations that page.
    item: Option<TokenStream>,
}

fn reply_types(api: &Api, op: &Operation) -> ReplyTypes {
    let models = quote!(models::);
    let body = match &op.success.ty {
        Some(ty) => rust_type(ty, &models),
        None => quote!(::serde_json::Value),
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
            Some(TypeRef::Array(item)) => rust_type(item, &models),
            _ => quote!(::serde_json::Value),
        }
    });
    ReplyTypes { body, item }
}

fn builder(api: &Api, op: &Operation, runtime: &TokenStream, gates: &Gates) -> TokenStream {
    let builder = format_ident!("{}", op.builder_name);
    let gate = gates.operation(op);
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
    let docs = doc(docs);
    let setters = op.params.iter().map(|p| setter(api, p, runtime));
    let body = op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty, &quote!(models::));
        let required = if b.required { "required" } else { "optional" };
        let docs = doc(paragraphs([
            b.description.as_deref(),
            Some(&format!(
                "JSON body ({}), {required}.",
                describe(&b.ty, "models::")
            )),
        ]));
        quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                self.0.body(&body);
                self
            }
        }
    });
    let ReplyTypes {
        body: response,
        item,
    } = reply_types(api, op);
    let call = format!("{}::Call", docs::path(runtime));
    let paging = item.map(|item| {
        let pages = doc([format!(
            "Every page, one request each ([`Call::pages`]({call}::pages))."
        )]);
        let items = doc([format!(
            "Every item of every page, one page in memory ([`Call::items`]({call}::items))."
        )]);
        quote! {
            #pages
            pub fn pages(self) -> M::Pages<'a, #response> {
                self.0.pages()
            }

            #items
            pub fn items(self) -> M::Items<'a, #item> {
                self.0.items()
            }
        }
    });
    let send = doc([format!(
        "Checks, sends and decodes ([`Call::send`]({call}::send))."
    )]);
    quote! {
        #docs
        #gate
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder<'a, M = #runtime::Async>(#runtime::Call<'a, M>);

        #gate
        impl<'a, M: #runtime::Mode> #builder<'a, M> {
            #(#setters)*
            #body

            #send
            pub fn send(self) -> M::Reply<'a, #response> {
                self.0.send()
            }
            #paging
        }
    }
}

/// The client method that starts an operation, and its PascalCase alias.
fn methods(op: &Operation, runtime: &TokenStream, gates: &Gates) -> TokenStream {
    let method = format_ident!("{}", op.method_name);
    let builder = format_ident!("{}", op.builder_name);
    let row = format_ident!("{}", op.table_name);
    let gate = gates.operation(op);
    let deprecated = if op.deprecated { " (deprecated)" } else { "" };
    let docs = doc([format!(
        "{}{deprecated}: a [`{}`](super::operations::{}) request.",
        headline(op),
        op.builder_name,
        op.builder_name
    )]);
    let alias = op.alias.as_ref().map(|alias| {
        let alias = format_ident!("{}", alias);
        let docs = doc([format!(
            "[`Client::{}`] under its operation id, as FalconPy spells it.",
            op.method_name
        )]);
        quote! {
            #docs
            #gate
            #[allow(non_snake_case)]
            pub fn #alias(&self) -> #builder<'_, M> {
                self.#method()
            }
        }
    });
    quote! {
        #docs
        #gate
        pub fn #method(&self) -> #builder<'_, M> {
            #builder(#runtime::Call::new(&self.runtime, &table::#row, &self.mode))
        }
        #alias
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

fn setter(api: &Api, p: &Param, runtime: &TokenStream) -> TokenStream {
    let name = format_ident!("{}", p.rust_name);
    let wire = &p.name;
    // A union of JSON types is taken as its model (`42` or `"ci.yml"`), sent as its text.
    let union = union_model(api, p);
    // The parameter's model, linked after the type it is (`list of string ([`Severity`])`).
    let model_doc = p
        .model
        .as_ref()
        .map(|m| format!(" ([`{m}`](super::models::{m}))"))
        .unwrap_or_default();
    let (ty_doc, signature, value) = match p.kind {
        _ if let Some((model, variants)) = union => {
            let model = format_ident!("{}", model);
            let types: Vec<&str> = variants.iter().map(|v| v.json.name()).collect();
            (
                types.join(" or "),
                quote!(value: impl Into<models::#model>),
                quote!(value.into().to_string()),
            )
        }
        Kind::File => (
            "file".to_string(),
            quote!(file: #runtime::FileUpload),
            quote!(file),
        ),
        Kind::Scalar(Scalar::String) => (
            "string".to_string(),
            quote!(value: impl Into<String>),
            quote!(value.into()),
        ),
        Kind::Scalar(Scalar::Integer) => ("integer".to_string(), quote!(value: i64), quote!(value)),
        Kind::Scalar(Scalar::Number) => ("number".to_string(), quote!(value: f64), quote!(value)),
        Kind::Scalar(Scalar::Boolean) => {
            ("boolean".to_string(), quote!(value: bool), quote!(value))
        }
        Kind::Array(item, style) => {
            let how = match style {
                ArrayStyle::Multi => "one key per item",
                ArrayStyle::Csv => "comma-joined",
            };
            let (sig, val) = match item {
                Scalar::String => (
                    quote!(values: impl IntoIterator<Item = impl Into<String>>),
                    quote!(values.into_iter().map(Into::into).collect::<Vec<String>>()),
                ),
                Scalar::Integer => (
                    quote!(values: impl IntoIterator<Item = i64>),
                    quote!(values.into_iter().collect::<Vec<i64>>()),
                ),
                Scalar::Number => (
                    quote!(values: impl IntoIterator<Item = f64>),
                    quote!(values.into_iter().collect::<Vec<f64>>()),
                ),
                Scalar::Boolean => (
                    quote!(values: impl IntoIterator<Item = bool>),
                    quote!(values.into_iter().collect::<Vec<bool>>()),
                ),
            };
            (
                format!("list of {}{model_doc}, {how}", item.name()),
                sig,
                val,
            )
        }
    };
    let ty_doc = match p.kind {
        Kind::Array(..) => ty_doc,
        _ => format!("{ty_doc}{model_doc}"),
    };
    let required = if p.required { ", required" } else { "" };
    let mut extra = vec![format!(
        "`{wire}`: {}, {ty_doc}{required}.",
        p.location.describe()
    )];
    if p.kind == Kind::File {
        extra.push(format!(
            "Give a [`FileUpload`]({}::FileUpload).",
            docs::path(runtime)
        ));
    }
    if !p.enum_values.is_empty() {
        let listed: Vec<String> = p.enum_values.iter().map(|v| format!("`{v}`")).collect();
        extra.push(format!(
            "The spec lists {}; other values are sent as given.",
            listed.join(", ")
        ));
    }
    if let Some(default) = &p.default {
        extra.push(format!("The service's default: `{default}`."));
    }
    let docs = doc(paragraphs(
        std::iter::once(p.description.as_deref()).chain(extra.iter().map(|s| Some(s.as_str()))),
    ));
    // A setter told apart by its spelling (`From` beside `from`) keeps it.
    let allow = p
        .rust_name
        .contains(|c: char| c.is_uppercase())
        .then(|| quote!(#[allow(non_snake_case)]));
    quote! {
        #docs
        #allow
        pub fn #name(mut self, #signature) -> Self {
            self.0.arg(#wire, #value);
            self
        }
    }
}
