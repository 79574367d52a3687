//! `table.rs`: one static row per operation, in the runtime's vocabulary (`falcon-operation`):
//! method, path, the ids `command()` accepts, parameters, body and paging. The runtime reads
//! these rows to encode typed calls, to check and dispatch `command()`, and to page.

use crate::emit::code::{Code, string};
use crate::emit::features::Gates;
use crate::emit::{Context, header};
use crate::ir::{
    Api, ArrayStyle, BodyFormat, Kind, Location, Method, Operation, Paging, Scalar, Style,
};

pub(crate) fn emit(api: &Api, cx: &Context, gates: &Gates) -> String {
    let mut code = header(cx);
    code.inner_doc([
        format!(
            "The operation table of the {}: what the runtime needs to send each operation.",
            api.title
        ),
        String::new(),
        "[`OPERATIONS`] lists every row; `command()` looks operations up here.".to_string(),
    ]);
    code.blank();
    code.line(format!("use {}::operation as op;", cx.runtime));
    for op in &api.operations {
        code.blank();
        row(&mut code, op, gates);
    }
    code.blank();
    code.doc(["Every operation, by path, then method."]);
    code.open("pub static OPERATIONS: &[&op::Operation] = &[");
    for op in &api.operations {
        code.attr(gates.operation(op).as_deref());
        code.line(format!("&{},", op.table_name));
    }
    code.close("];");
    code.finish()
}

fn method(m: Method) -> &'static str {
    match m {
        Method::Get => "op::Method::Get",
        Method::Put => "op::Method::Put",
        Method::Post => "op::Method::Post",
        Method::Delete => "op::Method::Delete",
        Method::Options => "op::Method::Options",
        Method::Head => "op::Method::Head",
        Method::Patch => "op::Method::Patch",
        Method::Trace => "op::Method::Trace",
    }
}

fn scalar(s: Scalar) -> &'static str {
    match s {
        Scalar::String => "op::Scalar::String",
        Scalar::Integer => "op::Scalar::Integer",
        Scalar::Number => "op::Scalar::Number",
        Scalar::Boolean => "op::Scalar::Boolean",
    }
}

fn kind(k: Kind) -> String {
    match k {
        Kind::Scalar(Scalar::String) => "op::STRING".into(),
        Kind::Scalar(Scalar::Integer) => "op::INTEGER".into(),
        Kind::Scalar(Scalar::Number) => "op::NUMBER".into(),
        Kind::Scalar(Scalar::Boolean) => "op::BOOLEAN".into(),
        Kind::File => "op::FILE".into(),
        Kind::Array(item, ArrayStyle::Multi) => format!("op::multi({})", scalar(item)),
        Kind::Array(item, ArrayStyle::Csv) => format!("op::csv({})", scalar(item)),
        Kind::Array(item, ArrayStyle::DeepObject) => format!("op::indexed({})", scalar(item)),
        Kind::Structured(Style::Form { explode: true }) => "op::FORM_EXPLODED".into(),
        Kind::Structured(Style::Form { explode: false }) => "op::FORM_JOINED".into(),
        Kind::Structured(Style::DeepObject) => "op::DEEP_OBJECT".into(),
        Kind::Structured(Style::Json) => "op::JSON".into(),
    }
}

fn row(code: &mut Code, op: &Operation, gates: &Gates) {
    let ids: Vec<String> = op.command_ids.iter().map(|i| string(i)).collect();
    code.doc([format!("`{} {}`", op.http_method.as_str(), op.path)]);
    code.attr(gates.operation(op).as_deref());
    let new = format!(
        "pub static {}: op::Operation = op::Operation::new({}, {}, &[{}])",
        op.table_name,
        method(op.http_method),
        string(&op.path),
        ids.join(", ")
    );
    let mut modifiers = Vec::new();
    if let Some(body) = &op.body {
        modifiers.push(match body.format {
            BodyFormat::Json => format!(".body({})", body.required),
            BodyFormat::Bytes | BodyFormat::Text => format!(
                ".raw_body({}, {})",
                string(&body.content_type),
                body.required
            ),
        });
        if !body.max_items.is_empty() {
            let fields: Vec<String> = body
                .max_items
                .iter()
                .map(|(name, n)| format!("({}, {n})", string(name)))
                .collect();
            modifiers.push(format!(".body_max_items(&[{}])", fields.join(", ")));
        }
    }
    match op.paging {
        Paging::Single => {}
        Paging::Offset => modifiers.push(".paging(op::Paging::Offset)".into()),
        Paging::After => modifiers.push(".paging(op::Paging::After)".into()),
    }
    if op.params.is_empty() && modifiers.is_empty() {
        code.line(format!("{new};"));
        return;
    }
    code.open(new);
    if !op.params.is_empty() {
        code.open(".params(&[");
        for p in &op.params {
            let constructor = match p.location {
                Location::Query => "query",
                Location::Path => "path",
                Location::Header => "header",
                Location::Form => "form",
                Location::Multipart => "multipart",
            };
            let mut modifiers = String::new();
            // Only a parameter renamed by the location rule (`names::located`) says its name
            // in calls: the row keeps both, and the runtime decides nothing.
            if p.arg != p.name {
                modifiers.push_str(&format!(".arg({})", string(&p.arg)));
            }
            if p.required {
                modifiers.push_str(".required()");
            }
            if let Some(n) = p.limits.max_items {
                modifiers.push_str(&format!(".max_items({n})"));
            }
            if let Some(n) = p.limits.minimum {
                modifiers.push_str(&format!(".minimum({n})"));
            }
            if let Some(n) = p.limits.maximum {
                modifiers.push_str(&format!(".maximum({n})"));
            }
            code.line(format!(
                "op::{constructor}({}, {}){modifiers},",
                string(&p.name),
                kind(p.kind)
            ));
        }
        code.close("])");
    }
    for m in modifiers {
        code.line(m);
    }
    // The statement ends on the last modifier's line.
    code.close_statement();
}
