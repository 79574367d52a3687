//! Which CA certificates a client trusts beyond the bundled Mozilla roots: the operating
//! system's store (or what `SSL_CERT_FILE`/`SSL_CERT_DIR` put in its place), and PEM given to
//! the builder.

use std::ffi::OsString;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::Error;

/// The variables that redirect the OS store (`rustls-native-certs` reads them, as OpenSSL does).
type StoreKey = (Option<OsString>, Option<OsString>);

/// The OS store as last read: its usable certificates, or why `SSL_CERT_FILE` cannot be used.
type Store = Result<Arc<Vec<CertificateDer<'static>>>, String>;

/// The OS store, read once per process (for each value of the variables that redirect it):
/// reading and parsing it takes milliseconds (tens in a debug build), and a client per child
/// tenant is a common way to serve an MSSP.
static SYSTEM_STORE: Mutex<Option<(StoreKey, Store)>> = Mutex::new(None);

/// The OS store's certificates, as read by `rustls-native-certs`: the platform's store, or what
/// `SSL_CERT_FILE`/`SSL_CERT_DIR` name when set. Certificates rustls cannot use are left out,
/// as stores often hold a few ancient ones, and a store that cannot be read counts as empty;
/// but a file named by `SSL_CERT_FILE` without a usable certificate is an error rather than
/// silently trusting nothing from it.
pub(crate) fn system_store() -> Result<Arc<Vec<CertificateDer<'static>>>, Error> {
    let key = (
        std::env::var_os("SSL_CERT_FILE"),
        std::env::var_os("SSL_CERT_DIR"),
    );
    let mut cache = SYSTEM_STORE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let store = match cache.as_ref() {
        Some((cached, store)) if *cached == key => store.clone(),
        _ => {
            let store = check_ssl_cert_file()
                .map(|()| Arc::new(read_system_store()))
                .map_err(|e| match e {
                    Error::Config(message) => message,
                    other => other.to_string(),
                });
            *cache = Some((key, store.clone()));
            store
        }
    };
    store.map_err(Error::Config)
}

fn read_system_store() -> Vec<CertificateDer<'static>> {
    let loaded = rustls_native_certs::load_native_certs();
    for problem in &loaded.errors {
        tracing::debug!(target: "falcon_runtime", %problem, "reading the OS certificate store");
    }
    // `SSL_CERT_DIR` usually holds each certificate twice (by name and by hash) next to the
    // bundle `SSL_CERT_FILE` names, so the same certificate comes several times.
    let mut seen = std::collections::HashSet::new();
    let mut check = rustls::RootCertStore::empty();
    let usable: Vec<_> = loaded
        .certs
        .into_iter()
        .filter(|certificate| seen.insert(certificate.as_ref().to_vec()))
        .filter(|certificate| check.add(certificate.clone()).is_ok())
        .collect();
    tracing::debug!(target: "falcon_runtime", certificates = usable.len(), "OS certificate store read");
    usable
}

/// The file `SSL_CERT_FILE` names, when it names one, must hold a usable certificate.
fn check_ssl_cert_file() -> Result<(), Error> {
    let Some(path) = std::env::var_os("SSL_CERT_FILE").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let named = format!("`{}` (from SSL_CERT_FILE)", Path::new(&path).display());
    let certificates = parse_pem(&read(Path::new(&path), &named)?, &named)?;
    let mut check = rustls::RootCertStore::empty();
    if certificates.into_iter().all(|c| check.add(c).is_err()) {
        return Err(Error::Config(format!("no usable certificate in {named}")));
    }
    Ok(())
}

/// The certificates of a PEM file given to the builder; at least one, each usable.
pub(crate) fn file_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    let named = format!("`{}`", path.display());
    pem_certificates(&read(path, &named)?, &named)
}

/// The certificates of PEM given to the builder; at least one, each usable.
pub(crate) fn pem_certificates(
    pem: &[u8],
    what: &str,
) -> Result<Vec<CertificateDer<'static>>, Error> {
    let mut check = rustls::RootCertStore::empty();
    parse_pem(pem, what)?
        .into_iter()
        .enumerate()
        .map(|(i, certificate)| {
            check.add(certificate.clone()).map_err(|e| {
                Error::Config(format!(
                    "certificate {} in {what} cannot be used: {e}",
                    i + 1
                ))
            })?;
            Ok(certificate)
        })
        .collect()
}

fn read(path: &Path, named: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(path)
        .map_err(|e| Error::Config(format!("cannot read the CA certificates in {named}: {e}")))
}

/// The `CERTIFICATE` blocks of a PEM text; at least one.
fn parse_pem(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Config(format!("bad PEM in {what}: {e}")))?;
    if certificates.is_empty() {
        return Err(Error::Config(format!(
            "no certificate in {what}: expected PEM (`-----BEGIN CERTIFICATE-----`)"
        )));
    }
    Ok(certificates)
}
