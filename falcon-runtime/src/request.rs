//! A request ready to send: operation row, arguments by parameter, raw extras and body. Both the
//! typed builders and `command()` fill one, so encoding and checking live in one place.

use serde_json::Value;

use crate::args::{ArgValue, PartValue};
use crate::error::Error;
use crate::operation::{FormEncoding, HttpMethod, Location, Operation};

/// What to send, before encoding.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// The operation id (or `METHOD /path` for an override), for errors and traces.
    pub label: String,
    pub method: HttpMethod,
    pub path_template: String,
    /// Arguments by parameter, in the order the operation declares them.
    pub args: Vec<(&'static crate::operation::Param, ArgValue)>,
    /// Extra query pairs sent as given (`parameters`), after the declared ones.
    pub extra_query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// How the operation's form fields go on the wire; `None` when it has none.
    pub form: Option<FormEncoding>,
}

/// The encoded parts of a request.
#[derive(Debug, Clone)]
pub(crate) struct Encoded {
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// Url-encoded form pairs.
    pub form: Vec<(String, String)>,
    /// Multipart parts, in declaration order; the form is built again from them for each
    /// attempt (the bytes of a file are shared, not copied).
    pub parts: Vec<(String, PartValue)>,
}

impl Request {
    pub(crate) fn for_operation(op: &'static Operation) -> Request {
        Request {
            label: op.id.to_string(),
            method: op.method,
            path_template: op.path.to_string(),
            args: Vec::new(),
            extra_query: Vec::new(),
            body: None,
            form: op.form_encoding(),
        }
    }

    /// Sets an argument, replacing an earlier value; keeps declaration order.
    pub(crate) fn set(
        &mut self,
        op: &'static Operation,
        name: &str,
        value: ArgValue,
    ) -> Result<(), Error> {
        let Some(param) = op.param(name) else {
            return Err(Error::invalid(
                op.id,
                Some(name),
                "the operation has no such parameter",
            ));
        };
        value
            .check_kind(param.kind)
            .map_err(|why| Error::invalid(op.id, Some(name), why))?;
        self.args.retain(|(p, _)| p.name != name);
        let position =
            |p: &crate::operation::Param| op.params.iter().position(|q| q.name == p.name);
        let at = self
            .args
            .iter()
            .position(|(p, _)| position(p) > position(param))
            .unwrap_or(self.args.len());
        self.args.insert(at, (param, value));
        Ok(())
    }

    /// The argument given for a parameter, by wire name.
    pub(crate) fn get(&self, name: &str) -> Option<&ArgValue> {
        self.args
            .iter()
            .find(|(p, _)| p.name == name)
            .map(|(_, v)| v)
    }

    /// Refuses the call when a required parameter or body is missing. A required query
    /// parameter given through `parameters` counts as given.
    pub(crate) fn check_required(&self, op: &'static Operation) -> Result<(), Error> {
        for p in op.params.iter().filter(|p| p.required) {
            let given = self.args.iter().any(|(q, _)| q.name == p.name)
                || (p.location == Location::Query
                    && self.extra_query.iter().any(|(k, _)| k == p.name));
            if !given {
                return Err(Error::invalid(
                    op.id,
                    Some(p.name),
                    "required, but not given",
                ));
            }
        }
        if op.body.is_some_and(|b| b.required) && self.body.is_none() {
            return Err(Error::invalid(
                op.id,
                Some("body"),
                "the operation requires a JSON body",
            ));
        }
        Ok(())
    }

    pub(crate) fn encode(&self) -> Encoded {
        let mut path = self.path_template.clone();
        let mut query = Vec::new();
        let mut headers = Vec::new();
        let mut form = Vec::new();
        let mut parts = Vec::new();
        for (param, value) in &self.args {
            match param.location {
                Location::Query => value.push_pairs(param.name, param.kind, &mut query),
                Location::Path => {
                    let encoded = percent_encode_segment(&value.text());
                    path = path.replace(&format!("{{{}}}", param.name), &encoded);
                }
                Location::Header => headers.push((param.name.to_string(), value.text())),
                Location::Form => value.push_pairs(param.name, param.kind, &mut form),
                Location::Multipart => value.push_parts(param.name, param.kind, &mut parts),
            }
        }
        let declared: Vec<&str> = self.args.iter().map(|(p, _)| p.name).collect();
        query.extend(
            self.extra_query
                .iter()
                .filter(|(k, _)| !declared.contains(&k.as_str()))
                .cloned(),
        );
        Encoded {
            path,
            query,
            headers,
            form,
            parts,
        }
    }
}

/// Percent-encodes one path segment (RFC 3986 unreserved characters stay).
fn percent_encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
