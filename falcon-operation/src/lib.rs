// The front page is the README, so its example is compiled as a doc test.
#![doc = include_str!("../README.md")]
#![no_std]
#![warn(missing_docs)]

/// One operation of a spec: everything the runtime needs to send it.
#[derive(Debug)]
pub struct Operation {
    /// Every id `command()` accepts for it, the spec's id first.
    pub ids: &'static [&'static str],
    /// The HTTP method.
    pub method: Method,
    /// The path template (`/iocs/entities/indicators/v1`, or with `{name}` placeholders).
    pub path: &'static str,
    /// Parameters outside the body, in spec order; query pairs go on the wire in this order.
    pub params: &'static [Param],
    /// The body, when the operation takes one: JSON, or bytes of a declared media type.
    pub body: Option<Body>,
    /// How the operation pages through results.
    pub paging: Paging,
}

impl Operation {
    /// A row with no parameters, no body and no paging; `ids` starts with the spec's id.
    pub const fn new(method: Method, path: &'static str, ids: &'static [&'static str]) -> Self {
        Operation {
            ids,
            method,
            path,
            params: &[],
            body: None,
            paging: Paging::Single,
        }
    }

    /// The same row with these parameters.
    pub const fn params(mut self, params: &'static [Param]) -> Self {
        self.params = params;
        self
    }

    /// The same row with a JSON body, required or not.
    pub const fn body(mut self, required: bool) -> Self {
        self.body = Some(Body {
            required,
            max_items: &[],
            media_type: None,
        });
        self
    }

    /// The same row with a raw body, required or not: bytes the caller gives, sent as they are
    /// under `media_type` (`application/octet-stream`, `text/plain`), as the spec declares it.
    pub const fn raw_body(mut self, media_type: &'static str, required: bool) -> Self {
        self.body = Some(Body {
            required,
            max_items: &[],
            media_type: Some(media_type),
        });
        self
    }

    /// The same row with the most items each of these list fields of its JSON body may hold in
    /// one request (`&[("indicators", 2000)]`). A row without a body keeps none.
    pub const fn body_max_items(mut self, max_items: &'static [(&'static str, u32)]) -> Self {
        if let Some(body) = self.body {
            self.body = Some(Body {
                required: body.required,
                max_items,
                media_type: body.media_type,
            });
        }
        self
    }

    /// The same row with this paging.
    pub const fn paging(mut self, paging: Paging) -> Self {
        self.paging = paging;
        self
    }

    /// The operation id as the spec spells it.
    pub fn id(&self) -> &'static str {
        self.ids.first().copied().unwrap_or("")
    }

    /// The parameter a call names `arg` (its [`Param::arg`]: the wire name, unless two
    /// parameters share it).
    pub fn param(&self, arg: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.arg == arg)
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

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl Method {
    /// Every method, in the order operations of one path are sorted.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// The method as HTTP spells it (`GET`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// The method named `name` in any case (`get`, as OpenAPI keys paths, or `GET`).
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }

    /// Whether sending it twice does no more harm than sending it once (RFC 9110), so a failed
    /// attempt may be retried.
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// One parameter outside the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The wire name.
    pub name: &'static str,
    /// The name a call gives it by (a `command()` argument's key, the CLI's): the wire name,
    /// unless another parameter of the operation has the same wire name in another place; then
    /// the generator's naming rule (`codegen/src/names.rs`, `located`) says the location
    /// (`query_path` beside a path `path`). Decided once, by the generator; the runtime only
    /// looks it up.
    pub arg: &'static str,
    /// Where it goes.
    pub location: Location,
    /// Its type, which says how a value is checked and written.
    pub kind: Kind,
    /// Whether a call must give it.
    pub required: bool,
    /// For a list: the most items the service takes in one request (the spec's `maxItems`).
    pub max_items: Option<u32>,
    /// For an integer: the smallest value the service takes (the spec's `minimum`).
    pub minimum: Option<i64>,
    /// For an integer: the largest value the service takes (the spec's `maximum`).
    pub maximum: Option<i64>,
}

impl Param {
    /// An optional parameter.
    pub const fn new(name: &'static str, location: Location, kind: Kind) -> Self {
        Param {
            name,
            arg: name,
            location,
            kind,
            required: false,
            max_items: None,
            minimum: None,
            maximum: None,
        }
    }

    /// The same parameter, called `arg` by calls (see [`Param::arg`]).
    pub const fn arg(mut self, arg: &'static str) -> Self {
        self.arg = arg;
        self
    }

    /// The same parameter, required.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// The same list parameter, holding at most `n` items in one request.
    pub const fn max_items(mut self, n: u32) -> Self {
        self.max_items = Some(n);
        self
    }

    /// The same integer parameter, at least `n`.
    pub const fn minimum(mut self, n: i64) -> Self {
        self.minimum = Some(n);
        self
    }

    /// The same integer parameter, at most `n`.
    pub const fn maximum(mut self, n: i64) -> Self {
        self.maximum = Some(n);
        self
    }

    /// Whether `value` is inside the parameter's range (a parameter without one takes any).
    pub const fn in_range(&self, value: i64) -> bool {
        let above = match self.minimum {
            Some(min) => value >= min,
            None => true,
        };
        let below = match self.maximum {
            Some(max) => value <= max,
            None => true,
        };
        above && below
    }
}

/// An optional query parameter.
pub const fn query(name: &'static str, kind: Kind) -> Param {
    Param::new(name, Location::Query, kind)
}

/// An optional path parameter (the generator marks every path parameter required).
pub const fn path(name: &'static str, kind: Kind) -> Param {
    Param::new(name, Location::Path, kind)
}

/// An optional header parameter.
pub const fn header(name: &'static str, kind: Kind) -> Param {
    Param::new(name, Location::Header, kind)
}

/// An optional field of a url-encoded form body.
pub const fn form(name: &'static str, kind: Kind) -> Param {
    Param::new(name, Location::Form, kind)
}

/// An optional part of a multipart form body.
pub const fn multipart(name: &'static str, kind: Kind) -> Param {
    Param::new(name, Location::Multipart, kind)
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The query string.
    Query,
    /// A `{name}` placeholder of the path.
    Path,
    /// A request header.
    Header,
    /// A field of an `application/x-www-form-urlencoded` body.
    Form,
    /// A part of a `multipart/form-data` body (the only place a [`Kind::File`] goes).
    Multipart,
}

impl Location {
    /// How the location reads in prose (`query`, `multipart form`).
    pub const fn describe(self) -> &'static str {
        match self {
            Location::Query => "query",
            Location::Path => "path",
            Location::Header => "header",
            Location::Form => "form",
            Location::Multipart => "multipart form",
        }
    }
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
    /// One value.
    Scalar(Scalar),
    /// A list of values, sent in the given style.
    Array(Scalar, ArrayStyle),
    /// A file upload: file name, bytes and optional content type.
    File,
    /// A structured value (an object, a list of objects, a union with an object branch, any
    /// JSON), sent in the given style.
    Structured(Style),
}

/// A string parameter.
pub const STRING: Kind = Kind::Scalar(Scalar::String);
/// An integer parameter.
pub const INTEGER: Kind = Kind::Scalar(Scalar::Integer);
/// A number parameter.
pub const NUMBER: Kind = Kind::Scalar(Scalar::Number);
/// A boolean parameter.
pub const BOOLEAN: Kind = Kind::Scalar(Scalar::Boolean);
/// A file parameter.
pub const FILE: Kind = Kind::File;

/// A list parameter sent as one key per item (`ids=a&ids=b`).
pub const fn multi(item: Scalar) -> Kind {
    Kind::Array(item, ArrayStyle::Multi)
}

/// A list parameter sent comma-joined under one key (`ids=a,b`).
pub const fn csv(item: Scalar) -> Kind {
    Kind::Array(item, ArrayStyle::Csv)
}

/// A list parameter sent as one key per item with its index (`ids[0]=a&ids[1]=b`).
pub const fn indexed(item: Scalar) -> Kind {
    Kind::Array(item, ArrayStyle::DeepObject)
}

/// A structured parameter sent in form style with `explode: true` (`R=100&G=200`).
pub const FORM_EXPLODED: Kind = Kind::Structured(Style::Form { explode: true });
/// A structured parameter sent in form style with `explode: false` (`color=R,100,G,200`).
pub const FORM_JOINED: Kind = Kind::Structured(Style::Form { explode: false });
/// A structured parameter sent in deepObject style (`color[R]=100`, `a[b][c]=v`, `a[0][b]=v`).
pub const DEEP_OBJECT: Kind = Kind::Structured(Style::DeepObject);
/// A structured multipart part holding the value as JSON (`application/json`).
pub const JSON: Kind = Kind::Structured(Style::Json);

/// The type of a scalar parameter, or of a list parameter's items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
}

impl Scalar {
    /// The type in prose (`string`).
    pub const fn name(self) -> &'static str {
        match self {
            Scalar::String => "string",
            Scalar::Integer => "integer",
            Scalar::Number => "number",
            Scalar::Boolean => "boolean",
        }
    }
}

/// How a list goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// One key per element: `ids=a&ids=b`.
    Multi,
    /// One key, comma-joined: `ids=a,b`.
    Csv,
    /// One key per element with its index, as Stripe reads a `deepObject`-styled list:
    /// `ids[0]=a&ids[1]=b`.
    DeepObject,
}

/// How a [`Kind::Structured`] value goes on the wire: OpenAPI 3's styles. Form and deepObject
/// follow the "Style Examples" table of OpenAPI 3.0 for an object of scalars and a list of
/// scalars; what that table leaves undefined is decided as follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `style: form`. With `explode`: `color=blue&color=black` for a list, `R=100&G=200` for
    /// an object; without: `color=blue,black`, `color=R,100,G,200`. A value deeper than that
    /// (a list of objects, an object holding objects or lists) goes as one pair whose value is
    /// its JSON text.
    Form {
        /// Whether each item or property is a pair of its own.
        explode: bool,
    },
    /// `style: deepObject`, nested as Stripe reads it: `color[R]=100`, `a[b][c]=v`, lists by
    /// index `a[0]=v`, `a[0][b]=v`. Empty objects and lists send nothing.
    DeepObject,
    /// A `multipart/form-data` part holding the value as JSON, with content type
    /// `application/json` (OpenAPI's default for an object in a multipart body).
    Json,
}

impl Style {
    /// The style as OpenAPI names it (`form`, `form, not exploded`, `deepObject`, `JSON`).
    pub const fn name(self) -> &'static str {
        match self {
            Style::Form { explode: true } => "form",
            Style::Form { explode: false } => "form, not exploded",
            Style::DeepObject => "deepObject",
            Style::Json => "JSON",
        }
    }
}

/// The body of an operation: JSON, or raw bytes of a declared media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Body {
    /// Whether a call must send one.
    pub required: bool,
    /// Top-level list fields of the body and the most items each may hold in one request (the
    /// spec's `maxItems`), such as `("indicators", 2000)`.
    pub max_items: &'static [(&'static str, u32)],
    /// For a raw body, the media type the generator chose from the spec (sent as the
    /// `Content-Type` unless the caller names a more precise one); `None` for a JSON body.
    pub media_type: Option<&'static str>,
}

impl Body {
    /// Whether the body is JSON (else raw bytes of [`Body::media_type`]).
    pub const fn is_json(&self) -> bool {
        self.media_type.is_none()
    }
}

/// How an operation pages, decided by the generator from its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// One page: no paging parameters.
    Single,
    /// `offset` + `limit`.
    Offset,
    /// An `after` token (and `limit`); the service also pages by `offset` here, but only
    /// through its first [`Paging::OFFSET_WINDOW`] results.
    After,
}

impl Paging {
    /// On operations that page by `after`, the service refuses `offset + limit` above this.
    pub const OFFSET_WINDOW: u64 = 10_000;
}
