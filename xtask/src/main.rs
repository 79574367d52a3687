//! Maintenance tasks for falcon-ioc-rs, run as `cargo xtask <task>`.
//!
//! - `codegen [--check] [--spec PATH --out DIR [--patches FILE] [--crate NAME] [--runtime R]]`:
//!   regenerate the client from the spec (with `--spec`/`--out` outside a crate's `src/`: a
//!   whole crate, depending on `falcon-runtime` by `R`: `path` (this checkout, the default),
//!   `path:DIR`, `version:REQ` or `git:URL[#REV]`);
//! - `spec import UPSTREAM --out FILE [--tag T]... [--operation ID]...`: extract a subset;
//! - `spec diff OLD NEW [--deny-breaking]`: what changed, and what breaks callers;
//! - `spec update UPSTREAM [--prune-text] [--deny-breaking] [--check]`: rebuild `spec/ioc.yaml`
//!   from upstream and `spec/overlay.yaml`, show what changed, regenerate the client and its
//!   snapshots (`--prune-text`: and remove our words for what upstream dropped from the overlay);
//! - `package`: package the published crates (verified), and build and run a crate outside the
//!   repository against the packages;
//! - `bench [--quick]`: measure generation, check time and per-call overhead into BENCHMARKS.md.
//!
//! See docs/maintaining.md.

mod bench;
mod codegen;
mod package;
mod spec;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:\n  cargo xtask codegen [--check] [--spec PATH --out DIR [--patches FILE] [--crate NAME] [--runtime path|version:REQ|git:URL[#REV]]]\n  cargo xtask spec import UPSTREAM --out FILE [--tag TAG]... [--operation ID]...\n  cargo xtask spec diff OLD NEW [--deny-breaking]\n  cargo xtask spec update UPSTREAM [--overlay FILE] [--spec FILE --out DIR] [--prune-text] [--deny-breaking] [--check]\n  cargo xtask package\n  cargo xtask bench [--quick]";

/// Generating the whole Falcon API allocates millions of small strings and values; glibc's
/// malloc and free were a fifth of the run's samples, mimalloc's are a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `cargo xtask bench` runs this binary as cargo's `RUSTC_WRAPPER` to measure rustc.
    if let Some(code) = bench::rustc_wrapper::run_if_wrapping() {
        return code;
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::Args::parse(&args[1..]).and_then(|a| codegen::run(&a)),
        Some("spec") => spec::run(&args[1..]),
        Some("package") => package::run(&args[1..]),
        Some("bench") => bench::Args::parse(&args[1..]).and_then(|a| bench::run(&a)),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task `{other}`\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The cargo that runs this xtask (`$CARGO`), or the one on the `PATH`.
fn cargo() -> std::process::Command {
    std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The workspace root: the folder above this crate.
fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}
