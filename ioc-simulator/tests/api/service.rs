//! Behaviour that follows the service where a client could trip over the difference:
//! deleted indicators, `filter` over `ids` on delete, opaque `after` tokens that survive
//! changes, report jobs that finish, and bad input at any size.

use crate::common::{H, ind, sha};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::{Duration, Instant};

const ENTITIES: &str = "/iocs/entities/indicators/v1";
const SEARCH: &str = "/iocs/queries/indicators/v1";
const COMBINED: &str = "/iocs/combined/indicator/v1";
const REPORT: &str = "/iocs/entities/indicators-reports/v1";
const EXECUTIONS: &str = "/reports/entities/report-executions/v1";
const EXECUTIONS_QUERY: &str = "/reports/queries/report-executions/v1";
const DOWNLOAD: &str = "/reports/entities/report-executions-download/v1";

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn deleted_indicators_are_kept_hidden_and_can_be_found() {
    let h = H::new().await;
    let ids = h
        .create(vec![ind("sha256", &sha(1)), ind("domain", "gone.example")])
        .await;
    let r = h
        .call(Method::DELETE, ENTITIES, &[("ids", &ids[1])], None)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(h.sim.indicator_count(), 1);

    // Hidden from searches that do not ask about `deleted`, and from get by id.
    let r = h.get(SEARCH, &[]).await;
    assert_eq!(strings(&r.body["resources"]), [ids[0].clone()]);
    assert_eq!(h.get(ENTITIES, &[("ids", &ids[1])]).await.status, 404);
    // Found by asking for them, marked deleted, the deletion as the last change.
    let r = h.get(COMBINED, &[("filter", "deleted:true")]).await;
    assert_eq!(r.resources().len(), 1);
    let rec = &r.resources()[0];
    assert_eq!(rec["id"], ids[1].as_str());
    assert_eq!(rec["deleted"], true);
    assert_eq!(rec["modified_by"], "sim-client-id");
    assert!(rec["modified_on"].as_str() > rec["created_on"].as_str());
    let r = h
        .get(SEARCH, &[("filter", "deleted:true,deleted:false")])
        .await;
    assert_eq!(r.body["meta"]["pagination"]["total"], 2);
    // Deleting again finds nothing; updating a deleted one is a 404.
    let r = h
        .call(Method::DELETE, ENTITIES, &[("ids", &ids[1])], None)
        .await;
    assert_eq!(r.status, 404);
    let r = h
        .call(
            Method::PATCH,
            ENTITIES,
            &[],
            Some(json!({"indicators": [{"id": ids[1], "severity": "low"}]})),
        )
        .await;
    assert_eq!(r.status, 404);
    // The same type and value can be created again: a deleted one is no duplicate.
    let again = h.create(vec![ind("domain", "gone.example")]).await;
    assert_ne!(again[0], ids[1]);
    // The legacy query counts deleted ones only when asked.
    let legacy = "/indicators/queries/iocs/v1";
    let r = h.get(legacy, &[("types", "domain")]).await;
    assert_eq!(strings(&r.body["resources"]), [again[0].clone()]);
    let r = h
        .get(legacy, &[("types", "domain"), ("include_deleted", "true")])
        .await;
    assert_eq!(r.resources().len(), 2);
    let r = h.get(legacy, &[("deleted_by", "sim-client-id")]).await;
    assert_eq!(strings(&r.body["resources"]), [ids[1].clone()]);
}

#[tokio::test]
async fn delete_by_filter_takes_precedence_over_ids() {
    let h = H::new().await;
    let ids = h
        .create(vec![ind("domain", "a.example"), ind("domain", "b.example")])
        .await;
    let r = h
        .call(
            Method::DELETE,
            ENTITIES,
            &[("ids", &ids[0]), ("filter", "value:'b.example'")],
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(strings(&r.body["resources"]), [ids[1].clone()]);
    assert_eq!(r.body["errors"], json!([]));
    assert_eq!(h.get(ENTITIES, &[("ids", &ids[0])]).await.status, 200);
}

/// Walks every page by `after`; between pages, `between` may change the store.
async fn walk(
    h: &H,
    query: &[(&str, &str)],
    between: impl Fn(&[String]) -> Vec<String>,
) -> Vec<String> {
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut q = query.to_vec();
        if let Some(a) = after.as_deref() {
            q.push(("after", a));
        }
        let r = h.get(SEARCH, &q).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let page = strings(&r.body["resources"]);
        for id in between(&page) {
            let r = h
                .call(Method::DELETE, ENTITIES, &[("ids", &id)], None)
                .await;
            assert_eq!(r.status, 200);
        }
        seen.extend(page);
        match r.body["meta"]["pagination"]["after"].as_str() {
            Some(a) => after = Some(a.to_string()),
            None => return seen,
        }
    }
}

#[tokio::test]
async fn after_tokens_are_opaque_and_survive_deletes() {
    let h = H::new().await;
    let all: HashSet<String> = h.sim.seed_indicators(120).into_iter().collect();
    let q = [("limit", "10"), ("sort", "value.asc")];

    let first = h.get(SEARCH, &q).await;
    let token = first.body["meta"]["pagination"]["after"]
        .as_str()
        .unwrap()
        .to_string();
    // Nothing readable in it: not the position, not a value.
    let decoded = String::from_utf8_lossy(
        &(0..token.len() / 2)
            .map(|i| u8::from_str_radix(&token[2 * i..2 * i + 2], 16).unwrap_or(0))
            .collect::<Vec<u8>>(),
    )
    .into_owned();
    assert!(
        !decoded.contains("v1:") && !decoded.contains(":10:"),
        "{decoded}"
    );
    // Any change to it, or a token of another simulator, is refused.
    let mut tampered = token.clone().into_bytes();
    tampered[10] = if tampered[10] == b'a' { b'b' } else { b'a' };
    let tampered = String::from_utf8(tampered).unwrap();
    let r = h.get(SEARCH, &[q[0], q[1], ("after", &tampered)]).await;
    assert_eq!(r.status, 400);
    assert!(r.first_error().contains("after"), "{}", r.body);
    let other = H::new().await;
    other.sim.seed_indicators(20);
    let r = other.get(SEARCH, &[q[0], q[1], ("after", &token)]).await;
    assert_eq!(r.status, 400);

    // Deleting what was already read shifts no page: the walk resumes after its last item.
    let seen = walk(&h, &q, |page| page.iter().take(3).cloned().collect()).await;
    assert_eq!(seen.len(), 120, "none skipped, none twice");
    assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), all);
    assert_eq!(h.sim.indicator_count(), 120 - 36);
}

#[tokio::test]
async fn report_jobs_finish_and_their_files_download() {
    let h = H::new().await;
    h.sim.seed_indicators(30);
    let r = h
        .call(
            Method::POST,
            REPORT,
            &[],
            Some(json!({"report_format": "csv",
                        "search": {"filter": "tags:'batch-1'", "query": "", "sort": "value.asc"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let job = &r.resources()[0];
    assert_eq!(job["status"], "pending");
    let id = job["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 32);

    // Follow it until it is done (it takes about a second).
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut statuses = Vec::new();
    let done = loop {
        let r = h.get(EXECUTIONS, &[("ids", &id)]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let exec = r.resources()[0].clone();
        let status = exec["status"].as_str().unwrap().to_string();
        if statuses.last() != Some(&status) {
            statuses.push(status.clone());
        }
        if status == "DONE" {
            break exec;
        }
        let r = h.get(DOWNLOAD, &[("ids", &id)]).await;
        if r.status != 400 {
            // The job may have finished between the two requests: then, and only then, the
            // file is there.
            let again = h.get(EXECUTIONS, &[("ids", &id)]).await;
            assert_eq!(
                again.resources()[0]["status"],
                "DONE",
                "a file ({}) before the job was done",
                r.status
            );
        }
        assert!(Instant::now() < deadline, "still {status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        statuses
            .iter()
            .all(|s| ["PENDING", "PROCESSING", "DONE"].contains(&s.as_str()))
    );
    assert_eq!(done["result_metadata"]["result_count"], 3);
    assert!(done["expiration_on"].as_str() > done["created_on"].as_str());

    // Its file: a header and the three indicators, in the search's order.
    let resp = h
        .http
        .get(format!("{}{DOWNLOAD}", h.sim.base_url()))
        .bearer_auth(&h.token)
        .query(&[("ids", &id)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "text/csv");
    let text = resp.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("id,type,value,action"));
    let values: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    let mut sorted = values.clone();
    sorted.sort_unstable();
    assert_eq!(values, sorted);

    // The query endpoint finds it, by status too; unknown ids are 404.
    let r = h
        .get(EXECUTIONS_QUERY, &[("filter", "status:'DONE'")])
        .await;
    assert_eq!(strings(&r.body["resources"]), std::slice::from_ref(&id));
    let r = h
        .get(EXECUTIONS_QUERY, &[("filter", "status:'PENDING'")])
        .await;
    assert!(r.resources().is_empty());
    assert_eq!(
        h.get(EXECUTIONS_QUERY, &[("filter", "bogus:'x'")])
            .await
            .status,
        400
    );
    assert_eq!(h.get(EXECUTIONS, &[("ids", "nope")]).await.status, 404);
    assert_eq!(h.get(DOWNLOAD, &[("ids", "nope")]).await.status, 404);
}

#[tokio::test]
async fn json_reports_hold_the_records() {
    let h = H::new().await;
    h.sim.seed_indicators(5);
    let r = h
        .call(
            Method::POST,
            REPORT,
            &[],
            Some(
                json!({"report_format": "json", "search": {"filter": "", "query": "", "sort": ""}}),
            ),
        )
        .await;
    let id = r.resources()[0]["id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let file = loop {
        let r = h.get(DOWNLOAD, &[("ids", &id)]).await;
        if r.status == 200 {
            break r.body;
        }
        assert!(Instant::now() < deadline, "{}", r.body);
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let records = file.as_array().expect("a JSON array of records");
    assert_eq!(records.len(), 5);
    assert!(
        records
            .iter()
            .all(|r| r["type"] == "sha256" && r["deleted"] == false)
    );
}

#[tokio::test]
async fn bad_input_is_a_clear_400() {
    let h = H::new().await;
    h.sim.seed_indicators(50);
    let deep = format!("{}type:'md5'{}", "(".repeat(5000), ")".repeat(5000));
    let long_list = format!(
        "value:[{}]",
        (0..300)
            .map(|i| format!("'{i:064x}'"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let cases: Vec<(&str, Vec<(&str, String)>)> = vec![
        (SEARCH, vec![("filter", deep.clone())]),
        (
            COMBINED,
            vec![("filter", format!("{}type:'md5'", "!(".repeat(5000)))],
        ),
        (SEARCH, vec![("offset", i64::MAX.to_string())]),
        (SEARCH, vec![("limit", i64::MAX.to_string())]),
        (SEARCH, vec![("after", "ab".repeat(4000))]),
        (SEARCH, vec![("sort", "value.asc,".repeat(500) + "nope")]),
        (
            SEARCH,
            vec![(
                "filter",
                "created_on:>'now-99999999999999999w'+bogus:1".into(),
            )],
        ),
        (
            "/iocs/queries/indicators/devices/v1",
            vec![
                ("type", "domain".into()),
                ("value", "a.example".into()),
                ("offset", u64::MAX.to_string()),
            ],
        ),
    ];
    for (path, q) in &cases {
        let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = h.get(path, &q).await;
        assert!(
            r.status == 400 || (r.status == 200 && path.contains("devices")),
            "{path} {:?}: {} {}",
            q.iter()
                .map(|(k, v)| (k, &v[..v.len().min(40)]))
                .collect::<Vec<_>>(),
            r.status,
            r.body
        );
        if r.status == 400 {
            assert_eq!(r.body["errors"][0]["code"], 400);
            assert!(!r.first_error().is_empty());
            assert_eq!(r.body["resources"], json!([]));
        }
    }
    // Big but valid input is answered.
    let r = h.get(SEARCH, &[("filter", &long_list)]).await;
    assert_eq!(r.status, 200);
    let r = h
        .call(
            Method::POST,
            "/iocs/aggregates/indicators/v1",
            &[],
            Some(json!({"type": "terms", "field": "type", "filter": deep})),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = h
        .call(
            Method::POST,
            REPORT,
            &[],
            Some(json!({"report_format": "csv", "search": {"sort": "bogus.asc"}})),
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn every_sort_pages_consistently_over_a_larger_store() {
    let h = H::new().await;
    h.sim.seed_indicators(3_000);
    for sort in [
        "value.desc",
        "severity_number.asc",
        "tags|desc",
        "modified_on.desc",
        "",
    ] {
        let q = [
            ("limit", "500"),
            ("sort", sort),
            ("filter", "platforms:'linux'"),
        ];
        let seen = walk(&h, &q, |_| Vec::new()).await;
        assert_eq!(seen.len(), 1_500, "{sort}");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 1_500, "{sort}");
        // The same order as offset paging gives.
        let mut by_offset = Vec::new();
        for offset in ["0", "500", "1000"] {
            let mut q = q.to_vec();
            q.push(("offset", offset));
            by_offset.extend(strings(&h.get(SEARCH, &q).await.body["resources"]));
        }
        assert_eq!(seen, by_offset, "{sort}");
    }
}
