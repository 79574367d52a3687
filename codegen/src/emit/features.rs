//! Cargo features by tag: in a crate generated from several tags, each tag is a feature (on by
//! default) gating its operations and the models only they reach, so a downstream crate that
//! needs two tags of the 58 compiles two tags' worth of code.
//!
//! An operation is compiled when any of its tags is enabled; a model when any operation that
//! reaches it (through parameters, bodies, replies and fields) is. Operations without tags, models no
//! operation reaches, and every item of a crate generated without tag features are not gated.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, ModelKind, Operation, TypeRef};

/// The `#[cfg(..)]` of each operation and model.
pub(crate) struct Gates {
    enabled: bool,
    /// Feature names of each model's reaching operations; absent: not gated.
    models: BTreeMap<String, BTreeSet<String>>,
}

/// The feature of a tag: lowercase, with `-` for anything but letters, digits and `_`.
pub fn feature_name(tag: &str) -> String {
    let mut out = String::new();
    for c in tag.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() || out == "default" || out == "blocking" {
        format!("tag-{out}")
    } else {
        out
    }
}

/// Every tag feature of `api`, sorted.
pub fn tag_features(api: &Api) -> Vec<String> {
    let all: BTreeSet<String> = api
        .operations
        .iter()
        .flat_map(|o| o.tags.iter().map(|t| feature_name(t)))
        .collect();
    all.into_iter().collect()
}

impl Gates {
    /// No gates: every item is compiled.
    pub(crate) fn none() -> Gates {
        Gates {
            enabled: false,
            models: BTreeMap::new(),
        }
    }

    /// Gates by tag for `api`.
    pub(crate) fn by_tag(api: &Api) -> Gates {
        let by_name: BTreeMap<&str, &crate::ir::Model> = api
            .models
            .iter()
            .map(|m| (m.rust_name.as_str(), m))
            .collect();
        // Every model each operation reaches takes the operation's features.
        let mut models: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut ungated: BTreeSet<String> = BTreeSet::new();
        for op in &api.operations {
            let features: BTreeSet<String> = op.tags.iter().map(|t| feature_name(t)).collect();
            // A parameter's model is named by its setter's docs, or is what the setter takes.
            let params: Vec<TypeRef> = op
                .params
                .iter()
                .filter_map(|p| p.model.clone().map(TypeRef::Model))
                .chain(op.params.iter().filter_map(|p| p.value_type.clone()))
                .collect();
            let roots = op.body.as_ref().map(|b| &b.ty).into_iter();
            // The open enums its setters take are the operation's too.
            let enums: Vec<TypeRef> = op
                .params
                .iter()
                .filter_map(|p| p.enum_model.clone().map(TypeRef::Model))
                .collect();
            let reached = reach(
                &by_name,
                roots
                    .chain(op.success.ty.as_ref())
                    .chain(params.iter())
                    .chain(&enums),
            );
            for name in reached {
                if features.is_empty() {
                    ungated.insert(name);
                } else {
                    models
                        .entry(name)
                        .or_default()
                        .extend(features.iter().cloned());
                }
            }
        }
        // Models no operation reaches are not gated, and neither is what they reach.
        let orphans: Vec<TypeRef> = api
            .models
            .iter()
            .filter(|m| !models.contains_key(&m.rust_name) && !ungated.contains(&m.rust_name))
            .map(|m| TypeRef::Model(m.rust_name.clone()))
            .collect();
        ungated.extend(reach(&by_name, orphans.iter()));
        for name in ungated {
            models.remove(&name);
        }
        Gates {
            enabled: true,
            models,
        }
    }

    /// The `#[cfg(..)]` line of an operation's items, if any.
    pub(crate) fn operation(&self, op: &Operation) -> Option<String> {
        if !self.enabled || op.tags.is_empty() {
            return None;
        }
        let features: BTreeSet<String> = op.tags.iter().map(|t| feature_name(t)).collect();
        Some(cfg(&features))
    }

    /// The `#[cfg(..)]` line of a model's items, if any.
    pub(crate) fn model(&self, rust_name: &str) -> Option<String> {
        self.models.get(rust_name).map(cfg)
    }
}

fn cfg(features: &BTreeSet<String>) -> String {
    let each: Vec<String> = features
        .iter()
        .map(|f| format!("feature = {}", crate::emit::code::string(f)))
        .collect();
    match each.as_slice() {
        [one] => format!("#[cfg({one})]"),
        _ => format!("#[cfg(any({}))]", each.join(", ")),
    }
}

/// The models `roots` reach, through fields, undeclared-key values and aliases.
pub(crate) fn reach<'a>(
    by_name: &BTreeMap<&str, &'a crate::ir::Model>,
    roots: impl Iterator<Item = &'a TypeRef>,
) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    let mut stack: Vec<&TypeRef> = roots.collect();
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => stack.push(inner),
            TypeRef::Model(name) => {
                if !reached.insert(name.clone()) {
                    continue;
                }
                match by_name.get(name.as_str()).map(|m| &m.kind) {
                    Some(ModelKind::Struct(s)) => {
                        stack.extend(s.fields.iter().map(|f| &f.ty));
                        stack.extend(s.additional.as_ref());
                    }
                    Some(ModelKind::Alias(target)) => stack.push(target),
                    Some(ModelKind::Union(variants)) => {
                        stack.extend(variants.iter().map(|v| &v.ty))
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    reached
}
