//! `falcon-ioc sync` and `falcon-ioc export`: a thin face on the `ioc-sync` crate. Flags in,
//! a feed file read, the engine run, a progress bar on a terminal, a one-line summary, a
//! report file, and an exit code that says whether the source now holds the feed.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use indicatif::{ProgressBar, ProgressStyle};
use ioc_sync::feed::{self, Format};
use ioc_sync::{Defaults, Expiration, Progress, Report, Sync, SyncError};

use crate::config;
use crate::exit::Failure;

/// Exit code: the run finished but the source does not hold the feed exactly (rows skipped or
/// failed; in a dry run, changes pending).
pub const INEXACT: u8 = 20;
/// Exit code: the plan deletes more than `--max-deletes`; nothing was written.
pub const TOO_MANY_DELETES: u8 = 21;
/// Exit code: the feed could not be read (missing file, bad header, not a STIX bundle).
pub const BAD_FEED: u8 = 22;

mod id {
    pub const FEED: &str = "feed";
    pub const SOURCE: &str = "source";
    pub const FEED_FORMAT: &str = "format";
    pub const KEEP_MISSING: &str = "keep-missing";
    pub const MAX_DELETES: &str = "max-deletes";
    pub const ACTION: &str = "action";
    pub const SEVERITY: &str = "severity";
    pub const PLATFORMS: &str = "platforms";
    pub const EXPIRATION: &str = "expiration";
    pub const TAG: &str = "tag";
    pub const REPORT: &str = "report";
    pub const IN_FLIGHT: &str = "in-flight";
    pub const COMMENT: &str = "comment";
    pub const OUTPUT: &str = "output";
}

fn source_arg() -> Arg {
    Arg::new(id::SOURCE)
        .long(id::SOURCE)
        .value_name("NAME")
        .required(true)
        .help("The indicators' `source`: the sync manages exactly the indicators of this source")
}

/// The `sync` subcommand.
pub fn sync_command() -> Command {
    Command::new(crate::cmd::SYNC)
        .about("Make the indicators of one source exactly a feed (CSV, JSON Lines, STIX 2.1)")
        .long_about(
            "Make the indicators whose `source` is NAME exactly the feed: read the feed and what \
             the source holds (paged), then create what is new, update the fields that changed \
             and delete what the feed no longer has, in batches with several requests in flight. \
             Identity is (type, value). Bad rows are skipped and reported with their row number \
             and reason; indicators of other sources are never touched. Stopped at any point and \
             run again, it ends with the source equal to the feed.\n\n\
             Feed fields: type and value (required), action, severity, platforms, expiration, \
             description, tags, host_groups, applied_globally, mobile_action, filename; lists \
             are `;`-separated in CSV. applied_globally defaults to true when a row names no \
             host group.\n\n\
             --dry-run prints the plan and sends only reads. Exit 0 only when the source now \
             holds the feed exactly; 20 when rows were skipped or failed (or, in a dry run, \
             changes are pending); 21 when --max-deletes refused the plan; 22 when the feed \
             cannot be read.",
        )
        .arg(
            Arg::new(id::FEED)
                .required(true)
                .value_name("FEED")
                .value_parser(value_parser!(PathBuf))
                .help("The feed file (`-` for stdin)"),
        )
        .arg(source_arg())
        .arg(
            Arg::new(id::FEED_FORMAT)
                .long("format")
                .value_name("FORMAT")
                .value_parser(["csv", "jsonl", "stix"])
                .help("The feed's format [default: by extension: .csv, .jsonl/.ndjson, .json = STIX]"),
        )
        .arg(
            Arg::new(id::KEEP_MISSING)
                .long(id::KEEP_MISSING)
                .action(ArgAction::SetTrue)
                .help("Keep the indicators of the source that the feed no longer has"),
        )
        .arg(
            Arg::new(id::MAX_DELETES)
                .long(id::MAX_DELETES)
                .value_name("N")
                .value_parser(value_parser!(usize))
                .help("Refuse (exit 21, nothing written) a plan that deletes more than N"),
        )
        .arg(
            Arg::new(id::ACTION)
                .long(id::ACTION)
                .value_name("ACTION")
                .help("Action of rows without one: detect, prevent, prevent_no_ui, allow, no_action"),
        )
        .arg(
            Arg::new(id::SEVERITY)
                .long(id::SEVERITY)
                .value_name("SEVERITY")
                .help("Severity of rows without one: informational, low, medium, high, critical"),
        )
        .arg(
            Arg::new(id::PLATFORMS)
                .long(id::PLATFORMS)
                .value_name("LIST")
                .value_delimiter(',')
                .action(ArgAction::Append)
                .help("Platforms of rows without them: windows, mac, linux, ios, android (comma-separated)"),
        )
        .arg(
            Arg::new(id::EXPIRATION)
                .long(id::EXPIRATION)
                .value_name("DATE|Nd")
                .help("Expiration of rows without one: a date (2027-01-31), an RFC 3339 date-time, or `30d` (midnight UTC 30 days from the day of the run)"),
        )
        .arg(
            Arg::new(id::TAG)
                .long(id::TAG)
                .value_name("TAG")
                .action(ArgAction::Append)
                .help("Tags of rows without them (repeat for several)"),
        )
        .arg(
            Arg::new(id::REPORT)
                .long(id::REPORT)
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help("Write one JSON line per feed row (row, type, value, outcome, reason), then one per deletion"),
        )
        .arg(
            Arg::new(id::IN_FLIGHT)
                .long(id::IN_FLIGHT)
                .value_name("N")
                .value_parser(value_parser!(u16).range(1..=64))
                .default_value("4")
                .help("Write requests in flight together (429s are waited out)"),
        )
        .arg(
            Arg::new(id::COMMENT)
                .long(id::COMMENT)
                .value_name("TEXT")
                .help("Audit comment sent with every create and update"),
        )
}

/// The `export` subcommand.
pub fn export_command() -> Command {
    Command::new(crate::cmd::EXPORT)
        .about("Write the indicators of one source as a feed (CSV or JSON Lines)")
        .long_about(
            "Write the indicators whose `source` is NAME as a feed, sorted by type and value: \
             syncing that file to the same source changes nothing.",
        )
        .arg(source_arg())
        .arg(
            Arg::new(id::FEED_FORMAT)
                .long("format")
                .value_name("FORMAT")
                .value_parser(["csv", "jsonl"])
                .help("The feed format [default: csv]"),
        )
        .arg(
            Arg::new(id::OUTPUT)
                .long(id::OUTPUT)
                .short('o')
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help("Write to FILE instead of stdout"),
        )
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Other(format!("cannot start the async runtime: {e}")))
}

fn sync_failure(e: SyncError) -> Failure {
    match e {
        SyncError::Api(e) => Failure::Runtime(e),
        SyncError::Config(m) => Failure::Usage(m),
        e @ SyncError::Feed(_) => Failure::Exit(BAD_FEED, e.to_string()),
        e @ SyncError::TooManyDeletes { .. } => Failure::Exit(TOO_MANY_DELETES, e.to_string()),
    }
}

/// The progress bar, on a terminal only.
struct Bar(Option<ProgressBar>);

impl Progress for Bar {
    fn reading(&mut self, n: usize) {
        if let Some(bar) = &self.0 {
            bar.set_message(format!("read {n} indicators of the source"));
            bar.tick();
        }
    }
    fn planned(&mut self, writes: usize) {
        if let Some(bar) = &self.0 {
            bar.set_length(writes as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} rows written ({eta} left)")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
        }
    }
    fn wrote(&mut self, n: usize) {
        if let Some(bar) = &self.0 {
            bar.inc(n as u64);
        }
    }
}

/// `--format` of `sync` and `export`. Their `--format` shares its id with the global one (which
/// prints replies), so clap hands them the global default, `auto`, when none is given.
fn feed_format(m: &ArgMatches) -> Option<Format> {
    m.get_one::<String>(id::FEED_FORMAT)
        .and_then(|f| Format::from_name(f))
}

fn open_feed(path: &Path) -> Result<Box<dyn Read + Send>, Failure> {
    if path == Path::new("-") {
        return Ok(Box::new(io::stdin()));
    }
    File::open(path)
        .map(|f| Box::new(io::BufReader::with_capacity(1 << 16, f)) as Box<dyn Read + Send>)
        .map_err(|e| {
            Failure::Exit(
                BAD_FEED,
                format!(
                    "cannot open the feed {}: {e}; check the path (or give - for stdin)",
                    path.display()
                ),
            )
        })
}

fn defaults(m: &ArgMatches) -> Result<Defaults, Failure> {
    let expiration = m
        .get_one::<String>(id::EXPIRATION)
        .map(|e| Expiration::parse(e))
        .transpose()
        .map_err(Failure::Usage)?;
    Ok(Defaults {
        action: m.get_one::<String>(id::ACTION).cloned(),
        severity: m.get_one::<String>(id::SEVERITY).cloned(),
        platforms: m
            .get_many::<String>(id::PLATFORMS)
            .map(|p| p.cloned().collect()),
        expiration,
        tags: m.get_many::<String>(id::TAG).map(|t| t.cloned().collect()),
    })
}

/// Runs `sync`.
pub fn sync(m: &ArgMatches) -> Result<(), Failure> {
    let path = m.get_one::<PathBuf>(id::FEED).expect("clap requires FEED");
    let source = m
        .get_one::<String>(id::SOURCE)
        .expect("clap requires --source");
    let format = match feed_format(m) {
        Some(f) => f,
        None => Format::from_path(path).ok_or_else(|| {
            Failure::Usage(format!(
                "cannot tell the format of {} from its extension: give --format csv, jsonl or stix",
                path.display()
            ))
        })?,
    };
    let defaults = defaults(m)?;
    let dry_run = m.get_flag(crate::opt::DRY_RUN);
    // Reads are sent even in a dry run, so it logs in.
    let client = ioc_client::Client::from(config::client(m, false)?);
    let reader = open_feed(path)?;
    let report_file = m
        .get_one::<PathBuf>(id::REPORT)
        .map(|p| {
            File::create(p).map(BufWriter::new).map_err(|e| {
                Failure::Usage(format!(
                    "cannot create the report file {}: {e}",
                    p.display()
                ))
            })
        })
        .transpose()?;
    let engine = Sync::new(&client, source.clone())
        .defaults(defaults)
        .keep_missing(m.get_flag(id::KEEP_MISSING))
        .max_deletes(m.get_one::<usize>(id::MAX_DELETES).copied())
        .dry_run(dry_run)
        .in_flight(usize::from(*m.get_one::<u16>(id::IN_FLIGHT).unwrap_or(&4)))
        .comment(m.get_one::<String>(id::COMMENT).cloned());
    let mut bar = Bar(io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_message("reading the source");
        bar
    }));
    let report = runtime()?.block_on(engine.run(feed::read(reader, format), &mut bar));
    if let Some(bar) = &bar.0 {
        bar.finish_and_clear();
    }
    let report = report.map_err(sync_failure)?;
    if let Some(mut file) = report_file {
        write_report(&report, &mut file).map_err(Failure::Output)?;
    }
    print_skips(&report);
    let what = if dry_run { "dry run, would be: " } else { "" };
    let kept = if report.kept > 0 {
        format!(" ({} kept: --keep-missing)", report.kept)
    } else {
        String::new()
    };
    println!("{source}: {what}{}{kept}", report.summary);
    if report.exact() {
        Ok(())
    } else {
        let why = if dry_run && report.summary.skipped + report.summary.failed == 0 {
            "changes are pending (dry run: nothing was written)".to_string()
        } else {
            format!(
                "the source does not hold the feed exactly: {} rows skipped, {} failed{}",
                report.summary.skipped,
                report.summary.failed,
                if m.contains_id(id::REPORT) {
                    " (see the report)"
                } else {
                    " (--report FILE lists every row)"
                }
            )
        };
        Err(Failure::Exit(INEXACT, why))
    }
}

/// The skipped and failed rows on stderr: the first 20, then how many more.
fn print_skips(report: &Report) {
    let bad = report
        .rows
        .iter()
        .filter(|r| r.reason.is_some() && r.row.is_some());
    let mut stderr = io::stderr().lock();
    for (i, r) in bad.enumerate() {
        if i == 20 {
            let _ = writeln!(stderr, "  ... (--report FILE lists every row)");
            break;
        }
        let _ = writeln!(
            stderr,
            "row {}: {} {} {}: {}",
            r.row.unwrap_or(0),
            r.outcome.as_str(),
            r.kind,
            r.value,
            r.reason.as_deref().unwrap_or("")
        );
    }
}

fn write_report(report: &Report, out: &mut impl Write) -> io::Result<()> {
    for row in &report.rows {
        serde_json::to_writer(&mut *out, &row.to_json())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Runs `export`.
pub fn export(m: &ArgMatches) -> Result<(), Failure> {
    let source = m
        .get_one::<String>(id::SOURCE)
        .expect("clap requires --source");
    let format = feed_format(m).unwrap_or(Format::Csv);
    let client = ioc_client::Client::from(config::client(m, false)?);
    let rows = runtime()?
        .block_on(ioc_sync::export(&client, source))
        .map_err(sync_failure)?;
    let out: Box<dyn Write> = match m.get_one::<PathBuf>(id::OUTPUT) {
        Some(p) => Box::new(BufWriter::new(File::create(p).map_err(|e| {
            Failure::Usage(format!("cannot create {}: {e}", p.display()))
        })?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    match feed::write(rows, format, out) {
        Ok(()) => Ok(()),
        Err(e) if e.0.contains("Broken pipe") => Ok(()),
        Err(e) => Err(Failure::Other(e.0)),
    }
}
