//! The API a downstream crate's tests use: seeding (typed and JSON Lines), `requests_to`,
//! `reset`, the blocking start and the fault shorthands.

use ioc_simulator::{Config, Fault, FaultKind, SeedIndicator, Simulator};

use crate::common::H;

#[tokio::test]
async fn seeded_indicators_are_served_with_their_fields() {
    let h = H::new().await;
    let ids = h
        .sim
        .seed_jsonl(
            "{\"type\":\"domain\",\"value\":\"a.example\",\"action\":\"detect\",\"severity\":\"high\",\
             \"platforms\":[\"linux\"],\"applied_globally\":true,\"tags\":[\"t1\",\"t2\"],\"source\":\"feed\",\
             \"description\":\"d\",\"expiration\":\"2099-01-01T00:00:00Z\"}\n\n",
        )
        .unwrap();
    let typed = h
        .sim
        .seed([SeedIndicator::new("md5", "0".repeat(32)).tags(["x"])])
        .unwrap();
    assert_eq!((ids.len(), typed.len()), (1, 1));
    let got = h
        .get("/iocs/entities/indicators/v1", &[("ids", ids[0].as_str())])
        .await;
    let record = &got.resources()[0];
    assert_eq!(record["value"], "a.example");
    assert_eq!(record["severity"], "high");
    assert_eq!(record["tags"], serde_json::json!(["t1", "t2"]));
    assert_eq!(record["source"], "feed");
    assert_eq!(h.sim.indicator_count(), 2);
}

#[tokio::test]
async fn a_bad_row_is_named_by_its_line() {
    let sim = Simulator::start(Config::default()).await.unwrap();
    let ok = r#"{"type":"domain","value":"a.example","action":"detect","severity":"low","platforms":["mac"],"applied_globally":true}"#;
    // A typo in a field name: nothing is seeded.
    let err = sim
        .seed_jsonl(&format!(
            "{ok}\n{{\"type\":\"domain\",\"valeu\":\"b.example\"}}\n"
        ))
        .unwrap_err();
    assert_eq!(err.row, 2);
    assert!(err.message.contains("valeu"), "{err}");
    assert_eq!(sim.indicator_count(), 0);
    // A row the service would refuse: the ones before it stay.
    let err = sim
        .seed_jsonl(&format!(
            "{ok}\n{{\"type\":\"domain\",\"value\":\"b.example\",\"action\":\"detect\",\"severity\":\"bad\",\"platforms\":[\"mac\"],\"applied_globally\":true}}"
        ))
        .unwrap_err();
    assert_eq!(err.row, 2);
    assert!(err.to_string().contains("seed row 2"), "{err}");
    assert_eq!(sim.indicator_count(), 1);
}

#[tokio::test]
async fn requests_to_one_operation_and_reset() {
    let h = H::new().await;
    h.create(vec![crate::common::ind("domain", "c.example")])
        .await;
    h.sim.inject(Fault::next_calls(1, FaultKind::Status(503)));
    assert_eq!(
        h.get(
            "/iocs/queries/indicators/v1",
            &[("filter", "type:'domain'")]
        )
        .await
        .status,
        503
    );
    let searches = h.sim.requests_to("indicator_search_v1");
    assert_eq!(searches.len(), 1);
    assert_eq!(searches[0].query_value("filter"), Some("type:'domain'"));
    assert_eq!(h.sim.requests_to("indicator.create.v1").len(), 1);
    assert_eq!(h.sim.requests_to("oauth2AccessToken").len(), 1);

    h.sim.inject(Fault::new("*", FaultKind::Status(500)));
    h.sim.reset();
    assert!(h.sim.requests().is_empty());
    assert_eq!(h.sim.indicator_count(), 0);
    // Faults are gone and the token still works.
    let after = h.get("/iocs/queries/indicators/v1", &[]).await;
    assert_eq!(after.status, 200);
    assert_eq!(h.sim.client_id(), ioc_simulator::DEFAULT_CLIENT_ID);
    assert_eq!(h.sim.client_secret(), ioc_simulator::DEFAULT_CLIENT_SECRET);
}

#[test]
fn a_blocking_simulator_serves_without_an_async_runtime() {
    let sim = Simulator::start_blocking(Config::default()).unwrap();
    sim.inject(Fault::next_calls(1, FaultKind::rate_limited(30)));
    // A plain socket: no client library, no runtime.
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(sim.addr()).unwrap();
    write!(
        stream,
        "GET /iocs/queries/indicators/v1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 429"), "{reply}");
    assert!(reply.contains("X-Ratelimit-Retryafter"), "{reply}");
    assert!(!reply.contains("Retry-After:"), "{reply}");
    assert_eq!(sim.requests().len(), 1);
}
