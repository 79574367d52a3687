// The front page is the README, so its example is compiled as a doc test.
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod args;
mod auth;
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod body;
mod builder;
mod call;
mod client;
mod cloud;
mod command;
mod endpoint;
mod error;
mod failures;
mod file;
mod mode;
pub mod model;
pub mod paginate;
pub mod prelude;
mod preview;
mod raw;
mod request;
mod response;
mod retry;
mod roots;
mod secret;
mod send;
mod split;
mod style;
mod tls;
mod transport;

/// The operation table's vocabulary (the `falcon-operation` crate), which generated tables use.
pub use falcon_operation as operation;

pub use args::ArgValue;
pub use body::DEFAULT_MAX_REPLY_BYTES;
pub use builder::ClientBuilder;
pub use call::Call;
pub use client::{Client, SDK_NAME};
pub use cloud::{Cloud, Target};
pub use endpoint::{Endpoint, Paged};
pub use error::{ApiError, Attempts, Error, ErrorKind};
pub use failures::{ApiErrorEntry, Failures};
pub use file::FileUpload;
pub use mode::{Async, Mode, Sending};
pub use model::Envelope;
pub use paginate::{Items, Pages, Resume};
pub use preview::{PreviewBody, PreviewPart, REDACTED_BEARER, RequestPreview};
pub use raw::RawBody;
/// The `reqwest` this runtime sends with, for building a client of your own to pass to
/// [`ClientBuilder::http_client`] (its version must match).
pub use reqwest;
pub use response::{ApiResponse, RateLimit};
pub use retry::RetryConfig;
pub use secret::Secret;
pub use tls::install_ring_provider;

/// Expands to its items only when this crate's `blocking` feature is on. Generated code wraps
/// its blocking API in it, so the generated crate needs no feature of its own for it.
#[cfg(feature = "blocking")]
#[macro_export]
#[doc(hidden)]
macro_rules! if_blocking {
    ($($item:item)*) => { $($item)* };
}

/// Expands to its items only when this crate's `blocking` feature is on.
#[cfg(not(feature = "blocking"))]
#[macro_export]
#[doc(hidden)]
macro_rules! if_blocking {
    ($($item:item)*) => {};
}
