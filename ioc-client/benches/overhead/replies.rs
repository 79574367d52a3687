//! The canned replies, and the structs a user of bare reqwest would write for them.

use serde::Deserialize;
use serde_json::{Value, json};

/// `limit` of the search: as many ids come back.
pub const SEARCH_LIMIT: i64 = 100;
/// How many full records the entity get asks for.
pub const GET_COUNT: usize = 10;

// What a user of bare reqwest would write: serde derives mirroring the replies, with the
// fields of the generated models (strings where the models have open enums, as a hand-written
// client would; an enum would only be cheaper to decode).

/// The query reply: ids.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // read by `black_box` only
pub struct QueryReply {
    pub meta: Option<QueryMeta>,
    pub resources: Option<Vec<String>>,
    pub errors: Option<Vec<ApiErr>>,
}

/// The entities reply: full records.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct IndicatorsReply {
    pub meta: Option<QueryMeta>,
    pub resources: Option<Vec<Indicator>>,
    pub errors: Option<Vec<ApiErr>>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct QueryMeta {
    pub pagination: Option<Paging>,
    pub powered_by: Option<String>,
    pub query_time: Option<f64>,
    pub trace_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct Paging {
    pub after: Option<String>,
    pub limit: Option<i32>,
    pub offset: Option<i32>,
    pub total: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct ApiErr {
    pub code: Option<i32>,
    pub id: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct Indicator {
    pub action: Option<String>,
    pub applied_globally: Option<bool>,
    pub created_by: Option<String>,
    pub created_on: Option<String>,
    pub deleted: Option<bool>,
    pub description: Option<String>,
    pub expiration: Option<String>,
    pub expired: Option<bool>,
    pub from_parent: Option<bool>,
    pub host_groups: Option<Vec<String>>,
    pub id: Option<String>,
    pub metadata: Option<Metadata>,
    pub mobile_action: Option<String>,
    pub modified_by: Option<String>,
    pub modified_on: Option<String>,
    pub parent_cid_name: Option<String>,
    pub platforms: Option<Vec<String>>,
    pub severity: Option<String>,
    pub source: Option<String>,
    pub tags: Option<Vec<String>>,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub value: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct Metadata {
    pub av_hits: Option<i64>,
    pub company_name: Option<String>,
    pub file_description: Option<String>,
    pub file_version: Option<String>,
    pub filename: Option<String>,
    pub original_filename: Option<String>,
    pub product_name: Option<String>,
    pub product_version: Option<String>,
    pub signed: Option<bool>,
}

/// A 64-hex-digit id, as the service's indicator ids are, different for each `n`.
pub fn hex_id(seed: &str, n: usize) -> String {
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

/// The token reply.
pub fn token_reply(token: &str) -> Value {
    json!({"access_token": token, "expires_in": 1799, "token_type": "bearer"})
}

/// `SEARCH_LIMIT` ids of one page of many.
pub fn search_reply() -> Value {
    let ids: Vec<String> = (0..SEARCH_LIMIT as usize)
        .map(|n| hex_id("search", n))
        .collect();
    json!({"meta": meta(SEARCH_LIMIT as usize, 12_873), "resources": ids, "errors": []})
}

/// The ids the entity get asks for.
pub fn get_ids() -> Vec<String> {
    (0..GET_COUNT).map(|n| hex_id("search", n)).collect()
}

/// `GET_COUNT` full `api.IndicatorV1` records, every field set as the service fills them.
pub fn get_reply() -> Value {
    let records: Vec<Value> = get_ids()
        .into_iter()
        .enumerate()
        .map(|(n, id)| record(n, id))
        .collect();
    json!({"meta": meta(GET_COUNT, GET_COUNT), "resources": records, "errors": []})
}

fn record(n: usize, id: String) -> Value {
    let severity = ["high", "medium", "critical"][n % 3];
    let action = if n.is_multiple_of(2) {
        "prevent"
    } else {
        "detect"
    };
    let host_groups = if n.is_multiple_of(3) {
        vec![hex_id("group", n)[..32].to_string()]
    } else {
        Vec::new()
    };
    json!({
        "id": id,
        "type": "sha256",
        "value": hex_id("value", n),
        "action": action,
        "mobile_action": "no_action",
        "severity": severity,
        "description": format!("Dropper seen in campaign TA-{n:03}; blocked on all Windows hosts after triage."),
        "platforms": ["windows", "mac", "linux"],
        "tags": ["campaign-2023-q4", "triaged", format!("case-{}", 4100 + n)],
        "expiration": "2024-06-01T00:00:00Z",
        "expired": false,
        "deleted": false,
        "applied_globally": !n.is_multiple_of(3),
        "from_parent": false,
        "parent_cid_name": "",
        "host_groups": host_groups,
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
}
