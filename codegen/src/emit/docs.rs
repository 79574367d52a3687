//! Doc comment text for generated items, built from spec text.

use crate::ir::Limits;

/// The paragraphs of an item's documentation, blank lines between them, empty ones dropped.
pub(crate) fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in parts.into_iter().flatten() {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.push(part.to_string());
    }
    out
}

/// What the service takes of a parameter, in a sentence for its docs: the items one request
/// holds (a longer list is split by the runtime), the range of an integer (checked before
/// sending). `None` when the spec states no limit.
pub(crate) fn limits(limits: &Limits) -> Option<String> {
    let mut out = Vec::new();
    if let Some(n) = limits.max_items {
        out.push(format!(
            "The service takes at most {n} per request: a longer list is sent in several \
             requests, whose replies come back merged as one."
        ));
    }
    let range = match (limits.minimum, limits.maximum) {
        (Some(min), Some(max)) => Some(format!("{min} to {max}")),
        (Some(min), None) => Some(format!("{min} or more")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (None, None) => None,
    };
    if let Some(range) = range {
        out.push(format!(
            "The service takes {range}; a value outside is refused before anything is sent."
        ));
    }
    (!out.is_empty()).then(|| out.join(" "))
}

/// What the service takes of a body's list fields, in a sentence for the body's docs: longer
/// lists are refused before anything is sent, so callers send batches.
pub(crate) fn body_limits(max_items: &[(String, u32)]) -> Option<String> {
    let fields: Vec<String> = max_items
        .iter()
        .map(|(name, n)| format!("at most {n} `{name}`"))
        .collect();
    (!fields.is_empty()).then(|| {
        format!(
            "The service takes {} per request; a longer list is refused before anything is \
             sent (send it in batches).",
            fields.join(" and ")
        )
    })
}
