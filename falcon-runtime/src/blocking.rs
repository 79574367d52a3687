//! The blocking face of the runtime (feature `blocking`): a private current-thread tokio
//! runtime that drives the async client, for callers without an async runtime of their own.
//!
//! A generated blocking client is the generated `Client` in the [`Blocking`] mode: its request
//! builders are the async client's, and their `send` returns the reply itself, their `pages`
//! and `items` are plain iterators.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;

use crate::call::Call;
use crate::error::Error;
use crate::mode::Mode;
use crate::response::ApiResponse;

/// A tokio runtime for blocking calls, started on first use and shared by clones.
#[derive(Clone, Default)]
pub struct Runtime {
    inner: Arc<Mutex<Option<Arc<Holder>>>>,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Runtime(current-thread)")
    }
}

/// Owns the tokio runtime; shuts it down without blocking, so dropping a blocking client is
/// fine anywhere, even inside another runtime.
struct Holder(Option<tokio::runtime::Runtime>);

impl Drop for Holder {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl Runtime {
    /// A runtime not yet started: its thread starts with the first call that needs it.
    pub fn new() -> Runtime {
        Runtime::default()
    }

    fn holder(&self) -> Result<Arc<Holder>, Error> {
        let mut slot = self
            .inner
            .lock()
            .map_err(|_| Error::Config("the blocking runtime's lock was poisoned".into()))?;
        if let Some(holder) = slot.as_ref() {
            return Ok(holder.clone());
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start the blocking runtime: {e}")))?;
        let holder = Arc::new(Holder(Some(rt)));
        *slot = Some(holder.clone());
        Ok(holder)
    }

    /// Runs `future` to completion on this runtime. Called from inside another tokio runtime,
    /// it runs on a helper thread instead of panicking.
    pub fn block_on<F>(&self, future: F) -> Result<F::Output, Error>
    where
        F: Future + Send,
        F::Output: Send,
    {
        let holder = self.holder()?;
        let Some(rt) = holder.0.as_ref() else {
            return Err(Error::Config("the blocking runtime has shut down".into()));
        };
        if tokio::runtime::Handle::try_current().is_err() {
            return Ok(rt.block_on(future));
        }
        std::thread::scope(|scope| {
            scope
                .spawn(|| rt.block_on(future))
                .join()
                .map_err(|_| Error::Config("the blocking call's helper thread panicked".into()))
        })
    }

    /// Runs a fallible future to completion.
    pub fn run<T, F>(&self, future: F) -> Result<T, Error>
    where
        F: Future<Output = Result<T, Error>> + Send,
        T: Send,
    {
        self.block_on(future)?
    }
}

/// The blocking mode: `send()` waits for the reply, `pages()` and `items()` are iterators. A
/// blocking client (`Client<Blocking>`) holds one; its calls run on the mode's private
/// current-thread runtime, started on first use and shared by clones.
#[derive(Debug, Clone, Default)]
pub struct Blocking {
    runtime: Runtime,
}

impl Blocking {
    /// Runs a fallible future to completion on the mode's runtime (what the blocking client's
    /// `login`, `logout` and `command` do).
    pub fn run<T, F>(&self, future: F) -> Result<T, Error>
    where
        F: Future<Output = Result<T, Error>> + Send,
        T: Send,
    {
        self.runtime.run(future)
    }
}

impl Mode for Blocking {
    type Reply<'a, T: 'a> = Result<ApiResponse<T>, Error>;
    type Pages<'a, T: 'a> = PageIter<'a, T>;
    type Items<'a, T: 'a> = ItemIter<'a, T>;

    fn send<'a, T: DeserializeOwned + Send + 'a>(call: Call<'a, Self>) -> Self::Reply<'a, T> {
        let runtime = &call.mode().runtime;
        runtime.run(call.send_async())
    }

    fn pages<'a, T: DeserializeOwned + Send + 'a>(call: Call<'a, Self>) -> PageIter<'a, T> {
        let runtime = &call.mode().runtime;
        StreamIter::new(call.page_stream(), runtime)
    }

    fn items<'a, T: DeserializeOwned + Send + 'a>(call: Call<'a, Self>) -> ItemIter<'a, T> {
        let runtime = &call.mode().runtime;
        StreamIter::new(call.item_stream(), runtime)
    }
}

/// The pages of a call, as a blocking iterator.
pub type PageIter<'a, T> = StreamIter<'a, ApiResponse<T>>;

/// The items of every page of a call, as a blocking iterator.
pub type ItemIter<'a, T> = StreamIter<'a, T>;

/// A stream of results (pages or items) driven one step per `next()` on the blocking runtime.
/// It ends after the first error.
#[must_use = "iterators do nothing unless advanced"]
pub struct StreamIter<'a, X> {
    stream: Pin<Box<dyn Stream<Item = Result<X, Error>> + Send + 'a>>,
    runtime: &'a Runtime,
    failed: bool,
}

impl<'a, X> StreamIter<'a, X> {
    fn new(
        stream: Pin<Box<dyn Stream<Item = Result<X, Error>> + Send + 'a>>,
        runtime: &'a Runtime,
    ) -> Self {
        StreamIter {
            stream,
            runtime,
            failed: false,
        }
    }
}

impl<X: Send> Iterator for StreamIter<'_, X> {
    type Item = Result<X, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.runtime.block_on(self.stream.next()) {
            Ok(next) => next,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

impl<X> fmt::Debug for StreamIter<'_, X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StreamIter")
    }
}
