//! Parsing a value set strictly: what a generated open enum's `FromStr` returns for a value the
//! spec does not list. `From<&str>` stays open (a newer service's values must decode); `parse()`
//! is for input a person typed, where `"hgih"` is a mistake, not a new severity.

use std::fmt;

/// A value that is not one of those the spec lists for a value set, with the listed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlistedValue {
    type_name: &'static str,
    value: String,
    allowed: Vec<String>,
}

impl UnlistedValue {
    /// The error for `value`, which is not one of `allowed` (the wire values of `type_name`).
    pub fn new<'a>(
        type_name: &'static str,
        value: &str,
        allowed: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        UnlistedValue {
            type_name,
            value: value.to_string(),
            allowed: allowed.into_iter().map(str::to_string).collect(),
        }
    }

    /// The value given.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The values the spec lists, as they go on the wire.
    pub fn allowed(&self) -> &[String] {
        &self.allowed
    }
}

impl fmt::Display for UnlistedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a {} the spec lists; use one of: {} (or `{}::from(\"{}\")` to send it \
             anyway)",
            self.value,
            self.type_name,
            self.allowed.join(", "),
            self.type_name,
            self.value.escape_default()
        )
    }
}

impl std::error::Error for UnlistedValue {}
