//! CPU per call of the client against bare `reqwest` (the very same crate and features:
//! `ioc_client::reqwest` is the runtime's), over loopback, for the same requests:
//!
//! - typed: `client.indicator_search_v1()…send()` against bare reqwest decoding into
//!   serde-derived structs of the reply (what a user of bare reqwest would write);
//! - `command()` into `serde_json::Value` against bare reqwest into `serde_json::Value`.
//!
//! The server is canned (fixed replies, HTTP/1.1 keep-alive, never compressed) and runs on an
//! OS thread of its own. The figure is the process's CPU time minus the server thread's, per
//! call: everything the client side does, on whatever thread, and nothing the server does.
//! Each of many short rounds runs every variant for N calls in turn (a different one first each
//! round), so that the drift of a shared machine falls on every variant alike; a per-call figure
//! is the whole run's CPU over its calls, and a ratio the two variants' whole CPU for the same
//! calls, with its range over groups of consecutive rounds to show how steady it is.
//!
//! Run: `cargo bench -p ioc-client --bench overhead` (release). `-- --quick`, or a run without
//! cargo bench's `--bench` (`cargo test --benches`), is a smoke run of a few hundred calls
//! (`cargo xtask bench --quick` runs it in the dev profile). Lines starting with `figure ` and
//! `method ` are read by `cargo xtask bench`.

// The modules sit in `overhead/` (a bench root resolves `mod` beside itself).
#[cfg(target_os = "linux")]
#[path = "overhead/calls.rs"]
mod calls;
#[cfg(target_os = "linux")]
#[path = "overhead/cpu.rs"]
mod cpu;
#[cfg(target_os = "linux")]
#[path = "overhead/replies.rs"]
mod replies;
#[cfg(target_os = "linux")]
#[path = "overhead/server.rs"]
mod server;
#[cfg(target_os = "linux")]
#[path = "overhead/tally.rs"]
mod tally;

use std::process::ExitCode;

/// How a run goes: rounds, warm-up calls per variant, calls per variant and round.
struct Plan {
    rounds: usize,
    warmup: usize,
    search_calls: usize,
    get_calls: usize,
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; without it (`cargo test --benches`) this is a smoke run,
    // as criterion's benches are.
    let mut quick = false;
    let mut bench = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => quick = true,
            "--bench" => bench = true,
            other => {
                eprintln!(
                    "overhead: unknown argument `{other}` (expected `--quick`; a filter is not supported)"
                );
                return ExitCode::FAILURE;
            }
        }
    }
    let plan = if quick || !bench {
        Plan {
            rounds: 5,
            warmup: 10,
            search_calls: 10,
            get_calls: 10,
        }
    } else {
        // Short rounds, many of them: the drift of a shared machine falls on both sides of a
        // ratio alike.
        Plan {
            rounds: 200,
            warmup: 300,
            search_calls: 50,
            get_calls: 25,
        }
    };
    match run(&plan) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("overhead: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn run(_: &Plan) -> Result<(), String> {
    // The figure takes one thread's CPU clock out of the process's (`pthread_getcpuclockid`),
    // which this bench reads the Linux way.
    println!("skipped: the overhead bench measures CPU with Linux's per-thread clocks");
    Ok(())
}

#[cfg(target_os = "linux")]
fn run(plan: &Plan) -> Result<(), String> {
    use std::collections::HashMap;

    use calls::{Calls, GET_PATH, Request, SEARCH_PATH, VARIANTS, Variant};
    use server::Server;
    use tally::Tally;

    let token = "canned-bearer-token-0123456789abcdef";
    let server = Server::start(HashMap::from([
        (
            "/oauth2/token",
            server::response(
                "201 Created",
                replies::token_reply(token).to_string().as_bytes(),
            ),
        ),
        (
            SEARCH_PATH,
            server::response("200 OK", replies::search_reply().to_string().as_bytes()),
        ),
        (
            GET_PATH,
            server::response("200 OK", replies::get_reply().to_string().as_bytes()),
        ),
    ]))?;
    // One thread drives every call; the client's connection tasks run on it too.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot build the runtime: {e}"))?;
    let calls = rt.block_on(Calls::new(&format!("http://{}", server.addr)))?;
    let requests = [
        (Request::Search, plan.search_calls),
        (Request::Get, plan.get_calls),
    ];

    same_requests(&rt, &calls, &server)?;

    for (request, _) in requests {
        for variant in VARIANTS {
            rt.block_on(async {
                for _ in 0..plan.warmup {
                    calls.call(request, variant).await?;
                }
                Ok::<(), String>(())
            })?;
        }
    }

    let mut tally = Tally::default();
    for round in 0..plan.rounds {
        for (request, n) in requests {
            // A different variant first in each round.
            let mut order = VARIANTS;
            order.rotate_left(round % VARIANTS.len());
            for variant in order {
                let cpu = rt.block_on(async {
                    let before = client_cpu(&server)?;
                    for _ in 0..n {
                        calls.call(request, variant).await?;
                    }
                    Ok::<_, String>(client_cpu(&server)?.saturating_sub(before))
                })?;
                tally.add(request, variant, n, cpu);
            }
        }
    }

    println!(
        "method CPU time of the bench process minus the canned server thread's (`CLOCK_PROCESS_CPUTIME_ID`, `pthread_getcpuclockid`), calls made one after another on a current-thread tokio runtime; {} rounds, each running every variant for {} search and {} get calls in turn (a different variant first each round), after {} warm-up calls each; per call: the whole run's CPU over its calls; a ratio: the two variants' whole CPU for the same calls (in brackets: its lowest and highest over {} groups of consecutive rounds)",
        plan.rounds,
        plan.search_calls,
        plan.get_calls,
        plan.warmup,
        tally::GROUPS,
    );
    println!(
        "\n{:<32} {:>8} {:>10} {:>7}   {:>9} {:>10} {:>7}   (µs of CPU per call)",
        "request", "typed", "bare typed", "ratio", "command()", "bare Value", "ratio"
    );
    for (request, n) in requests {
        let typed = tally.per_call(request, Variant::Typed);
        let bare_typed = tally.per_call(request, Variant::BareTyped);
        let command = tally.per_call(request, Variant::Command);
        let bare_value = tally.per_call(request, Variant::BareValue);
        let typed_ratio = tally.ratio(request, Variant::Typed, Variant::BareTyped);
        let command_ratio = tally.ratio(request, Variant::Command, Variant::BareValue);
        println!(
            "{:<32} {typed:>8.1} {bare_typed:>10.1} {:>6.3}×   {command:>9.1} {bare_value:>10.1} {:>6.3}×",
            request.label(),
            typed_ratio.whole,
            command_ratio.whole,
        );
        println!(
            "figure {} typed_us={typed:.2} bare_typed_us={bare_typed:.2} typed_ratio={:.4} typed_ratio_min={:.4} typed_ratio_max={:.4} command_us={command:.2} bare_value_us={bare_value:.2} command_ratio={:.4} command_ratio_min={:.4} command_ratio_max={:.4} rounds={} calls={n}",
            request.name(),
            typed_ratio.whole,
            typed_ratio.min,
            typed_ratio.max,
            command_ratio.whole,
            command_ratio.min,
            command_ratio.max,
            plan.rounds,
        );
    }
    Ok(())
}

/// The CPU the client side has used so far: the process's, minus the canned server's thread.
#[cfg(target_os = "linux")]
fn client_cpu(server: &server::Server) -> Result<std::time::Duration, String> {
    let process =
        cpu::process().map_err(|e| format!("cannot read the process's CPU clock: {e}"))?;
    let server = server
        .clock
        .read()
        .map_err(|e| format!("cannot read the server thread's CPU clock: {e}"))?;
    Ok(process.saturating_sub(server))
}

/// Checks that the four variants put the same request on the wire (request line, token,
/// `Accept-Encoding`), so the comparison is of the same work; shows the headers the client
/// adds of its own.
#[cfg(target_os = "linux")]
fn same_requests(
    rt: &tokio::runtime::Runtime,
    calls: &calls::Calls,
    server: &server::Server,
) -> Result<(), String> {
    use calls::{Request, VARIANTS, Variant};
    use server::{header, header_names, request_line};

    println!("requests on the wire (request line; headers the bare request does not send):");
    for request in [Request::Search, Request::Get] {
        let mut heads = Vec::new();
        for variant in VARIANTS {
            server.record();
            rt.block_on(calls.call(request, variant))?;
            // The typed client logs in on its first call: the call is the last request.
            let head = server.recorded().pop().unwrap_or_default();
            heads.push((variant, head));
        }
        let bare = heads
            .iter()
            .find(|(v, _)| *v == Variant::BareTyped)
            .map(|(_, h)| h.clone())
            .unwrap_or_default();
        for (variant, head) in &heads {
            for (what, ours, theirs) in [
                (
                    "request line",
                    Some(request_line(head)),
                    Some(request_line(&bare)),
                ),
                (
                    "token",
                    header(head, "authorization"),
                    header(&bare, "authorization"),
                ),
                (
                    "Accept-Encoding",
                    header(head, "accept-encoding"),
                    header(&bare, "accept-encoding"),
                ),
            ] {
                if ours != theirs {
                    return Err(format!(
                        "{request:?} {variant:?} sends another {what} than bare reqwest: {ours:?} vs {theirs:?}"
                    ));
                }
            }
            if matches!(variant, Variant::Typed | Variant::Command) {
                let bare_names = header_names(&bare);
                let extra: Vec<String> = header_names(head)
                    .into_iter()
                    .filter(|n| !bare_names.contains(n))
                    .collect();
                println!(
                    "  {request:?} {variant:?}: {}; + {}",
                    shortened(request_line(head)),
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
            header(&bare, "accept-encoding").unwrap_or("none")
        );
    }
    Ok(())
}

/// A request line cut to a readable length (the get's carries ten 64-digit ids).
#[cfg(target_os = "linux")]
fn shortened(line: &str) -> String {
    match line.char_indices().nth(100) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}
