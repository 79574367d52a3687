//! `operations.rs`: one request builder per operation, and the client method that starts it.
//!
//! A builder is a typed face on the runtime's `Call`: its setters store arguments by wire name,
//! `send()` hands the call to the runtime, which encodes, sends and decodes. No request
//! machinery is generated.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs::{doc, inner_doc, paragraphs};
use crate::emit::types::{describe, rust_type};
use crate::ir::{Api, ArrayStyle, Operation, Param, ParamLocation, ParamType, Scalar};

pub(crate) fn emit(api: &Api, runtime: &TokenStream) -> TokenStream {
    let header = inner_doc([
        format!("Request builders, one per operation of the {}.", api.title),
        String::new(),
        "Start one from its [`Client`] method, set parameters, then `.send().await`.".to_string(),
    ]);
    let ops = api.operations.iter().map(|op| operation(op, runtime));
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

fn operation(op: &Operation, runtime: &TokenStream) -> TokenStream {
    let builder = format_ident!("{}", op.builder_name);
    let method = format_ident!("{}", op.method_name);
    let table_row = format_ident!("{}", op.table_name);
    let mut builder_doc = operation_docs(op);
    builder_doc.push(String::new());
    builder_doc.push(format!(
        "Made by [`Client::{}`]; finish with [`{}::send`].",
        op.method_name, op.builder_name
    ));
    let builder_doc = doc(builder_doc);
    let mut method_doc = operation_docs(op);
    method_doc.push(String::new());
    method_doc.push(format!("Returns a [`{}`] builder.", op.builder_name));
    let method_doc = doc(method_doc);
    let setters = op.params.iter().map(setter);
    let body = op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty, &quote!(super::models::));
        let required = if b.required { "required" } else { "optional" };
        let docs = doc(paragraphs([
            b.description.as_deref(),
            Some(&format!("JSON body ({}), {required}.", describe(&b.ty))),
        ]));
        quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                self.call.body(&body);
                self
            }
        }
    });
    let response = match &op.success.ty {
        Some(ty) => rust_type(ty, &quote!(super::models::)),
        None => quote!(::serde_json::Value),
    };
    let send_doc = doc([
        "Checks the arguments, sends the request and decodes the reply.".to_string(),
        String::new(),
        format!(
            "Success is HTTP {}; any other status is an error carrying the service's `errors`.",
            op.success.status
        ),
    ]);
    quote! {
        #builder_doc
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #builder<'a> {
            call: #runtime::Call<'a>,
        }

        impl #builder<'_> {
            #(#setters)*
            #body
            #send_doc
            pub async fn send(self) -> Result<#runtime::ApiResponse<#response>, #runtime::Error> {
                self.call.send().await
            }
        }

        impl Client {
            #method_doc
            pub fn #method(&self) -> #builder<'_> {
                #builder {
                    call: #runtime::Call::new(self.runtime(), &table::#table_row),
                }
            }
        }
    }
}

fn setter(p: &Param) -> TokenStream {
    let name = format_ident!("{}", p.rust_name);
    let wire = &p.name;
    let location = match p.location {
        ParamLocation::Query => "query",
        ParamLocation::Path => "path",
        ParamLocation::Header => "header",
        ParamLocation::Form => "form",
    };
    let (ty_doc, signature, value) = match p.ty {
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
