//! `blocking.rs`: the blocking client, compiled only when the runtime's `blocking` feature is
//! on (`mod.rs` declares it inside the runtime's `if_blocking!`).
//!
//! It holds the async client and a runtime of its own. Its methods make the same request builders
//! as the async client, in the runtime's `Blocking` mode, whose `send` returns the reply and
//! whose `pages`/`items` are iterators; aliases and `command()` are here too. Setters are not
//! repeated: they are generic over the mode.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::docs::{doc, inner_doc};
use crate::emit::operations::{ReplyTypes, operation_docs, reply_types};
use crate::ir::Api;

pub(crate) fn emit(api: &Api, runtime: &TokenStream) -> TokenStream {
    let header = inner_doc([
        format!("The blocking client for the {}.", api.title),
        String::new(),
        "For callers without an async runtime: the same methods, aliases and `command()` as the \
         async client, each call waiting for its reply."
            .to_string(),
    ]);
    let client_doc = doc([
        format!(
            "A blocking client for the {}, over a private single-threaded runtime.",
            api.title
        ),
        String::new(),
        "Build it like the async client (`blocking::Client::builder()`); request builders end \
         in a plain `send()`, and `pages()`/`items()` are iterators. Cloning is cheap: clones \
         share the connection pool, the token and the runtime."
            .to_string(),
    ]);
    let mode = quote!(#runtime::blocking::Blocking<'_>);
    let methods = api.operations.iter().map(|op| {
        let method = format_ident!("{}", op.method_name);
        let builder = format_ident!("{}", op.builder_name);
        let mut lines = operation_docs(op);
        lines.push(String::new());
        lines.push(format!(
            "Returns a blocking [`operations::{}`] builder.",
            op.builder_name
        ));
        let docs = doc(lines);
        let alias = op.alias.as_ref().map(|alias| {
            let alias = format_ident!("{}", alias);
            let docs = doc([format!("The same as [`Client::{}`].", op.method_name)]);
            quote! {
                #docs
                #[allow(non_snake_case)]
                pub fn #alias(&self) -> operations::#builder<'_, #mode> {
                    self.#method()
                }
            }
        });
        quote! {
            #docs
            pub fn #method(&self) -> operations::#builder<'_, #mode> {
                operations::#builder {
                    call: self.inner.#method().call,
                    mode: self.runtime.mode(),
                }
            }
            #alias
        }
    });
    let finishers = api.operations.iter().map(|op| {
        let builder = format_ident!("{}", op.builder_name);
        let ReplyTypes { body, item } = reply_types(api, op);
        let paging = item.map(|item| {
            quote! {
                /// Every page, fetched as the iterator advances (see the async `pages`).
                pub fn pages(self) -> #runtime::blocking::PageIter<'a, #body> {
                    self.mode.pages(self.call)
                }

                /// Every item of every page, one page in memory at a time.
                pub fn items(self) -> #runtime::blocking::ItemIter<'a, #item> {
                    self.mode.items(self.call)
                }
            }
        });
        quote! {
            impl<'a> operations::#builder<'a, #runtime::blocking::Blocking<'a>> {
                /// Checks the arguments, sends the request and waits for the decoded reply.
                pub fn send(self) -> Result<#runtime::ApiResponse<#body>, #runtime::Error> {
                    self.mode.send(self.call)
                }
                #paging
            }
        }
    });
    quote! {
        #header
        use super::operations;

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: super::Client,
            runtime: #runtime::blocking::Runtime,
        }

        impl Client {
            /// Starts configuring a client: base URL or cloud, credentials, timeouts.
            pub fn builder() -> #runtime::ClientBuilder<Client> {
                #runtime::ClientBuilder::new()
            }

            /// A client configured from `FALCON_CLIENT_ID`, `FALCON_CLIENT_SECRET`,
            /// `FALCON_MEMBER_CID` and `FALCON_CLOUD`.
            pub fn from_env() -> Result<Client, #runtime::Error> {
                #runtime::Client::from_env().map(Client::from)
            }

            /// The async client underneath; it shares the token and connections.
            pub fn async_client(&self) -> &super::Client {
                &self.inner
            }

            /// Logs in now, unless a token that is not about to expire is at hand.
            pub fn login(&self) -> Result<(), #runtime::Error> {
                self.runtime.run(self.inner.runtime().login())
            }

            /// Revokes the token; the next call logs in again.
            pub fn logout(&self) -> Result<(), #runtime::Error> {
                self.runtime.run(self.inner.runtime().logout())
            }

            /// Calls any operation by id with JSON arguments, like the async `command`.
            pub fn command(
                &self,
                operation_id: &str,
                args: ::serde_json::Value,
            ) -> Result<#runtime::ApiResponse<::serde_json::Value>, #runtime::Error> {
                self.runtime.run(self.inner.command(operation_id, args))
            }

            /// Sends `method` to a `path` the spec does not know, like the async
            /// `command_override`.
            pub fn command_override(
                &self,
                method: &str,
                path: &str,
                args: ::serde_json::Value,
            ) -> Result<#runtime::ApiResponse<::serde_json::Value>, #runtime::Error> {
                self.runtime.run(self.inner.command_override(method, path, args))
            }

            #(#methods)*
        }

        impl From<#runtime::Client> for Client {
            fn from(runtime: #runtime::Client) -> Self {
                Client {
                    inner: super::Client::from(runtime),
                    runtime: #runtime::blocking::Runtime::new(),
                }
            }
        }

        #(#finishers)*
    }
}
