//! The runtime client: the shared state (connection pool, target, token), logging in and out.
//! Building one is in `builder.rs`; sending a request in `send.rs`.

use std::fmt;
use std::sync::{Arc, RwLock};

use crate::auth::{Auth, Credentials};
use crate::body::read_capped;
use crate::builder::ClientBuilder;
use crate::cloud::{Cloud, Target};
use crate::error::Error;
use crate::response::header_str;
use crate::retry::RetryConfig;
use crate::secret::redact_url;

/// The product token every request carries in `User-Agent` and `CrowdStrike-SDK`.
pub const SDK_NAME: &str = concat!("falcon-ioc-rs/", env!("CARGO_PKG_VERSION"));

/// A client of the Falcon API. Cheap to clone; clones share connections and the token.
///
/// Its `Debug` shows where it sends and how it retries, never a secret or a token.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("target", &self.inner.target)
            .field("base_url", &redact_url(&self.base_url()))
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("proxy", &self.inner.proxy.as_deref().map(redact_url))
            .field("custom_http_client", &self.inner.custom_http)
            .field("max_reply_bytes", &self.inner.max_reply_bytes)
            .finish_non_exhaustive()
    }
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) target: Target,
    /// The URL requests go to now; region discovery may move it.
    pub(crate) base_url: RwLock<String>,
    pub(crate) auth: Auth,
    pub(crate) retry: RetryConfig,
    pub(crate) proxy: Option<String>,
    /// Whether `http` is the caller's own client (`ClientBuilder::http_client`).
    pub(crate) custom_http: bool,
    /// `falcon-ioc-rs/<version>`, plus the caller's product token.
    pub(crate) user_agent: http::HeaderValue,
    /// The cap on one reply's body, after decompression.
    pub(crate) max_reply_bytes: u64,
}

impl Inner {
    /// A request carrying the SDK's identity. The headers go on each request rather than on
    /// the HTTP client, so a caller's own client (`http_client`) sends them too.
    pub(crate) fn request(&self, method: http::Method, url: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .header(http::header::USER_AGENT, self.user_agent.clone())
            .header(SDK_HEADER, http::HeaderValue::from_static(SDK_NAME))
    }

    /// The URL of `path` at the current base URL (the base URL itself for `""`). The one
    /// reader of `base_url`: a poisoned lock still holds a whole `String`, so it is read.
    pub(crate) fn url(&self, path: &str) -> String {
        match self.base_url.read() {
            Ok(base) => format!("{}{path}", *base),
            Err(poisoned) => format!("{}{path}", *poisoned.into_inner()),
        }
    }
}

/// The header naming the SDK to the service, as FalconPy sends it.
const SDK_HEADER: http::HeaderName = http::HeaderName::from_static("crowdstrike-sdk");

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
        self.inner.url("")
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
            .request(http::Method::POST, &self.inner.url("/oauth2/revoke"))
            .header(http::header::AUTHORIZATION, basic)
            .form(&form)
            .send()
            .await
            .map_err(Error::transport)?;
        let status = reply.status().as_u16();
        if status == 200 {
            return Ok(());
        }
        let body = match read_capped(reply, self.inner.max_reply_bytes, "POST /oauth2/revoke").await
        {
            Ok(body) => body,
            Err(e @ Error::ReplyTooLarge { .. }) => return Err(e),
            Err(_) => Default::default(),
        };
        Err(Error::Auth {
            status: Some(status),
            message: format!(
                "revoking the token failed: {}",
                first_error_message(&body).unwrap_or_else(|| "no reason given".into())
            ),
            transient: status == 429 || status >= 500,
        })
    }

    /// Logs in: `POST /oauth2/token`; only 201 counts. Follows `X-Cs-Region` when the client
    /// targets a cloud rather than a URL of the caller's.
    pub(crate) async fn request_token(
        &self,
        credentials: Credentials,
    ) -> Result<(String, Option<u64>), Error> {
        let url = self.inner.url("/oauth2/token");
        tracing::debug!(target: "falcon_runtime", url = %redact_url(&url), "requesting a token");
        let reply = self
            .inner
            .request(http::Method::POST, &url)
            .form(&Auth::token_form(&credentials))
            .send()
            .await
            .map_err(|e| match Error::transport(e) {
                // No reply (refused, dropped, timed out, untrusted certificate): a transport
                // error, as for any call, not a verdict on the credentials. It says it was the
                // login, and is retried unless it is a TLS failure, which would not clear up.
                Error::Transport {
                    message,
                    timeout,
                    source,
                } => Error::Transport {
                    message: format!(
                        "logging in got no reply (POST /oauth2/token): {message}; check that \
                         the service is up and the base URL is right"
                    ),
                    timeout,
                    source,
                },
                other => other,
            })?;
        let status = reply.status().as_u16();
        let region = header_str(reply.headers(), "x-cs-region").map(str::to_string);
        let body = read_capped(reply, self.inner.max_reply_bytes, "POST /oauth2/token")
            .await
            .map_err(|e| match e {
                too_large @ Error::ReplyTooLarge { .. } => too_large,
                other => Error::Auth {
                    status: Some(status),
                    message: format!("reading the token reply failed: {other}"),
                    transient: true,
                },
            })?;
        tracing::debug!(target: "falcon_runtime", status, region = region.as_deref(), "token reply");
        if status != 201 {
            let reason = first_error_message(&body)
                .unwrap_or_else(|| "the token request was refused".into());
            let transient = status == 429 || status >= 500;
            // The service's reason names what it refused; ours says what to do about it.
            let advice = if transient {
                "the service is busy or failing: try again later"
            } else {
                "check the client ID and secret (FALCON_CLIENT_ID and FALCON_CLIENT_SECRET for \
                 `from_env` and the CLI), the member CID if one is set, and that the API client \
                 belongs to this cloud"
            };
            return Err(Error::Auth {
                status: Some(status),
                message: format!("{reason}; {advice}"),
                transient,
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
}

pub(crate) fn first_error_message(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.get("errors")?
        .get(0)?
        .get("message")?
        .as_str()
        .map(str::to_string)
}
