//! A typed Rust client for the CrowdStrike Falcon IOC API (custom indicators of compromise).
//!
//! ```no_run
//! # async fn demo() -> Result<(), ioc_client::Error> {
//! let client = ioc_client::Client::builder()
//!     .base_url("us-1")
//!     .client_id("ID")
//!     .client_secret("SECRET")
//!     .build()?;
//!
//! // A typed call: a fluent builder ending in `.send()`.
//! let page = client
//!     .indicator_search_v1()
//!     .filter("type:'domain'")
//!     .limit(100)
//!     .send()
//!     .await?;
//! println!("{} ids", page.body.resources.len());
//!
//! // The PascalCase alias of a PascalCase operation id.
//! let count = client.DevicesCount().type_("domain").value("example.com").send().await?;
//!
//! // Any operation by id, with JSON arguments.
//! let reply = client
//!     .command("indicator_get_v1", serde_json::json!({"ids": ["a", "b"]}))
//!     .await?;
//! # let _ = (count, reply);
//! # Ok(())
//! # }
//! ```
//!
//! Everything under [`models`], [`operations`] and [`table`] is generated from `spec/ioc.yaml`
//! by `cargo xtask codegen`; the runtime underneath is [`falcon_runtime`].

#![warn(missing_docs)]

// Generated files keep the generator's formatting; rustfmt would fight `cargo xtask codegen --check`.
#[rustfmt::skip]
mod generated;

/// The `reqwest` the client sends with, for building a client of your own to hand to
/// `Client::builder().http_client(..)` (the versions must match).
pub use falcon_runtime::reqwest;
pub use falcon_runtime::{
    ApiError, ApiErrorEntry, ApiResponse, Cloud, Error, ErrorKind, Items, Pages, RateLimit,
    RetryConfig,
};
pub use generated::{Client, models, operations, table};

// `blocking::Client` (feature `blocking`): the same API without an async runtime.
falcon_runtime::if_blocking! {
    pub use generated::blocking;
}
