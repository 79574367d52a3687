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
    /// `Bearer <value>` as a sensitive header, made once per token rather than per request;
    /// `None` when the token holds bytes a header cannot carry.
    header: Option<http::HeaderValue>,
    /// When to log in again: the renew window before expiry.
    renew_at: Option<Instant>,
    /// Counts logins, so a 401 only throws away the token it was sent with.
    generation: u64,
}

/// A bearer token to send, and which login produced it.
#[derive(Debug, Clone)]
pub(crate) struct Bearer {
    /// The `Authorization` header; `None` when the token cannot be sent as one.
    pub header: Option<http::HeaderValue>,
    pub generation: u64,
}

pub(crate) struct Auth {
    credentials: Option<Credentials>,
    renew_window: Duration,
    state: Mutex<State>,
    logins: std::sync::atomic::AtomicU64,
    /// Counts failed logins.
    failures: std::sync::atomic::AtomicU64,
}

#[derive(Default)]
struct State {
    token: Option<Token>,
    /// The last login that failed. Callers that waited for that login get its error instead
    /// of each trying again.
    failure: Option<Failure>,
}

/// A failed login, kept to hand its error to the callers that waited for it.
struct Failure {
    /// Its number among failed logins.
    number: u64,
    /// The error, as an `Auth` error's fields; `status: None` and `no_reply` for a token
    /// request that got no reply (a `Transport` error).
    status: Option<u16>,
    message: String,
    transient: bool,
    no_reply: bool,
}

impl Failure {
    fn of(number: u64, error: &Error) -> Option<Failure> {
        let (status, message, transient, no_reply) = match error {
            Error::Auth {
                status,
                message,
                transient,
            } => (*status, message.clone(), *transient, false),
            Error::Transport { message, .. } if !error.is_tls() => {
                (None, message.clone(), true, true)
            }
            _ => return None,
        };
        Some(Failure {
            number,
            status,
            message,
            transient,
            no_reply,
        })
    }

    fn error(&self) -> Error {
        if self.no_reply {
            return Error::Transport {
                message: self.message.clone(),
                timeout: false,
                source: None,
            };
        }
        Error::Auth {
            status: self.status,
            message: self.message.clone(),
            transient: self.transient,
        }
    }
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let token = match self.state.try_lock() {
            Ok(state) => match &state.token {
                Some(t) => format!("<redacted, login {}>", t.generation),
                None => "none".into(),
            },
            Err(_) => "<busy>".into(),
        };
        f.debug_struct("Auth")
            .field("credentials", &self.credentials)
            .field("renew_window", &self.renew_window)
            .field("token", &format_args!("{token}"))
            .field("logins", &self.logins())
            .finish()
    }
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
        let token = static_token.map(|value| Token {
            header: bearer_header(&value),
            value,
            renew_at: None,
            generation: 0,
        });
        Auth {
            credentials,
            renew_window,
            state: Mutex::new(State {
                token,
                failure: None,
            }),
            logins: std::sync::atomic::AtomicU64::new(0),
            failures: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Whether a fresh token can be fetched (there are credentials, not only a token).
    pub(crate) fn can_login(&self) -> bool {
        self.credentials.is_some()
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
        let failures_before = self.failures.load(std::sync::atomic::Ordering::SeqCst);
        let mut state = self.state.lock().await;
        if let Some(token) = state.token.as_ref() {
            let fresh = token.renew_at.is_none_or(|at| Instant::now() < at);
            if fresh {
                return Ok(Bearer {
                    header: token.header.clone(),
                    generation: token.generation,
                });
            }
        }
        if let Some(failure) = &state.failure
            && failure.number > failures_before
        {
            // The login this caller waited for failed just now; don't send another.
            return Err(failure.error());
        }
        let Some(credentials) = self.credentials.clone() else {
            return Err(Error::Auth {
                status: None,
                message: match state.token.as_ref() {
                    Some(_) => {
                        "the access token has expired and there are no credentials to renew it"
                            .into()
                    }
                    None => "no credentials: set a client id and secret, or an access token".into(),
                },
                transient: false,
            });
        };
        let generation = self
            .logins
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        let (value, expires_in) = match login(credentials).await {
            Ok(reply) => reply,
            Err(e) => {
                let failure = self
                    .failures
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                    + 1;
                if let Some(failure) = Failure::of(failure, &e) {
                    state.failure = Some(failure);
                }
                state.token = None;
                return Err(e);
            }
        };
        let value = Secret::new(value);
        let token = Token {
            header: bearer_header(&value),
            value,
            renew_at: expires_in.and_then(|s| {
                // A token that lives no longer than the renew window would be renewed before
                // every call; renew such a token halfway through its life instead.
                let lifetime = Duration::from_secs(s);
                let window = self.renew_window.min(lifetime / 2);
                // A lifetime too large for the clock (a hostile `expires_in`) never expires.
                Instant::now().checked_add(lifetime - window)
            }),
            generation,
        };
        let bearer = Bearer {
            header: token.header.clone(),
            generation,
        };
        state.token = Some(token);
        state.failure = None;
        Ok(bearer)
    }

    /// Drops the token if it is still the one from `generation` (a 401 said it is no good).
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut state = self.state.lock().await;
        if state
            .token
            .as_ref()
            .is_some_and(|t| t.generation == generation)
            && self.credentials.is_some()
        {
            state.token = None;
        }
    }

    /// Takes the current token away (for revoking it).
    pub(crate) async fn take(&self) -> Option<Secret> {
        self.state.lock().await.token.take().map(|t| t.value)
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
            transient: false,
        })?;
        Ok((reply.access_token, reply.expires_in))
    }
}

/// `Authorization: Bearer <token>`, marked sensitive (kept out of `Debug` and HTTP/2 tables).
fn bearer_header(token: &Secret) -> Option<http::HeaderValue> {
    let mut header = http::HeaderValue::try_from(format!("Bearer {}", token.expose())).ok()?;
    header.set_sensitive(true);
    Some(header)
}
