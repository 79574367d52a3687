//! What one call costs over loopback against the simulator: the typed builder and `command()`
//! for the same request, so the dispatcher's overhead shows as the difference; and a 500-id
//! page decode.
//!
//! Run: `cargo bench -p ioc-client --bench calls`.

use criterion::{Criterion, criterion_group, criterion_main};
use ioc_client::Client;
use ioc_simulator::{Config, Simulator};
use serde_json::json;

fn calls(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (sim, client) = rt.block_on(async {
        let sim = Simulator::start(Config::default()).await.unwrap();
        sim.seed_indicators(1_000);
        let cfg = sim.config().clone();
        let client = Client::builder()
            .base_url(sim.base_url())
            .client_id(cfg.client_id)
            .client_secret(cfg.client_secret)
            .build()
            .unwrap();
        (sim, client)
    });
    let mut group = c.benchmark_group("severities");
    group.bench_function("typed", |b| {
        b.iter(|| rt.block_on(client.severity_query_v1().send()).unwrap())
    });
    group.bench_function("command", |b| {
        b.iter(|| {
            rt.block_on(client.command("severity.query.v1", json!({})))
                .unwrap()
        })
    });
    group.finish();
    let mut group = c.benchmark_group("search_limit_10");
    group.bench_function("typed", |b| {
        b.iter(|| {
            rt.block_on(
                client
                    .indicator_search_v1()
                    .filter("type:'sha256'")
                    .limit(10)
                    .send(),
            )
            .unwrap()
        })
    });
    group.bench_function("command", |b| {
        b.iter(|| {
            rt.block_on(client.command(
                "indicator_search_v1",
                json!({"filter": "type:'sha256'", "limit": 10}),
            ))
            .unwrap()
        })
    });
    group.finish();
    let mut group = c.benchmark_group("combined_limit_500");
    group.sample_size(30);
    group.bench_function("typed", |b| {
        b.iter(|| {
            rt.block_on(client.indicator_combined_v1().limit(500).send())
                .unwrap()
        })
    });
    group.bench_function("command", |b| {
        b.iter(|| {
            rt.block_on(client.command("indicator.combined.v1", json!({"limit": 500})))
                .unwrap()
        })
    });
    group.finish();
    sim.clear_requests();
}

criterion_group!(benches, calls);
criterion_main!(benches);
