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

mod app;
mod args;
mod config;
mod exit;
pub mod help;
mod output;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::process::ExitCode;

use clap::ArgMatches;
use falcon_runtime::operation::Operation;

pub use app::{BIN, opt};
pub use exit::api_code;

use crate::app::cmd;
use crate::exit::Failure;
use crate::output::Format;

/// Runs the command line on `std::env::args_os()` and returns the exit code.
pub fn main(table: &'static [&'static Operation], api: &'static help::Api) -> ExitCode {
    run(table, api, std::env::args_os())
}

/// Runs the command line on `argv` (the program name first).
pub fn run(
    table: &'static [&'static Operation],
    api: &'static help::Api,
    argv: impl IntoIterator<Item = impl Into<OsString> + Clone>,
) -> ExitCode {
    let app = app::build(table, api);
    let matches = match app.command.clone().try_get_matches_from(argv) {
        Ok(matches) => matches,
        Err(e) => {
            // Help and version go to stdout with code 0; usage errors to stderr with code 2.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let Some((name, sub)) = matches.subcommand() else {
        return ExitCode::from(2);
    };
    let result = match name {
        cmd::COMPLETIONS => completions(app.command, sub),
        cmd::MAN => man(app.command),
        _ => match app.operations.iter().find(|(n, _)| n == name) {
            Some((_, row)) => call(table, row, sub),
            None => Err(Failure::Usage(format!("unknown command `{name}`"))),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// One operation: arguments → a dry run, one call, or every page.
fn call(
    table: &'static [&'static Operation],
    row: &'static Operation,
    matches: &ArgMatches,
) -> Result<(), Failure> {
    let dry_run = matches.get_flag(opt::DRY_RUN);
    let format = Format::from_flag(
        matches
            .get_one::<String>(opt::FORMAT)
            .map_or("auto", String::as_str),
    );
    if matches.get_flag(opt::VERBOSE) {
        config::trace();
    }
    let args = args::command_args(row, matches)?;
    let all = matches
        .try_get_one::<bool>(opt::ALL)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false);
    let client = config::client(matches, dry_run)?;
    let id = row.id();
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
            output::print(&reply.body, format)
        }
    })
}

fn completions(mut command: clap::Command, matches: &ArgMatches) -> Result<(), Failure> {
    let shell = *matches
        .get_one::<clap_complete::Shell>("shell")
        .expect("clap requires the shell");
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut command, BIN, &mut out);
    Ok(())
}

fn man(command: clap::Command) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match clap_mangen::Man::new(command).render(&mut out) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Output(e)),
        _ => Ok(()),
    }
}
