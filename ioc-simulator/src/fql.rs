//! A subset of the Falcon Query Language (FQL) used by `filter` parameters.
//!
//! Supported: `field:'v'` / `field:"v"` / `field:v`, lists `field:['a','b']` (any of),
//! comparisons `field:>'x'`, `>=`, `<`, `<=` (text compares lexicographically, which
//! orders RFC 3339 dates correctly; no filterable field is a number), negation `field:!'v'`,
//! text match `field:~'part'` / `field:!~'part'`, `*` wildcards in values, `+` for AND
//! (whitespace between terms also means AND, since a raw `+` in a URL decodes to a space),
//! relative times `now`, `now-7d`, `now+1h` in comparisons,
//! `,` for OR (AND binds tighter), parentheses and `!(...)`. Array fields match when any
//! element matches. String equality ignores case.
//!
//! Field names are resolved once, when the filter is parsed ([`Field`]), and literals are
//! prepared once ([`Lit`]), so evaluating a filter over a million records does no name
//! lookups and no per-record parsing. Records are reached through [`Subject`].

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::util;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `:` equality (wildcards allowed).
    Eq,
    /// `:!` inequality.
    Ne,
    /// `:>`.
    Gt,
    /// `:>=`.
    Ge,
    /// `:<`.
    Lt,
    /// `:<=`.
    Le,
    /// `:~` contains (case-insensitive).
    Match,
    /// `:!~` does not contain.
    NotMatch,
}

impl Op {
    /// Whether this is an ordering comparison (`>`, `>=`, `<`, `<=`).
    pub fn is_ordering(self) -> bool {
        matches!(self, Op::Gt | Op::Ge | Op::Lt | Op::Le)
    }
}

/// A field of an indicator record that filters, sorts and aggregations can name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// `id`.
    Id,
    /// `type`.
    Type,
    /// `value`.
    Value,
    /// `action`.
    Action,
    /// `mobile_action`.
    MobileAction,
    /// `severity`.
    Severity,
    /// `source`.
    Source,
    /// `description`.
    Description,
    /// `created_on`.
    CreatedOn,
    /// `created_by`.
    CreatedBy,
    /// `modified_on`.
    ModifiedOn,
    /// `modified_by`.
    ModifiedBy,
    /// `expiration`.
    Expiration,
    /// `applied_globally`.
    AppliedGlobally,
    /// `platforms` (array).
    Platforms,
    /// `tags` (array).
    Tags,
    /// `host_groups` (array).
    HostGroups,
    /// `deleted`.
    Deleted,
    /// `expired` (depends on the current time).
    Expired,
    /// `from_parent`.
    FromParent,
    /// `parent_cid_name` (never set in the simulator).
    ParentCidName,
    /// `metadata.<path>`; only `metadata.filename` ever holds a value.
    Metadata(Box<str>),
    /// A field of another kind of record (report executions), by name.
    Named(Box<str>),
}

/// Field names a filter may use, with their field (plus any `metadata.*` path).
const FIELDS: &[(&str, Field)] = &[
    ("id", Field::Id),
    ("type", Field::Type),
    ("value", Field::Value),
    ("action", Field::Action),
    ("mobile_action", Field::MobileAction),
    ("severity", Field::Severity),
    ("source", Field::Source),
    ("description", Field::Description),
    ("created_on", Field::CreatedOn),
    ("created_by", Field::CreatedBy),
    ("modified_on", Field::ModifiedOn),
    ("modified_by", Field::ModifiedBy),
    ("expiration", Field::Expiration),
    ("applied_globally", Field::AppliedGlobally),
    ("platforms", Field::Platforms),
    ("tags", Field::Tags),
    ("host_groups", Field::HostGroups),
    ("deleted", Field::Deleted),
    ("expired", Field::Expired),
    ("from_parent", Field::FromParent),
    ("parent_cid_name", Field::ParentCidName),
];

impl Field {
    /// Resolves a field name (a `.raw` suffix is ignored); `None` if it is unknown.
    pub fn parse(name: &str) -> Option<Field> {
        let f = name.strip_suffix(".raw").unwrap_or(name);
        if let Some(path) = f.strip_prefix("metadata.") {
            return Some(Field::Metadata(path.into()));
        }
        FIELDS
            .iter()
            .find(|(n, _)| *n == f)
            .map(|(_, field)| field.clone())
    }
}

/// One value of a record's field, as a filter sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// Absent.
    Null,
    /// A boolean.
    Bool(bool),
    /// Text.
    Str(&'a str),
}

/// Something a filter can be evaluated against: an indicator record.
pub trait Subject {
    /// Calls `f` on the field's value, or on each element when the field is a list, and
    /// returns whether any call returned true. An empty list calls `f` never, an absent
    /// field calls it once with [`Scalar::Null`].
    fn any(&self, field: &Field, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool;
}

/// A literal value of a comparison, prepared once at parse time.
#[derive(Debug, Clone, PartialEq)]
pub struct Lit {
    /// The value as written.
    pub text: String,
    /// Lower-cased (Unicode) for equality, wildcard and text matches.
    pub lower: String,
    /// What ordering comparisons compare text against: the value, or the RFC 3339
    /// timestamp a relative time (`now-7d`) stands for.
    pub ordered: String,
    /// Whether `ordered` came from a relative time (so the filter depends on the clock).
    pub relative: bool,
}

impl Lit {
    fn new(text: String) -> Lit {
        let resolved = resolve_now(&text);
        Lit {
            lower: text.to_lowercase(),
            relative: resolved.is_some(),
            ordered: resolved.unwrap_or_else(|| text.clone()),
            text,
        }
    }

    /// Whether equality against this literal is an exact (wildcard-free) match.
    pub fn is_exact(&self) -> bool {
        !self.lower.contains('*')
    }
}

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Any of these.
    Or(Vec<Expr>),
    /// All of these.
    And(Vec<Expr>),
    /// Not this.
    Not(Box<Expr>),
    /// One field test against one or more literal values.
    Cmp {
        /// The field.
        field: Field,
        /// Operator.
        op: Op,
        /// Literal values (more than one for `[...]`).
        values: Vec<Lit>,
    },
}

/// How deeply parentheses and `!(...)` may nest; deeper filters are refused (the parser
/// recurses, and an unbounded depth would overflow the stack).
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
    resolve: &'a dyn Fn(&str) -> Option<Field>,
}

/// Parses a filter over indicator fields. Errors are human-readable and name the problem
/// position.
pub fn parse(input: &str) -> Result<Expr, String> {
    parse_with(input, &Field::parse)
}

/// Parses a filter whose field names `resolve` knows (it returns `None` for unknown ones).
pub fn parse_with(input: &str, resolve: &dyn Fn(&str) -> Option<Field>) -> Result<Expr, String> {
    let mut p = Parser {
        s: input.as_bytes(),
        pos: 0,
        depth: 0,
        resolve,
    };
    p.skip_ws();
    if p.pos >= p.s.len() {
        return Err("empty filter".into());
    }
    let e = p.or_expr()?;
    p.skip_ws();
    if p.pos < p.s.len() {
        return Err(format!(
            "unexpected '{}' at position {}",
            p.s[p.pos] as char, p.pos
        ));
    }
    Ok(e)
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn or_expr(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.and_expr()?];
        loop {
            self.skip_ws();
            if self.peek() == Some(b',') {
                self.pos += 1;
                self.skip_ws();
                parts.push(self.and_expr()?);
            } else {
                break;
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and_expr(&mut self) -> Result<Expr, String> {
        let mut parts = vec![self.term()?];
        loop {
            let had_ws = self.skip_ws();
            match self.peek() {
                Some(b'+') => {
                    self.pos += 1;
                    self.skip_ws();
                    parts.push(self.term()?);
                }
                Some(c) if had_ws && (is_field_char(c) || c == b'(' || c == b'!') => {
                    parts.push(self.term()?);
                }
                _ => break,
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!(
                "filter nests deeper than {MAX_DEPTH} levels at position {}",
                self.pos
            ));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn term(&mut self) -> Result<Expr, String> {
        self.skip_ws();
        match self.peek() {
            Some(b'(') => {
                self.pos += 1;
                let e = self.nested(|p| p.or_expr())?;
                self.skip_ws();
                if self.peek() != Some(b')') {
                    return Err(format!("expected ')' at position {}", self.pos));
                }
                self.pos += 1;
                Ok(e)
            }
            Some(b'!') if self.s.get(self.pos + 1) == Some(&b'(') => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.nested(|p| p.term())?)))
            }
            _ => self.comparison(),
        }
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let start = self.pos;
        while self.peek().is_some_and(is_field_char) {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(format!("expected a field name at position {start}"));
        }
        let raw = std::str::from_utf8(&self.s[start..self.pos]).map_err(|e| e.to_string())?;
        let field = (self.resolve)(raw).ok_or_else(|| format!("unknown field '{raw}'"))?;
        if self.peek() != Some(b':') {
            return Err(format!("expected ':' after field '{raw}'"));
        }
        self.pos += 1;
        let rest = &self.s[self.pos..];
        let (op, len) = if rest.starts_with(b"!~") {
            (Op::NotMatch, 2)
        } else if rest.starts_with(b">=") {
            (Op::Ge, 2)
        } else if rest.starts_with(b"<=") {
            (Op::Le, 2)
        } else {
            match rest.first() {
                Some(b'!') => (Op::Ne, 1),
                Some(b'~') => (Op::Match, 1),
                Some(b'>') => (Op::Gt, 1),
                Some(b'<') => (Op::Lt, 1),
                _ => (Op::Eq, 0),
            }
        };
        self.pos += len;
        let values = if self.peek() == Some(b'[') {
            self.pos += 1;
            let mut vals = Vec::new();
            loop {
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    break;
                }
                vals.push(self.value()?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(format!("expected ',' or ']' at position {}", self.pos)),
                }
            }
            if vals.is_empty() {
                return Err(format!("empty value list for field '{raw}'"));
            }
            vals
        } else {
            vec![self.value()?]
        };
        let values = values.into_iter().map(Lit::new).collect();
        Ok(Expr::Cmp { field, op, values })
    }

    fn value(&mut self) -> Result<String, String> {
        match self.peek() {
            Some(q @ (b'\'' | b'"')) => {
                self.pos += 1;
                let mut out = Vec::new();
                loop {
                    match self.peek() {
                        None => return Err("unterminated quoted value".into()),
                        Some(b'\\') if self.s.get(self.pos + 1).is_some() => {
                            out.push(self.s[self.pos + 1]);
                            self.pos += 2;
                        }
                        Some(c) if c == q => {
                            self.pos += 1;
                            break;
                        }
                        Some(c) => {
                            out.push(c);
                            self.pos += 1;
                        }
                    }
                }
                String::from_utf8(out).map_err(|e| e.to_string())
            }
            _ => {
                let start = self.pos;
                while self.peek().is_some_and(|c| {
                    !matches!(c, b'+' | b',' | b')' | b']') && !c.is_ascii_whitespace()
                }) {
                    self.pos += 1;
                }
                if self.pos == start {
                    return Err(format!("expected a value at position {start}"));
                }
                Ok(String::from_utf8_lossy(&self.s[start..self.pos]).into_owned())
            }
        }
    }
}

fn is_field_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-'
}

impl Expr {
    /// Whether `record` satisfies the expression.
    pub fn matches(&self, record: &dyn Subject) -> bool {
        match self {
            Expr::Or(parts) => parts.iter().any(|e| e.matches(record)),
            Expr::And(parts) => parts.iter().all(|e| e.matches(record)),
            Expr::Not(e) => !e.matches(record),
            Expr::Cmp { field, op, values } => match op {
                Op::Ne => !values
                    .iter()
                    .any(|lit| record.any(field, &mut |x| scalar(x, Op::Eq, lit))),
                Op::NotMatch => !values
                    .iter()
                    .any(|lit| record.any(field, &mut |x| scalar(x, Op::Match, lit))),
                op => values
                    .iter()
                    .any(|lit| record.any(field, &mut |x| scalar(x, *op, lit))),
            },
        }
    }

    /// Whether any comparison in the expression names `field`.
    pub fn mentions(&self, field: &Field) -> bool {
        match self {
            Expr::Or(parts) | Expr::And(parts) => parts.iter().any(|e| e.mentions(field)),
            Expr::Not(e) => e.mentions(field),
            Expr::Cmp { field: f, .. } => f == field,
        }
    }

    /// Whether the result can change with the clock alone: `expired`, or an ordering
    /// comparison against a relative time such as `now-1h`.
    pub fn depends_on_time(&self) -> bool {
        match self {
            Expr::Or(parts) | Expr::And(parts) => parts.iter().any(Expr::depends_on_time),
            Expr::Not(e) => e.depends_on_time(),
            Expr::Cmp { field, op, values } => {
                *field == Field::Expired || (op.is_ordering() && values.iter().any(|l| l.relative))
            }
        }
    }
}

/// Lower-cases text for comparison, without allocating when it already is.
fn lowered(s: &str) -> Cow<'_, str> {
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

fn scalar(v: Scalar<'_>, op: Op, lit: &Lit) -> bool {
    let ord = match v {
        Scalar::Null => return false,
        Scalar::Bool(b) => {
            let Ok(l) = lit.text.to_ascii_lowercase().parse::<bool>() else {
                return false;
            };
            b.cmp(&l)
        }
        Scalar::Str(s) => match op {
            Op::Eq => return glob(&lowered(s), &lit.lower),
            Op::Match => return lowered(s).contains(lit.lower.as_str()),
            _ => s.cmp(lit.ordered.as_str()),
        },
    };
    match op {
        Op::Eq | Op::Match => ord == Ordering::Equal,
        Op::Ne | Op::NotMatch => ord != Ordering::Equal,
        Op::Gt => ord == Ordering::Greater,
        Op::Ge => ord != Ordering::Less,
        Op::Lt => ord == Ordering::Less,
        Op::Le => ord != Ordering::Greater,
    }
}

/// Whether text that compares to `lit` with ordering `ord` satisfies `op` (for callers that
/// compare text themselves, such as the creation-time index).
pub fn ordering_satisfies(op: Op, ord: Ordering) -> bool {
    match op {
        Op::Gt => ord == Ordering::Greater,
        Op::Ge => ord != Ordering::Less,
        Op::Lt => ord == Ordering::Less,
        Op::Le => ord != Ordering::Greater,
        Op::Eq | Op::Match => ord == Ordering::Equal,
        Op::Ne | Op::NotMatch => ord != Ordering::Equal,
    }
}

/// Resolves FQL relative times: `now`, `now-7d`, `now+1h` (units `s`, `m`, `h`, `d`, `w`)
/// to an RFC 3339 timestamp; `None` for anything else.
fn resolve_now(lit: &str) -> Option<String> {
    let rest = lit.trim().strip_prefix("now")?;
    let now = util::epoch_micros() as i64;
    if rest.is_empty() {
        return Some(util::rfc3339_micros(now as u64));
    }
    let (sign, rest) = match rest.as_bytes().first()? {
        b'-' => (-1i64, &rest[1..]),
        b'+' => (1i64, &rest[1..]),
        _ => return None,
    };
    let unit = rest.chars().last()?;
    let n: i64 = rest[..rest.len() - unit.len_utf8()].parse().ok()?;
    let secs = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'w' => 604_800,
        _ => return None,
    };
    let t = now.checked_add(sign.checked_mul(n.checked_mul(secs * 1_000_000)?)?)?;
    Some(util::rfc3339_micros(u64::try_from(t).ok()?))
}

/// `*`-wildcard match of the whole text.
fn glob(text: &str, pattern: &str) -> bool {
    if !pattern.contains('*') {
        return text == pattern;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// A JSON record as a filter subject, the way the service's documents look.
    struct Json(Value);

    impl Subject for Json {
        fn any(&self, field: &Field, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool {
            let path = match field {
                Field::Metadata(p) => format!("metadata.{p}"),
                Field::Named(n) => n.to_string(),
                other => FIELDS
                    .iter()
                    .find(|(_, fl)| fl == other)
                    .map(|(n, _)| n.to_string())
                    .unwrap(),
            };
            let v = path
                .split('.')
                .try_fold(&self.0, |v, part| v.get(part))
                .unwrap_or(&Value::Null);
            let one = |v: &Value, f: &mut dyn FnMut(Scalar<'_>) -> bool| match v {
                Value::Bool(b) => f(Scalar::Bool(*b)),
                Value::String(s) => f(Scalar::Str(s)),
                _ => f(Scalar::Null),
            };
            match v {
                Value::Array(items) => items.iter().any(|i| one(i, f)),
                other => one(other, f),
            }
        }
    }

    fn rec() -> Json {
        Json(
            json!({"type": "sha256", "value": "abc123", "severity": "high", "applied_globally": true,
               "platforms": ["windows", "mac"], "created_on": "2024-05-01T00:00:00.000000Z",
               "metadata": {"filename": "evil.exe"}, "tags": []}),
        )
    }

    fn m(f: &str) -> bool {
        parse(f).unwrap().matches(&rec())
    }

    #[test]
    fn basics() {
        assert!(m("type:'sha256'"));
        assert!(m("type:\"SHA256\""));
        assert!(m("type:sha256"));
        assert!(!m("type:'md5'"));
        assert!(m("type:['md5','sha256']"));
        assert!(m("type:!'md5'"));
        assert!(!m("type:!['md5','sha256']"));
        assert!(m("value:'abc*'"));
        assert!(m("value:'*c1*'"));
        assert!(!m("value:'*x*'"));
        assert!(m("applied_globally:true"));
        assert!(!m("applied_globally:false"));
        assert!(m("platforms:'mac'"));
        assert!(!m("platforms:'linux'"));
        assert!(m("metadata.filename:'evil.exe'"));
        assert!(m("metadata.filename.raw:'evil.exe'"));
        assert!(m("value:~'C12'"));
        assert!(
            m("tags:!'x'"),
            "an empty list matches no value, so `!` holds"
        );
        assert!(m("source:!'x'"), "an absent field is not equal to anything");
    }

    #[test]
    fn comparisons_and_logic() {
        assert!(m("created_on:>'2024-01-01T00:00:00Z'"));
        assert!(m("created_on:>='2024-05-01T00:00:00.000000Z'"));
        assert!(m("created_on:<'now'"));
        assert!(m("created_on:<'now-1d'"));
        assert!(!m("created_on:>'now-1w'"));
        assert!(m("created_on:<'now+2h'"));
        assert!(!m("created_on:<'2024-01-01'"));
        assert!(m("type:'md5',severity:'high'"));
        assert!(!m("type:'md5'+severity:'high'"));
        assert!(m("type:'sha256'+severity:'high'"));
        assert!(m("type:'sha256' severity:'high'"));
        assert!(m("type:'md5'+severity:'low',type:'sha256'"));
        assert!(m("(type:'md5',type:'sha256')+severity:'high'"));
        assert!(!m("!(type:'sha256')"));
    }

    #[test]
    fn clock_and_field_questions() {
        assert!(parse("created_on:>'now-1h'").unwrap().depends_on_time());
        assert!(parse("expired:false").unwrap().depends_on_time());
        assert!(!parse("created_on:'now'").unwrap().depends_on_time());
        assert!(!parse("type:'md5'+tags:'x'").unwrap().depends_on_time());
        assert!(
            parse("type:'md5',!(deleted:true)")
                .unwrap()
                .mentions(&Field::Deleted)
        );
        assert!(!parse("type:'md5'").unwrap().mentions(&Field::Deleted));
    }

    #[test]
    fn errors() {
        assert!(parse("nope:'x'").is_err());
        assert!(parse("type:'x").is_err());
        assert!(parse("type").is_err());
        assert!(parse("").is_err());
        assert!(parse("type:'a')").is_err());
        // Deep nesting is refused, not a stack overflow.
        let deep = format!("{}type:'a'{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep).unwrap_err().contains("nests deeper"));
        let deep_not = format!("{}type:'a'{}", "!(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep_not).is_err());
        assert!(parse(&format!("{}type:'a'{}", "(".repeat(60), ")".repeat(60))).is_ok());
        // A relative time too far out is plain text, not an overflow.
        assert!(parse("created_on:>'now-9223372036854775807w'").is_ok());
    }
}
