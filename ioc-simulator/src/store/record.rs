//! One stored indicator in compact form, and how filters, sorts and the wire see it.
//!
//! A record is about 100 bytes plus its value and description: enumerated fields are small
//! indexes into the service's fixed lists, times are microseconds, and every other string
//! or string list is an interned handle ([`super::intern`]). The id is not stored at all:
//! it is a function of the record's slot ([`super::id_for_slot`]).

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;

use super::intern::{Interner, ListId, Sym};
use super::{ACTIONS, SEVERITIES, TYPES, id_for_slot};
use crate::fql::{Field, Scalar, Subject};
use crate::util;

/// One indicator.
#[derive(Debug, Clone)]
pub struct Record {
    /// Normalised value.
    pub value: Box<str>,
    /// Free-text description.
    pub description: Option<Box<str>>,
    /// Creation time, microseconds since the epoch (unique and increasing with the slot).
    pub created: u64,
    /// Last change (or deletion) time, microseconds since the epoch.
    pub modified: u64,
    /// Free-text source.
    pub source: Sym,
    /// Action on mobile platforms (free text).
    pub mobile_action: Sym,
    /// Expiry time as given (RFC 3339).
    pub expiration: Sym,
    /// `metadata.filename`.
    pub filename: Sym,
    /// Client id that created it.
    pub created_by: Sym,
    /// Client id that last changed (or deleted) it.
    pub modified_by: Sym,
    /// Platforms it applies to.
    pub platforms: ListId,
    /// Tags.
    pub tags: ListId,
    /// Host groups it applies to when not global.
    pub host_groups: ListId,
    /// Index into [`TYPES`].
    pub kind: u8,
    /// 1 + index into [`ACTIONS`]; 0 while unset (never stored so).
    pub action: u8,
    /// 1 + index into [`SEVERITIES`]; 0 for none.
    pub severity: u8,
    /// Applies to every host.
    pub applied_globally: bool,
    /// Deleted (kept, hidden from searches that do not ask for deleted indicators).
    pub deleted: bool,
}

impl Record {
    /// The indicator type.
    pub fn kind(&self) -> &'static str {
        TYPES[usize::from(self.kind)]
    }

    /// The action, if set.
    pub fn action(&self) -> Option<&'static str> {
        usize::from(self.action).checked_sub(1).map(|i| ACTIONS[i])
    }

    /// The severity, if set.
    pub fn severity(&self) -> Option<&'static str> {
        usize::from(self.severity)
            .checked_sub(1)
            .map(|i| SEVERITIES[i])
    }
}

/// Whether an expiration (RFC 3339) has passed at `now`: the first 19 characters
/// (`YYYY-MM-DDTHH:MM:SS`) compare as text.
pub fn is_expired(expiration: &str, now: &str) -> bool {
    expiration.get(..19).unwrap_or(expiration) < now.get(..19).unwrap_or(now)
}

/// A record with what it takes to read it: its slot (for the id), the interned strings, and
/// the time `expired` is judged against.
#[derive(Clone, Copy)]
pub struct Rec<'a> {
    /// The record.
    pub rec: &'a Record,
    /// Its slot.
    pub slot: u32,
    /// The store's interned strings.
    pub strings: &'a Interner,
    /// "Now", RFC 3339.
    pub now: &'a str,
}

/// What a sort compares: `severity_number` or a field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SortField {
    /// 1 (informational) to 5 (critical), 0 without a severity.
    SeverityNumber,
    /// A record field; lists sort by their first item.
    Field(Field),
}

/// One sort key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SortKey {
    /// What to compare.
    pub field: SortField,
    /// Descending order.
    pub desc: bool,
}

/// A value a sort compares. Absent values sort first; values of one field share a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortVal<'a> {
    /// Absent.
    Null,
    /// A boolean (`false` first).
    Bool(bool),
    /// A number.
    Num(i64),
    /// A creation or modification time (orders like its fixed-width RFC 3339 text).
    Micros(u64),
    /// Text, compared byte-wise.
    Str(Cow<'a, str>),
}

impl SortVal<'_> {
    fn rank(&self) -> u8 {
        match self {
            SortVal::Null => 0,
            SortVal::Bool(_) => 1,
            SortVal::Num(_) => 2,
            SortVal::Micros(_) => 3,
            SortVal::Str(_) => 4,
        }
    }

    /// An owned copy (for `after` tokens).
    pub fn into_owned(self) -> SortVal<'static> {
        match self {
            SortVal::Null => SortVal::Null,
            SortVal::Bool(b) => SortVal::Bool(b),
            SortVal::Num(n) => SortVal::Num(n),
            SortVal::Micros(m) => SortVal::Micros(m),
            SortVal::Str(s) => SortVal::Str(Cow::Owned(s.into_owned())),
        }
    }

    /// A borrowed view of the same value.
    pub fn borrowed(&self) -> SortVal<'_> {
        match self {
            SortVal::Str(s) => SortVal::Str(Cow::Borrowed(s)),
            other => other.clone(),
        }
    }
}

impl Ord for SortVal<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (SortVal::Bool(a), SortVal::Bool(b)) => a.cmp(b),
            (SortVal::Num(a), SortVal::Num(b)) => a.cmp(b),
            (SortVal::Micros(a), SortVal::Micros(b)) => a.cmp(b),
            (SortVal::Str(a), SortVal::Str(b)) => a.cmp(b),
            (a, b) => a.rank().cmp(&b.rank()),
        }
    }
}

impl PartialOrd for SortVal<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<'a> Rec<'a> {
    fn opt(&self, sym: Sym) -> Option<&'a str> {
        self.strings.get(sym)
    }

    /// Whether the expiration has passed.
    pub fn expired(&self) -> bool {
        self.opt(self.rec.expiration)
            .is_some_and(|e| is_expired(e, self.now))
    }

    /// The value a sort key compares for this record.
    pub fn sort_val(&self, field: &SortField) -> SortVal<'a> {
        let r = self.rec;
        let text = |s: Option<&'a str>| s.map_or(SortVal::Null, |s| SortVal::Str(Cow::Borrowed(s)));
        let field = match field {
            SortField::SeverityNumber => return SortVal::Num(i64::from(r.severity)),
            SortField::Field(f) => f,
        };
        match field {
            Field::Id => SortVal::Str(Cow::Owned(id_for_slot(self.slot))),
            Field::Type => text(Some(r.kind())),
            Field::Value => text(Some(&r.value)),
            Field::Action => text(r.action()),
            Field::MobileAction => text(self.opt(r.mobile_action)),
            Field::Severity => text(r.severity()),
            Field::Source => text(self.opt(r.source)),
            Field::Description => text(r.description.as_deref()),
            Field::CreatedOn => SortVal::Micros(r.created),
            Field::CreatedBy => text(Some(self.strings.text(r.created_by))),
            Field::ModifiedOn => SortVal::Micros(r.modified),
            Field::ModifiedBy => text(Some(self.strings.text(r.modified_by))),
            Field::Expiration => text(self.opt(r.expiration)),
            Field::AppliedGlobally => SortVal::Bool(r.applied_globally),
            Field::Platforms => text(self.strings.first(r.platforms)),
            Field::Tags => text(self.strings.first(r.tags)),
            Field::HostGroups => text(self.strings.first(r.host_groups)),
            Field::Deleted => SortVal::Bool(r.deleted),
            Field::Expired => SortVal::Bool(self.expired()),
            Field::FromParent => SortVal::Bool(false),
            Field::ParentCidName => SortVal::Null,
            Field::Metadata(path) if &**path == "filename" => text(self.opt(r.filename)),
            Field::Metadata(_) | Field::Named(_) => SortVal::Null,
        }
    }

    /// The field's values as JSON (one per list item; none when absent), for aggregations.
    pub fn values_json(&self, field: &Field) -> Vec<Value> {
        let mut out = Vec::new();
        self.any(field, &mut |s| {
            match s {
                Scalar::Null => {}
                Scalar::Bool(b) => out.push(Value::Bool(b)),
                Scalar::Str(t) => out.push(Value::String(t.to_string())),
            }
            false
        });
        out
    }

    /// The record as the service sends it (`api.IndicatorV1`), as a JSON value.
    pub fn to_json(self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// An interned list, serialised as a JSON array.
struct List<'a>(&'a Interner, ListId);

impl Serialize for List<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.items(self.1))
    }
}

/// `metadata`: `{}` or `{"filename": ...}`.
struct Metadata<'a>(Option<&'a str>);

impl Serialize for Metadata<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(f) = self.0 {
            m.serialize_entry("filename", f)?;
        }
        m.end()
    }
}

/// The record as the service sends it (`api.IndicatorV1`), written straight out (pages of
/// results skip building JSON values). Keys are in sorted order, as a JSON value's are, and
/// absent optional fields are left out.
impl Serialize for Rec<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.rec;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("action", r.action().unwrap_or(""))?;
        m.serialize_entry("applied_globally", &r.applied_globally)?;
        m.serialize_entry("created_by", self.strings.text(r.created_by))?;
        m.serialize_entry("created_on", &util::rfc3339_micros(r.created))?;
        m.serialize_entry("deleted", &r.deleted)?;
        if let Some(v) = r.description.as_deref() {
            m.serialize_entry("description", v)?;
        }
        if let Some(v) = self.opt(r.expiration) {
            m.serialize_entry("expiration", v)?;
        }
        m.serialize_entry("expired", &self.expired())?;
        m.serialize_entry("from_parent", &false)?;
        m.serialize_entry("host_groups", &List(self.strings, r.host_groups))?;
        m.serialize_entry("id", &id_for_slot(self.slot))?;
        m.serialize_entry("metadata", &Metadata(self.opt(r.filename)))?;
        if let Some(v) = self.opt(r.mobile_action) {
            m.serialize_entry("mobile_action", v)?;
        }
        m.serialize_entry("modified_by", self.strings.text(r.modified_by))?;
        m.serialize_entry("modified_on", &util::rfc3339_micros(r.modified))?;
        m.serialize_entry("platforms", &List(self.strings, r.platforms))?;
        if let Some(v) = r.severity() {
            m.serialize_entry("severity", v)?;
        }
        if let Some(v) = self.opt(r.source) {
            m.serialize_entry("source", v)?;
        }
        m.serialize_entry("tags", &List(self.strings, r.tags))?;
        m.serialize_entry("type", r.kind())?;
        m.serialize_entry("value", &*r.value)?;
        m.end()
    }
}

impl Subject for Rec<'_> {
    fn any(&self, field: &Field, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool {
        let r = self.rec;
        let text = |s: Option<&str>, f: &mut dyn FnMut(Scalar<'_>) -> bool| {
            f(s.map_or(Scalar::Null, Scalar::Str))
        };
        let list = |id: ListId, f: &mut dyn FnMut(Scalar<'_>) -> bool| {
            self.strings.items(id).any(|s| f(Scalar::Str(s)))
        };
        match field {
            Field::Id => f(Scalar::Str(&id_for_slot(self.slot))),
            Field::Type => f(Scalar::Str(r.kind())),
            Field::Value => f(Scalar::Str(&r.value)),
            Field::Action => text(r.action(), f),
            Field::MobileAction => text(self.opt(r.mobile_action), f),
            Field::Severity => text(r.severity(), f),
            Field::Source => text(self.opt(r.source), f),
            Field::Description => text(r.description.as_deref(), f),
            Field::CreatedOn => f(Scalar::Str(&util::rfc3339_micros(r.created))),
            Field::CreatedBy => f(Scalar::Str(self.strings.text(r.created_by))),
            Field::ModifiedOn => f(Scalar::Str(&util::rfc3339_micros(r.modified))),
            Field::ModifiedBy => f(Scalar::Str(self.strings.text(r.modified_by))),
            Field::Expiration => text(self.opt(r.expiration), f),
            Field::AppliedGlobally => f(Scalar::Bool(r.applied_globally)),
            Field::Platforms => list(r.platforms, f),
            Field::Tags => list(r.tags, f),
            Field::HostGroups => list(r.host_groups, f),
            Field::Deleted => f(Scalar::Bool(r.deleted)),
            Field::Expired => f(Scalar::Bool(self.expired())),
            Field::FromParent => f(Scalar::Bool(false)),
            Field::ParentCidName => f(Scalar::Null),
            Field::Metadata(path) if &**path == "filename" => text(self.opt(r.filename), f),
            Field::Metadata(_) | Field::Named(_) => f(Scalar::Null),
        }
    }
}
