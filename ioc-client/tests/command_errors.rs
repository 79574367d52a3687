//! Bad `command()` and builder input: each gets a clear error that names the operation and the
//! argument, and nothing reaches the server (not even a login).

mod support;

use ioc_client::{Client, Error};
use ioc_simulator::Simulator;
use serde_json::{Value, json};

async fn harness() -> (Simulator, Client) {
    let sim = support::sim().await;
    let client = support::client(&sim);
    (sim, client)
}

/// Runs a bad command and returns its error text, asserting nothing was sent.
async fn refused(id: &str, args: Value) -> Error {
    let (sim, client) = harness().await;
    let err = client.command(id, args).await.expect_err("refused");
    assert!(
        sim.requests().is_empty(),
        "nothing may be sent, got {:?}",
        sim.requests()
    );
    err
}

#[tokio::test]
async fn unknown_operation_suggests_the_nearest() {
    let err = refused("indicator_get_v2", json!({})).await;
    assert!(
        matches!(&err, Error::UnknownOperation { suggestion: Some(s), .. } if s == "indicator_get_v1"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "unknown operation `indicator_get_v2`; did you mean `indicator_get_v1`?"
    );
}

#[tokio::test]
async fn wrong_case_of_an_id_is_unknown_but_suggested() {
    let err = refused("devicescount", json!({})).await;
    assert_eq!(
        err.to_string(),
        "unknown operation `devicescount`; did you mean `DevicesCount`?"
    );
}

#[tokio::test]
async fn unknown_argument() {
    let err = refused("indicator.search.v1", json!({"fliter": "x"})).await;
    assert_eq!(
        err.to_string(),
        "invalid argument for `indicator.search.v1`, parameter `fliter`: the operation has no such parameter; did you mean `filter`?"
    );
}

#[tokio::test]
async fn missing_required_argument() {
    let err = refused("DevicesCount", json!({"type": "domain"})).await;
    assert_eq!(
        err.to_string(),
        "invalid argument for `DevicesCount`, parameter `value`: required, but not given"
    );
}

#[tokio::test]
async fn missing_required_body() {
    let err = refused("indicator.create.v1", json!({"retrodetects": true})).await;
    assert_eq!(
        err.to_string(),
        "invalid argument for `indicator.create.v1`, parameter `body`: the operation requires a JSON body"
    );
}

#[tokio::test]
async fn object_for_a_string_parameter() {
    let err = refused("indicator.search.v1", json!({"filter": {"type": "domain"}})).await;
    assert_eq!(
        err.to_string(),
        "invalid argument for `indicator.search.v1`, parameter `filter`: expected a string, got an object"
    );
}

#[tokio::test]
async fn word_for_an_integer_parameter() {
    let err = refused("indicator.search.v1", json!({"limit": "ten"})).await;
    assert_eq!(
        err.to_string(),
        "invalid argument for `indicator.search.v1`, parameter `limit`: expected an integer, got the string \"ten\""
    );
}

#[tokio::test]
async fn fraction_for_an_integer_parameter() {
    let err = refused("indicator.search.v1", json!({"offset": 1.5})).await;
    assert!(
        err.to_string()
            .contains("parameter `offset`: expected an integer, got the number 1.5"),
        "{err}"
    );
}

#[tokio::test]
async fn word_for_a_boolean_parameter() {
    let err = refused(
        "indicator.create.v1",
        json!({"retrodetects": "yes", "body": {}}),
    )
    .await;
    assert!(
        err.to_string()
            .contains("parameter `retrodetects`: expected a boolean, got the string \"yes\""),
        "{err}"
    );
}

#[tokio::test]
async fn object_inside_a_list_parameter() {
    let err = refused("indicator.get.v1", json!({"ids": ["a", {"b": 1}]})).await;
    assert!(
        err.to_string()
            .contains("parameter `ids`: item 1: expected a string, got an object"),
        "{err}"
    );
}

#[tokio::test]
async fn arguments_that_are_not_an_object() {
    let err = refused("indicator.get.v1", json!(["a"])).await;
    assert!(
        err.to_string().starts_with(
            "invalid argument for `indicator.get.v1`: arguments must be a JSON object"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn parameters_that_are_not_an_object() {
    let err = refused("indicator.search.v1", json!({"parameters": "limit=1"})).await;
    assert!(
        err.to_string()
            .contains("parameter `parameters`: must be a JSON object of query pairs"),
        "{err}"
    );
}

#[tokio::test]
async fn override_with_a_bad_method_or_path() {
    let (sim, client) = harness().await;
    let err = client
        .command_override("FETCH", "/x", json!({}))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument for `FETCH /x`, parameter `method`: `FETCH` is not one of GET, POST, PUT, PATCH, DELETE, HEAD"
    );
    let err = client
        .command_override("GET", "x", json!({}))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("parameter `path`: must start with `/`"),
        "{err}"
    );
    let err = client
        .command_override("GET", "/x", json!({"ids": ["a"]}))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("parameter `ids`: an override takes only `parameters` and `body`"),
        "{err}"
    );
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn typed_builder_refuses_a_missing_required_parameter() {
    let (sim, client) = harness().await;
    let err = client
        .devices_count()
        .type_("domain")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument for `DevicesCount`, parameter `value`: required, but not given"
    );
    let err = client.indicator_create_v1().send().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("parameter `body`: the operation requires a JSON body"),
        "{err}"
    );
    assert!(sim.requests().is_empty());
}

/// Enums are documentation: values the spec does not list go out as given.
#[tokio::test]
async fn enum_values_are_not_a_gate() {
    let (sim, client) = harness().await;
    client
        .indicator_search_v1()
        .sort("created_on.desc")
        .send()
        .await
        .unwrap();
    client
        .command("indicator_search_v1", json!({"sort": "value|asc"}))
        .await
        .unwrap();
    let sorts: Vec<String> = sim
        .requests()
        .iter()
        .filter_map(|r| r.query_value("sort").map(str::to_string))
        .collect();
    assert_eq!(sorts, ["created_on.desc", "value|asc"]);
}

/// Scalars convert where it is unambiguous: a number for a string parameter goes as its text,
/// a numeric string for an integer parameter is accepted.
#[tokio::test]
async fn scalars_convert_where_unambiguous() {
    let (sim, client) = harness().await;
    client
        .command(
            "indicator_get_devices_ran_on_v1",
            json!({"type": "domain", "value": "x.example", "limit": 5, "offset": true}),
        )
        .await
        .unwrap_err(); // the service refuses offset=true; what matters is what went out
    client
        .command("indicator_search_v1", json!({"limit": " 7 "}))
        .await
        .unwrap();
    let sent: Vec<Vec<(String, String)>> = sim
        .requests()
        .into_iter()
        .filter(|r| !r.path.starts_with("/oauth2/"))
        .map(|r| r.query)
        .collect();
    assert_eq!(
        sent[0][2..],
        [
            ("limit".into(), "5".into()),
            ("offset".into(), "true".into())
        ]
    );
    assert_eq!(sent[1], [("limit".to_string(), "7".to_string())]);
}
