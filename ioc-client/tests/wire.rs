//! Every one of the 26 operations, called through its method, its PascalCase alias where it has
//! one, and `command()` (by spec id and by `_` id), over real HTTP to the simulator on 127.0.0.1:
//! each call's exact request (method, path, decoded query pairs in order, JSON body) and a
//! decoded success reply.

mod support;

use ioc_client::{Client, models};
use ioc_simulator::{RecordedRequest, Simulator};
use serde_json::{Value, json};

struct Harness {
    sim: Simulator,
    client: Client,
}

impl Harness {
    async fn new() -> Harness {
        let sim = support::sim().await;
        let client = support::client(&sim);
        Harness { sim, client }
    }

    /// The last request that was not OAuth.
    fn last(&self) -> RecordedRequest {
        support::api_requests(&self.sim)
            .pop()
            .expect("an API request was sent")
    }

    /// Asserts the last API request is exactly this one.
    fn expect(&self, method: &str, path: &str, query: &[(&str, &str)], body: Option<Value>) {
        let r = self.last();
        let got: Vec<(&str, &str)> = r
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!((r.method.as_str(), r.path.as_str()), (method, path));
        assert_eq!(got, query, "query of {method} {path}");
        assert_eq!(r.body, body, "body of {method} {path}");
        let auth = r.header("authorization").unwrap_or_default();
        assert!(auth.starts_with("Bearer "), "bearer token sent");
    }

    /// `command()` by both of an operation's ids when it has two; each sends `{}` as FalconPy's
    /// Uber class does when no body is given.
    async fn command_both(&self, ids: &[&str], args: Value) -> Vec<ioc_client::ApiResponse<Value>> {
        let mut out = Vec::new();
        for id in ids {
            out.push(
                self.client
                    .command(id, args.clone())
                    .await
                    .unwrap_or_else(|e| panic!("{id}: {e}")),
            );
        }
        out
    }
}

fn indicator(kind: &str, value: &str) -> models::ApiIndicatorCreateReqV1 {
    models::ApiIndicatorCreateReqV1::new(kind, value)
        .action(models::Action::Detect)
        .severity("high")
        .platforms(["windows", "linux"])
        .applied_globally(true)
}

fn sha(n: u32) -> String {
    format!("{n:064x}")
}

#[tokio::test]
async fn indicator_lifecycle_operations() {
    let h = Harness::new().await;

    // indicator.create.v1
    let body =
        models::ApiIndicatorCreateReqsV1::new([indicator("sha256", &sha(1))]).comment("wire");
    let created = h
        .client
        .indicator_create_v1()
        .retrodetects(false)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status, 201);
    let id1 = created.body.resources[0].id.clone().unwrap();
    // Exactly the fields set, in the spec's order, nothing else.
    h.expect(
        "POST",
        "/iocs/entities/indicators/v1",
        &[("retrodetects", "false")],
        Some(json!({
            "comment": "wire",
            "indicators": [{
                "action": "detect",
                "applied_globally": true,
                "platforms": ["windows", "linux"],
                "severity": "high",
                "type": "sha256",
                "value": sha(1),
            }],
        })),
    );
    let cmd_body =
        json!({"indicators": [serde_json::to_value(indicator("sha256", &sha(2))).unwrap()]});
    let r = h
        .client
        .command(
            "indicator.create.v1",
            json!({"ignore_warnings": true, "body": cmd_body}),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 201);
    let id2 = r.body["resources"][0]["id"].as_str().unwrap().to_string();
    h.expect(
        "POST",
        "/iocs/entities/indicators/v1",
        &[("ignore_warnings", "true")],
        Some(cmd_body),
    );
    let cmd_body =
        json!({"indicators": [serde_json::to_value(indicator("domain", "wire.example")).unwrap()]});
    let r = h
        .client
        .command("indicator_create_v1", json!({"body": cmd_body}))
        .await
        .unwrap();
    let id3 = r.body["resources"][0]["id"].as_str().unwrap().to_string();

    // indicator.get.v1
    let got = h
        .client
        .indicator_get_v1()
        .ids([id1.as_str(), id2.as_str()])
        .send()
        .await
        .unwrap();
    assert_eq!(got.body.resources.len(), 2);
    assert_eq!(
        got.body.resources[0].value.as_deref(),
        Some(sha(1).as_str())
    );
    h.expect(
        "GET",
        "/iocs/entities/indicators/v1",
        &[("ids", &id1), ("ids", &id2)],
        None,
    );
    for r in h
        .command_both(
            &["indicator.get.v1", "indicator_get_v1"],
            json!({"ids": [id1, id3]}),
        )
        .await
    {
        assert_eq!(r.body["resources"].as_array().unwrap().len(), 2);
        h.expect(
            "GET",
            "/iocs/entities/indicators/v1",
            &[("ids", &id1), ("ids", &id3)],
            Some(json!({})),
        );
    }
    // A comma-separated string is split, as FalconPy splits a keyword `ids`.
    h.client
        .command("indicator_get_v1", json!({"ids": format!("{id1},{id2}")}))
        .await
        .unwrap();
    h.expect(
        "GET",
        "/iocs/entities/indicators/v1",
        &[("ids", &id1), ("ids", &id2)],
        Some(json!({})),
    );

    // indicator.search.v1
    let found = h
        .client
        .indicator_search_v1()
        .filter("type:'sha256'")
        .sort("created_on.asc")
        .limit(10)
        .offset(0)
        .send()
        .await
        .unwrap();
    assert_eq!(found.body.resources, vec![id1.clone(), id2.clone()]);
    h.expect(
        "GET",
        "/iocs/queries/indicators/v1",
        &[
            ("filter", "type:'sha256'"),
            ("offset", "0"),
            ("limit", "10"),
            ("sort", "created_on.asc"),
        ],
        None,
    );
    for r in h
        .command_both(
            &["indicator.search.v1", "indicator_search_v1"],
            json!({"filter": "type:'domain'", "limit": "5"}),
        )
        .await
    {
        assert_eq!(r.body["resources"], json!([id3]));
        h.expect(
            "GET",
            "/iocs/queries/indicators/v1",
            &[("filter", "type:'domain'"), ("limit", "5")],
            Some(json!({})),
        );
    }

    // indicator.combined.v1
    let combined = h
        .client
        .indicator_combined_v1()
        .filter("type:'domain'")
        .sort("value|asc")
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(
        combined.body.resources[0].value.as_deref(),
        Some("wire.example")
    );
    h.expect(
        "GET",
        "/iocs/combined/indicator/v1",
        &[
            ("filter", "type:'domain'"),
            ("limit", "2"),
            ("sort", "value|asc"),
        ],
        None,
    );
    for r in h
        .command_both(
            &["indicator.combined.v1", "indicator_combined_v1"],
            json!({"filter": "type:'sha256'", "from_parent": false}),
        )
        .await
    {
        assert_eq!(r.body["resources"].as_array().unwrap().len(), 2);
        h.expect(
            "GET",
            "/iocs/combined/indicator/v1",
            &[("filter", "type:'sha256'"), ("from_parent", "false")],
            Some(json!({})),
        );
    }

    // indicator.update.v1
    let update = models::ApiIndicatorUpdateReqsV1::new()
        .comment("raise")
        .indicators([models::ApiIndicatorUpdateReqV1::new()
            .id(&id1)
            .severity(models::Severity::Critical)]);
    let updated = h
        .client
        .indicator_update_v1()
        .body(update.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.body.resources[0].severity,
        Some(models::Severity::Critical)
    );
    h.expect(
        "PATCH",
        "/iocs/entities/indicators/v1",
        &[],
        Some(json!({"comment": "raise", "indicators": [{"id": id1, "severity": "critical"}]})),
    );
    let bulk =
        json!({"bulk_update": {"filter": "type:'sha256'", "source": "wire"}, "indicators": [{}]});
    for r in h
        .command_both(
            &["indicator.update.v1", "indicator_update_v1"],
            json!({"retrodetects": "true", "body": bulk}),
        )
        .await
    {
        assert_eq!(r.status, 200);
        h.expect(
            "PATCH",
            "/iocs/entities/indicators/v1",
            &[("retrodetects", "true")],
            Some(bulk.clone()),
        );
    }

    // indicator.aggregate.v1
    let agg = models::MsaAggregateQueryRequest::new("type", "terms")
        .name("by_type")
        .size(10);
    let r = h
        .client
        .indicator_aggregate_v1()
        .filter("deleted:false")
        .body(agg.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.body.resources[0].name.as_deref(), Some("by_type"));
    // Only what was set: no `date_ranges`, `ranges` or `sub_aggregates` the caller never gave.
    h.expect(
        "POST",
        "/iocs/aggregates/indicators/v1",
        &[("filter", "deleted:false")],
        Some(json!({"field": "type", "name": "by_type", "size": 10, "type": "terms"})),
    );
    for r in h
        .command_both(
            &["indicator.aggregate.v1", "indicator_aggregate_v1"],
            json!({"body": agg}),
        )
        .await
    {
        assert_eq!(r.status, 200);
        h.expect(
            "POST",
            "/iocs/aggregates/indicators/v1",
            &[],
            Some(serde_json::to_value(&agg).unwrap()),
        );
    }

    // GetIndicatorsReport (PascalCase: method, alias, command)
    let report = models::ApiIndicatorsReportRequest::new(
        "csv",
        models::ApiIndicatorsSortedSearch::new().filter("type:'md5'"),
    );
    let expected = json!({"report_format": "csv", "search": {"filter": "type:'md5'"}});
    let r = h
        .client
        .get_indicators_report()
        .body(report.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    h.expect(
        "POST",
        "/iocs/entities/indicators-reports/v1",
        &[],
        Some(expected.clone()),
    );
    h.client
        .GetIndicatorsReport()
        .body(report)
        .send()
        .await
        .unwrap();
    h.expect(
        "POST",
        "/iocs/entities/indicators-reports/v1",
        &[],
        Some(expected.clone()),
    );
    h.client
        .command("GetIndicatorsReport", json!({"body": expected}))
        .await
        .unwrap();
    h.expect(
        "POST",
        "/iocs/entities/indicators-reports/v1",
        &[],
        Some(expected),
    );

    // indicator_sdmf_query_v1
    let sdmf = models::ApiSdmfQueryRequest {
        control_info: Some(Default::default()),
        id: Some("q1".into()),
        ..Default::default()
    };
    let r = h
        .client
        .indicator_sdmf_query_v1()
        .body(sdmf.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    h.expect(
        "POST",
        "/iocs/sdmf/query/v1",
        &[],
        Some(json!({"control_info": {}, "id": "q1"})),
    );
    h.client
        .command("indicator_sdmf_query_v1", json!({"body": {"id": "q2"}}))
        .await
        .unwrap();
    h.expect(
        "POST",
        "/iocs/sdmf/query/v1",
        &[],
        Some(json!({"id": "q2"})),
    );

    // indicator.delete.v1
    let r = h
        .client
        .indicator_delete_v1()
        .ids([id1.as_str()])
        .comment("done")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    h.expect(
        "DELETE",
        "/iocs/entities/indicators/v1",
        &[("ids", &id1), ("comment", "done")],
        None,
    );
    h.client
        .command("indicator.delete.v1", json!({"ids": [id2]}))
        .await
        .unwrap();
    h.expect(
        "DELETE",
        "/iocs/entities/indicators/v1",
        &[("ids", &id2)],
        Some(json!({})),
    );
    h.client
        .command(
            "indicator_delete_v1",
            json!({"filter": "type:'domain'", "comment": "all"}),
        )
        .await
        .unwrap();
    h.expect(
        "DELETE",
        "/iocs/entities/indicators/v1",
        &[("filter", "type:'domain'"), ("comment", "all")],
        Some(json!({})),
    );
    assert_eq!(h.sim.indicator_count(), 0);
}

#[tokio::test]
async fn catalog_operations() {
    let h = Harness::new().await;
    // action.query.v1, then action.get.v1 with what it returned.
    let actions = h
        .client
        .action_query_v1()
        .limit(10)
        .offset("0")
        .send()
        .await
        .unwrap();
    assert!(actions.body.resources.contains(&"detect".to_string()));
    h.expect(
        "GET",
        "/iocs/queries/actions/v1",
        &[("offset", "0"), ("limit", "10")],
        None,
    );
    for r in h
        .command_both(
            &["action.query.v1", "action_query_v1"],
            json!({"offset": 0, "limit": "10"}),
        )
        .await
    {
        assert!(!r.body["resources"].as_array().unwrap().is_empty());
        h.expect(
            "GET",
            "/iocs/queries/actions/v1",
            &[("offset", "0"), ("limit", "10")],
            Some(json!({})),
        );
    }
    let got = h
        .client
        .action_get_v1()
        .ids(["detect", "prevent"])
        .send()
        .await
        .unwrap();
    assert_eq!(got.body.resources.len(), 2);
    h.expect(
        "GET",
        "/iocs/entities/actions/v1",
        &[("ids", "detect"), ("ids", "prevent")],
        None,
    );
    for r in h
        .command_both(
            &["action.get.v1", "action_get_v1"],
            json!({"ids": ["allow"]}),
        )
        .await
    {
        assert_eq!(r.body["resources"][0]["id"], "allow");
        h.expect(
            "GET",
            "/iocs/entities/actions/v1",
            &[("ids", "allow")],
            Some(json!({})),
        );
    }

    for (spec_id, path, want) in [
        ("ioc_type.query.v1", "/iocs/queries/ioc-types/v1", "sha256"),
        ("platform.query.v1", "/iocs/queries/platforms/v1", "windows"),
        (
            "severity.query.v1",
            "/iocs/queries/severities/v1",
            "critical",
        ),
    ] {
        let typed = match spec_id {
            "ioc_type.query.v1" => {
                h.client
                    .ioc_type_query_v1()
                    .limit(50)
                    .send()
                    .await
                    .unwrap()
                    .body
                    .resources
            }
            "platform.query.v1" => {
                h.client
                    .platform_query_v1()
                    .limit(50)
                    .send()
                    .await
                    .unwrap()
                    .body
                    .resources
            }
            _ => {
                h.client
                    .severity_query_v1()
                    .limit(50)
                    .send()
                    .await
                    .unwrap()
                    .body
                    .resources
            }
        };
        assert!(typed.contains(&want.to_string()), "{spec_id}: {typed:?}");
        h.expect("GET", path, &[("limit", "50")], None);
        let underscored = spec_id.replace('.', "_");
        for r in h
            .command_both(&[spec_id, &underscored], json!({"offset": "1"}))
            .await
        {
            assert!(r.body["resources"].is_array());
            h.expect("GET", path, &[("offset", "1")], Some(json!({})));
        }
    }
}

#[tokio::test]
async fn device_and_process_operations() {
    let h = Harness::new().await;
    let (t, v) = ("domain", "seen.example");
    let tv = [("type", t), ("value", v)];

    // indicator_get_device_count_v1 and its legacy twin DevicesCount.
    let n = h
        .client
        .indicator_get_device_count_v1()
        .type_(t)
        .value(v)
        .send()
        .await
        .unwrap()
        .body
        .resources[0]
        .device_count;
    h.expect(
        "GET",
        "/iocs/aggregates/indicators/device-count/v1",
        &tv,
        None,
    );
    h.client
        .command(
            "indicator_get_device_count_v1",
            json!({"type": t, "value": v}),
        )
        .await
        .unwrap();
    h.expect(
        "GET",
        "/iocs/aggregates/indicators/device-count/v1",
        &tv,
        Some(json!({})),
    );
    for r in [
        h.client
            .devices_count()
            .type_(t)
            .value(v)
            .send()
            .await
            .unwrap(),
        h.client
            .DevicesCount()
            .type_(t)
            .value(v)
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(r.body.resources[0].device_count, n);
        h.expect("GET", "/indicators/aggregates/devices-count/v1", &tv, None);
    }
    let r = h
        .client
        .command("DevicesCount", json!({"type": t, "value": v}))
        .await
        .unwrap();
    assert_eq!(r.body["resources"][0]["device_count"], json!(n));
    h.expect(
        "GET",
        "/indicators/aggregates/devices-count/v1",
        &tv,
        Some(json!({})),
    );

    // devices ran on: new and legacy path; limit and offset are strings on these.
    let devices = h
        .client
        .indicator_get_devices_ran_on_v1()
        .type_(t)
        .value(v)
        .limit("5")
        .offset("0")
        .send()
        .await
        .unwrap()
        .body
        .resources;
    assert!(!devices.is_empty());
    h.expect(
        "GET",
        "/iocs/queries/indicators/devices/v1",
        &[tv[0], tv[1], ("limit", "5"), ("offset", "0")],
        None,
    );
    h.client
        .command(
            "indicator_get_devices_ran_on_v1",
            json!({"type": t, "value": v, "limit": 5}),
        )
        .await
        .unwrap();
    h.expect(
        "GET",
        "/iocs/queries/indicators/devices/v1",
        &[tv[0], tv[1], ("limit", "5")],
        Some(json!({})),
    );
    for r in [
        h.client
            .devices_ran_on()
            .type_(t)
            .value(v)
            .limit("5")
            .send()
            .await
            .unwrap(),
        h.client
            .DevicesRanOn()
            .type_(t)
            .value(v)
            .limit("5")
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(r.body.resources, devices);
        h.expect(
            "GET",
            "/indicators/queries/devices/v1",
            &[tv[0], tv[1], ("limit", "5")],
            None,
        );
    }
    h.client
        .command("DevicesRanOn", json!({"type": t, "value": v}))
        .await
        .unwrap();
    h.expect(
        "GET",
        "/indicators/queries/devices/v1",
        &tv,
        Some(json!({})),
    );

    // processes ran on, then entities.processes with what it returned.
    let device = devices[0].as_str();
    let q = [tv[0], tv[1], ("device_id", device)];
    let pids = h
        .client
        .indicator_get_processes_ran_on_v1()
        .type_(t)
        .value(v)
        .device_id(device)
        .send()
        .await
        .unwrap()
        .body
        .resources;
    assert!(!pids.is_empty());
    h.expect("GET", "/iocs/queries/indicators/processes/v1", &q, None);
    h.client
        .command(
            "indicator_get_processes_ran_on_v1",
            json!({"type": t, "value": v, "device_id": device}),
        )
        .await
        .unwrap();
    h.expect(
        "GET",
        "/iocs/queries/indicators/processes/v1",
        &q,
        Some(json!({})),
    );
    for r in [
        h.client
            .processes_ran_on()
            .type_(t)
            .value(v)
            .device_id(device)
            .send()
            .await
            .unwrap(),
        h.client
            .ProcessesRanOn()
            .type_(t)
            .value(v)
            .device_id(device)
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(r.body.resources, pids);
        h.expect("GET", "/indicators/queries/processes/v1", &q, None);
    }
    h.client
        .command(
            "ProcessesRanOn",
            json!({"type": t, "value": v, "device_id": device}),
        )
        .await
        .unwrap();
    h.expect(
        "GET",
        "/indicators/queries/processes/v1",
        &q,
        Some(json!({})),
    );

    let details = h
        .client
        .entities_processes()
        .ids([pids[0].as_str()])
        .send()
        .await
        .unwrap();
    assert_eq!(details.body.resources[0].device_id.as_deref(), Some(device));
    h.expect(
        "GET",
        "/processes/entities/processes/v1",
        &[("ids", &pids[0])],
        None,
    );
    for r in h
        .command_both(
            &["entities.processes", "entities_processes"],
            json!({"ids": pids[0]}),
        )
        .await
    {
        assert_eq!(r.body["resources"][0]["device_id"], device);
        h.expect(
            "GET",
            "/processes/entities/processes/v1",
            &[("ids", &pids[0])],
            Some(json!({})),
        );
    }
}

#[tokio::test]
async fn legacy_ioc_operations() {
    let h = Harness::new().await;
    let tv = |v: &'static str| [("type", "domain"), ("value", v)];

    // CreateIOC: method, alias, command; each creates its own indicator.
    for (value, how) in [("a.example", 0), ("b.example", 1), ("c.example", 2)] {
        let body = indicator("domain", value);
        let r = match how {
            0 => {
                h.client
                    .create_ioc()
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap()
                    .body
            }
            1 => {
                h.client
                    .CreateIOC()
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap()
                    .body
            }
            _ => serde_json::from_value(
                h.client
                    .command("CreateIOC", json!({"body": body}))
                    .await
                    .unwrap()
                    .body,
            )
            .unwrap(),
        };
        assert_eq!(r.resources[0].value.as_deref(), Some(value));
        h.expect(
            "POST",
            "/indicators/entities/iocs/v1",
            &[],
            Some(serde_json::to_value(&body).unwrap()),
        );
    }

    // GetIOC
    let r = h
        .client
        .get_ioc()
        .type_("domain")
        .value("a.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.body.resources[0].value.as_deref(), Some("a.example"));
    h.expect(
        "GET",
        "/indicators/entities/iocs/v1",
        &tv("a.example"),
        None,
    );
    h.client
        .GetIOC()
        .type_("domain")
        .value("b.example")
        .send()
        .await
        .unwrap();
    h.expect(
        "GET",
        "/indicators/entities/iocs/v1",
        &tv("b.example"),
        None,
    );
    h.client
        .command("GetIOC", json!({"type": "domain", "value": "c.example"}))
        .await
        .unwrap();
    h.expect(
        "GET",
        "/indicators/entities/iocs/v1",
        &tv("c.example"),
        Some(json!({})),
    );

    // UpdateIOC
    let change = models::ApiIndicatorUpdateReqV1::new().severity("low");
    let r = h
        .client
        .update_ioc()
        .type_("domain")
        .value("a.example")
        .body(change.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.body.resources[0].severity, Some(models::Severity::Low));
    h.expect(
        "PATCH",
        "/indicators/entities/iocs/v1",
        &tv("a.example"),
        Some(json!({"severity": "low"})),
    );
    h.client
        .UpdateIOC()
        .type_("domain")
        .value("b.example")
        .body(change)
        .send()
        .await
        .unwrap();
    h.expect(
        "PATCH",
        "/indicators/entities/iocs/v1",
        &tv("b.example"),
        Some(json!({"severity": "low"})),
    );
    h.client
        .command(
            "UpdateIOC",
            json!({"type": "domain", "value": "c.example", "body": {"severity": "low"}}),
        )
        .await
        .unwrap();
    h.expect(
        "PATCH",
        "/indicators/entities/iocs/v1",
        &tv("c.example"),
        Some(json!({"severity": "low"})),
    );

    // QueryIOCs: dotted parameter names, escaped setters.
    let r = h.client.query_iocs().types("domain").send().await.unwrap();
    assert_eq!(r.body.resources.len(), 3);
    h.expect(
        "GET",
        "/indicators/queries/iocs/v1",
        &[("types", "domain")],
        None,
    );
    h.client
        .QueryIOCs()
        .values("a.example")
        .to_expiration_timestamp("2030-01-01T00:00:00Z")
        .send()
        .await
        .unwrap();
    h.expect(
        "GET",
        "/indicators/queries/iocs/v1",
        &[
            ("values", "a.example"),
            ("to.expiration_timestamp", "2030-01-01T00:00:00Z"),
        ],
        None,
    );
    h.client
        .command(
            "QueryIOCs",
            json!({"types": "domain", "include_deleted": false}),
        )
        .await
        .unwrap();
    h.expect(
        "GET",
        "/indicators/queries/iocs/v1",
        &[("types", "domain"), ("include_deleted", "false")],
        Some(json!({})),
    );

    // DeleteIOC
    h.client
        .delete_ioc()
        .type_("domain")
        .value("a.example")
        .send()
        .await
        .unwrap();
    h.expect(
        "DELETE",
        "/indicators/entities/iocs/v1",
        &tv("a.example"),
        None,
    );
    h.client
        .DeleteIOC()
        .type_("domain")
        .value("b.example")
        .send()
        .await
        .unwrap();
    h.expect(
        "DELETE",
        "/indicators/entities/iocs/v1",
        &tv("b.example"),
        None,
    );
    h.client
        .command("DeleteIOC", json!({"type": "domain", "value": "c.example"}))
        .await
        .unwrap();
    h.expect(
        "DELETE",
        "/indicators/entities/iocs/v1",
        &tv("c.example"),
        Some(json!({})),
    );
    assert_eq!(h.sim.indicator_count(), 0);
}

#[tokio::test]
async fn parameters_are_sent_as_given_and_override_reaches_any_path() {
    let h = Harness::new().await;
    // A declared argument wins over the same key in `parameters`; others go after, as given.
    h.client
        .command(
            "indicator.search.v1",
            json!({"limit": 3, "parameters": {"limit": "99", "filter": "type:'md5'"}}),
        )
        .await
        .unwrap();
    h.expect(
        "GET",
        "/iocs/queries/indicators/v1",
        &[("limit", "3"), ("filter", "type:'md5'")],
        Some(json!({})),
    );
    // A required parameter given through `parameters` counts as given.
    h.client
        .command("indicator.get.v1", json!({"parameters": {"ids": "x"}}))
        .await
        .unwrap_err();
    h.expect(
        "GET",
        "/iocs/entities/indicators/v1",
        &[("ids", "x")],
        Some(json!({})),
    );

    let r = h
        .client
        .command_override(
            "get",
            "/iocs/queries/severities/v1",
            json!({"parameters": {"limit": 2, "offset": "0"}}),
        )
        .await
        .unwrap();
    assert_eq!(r.body["resources"].as_array().unwrap().len(), 2);
    h.expect(
        "GET",
        "/iocs/queries/severities/v1",
        &[("limit", "2"), ("offset", "0")],
        Some(json!({})),
    );
}

/// FalconPy's `indicator_aggregate(field="type", type="terms")` sends exactly
/// `{"field": "type", "type": "terms"}`; so does the typed body with the same two fields: a
/// request model sends only what was set, however many fields the spec lists.
#[tokio::test]
async fn aggregate_body_carries_only_what_was_set() {
    let h = Harness::new().await;
    h.client
        .indicator_create_v1()
        .body(models::ApiIndicatorCreateReqsV1::new([
            indicator("sha256", &sha(7)),
            indicator("domain", "agg.example"),
        ]))
        .send()
        .await
        .unwrap();

    let r = h
        .client
        .indicator_aggregate_v1()
        .body(models::MsaAggregateQueryRequest::new("type", "terms"))
        .send()
        .await
        .unwrap();
    h.expect(
        "POST",
        "/iocs/aggregates/indicators/v1",
        &[],
        Some(json!({"field": "type", "type": "terms"})),
    );
    let buckets = &r.body.resources[0].buckets;
    assert_eq!(buckets.len(), 2, "{buckets:?}");

    // An empty list set on purpose is sent as given: set, so sent.
    h.client
        .indicator_aggregate_v1()
        .body(
            models::MsaAggregateQueryRequest::new("type", "terms")
                .sub_aggregates(Vec::<models::MsaAggregateQueryRequest>::new()),
        )
        .send()
        .await
        .unwrap();
    h.expect(
        "POST",
        "/iocs/aggregates/indicators/v1",
        &[],
        Some(json!({"field": "type", "sub_aggregates": [], "type": "terms"})),
    );
}

/// A parameter or field of a value set takes the enum or any string; a value the spec does not
/// list goes out as given, and `command()` does not check values against the set.
#[tokio::test]
async fn value_sets_take_the_enum_or_any_string() {
    let h = Harness::new().await;
    let tv = |t: &str| {
        vec![
            ("type".to_string(), t.to_string()),
            ("value".into(), "a.example".into()),
        ]
    };
    let query = |r: &RecordedRequest| r.query.clone();

    h.client
        .indicator_get_device_count_v1()
        .type_(models::IndicatorType::Domain)
        .value("a.example")
        .send()
        .await
        .ok();
    assert_eq!(query(&h.last()), tv("domain"));
    h.client
        .indicator_get_device_count_v1()
        .type_("domain")
        .value("a.example")
        .send()
        .await
        .ok();
    assert_eq!(query(&h.last()), tv("domain"));
    // Not a type the spec lists: sent as given, and the service's answer is the caller's.
    let refused = h
        .client
        .indicator_get_device_count_v1()
        .type_("sha1")
        .value("a.example")
        .send()
        .await;
    assert_eq!(query(&h.last()), tv("sha1"));
    assert_eq!(refused.unwrap_err().as_api().map(|a| a.status), Some(400));
    h.client
        .command(
            "indicator_get_device_count_v1",
            json!({"type": "sha1", "value": "a.example"}),
        )
        .await
        .ok();
    assert_eq!(query(&h.last()), tv("sha1"));

    // In a body: known and unknown values alike.
    let body = models::ApiIndicatorCreateReqsV1::new([models::ApiIndicatorCreateReqV1::new(
        models::IndicatorType::Unknown("sha1".into()),
        "00",
    )
    .action("quarantine")
    .platforms([models::Platform::Windows, "beos".into()])]);
    h.client.indicator_create_v1().body(body).send().await.ok();
    h.expect(
        "POST",
        "/iocs/entities/indicators/v1",
        &[],
        Some(json!({"indicators": [{
            "action": "quarantine",
            "platforms": ["windows", "beos"],
            "type": "sha1",
            "value": "00",
        }]})),
    );
}

/// A builder is `Clone` and `Debug` (written once, on `operations::Request`, for every
/// operation): a clone sends the same request as the original, and `Debug` names the operation.
#[tokio::test]
async fn a_cloned_builder_sends_the_same_request() {
    let h = Harness::new().await;
    let search = h
        .client
        .indicator_search_v1()
        .filter("type:'domain'")
        .limit(5);
    let shown = format!("{search:?}");
    assert!(shown.contains("indicator.search.v1"), "{shown}");
    search.clone().send().await.expect("the clone is sent");
    let first = h.last();
    search.send().await.expect("the original is sent");
    let second = h.last();
    assert_eq!(
        (first.method, first.path, first.query),
        (second.method, second.path, second.query)
    );
}
