//! A thousand indicators from creation to deletion: bulk create, search with filters and sort,
//! every one of them paged through by `after` and by `offset`, bulk update by filter, delete by
//! filter, and nothing left. Indicators seeded beforehand must come through untouched. Run over
//! plain HTTP and over HTTPS with a private CA, both with compressed replies.

mod e2e_common;

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use e2e_common::*;
use ioc_client::Client;
use ioc_client::models::{
    ApiBulkUpdateReqV1, ApiIndicatorCreateReqV1, ApiIndicatorCreateReqsV1,
    ApiIndicatorUpdateReqsV1, IndicatorType, Severity,
};
use ioc_simulator::Simulator;

const TOTAL: usize = 1_000;
const BATCH: usize = 200;
const SEVERITIES: [&str; 5] = ["informational", "low", "medium", "high", "critical"];

/// Indicator `i`: 400 domains, 300 IPv4 addresses, 200 sha256 and 100 md5 hashes.
fn spec(i: usize) -> (String, String, &'static str) {
    let (kind, value) = match i {
        0..400 => ("domain", format!("host-{i:04}.lifecycle.example")),
        400..700 => (
            "ipv4",
            format!("10.{}.{}.{}", i / 250, (i / 5) % 50, i % 250),
        ),
        700..900 => ("sha256", sha256(i as u64)),
        _ => ("md5", md5(i as u64)),
    };
    (kind.to_string(), value, SEVERITIES[i % 5])
}

fn create_req(i: usize) -> ApiIndicatorCreateReqV1 {
    let (kind, value, severity) = spec(i);
    ApiIndicatorCreateReqV1::new(kind, value)
        .action("detect")
        .severity(severity)
        .platforms(["windows", "linux"])
        .applied_globally(true)
        .source("lifecycle")
        .tags(["lifecycle".to_string(), format!("group-{}", i % 4)])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_indicators_from_creation_to_deletion() {
    let (sim, c) = start().await;
    lifecycle(sim, c, "HTTP").await;
}

/// The same over HTTPS, the server's certificate signed by a private CA the client is given.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_indicators_over_https_with_a_private_ca() {
    let (sim, c) = start_https().await;
    assert!(sim.base_url().starts_with("https://"));
    lifecycle(sim, c, "HTTPS").await;
}

async fn lifecycle(sim: Simulator, c: Client, over: &str) {
    let bystanders: BTreeSet<String> = sim.seed_indicators(300).into_iter().collect();
    let started = Instant::now();

    // Bulk create, 200 per request.
    let mut created: HashMap<String, usize> = HashMap::new();
    for batch in (0..TOTAL).collect::<Vec<_>>().chunks(BATCH) {
        let reply = c
            .indicator_create_v1()
            .body(
                ApiIndicatorCreateReqsV1::new(batch.iter().map(|&i| create_req(i)))
                    .comment("lifecycle bulk create"),
            )
            .send()
            .await
            .expect("bulk create");
        assert_eq!(reply.status, 201);
        assert!(reply.body.errors.is_empty(), "{:?}", reply.body.errors);
        assert_eq!(reply.body.resources.len(), batch.len());
        for (record, &i) in reply.body.resources.iter().zip(batch) {
            assert_eq!(record.value.as_deref(), Some(spec(i).1.as_str()));
            created.insert(record.id.clone().expect("id"), i);
        }
    }
    assert_eq!(created.len(), TOTAL, "every indicator got its own id");
    assert_eq!(sim.indicator_count(), TOTAL + bystanders.len());
    let all: BTreeSet<String> = created.keys().cloned().collect();
    let t_create = started.elapsed();

    // Search: filters select exactly what was expected, sort orders it.
    let domains = c
        .indicator_combined_v1()
        .filter("tags:'lifecycle'+type:'domain'")
        .sort("value.desc")
        .limit(500)
        .send()
        .await
        .expect("combined");
    let values: Vec<String> = domains
        .body
        .resources
        .iter()
        .map(|r| r.value.clone().unwrap())
        .collect();
    let mut want: Vec<String> = (0..400).map(|i| spec(i).1).collect();
    want.sort_by(|a, b| b.cmp(a));
    assert_eq!(values, want, "all 400 domains, in descending value order");

    let severe = c
        .indicator_search_v1()
        .filter("source:'lifecycle'+severity:['high','critical']")
        .limit(500)
        .send()
        .await
        .expect("search");
    let want: BTreeSet<&String> = created
        .iter()
        .filter(|(_, i)| matches!(spec(**i).2, "high" | "critical"))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(severe.body.resources.iter().collect::<BTreeSet<_>>(), want);
    let total = |r: &ioc_client::ApiResponse<ioc_client::models::ApiIndicatorQueryRespV1>| {
        r.body
            .meta
            .as_ref()
            .and_then(|m| m.pagination.as_ref())
            .and_then(|p| p.total)
            .unwrap()
    };
    assert_eq!(total(&severe), want.len() as i64);

    let not_domains = c
        .indicator_search_v1()
        .filter("tags:'lifecycle'+type:!'domain'+tags:'group-1'")
        .limit(1)
        .send()
        .await
        .expect("search");
    assert_eq!(
        total(&not_domains),
        150,
        "600 non-domains, a quarter in group-1"
    );

    let newest = c
        .indicator_combined_v1()
        .filter("tags:'lifecycle'")
        .sort("created_on.desc")
        .limit(3)
        .send()
        .await
        .expect("newest");
    let newest: Vec<usize> = newest
        .body
        .resources
        .iter()
        .map(|r| created[r.id.as_ref().unwrap()])
        .collect();
    assert_eq!(newest, [999, 998, 997]);
    let t_search = started.elapsed() - t_create;

    // Page through all of them by `after`, then by `offset`.
    let (by_after, pages) = all_ids_by_after(&c, "tags:'lifecycle'", "value.asc", 100)
        .await
        .expect("paging by after");
    assert_eq!(pages, 10);
    assert_eq!(by_after.len(), TOTAL, "no id twice, none missing");
    assert_eq!(by_after.iter().cloned().collect::<BTreeSet<_>>(), all);
    let (by_offset, pages) = all_ids_by_offset(&c, "tags:'lifecycle'", "value.asc", 75)
        .await
        .expect("paging by offset");
    assert_eq!(pages, 14);
    assert_eq!(
        by_offset, by_after,
        "both ways give the same ids in the same order"
    );
    let t_page = started.elapsed() - t_create - t_search;

    // Bulk update by filter: the 300 IPv4 indicators become critical and reviewed.
    let updated = c
        .indicator_update_v1()
        .body(
            ApiIndicatorUpdateReqsV1::new()
                .comment("reviewed")
                .bulk_update(
                    ApiBulkUpdateReqV1::new("tags:'lifecycle'+type:'ipv4'")
                        .severity(Severity::Critical)
                        .tags(["lifecycle", "reviewed"]),
                ),
        )
        .send()
        .await
        .expect("bulk update");
    assert_eq!(updated.body.resources.len(), 300);
    let reviewed = c
        .indicator_combined_v1()
        .filter("tags:'reviewed'")
        .limit(500)
        .send()
        .await
        .expect("reviewed");
    assert_eq!(reviewed.body.resources.len(), 300);
    assert!(reviewed.body.resources.iter().all(|r| {
        r.type_ == Some(IndicatorType::Ipv4) && r.severity == Some(Severity::Critical)
    }));
    let critical = c
        .indicator_search_v1()
        .filter("source:'lifecycle'+severity:'critical'")
        .limit(1)
        .send()
        .await
        .expect("search");
    assert_eq!(
        total(&critical),
        300 + 140,
        "300 IPv4 + the 140 others critical before"
    );

    // Delete by filter; nothing of the thousand is left, the bystanders are.
    let deleted = c
        .indicator_delete_v1()
        .filter("tags:'lifecycle'")
        .comment("lifecycle done")
        .send()
        .await
        .expect("delete by filter");
    assert_eq!(
        deleted
            .body
            .resources
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>(),
        all
    );
    let left = c
        .indicator_search_v1()
        .filter("tags:'lifecycle'")
        .send()
        .await
        .expect("search");
    assert!(left.body.resources.is_empty());
    assert_eq!(total(&left), 0);
    let sample: Vec<String> = all.iter().take(20).cloned().collect();
    expect_api(c.indicator_get_v1().ids(sample).send().await, 404);
    let (rest, _) = all_ids_by_after(&c, "", "created_on.asc", 500)
        .await
        .expect("the rest");
    assert_eq!(rest.into_iter().collect::<BTreeSet<_>>(), bystanders);
    let t_total = started.elapsed();
    println!(
        "lifecycle of {TOTAL} over {over}: create {t_create:?}, search {t_search:?}, paging {t_page:?}, total {t_total:?}"
    );
    sim.shutdown().await;
}
