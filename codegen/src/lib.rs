//! The falcon-ioc-rs generator: an OpenAPI spec in, the Rust files of a typed client out.
//!
//! The pipeline is pure and runs in three steps:
//! 1. [`load`] parses YAML or JSON into an OpenAPI 3.0 document;
//! 2. [`lower`] resolves it into the intermediate form ([`ir`]), naming everything by the rules
//!    in [`names`] and reporting clashes as [`diagnostics`];
//! 3. [`emit`] turns the intermediate form into `prettyplease`-formatted files.
//!
//! [`generate`] runs all three.

pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod report;

pub use diagnostics::{Diagnostic, Error, Severity};
pub use emit::{EmitOptions, GeneratedFile};

/// The result of a generation run.
#[derive(Debug, Clone)]
pub struct Generated {
    pub api: ir::Api,
    pub files: Vec<GeneratedFile>,
    /// Warnings: things that were generated with a fallback.
    pub warnings: Vec<Diagnostic>,
}

/// Spec text in, generated files out. Deterministic: the same text gives the same bytes.
pub fn generate(spec_text: &str, options: &EmitOptions) -> Result<Generated, Error> {
    let doc = load::parse(spec_text)?;
    let (api, warnings) = lower::lower(&doc)?;
    let files = emit::emit(&api, options)?;
    Ok(Generated {
        api,
        files,
        warnings,
    })
}
