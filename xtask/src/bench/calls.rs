//! CPU per call against bare reqwest: runs `ioc-client/benches/overhead.rs` and reads the
//! `method` and `figure` lines it prints.

use std::collections::BTreeMap;
use std::fs;
use std::process::Stdio;

use super::Context;
use super::report::{Report, Row};

pub fn overhead(ctx: &Context, report: &mut Report) -> Result<(), String> {
    let mut command = crate::cargo();
    command
        .args([
            "bench",
            "--quiet",
            "-p",
            "ioc-client",
            "--bench",
            "overhead",
        ])
        .current_dir(&ctx.root);
    // The figures in release (cargo's bench profile); `--quick` in the dev profile, which the
    // tests have already built the dependencies for.
    let shown = if ctx.quick {
        command.args(["--profile", "dev", "--", "--quick"]);
        "cargo bench -p ioc-client --bench overhead --profile dev -- --quick"
    } else {
        "cargo bench -p ioc-client --bench overhead"
    };
    println!("per-call overhead: {shown}");
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let _ = fs::write(ctx.work.join("overhead.log"), stdout.as_bytes());
    print!("{stdout}");
    if !output.status.success() {
        return Err(format!("`{shown}` failed ({})", output.status));
    }
    if let Some(reason) = stdout.lines().find_map(|l| l.strip_prefix("skipped: ")) {
        report.skip("CPU per call against bare reqwest", reason);
        return Ok(());
    }
    let method = stdout
        .lines()
        .find_map(|l| l.strip_prefix("method "))
        .ok_or_else(|| format!("`{shown}` printed no `method` line"))?;
    report.method(
        "calls",
        format!(
            "{method}. The canned server on 127.0.0.1 answers with fixed JSON (HTTP/1.1 keep-alive, never compressed); bare reqwest is the runtime's own (`ioc_client::reqwest`, same version and features) with the client's timeouts; typed decodes into serde-derived structs of the same fields, `Value` into `serde_json::Value`; the bench checks that all four send the same request line, token and `Accept-Encoding` first"
        ),
    );
    for (name, request, before) in [
        (
            "search",
            "`indicator_search_v1`, 100 ids",
            "typed 1.08×, `command()` 1.12×",
        ),
        (
            "get",
            "`indicator_get_v1`, 10 full records",
            "typed 1.13×, `command()` 1.16×",
        ),
    ] {
        let f = figures(&stdout, name)
            .ok_or_else(|| format!("`{shown}` printed no `figure {name}` line"))?;
        let value = |key: &str| f.get(key).copied().unwrap_or(f64::NAN);
        let (typed, command) = (value("typed_ratio"), value("command_ratio"));
        report.rows.push(Row {
            figure: format!("CPU per call vs bare reqwest, canned loopback server: {request}"),
            before,
            now: format!(
                "typed {:.1} vs {:.1} µs: **{typed:.2}×** ({:.2}–{:.2}); `command()` {:.1} vs `Value` {:.1} µs: **{command:.2}×** ({:.2}–{:.2})",
                value("typed_us"),
                value("bare_typed_us"),
                value("typed_ratio_min"),
                value("typed_ratio_max"),
                value("command_us"),
                value("bare_value_us"),
                value("command_ratio_min"),
                value("command_ratio_max"),
            ),
            target: "typed ≤ 1.1×, `command()` ≤ 1.2×",
            holds: Some(typed <= 1.10 && command <= 1.20),
            method: "calls",
            command: format!("`{shown}`"),
        });
    }
    Ok(())
}

/// The `key=value` figures of the bench's `figure NAME ...` line.
fn figures(stdout: &str, name: &str) -> Option<BTreeMap<String, f64>> {
    let line = stdout
        .lines()
        .find(|l| l.strip_prefix("figure ").and_then(|r| r.split(' ').next()) == Some(name))?;
    Some(
        line.split(' ')
            .filter_map(|kv| kv.split_once('='))
            .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_lines() {
        let out = "table\nfigure search typed_us=10.50 typed_ratio=1.0400 rounds=7\n";
        let f = figures(out, "search").unwrap();
        assert_eq!(f["typed_us"], 10.5);
        assert_eq!(f["rounds"], 7.0);
        assert!(figures(out, "get").is_none());
        assert!(figures("figure searching x=1", "search").is_none());
    }
}
