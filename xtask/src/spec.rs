//! `cargo xtask spec import|diff|update`: the maintainer's spec tools. The logic is in
//! `codegen` (`codegen::import`, `codegen::diff`, `codegen::overlay`); this wires the command
//! line, and `update` the files of the round (see [`update`]).

use std::fs;
use std::path::{Path, PathBuf};

use codegen::Patches;

mod update;

pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("import") => import(&args[1..]),
        Some("diff") => diff(&args[1..]),
        Some("update") => update::run(&args[1..]),
        _ => Err(format!("unknown spec task\n{}", crate::USAGE)),
    }
}

pub(crate) fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// `spec import UPSTREAM --out FILE [--tag TAG]... [--operation ID]...`
fn import(args: &[String]) -> Result<(), String> {
    let mut source: Option<PathBuf> = None;
    let mut out: Option<PathBuf> = None;
    let mut selection = codegen::import::Selection::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--tag" => selection
                .tags
                .push(it.next().ok_or("--tag needs a tag")?.clone()),
            "--operation" => selection
                .operations
                .push(it.next().ok_or("--operation needs an id")?.clone()),
            "--out" => out = Some(it.next().ok_or("--out needs a file")?.into()),
            other if !other.starts_with("--") && source.is_none() => source = Some(other.into()),
            other => return Err(format!("unknown argument `{other}`\n{}", crate::USAGE)),
        }
    }
    let source = source.ok_or("spec import needs the upstream file")?;
    let out = out.ok_or("spec import needs --out FILE")?;
    let imported = codegen::import::import(&read(&source)?, &selection)
        .map_err(|e| format!("{}: {e}", source.display()))?;
    for w in &imported.warnings {
        eprintln!("{}: {w}", source.display());
    }
    let text = format!(
        "# Imported by `cargo xtask spec import` from {}; tags: {}; operations: {}.\n\
         # Structure only: upstream's prose is left out, and \"{}\" stands where text is required.\n{}",
        source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        if selection.tags.is_empty() {
            "-".to_string()
        } else {
            selection.tags.join(", ")
        },
        if selection.operations.is_empty() {
            "-".to_string()
        } else {
            selection.operations.join(", ")
        },
        codegen::import::PLACEHOLDER,
        imported.yaml
    );
    fs::write(&out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "spec import: {} operations, {} schemas → {} ({} warnings)",
        imported.operations,
        imported.schemas,
        out.display(),
        imported.warnings.len()
    );
    Ok(())
}

/// `spec diff OLD NEW [--deny-breaking] [--old-patches F] [--new-patches F]`
fn diff(args: &[String]) -> Result<(), String> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut deny = false;
    let mut patches: [Option<PathBuf>; 2] = [None, None];
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--deny-breaking" => deny = true,
            "--old-patches" => patches[0] = Some(it.next().ok_or("needs a file")?.into()),
            "--new-patches" => patches[1] = Some(it.next().ok_or("needs a file")?.into()),
            other if !other.starts_with("--") => files.push(other.into()),
            other => return Err(format!("unknown argument `{other}`\n{}", crate::USAGE)),
        }
    }
    let [old, new] = <[PathBuf; 2]>::try_from(files)
        .map_err(|_| format!("spec diff needs OLD and NEW\n{}", crate::USAGE))?;
    let api = |path: &Path, patches: &Option<PathBuf>| -> Result<codegen::ir::Api, String> {
        let patches = match patches {
            Some(p) => {
                Patches::parse(&read(p)?, &p.display().to_string()).map_err(|e| e.to_string())?
            }
            None => Patches::default(),
        };
        codegen::read_api(&read(path)?, &patches)
            .map(|(api, _)| api)
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let changes = codegen::diff::diff(&api(&old, &patches[0])?, &api(&new, &patches[1])?);
    print!("{}", codegen::diff::report(&changes));
    let breaking = changes.iter().filter(|c| c.breaking).count();
    if deny && breaking > 0 {
        return Err(format!(
            "spec diff: {breaking} breaking changes (--deny-breaking)"
        ));
    }
    Ok(())
}
