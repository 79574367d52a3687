//! Each fault the simulator can inject ends in the documented `falcon_runtime::Error` kind or
//! in a successful retry: 429 and idempotent 5xx/transport failures are retried with backoff,
//! POST/PATCH failures are not (so nothing is created twice), a 401 gets one fresh login.

mod e2e_common;

use std::time::Duration;

use e2e_common::*;
use ioc_client::{Error, ErrorKind, RetryConfig, models};
use ioc_simulator::{Config, Fault, FaultKind, Route, Simulator};
use serde_json::json;

const GET: &str = "indicator.get.v1";
const CREATE: &str = "indicator.create.v1";

/// A simulator holding one indicator; its id.
async fn with_one() -> (Simulator, ioc_client::Client, String) {
    let (sim, c) = start().await;
    let id = sim.seed_indicators(1).remove(0);
    (sim, c, id)
}

async fn get(c: &ioc_client::Client, id: &str) -> Result<String, Error> {
    let r = c.indicator_get_v1().ids([id]).send().await?;
    Ok(r.body.resources[0].id.clone().unwrap())
}

async fn create(c: &ioc_client::Client, value: &str) -> Result<u16, Error> {
    c.indicator_create_v1()
        .body(models::ApiIndicatorCreateReqsV1::new([
            models::ApiIndicatorCreateReqV1::new("domain", value)
                .action("no_action")
                .platforms(["linux"])
                .applied_globally(true),
        ]))
        .send()
        .await
        .map(|r| r.status)
}

fn attempts() -> usize {
    1 + fast_retry().max_retries as usize
}

#[tokio::test]
async fn status_5xx_is_retried_on_reads_until_it_passes_or_the_retries_run_out() {
    let (sim, c, id) = with_one().await;
    sim.inject(Fault::times(GET, FaultKind::Status(503), 2));
    assert_eq!(get(&c, &id).await.expect("retried"), id);
    assert_eq!(received(&sim, GET), 3);

    sim.clear_requests();
    sim.inject(Fault::new(GET, FaultKind::Status(500)));
    let e = expect_api(get(&c, &id).await, 500);
    let api = e.as_api().unwrap();
    assert!(api.errors[0].message.contains("simulated fault"), "{e}");
    assert!(api.trace_id.is_some(), "the trace id is kept");
    assert!(e.is_retryable());
    assert_eq!(received(&sim, GET), attempts(), "first try + max_retries");

    // Every API operation at once (Route::Any): the command path retries the same way.
    sim.clear_faults();
    sim.inject(Fault::times(Route::Any, FaultKind::Status(502), 3));
    let r = c
        .command("indicator_get_v1", json!({"ids": [id]}))
        .await
        .expect("third retry passes");
    assert_eq!(r.body["resources"][0]["id"], id.as_str());
    sim.shutdown().await;
}

#[tokio::test]
async fn status_5xx_on_a_create_is_not_retried_and_creates_nothing() {
    let (sim, c) = start().await;
    sim.inject(Fault::times(CREATE, FaultKind::Status(503), 1));
    let e = expect_api(create(&c, "once.example").await, 503);
    assert!(
        e.is_retryable(),
        "retryable in principle; the caller decides"
    );
    assert_eq!(received(&sim, CREATE), 1, "POST is not idempotent");
    assert_eq!(sim.indicator_count(), 0);
    assert_eq!(create(&c, "once.example").await.expect("create"), 201);
    assert_eq!(sim.indicator_count(), 1, "exactly one, no duplicate");
    sim.shutdown().await;
}

#[tokio::test]
async fn status_4xx_is_an_api_error_at_once() {
    let (sim, c, id) = with_one().await;
    for status in [400, 403, 404, 409] {
        sim.clear_requests();
        sim.inject(Fault::times(GET, FaultKind::Status(status), 1));
        let e = expect_api(get(&c, &id).await, status);
        assert!(!e.is_retryable());
        assert_eq!(received(&sim, GET), 1, "{status} is not retried");
    }
    assert_eq!(get(&c, &id).await.expect("fault gone"), id);
    sim.shutdown().await;
}

#[tokio::test]
async fn delay_is_waited_out_or_times_out_as_a_transport_error() {
    let (sim, _, id) = with_one().await;
    // A short delay: the call simply succeeds.
    let c = client_for(&sim);
    sim.inject(Fault::times(
        GET,
        FaultKind::Delay(Duration::from_millis(30)),
        1,
    ));
    assert_eq!(get(&c, &id).await.expect("slow but fine"), id);

    // Longer than the client's timeout, without retries: a transport timeout.
    let impatient = ioc_client::Client::builder()
        .base_url(sim.base_url())
        .client_id(sim.config().client_id.clone())
        .client_secret(sim.config().client_secret.clone())
        .timeout(Duration::from_millis(150))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    sim.inject(Fault::times(
        GET,
        FaultKind::Delay(Duration::from_secs(3)),
        1,
    ));
    let e = expect_kind(get(&impatient, &id).await, ErrorKind::Transport);
    assert!(matches!(e, Error::Transport { timeout: true, .. }), "{e:?}");

    // The same with retries on: the second attempt is not delayed and succeeds.
    let patient = ioc_client::Client::builder()
        .base_url(sim.base_url())
        .client_id(sim.config().client_id.clone())
        .client_secret(sim.config().client_secret.clone())
        .timeout(Duration::from_millis(150))
        .retry(fast_retry())
        .build()
        .unwrap();
    sim.inject(Fault::times(
        GET,
        FaultKind::Delay(Duration::from_secs(3)),
        1,
    ));
    assert_eq!(get(&patient, &id).await.expect("retried after timeout"), id);
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_on_every_path() {
    let (sim, c, id) = with_one().await;
    sim.inject(Fault::times(GET, FaultKind::MalformedJson, 1));
    let e = expect_kind(get(&c, &id).await, ErrorKind::Decode);
    match &e {
        Error::Decode {
            status, snippet, ..
        } => {
            assert_eq!(*status, 200);
            assert!(snippet.starts_with("{\"meta\""), "{snippet}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(received(&sim, GET), 1, "a 200 is not retried");
    sim.inject(Fault::times(GET, FaultKind::MalformedJson, 1));
    let e = c
        .command("indicator.get.v1", json!({"ids": [id]}))
        .await
        .expect_err("command decodes too");
    assert_eq!(e.kind(), ErrorKind::Decode);
    sim.inject(Fault::times(CREATE, FaultKind::MalformedJson, 1));
    expect_kind(create(&c, "decode.example").await, ErrorKind::Decode);
    assert_eq!(get(&c, &id).await.expect("healthy again"), id);
    sim.shutdown().await;
}

#[tokio::test]
async fn html_error_pages_are_retried_when_5xx_and_kept_as_raw_text() {
    let (sim, c, id) = with_one().await;
    sim.inject(Fault::times(GET, FaultKind::HtmlError(502), 2));
    assert_eq!(get(&c, &id).await.expect("retried past the HTML pages"), id);

    sim.inject(Fault::new(GET, FaultKind::HtmlError(503)));
    let e = expect_api(get(&c, &id).await, 503);
    let api = e.as_api().unwrap();
    assert!(api.errors.is_empty());
    assert!(api.body.is_none());
    assert!(api.raw_body.as_deref().unwrap().contains("<html>"), "{e}");
    sim.clear_faults();

    sim.clear_requests();
    sim.inject(Fault::times(GET, FaultKind::HtmlError(404), 1));
    let e = expect_api(get(&c, &id).await, 404);
    assert!(e.to_string().contains("404 Error"), "{e}");
    assert_eq!(received(&sim, GET), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn dropped_connections_are_transport_errors_retried_on_reads_only() {
    let (sim, c, id) = with_one().await;
    sim.inject(Fault::times(GET, FaultKind::DropConnection, 1));
    assert_eq!(get(&c, &id).await.expect("retried on a new connection"), id);
    assert_eq!(received(&sim, GET), 2);

    sim.inject(Fault::new(GET, FaultKind::DropConnection));
    let e = expect_kind(get(&c, &id).await, ErrorKind::Transport);
    assert!(
        matches!(e, Error::Transport { timeout: false, .. }),
        "{e:?}"
    );
    sim.clear_faults();

    sim.clear_requests();
    sim.inject(Fault::times(CREATE, FaultKind::DropConnection, 1));
    expect_kind(create(&c, "dropped.example").await, ErrorKind::Transport);
    assert_eq!(received(&sim, CREATE), 1, "a dropped POST is not resent");
    assert_eq!(sim.indicator_count(), 1, "and created nothing");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_401_gets_one_fresh_login_then_is_an_api_error() {
    let (sim, c, id) = with_one().await;
    assert_eq!(get(&c, &id).await.unwrap(), id);
    assert_eq!(sim.token_requests(), 1);
    sim.inject(Fault::times(GET, FaultKind::Status401, 1));
    assert_eq!(get(&c, &id).await.expect("logged in again"), id);
    assert_eq!(sim.token_requests(), 2);
    assert_eq!(c.runtime().login_count(), 2);

    sim.inject(Fault::new(GET, FaultKind::Status401));
    let e = expect_api(get(&c, &id).await, 401);
    assert!(!e.is_retryable());
    assert_eq!(
        sim.token_requests(),
        3,
        "one fresh login per call, not a loop"
    );
    sim.clear_faults();

    // A revoked token (logout) is replaced on the next call.
    c.runtime().logout().await.expect("logout");
    assert_eq!(get(&c, &id).await.expect("after logout"), id);
    assert_eq!(sim.token_requests(), 4);
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limits_are_waited_out_and_retried_even_for_creates() {
    let (sim, c, id) = with_one().await;
    for use_retry_after_header in [false, true] {
        sim.inject(Fault::times(
            GET,
            FaultKind::RateLimited {
                retry_after_epoch_secs_from_now: 0,
                use_retry_after_header,
            },
            1,
        ));
        assert_eq!(get(&c, &id).await.expect("after the wait"), id);
    }
    // 429 means "not processed": a create is retried, and created once.
    sim.inject(Fault::times(
        CREATE,
        FaultKind::RateLimited {
            retry_after_epoch_secs_from_now: 0,
            use_retry_after_header: false,
        },
        1,
    ));
    assert_eq!(create(&c, "limited.example").await.expect("retried"), 201);
    assert_eq!(received(&sim, CREATE), 2);
    assert_eq!(sim.indicator_count(), 2);

    sim.inject(Fault::new(
        GET,
        FaultKind::RateLimited {
            retry_after_epoch_secs_from_now: 30,
            use_retry_after_header: true,
        },
    ));
    let e = expect_api(get(&c, &id).await, 429);
    let rate = e.as_api().unwrap().rate_limit;
    assert!(rate.retry_after_epoch.is_some());
    assert_eq!(rate.remaining, Some(0));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_simulators_own_rate_limit_ends_in_429_after_the_retries() {
    let config = Config {
        rate_limit_per_minute: Some(5),
        ..Config::default()
    };
    let (sim, c) = start_with(config).await;
    for _ in 0..5 {
        let r = c.platform_query_v1().send().await.expect("within limit");
        assert_eq!(r.rate_limit().limit, Some(5));
    }
    // The limiter asks to wait until its minute is over, longer than this client's whole
    // retry budget (`max_total_wait`): the call ends in the 429, without hanging.
    let e = expect_api(c.platform_query_v1().send().await, 429);
    let rate = e.as_api().unwrap().rate_limit;
    assert!(rate.retry_after_epoch.is_some());
    assert_eq!(rate.remaining, Some(0));
    let sent = received(&sim, "platform.query.v1");
    assert!((6..=5 + attempts()).contains(&sent), "{sent} requests");
    sim.shutdown().await;
}

#[tokio::test]
async fn token_endpoint_faults_fail_the_call_and_no_api_call_is_sent() {
    let (sim, _) = start().await;
    let cases = [
        (FaultKind::Status(500), Some(500)),
        (FaultKind::HtmlError(503), Some(503)),
        (FaultKind::MalformedJson, Some(200)),
        (FaultKind::DropConnection, None),
    ];
    let n = cases.len();
    for (kind, status) in cases {
        let c = client_for(&sim);
        sim.inject(Fault::new(Route::Token, kind.clone()));
        // A token request that got no reply is a transport error (CLI exit 5), not a verdict
        // on the credentials; a reply that refuses or cannot be read is an Auth error.
        let want = match status {
            Some(_) => ErrorKind::Auth,
            None => ErrorKind::Transport,
        };
        let e = expect_kind(c.severity_query_v1().send().await, want);
        match &e {
            Error::Auth { status: s, .. } => assert_eq!(*s, status, "{kind:?}"),
            Error::Transport { message, .. } => {
                assert!(message.contains("logging in got no reply"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        // A 5xx or a dropped connection may clear up; a malformed 200 will not.
        assert_eq!(e.is_retryable(), status != Some(200), "{kind:?}");
        // Once the token endpoint recovers, the same client logs in on its next call.
        sim.clear_faults();
        c.severity_query_v1().send().await.expect("logs in now");
    }
    assert_eq!(received(&sim, "severity.query.v1"), n);

    // A token endpoint that fails once is retried like any request: the call goes through.
    let c = client_for(&sim);
    sim.inject(Fault::times(Route::Token, FaultKind::Status(503), 1));
    c.severity_query_v1()
        .send()
        .await
        .expect("the login is retried");
    assert_eq!(received(&sim, "severity.query.v1"), n + 1);

    // Wrong credentials: the service's 403, as an Auth error naming it.
    let wrong = ioc_client::Client::builder()
        .base_url(sim.base_url())
        .client_id("sim-client-id")
        .client_secret("not-the-secret")
        .build()
        .unwrap();
    let e = expect_kind(wrong.severity_query_v1().send().await, ErrorKind::Auth);
    assert!(e.to_string().contains("403"), "{e}");
    assert!(e.to_string().contains("invalid client credentials"), "{e}");
    assert!(
        !e.to_string().contains("not-the-secret"),
        "no secret in errors"
    );

    // A revoke that fails is reported as an Auth error too.
    let c = client_for(&sim);
    c.severity_query_v1().send().await.unwrap();
    sim.inject(Fault::times(Route::Revoke, FaultKind::Status(500), 1));
    let e = c.runtime().logout().await.expect_err("revoke failed");
    assert_eq!(e.kind(), ErrorKind::Auth);
    sim.shutdown().await;
}

#[tokio::test]
async fn deletes_are_retried_on_5xx_and_updates_are_not() {
    let (sim, c, id) = with_one().await;
    sim.inject(Fault::times(
        "indicator.update.v1",
        FaultKind::Status(502),
        1,
    ));
    let update = || {
        c.indicator_update_v1()
            .body(
                models::ApiIndicatorUpdateReqsV1::new().indicators([
                    models::ApiIndicatorUpdateReqV1::new()
                        .id(&id)
                        .severity("critical"),
                ]),
            )
            .send()
    };
    expect_api(update().await, 502);
    assert_eq!(
        received(&sim, "indicator.update.v1"),
        1,
        "PATCH is not resent"
    );
    let r = update().await.expect("update");
    assert_eq!(
        r.body.resources[0].severity,
        Some(models::Severity::Critical)
    );

    sim.inject(Fault::times(
        "indicator.delete.v1",
        FaultKind::Status(503),
        1,
    ));
    let r = c
        .indicator_delete_v1()
        .ids([id.as_str()])
        .send()
        .await
        .expect("DELETE is idempotent and retried");
    assert_eq!(r.body.resources, std::slice::from_ref(&id));
    assert_eq!(received(&sim, "indicator.delete.v1"), 2);
    assert_eq!(sim.indicator_count(), 0);
    sim.shutdown().await;
}

/// A token whose lifetime is shorter than the client's renew window (120 s by default) is
/// reused, not thrown away after every call (it is renewed halfway through its life).
#[tokio::test]
async fn a_short_lived_token_is_reused_until_it_nears_expiry() {
    let config = Config {
        token_ttl: Duration::from_secs(60),
        ..Config::default()
    };
    let (sim, c) = start_with(config).await;
    for _ in 0..5 {
        c.severity_query_v1().send().await.expect("severities");
    }
    assert_eq!(
        sim.token_requests(),
        1,
        "one login for five calls a minute's token covers"
    );
    sim.shutdown().await;
}
