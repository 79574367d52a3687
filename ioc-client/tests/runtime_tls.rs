//! HTTPS as a company's network has it: the simulator serves TLS with a certificate from a
//! private CA made at test time (as a TLS-inspecting proxy presents), over 127.0.0.1.
//! `SSL_CERT_FILE` is covered in `runtime_tls_env.rs`, alone because it sets a variable.

mod support;

use std::time::{Duration, Instant};

use falcon_runtime::ClientBuilder;
use ioc_client::{Client, ErrorKind};
use ioc_simulator::Simulator;
use support::tls::{Pki, https_sim, pki};
use support::*;

/// A client of `sim` that trusts only what the test adds (no bundled or OS roots), so the
/// outcome does not depend on the machine's store.
fn https_builder(sim: &Simulator) -> ClientBuilder<Client> {
    builder(sim)
        .tls_bundled_roots(false)
        .tls_system_roots(false)
}

#[tokio::test]
async fn a_private_ca_given_as_pem_is_trusted() {
    let pki = pki();
    let sim = https_sim(&pki).await;
    assert!(sim.base_url().starts_with("https://127.0.0.1:"));
    let client = https_builder(&sim)
        .add_root_certificate_pem(pki.ca_pem.clone())
        .build()
        .unwrap();
    let reply = client.ioc_type_query_v1().send().await.unwrap();
    assert!(reply.body.resources.contains(&"domain".to_string()));
    assert_eq!(sim.token_requests(), 1);
    client.runtime().logout().await.expect("revoke over HTTPS");
}

#[tokio::test]
async fn a_private_ca_read_from_a_file_is_trusted() {
    let pki = pki();
    let sim = https_sim(&pki).await;
    let path = std::env::temp_dir().join(format!("falcon-test-ca-{}.pem", std::process::id()));
    std::fs::write(&path, &pki.ca_pem).unwrap();
    let client = https_builder(&sim)
        .add_root_certificate_file(&path)
        .build()
        .unwrap();
    client.ioc_type_query_v1().send().await.unwrap();
    let _ = std::fs::remove_file(&path);
}

/// Without the CA, the first request (the login) fails as a TLS error of the transport kind,
/// at once: an untrusted certificate is not retried, and nothing reaches the API.
#[tokio::test]
async fn without_the_ca_the_call_fails_with_a_clear_tls_error() {
    let pki = pki();
    let sim = https_sim(&pki).await;
    for (client, problem) in [
        // The default trust (bundled Mozilla roots and the OS store) does not know this CA.
        (builder(&sim).build().unwrap(), "UnknownIssuer"),
        // Another CA of the same name: its signature does not match.
        (
            https_builder(&sim)
                .add_root_certificate_pem(support::tls::pki().ca_pem)
                .build()
                .unwrap(),
            "BadSignature",
        ),
    ] {
        let started = Instant::now();
        let err = client.ioc_type_query_v1().send().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");
        assert!(err.is_tls(), "{err:?}");
        assert!(!err.is_retryable());
        let text = err.to_string();
        assert!(text.contains("invalid peer certificate"), "{text}");
        assert!(text.contains(problem), "{text}");
        assert!(
            text.contains("add_root_certificate_pem"),
            "says what to do: {text}"
        );
        // fast_retry() would have waited; a TLS failure is returned without retrying.
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(sim.requests().is_empty(), "no request got through TLS");
    }
}

/// A certificate for another name is refused too, even from a trusted CA.
#[tokio::test]
async fn a_certificate_for_another_host_is_refused() {
    let pki = support::tls::pki_for(&["falcon.example.invalid"]);
    let sim = https_sim(&pki).await;
    let client = https_builder(&sim)
        .add_root_certificate_pem(pki.ca_pem.clone())
        .build()
        .unwrap();
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert!(err.is_tls(), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("not valid for name"), "{text}");
    assert!(text.contains("check the base URL"), "{text}");
}

#[tokio::test]
async fn danger_accept_invalid_certs_skips_verification() {
    let pki = pki();
    let sim = https_sim(&pki).await;
    let builder = https_builder(&sim).danger_accept_invalid_certs(true);
    assert!(format!("{builder:?}").contains("accept_invalid_certs: true"));
    let client = builder.build().unwrap();
    client.ioc_type_query_v1().send().await.unwrap();
}

/// HTTPS through an HTTP proxy that tunnels with `CONNECT`, as in front of most companies.
#[tokio::test]
async fn https_goes_through_a_connect_proxy() {
    let pki = pki();
    let sim = https_sim(&pki).await;
    let proxy = net::connect_proxy().await;
    let client = https_builder(&sim)
        .add_root_certificate_pem(pki.ca_pem.clone())
        .proxy(&proxy.url)
        .build()
        .unwrap();
    client.ioc_type_query_v1().send().await.unwrap();
    let seen = proxy.seen.lock().unwrap().clone();
    assert!(!seen.is_empty());
    let authority = sim.addr().to_string();
    assert!(
        seen.iter()
            .all(|line| line == &format!("CONNECT {authority} HTTP/1.1")),
        "{seen:?}"
    );
    assert_eq!(sim.requests().len(), 2, "login and call, tunnelled");
}

/// The escape hatch: a reqwest client of the caller's own. The runtime still sends its
/// identity headers and applies auth, retries and the reply cap.
#[tokio::test]
async fn a_reqwest_client_of_your_own_is_used_as_given() {
    let pki = pki();
    let sim = https_sim(&pki).await;
    // reqwest 0.13 leaves the crypto provider to the process (see the CHANGELOG).
    falcon_runtime::install_ring_provider();
    let own = |pki: &Pki| {
        falcon_runtime::reqwest::Client::builder()
            .tls_certs_only([
                falcon_runtime::reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).unwrap(),
            ])
            .redirect(falcon_runtime::reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    };
    let client: Client = builder(&sim)
        .user_agent("my-tool/1.2")
        .http_client(own(&pki))
        .build()
        .unwrap();
    assert!(format!("{:?}", client.runtime()).contains("custom_http_client: true"));
    client.ioc_type_query_v1().send().await.unwrap();
    let call = api_requests(&sim).pop().unwrap();
    assert_eq!(
        header(&call, "user-agent"),
        Some(format!("{} my-tool/1.2", falcon_runtime::SDK_NAME).as_str())
    );
    assert_eq!(
        header(&call, "crowdstrike-sdk"),
        Some(falcon_runtime::SDK_NAME)
    );

    // The cap is the runtime's, so it holds with the caller's client too.
    let capped: Client = builder(&sim)
        .http_client(own(&pki))
        .max_reply_bytes(10)
        .build()
        .unwrap();
    let err = capped.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ReplyTooLarge, "{err:?}");

    // A transport setting next to it would be ignored, so it is refused, naming each one.
    let err = builder::<Client>(&sim)
        .http_client(own(&pki))
        .timeout(Duration::from_secs(5))
        .add_root_certificate_pem(pki.ca_pem.clone())
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let text = err.to_string();
    assert!(
        text.contains("`timeout`") && text.contains("`add_root_certificate_*`"),
        "{text}"
    );
}

#[tokio::test]
async fn unusable_trust_settings_are_configuration_errors() {
    let sim = sim().await;
    let cases: Vec<(ClientBuilder<Client>, &str)> = vec![
        (
            builder(&sim).add_root_certificate_pem("not a certificate"),
            "no certificate in the PEM given to the builder",
        ),
        (
            builder(&sim).add_root_certificate_file("/nonexistent/corp-ca.pem"),
            "cannot read the CA certificates in `/nonexistent/corp-ca.pem`",
        ),
        (
            builder(&sim)
                .tls_bundled_roots(false)
                .tls_system_roots(false),
            "no certificate would be trusted",
        ),
        (
            builder(&sim).add_root_certificate_pem(
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            ),
            "certificate 1 in the PEM given to the builder cannot be used",
        ),
    ];
    for (builder, expected) in cases {
        let err = builder.build().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{err:?}");
        assert!(err.to_string().contains(expected), "{err}");
    }
}

/// Plain HTTP to the same client settings still works (the simulator's default).
#[tokio::test]
async fn trust_settings_do_not_get_in_the_way_of_plain_http() {
    let pki = pki();
    let sim = sim().await;
    let client = builder::<Client>(&sim)
        .add_root_certificate_pem(pki.ca_pem)
        .build()
        .unwrap();
    client.ioc_type_query_v1().send().await.unwrap();
}
