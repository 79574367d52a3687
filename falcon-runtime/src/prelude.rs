//! What a caller of a generated client imports with one `use`: the stream traits that
//! `pages()` and `items()` need (`try_next()`, `next()`, `try_collect()`), so a downstream crate
//! needs no `futures-util` dependency of its own to walk pages.
//!
//! ```no_run
//! use falcon_runtime::prelude::*;
//! # async fn walk(items: falcon_runtime::Items<'_, String>) -> Result<(), falcon_runtime::Error> {
//! let mut items = items;
//! while let Some(id) = items.try_next().await? {
//!     println!("{id}");
//! }
//! # Ok(())
//! # }
//! ```

pub use futures_util::{StreamExt as _, TryStreamExt as _};
