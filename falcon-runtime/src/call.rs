//! `Call`: what a generated request builder wraps. Setters store arguments; `send` checks,
//! encodes, sends and decodes.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::args::ArgValue;
use crate::client::Client;
use crate::error::Error;
use crate::operation::Operation;
use crate::paginate::{self, Items, Pager, Pages};
use crate::request::Request;
use crate::response::ApiResponse;

/// A typed call being built. Generated builders hold one and add typed setters.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    client: &'a Client,
    operation: &'static Operation,
    request: Request,
    /// The first argument that could not be stored, reported by `send` before anything goes out.
    problem: Option<(String, String)>,
}

impl<'a> Call<'a> {
    pub fn new(client: &'a Client, operation: &'static Operation) -> Self {
        Call {
            client,
            operation,
            request: Request::for_operation(operation),
            problem: None,
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

    /// Adds a query pair the spec does not declare, sent as given after the declared ones.
    pub fn raw_query(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.request.extra_query.push((name.into(), value.into()));
    }

    /// Checks required arguments, sends, and decodes a success reply into `T`.
    pub async fn send<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        self.check()?;
        let reply = self.client.execute(self.request).await?;
        reply.decode()
    }

    /// Every page of the call, one request per page, as the replies' `meta.pagination` leads
    /// (see [`crate::paginate`]). Nothing is sent until the stream is polled; argument problems
    /// come out as its first item.
    pub fn pages<T: DeserializeOwned + Send + 'a>(self) -> Pages<'a, T> {
        paginate::pages(self.pager())
    }

    /// The `resources` of every page, one item at a time; memory holds one page.
    pub fn items<T: DeserializeOwned + Send + 'a>(self) -> Items<'a, T> {
        paginate::items(self.pager())
    }

    /// The operation this call sends.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    fn check(&self) -> Result<(), Error> {
        if let Some((parameter, reason)) = &self.problem {
            return Err(Error::invalid(
                self.operation.id,
                Some(parameter),
                reason.clone(),
            ));
        }
        self.request.check_required(self.operation)
    }

    fn pager(self) -> Pager<'a> {
        let problem = self.check().err();
        Pager::new(self.client, self.operation, self.request, problem)
    }
}
