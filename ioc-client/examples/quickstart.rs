//! A first tour of the Falcon IOC client: create → search → get → update → devices-count →
//! delete.
//!
//! ```sh
//! # No credentials needed: a Falcon IOC simulator starts inside the example.
//! cargo run --example quickstart
//!
//! # Against your own Falcon tenant (an API client with IOC read and write scopes).
//! # FALCON_CLOUD is optional: us-1, us-2, eu-1, us-gov-1 or a URL; by default the
//! # region is discovered at login.
//! FALCON_CLIENT_ID=... FALCON_CLIENT_SECRET=... cargo run --example quickstart
//! ```
//!
//! Everything the example creates is tagged with a tag of its own run and deleted at the end;
//! it also expires by itself after a day, in case the run is interrupted.

use std::time::{SystemTime, UNIX_EPOCH};

use ioc_client::models::{
    Action, ApiIndicatorCreateReqV1, ApiIndicatorCreateReqsV1, ApiIndicatorUpdateReqV1,
    ApiIndicatorUpdateReqsV1, IndicatorType, Platform, Severity,
};
use ioc_client::prelude::*; // try_next() on items()
use ioc_client::{Client, Error};

/// How many extra indicators the bulk step creates, and how many go in one request.
const BULK: usize = 200;
const BATCH: usize = 50;

#[tokio::main]
async fn main() {
    if let Err(e) = tour().await {
        // Every error of the client has a readable message, and never a secret in it.
        eprintln!("\nerror: {e}");
        std::process::exit(1);
    }
}

async fn tour() -> Result<(), Error> {
    // The simulator must live as long as the client talks to it, hence `_simulator`.
    let (client, _simulator) = connect().await?;

    // A tag unique to this run, so we only ever touch what we created.
    let run = format!("quickstart-{:x}", now_secs());
    let domain = format!("{run}.falcon-ioc-rs.example");

    // 1. Create one indicator: its type and value, then what to set. `detect` needs a
    //    severity; `applied_globally` (or host groups) says where it applies. Value sets are
    //    enums that also take a plain string: `Action::Detect` or "detect".
    step(1, "Create an indicator");
    let indicator = ApiIndicatorCreateReqV1::new(IndicatorType::Domain, &domain)
        .action(Action::Detect)
        .severity("medium")
        .platforms(["windows", "mac", "linux"])
        .applied_globally(true)
        // Only for this tour: found again by its tag, gone by itself after a day.
        .tags([&run])
        .expiration(rfc3339_days_from_now(1));
    let created = client
        .indicator_create_v1()
        .body(ApiIndicatorCreateReqsV1::new([indicator]).comment("falcon-ioc-rs quickstart"))
        .send()
        .await?;
    let indicator = &created.body.resources[0];
    let id = indicator.id.clone().unwrap_or_default();
    println!("   created domain {domain}");
    println!("   id {id}");
    println!(
        "   (HTTP {}, trace id {})",
        created.status,
        created.trace_id().unwrap_or("-")
    );

    // 2. Create many at once: up to a few hundred per request, here in batches of 50.
    step(
        2,
        &format!("Create {BULK} hash indicators in batches of {BATCH}"),
    );
    let mut done = 0;
    while done < BULK {
        let batch = (done..(done + BATCH).min(BULK)).map(|i| {
            ApiIndicatorCreateReqV1::new(IndicatorType::Sha256, fake_sha256(&run, i))
                .action(Action::NoAction)
                .platforms([Platform::Windows])
                .applied_globally(true)
                .expiration(rfc3339_days_from_now(1))
                .tags([run.as_str(), "bulk"])
        });
        let reply = client
            .indicator_create_v1()
            .body(ApiIndicatorCreateReqsV1::new(batch).comment("falcon-ioc-rs quickstart, bulk"))
            .send()
            .await?;
        done += reply.body.resources.len();
        println!("   {} {done:>3}/{BULK}", progress_bar(done, BULK));
    }

    // 3. Search with FQL: ids first (search), then whole records (combined).
    step(3, "Search");
    let filter = format!("tags:'{run}'+type:'sha256'");
    let page = client
        .indicator_search_v1()
        .filter(&filter)
        .sort("created_on.desc")
        .limit(5)
        .send()
        .await?;
    // `total()` reads `meta.pagination.total` (also `after()`, `offset()`).
    let total = page.total().unwrap_or_default();
    println!("   filter {filter}");
    println!(
        "   {total} match; the newest {} ids:",
        page.body.resources.len()
    );
    for found in &page.body.resources {
        println!("     {found}");
    }
    // Paging: `items()` follows `meta.pagination.after` page by page, one page in memory.
    let mut seen = 0;
    let mut ids = client
        .indicator_search_v1()
        .filter(&filter)
        .limit(100)
        .items();
    while let Some(_id) = ids.try_next().await? {
        seen += 1;
    }
    println!("   paged through all {seen} by `after`, 100 at a time");

    // 4. Get the first indicator back by id.
    step(4, "Get it by id");
    let got = client.indicator_get_v1().ids([id.as_str()]).send().await?;
    for record in &got.body.resources {
        let platforms: Vec<&str> = record
            .platforms
            .iter()
            .flatten()
            .map(Platform::as_str)
            .collect();
        println!(
            "   {} {}: action {}, severity {}, platforms {}",
            record.type_.as_ref().map_or("?", IndicatorType::as_str),
            record.value.as_deref().unwrap_or("?"),
            record.action.as_ref().map_or("?", Action::as_str),
            record.severity.as_ref().map_or("-", Severity::as_str),
            platforms.join(", "),
        );
    }

    // 5. Update it: only the fields given change.
    step(5, "Update it");
    let change = ApiIndicatorUpdateReqV1::new()
        .id(&id)
        .severity(Severity::High);
    let updated = client
        .indicator_update_v1()
        .body(
            ApiIndicatorUpdateReqsV1::new()
                .indicators([change])
                .comment("raised by the quickstart"),
        )
        .send()
        .await?;
    let after_update = &updated.body.resources[0];
    println!(
        "   severity medium -> {}, modified on {}",
        after_update.severity.as_ref().map_or("-", Severity::as_str),
        after_update.modified_on.as_deref().unwrap_or("-"),
    );

    // 6. How many hosts saw it? FalconPy's `devices_count` is `indicator_get_device_count_v1`
    //    here (`client.devices_count()` is the legacy `DevicesCount`, FalconPy's
    //    `devices_count_legacy`); the `Client` docs have the whole FalconPy → Rust table.
    step(6, "Count the hosts that saw it");
    match client
        .indicator_get_device_count_v1()
        .type_(IndicatorType::Domain)
        .value(&domain)
        .send()
        .await
    {
        Ok(reply) => {
            let count = reply
                .body
                .resources
                .first()
                .and_then(|r| r.device_count)
                .unwrap_or(0);
            println!("   {count} host(s) have seen {domain}");
        }
        // The real service answers 404 when no host has seen the indicator.
        Err(e) if e.as_api().is_some_and(|a| a.status == 404) => {
            println!("   no host has seen {domain}");
        }
        Err(e) => return Err(e),
    }

    // 7. Delete: by id, then the rest of the run by filter. Any operation can also be
    //    called by its id with JSON arguments, as FalconPy's Uber class does.
    step(7, "Delete everything this run created");
    client
        .indicator_delete_v1()
        .ids([id.as_str()])
        .comment("quickstart done")
        .send()
        .await?;
    println!("   deleted {domain}");
    let reply = client
        .command(
            "indicator.delete.v1",
            serde_json::json!({"filter": format!("tags:'{run}'"), "comment": "quickstart done"}),
        )
        .await?;
    let deleted = reply.body["resources"].as_array().map_or(0, Vec::len);
    println!("   deleted {deleted} more by filter tags:'{run}'");
    let left = client
        .indicator_search_v1()
        .filter(format!("tags:'{run}'"))
        .send()
        .await?;
    println!("   {} left", left.body.resources.len());

    println!("\nDone. Next: the typed methods are listed in the `ioc_client::Client` docs.");
    Ok(())
}

/// The client, and the simulator it talks to when no credentials are set.
async fn connect() -> Result<(Client, Option<ioc_simulator::Simulator>), Error> {
    if std::env::var_os("FALCON_CLIENT_ID").is_some()
        && std::env::var_os("FALCON_CLIENT_SECRET").is_some()
    {
        let client = Client::from_env()?;
        println!(
            "Using your Falcon tenant ({}).",
            client.runtime().base_url()
        );
        return Ok((client, None));
    }
    let simulator = ioc_simulator::Simulator::start(ioc_simulator::Config::default())
        .await
        .map_err(|e| Error::Config(format!("cannot start the simulator: {e}")))?;
    println!(
        "Using the built-in Falcon IOC simulator at {}.",
        simulator.base_url()
    );
    println!("(Set FALCON_CLIENT_ID and FALCON_CLIENT_SECRET to use your own tenant.)");
    let client = Client::builder()
        .base_url(simulator.base_url())
        .client_id(ioc_simulator::DEFAULT_CLIENT_ID)
        .client_secret(ioc_simulator::DEFAULT_CLIENT_SECRET)
        .build()?;
    Ok((client, Some(simulator)))
}

fn step(n: u32, title: &str) {
    println!("\n{n}. {title}");
}

fn progress_bar(done: usize, total: usize) -> String {
    let filled = done * 20 / total.max(1);
    format!("[{}{}]", "#".repeat(filled), ".".repeat(20 - filled))
}

/// A made-up but well-formed sha256 value, different for each run and `i`.
fn fake_sha256(run: &str, i: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in run.bytes().chain(i.to_le_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..4u64)
        .map(|k| format!("{:016x}", h.rotate_left(k as u32 * 16) ^ k))
        .collect()
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `now + days` as RFC 3339 (UTC), e.g. `2025-06-01T12:00:00Z`.
fn rfc3339_days_from_now(days: u64) -> String {
    let secs = now_secs() + days * 86_400;
    let (day, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
