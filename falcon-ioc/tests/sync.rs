//! `falcon-ioc sync` and `falcon-ioc export`, the binary against the simulator: the summary
//! line, the report file, the exit codes, export then sync, and a run killed with SIGKILL then
//! repeated. (The engine's cases, one by one, are `ioc-sync/tests/e2e_sync.rs`.)

mod support;

use std::process::Stdio;
use std::time::Duration;

use ioc_simulator::{Fault, FaultKind};
use support::Sim;

fn sha(i: u64) -> String {
    format!("{:016x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1).repeat(4)
}

fn feed(n: u64) -> String {
    let mut out = String::from("type,value,severity\n");
    for i in 0..n {
        out.push_str(&format!("sha256,{},high\n", sha(i)));
    }
    out
}

const DEFAULTS: [&str; 4] = ["--action", "detect", "--platforms", "windows,mac"];

fn writes(sim: &Sim) -> usize {
    sim.api_requests()
        .iter()
        .filter(|r| r.method != "GET")
        .count()
}

#[test]
fn sync_reports_every_row_and_exits_by_exactness() {
    let sim = Sim::start();
    let dir = std::env::temp_dir().join(format!("falcon-ioc-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("feed.csv");
    let report = dir.join("report.jsonl");
    std::fs::write(&path, format!("{}sha256,nothex,low\n", feed(5))).unwrap();
    let p = path.to_str().unwrap();
    let r = report.to_str().unwrap();

    let first = sim.cli().run(
        &[
            &["sync", p, "--source", "cli", "--report", r][..],
            &DEFAULTS,
        ]
        .concat(),
    );
    assert_eq!(first.code, 20, "{}{}", first.stdout, first.stderr);
    assert_eq!(
        first.stdout.trim(),
        "cli: 5 created, 0 updated, 0 unchanged, 0 deleted, 1 skipped, 0 failed"
    );
    assert!(
        first.stderr.contains("row 6: skipped sha256 nothex"),
        "{}",
        first.stderr
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["outcome"], "created");
    assert_eq!(lines[5]["row"], 6);
    assert!(
        lines[5]["reason"]
            .as_str()
            .unwrap()
            .contains("not a valid sha256")
    );

    // Fixed feed, by stdin: exact now.
    std::fs::write(&path, feed(5)).unwrap();
    sim.sim.clear_requests();
    let again = sim.cli().stdin(feed(5)).run(
        &[
            &["sync", "-", "--format", "csv", "--source", "cli"][..],
            &DEFAULTS,
        ]
        .concat(),
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("5 unchanged"), "{}", again.stdout);
    assert_eq!(writes(&sim), 0);

    // A dry run of a smaller feed: the plan, no write, 20 (changes pending); then refused.
    std::fs::write(&path, feed(2)).unwrap();
    let plan = sim
        .cli()
        .run(&[&["sync", p, "--source", "cli", "--dry-run"][..], &DEFAULTS].concat());
    assert_eq!(plan.code, 20);
    assert!(
        plan.stdout
            .contains("dry run, would be: 0 created, 0 updated, 2 unchanged, 3 deleted"),
        "{}",
        plan.stdout
    );
    let refused = sim.cli().run(
        &[
            &["sync", p, "--source", "cli", "--max-deletes", "2"][..],
            &DEFAULTS,
        ]
        .concat(),
    );
    assert_eq!(refused.code, 21, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("deletes 3 indicators, more than the 2 allowed")
    );
    assert_eq!(writes(&sim), 0);

    let missing = sim
        .cli()
        .run(&["sync", "/nonexistent/feed.csv", "--source", "cli"]);
    assert_eq!(missing.code, 22, "{}", missing.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_then_sync_changes_nothing() {
    let sim = Sim::start();
    let first = sim
        .cli()
        .stdin("type,value,tags,description\ndomain,a.example.com,x;y,\"a, b\"\nipv4,10.1.2.3,,\n")
        .run(
            &[
                &[
                    "sync",
                    "-",
                    "--format",
                    "csv",
                    "--source",
                    "exp",
                    "--severity",
                    "low",
                ][..],
                &DEFAULTS,
            ]
            .concat(),
        );
    assert_eq!(first.code, 0, "{}", first.stderr);
    for format in ["csv", "jsonl"] {
        let export = sim
            .cli()
            .run(&["export", "--source", "exp", "--format", format]);
        assert_eq!(export.code, 0, "{}", export.stderr);
        sim.sim.clear_requests();
        let back = sim
            .cli()
            .stdin(export.stdout.clone())
            .run(&["sync", "-", "--format", format, "--source", "exp"]);
        assert_eq!(back.code, 0, "{format}: {}{}", back.stdout, back.stderr);
        assert!(back.stdout.contains("2 unchanged"), "{}", back.stdout);
        assert_eq!(writes(&sim), 0, "{format}");
    }
}

#[test]
fn a_run_killed_midway_then_repeated_ends_exact() {
    let sim = Sim::start();
    let dir = std::env::temp_dir().join(format!("falcon-ioc-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("feed.csv");
    // Three create batches of the service's 2,000.
    std::fs::write(&path, feed(5000)).unwrap();
    let p = path.to_str().unwrap();
    // Slow creates, so the kill lands midway.
    sim.sim.inject(Fault::new(
        "indicator.create.v1",
        FaultKind::Delay(Duration::from_millis(300)),
    ));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_falcon-ioc"))
        .args(
            [
                &["sync", p, "--source", "kill", "--in-flight", "1"][..],
                &DEFAULTS,
            ]
            .concat(),
        )
        .env("FALCON_CLIENT_ID", &sim.sim.config().client_id)
        .env("FALCON_CLIENT_SECRET", &sim.sim.config().client_secret)
        .env("FALCON_CLOUD", sim.sim.base_url())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    while sim.sim.indicator_count() < 2000 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before the kill"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    let landed = sim.sim.indicator_count();
    assert!(landed < 5000, "killed midway: {landed}");
    sim.sim.clear_faults();
    let again = sim
        .cli()
        .run(&[&["sync", p, "--source", "kill"][..], &DEFAULTS].concat());
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert_eq!(sim.sim.indicator_count(), 5000);
    let check = sim
        .cli()
        .run(&[&["sync", p, "--source", "kill"][..], &DEFAULTS].concat());
    assert!(check.stdout.contains("5000 unchanged"), "{}", check.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}
