//! How intermediate types become Rust types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{IntWidth, TypeRef};

/// The Rust type for `ty`; models are named through `models` (`quote!()` inside the models
/// module, `quote!(models::)` elsewhere).
pub(crate) fn rust_type(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Integer(IntWidth::I32) => quote!(i32),
        TypeRef::Integer(IntWidth::I64) => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Array(item) => {
            let item = rust_type(item, models);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, models);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::Null => quote!(()),
        TypeRef::Model(name) => {
            let name = format_ident!("{}", name);
            quote!(#models #name)
        }
    }
}

/// A short human name for a type, for doc comments. Models link to their docs through
/// `models` (empty inside the models module, `super::models::` elsewhere).
pub(crate) fn describe(ty: &TypeRef, models: &str) -> String {
    match ty {
        TypeRef::String => "string".into(),
        TypeRef::Integer(_) => "integer".into(),
        TypeRef::Number => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Array(item) => format!("list of {}", describe(item, models)),
        TypeRef::Map(value) => format!("map of {}", describe(value, models)),
        TypeRef::Any => "any JSON".into(),
        TypeRef::Null => "`null`".into(),
        TypeRef::Model(name) if models.is_empty() => format!("[`{name}`]"),
        TypeRef::Model(name) => format!("[`{name}`]({models}{name})"),
    }
}
