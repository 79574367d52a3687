//! The real `falcon-ioc` binary against the IOC simulator: every operation once, `--all`
//! paging, bad flags, missing credentials, dry runs that send nothing, secrets that are never
//! printed, exit codes by error kind, completions and the man page.

mod support;

// The sidecar the binary is built with, for the names it gives.
#[rustfmt::skip]
#[path = "../src/generated/help.rs"]
mod help;

use std::collections::BTreeSet;

use ioc_simulator::{Config, Fault, FaultKind};
use serde_json::{Value, json};
use support::{Cli, Run, Sim};

fn strings(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

fn ids_of(run: &Run) -> Vec<String> {
    run.resources()
        .iter()
        .map(|r| r["id"].as_str().expect("an id").to_string())
        .collect()
}

fn indicator(kind: &str, value: &str, severity: &str) -> Value {
    json!({"type": kind, "value": value, "action": "detect", "severity": severity,
           "platforms": ["windows", "mac"], "applied_globally": true, "source": "cli",
           "tags": ["cli"]})
}

/// Each of the 26 operations once, through its subcommand, its spec id, its `_` form or its
/// PascalCase alias; each answers and the simulator routes each request to that operation.
#[test]
fn every_operation_once_through_the_cli() {
    let sim = Sim::start();
    let run = |args: &[&str]| sim.cli().run(args).ok();
    let md5 = "0123456789abcdef0123456789abcdef";
    let sha = "a".repeat(64);

    let body = json!({"comment": "cli", "indicators": [
        indicator("domain", "cli.example.com", "medium"),
        indicator("sha256", &sha, "high"),
    ]});
    let created = run(&["indicator-create-v1", "--body", &body.to_string()]);
    let ids = ids_of(&created);
    assert_eq!(ids.len(), 2);

    let legacy = json!({"type": "md5", "value": md5, "action": "prevent", "severity": "high",
                        "platforms": ["windows"], "applied_globally": true, "source": "legacy"});
    run(&["CreateIOC", "--body", &legacy.to_string()]);
    let got = run(&["get-ioc", "--type", "md5", "--value", md5]);
    assert_eq!(got.resources()[0]["value"], md5);
    run(&[
        "update-ioc",
        "--type=md5",
        "--value",
        md5,
        "--body",
        r#"{"severity": "low"}"#,
    ]);
    let found = run(&["query-iocs", "--types", "md5", "--sources", "legacy"]);
    assert_eq!(found.resources().len(), 1);
    run(&["delete-ioc", "--type", "md5", "--value", md5]);

    let tv = ["--type", "domain", "--value", "c2.example.net"];
    let count = run(&[&["DevicesCount"][..], &tv].concat());
    let n = count.resources()[0]["device_count"].as_u64().unwrap();
    let count = run(&[&["indicator_get_device_count_v1"][..], &tv].concat());
    assert_eq!(count.resources()[0]["device_count"].as_u64(), Some(n));
    let devices =
        strings(&run(&[&["devices-ran-on"][..], &tv, &["--limit", "500"]].concat()).resources());
    assert_eq!(devices.len() as u64, n);
    let devices_v1 = run(&[
        &["indicator-get-devices-ran-on-v1"][..],
        &tv,
        &["--limit", "500"],
    ]
    .concat());
    assert_eq!(strings(&devices_v1.resources()), devices);
    let on_device = [&["--device-id"][..], &[devices[0].as_str()]].concat();
    let pids = strings(&run(&[&["processes-ran-on"][..], &tv, &on_device].concat()).resources());
    assert!(!pids.is_empty());
    let pids_v1 = run(&[&["indicator-get-processes-ran-on-v1"][..], &tv, &on_device].concat());
    assert_eq!(strings(&pids_v1.resources()), pids);
    let details = run(&["entities.processes", "--ids", &pids.join(",")]);
    assert_eq!(details.resources().len(), pids.len());

    let aggregate = json!({"type": "terms", "field": "type", "name": "by_type", "size": 10});
    let agg = run(&[
        "indicator-aggregate-v1",
        "--filter",
        "tags:'cli'",
        "--body",
        &aggregate.to_string(),
    ]);
    assert_eq!(agg.resources()[0]["name"], "by_type");
    let combined = run(&[
        "indicator.combined.v1",
        "--filter",
        "tags:'cli'",
        "--sort",
        "value.asc",
    ]);
    assert_eq!(combined.resources().len(), 2);
    let actions = strings(&run(&["action-query-v1"]).resources());
    assert!(actions.contains(&"detect".to_string()));
    let records = run(&["action-get-v1", "--ids", "detect", "--ids", "allow"]);
    assert_eq!(records.resources().len(), 2);
    let report = json!({"report_format": "csv", "search": {"filter": "type:'domain'"}});
    let job = run(&["GetIndicatorsReport", "--body", &report.to_string()]);
    assert_eq!(job.resources()[0]["report_format"], "csv");
    let got = run(&["indicator-get-v1", "--ids", &ids[0], "--ids", &ids[1]]);
    assert_eq!(ids_of(&got), ids);
    let search = run(&[
        "indicator_search_v1",
        "--filter",
        "tags:'cli'",
        "--limit",
        "10",
    ]);
    assert_eq!(search.json()["meta"]["pagination"]["total"], 2);
    let update = json!({"indicators": [{"id": ids[1], "severity": "critical"}]});
    let updated = run(&["indicator-update-v1", "--body", &update.to_string()]);
    assert_eq!(updated.resources()[0]["severity"], "critical");
    let types = strings(&run(&["ioc-type-query-v1"]).resources());
    assert_eq!(types, ["sha256", "md5", "domain", "ipv4", "ipv6"]);
    assert!(strings(&run(&["platform.query.v1"]).resources()).contains(&"linux".to_string()));
    assert_eq!(
        run(&["severity-query-v1", "--limit", "2"])
            .resources()
            .len(),
        2
    );
    let sdmf = json!({"id": "q-1", "res_id": "r-1", "nodes": [{"kind": "indicator", "filter": "type:'domain'"}]});
    let echoed = run(&["indicator-sdmf-query-v1", "--body", &sdmf.to_string()]);
    assert_eq!(echoed.resources()[0]["id"], "q-1");
    let deleted = run(&[
        "indicator-delete-v1",
        "--ids",
        &ids.join(","),
        "--comment",
        "bye",
    ]);
    assert_eq!(strings(&deleted.resources()).len(), 2);
    assert_eq!(sim.sim.indicator_count(), 0);

    let reached: BTreeSet<String> = sim.operations().into_iter().collect();
    let all: BTreeSet<String> = ioc_client::table::OPERATIONS
        .iter()
        .map(|op| op.id().to_string())
        .collect();
    assert_eq!(reached, all, "every operation of the table went out");
    assert_eq!(ioc_client::table::OPERATIONS.len(), 26);
}

/// `--all` follows the pages and prints every item as one JSON line: by the `after` token, by
/// offset (with `limit` a string in the spec), and for full records.
#[test]
fn all_prints_every_item_of_every_page_as_json_lines() {
    let sim = Sim::start();
    let seeded = sim.sim.seed_indicators(250);
    let ids = sim
        .cli()
        .run(&["indicator-search-v1", "--all", "--limit", "100"])
        .ok();
    let lines = strings(&ids.lines());
    let want: BTreeSet<&String> = seeded.iter().collect();
    assert_eq!(lines.len(), 250);
    assert_eq!(lines.iter().collect::<BTreeSet<_>>(), want);
    assert_eq!(sim.operations().len(), 3, "three pages of 100");
    let requests = sim.api_requests();
    assert!(requests[0].query_value("after").is_none());
    assert!(
        requests[1].query_value("after").is_some(),
        "pages by `after`"
    );
    assert!(
        ids.stderr.is_empty(),
        "no progress line when stderr is not a terminal: {}",
        ids.stderr
    );

    let records = sim
        .cli()
        .run(&[
            "indicator-combined-v1",
            "--all",
            "--limit",
            "40",
            "--filter",
            "tags:'batch-1'",
        ])
        .ok()
        .lines();
    assert_eq!(records.len(), 25);
    assert!(
        records
            .iter()
            .all(|r| r["tags"].as_array().unwrap().contains(&json!("batch-1")))
    );

    let tv = ["--type", "domain", "--value", "c2.example.net"];
    let whole = sim
        .cli()
        .run(&[&["devices-ran-on"][..], &tv, &["--limit", "500"]].concat())
        .ok();
    let paged = sim
        .cli()
        .run(&[&["devices-ran-on", "--all"][..], &tv, &["--limit", "3"]].concat())
        .ok();
    assert_eq!(strings(&paged.lines()), strings(&whole.resources()));

    // An operation that does not page has no --all.
    let refused = sim.cli().run(&["indicator-get-v1", "--ids", "x", "--all"]);
    assert_eq!(refused.code, 2, "{refused:?}");
}

/// A reader that goes away (`| head -1`) ends the walk: no more pages are asked for.
#[test]
fn all_stops_paging_when_the_reader_goes_away() {
    use std::io::{BufRead, BufReader};
    let sim = Sim::start();
    sim.sim.seed_indicators(400);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_falcon-ioc"))
        .args(["indicator-combined-v1", "--all", "--limit", "10"])
        .env("FALCON_CLIENT_ID", &sim.sim.config().client_id)
        .env("FALCON_CLIENT_SECRET", &sim.sim.config().client_secret)
        .env("FALCON_CLOUD", sim.sim.base_url())
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here, like `head` exiting.
    let status = child.wait().unwrap();
    assert!(first.starts_with('{'), "{first}");
    assert!(
        status.success(),
        "a closed pipe is a normal end: {status:?}"
    );
    let pages = sim.operations().len();
    assert!(
        pages < 40,
        "stopped early: {pages} of 40 pages were asked for"
    );
}

/// `completions` and `man` into a pipe whose reader has gone (`| head -2`): a normal end, no
/// panic. Each script is larger than a pipe's buffer, so the write meets the closed pipe.
#[test]
fn documents_end_quietly_when_the_reader_goes_away() {
    for args in [
        &["completions", "bash"][..],
        &["completions", "zsh"],
        &["completions", "fish"],
        &["man"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_falcon-ioc"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{args:?}: {:?} {stderr}",
            output.status
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Bad flags and values are refused with exit code 2 before anything is sent.
#[test]
fn bad_arguments_exit_2_and_send_nothing() {
    let sim = Sim::start();
    let cases: &[&[&str]] = &[
        &["indicator-search-v1", "--no-such-flag"],
        &["indicator-search-v1", "--limit", "ten"],
        &["indicator-search-v1", "--from-parent=maybe"],
        &["indicator-get-v1"],
        &["indicator-create-v1"],
        &["indicator-create-v1", "--body", "{not json"],
        &["indicator-create-v1", "--body", "@/no/such/file.json"],
        &["indicator-search-v1", "--param", "novalue"],
        &[
            "indicator-get-v1",
            "--ids",
            "x",
            "--file",
            "f=/etc/hostname",
        ],
        &["indicator-searhc-v1"],
        &["--cloud", "mars-1", "indicator-search-v1"],
        &[],
    ];
    for args in cases {
        let run = sim.cli().run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
        assert!(!run.stderr.is_empty(), "{args:?} says why");
    }
    let typo = sim.cli().run(&["indicator-searhc-v1"]);
    assert!(
        typo.stderr.contains("indicator-search-v1"),
        "a suggestion: {}",
        typo.stderr
    );
    let missing = sim.cli().run(&["indicator-get-v1"]);
    assert!(missing.stderr.contains("--ids"), "{}", missing.stderr);
    let json = sim
        .cli()
        .run(&["indicator-create-v1", "--body", "{not json"]);
    assert!(
        json.stderr.contains("--body") && json.stderr.contains("not JSON"),
        "{}",
        json.stderr
    );
    assert!(
        sim.sim.requests().is_empty(),
        "nothing was sent, not even a login"
    );
}

/// Without credentials the run stops with exit code 3 and sends nothing; refused credentials
/// are an authentication failure, exit code 4.
#[test]
fn credentials_missing_exit_3_refused_exit_4() {
    let sim = Sim::start();
    for missing in ["FALCON_CLIENT_ID", "FALCON_CLIENT_SECRET"] {
        let run = sim.cli().env_remove(missing).run(&["indicator-search-v1"]);
        assert_eq!(run.code, 3, "{run:?}");
        assert!(run.stderr.contains(missing), "{}", run.stderr);
    }
    assert!(sim.sim.requests().is_empty());
    let refused = sim
        .cli()
        .env("FALCON_CLIENT_SECRET", "wrong")
        .run(&["indicator-search-v1"]);
    assert_eq!(refused.code, 4, "{refused:?}");
    assert!(
        refused.stderr.contains("authentication failed"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("check the client ID and secret"),
        "what to do next: {}",
        refused.stderr
    );
    assert!(sim.api_requests().is_empty(), "the API call is not sent");
}

/// `--dry-run` prints the request (method, URL, headers with the token redacted, body) and
/// sends nothing, not even a login, with or without credentials. Sent for real, the same call
/// reaches the simulator exactly as previewed.
#[test]
fn dry_run_shows_the_request_and_sends_nothing() {
    let sim = Sim::start();
    let body = json!({"indicators": [indicator("ipv4", "198.51.100.7", "low")]});
    let args = [
        "indicator-create-v1",
        "--retrodetects",
        "--ignore-warnings=false",
        "--body",
        &body.to_string(),
    ];
    let dry = sim.cli().run(&[&args[..], &["--dry-run"]].concat()).ok();
    let bare = Cli::bare()
        .env("FALCON_CLOUD", &sim.sim.base_url())
        .run(&[&["--dry-run"][..], &args].concat())
        .ok();
    assert_eq!(dry.json(), bare.json(), "credentials make no difference");
    assert!(sim.sim.requests().is_empty(), "the journal is empty");

    let preview = dry.json();
    assert_eq!(preview["dry_run"], true);
    assert_eq!(preview["method"], "POST");
    assert_eq!(preview["operation"], "indicator.create.v1");
    assert_eq!(preview["headers"]["Authorization"], "Bearer <redacted>");
    assert_eq!(preview["body"], body);
    // `--param` adds a query pair the spec does not declare (the simulator would refuse it).
    let extra = sim
        .cli()
        .run(
            &[
                &args[..],
                &["--dry-run", "--param", "extra=1", "--param", "extra=2"],
            ]
            .concat(),
        )
        .ok();
    assert!(
        extra.json()["url"]
            .as_str()
            .unwrap()
            .ends_with("&extra=1&extra=2"),
        "{}",
        extra.stdout
    );
    assert!(sim.sim.requests().is_empty());

    sim.cli().run(&args).ok();
    let sent = sim.api_requests().pop().expect("sent for real");
    assert_eq!(
        preview["url"],
        format!(
            "{}{}?{}",
            sim.sim.base_url(),
            sent.path,
            sent.query
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        )
    );
    assert_eq!(sent.body.as_ref(), Some(&body));
    for (name, value) in preview["headers"].as_object().unwrap() {
        let on_wire = sent
            .header(name)
            .unwrap_or_else(|| panic!("{name} was not sent"));
        if name == "Authorization" {
            assert!(on_wire.starts_with("Bearer "));
        } else {
            assert_eq!(on_wire, value.as_str().unwrap(), "{name}");
        }
    }
}

/// The client secret and the token appear nowhere in what the CLI prints, `--verbose` included,
/// whether calls succeed or fail; `--verbose` does show the trace of each call.
#[test]
fn the_secret_and_the_token_are_never_printed() {
    let secret = "cli-secret-Zq9-never-shown";
    let sim = Sim::with(Config {
        client_secret: secret.to_string(),
        ..Config::default()
    });
    let mut runs = vec![
        sim.cli()
            .run(&["--verbose", "indicator-search-v1", "--limit", "5"])
            .ok(),
        sim.cli()
            .run(&["indicator-get-v1", "--ids", "missing", "-v"]),
        sim.cli()
            .run(&["-v", "indicator-search-v1", "--all", "--dry-run"]),
        sim.cli()
            .env("FALCON_CLIENT_SECRET", "wrong-one")
            .run(&["-v", "indicator-search-v1"]),
    ];
    sim.sim
        .inject(Fault::times("indicator.search.v1", FaultKind::Status401, 1));
    runs.push(sim.cli().run(&["-v", "indicator-search-v1"]).ok());
    let tokens: BTreeSet<String> = sim
        .api_requests()
        .iter()
        .filter_map(|r| r.header("authorization"))
        .map(|h| h.trim_start_matches("Bearer ").to_string())
        .collect();
    assert!(!tokens.is_empty());
    assert!(
        runs[0].stderr.contains("falcon.call"),
        "the trace: {}",
        runs[0].stderr
    );
    assert!(runs[0].stderr.contains("status=200"), "{}", runs[0].stderr);
    assert!(
        runs[4].stderr.contains("401"),
        "the relogin shows: {}",
        runs[4].stderr
    );
    for run in &runs {
        for text in [&run.stdout, &run.stderr] {
            assert!(!text.contains(secret), "the secret leaked: {run:?}");
            for token in &tokens {
                assert!(!text.contains(token.as_str()), "a token leaked: {run:?}");
            }
        }
    }
}

/// Global options work before and after the subcommand; `--base-url` wins over FALCON_CLOUD.
#[test]
fn global_options_go_before_or_after_the_subcommand() {
    let sim = Sim::start();
    let dead = "http://127.0.0.1:9";
    let before = sim
        .cli()
        .env("FALCON_CLOUD", dead)
        .run(&[
            "--base-url",
            &sim.sim.base_url(),
            "--format",
            "pretty",
            "severity-query-v1",
        ])
        .ok();
    let after = sim
        .cli()
        .env("FALCON_CLOUD", dead)
        .run(&[
            "severity-query-v1",
            "--format=pretty",
            "--base-url",
            &sim.sim.base_url(),
        ])
        .ok();
    assert!(
        before.stdout.starts_with("{\n  "),
        "pretty: {}",
        before.stdout
    );
    assert_eq!(before.json()["resources"], after.json()["resources"]);
    let compact = sim
        .cli()
        .run(&["severity-query-v1", "--format", "compact"])
        .ok();
    assert_eq!(
        compact.stdout.lines().count(),
        1,
        "compact, as when stdout is not a terminal"
    );
    let auto = sim.cli().run(&["severity-query-v1"]).ok();
    assert_eq!(auto.stdout.lines().count(), 1);
    let member = sim
        .cli()
        .run(&["severity-query-v1", "--member-cid", "child-1"])
        .ok();
    assert!(member.code == 0);
    let token = sim
        .sim
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == "/oauth2/token")
        .unwrap();
    assert!(
        String::from_utf8_lossy(&token.raw_body).contains("member_cid=child-1"),
        "the member CID goes with the login"
    );
}

/// API errors exit by status with the service's messages on stderr; transport and decoding
/// failures have codes of their own.
#[test]
fn failures_exit_by_kind_with_the_services_messages() {
    let sim = Sim::start();
    let not_found = sim.cli().run(&["indicator-get-v1", "--ids", "nope"]);
    assert_eq!(not_found.code, 12, "{not_found:?}");
    assert!(
        not_found.stderr.contains("HTTP 404"),
        "{}",
        not_found.stderr
    );
    assert!(
        not_found.stderr.contains("nope"),
        "the service's message: {}",
        not_found.stderr
    );
    assert!(not_found.stdout.is_empty());

    let bad = sim
        .cli()
        .run(&["indicator-search-v1", "--filter", "type:'domain"]);
    assert_eq!(bad.code, 10, "{bad:?}");
    assert!(bad.stderr.contains("Invalid filter"), "{}", bad.stderr);

    let body = json!({"indicators": [indicator("domain", "x.example.org", "low")]}).to_string();
    let create = ["indicator-create-v1", "--body", body.as_str()];
    sim.sim.inject(Fault::times(
        "indicator.create.v1",
        FaultKind::Status(503),
        1,
    ));
    assert_eq!(
        sim.cli().run(&create).code,
        16,
        "a POST is not retried on 5xx"
    );
    sim.sim.inject(Fault::times(
        "indicator.create.v1",
        FaultKind::RateLimited {
            retry_after_epoch_secs_from_now: 3600,
            use_retry_after_header: false,
        },
        1,
    ));
    assert_eq!(sim.cli().run(&create).code, 14);
    sim.sim.inject(Fault::times(
        "indicator.create.v1",
        FaultKind::DropConnection,
        1,
    ));
    let dropped = sim.cli().run(&create);
    assert_eq!(dropped.code, 5, "{dropped:?}");
    sim.sim.inject(Fault::times(
        "indicator.create.v1",
        FaultKind::MalformedJson,
        1,
    ));
    assert_eq!(sim.cli().run(&create).code, 6);
    sim.sim.inject(Fault::times(
        "indicator.create.v1",
        FaultKind::Status(403),
        1,
    ));
    assert_eq!(sim.cli().run(&create).code, 11);
    assert_eq!(falcon_ioc::api_code(409), 13);
    assert_eq!(falcon_ioc::api_code(418), 15);
    assert_eq!(falcon_ioc::api_code(302), 17);
}

/// `--body @FILE` and `--body -` (stdin) read the body; a file upload needs a file field.
#[test]
fn the_body_comes_inline_from_a_file_or_from_stdin() {
    let sim = Sim::start();
    let path = std::env::temp_dir().join(format!("falcon-ioc-body-{}.json", std::process::id()));
    let from_file = json!({"indicators": [indicator("domain", "file.example.org", "low")]});
    std::fs::write(&path, from_file.to_string()).unwrap();
    sim.cli()
        .run(&[
            "indicator-create-v1",
            "--body",
            &format!("@{}", path.display()),
        ])
        .ok();
    let from_stdin = json!({"indicators": [indicator("domain", "stdin.example.org", "low")]});
    for dash in ["-", "@-"] {
        sim.cli()
            .stdin(from_stdin.to_string())
            .run(&["indicator-create-v1", "--ignore-warnings", "--body", dash])
            .ok();
    }
    let bodies: Vec<Value> = sim
        .api_requests()
        .into_iter()
        .filter_map(|r| r.body)
        .collect();
    assert_eq!(bodies, [from_file, from_stdin.clone(), from_stdin]);
    let _ = std::fs::remove_file(path);
}

/// Completion scripts for bash, zsh and fish, and the man page, come from the same
/// definitions: every operation is in them.
#[test]
fn completions_and_man_page_list_every_operation() {
    for shell in ["bash", "zsh", "fish"] {
        let run = Cli::bare().run(&["completions", shell]).ok();
        assert!(run.stdout.contains("indicator-search-v1"), "{shell}");
        assert!(
            run.stdout.contains("from-expiration-timestamp"),
            "{shell}: flags too"
        );
        assert!(run.stdout.contains("us-gov-1"), "{shell}: values too");
    }
    let man = Cli::bare().run(&["man"]).ok();
    assert!(man.stdout.contains(".TH"), "roff: {}", man.stdout);
    let man = man.stdout.replace("\\-", "-");
    let help = Cli::bare().run(&["--help"]).ok();
    for entry in help::API.operations {
        assert!(man.contains(entry.name), "man page: {}", entry.name);
        assert!(
            help.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{} ", entry.name))),
            "--help lists {}",
            entry.name
        );
    }
    assert!(help.stdout.contains("Exit codes"), "{}", help.stdout);
}

/// The README's session against the simulator: its three `falcon-ioc` lines create, find and
/// delete an indicator, as written.
#[test]
fn the_readme_session_works_as_written() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md");
    let lines: Vec<Vec<String>> = readme
        .lines()
        // The session's operation calls (the README's `sync`/`export` examples need a feed).
        .filter(|l| l.starts_with("falcon-ioc indicator-"))
        .filter_map(|l| l.strip_prefix("falcon-ioc "))
        .map(|l| shlex::split(l).expect("shell words"))
        .collect();
    assert_eq!(lines.len(), 3, "the session is three lines: {lines:?}");
    let sim = Sim::start();
    let created = sim.cli().run(&lines[0]).ok();
    let id = ids_of(&created).pop().expect("created");
    let found = sim.cli().run(&lines[1]).ok();
    assert_eq!(strings(&found.resources()), std::slice::from_ref(&id));
    let deleted = sim.cli().run(&lines[2]).ok();
    assert_eq!(strings(&deleted.resources()), [id]);
    assert_eq!(sim.sim.indicator_count(), 0);
}

/// A batch that partly fails is a 2xx with `errors`: the reply still goes to stdout, the
/// failed rows to stderr, and the exit code is 8, so a script sees it; limits are refused (2).
#[test]
fn a_batch_that_partly_fails_exits_8_with_the_rows_on_stderr() {
    let sim = Sim::start();
    let taken = indicator("domain", "taken.example.org", "low");
    let first = json!({"indicators": [taken.clone()]}).to_string();
    sim.cli()
        .run(&["indicator-create-v1", "--body", first.as_str()])
        .ok();
    let body =
        json!({"indicators": [indicator("domain", "new.example.org", "low"), taken]}).to_string();
    let partly = sim
        .cli()
        .run(&["indicator-create-v1", "--body", body.as_str()]);
    assert_eq!(partly.code, 8, "{partly:?}");
    let reply: Value = serde_json::from_str(&partly.stdout).expect("the reply on stdout");
    assert_eq!(reply["resources"].as_array().map(Vec::len), Some(1));
    assert!(
        partly.stderr.contains("indicators[1]: Duplicate type"),
        "{}",
        partly.stderr
    );
    assert!(
        partly.stderr.contains("send them again"),
        "{}",
        partly.stderr
    );

    let over = sim.cli().run(&["indicator-search-v1", "--limit", "501"]);
    assert_eq!(over.code, 2, "{over:?}");
    assert!(over.stderr.contains("1 to 500"), "{}", over.stderr);
    let help = sim.cli().run(&["indicator-search-v1", "--help"]);
    assert!(help.stdout.contains("[range: 1 to 500]"), "{}", help.stdout);
}
