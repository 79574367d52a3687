//! The figures as a table, and the block of `BENCHMARKS.md` they are written into.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Duration;

use super::measure::Summary;

/// The block of `BENCHMARKS.md` this task owns; everything outside the markers is left alone.
pub const START: &str =
    "<!-- bench:start (written by `cargo xtask bench`; edit outside these markers) -->";
pub const END: &str = "<!-- bench:end -->";
/// The heading put above the block the first time it is written.
const SECTION: &str = "## Lean generated code (issue 9): `cargo xtask bench`";

/// One figure of the report.
pub struct Row {
    pub figure: String,
    /// The figure when issue 9 was filed.
    pub before: &'static str,
    pub now: String,
    pub target: &'static str,
    /// Whether the target holds; `None`: the figure has no target of its own.
    pub holds: Option<bool>,
    /// How it is measured: the name of a method the report describes once.
    pub method: &'static str,
    pub command: String,
}

/// The figures of a run, how each is measured, and the steps it skipped with the reason.
#[derive(Default)]
pub struct Report {
    pub rows: Vec<Row>,
    /// Method name → how it measures, in the order first described.
    methods: Vec<(&'static str, String)>,
    skipped: Vec<String>,
    /// A `--quick` run: its figures say nothing about the targets.
    pub smoke: bool,
}

impl Report {
    /// Describes the method `name` of the rows (once; a later description replaces it).
    pub fn method(&mut self, name: &'static str, description: String) {
        match self.methods.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = description,
            None => self.methods.push((name, description)),
        }
    }

    pub fn skip(&mut self, what: &str, why: &str) {
        println!("skipped: {what}: {why}");
        self.skipped.push(format!("{what}: {why}"));
    }

    /// Whether a step was skipped.
    pub fn skipped(&self) -> bool {
        !self.skipped.is_empty()
    }

    /// The table, how each figure is measured, then the skipped steps.
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| figure | at issue 9 | now | target | holds | measured as | command |\n\
             | --- | --- | --- | --- | --- | --- | --- |\n",
        );
        for row in &self.rows {
            let holds = match row.holds {
                _ if self.smoke => "(smoke run)",
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "–",
            };
            let cells = [
                row.figure.as_str(),
                row.before,
                &row.now,
                row.target,
                holds,
                row.method,
                &row.command,
            ];
            for cell in cells {
                // A `|` would end the cell, even inside backticks (`find … | xargs wc -l`).
                let _ = write!(out, "| {} ", cell.replace('|', "\\|"));
            }
            out.push_str("|\n");
        }
        if !self.methods.is_empty() {
            out.push_str("\nHow each figure is measured:\n\n");
            for (name, description) in &self.methods {
                let _ = writeln!(out, "- **{name}**: {description}");
            }
        }
        for skipped in &self.skipped {
            let _ = write!(out, "\nSkipped in this run: {skipped}.\n");
        }
        out
    }
}

/// "0.21 s (0.20 s–0.24 s), CPU 0.35 s, peak RSS 78 MB": median wall (range), median CPU,
/// median peak RSS.
pub fn usage(summary: &Summary) -> String {
    let mut out = seconds(summary.wall);
    if summary.runs > 1 {
        let _ = write!(
            out,
            " ({}–{})",
            seconds(summary.wall_min),
            seconds(summary.wall_max)
        );
    }
    if let Some(cpu) = summary.cpu {
        let _ = write!(out, ", CPU {}", seconds(cpu));
    }
    if let Some(rss) = summary.peak_rss {
        let _ = write!(out, ", peak RSS {}", bytes(rss));
    }
    out
}

pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

pub fn bytes(b: u64) -> String {
    if b >= 1_000_000_000 {
        format!("{:.2} GB", b as f64 / 1e9)
    } else {
        format!("{:.0} MB", b as f64 / 1e6)
    }
}

/// `98,055`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Replaces the block between the markers in `path`; without the markers, adds the section
/// before the file's first `## ` section (or at its end).
pub fn write_block(path: &Path, block: &str) -> Result<(), String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let updated = match (text.find(START), text.find(END)) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{block}{}", &text[..start], &text[end + END.len()..])
        }
        (None, None) => {
            let at = text.find("\n## ").map_or(text.len(), |i| i + 1);
            format!("{}{SECTION}\n\n{block}\n\n{}", &text[..at], &text[at..])
        }
        _ => {
            return Err(format!(
                "{} has the bench markers out of order or one without the other; fix them by hand",
                path.display()
            ));
        }
    };
    fs::write(path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_added_then_replaced() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("BENCHMARKS.md");
        fs::write(&path, "# B\n\nintro\n\n## Other\n\ntext\n").unwrap();
        write_block(&path, &format!("{START}\none\n{END}")).unwrap();
        let once = fs::read_to_string(&path).unwrap();
        assert!(once.starts_with(&format!("# B\n\nintro\n\n{SECTION}\n\n{START}\none\n{END}")));
        assert!(once.ends_with("## Other\n\ntext\n"));
        write_block(&path, &format!("{START}\ntwo\n{END}")).unwrap();
        let twice = fs::read_to_string(&path).unwrap();
        assert_eq!(twice, once.replace("\none\n", "\ntwo\n"));
        fs::write(&path, format!("{END}\n{START}\n")).unwrap();
        assert!(write_block(&path, "x").is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn table_methods_and_skips() {
        let row = |holds| Row {
            figure: "f".into(),
            before: "b",
            now: "n".into(),
            target: "t",
            holds,
            method: "check",
            command: "`c`".into(),
        };
        let mut report = Report::default();
        report.rows.push(row(Some(true)));
        report.rows.push(row(Some(false)));
        report.rows[1].command = "`a | b`".into();
        report.method("check", "first words".into());
        report.method("check", "touched, then checked".into());
        report.skip("the whole spec", "../shared is not there");
        let text = report.markdown();
        assert!(
            text.contains("| f | b | n | t | yes | check | `c` |"),
            "{text}"
        );
        assert!(text.contains("| **no** | check | `a \\| b` |"), "{text}");
        assert!(
            text.contains("- **check**: touched, then checked\n"),
            "{text}"
        );
        assert!(!text.contains("first words"), "{text}");
        assert!(text.contains("Skipped in this run: the whole spec: ../shared is not there."));
        report.smoke = true;
        assert!(!report.markdown().contains("yes"));
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(98_055), "98,055");
        assert_eq!(thousands(538), "538");
        assert_eq!(bytes(1_790_000_000), "1.79 GB");
        assert_eq!(bytes(100_400_000), "100 MB");
        assert_eq!(seconds(Duration::from_millis(660)), "0.66 s");
        assert_eq!(seconds(Duration::from_millis(28_800)), "28.8 s");
    }

    #[test]
    fn usage_figure() {
        let summary = Summary {
            runs: 5,
            wall: Duration::from_millis(210),
            wall_min: Duration::from_millis(200),
            wall_max: Duration::from_millis(240),
            cpu: Some(Duration::from_millis(350)),
            peak_rss: Some(78_000_000),
        };
        assert_eq!(
            usage(&summary),
            "0.21 s (0.20 s–0.24 s), CPU 0.35 s, peak RSS 78 MB"
        );
    }
}
