//! FalconPy's names for the operations (`x-falconpy-name` in the spec): a doc alias on each
//! method, so rustdoc's search finds the method by the name a FalconPy user knows, and the
//! FalconPy → Rust table in the client's documentation.
//!
//! A FalconPy name can be the name of *another* method here: FalconPy calls
//! `indicator_get_device_count_v1` `devices_count`, while `devices_count` here is the
//! snake_case of the legacy id `DevicesCount`. Each such pair is called out, on the method and
//! in the table, so a port by name does not reach the other path unnoticed.

use crate::ir::{Api, Operation};

/// FalconPy's name of `op`, when it differs from the method's own names (an alias equal to the
/// item's name is refused by rustdoc).
pub(crate) fn alias(op: &Operation) -> Option<&str> {
    op.falconpy_name
        .as_deref()
        .filter(|n| *n != op.method_name && Some(*n) != op.alias.as_deref())
}

/// The operation FalconPy calls `method` when that is not the operation `method` starts here.
pub(crate) fn named_like<'a>(api: &'a Api, method: &str) -> Option<&'a Operation> {
    api.operations
        .iter()
        .find(|o| o.falconpy_name.as_deref() == Some(method) && o.method_name != method)
}

/// The note on the method `op.method_name`, whose name FalconPy gives to `other`.
pub(crate) fn trap_note(op: &Operation, other: &Operation) -> String {
    let ours = match &op.falconpy_name {
        Some(name) => format!(" (FalconPy's `{name}`)"),
        None => String::new(),
    };
    format!(
        "**Not FalconPy's `{name}`.** This is `{} {}`{ours}; FalconPy's `{name}` is \
         [`Client::{}`] (`{} {}`).",
        op.http_method.as_str(),
        op.path,
        other.method_name,
        other.http_method.as_str(),
        other.path,
        name = op.method_name,
    )
}

/// The `# FalconPy names` section of the client's documentation; empty when the spec names
/// no FalconPy method.
pub(crate) fn table(api: &Api) -> Vec<String> {
    let mut named: Vec<(&str, &Operation)> = api
        .operations
        .iter()
        .filter_map(|o| o.falconpy_name.as_deref().map(|n| (n, o)))
        .collect();
    if named.is_empty() {
        return Vec::new();
    }
    named.sort_by_key(|(name, op)| (*name, op.id.as_str()));
    let mut lines = vec![
        String::new(),
        "# FalconPy names".to_string(),
        String::new(),
        "Each FalconPy service-class method and the method here that sends the same request. \
         FalconPy's name is a search alias of the method: type it in these docs' search."
            .to_string(),
        String::new(),
        "| FalconPy | here | request |".to_string(),
        "| --- | --- | --- |".to_string(),
    ];
    for (name, op) in &named {
        let alias = match &op.alias {
            Some(alias) => format!(" ([`{alias}`](Client::{alias}))"),
            None => String::new(),
        };
        lines.push(format!(
            "| `{name}` | [`{m}`](Client::{m}){alias} | `{} {}` |",
            op.http_method.as_str(),
            op.path,
            m = op.method_name,
        ));
    }
    let traps: Vec<(&Operation, &Operation)> = api
        .operations
        .iter()
        .filter_map(|o| named_like(api, &o.method_name).map(|other| (o, other)))
        .collect();
    if !traps.is_empty() {
        lines.push(String::new());
        lines.push(
            "**Same name, other request.** These FalconPy names are also method names here, of \
             another operation; port them by the table, not by name:"
                .to_string(),
        );
        lines.push(String::new());
        for (ours, theirs) in traps {
            let legacy = match &ours.falconpy_name {
                Some(name) => format!(", FalconPy's `{name}`"),
                None => String::new(),
            };
            lines.push(format!(
                "- FalconPy's `{name}` is [`{}`](Client::{}) (`{} {}`); `{name}` here is `{} {}`{legacy}.",
                theirs.method_name,
                theirs.method_name,
                theirs.http_method.as_str(),
                theirs.path,
                ours.http_method.as_str(),
                ours.path,
                name = ours.method_name,
            ));
        }
    }
    lines
}
