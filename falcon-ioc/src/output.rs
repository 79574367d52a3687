//! What goes to stdout: a reply's JSON (pretty on a terminal, compact otherwise), every item of
//! every page as JSON lines, or the request a dry run would send. A closed stdout (`| head`)
//! ends the run quietly, and stops the paging.

use std::io::{self, IsTerminal, Write};

use falcon_runtime::{Pages, PreviewBody, PreviewPart, RequestPreview};
use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::exit::Failure;

/// How a single JSON document is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pretty,
    Compact,
}

impl Format {
    /// `--format`: `pretty`, `compact`, or `auto` (pretty when stdout is a terminal).
    pub fn from_flag(flag: &str) -> Format {
        match flag {
            "pretty" => Format::Pretty,
            "compact" => Format::Compact,
            _ if io::stdout().is_terminal() => Format::Pretty,
            _ => Format::Compact,
        }
    }
}

/// The outcome of writing: `Ok(false)` when the reader went away.
type Written = Result<bool, Failure>;

fn written(result: io::Result<()>) -> Written {
    match result {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Failure::Output(e)),
    }
}

/// One JSON document and a newline.
pub fn print(value: &Value, format: Format) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    let result = match format {
        Format::Pretty => serde_json::to_writer_pretty(&mut out, value),
        Format::Compact => serde_json::to_writer(&mut out, value),
    }
    .map_err(io::Error::from)
    .and_then(|()| writeln!(out))
    .and_then(|()| out.flush());
    written(result).map(drop)
}

/// Every item of every page, one compact JSON document per line, flushed page by page; only one
/// page is held. With `progress`, a line on stderr counts the items once a second page comes.
pub async fn print_items(mut pages: Pages<'_, Value>, progress: bool) -> Result<(), Failure> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut seen: u64 = 0;
    let mut page_count: u64 = 0;
    let mut shown = false;
    while let Some(page) = pages.next().await {
        let page = page?;
        page_count += 1;
        let mut body = page.body;
        let total = body
            .pointer("/meta/pagination/total")
            .and_then(|t| t.as_u64().or_else(|| t.as_str()?.parse().ok()));
        let items = match body.get_mut("resources").map(Value::take) {
            Some(Value::Array(items)) => items,
            Some(Value::Null) | None => Vec::new(),
            Some(other) => vec![other],
        };
        for item in &items {
            let line = serde_json::to_writer(&mut out, item)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(out));
            if !written(line)? {
                return Ok(());
            }
        }
        seen += items.len() as u64;
        if !written(out.flush())? {
            return Ok(());
        }
        if progress && page_count > 1 {
            let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
            eprint!("\r\x1b[2K{seen}{of} items, {page_count} pages");
            shown = true;
        }
    }
    if shown {
        eprint!("\r\x1b[2K");
    }
    Ok(())
}

/// The request a dry run would send, as a JSON document.
pub fn preview(preview: &RequestPreview, user_agent: &str, format: Format) -> Result<(), Failure> {
    let mut headers = Map::new();
    for (name, value) in &preview.headers {
        headers.insert(name.clone(), Value::String(value.clone()));
    }
    headers.insert("User-Agent".into(), Value::String(user_agent.to_string()));
    let body = match &preview.body {
        PreviewBody::None => Value::Null,
        PreviewBody::Json(json) => json.clone(),
        PreviewBody::Form(encoded) => json!({ "form": encoded }),
        PreviewBody::Multipart(parts) => {
            let parts: Vec<Value> = parts
                .iter()
                .map(|part| match part {
                    PreviewPart::Text { name, value } => json!({"name": name, "value": value}),
                    PreviewPart::Json { name, value } => json!({"name": name, "value": value,
                                "content_type": "application/json"}),
                    PreviewPart::File {
                        name,
                        file_name,
                        content_type,
                        len,
                    } => json!({"name": name, "file_name": file_name,
                                "content_type": content_type, "bytes": len}),
                })
                .collect();
            json!({ "multipart": parts })
        }
        PreviewBody::Raw { content_type, len } => {
            json!({ "raw": {"content_type": content_type, "bytes": len} })
        }
    };
    let document = json!({
        "dry_run": true,
        "operation": preview.operation,
        "method": preview.method,
        "url": preview.url,
        "headers": headers,
        "body": body,
    });
    print(&document, format)
}
