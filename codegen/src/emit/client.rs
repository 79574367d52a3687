//! `client.rs`: the generated `Client`, a thin typed face on the runtime client. Its operation
//! methods are in `operations.rs`; the blocking constructors and helpers in `blocking.rs`.

use crate::emit::{Context, header};
use crate::ir::{Api, Kind};

/// Methods this emitter writes on `Client`; no operation may take these names.
pub(crate) fn emit(api: &Api, cx: &Context) -> String {
    let mut code = header(cx);
    code.inner_doc([format!("The client for the {}.", api.title)]);
    code.blank();
    code.line("use super::table;");
    code.blank();
    let count = api.operations.len();
    let aliases = api.operations.iter().filter(|o| o.alias.is_some()).count();
    let mut docs = vec![
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
    ];
    docs.extend(crate::emit::falconpy::table(api));
    code.doc(docs);
    // Only APIs with file parameters document the JSON form of a file.
    let has_files = api
        .operations
        .iter()
        .any(|o| o.params.iter().any(|p| p.kind == Kind::File));
    let file_doc = if has_files {
        r#"    ///
    /// A file parameter takes a JSON object: `{"file_name": "notes.txt", "content":
    /// "text"}`, or `{"file_name": "a.zip", "content_base64": "UEsDBA=="}` for bytes; either
    /// with an optional `"content_type"` (default `application/octet-stream`).
"#
    } else {
        ""
    };
    // Only APIs with raw bodies document the JSON form of one.
    let has_raw = api.operations.iter().any(|o| {
        o.body
            .as_ref()
            .is_some_and(|b| b.format != crate::ir::BodyFormat::Json)
    });
    let raw_doc = if has_raw {
        r#"    ///
    /// The `body` of an operation whose body is neither JSON nor a form (its docs name the
    /// media type) is a string, sent as its text, or `{"content": "text"}` or
    /// `{"content_base64": "..."}` for bytes; either object with an optional `"content_type"`
    /// replacing the declared one.
"#
    } else {
        ""
    };
    let rt = &cx.runtime;
    let text = format!(
        r#"#[derive(Clone, Debug)]
pub struct Client<M = {rt}::Async> {{
    pub(super) runtime: {rt}::Client,
    pub(super) mode: M,
}}

impl<M: {rt}::Mode> Client<M> {{
    /// The runtime client underneath: auth, transport, raw requests.
    pub fn runtime(&self) -> &{rt}::Client {{
        &self.runtime
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

    /// Calls any operation by id: the spec's id (`indicator.get.v1`), the same with `_` for
    /// `.` (`indicator_get_v1`), or a PascalCase id (`DevicesCount`).
    ///
    /// `args` is a JSON object: each key a parameter name as the spec spells it, plus
    /// `body` (the JSON body) and `parameters` (extra query pairs sent as given). Arguments
    /// are checked against the operation before anything is sent.
{file_doc}{raw_doc}    pub async fn command(
        &self,
        operation_id: &str,
        args: ::serde_json::Value,
    ) -> Result<{rt}::ApiResponse<::serde_json::Value>, {rt}::Error> {{
        self.runtime.command(table::OPERATIONS, operation_id, args).await
    }}

    /// Sends `method` to a `path` the spec does not know, with `args` holding `parameters`
    /// (query pairs) and `body`, like FalconPy's `override="METHOD,/path"`.
    pub async fn command_override(
        &self,
        method: &str,
        path: &str,
        args: ::serde_json::Value,
    ) -> Result<{rt}::ApiResponse<::serde_json::Value>, {rt}::Error> {{
        self.runtime.command_override(method, path, args).await
    }}
}}

impl<M: {rt}::Mode> From<{rt}::Client> for Client<M> {{
    fn from(runtime: {rt}::Client) -> Self {{
        Client {{
            runtime,
            mode: M::default(),
        }}
    }}
}}
"#
    );
    let mut out = code.finish();
    out.push_str(&text);
    out
}
