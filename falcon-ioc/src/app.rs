//! The clap command, built at run time from the operation table and the generated sidecar: one
//! subcommand per table row, one flag per parameter typed as the row says. No code here knows
//! any particular operation.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, PossibleValuesParser, StringValueParser, TypedValueParser};
use clap::{Arg, ArgAction, Command, value_parser};
use falcon_runtime::operation::{Kind, Operation, Paging, Scalar};

use crate::help;

/// The binary's name, as completions and the man page spell it.
pub const BIN: &str = "falcon-ioc";

/// Ids (and long flags) of the options every subcommand has. The sidecar's `reserved_flags`
/// lists the flags, so no parameter takes one (checked by the tests).
pub mod opt {
    pub const BASE_URL: &str = "base-url";
    pub const CLOUD: &str = "cloud";
    pub const MEMBER_CID: &str = "member-cid";
    pub const DRY_RUN: &str = "dry-run";
    pub const VERBOSE: &str = "verbose";
    pub const FORMAT: &str = "format";
    pub const BODY: &str = "body";
    pub const FILE: &str = "file";
    pub const ALL: &str = "all";
    pub const PARAM: &str = "param";
    /// Every long flag above, and clap's `--help`.
    pub const ALL_FLAGS: [&str; 11] = [
        BASE_URL, CLOUD, MEMBER_CID, DRY_RUN, VERBOSE, FORMAT, BODY, FILE, ALL, PARAM, "help",
    ];
}

/// The CLI's own subcommands besides `help` (the sidecar's `reserved_commands`).
pub mod cmd {
    pub const COMPLETIONS: &str = "completions";
    pub const MAN: &str = "man";
    /// Keep a source's indicators equal to a feed (`crate::sync`).
    pub const SYNC: &str = "sync";
    /// Write a source's indicators as a feed.
    pub const EXPORT: &str = "export";
    /// Every subcommand above, and clap's `help`.
    pub const ALL: [&str; 5] = [COMPLETIONS, MAN, SYNC, EXPORT, "help"];
}

/// Cloud names `--cloud` takes.
const CLOUDS: [&str; 7] = [
    "auto", "us-1", "us-2", "us-3", "eu-1", "us-gov-1", "us-gov-2",
];

/// The arg id of a parameter: its wire name, in a namespace of its own so no parameter can
/// collide with an option.
pub fn param_id(name: &str) -> String {
    format!("param:{name}")
}

/// The whole command line, and which table row each subcommand sends.
pub struct App {
    pub command: Command,
    pub operations: Vec<(String, &'static Operation)>,
}

const EXIT_CODES: &str = "\
Exit codes:
  0   success
  1   anything else (the output could not be written)
  2   bad arguments: unknown flag, missing or malformed value, unreadable --body or --file
  3   configuration: missing FALCON_CLIENT_ID or FALCON_CLIENT_SECRET, bad cloud
  4   authentication: the token request was refused
  5   transport: no reply (connection refused, TLS, timeout), the login's included
  6   the reply could not be read as JSON
  7   the reply was larger than the reply size cap
  8   the service answered with success, but its `errors` name rows that failed (a batch
      that partly went through); the reply is on stdout, the errors on stderr
  10  the service refused the request: HTTP 400
  11  HTTP 401 or 403: not allowed (missing API scope)
  12  HTTP 404: not found
  13  HTTP 409: conflict
  14  HTTP 429: rate limited, after the retries
  15  another 4xx status
  16  a 5xx status, after the retries
  17  any other status
  20  sync: the source does not hold the feed exactly (rows skipped or failed; with
      --dry-run, changes pending); the summary and --report say which
  21  sync: the plan deletes more than --max-deletes; nothing was written
  22  sync: the feed cannot be read (missing file, bad CSV header, not a STIX bundle)";

const ENVIRONMENT: &str = "\
Environment:
  FALCON_CLIENT_ID      the API client's id
  FALCON_CLIENT_SECRET  its secret (only ever read from the environment, never printed)
  FALCON_CLOUD          a cloud name or a base URL (default: auto, found at login)
  FALCON_MEMBER_CID     a child tenant to act in (MSSP)";

pub fn build(table: &'static [&'static Operation], api: &'static help::Api) -> App {
    let mut operations = Vec::new();
    let mut subcommands = Vec::new();
    for row in table {
        let entry = api.operation(row.id());
        let command = operation_command(row, entry);
        operations.push((command.get_name().to_string(), *row));
        subcommands.push(command);
    }
    subcommands.sort_by(|a, b| a.get_name().cmp(b.get_name()));
    let command = Command::new(BIN)
        .version(env!("CARGO_PKG_VERSION"))
        .about(format!(
            "Command-line client for the {}: one subcommand per operation.",
            api.title
        ))
        .long_about(format!(
            "Command-line client for the {}: one subcommand per operation, one flag per \
             parameter. The reply's JSON goes to stdout (pretty on a terminal, compact \
             otherwise); errors and the service's messages go to stderr.",
            api.title
        ))
        .after_help("`falcon-ioc help <COMMAND>` or `<COMMAND> --help` describes an operation.")
        .after_long_help(format!("{ENVIRONMENT}\n\n{EXIT_CODES}"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .max_term_width(100)
        .args(global_args())
        .subcommands(subcommands)
        .subcommand(crate::sync::sync_command())
        .subcommand(crate::sync::export_command())
        .subcommand(
            Command::new(cmd::COMPLETIONS)
                .about("Print a shell completion script (bash, zsh, fish, elvish, powershell)")
                .long_about(
                    "Print a shell completion script to stdout, for example:\n  \
                     falcon-ioc completions bash > ~/.local/share/bash-completion/completions/falcon-ioc\n  \
                     falcon-ioc completions zsh > ~/.zfunc/_falcon-ioc\n  \
                     falcon-ioc completions fish > ~/.config/fish/completions/falcon-ioc.fish",
                )
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(value_parser!(clap_complete::Shell)),
                ),
        )
        .subcommand(
            Command::new(cmd::MAN).about("Print the man page (roff) to stdout").long_about(
                "Print the man page (roff) to stdout, for example:\n  falcon-ioc man > falcon-ioc.1 && man ./falcon-ioc.1",
            ),
        );
    App {
        command,
        operations,
    }
}

/// Options accepted before or after the subcommand.
fn global_args() -> Vec<Arg> {
    let global = |arg: Arg| arg.global(true).help_heading("Global options");
    vec![
        global(
            Arg::new(opt::BASE_URL)
                .long(opt::BASE_URL)
                .value_name("URL")
                .conflicts_with(opt::CLOUD)
                .help("Send requests to this base URL (never moved by region discovery)"),
        ),
        global(
            Arg::new(opt::CLOUD)
                .long(opt::CLOUD)
                .value_name("CLOUD")
                .ignore_case(true)
                .value_parser(PossibleValuesParser::new(CLOUDS))
                .help("A Falcon cloud [default: FALCON_CLOUD, else auto: found at login]"),
        ),
        global(
            Arg::new(opt::MEMBER_CID)
                .long(opt::MEMBER_CID)
                .value_name("CID")
                .help("Act in this child tenant (MSSP) [default: FALCON_MEMBER_CID]"),
        ),
        global(
            Arg::new(opt::DRY_RUN)
                .long(opt::DRY_RUN)
                .action(ArgAction::SetTrue)
                .help("Print the request that would be sent (token redacted) and send nothing"),
        ),
        global(
            Arg::new(opt::VERBOSE)
                .long(opt::VERBOSE)
                .short('v')
                .action(ArgAction::SetTrue)
                .help("Trace each call on stderr: login, one line per attempt with its status and the wait that followed; never a secret"),
        ),
        global(
            Arg::new(opt::FORMAT)
                .long(opt::FORMAT)
                .value_name("FORMAT")
                .value_parser(["auto", "pretty", "compact"])
                .default_value("auto")
                .help("How the reply's JSON is printed: auto is pretty on a terminal, compact otherwise"),
        ),
    ]
}

/// One operation's subcommand.
fn operation_command(row: &'static Operation, entry: Option<&'static help::Operation>) -> Command {
    let name = entry.map_or(row.id(), |e| e.name);
    let summary = entry.map(|e| e.summary).filter(|s| !s.is_empty());
    let deprecated = entry.is_some_and(|e| e.deprecated);
    let about = match (summary, deprecated) {
        (Some(s), true) => format!("[deprecated] {s}"),
        (Some(s), false) => s.to_string(),
        (None, _) => format!("{} {}", row.method.as_str(), row.path),
    };
    let mut long = vec![about.clone()];
    if let Some(d) = entry.map(|e| e.description).filter(|d| !d.is_empty()) {
        long.push(d.to_string());
    }
    let mut facts = vec![format!("{} {}", row.method.as_str(), row.path)];
    let aliases: Vec<&str> = entry.map(|e| e.aliases.to_vec()).unwrap_or_default();
    let others: Vec<&str> = aliases.iter().copied().filter(|a| *a != row.id()).collect();
    facts.push(if others.is_empty() {
        format!("Operation id: {}", row.id())
    } else {
        format!(
            "Operation id: {} (the subcommand also answers to {})",
            row.id(),
            others.join(", ")
        )
    });
    match row.paging {
        Paging::Single => {}
        Paging::Offset => facts.push("Pages by offset: --all prints every item.".into()),
        Paging::After => {
            facts.push("Pages by the `after` token: --all prints every item.".into());
        }
    }
    long.push(facts.join("\n"));
    let mut command = Command::new(name)
        .about(about)
        .long_about(long.join("\n\n"))
        .aliases(aliases);
    // `help OPERATION` (and `--help`) lists the body's fields and an example body.
    if let Some(fields) = entry.map(|e| e.body_fields).filter(|f| !f.is_empty()) {
        command = command.after_long_help(fields);
    }
    for param in row.params.iter().filter(|p| p.kind != Kind::File) {
        let help = entry.and_then(|e| e.param(param.arg));
        command = command.arg(param_arg(param, help));
    }
    if let Some(body) = row.body {
        let what = entry.map(|e| e.body).filter(|b| !b.is_empty());
        let arg = Arg::new(opt::BODY).long(opt::BODY).required(body.required);
        let arg = match body.media_type {
            None => arg.value_name("JSON|@FILE|-").help(format!(
                "{}{}\nGive the JSON inline, @FILE to read a file, or - (or @-) for stdin.",
                what.unwrap_or("The JSON body."),
                body_limits(body.max_items)
            )),
            Some(media) => arg.value_name("TEXT|@FILE|-").help(format!(
                "{}\nThe body's bytes, sent as `{media}`: @FILE to read a file, - (or @-) for \
                 stdin, else the text given; end with ;type=MIME to send another content type.",
                what.unwrap_or("The request body.")
            )),
        };
        command = command.arg(arg);
    }
    let files: Vec<String> = row
        .params
        .iter()
        .filter(|p| p.kind == Kind::File)
        .map(|p| {
            let description = entry
                .and_then(|e| e.files.iter().find(|f| f.name == p.arg))
                .map(|f| f.description)
                .filter(|d| !d.is_empty());
            let required = if p.required { " (required)" } else { "" };
            match description {
                Some(d) => format!("{}{required}: {d}", p.arg),
                None => format!("{}{required}", p.arg),
            }
        })
        .collect();
    if !files.is_empty() {
        command = command.arg(
            Arg::new(opt::FILE)
                .long(opt::FILE)
                .value_name("FIELD=PATH")
                .action(ArgAction::Append)
                .help(format!(
                    "Upload a file as a form field, FIELD=PATH[;type=MIME] (repeat for several). Fields: {}",
                    files.join("; ")
                )),
        );
    }
    if row.paging != Paging::Single {
        command = command.arg(
            Arg::new(opt::ALL)
                .long(opt::ALL)
                .action(ArgAction::SetTrue)
                .help(
                    "Follow the pages and print every item as one JSON line (one page in memory)",
                ),
        );
    }
    command.arg(
        Arg::new(opt::PARAM)
            .long(opt::PARAM)
            .value_name("NAME=VALUE")
            .action(ArgAction::Append)
            .help("Add a query parameter the spec does not declare, sent as given (repeatable)"),
    )
}

/// The body's list limits as help says them (`\n[at most 2000 indicators per request]`), or "".
fn body_limits(max_items: &[(&str, u32)]) -> String {
    max_items
        .iter()
        .map(|(name, max)| format!("\n[at most {max} {name} per request: send more in batches]"))
        .collect()
}

/// A parameter's flag, typed as the row says.
fn param_arg(
    param: &'static falcon_runtime::operation::Param,
    help: Option<&'static help::Param>,
) -> Arg {
    let flag = help.map_or(param.arg, |h| h.flag);
    let mut text = help
        .map(|h| h.description)
        .filter(|d| !d.is_empty())
        .unwrap_or("")
        .to_string();
    let mut note = |extra: String| {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&extra);
    };
    let values = help.map_or(&[][..], |h| h.values);
    if !values.is_empty() {
        note(format!(
            "[values: {}; others are sent as given]",
            values.join(", ")
        ));
    }
    // The service's limits, from the table row (the spec's `minimum`, `maximum`, `maxItems`).
    match (param.minimum, param.maximum) {
        (Some(min), Some(max)) => note(format!("[range: {min} to {max}]")),
        (Some(min), None) => note(format!("[range: {min} or more]")),
        (None, Some(max)) => note(format!("[range: at most {max}]")),
        (None, None) => {}
    }
    if let Some(default) = help.and_then(|h| h.default) {
        note(format!("[service default: {default}]"));
    }
    if matches!(param.kind, Kind::Array(..)) {
        note(
            "[list: repeat the flag or separate with commas; @FILE or - (stdin) reads one per line]"
                .into(),
        );
    }
    if let Some(max) = param.max_items {
        note(format!(
            "[at most {max} per request: a longer list is sent as several requests]"
        ));
    }
    let arg = Arg::new(param_id(param.arg))
        .long(flag)
        .aliases(help.map_or(&[][..], |h| h.aliases).iter().copied())
        .required(param.required)
        .help(text)
        .hide_possible_values(true);
    match param.kind {
        Kind::Scalar(scalar) => scalar_arg(arg, scalar, values).action(ArgAction::Set),
        // Items are checked once files are read (`args::many`): `@FILE` and `-` pass here.
        Kind::Array(item, _) => scalar_arg(arg, item, values)
            .value_parser(ListItem(item, values))
            .action(ArgAction::Append)
            .value_delimiter(','),
        // An object (or list of objects) is JSON, given as `--body` is.
        Kind::Structured(_) => arg.value_name("JSON|@FILE|-").action(ArgAction::Set),
        Kind::File => arg,
    }
}

fn scalar_arg(arg: Arg, scalar: Scalar, values: &'static [&'static str]) -> Arg {
    match scalar {
        Scalar::String => arg.value_name("STRING").value_parser(OpenValues(values)),
        // A negative number is a value (refused by the range check, if the service's range
        // says so), not an unknown flag `-1`.
        Scalar::Integer => arg
            .value_name("INTEGER")
            .value_parser(value_parser!(i64))
            .allow_negative_numbers(true),
        Scalar::Number => arg
            .value_name("NUMBER")
            .value_parser(value_parser!(f64))
            .allow_negative_numbers(true),
        // `--flag` alone is true; `--flag=false` (or `--flag false`) sends false.
        Scalar::Boolean => arg
            .value_name("BOOL")
            .num_args(0..=1)
            .default_missing_value("true")
            .value_parser(value_parser!(bool)),
    }
}

/// An item of a list flag, kept as text: `@FILE` and `-` (read later, one item per line), or a
/// value checked against the item's type now, so a typo fails as clap reports it.
#[derive(Clone)]
struct ListItem(Scalar, &'static [&'static str]);

impl TypedValueParser for ListItem {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let text = StringValueParser::new().parse_ref(cmd, arg, value)?;
        if text == "-" || text.starts_with('@') {
            return Ok(text);
        }
        let what = match self.0 {
            Scalar::String => return Ok(text),
            Scalar::Integer if text.parse::<i64>().is_ok() => return Ok(text),
            Scalar::Number if text.parse::<f64>().is_ok() => return Ok(text),
            Scalar::Boolean if text.parse::<bool>().is_ok() => return Ok(text),
            Scalar::Integer => "an integer",
            Scalar::Number => "a number",
            Scalar::Boolean => "true or false",
        };
        let flag = arg.and_then(Arg::get_long).unwrap_or("the flag");
        Err(clap::Error::raw(
            clap::error::ErrorKind::ValueValidation,
            format!("invalid value '{text}' for '--{flag}': not {what} (nor @FILE or -)\n"),
        )
        .with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        OpenValues(self.1).possible_values().map(|values| {
            Box::new(values.collect::<Vec<_>>().into_iter()) as Box<dyn Iterator<Item = _>>
        })
    }
}

/// A string parameter: any value is accepted (the spec's enums are documentation, the service
/// takes more), and the spec's values are offered to shell completion.
#[derive(Clone)]
struct OpenValues(&'static [&'static str]);

impl TypedValueParser for OpenValues {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        if self.0.is_empty() {
            return None;
        }
        Some(Box::new(self.0.iter().map(|v| PossibleValue::new(*v))))
    }
}
