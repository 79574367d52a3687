//! JSON Lines: one object per line with the CSV's field names; lists are arrays or
//! `;`-separated strings. Blank lines are not rows.

use std::io::{BufRead, BufReader, Read, Write};

use serde_json::{Map, Value};

use super::{FeedError, OPTIONAL, set_text, texts};
use crate::engine::FeedRow;
use crate::indicator::Row;

pub fn read<'r>(
    reader: impl Read + Send + 'r,
) -> Box<dyn Iterator<Item = Result<FeedRow, FeedError>> + Send + 'r> {
    let mut lines = BufReader::new(reader);
    let mut number = 0u64;
    let mut line = String::new();
    Box::new(std::iter::from_fn(move || {
        loop {
            line.clear();
            number += 1;
            match lines.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) if line.trim().is_empty() => continue,
                Ok(_) => {
                    return Some(Ok(FeedRow {
                        number,
                        row: row(&line),
                    }));
                }
                Err(e) => {
                    return Some(Err(FeedError(format!(
                        "cannot read line {number} of the JSON Lines feed: {e}"
                    ))));
                }
            }
        }
    }))
}

fn row(line: &str) -> Result<Row, String> {
    let object: Map<String, Value> =
        serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let mut row = Row::default();
    for (key, value) in &object {
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s.trim().to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Array(items) => items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s.replace(';', "")),
                    _ => Err(format!("`{key}` must be a list of strings")),
                })
                .collect::<Result<Vec<_>, _>>()?
                .join(";"),
            _ => return Err(format!("`{key}` must be a string, a boolean or a list")),
        };
        set_text(&mut row, key, &text)?;
    }
    Ok(row)
}

pub fn write(rows: impl IntoIterator<Item = Row>, mut out: impl Write) -> Result<(), FeedError> {
    let mut names = vec!["type", "value"];
    names.extend(OPTIONAL);
    const LISTS: [&str; 3] = ["platforms", "tags", "host_groups"];
    for row in rows {
        let mut object = Map::new();
        for (name, text) in names.iter().zip(texts(&row)) {
            if text.is_empty() {
                continue;
            }
            let value = if LISTS.contains(name) {
                Value::from(super::split_list(&text))
            } else if *name == "applied_globally" {
                Value::Bool(text == "true")
            } else {
                Value::String(text)
            };
            object.insert((*name).to_string(), value);
        }
        serde_json::to_writer(&mut out, &object)
            .map_err(|e| FeedError(format!("cannot write the JSON Lines: {e}")))?;
        out.write_all(b"\n")
            .map_err(|e| FeedError(format!("cannot write the JSON Lines: {e}")))?;
    }
    out.flush()
        .map_err(|e| FeedError(format!("cannot write the JSON Lines: {e}")))?;
    Ok(())
}
