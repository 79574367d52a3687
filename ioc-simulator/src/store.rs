//! The in-memory indicator store and the rules for valid indicators.

use serde::Serialize;
use serde_json::{Map, Value, json};
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::envelope::api_error;
use crate::fql::Expr;
use crate::util;

/// Indicator types the service accepts.
pub const TYPES: &[&str] = &["sha256", "md5", "domain", "ipv4", "ipv6"];
/// Actions the service accepts.
pub const ACTIONS: &[&str] = &["no_action", "allow", "prevent_no_ui", "detect", "prevent"];
/// Actions only valid for hash indicators.
pub const HASH_ONLY_ACTIONS: &[&str] = &["allow", "prevent_no_ui", "prevent"];
/// Platforms the service accepts.
pub const PLATFORMS: &[&str] = &["windows", "mac", "linux", "ios", "android"];
/// Severities the service accepts, lowest first.
pub const SEVERITIES: &[&str] = &["informational", "low", "medium", "high", "critical"];

/// One stored indicator, serialised as `api.IndicatorV1`.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// 64 hex characters.
    pub id: String,
    /// `sha256`, `md5`, `domain`, `ipv4` or `ipv6`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// One of [`ACTIONS`].
    pub action: String,
    /// Action on mobile platforms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_action: Option<String>,
    /// One of [`SEVERITIES`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Free-text source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Free-text description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Platforms it applies to.
    pub platforms: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Host groups it applies to when not global.
    pub host_groups: Vec<String>,
    /// Applies to every host.
    pub applied_globally: bool,
    /// Expiry time (RFC 3339) if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration: Option<String>,
    /// Whether `expiration` has passed (computed when serialised by [`Indicator::to_json`]).
    pub expired: bool,
    /// Always false: deleted indicators are removed.
    pub deleted: bool,
    /// `api.MetadataV1`.
    pub metadata: Map<String, Value>,
    /// Creation time, RFC 3339 with microseconds.
    pub created_on: String,
    /// Client id that created it.
    pub created_by: String,
    /// Last change time.
    pub modified_on: String,
    /// Client id that last changed it.
    pub modified_by: String,
    /// Always false in the simulator (no parent/child CIDs).
    pub from_parent: bool,
    /// Last audit comment given on create/update/delete (not part of the wire record).
    #[serde(skip)]
    pub comment: Option<String>,
}

impl Indicator {
    /// The record as JSON, with `expired` computed against `now` (RFC 3339).
    pub fn to_json(&self, now: &str) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        let expired = self
            .expiration
            .as_deref()
            .is_some_and(|e| e.get(..19).unwrap_or(e) < now.get(..19).unwrap_or(now));
        v["expired"] = Value::Bool(expired);
        v
    }
}

/// Checks a type and value, returning the normalised (lower-cased) pair.
pub fn check_type_value(kind: &str, value: &str) -> Result<(String, String), String> {
    let kind = kind.trim().to_ascii_lowercase();
    let value = value.trim();
    let hex = |n: usize| value.len() == n && value.bytes().all(|b| b.is_ascii_hexdigit());
    let ok = match kind.as_str() {
        "sha256" => hex(64),
        "md5" => hex(32),
        "ipv4" => value.parse::<Ipv4Addr>().is_ok(),
        "ipv6" => value.parse::<Ipv6Addr>().is_ok(),
        "domain" => valid_domain(value),
        _ => {
            return Err(format!(
                "Invalid type '{kind}': must be one of {}",
                TYPES.join(", ")
            ));
        }
    };
    if !ok {
        return Err(format!("Invalid value '{value}' for type '{kind}'"));
    }
    let value = if kind == "ipv6" {
        value.to_ascii_lowercase()
    } else if kind == "ipv4" {
        value.to_string()
    } else {
        value.to_ascii_lowercase()
    };
    Ok((kind, value))
}

fn valid_domain(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 253
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

/// Optional indicator fields from a create, update or bulk-update object.
#[derive(Debug, Default, Clone)]
pub struct Patch {
    action: Option<String>,
    mobile_action: Option<String>,
    severity: Option<String>,
    source: Option<String>,
    description: Option<String>,
    platforms: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    host_groups: Option<Vec<String>>,
    applied_globally: Option<bool>,
    expiration: Option<String>,
    filename: Option<String>,
}

fn opt_str(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("'{key}' must be a string")),
    }
}

fn opt_list(obj: &Map<String, Value>, key: &str) -> Result<Option<Vec<String>>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("'{key}' must be an array of strings"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(format!("'{key}' must be an array of strings")),
    }
}

fn one_of(value: &str, allowed: &[&str], what: &str) -> Result<String, String> {
    let v = value.to_ascii_lowercase();
    if allowed.contains(&v.as_str()) {
        Ok(v)
    } else {
        Err(format!(
            "Invalid {what} '{value}': must be one of {}",
            allowed.join(", ")
        ))
    }
}

impl Patch {
    /// Reads and checks the optional fields of an indicator object.
    pub fn from_json(obj: &Map<String, Value>) -> Result<Patch, String> {
        let mut p = Patch {
            action: opt_str(obj, "action")?,
            mobile_action: opt_str(obj, "mobile_action")?,
            severity: opt_str(obj, "severity")?,
            source: opt_str(obj, "source")?,
            description: opt_str(obj, "description")?,
            platforms: opt_list(obj, "platforms")?,
            tags: opt_list(obj, "tags")?,
            host_groups: opt_list(obj, "host_groups")?,
            applied_globally: match obj.get("applied_globally") {
                None | Some(Value::Null) => None,
                Some(Value::Bool(b)) => Some(*b),
                Some(_) => return Err("'applied_globally' must be a boolean".into()),
            },
            expiration: opt_str(obj, "expiration")?,
            filename: match obj.get("metadata") {
                None | Some(Value::Null) => None,
                Some(Value::Object(m)) => opt_str(m, "filename")?,
                Some(_) => return Err("'metadata' must be an object".into()),
            },
        };
        if let Some(a) = p.action.as_deref().filter(|a| !a.is_empty()) {
            p.action = Some(one_of(a, ACTIONS, "action")?);
        }
        if let Some(s) = p.severity.as_deref().filter(|s| !s.is_empty()) {
            p.severity = Some(one_of(s, SEVERITIES, "severity")?);
        }
        if let Some(list) = &mut p.platforms {
            for item in list.iter_mut() {
                *item = one_of(item, PLATFORMS, "platform")?;
            }
        }
        if let Some(e) = p.expiration.as_deref().filter(|e| !e.is_empty())
            && !util::looks_like_rfc3339(e)
        {
            return Err(format!(
                "Invalid expiration '{e}': must be an RFC 3339 date-time"
            ));
        }
        Ok(p)
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.action.is_none()
            && self.mobile_action.is_none()
            && self.severity.is_none()
            && self.source.is_none()
            && self.description.is_none()
            && self.platforms.is_none()
            && self.tags.is_none()
            && self.host_groups.is_none()
            && self.applied_globally.is_none()
            && self.expiration.is_none()
            && self.filename.is_none()
    }

    fn apply(&self, ind: &mut Indicator) {
        let empty_none = |s: &Option<String>| s.clone().filter(|v| !v.is_empty());
        if let Some(a) = &self.action {
            ind.action = a.clone();
        }
        if self.mobile_action.is_some() {
            ind.mobile_action = empty_none(&self.mobile_action);
        }
        if self.severity.is_some() {
            ind.severity = empty_none(&self.severity);
        }
        if self.source.is_some() {
            ind.source = empty_none(&self.source);
        }
        if self.description.is_some() {
            ind.description = empty_none(&self.description);
        }
        if let Some(p) = &self.platforms {
            ind.platforms = p.clone();
        }
        if let Some(t) = &self.tags {
            ind.tags = t.clone();
        }
        if let Some(h) = &self.host_groups {
            ind.host_groups = h.clone();
        }
        if let Some(g) = self.applied_globally {
            ind.applied_globally = g;
        }
        if self.expiration.is_some() {
            ind.expiration = empty_none(&self.expiration);
        }
        if let Some(f) = &self.filename {
            ind.metadata.insert("filename".into(), json!(f));
        }
    }
}

/// Rules every stored indicator must satisfy.
fn check_invariants(ind: &Indicator) -> Result<(), String> {
    if ind.action.is_empty() {
        return Err("'action' is required".into());
    }
    if HASH_ONLY_ACTIONS.contains(&ind.action.as_str())
        && !matches!(ind.kind.as_str(), "sha256" | "md5")
    {
        return Err(format!(
            "Action '{}' is only valid for sha256 and md5 indicators",
            ind.action
        ));
    }
    if matches!(ind.action.as_str(), "detect" | "prevent") && ind.severity.is_none() {
        return Err(format!(
            "'severity' is required when action is '{}'",
            ind.action
        ));
    }
    if ind.platforms.is_empty() {
        return Err("'platforms' must name at least one platform".into());
    }
    if !ind.applied_globally && ind.host_groups.is_empty() {
        return Err(
            "Either 'applied_globally' must be true or 'host_groups' must be non-empty".into(),
        );
    }
    Ok(())
}

/// All indicators, in creation order.
#[derive(Debug, Default)]
pub struct Store {
    items: Vec<Indicator>,
    next_seq: u64,
    last_micros: u64,
}

const ID_SEED: u64 = 0x10c5_1a17_0000_0001;

impl Store {
    /// A monotonic "now" in RFC 3339 (strictly increasing between calls).
    pub fn now(&mut self) -> String {
        let m = util::epoch_micros().max(self.last_micros + 1);
        self.last_micros = m;
        util::rfc3339_micros(m)
    }

    /// "now" without advancing the clock.
    pub fn peek_now(&self) -> String {
        util::rfc3339_micros(util::epoch_micros().max(self.last_micros))
    }

    fn next_id(&mut self) -> String {
        self.next_seq += 1;
        util::hex_from_seed(ID_SEED ^ util::splitmix(self.next_seq), 4)
    }

    /// Number of stored indicators.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// All indicators in creation order.
    pub fn all(&self) -> &[Indicator] {
        &self.items
    }

    /// The indicator with this id.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The first indicator with this (already normalised) type and value.
    pub fn find(&self, kind: &str, value: &str) -> Option<&Indicator> {
        self.items
            .iter()
            .find(|i| i.kind == kind && i.value == value)
    }

    /// Indicators matching an optional filter, in creation order.
    pub fn filter(&self, expr: Option<&Expr>) -> Vec<&Indicator> {
        let now = self.peek_now();
        match expr {
            None => self.items.iter().collect(),
            Some(e) => self
                .items
                .iter()
                .filter(|i| e.matches(&i.to_json(&now)))
                .collect(),
        }
    }

    /// Validates and stores one indicator object; returns the stored record or an error text.
    pub fn create_one(
        &mut self,
        obj: &Value,
        client_id: &str,
        comment: Option<&str>,
        ignore_warnings: bool,
    ) -> Result<Indicator, String> {
        let Value::Object(obj) = obj else {
            return Err("Each indicator must be a JSON object".into());
        };
        let kind = opt_str(obj, "type")?.ok_or("'type' is required")?;
        let value = opt_str(obj, "value")?.ok_or("'value' is required")?;
        let (kind, value) = check_type_value(&kind, &value)?;
        let patch = Patch::from_json(obj)?;
        if !ignore_warnings && self.find(&kind, &value).is_some() {
            return Err(format!(
                "Duplicate type: '{kind}' and value: '{value}' combination."
            ));
        }
        let now = self.now();
        let mut ind = Indicator {
            id: String::new(),
            kind,
            value,
            action: String::new(),
            mobile_action: None,
            severity: None,
            source: None,
            description: None,
            platforms: Vec::new(),
            tags: Vec::new(),
            host_groups: Vec::new(),
            applied_globally: false,
            expiration: None,
            expired: false,
            deleted: false,
            metadata: Map::new(),
            created_on: now.clone(),
            created_by: client_id.to_string(),
            modified_on: now,
            modified_by: client_id.to_string(),
            from_parent: false,
            comment: comment.map(str::to_string),
        };
        patch.apply(&mut ind);
        check_invariants(&ind)?;
        ind.id = self.next_id();
        self.items.push(ind.clone());
        Ok(ind)
    }

    /// Applies `patch` to the indicator `id`. `Err((status, message))` on failure.
    pub fn update(
        &mut self,
        id: &str,
        patch: &Patch,
        client_id: &str,
        comment: Option<&str>,
    ) -> Result<Indicator, (u16, String)> {
        let now = self.now();
        let Some(ind) = self.items.iter_mut().find(|i| i.id == id) else {
            return Err((404, format!("Could not find indicator with id '{id}'")));
        };
        let mut next = ind.clone();
        patch.apply(&mut next);
        check_invariants(&next).map_err(|m| (400, m))?;
        next.modified_on = now;
        next.modified_by = client_id.to_string();
        if let Some(c) = comment {
            next.comment = Some(c.to_string());
        }
        *ind = next.clone();
        Ok(next)
    }

    /// Removes the indicators with these ids; returns the ids that existed.
    pub fn delete(&mut self, ids: &[String]) -> Vec<String> {
        let mut gone = Vec::new();
        self.items.retain(|i| {
            if ids.contains(&i.id) {
                gone.push(i.id.clone());
                false
            } else {
                true
            }
        });
        gone
    }
}

/// The error entry for a rejected indicator in a batch.
pub fn batch_error(index: usize, message: &str) -> Value {
    api_error(400, format!("indicators[{index}]: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_value_rules() {
        assert!(check_type_value("sha256", &"a".repeat(64)).is_ok());
        assert!(check_type_value("sha256", &"a".repeat(63)).is_err());
        assert!(check_type_value("md5", &"F".repeat(32)).is_ok());
        assert!(check_type_value("ipv4", "10.0.0.1").is_ok());
        assert!(check_type_value("ipv4", "10.0.0.300").is_err());
        assert!(check_type_value("ipv6", "::1").is_ok());
        assert!(check_type_value("domain", "evil.example.com").is_ok());
        assert!(check_type_value("domain", "bad domain").is_err());
        assert!(check_type_value("url", "x").is_err());
    }

    #[test]
    fn create_and_duplicate() {
        let mut s = Store::default();
        let obj = json!({"type": "domain", "value": "Evil.com", "action": "detect",
                         "severity": "high", "platforms": ["windows"], "applied_globally": true});
        let ind = s.create_one(&obj, "me", None, false).unwrap();
        assert_eq!(ind.value, "evil.com");
        assert_eq!(ind.id.len(), 64);
        assert!(s.create_one(&obj, "me", None, false).is_err());
        assert!(s.create_one(&obj, "me", None, true).is_ok());
        let bad = json!({"type": "domain", "value": "x.com", "action": "prevent",
                         "severity": "high", "platforms": ["windows"], "applied_globally": true});
        assert!(s.create_one(&bad, "me", None, false).is_err());
    }
}
