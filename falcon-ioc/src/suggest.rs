//! "Did you mean": a mistyped subcommand (`indicator-serch-v1`, also after `help`) gets at most
//! [`MAX`] suggestions, each a subcommand's own kebab-case name. clap's own tip compares the
//! typed word with every alias too, and so offered dozens of names in three spellings each
//! (`indicator.search.v1`, `indicator_search_v1`, `indicator-search-v1`).

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The most names a suggestion offers.
pub const MAX: usize = 3;

/// `error` with clap's subcommand tip replaced by ours; any other error as it is.
pub fn subcommand(error: clap::Error, command: &clap::Command) -> clap::Error {
    if error.kind() != ErrorKind::InvalidSubcommand {
        return error;
    }
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
    rewritten
}

/// Up to [`MAX`] subcommand names closest to `typed`, nearest first, compared in one spelling
/// (lower case, `_` and `.` as `-`) with the name and each alias; none when nothing is close.
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
