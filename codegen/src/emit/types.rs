//! How intermediate types become Rust types.

use crate::ir::{IntWidth, TypeRef, Words};

/// The Rust type for `ty`; models are named with the prefix `models` (`""` inside the models
/// module, `"models::"` elsewhere).
pub(crate) fn rust_type(ty: &TypeRef, models: &str) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Integer(IntWidth::I32) => "i32".into(),
        TypeRef::Integer(IntWidth::I64) => "i64".into(),
        TypeRef::Number => "f64".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::Array(item) => format!("Vec<{}>", rust_type(item, models)),
        TypeRef::Map(value) => format!(
            "::std::collections::BTreeMap<String, {}>",
            rust_type(value, models)
        ),
        TypeRef::Any => "::serde_json::Value".into(),
        TypeRef::Null => "()".into(),
        TypeRef::Model(name) => format!("{models}{name}"),
    }
}

/// A short human name for a type, for doc comments. Models link to their docs through
/// `models` (empty inside the models module, `models::` elsewhere).
pub(crate) fn describe(ty: &TypeRef, models: &str) -> String {
    let model = |name: &str| {
        if models.is_empty() {
            format!("[`{name}`]")
        } else {
            format!("[`{name}`]({models}{name})")
        }
    };
    ty.describe(&Words {
        int32: "integer",
        map: "map of",
        any: "any JSON",
        null: "`null`",
        model: &model,
    })
}
