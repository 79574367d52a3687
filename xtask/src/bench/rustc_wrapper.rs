//! rustc's own cost in a `cargo check`: the bench sets this very binary as `RUSTC_WRAPPER`, with
//! [`LOG_VAR`] naming a file; cargo then runs `xtask RUSTC ARGS...` for each crate it compiles,
//! and the wrapper runs rustc, appends what it cost to the file, and exits as rustc did.
//!
//! `RUSTC_WRAPPER` rather than `RUSTC_WORKSPACE_WRAPPER`: cargo leaves the former out of its
//! fingerprints, so setting it re-checks nothing that is already fresh, while the latter makes
//! every workspace member stale each time it is switched on or off. Crates that are fresh are
//! not compiled, so they do not appear in the log.

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Duration;

use super::measure::{self, Usage};

/// The variable naming the log; set only on the `cargo check` the bench runs.
pub const LOG_VAR: &str = "FALCON_BENCH_RUSTC_LOG";

/// When this process is cargo's wrapper around rustc (the log variable set, and rustc as the
/// first argument): runs it and returns its exit code. Otherwise `None`, and xtask goes on as
/// usual, so a stray variable cannot turn `cargo xtask codegen` into something else.
pub fn run_if_wrapping() -> Option<ExitCode> {
    let log = std::env::var_os(LOG_VAR)?;
    let mut args = std::env::args_os().skip(1);
    let rustc = args.next()?;
    if !is_rustc(Path::new(&rustc)) {
        return None;
    }
    let args: Vec<_> = args.collect();
    let crate_name = args
        .iter()
        .position(|a| a == "--crate-name")
        .and_then(|i| args.get(i + 1))
        .map(|name| name.to_string_lossy().into_owned());
    let (status, usage) = match measure::run(Command::new(&rustc).args(&args)) {
        Ok(done) => done,
        Err(message) => {
            eprintln!("xtask bench (rustc wrapper): {message}");
            return Some(ExitCode::FAILURE);
        }
    };
    // Queries such as `rustc -vV` name no crate and are not logged.
    if let Some(name) = crate_name
        && let Err(e) = append(Path::new(&log), &name, &usage)
    {
        eprintln!(
            "xtask bench (rustc wrapper): cannot write {}: {e}",
            Path::new(&log).display()
        );
        return Some(ExitCode::FAILURE);
    }
    Some(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}

/// Whether cargo's first argument to a wrapper is rustc (`rustc`, `/…/bin/rustc`, `rustc.exe`).
fn is_rustc(program: &Path) -> bool {
    program
        .file_stem()
        .is_some_and(|stem| stem.to_string_lossy().starts_with("rustc"))
}

/// One line per rustc run: crate name, wall, CPU (ns) and peak RSS (bytes), tab-separated.
fn append(log: &Path, crate_name: &str, usage: &Usage) -> std::io::Result<()> {
    let mut file = fs::File::options().create(true).append(true).open(log)?;
    writeln!(
        file,
        "{crate_name}\t{}\t{}\t{}",
        usage.wall.as_nanos(),
        usage
            .cpu
            .map_or(String::new(), |c| c.as_nanos().to_string()),
        usage.peak_rss.map_or(String::new(), |r| r.to_string()),
    )
}

/// What the last rustc run for `crate_name` in `log` cost, if one is there.
pub fn read(log: &Path, crate_name: &str) -> Result<Option<Usage>, String> {
    let text = match fs::read_to_string(log) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", log.display())),
    };
    let last = text
        .lines()
        .rfind(|l| l.split('\t').next() == Some(crate_name));
    let Some(line) = last else { return Ok(None) };
    let fields: Vec<&str> = line.split('\t').collect();
    let nanos = |i: usize| -> Option<u64> { fields.get(i)?.parse().ok() };
    let wall = nanos(1).ok_or_else(|| format!("a bad line in {}: {line}", log.display()))?;
    Ok(Some(Usage {
        wall: Duration::from_nanos(wall),
        cpu: nanos(2).map(Duration::from_nanos),
        peak_rss: nanos(3),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rustc_is_wrapped() {
        assert!(is_rustc(Path::new("rustc")));
        assert!(is_rustc(Path::new(
            "/home/u/.rustup/toolchains/x/bin/rustc"
        )));
        assert!(!is_rustc(Path::new("codegen")));
        assert!(!is_rustc(Path::new("--quick")));
    }

    #[test]
    fn log_round_trip() {
        let log = std::env::temp_dir().join(format!("xtask-rustc-log-{}", std::process::id()));
        let _ = fs::remove_file(&log);
        assert_eq!(read(&log, "falcon_api").unwrap(), None);
        let first = Usage {
            wall: Duration::from_millis(1500),
            cpu: Some(Duration::from_millis(1400)),
            peak_rss: Some(700_000_000),
        };
        let second = Usage {
            peak_rss: None,
            ..first
        };
        append(&log, "falcon_api", &first).unwrap();
        append(&log, "serde", &first).unwrap();
        append(&log, "falcon_api", &second).unwrap();
        assert_eq!(read(&log, "falcon_api").unwrap(), Some(second));
        assert_eq!(read(&log, "ioc_client").unwrap(), None);
        fs::remove_file(&log).unwrap();
    }
}
