//! How a request ends: [`Async`] (the default) or, with the `blocking` feature,
//! [`Blocking`](crate::blocking::Blocking).
//!
//! A generated client is `Client<M: Mode>`, and every request builder it makes carries the same
//! `M`: one builder per operation serves both faces. With `Async`, `send()` is a future and
//! `pages()`/`items()` are streams; with `Blocking`, `send()` returns the reply and
//! `pages()`/`items()` are iterators.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;

use crate::call::Call;
use crate::error::Error;
use crate::paginate::{Items, Pages};
use crate::response::ApiResponse;

/// The way a client's calls end. Implemented by [`Async`] and `Blocking` only.
pub trait Mode: Clone + Default + fmt::Debug + Send + Sync + 'static + sealed::Sealed {
    /// What `send()` returns: a future of the reply ([`Sending`]) or the reply itself.
    type Reply<'a, T: 'a>;
    /// What `pages()` returns: a stream ([`Pages`]) or an iterator of the decoded pages.
    type Pages<'a, T: 'a>;
    /// What `items()` returns: a stream ([`Items`]) or an iterator of the items of every page.
    type Items<'a, T: 'a>;

    #[doc(hidden)]
    fn send<'a, T: DeserializeOwned + Send + 'a>(call: Call<'a, Self>) -> Self::Reply<'a, T>;
    #[doc(hidden)]
    fn pages<'a, T: DeserializeOwned + Send + 'a>(call: Call<'a, Self>) -> Self::Pages<'a, T>;
    #[doc(hidden)]
    fn items<'a, T: DeserializeOwned + Send + 'a>(call: Call<'a, Self>) -> Self::Items<'a, T>;
}

/// The future `send()` returns with the async client.
pub type Sending<'a, T> = Pin<Box<dyn Future<Output = Result<ApiResponse<T>, Error>> + Send + 'a>>;

/// The default mode: `send()` is a future, `pages()` and `items()` are streams.
#[derive(Debug, Clone, Copy, Default)]
pub struct Async;

impl Mode for Async {
    type Reply<'a, T: 'a> = Sending<'a, T>;
    type Pages<'a, T: 'a> = Pages<'a, T>;
    type Items<'a, T: 'a> = Items<'a, T>;

    fn send<'a, T: DeserializeOwned + Send + 'a>(call: Call<'a, Self>) -> Sending<'a, T> {
        Box::pin(call.send_async())
    }

    fn pages<'a, T: DeserializeOwned + Send + 'a>(call: Call<'a, Self>) -> Pages<'a, T> {
        call.page_stream()
    }

    fn items<'a, T: DeserializeOwned + Send + 'a>(call: Call<'a, Self>) -> Items<'a, T> {
        call.item_stream()
    }
}

pub(crate) mod sealed {
    /// Only this crate's modes implement [`Mode`](super::Mode).
    pub trait Sealed {}
    impl Sealed for super::Async {}
    #[cfg(feature = "blocking")]
    impl Sealed for crate::blocking::Blocking {}
}
