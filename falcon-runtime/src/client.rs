//! The runtime client: configuration, the HTTP connection pool, auth, and sending one request
//! with retries.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::HeaderMap;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::auth::{Auth, Credentials};
use crate::cloud::{Cloud, Target};
use crate::error::{ApiError, ApiErrorEntry, Error};
use crate::request::{Encoded, Request};
use crate::response::{ApiResponse, RateLimit, header_str};
use crate::retry::RetryConfig;
use crate::secret::Secret;

/// The product token every request carries in `User-Agent` and `CrowdStrike-SDK`.
pub const SDK_NAME: &str = concat!("falcon-ioc-rs/", env!("CARGO_PKG_VERSION"));

/// A client of the Falcon API. Cheap to clone; clones share connections and the token.
///
/// Its `Debug` shows where it sends and how it retries, never a secret or a token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("target", &self.inner.target)
            .field("base_url", &self.base_url())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("proxy", &self.inner.proxy.as_deref().map(redact_url))
            .finish_non_exhaustive()
    }
}

struct Inner {
    http: reqwest::Client,
    target: Target,
    /// The URL requests go to now; region discovery may move it.
    base_url: RwLock<String>,
    auth: Auth,
    retry: RetryConfig,
    proxy: Option<String>,
}

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

/// A URL with any `user:password@` replaced, for `Debug` and logs.
fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("<redacted>");
            let _ = u.set_password(None);
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "<unparsable URL>".into(),
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

/// A reply as received, before decoding.
#[derive(Debug)]
pub(crate) struct RawReply {
    label: String,
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }

    /// A client from `FALCON_CLIENT_ID`, `FALCON_CLIENT_SECRET`, optional `FALCON_MEMBER_CID`,
    /// and optional `FALCON_CLOUD` (a cloud name or a URL; default `auto`).
    pub fn from_env() -> Result<Client, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let id = var("FALCON_CLIENT_ID")
            .ok_or_else(|| Error::Config("FALCON_CLIENT_ID is not set".into()))?;
        let secret = var("FALCON_CLIENT_SECRET")
            .ok_or_else(|| Error::Config("FALCON_CLIENT_SECRET is not set".into()))?;
        let mut builder = Client::builder()
            .client_id(id)
            .client_secret(secret)
            .cloud(Cloud::Auto);
        if let Some(cloud) = var("FALCON_CLOUD") {
            builder = builder.base_url(cloud);
        }
        if let Some(member) = var("FALCON_MEMBER_CID") {
            builder = builder.member_cid(member);
        }
        builder.build()
    }

    /// The URL requests go to now.
    pub fn base_url(&self) -> String {
        self.inner
            .base_url
            .read()
            .map(|u| u.clone())
            .unwrap_or_default()
    }

    /// How many token requests this client has sent.
    pub fn login_count(&self) -> u64 {
        self.inner.auth.logins()
    }

    /// Makes sure a usable token is at hand, logging in when there is none or it is about to
    /// expire. Calls do this themselves; use it to check credentials early.
    pub async fn login(&self) -> Result<(), Error> {
        self.inner
            .auth
            .bearer(|c| self.request_token(c))
            .await
            .map(drop)
    }

    /// Revokes the current token (`POST /oauth2/revoke`) and forgets it; the next call logs in
    /// again. Without a token this does nothing.
    pub async fn logout(&self) -> Result<(), Error> {
        let Some(token) = self.inner.auth.take().await else {
            return Ok(());
        };
        let Some(basic) = self.inner.auth.basic_header() else {
            return Ok(());
        };
        let mut form = vec![("token", token.expose().to_string())];
        if let Some(id) = self.inner.auth.client_id() {
            form.push(("client_id", id.to_string()));
        }
        let reply = self
            .inner
            .http
            .post(format!("{}/oauth2/revoke", self.base_url()))
            .header(http::header::AUTHORIZATION, basic)
            .form(&form)
            .send()
            .await
            .map_err(Error::transport)?;
        let status = reply.status().as_u16();
        if status == 200 {
            return Ok(());
        }
        let body = reply.bytes().await.unwrap_or_default();
        Err(Error::Auth {
            status: Some(status),
            message: format!(
                "revoking the token failed: {}",
                first_error_message(&body).unwrap_or_else(|| "no reason given".into())
            ),
        })
    }

    /// Logs in: `POST /oauth2/token`; only 201 counts. Follows `X-Cs-Region` when the client
    /// targets a cloud rather than a URL of the caller's.
    async fn request_token(
        &self,
        credentials: Credentials,
    ) -> Result<(String, Option<u64>), Error> {
        let url = format!("{}/oauth2/token", self.base_url());
        tracing::debug!(target: "falcon_runtime", url = %url, "requesting a token");
        let reply = self
            .inner
            .http
            .post(url)
            .form(&Auth::token_form(&credentials))
            .send()
            .await
            .map_err(|e| Error::Auth {
                status: None,
                message: format!("the token request failed: {}", Error::transport(e)),
            })?;
        let status = reply.status().as_u16();
        let region = header_str(reply.headers(), "x-cs-region").map(str::to_string);
        let body = reply.bytes().await.map_err(|e| Error::Auth {
            status: Some(status),
            message: format!("reading the token reply failed: {}", Error::transport(e)),
        })?;
        tracing::debug!(target: "falcon_runtime", status, region = region.as_deref(), "token reply");
        if status != 201 {
            return Err(Error::Auth {
                status: Some(status),
                message: first_error_message(&body)
                    .unwrap_or_else(|| "the token request was refused".into()),
            });
        }
        if let Some(region) = region
            && self.inner.target.follows_region()
            && let Ok(cloud) = region.parse::<Cloud>()
            && let Ok(mut url) = self.inner.base_url.write()
        {
            *url = cloud.base_url().to_string();
            tracing::debug!(target: "falcon_runtime", base_url = %*url, "following the token's region");
        }
        Auth::parse_token_reply(&body)
    }

    /// Sends a request: logs in when needed, re-logs in once on a 401, retries as configured.
    /// One `falcon.call` span covers the call, with operation id, method, path, attempts,
    /// final status and latency.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawReply, Error> {
        let encoded = request.encode();
        let span = tracing::info_span!(
            target: "falcon_runtime",
            "falcon.call",
            operation = %request.label,
            method = request.method.as_str(),
            path = %encoded.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .execute_attempts(&request, &encoded, &span)
            .instrument(span.clone())
            .await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(reply) => {
                span.record("status", reply.status);
            }
            Err(Error::Api(e)) => {
                span.record("status", e.status);
            }
            Err(_) => {}
        }
        result
    }

    async fn execute_attempts(
        &self,
        request: &Request,
        encoded: &Encoded,
        span: &tracing::Span,
    ) -> Result<RawReply, Error> {
        let retry = &self.inner.retry;
        let mut waited = Duration::ZERO;
        let mut attempt: u32 = 0;
        let mut relogged = false;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let bearer = self.inner.auth.bearer(|c| self.request_token(c)).await?;
            let sent = Instant::now();
            let outcome = self.send_once(request, encoded, &bearer.value).await;
            let latency_ms = sent.elapsed().as_millis() as u64;
            // What to do with this attempt: hand back a result, or wait and go again.
            let (result, wait) = match outcome {
                Err(e) => {
                    tracing::debug!(target: "falcon_runtime", attempt, latency_ms, error = %e, "transport failure");
                    // A request that never reached the server is safe to send again.
                    let safe = request.method.is_idempotent() || e.is_connect();
                    (Err(e), safe.then(|| retry.backoff(attempt)))
                }
                Ok(reply) => {
                    tracing::debug!(target: "falcon_runtime", attempt, latency_ms, status = reply.status, "reply");
                    if reply.status == 401 && !relogged && self.inner.auth.can_login() {
                        relogged = true;
                        tracing::debug!(target: "falcon_runtime", "401: logging in again once");
                        self.inner.auth.invalidate(bearer.generation).await;
                        attempt -= 1;
                        continue;
                    }
                    let wait = if reply.status == 429 {
                        Some(retry.rate_limit_wait(&reply.headers, attempt))
                    } else if reply.status >= 500 && request.method.is_idempotent() {
                        Some(retry.backoff(attempt))
                    } else {
                        None
                    };
                    (Ok(reply), wait)
                }
            };
            match wait {
                Some(wait)
                    if attempt <= retry.max_retries && waited + wait <= retry.max_total_wait =>
                {
                    tracing::debug!(target: "falcon_runtime", attempt, wait_ms = wait.as_millis() as u64, "retrying");
                    waited += wait;
                    tokio::time::sleep(wait).await;
                }
                Some(_) if retry.max_retries > 0 => {
                    tracing::debug!(target: "falcon_runtime", attempt, "giving up: retry budget spent");
                    return result;
                }
                _ => return result,
            }
        }
    }

    /// One attempt: the request on the wire and its whole reply read.
    async fn send_once(
        &self,
        request: &Request,
        encoded: &Encoded,
        token: &Secret,
    ) -> Result<RawReply, Error> {
        let url = format!("{}{}", self.base_url(), encoded.path);
        let mut builder = self
            .inner
            .http
            .request(request.method.to_http(), &url)
            .header(http::header::AUTHORIZATION, token.bearer_header());
        if !encoded.query.is_empty() {
            builder = builder.query(&encoded.query);
        }
        for (name, value) in &encoded.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.json(body);
        } else if !encoded.form.is_empty() {
            builder = builder.form(&encoded.form);
        }
        let reply = builder.send().await.map_err(Error::transport)?;
        let status = reply.status().as_u16();
        let headers = reply.headers().clone();
        let body = reply.bytes().await.map_err(Error::transport)?;
        Ok(RawReply {
            label: request.label.clone(),
            status,
            headers,
            body,
        })
    }
}

impl RawReply {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn body(&self) -> &[u8] {
        &self.body
    }

    /// A 2xx reply decoded into `T`; anything else an [`Error::Api`].
    pub(crate) fn decode<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        if !(200..300).contains(&self.status) {
            return Err(self.into_api_error());
        }
        let text: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        let body = serde_json::from_slice(text)
            .or_else(|first| {
                if text == b"null" {
                    serde_json::from_slice(b"{}")
                } else {
                    Err(first)
                }
            })
            .map_err(|e| Error::Decode {
                status: self.status,
                message: e.to_string(),
                snippet: snippet(&self.body),
            })?;
        Ok(ApiResponse {
            status: self.status,
            headers: self.headers,
            body,
        })
    }

    fn into_api_error(self) -> Error {
        let json: Option<serde_json::Value> = serde_json::from_slice(&self.body).ok();
        let errors = json
            .as_ref()
            .and_then(|v| v.get("errors"))
            .and_then(|e| serde_json::from_value::<Vec<ApiErrorEntry>>(e.clone()).ok())
            .unwrap_or_default();
        let raw_body = match &json {
            Some(_) => None,
            None => {
                Some(String::from_utf8_lossy(&self.body[..self.body.len().min(4096)]).into_owned())
            }
        };
        Error::Api(Box::new(ApiError {
            status: self.status,
            operation: self.label,
            errors,
            trace_id: header_str(&self.headers, "x-cs-traceid").map(str::to_string),
            rate_limit: RateLimit::from_headers(&self.headers),
            body: json,
            raw_body,
        }))
    }
}

fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned()
}

fn first_error_message(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.get("errors")?
        .get(0)?
        .get("message")?
        .as_str()
        .map(str::to_string)
}
