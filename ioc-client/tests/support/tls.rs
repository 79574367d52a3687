//! HTTPS for tests: a private CA and a certificate for `127.0.0.1` signed by it, made at run
//! time (nothing is committed), and a simulator that serves HTTPS with that certificate.

use ioc_simulator::{Config, Simulator, TlsIdentity};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

/// A private CA and a server identity it signed.
pub struct Pki {
    /// The CA's certificate, PEM: what a client must trust.
    pub ca_pem: String,
    /// The server's certificate (valid for `127.0.0.1` and `localhost`) and key.
    pub identity: TlsIdentity,
}

/// A fresh CA, as a TLS-inspecting proxy of a company would have, and a server certificate
/// for `127.0.0.1` and `localhost`.
pub fn pki() -> Pki {
    pki_for(&["127.0.0.1", "localhost"])
}

/// A fresh CA and a server certificate for `names` (IP addresses or DNS names).
pub fn pki_for(names: &[&str]) -> Pki {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "falcon-ioc-rs test CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca, ca_key);

    let server_key = KeyPair::generate().expect("server key");
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut server = CertificateParams::new(names).expect("server params");
    server
        .distinguished_name
        .push(DnType::CommonName, "ioc-simulator");
    let server_cert = server
        .signed_by(&server_key, &issuer)
        .expect("server certificate");
    Pki {
        ca_pem: ca_cert.pem(),
        identity: TlsIdentity {
            cert_chain_pem: server_cert.pem(),
            key_pem: server_key.serialize_pem(),
        },
    }
}

/// A simulator serving HTTPS with `pki`'s server certificate.
pub async fn https_sim(pki: &Pki) -> Simulator {
    https_sim_with(pki, Config::default()).await
}

pub async fn https_sim_with(pki: &Pki, config: Config) -> Simulator {
    Simulator::start(Config {
        tls: Some(pki.identity.clone()),
        ..config
    })
    .await
    .expect("HTTPS simulator starts")
}
