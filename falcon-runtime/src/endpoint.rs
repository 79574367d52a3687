//! What an operation's reply decodes into, as types: the vocabulary between a generated crate's
//! one request builder and its operations.
//!
//! A generated crate has one builder type, `operations::Request<'a, O, M>`, and one type `O`
//! per operation (in `operations::op`). That type says what a success decodes into
//! ([`Endpoint::Reply`]) and, for an operation that pages, what one item of a page is
//! ([`Paged::Item`]). So `send()`, `pages()` and `items()` are written once for every
//! operation, not once per operation, and a crate that depends on the generated one pays to
//! check the decoding of only the operations it calls.

/// An operation, as a type: what its success reply decodes into.
pub trait Endpoint {
    /// The type of a success reply's body.
    type Reply;
}

/// An operation that pages: what one item of a page's `resources` is.
pub trait Paged: Endpoint {
    /// One item of a page's `resources`.
    type Item;
}
