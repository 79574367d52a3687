//! Removing stale entries of ours ([`super::Built::stale`]) from the overlay's text, line by
//! line: the file is edited, never re-serialized, so every other line, comment and anchor stays
//! as it was. An entry is found as a block mapping key (`key:` on its own line, its value on the
//! same line or on deeper lines); a mapping the removal leaves empty goes too (an empty
//! `parameters:` would read as null). The result is checked: it must read as the old file
//! without exactly those entries, or nothing is pruned.

use std::ops::Range;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Error, pointer};

/// The overlay's text after [`prune`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pruned {
    pub text: String,
    /// Each removed entry (keys from the top of the file) and how many lines went with it,
    /// emptied parents included.
    pub removed: Vec<(Vec<String>, usize)>,
    /// Entries not found as block mapping keys (written inline, `{a: b}`, or reached through
    /// an alias): left in place, to remove by hand.
    pub kept: Vec<Vec<String>>,
}

/// Removes `entries` (each a path of keys from the top of the file) from the overlay `text`.
/// `label` names the file in the error, given when the edited text would not read as the old
/// one without exactly those entries (then nothing is pruned).
pub fn prune(text: &str, entries: &[Vec<String>], label: &str) -> Result<Pruned, Error> {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut removed = Vec::new();
    let mut kept = Vec::new();
    for keys in entries {
        let Some(range) = find(&lines, keys) else {
            kept.push(keys.clone());
            continue;
        };
        let mut count = range.len();
        lines.drain(range);
        // Parents left without content go too, innermost first.
        for depth in (1..keys.len()).rev() {
            match find(&lines, &keys[..depth]) {
                Some(parent) if parent.len() == 1 && !has_inline_value(lines[parent.start]) => {
                    count += 1;
                    lines.drain(parent);
                }
                _ => break,
            }
        }
        removed.push((keys.clone(), count));
    }
    let pruned = lines.concat();

    let refused = |message: String| {
        Error::single(
            Diagnostic::error(format!("{label}#"), message)
                .hint("nothing was pruned: remove the entries the warnings name by hand"),
        )
    };
    let read = |t: &str| serde_yaml_ng::from_str::<Value>(t);
    let mut expected =
        read(text).map_err(|e| refused(format!("the overlay does not read as YAML: {e}")))?;
    for (keys, _) in &removed {
        remove(&mut expected, keys);
    }
    let got = read(&pruned)
        .map_err(|e| refused(format!("the overlay would no longer read as YAML: {e}")))?;
    if got != expected {
        let named = removed
            .iter()
            .map(|(keys, _)| pointer(keys))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(refused(format!(
            "removing the lines of {named} would change more than those entries (an anchor they define, or an unusual layout)"
        )));
    }
    Ok(Pruned {
        text: pruned,
        removed,
        kept,
    })
}

/// The lines of the entry at `keys`: its key line through its last deeper line that is not
/// blank or a comment (trailing comments and blank lines belong to what follows).
fn find(lines: &[&str], keys: &[String]) -> Option<Range<usize>> {
    let mut within = 0..lines.len();
    let mut parent_indent: Option<usize> = None;
    let mut found = None;
    for key in keys {
        let first = within.clone().find(|&i| is_content(lines[i]))?;
        let indent = indent_of(lines[first]);
        if parent_indent.is_some_and(|p| indent <= p) {
            return None;
        }
        let start = within
            .clone()
            .filter(|&i| is_content(lines[i]) && indent_of(lines[i]) == indent)
            .find(|&i| key_of(lines[i]).as_deref() == Some(key.as_str()))?;
        let block = block_scalar(lines[start]);
        let mut last = start;
        for (i, line) in lines.iter().enumerate().take(within.end).skip(start + 1) {
            let deeper = indent_of(line) > indent;
            if block && (line.trim().is_empty() || deeper) {
                if !line.trim().is_empty() {
                    last = i;
                }
                continue;
            }
            if !is_content(line) {
                continue;
            }
            if !deeper {
                break;
            }
            last = i;
        }
        within = start + 1..last + 1;
        parent_indent = Some(indent);
        found = Some(start..last + 1);
    }
    found
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Not blank and not a comment.
fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// The key of a block mapping line (`  key: value`, `  'key':`), unquoted.
fn key_of(line: &str) -> Option<String> {
    let t = line.trim();
    let (key, rest) = if let Some(inner) = t.strip_prefix('\'') {
        let end = find_quote_end(inner, '\'')?;
        (inner[..end].replace("''", "'"), &inner[end + 1..])
    } else if let Some(inner) = t.strip_prefix('"') {
        let end = find_quote_end(inner, '"')?;
        (inner[..end].replace("\\\"", "\""), &inner[end + 1..])
    } else {
        if t.starts_with(['-', '{', '[', '?', '&', '*', '!', '|', '>']) {
            return None;
        }
        let end = t
            .match_indices(':')
            .map(|(i, _)| i)
            .find(|&i| t[i + 1..].is_empty() || t[i + 1..].starts_with([' ', '\t']))?;
        (t[..end].trim_end().to_string(), &t[end..])
    };
    (rest.starts_with(':') && (rest.len() == 1 || rest[1..].starts_with([' ', '\t'])))
        .then_some(key)
}

/// Where a quoted scalar that began before `inner` ends (`''` is a quote in single quotes,
/// `\"` in double ones).
fn find_quote_end(inner: &str, quote: char) -> Option<usize> {
    let bytes = inner.as_bytes();
    let q = quote as u8;
    let mut i = 0;
    while i < bytes.len() {
        if quote == '"' && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == q {
            if quote == '\'' && bytes.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The value after the key, without a trailing comment.
fn inline_value(line: &str) -> &str {
    let t = line.trim();
    let after = match t.chars().next() {
        Some(q @ ('\'' | '"')) => find_quote_end(&t[1..], q).map_or("", |end| &t[end + 2..]),
        _ => t,
    };
    let value = after
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| after[i + 1..].is_empty() || after[i + 1..].starts_with([' ', '\t']))
        .map_or("", |i| &after[i + 1..]);
    let value = value.trim();
    if value.starts_with('#') {
        ""
    } else {
        value.split(" #").next().unwrap_or("").trim()
    }
}

/// The key holds a value on its own line (`parameters: {}`): not an emptied parent.
fn has_inline_value(line: &str) -> bool {
    !inline_value(line).is_empty()
}

/// The value is a block scalar (`|`, `>-`, ...), whose lines may look like comments.
fn block_scalar(line: &str) -> bool {
    let value = inline_value(line);
    let value = value
        .split_whitespace()
        .find(|w| !w.starts_with(['&', '!']))
        .unwrap_or("");
    value.starts_with(['|', '>'])
}

/// `value` without the entry at `keys`, and without the mappings that leaves empty.
fn remove(value: &mut Value, keys: &[String]) {
    let Some((last, parents)) = keys.split_last() else {
        return;
    };
    let mut chain: Vec<&str> = parents.iter().map(String::as_str).collect();
    let mut target = last.as_str();
    loop {
        let mut node = &mut *value;
        for k in &chain {
            match node.get_mut(*k) {
                Some(child) => node = child,
                None => return,
            }
        }
        let Some(map) = node.as_object_mut() else {
            return;
        };
        map.remove(target);
        if !map.is_empty() {
            return;
        }
        match chain.pop() {
            Some(k) => target = k,
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# The overlay.
anchors:
  why: &why a reason
text:
  info: {title: T, description: D}
  # Our words for operations.
  operations:
    a.get.v1:
      summary: Get a
      parameters:
        gone: 'Text that went: ''quoted'''
        # about `kept`
        kept: Still here, with text that goes on
          over two lines.
    b.gone.v1:
      summary: B
      description: |
        # not a comment

        more
    c.get.v1:
      parameters:
        only: The only one.
      responses: {'200': Inline.}
falconpy-names:
  b.gone.v1: b_gone
reason: *why
";

    fn keys(path: &str) -> Vec<String> {
        path.split('/').map(str::to_string).collect()
    }

    #[test]
    fn entries_go_with_their_lines_and_every_other_line_stays() {
        let pruned = prune(
            FILE,
            &[
                keys("text/operations/a.get.v1/parameters/gone"),
                keys("text/operations/b.gone.v1"),
                keys("text/operations/c.get.v1/parameters/only"),
                keys("text/operations/c.get.v1/responses/200"),
                keys("falconpy-names/b.gone.v1"),
            ],
            "overlay.yaml",
        )
        .unwrap();
        assert_eq!(
            pruned.text,
            FILE.replace("        gone: 'Text that went: ''quoted'''\n", "")
                .replace(
                    "    b.gone.v1:\n      summary: B\n      description: |\n        # not a comment\n\n        more\n",
                    ""
                )
                .replace("      parameters:\n        only: The only one.\n", "")
                .replace("falconpy-names:\n  b.gone.v1: b_gone\n", "")
        );
        // The emptied `parameters:` of `c.get.v1` and `falconpy-names:` went with their entries.
        assert_eq!(
            pruned.removed.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
            [1, 6, 2, 2]
        );
        assert_eq!(
            pruned.kept,
            [keys("text/operations/c.get.v1/responses/200")]
        );
        // Nothing left to prune: the same text.
        let again = prune(&pruned.text, &[], "overlay.yaml").unwrap();
        assert_eq!(again.text, pruned.text);
    }

    #[test]
    fn an_entry_defining_an_anchor_used_elsewhere_is_refused() {
        let file = "anchors: {}\ntext:\n  x:\n    a: &t text\n    b: *t\n";
        let e = prune(file, &[keys("text/x/a")], "overlay.yaml").unwrap_err();
        assert!(e.to_string().starts_with("error at overlay.yaml#: "), "{e}");
        assert!(e.to_string().contains("by hand"), "{e}");
    }

    #[test]
    fn keys_are_read_plain_and_quoted() {
        assert_eq!(key_of("  a.b.v1:").as_deref(), Some("a.b.v1"));
        assert_eq!(key_of("  'x:y': v").as_deref(), Some("x:y"));
        assert_eq!(
            key_of("  https://h.example: v").as_deref(),
            Some("https://h.example")
        );
        assert_eq!(key_of("  - a: b"), None);
        assert_eq!(key_of("  continuation text"), None);
        assert!(block_scalar("  d: >-"));
        assert!(!block_scalar("  d: a | b"));
        assert!(!has_inline_value("  parameters:  # comment"));
    }
}
