// The front page is the README, so its examples are compiled as doc tests.
#![doc = include_str!("../README.md")]
//!
//! Everything under [`models`], [`operations`] and [`table`] is generated from `spec/ioc.yaml`
//! by `cargo xtask codegen`; the runtime underneath is [`falcon_runtime`].
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

// Generated files keep the generator's formatting; rustfmt would fight `cargo xtask codegen --check`.
#[rustfmt::skip]
mod generated;

/// The `reqwest` the client sends with, for building a client of your own to hand to
/// `Client::builder().http_client(..)` (the versions must match).
pub use falcon_runtime::reqwest;
pub use falcon_runtime::{
    ApiError, ApiErrorEntry, ApiResponse, Cloud, Error, ErrorKind, Items, Pages, RateLimit,
    RetryConfig, install_ring_provider,
};
pub use generated::{Client, models, operations, table};

// `blocking::Client` (feature `blocking`): the same API without an async runtime.
falcon_runtime::if_blocking! {
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    pub use generated::blocking;
}
