//! Plain-text summaries of an API, for snapshots and for the xtask's one-line report.

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
