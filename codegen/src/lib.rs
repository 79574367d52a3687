//! The falcon-ioc-rs generator: an OpenAPI spec in, the Rust files of a typed client out.
//!
//! The pipeline is pure and runs in three steps:
//! 1. [`load`] parses YAML or JSON, applies [`patches`] when given, detects OpenAPI 3.0 or
//!    Swagger 2.0 (converted by [`swagger`]) and reads an OpenAPI 3.0 document;
//! 2. [`lower`] resolves it into the intermediate form ([`ir`]), naming everything by the rules
//!    in [`names`] and reporting what it cannot support as [`diagnostics`];
//! 3. [`emit`] turns the intermediate form into source text, written line by line as rustfmt
//!    would lay it out.
//!
//! [`generate`] runs them all. Besides generation: [`diff`] compares two specs, [`import`]
//! extracts a subset of one (structure only), [`overlay`] builds `spec/ioc.yaml` from upstream
//! and our overlay, [`write`] writes a spec as YAML, [`package`] writes a whole crate around a
//! generated module. What reads or changes the document as an untyped tree (operations, HTTP
//! methods, JSON pointers) asks [`walk`].

pub mod bundle;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod import;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod openapi31;
pub mod overlay;
pub mod package;
pub mod patches;
mod precheck;
pub mod report;
pub mod swagger;
pub mod walk;
pub mod write;
mod yaml;

pub use bundle::Files;
pub use diagnostics::{Diagnostic, Error, Severity};
pub use emit::{EmitOptions, GeneratedFile};
pub use patches::Patches;

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
    generate_with(spec_text, &Patches::default(), options)
}

/// [`generate`], with `patches` applied to the document before anything else reads it.
pub fn generate_with(
    spec_text: &str,
    patches: &Patches,
    options: &EmitOptions,
) -> Result<Generated, Error> {
    generate_from(spec_text, None, patches, options)
}

/// [`generate_with`], for a spec read from disk: `files` reads the other files its `$ref`s
/// name ([`bundle`]), and diagnostics about their nodes name them (`paths/pets.yaml#/get`).
pub fn generate_from(
    spec_text: &str,
    files: Option<Files<'_>>,
    patches: &Patches,
    options: &EmitOptions,
) -> Result<Generated, Error> {
    let (api, warnings) = read_api_from(spec_text, files, patches)?;
    let files = emit::emit(&api, options)?;
    Ok(Generated {
        api,
        files,
        warnings,
    })
}

/// Spec text (and patches) → the intermediate form and its warnings, with every diagnostic
/// pointing into the document as written.
pub fn read_api(spec_text: &str, patches: &Patches) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    read_api_from(spec_text, None, patches)
}

/// [`read_api`], with the other files of a spec on disk ([`generate_from`]).
pub fn read_api_from(
    spec_text: &str,
    files: Option<Files<'_>>,
    patches: &Patches,
) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    let mut document = load::read(spec_text)?;
    let bundled = bundle::bundle(&mut document.value, document.format, files);
    patches.apply(&mut document.value, document.format)?;
    let read = read_bundled(document, &bundled.origins);
    bundled.finish(read)
}

/// The intermediate form of a document whose other files are in it, every diagnostic placed in
/// the file its node came from.
fn read_bundled(
    document: load::Document,
    origins: &bundle::Origins,
) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    let loaded = document.load().map_err(|e| origins.place_all(e))?;
    let translate = |d: Diagnostic| origins.place(loaded.source.translate(d));
    let placed: Vec<Diagnostic> = loaded
        .warnings
        .iter()
        .cloned()
        .map(|d| origins.place(d))
        .collect();
    match lower::lower(&loaded.doc) {
        Ok((api, warnings)) => {
            let mut all = placed;
            all.extend(warnings.into_iter().map(translate));
            Ok((api, all))
        }
        Err(e) => {
            let mut all: Vec<Diagnostic> = e.diagnostics.into_iter().map(translate).collect();
            all.extend(placed);
            Err(Error {
                diagnostics: crate::diagnostics::errors_first(all),
            })
        }
    }
}
