//! `ClientBuilder`: configuration in, a ready client (or a generated client wrapping one) out.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use http::HeaderMap;

use crate::auth::{Auth, Credentials};
use crate::client::{Client, Inner, SDK_NAME};
use crate::cloud::{Cloud, Target};
use crate::error::Error;
use crate::retry::RetryConfig;
use crate::secret::{Secret, redact_url};

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
    timeout: Duration,
    connect_timeout: Duration,
    renew_window: Duration,
    retry: RetryConfig,
    proxy: Option<String>,
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
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("renew_window", &self.renew_window)
            .field("retry", &self.retry)
            .field("proxy", &self.proxy.as_deref().map(redact_url))
            .finish_non_exhaustive()
    }
}

impl<C: From<Client>> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    pub fn new() -> Self {
        ClientBuilder {
            target: Target::Cloud(Cloud::Us1),
            client_id: None,
            client_secret: None,
            member_cid: None,
            access_token: None,
            user_agent_suffix: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            renew_window: Duration::from_secs(120),
            retry: RetryConfig::default(),
            proxy: None,
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

    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

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
        self.timeout = timeout;
        self
    }

    /// The most connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long before expiry a token is renewed (default 120 s). A token that lives less than
    /// twice the window is renewed halfway through its life.
    pub fn renew_window(mut self, window: Duration) -> Self {
        self.renew_window = window;
        self
    }

    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// An HTTP(S) proxy for every request (`http://user:pass@host:port`). Without one, the
    /// `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` environment variables apply.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

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
        let mut headers = HeaderMap::new();
        headers.insert("crowdstrike-sdk", http::HeaderValue::from_static(SDK_NAME));
        let mut http = reqwest::Client::builder()
            .user_agent(user_agent)
            .default_headers(headers)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(proxy) = &self.proxy {
            let proxy = reqwest::Proxy::all(proxy)
                .map_err(|_| Error::Config(format!("bad proxy URL `{}`", redact_url(proxy))))?;
            http = http.proxy(proxy);
        }
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let base_url = self.start_url.unwrap_or_else(|| self.target.base_url());
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                http,
                target: self.target,
                base_url: RwLock::new(base_url),
                auth: Auth::new(credentials, self.access_token, self.renew_window),
                retry: self.retry,
                proxy: self.proxy,
            }),
        }))
    }
}
