//! Located errors and warnings: every one names the JSON pointer in the source document, the
//! operation where there is one, what is wrong and what would fix it.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON pointer into the source document (`#/paths/~1iocs~1entities~1indicators~1v1/get`);
    /// for a node of another file of a spec in several files, that file and the pointer in it
    /// (`paths/pets.yaml#/get/responses`).
    pub pointer: String,
    pub operation: Option<String>,
    pub message: String,
    /// What would fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            operation: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(pointer, message)
        }
    }

    pub fn in_operation(mut self, id: Option<&str>) -> Self {
        self.operation = id.map(str::to_string);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level} at {}", self.pointer)?;
        if let Some(op) = &self.operation {
            write!(f, " (operation {op})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// Generation failed: one or more error diagnostics, and any warnings seen on the way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub fn single(diagnostic: Diagnostic) -> Self {
        Error {
            diagnostics: vec![diagnostic],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for d in &self.diagnostics {
            if !first {
                writeln!(f)?;
            }
            first = false;
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

// Every diagnostic is located by a pointer: the pointer builders live with the rest of the
// document walk, and are reachable from here where diagnostics are made.
pub use crate::walk::{child, pointer};

/// Errors before warnings, each group in the order found: the order every list of
/// diagnostics is reported in.
pub fn errors_first(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let (mut errors, warnings): (Vec<_>, Vec<_>) = diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    errors.extend(warnings);
    errors
}
