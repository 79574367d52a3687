//! Parsed flags → `command()`'s JSON arguments: each parameter under its name in calls (the
//! row's `arg`: the wire name, unless two parameters share it), `body`, files as
//! `{"file_name", "content_base64", "content_type"}`, and `parameters` for `--param`.
//! The runtime checks them against the row again before anything is sent.

use std::io::Read;
use std::path::Path;

use base64::Engine;
use clap::ArgMatches;
use falcon_runtime::operation::{Kind, Operation, Scalar};
use serde_json::{Map, Value};

use crate::app::{BIN, opt, param_id};
use crate::exit::Failure;

/// The JSON arguments of one call.
pub fn command_args(
    name: &str,
    row: &'static Operation,
    matches: &ArgMatches,
) -> Result<Value, Failure> {
    let mut args = Map::new();
    for param in row.params.iter().filter(|p| p.kind != Kind::File) {
        let id = param_id(param.arg);
        let value = match param.kind {
            Kind::Scalar(scalar) => one(matches, &id, scalar),
            Kind::Array(item, _) => many(matches, &id, item)?,
            Kind::Structured(_) => match matches.get_one::<String>(&id) {
                Some(text) => Some(read_json(
                    name,
                    &format!("parameter `{}`", param.arg),
                    text,
                )?),
                None => None,
            },
            Kind::File => None,
        };
        if let Some(value) = value {
            args.insert(param.arg.to_string(), value);
        }
    }
    if let Some(row_body) = row.body
        && let Some(body) = matches.get_one::<String>(opt::BODY)
    {
        let body = match row_body.media_type {
            None => read_json(name, "--body", body)?,
            Some(_) => read_raw_body(body)?,
        };
        args.insert("body".into(), body);
    }
    if let Ok(Some(files)) = matches.try_get_many::<String>(opt::FILE) {
        for spec in files {
            let (field, file) = read_file(row, spec)?;
            args.insert(field, file);
        }
    }
    if let Some(pairs) = matches.get_many::<String>(opt::PARAM) {
        let mut extra = Map::new();
        for pair in pairs {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| Failure::Usage(format!("--param takes NAME=VALUE, got `{pair}`")))?;
            match extra.get_mut(name) {
                Some(Value::Array(list)) => list.push(Value::String(value.into())),
                _ => {
                    extra.insert(name.into(), Value::Array(vec![Value::String(value.into())]));
                }
            }
        }
        args.insert("parameters".into(), Value::Object(extra));
    }
    Ok(Value::Object(args))
}

fn one(matches: &ArgMatches, id: &str, scalar: Scalar) -> Option<Value> {
    match scalar {
        Scalar::String => matches
            .get_one::<String>(id)
            .map(|s| Value::String(s.clone())),
        Scalar::Integer => matches.get_one::<i64>(id).map(|i| Value::from(*i)),
        Scalar::Number => matches.get_one::<f64>(id).map(|n| Value::from(*n)),
        Scalar::Boolean => matches.get_one::<bool>(id).map(|b| Value::Bool(*b)),
    }
}

/// A list flag's items: each value as given, or the lines of `@FILE` or of stdin (`-`), one
/// item per line (blank lines skipped, each trimmed), each checked against the item's type.
fn many(matches: &ArgMatches, id: &str, item: Scalar) -> Result<Option<Value>, Failure> {
    let Some(given) = matches.get_many::<String>(id) else {
        return Ok(None);
    };
    let flag = id.strip_prefix("param:").unwrap_or(id);
    let mut list = Vec::new();
    for value in given {
        let given = Given::of(value);
        let read = given.text().map_err(|e| {
            let hint = match given {
                Given::File(_) => " (give @FILE with one item per line, or the items themselves)",
                _ => "",
            };
            Failure::Usage(format!(
                "{flag}: cannot read the items from {}: {e}{hint}",
                given.origin()
            ))
        })?;
        match read {
            Some(text) => {
                for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    list.push(item_value(flag, item, line)?);
                }
            }
            None => list.push(item_value(flag, item, value)?),
        }
    }
    Ok(Some(Value::Array(list)))
}

/// Where a flag's value comes from: `-` or `@-` is stdin, `@PATH` a file, anything else the
/// value itself. Every flag that takes `@FILE` reads it through this.
#[derive(Clone, Copy)]
enum Given<'a> {
    Stdin,
    File(&'a str),
    Inline,
}

impl<'a> Given<'a> {
    fn of(arg: &'a str) -> Self {
        match arg {
            "-" | "@-" => Given::Stdin,
            _ => arg.strip_prefix('@').map_or(Given::Inline, Given::File),
        }
    }

    /// Where the value was read from, for messages.
    fn origin(self) -> String {
        match self {
            Given::Stdin => "stdin".into(),
            Given::File(path) => path.into(),
            Given::Inline => "the argument".into(),
        }
    }

    /// The text of stdin or of the file; `None` for a value given inline.
    fn text(self) -> std::io::Result<Option<String>> {
        match self {
            Given::Stdin => {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text)?;
                Ok(Some(text))
            }
            Given::File(path) => std::fs::read_to_string(path).map(Some),
            Given::Inline => Ok(None),
        }
    }

    /// The bytes of stdin or of the file; `None` for a value given inline.
    fn bytes(self) -> std::io::Result<Option<Vec<u8>>> {
        match self {
            Given::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin().read_to_end(&mut bytes)?;
                Ok(Some(bytes))
            }
            Given::File(path) => std::fs::read(path).map(Some),
            Given::Inline => Ok(None),
        }
    }
}

/// One item of a list flag as its type says.
fn item_value(flag: &str, item: Scalar, text: &str) -> Result<Value, Failure> {
    let bad = |what: &str| {
        Failure::Usage(format!(
            "{flag}: `{text}` is not {what}; each item (each line of a file) must be one"
        ))
    };
    Ok(match item {
        Scalar::String => Value::String(text.to_string()),
        Scalar::Integer => Value::from(text.parse::<i64>().map_err(|_| bad("an integer"))?),
        Scalar::Number => Value::from(text.parse::<f64>().map_err(|_| bad("a number"))?),
        Scalar::Boolean => Value::Bool(text.parse::<bool>().map_err(|_| bad("true or false"))?),
    })
}

/// `--body` (and an object parameter's flag, named `what` in messages): inline JSON, `@FILE`,
/// or `-`/`@-` for stdin. `name` is the subcommand, whose help shows an example body.
fn read_json(name: &str, what: &str, arg: &str) -> Result<Value, Failure> {
    let given = Given::of(arg);
    let text = given
        .text()
        .map_err(|e| Failure::Usage(format!("{what}: cannot read {}: {e}", given.origin())))?
        .unwrap_or_else(|| arg.to_string());
    let source = given.origin();
    serde_json::from_str(&text).map_err(|e| {
        let shows = if what == "--body" {
            "shows an example body"
        } else {
            "describes it"
        };
        Failure::Usage(format!(
            "{what}: {source} is not JSON: {e}; give JSON, @FILE or - (stdin); \
             `{BIN} help {name}` {shows}"
        ))
    })
}

/// `--body` of an operation whose body is raw bytes (`application/octet-stream`, `text/plain`):
/// `@FILE` or `-`/`@-` (stdin) read as bytes, anything else sent as its text; `;type=MIME` at
/// the end names a content type other than the one the operation declares. The bytes go to
/// `command()` as `{"content_base64", "content_type"}`.
fn read_raw_body(arg: &str) -> Result<Value, Failure> {
    let (source, content_type) = match arg.rsplit_once(";type=") {
        Some((source, mime)) => (source, Some(mime)),
        None => (arg, None),
    };
    let given = Given::of(source);
    let bytes = given
        .bytes()
        .map_err(|e| Failure::Usage(format!("--body: cannot read {}: {e}", given.origin())))?
        .unwrap_or_else(|| source.as_bytes().to_vec());
    let mut body = Map::new();
    body.insert(
        "content_base64".into(),
        Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
    );
    if let Some(mime) = content_type {
        body.insert("content_type".into(), Value::String(mime.to_string()));
    }
    Ok(Value::Object(body))
}

/// `--file FIELD=PATH[;type=MIME]`: the field, and the file as `command()` takes it.
fn read_file(row: &'static Operation, spec: &str) -> Result<(String, Value), Failure> {
    let fields: Vec<&str> = row
        .params
        .iter()
        .filter(|p| p.kind == Kind::File)
        .map(|p| p.arg)
        .collect();
    let (field, rest) = spec.split_once('=').ok_or_else(|| {
        Failure::Usage(format!(
            "--file takes FIELD=PATH, got `{spec}` (fields: {})",
            fields.join(", ")
        ))
    })?;
    if !fields.contains(&field) {
        return Err(Failure::Usage(format!(
            "--file: `{field}` is not a file field of this operation (fields: {})",
            fields.join(", ")
        )));
    }
    let (path, content_type) = match rest.rsplit_once(";type=") {
        Some((path, mime)) => (path, Some(mime)),
        None => (rest, None),
    };
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Usage(format!("--file {field}: cannot read {path}: {e}")))?;
    let file_name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string());
    let mut file = Map::new();
    file.insert("file_name".into(), Value::String(file_name));
    file.insert(
        "content_base64".into(),
        Value::String(base64::engine::general_purpose::STANDARD.encode(bytes)),
    );
    if let Some(mime) = content_type {
        file.insert("content_type".into(), Value::String(mime.to_string()));
    }
    Ok((field.to_string(), Value::Object(file)))
}
