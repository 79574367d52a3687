//! Doc comments for generated items, built from spec text.

use proc_macro2::TokenStream;
use quote::quote;

/// One `#[doc]` attribute per line; blank input gives nothing. The lines become `///` comments.
pub(crate) fn doc<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> TokenStream {
    let mut out = TokenStream::new();
    for line in doc_lines(lines) {
        out.extend(quote!(#[doc = #line]));
    }
    out
}

/// Each input line split at newlines, with the leading space rustdoc expects; blank lines kept.
fn doc_lines<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let line = line.as_ref();
        if line.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        out.extend(line.lines().map(|l| match l.trim_end() {
            "" => String::new(),
            l => format!(" {l}"),
        }));
    }
    out
}

/// Like [`doc`], as inner attributes (`//!`): a module's own documentation.
pub(crate) fn inner_doc<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> TokenStream {
    let mut out = TokenStream::new();
    for line in doc_lines(lines) {
        out.extend(quote!(#![doc = #line]));
    }
    out
}

/// The paragraphs of an item's documentation, blank lines between them, empty ones dropped.
pub(crate) fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in parts.into_iter().flatten() {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(part.to_string());
    }
    out
}

/// A path in generated code (`::falcon_runtime`) as a doc link spells it (`falcon_runtime`).
pub(crate) fn path(tokens: &TokenStream) -> String {
    tokens
        .to_string()
        .replace(' ', "")
        .trim_start_matches("::")
        .to_string()
}
