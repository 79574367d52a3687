//! Snapshots of what the generator emits: the whole IOC client, the name table, and one small
//! spec per hard construct (`specs/*.yaml`), plus the error text of each invalid spec
//! (`specs/invalid/*.yaml`). Review changes with `cargo insta review`.

use std::path::{Path, PathBuf};

use codegen::{EmitOptions, Files, Patches, generate, generate_from};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn options(label: &str) -> EmitOptions {
    EmitOptions {
        spec_label: label.to_string(),
        ..EmitOptions::default()
    }
}

/// All generated files of one spec, concatenated with a marker line before each (the same
/// text `cargo xtask spec update` writes into the IOC client's snapshots).
fn rendered(generated: &codegen::Generated) -> String {
    codegen::report::rendered(generated)
}

/// The specs of `dir`: its YAML and JSON files, and the root `openapi.yaml` of each folder of
/// a spec in several files (`multi_file/openapi.yaml`).
fn specs_in(dir: &Path) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            if p.extension().is_some_and(|x| x == "yaml" || x == "json") {
                Some(p)
            } else {
                Some(p.join("openapi.yaml")).filter(|root| root.is_file())
            }
        })
        .collect();
    specs.sort();
    specs
}

/// A spec's name: its file's stem, or its folder's name for a spec in several files.
fn spec_name(spec: &Path) -> String {
    let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
    match spec.parent().filter(|_| stem == "openapi") {
        Some(folder) => folder.file_name().unwrap().to_string_lossy().into_owned(),
        None => stem,
    }
}

/// Generates from a spec on disk, as `cargo xtask codegen --spec` does: the files its `$ref`s
/// name are read beside it.
fn generate_file(spec: &Path, options: &EmitOptions) -> Result<codegen::Generated, codegen::Error> {
    let text = std::fs::read_to_string(spec).unwrap();
    let folder = spec.parent().unwrap().to_path_buf();
    let read =
        move |path: &str| std::fs::read_to_string(folder.join(path)).map_err(|e| e.to_string());
    let root = spec.file_name().unwrap().to_string_lossy().into_owned();
    let files = Files {
        root: &root,
        read: &read,
    };
    generate_from(&text, Some(files), &Patches::default(), options)
}

#[test]
fn ioc_client() {
    let text = std::fs::read_to_string(root().join("spec/ioc.yaml")).unwrap();
    let generated = generate(&text, &options("spec/ioc.yaml")).unwrap();
    insta::assert_snapshot!("ioc_client", rendered(&generated));
}

/// Every operation → method name, alias, ids accepted by `command()`.
#[test]
fn ioc_names() {
    let text = std::fs::read_to_string(root().join("spec/ioc.yaml")).unwrap();
    let generated = generate(&text, &options("spec/ioc.yaml")).unwrap();
    insta::assert_snapshot!("ioc_names", codegen::report::names(&generated.api));
}

#[test]
fn constructs() {
    for spec in specs_in(&root().join("codegen/tests/specs")) {
        let name = spec_name(&spec);
        let label = spec
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let generated =
            generate_file(&spec, &options(&label)).unwrap_or_else(|e| panic!("{label}: {e}"));
        insta::assert_snapshot!(format!("construct_{name}"), rendered(&generated));
    }
}

#[test]
fn invalid_specs() {
    for spec in specs_in(&root().join("codegen/tests/specs/invalid")) {
        let name = spec_name(&spec);
        let error = match generate_file(&spec, &EmitOptions::default()) {
            Ok(_) => panic!("{name} should not generate"),
            Err(e) => e.to_string(),
        };
        insta::assert_snapshot!(format!("invalid_{name}"), error);
    }
}

/// The same spec gives the same bytes, every time.
#[test]
fn deterministic() {
    let text = std::fs::read_to_string(root().join("spec/ioc.yaml")).unwrap();
    let a = generate(&text, &EmitOptions::default()).unwrap().files;
    let b = generate(&text, &EmitOptions::default()).unwrap().files;
    assert_eq!(a, b);
}

/// Specs that generate, with fallbacks: each one's warnings (`specs/warnings/*.yaml`).
#[test]
fn warning_specs() {
    for spec in specs_in(&root().join("codegen/tests/specs/warnings")) {
        let name = spec_name(&spec);
        let generated = generate_file(&spec, &EmitOptions::default())
            .unwrap_or_else(|e| panic!("{name} should generate: {e}"));
        assert!(!generated.warnings.is_empty(), "{name} should warn");
        let warnings: Vec<String> = generated.warnings.iter().map(|w| w.to_string()).collect();
        insta::assert_snapshot!(format!("warning_{name}"), warnings.join("\n"));
    }
}

/// The emitters write text, not token streams: every file they write for the IOC client and for
/// each construct spec (with tag features on, which adds `#[cfg]` lines) parses as Rust.
#[test]
fn every_generated_file_parses_as_rust() {
    let mut specs = vec![root().join("spec/ioc.yaml")];
    specs.extend(specs_in(&root().join("codegen/tests/specs")));
    specs.extend(specs_in(&root().join("codegen/tests/specs/warnings")));
    for spec in specs {
        for tag_features in [false, true] {
            let options = EmitOptions {
                tag_features,
                ..EmitOptions::default()
            };
            let generated = generate_file(&spec, &options).unwrap();
            for file in &generated.files {
                if let Err(e) = syn::parse_file(&file.contents) {
                    panic!("{} ({}): {e}", spec.display(), file.path);
                }
            }
        }
    }
}
