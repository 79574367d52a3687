//! What a new user meets in their first hour with the CLI: lists read from a file or stdin,
//! `help OPERATION` that shows the body's fields and an example, suggestions for a mistyped
//! subcommand or flag, `-v` that says what each attempt got, and a service that is down.

mod support;

use serde_json::{Value, json};
use support::{Cli, Sim};

/// `--ids @FILE` and `--ids -` read one ID per line (blank lines skipped), as any list flag
/// does; a file that cannot be read is a usage error naming it.
#[test]
fn list_flags_read_items_from_a_file_or_from_stdin() {
    let sim = Sim::start();
    let indicators: Vec<Value> = (0..3)
        .map(|i| {
            json!({"type": "domain", "value": format!("list{i}.example.org"), "action": "detect",
                   "severity": "low", "platforms": ["linux"], "applied_globally": true})
        })
        .collect();
    let body = json!({ "indicators": indicators }).to_string();
    let created = sim
        .cli()
        .run(&["indicator-create-v1", "--body", &body])
        .ok();
    let ids: Vec<String> = created
        .resources()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);

    let path = std::env::temp_dir().join(format!("falcon-ioc-ids-{}.txt", std::process::id()));
    std::fs::write(&path, format!("{}\n\n  {}  \n", ids[0], ids[1])).unwrap();
    let from_file = sim
        .cli()
        .run(&[
            "indicator-get-v1",
            "--ids",
            &format!("@{}", path.display()),
            "--ids",
            &ids[2],
        ])
        .ok();
    assert_eq!(from_file.resources().len(), 3);
    let from_stdin = sim
        .cli()
        .stdin(ids.join("\n"))
        .run(&["indicator-get-v1", "--ids", "-"])
        .ok();
    assert_eq!(from_stdin.resources().len(), 3);
    let _ = std::fs::remove_file(&path);

    let missing = sim
        .cli()
        .run(&["indicator-get-v1", "--ids", "@/no/such/ids.txt"]);
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(
        missing.stderr.contains("/no/such/ids.txt"),
        "{}",
        missing.stderr
    );
}

/// `help OPERATION` lists the body's fields (nested, with types, values and which are
/// required) and an example body, which the operation accepts as shown.
#[test]
fn help_lists_the_body_fields_and_an_example_the_operation_accepts() {
    let help = Cli::bare().run(&["help", "indicator-create-v1"]).ok();
    let text = &help.stdout;
    assert!(text.contains("Body fields:"), "{text}");
    assert!(
        text.contains("\n  indicators: list of object api.IndicatorCreateReqV1"),
        "{text}"
    );
    assert!(text.contains("\n    type: string; values: "), "{text}");
    assert!(text.contains("; required"), "{text}");
    assert!(text.contains("\n      filename: string"), "nested: {text}");
    let example = text.split("Example body:").nth(1).expect("an example body");
    let example: Value = serde_json::from_str(example.trim()).expect("the example is JSON");

    let sim = Sim::start();
    let created = sim
        .cli()
        .run(&["indicator-create-v1", "--body", &example.to_string()])
        .ok();
    assert_eq!(created.resources().len(), 1, "{created:?}");
}

/// The example body `help OPERATION` shows for it.
fn help_example(id: &str) -> Value {
    let help = Cli::bare().run(&["help", id]).ok();
    let example = help
        .stdout
        .split("Example body:")
        .nth(1)
        .unwrap_or_else(|| panic!("`help {id}` shows an example body: {}", help.stdout));
    serde_json::from_str(example.trim())
        .unwrap_or_else(|e| panic!("`help {id}`'s example is JSON ({e}): {example}"))
}

/// Every operation with a JSON body shows an example in `help` (never the placeholder
/// "smallest body"), and the simulator takes each as shown with a 2xx: indicator.create.v1's
/// first, so the others find its indicator (evil.example.com), whose type and value fill the
/// operations' required parameters.
#[test]
fn every_operation_with_a_body_takes_the_example_its_help_shows() {
    let mut ops: Vec<_> = ioc_client::table::OPERATIONS
        .iter()
        .copied()
        .filter(|op| op.body.is_some())
        .collect();
    ops.sort_by_key(|op| op.ids[0] != "indicator.create.v1");
    assert_eq!(ops[0].ids[0], "indicator.create.v1");
    let served = ioc_simulator::operation_ids();
    let sim = Sim::start();
    let mut sent = Vec::new();
    for op in ops {
        let id = op.ids[0];
        let body = help_example(id);
        if !served.contains(&id) {
            eprintln!("not sent: the simulator does not serve {id}; its help example is unchecked");
            continue;
        }
        let mut args = vec![id.to_string(), "--body".into(), body.to_string()];
        for param in op.params.iter().filter(|p| p.required) {
            let value = match param.name {
                "type" => "domain",
                "value" => "evil.example.com",
                other => panic!("{id} requires `{other}`: give this test a value for it"),
            };
            args.extend([format!("--{}", param.name), value.to_string()]);
        }
        let run = sim.cli().run(&args);
        assert_eq!(run.code, 0, "{id} refused its help example {body}: {run:?}");
        sent.push(id);
    }
    eprintln!("help examples taken with a 2xx: {}", sent.join(", "));
    assert!(sent.len() >= 7, "{sent:?}");
}

/// A login that gets no reply (nothing listens) is a transport failure: exit 5, saying so,
/// also under `--all`.
#[test]
fn a_service_that_is_down_exits_5_naming_the_login() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    // `--all` too: a walk that read nothing reads as its cause, with no paging advice.
    for args in [
        &["indicator-search-v1"][..],
        &["indicator-search-v1", "--all"],
    ] {
        let run = Cli::bare()
            .env("FALCON_CLIENT_ID", "id")
            .env("FALCON_CLIENT_SECRET", "secret")
            .env("FALCON_CLOUD", &format!("http://127.0.0.1:{port}"))
            .run(args);
        assert_eq!(run.code, 5, "{run:?}");
        assert!(
            run.stderr.contains("logging in got no reply"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("attempts over"), "{}", run.stderr);
        assert!(!run.stderr.contains("walk"), "{}", run.stderr);
    }
}

/// A mistyped subcommand, alone or after `help`, gets a few suggestions, in kebab case.
#[test]
fn a_mistyped_subcommand_gets_a_few_kebab_case_suggestions() {
    for args in [
        &["indicator-serch-v1"][..],
        &["help", "indicator-serch-v1"],
        &["indicator.serch.v1"],
    ] {
        let run = Cli::bare().run(args);
        assert_eq!(run.code, 2, "{run:?}");
        let tip = run
            .stderr
            .lines()
            .find(|l| l.contains("tip:"))
            .unwrap_or_else(|| panic!("a tip for {args:?}: {}", run.stderr));
        assert!(tip.contains("'indicator-search-v1'"), "{tip}");
        assert!(tip.matches('\'').count() / 2 <= 3, "at most three: {tip}");
        assert!(
            !tip.contains('.') && !tip.contains('_'),
            "kebab case only: {tip}"
        );
    }
}

/// A mistyped flag gets what a mistyped subcommand gets: at most three suggestions, each a
/// flag's kebab-case name (the spec's spelling typed or not), and where the flags are listed.
#[test]
fn a_mistyped_flag_gets_a_few_kebab_case_suggestions_and_where_to_look() {
    for (args, expected, listed_by) in [
        (
            &["indicator-search-v1", "--limt", "5"][..],
            "'--limit'",
            "help indicator-search-v1",
        ),
        (
            &["indicator-search-v1", "--filtr=x"],
            "'--filter'",
            "help indicator-search-v1",
        ),
        (
            &["indicator-search-v1", "--from_paren"],
            "'--from-parent'",
            "help indicator-search-v1",
        ),
        (
            &["query-iocs", "--from.expiration_timestam", "1"],
            "'--from-expiration-timestamp'",
            "help query-iocs",
        ),
        (
            &["--clod", "us-2", "indicator-search-v1"],
            "'--cloud'",
            "--help",
        ),
    ] {
        let run = Cli::bare().run(args);
        assert_eq!(run.code, 2, "{run:?}");
        let tips: Vec<&str> = run.stderr.lines().filter(|l| l.contains("tip:")).collect();
        assert_eq!(
            tips.len(),
            2,
            "a suggestion and where to look, for {args:?}: {}",
            run.stderr
        );
        assert!(tips[0].contains(expected), "{args:?}: {}", tips[0]);
        assert!(
            tips[0].matches('\'').count() / 2 <= 3,
            "at most three: {}",
            tips[0]
        );
        assert!(
            !tips[0].contains('_') && !tips[0].contains('.'),
            "kebab case only: {}",
            tips[0]
        );
        assert!(
            tips[1].contains(&format!("`falcon-ioc {listed_by}`")),
            "{args:?}: {}",
            tips[1]
        );
    }
    // Nothing close: no suggestion, and a usage line that offers no flag either.
    let run = Cli::bare().run(&["indicator-search-v1", "--from-expiration-timestam", "1"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(!run.stderr.contains("similar"), "{}", run.stderr);
    assert!(!run.stderr.contains("--from-parent"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`falcon-ioc help indicator-search-v1` lists its flags"),
        "{}",
        run.stderr
    );
}

/// A bad value is refused before anything is sent, saying what would do: a number out of the
/// service's range (a negative one too, not taken for an unknown flag `-1`), a value that is not
/// a number, a body that is not JSON.
#[test]
fn a_bad_value_says_what_would_do_and_sends_nothing() {
    let sim = Sim::start();
    for (args, says) in [
        (
            &["indicator-search-v1", "--limit", "0"][..],
            "the service takes 1 to 500",
        ),
        (
            &["indicator-search-v1", "--offset", "-1"],
            "the service takes 0 or more",
        ),
        (
            &["indicator-search-v1", "--limit", "abc"],
            "`falcon-ioc help indicator-search-v1` lists its flags",
        ),
        (
            &["indicator-create-v1", "--body", "{not json"],
            "`falcon-ioc help indicator-create-v1` shows an example body",
        ),
    ] {
        let run = sim.cli().run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    assert!(sim.api_requests().is_empty(), "nothing sent");
}

/// A request the service refuses names, after the service's reasons, what to do about it and
/// the help that describes the operation.
#[test]
fn a_refused_request_says_what_to_do_about_it() {
    let sim = Sim::start();
    let body = r#"{"indicators": [{"type": "domain", "value": "half.example.com"}]}"#;
    let run = sim.cli().run(&["indicator-create-v1", "--body", body]);
    assert_eq!(run.code, 10, "{run:?}");
    let headline = run.stderr.lines().next().unwrap_or_default();
    assert!(
        headline.contains("correct what its errors name"),
        "{headline}"
    );
    assert!(
        headline.contains("`falcon-ioc help indicator.create.v1` describes it"),
        "{headline}"
    );
    let missing = sim.cli().run(&["indicator-get-v1", "--ids", "no-such-id"]);
    assert_eq!(missing.code, 12, "{missing:?}");
    assert!(missing.stderr.contains("check it"), "{}", missing.stderr);
}

/// `-v` prints one line per attempt: its status and the wait before the next one.
#[test]
fn verbose_prints_each_attempt_with_its_status_and_the_wait_that_followed() {
    let sim = Sim::start();
    sim.sim.inject(ioc_simulator::Fault::times(
        "indicator.search.v1",
        ioc_simulator::FaultKind::Status(503),
        2,
    ));
    let run = sim.cli().run(&["-v", "indicator-search-v1"]).ok();
    let attempts: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("falcon_runtime: attempt "))
        .collect();
    assert_eq!(attempts.len(), 3, "{}", run.stderr);
    for (i, line) in attempts.iter().enumerate() {
        assert!(line.contains(&format!("attempt={}", i + 1)), "{line}");
    }
    assert!(attempts[0].contains("status=503") && attempts[0].contains("wait_ms="));
    assert!(attempts[1].contains("status=503") && attempts[1].contains("wait_ms="));
    assert!(attempts[2].contains("status=200") && !attempts[2].contains("wait_ms="));
    assert!(
        !run.stderr.contains("attempt=1 attempt=2"),
        "no repeated span fields: {}",
        run.stderr
    );
}
