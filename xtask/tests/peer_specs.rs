//! Real-world OpenAPI 3 documents other generators are tested against (`../shared/peer-specs/`:
//! GitHub's REST API, Oxide's Nexus and Propolis, buildomat, keeper and three small feature
//! tests): `cargo xtask codegen` writes a crate for each, and `cargo check` accepts all of them,
//! every feature on, with no warnings. Reads `../shared/` at run time and skips when it is
//! absent (a fresh clone). Set `FALCON_SKIP_PEER_SPECS=1` to skip it in a quick loop.
//!
//! The crates are checked in one cargo invocation, as dependencies of a small crate this test
//! writes, so cargo checks them side by side; the runtime's dependencies come from
//! `<target>/whole-api`, shared with `whole_api.rs`. GitHub's crate (767 operations) is most of
//! the time.

#[path = "../../codegen/tests/support/mod.rs"]
mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The crate name of a spec file's stem (`api.github.com` → `peer-api-github-com`).
fn crate_name(stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("peer-{name}")
}

fn every_peer_spec_generates_a_crate_that_checks_without_warnings() {
    let dir = workspace().join("../shared/peer-specs");
    if !dir.is_dir() {
        support::skip(&format!("{} is not there", dir.display()));
        return;
    }
    if std::env::var_os("FALCON_SKIP_PEER_SPECS").is_some_and(|v| !v.is_empty()) {
        eprintln!("skipped: FALCON_SKIP_PEER_SPECS is set");
        return;
    }
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml"))
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no spec in {}", dir.display());

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    // Regenerated in place: `codegen` rewrites only what changed, so a second run checks
    // nothing again.
    let crates = target.join("peer-specs/crates");
    let check = target.join("peer-specs/check");

    // All generated at once (GitHub's takes most of it; the rest fit beside it).
    let started = Instant::now();
    let runs: Vec<(String, String, PathBuf, std::process::Child)> = specs
        .iter()
        .map(|spec| {
            let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
            let name = crate_name(&stem);
            let out = crates.join(&stem);
            let child = Command::new(env!("CARGO_BIN_EXE_xtask"))
                .args(["codegen", "--spec"])
                .arg(spec)
                .arg("--out")
                .arg(&out)
                .arg("--crate")
                .arg(&name)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            (stem, name, out, child)
        })
        .collect();
    let mut dependencies = String::new();
    for (stem, name, out, child) in runs {
        let generated = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&generated.stdout);
        let stderr = String::from_utf8_lossy(&generated.stderr);
        assert!(
            generated.status.success(),
            "{stem} did not generate:\n{stdout}\n{stderr}"
        );
        eprintln!("{stem}: {}", stdout.trim());
        // Warnings name what was generated with a fallback; they are shown, not failed on.
        for warning in stderr.lines() {
            eprintln!("  {warning}");
        }
        writeln!(
            dependencies,
            "{name} = {{ path = {:?}, features = [\"blocking\"] }}",
            out.display().to_string()
        )
        .unwrap();
    }
    eprintln!("{} specs generated in {:?}", specs.len(), started.elapsed());

    // Every tag feature is on by default; `blocking` is the one other feature.
    std::fs::create_dir_all(&check).unwrap();
    let manifest = format!(
        "[package]\nname = \"peer-specs-check\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[lib]\npath = \"lib.rs\"\n\n[dependencies]\n{dependencies}\n[workspace]\n"
    );
    write_if_changed(&check.join("Cargo.toml"), &manifest);
    write_if_changed(
        &check.join("lib.rs"),
        "//! Depends on every peer spec's crate, so one `cargo check` checks them all.\n",
    );
    if !check.join("Cargo.lock").exists() {
        std::fs::copy(workspace().join("Cargo.lock"), check.join("Cargo.lock")).unwrap();
    }

    let started = Instant::now();
    let checked = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--message-format=short"])
        .current_dir(&check)
        .env("CARGO_TARGET_DIR", target.join("whole-api"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&checked.stderr);
    eprintln!(
        "cargo check of {} crates in {:?}",
        specs.len(),
        started.elapsed()
    );
    assert!(checked.status.success(), "cargo check failed:\n{stderr}");
    assert!(!stderr.contains("warning"), "cargo check warned:\n{stderr}");
}

/// Writes `contents` unless the file already holds them (an unchanged file keeps cargo's
/// fingerprints fresh).
fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::write(path, contents).unwrap();
    }
}

fn main() {
    support::run(&[trial!(
        every_peer_spec_generates_a_crate_that_checks_without_warnings,
        || support::needs_shared("peer-specs")
            .or_else(|| support::unless_set("FALCON_SKIP_PEER_SPECS"))
    )]);
}
