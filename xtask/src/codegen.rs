//! `cargo xtask codegen`: spec → generated client files, or a check that they are current.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::package::RuntimeDependency;
use codegen::{EmitOptions, GeneratedFile};

/// The marker every generated file starts with; only such files are ever replaced or removed.
use codegen::emit::GENERATED_MARKER;

pub struct Args {
    check: bool,
    targets: Vec<Target>,
}

/// One spec to generate, and where.
struct Target {
    spec: PathBuf,
    /// Patches applied before generating.
    patches: Option<PathBuf>,
    out: PathBuf,
    /// `Some(name)`: `out` is a whole crate of that name; `None`: `out` is the generated module.
    crate_name: Option<String>,
    /// Where the command line's sidecar of the spec goes (`codegen::emit::cli_help`), if anywhere.
    cli_help: Option<PathBuf>,
    /// How a whole crate depends on `falcon-runtime`.
    runtime: Runtime,
}

/// `--runtime`: how a generated crate reaches `falcon-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Runtime {
    /// `path` (the default): this checkout's `falcon-runtime`, by a relative path.
    Checkout,
    /// `path:DIR`, `version:REQ` or `git:URL[#REV]`, as given.
    Given(RuntimeDependency),
}

impl Runtime {
    fn parse(text: &str) -> Result<Runtime, String> {
        let usage =
            "--runtime takes `path`, `path:DIR`, `version:REQ` (`version:0.1`) or `git:URL[#REV]`";
        let (kind, value) = text.split_once(':').unwrap_or((text, ""));
        let given = match (kind, value.trim()) {
            ("path", "") => return Ok(Runtime::Checkout),
            (_, "") => return Err(format!("`{text}`: {usage}")),
            ("path", dir) => RuntimeDependency::Path(dir.to_string()),
            ("version", req) => RuntimeDependency::Registry(req.to_string()),
            ("git", target) => match target.rsplit_once('#') {
                Some((url, rev)) if !url.is_empty() && !rev.is_empty() => RuntimeDependency::Git {
                    url: url.to_string(),
                    rev: Some(rev.to_string()),
                },
                Some(_) => return Err(format!("`{text}`: {usage}")),
                None => RuntimeDependency::Git {
                    url: target.to_string(),
                    rev: None,
                },
            },
            _ => return Err(format!("`{text}`: {usage}")),
        };
        Ok(Runtime::Given(given))
    }

    /// The dependency of a crate written to `out`.
    fn dependency(&self, out: &Path) -> RuntimeDependency {
        match self {
            Runtime::Checkout => RuntimeDependency::Path(runtime_path(out)),
            Runtime::Given(given) => given.clone(),
        }
    }
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Args, String> {
        let mut check = false;
        let mut spec: Option<PathBuf> = None;
        let mut out: Option<PathBuf> = None;
        let mut patches: Option<PathBuf> = None;
        let mut crate_name: Option<String> = None;
        let mut runtime: Option<Runtime> = None;
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--check" => check = true,
                "--spec" => spec = Some(it.next().ok_or("--spec needs a path")?.into()),
                "--out" => out = Some(it.next().ok_or("--out needs a folder")?.into()),
                "--patches" => patches = Some(it.next().ok_or("--patches needs a path")?.into()),
                "--crate" => crate_name = Some(it.next().ok_or("--crate needs a name")?.clone()),
                "--runtime" => {
                    runtime = Some(Runtime::parse(
                        it.next()
                            .ok_or("--runtime needs path, version:REQ or git:URL")?,
                    )?)
                }
                other => return Err(format!("unknown argument `{other}`\n{}", crate::USAGE)),
            }
        }
        let targets = match (spec, out) {
            (None, None) if patches.is_none() && crate_name.is_none() && runtime.is_none() => {
                default_targets()?
            }
            (None, None) => {
                return Err("--patches, --crate and --runtime need --spec and --out".into());
            }
            (Some(spec), Some(out)) => {
                let crate_name = match crate_name {
                    Some(name) => Some(name),
                    None if is_module_folder(&out) => None,
                    None => Some(default_crate_name(&out)),
                };
                if crate_name.is_none() && runtime.is_some() {
                    return Err(format!(
                        "--runtime is for a whole crate, and {} is a module folder inside a crate's src/",
                        out.display()
                    ));
                }
                vec![Target {
                    spec,
                    patches,
                    out,
                    crate_name,
                    cli_help: None,
                    runtime: runtime.unwrap_or(Runtime::Checkout),
                }]
            }
            (Some(_), None) => return Err("--spec needs --out too".into()),
            (None, Some(_)) => return Err("--out needs --spec too".into()),
        };
        Ok(Args { check, targets })
    }
}

/// Whether `dir` sits inside the `src/` folder of a crate: then it is a module of that crate
/// (like `ioc-client/src/generated`); anywhere else, a whole crate is written.
fn is_module_folder(dir: &Path) -> bool {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute.ancestors().skip(1).any(|a| {
        a.file_name().is_some_and(|n| n == "src")
            && a.parent()
                .is_some_and(|crate_dir| crate_dir.join("Cargo.toml").is_file())
    })
}

/// The folder name, as a crate name (`falcon-api`).
fn default_crate_name(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let name: String = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-').to_ascii_lowercase();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!(
            "falcon-api{}",
            if name.is_empty() {
                String::new()
            } else {
                format!("-{name}")
            }
        )
    } else {
        name
    }
}

/// The client from `spec/ioc.yaml` with the `falcon-ioc` command line's sidecar, and one module
/// of `codegen-fixtures` per test spec in `codegen/tests/specs/` (so each construct the
/// generator handles is compiled, not only snapshotted) with its sidecar in `falcon-ioc/tests/`
/// (so the command line is built from each).
fn default_targets() -> Result<Vec<Target>, String> {
    let root = crate::workspace_root();
    // No patches: spec/ioc.yaml is built with the fixes of spec/overlay.yaml already in it.
    let mut targets = vec![Target {
        spec: root.join("spec/ioc.yaml"),
        patches: None,
        out: root.join("ioc-client/src/generated"),
        crate_name: None,
        cli_help: Some(root.join("falcon-ioc/src/generated/help.rs")),
        runtime: Runtime::Checkout,
    }];
    let specs = root.join("codegen/tests/specs");
    // A spec is a YAML file, or a folder holding a spec in several files from `openapi.yaml`
    // (named after the folder).
    let mut fixtures: Vec<(String, PathBuf)> = fs::read_dir(&specs)
        .map_err(|e| format!("cannot list {}: {e}", specs.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            if p.extension().is_some_and(|x| x == "yaml") {
                Some((stem, p))
            } else {
                let root = p.join("openapi.yaml");
                root.is_file().then_some((stem, root))
            }
        })
        .collect();
    fixtures.sort();
    for (stem, spec) in fixtures {
        targets.push(Target {
            spec,
            patches: None,
            out: root.join("codegen-fixtures/src").join(&stem),
            crate_name: None,
            cli_help: Some(root.join(format!("falcon-ioc/tests/constructs/{stem}.rs"))),
            runtime: Runtime::Checkout,
        });
    }
    Ok(targets)
}

pub fn run(args: &Args) -> Result<(), String> {
    let mut failures = Vec::new();
    for target in &args.targets {
        if let Err(e) = run_one(target, args.check) {
            failures.push(e);
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

fn run_one(target: &Target, check_only: bool) -> Result<(), String> {
    let spec = target.spec.as_path();
    let text =
        fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let patches = match &target.patches {
        Some(path) => {
            let text = fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            codegen::Patches::parse(&text, &spec_label(path))
                .map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => codegen::Patches::default(),
    };
    let options = EmitOptions {
        spec_label: spec_label(spec),
        // A whole crate gets a feature per tag; a module inside a crate has no say over its
        // crate's features.
        tag_features: target.crate_name.is_some(),
        ..EmitOptions::default()
    };
    // The files the spec's `$ref`s name are read beside it (a spec in several files).
    let folder = spec.parent().unwrap_or(Path::new("")).to_path_buf();
    let read = |path: &str| {
        let file = folder.join(path);
        fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))
    };
    let root = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let files = codegen::Files {
        root: &root,
        read: &read,
    };
    let generated = codegen::generate_from(&text, Some(files), &patches, &options)
        .map_err(|e| format!("{}: {e}", spec.display()))?;
    for warning in &generated.warnings {
        eprintln!("{}: {warning}", spec.display());
    }
    // Files relative to `target.out`, and the folder whose stale generated files are removed.
    let (files, module_dir) = match &target.crate_name {
        None => (generated.files.clone(), target.out.clone()),
        Some(name) => (
            codegen::package::package(
                &generated.api,
                &generated.files,
                &options,
                &codegen::package::PackageOptions {
                    name: name.clone(),
                    runtime: target.runtime.dependency(&target.out),
                },
            ),
            target.out.join("src/generated"),
        ),
    };
    let module_files: Vec<GeneratedFile> = match &target.crate_name {
        None => files.clone(),
        Some(_) => generated.files.clone(),
    };
    let stale = stale_files(&module_dir, &module_files)?;
    let out = target.out.as_path();
    // The command line's sidecar: one file in a folder of its own, from the same API.
    let sidecar = match &target.cli_help {
        Some(path) => {
            let mut file = codegen::emit::cli_help::emit(&generated.api, &options.spec_label);
            file.path = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            Some((dir, file))
        }
        None => None,
    };
    if check_only {
        let sidecar = match &sidecar {
            Some((dir, file)) => check(dir, std::slice::from_ref(file), &[]),
            None => Ok(()),
        };
        return match (check(out, &files, &stale), sidecar) {
            (Ok(()), Ok(())) => Ok(()),
            (a, b) => Err([a.err(), b.err()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n")),
        };
    }
    let written = write(out, &files)?;
    if let Some((dir, file)) = &sidecar
        && write(dir, std::slice::from_ref(file))? > 0
    {
        println!(
            "codegen: the command line's sidecar written: {}",
            relative(&dir.join(&file.path))
        );
    }
    for path in &stale {
        fs::remove_file(path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
    }
    if target.crate_name.is_some() {
        // The versions the workspace is tested with, so the crate builds offline and alike.
        let lock = out.join("Cargo.lock");
        if !lock.exists() {
            let _ = fs::copy(crate::workspace_root().join("Cargo.lock"), &lock);
        }
    }
    let api = &generated.api;
    println!(
        "codegen: {}: {} operations, {} models, {} aliases; {written} of {} files written, {} removed, in {} ({} warnings)",
        spec_label(spec),
        api.operations.len(),
        api.models.len(),
        api.operations.iter().filter(|o| o.alias.is_some()).count(),
        files.len(),
        stale.len(),
        relative(out),
        generated.warnings.len(),
    );
    Ok(())
}

/// Writes the files that changed under `out`; refuses to replace a file the generator did not
/// write. Returns how many were written.
fn write(out: &Path, files: &[GeneratedFile]) -> Result<usize, String> {
    let mut written = 0;
    for file in files {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let current = fs::read_to_string(&path).ok();
        if current.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        if let Some(current) = &current
            && !is_generated(current)
        {
            return Err(format!(
                "{} exists and was not written by cargo xtask codegen; not replacing it",
                path.display()
            ));
        }
        fs::write(&path, &file.contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written += 1;
    }
    Ok(written)
}

fn is_generated(text: &str) -> bool {
    text.starts_with(GENERATED_MARKER) || text.starts_with(codegen::package::CARGO_MARKER)
}

/// The runtime crate as seen from `out`: relative when `out` is inside this workspace,
/// absolute otherwise.
fn runtime_path(out: &Path) -> String {
    let root =
        fs::canonicalize(crate::workspace_root()).unwrap_or_else(|_| crate::workspace_root());
    let runtime = root.join("falcon-runtime");
    // Canonical like `root`, so a checkout reached through a symlink still gets a relative path.
    let out = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let out = fs::canonicalize(&out).unwrap_or_else(|_| {
        match (
            out.parent().and_then(|p| fs::canonicalize(p).ok()),
            out.file_name(),
        ) {
            (Some(parent), Some(name)) => parent.join(name),
            _ => out.clone(),
        }
    });
    // Relative from the crate to the runtime, wherever the crate is, so the generated
    // `Cargo.toml` is the same on every machine for the same layout.
    let common = out
        .components()
        .zip(runtime.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut shown = PathBuf::new();
    for _ in out.components().skip(common) {
        shown.push("..");
    }
    for part in runtime.components().skip(common) {
        shown.push(part);
    }
    shown.to_string_lossy().replace('\\', "/")
}

/// Fails with a unified diff of every file that differs from what the spec produces.
fn check(out: &Path, files: &[GeneratedFile], stale: &[PathBuf]) -> Result<(), String> {
    let mut report = String::new();
    for file in files {
        let path = out.join(&file.path);
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current != file.contents {
            let diff = similar::TextDiff::from_lines(&current, &file.contents);
            report.push_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(
                        &format!("{} (committed)", path.display()),
                        &format!("{} (generated)", path.display()),
                    )
                    .to_string(),
            );
        }
    }
    for path in stale {
        report.push_str(&format!(
            "{} is generated but no longer produced by the spec\n",
            path.display()
        ));
    }
    if report.is_empty() {
        println!(
            "codegen --check: {} files in {} are current",
            files.len(),
            relative(out)
        );
        Ok(())
    } else {
        Err(format!(
            "{report}\ncodegen --check: the generated code is stale; run `cargo xtask codegen` and commit the result"
        ))
    }
}

/// Generated files in `out` that this run does not produce.
fn stale_files(out: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, String> {
    let Ok(entries) = fs::read_dir(out) else {
        return Ok(Vec::new());
    };
    let mut stale = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let produced = files.iter().any(|f| f.path == name);
        let generated = fs::read_to_string(&path).is_ok_and(|t| t.starts_with(GENERATED_MARKER));
        if !produced && generated {
            stale.push(path);
        }
    }
    stale.sort();
    Ok(stale)
}

/// A path relative to the workspace when it is inside it, for messages.
fn relative(path: &Path) -> String {
    let root = fs::canonicalize(crate::workspace_root()).unwrap_or_default();
    let absolute = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .strip_prefix(&root)
        .unwrap_or(&absolute)
        .display()
        .to_string()
}

/// The spec's path relative to the workspace, with `/` separators, so headers are the same on
/// every machine.
fn spec_label(spec: &Path) -> String {
    let root = crate::workspace_root();
    let absolute = fs::canonicalize(spec).unwrap_or_else(|_| spec.to_path_buf());
    let root = fs::canonicalize(&root).unwrap_or(root);
    let shown = absolute
        .strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| {
            spec.file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| spec.to_path_buf())
        });
    shown
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
