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

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use codegen::{EmitOptions, Patches, generate, read_api};
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

/// Runs `cases` mutations of a spec through the generator; returns (cases run, ok, errors).
/// Panics name the seed.
fn fuzz(name: &str, text: &str, cases: usize, seed: u64) -> (usize, usize, usize) {
    let options = EmitOptions::default();
    let mut emitted = 0;
    let counts = fuzz_with(name, text, cases, seed, |mutated, case| {
        // Reading and lowering every case; emitting (the slow part, formatting) every
        // sixteenth one that lowers.
        read_api(mutated, &Patches::default()).and_then(|_| {
            if case % 16 == 0 {
                emitted += 1;
                generate(mutated, &options).map(|_| ())
            } else {
                Ok(())
            }
        })
    });
    eprintln!("fuzz {name}: {emitted} of the generated also emitted");
    counts
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
    let base: Value = serde_yaml_ng::from_str(text).unwrap();
    let mut all = Vec::new();
    pointers(&base, String::new(), &mut all);
    let mut rng = XorShift(seed);
    let (mut ok, mut errors) = (0, 0);
    for case in 0..cases {
        let mutated = if rng.below(5) == 0 && text.len() < 200_000 {
            mutate_text(text, &mut rng)
        } else {
            let mut doc = base.clone();
            for _ in 0..=rng.below(3) {
                mutate_value(&mut doc, &all, &mut rng);
            }
            serde_json::to_string(&doc).unwrap()
        };
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

#[test]
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

#[test]
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
/// `spec/ioc.yaml` with upstream's quirky default security back (so the overlay's fix
/// applies); it has every operation the overlay adds, so the "upstream wins" path runs too.
/// A build writes the whole spec as YAML (about 0.15 s unoptimised), so these take a twentieth of
/// `FALCON_FUZZ_CASES`.
#[test]
fn mutated_overlays_and_upstreams_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let overlay_text = std::fs::read_to_string(root.join("spec/overlay.yaml")).unwrap();
    let mut upstream: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(root.join("spec/ioc.yaml")).unwrap())
            .unwrap();
    upstream["security"] = json!([{"OAuth2": []}]);
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

/// The construct specs of `oneOf`/`anyOf`, referenced parameters, colliding names and empty
/// enums, mutated: lowering their odd corners never panics (a fifth of `FALCON_FUZZ_CASES`
/// each: they are small).
#[test]
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
