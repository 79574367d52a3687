//! Falcon clouds and how a base URL is chosen.

use std::str::FromStr;

use crate::error::Error;

/// A Falcon cloud. `Auto` starts at US-1 and follows the `X-Cs-Region` header of the token reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    /// US-1, `api.crowdstrike.com`.
    Us1,
    /// US-2, `api.us-2.crowdstrike.com`.
    Us2,
    /// US-3, `api.us-3.crowdstrike.com`.
    Us3,
    /// EU-1, `api.eu-1.crowdstrike.com`.
    Eu1,
    /// US-GOV-1, `api.laggar.gcw.crowdstrike.com`.
    UsGov1,
    /// US-GOV-2, `api.us-gov-2.crowdstrike.mil`.
    UsGov2,
    /// US-1 first, then the cloud the token reply's `X-Cs-Region` names.
    Auto,
}

impl Cloud {
    /// The API base URL of the cloud.
    pub fn base_url(self) -> &'static str {
        match self {
            Cloud::Us1 | Cloud::Auto => "https://api.crowdstrike.com",
            Cloud::Us2 => "https://api.us-2.crowdstrike.com",
            Cloud::Us3 => "https://api.us-3.crowdstrike.com",
            Cloud::Eu1 => "https://api.eu-1.crowdstrike.com",
            Cloud::UsGov1 => "https://api.laggar.gcw.crowdstrike.com",
            Cloud::UsGov2 => "https://api.us-gov-2.crowdstrike.mil",
        }
    }
}

impl FromStr for Cloud {
    type Err = Error;

    /// Case-insensitive, with or without dashes: `us-1`, `US1`, `eu-1`, `usgov1`, `auto`.
    fn from_str(s: &str) -> Result<Cloud, Error> {
        let key: String = s
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        Ok(match key.as_str() {
            "us1" => Cloud::Us1,
            "us2" => Cloud::Us2,
            "us3" => Cloud::Us3,
            "eu1" => Cloud::Eu1,
            "usgov1" => Cloud::UsGov1,
            "usgov2" => Cloud::UsGov2,
            "auto" => Cloud::Auto,
            _ => {
                return Err(Error::Config(format!(
                    "unknown cloud `{s}`: use us-1, us-2, us-3, eu-1, us-gov-1, us-gov-2, auto, or a URL"
                )));
            }
        })
    }
}

/// Where requests go: a cloud (whose URL may follow region discovery) or a URL the caller gave
/// (never rewritten).
#[derive(Clone, PartialEq, Eq)]
pub enum Target {
    /// A Falcon cloud, by name.
    Cloud(Cloud),
    /// A base URL, used as given.
    Url(String),
}

impl Target {
    /// A cloud name or a URL, as FalconPy reads `base_url`: anything with `://` is a URL, a
    /// known cloud name is that cloud, anything else is a host reached over HTTPS.
    pub fn parse(value: &str) -> Target {
        let value = value.trim();
        if value.contains("://") {
            return Target::Url(value.strip_suffix('/').unwrap_or(value).to_string());
        }
        match value.parse::<Cloud>() {
            Ok(cloud) => Target::Cloud(cloud),
            Err(_) => {
                let host = value.strip_suffix('/').unwrap_or(value);
                Target::Url(format!("https://{host}"))
            }
        }
    }

    /// The base URL requests start at: the cloud's, or the URL as given.
    pub fn base_url(&self) -> String {
        match self {
            Target::Cloud(c) => c.base_url().to_string(),
            Target::Url(u) => u.clone(),
        }
    }

    /// Whether an `X-Cs-Region` reply may move requests to another cloud.
    pub fn follows_region(&self) -> bool {
        matches!(self, Target::Cloud(_))
    }
}

/// A URL target shows without any `user:password@` it carries.
impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Cloud(cloud) => f.debug_tuple("Cloud").field(cloud).finish(),
            Target::Url(url) => f
                .debug_tuple("Url")
                .field(&crate::secret::redact_url(url))
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_urls() {
        assert_eq!(Target::parse("us-2"), Target::Cloud(Cloud::Us2));
        assert_eq!(Target::parse("USGOV1"), Target::Cloud(Cloud::UsGov1));
        assert_eq!(Target::parse("Eu-1"), Target::Cloud(Cloud::Eu1));
        assert_eq!(
            Target::parse("http://127.0.0.1:9/"),
            Target::Url("http://127.0.0.1:9".into())
        );
        assert_eq!(
            Target::parse("example.test"),
            Target::Url("https://example.test".into())
        );
        assert!("mars-1".parse::<Cloud>().is_err());
    }
}
