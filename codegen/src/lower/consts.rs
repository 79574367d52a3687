//! `const`, the JSON Schema keyword OpenAPI 3.0 lacks and specs write anyway (an enum as a
//! `oneOf` of `{const: value, description: ...}`, a discriminator's one value). The typed
//! reader drops it, so before that read (`load.rs`) each `const: v` becomes what it means in
//! 3.0, `enum: [v]`, and lowering sees an enum of one value.

use serde_json::Value;

/// Rewrites every `const: v` whose value is a JSON scalar, where no `enum` is given, as
/// `enum: [v]`. Nothing moves, so pointers into the document stay valid. (A property named
/// `const` holds a schema, an object, and is left alone.)
pub(crate) fn as_enum(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("const").is_some_and(is_scalar) && !map.contains_key("enum") {
                let only = map.remove("const").unwrap_or(Value::Null);
                map.insert("enum".to_string(), Value::Array(vec![only]));
            }
            map.values_mut().for_each(as_enum);
        }
        Value::Array(items) => items.iter_mut().for_each(as_enum),
        _ => {}
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn const_is_an_enum_of_one_and_properties_named_const_stay() {
        let mut doc = json!({"oneOf": [
            {"const": "a", "description": "A."},
            {"type": "string", "const": "b"},
            {"const": null},
            {"const": "c", "enum": ["c", "d"]},
            {"type": "object", "properties": {"const": {"type": "string"}}}
        ]});
        super::as_enum(&mut doc);
        assert_eq!(
            doc,
            json!({"oneOf": [
                {"enum": ["a"], "description": "A."},
                {"type": "string", "enum": ["b"]},
                {"enum": [null]},
                {"const": "c", "enum": ["c", "d"]},
                {"type": "object", "properties": {"const": {"type": "string"}}}
            ]})
        );
    }
}
