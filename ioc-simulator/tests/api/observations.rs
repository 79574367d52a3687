//! Devices and processes that saw indicators, process details, and the catalogs.

use crate::common::H;
use serde_json::json;

#[tokio::test]
async fn devices_and_processes_are_deterministic_and_consistent() {
    let h = H::new().await;
    let tv = [("type", "domain"), ("value", "evil.example")];
    let count = h
        .get("/iocs/aggregates/indicators/device-count/v1", &tv)
        .await;
    assert_eq!(count.status, 200);
    let n = count.resources()[0]["device_count"].as_u64().unwrap();
    let legacy = h.get("/indicators/aggregates/devices-count/v1", &tv).await;
    assert_eq!(legacy.resources()[0]["device_count"], n);

    let devices = h.get("/iocs/queries/indicators/devices/v1", &tv).await;
    assert_eq!(devices.status, 200);
    assert_eq!(devices.resources().len() as u64, n);
    assert_eq!(devices.body["meta"]["pagination"]["total"], n);
    let legacy = h.get("/indicators/queries/devices/v1", &tv).await;
    assert_eq!(legacy.body["resources"], devices.body["resources"]);
    let paged = h
        .get(
            "/iocs/queries/indicators/devices/v1",
            &[tv[0], tv[1], ("limit", "1"), ("offset", "0")],
        )
        .await;
    assert_eq!(paged.resources().len(), 1);

    let device = devices.resources()[0].as_str().unwrap();
    let q = [tv[0], tv[1], ("device_id", device)];
    let procs = h.get("/iocs/queries/indicators/processes/v1", &q).await;
    assert_eq!(procs.status, 200);
    assert!(!procs.resources().is_empty());
    let legacy = h.get("/indicators/queries/processes/v1", &q).await;
    assert_eq!(legacy.body["resources"], procs.body["resources"]);
    let pid = procs.resources()[0].as_str().unwrap();
    assert!(pid.starts_with(&format!("pid:{device}:")));

    let details = h
        .get(
            "/processes/entities/processes/v1",
            &[("ids", pid), ("ids", "bogus")],
        )
        .await;
    assert_eq!(details.status, 200);
    let d = &details.resources()[0];
    assert_eq!(d["device_id"], device);
    for field in [
        "command_line",
        "file_name",
        "process_id",
        "start_timestamp",
        "stop_timestamp_raw",
    ] {
        assert!(d[field].is_string(), "{field}");
    }
    assert_eq!(details.body["errors"][0]["code"], 404);

    let bad = h
        .get(
            "/iocs/queries/indicators/devices/v1",
            &[("type", "md5"), ("value", "x")],
        )
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn catalogs() {
    let h = H::new().await;
    let r = h.get("/iocs/queries/actions/v1", &[]).await;
    assert_eq!(
        r.body["resources"],
        json!(["no_action", "allow", "prevent_no_ui", "detect", "prevent"])
    );
    let r = h
        .get(
            "/iocs/queries/ioc-types/v1",
            &[("offset", "1"), ("limit", "2")],
        )
        .await;
    assert_eq!(r.body["resources"], json!(["md5", "domain"]));
    assert_eq!(r.body["meta"]["pagination"]["total"], 5);
    let r = h.get("/iocs/queries/platforms/v1", &[]).await;
    assert_eq!(
        r.body["resources"],
        json!(["windows", "mac", "linux", "ios", "android"])
    );
    let r = h
        .get(
            "/iocs/entities/actions/v1",
            &[("ids", "detect"), ("ids", "nope")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.resources()[0]["id"], "detect");
    assert!(r.resources()[0]["platforms_by_type"]["sha256"].is_array());
    assert_eq!(r.body["errors"][0]["id"], "nope");
}
