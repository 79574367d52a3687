//! The whole Falcon API (Swagger 2.0, 538 operations) through the library: every operation and
//! definition generated, each known defect a located warning. Reads `../shared/` at run time
//! and skips without it. (The generated crate is compiled by `xtask/tests/whole_api.rs`.)

mod support;

use codegen::{EmitOptions, generate};

fn the_whole_falcon_api_generates_with_located_warnings() {
    let Some(text) = support::read_spec("crimson-falcon_2023-06-14_swagger-patched.json") else {
        return;
    };
    let generated = generate(&text, &EmitOptions::default()).unwrap();
    let api = &generated.api;
    assert_eq!(api.operations.len(), 538);
    let definitions = api
        .models
        .iter()
        .filter(|m| {
            m.pointer
                .strip_prefix("#/components/schemas/")
                .is_some_and(|rest| !rest.contains('/'))
        })
        .count();
    assert_eq!(definitions, 857);

    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
    let all = warnings.join("\n");
    for w in &generated.warnings {
        // Located in the document as written (Swagger 2.0 pointers), with a fix.
        assert!(
            w.pointer.starts_with("#/paths/") || w.pointer.starts_with("#/definitions/"),
            "{w}"
        );
        assert!(!w.pointer.contains("/components/"), "{w}");
        assert!(w.hint.is_some(), "{w}");
        if w.pointer.starts_with("#/paths/") {
            assert!(w.operation.is_some(), "{w}");
        }
    }
    // The README's known defects.
    let dangling = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("#/definitions/msaspec.Paging"))
        .count();
    // The README counts 7; `#/definitions/fwmgr.msaspec.Paging`, which exists, is the seventh match
    // of a plain text search.
    assert_eq!(dangling, 6, "{all}");
    assert!(all.contains("response has no `description`"), "{all}");
    assert_eq!(
        all.matches("is \"false\", not a boolean").count(),
        2,
        "{all}"
    );
    assert!(all.contains("`If-Modified-Since` is listed twice"), "{all}");
    // The four snake_case collisions, each side renamed by the rule.
    for (id, method) in [
        ("query-rules", "query_rules_fwmgr"),
        ("QueryRules", "query_rules_ti"),
        ("query-events", "query_events_fwmgr"),
        ("QueryEvents", "query_events_ti"),
        ("GetVulnerabilities", "get_vulnerabilities_intel"),
        ("getVulnerabilities", "get_vulnerabilities_spotlight"),
        ("QueryVulnerabilities", "query_vulnerabilities_intel"),
        ("queryVulnerabilities", "query_vulnerabilities_spotlight"),
    ] {
        let op = api.operations.iter().find(|o| o.id == id).unwrap();
        assert_eq!(op.method_name, method);
        assert!(all.contains(&format!("`{id}` becomes `{method}`")), "{all}");
    }
    // The seven uploads are multipart forms with their file; `ArchiveUploadV1`, whose body is raw
    // bytes, takes them as its body (`application/octet-stream`).
    assert!(!all.contains("multipart"), "{all}");
    assert!(!all.contains("file upload"), "{all}");
    for (id, file) in [
        ("ArchiveUploadV2", "file"),
        ("CaseAddAttachment", "file"),
        ("RTR-CreatePut-Files", "file"),
        ("RTR-CreateScripts", "file"),
        ("RTR-UpdateScripts", "file"),
        ("UploadSampleV2", "sample"),
        ("UploadSampleV3", "sample"),
    ] {
        let op = api.operations.iter().find(|o| o.id == id).unwrap();
        assert_eq!(
            op.form_encoding(),
            Some(codegen::ir::FormEncoding::Multipart),
            "{id}"
        );
        let param = op.params.iter().find(|p| p.name == file).unwrap();
        assert_eq!(param.kind, codegen::ir::Kind::File, "{id}");
    }
    assert_eq!(
        api.operations
            .iter()
            .flat_map(|o| &o.params)
            .filter(|p| p.kind == codegen::ir::Kind::File)
            .count(),
        7
    );
    let archive = api
        .operations
        .iter()
        .find(|o| o.id == "ArchiveUploadV1")
        .unwrap();
    let body = archive.body.as_ref().unwrap();
    assert_eq!(
        (body.format, body.content_type.as_str()),
        (codegen::ir::BodyFormat::Bytes, "application/octet-stream")
    );
    assert!(!all.contains("ArchiveUploadV1): request body"), "{all}");
    assert_eq!(warnings.len(), 25, "{all}");
    eprintln!(
        "{} operations, {} models, {} warnings",
        api.operations.len(),
        api.models.len(),
        warnings.len()
    );
}

/// Patches on the real file: a definition for the dangling reference, a renamed operation.
/// The warnings they answer go away, and the renamed operation leaves the collision rule.
fn patches_fix_the_whole_falcon_api() {
    let Some(text) = support::read_spec("crimson-falcon_2023-06-14_swagger-patched.json") else {
        return;
    };
    let patches = codegen::Patches::parse(
        r#"
patches:
  - op: set
    at: '#/definitions/msaspec.Paging'
    value: {type: object, properties: {limit: {type: integer}, offset: {type: integer}, total: {type: integer}}}
    reason: referenced by six definitions, defined by none
  - op: rename-operation
    operation: query-rules
    to: queryFirewallRules
    reason: QueryRules takes the name query_rules
"#,
        "test-patches.yaml",
    )
    .unwrap();
    let (api, warnings) = codegen::read_api(&text, &patches).unwrap();
    let all: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert!(!all.iter().any(|w| w.contains("msaspec.Paging")), "{all:?}");
    assert!(!all.iter().any(|w| w.contains("query_rules")), "{all:?}");
    let method = |id: &str| {
        api.operations
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.method_name.clone())
    };
    assert_eq!(method("QueryRules").as_deref(), Some("query_rules"));
    assert_eq!(
        method("queryFirewallRules").as_deref(),
        Some("query_firewall_rules")
    );
    assert!(api.models.iter().any(|m| m.name == "msaspec.Paging"));
}

fn main() {
    support::run(&[
        trial!(
            the_whole_falcon_api_generates_with_located_warnings,
            support::needs_upstream
        ),
        trial!(patches_fix_the_whole_falcon_api, support::needs_upstream),
    ]);
}
