//! `cargo xtask spec update UPSTREAM`: the whole round of following upstream. Builds the spec
//! from UPSTREAM and `spec/overlay.yaml` (`codegen::overlay`), prints what changed for code
//! that calls the client (against the previous `spec/ioc.yaml`, so our additions, present in
//! both, do not show), writes the spec, regenerates the client through `cargo xtask codegen`,
//! and brings the IOC client's snapshots up to date, saying which files changed.
//!
//! Our words for what upstream dropped are warnings naming each entry; `--prune-text` also
//! takes those entries out of the overlay (line by line, `codegen::overlay::prune`).
//! `--check` writes nothing and fails when any of those files is not what the inputs give;
//! `--deny-breaking` fails, writing nothing, when a change breaks callers.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::overlay::{self, Overlay};
use codegen::{EmitOptions, Patches};

use super::read;

const USAGE: &str = "usage: cargo xtask spec update UPSTREAM [--overlay FILE] [--spec FILE --out DIR] [--prune-text] [--deny-breaking] [--check]";

/// The snapshots of `codegen/tests/snapshots.rs` made from `spec/ioc.yaml`.
const SNAPSHOT_DIR: &str = "codegen/tests/snapshots";
const CLIENT_SNAPSHOT: &str = "snapshots__ioc_client.snap";
const NAMES_SNAPSHOT: &str = "snapshots__ioc_names.snap";

struct Args {
    upstream: PathBuf,
    overlay: PathBuf,
    spec: PathBuf,
    /// Where the client goes when it is not the workspace's `ioc-client`.
    out: Option<PathBuf>,
    deny_breaking: bool,
    check: bool,
    /// Remove the overlay's entries of our words for what upstream dropped.
    prune_text: bool,
}

impl Args {
    fn parse(args: &[String]) -> Result<Args, String> {
        let root = crate::workspace_root();
        let mut upstream = None;
        let mut overlay = None;
        let mut spec = None;
        let mut out = None;
        let (mut deny_breaking, mut check, mut prune_text) = (false, false, false);
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = |what: &str| {
                it.next()
                    .map(PathBuf::from)
                    .ok_or(format!("{arg} needs {what}\n{USAGE}"))
            };
            match arg.as_str() {
                "--overlay" => overlay = Some(value("a file")?),
                "--spec" => spec = Some(value("a file")?),
                "--out" => out = Some(value("a folder")?),
                "--deny-breaking" => deny_breaking = true,
                "--check" => check = true,
                "--prune-text" => prune_text = true,
                other if !other.starts_with("--") && upstream.is_none() => {
                    upstream = Some(PathBuf::from(other))
                }
                other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            }
        }
        let upstream = upstream.ok_or(format!("spec update needs the upstream file\n{USAGE}"))?;
        if spec.is_some() != out.is_some() {
            return Err(format!(
                "--spec and --out go together: without them the update writes spec/ioc.yaml and ioc-client\n{USAGE}"
            ));
        }
        if check && prune_text {
            return Err(format!(
                "--check writes nothing, --prune-text writes the overlay: give one of them\n{USAGE}"
            ));
        }
        Ok(Args {
            upstream,
            overlay: overlay.unwrap_or_else(|| root.join("spec/overlay.yaml")),
            spec: spec.unwrap_or_else(|| root.join("spec/ioc.yaml")),
            out,
            deny_breaking,
            check,
            prune_text,
        })
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = Args::parse(args)?;
    let overlay_label = shown(&args.overlay);
    let spec_label = shown(&args.spec);
    let overlay_text = read(&args.overlay)?;
    let overlay = Overlay::parse(&overlay_text, &overlay_label)
        .map_err(|e| format!("{e}\nspec update: nothing written"))?;
    let upstream_name = args
        .upstream
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown(&args.upstream));
    let built = overlay::build(
        &read(&args.upstream)?,
        &overlay,
        &upstream_name,
        &spec_label,
    )
    .map_err(|e| format!("{e}\nspec update: nothing written"))?;
    let stats = &built.stats;
    println!(
        "spec update: {upstream_name} + {overlay_label} → {spec_label}: {} operations from upstream, {} added; {} schemas; {} fixes{}",
        stats.upstream_operations,
        stats.added_operations,
        stats.schemas,
        stats.fixes,
        if stats.superseded > 0 {
            format!(
                "; {} of our additions now upstream's (warnings below)",
                stats.superseded
            )
        } else {
            String::new()
        }
    );
    for warning in &built.warnings {
        eprintln!("{warning}");
    }
    if stats.placeholders > 0 {
        let places = match stats.placeholders {
            1 => "1 place has".to_string(),
            n => format!("{n} places have"),
        };
        println!("spec update: {places} no text of ours yet (the warnings name them)");
    }
    // Worked out before anything is written, so that a prune that cannot be done writes nothing.
    let pruned = match (&built.stale[..], args.prune_text) {
        ([], _) => None,
        (stale, false) => {
            let (entries, them) = match stale.len() {
                1 => ("1 entry of ours describes".to_string(), "it"),
                n => (format!("{n} entries of ours describe"), "them"),
            };
            println!(
                "spec update: {entries} what upstream no longer has (the warnings name {them}); run again with --prune-text to remove {them} from {overlay_label}"
            );
            None
        }
        (stale, true) => Some(
            overlay::prune(&overlay_text, stale, &overlay_label)
                .map_err(|e| format!("{e}\nspec update: nothing written"))?,
        ),
    };

    // What changed for code that calls the client.
    let new_api = codegen::read_api(&built.text, &Patches::default())
        .map(|(api, _)| api)
        .map_err(|e| {
            format!("the built spec does not generate a client:\n{e}\nspec update: nothing written")
        })?;
    let previous = fs::read_to_string(&args.spec).ok();
    let mut breaking = 0;
    match &previous {
        Some(old) => match codegen::read_api(old, &Patches::default()) {
            Ok((old_api, _)) => {
                let changes = codegen::diff::diff(&old_api, &new_api);
                breaking = changes.iter().filter(|c| c.breaking).count();
                println!("changes to the client, previous {spec_label} → new:");
                print!("{}", codegen::diff::report(&changes));
            }
            Err(e) => println!(
                "the previous {spec_label} does not generate ({}); no diff",
                e.diagnostics
                    .first()
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            ),
        },
        None => println!("no previous {spec_label}: nothing to compare"),
    }

    let unchanged = previous.as_deref() == Some(built.text.as_str());
    if args.check && !unchanged {
        let diff = similar::TextDiff::from_lines(previous.as_deref().unwrap_or(""), &built.text);
        return Err(format!(
            "{}\nspec update --check: {spec_label} is not what {upstream_name} and {overlay_label} give; run `cargo xtask spec update` and commit the result",
            diff.unified_diff().context_radius(2).header(
                &format!("{spec_label} (committed)"),
                &format!("{spec_label} (built)")
            )
        ));
    }
    if args.deny_breaking && breaking > 0 {
        return Err(format!(
            "spec update: {breaking} breaking changes (--deny-breaking); nothing written"
        ));
    }
    let mut changed_files = Vec::new();
    if unchanged {
        println!("{spec_label}: unchanged");
    } else if !args.check {
        fs::write(&args.spec, &built.text)
            .map_err(|e| format!("cannot write {}: {e}", args.spec.display()))?;
        println!(
            "{spec_label}: written ({})",
            line_changes(previous.as_deref().unwrap_or(""), &built.text)
        );
        changed_files.push(spec_label.clone());
    }
    if let Some(pruned) = &pruned {
        write_pruned(&args.overlay, &overlay_label, &overlay_text, pruned)?;
        if !pruned.removed.is_empty() {
            changed_files.push(overlay_label.clone());
        }
    }

    // The client, by the codegen task: the one place that writes generated code. Into the
    // repository, it also writes the command line's help (`falcon-ioc/src/generated`).
    let client_dir = match &args.out {
        Some(out) => out.clone(),
        None => crate::workspace_root().join("ioc-client/src/generated"),
    };
    let mut generated_dirs = vec![client_dir];
    if args.out.is_none() {
        generated_dirs.push(crate::workspace_root().join("falcon-ioc/src/generated"));
    }
    let before: Vec<_> = generated_dirs.iter().map(|d| read_tree(d)).collect();
    regenerate(&args, args.check)?;
    for (dir, before) in generated_dirs.iter().zip(&before) {
        let generated = changed(before, &read_tree(dir));
        if generated.is_empty() {
            println!("generated code: unchanged ({})", shown(dir));
            continue;
        }
        println!(
            "generated code: {} file{} changed:",
            generated.len(),
            if generated.len() == 1 { "" } else { "s" }
        );
        for (path, what) in &generated {
            println!("  {} ({what})", shown(&dir.join(path)));
        }
        changed_files.push(shown(dir));
    }

    if args.out.is_none() {
        let snapshots = snapshots(&built.text, args.check)?;
        if snapshots.is_empty() {
            println!("snapshots: current ({CLIENT_SNAPSHOT}, {NAMES_SNAPSHOT})");
        } else {
            println!(
                "snapshots: updated {}",
                snapshots
                    .iter()
                    .map(|(path, what)| format!("{path} ({what})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            changed_files.push(SNAPSHOT_DIR.to_string());
        }
    } else {
        println!("snapshots: not touched (the client went to --out, not to ioc-client)");
    }

    if changed_files.is_empty() {
        println!("spec update: nothing changed");
    } else {
        println!(
            "spec update: review with `git diff -- {}`, then run `cargo test --workspace`",
            changed_files.join(" ")
        );
    }
    Ok(())
}

/// Writes the overlay without the stale entries, saying which went (with the lines they took)
/// and which are left for a hand edit.
fn write_pruned(
    path: &Path,
    label: &str,
    old: &str,
    pruned: &overlay::Pruned,
) -> Result<(), String> {
    if !pruned.removed.is_empty() {
        fs::write(path, &pruned.text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!(
            "{label}: removed {} stale entr{} ({}):",
            pruned.removed.len(),
            if pruned.removed.len() == 1 {
                "y"
            } else {
                "ies"
            },
            line_changes(old, &pruned.text)
        );
        for (keys, lines) in &pruned.removed {
            println!(
                "  {label}{} ({lines} line{})",
                codegen::diagnostics::pointer(keys),
                if *lines == 1 { "" } else { "s" }
            );
        }
    }
    for keys in &pruned.kept {
        println!(
            "{label}{}: not removed (not a block `key:` line: written inline or through an alias); remove it by hand",
            codegen::diagnostics::pointer(keys)
        );
    }
    Ok(())
}

/// `cargo xtask codegen` as it is, for the workspace (no arguments) or for `--spec`/`--out`.
fn regenerate(args: &Args, check: bool) -> Result<(), String> {
    let mut codegen_args: Vec<String> = Vec::new();
    if check {
        codegen_args.push("--check".into());
    }
    if let Some(out) = &args.out {
        codegen_args.extend([
            "--spec".into(),
            args.spec.display().to_string(),
            "--out".into(),
            out.display().to_string(),
        ]);
    }
    crate::codegen::run(&crate::codegen::Args::parse(&codegen_args)?)
}

/// Brings the two snapshots made from `spec/ioc.yaml` up to date (with `check`: only reports
/// them), keeping insta's header of each; returns those that changed.
fn snapshots(spec_text: &str, check: bool) -> Result<Vec<(String, String)>, String> {
    let options = EmitOptions {
        spec_label: "spec/ioc.yaml".into(),
        ..EmitOptions::default()
    };
    let generated = codegen::generate(spec_text, &options).map_err(|e| e.to_string())?;
    let dir = crate::workspace_root().join(SNAPSHOT_DIR);
    let mut changed = Vec::new();
    for (file, body) in [
        (CLIENT_SNAPSHOT, codegen::report::rendered(&generated)),
        (NAMES_SNAPSHOT, codegen::report::names(&generated.api)),
    ] {
        let path = dir.join(file);
        let current = read(&path)?;
        let (header, old) = split_snapshot(&current).ok_or(format!(
            "{} is not an insta snapshot; run `INSTA_UPDATE=always cargo test -p codegen --test snapshots`",
            path.display()
        ))?;
        // insta compares bodies without trailing whitespace, and writes them with one newline.
        if old.trim_end() == body.trim_end() {
            continue;
        }
        let what = line_changes(old.trim_end(), body.trim_end());
        if check {
            return Err(format!(
                "spec update --check: {} is stale ({what}); run `cargo xtask spec update` or the snapshot test with INSTA_UPDATE=always",
                shown(&path)
            ));
        }
        fs::write(&path, format!("{header}{}\n", body.trim_end()))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        changed.push((shown(&path), what));
    }
    Ok(changed)
}

/// An insta snapshot file → (its header through the closing `---` line, its body).
fn split_snapshot(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")? + "---\n".len() + "\n---\n".len();
    Some(text.split_at(end))
}

/// Every text file under `dir` (generated code and, for a whole crate, its manifest), by path
/// relative to `dir`; build output is skipped.
fn read_tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    stack.push(path);
                }
            } else if let (Ok(text), Ok(relative)) =
                (fs::read_to_string(&path), path.strip_prefix(dir))
            {
                out.insert(relative.to_path_buf(), text);
            }
        }
    }
    out
}

/// Files that differ between two readings of a folder, with what changed in each.
fn changed(
    before: &BTreeMap<PathBuf, String>,
    after: &BTreeMap<PathBuf, String>,
) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for (path, text) in after {
        match before.get(path) {
            Some(old) if old == text => {}
            Some(old) => out.push((path.clone(), line_changes(old, text))),
            None => out.push((path.clone(), "new".into())),
        }
    }
    for path in before.keys().filter(|p| !after.contains_key(*p)) {
        out.push((path.clone(), "removed".into()));
    }
    out
}

/// `+12 -3 lines`.
fn line_changes(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    format!("+{added} -{removed} lines")
}

/// A path relative to the workspace when it is inside it, with `/`, for messages and labels.
fn shown(path: &Path) -> String {
    let root =
        fs::canonicalize(crate::workspace_root()).unwrap_or_else(|_| crate::workspace_root());
    let absolute = fs::canonicalize(path).unwrap_or_else(|_| {
        // A file not written yet: its folder is.
        match (
            path.parent().and_then(|p| fs::canonicalize(p).ok()),
            path.file_name(),
        ) {
            (Some(parent), Some(name)) => parent.join(name),
            _ => path.to_path_buf(),
        }
    });
    match absolute.strip_prefix(&root) {
        Ok(relative) => relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_files_split_after_the_header() {
        let text = "---\nsource: a.rs\nexpression: x\n---\nbody\n---\nmore\n";
        let (header, body) = split_snapshot(text).unwrap();
        assert_eq!(header, "---\nsource: a.rs\nexpression: x\n---\n");
        assert_eq!(body, "body\n---\nmore\n");
        assert!(split_snapshot("no header").is_none());
    }

    #[test]
    fn line_changes_count_both_ways() {
        assert_eq!(line_changes("a\nb\n", "a\nc\nd\n"), "+2 -1 lines");
    }
}
