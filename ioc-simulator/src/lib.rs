//! A faithful in-memory simulator of the CrowdStrike Falcon IOC API, served over real HTTP
//! on 127.0.0.1 (axum on tokio), for tests and the quickstart. It serves HTTPS when given a
//! certificate ([`Config::tls`]), and compresses replies (gzip, deflate) when asked to.
//!
//! It implements OAuth2 (`/oauth2/token`, `/oauth2/revoke`) and all 26 operations of
//! `spec/ioc.yaml`: indicators are kept in memory, searched with a subset of FQL, sorted and
//! paged (offset and `after` tokens) with the service's limits; a request over its batch limits
//! (2000 indicators per create or update, 500 ids per request by ids) is refused whole, and a
//! (type, value) already held is refused unless `ignore_warnings` is set; devices and processes that
//! "saw" an indicator come from a deterministic seeded data set. Every request is recorded
//! in a journal, and faults (error statuses, delays, malformed JSON, HTML pages, dropped
//! connections, 401s, 429s) can be injected per operation.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use ioc_simulator::{Config, Fault, FaultKind, Simulator};
//! let sim = Simulator::start(Config::default()).await?;
//! println!("listening on {}", sim.base_url());
//! sim.inject(Fault::times("indicator.get.v1", FaultKind::Status(503), 1));
//! // ... point a client at sim.base_url() with client id "sim-client-id" ...
//! assert!(sim.requests().is_empty());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Request pipeline, in order: record in the journal → faults → (API operations only) bearer
//! token check (401) → rate limit (429) → validation against the operation's declared
//! parameters and body (400) → handler.

mod auth;
mod config;
mod envelope;
mod faults;
mod fql;
mod hosts;
mod journal;
mod ops;
mod ratelimit;
mod reports;
mod routes;
mod search;
mod server;
mod state;
mod store;
mod util;

use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{
    Config, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TOKEN_TTL, TlsIdentity,
};
pub use faults::{Fault, FaultKind, Route};
pub use journal::RecordedRequest;

use state::Shared;

/// Operation ids of all 26 API operations the simulator serves, in spec order.
pub fn operation_ids() -> Vec<&'static str> {
    ops::OPERATIONS.iter().map(|o| o.id).collect()
}

/// A running simulator. Dropping it (or calling [`Simulator::shutdown`]) stops the server.
#[derive(Debug)]
pub struct Simulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Binds `127.0.0.1:config.port` (0 = ephemeral) and spawns the server on the current
    /// tokio runtime; HTTPS when `config.tls` is set (bad PEM is an `InvalidInput` error).
    pub async fn start(config: Config) -> std::io::Result<Simulator> {
        let tls = config.tls.as_ref().map(server::tls_acceptor).transpose()?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config));
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, shared.clone(), tls, rx));
        Ok(Simulator {
            addr,
            shared,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (`https://` when serving TLS), without a trailing slash.
    pub fn base_url(&self) -> String {
        let scheme = if self.shared.config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// The configuration the simulator runs with.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// The requests received so far (OAuth ones included), in arrival order: the most
    /// recent 10,000, with at most 64 MiB of bodies between them.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.journal.snapshot()
    }

    /// Empties the request journal.
    pub fn clear_requests(&self) {
        self.shared.journal.clear();
    }

    /// Adds a fault; faults are checked in injection order.
    pub fn inject(&self, fault: Fault) {
        self.shared.faults.inject(fault);
    }

    /// Removes all faults.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// How many `POST /oauth2/token` requests were received (faulted ones included).
    pub fn token_requests(&self) -> usize {
        self.shared.tokens.token_requests()
    }

    /// Number of indicators stored and not deleted.
    pub fn indicator_count(&self) -> usize {
        self.shared.store().len()
    }

    /// Creates `n` valid sha256 indicators directly in the store (no HTTP, not journaled) and
    /// returns their ids in creation order.
    ///
    /// Indicator `i` (0-based, counting from the current store size) has value
    /// `hex(i)`-derived 64 hex chars, action `detect`, severity cycling through
    /// informational..critical, platforms `windows`/`mac`/`linux` (linux only on odd `i`),
    /// tags `seed` and `batch-<i % 10>`, source `simulator-seed`, applied globally, and
    /// strictly increasing `created_on`.
    pub fn seed_indicators(&self, n: usize) -> Vec<String> {
        let mut store = self.shared.store();
        let base = store.len();
        let client = self.shared.config.client_id.clone();
        (base..base + n)
            .filter_map(|i| {
                let mut platforms = vec!["windows", "mac"];
                if i % 2 == 1 {
                    platforms.push("linux");
                }
                let obj = json!({
                    "type": "sha256",
                    "value": util::hex_from_seed(0x5eed ^ i as u64, 4),
                    "action": "detect",
                    "severity": store::SEVERITIES[i % store::SEVERITIES.len()],
                    "platforms": platforms,
                    "tags": ["seed", format!("batch-{}", i % 10)],
                    "source": "simulator-seed",
                    "description": format!("seeded indicator {i}"),
                    "applied_globally": true,
                });
                store
                    .create_one(&obj, &client, None, true)
                    .ok()
                    .map(|ind| ind.id)
            })
            .collect()
    }

    /// Stops accepting connections, aborts open ones and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
