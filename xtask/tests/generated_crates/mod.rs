//! Crates written by `cargo xtask codegen --spec … --out …` from specs we did not write, and one
//! `cargo check` of all of them: shared by `peer_specs.rs` and `real_specs.rs` (`#[path]`).
//!
//! The crates are checked in one cargo invocation, as dependencies of a small crate written
//! beside them, so cargo checks them side by side; the runtime's dependencies come from
//! `<target>/whole-api`, shared with `whole_api.rs`, so they are built once for all three tests.

// Each test file uses part of this.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace's root folder.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The target folder the tests run from (`CARGO_TARGET_DIR` or the workspace's `target/`).
pub fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

/// The `.json` and `.yaml` files of `dir`, sorted.
pub fn specs_in(dir: &Path) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml"))
        .collect();
    specs.sort();
    specs
}

/// A crate name from a spec file's stem (`api.github.com` → `<prefix>-api-github-com`).
pub fn crate_name(prefix: &str, stem: &str) -> String {
    let name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{name}")
}

/// One run of `cargo xtask codegen` on a spec.
pub struct Generation {
    /// The spec's file name.
    pub file: String,
    /// The crate's name.
    pub name: String,
    /// The crate's folder.
    pub out: PathBuf,
    /// Whether the generator succeeded.
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the generator on every spec at once (the largest takes most of the time; the rest fit
/// beside it), each writing its crate to `<crates>/<stem>`. Regenerated in place: `codegen`
/// rewrites only what changed, so a second check checks nothing again.
pub fn generate(specs: &[PathBuf], crates: &Path, prefix: &str) -> Vec<Generation> {
    let runs: Vec<_> = specs
        .iter()
        .map(|spec| {
            let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
            let name = crate_name(prefix, &stem);
            let out = crates.join(&stem);
            let child = Command::new(env!("CARGO_BIN_EXE_xtask"))
                .args(["codegen", "--spec"])
                .arg(spec)
                .arg("--out")
                .arg(&out)
                .arg("--crate")
                .arg(&name)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let file = spec.file_name().unwrap().to_string_lossy().into_owned();
            (file, name, out, child)
        })
        .collect();
    runs.into_iter()
        .map(|(file, name, out, child)| {
            let output = child.wait_with_output().unwrap();
            Generation {
                file,
                name,
                out,
                success: output.status.success(),
                stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            }
        })
        .collect()
}

/// `cargo check`s the given crates (every tag feature, which is on by default, and
/// `blocking`) in one invocation from a crate written to `check`, and fails on an error or a
/// warning.
pub fn check_together(check: &Path, package: &str, crates: &[&Generation]) {
    let mut dependencies = String::new();
    for g in crates {
        writeln!(
            dependencies,
            "{} = {{ path = {:?}, features = [\"blocking\"] }}",
            g.name,
            g.out.display().to_string()
        )
        .unwrap();
    }
    std::fs::create_dir_all(check).unwrap();
    let manifest = format!(
        "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[lib]\npath = \"lib.rs\"\n\n[dependencies]\n{dependencies}\n[workspace]\n"
    );
    write_if_changed(&check.join("Cargo.toml"), &manifest);
    write_if_changed(
        &check.join("lib.rs"),
        "//! Depends on every generated crate, so one `cargo check` checks them all.\n",
    );
    if !check.join("Cargo.lock").exists() {
        std::fs::copy(workspace().join("Cargo.lock"), check.join("Cargo.lock")).unwrap();
    }
    let checked = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--message-format=short"])
        .current_dir(check)
        .env("CARGO_TARGET_DIR", target().join("whole-api"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&checked.stderr);
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
