//! The service's limits, as the table rows carry them, against the simulator (which enforces
//! the same numbers): ID lists split into several requests and merged back, ranges and body
//! batches refused before sending, the cause of a request that cannot be built, and row errors
//! read one way from a success reply and from an error.

mod e2e_common;

use e2e_common::*;
use ioc_client::{ErrorKind, Failures, models, table};
use ioc_simulator::Simulator;
use serde_json::{Value, json};

/// Creates `n` sha256 indicators in batches the service takes; their ids in order.
async fn seed(c: &ioc_client::Client, n: u64) -> Vec<String> {
    let mut ids = Vec::new();
    let all: Vec<u64> = (0..n).collect();
    for batch in all.chunks(2000) {
        let indicators: Vec<Value> = batch
            .iter()
            .map(|i| indicator("sha256", &sha256(*i + 1), "low", &["seed"]))
            .collect();
        let reply = c
            .command(
                "indicator.create.v1",
                json!({"body": {"indicators": indicators}}),
            )
            .await
            .expect("seed");
        ids.extend(field_of(&reply.body, "id"));
    }
    ids
}

/// The number of ids each request of `operation` carried, in order.
fn ids_per_request(sim: &Simulator, operation: &str) -> Vec<usize> {
    sim.requests()
        .iter()
        .filter(|r| r.operation_id.as_deref() == Some(operation))
        .map(|r| r.query.iter().filter(|(k, _)| k == "ids").count())
        .collect()
}

#[tokio::test]
async fn a_long_id_list_is_split_and_the_replies_merged_for_typed_calls_and_command() {
    let (sim, c) = start().await;
    let ids = seed(&c, 700).await;
    let missing = "0".repeat(64);
    let mut wanted = ids.clone();
    wanted.insert(300, missing.clone());

    sim.clear_requests();
    let reply = c
        .indicator_get_v1()
        .ids(wanted.clone())
        .send()
        .await
        .expect("one reply for the whole list");
    assert_eq!(reply.status, 200);
    let got: Vec<&str> = reply
        .body
        .resources
        .iter()
        .map(|r| r.id.as_deref().unwrap())
        .collect();
    assert_eq!(got, ids, "every indicator, in the order asked");
    assert_eq!(reply.failures().len(), 1);
    assert_eq!(reply.failures()[0].id.as_deref(), Some(missing.as_str()));
    assert_eq!(reply.failures()[0].status(), Some(404));
    // 64-character ids: 268 fit a request's query budget, below the service's 500.
    assert_eq!(ids_per_request(&sim, "indicator.get.v1"), [268, 268, 165]);

    // The same through command(), and for a delete: every id deleted, in several requests.
    sim.clear_requests();
    let reply = c
        .command(
            "indicator.delete.v1",
            json!({"ids": wanted, "comment": "split"}),
        )
        .await
        .expect("delete");
    assert_eq!(resource_strings(&reply.body), ids);
    assert_eq!(reply.failures().len(), 1, "the unknown id");
    assert_eq!(
        ids_per_request(&sim, "indicator.delete.v1"),
        [268, 268, 165]
    );
    let left = c
        .indicator_search_v1()
        .send()
        .await
        .expect("search")
        .body
        .meta
        .and_then(|m| m.pagination)
        .and_then(|p| p.total);
    assert_eq!(left, Some(0));

    // A list that is all unknown ids is still the service's 404, with an entry per id.
    let unknown: Vec<String> = (0..600).map(|i| format!("{i:064x}")).collect();
    let e = expect_api(c.indicator_get_v1().ids(unknown).send().await, 404);
    assert_eq!(e.failures().len(), 600);
}

#[tokio::test]
async fn ranges_and_body_batches_are_refused_before_sending() {
    let (sim, c) = start().await;
    sim.clear_requests();
    let e = expect_kind(
        c.indicator_search_v1().limit(501).send().await,
        ErrorKind::InvalidArgument,
    );
    let text = e.to_string();
    for part in ["indicator.search.v1", "`limit`", "501", "1 to 500"] {
        assert!(text.contains(part), "{part:?} missing from: {text}");
    }
    let e = expect_kind(
        c.command("indicator.combined.v1", json!({"limit": 0}))
            .await,
        ErrorKind::InvalidArgument,
    );
    assert!(e.to_string().contains("1 to 500"), "{e}");
    let e = expect_kind(
        c.command("indicator.search.v1", json!({"offset": -1}))
            .await,
        ErrorKind::InvalidArgument,
    );
    assert!(e.to_string().contains("0 or more"), "{e}");

    let indicators: Vec<Value> = (0..2001)
        .map(|i| indicator("sha256", &sha256(i + 1), "low", &[]))
        .collect();
    let body: models::ApiIndicatorCreateReqsV1 =
        serde_json::from_value(json!({"indicators": indicators})).unwrap();
    let e = expect_kind(
        c.indicator_create_v1().body(body).send().await,
        ErrorKind::InvalidArgument,
    );
    assert!(
        e.to_string().contains("`indicators` holds 2001 items")
            && e.to_string().contains("at most 2000"),
        "{e}"
    );
    let e = expect_kind(
        c.command(
            "indicator.update.v1",
            json!({"body": {"indicators": vec![json!({"id": "x"}); 2001]}}),
        )
        .await,
        ErrorKind::InvalidArgument,
    );
    assert!(e.to_string().contains("at most 2000"), "{e}");
    assert!(
        support_api_requests(&sim).is_empty(),
        "nothing was sent: {:?}",
        support_api_requests(&sim)
    );
    // In range, and at the limit, goes through.
    c.indicator_search_v1()
        .limit(500)
        .send()
        .await
        .expect("500");
}

fn support_api_requests(sim: &Simulator) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter_map(|r| r.operation_id)
        .filter(|id| table::OPERATIONS.iter().any(|op| op.id() == id))
        .collect()
}

#[tokio::test]
async fn a_request_that_cannot_be_built_says_why() {
    let (_sim, c) = start().await;
    // `parameters` are sent as given, never split: a query past what a URL can hold.
    let e = expect_kind(
        c.command(
            "indicator.search.v1",
            json!({"parameters": {"filter": "x".repeat(70_000)}}),
        )
        .await,
        ErrorKind::InvalidArgument,
    );
    let text = e.to_string();
    assert!(text.contains("cannot be built"), "{text}");
    let cause = text
        .split("cannot be built: ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_default();
    assert_ne!(cause.trim(), "builder error", "the cause is kept: {text}");
    assert!(cause.len() > "builder error".len(), "{text}");
}

#[tokio::test]
async fn row_errors_read_the_same_from_a_partial_success_and_from_a_refusal() {
    let (_sim, c) = start().await;
    let taken = indicator("domain", "taken.example", "low", &[]);
    c.command(
        "indicator.create.v1",
        json!({"body": {"indicators": [taken.clone()]}}),
    )
    .await
    .expect("first");

    // Row 1 of 2 fails: a success reply with one entry naming its row.
    let fresh = indicator("domain", "fresh.example", "low", &[]);
    let body: models::ApiIndicatorCreateReqsV1 =
        serde_json::from_value(json!({"indicators": [fresh, taken.clone()]})).unwrap();
    let result = c.indicator_create_v1().body(body).send().await;
    let failed = result.failures();
    assert_eq!(failed.len(), 1, "{result:?}");
    assert_eq!(failed[0].row(), Some(1));
    assert!(
        failed[0].reason().starts_with("Duplicate type"),
        "{failed:?}"
    );
    let reply = result.expect("a partial success is Ok");
    assert_eq!(reply.body.resources.len(), 1);
    let in_reply: &[ioc_client::ApiErrorEntry] = &reply.body.errors;

    // Every row fails: an error, whose entries are the same type, read the same way.
    let body: models::ApiIndicatorCreateReqsV1 =
        serde_json::from_value(json!({"indicators": [taken]})).unwrap();
    let result = c.indicator_create_v1().body(body).send().await;
    let failed = result.failures();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].row(), Some(0));
    assert_eq!(failed[0].reason(), in_reply[0].reason());
    let e = expect_api(result, 400);
    let in_error: &[ioc_client::ApiErrorEntry] = &e.as_api().unwrap().errors;
    assert_eq!(in_error, &*e.failures());

    // command() replies list theirs too.
    let reply = c
        .command(
            "indicator.create.v1",
            json!({"body": {"indicators": [
                indicator("domain", "taken.example", "low", &[]),
                indicator("domain", "other.example", "low", &[]),
            ]}}),
        )
        .await
        .expect("partial");
    assert_eq!(reply.failures()[0].row(), Some(0));
}
