//! The machine and the moment of a run, for the reader to judge the noise.

use std::fs;
use std::process::Command;
use std::time::SystemTime;

pub struct Machine {
    /// `YYYY-MM-DD`, UTC.
    pub date: String,
    rustc: String,
    cores: usize,
    cpu: Option<String>,
    memory: Option<String>,
}

impl Machine {
    pub fn now() -> Machine {
        let rustc = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
            .arg("-V")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "rustc (version unknown)".into());
        let cpu = proc_field("/proc/cpuinfo", "model name");
        // `MemTotal:       24552504 kB`
        let memory = proc_field("/proc/meminfo", "MemTotal")
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map(|kb| format!("{:.0} GB RAM", kb as f64 / 1024.0 / 1024.0));
        Machine {
            date: utc_date(SystemTime::now()),
            rustc,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
            memory,
        }
    }

    /// "linux, 2 cores (AMD EPYC ...), 23 GB RAM, rustc 1.95.0 (...)".
    pub fn describe(&self) -> String {
        let mut out = format!("{}, {} cores", std::env::consts::OS, self.cores);
        if let Some(cpu) = &self.cpu {
            out.push_str(&format!(" ({cpu})"));
        }
        if let Some(memory) = &self.memory {
            out.push_str(&format!(", {memory}"));
        }
        out.push_str(&format!(", {}", self.rustc));
        out
    }
}

/// The 1, 5 and 15 minute load averages: how busy the machine was with other work.
pub fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

/// The value of the first `name: value` line of a `/proc` file.
fn proc_field(path: &str, name: &str) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim().to_string())
}

/// `YYYY-MM-DD` (UTC) of a moment.
fn utc_date(at: SystemTime) -> String {
    let days = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's `civil_from_days`).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates() {
        let day = |d: u64| utc_date(SystemTime::UNIX_EPOCH + Duration::from_secs(d * 86_400));
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(11_016), "2000-02-29");
        assert_eq!(day(20_424), "2025-12-02");
    }
}
