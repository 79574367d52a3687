//! 400s for undeclared, mistyped and missing parameters and bad bodies; 404/405 routing.

use crate::common::H;
use reqwest::Method;

#[tokio::test]
async fn undeclared_query_parameter_is_400() {
    let h = H::new().await;
    let r = h
        .get("/iocs/queries/indicators/v1", &[("bogus", "1")])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.first_error().contains("'bogus'"), "{}", r.body);
    assert_eq!(r.body["errors"][0]["code"], 400);
}

#[tokio::test]
async fn non_integer_and_non_boolean_values_are_400() {
    let h = H::new().await;
    let r = h
        .get("/iocs/queries/indicators/v1", &[("limit", "ten")])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.first_error().contains("'limit'"));
    let r = h
        .get("/iocs/queries/indicators/v1", &[("from_parent", "maybe")])
        .await;
    assert_eq!(r.status, 400);
    assert!(r.first_error().contains("'from_parent'"));
    let r = h
        .get("/iocs/queries/indicators/v1", &[("from_parent", "True")])
        .await;
    assert_eq!(r.status, 200);
    // String-typed offsets on the catalog endpoints must still be numbers.
    let r = h.get("/iocs/queries/actions/v1", &[("offset", "x")]).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn missing_required_parameter_is_400() {
    let h = H::new().await;
    let r = h.get("/iocs/entities/indicators/v1", &[]).await;
    assert_eq!(r.status, 400);
    assert!(r.first_error().contains("'ids'"));
    let r = h
        .get(
            "/indicators/queries/processes/v1",
            &[("type", "domain"), ("value", "a.com")],
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.first_error().contains("'device_id'"));
}

#[tokio::test]
async fn missing_or_non_json_body_is_400() {
    let h = H::new().await;
    let r = h
        .call(Method::POST, "/iocs/entities/indicators/v1", &[], None)
        .await;
    assert_eq!(r.status, 400);
    let resp = h
        .http
        .post(format!("{}/iocs/entities/indicators/v1", h.sim.base_url()))
        .bearer_auth(&h.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let r = h
        .call(
            Method::POST,
            "/iocs/entities/indicators/v1",
            &[],
            Some(serde_json::json!({"indicators": "nope"})),
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn get_with_empty_json_body_is_fine() {
    // FalconPy's Uber class sends `{}` bodies on GET.
    let h = H::new().await;
    let r = h
        .call(
            Method::GET,
            "/iocs/queries/ioc-types/v1",
            &[],
            Some(serde_json::json!({})),
        )
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn unknown_path_and_wrong_method() {
    let h = H::new().await;
    assert_eq!(h.get("/iocs/nothing/v1", &[]).await.status, 404);
    let r = h
        .call(Method::PUT, "/iocs/entities/indicators/v1", &[], None)
        .await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn envelope_and_headers_on_success() {
    let h = H::new().await;
    let r = h.get("/iocs/queries/severities/v1", &[]).await;
    assert_eq!(r.status, 200);
    let meta = &r.body["meta"];
    assert_eq!(meta["powered_by"], "ioc-simulator");
    assert!(meta["query_time"].is_number());
    assert_eq!(r.header("x-cs-traceid"), meta["trace_id"].as_str());
    assert_eq!(meta["trace_id"].as_str().unwrap().len(), 36);
    assert_eq!(r.header("x-ratelimit-limit"), Some("6000"));
    assert!(r.header("x-ratelimit-remaining").is_some());
    assert_eq!(r.body["errors"], serde_json::json!([]));
    assert_eq!(
        r.body["resources"],
        serde_json::json!(["informational", "low", "medium", "high", "critical"])
    );
}
