//! What running a command costs: wall time (a clock around it), and CPU time and peak RSS from
//! the kernel's accounting of the process (`wait4`).

use std::fs;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What one run of a command cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Usage {
    pub wall: Duration,
    /// User + system CPU of the process and of the processes it waited for.
    pub cpu: Option<Duration>,
    /// The largest peak RSS among them, in bytes.
    pub peak_rss: Option<u64>,
}

/// Runs `command` to completion with its output in `log`; what it cost, or its failure with
/// the end of its output.
pub fn logged(command: &mut Command, log: &Path) -> Result<Usage, String> {
    let file =
        fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let err = file
        .try_clone()
        .map_err(|e| format!("cannot reopen {}: {e}", log.display()))?;
    command.stdin(Stdio::null()).stdout(file).stderr(err);
    let (status, usage) = run(command)?;
    if !status.success() {
        let text = fs::read_to_string(log).unwrap_or_default();
        return Err(format!("{command:?} failed ({status}):\n{}", tail(&text)));
    }
    Ok(usage)
}

/// Runs `command` (its stdio as set) to completion: its exit status and what it cost.
pub fn run(command: &mut Command) -> Result<(ExitStatus, Usage), String> {
    let started = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let (status, cpu, peak_rss) = wait_with_usage(child)?;
    Ok((
        status,
        Usage {
            wall: started.elapsed(),
            cpu,
            peak_rss,
        },
    ))
}

/// Waits for `child` with `wait4`, which also returns the child's resource usage: its CPU and
/// that of the processes it waited for, and the largest peak RSS among them.
#[cfg(unix)]
fn wait_with_usage(
    child: std::process::Child,
) -> Result<(ExitStatus, Option<Duration>, Option<u64>), String> {
    use std::os::unix::process::ExitStatusExt;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid places for the kernel to write to; `pid` is
        // our child, not yet waited for (the `Child` is dropped below without waiting).
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if rc == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("waiting for process {pid}: {e}"));
        }
    }
    drop(child);
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    // Kilobytes on Linux, bytes on macOS.
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    Ok((
        ExitStatus::from_raw(status),
        Some(cpu),
        Some(usage.ru_maxrss as u64 * unit),
    ))
}

/// Elsewhere only the wall time is known.
#[cfg(not(unix))]
fn wait_with_usage(
    mut child: std::process::Child,
) -> Result<(ExitStatus, Option<Duration>, Option<u64>), String> {
    let status = child
        .wait()
        .map_err(|e| format!("waiting for a child: {e}"))?;
    Ok((status, None, None))
}

/// The median and range of several runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub runs: usize,
    pub wall: Duration,
    pub wall_min: Duration,
    pub wall_max: Duration,
    pub cpu: Option<Duration>,
    pub peak_rss: Option<u64>,
}

impl Summary {
    /// Medians of wall, CPU and peak RSS, each taken on its own.
    pub fn of(runs: &[Usage]) -> Summary {
        Summary {
            runs: runs.len(),
            wall: median(runs.iter().map(|u| u.wall)).unwrap_or_default(),
            wall_min: runs.iter().map(|u| u.wall).min().unwrap_or_default(),
            wall_max: runs.iter().map(|u| u.wall).max().unwrap_or_default(),
            cpu: median(runs.iter().filter_map(|u| u.cpu)),
            peak_rss: median(runs.iter().filter_map(|u| u.peak_rss)),
        }
    }
}

/// The median (the upper middle one of an even count, so it is a value that was measured).
pub fn median<T: Ord + Copy>(values: impl Iterator<Item = T>) -> Option<T> {
    let mut v: Vec<T> = values.collect();
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

/// The last lines of a command's output, for an error.
pub fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median([3, 1, 2].into_iter()), Some(2));
        assert_eq!(median([4, 1, 3, 2].into_iter()), Some(3));
        assert_eq!(median(std::iter::empty::<u64>()), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_child_is_measured() {
        let (status, usage) = run(Command::new("true").stdout(Stdio::null())).unwrap();
        assert!(status.success());
        assert!(usage.cpu.is_some() && usage.peak_rss.is_some_and(|r| r > 0));
    }

    #[cfg(unix)]
    #[test]
    fn a_failure_shows_its_output() {
        let log = std::env::temp_dir().join(format!("xtask-measure-{}.log", std::process::id()));
        let err = logged(Command::new("sh").args(["-c", "echo broken; exit 3"]), &log)
            .expect_err("exit 3 is a failure");
        assert!(err.contains("broken"), "{err}");
        let _ = fs::remove_file(&log);
    }
}
