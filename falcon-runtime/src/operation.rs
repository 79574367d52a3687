//! The static description of an operation that generated code hands to the runtime.
//!
//! Generated crates hold one `Operation` per spec operation in their `table` module; the runtime
//! encodes typed calls and checks `command()` arguments against these rows.

/// One operation of a spec.
#[derive(Debug)]
pub struct Operation {
    /// The operation id as the spec spells it.
    pub id: &'static str,
    /// Every id `command()` accepts for it, the spec id first.
    pub command_ids: &'static [&'static str],
    pub method: HttpMethod,
    /// The path template (`/iocs/entities/indicators/v1`, or with `{name}` placeholders).
    pub path: &'static str,
    /// Parameters outside the body, in spec order; query pairs go on the wire in this order.
    pub params: &'static [Param],
    /// The JSON body, when the operation takes one.
    pub body: Option<BodySpec>,
}

impl Operation {
    /// The parameter with this wire name.
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// How the operation's form fields go on the wire, when it has any: a row's form fields are
    /// all [`Location::Form`] (url-encoded) or all [`Location::Multipart`].
    pub fn form_encoding(&self) -> Option<FormEncoding> {
        self.params.iter().find_map(|p| match p.location {
            Location::Form => Some(FormEncoding::UrlEncoded),
            Location::Multipart => Some(FormEncoding::Multipart),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// Whether sending it twice does no more harm than sending it once (RFC 9110), so a failed
    /// attempt may be retried.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, HttpMethod::Post | HttpMethod::Patch)
    }

    pub(crate) fn to_http(self) -> http::Method {
        match self {
            HttpMethod::Get => http::Method::GET,
            HttpMethod::Put => http::Method::PUT,
            HttpMethod::Post => http::Method::POST,
            HttpMethod::Delete => http::Method::DELETE,
            HttpMethod::Options => http::Method::OPTIONS,
            HttpMethod::Head => http::Method::HEAD,
            HttpMethod::Patch => http::Method::PATCH,
            HttpMethod::Trace => http::Method::TRACE,
        }
    }
}

/// One parameter outside the body.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The wire name.
    pub name: &'static str,
    pub location: Location,
    pub kind: Kind,
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Query,
    Path,
    Header,
    /// A field of an `application/x-www-form-urlencoded` body.
    Form,
    /// A part of a `multipart/form-data` body (the only place a [`Kind::File`] goes).
    Multipart,
}

/// How an operation's form body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEncoding {
    /// `application/x-www-form-urlencoded`: `name=value&...`.
    UrlEncoded,
    /// `multipart/form-data`: one part per field, files with their file name.
    Multipart,
}

/// The type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scalar(Scalar),
    Array(Scalar, ArrayStyle),
    /// A file upload ([`crate::FileUpload`]): file name, bytes and optional content type.
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Integer,
    Number,
    Boolean,
}

impl Scalar {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scalar::String => "a string",
            Scalar::Integer => "an integer",
            Scalar::Number => "a number",
            Scalar::Boolean => "a boolean",
        }
    }
}

/// How an array goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// One key per element: `ids=a&ids=b`.
    Multi,
    /// One key, comma-joined: `ids=a,b`.
    Csv,
}

/// The JSON body of an operation.
#[derive(Debug, Clone, Copy)]
pub struct BodySpec {
    pub required: bool,
}
