//! Doc comment text for generated items, built from spec text.

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
