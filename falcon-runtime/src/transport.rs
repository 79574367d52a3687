//! How requests reach the service: timeouts, proxy, which certificates are trusted and whether
//! compressed replies are asked for, made into a `reqwest::Client`; or a caller's own client,
//! used as given.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, chain};
use crate::roots;
use crate::secret::redact_url;
use crate::tls;

pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Extra CA certificates to trust, as given to the builder.
#[derive(Clone)]
pub(crate) enum ExtraRoots {
    Pem(Vec<u8>),
    File(PathBuf),
}

/// The transport settings of a `ClientBuilder`. Unset ones take their defaults when the client
/// is built, so that one set next to a caller's own client is refused instead of ignored.
#[derive(Clone, Default)]
pub(crate) struct Transport {
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) proxy: Option<String>,
    pub(crate) bundled_roots: Option<bool>,
    pub(crate) system_roots: Option<bool>,
    pub(crate) extra_roots: Vec<ExtraRoots>,
    pub(crate) accept_invalid_certs: bool,
    pub(crate) compression: Option<bool>,
    pub(crate) custom: Option<reqwest::Client>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let extra: Vec<String> = self
            .extra_roots
            .iter()
            .map(|r| match r {
                ExtraRoots::Pem(_) => "<PEM>".to_string(),
                ExtraRoots::File(path) => path.display().to_string(),
            })
            .collect();
        f.debug_struct("Transport")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("proxy", &self.proxy.as_deref().map(redact_url))
            .field("bundled_roots", &self.bundled_roots)
            .field("system_roots", &self.system_roots)
            .field("extra_roots", &extra)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("compression", &self.compression)
            .field("custom_client", &self.custom.is_some())
            .finish()
    }
}

impl Transport {
    /// The HTTP client these settings describe.
    pub(crate) fn build(self) -> Result<reqwest::Client, Error> {
        if let Some(client) = self.custom.clone() {
            let ignored = self.set_methods();
            if !ignored.is_empty() {
                return Err(Error::Config(format!(
                    "`http_client` takes a reqwest client configured by you, so {} would be \
                     ignored: configure that client instead",
                    ignored.join(", ")
                )));
            }
            return Ok(client);
        }
        let bundled = self.bundled_roots.unwrap_or(true);
        let system = self.system_roots.unwrap_or(true);
        let compression = self.compression.unwrap_or(true);
        let mut trusted = rustls::RootCertStore::empty();
        if bundled {
            trusted.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        for roots in &self.extra_roots {
            let certificates = match roots {
                ExtraRoots::Pem(pem) => {
                    roots::pem_certificates(pem, "the PEM given to the builder")?
                }
                ExtraRoots::File(path) => roots::file_certificates(path)?,
            };
            // Each was checked to be usable as it was read.
            trusted.add_parsable_certificates(certificates);
        }
        if system {
            trusted.add_parsable_certificates(roots::system_store()?.iter().cloned());
        }
        if trusted.is_empty() && !self.accept_invalid_certs {
            return Err(Error::Config(
                "no certificate would be trusted: with the bundled roots off and no usable \
                 system store, add a CA with `add_root_certificate_pem` or \
                 `add_root_certificate_file`"
                    .into(),
            ));
        }
        if self.accept_invalid_certs {
            tracing::warn!(
                target: "falcon_runtime",
                "TLS certificate verification is OFF (danger_accept_invalid_certs): for a lab, never for a real tenant"
            );
        }
        let mut http = reqwest::Client::builder()
            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(tls::client_config(trusted, self.accept_invalid_certs)?)
            .gzip(compression)
            .deflate(compression);
        if let Some(proxy) = &self.proxy {
            let proxy = reqwest::Proxy::all(proxy)
                .map_err(|_| Error::Config(format!("bad proxy URL `{}`", redact_url(proxy))))?;
            http = http.proxy(proxy);
        }
        http.build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {}", chain(&e))))
    }

    /// The builder methods given a value, which a caller's own client would leave unused.
    fn set_methods(&self) -> Vec<&'static str> {
        [
            (self.timeout.is_some(), "`timeout`"),
            (self.connect_timeout.is_some(), "`connect_timeout`"),
            (self.proxy.is_some(), "`proxy`"),
            (self.bundled_roots.is_some(), "`tls_bundled_roots`"),
            (self.system_roots.is_some(), "`tls_system_roots`"),
            (!self.extra_roots.is_empty(), "`add_root_certificate_*`"),
            (self.accept_invalid_certs, "`danger_accept_invalid_certs`"),
            (self.compression.is_some(), "`compression`"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect()
    }
}
