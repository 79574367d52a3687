//! Indicators put straight into the store for a test to start from: typed ([`SeedIndicator`]),
//! or as JSON Lines rows with the field names of the sync feed (`falcon-ioc sync`), so a
//! test can seed the simulator from the same file it syncs.

use serde::{Deserialize, Serialize};

/// One indicator to seed, with the service's field names (and the sync feed's).
///
/// It is checked as the service checks `indicator.create.v1`: `action`, `platforms`, and
/// `applied_globally` or `host_groups` are required, `severity` too for `detect` and
/// `prevent`, and an unknown value is refused. [`SeedIndicator::new`] fills those in; a JSON
/// Lines row carries them itself, lists as JSON arrays. An unknown field in a row is an
/// error, so a typo does not silently seed an indicator without it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedIndicator {
    /// `domain`, `ipv4`, `ipv6`, `md5`, `sha256`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The domain, address or hash.
    pub value: String,
    /// `detect`, `prevent`, `allow`, `prevent_no_ui`, `no_action`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// `informational`, `low`, `medium`, `high`, `critical`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// `windows`, `mac`, `linux`, `ios`, `android`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<String>,
    /// When the indicator expires, RFC 3339 (`2030-01-01T00:00:00Z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Host group ids the indicator applies to (instead of `applied_globally`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub host_groups: Vec<String>,
    /// Whether it applies to every host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_globally: Option<bool>,
    /// The action on mobile platforms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_action: Option<String>,
    /// The file name a hash indicator is known by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Where the indicator came from (a feed's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl SeedIndicator {
    /// An indicator of `kind` (`domain`, `sha256`...) and `value`, applied globally with
    /// action `detect` and severity `medium` unless set otherwise, on every desktop platform.
    pub fn new(kind: impl Into<String>, value: impl Into<String>) -> SeedIndicator {
        SeedIndicator {
            kind: kind.into(),
            value: value.into(),
            action: Some("detect".into()),
            severity: Some("medium".into()),
            platforms: vec!["windows".into(), "mac".into(), "linux".into()],
            applied_globally: Some(true),
            ..SeedIndicator::default()
        }
    }

    /// Sets the action (`detect`, `prevent`, `allow`, `prevent_no_ui`, `no_action`).
    pub fn action(mut self, action: impl Into<String>) -> SeedIndicator {
        self.action = Some(action.into());
        self
    }

    /// Sets the severity (`informational` .. `critical`).
    pub fn severity(mut self, severity: impl Into<String>) -> SeedIndicator {
        self.severity = Some(severity.into());
        self
    }

    /// Sets the platforms.
    pub fn platforms<S: Into<String>>(mut self, platforms: impl IntoIterator<Item = S>) -> Self {
        self.platforms = platforms.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the tags.
    pub fn tags<S: Into<String>>(mut self, tags: impl IntoIterator<Item = S>) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the source.
    pub fn source(mut self, source: impl Into<String>) -> SeedIndicator {
        self.source = Some(source.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> SeedIndicator {
        self.description = Some(description.into());
        self
    }

    /// Sets the expiration, RFC 3339.
    pub fn expiration(mut self, expiration: impl Into<String>) -> SeedIndicator {
        self.expiration = Some(expiration.into());
        self
    }
}

/// Why an indicator could not be seeded: which one (its 1-based row or position) and what
/// the simulator refused, as the service would word it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError {
    /// The 1-based line of the JSON Lines text, or position in the list given.
    pub row: usize,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "seed row {}: {}; fix that row (nothing after it was seeded)",
            self.row, self.message
        )
    }
}

impl std::error::Error for SeedError {}

/// The rows of JSON Lines text, with their 1-based line numbers; blank lines are skipped.
pub(crate) fn parse_jsonl(text: &str) -> Result<Vec<(usize, SeedIndicator)>, SeedError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line)
                .map(|row| (i + 1, row))
                .map_err(|e| SeedError {
                    row: i + 1,
                    message: format!("not an indicator row: {e}"),
                })
        })
        .collect()
}
