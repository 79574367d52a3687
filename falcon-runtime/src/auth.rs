//! OAuth2 client credentials: one cached token, renewed before it expires, fetched by one
//! caller at a time however many calls need it.

use std::time::{Duration, Instant};

use base64::Engine;
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::error::Error;
use crate::secret::Secret;

/// Credentials for `POST /oauth2/token`.
#[derive(Debug, Clone)]
pub(crate) struct Credentials {
    pub client_id: String,
    pub client_secret: Secret,
    pub member_cid: Option<String>,
}

#[derive(Debug, Clone)]
struct Token {
    value: Secret,
    expires_at: Option<Instant>,
    /// Counts logins, so a 401 only throws away the token it was sent with.
    generation: u64,
}

/// A bearer token to send, and which login produced it.
#[derive(Debug, Clone)]
pub(crate) struct Bearer {
    pub value: Secret,
    pub generation: u64,
}

#[derive(Debug)]
pub(crate) struct Auth {
    credentials: Option<Credentials>,
    renew_window: Duration,
    state: Mutex<Option<Token>>,
    logins: std::sync::atomic::AtomicU64,
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl Auth {
    pub(crate) fn new(
        credentials: Option<Credentials>,
        static_token: Option<Secret>,
        renew_window: Duration,
    ) -> Auth {
        let state = static_token.map(|value| Token {
            value,
            expires_at: None,
            generation: 0,
        });
        Auth {
            credentials,
            renew_window,
            state: Mutex::new(state),
            logins: std::sync::atomic::AtomicU64::new(0),
        }
    }

    pub(crate) fn client_id(&self) -> Option<&str> {
        self.credentials.as_ref().map(|c| c.client_id.as_str())
    }

    /// How many token requests this client has sent.
    pub(crate) fn logins(&self) -> u64 {
        self.logins.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A token that is not about to expire, logging in first when needed. The lock is held
    /// across the login, so concurrent callers wait for one login instead of starting their own.
    pub(crate) async fn bearer<F, Fut>(&self, login: F) -> Result<Bearer, Error>
    where
        F: FnOnce(Credentials) -> Fut,
        Fut: std::future::Future<Output = Result<(String, Option<u64>), Error>>,
    {
        let mut state = self.state.lock().await;
        if let Some(token) = state.as_ref() {
            let fresh = token
                .expires_at
                .is_none_or(|at| Instant::now() + self.renew_window < at);
            if fresh {
                return Ok(Bearer {
                    value: token.value.clone(),
                    generation: token.generation,
                });
            }
        }
        let Some(credentials) = self.credentials.clone() else {
            return Err(Error::Auth {
                status: None,
                message: match state.as_ref() {
                    Some(_) => {
                        "the access token has expired and there are no credentials to renew it"
                            .into()
                    }
                    None => "no credentials: set a client id and secret, or an access token".into(),
                },
            });
        };
        let generation = self
            .logins
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        let (value, expires_in) = login(credentials).await?;
        let token = Token {
            value: Secret::new(value),
            expires_at: expires_in.map(|s| Instant::now() + Duration::from_secs(s)),
            generation,
        };
        let bearer = Bearer {
            value: token.value.clone(),
            generation,
        };
        *state = Some(token);
        Ok(bearer)
    }

    /// Drops the token if it is still the one from `generation` (a 401 said it is no good).
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut state = self.state.lock().await;
        if state.as_ref().is_some_and(|t| t.generation == generation) && self.credentials.is_some()
        {
            *state = None;
        }
    }

    /// Takes the current token away (for revoking it).
    pub(crate) async fn take(&self) -> Option<Secret> {
        self.state.lock().await.take().map(|t| t.value)
    }

    /// The form of a token request.
    pub(crate) fn token_form(credentials: &Credentials) -> Vec<(&'static str, String)> {
        let mut form = vec![
            ("client_id", credentials.client_id.clone()),
            (
                "client_secret",
                credentials.client_secret.expose().to_string(),
            ),
        ];
        if let Some(member) = &credentials.member_cid {
            form.push(("member_cid", member.clone()));
        }
        form
    }

    /// `Authorization: basic …` for revoking, as FalconPy spells it.
    pub(crate) fn basic_header(&self) -> Option<String> {
        let c = self.credentials.as_ref()?;
        let raw = format!("{}:{}", c.client_id, c.client_secret.expose());
        Some(format!(
            "basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        ))
    }

    pub(crate) fn parse_token_reply(bytes: &[u8]) -> Result<(String, Option<u64>), Error> {
        let reply: TokenReply = serde_json::from_slice(bytes).map_err(|e| Error::Auth {
            status: Some(201),
            message: format!("the token reply is not the expected JSON: {e}"),
        })?;
        Ok((reply.access_token, reply.expires_in))
    }
}

impl Secret {
    /// The value as a bearer header.
    pub(crate) fn bearer_header(&self) -> String {
        format!("Bearer {}", self.expose())
    }
}
