//! Declarative fixes to a spec, applied after reading it and before generating from it, so
//! that no generated file is ever edited by hand.
//!
//! A patch file is YAML (or JSON), reviewed like code:
//!
//! ```yaml
//! patches:
//!   - op: nullable              # the schema at `at` may be null: its field becomes an Option
//!     at: '#/components/schemas/msa.ReplyMetaOnly/properties/meta'
//!     reason: the service sends `"meta": null` on errors
//!   - op: type                  # set `type` (and `format`, or drop it); drops any `$ref` there
//!     at: '#/paths/~1iocs~1queries~1indicators~1v1/get/parameters/3/schema'
//!     type: integer
//!     format: int32
//!     reason: limit is a number, not a string
//!   - op: rename-operation      # the operation with id `operation` gets the id `to`
//!     operation: query-rules
//!     to: queryFirewallRules
//!     reason: clashes with QueryRules once snake_cased
//!   - op: set                   # put `value` at `at` (the parent must exist)
//!     at: '#/definitions/msaspec.Paging'
//!     value: {type: object}
//!     reason: referenced but never defined
//!   - op: remove                # delete what is at `at`
//!     at: '#/paths/~1x/get/parameters/5'
//!     expect: {name: limit, in: query, schema: {type: string}}
//!     reason: listed twice
//! ```
//!
//! Pointers name places in the document as written: `#/definitions/...` in a Swagger 2.0 file,
//! `#/components/schemas/...` in an OpenAPI 3.0 one; they are the pointers diagnostics print.
//! Every patch needs a one-line `reason`. A patch that finds nothing to change is an error: the
//! spec moved on, and the patch should be reviewed. A patch with a pointer may say what it
//! expects to find there (`expect`, compared whole; `expect: ~` when nothing is there yet), so
//! a target that changed shape is an error too. The fixes of `spec/overlay.yaml` are patches
//! of this kind, and there `expect` is required ([`crate::overlay`]).

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, Error};
use crate::load::Format;
use crate::walk;

/// One fix. `expect`: what must be at `at` before the fix (`Some(Null)`: nothing).
#[derive(Debug, Clone, PartialEq)]
pub enum Patch {
    Nullable {
        at: String,
        expect: Option<Value>,
    },
    Type {
        at: String,
        ty: String,
        format: Option<String>,
        expect: Option<Value>,
    },
    RenameOperation {
        operation: String,
        to: String,
    },
    Set {
        at: String,
        value: Value,
        expect: Option<Value>,
    },
    Remove {
        at: String,
        expect: Option<Value>,
    },
}

impl Patch {
    /// The pointer a patch changes and what it expects there, for the kinds that have one.
    fn target(&self) -> Option<(&str, &Option<Value>)> {
        match self {
            Patch::Nullable { at, expect }
            | Patch::Type { at, expect, .. }
            | Patch::Set { at, expect, .. }
            | Patch::Remove { at, expect } => Some((at, expect)),
            Patch::RenameOperation { .. } => None,
        }
    }
}

/// A patch file: its patches with their reasons.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patches {
    /// How the file is named in diagnostics (`spec/patches.yaml`).
    pub label: String,
    pub patches: Vec<(Patch, String)>,
}

impl Patches {
    /// Reads a patch file. `label` names it in diagnostics.
    pub fn parse(text: &str, label: &str) -> Result<Patches, Error> {
        let at = |pointer: String, message: String, hint: &str| {
            Error::single(Diagnostic::error(format!("{label}{pointer}"), message).hint(hint))
        };
        let value: Value = crate::yaml::from_str(text).map_err(|e| {
            at(
                "#".into(),
                format!("the patch file is not valid YAML: {e}"),
                "fix the syntax at that position",
            )
        })?;
        let list = match &value {
            Value::Null => {
                return Ok(Patches {
                    label: label.into(),
                    patches: Vec::new(),
                });
            }
            Value::Object(m) => match m.get("patches") {
                Some(Value::Array(list)) => list.clone(),
                Some(Value::Null) | None if m.keys().all(|k| k == "patches") => Vec::new(),
                _ => {
                    return Err(at(
                        "#".into(),
                        "the patch file must hold one key, `patches`, a list".into(),
                        "write `patches:` followed by a list of patches",
                    ));
                }
            },
            _ => {
                return Err(at(
                    "#".into(),
                    "the patch file is not a mapping".into(),
                    "write `patches:` followed by a list of patches",
                ));
            }
        };
        let mut patches = Vec::new();
        let mut errors = Vec::new();
        for (i, p) in list.iter().enumerate() {
            let pointer = format!("#/patches/{i}");
            match parse_entry(p, false) {
                Ok(patch) => patches.push(patch),
                Err((message, hint)) => {
                    errors.push(Diagnostic::error(format!("{label}{pointer}"), message).hint(hint))
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error {
                diagnostics: errors,
            });
        }
        Ok(Patches {
            label: label.into(),
            patches,
        })
    }

    /// Applies every patch in order to a parsed document of the given format.
    pub fn apply(&self, doc: &mut Value, format: Format) -> Result<(), Error> {
        let mut errors = Vec::new();
        for (i, (patch, reason)) in self.patches.iter().enumerate() {
            if let Err(message) = apply_entry(doc, patch, format) {
                errors.push(
                    Diagnostic::error(
                        format!("{}#/patches/{i}", self.label),
                        format!("{message} (patch: {reason})"),
                    )
                    .hint("update or drop the patch: the spec no longer matches it"),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error {
                diagnostics: errors,
            })
        }
    }
}

/// One patch and its reason, or what is wrong with it and a hint. `require_expect`: patches
/// with a pointer must say what they expect there.
pub(crate) fn parse_entry(
    p: &Value,
    require_expect: bool,
) -> Result<(Patch, String), (String, &'static str)> {
    let Some(m) = p.as_object() else {
        return Err(("a patch is a mapping".into(), "write `- op: ...`"));
    };
    let text = |key: &str| -> Result<String, (String, &'static str)> {
        match m.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            _ => Err((
                format!("the patch needs `{key}`, a string"),
                "see docs/maintaining.md for the patch kinds",
            )),
        }
    };
    let reason = text("reason").map_err(|_| {
        (
            "the patch has no `reason`".to_string(),
            "say in one line why the spec needs this fix",
        )
    })?;
    if reason.contains('\n') {
        return Err((
            "the reason spans several lines".into(),
            "keep the reason to one line",
        ));
    }
    let op = text("op")?;
    let expect = m.get("expect").cloned();
    if require_expect && expect.is_none() && op != "rename-operation" {
        return Err((
            format!("the `{op}` fix has no `expect`"),
            "say what the fix expects at `at` (`expect: ~` when nothing is there yet)",
        ));
    }
    let (patch, keys): (Patch, &[&str]) = match op.as_str() {
        "nullable" => (
            Patch::Nullable {
                at: text("at")?,
                expect,
            },
            &["at", "expect"],
        ),
        "type" => (
            Patch::Type {
                at: text("at")?,
                ty: text("type")?,
                format: m.get("format").and_then(Value::as_str).map(str::to_string),
                expect,
            },
            &["at", "type", "format", "expect"],
        ),
        "rename-operation" => (
            Patch::RenameOperation {
                operation: text("operation")?,
                to: text("to")?,
            },
            &["operation", "to"],
        ),
        "set" => (
            Patch::Set {
                at: text("at")?,
                value: m.get("value").cloned().ok_or((
                    "a `set` patch needs `value`".to_string(),
                    "give the value to put at `at`",
                ))?,
                expect,
            },
            &["at", "value", "expect"],
        ),
        "remove" => (
            Patch::Remove {
                at: text("at")?,
                expect,
            },
            &["at", "expect"],
        ),
        other => {
            return Err((
                format!("unknown patch kind `{other}`"),
                "use one of nullable, type, rename-operation, set, remove",
            ));
        }
    };
    if let Some(extra) = m
        .keys()
        .find(|k| !["op", "reason"].contains(&k.as_str()) && !keys.contains(&k.as_str()))
    {
        return Err((
            format!("a `{op}` patch has no key `{extra}`"),
            "remove the key, or check its spelling",
        ));
    }
    Ok((patch, reason))
}

/// `#/a/b~1c` → `/a/b~1c`, as `serde_json::Value::pointer` wants.
fn json_pointer(at: &str) -> Result<&str, String> {
    at.strip_prefix('#')
        .ok_or_else(|| format!("`{at}` is not a JSON pointer starting with `#`"))
}

fn target<'v>(doc: &'v mut Value, at: &str) -> Result<&'v mut Map<String, Value>, String> {
    doc.pointer_mut(json_pointer(at)?)
        .ok_or_else(|| format!("nothing at {at}"))?
        .as_object_mut()
        .ok_or_else(|| format!("{at} is not a mapping"))
}

/// What is at `at` must be `expect` (`Null`: nothing).
fn check_expect(doc: &Value, at: &str, expect: &Option<Value>) -> Result<(), String> {
    let Some(expect) = expect else {
        return Ok(());
    };
    let found = doc.pointer(json_pointer(at)?);
    let matches = match (expect, found) {
        (Value::Null, None | Some(Value::Null)) => true,
        (expected, Some(found)) => expected == found,
        (_, None) => false,
    };
    if matches {
        return Ok(());
    }
    let shown = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "nothing".to_string(),
        Some(v) => short_json(v),
    };
    Err(format!(
        "expected {} at {at}, found {}",
        shown(Some(expect)),
        shown(found)
    ))
}

/// A value in one line, cut short when long.
pub(crate) fn short_json(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(160) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Applies one patch, or says why it cannot be applied.
pub(crate) fn apply_entry(doc: &mut Value, patch: &Patch, format: Format) -> Result<(), String> {
    if let Some((at, expect)) = patch.target() {
        check_expect(doc, at, expect)?;
    }
    match patch {
        Patch::Nullable { at, .. } => {
            let key = match format {
                Format::OpenApi3 | Format::OpenApi31 => "nullable",
                Format::Swagger2 => "x-nullable",
            };
            target(doc, at)?.insert(key.into(), json!(true));
        }
        Patch::Type { at, ty, format, .. } => {
            let schema = target(doc, at)?;
            schema.remove("$ref");
            schema.insert("type".into(), json!(ty));
            match format {
                Some(f) => schema.insert("format".into(), json!(f)),
                None => schema.remove("format"),
            };
        }
        Patch::RenameOperation { operation, to } => {
            if operation_exists(doc, to) {
                return Err(format!("an operation already has the id `{to}`"));
            }
            let mut found = 0;
            for op in walk::operations_mut(doc) {
                if walk::operation_id(op) == Some(operation) {
                    op.insert("operationId".into(), json!(to));
                    found += 1;
                }
            }
            if found == 0 {
                return Err(format!("no operation has the id `{operation}`"));
            }
        }
        Patch::Set { at, value, .. } => {
            let pointer = json_pointer(at)?;
            let (parent, last) = pointer
                .rsplit_once('/')
                .ok_or_else(|| format!("`{at}` names the whole document"))?;
            let key = walk::unescape(last);
            match doc.pointer_mut(parent) {
                Some(Value::Object(m)) => {
                    m.insert(key, value.clone());
                }
                Some(Value::Array(a)) => match key.parse::<usize>() {
                    Ok(i) if i < a.len() => a[i] = value.clone(),
                    Ok(i) if i == a.len() => a.push(value.clone()),
                    _ => return Err(format!("`{key}` is not an index of the list at #{parent}")),
                },
                Some(_) => return Err(format!("#{parent} is neither a mapping nor a list")),
                None => return Err(format!("nothing at #{parent}")),
            }
        }
        Patch::Remove { at, .. } => {
            let pointer = json_pointer(at)?;
            let (parent, last) = pointer
                .rsplit_once('/')
                .ok_or_else(|| format!("`{at}` names the whole document"))?;
            let key = walk::unescape(last);
            let removed = match doc.pointer_mut(parent) {
                Some(Value::Object(m)) => m.remove(&key).is_some(),
                Some(Value::Array(a)) => match key.parse::<usize>() {
                    Ok(i) if i < a.len() => {
                        a.remove(i);
                        true
                    }
                    _ => false,
                },
                _ => false,
            };
            if !removed {
                return Err(format!("nothing at {at}"));
            }
        }
    }
    Ok(())
}

fn operation_exists(doc: &Value, id: &str) -> bool {
    walk::operations(doc).any(|(_, _, op)| walk::operation_id(op) == Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: query-rules
      parameters:
        - {name: limit, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
components:
  schemas:
    X: {type: object, properties: {y: {$ref: '#/components/schemas/Z'}}}
"#;

    #[test]
    fn every_kind_applies() {
        let patches = Patches::parse(
            r#"
patches:
  - {op: nullable, at: '#/components/schemas/X/properties/y', reason: null on errors}
  - {op: type, at: '#/paths/~1a/get/parameters/0/schema', type: integer, format: int32, reason: a number}
  - {op: rename-operation, operation: query-rules, to: queryFwRules, reason: clash}
  - {op: set, at: '#/components/schemas/Z', value: {type: string}, reason: missing}
  - {op: remove, at: '#/components/schemas/X/properties/y/nullable', reason: undo}
"#,
            "p.yaml",
        )
        .unwrap();
        let mut doc: Value = serde_yaml_ng::from_str(DOC).unwrap();
        patches.apply(&mut doc, Format::OpenApi3).unwrap();
        assert_eq!(
            doc.pointer("/paths/~1a/get/parameters/0/schema").unwrap(),
            &json!({"type": "integer", "format": "int32"})
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/operationId").unwrap(),
            "queryFwRules"
        );
        assert_eq!(
            doc.pointer("/components/schemas/Z").unwrap(),
            &json!({"type": "string"})
        );
        assert!(
            doc.pointer("/components/schemas/X/properties/y/nullable")
                .is_none()
        );
    }

    #[test]
    fn stale_and_malformed_patches_are_located_errors() {
        let e = Patches::parse("patches:\n  - {op: nullable, at: '#/x'}\n", "p.yaml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "error at p.yaml#/patches/0: the patch has no `reason`; say in one line why the spec needs this fix"
        );
        let patches = Patches::parse(
            "patches:\n  - {op: nullable, at: '#/nope', reason: r}\n",
            "p.yaml",
        )
        .unwrap();
        let mut doc: Value = serde_yaml_ng::from_str(DOC).unwrap();
        let e = patches.apply(&mut doc, Format::OpenApi3).unwrap_err();
        assert!(e.to_string().contains("nothing at #/nope"), "{e}");
    }
}
