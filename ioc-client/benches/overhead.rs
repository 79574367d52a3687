//! CPU per call of the client against bare `reqwest` (the very same crate: `ioc_client::reqwest`
//! is the runtime's), over loopback, for the same requests:
//!
//! - typed: `client.indicator_search_v1()…send()` against bare reqwest decoding into
//!   hand-written serde-derived structs of the reply (what a user of bare reqwest would write);
//! - `command()` into `serde_json::Value` against bare reqwest into `serde_json::Value`.
//!
//! The server is canned (fixed replies, HTTP/1.1 keep-alive, never compressed) and runs on an
//! OS thread of its own, so its cost stays out: what is measured is the CPU time of the bench
//! thread (`CLOCK_THREAD_CPUTIME_ID`), which drives every call on a current-thread runtime.
//! Each round runs every variant for N calls in turn; the figure is the median of the rounds,
//! and a ratio the median of the rounds' ratios (the two sides of a ratio ran back to back).
//!
//! Run: `cargo bench -p ioc-client --bench overhead` (release). `-- --quick` is a smoke run of a
//! few hundred calls (`cargo xtask bench --quick` runs it in the dev profile). Lines starting
//! with `figure ` are read by `cargo xtask bench`.

use std::collections::HashMap;
use std::hint::black_box;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ioc_client::{Client, reqwest};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SEARCH_PATH: &str = "/iocs/queries/indicators/v1";
const GET_PATH: &str = "/iocs/entities/indicators/v1";
const FILTER: &str = "type:'sha256'+deleted:false";
const LIMIT: i64 = 100;
const TOKEN: &str = "canned-bearer-token-0123456789abcdef";

// ---------------------------------------------------------------------------------------------
// What a user of bare reqwest would write: serde derives mirroring the replies.

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // read by `black_box` only
struct QueryReply {
    meta: Option<QueryMeta>,
    resources: Option<Vec<String>>,
    errors: Option<Vec<ApiErr>>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct IndicatorsReply {
    meta: Option<QueryMeta>,
    resources: Option<Vec<Indicator>>,
    errors: Option<Vec<ApiErr>>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct QueryMeta {
    pagination: Option<Paging>,
    powered_by: Option<String>,
    query_time: Option<f64>,
    trace_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Paging {
    after: Option<String>,
    limit: Option<i32>,
    offset: Option<i32>,
    total: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ApiErr {
    code: Option<i32>,
    id: Option<String>,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Indicator {
    action: Option<String>,
    applied_globally: Option<bool>,
    created_by: Option<String>,
    created_on: Option<String>,
    deleted: Option<bool>,
    description: Option<String>,
    expiration: Option<String>,
    expired: Option<bool>,
    from_parent: Option<bool>,
    host_groups: Option<Vec<String>>,
    id: Option<String>,
    metadata: Option<Metadata>,
    mobile_action: Option<String>,
    modified_by: Option<String>,
    modified_on: Option<String>,
    parent_cid_name: Option<String>,
    platforms: Option<Vec<String>>,
    severity: Option<String>,
    source: Option<String>,
    tags: Option<Vec<String>>,
    #[serde(rename = "type")]
    type_: Option<String>,
    value: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Metadata {
    av_hits: Option<i64>,
    company_name: Option<String>,
    file_description: Option<String>,
    file_version: Option<String>,
    filename: Option<String>,
    original_filename: Option<String>,
    product_name: Option<String>,
    product_version: Option<String>,
    signed: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// The canned replies.

/// A 64-hex-digit id, as the service's indicator ids are, different for each `n`.
fn hex_id(seed: &str, n: usize) -> String {
    let mut x = (n as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ seed.len() as u64;
    (0..4)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("{x:016x}")
        })
        .collect()
}

fn meta(limit: usize, total: usize) -> Value {
    json!({
        "query_time": 0.004213477,
        "pagination": {"offset": 0, "limit": limit, "total": total, "after": "eyJ2ZXJzaW9uIjoidjEiLCJ0cyI6MTcwMTQ0NjQwMCwiaWQiOiIxMjM0In0="},
        "powered_by": "ioc-manager",
        "trace_id": "4e1fd1a2-5b2f-4c0e-9d7e-1f6a3c9b8d21",
    })
}

fn search_reply() -> Value {
    let ids: Vec<String> = (0..LIMIT as usize).map(|n| hex_id("search", n)).collect();
    json!({"meta": meta(LIMIT as usize, 12_873), "resources": ids, "errors": []})
}

/// The ten ids `indicator_get_v1` asks for.
fn get_ids() -> Vec<String> {
    (0..10).map(|n| hex_id("search", n)).collect()
}

/// Ten full `api.IndicatorV1` records, every field set as the service fills them.
fn get_reply() -> Value {
    let records: Vec<Value> = get_ids()
        .into_iter()
        .enumerate()
        .map(|(n, id)| {
            json!({
                "id": id,
                "type": "sha256",
                "value": hex_id("value", n),
                "action": if n % 2 == 0 { "prevent" } else { "detect" },
                "mobile_action": "no_action",
                "severity": ["high", "medium", "critical"][n % 3],
                "description": format!("Dropper seen in campaign TA-{n:03}; blocked on all Windows hosts after triage."),
                "platforms": ["windows", "mac", "linux"],
                "tags": ["campaign-2023-q4", "triaged", format!("case-{}", 4100 + n)],
                "expiration": "2024-06-01T00:00:00Z",
                "expired": false,
                "deleted": false,
                "applied_globally": n % 3 != 0,
                "from_parent": false,
                "parent_cid_name": "",
                "host_groups": if n % 3 == 0 { vec![hex_id("group", n)[..32].to_string()] } else { Vec::new() },
                "source": "threat-intel-feed",
                "created_on": "2023-11-02T14:21:07.118592Z",
                "created_by": "api-client-5d1c0a7e",
                "modified_on": "2023-12-01T09:03:44.902113Z",
                "modified_by": "analyst@example.com",
                "metadata": {
                    "av_hits": 41 + n,
                    "company_name": "Contoso Ltd.",
                    "file_description": "Contoso Update Service",
                    "file_version": "10.0.19041.1",
                    "filename": format!("updsvc{n}.exe"),
                    "original_filename": "updsvc.exe",
                    "product_name": "Contoso Updater",
                    "product_version": "10.0.19041.1",
                    "signed": false,
                },
            })
        })
        .collect();
    json!({"meta": meta(10, 10), "resources": records, "errors": []})
}

// ---------------------------------------------------------------------------------------------
// The canned server: HTTP/1.1 keep-alive on 127.0.0.1, fixed replies by path, never compressed
// (it ignores `Accept-Encoding`), on an OS thread of its own.

struct Server {
    addr: SocketAddr,
    /// While `Some`, the head of every request is kept here (for the same-request check).
    heads: Arc<Mutex<Option<Vec<String>>>>,
}

fn response(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         x-cs-traceid: 4e1fd1a2-5b2f-4c0e-9d7e-1f6a3c9b8d21\r\nx-ratelimit-limit: 6000\r\n\
         x-ratelimit-remaining: 5999\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn start_server() -> Server {
    let routes: Arc<HashMap<&'static str, Vec<u8>>> = Arc::new(HashMap::from([
        (
            "/oauth2/token",
            response(
                "201 Created",
                json!({"access_token": TOKEN, "expires_in": 1799, "token_type": "bearer"})
                    .to_string()
                    .as_bytes(),
            ),
        ),
        (
            SEARCH_PATH,
            response("200 OK", search_reply().to_string().as_bytes()),
        ),
        (
            GET_PATH,
            response("200 OK", get_reply().to_string().as_bytes()),
        ),
    ]));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let heads = Arc::new(Mutex::new(None));
    let kept = heads.clone();
    std::thread::Builder::new()
        .name("canned-server".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = TcpListener::from_std(listener).unwrap();
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(serve(stream, routes.clone(), kept.clone()));
                }
            })
        })
        .unwrap();
    Server { addr, heads }
}

/// Answers the requests of one connection until the client closes it.
async fn serve(
    mut stream: TcpStream,
    routes: Arc<HashMap<&'static str, Vec<u8>>>,
    heads: Arc<Mutex<Option<Vec<String>>>>,
) -> io::Result<()> {
    let not_found = response("404 Not Found", br#"{"errors":[{"code":404,"message":"no"}]}"#);
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    loop {
        // The head, then as many body bytes as `content-length` says.
        let end = loop {
            if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let mut chunk = [0u8; 8192];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        let length: usize = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < end + length {
            let mut chunk = [0u8; 8192];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        buf.drain(..end + length);
        let target = head.split(' ').nth(1).unwrap_or("");
        let path = target.split('?').next().unwrap_or("");
        if let Some(kept) = heads.lock().unwrap().as_mut() {
            kept.push(head.clone());
        }
        stream
            .write_all(routes.get(path).unwrap_or(&not_found))
            .await?;
    }
}

// ---------------------------------------------------------------------------------------------
// The calls.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Request {
    /// `indicator_search_v1` with a filter and `limit=100`: 100 ids back.
    Search,
    /// `indicator_get_v1` with 10 ids: 10 full records back.
    Get,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Variant {
    Typed,
    BareTyped,
    Command,
    BareValue,
}

const VARIANTS: [Variant; 4] = [
    Variant::Typed,
    Variant::BareTyped,
    Variant::Command,
    Variant::BareValue,
];

struct Bench {
    client: Client,
    http: reqwest::Client,
    base: String,
    token: String,
    ids: Vec<String>,
}

impl Bench {
    /// One call; the decoded reply goes to `black_box`.
    async fn call(&self, request: Request, variant: Variant) {
        match (request, variant) {
            (Request::Search, Variant::Typed) => {
                let reply = self
                    .client
                    .indicator_search_v1()
                    .filter(FILTER)
                    .limit(LIMIT)
                    .send()
                    .await
                    .unwrap();
                black_box(reply);
            }
            (Request::Search, Variant::Command) => {
                let reply = self
                    .client
                    .command(
                        "indicator.search.v1",
                        json!({"filter": FILTER, "limit": LIMIT}),
                    )
                    .await
                    .unwrap();
                black_box(reply);
            }
            (Request::Search, Variant::BareTyped) => {
                let reply: QueryReply = self.bare_search().await.json().await.unwrap();
                black_box(reply);
            }
            (Request::Search, Variant::BareValue) => {
                let reply: Value = self.bare_search().await.json().await.unwrap();
                black_box(reply);
            }
            (Request::Get, Variant::Typed) => {
                let reply = self
                    .client
                    .indicator_get_v1()
                    .ids(&self.ids)
                    .send()
                    .await
                    .unwrap();
                black_box(reply);
            }
            (Request::Get, Variant::Command) => {
                let reply = self
                    .client
                    .command("indicator.get.v1", json!({"ids": self.ids}))
                    .await
                    .unwrap();
                black_box(reply);
            }
            (Request::Get, Variant::BareTyped) => {
                let reply: IndicatorsReply = self.bare_get().await.json().await.unwrap();
                black_box(reply);
            }
            (Request::Get, Variant::BareValue) => {
                let reply: Value = self.bare_get().await.json().await.unwrap();
                black_box(reply);
            }
        }
    }

    async fn bare_search(&self) -> reqwest::Response {
        self.http
            .get(format!("{}{SEARCH_PATH}", self.base))
            .bearer_auth(&self.token)
            .query(&[("filter", FILTER)])
            .query(&[("limit", LIMIT)])
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
    }

    async fn bare_get(&self) -> reqwest::Response {
        let ids: Vec<(&str, &str)> = self.ids.iter().map(|id| ("ids", id.as_str())).collect();
        self.http
            .get(format!("{}{GET_PATH}", self.base))
            .bearer_auth(&self.token)
            .query(&ids)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
    }
}

/// CPU time this thread has used.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid place for the clock to write to.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The request line and the headers of a recorded request head, minus the ones a variant adds
/// of its own (kept apart, to be shown).
fn request_line(head: &str) -> &str {
    head.lines().next().unwrap_or("")
}

fn header_names(head: &str) -> Vec<String> {
    let mut names: Vec<String> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    names.sort();
    names
}

fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (rounds, warmup, calls) = if quick {
        (1, 10, [(Request::Search, 50), (Request::Get, 50)])
    } else {
        (7, 300, [(Request::Search, 2000), (Request::Get, 1000)])
    };

    let server = start_server();
    let base = format!("http://{}", server.addr);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let bench = rt.block_on(async {
        let client = Client::builder()
            .base_url(&base)
            .client_id("bench-client-id")
            .client_secret("bench-client-secret")
            .build()
            .unwrap();
        // Bare reqwest as a user would set it up: the client's timeouts (reqwest has none by
        // default, and a timer per request is part of what a call costs), its default encodings
        // (gzip and deflate, the features the runtime builds reqwest with: the same
        // `Accept-Encoding` as the client), one login.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let login: Value = http
            .post(format!("{base}/oauth2/token"))
            .form(&[
                ("client_id", "bench-client-id"),
                ("client_secret", "bench-client-secret"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = login["access_token"].as_str().unwrap().to_string();
        Bench {
            client,
            http,
            base: base.clone(),
            token,
            ids: get_ids(),
        }
    });

    // The same request on the wire: record one of each and compare request lines and headers.
    *server.heads.lock().unwrap() = Some(Vec::new());
    let mut heads = Vec::new();
    for (request, _) in calls {
        for variant in VARIANTS {
            server.heads.lock().unwrap().as_mut().unwrap().clear();
            rt.block_on(bench.call(request, variant));
            let kept = server.heads.lock().unwrap().as_ref().unwrap().clone();
            // The typed client logs in on its first call: its request is the last one.
            heads.push((request, variant, kept.last().cloned().unwrap_or_default()));
        }
    }
    *server.heads.lock().unwrap() = None;
    println!("requests on the wire (request line; headers besides the bare ones):");
    for request in [Request::Search, Request::Get] {
        let of = |v: Variant| {
            heads
                .iter()
                .find(|(r, w, _)| *r == request && *w == v)
                .map(|(_, _, h)| h.as_str())
                .unwrap()
        };
        let bare = of(Variant::BareTyped);
        for variant in VARIANTS {
            let head = of(variant);
            assert_eq!(
                request_line(head),
                request_line(bare),
                "{variant:?} sends another request than bare reqwest"
            );
            assert_eq!(header(head, "authorization"), header(bare, "authorization"));
            assert_eq!(
                header(head, "accept-encoding"),
                header(bare, "accept-encoding"),
                "{variant:?} asks for other encodings than bare reqwest"
            );
            let extra: Vec<String> = header_names(head)
                .into_iter()
                .filter(|n| !header_names(bare).contains(n))
                .collect();
            if variant == Variant::Typed || variant == Variant::Command {
                println!(
                    "  {request:?} {variant:?}: {}; + {}",
                    request_line(head),
                    if extra.is_empty() {
                        "nothing".to_string()
                    } else {
                        extra.join(", ")
                    }
                );
            }
        }
        println!(
            "  {request:?} bare: accept-encoding: {} (the server never compresses)",
            header(bare, "accept-encoding").unwrap_or("none")
        );
    }

    // Warm-up, then rounds: each round runs every variant N times, in turn.
    for (request, _) in calls {
        for variant in VARIANTS {
            rt.block_on(async {
                for _ in 0..warmup {
                    bench.call(request, variant).await;
                }
            });
        }
    }
    let mut per_call: HashMap<(Request, Variant), Vec<f64>> = HashMap::new();
    for _ in 0..rounds {
        for (request, n) in calls {
            for variant in VARIANTS {
                let spent = rt.block_on(async {
                    let start = thread_cpu();
                    for _ in 0..n {
                        bench.call(request, variant).await;
                    }
                    thread_cpu() - start
                });
                per_call
                    .entry((request, variant))
                    .or_default()
                    .push(spent.as_secs_f64() * 1e6 / n as f64);
            }
        }
    }

    println!(
        "\nCPU per call on the bench thread, µs (median of {rounds} round(s); {} and {} calls a round)",
        calls[0].1, calls[1].1
    );
    println!(
        "{:<34} {:>8} {:>10} {:>7}   {:>9} {:>10} {:>7}",
        "request", "typed", "bare typed", "ratio", "command()", "bare Value", "ratio"
    );
    for (request, _) in calls {
        let rounds_of = |v: Variant| per_call[&(request, v)].clone();
        let ratio = |a: Variant, b: Variant| {
            let mut r: Vec<f64> = rounds_of(a)
                .iter()
                .zip(rounds_of(b))
                .map(|(x, y)| x / y)
                .collect();
            median(&mut r)
        };
        let typed = median(&mut rounds_of(Variant::Typed));
        let bare_typed = median(&mut rounds_of(Variant::BareTyped));
        let command = median(&mut rounds_of(Variant::Command));
        let bare_value = median(&mut rounds_of(Variant::BareValue));
        let typed_ratio = ratio(Variant::Typed, Variant::BareTyped);
        let command_ratio = ratio(Variant::Command, Variant::BareValue);
        let (name, label) = match request {
            Request::Search => ("search", "indicator_search_v1 (100 ids)"),
            Request::Get => ("get", "indicator_get_v1 (10 records)"),
        };
        println!(
            "{label:<34} {typed:>8.1} {bare_typed:>10.1} {typed_ratio:>6.3}×   {command:>9.1} {bare_value:>10.1} {command_ratio:>6.3}×"
        );
        println!(
            "figure {name} typed_us={typed:.2} bare_typed_us={bare_typed:.2} typed_ratio={typed_ratio:.4} command_us={command:.2} bare_value_us={bare_value:.2} command_ratio={command_ratio:.4} rounds={rounds} calls={}",
            if request == Request::Search {
                calls[0].1
            } else {
                calls[1].1
            }
        );
    }
}
