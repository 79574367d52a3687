//! Feeds on disk (feature `feeds`): CSV with a header, JSON Lines and STIX 2.1 bundles read
//! into [`FeedRow`]s, one row at a time; CSV and JSON Lines written from [`Row`]s (what
//! `export` writes, so exporting then syncing changes nothing).
//!
//! The fields are the same in every format: `type` and `value` (required), `action`,
//! `severity`, `platforms`, `expiration`, `description`, `tags`, `host_groups`,
//! `applied_globally`, `mobile_action`, `filename`. Lists are `;`-separated in CSV and may be
//! JSON arrays or `;`-separated strings in JSON Lines.

mod csv;
mod jsonl;
mod stix;

use std::fmt;
use std::io::{Read, Write};
use std::path::Path;

use crate::engine::FeedRow;
use crate::indicator::Row;

/// A feed's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// A STIX 2.1 bundle of `indicator` objects.
    Stix,
}

impl Format {
    /// The format named `csv`, `jsonl` (or `ndjson`) or `stix`.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "stix" | "stix2" => Some(Format::Stix),
            _ => None,
        }
    }

    /// The format of a file by its extension: `.csv`, `.jsonl`/`.ndjson`, `.json` (a STIX
    /// bundle).
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Stix),
            other => Format::from_name(other),
        }
    }
}

/// A feed that cannot be read on (an I/O error, a CSV header without `type` and `value`, a
/// STIX document that is not a bundle). The sync stops without writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedError(pub String);

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FeedError {}

/// The rows of a feed, one at a time (a STIX bundle is one JSON document and is read whole).
pub fn read<'r>(
    reader: impl Read + Send + 'r,
    format: Format,
) -> Box<dyn Iterator<Item = Result<FeedRow, FeedError>> + Send + 'r> {
    match format {
        Format::Csv => csv::read(reader),
        Format::Jsonl => jsonl::read(reader),
        Format::Stix => stix::read(reader),
    }
}

/// Writes rows as a feed of `format` (CSV or JSON Lines; a STIX bundle is not written).
pub fn write(
    rows: impl IntoIterator<Item = Row>,
    format: Format,
    out: impl Write,
) -> Result<(), FeedError> {
    match format {
        Format::Csv => csv::write(rows, out),
        Format::Jsonl => jsonl::write(rows, out),
        Format::Stix => Err(FeedError(
            "export writes csv or jsonl; give --format csv or --format jsonl".into(),
        )),
    }
}

/// The optional fields, in the order CSV export writes them.
const OPTIONAL: [&str; 10] = [
    "action",
    "severity",
    "platforms",
    "expiration",
    "description",
    "tags",
    "host_groups",
    "applied_globally",
    "mobile_action",
    "filename",
];

/// A `;`-separated list.
fn split_list(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" => Ok(false),
        other => Err(format!("applied_globally is `{other}`: give true or false")),
    }
}

/// Sets one field of a row from its text; `Err` for an unknown field or a bad boolean.
fn set_text(row: &mut Row, field: &str, text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Ok(());
    }
    let text_value = || Some(text.to_string());
    match field {
        "type" => row.kind = text.to_string(),
        "value" => row.value = text.to_string(),
        "action" => row.action = text_value(),
        "severity" => row.severity = text_value(),
        "platforms" => row.platforms = Some(split_list(text)),
        "expiration" => row.expiration = text_value(),
        "description" => row.description = text_value(),
        "tags" => row.tags = Some(split_list(text)),
        "host_groups" => row.host_groups = Some(split_list(text)),
        "applied_globally" => row.applied_globally = Some(parse_bool(text)?),
        "mobile_action" => row.mobile_action = text_value(),
        "filename" => row.filename = text_value(),
        other => return Err(unknown_field(other)),
    }
    Ok(())
}

fn unknown_field(name: &str) -> String {
    format!(
        "unknown field `{name}`: the fields are type, value, {}",
        OPTIONAL.join(", ")
    )
}

/// A row's fields as text, in [`OPTIONAL`] order after `type` and `value`.
fn texts(row: &Row) -> [String; 12] {
    let list = |l: &Option<Vec<String>>| l.as_ref().map(|l| l.join(";")).unwrap_or_default();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    [
        row.kind.clone(),
        row.value.clone(),
        text(&row.action),
        text(&row.severity),
        list(&row.platforms),
        text(&row.expiration),
        text(&row.description),
        list(&row.tags),
        list(&row.host_groups),
        row.applied_globally
            .map(|b| b.to_string())
            .unwrap_or_default(),
        text(&row.mobile_action),
        text(&row.filename),
    ]
}

#[cfg(test)]
mod tests;
