//! "Did you mean": a mistyped subcommand (`indicator-serch-v1`, also after `help`) or flag
//! (`--limt`) gets at most [`MAX`] suggestions, each the subcommand's or flag's own kebab-case
//! name, and a tip saying where the names are listed. clap's own subcommand tip compares the
//! typed word with every alias too, and so offered dozens of names in three spellings each
//! (`indicator.search.v1`, `indicator_search_v1`, `indicator-search-v1`); its flag tip offered
//! one name, in whichever spelling was closest (`--from_parent`), and no way on.

use std::ffi::OsString;

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::app::BIN;

/// The most names a suggestion offers.
pub const MAX: usize = 3;

/// `error` with clap's tip for a mistyped subcommand or flag replaced by ours; any other
/// error as it is. `argv` is the command line that failed (the program name first): the flag's
/// subcommand is the one named before it.
pub fn rewrite(error: clap::Error, command: &clap::Command, argv: &[OsString]) -> clap::Error {
    match error.kind() {
        ErrorKind::InvalidSubcommand => subcommand(error, command),
        ErrorKind::UnknownArgument => flag(error, command, argv),
        // A value that does not parse (`--limit abc`): where the flag's type is described.
        ErrorKind::ValueValidation | ErrorKind::InvalidValue => {
            let tip = where_flags_are(subcommand_before(command, argv, None));
            with_tip(error, &tip)
        }
        _ => error,
    }
}

/// The subcommand named on the command line before `token` (anywhere, when `None`).
fn subcommand_before<'a>(
    command: &'a clap::Command,
    argv: &[OsString],
    token: Option<&str>,
) -> Option<&'a clap::Command> {
    let position = token.and_then(|token| {
        argv.iter().skip(1).position(|a| {
            a.to_str()
                .is_some_and(|a| a == token || a.starts_with(&format!("{token}=")))
        })
    });
    argv.iter()
        .skip(1)
        .take(position.unwrap_or(argv.len()))
        .filter_map(|a| a.to_str())
        .find_map(|a| command.find_subcommand(a))
}

/// The tip naming the help that lists a subcommand's flags, or the program's.
fn where_flags_are(subcommand: Option<&clap::Command>) -> String {
    match subcommand {
        Some(sub) => format!("`{BIN} help {}` lists its flags", sub.get_name()),
        None => format!("`{BIN} --help` lists the global options and the commands"),
    }
}

/// A mistyped subcommand: the nearest names, and where all of them are listed.
fn subcommand(error: clap::Error, command: &clap::Command) -> clap::Error {
    let Some(ContextValue::String(typed)) = error.get(ContextKind::InvalidSubcommand) else {
        return error;
    };
    let commands: Vec<(String, Vec<String>)> = command
        .get_subcommands()
        .map(|c| {
            let aliases = c.get_all_aliases().map(str::to_string).collect();
            (c.get_name().to_string(), aliases)
        })
        .collect();
    let suggestions = closest(typed, &commands);
    let mut rewritten = clap::Error::new(ErrorKind::InvalidSubcommand).with_cmd(command);
    for (kind, value) in error.context() {
        if kind != ContextKind::SuggestedSubcommand {
            rewritten.insert(kind, value.clone());
        }
    }
    if !suggestions.is_empty() {
        rewritten.insert(
            ContextKind::SuggestedSubcommand,
            ContextValue::Strings(suggestions),
        );
    }
    with_tip(rewritten, &format!("`{BIN} --help` lists the commands"))
}

/// A mistyped long flag (`--limt`, `--limt=5`): the nearest flags of the subcommand it was
/// given to (or of the program, before any subcommand), in kebab case, and the `help` that
/// lists them. A short flag, or one that is not mistyped but misplaced, keeps clap's words.
fn flag(error: clap::Error, command: &clap::Command, argv: &[OsString]) -> clap::Error {
    let Some(ContextValue::String(given)) = error.get(ContextKind::InvalidArg) else {
        return error;
    };
    let Some(typed) = given.strip_prefix("--") else {
        return error;
    };
    let typed = typed.split('=').next().unwrap_or(typed);
    // The subcommand named before the flag, if any: its flags (globals included) are the
    // candidates; before any subcommand, the program's own.
    let named = subcommand_before(command, argv, Some(given));
    let target = named.unwrap_or(command);
    let flags: Vec<(String, Vec<String>)> = target
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| {
            let long = a.get_long()?;
            let aliases = a
                .get_all_aliases()
                .unwrap_or_default()
                .into_iter()
                .map(str::to_string)
                .collect();
            Some((long.to_string(), aliases))
        })
        .collect();
    let suggestions: Vec<String> = closest(typed, &flags)
        .into_iter()
        .map(|f| format!("--{f}"))
        .collect();
    let mut rewritten = clap::Error::new(ErrorKind::UnknownArgument).with_cmd(target);
    for (kind, value) in error.context() {
        if kind != ContextKind::SuggestedArg {
            rewritten.insert(kind, value.clone());
        }
    }
    if suggestions.is_empty() {
        // clap's usage shows the flag it would have offered; with none offered, the plain one.
        let usage = target.clone().render_usage();
        rewritten.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
    } else {
        rewritten.insert(
            ContextKind::SuggestedArg,
            ContextValue::Strings(suggestions),
        );
    }
    with_tip(rewritten, &where_flags_are(named))
}

/// `error` with one more `tip:` line after clap's own.
fn with_tip(mut error: clap::Error, tip: &str) -> clap::Error {
    let mut tips = match error.get(ContextKind::Suggested) {
        Some(ContextValue::StyledStrs(tips)) => tips.clone(),
        _ => Vec::new(),
    };
    tips.push(StyledStr::from(tip.to_string()));
    error.insert(ContextKind::Suggested, ContextValue::StyledStrs(tips));
    error
}

/// Up to [`MAX`] names (of subcommands or flags) closest to `typed`, nearest first, compared
/// in one spelling (lower case, `_` and `.` as `-`) with the name and each alias; none when
/// nothing is close.
pub fn closest(typed: &str, commands: &[(String, Vec<String>)]) -> Vec<String> {
    let typed = normal(typed);
    let mut scored: Vec<(usize, &String)> = commands
        .iter()
        .filter_map(|(name, aliases)| {
            std::iter::once(name)
                .chain(aliases)
                .map(|n| strsim::levenshtein(&typed, &normal(n)))
                .min()
                .map(|d| (d, name))
        })
        .filter(|(d, _)| *d <= (typed.len() / 6).max(2))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(MAX)
        .map(|(_, n)| n.clone())
        .collect()
}

fn normal(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_kebab_names_nearest_first() {
        let commands: Vec<(String, Vec<String>)> = [
            (
                "indicator-search-v1",
                vec!["indicator.search.v1", "indicator_search_v1"],
            ),
            ("indicator-get-v1", vec!["indicator.get.v1"]),
            ("devices-count", vec!["DevicesCount"]),
        ]
        .into_iter()
        .map(|(n, a)| (n.to_string(), a.into_iter().map(String::from).collect()))
        .collect();
        assert_eq!(
            closest("indicator-serch-v1", &commands),
            ["indicator-search-v1"]
        );
        assert_eq!(
            closest("indicator.serch.v1", &commands),
            ["indicator-search-v1"]
        );
        assert_eq!(closest("DevicesCont", &commands), ["devices-count"]);
        assert!(closest("something-else-entirely", &commands).is_empty());
    }
}
