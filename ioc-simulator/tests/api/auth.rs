//! OAuth2 token issue, rejection, revocation, expiry and the 401 shape.

use crate::common::{H, client, token};
use ioc_simulator::{Config, Simulator};
use serde_json::Value;
use std::time::Duration;

#[tokio::test]
async fn token_with_right_credentials_is_201_bearer() {
    let sim = Simulator::start(Config::default()).await.unwrap();
    let http = client();
    let resp = http
        .post(format!("{}/oauth2/token", sim.base_url()))
        .form(&[
            ("client_id", "sim-client-id"),
            ("client_secret", "sim-client-secret"),
            ("member_cid", "abc"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert!(resp.headers().get("x-cs-traceid").is_some());
    assert!(resp.headers().get("x-cs-region").is_none());
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 1799);
    assert!(body["access_token"].as_str().unwrap().len() > 20);
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test]
async fn token_with_wrong_credentials_is_403() {
    let sim = Simulator::start(Config::default()).await.unwrap();
    let resp = client()
        .post(format!("{}/oauth2/token", sim.base_url()))
        .form(&[("client_id", "sim-client-id"), ("client_secret", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], 403);
    assert_eq!(
        body["errors"][0]["message"],
        "access denied, invalid client credentials"
    );
    assert!(body["meta"]["trace_id"].is_string());
    assert_eq!(body["resources"], serde_json::json!([]));
    assert_eq!(sim.token_requests(), 1);
}

#[tokio::test]
async fn region_header_and_custom_credentials() {
    let sim = Simulator::start(Config {
        client_id: "id-1".into(),
        client_secret: "s3cret".into(),
        region: Some("us-2".into()),
        token_ttl: Duration::from_secs(60),
        ..Config::default()
    })
    .await
    .unwrap();
    let resp = client()
        .post(format!("{}/oauth2/token", sim.base_url()))
        .form(&[("client_id", "id-1"), ("client_secret", "s3cret")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.headers()["x-cs-region"], "us-2");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["expires_in"], 60);
}

#[tokio::test]
async fn api_calls_without_or_with_bad_token_are_401() {
    let h = H::new().await;
    let url = format!("{}/iocs/queries/indicators/v1", h.sim.base_url());
    for auth in [None, Some("Bearer nonsense"), Some("Basic abc")] {
        let mut req = h.http.get(&url);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 401);
        assert!(resp.headers().get("x-ratelimit-limit").is_some());
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["errors"][0]["code"], 401);
        assert_eq!(
            body["errors"][0]["message"],
            "access denied, authorization failed"
        );
        assert!(body["resources"].is_null());
    }
    // The good token works, with any case of the scheme.
    let resp = h
        .http
        .get(&url)
        .header("authorization", format!("bearer {}", h.token))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

#[tokio::test]
async fn expired_token_is_401() {
    let h = H::with(Config {
        token_ttl: Duration::ZERO,
        ..Config::default()
    })
    .await;
    let r = h.get("/iocs/queries/indicators/v1", &[]).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn revoke_invalidates_the_token() {
    let h = H::new().await;
    assert_eq!(h.get("/iocs/queries/indicators/v1", &[]).await.status, 200);
    // FalconPy writes the scheme in lower case: "basic base64(id:secret)".
    // base64("sim-client-id:sim-client-secret")
    let basic = "c2ltLWNsaWVudC1pZDpzaW0tY2xpZW50LXNlY3JldA==";
    let revoke = |auth: String| {
        h.http
            .post(format!("{}/oauth2/revoke", h.sim.base_url()))
            .header("authorization", auth)
            .form(&[("token", h.token.as_str())])
            .send()
    };
    let bad = revoke("basic d3Jvbmc6d3Jvbmc=".into()).await.unwrap();
    assert_eq!(bad.status().as_u16(), 403);
    let resp = revoke(format!("basic {basic}")).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["resources"], serde_json::json!([]));
    assert_eq!(body["errors"], serde_json::json!([]));
    assert_eq!(h.get("/iocs/queries/indicators/v1", &[]).await.status, 401);
    // A new token works again.
    let fresh = token(&h.http, &h.sim).await;
    assert_ne!(fresh, h.token);
    assert_eq!(h.sim.token_requests(), 2);
}
