//! Comparing two specs as the generated client sees them: added, removed and changed
//! operations, parameters, bodies, responses, schemas and fields, each marked when it breaks
//! code that calls the client generated from the old spec.
//!
//! The comparison is over the intermediate form, so an OpenAPI 3.0 spec and a Swagger 2.0 one
//! compare by what they generate, not by how they are written; descriptions are ignored.
//!
//! What breaks callers:
//! - a removed operation, parameter, body, schema, field or enum value;
//! - a changed client method name, parameter type, body type, response type, field type,
//!   or schema kind;
//! - a parameter or body that becomes required, or a new required one;
//! - a field that becomes required or optional (its Rust type changes between `T` and
//!   `Option<T>`), or a new required field (struct literals no longer compile).
//!
//! What does not: additions of optional things, enum values (enums are open), a changed path
//! or HTTP method (the method keeps its name; the runtime sends what the table says), a
//! parameter that becomes optional.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::ir::{Api, Kind, Model, ModelKind, Operation, TypeRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// What changed: `operation `indicator.get.v1``, `parameter `limit` of `x``.
    pub subject: String,
    /// How, for `Changed` (`type string → integer`); empty otherwise.
    pub detail: String,
    /// Whether code calling the client generated from the old spec stops compiling or
    /// starts failing.
    pub breaking: bool,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (sign, word) = match self.kind {
            ChangeKind::Added => ('+', "added"),
            ChangeKind::Removed => ('-', "removed"),
            ChangeKind::Changed => ('~', "changed"),
        };
        write!(f, "{sign} {word:<7} {}", self.subject)?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        if self.breaking {
            write!(f, "  [BREAKING]")?;
        }
        Ok(())
    }
}

/// Every difference between `old` and `new`: operations in the new spec's order (removed ones
/// last), then schemas by name.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    let old_ops: BTreeMap<&str, &Operation> =
        old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let new_ids: BTreeMap<&str, &Operation> =
        new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let label = |op: &Operation| {
        let method = op.http_method.as_str();
        format!("operation `{}` ({method} {})", op.id, op.path)
    };
    for op in &new.operations {
        match old_ops.get(op.id.as_str()) {
            None => out.push(change(ChangeKind::Added, label(op), "", false)),
            Some(old_op) => operation(old_op, op, &mut out),
        }
    }
    for op in &old.operations {
        if !new_ids.contains_key(op.id.as_str()) {
            out.push(change(ChangeKind::Removed, label(op), "", true));
        }
    }
    let old_models: BTreeMap<&str, &Model> =
        old.models.iter().map(|m| (m.name.as_str(), m)).collect();
    let new_models: BTreeMap<&str, &Model> =
        new.models.iter().map(|m| (m.name.as_str(), m)).collect();
    for (name, m) in &new_models {
        match old_models.get(name) {
            None => out.push(change(
                ChangeKind::Added,
                format!("schema `{name}`"),
                "",
                false,
            )),
            Some(old_m) => model(old_m, m, &mut out),
        }
    }
    for name in old_models.keys() {
        if !new_models.contains_key(name) {
            out.push(change(
                ChangeKind::Removed,
                format!("schema `{name}`"),
                "",
                true,
            ));
        }
    }
    out
}

fn change(kind: ChangeKind, subject: String, detail: impl Into<String>, breaking: bool) -> Change {
    Change {
        kind,
        subject,
        detail: detail.into(),
        breaking,
    }
}

fn operation(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let subject = format!("operation `{}`", new.id);
    let mut changed = |detail: String, breaking: bool| {
        out.push(change(
            ChangeKind::Changed,
            subject.clone(),
            detail,
            breaking,
        ));
    };
    if old.method_name != new.method_name {
        changed(
            format!(
                "client method `{}` → `{}`",
                old.method_name, new.method_name
            ),
            true,
        );
    }
    if (old.http_method, &old.path) != (new.http_method, &new.path) {
        changed(
            format!(
                "{} {} → {} {}",
                old.http_method.as_str(),
                old.path,
                new.http_method.as_str(),
                new.path
            ),
            false,
        );
    }
    if old.deprecated != new.deprecated {
        changed(
            if new.deprecated {
                "now deprecated"
            } else {
                "no longer deprecated"
            }
            .into(),
            false,
        );
    }
    match (&old.body, &new.body) {
        (None, Some(b)) => changed(
            format!(
                "body added ({}{})",
                type_name(&b.ty),
                if b.required { ", required" } else { "" }
            ),
            b.required,
        ),
        (Some(_), None) => changed("body removed".into(), true),
        (Some(a), Some(b)) => {
            if a.ty != b.ty {
                changed(
                    format!("body type {} → {}", type_name(&a.ty), type_name(&b.ty)),
                    true,
                );
            }
            if a.content_type != b.content_type {
                changed(
                    format!("body media type {} → {}", a.content_type, b.content_type),
                    true,
                );
            }
            if a.required != b.required {
                changed(format!("body {}", required_word(b.required)), b.required);
            }
        }
        (None, None) => {}
    }
    if old.form_encoding() != new.form_encoding() {
        let name = |f: Option<crate::ir::FormEncoding>| match f {
            None => "none",
            Some(crate::ir::FormEncoding::UrlEncoded) => "application/x-www-form-urlencoded",
            Some(crate::ir::FormEncoding::Multipart) => "multipart/form-data",
        };
        changed(
            format!(
                "form encoding {} → {}",
                name(old.form_encoding()),
                name(new.form_encoding())
            ),
            false,
        );
    }
    if old.success.ty != new.success.ty {
        let name = |t: &Option<TypeRef>| t.as_ref().map_or("raw JSON".to_string(), type_name);
        changed(
            format!(
                "response type {} → {}",
                name(&old.success.ty),
                name(&new.success.ty)
            ),
            true,
        );
    }
    members(
        &old.params,
        &new.params,
        |p| (p.name.clone(), p.location as u8),
        |p| format!("parameter `{}` of `{}`", p.name, new.id),
        |p| p.required,
        |o, p| {
            let mut changes = Vec::new();
            if o.kind != p.kind {
                let detail = format!("type {} → {}", param_type(o.kind), param_type(p.kind));
                changes.push((detail, true));
            }
            if o.required != p.required {
                changes.push((required_word(p.required), p.required));
            }
            if o.rust_name != p.rust_name {
                let detail = format!("setter `{}` → `{}`", o.rust_name, p.rust_name);
                changes.push((detail, true));
            }
            changes
        },
        out,
    );
}

/// The changes between two lists of members of one thing (the parameters of an operation, the
/// fields of a struct), matched by `key`: a member only `new` has is added (breaking when
/// required), one only `old` has removed; `changed` says what differs in a member both have,
/// each difference with whether it breaks callers.
fn members<T, K: Ord>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> K,
    subject: impl Fn(&T) -> String,
    required: impl Fn(&T) -> bool,
    changed: impl Fn(&T, &T) -> Vec<(String, bool)>,
    out: &mut Vec<Change>,
) {
    let old_members: BTreeMap<K, &T> = old.iter().map(|m| (key(m), m)).collect();
    let new_keys: BTreeSet<K> = new.iter().map(&key).collect();
    for m in new {
        match old_members.get(&key(m)) {
            None => out.push(change(
                ChangeKind::Added,
                subject(m),
                if required(m) { "required" } else { "" },
                required(m),
            )),
            Some(o) => {
                for (detail, breaking) in changed(o, m) {
                    out.push(change(ChangeKind::Changed, subject(m), detail, breaking));
                }
            }
        }
    }
    for m in old {
        if !new_keys.contains(&key(m)) {
            out.push(change(ChangeKind::Removed, subject(m), "", true));
        }
    }
}

fn model(old: &Model, new: &Model, out: &mut Vec<Change>) {
    let subject = format!("schema `{}`", new.name);
    match (&old.kind, &new.kind) {
        (ModelKind::Struct(a), ModelKind::Struct(b)) => {
            members(
                &a.fields,
                &b.fields,
                |f| f.json_name.clone(),
                |f| format!("field `{}` of `{}`", f.json_name, new.name),
                |f| f.required,
                |o, f| {
                    let mut changes = Vec::new();
                    if o.ty != f.ty {
                        let detail = format!("type {} → {}", type_name(&o.ty), type_name(&f.ty));
                        changes.push((detail, true));
                    }
                    if o.required != f.required {
                        changes.push((required_word(f.required), true));
                    }
                    changes
                },
                out,
            );
            if a.additional != b.additional {
                out.push(change(
                    ChangeKind::Changed,
                    subject,
                    "additional properties".to_string(),
                    true,
                ));
            }
        }
        (ModelKind::OpenEnum(a), ModelKind::OpenEnum(b)) => {
            for v in b {
                if !a.iter().any(|o| o.json == v.json) {
                    out.push(change(
                        ChangeKind::Added,
                        format!("enum value `{}` of `{}`", v.json, new.name),
                        "",
                        false,
                    ));
                }
            }
            for v in a {
                if !b.iter().any(|n| n.json == v.json) {
                    out.push(change(
                        ChangeKind::Removed,
                        format!("enum value `{}` of `{}`", v.json, old.name),
                        "",
                        true,
                    ));
                }
            }
        }
        (ModelKind::Union(a), ModelKind::Union(b)) => {
            let types = |u: &[crate::ir::UnionVariant]| -> Vec<String> {
                u.iter().map(|v| type_name(&v.ty)).collect()
            };
            if a != b {
                out.push(change(
                    ChangeKind::Changed,
                    subject,
                    format!("types {} → {}", types(a).join(" | "), types(b).join(" | ")),
                    true,
                ));
            }
        }
        // The runtime's error entry either way: the Rust type does not move with the schema.
        (ModelKind::ErrorEntry(_), ModelKind::ErrorEntry(_)) => {}
        (ModelKind::Alias(a), ModelKind::Alias(b)) => {
            if a != b {
                out.push(change(
                    ChangeKind::Changed,
                    subject,
                    format!("type {} → {}", type_name(a), type_name(b)),
                    true,
                ));
            }
        }
        (a, b) => out.push(change(
            ChangeKind::Changed,
            subject,
            format!("{} → {}", kind_name(a), kind_name(b)),
            true,
        )),
    }
}

fn required_word(required: bool) -> String {
    if required {
        "now required".into()
    } else {
        "now optional".into()
    }
}

fn kind_name(kind: &ModelKind) -> &'static str {
    match kind {
        ModelKind::Struct(_) => "object",
        ModelKind::OpenEnum(_) => "enum",
        ModelKind::Alias(_) => "alias",
        ModelKind::Union(_) => "union",
        ModelKind::ErrorEntry(_) => "error entry",
    }
}

fn param_type(kind: Kind) -> String {
    match kind {
        Kind::Scalar(s) => s.name().to_string(),
        Kind::Array(s, style) => format!(
            "list of {} ({})",
            s.name(),
            match style {
                crate::ir::ArrayStyle::Multi => "multi",
                crate::ir::ArrayStyle::Csv => "csv",
                crate::ir::ArrayStyle::DeepObject => "deepObject",
            }
        ),
        Kind::File => "file".to_string(),
        Kind::Structured(style) => format!("structured ({})", style.name()),
    }
}

/// A type as a reader of the diff would name it.
pub fn type_name(ty: &TypeRef) -> String {
    ty.describe(&crate::ir::Words {
        int32: "integer (32-bit)",
        map: "map of",
        any: "raw JSON",
        null: "null",
        model: &|name| format!("`{name}`"),
    })
}

/// A plain-text report: one change per line, then a count.
pub fn report(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        out.push_str(&c.to_string());
        out.push('\n');
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    out.push_str(&format!("{} changes, {breaking} breaking\n", changes.len()));
    out
}
