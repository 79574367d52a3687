//! Each of the 26 operations against the simulator, through the typed method, the PascalCase
//! alias where there is one, and `command()` by every id it accepts; the assertions are on
//! results: what was created can be found, changed and removed.

mod e2e_common;

use std::collections::BTreeSet;

use e2e_common::*;
use ioc_client::{ErrorKind, table};
use serde_json::json;

/// Every operation id in the table is exercised by this file (the list is checked against
/// the generated table so a new operation cannot slip through untested).
const COVERED: [&str; 26] = [
    "DevicesCount",
    "GetIOC",
    "CreateIOC",
    "DeleteIOC",
    "UpdateIOC",
    "DevicesRanOn",
    "QueryIOCs",
    "ProcessesRanOn",
    "indicator_get_device_count_v1",
    "indicator.aggregate.v1",
    "indicator.combined.v1",
    "action.get.v1",
    "GetIndicatorsReport",
    "indicator.get.v1",
    "indicator.create.v1",
    "indicator.delete.v1",
    "indicator.update.v1",
    "action.query.v1",
    "indicator_get_devices_ran_on_v1",
    "indicator_get_processes_ran_on_v1",
    "indicator.search.v1",
    "ioc_type.query.v1",
    "platform.query.v1",
    "severity.query.v1",
    "indicator_sdmf_query_v1",
    "entities.processes",
];

#[test]
fn the_suite_covers_every_operation_of_the_table() {
    let table: BTreeSet<&str> = table::OPERATIONS.iter().map(|op| op.id()).collect();
    let covered: BTreeSet<&str> = COVERED.into_iter().collect();
    assert_eq!(table, covered);
    let simulated: BTreeSet<&str> = ioc_simulator::operation_ids().into_iter().collect();
    assert_eq!(table, simulated);
}

/// indicator.create/get/search/combined/update/delete (v1): a full round trip per path.
#[tokio::test]
async fn indicators_v1_create_find_update_delete() {
    for via in Via::ALL {
        let (sim, c) = start().await;
        let sha = sha256(7);
        let created = indicator_create(
            &c,
            via,
            json!({"body": {"comment": "e2e create", "indicators": [
                indicator("domain", "Evil.Example.com", "medium", &["e2e"]),
                indicator("ipv4", "203.0.113.9", "low", &["e2e"]),
                indicator("sha256", &sha.to_uppercase(), "high", &["e2e", "hash"]),
            ]}}),
        )
        .await
        .unwrap_or_else(|e| panic!("{via:?}: create: {e}"));
        assert_eq!(created.status, 201, "{via:?}");
        let values = field_of(&created.body, "value");
        assert_eq!(values, ["evil.example.com", "203.0.113.9", sha.as_str()]);
        let ids = field_of(&created.body, "id");
        assert!(ids.iter().all(|id| id.len() == 64), "{via:?}: {ids:?}");
        let (domain_id, ip_id, sha_id) = (ids[0].clone(), ids[1].clone(), ids[2].clone());

        // A duplicate is refused, and accepted with ignore_warnings.
        let dup = json!({"body": {"indicators": [indicator("domain", "evil.example.com", "low", &["dup"])]}});
        let e = expect_api(indicator_create(&c, via, dup.clone()).await, 400);
        assert!(
            e.as_api().unwrap().errors[0].message.contains("Duplicate"),
            "{e}"
        );
        let mut forced = dup;
        forced["ignore_warnings"] = json!(true);
        let again = indicator_create(&c, via, forced).await.expect("forced");
        let dup_id = field_of(&again.body, "id")[0].clone();
        assert_ne!(dup_id, domain_id);

        // Get: found ones, plus one error per missing id.
        let missing = "0".repeat(64);
        let got = indicator_get(&c, via, json!({"ids": [domain_id, ip_id, sha_id, missing]}))
            .await
            .expect("get");
        assert_eq!(got.status, 200);
        assert_eq!(
            field_of(&got.body, "id"),
            [domain_id.as_str(), ip_id.as_str(), sha_id.as_str()]
        );
        assert_eq!(resources(&got.body)[1]["severity"], "low");
        assert_eq!(got.body["errors"][0]["id"], missing.as_str());

        // Search and combined with filters and sort.
        let found = indicator_search(
            &c,
            via,
            json!({"filter": "tags:'e2e'", "sort": "value.asc", "limit": 10}),
        )
        .await
        .expect("search");
        assert_eq!(
            resource_strings(&found.body),
            [ip_id.as_str(), sha_id.as_str(), domain_id.as_str()],
            "{via:?}: sorted by value"
        );
        assert_eq!(found.body["meta"]["pagination"]["total"], 3);
        let hashes = indicator_combined(
            &c,
            via,
            json!({"filter": "type:['sha256','md5']+tags:'hash'"}),
        )
        .await
        .expect("combined");
        assert_eq!(field_of(&hashes.body, "id"), [sha_id.as_str()]);
        assert_eq!(resources(&hashes.body)[0]["severity"], "high");

        // Update by id, then in bulk by filter.
        let updated = indicator_update(
            &c,
            via,
            json!({"body": {"comment": "raise", "indicators": [
                {"id": ip_id, "severity": "critical", "tags": ["e2e", "raised"]}
            ]}}),
        )
        .await
        .expect("update");
        assert_eq!(resources(&updated.body)[0]["severity"], "critical");
        let bulk = indicator_update(
            &c,
            via,
            json!({"body": {"bulk_update": {"filter": "type:'domain'", "action": "no_action"}}}),
        )
        .await
        .expect("bulk update");
        let mut bulk_ids = field_of(&bulk.body, "id");
        bulk_ids.sort();
        let mut want = vec![domain_id.clone(), dup_id.clone()];
        want.sort();
        assert_eq!(bulk_ids, want, "{via:?}: bulk update hits both domains");
        let after = indicator_combined(&c, via, json!({"filter": "action:'no_action'"}))
            .await
            .expect("combined");
        assert_eq!(field_of(&after.body, "type"), ["domain", "domain"]);
        let raised = indicator_get(&c, via, json!({"ids": [ip_id]}))
            .await
            .expect("get");
        assert_eq!(resources(&raised.body)[0]["severity"], "critical");
        assert_eq!(resources(&raised.body)[0]["tags"], json!(["e2e", "raised"]));

        // Delete by ids, then by filter; nothing is left.
        let deleted = indicator_delete(&c, via, json!({"ids": [ip_id], "comment": "bye"}))
            .await
            .expect("delete by id");
        assert_eq!(resource_strings(&deleted.body), [ip_id.as_str()]);
        expect_api(indicator_get(&c, via, json!({"ids": [ip_id]})).await, 404);
        let deleted = indicator_delete(&c, via, json!({"filter": "source:'e2e'"}))
            .await
            .expect("delete by filter");
        assert_eq!(resources(&deleted.body).len(), 3);
        let left = indicator_search(&c, via, json!({})).await.expect("search");
        assert!(resources(&left.body).is_empty());
        assert_eq!(left.body["meta"]["pagination"]["total"], 0);
        assert_eq!(sim.indicator_count(), 0);
        sim.shutdown().await;
    }
}

/// CreateIOC/GetIOC/QueryIOCs/UpdateIOC/DeleteIOC: the legacy type-and-value operations.
#[tokio::test]
async fn legacy_iocs_create_find_update_delete() {
    for via in Via::ALL {
        let (sim, c) = start().await;
        let md5 = md5(3);
        let tv = json!({"type": "md5", "value": md5});
        let created = create_ioc(
            &c,
            via,
            json!({"body": {"type": "md5", "value": md5, "action": "prevent", "severity": "high",
                            "platforms": ["windows"], "applied_globally": true, "source": "legacy"}}),
        )
        .await
        .unwrap_or_else(|e| panic!("{via:?}: {e}"));
        let id = field_of(&created.body, "id")[0].clone();
        assert_eq!(resources(&created.body)[0]["action"], "prevent");

        let got = get_ioc(&c, via, tv.clone()).await.expect("get");
        assert_eq!(field_of(&got.body, "id"), [id.as_str()]);
        // The same record is visible through the v1 operations.
        let v1 = indicator_get(&c, Via::Typed, json!({"ids": [id]}))
            .await
            .expect("v1 get");
        assert_eq!(field_of(&v1.body, "value"), [md5.as_str()]);

        let q = query_iocs(&c, via, json!({"types": "md5", "sources": "legacy"}))
            .await
            .expect("query");
        assert_eq!(resource_strings(&q.body), [id.as_str()]);
        let none = query_iocs(&c, via, json!({"types": "domain"}))
            .await
            .expect("query");
        assert!(resources(&none.body).is_empty());

        let mut upd = tv.clone();
        upd["body"] = json!({"severity": "low", "tags": ["legacy-updated"]});
        let updated = update_ioc(&c, via, upd).await.expect("update");
        assert_eq!(resources(&updated.body)[0]["severity"], "low");
        let got = get_ioc(&c, via, tv.clone()).await.expect("get");
        assert_eq!(resources(&got.body)[0]["tags"], json!(["legacy-updated"]));

        delete_ioc(&c, via, tv.clone()).await.expect("delete");
        expect_api(get_ioc(&c, via, tv.clone()).await, 404);
        expect_api(delete_ioc(&c, via, tv).await, 404);
        let q = query_iocs(&c, via, json!({"types": "md5"}))
            .await
            .expect("query");
        assert!(resources(&q.body).is_empty());
        // The service's rules hold on the legacy path too: allow is for hashes only.
        let bad = create_ioc(
            &c,
            via,
            json!({"body": {"type": "domain", "value": "ok.example", "action": "allow",
                            "platforms": ["mac"], "applied_globally": true}}),
        )
        .await;
        expect_api(bad, 400);
        assert_eq!(sim.indicator_count(), 0);
        sim.shutdown().await;
    }
}

/// DevicesCount, device-count v1, DevicesRanOn and its v1 twin, ProcessesRanOn and its v1
/// twin, entities.processes: the hosts that saw an indicator, their processes, the details.
#[tokio::test]
async fn hosts_and_processes_that_saw_an_indicator() {
    let (sim, c) = start().await;
    let tv = json!({"type": "domain", "value": "c2.example.net"});
    let mut reference: Option<Vec<String>> = None;
    for via in Via::ALL {
        let count = devices_count(&c, via, tv.clone()).await.expect("count");
        let n = resources(&count.body)[0]["device_count"]
            .as_u64()
            .expect("device_count") as usize;
        assert!((1..=24).contains(&n));
        let count_v1 = device_count_v1(&c, via, tv.clone())
            .await
            .expect("count v1");
        assert_eq!(resources(&count_v1.body)[0]["device_count"], n);
        assert_eq!(resources(&count_v1.body)[0]["value"], "c2.example.net");

        // All devices at once, then page by page (limit/offset are strings here).
        let mut all = tv.clone();
        all["limit"] = json!("500");
        let devices = resource_strings(&devices_ran_on(&c, via, all.clone()).await.unwrap().body);
        assert_eq!(devices.len(), n, "{via:?}: the count matches the list");
        let v1 = resource_strings(&devices_ran_on_v1(&c, via, all).await.unwrap().body);
        assert_eq!(v1, devices);
        let mut paged = Vec::new();
        let mut offset = 0;
        loop {
            let mut args = tv.clone();
            args["limit"] = json!("3");
            args["offset"] = json!(offset.to_string());
            let page = devices_ran_on_v1(&c, via, args).await.expect("page");
            let ids = resource_strings(&page.body);
            offset += ids.len();
            paged.extend(ids);
            if page.body["meta"]["pagination"]["next_page"].is_null() {
                break;
            }
        }
        assert_eq!(paged, devices, "{via:?}: paging loses nothing");
        if let Some(r) = &reference {
            assert_eq!(r, &devices, "the same answer every time");
        }
        reference = Some(devices.clone());

        // Processes on the first device, and their details.
        let mut args = tv.clone();
        args["device_id"] = json!(devices[0]);
        let pids = resource_strings(&processes_ran_on(&c, via, args.clone()).await.unwrap().body);
        assert!(!pids.is_empty());
        let prefix = format!("pid:{}:", devices[0]);
        assert!(pids.iter().all(|p| p.starts_with(&prefix)), "{pids:?}");
        let pids_v1 = resource_strings(&processes_ran_on_v1(&c, via, args).await.unwrap().body);
        assert_eq!(pids_v1, pids);
        let details = process_entities(&c, via, json!({"ids": pids}))
            .await
            .expect("details");
        assert_eq!(resources(&details.body).len(), pids.len());
        for (d, pid) in resources(&details.body).iter().zip(&pids) {
            assert_eq!(d["device_id"], devices[0].as_str());
            assert_eq!(pid.rsplit(':').next().unwrap(), d["process_id"]);
            assert!(d["file_name"].as_str().is_some_and(|f| !f.is_empty()));
        }
        expect_api(
            process_entities(&c, via, json!({"ids": ["pid:nothex:1"]})).await,
            404,
        );

        // A host that never saw the indicator has no processes for it.
        let unseen = (0..64)
            .map(|k| format!("{k:032x}"))
            .find(|d| !devices.contains(d))
            .unwrap();
        let mut args = tv.clone();
        args["device_id"] = json!(unseen);
        let none = processes_ran_on_v1(&c, via, args).await.expect("none");
        assert!(resources(&none.body).is_empty());
    }
    // A value that is not a domain is refused by each of them.
    let bad = json!({"type": "domain", "value": "not a domain"});
    expect_api(devices_count(&c, Via::Alias, bad.clone()).await, 400);
    expect_api(device_count_v1(&c, Via::Command, bad).await, 400);
    sim.shutdown().await;
}

/// action.query, ioc_type.query, platform.query, severity.query and action.get.
#[tokio::test]
async fn catalogs() {
    let (sim, c) = start().await;
    for via in Via::ALL {
        let types = catalog_query(&c, via, "ioc_type.query.v1", json!({}))
            .await
            .expect("types");
        assert_eq!(
            resource_strings(&types.body),
            ["sha256", "md5", "domain", "ipv4", "ipv6"]
        );
        let page = catalog_query(
            &c,
            via,
            "ioc_type.query.v1",
            json!({"offset": "2", "limit": 2}),
        )
        .await
        .expect("page");
        assert_eq!(resource_strings(&page.body), ["domain", "ipv4"]);
        assert_eq!(page.body["meta"]["pagination"]["total"], 5);

        let platforms = catalog_query(&c, via, "platform.query.v1", json!({"limit": 100}))
            .await
            .expect("platforms");
        assert!(resource_strings(&platforms.body).contains(&"linux".to_string()));
        let severities = catalog_query(&c, via, "severity.query.v1", json!({}))
            .await
            .expect("severities");
        assert_eq!(
            resource_strings(&severities.body),
            ["informational", "low", "medium", "high", "critical"]
        );

        let actions = resource_strings(
            &catalog_query(&c, via, "action.query.v1", json!({}))
                .await
                .expect("actions")
                .body,
        );
        assert!(actions.contains(&"detect".to_string()) && actions.contains(&"allow".to_string()));
        let records = action_get(&c, via, json!({"ids": actions}))
            .await
            .expect("action records");
        assert_eq!(field_of(&records.body, "id"), actions);
        let allow = resources(&records.body)
            .iter()
            .find(|r| r["id"] == "allow")
            .unwrap();
        assert!(allow["platforms_by_type"].get("sha256").is_some());
        assert!(
            allow["platforms_by_type"].get("domain").is_none(),
            "allow is for hashes only"
        );
        let detect = resources(&records.body)
            .iter()
            .find(|r| r["id"] == "detect")
            .unwrap();
        assert_eq!(detect["severities"].as_array().unwrap().len(), 5);
        expect_api(action_get(&c, via, json!({"ids": ["explode"]})).await, 404);
    }
    sim.shutdown().await;
}

/// indicator.aggregate, GetIndicatorsReport and the SDMF query.
#[tokio::test]
async fn aggregates_reports_and_sdmf_queries() {
    let (sim, c) = start().await;
    let mut batch = Vec::new();
    for i in 0..3 {
        batch.push(indicator(
            "domain",
            &format!("agg{i}.example.org"),
            "low",
            &["agg"],
        ));
    }
    for i in 0..2 {
        batch.push(indicator(
            "ipv4",
            &format!("198.51.100.{i}"),
            "high",
            &["agg"],
        ));
    }
    batch.push(indicator("md5", &md5(1), "high", &["other"]));
    indicator_create(&c, Via::Typed, json!({"body": {"indicators": batch}}))
        .await
        .expect("create");

    for via in Via::ALL {
        let agg = indicator_aggregate(
            &c,
            via,
            json!({"filter": "tags:'agg'",
                   "body": {"type": "terms", "field": "type", "name": "by_type", "size": 10}}),
        )
        .await
        .expect("aggregate");
        let result = &resources(&agg.body)[0];
        assert_eq!(result["name"], "by_type");
        let buckets: Vec<(String, u64)> = result["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["label"].as_str().unwrap().to_string(),
                    b["count"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            buckets,
            [("domain".to_string(), 3), ("ipv4".to_string(), 2)],
            "{via:?}"
        );
        let by_severity = indicator_aggregate(
            &c,
            via,
            json!({"body": {"type": "terms", "field": "severity", "size": 1}}),
        )
        .await
        .expect("aggregate");
        let result = &resources(&by_severity.body)[0];
        assert_eq!(result["buckets"][0]["label"], "high");
        assert_eq!(result["buckets"][0]["count"], 3);
        assert_eq!(result["sum_other_doc_count"], 3);

        let report = indicators_report(
            &c,
            via,
            json!({"body": {"report_format": "csv",
                            "search": {"filter": "type:'domain'", "sort": "value.asc"}}}),
        )
        .await
        .expect("report");
        let job = &resources(&report.body)[0];
        assert_eq!(job["status"], "pending");
        assert_eq!(job["report_format"], "csv");
        assert_eq!(job["search"]["filter"], "type:'domain'");
        expect_api(
            indicators_report(&c, via, json!({"body": {"report_format": "pdf"}})).await,
            400,
        );

        let sdmf = sdmf_query(
            &c,
            via,
            json!({"body": {"id": "query-7", "res_id": "r-1",
                            "nodes": [{"kind": "indicator", "filter": "type:'domain'"}]}}),
        )
        .await
        .expect("sdmf");
        let echoed = &resources(&sdmf.body)[0];
        assert_eq!(echoed["id"], "query-7");
        assert_eq!(echoed["status"], "completed");
        assert_eq!(echoed["nodes"][0]["kind"], "indicator");
    }
    sim.shutdown().await;
}

/// `command()` refuses what it cannot send before anything reaches the wire.
#[tokio::test]
async fn command_refuses_unknown_ids_and_arguments_before_sending() {
    let (sim, c) = start().await;
    let e = c
        .command("indicator.gte.v1", json!({}))
        .await
        .expect_err("unknown id");
    assert_eq!(e.kind(), ErrorKind::UnknownOperation);
    assert!(e.to_string().contains("indicator.get.v1"), "{e}");
    let e = c
        .command("indicator_get_v1", json!({"idz": ["a"]}))
        .await
        .expect_err("unknown argument");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = c
        .command("GetIOC", json!({"type": "domain"}))
        .await
        .expect_err("missing value");
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(sim.requests().is_empty(), "nothing was sent");
    // And the same call, complete, does go through.
    let reply = c
        .command(
            "GetIOC",
            json!({"type": "domain", "value": "absent.example"}),
        )
        .await;
    expect_api(reply, 404);
    sim.shutdown().await;
}

/// Characters that mean something in a URL (`+`, `&`, `#`, `%`, `=`, spaces, quotes) reach the
/// service intact: a tag written with them can be searched for, changed and deleted by it.
#[tokio::test]
async fn query_values_survive_the_wire() {
    let (sim, c) = start().await;
    for via in Via::ALL {
        let odd = format!("c++ & r&d #1 = 100% {via:?}");
        let created = indicator_create(
            &c,
            via,
            json!({"body": {"indicators": [indicator("ipv6", "2001:DB8::1", "low", &[odd.as_str()])]},
                   "ignore_warnings": true}),
        )
        .await
        .expect("create");
        let id = field_of(&created.body, "id")[0].clone();
        assert_eq!(resources(&created.body)[0]["value"], "2001:db8::1");
        let filter = format!("tags:\"{odd}\"+value:'2001:db8::1'");
        let found = indicator_search(&c, via, json!({"filter": filter}))
            .await
            .expect("search");
        assert_eq!(resource_strings(&found.body), [id.as_str()], "{via:?}");
        let gone = indicator_delete(
            &c,
            via,
            json!({"filter": filter, "comment": "100% done & dusted #1"}),
        )
        .await
        .expect("delete");
        assert_eq!(resource_strings(&gone.body), [id.as_str()]);
    }
    assert_eq!(sim.indicator_count(), 0);
    sim.shutdown().await;
}

/// What the service refuses comes back as an API error carrying its message.
#[tokio::test]
async fn refusals_come_back_as_api_errors_with_the_services_message() {
    let (sim, c) = start().await;
    let message = |e: ioc_client::Error| e.as_api().unwrap().errors[0].message.clone();
    for via in Via::ALL {
        // The table carries the service's range, so the client refuses before sending.
        let e = expect_kind(
            indicator_search(&c, via, json!({"limit": 501})).await,
            ErrorKind::InvalidArgument,
        );
        assert!(e.to_string().contains("1 to 500"), "{e}");
        let e = expect_api(
            indicator_search(&c, via, json!({"offset": 9_950, "limit": 100})).await,
            400,
        );
        assert!(message(e).contains("after"), "the hint names `after`");
        let e = expect_api(
            indicator_combined(&c, via, json!({"offset": 0, "after": "00"})).await,
            400,
        );
        assert!(message(e).contains("cannot be used together"));
        let e = expect_api(
            indicator_search(&c, via, json!({"filter": "type:'domain"})).await,
            400,
        );
        assert!(message(e).contains("Invalid filter"));
        let e = expect_api(
            indicator_create(
                &c,
                via,
                json!({"body": {"indicators": [
                    {"type": "sha256", "value": "abc", "action": "detect", "severity": "low",
                     "platforms": ["windows"], "applied_globally": true},
                    {"type": "domain", "value": "x.example", "action": "detect",
                     "platforms": ["windows"], "applied_globally": true},
                    {"type": "domain", "value": "y.example", "action": "no_action",
                     "platforms": ["windows"]},
                ]}}),
            )
            .await,
            400,
        );
        let api = e.as_api().unwrap();
        assert_eq!(api.errors.len(), 3, "one error per rejected indicator");
        assert!(api.errors[0].message.contains("Invalid value"));
        assert!(api.errors[1].message.contains("severity"));
        assert!(api.errors[2].message.contains("applied_globally"));
    }
    // An undeclared query parameter sent through `parameters` is the service's to refuse.
    let e = expect_api(
        c.command(
            "indicator.search.v1",
            json!({"parameters": {"q": "evil"}, "limit": 5}),
        )
        .await,
        400,
    );
    assert!(message(e).contains("'q'"));
    assert_eq!(sim.indicator_count(), 0);
    sim.shutdown().await;
}
