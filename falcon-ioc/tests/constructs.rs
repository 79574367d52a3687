//! The command line built from each construct spec of `codegen/tests/specs/`: the fixture's
//! generated table (`codegen-fixtures`) and the sidecar `cargo xtask codegen` writes for it
//! (`tests/constructs/<spec>.rs`). No code of the CLI names any of these operations, so an
//! operation added to a spec reaches the command line by regeneration alone; these tests take
//! every row of every fixture, whatever they are.

use std::collections::BTreeSet;
use std::path::Path;

use falcon_ioc::help::Api;
use falcon_ioc::{Invocation, Parsed};
use falcon_runtime::operation::{Kind, Operation, Scalar};
use falcon_runtime::{PreviewBody, PreviewPart};
use serde_json::json;

#[rustfmt::skip]
#[path = "constructs/arrays.rs"]
mod arrays;
#[rustfmt::skip]
#[path = "constructs/case_fields.rs"]
mod case_fields;
#[rustfmt::skip]
#[path = "constructs/dotted_names.rs"]
mod dotted_names;
#[rustfmt::skip]
#[path = "constructs/empty_enums.rs"]
mod empty_enums;
#[rustfmt::skip]
#[path = "constructs/empty_names.rs"]
mod empty_names;
#[rustfmt::skip]
#[path = "constructs/enum_one_of.rs"]
mod enum_one_of;
#[rustfmt::skip]
#[path = "constructs/form_refs.rs"]
mod form_refs;
#[rustfmt::skip]
#[path = "constructs/id_styles.rs"]
mod id_styles;
#[rustfmt::skip]
#[path = "constructs/inline_names.rs"]
mod inline_names;
#[rustfmt::skip]
#[path = "constructs/keywords.rs"]
mod keywords;
#[rustfmt::skip]
#[path = "constructs/maps.rs"]
mod maps;
#[rustfmt::skip]
#[path = "constructs/missing_types.rs"]
mod missing_types;
#[rustfmt::skip]
#[path = "constructs/missing_ids.rs"]
mod missing_ids;
#[rustfmt::skip]
#[path = "constructs/multi_file.rs"]
mod multi_file;
#[rustfmt::skip]
#[path = "constructs/name_folding.rs"]
mod name_folding;
#[rustfmt::skip]
#[path = "constructs/null_envelopes.rs"]
mod null_envelopes;
#[rustfmt::skip]
#[path = "constructs/open_enums.rs"]
mod open_enums;
#[rustfmt::skip]
#[path = "constructs/openapi31.rs"]
mod openapi31;
#[rustfmt::skip]
#[path = "constructs/raw_bodies.rs"]
mod raw_bodies;
#[rustfmt::skip]
#[path = "constructs/recursion.rs"]
mod recursion;
#[rustfmt::skip]
#[path = "constructs/ref_params.rs"]
mod ref_params;
#[rustfmt::skip]
#[path = "constructs/request_models.rs"]
mod request_models;
#[rustfmt::skip]
#[path = "constructs/reserved_names.rs"]
mod reserved_names;
#[rustfmt::skip]
#[path = "constructs/same_names.rs"]
mod same_names;
#[rustfmt::skip]
#[path = "constructs/scalar_unions.rs"]
mod scalar_unions;
#[rustfmt::skip]
#[path = "constructs/shadowing.rs"]
mod shadowing;
#[rustfmt::skip]
#[path = "constructs/structured_params.rs"]
mod structured_params;
#[rustfmt::skip]
#[path = "constructs/uploads.rs"]
mod uploads;

type Fixture = (&'static str, &'static [&'static Operation], &'static Api);

/// Every fixture: its name, its table, its sidecar.
const FIXTURES: &[Fixture] = &[
    (
        "arrays",
        codegen_fixtures::arrays::table::OPERATIONS,
        &arrays::API,
    ),
    (
        "case_fields",
        codegen_fixtures::case_fields::table::OPERATIONS,
        &case_fields::API,
    ),
    (
        "dotted_names",
        codegen_fixtures::dotted_names::table::OPERATIONS,
        &dotted_names::API,
    ),
    (
        "empty_enums",
        codegen_fixtures::empty_enums::table::OPERATIONS,
        &empty_enums::API,
    ),
    (
        "empty_names",
        codegen_fixtures::empty_names::table::OPERATIONS,
        &empty_names::API,
    ),
    (
        "enum_one_of",
        codegen_fixtures::enum_one_of::table::OPERATIONS,
        &enum_one_of::API,
    ),
    (
        "form_refs",
        codegen_fixtures::form_refs::table::OPERATIONS,
        &form_refs::API,
    ),
    (
        "id_styles",
        codegen_fixtures::id_styles::table::OPERATIONS,
        &id_styles::API,
    ),
    (
        "inline_names",
        codegen_fixtures::inline_names::table::OPERATIONS,
        &inline_names::API,
    ),
    (
        "keywords",
        codegen_fixtures::keywords::table::OPERATIONS,
        &keywords::API,
    ),
    (
        "maps",
        codegen_fixtures::maps::table::OPERATIONS,
        &maps::API,
    ),
    (
        "missing_types",
        codegen_fixtures::missing_types::table::OPERATIONS,
        &missing_types::API,
    ),
    (
        "missing_ids",
        codegen_fixtures::missing_ids::table::OPERATIONS,
        &missing_ids::API,
    ),
    (
        "multi_file",
        codegen_fixtures::multi_file::table::OPERATIONS,
        &multi_file::API,
    ),
    (
        "name_folding",
        codegen_fixtures::name_folding::table::OPERATIONS,
        &name_folding::API,
    ),
    (
        "null_envelopes",
        codegen_fixtures::null_envelopes::table::OPERATIONS,
        &null_envelopes::API,
    ),
    (
        "open_enums",
        codegen_fixtures::open_enums::table::OPERATIONS,
        &open_enums::API,
    ),
    (
        "openapi31",
        codegen_fixtures::openapi31::table::OPERATIONS,
        &openapi31::API,
    ),
    (
        "raw_bodies",
        codegen_fixtures::raw_bodies::table::OPERATIONS,
        &raw_bodies::API,
    ),
    (
        "recursion",
        codegen_fixtures::recursion::table::OPERATIONS,
        &recursion::API,
    ),
    (
        "ref_params",
        codegen_fixtures::ref_params::table::OPERATIONS,
        &ref_params::API,
    ),
    (
        "request_models",
        codegen_fixtures::request_models::table::OPERATIONS,
        &request_models::API,
    ),
    (
        "reserved_names",
        codegen_fixtures::reserved_names::table::OPERATIONS,
        &reserved_names::API,
    ),
    (
        "same_names",
        codegen_fixtures::same_names::table::OPERATIONS,
        &same_names::API,
    ),
    (
        "scalar_unions",
        codegen_fixtures::scalar_unions::table::OPERATIONS,
        &scalar_unions::API,
    ),
    (
        "shadowing",
        codegen_fixtures::shadowing::table::OPERATIONS,
        &shadowing::API,
    ),
    (
        "structured_params",
        codegen_fixtures::structured_params::table::OPERATIONS,
        &structured_params::API,
    ),
    (
        "uploads",
        codegen_fixtures::uploads::table::OPERATIONS,
        &uploads::API,
    ),
];

/// A sidecar `cargo xtask codegen` wrote that this file does not list would go untested.
#[test]
fn every_generated_sidecar_is_listed_here() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/constructs");
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|(n, ..)| n.to_string()).collect();
    assert_eq!(
        on_disk, listed,
        "declare each sidecar in tests/constructs.rs (module and FIXTURES)"
    );
}

/// Table and sidecar come from the same spec: one entry per row, the same parameters.
#[test]
fn sidecars_match_their_tables() {
    for (name, table, api) in FIXTURES {
        let rows: Vec<&str> = table.iter().map(|op| op.id()).collect();
        let entries: Vec<&str> = api.operations.iter().map(|op| op.id).collect();
        assert_eq!(rows, entries, "{name}");
        for row in *table {
            let entry = api.operation(row.id()).unwrap();
            let flagged: Vec<&str> = row
                .params
                .iter()
                .filter(|p| p.kind != Kind::File)
                .map(|p| p.arg)
                .collect();
            let described: Vec<&str> = entry.params.iter().map(|p| p.name).collect();
            assert_eq!(flagged, described, "{name}: {}", row.id());
        }
    }
}

/// clap's own consistency checks (no duplicate names or flags, valid settings) pass for the
/// command line of every fixture, and every row is a subcommand.
#[test]
fn every_construct_builds_a_valid_command_line() {
    for (name, table, api) in FIXTURES {
        let command = falcon_ioc::command(table, api);
        command.clone().debug_assert();
        let subcommands: BTreeSet<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
        for entry in api.operations {
            assert!(subcommands.contains(entry.name), "{name}: {}", entry.name);
        }
        assert_eq!(
            subcommands.len(),
            table.len() + 4,
            "{name}: rows + completions + man + sync + export"
        );
        for flag in &falcon_ioc::opt::ALL_FLAGS {
            assert!(
                api.reserved_flags.contains(flag),
                "{name}: the generator must keep --{flag} free"
            );
        }
        for command in &falcon_ioc::cmd::ALL {
            assert!(
                api.reserved_commands.contains(command),
                "{name}: the generator must keep `{command}` free"
            );
        }
    }
}

/// A sample value of a parameter's kind, as typed on a command line.
fn sample(kind: Kind) -> &'static str {
    let scalar = match kind {
        Kind::Scalar(s) | Kind::Array(s, _) => s,
        Kind::File => return "",
        Kind::Structured(_) => return r#"{"a":1}"#,
    };
    match (scalar, matches!(kind, Kind::Array(..))) {
        (Scalar::String, false) => "x",
        (Scalar::String, true) => "a,b",
        (Scalar::Integer, false) => "7",
        (Scalar::Integer, true) => "1,2",
        (Scalar::Number, _) => "1.5",
        (Scalar::Boolean, _) => "true",
    }
}

fn parse(table: &'static [&'static Operation], api: &'static Api, argv: &[String]) -> Invocation {
    let argv = std::iter::once("falcon-ioc".to_string()).chain(argv.iter().cloned());
    match falcon_ioc::parse(table, api, argv) {
        Ok(Ok(Parsed::Call(invocation))) => invocation,
        Ok(Ok(other)) => panic!("not a call: {other:?}"),
        Ok(Err(failure)) => panic!("refused: {failure:?}"),
        Err(e) => panic!("{}", e.render()),
    }
}

fn offline_client() -> falcon_runtime::Client {
    falcon_runtime::Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("unused")
        .build()
        .unwrap()
}

/// Every operation of every fixture, with its required flags (and only those), by its name and
/// by each alias: it parses to its own row, and the runtime accepts the arguments as they are
/// (a preview checks them exactly as `command()` does, sending nothing).
#[test]
fn every_operation_of_every_construct_is_reachable_and_accepted() {
    let file =
        std::env::temp_dir().join(format!("falcon-ioc-constructs-{}.txt", std::process::id()));
    std::fs::write(&file, "hello").unwrap();
    let client = offline_client();
    for (name, table, api) in FIXTURES {
        for row in *table {
            let entry = api.operation(row.id()).unwrap();
            let mut flags = Vec::new();
            for param in row.params.iter().filter(|p| p.required) {
                match param.kind {
                    Kind::File => {
                        flags.push("--file".to_string());
                        flags.push(format!("{}={}", param.arg, file.display()));
                    }
                    kind => {
                        let flag = entry.param(param.arg).unwrap().flag;
                        flags.push(format!("--{flag}={}", sample(kind)));
                    }
                }
            }
            match row.body {
                Some(b) if b.required => flags.push(match b.media_type {
                    None => "--body={}".to_string(),
                    // A raw body of a wildcard type (`image/*`) is sent as a type the caller
                    // names.
                    Some(media) if media.contains('*') => {
                        format!("--body=@{};type=image/png", file.display())
                    }
                    Some(_) => format!("--body=@{}", file.display()),
                }),
                _ => {}
            }
            for command in std::iter::once(entry.name).chain(entry.aliases.iter().copied()) {
                let mut argv = vec![command.to_string()];
                argv.extend(flags.iter().cloned());
                let invocation = parse(table, api, &argv);
                assert!(std::ptr::eq(invocation.operation, *row), "{name}: {argv:?}");
                client
                    .preview_command(table, row.id(), invocation.args)
                    .unwrap_or_else(|e| panic!("{name}: {argv:?}: {e}"));
            }
        }
    }
    let _ = std::fs::remove_file(file);
}

/// Each flag sets its own parameter under the wire name, typed as the row says.
#[test]
fn flags_carry_typed_values_under_wire_names() {
    let table = codegen_fixtures::arrays::table::OPERATIONS;
    let entry = arrays::API.operation(table[0].id()).unwrap();
    let mut argv = vec![entry.name.to_string()];
    for param in table[0].params {
        let flag = entry.param(param.name).unwrap().flag;
        argv.push(format!("--{flag}"));
        argv.push(sample(param.kind).to_string());
    }
    let invocation = parse(table, &arrays::API, &argv);
    for param in table[0].params {
        let value = &invocation.args[param.name];
        match param.kind {
            Kind::Array(Scalar::Integer, _) => assert_eq!(value, &json!([1, 2]), "{}", param.name),
            Kind::Array(..) => assert_eq!(value, &json!(["a", "b"]), "{}", param.name),
            Kind::Scalar(Scalar::Integer) => assert_eq!(value, &json!(7), "{}", param.name),
            Kind::Scalar(Scalar::String) => assert_eq!(value, &json!("x"), "{}", param.name),
            other => panic!("arrays.yaml grew a {other:?} parameter; extend this test"),
        }
    }
    // Repeating a list flag adds to it; a comma splits.
    let dotted = codegen_fixtures::dotted_names::table::OPERATIONS;
    let entry = dotted_names::API.operation(dotted[0].id()).unwrap();
    let param = &entry.params[0];
    assert_ne!(
        param.flag, param.name,
        "a dotted wire name gets a kebab flag"
    );
    for flag in [param.flag, param.aliases[0]] {
        let argv = vec![
            entry.name.to_string(),
            format!("--{flag}"),
            "2024-01-01".into(),
        ];
        let invocation = parse(dotted, &dotted_names::API, &argv);
        assert_eq!(invocation.args[param.name], json!("2024-01-01"), "--{flag}");
    }
}

/// Parameters sharing a wire name in different places: each has its own flag and goes under
/// the name the row gives it in calls (`query_path` beside the path's `path`), which the runtime
/// sends under the wire name.
#[test]
fn same_named_parameters_get_a_flag_each() {
    let table = codegen_fixtures::same_names::table::OPERATIONS;
    let args = |argv: &[&str]| {
        let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
        parse(table, &same_names::API, &argv).args
    };
    assert_eq!(
        args(&[
            "proxy-get",
            "--name=n",
            "--path=p",
            "--query-path=/healthz",
            "--trace=q",
            "--header-trace=h",
        ]),
        json!({"name": "n", "path": "p", "query_path": "/healthz", "trace": "q", "header_trace": "h"})
    );
    assert_eq!(
        args(&[
            "create-call",
            "--account-sid=AC1",
            "--form-account-sid=AC2",
            "--to=+1",
        ]),
        json!({"AccountSid": "AC1", "form_AccountSid": "AC2", "To": "+1"})
    );
}

/// Files go as multipart parts through `--file FIELD=PATH[;type=MIME]`, with the other fields.
#[test]
fn files_become_multipart_parts() {
    let table = codegen_fixtures::uploads::table::OPERATIONS;
    let path = std::env::temp_dir().join(format!("falcon-ioc-upload-{}.txt", std::process::id()));
    std::fs::write(&path, "twelve bytes").unwrap();
    let argv: Vec<String> = [
        "upload-file-v1".to_string(),
        "--file".into(),
        format!("file={};type=text/plain", path.display()),
        "--comment".into(),
        "a note".into(),
        "--tags".into(),
        "a,b".into(),
        "--scope".into(),
        "s1".into(),
    ]
    .into();
    let invocation = parse(table, &uploads::API, &argv);
    let preview = offline_client()
        .preview_command(table, "UploadFileV1", invocation.args)
        .unwrap();
    assert!(
        preview.url.ends_with("/files/entities/files/v1?scope=s1"),
        "{}",
        preview.url
    );
    let PreviewBody::Multipart(parts) = preview.body else {
        panic!("{:?}", preview.body)
    };
    let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        parts.contains(&PreviewPart::File {
            name: "file".into(),
            file_name,
            content_type: "text/plain".into(),
            len: 12,
        }),
        "{parts:?}"
    );
    assert!(parts.contains(&PreviewPart::Text {
        name: "comment".into(),
        value: "a note".into()
    }));
    assert!(parts.contains(&PreviewPart::Text {
        name: "tags".into(),
        value: "b".into()
    }));
    // A field that is not a file of the operation is refused, naming the ones there are.
    let mut bad = argv.clone();
    bad[2] = format!("comment={}", path.display());
    let argv = std::iter::once("falcon-ioc".to_string()).chain(bad);
    match falcon_ioc::parse(table, &uploads::API, argv) {
        Ok(Err(failure)) => {
            assert_eq!(failure.code(), 2);
            assert!(
                format!("{failure:?}").contains("fields: file"),
                "{failure:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_file(path);
}

/// An object parameter's flag takes JSON, as `--body` does, and goes in the row's style: a
/// query object exploded, a multipart object a JSON part.
#[test]
fn object_flags_take_json() {
    let table = codegen_fixtures::structured_params::table::OPERATIONS;
    let argv: Vec<String> = [
        "search",
        "--filter",
        r#"{"status": "open"}"#,
        "--created",
        r#"{"gte": 1}"#,
    ]
    .map(String::from)
    .into();
    let invocation = parse(table, &structured_params::API, &argv);
    assert_eq!(invocation.args["filter"], json!({"status": "open"}));
    let preview = offline_client()
        .preview_command(table, "search", invocation.args)
        .unwrap();
    assert!(
        preview
            .url
            .ends_with("/search?status=open&created%5Bgte%5D=1"),
        "{}",
        preview.url
    );
    let path = std::env::temp_dir().join(format!("falcon-ioc-object-{}.txt", std::process::id()));
    std::fs::write(&path, "hi").unwrap();
    let argv: Vec<String> = [
        "upload-file".to_string(),
        "--file".into(),
        format!("file={}", path.display()),
        "--attributes".into(),
        r#"{"name": "a.txt"}"#.into(),
    ]
    .into();
    let invocation = parse(table, &structured_params::API, &argv);
    let preview = offline_client()
        .preview_command(table, "uploadFile", invocation.args)
        .unwrap();
    let _ = std::fs::remove_file(path);
    let PreviewBody::Multipart(parts) = preview.body else {
        panic!("{:?}", preview.body)
    };
    assert!(
        parts.contains(&PreviewPart::Json {
            name: "attributes".into(),
            value: r#"{"name":"a.txt"}"#.into()
        }),
        "{parts:?}"
    );
    // Text that is not JSON is refused before anything is sent.
    let argv = ["falcon-ioc", "search", "--filter", "{status"].map(String::from);
    match falcon_ioc::parse(table, &structured_params::API, argv) {
        Ok(Err(failure)) => assert!(
            format!("{failure:?}").contains("parameter `filter`: the argument is not JSON"),
            "{failure:?}"
        ),
        other => panic!("{other:?}"),
    }
}

/// `--body` of an operation whose body is raw bytes: a file's bytes as they are (under the
/// declared type, or the one `;type=` names), or the text given.
#[test]
fn a_raw_body_is_the_files_bytes() {
    let table = codegen_fixtures::raw_bodies::table::OPERATIONS;
    let path = std::env::temp_dir().join(format!("falcon-ioc-raw-{}.tar", std::process::id()));
    std::fs::write(&path, b"\x00\xffnot json").unwrap();
    let preview = |argv: &[String]| {
        let invocation = parse(table, &raw_bodies::API, argv);
        offline_client()
            .preview_command(table, invocation.operation.id(), invocation.args)
            .unwrap()
            .body
    };
    let raw = |content_type: &str, len: usize| PreviewBody::Raw {
        content_type: content_type.into(),
        len,
    };
    let at = format!("--body=@{}", path.display());
    assert_eq!(
        preview(&["put-archive".into(), "--id=a".into(), at.clone()]),
        raw("application/octet-stream", 10)
    );
    assert_eq!(
        preview(&[
            "put-archive".into(),
            "--id=a".into(),
            format!("{at};type=application/x-tar")
        ]),
        raw("application/x-tar", 10)
    );
    assert_eq!(
        preview(&["create-note".into(), "--body=some text".into()]),
        raw("text/plain; charset=utf-8", 9)
    );
    let _ = std::fs::remove_file(path);
}
