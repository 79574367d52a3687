//! Shared helpers of the end-to-end suite: a simulator with a client pointed at it, and one
//! function per operation that sends it through a chosen path (typed method, PascalCase alias,
//! `command()` by spec id, `command()` by snake-case id) from the same `command()`-style JSON
//! arguments, handing back the status and the body as JSON so scenarios can be written once.
#![allow(dead_code)]

#[path = "../support/mod.rs"]
pub mod support;

use std::time::Duration;

use ioc_client::{ApiResponse, Client, Error, ErrorKind, RetryConfig, models, table};
use ioc_simulator::{Config, Simulator};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Retries as the runtime does by default, but with millisecond waits.
pub fn fast_retry() -> RetryConfig {
    RetryConfig {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(40),
        max_total_wait: Duration::from_secs(2),
    }
}

/// A client for `sim` with fast retries.
pub fn client_for(sim: &Simulator) -> Client {
    client_with(sim, fast_retry())
}

pub fn client_with(sim: &Simulator, retry: RetryConfig) -> Client {
    support::builder(sim)
        .retry(retry)
        .build()
        .expect("client builds")
}

/// A fresh simulator with default settings and a client for it.
pub async fn start() -> (Simulator, Client) {
    start_with(Config::default()).await
}

pub async fn start_with(config: Config) -> (Simulator, Client) {
    let sim = Simulator::start(config).await.expect("simulator starts");
    let client = client_for(&sim);
    (sim, client)
}

/// A simulator serving HTTPS with a certificate from a private CA made now (as behind a
/// TLS-inspecting proxy), and a client that trusts that CA on top of the default roots.
pub async fn start_https() -> (Simulator, Client) {
    let pki = support::tls::pki();
    let sim = support::tls::https_sim(&pki).await;
    let client = support::builder(&sim)
        .retry(fast_retry())
        .add_root_certificate_pem(pki.ca_pem)
        .build()
        .expect("client builds");
    (sim, client)
}

/// A valid create object: detect, the given severity, windows+mac, applied globally.
pub fn indicator(kind: &str, value: &str, severity: &str, tags: &[&str]) -> Value {
    json!({
        "type": kind,
        "value": value,
        "action": "detect",
        "severity": severity,
        "platforms": ["windows", "mac"],
        "applied_globally": true,
        "source": "e2e",
        "tags": tags,
    })
}

/// A 64-hex-character sha256 value derived from `i`.
pub fn sha256(i: u64) -> String {
    format!("{:016x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).repeat(4)
}

/// A 32-hex-character md5 value derived from `i`.
pub fn md5(i: u64) -> String {
    format!("{:016x}", i.wrapping_mul(0xc2b2_ae3d_27d4_eb4f) | 1).repeat(2)
}

/// The error's HTTP status when it is an API error.
pub fn api_status(e: &Error) -> Option<u16> {
    e.as_api().map(|a| a.status)
}

/// Asserts `r` failed with an API error of `status`, and returns the error.
#[track_caller]
pub fn expect_api<T: std::fmt::Debug>(r: Result<T, Error>, status: u16) -> Error {
    match r {
        Err(e) if api_status(&e) == Some(status) => e,
        other => panic!("expected an API error with HTTP {status}, got {other:?}"),
    }
}

#[track_caller]
pub fn expect_kind<T: std::fmt::Debug>(r: Result<T, Error>, kind: ErrorKind) -> Error {
    match r {
        Err(e) if e.kind() == kind => e,
        other => panic!("expected a {kind:?} error, got {other:?}"),
    }
}

/// `body.resources` as an array.
#[track_caller]
pub fn resources(body: &Value) -> &Vec<Value> {
    body["resources"]
        .as_array()
        .unwrap_or_else(|| panic!("no resources array in {body}"))
}

/// `body.resources` as strings.
#[track_caller]
pub fn resource_strings(body: &Value) -> Vec<String> {
    resources(body)
        .iter()
        .map(|v| v.as_str().expect("string resource").to_string())
        .collect()
}

/// The values of `field` of each record in `body.resources`.
pub fn field_of(body: &Value, field: &str) -> Vec<String> {
    resources(body)
        .iter()
        .map(|r| r[field].as_str().unwrap_or_default().to_string())
        .collect()
}

/// How an operation is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// The snake-case method: `client.indicator_get_v1()...send()`.
    Typed,
    /// The PascalCase alias (`client.DevicesCount()`); operations without one use `Typed`.
    Alias,
    /// `client.command("indicator.get.v1", json!({...}))`: the spec's id.
    Command,
    /// `client.command("indicator_get_v1", ...)`: the other accepted id; operations whose id
    /// has no other spelling use `Command`.
    CommandSnake,
}

impl Via {
    pub const ALL: [Via; 4] = [Via::Typed, Via::Alias, Via::Command, Via::CommandSnake];

    fn is_command(self) -> bool {
        matches!(self, Via::Command | Via::CommandSnake)
    }
}

/// Status and body of a successful call, whatever the path.
#[derive(Debug, Clone)]
pub struct Out {
    pub status: u16,
    pub body: Value,
}

fn typed<T: Serialize>(r: Result<ApiResponse<T>, Error>) -> Result<Out, Error> {
    r.map(|r| Out {
        status: r.status,
        body: serde_json::to_value(r.body).expect("a model serializes"),
    })
}

/// Sends `args` through `command()` with the id `via` picks for `spec_id`.
async fn command(c: &Client, via: Via, spec_id: &str, args: &Value) -> Result<Out, Error> {
    let row = table::OPERATIONS
        .iter()
        .find(|op| op.id() == spec_id)
        .unwrap_or_else(|| panic!("no operation {spec_id}"));
    let id = match via {
        Via::CommandSnake => row.ids.last().copied().unwrap_or(row.id()),
        _ => row.id(),
    };
    c.command(id, args.clone()).await.map(|r| Out {
        status: r.status,
        body: r.body,
    })
}

/// Panics when `args` has a key the typed path would ignore.
#[track_caller]
fn only(args: &Value, keys: &[&str]) {
    if let Some(map) = args.as_object() {
        for k in map.keys() {
            assert!(keys.contains(&k.as_str()), "argument `{k}` not handled");
        }
    }
}

fn s(args: &Value, key: &str) -> Option<String> {
    match args.get(key)? {
        Value::String(v) => Some(v.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn i(args: &Value, key: &str) -> Option<i64> {
    args.get(key).and_then(Value::as_i64)
}

fn flag(args: &Value, key: &str) -> Option<bool> {
    args.get(key).and_then(Value::as_bool)
}

fn list(args: &Value, key: &str) -> Option<Vec<String>> {
    match args.get(key)? {
        Value::Array(items) => Some(
            items
                .iter()
                .map(|v| v.as_str().expect("string item").to_string())
                .collect(),
        ),
        Value::String(v) => Some(vec![v.clone()]),
        _ => None,
    }
}

fn body<T: DeserializeOwned>(args: &Value) -> T {
    serde_json::from_value(args.get("body").cloned().unwrap_or(json!({})))
        .expect("the body fits the model")
}

/// Sets an optional string argument on a builder.
macro_rules! opt {
    ($b:ident, $args:expr, $key:literal, $setter:ident) => {
        if let Some(v) = s($args, $key) {
            $b = $b.$setter(v);
        }
    };
}

// ---- indicators (v1) ----

pub async fn indicator_create(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["body", "ignore_warnings", "retrodetects"]);
    if via.is_command() {
        return command(c, via, "indicator.create.v1", &args).await;
    }
    let mut b = c
        .indicator_create_v1()
        .body(body::<models::ApiIndicatorCreateReqsV1>(&args));
    if let Some(v) = flag(&args, "ignore_warnings") {
        b = b.ignore_warnings(v);
    }
    if let Some(v) = flag(&args, "retrodetects") {
        b = b.retrodetects(v);
    }
    typed(b.send().await)
}

pub async fn indicator_get(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["ids"]);
    if via.is_command() {
        return command(c, via, "indicator.get.v1", &args).await;
    }
    let b = c
        .indicator_get_v1()
        .ids(list(&args, "ids").unwrap_or_default());
    typed(b.send().await)
}

pub async fn indicator_update(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["body", "ignore_warnings", "retrodetects"]);
    if via.is_command() {
        return command(c, via, "indicator.update.v1", &args).await;
    }
    let mut b = c
        .indicator_update_v1()
        .body(body::<models::ApiIndicatorUpdateReqsV1>(&args));
    if let Some(v) = flag(&args, "ignore_warnings") {
        b = b.ignore_warnings(v);
    }
    if let Some(v) = flag(&args, "retrodetects") {
        b = b.retrodetects(v);
    }
    typed(b.send().await)
}

pub async fn indicator_delete(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["ids", "filter", "comment", "from_parent"]);
    if via.is_command() {
        return command(c, via, "indicator.delete.v1", &args).await;
    }
    let mut b = c.indicator_delete_v1();
    if let Some(ids) = list(&args, "ids") {
        b = b.ids(ids);
    }
    opt!(b, &args, "filter", filter);
    opt!(b, &args, "comment", comment);
    if let Some(v) = flag(&args, "from_parent") {
        b = b.from_parent(v);
    }
    typed(b.send().await)
}

pub async fn indicator_search(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["filter", "sort", "limit", "offset", "after"]);
    if via.is_command() {
        return command(c, via, "indicator.search.v1", &args).await;
    }
    let mut b = c.indicator_search_v1();
    opt!(b, &args, "filter", filter);
    opt!(b, &args, "sort", sort);
    opt!(b, &args, "after", after);
    if let Some(v) = i(&args, "limit") {
        b = b.limit(v);
    }
    if let Some(v) = i(&args, "offset") {
        b = b.offset(v);
    }
    typed(b.send().await)
}

pub async fn indicator_combined(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["filter", "sort", "limit", "offset", "after"]);
    if via.is_command() {
        return command(c, via, "indicator.combined.v1", &args).await;
    }
    let mut b = c.indicator_combined_v1();
    opt!(b, &args, "filter", filter);
    opt!(b, &args, "sort", sort);
    opt!(b, &args, "after", after);
    if let Some(v) = i(&args, "limit") {
        b = b.limit(v);
    }
    if let Some(v) = i(&args, "offset") {
        b = b.offset(v);
    }
    typed(b.send().await)
}

pub async fn indicator_aggregate(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["body", "filter"]);
    if via.is_command() {
        return command(c, via, "indicator.aggregate.v1", &args).await;
    }
    let mut b = c
        .indicator_aggregate_v1()
        .body(body::<models::MsaAggregateQueryRequest>(&args));
    opt!(b, &args, "filter", filter);
    typed(b.send().await)
}

pub async fn indicators_report(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["body"]);
    let req = || body::<models::ApiIndicatorsReportRequest>(&args);
    match via {
        Via::Typed => typed(c.get_indicators_report().body(req()).send().await),
        Via::Alias => typed(c.GetIndicatorsReport().body(req()).send().await),
        _ => command(c, via, "GetIndicatorsReport", &args).await,
    }
}

pub async fn sdmf_query(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["body"]);
    if via.is_command() {
        return command(c, via, "indicator_sdmf_query_v1", &args).await;
    }
    let b = c
        .indicator_sdmf_query_v1()
        .body(body::<models::ApiSdmfQueryRequest>(&args));
    typed(b.send().await)
}

// ---- legacy indicators (by type and value) ----

pub async fn create_ioc(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["body"]);
    let req = || body::<models::ApiIndicatorCreateReqV1>(&args);
    match via {
        Via::Typed => typed(c.create_ioc().body(req()).send().await),
        Via::Alias => typed(c.CreateIOC().body(req()).send().await),
        _ => command(c, via, "CreateIOC", &args).await,
    }
}

pub async fn get_ioc(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["type", "value"]);
    let (t, v) = (s(&args, "type").unwrap(), s(&args, "value").unwrap());
    match via {
        Via::Typed => typed(c.get_ioc().type_(t).value(v).send().await),
        Via::Alias => typed(c.GetIOC().type_(t).value(v).send().await),
        _ => command(c, via, "GetIOC", &args).await,
    }
}

pub async fn update_ioc(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["type", "value", "body"]);
    let (t, v) = (s(&args, "type").unwrap(), s(&args, "value").unwrap());
    let req = || body::<models::ApiIndicatorUpdateReqV1>(&args);
    match via {
        Via::Typed => typed(c.update_ioc().type_(t).value(v).body(req()).send().await),
        Via::Alias => typed(c.UpdateIOC().type_(t).value(v).body(req()).send().await),
        _ => command(c, via, "UpdateIOC", &args).await,
    }
}

pub async fn delete_ioc(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["type", "value"]);
    let (t, v) = (s(&args, "type").unwrap(), s(&args, "value").unwrap());
    match via {
        Via::Typed => typed(c.delete_ioc().type_(t).value(v).send().await),
        Via::Alias => typed(c.DeleteIOC().type_(t).value(v).send().await),
        _ => command(c, via, "DeleteIOC", &args).await,
    }
}

pub async fn query_iocs(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(
        &args,
        &["types", "values", "sources", "policies", "created_by"],
    );
    if via.is_command() {
        return command(c, via, "QueryIOCs", &args).await;
    }
    let mut b = match via {
        Via::Alias => c.QueryIOCs(),
        _ => c.query_iocs(),
    };
    opt!(b, &args, "types", types);
    opt!(b, &args, "values", values);
    opt!(b, &args, "sources", sources);
    opt!(b, &args, "policies", policies);
    opt!(b, &args, "created_by", created_by);
    typed(b.send().await)
}

// ---- hosts and processes ----

pub async fn devices_count(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["type", "value"]);
    let (t, v) = (s(&args, "type").unwrap(), s(&args, "value").unwrap());
    match via {
        Via::Typed => typed(c.devices_count().type_(t).value(v).send().await),
        Via::Alias => typed(c.DevicesCount().type_(t).value(v).send().await),
        _ => command(c, via, "DevicesCount", &args).await,
    }
}

pub async fn device_count_v1(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["type", "value"]);
    if via.is_command() {
        return command(c, via, "indicator_get_device_count_v1", &args).await;
    }
    let (t, v) = (s(&args, "type").unwrap(), s(&args, "value").unwrap());
    typed(
        c.indicator_get_device_count_v1()
            .type_(t)
            .value(v)
            .send()
            .await,
    )
}

pub async fn devices_ran_on(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["type", "value", "limit", "offset"]);
    if via.is_command() {
        return command(c, via, "DevicesRanOn", &args).await;
    }
    let (t, v) = (s(&args, "type").unwrap(), s(&args, "value").unwrap());
    let mut b = match via {
        Via::Alias => c.DevicesRanOn(),
        _ => c.devices_ran_on(),
    }
    .type_(t)
    .value(v);
    opt!(b, &args, "limit", limit);
    opt!(b, &args, "offset", offset);
    typed(b.send().await)
}

pub async fn devices_ran_on_v1(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["type", "value", "limit", "offset"]);
    if via.is_command() {
        return command(c, via, "indicator_get_devices_ran_on_v1", &args).await;
    }
    let (t, v) = (s(&args, "type").unwrap(), s(&args, "value").unwrap());
    let mut b = c.indicator_get_devices_ran_on_v1().type_(t).value(v);
    opt!(b, &args, "limit", limit);
    opt!(b, &args, "offset", offset);
    typed(b.send().await)
}

pub async fn processes_ran_on(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["type", "value", "device_id", "limit", "offset"]);
    if via.is_command() {
        return command(c, via, "ProcessesRanOn", &args).await;
    }
    let (t, v) = (s(&args, "type").unwrap(), s(&args, "value").unwrap());
    let mut b = match via {
        Via::Alias => c.ProcessesRanOn(),
        _ => c.processes_ran_on(),
    }
    .type_(t)
    .value(v);
    opt!(b, &args, "device_id", device_id);
    opt!(b, &args, "limit", limit);
    opt!(b, &args, "offset", offset);
    typed(b.send().await)
}

pub async fn processes_ran_on_v1(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["type", "value", "device_id", "limit", "offset"]);
    if via.is_command() {
        return command(c, via, "indicator_get_processes_ran_on_v1", &args).await;
    }
    let (t, v) = (s(&args, "type").unwrap(), s(&args, "value").unwrap());
    let mut b = c.indicator_get_processes_ran_on_v1().type_(t).value(v);
    opt!(b, &args, "device_id", device_id);
    opt!(b, &args, "limit", limit);
    opt!(b, &args, "offset", offset);
    typed(b.send().await)
}

pub async fn process_entities(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["ids"]);
    if via.is_command() {
        return command(c, via, "entities.processes", &args).await;
    }
    let b = c
        .entities_processes()
        .ids(list(&args, "ids").unwrap_or_default());
    typed(b.send().await)
}

// ---- catalogs ----

/// One of the four `*.query.v1` catalogs, by spec id.
pub async fn catalog_query(c: &Client, via: Via, spec_id: &str, args: Value) -> Result<Out, Error> {
    only(&args, &["offset", "limit"]);
    if via.is_command() {
        return command(c, via, spec_id, &args).await;
    }
    let (offset, limit) = (s(&args, "offset"), i(&args, "limit"));
    macro_rules! send {
        ($builder:expr) => {{
            let mut b = $builder;
            if let Some(o) = offset {
                b = b.offset(o);
            }
            if let Some(l) = limit {
                b = b.limit(l);
            }
            typed(b.send().await)
        }};
    }
    match spec_id {
        "action.query.v1" => send!(c.action_query_v1()),
        "ioc_type.query.v1" => send!(c.ioc_type_query_v1()),
        "platform.query.v1" => send!(c.platform_query_v1()),
        "severity.query.v1" => send!(c.severity_query_v1()),
        other => panic!("{other} is not a catalog"),
    }
}

pub async fn action_get(c: &Client, via: Via, args: Value) -> Result<Out, Error> {
    only(&args, &["ids"]);
    if via.is_command() {
        return command(c, via, "action.get.v1", &args).await;
    }
    let mut b = c.action_get_v1();
    if let Some(ids) = list(&args, "ids") {
        b = b.ids(ids);
    }
    typed(b.send().await)
}

// ---- paging by hand (the stream helpers are someone else's) ----

/// Every id matching `filter` (sorted by `sort`), following `meta.pagination.after`.
pub async fn all_ids_by_after(
    c: &Client,
    filter: &str,
    sort: &str,
    limit: i64,
) -> Result<(Vec<String>, usize), Error> {
    let mut ids = Vec::new();
    let mut pages = 0;
    let mut after: Option<String> = None;
    loop {
        let mut b = c
            .indicator_search_v1()
            .filter(filter)
            .sort(sort)
            .limit(limit);
        if let Some(token) = after.take() {
            b = b.after(token);
        }
        let page = b.send().await?;
        pages += 1;
        ids.extend(page.body.resources);
        let pagination = page.body.meta.and_then(|m| m.pagination);
        match pagination.and_then(|p| p.after) {
            Some(token) if !token.is_empty() => after = Some(token),
            _ => break,
        }
    }
    Ok((ids, pages))
}

/// Every id matching `filter`, page by page with `offset` until `meta.pagination.total`.
pub async fn all_ids_by_offset(
    c: &Client,
    filter: &str,
    sort: &str,
    limit: i64,
) -> Result<(Vec<String>, usize), Error> {
    let mut ids = Vec::new();
    let mut pages = 0;
    let mut offset = 0i64;
    loop {
        let page = c
            .indicator_search_v1()
            .filter(filter)
            .sort(sort)
            .limit(limit)
            .offset(offset)
            .send()
            .await?;
        pages += 1;
        let got = page.body.resources.len() as i64;
        ids.extend(page.body.resources);
        let total = page
            .body
            .meta
            .and_then(|m| m.pagination)
            .and_then(|p| p.total)
            .expect("meta.pagination.total");
        offset += got;
        if got == 0 || offset >= total {
            break;
        }
    }
    Ok((ids, pages))
}

/// How many requests for operation `op_id` the simulator received (faulted ones included).
pub fn received(sim: &Simulator, op_id: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.operation_id.as_deref() == Some(op_id))
        .count()
}
