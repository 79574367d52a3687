//! The command-line sidecar (`help.rs` of the `falcon-ioc` crate): for each operation, the names
//! the command line gives it and its flags, and the spec's words for its help. The table rows
//! say how an operation goes on the wire; this file only names and describes, so the client
//! crate never compiles it, and the CLI builds a subcommand per row from the two without code
//! of its own per operation.
//!
//! Every command-line name is decided here, from the names lowering decided (the method name
//! after the collision rule and escapes, the setter of each parameter), so the CLI never
//! recomputes one:
//! - a subcommand is the method name in kebab case (`indicator_search_v1` →
//!   `indicator-search-v1`, escapes dropped: `type_` → `type`); the spec id, its `_` form, the
//!   method name and the PascalCase alias reach it too;
//! - a flag is the setter in kebab case (`from.expiration_timestamp` →
//!   `--from-expiration-timestamp`); the wire name reaches it too when it differs;
//! - a name the CLI keeps for itself ([`RESERVED_FLAGS`], [`RESERVED_COMMANDS`]) or one already
//!   taken makes way: a flag takes its location as a prefix (`--query-body`), a subcommand an
//!   `-op` suffix; a name still taken after that gets a number.
//!
//! The file is data only, written through `emit/code.rs` like every other generated file.

use std::collections::BTreeSet;

use crate::emit::code::{Code, string};
use crate::emit::{GENERATED_MARKER, GeneratedFile};
use crate::ir::{
    Api, Body, BodyFormat, Kind, Location, ModelKind, Operation, Param, TypeRef, Words,
};

/// Where the sidecar's vocabulary lives: the CLI crate's `help` module.
const VOCABULARY: &str = "falcon_ioc::help";

/// Long flags every subcommand of the CLI has of its own (global options and per-operation
/// options); no parameter's flag may take one. The CLI's tests check its flags against this
/// list, which the sidecar carries.
pub const RESERVED_FLAGS: &[&str] = &[
    "all",
    "base-url",
    "body",
    "cloud",
    "dry-run",
    "file",
    "format",
    "help",
    "member-cid",
    "param",
    "verbose",
];

/// Subcommands of the CLI that are not operations.
pub const RESERVED_COMMANDS: &[&str] = &["completions", "export", "help", "man", "sync"];

/// The sidecar of `api`, as one file named `help.rs`.
pub fn emit(api: &Api, spec_label: &str) -> GeneratedFile {
    let mut code = Code::new();
    code.line(format!("{GENERATED_MARKER} from {spec_label}; do not edit"));
    code.inner_doc([
        format!(
            "Command-line names and help text of the {} operations, for `falcon-ioc`.",
            one_line(&api.title)
        ),
        String::new(),
        "Read with the operation table (`table::OPERATIONS`), which says how each operation \
         goes on the wire; rows and entries are matched by operation id."
            .to_string(),
    ]);
    code.blank();
    code.line(format!("use ::{VOCABULARY} as h;"));
    code.blank();
    code.doc(["Every operation, in the table's order."]);
    code.open("pub static API: h::Api = h::Api {");
    code.line(format!("title: {},", string(&api.title)));
    code.open("operations: &[");
    let names = command_names(&api.operations);
    for (op, (name, aliases)) in api.operations.iter().zip(&names) {
        operation(&mut code, api, op, name, aliases);
    }
    code.close("],");
    code.line(format!("reserved_flags: {},", list(RESERVED_FLAGS)));
    code.line(format!("reserved_commands: {},", list(RESERVED_COMMANDS)));
    code.close("};");
    GeneratedFile {
        path: "help.rs".to_string(),
        contents: code.finish(),
    }
}

/// `&["a", "b"]`.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|s| string(s.as_ref())).collect();
    format!("&[{}]", items.join(", "))
}

/// Text for a `//!` line: one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A snake_case name in kebab case, escapes (leading and trailing `_`) dropped.
fn kebab(snake: &str) -> String {
    snake.trim_matches('_').replace('_', "-")
}

/// The first free name of `candidates`, else the first one numbered; claims it in `taken`.
fn claim(candidates: &[String], taken: &mut BTreeSet<String>) -> String {
    let free = candidates
        .iter()
        .find(|c| !c.is_empty() && !taken.contains(*c))
        .cloned();
    let name = free.unwrap_or_else(|| {
        let base = candidates.first().cloned().unwrap_or_default();
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| !taken.contains(c))
            .expect("some number is free")
    });
    taken.insert(name.clone());
    name
}

/// Each operation's subcommand and the other names that reach it. Names first, for every
/// operation, so no alias can take another operation's name.
fn command_names(operations: &[Operation]) -> Vec<(String, Vec<String>)> {
    let mut taken: BTreeSet<String> = RESERVED_COMMANDS.iter().map(|s| s.to_string()).collect();
    let names: Vec<String> = operations
        .iter()
        .map(|op| {
            let name = kebab(&op.method_name);
            claim(&[name.clone(), format!("{name}-op")], &mut taken)
        })
        .collect();
    operations
        .iter()
        .zip(names)
        .map(|(op, name)| {
            let mut aliases = Vec::new();
            let others = op
                .command_ids
                .iter()
                .chain([&op.method_name])
                .chain(op.alias.as_ref());
            for other in others {
                if taken.insert(other.clone()) {
                    aliases.push(other.clone());
                }
            }
            (name, aliases)
        })
        .collect()
}

/// Each parameter's flag and aliases, files excepted (they go through `--file FIELD=PATH`).
fn flag_names(params: &[&Param]) -> Vec<(String, Vec<String>)> {
    let mut taken: BTreeSet<String> = RESERVED_FLAGS.iter().map(|s| s.to_string()).collect();
    let flags: Vec<String> = params
        .iter()
        .map(|p| {
            let flag = kebab(&p.rust_name);
            let location = match p.location {
                Location::Query => "query",
                Location::Path => "path",
                Location::Header => "header",
                Location::Form | Location::Multipart => "form",
            };
            claim(
                &[flag.clone(), format!("{location}-{flag}"), p.name.clone()],
                &mut taken,
            )
        })
        .collect();
    params
        .iter()
        .zip(flags)
        .map(|(p, flag)| {
            let usable = !p.name.is_empty()
                && !p.name.starts_with('-')
                && !p.name.contains(|c: char| c.is_whitespace() || c == '=');
            let aliases = if usable && taken.insert(p.name.clone()) {
                vec![p.name.clone()]
            } else {
                Vec::new()
            };
            (flag, aliases)
        })
        .collect()
}

fn operation(code: &mut Code, api: &Api, op: &Operation, name: &str, aliases: &[String]) {
    let body = op
        .body
        .as_ref()
        .map(|b| body_help(api, b))
        .unwrap_or_default();
    code.open("h::Operation {");
    code.line(format!("id: {},", string(&op.id)));
    code.line(format!("name: {},", string(name)));
    code.line(format!("aliases: {},", list(aliases)));
    code.line(format!(
        "summary: {},",
        string(&text(op.summary.as_deref()))
    ));
    code.line(format!(
        "description: {},",
        string(&text(op.description.as_deref()))
    ));
    code.line(format!("deprecated: {},", op.deprecated));
    code.line(format!("body: {},", string(&body)));
    code.line(format!(
        "body_fields: {},",
        string(&body_fields(api, op.body.as_ref()))
    ));
    let flagged: Vec<&Param> = op.params.iter().filter(|p| p.kind != Kind::File).collect();
    if flagged.is_empty() {
        code.line("params: &[],");
    } else {
        code.open("params: &[");
        for (p, (flag, aliases)) in flagged.iter().zip(flag_names(&flagged)) {
            let default = match &p.default {
                None => "None".to_string(),
                Some(serde_json::Value::String(s)) => format!("Some({})", string(s)),
                Some(other) => format!("Some({})", string(&other.to_string())),
            };
            code.open("h::Param {");
            code.line(format!("name: {},", string(&p.arg)));
            code.line(format!("flag: {},", string(&flag)));
            code.line(format!("aliases: {},", list(&aliases)));
            code.line(format!(
                "description: {},",
                string(&text(p.description.as_deref()))
            ));
            code.line(format!("values: {},", list(&p.enum_values)));
            code.line(format!("default: {default},"));
            code.close("},");
        }
        code.close("],");
    }
    let files: Vec<&Param> = op.params.iter().filter(|p| p.kind == Kind::File).collect();
    if files.is_empty() {
        code.line("files: &[],");
    } else {
        code.open("files: &[");
        for p in files {
            code.line(format!(
                "h::File {{ name: {}, description: {} }},",
                string(&p.arg),
                string(&text(p.description.as_deref())),
            ));
        }
        code.close("],");
    }
    code.close("},");
}

/// Spec text on one paragraph per line, trimmed; none is empty.
fn text(s: Option<&str>) -> String {
    s.map(str::trim).unwrap_or_default().to_string()
}

/// What `--body` takes: the spec's words, the body's type and its top-level fields.
fn body_help(api: &Api, body: &Body) -> String {
    let mut out = text(body.description.as_deref());
    let mut line = match body.format {
        BodyFormat::Json => format!("A JSON {}", type_name(api, &body.ty)),
        BodyFormat::Text => format!("Text, sent as `{}`", body.content_type),
        BodyFormat::Bytes => format!("Bytes, sent as `{}`", body.content_type),
    };
    if let TypeRef::Model(rust) = &body.ty
        && let Some(model) = api.models.iter().find(|m| &m.rust_name == rust)
        && let ModelKind::Struct(s) = &model.kind
        && !s.fields.is_empty()
    {
        let fields: Vec<String> = s
            .fields
            .iter()
            .map(|f| {
                format!(
                    "{}{} ({})",
                    f.json_name,
                    if f.required { "*" } else { "" },
                    type_name(api, &f.ty)
                )
            })
            .collect();
        line.push_str(&format!("; fields (* required): {}", fields.join(", ")));
    }
    line.push('.');
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&line);
    out
}

/// `help OPERATION`'s account of a JSON body: every field, nested ones indented under theirs,
/// with its type, the values the spec lists and `required`; then the spec's example of the
/// body, or else the smallest body the spec's `required` lists allow.
fn body_fields(api: &Api, body: Option<&Body>) -> String {
    let Some(body) = body.filter(|b| b.format == BodyFormat::Json) else {
        return String::new();
    };
    let mut lines = Vec::new();
    fields_of(api, &body.ty, 1, &mut Vec::new(), &mut lines);
    let mut out = String::new();
    if !lines.is_empty() {
        out.push_str("Body fields:\n");
        out.push_str(&lines.join("\n"));
        out.push_str("\n\n");
    }
    let (title, example) = match &body.example {
        Some(example) => ("Example body:", example.clone()),
        None => (
            "Smallest body the spec allows (the service may ask for more):",
            minimal(api, &body.ty, &mut Vec::new()),
        ),
    };
    out.push_str(title);
    // Pretty, so no line is long enough for the help's wrapping to break the JSON.
    let pretty = serde_json::to_string_pretty(&example).unwrap_or_default();
    for line in pretty.lines() {
        out.push_str("\n  ");
        out.push_str(line);
    }
    out
}

/// The struct model a type is, or holds as a list's items.
fn struct_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a crate::ir::Struct> {
    match ty {
        TypeRef::Array(item) => struct_of(api, item),
        TypeRef::Model(rust) => match &api.models.iter().find(|m| &m.rust_name == rust)?.kind {
            ModelKind::Struct(s) => Some(s),
            ModelKind::Alias(inner) => struct_of(api, inner),
            _ => None,
        },
        _ => None,
    }
}

/// The values a type's open enum lists (also a list's items).
fn values_of<'a>(api: &'a Api, ty: &TypeRef) -> Vec<&'a str> {
    match ty {
        TypeRef::Array(item) => values_of(api, item),
        TypeRef::Model(rust) => match api.models.iter().find(|m| &m.rust_name == rust) {
            Some(m) => match &m.kind {
                ModelKind::OpenEnum(values) => values.iter().map(|v| v.json.as_str()).collect(),
                ModelKind::Alias(inner) => values_of(api, inner),
                _ => Vec::new(),
            },
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// One line per field of `ty`'s struct at `depth`, each followed by its own fields; a model
/// already being listed (recursion) is named, not listed again.
fn fields_of(
    api: &Api,
    ty: &TypeRef,
    depth: usize,
    open: &mut Vec<String>,
    lines: &mut Vec<String>,
) {
    let Some(s) = struct_of(api, ty) else {
        return;
    };
    let key = format!("{ty:?}");
    if open.contains(&key) {
        return;
    }
    open.push(key);
    for f in &s.fields {
        let mut line = format!(
            "{}{}: {}",
            "  ".repeat(depth),
            f.json_name,
            type_name(api, &f.ty)
        );
        let values = values_of(api, &f.ty);
        if !values.is_empty() {
            line.push_str(&format!("; values: {}", values.join(", ")));
        }
        if f.required {
            line.push_str("; required");
        }
        lines.push(line);
        fields_of(api, &f.ty, depth + 1, open, lines);
    }
    open.pop();
}

/// The smallest JSON of `ty` the spec's `required` lists allow: required fields only, a
/// list of one item, an enum's first value, placeholders for scalars.
fn minimal(api: &Api, ty: &TypeRef, open: &mut Vec<String>) -> serde_json::Value {
    use serde_json::Value;
    if let Some(first) = values_of(api, ty).first()
        && !matches!(ty, TypeRef::Array(_))
    {
        return Value::String((*first).to_string());
    }
    match ty {
        TypeRef::String => Value::String("...".into()),
        TypeRef::Integer(_) => Value::from(0),
        TypeRef::Number => Value::from(0.0),
        TypeRef::Boolean => Value::Bool(true),
        TypeRef::Array(item) => Value::Array(vec![minimal(api, item, open)]),
        TypeRef::Map(_) | TypeRef::Any => Value::Object(Default::default()),
        TypeRef::Null => Value::Null,
        TypeRef::Model(rust) => {
            if let Some(ModelKind::Alias(inner)) = api
                .models
                .iter()
                .find(|m| &m.rust_name == rust)
                .map(|m| &m.kind)
            {
                return minimal(api, inner, open);
            }
            let key = format!("{ty:?}");
            let Some(s) = struct_of(api, ty).filter(|_| !open.contains(&key)) else {
                return Value::Object(Default::default());
            };
            open.push(key);
            let object = s
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| (f.json_name.clone(), minimal(api, &f.ty, open)))
                .collect();
            open.pop();
            Value::Object(object)
        }
    }
}

/// A type as help text reads it: `string`, `list of api.IndicatorV1`, the spec's model names.
fn type_name(api: &Api, ty: &TypeRef) -> String {
    let model = |rust: &str| match api.models.iter().find(|m| m.rust_name == rust) {
        Some(m) => match &m.kind {
            ModelKind::Struct(_) | ModelKind::ErrorEntry(_) => format!("object {}", m.name),
            ModelKind::Alias(inner) => type_name(api, inner),
            _ => "string".into(),
        },
        None => "value".into(),
    };
    ty.describe(&Words {
        int32: "integer",
        map: "object of",
        any: "value",
        null: "null",
        model: &model,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_make_way_for_the_clis_own_and_for_each_other() {
        let mut taken: BTreeSet<String> = ["help".to_string()].into();
        assert_eq!(
            claim(&["help".into(), "help-op".into()], &mut taken),
            "help-op"
        );
        assert_eq!(
            claim(&["help".into(), "help-op".into()], &mut taken),
            "help-2"
        );
        assert_eq!(kebab("type_"), "type");
        assert_eq!(kebab("_2fa"), "2fa");
        assert_eq!(
            kebab("from_expiration_timestamp"),
            "from-expiration-timestamp"
        );
    }

    fn sidecar(spec: &str) -> String {
        let (api, _) = crate::read_api(spec, &crate::Patches::default()).unwrap();
        emit(&api, "spec.yaml").contents
    }

    const ONE: &str = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things/v1:
    get:
      operationId: thing.search.v1
      summary: Search things.
      parameters:
        - {name: filter, in: query, schema: {type: string}, description: FQL.}
        - {name: all, in: query, schema: {type: boolean}}
        - {name: body, in: header, schema: {type: string}}
      responses: {'200': {description: ok}}
"#;

    /// A regenerated sidecar names a new operation and its flags: with the table row it gets,
    /// that is a new subcommand with no code in the CLI.
    #[test]
    fn a_new_operation_gets_an_entry_with_its_names() {
        let before = sidecar(ONE);
        assert!(before.contains(r#"name: "thing-search-v1""#), "{before}");
        assert!(!before.contains("thing-delete-v1"));
        let two = format!(
            "{ONE}    delete:\n      operationId: ThingDelete\n      summary: Delete things.\n      \
             parameters:\n        - {{name: ids, in: query, required: true, schema: {{type: array, items: {{type: string}}}}}}\n      \
             responses: {{'200': {{description: ok}}}}\n"
        );
        let after = sidecar(&two);
        assert!(after.contains(r#"name: "thing-delete""#), "{after}");
        assert!(
            after.contains(r#"aliases: &["ThingDelete", "thing_delete"]"#),
            "{after}"
        );
        assert!(after.contains(r#"flag: "ids""#), "{after}");
        // Flags the CLI keeps for itself make way: `all` and `body` take their location.
        assert!(after.contains(r#"flag: "query-all""#), "{after}");
        assert!(after.contains(r#"flag: "header-body""#), "{after}");
    }
}
