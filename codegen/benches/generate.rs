//! How long the generator takes: `spec/ioc.yaml` end to end and by stage, and (when
//! `../shared/` is present) the whole upstream Falcon spec.
//!
//! Run: `cargo bench -p codegen --bench generate`.

use std::path::Path;

use codegen::{EmitOptions, generate, load, lower};
use criterion::{Criterion, criterion_group, criterion_main};

fn read(relative: &str) -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    std::fs::read_to_string(root.join(relative)).ok()
}

fn ioc(c: &mut Criterion) {
    let text = read("spec/ioc.yaml").expect("spec/ioc.yaml");
    let options = EmitOptions::default();
    let doc = load::load(&text).unwrap().doc;
    let (api, _) = lower::lower(&doc).unwrap();
    let mut group = c.benchmark_group("ioc");
    group.bench_function("parse", |b| b.iter(|| load::load(&text).unwrap()));
    group.bench_function("lower", |b| b.iter(|| lower::lower(&doc).unwrap()));
    group.bench_function("emit", |b| {
        b.iter(|| codegen::emit::emit(&api, &options).unwrap())
    });
    group.bench_function("generate", |b| {
        b.iter(|| generate(&text, &options).unwrap())
    });
    group.finish();
}

fn upstream(c: &mut Criterion) {
    let Some(text) =
        read("../shared/crowdstrike-falcon-spec/crimson-falcon_2023-06-14_swagger-patched.json")
    else {
        eprintln!("skipped: ../shared/ is not here");
        return;
    };
    let options = EmitOptions::default();
    if generate(&text, &options).is_err() {
        eprintln!("skipped: this generator does not read the upstream Swagger 2.0 file");
        return;
    }
    let mut group = c.benchmark_group("upstream");
    group.sample_size(10);
    group.bench_function("generate", |b| {
        b.iter(|| generate(&text, &options).unwrap())
    });
    group.finish();
}

criterion_group!(benches, ioc, upstream);
criterion_main!(benches);
