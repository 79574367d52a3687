//! Create, get, search, combined, update and delete, FQL filters and sorting.

use crate::common::{H, ind, sha};
use reqwest::Method;
use serde_json::{Value, json};

const ENTITIES: &str = "/iocs/entities/indicators/v1";

#[tokio::test]
async fn round_trip_create_get_search_update_delete() {
    let h = H::new().await;
    let ids = h
        .create(vec![
            ind("sha256", &sha(1)),
            ind("domain", "Evil.Example.com"),
        ])
        .await;
    assert_eq!(ids.len(), 2);
    assert!(
        ids.iter()
            .all(|i| i.len() == 64 && i.bytes().all(|b| b.is_ascii_hexdigit()))
    );

    // get: one found, one missing
    let r = h
        .get(ENTITIES, &[("ids", &ids[1]), ("ids", "missing")])
        .await;
    assert_eq!(r.status, 200);
    let rec = &r.resources()[0];
    assert_eq!(rec["value"], "evil.example.com");
    assert_eq!(rec["type"], "domain");
    assert_eq!(rec["created_by"], "sim-client-id");
    assert_eq!(rec["deleted"], false);
    assert_eq!(rec["expired"], false);
    assert!(rec["created_on"].as_str().unwrap().ends_with('Z'));
    assert_eq!(r.body["errors"][0]["code"], 404);
    assert_eq!(r.body["errors"][0]["id"], "missing");
    assert_eq!(h.get(ENTITIES, &[("ids", "missing")]).await.status, 404);

    // search
    let r = h
        .get(
            "/iocs/queries/indicators/v1",
            &[("filter", "type:'domain'")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["resources"], json!([ids[1]]));
    assert_eq!(r.body["meta"]["pagination"]["total"], 1);

    // update by id
    let r = h
        .call(
            Method::PATCH,
            ENTITIES,
            &[],
            Some(json!({"comment": "raise", "indicators": [
                {"id": ids[0], "severity": "critical", "tags": ["t1"]}]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rec = &r.resources()[0];
    assert_eq!(rec["severity"], "critical");
    assert_eq!(rec["tags"], json!(["t1"]));
    assert!(rec["modified_on"].as_str() > rec["created_on"].as_str());

    // combined sees the change
    let r = h
        .get("/iocs/combined/indicator/v1", &[("filter", "tags:'t1'")])
        .await;
    assert_eq!(r.resources().len(), 1);
    assert_eq!(r.resources()[0]["id"], ids[0].as_str());

    // delete by id
    let r = h
        .call(
            Method::DELETE,
            ENTITIES,
            &[("ids", &ids[0]), ("comment", "bye")],
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["resources"], json!([ids[0]]));
    assert_eq!(h.get(ENTITIES, &[("ids", &ids[0])]).await.status, 404);
    assert_eq!(h.sim.indicator_count(), 1);
}

#[tokio::test]
async fn create_reports_per_indicator_errors() {
    let h = H::new().await;
    let mut no_scope = ind("md5", &"a".repeat(32));
    no_scope["applied_globally"] = json!(false);
    let mut prevent_domain = ind("domain", "x.com");
    prevent_domain["action"] = json!("prevent");
    let mut no_platforms = ind("ipv4", "10.1.2.3");
    no_platforms["platforms"] = json!([]);
    let r = h
        .call(
            Method::POST,
            ENTITIES,
            &[],
            Some(json!({"indicators": [
                ind("sha256", "abc"),
                ind("url", "http://x"),
                ind("ipv4", "1.2.3.999"),
                no_scope,
                prevent_domain,
                no_platforms,
                ind("ipv6", "2001:db8::1"),
            ]})),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.resources().len(), 1);
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 6);

    // duplicates are refused unless ignore_warnings=true
    let r = h
        .call(
            Method::POST,
            ENTITIES,
            &[],
            Some(json!({"indicators": [ind("ipv6", "2001:db8::1")]})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.first_error().contains("Duplicate"), "{}", r.body);
    let r = h
        .call(
            Method::POST,
            ENTITIES,
            &[("ignore_warnings", "true")],
            Some(json!({"indicators": [ind("ipv6", "2001:db8::1")]})),
        )
        .await;
    assert_eq!(r.status, 201);
}

async fn seeded() -> H {
    let h = H::new().await;
    let mut items = Vec::new();
    for (i, (kind, value, sev)) in [
        ("sha256", sha(10), "low"),
        ("sha256", sha(11), "high"),
        ("md5", "b".repeat(32), "medium"),
        ("domain", "alpha.example".to_string(), "critical"),
        ("ipv4", "192.0.2.7".to_string(), "informational"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut o = ind(kind, &value);
        o["severity"] = json!(sev);
        o["tags"] = json!([format!("tag{}", i % 2)]);
        o["metadata"] = json!({"filename": format!("file{i}.exe")});
        if i == 4 {
            o["applied_globally"] = json!(false);
            o["host_groups"] = json!(["hg1"]);
            o["platforms"] = json!(["mac"]);
        }
        items.push(o);
    }
    h.create(items).await;
    h
}

async fn values(h: &H, filter: &str, sort: Option<&str>) -> Vec<String> {
    let mut q = vec![("filter", filter)];
    if let Some(s) = sort {
        q.push(("sort", s));
    }
    let r = h.get("/iocs/combined/indicator/v1", &q).await;
    assert_eq!(r.status, 200, "{filter}: {}", r.body);
    r.resources()
        .iter()
        .map(|i| i["value"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn fql_filters() {
    let h = seeded().await;
    assert_eq!(values(&h, "type:'sha256'", None).await.len(), 2);
    assert_eq!(values(&h, "type:\"md5\"", None).await, vec!["b".repeat(32)]);
    assert_eq!(values(&h, "type:['md5','domain']", None).await.len(), 2);
    assert_eq!(values(&h, "type:!'sha256'", None).await.len(), 3);
    assert_eq!(
        values(&h, "value:'alpha*'", None).await,
        vec!["alpha.example"]
    );
    assert_eq!(values(&h, "value:'*.2.7'", None).await, vec!["192.0.2.7"]);
    assert_eq!(
        values(&h, "applied_globally:false", None).await,
        vec!["192.0.2.7"]
    );
    assert_eq!(values(&h, "platforms:'mac'", None).await, vec!["192.0.2.7"]);
    assert_eq!(values(&h, "platforms:'linux'", None).await.len(), 4);
    assert_eq!(values(&h, "tags:'tag1'", None).await.len(), 2);
    assert_eq!(values(&h, "host_groups:'hg1'", None).await.len(), 1);
    assert_eq!(
        values(&h, "metadata.filename:'file3.exe'", None).await,
        vec!["alpha.example"]
    );
    assert_eq!(
        values(&h, "type:'sha256'+severity:'high'", None).await,
        vec![sha(11)]
    );
    // AND binds tighter than OR
    assert_eq!(
        values(&h, "type:'sha256'+severity:'high',type:'md5'", None)
            .await
            .len(),
        2
    );
    assert_eq!(
        values(&h, "created_on:>'2000-01-01T00:00:00Z'", None)
            .await
            .len(),
        5
    );
    assert_eq!(
        values(&h, "created_on:<'2000-01-01T00:00:00Z'", None)
            .await
            .len(),
        0
    );
    assert_eq!(
        values(&h, "created_by:'sim-client-id'+deleted:false", None)
            .await
            .len(),
        5
    );
    let r = h
        .get(
            "/iocs/queries/indicators/v1",
            &[("filter", "nosuchfield:'x'")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.first_error().contains("filter"));
    let r = h
        .get("/iocs/queries/indicators/v1", &[("filter", "type:'x")])
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn sorting() {
    let h = seeded().await;
    let asc = values(
        &h,
        "type:['sha256','md5','domain','ipv4']",
        Some("value.asc"),
    )
    .await;
    let mut expected = asc.clone();
    expected.sort();
    assert_eq!(asc, expected);
    let desc = values(
        &h,
        "type:['sha256','md5','domain','ipv4']",
        Some("value|desc"),
    )
    .await;
    expected.reverse();
    assert_eq!(desc, expected);
    let by_sev = values(
        &h,
        "created_by:'sim-client-id'",
        Some("severity_number.desc"),
    )
    .await;
    assert_eq!(by_sev[0], "alpha.example"); // critical
    assert_eq!(by_sev[4], "192.0.2.7"); // informational
    let bare = values(&h, "created_by:'sim-client-id'", Some("created_on")).await;
    let newest_first = values(&h, "created_by:'sim-client-id'", Some("created_on|desc")).await;
    assert_eq!(bare.iter().rev().cloned().collect::<Vec<_>>(), newest_first);
    let r = h
        .get("/iocs/queries/indicators/v1", &[("sort", "bogus.asc")])
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn bulk_update_and_delete_by_filter() {
    let h = seeded().await;
    let r = h
        .call(
            Method::PATCH,
            ENTITIES,
            &[],
            // FalconPy always sends `indicators: [{}]` with a bulk update.
            Some(
                json!({"bulk_update": {"filter": "type:'sha256'", "source": "bulk"},
                        "indicators": [{}]}),
            ),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.resources().len(), 2);
    assert_eq!(values(&h, "source:'bulk'", None).await.len(), 2);

    let r = h
        .call(
            Method::DELETE,
            ENTITIES,
            &[("filter", "source:'bulk'")],
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.resources().len(), 2);
    assert_eq!(h.sim.indicator_count(), 3);
    let r = h.call(Method::DELETE, ENTITIES, &[], None).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn aggregate_terms() {
    let h = seeded().await;
    let r = h
        .call(
            Method::POST,
            "/iocs/aggregates/indicators/v1",
            &[("filter", "applied_globally:true")],
            Some(json!({"type": "terms", "field": "type", "name": "by_type", "size": 10})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let agg = &r.resources()[0];
    assert_eq!(agg["name"], "by_type");
    let buckets: Vec<(Value, Value)> = agg["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["label"].clone(), b["count"].clone()))
        .collect();
    assert_eq!(buckets[0], (json!("sha256"), json!(2)));
    assert_eq!(buckets.len(), 3);
}

#[tokio::test]
async fn legacy_endpoints_by_type_and_value() {
    let h = H::new().await;
    let path = "/indicators/entities/iocs/v1";
    let r = h
        .call(
            Method::POST,
            path,
            &[],
            Some(ind("domain", "legacy.example")),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let tv = [("type", "domain"), ("value", "legacy.example")];
    let r = h.get(path, &tv).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.resources()[0]["value"], "legacy.example");
    let r = h
        .call(Method::PATCH, path, &tv, Some(json!({"severity": "low"})))
        .await;
    assert_eq!(r.resources()[0]["severity"], "low");
    let r = h
        .get("/indicators/queries/iocs/v1", &[("types", "domain,md5")])
        .await;
    assert_eq!(r.resources().len(), 1);
    let r = h.call(Method::DELETE, path, &tv, None).await;
    assert_eq!(r.status, 200);
    assert_eq!(h.get(path, &tv).await.status, 404);
}

#[tokio::test]
async fn report_and_sdmf() {
    let h = H::new().await;
    let r = h
        .call(
            Method::POST,
            "/iocs/entities/indicators-reports/v1",
            &[],
            Some(json!({"report_format": "csv", "search": {"filter": "type:'md5'", "query": "", "sort": ""}})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.resources()[0]["status"], "pending");
    let r = h
        .call(
            Method::POST,
            "/iocs/sdmf/query/v1",
            &[],
            Some(json!({"control_info": {}, "id": "q1"})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.resources()[0]["id"], "q1");
}

/// The service's batch limits: 2000 indicators per create or update, 500 ids per request by
/// ids; a request over them is refused whole, with the limit in the message.
#[tokio::test]
async fn batches_over_the_service_limits_are_refused_whole() {
    let h = H::new().await;
    let many = |n: u32| -> Vec<Value> { (0..n).map(|i| ind("sha256", &sha(i))).collect() };
    let r = h
        .call(
            Method::POST,
            ENTITIES,
            &[],
            Some(json!({"indicators": many(2001)})),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.first_error().contains("2001 given, at most 2000"),
        "{}",
        r.body
    );
    let search = h.get("/iocs/queries/indicators/v1", &[]).await;
    assert_eq!(
        search.body["meta"]["pagination"]["total"], 0,
        "nothing created"
    );

    let ids = h.create(many(2000)).await;
    assert_eq!(ids.len(), 2000, "2000 is one batch");
    let updates: Vec<Value> = (0..2001)
        .map(|i| json!({"id": ids[i % ids.len()], "severity": "low"}))
        .collect();
    let r = h
        .call(
            Method::PATCH,
            ENTITIES,
            &[],
            Some(json!({"indicators": updates})),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.first_error().contains("at most 2000"), "{}", r.body);

    let query = |n: usize| -> Vec<(&str, &str)> {
        ids.iter().take(n).map(|id| ("ids", id.as_str())).collect()
    };
    let r = h.get(ENTITIES, &query(500)).await;
    assert_eq!((r.status, r.resources().len()), (200, 500));
    for (method, path) in [
        (Method::GET, ENTITIES),
        (Method::DELETE, ENTITIES),
        (Method::GET, "/iocs/entities/actions/v1"),
        (Method::GET, "/processes/entities/processes/v1"),
    ] {
        let r = h.call(method.clone(), path, &query(501), None).await;
        assert_eq!(r.status, 400, "{method} {path}: {}", r.body);
        assert!(
            r.first_error().contains("501 given, at most 500"),
            "{method} {path}: {}",
            r.body
        );
    }
    let search = h.get("/iocs/queries/indicators/v1", &[]).await;
    assert_eq!(
        search.body["meta"]["pagination"]["total"], 2000,
        "the refused delete deleted nothing"
    );
}
