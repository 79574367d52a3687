//! `table.rs`: one static row per operation, in the runtime's vocabulary (`falcon-operation`):
//! method, path, the ids `command()` accepts, parameters, body and paging. The runtime reads
//! these rows to encode typed calls, to check and dispatch `command()`, and to page.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs::{doc, inner_doc};
use crate::emit::features::Gates;
use crate::ir::{ArrayStyle, Kind, Location, Method, Operation, Paging, Scalar};

pub(crate) fn emit(api: &crate::ir::Api, runtime: &TokenStream, gates: &Gates) -> TokenStream {
    let header = inner_doc([
        format!(
            "The operation table of the {}: what the runtime needs to send each operation.",
            api.title
        ),
        String::new(),
        "[`OPERATIONS`] lists every row; `command()` looks operations up here.".to_string(),
    ]);
    let rows = api.operations.iter().map(|op| row(op, gates));
    let names = api.operations.iter().map(|op| {
        let name = format_ident!("{}", op.table_name);
        let gate = gates.operation(op);
        quote!(#gate &#name)
    });
    let list_doc = doc(["Every operation, by path, then method."]);
    quote! {
        #header
        use #runtime::operation as op;

        #(#rows)*

        #list_doc
        pub static OPERATIONS: &[&op::Operation] = &[#(#names),*];
    }
}

fn method(m: Method) -> TokenStream {
    let variant = format_ident!(
        "{}",
        match m {
            Method::Get => "Get",
            Method::Put => "Put",
            Method::Post => "Post",
            Method::Delete => "Delete",
            Method::Options => "Options",
            Method::Head => "Head",
            Method::Patch => "Patch",
            Method::Trace => "Trace",
        }
    );
    quote!(op::Method::#variant)
}

fn scalar(s: Scalar) -> TokenStream {
    match s {
        Scalar::String => quote!(op::Scalar::String),
        Scalar::Integer => quote!(op::Scalar::Integer),
        Scalar::Number => quote!(op::Scalar::Number),
        Scalar::Boolean => quote!(op::Scalar::Boolean),
    }
}

fn kind(k: Kind) -> TokenStream {
    match k {
        Kind::Scalar(Scalar::String) => quote!(op::STRING),
        Kind::Scalar(Scalar::Integer) => quote!(op::INTEGER),
        Kind::Scalar(Scalar::Number) => quote!(op::NUMBER),
        Kind::Scalar(Scalar::Boolean) => quote!(op::BOOLEAN),
        Kind::File => quote!(op::FILE),
        Kind::Array(item, ArrayStyle::Multi) => {
            let item = scalar(item);
            quote!(op::multi(#item))
        }
        Kind::Array(item, ArrayStyle::Csv) => {
            let item = scalar(item);
            quote!(op::csv(#item))
        }
    }
}

fn row(op: &Operation, gates: &Gates) -> TokenStream {
    let name = format_ident!("{}", op.table_name);
    let ids = &op.command_ids;
    let method = method(op.http_method);
    let path = &op.path;
    let params = op.params.iter().map(|p| {
        let constructor = format_ident!(
            "{}",
            match p.location {
                Location::Query => "query",
                Location::Path => "path",
                Location::Header => "header",
                Location::Form => "form",
                Location::Multipart => "multipart",
            }
        );
        let pname = &p.name;
        let kind = kind(p.kind);
        let required = p.required.then(|| quote!(.required()));
        quote!(op::#constructor(#pname, #kind) #required)
    });
    let params = (!op.params.is_empty()).then(|| quote!(.params(&[#(#params),*])));
    let body = op.body.as_ref().map(|b| {
        let required = b.required;
        quote!(.body(#required))
    });
    let paging = match op.paging {
        Paging::Single => None,
        Paging::Offset => Some(quote!(.paging(op::Paging::Offset))),
        Paging::After => Some(quote!(.paging(op::Paging::After))),
    };
    let docs = doc([format!("`{} {}`", op.http_method.as_str(), op.path)]);
    let gate = gates.operation(op);
    quote! {
        #docs
        #gate
        pub static #name: op::Operation = op::Operation::new(#method, #path, &[#(#ids),*])
            #params #body #paging;
    }
}
