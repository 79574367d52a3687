//! The CPU each variant spent, round by round, and the figures made of it.

use std::collections::HashMap;
use std::time::Duration;

use crate::calls::{Request, Variant};

/// Consecutive groups the rounds are split into to show how steady a ratio is.
pub const GROUPS: usize = 5;

#[derive(Default)]
pub struct Tally {
    /// Per request and variant: the CPU of each round's batch (every batch has the same calls).
    rounds: HashMap<(Request, Variant), Vec<Duration>>,
    calls: HashMap<Request, usize>,
}

/// A ratio of two variants over the whole run, and its lowest and highest over groups of
/// consecutive rounds.
pub struct Ratio {
    pub whole: f64,
    pub min: f64,
    pub max: f64,
}

impl Tally {
    pub fn add(&mut self, request: Request, variant: Variant, calls: usize, cpu: Duration) {
        self.rounds.entry((request, variant)).or_default().push(cpu);
        self.calls.insert(request, calls);
    }

    /// Mean CPU per call in µs over the whole run.
    pub fn per_call(&self, request: Request, variant: Variant) -> f64 {
        let rounds = self.of(request, variant);
        let calls = rounds.len() * self.calls.get(&request).copied().unwrap_or(0);
        total(rounds) * 1e6 / calls.max(1) as f64
    }

    /// CPU of `a` over CPU of `b` for the same calls: both ran in every round, side by side,
    /// so drift of a shared machine falls on both.
    pub fn ratio(&self, request: Request, a: Variant, b: Variant) -> Ratio {
        let (a, b) = (self.of(request, a), self.of(request, b));
        let size = a.len().div_ceil(GROUPS).max(1);
        let groups: Vec<f64> = a
            .chunks(size)
            .zip(b.chunks(size))
            .map(|(x, y)| total(x) / total(y))
            .collect();
        Ratio {
            whole: total(a) / total(b),
            min: groups.iter().copied().fold(f64::INFINITY, f64::min),
            max: groups.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }

    fn of(&self, request: Request, variant: Variant) -> &[Duration] {
        self.rounds
            .get(&(request, variant))
            .map_or(&[], Vec::as_slice)
    }
}

fn total(rounds: &[Duration]) -> f64 {
    rounds.iter().map(Duration::as_secs_f64).sum()
}
