//! Plain-text summaries of an API and of generated code, for snapshots and for the xtask.

use std::fmt::Write;

use crate::ir::Api;

/// Every operation with its method name, alias and the ids `command()` accepts, one per line.
pub fn names(api: &Api) -> String {
    let mut out = String::new();
    for op in &api.operations {
        let _ = writeln!(
            out,
            "{:<36} {:<6} {:<44} method={} alias={} command=[{}]",
            op.id,
            op.http_method.as_str(),
            op.path,
            op.method_name,
            op.alias.as_deref().unwrap_or("-"),
            op.command_ids.join(", ")
        );
    }
    out
}

/// Every generated file of a run, each after a marker line naming it, then the warnings: the
/// text of the generator's snapshots (`codegen/tests/snapshots/`).
pub fn rendered(generated: &crate::Generated) -> String {
    let mut out = String::new();
    for file in &generated.files {
        let _ = write!(out, "===== {} =====\n{}\n", file.path, file.contents);
    }
    for warning in &generated.warnings {
        let _ = write!(out, "===== warning =====\n{warning}\n");
    }
    out
}
