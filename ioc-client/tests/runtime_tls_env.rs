//! `SSL_CERT_FILE`, the variable the ecosystem reads a CA bundle from. Alone in its own test
//! binary because it sets a process-wide variable.

mod support;

use ioc_client::{Client, ErrorKind};
use support::tls::{https_sim, pki};

#[tokio::test]
async fn ssl_cert_file_adds_its_cas_to_the_system_roots() {
    let pki = pki();
    let sim = https_sim(&pki).await;
    let path =
        std::env::temp_dir().join(format!("falcon-ssl-cert-file-{}.pem", std::process::id()));
    std::fs::write(&path, &pki.ca_pem).unwrap();
    let set = |v: &std::path::Path| unsafe { std::env::set_var("SSL_CERT_FILE", v) };

    // With system roots on (the default), the file's CA is trusted.
    set(&path);
    let client: Client = support::builder(&sim).build().unwrap();
    client
        .ioc_type_query_v1()
        .send()
        .await
        .expect("trusted through SSL_CERT_FILE");

    // With system roots off, the variable is not read: only roots named on the builder count.
    let client: Client = support::builder(&sim)
        .tls_system_roots(false)
        .build()
        .unwrap();
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert!(err.is_tls(), "{err:?}");

    // A variable naming a file that cannot be used is reported, not silently ignored.
    set(std::path::Path::new("/nonexistent/bundle.pem"));
    let err = support::builder::<Client>(&sim).build().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let text = err.to_string();
    assert!(
        text.contains("SSL_CERT_FILE") && text.contains("/nonexistent/bundle.pem"),
        "{text}"
    );
    std::fs::write(&path, "no certificates here\n").unwrap();
    set(&path);
    let err = support::builder::<Client>(&sim).build().unwrap_err();
    assert!(err.to_string().contains("no certificate in"), "{err}");

    unsafe { std::env::remove_var("SSL_CERT_FILE") };
    let _ = std::fs::remove_file(&path);
}
