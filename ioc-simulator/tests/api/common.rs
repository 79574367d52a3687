//! Shared helpers: start a simulator, get a token, send requests.

use ioc_simulator::{Config, Simulator};
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// A simulator with an HTTP client and a valid token.
pub struct H {
    pub sim: Simulator,
    pub http: reqwest::Client,
    pub token: String,
}

/// A reply: status, headers, body parsed as JSON (Null when not JSON).
pub struct R {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl R {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn resources(&self) -> &Vec<Value> {
        self.body["resources"].as_array().expect("resources array")
    }

    pub fn first_error(&self) -> &str {
        self.body["errors"][0]["message"].as_str().unwrap_or("")
    }
}

pub fn client() -> reqwest::Client {
    reqwest_builder().build().expect("client")
}

/// Builds a reqwest client. In a workspace build, reqwest also has the runtime's
/// `rustls-no-provider` feature, and then refuses to build a client until a crypto provider is
/// installed (the tests speak plain HTTP, but the check comes first): ring's, as the runtime's.
pub fn reqwest_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}

pub async fn token(http: &reqwest::Client, sim: &Simulator) -> String {
    let resp = http
        .post(format!("{}/oauth2/token", sim.base_url()))
        .form(&[
            ("client_id", sim.config().client_id.as_str()),
            ("client_secret", sim.config().client_secret.as_str()),
        ])
        .send()
        .await
        .expect("token request");
    assert_eq!(resp.status().as_u16(), 201);
    let body: Value = resp.json().await.expect("token json");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

impl H {
    pub async fn new() -> H {
        H::with(Config::default()).await
    }

    pub async fn with(config: Config) -> H {
        let sim = Simulator::start(config).await.expect("start");
        let http = client();
        let token = token(&http, &sim).await;
        H { sim, http, token }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> R {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.sim.base_url(), path))
            .bearer_auth(&self.token)
            .query(query);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("send");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.expect("body");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        R {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> R {
        self.call(Method::GET, path, query, None).await
    }

    /// Creates indicators from objects; asserts 201 and returns their ids.
    pub async fn create(&self, indicators: Vec<Value>) -> Vec<String> {
        let r = self
            .call(
                Method::POST,
                "/iocs/entities/indicators/v1",
                &[],
                Some(json!({"comment": "test", "indicators": indicators})),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        r.resources()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    }
}

/// A valid indicator object of the given type and value.
pub fn ind(kind: &str, value: &str) -> Value {
    json!({"type": kind, "value": value, "action": "detect", "severity": "high",
           "platforms": ["windows", "linux"], "applied_globally": true})
}

/// A 64-hex sha256 value derived from `n`.
pub fn sha(n: u32) -> String {
    format!("{n:064x}")
}
