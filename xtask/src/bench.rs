//! `cargo xtask bench [--quick]`: the figures of the lean-generated-code work, measured the
//! same way each time, printed, and written into their own block of `BENCHMARKS.md`.
//!
//! - the whole upstream spec → files with the release generator: wall time (median of 5), CPU
//!   time and peak RSS of the process;
//! - the lines generated, in all and per operation;
//! - `cargo check` of that crate alone (its dependencies already built in
//!   `<target>/whole-api`, which `xtask/tests/whole_api.rs` shares): default features, only the
//!   IOC tags, every feature; median of 5 after a warm-up;
//! - `cargo check -p ioc-client` alone, the same way;
//! - CPU per call against bare reqwest (`ioc-client/benches/overhead.rs`).
//!
//! Each check compiles the crate afresh (`touch`, then `CARGO_INCREMENTAL=0`, as CI builds),
//! so the figure is what the crate costs, not what an incremental no-op costs. CPU time and
//! peak RSS are the child's `rusage` (`wait4`): the CPU of the process and every process it
//! waited for, and the largest peak among them (rustc's, for a check). The machine is shared,
//! so wall times carry noise; the CPU times show how much.
//!
//! `--quick` runs each step once with the smallest input that still exercises it (the
//! generator in the build at hand, one check of the IOC tags, a few hundred calls in the dev
//! profile) and writes nothing: it proves the benches still run. Without `../shared/` the steps
//! of the whole spec are skipped, saying so (with `FALCON_REQUIRE_SHARED=1` that is an error).

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// The upstream spec, as the tests find it.
const UPSTREAM: &str = "../shared/crowdstrike-falcon-spec/crimson-falcon_2023-06-14_swagger-patched.json";

/// The block of `BENCHMARKS.md` this task owns.
const START: &str = "<!-- bench:start (written by `cargo xtask bench`; edit outside these markers) -->";
const END: &str = "<!-- bench:end -->";
const SECTION: &str = "## Lean generated code (issue 9)";

/// Runs of each timed step (the median is the figure).
const RUNS: usize = 5;

pub struct Args {
    quick: bool,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Args, String> {
        let mut quick = false;
        for arg in args {
            match arg.as_str() {
                "--quick" => quick = true,
                other => return Err(format!("unknown argument `{other}`\n{}", crate::USAGE)),
            }
        }
        Ok(Args { quick })
    }
}

/// One figure of the report.
struct Row {
    figure: String,
    before: &'static str,
    now: String,
    target: &'static str,
    /// `None`: the figure has no target of its own.
    holds: Option<bool>,
    command: String,
}

/// What one run of a command cost.
#[derive(Clone, Copy)]
struct Usage {
    wall: Duration,
    /// User + system CPU of the process and the processes it waited for.
    cpu: Option<Duration>,
    /// The largest peak RSS among them, in bytes.
    peak_rss: Option<u64>,
}

pub fn run(args: &Args) -> Result<(), String> {
    let root = crate::workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|d| root.join(d))
        .unwrap_or_else(|| root.join("target"));
    let work = target.join("bench");
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let machine = Machine::now();
    println!(
        "bench{}: {}",
        if args.quick { " --quick" } else { "" },
        machine.describe()
    );
    let started = Instant::now();
    let mut rows = Vec::new();

    let spec = root.join(UPSTREAM);
    if spec.is_file() {
        whole_api(args, &root, &target, &work, &spec, &mut rows)?;
    } else {
        let reason = format!("{} is not there", spec.display());
        if std::env::var("FALCON_REQUIRE_SHARED").is_ok_and(|v| !v.is_empty() && v != "0") {
            return Err(format!("FALCON_REQUIRE_SHARED is set, but {reason}"));
        }
        println!("skipped: the whole-spec steps (generation, lines, checks): {reason}");
    }
    ioc_client_check(args, &root, &work, &mut rows)?;
    overhead(args, &root, &work, &mut rows)?;

    let end_load = Machine::load_average();
    let table = table(&rows);
    println!("\n{table}");
    println!(
        "load average at the end: {}; bench took {:.0} s",
        end_load,
        started.elapsed().as_secs_f64()
    );
    if args.quick {
        println!("bench --quick: every step ran; figures are not written (smoke run)");
        return Ok(());
    }
    let block = format!(
        "{START}\nRun of {date} ({took:.0} s in all) on {machine}. Load average (1, 5, 15 min) at \
         the start: {start_load}; at the end: {end_load}. Reproduce the whole set with \
         `cargo xtask bench`.\n\n{table}{END}",
        date = machine.date,
        took = started.elapsed().as_secs_f64(),
        machine = machine.describe_without_load(),
        start_load = machine.load,
    );
    write_block(&root.join("BENCHMARKS.md"), &block)?;
    println!("bench: figures written to BENCHMARKS.md");
    Ok(())
}

/// Generation, lines and checks of the whole Falcon API.
fn whole_api(
    args: &Args,
    root: &Path,
    target: &Path,
    work: &Path,
    spec: &Path,
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    let out = work.join("falcon-api");
    // The release generator for the figures; the build at hand is enough to prove the step runs.
    let generator = if args.quick {
        std::env::current_exe().map_err(|e| format!("cannot find this xtask: {e}"))?
    } else {
        println!("building the release generator: cargo build --release -p xtask");
        let status = cargo()
            .args(["build", "--release", "--quiet", "-p", "xtask"])
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err("cargo build --release -p xtask failed".into());
        }
        target.join("release").join(exe("xtask"))
    };
    let runs = if args.quick { 1 } else { RUNS };
    let log = work.join("codegen.log");
    let mut generation = Vec::new();
    for _ in 0..runs {
        // From nothing each time: the generator skips files that are already current.
        let _ = fs::remove_dir_all(&out);
        let mut command = Command::new(&generator);
        command
            .args(["codegen", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(&out)
            .args(["--crate", "falcon-api"]);
        generation.push(measure(&mut command, &log)?);
    }
    let summary = fs::read_to_string(&log).unwrap_or_default();
    let (operations, models) = counts(&summary).ok_or_else(|| {
        format!(
            "the generator's output does not say how many operations it wrote:\n{}",
            tail(&summary)
        )
    })?;
    let gen_figure = usage_figure(&generation);
    println!("generate the whole spec ({operations} operations, {models} models): {gen_figure}");
    let wall = median_duration(generation.iter().map(|u| u.wall));
    rows.push(Row {
        figure: format!(
            "whole upstream spec ({operations} ops, {models} models) → files, release `xtask codegen --spec --out`, median of {runs}"
        ),
        before: "0.66 s, 100 MB",
        now: gen_figure,
        target: "≤ 0.25 s",
        holds: Some(wall.as_secs_f64() <= 0.25),
        command: format!(
            "`cargo build --release -p xtask && target/release/xtask codegen --spec {UPSTREAM} --out target/bench/falcon-api --crate falcon-api`"
        ),
    });

    let lines = count_lines(&out.join("src"))?;
    println!(
        "generated lines: {} ({} per operation)",
        thousands(lines),
        lines / operations.max(1)
    );
    rows.push(Row {
        figure: "generated lines for the whole API (the crate's `src/`)".into(),
        before: "98,055 (182 per operation)",
        now: format!(
            "{} ({} per operation)",
            thousands(lines),
            lines / operations.max(1)
        ),
        target: "(follows)",
        holds: None,
        command: "`find target/bench/falcon-api/src -name '*.rs' | xargs cat | wc -l`".into(),
    });

    // The crate's dependencies are built once in `<target>/whole-api`, shared with the
    // whole-API tests.
    let check_target = target.join("whole-api");
    let variants: &[(&[&str], &str)] = if args.quick {
        &[(&["--no-default-features", "--features", "ioc,iocs"], "ioc")]
    } else {
        &[
            (&[], "default"),
            (&["--no-default-features", "--features", "ioc,iocs"], "ioc"),
            (&["--all-features"], "all"),
        ]
    };
    for (features, name) in variants {
        let usage = check_runs(
            args,
            &out,
            &out.join("src/lib.rs"),
            &["check", "--offline"],
            features,
            Some(&check_target),
            &work.join(format!("check-{name}.log")),
        )?;
        let wall = median_duration(usage.iter().map(|u| u.wall)).as_secs_f64();
        let rss = median_u64(usage.iter().filter_map(|u| u.peak_rss));
        let figure = usage_figure(&usage);
        let per_op = wall / operations as f64;
        let shown = if features.is_empty() {
            String::new()
        } else {
            format!(" {}", features.join(" "))
        };
        println!("cargo check{shown} of the whole API: {figure}, {per_op:.4} s per operation");
        let command = format!(
            "`cd target/bench/falcon-api && touch src/lib.rs && CARGO_TARGET_DIR=../../whole-api CARGO_INCREMENTAL=0 cargo check --offline{shown}`"
        );
        let under_1gb = rss.is_some_and(|r| r <= 1_000_000_000);
        rows.push(match *name {
            "default" => Row {
                figure: format!(
                    "`cargo check` of that crate alone (default features: every tag), dependencies built, median of {RUNS}"
                ),
                before: "28.8 s, 1.79 GB → 0.054 s/op",
                now: format!("{figure} → {per_op:.4} s/op"),
                target: "≤ 0.01 s/op (≈ 5.4 s), ≤ 1 GB",
                holds: Some(per_op <= 0.01 && under_1gb),
                command,
            },
            "ioc" => Row {
                figure: format!(
                    "the same with only the IOC tags (`--no-default-features --features ioc,iocs`), median of {}",
                    if args.quick { 1 } else { RUNS }
                ),
                before: "–",
                now: figure,
                target: "≤ 1 s",
                holds: Some(wall <= 1.0),
                command,
            },
            _ => Row {
                figure: format!(
                    "the same with `--all-features` (every tag and `blocking`), median of {RUNS}"
                ),
                before: "–",
                now: format!("{figure} → {per_op:.4} s/op"),
                target: "(as the default: ≤ 0.01 s/op, ≤ 1 GB)",
                holds: Some(per_op <= 0.01 && under_1gb),
                command,
            },
        });
    }
    Ok(())
}

/// `cargo check -p ioc-client` alone.
fn ioc_client_check(
    args: &Args,
    root: &Path,
    work: &Path,
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    let usage = check_runs(
        args,
        root,
        &root.join("ioc-client/src/lib.rs"),
        &["check", "--offline", "-p", "ioc-client"],
        &[],
        None,
        &work.join("check-ioc-client.log"),
    )?;
    let wall = median_duration(usage.iter().map(|u| u.wall)).as_secs_f64();
    let figure = usage_figure(&usage);
    println!("cargo check -p ioc-client: {figure}");
    rows.push(Row {
        figure: format!(
            "`cargo check -p ioc-client` alone, dependencies built, median of {}",
            usage.len()
        ),
        before: "1.4 s",
        now: figure,
        target: "≤ 0.6 s",
        holds: Some(wall <= 0.6),
        command: "`touch ioc-client/src/lib.rs && CARGO_INCREMENTAL=0 cargo check --offline -p ioc-client`".into(),
    });
    Ok(())
}

/// A warm-up check, then `RUNS` checks each after touching `touch` (one, with no warm-up, for
/// `--quick`).
fn check_runs(
    args: &Args,
    dir: &Path,
    touch: &Path,
    cargo_args: &[&str],
    features: &[&str],
    target_dir: Option<&Path>,
    log: &Path,
) -> Result<Vec<Usage>, String> {
    let command = || {
        let mut command = cargo();
        command
            .args(cargo_args)
            .args(features)
            .arg("--quiet")
            .current_dir(dir)
            // Each check compiles the crate afresh, as CI's builds do.
            .env("CARGO_INCREMENTAL", "0");
        if let Some(target_dir) = target_dir {
            // As the whole-API tests run it, so both share the dependencies built there.
            command
                .env("CARGO_TARGET_DIR", target_dir)
                .env_remove("RUSTFLAGS");
        }
        command
    };
    let shown = format!("cargo {} {}", cargo_args.join(" "), features.join(" "));
    if !args.quick {
        let started = Instant::now();
        measure(&mut command(), log)?;
        println!(
            "  warm-up `{}` in {}: {:.1} s",
            shown.trim_end(),
            dir.display(),
            started.elapsed().as_secs_f64()
        );
    }
    let runs = if args.quick { 1 } else { RUNS };
    let mut usage = Vec::new();
    for _ in 0..runs {
        touch_file(touch)?;
        usage.push(measure(&mut command(), log)?);
    }
    Ok(usage)
}

/// The per-call bench, in release (`--quick`: a few hundred calls in the dev profile, which the
/// tests have already built).
fn overhead(args: &Args, root: &Path, work: &Path, rows: &mut Vec<Row>) -> Result<(), String> {
    let mut command = cargo();
    command
        .args(["bench", "--quiet", "-p", "ioc-client", "--bench", "overhead"])
        .current_dir(root);
    if args.quick {
        command.args(["--profile", "dev", "--", "--quick"]);
    }
    println!(
        "per-call overhead: cargo bench -p ioc-client --bench overhead{}",
        if args.quick {
            " --profile dev -- --quick"
        } else {
            ""
        }
    );
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    fs::write(work.join("overhead.log"), stdout.as_bytes()).ok();
    print!("{stdout}");
    if !output.status.success() {
        return Err("the overhead bench failed".into());
    }
    for name in ["search", "get"] {
        let figure = figures(&stdout, name)
            .ok_or_else(|| format!("the overhead bench printed no `figure {name}` line"))?;
        let value = |key: &str| figure.get(key).copied().unwrap_or(f64::NAN);
        let (typed_ratio, command_ratio) = (value("typed_ratio"), value("command_ratio"));
        rows.push(Row {
            figure: format!(
                "CPU per call vs bare reqwest, canned loopback server: {} (median of {} rounds of {} calls)",
                if name == "search" {
                    "`indicator_search_v1`, 100 ids"
                } else {
                    "`indicator_get_v1`, 10 records"
                },
                value("rounds"),
                value("calls"),
            ),
            before: if name == "search" {
                "typed 1.08×, `command()` 1.12×"
            } else {
                "typed 1.13×, `command()` 1.16×"
            },
            now: format!(
                "typed {:.1} µs vs {:.1} µs: **{typed_ratio:.2}×**; `command()` {:.1} µs vs `Value` {:.1} µs: **{command_ratio:.2}×**",
                value("typed_us"),
                value("bare_typed_us"),
                value("command_us"),
                value("bare_value_us"),
            ),
            target: "typed ≤ 1.1×, `command()` ≤ 1.2×",
            holds: Some(typed_ratio <= 1.10 && command_ratio <= 1.20),
            command: "`cargo bench -p ioc-client --bench overhead`".into(),
        });
    }
    Ok(())
}

/// The `key=value` figures of the bench's `figure NAME ...` line.
fn figures(stdout: &str, name: &str) -> Option<std::collections::BTreeMap<String, f64>> {
    let line = stdout
        .lines()
        .find(|l| l.strip_prefix("figure ").and_then(|r| r.split(' ').next()) == Some(name))?;
    Some(
        line.split(' ')
            .filter_map(|kv| kv.split_once('='))
            .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
            .collect(),
    )
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")))
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// Sets a file's modification time to now, so cargo compiles its crate again.
fn touch_file(path: &Path) -> Result<(), String> {
    fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

/// Runs `command` to completion with its output in `log`; what it cost, or its failure with
/// the end of its output.
fn measure(command: &mut Command, log: &Path) -> Result<Usage, String> {
    let file = fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let err = file.try_clone().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let (status, cpu, peak_rss) = wait_with_usage(child)?;
    let wall = started.elapsed();
    if !status.success() {
        let text = fs::read_to_string(log).unwrap_or_default();
        return Err(format!("{command:?} failed ({status}):\n{}", tail(&text)));
    }
    Ok(Usage {
        wall,
        cpu,
        peak_rss,
    })
}

/// Waits for `child` with `wait4`, which also returns the child's resource usage (its CPU and
/// that of the processes it waited for, and the largest peak RSS among them).
#[cfg(unix)]
fn wait_with_usage(
    child: std::process::Child,
) -> Result<(ExitStatus, Option<Duration>, Option<u64>), String> {
    use std::os::unix::process::ExitStatusExt;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid places for the kernel to write to; `pid` is
        // our child, not yet waited for (the `Child` is dropped below without waiting).
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("waiting for process {pid}: {e}"));
        }
    }
    drop(child);
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    // Kilobytes on Linux, bytes on macOS.
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    Ok((
        ExitStatus::from_raw(status),
        Some(cpu),
        Some(usage.ru_maxrss as u64 * unit),
    ))
}

#[cfg(not(unix))]
fn wait_with_usage(
    mut child: std::process::Child,
) -> Result<(ExitStatus, Option<Duration>, Option<u64>), String> {
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok((status, None, None))
}

/// "0.21 s (0.20–0.24), CPU 0.35 s, 78 MB": median wall (range), median CPU, median peak RSS.
fn usage_figure(runs: &[Usage]) -> String {
    let wall = median_duration(runs.iter().map(|u| u.wall)).as_secs_f64();
    let min = runs.iter().map(|u| u.wall).min().unwrap_or_default();
    let max = runs.iter().map(|u| u.wall).max().unwrap_or_default();
    let mut out = if runs.len() > 1 {
        format!(
            "{} ({}–{})",
            seconds(wall),
            seconds(min.as_secs_f64()),
            seconds(max.as_secs_f64())
        )
    } else {
        seconds(wall)
    };
    let cpus: Vec<Duration> = runs.iter().filter_map(|u| u.cpu).collect();
    if !cpus.is_empty() {
        let _ = write!(
            out,
            ", CPU {}",
            seconds(median_duration(cpus.into_iter()).as_secs_f64())
        );
    }
    if let Some(rss) = median_u64(runs.iter().filter_map(|u| u.peak_rss)) {
        let _ = write!(out, ", {}", bytes(rss));
    }
    out
}

fn seconds(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

fn bytes(b: u64) -> String {
    if b >= 1_000_000_000 {
        format!("{:.2} GB", b as f64 / 1e9)
    } else {
        format!("{:.0} MB", b as f64 / 1e6)
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn median_duration(values: impl Iterator<Item = Duration>) -> Duration {
    let mut v: Vec<Duration> = values.collect();
    v.sort();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

fn median_u64(values: impl Iterator<Item = u64>) -> Option<u64> {
    let mut v: Vec<u64> = values.collect();
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

/// "538 operations, 885 models" from the generator's summary line.
fn counts(summary: &str) -> Option<(usize, usize)> {
    let line = summary.lines().find(|l| l.starts_with("codegen: "))?;
    let number_before = |word: &str| -> Option<usize> {
        let at = line.find(word)?;
        line[..at].split_whitespace().last()?.parse().ok()
    };
    Some((number_before(" operations")?, number_before(" models")?))
}

/// Lines of every file under `dir`.
fn count_lines(dir: &Path) -> Result<usize, String> {
    let mut lines = 0;
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            lines += count_lines(&path)?;
        } else {
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            lines += text.lines().count();
        }
    }
    Ok(lines)
}

/// The last lines of a command's output, for an error.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| figure | before | now | target | holds | command |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for row in rows {
        let holds = match row.holds {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "–",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.figure, row.before, row.now, row.target, holds, row.command
        );
    }
    out
}

/// Replaces the block between the markers in `BENCHMARKS.md`; without the markers, adds the
/// section before the first section of the file.
fn write_block(path: &Path, block: &str) -> Result<(), String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let updated = match (text.find(START), text.find(END)) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{block}{}", &text[..start], &text[end + END.len()..])
        }
        (None, None) => {
            let at = text.find("\n## ").map(|i| i + 1).unwrap_or(text.len());
            format!(
                "{}{SECTION}\n\n{block}\n\n{}",
                &text[..at],
                &text[at..]
            )
        }
        _ => {
            return Err(format!(
                "{} has one bench marker without the other; fix it by hand",
                path.display()
            ));
        }
    };
    fs::write(path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The machine and the moment, for the reader to judge the noise.
struct Machine {
    date: String,
    rustc: String,
    cores: usize,
    cpu: Option<String>,
    load: String,
}

impl Machine {
    fn now() -> Machine {
        let rustc = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
            .arg("-V")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|| "rustc (unknown)".into());
        let cpu = fs::read_to_string("/proc/cpuinfo").ok().and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        });
        Machine {
            date: utc_date(SystemTime::now()),
            rustc,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
            load: Machine::load_average(),
        }
    }

    /// The 1, 5 and 15 minute load averages.
    fn load_average() -> String {
        fs::read_to_string("/proc/loadavg")
            .ok()
            .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| "unknown".into())
    }

    fn describe_without_load(&self) -> String {
        format!(
            "{}, {} cores{}, {}",
            std::env::consts::OS,
            self.cores,
            self.cpu
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            self.rustc
        )
    }

    fn describe(&self) -> String {
        format!(
            "{} {}; load average {}",
            self.date,
            self.describe_without_load(),
            self.load
        )
    }
}

/// `YYYY-MM-DD` (UTC) of a moment.
fn utc_date(at: SystemTime) -> String {
    let days = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let day = |d: u64| utc_date(SystemTime::UNIX_EPOCH + Duration::from_secs(d * 86_400));
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(11_016), "2000-02-29");
        assert_eq!(day(20_424), "2025-12-02");
    }

    #[test]
    fn generator_summary() {
        let line = "codegen: x.json: 538 operations, 885 models, 249 aliases; 8 of 8 files written";
        assert_eq!(counts(line), Some((538, 885)));
    }

    #[test]
    fn bench_figures() {
        let out = "table\nfigure search typed_us=10.50 typed_ratio=1.0400 rounds=7\n";
        let f = figures(out, "search").unwrap();
        assert_eq!(f["typed_us"], 10.5);
        assert_eq!(f["rounds"], 7.0);
        assert!(figures(out, "get").is_none());
    }

    #[test]
    fn block_replaced_or_added() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("BENCHMARKS.md");
        fs::write(&path, "# B\n\nintro\n\n## Other\n\ntext\n").unwrap();
        write_block(&path, &format!("{START}\none\n{END}")).unwrap();
        let once = fs::read_to_string(&path).unwrap();
        assert!(once.starts_with(&format!("# B\n\nintro\n\n{SECTION}\n\n{START}\none\n{END}")));
        assert!(once.ends_with("## Other\n\ntext\n"));
        write_block(&path, &format!("{START}\ntwo\n{END}")).unwrap();
        let twice = fs::read_to_string(&path).unwrap();
        assert_eq!(twice, once.replace("\none\n", "\ntwo\n"));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(98_055), "98,055");
        assert_eq!(thousands(538), "538");
        assert_eq!(bytes(1_790_000_000), "1.79 GB");
    }
}
