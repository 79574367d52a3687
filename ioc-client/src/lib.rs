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
    ApiError, ApiErrorEntry, ApiResponse, Cloud, Error, ErrorKind, Failures, Items, Pages,
    RateLimit, RetryConfig, install_ring_provider,
};
pub use generated::{Client, models, operations, table};

/// One `use ioc_client::prelude::*;` for a program that calls the API: the client, its error,
/// the models, and the stream traits that `pages()` and `items()` need (`try_next()`,
/// `next()`), so no `futures-util` dependency is needed to walk pages.
///
/// ```no_run
/// use ioc_client::prelude::*;
/// # async fn demo(client: Client) -> Result<(), Error> {
/// let mut ids = client.indicator_search_v1().filter("type:'domain'").items();
/// while let Some(id) = ids.try_next().await? {
///     println!("{id}");
/// }
/// # Ok(())
/// # }
/// ```
pub mod prelude {
    pub use crate::{Client, Error, ErrorKind, models};
    pub use falcon_runtime::prelude::*;
}

// `blocking::Client` (feature `blocking`): the same API without an async runtime.
falcon_runtime::if_blocking! {
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    pub use generated::blocking;
}
