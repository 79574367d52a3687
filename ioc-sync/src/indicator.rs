//! One indicator as the sync sees it: a feed row as given ([`Row`]), the defaults that fill
//! what a row leaves out ([`Defaults`]), and the checked, normalised result ([`Indicator`])
//! that is compared with what the tenant holds.

use std::net::{Ipv4Addr, Ipv6Addr};

use ioc_client::models::{Action, ApiIndicatorV1, IndicatorType, Platform, Severity};

use crate::date;

/// One feed row as written: every field but `type` and `value` may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// `type`: `sha256`, `md5`, `domain`, `ipv4` or `ipv6`.
    pub kind: String,
    /// `value`: the hash, domain or address.
    pub value: String,
    /// `action` (`detect`, `prevent`, `allow`, `prevent_no_ui`, `no_action`).
    pub action: Option<String>,
    /// `severity` (`informational` .. `critical`).
    pub severity: Option<String>,
    /// `platforms` (`windows`, `mac`, `linux`, `ios`, `android`).
    pub platforms: Option<Vec<String>>,
    /// `expiration`: a date (`2027-01-31`, midnight UTC) or an RFC 3339 date-time.
    pub expiration: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`.
    pub tags: Option<Vec<String>>,
    /// `host_groups`: host group ids.
    pub host_groups: Option<Vec<String>>,
    /// `applied_globally`; when left out, true exactly when the row names no host group.
    pub applied_globally: Option<bool>,
    /// `mobile_action`.
    pub mobile_action: Option<String>,
    /// `filename` (the indicator's `metadata.filename`).
    pub filename: Option<String>,
}

/// When indicators expire, for rows that do not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiration {
    /// This date-time (any spelling [`Expiration::parse`] takes).
    At(String),
    /// Midnight UTC this many days after the day of the run (`30d`): the same date all day,
    /// so re-syncing the same day changes nothing, and a run on a later day moves the
    /// expiration of every indicator still in the feed.
    Days(u32),
}

impl Expiration {
    /// `30d`, `2027-01-31` or an RFC 3339 date-time.
    pub fn parse(text: &str) -> Result<Expiration, String> {
        let text = text.trim();
        if let Some(days) = text.strip_suffix(['d', 'D']) {
            return days.parse().map(Expiration::Days).map_err(|_| {
                format!("bad expiration `{text}`: give a number of days (`30d`) or a date (`2027-01-31`)")
            });
        }
        date::normalize(text).map(Expiration::At).ok_or_else(|| {
            format!(
                "bad expiration `{text}`: give a number of days (`30d`) or a date (`2027-01-31`)"
            )
        })
    }

    /// The date-time this names today.
    fn resolve(&self) -> String {
        match self {
            Expiration::At(at) => at.clone(),
            Expiration::Days(days) => date::days_from_today(*days),
        }
    }
}

/// Values for the fields a row leaves out (the CLI's `--action`, `--severity`, `--platforms`,
/// `--expiration`, `--tag`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Defaults {
    /// Action of rows without one.
    pub action: Option<String>,
    /// Severity of rows without one.
    pub severity: Option<String>,
    /// Platforms of rows without them.
    pub platforms: Option<Vec<String>>,
    /// Expiration of rows without one; none means rows without one never expire.
    pub expiration: Option<Expiration>,
    /// Tags of rows without them.
    pub tags: Option<Vec<String>>,
}

/// The fields the sync keeps equal to the feed, normalised so that equal means unchanged:
/// lower-case value sets, sorted lists, one date spelling, an absent text as "".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// `action`.
    pub action: String,
    /// `severity`, "" when none.
    pub severity: String,
    /// `platforms`, sorted.
    pub platforms: Vec<String>,
    /// `expiration` as `YYYY-MM-DDTHH:MM:SSZ`, "" when none.
    pub expiration: String,
    /// `description`, "" when none.
    pub description: String,
    /// `tags`, sorted.
    pub tags: Vec<String>,
    /// `host_groups`, sorted.
    pub host_groups: Vec<String>,
    /// `applied_globally`.
    pub applied_globally: bool,
    /// `mobile_action`, "" when none.
    pub mobile_action: String,
    /// `metadata.filename`, "" when none.
    pub filename: String,
}

/// A checked indicator: its identity (type and normalised value) and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// The type, lower case.
    pub kind: String,
    /// The value as the service stores it (hashes, domains and IPv6 lower case).
    pub value: String,
    /// Everything else the sync manages.
    pub fields: Fields,
}

/// The defaults with relative dates fixed for one run.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    defaults: Defaults,
    expiration: Option<String>,
}

impl Defaults {
    /// Fixes `30d` to a date, once per run.
    pub(crate) fn resolve(&self) -> Resolved {
        Resolved {
            defaults: self.clone(),
            expiration: self.expiration.as_ref().map(Expiration::resolve),
        }
    }

    /// Checks the defaults' values as a row's would be, so a typo fails before anything is read.
    pub fn check(&self) -> Result<(), String> {
        if let Some(a) = &self.action {
            action(a)?;
        }
        if let Some(s) = &self.severity {
            severity(s)?;
        }
        if let Some(p) = &self.platforms {
            platforms(p)?;
        }
        Ok(())
    }
}

const TYPES: &str = "sha256, md5, domain, ipv4, ipv6";

/// Checks a type and value; the value as the service stores it.
pub fn identity(kind: &str, value: &str) -> Result<(String, String), String> {
    let kind = kind.trim().to_ascii_lowercase();
    let value = value.trim();
    let hex = |n: usize| value.len() == n && value.bytes().all(|b| b.is_ascii_hexdigit());
    let ok = match IndicatorType::from(kind.clone()) {
        IndicatorType::Sha256 => hex(64),
        IndicatorType::Md5 => hex(32),
        IndicatorType::Ipv4 => value.parse::<Ipv4Addr>().is_ok(),
        IndicatorType::Ipv6 => value.parse::<Ipv6Addr>().is_ok(),
        IndicatorType::Domain => valid_domain(value),
        _ if kind.is_empty() => return Err(format!("no type: give one of {TYPES}")),
        _ => return Err(format!("unknown type `{kind}`: give one of {TYPES}")),
    };
    if value.is_empty() {
        return Err("no value".into());
    }
    if !ok {
        return Err(format!("`{value}` is not a valid {kind}"));
    }
    let value = if kind == "ipv4" {
        value.to_string()
    } else {
        value.to_ascii_lowercase()
    };
    Ok((kind, value))
}

fn valid_domain(v: &str) -> bool {
    v.len() <= 253
        && v.parse::<Ipv4Addr>().is_err()
        && v.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn action(a: &str) -> Result<String, String> {
    let a = a.trim().to_ascii_lowercase();
    match Action::from(a.clone()) {
        Action::Unknown(_) => Err(format!(
            "unknown action `{a}`: give detect, prevent, prevent_no_ui, allow or no_action"
        )),
        _ => Ok(a),
    }
}

fn severity(s: &str) -> Result<String, String> {
    let s = s.trim().to_ascii_lowercase();
    match Severity::from(s.clone()) {
        Severity::Unknown(_) if !s.is_empty() => Err(format!(
            "unknown severity `{s}`: give informational, low, medium, high or critical"
        )),
        _ => Ok(s),
    }
}

fn platforms(list: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        let p = p.trim().to_ascii_lowercase();
        if let Platform::Unknown(_) = Platform::from(p.clone()) {
            return Err(format!(
                "unknown platform `{p}`: give windows, mac, linux, ios or android"
            ));
        }
        out.push(p);
    }
    Ok(sorted(out))
}

fn sorted(mut list: Vec<String>) -> Vec<String> {
    list.retain(|s| !s.is_empty());
    list.sort_unstable();
    list.dedup();
    list
}

fn trimmed(list: Option<Vec<String>>) -> Vec<String> {
    sorted(
        list.unwrap_or_default()
            .into_iter()
            .map(|s| s.trim().to_string())
            .collect(),
    )
}

impl Resolved {
    /// A feed row with the defaults filled in, checked and normalised; why not when it is bad.
    pub(crate) fn indicator(&self, row: Row) -> Result<Indicator, String> {
        let (kind, value) = identity(&row.kind, &row.value)?;
        let d = &self.defaults;
        let action = match row
            .action
            .filter(|a| !a.trim().is_empty())
            .or(d.action.clone())
        {
            Some(a) => action(&a)?,
            None => {
                return Err("no action: add an `action` field or give a default (--action)".into());
            }
        };
        let severity = severity(
            &row.severity
                .filter(|s| !s.trim().is_empty())
                .or(d.severity.clone())
                .unwrap_or_default(),
        )?;
        let platforms = match row
            .platforms
            .filter(|p| !p.is_empty())
            .or(d.platforms.clone())
        {
            Some(p) if !p.is_empty() => platforms(&p)?,
            _ => {
                return Err(
                    "no platforms: add a `platforms` field or give a default (--platforms)".into(),
                );
            }
        };
        let expiration = match row.expiration.filter(|e| !e.trim().is_empty()) {
            Some(e) => date::normalize(&e).ok_or_else(|| {
                format!("bad expiration `{e}`: give a date (2027-01-31) or an RFC 3339 date-time")
            })?,
            None => self.expiration.clone().unwrap_or_default(),
        };
        let host_groups = trimmed(row.host_groups);
        let tags = trimmed(row.tags.or(d.tags.clone()));
        Ok(Indicator {
            kind,
            value,
            fields: Fields {
                action,
                severity,
                platforms,
                expiration,
                description: row.description.unwrap_or_default(),
                applied_globally: row.applied_globally.unwrap_or(host_groups.is_empty()),
                tags,
                host_groups,
                mobile_action: row.mobile_action.unwrap_or_default(),
                filename: row.filename.unwrap_or_default(),
            },
        })
    }
}

impl Indicator {
    /// An indicator the service holds, in the same normalised form as a feed's.
    pub fn from_held(held: &ApiIndicatorV1) -> Indicator {
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        let list = |l: &Option<Vec<String>>| sorted(l.clone().unwrap_or_default());
        Indicator {
            kind: held
                .type_
                .as_ref()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            value: text(&held.value),
            fields: Fields {
                action: held
                    .action
                    .as_ref()
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_default(),
                severity: held
                    .severity
                    .as_ref()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                platforms: sorted(
                    held.platforms
                        .iter()
                        .flatten()
                        .map(|p| p.as_str().to_string())
                        .collect(),
                ),
                expiration: held
                    .expiration
                    .as_deref()
                    .filter(|e| !e.is_empty())
                    .map(|e| date::normalize(e).unwrap_or_else(|| e.to_string()))
                    .unwrap_or_default(),
                description: text(&held.description),
                tags: list(&held.tags),
                host_groups: list(&held.host_groups),
                applied_globally: held.applied_globally.unwrap_or(false),
                mobile_action: text(&held.mobile_action),
                filename: held
                    .metadata
                    .as_ref()
                    .and_then(|m| m.filename.clone())
                    .unwrap_or_default(),
            },
        }
    }

    /// The row that gives back this indicator when synced (what `export` writes).
    pub fn to_row(&self) -> Row {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let list = |l: &[String]| (!l.is_empty()).then(|| l.to_vec());
        let f = &self.fields;
        Row {
            kind: self.kind.clone(),
            value: self.value.clone(),
            action: text(&f.action),
            severity: text(&f.severity),
            platforms: list(&f.platforms),
            expiration: text(&f.expiration),
            description: text(&f.description),
            tags: list(&f.tags),
            host_groups: list(&f.host_groups),
            applied_globally: Some(f.applied_globally),
            mobile_action: text(&f.mobile_action),
            filename: text(&f.filename),
        }
    }
}
