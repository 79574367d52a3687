//! Each operation's docs name the concrete type its reply decodes into, with a link that
//! resolves: the builder's page (`operations::IndicatorSearchV1`) and the `Client` page link
//! `models::ApiIndicatorQueryRespV1`, so nobody walks `Request` → `op` → `Endpoint::Reply`.
//!
//! Checked on what rustdoc renders (broken intra-doc links are errors), not on the generator's
//! text. `cargo doc` runs into `target/rustdoc-check`, so the first run checks the dependencies
//! once (minutes on a busy machine); `FALCON_SKIP_RUSTDOC=1` skips it, saying so.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `(builder, reply model)` of every operation, read from the generated `op` module.
fn operations() -> Vec<(String, String)> {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/generated/operations.rs"),
    )
    .unwrap();
    let mut found = Vec::new();
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line
            .trim()
            .strip_prefix("impl ::falcon_runtime::Endpoint for ")
        else {
            continue;
        };
        let builder = rest.trim_end_matches(" {").to_string();
        let reply = lines.next().unwrap().trim();
        let reply = reply
            .strip_prefix("type Reply = models::")
            .and_then(|r| r.strip_suffix(';'))
            .unwrap_or_else(|| panic!("{builder}: reply `{reply}` is not a model"));
        found.push((builder, reply.to_string()));
    }
    assert!(found.len() >= 20, "read {} operations", found.len());
    found
}

#[test]
fn each_operations_docs_link_its_reply_type() {
    if std::env::var_os("FALCON_SKIP_RUSTDOC").is_some() {
        eprintln!("skipped: FALCON_SKIP_RUSTDOC is set, so rustdoc's pages are not checked");
        return;
    }
    let target: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("rustdoc-check");
    let doc = Command::new(env!("CARGO"))
        .args([
            "doc",
            "-p",
            "ioc-client",
            "--no-deps",
            "--offline",
            "--quiet",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D rustdoc::broken_intra_doc_links")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        doc.status.success(),
        "cargo doc failed:\n{}",
        String::from_utf8_lossy(&doc.stderr)
    );
    let pages = target.join("doc/ioc_client");
    let client = std::fs::read_to_string(pages.join("struct.Client.html")).unwrap();
    let mut missing = Vec::new();
    for (builder, reply) in operations() {
        let page =
            std::fs::read_to_string(pages.join(format!("operations/type.{builder}.html"))).unwrap();
        // The model is a struct, or an alias of the runtime's `Envelope`.
        let linked = |html: &str| {
            ["struct", "type", "enum"]
                .iter()
                .any(|kind| html.contains(&format!("models/{kind}.{reply}.html")))
        };
        if !linked(&page) || !page.contains("struct.ApiResponse.html") {
            missing.push(format!(
                "operations::{builder} does not link ApiResponse<models::{reply}>"
            ));
        }
        if !linked(&client) {
            missing.push(format!(
                "Client's page does not link models::{reply} ({builder})"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
