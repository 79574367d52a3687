//! `import` and `diff`, on `spec/ioc.yaml`, hand-made variants of it, and (when `../shared/` is
//! there) the upstream Falcon spec. Tests that need `../shared/` say they are skipped without it
//! (`tests/support`).

mod support;
#[path = "support/unfixed.rs"]
mod unfixed;

use std::path::{Path, PathBuf};

use codegen::diff::{Change, ChangeKind, diff, report};
use codegen::import::{Selection, import};
use codegen::{Patches, read_api};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn shared(file: &str) -> Option<String> {
    support::read_spec(file)
}

fn ioc_text() -> String {
    std::fs::read_to_string(root().join("spec/ioc.yaml")).unwrap()
}

fn api(text: &str) -> codegen::ir::Api {
    read_api(text, &Patches::default()).unwrap().0
}

/// Operations `spec/ioc.yaml` has that the upstream spec lacks (FalconPy-only), the schema only
/// they use, and our value sets (open enums of the values a field takes).
const IOC_ONLY: &[&str] = &[
    "- removed operation `GetIOC` (GET /indicators/entities/iocs/v1)  [BREAKING]",
    "- removed operation `CreateIOC` (POST /indicators/entities/iocs/v1)  [BREAKING]",
    "- removed operation `DeleteIOC` (DELETE /indicators/entities/iocs/v1)  [BREAKING]",
    "- removed operation `UpdateIOC` (PATCH /indicators/entities/iocs/v1)  [BREAKING]",
    "- removed operation `QueryIOCs` (GET /indicators/queries/iocs/v1)  [BREAKING]",
    "- removed operation `indicator_get_device_count_v1` (GET /iocs/aggregates/indicators/device-count/v1)  [BREAKING]",
    "- removed operation `indicator_get_devices_ran_on_v1` (GET /iocs/queries/indicators/devices/v1)  [BREAKING]",
    "- removed operation `indicator_get_processes_ran_on_v1` (GET /iocs/queries/indicators/processes/v1)  [BREAKING]",
    "- removed operation `indicator_sdmf_query_v1` (POST /iocs/sdmf/query/v1)  [BREAKING]",
    "- removed schema `Action`  [BREAKING]",
    "- removed schema `IndicatorType`  [BREAKING]",
    "- removed schema `Platform`  [BREAKING]",
    "- removed schema `Severity`  [BREAKING]",
    "- removed schema `api.SdmfQueryRequest`  [BREAKING]",
];

/// `upstream_subset` is `spec/ioc.yaml` but for what the overlay adds or fixes on purpose.
fn assert_same_as_ioc_spec(upstream_subset: &codegen::ir::Api) {
    let changes = diff(&api(&unfixed::ioc_spec_unfixed(&root())), upstream_subset);
    let lines: Vec<String> = changes.iter().map(Change::to_string).collect();
    let unexpected: Vec<&String> = lines
        .iter()
        .filter(|l| !IOC_ONLY.contains(&l.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "spec/ioc.yaml and upstream differ:\n{}",
        report(&changes)
    );
    for line in IOC_ONLY {
        assert!(lines.iter().any(|l| l == line), "expected: {line}");
    }
    assert_eq!(upstream_subset.operations.len(), 17);
}

fn import_of_the_upstream_spec_matches_the_ioc_spec() {
    let Some(upstream) = shared("crimson-falcon_2023-06-14_swagger-patched.json") else {
        return;
    };
    let selection = Selection {
        tags: vec!["ioc".into(), "iocs".into()],
        operations: vec!["entities.processes".into()],
    };
    let imported = import(&upstream, &selection).unwrap();
    assert_eq!(imported.operations, 17);
    assert_eq!(imported.schemas, 40);
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    // The YAML written is itself a spec the generator reads.
    let subset = api(&imported.yaml);
    assert_same_as_ioc_spec(&subset);
    // And it equals CrowdStrike's own subset, converted by someone else.
    if let Some(theirs) = shared("ioc_openapi3.json") {
        assert_eq!(diff(&subset, &api(&theirs)), Vec::new());
    }
}

fn diff_of_the_ioc_spec_against_the_upstream_subset() {
    let Some(theirs) = shared("ioc_openapi3.json") else {
        return;
    };
    assert_same_as_ioc_spec(&api(&theirs));
}

fn swagger_2_and_openapi_3_of_the_same_subset_generate_the_same_client() {
    let (Some(v2), Some(v3)) = (shared("ioc_swagger2.json"), shared("ioc_openapi3.json")) else {
        return;
    };
    assert_eq!(diff(&api(&v2), &api(&v3)), Vec::new());
}

fn import_refuses_unknown_ids_and_empty_selections() {
    let e = import(
        &ioc_text(),
        &Selection {
            tags: vec![],
            operations: vec!["nope".into()],
        },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "error at #/paths: no operation has the id `nope`; check the tags and ids in the source"
    );
    assert!(import(&ioc_text(), &Selection::default()).is_err());
}

fn import_keeps_only_what_the_operations_reach() {
    let imported = import(
        &ioc_text(),
        &Selection {
            tags: vec![],
            operations: vec!["indicator.get.v1".into()],
        },
    )
    .unwrap();
    assert_eq!(imported.operations, 1);
    let a = api(&imported.yaml);
    assert_eq!(a.operations.len(), 1);
    let full = api(&ioc_text());
    assert!(a.models.len() < full.models.len());
    // Nothing reached is missing: the subset generates without warnings.
    let (_, warnings) = read_api(&imported.yaml, &Patches::default()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// Hand-made variants of `spec/ioc.yaml`, one change of each kind.
fn diff_of_hand_made_variants() {
    let base: Value = serde_yaml_ng::from_str(&ioc_text()).unwrap();
    let old = api(&ioc_text());
    let variant = |edit: &dyn Fn(&mut Value)| -> Vec<Change> {
        let mut v = base.clone();
        edit(&mut v);
        diff(&old, &api(&serde_json::to_string(&v).unwrap()))
    };
    let ops = "/paths/~1iocs~1entities~1indicators~1v1";
    let schemas = "/components/schemas";

    // Nothing changed.
    assert_eq!(variant(&|_| {}), Vec::new());

    // An operation removed: breaking.
    let changes = variant(&|v| {
        v.pointer_mut(ops)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove("get");
    });
    assert_eq!(changes.len(), 1, "{}", report(&changes));
    assert_eq!(changes[0].kind, ChangeKind::Removed);
    assert!(changes[0].breaking);
    assert!(
        changes[0]
            .subject
            .starts_with("operation `indicator.get.v1`")
    );

    // A new optional query parameter: not breaking; a new required one: breaking.
    let add_param = |required: bool| {
        move |v: &mut Value| {
            let params = v
                .pointer_mut(&format!("{ops}/get/parameters"))
                .unwrap()
                .as_array_mut()
                .unwrap();
            params.push(json!({"name": "extra", "in": "query", "required": required,
                "schema": {"type": "string"}}));
        }
    };
    let changes = variant(&add_param(false));
    assert_eq!(
        report(&changes),
        "+ added   parameter `extra` of `indicator.get.v1`\n1 changes, 0 breaking\n"
    );
    let changes = variant(&add_param(true));
    assert_eq!(
        report(&changes),
        "+ added   parameter `extra` of `indicator.get.v1`: required  [BREAKING]\n1 changes, 1 breaking\n"
    );

    // A field's type changed, a field removed.
    let changes = variant(&|v| {
        let s = v.pointer_mut(schemas).unwrap();
        let indicator = s.get_mut("api.IndicatorV1").unwrap();
        indicator["properties"]["deleted"] = json!({"type": "string"});
        indicator["properties"]
            .as_object_mut()
            .unwrap()
            .remove("expired");
    });
    let text = report(&changes);
    assert!(
        text.contains(
            "~ changed field `deleted` of `api.IndicatorV1`: type boolean → string  [BREAKING]"
        ),
        "{text}"
    );
    assert!(
        text.contains("- removed field `expired` of `api.IndicatorV1`  [BREAKING]"),
        "{text}"
    );

    // A path changed: reported, not breaking (the method keeps its name).
    let changes = variant(&|v| {
        let paths = v.get_mut("paths").unwrap().as_object_mut().unwrap();
        let item = paths.remove("/iocs/entities/indicators/v1").unwrap();
        paths.insert("/iocs/entities/indicators/v2".into(), item);
    });
    assert!(changes.iter().all(|c| !c.breaking), "{}", report(&changes));
    assert!(!changes.is_empty());
}

const UPSTREAM: &str = "crimson-falcon_2023-06-14_swagger-patched.json";

fn overlay() -> codegen::overlay::Overlay {
    let text = std::fs::read_to_string(root().join("spec/overlay.yaml")).unwrap();
    codegen::overlay::Overlay::parse(&text, "spec/overlay.yaml").unwrap()
}

/// `spec/ioc.yaml` is what `cargo xtask spec update` makes of the upstream file and
/// `spec/overlay.yaml`, to the byte, with every place described in our words.
fn the_committed_spec_is_upstream_plus_overlay() {
    let Some(upstream) = shared(UPSTREAM) else {
        return;
    };
    let built = codegen::overlay::build(&upstream, &overlay(), UPSTREAM, "spec/ioc.yaml").unwrap();
    assert_eq!(built.warnings, Vec::new());
    assert_eq!(
        built.stats,
        codegen::overlay::Stats {
            upstream_operations: 17,
            added_operations: 9,
            added_schemas: 5,
            superseded: 0,
            fixes: 46,
            schemas: 45,
            placeholders: 0,
        }
    );
    assert!(
        built.text == ioc_text(),
        "spec/ioc.yaml is not what upstream and spec/overlay.yaml give: run `cargo xtask spec update ../shared/crowdstrike-falcon-spec/{UPSTREAM}`"
    );
    // The IOC subset of the same upstream gives the same spec: only what we import counts.
    if let Some(subset) = shared("ioc_swagger2.json") {
        let from_subset =
            codegen::overlay::build(&subset, &overlay(), UPSTREAM, "spec/ioc.yaml").unwrap();
        assert!(from_subset.text == built.text);
    }
}

/// Dropping upstream's prose from the whole Falcon API leaves the client it makes unchanged,
/// and no prose behind: every description and summary left is the placeholder.
fn the_import_drops_all_upstream_prose_and_nothing_else() {
    let Some(upstream) = shared(UPSTREAM) else {
        return;
    };
    let (mut doc, _) = codegen::import::read(&upstream).unwrap();
    let before = api(&serde_json::to_string(&doc).unwrap());
    codegen::import::strip_text(&mut doc);
    let after = api(&serde_json::to_string(&doc).unwrap());
    assert_eq!(diff(&before, &after), Vec::new());
    assert_eq!(before.models.len(), after.models.len());

    fn prose(v: &Value, names: bool, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if !names && ["description", "summary"].contains(&k.as_str()) {
                        if let Some(text) = x.as_str() {
                            out.push(text.to_string());
                        }
                    } else if !k.starts_with("x-") {
                        let name_map = [
                            "properties",
                            "paths",
                            "schemas",
                            "responses",
                            "headers",
                            "content",
                            "scopes",
                        ];
                        prose(
                            x,
                            !names && name_map.contains(&k.as_str()) && x.is_object(),
                            out,
                        );
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| prose(x, false, out)),
            _ => {}
        }
    }
    let mut left = Vec::new();
    prose(&doc, false, &mut left);
    left.retain(|t| t != codegen::import::PLACEHOLDER);
    assert_eq!(left, Vec::<String>::new());
    assert_eq!(doc["info"].get("description"), None);
    assert_eq!(doc["info"]["title"], "CrowdStrike API Specification");
    // A property *named* description is structure: the indicators keep theirs.
    assert_eq!(
        doc["components"]["schemas"]["api.IndicatorV1"]["properties"]["description"],
        json!({"type": "string"})
    );
}

fn main() {
    support::run(&[
        trial!(
            import_of_the_upstream_spec_matches_the_ioc_spec,
            support::needs_upstream
        ),
        trial!(
            diff_of_the_ioc_spec_against_the_upstream_subset,
            support::needs_upstream
        ),
        trial!(
            swagger_2_and_openapi_3_of_the_same_subset_generate_the_same_client,
            support::needs_upstream
        ),
        trial!(import_refuses_unknown_ids_and_empty_selections),
        trial!(import_keeps_only_what_the_operations_reach),
        trial!(diff_of_hand_made_variants),
        trial!(
            the_committed_spec_is_upstream_plus_overlay,
            support::needs_upstream
        ),
        trial!(
            the_import_drops_all_upstream_prose_and_nothing_else,
            support::needs_upstream
        ),
    ]);
}
