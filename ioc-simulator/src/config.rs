//! Simulator configuration.

use std::time::Duration;

/// Default OAuth2 client id accepted by a simulator built from [`Config::default`].
pub const DEFAULT_CLIENT_ID: &str = "sim-client-id";
/// Default OAuth2 client secret accepted by a simulator built from [`Config::default`].
pub const DEFAULT_CLIENT_SECRET: &str = "sim-client-secret";
/// Default token lifetime, the same as the real service: 1799 seconds.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(1799);

/// How a [`Simulator`](crate::Simulator) behaves.
///
/// `Config::default()` gives: client id `sim-client-id`, client secret `sim-client-secret`,
/// token lifetime 1799 s, no rate limit, an ephemeral port, no `X-Cs-Region` header and plain
/// HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The only client id `POST /oauth2/token` accepts.
    pub client_id: String,
    /// The client secret that goes with `client_id`.
    pub client_secret: String,
    /// Lifetime of issued tokens; reported as `expires_in` (whole seconds) and enforced.
    pub token_ttl: Duration,
    /// Requests per minute allowed on API operations (the OAuth endpoints are not counted).
    /// `None` means unlimited; the headers then report a nominal limit of 6000.
    pub rate_limit_per_minute: Option<u32>,
    /// Port to bind on 127.0.0.1; `0` picks a free ephemeral port.
    pub port: u16,
    /// When set, successful token responses carry an `X-Cs-Region` header with this value.
    pub region: Option<String>,
    /// When set, the simulator serves HTTPS with this certificate instead of plain HTTP.
    pub tls: Option<TlsIdentity>,
}

/// The certificate an HTTPS simulator presents, and its private key, both PEM.
///
/// For clients to accept it, the certificate must be valid for `127.0.0.1` (an IP address
/// subject alternative name) and signed by a CA the client trusts; tests make both at run time.
#[derive(Clone, PartialEq, Eq)]
pub struct TlsIdentity {
    /// The server's certificate first, then any intermediates.
    pub cert_chain_pem: String,
    /// The private key: PKCS#8, PKCS#1 or SEC1.
    pub key_pem: String,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field(
                "cert_chain_pem",
                &format!("<{} bytes>", self.cert_chain_pem.len()),
            )
            .field("key_pem", &"<redacted>")
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            client_id: DEFAULT_CLIENT_ID.to_string(),
            client_secret: DEFAULT_CLIENT_SECRET.to_string(),
            token_ttl: DEFAULT_TOKEN_TTL,
            rate_limit_per_minute: None,
            port: 0,
            region: None,
            tls: None,
        }
    }
}
