//! `operations.rs`: one request builder per operation, and the client method that starts it.
//!
//! A builder is a typed face on the runtime's `Call`: its setters store arguments by wire name,
//! `send()` hands the call to the runtime, which encodes, sends and decodes; `pages()` and
//! `items()` (operations that page) hand it to the runtime's paginator. No request machinery is
//! generated. A builder's mode parameter (`Async` by default) says how it ends: the blocking
//! client (see `blocking.rs`) makes the same builders in its `Blocking` mode.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs::{doc, inner_doc, paragraphs};
use crate::emit::types::{describe, rust_type};
use crate::ir::{
    Api, ArrayStyle, FormEncoding, ModelKind, Operation, Param, ParamLocation, ParamType, Scalar,
    TypeRef,
};

pub(crate) fn emit(api: &Api, runtime: &TokenStream) -> TokenStream {
    let header = inner_doc([
        format!("Request builders, one per operation of the {}.", api.title),
        String::new(),
        "Start one from its [`Client`] method, set parameters, then `.send().await`.".to_string(),
    ]);
    let ops = api.operations.iter().map(|op| operation(api, op, runtime));
    quote! {
        #header
        use super::client::Client;
        use super::table;
        #(#ops)*
    }
}

/// The first lines of an operation's docs, shared by the builder, the method and the alias.
pub(crate) fn operation_docs(op: &Operation) -> Vec<String> {
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

/// The types a successful reply decodes into: the whole body, and (for an operation that pages)
/// one item of its `resources` list.
pub(crate) struct ReplyTypes {
    pub body: TokenStream,
    /// `Some` for operations that page.
    pub item: Option<TokenStream>,
}

pub(crate) fn reply_types(api: &Api, op: &Operation) -> ReplyTypes {
    let models = quote!(super::models::);
    let body = match &op.success.ty {
        Some(ty) => rust_type(ty, &models),
        None => quote!(::serde_json::Value),
    };
    let item = op.pagination.map(|_| {
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

fn operation(api: &Api, op: &Operation, runtime: &TokenStream) -> TokenStream {
    let builder = format_ident!("{}", op.builder_name);
    let method = format_ident!("{}", op.method_name);
    let table_row = format_ident!("{}", op.table_name);
    let mut builder_doc = operation_docs(op);
    builder_doc.push(String::new());
    builder_doc.push(match op.pagination {
        Some(_) => format!(
            "Made by [`Client::{}`]; finish with `send()` for one page, or walk every page with \
             `pages()` or every item with `items()`.",
            op.method_name
        ),
        None => format!(
            "Made by [`Client::{}`]; finish with `send()`.",
            op.method_name
        ),
    });
    let builder_doc = doc(builder_doc);
    let mut method_doc = operation_docs(op);
    method_doc.push(String::new());
    method_doc.push(format!("Returns a [`{}`] builder.", op.builder_name));
    let method_doc = doc(method_doc);
    let setters = op.params.iter().map(|p| setter(op, p, runtime));
    let body = op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty, &quote!(super::models::));
        let required = if b.required { "required" } else { "optional" };
        let docs = doc(paragraphs([
            b.description.as_deref(),
            Some(&format!(
                "JSON body ({}), {required}.",
                describe(&b.ty, "super::models::")
            )),
        ]));
        quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                self.call.body(&body);
                self
            }
        }
    });
    let ReplyTypes {
        body: response,
        item,
    } = reply_types(api, op);
    let paging = item.map(|item| {
        let how = match op.pagination {
            Some(crate::ir::Pagination::After) => {
                "following the `after` token of `meta.pagination`, which walks past the \
                 service's 10,000-result offset window (set `offset` to page by offset instead)"
            }
            _ => "following `offset` and `total` of `meta.pagination`",
        };
        let pages_doc = doc([
            format!("Every page, one request each, {how}."),
            String::new(),
            "Nothing is sent until the stream is polled. It ends on an empty page, at `total`, \
             on a missing or repeated token, or after the first error."
                .to_string(),
        ]);
        let items_doc = doc([
            "Every item of every page (the `resources` lists), one at a time; only one page is \
             held in memory."
                .to_string(),
        ]);
        quote! {
            #pages_doc
            pub fn pages(self) -> #runtime::Pages<'a, #response> {
                self.call.pages()
            }
            #items_doc
            pub fn items(self) -> #runtime::Items<'a, #item> {
                self.call.items()
            }
        }
    });
    let send_doc = doc([
        "Checks the arguments, sends the request and decodes the reply.".to_string(),
        String::new(),
        format!(
            "Any 2xx status is a success (the spec names {}); any other status is an error \
             carrying the service's `errors`.",
            op.success.status
        ),
    ]);
    quote! {
        #builder_doc
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder<'a, M = #runtime::Async> {
            pub(super) call: #runtime::Call<'a>,
            #[allow(dead_code, reason = "only blocking builders read their mode")]
            pub(super) mode: M,
        }

        impl<M> #builder<'_, M> {
            #(#setters)*
            #body
        }

        impl<'a> #builder<'a> {
            #send_doc
            pub async fn send(self) -> Result<#runtime::ApiResponse<#response>, #runtime::Error> {
                self.call.send().await
            }
            #paging
        }

        impl Client {
            #method_doc
            pub fn #method(&self) -> #builder<'_> {
                #builder {
                    call: #runtime::Call::new(self.runtime(), &table::#table_row),
                    mode: #runtime::Async,
                }
            }
        }
    }
}

fn setter(op: &Operation, p: &Param, runtime: &TokenStream) -> TokenStream {
    let name = format_ident!("{}", p.rust_name);
    let wire = &p.name;
    let location = match (p.location, op.form) {
        (ParamLocation::Query, _) => "query",
        (ParamLocation::Path, _) => "path",
        (ParamLocation::Header, _) => "header",
        (ParamLocation::Form, Some(FormEncoding::Multipart)) => "multipart form",
        (ParamLocation::Form, _) => "form",
    };
    let (ty_doc, signature, value) = match p.ty {
        ParamType::File => ("file", quote!(file: #runtime::FileUpload), quote!(file)),
        ParamType::Scalar(Scalar::String) => (
            "string",
            quote!(value: impl Into<String>),
            quote!(value.into()),
        ),
        ParamType::Scalar(Scalar::Integer) => ("integer", quote!(value: i64), quote!(value)),
        ParamType::Scalar(Scalar::Number) => ("number", quote!(value: f64), quote!(value)),
        ParamType::Scalar(Scalar::Boolean) => ("boolean", quote!(value: bool), quote!(value)),
        ParamType::Array(item, style) => {
            let d = match style {
                ArrayStyle::Multi => "list, sent as one key per item",
                ArrayStyle::Csv => "list, sent comma-joined",
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
            (d, sig, val)
        }
    };
    let required = if p.required { ", required" } else { "" };
    let mut extra = vec![format!(
        "`{wire}`: {location} parameter, {ty_doc}{required}."
    )];
    if p.ty == ParamType::File {
        // The runtime path as docs link it (`falcon_runtime`).
        let runtime_path = runtime.to_string().replace(' ', "");
        let runtime_path = runtime_path.trim_start_matches("::");
        extra.push(format!(
            "Give a [`FileUpload`]({runtime_path}::FileUpload): \
             `FileUpload::new(file_name, bytes)`, optionally with `.content_type(..)`."
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
    quote! {
        #docs
        pub fn #name(mut self, #signature) -> Self {
            self.call.arg(#wire, #value);
            self
        }
    }
}
