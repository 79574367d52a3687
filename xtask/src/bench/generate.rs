//! The whole upstream spec → a crate of files, with the release generator; and how many lines
//! that crate has.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::measure::{self, Summary};
use super::report::{self, Report, Row};
use super::{Context, UPSTREAM};

/// The crate the generator wrote.
pub struct Generated {
    pub dir: PathBuf,
    pub operations: usize,
}

/// The name of the generated crate (and its directory under `target/bench/`).
pub const CRATE: &str = "falcon-api";

/// Generates the whole spec `runs` times, each into an empty directory; reports the time and the
/// lines of the last.
pub fn whole_api(ctx: &Context, spec: &Path, report: &mut Report) -> Result<Generated, String> {
    let generator = generator(ctx)?;
    let dir = ctx.work.join(CRATE);
    let log = ctx.work.join("codegen.log");
    let mut runs = Vec::new();
    for _ in 0..ctx.runs() {
        // From nothing each time: the generator leaves alone the files that are already current.
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        }
        let mut command = Command::new(&generator);
        command
            .args(["codegen", "--spec"])
            .arg(spec)
            .arg("--out")
            .arg(&dir)
            .args(["--crate", CRATE]);
        runs.push(measure::logged(&mut command, &log)?);
    }
    let output = fs::read_to_string(&log).unwrap_or_default();
    let (operations, models) = counts(&output).ok_or_else(|| {
        format!(
            "the generator did not say how many operations it wrote:\n{}",
            measure::tail(&output)
        )
    })?;
    let summary = Summary::of(&runs);
    let figure = report::usage(&summary);
    println!("generate the whole spec ({operations} operations, {models} models): {figure}");
    report.method(
        "generation",
        format!(
            "the {} `xtask` binary run as a process into an emptied output directory; wall clock around the process; its CPU (user + system) and peak RSS from `wait4`",
            if ctx.quick { "dev-profile" } else { "release" }
        ),
    );
    report.rows.push(Row {
        figure: format!(
            "whole upstream spec ({operations} ops, {models} models) → files, `xtask codegen --spec --out`, median of {}",
            summary.runs
        ),
        before: "0.66 s, 100 MB",
        now: figure,
        target: "≤ 0.25 s",
        holds: Some(summary.wall.as_secs_f64() <= 0.25),
        method: "generation",
        command: format!(
            "`cargo build --release -p xtask && /usr/bin/time -f \"%e s %M KB\" target/release/xtask codegen --spec {UPSTREAM} --out target/bench/{CRATE} --crate {CRATE}` (output directory emptied first)"
        ),
    });

    let lines = lines_by_file(&dir.join("src"))?;
    let total: usize = lines.iter().map(|(_, n)| n).sum();
    let files = lines
        .iter()
        .map(|(file, n)| format!("{file} {}", report::thousands(*n)))
        .collect::<Vec<_>>()
        .join(", ");
    let per_operation = total / operations.max(1);
    println!(
        "generated lines: {} ({per_operation} per operation): {files}",
        report::thousands(total)
    );
    report.method(
        "lines",
        "lines of every `.rs` file under the generated crate's `src/`, counted by xtask".into(),
    );
    report.rows.push(Row {
        figure: "generated lines for the whole API (the crate's `src/`)".into(),
        before: "98,055 (182 per operation)",
        now: format!(
            "{} ({per_operation} per operation; {files})",
            report::thousands(total)
        ),
        target: "(follows)",
        holds: None,
        method: "lines",
        command: format!("`find target/bench/{CRATE}/src -name '*.rs' | xargs wc -l`"),
    });
    Ok(Generated { dir, operations })
}

/// The generator to time: the release build for the figures (built here); for `--quick`, this
/// very binary, which is enough to show the step runs.
fn generator(ctx: &Context) -> Result<PathBuf, String> {
    if ctx.quick {
        return std::env::current_exe().map_err(|e| format!("cannot find this xtask: {e}"));
    }
    println!("building the release generator: cargo build --release -p xtask");
    let status = crate::cargo()
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .current_dir(&ctx.root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("`cargo build --release -p xtask` failed".into());
    }
    Ok(ctx
        .target
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX)))
}

/// "538 operations, 885 models" from the generator's summary line.
fn counts(output: &str) -> Option<(usize, usize)> {
    let line = output.lines().find(|l| l.starts_with("codegen: "))?;
    let number_before = |word: &str| -> Option<usize> {
        let at = line.find(word)?;
        line[..at].split_whitespace().last()?.parse().ok()
    };
    Some((number_before(" operations")?, number_before(" models")?))
}

/// Lines of each `.rs` file under `dir`, by path below it, sorted by path.
fn lines_by_file(dir: &Path) -> Result<Vec<(String, usize)>, String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries =
            fs::read_dir(&folder).map_err(|e| format!("cannot list {}: {e}", folder.display()))?;
        for entry in entries {
            let path = entry
                .map_err(|e| format!("cannot list {}: {e}", folder.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let name = path.strip_prefix(dir).unwrap_or(&path);
                out.push((
                    name.to_string_lossy().replace('\\', "/"),
                    text.lines().count(),
                ));
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_summary() {
        let line = "codegen: x.json: 538 operations, 885 models, 249 aliases; 8 of 8 files written";
        assert_eq!(counts(line), Some((538, 885)));
        assert_eq!(counts("codegen: nothing"), None);
        assert_eq!(counts("warning: 538 operations, 885 models"), None);
    }

    #[test]
    fn lines_of_a_tree() {
        let dir = std::env::temp_dir().join(format!("xtask-lines-{}", std::process::id()));
        fs::create_dir_all(dir.join("generated")).unwrap();
        fs::write(dir.join("lib.rs"), "a\nb\n").unwrap();
        fs::write(dir.join("generated/models.rs"), "a\nb\nc").unwrap();
        fs::write(dir.join("notes.txt"), "not code\n").unwrap();
        assert_eq!(
            lines_by_file(&dir).unwrap(),
            [
                ("generated/models.rs".to_string(), 3),
                ("lib.rs".to_string(), 2)
            ]
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
