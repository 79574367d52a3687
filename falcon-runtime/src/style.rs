//! Structured values on the wire: OpenAPI 3's `form` and `deepObject` styles, as the table
//! row's [`Style`] says (the generator decides it from the spec's `style` and `explode`).
//!
//! OpenAPI 3.0's "Style Examples" table defines an object of scalars and a list of scalars;
//! beyond it:
//! - `form` sends a deeper value (a list of objects, an object holding objects or lists) as one
//!   pair whose value is its JSON text, which is what services taking such values read;
//! - `deepObject` nests as Stripe reads it (`a[b][c]=v`, lists by index `a[0][b]=v`);
//! - `null` sends nothing, at any depth (a property left out);
//! - an object's properties go in key order (a JSON object's keys are held sorted).
//!
//! [`ArgValue::push_pairs`](crate::args::ArgValue) is the one caller: typed setters and
//! `command()` reach the wire through it alike.

use serde_json::Value;

use crate::operation::Style;

/// Appends the pairs of `value` under `name` in `style`. [`Style::Json`] is one pair holding
/// the JSON text (a multipart part says its content type; see `args.rs`).
pub(crate) fn push_pairs(name: &str, value: &Value, style: Style, out: &mut Vec<(String, String)>) {
    match style {
        Style::Form { explode } => form(name, value, explode, out),
        Style::DeepObject => deep(name.to_string(), value, out),
        Style::Json => {
            if !value.is_null() {
                out.push((name.to_string(), value.to_string()));
            }
        }
    }
}

/// The name of a list item in deepObject style: `name[i]`.
pub(crate) fn indexed(name: &str, i: usize) -> String {
    format!("{name}[{i}]")
}

/// The wire text of a scalar (`None` for anything else): a string as it is, a number as JSON
/// writes it, `true`/`false`.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn form(name: &str, value: &Value, explode: bool, out: &mut Vec<(String, String)>) {
    let is_flat = |v: &Value| v.is_null() || scalar(v).is_some();
    match value {
        Value::Null => {}
        Value::Array(items) if items.iter().all(is_flat) => {
            let texts = items.iter().filter_map(scalar);
            if explode {
                out.extend(texts.map(|t| (name.to_string(), t)));
            } else {
                out.push((name.to_string(), texts.collect::<Vec<_>>().join(",")));
            }
        }
        Value::Object(map) if map.values().all(is_flat) => {
            let texts = map
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), scalar(v)?)));
            if explode {
                out.extend(texts);
            } else {
                let joined: Vec<String> = texts.flat_map(|(k, v)| [k, v]).collect();
                out.push((name.to_string(), joined.join(",")));
            }
        }
        Value::Array(_) | Value::Object(_) => out.push((name.to_string(), value.to_string())),
        _ => out.extend(scalar(value).map(|t| (name.to_string(), t))),
    }
}

fn deep(name: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                deep(indexed(&name, i), item, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                deep(format!("{name}[{key}]"), item, out);
            }
        }
        _ => out.extend(scalar(value).map(|t| (name, t))),
    }
}

#[cfg(test)]
mod tests {
    //! OpenAPI 3.0.3's "Style Examples" table, with `color` = `["blue", "black", "brown"]` or
    //! `{"R": 100, "G": 200, "B": 150}`, and the cases it leaves open. A JSON object's keys come
    //! sorted (`serde_json`'s map), so the table's `R, G, B` reads `B, G, R` here.

    use serde_json::json;

    use super::*;

    /// The pairs, written `k=v&k=v` unencoded (as the table writes them).
    fn wire(value: Value, style: Style) -> String {
        let mut out = Vec::new();
        push_pairs("color", &value, style, &mut out);
        out.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    const FORM: Style = Style::Form { explode: false };
    const FORM_EXPLODE: Style = Style::Form { explode: true };

    #[test]
    fn form_matches_the_style_table() {
        let list = json!(["blue", "black", "brown"]);
        let object = json!({"R": 100, "G": 200, "B": 150});
        assert_eq!(wire(json!("blue"), FORM), "color=blue");
        assert_eq!(wire(json!("blue"), FORM_EXPLODE), "color=blue");
        assert_eq!(wire(list.clone(), FORM), "color=blue,black,brown");
        assert_eq!(
            wire(list, FORM_EXPLODE),
            "color=blue&color=black&color=brown"
        );
        assert_eq!(wire(object.clone(), FORM), "color=B,150,G,200,R,100");
        assert_eq!(wire(object, FORM_EXPLODE), "B=150&G=200&R=100");
    }

    #[test]
    fn deep_object_matches_the_style_table() {
        assert_eq!(
            wire(json!({"R": 100, "G": 200, "B": 150}), Style::DeepObject),
            "color[B]=150&color[G]=200&color[R]=100"
        );
    }

    #[test]
    fn deep_object_nests_as_stripe_reads_it() {
        assert_eq!(
            wire(
                json!({"a": {"b": "v"}, "l": [{"x": true}, {"y": 1.5}], "s": ["p", "q"]}),
                Style::DeepObject
            ),
            "color[a][b]=v&color[l][0][x]=true&color[l][1][y]=1.5&color[s][0]=p&color[s][1]=q"
        );
        assert_eq!(
            wire(json!([{"b": "v"}]), Style::DeepObject),
            "color[0][b]=v"
        );
        // An empty string is a value (Stripe's way to clear a field); null, `{}` and `[]` are none.
        assert_eq!(
            wire(
                json!({"e": "", "n": null, "o": {}, "l": []}),
                Style::DeepObject
            ),
            "color[e]="
        );
        assert_eq!(wire(json!("x"), Style::DeepObject), "color=x");
    }

    #[test]
    fn form_sends_deeper_values_as_json_text() {
        let deeper = json!([{"scope": "enterprise", "filters": {"a": 1}}]);
        assert_eq!(
            wire(deeper.clone(), FORM_EXPLODE),
            format!("color={deeper}")
        );
        assert_eq!(wire(json!({"a": {"b": 1}}), FORM), r#"color={"a":{"b":1}}"#);
        // Null items and properties are left out.
        assert_eq!(wire(json!({"R": null, "G": 2}), FORM_EXPLODE), "G=2");
        assert_eq!(wire(json!(null), FORM_EXPLODE), "");
    }

    #[test]
    fn json_is_one_pair_of_json_text() {
        assert_eq!(wire(json!({"R": 100}), Style::Json), r#"color={"R":100}"#);
        assert_eq!(wire(json!(null), Style::Json), "");
    }
}
