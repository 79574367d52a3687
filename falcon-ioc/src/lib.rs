//! `falcon-ioc`: a command-line client driven by a generated operation table.
//!
//! The command line is built at run time from two generated inputs: the client's operation
//! table (`ioc_client::table::OPERATIONS`: method, path, parameters with their locations and
//! types, body, paging) and the sidecar `cargo xtask codegen` writes next to this crate's
//! sources (`src/generated/help.rs`, in the vocabulary of [`help`]: the names the generator
//! chose, and the spec's words). A regenerated table and sidecar give new subcommands with no
//! code here: nothing in this crate names an operation.
//!
//! Calls go through the runtime's `command()` family with JSON arguments, so the checks and the
//! encoding are the ones every client uses: `Client::command` sends, `command_pages` follows
//! pagination for `--all`, `preview_command` renders `--dry-run`.
//!
//! The binary is `src/main.rs`; [`run`] is the whole program for any table and sidecar.
//! The library is published with the binary and serves it and its tests; a program that
//! calls the API depends on `ioc-client` instead.

mod app;
mod args;
mod config;
mod exit;
pub mod help;
mod output;
mod suggest;
mod sync;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::process::ExitCode;

use clap::ArgMatches;
use falcon_runtime::Failures;
use falcon_runtime::operation::Operation;

pub use app::{BIN, cmd, opt};
pub use exit::{Failure, api_code};

use crate::output::Format;
use serde_json::Value;

/// Runs the command line on `std::env::args_os()` and returns the exit code.
pub fn main(table: &'static [&'static Operation], api: &'static help::Api) -> ExitCode {
    run(table, api, std::env::args_os())
}

/// The whole command line: global options, one subcommand per table row, `completions`, `man`.
pub fn command(table: &'static [&'static Operation], api: &'static help::Api) -> clap::Command {
    app::build(table, api).command
}

/// What a command line asks for.
#[derive(Debug)]
pub enum Parsed {
    /// Call an operation.
    Call(Invocation),
    /// Print a completion script.
    Completions(clap_complete::Shell),
    /// Print the man page.
    Man,
    /// `sync`: make a source's indicators a feed.
    Sync(ArgMatches),
    /// `export`: write a source's indicators as a feed.
    Export(ArgMatches),
}

/// One operation call, ready to send.
#[derive(Debug)]
pub struct Invocation {
    /// The table row.
    pub operation: &'static Operation,
    /// The arguments, as `command()` takes them.
    pub args: Value,
    /// Follow the pages (`--all`).
    pub all: bool,
    /// Show the request instead of sending it (`--dry-run`).
    pub dry_run: bool,
    /// Trace the calls on stderr (`--verbose`).
    pub verbose: bool,
    /// `--format`: `auto`, `pretty` or `compact`.
    pub format: String,
    matches: ArgMatches,
}

/// Parses `argv` (the program name first). Help, version and usage errors are a clap error
/// (print it with `e.print()`, exit with `e.exit_code()`); an unreadable `--body` or `--file`
/// is a [`Failure`] with code 2. Nothing is sent.
pub fn parse(
    table: &'static [&'static Operation],
    api: &'static help::Api,
    argv: impl IntoIterator<Item = impl Into<OsString> + Clone>,
) -> Result<Result<Parsed, Failure>, clap::Error> {
    let mut app = app::build(table, api);
    let argv: Vec<OsString> = argv.into_iter().map(Into::into).collect();
    let matches = app
        .command
        .try_get_matches_from_mut(&argv)
        .map_err(|e| suggest::rewrite(e, &app.command, &argv))?;
    let Some((name, sub)) = matches.subcommand() else {
        return Ok(Err(Failure::Usage("no command given".into())));
    };
    Ok(match name {
        cmd::COMPLETIONS => Ok(Parsed::Completions(
            *sub.get_one::<clap_complete::Shell>("shell")
                .expect("clap requires the shell"),
        )),
        cmd::MAN => Ok(Parsed::Man),
        cmd::SYNC => Ok(Parsed::Sync(sub.clone())),
        cmd::EXPORT => Ok(Parsed::Export(sub.clone())),
        _ => match app.operations.iter().find(|(n, _)| n == name) {
            Some((_, row)) => invocation(name, row, sub).map(Parsed::Call),
            None => Err(Failure::Usage(format!("unknown command `{name}`"))),
        },
    })
}

fn invocation(
    name: &str,
    row: &'static Operation,
    matches: &ArgMatches,
) -> Result<Invocation, Failure> {
    Ok(Invocation {
        operation: row,
        args: args::command_args(name, row, matches)?,
        all: matches
            .try_get_one::<bool>(opt::ALL)
            .ok()
            .flatten()
            .copied()
            .unwrap_or(false),
        dry_run: matches.get_flag(opt::DRY_RUN),
        verbose: matches.get_flag(opt::VERBOSE),
        format: matches
            .get_one::<String>(opt::FORMAT)
            .cloned()
            .unwrap_or_else(|| "auto".into()),
        matches: matches.clone(),
    })
}

/// Runs the command line on `argv` (the program name first).
pub fn run(
    table: &'static [&'static Operation],
    api: &'static help::Api,
    argv: impl IntoIterator<Item = impl Into<OsString> + Clone>,
) -> ExitCode {
    let parsed = match parse(table, api, argv) {
        Ok(parsed) => parsed,
        Err(e) => {
            // Help and version go to stdout with code 0; usage errors to stderr with code 2.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let result = parsed.and_then(|parsed| match parsed {
        Parsed::Call(invocation) => call(table, invocation),
        Parsed::Completions(shell) => {
            // clap_complete panics when its writer fails, so the script is made in memory and
            // written here, where a closed pipe (`| head`) is a normal end, as for `man`.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command(table, api), BIN, &mut script);
            to_stdout(std::io::Write::write_all(
                &mut std::io::stdout().lock(),
                &script,
            ))
        }
        Parsed::Man => to_stdout(
            clap_mangen::Man::new(command(table, api)).render(&mut std::io::stdout().lock()),
        ),
        Parsed::Sync(matches) => {
            trace_if_verbose(&matches);
            sync::sync(&matches)
        }
        Parsed::Export(matches) => {
            trace_if_verbose(&matches);
            sync::export(&matches)
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn trace_if_verbose(matches: &ArgMatches) {
    if matches.get_flag(opt::VERBOSE) {
        config::trace();
    }
}

/// The end of writing a document to stdout: a reader that went away is not a failure.
fn to_stdout(written: std::io::Result<()>) -> Result<(), Failure> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Output(e)),
        _ => Ok(()),
    }
}

/// One operation: a dry run, one call, or every page.
fn call(table: &'static [&'static Operation], invocation: Invocation) -> Result<(), Failure> {
    let Invocation {
        operation,
        args,
        all,
        dry_run,
        verbose,
        format,
        matches,
    } = invocation;
    if verbose {
        config::trace();
    }
    let format = Format::from_flag(&format);
    let client = config::client(&matches, dry_run)?;
    let id = operation.id();
    if dry_run {
        let preview = client.preview_command(table, id, args)?;
        return output::preview(&preview, &config::user_agent(), format);
    }
    tracing::debug!(target: "falcon_ioc", operation = id, base_url = %client.base_url(), all, "calling");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Other(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        if all {
            let progress = std::io::stderr().is_terminal();
            output::print_items(client.command_pages(table, id, args), progress).await
        } else {
            let reply = client.command(table, id, args).await?;
            output::print(&reply.body, format)?;
            // A batch that partly failed is a 2xx whose `errors` name what failed: not a
            // success for a script checking `$?`.
            let failed = reply.failures();
            if failed.is_empty() {
                return Ok(());
            }
            Err(Failure::Rows {
                operation: id.to_string(),
                status: reply.status,
                entries: failed.into_owned(),
            })
        }
    })
}
