//! `aliases.rs`: a method spelled exactly as each PascalCase operation id (`DevicesCount`),
//! for code ported from FalconPy. Each returns the same builder as the snake_case method.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs::{doc, inner_doc};
use crate::emit::operations::operation_docs;
use crate::ir::Api;

pub(crate) fn emit(api: &Api) -> TokenStream {
    let header = inner_doc([
        "Methods named exactly as the PascalCase operation ids, as FalconPy users know them.",
    ]);
    let aliases = api.operations.iter().filter_map(|op| {
        let alias = format_ident!("{}", op.alias.as_ref()?);
        let method = format_ident!("{}", op.method_name);
        let builder = format_ident!("{}", op.builder_name);
        let mut lines = operation_docs(op);
        lines.push(String::new());
        lines.push(format!("The same as [`Client::{}`].", op.method_name));
        let docs = doc(lines);
        Some(quote! {
            #docs
            #[allow(non_snake_case)]
            pub fn #alias(&self) -> super::operations::#builder<'_> {
                self.#method()
            }
        })
    });
    let aliases: Vec<TokenStream> = aliases.collect();
    if aliases.is_empty() {
        return header;
    }
    quote! {
        #header
        use super::client::Client;

        impl Client {
            #(#aliases)*
        }
    }
}
