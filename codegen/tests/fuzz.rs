//! Mutation fuzzing: thousands of broken copies of `spec/ioc.yaml` (and, when `../shared/` is
//! there, of the upstream IOC subset and the whole upstream spec) go through the generator,
//! which must return an error or output and never panic.
//!
//! Deterministic: a fixed seed drives a xorshift generator. Each case applies one to three
//! mutations to the parsed document (delete a node, replace it with an odd value or with
//! another node of the document, rename a key, duplicate a list item) or one to the text
//! (truncate it, insert or delete a character, drop a line). `FALCON_FUZZ_CASES` sets the
//! number of cases per base document (default 1000); the count run is printed. The overlay
//! and the update that builds `spec/ioc.yaml` from upstream get the same treatment.

mod support;
#[path = "support/unfixed.rs"]
mod unfixed;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use codegen::{EmitOptions, generate};
use serde_json::{Value, json};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Every node of a document, as a JSON pointer.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        Value::Array(list) => {
            for (i, x) in list.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

fn split(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

fn odd_value(rng: &mut XorShift) -> Value {
    let values = [
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1e308),
        json!(""),
        json!("x"),
        json!("#/components/schemas/Nope"),
        json!([]),
        json!({}),
        json!({"$ref": "#/components/schemas/Nope"}),
        json!({"$ref": "#/definitions/Nope"}),
        json!({"type": "array"}),
        json!({"type": "object", "additionalProperties": {"type": "file"}}),
        json!({"type": "string", "enum": ["", "unknown", "Unknown", "½", "self"]}),
        json!({"name": "self", "in": "query", "schema": {"type": "object"}}),
        json!({"name": "x", "in": "body"}),
        json!({"name": "x", "in": "formData", "type": "file"}),
        json!("3.1.0"),
        json!({"allOf": [{"$ref": "#/components/schemas/Nope"}, {}]}),
    ];
    values[rng.below(values.len())].clone()
}

fn odd_key(rng: &mut XorShift) -> String {
    let keys = [
        "type",
        "$ref",
        "items",
        "",
        "ÿ",
        "properties",
        "enum",
        "required",
        "get",
        "a/b",
        "parameters",
        "additionalProperties",
        "operationId",
        "x-nullable",
        "nullable",
        "in",
        "default",
        "collectionFormat",
        "Self",
        "2fa",
    ];
    keys[rng.below(keys.len())].to_string()
}

fn mutate_value(doc: &mut Value, all: &[String], rng: &mut XorShift) {
    let target = &all[rng.below(all.len())];
    let Some((parent, last)) = split(target) else {
        return;
    };
    let donor = doc
        .pointer(&all[rng.below(all.len())])
        .cloned()
        .unwrap_or(Value::Null);
    let kind = rng.below(5);
    let value = odd_value(rng);
    let key = odd_key(rng);
    let Some(node) = doc.pointer_mut(parent) else {
        return;
    };
    match (node, kind) {
        (Value::Object(m), 0) => {
            m.remove(&last);
        }
        (Value::Object(m), 1) => {
            m.insert(last, value);
        }
        (Value::Object(m), 2) => {
            m.insert(last, donor);
        }
        (Value::Object(m), _) => {
            if let Some(v) = m.remove(&last) {
                m.insert(key, v);
            }
        }
        (Value::Array(a), k) => {
            let Ok(i) = last.parse::<usize>() else { return };
            if i >= a.len() {
                return;
            }
            match k {
                0 => {
                    a.remove(i);
                }
                1 => a[i] = value,
                2 => a[i] = donor,
                _ => {
                    let copy = a[i].clone();
                    a.push(copy);
                }
            }
        }
        _ => {}
    }
}

fn mutate_text(text: &str, rng: &mut XorShift) -> String {
    let choice = rng.below(4);
    let mut boundary = |s: &str| {
        let mut i = rng.below(s.len() + 1);
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match choice {
        0 => text[..boundary(text)].to_string(),
        1 => {
            let i = boundary(text);
            let inserts = [
                "{", "}", ":", "\n", "'", "\"", "-", "\t", "&a", "*a", "!!binary", "ÿ",
            ];
            let what = inserts[(i * 7 + text.len()) % inserts.len()];
            format!("{}{what}{}", &text[..i], &text[i..])
        }
        2 => {
            let i = boundary(text);
            let mut s = text.to_string();
            if i < s.len() {
                s.remove(i);
            }
            s
        }
        _ => {
            let lines: Vec<&str> = text.lines().collect();
            let drop = boundary(text) % lines.len().max(1);
            lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != drop)
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

/// Broken copies of `text`, one after another, the same for the same seed: one to three
/// mutations of the parsed document, or (one time in five) one of the text.
fn mutants(text: &str, seed: u64) -> impl Iterator<Item = String> + '_ {
    let base: Value = serde_yaml_ng::from_str(text).unwrap();
    let mut all = Vec::new();
    pointers(&base, String::new(), &mut all);
    let mut rng = XorShift(seed);
    std::iter::from_fn(move || {
        Some(if rng.below(5) == 0 && text.len() < 200_000 {
            mutate_text(text, &mut rng)
        } else {
            let mut doc = base.clone();
            for _ in 0..=rng.below(3) {
                mutate_value(&mut doc, &all, &mut rng);
            }
            serde_json::to_string(&doc).unwrap()
        })
    })
}

/// Runs `cases` mutations of a spec through the generator; returns (cases run, ok, errors).
/// Panics name the seed.
fn fuzz(name: &str, text: &str, cases: usize, seed: u64) -> (usize, usize, usize) {
    let options = EmitOptions::default();
    fuzz_with(name, text, cases, seed, |mutated, _| {
        generate(mutated, &options).map(|_| ())
    })
}

/// Runs `cases` mutations of `text` through `run`, which must return output or an error with
/// diagnostics, never panic; returns (cases run, ok, errors). Panics name the seed.
fn fuzz_with(
    name: &str,
    text: &str,
    cases: usize,
    seed: u64,
    mut run: impl FnMut(&str, usize) -> Result<(), codegen::Error>,
) -> (usize, usize, usize) {
    let (mut ok, mut errors) = (0, 0);
    for (case, mutated) in mutants(text, seed).take(cases).enumerate() {
        let result = catch_unwind(AssertUnwindSafe(|| run(&mutated, case)));
        match result {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                assert!(
                    !e.diagnostics.is_empty(),
                    "{name} case {case}: an error with no diagnostics"
                );
                errors += 1;
            }
            Err(_) => {
                let path = std::env::temp_dir().join(format!("fuzz-{name}-{case}.json"));
                let _ = std::fs::write(&path, &mutated);
                panic!(
                    "{name} case {case} (seed {seed}) panicked; input saved at {}",
                    path.display()
                );
            }
        }
    }
    eprintln!("fuzz {name}: {cases} cases, {ok} went through, {errors} refused with diagnostics");
    (cases, ok, errors)
}

fn cases() -> usize {
    std::env::var("FALCON_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn mutated_ioc_specs_never_panic() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/ioc.yaml"))
            .unwrap();
    let (run, ok, errors) = fuzz("ioc", &text, cases(), 0x9E37_79B9_7F4A_7C15);
    assert_eq!(run, ok + errors);
    assert!(
        ok > 0 && errors > 0,
        "the mutations should both keep and break specs"
    );
}

fn mutated_upstream_specs_never_panic() {
    let Some(subset) = support::read_spec("ioc_swagger2.json") else {
        return;
    };
    fuzz(
        "upstream-ioc-subset",
        &subset,
        cases(),
        0xD1B5_4A32_D192_ED03,
    );
    // The whole file takes seconds per case: a handful.
    if let Some(whole) = support::read_spec("crimson-falcon_2023-06-14_swagger-patched.json") {
        fuzz("upstream-whole", &whole, 4, 0x2545_F491_4F6C_DD1D);
    }
}

/// Broken copies of `spec/overlay.yaml` on an upstream, and broken copies of the upstream under
/// the real overlay: `spec update` refuses or builds, never panics. The upstream is
/// `spec/ioc.yaml` with what the overlay's fixes change undone (so they apply); it has every operation the overlay adds, so the "upstream wins" path runs too.
/// A build writes the whole spec as YAML (about 0.15 s unoptimised), so these take a twentieth of
/// `FALCON_FUZZ_CASES`.
fn mutated_overlays_and_upstreams_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let overlay_text = std::fs::read_to_string(root.join("spec/overlay.yaml")).unwrap();
    let mut upstream: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(root.join("spec/ioc.yaml")).unwrap())
            .unwrap();
    let overlay: Value = serde_yaml_ng::from_str(&overlay_text).unwrap();
    unfixed::undo_fixes(&mut upstream, &overlay);
    // Our value sets (schemas named without a dot) too: once the fixes are undone, upstream
    // would not have them.
    let schemas = upstream["components"]["schemas"].as_object_mut().unwrap();
    for added in overlay["add-schemas"].as_array().into_iter().flatten() {
        let name = added["name"].as_str().unwrap();
        if !name.contains('.') {
            schemas.remove(name);
        }
    }
    let upstream = serde_json::to_string(&upstream).unwrap();
    let build = |upstream: &str, overlay: &str| {
        let overlay = codegen::overlay::Overlay::parse(overlay, "overlay.yaml")?;
        codegen::overlay::build(upstream, &overlay, "upstream", "spec.yaml").map(|_| ())
    };
    build(&upstream, &overlay_text).expect("the base case builds");
    let cases = cases().div_ceil(20);
    for (name, text, seed, overlay_side) in [
        ("overlay", &overlay_text, 0x5851_F42D_4C95_7F2D, true),
        (
            "upstream-under-overlay",
            &upstream,
            0x1405_7B7E_F767_814F,
            false,
        ),
    ] {
        let (run, ok, errors) = fuzz_with(name, text, cases, seed, |mutated, _| {
            if overlay_side {
                build(&upstream, mutated)
            } else {
                build(mutated, &overlay_text)
            }
        });
        assert_eq!(run, ok + errors);
        assert!(
            ok > 0 && errors > 0,
            "{name}: the mutations should both keep and break the build"
        );
    }
}

/// Accepted means compiles: a sample of the mutated IOC specs the generator accepts (distinct
/// outputs only) is generated as modules of one crate, which `cargo check` must accept with
/// every feature on (the blocking client included) and no warning. A failure names the case and
/// saves its spec under `target/fuzz-compile/failures/`. `FALCON_FUZZ_COMPILE` sets the sample
/// size (default 120; 0 skips the check).
fn accepted_mutants_compile() {
    let sample: usize = std::env::var("FALCON_FUZZ_COMPILE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("spec/ioc.yaml")).unwrap();
    let options = EmitOptions::default();
    // Every accepted case with an output not seen before, in case order.
    let mut seen = std::collections::HashSet::new();
    let mut accepted: Vec<(usize, String, Vec<codegen::GeneratedFile>)> = Vec::new();
    let cases = cases();
    for (case, mutated) in mutants(&text, 0x9E37_79B9_7F4A_7C15)
        .take(cases)
        .enumerate()
    {
        if let Ok(generated) = generate(&mutated, &options) {
            let all: String = generated
                .files
                .iter()
                .map(|f| f.contents.as_str())
                .collect();
            if seen.insert(all) {
                accepted.push((case, mutated, generated.files));
            }
        }
    }
    // An even spread over the cases.
    let step = accepted.len().div_ceil(sample).max(1);
    let chosen: Vec<_> = accepted.into_iter().step_by(step).collect();

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let dir = target.join("fuzz-compile");
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = std::fs::canonicalize(root.join("falcon-runtime")).unwrap();
    // Two crates of one workspace, so both cores check at once; modules are numbered across
    // both.
    let parts = 2;
    let per_part = chosen.len().div_ceil(parts).max(1);
    for (part, modules) in chosen.chunks(per_part).enumerate() {
        let crate_dir = dir.join(format!("part{part}"));
        let mut lib =
            String::from("//! Mutated IOC specs the generator accepted, one module each.\n");
        for (j, (_, _, files)) in modules.iter().enumerate() {
            let i = part * per_part + j;
            let module = crate_dir.join(format!("src/m{i}"));
            std::fs::create_dir_all(&module).unwrap();
            for file in files {
                std::fs::write(module.join(&file.path), &file.contents).unwrap();
            }
            lib.push_str(&format!("#[rustfmt::skip]\npub mod m{i};\n"));
        }
        std::fs::write(crate_dir.join("src/lib.rs"), lib).unwrap();
        std::fs::write(
            crate_dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"fuzz-compile-{part}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
                 publish = false\n\n[dependencies]\n\
                 falcon-runtime = {{ path = {runtime:?}, features = [\"blocking\"] }}\n\
                 serde_json = \"1\"\n"
            ),
        )
        .unwrap();
    }
    let members: Vec<String> = (0..chosen.len().div_ceil(per_part))
        .map(|p| format!("\"part{p}\""))
        .collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    let started = std::time::Instant::now();
    let check = std::process::Command::new(env!("CARGO"))
        .args([
            "check",
            "--offline",
            "--quiet",
            "--all-features",
            "--message-format=short",
        ])
        .current_dir(&dir)
        // The runtime's dependencies are the whole-API tests' (same features): built once.
        .env("CARGO_TARGET_DIR", target.join("whole-api"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&check.stderr);
    eprintln!(
        "fuzz compile: {} accepted mutants (of {cases} cases) checked in {:?}",
        chosen.len(),
        started.elapsed()
    );
    // Which modules failed, and the specs that made them.
    let mut failed = std::collections::BTreeSet::new();
    for line in stderr.lines() {
        if let Some((_, rest)) = line.split_once("src/m")
            && let Some(n) = rest.split('/').next().and_then(|n| n.parse::<usize>().ok())
        {
            failed.insert(n);
        }
    }
    let failures = dir.join("failures");
    for &i in &failed {
        let (case, spec, _) = &chosen[i];
        std::fs::create_dir_all(&failures).unwrap();
        std::fs::write(failures.join(format!("case-{case}.json")), spec).unwrap();
    }
    assert!(
        check.status.success() && stderr.trim().is_empty(),
        "generated code that does not check cleanly (cases {:?}, specs saved in {}):\n{stderr}",
        failed.iter().map(|&i| chosen[i].0).collect::<Vec<_>>(),
        failures.display()
    );
}

/// The construct specs of `oneOf`/`anyOf`, referenced parameters, colliding names and empty
/// enums, mutated: lowering their odd corners never panics (a fifth of `FALCON_FUZZ_CASES`
/// each: they are small).
fn mutated_construct_specs_never_panic() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    for name in [
        "scalar_unions",
        "enum_one_of",
        "ref_params",
        "name_folding",
        "empty_enums",
    ] {
        let text = std::fs::read_to_string(specs.join(format!("{name}.yaml"))).unwrap();
        let (run, ok, errors) = fuzz(name, &text, cases() / 5, 0x94D0_49BB_1331_11EB);
        assert_eq!(run, ok + errors);
    }
}

/// `FALCON_FUZZ_COMPILE=0` turns the compile check off.
fn fuzz_compile_off() -> Option<String> {
    (std::env::var("FALCON_FUZZ_COMPILE").as_deref() == Ok("0"))
        .then(|| "FALCON_FUZZ_COMPILE=0".to_string())
}

fn main() {
    support::run(&[
        trial!(mutated_ioc_specs_never_panic),
        trial!(mutated_upstream_specs_never_panic, support::needs_upstream),
        trial!(mutated_overlays_and_upstreams_never_panic),
        trial!(accepted_mutants_compile, fuzz_compile_off),
        trial!(mutated_construct_specs_never_panic),
    ]);
}
