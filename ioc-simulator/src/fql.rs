//! A subset of the Falcon Query Language (FQL) used by `filter` parameters.
//!
//! Supported: `field:'v'` / `field:"v"` / `field:v`, lists `field:['a','b']` (any of),
//! comparisons `field:>'x'`, `>=`, `<`, `<=` (numbers numerically, other text
//! lexicographically, which orders RFC 3339 dates correctly), negation `field:!'v'`,
//! text match `field:~'part'` / `field:!~'part'`, `*` wildcards in values, `+` for AND
//! (whitespace between terms also means AND, since a raw `+` in a URL decodes to a space),
//! relative times `now`, `now-7d`, `now+1h` in comparisons,
//! `,` for OR (AND binds tighter), parentheses and `!(...)`. Array fields match when any
//! element matches. String equality ignores case.

use serde_json::Value;
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
        /// Field path, e.g. `metadata.filename`.
        field: String,
        /// Operator.
        op: Op,
        /// Literal values (more than one for `[...]`).
        values: Vec<String>,
    },
}

/// Fields a filter may name (plus any `metadata.*` field).
pub const FIELDS: &[&str] = &[
    "id",
    "type",
    "value",
    "action",
    "mobile_action",
    "severity",
    "source",
    "description",
    "created_on",
    "created_by",
    "modified_on",
    "modified_by",
    "expiration",
    "applied_globally",
    "platforms",
    "tags",
    "host_groups",
    "deleted",
    "expired",
    "from_parent",
    "parent_cid_name",
];

/// Normalises a field name: strips a `.raw` suffix; returns `None` if it is unknown.
pub fn canonical_field(field: &str) -> Option<String> {
    let f = field.strip_suffix(".raw").unwrap_or(field);
    (FIELDS.contains(&f) || f.starts_with("metadata.")).then(|| f.to_string())
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

/// Parses a filter. Errors are human-readable and name the problem position.
pub fn parse(input: &str) -> Result<Expr, String> {
    let mut p = Parser {
        s: input.as_bytes(),
        pos: 0,
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

    fn term(&mut self) -> Result<Expr, String> {
        self.skip_ws();
        match self.peek() {
            Some(b'(') => {
                self.pos += 1;
                let e = self.or_expr()?;
                self.skip_ws();
                if self.peek() != Some(b')') {
                    return Err(format!("expected ')' at position {}", self.pos));
                }
                self.pos += 1;
                Ok(e)
            }
            Some(b'!') if self.s.get(self.pos + 1) == Some(&b'(') => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.term()?)))
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
        let field = canonical_field(raw).ok_or_else(|| format!("unknown field '{raw}'"))?;
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

/// Looks up a dotted field path in a JSON record.
pub fn lookup<'a>(record: &'a Value, field: &str) -> Option<&'a Value> {
    field.split('.').try_fold(record, |v, part| v.get(part))
}

impl Expr {
    /// Whether `record` (an indicator as JSON) satisfies the expression.
    pub fn matches(&self, record: &Value) -> bool {
        match self {
            Expr::Or(parts) => parts.iter().any(|e| e.matches(record)),
            Expr::And(parts) => parts.iter().all(|e| e.matches(record)),
            Expr::Not(e) => !e.matches(record),
            Expr::Cmp { field, op, values } => {
                let v = lookup(record, field).unwrap_or(&Value::Null);
                match op {
                    Op::Ne => !values
                        .iter()
                        .any(|lit| any_elem(v, |x| scalar(x, Op::Eq, lit))),
                    Op::NotMatch => !values
                        .iter()
                        .any(|lit| any_elem(v, |x| scalar(x, Op::Match, lit))),
                    op => values
                        .iter()
                        .any(|lit| any_elem(v, |x| scalar(x, *op, lit))),
                }
            }
        }
    }
}

fn any_elem(v: &Value, f: impl Fn(&Value) -> bool) -> bool {
    match v {
        Value::Array(items) => items.iter().any(f),
        other => f(other),
    }
}

fn scalar(v: &Value, op: Op, lit: &str) -> bool {
    let ord = match v {
        Value::Null | Value::Array(_) | Value::Object(_) => return false,
        Value::Bool(b) => {
            let Ok(l) = lit.to_ascii_lowercase().parse::<bool>() else {
                return false;
            };
            b.cmp(&l)
        }
        Value::Number(n) => {
            let (Some(x), Ok(l)) = (n.as_f64(), lit.parse::<f64>()) else {
                return false;
            };
            x.partial_cmp(&l).unwrap_or(Ordering::Equal)
        }
        Value::String(s) => match op {
            Op::Eq => return glob(&s.to_lowercase(), &lit.to_lowercase()),
            Op::Match => return s.to_lowercase().contains(&lit.to_lowercase()),
            _ => s.as_str().cmp(resolve_now(lit).as_deref().unwrap_or(lit)),
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
    let t = now.checked_add(sign * n.checked_mul(secs * 1_000_000)?)?;
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
    use serde_json::json;

    fn rec() -> Value {
        json!({"type": "sha256", "value": "abc123", "severity": "high", "applied_globally": true,
               "platforms": ["windows", "mac"], "created_on": "2024-05-01T00:00:00.000000Z",
               "metadata": {"filename": "evil.exe"}, "tags": []})
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
    fn errors() {
        assert!(parse("nope:'x'").is_err());
        assert!(parse("type:'x").is_err());
        assert!(parse("type").is_err());
        assert!(parse("").is_err());
        assert!(parse("type:'a')").is_err());
    }
}
