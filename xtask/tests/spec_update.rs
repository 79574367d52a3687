//! `cargo xtask spec update` as the maintainer runs it, on upstream files made in the test from
//! the real one in `../shared/` (read at run time; skipped, and said so, without it):
//! the committed spec, client and snapshots are what an update gives; a changed upstream goes
//! through the round with the diff of upstream's changes only, the error of the fix it moved
//! under, a warning for our words on the parameter it dropped (which `--prune-text` removes
//! from the overlay, and nothing else), a regenerated client that compiles, and a run after
//! that changes nothing; `--deny-breaking` refuses a breaking update and writes nothing.
//!
//! The regenerated client is compiled with the runtime's dependencies in `<target>/whole-api`,
//! which `xtask/tests/whole_api.rs` builds too.

#[path = "../../codegen/tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codegen::overlay::Overlay;
use serde_json::{Value, json};

const UPSTREAM: &str = "crimson-falcon_2023-06-14_swagger-patched.json";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

fn xtask<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// How the xtask names a file: relative to the workspace when inside it.
fn label(path: &Path) -> String {
    let root = workspace().canonicalize().unwrap();
    let absolute = path.canonicalize().unwrap();
    match absolute.strip_prefix(&root) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => path.display().to_string(),
    }
}

/// Lines of `output` that start with one of `prefixes`.
fn lines_starting(output: &str, prefixes: &[&str]) -> Vec<String> {
    output
        .lines()
        .filter(|l| prefixes.iter().any(|p| l.starts_with(p)))
        .map(str::to_string)
        .collect()
}

/// With the committed inputs, an update would change nothing: spec, client and snapshots are
/// current (`--check` writes nothing).
fn the_committed_spec_client_and_snapshots_are_what_an_update_gives() {
    let Some(upstream) = support::existing_spec(UPSTREAM) else {
        return;
    };
    let out = xtask(&[
        "spec".as_ref(),
        "update".as_ref(),
        upstream.as_os_str(),
        "--check".as_ref(),
    ]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for expected in [
        "0 changes, 0 breaking",
        "spec/ioc.yaml: unchanged",
        "generated code: unchanged (ioc-client/src/generated)",
        "snapshots: current",
        "spec update: nothing changed",
    ] {
        assert!(stdout.contains(expected), "{expected}:\n{stdout}");
    }
    // The spec needs no placeholder (the fixtures' own warnings are `<file>: warning ...`).
    assert_eq!(
        lines_starting(&stderr, &["warning", "error"]),
        Vec::<String>::new()
    );
}

/// The upstream file with the changes a new release might bring.
fn changed_upstream(upstream: &str) -> Value {
    let mut doc: Value = serde_json::from_str(upstream).unwrap();
    let paths = doc["paths"].as_object_mut().unwrap();
    // A new operation (its text is upstream's, and must not reach our spec).
    let responses = paths["/iocs/entities/indicators/v1"]["delete"]["responses"].clone();
    paths.insert(
        "/iocs/entities/indicators-archive/v1".into(),
        json!({"post": {
            "tags": ["ioc"], "operationId": "indicator.archive.v1",
            "summary": "UPSTREAM PROSE: archive indicators",
            "security": [{"oauth2": ["ioc:write"]}],
            "parameters": [{"name": "ids", "in": "query", "type": "array", "items": {"type": "string"},
                            "collectionFormat": "multi", "required": true, "description": "UPSTREAM PROSE: ids"}],
            "responses": responses,
        }}),
    );
    // A search parameter added, one removed.
    let search = paths["/iocs/queries/indicators/v1"]["get"]["parameters"]
        .as_array_mut()
        .unwrap();
    search.retain(|p| p["name"] != "from_parent");
    search.push(
        json!({"name": "include_expired", "in": "query", "type": "boolean",
                       "description": "UPSTREAM PROSE: include expired"}),
    );
    // Upstream now has one of the operations our overlay adds, as FalconPy describes it.
    let get = paths["/iocs/entities/indicators/v1"]["get"].clone();
    paths.insert(
        "/indicators/entities/iocs/v1".into(),
        json!({"get": {
            "tags": ["iocs"], "operationId": "GetIOC",
            "security": [{"oauth2": ["iocs:read"]}],
            "parameters": [
                {"name": "type", "in": "query", "type": "string", "required": true},
                {"name": "value", "in": "query", "type": "string", "required": true},
            ],
            "responses": get["responses"],
        }}),
    );
    // A new indicator field.
    doc["definitions"]["api.IndicatorV1"]["properties"]["confidence"] =
        json!({"type": "string", "description": "UPSTREAM PROSE: confidence"});
    // Upstream fixed its default security, under our fix of it.
    doc["security"] = json!([{"oauth2": []}]);
    doc
}

fn a_changed_upstream_goes_through_the_whole_round() {
    let Some(upstream) = support::read_spec(UPSTREAM) else {
        return;
    };
    let dir = target().join("spec-update-round");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (overlay, spec, client, new) = (
        dir.join("overlay.yaml"),
        dir.join("ioc.yaml"),
        dir.join("client"),
        dir.join("new-upstream.json"),
    );
    // The maintainer's files, in a scratch folder: the overlay, the spec and the client of today.
    std::fs::copy(workspace().join("spec/overlay.yaml"), &overlay).unwrap();
    std::fs::copy(workspace().join("spec/ioc.yaml"), &spec).unwrap();
    let made = xtask(&[
        "codegen".as_ref(),
        "--spec".as_ref(),
        spec.as_os_str(),
        "--out".as_ref(),
        client.as_os_str(),
        "--crate".as_ref(),
        "ioc-round".as_ref(),
    ]);
    assert!(made.status.success(), "{made:?}");
    std::fs::write(
        &new,
        serde_json::to_string(&changed_upstream(&upstream)).unwrap(),
    )
    .unwrap();
    let update = |upstream: &Path, extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "spec".as_ref(),
            "update".as_ref(),
            upstream.as_os_str(),
            "--overlay".as_ref(),
            overlay.as_os_str(),
            "--spec".as_ref(),
            spec.as_os_str(),
            "--out".as_ref(),
            client.as_os_str(),
        ];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        let out = xtask(&args);
        (out.status.success(), text(&out.stdout), text(&out.stderr))
    };
    let spec_of_today = std::fs::read_to_string(&spec).unwrap();

    // 1. Upstream moved under a fix of the overlay: a structural entry, so an error naming it,
    // and nothing written. Our words for the parameter it dropped are only a warning.
    let (ok, stdout, stderr) = update(&new, &[]);
    assert!(!ok, "{stdout}\n{stderr}");
    let overlay_label = label(&overlay);
    let stale_parameter = format!(
        "warning at {overlay_label}#/text/operations/indicator.search.v1/parameters/from_parent: operation `indicator.search.v1` has no parameter `from_parent` (its parameters: `after`, `filter`, `include_expired`, `limit`, `offset`, `sort`); upstream dropped or renamed the parameter: the entry can go"
    );
    assert_eq!(
        lines_starting(&stderr, &["error"]),
        [format!(
            "error at {overlay_label}#/fixes/0: expected [{{\"OAuth2\":[]}}] at #/security, found [{{\"oauth2\":[]}}]; upstream moved under the fix (upstream's default security names `OAuth2`, but the scheme it defines is `oauth2`): update or drop it"
        )],
        "{stderr}"
    );
    assert!(stderr.contains(&stale_parameter), "{stderr}");
    assert!(stderr.contains("spec update: nothing written"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), spec_of_today);

    // 2. The maintainer drops the fix; the update goes through, our stale words named.
    let overlay_of_today = std::fs::read_to_string(&overlay).unwrap();
    // The security fix: its entry, up to the blank line after it.
    let fix_start = overlay_of_today
        .find("\n  - op: set\n    at: '#/security'\n")
        .unwrap();
    let fix_end = fix_start + overlay_of_today[fix_start..].find("\n\n").unwrap();
    let without_fix = format!(
        "{}{}",
        &overlay_of_today[..fix_start],
        &overlay_of_today[fix_end..]
    );
    std::fs::write(&overlay, &without_fix).unwrap();
    // What the prune below must leave: the same file without the text of `from_parent` under
    // `indicator.search.v1`, continuation lines included, and nothing else.
    let mut pruned = without_fix.clone();
    let search = pruned.find("\n    indicator.search.v1:\n").unwrap();
    let start = search + pruned[search..].find("\n        from_parent:").unwrap();
    let mut end = start + 1 + pruned[start + 1..].find('\n').unwrap();
    while pruned[end..].starts_with("\n          ") {
        end += 1 + pruned[end + 1..].find('\n').unwrap();
    }
    pruned.replace_range(start..end, "");
    let parsed = Overlay::parse(&pruned, "overlay.yaml").unwrap();
    let search_text = &parsed.text.operations["indicator.search.v1"].parameters;
    assert!(!search_text.contains_key("from_parent"));
    assert!(search_text["after"].ends_with("first 10,000 results."));

    let (ok, stdout, stderr) = update(&new, &[]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("spec update: 1 entry of ours describes what upstream no longer has (the warnings name it); run again with --prune-text to remove it from {overlay_label}")),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&overlay).unwrap(),
        without_fix,
        "without --prune-text the overlay is not touched"
    );
    // Only upstream's changes: our nine operations and one schema are in both specs.
    assert_eq!(
        lines_starting(&stdout, &["+ ", "- ", "~ ", "4 changes"]),
        [
            "+ added   operation `indicator.archive.v1` (POST /iocs/entities/indicators-archive/v1)",
            "+ added   parameter `include_expired` of `indicator.search.v1`",
            "- removed parameter `from_parent` of `indicator.search.v1`  [BREAKING]",
            "+ added   field `confidence` of `api.IndicatorV1`",
            "4 changes, 1 breaking",
        ],
        "{stdout}"
    );
    let spec_label = label(&spec);
    assert_eq!(
        lines_starting(&stderr, &["warning", "error"]),
        [
            format!(
                "warning at {overlay_label}#/add-operations/0 (operation GetIOC): upstream now defines `GetIOC` (GET /indicators/entities/iocs/v1); upstream's definition wins and this entry is not used; remove the entry; text under `text.operations.GetIOC` describes upstream's operation"
            ),
            stale_parameter.clone(),
            format!(
                "warning at {spec_label}#/paths/~1iocs~1entities~1indicators-archive~1v1/post (operation indicator.archive.v1): no text of ours for the summary, the description, parameter `ids`; \"Not yet described.\" written; describe it under `text.operations.indicator.archive.v1` in {overlay_label}"
            ),
            format!(
                "warning at {spec_label}#/paths/~1iocs~1queries~1indicators~1v1/get (operation indicator.search.v1): no text of ours for parameter `include_expired`; \"Not yet described.\" written; describe it under `text.operations.indicator.search.v1` in {overlay_label}"
            ),
            format!(
                "warning at {spec_label}#/components/schemas/api.IndicatorV1: no text of ours for property `confidence`; \"Not yet described.\" written; describe it under `text.schemas.api.IndicatorV1` in {overlay_label}"
            ),
        ],
        "{stderr}"
    );
    let written = std::fs::read_to_string(&spec).unwrap();
    assert!(!written.contains("UPSTREAM PROSE"));
    assert!(written.contains("operationId: indicator.archive.v1"));
    assert!(
        written.contains("- oauth2: []"),
        "upstream's own fix is kept"
    );
    assert!(stdout.contains("generated code: "), "{stdout}");
    for file in ["models.rs", "operations.rs", "table.rs"] {
        assert!(
            stdout.contains(&format!("src/generated/{file} (+")),
            "{file}:\n{stdout}"
        );
    }
    let operations = std::fs::read_to_string(client.join("src/generated/operations.rs")).unwrap();
    assert!(operations.contains("pub fn indicator_archive_v1("));
    assert!(operations.contains("pub fn include_expired("));
    let models = std::fs::read_to_string(client.join("src/generated/models.rs")).unwrap();
    assert!(models.contains("pub confidence: Option<String>"));

    // The regenerated client compiles.
    let check = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--message-format=short"])
        .current_dir(&client)
        .env("CARGO_TARGET_DIR", target().join("whole-api"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let check_err = text(&check.stderr);
    assert!(check.status.success(), "cargo check failed:\n{check_err}");
    assert!(!check_err.contains("warning"), "{check_err}");

    // 3. With --prune-text the same update removes those lines from the overlay, and only them.
    let (ok, stdout, stderr) = update(&new, &["--prune-text"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stderr.contains(&stale_parameter), "{stderr}");
    assert_eq!(std::fs::read_to_string(&overlay).unwrap(), pruned);
    assert_eq!(
        lines_starting(&stdout, &[&overlay_label, "  "]),
        [
            format!("{overlay_label}: removed 1 stale entry (+0 -2 lines):"),
            format!(
                "  {overlay_label}#/text/operations/indicator.search.v1/parameters/from_parent (2 lines)"
            ),
        ],
        "{stdout}"
    );
    assert!(stdout.contains("0 changes, 0 breaking"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), written);

    // 4. The same again changes nothing, warns of nothing stale, and says so.
    let (ok, stdout, stderr) = update(&new, &["--prune-text"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(!stderr.contains("the entry can go"), "{stderr}");
    assert!(!stdout.contains("--prune-text"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&overlay).unwrap(), pruned);
    assert!(stdout.contains("0 changes, 0 breaking"), "{stdout}");
    assert!(
        stdout.contains(&format!("{spec_label}: unchanged")),
        "{stdout}"
    );
    assert!(stdout.contains("generated code: unchanged"), "{stdout}");
    assert!(stdout.contains("spec update: nothing changed"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), written);

    // 5. Back to the upstream of today: the new operation and field go, which breaks callers;
    // with --deny-breaking nothing is written.
    let today = support::spec_path(UPSTREAM);
    let (ok, stdout, stderr) = update(&today, &["--deny-breaking"]);
    assert!(!ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("- removed operation `indicator.archive.v1` (POST /iocs/entities/indicators-archive/v1)  [BREAKING]"),
        "{stdout}"
    );
    assert!(
        stderr.contains("breaking changes (--deny-breaking); nothing written"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), written);
    assert_eq!(
        std::fs::read_to_string(client.join("src/generated/operations.rs")).unwrap(),
        operations
    );
}

fn bad_arguments_are_refused_with_the_usage() {
    let out = xtask(&["spec", "update"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("needs the upstream file"));
    let out = xtask(&["spec", "update", "x.json", "--spec", "other.yaml"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--spec and --out go together"));
    let out = xtask(&["spec", "update", "does-not-exist.json"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("cannot read does-not-exist.json"));
}

fn main() {
    support::run(&[
        trial!(
            the_committed_spec_client_and_snapshots_are_what_an_update_gives,
            support::needs_upstream
        ),
        trial!(
            a_changed_upstream_goes_through_the_whole_round,
            support::needs_upstream
        ),
        trial!(bad_arguments_are_refused_with_the_usage),
    ]);
}
