//! STIX 2.1 bundles: each `indicator` object is a row (numbered by its place among the
//! bundle's objects, from 1). Its pattern must be one equality on a value the IOC API keeps:
//! `domain-name:value`, `ipv4-addr:value`, `ipv6-addr:value`, `file:hashes.'SHA-256'` or
//! `file:hashes.MD5`; anything else is a skipped row with its reason. `description` (else
//! `name`) becomes the description, `valid_until` the expiration, `labels` the tags. Other
//! objects (identities, relationships, ...) are not rows.

use std::io::Read;

use serde_json::Value;

use super::FeedError;
use crate::engine::FeedRow;
use crate::indicator::Row;

pub fn read<'r>(
    reader: impl Read + Send + 'r,
) -> Box<dyn Iterator<Item = Result<FeedRow, FeedError>> + Send + 'r> {
    let bundle: Value = match serde_json::from_reader(reader) {
        Ok(b) => b,
        Err(e) => {
            return Box::new(std::iter::once(Err(FeedError(format!(
                "the STIX feed is not JSON: {e}"
            )))));
        }
    };
    let Some(Value::Array(objects)) = (bundle["type"] == "bundle")
        .then(|| bundle.get("objects").cloned())
        .flatten()
    else {
        return Box::new(std::iter::once(Err(FeedError(
            "the STIX feed is not a bundle: give a JSON object with \"type\": \"bundle\" and an \"objects\" list".into(),
        ))));
    };
    Box::new(
        objects
            .into_iter()
            .enumerate()
            .filter(|(_, o)| o["type"] == "indicator")
            .map(|(i, o)| {
                Ok(FeedRow {
                    number: i as u64 + 1,
                    row: row(&o),
                })
            }),
    )
}

fn row(object: &Value) -> Result<Row, String> {
    let pattern = object["pattern"].as_str().ok_or("no pattern")?;
    if let Some(kind) = object["pattern_type"].as_str().filter(|t| *t != "stix") {
        return Err(format!(
            "pattern_type `{kind}`: only STIX patterns are read"
        ));
    }
    let (kind, value) = pattern_value(pattern)?;
    let text = |key: &str| object[key].as_str().map(str::to_string);
    Ok(Row {
        kind: kind.into(),
        value,
        description: text("description").or_else(|| text("name")),
        expiration: text("valid_until"),
        tags: object["labels"].as_array().map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        }),
        ..Row::default()
    })
}

/// The IOC type and value of `[object-path = 'value']`.
fn pattern_value(pattern: &str) -> Result<(&'static str, String), String> {
    let unsupported = || {
        format!(
            "pattern `{pattern}` is not one equality on domain-name:value, ipv4-addr:value, \
             ipv6-addr:value, file:hashes.'SHA-256' or file:hashes.MD5"
        )
    };
    let inner = pattern
        .trim()
        .strip_prefix('[')
        .and_then(|p| p.strip_suffix(']'))
        .ok_or_else(unsupported)?;
    let (path, literal) = inner.split_once('=').ok_or_else(unsupported)?;
    let literal = literal.trim();
    let value = literal
        .strip_prefix('\'')
        .and_then(|l| l.strip_suffix('\''))
        .filter(|v| !v.contains('\''))
        .ok_or_else(unsupported)?;
    let kind = match path.trim().replace(' ', "").to_ascii_lowercase().as_str() {
        "domain-name:value" => "domain",
        "ipv4-addr:value" => "ipv4",
        "ipv6-addr:value" => "ipv6",
        "file:hashes.'sha-256'" | "file:hashes.sha256" | "file:hashes.'sha256'" => "sha256",
        "file:hashes.md5" | "file:hashes.'md5'" => "md5",
        _ => return Err(unsupported()),
    };
    Ok((kind, value.to_string()))
}
