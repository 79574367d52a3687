//! `blocking.rs`: the blocking client, compiled only when the runtime's `blocking` feature is
//! on (`mod.rs` declares it inside the runtime's `if_blocking!`).
//!
//! It wraps the generated `Client` in the runtime's `Blocking` mode and derefs to it: the
//! operation methods, aliases and builders are the async client's (they are generic over the
//! mode), so this file holds only what differs: constructors, `login`/`logout` and the blocking
//! `command()`. (A wrapper rather than a type alias: `Client::builder()` of the async client
//! must stay unambiguous.)

use crate::emit::{Context, header};
use crate::ir::Api;

/// Methods this emitter writes on the blocking client; no operation may take these names.
pub(crate) fn emit(api: &Api, cx: &Context) -> String {
    let mut code = header(cx);
    code.inner_doc([
        format!("The blocking client for the {}.", api.title),
        String::new(),
        "For callers without an async runtime: the same methods, aliases and `command()` as the \
         async client, each call waiting for its reply."
            .to_string(),
    ]);
    code.blank();
    code.doc([
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
    let rt = &cx.runtime;
    let text = format!(
        r#"#[derive(Clone, Debug)]
pub struct Client(super::Client<{rt}::blocking::Blocking>);

impl ::std::ops::Deref for Client {{
    type Target = super::Client<{rt}::blocking::Blocking>;

    fn deref(&self) -> &Self::Target {{
        &self.0
    }}
}}

impl From<{rt}::Client> for Client {{
    fn from(runtime: {rt}::Client) -> Self {{
        Client(super::Client::from(runtime))
    }}
}}

impl Client {{
    /// Starts configuring a client: base URL or cloud, credentials, timeouts.
    pub fn builder() -> {rt}::ClientBuilder<Client> {{
        {rt}::ClientBuilder::new()
    }}

    /// A client configured from `FALCON_CLIENT_ID`, `FALCON_CLIENT_SECRET`,
    /// `FALCON_MEMBER_CID` and `FALCON_CLOUD`.
    pub fn from_env() -> Result<Client, {rt}::Error> {{
        {rt}::Client::from_env().map(Client::from)
    }}

    /// The async client on the same connections and token.
    pub fn async_client(&self) -> super::Client {{
        super::Client::from(self.0.runtime.clone())
    }}

    /// Logs in now, unless a token that is not about to expire is at hand.
    pub fn login(&self) -> Result<(), {rt}::Error> {{
        self.0.mode.run(self.0.runtime.login())
    }}

    /// Revokes the token; the next call logs in again.
    pub fn logout(&self) -> Result<(), {rt}::Error> {{
        self.0.mode.run(self.0.runtime.logout())
    }}

    /// Calls any operation by id with JSON arguments, like the async `command`.
    pub fn command(
        &self,
        operation_id: &str,
        args: ::serde_json::Value,
    ) -> Result<{rt}::ApiResponse<::serde_json::Value>, {rt}::Error> {{
        let call = self.0.runtime.command(super::table::OPERATIONS, operation_id, args);
        self.0.mode.run(call)
    }}

    /// Sends `method` to a `path` the spec does not know, like the async
    /// `command_override`.
    pub fn command_override(
        &self,
        method: &str,
        path: &str,
        args: ::serde_json::Value,
    ) -> Result<{rt}::ApiResponse<::serde_json::Value>, {rt}::Error> {{
        self.0.mode.run(self.0.runtime.command_override(method, path, args))
    }}
}}
"#
    );
    let mut out = code.finish();
    out.push_str(&text);
    out
}
