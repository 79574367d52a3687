//! The blocking client (feature `blocking`): plain `#[test]`s with no async runtime of their
//! own; the simulator runs on a runtime in the background.

mod support;

use ioc_client::blocking::Client;
use ioc_client::{ErrorKind, RetryConfig};
use ioc_simulator::{Config, Fault, FaultKind, Simulator};
use serde_json::json;
use support::*;

/// A simulator on a background runtime, which must outlive it.
fn background_sim() -> (tokio::runtime::Runtime, Simulator) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sim = rt.block_on(Simulator::start(Config::default())).unwrap();
    (rt, sim)
}

#[test]
fn the_blocking_client_sends_pages_and_dispatches() {
    let (_rt, sim) = background_sim();
    sim.seed_indicators(1_200);
    let client: Client = builder(&sim).build().unwrap();

    let page = client.indicator_search_v1().limit(10).send().unwrap();
    assert_eq!(page.body.resources.len(), 10);

    // Iterators over pages and items.
    let pages: Vec<_> = client
        .indicator_search_v1()
        .limit(500)
        .pages()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pages.len(), 3);
    let ids: Vec<String> = client
        .indicator_search_v1()
        .limit(500)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids.len(), 1_200);

    // A PascalCase alias and command() by id.
    let id = &ids[0];
    let got = client
        .command("indicator_get_v1", json!({"ids": [id]}))
        .unwrap();
    let indicator = &got.body["resources"][0];
    let count = client
        .DevicesCount()
        .type_(indicator["type"].as_str().unwrap())
        .value(indicator["value"].as_str().unwrap())
        .send()
        .unwrap();
    assert_eq!(count.status, 200);

    // Logout, then the next call logs in again; the async client shares the token.
    client.logout().unwrap();
    client.ioc_type_query_v1().send().unwrap();
    assert_eq!(sim.token_requests(), 2);
    assert_eq!(client.async_client().runtime().login_count(), 2);
}

#[test]
fn blocking_errors_and_retries_behave_like_async_ones() {
    let (_rt, sim) = background_sim();
    let client: Client = builder(&sim).build().unwrap();
    sim.inject(Fault::times("ioc.type.query.v1", FaultKind::Status(503), 1));
    client.ioc_type_query_v1().send().unwrap();
    assert_eq!(api_requests(&sim).len(), 2);

    let once: Client = builder(&sim)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    sim.inject(Fault::times("ioc.type.query.v1", FaultKind::Status(503), 1));
    let err = once.ioc_type_query_v1().send().unwrap_err();
    assert_eq!(err.status(), Some(503));

    let bad: Client = builder(&sim).client_secret("nope").build().unwrap();
    assert_eq!(bad.login().unwrap_err().kind(), ErrorKind::Auth);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_blocking_client_does_not_panic_inside_an_async_runtime() {
    let sim = sim().await;
    let client: Client = builder(&sim).build().unwrap();
    // Blocks this task's thread while a helper thread drives the call.
    let reply = tokio::task::block_in_place(|| client.ioc_type_query_v1().send());
    assert_eq!(reply.unwrap().status, 200);
    // Dropping it here, where blocking is not allowed, must not panic either.
    drop(client);
}
