//! The in-memory indicator store and the rules for valid indicators.
//!
//! Records live in slots, in creation order, and never move: a slot number is a record's
//! identity (its id is derived from it) and creation order is slot order. Deleting an
//! indicator marks it deleted, as the service does, and searches leave deleted indicators
//! out unless their filter asks about `deleted`. Lookups by id and by value go through hash
//! indexes; searches go through [`views`].

mod intern;
mod record;
pub mod views;

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};

pub use record::{Rec, Record, SortField, SortKey, SortVal};

use crate::envelope::api_error;
use crate::util;
use intern::{Interner, ListId, Sym};
use views::Views;

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

const ID_SEED: u64 = 0x10c5_1a17_0000_0001;

/// The id (64 hex characters) of the record in `slot`: deterministic per simulator.
pub fn id_for_slot(slot: u32) -> String {
    util::hex_from_seed(id_seed(slot), 4)
}

fn id_seed(slot: u32) -> u64 {
    ID_SEED ^ util::splitmix(u64::from(slot) + 1)
}

/// The first 64-bit word of an id, the key of the id index. `splitmix` is a bijection, so
/// distinct slots have distinct first words.
fn id_key(slot: u32) -> u64 {
    util::splitmix(id_seed(slot))
}

fn value_key(value: &str) -> u64 {
    util::fnv1a(value.as_bytes())
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
    let value = if kind == "ipv4" {
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

/// The text of an optional field, `None` when absent or empty (empty clears a field).
fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|v| !v.is_empty())
}

/// 1 + the position of `value` in `list`, 0 when absent or empty (the records' encoding).
fn code(list: &[&str], value: &str) -> u8 {
    list.iter()
        .position(|v| *v == value)
        .map_or(0, |p| p as u8 + 1)
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

    /// Writes the set fields into `rec`. An empty string clears an optional text field.
    fn apply(&self, rec: &mut Record, strings: &mut Interner) {
        if let Some(a) = &self.action {
            rec.action = code(ACTIONS, a);
        }
        if self.mobile_action.is_some() {
            rec.mobile_action = strings.opt_sym(non_empty(&self.mobile_action));
        }
        if let Some(s) = &self.severity {
            rec.severity = code(SEVERITIES, s);
        }
        if self.source.is_some() {
            rec.source = strings.opt_sym(non_empty(&self.source));
        }
        if self.description.is_some() {
            rec.description = non_empty(&self.description).map(Box::from);
        }
        if let Some(p) = &self.platforms {
            rec.platforms = strings.list(p);
        }
        if let Some(t) = &self.tags {
            rec.tags = strings.list(t);
        }
        if let Some(h) = &self.host_groups {
            rec.host_groups = strings.list(h);
        }
        if let Some(g) = self.applied_globally {
            rec.applied_globally = g;
        }
        if self.expiration.is_some() {
            rec.expiration = strings.opt_sym(non_empty(&self.expiration));
        }
        if let Some(f) = &self.filename {
            rec.filename = strings.sym(f);
        }
    }
}

/// Rules every stored indicator must satisfy.
fn check_invariants(rec: &Record) -> Result<(), String> {
    let Some(action) = rec.action() else {
        return Err("'action' is required".into());
    };
    if HASH_ONLY_ACTIONS.contains(&action) && !matches!(rec.kind(), "sha256" | "md5") {
        return Err(format!(
            "Action '{action}' is only valid for sha256 and md5 indicators"
        ));
    }
    if matches!(action, "detect" | "prevent") && rec.severity().is_none() {
        return Err(format!("'severity' is required when action is '{action}'"));
    }
    if rec.platforms == ListId::default() {
        return Err("'platforms' must name at least one platform".into());
    }
    if !rec.applied_globally && rec.host_groups == ListId::default() {
        return Err(
            "Either 'applied_globally' must be true or 'host_groups' must be non-empty".into(),
        );
    }
    Ok(())
}

/// An indicator just created.
#[derive(Debug, Clone)]
pub struct Created {
    /// Its slot.
    pub slot: u32,
    /// Its id.
    pub id: String,
}

/// All indicators, in creation order, with their indexes.
pub struct Store {
    records: Vec<Record>,
    strings: Interner,
    /// First word of the id → slot.
    by_id: HashMap<u64, u32>,
    /// Hash of the value → the first slot with it; further slots (duplicates created with
    /// `ignore_warnings`, or a hash collision) in `more_by_value`.
    by_value: HashMap<u64, u32>,
    more_by_value: HashMap<u64, Vec<u32>>,
    /// Indicators not deleted.
    live: usize,
    /// Bumped by every change; cached search results are valid for one generation.
    generation: u64,
    last_micros: u64,
    /// Keys the `after` tokens this store issues.
    secret: u64,
    views: Views,
}

impl std::fmt::Debug for Store {
    /// A summary: a million records are no debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("indicators", &self.live)
            .field("slots", &self.records.len())
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl Default for Store {
    fn default() -> Self {
        Store {
            records: Vec::new(),
            strings: Interner::default(),
            by_id: HashMap::new(),
            by_value: HashMap::new(),
            more_by_value: HashMap::new(),
            live: 0,
            generation: 0,
            last_micros: 0,
            secret: util::unique_seed(),
            views: Views::default(),
        }
    }
}

impl Store {
    /// A monotonic "now" in microseconds (strictly increasing between calls).
    fn tick(&mut self) -> u64 {
        let m = util::epoch_micros().max(self.last_micros + 1);
        self.last_micros = m;
        m
    }

    /// A monotonic "now" in RFC 3339 (strictly increasing between calls).
    pub fn now(&mut self) -> String {
        util::rfc3339_micros(self.tick())
    }

    /// "now" without advancing the clock.
    pub fn peek_now(&self) -> String {
        util::rfc3339_micros(util::epoch_micros().max(self.last_micros))
    }

    /// Number of indicators not deleted.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Number of slots (deleted indicators included).
    pub fn slots(&self) -> usize {
        self.records.len()
    }

    /// The key `after` tokens are sealed with.
    pub fn secret(&self) -> u64 {
        self.secret
    }

    /// The record in `slot`, readable against `now`.
    pub fn rec<'a>(&'a self, slot: u32, now: &'a str) -> Rec<'a> {
        Rec {
            rec: &self.records[slot as usize],
            slot,
            strings: &self.strings,
            now,
        }
    }

    /// The record in `slot` as the service sends it.
    pub fn to_json(&self, slot: u32, now: &str) -> Value {
        self.rec(slot, now).to_json()
    }

    /// The slot of the indicator with this id, deleted or not.
    fn slot_of_id(&self, id: &str) -> Option<u32> {
        let word = u64::from_str_radix(id.get(..16)?, 16).ok()?;
        let slot = *self.by_id.get(&word)?;
        (id.len() == 64 && id_for_slot(slot) == id).then_some(slot)
    }

    /// Whether the indicator in `slot` exists and is not deleted.
    pub fn is_live(&self, slot: u32) -> bool {
        self.records.get(slot as usize).is_some_and(|r| !r.deleted)
    }

    /// The slot of the indicator with this id, unless it is deleted.
    pub fn live_slot(&self, id: &str) -> Option<u32> {
        self.slot_of_id(id).filter(|s| self.is_live(*s))
    }

    /// Slots of the indicators whose value is exactly `value`, deleted ones included.
    fn slots_with_value<'a>(&'a self, value: &'a str) -> impl Iterator<Item = u32> + 'a {
        let key = value_key(value);
        let first = self.by_value.get(&key).copied();
        let more = self.more_by_value.get(&key).into_iter().flatten().copied();
        first
            .into_iter()
            .chain(more)
            .filter(move |s| &*self.records[*s as usize].value == value)
    }

    /// The first live indicator with this (already normalised) type and value.
    pub fn find(&self, kind: &str, value: &str) -> Option<u32> {
        self.slots_with_value(value).find(|s| {
            let r = &self.records[*s as usize];
            !r.deleted && r.kind() == kind
        })
    }

    fn changed(&mut self, slot: u32) {
        self.generation += 1;
        self.views.changed(slot);
    }

    /// Validates and stores one indicator object. The audit comment is accepted and not
    /// kept: the service shows it only in its audit log, which is not simulated.
    pub fn create_one(
        &mut self,
        obj: &Value,
        client_id: &str,
        _comment: Option<&str>,
        ignore_warnings: bool,
    ) -> Result<Created, String> {
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
        let now = self.tick();
        let creator = self.strings.sym(client_id);
        let mut rec = Record {
            value: value.into(),
            description: None,
            created: now,
            modified: now,
            source: Sym::NONE,
            mobile_action: Sym::NONE,
            expiration: Sym::NONE,
            filename: Sym::NONE,
            created_by: creator,
            modified_by: creator,
            platforms: ListId::default(),
            tags: ListId::default(),
            host_groups: ListId::default(),
            kind: TYPES.iter().position(|t| *t == kind).unwrap_or(0) as u8,
            action: 0,
            severity: 0,
            applied_globally: false,
            deleted: false,
        };
        patch.apply(&mut rec, &mut self.strings);
        check_invariants(&rec)?;
        let slot = u32::try_from(self.records.len())
            .map_err(|_| "The simulator holds at most 2^32 indicators".to_string())?;
        let key = value_key(&rec.value);
        if let Some(first) = self.by_value.get(&key) {
            debug_assert!(*first < slot);
            self.more_by_value.entry(key).or_default().push(slot);
        } else {
            self.by_value.insert(key, slot);
        }
        self.by_id.insert(id_key(slot), slot);
        self.records.push(rec);
        self.live += 1;
        self.changed(slot);
        Ok(Created {
            slot,
            id: id_for_slot(slot),
        })
    }

    /// Applies `patch` to the live indicator `id`. `Err((status, message))` on failure.
    pub fn update(
        &mut self,
        id: &str,
        patch: &Patch,
        client_id: &str,
    ) -> Result<u32, (u16, String)> {
        let now = self.tick();
        let Some(slot) = self.live_slot(id) else {
            return Err((404, format!("Could not find indicator with id '{id}'")));
        };
        let mut next = self.records[slot as usize].clone();
        patch.apply(&mut next, &mut self.strings);
        check_invariants(&next).map_err(|m| (400, m))?;
        next.modified = now;
        next.modified_by = self.strings.sym(client_id);
        self.records[slot as usize] = next;
        self.changed(slot);
        Ok(slot)
    }

    /// Deletes the live indicators in `slots` (as the service does: they are kept, marked
    /// deleted, with the deletion as their last modification). Returns the slots deleted,
    /// in creation order.
    pub fn delete_slots(&mut self, slots: &[u32], client_id: &str) -> Vec<u32> {
        let mut gone: Vec<u32> = slots.iter().copied().filter(|s| self.is_live(*s)).collect();
        gone.sort_unstable();
        gone.dedup();
        if gone.is_empty() {
            return gone;
        }
        let now = self.tick();
        let by = self.strings.sym(client_id);
        for &slot in &gone {
            let r = &mut self.records[slot as usize];
            r.deleted = true;
            r.modified = now;
            r.modified_by = by;
            self.live -= 1;
            self.changed(slot);
        }
        gone
    }

    /// Deletes the live indicators with these ids; returns the ids deleted, in creation
    /// order.
    pub fn delete(&mut self, ids: &[String], client_id: &str) -> Vec<String> {
        let slots: Vec<u32> = ids.iter().filter_map(|id| self.live_slot(id)).collect();
        self.delete_slots(&slots, client_id)
            .into_iter()
            .map(id_for_slot)
            .collect()
    }
}

/// The error entry for a rejected indicator in a batch.
pub fn batch_error(index: usize, message: &str) -> Value {
    api_error(400, format!("indicators[{index}]: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    fn evil() -> Value {
        json!({"type": "domain", "value": "Evil.com", "action": "detect",
               "severity": "high", "platforms": ["windows"], "applied_globally": true})
    }

    #[test]
    fn create_and_duplicate() {
        let mut s = Store::default();
        let obj = evil();
        let c = s.create_one(&obj, "me", None, false).unwrap();
        let now = s.peek_now();
        assert_eq!(s.to_json(c.slot, &now)["value"], "evil.com");
        assert_eq!(c.id.len(), 64);
        assert!(s.create_one(&obj, "me", None, false).is_err());
        assert!(s.create_one(&obj, "me", None, true).is_ok());
        let bad = json!({"type": "domain", "value": "x.com", "action": "prevent",
                         "severity": "high", "platforms": ["windows"], "applied_globally": true});
        assert!(s.create_one(&bad, "me", None, false).is_err());
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn ids_resolve_to_slots() {
        let mut s = Store::default();
        let a = s.create_one(&evil(), "me", None, false).unwrap();
        assert_eq!(s.live_slot(&a.id), Some(a.slot));
        assert_eq!(
            s.live_slot(&a.id.to_uppercase()),
            None,
            "ids are matched exactly"
        );
        assert_eq!(s.live_slot(&a.id[..63]), None);
        assert_eq!(s.live_slot("zz"), None);
        assert_eq!(s.live_slot(""), None);
        assert_eq!(s.live_slot(&id_for_slot(7)), None, "a slot not in use");
    }

    #[test]
    fn deleted_indicators_stay_but_are_not_live() {
        let mut s = Store::default();
        let a = s.create_one(&evil(), "me", None, false).unwrap();
        assert_eq!(
            s.delete(std::slice::from_ref(&a.id), "you"),
            std::slice::from_ref(&a.id)
        );
        assert_eq!(s.len(), 0);
        assert_eq!(s.slots(), 1);
        assert_eq!(s.live_slot(&a.id), None);
        let now = s.peek_now();
        let rec = s.to_json(a.slot, &now);
        assert_eq!(rec["deleted"], true);
        assert_eq!(rec["modified_by"], "you");
        assert!(rec["modified_on"].as_str() > rec["created_on"].as_str());
        assert!(s.delete(std::slice::from_ref(&a.id), "you").is_empty());
        assert!(s.update(&a.id, &Patch::default(), "me").is_err());
        // The same type and value can be created again: the deleted one is no duplicate.
        let b = s.create_one(&evil(), "me", None, false).unwrap();
        assert_ne!(a.id, b.id);
        assert_eq!(s.find("domain", "evil.com"), Some(b.slot));
    }
}
