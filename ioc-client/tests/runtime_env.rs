//! `Client::from_env()`. Alone in its own test binary because it sets environment variables.

mod support;

use ioc_client::{Client, ErrorKind};

#[tokio::test]
async fn from_env_reads_credentials_and_cloud_or_url() {
    let sim = support::sim().await;
    let set = |k: &str, v: &str| unsafe { std::env::set_var(k, v) };
    let unset = |k: &str| unsafe { std::env::remove_var(k) };

    unset("FALCON_CLIENT_ID");
    set("FALCON_CLIENT_SECRET", "x");
    let err = Client::from_env().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("FALCON_CLIENT_ID"));

    set("FALCON_CLIENT_ID", &sim.config().client_id);
    set("FALCON_CLIENT_SECRET", &sim.config().client_secret);
    set("FALCON_MEMBER_CID", "child-cid-1");
    set("FALCON_CLOUD", &sim.base_url());
    let client = Client::from_env().unwrap();
    client.ioc_type_query_v1().send().await.unwrap();
    let token_request = &sim.requests()[0];
    let form = String::from_utf8_lossy(&token_request.raw_body).into_owned();
    assert!(form.contains("member_cid=child-cid-1"), "{form}");

    // A cloud name; nothing is sent.
    set("FALCON_CLOUD", "US-2");
    let client = Client::from_env().unwrap();
    assert_eq!(
        client.runtime().base_url(),
        "https://api.us-2.crowdstrike.com"
    );
    // No cloud: auto, starting at US-1.
    unset("FALCON_CLOUD");
    let client = Client::from_env().unwrap();
    assert_eq!(client.runtime().base_url(), "https://api.crowdstrike.com");
}
