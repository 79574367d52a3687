//! Streams every indicator of a simulator through `indicator_combined_v1().items()`, the way a
//! user syncing a large feed would, and prints throughput and the simulator's memory: the
//! command behind the simulator figures in BENCHMARKS.md.
//!
//! ```sh
//! # An in-process simulator seeded with 100,000 indicators, one stream of all of them.
//! cargo run --release -p ioc-client --example stream_all -- --seed 100000
//!
//! # A simulator you started (`ioc-simulator --port 8080 --seed 1000000`): 16 clients at
//! # once, each paging a different filter, three rounds, the simulator's memory after each.
//! cargo run --release -p ioc-client --example stream_all -- \
//!     --url http://127.0.0.1:8080 --clients 16 --rounds 3 --sim-pid "$(pgrep -n ioc-simulator)"
//! ```
//!
//! Flags: `--seed N` (start a simulator in-process with N indicators), `--url URL` (use a
//! running simulator with its default credentials), `--limit N` (page size, default 500),
//! `--clients K` (K concurrent streams, default 1; client `i` uses filter `i` of
//! [`QUERIES`]), `--rounds R` (default 1), `--sim-pid PID` (whose RSS to report; by default
//! this process when the simulator runs in-process). Any error ends the run with status 1.

use ioc_client::Client;
use ioc_client::prelude::*; // try_next() on items()
use std::time::Instant;

/// Filter and sort of each client, in order: every client pages something different.
const QUERIES: &[(&str, &str)] = &[
    ("", ""),
    ("tags:'batch-1'", ""),
    ("severity:'high'", "value.asc"),
    ("platforms:'linux'", "created_on.desc"),
    ("tags:'batch-2'+severity:'critical'", ""),
    ("type:'sha256'", "value.desc"),
    ("tags:'seed'", "created_on.desc"),
    ("severity:['low','medium']", "severity_number.desc"),
    ("source:'simulator-seed'", "modified_on.desc"),
    ("tags:'batch-3',tags:'batch-4'", ""),
    ("created_on:>'2000-01-01T00:00:00Z'", ""),
    ("description:~'indicator 1'", ""),
    ("applied_globally:true+platforms:'mac'", "value.asc"),
    ("tags:'batch-5'", "value.asc"),
    ("deleted:false+tags:'batch-6'", ""),
    ("value:'*ab*'", ""),
];

struct Args {
    seed: usize,
    url: Option<String>,
    limit: i64,
    clients: usize,
    rounds: usize,
    sim_pid: Option<u32>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        seed: 0,
        url: None,
        limit: 500,
        clients: 1,
        rounds: 1,
        sim_pid: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag}: '{value}' is not a number"))
        };
        match flag.as_str() {
            "--seed" => a.seed = number()?,
            "--url" => a.url = Some(value.clone()),
            "--limit" => a.limit = number()? as i64,
            "--clients" => a.clients = number()?.clamp(1, QUERIES.len()),
            "--rounds" => a.rounds = number()?.max(1),
            "--sim-pid" => a.sim_pid = Some(number()? as u32),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if a.url.is_none() && a.seed == 0 {
        return Err("give --seed N (in-process simulator) or --url URL".into());
    }
    Ok(a)
}

/// `VmRSS` and `VmHWM` (peak) of a process, in MiB, from /proc.
fn rss_mib(pid: Option<u32>) -> Option<(u64, u64)> {
    let path = pid.map_or("/proc/self/status".to_string(), |p| {
        format!("/proc/{p}/status")
    });
    let status = std::fs::read_to_string(path).ok()?;
    let kib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))?
            .split_whitespace()
            .nth(1)?
            .parse::<u64>()
            .ok()
    };
    Some((kib("VmRSS:")? / 1024, kib("VmHWM:")? / 1024))
}

fn client(url: &str) -> Result<Client, ioc_client::Error> {
    Client::builder()
        .base_url(url)
        .client_id(ioc_simulator::DEFAULT_CLIENT_ID)
        .client_secret(ioc_simulator::DEFAULT_CLIENT_SECRET)
        .build()
}

/// Streams every item of one query; returns how many came and how many `total` promised.
async fn stream(url: String, limit: i64, filter: &str, sort: &str) -> Result<(u64, u64), String> {
    let c = client(&url).map_err(|e| e.to_string())?;
    // The request with this client's filter and sort (either may be empty: left out).
    macro_rules! query {
        () => {{
            let mut b = c.indicator_combined_v1();
            if !filter.is_empty() {
                b = b.filter(filter);
            }
            if !sort.is_empty() {
                b = b.sort(sort);
            }
            b
        }};
    }
    let first = query!().limit(1).send().await.map_err(|e| e.to_string())?;
    let total = first
        .body
        .meta
        .and_then(|m| m.pagination)
        .and_then(|p| p.total)
        .unwrap_or(0) as u64;
    let mut items = query!().limit(limit).items();
    let mut n = 0u64;
    while let Some(item) = items.try_next().await.map_err(|e| e.to_string())? {
        if item.id.is_none() {
            return Err("an item without an id".into());
        }
        n += 1;
    }
    Ok((n, total))
}

#[tokio::main]
async fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("stream_all: {e}");
            std::process::exit(2);
        }
    };
    let mut _sim = None;
    let (url, pid) = match &args.url {
        Some(u) => (u.clone(), args.sim_pid),
        None => {
            let sim = ioc_simulator::Simulator::start(ioc_simulator::Config::default())
                .await
                .expect("start the simulator");
            let t = Instant::now();
            sim.seed_indicators(args.seed);
            println!(
                "seeded {} indicators in {:.2} s",
                args.seed,
                t.elapsed().as_secs_f64()
            );
            let url = sim.base_url();
            _sim = Some(sim);
            (url, args.sim_pid)
        }
    };
    if let Some((rss, peak)) = rss_mib(pid) {
        println!("simulator RSS before paging: {rss} MiB (peak {peak} MiB)");
    }
    let mut failed = false;
    for round in 1..=args.rounds {
        let t = Instant::now();
        let tasks: Vec<_> = QUERIES[..args.clients]
            .iter()
            .map(|(f, s)| tokio::spawn(stream(url.clone(), args.limit, f, s)))
            .collect();
        let mut items = 0;
        for (task, (f, s)) in tasks.into_iter().zip(QUERIES) {
            match task.await.expect("task") {
                Ok((n, total)) => {
                    items += n;
                    if n != total {
                        println!("  filter {f:?} sort {s:?}: {n} items, total said {total}");
                        failed = true;
                    }
                }
                Err(e) => {
                    println!("  filter {f:?} sort {s:?}: error {e}");
                    failed = true;
                }
            }
        }
        let secs = t.elapsed().as_secs_f64();
        let mem = rss_mib(pid).map_or(String::new(), |(rss, peak)| {
            format!(", simulator RSS {rss} MiB (peak {peak} MiB)")
        });
        println!(
            "round {round}: {} client(s), {items} items in {secs:.2} s, {:.0} items/s{mem}",
            args.clients,
            items as f64 / secs
        );
    }
    if failed {
        std::process::exit(1);
    }
}
