//! Pagination streams over real HTTP against the simulator: by `after` past the 10,000-result
//! offset window, by offset up to it (stopping cleanly there), offset-only operations, laziness
//! and errors mid-walk.

mod support;

use std::collections::HashSet;

use futures_util::{StreamExt, TryStreamExt};
use ioc_client::{ErrorKind, RetryConfig};
use ioc_simulator::{Fault, FaultKind};
use support::*;

const SEEDED: usize = 10_250;

#[tokio::test]
async fn search_items_walk_past_ten_thousand_by_after() {
    let sim = sim().await;
    let seeded: HashSet<String> = sim.seed_indicators(SEEDED).into_iter().collect();
    let client = client(&sim);
    let mut items = client.indicator_search_v1().limit(500).items();
    let mut seen = HashSet::new();
    while let Some(id) = items.next().await {
        assert!(seen.insert(id.unwrap()), "no id twice");
    }
    assert_eq!(seen, seeded);
    let requests = api_requests(&sim);
    assert_eq!(requests.len(), SEEDED.div_ceil(500));
    assert!(requests.iter().all(|r| query(r, "offset").is_none()));
    assert!(requests[1..].iter().all(|r| query(r, "after").is_some()));
    eprintln!("{} ids in {} pages by after", seen.len(), requests.len());
}

#[tokio::test]
async fn combined_pages_walk_past_ten_thousand_by_after() {
    let sim = sim().await;
    sim.seed_indicators(SEEDED);
    let client = client(&sim);
    let pages: Vec<_> = client
        .indicator_combined_v1()
        .filter("tags:'seed'")
        .sort("created_on.asc")
        .limit(500)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), SEEDED.div_ceil(500));
    let records: usize = pages.iter().map(|p| p.body.resources.len()).sum();
    assert_eq!(records, SEEDED);
    let total = pages[0]
        .body
        .meta
        .as_ref()
        .unwrap()
        .pagination
        .as_ref()
        .unwrap()
        .total;
    assert_eq!(total, Some(SEEDED as i64));
}

#[tokio::test]
async fn offset_paging_stops_cleanly_at_the_offset_window() {
    let sim = sim().await;
    sim.seed_indicators(SEEDED);
    let client = client(&sim);
    // 450 does not divide 10,000: the last page asks for 100 so the window is not overrun.
    let results: Vec<_> = client
        .indicator_search_v1()
        .offset(0)
        .limit(450)
        .items()
        .collect()
        .await;
    let (ok, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    assert_eq!(ok.len(), 10_000);
    assert_eq!(errors.len(), 1, "one error says why the walk stopped");
    let err = errors.into_iter().next().unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("after"), "{err}");
    for r in api_requests(&sim) {
        let offset: u64 = query(&r, "offset").unwrap().parse().unwrap();
        let limit: u64 = query(&r, "limit").unwrap().parse().unwrap();
        assert!(offset + limit <= 10_000, "never past the window");
    }
    assert_eq!(api_requests(&sim).len(), 10_000usize.div_ceil(450));

    // Under the window, offset paging ends at `total` without an error.
    let sim = support::sim().await;
    sim.seed_indicators(1_234);
    let client = support::client(&sim);
    let ids: Vec<String> = client
        .indicator_search_v1()
        .offset(0)
        .limit(500)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids.len(), 1_234);
    assert_eq!(api_requests(&sim).len(), 3);
}

#[tokio::test]
async fn offset_only_operations_page_to_the_end() {
    let sim = sim().await;
    let client = client(&sim);
    let all = client.ioc_type_query_v1().limit(500).send().await.unwrap();
    let paged: Vec<String> = client
        .ioc_type_query_v1()
        .limit(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(paged, all.body.resources);
    assert!(paged.len() > 2);
    assert_eq!(api_requests(&sim).len(), 1 + paged.len().div_ceil(2));

    // Devices an indicator ran on: string-typed offset/limit parameters.
    let ids = sim.seed_indicators(1);
    let indicator = client
        .indicator_get_v1()
        .ids([ids[0].clone()])
        .send()
        .await
        .unwrap()
        .body
        .resources
        .remove(0);
    let (kind, value) = (indicator.type_.unwrap(), indicator.value.unwrap());
    let one_call = client
        .indicator_get_devices_ran_on_v1()
        .type_(kind.to_string())
        .value(value.clone())
        .limit("100")
        .send()
        .await
        .unwrap();
    let devices: Vec<String> = client
        .indicator_get_devices_ran_on_v1()
        .type_(kind.to_string())
        .value(value)
        .limit("3")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(devices, one_call.body.resources);
}

#[tokio::test]
async fn streams_are_lazy_end_on_empty_pages_and_stop_after_an_error() {
    let sim = sim().await;
    sim.seed_indicators(1_000);
    let client: ioc_client::Client = builder(&sim)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();

    // Nothing is sent until polled; three items need one page.
    let items = client.indicator_search_v1().limit(100).items();
    assert!(api_requests(&sim).is_empty());
    let first: Vec<_> = items.take(3).collect().await;
    assert_eq!(first.len(), 3);
    assert_eq!(api_requests(&sim).len(), 1);

    // A filter that matches nothing: one empty page, no items.
    sim.clear_requests();
    let none: Vec<String> = client
        .indicator_search_v1()
        .filter("tags:'no-such-tag'")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(api_requests(&sim).len(), 1);

    // An error mid-walk is yielded once, then the stream ends.
    sim.clear_requests();
    let mut pages = client.indicator_search_v1().limit(100).pages();
    pages.next().await.unwrap().unwrap();
    sim.inject(Fault::new("indicator.search.v1", FaultKind::Status(500)));
    let err = pages.next().await.unwrap().unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(pages.next().await.is_none());
    assert_eq!(api_requests(&sim).len(), 2);

    // Argument problems come out as the first item, before anything is sent.
    sim.clear_requests();
    let mut bad = client.indicator_get_devices_ran_on_v1().items();
    let err = bad.next().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(bad.next().await.is_none());
    assert!(api_requests(&sim).is_empty());
}

/// A walk that stops on an error mid-way (a 429 after the retries, say) keeps its place: the
/// error names the failed page's `after` token or offset, and a walk started from there yields
/// the rest, none twice and none missed.
#[tokio::test]
async fn a_walk_stopped_by_an_error_resumes_from_the_page_that_failed() {
    let sim = sim().await;
    let seeded: HashSet<String> = sim.seed_indicators(35).into_iter().collect();
    let client: ioc_client::Client = builder(&sim)
        .retry(RetryConfig {
            max_retries: 1,
            ..fast_retry()
        })
        .build()
        .unwrap();

    // By `after`: two pages of 10 go through, then the service fails.
    let mut seen = Vec::new();
    let mut items = client.indicator_search_v1().limit(10).items();
    for _ in 0..20 {
        seen.push(items.try_next().await.unwrap().unwrap());
    }
    sim.inject(Fault::new("indicator.search.v1", FaultKind::Status(503)));
    let err = items.try_next().await.unwrap_err();
    assert_eq!((err.kind(), err.status()), (ErrorKind::Api, Some(503)));
    let resume = err
        .resume()
        .expect("a walk's error says where to go on")
        .clone();
    assert_eq!(resume.items_before, 20);
    let token = resume.after.clone().expect("the failed page's after token");
    assert!(err.to_string().contains(&token), "{err}");
    assert!(err.to_string().contains("after 2 attempts"), "{err}");
    sim.clear_faults();
    let rest: Vec<String> = client
        .indicator_search_v1()
        .limit(10)
        .after(token)
        .items()
        .try_collect()
        .await
        .unwrap();
    seen.extend(rest);
    assert_eq!(seen.len(), 35, "none twice");
    assert_eq!(seen.into_iter().collect::<HashSet<_>>(), seeded);

    // By offset, through `command_items` and `Resume::apply_to`.
    let table = ioc_client::table::OPERATIONS;
    let mut args = serde_json::json!({"limit": 10, "offset": 0});
    let mut pages = client
        .runtime()
        .command_pages(table, "indicator.search.v1", args.clone());
    pages.try_next().await.unwrap().unwrap();
    sim.inject(Fault::new("indicator.search.v1", FaultKind::Status(503)));
    let err = pages.try_next().await.unwrap_err();
    let resume = err.resume().unwrap();
    assert_eq!((resume.offset, resume.after.as_deref()), (Some(10), None));
    sim.clear_faults();
    resume.apply_to(&mut args);
    let rest: Vec<serde_json::Value> = client
        .runtime()
        .command_items(table, "indicator.search.v1", args)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest.len(), 25);

    // An argument problem, before anything is sent, has nothing to resume.
    let mut bad = client.indicator_get_devices_ran_on_v1().items();
    assert!(bad.next().await.unwrap().unwrap_err().resume().is_none());
}

/// A walk that fails before it yielded anything (the login refused, or no service at all)
/// reads as its cause alone: no "the walk stopped after 0 items" tail, whose only advice would
/// be to start again. `resume()` still says what the failed page was asked with, and a walk
/// that had got somewhere keeps its tail (above).
#[tokio::test]
async fn a_walk_that_fails_before_its_first_item_reads_as_its_cause() {
    let sim = sim().await;
    sim.seed_indicators(3);

    // The login refused: an `Auth` error, as a single call gives.
    let refused: ioc_client::Client = builder(&sim)
        .client_secret("not-the-secret")
        .build()
        .unwrap();
    let err = refused
        .indicator_search_v1()
        .items()
        .try_next()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth, "{err}");
    let single = refused.indicator_search_v1().send().await.unwrap_err();
    assert_eq!(err.to_string(), single.to_string());
    let resume = err.resume().expect("what the failed page was asked with");
    assert!(!resume.progressed());
    assert_eq!(resume.items_before, 0);

    // A walk resumed from a token that fails at once: the token is the caller's own.
    let err = refused
        .indicator_search_v1()
        .after("a-token")
        .pages()
        .try_next()
        .await
        .unwrap_err();
    assert!(!err.to_string().contains("walk"), "{err}");
    assert_eq!(err.resume().unwrap().after.as_deref(), Some("a-token"));

    // Nothing listening: a `Transport` error naming the login, through `command_items` too.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let down = ioc_client::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .client_id("id")
        .client_secret("secret")
        .retry(fast_retry())
        .build()
        .unwrap();
    let err = down
        .runtime()
        .command_items(
            ioc_client::table::OPERATIONS,
            "indicator.search.v1",
            serde_json::json!({}),
        )
        .try_next()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    let message = err.to_string();
    assert!(message.contains("logging in got no reply"), "{message}");
    assert!(
        message.ends_with(')'),
        "ends with the attempts, nothing after: {message}"
    );
    assert!(!message.contains("walk"), "{message}");
    eprintln!("{message}");
}
