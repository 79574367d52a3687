//! How the simulator serves: compressed replies when asked (tower-http's layer), and a TLS
//! configuration that cannot work refused at start. Serving HTTPS itself is exercised by the
//! client's tests (`ioc-client/tests/runtime_tls.rs`), which make a CA at run time.

use ioc_simulator::{Config, Simulator, TlsIdentity};

/// Builds a reqwest client. In a workspace build, reqwest also has the runtime's
/// `rustls-no-provider` feature, and then refuses to build a client until a crypto provider is
/// installed (the tests speak plain HTTP, but the check comes first): ring's, as the runtime's.
fn reqwest_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

/// A client that decodes nothing, whatever features the workspace turned on in reqwest.
fn raw_client() -> reqwest::Client {
    reqwest_builder()
        .no_gzip()
        .no_deflate()
        .no_brotli()
        .no_zstd()
        .build()
        .unwrap()
}

#[tokio::test]
async fn replies_are_compressed_as_asked() {
    let sim = Simulator::start(Config::default()).await.unwrap();
    sim.seed_indicators(50);
    let http = raw_client();
    let token = http
        .post(format!("{}/oauth2/token", sim.base_url()))
        .form(&[
            ("client_id", sim.config().client_id.as_str()),
            ("client_secret", sim.config().client_secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let token: serde_json::Value = token.json().await.unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let page = |accept: Option<&'static str>| {
        let mut req = http
            .get(format!(
                "{}/iocs/combined/indicator/v1?limit=50",
                sim.base_url()
            ))
            .bearer_auth(&token);
        if let Some(accept) = accept {
            req = req.header("accept-encoding", accept);
        }
        async move {
            let reply = req.send().await.unwrap();
            let encoding = reply
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string());
            (encoding, reply.bytes().await.unwrap())
        }
    };

    let (encoding, plain) = page(None).await;
    assert_eq!(encoding, None);
    assert!(serde_json::from_slice::<serde_json::Value>(&plain).is_ok());

    let (encoding, gzip) = page(Some("gzip")).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(&gzip[..2], &[0x1f, 0x8b], "gzip magic");
    assert!(
        gzip.len() * 3 < plain.len(),
        "{} vs {}",
        gzip.len(),
        plain.len()
    );

    let (encoding, deflate) = page(Some("deflate")).await;
    assert_eq!(encoding.as_deref(), Some("deflate"));
    assert_eq!(deflate[0] & 0x0f, 8, "a zlib stream (deflate method)");

    // A coding it does not offer is answered uncompressed.
    let (encoding, _) = page(Some("br")).await;
    assert_eq!(encoding, None);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_tls_identity_that_cannot_work_is_refused_at_start() {
    let bad = |cert: &str, key: &str| Config {
        tls: Some(TlsIdentity {
            cert_chain_pem: cert.to_string(),
            key_pem: key.to_string(),
        }),
        ..Config::default()
    };
    for config in [bad("", ""), bad("not pem", "not pem")] {
        let err = Simulator::start(config).await.unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{err}");
    }
    let debug = format!(
        "{:?}",
        bad("CERT", "-----BEGIN PRIVATE KEY----- KEYMATERIAL")
    );
    assert!(!debug.contains("KEYMATERIAL"), "{debug}");
}
