//! Everything a running simulator shares between connections.

use std::sync::{Mutex, MutexGuard};

use crate::auth::TokenStore;
use crate::config::Config;
use crate::faults::FaultTable;
use crate::journal::Journal;
use crate::ratelimit::RateLimiter;
use crate::reports::Reports;
use crate::store::Store;

/// Shared simulator state (behind an `Arc`).
#[derive(Debug)]
pub struct Shared {
    /// The configuration it was started with.
    pub config: Config,
    /// Every request received.
    pub journal: Journal,
    /// Active faults.
    pub faults: FaultTable,
    /// Issued OAuth2 tokens.
    pub tokens: TokenStore,
    /// Per-minute request counter.
    pub rate: RateLimiter,
    /// Report jobs.
    pub reports: Reports,
    store: Mutex<Store>,
}

impl Shared {
    /// Fresh state for `config`.
    pub fn new(config: Config) -> Shared {
        Shared {
            rate: RateLimiter::new(config.rate_limit_per_minute),
            config,
            journal: Journal::default(),
            faults: FaultTable::default(),
            tokens: TokenStore::default(),
            reports: Reports::default(),
            store: Mutex::new(Store::default()),
        }
    }

    /// Locks the indicator store.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().expect("store lock")
    }
}
