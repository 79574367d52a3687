//! The typed models without a network: value sets as open enums (known values, any other string
//! kept and sent back as it came), request models that write only what was set, and response
//! models as tolerant as before (`null` lists read as empty).

use ioc_client::models::{
    Action, ApiIndicatorCreateReqV1, ApiIndicatorCreateReqsV1, ApiIndicatorRespV1, ApiIndicatorV1,
    IndicatorType, MsaAggregateQueryRequest, MsaAggregationResult, Platform, Severity,
};
use serde_json::json;

#[test]
fn open_enums_take_known_and_unknown_values() {
    assert_eq!(IndicatorType::from("sha256"), IndicatorType::Sha256);
    assert_eq!(
        Action::from("prevent_no_ui".to_string()),
        Action::PreventNoUi
    );
    assert_eq!(
        Severity::from("extreme"),
        Severity::Unknown("extreme".into())
    );
    assert_eq!(Platform::Android.as_str(), "android");
    assert_eq!(Severity::Unknown("x".into()).to_string(), "x");
    assert_eq!(String::from(Action::NoAction), "no_action");
}

#[test]
fn a_record_with_values_the_spec_does_not_list_round_trips() {
    let sent = json!({
        "type": "sha1",
        "value": "abc",
        "action": "quarantine",
        "severity": "high",
        "platforms": ["windows", "beos"],
    });
    let record: ApiIndicatorV1 = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(record.type_, Some(IndicatorType::Unknown("sha1".into())));
    assert_eq!(record.action, Some(Action::Unknown("quarantine".into())));
    assert_eq!(record.severity, Some(Severity::High));
    assert_eq!(
        record.platforms,
        Some(vec![Platform::Windows, Platform::Unknown("beos".into())])
    );
    assert_eq!(serde_json::to_value(&record).unwrap(), sent);
}

#[test]
fn request_models_write_only_what_was_set() {
    assert_eq!(
        serde_json::to_value(MsaAggregateQueryRequest::new("type", "terms")).unwrap(),
        json!({"field": "type", "type": "terms"})
    );
    assert_eq!(
        serde_json::to_value(MsaAggregateQueryRequest::default()).unwrap(),
        json!({})
    );
    let create = ApiIndicatorCreateReqsV1::new([ApiIndicatorCreateReqV1::new(
        IndicatorType::Domain,
        "example.com",
    )
    .action(Action::Detect)
    .severity("medium")
    .platforms(["windows", "mac", "linux"])
    .applied_globally(true)]);
    assert_eq!(
        serde_json::to_value(&create).unwrap(),
        json!({"indicators": [{
            "action": "detect",
            "applied_globally": true,
            "platforms": ["windows", "mac", "linux"],
            "severity": "medium",
            "type": "domain",
            "value": "example.com",
        }]})
    );
    // `false` and empty strings are set values, sent as given (as FalconPy does).
    let falsy = ApiIndicatorCreateReqV1::new("md5", "")
        .applied_globally(false)
        .tags(Vec::<String>::new());
    assert_eq!(
        serde_json::to_value(&falsy).unwrap(),
        json!({"applied_globally": false, "tags": [], "type": "md5", "value": ""})
    );
}

#[test]
fn responses_read_null_lists_as_empty_as_before() {
    let reply: ApiIndicatorRespV1 =
        serde_json::from_str(r#"{"errors": null, "meta": null, "resources": null}"#).unwrap();
    assert!(reply.resources.is_empty() && reply.errors.is_empty());
    let result: MsaAggregationResult =
        serde_json::from_str(r#"{"name": "by_type", "buckets": null}"#).unwrap();
    assert!(result.buckets.is_empty());
}
