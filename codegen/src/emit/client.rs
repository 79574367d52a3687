//! `client.rs`: the generated `Client`, a thin typed face on the runtime client. Its operation
//! methods are in `operations.rs`; the blocking constructors and helpers in `blocking.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{doc, inner_doc};
use crate::ir::{Api, Kind};

/// Methods this emitter writes on `Client`; no operation may take these names.
pub(crate) const METHODS: &[&str] = &[
    "builder",
    "from_env",
    "runtime",
    "command",
    "command_override",
];

pub(crate) fn emit(api: &Api, runtime: &TokenStream) -> TokenStream {
    let header = inner_doc([format!("The client for the {}.", api.title)]);
    let count = api.operations.len();
    let aliases = api.operations.iter().filter(|o| o.alias.is_some()).count();
    let client_doc = doc([
        format!("A client for the {}.", api.title),
        String::new(),
        format!(
            "Each of the {count} operations is a method named after its operation id, which returns a \
             request builder (see [`super::operations`]); {aliases} PascalCase ids also have a method \
             spelled exactly like the id; [`Client::command`] reaches any operation by id with JSON \
             arguments."
        ),
        String::new(),
        "`M` is how calls end: `Async` (the default) or, with the `blocking` feature, \
         `Blocking` (see `blocking::Client`). Cloning is cheap: clones share the connection \
         pool and the token."
            .to_string(),
    ]);
    // Only APIs with file parameters document the JSON form of a file.
    let has_files = api
        .operations
        .iter()
        .any(|o| o.params.iter().any(|p| p.kind == Kind::File));
    let file_doc = has_files.then(|| {
        doc([
            "",
            "A file parameter takes a JSON object: `{\"file_name\": \"notes.txt\", \"content\":",
            "\"text\"}`, or `{\"file_name\": \"a.zip\", \"content_base64\": \"UEsDBA==\"}` for bytes; either",
            "with an optional `\"content_type\"` (default `application/octet-stream`).",
        ])
    });
    quote! {
        #header
        use super::table;

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client<M = #runtime::Async> {
            pub(super) runtime: #runtime::Client,
            pub(super) mode: M,
        }

        impl<M: #runtime::Mode> Client<M> {
            /// The runtime client underneath: auth, transport, raw requests.
            pub fn runtime(&self) -> &#runtime::Client {
                &self.runtime
            }
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

            /// Calls any operation by id: the spec's id (`indicator.get.v1`), the same with `_` for
            /// `.` (`indicator_get_v1`), or a PascalCase id (`DevicesCount`).
            ///
            /// `args` is a JSON object: each key a parameter name as the spec spells it, plus
            /// `body` (the JSON body) and `parameters` (extra query pairs sent as given). Arguments
            /// are checked against the operation before anything is sent.
            #file_doc
            pub async fn command(
                &self,
                operation_id: &str,
                args: ::serde_json::Value,
            ) -> Result<#runtime::ApiResponse<::serde_json::Value>, #runtime::Error> {
                self.runtime.command(table::OPERATIONS, operation_id, args).await
            }

            /// Sends `method` to a `path` the spec does not know, with `args` holding `parameters`
            /// (query pairs) and `body`, like FalconPy's `override="METHOD,/path"`.
            pub async fn command_override(
                &self,
                method: &str,
                path: &str,
                args: ::serde_json::Value,
            ) -> Result<#runtime::ApiResponse<::serde_json::Value>, #runtime::Error> {
                self.runtime.command_override(method, path, args).await
            }
        }

        impl<M: #runtime::Mode> From<#runtime::Client> for Client<M> {
            fn from(runtime: #runtime::Client) -> Self {
                Client {
                    runtime,
                    mode: M::default(),
                }
            }
        }
    }
}
