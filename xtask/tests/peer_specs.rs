//! Real-world OpenAPI 3 documents other generators are tested against (`../shared/peer-specs/`:
//! GitHub's REST API, Oxide's Nexus and Propolis, buildomat, keeper and three small feature
//! tests): `cargo xtask codegen` writes a crate for each, and `cargo check` accepts all of them,
//! every feature on, with no warnings. Reads `../shared/` at run time and skips when it is
//! absent (a fresh clone). Set `FALCON_SKIP_PEER_SPECS=1` to skip it in a quick loop.
//!
//! The crates are checked side by side in one cargo invocation (`generated_crates`); GitHub's
//! crate (767 operations) is most of the time.

#[path = "../../codegen/tests/support/mod.rs"]
mod support;

#[path = "generated_crates/mod.rs"]
mod generated_crates;

use std::time::Instant;

use generated_crates::{check_together, generate, specs_in, target};

fn every_peer_spec_generates_a_crate_that_checks_without_warnings() {
    let dir = support::shared().join("peer-specs");
    if !dir.is_dir() {
        support::skip(&format!("{} is not there", dir.display()));
        return;
    }
    let specs = specs_in(&dir);
    assert!(!specs.is_empty(), "no spec in {}", dir.display());

    let started = Instant::now();
    let generated = generate(&specs, &target().join("peer-specs/crates"), "peer");
    for g in &generated {
        assert!(
            g.success,
            "{} did not generate:\n{}\n{}",
            g.file, g.stdout, g.stderr
        );
        eprintln!("{}: {}", g.file, g.stdout.trim());
        // Warnings name what was generated with a fallback; they are shown, not failed on.
        for warning in g.stderr.lines() {
            eprintln!("  {warning}");
        }
    }
    eprintln!("{} specs generated in {:?}", specs.len(), started.elapsed());

    let started = Instant::now();
    let crates: Vec<_> = generated.iter().collect();
    check_together(
        &target().join("peer-specs/check"),
        "peer-specs-check",
        &crates,
    );
    eprintln!(
        "cargo check of {} crates in {:?}",
        specs.len(),
        started.elapsed()
    );
}

fn main() {
    support::run(&[trial!(
        every_peer_spec_generates_a_crate_that_checks_without_warnings,
        || support::needs_shared("peer-specs")
            .or_else(|| support::unless_set("FALCON_SKIP_PEER_SPECS"))
    )]);
}
