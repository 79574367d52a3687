//! `cargo check` of one crate, its dependencies already checked: the generated whole-API crate
//! (every tag; only the IOC tags; every feature) and `ioc-client`.
//!
//! Each run compiles the crate afresh, as a clean clone or CI does: its `src/lib.rs` is touched
//! and `CARGO_INCREMENTAL=0`, so the figure is what the crate costs, not what an incremental
//! no-op costs. A warm-up run first brings the dependencies up to date (and, the first time,
//! builds them). The wall time is a plain cargo's, what a user waits for; CPU and peak RSS are
//! rustc's for that crate alone, taken in a second check by this binary standing in as
//! `RUSTC_WRAPPER` ([`super::rustc_wrapper`]), whose start-ups stay out of the wall time.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::generate::Generated;
use super::measure::{self, Summary, Usage};
use super::report::{self, Report, Row};
use super::{Context, rustc_wrapper};

/// One crate to check, and how.
struct Check<'a> {
    /// Where cargo runs.
    dir: &'a Path,
    /// Touched before each run, so that cargo compiles the crate again.
    touch: PathBuf,
    /// After `cargo check --offline --quiet`.
    args: &'a [&'a str],
    /// `CARGO_TARGET_DIR`, when not the workspace's.
    target_dir: Option<PathBuf>,
    /// rustc's `--crate-name` of the crate.
    crate_name: &'a str,
    /// For the log's file name.
    label: &'a str,
}

/// The runs of one check: cargo's, and rustc's for the crate.
struct Runs {
    cargo: Summary,
    rustc: Summary,
}

/// How every check is measured, for the report.
fn describe(report: &mut Report, quick: bool) {
    report.method(
        "check",
        format!(
            "`cargo check --offline` after touching the crate's `src/lib.rs`, with `CARGO_INCREMENTAL=0`, so the crate alone compiles afresh each time and its dependencies are fresh{}; the time is the wall clock around a plain cargo (median, range in brackets); CPU (user + system) and peak RSS are rustc's for this crate alone, from `wait4` in xtask standing in as `RUSTC_WRAPPER` in a second check after each timed one (the wrapper's own start-ups are not in the time); per operation: the wall time over the operations",
            if quick {
                " (a smoke run has no warm-up: its one run also builds what is stale)"
            } else {
                " (a warm-up run first)"
            }
        ),
    );
}

/// The generated crate: with every tag (its default), with only the IOC tags, and with every
/// feature (the blocking client too). `--quick`: only the IOC tags, the smallest.
pub fn whole_api(ctx: &Context, generated: &Generated, report: &mut Report) -> Result<(), String> {
    let variants: &[(&str, &[&str])] = if ctx.quick {
        &[("ioc", &["--no-default-features", "--features", "ioc,iocs"])]
    } else {
        &[
            ("default", &[]),
            ("ioc", &["--no-default-features", "--features", "ioc,iocs"]),
            ("all", &["--all-features"]),
        ]
    };
    describe(report, ctx.quick);
    let crate_name = super::generate::CRATE.replace('-', "_");
    for (label, features) in variants {
        let runs = runs(
            ctx,
            &Check {
                dir: &generated.dir,
                touch: generated.dir.join("src/lib.rs"),
                args: features,
                // Shared with `xtask/tests/whole_api.rs`, which builds the dependencies there.
                target_dir: Some(ctx.target.join("whole-api")),
                crate_name: &crate_name,
                label,
            },
        )?;
        let wall = runs.cargo.wall.as_secs_f64();
        let per_op = wall / generated.operations.max(1) as f64;
        let flags = if features.is_empty() {
            String::new()
        } else {
            format!(" {}", features.join(" "))
        };
        let figure = figure(&runs);
        // Wall time is the figure, as in the issue; rustc's CPU per operation beside it is
        // steadier on a shared machine.
        let cpu_per_op = runs.rustc.cpu.map_or(f64::NAN, |c| c.as_secs_f64())
            / generated.operations.max(1) as f64;
        println!(
            "cargo check{flags} of the whole API: {figure}, {per_op:.4} s per operation (rustc CPU {cpu_per_op:.4} s)"
        );
        let under_1gb = runs.rustc.peak_rss.is_some_and(|r| r <= 1_000_000_000);
        let n = runs.cargo.runs;
        let (what, before, target, holds, now) = match *label {
            "default" => (
                format!(
                    "`cargo check` of that crate alone (default features: every tag), median of {n}"
                ),
                "28.8 s, 1.79 GB → 0.054 s/op",
                "≤ 0.01 s/op (≈ 5.4 s), ≤ 1 GB",
                Some(per_op <= 0.01 && under_1gb),
                format!("{figure} → **{per_op:.4} s/op** (rustc CPU {cpu_per_op:.4} s/op)"),
            ),
            "ioc" => (
                format!(
                    "the same with only the IOC tags (`--no-default-features --features ioc,iocs`), median of {n}"
                ),
                "–",
                "≤ 1 s",
                Some(wall <= 1.0),
                figure,
            ),
            _ => (
                format!(
                    "the same with `--all-features` (every tag and the blocking client), median of {n}"
                ),
                "–",
                "(as the default: ≤ 0.01 s/op, ≤ 1 GB)",
                Some(per_op <= 0.01 && under_1gb),
                format!("{figure} → {per_op:.4} s/op (rustc CPU {cpu_per_op:.4} s/op)"),
            ),
        };
        report.rows.push(Row {
            figure: what,
            before,
            now,
            target,
            holds,
            method: "check",
            command: format!(
                "`cd target/bench/{} && touch src/lib.rs && CARGO_TARGET_DIR=../../whole-api CARGO_INCREMENTAL=0 cargo check --offline{flags}`",
                super::generate::CRATE
            ),
        });
    }
    Ok(())
}

/// `cargo check -p ioc-client` alone, in the workspace.
pub fn ioc_client(ctx: &Context, report: &mut Report) -> Result<(), String> {
    let runs = runs(
        ctx,
        &Check {
            dir: &ctx.root,
            touch: ctx.root.join("ioc-client/src/lib.rs"),
            args: &["-p", "ioc-client"],
            target_dir: None,
            crate_name: "ioc_client",
            label: "ioc-client",
        },
    )?;
    let figure = figure(&runs);
    println!("cargo check -p ioc-client: {figure}");
    describe(report, ctx.quick);
    report.rows.push(Row {
        figure: format!(
            "`cargo check -p ioc-client` alone, median of {}",
            runs.cargo.runs
        ),
        before: "1.4 s",
        now: figure,
        target: "≤ 0.6 s",
        holds: Some(runs.cargo.wall.as_secs_f64() <= 0.6),
        method: "check",
        command: "`touch ioc-client/src/lib.rs && CARGO_INCREMENTAL=0 cargo check --offline -p ioc-client`".into(),
    });
    Ok(())
}

/// "5.9 s (5.6 s–6.8 s); rustc CPU 5.5 s, peak RSS 900 MB".
fn figure(runs: &Runs) -> String {
    let mut out = report::seconds(runs.cargo.wall);
    if runs.cargo.runs > 1 {
        out.push_str(&format!(
            " ({}–{})",
            report::seconds(runs.cargo.wall_min),
            report::seconds(runs.cargo.wall_max)
        ));
    }
    if let Some(cpu) = runs.rustc.cpu {
        out.push_str(&format!("; rustc CPU {}", report::seconds(cpu)));
    }
    if let Some(rss) = runs.rustc.peak_rss {
        out.push_str(&format!(", peak RSS {}", report::bytes(rss)));
    }
    out
}

/// A warm-up run (not for `--quick`), then the measured runs.
fn runs(ctx: &Context, check: &Check) -> Result<Runs, String> {
    if !ctx.quick {
        println!(
            "  warm-up: cargo check {} in {} (builds what is stale{})",
            check.args.join(" "),
            check.dir.display(),
            if check.target_dir.is_some() {
                "; the first time, the runtime's dependencies: minutes"
            } else {
                ""
            }
        );
        once(ctx, check)?;
    }
    let mut cargo = Vec::new();
    let mut rustc = Vec::new();
    for _ in 0..ctx.runs() {
        let (c, r) = once(ctx, check)?;
        cargo.push(c);
        rustc.push(r);
    }
    Ok(Runs {
        cargo: Summary::of(&cargo),
        rustc: Summary::of(&rustc),
    })
}

/// One check after touching the crate, twice: the wall time of a plain `cargo check` (what a
/// user waits for), then rustc's CPU and peak RSS from a second check with this binary standing
/// in as `RUSTC_WRAPPER`. The wrapper starts for every rustc cargo runs, probes included, so its
/// own start-ups would add to the first figure (about 0.05 s a check, measured by hand).
fn once(ctx: &Context, check: &Check) -> Result<(Usage, Usage), String> {
    touch(&check.touch)?;
    let mut plain = command(check);
    let cargo = measure::logged(
        &mut plain,
        &ctx.work.join(format!("check-{}.log", check.label)),
    )?;

    touch(&check.touch)?;
    let rustc_log = ctx.work.join(format!("rustc-{}.tsv", check.label));
    match fs::remove_file(&rustc_log) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot remove {}: {e}", rustc_log.display())),
    }
    let wrapper = std::env::current_exe().map_err(|e| format!("cannot find this xtask: {e}"))?;
    let mut wrapped = command(check);
    wrapped
        .env("RUSTC_WRAPPER", &wrapper)
        .env(rustc_wrapper::LOG_VAR, &rustc_log);
    measure::logged(
        &mut wrapped,
        &ctx.work.join(format!("check-{}-rustc.log", check.label)),
    )?;
    let rustc = rustc_wrapper::read(&rustc_log, check.crate_name)?.ok_or_else(|| {
        format!(
            "cargo did not compile `{}` after {} was touched, so there is nothing to measure",
            check.crate_name,
            check.touch.display()
        )
    })?;
    Ok((cargo, rustc))
}

/// `cargo check` of the crate, as a user runs it.
fn command(check: &Check) -> std::process::Command {
    let mut command = crate::cargo();
    command
        .args(["check", "--offline", "--quiet"])
        .args(check.args)
        .current_dir(check.dir)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTC_WRAPPER");
    if let Some(target_dir) = &check.target_dir {
        // As `xtask/tests/whole_api.rs` runs it, so that both use the same dependencies.
        command
            .env("CARGO_TARGET_DIR", target_dir)
            .env_remove("RUSTFLAGS");
    }
    command
}

/// Sets a file's modification time to now, so that cargo compiles its crate again.
fn touch(path: &Path) -> Result<(), String> {
    fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}
