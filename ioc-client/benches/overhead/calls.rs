//! The calls compared: the same two requests made four ways.

use std::hint::black_box;
use std::time::Duration;

use ioc_client::{Client, reqwest};
use serde_json::{Value, json};

use crate::replies::{self, IndicatorsReply, QueryReply, SEARCH_LIMIT};

pub const SEARCH_PATH: &str = "/iocs/queries/indicators/v1";
pub const GET_PATH: &str = "/iocs/entities/indicators/v1";
const FILTER: &str = "type:'sha256'+deleted:false";
const CLIENT_ID: &str = "bench-client-id";
const CLIENT_SECRET: &str = "bench-client-secret";

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Request {
    /// `indicator.search.v1` with a filter and `limit=100`: 100 ids back.
    Search,
    /// `indicator.get.v1` with 10 ids: 10 full records back.
    Get,
}

impl Request {
    /// The name on the bench's `figure` line.
    pub fn name(self) -> &'static str {
        match self {
            Request::Search => "search",
            Request::Get => "get",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Request::Search => "indicator_search_v1 (100 ids)",
            Request::Get => "indicator_get_v1 (10 records)",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Variant {
    /// The generated builder, decoding into the generated models.
    Typed,
    /// Bare reqwest, decoding into serde-derived structs of the same fields.
    BareTyped,
    /// `client.command(id, json!(..))`, decoding into `serde_json::Value`.
    Command,
    /// Bare reqwest, decoding into `serde_json::Value`.
    BareValue,
}

pub const VARIANTS: [Variant; 4] = [
    Variant::Typed,
    Variant::BareTyped,
    Variant::Command,
    Variant::BareValue,
];

pub struct Calls {
    client: Client,
    http: reqwest::Client,
    base: String,
    token: String,
    ids: Vec<String>,
}

impl Calls {
    /// The typed client and a bare reqwest client, both logged in to the server at `base`.
    pub async fn new(base: &str) -> Result<Calls, String> {
        let client = Client::builder()
            .base_url(base)
            .client_id(CLIENT_ID)
            .client_secret(CLIENT_SECRET)
            .build()
            .map_err(|e| format!("cannot build the client: {e}"))?;
        // Bare reqwest as a user would set it up for the same service: the client's timeouts
        // (reqwest has none by default, and a timer per request is part of what a call costs)
        // and reqwest's defaults otherwise. The runtime builds reqwest with gzip and deflate, so
        // both send the same `Accept-Encoding` (checked before measuring).
        // reqwest 0.13 needs a crypto provider in the process even for plain HTTP.
        ioc_client::install_ring_provider();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build the reqwest client: {e}"))?;
        let login: Value = http
            .post(format!("{base}/oauth2/token"))
            .form(&[("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)])
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| format!("bare login: {e}"))?
            .json()
            .await
            .map_err(|e| format!("bare login reply: {e}"))?;
        let token = login["access_token"]
            .as_str()
            .ok_or("the login reply has no access_token")?
            .to_string();
        Ok(Calls {
            client,
            http,
            base: base.to_string(),
            token,
            ids: replies::get_ids(),
        })
    }

    /// One call; the decoded reply goes to `black_box`.
    pub async fn call(&self, request: Request, variant: Variant) -> Result<(), String> {
        let failed = |e: &dyn std::fmt::Display| format!("{request:?} {variant:?}: {e}");
        match (request, variant) {
            (Request::Search, Variant::Typed) => {
                let reply = self
                    .client
                    .indicator_search_v1()
                    .filter(FILTER)
                    .limit(SEARCH_LIMIT)
                    .send()
                    .await
                    .map_err(|e| failed(&e))?;
                black_box(reply);
            }
            (Request::Get, Variant::Typed) => {
                let reply = self
                    .client
                    .indicator_get_v1()
                    .ids(&self.ids)
                    .send()
                    .await
                    .map_err(|e| failed(&e))?;
                black_box(reply);
            }
            (Request::Search, Variant::Command) => {
                let args = json!({"filter": FILTER, "limit": SEARCH_LIMIT});
                let reply = self
                    .client
                    .command("indicator.search.v1", args)
                    .await
                    .map_err(|e| failed(&e))?;
                black_box(reply);
            }
            (Request::Get, Variant::Command) => {
                let reply = self
                    .client
                    .command("indicator.get.v1", json!({"ids": self.ids}))
                    .await
                    .map_err(|e| failed(&e))?;
                black_box(reply);
            }
            (Request::Search, Variant::BareTyped) => {
                let reply: QueryReply = self
                    .bare(request)
                    .await?
                    .json()
                    .await
                    .map_err(|e| failed(&e))?;
                black_box(reply);
            }
            (Request::Get, Variant::BareTyped) => {
                let reply: IndicatorsReply = self
                    .bare(request)
                    .await?
                    .json()
                    .await
                    .map_err(|e| failed(&e))?;
                black_box(reply);
            }
            (_, Variant::BareValue) => {
                let reply: Value = self
                    .bare(request)
                    .await?
                    .json()
                    .await
                    .map_err(|e| failed(&e))?;
                black_box(reply);
            }
        }
        Ok(())
    }

    /// The request sent with bare reqwest, its status checked, its body not yet read.
    async fn bare(&self, request: Request) -> Result<reqwest::Response, String> {
        let builder = match request {
            Request::Search => self
                .http
                .get(format!("{}{SEARCH_PATH}", self.base))
                .query(&[("filter", FILTER)])
                .query(&[("limit", SEARCH_LIMIT)]),
            Request::Get => {
                let ids: Vec<(&str, &str)> =
                    self.ids.iter().map(|id| ("ids", id.as_str())).collect();
                self.http
                    .get(format!("{}{GET_PATH}", self.base))
                    .query(&ids)
            }
        };
        builder
            .bearer_auth(&self.token)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| format!("{request:?} bare: {e}"))
    }
}
