//! 200 concurrent calls from one client (cloned per task): none lost, none duplicated, no
//! reply handed to the wrong caller, one login shared by all.

mod e2e_common;

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use e2e_common::*;
use ioc_client::models::{ApiIndicatorCreateReqV1, ApiIndicatorCreateReqsV1};
use ioc_simulator::{Fault, FaultKind};
use tokio::task::JoinSet;

const N: usize = 200;

fn value(i: usize) -> String {
    format!("c{i:03}.concurrency.example")
}

fn req(i: usize) -> ApiIndicatorCreateReqsV1 {
    ApiIndicatorCreateReqsV1::new([ApiIndicatorCreateReqV1::new("domain", value(i))
        .action("no_action")
        .platforms(["mac"])
        .applied_globally(true)
        .tags(["concurrent".to_string(), format!("n{i}")])])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_creates_then_reads_from_one_client() {
    let (sim, client) = start().await;
    // Hold every create open a little so the calls really overlap on the wire.
    sim.inject(Fault::new(
        "indicator.create.v1",
        FaultKind::Delay(Duration::from_millis(20)),
    ));
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for i in 0..N {
        let c = client.clone();
        tasks.spawn(async move { (i, c.indicator_create_v1().body(req(i)).send().await) });
    }
    let mut ids: HashMap<usize, String> = HashMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (i, reply) = joined.expect("task");
        let reply = reply.unwrap_or_else(|e| panic!("create {i}: {e}"));
        assert_eq!(reply.status, 201);
        let record = &reply.body.resources[0];
        assert_eq!(
            record.value.as_deref(),
            Some(value(i).as_str()),
            "each caller gets its own reply"
        );
        assert!(ids.insert(i, record.id.clone().unwrap()).is_none());
    }
    let t_create = started.elapsed();
    assert_eq!(ids.len(), N, "none lost");
    assert_eq!(
        ids.values().collect::<BTreeSet<_>>().len(),
        N,
        "no id twice"
    );
    assert_eq!(sim.indicator_count(), N, "none duplicated in the store");
    assert_eq!(received(&sim, "indicator.create.v1"), N, "one request each");
    assert_eq!(sim.token_requests(), 1, "one login shared by all");

    // What the service holds is exactly what was sent.
    let stored = client
        .indicator_combined_v1()
        .filter("tags:'concurrent'")
        .limit(500)
        .send()
        .await
        .expect("combined");
    let values: BTreeSet<String> = stored
        .body
        .resources
        .iter()
        .map(|r| r.value.clone().unwrap())
        .collect();
    assert_eq!(values, (0..N).map(value).collect());

    // 200 concurrent reads, a quarter of them failing once with 503 first: every one retried
    // and answered with its own record.
    sim.clear_faults();
    sim.inject(Fault::times(
        "indicator.get.v1",
        FaultKind::Status(503),
        (N / 4) as u32,
    ));
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for (&i, id) in &ids {
        let (c, id) = (client.clone(), id.clone());
        tasks.spawn(async move {
            let r = c.indicator_get_v1().ids([id.clone()]).send().await;
            (i, id, r)
        });
    }
    let mut seen = BTreeSet::new();
    while let Some(joined) = tasks.join_next().await {
        let (i, id, reply) = joined.expect("task");
        let reply = reply.unwrap_or_else(|e| panic!("get {i}: {e}"));
        let record = &reply.body.resources[0];
        assert_eq!(record.id.as_deref(), Some(id.as_str()));
        assert_eq!(record.tags.as_ref().unwrap()[1], format!("n{i}"));
        assert!(seen.insert(i));
    }
    let t_read = started.elapsed();
    assert_eq!(seen.len(), N);
    assert_eq!(received(&sim, "indicator.get.v1"), N + N / 4);
    assert_eq!(sim.token_requests(), 1);
    println!(
        "{N} concurrent creates: {t_create:?}; {N} concurrent gets with 50 retried: {t_read:?}"
    );
    sim.shutdown().await;
}

/// Concurrent callers racing for the first token wait for one login.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_share_one_login() {
    let (sim, client) = start().await;
    let mut tasks = JoinSet::new();
    for _ in 0..N {
        let c = client.clone();
        tasks.spawn(async move { c.severity_query_v1().send().await });
    }
    let mut ok = 0;
    while let Some(joined) = tasks.join_next().await {
        let reply = joined.expect("task").expect("severities");
        assert_eq!(reply.body.resources.len(), 5);
        ok += 1;
    }
    assert_eq!(ok, N);
    assert_eq!(sim.token_requests(), 1);
    assert_eq!(client.runtime().login_count(), 1);
    assert_eq!(received(&sim, "severity.query.v1"), N);
    sim.shutdown().await;
}
