//! Upstream reference files in `../shared/` (read at run time, never committed), and the
//! harness of the test files that need them. Such a file has `harness = false` and a `main`
//! that calls [`run`]: a test whose files are missing shows as *ignored* (with the reason on
//! stderr), so a fresh clone's `cargo test` passes and says what it did not do; with
//! `FALCON_REQUIRE_SHARED=1` (CI that has the files) it runs, and fails on the missing file.
//! Shared by the codegen and xtask tests (`#[path]`).

// Each test file uses part of this.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The folder of reference files: `../shared/` beside the checkout, or `FALCON_SHARED` when set
/// (a git worktree elsewhere than beside `shared/`).
pub fn shared() -> PathBuf {
    match std::env::var_os("FALCON_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    }
}

/// The path of an upstream file.
pub fn spec_path(file: &str) -> PathBuf {
    shared().join("crowdstrike-falcon-spec").join(file)
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

/// One test of a file run by [`run`]: its name, its body, and why it cannot run here, if it
/// cannot (upstream files missing, a skip variable set).
pub struct Test {
    pub name: &'static str,
    pub run: fn(),
    pub skip: fn() -> Option<String>,
}

/// Never skipped.
pub fn always() -> Option<String> {
    None
}

/// Skipped when `../shared/crowdstrike-falcon-spec/` is not there (unless
/// `FALCON_REQUIRE_SHARED` is set: then the test runs, and fails on the missing file).
pub fn needs_upstream() -> Option<String> {
    needs_shared("crowdstrike-falcon-spec")
}

/// Skipped when `../shared/<dir>` is not there, as [`needs_upstream`].
pub fn needs_shared(dir: &str) -> Option<String> {
    let path = shared().join(dir);
    let required = std::env::var("FALCON_REQUIRE_SHARED").is_ok_and(|v| !v.is_empty() && v != "0");
    (!path.is_dir() && !required).then(|| format!("{} is not there", path.display()))
}

/// Skipped when the variable `name` is set to something other than `0`.
pub fn unless_set(name: &str) -> Option<String> {
    std::env::var(name)
        .is_ok_and(|v| !v.is_empty() && v != "0")
        .then(|| format!("{name} is set"))
}

/// The `main` of a test file with `harness = false`: runs `tests` like libtest does (filters,
/// `--list`, `--ignored`), and shows a test that cannot run here as *ignored*, with the reason
/// printed, rather than as passed.
pub fn run(tests: &[Test]) -> ! {
    let args = libtest_mimic::Arguments::from_args();
    let trials = tests
        .iter()
        .map(|t| {
            let skip = (t.skip)();
            if let Some(reason) = &skip {
                eprintln!("skipped: {}: {reason}", t.name);
            }
            let body = t.run;
            libtest_mimic::Trial::test(t.name, move || {
                body();
                Ok(())
            })
            .with_ignored_flag(skip.is_some())
        })
        .collect();
    libtest_mimic::run(&args, trials).exit()
}

/// A [`Test`] of a function, by its name: `trial!(parses)`, `trial!(whole_api, support::needs_upstream)`.
#[macro_export]
macro_rules! trial {
    ($f:ident) => {
        $crate::support::Test {
            name: stringify!($f),
            run: $f,
            skip: $crate::support::always,
        }
    };
    ($f:ident, $skip:expr) => {
        $crate::support::Test {
            name: stringify!($f),
            run: $f,
            skip: $skip,
        }
    };
}
