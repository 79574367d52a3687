//! The sync engine end to end against the simulator: first sync, no-op re-sync, a changed
//! feed, bad rows, a duplicate held by another source, dry run, --max-deletes, the three
//! formats, export then sync, a run stopped midway, a lost reply, 429s on the way, a source of
//! several pages read from both ends.

use std::collections::BTreeMap;
use std::time::Duration;

use ioc_client::{Client, RetryConfig};
use ioc_simulator::{Config, Fault, FaultKind, Simulator};
use ioc_sync::feed::{self, Format};
use ioc_sync::{Defaults, Outcome, Report, Sync};
use serde_json::{Value, json};

const SOURCE: &str = "e2e-feed";

fn client(sim: &Simulator, timeout: Option<Duration>) -> Client {
    let mut b = Client::builder()
        .base_url(sim.base_url())
        .client_id(sim.config().client_id.clone())
        .client_secret(sim.config().client_secret.clone())
        .retry(RetryConfig {
            max_retries: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(40),
            max_total_wait: Duration::from_secs(5),
        });
    if let Some(t) = timeout {
        b = b.timeout(t);
    }
    b.build().expect("client builds")
}

async fn start() -> (Simulator, Client) {
    let sim = Simulator::start(Config::default())
        .await
        .expect("simulator starts");
    let client = client(&sim, None);
    (sim, client)
}

fn defaults() -> Defaults {
    Defaults {
        action: Some("detect".into()),
        severity: Some("medium".into()),
        platforms: Some(vec!["windows".into(), "mac".into()]),
        ..Defaults::default()
    }
}

fn sha(i: u64) -> String {
    format!("{:016x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1).repeat(4)
}

/// A CSV feed of `n` rows: sha256 hashes, every third row a domain, severities cycling.
fn csv_feed(range: std::ops::Range<u64>) -> String {
    let mut out = String::from("type,value,severity,tags\n");
    for i in range {
        let sev = ["low", "medium", "high"][(i % 3) as usize];
        if i % 3 == 0 {
            out.push_str(&format!("domain,host{i}.example.com,{sev},t{i}\n"));
        } else {
            out.push_str(&format!("sha256,{},{sev},t{i};feed\n", sha(i)));
        }
    }
    out
}

async fn sync_text(
    client: &Client,
    text: &str,
    format: Format,
    engine: impl FnOnce(Sync<'_>) -> Sync<'_>,
) -> Report {
    let engine = engine(Sync::new(client, SOURCE).defaults(defaults()));
    engine
        .run(feed::read(text.as_bytes(), format), &mut ())
        .await
        .expect("sync runs")
}

async fn sync_csv(client: &Client, text: &str) -> Report {
    sync_text(client, text, Format::Csv, |s| s).await
}

/// Writes (create, update, delete) the simulator received since the journal was cleared.
fn writes(sim: &Simulator) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method != "GET" && !r.path.starts_with("/oauth2/"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// What the tenant holds, every source: (source, type, value) → the record.
async fn tenant(client: &Client) -> BTreeMap<(String, String, String), Value> {
    use futures_util::TryStreamExt;
    let mut out = BTreeMap::new();
    let mut items = client.indicator_combined_v1().limit(500).items();
    while let Some(r) = items.try_next().await.expect("read the tenant") {
        let v = serde_json::to_value(&r).unwrap();
        let key = (
            v["source"].as_str().unwrap_or("").to_string(),
            v["type"].as_str().unwrap_or("").to_string(),
            v["value"].as_str().unwrap_or("").to_string(),
        );
        assert!(out.insert(key.clone(), v).is_none(), "duplicate {key:?}");
    }
    out
}

fn values_of(held: &BTreeMap<(String, String, String), Value>, source: &str) -> Vec<String> {
    held.keys()
        .filter(|(s, _, _)| s == source)
        .map(|(_, _, v)| v.clone())
        .collect()
}

#[tokio::test]
async fn first_sync_then_a_resync_sends_no_write() {
    let (sim, client) = start().await;
    let text = csv_feed(0..450);
    let report = sync_csv(&client, &text).await;
    assert_eq!(report.summary.created, 450, "{}", report.summary);
    assert!(report.exact());
    let held = tenant(&client).await;
    assert_eq!(values_of(&held, SOURCE).len(), 450);
    let one = &held[&(SOURCE.into(), "domain".into(), "host3.example.com".into())];
    assert_eq!(one["severity"], "low");
    assert_eq!(one["tags"], json!(["t3"]));
    assert_eq!(one["applied_globally"], true);

    sim.clear_requests();
    let again = sync_csv(&client, &text).await;
    assert_eq!(again.summary.unchanged, 450, "{}", again.summary);
    assert!(again.exact());
    assert_eq!(writes(&sim), Vec::<String>::new());
}

/// The source is read by two `after` walks at once, from both ends of `created_on`, that stop
/// when they have met: every indicator of the source exactly once, none of another source
/// (one whose name differs only in case matches the case-blind filter), and about one page
/// more than a single walk reads.
#[tokio::test]
async fn a_source_of_several_pages_is_read_from_both_ends_once_each() {
    let (sim, client) = start().await;
    let n: u64 = 2345;
    let report = sync_csv(&client, &csv_feed(0..n)).await;
    assert_eq!(report.summary.created, n as usize, "{}", report.summary);
    // Another source, created in between, whose name the filter also matches.
    let other = Sync::new(&client, SOURCE.to_uppercase())
        .defaults(defaults())
        .run(
            feed::read(csv_feed(10_000..10_700).as_bytes(), Format::Csv),
            &mut (),
        )
        .await
        .expect("sync of the other source runs");
    assert_eq!(other.summary.created, 700, "{}", other.summary);
    let more = sync_csv(&client, &csv_feed(0..n + 300)).await;
    assert_eq!(more.summary.created, 300, "{}", more.summary);

    sim.clear_requests();
    let rows = ioc_sync::export(&client, SOURCE).await.expect("export");
    let pages = sim
        .requests()
        .iter()
        .filter(|r| r.operation_id.as_deref() == Some("indicator.combined.v1"))
        .count();
    // 3,345 match the filter: 7 pages for one walk; two walks that meet read 7 to 9.
    assert!((7..=9).contains(&pages), "{pages} pages read");
    let mut values: Vec<String> = rows.iter().map(|r| r.value.clone()).collect();
    values.sort();
    let before = values.len();
    values.dedup();
    assert_eq!(values.len(), before, "an indicator came twice");
    let mut want: Vec<String> = values_of(&tenant(&client).await, SOURCE);
    want.sort();
    assert_eq!(values, want);
    assert_eq!(values.len(), (n + 300) as usize);
}

#[tokio::test]
async fn a_changed_feed_creates_updates_only_changed_fields_and_deletes() {
    let (sim, client) = start().await;
    sync_csv(&client, &csv_feed(0..30)).await;
    // Rows 0..5 dropped, 30..35 added, row 10's severity changed.
    let text = csv_feed(5..35).replace(
        &format!("{},medium,", sha(10)),
        &format!("{},critical,", sha(10)),
    );
    sim.clear_requests();
    let report = sync_csv(&client, &text).await;
    let s = report.summary;
    assert_eq!(
        (s.created, s.updated, s.deleted, s.unchanged),
        (5, 1, 5, 24),
        "{s}"
    );
    assert!(report.exact());
    let update = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("an update was sent");
    let sent = &update.body.as_ref().unwrap()["indicators"][0];
    let keys: Vec<&String> = sent.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "severity"], "only the changed field: {sent}");
    let held = tenant(&client).await;
    let mut want: Vec<String> = (5..35)
        .map(|i| {
            if i % 3 == 0 {
                format!("host{i}.example.com")
            } else {
                sha(i)
            }
        })
        .collect();
    want.sort();
    let mut got = values_of(&held, SOURCE);
    got.sort();
    assert_eq!(got, want);
    assert_eq!(
        held[&(SOURCE.into(), "sha256".into(), sha(10))]["severity"],
        "critical"
    );
}

#[tokio::test]
async fn bad_rows_are_skipped_with_their_number_and_reason() {
    let (_sim, client) = start().await;
    let text = "type,value,expiration\n\
                domain,good.example.com,\n\
                url,http://x,\n\
                sha256,abc,\n\
                ipv4,10.0.0.300,\n\
                domain,late.example.com,31/12/2030\n\
                ipv4,10.0.0.1,2030-12-31\n\
                domain,GOOD.example.com,\n";
    let report = sync_csv(&client, text).await;
    let bad: Vec<(Option<u64>, Outcome, String)> = report
        .rows
        .iter()
        .filter(|r| r.outcome == Outcome::Skipped)
        .map(|r| (r.row, r.outcome, r.reason.clone().unwrap()))
        .collect();
    assert_eq!(bad.len(), 5, "{bad:?}");
    assert_eq!(bad[0].0, Some(2));
    assert!(bad[0].2.contains("unknown type `url`"), "{bad:?}");
    assert!(bad[1].2.contains("not a valid sha256"), "{bad:?}");
    assert!(bad[2].2.contains("not a valid ipv4"), "{bad:?}");
    assert!(bad[3].2.contains("bad expiration"), "{bad:?}");
    assert!(bad[4].2.contains("same type and value as row 1"), "{bad:?}");
    assert_eq!(report.summary.created, 2);
    assert!(!report.exact());
    let held = tenant(&client).await;
    assert_eq!(
        held[&(SOURCE.into(), "ipv4".into(), "10.0.0.1".into())]["expiration"],
        "2030-12-31T00:00:00Z"
    );
}

#[tokio::test]
async fn a_pair_held_by_another_source_fails_and_is_left_alone() {
    let (sim, client) = start().await;
    let theirs = client
        .command(
            "indicator_create_v1",
            json!({"body": {"indicators": [{"type": "domain", "value": "shared.example.com",
                "action": "detect", "severity": "high", "platforms": ["linux"],
                "applied_globally": true, "source": "someone-else"}]}}),
        )
        .await
        .expect("created");
    let before = tenant(&client).await;
    let report = sync_csv(
        &client,
        "type,value\ndomain,shared.example.com\ndomain,mine.example.com\n",
    )
    .await;
    let row = &report.rows[0];
    assert_eq!(row.outcome, Outcome::Failed, "{row:?}");
    assert!(
        row.reason.as_deref().unwrap().contains("someone-else"),
        "{row:?}"
    );
    assert_eq!(report.summary.created, 1);
    assert!(!report.exact());
    let after = tenant(&client).await;
    let key = (
        "someone-else".to_string(),
        "domain".to_string(),
        "shared.example.com".to_string(),
    );
    assert_eq!(before[&key], after[&key], "untouched");
    assert_eq!(after.len(), 2);
    let _ = (theirs, sim);
}

#[tokio::test]
async fn dry_run_sends_no_write_and_max_deletes_refuses_before_writing() {
    let (sim, client) = start().await;
    sync_csv(&client, &csv_feed(0..20)).await;
    sim.clear_requests();
    let plan = sync_text(&client, &csv_feed(10..25), Format::Csv, |s| s.dry_run(true)).await;
    let s = plan.summary;
    assert_eq!((s.created, s.deleted, s.unchanged), (5, 10, 10), "{s}");
    assert!(!plan.exact(), "changes pending");
    assert_eq!(writes(&sim), Vec::<String>::new());

    let refused = Sync::new(&client, SOURCE)
        .defaults(defaults())
        .max_deletes(Some(9))
        .run(
            feed::read(csv_feed(10..25).as_bytes(), Format::Csv),
            &mut (),
        )
        .await;
    match refused {
        Err(ioc_sync::SyncError::TooManyDeletes {
            planned: 10,
            max: 9,
        }) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(writes(&sim), Vec::<String>::new());

    let kept = sync_text(&client, &csv_feed(10..25), Format::Csv, |s| {
        s.keep_missing(true)
    })
    .await;
    assert_eq!((kept.summary.deleted, kept.kept), (0, 10));
    assert_eq!(values_of(&tenant(&client).await, SOURCE).len(), 25);
}

#[tokio::test]
async fn the_three_formats_give_the_same_indicators() {
    let (_sim, client) = start().await;
    let csv = "type,value,description,tags,expiration\n\
               domain,evil.example.com,bad site,c2;apt,2031-01-01\n\
               sha256,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,,,\n";
    let jsonl = r#"{"type":"domain","value":"evil.example.com","description":"bad site","tags":["c2","apt"],"expiration":"2031-01-01T00:00:00Z"}

{"type":"sha256","value":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
"#;
    let stix = json!({"type": "bundle", "id": "bundle--1", "objects": [
        {"type": "indicator", "spec_version": "2.1", "pattern_type": "stix",
         "pattern": "[domain-name:value = 'evil.example.com']", "description": "bad site",
         "labels": ["apt", "c2"], "valid_until": "2031-01-01T00:00:00.000Z"},
        {"type": "indicator", "spec_version": "2.1", "pattern_type": "stix",
         "pattern": "[file:hashes.'SHA-256' = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']"},
        {"type": "indicator", "pattern": "[url:value = 'http://evil.example.com/']"}
    ]})
    .to_string();
    let first = sync_text(&client, csv, Format::Csv, |s| s).await;
    assert_eq!(first.summary.created, 2);
    let snapshot = tenant(&client).await;
    for (text, format) in [(jsonl, Format::Jsonl), (stix.as_str(), Format::Stix)] {
        let again = sync_text(&client, text, format, |s| s).await;
        assert_eq!(again.summary.unchanged, 2, "{format:?}: {}", again.summary);
        assert_eq!(tenant(&client).await, snapshot, "{format:?}");
    }
    let stix_report = sync_text(&client, &stix, Format::Stix, |s| s).await;
    assert_eq!(stix_report.summary.skipped, 1);
    assert!(
        stix_report.rows[2]
            .reason
            .as_deref()
            .unwrap()
            .contains("url:value")
    );
}

#[tokio::test]
async fn export_then_sync_changes_nothing() {
    let (sim, client) = start().await;
    let text = "type,value,host_groups,applied_globally,mobile_action,filename,expiration,description\n\
                domain,a.example.com,hg-1;hg-2,false,,,2032-05-06T07:08:09Z,\"with, comma\"\n\
                md5,0123456789abcdef0123456789abcdef,,,,evil.exe,,\n\
                ipv6,2001:DB8::1,,,,,,\n";
    assert!(sync_csv(&client, text).await.exact());
    for format in [Format::Csv, Format::Jsonl] {
        let rows = ioc_sync::export(&client, SOURCE).await.expect("export");
        let mut out = Vec::new();
        feed::write(rows, format, &mut out).unwrap();
        sim.clear_requests();
        let report = sync_text(&client, std::str::from_utf8(&out).unwrap(), format, |s| {
            s.defaults(Defaults::default())
        })
        .await;
        assert_eq!(
            report.summary.unchanged, 3,
            "{format:?}: {}",
            report.summary
        );
        assert_eq!(writes(&sim), Vec::<String>::new(), "{format:?}");
    }
}

#[tokio::test]
async fn a_run_stopped_midway_then_repeated_ends_exact() {
    let (sim, client) = start().await;
    // Three create batches of the service's 2,000.
    let text = csv_feed(0..5000);
    // Slow creates, so the run is certainly midway when it is dropped.
    sim.inject(Fault::new(
        "indicator.create.v1",
        FaultKind::Delay(Duration::from_millis(300)),
    ));
    let task = {
        let client = client.clone();
        let text = text.clone();
        // One request at a time, so the batches land one after another.
        tokio::spawn(
            async move { sync_text(&client, &text, Format::Csv, |s| s.in_flight(1)).await },
        )
    };
    loop {
        tokio::time::sleep(Duration::from_millis(10)).await;
        if sim.indicator_count() >= 2000 {
            break;
        }
    }
    task.abort();
    let _ = task.await;
    let landed = sim.indicator_count();
    assert!((2000..5000).contains(&landed), "stopped midway: {landed}");
    sim.clear_faults();
    let report = sync_csv(&client, &text).await;
    assert!(report.exact(), "{}", report.summary);
    assert_eq!(report.summary.created + report.summary.unchanged, 5000);
    assert_eq!(values_of(&tenant(&client).await, SOURCE).len(), 5000);
}

#[tokio::test]
async fn a_create_whose_reply_is_lost_makes_no_duplicate() {
    let sim = Simulator::start(Config::default()).await.unwrap();
    // The first create is handled after the client has given up on it.
    sim.inject(Fault::times(
        "indicator.create.v1",
        FaultKind::Delay(Duration::from_millis(600)),
        1,
    ));
    let slow = client(&sim, Some(Duration::from_millis(300)));
    let report = sync_csv(&slow, &csv_feed(0..10)).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let again = sync_csv(&client(&sim, None), &csv_feed(0..10)).await;
    assert!(again.exact(), "{} then {}", report.summary, again.summary);
    assert_eq!(values_of(&tenant(&slow).await, SOURCE).len(), 10);
}

#[tokio::test]
async fn rate_limited_writes_are_waited_out() {
    let (sim, client) = start().await;
    for op in [
        "indicator.create.v1",
        "indicator.combined.v1",
        "indicator.update.v1",
    ] {
        sim.inject(Fault::times(
            op,
            FaultKind::RateLimited {
                retry_after_epoch_secs_from_now: 1,
                use_retry_after_header: false,
            },
            2,
        ));
    }
    let report = Sync::new(&client, SOURCE)
        .defaults(defaults())
        .in_flight(8)
        .run(
            feed::read(csv_feed(0..800).as_bytes(), Format::Csv),
            &mut (),
        )
        .await
        .expect("sync runs");
    assert!(report.exact(), "{}", report.summary);
    assert_eq!(values_of(&tenant(&client).await, SOURCE).len(), 800);
}
