//! Public API descriptions the generator was not written for (`../shared/real-specs/`:
//! Kubernetes, Docker, Stripe, Twilio, Box, OpenAI and the OpenAPI Initiative's examples; its
//! README says where each comes from). Reads `../shared/` at run time and skips when it is
//! absent (a fresh clone).
//!
//! Two tests:
//! - `every_real_spec_generates_or_is_refused_for_a_known_reason` (always): every spec either
//!   generates, or is listed in [`REFUSED`] and every error it reports is one of the kinds
//!   listed there for it (constructs the generator does not take yet: issue 21). An error of
//!   any other kind is a false error and fails the test; so does a listed spec that now
//!   generates (take it off the list), and a panic anywhere. Generation alone, about
//!   ten seconds in a debug build.
//! - `every_generated_crate_checks_without_warnings` (opt-in, `FALCON_REAL_SPECS_CHECK=1`):
//!   `cargo check` of every crate that generated, side by side in one invocation, with no
//!   warnings. Opt-in because of its size (see BENCHMARKS.md, "Real-world specs").

#[path = "../../codegen/tests/support/mod.rs"]
mod support;

#[path = "generated_crates/mod.rs"]
mod generated_crates;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use generated_crates::{Generation, check_together, generate, specs_in, target};

/// Specs the generator refuses today, each with the kinds of error it reports (a part of the
/// message every such error holds) and the item of issue 21 that would take it. Shrinks as the
/// generator learns; a spec that generates must come off.
const REFUSED: &[(&str, &[(&str, &str)])] = &[];

/// Every spec: the top folder's and `oai-examples/`'s.
fn specs() -> Vec<PathBuf> {
    let dir = support::shared().join("real-specs");
    let mut specs = specs_in(&dir);
    specs.extend(specs_in(&dir.join("oai-examples")));
    specs
}

/// Every spec generated into `<target>/real-specs/crates/`, after the skip is reported when
/// `../shared/real-specs` is missing. Generated once per run: both tests read it, and they run
/// side by side, so each generating on its own would write the same folders at once.
fn generated() -> Option<&'static [Generation]> {
    static GENERATED: OnceLock<Option<Vec<Generation>>> = OnceLock::new();
    GENERATED
        .get_or_init(|| {
            let dir = support::shared().join("real-specs");
            if !dir.is_dir() {
                support::skip(&format!("{} is not there", dir.display()));
                return None;
            }
            let started = Instant::now();
            let generated = generate(&specs(), &target().join("real-specs/crates"), "real");
            eprintln!(
                "{} specs generated in {:?}",
                generated.len(),
                started.elapsed()
            );
            Some(generated)
        })
        .as_deref()
}

/// The error lines of a refused generation (the first one starts with the spec's path).
fn errors(stderr: &str) -> impl Iterator<Item = &str> {
    stderr.lines().filter(|l| l.contains("error at "))
}

fn every_real_spec_generates_or_is_refused_for_a_known_reason() {
    let Some(generated) = generated() else {
        return;
    };
    let mut problems = Vec::new();
    for g in generated {
        if g.stderr.contains("panicked") {
            problems.push(format!("{}: the generator panicked:\n{}", g.file, g.stderr));
            continue;
        }
        let known = REFUSED.iter().find(|(file, _)| *file == g.file);
        match (g.success, known) {
            (true, None) => eprintln!("{}: {}", g.file, g.stdout.trim()),
            (true, Some(_)) => problems.push(format!(
                "{} generates now: take it off REFUSED in {}",
                g.file,
                file!()
            )),
            (false, None) => problems.push(format!("{} is refused:\n{}", g.file, g.stderr)),
            (false, Some((_, kinds))) => {
                let mut counts = vec![0usize; kinds.len()];
                for error in errors(&g.stderr) {
                    match kinds.iter().position(|(part, _)| error.contains(part)) {
                        Some(i) => counts[i] += 1,
                        None => problems.push(format!(
                            "{}: an error of a kind not listed in REFUSED (a false error, or a new kind to list):\n{error}",
                            g.file
                        )),
                    }
                }
                let summary: Vec<String> = kinds
                    .iter()
                    .zip(&counts)
                    .map(|((_, item), n)| format!("{n} × {item}"))
                    .collect();
                eprintln!("{}: refused (known): {}", g.file, summary.join(", "));
                if errors(&g.stderr).next().is_none() {
                    problems.push(format!(
                        "{} failed without an error line:\n{}",
                        g.file, g.stderr
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

fn every_generated_crate_checks_without_warnings() {
    let Some(generated) = generated() else {
        return;
    };
    let crates: Vec<&Generation> = generated.iter().filter(|g| g.success).collect();
    let started = Instant::now();
    check_together(
        &target().join("real-specs/check"),
        "real-specs-check",
        &crates,
    );
    eprintln!(
        "cargo check of {} crates in {:?}",
        crates.len(),
        started.elapsed()
    );
}

/// Skipped unless `FALCON_REAL_SPECS_CHECK` is set (to anything but `0`).
fn check_requested() -> Option<String> {
    support::unless_set("FALCON_REAL_SPECS_CHECK")
        .is_none()
        .then(|| {
            "FALCON_REAL_SPECS_CHECK is not set (the check takes minutes; see BENCHMARKS.md)"
                .to_string()
        })
}

fn main() {
    support::run(&[
        trial!(
            every_real_spec_generates_or_is_refused_for_a_known_reason,
            || support::needs_shared("real-specs")
        ),
        trial!(every_generated_crate_checks_without_warnings, || {
            support::needs_shared("real-specs").or_else(check_requested)
        }),
    ]);
}
