//! Compressed replies end to end: the client asks for gzip and deflate, the simulator
//! compresses (tower-http), the client decodes; a byte-counting forwarder between them shows
//! what one 500-record `indicator.combined.v1` page costs on the wire with and without.

mod e2e_common;

use e2e_common::support::net::{Forwarder, forwarder};
use e2e_common::support::tls::{https_sim, pki};
use e2e_common::*;
use falcon_runtime::reqwest;
use ioc_client::Client;
use ioc_simulator::{RecordedRequest, Simulator};

/// A client of `sim` that goes through `fwd` (same scheme, same certificate name).
fn via(fwd: &Forwarder, sim: &Simulator) -> falcon_runtime::ClientBuilder<Client> {
    let scheme = sim.base_url().split("://").next().unwrap().to_string();
    e2e_common::support::builder(sim).base_url(format!("{scheme}://{}", fwd.addr))
}

/// Wire bytes of one 500-record combined page (server to client, headers included), after a
/// login that is not counted; and the page.
async fn page_on_the_wire(client: &Client, fwd: &Forwarder) -> (u64, serde_json::Value) {
    client.runtime().login().await.unwrap();
    fwd.reset();
    let page = client
        .indicator_combined_v1()
        .limit(500)
        .send()
        .await
        .unwrap();
    assert_eq!(page.body.resources.len(), 500);
    (
        fwd.bytes_to_client(),
        serde_json::to_value(page.body).unwrap(),
    )
}

fn last_call(sim: &Simulator) -> RecordedRequest {
    e2e_common::support::api_requests(sim).pop().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_are_asked_for_compressed_and_decoded() {
    let (sim, _) = start().await;
    sim.seed_indicators(500);
    let fwd = forwarder(sim.addr()).await;

    let client = via(&fwd, &sim).build().unwrap();
    let (gzip_bytes, gzip_page) = page_on_the_wire(&client, &fwd).await;
    let asked = last_call(&sim);
    assert_eq!(
        e2e_common::support::header(&asked, "accept-encoding"),
        Some("gzip,deflate")
    );

    let plain = via(&fwd, &sim).compression(false).build().unwrap();
    let (plain_bytes, plain_page) = page_on_the_wire(&plain, &fwd).await;
    assert_eq!(
        e2e_common::support::header(&last_call(&sim), "accept-encoding"),
        None
    );

    // deflate alone, through a reqwest client of our own that asks for nothing else.
    falcon_runtime::install_ring_provider();
    let own = reqwest::Client::builder()
        .gzip(false)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let deflate = via(&fwd, &sim).http_client(own).build().unwrap();
    let (deflate_bytes, deflate_page) = page_on_the_wire(&deflate, &fwd).await;
    assert_eq!(
        e2e_common::support::header(&last_call(&sim), "accept-encoding"),
        Some("deflate")
    );

    // The same records every way (bar the per-request trace id and query time).
    let records = |v: &serde_json::Value| v["resources"].clone();
    assert_eq!(records(&gzip_page), records(&plain_page));
    assert_eq!(records(&deflate_page), records(&plain_page));
    let decoded = serde_json::to_vec(&plain_page).unwrap().len() as u64;
    assert!(
        plain_bytes > decoded,
        "uncompressed, the wire carries the whole body"
    );
    assert!(
        gzip_bytes * 4 < plain_bytes,
        "gzip {gzip_bytes} vs plain {plain_bytes}"
    );
    assert!(
        deflate_bytes * 4 < plain_bytes,
        "deflate {deflate_bytes} vs plain {plain_bytes}"
    );
    println!(
        "one 500-record indicator.combined.v1 page over HTTP: {plain_bytes} bytes on the wire \
         uncompressed, {gzip_bytes} with gzip ({:.1}x smaller), {deflate_bytes} with deflate; \
         the typed body as JSON {decoded} bytes",
        plain_bytes as f64 / gzip_bytes as f64
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compression_holds_over_https() {
    let pki = pki();
    let sim = https_sim(&pki).await;
    sim.seed_indicators(500);
    let fwd = forwarder(sim.addr()).await;
    let trusting = || via(&fwd, &sim).add_root_certificate_pem(pki.ca_pem.clone());
    let (gzip_bytes, gzip_page) = page_on_the_wire(&trusting().build().unwrap(), &fwd).await;
    let (plain_bytes, plain_page) =
        page_on_the_wire(&trusting().compression(false).build().unwrap(), &fwd).await;
    assert_eq!(gzip_page["resources"], plain_page["resources"]);
    assert!(
        gzip_bytes * 4 < plain_bytes,
        "gzip {gzip_bytes} vs plain {plain_bytes}"
    );
    println!(
        "one 500-record indicator.combined.v1 page over HTTPS: {plain_bytes} bytes on the wire \
         uncompressed, {gzip_bytes} with gzip ({:.1}x smaller)",
        plain_bytes as f64 / gzip_bytes as f64
    );
    sim.shutdown().await;
}
