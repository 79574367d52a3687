//! `command()`: any operation by id with JSON arguments, checked against the operation table
//! before anything is sent; and `command_override()` for paths the spec does not know.

use serde_json::{Map, Value};

use crate::args;
use crate::client::Client;
use crate::error::Error;
use crate::operation::{Method, Operation};
use crate::paginate::{self, Items, Pager, Pages};
use crate::request::Request;
use crate::response::ApiResponse;

impl Client {
    /// Calls the operation of `table` that `id` names. See the generated `Client::command`.
    pub async fn command(
        &self,
        table: &[&'static Operation],
        id: &str,
        args: Value,
    ) -> Result<ApiResponse<Value>, Error> {
        let operation = resolve(table, id)?;
        let request = command_request(operation, args)?;
        self.execute_split(request).await?.decode()
    }

    /// Sends `method` to `path` with `args` holding `parameters` and `body`, unchecked, like
    /// FalconPy's `override="METHOD,/path"`.
    pub async fn command_override(
        &self,
        method: &str,
        path: &str,
        args: Value,
    ) -> Result<ApiResponse<Value>, Error> {
        let request = override_request(method, path, args)?;
        self.execute(request).await?.decode()
    }

    /// Every page of the operation of `table` that `id` names, with `args` as
    /// [`Client::command`] takes them: the typed calls' paging (see [`crate::paginate`]) for
    /// JSON arguments. Nothing is sent until the first page is asked for; an unknown id or a
    /// bad argument is the first item.
    pub fn command_pages<'a>(
        &'a self,
        table: &[&'static Operation],
        id: &str,
        args: Value,
    ) -> Pages<'a, Value> {
        match command_pager(self, table, id, args) {
            Ok(pager) => paginate::pages(pager),
            Err(e) => Box::pin(futures_util::stream::once(async { Err(e) })),
        }
    }

    /// Every item (`resources` entry) of every page, as [`Client::command_pages`] walks them;
    /// one page is held at a time.
    pub fn command_items<'a>(
        &'a self,
        table: &[&'static Operation],
        id: &str,
        args: Value,
    ) -> Items<'a, Value> {
        match command_pager(self, table, id, args) {
            Ok(pager) => paginate::items(pager),
            Err(e) => Box::pin(futures_util::stream::once(async { Err(e) })),
        }
    }
}

fn command_pager<'a>(
    client: &'a Client,
    table: &[&'static Operation],
    id: &str,
    args: Value,
) -> Result<Pager<'a>, Error> {
    let operation = resolve(table, id)?;
    let request = command_request(operation, args)?;
    Ok(Pager::new(client, operation, request, None))
}

/// The operation `id` names: exactly one of the ids each row accepts.
pub(crate) fn resolve(table: &[&'static Operation], id: &str) -> Result<&'static Operation, Error> {
    if let Some(op) = table.iter().find(|op| op.ids.contains(&id)) {
        return Ok(op);
    }
    let candidates = table.iter().flat_map(|op| op.ids.iter().copied());
    Err(Error::UnknownOperation {
        id: id.to_string(),
        suggestion: nearest(id, candidates),
    })
}

/// The closest candidate by edit distance (ignoring case), when it is close enough to be a typo.
fn nearest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let wanted_lower = wanted.to_ascii_lowercase();
    candidates
        .map(|c| {
            (
                strsim::levenshtein(&wanted_lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .min_by_key(|(d, c)| (*d, c.len()))
        .filter(|(d, _)| *d <= (wanted.len() / 3).max(3))
        .map(|(_, c)| c.to_string())
}

fn args_object(label: &str, args: Value) -> Result<Map<String, Value>, Error> {
    match args {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(Error::invalid(
            label,
            None,
            format!("arguments must be a JSON object, got {other}"),
        )),
    }
}

fn extra_query(label: &str, value: Value, out: &mut Vec<(String, String)>) -> Result<(), Error> {
    match value {
        Value::Object(map) => {
            for (name, v) in &map {
                args::raw_pairs(label, name, v, out)?;
            }
            Ok(())
        }
        Value::Null => Ok(()),
        other => Err(Error::invalid(
            label,
            Some("parameters"),
            format!("must be a JSON object of query pairs, got {other}"),
        )),
    }
}

/// Builds a checked request from `command()` arguments.
pub(crate) fn command_request(op: &'static Operation, args: Value) -> Result<Request, Error> {
    let mut request = Request::for_operation(op);
    let raw_media = op.body.and_then(|b| b.media_type);
    for (key, value) in args_object(op.id(), args)? {
        match key.as_str() {
            // The row says what the body is: the generator chose, the runtime follows.
            "body" => match raw_media {
                Some(media) => {
                    request.raw_body = args::raw_body_from_json(&value)
                        .and_then(|body| body.map(|b| b.for_operation(media)).transpose())
                        .map_err(|why| Error::invalid(op.id(), Some("body"), why))?;
                }
                None => request.body = Some(value),
            },
            "parameters" => extra_query(op.id(), value, &mut request.extra_query)?,
            name => {
                let Some(param) = op.param(name) else {
                    let names = op
                        .params
                        .iter()
                        .map(|p| p.arg)
                        .chain(["body", "parameters"]);
                    let hint = match nearest(name, names) {
                        Some(n) => {
                            format!("the operation has no such parameter; did you mean `{n}`?")
                        }
                        None => {
                            let known: Vec<&str> = op.params.iter().map(|p| p.arg).collect();
                            format!(
                                "the operation has no such parameter; it takes {}",
                                if known.is_empty() {
                                    "none".to_string()
                                } else {
                                    known.join(", ")
                                }
                            )
                        }
                    };
                    return Err(Error::invalid(op.id(), Some(name), hint));
                };
                if let Some(arg) = args::from_json(op.id(), param, &value)? {
                    request.set(op, name, arg)?;
                }
            }
        }
    }
    request.check(op)?;
    if request.body.is_none() && request.form.is_none() && raw_media.is_none() {
        // FalconPy's Uber class sends `{}` when no body is given; keep the wire the same. A form
        // operation sends its form instead, and one with a raw body only the bytes given.
        request.body = Some(Value::Object(Map::new()));
    }
    Ok(request)
}

/// Builds an override request: the method and path as given, `parameters` and `body` only.
pub(crate) fn override_request(method: &str, path: &str, args: Value) -> Result<Request, Error> {
    let label = format!("{} {path}", method.to_ascii_uppercase());
    let method = match Method::from_name(method) {
        Some(
            m @ (Method::Get
            | Method::Post
            | Method::Put
            | Method::Patch
            | Method::Delete
            | Method::Head),
        ) => crate::request::http_method(m),
        _ => {
            return Err(Error::invalid(
                &label,
                Some("method"),
                format!(
                    "`{}` is not one of GET, POST, PUT, PATCH, DELETE, HEAD",
                    method.to_ascii_uppercase()
                ),
            ));
        }
    };
    if !path.starts_with('/') {
        return Err(Error::invalid(&label, Some("path"), "must start with `/`"));
    }
    let mut request = Request {
        label: label.clone().into(),
        method,
        path_template: path.to_string().into(),
        args: Vec::new(),
        extra_query: Vec::new(),
        body: None,
        raw_body: None,
        form: None,
    };
    for (key, value) in args_object(&label, args)? {
        match key.as_str() {
            "body" => request.body = Some(value),
            "parameters" => extra_query(&label, value, &mut request.extra_query)?,
            other => {
                return Err(Error::invalid(
                    &label,
                    Some(other),
                    "an override takes only `parameters` and `body`",
                ));
            }
        }
    }
    if request.body.is_none() {
        request.body = Some(Value::Object(Map::new()));
    }
    Ok(request)
}
