//! Fault injection (every kind, counting, routes), the rate limit, and the request journal.

use crate::common::{H, client, token};
use ioc_simulator::{Config, Fault, FaultKind, Route, Simulator};
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

const TYPES: &str = "/iocs/queries/ioc-types/v1";

#[tokio::test]
async fn status_fault_counts_down() {
    let h = H::new().await;
    h.sim
        .inject(Fault::times("ioc_type.query.v1", FaultKind::Status(503), 2));
    for _ in 0..2 {
        let r = h.get(TYPES, &[]).await;
        assert_eq!(r.status, 503);
        assert_eq!(r.body["errors"][0]["code"], 503);
        assert!(r.body["meta"]["trace_id"].is_string());
    }
    assert_eq!(h.get(TYPES, &[]).await.status, 200);
    // Other operations were never affected.
    h.sim
        .inject(Fault::new("ioc_type.query.v1", FaultKind::Status(500)));
    assert_eq!(h.get("/iocs/queries/platforms/v1", &[]).await.status, 200);
    assert_eq!(h.get(TYPES, &[]).await.status, 500);
    h.sim.clear_faults();
    assert_eq!(h.get(TYPES, &[]).await.status, 200);
    // FalconPy's snake-case alias names the same operation.
    h.sim
        .inject(Fault::times("ioc_type_query_v1", FaultKind::Status(502), 1));
    assert_eq!(h.get(TYPES, &[]).await.status, 502);
}

#[tokio::test]
async fn delay_fault_delays_then_answers() {
    let h = H::new().await;
    h.sim.inject(Fault::times(
        Route::Any,
        FaultKind::Delay(Duration::from_millis(300)),
        1,
    ));
    let t = Instant::now();
    let r = h.get(TYPES, &[]).await;
    assert_eq!(r.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    let t = Instant::now();
    h.get(TYPES, &[]).await;
    assert!(t.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn malformed_json_and_html_faults() {
    let h = H::new().await;
    h.sim
        .inject(Fault::times(TYPES_OP, FaultKind::MalformedJson, 1));
    h.sim
        .inject(Fault::times(TYPES_OP, FaultKind::HtmlError(502), 1));
    let url = format!("{}{}", h.sim.base_url(), TYPES);
    let resp = h.http.get(&url).bearer_auth(&h.token).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "application/json");
    assert_eq!(resp.text().await.unwrap(), "{\"meta\": {");
    let resp = h.http.get(&url).bearer_auth(&h.token).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 502);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(resp.text().await.unwrap().contains("<html>"));
}

const TYPES_OP: &str = "ioc_type.query.v1";

#[tokio::test]
async fn drop_connection_fault_gives_a_transport_error() {
    let h = H::new().await;
    h.sim
        .inject(Fault::times(TYPES_OP, FaultKind::DropConnection, 1));
    let fresh = client();
    let err = fresh
        .get(format!("{}{}", h.sim.base_url(), TYPES))
        .bearer_auth(&h.token)
        .send()
        .await
        .expect_err("connection should be dropped");
    assert!(!err.is_status());
    // The server is still fine afterwards.
    assert_eq!(h.get(TYPES, &[]).await.status, 200);
}

#[tokio::test]
async fn unauthorized_and_rate_limited_faults() {
    let h = H::new().await;
    h.sim
        .inject(Fault::times(TYPES_OP, FaultKind::Status401, 1));
    let r = h.get(TYPES, &[]).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.first_error(), "access denied, authorization failed");

    h.sim.inject(Fault::times(
        TYPES_OP,
        FaultKind::RateLimited {
            retry_after_epoch_secs_from_now: 7,
            use_retry_after_header: true,
        },
        1,
    ));
    let r = h.get(TYPES, &[]).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("7"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let epoch: u64 = r.header("x-ratelimit-retryafter").unwrap().parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(epoch >= now + 5 && epoch <= now + 8, "{epoch} vs {now}");

    h.sim.inject(Fault::times(
        TYPES_OP,
        FaultKind::RateLimited {
            retry_after_epoch_secs_from_now: 3,
            use_retry_after_header: false,
        },
        1,
    ));
    let r = h.get(TYPES, &[]).await;
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_none());
    assert!(r.header("x-ratelimit-retryafter").is_some());
}

#[tokio::test]
async fn token_route_faults_and_any_spares_oauth() {
    let sim = Simulator::start(Config::default()).await.unwrap();
    let http = client();
    sim.inject(Fault::new(Route::Any, FaultKind::Status(500)));
    sim.inject(Fault::times(Route::Token, FaultKind::Status(503), 1));
    let resp = http
        .post(format!("{}/oauth2/token", sim.base_url()))
        .form(&[
            ("client_id", "sim-client-id"),
            ("client_secret", "sim-client-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 503);
    let tok = token(&http, &sim).await; // Route::Any does not touch OAuth
    assert_eq!(sim.token_requests(), 2);
    let resp = http
        .get(format!("{}{}", sim.base_url(), TYPES))
        .bearer_auth(tok)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 500);
}

#[tokio::test]
async fn configured_rate_limit_gives_429() {
    let h = H::with(Config {
        rate_limit_per_minute: Some(3),
        ..Config::default()
    })
    .await;
    for remaining in ["2", "1", "0"] {
        let r = h.get(TYPES, &[]).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(r.header("x-ratelimit-remaining"), Some(remaining));
    }
    let r = h.get(TYPES, &[]).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.body["errors"][0]["code"], 429);
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert!(r.header("x-ratelimit-retryafter").is_some());
}

#[tokio::test]
async fn journal_records_everything_before_faults() {
    let h = H::new().await;
    h.sim
        .inject(Fault::times(Route::Any, FaultKind::Status(500), 1));
    let r = h
        .call(
            Method::POST,
            "/iocs/entities/indicators/v1",
            &[("ignore_warnings", "true")],
            Some(json!({"indicators": []})),
        )
        .await;
    assert_eq!(r.status, 500);
    let url = format!(
        "{}/iocs/entities/indicators/v1?ids=a&ids=b%2Cc&ids=+d",
        h.sim.base_url()
    );
    h.http.get(url).bearer_auth(&h.token).send().await.unwrap();

    let log = h.sim.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].method, "POST");
    assert_eq!(log[0].path, "/oauth2/token");
    assert_eq!(log[0].operation_id.as_deref(), Some("oauth2AccessToken"));
    assert!(String::from_utf8_lossy(&log[0].raw_body).contains("client_id=sim-client-id"));
    assert!(log[0].body.is_none());

    assert_eq!(log[1].operation_id.as_deref(), Some("indicator.create.v1"));
    assert_eq!(
        log[1].query,
        vec![("ignore_warnings".to_string(), "true".to_string())]
    );
    assert_eq!(log[1].body, Some(json!({"indicators": []})));
    assert_eq!(log[1].header("content-type"), Some("application/json"));
    assert!(log[1].headers.iter().all(|(k, _)| *k == k.to_lowercase()));
    assert_eq!(
        log[1].header("authorization"),
        Some(format!("Bearer {}", h.token).as_str())
    );

    assert_eq!(log[2].operation_id.as_deref(), Some("indicator.get.v1"));
    let q: Vec<(&str, &str)> = log[2]
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(q, vec![("ids", "a"), ("ids", "b,c"), ("ids", " d")]);
    assert!(log[2].body.is_none());

    h.sim.clear_requests();
    assert!(h.sim.requests().is_empty());
    h.get("/unknown/path", &[]).await;
    assert_eq!(h.sim.requests()[0].operation_id, None);
}
