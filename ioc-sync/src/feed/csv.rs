//! CSV with a header row naming the fields (any order; `type` and `value` required).

use std::io::{Read, Write};

use super::{FeedError, OPTIONAL, set_text, texts, unknown_field};
use crate::engine::FeedRow;
use crate::indicator::Row;

pub fn read<'r>(
    reader: impl Read + Send + 'r,
) -> Box<dyn Iterator<Item = Result<FeedRow, FeedError>> + Send + 'r> {
    let mut csv = ::csv::ReaderBuilder::new()
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(reader);
    let header: Vec<String> = match csv.headers() {
        Ok(h) => h.iter().map(|f| f.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            return Box::new(std::iter::once(Err(FeedError(format!(
                "cannot read the CSV header: {e}"
            )))));
        }
    };
    let problem = if !header.iter().any(|h| h == "type") || !header.iter().any(|h| h == "value") {
        Some(format!(
            "the CSV header is `{}`: it must name `type` and `value` (and any of {})",
            header.join(","),
            OPTIONAL.join(", ")
        ))
    } else {
        header
            .iter()
            .find(|h| {
                !h.is_empty() && *h != "type" && *h != "value" && !OPTIONAL.contains(&h.as_str())
            })
            .map(|h| format!("the CSV header: {}", unknown_field(h)))
    };
    if let Some(problem) = problem {
        return Box::new(std::iter::once(Err(FeedError(problem))));
    }
    let mut number = 0u64;
    let mut record = ::csv::StringRecord::new();
    Box::new(std::iter::from_fn(move || {
        number += 1;
        match csv.read_record(&mut record) {
            Ok(false) => None,
            Ok(true) => Some(Ok(FeedRow {
                number,
                row: row(&header, &record),
            })),
            // A bad row (not UTF-8, say) is skipped; a failing file stops the feed.
            Err(e) if matches!(e.kind(), ::csv::ErrorKind::Io(_)) => {
                Some(Err(FeedError(format!("cannot read the CSV feed: {e}"))))
            }
            Err(e) => Some(Ok(FeedRow {
                number,
                row: Err(format!("unreadable CSV row: {e}")),
            })),
        }
    }))
}

fn row(header: &[String], record: &::csv::StringRecord) -> Result<Row, String> {
    if record.len() > header.len() {
        return Err(format!(
            "{} fields, the header names {}",
            record.len(),
            header.len()
        ));
    }
    let mut row = Row::default();
    for (field, text) in header.iter().zip(record.iter()) {
        set_text(&mut row, field, text)?;
    }
    Ok(row)
}

pub fn write(rows: impl IntoIterator<Item = Row>, out: impl Write) -> Result<(), FeedError> {
    let fail = |e: ::csv::Error| FeedError(format!("cannot write the CSV: {e}"));
    let mut csv = ::csv::Writer::from_writer(out);
    let mut header = vec!["type", "value"];
    header.extend(OPTIONAL);
    csv.write_record(&header).map_err(fail)?;
    for row in rows {
        csv.write_record(texts(&row)).map_err(fail)?;
    }
    csv.flush()
        .map_err(|e| FeedError(format!("cannot write the CSV: {e}")))
}
