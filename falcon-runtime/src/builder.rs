//! `ClientBuilder`: configuration in, a ready client (or a generated client wrapping one) out.

use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::auth::{Auth, Credentials};
use crate::body::DEFAULT_MAX_REPLY_BYTES;
use crate::client::{Client, Inner, SDK_NAME};
use crate::cloud::{Cloud, Target};
use crate::error::Error;
use crate::retry::RetryConfig;
use crate::secret::Secret;
use crate::transport::{ExtraRoots, Transport};

/// Configures a [`Client`] and builds it, or any type made from one (a generated client).
///
/// Its `Debug` redacts the secret, the token and a proxy's password.
#[must_use = "call `.build()` to get a client"]
pub struct ClientBuilder<C = Client> {
    target: Target,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    member_cid: Option<String>,
    access_token: Option<Secret>,
    user_agent_suffix: Option<String>,
    renew_window: Duration,
    retry: RetryConfig,
    transport: Transport,
    max_reply_bytes: u64,
    start_url: Option<String>,
    _client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("target", &self.target)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("member_cid", &self.member_cid)
            .field("access_token", &self.access_token)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("renew_window", &self.renew_window)
            .field("retry", &self.retry)
            .field("transport", &self.transport)
            .field("max_reply_bytes", &self.max_reply_bytes)
            .finish_non_exhaustive()
    }
}

impl<C: From<Client>> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder with nothing set: the US-1 cloud unless told otherwise, default retries and
    /// timeouts; [`ClientBuilder::build`] needs the client id and secret.
    pub fn new() -> Self {
        ClientBuilder {
            target: Target::Cloud(Cloud::Us1),
            client_id: None,
            client_secret: None,
            member_cid: None,
            access_token: None,
            user_agent_suffix: None,
            renew_window: Duration::from_secs(120),
            retry: RetryConfig::default(),
            transport: Transport::default(),
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
            start_url: None,
            _client: PhantomData,
        }
    }

    /// Where requests go: a URL (used as given, never rewritten), or a cloud name (`us-2`).
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.target = Target::parse(url.as_ref());
        self.start_url = None;
        self
    }

    /// A Falcon cloud; `Cloud::Auto` follows the region the token reply names.
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.target = Target::Cloud(cloud);
        self.start_url = None;
        self
    }

    /// A cloud target whose first requests go to `url` instead of the cloud's own URL; region
    /// discovery still moves it. For tests and private endpoints that front a cloud.
    #[doc(hidden)]
    pub fn cloud_via(mut self, cloud: Cloud, url: impl Into<String>) -> Self {
        self.target = Target::Cloud(cloud);
        let url = url.into();
        self.start_url = Some(url.strip_suffix('/').unwrap_or(&url).to_string());
        self
    }

    /// The API client id (the OAuth2 client of the Falcon console).
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// The API client secret; it is kept as a [`Secret`](crate::Secret), never printed.
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(Secret::new(secret));
        self
    }

    /// A child tenant (MSSP) to act in.
    pub fn member_cid(mut self, cid: impl Into<String>) -> Self {
        self.member_cid = Some(cid.into());
        self
    }

    /// A ready access token, used until the service refuses it; it cannot be renewed.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(Secret::new(token));
        self
    }

    /// A product token of the caller's own, appended to `User-Agent` (`my-tool/1.2`).
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(product.into());
        self
    }

    /// The most one request may take, start to end (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.transport.timeout = Some(timeout);
        self
    }

    /// The most connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.transport.connect_timeout = Some(timeout);
        self
    }

    /// How long before expiry a token is renewed (default 120 s). A token that lives less than
    /// twice the window is renewed halfway through its life.
    pub fn renew_window(mut self, window: Duration) -> Self {
        self.renew_window = window;
        self
    }

    /// How failed attempts are retried (see [`RetryConfig`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// An HTTP(S) proxy for every request (`http://user:pass@host:port`). Without one, the
    /// `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` environment variables apply.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.transport.proxy = Some(url.into());
        self
    }

    /// Whether to trust the Mozilla root certificates compiled into the client (default on).
    pub fn tls_bundled_roots(mut self, on: bool) -> Self {
        self.transport.bundled_roots = Some(on);
        self
    }

    /// Whether to trust the operating system's certificate store (default on), where a
    /// company's own CA is usually installed. When `SSL_CERT_FILE` or `SSL_CERT_DIR` is set,
    /// those stand in for the OS store, as in OpenSSL; the file `SSL_CERT_FILE` names must then
    /// hold a usable PEM certificate, or `build()` fails saying so. The store is read once per
    /// process.
    pub fn tls_system_roots(mut self, on: bool) -> Self {
        self.transport.system_roots = Some(on);
        self
    }

    /// Also trusts the CA certificates in `pem` (one or more `-----BEGIN CERTIFICATE-----`
    /// blocks): the CA of a TLS-inspecting proxy, say. Checked by `build()`.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.transport.extra_roots.push(ExtraRoots::Pem(pem.into()));
        self
    }

    /// Also trusts the CA certificates in the PEM file at `path` (FalconPy users may know it as
    /// a CA bundle). Read by `build()`, which fails naming the file if it cannot be used.
    pub fn add_root_certificate_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.transport
            .extra_roots
            .push(ExtraRoots::File(path.into()));
        self
    }

    /// **For a lab only**: accepts any certificate for any host, expired and self-signed ones
    /// included, so anyone on the path can read and change the traffic, credentials included.
    /// `build()` logs a warning. To reach a tenant through a TLS-inspecting proxy, trust the
    /// proxy's CA instead (`add_root_certificate_pem`).
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.transport.accept_invalid_certs = accept;
        self
    }

    /// Whether to ask for compressed replies (`Accept-Encoding: gzip, deflate`) and decode them
    /// (default on). The reply size cap counts the decoded size.
    pub fn compression(mut self, on: bool) -> Self {
        self.transport.compression = Some(on);
        self
    }

    /// The most bytes one reply's body may have, counted after decompression (default 64 MiB,
    /// [`DEFAULT_MAX_REPLY_BYTES`](crate::DEFAULT_MAX_REPLY_BYTES)). A larger reply ends in
    /// [`Error::ReplyTooLarge`] as soon as the cap is passed; nothing of it is returned.
    pub fn max_reply_bytes(mut self, bytes: u64) -> Self {
        self.max_reply_bytes = bytes;
        self
    }

    /// Sends through a `reqwest::Client` configured by you, for what the builder does not
    /// cover (client certificates, a DNS resolver, TLS versions...). Its timeouts, proxy, TLS
    /// trust, compression and redirect policy are used as they are, so setting any of those on
    /// this builder as well is refused by `build()`. The runtime still sets `User-Agent`,
    /// `CrowdStrike-SDK` and `Authorization`, retries and applies the reply size cap. Build it
    /// with this crate's [`reqwest`](crate::reqwest), and keep redirects off
    /// (`redirect(reqwest::redirect::Policy::none())`) to match the default client.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.transport.custom = Some(client);
        self
    }

    /// The client, or an [`Error`] saying which setting is missing or wrong. Nothing is sent
    /// yet: the first call logs in.
    pub fn build(self) -> Result<C, Error> {
        let credentials = match (self.client_id, self.client_secret) {
            (Some(client_id), Some(client_secret)) => Some(Credentials {
                client_id,
                client_secret,
                member_cid: self.member_cid,
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(Error::Config(
                    "a client id was given without a client secret".into(),
                ));
            }
            (None, Some(_)) => {
                return Err(Error::Config(
                    "a client secret was given without a client id".into(),
                ));
            }
        };
        if credentials.is_none() && self.access_token.is_none() {
            return Err(Error::Config(
                "no credentials: give a client id and secret, or an access token".into(),
            ));
        }
        let user_agent = match &self.user_agent_suffix {
            Some(product) => format!("{SDK_NAME} {product}"),
            None => SDK_NAME.to_string(),
        };
        let user_agent = http::HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::Config(format!(
                "the user agent `{user_agent}` is not a valid header value"
            ))
        })?;
        let proxy = self.transport.proxy.clone();
        let custom_http = self.transport.custom.is_some();
        let http = self.transport.build()?;
        let base_url = self.start_url.unwrap_or_else(|| self.target.base_url());
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                http,
                target: self.target,
                base_url: RwLock::new(base_url),
                auth: Auth::new(credentials, self.access_token, self.renew_window),
                retry: self.retry,
                proxy,
                custom_http,
                user_agent,
                max_reply_bytes: self.max_reply_bytes,
            }),
        }))
    }
}
