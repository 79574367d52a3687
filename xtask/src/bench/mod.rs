//! `cargo xtask bench [--quick]`: the figures of the lean-generated-code work (issue 9),
//! measured the same way each time, printed, and written into their own block of
//! `BENCHMARKS.md` (re-running rewrites the block and nothing else):
//!
//! - the whole upstream spec → files with the release generator, median of 5 ([`generate`]);
//! - the lines generated, in all and per operation ([`generate`]);
//! - `cargo check` of that crate alone, its dependencies built in `<target>/whole-api` (shared
//!   with `xtask/tests/whole_api.rs`): every tag, only the IOC tags, every feature; and
//!   `cargo check -p ioc-client` alone ([`check`]);
//! - CPU per call against bare reqwest, from `ioc-client/benches/overhead.rs` ([`calls`]).
//!
//! `--quick` is CI's smoke run: each step once with the smallest input that still exercises it
//! (the build of xtask at hand as the generator, one check with only the IOC tags, a few hundred
//! calls in the dev profile), and nothing is written. Without `../shared/` the steps on the
//! upstream spec are skipped, saying so; with `FALCON_REQUIRE_SHARED=1` that is an error.

mod calls;
mod check;
mod generate;
mod machine;
mod measure;
mod report;
pub mod rustc_wrapper;

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use report::Report;

/// The upstream spec, from the workspace root (as the tests find it).
const UPSTREAM: &str =
    "../shared/crowdstrike-falcon-spec/crimson-falcon_2023-06-14_swagger-patched.json";

/// Runs of each timed step; the median is the figure.
const RUNS: usize = 5;

pub struct Args {
    quick: bool,
    /// `bench sync`: the figures of `falcon-ioc sync` instead (`xtask/scripts/bench_sync.py`).
    sync: bool,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Args, String> {
        let mut quick = false;
        let mut sync = false;
        for arg in args {
            match arg.as_str() {
                "--quick" => quick = true,
                "sync" => sync = true,
                other => return Err(format!("unknown argument `{other}`\n{}", crate::USAGE)),
            }
        }
        Ok(Args { quick, sync })
    }
}

/// Where a run works, and how thoroughly.
struct Context {
    /// The workspace root.
    root: PathBuf,
    /// Cargo's target directory.
    target: PathBuf,
    /// `<target>/bench`: the generated crate, logs.
    work: PathBuf,
    quick: bool,
}

impl Context {
    /// Measured runs of each step.
    fn runs(&self) -> usize {
        if self.quick { 1 } else { RUNS }
    }
}

pub fn run(args: &Args) -> Result<(), String> {
    let root = crate::workspace_root();
    if args.sync {
        return sync(&root, args.quick);
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |d| root.join(d));
    let work = target.join("bench");
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let ctx = Context {
        root,
        target,
        work,
        quick: args.quick,
    };
    let machine = machine::Machine::now();
    let start_load = machine::load_average();
    println!(
        "bench{}: {}, {}; load average {start_load}",
        if ctx.quick { " --quick" } else { "" },
        machine.date,
        machine.describe(),
    );
    let started = Instant::now();
    let mut report = Report::default();
    report.smoke = ctx.quick;

    let required = std::env::var("FALCON_REQUIRE_SHARED").is_ok_and(|v| !v.is_empty() && v != "0");
    if let Some(spec) = upstream(ctx.root.join(UPSTREAM), required, &mut report)? {
        let generated = generate::whole_api(&ctx, &spec, &mut report)?;
        check::whole_api(&ctx, &generated, &mut report)?;
    }
    check::ioc_client(&ctx, &mut report)?;
    calls::overhead(&ctx, &mut report)?;

    let took = started.elapsed().as_secs_f64();
    let end_load = machine::load_average();
    let table = report.markdown();
    println!("\n{table}\nload average at the end: {end_load}; bench took {took:.0} s");
    if ctx.quick {
        let ran = if report.skipped() {
            "the steps ran, but for those skipped above"
        } else {
            "every step ran"
        };
        println!("bench --quick: {ran}; nothing is written (a smoke run)");
        return Ok(());
    }
    let block = format!(
        "{start}\nRun of {date} ({took:.0} s in all), `cargo xtask bench`, on {machine}. The \
         machine is shared with other jobs: load average (1, 5, 15 min) {start_load} at the \
         start, {end_load} at the end. Wall times carry that noise; CPU times and peak RSS are \
         steadier. The column \"at issue 9\" holds the issue's figures (a 2-core machine like this one, 2026-12-02).\n\n\
         {table}{end}",
        start = report::START,
        end = report::END,
        date = machine.date,
        machine = machine.describe(),
    );
    report::write_block(&ctx.root.join("BENCHMARKS.md"), &block)?;
    println!("bench: figures written to BENCHMARKS.md");
    Ok(())
}

/// The upstream spec when it is there; when it is not, the steps on it are skipped, saying so,
/// unless it is `required` (`FALCON_REQUIRE_SHARED`): then that is an error.
fn upstream(spec: PathBuf, required: bool, report: &mut Report) -> Result<Option<PathBuf>, String> {
    if spec.is_file() {
        return Ok(Some(spec));
    }
    let reason = format!("{} is not there", spec.display());
    if required {
        return Err(format!("FALCON_REQUIRE_SHARED is set, but {reason}"));
    }
    report.skip(
        "the steps on the whole upstream spec (generation, lines, its checks)",
        &reason,
    );
    Ok(None)
}

/// Cargo, as the one running xtask (or from the PATH).
/// `bench sync`: a Python script, because its anchor is a FalconPy script: the release
/// `falcon-ioc` and `ioc-simulator` in their own processes on a 100,000-row feed, then FalconPy
/// against a fresh simulator. `--quick` runs 2,000 rows and writes nothing.
fn sync(root: &std::path::Path, quick: bool) -> Result<(), String> {
    let script = root.join("xtask/scripts/bench_sync.py");
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(&script).current_dir(root);
    if quick {
        cmd.args(["--rows", "2000", "--no-write"]);
    }
    let status = cmd.status().map_err(|e| {
        format!(
            "cannot run python3 {}: {e}; install Python 3",
            script.display()
        )
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", script.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        assert!(Args::parse(&[]).is_ok_and(|a| !a.quick));
        assert!(Args::parse(&["--quick".into()]).is_ok_and(|a| a.quick));
        let err = Args::parse(&["--fast".into()]).err().unwrap_or_default();
        assert!(err.contains("unknown argument `--fast`"), "{err}");
    }

    #[test]
    fn a_missing_upstream_is_skipped_or_an_error() {
        let missing = std::env::temp_dir().join("xtask-bench-no-such-spec.json");
        let mut report = Report::default();
        assert_eq!(upstream(missing.clone(), false, &mut report), Ok(None));
        assert!(
            report
                .markdown()
                .contains("Skipped in this run: the steps on the whole upstream spec")
        );
        let err = upstream(missing, true, &mut Report::default()).unwrap_err();
        assert!(
            err.starts_with("FALCON_REQUIRE_SHARED is set, but "),
            "{err}"
        );
        let here = PathBuf::from(file!());
        let root = crate::workspace_root().join(&here);
        assert_eq!(upstream(root.clone(), true, &mut report), Ok(Some(root)));
    }
}
