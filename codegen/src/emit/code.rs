//! Writing Rust source text: lines at an indentation, doc comments, literals.
//!
//! The emitters write their files through this directly, laid out as rustfmt would lay them
//! out, instead of building token streams that would then be parsed again and pretty-printed:
//! that round trip was most of the generator's time on the whole Falcon API. What they write is
//! checked by compiling it (the fixtures, the fuzz test's sample, the whole-API and peer-spec
//! crates), and in debug builds by parsing each file once (see `emit::finish`).

use std::fmt::Write;

/// A file being written.
pub(crate) struct Code {
    out: String,
    depth: usize,
}

impl Code {
    pub(crate) fn new() -> Code {
        Code {
            out: String::with_capacity(1 << 16),
            depth: 0,
        }
    }

    /// One line at the current indentation; an empty one stays empty.
    pub(crate) fn line(&mut self, text: impl AsRef<str>) {
        let text = text.as_ref();
        if !text.is_empty() {
            for _ in 0..self.depth {
                self.out.push_str("    ");
            }
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    /// An empty line, unless the file is empty or already ends with one or an opened block.
    pub(crate) fn blank(&mut self) {
        if !(self.out.is_empty() || self.out.ends_with("\n\n") || self.out.ends_with("{\n")) {
            self.out.push('\n');
        }
    }

    /// A line that opens a block (`impl X {`, `match key {`); what follows is indented.
    pub(crate) fn open(&mut self, text: impl AsRef<str>) {
        self.line(text);
        self.depth += 1;
    }

    /// A line that closes the innermost block (`}`, `});`).
    pub(crate) fn close(&mut self, text: impl AsRef<str>) {
        self.depth = self.depth.saturating_sub(1);
        self.line(text);
    }

    /// A line that closes one bracket and opens another (`) -> Result<(), E> {`).
    pub(crate) fn reopen(&mut self, text: impl AsRef<str>) {
        self.depth = self.depth.saturating_sub(1);
        self.line(text);
        self.depth += 1;
    }

    /// Ends the statement on the last line written with `;` and leaves the block its
    /// continuation lines were indented in.
    pub(crate) fn close_statement(&mut self) {
        if self.out.ends_with('\n') {
            self.out.pop();
        }
        self.out.push_str(";\n");
        self.depth = self.depth.saturating_sub(1);
    }

    /// `///` lines: the item's documentation.
    pub(crate) fn doc<S: AsRef<str>>(&mut self, lines: impl IntoIterator<Item = S>) {
        for line in doc_lines(lines) {
            self.line(format!("///{line}"));
        }
    }

    /// `//!` lines: the module's own documentation.
    pub(crate) fn inner_doc<S: AsRef<str>>(&mut self, lines: impl IntoIterator<Item = S>) {
        for line in doc_lines(lines) {
            self.line(format!("//!{line}"));
        }
    }

    /// `#[cfg(..)]` and other attribute lines, when there are any.
    pub(crate) fn attr(&mut self, attr: Option<&str>) {
        if let Some(attr) = attr {
            self.line(attr);
        }
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Each input line split at newlines, with the leading space rustdoc expects; blank lines kept.
/// Control characters (a bare carriage return ends a doc comment badly) become spaces.
fn doc_lines<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let line = line.as_ref();
        if line.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        for l in line.lines() {
            let l: String = l
                .chars()
                .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
                .collect();
            match l.trim_end() {
                "" => out.push(String::new()),
                l => out.push(format!(" {l}")),
            }
        }
    }
    out
}

/// A Rust string literal holding exactly `text`.
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_docs_are_valid_rust() {
        assert_eq!(string("a\"b\\c\nd\u{7}"), r#""a\"b\\c\nd\u{7}""#);
        let mut code = Code::new();
        code.open("impl X {");
        code.doc(["One.\r\nTwo\u{0}", "", "  "]);
        code.line("fn f() {}");
        code.close("}");
        assert_eq!(
            code.finish(),
            "impl X {\n    /// One.\n    /// Two\n    ///\n    ///\n    fn f() {}\n}\n"
        );
    }
}
