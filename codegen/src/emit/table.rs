//! `table.rs`: one static row per operation (method, path, parameters, body, success status).
//! The runtime reads these rows to encode typed calls and to check and dispatch `command()`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs::{doc, inner_doc};
use crate::ir::{Api, ArrayStyle, FormEncoding, Operation, ParamLocation, ParamType, Scalar};

pub(crate) fn emit(api: &Api, runtime: &TokenStream) -> TokenStream {
    let header = inner_doc([
        format!(
            "The operation table of the {}: what the runtime needs to send each operation.",
            api.title
        ),
        String::new(),
        "[`OPERATIONS`] lists every row; `command()` looks operations up here.".to_string(),
    ]);
    let rows = api.operations.iter().map(|op| row(op, runtime));
    let names = api
        .operations
        .iter()
        .map(|op| format_ident!("{}", op.table_name));
    let count = api.operations.len();
    let list_doc = doc([format!("All {count} operations, by path, then method.")]);
    quote! {
        #header
        use #runtime::operation as op;

        #(#rows)*

        #list_doc
        pub static OPERATIONS: &[&op::Operation] = &[#(&#names),*];
    }
}

fn scalar(s: Scalar) -> TokenStream {
    match s {
        Scalar::String => quote!(op::Scalar::String),
        Scalar::Integer => quote!(op::Scalar::Integer),
        Scalar::Number => quote!(op::Scalar::Number),
        Scalar::Boolean => quote!(op::Scalar::Boolean),
    }
}

fn row(op: &Operation, _runtime: &TokenStream) -> TokenStream {
    let name = format_ident!("{}", op.table_name);
    let id = &op.id;
    let command_ids = &op.command_ids;
    let method = format_ident!("{}", op.http_method.variant());
    let path = &op.path;
    let params = op.params.iter().map(|p| {
        let pname = &p.name;
        // A form field's location carries the operation's form encoding, so rows without a
        // form need no field for it.
        let location = match (p.location, op.form) {
            (ParamLocation::Query, _) => quote!(op::Location::Query),
            (ParamLocation::Path, _) => quote!(op::Location::Path),
            (ParamLocation::Header, _) => quote!(op::Location::Header),
            (ParamLocation::Form, Some(FormEncoding::Multipart)) => {
                quote!(op::Location::Multipart)
            }
            (ParamLocation::Form, _) => quote!(op::Location::Form),
        };
        let kind = match p.ty {
            ParamType::Scalar(s) => {
                let s = scalar(s);
                quote!(op::Kind::Scalar(#s))
            }
            ParamType::Array(s, style) => {
                let s = scalar(s);
                let style = match style {
                    ArrayStyle::Multi => quote!(op::ArrayStyle::Multi),
                    ArrayStyle::Csv => quote!(op::ArrayStyle::Csv),
                };
                quote!(op::Kind::Array(#s, #style))
            }
            ParamType::File => quote!(op::Kind::File),
        };
        let required = p.required;
        quote!(op::Param { name: #pname, location: #location, kind: #kind, required: #required })
    });
    let body = match &op.body {
        Some(b) => {
            let required = b.required;
            quote!(Some(op::BodySpec { required: #required }))
        }
        None => quote!(None),
    };
    let docs = doc([format!(
        "`{} {}`: operation `{id}`.",
        op.http_method.as_str(),
        op.path
    )]);
    quote! {
        #docs
        pub static #name: op::Operation = op::Operation {
            id: #id,
            command_ids: &[#(#command_ids),*],
            method: op::HttpMethod::#method,
            path: #path,
            params: &[#(#params),*],
            body: #body,
        };
    }
}
