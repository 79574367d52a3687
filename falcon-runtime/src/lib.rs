//! The hand-written runtime under every generated Falcon client: configuration and clouds,
//! OAuth2, sending with retries, the error type, and `command()` dispatch over a generated
//! operation table.
//!
//! Generated code stays small because everything that encodes, sends or decodes lives here:
//! a generated request builder is a typed face on [`Call`], and the generated table rows
//! ([`operation::Operation`]) say how each operation goes on the wire.

mod args;
mod auth;
mod call;
mod client;
mod cloud;
mod command;
mod error;
pub mod operation;
mod request;
mod response;
mod retry;
mod secret;
pub mod serde_helpers;

pub use args::ArgValue;
pub use call::Call;
pub use client::{Client, ClientBuilder, SDK_NAME};
pub use cloud::{Cloud, Target};
pub use error::{ApiError, ApiErrorEntry, Error, ErrorKind};
pub use response::{ApiResponse, RateLimit};
pub use retry::RetryConfig;
pub use secret::Secret;
