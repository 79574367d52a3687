//! Retries, rate limits, timeouts and the error type, over real HTTP on 127.0.0.1: the
//! simulator's faults, plus a scripted server for replies the simulator does not make.

mod support;

use std::time::Duration;

use ioc_client::{Client, ErrorKind, RetryConfig};
use ioc_simulator::{Fault, FaultKind};
use serde_json::json;
use support::*;

#[tokio::test]
async fn a_429_waits_for_x_ratelimit_retryafter_then_succeeds() {
    let sim = sim().await;
    let client: Client = builder(&sim)
        .retry(RetryConfig {
            max_total_wait: Duration::from_secs(3),
            ..fast_retry()
        })
        .build()
        .unwrap();
    for use_retry_after_header in [false, true] {
        sim.clear_requests();
        sim.inject(Fault::times(
            "ioc.type.query.v1",
            FaultKind::RateLimited {
                retry_after_epoch_secs_from_now: 1,
                use_retry_after_header,
            },
            1,
        ));
        let reply = client.ioc_type_query_v1().send().await.unwrap();
        assert_eq!(api_requests(&sim).len(), 2);
        // Rate-limit figures come with every reply.
        let rl = reply.rate_limit();
        assert!(rl.limit.is_some() && rl.remaining.is_some(), "{rl:?}");
    }
}

#[tokio::test]
async fn a_429_with_only_retry_after_waits_that_long() {
    let server = scripted(vec![
        Canned::new(429, r#"{"errors":[{"code":429,"message":"slow down"}]}"#)
            .header("retry-after", "1"),
        Canned::new(200, r#"{"resources":["a"],"errors":[]}"#)
            .header("x-ratelimit-limit", "6000")
            .header("x-ratelimit-remaining", "5999"),
    ])
    .await;
    let client: Client = Client::builder()
        .base_url(&server.base_url)
        .client_id("id")
        .client_secret("secret")
        .retry(fast_retry())
        .build()
        .unwrap();
    let reply = client.ioc_type_query_v1().send().await.unwrap();
    assert_eq!(reply.body.resources, ["a"]);
    assert_eq!(reply.rate_limit().remaining, Some(5999));
    let api_calls = server
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|l| !l.contains("oauth2"))
        .count();
    assert_eq!(api_calls, 2);
}

#[tokio::test]
async fn a_429_that_asks_for_more_than_the_budget_is_returned_at_once() {
    let sim = sim().await;
    let client = client(&sim); // max_total_wait 5 s
    sim.inject(Fault::new(
        "ioc.type.query.v1",
        FaultKind::RateLimited {
            retry_after_epoch_secs_from_now: 60,
            use_retry_after_header: true,
        },
    ));
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.status, 429);
    assert!(err.is_retryable());
    assert!(api.rate_limit.retry_after_epoch.is_some());
    assert_eq!(api_requests(&sim).len(), 1);
}

#[tokio::test]
async fn server_errors_are_retried_for_idempotent_calls() {
    let sim = sim().await;
    let client = client(&sim);
    sim.inject(Fault::times("ioc.type.query.v1", FaultKind::Status(503), 2));
    client.ioc_type_query_v1().send().await.unwrap();
    assert_eq!(api_requests(&sim).len(), 3);

    // A dropped connection is a transport error, retried the same way.
    sim.clear_requests();
    sim.inject(Fault::times(
        "ioc.type.query.v1",
        FaultKind::DropConnection,
        1,
    ));
    client.ioc_type_query_v1().send().await.unwrap();
    assert_eq!(api_requests(&sim).len(), 2);
}

#[tokio::test]
async fn server_errors_give_up_after_the_retry_count() {
    let sim = sim().await;
    let client = client(&sim); // 3 retries
    sim.inject(Fault::new("ioc.type.query.v1", FaultKind::Status(503)));
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    assert_eq!(api_requests(&sim).len(), 4);
    // The error says how many attempts it took, and over how long.
    assert_eq!(err.as_api().unwrap().attempts.count, 4);
    assert!(err.to_string().contains("(after 4 attempts over "), "{err}");

    // Switched off: one attempt, and nothing said about attempts.
    sim.clear_requests();
    let once: Client = builder(&sim)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let err = once.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(api_requests(&sim).len(), 1);
    assert!(!err.to_string().contains("attempts"), "{err}");
}

#[tokio::test]
async fn posts_are_not_retried_on_server_errors() {
    let sim = sim().await;
    let client = client(&sim);
    sim.inject(Fault::times(
        "indicator.create.v1",
        FaultKind::Status(502),
        1,
    ));
    let err = client
        .command("indicator.create.v1", json!({"body": {"indicators": []}}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(api_requests(&sim).len(), 1);
}

#[tokio::test]
async fn a_slow_reply_is_a_timeout_error() {
    let sim = sim().await;
    let client: Client = builder(&sim)
        .timeout(Duration::from_millis(300))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    sim.inject(Fault::new(
        "ioc.type.query.v1",
        FaultKind::Delay(Duration::from_secs(5)),
    ));
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.is_timeout() && err.is_retryable(), "{err}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_start_of_the_body() {
    let sim = sim().await;
    let client = client(&sim);
    sim.inject(Fault::times(
        "ioc.type.query.v1",
        FaultKind::MalformedJson,
        1,
    ));
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(!err.is_retryable());
    let ioc_client::Error::Decode {
        status, snippet, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 200);
    assert!(snippet.starts_with("{\"meta\": {"), "{snippet}");

    // A huge non-JSON success body: the snippet stays bounded.
    let server = scripted(vec![Canned::new(200, "x".repeat(100_000))]).await;
    let client: Client = Client::builder()
        .base_url(&server.base_url)
        .access_token("t")
        .build()
        .unwrap();
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    let ioc_client::Error::Decode { snippet, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(snippet.len() <= 512);
    assert!(err.to_string().len() < 1024);
}

#[tokio::test]
async fn an_html_error_page_keeps_its_raw_body() {
    let sim = sim().await;
    let client: Client = builder(&sim)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    sim.inject(Fault::times(
        "ioc.type.query.v1",
        FaultKind::HtmlError(502),
        1,
    ));
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    let api = err.as_api().expect("an API error");
    assert_eq!(api.status, 502);
    assert!(api.body.is_none());
    assert!(
        api.raw_body.as_deref().unwrap().contains("<html"),
        "{api:?}"
    );
    assert!(api.trace_id.is_some());
}

#[tokio::test]
async fn api_errors_carry_status_errors_trace_id_and_rate_limits() {
    let sim = sim().await;
    let client = client(&sim);
    // A broken filter is refused by the service with a 400 (a limit out of range no longer
    // reaches it: the client refuses that first).
    let err = client
        .indicator_search_v1()
        .filter("type:'domain")
        .send()
        .await
        .unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.status, 400);
    assert!(!err.is_retryable());
    assert!(!api.errors.is_empty() && !api.errors[0].message.is_empty());
    assert_eq!(api.errors[0].code.as_deref(), Some("400"));
    assert!(api.trace_id.is_some());
    assert!(api.rate_limit.limit.is_some());
    assert!(err.to_string().contains("HTTP 400"));
    // After what the service said, what to do about it.
    assert!(
        err.to_string()
            .ends_with("; the service refused the request: correct what its errors name"),
        "{err}"
    );

    // `code` as a string, several errors, a trace id.
    let server = scripted(vec![
        Canned::new(
            409,
            r#"{"errors":[{"code":"E_DUP","message":"duplicate"},{"code":409,"message":"again"}]}"#,
        )
        .header("x-cs-traceid", "trace-123"),
    ])
    .await;
    let client: Client = Client::builder()
        .base_url(&server.base_url)
        .access_token("t")
        .build()
        .unwrap();
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    let api = err.as_api().unwrap();
    let codes: Vec<_> = api.errors.iter().map(|e| e.code.as_deref()).collect();
    assert_eq!(codes, [Some("E_DUP"), Some("409")]);
    assert_eq!(api.trace_id.as_deref(), Some("trace-123"));
    assert!(err.to_string().contains("duplicate") && err.to_string().contains("trace-123"));
    assert!(err.to_string().contains("look the item up"), "{err}");
}

#[tokio::test]
async fn bad_arguments_and_unknown_operations_send_nothing() {
    let sim = sim().await;
    let client = client(&sim);
    let err = client.indicator_get_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let err = client
        .command("indicator.gte.v1", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOperation);
    assert!(sim.requests().is_empty());
}

/// A hostile server cannot make the client panic: an `expires_in` past the clock's range, and
/// a `Retry-After` of u64::MAX seconds after earlier retries have used part of the budget.
#[tokio::test]
async fn absurd_lifetimes_and_waits_from_the_server_do_not_panic() {
    let server = scripted_with_token(
        r#"{"access_token":"t","expires_in":18446744073709551615}"#,
        vec![
            Canned::new(503, "{}"),
            Canned::new(503, "{}"),
            Canned::new(503, "{}"),
            Canned::new(429, r#"{"errors":[{"code":429,"message":"later"}]}"#)
                .header("retry-after", "18446744073709551615"),
        ],
    )
    .await;
    let client: Client = Client::builder()
        .base_url(&server.base_url)
        .client_id("id")
        .client_secret("secret")
        .retry(RetryConfig {
            max_retries: 5,
            base_delay: Duration::from_millis(400),
            max_delay: Duration::from_secs(1),
            max_total_wait: Duration::from_secs(3),
        })
        .build()
        .unwrap();
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.status(), Some(429), "{err}");
    // The token that "never expires" is reused.
    client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(client.runtime().login_count(), 1);
}

/// With a proxy configured, the login and the API call both go to the proxy, in absolute form
/// for the base URL's host (which is never contacted itself).
#[tokio::test]
async fn requests_go_through_the_configured_proxy() {
    let proxy = scripted(vec![Canned::new(
        200,
        r#"{"resources":["sha256"],"errors":[]}"#,
    )])
    .await;
    let client: Client = Client::builder()
        .base_url("http://falcon.example.invalid")
        .client_id("id")
        .client_secret("secret")
        .proxy(&proxy.base_url)
        .build()
        .unwrap();
    let reply = client.ioc_type_query_v1().send().await.unwrap();
    assert_eq!(reply.body.resources, ["sha256"]);
    let seen = proxy.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            "POST http://falcon.example.invalid/oauth2/token HTTP/1.1",
            "GET http://falcon.example.invalid/iocs/queries/ioc-types/v1 HTTP/1.1",
        ]
    );
}
