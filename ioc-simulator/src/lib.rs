// The front page is the README; its examples are the tests a downstream crate writes, run by
// `ioc-client/tests/simulator_readme.rs` and by `cargo xtask package`'s consumer crate.
#![doc = include_str!("../README.md")]
//!
//! Request pipeline, in order: record in the journal → faults → (API operations only) bearer
//! token check (401) → rate limit (429) → validation against the operation's declared
//! parameters and body (400) → handler.
#![warn(missing_docs)]

mod auth;
mod config;
mod envelope;
mod faults;
mod fql;
mod hosts;
mod journal;
pub mod ops;
mod ratelimit;
mod reports;
mod routes;
mod search;
mod seed;
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
pub use seed::{SeedError, SeedIndicator};
pub use store::{ACTIONS, PLATFORMS, SEVERITIES, TYPES};

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
    /// The simulator's own runtime, when started by [`Simulator::start_blocking`].
    runtime: Option<tokio::runtime::Runtime>,
}

impl Simulator {
    /// Binds `127.0.0.1:config.port` (0 = a free port) and spawns the server on the current
    /// tokio runtime; HTTPS when `config.tls` is set (bad PEM is an `InvalidInput` error).
    ///
    /// In a `#[tokio::test]`, the server runs on the test's runtime, which a current-thread
    /// runtime drives only while the test awaits: call the code under test with `.await`,
    /// not a blocking client (use [`Simulator::start_blocking`] for that).
    pub async fn start(config: Config) -> std::io::Result<Simulator> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        Simulator::launch(listener, config)
    }

    /// Like [`Simulator::start`], without an async runtime: the server runs on a thread of
    /// its own, so a blocking client (a plain `#[test]`) can call it. It stops when the
    /// simulator is dropped.
    pub fn start_blocking(config: Config) -> std::io::Result<Simulator> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("ioc-simulator")
            .enable_all()
            .build()?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))?;
        listener.set_nonblocking(true)?;
        let mut sim = {
            let _inside = runtime.enter();
            Simulator::launch(tokio::net::TcpListener::from_std(listener)?, config)?
        };
        sim.runtime = Some(runtime);
        Ok(sim)
    }

    /// Serves on `listener` from the current runtime.
    fn launch(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<Simulator> {
        let tls = config.tls.as_ref().map(server::tls_acceptor).transpose()?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config));
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, shared.clone(), tls, rx));
        Ok(Simulator {
            addr,
            shared,
            shutdown: Some(tx),
            task: Some(task),
            runtime: None,
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

    /// The only client id the simulator's `POST /oauth2/token` accepts
    /// ([`DEFAULT_CLIENT_ID`] unless configured).
    pub fn client_id(&self) -> &str {
        &self.shared.config.client_id
    }

    /// The client secret that goes with [`Simulator::client_id`]
    /// ([`DEFAULT_CLIENT_SECRET`] unless configured).
    pub fn client_secret(&self) -> &str {
        &self.shared.config.client_secret
    }

    /// The requests received so far (OAuth ones included), in arrival order: the most
    /// recent 10,000, with at most 64 MiB of bodies between them.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.journal.snapshot()
    }

    /// The requests received for one operation, by its id (`indicator.create.v1`, or
    /// FalconPy's `indicator_create_v1`), in arrival order; `oauth2AccessToken` for logins.
    pub fn requests_to(&self, operation: &str) -> Vec<RecordedRequest> {
        let wanted = faults::normalize(operation);
        self.requests()
            .into_iter()
            .filter(|r| {
                r.operation_id
                    .as_deref()
                    .is_some_and(|id| faults::normalize(id) == wanted)
            })
            .collect()
    }

    /// Empties the request journal.
    pub fn clear_requests(&self) {
        self.shared.journal.clear();
    }

    /// Adds a fault; faults are checked in injection order. [`Fault::times`] limits it to
    /// the next N matching calls, and its route to one operation or to any
    /// ([`Route::Any`], `"*"`).
    pub fn inject(&self, fault: Fault) {
        self.shared.faults.inject(fault);
    }

    /// Removes all faults.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Back to a fresh simulator between tests: no indicators, no recorded requests, no
    /// faults, no report jobs. Issued tokens stay valid, so a client that logged in before
    /// goes on without logging in again; the rate limit's minute goes on too.
    pub fn reset(&self) {
        *self.shared.store() = store::Store::default();
        self.shared.journal.clear();
        self.shared.faults.clear();
        self.shared.reports.clear();
    }

    /// Stores `indicators` (no HTTP, not journaled) and returns their ids in order. Each is
    /// checked as `indicator.create.v1` checks it; the first refused one ends the seeding
    /// with its position (1-based) and the reason, the ones before it stay stored.
    pub fn seed(
        &self,
        indicators: impl IntoIterator<Item = SeedIndicator>,
    ) -> Result<Vec<String>, SeedError> {
        self.seed_rows(
            indicators
                .into_iter()
                .enumerate()
                .map(|(i, row)| (i + 1, row)),
        )
    }

    /// Stores the indicators of JSON Lines text, one object per line with the sync feed's
    /// field names (`type`, `value`, `action`, `severity`, `platforms`, `expiration`,
    /// `description`, `tags`, `host_groups`, `applied_globally`, `mobile_action`,
    /// `filename`, `source`; lists as JSON arrays), and returns their ids. Blank lines are
    /// skipped. Nothing is stored when a line is not such an object; otherwise as
    /// [`Simulator::seed`], with the line number in the error.
    pub fn seed_jsonl(&self, text: &str) -> Result<Vec<String>, SeedError> {
        self.seed_rows(seed::parse_jsonl(text)?)
    }

    fn seed_rows(
        &self,
        rows: impl IntoIterator<Item = (usize, SeedIndicator)>,
    ) -> Result<Vec<String>, SeedError> {
        let mut store = self.shared.store();
        let client = &self.shared.config.client_id;
        rows.into_iter()
            .map(|(row, indicator)| {
                let object = serde_json::to_value(&indicator).map_err(|e| SeedError {
                    row,
                    message: e.to_string(),
                })?;
                store
                    .create_one(&object, client, None, false)
                    .map(|created| created.id)
                    .map_err(|message| SeedError { row, message })
            })
            .collect()
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
        // Without waiting, so that dropping it inside an async test does not panic.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
