//! `cargo xtask package`: the published crates packaged as crates.io would receive them, and a
//! crate outside this repository built against those packages.
//!
//! 1. `cargo package` of `falcon-operation`, `falcon-runtime` and `ioc-client` together, with
//!    cargo's verification: each packaged crate is built from its `.crate` alone, the others
//!    reached through a local registry cargo makes of the fresh packages.
//! 2. The `.crate` files are unpacked into a folder under the system's temporary directory, next
//!    to a small crate of a user's (`consumer/`), which depends on `ioc-client = "0.1.0"` from
//!    crates.io and is pointed at the unpacked packages by `[patch.crates-io]`, so nothing of
//!    this checkout but the packages is in reach. It is built `--offline` with the workspace's
//!    `Cargo.lock` (step 1 fetched everything it needs), then run: it builds request bodies,
//!    async and blocking clients, and prints the bodies, which must be exactly what the wire
//!    tests pin.
//!
//! The consumer's build goes to `target/package-check`, so a second run rebuilds only what
//! changed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crates published, in dependency order.
const CRATES: &[&str] = &["falcon-operation", "falcon-runtime", "ioc-client"];

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!(
            "unknown argument `{other}`\nusage: cargo xtask package"
        ));
    }
    let root = crate::workspace_root();
    let target = root.join("target");
    let version = workspace_version(&root)?;

    let mut package = cargo(&root);
    package.args(["package", "--locked", "--quiet"]);
    for name in CRATES {
        package.args(["-p", name]);
    }
    run_step("cargo package (with verification)", &mut package)?;

    let check = std::env::temp_dir().join(format!(
        "falcon-ioc-rs-package-check-{}",
        std::process::id()
    ));
    let result = consumer(&root, &target, &version, &check);
    let _ = fs::remove_dir_all(&check);
    result
}

/// Unpacks the packages next to a consumer crate, builds it offline and runs it.
fn consumer(root: &Path, target: &Path, version: &str, check: &Path) -> Result<(), String> {
    let crates = check.join("crates");
    fs::create_dir_all(&crates).map_err(|e| format!("cannot create {}: {e}", crates.display()))?;
    let mut patches = String::new();
    for name in CRATES {
        let file = target
            .join("package")
            .join(format!("{name}-{version}.crate"));
        run_step(
            &format!("unpack {}", file.display()),
            Command::new("tar")
                .arg("-xzf")
                .arg(&file)
                .arg("-C")
                .arg(&crates),
        )?;
        patches.push_str(&format!(
            "{name} = {{ path = \"../crates/{name}-{version}\" }}\n"
        ));
    }
    let dir = check.join("consumer");
    fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let manifest = format!(
        r#"[package]
name = "falcon-ioc-rs-consumer"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
ioc-client = {{ version = "{version}", features = ["blocking"] }}
serde_json = "1"

# The packages of `cargo package`, standing in for crates.io.
[patch.crates-io]
{patches}
[workspace]
"#
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(&dir.join("src/main.rs"), CONSUMER)?;
    // The versions the workspace is tested with, so the offline build finds them all.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;

    let mut build = cargo(&dir);
    build
        .args(["build", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", target.join("package-check"));
    run_step(
        "build a crate that depends on the packages (offline)",
        &mut build,
    )?;
    let binary = target.join("package-check/debug").join(format!(
        "falcon-ioc-rs-consumer{}",
        std::env::consts::EXE_SUFFIX
    ));
    let output = Command::new(&binary)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let printed = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || printed != EXPECTED {
        return Err(format!(
            "the consumer crate printed\n{printed}{}\nexpected\n{EXPECTED}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    println!(
        "package: {} packaged and verified; a crate outside the repository built against them and ran",
        CRATES
            .iter()
            .map(|c| format!("{c} {version}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// `cargo`, as the one running this task.
fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(dir);
    command
}

fn run_step(what: &str, command: &mut Command) -> Result<(), String> {
    println!("package: {what}");
    let status = command
        .status()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what}: failed ({status})"))
    }
}

fn write(path: &PathBuf, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `version` of `[workspace.package]`: every published crate has it.
fn workspace_version(root: &Path) -> Result<String, String> {
    let text = fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    let section = text
        .split("[workspace.package]")
        .nth(1)
        .ok_or("Cargo.toml has no [workspace.package]")?;
    section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| {
            let (key, value) = l.split_once('=')?;
            (key.trim() == "version").then(|| value.trim().trim_matches('"').to_string())
        })
        .ok_or_else(|| "[workspace.package] has no version".to_string())
}

/// A user's code: the short construction path, value sets, both clients, the reqwest
/// re-export. It prints the bodies it builds.
const CONSUMER: &str = r#"use ioc_client::models::{
    Action, ApiIndicatorCreateReqV1, ApiIndicatorCreateReqsV1, MsaAggregateQueryRequest, Severity,
};

fn main() {
    let aggregate = MsaAggregateQueryRequest::new("type", "terms");
    println!("{}", serde_json::to_string(&aggregate).unwrap());
    let create = ApiIndicatorCreateReqsV1::new([ApiIndicatorCreateReqV1::new("domain", "example.com")
        .action(Action::Detect)
        .severity(Severity::from("medium"))
        .platforms(["windows", "mac", "linux"])
        .applied_globally(true)]);
    println!("{}", serde_json::to_string(&create).unwrap());

    let http = ioc_client::reqwest::Client::builder()
        .redirect(ioc_client::reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = ioc_client::Client::builder()
        .base_url("http://127.0.0.1:9")
        .client_id("id")
        .client_secret("secret")
        .http_client(http)
        .build()
        .unwrap();
    let _request = client.indicator_aggregate_v1().body(aggregate);
    let blocking = ioc_client::blocking::Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("token")
        .build()
        .unwrap();
    let _request = blocking.indicator_create_v1().body(create);
    println!("clients built");
}
"#;

const EXPECTED: &str = r#"{"field":"type","type":"terms"}
{"indicators":[{"action":"detect","applied_globally":true,"platforms":["windows","mac","linux"],"severity":"medium","type":"domain","value":"example.com"}]}
clients built
"#;
