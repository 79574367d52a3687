//! What building a client costs, with the OS certificate store trusted (the default) and
//! without. The store is read once per process (the first build prints that cost); each build
//! then parses its certificates into the client's own trust store.
//!
//! Run: `cargo bench -p ioc-client --bench build`.

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use ioc_client::Client;

fn client(system_roots: bool) -> Client {
    Client::builder()
        .access_token("bench")
        .tls_system_roots(system_roots)
        .build()
        .unwrap()
}

fn build(c: &mut Criterion) {
    let first = Instant::now();
    client(true);
    eprintln!(
        "first build, reading the OS certificate store: {:?}",
        first.elapsed()
    );
    let mut group = c.benchmark_group("client_build");
    group.bench_function("bundled_and_system_roots", |b| b.iter(|| client(true)));
    group.bench_function("bundled_roots_only", |b| b.iter(|| client(false)));
    group.finish();
}

criterion_group!(benches, build);
criterion_main!(benches);
