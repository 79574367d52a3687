//! The one error type of the crate, matchable by kind.

use std::fmt;

use crate::failures::ApiErrorEntry;
use crate::response::RateLimit;

/// Everything that can go wrong in a call. No variant ever holds a secret or a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A call was refused before anything was sent: unknown or missing argument, a value that
    /// does not fit the parameter's type, a missing body.
    #[error("invalid argument for `{operation}`{}: {reason}", parameter.as_ref().map(|p| format!(", parameter `{p}`")).unwrap_or_default())]
    InvalidArgument {
        /// The operation id, or `METHOD /path` for an override.
        operation: String,
        /// The parameter at fault, when one is.
        parameter: Option<String>,
        /// What is wrong, and what would be right.
        reason: String,
    },
    /// `command()` was given an id no operation has. Nothing was sent.
    #[error("unknown operation `{id}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownOperation {
        /// The id as given.
        id: String,
        /// The closest id the table has, when one is close.
        suggestion: Option<String>,
    },
    /// Logging in failed; the API call was not sent.
    #[error("authentication failed{}: {message}", status.map(|s| format!(" (HTTP {s})")).unwrap_or_default())]
    Auth {
        /// The HTTP status of the token reply, when there was one.
        status: Option<u16>,
        /// What went wrong.
        message: String,
        /// Whether logging in later may work: the token request did not get through, or the
        /// service answered 429 or 5xx. Such failures are retried like any request.
        transient: bool,
    },
    /// The service answered with a status other than success.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request did not get a reply: connection refused or dropped, timeout, TLS (see
    /// [`Error::is_tls`]), or the reply's body broke off or could not be decompressed.
    #[error("transport error: {message}")]
    Transport {
        /// What went wrong.
        message: String,
        /// Whether a timeout ended the request.
        timeout: bool,
        /// The HTTP client's own error, when it gave one.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// The reply had a success status but its body could not be decoded.
    #[error("could not decode the HTTP {status} reply: {message}; body starts: {snippet}")]
    Decode {
        /// The HTTP status of the reply.
        status: u16,
        /// What the decoder said.
        message: String,
        /// The first bytes of the body (at most 512), lossily as text.
        snippet: String,
    },
    /// The reply's body was larger than the cap (`ClientBuilder::max_reply_bytes`, counted
    /// after decompression). The rest was not read and its connection was closed; nothing of
    /// the body is returned. The request itself was sent, so a write may have taken effect.
    #[error(
        "the reply to `{operation}` (HTTP {status}) is larger than the cap of {limit} bytes; \
         the rest was not read (raise `max_reply_bytes` if replies this large are expected)"
    )]
    ReplyTooLarge {
        /// The operation id, `METHOD /path` for an override, or the OAuth2 endpoint.
        operation: String,
        /// The HTTP status of the reply.
        status: u16,
        /// The cap in force, in bytes.
        limit: u64,
    },
    /// The client was configured wrongly.
    #[error("configuration error: {0}")]
    Config(String),
    /// A page of `pages()` or `items()` failed (`source` says why) after the walk had begun;
    /// `resume` says where to go on from: the failed page's `after` token or offset. Its
    /// [`kind`](Error::kind), status and [`as_api`](Error::as_api) are the source's. When the
    /// walk had yielded nothing yet (a login that failed, say), it reads as `source` alone:
    /// the only place to go on from is the start.
    #[error("{source}{}", paging_tail(.resume))]
    Paging {
        /// Why the page failed.
        source: Box<Error>,
        /// Where to go on from: the failed page's `after` token or offset.
        resume: crate::paginate::Resume,
    },
}

/// The kinds of [`Error`], for matching without destructuring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::InvalidArgument`]
    InvalidArgument,
    /// [`Error::UnknownOperation`]
    UnknownOperation,
    /// [`Error::Auth`]
    Auth,
    /// [`Error::Api`]
    Api,
    /// [`Error::Transport`]
    Transport,
    /// [`Error::Decode`]
    Decode,
    /// [`Error::ReplyTooLarge`]
    ReplyTooLarge,
    /// [`Error::Config`]
    Config,
}

/// What [`Error::Paging`] adds to its source's message: where to go on from, once the walk
/// has yielded something.
fn paging_tail(resume: &crate::paginate::Resume) -> String {
    if resume.progressed() {
        format!("; {resume}")
    } else {
        String::new()
    }
}

impl Error {
    /// What kind of failure this is, to match on without the details.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Paging { source, .. } => source.kind(),
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::UnknownOperation { .. } => ErrorKind::UnknownOperation,
            Error::Auth { .. } => ErrorKind::Auth,
            Error::Api(_) => ErrorKind::Api,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::ReplyTooLarge { .. } => ErrorKind::ReplyTooLarge,
            Error::Config(_) => ErrorKind::Config,
        }
    }

    /// Whether trying the same call again later may succeed: rate limits, server errors,
    /// transport failures other than TLS ones (an untrusted certificate stays untrusted).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Paging { source, .. } => source.is_retryable(),
            Error::Api(e) => e.status == 429 || e.status >= 500,
            Error::Transport { .. } => !self.is_tls(),
            Error::Auth { transient, .. } => *transient,
            _ => false,
        }
    }

    /// Whether the request failed for taking too long (connect or overall timeout).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Paging { source, .. } => source.is_timeout(),
            other => matches!(other, Error::Transport { timeout: true, .. }),
        }
    }

    /// Whether the connection failed in TLS: the server's certificate was not trusted or not
    /// valid for its name, or the handshake failed. Retrying does not help; trusting the right
    /// CA does (`ClientBuilder::add_root_certificate_pem`, `SSL_CERT_FILE`).
    pub fn is_tls(&self) -> bool {
        match self {
            Error::Paging { source, .. } => source.is_tls(),
            Error::Transport {
                source: Some(source),
                ..
            } => tls_cause(source).is_some(),
            _ => false,
        }
    }

    /// The HTTP status, for API errors, refused logins and replies that could not be used.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Paging { source, .. } => source.status(),
            Error::Api(e) => Some(e.status),
            Error::Auth { status, .. } => *status,
            Error::Decode { status, .. } => Some(*status),
            Error::ReplyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the connection could not be made, so the request never reached the server.
    pub(crate) fn is_connect(&self) -> bool {
        match self {
            Error::Paging { source, .. } => source.is_connect(),
            other => matches!(other, Error::Transport { source: Some(s), .. } if s.is_connect()),
        }
    }

    /// The API error, when the service answered with an error status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::Paging { source, .. } => source.as_api(),
            _ => None,
        }
    }

    /// Where a walk of `pages()`/`items()` that stopped on this error goes on from: the
    /// `after` token or offset of the page that failed. `None` for an error outside a walk, or
    /// one before anything was sent (a bad argument: fix it and start again).
    pub fn resume(&self) -> Option<&crate::paginate::Resume> {
        match self {
            Error::Paging { resume, .. } => Some(resume),
            _ => None,
        }
    }

    pub(crate) fn invalid(
        operation: &str,
        parameter: Option<&str>,
        reason: impl Into<String>,
    ) -> Error {
        Error::InvalidArgument {
            operation: operation.to_string(),
            parameter: parameter.map(str::to_string),
            reason: reason.into(),
        }
    }

    /// The error of a call that made `attempts`: a transport or login error that came after
    /// retries says how many and over how long (an API error carries them in
    /// [`ApiError::attempts`]).
    pub(crate) fn after(mut self, attempts: Attempts) -> Error {
        match &mut self {
            Error::Transport { message, .. } | Error::Auth { message, .. } => {
                message.push_str(&attempts.to_string());
            }
            Error::Api(api) => api.attempts = attempts,
            _ => {}
        }
        self
    }

    pub(crate) fn transport(source: reqwest::Error) -> Error {
        // Tokens go in headers and credentials in form bodies, so only the URL could carry a
        // secret (a `user:password@` base URL): it is shown redacted, and dropped from the source.
        let url = source.url().map(|u| crate::secret::redact_url(u.as_str()));
        let source = source.without_url();
        // reqwest's own message is generic ("error sending request"); the cause is further
        // down the chain ("invalid peer certificate: UnknownIssuer"), so it is spelled out.
        let mut message = chain(&source);
        if let Some(url) = url {
            message.push_str(&format!(" ({url})"));
        }
        if let Some(rustls::Error::InvalidCertificate(problem)) = tls_cause(&source) {
            use rustls::CertificateError::*;
            match problem {
                UnknownIssuer | BadSignature => message.push_str(
                    "; the server's certificate is not signed by a trusted CA: behind a \
                     TLS-inspecting proxy, trust its CA with `add_root_certificate_pem`, \
                     `add_root_certificate_file` or SSL_CERT_FILE",
                ),
                NotValidForName | NotValidForNameContext { .. } => message.push_str(
                    "; the server's certificate is for another host name: check the base URL",
                ),
                _ => {}
            }
        }
        Error::Transport {
            message,
            timeout: source.is_timeout(),
            source: Some(source),
        }
    }
}

/// An error and its causes, `outer: inner: innermost`, each said once.
pub(crate) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        next = cause.source();
    }
    message
}

/// The TLS error somewhere in `error`'s causes. An `io::Error` hides the error it wraps from
/// `source()` (it returns that error's own source), and TLS errors come wrapped in two of
/// them, so those are looked into by hand.
fn tls_cause<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(error);
    while let Some(cause) = next {
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        next = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => cause.source(),
        };
    }
    None
}

/// An error status from the service, with what it said.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The operation id, or `METHOD /path` for an override.
    pub operation: String,
    /// The `errors` list of the body (empty when there was none).
    pub errors: Vec<ApiErrorEntry>,
    /// `X-Cs-Traceid` of the reply.
    pub trace_id: Option<String>,
    /// The rate-limit headers of the reply.
    pub rate_limit: RateLimit,
    /// The body as JSON, when it was JSON.
    pub body: Option<serde_json::Value>,
    /// The body as text when it was not JSON (at most 4 KiB).
    pub raw_body: Option<String>,
    /// How many times the request was sent (1 when it was not retried) and how long that took,
    /// the waits between attempts included.
    pub attempts: Attempts,
}

/// How many attempts a call made and over how long, for an error that came after retries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attempts {
    /// Requests sent, the first included.
    pub count: u32,
    /// From the first attempt to the end of the last, waits included.
    pub elapsed: std::time::Duration,
}

impl fmt::Display for Attempts {
    /// ` after 4 attempts over 3.2 s`, or nothing for a single attempt.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.count > 1 {
            write!(
                f,
                " (after {} attempts over {:.1} s)",
                self.count,
                self.elapsed.as_secs_f64()
            )?;
        }
        Ok(())
    }
}

impl ApiError {
    /// What to do about this status, in a few words: the service's own messages say what it
    /// refused, this says where to go from there.
    pub fn advice(&self) -> &'static str {
        match self.status {
            400 | 422 => "the service refused the request: correct what its errors name",
            401 => "the service refused a fresh token: check that the API client is still active",
            403 => {
                "the API client lacks a scope this operation needs: grant it in the Falcon \
                 console (API clients and keys)"
            }
            404 => "nothing has that id or name: check it",
            409 => "it conflicts with what the service holds: look the item up, then change it",
            429 => "rate limited after the retries: wait, then send fewer calls at once",
            500..=599 => "the service failed: try again later",
            _ => "see the service's errors",
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` failed with HTTP {}", self.operation, self.status)?;
        if let Some(first) = self.errors.first() {
            write!(f, ": {}", first.message)?;
            if self.errors.len() > 1 {
                write!(f, " (and {} more)", self.errors.len() - 1)?;
            }
        } else if let Some(raw) = &self.raw_body {
            let snippet: String = raw.chars().take(200).collect();
            write!(f, ": {snippet}")?;
        }
        if let Some(trace) = &self.trace_id {
            write!(f, " [trace id {trace}]")?;
        }
        write!(f, "{}; {}", self.attempts, self.advice())
    }
}
