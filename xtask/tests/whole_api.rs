//! The whole Falcon API: `cargo xtask codegen` on the upstream Swagger 2.0 file writes a crate
//! that `cargo check` accepts with no warnings. Reads `../shared/` at run time and skips when it
//! is absent (a fresh clone). Set `FALCON_SKIP_WHOLE_API=1` to skip it in a quick loop.
//!
//! The check builds the runtime's dependencies once into `<target>/whole-api` (about two
//! minutes cold on two cores; the generated crate alone takes about fifteen seconds).

#[path = "../../codegen/tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn whole_falcon_api_generates_a_crate_that_checks_without_warnings() {
    let Some(spec) = support::existing_spec("crimson-falcon_2023-06-14_swagger-patched.json")
    else {
        return;
    };
    if std::env::var_os("FALCON_SKIP_WHOLE_API").is_some_and(|v| !v.is_empty()) {
        eprintln!("skipped: FALCON_SKIP_WHOLE_API is set");
        return;
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    let out = target.join("whole-api-crate");
    let _ = std::fs::remove_dir_all(&out);

    let started = Instant::now();
    let generated = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(&out)
        .arg("--crate")
        .arg("falcon-api")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&generated.stdout);
    let stderr = String::from_utf8_lossy(&generated.stderr);
    assert!(generated.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("538 operations"), "{stdout}");
    eprintln!("generated in {:?}: {stdout}", started.elapsed());
    assert!(out.join("Cargo.toml").is_file() && out.join("src/lib.rs").is_file());

    // Every feature (the blocking client and every tag), then only the IOC tags: the tag gates
    // must leave a crate that compiles on its own.
    for features in [
        &["--all-features"][..],
        &["--no-default-features", "--features", "ioc,iocs"],
    ] {
        let started = Instant::now();
        let check = Command::new(env!("CARGO"))
            .args(["check", "--offline", "--quiet", "--message-format=short"])
            .args(features)
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", target.join("whole-api"))
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&check.stderr);
        eprintln!("cargo check {features:?} in {:?}", started.elapsed());
        assert!(
            check.status.success(),
            "cargo check {features:?} failed:\n{stderr}"
        );
        assert!(
            !stderr.contains("warning"),
            "cargo check {features:?} warned:\n{stderr}"
        );
    }
}

fn main() {
    support::run(&[trial!(
        whole_falcon_api_generates_a_crate_that_checks_without_warnings,
        || support::needs_upstream().or_else(|| support::unless_set("FALCON_SKIP_WHOLE_API"))
    )]);
}
