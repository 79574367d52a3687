//! The rustls configuration the default client sends with: ring as the crypto provider (no C
//! toolchain, unlike reqwest 0.13's own choice, aws-lc-rs), the trusted roots `roots.rs`
//! gathers, and the lab-only verifier behind `danger_accept_invalid_certs`.
//!
//! reqwest 0.13 takes the provider from the process default unless it is handed a whole
//! config, so the runtime hands it one: nothing process-wide is installed behind a caller's back.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::error::Error;

/// The provider the runtime's TLS uses.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A client config trusting `roots`, or nothing at all with `accept_invalid_certs`; it offers
/// HTTP/2 and HTTP/1.1, as reqwest's own config does.
pub(crate) fn client_config(
    roots: RootCertStore,
    accept_invalid_certs: bool,
) -> Result<rustls::ClientConfig, Error> {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("cannot set up TLS with ring: {e}")))?;
    let mut config = if accept_invalid_certs {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(
                provider.signature_verification_algorithms,
            )))
            .with_no_client_auth()
    } else {
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Installs ring as this process's default rustls crypto provider, unless one is installed
/// already (then nothing changes).
///
/// A `reqwest::Client` you build yourself for
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) needs a default provider:
/// this crate's [`reqwest`](crate::reqwest) leaves the choice to the process, and its
/// `build()` panics when there is none. Call this first (or install another provider, or
/// enable reqwest's `rustls` feature for aws-lc-rs, which needs a C toolchain). The runtime's
/// own client does not need it.
pub fn install_ring_provider() {
    // An error only means a provider is installed already, which is what the caller wants.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Accepts any server certificate (`danger_accept_invalid_certs`), while still checking that
/// the server holds the key of the certificate it sent.
#[derive(Debug)]
struct AcceptAnyCertificate(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}
