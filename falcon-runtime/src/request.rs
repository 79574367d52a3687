//! A request ready to send: operation row, arguments by parameter, raw extras and body. Both the
//! typed builders and `command()` fill one, so encoding and checking live in one place.

use std::borrow::Cow;

use serde_json::Value;

use crate::args::{ArgValue, PartValue};
use crate::error::Error;
use crate::operation::{FormEncoding, Location, Operation};
use crate::raw::RawBody;

/// What to send, before encoding.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// The operation id (or `METHOD /path` for an override), for errors and traces.
    pub label: Cow<'static, str>,
    pub method: http::Method,
    pub path_template: Cow<'static, str>,
    /// Arguments by parameter, in the order the operation declares them.
    pub args: Vec<(&'static crate::operation::Param, ArgValue)>,
    /// Extra query pairs sent as given (`parameters`), after the declared ones.
    pub extra_query: Vec<(String, String)>,
    pub body: Option<Value>,
    /// A raw body (neither JSON nor a form), its content type already chosen
    /// ([`RawBody::for_operation`]).
    pub raw_body: Option<RawBody>,
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

/// The `http` crate's spelling of a table method.
pub(crate) fn http_method(method: crate::operation::Method) -> http::Method {
    use crate::operation::Method;
    match method {
        Method::Get => http::Method::GET,
        Method::Put => http::Method::PUT,
        Method::Post => http::Method::POST,
        Method::Delete => http::Method::DELETE,
        Method::Options => http::Method::OPTIONS,
        Method::Head => http::Method::HEAD,
        Method::Patch => http::Method::PATCH,
        Method::Trace => http::Method::TRACE,
    }
}

impl Request {
    pub(crate) fn for_operation(op: &'static Operation) -> Request {
        Request {
            label: Cow::Borrowed(op.id()),
            method: http_method(op.method),
            path_template: Cow::Borrowed(op.path),
            args: Vec::new(),
            extra_query: Vec::new(),
            body: None,
            raw_body: None,
            form: op.form_encoding(),
        }
    }

    /// Sets an argument, replacing an earlier value; keeps declaration order. `name` is the
    /// parameter's [`arg`](crate::operation::Param::arg), as in [`Operation::param`].
    pub(crate) fn set(
        &mut self,
        op: &'static Operation,
        name: &str,
        value: ArgValue,
    ) -> Result<(), Error> {
        let Some(param) = op.param(name) else {
            return Err(Error::invalid(
                op.id(),
                Some(name),
                "the operation has no such parameter",
            ));
        };
        value
            .check_kind(param.kind)
            .and_then(|()| value.check_range(param))
            .map_err(|why| Error::invalid(op.id(), Some(name), why))?;
        if param.location == Location::Path && value.text().is_empty() {
            return Err(Error::invalid(
                op.id(),
                Some(name),
                "a path parameter cannot be empty",
            ));
        }
        self.args.retain(|(p, _)| p.arg != name);
        // An empty list sends nothing, as FalconPy leaves empty lists out; for a required
        // parameter that means "not given".
        if matches!(&value, ArgValue::List(items) if items.is_empty()) {
            return Ok(());
        }
        let position = |p: &crate::operation::Param| op.params.iter().position(|q| q.arg == p.arg);
        let at = self
            .args
            .iter()
            .position(|(p, _)| position(p) > position(param))
            .unwrap_or(self.args.len());
        self.args.insert(at, (param, value));
        Ok(())
    }

    /// The argument given for a parameter, by its [`arg`](crate::operation::Param::arg).
    pub(crate) fn get(&self, name: &str) -> Option<&ArgValue> {
        self.args
            .iter()
            .find(|(p, _)| p.arg == name)
            .map(|(_, v)| v)
    }

    /// Refuses the call when a required parameter or body is missing (a required query
    /// parameter given through `parameters` counts as given), or when a list of the body holds
    /// more items than the service takes in one request.
    pub(crate) fn check(&self, op: &'static Operation) -> Result<(), Error> {
        self.check_required(op)?;
        self.check_body_lists(op)
    }

    fn check_required(&self, op: &'static Operation) -> Result<(), Error> {
        for p in op.params.iter().filter(|p| p.required) {
            let given = self.args.iter().any(|(q, _)| q.arg == p.arg)
                || (p.location == Location::Query
                    && self.extra_query.iter().any(|(k, _)| k == p.name));
            if !given {
                return Err(Error::invalid(
                    op.id(),
                    Some(p.arg),
                    "required, but not given",
                ));
            }
        }
        match op.body {
            Some(b) if b.required && self.body.is_none() && self.raw_body.is_none() => {
                let what = match b.media_type {
                    None => "the operation requires a JSON body".to_string(),
                    Some(media) => format!("the operation requires a body (`{media}`)"),
                };
                return Err(Error::invalid(op.id(), Some("body"), what));
            }
            _ => {}
        }
        Ok(())
    }

    /// A body list longer than the row's `max_items` for it is refused whole: the runtime does
    /// not split a body, whose other fields (a comment, a bulk filter) belong to every item.
    fn check_body_lists(&self, op: &'static Operation) -> Result<(), Error> {
        let (Some(body), Some(Value::Object(fields))) = (op.body, &self.body) else {
            return Ok(());
        };
        for (name, max) in body.max_items {
            if let Some(Value::Array(items)) = fields.get(*name)
                && items.len() > *max as usize
            {
                return Err(Error::invalid(
                    op.id(),
                    Some("body"),
                    format!(
                        "`{name}` holds {} items, and the service takes at most {max} per \
                         request; send them in batches of {max}",
                        items.len()
                    ),
                ));
            }
        }
        Ok(())
    }

    pub(crate) fn encode(&self) -> Encoded {
        let mut path = self.path_template.to_string();
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
        // A query argument given both ways goes once, as declared; an extra pair named like a
        // parameter elsewhere (a path `id`) is another thing and goes too.
        let declared: Vec<&str> = self
            .args
            .iter()
            .filter(|(p, _)| p.location == Location::Query)
            .map(|(p, _)| p.name)
            .collect();
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

/// Percent-encodes one path segment (RFC 3986 unreserved characters stay). A segment that is
/// `.` or `..` is encoded whole, so URL normalisation cannot turn it into another path.
fn percent_encode_segment(s: &str) -> String {
    if s == "." || s == ".." {
        return s.replace('.', "%2E");
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{Method, STRING, Scalar, csv, path, query};

    static OP: Operation = Operation::new(Method::Get, "/things/{id}/v1", &["thing.get.v1"])
        .params(&[
            path("id", STRING).required(),
            query("ids", csv(Scalar::String)).required(),
        ]);

    #[test]
    fn an_empty_list_is_not_given() {
        let mut r = Request::for_operation(&OP);
        r.set(&OP, "id", ArgValue::from("x")).unwrap();
        r.set(&OP, "ids", ArgValue::List(Vec::new())).unwrap();
        let err = r.check_required(&OP).unwrap_err();
        assert!(
            err.to_string().contains("parameter `ids`: required"),
            "{err}"
        );
        assert!(r.encode().query.is_empty());
    }

    #[test]
    fn an_extra_pair_yields_only_to_a_query_argument_of_its_name() {
        let mut r = Request::for_operation(&OP);
        r.set(&OP, "id", ArgValue::from("p")).unwrap();
        r.set(&OP, "ids", ArgValue::from("a")).unwrap();
        r.extra_query = [("id", "x"), ("ids", "b")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
        let encoded = r.encode();
        assert_eq!(encoded.path, "/things/p/v1");
        let pairs = [("ids", "a"), ("id", "x")].map(|(k, v)| (k.to_string(), v.to_string()));
        assert_eq!(encoded.query, pairs);
    }

    #[test]
    fn dot_segments_cannot_move_the_path() {
        for (value, path) in [
            ("..", "/things/%2E%2E/v1"),
            (".", "/things/%2E/v1"),
            ("a.b", "/things/a.b/v1"),
            ("a/b", "/things/a%2Fb/v1"),
        ] {
            let mut r = Request::for_operation(&OP);
            r.set(&OP, "id", ArgValue::from(value)).unwrap();
            assert_eq!(r.encode().path, path);
        }
    }

    #[test]
    fn a_json_value_goes_only_to_a_structured_parameter() {
        use crate::operation::DEEP_OBJECT;
        static OBJ: Operation = Operation::new(Method::Get, "/o", &["o"])
            .params(&[query("filter", DEEP_OBJECT), query("name", STRING)]);
        let mut r = Request::for_operation(&OBJ);
        let value = serde_json::json!({"a": {"b": 1}, "l": [{"c": true}]});
        r.set(&OBJ, "filter", ArgValue::Json(value)).unwrap();
        let pairs = [("filter[a][b]", "1"), ("filter[l][0][c]", "true")]
            .map(|(k, v)| (k.to_string(), v.to_string()));
        assert_eq!(r.encode().query, pairs);
        let err = r
            .set(&OBJ, "name", ArgValue::Json(serde_json::json!({})))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("parameter `name`: a structured (JSON) value is only accepted"),
            "{err}"
        );
    }

    #[test]
    fn an_empty_path_segment_is_refused() {
        let mut r = Request::for_operation(&OP);
        let err = r.set(&OP, "id", ArgValue::from("")).unwrap_err();
        assert!(
            err.to_string()
                .contains("parameter `id`: a path parameter cannot be empty"),
            "{err}"
        );
    }
}
