//! Emitters: the intermediate form → Rust files. Each emitter writes one file, as text laid
//! out like rustfmt's (see [`code`]), and reads only `crate::ir`.

mod blocking;
mod builders;
pub mod cli_help;
mod client;
pub(crate) mod code;
mod docs;
mod falconpy;
pub mod features;
mod models;
mod operations;
mod table;
mod types;

use code::Code;

use crate::diagnostics::{Diagnostic, Error};
use crate::ir::Api;

/// One generated file, its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// What the emitters need besides the API.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// How the spec is named in each file's header (`spec/ioc.yaml`).
    pub spec_label: String,
    /// The path of the runtime crate in generated code (`falcon_runtime`).
    pub runtime_crate: String,
    /// Whether each tag becomes a cargo feature gating its operations and the models only they
    /// reach (the crate's `Cargo.toml` must declare them: see [`features::tag_features`]).
    pub tag_features: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            spec_label: "spec/ioc.yaml".into(),
            runtime_crate: "falcon_runtime".into(),
            tag_features: false,
        }
    }
}

/// Every method name the generated `Client` has of its own, async or blocking: no operation
/// may take one (lowering checks this).
pub fn reserved_client_methods() -> impl Iterator<Item = &'static str> {
    client::METHODS.iter().chain(blocking::METHODS).copied()
}

/// What every emitter needs besides the API.
pub(crate) struct Context {
    /// The runtime crate as code names it (`::falcon_runtime`).
    pub runtime: String,
    /// The runtime crate as doc links name it (`falcon_runtime`).
    pub runtime_doc: String,
    /// The spec, as each file's header names it.
    pub spec_label: String,
}

/// A new file: the `@generated` header line.
pub(crate) fn header(cx: &Context) -> Code {
    let mut code = Code::new();
    code.line(format!(
        "{} from {}; do not edit",
        crate::package::GENERATED_MARKER,
        cx.spec_label
    ));
    code
}

/// Emits every file of the generated module.
pub fn emit(api: &Api, options: &EmitOptions) -> Result<Vec<GeneratedFile>, Error> {
    if !crate::names::is_identifier(&options.runtime_crate) {
        return Err(Error::single(
            Diagnostic::error(
                "#",
                format!("`{}` is not a Rust crate name", options.runtime_crate),
            )
            .hint("name the runtime crate as code uses it, with `_` for `-` (`falcon_runtime`)"),
        ));
    }
    let cx = Context {
        runtime: format!("::{}", options.runtime_crate),
        runtime_doc: options.runtime_crate.clone(),
        spec_label: options.spec_label.clone(),
    };
    let gates = if options.tag_features {
        features::Gates::by_tag(api)
    } else {
        features::Gates::none()
    };
    // The models are about half the output: written on a thread of their own while the other
    // files are written here.
    let (models, mut files) = std::thread::scope(|scope| {
        let models = scope.spawn(|| models::emit(api, &cx, &gates));
        let files = vec![
            ("blocking.rs", blocking::emit(api, &cx)),
            ("client.rs", client::emit(api, &cx)),
            ("mod.rs", module(api, &cx)),
            ("operations.rs", operations::emit(api, &cx, &gates)),
            ("table.rs", table::emit(api, &cx, &gates)),
        ];
        // A panic in the models emitter is the generator's bug; it surfaces as the same panic.
        let models = models
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (models, files)
    });
    files.push(("models.rs", models));
    files.sort_by_key(|(path, _)| *path);
    Ok(files
        .into_iter()
        .map(|(path, contents)| GeneratedFile {
            path: path.to_string(),
            contents,
        })
        .collect())
}

/// `mod.rs`: the module's own docs and its parts.
fn module(api: &Api, cx: &Context) -> String {
    let mut code = header(cx);
    code.inner_doc([
        format!("The generated client for the {}.", api.title),
        String::new(),
        format!(
            "Everything below this module is written by `cargo xtask codegen` from `{}`.",
            cx.spec_label
        ),
    ]);
    code.blank();
    code.line("mod client;");
    code.line("pub mod models;");
    code.line("pub mod operations;");
    code.line("pub mod table;");
    code.blank();
    code.open(format!("{}::if_blocking! {{", cx.runtime));
    code.line("pub mod blocking;");
    code.close("}");
    code.blank();
    code.line("pub use client::Client;");
    code.finish()
}
