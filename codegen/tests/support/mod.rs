//! Upstream reference files in `../shared/crowdstrike-falcon-spec/` (read at run time, never
//! committed). A test that needs them and does not find them says "skipped: ..." and passes,
//! so `cargo test` works on a fresh clone; with `FALCON_REQUIRE_SHARED=1` (CI that has the
//! files) it fails instead. Shared by the codegen and xtask tests (`#[path]`).

// Each test file uses part of this.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The path of an upstream file.
pub fn spec_path(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/crowdstrike-falcon-spec")
        .join(file)
}

/// The text of an upstream file, or `None` once the skip is reported.
pub fn read_spec(file: &str) -> Option<String> {
    let path = spec_path(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            skip(&format!("{} cannot be read ({e})", path.display()));
            None
        }
    }
}

/// The path of an upstream file when it is there, or `None` once the skip is reported.
pub fn existing_spec(file: &str) -> Option<PathBuf> {
    let path = spec_path(file);
    if path.is_file() {
        Some(path)
    } else {
        skip(&format!("{} is not there", path.display()));
        None
    }
}

/// Reports a skipped test, or fails it when `FALCON_REQUIRE_SHARED` is set.
pub fn skip(reason: &str) {
    let required = std::env::var("FALCON_REQUIRE_SHARED").is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(!required, "FALCON_REQUIRE_SHARED is set, but {reason}");
    eprintln!("skipped: {reason}");
}
