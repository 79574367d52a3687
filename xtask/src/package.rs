//! `cargo xtask package`: the published crates packaged as crates.io would receive them, and a
//! crate outside this repository built against those packages.
//!
//! 1. `cargo package` of `falcon-operation`, `falcon-runtime`, `ioc-client`, `ioc-simulator`
//!    and `falcon-ioc` together, with cargo's verification: each packaged crate is built from its `.crate` alone,
//!    the others reached through a local registry cargo makes of the fresh packages.
//! 2. The libraries' `.crate` files are unpacked into a folder under the system's temporary
//!    directory, next to a small crate of a user's (`consumer/`), which depends on
//!    `ioc-client = "0.1.0"` from crates.io and is pointed at the unpacked packages by
//!    `[patch.crates-io]`, so nothing of this checkout but the packages is in reach. It is built `--offline` with the workspace's
//!    `Cargo.lock` (step 1 fetched everything it needs), then run: it builds request bodies,
//!    async and blocking clients, and prints the bodies, which must be exactly what the wire
//!    tests pin. Then its tests run: the two examples of the packaged simulator's README
//!    (`ioc-simulator` as a dev-dependency), each block as a test file, so a crate outside
//!    the repository tests its own code against the simulator as the README shows.
//!
//! The packages are where cargo writes them (`package/` in the target directory, which
//! `CARGO_TARGET_DIR` or cargo's configuration may move). The consumer builds into the same
//! target directory, so the dependencies step 1's verification built are reused where their
//! features agree (the whole step took 4.4 CPU-minutes from an empty target, against 7.9 with
//! a target directory of its own); only the packaged crates and what the `blocking` feature
//! changes are built again. Nothing needs the network but step 1's downloads from crates.io,
//! so a fresh clone with an empty target directory works.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crates published, in dependency order: the order of `cargo publish`.
const CRATES: &[&str] = &[
    "falcon-operation",
    "falcon-runtime",
    "ioc-client",
    "ioc-simulator",
    "falcon-ioc",
];

/// The libraries a user's crate depends on (the command line is installed, not depended on;
/// step 1 builds it from its package).
const LIBRARIES: &[&str] = &[
    "falcon-operation",
    "falcon-runtime",
    "ioc-client",
    "ioc-simulator",
];

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!(
            "unknown argument `{other}`\nusage: cargo xtask package"
        ));
    }
    let root = crate::workspace_root();
    let target = target_dir(&root)?;
    let version = workspace_version(&root)?;

    forget_unpacked_packages(&version)?;
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
    for name in LIBRARIES {
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

# As the simulator's README has them.
[dev-dependencies]
ioc-simulator = "{version}"
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}

# The packages of `cargo package`, standing in for crates.io.
[patch.crates-io]
{patches}
[workspace]
"#
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(&dir.join("src/main.rs"), CONSUMER)?;
    let readme = crates
        .join(format!("ioc-simulator-{version}"))
        .join("README.md");
    let readme = fs::read_to_string(&readme)
        .map_err(|e| format!("cannot read {}: {e}", readme.display()))?;
    let examples = readme_examples(&readme);
    if examples.len() != 2 {
        return Err(format!(
            "the packaged simulator's README has {} ```rust,ignore examples, expected 2 (an \
             async and a blocking test): mark them so",
            examples.len()
        ));
    }
    fs::create_dir_all(dir.join("tests"))
        .map_err(|e| format!("cannot create {}: {e}", dir.join("tests").display()))?;
    for (i, example) in examples.iter().enumerate() {
        write(&dir.join(format!("tests/readme_{}.rs", i + 1)), example)?;
    }
    // The versions the workspace is tested with, so the offline build finds them all.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;

    let mut build = cargo(&dir);
    build
        .args(["build", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", target);
    run_step(
        "build a crate that depends on the packages (offline)",
        &mut build,
    )?;
    let binary = target.join("debug").join(format!(
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
    let mut test = cargo(&dir);
    test.args(["test", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", target);
    run_step(
        "test that crate against the packaged simulator, as its README shows (offline)",
        &mut test,
    )?;
    println!(
        "package: {} packaged and verified; a crate outside the repository built against them, ran, and passed the simulator README's tests",
        CRATES
            .iter()
            .map(|c| format!("{c} {version}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// The ```` ```rust,ignore ```` blocks of a README: the simulator's test examples, which
/// rustdoc does not run (a `#[tokio::test]` in a doc test is compiled away).
fn readme_examples(readme: &str) -> Vec<String> {
    readme
        .split("```rust,ignore\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap_or_default().to_string())
        .collect()
}

/// Removes what an earlier run left unpacked of this workspace's packages.
///
/// Cargo verifies each package against the others through a local registry of the fresh
/// `.crate` files, which it unpacks under `$CARGO_HOME/registry/src/-<hash of that registry's
/// path>/`, and it never unpacks the same name and version there twice. So a second run from
/// the same checkout path, with the version unchanged, verified against the first run's
/// sources: a clean clone at the path of an earlier one built `ioc-client` against an older
/// `falcon-runtime 0.1.0` and failed. Only this workspace's crates, and only in those local
/// registries' folders, are removed; crates.io's folders (`index.crates.io-…`) are left alone.
fn forget_unpacked_packages(version: &str) -> Result<(), String> {
    let src = cargo_home()?.join("registry").join("src");
    let Ok(registries) = fs::read_dir(&src) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for name in CRATES {
            let unpacked = registry.path().join(format!("{name}-{version}"));
            if unpacked.exists() {
                fs::remove_dir_all(&unpacked)
                    .map_err(|e| format!("cannot remove {}: {e}", unpacked.display()))?;
            }
        }
    }
    Ok(())
}

/// Cargo's home: `$CARGO_HOME`, else `~/.cargo`.
fn cargo_home() -> Result<PathBuf, String> {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return Ok(PathBuf::from(home));
    }
    std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cargo"))
        .ok_or_else(|| "neither CARGO_HOME nor HOME is set".to_string())
}

/// The target directory cargo uses for the workspace, wherever `CARGO_TARGET_DIR` or
/// configuration puts it (`cargo metadata` knows).
fn target_dir(root: &Path) -> Result<PathBuf, String> {
    let output = cargo(root)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .map_err(|e| format!("cargo metadata: cannot start: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    json_string_field(&text, "target_directory")
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata printed no target_directory".to_string())
}

/// The value of the first `"key":"..."` in compact JSON, unescaped. (`\uXXXX` is left as it
/// stands: cargo writes it only for control characters, which no target directory holds.)
fn json_string_field(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let mut value = String::new();
    let mut chars = json[start..].chars();
    loop {
        match chars.next()? {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
}

/// `cargo`, as the one running this task.
fn cargo(dir: &Path) -> Command {
    let mut command = crate::cargo();
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

    ioc_client::install_ring_provider();
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

#[cfg(test)]
mod tests {
    use super::{json_string_field, readme_examples};

    #[test]
    fn takes_the_ignored_rust_blocks_of_a_readme() {
        let readme = "# x\n```toml\na = 1\n```\n```rust,ignore\nfn a() {}\n```\ntext\n```rust,ignore\n#[test]\nfn b() {}\n```\n";
        assert_eq!(
            readme_examples(readme),
            ["fn a() {}\n", "#[test]\nfn b() {}\n"]
        );
    }

    #[test]
    fn reads_the_target_directory_of_cargo_metadata() {
        let json = r#"{"packages":[],"target_directory":"C:\\work\\a \"b\"\\target","version":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some(r#"C:\work\a "b"\target"#)
        );
        assert_eq!(json_string_field(json, "workspace_root"), None);
    }
}
