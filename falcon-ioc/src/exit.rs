//! How a run ends: the exit code of each kind of failure, and what goes to stderr. The table of
//! codes is printed by `falcon-ioc --help` (`app::EXIT_CODES`) and in the README.

use std::process::ExitCode;

use falcon_runtime::{ApiErrorEntry, Error, ErrorKind};

use crate::app::BIN;

/// Why a run failed.
#[derive(Debug)]
pub enum Failure {
    /// Bad arguments found by the CLI itself (an unreadable `--body`, say). Nothing was sent.
    Usage(String),
    /// What the runtime reported.
    Runtime(Error),
    /// The output could not be written.
    Output(std::io::Error),
    /// Anything else (the async runtime could not start, say).
    Other(String),
    /// The service answered with success, but its `errors` name rows (or ids) that failed: a
    /// batch that partly went through. The reply was printed; the entries go to stderr.
    Rows {
        operation: String,
        status: u16,
        entries: Vec<ApiErrorEntry>,
    },
    /// A failure with a code of its own (`sync`'s 20, 21, 22), and its message.
    Exit(u8, String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Runtime(e)
    }
}

impl Failure {
    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Output(_) | Failure::Other(_) => 1,
            Failure::Rows { .. } => 8,
            Failure::Exit(code, _) => *code,
            Failure::Runtime(e) => match e.kind() {
                ErrorKind::InvalidArgument | ErrorKind::UnknownOperation => 2,
                ErrorKind::Config => 3,
                ErrorKind::Auth => 4,
                ErrorKind::Transport => 5,
                ErrorKind::Decode => 6,
                ErrorKind::ReplyTooLarge => 7,
                ErrorKind::Api => api_code(e.status().unwrap_or(0)),
                // A kind added to the runtime later.
                _ => 1,
            },
        }
    }

    /// Writes the failure to stderr: one line, then the service's messages one per line.
    pub fn report(&self) -> ExitCode {
        eprintln!("error: {}", self.headline());
        let entries: &[ApiErrorEntry] = match self {
            // An API error, also one that stopped `--all` mid-walk (`Error::Paging`).
            Failure::Runtime(e) => e.as_api().map_or(&[][..], |api| &api.errors),
            Failure::Rows { entries, .. } => entries,
            _ => &[],
        };
        for entry in entries {
            let code = entry
                .code
                .as_deref()
                .map(|c| format!("{c}: "))
                .unwrap_or_default();
            let id = entry
                .id
                .as_deref()
                .map(|i| format!(" (id {i})"))
                .unwrap_or_default();
            eprintln!("  {code}{}{id}", entry.message);
        }
        ExitCode::from(self.code())
    }

    fn headline(&self) -> String {
        match self {
            Failure::Usage(message) => message.clone(),
            Failure::Output(e) => format!("cannot write the output: {e}"),
            Failure::Other(message) | Failure::Exit(_, message) => message.clone(),
            Failure::Rows {
                operation,
                status,
                entries,
            } => format!(
                "`{operation}` answered HTTP {status}, but {} of what it was sent failed (the \
                 reply is on stdout); correct those and send them again",
                match entries.len() {
                    1 => "one entry".to_string(),
                    n => format!("{n} entries"),
                }
            ),
            Failure::Runtime(e) if e.as_api().is_some() => {
                let api = e.as_api().expect("checked");
                let trace = api
                    .trace_id
                    .as_deref()
                    .map(|t| format!(" [trace id {t}]"))
                    .unwrap_or_default();
                let detail = match (api.errors.is_empty(), &api.raw_body) {
                    (true, Some(raw)) => {
                        format!(": {}", raw.chars().take(200).collect::<String>())
                    }
                    _ => String::new(),
                };
                // `--all` stopped mid-walk: where to go on from (`--after TOKEN`, `--offset N`).
                let resume = e
                    .resume()
                    .filter(|r| r.progressed())
                    .map(|r| format!("; {r} (flag --after or --offset)"))
                    .unwrap_or_default();
                // A request the service refused: the operation's help shows its parameters
                // and an example body (an override, `METHOD /path`, has no help).
                let help = match api.status {
                    400 | 422 if !api.operation.contains(' ') => {
                        format!(" (`{BIN} help {}` describes it)", api.operation)
                    }
                    _ => String::new(),
                };
                format!(
                    "`{}` failed with HTTP {}{detail}{trace}{}; {}{help}{resume}",
                    api.operation,
                    api.status,
                    api.attempts,
                    api.advice()
                )
            }
            Failure::Runtime(e) => e.to_string(),
        }
    }
}

/// The exit code of an API error's status.
pub fn api_code(status: u16) -> u8 {
    match status {
        400 => 10,
        401 | 403 => 11,
        404 => 12,
        409 => 13,
        429 => 14,
        s if (400..500).contains(&s) => 15,
        s if (500..600).contains(&s) => 16,
        _ => 17,
    }
}
