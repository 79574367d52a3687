//! `Call`: what a generated request builder wraps. Setters store arguments; `send` checks,
//! encodes, sends and decodes.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::args::ArgValue;
use crate::client::Client;
use crate::error::Error;
use crate::mode::{Async, Mode};
use crate::operation::Operation;
use crate::paginate::{self, Items, Pager, Pages};
use crate::request::Request;
use crate::response::ApiResponse;

/// A typed call being built. Generated builders hold one and add typed setters; their `send`,
/// `pages` and `items` are the ones documented here.
#[derive(Debug, Clone)]
pub struct Call<'a, M = Async> {
    client: &'a Client,
    operation: &'static Operation,
    request: Request,
    /// The first argument that could not be stored, reported by `send` before anything goes out.
    problem: Option<(String, String)>,
    mode: &'a M,
}

impl<'a, M: Mode> Call<'a, M> {
    /// A call of `operation` on `client`, ending in `mode`.
    pub fn new(client: &'a Client, operation: &'static Operation, mode: &'a M) -> Self {
        Call {
            client,
            operation,
            request: Request::for_operation(operation),
            problem: None,
            mode,
        }
    }

    /// Sets a parameter by its wire name.
    pub fn arg(&mut self, name: &str, value: impl Into<ArgValue>) {
        if let Err(Error::InvalidArgument {
            parameter, reason, ..
        }) = self.request.set(self.operation, name, value.into())
        {
            self.problem
                .get_or_insert((parameter.unwrap_or_default(), reason));
        }
    }

    /// Sets a structured parameter (an object, a list of objects, any JSON) by its wire name:
    /// the value is serialized as JSON and goes on the wire in the style the row gives it.
    pub fn arg_json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(value) => self.arg(name, ArgValue::Json(value)),
            Err(e) => {
                self.problem
                    .get_or_insert((name.into(), format!("cannot be serialized: {e}")));
            }
        }
    }

    /// Sets the JSON body.
    pub fn body<T: Serialize>(&mut self, body: &T) {
        match serde_json::to_value(body) {
            Ok(value) => self.request.body = Some(value),
            Err(e) => {
                self.problem
                    .get_or_insert(("body".into(), format!("cannot be serialized: {e}")));
            }
        }
    }

    /// Sets the raw body of an operation whose body is neither JSON nor a form, sent as the
    /// media type its row declares unless `body` names another.
    pub fn raw_body(&mut self, body: crate::RawBody) {
        let declared = match self.operation.body {
            Some(b) => b.media_type,
            None => None,
        };
        let Some(declared) = declared else {
            self.problem.get_or_insert((
                "body".into(),
                "the operation takes no raw body; give its JSON body or parameters".into(),
            ));
            return;
        };
        match body.for_operation(declared) {
            Ok(body) => self.request.raw_body = Some(body),
            Err(why) => {
                self.problem.get_or_insert(("body".into(), why));
            }
        }
    }

    /// Adds a query pair the spec does not declare, sent as given after the declared ones.
    pub fn raw_query(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.request.extra_query.push((name.into(), value.into()));
    }

    /// Checks the arguments, sends the request and decodes a success reply into `T`.
    ///
    /// Nothing is sent when a required argument is missing or one could not be stored: that is
    /// an [`Error::InvalidArgument`] naming the operation and the parameter. Any 2xx status is a
    /// success; any other status is an [`Error::Api`] carrying the service's `errors`. With the
    /// async client the result is a future (`.send().await`); with the blocking client it is
    /// the reply itself.
    pub fn send<T: DeserializeOwned + Send + 'a>(self) -> M::Reply<'a, T> {
        M::send(self)
    }

    /// Every page of the call, one request per page, as the replies' `meta.pagination` leads
    /// (see [`crate::paginate`]): by the `after` token where the operation has one, which walks
    /// past the service's 10,000-result offset window (set `offset` to page by offset instead),
    /// else by `offset` and `total`.
    ///
    /// Nothing is sent until the first page is asked for; argument problems come out as the
    /// first item. The walk ends on an empty page, at `total`, on a missing or repeated token,
    /// or after the first error. A stream with the async client, an iterator with the blocking
    /// one.
    pub fn pages<T: DeserializeOwned + Send + 'a>(self) -> M::Pages<'a, T> {
        M::pages(self)
    }

    /// Every item of every page (the `resources` lists), one at a time; only one page is held
    /// in memory. Pages as [`Call::pages`] does.
    pub fn items<T: DeserializeOwned + Send + 'a>(self) -> M::Items<'a, T> {
        M::items(self)
    }

    /// The operation this call sends.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The mode the call ends in.
    pub fn mode(&self) -> &'a M {
        self.mode
    }

    pub(crate) async fn send_async<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        self.check()?;
        let reply = self.client.execute_split(self.request).await?;
        reply.decode()
    }

    pub(crate) fn page_stream<T: DeserializeOwned + Send + 'a>(self) -> Pages<'a, T> {
        paginate::pages(self.pager())
    }

    pub(crate) fn item_stream<T: DeserializeOwned + Send + 'a>(self) -> Items<'a, T> {
        paginate::items(self.pager())
    }

    fn check(&self) -> Result<(), Error> {
        if let Some((parameter, reason)) = &self.problem {
            return Err(Error::invalid(
                self.operation.id(),
                Some(parameter),
                reason.clone(),
            ));
        }
        self.request.check(self.operation)
    }

    fn pager(self) -> Pager<'a> {
        let problem = self.check().err();
        Pager::new(self.client, self.operation, self.request, problem)
    }
}
